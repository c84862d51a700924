"""Cart and checkout. Prices always come from the catalog, never from the conversation."""
from __future__ import annotations

import uuid

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.references import entity_values, referenced_products
from recommender.live_catalog import offer
from store.shop import PricedLine

MAX_QUANTITY = 10


def priced_cart(owner: str) -> tuple[list[PricedLine], list[str]]:
    """The owner's cart priced from today's catalog, and the titles of lines no longer sold."""
    arrays = services.recommender().catalog.arrays()
    lines, gone = [], []
    for variant_id, quantity in services.shop().cart(owner):
        facts = offer(arrays, variant_id)
        if facts is None:
            gone.append(variant_id)
            continue
        lines.append(PricedLine(variant_id, facts["title"], facts["size"], facts["color"], quantity, facts["price"]))
    return lines, gone


def cart_payload(lines: list[PricedLine], currency: str = "USD") -> dict:
    return {
        "type": "cart",
        "items": [{"id": l.variant_id, "title": l.title, "size": l.size, "color": l.color, "quantity": l.quantity,
                   "unit_price": l.unit_price, "line_total": l.line_total} for l in lines],
        "total": round(sum(l.line_total for l in lines), 2),
        "currency": currency,
    }


def show_cart(dispatcher: CollectingDispatcher, owner: str, lead: str = "") -> None:
    lines, gone = priced_cart(owner)
    if gone:
        dispatcher.utter_message(text=f"{len(gone)} item(s) in your cart are no longer sold and were left out.")
    if not lines:
        dispatcher.utter_message(text=(lead + " " if lead else "") + "Your cart is empty.")
        return
    payload = cart_payload(lines)
    count = sum(l.quantity for l in lines)
    dispatcher.utter_message(
        text=(lead + " " if lead else "") + f"Your cart has {count} item(s), total ${payload['total']:.2f}.",
        json_message=payload,
        buttons=[{"title": "Checkout", "payload": "/checkout"}],
    )


def _variant_for(card: dict, size: str | None) -> tuple[dict | None, list[dict]]:
    """The variant to add: the card's own, or the one in the requested size and same colour."""
    arrays = services.recommender().catalog.arrays()
    chosen = offer(arrays, card["id"])
    row = services.recommender().product_row(arrays, card["id"])
    if row is None:
        return None, []
    start, end = int(arrays.variant_start[row]), int(arrays.variant_start[row + 1])
    siblings = [offer(arrays, arrays.variant_rows[i]["id"]) for i in range(start, end)]
    colour = chosen["color"] if chosen else None
    same_colour = [v for v in siblings if v and v["in_stock"] and (colour is None or v["color"] == colour)]
    if size:
        return next((v for v in same_colour if v["size"] == size), None), same_colour
    if chosen and (card.get("size_confirmed") or len({v["size"] for v in same_colour}) <= 1):
        return chosen, same_colour
    return None, same_colour


class ActionAddToCart(Action):
    def name(self) -> str:
        return "action_add_to_cart"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        picked = referenced_products(tracker)
        if not picked:
            dispatcher.utter_message(text="Which one would you like? Say \"the first one\" or tap Add to cart on a card.")
            return []
        card = picked[0]
        query = tracker.get_slot("search_query") or {}
        size = next(iter(entity_values(tracker, "size")), None) or (query.get("size") or {}).get("value")
        if entity_values(tracker, "product_id") and not entity_values(tracker, "size"):
            # A button names an exact variant; its size was chosen when the card was built.
            card = {**card, "size_confirmed": bool(size) or card.get("id") != card.get("group_id")}
        variant, same_colour = _variant_for(card, size)
        if variant is None:
            if size and same_colour:
                sizes = ", ".join(sorted({v["size"] for v in same_colour}))
                dispatcher.utter_message(text=f"Sorry, that's not in stock in size {size}. In stock: {sizes}.")
            elif same_colour:
                dispatcher.utter_message(
                    text="Which size would you like?",
                    buttons=[{"title": v["size"], "payload": f'/add_to_cart{{"product_id": "{v["id"]}", "size": "{v["size"]}"}}'}
                             for v in same_colour[:12]],
                )
            else:
                dispatcher.utter_message(text="Sorry, that product is out of stock right now.")
            return []
        try:
            quantity = max(1, min(MAX_QUANTITY, int(next(iter(entity_values(tracker, "quantity")), 1))))
        except (TypeError, ValueError):
            quantity = 1
        if variant["quantity"] is not None and variant["quantity"] < quantity:
            dispatcher.utter_message(text=f"Sorry, only {variant['quantity']} left of that one.")
            return []
        services.shop().add_to_cart(services.owner(tracker), variant["id"], quantity)
        size_text = f", size {variant['size']}" if variant["size"] and variant["size"] != "ONE SIZE" else ""
        show_cart(dispatcher, services.owner(tracker), f"Added {quantity} x {variant['title']} ({variant['color']}{size_text}).")
        return []


