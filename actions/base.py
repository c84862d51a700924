"""The one place an action's unexpected error is turned into words for the shopper.

Carts, orders and remembered sizes live in the store, and a failing action returns no
events, so the conversation's slots stay as they were: retrying the same message works.
"""
from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

log = logging.getLogger(__name__)
SORRY = "Sorry, something went wrong on our side and I couldn't finish that. Your cart is safe; please try again in a moment."


class ShopAction(Action, metaclass=ABCMeta):
    """An action whose `act` may fail without losing anything the shopper built up.
    (Abstract, so rasa-sdk does not try to register the base class itself.)"""

    @abstractmethod
    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        raise NotImplementedError

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        try:
            return self.act(dispatcher, tracker, domain)
        except Exception:  # noqa: BLE001 - any failure becomes an apology, never a silent turn
            log.exception("%s failed in conversation %s", self.name(), tracker.sender_id)
            dispatcher.utter_message(text=SORRY)
            return []
