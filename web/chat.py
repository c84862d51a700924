"""The widget's chat endpoint: validates the turn and forwards it to the Rasa REST channel.

A retried request (same sender and message_id, e.g. after a network error) gets the first
answer again instead of being sent to the dialogue twice.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import Blueprint, current_app, jsonify, request

from web.rasa_client import DialogueUnavailable

MAX_MESSAGE_CHARS = 1000
MAX_SENDER_CHARS = 128
REPLAY_CACHE_SIZE = 5000
REPLAY_TTL_S = 600

bp = Blueprint("chat", __name__)


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
    if not isinstance(metadata, dict):
        return "metadata must be a JSON object"
    return sender.strip(), message, metadata


@bp.post("/api/chat")
def chat():
    checked = validate_turn(request.get_json(silent=True))
    if isinstance(checked, str):
        return bad_request(checked)
    sender, message, metadata = checked
    # Only what the server knows about the shopper is passed on (never client-set prices).
    forwarded = {"channel": "web", "message_id": str(metadata.get("message_id") or "")[:64]}
    customer = request.cookies.get("omnishop_customer")
    if customer:
        forwarded["customer_id"] = customer
    client = current_app.extensions["omnishop.rasa"]

    def turn():
        return client.send(f"web:{sender}", message, forwarded)

    try:
        if forwarded["message_id"]:
            answer = current_app.extensions["omnishop.replays"].run_once((sender, forwarded["message_id"]), turn)
        else:
            answer = turn()
    except DialogueUnavailable as exc:
        current_app.logger.warning("chat turn failed: %s", exc)
        return jsonify({"error": "the assistant is restarting, please retry in a moment"}), 503
    return jsonify(answer)