class ActionRemoveFromCart(Action):
    def name(self) -> str:
        return "action_remove_from_cart"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        owner = services.owner(tracker)
        lines = services.shop().cart(owner)
        text = (tracker.latest_message.get("text") or "").lower()
        ordinals = [int(o) for o in entity_values(tracker, "ordinal") if str(o).lstrip("-").isdigit()]
        targets = [e for e in entity_values(tracker, "product_id")]
        if ordinals:
            targets += [lines[o - 1 if o > 0 else len(lines) + o][0] for o in ordinals if -len(lines) <= o <= len(lines) and o]
        if targets:
            for variant_id in targets:
                services.shop().remove_from_cart(owner, variant_id)
        elif "everything" in text or "empty" in text or "all" in text.split() or len(lines) == 1:
            services.shop().remove_from_cart(owner)
        else:
            dispatcher.utter_message(text="Which item should I remove? Say \"the first item\" or \"empty my cart\".")
            return []
        show_cart(dispatcher, owner, "Done.")
        return []


class ActionViewCart(Action):
    def name(self) -> str:
        return "action_view_cart"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        show_cart(dispatcher, services.owner(tracker))
        return []


class ActionCheckoutSummary(Action):
    """Read back items and total and ask for an explicit yes; mint the idempotency key."""

    def name(self) -> str:
        return "action_checkout_summary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        lines, _ = priced_cart(services.owner(tracker))
        if not lines:
            dispatcher.utter_message(text="Your cart is empty, so there's nothing to check out yet.")
            return [SlotSet("pending_checkout", None)]
        total = sum(l.line_total for l in lines)
        items = "; ".join(f"{l.quantity} x {l.title}" + (f" (size {l.size})" if l.size and l.size != "ONE SIZE" else "") for l in lines)
        dispatcher.utter_message(
            text=f"Your order: {items}. Total ${total:.2f}. Shall I place it?",
            json_message=cart_payload(lines),
            buttons=[{"title": "Yes, place order", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
        )
        return [SlotSet("pending_checkout", tracker.get_slot("pending_checkout") or uuid.uuid4().hex)]


class ActionPlaceOrder(Action):
    def name(self) -> str:
        return "action_place_order"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        key = tracker.get_slot("pending_checkout")
        owner = services.owner(tracker)
        if not key:
            dispatcher.utter_message(text="There's no order waiting for confirmation. Say \"checkout\" when you're ready.")
            return []
        existing = services.shop().order_by_key(key)
        lines, _ = priced_cart(owner)
        if existing is None:
            short = [l for l in lines if (offer(services.recommender().catalog.arrays(), l.variant_id) or {}).get("in_stock") is False]
            if short:
                dispatcher.utter_message(text=f"Sorry, {short[0].title} just went out of stock. I've kept your cart; please remove it and check out again.")
                return [SlotSet("pending_checkout", None)]
            if not lines:
                dispatcher.utter_message(text="Your cart is empty, so there's nothing to order.")
                return [SlotSet("pending_checkout", None)]
        order, _created = services.shop().place_order(owner, key, lines, "USD") if existing is None else (existing, False)
        dispatcher.utter_message(
            text=f"Order {order.reference} is placed. Total ${float(order.total):.2f}. You can ask me \"where is my order\" any time.",
            json_message=order_payload(order),
        )
        return [SlotSet("pending_checkout", None)]


class ActionCancelCheckout(Action):
    def name(self) -> str:
        return "action_cancel_checkout"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        if tracker.get_slot("pending_checkout"):
            dispatcher.utter_message(text="OK, I haven't placed the order. Your cart is saved.")
        else:
            dispatcher.utter_message(text="OK. What else can I help you find?")
        return [SlotSet("pending_checkout", None)]


def order_payload(order) -> dict:
    return {
        "type": "order",
        "order_id": order.reference,
        "status": order.status,
        "items": [{"id": l.variant_id, "title": l.title, "size": l.size, "color": l.color, "quantity": l.quantity,
                   "unit_price": float(l.unit_price)} for l in order.lines],
        "total": float(order.total),
        "currency": order.currency,
    }
