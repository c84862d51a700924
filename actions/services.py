"""The action server's long-lived neighbours: the recommender and the shop store.

Created once, on first use, so importing the actions (e.g. for unit tests or
`rasa_sdk --actions actions`) stays cheap and the model loads only in the real server.
"""
from __future__ import annotations

from functools import lru_cache

from rasa_sdk import Tracker

from recommender.encoder import load_encoder
from recommender.engine import Recommender
from runtime.settings import Settings
from store.shop import ShopStore


@lru_cache(maxsize=1)
def recommender() -> Recommender:
    settings = Settings.from_env()
    return Recommender.from_index(settings.index_dir, load_encoder(settings.model_path, settings.model_sha256))


@lru_cache(maxsize=1)
def shop() -> ShopStore:
    return ShopStore(Settings.from_env().database_url)


def owner(tracker: Tracker) -> str:
    """Whose cart and orders: the signed-in customer when the channel says so, else the conversation."""
    metadata = tracker.latest_message.get("metadata") or {}
    customer = metadata.get("customer_id")
    return f"customer:{customer}" if customer else f"sender:{tracker.sender_id}"
