"""Ranking quality on real retailers' catalogs: nDCG@5 and constraint violations of Omnishop
against BM25 and plain MiniLM, on hand-judged shopper queries.

    python benchmarks/real_catalog_relevance.py [--catalogs flipkart_in ikea_sa] [--index-root DIR]
                                                [--reuse] [--per-query]

Catalogs: `data/real_catalogs/<name>/merchant_feed.tsv` (real product feeds, see their READMEs);
judgements: `benchmarks/relevance/real/<name>.yml` (queries, oracle constraints written by hand,
graded 0-3 by hand). Each catalog's index is built with the project's builder
(`catalog_index.build.build_index`) under --index-root (default: a scratch directory under
/tmp); --reuse keeps an index already built there for the same feed.

Rankers, each returning its top 5 products:

* bm25: SQLite FTS5's bm25() over title + description, the query's words OR-ed, no filters;
* minilm: cosine between the query's MiniLM vector and the index's product vectors, no filters;
* bm25+oracle, minilm+oracle: the same, among the products that meet the query's oracle
  constraints (checked here, independently of the recommender, from the index tables) and
  are in stock;
* omnishop+oracle: `Recommender.search` with `SearchQuery.from_constraints(oracle, text)`:
  meaning fused with the build's FTS5 BM25 (`recommender.lexical`, issue 15's hybrid ranking);
* omnishop+oracle, meaning only: the same with lexical ranking off (the recommender before it).

Per ranker: mean nDCG@5 (gain 2^grade - 1, ideal order over every judged product; unjudged
products count as grade 0) and the share of shown products that break an oracle constraint.
Means are given over all queries and over the queries without a flagged data gap (a `gap` in
the judgements file: the feed leaves empty the field a constraint needs).

* omnishop through the chat: the whole assistant (Rasa, the action server, the recommender)
  started on the catalog's index, each query sent as the first message of a new shopper; the
  products of its list, in order (an empty list when it asks a question or finds nothing, so
  the language side's misreadings count). --no-chat leaves this row out.
"""
from __future__ import annotations

import argparse
import math
import re
import sqlite3
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.report import Run  # noqa: E402

K = 5
CATALOGS = ("flipkart_in", "ikea_sa")
CHAT_ROW = "omnishop through the chat"
FEEDS = REPO / "data" / "real_catalogs"
JUDGEMENTS = REPO / "benchmarks" / "relevance" / "real"
CATALOG_DB, EMBEDDINGS = "catalog.sqlite", "embeddings.npy"  # the artefact's files
WORD = re.compile(r"\w+", re.UNICODE)
INCLUDED = [
    "ranking quality only (nDCG@5 against hand-made 0-3 judgements of pooled products); no timing",
    "omnishop+oracle: Recommender.search (masks, planner, soft preferences) with the hand-written oracle "
    "constraints and the real MiniLM query encoder",
    "violations: shown products that break an oracle constraint, checked from the index tables",
    "omnishop through the chat: the query as a shopper's first message to Rasa's REST webhook, the NLU "
    "parser, the dialogue, the action server and the recommender, on the catalog's own index",
]
EXCLUDED = [
    "for every other row, the NLU parser, Rasa and the dialogue (the constraints are the hand-written oracle ones)",
    "conversation context (each query is a first message)",
]

Ranker = Callable[[str], list[str]]


@dataclass
class Product:
    row: int
    id: str  # the group id: the feed's item_group_id (here equal to the product's id)
    title: str
    description: str
    brand: str
    gender: str | None
    levels: set[str]
    variants: list[dict] = field(default_factory=list)


@dataclass
class Catalog:
    name: str
    index_dir: Path
    build_dir: Path
    products: list[Product]
    currency: str

    @property
    def by_id(self) -> dict[str, Product]:
        return {p.id: p for p in self.products}


def category_names(level: str) -> list[str]:
    """A level and each shorter phrase it ends with ("casual shoes" is also "shoes"), as the
    contract's "any level of its path" is read by the project."""
    words = level.strip().lower().split()
    return [" ".join(words[i:]) for i in range(len(words))]


