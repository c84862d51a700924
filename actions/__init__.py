"""Rasa custom actions, one module per topic (loaded with `rasa_sdk --actions actions`)."""
import multiprocessing
import os

from actions import cart, confirmations, conversation, orders, search, services  # noqa: F401  (registers the actions)

if os.environ.get("OMNISHOP_PRELOAD") == "1" and multiprocessing.parent_process() is not None:
    # rasa-sdk serves from a spawned Sanic worker; load the model and index there, at start-up,
    # not on the first shopper's turn (and not in the manager process, which serves nothing).
    services.recommender()
    services.shop()
