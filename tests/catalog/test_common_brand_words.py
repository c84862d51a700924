"""Which one-word brands a catalog's own texts use as ordinary words (built into the vocabulary,
so the parser asks for evidence before reading "and" or "only" as a brand)."""
from __future__ import annotations

import sqlite3

from catalog_index.database import COMMON_WORD_MIN_PRODUCTS, common_brand_words


def catalog(rows: list[tuple[str, str, str]]) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE products (brand TEXT, title TEXT, description TEXT)")
    connection.executemany("INSERT INTO products VALUES (?, ?, ?)", rows)
    return connection


def test_a_brand_that_other_products_use_as_a_word_is_common():
    rows = [("Biba", f"Kurta {i}", "Cotton and silk, only the best") for i in range(COMMON_WORD_MIN_PRODUCTS)]
    rows += [("AND", "Tiered dress", "A dress by AND"), ("ONLY", "Denim jacket", "Washed denim")]
    assert common_brand_words(catalog(rows), ["AND", "Biba", "ONLY", "Calvin Klein"]) == ["and", "only"]


def test_a_brand_its_own_products_name_is_not_common():
    rows = [("Biba", f"Biba kurta {i}", "By Biba") for i in range(50)]
    assert common_brand_words(catalog(rows), ["Biba"]) == []


def test_a_word_a_few_products_use_is_not_common():
    rows = [("Fox", "Fox print tee", "")] + [("Biba", "Kurta", "a fox motif")] * (COMMON_WORD_MIN_PRODUCTS - 1)
    assert common_brand_words(catalog(rows), ["Fox", "Biba"]) == []
