"""Rate limits of the chat API: token buckets per sender and per client address, 429 + Retry-After."""
from __future__ import annotations

import pytest
from flask import Flask

from web import chat, parse
from runtime.settings import Settings
from web.ratelimit import Rate, RateLimits, TokenBuckets
from tests.web.test_chat_api import FakeRasa


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_bucket_allows_a_burst_then_refills_at_the_configured_rate():
    clock = Clock()
    buckets = TokenBuckets(Rate(3, 6), clock=clock)  # 3 turns, one more every 2 s
    assert [buckets.take("s") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("s") == pytest.approx(2.0)
    assert buckets.take("other") == 0  # buckets are per key
    clock.now += 2.0
    assert buckets.take("s") == 0
    assert buckets.take("s") > 0


def test_refused_requests_do_not_drain_the_bucket_further():
    clock = Clock()
    buckets = TokenBuckets(Rate(1, 10), clock=clock)
    buckets.take("s")
    for _ in range(50):
        buckets.take("s")
    clock.now += 10
    assert buckets.take("s") == 0


def test_least_recently_seen_keys_are_forgotten_beyond_the_cap():
    buckets = TokenBuckets(Rate(1, 60), clock=Clock(), max_keys=2)
    for key in ("a", "b", "c"):
        buckets.take(key)
    assert buckets.take("a") == 0  # forgotten, so a full bucket again
    assert buckets.take("c") > 0


@pytest.mark.parametrize("spec, expected", [("30/60", Rate(30, 60)), ("5", Rate(5, 1)), ("off", None), ("0", None)])
def test_rate_specs_parse(spec, expected):
    assert Rate.parse(spec) == expected


@pytest.mark.parametrize("spec", ["-1/60", "ten/60", "5/0"])
def test_bad_rate_specs_are_refused(spec):
    with pytest.raises(ValueError):
        Rate.parse(spec)


def limited_app(sender_limit: str, client_limit: str = "off") -> tuple[Flask, FakeRasa]:
    app = Flask(__name__)
    rasa = FakeRasa()
    app.extensions["omnishop.rasa"] = rasa
    app.extensions["omnishop.replays"] = chat.ReplayCache()
    app.extensions["omnishop.limits"] = RateLimits.from_settings(Settings.from_env(
        {"OMNISHOP_RATE_LIMIT_SENDER": sender_limit, "OMNISHOP_RATE_LIMIT_CLIENT": client_limit}).web)
    app.register_blueprint(chat.bp)
    app.register_blueprint(parse.bp)
    return app, rasa


def test_a_sender_over_its_limit_gets_429_with_retry_after_and_reaches_nobody():
    app, rasa = limited_app("2/60")
    client = app.test_client()
    statuses = [client.post("/api/chat", json={"sender": "flood", "message": f"hi {i}"}).status_code for i in range(4)]
    assert statuses == [200, 200, 429, 429]
    refused = client.post("/api/chat", json={"sender": "flood", "message": "hi"})
    assert int(refused.headers["Retry-After"]) == 30
    assert "too many requests from this sender" in refused.get_json()["error"]
    assert len(rasa.turns) == 2
    assert client.post("/api/chat", json={"sender": "someone-else", "message": "hi"}).status_code == 200


def test_rotating_senders_from_one_address_hit_the_address_limit():
    app, rasa = limited_app("off", client_limit="3/60")
    client = app.test_client()
    statuses = [client.post("/api/chat", json={"sender": f"s{i}", "message": "hi"}).status_code for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert len(rasa.turns) == 3


def test_parse_api_shares_the_address_limit():
    app, _ = limited_app("off", client_limit="2/60")
    client = app.test_client()
    statuses = [client.post("/api/parse", json={"text": "red shoes"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.post("/api/chat", json={"sender": "s", "message": "hi"}).status_code == 429
