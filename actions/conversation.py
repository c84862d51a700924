"""The conversation itself: what is remembered about a customer, starting over, and asking for a person."""
from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.base import ShopAction
from contract import payloads

log = logging.getLogger(__name__)
SUGGESTED_CATEGORIES = 3


class ActionSuggestCategories(ShopAction):
    """After the greeting (`utter_greet`, words in the domain): the catalog's largest categories as buttons.

    A message of buttons only; where the catalog cannot be read, the greeting simply stands alone."""

    def name(self) -> str:
        return "action_suggest_categories"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        try:
            categories = services.catalog().largest_categories(SUGGESTED_CATEGORIES)
        except Exception:  # noqa: BLE001 - a greeting never turns into an apology
            log.warning("no category suggestions for conversation %s", tracker.sender_id, exc_info=True)
            return []
        if categories:
            dispatcher.utter_message(buttons=[payloads.text_button(category[:1].upper() + category[1:], category)
                                              for category in categories])
        return []


class ActionShowMemory(ShopAction):
    def name(self) -> str:
        return "action_show_memory"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        owner = services.owner(tracker)
        shop = services.shop()
        sizes = shop.remembered_sizes(owner)
        orders = shop.orders(owner, limit=100)
        uses_past_orders = bool(orders) and shop.uses_history(owner)
        facts = [f"your size in {category} is {size}" for category, size in sizes.items()]
        if uses_past_orders:
            facts.append(f"your {len(orders)} past order(s), to suggest brands you bought before")
        if not facts:
            dispatcher.utter_message(text="I don't remember anything about you yet.")
            return []
        dispatcher.utter_message(text="I remember " + "; ".join(facts) + ".",
                                 json_message={"type": "memory", "sizes": sizes, "uses_past_orders": uses_past_orders},
                                 buttons=[payloads.intent_button("Forget this", "forget_memory")])
        return []


class ActionForgetMemory(ShopAction):
    def name(self) -> str:
        return "action_forget_memory"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        cleared = services.shop().forget(services.owner(tracker))
        dispatcher.utter_message(text=f"Done: I've forgotten {cleared} size(s) and won't use your past orders for "
                                      "suggestions. Your orders stay in your order history.")
        return []


class ActionStartOver(ShopAction):
    """A fresh search; the cart is kept, because starting over is about browsing, not buying."""

    def name(self) -> str:
        return "action_start_over"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        items = sum(quantity for _, quantity in services.shop().cart(services.owner(tracker)))
        kept = f" Your cart still has {items} item(s)." if items else ""
        dispatcher.utter_message(text=f"Let's start over.{kept} What are you looking for?")
        return [SlotSet("search_query", None), SlotSet("shown_products", []), SlotSet("last_results", [])]


class ActionHandoff(ShopAction):
    """Queue the conversation for the team (store.handoff_requests) and say what happens next: a follow-up
    through the shop's own contact channel, never a live person in this chat (nothing shows the queue yet)."""

    def name(self) -> str:
        return "action_handoff"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        number = services.shop().request_handoff(services.owner(tracker), tracker.sender_id,
                                                 tracker.latest_message.get("text") or "")
        # No operator console exists yet: promise only what the request queue delivers.
        dispatcher.utter_message(text=f"I've passed your request to a member of our team (request #{number}). "
                                      "They'll follow up through the shop's usual contact channel; quote the request "
                                      "number if you get in touch first. Your cart is saved.")
        return []


class ActionListDepartments(ShopAction):
    """After the help text ("what do you sell?"): the catalog's own departments, largest first, and
    its largest categories as buttons."""

    def name(self) -> str:
        return "action_list_departments"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        list_departments(dispatcher)
        return []


def list_departments(dispatcher: CollectingDispatcher) -> bool:
    """Say what the shop sells (its departments, largest first) with its largest categories as
    buttons; False when the catalog has no categories to name."""
    catalog = services.catalog()
    departments = catalog.departments()
    if not departments:
        return False
    named = ", ".join(departments[:-1]) + (" and " if len(departments) > 1 else "") + departments[-1]
    dispatcher.utter_message(text=f"We sell {named}.",
                             buttons=[payloads.text_button(category[:1].upper() + category[1:], category)
                                      for category in catalog.largest_categories(SUGGESTED_CATEGORIES)])
    return True
