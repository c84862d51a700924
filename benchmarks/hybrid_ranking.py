"""Hybrid ranking (issue 15): nDCG@5 of BM25, MiniLM and their fusion inside the oracle filters,
on the demo catalog and on two real retailers' catalogs, with the fusion tuned on one half of
each query set and reported on both halves.

    HF_HUB_OFFLINE=1 python benchmarks/hybrid_ranking.py [--index-root DIR] [--reuse] [--per-query]

Query sets, each split by position: the even-numbered queries (0, 2, 4, ...) are the tuning
half, the odd-numbered ones the held-out half, never looked at while choosing.

* demo: `benchmarks/relevance/queries.yml` over `data/demo_catalog/merchant_feed.tsv`, every
  product graded by the file's rules; the oracle filter is the query's `must` category when it
  names one (several categories or none: no filter);
* flipkart_in, ikea_sa: `benchmarks/relevance/real/*.yml` (hand-judged 0-3, oracle constraints
  written by hand) over `data/real_catalogs/*/merchant_feed.tsv`.

Each catalog is built with the project's builder (`catalog_index.build.build_index`: tables,
full-text index, MiniLM vectors, FAISS) under --index-root. Rankers, all inside the same mask
(`Recommender.candidate_mask` with the oracle constraints: every hard constraint, in stock):

* bm25+oracle: the build's FTS5 bm25() over every word of the message (no match budget, no
  stop words left out), best first; and the lexical half of the hybrid alone (bm25() as
  `recommender.lexical` queries it: stop words and stated budgets out, the match budget);
* minilm+oracle: cosine of the MiniLM query vector, best first;
* omnishop+oracle (meaning only): `Recommender.search` with lexical ranking off, as before;
* hybrid+oracle: `Recommender.search` with the tuned fusion (`recommender.lexical`);
* alternatives (fusions tried, without the soft preferences): reciprocal-rank fusion of the
  first two (k=60), and the chosen weighted sum over the same two lists; and the hybrid with
  every word of the message matched (no stop words, budgets and sizes kept as words).

The grid (fusion weight, bm25() column weights, the match budget) is scored on the tuning
halves only; the chosen setting is the best mean of the three sets' tuning-half means among
those with a match budget the latency allows (AFFORDABLE_BUDGET: a budget of 2,000 added 13% to
the median and 21% to the p95 of end-to-end searches at 20,000 products, for a tuning mean
within 0.003 of the best at 250).

Latency: --latency BEFORE AFTER AB adds the search latency before and after, from three
results files of benchmarks/recommender_search.py (each keeps its own meta): BEFORE run from a
copy of the tree with the engine as it was before lexical ranking, AFTER from this tree, one
after the other, same arguments:

    python benchmarks/recommender_search.py --products --serving-products 20000 --e2e-products 20000 \
        --e2e-vectors synthetic --encoder-texts 0 --no-lexical-cache --out BEFORE|AFTER

and AB with `--serving-products 0 --lexical-ab --e2e-rounds 30` (lexical ranking off and on,
alternating in one process, so both see the same load on a shared machine).
Writes JSON with benchmarks/report.py's meta.
"""
from __future__ import annotations

import argparse
import itertools
import math
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.report import Run  # noqa: E402

K = 5
SETS = ("demo", "flipkart_in", "ikea_sa")
FEEDS = {"demo": REPO / "data" / "demo_catalog" / "merchant_feed.tsv",
         **{name: REPO / "data" / "real_catalogs" / name / "merchant_feed.tsv" for name in SETS[1:]}}
WEIGHTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0)
COLUMN_PRESETS = {"title-heavy (3,2,2,1,1)": (3.0, 2.0, 2.0, 1.0, 1.0), "uniform (1,1,1,1,1)": (1.0,) * 5,
                  "title only-ish (5,1,1,0.5,0.2)": (5.0, 1.0, 1.0, 0.5, 0.2)}
