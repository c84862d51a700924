"""A real shop's own words: brand names that are English words first ("AND", "ONLY", "GAP",
"People", "W", "CAT", "Fox", "Envy"), brand families ("calvin klein" is Calvin Klein and Calvin
Klein Jeans), and category names that are not the shopper's ("handbag" in a shop that says
"Bags", "bookcase" in one that says "Bookcases & shelving units").

The rows were written on 2026-12-02, before the parser read any of them, and are frozen: 17 of
the 30 failed then (see the closing note of issue 15). A row states every non-null constraint.
"""
from __future__ import annotations

import pytest

from nlu.constraints import extract_constraints
from nlu.vocabulary import CatalogVocabulary
from tests.nlu.parser_checks import assert_entities_rebuild_the_constraints

# Brands of two real public catalogs and of the shop a new user tried; "common_words" is what an
# index build derives from the catalog's own texts (catalog_index.database.vocabulary).
VOCABULARY = CatalogVocabulary.from_dict({
    "brands": ["AND", "ONLY", "GAP", "People", "W", "CAT", "Fox", "Envy", "Calvin Klein", "Calvin Klein Jeans",
               "Calvin Klein Underwear", "Levi's", "Only Natural", "Nike", "Biba"],
    "categories": ["Accessories > Bag", "Clothing > Dresses", "Clothing > Kurtas", "Clothing > Jeans",
                   "Clothing > Sweaters", "Clothing > Trousers", "Clothing > Tops", "Shoes > Boots",
                   "Shoes > Sneakers", "Furniture > Bookcases & shelving units", "Furniture > Sofas & armchairs"],
    "common_words": ["envy", "people"],
})
EMPTY = {"category": None, "brand": None, "color": None, "gender": None, "size": None, "price": None,
         "rating_min": None, "exclude": None, "sort": None}


def price(low=None, high=None, currency="USD"):
    return {"min": low, "max": high, "currency": currency}


ROWS = [
    # words first: no brand without evidence
    ("between 15 and 30 dollars", dict(price=price(15, 30))),
    ("black handbag for women between 10 and 30 dollars", dict(category="bag", color=["black"], gender="women",
                                                                price=price(10, 30))),
    ("only black ones", dict(color=["black"])),
    ("Only dresses under 40", dict(category="dresses", price=price(None, 40))),
    ("black and white sneakers", dict(category="sneakers", color=["black", "white"])),
    ("mind the gap", dict()),
    ("a dress for people who dance", dict(category="dresses")),
    ("i envy you", dict()),
    ("boots for my cat", dict(category="boots")),
    ("w dresses", dict(category="dresses")),
    ("a fox print top", dict(category="tops")),
    ("jeans with a gap at the knee", dict(category="jeans")),
    # evidence: the brand's own casing, a brand word before it, a kind of product right after it
    ("ONLY dresses", dict(category="dresses", brand=["ONLY"])),
    ("dresses from only", dict(category="dresses", brand=["ONLY"])),
    ("show me AND kurtas", dict(category="kurtas", brand=["AND"])),
    ("W dresses", dict(category="dresses", brand=["W"])),
    ("gap jeans", dict(category="jeans", brand=["GAP"])),
    ("cat boots under 100", dict(category="boots", brand=["CAT"], price=price(None, 100))),
    ("a bag by Fox", dict(category="bag", brand=["Fox"])),
    ("a dress by envy", dict(category="dresses", brand=["Envy"])),
    ("only natural", dict(brand=["Only Natural"])),
    ("levis jeans", dict(category="jeans", brand=["Levi's"])),
    ("biba kurtas", dict(category="kurtas", brand=["Biba"])),
    # a family: the brand and its lines
    ("calvin klein", dict(brand=["Calvin Klein", "Calvin Klein Jeans", "Calvin Klein Underwear"])),
    ("calvin klein tops", dict(category="tops", brand=["Calvin Klein", "Calvin Klein Jeans",
                                                       "Calvin Klein Underwear"])),
    # the shop's category names, as shoppers say them
    ("a bookcase", dict(category="bookcases & shelving units")),
    ("armchairs under 500", dict(category="sofas & armchairs", price=price(None, 500))),
    ("bags", dict(category="bag")),
    ("a tote bag", dict(category="bag")),
    ("sofas", dict(category="sofas & armchairs")),
]


def test_the_table_has_no_duplicates():
    utterances = [utterance for utterance, _ in ROWS]
    assert len(set(utterances)) == len(utterances) == 30


@pytest.mark.parametrize("utterance, expected", ROWS, ids=[row[0] for row in ROWS])
def test_a_real_shops_words(utterance, expected):
    result = extract_constraints(utterance, VOCABULARY)
    assert result.constraints == {**EMPTY, **expected}
    assert_entities_rebuild_the_constraints(utterance, VOCABULARY)
