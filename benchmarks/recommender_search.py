"""Filtered semantic search at 100k and 1M products: recall, latency, memory, build time.

    nice -n 5 python benchmarks/recommender_search.py [--products 100000 1000000] [--queries 200]

Synthetic catalogs: normalised 384-d float32 vectors drawn around a two-level hierarchy of
cluster centres (topics and sub-topics, like product embeddings), so approximate search is
as hard as on real data, not trivially easy. Each product has a filter column whose values
are uniform in [0, 10000); a query in the p% bucket allows the products whose shifted value
falls in a window of p% (the shift differs per query, so each query has its own candidates).

Per bucket (100% down to 0.01%) it calls the recommender's real planner
(`recommender.planner.filtered_search`, the code `Recommender.search` runs) on the real
index (`index_artefact.vectors.build_faiss`) and reports recall@10 against exact float32
filtered search, latency p50/p99 and which plan ran. Also: index build time, bytes per
product (index file, which holds the only copy of the vectors, plus the filter column) and
the resident-memory growth from loading it, and the MiniLM query encoder's throughput.
These planner figures time the planner alone: the query vectors are precomputed and the
masks come from one synthetic filter column. Each bucket first runs --warmup queries of its
own (other masks, other vectors) untimed; only the --queries after them are timed.

Two measurements of the whole search path come on top:

* serving (--serving-products): `Recommender.search` on a real artefact (demo-generator
  catalog in the real SQLite tables, synthetic vectors) with fixed constraints; the query
  vector is given, so encoding is not in it;
* end to end (--e2e-products): shopper texts parsed by the real constraint parser, then
  `Recommender.search` with the real MiniLM encoder: parsing, query encoding, masks over
  every variant, planner, soft preferences and cards. `--e2e-vectors minilm` (default)
  builds the catalog with `python -m catalog_index build`, embedding every product;
  `--e2e-vectors synthetic` keeps the real tables but uses synthetic product vectors, the
  only way to a million products in reasonable time on two cores:

      nice -n 5 python benchmarks/recommender_search.py --products --serving-products 0 \
          --e2e-products 1000000 --e2e-vectors synthetic --out benchmarks/results/recommender_search_e2e_1m.json

Built indexes are cached under var/bench/ (the 1M HNSW build takes minutes on two cores).
`--plans exact graph` times each plan alone (used to choose EXACT_SEARCH_MAX_CANDIDATES).
Prints a table and writes JSON with benchmarks/report.py's meta (what the timings include).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.report import Run  # noqa: E402
from index_artefact.vectors import HNSW_EF_CONSTRUCTION, HNSW_M, build_faiss, exact_vectors  # noqa: E402
from recommender import planner, row_scorer  # noqa: E402
from recommender.engine import candidate_pool  # noqa: E402

FILTER_VALUES = 10_000
TOPICS, SUBTOPICS_PER_TOPIC = 200, 50
PLANS = {"auto": None, "exact": "exact", "graph": "graph"}
SHOPPER_TEXTS = [
    "waterproof hiking boots for men", "red running shoes under 100", "rain jacket with a hood",
    "something warm for winter walks", "kids sandals size 2", "black leather ankle boots",
    "lightweight trail runners with good grip", "a summer hat for the beach",
]


def rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def catalog_vectors(count: int, dim: int, seed: int, cache: Path) -> np.ndarray:
    """The synthetic catalog's vectors, generated once and kept under `cache` (memory-mapped)."""
    path = cache / f"vectors-n{count}-d{dim}-s{seed}.npy"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, clustered_vectors(count, dim, seed))
    return np.load(path, mmap_mode="r")


def clustered_vectors(count: int, dim: int, seed: int, rng_offset: int = 0) -> np.ndarray:
    """Unit vectors around topic + sub-topic centres (the same centres for any count/offset)."""
    centres = np.random.default_rng(seed)
    topics = centres.normal(size=(TOPICS, dim)).astype(np.float32)
    subtopics = centres.normal(size=(TOPICS, SUBTOPICS_PER_TOPIC, dim)).astype(np.float32)
    rng = np.random.default_rng(seed + 1 + rng_offset)
    out = np.empty((count, dim), dtype=np.float32)
    for start in range(0, count, 100_000):
        n = min(100_000, count - start)
        topic = rng.integers(0, TOPICS, n)
        sub = rng.integers(0, SUBTOPICS_PER_TOPIC, n)
        chunk = topics[topic] + 0.8 * subtopics[topic, sub] + 0.7 * rng.normal(size=(n, dim)).astype(np.float32)
        out[start:start + n] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    return out


