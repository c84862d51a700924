"""The vector index of a build: which FAISS kind, and how the exact plan reads its vectors.

Small catalogs get an exact (flat, float32) index; from `hnsw_min_products` products up an
HNSW graph whose vectors are stored as float16 (`IndexHNSWSQ`, QT_fp16: 768 bytes a product
at 384 dimensions instead of 1,536). The recommender scores exact candidates from those
same float16 codes (`exact_vectors`), so the index is the only copy of the vectors it holds.
Index ids are product rows: vectors are added in row order.
"""
from __future__ import annotations

import numpy as np

HNSW_MIN_PRODUCTS = 50_000  # the default of OMNISHOP_HNSW_MIN_PRODUCTS (runtime/settings.py)
HNSW_M = 32  # graph neighbours per node (64 on the base layer): about 270 bytes per product
HNSW_EF_CONSTRUCTION = 80
KINDS = ("flat", "hnsw")


def index_kind(products: int, hnsw_min_products: int = HNSW_MIN_PRODUCTS) -> str:
    """The kind a catalog of this size gets: below the threshold an exact index is both
    faster to build and exact."""
    return "hnsw" if products >= hnsw_min_products else "flat"


def build_faiss(embeddings: np.ndarray, kind: str = "auto", progress: bool = False,
                hnsw_min_products: int = HNSW_MIN_PRODUCTS):
    """An exact ("flat") or HNSW index over `embeddings`; "auto" picks by `index_kind`."""
    import faiss

    if kind == "auto":
        kind = index_kind(len(embeddings), hnsw_min_products)
    if kind == "flat":
        index = faiss.IndexFlatIP(embeddings.shape[1])
    else:
        index = faiss.IndexHNSWSQ(embeddings.shape[1], faiss.ScalarQuantizer.QT_fp16, HNSW_M,
                                  faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.verbose = progress
        index.train(embeddings[:1])  # float16 needs no statistics; train only marks it ready
    index.add(embeddings)
    return index


def exact_vectors(index, embeddings: np.ndarray) -> np.ndarray:
    """The matrix the exact plan scores: the index's own float16 codes when it stores them
    that way (a view, no second copy in memory), else `embeddings`."""
    import faiss

    if not isinstance(index, faiss.IndexHNSW):
        return embeddings
    storage = faiss.downcast_index(index.storage)
    if not (isinstance(storage, faiss.IndexScalarQuantizer) and storage.sq.qtype == faiss.ScalarQuantizer.QT_fp16):
        return embeddings
    count, dim = storage.ntotal, storage.d
    codes = faiss.rev_swig_ptr(storage.codes.data(), count * dim * 2)
    return codes.view(np.float16).reshape(count, dim)
