"""The kinds a category level that lists several names stands for (`nlu.vocabulary.level_parts`),
as real catalogs write their levels: IKEA's "Bookcases & shelving units", Flipkart's "Casual &
Party Wear Shirts", and the product titles a marketplace puts in its category path."""
from __future__ import annotations

import pytest

from nlu.vocabulary import CatalogVocabulary, level_parts

LEVELS = [
    ("bookcases & shelving units", ["bookcases", "shelving units"]),
    ("sideboards, buffets & console tables", ["sideboards", "buffets", "console tables"]),
    ("leggings & churidars", ["leggings", "churidars"]),
    ("casual & party wear shirts", ["casual shirts", "party wear shirts"]),  # "casual" is no kind
    ("tv & media furniture", ["tv furniture", "tv", "media furniture"]),
    ("red & white mugs", []),  # colours are no kinds
    ("outdoor & garden", []),  # neither part is a kind
    ("sathiyas cotton bath towel (3 bath towel, red, y...", []),  # a title, not a list of kinds
    ("running shoes", []),  # one name
]


@pytest.mark.parametrize("level, parts", LEVELS, ids=[level for level, _ in LEVELS])
def test_a_level_names_each_kind_it_lists(level, parts):
    assert level_parts(level) == parts


def test_a_title_in_the_category_path_makes_no_colour_a_category():
    vocabulary = CatalogVocabulary.from_dict({"brands": [], "categories": [
        "Home Furnishing > Bath Linen > Towels > Sathiyas Cotton Bath Towel (3 Bath Towel, Red, Y...",
        "Clothing > Women's Clothing > Western Wear > Shirts, Tops & Tunics > Casual & Party Wear Shirts",
        "Footwear > Women's Footwear > Boots"]})
    assert vocabulary.category_for("red") is None and vocabulary.category_for("casual") is None
    assert vocabulary.category_for("casual shirts") == "casual & party wear shirts"
    assert vocabulary.category_for("boots") == "boots"
