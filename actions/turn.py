"""The shopping turn: every message about products, the cart's contents or an open question goes
through `dialogue.state.advance`, and the act it names is carried out here.

Rasa's rules send each of these intents to this one action (bot/data/rules.yml), so a bare "34"
after "Which size?" or "best rated of those" classified as anything at all is still read against
the state first: one set of rules for what a message does, whatever channel it came from.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.base import ShopAction
from actions.cart import add_to_cart, update_quantity
from actions.confirmations import confirm, decline
from actions.conversation import list_departments
from actions.search import ask_which_size, not_carried, product_details, search_and_answer, show_more
from dialogue.state import Message, Step, advance, from_slots
from recommender.wishes import is_purpose

Act = Callable[[CollectingDispatcher, Tracker, Step], list]


def small_talk(response: str) -> Act:
    """A message with nothing for the shop in it: the domain's answer. One whose words name
    products the shop sells ("wall shelf", "headboard": the classifier, trained on the demo's
    words, may place a furniture shop's nouns nowhere) is a search; an off-topic request that
    names a kind of product is told whether the catalog carries it."""
    def answer(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step) -> list:
        message = Message.from_parse(tracker.latest_message)
        words = " ".join(wish for wish in message.values("wish") if not is_purpose(wish))
        if words and services.recommender().names_products(words):
            return search_and_answer(dispatcher, tracker, advance(step.state, replace(message, intent="search_product")))
        refused = not_carried(dispatcher, words) if words else None
        if refused is None:
            dispatcher.utter_message(response=response)
        return refused or []
    return answer


def departments(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step) -> list:
    """"What do you sell?": the shop's departments (the help text where the catalog has none)."""
    if not list_departments(dispatcher):
        dispatcher.utter_message(response="utter_help")
    return []


ACTS: dict[str, Act] = {
    "search": search_and_answer,
    "ask_size": ask_which_size,
    "show_more": show_more,
    "details": product_details,
    "compare": product_details,
    "add_to_cart": add_to_cart,
    "update_quantity": update_quantity,
    "departments": departments,
    "confirm": confirm,
    "decline": decline,
    "nlu_fallback": small_talk("utter_default"),
    "out_of_scope": small_talk("utter_out_of_scope"),
}


class ActionShoppingTurn(ShopAction):
    def name(self) -> str:
        return "action_shopping_turn"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        state = from_slots(tracker.get_slot("search_query"), tracker.get_slot("last_results"))
        step = advance(state, Message.from_parse(tracker.latest_message))
        carry_out = ACTS.get(step.act, small_talk("utter_default"))
        return carry_out(dispatcher, tracker, step)

