"""What shoppers type and say, and the constraints it must mean (the parse contract, §3).

Each row: utterance -> the non-null constraints expected (every other key must be null).
"""
from __future__ import annotations

import pytest

from nlu.constraints import extract_constraints
from nlu.entities import constraints_from_entities
from nlu.vocabulary import CatalogVocabulary

VOCABULARY = CatalogVocabulary.from_dict({
    "brands": ["Stridewell", "Northpeak", "Kestrel Outdoor", "Urban Thread", "Rose & Finch", "Redwood Trail",
               "Summit & Sole", "Velo Run"],
    "categories": [
        "Shoes > Running Shoes", "Shoes > Trail Running Shoes", "Shoes > Sneakers", "Shoes > Hiking Boots",
        "Shoes > Boots", "Shoes > Sandals", "Shoes > Dress Shoes", "Clothing > Jackets > Rain Jackets",
        "Clothing > Jackets > Down Jackets", "Clothing > Jackets > Fleece Jackets", "Clothing > T-Shirts",
        "Clothing > Hoodies", "Clothing > Jeans", "Clothing > Dresses", "Clothing > Leggings", "Clothing > Shorts",
        "Clothing > Socks", "Accessories > Backpacks", "Accessories > Hats", "Accessories > Watches",
        "Accessories > Sunglasses", "Accessories > Belts",
    ],
})


def usd(low=None, high=None, currency="USD"):
    return {"min": low, "max": high, "currency": currency}


def size(value, system=None):
    return {"value": value, "system": system}


