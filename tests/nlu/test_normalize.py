"""Canonical shopping values: one table per normaliser.

The catalog loader and the parser share these functions, so each row is a promise about
both what a retailer's feed contains and what a shopper says.
"""
from __future__ import annotations

import pytest

from nlu.normalize import (
    COLOR_FAMILIES, COLOR_SYNONYMS, GENDER_PHRASES, color_families, feed_color, normalize_color, normalize_gender,
    normalize_size, normalize_size_system, parse_price, shown_color, singular, sizes_meant, split_size_width,
    visible_color_families, words_to_number,
)

SIZES = [
    # numeric sizes: plain decimals
    ("9", "9"), ("10.5", "10.5"), ("10 1/2", "10.5"), ("10½", "10.5"), ("10 ½", "10.5"), ("9 1/2", "9.5"),
    ("ten and a half", "10.5"), ("nine point five", "9.5"), ("size 9.0", "9"), ("Size 9", "9"), ("sz 12", "12"),
    ("eleven", "11"), ("44", "44"), ("0", "0"), ("US 10", "10"), ("10 US", "10"), ("EU 44", "44"),
    ("7 and a half", "7.5"), (" 8 ", "8"),
    # letter sizes
    ("medium", "M"), ("Medium", "M"), ("m", "M"), ("small", "S"), ("S", "S"), ("large", "L"), ("l", "L"),
    ("extra small", "XS"), ("xs", "XS"), ("XXS", "XXS"), ("extra large", "XL"), ("x-large", "XL"), ("XL", "XL"),
    ("xx-large", "XXL"), ("2xl", "XXL"), ("XXL", "XXL"), ("3XL", "XXXL"), ("xxxl", "XXXL"),
    # waist x inseam
    ("32x30", "32x30"), ("32 x 30", "32x30"), ("32/30", "32x30"), ("32w 30l", "32x30"), ("W32 L30", "32x30"),
    ("32 waist 30 length", "32x30"), ("34X32", "34x32"),
    # one size
    ("one size", "ONE SIZE"), ("OS", "ONE SIZE"), ("One Size Fits All", "ONE SIZE"), ("o/s", "ONE SIZE"),
    # not sizes
    ("", None), ("banana", None), ("huge", None), ("10W", None), ("two fifty", None), ("ten point", None),
]


@pytest.mark.parametrize("text, expected", SIZES)
def test_normalize_size(text, expected):
    assert normalize_size(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("10W", ("10", "W")), ("10 wide", ("10", "W")), ("9.5 2E", ("9.5", "2E")), ("11 4E", ("11", "4E")),
    ("8 narrow", ("8", "N")), ("10 extra wide", ("10", "WW")), ("10", ("10", None)), ("M", ("M", None)),
    ("medium", ("M", None)), ("32x30", ("32x30", None)), ("nonsense", (None, None)),
])
def test_split_size_width_keeps_the_width_out_of_the_size(text, expected):
    assert split_size_width(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("US", "US"), ("us", "US"), ("UK", "UK"), ("gb", "UK"), ("EU", "EU"), ("euro", "EU"), ("European", "EU"),
    (" eu ", "EU"), ("", None), (None, None), ("JP", None),
])
def test_normalize_size_system(text, expected):
    assert normalize_size_system(text) == expected


def test_colour_families_are_exactly_the_catalog_filter_values():
    assert COLOR_FAMILIES == ("black", "white", "grey", "blue", "red", "green", "yellow", "orange", "pink",
                              "purple", "brown", "beige", "gold", "multicolor")
    assert set(COLOR_SYNONYMS.values()) <= set(COLOR_FAMILIES)


COLOURS = [
    # the families themselves
    *((family, family) for family in ("black", "white", "grey", "blue", "red", "green", "yellow", "orange",
                                      "pink", "purple", "brown", "beige", "gold", "multicolor")),
    # synonyms, one row each
    *((word, "grey") for word in ("gray", "charcoal", "slate", "silver", "SILVER", "graphite", "ash")),
    *((word, "blue") for word in ("navy", "teal", "turquoise", "cobalt", "royal", "indigo", "denim", "sky")),
    *((word, "red") for word in ("burgundy", "maroon", "crimson", "scarlet", "wine", "cherry")),
    *((word, "green") for word in ("olive", "khaki", "sage", "mint", "forest", "lime", "volt")),
    *((word, "yellow") for word in ("mustard", "lemon")),
    *((word, "orange") for word in ("coral", "rust", "tangerine")),
    *((word, "pink") for word in ("rose", "blush", "magenta", "fuchsia")),
    *((word, "purple") for word in ("lavender", "lilac", "violet", "plum", "mauve")),
    *((word, "brown") for word in ("tan", "chocolate", "camel", "mocha", "cognac", "sand")),
    *((word, "beige") for word in ("cream", "ivory", "oatmeal", "natural", "stone")),
    *((word, "multicolor") for word in ("multi", "multicolour", "multicolor", "rainbow", "Multi-Color")),
    # retailers' compound names: the last family word wins, else the last synonym
    ("Midnight Navy", "blue"), ("Charcoal Heather", "grey"), ("Triple Black", "black"), ("Volt Green", "green"),
    ("Sand Beige", "beige"), ("Olive Drab", "green"), ("Sky Blue", "blue"), ("Heather Grey", "grey"),
    ("Burgundy/Wine", "red"), ("Rose Gold", "gold"), ("Off White", "white"), ("Black/White", "white"),
    # not colours
    ("", None), (None, None), ("Midnight", None), ("Redwood", None), ("graphic", None),
]


