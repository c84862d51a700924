"""Filtered nearest neighbours: the best-scoring products among those a mask allows.

The mask (every hard constraint already applied) decides the plan:

* few candidates (at most EXACT_SEARCH_MAX_CANDIDATES, or under GRAPH_MIN_FRACTION of the
  catalog): score them all exactly (the native row scorer, else torch); exact, and cheaper
  than walking a graph that has to skip almost every node;
* many candidates: search the HNSW graph with the mask as a packed bitmap
  (`faiss.IDSelectorBitmap`, one bit test per visited node), so only allowed products
  can be returned.

A filtered graph search can come back short (padded with -1) when the allowed products
are poorly connected; the exact plan then runs instead, so the result is only shorter
than `want` when fewer products are allowed. Both plans return the same thing: product
rows and their inner products with the query, best first.

At scale the index stores vectors as float16 (`IndexHNSWSQ`, QT_fp16) and the exact plan
reads the same float16 codes (`index_artefact.vectors.exact_vectors`), so one copy of the
vectors serves both.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from recommender import row_scorer

# Chosen from benchmarks/recommender_search.py at 100k and 1M products (figures in
# benchmarks/results/recommender_search*.json, summarised in docs/benchmarks.md): up to this
# many candidates the exact plan is fast enough and always exact; a graph search that may skip
# more than (1 - GRAPH_MIN_FRACTION) of the nodes comes back short or misses too often, so
# below that fraction the exact plan runs whatever the count; efSearch 256 was cheaper than
# 512 but lost recall at 3-5% selectivity.
EXACT_SEARCH_MAX_CANDIDATES = 5_000  # the default of OMNISHOP_EXACT_MAX_CANDIDATES (runtime/settings.py)
GRAPH_MIN_FRACTION = 0.015
HNSW_EF_SEARCH = 512
GRAPH_RETRY_FACTOR = 4
EXACT_BLOCK_ROWS = 2048
SHORTLIST_FACTOR = 4


def _best(rows: np.ndarray, scores: np.ndarray, want: int) -> tuple[np.ndarray, np.ndarray]:
    if len(rows) > want:
        top = np.argpartition(-scores, want - 1)[:want]
        rows, scores = rows[top], scores[top]
    order = np.argsort(-scores, kind="stable")
    return rows[order], scores[order]


@lru_cache(maxsize=1)
def single_threaded_torch():
    """torch, single-threaded, for everything a search does in this process: exact scoring
    and query encoding. On a shared two-core machine a second thread waits for the other
    processes holding the cores, and one short text gains nothing from it (search p50 and
    p99 with one thread and with two: benchmarks/results/recommender_search_e2e_*.json)."""
    import torch

    torch.set_num_threads(1)
    return torch


def exact_search(vectors: np.ndarray, rows: np.ndarray, vector: np.ndarray, want: int) -> tuple[np.ndarray, np.ndarray]:
    """Score every given row; keep the best `want`.

    float16 vectors go to the native row scorer (`recommender.row_scorer`) when it is built:
    float32 scores of the float16 codes, with no gathered copy of the rows. Without it torch
    gathers the rows EXACT_BLOCK_ROWS at a time (the block stays in cache instead of
    page-faulting one matrix of every allowed row) and scores them in float16, since widening
    the gathered rows to float32 cost about as much as scoring them. Those scores only pick a
    shortlist of SHORTLIST_FACTOR x `want` rows, which is rescored in float32, so the order
    returned is the same as the native scorer's (tests/recommender/test_planner_exact.py).
    numpy's fancy indexing gathers far slower than torch, and FAISS scanning its own codes
    with an `IDSelectorBitmap` visits every product however few are allowed."""
    scorer = row_scorer.native()
    if scorer and vectors.dtype == np.float16 and vectors.flags.c_contiguous:
        return _best(rows, scorer.row_dots(vectors, rows, vector), want)
    torch = single_threaded_torch()
    matrix, query, ids = torch.from_numpy(vectors), torch.from_numpy(vector), torch.from_numpy(rows)
    half = matrix.dtype == torch.float16
    probe = query.half() if half else query
    scores = torch.cat([torch.mv(matrix.index_select(0, ids[start:start + EXACT_BLOCK_ROWS]), probe)
                        for start in range(0, len(rows), EXACT_BLOCK_ROWS)])
    if not half:
        return _best(rows, scores.numpy(), want)
    shortlist = torch.topk(scores.float(), min(len(rows), want * SHORTLIST_FACTOR)).indices
    rescored = torch.mv(matrix.index_select(0, ids[shortlist]).float(), query)
    return _best(rows[shortlist.numpy()], rescored.numpy(), want)


def graph_search(index, mask: np.ndarray, vector: np.ndarray, want: int) -> tuple[np.ndarray, np.ndarray] | None:
    """FAISS restricted to the mask; None when it could not fill `want` results.

    A short answer is retried once with a GRAPH_RETRY_FACTOR times wider beam before giving
    up: far cheaper than scoring tens of thousands of candidates exactly."""
    import faiss

    bitmap = np.packbits(mask, bitorder="little")
    selector = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bitmap))
    beams = [max(HNSW_EF_SEARCH, want)]
    beams.append(beams[0] * GRAPH_RETRY_FACTOR)
    for ef in beams if isinstance(index, faiss.IndexHNSW) else [None]:
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=ef) if ef else faiss.SearchParameters(sel=selector)
        scores, ids = index.search(vector[None, :], want, params=params)
        if ids[0][-1] >= 0:
            return ids[0], scores[0]
    return None


def choose_plan(allowed: int, total: int, exact_max_candidates: int = EXACT_SEARCH_MAX_CANDIDATES) -> str:
    """"graph" for many candidates that are a fair share of the catalog, else "exact"."""
    if allowed > exact_max_candidates and allowed >= GRAPH_MIN_FRACTION * total:
        return "graph"
    return "exact"


def filtered_search(index, vectors: np.ndarray, mask: np.ndarray, vector: np.ndarray, want: int,
                    plan: str | None = None,
                    exact_max_candidates: int = EXACT_SEARCH_MAX_CANDIDATES) -> tuple[np.ndarray, np.ndarray]:
    """The best `want` allowed rows (fewer only when fewer are allowed) and their scores.

    `plan` forces "exact" or "graph" (benchmarks and tests); by default `choose_plan` decides."""
    allowed = int(np.count_nonzero(mask))
    want = min(want, allowed)
    if want == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    if (plan or choose_plan(allowed, len(mask), exact_max_candidates)) == "graph":
        found = graph_search(index, mask, vector, want)
        if found is not None:
            return found
    scorer = row_scorer.native()
    rows = scorer.mask_rows(mask) if scorer else np.flatnonzero(mask)
    return exact_search(vectors, rows, vector, want)
