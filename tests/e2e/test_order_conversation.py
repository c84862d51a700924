"""From search to a placed, trackable order over the REST channel, with server-side prices."""
from __future__ import annotations

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.e2e.conftest import custom_payloads

pytestmark = pytest.mark.e2e


def add_first_result(assistant, sender: str) -> list[dict]:
    messages = assistant.say(sender, "add the first one to my cart")
    if not custom_payloads(messages, "cart"):  # the bot asked which size: tap the first size button
        buttons = [b for m in messages for b in m.get("buttons", [])]
        assert buttons, messages
        messages = assistant.say(sender, buttons[0]["payload"])
    return messages


def test_search_add_checkout_status_cancel(assistant, sender):
    products = custom_payloads(assistant.say(sender, "men's running shoes under $100 in size 10"), "product_list")[0]["products"]
    cart = custom_payloads(add_first_result(assistant, sender), "cart")[0]
    assert [item["id"] for item in cart["items"]] == [products[0]["id"]]
    assert cart["total"] == products[0]["price"]

    summary = assistant.say(sender, "checkout")
    assert any("Shall I place it" in (m.get("text") or "") for m in summary)
    placed = custom_payloads(assistant.say(sender, "yes"), "order")
    assert placed and placed[0]["status"] == "placed" and placed[0]["total"] == products[0]["price"]
    order_id = placed[0]["order_id"]

    replay = assistant.say(sender, "/affirm")
    assert not custom_payloads(replay, "order") or custom_payloads(replay, "order")[0]["order_id"] == order_id

    status = custom_payloads(assistant.say(sender, "where is my order"), "order")
    assert status[0]["order_id"] == order_id and status[0]["status"] == "placed"
    cancelled = custom_payloads(assistant.say(sender, "cancel my order"), "order")
    assert cancelled[0]["status"] == "cancelled"

    engine = create_engine(assistant.settings.database_url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM orders WHERE reference = :r"), {"r": order_id}).scalar()
    assert count == 1


def test_client_cannot_set_prices(assistant, sender):
    """Whatever a client sends as metadata, cart prices come from the catalog."""
    products = custom_payloads(assistant.say(sender, "show me backpacks"), "product_list")[0]["products"]
    response = requests.post(f"{assistant.web_url}/api/chat", json={
        "sender": sender.replace("test-", "web-"), "message": f'/add_to_cart{{"product_id": "{products[0]["id"]}"}}',
        "metadata": {"unit_price": 0.01, "total": 0.01}}, timeout=60)
    cart = custom_payloads(response.json(), "cart")
    assert cart and cart[0]["items"][0]["unit_price"] == products[0]["price"]
