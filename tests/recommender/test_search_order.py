"""On small real builds with random vectors: relevance breaks a sort's ties, "more like this"
never shows the product itself, and category names are embedded once per build."""
from __future__ import annotations

import os

from index_artefact import layout as artefact
from recommender.engine import Recommender
from recommender.live_catalog import LiveCatalog
from recommender.query import SearchQuery
from tests.recommender.test_constraints_property import RandomEncoder, write_build

EXACT_ONLY = 10**9


def product(category: str, price: int, rating: float | None = 4.0) -> dict:
    return {"category": category, "brand": "Stridewell", "gender": ("unisex", "adult"), "rating": rating,
            "variants": [{"color": "black", "size": "9", "price": price, "sale": False, "quantity": 3},
                         {"color": "red", "size": "10", "price": price + 5, "sale": False, "quantity": 3}]}


def ids(result) -> list[str]:
    return [card["group_id"] for card in result.products]


def test_relevance_orders_the_products_a_sort_ties(tmp_path):
    products = [product("Shoes > Sandals", 40 + i % 3) for i in range(30)]  # every review count is the same
    write_build(tmp_path, products, seed=11)
    recommender = Recommender(LiveCatalog(tmp_path), RandomEncoder(12), exact_max_candidates=EXACT_ONLY)
    # "more like G0" searches with G0's vector every time (the random encoder draws a new one per text)
    by_relevance = ids(recommender.search(SearchQuery(text="sandals", similar_to="G0"), 30))
    assert ids(recommender.search(SearchQuery(text="sandals", similar_to="G0", sort="popularity_desc"), 30)) \
        == by_relevance
    cheapest_first = ids(recommender.search(SearchQuery(text="sandals", similar_to="G0", sort="price_asc"), 30))
    assert cheapest_first == sorted(by_relevance, key=lambda group: int(group[1:]) % 3)
    assert "G0" not in by_relevance and len(by_relevance) == 29


def test_the_price_a_sort_uses_is_that_of_the_variant_shown(tmp_path):
    write_build(tmp_path, [product("Shoes > Sandals", price) for price in (50, 30, 40)], seed=13)
    recommender = Recommender(LiveCatalog(tmp_path), RandomEncoder(14))
    red = recommender.search(SearchQuery(text="sandals", exclude_colors=("black",), sort="price_desc"), 3).products
    assert [(card["group_id"], card["price"], card["color"]) for card in red] == \
        [("G0", 55, "red"), ("G2", 45, "red"), ("G1", 35, "red")]


class CountingEncoder(RandomEncoder):
    def __init__(self, seed: int):
        super().__init__(seed)
        self.texts: list[str] = []

    def encode(self, texts, **options):
        self.texts += texts
        return super().encode(texts, **options)


def test_category_names_are_embedded_once_per_build(tmp_path):
    build = write_build(tmp_path, [product("Shoes > Sandals", 30), product("Clothing > Jackets > Rain Jackets", 90)],
                        seed=15)
    encoder = CountingEncoder(16)
    recommender = Recommender(LiveCatalog(tmp_path), encoder)
    names = {name for name, _ in recommender.nearest_categories("laptops", k=10)}
    assert names == {"shoes", "sandals", "clothing", "jackets", "rain jackets"}
    recommender.nearest_categories("tents")
    os.utime(build / artefact.CATALOG_DB, (0, 0))  # an in-place update that sells the same categories
    recommender.nearest_categories("bikes")
    assert sorted(encoder.texts) == sorted([*names, "laptops", "tents", "bikes"])
