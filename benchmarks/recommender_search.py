"""Filtered semantic search at 100k and 1M products: recall, latency, memory, build time.

    nice -n 5 python benchmarks/recommender_search.py [--products 100000 1000000] [--queries 200]

Synthetic catalogs: normalised 384-d float32 vectors drawn around a two-level hierarchy of
cluster centres (topics and sub-topics, like product embeddings), so approximate search is
as hard as on real data, not trivially easy. Each product has a filter column whose values
are uniform in [0, 10000); a query in the p% bucket allows the products whose shifted value
falls in a window of p% (the shift differs per query, so each query has its own candidates).

Per bucket (100% down to 0.01%) it calls the recommender's real planner
(`recommender.planner.filtered_search`, the code `Recommender.search` runs) on the real
index (`catalog_index.build.build_faiss`) and reports recall@10 against exact float32
filtered search, latency p50/p99 and which plan ran. Also: index build time, bytes per
product (index file, which holds the only copy of the vectors, plus the filter column) and
the resident-memory growth from loading it, and the MiniLM query encoder's throughput.

Built indexes are cached under var/bench/ (the 1M HNSW build takes minutes on two cores).
`--plans exact graph` times each plan alone (used to choose EXACT_SEARCH_MAX_CANDIDATES).
Prints a table and writes JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from catalog_index.build import HNSW_EF_CONSTRUCTION, HNSW_M, build_faiss  # noqa: E402
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
    exact = planner.exact_vectors(index, vectors)
    values = np.random.default_rng(args.seed + 7).integers(0, FILTER_VALUES, count).astype(np.uint16)
    loaded_rss = rss_bytes() - before
    queries = clustered_vectors(args.queries, args.dim, args.seed, rng_offset=10**6)
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
        masks = list(bucket_masks(values, fraction, args.queries, np.random.default_rng(args.seed + 11)))
        truth = [exact_top(vectors, m, q, args.k) for m, q in zip(masks, queries)]
        for plan in args.plans:
            for m, q in list(zip(masks, queries))[:args.warmup]:
                planner.filtered_search(index, exact, m, q, want, plan=PLANS[plan])
            seconds, recalls, graph_runs, fallbacks = [], [], 0, 0
            for m, q, t in zip(masks, queries, truth):
                started = time.perf_counter()
                rows, _ = planner.filtered_search(index, exact, m, q, want, plan=PLANS[plan])
                seconds.append(time.perf_counter() - started)
                recalls.append(len(set(rows[:args.k].tolist()) & set(t.tolist())) / len(t) if len(t) else float(not len(rows)))
                if (PLANS[plan] or planner.choose_plan(int(np.count_nonzero(m)), count)) == "graph":
                    graph_runs += 1
                    fallbacks += planner.graph_search(index, m, q, min(want, int(np.count_nonzero(m)))) is None
            ms = np.array(seconds) * 1000
            entry["buckets"].append({
                "selectivity": fraction, "plan": plan, "candidates": int(np.mean([np.count_nonzero(m) for m in masks])),
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


def serving_path(products: int, args) -> dict:
    """The whole serving path on a real artefact: a demo-generator catalog in the real SQLite
    tables, the real HNSW build over synthetic vectors, the real LiveCatalog and
    Recommender.search (masks, planner, soft preferences, cards read from SQLite)."""
    import faiss

    from catalog_index import artefact, database
    from catalog_index.build import load_catalog
    from catalog_index.demo_feed import generate
    from recommender.engine import Recommender
    from recommender.live_catalog import LiveCatalog
    from recommender.query import SearchQuery

    index_dir = args.cache / f"serving-{products}-M{HNSW_M}"
    if not (index_dir / "current").exists():
        build_dir = index_dir / "builds" / "synthetic"
        build_dir.mkdir(parents=True, exist_ok=True)
        generate(index_dir / "feed.tsv", products=products)
        connection = database.connect(build_dir / artefact.CATALOG_DB)
        load_catalog(index_dir / "feed.tsv", "gmc", connection, progress=False)
        connection.close()
        vectors = clustered_vectors(products, args.dim, args.seed + 2)
        np.save(build_dir / artefact.EMBEDDINGS, vectors)
        faiss.write_index(build_faiss(vectors, kind="hnsw"), str(build_dir / artefact.FAISS_INDEX))
        artefact.publish(index_dir, build_dir)
    catalog = LiveCatalog(index_dir)
    a = catalog.arrays()
    columns = sum(value.nbytes for value in vars(a).values() if isinstance(value, np.ndarray) and value.base is None)
    recommender = Recommender(catalog, SyntheticEncoder(args.dim, args.seed))
    entry = {"products": a.products, "variants": len(a.variant_rows),
             "column_bytes_per_product": round(columns / a.products, 1),
             "index_bytes_per_product": round((index_dir / "current" / artefact.FAISS_INDEX).stat().st_size / a.products, 1),
             "queries": {}}
    for name, constraints in SERVING_QUERIES.items():
        query = SearchQuery.from_constraints(constraints, text="synthetic")
        for _ in range(args.warmup):
            recommender.search(query, k=args.k)
        seconds = []
        for _ in range(min(args.queries, 100)):
            started = time.perf_counter()
            result = recommender.search(query, k=args.k)
            seconds.append(time.perf_counter() - started)
        ms = np.array(seconds) * 1000
        entry["queries"][name] = {"allowed": result.total_matching, "p50_ms": round(float(np.percentile(ms, 50)), 2),
                                  "p99_ms": round(float(np.percentile(ms, 99)), 2)}
    return entry


def encoder_throughput(texts_per_run: int) -> dict:
    from recommender.encoder import encode, load_encoder

    encoder = load_encoder()
    texts = [SHOPPER_TEXTS[i % len(SHOPPER_TEXTS)] + f" {i}" for i in range(texts_per_run)]
    encode(encoder, texts[:32])  # warm-up
    result = {}
    for batch in (1, 32):
        started = time.perf_counter()
        for i in range(0, len(texts), batch):
            encode(encoder, texts[i:i + batch], batch_size=batch)
        result[f"batch_{batch}_texts_per_s"] = round(len(texts) / (time.perf_counter() - started), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--buckets", type=float, nargs="+", default=[1.0, 0.1, 0.01, 0.001, 0.0001],
                        help="fractions of products a query allows")
    parser.add_argument("--queries", type=int, default=200, help="timed queries per bucket")
    parser.add_argument("--warmup", type=int, default=20, help="untimed queries per bucket first")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plans", nargs="+", choices=sorted(PLANS), default=["auto"],
                        help="auto: the planner's choice; exact/graph: force one plan")
    parser.add_argument("--ef-search", type=int, default=planner.HNSW_EF_SEARCH)
    parser.add_argument("--serving-products", type=int, default=20_000,
                        help="size of the real-artefact serving measurement (0 skips it)")
    parser.add_argument("--encoder-texts", type=int, default=320, help="0 skips the encoder throughput")
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "recommender_search.json")
    args = parser.parse_args()
    planner.HNSW_EF_SEARCH = args.ef_search

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
    encoding = encoder_throughput(args.encoder_texts) if args.encoder_texts else {}
    if encoding:
        print(f"MiniLM query encoding: {encoding['batch_1_texts_per_s']:.0f} texts/s at batch 1, "
              f"{encoding['batch_32_texts_per_s']:.0f} texts/s at batch 32")
    result = {
        "settings": {"k": args.k, "candidate_pool": candidate_pool(args.k), "queries": args.queries,
                     "ef_search": planner.HNSW_EF_SEARCH, "exact_max": planner.EXACT_SEARCH_MAX_CANDIDATES,
                     "graph_min_fraction": planner.GRAPH_MIN_FRACTION,
                     "hnsw_m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION, "dim": args.dim},
        "machine": {"cpus": os.cpu_count(), "load_average_at_end": os.getloadavg(), "python": platform.python_version(),
                    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)},
        "catalogs": catalogs, "serving": serving, "encoder": encoding,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
