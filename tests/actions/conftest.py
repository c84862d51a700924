"""Drive the real actions turn by turn, without Rasa: the real recommender over the demo
index that `make test` builds, a fresh SQLite shop per test, and the real constraint parser
for entities. Only the intent is given by the test (Rasa's classifier is tested elsewhere:
Rasa's test stories and the end-to-end conversations)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from index_artefact.layout import current_build
from nlu.constraints import extract_constraints
from nlu.vocabulary import CatalogVocabulary
from recommender.engine import Recommender
from runtime.settings import Settings
from store.shop import ShopStore
from tests import demo_index


@pytest.fixture(scope="session")
def recommender() -> Recommender:
    return demo_index.demo_recommender()


@pytest.fixture(scope="session")
def vocabulary() -> CatalogVocabulary:
    return CatalogVocabulary.from_json(current_build(Settings.from_env().index_dir) / "vocabulary.json")


@dataclass
class Conversation:
    """One shopper's slots carried from turn to turn, as Rasa would carry them."""

    vocabulary: CatalogVocabulary
    sender: str = field(default_factory=lambda: f"unit-{uuid.uuid4().hex[:10]}")
    slots: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)

    def run(self, action, text: str, intent: str, entities: list[dict] | None = None) -> list[dict]:
        parsed = extract_constraints(text, self.vocabulary).entities if not text.startswith("/") else []
        message = {"text": text, "intent": {"name": intent, "confidence": 1.0},
                   "entities": parsed + (entities or []), "metadata": self.metadata}
        tracker = Tracker(self.sender, dict(self.slots), message, [], False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        for event in action.run(dispatcher, tracker, {}):
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        return dispatcher.messages


@pytest.fixture
def shop(tmp_path) -> ShopStore:
    store = ShopStore(f"sqlite:///{tmp_path / 'shop.db'}")
    yield store
    store.engine.dispose()


@pytest.fixture
def talk(monkeypatch, recommender, vocabulary, shop):
    """A new conversation wired to the real recommender and a fresh shop."""
    monkeypatch.setattr(services, "recommender", lambda: recommender)
    monkeypatch.setattr(services, "shop", lambda: shop)
    return lambda: Conversation(vocabulary)


def payloads(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind]


def texts(messages: list[dict]) -> str:
    return " ".join(m.get("text") or "" for m in messages)