def cached_index(count: int, dim: int, seed: int, vectors: np.ndarray, cache: Path) -> tuple[Path, float]:
    """The real build's index for these vectors, built once and kept under `cache`."""
    import faiss

    path = cache / f"hnsw-n{count}-d{dim}-s{seed}-M{HNSW_M}-efc{HNSW_EF_CONSTRUCTION}.faiss"
    meta = path.with_suffix(".json")
    if not path.exists():
        started = time.perf_counter()
        index = build_faiss(vectors, kind="hnsw")
        seconds = time.perf_counter() - started
        cache.mkdir(parents=True, exist_ok=True)
        faiss.write_index(index, str(path))
        meta.write_text(json.dumps({"build_seconds": seconds}))
        del index
    return path, json.loads(meta.read_text())["build_seconds"]


def exact_top(vectors: np.ndarray, mask: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    """Ground truth: exact float32 inner products over the allowed rows."""
    rows = np.flatnonzero(mask)
    scores = (vectors @ query)[rows] if len(rows) > len(mask) // 4 else vectors[rows] @ query
    return rows[np.argsort(-scores)[:k]]


def bucket_masks(values: np.ndarray, fraction: float, queries: int, rng: np.random.Generator):
    width = max(1, round(fraction * FILTER_VALUES))
    for shift in rng.integers(0, FILTER_VALUES, queries):
        yield ((values + shift) % FILTER_VALUES) < width


def run_catalog(count: int, args) -> dict:
    import faiss

    vectors = catalog_vectors(count, args.dim, args.seed, args.cache)
    index_path, build_seconds = cached_index(count, args.dim, args.seed, vectors, args.cache)
    vectors = np.ascontiguousarray(vectors)  # ground truth reads them all, many times
    before = rss_bytes()
    index = faiss.read_index(str(index_path))
    exact = exact_vectors(index, vectors)
    values = np.random.default_rng(args.seed + 7).integers(0, FILTER_VALUES, count).astype(np.uint16)
    loaded_rss = rss_bytes() - before
    # Warm-up queries are their own: the first `warmup` query vectors and masks are run untimed
    # and never timed again; the `queries` after them are timed and scored for recall.
    queries = clustered_vectors(args.warmup + args.queries, args.dim, args.seed, rng_offset=10**6)
    want = candidate_pool(args.k)
    entry = {
        "products": count, "build_seconds": round(build_seconds, 1),
        "index_bytes_per_product": round(index_path.stat().st_size / count, 1),
        "filter_bytes_per_product": values.itemsize,
        "exact_vectors_share_index": bool(exact.base is not None and exact.dtype == np.float16),
        "exact_scorer": "native" if row_scorer.native() else "torch (OMNISHOP_ROW_SCORER=torch or not built)",
        "rss_delta_bytes_per_product": round(loaded_rss / count, 1),
        "buckets": [],
    }
    entry["bytes_per_product"] = entry["index_bytes_per_product"] + entry["filter_bytes_per_product"]
    for fraction in args.buckets:
        masks = list(bucket_masks(values, fraction, args.warmup + args.queries, np.random.default_rng(args.seed + 11)))
        warm = list(zip(masks[:args.warmup], queries[:args.warmup]))
        timed = list(zip(masks[args.warmup:], queries[args.warmup:]))
        truth = [exact_top(vectors, m, q, args.k) for m, q in timed]
        for plan in args.plans:
            for m, q in warm:
                planner.filtered_search(index, exact, m, q, want, plan=PLANS[plan])
            seconds, recalls, graph_runs, fallbacks = [], [], 0, 0
            for (m, q), t in zip(timed, truth):
                started = time.perf_counter()
                rows, _ = planner.filtered_search(index, exact, m, q, want, plan=PLANS[plan])
                seconds.append(time.perf_counter() - started)
                recalls.append(len(set(rows[:args.k].tolist()) & set(t.tolist())) / len(t) if len(t) else float(not len(rows)))
                if (PLANS[plan] or planner.choose_plan(int(np.count_nonzero(m)), count)) == "graph":
                    graph_runs += 1
                    fallbacks += planner.graph_search(index, m, q, min(want, int(np.count_nonzero(m)))) is None
            ms = np.array(seconds) * 1000
            entry["buckets"].append({
                "selectivity": fraction, "plan": plan, "candidates": int(np.mean([np.count_nonzero(m) for m, _ in timed])),
                "queries": len(timed),
                "recall_at_10": round(float(np.mean(recalls)), 4), "recall_min": round(float(np.min(recalls)), 2),
                "p50_ms": round(float(np.percentile(ms, 50)), 3), "p99_ms": round(float(np.percentile(ms, 99)), 3),
                "graph_searches": graph_runs, "exact_fallbacks": fallbacks,
            })
            print_bucket(count, entry["buckets"][-1], flush=True)
    return entry


def print_bucket(count: int, b: dict, flush: bool = False) -> None:
    print(f"{count:>9,} {b['selectivity'] * 100:>8.2f}% {b['plan']:>6} {b['candidates']:>10,} {b['recall_at_10']:>7.3f}"
          f" {b['p50_ms']:>8.2f} {b['p99_ms']:>8.2f} {b['graph_searches']:>6} {b['exact_fallbacks']:>9}", flush=flush)


class SyntheticEncoder:
    """Stands in for MiniLM in the serving measurement: query vectors from the same clusters."""

    def __init__(self, dim: int, seed: int, pool: int = 256):
        self.vectors, self.calls = clustered_vectors(pool, dim, seed, rng_offset=2 * 10**6), 0

    def encode(self, texts, **_):
        self.calls += 1
        return np.roll(self.vectors, -self.calls, axis=0)[:len(texts)]


SERVING_QUERIES = {
    "no filter": {},
    "category": {"category": "shoes"},
    "category+size+price": {"category": "running shoes", "size": {"value": "10", "system": None},
                            "price": {"min": None, "max": 120, "currency": "USD"}},
    "gender+colour+rating": {"gender": "women", "color": ["black"], "rating_min": 4.5},
}
# What shoppers type, parsed by the real constraint parser in the end-to-end mode: no filter,
# one category, and progressively narrower combinations (demo-generator vocabulary).
E2E_QUERIES = [
    "something comfortable for everyday wear",
    "a gift for someone who likes the outdoors",
    "shoes",
    "backpacks",
    "rain jackets for women",
    "men's running shoes under $120 in size 10",
    "black hoodies in size M",
    "women's hiking boots rated 4.5 stars or more",
    "kids sandals under 40 dollars",
    "waterproof jacket in blue under 200",
    "sunglasses over 100 dollars",
    "trail running shoes for women size 8",
]


def synthetic_artefact(products: int, args) -> Path:
    """An index directory with a demo-generator catalog in the real SQLite tables and the real
    HNSW build over synthetic clustered vectors (no MiniLM embedding: minutes, not hours, at 1M)."""
    import faiss

    from catalog_index import database
    from catalog_index.build import load_catalog
    from data.demo_catalog.generate_feed import generate
    from index_artefact import layout as artefact
    from index_artefact import tables

    index_dir = args.cache / f"serving-{products}-M{HNSW_M}"
    if not (index_dir / "current").exists():
        build_dir = index_dir / "builds" / "synthetic"
        build_dir.mkdir(parents=True, exist_ok=True)
        generate(index_dir / "feed.tsv", products=products)
        connection = database.connect(build_dir / artefact.CATALOG_DB)
        load_catalog(index_dir / "feed.tsv", "gmc", connection, progress=False)
        artefact.write_json(build_dir / artefact.VOCABULARY, database.vocabulary(connection))
        database.index_product_text(connection)  # the full-text index, as the index build writes it
        connection.commit()
        connection.close()
        vectors = clustered_vectors(products, args.dim, args.seed + 2)
        np.save(build_dir / artefact.EMBEDDINGS, vectors)
        faiss.write_index(build_faiss(vectors, kind="hnsw"), str(build_dir / artefact.FAISS_INDEX))
        artefact.publish(index_dir, build_dir)
    build_dir = index_dir / "current"
    if not (build_dir / artefact.VOCABULARY).exists():  # cached before the end-to-end mode needed it
        connection = database.connect(build_dir / artefact.CATALOG_DB)
        artefact.write_json(build_dir / artefact.VOCABULARY, database.vocabulary(connection))
        connection.close()
    connection = database.connect(build_dir / artefact.CATALOG_DB)
    if not tables.has_text_index(connection):  # cached before builds had the full-text index
        database.index_product_text(connection)
        connection.commit()
    connection.close()
    return index_dir


def minilm_artefact(products: int, args) -> Path:
    """An index directory built exactly as `make index` builds one (the catalog CLI: load,
    MiniLM embedding of every product, FAISS), from a demo-generator feed of `products`."""
    index_dir = args.cache / f"e2e-minilm-{products}"
    if not (index_dir / "current").exists():
        env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
        index_dir.mkdir(parents=True, exist_ok=True)
        feed = index_dir / "feed.tsv"
        subprocess.run([sys.executable, "-m", "data.demo_catalog.generate_feed", "--out", str(feed), "--products", str(products)],
                       cwd=REPO, env=env, check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "catalog_index", "build", "--catalog", str(feed), "--out", str(index_dir),
                        "--no-progress"], cwd=REPO, env=env, check=True)
    return index_dir


