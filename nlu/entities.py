"""Rebuild the public constraint shape from Rasa entities.

The dialogue sees constraints as entities, whether they came from the parser on typed
text, from DIET, from a button payload like `/search_product{"color": "blue"}`, or from an
Alexa slot. One function turns any of those into the `constraints` object of the parse API,
so the action server and `/api/parse` always agree.
"""
from __future__ import annotations

CONSTRAINT_ENTITIES = (
    "category", "brand", "color", "gender", "size", "size_system",
    "price_min", "price_max", "currency", "rating_min",
)


def _number(value):
    number = float(value)
    return int(number) if number.is_integer() else number


def empty_constraints() -> dict:
    return {"category": None, "brand": None, "color": None, "gender": None,
            "size": None, "price": None, "rating_min": None}


def constraints_from_entities(entities: list[dict], default_currency: str = "USD") -> dict:
    constraints = empty_constraints()
    values: dict[str, list] = {}
    for entity in entities:
        name, value = entity.get("entity"), entity.get("value")
        if name in CONSTRAINT_ENTITIES and value not in (None, ""):
            for item in value if isinstance(value, list) else [value]:
                if item not in values.setdefault(name, []):
                    values[name].append(item)

    def first(name):
        return values.get(name, [None])[0]

    constraints["category"] = first("category")
    constraints["brand"] = values.get("brand") or None
    constraints["color"] = values.get("color") or None
    constraints["gender"] = first("gender")
    if first("size") is not None:
        constraints["size"] = {"value": str(first("size")), "system": first("size_system")}
    if first("price_min") is not None or first("price_max") is not None:
        constraints["price"] = {
            "min": None if first("price_min") is None else _number(first("price_min")),
            "max": None if first("price_max") is None else _number(first("price_max")),
            "currency": first("currency") or default_currency,
        }
    if first("rating_min") is not None:
        constraints["rating_min"] = _number(first("rating_min"))
    return constraints
