"""Rasa custom actions, one module per topic (loaded with `rasa_sdk --actions actions`)."""
import multiprocessing

from actions import cart, conversation, orders, turn  # noqa: F401  (importing registers the actions)
from actions import services

if services.settings().preload and multiprocessing.parent_process() is not None:
    # rasa-sdk serves from a spawned Sanic worker; load the model and index there, at start-up,
    # not on the first shopper's turn (and not in the manager process, which serves nothing).
    services.recommender()
    services.shop()
