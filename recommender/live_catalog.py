"""The live index build, held in memory as flat columns for fast filtering.

Filters run as numpy masks over variants (price, size, colour, stock) and products
(category, brand, gender, rating, material). Only those columns and the vectors stay in memory
(a few hundred bytes per product plus the index; docs/benchmarks.md); titles, links and the other details of the
few products a page shows are read from the build's SQLite file when needed
(`CatalogDetails`). The catalog reloads itself when `current` points to a new build or
when `catalog_index update` has changed prices or stock in place.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index_artefact import layout, tables
from nlu.normalize import COLOR_FAMILIES, visible_color_families
from index_artefact.vectors import exact_vectors
from recommender.hugepages import collapse_onto_huge_pages

log = logging.getLogger(__name__)


class Codes:
    """Strings encoded as small ints (-1 for missing), with the lookup table."""

    def __init__(self):
        self.table: dict[str, int] = {}

    def code(self, value: str | None) -> int:
        return -1 if value is None else self.table.setdefault(value, len(self.table))


class CatalogDetails:
    """Product and variant rows read from the build's SQLite file on demand.

    A variant is addressed by its position in the variant columns: product row plus its
    rank by feed line within the product (`variant_line` keeps the lines)."""

    def __init__(self, db_path: Path, variant_product: np.ndarray, variant_line: np.ndarray, variant_start: np.ndarray):
        self._db = tables.connect(db_path, read_only=True)
        self._lock = threading.Lock()
        self._variant_product, self._variant_line, self._variant_start = variant_product, variant_line, variant_start

    def _one(self, sql: str, args: tuple) -> dict | None:
        with self._lock:
            row = self._db.execute(sql, args).fetchone()
        return dict(row) if row is not None else None

    def product(self, row: int) -> dict:
        return self._one("SELECT * FROM products WHERE row = ?", (int(row),))

    def variant(self, index: int) -> dict:
        return self._one("SELECT * FROM variants WHERE product_row = ? AND line = ?",
                         (int(self._variant_product[index]), int(self._variant_line[index])))

    def product_row(self, group_id: str) -> int | None:
        found = self._one("SELECT row FROM products WHERE group_id = ?", (group_id,))
        return None if found is None else found["row"]

    def variant_index(self, variant_id: str) -> int | None:
        found = self._one("SELECT product_row, line FROM variants WHERE id = ?", (variant_id,))
        if found is None or found["product_row"] + 1 >= len(self._variant_start):
            return None  # added by an update the columns have not reloaded yet
        start, end = self._variant_start[found["product_row"]], self._variant_start[found["product_row"] + 1]
        offset = int(np.searchsorted(self._variant_line[start:end], found["line"]))
        return int(start + offset) if start + offset < end and self._variant_line[start + offset] == found["line"] else None

    def titles_lower(self, rows) -> list[str]:
        return [self.product(r)["title"].lower() for r in rows]

    def descriptive_texts(self, rows) -> list[str]:
        """Title, description, material and pattern of each product row, in the order given (one query)."""
        rows = [int(r) for r in rows]
        with self._lock:  # the rows as one JSON parameter: no limit on how many
            found = {r[0]: "\n".join(r[1:]) for r in self._db.execute(
                "SELECT row, title, description, material, pattern FROM products "
                "WHERE row IN (SELECT value FROM json_each(?))",
                (json.dumps(rows),))}
        return [found[r] for r in rows]


class RowView:
    """`rows[i]` reads one product or variant from SQLite (the shape the tables have)."""

    def __init__(self, fetch, length: int):
        self._fetch, self._length = fetch, length

    def __getitem__(self, index: int) -> dict:
        if not 0 <= index < self._length:
            raise IndexError(index)
        return self._fetch(index)

    def __len__(self) -> int:
        return self._length


@dataclass
class CatalogArrays:
    build_dir: Path
    stamp: tuple[float, float]  # modification times of the tables and of the vectors
    details: CatalogDetails
    # products (index = products.row = embedding row)
    product_rows: RowView
    gender: np.ndarray
    gender_codes: dict[str, int]
    brand: np.ndarray
    brand_codes: dict[str, int]  # lower-cased brand -> code
    category_path: np.ndarray
    category_codes: dict[str, list[int]]  # every lower-cased path level and its endings -> path codes
    material: np.ndarray
    material_codes: dict[str, int]  # lower-cased material -> code
    rating: np.ndarray
    review_count: np.ndarray
    removed: np.ndarray
    # variants, sorted by product row then feed line; variant_start[p]:variant_start[p+1] are product p's
    variant_rows: RowView
    variant_product: np.ndarray
    variant_line: np.ndarray
    variant_start: np.ndarray
    price: np.ndarray  # effective price
    currency: np.ndarray
    currency_codes: dict[str, int]
    in_stock: np.ndarray
    color: np.ndarray
    color_codes: dict[str, int]
    color_seen: np.ndarray  # bits (COLOR_BITS) of every family the variant's colour name or title names
    size: np.ndarray
    size_codes: dict[str, int]
    size_system: np.ndarray
    size_system_codes: dict[str, int]
    embeddings: np.ndarray  # float32 vectors as built (memory-mapped, read only when reloading)
    faiss_index: object
    vectors: np.ndarray  # what exact scoring reads: the index's float16 codes when it has them

    @property
    def products(self) -> int:
        return len(self.gender)

    def shows_any_color(self, colors, window: slice = slice(None)) -> np.ndarray:
        """Which variants (all, or those in `window`) a shopper sees in any of `colors`: their
        family, or one their colour name or product title names ("black brown", "Black & White")."""
        return (self.color_seen[window] & color_bits(colors)) != 0


def _stamp(build_dir: Path) -> tuple[float, float]:
    return ((build_dir / layout.CATALOG_DB).stat().st_mtime, (build_dir / layout.EMBEDDINGS).stat().st_mtime)


def _product_columns(connection) -> dict:
    gender, brand, path, material = Codes(), Codes(), Codes(), Codes()
    columns = {name: [] for name in ("gender", "brand", "category_path", "rating", "review_count", "removed",
                                     "material")}
    for r in connection.execute("SELECT gender, brand, product_type, rating, review_count, removed, material"
                                " FROM products ORDER BY row"):
        columns["gender"].append(gender.code(r[0]))
        columns["brand"].append(brand.code(r[1].lower()))
        columns["category_path"].append(path.code(r[2].lower()))
        columns["rating"].append(np.nan if r[3] is None else r[3])
        columns["review_count"].append(r[4] or 0)
        columns["removed"].append(bool(r[5]))
        columns["material"].append(material.code(r[6].lower()))
    category_codes: dict[str, list[int]] = {}
    for full_path, code in path.table.items():
        for name in {kind for level in full_path.split(" > ") for kind in category_kinds(level)}:
            category_codes.setdefault(name, []).append(code)
    return {
        "gender": np.array(columns["gender"], dtype=np.int32), "gender_codes": gender.table,
        "brand": np.array(columns["brand"], dtype=np.int32), "brand_codes": brand.table,
        "category_path": np.array(columns["category_path"], dtype=np.int32), "category_codes": category_codes,
        "material": np.array(columns["material"], dtype=np.int32), "material_codes": material.table,
        "rating": np.array(columns["rating"], dtype=np.float64),
        "review_count": np.array(columns["review_count"], dtype=np.int32),
        "removed": np.array(columns["removed"], dtype=bool),
    }


def category_kinds(level: str) -> list[str]:
    """The names a category level answers to: itself and each shorter phrase it ends with, so
    "trail running shoes" are also "running shoes" and "shoes", and "hiking boots" are "boots"."""
    words = level.strip().split()
    return [" ".join(words[start:]) for start in range(len(words))]


COLOR_BITS = {family: 1 << bit for bit, family in enumerate(COLOR_FAMILIES)}


def color_bits(colors) -> int:
    return sum(COLOR_BITS.get(color, 0) for color in set(colors))


def _color_seen(connection) -> list[int]:
    """Per variant, in variant order, the bits of every colour family a shopper sees on it
    (`nlu.normalize.visible_color_families`: its family, its colour name's and its title's)."""
    titles = {row: color_bits(visible_color_families("", None, title, brand))
              for row, title, brand in connection.execute("SELECT row, title, brand FROM products")}
    names: dict[tuple, int] = {}
    seen = []
    for product_row, color_name, color in connection.execute(
            "SELECT product_row, color_name, color FROM variants ORDER BY product_row, line"):
        if (color_name, color) not in names:
            names[color_name, color] = color_bits(visible_color_families(color_name, color, "", ""))
        seen.append(titles[product_row] | names[color_name, color])
    return seen


def _variant_columns(connection, products: int) -> dict:
    currency, color, size, system = Codes(), Codes(), Codes(), Codes()
    names = ("variant_product", "variant_line", "price", "in_stock", "currency", "color", "size", "size_system")
    columns = {name: [] for name in names}
    color_seen = np.array(_color_seen(connection), dtype=np.int32)
    for r in connection.execute("SELECT product_row, line, price, sale_price, availability, quantity, currency, color,"
                                " size, size_system FROM variants ORDER BY product_row, line"):
        columns["variant_product"].append(r[0])
        columns["variant_line"].append(r[1])
        columns["price"].append(r[3] if r[3] is not None else r[2])
        columns["in_stock"].append(r[4] != "out_of_stock" and r[5] != 0)
        columns["currency"].append(currency.code(r[6]))
        columns["color"].append(color.code(r[7]))
        columns["size"].append(size.code(r[8]))
        columns["size_system"].append(system.code(r[9]))
    variant_product = np.array(columns["variant_product"], dtype=np.int32)
    return {
        "variant_product": variant_product,
        "variant_line": np.array(columns["variant_line"], dtype=np.int32),
        "variant_start": np.searchsorted(variant_product, np.arange(products + 1)),
        "price": np.array(columns["price"], dtype=np.float64),
        "in_stock": np.array(columns["in_stock"], dtype=bool),
        **{name: np.array(columns[name], dtype=np.int32) for name in ("currency", "color", "size", "size_system")},
        "currency_codes": currency.table, "color_codes": color.table, "size_codes": size.table,
        "size_system_codes": system.table, "color_seen": color_seen,
    }


def load_arrays(build_dir: Path, embeddings: np.ndarray | None = None, faiss_index=None) -> CatalogArrays:
    db_path = build_dir / layout.CATALOG_DB
    connection = tables.connect(db_path, read_only=True)
    product_columns = _product_columns(connection)
    products = len(product_columns["gender"])
    variant_columns = _variant_columns(connection, products)
    connection.close()
    if embeddings is None:
        import faiss

        embeddings = np.load(build_dir / layout.EMBEDDINGS, mmap_mode="c")  # writable view for torch, never written
        faiss_index = faiss.read_index(str(build_dir / layout.FAISS_INDEX))
    details = CatalogDetails(db_path, variant_columns["variant_product"], variant_columns["variant_line"],
                             variant_columns["variant_start"])
    return CatalogArrays(
        build_dir=build_dir,
        stamp=_stamp(build_dir),
        details=details,
        product_rows=RowView(details.product, products),
        variant_rows=RowView(details.variant, len(variant_columns["variant_product"])),
        **product_columns,
        **variant_columns,
        embeddings=embeddings,
        faiss_index=faiss_index,
        vectors=_exact_vectors(faiss_index, embeddings),
    )


def _exact_vectors(faiss_index, embeddings: np.ndarray) -> np.ndarray:
    """The float16 codes the exact plan scores, moved onto huge pages for fast row gathers."""
    vectors = exact_vectors(faiss_index, embeddings)
    if vectors is not embeddings:
        collapse_onto_huge_pages(vectors)
    return vectors


class LiveCatalog:
    """Hands out the current arrays, reloading them when the artefact on disk changes."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._arrays = load_arrays(layout.current_build(index_dir))

    def arrays(self) -> CatalogArrays:
        build_dir = layout.current_build(self.index_dir)
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
    index = a.details.variant_index(variant_id)
    if index is None or a.removed[a.variant_product[index]]:
        return None
    variant = a.details.variant(index)
    product = a.details.product(int(a.variant_product[index]))
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
