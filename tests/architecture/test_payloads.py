"""Intent messages and buttons survive any value: quotes, braces, unicode."""
from __future__ import annotations

import pytest

from contract import payloads


@pytest.mark.parametrize("entities", [
    {}, {"size": "10.5"}, {"size": 'W32" L30'}, {"product_id": 'G-1"}, {"x": 1'}, {"brand": "Rose & Finch"},
    {"ordinal": -1, "quantity": 2}, {"color": "café"},
])
def test_intent_messages_round_trip(entities):
    message = payloads.intent_message("add_to_cart", **entities)
    assert payloads.parse_intent_message(message) == ("add_to_cart", entities)


def test_the_message_is_the_shape_rasa_reads():
    assert payloads.intent_message("refine_search", size="9") == '/refine_search{"size": "9"}'
    assert payloads.intent_message("checkout") == "/checkout"
    assert payloads.intent_message("add_to_cart", product_id="G-1", size=None) == '/add_to_cart{"product_id": "G-1"}'


@pytest.mark.parametrize("text", ["any size", "running shoes", "cheaper"])
def test_typed_text_is_not_an_intent_message(text):
    assert payloads.parse_intent_message(text) is None


@pytest.mark.parametrize("text", ["/broken{not json", '/x{"a": 1', "/x[1]{2}"])
def test_a_malformed_intent_message_is_refused(text):
    assert payloads.parse_intent_message(text) is None


def test_cart_total_is_the_sum_of_its_lines():
    items = [{"id": "v1", "title": "A", "size": "9", "color": "black", "quantity": 2, "unit_price": 10.005,
              "line_total": 20.01}, {"id": "v2", "title": "B", "size": None, "color": None, "quantity": 1,
                                     "unit_price": 5.0, "line_total": 5.0}]
    assert payloads.cart(items, "USD") == {"type": "cart", "items": items, "total": 25.01, "currency": "USD"}
