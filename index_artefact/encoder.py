"""The embedding model of an index, loaded by path on the CPU, never from a hub.

The catalog builder embeds products with it and the recommender embeds shoppers' queries
with it; `model_files` says which weights and checks them first.
"""
from __future__ import annotations

from functools import lru_cache

from index_artefact.model_files import resolve_model


@lru_cache(maxsize=2)
def load_encoder(model_path: str | None = None, expected_sha256: str | None = None):
    """A SentenceTransformer on the CPU, loaded from its checked local directory only."""
    from sentence_transformers import SentenceTransformer

    path, _ = resolve_model(model_path, expected_sha256)
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def encode(encoder, texts: list[str], batch_size: int = 64, show_progress: bool = False):
    """Unit-length float32 vectors, so inner product is cosine similarity."""
    return encoder.encode(
        texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
        show_progress_bar=show_progress,
    ).astype("float32")
