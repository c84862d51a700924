"""What shoppers type and say, and the constraints it must mean (the parse contract, §3).

Each row: utterance -> the non-null constraints expected (every other key must be null).
"""
from __future__ import annotations

import pytest

from nlu.constraints import extract_constraints
from nlu.vocabulary import CatalogVocabulary
from tests.demo_categories import DEMO_PRODUCT_TYPES
from tests.nlu.parser_checks import assert_entities_rebuild_the_constraints

VOCABULARY = CatalogVocabulary.from_dict({
    "brands": ["Stridewell", "Northpeak", "Kestrel Outdoor", "Urban Thread", "Rose & Finch", "Redwood Trail",
               "Summit & Sole", "Velo Run"],
    "categories": list(DEMO_PRODUCT_TYPES),
})


def usd(low=None, high=None, currency="USD"):
    return {"min": low, "max": high, "currency": currency}


def size(value, system=None):
    return {"value": value, "system": system}


CASES = [
    # the contract's own example, and its everyday spellings
    ("men running shoe below $100 sz 10.5 in black", dict(category="running shoes", gender="men", price=usd(None, 100), size=size("10.5"), color=["black"])),
    # budgets: maximums
    ("boots for a hundred bucks", dict(category="boots", price=usd(None, 100))),
    ("boots under fifty dollars", dict(category="boots", price=usd(None, 50))),
    # budgets: minimums, ranges, around
    ("running shoes from $80 to $120", dict(category="running shoes", price=usd(80, 120))),
    # shoe sizes
    ("size 9.0 sandals", dict(category="sandals", size=size("9"))),
    # letter and waist sizes
    # colours and their synonyms
    ("cream sweatshirt", dict(category="hoodies", color=["beige"])),
    ("mustard beanie", dict(category="hats", color=["yellow"])),
    # genders and age groups
    # ratings
    # brands, including multi-word, punctuated and colour-looking ones
    ("summit & sole sneakers", dict(category="sneakers", brand=["Summit & Sole"])),
    ("velo run shoes", dict(category="shoes", brand=["Velo Run"])),
    # categories: longest match and synonyms
    ("trail shoes", dict(category="trail running shoes")),
    ("down jacket", dict(category="down jackets")),
    # numbers that must not be misread
    # voice transcripts: no symbols
    # several constraints at once
    ("navy womens northpeak rain jacket size m under 200 4 stars and up",
     dict(category="rain jackets", color=["blue"], gender="women", brand=["Northpeak"], size=size("M"), price=usd(None, 200), rating_min=4)),
    ("highly rated black leather belt size 34 for my husband under 60",
     dict(category="belts", color=["black"], gender="men", size=size("34"), price=usd(None, 60), rating_min=4)),
]

EMPTY = {"category": None, "brand": None, "color": None, "gender": None, "size": None, "price": None, "rating_min": None,
         "exclude": None, "sort": None}


@pytest.mark.parametrize("utterance, expected", CASES, ids=[c[0] for c in CASES])
def test_utterance_means_exactly_these_constraints(utterance, expected):
    result = extract_constraints(utterance, VOCABULARY)
    assert result.constraints == {**EMPTY, **expected}


@pytest.mark.parametrize("utterance", [c[0] for c in CASES])
def test_entities_rebuild_the_same_constraints_and_point_at_the_text(utterance):
    assert_entities_rebuild_the_constraints(utterance, VOCABULARY)


@pytest.mark.parametrize("utterance, entity, value", [
    ("add the second one to my cart", "ordinal", 2),
    ("tell me about the first one", "ordinal", 1),
    ("the last one", "ordinal", -1),
    ("compare #2 and #3", "ordinal", 2),
    ("the 3rd one", "ordinal", 3),
    ("add two pairs of the first one", "quantity", 2),
    ("qty 3", "quantity", 3),
    ("a couple of them", "quantity", 2),
    ("10W running shoes", "width", "W"),
    ("size 9.5 2e", "width", "2E"),
])
def test_references_quantities_and_widths(utterance, entity, value):
    found = [e["value"] for e in extract_constraints(utterance, VOCABULARY).entities if e["entity"] == entity]
    assert found[:1] == [value]