@pytest.mark.parametrize("text, expected", COLOURS)
def test_normalize_color(text, expected):
    assert normalize_color(text) == expected


# Issue 15: real colour fields of the two real catalogs (data/real_catalogs), as feeds write them:
# (colour field, every family it names, the family it is filtered on).
FEED_COLOURS = [
    # IKEA Saudi Arabia: the words its links name an article's finish by
    ("black brown", ["black", "brown"], "brown"), ("lejde grey black", ["grey", "black"], "black"),
    ("white beige", ["white", "beige"], "beige"), ("white stain", ["white"], "white"),
    ("gunnared medium grey", ["grey"], "grey"), ("dark brown orrsta light grey", ["brown", "grey"], "grey"),
    ("black silver colour", ["black", "grey"], "black"), ("anthracite", ["grey"], "grey"),
    ("anthracite anthracite", ["grey"], "grey"), ("birch", ["beige"], "beige"), ("pine", ["beige"], "beige"),
    ("stainless steel colour", ["grey"], "grey"), ("brass colour", ["gold"], "gold"),
    ("walnut veneer", ["brown"], "brown"), ("birch veneer hillared anthracite", ["beige", "grey"], "grey"),
    ("oak veneer anthracite", ["beige", "grey"], "grey"), ("white stained oak veneer", ["white", "beige"], "white"),
    ("vallarum cerise", ["pink"], "pink"), ("transparent", [], None), ("childrens tent", [], None),
    # Flipkart India: its "Color" specification as sellers typed it
    ("Black", ["black"], "black"), ("Brown, White13", ["brown", "white"], "white"), ("44,MAROON", ["red"], "red"),
    ("Coffee", ["brown"], "brown"), ("Multicolour", ["multicolor"], "multicolor"), ("Alamond", ["beige"], "beige"),
    ("Silver, White, Yellow", ["grey", "white", "yellow"], "yellow"), ("Br", [], None), ("Assorted", [], None),
]


@pytest.mark.parametrize("text, families, family", FEED_COLOURS, ids=[row[0] for row in FEED_COLOURS])
def test_a_feed_colour_names_these_families(text, families, family):
    assert (color_families(text, feed=True), feed_color(text)) == (families, family)


def test_finishes_and_woods_are_colours_in_a_feed_only():
    """A shopper's "oak" or "steel" is a material, not a colour."""
    assert [normalize_color(word) for word in ("oak", "stainless steel", "birch", "anthracite")] == [None] * 4


# (colour field, title, brand) -> (colour shown, family filtered on): the title is what the shopper
# reads, so a colour the title names and the field does not is the one trusted.
SHOWN_COLOURS = [
    ("Red", "Men's Slim Fit Brown Trousers", "", ("Brown", "brown")),
    ("Black", "Pinza Blue Cowboy Boots", "", ("Blue", "blue")),
    ("", "Vermello Men Casual Brown Genuine Leather Belt", "", ("Brown", "brown")),
    ("", "Hala Red In Black trendy digital Digital Watch  - For Boys, Girls, Men", "", ("Red/Black", "black")),
    ("", "Vizion 8503B-1RED Cold Light Digital Watch  - For Boys, Girls", "", ("Red", "red")),
    ("Transparent", "Mast & Harbour Black Synthetic  Clutch", "", ("Black", "black")),
    ("Black", "TEN TEN Women's Black Knee Length Boots Boots", "", ("Black", "black")),
    ("Multicolor", "Elegance Polyester Multicolor Abstract Eyelet Door Curtain", "", ("Multicolor", "multicolor")),
    # a metal is what the ring is made of: it overrules no colour field
    ("Purple", "Allure Silver Amethyst Sterling Silver Ring", "", ("Purple", "purple")),
    ("Yellow", "Avsar Sachi Gold Diamond 18 K Ring", "", ("Yellow", "yellow")),
    ("Red", "Jewels Of Jaipur Gold Ruby Yellow Gold 14 K Ring", "", ("Red", "red")),
    ("", "Kiara Jewellery Sterling Silver Cubic Zirconia Rhodium Ring", "", ("Silver", "grey")),
    # the brand's name is no colour
    ("Cognac Brown", "Hollis & Grey Men's Keystone Derby", "Hollis & Grey", ("Cognac Brown", "brown")),
    ("", "Red Tape Men's Casual Shoes", "Red Tape", ("", None)),
    # IKEA: the title names no colour, the field is kept as written
    ("black brown", "BILLY Bookcase, 80x28x202 cm", "IKEA", ("black brown", "brown")),
    ("birch", "NORRÅKER Bar stool with backrest, 74 cm", "IKEA", ("birch", "beige")),
    ("", "SANDVIKA Guest bed, 80x190 cm", "IKEA", ("", None)),
    ("Leopard", "Carlton London Boots", "", ("Leopard", None)),
]


