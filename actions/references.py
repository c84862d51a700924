"""Resolve "the second one", "the black ones", "that one" or a button's product id to shown products."""
from __future__ import annotations

from rasa_sdk import Tracker


def ordinal_position(ordinal, length: int) -> int | None:
    """The list index "the second" (2) or "the last" (-1) points at in a list of `length`
    items; None when the ordinal is not a number or points outside the list."""
    try:
        position = int(ordinal)
    except (TypeError, ValueError):
        return None
    index = position - 1 if position > 0 else length + position
    return index if position and 0 <= index < length else None


def entity_values(tracker: Tracker, name: str) -> list:
    return [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == name]


def referenced_products(tracker: Tracker) -> list[dict]:
    """The shown product cards the latest message points at (in the order mentioned)."""
    shown: list[dict] = tracker.get_slot("last_results") or []
    ids = entity_values(tracker, "product_id") + entity_values(tracker, "similar_to")
    picked = [card for wanted in ids for card in shown if wanted in (card["id"], card["group_id"])]
    if ids and not picked:  # a button from an older page: keep the id so the catalog can answer
        picked = [{"id": wanted, "group_id": wanted} for wanted in ids]
    for ordinal in entity_values(tracker, "ordinal"):
        index = ordinal_position(ordinal, len(shown))
        if index is not None:
            picked.append(shown[index])
    colours = entity_values(tracker, "color")
    if not picked and colours:  # "the black ones"
        picked = [card for card in shown if card.get("color") in colours]
    if not picked and len(shown) == 1:
        picked = shown[:]
    unique = {card["group_id"]: card for card in reversed(picked)}  # "the first one, the first" once
    return [card for card in picked if unique.get(card["group_id"]) is card]
