"""The interaction model: valid ASK shape, spoken samples, every handled intent present, and
the generator filling catalog names into the slot types."""
from __future__ import annotations

import json
import re
from pathlib import Path

from voice_skill.intents import INTENT_MAP, FIXED_INTENTS
from voice_skill.interaction_model.generate import MODEL, fill, main
from voice_skill.skill import ELICITED_SLOTS

VOCABULARY = {"brands": ["Zephyrline", "Rose & Finch"], "categories": ["Outdoor > Tents > Dome Tents", "Shoes > T-Shirts"],
              "colors": ["navy", "black"]}
CUSTOM_SHOPPING_INTENTS = {name for name in (*INTENT_MAP, *FIXED_INTENTS) if not name.startswith("AMAZON.")}


def model() -> dict:
    return json.loads(MODEL.read_text())["interactionModel"]


def slot_type(filled: dict, name: str) -> dict[str, list[str]]:
    types = {t["name"]: t for t in filled["interactionModel"]["languageModel"]["types"]}
    return {v["name"]["value"]: v["name"].get("synonyms", []) for v in types[name]["values"]}


def test_samples_are_spoken_use_declared_slots_and_are_unique():
    language = model()["languageModel"]
    assert language["invocationName"] == "omni shop"
    declared = {t["name"] for t in language["types"]}
    seen: set[str] = set()
    for intent in language["intents"]:
        slots = {s["name"]: s for s in intent.get("slots", [])}
        assert all(s["type"].startswith("AMAZON.") or s["type"] in declared for s in slots.values())
        if intent["name"] in CUSTOM_SHOPPING_INTENTS:
            assert 10 <= len(intent["samples"]) <= 25, intent["name"]
        for sample in intent["samples"]:
            assert set(re.findall(r"{(\w+)}", sample)) <= set(slots), (intent["name"], sample)
            assert not re.search(r"[0-9$]", sample), f"samples are in spoken form: {sample}"
            assert sample not in seen, f"duplicate sample: {sample}"
            seen.add(sample)


def test_every_handled_intent_is_in_the_model():
    names = {intent["name"] for intent in model()["languageModel"]["intents"]}
    assert set(INTENT_MAP) | set(FIXED_INTENTS) | {"AMAZON.StopIntent", "AMAZON.CancelIntent"} <= names


def test_elicited_slots_have_prompts_and_checkout_is_confirmed_by_the_dialogue_core():
    interaction = model()
    dialog = {intent["name"]: intent for intent in interaction["dialog"]["intents"]}
    prompts = {p["id"] for p in interaction["prompts"]}
    assert interaction["dialog"]["delegationStrategy"] == "SKILL_RESPONSE"
    for intent_name, slot_name in ELICITED_SLOTS.items():
        slot = next(s for s in dialog[intent_name]["slots"] if s["name"] == slot_name)
        assert slot["elicitationRequired"] and slot["prompts"]["elicitation"] in prompts
    assert dialog["CheckoutIntent"]["confirmationRequired"] is False


def test_catalog_names_fill_the_slot_types():
    filled = fill(json.loads(MODEL.read_text()), VOCABULARY)
    assert slot_type(filled, "BRAND") == {"Rose & Finch": ["Rose and Finch"], "Zephyrline": []}
    categories = slot_type(filled, "CATEGORY")
    assert set(categories) == {"dome tents", "t-shirts"}
    assert {"dome tent"} <= set(categories["dome tents"]) and {"t shirts", "t shirt", "tee"} <= set(categories["t-shirts"])
    colors = slot_type(filled, "COLOR")
    assert set(colors) == {"blue", "black"} and "navy" in colors["blue"]
    assert slot_type(filled, "SIZE")["10.5"][0] == "ten and a half", "fixed types are kept"


def test_command_line_writes_the_filled_model(tmp_path, capsys):
    vocabulary = tmp_path / "vocabulary.json"
    vocabulary.write_text(json.dumps(VOCABULARY))
    out = tmp_path / "en-US.json"
    assert main(["--vocabulary", str(vocabulary), "--out", str(out)]) == 0
    assert "Zephyrline" in slot_type(json.loads(out.read_text()), "BRAND")
    assert "CATEGORY" in capsys.readouterr().out