def column_bytes(arrays) -> int:
    return sum(value.nbytes for value in vars(arrays).values() if isinstance(value, np.ndarray) and value.base is None)


def serving_path(products: int, args) -> dict:
    """The whole serving path on a real artefact: a demo-generator catalog in the real SQLite
    tables, the real HNSW build over synthetic vectors, the real LiveCatalog and
    Recommender.search (masks, planner, soft preferences, cards read from SQLite)."""
    from recommender.engine import Recommender
    from recommender.live_catalog import LiveCatalog
    from recommender.query import SearchQuery

    index_dir = synthetic_artefact(products, args)
    catalog = LiveCatalog(index_dir)
    a = catalog.arrays()
    recommender = Recommender(catalog, SyntheticEncoder(args.dim, args.seed))
    entry = {"products": a.products, "variants": len(a.variant_rows),
             "column_bytes_per_product": round(column_bytes(a) / a.products, 1),
             "index_bytes_per_product": round((index_dir / "current" / "faiss.index").stat().st_size / a.products, 1),
             "queries": {}}
    for name, constraints in SERVING_QUERIES.items():
        query = SearchQuery.from_constraints(constraints, text="synthetic")
        for _ in range(args.warmup):
            recommender.search(query, k=args.k)
        seconds, cpu_seconds = [], []
        for _ in range(min(args.queries, 100)):
            started, cpu_started = time.perf_counter(), time.process_time()
            result = recommender.search(query, k=args.k)
            seconds.append(time.perf_counter() - started)
            cpu_seconds.append(time.process_time() - cpu_started)
        ms = np.array(seconds) * 1000
        entry["queries"][name] = {"allowed": result.total_matching, "p50_ms": round(float(np.percentile(ms, 50)), 2),
                                  "p95_ms": round(float(np.percentile(ms, 95)), 2),
                                  "p99_ms": round(float(np.percentile(ms, 99)), 2), **cpu_figures(cpu_seconds)}
    return entry


