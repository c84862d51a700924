"""Hostile and odd input through the real web app, Rasa and action server: each gets the
right refusal (or a normal answer), and no cart, order or table is harmed.

Forged and replayed Alexa requests are covered by tests/voice.
"""
from __future__ import annotations

import dataclasses
import json

import pytest
import requests
from sqlalchemy import create_engine, inspect, text

from runtime.processes import process_specs
from store.shop import ShopStore
from web.chat import NO_ANSWER_TEXT
from tests.e2e.conftest import TestSupervisor, custom_payloads, free_port, start_on_fresh_ports

pytestmark = pytest.mark.e2e

SHOP_TABLES = {"cart_lines", "orders", "order_lines", "alembic_version"}


def post_chat(assistant, body=None, raw: bytes | None = None, web_url: str | None = None) -> requests.Response:
    url = f"{web_url or assistant.web_url}/api/chat"
    if raw is not None:
        return requests.post(url, data=raw, headers={"Content-Type": "application/json"}, timeout=60)
    return requests.post(url, json=body, timeout=60)


def user_turns(assistant, conversation_id: str) -> list[str]:
    """What Rasa's tracker store recorded the shopper saying (nothing for a refused request)."""
    tracker = requests.get(f"{assistant.rasa_url}/conversations/{conversation_id}/tracker", timeout=30).json()
    return [e.get("text") for e in tracker.get("events", []) if e["event"] == "user"]


def shop_state(assistant) -> tuple[set[str], int, int]:
    """Tables, orders and cart lines; opened as the action server opens it (schema at head)."""
    engine = ShopStore(assistant.settings.database_url).engine
    try:
        with engine.connect() as connection:
            return (set(inspect(connection).get_table_names()),
                    connection.execute(text("SELECT count(*) FROM orders")).scalar(),
                    connection.execute(text("SELECT count(*) FROM cart_lines")).scalar())
    finally:
        engine.dispose()


@pytest.fixture
def web_sender(sender) -> str:
    return sender.replace("test-", "abuse-")


@pytest.mark.parametrize("raw, status, reason", [
    (b'{"sender": "s", "message": "' + b"x" * 70_000 + b'"}', 413, "larger than 65536 bytes"),
    (b'{"sender": "s", "message": "hi"', 400, "body must be a JSON object"),
    (b"\xff\xfe\x00garbage", 400, "body must be a JSON object"),
    (b'[{"sender": "s", "message": "hi"}]', 400, "body must be a JSON object"),
    (b'{"sender": "s", "message": {"$ne": null}}', 400, "message must be a non-empty string"),
    (b'{"sender": "s", "message": "' + b"y" * 1001 + b'"}', 400, "longer than 1000"),
    (b'{"sender": "s", "message": "' + "\U0001F600".encode() * 10_000 + b'"}', 400, "longer than 1000"),
    (b'{"sender": "s", "message": "shoes \\ud800"}', 400, "valid Unicode"),
    (b'{"sender": "s", "message": "hi", "metadata": [1, 2]}', 400, "metadata must be a JSON object"),
    (b'{"sender": "s", "message": "shoes\\u0000; DROP"}', 400, "must not contain NUL"),
])
def test_malformed_and_oversized_requests_are_refused_with_a_reason(assistant, raw, status, reason):
    before = shop_state(assistant)
    response = post_chat(assistant, raw=raw.replace(b'"s"', b'"abuse-refused"'))
    assert response.status_code == status
    assert reason in response.json()["error"]
    assert user_turns(assistant, "web:abuse-refused") == []
    assert shop_state(assistant) == before


@pytest.mark.parametrize("message", [
    "\u202eseohs gninnur\u202c",                        # right-to-left override
    "run\u200bning sho\u200des",                        # zero-width space and joiner
    "\u05e0\u05e2\u05dc\u05d9 \u05e8\u05d9\u05e6\u05d4",  # Hebrew (RTL script)
    "\U0001F45F" * 1000,                                 # 1,000 emoji: the longest accepted message
    "e\u0301" * 400,                                     # combining accents
    "\x07 control characters \x1b[31m",
])
def test_unicode_edge_cases_get_an_answer(assistant, web_sender, message):
    response = post_chat(assistant, {"sender": web_sender, "message": message})
    assert response.status_code == 200
    answer = response.json()
    assert answer and all(m.get("text") != NO_ANSWER_TEXT for m in answer), answer
    assert user_turns(assistant, f"web:{web_sender}") == [message]


def test_html_and_script_in_a_message_come_back_as_inert_json(assistant, web_sender):
    message = '<script>alert(document.cookie)</script><img src=x onerror=alert(1)> running shoes'
    response = post_chat(assistant, {"sender": web_sender, "message": message})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script" not in response.text.lower() and "onerror" not in response.text.lower()
    storefront = requests.get(f"{assistant.web_url}/", timeout=10)
    assert "script-src 'self'" in storefront.headers["Content-Security-Policy"]


