"""Entity values of the latest message, for the actions that read one directly (orders, cart lines)."""
from __future__ import annotations

from rasa_sdk import Tracker


def entity_values(tracker: Tracker, name: str) -> list:
    return [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == name]