def cpu_figures(cpu_seconds: list[float]) -> dict:
    """The CPU time this process spent per search (all its threads): on a shared machine the
    wall-clock figures also hold the time spent waiting for a core, this does not."""
    ms = np.array(cpu_seconds) * 1000
    return {"cpu_p50_ms": round(float(np.percentile(ms, 50)), 2), "cpu_p95_ms": round(float(np.percentile(ms, 95)), 2)}


def end_to_end(products: int, args) -> dict:
    """From the shopper's text to the page of cards, as the action server does it: the real
    constraint parser with the build's vocabulary, `Recommender.search` with the real MiniLM
    encoder (query encoding, masks over every variant, planner, soft preferences, cards)."""
    from nlu.constraints import extract_constraints
    from nlu.vocabulary import CatalogVocabulary
    from recommender.engine import Recommender
    from recommender.query import SearchQuery

    index_dir = (minilm_artefact if args.e2e_vectors == "minilm" else synthetic_artefact)(products, args)
    recommender = Recommender.from_index(index_dir, query_encoder())
    a = recommender.catalog.arrays()
    vocabulary = CatalogVocabulary.from_json(index_dir / "current" / "vocabulary.json")

    def one(text: str):
        query = SearchQuery.from_constraints(extract_constraints(text, vocabulary).constraints, text)
        return query, recommender.search(query, k=args.k)

    for text in E2E_QUERIES:  # one untimed round: encoder, native scorer and SQLite pages warm
        one(text)
    rounds = max(1, args.e2e_rounds)
    per_query, everything, cpu_everything = {}, [], []
    for text in E2E_QUERIES:
        seconds, mask_seconds, cpu_seconds = [], [], []
        for _ in range(rounds):
            started, cpu_started = time.perf_counter(), time.process_time()
            query, result = one(text)
            seconds.append(time.perf_counter() - started)
            cpu_seconds.append(time.process_time() - cpu_started)
            started = time.perf_counter()
            pmask, _ = recommender.candidate_mask(a, query)
            mask_seconds.append(time.perf_counter() - started)
        ms = np.array(seconds) * 1000
        everything.extend(ms.tolist())
        cpu_everything.extend(cpu_seconds)
        allowed = int(np.count_nonzero(pmask))
        per_query[text] = {
            "constraints": query.to_contract(), "allowed": allowed, "shown": len(result.products),
            "plan": planner.choose_plan(allowed, a.products),
            "p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2),
            "p99_ms": round(float(np.percentile(ms, 99)), 2),
            "mask_p50_ms": round(float(np.percentile(np.array(mask_seconds) * 1000, 50)), 2),
            **cpu_figures(cpu_seconds),
        }
    everything = np.array(everything)
    return {"products": a.products, "variants": len(a.variant_rows), "vectors": args.e2e_vectors, "rounds": rounds,
            "p50_ms": round(float(np.percentile(everything, 50)), 2),
            "p95_ms": round(float(np.percentile(everything, 95)), 2),
            "p99_ms": round(float(np.percentile(everything, 99)), 2), **cpu_figures(cpu_everything),
            "queries": per_query}


