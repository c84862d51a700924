"""Typed builders for intent messages, buttons and the widget's `custom` payloads.

An intent message is Rasa's `/intent{"entity": value}`; its entities are always written with
`json.dumps`, so a quote or a brace in a size or a product id cannot break it, and read back
with `parse_intent_message`.
"""
from __future__ import annotations

import json
from typing import Any, Literal, NotRequired, TypedDict

from contract.money import format_money


def intent_message(intent: str, **entities: Any) -> str:
    """`/intent` or `/intent{...}` with the given entities (None values are left out)."""
    given = {name: value for name, value in entities.items() if value is not None}
    return "/" + intent + (json.dumps(given) if given else "")


def parse_intent_message(message: str) -> tuple[str, dict] | None:
    """(intent, entities) of an intent message, or None when `message` is plain text."""
    if not message.startswith("/"):
        return None
    intent, brace, rest = message[1:].partition("{")
    if not brace:
        return intent.strip(), {}
    try:
        entities = json.loads(brace + rest)
    except ValueError:
        return None
    return (intent.strip(), entities) if isinstance(entities, dict) else None


class Button(TypedDict):
    title: str
    payload: str


def intent_button(title: str, intent: str, **entities: Any) -> Button:
    """A button that sends an intent with entities (no NLU involved)."""
    return {"title": title, "payload": intent_message(intent, **entities)}


def text_button(title: str, text: str) -> Button:
    """A button that sends `text` as if typed (for answers the NLU must read, e.g. "any size")."""
    return {"title": title, "payload": text}


class ProductList(TypedDict):
    type: Literal["product_list"]
    query: dict
    products: list[dict]


class Alternatives(TypedDict):
    type: Literal["alternatives"]
    relaxed: list[str]
    query: dict
    products: list[dict]


class LineItem(TypedDict):
    id: str
    title: str
    size: str | None
    color: str | None
    quantity: int
    unit_price: float
    unit_price_text: NotRequired[str]  # the amounts as the shop writes them ("₹1,499.00")
    line_total_text: NotRequired[str]


class CartItem(LineItem):
    line_total: float


class Cart(TypedDict):
    type: Literal["cart"]
    items: list[CartItem]
    total: float
    currency: str
    total_text: NotRequired[str]


class Order(TypedDict):
    type: Literal["order"]
    order_id: str
    status: str
    items: list[LineItem]
    total: float
    currency: str
    total_text: NotRequired[str]


def product_list(query: dict, products: list[dict]) -> ProductList:
    return {"type": "product_list", "query": query, "products": products}


def alternatives(relaxed: list[str], query: dict, products: list[dict]) -> Alternatives:
    return {"type": "alternatives", "relaxed": relaxed, "query": query, "products": products}


def cart(items: list[CartItem], currency: str, locale: str | None = None) -> Cart:
    """With a `locale`, every amount also as the shop writes it (`unit_price_text`,
    `line_total_text`, `total_text`), for clients to show as is."""
    total = round(sum(i["line_total"] for i in items), 2)
    if locale:
        items = [{**i, "unit_price_text": format_money(i["unit_price"], currency, locale),
                  "line_total_text": format_money(i["line_total"], currency, locale)} for i in items]
    payload: Cart = {"type": "cart", "items": items, "total": total, "currency": currency}
    if locale:
        payload["total_text"] = format_money(total, currency, locale)
    return payload


def order(order_id: str, status: str, items: list[LineItem], total: float, currency: str,
          locale: str | None = None) -> Order:
    """With a `locale`, the amounts also as the shop writes them, as in `cart`."""
    if locale:
        items = [{**i, "unit_price_text": format_money(i["unit_price"], currency, locale),
                  "line_total_text": format_money(i["unit_price"] * i["quantity"], currency, locale)} for i in items]
    payload: Order = {"type": "order", "order_id": order_id, "status": status, "items": items, "total": total,
                      "currency": currency}
    if locale:
        payload["total_text"] = format_money(total, currency, locale)
    return payload