CASES = [
    # the contract's own example, and its everyday spellings
    ("men's running shoes under $100, size 10.5, black", dict(category="running shoes", gender="men", price=usd(None, 100), size=size("10.5"), color=["black"])),
    ("mens running shoes under 100 size 10.5 black", dict(category="running shoes", gender="men", price=usd(None, 100), size=size("10.5"), color=["black"])),
    ("men running shoe below $100 sz 10.5 in black", dict(category="running shoes", gender="men", price=usd(None, 100), size=size("10.5"), color=["black"])),
    ("MENS RUNNING SHOES UNDER $100 SIZE 10.5 BLACK", dict(category="running shoes", gender="men", price=usd(None, 100), size=size("10.5"), color=["black"])),
    # budgets: maximums
    ("sneakers under 80", dict(category="sneakers", price=usd(None, 80))),
    ("sneakers below 80 dollars", dict(category="sneakers", price=usd(None, 80))),
    ("sneakers less than $80", dict(category="sneakers", price=usd(None, 80))),
    ("sneakers no more than 80 bucks", dict(category="sneakers", price=usd(None, 80))),
    ("sneakers max 80", dict(category="sneakers", price=usd(None, 80))),
    ("sneakers up to $80", dict(category="sneakers", price=usd(None, 80))),
    ("sneakers at most 80 dollars", dict(category="sneakers", price=usd(None, 80))),
    ("sneakers budget of 80", dict(category="sneakers", price=usd(None, 80))),
    ("boots for a hundred bucks", dict(category="boots", price=usd(None, 100))),
    ("boots under one hundred dollars", dict(category="boots", price=usd(None, 100))),
    ("boots under a hundred and fifty dollars", dict(category="boots", price=usd(None, 150))),
    ("boots under fifty dollars", dict(category="boots", price=usd(None, 50))),
    ("boots under twenty five bucks", dict(category="boots", price=usd(None, 25))),
    ("a watch under $1,200", dict(category="watches", price=usd(None, 1200))),
    ("a watch under 1k", dict(category="watches", price=usd(None, 1000))),
    ("dress under $79.99", dict(category="dresses", price=usd(None, 79.99))),
    ("$60 sandals", dict(category="sandals", price=usd(None, 60))),
    ("sandals 60 dollars", dict(category="sandals", price=usd(None, 60))),
    ("jacket under 100 pounds", dict(category="jackets", price=usd(None, 100, "GBP"))),
    ("jacket under £100", dict(category="jackets", price=usd(None, 100, "GBP"))),
    ("jacket under 90 euros", dict(category="jackets", price=usd(None, 90, "EUR"))),
    ("jacket under €90", dict(category="jackets", price=usd(None, 90, "EUR"))),
    ("backpack under 50 quid", dict(category="backpacks", price=usd(None, 50, "GBP"))),
    # budgets: minimums, ranges, around
    ("watches over $200", dict(category="watches", price=usd(200, None))),
    ("watches above 200 dollars", dict(category="watches", price=usd(200, None))),
    ("watches at least 200", dict(category="watches", price=usd(200, None))),
    ("watches more than $200", dict(category="watches", price=usd(200, None))),
    ("running shoes between 80 and 120 dollars", dict(category="running shoes", price=usd(80, 120))),
    ("running shoes between $80 and $120", dict(category="running shoes", price=usd(80, 120))),
    ("running shoes $80 to $120", dict(category="running shoes", price=usd(80, 120))),
    ("running shoes 80-120 dollars", dict(category="running shoes", price=usd(80, 120))),
    ("running shoes $80-$120", dict(category="running shoes", price=usd(80, 120))),
    ("running shoes from $80 to $120", dict(category="running shoes", price=usd(80, 120))),
    ("rain jacket around $150", dict(category="rain jackets", price=usd(120, 180))),
    ("rain jacket about 150 dollars", dict(category="rain jackets", price=usd(120, 180))),
    ("rain jacket roughly 100", dict(category="rain jackets", price=usd(80, 120))),
    ("rain jacket approximately a hundred bucks", dict(category="rain jackets", price=usd(80, 120))),
    # shoe sizes
    ("running shoes size 10", dict(category="running shoes", size=size("10"))),
    ("running shoes size 9.5", dict(category="running shoes", size=size("9.5"))),
    ("running shoes size 10 1/2", dict(category="running shoes", size=size("10.5"))),
    ("running shoes size 10½", dict(category="running shoes", size=size("10.5"))),
    ("running shoes size ten and a half", dict(category="running shoes", size=size("10.5"))),
    ("running shoes size nine point five", dict(category="running shoes", size=size("9.5"))),
    ("running shoes size eleven", dict(category="running shoes", size=size("11"))),
    ("running shoes sz 12", dict(category="running shoes", size=size("12"))),
    ("running shoes in a 10", dict(category="running shoes", size=size("10"))),
    ("i'm a 10 and need running shoes", dict(category="running shoes", size=size("10"))),
    ("i wear a 9 in sneakers", dict(category="sneakers", size=size("9"))),
    ("boots us 10", dict(category="boots", size=size("10", "US"))),
    ("boots uk 9", dict(category="boots", size=size("9", "UK"))),
    ("boots size 44 eu", dict(category="boots", size=size("44", "EU"))),
    ("boots eu 44", dict(category="boots", size=size("44", "EU"))),
    ("boots 42 euro", dict(category="boots", size=size("42", "EU"))),
    ("boots size 10w", dict(category="boots", size=size("10"))),
    ("10W running shoes", dict(category="running shoes", size=size("10"))),
    ("size 10 wide hiking boots", dict(category="hiking boots", size=size("10"))),
    ("size 9.0 sandals", dict(category="sandals", size=size("9"))),
    # letter and waist sizes
    ("hoodie size medium", dict(category="hoodies", size=size("M"))),
    ("medium hoodie", dict(category="hoodies", size=size("M"))),
    ("hoodie in large", dict(category="hoodies", size=size("L"))),
    ("t-shirt size xl", dict(category="t-shirts", size=size("XL"))),
    ("t shirt extra large", dict(category="t-shirts", size=size("XL"))),
    ("tee size extra small", dict(category="t-shirts", size=size("XS"))),
    ("tshirt 2xl", dict(category="t-shirts", size=size("XXL"))),
    ("tees in xxl", dict(category="t-shirts", size=size("XXL"))),
    ("leggings size s", dict(category="leggings", size=size("S"))),
    ("shorts size small", dict(category="shorts", size=size("S"))),
    ("jeans 32x30", dict(category="jeans", size=size("32x30"))),
    ("jeans 32 x 30", dict(category="jeans", size=size("32x30"))),
    ("jeans size 34/32", dict(category="jeans", size=size("34x32"))),
    ("jeans w32 l30", dict(category="jeans", size=size("32x30"))),
    ("jeans 32 by 34", dict(category="jeans", size=size("32x34"))),
    # colours and their synonyms
    ("navy sneakers", dict(category="sneakers", color=["blue"])),
    ("charcoal hoodie", dict(category="hoodies", color=["grey"])),
    ("gray hoodie", dict(category="hoodies", color=["grey"])),
    ("burgundy dress", dict(category="dresses", color=["red"])),
    ("olive rain jacket", dict(category="rain jackets", color=["green"])),
    ("black or navy boots", dict(category="boots", color=["black", "blue"])),
    ("red and white sneakers", dict(category="sneakers", color=["red", "white"])),
    ("teal leggings", dict(category="leggings", color=["blue"])),
    ("tan belt", dict(category="belts", color=["brown"])),
    ("cream sweatshirt", dict(category="hoodies", color=["beige"])),
    ("lavender t-shirt", dict(category="t-shirts", color=["purple"])),
    ("silver watch", dict(category="watches", color=["grey"])),
    ("gold watch", dict(category="watches", color=["gold"])),
    ("multicolor socks", dict(category="socks", color=["multicolor"])),
    ("pink sandals", dict(category="sandals", color=["pink"])),
    ("coral dress", dict(category="dresses", color=["orange"])),
    ("khaki shorts", dict(category="shorts", color=["green"])),
    ("mustard beanie", dict(category="hats", color=["yellow"])),
    # genders and age groups
    ("ladies hiking boots", dict(category="hiking boots", gender="women")),
    ("womens hiking boots", dict(category="hiking boots", gender="women")),
    ("women's hiking boots", dict(category="hiking boots", gender="women")),
    ("hiking boots for women", dict(category="hiking boots", gender="women")),
    ("hiking boots for my wife", dict(category="hiking boots", gender="women")),
    ("a watch for my husband", dict(category="watches", gender="men")),
    ("watch for my dad", dict(category="watches", gender="men")),
    ("mens watch", dict(category="watches", gender="men")),
    ("male sandals", dict(category="sandals", gender="men")),
    ("sneakers for my daughter", dict(category="sneakers", gender="girls")),
    ("girls sneakers", dict(category="sneakers", gender="girls")),
    ("sneakers for my son", dict(category="sneakers", gender="boys")),
    ("boys' sneakers", dict(category="sneakers", gender="boys")),
    ("kids sandals", dict(category="sandals", gender="kids")),
    ("toddler boots", dict(category="boots", gender="kids")),
    ("children's rain jacket", dict(category="rain jackets", gender="kids")),
    ("unisex backpack", dict(category="backpacks", gender="unisex")),
    # ratings
    ("sneakers 4 stars and up", dict(category="sneakers", rating_min=4)),
    ("sneakers at least 4 stars", dict(category="sneakers", rating_min=4)),
    ("sneakers 4+ stars", dict(category="sneakers", rating_min=4)),
    ("sneakers rated 4 or higher", dict(category="sneakers", rating_min=4)),
    ("highly rated sneakers", dict(category="sneakers", rating_min=4)),
    ("top rated backpacks", dict(category="backpacks", rating_min=4)),
    ("well reviewed boots", dict(category="boots", rating_min=4)),
    ("five star hats", dict(category="hats", rating_min=5)),
    ("sneakers 4.5 stars or more", dict(category="sneakers", rating_min=4.5)),
    # brands, including multi-word, punctuated and colour-looking ones
    ("stridewell running shoes", dict(category="running shoes", brand=["Stridewell"])),
    ("Stridewell running shoes", dict(category="running shoes", brand=["Stridewell"])),
    ("kestrel outdoor backpack", dict(category="backpacks", brand=["Kestrel Outdoor"])),
    ("rose & finch dresses", dict(category="dresses", brand=["Rose & Finch"])),
    ("rose and finch dresses", dict(category="dresses", brand=["Rose & Finch"])),
    ("rose dresses", dict(category="dresses", color=["pink"])),
    ("redwood trail boots", dict(category="boots", brand=["Redwood Trail"])),
    ("red boots", dict(category="boots", color=["red"])),
    ("summit & sole sneakers", dict(category="sneakers", brand=["Summit & Sole"])),
    ("northpeak or urban thread hoodies", dict(category="hoodies", brand=["Northpeak", "Urban Thread"])),
    ("velo run shoes", dict(category="shoes", brand=["Velo Run"])),
    # categories: longest match and synonyms
    ("trail running shoes", dict(category="trail running shoes")),
    ("trail shoes", dict(category="trail running shoes")),
    ("running shoes", dict(category="running shoes")),
    ("shoes", dict(category="shoes")),
    ("trainers", dict(category="sneakers")),
    ("raincoat", dict(category="rain jackets")),
    ("rain coat", dict(category="rain jackets")),
    ("puffer jacket", dict(category="down jackets")),
    ("down jacket", dict(category="down jackets")),
    ("jackets", dict(category="jackets")),
    ("a fleece", dict(category="fleece jackets")),
    ("sunnies", dict(category="sunglasses")),
    ("shades", dict(category="sunglasses")),
    ("rucksack", dict(category="backpacks")),
    ("a cap", dict(category="hats")),
    ("tights", dict(category="leggings")),
    ("hiking shoes", dict(category="hiking boots")),
    ("dress shoes", dict(category="dress shoes")),
    ("a dress", dict(category="dresses")),
    ("clothing", dict(category="clothing")),
    ("accessories", dict(category="accessories")),
    ("a belt", dict(category="belts")),
    ("socks", dict(category="socks")),
    # numbers that must not be misread
    ("size 10 under 100", dict(size=size("10"), price=usd(None, 100))),
    ("under 100 size 10", dict(size=size("10"), price=usd(None, 100))),
    ("size 12 shoes under 12 dollars", dict(category="shoes", size=size("12"), price=usd(None, 12))),
    ("24l backpack", dict(category="backpacks")),
    ("add the second one", dict()),
    ("show me 3 of them", dict()),
    ("hi", dict()),
    ("what's the weather like", dict()),
    ("order OS-1A2B3C", dict()),
    # voice transcripts: no symbols
    ("mens running shoes under one hundred dollars size ten and a half", dict(category="running shoes", gender="men", price=usd(None, 100), size=size("10.5"))),
    ("womens rain jacket under one hundred and fifty dollars", dict(category="rain jackets", gender="women", price=usd(None, 150))),
    ("black sneakers size nine", dict(category="sneakers", color=["black"], size=size("9"))),
    ("hiking boots between eighty and one hundred twenty dollars", dict(category="hiking boots", price=usd(80, 120))),
    ("a watch around two hundred dollars", dict(category="watches", price=usd(160, 240))),
    # several constraints at once
    ("navy womens northpeak rain jacket size m under 200 4 stars and up",
     dict(category="rain jackets", color=["blue"], gender="women", brand=["Northpeak"], size=size("M"), price=usd(None, 200), rating_min=4)),
    ("highly rated black leather belt size 34 for my husband under 60",
     dict(category="belts", color=["black"], gender="men", size=size("34"), price=usd(None, 60), rating_min=4)),
    ("kids grey hoodie size small under $40", dict(category="hoodies", gender="kids", color=["grey"], size=size("S"), price=usd(None, 40))),
    ("girls pink sandals size 2 under twenty dollars", dict(category="sandals", gender="girls", color=["pink"], size=size("2"), price=usd(None, 20))),
]

