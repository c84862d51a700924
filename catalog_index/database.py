"""Writing the product and variant tables of an index build (schema: `index_artefact.tables`).

Rows are streamed in as they are validated, so loading a large feed needs memory only for
the group ids seen so far. `products.row` is the product's row in the embedding matrix.
"""
from __future__ import annotations

import json
import re
import sqlite3

from catalog_index.model import LoadReport, Rejection, Variant
from index_artefact.tables import connect  # noqa: F401  (the builder's connection to a build's tables)
from index_artefact import tables
from index_artefact.tables import shop_currency

class CatalogWriter:
    """Insert validated variants, creating each product the first time its group is seen."""

    def __init__(self, connection: sqlite3.Connection, report: LoadReport):
        self.connection = connection
        self.report = report
        self._product_rows: dict[str, int] = {}

    def add(self, line: int, variant: Variant) -> None:
        row = self._product_rows.get(variant.group_id)
        try:
            if row is None:
                row = len(self._product_rows)
                self._insert_product(row, variant)
            self._insert_variant(row, line, variant)
        except sqlite3.IntegrityError:
            first = self.connection.execute("SELECT line FROM variants WHERE id = ?", (variant.id,)).fetchone()
            where = f" (first seen on line {first['line']})" if first else ""
            self.report.rejections.append(Rejection(line, "id", f"duplicate id{where}", variant.id))
            if variant.group_id not in self._product_rows and row is not None:
                self.connection.execute("DELETE FROM products WHERE row = ?", (row,))
            return
        self._product_rows[variant.group_id] = row
        self.report.variants += 1

    def finish(self) -> None:
        self.report.products = len(self._product_rows)
        self.connection.commit()

    def _insert_product(self, row: int, v: Variant) -> None:
        self.connection.execute(
            "INSERT INTO products (row, group_id, title, description, brand, gender, age_group, product_type,"
            " google_product_category, material, pattern, rating, review_count, link, image_link)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (row, v.group_id, v.title, v.description, v.brand, v.gender, v.age_group, v.product_type,
             v.google_product_category, v.material, v.pattern, v.rating, v.review_count, v.link, v.image_link),
        )

    def _insert_variant(self, row: int, line: int, v: Variant) -> None:
        self.connection.execute(
            "INSERT INTO variants (id, product_row, line, color_name, color, size, size_system, price, sale_price,"
            " currency, availability, quantity, gtin, mpn, link, image_link) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (v.id, row, line, v.color_name, v.color, v.size, v.size_system, v.price, v.sale_price, v.currency,
             v.availability, v.quantity, v.gtin, v.mpn, v.link, v.image_link),
        )


def product_texts(connection: sqlite3.Connection):
    """Yield `(row, text)` in row order: what gets embedded for each product."""
    query = """
        SELECT p.row, p.title, p.brand, p.product_type, p.gender, p.material, p.pattern, p.description,
               group_concat(DISTINCT v.color_name) AS colors
        FROM products p JOIN variants v ON v.product_row = p.row
        GROUP BY p.row ORDER BY p.row
    """
    for r in connection.execute(query):
        category = r["product_type"].replace(" > ", ", ")
        parts = [r["title"], f"{r['brand']} {category}", r["gender"] or "", f"colours: {r['colors'] or ''}",
                 r["material"], r["pattern"], r["description"]]
        yield r["row"], ". ".join(p for p in parts if p)


def index_product_text(connection: sqlite3.Connection, rows: list[int] | None = None) -> None:
    """Write the full-text index lexical ranking reads (`tables.TEXT_INDEX`): every product's
    at build (the table is created then), or again those of `rows` (an update changed or added
    them) in a build that has it. A build made before the table existed is left without one."""
    if rows is None:
        connection.execute(tables.TEXT_INDEX_SCHEMA)
        connection.execute(f"INSERT INTO {tables.TEXT_INDEX} (rowid, title, brand, category, details, description) "
                           + tables.TEXT_INDEX_SOURCE)
        connection.execute(f"INSERT INTO {tables.TEXT_INDEX} ({tables.TEXT_INDEX}) VALUES ('optimize')")
        return
    if not rows or not tables.has_text_index(connection):
        return
    chosen = " WHERE row IN (SELECT value FROM json_each(?))"
    connection.execute(f"DELETE FROM {tables.TEXT_INDEX} WHERE rowid IN (SELECT value FROM json_each(?))",
                       (json.dumps(rows),))
    connection.execute(f"INSERT INTO {tables.TEXT_INDEX} (rowid, title, brand, category, details, description) "
                       + tables.TEXT_INDEX_SOURCE + chosen, (json.dumps(rows),))


def vocabulary(connection: sqlite3.Connection) -> dict[str, list[str] | str | None]:
    """What the NLU and the voice model must recognise in this catalog, and the currency it
    sells in (a budget without a currency is in it)."""

    def distinct(sql: str) -> list[str]:
        return sorted({r[0] for r in connection.execute(sql) if r[0]})

    brands = distinct("SELECT DISTINCT brand FROM products")
    return {
        "brands": brands,
        "categories": distinct("SELECT DISTINCT product_type FROM products"),
        "colors": distinct("SELECT DISTINCT color FROM variants"),
        "sizes": distinct("SELECT DISTINCT size FROM variants"),
        "currency": shop_currency(connection),
        "common_words": common_brand_words(connection, brands),
    }


# A one-word brand is an everyday word in this catalog when other brands' products use it in
# their titles and descriptions this often ("and", "only", "people" in a fashion feed).
COMMON_WORD_MIN_PRODUCTS = 5
COMMON_WORD_MIN_SHARE = 0.002


def common_brand_words(connection: sqlite3.Connection, brands: list[str]) -> list[str]:
    """The one-word brand names that the catalog's own texts use as ordinary words, so the parser
    reads them as a brand only with evidence ("ONLY dresses", "dresses from only")."""
    words = {brand.lower(): brand for brand in brands if re.fullmatch(r"[^\W\d_]+", brand)}
    if not words:
        return []
    used: dict[str, int] = dict.fromkeys(words, 0)
    total = 0
    for brand, title, description in connection.execute("SELECT brand, title, description FROM products"):
        total += 1
        own = (brand or "").lower()
        for word in set(re.findall(r"[^\W\d_]+", f"{title} {description}".lower())) & used.keys():
            if word != own:
                used[word] += 1
    floor = max(COMMON_WORD_MIN_PRODUCTS, COMMON_WORD_MIN_SHARE * total)
    return sorted(word for word, count in used.items() if count >= floor)
