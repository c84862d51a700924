"""The held-out set is well formed, covers the contract, and is never trained on."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from nlu.heldout import HeldoutFormatError, load_heldout, parse_line, to_rasa_nlu_yaml
from runtime.settings import REPO_ROOT

CONTRACT_INTENTS = {"greet", "goodbye", "affirm", "deny", "search_product", "refine_search", "show_more",
                    "product_details", "compare_products", "add_to_cart", "remove_from_cart", "view_cart",
                    "checkout", "order_status", "cancel_order", "reorder", "help", "human_handoff", "out_of_scope"}


def _training_texts() -> set[str]:
    texts = set()
    for path in sorted((REPO_ROOT / "bot" / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            for line in (block.get("examples") or "").splitlines():
                plain = re.sub(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})", r"\1", line.strip().removeprefix("- "))
                texts.add(" ".join(plain.lower().split()))
    return texts


def test_heldout_covers_every_contract_intent_with_enough_lines():
    examples = load_heldout()
    assert len(examples) >= 250
    assert CONTRACT_INTENTS <= {e.intent for e in examples}


def test_no_heldout_line_is_in_the_training_data():
    training = _training_texts()
    leaked = [e.text for e in load_heldout() if " ".join(e.text.lower().split()) in training]
    assert leaked == []


def test_markup_gives_text_entities_and_the_expected_constraints():
    example = parse_line("[ladies](gender=women) [rain jacket](category=rain jackets) "
                         "[under 50 quid](price_max=50;currency=GBP) [uk](size_system=UK) [8](size=8)", "search_product")
    assert example.text == "ladies rain jacket under 50 quid uk 8"
    quid = [e for e in example.entities if e.entity == "currency"][0]
    assert example.text[quid.start:quid.end] == "under 50 quid"
    assert example.constraints == {"category": "rain jackets", "brand": None, "color": None, "gender": "women",
                                   "size": {"value": "8", "system": "UK"},
                                   "price": {"min": None, "max": 50, "currency": "GBP"}, "rating_min": None}


@pytest.mark.parametrize("line", ["[boots](category)", "[boots](=boots)", "[boots boots"])
def test_broken_markup_is_refused_with_the_line(line):
    with pytest.raises(HeldoutFormatError, match=re.escape(repr(line))):
        parse_line(line, "search_product")


def test_rasa_file_keeps_every_line_and_one_entity_per_span(tmp_path):
    examples = load_heldout()
    data = yaml.safe_load(to_rasa_nlu_yaml(examples))
    lines = [line for block in data["nlu"] for line in block["examples"].splitlines()]
    assert len(lines) == len(examples)
    assert '- [under 50 quid]{"entity": "price_max", "value": "50"} jeans' in to_rasa_nlu_yaml(
        [parse_line("[under 50 quid](price_max=50;currency=GBP) jeans", "search_product")])