def build_or_reuse(name: str, index_root: Path, reuse: bool) -> Path:
    """The catalog's index directory, built with the project's builder unless --reuse finds it."""
    from catalog_index.build import build_index
    from runtime.settings import Settings

    index_dir = index_root / name
    if reuse and (index_dir / "current" / CATALOG_DB).exists():
        return index_dir
    settings = Settings.from_env()
    result = build_index(FEEDS / name / "merchant_feed.tsv", index_dir, "auto", settings.model_path,
                         settings.model_sha256, progress=False)
    print(f"{name}: {'index up to date' if result.skipped else result.report.summary()}")
    return index_dir


def load_catalog(name: str, index_dir: Path) -> Catalog:
    build_dir = (index_dir / "current").resolve()
    db = sqlite3.connect(f"file:{build_dir / CATALOG_DB}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    products = [Product(r["row"], r["group_id"], r["title"], r["description"], r["brand"], r["gender"],
                        {n for level in r["product_type"].split(">") for n in category_names(level)})
                for r in db.execute("SELECT * FROM products ORDER BY row")]
    for v in db.execute("SELECT product_row, color, price, sale_price, currency, availability, quantity FROM variants"):
        products[v["product_row"]].variants.append({
            "color": v["color"], "price": v["sale_price"] if v["sale_price"] is not None else v["price"],
            "currency": v["currency"], "in_stock": v["availability"] != "out_of_stock" and v["quantity"] != 0})
    currency = db.execute("SELECT currency FROM variants GROUP BY currency ORDER BY count(*) DESC").fetchone()[0]
    db.close()
    return Catalog(name, index_dir, build_dir, products, currency)


# -- the oracle constraints, checked independently of the recommender --------------------
def broken_constraints(product: Product, c: dict) -> list[str]:
    """Which oracle constraints the product breaks (stock is not a constraint)."""
    from recommender.query import GENDER_MATCHES

    broken = []
    price = c.get("price") or {}
    exclude = c.get("exclude") or {}

    def variant_ok(v: dict) -> bool:
        if price and (v["currency"] != price.get("currency") or
                      (price.get("min") is not None and v["price"] < price["min"] - 1e-9) or
                      (price.get("max") is not None and v["price"] > price["max"] + 1e-9)):
            return False
        if c.get("color") and v["color"] not in c["color"]:
            return False
        return not (exclude.get("color") and v["color"] in exclude["color"])

    if c.get("category") and c["category"].lower() not in product.levels:
        broken.append("category")
    if c.get("brand") and product.brand.lower() not in {b.lower() for b in c["brand"]}:
        broken.append("brand")
    if c.get("gender") and product.gender not in GENDER_MATCHES.get(c["gender"], (c["gender"],)):
        broken.append("gender")
    if exclude.get("brand") and product.brand.lower() in {b.lower() for b in exclude["brand"]}:
        broken.append("exclude")
    if exclude.get("category") and product.levels & {x.lower() for x in exclude["category"]}:
        broken.append("exclude")
    if (price or c.get("color") or exclude.get("color")) and not any(variant_ok(v) for v in product.variants):
        broken.append("variant (price/colour)")
    return broken


def allowed_mask(catalog: Catalog, c: dict) -> np.ndarray:
    """Products that meet every oracle constraint and have a variant in stock."""
    return np.array([not broken_constraints(p, c) and any(v["in_stock"] for v in p.variants)
                     for p in catalog.products])


# -- rankers -------------------------------------------------------------------------------
class FTS:
    """A temporary SQLite FTS5 table over title + description, ranked by FTS5's own bm25()."""

    def __init__(self, catalog: Catalog):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, description, tokenize='unicode61 remove_diacritics 2')")
        self.db.executemany("INSERT INTO docs (rowid, title, description) VALUES (?, ?, ?)",
                            [(p.row, p.title, p.description) for p in catalog.products])
        self.ids = [p.id for p in catalog.products]

    def top(self, text: str, k: int, allowed: np.ndarray | None = None) -> list[str]:
        words = WORD.findall(text.lower())
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = [r for (r,) in self.db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs), rowid",
                                              (match,))]
        if allowed is not None:
            rows = [r for r in rows if allowed[r]]
        return [self.ids[r] for r in rows[:k]]


