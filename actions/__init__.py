"""Rasa custom actions, one module per topic (loaded with `rasa_sdk --actions actions`)."""
import os

from actions import cart, orders, search, services  # noqa: F401  (registers the actions)

if os.environ.get("OMNISHOP_PRELOAD") == "1":
    # The real server loads the model and index at start-up, not on the first shopper's turn.
    services.recommender()
    services.shop()
