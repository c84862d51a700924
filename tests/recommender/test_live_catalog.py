"""The live catalog keeps only columns in memory and reads product and variant details from
the build's SQLite file; these check that what the cart and the product cards read that way
is the right row, and that in-place price and stock updates are seen."""
from __future__ import annotations

import os
import sqlite3

import numpy as np

from index_artefact import layout as artefact
from recommender.engine import Recommender
from recommender.live_catalog import LiveCatalog, offer
from recommender.query import SearchQuery
from tests.recommender.test_constraints_property import RandomEncoder, write_build

PRODUCTS = [
    {"category": "Shoes > Running Shoes", "brand": "Stridewell", "gender": ("male", "adult"), "rating": 4.5,
     "variants": [{"color": c, "size": s, "price": 50 + 10 * i, "sale": i == 1, "quantity": 3}
                  for i, (c, s) in enumerate([("black", "9"), ("blue", "10"), ("black", "10")])]}
    for _ in range(12)
]


def test_every_variant_and_product_is_found_by_its_id(tmp_path):
    write_build(tmp_path, PRODUCTS, seed=3)
    catalog = LiveCatalog(tmp_path)
    a = catalog.arrays()
    for index in range(len(a.variant_rows)):
        variant = a.variant_rows[index]
        assert a.details.variant_index(variant["id"]) == index
        assert Recommender.product_row(a, variant["id"]) == a.variant_product[index] == variant["product_row"]
    for row in range(a.products):
        assert Recommender.product_row(a, a.product_rows[row]["group_id"]) == row
    assert Recommender.product_row(a, "no-such-id") is None and offer(a, "no-such-id") is None


def test_offer_and_cards_follow_an_in_place_price_and_stock_update(tmp_path):
    build = write_build(tmp_path, PRODUCTS, seed=4)
    catalog = LiveCatalog(tmp_path)
    assert offer(catalog.arrays(), "V5-1") == {
        "id": "V5-1", "group_id": "G5", "title": "Product 5", "brand": "Stridewell", "size": "10", "color": "Blue",
        "price": 48.0, "currency": "USD", "in_stock": True, "quantity": 3}
    with sqlite3.connect(build / artefact.CATALOG_DB) as db:
        db.execute("UPDATE variants SET sale_price = 41.5 WHERE id = 'V5-1'")
        db.execute("UPDATE variants SET quantity = 0 WHERE id = 'V5-0'")
    os.utime(build / artefact.CATALOG_DB, (0, 0))
    a = catalog.arrays()
    assert offer(a, "V5-1")["price"] == 41.5
    assert offer(a, "V5-0")["in_stock"] is False
    recommender = Recommender(catalog, RandomEncoder(5))
    cards = recommender.search(SearchQuery(text="shoes", price_max=45), k=5).products
    assert [(c["id"], c["price"], c["compare_at_price"]) for c in cards] == [("V5-1", 41.5, 60.0)]


def test_shown_products_are_excluded_from_the_next_page(tmp_path):
    write_build(tmp_path, PRODUCTS, seed=6)
    recommender = Recommender(LiveCatalog(tmp_path), RandomEncoder(7))
    seen: set[str] = set()
    for _ in range(3):
        page = recommender.search(SearchQuery(text="shoes", exclude_ids=frozenset(seen)), k=4)
        groups = {c["group_id"] for c in page.products}
        assert len(groups) == 4 and not groups & seen
        assert page.total_matching == len(PRODUCTS)  # "5 of 12" on every page: the shown ones count
        seen |= groups
    assert np.count_nonzero(recommender.catalog.arrays().in_stock) == 3 * len(PRODUCTS)