@pytest.mark.parametrize("message", [
    "'; DROP TABLE orders; --",
    "shoes' OR '1'='1",
    'running shoes"; DELETE FROM cart_lines WHERE "1"="1',
    '/add_to_cart{"product_id": "x\' OR \'1\'=\'1"}',
    "1; UPDATE order_lines SET unit_price = 0 --",
])
def test_sql_looking_input_is_just_text(assistant, web_sender, message):
    before = shop_state(assistant)
    response = post_chat(assistant, {"sender": f"{web_sender}'; DROP TABLE cart_lines;--", "message": message})
    assert response.status_code == 200 and response.json()
    tables, orders, cart_lines = shop_state(assistant)
    assert SHOP_TABLES <= tables
    assert (tables, orders, cart_lines) == before


def test_forged_prices_and_totals_are_ignored(assistant, web_sender):
    """Price fields in metadata and in an intent payload's entities change nothing: the cart,
    the checkout summary and the order are priced from the catalog."""
    products = custom_payloads(post_chat(assistant, {"sender": web_sender, "message": "show me backpacks"}).json(),
                               "product_list")[0]["products"]
    real = products[0]
    forged_metadata = {"unit_price": 0.01, "total": 0.01, "price": 0.01, "currency": "XXX",
                       "customer_id": "someone-else"}
    added = post_chat(assistant, {
        "sender": web_sender, "metadata": forged_metadata,
        "message": "/add_to_cart" + json.dumps({"product_id": real["id"], "price": 0.01, "unit_price": 0.01,
                                                "total": 0.01, "quantity": 1})}).json()
    cart = custom_payloads(added, "cart")[0]
    assert cart["items"][0]["unit_price"] == real["price"] and cart["total"] == real["price"]
    summary = post_chat(assistant, {"sender": web_sender, "message": "checkout", "metadata": forged_metadata}).json()
    assert custom_payloads(summary, "cart")[0]["total"] == real["price"]
    placed = custom_payloads(post_chat(assistant, {"sender": web_sender, "message": "yes",
                                                   "metadata": forged_metadata}).json(), "order")[0]
    assert placed["total"] == real["price"] and placed["currency"] == "USD"
    engine = create_engine(assistant.settings.database_url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT owner, total FROM orders WHERE reference = :r"),
                                 {"r": placed["order_id"]}).one()
    engine.dispose()
    # The order belongs to this conversation, not to the customer id the client claimed.
    assert row.owner == f"sender:web:{web_sender}" and float(row.total) == real["price"]


@pytest.fixture(scope="module")
def strict_web(assistant, tmp_path_factory):
    """A second web app on the same Rasa, with a low per-sender limit (the default is generous)."""
    settings = dataclasses.replace(assistant.settings, var_dir=tmp_path_factory.mktemp("strict"))
    rasa_port = int(assistant.rasa_url.rsplit(":", 1)[1])

    def start() -> tuple[TestSupervisor, int]:
        web_port = free_port()
        web = next(spec for spec in process_specs(settings, rasa_port, free_port(), web_port) if spec.name == "web")
        web = dataclasses.replace(web, env={**web.env, "OMNISHOP_RATE_LIMIT_SENDER": "3/60",
                                            "OMNISHOP_RATE_LIMIT_CLIENT": "off", "OMNISHOP_LOG_FORMAT": "json"})
        supervisor = TestSupervisor([web])
        supervisor.start_healthy(timeout_s=120, what="the strict web app")
        return supervisor, web_port

    supervisor, web_port = start_on_fresh_ports(start, "the strict web app")
    try:
        yield f"http://127.0.0.1:{web_port}"
    finally:
        supervisor.stop()


def test_rate_limit_per_sender_answers_429_with_retry_after(assistant, strict_web, web_sender):
    statuses, retry_after = [], None
    for i in range(5):
        response = post_chat(assistant, {"sender": web_sender, "message": f"hi {i}"}, web_url=strict_web)
        statuses.append(response.status_code)
        if response.status_code == 429:
            retry_after = int(response.headers["Retry-After"])
            assert "too many requests" in response.json()["error"]
    assert statuses == [200, 200, 200, 429, 429]
    assert 1 <= retry_after <= 20
    assert user_turns(assistant, f"web:{web_sender}") == ["hi 0", "hi 1", "hi 2"]  # refused turns reached nobody
    other = post_chat(assistant, {"sender": web_sender + "-2", "message": "hi"}, web_url=strict_web)
    assert other.status_code == 200  # another shopper is not affected
    metrics = requests.get(f"{strict_web}/metrics", timeout=10).text
    assert 'omnishop_api_responses_total{path="/api/chat",status="429"} 2' in metrics
    assert "omnishop_chat_turn_seconds_count 4" in metrics
