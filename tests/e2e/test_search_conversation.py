"""A shopper's first search, through the real Rasa server, action server and index."""
from __future__ import annotations

import sqlite3

import pytest
import requests

from index_artefact.layout import CATALOG_DB, current_build
from tests.catalog_oracle import violations
from tests.e2e.conftest import custom_payloads

pytestmark = pytest.mark.e2e


def catalog_db(assistant) -> sqlite3.Connection:
    return sqlite3.connect(current_build(assistant.settings.index_dir) / CATALOG_DB)


def test_constrained_search_returns_only_matching_products(assistant, sender):
    messages = assistant.say(sender, "men's running shoes under $100 in size 10")
    lists = custom_payloads(messages, "product_list")
    assert lists, f"expected a product_list, got {messages}"
    payload = lists[0]
    query = payload["query"]
    assert query["category"] == "running shoes"
    assert query["gender"] == "men"
    assert query["price"]["max"] == 100
    assert query["size"]["value"] == "10"
    assert payload["products"], "the demo catalog has men's running shoes under $100 in size 10"
    db = catalog_db(assistant)
    for card in payload["products"]:
        assert violations(db, card, query) == [], card
    assert any(m.get("text") for m in messages), "structured results always come with readable text"


def test_refinement_keeps_constraints_and_changes_one(assistant, sender):
    assistant.say(sender, "women's rain jackets under $200 in a medium")
    messages = assistant.say(sender, "in blue")
    payload = custom_payloads(messages, "product_list") or custom_payloads(messages, "alternatives")
    assert payload, messages
    query = payload[0]["query"]
    assert query["category"] == "rain jackets" and query["gender"] == "women"
    assert query["price"]["max"] == 200 and query["color"] == ["blue"] and query["size"]["value"] == "M"
    if payload[0]["type"] == "product_list":
        db = catalog_db(assistant)
        for card in payload[0]["products"]:
            assert violations(db, card, query) == []


def test_the_shoppers_own_words_rank_the_products_that_say_them(assistant, sender):
    """Hybrid ranking (BM25 with meaning) through the real processes: "organic cotton" is written
    in 44 of the demo's 228 t-shirts; the first page holds only those (the recommender alone,
    ranking by meaning only, put plain cotton tees among them)."""
    lists = custom_payloads(assistant.say(sender, "organic cotton t-shirts in size M"), "product_list")
    assert lists and lists[0]["products"], "the demo catalog has organic cotton t-shirts in M"
    db = catalog_db(assistant)
    for card in lists[0]["products"]:
        title, description, material = db.execute("SELECT title, description, material FROM products"
                                                  " WHERE group_id = ?", (card["group_id"],)).fetchone()
        assert "organic cotton" in f"{title} {description} {material}".lower(), card["title"]


def test_show_more_never_repeats(assistant, sender):
    first = custom_payloads(assistant.say(sender, "show me backpacks"), "product_list")[0]["products"]
    second = custom_payloads(assistant.say(sender, "show more"), "product_list")[0]["products"]
    assert second
    assert not {p["group_id"] for p in first} & {p["group_id"] for p in second}


def test_widget_chat_endpoint_and_parse_api(assistant, sender):
    response = requests.post(f"{assistant.web_url}/api/chat",
                             json={"sender": sender, "message": "black sneakers size 9", "metadata": {"message_id": "m1"}},
                             timeout=60)
    assert response.status_code == 200
    assert custom_payloads(response.json(), "product_list")
    retried = requests.post(f"{assistant.web_url}/api/chat",
                            json={"sender": sender, "message": "black sneakers size 9", "metadata": {"message_id": "m1"}},
                            timeout=60)
    assert retried.json() == response.json(), "a retried message id is answered from the first turn"
    parsed = requests.post(f"{assistant.web_url}/api/parse", json={"text": "ladies hiking boots under 120 dollars"},
                           timeout=30).json()
    assert parsed["intent"]["name"] == "search_product"
    assert parsed["constraints"]["gender"] == "women"
    assert parsed["constraints"]["category"] == "hiking boots"
    assert parsed["constraints"]["price"] == {"min": None, "max": 120, "currency": "USD"}
    assert requests.post(f"{assistant.web_url}/api/chat", json={"sender": ""}, timeout=10).status_code == 400
