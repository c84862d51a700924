"""The index build's embedding stage: plain float32 sentence-transformers against the product
encoder and the other candidates, on the same product texts, in one run.

    python benchmarks/embedding_throughput.py [--rounds 3] [--sample 256] [--out FILE]

Texts: what the build embeds for each product (`catalog_index.database.product_texts`) of the
demo catalog and of every real catalog under data/real_catalogs/ (long real descriptions).

Candidates (each embeds every text; queries are always short):

* fp32: plain sentence-transformers (torch, float32), max_seq_length 256, batch 64: the
  baseline, and what the build used before (sentence-transformers sorts a call's texts by
  length in characters itself, so "unsorted" input is batched by length anyway);
* fp32-128: the same cut at 128 word pieces (shorter texts only);
* torch-int8: torch's dynamic int8 quantization of the Linear layers (torch.ao, deprecated);
* int8-256, int8-128 (the build's product encoder), int8-64: the int8 ONNX Runtime model of
  `index_artefact.encoder` cut at 256, 128 and 64 word pieces, one text a run;
* int8-128-b64: the same model in runs of 64 texts batched by length. Its vectors differ from
  int8-128's only because int8 activations are scaled per run, so the gap between the two
  rows' relevance is what a perturbation of that size does: the noise floor of the figures.

Speed: `--rounds` interleaved rounds; in each, every candidate embeds the same seeded sample of
`--sample` texts of every catalog, the candidates' order rotated from round to round, so
machine noise hits all alike. Reported: median texts/s, the median over rounds of the speed-up
against fp32 in the same round, and texts per CPU second (process time: steadier on a shared
machine, though torch's waiting threads spin and count as CPU time, ONNX Runtime's are told
not to). Relevance: every candidate embeds every catalog in full once (also timed), then

* demo: nDCG@5 and @10 of the vector ranking (cosine, no filters) on the 65 graded queries
  of benchmarks/relevance/queries.yml (rules as in benchmarks/recommender_relevance.py);
* real catalogs: nDCG@5 of the vector ranking without and with the oracle constraints on the
  hand-judged queries of benchmarks/relevance/real/ (as benchmarks/real_catalog_relevance.py);
* every catalog: agreement of the top 10 with fp32's for 300 product titles used as queries
  plus the judged queries, and the cosine of each product's vector to its fp32 vector;
* through the recommender, fp32 and the chosen encoder only: `Recommender.search` over a
  real build of the catalog holding each one's vectors (demo: omnishop and omnishop+filters,
  nDCG@10; real catalogs: omnishop+oracle, nDCG@5).

Queries are embedded by the float32 query encoder, as the recommender serves; for the int8
candidates also by the candidate itself ("own queries"). Relevance is measured first, then
speed. Writes JSON with report.py's meta.
"""
from __future__ import annotations

import argparse
import copy
import math
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.report import Run, load_average  # noqa: E402

BASELINE = "fp32"
CHOSEN = "int8-128"
NEIGHBOUR_QUERIES = 300
INCLUDED = [
    "encoding only: tokenisation, the model, pooling, normalising, for lists of product texts as the build makes them",
    "relevance of each candidate's product vectors: nDCG on graded queries, top-10 agreement with fp32, cosine to fp32",
]
EXCLUDED = [
    "reading the feed, FAISS, publishing (the rest of a build: benchmarks/catalog_build.py)",
    "loading the models and deriving the int8 file (once per model, recorded in a build's manifest as seconds.encoder)",
]


def catalogs() -> dict[str, Path]:
    found = {"demo": REPO / "data" / "demo_catalog" / "merchant_feed.tsv"}
    found.update({feed.parent.name: feed for feed in sorted((REPO / "data" / "real_catalogs").glob("*/merchant_feed.tsv"))})
    return found


def load_tables(feed: Path, index_dir: Path) -> list[str]:
    """Write the catalog's tables where the relevance helpers read them (INDEX/current/) and
    return the product texts in row order."""
    from catalog_index import database
    from catalog_index.build import load_catalog
    from catalog_index.readers import detect_format

    build = index_dir / "current"
    build.mkdir(parents=True)
    connection = database.connect(build / "catalog.sqlite")
    load_catalog(feed, detect_format(feed), connection, progress=False)
    texts = [text for _, text in database.product_texts(connection)]
    connection.close()
    return texts


