"""The evaluation sets are well formed, literal, frozen where they must be, and never trained on.

Two sets (nlu/heldout.py): the held-out set `bot/eval/heldout_shoppers.yml` (the honest
figure) and the tuning set `bot/eval/tuning.yml` (the former held-out set, which the
parser and the training data were fitted to). The leak check is `nlu.leakage`: lines are
compared after punctuation, numbers, catalog brands, categories and colours are made
generic, and near-duplicates are flagged by token-sort ratio >= 88.
"""
from __future__ import annotations

import hashlib
import re

import pytest
import yaml

from nlu.heldout import (EVAL_SETS, HELDOUT_SET, TUNING_SET, HeldoutFormatError, literal_constraints, load_set,
                         parse_line, to_rasa_nlu_yaml)
from nlu.leakage import THRESHOLD, TrainingLine, leaks, normalise, similarity, training_lines
from runtime.settings import REPO_ROOT

# Frozen 2026-12-01, before the parser, the model or anyone tuning either saw the set.
# Do not edit the set to make a test pass; change this hash only for a deliberate,
# explained change to the set (and never to fit the parser or the training data to it).
HELDOUT_SHOPPERS_SHA256 = "59865aa1e152e4c5f8cef97b70144000b019f41612707d1112ca381bb8f12140"

CONTRACT_INTENTS = {"greet", "goodbye", "affirm", "deny", "search_product", "refine_search", "show_more",
                    "product_details", "compare_products", "add_to_cart", "remove_from_cart", "view_cart",
                    "checkout", "order_status", "cancel_order", "reorder", "help", "human_handoff", "out_of_scope"}


def _domain_intents() -> set[str]:
    intents = set()
    for path in (REPO_ROOT / "bot" / "domain").glob("*.yml"):
        intents |= set(yaml.safe_load(path.read_text()).get("intents") or [])
    return intents


def test_heldout_set_is_frozen():
    digest = hashlib.sha256(HELDOUT_SET.read_bytes()).hexdigest()
    assert digest == HELDOUT_SHOPPERS_SHA256, (
        f"{HELDOUT_SET.name} changed (sha256 {digest}). It is frozen: never edit it to fit the parser "
        "or the model; update HELDOUT_SHOPPERS_SHA256 only for a deliberate, explained change.")


@pytest.mark.parametrize("name", list(EVAL_SETS))
def test_every_set_loads_with_literal_expectations_over_domain_intents(name):
    examples = load_set(EVAL_SETS[name][0])
    assert {e.intent for e in examples} <= _domain_intents()
    assert CONTRACT_INTENTS <= {e.intent for e in examples}
    assert len(examples) >= {"heldout": 150, "tuning": 250}[name]
    for example in examples:
        assert set(example.constraints) == {"category", "brand", "color", "gender", "size", "price", "rating_min"}
        assert example.line is not None


def test_expected_constraints_are_data_not_computed_by_the_product():
    for module in ("heldout.py", "evaluate.py"):
        assert "constraints_from_entities" not in (REPO_ROOT / "nlu" / module).read_text(), module


def _set_lines(path) -> list[tuple[str, int | None]]:
    return [(e.text, e.line) for e in load_set(path)]


@pytest.mark.parametrize("name", list(EVAL_SETS))
def test_no_eval_line_is_a_training_line_once_normalised(name):
    found = leaks(_set_lines(EVAL_SETS[name][0]), training_lines())
    assert found == [], f"{len(found)} lines of {EVAL_SETS[name][0].name} are in bot/data/nlu:\n" + \
        "\n".join(leak.describe() for leak in found)


def test_heldout_set_shares_no_line_with_the_tuning_set():
    tuning = [TrainingLine(e.text, e.intent, "bot/eval/tuning.yml", e.line or 0) for e in load_set(TUNING_SET)]
    found = leaks(_set_lines(HELDOUT_SET), tuning)
    assert found == [], "\n".join(leak.describe() for leak in found)


