"""Every constraint a shopper states is in the words it says, in one of its real-world forms;
typos touch function words only, never a colour, brand or size."""
from __future__ import annotations

import random
import re

import pytest

from benchmarks.simulator import phrasing
from benchmarks.simulator.goals import Persona, simulate

PERSONAS = [Persona(chatty=chatty, typo_rate=typos, budget_first=budget_first, reveals_all=True, compares=False,
                    browses_more=False, corrects_itself=False, switches_topic=False, views_cart=False)
            for chatty in (False, True) for typos in (0.0, 0.5) for budget_first in (False, True)]
NEGATIONS = re.compile(r"\b(not|no|but|nothing|dont|except)\b")


def words_for(key: str, value, target) -> list[str]:
    """Any one of these in the text says the constraint."""
    if key == "category":
        sayings = [value, phrasing.one_of(value) or value, *phrasing.CATEGORY_SAYINGS.get(value, ())]
        return [s.removeprefix("a ") for s in sayings]
    if key == "gender":
        before, after = phrasing.GENDER_SAYINGS[value]
        return [*before, *after]
    if key == "size":
        return size_forms(value)
    if key in ("color", "not_color"):
        return [value, target.colour_name.lower()] if value == target.colour else [value]
    if key in ("brand", "not_brand"):
        return [value.lower()]
    if key == "budget":
        whole = int(value.top)
        return [str(whole), phrasing.NUMBER_WORDS.get(whole, str(whole))]
    return [value]


def size_forms(size: str) -> list[str]:
    if size in phrasing.LETTER_SIZES:
        return [form.lower() for form in phrasing.LETTER_SIZES[size]]
    if "x" in size:
        waist, inseam = size.split("x")
        return [f"{waist}x{inseam}", f"{waist} x {inseam}", f"{waist}/{inseam}", f"w{waist} l{inseam}"]
    whole = int(float(size))
    word = phrasing.NUMBER_WORDS.get(whole, str(whole))
    return [size, word, f"{whole} and a half", f"{word} and a half"]


def mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w/]){re.escape(word)}(?![\w/])", text) is not None


@pytest.mark.parametrize("persona", [p for p in PERSONAS if not p.typo_rate],
                         ids=lambda p: f"chatty{p.chatty}-budget{p.budget_first}")
def test_a_request_says_every_constraint(catalog, persona):  # (typos: test_typos_change_function_words_only)
    rng = random.Random(1)
    for goal in simulate(21, 150, catalog):
        informs = [inform for step in goal.steps for inform in step]
        text = phrasing.request(informs, goal.target, persona, rng).lower()
        for key, value in informs:
            assert any(mentions(text, word) for word in words_for(key, value, goal.target)), (key, value, text)
            if key.startswith("not_"):
                assert NEGATIONS.search(text), text


def test_a_refinement_says_its_constraint(catalog):
    rng = random.Random(2)
    persona = next(p for p in PERSONAS if p.chatty and not p.typo_rate)
    for goal in simulate(22, 150, catalog):
        for key, value in (inform for step in goal.steps for inform in step if inform[0] in phrasing.REFINEMENTS):
            text = phrasing.refinement(key, value, goal.target, persona, rng).lower()
            assert any(mentions(text, word) for word in words_for(key, value, goal.target)), (key, value, text)


@pytest.mark.parametrize("size, forms", [("10", {"10", "a ten", "i wear a 10", "size 10"}),
                                         ("M", {"m", "medium please", "a med", "i wear m"}),
                                         ("10.5", {"10.5", "ten and a half", "10 and a half"}),
                                         ("32x30", {"32x30", "32 x 30", "32/30", "w32 l30"})])
def test_size_answers_vary_the_way_people_write_them(size, forms):
    rng = random.Random(3)
    said = {phrasing.size_answer(size, rng).lower() for _ in range(400)}
    assert forms <= said, said
    assert all(any(mentions(answer, form) for form in size_forms(size)) for answer in said), said


def test_a_one_size_product_gets_any_size():
    assert phrasing.size_answer(None, random.Random(5)) in phrasing.ANY_SIZE


def test_typos_change_function_words_only():
    typist = next(p for p in PERSONAS if p.typo_rate and not p.chatty)
    rng = random.Random(4)
    typed = [phrasing.finish("under 80 for the black Stridewell size 10 please", typist, rng) for _ in range(200)]
    assert any(t.startswith(("undr ", "unde ")) for t in typed) and any(" teh " in t for t in typed)
    assert all("black Stridewell" in t and t.rstrip(".").endswith(("please", "pls", "plz")) for t in typed)
    assert all(re.search(r"\b(size|sz|sise) 10\b", t) for t in typed)
