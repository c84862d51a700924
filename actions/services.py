"""The action server's long-lived neighbours: its settings, the recommender (and its catalog
view) and the shop store.

Created once per process, on first use, so importing the actions (e.g. for unit tests or
`rasa_sdk --actions actions`) stays cheap and the model loads only in the real server.
"""
from __future__ import annotations

from functools import lru_cache

from rasa_sdk import Tracker

from contract.money import ShopMoney
from index_artefact.encoder import load_encoder
from recommender.engine import Recommender
from recommender.shop_catalog import ShopCatalog
from runtime.settings import Settings
from store.shop import ShopStore


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()


@lru_cache(maxsize=1)
def recommender() -> Recommender:
    current = settings()
    return Recommender.from_index(current.index_dir, load_encoder(current.model_path, current.model_sha256),
                                  current.search.exact_max_candidates, current.shop.locale)


def catalog() -> ShopCatalog:
    """Products, offers and variants by id, from the live index (a view of `recommender()`)."""
    return ShopCatalog(recommender())


def money() -> ShopMoney:
    """The shop's currency (the live catalog's) and locale: how every reply writes an amount."""
    return catalog().money()


@lru_cache(maxsize=1)
def shop() -> ShopStore:
    return ShopStore(settings().database_url)


def owner(tracker: Tracker) -> str:
    """Whose cart and orders: the signed-in customer when the channel says so, else the conversation."""
    metadata = tracker.latest_message.get("metadata") or {}
    customer = metadata.get("customer_id")
    return f"customer:{customer}" if customer else f"sender:{tracker.sender_id}"