def lexical_ab(products: int, args) -> dict:
    """The end-to-end searches with lexical ranking off (meaning only, as before it existed) and
    on, alternating query by query in one process on one artefact, so both see the same load:
    what BM25 costs a search. Each text's query vector is encoded once (the same for both, and
    a fixed cost lexical ranking does not change), so the times are Recommender.search's own:
    masks, planner, BM25, soft preferences, cards. Lexical scores are not cached between rounds."""
    from nlu.constraints import extract_constraints
    from nlu.vocabulary import CatalogVocabulary
    from recommender import lexical
    from recommender.engine import Recommender
    from recommender.query import SearchQuery

    class EncodedOnce:
        def __init__(self, encoder):
            self.encoder, self.vectors = encoder, {}

        def encode(self, texts, **options):
            for text in texts:
                if text not in self.vectors:
                    self.vectors[text] = self.encoder.encode([text], **options)[0]
            return np.stack([self.vectors[text] for text in texts])

    lexical.LexicalIndex.CACHE = 0
    index_dir = (minilm_artefact if args.e2e_vectors == "minilm" else synthetic_artefact)(products, args)
    encoder = EncodedOnce(query_encoder())
    modes = {"meaning_only": Recommender.from_index(index_dir, encoder, lexical_weight=0.0),
             "hybrid": Recommender.from_index(index_dir, encoder)}
    vocabulary = CatalogVocabulary.from_json(index_dir / "current" / "vocabulary.json")
    queries = [SearchQuery.from_constraints(extract_constraints(text, vocabulary).constraints, text)
               for text in E2E_QUERIES]
    for recommender in modes.values():  # one untimed round each
        for query in queries:
            recommender.search(query, k=args.k)
    wall = {mode: [] for mode in modes}
    cpu = {mode: [] for mode in modes}
    for round_ in range(max(1, args.e2e_rounds)):
        for query in queries:
            order = list(modes) if round_ % 2 == 0 else list(reversed(modes))
            for mode in order:
                started, cpu_started = time.perf_counter(), time.process_time()
                modes[mode].search(query, k=args.k)
                wall[mode].append(time.perf_counter() - started)
                cpu[mode].append(time.process_time() - cpu_started)
    figures = {}
    for mode in modes:
        ms = np.array(wall[mode]) * 1000
        figures[mode] = {"searches": len(ms), "p50_ms": round(float(np.percentile(ms, 50)), 2),
                         "p95_ms": round(float(np.percentile(ms, 95)), 2), **cpu_figures(cpu[mode])}
    figures["ratio_hybrid_to_meaning_only"] = {
        key: round(figures["hybrid"][key] / figures["meaning_only"][key], 3)
        for key in ("p50_ms", "p95_ms", "cpu_p50_ms", "cpu_p95_ms")}
    figures.update(products=products, vectors=args.e2e_vectors, rounds=args.e2e_rounds,
                   lexical={"weight": lexical.LEXICAL_WEIGHT, "match_budget": lexical.MATCH_BUDGET})
    return figures


def torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def query_encoder():
    """The MiniLM encoder the action server loads (pinned weights, hash-checked, offline)."""
    from index_artefact.encoder import load_encoder

    return load_encoder()


def encoder_throughput(texts_per_run: int) -> dict:
    from index_artefact.encoder import encode

    encoder = query_encoder()
    texts = [SHOPPER_TEXTS[i % len(SHOPPER_TEXTS)] + f" {i}" for i in range(texts_per_run)]
    encode(encoder, texts[:32])  # warm-up
    result = {}
    for batch in (1, 32):
        started = time.perf_counter()
        for i in range(0, len(texts), batch):
            encode(encoder, texts[i:i + batch], batch_size=batch)
        result[f"batch_{batch}_texts_per_s"] = round(len(texts) / (time.perf_counter() - started), 1)
    return result


PLANNER_INCLUDED = [
    "catalogs: recommender.planner.filtered_search only (plan choice, exact or bitmap-filtered HNSW search, "
    "the retry and the exact fallback) on the real index build, one call per timed query",
]
PLANNER_EXCLUDED = [
    "catalogs: query encoding (query vectors are synthetic and precomputed)",
    "catalogs: building masks from shopper constraints (one synthetic uniform filter column; masks precomputed)",
    "catalogs: soft-preference reranking and product cards",
    "catalogs: the --warmup queries per bucket (their own masks and vectors, run first, never timed)",
    "catalogs: the exact float32 ground truth and the plan/fallback bookkeeping (outside the timer)",
]
SERVING_INCLUDED = [
    "serving: Recommender.search on a real artefact (demo-generator catalog in SQLite, real LiveCatalog): masks "
    "from fixed constraints over the real variant columns, planner, soft preferences, cards read from SQLite",
]
SERVING_EXCLUDED = [
    "serving: query encoding (a stand-in encoder returns precomputed synthetic vectors)",
    "serving: parsing text into constraints (fixed constraint dicts)",
    "serving: --warmup untimed searches per query first; the catalog's vectors are synthetic",
]
E2E_INCLUDED = [
    "end_to_end: from shopper text to cards: nlu.constraints.extract_constraints with the build's vocabulary, "
    "SearchQuery, Recommender.search with the real MiniLM encoder (query encoding on the CPU), masks over every "
    "variant, planner, soft preferences, cards from SQLite",
]
E2E_EXCLUDED = [
    "end_to_end: Rasa (intent classification, dialogue policies), HTTP and the action-server hop "
    "(see turn_latency)",
    "end_to_end: one untimed round over all queries first",
]
E2E_SYNTHETIC = ("end_to_end: --e2e-vectors synthetic: the catalog's vectors are synthetic, not MiniLM embeddings "
                 "of the products, so graph traversal with real query vectors is not representative of a real catalog")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--buckets", type=float, nargs="+", default=[1.0, 0.1, 0.01, 0.001, 0.0001],
                        help="fractions of products a query allows")
    parser.add_argument("--queries", type=int, default=200, help="timed queries per bucket")
    parser.add_argument("--warmup", type=int, default=20,
                        help="untimed queries per bucket first (their own masks and vectors, never timed)")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plans", nargs="+", choices=sorted(PLANS), default=["auto"],
                        help="auto: the planner's choice; exact/graph: force one plan")
    parser.add_argument("--ef-search", type=int, default=planner.HNSW_EF_SEARCH)
    parser.add_argument("--serving-products", type=int, default=20_000,
                        help="size of the real-artefact serving measurement (0 skips it)")
    parser.add_argument("--e2e-products", type=int, default=0,
                        help="end-to-end search (text -> parsed constraints -> real encoder -> Recommender.search) "
                             "on a demo-generator catalog of this many products (0 skips it)")
    parser.add_argument("--e2e-vectors", choices=("minilm", "synthetic"), default="minilm",
                        help="minilm: build the catalog as `make index` does (embeds every product with MiniLM: "
                             "slow, see catalog_build); synthetic: real tables, synthetic product vectors (for 1M)")
    parser.add_argument("--e2e-rounds", type=int, default=20, help="timed rounds over the end-to-end queries")
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="torch.set_num_threads for query encoding (0: torch's default, as the action server runs)")
    parser.add_argument("--encoder-texts", type=int, default=320, help="0 skips the encoder throughput")
    parser.add_argument("--lexical-ab", action="store_true",
                        help="with --e2e-products: also time the end-to-end searches with lexical ranking off and "
                             "on, alternating in this process (what BM25 adds to a search)")
    parser.add_argument("--no-lexical-cache", action="store_true",
                        help="score every search's words afresh (the end-to-end rounds repeat each text, which "
                             "recommender.lexical's cache of recent queries would otherwise answer)")
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "recommender_search.json")
    args = parser.parse_args()
    planner.HNSW_EF_SEARCH = args.ef_search
    if args.no_lexical_cache:
        try:
            from recommender.lexical import LexicalIndex
            LexicalIndex.CACHE = 0
        except ImportError:  # a tree from before lexical ranking
            pass
    if args.torch_threads:
        import torch

        torch.set_num_threads(args.torch_threads)
    included, excluded, parts = [], [], []
    settings = {"k": args.k, "candidate_pool": candidate_pool(args.k), "ef_search": planner.HNSW_EF_SEARCH,
                "exact_max": planner.EXACT_SEARCH_MAX_CANDIDATES, "graph_min_fraction": planner.GRAPH_MIN_FRACTION,
                "hnsw_m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION, "dim": args.dim,
                "exact_scorer": "native" if row_scorer.native() else "torch"}
    if args.products:
        included += PLANNER_INCLUDED
        excluded += PLANNER_EXCLUDED
        parts.append(f"the planner alone at {', '.join(f'{n:,}' for n in args.products)} products (recall@10 and "
                     "latency per filter selectivity)")
        settings.update({"products": args.products, "queries": args.queries, "warmup_queries": args.warmup,
                         "buckets": args.buckets, "plans": args.plans})
    if args.serving_products:
        included += SERVING_INCLUDED
        excluded += SERVING_EXCLUDED
        parts.append(f"Recommender.search on a {args.serving_products:,}-product artefact, query vector given")
        settings.update({"serving_products": args.serving_products, "serving_warmup": args.warmup})
    if args.e2e_products:
        included += E2E_INCLUDED
        excluded += E2E_EXCLUDED + ([E2E_SYNTHETIC] if args.e2e_vectors == "synthetic" else [])
        parts.append(f"end-to-end search from shopper text at {args.e2e_products:,} products "
                     f"({args.e2e_vectors} product vectors)")
        if args.lexical_ab:
            included.append("lexical_ab: the end-to-end queries' Recommender.search (constraints parsed and query "
                            "vectors encoded once, outside the timer) with lexical ranking off and on, alternating per "
                            "query in one process")
        settings.update({"e2e_products": args.e2e_products, "e2e_vectors": args.e2e_vectors,
                         "e2e_rounds": args.e2e_rounds, "e2e_queries": len(E2E_QUERIES),
                         "torch_threads": torch_threads()})
    if args.encoder_texts:
        included.append("encoder: MiniLM encode() throughput at batch 1 and 32 (real encoder, after one warm-up batch)")
        parts.append("MiniLM query-encoding throughput")
        settings.update({"encoder_texts": args.encoder_texts, "torch_threads": torch_threads()})
    run = Run("recommender_search", included=included, excluded=excluded, settings=settings,
              description="Filtered semantic search: " + "; ".join(parts) + ".")

    print(f"{'products':>9} {'bucket':>9} {'plan':>6} {'allowed':>10} {'recall':>7} {'p50 ms':>8} {'p99 ms':>8}"
          f" {'graph':>6} {'fallbacks':>9}")
    catalogs = [run_catalog(count, args) for count in args.products]
    for c in catalogs:
        print(f"{c['products']:,} products: {c['bytes_per_product']:.0f} bytes/product (index "
              f"{c['index_bytes_per_product']:.0f} incl. float16 vectors, filter column {c['filter_bytes_per_product']}); "
              f"RSS growth on load {c['rss_delta_bytes_per_product']:.0f} bytes/product; build {c['build_seconds']:.0f} s")
    serving = serving_path(args.serving_products, args) if args.serving_products else {}
    if serving:
        print(f"serving path, {serving['products']:,} demo-generator products ({serving['variants']:,} variants): "
              f"filter columns {serving['column_bytes_per_product']:.0f} + index {serving['index_bytes_per_product']:.0f}"
              f" bytes/product; Recommender.search (k={args.k}, query vector given):")
        for name, q in serving["queries"].items():
            print(f"  {name:<22} allowed {q['allowed']:>7,}  p50 {q['p50_ms']:.2f} ms  p99 {q['p99_ms']:.2f} ms")
    e2e = end_to_end(args.e2e_products, args) if args.e2e_products else {}
    ab = lexical_ab(args.e2e_products, args) if args.e2e_products and args.lexical_ab else {}
    if ab:
        print(f"lexical ranking off/on, alternating: p50 {ab['meaning_only']['p50_ms']}/{ab['hybrid']['p50_ms']} ms, "
              f"p95 {ab['meaning_only']['p95_ms']}/{ab['hybrid']['p95_ms']} ms, CPU p50 "
              f"{ab['meaning_only']['cpu_p50_ms']}/{ab['hybrid']['cpu_p50_ms']} ms; ratios {ab['ratio_hybrid_to_meaning_only']}")
    if e2e:
        print(f"end to end, {e2e['products']:,} products ({e2e['variants']:,} variants, {e2e['vectors']} vectors): "
              f"text -> constraints -> MiniLM -> Recommender.search, p50 {e2e['p50_ms']:.2f} ms, p99 {e2e['p99_ms']:.2f} ms")
        for text, q in e2e["queries"].items():
            print(f"  {text[:44]:<44} allowed {q['allowed']:>8,} {q['plan']:>5}  p50 {q['p50_ms']:>7.2f} ms  "
                  f"p99 {q['p99_ms']:>7.2f} ms  masks p50 {q['mask_p50_ms']:.2f} ms")
    encoding = encoder_throughput(args.encoder_texts) if args.encoder_texts else {}
    if encoding:
        print(f"MiniLM query encoding: {encoding['batch_1_texts_per_s']:.0f} texts/s at batch 1, "
              f"{encoding['batch_32_texts_per_s']:.0f} texts/s at batch 32")
    run.write({"catalogs": catalogs, "serving": serving, "end_to_end": e2e, **({"lexical_ab": ab} if ab else {}),
               "encoder": encoding,
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}, args.out)


if __name__ == "__main__":
    main()