class MiniLM:
    """Cosine between the query vector and the index's product vectors (the ones Omnishop uses)."""

    def __init__(self, catalog: Catalog):
        from index_artefact.encoder import load_encoder

        self.embeddings = np.load(catalog.build_dir / EMBEDDINGS)
        self.encoder = load_encoder()
        self.ids = [p.id for p in catalog.products]

    def scores(self, text: str) -> np.ndarray:
        from index_artefact.encoder import encode

        return self.embeddings @ encode(self.encoder, [text])[0]

    def top(self, text: str, k: int, allowed: np.ndarray | None = None) -> list[str]:
        scores = self.scores(text)
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        order = np.argsort(-scores, kind="stable")
        return [self.ids[i] for i in order[:k] if np.isfinite(scores[i])]


def omnishop_ranker(catalog: Catalog, queries: list[dict], lexical_weight: float | None = None) -> Ranker:
    """The project's recommender with the oracle constraints of the query with that text
    (`lexical_weight` 0: meaning only; None: the shipped fusion)."""
    from index_artefact.encoder import load_encoder
    from recommender.engine import Recommender
    from recommender.lexical import LEXICAL_WEIGHT
    from recommender.query import SearchQuery

    recommender = Recommender.from_index(catalog.index_dir, load_encoder(),
                                         lexical_weight=LEXICAL_WEIGHT if lexical_weight is None else lexical_weight)
    constraints = {q["text"]: q["constraints"] for q in queries}

    def rank(text: str) -> list[str]:
        q = SearchQuery.from_constraints(constraints[text], text)
        return [card["group_id"] for card in recommender.search(q, K).products]

    return rank


def standard_rankers(catalog: Catalog, queries: list[dict]) -> dict[str, Ranker]:
    fts, minilm = FTS(catalog), MiniLM(catalog)
    masks = {q["text"]: allowed_mask(catalog, q["constraints"]) for q in queries}
    return {
        "bm25": lambda text: fts.top(text, K),
        "minilm": lambda text: minilm.top(text, K),
        "bm25+oracle": lambda text: fts.top(text, K, masks[text]),
        "minilm+oracle": lambda text: minilm.top(text, K, masks[text]),
        "omnishop+oracle": omnishop_ranker(catalog, queries),
        "omnishop+oracle, meaning only": omnishop_ranker(catalog, queries, lexical_weight=0.0),
    }


# -- scoring -------------------------------------------------------------------------------
def ndcg(ranked: list[str], judgements: dict[str, int], k: int = K) -> float:
    def dcg(grades):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(judgements.values(), reverse=True))
    return dcg([judgements.get(pid, 0) for pid in ranked]) / ideal if ideal else 0.0


def evaluate_ranker(catalog: Catalog, queries: list[dict], rank: Ranker) -> list[dict]:
    """Per query: nDCG@5, how many products were shown and how many break an oracle constraint."""
    by_id = catalog.by_id
    rows = []
    for q in queries:
        shown = rank(q["text"])[:K]
        broken = [pid for pid in shown if pid not in by_id or broken_constraints(by_id[pid], q["constraints"])]
        rows.append({"text": q["text"], "ndcg": round(ndcg(shown, q["judgements"]), 4), "shown": len(shown),
                     "violations": len(broken), "gap": bool(q.get("gap"))})
    return rows


def summarise(rows: list[dict]) -> dict:
    def part(selected):
        shown = sum(r["shown"] for r in selected)
        return {"queries": len(selected),
                "ndcg@5": round(float(np.mean([r["ndcg"] for r in selected])), 4) if selected else None,
                "violation_share": round(sum(r["violations"] for r in selected) / shown, 4) if shown else 0.0,
                "shown": shown, "queries_with_no_products": sum(1 for r in selected if not r["shown"])}

    return {"all": part(rows), "without_gaps": part([r for r in rows if not r["gap"]])}


@contextmanager
def chat_ranker(catalog: Catalog) -> Iterator[Ranker]:
    """The whole assistant on the catalog's index (benchmarks.load_test.started_assistant, with
    OMNISHOP_INDEX pointing at it): each text is the first message of a new shopper, and the
    ranking is the group ids of the product list shown."""
    import os
    import uuid

    import requests

    from benchmarks.load_test import started_assistant

    previous = os.environ.get("OMNISHOP_INDEX")
    os.environ["OMNISHOP_INDEX"] = str(catalog.index_dir)
    try:
        with started_assistant() as rasa_url:
            def rank(text: str) -> list[str]:
                reply = requests.post(f"{rasa_url}/webhooks/rest/webhook", timeout=60,
                                      json={"sender": f"relevance-{uuid.uuid4().hex}", "message": text}).json()
                lists = [m["custom"] for m in reply if isinstance(m.get("custom"), dict)
                         and m["custom"].get("type") == "product_list"]
                return [card["group_id"] for card in lists[0]["products"]] if lists else []
            yield rank
    finally:
        if previous is None:
            os.environ.pop("OMNISHOP_INDEX", None)
        else:
            os.environ["OMNISHOP_INDEX"] = previous