BUDGETS = (250, 2000, 10**9)
AFFORDABLE_BUDGET = 250
RRF_K = 60
INCLUDED = [
    "ranking quality only (nDCG@5, gain 2^grade - 1); no timing",
    "every ranker inside the mask Recommender.candidate_mask makes from the oracle constraints (in stock only)",
    "the real MiniLM query encoder and each catalog's real index build (tables, FTS5 full-text index, vectors)",
]
EXCLUDED = [
    "the NLU parser, Rasa and the dialogue (oracle constraints; the demo's is its `must` category)",
    "conversation context (each query is a first message)",
]


class MemoEncoder:
    """The query encoder, each text encoded once (the grid searches the same texts many times)."""

    def __init__(self, encoder):
        self.encoder, self.seen = encoder, {}

    def encode(self, texts, **options):
        missing = [t for t in texts if t not in self.seen]
        if missing:
            for text, vector in zip(missing, self.encoder.encode(missing, **options)):
                self.seen[text] = vector
        return np.stack([self.seen[t] for t in texts])


def build_or_reuse(name: str, index_root: Path, reuse: bool) -> Path:
    from catalog_index.build import build_index
    from index_artefact import tables
    from runtime.settings import Settings

    index_dir = index_root / name
    db = index_dir / "current" / "catalog.sqlite"
    if reuse and db.exists():
        connection = tables.connect(db, read_only=True)
        ready = tables.has_text_index(connection)
        connection.close()
        if ready:
            return index_dir
    settings = Settings.from_env()
    result = build_index(FEEDS[name], index_dir, "auto", settings.model_path, settings.model_sha256, progress=False)
    print(f"{name}: {'index up to date' if result.skipped else result.report.summary()}", flush=True)
    return index_dir


def demo_queries(build_dir: Path) -> list[dict]:
    """The demo set with every product graded by its rules; ids are group ids."""
    from benchmarks.recommender_relevance import grade, load_products

    products = load_products(build_dir)
    queries = []
    for q in yaml.safe_load((REPO / "benchmarks" / "relevance" / "queries.yml").read_text())["queries"]:
        categories = (q.get("must") or {}).get("category") or []
        grades = {p["group_id"]: grade(p, q) for p in products}
        queries.append({"text": q["text"], "constraints": {"category": categories[0]} if len(categories) == 1 else {},
                        "judgements": {g: v for g, v in grades.items() if v}})
    return queries


def real_queries(name: str) -> list[dict]:
    from benchmarks.real_catalog_relevance import load_queries

    return load_queries(name)[1]


def ndcg(ranked: list[str], judgements: dict[str, int], k: int = K) -> float:
    def dcg(grades):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(judgements.values(), reverse=True))
    return dcg([judgements.get(pid, 0) for pid in ranked]) / ideal if ideal else 0.0


def halves(queries: list[dict]) -> dict[str, list[int]]:
    return {"tuning": list(range(0, len(queries), 2)), "held_out": list(range(1, len(queries), 2)),
            "all": list(range(len(queries)))}


