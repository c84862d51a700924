"""Cart and checkout. Prices always come from the catalog, never from the conversation."""
from __future__ import annotations

import uuid
from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.base import ShopAction
from actions.references import entity_values
from contract import payloads
from contract.money import ShopMoney
from dialogue.state import Question, Step, ordinal_position, to_slot
from nlu.normalize import sizes_meant
from store.shop import OutOfStock, PricedLine

MAX_QUANTITY = 10


def priced_cart(owner: str) -> tuple[list[PricedLine], list[str]]:
    """The owner's cart priced from today's catalog, and the titles of lines no longer sold."""
    cart = services.shop().cart(owner)
    offers = services.catalog().offers(variant_id for variant_id, _ in cart)
    lines, gone = [], []
    for variant_id, quantity in cart:
        facts = offers[variant_id]
        if facts is None:
            gone.append(variant_id)
            continue
        lines.append(PricedLine(variant_id, facts["title"], facts["size"], facts["color"], quantity, facts["price"]))
    return lines, gone


def units_left(facts: dict) -> int | None:
    """Catalog stock minus the units that placed orders hold (None: stock not tracked)."""
    if facts["quantity"] is None:
        return None
    return facts["quantity"] - services.shop().reserved([facts["id"]]).get(facts["id"], 0)


def cart_payload(lines: list[PricedLine], money: ShopMoney) -> payloads.Cart:
    return payloads.cart([{"id": l.variant_id, "title": l.title, "size": l.size, "color": l.color,
                           "quantity": l.quantity, "unit_price": l.unit_price, "line_total": l.line_total}
                          for l in lines], money.currency, money.locale)


def show_cart(dispatcher: CollectingDispatcher, owner: str, lead: str = "") -> None:
    lines, gone = priced_cart(owner)
    if gone:
        dispatcher.utter_message(text=f"{len(gone)} item(s) in your cart are no longer sold and were left out.")
    if not lines:
        dispatcher.utter_message(text=(lead + " " if lead else "") + "Your cart is empty.")
        return
    money = services.money()
    payload = cart_payload(lines, money)
    count = sum(l.quantity for l in lines)
    dispatcher.utter_message(
        text=(lead + " " if lead else "") + f"Your cart has {count} item(s), total {money.price(payload['total'])}.",
        json_message=payload,
        buttons=[payloads.intent_button("Checkout", "checkout")],
    )


def _variant_for(card: dict, size: str | None) -> tuple[dict | None, list[dict]]:
    """The variant to add: the card's own, or the one in the requested size and same colour (a
    waist alone, "34", picks the one 34xNN in stock), and the variants to offer when it is not
    clear which: every size in that colour, or the lengths of that waist."""
    siblings = services.catalog().variants(card["id"])
    if not siblings:
        return None, []
    chosen = next((v for v in siblings if v and v["id"] == card["id"]), None)  # None for a product's group id
    colour = chosen["color"] if chosen else None
    same_colour = [v for v in siblings if v and v["in_stock"] and (colour is None or v["color"] == colour)]
    if size:
        exact = [v for v in same_colour if v["size"] == size]
        meant = sizes_meant(size, [v["size"] for v in same_colour])  # "34" of 34x30, 34x32; "M" of S/M
        waist = [v for v in same_colour if v["size"] in meant]
        fitting = exact or waist
        return (fitting[0] if len(fitting) == 1 else None), (waist if not exact and len(waist) > 1 else same_colour)
    if chosen and (card.get("size_confirmed") or len({v["size"] for v in same_colour}) <= 1):
        return chosen, same_colour
    return None, same_colour


def add_to_cart(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step) -> list:
    """Add the product the shopper points at, in the size answered, asked, or searched for."""
    if not step.picked:
        dispatcher.utter_message(text="Which one would you like? Say \"the first one\" or tap Add to cart on a card.")
        return []
    card = step.picked[0]
    search = step.state.search
    size = step.size or ((search.get("size") or {}).get("value") if search else None)
    if entity_values(tracker, "product_id") and not step.size:
        # A button names an exact variant; its size was chosen when the card was built.
        card = {**card, "size_confirmed": bool(size) or card.get("id") != card.get("group_id")}
    variant, same_colour = _variant_for(card, size)
    if variant is None:
        if size and same_colour and not all(v["size"].startswith(f"{size}x") for v in same_colour):
            sizes = ", ".join(sorted({v["size"] for v in same_colour}))
            dispatcher.utter_message(text=f"Sorry, that's not in stock in size {size}. In stock: {sizes}.")
        elif same_colour:
            dispatcher.utter_message(
                text="Which size would you like?",
                buttons=[payloads.intent_button(v["size"], "add_to_cart", product_id=v["id"], size=v["size"])
                         for v in same_colour[:12]],
            )
            return [SlotSet("search_query", to_slot(replace(step.state, question=Question("add_size", about=card))))]
        else:
            dispatcher.utter_message(text="Sorry, that product is out of stock right now.")
        return []
    quantity = max(1, min(MAX_QUANTITY, step.quantity or 1))
    left = units_left(variant)
    if left is not None and left < quantity:
        dispatcher.utter_message(text=f"Sorry, only {left} left of that one." if left > 0 else "Sorry, that one just sold out.")
        return []
    services.shop().add_to_cart(services.owner(tracker), variant["id"], quantity)
    size_text = f", size {variant['size']}" if variant["size"] and variant["size"] != "ONE SIZE" else ""
    show_cart(dispatcher, services.owner(tracker), f"Added {quantity} x {variant['title']} ({variant['color']}{size_text}).")
    return [SlotSet("search_query", to_slot(step.state))]


