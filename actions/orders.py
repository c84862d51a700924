"""Order status, cancellation and reorder."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.base import ShopAction
from actions.cart import order_payload, show_cart
from actions.references import entity_values


def _named_order(tracker: Tracker):
    orders = services.shop().orders(services.owner(tracker))
    wanted = [str(v).upper() for v in entity_values(tracker, "order_id")]
    if wanted:
        return next((o for o in orders if o.reference in wanted), None), orders
    return (orders[0] if orders else None), orders


class ActionOrderStatus(ShopAction):
    def name(self) -> str:
        return "action_order_status"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        order, orders = _named_order(tracker)
        if order is None:
            dispatcher.utter_message(text="I can't find an order for you." if not orders else "I can't find that order number.")
            return []
        dispatcher.utter_message(
            text=f"Order {order.reference} ({len(order.lines)} item(s), "
                 f"{services.money().price(float(order.total), order.currency)}) is {order.status}.",
            json_message=order_payload(order),
        )
        return []


class ActionCancelOrder(ShopAction):
    def name(self) -> str:
        return "action_cancel_order"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        order, _ = _named_order(tracker)
        if order is None:
            dispatcher.utter_message(text="I can't find an order to cancel.")
            return []
        order = services.shop().cancel_order(services.owner(tracker), order.reference)
        if order.status == "cancelled":
            dispatcher.utter_message(text=f"Order {order.reference} is cancelled.", json_message=order_payload(order))
        else:
            dispatcher.utter_message(text=f"Order {order.reference} is already {order.status} and can't be cancelled here.")
        return []


class ActionReorder(ShopAction):
    """Put the items of a past order (or the past items matching what was named) back in the cart."""

    def name(self) -> str:
        return "action_reorder"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        owner = services.owner(tracker)
        orders = services.shop().orders(owner, limit=20)
        if not orders:
            dispatcher.utter_message(text="You don't have any past orders to reorder yet.")
            return []
        words = [str(w).lower() for w in entity_values(tracker, "item") + entity_values(tracker, "category")]
        lines = [l for o in orders for l in o.lines if any(w.rstrip("s") in l.title.lower() for w in words)] if words \
            else orders[0].lines
        unique = {l.variant_id: l for l in lines}
        offers = services.catalog().offers(unique)
        added = 0
        for line in unique.values():
            facts = offers[line.variant_id]
            if facts and facts["in_stock"]:
                services.shop().add_to_cart(owner, line.variant_id, line.quantity)
                added += 1
        if not added:
            dispatcher.utter_message(text="I couldn't find those items in your past orders, or they're out of stock now.")
            return []
        show_cart(dispatcher, owner, f"I've added {added} item(s) from your past orders at today's prices.")
        return []