class Bench:
    """One catalog's index, queries, masks and the ingredients every ranker reads."""

    def __init__(self, name: str, index_dir: Path, encoder):
        from recommender.engine import Recommender
        from recommender.query import SearchQuery

        self.name, self.index_dir, self.encoder = name, index_dir, encoder
        self.recommender = Recommender.from_index(index_dir, encoder)
        a = self.recommender.catalog.arrays()
        self.a = a
        self.group_ids = [a.details.product(r)["group_id"] for r in range(a.products)]
        self.queries = demo_queries(a.build_dir) if name == "demo" else real_queries(name)
        self.search_queries = [SearchQuery.from_constraints(q["constraints"], q["text"]) for q in self.queries]
        self.masks = [self.recommender.candidate_mask(a, sq)[0] for sq in self.search_queries]
        self.vectors = [encoder.encode([sq.embedding_text()])[0] for sq in self.search_queries]
        self.cosines = [np.asarray(a.embeddings, dtype=np.float32) @ v for v in self.vectors]

    def ids(self, rows) -> list[str]:
        return [self.group_ids[int(r)] for r in rows]

    def lexical(self, i: int, every_word: bool = False):
        from recommender import lexical

        index = lexical.LexicalIndex(self.a.build_dir / "catalog.sqlite")
        budget = lexical.MATCH_BUDGET
        try:
            if every_word:
                lexical.MATCH_BUDGET = 10**9
                with AllWords():
                    return index.scores(self.search_queries[i].embedding_text())
            return index.scores(self.search_queries[i].embedding_text())
        finally:
            lexical.MATCH_BUDGET = budget
            index.close()

    # -- rankers: each returns the top K group ids of query i ------------------------------
    def minilm(self, i: int) -> list[str]:
        scores = np.where(self.masks[i], self.cosines[i], -np.inf)
        order = np.argsort(-scores, kind="stable")[:K]
        return self.ids(r for r in order if np.isfinite(scores[r]))

    def bm25(self, i: int, lexical_scores=None) -> list[str]:
        found = lexical_scores or self.lexical(i)
        return self.ids(found.best(self.masks[i], K))

    def omnishop(self, i: int, weight: float) -> list[str]:
        self.recommender.lexical_weight = weight
        self.recommender._lexical_index = None  # parameters may have changed: no cached scores
        return [card["group_id"] for card in self.recommender.search(self.search_queries[i], K).products]

    def standalone(self, i: int, rule: str, weight: float, lexical_scores) -> list[str]:
        """Fusions without the recommender's soft preferences, over the same two candidate lists
        (the 50 nearest and the 50 best lexical matches inside the mask)."""
        from recommender.lexical import fuse

        mask = self.masks[i]
        cos = np.where(mask, self.cosines[i], -np.inf)
        nearest = np.argsort(-cos, kind="stable")[:50]
        nearest = nearest[np.isfinite(cos[nearest])]
        lexical_rows = lexical_scores.best(mask, 50)
        rows = np.unique(np.concatenate([nearest, lexical_rows])).astype(np.int64)
        if rule == "rrf":
            vector_rank = {int(r): n for n, r in enumerate(nearest)}
            lexical_rank = {int(r): n for n, r in enumerate(lexical_rows)}
            score = np.array([1 / (RRF_K + vector_rank.get(int(r), 10**6)) + 1 / (RRF_K + lexical_rank.get(int(r), 10**6))
                              for r in rows])
        else:
            score = fuse(self.cosines[i][rows], lexical_scores.of(rows), weight)
        return self.ids(rows[np.lexsort([rows, -score])][:K])


def latency_summary(before_path: Path, after_path: Path, ab_path: Path) -> dict:
    """p50/p95 (wall clock and CPU) before and after, their ratios, and the alternating A/B."""
    import json

    before, after, ab = (json.loads(Path(p).read_text()) for p in (before_path, after_path, ab_path))

    def pair(old: dict, new: dict) -> dict:
        keys = ("p50_ms", "p95_ms", "cpu_p50_ms", "cpu_p95_ms")
        return {"before": {k: old.get(k) for k in keys}, "after": {k: new.get(k) for k in keys},
                "ratio_after_to_before": {k: round(new[k] / old[k], 3) for k in keys if old.get(k) and new.get(k)}}

    serving = {name: pair(before["serving"]["queries"][name], q) for name, q in after["serving"]["queries"].items()}
    return {
        "serving_20k (Recommender.search, query vector given; text 'synthetic')": serving,
        "end_to_end_20k (parser, MiniLM query encoding, Recommender.search)": pair(before["end_to_end"],
                                                                                     after["end_to_end"]),
        "end_to_end_per_query": {text: pair(before["end_to_end"]["queries"][text], q)
                                 for text, q in after["end_to_end"]["queries"].items()},
        "lexical_ab_alternating_in_one_process": ab["lexical_ab"],
        "runs": {name: {k: doc["meta"][k] for k in ("command", "started_utc", "load_average", "git")}
                 for name, doc in (("before", before), ("after", after), ("ab", ab))},
    }