EMPTY = {"category": None, "brand": None, "color": None, "gender": None, "size": None, "price": None, "rating_min": None}


@pytest.mark.parametrize("utterance, expected", CASES, ids=[c[0] for c in CASES])
def test_utterance_means_exactly_these_constraints(utterance, expected):
    result = extract_constraints(utterance, VOCABULARY)
    assert result.constraints == {**EMPTY, **expected}


@pytest.mark.parametrize("utterance", [c[0] for c in CASES])
def test_entities_rebuild_the_same_constraints_and_point_at_the_text(utterance):
    """The action server and /api/parse see constraints only as entities: nothing may be lost."""
    result = extract_constraints(utterance, VOCABULARY)
    assert constraints_from_entities(result.entities) == result.constraints
    for entity in result.entities:
        assert utterance[entity["start"]:entity["end"]] == entity["text"]


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


def test_a_new_catalogs_brand_is_understood_without_retraining():
    new_catalog = CatalogVocabulary.from_dict({"brands": ["Zephyrline"], "categories": ["Clothing > Jackets"]})
    result = extract_constraints("show me zephyrline jackets", new_catalog)
    assert result.constraints["brand"] == ["Zephyrline"] and result.constraints["category"] == "jackets"
    assert extract_constraints("show me zephyrline jackets", VOCABULARY).constraints["brand"] is None
