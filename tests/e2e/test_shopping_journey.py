"""One shopper from a vague wish to a placed, cancelled and reordered order, over HTTP
against the running Rasa server, action server and web app; every product shown is checked
against the catalog with the independent oracle."""
from __future__ import annotations

import sqlite3

import pytest
import requests
from sqlalchemy import create_engine, text

from index_artefact.layout import CATALOG_DB, current_build
from tests.catalog_oracle import violations
from tests.e2e.conftest import custom_payloads

pytestmark = pytest.mark.e2e


def texts(messages: list[dict]) -> str:
    return " ".join(m.get("text") or "" for m in messages)


def checked_products(assistant, messages: list[dict]) -> tuple[dict, list[dict]]:
    """The product list of a reply, after checking every card against its echoed query."""
    payloads = custom_payloads(messages, "product_list")
    assert payloads, texts(messages)
    db = sqlite3.connect(current_build(assistant.settings.index_dir) / CATALOG_DB)
    for card in payloads[0]["products"]:
        assert violations(db, card, payloads[0]["query"]) == [], card
    return payloads[0]["query"], payloads[0]["products"]


def orders_in_db(assistant, owner: str) -> list[tuple[str, str]]:
    engine = create_engine(assistant.settings.database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT reference, status FROM orders WHERE owner = :o ORDER BY id"), {"o": owner})
        return [tuple(row) for row in rows]


def test_search_refine_compare_add_checkout_status_cancel_reorder(assistant, sender):
    asked = assistant.say(sender, "i need men's trail running shoes under $150")
    assert "What size?" in texts(asked) and not custom_payloads(asked, "product_list"), "size matters for shoes"

    query, first = checked_products(assistant, assistant.say(sender, "10"))
    assert query["size"]["value"] == "10" and query["gender"] == "men" and query["price"]["max"] == 150

    query, cheaper = checked_products(assistant, assistant.say(sender, "something cheaper"))
    assert max(p["price"] for p in cheaper) < min(p["price"] for p in first)
    assert query["size"]["value"] == "10", "refining keeps the other constraints"

    compared = assistant.say(sender, "compare the first and the second")
    table = custom_payloads(compared, "comparison")
    assert table and [row["id"] for row in table[0]["products"]] == [p["group_id"] for p in cheaper[:2]]

    cart = custom_payloads(assistant.say(sender, "add the first one to my cart"), "cart")[0]
    assert cart["items"][0]["id"] == cheaper[0]["id"] and cart["items"][0]["size"] == "10"
    cart = custom_payloads(assistant.say(sender, "make it 2"), "cart")[0]
    assert cart["items"][0]["quantity"] == 2 and cart["total"] == round(2 * cheaper[0]["price"], 2)

    summary = assistant.say(sender, "checkout")
    assert "Shall I place it" in texts(summary) and f"{cart['total']:.2f}" in texts(summary)
    order = custom_payloads(assistant.say(sender, "yes"), "order")[0]
    assert order["status"] == "placed" and order["total"] == cart["total"]
    for _ in range(5):  # a client retrying the confirmation
        replay = custom_payloads(assistant.say(sender, "/affirm"), "order")
        assert not replay or replay[0]["order_id"] == order["order_id"]
    assert orders_in_db(assistant, f"sender:{sender}") == [(order["order_id"], "placed")]

    status = custom_payloads(assistant.say(sender, "where is my order"), "order")[0]
    assert status["order_id"] == order["order_id"] and status["status"] == "placed"
    cancelled = custom_payloads(assistant.say(sender, "cancel my order"), "order")[0]
    assert cancelled["status"] == "cancelled"

    reordered = custom_payloads(assistant.say(sender, "reorder my running shoes"), "cart")[0]
    assert [(i["id"], i["quantity"]) for i in reordered["items"]] == [(cheaper[0]["id"], 2)]
    assert reordered["items"][0]["unit_price"] == cheaper[0]["price"], "reordered at today's catalog price"


def test_a_checkout_confirmation_replayed_five_times_places_one_order(assistant, sender):
    """The widget retries a message with the same message id; Rasa must see it once."""
    def chat(message: str, message_id: str) -> list[dict]:
        response = requests.post(f"{assistant.web_url}/api/chat", timeout=60,
                                 json={"sender": sender, "message": message, "metadata": {"message_id": message_id}})
        assert response.status_code == 200, response.text
        return response.json()

    chat("show me backpacks", "m1")
    chat("add the first one to my cart", "m2")
    chat("checkout", "m3")
    replies = [chat("yes, place it", "m4") for _ in range(5)]
    orders = [custom_payloads(reply, "order") for reply in replies]
    assert all(o and o[0]["order_id"] == orders[0][0]["order_id"] for o in orders), "every retry sees the same order"
    assert orders_in_db(assistant, f"sender:web:{sender}") == [(orders[0][0]["order_id"], "placed")]


def test_a_returning_shopper_is_asked_about_the_remembered_size(assistant, sender):
    customer = {"customer_id": f"journey-{sender}"}
    checked_products(assistant, assistant.say(sender, "women's hiking boots size 8", customer))
    later = sender + "-later"  # a new conversation (another device) of the same customer
    asked = assistant.say(later, "women's hiking boots", customer)
    assert "Still a 8 in hiking boots?" in texts(asked)
    query, _ = checked_products(assistant, assistant.say(later, "yes", customer))
    assert query["size"]["value"] == "8"
    assert "forgotten 1 size" in texts(assistant.say(later, "forget my sizes", customer))