class AllWords:
    """Within the block, `recommender.lexical` matches every word of the message."""

    def __enter__(self):
        from recommender import lexical

        self.saved = lexical.STOPWORDS, lexical.CONSTRAINT_WORDS
        lexical.STOPWORDS, lexical.CONSTRAINT_WORDS = frozenset(), re.compile(r"(?!)")

    def __exit__(self, *_):
        from recommender import lexical

        lexical.STOPWORDS, lexical.CONSTRAINT_WORDS = self.saved


def every_word(b: Bench, weight: float) -> list[list[str]]:
    with AllWords():
        return evaluate(b, lambda i: b.omnishop(i, weight))


def mean_ndcg(bench: Bench, ranked: list[list[str]], chosen: list[int]) -> float:
    return round(float(np.mean([ndcg(ranked[i], bench.queries[i]["judgements"]) for i in chosen])), 4)


def evaluate(bench: Bench, rank) -> list[list[str]]:
    return [rank(i) for i in range(len(bench.queries))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--index-root", type=Path, default=Path(tempfile.gettempdir()) / "omnishop-hybrid")
    parser.add_argument("--reuse", action="store_true", help="reuse an index with a full-text index under --index-root")
    parser.add_argument("--per-query", action="store_true", help="also print every query's nDCG@5")
    parser.add_argument("--latency", nargs=3, type=Path, metavar=("BEFORE", "AFTER", "AB"),
                        help="results files of benchmarks/recommender_search.py to summarise (see above)")
    parser.add_argument("--latency-rejected", type=Path,
                        help="an AB results file of a setting not chosen for its latency (kept as the evidence)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "hybrid_ranking.json")
    args = parser.parse_args()

    from index_artefact.encoder import load_encoder
    from recommender import lexical

    run = Run("hybrid_ranking", included=INCLUDED, excluded=EXCLUDED,
              description="BM25 (SQLite FTS5) fused with MiniLM inside the oracle filters: tuned on half of each "
                          "query set, reported on both halves",
              settings={"k": K, "split": "even-numbered queries tune, odd-numbered ones are held out",
                        "grid": {"weights": WEIGHTS, "column_weights": COLUMN_PRESETS, "match_budget": BUDGETS},
                        "rrf_k": RRF_K, "fts5_tokenizer": "porter unicode61 remove_diacritics 2"})
    encoder = MemoEncoder(load_encoder())
    benches = {name: Bench(name, build_or_reuse(name, args.index_root, args.reuse), encoder) for name in args.sets}
    parts = {name: halves(b.queries) for name, b in benches.items()}

    # -- the grid, on the tuning halves only -------------------------------------------------
    defaults = (lexical.COLUMN_WEIGHTS, lexical.MATCH_BUDGET)
    grid = []
    for (preset, columns), budget in itertools.product(COLUMN_PRESETS.items(), BUDGETS):
        lexical.COLUMN_WEIGHTS, lexical.MATCH_BUDGET = columns, budget
        for weight in WEIGHTS:
            per_set = {name: mean_ndcg(b, [b.omnishop(i, weight) if i in parts[name]["tuning"] else []
                                           for i in range(len(b.queries))], parts[name]["tuning"])
                       for name, b in benches.items()}
            grid.append({"column_weights": preset, "match_budget": budget, "weight": weight, "tuning": per_set,
                         "mean": round(float(np.mean(list(per_set.values()))), 4)})
            print(f"  {preset:<30} budget {budget:>10} w {weight:<5} " +
                  " ".join(f"{n} {v:.3f}" for n, v in per_set.items()) + f"  mean {grid[-1]['mean']:.3f}", flush=True)
    best = max((g for g in grid if g["match_budget"] <= AFFORDABLE_BUDGET), key=lambda g: (g["mean"], -g["weight"]))
    best_any = max(grid, key=lambda g: (g["mean"], -g["weight"]))
    print(f"best on the tuning halves within the budget: {best}\nbest at any budget: {best_any}")
    lexical.COLUMN_WEIGHTS, lexical.MATCH_BUDGET = defaults
    shipped = {"weight": lexical.LEXICAL_WEIGHT, "column_weights": list(lexical.COLUMN_WEIGHTS),
               "match_budget": lexical.MATCH_BUDGET}

    # -- every ranker with the shipped setting, on both halves ---------------------------------
    figures = {"k": K, "shipped": shipped, "best_on_tuning_halves": best, "best_at_any_budget": best_any,
               "affordable_budget": AFFORDABLE_BUDGET, "grid": grid, "sets": {}}
    for name, b in benches.items():
        scores = [b.lexical(i) for i in range(len(b.queries))]
        rankings = {
            "bm25+oracle (every word)": [b.bm25(i, b.lexical(i, every_word=True)) for i in range(len(b.queries))],
            "bm25+oracle (the hybrid's lexical half)": [b.bm25(i, scores[i]) for i in range(len(b.queries))],
            "minilm+oracle": evaluate(b, b.minilm),
            "omnishop+oracle (meaning only, before)": evaluate(b, lambda i: b.omnishop(i, 0.0)),
            "hybrid+oracle (after)": evaluate(b, lambda i: b.omnishop(i, lexical.LEXICAL_WEIGHT)),
            "alt: rrf(minilm, bm25), k=60": [b.standalone(i, "rrf", 0, scores[i]) for i in range(len(b.queries))],
            "alt: weighted sum(minilm, bm25), no soft preferences":
                [b.standalone(i, "sum", lexical.LEXICAL_WEIGHT, scores[i]) for i in range(len(b.queries))],
            "alt: hybrid matching every word (no stop words)": every_word(b, lexical.LEXICAL_WEIGHT),
        }
        table = {ranker: {part: mean_ndcg(b, ranked, chosen) for part, chosen in parts[name].items()}
                 for ranker, ranked in rankings.items()}
        print(f"\n{name}: {b.a.products} products, {len(b.queries)} queries "
              f"(tuning {len(parts[name]['tuning'])}, held out {len(parts[name]['held_out'])})")
        print(f"  {'ranker':<54} {'tuning':>7} {'held-out':>8} {'all':>7}")
        for ranker, row in table.items():
            print(f"  {ranker:<54} {row['tuning']:>7.3f} {row['held_out']:>8.3f} {row['all']:>7.3f}")
        per_query = [{"text": q["text"], "half": "tuning" if i % 2 == 0 else "held_out",
                      **{r: round(ndcg(rankings[r][i], q["judgements"]), 4) for r in rankings}}
                     for i, q in enumerate(b.queries)]
        if args.per_query:
            for row in per_query:
                print(f"    {row['text'][:40]:<40} " + " ".join(f"{row[r]:.2f}" for r in rankings))
        figures["sets"][name] = {"products": b.a.products, "queries": len(b.queries),
                                 "tuning_queries": len(parts[name]["tuning"]),
                                 "held_out_queries": len(parts[name]["held_out"]),
                                 "ndcg@5": table, "per_query": per_query}
    if args.latency:
        figures["latency"] = latency_summary(*args.latency)
    if args.latency_rejected:
        import json

        rejected = json.loads(args.latency_rejected.read_text())
        figures["latency_of_a_rejected_setting"] = {
            **rejected["lexical_ab"], "run": {k: rejected["meta"][k] for k in ("command", "started_utc", "load_average")}}
    run.write(figures, args.out)


if __name__ == "__main__":
    main()
