"""Ranking quality on the demo catalog: nDCG@10 of Omnishop against BM25 and plain MiniLM.

    python benchmarks/recommender_relevance.py [--queries benchmarks/relevance/queries.yml] [--index var/index]

Every product is graded for every query by the written rules in the queries file (catalog
attributes only). Rankers, each returning its top 10 products:

* bm25: Okapi BM25 (k1=1.2, b=0.75) over title + description, implemented here;
* minilm: cosine between the query's MiniLM vector and the product vectors of the index
  (the same vectors Omnishop uses), no filters, no stock check;
* omnishop: `Recommender.search` with the text only (no hard filters; in-stock only);
* omnishop+filters: `Recommender.search` with the constraints the real NLU parser
  (`nlu.constraints.extract_constraints`) reads from the text, as in a conversation.

nDCG@10 uses gain 2^grade - 1 and the ideal order over all products. Prints a table (mean
over queries, and per query with --per-query) and writes JSON (with benchmarks/report.py's meta).
"""
from __future__ import annotations

import argparse
import math
import re
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.report import Run  # noqa: E402

TOKEN = re.compile(r"[a-z0-9]+")
K = 10
CATALOG_DB, VOCABULARY, EMBEDDINGS = "catalog.sqlite", "vocabulary.json", "embeddings.npy"  # the artefact's files
INCLUDED = [
    "ranking quality only (nDCG@10 against rule-based grades of every product); no timing",
    "omnishop+filters: the real constraint parser on the query text, then Recommender.search (masks, planner, "
    "soft preferences) with the real MiniLM query encoder",
]
EXCLUDED = [
    "Rasa's intent classification and the dialogue (the parser is called directly)",
    "conversation context (each query is a first message)",
]


def load_products(build_dir: Path) -> list[dict]:
    """Products in row order with what the grading rules look at."""
    db = sqlite3.connect(f"file:{build_dir / CATALOG_DB}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    products = [dict(r) for r in db.execute("SELECT * FROM products ORDER BY row")]
    for p in products:
        p["levels"] = {level.strip().lower() for level in p["product_type"].split(">")}
        p["text"] = " ".join([p["title"], p["description"], p["material"]]).lower()
        p["colors"], p["min_price"] = set(), math.inf
    for v in db.execute("SELECT product_row, color, price, sale_price FROM variants"):
        product = products[v["product_row"]]
        product["colors"].add(v["color"])
        product["min_price"] = min(product["min_price"], v["sale_price"] if v["sale_price"] is not None else v["price"])
    return products


def meets(product: dict, condition: dict) -> bool:
    checks = {
        "category": lambda wanted: bool(product["levels"] & {c.lower() for c in wanted}),
        "gender": lambda wanted: product["gender"] in wanted,
        "color": lambda wanted: bool(product["colors"] & set(wanted)),
        "brand": lambda wanted: product["brand"] in wanted,
        "price_max": lambda most: product["min_price"] <= most,
        "text_any": lambda phrases: any(p.lower() in product["text"] for p in phrases),
        "text_none": lambda phrases: not any(p.lower() in product["text"] for p in phrases),
    }
    unknown = set(condition) - set(checks)
    if unknown:
        raise ValueError(f"unknown condition keys {sorted(unknown)} in {condition}")
    return all(checks[key](value) for key, value in condition.items())


def grade(product: dict, query: dict) -> int:
    if not meets(product, query.get("must") or {}):
        return 0
    return 1 + sum(meets(product, want) for want in query.get("wants") or [])


def ndcg(ranked_grades: list[int], all_grades: list[int]) -> float:
    def dcg(grades):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:K]))

    ideal = dcg(sorted(all_grades, reverse=True))
    return dcg(ranked_grades) / ideal if ideal else 0.0


