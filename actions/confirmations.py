"""What a bare "yes" or "no" answers when no search question is open: the checkout."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.cart import place_order
from dialogue.state import Step


def confirm(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step) -> list:
    if tracker.get_slot("pending_checkout"):
        return place_order(dispatcher, tracker)
    dispatcher.utter_message(text="There's nothing waiting for a yes right now. What can I find for you?")
    return []


def decline(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step) -> list:
    if tracker.get_slot("pending_checkout"):
        dispatcher.utter_message(text="OK, I haven't placed the order. Your cart is saved.")
        return [SlotSet("pending_checkout", None)]
    dispatcher.utter_message(text="OK. What else can I help you find?")
    return []
