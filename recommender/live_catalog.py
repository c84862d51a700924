"""The live index build, held in memory as flat arrays for fast filtering.

Filters run as numpy masks over variants (price, size, colour, stock) and products
(category, brand, gender, rating). The catalog reloads itself when `current` points to a
new build or when `catalog_index update` has changed prices or stock in place.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catalog_index import artefact, database

log = logging.getLogger(__name__)


def _codes(values: list[str | None]) -> tuple[np.ndarray, dict[str, int]]:
    """Encode strings as small ints (-1 for missing) with the lookup table."""
    table: dict[str, int] = {}
    codes = np.empty(len(values), dtype=np.int32)
    for i, value in enumerate(values):
        codes[i] = -1 if value is None else table.setdefault(value, len(table))
    return codes, table


@dataclass
class CatalogArrays:
    build_dir: Path
    stamp: tuple[float, float]  # modification times of the tables and of the vectors
    # products (index = products.row = embedding row)
    group_ids: list[str]
    titles_lower: list[str]
    product_rows: list[dict]
    gender: np.ndarray
    gender_codes: dict[str, int]
    brand: np.ndarray
    brand_codes: dict[str, int]  # lower-cased brand -> code
    category_path: np.ndarray
    category_codes: dict[str, list[int]]  # every lower-cased path level -> path codes
    rating: np.ndarray
    review_count: np.ndarray
    removed: np.ndarray
    # variants, sorted by product row; variant_start[p]:variant_start[p+1] are product p's
    variant_rows: list[dict]
    variant_product: np.ndarray
    variant_start: np.ndarray
    price: np.ndarray  # effective price
    currency: np.ndarray
    currency_codes: dict[str, int]
    in_stock: np.ndarray
    color: np.ndarray
    color_codes: dict[str, int]
    size: np.ndarray
    size_codes: dict[str, int]
    size_system: list[str | None]
    variant_index_by_id: dict[str, int]
    embeddings: np.ndarray
    faiss_index: object


def _stamp(build_dir: Path) -> tuple[float, float]:
    return ((build_dir / artefact.CATALOG_DB).stat().st_mtime, (build_dir / artefact.EMBEDDINGS).stat().st_mtime)


def load_arrays(build_dir: Path, embeddings: np.ndarray | None = None, faiss_index=None) -> CatalogArrays:
    db_path = build_dir / artefact.CATALOG_DB
    connection = database.connect(db_path, read_only=True)
    products = [dict(r) for r in connection.execute("SELECT * FROM products ORDER BY row")]
    variants = [dict(r) for r in connection.execute("SELECT * FROM variants ORDER BY product_row, line")]
    connection.close()
    if embeddings is None:
        import faiss

        embeddings = np.load(build_dir / artefact.EMBEDDINGS, mmap_mode="r")
        faiss_index = faiss.read_index(str(build_dir / artefact.FAISS_INDEX))

    gender, gender_codes = _codes([p["gender"] for p in products])
    brand, brand_codes = _codes([p["brand"].lower() for p in products])
    category_path, path_codes = _codes([p["product_type"].lower() for p in products])
    category_codes: dict[str, list[int]] = {}
    for path, code in path_codes.items():
        for level in path.split(" > "):
            category_codes.setdefault(level.strip(), []).append(code)
    variant_product = np.array([v["product_row"] for v in variants], dtype=np.int64)
    price = np.array([v["sale_price"] if v["sale_price"] is not None else v["price"] for v in variants])
    quantity = np.array([-1 if v["quantity"] is None else v["quantity"] for v in variants])
    availability = np.array([v["availability"] != "out_of_stock" for v in variants], dtype=bool)
    currency, currency_codes = _codes([v["currency"] for v in variants])
    color, color_codes = _codes([v["color"] for v in variants])
    size, size_codes = _codes([v["size"] for v in variants])
    return CatalogArrays(
        build_dir=build_dir,
        stamp=_stamp(build_dir),
        group_ids=[p["group_id"] for p in products],
        titles_lower=[p["title"].lower() for p in products],
        product_rows=products,
        gender=gender, gender_codes=gender_codes,
        brand=brand, brand_codes=brand_codes,
        category_path=category_path, category_codes=category_codes,
        rating=np.array([p["rating"] if p["rating"] is not None else np.nan for p in products]),
        review_count=np.array([p["review_count"] or 0 for p in products]),
        removed=np.array([bool(p["removed"]) for p in products], dtype=bool),
        variant_rows=variants,
        variant_product=variant_product,
        variant_start=np.searchsorted(variant_product, np.arange(len(products) + 1)),
        price=price,
        currency=currency, currency_codes=currency_codes,
        in_stock=availability & (quantity != 0),
        color=color, color_codes=color_codes,
        size=size, size_codes=size_codes,
        size_system=[v["size_system"] for v in variants],
        variant_index_by_id={v["id"]: i for i, v in enumerate(variants)},
        embeddings=embeddings,
        faiss_index=faiss_index,
    )


class LiveCatalog:
    """Hands out the current arrays, reloading them when the artefact on disk changes."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._arrays = load_arrays(artefact.current_build(index_dir))

    def arrays(self) -> CatalogArrays:
        build_dir = artefact.current_build(self.index_dir)
        current = self._arrays
        stamp = _stamp(build_dir)
        if build_dir == current.build_dir and stamp == current.stamp:
            return current
        with self._lock:
            current = self._arrays
            if build_dir != current.build_dir or stamp[1] != current.stamp[1]:
                log.info("loading index build %s", build_dir.name)
                self._arrays = load_arrays(build_dir)
            elif stamp != current.stamp:
                log.info("reloading prices and stock of %s", build_dir.name)
                self._arrays = load_arrays(build_dir, current.embeddings, current.faiss_index)
            return self._arrays


def offer(a: CatalogArrays, variant_id: str) -> dict | None:
    """Today's facts about one variant (price from the catalog, never from a client)."""
    index = a.variant_index_by_id.get(variant_id)
    if index is None or a.removed[a.variant_product[index]]:
        return None
    variant = a.variant_rows[index]
    product = a.product_rows[int(a.variant_product[index])]
    return {
        "id": variant_id,
        "group_id": product["group_id"],
        "title": product["title"],
        "brand": product["brand"],
        "size": variant["size"],
        "color": variant["color_name"],
        "price": round(float(a.price[index]), 2),
        "currency": variant["currency"],
        "in_stock": bool(a.in_stock[index]),
        "quantity": variant["quantity"],
    }
