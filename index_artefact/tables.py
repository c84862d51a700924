"""The SQLite tables of an index build: products and variants (one file per build), and the
full-text index of the products' words (`product_text`, FTS5) that lexical ranking reads.

`products.row` is the product's row in the embedding matrix and the FAISS index, and the
rowid of its `product_text` row.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    row INTEGER PRIMARY KEY,
    group_id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    brand TEXT NOT NULL,
    gender TEXT,
    age_group TEXT,
    product_type TEXT NOT NULL,
    google_product_category TEXT NOT NULL,
    material TEXT NOT NULL,
    pattern TEXT NOT NULL,
    rating REAL,
    review_count INTEGER,
    link TEXT NOT NULL,
    image_link TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS variants (
    id TEXT PRIMARY KEY,
    product_row INTEGER NOT NULL REFERENCES products(row),
    line INTEGER NOT NULL,
    color_name TEXT NOT NULL,
    color TEXT,
    size TEXT,
    size_system TEXT,
    price REAL NOT NULL,
    sale_price REAL,
    currency TEXT NOT NULL,
    availability TEXT NOT NULL,
    quantity INTEGER,
    gtin TEXT NOT NULL,
    mpn TEXT NOT NULL,
    link TEXT NOT NULL,
    image_link TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS variants_by_product ON variants(product_row);
"""


# The words of each product that lexical (BM25) ranking matches: made by the index build, kept
# current by `catalog_index update`; a build made before it has none and ranks by meaning only.
# Not in SCHEMA: opening an older build for an update must not create an empty one. Porter
# stemming ("boots" finds "boot"), case and accents folded. Column order is the order of the
# per-column weights `recommender.lexical` gives bm25().
TEXT_INDEX = "product_text"
TEXT_INDEX_SCHEMA = f"""
CREATE VIRTUAL TABLE {TEXT_INDEX} USING fts5(
    title, brand, category, details, description,
    tokenize = 'porter unicode61 remove_diacritics 2'
)"""
# What each column holds, from the products table (rowid = products.row).
TEXT_INDEX_SOURCE = ("SELECT row, title, brand, replace(product_type, ' > ', ' / '),"
                     " trim(material || ' ' || pattern), description FROM products")


def has_text_index(connection: sqlite3.Connection) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (TEXT_INDEX,)).fetchone() is not None


def connect(path: Path | str, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        connection = sqlite3.connect(str(path), check_same_thread=False)
        connection.executescript(SCHEMA)
    connection.row_factory = sqlite3.Row
    return connection


def shop_currency(connection: sqlite3.Connection) -> str | None:
    """The catalog's currency: that of most variants (all of them, in a sane catalog); None when
    there are none. Budgets are compared with prices in this currency only."""
    found = connection.execute("SELECT currency, COUNT(*) AS n FROM variants GROUP BY currency "
                               "ORDER BY n DESC, currency LIMIT 1").fetchone()
    return found[0] if found else None