def named_lines(tracker: Tracker, lines: list[tuple[str, int]]) -> list[str]:
    """Variant ids of the cart lines "the first item" / "the last one" point at."""
    positions = [ordinal_position(o, len(lines)) for o in entity_values(tracker, "ordinal")]
    return [lines[index][0] for index in positions if index is not None]


class ActionRemoveFromCart(ShopAction):
    def name(self) -> str:
        return "action_remove_from_cart"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        owner = services.owner(tracker)
        lines = services.shop().cart(owner)
        text = (tracker.latest_message.get("text") or "").lower()
        targets = entity_values(tracker, "product_id") + named_lines(tracker, lines)
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


class ActionViewCart(ShopAction):
    def name(self) -> str:
        return "action_view_cart"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        show_cart(dispatcher, services.owner(tracker))
        return []


class ActionCheckoutSummary(ShopAction):
    """Read back items and total and ask for an explicit yes; mint the idempotency key."""

    def name(self) -> str:
        return "action_checkout_summary"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        lines, _ = priced_cart(services.owner(tracker))
        if not lines:
            dispatcher.utter_message(text="Your cart is empty, so there's nothing to check out yet.")
            return [SlotSet("pending_checkout", None)]
        total = sum(l.line_total for l in lines)
        items = "; ".join(f"{l.quantity} x {l.title}" + (f" (size {l.size})" if l.size and l.size != "ONE SIZE" else "") for l in lines)
        money = services.money()
        dispatcher.utter_message(
            text=f"Your order: {items}. Total {money.price(total)}. Shall I place it?",
            json_message=cart_payload(lines, money),
            buttons=[payloads.intent_button("Yes, place order", "affirm"), payloads.intent_button("No", "deny")],
        )
        return [SlotSet("pending_checkout", tracker.get_slot("pending_checkout") or uuid.uuid4().hex)]


def place_order(dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
    """Place the confirmed order once per checkout key, at catalog prices, reserving its stock."""
    key = tracker.get_slot("pending_checkout")
    owner = services.owner(tracker)
    existing = services.shop().order_by_key(key)
    if existing is None:
        lines, _ = priced_cart(owner)
        if not lines:
            dispatcher.utter_message(text="Your cart is empty, so there's nothing to order.")
            return [SlotSet("pending_checkout", None)]
        offers = services.catalog().offers(l.variant_id for l in lines)
        stock = {l.variant_id: (offers[l.variant_id] or {}).get("quantity") for l in lines}
        try:
            order, _created = services.shop().place_order(owner, key, lines, services.money().currency, stock=stock)
        except OutOfStock as short:
            title = next(l.title for l in lines if l.variant_id == short.variant_id)
            left = f"only {short.available} left" if short.available else "it just sold out"
            dispatcher.utter_message(text=f"Sorry, {title}: {left}. I haven't placed the order and your cart is "
                                          "unchanged; change the quantity or remove it, then check out again.")
            return [SlotSet("pending_checkout", None)]
    else:
        order = existing
    dispatcher.utter_message(
        text=f"Order {order.reference} is placed. Total {services.money().price(float(order.total), order.currency)}. "
             "You can ask me \"where is my order\" any time.",
        json_message=order_payload(order),
    )
    return [SlotSet("pending_checkout", None)]


def update_quantity(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step) -> list:
    """"Make it 2", "change the first item to 3": set a cart line's quantity (the line added last
    when none is named), checked against stock; ask how many when the message did not say."""
    owner = services.owner(tracker)
    lines = services.shop().cart(owner)
    if not lines:
        dispatcher.utter_message(text="Your cart is empty.")
        return []
    named = named_lines(tracker, lines)
    variant_id = named[0] if named else lines[-1][0]  # unnamed: the line added last ("make it 2")
    quantity = step.quantity
    if quantity is None or not 0 <= quantity <= MAX_QUANTITY:
        dispatcher.utter_message(text=f"How many would you like? I can put 1 to {MAX_QUANTITY} of an item in the cart.")
        return [SlotSet("search_query", to_slot(replace(step.state, question=Question("quantity"))))]
    facts = services.catalog().offer(variant_id)
    left = units_left(facts) if facts else None
    if quantity and left is not None and left < quantity:
        dispatcher.utter_message(text=f"Sorry, only {max(left, 0)} of the {facts['title']} left.")
        return []
    services.shop().set_quantity(owner, variant_id, quantity)
    title = facts["title"] if facts else "that item"
    show_cart(dispatcher, owner, f"Updated: {quantity} x {title}." if quantity else f"Removed the {title}.")
    return [SlotSet("search_query", to_slot(step.state))]


def order_payload(order) -> payloads.Order:
    return payloads.order(order.reference, order.status,
                          [{"id": l.variant_id, "title": l.title, "size": l.size, "color": l.color,
                            "quantity": l.quantity, "unit_price": float(l.unit_price)} for l in order.lines],
                          float(order.total), order.currency, services.money().locale)
