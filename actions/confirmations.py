"""What a bare "yes" or "no" answers: the open checkout, else the "still a 10.5?" question."""
from __future__ import annotations

from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ShopAction
from actions.cart import place_order
from actions.search import query_from_slot, search_and_answer, search_state, size_buttons, store_query
from actions import services


class ActionConfirm(ShopAction):
    def name(self) -> str:
        return "action_confirm"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        if tracker.get_slot("pending_checkout"):
            return place_order(dispatcher, tracker)
        state, query = search_state(tracker), query_from_slot(tracker)
        if state.get("awaiting") == "size" and state.get("suggested_size") and query is not None:
            return search_and_answer(dispatcher, tracker, replace(query, size=state["suggested_size"]), False)
        dispatcher.utter_message(text="There's nothing waiting for a yes right now. What can I find for you?")
        return []


class ActionDecline(ShopAction):
    def name(self) -> str:
        return "action_decline"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        if tracker.get_slot("pending_checkout"):
            dispatcher.utter_message(text="OK, I haven't placed the order. Your cart is saved.")
            return [SlotSet("pending_checkout", None)]
        state, query = search_state(tracker), query_from_slot(tracker)
        if state.get("awaiting") == "size" and state.get("suggested_size") and query is not None:
            sizes = services.recommender().sizes_in_stock(query)
            dispatcher.utter_message(text="Which size then?", buttons=size_buttons(sizes))
            return [SlotSet("search_query", store_query(query, awaiting="size"))]
        dispatcher.utter_message(text="OK. What else can I help you find?")
        return []
