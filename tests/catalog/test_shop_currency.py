"""The shop's currency comes from its catalog: the index build records it (manifest and
vocabulary), the parser reads budgets in it, and the recommender compares budgets with prices in
it only. On a small Indian catalog (`fixtures/inr_merchant_feed.tsv`, prices in rupees)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from catalog_index.__main__ import main as catalog_cli
from index_artefact import layout, tables
from index_artefact.encoder import load_encoder
from nlu.constraints import extract_constraints
from nlu.vocabulary import CatalogVocabulary
from recommender.engine import Recommender
from recommender.query import SearchQuery

INR_FEED = Path(__file__).parent / "fixtures" / "inr_merchant_feed.tsv"


@pytest.fixture(scope="module")
def inr_index(tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("inr") / "index"
    assert catalog_cli(["build", "--catalog", str(INR_FEED), "--out", str(index_dir), "--no-progress"]) == 0
    return index_dir


def test_the_build_records_the_catalogs_currency(inr_index):
    build = layout.current_build(inr_index)
    assert json.loads((build / layout.MANIFEST).read_text())["currency"] == "INR"
    assert json.loads((build / layout.VOCABULARY).read_text())["currency"] == "INR"
    assert layout.shop_currency(build) == "INR"


def test_a_budget_without_a_currency_is_in_the_shops(inr_index):
    vocabulary = CatalogVocabulary.from_json(layout.current_build(inr_index) / layout.VOCABULARY)
    assert vocabulary.currency == "INR"
    assert extract_constraints("kurta under 2000", vocabulary, vocabulary.currency).constraints["price"] == \
        {"min": None, "max": 2000, "currency": "INR"}
    assert CatalogVocabulary.from_dict({"brands": []}).currency is None, "builds made before it: the configured default"


def test_budgets_compare_with_the_shops_prices_only_and_cards_show_rupees(inr_index):
    recommender = Recommender.from_index(inr_index, load_encoder())
    cards = recommender.search(SearchQuery(text="kurta", category="kurtas", price_max=2000, currency="INR"), 5).products
    assert sorted(card["price"] for card in cards) == [1499.0, 1799.0, 1899.0]
    assert {card["price_text"] for card in cards} == {"₹1,499.00", "₹1,799.00", "₹1,899.00"}
    assert all(card["why"].startswith("under ₹2,000") for card in cards)
    on_sale = next(card for card in cards if "compare_at_price" in card)
    assert on_sale["compare_at_price_text"] == "₹2,499.00" and "on sale from ₹2,499" in on_sale["why"]
    assert recommender.search(SearchQuery(text="kurta", category="kurtas", price_max=30, currency="USD"), 5).products == []
    german = Recommender.from_index(inr_index, load_encoder(), locale="de_DE")
    card = german.search(SearchQuery(text="block print kurta", category="kurtas"), 1).products[0]
    assert card["price_text"] == "1.499,00\u00a0₹"


def test_a_build_made_before_the_currency_was_recorded_reads_it_from_its_variants(inr_index, tmp_path):
    build = tmp_path / "old-build"
    shutil.copytree(layout.current_build(inr_index), build)
    manifest = json.loads((build / layout.MANIFEST).read_text())
    del manifest["currency"]
    layout.write_json(build / layout.MANIFEST, manifest)
    assert layout.shop_currency(build) == "INR"


def test_the_shops_currency_is_that_of_most_variants(tmp_path):
    connection = tables.connect(tmp_path / layout.CATALOG_DB)
    assert tables.shop_currency(connection) is None
    connection.execute("INSERT INTO products (row, group_id, title, description, brand, product_type, "
                       "google_product_category, material, pattern, link, image_link) "
                       "VALUES (0, 'G', 'T', '', 'B', 'P', '', '', '', '', '')")
    for n, currency in enumerate(["EUR", "GBP", "EUR"]):
        connection.execute("INSERT INTO variants (id, product_row, line, color_name, price, currency, availability, "
                           "gtin, mpn, link, image_link) VALUES (?, 0, ?, '', 10, ?, 'in_stock', '', '', '', '')",
                           (f"V{n}", n, currency))
    assert tables.shop_currency(connection) == "EUR"
    connection.close()
