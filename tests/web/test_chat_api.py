"""The widget's chat API: refuses bad turns with a reason, forwards good ones once."""
from __future__ import annotations

import threading

import pytest
from flask import Flask

from web import chat, parse
from web.rasa_client import DialogueUnavailable


class FakeRasa:
    """Stands in for the Rasa server (a neighbour); records what it was sent."""

    def __init__(self, fail: bool = False):
        self.turns: list[tuple[str, str, dict]] = []
        self.fail = fail
        self.lock = threading.Lock()

    def send(self, sender, message, metadata):
        if self.fail:
            raise DialogueUnavailable("down")
        with self.lock:
            self.turns.append((sender, message, metadata))
            return [{"recipient_id": sender, "text": f"reply {len(self.turns)}"}]

    def parse(self, text):
        return {"intent": {"name": "search_product", "confidence": 0.9},
                "entities": [{"entity": "price_max", "value": 100}, {"entity": "color", "value": "black"}]}


@pytest.fixture
def app_and_rasa():
    app = Flask(__name__)
    rasa = FakeRasa()
    app.extensions["omnishop.rasa"] = rasa
    app.extensions["omnishop.replays"] = chat.ReplayCache()
    app.register_blueprint(chat.bp)
    app.register_blueprint(parse.bp)
    return app, rasa


@pytest.mark.parametrize("body, reason", [
    (None, "body must be a JSON object"),
    ([], "body must be a JSON object"),
    ({"message": "hi"}, "sender must be"),
    ({"sender": "s" * 129, "message": "hi"}, "sender must be"),
    ({"sender": "a", "message": "   "}, "message must be a non-empty string"),
    ({"sender": "a", "message": 5}, "message must be a non-empty string"),
    ({"sender": "a", "message": "x" * 1001}, "longer than 1000"),
    ({"sender": "a", "message": "hi", "metadata": "x"}, "metadata must be a JSON object"),
])
def test_bad_turns_get_400_with_reason_and_reach_nobody(app_and_rasa, body, reason):
    app, rasa = app_and_rasa
    response = app.test_client().post("/api/chat", json=body) if body is not None else \
        app.test_client().post("/api/chat", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert reason in response.get_json()["error"]
    assert rasa.turns == []


def test_retried_message_id_is_answered_once(app_and_rasa):
    app, rasa = app_and_rasa
    client = app.test_client()
    body = {"sender": "abc", "message": "hi", "metadata": {"message_id": "m-1"}}
    first, second = client.post("/api/chat", json=body), client.post("/api/chat", json=body)
    assert first.get_json() == second.get_json() == [{"recipient_id": "web:abc", "text": "reply 1"}]
    assert len(rasa.turns) == 1
    client.post("/api/chat", json={**body, "metadata": {"message_id": "m-2"}})
    assert len(rasa.turns) == 2


def test_concurrent_duplicates_are_answered_once(app_and_rasa):
    app, rasa = app_and_rasa
    body = {"sender": "abc", "message": "hi", "metadata": {"message_id": "same"}}
    results = []
    threads = [threading.Thread(target=lambda: results.append(app.test_client().post("/api/chat", json=body).get_json()))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(rasa.turns) == 1 and all(r == results[0] for r in results)


def test_client_metadata_is_not_forwarded(app_and_rasa):
    app, rasa = app_and_rasa
    app.test_client().post("/api/chat", json={"sender": "abc", "message": "/checkout",
                                              "metadata": {"total": 0.01, "customer_id": "someone-else"}})
    assert rasa.turns[0][2] == {"channel": "web", "message_id": ""}


def test_dialogue_down_is_a_503_not_a_crash(app_and_rasa):
    app, rasa = app_and_rasa
    rasa.fail = True
    response = app.test_client().post("/api/chat", json={"sender": "a", "message": "hi"})
    assert response.status_code == 503 and "retry" in response.get_json()["error"]


def test_parse_returns_contract_constraints(app_and_rasa):
    app, _ = app_and_rasa
    body = app.test_client().post("/api/parse", json={"text": "black shoes under 100"}).get_json()
    assert body["constraints"]["price"] == {"min": None, "max": 100, "currency": "USD"}
    assert body["constraints"]["color"] == ["black"]
    assert app.test_client().post("/api/parse", json={"text": ""}).status_code == 400


@pytest.mark.parametrize("cookie, forwarded", [
    ("valid", "cust-7"),           # signed by the retailer's login: the customer
    ("forged", None),              # same customer id, someone else's signature: a guest
    ("expired", None),
    ("cust-7", None),              # a bare customer id is a claim, not a login
    (None, None),
])
def test_only_a_signed_login_cookie_names_the_customer(app_and_rasa, cookie, forwarded):
    from runtime.customer_tokens import CustomerTokens

    app, rasa = app_and_rasa
    login = CustomerTokens(b"k" * 32)
    app.extensions["omnishop.customer_tokens"] = login
    values = {"valid": login.mint("cust-7", 600), "forged": CustomerTokens(b"x" * 32).mint("cust-7", 600),
              "expired": CustomerTokens(b"k" * 32, clock=lambda: 0).mint("cust-7", 600)}
    client = app.test_client()
    if cookie:
        client.set_cookie("omnishop_customer", values.get(cookie, cookie))
    assert client.post("/api/chat", json={"sender": "s1", "message": "my cart"}).status_code == 200
    assert rasa.turns[-1][2].get("customer_id") == forwarded
