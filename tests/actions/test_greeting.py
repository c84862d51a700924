"""The greeting's suggestions: the live catalog's largest categories, never a fixed list."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from actions import services
from actions.conversation import ActionSuggestCategories
from recommender import shop_catalog
from tests.actions.conftest import Conversation


class FakeRecommender:
    """Just what the suggestions read: the live build's category column and its vocabulary."""

    def __init__(self, build_dir, product_types: list[str], removed: list[bool] | None = None):
        (build_dir / "vocabulary.json").write_text(json.dumps({"categories": sorted(set(product_types))}))
        codes: dict[str, int] = {}
        column = [codes.setdefault(t.lower(), len(codes)) for t in product_types]
        category_codes: dict[str, list[int]] = {}
        for path, code in codes.items():  # as recommender.live_catalog builds it: every level -> path codes
            for level in path.split(" > "):
                category_codes.setdefault(level.strip(), []).append(code)
        arrays = SimpleNamespace(build_dir=build_dir, category_path=np.array(column, dtype=np.int32),
                                 category_codes=category_codes,
                                 removed=np.array(removed or [False] * len(column), dtype=bool))
        self.catalog = SimpleNamespace(arrays=lambda: arrays)


def suggest(monkeypatch, recommender) -> list[dict]:
    monkeypatch.setattr(services, "recommender", lambda: recommender)
    shop_catalog._category_paths.cache_clear()
    messages = Conversation(vocabulary=None).run(ActionSuggestCategories(), "/greet", "greet")
    return [button for message in messages for button in message.get("buttons", [])]


def test_the_largest_categories_on_sale_are_suggested_largest_first(tmp_path, monkeypatch):
    types = (["Garden > Tools > Spades"] * 5 + ["Kitchen > Kettles"] * 3 + ["Garden > Seeds"] * 4
             + ["Kitchen > Knives"] * 6 + ["Kitchen > Pans"])
    removed = [False] * len(types)
    removed[-7:-1] = [True] * 6  # every knife is off sale
    buttons = suggest(monkeypatch, FakeRecommender(tmp_path, types, removed))
    assert buttons == [{"title": "Spades", "payload": "spades"}, {"title": "Seeds", "payload": "seeds"},
                       {"title": "Kettles", "payload": "kettles"}]


def test_a_catalog_that_cannot_be_read_leaves_the_greeting_alone(tmp_path, monkeypatch):
    def broken():
        raise FileNotFoundError("no index")

    monkeypatch.setattr(services, "recommender", broken)
    messages = Conversation(vocabulary=None).run(ActionSuggestCategories(), "/greet", "greet")
    assert messages == []  # no apology after a greeting; utter_greet (the domain's words) stands alone


def test_on_the_demo_catalog_they_are_its_largest_categories(talk):
    messages = talk().run(ActionSuggestCategories(), "/greet", "greet")
    # trail running shoes count as running shoes, hiking boots as boots
    assert [b["title"] for m in messages for b in m.get("buttons", [])] == ["Running shoes", "T-shirts", "Boots"]
    assert all(not m.get("text") for m in messages)  # the words are the domain's utter_greet


@pytest.mark.parametrize("limit", [1, 5])
def test_limit(tmp_path, monkeypatch, limit):
    monkeypatch.setattr(services, "recommender", lambda: FakeRecommender(tmp_path, ["A > B", "A > C", "D"] * 2))
    shop_catalog._category_paths.cache_clear()
    assert len(services.catalog().largest_categories(limit)) == min(limit, 3)