class BM25:
    def __init__(self, documents: list[str], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.docs = [Counter(TOKEN.findall(d.lower())) for d in documents]
        self.lengths = np.array([sum(d.values()) for d in self.docs], dtype=float)
        frequency = Counter(term for d in self.docs for term in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in frequency.items()}

    def top(self, query: str, k: int) -> list[int]:
        terms = TOKEN.findall(query.lower())
        norm = self.k1 * (1 - self.b + self.b * self.lengths / self.lengths.mean())
        scores = np.zeros(len(self.docs))
        for i, doc in enumerate(self.docs):
            for t in terms:
                f = doc.get(t, 0)
                if f:
                    scores[i] += self.idf[t] * f * (self.k1 + 1) / (f + norm[i])
        return [int(i) for i in np.argsort(-scores, kind="stable")[:k]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=Path, default=REPO / "benchmarks" / "relevance" / "queries.yml")
    parser.add_argument("--index", type=Path, default=REPO / "var" / "index", help="built with `make index`")
    parser.add_argument("--per-query", action="store_true", help="also print every query's nDCG@10")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "recommender_relevance.json")
    args = parser.parse_args()
    run = Run("recommender_relevance", included=INCLUDED, excluded=EXCLUDED,
              settings={"k": K, "queries_file": str(args.queries.relative_to(REPO) if args.queries.is_relative_to(REPO)
                                                    else args.queries), "bm25": {"k1": 1.2, "b": 0.75}})

    from nlu.constraints import extract_constraints
    from nlu.vocabulary import CatalogVocabulary
    from index_artefact.encoder import encode, load_encoder
    from recommender.engine import Recommender
    from recommender.query import SearchQuery

    build_dir = (args.index / "current").resolve()  # the live build (docs/architecture.md: the index artefact)
    if not (build_dir / CATALOG_DB).exists():
        raise SystemExit(f"no index at {args.index}: run `make index` first")
    queries = yaml.safe_load(args.queries.read_text())["queries"]
    products = load_products(build_dir)
    row_of = {p["group_id"]: p["row"] for p in products}
    encoder = load_encoder()
    recommender = Recommender.from_index(args.index, encoder)
    vocabulary = CatalogVocabulary.from_json(build_dir / VOCABULARY)
    embeddings = np.load(build_dir / EMBEDDINGS)
    bm25 = BM25([p["title"] + " " + p["description"] for p in products])

    def omnishop(q: SearchQuery) -> list[int]:
        return [row_of[card["group_id"]] for card in recommender.search(q, K).products]

    rankers = {
        "bm25": lambda text: bm25.top(text, K),
        "minilm": lambda text: [int(i) for i in np.argsort(-(embeddings @ encode(encoder, [text])[0]))[:K]],
        "omnishop": lambda text: omnishop(SearchQuery(text=text)),
        "omnishop+filters": lambda text: omnishop(
            SearchQuery.from_constraints(extract_constraints(text, vocabulary).constraints, text)),
    }
    per_query = []
    for query in queries:
        grades = [grade(p, query) for p in products]
        scores = {name: round(ndcg([grades[r] for r in rank(query["text"])], grades), 4) for name, rank in rankers.items()}
        per_query.append({"text": query["text"], "relevant": sum(g > 0 for g in grades), **scores})
        if args.per_query:
            print(f"{query['text'][:44]:<44} " + " ".join(f"{scores[n]:>16.3f}" for n in rankers))
    means = {name: round(float(np.mean([q[name] for q in per_query])), 4) for name in rankers}
    print(f"\nnDCG@10 over {len(queries)} queries ({len(products)} products)")
    for name, value in means.items():
        wins = sum(q["omnishop"] > q[name] for q in per_query)
        losses = sum(q["omnishop"] < q[name] for q in per_query)
        print(f"  {name:<17} {value:.3f}" + (f"   omnishop (text only) better on {wins}, worse on {losses} queries"
                                               if not name.startswith("omnishop") else ""))
    run.write({"k": K, "queries": len(queries), "products": len(products), "mean_ndcg": means,
               "per_query": per_query}, args.out)


if __name__ == "__main__":
    main()
