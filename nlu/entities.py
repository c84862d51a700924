"""Rebuild the public constraint shape from Rasa entities.

The dialogue sees constraints as entities, whether they came from the parser on typed
text, from DIET, from a button payload like `/search_product{"color": "blue"}`, or from an
Alexa slot. One function turns any of those into the `constraints` object of the parse API,
so the action server and `/api/parse` always agree.

Beyond interfaces.md §3, compatibly: `exclude` ({"color": [...], "brand": [...], "category":
[...], "material": [...]}, only the kinds said, from `exclude_*` entities), `sort` (one of
SORT_ORDERS) and, when several sizes are said ("9 or 9.5"), `size.values` with all of them
in order (`size.value` stays the first).
"""
from __future__ import annotations

SORT_ORDERS = ("price_asc", "price_desc", "rating_desc", "popularity_desc", "newest")
# exclusion entity -> its key in `exclude`
EXCLUSION_ENTITIES = {"exclude_color": "color", "exclude_brand": "brand", "exclude_category": "category",
                      "exclude_material": "material"}
CONSTRAINT_ENTITIES = (
    "category", "brand", "color", "gender", "size", "size_system",
    "price_min", "price_max", "currency", "rating_min", "sort", *EXCLUSION_ENTITIES,
)


def _number(value):
    number = float(value)
    return int(number) if number.is_integer() else number


def empty_constraints() -> dict:
    return {"category": None, "brand": None, "color": None, "gender": None,
            "size": None, "price": None, "rating_min": None, "exclude": None, "sort": None}


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
    sizes = list(dict.fromkeys(str(size) for size in values.get("size", [])))
    if sizes:
        constraints["size"] = {"value": sizes[0], "system": first("size_system")}
        if len(sizes) > 1:
            constraints["size"]["values"] = sizes
    if first("price_min") is not None or first("price_max") is not None:
        constraints["price"] = {
            "min": None if first("price_min") is None else _number(first("price_min")),
            "max": None if first("price_max") is None else _number(first("price_max")),
            "currency": first("currency") or default_currency,
        }
    if first("rating_min") is not None:
        constraints["rating_min"] = _number(first("rating_min"))
    constraints["exclude"] = {kind: values[name] for name, kind in EXCLUSION_ENTITIES.items() if values.get(name)} \
        or None
    constraints["sort"] = next((order for order in values.get("sort", []) if order in SORT_ORDERS), None)
    return constraints
