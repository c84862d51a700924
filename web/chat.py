"""The widget's chat endpoint: validates the turn and forwards it to the Rasa REST channel.

A retried request (same sender and message_id, e.g. after a network error) gets the first
answer again instead of being sent to the dialogue twice. A turn the dialogue answers with
nothing (an action failed: action server down, database unavailable) gets an apology that
says nothing was lost, and is not remembered, so retrying it runs it again.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

from flask import Blueprint, current_app, jsonify, request

from web.ratelimit import too_many_requests
from web.rasa_client import DialogueUnavailable

MAX_MESSAGE_CHARS = 1000
MAX_SENDER_CHARS = 128
REPLAY_CACHE_SIZE = 5000
REPLAY_TTL_S = 600
NO_ANSWER_TEXT = ("Sorry, I couldn't finish that just now. Nothing was lost: your cart and orders are safe. "
                  "Please try again in a moment.")

log = logging.getLogger("omnishop.chat")

bp = Blueprint("chat", __name__)


class NoAnswer(RuntimeError):
    """The dialogue answered a turn with no message at all: one of its actions failed."""


class ReplayCache:
    """Answers by (sender, message_id), so retries are answered without a second turn."""

    def __init__(self, size: int = REPLAY_CACHE_SIZE, ttl_s: float = REPLAY_TTL_S):
        self.size, self.ttl_s = size, ttl_s
        self._items: OrderedDict[tuple[str, str], tuple[float, list]] = OrderedDict()
        self._lock = threading.Lock()
        self._in_flight: dict[tuple[str, str], threading.Event] = {}

    def run_once(self, key: tuple[str, str], turn):
        with self._lock:
            cached = self._items.get(key)
            if cached and time.monotonic() - cached[0] < self.ttl_s:
                return cached[1]
            waiting = self._in_flight.get(key)
            if waiting is None:
                self._in_flight[key] = threading.Event()
        if waiting is not None:  # the same message is being answered right now: wait for it
            waiting.wait(timeout=60)
            return self.run_once(key, turn)
        try:
            answer = turn()
            with self._lock:
                self._items[key] = (time.monotonic(), answer)
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            return answer
        finally:
            with self._lock:
                self._in_flight.pop(key).set()


def bad_request(reason: str, status: int = 400):
    return jsonify({"error": reason}), status


def is_valid_unicode(value: str) -> bool:
    """JSON's \\ud800-style escapes can smuggle lone surrogates that no UTF-8 encoder accepts."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_turn(body) -> tuple[str, str, dict] | str:
    """Return (sender, message, metadata) or a reason why the request is refused."""
    if not isinstance(body, dict):
        return "body must be a JSON object"
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata") or {}
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return f"sender must be a non-empty string of at most {MAX_SENDER_CHARS} characters"
    if not isinstance(message, str) or not message.strip():
        return "message must be a non-empty string"
    if len(message) > MAX_MESSAGE_CHARS:
        return f"message is longer than {MAX_MESSAGE_CHARS} characters"
    if not is_valid_unicode(message) or not is_valid_unicode(sender):
        return "sender and message must be valid Unicode text (a lone UTF-16 surrogate is not)"
    if "\x00" in message or "\x00" in sender:  # PostgreSQL's text and JSON types cannot store it
        return "sender and message must not contain NUL characters"
    if not isinstance(metadata, dict):
        return "metadata must be a JSON object"
    return sender.strip(), message, metadata


def signed_in_customer() -> str | None:
    """The customer named by the retailer login's signed `omnishop_customer` cookie; None for a
    guest, a forged or expired cookie, or when no login is connected. A customer id that a
    client merely states is never believed: it would hand over someone else's cart."""
    tokens = current_app.extensions.get("omnishop.customer_tokens")
    cookie = request.cookies.get("omnishop_customer")
    return tokens.customer_id(cookie) if tokens is not None and cookie else None


def rate_limited(sender: str | None = None):
    """The 429 answer when this client address (or sender, when given) is over its limit."""
    limits = current_app.extensions.get("omnishop.limits")
    if limits is None:
        return None
    wait_s = limits.check_sender(sender) if sender is not None else limits.check_client(request.remote_addr)
    if wait_s:
        log.warning("rate limited", extra={"conversation_id": sender, "client": request.remote_addr})
        return too_many_requests(wait_s, "sender" if sender is not None else "address")
    return None


@bp.post("/api/chat")
def chat():
    refused = rate_limited()
    if refused:
        return refused
    checked = validate_turn(request.get_json(silent=True))
    if isinstance(checked, str):
        return bad_request(checked)
    sender, message, metadata = checked
    refused = rate_limited(sender)
    if refused:
        return refused
    # Only what the server knows about the shopper is passed on (never client-set prices).
    forwarded = {"channel": "web", "message_id": str(metadata.get("message_id") or "")[:64]}
    customer = signed_in_customer()
    if customer:
        forwarded["customer_id"] = customer
    client = current_app.extensions["omnishop.rasa"]

    def turn():
        answer = client.send(f"web:{sender}", message, forwarded)
        if not answer:
            raise NoAnswer(f"no answer to a turn of web:{sender}")
        return answer

    started = time.perf_counter()
    outcome = "answered"
    try:
        if forwarded["message_id"]:
            answer = current_app.extensions["omnishop.replays"].run_once((sender, forwarded["message_id"]), turn)
        else:
            answer = turn()
    except DialogueUnavailable as exc:
        log.warning("chat turn failed: %s", exc, extra={"conversation_id": f"web:{sender}"})
        return jsonify({"error": "the assistant is restarting, please retry in a moment"}), 503
    except NoAnswer:
        outcome = "no_answer"
        answer = [{"recipient_id": f"web:{sender}", "text": NO_ANSWER_TEXT}]
    finally:
        elapsed_s = time.perf_counter() - started
        metrics = current_app.extensions.get("omnishop.metrics")
        if metrics is not None:
            metrics.turn_seconds.observe(elapsed_s)
    log.info("chat turn %s", outcome, extra={"conversation_id": f"web:{sender}", "outcome": outcome,
                                              "latency_ms": round(elapsed_s * 1000, 1)})
    return jsonify(answer)
