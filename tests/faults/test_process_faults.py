"""Processes dying under a shopper: the action server killed mid-checkout, Rasa restarted
mid-conversation, the web app stopped (SIGTERM) with a turn in flight."""
from __future__ import annotations

import signal
import threading

import pytest
import requests

from web.chat import NO_ANSWER_TEXT
from tests.e2e.conftest import custom_payloads
from tests.faults.conftest import established_connections, refuses_connections, texts, wait_until

pytestmark = pytest.mark.e2e


def search_and_add(stack, sender: str) -> dict:
    """Search, add the first result to the cart; returns the product added."""
    found = stack.chat(sender, "show me backpacks")
    product = custom_payloads(found.json(), "product_list")[0]["products"][0]
    added = stack.chat(sender, f'/add_to_cart{{"product_id": "{product["id"]}"}}').json()
    assert custom_payloads(added, "cart"), added
    return product


def test_action_server_killed_mid_checkout_then_checkout_completes_once(stack, sender):
    product = search_and_add(stack, sender)
    assert any("Shall I place it" in t for t in texts(stack.chat(sender, "checkout")))

    stack.supervisor.stop_process("actions", signal.SIGKILL)
    try:
        during = stack.chat(sender, "yes")
        assert during.status_code == 200
        assert texts(during) == [NO_ANSWER_TEXT]  # a clear message, not silence or a stack trace
        assert stack.cart(sender) == [(product["id"], 1)]  # the cart is intact
        assert stack.orders(sender) == []
    finally:
        stack.restart("actions")

    placed = custom_payloads(stack.chat(sender, "yes").json(), "order")
    assert placed and placed[0]["status"] == "placed" and placed[0]["total"] == product["price"]
    stack.chat(sender, "yes")  # an impatient second yes places nothing more
    assert stack.orders(sender) == [placed[0]["order_id"]]
    assert stack.cart(sender) == []


def test_rasa_restarted_mid_conversation_keeps_the_conversation(stack, sender):
    found = custom_payloads(stack.chat(sender, "men's running shoes under $100 in size 10").json(), "product_list")
    first = found[0]["products"][0]

    stack.supervisor.stop_process("rasa")
    try:
        down = stack.chat(sender, "add the first one to my cart")
        assert down.status_code == 503 and "retry" in down.json()["error"]
        assert requests.get(f"{stack.assistant.web_url}/healthz", timeout=10).status_code == 503  # not ready
        assert stack.cart(sender) == []
    finally:
        stack.restart("rasa")
    assert requests.get(f"{stack.assistant.web_url}/healthz", timeout=10).status_code == 200

    # "the first one" still means the first result shown before the restart: the search
    # results and the query live in the tracker store, not in the Rasa process.
    messages = stack.chat(sender, "add the first one to my cart").json()
    if not custom_payloads(messages, "cart"):  # asked which size: the query's size 10 is offered
        messages = stack.chat(sender, [b for m in messages for b in m.get("buttons", [])][0]["payload"]).json()
    cart = custom_payloads(messages, "cart")[0]
    assert [item["title"] for item in cart["items"]] == [first["title"]]
    assert any("Shall I place it" in t for t in texts(stack.chat(sender, "checkout")))
    placed = custom_payloads(stack.chat(sender, "yes").json(), "order")
    assert placed and stack.orders(sender) == [placed[0]["order_id"]]


def test_web_app_sigterm_finishes_the_turn_in_flight_then_exits_cleanly(stack, sender):
    product = search_and_add(stack, sender)
    actions_port = stack.port_of("actions")
    wait_until(lambda: established_connections(actions_port) == 0, 30, "no call to the action server is open")
    lock = stack.lock_database()  # holds the next turn inside the action server for a while
    answer: dict = {}
    in_flight = threading.Thread(target=lambda: answer.update(response=stack.chat(sender, "show me my cart")))
    try:
        in_flight.start()
        # In flight: the web app is waiting for Rasa, which is waiting for the action server
        # (Rasa opens a connection per action call), which is waiting for the database.
        wait_until(lambda: established_connections(actions_port), 60, "the turn reaches the action server")
        web = stack.supervisor.children["web"]
        web.send_signal(signal.SIGTERM)
        wait_until(lambda: refuses_connections(f"{stack.assistant.web_url}/healthz?live=1"), 15,
                   "the web app stops accepting new connections after SIGTERM")
        assert web.poll() is None  # still finishing the turn in flight
    finally:
        lock.rollback()
        lock.close()
    in_flight.join(timeout=90)
    try:
        assert web.wait(timeout=30) == 0
        response = answer["response"]
        assert response.status_code == 200
        cart = custom_payloads(response.json(), "cart")
        assert cart and cart[0]["items"][0]["id"] == product["id"]
    finally:
        stack.restart("web")
