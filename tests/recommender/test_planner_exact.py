"""The exact plan over more allowed rows than one scoring block, on a real float16 HNSW index
large enough for its codes to be moved onto huge pages: same answer as plain float32 maths,
with the native row scorer and with the torch path that stands in where it is not built."""
import numpy as np
import pytest

from index_artefact.vectors import build_faiss
from index_artefact.vectors import exact_vectors
from recommender import planner, row_scorer


@pytest.fixture(params=["native", "torch"])
def scorer(request, monkeypatch):
    monkeypatch.setenv("OMNISHOP_ROW_SCORER", request.param)
    row_scorer.native.cache_clear()
    if request.param == "native" and row_scorer.native() is None:
        pytest.fail("the native row scorer is not built here; `python -m recommender.row_scorer build`")
    yield request.param
    row_scorer.native.cache_clear()


def test_exact_plan_over_many_blocks_matches_brute_force(scorer):
    rng = np.random.default_rng(3)
    embeddings = rng.standard_normal((10_000, 256)).astype(np.float32)
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    index = build_faiss(embeddings, "hnsw")
    vectors = exact_vectors(index, embeddings)
    assert vectors.dtype == np.float16 and np.allclose(vectors, embeddings, atol=1e-3)  # content intact

    mask = rng.random(len(embeddings)) < 0.7  # ~7,000 allowed: several blocks of EXACT_BLOCK_ROWS
    assert np.count_nonzero(mask) > 3 * planner.EXACT_BLOCK_ROWS
    query = embeddings[0]
    rows, scores = planner.filtered_search(index, vectors, mask, query, 50, plan="exact")

    allowed = np.flatnonzero(mask)
    expected_scores = vectors[allowed].astype(np.float32) @ query
    expected = allowed[np.argsort(-expected_scores, kind="stable")[:50]]
    assert rows.tolist() == expected.tolist()
    assert np.allclose(scores, np.sort(expected_scores)[::-1][:50], atol=1e-5)
