"""The interaction model: valid ASK shape, catalog names in the slot types, consistent samples."""
from __future__ import annotations

import json
import re
from pathlib import Path

from nlu.vocabulary import CatalogVocabulary
from voice_skill.interaction_model_builder import build_model
from voice_skill.skill import INTENT_MAP

COMMITTED = Path(__file__).resolve().parents[2] / "voice_skill" / "interaction_model" / "en-US.json"


def test_a_retailers_brands_and_categories_become_slot_values():
    vocabulary = CatalogVocabulary.from_dict({"brands": ["Zephyrline", "Rose & Finch"],
                                              "categories": ["Outdoor > Tents > Dome Tents"]})
    types = {t["name"]: t for t in build_model(vocabulary)["interactionModel"]["languageModel"]["types"]}
    brands = {v["name"]["value"]: v["name"].get("synonyms", []) for v in types["BRAND"]["values"]}
    assert brands == {"Rose & Finch": ["Rose and Finch"], "Zephyrline": []}
    assert {v["name"]["value"] for v in types["CATEGORY"]["values"]} == {"outdoor", "tents", "dome tents"}


def test_every_sample_uses_only_its_intents_slots_and_every_handled_intent_exists():
    model = json.loads(COMMITTED.read_text())["interactionModel"]
    language = model["languageModel"]
    assert language["invocationName"] == "omni shop"
    declared_types = {t["name"] for t in language["types"]}
    names = set()
    for intent in language["intents"]:
        names.add(intent["name"])
        slots = {s["name"] for s in intent.get("slots", [])}
        for sample in intent["samples"]:
            assert set(re.findall(r"{(\w+)}", sample)) <= slots, (intent["name"], sample)
            assert not re.search(r"[0-9$]", sample), f"samples are spoken form: {sample}"
        for s in intent.get("slots", []):
            assert s["type"].startswith("AMAZON.") or s["type"] in declared_types
    assert set(INTENT_MAP) - names == set(), "every intent the skill handles is in the model"
    assert {"AMAZON.StopIntent", "AMAZON.CancelIntent", "CheaperIntent"} <= names