def candidates(cache: Path) -> dict[str, tuple[str, object]]:
    """name -> (what it is, encoder)."""
    import torch
    from sentence_transformers import SentenceTransformer

    from index_artefact.encoder import INT8_FILE, OnnxInt8Encoder, ensure_int8_model
    from index_artefact.model_files import resolve_model

    path, weights_sha = resolve_model(None, None)

    def plain(max_tokens: int):
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        model.max_seq_length = max_tokens
        return model

    quantized = plain(256)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quantized[0].model = torch.ao.quantization.quantize_dynamic(copy.deepcopy(quantized[0].model),
                                                                    {torch.nn.Linear}, dtype=torch.qint8)
    int8 = ensure_int8_model(path, weights_sha, cache) / INT8_FILE

    def onnx(max_tokens: int, texts_per_run: int = 1):
        return OnnxInt8Encoder(int8, path / "tokenizer.json", max_tokens, {"kind": "onnx-int8"}, texts_per_run)

    return {
        "fp32": ("sentence-transformers float32, max_seq_length 256, batch 64 (baseline)", plain(256)),
        "fp32-128": ("sentence-transformers float32, max_seq_length 128", plain(128)),
        "torch-int8": ("torch dynamic int8 (Linear layers), max_seq_length 256", quantized),
        "int8-256": ("ONNX Runtime int8 (index_artefact.encoder), 256 word pieces", onnx(256)),
        "int8-128": ("ONNX Runtime int8, 128 word pieces, one text a run: the build's product encoder", onnx(128)),
        "int8-64": ("ONNX Runtime int8, 64 word pieces", onnx(64)),
        "int8-128-b64": ("ONNX Runtime int8, 128 word pieces, runs of 64 texts batched by length", onnx(128, 64)),
    }


def timed(encoder, texts: list[str]) -> tuple[np.ndarray, float, float]:
    from index_artefact.encoder import encode

    started, cpu = time.perf_counter(), time.process_time()
    vectors = encode(encoder, texts, batch_size=64)
    return vectors, time.perf_counter() - started, time.process_time() - cpu


# -- relevance -----------------------------------------------------------------------------
def ndcg_at(ranked_grades: list[int], all_grades: list[int], k: int) -> float:
    def dcg(grades):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(all_grades, reverse=True))
    return dcg(ranked_grades) / ideal if ideal else 0.0