def load_queries(name: str) -> tuple[dict, list[dict]]:
    document = yaml.safe_load((JUDGEMENTS / f"{name}.yml").read_text(encoding="utf-8"))
    currency = document["currency"]
    for q in document["queries"]:
        price = (q["constraints"] or {}).get("price")
        if price:
            price.setdefault("currency", currency)
            price.setdefault("min", None)
            price.setdefault("max", None)
        q["constraints"] = q["constraints"] or {}
        q["judgements"] = {str(k): int(v) for k, v in (q.get("judgements") or {}).items()}
    return document, document["queries"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalogs", nargs="+", default=list(CATALOGS), choices=CATALOGS)
    parser.add_argument("--index-root", type=Path, default=Path(tempfile.gettempdir()) / "omnishop-real-catalogs",
                        help="where each catalog's index is built (a scratch directory by default)")
    parser.add_argument("--reuse", action="store_true", help="reuse an index already built under --index-root")
    parser.add_argument("--per-query", action="store_true", help="also print every query's nDCG@5")
    parser.add_argument("--no-chat", action="store_true", help="leave out the row through the whole assistant")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "real_catalog_relevance.json")
    args = parser.parse_args()
    run = Run("real_catalog_relevance", included=INCLUDED, excluded=EXCLUDED,
              description="nDCG@5 and oracle-constraint violations on real retailers' catalogs",
              settings={"k": K, "catalogs": list(args.catalogs), "bm25": "SQLite FTS5 bm25(), words OR-ed",
                        "judgements": [f"benchmarks/relevance/real/{n}.yml" for n in args.catalogs]})
    figures = {"k": K, "catalogs": {}}
    for name in args.catalogs:
        document, queries = load_queries(name)
        catalog = load_catalog(name, build_or_reuse(name, args.index_root, args.reuse))
        per_query: dict[str, list[dict]] = {}
        for ranker_name, rank in standard_rankers(catalog, queries).items():
            per_query[ranker_name] = evaluate_ranker(catalog, queries, rank)
        if not args.no_chat:
            with chat_ranker(catalog) as rank:
                per_query[CHAT_ROW] = evaluate_ranker(catalog, queries, rank)
        summary = {ranker_name: summarise(rows) for ranker_name, rows in per_query.items()}
        print(f"\n{name}: {len(catalog.products)} products ({catalog.currency}), {len(queries)} queries "
              f"({sum(1 for q in queries if q.get('gap'))} with a data gap)")
        print(f"  {'ranker':<29} {'nDCG@5':>7} {'no-gap':>7} {'broken':>7} {'empty':>6}")
        for ranker_name, s in summary.items():
            print(f"  {ranker_name:<29} {s['all']['ndcg@5']:>7.3f} {s['without_gaps']['ndcg@5']:>7.3f} "
                  f"{s['all']['violation_share']:>7.1%} {s['all']['queries_with_no_products']:>6}")
        if args.per_query:
            for i, q in enumerate(queries):
                print(f"    {q['text'][:40]:<40} " + " ".join(f"{per_query[r][i]['ndcg']:.2f}" for r in per_query))
        figures["catalogs"][name] = {
            "feed": f"data/real_catalogs/{name}/merchant_feed.tsv", "products": len(catalog.products),
            "currency": catalog.currency, "queries": len(queries),
            "queries_with_gap": sum(1 for q in queries if q.get("gap")),
            "summary": summary,
            "per_query": [{"text": q["text"], **{r: {k: v for k, v in per_query[r][i].items() if k != "text"}
                                                  for r in per_query}} for i, q in enumerate(queries)],
        }
    run.write(figures, args.out)


if __name__ == "__main__":
    main()