# -- the leak check itself ------------------------------------------------------------------
def test_normalise_makes_punctuation_numbers_brands_categories_and_colours_generic():
    assert normalise("Nope, not that!") == ("nope", "not", "that")
    assert normalise("what's my total") == ("whats", "my", "total")
    assert normalise("under one hundred and fifty dollars") == ("under", "NUM", "dollars")
    assert normalise("size 10.5 or 32x30, $79.99") == ("size", "NUM", "or", "NUM")
    assert normalise("between 80 and 120") == ("between", "NUM", "and", "NUM")
    assert normalise("[kestrel](brand=Kestrel Outdoor) rain jackets in navy") == ("BRD", "CAT", "in", "COL")
    assert normalise("rose and finch dresses") == ("BRD", "CAT")  # a brand, not the colour rose


@pytest.mark.parametrize("heldout, training", [
    ("nope not that", "nope, not that"),                          # punctuation
    ("make it [under 70](price_max=70)", "make it under 80"),     # numbers
    ("what about [womens](gender=women)", "what about women's"),  # apostrophe
    ("what about in [red](color=red)", "what about in white"),    # colours
    ("only [stridewell](brand=Stridewell) please", "only velo run please"),  # brands
    ("[tees](category=t-shirts) under twenty dollars", "watches under 200 dollars"),  # categories, number words
    ("what's my subtotal", "what's my total"),                    # near-duplicates
    ("hiya there", "hi there"),
    ("what about in red", "what about red"),
])
def test_known_leaks_are_flagged(heldout, training):
    found = leaks([(heldout, 1)], [TrainingLine(training, "x", "train.yml", 1)])
    assert len(found) == 1, (normalise(heldout), normalise(training))


@pytest.mark.parametrize("heldout, training", [
    ("more", "show me more"),                                    # one word inside a longer line
    ("running shoes between 80 and 120", "running shoes"),
    ("cant go above $500 for a watch", "watches under 200 dollars"),
    ("is the second one waterproof", "is it waterproof"),
])
def test_different_lines_are_not_flagged(heldout, training):
    assert leaks([(heldout, 1)], [TrainingLine(training, "x", "train.yml", 1)]) == []
    assert similarity(normalise(heldout), normalise(training)) < THRESHOLD


# -- format ---------------------------------------------------------------------------------
def test_markup_gives_text_and_entities_and_expect_gives_the_constraints():
    example = parse_line("[ladies](gender=women) [rain jacket](category=rain jackets) "
                         "[under 50 quid](price_max=50;currency=GBP) [uk](size_system=UK) [8](size=8)", "search_product")
    assert example.text == "ladies rain jacket under 50 quid uk 8"
    quid = [e for e in example.entities if e.entity == "currency"][0]
    assert example.text[quid.start:quid.end] == "under 50 quid"
    assert literal_constraints({"category": "rain jackets", "gender": "women", "size": {"value": "8", "system": "UK"},
                                "price": {"min": None, "max": 50, "currency": "GBP"}}) == {
        "category": "rain jackets", "brand": None, "color": None, "gender": "women",
        "size": {"value": "8", "system": "UK"}, "price": {"min": None, "max": 50, "currency": "GBP"}, "rating_min": None}


@pytest.mark.parametrize("expect", [
    {"colour": ["black"]},                                   # unknown field
    {"brand": "Stridewell"},                                 # not a list
    {"price": {"max": 50}},                                  # price not written whole
    {"price": {"min": None, "max": None, "currency": "USD"}},
    {"size": {"value": 9, "system": None}},                  # size value not text
])
def test_malformed_expectations_are_refused(expect):
    with pytest.raises(HeldoutFormatError):
        literal_constraints(expect, "x.yml:1")


@pytest.mark.parametrize("line", ["[boots](category)", "[boots](=boots)", "[boots boots"])
def test_broken_markup_is_refused_with_the_line(line):
    with pytest.raises(HeldoutFormatError, match=re.escape(repr(line))):
        parse_line(line, "search_product")


def test_rasa_file_keeps_every_line_and_one_entity_per_span():
    for name in EVAL_SETS:
        examples = load_set(EVAL_SETS[name][0])
        data = yaml.safe_load(to_rasa_nlu_yaml(examples))
        lines = [line for block in data["nlu"] for line in block["examples"].splitlines()]
        assert len(lines) == len(examples)
    assert '- [under 50 quid]{"entity": "price_max", "value": "50"} jeans' in to_rasa_nlu_yaml(
        [parse_line("[under 50 quid](price_max=50;currency=GBP) jeans", "search_product")])