@pytest.mark.parametrize("field, title, brand, expected", SHOWN_COLOURS, ids=[row[1][:40] for row in SHOWN_COLOURS])
def test_the_colour_shown_trusts_the_title_over_the_field(field, title, brand, expected):
    assert shown_color(field, title, brand) == expected


# (colour field, title, brand, excluded colour, whether "not <colour>" removes the product): a
# product that is visibly the colour, in its colour name or its title, never passes.
EXCLUDED_COLOURS = [
    ("black brown", "HEMNES Bookcase, 90x197 cm", "IKEA", "black", True),
    ("black brown", "HEMNES Bookcase, 90x197 cm", "IKEA", "brown", True),
    ("black brown", "HEMNES Bookcase, 90x197 cm", "IKEA", "white", False),
    ("lejde grey black", "EKTORP Armchair", "IKEA", "grey", True),
    ("white beige", "BILLY Bookcase with doors, 80x30x202 cm", "IKEA", "white", True),
    ("anthracite", "TOMMARYD Table, 130x70/105 cm", "IKEA", "grey", True),
    ("birch", "NORRÅKER Bar stool with backrest, 74 cm", "IKEA", "beige", True),
    ("Brown, White13", "SWAGGA Women Clogs", "", "white", True),
    ("Black", "Hala Red In Black trendy digital Digital Watch", "", "red", True),
    ("Red", "Men's Slim Fit Brown Trousers", "", "red", False),
    ("Red", "Men's Slim Fit Brown Trousers", "", "brown", True),
    ("Yellow", "Avsar Sachi Gold Diamond 18 K Ring", "", "gold", True),
    ("", "Mom and Kid Baby Girl's Printed Blue, Grey Top & Pyjama Set", "", "grey", True),
    ("Cognac Brown", "Hollis & Grey Men's Keystone Derby", "Hollis & Grey", "grey", False),
]


@pytest.mark.parametrize("field, title, brand, colour, excluded", EXCLUDED_COLOURS,
                         ids=[f"{row[0] or row[1][:30]} not {row[3]}" for row in EXCLUDED_COLOURS])
def test_a_product_visibly_of_an_excluded_colour_never_passes(field, title, brand, colour, excluded):
    name, family = shown_color(field, title, brand)
    assert (colour in visible_color_families(name, family, title, brand)) is excluded


@pytest.mark.parametrize("gender, age_group, expected", [
    # feed values
    ("male", None, "men"), ("male", "adult", "men"), ("female", "adult", "women"), ("unisex", "adult", "unisex"),
    ("male", "kids", "boys"), ("female", "kids", "girls"), ("unisex", "kids", "kids"),
    ("male", "toddler", "boys"), ("female", "toddler", "girls"), ("unisex", "toddler", "kids"),
    ("unisex", "infant", "kids"), ("female", "newborn", "girls"), ("Male", "Kids", "boys"),
    (None, "kids", "kids"), ("", None, None), (None, None, None),
    # shopper words
    ("men", None, "men"), ("mens", None, "men"), ("men's", None, "men"), ("guys", None, "men"),
    ("gentlemen", None, "men"), ("for my husband", None, "men"), ("for my dad", None, "men"),
    ("for my brother", None, "men"), ("women", None, "women"), ("Women's", None, "women"),
    ("ladies", None, "women"), ("lady's", None, "women"), ("for my wife", None, "women"),
    ("for my mum", None, "women"), ("for my sister", None, "women"), ("boys", None, "boys"),
    ("boy's", None, "boys"), ("for my son", None, "boys"), ("girls", None, "girls"),
    ("for my daughter", None, "girls"), ("kids", None, "kids"), ("children", None, "kids"),
    ("toddler", None, "kids"), ("baby", None, "kids"), ("unisex", None, "unisex"), ("robots", None, None),
])
def test_normalize_gender(gender, age_group, expected):
    assert normalize_gender(gender, age_group) == expected


