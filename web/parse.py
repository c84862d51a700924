"""`POST /api/parse`: what the NLU understood, in the public constraints shape (§3)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from nlu.entities import constraints_from_entities
from web.chat import MAX_MESSAGE_CHARS, bad_request, is_valid_unicode, rate_limited
from web.rasa_client import DialogueUnavailable

bp = Blueprint("parse", __name__)


@bp.post("/api/parse")
def parse():
    refused = rate_limited()
    if refused:
        return refused
    body = request.get_json(silent=True)
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        return bad_request("text must be a non-empty string")
    if len(text) > MAX_MESSAGE_CHARS:
        return bad_request(f"text is longer than {MAX_MESSAGE_CHARS} characters")
    if not is_valid_unicode(text):
        return bad_request("text must be valid Unicode (a lone UTF-16 surrogate is not)")
    try:
        parsed = current_app.extensions["omnishop.rasa"].parse(text)
    except DialogueUnavailable as exc:
        return jsonify({"error": str(exc)}), 503
    intent = parsed.get("intent") or {}
    return jsonify({
        "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
        "constraints": constraints_from_entities(parsed.get("entities", [])),
        "entities": parsed.get("entities", []),
    })