def top(vectors: np.ndarray, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[int]:
    scores = vectors @ query
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    order = np.argsort(-scores, kind="stable")[:k]
    return [int(i) for i in order if np.isfinite(scores[i])]


def demo_relevance(index_dir: Path, vectors: np.ndarray, query_vectors: dict[str, np.ndarray]) -> dict:
    from benchmarks.recommender_relevance import grade, load_products

    products = load_products(index_dir / "current")
    queries = yaml.safe_load((REPO / "benchmarks" / "relevance" / "queries.yml").read_text())["queries"]
    scores = {5: [], 10: []}
    for query in queries:
        grades = [grade(p, query) for p in products]
        ranked = top(vectors, query_vectors[query["text"]], 10)
        for k in scores:
            scores[k].append(ndcg_at([grades[r] for r in ranked], grades, k))
    return {f"ndcg@{k}": round(float(np.mean(v)), 4) for k, v in scores.items()} | {"queries": len(queries)}


def real_relevance(vectors: np.ndarray, query_vectors: dict[str, np.ndarray], judged: tuple) -> dict:
    from benchmarks.real_catalog_relevance import K, ndcg

    catalog, queries, masks = judged
    ids = [p.id for p in catalog.products]
    plain, oracle = [], []
    for q in queries:
        plain.append(ndcg([ids[r] for r in top(vectors, query_vectors[q["text"]], K)], q["judgements"]))
        oracle.append(ndcg([ids[r] for r in top(vectors, query_vectors[q["text"]], K, masks[q["text"]])],
                           q["judgements"]))
    return {"minilm ndcg@5": round(float(np.mean(plain)), 4), "minilm+oracle ndcg@5": round(float(np.mean(oracle)), 4),
            "queries": len(queries)}


def judged_queries(name: str, index_dir: Path):
    from benchmarks.real_catalog_relevance import JUDGEMENTS, allowed_mask, load_catalog, load_queries

    if not (JUDGEMENTS / f"{name}.yml").exists():
        return None
    _, queries = load_queries(name)
    catalog = load_catalog(name, index_dir)
    return catalog, queries, {q["text"]: allowed_mask(catalog, q["constraints"]) for q in queries}


def through_the_recommender(corpus: str, feed: Path, corpus_texts: list[str], work: Path,
                            vectors_by_name: dict[str, np.ndarray]) -> dict:
    """The ranking a shopper gets: `Recommender.search` over a real build of the catalog whose
    vectors are each candidate's (demo: the constraints the NLU parser reads from the query,
    nDCG@10 as benchmarks/recommender_relevance.py; real catalogs: the oracle constraints,
    nDCG@5 as benchmarks/real_catalog_relevance.py); queries by the float32 query encoder."""
    import faiss

    from catalog_index import database
    from catalog_index.build import build_index
    from index_artefact import layout
    from index_artefact.encoder import load_encoder
    from index_artefact.vectors import build_faiss
    from recommender.engine import Recommender
    from recommender.query import SearchQuery

    source = build_index(feed, work / f"{corpus}-built", progress=False, model_cache=REPO / "var" / "encoders").build_dir
    connection = database.connect(source / layout.CATALOG_DB)
    assert [text for _, text in database.product_texts(connection)] == corpus_texts, "rows differ from the build's"
    connection.close()
    results = {}
    for name, vectors in vectors_by_name.items():
        index_dir = work / f"{corpus}-{name}"
        target = index_dir / "builds" / source.name
        shutil.copytree(source, target)
        np.save(target / layout.EMBEDDINGS, vectors)
        faiss.write_index(build_faiss(vectors, layout.read_manifest(target)["index_kind"]), str(target / layout.FAISS_INDEX))
        layout.publish(index_dir, target)
        recommender = Recommender.from_index(index_dir, load_encoder())
        if corpus == "demo":
            from benchmarks.recommender_relevance import grade, load_products
            from nlu.constraints import extract_constraints
            from nlu.vocabulary import CatalogVocabulary

            products = load_products(target)
            row_of = {p["group_id"]: p["row"] for p in products}
            vocabulary = CatalogVocabulary.from_json(target / layout.VOCABULARY)
            queries = yaml.safe_load((REPO / "benchmarks" / "relevance" / "queries.yml").read_text())["queries"]
            scores = {"omnishop": [], "omnishop+filters": []}
            for query in queries:
                grades = [grade(p, query) for p in products]
                for ranker, q in (("omnishop", SearchQuery(text=query["text"])),
                                  ("omnishop+filters", SearchQuery.from_constraints(
                                      extract_constraints(query["text"], vocabulary).constraints, query["text"]))):
                    ranked = [row_of[card["group_id"]] for card in recommender.search(q, 10).products]
                    scores[ranker].append(ndcg_at([grades[r] for r in ranked], grades, 10))
            results[name] = {f"{ranker} ndcg@10": round(float(np.mean(v)), 4) for ranker, v in scores.items()}
        else:
            from benchmarks.real_catalog_relevance import K, evaluate_ranker, load_catalog, load_queries, summarise

            if not judged_queries(corpus, index_dir):
                continue
            _, queries = load_queries(corpus)
            catalog = load_catalog(corpus, index_dir)
            rank = lambda text, c={q["text"]: q["constraints"] for q in queries}: [  # noqa: E731
                card["group_id"] for card in recommender.search(SearchQuery.from_constraints(c[text], text), K).products]
            summary = summarise(evaluate_ranker(catalog, queries, rank))["all"]
            results[name] = {"omnishop+oracle ndcg@5": summary["ndcg@5"], "violation_share": summary["violation_share"]}
    return results


def agreement(base: np.ndarray, other: np.ndarray, base_queries: np.ndarray, other_queries: np.ndarray) -> float:
    k = 10
    shared = [len(set(top(base, q, k)) & set(top(other, p, k))) / k for q, p in zip(base_queries, other_queries)]
    return round(float(np.mean(shared)), 4)


def token_lengths(texts: list[str]) -> dict:
    from tokenizers import Tokenizer

    from index_artefact.model_files import resolve_model

    tokenizer = Tokenizer.from_file(str(resolve_model(None, None)[0] / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    lengths = np.array([len(e.ids) for e in tokenizer.encode_batch(texts)])
    return {"mean": round(float(lengths.mean()), 1), "p50": int(np.median(lengths)),
            "p90": int(np.percentile(lengths, 90)), "max": int(lengths.max()),
            "share_over_64": round(float((lengths > 64).mean()), 3),
            "share_over_128": round(float((lengths > 128).mean()), 3),
            "share_over_256": round(float((lengths > 256).mean()), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved speed rounds")
    parser.add_argument("--sample", type=int, default=256, help="texts of each catalog a speed round embeds")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--limit", type=int, help="embed only this many products of each catalog "
                        "(a quick try: no graded relevance)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "embedding_throughput.json")
    args = parser.parse_args()
    import torch

    from catalog_index import database
    from index_artefact.encoder import encode, load_encoder

    run = Run("embedding_throughput", included=INCLUDED, excluded=EXCLUDED,
              description="product embedding: float32 sentence-transformers against int8 ONNX Runtime and shorter texts",
              settings={"rounds": args.rounds, "sample": args.sample, "seed": args.seed, "batch_size": 64,
                        "torch_threads": torch.get_num_threads(), "baseline": BASELINE, "chosen": CHOSEN,
                        "neighbour_queries": NEIGHBOUR_QUERIES, "limit": args.limit})
    rng = np.random.default_rng(args.seed)
    work = Path(tempfile.mkdtemp(prefix="omnishop-embedding-"))
    feeds = catalogs()
    texts = {name: load_tables(feed, work / name)[:args.limit] for name, feed in feeds.items()}
    encoders = candidates(REPO / "var" / "encoders")
    names = list(encoders)
    query_encoder = load_encoder()
    samples = {c: [texts[c][i] for i in sorted(rng.permutation(len(texts[c]))[:args.sample])] for c in texts}
    for encoder in encoders.values():  # warm up: first-call allocations and lazy imports
        encode(encoder[1], samples["demo"][:64])

    # -- relevance: every catalog in full, once per candidate ------------------------------
    vectors, full_pass = {c: {} for c in texts}, {c: {} for c in texts}
    for corpus, corpus_texts in texts.items():
        for name in names:
            vectors[corpus][name], wall, cpu = timed(encoders[name][1], corpus_texts)
            full_pass[corpus][name] = {"texts": len(corpus_texts), "texts_per_s": round(len(corpus_texts) / wall, 1),
                                       "texts_per_cpu_s": round(len(corpus_texts) / cpu, 1)}
        print(f"{corpus}: embedded {len(corpus_texts)} texts with every candidate", flush=True)
    relevance = {}
    for corpus in texts:
        index_dir = work / corpus
        judged = judged_queries(corpus, index_dir) if corpus != "demo" and not args.limit else None
        if corpus == "demo":
            judged_texts = [q["text"] for q in yaml.safe_load((REPO / "benchmarks" / "relevance" / "queries.yml")
                                                                .read_text())["queries"]]
        else:
            judged_texts = [q["text"] for q in judged[1]] if judged else []
        titles = [r[0] for r in database.connect(index_dir / "current" / "catalog.sqlite").execute(
            "SELECT title FROM products ORDER BY row")]
        chosen_titles = [titles[i] for i in rng.permutation(len(titles))[:NEIGHBOUR_QUERIES]]
        query_texts = list(dict.fromkeys(judged_texts + chosen_titles))
        served = dict(zip(query_texts, encode(query_encoder, query_texts)))
        base = vectors[corpus][BASELINE]
        rows = {}
        for name in names:
            mine = vectors[corpus][name]
            own = dict(zip(query_texts, encode(encoders[name][1], query_texts))) if name.startswith("int8") else None
            cosine = np.sum(base * mine, axis=1)
            row = {"cosine_to_fp32": {"mean": round(float(cosine.mean()), 4), "min": round(float(cosine.min()), 4)},
                   "top10_agreement": agreement(base, mine, np.stack([served[q] for q in query_texts]),
                                                np.stack([served[q] for q in query_texts]))}
            if own:
                row["top10_agreement_own_queries"] = agreement(base, mine, np.stack([served[q] for q in query_texts]),
                                                               np.stack([own[q] for q in query_texts]))
            if args.limit:  # the graded queries are judged over the whole catalog
                pass
            elif corpus == "demo":
                row["graded"] = demo_relevance(index_dir, mine, served)
                if own:
                    row["graded_own_queries"] = demo_relevance(index_dir, mine, own)
            elif judged:
                row["graded"] = real_relevance(mine, served, judged)
                if own:
                    row["graded_own_queries"] = real_relevance(mine, own, judged)
            rows[name] = row
        relevance[corpus] = {"neighbour_queries": len(query_texts), "candidates": rows}
        if not args.limit:
            relevance[corpus]["through_the_recommender"] = through_the_recommender(
                corpus, feeds[corpus], texts[corpus], work, {n: vectors[corpus][n] for n in (BASELINE, CHOSEN)})
        print(f"{corpus}: relevance measured", flush=True)

    # -- speed: interleaved rounds on the samples ------------------------------------------
    rounds: dict[str, dict[str, list[dict]]] = {c: {n: [] for n in names} for c in texts}
    for r in range(args.rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        load = load_average()[0]
        for corpus, sample in samples.items():
            for name in order:
                _, wall, cpu = timed(encoders[name][1], sample)
                rounds[corpus][name].append({"seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
                                             "load_average_at_start": load})
        print(f"round {r + 1}/{args.rounds}: " + ", ".join(
            f"{c} {n} {len(samples[c]) / rounds[c][n][-1]['seconds']:.1f}/s" for c in samples for n in (BASELINE, CHOSEN)),
            flush=True)
    throughput = {}
    for corpus, by_name in rounds.items():
        n = len(samples[corpus])
        throughput[corpus] = {name: {
            "texts": n,
            "texts_per_s": round(statistics.median(n / x["seconds"] for x in runs), 1),
            "speedup_vs_fp32": round(statistics.median(b["seconds"] / x["seconds"]
                                                       for b, x in zip(by_name[BASELINE], runs)), 2),
            "speedups_by_round": [round(b["seconds"] / x["seconds"], 2) for b, x in zip(by_name[BASELINE], runs)],
            "texts_per_cpu_s": round(statistics.median(n / x["cpu_seconds"] for x in runs), 1),
            "rounds": runs} for name, runs in by_name.items()}

    print(f"\n{'catalog':<12} {'candidate':<11} {'texts/s':>8} {'speed-up':>8} {'/cpu-s':>7} {'cos mean':>8} "
          f"{'top10':>6} {'nDCG':>6}")
    for corpus in texts:
        for name in names:
            t, rel = throughput[corpus][name], relevance[corpus]["candidates"][name]
            graded = rel.get("graded", {})
            score = graded.get("ndcg@5", graded.get("minilm ndcg@5"))
            print(f"{corpus:<12} {name:<11} {t['texts_per_s']:>8} {t['speedup_vs_fp32']:>7}x {t['texts_per_cpu_s']:>7} "
                  f"{rel['cosine_to_fp32']['mean']:>8} {rel['top10_agreement']:>6} "
                  f"{'-' if score is None else f'{score:.3f}':>6}")
    shutil.rmtree(work, ignore_errors=True)
    run.write({
        "candidates": {name: {"description": description, "chosen": name == CHOSEN}
                       for name, (description, _) in encoders.items()},
        "catalogs": {c: {"feed": str(feeds[c].relative_to(REPO)), "products": len(texts[c]),
                         "tokens": token_lengths(texts[c])} for c in texts},
        "throughput": throughput,
        "full_pass": full_pass,
        "relevance": relevance,
    }, args.out)


if __name__ == "__main__":
    main()