def test_gender_phrases_only_name_catalog_genders():
    assert set(GENDER_PHRASES.values()) == {"men", "women", "unisex", "boys", "girls", "kids"}


@pytest.mark.parametrize("text, expected", [
    ("79.99 USD", (79.99, "USD")), ("USD 79.99", (79.99, "USD")), ("79,99 EUR", (79.99, "EUR")),
    ("$79.99", (79.99, "USD")), ("1,299.00 USD", (1299.0, "USD")), ("1.299,00 EUR", (1299.0, "EUR")),
    ("€79", (79.0, "EUR")), ("£45.50", (45.5, "GBP")), ("79", (79.0, "USD")), ("79.99 usd", (79.99, "USD")),
    ("  120 CAD ", (120.0, "CAD")), ("$79.99 USD", (79.99, "USD")), ("1 299,00 EUR", (1299.0, "EUR")),
    ("free", None), ("", None), (None, None), ("abc USD", None), ("-5 USD", None), ("abc 79", None),
    ("€79 USD", None), ("79.99 dollars", None), ("1,2,3 USD", None),
    # issue 15, real retailers' feeds: IKEA Saudi Arabia's "SR 2,375", Indian "Rs." and lakh grouping
    ("SR 2,375", (2375.0, "SAR")), ("SR 50", (50.0, "SAR")), ("2,375 SAR", (2375.0, "SAR")),
    ("Rs. 1,299", (1299.0, "INR")), ("Rs 499", (499.0, "INR")), ("₹1,49,999.00", (149999.0, "INR")),
    ("1,49,999 INR", (149999.0, "INR")), ("¥5,000", (5000.0, "JPY")), ("5000円", (5000.0, "JPY")),
    ("₩50,000", (50000.0, "KRW")), ("12,50 €", (12.5, "EUR")), ("29.000 USD", (29.0, "USD")),
    ("Rs. 1,299 USD", None), ("SR", None),
])
def test_parse_price(text, expected):
    assert parse_price(text) == expected


def test_parse_price_uses_the_default_currency_when_none_is_written():
    assert parse_price("79.99", default_currency="EUR") == (79.99, "EUR")


@pytest.mark.parametrize("text, expected", [
    ("a hundred", 100), ("one hundred and fifty", 150), ("one hundred fifty", 150), ("fifty", 50),
    ("twenty five", 25), ("twenty-five", 25), ("ten and a half", 10.5), ("nine point five", 9.5),
    ("a couple hundred", 200), ("a couple", 2), ("1k", 1000), ("1.5k", 1500), ("1,200", 1200), ("79.99", 79.99),
    ("twelve hundred", 1200), ("a grand", 1000), ("two thousand five hundred", 2500),
    ("a thousand and five", 1005), ("ninety nine", 99), ("eleven", 11), ("zero", 0), ("10 and a half", 10.5),
    # not one clear number
    ("two fifty", None), ("one two three", None), ("fifty fifty", None), ("half", None), ("a", None),
    ("and", None), ("hundred", None), ("one hundred and", None), ("ten point", None), ("point five", None),
    ("banana", None), ("", None),
])
def test_words_to_number(text, expected):
    assert words_to_number(text) == expected


@pytest.mark.parametrize("word, expected", [
    ("shoes", "shoe"), ("shoe", "shoe"), ("dresses", "dress"), ("dress", "dress"), ("t-shirts", "t-shirt"),
    ("tees", "tee"), ("hoodies", "hoody"), ("watches", "watch"), ("jeans", "jeans"), ("leggings", "leggings"),
    ("sunglasses", "sunglasses"), ("shorts", "shorts"), ("boots", "boot"), ("Sneakers", "sneaker"), ("bus", "bus"),
])
def test_singular(word, expected):
    assert singular(word) == expected


@pytest.mark.parametrize("size, sizes, meant", [
    ("34", ["32x30", "34x30", "34x32", "36x32"], ["34x30", "34x32"]),  # a waist alone: every length of it
    ("34", ["34", "36"], []),
    ("M", ["S/M", "L/XL"], ["S/M"]),  # a letter sold in a pair
    ("L", ["S/M", "L/XL"], ["L/XL"]),
    ("XL", ["S/M", "L/XL"], ["L/XL"]),
    ("M", ["S", "M", "L"], []),
    ("9", ["9.5", "10"], []),
    ("M", ["XS/S", "XL/XXL"], []),
])
def test_sizes_a_size_means_in_a_catalog_that_does_not_list_it(size, sizes, meant):
    assert sizes_meant(size, sizes) == meant
