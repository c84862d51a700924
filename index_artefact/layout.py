"""The index artefact on disk: plain files that can always be rebuilt from the catalog.

    INDEX_DIR/
      builds/<build_id>/catalog.sqlite    products and variants (prices, stock), products' full-text index
                        embeddings.npy    float32 [n_products, dim], row = products.row
                        faiss.index       vector index over the same rows
                        vocabulary.json   brands, categories, colours, sizes, currency for the NLU
                        manifest.json     catalog hash, model name and hash, currency, counts, timings
      current -> builds/<build_id>        swapped atomically when a build completes

Servers open `current` and notice when it points elsewhere, so a new build goes live
without a restart and a half-written build is never seen.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from index_artefact import tables

CATALOG_DB = "catalog.sqlite"
EMBEDDINGS = "embeddings.npy"
FAISS_INDEX = "faiss.index"
VOCABULARY = "vocabulary.json"
MANIFEST = "manifest.json"
FORMAT_VERSION = 2  # 2: catalog.sqlite has the full-text index `product_text` (older builds still serve)


class IndexNotBuilt(FileNotFoundError):
    pass


def current_build(index_dir: Path) -> Path:
    """The directory of the live build (resolved, so callers can tell when it changes)."""
    link = index_dir / "current"
    if not link.exists():
        raise IndexNotBuilt(f"no index at {index_dir}; run: python -m catalog_index build --out {index_dir}")
    return link.resolve()


def read_manifest(build_dir: Path) -> dict:
    return json.loads((build_dir / MANIFEST).read_text())


def shop_currency(build_dir: Path) -> str:
    """The currency the build's catalog sells in, as its manifest records it (the index build
    writes it to `vocabulary.json` for the NLU too); for a build made before it was recorded,
    that of most of its variants; USD for an empty one. Read again when the build changes."""
    stamps = []
    for name in (MANIFEST, CATALOG_DB):
        try:
            stamps.append((build_dir / name).stat().st_mtime_ns)
        except FileNotFoundError:
            stamps.append(None)
    return _shop_currency(build_dir, tuple(stamps))


@lru_cache(maxsize=8)
def _shop_currency(build_dir: Path, _stamps: tuple) -> str:
    try:
        recorded = read_manifest(build_dir).get("currency")
    except FileNotFoundError:  # tables written without a manifest (tests)
        recorded = None
    if recorded:
        return recorded
    connection = tables.connect(build_dir / CATALOG_DB, read_only=True)
    try:
        return tables.shop_currency(connection) or "USD"
    finally:
        connection.close()


def write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True))
    os.replace(tmp, path)


def publish(index_dir: Path, build_dir: Path) -> None:
    """Point `current` at build_dir in one atomic rename."""
    tmp_link = index_dir / "current.tmp"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(build_dir.relative_to(index_dir))
    os.replace(tmp_link, index_dir / "current")
