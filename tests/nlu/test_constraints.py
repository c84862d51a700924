"""The parser, table by table: what shoppers type and say -> the full constraints object.

Rows are written the way people write in a chat box or speak to Alexa: lower case, no
punctuation, "bucks", "ladies", "a 10". Each row states every non-null constraint; all
other keys must be None, so a stray colour or budget fails the row.
"""
from __future__ import annotations


import pytest

from nlu.constraints import ParseResult, extract_constraints
from nlu.vocabulary import CatalogVocabulary
from tests.demo_categories import DEMO_PRODUCT_TYPES

VOCABULARY = CatalogVocabulary.from_dict({
    "brands": ["Stridewell", "Northpeak", "Kestrel Outdoor", "Urban Thread", "Rose & Finch", "Redwood Trail",
               "O'Malley's"],
    "categories": list(DEMO_PRODUCT_TYPES),
    "colors": ["black", "blue"],
    "unknown_extra_key": 1,
})
EMPTY = {"category": None, "brand": None, "color": None, "gender": None, "size": None, "price": None,
         "rating_min": None, "exclude": None, "sort": None}


def price(low=None, high=None, currency="USD"):
    return {"min": low, "max": high, "currency": currency}


def size(value, system=None):
    return {"value": value, "system": system}


BUDGETS = [
    # maximums, every way of saying it
    ("sneakers under 80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers under $80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers below 80 dollars", dict(category="sneakers", price=price(None, 80))),
    ("sneakers less than $80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers no more than 80 bucks", dict(category="sneakers", price=price(None, 80))),
    ("sneakers max 80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers maximum $80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers up to $80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers at most 80 dollars", dict(category="sneakers", price=price(None, 80))),
    ("sneakers cheaper than 80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers within 80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers budget of 80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers my budget is 80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers < 80", dict(category="sneakers", price=price(None, 80))),
    ("sneakers <$80", dict(category="sneakers", price=price(None, 80))),
    ("Sneakers Under $80", dict(category="sneakers", price=price(None, 80))),
    # a bare amount with money words is a maximum
    ("$60 sandals", dict(category="sandals", price=price(None, 60))),
    ("sandals 60 dollars", dict(category="sandals", price=price(None, 60))),
    ("sandals for 60 bucks", dict(category="sandals", price=price(None, 60))),
    ("ten dollar socks", dict(category="socks", price=price(None, 10))),
    ("socks 5$", dict(category="socks", price=price(None, 5))),
    ("a hundred bucks for boots", dict(category="boots", price=price(None, 100))),
    ("boots fifty dollars", dict(category="boots", price=price(None, 50))),
    ("boots one hundred and twenty dollars", dict(category="boots", price=price(None, 120))),
    # spoken amounts
    ("boots under one hundred dollars", dict(category="boots", price=price(None, 100))),
    ("boots under a hundred", dict(category="boots", price=price(None, 100))),
    ("boots under a hundred and fifty dollars", dict(category="boots", price=price(None, 150))),
    ("boots under twenty five bucks", dict(category="boots", price=price(None, 25))),
    ("boots under twenty-five bucks", dict(category="boots", price=price(None, 25))),
    ("boots under a couple hundred", dict(category="boots", price=price(None, 200))),
    ("watches under twelve hundred dollars", dict(category="watches", price=price(None, 1200))),
    ("watches under a grand", dict(category="watches", price=price(None, 1000))),
    # digits as written
    ("a watch under $1,200", dict(category="watches", price=price(None, 1200))),
    ("a watch under 1k", dict(category="watches", price=price(None, 1000))),
    ("a watch under 1.5k", dict(category="watches", price=price(None, 1500))),
    ("dress under $79.99", dict(category="dresses", price=price(None, 79.99))),
    ("dress under 49.5 dollars", dict(category="dresses", price=price(None, 49.5))),
    # minimums
    ("watches over $200", dict(category="watches", price=price(200, None))),
    ("watches above 200 dollars", dict(category="watches", price=price(200, None))),
    ("watches at least 200", dict(category="watches", price=price(200, None))),
    ("watches more than $200", dict(category="watches", price=price(200, None))),
    ("watches from $200", dict(category="watches", price=price(200, None))),
    ("watches min 200", dict(category="watches", price=price(200, None))),
    ("watches > 200", dict(category="watches", price=price(200, None))),
    ("watches over two hundred dollars", dict(category="watches", price=price(200, None))),
    # ranges
    ("running shoes between 80 and 120 dollars", dict(category="running shoes", price=price(80, 120))),
    ("running shoes between $80 and $120", dict(category="running shoes", price=price(80, 120))),
    ("running shoes between 80 and 120", dict(category="running shoes", price=price(80, 120))),
    ("running shoes $80 to $120", dict(category="running shoes", price=price(80, 120))),
    ("running shoes 80 to 120", dict(category="running shoes", price=price(80, 120))),
    ("running shoes from 80 to 120", dict(category="running shoes", price=price(80, 120))),
    ("running shoes 80-120 dollars", dict(category="running shoes", price=price(80, 120))),
    ("running shoes $80-$120", dict(category="running shoes", price=price(80, 120))),
    ("running shoes $80 - $120", dict(category="running shoes", price=price(80, 120))),
    ("running shoes 80–120", dict(category="running shoes", price=price(80, 120))),
    ("running shoes between fifty and seventy five dollars", dict(category="running shoes", price=price(50, 75))),
    ("hiking boots between eighty and one hundred twenty dollars", dict(category="hiking boots", price=price(80, 120))),
    ("boots between one hundred and fifty and two hundred", dict(category="boots", price=price(150, 200))),
    ("watches between 99.99 and 149.99", dict(category="watches", price=price(99.99, 149.99))),
    # around: +-20 %
    ("rain jacket around $150", dict(category="rain jackets", price=price(120, 180))),
    ("rain jacket about 150 dollars", dict(category="rain jackets", price=price(120, 180))),
    ("rain jacket roughly 100", dict(category="rain jackets", price=price(80, 120))),
    ("rain jacket approximately a hundred bucks", dict(category="rain jackets", price=price(80, 120))),
    ("rain jacket ~100", dict(category="rain jackets", price=price(80, 120))),
    ("rain jacket around 75", dict(category="rain jackets", price=price(60, 90))),
    ("rain jacket around 99.99", dict(category="rain jackets", price=price(79.99, 119.99))),
    ("a watch around two hundred dollars", dict(category="watches", price=price(160, 240))),
    # currencies
    ("jacket under 100 pounds", dict(category="jackets", price=price(None, 100, "GBP"))),
    ("jacket under £100", dict(category="jackets", price=price(None, 100, "GBP"))),
    ("jacket under 100 gbp", dict(category="jackets", price=price(None, 100, "GBP"))),
    ("backpack under 50 quid", dict(category="backpacks", price=price(None, 50, "GBP"))),
    ("backpack under fifty quid", dict(category="backpacks", price=price(None, 50, "GBP"))),
    ("jacket under 90 euros", dict(category="jackets", price=price(None, 90, "EUR"))),
    ("jacket under €90", dict(category="jackets", price=price(None, 90, "EUR"))),
    ("jacket under 90 eur", dict(category="jackets", price=price(None, 90, "EUR"))),
    ("jacket 80 to 100 euros", dict(category="jackets", price=price(80, 100, "EUR"))),
    ("jacket around 60 pounds", dict(category="jackets", price=price(48, 72, "GBP"))),
    ("jacket under 100 usd", dict(category="jackets", price=price(None, 100))),
]

SIZES = [
    # shoe sizes
    ("running shoes size 10", dict(category="running shoes", size=size("10"))),
    ("running shoes size 9.5", dict(category="running shoes", size=size("9.5"))),
    ("running shoes size 9.0", dict(category="running shoes", size=size("9"))),
    ("running shoes size 10 1/2", dict(category="running shoes", size=size("10.5"))),
    ("running shoes size 10½", dict(category="running shoes", size=size("10.5"))),
    ("running shoes size ten and a half", dict(category="running shoes", size=size("10.5"))),
    ("running shoes size 10 and a half", dict(category="running shoes", size=size("10.5"))),
    ("running shoes size nine point five", dict(category="running shoes", size=size("9.5"))),
    ("running shoes size eleven", dict(category="running shoes", size=size("11"))),
    ("running shoes sz 12", dict(category="running shoes", size=size("12"))),
    ("running shoes sized 8", dict(category="running shoes", size=size("8"))),
    ("running shoes in a 10", dict(category="running shoes", size=size("10"))),
    ("running shoes in a ten", dict(category="running shoes", size=size("10"))),
    ("i'm a 10 and need running shoes", dict(category="running shoes", size=size("10"))),
    ("im a 10 running shoes", dict(category="running shoes", size=size("10"))),
    ("i wear a 9 in sneakers", dict(category="sneakers", size=size("9"))),
    ("i need a 10.5", dict(size=size("10.5"))),
    ("running shoes 9.5", dict(category="running shoes", size=size("9.5"))),
    ("8.5 sandals", dict(category="sandals", size=size("8.5"))),
    ("running shoes 10 1/2", dict(category="running shoes", size=size("10.5"))),
    ("ten and a half running shoes", dict(category="running shoes", size=size("10.5"))),
    ("sandals in 8.5", dict(category="sandals", size=size("8.5"))),
    # size systems
    ("boots us 10", dict(category="boots", size=size("10", "US"))),
    ("boots us size 10", dict(category="boots", size=size("10", "US"))),
    ("boots size us 10", dict(category="boots", size=size("10", "US"))),
    ("boots uk 9", dict(category="boots", size=size("9", "UK"))),
    ("boots size 7 uk", dict(category="boots", size=size("7", "UK"))),
    ("9 uk boots", dict(category="boots", size=size("9", "UK"))),
    ("boots size 44 eu", dict(category="boots", size=size("44", "EU"))),
    ("boots eu 44", dict(category="boots", size=size("44", "EU"))),
    ("boots euro 44", dict(category="boots", size=size("44", "EU"))),
    ("boots 42 euro", dict(category="boots", size=size("42", "EU"))),
    ("boots 42.5 eu", dict(category="boots", size=size("42.5", "EU"))),
    # widths are not part of the size
    ("boots size 10w", dict(category="boots", size=size("10"))),
    ("10W running shoes", dict(category="running shoes", size=size("10"))),
    ("size 10 wide hiking boots", dict(category="hiking boots", size=size("10"))),
    ("running shoes 9.5 2e", dict(category="running shoes", size=size("9.5"))),
    ("size 11 4e running shoes", dict(category="running shoes", size=size("11"))),
    # letter sizes
    ("hoodie size medium", dict(category="hoodies", size=size("M"))),
    ("medium hoodie", dict(category="hoodies", size=size("M"))),
    ("hoodie in large", dict(category="hoodies", size=size("L"))),
    ("i want a large hoodie", dict(category="hoodies", size=size("L"))),
    ("hoodie size m", dict(category="hoodies", size=size("M"))),
    ("hoodie size M", dict(category="hoodies", size=size("M"))),
    ("t-shirt size xl", dict(category="t-shirts", size=size("XL"))),
    ("XL hoodie", dict(category="hoodies", size=size("XL"))),
    ("t shirt extra large", dict(category="t-shirts", size=size("XL"))),
    ("tee size extra small", dict(category="t-shirts", size=size("XS"))),
    ("tshirt 2xl", dict(category="t-shirts", size=size("XXL"))),
    ("tees in xxl", dict(category="t-shirts", size=size("XXL"))),
    ("xx-large tee", dict(category="t-shirts", size=size("XXL"))),
    ("3xl tee", dict(category="t-shirts", size=size("XXXL"))),
    ("leggings size s", dict(category="leggings", size=size("S"))),
    ("shorts size small", dict(category="shorts", size=size("S"))),
    ("size xs black leggings", dict(category="leggings", color=["black"], size=size("XS"))),
    # waist x inseam
    ("jeans 32x30", dict(category="jeans", size=size("32x30"))),
    ("jeans 32 x 30", dict(category="jeans", size=size("32x30"))),
    ("jeans 32/30", dict(category="jeans", size=size("32x30"))),
    ("jeans size 34/32", dict(category="jeans", size=size("34x32"))),
    ("jeans w32 l30", dict(category="jeans", size=size("32x30"))),
    ("W32 L30 jeans", dict(category="jeans", size=size("32x30"))),
    ("jeans 32w 30l", dict(category="jeans", size=size("32x30"))),
    ("jeans 32 by 34", dict(category="jeans", size=size("32x34"))),
    ("jeans 32 waist 30 length", dict(category="jeans", size=size("32x30"))),
    # clothing number sizes
    ("dresses size 6", dict(category="dresses", size=size("6"))),
    ("dress size 6 under 50", dict(category="dresses", size=size("6"), price=price(None, 50))),
]

COLOURS = [
    ("black sneakers", dict(category="sneakers", color=["black"])),
    ("navy sneakers", dict(category="sneakers", color=["blue"])),
    ("charcoal hoodie", dict(category="hoodies", color=["grey"])),
    ("gray hoodie", dict(category="hoodies", color=["grey"])),
    ("grey hoodie", dict(category="hoodies", color=["grey"])),
    ("burgundy dress", dict(category="dresses", color=["red"])),
    ("maroon dress", dict(category="dresses", color=["red"])),
    ("olive rain jacket", dict(category="rain jackets", color=["green"])),
    ("black or navy boots", dict(category="boots", color=["black", "blue"])),
    ("red and white sneakers", dict(category="sneakers", color=["red", "white"])),
    ("navy and charcoal hoodie", dict(category="hoodies", color=["blue", "grey"])),
    ("gray or silver watch", dict(category="watches", color=["grey"])),
    ("teal leggings", dict(category="leggings", color=["blue"])),
    ("tan belt", dict(category="belts", color=["brown"])),
    ("cognac belt", dict(category="belts", color=["brown"])),
    ("cream dress", dict(category="dresses", color=["beige"])),
    ("ivory dress", dict(category="dresses", color=["beige"])),
    ("lavender t-shirt", dict(category="t-shirts", color=["purple"])),
    ("silver watch", dict(category="watches", color=["grey"])),
    ("gold watch", dict(category="watches", color=["gold"])),
    ("multicolor socks", dict(category="socks", color=["multicolor"])),
    ("rainbow socks", dict(category="socks", color=["multicolor"])),
    ("pink sandals", dict(category="sandals", color=["pink"])),
    ("fuchsia sandals", dict(category="sandals", color=["pink"])),
    ("coral dress", dict(category="dresses", color=["orange"])),
    ("khaki shorts", dict(category="shorts", color=["green"])),
    ("mustard hat", dict(category="hats", color=["yellow"])),
    ("volt running shoes", dict(category="running shoes", color=["green"])),
    ("jacket in sky blue", dict(category="jackets", color=["blue"])),
    ("olive drab jacket", dict(category="jackets", color=["green"])),
    ("BLACK SNEAKERS", dict(category="sneakers", color=["black"])),
    ("rose dresses", dict(category="dresses", color=["pink"])),
    ("red boots", dict(category="boots", color=["red"])),
    ("Red Boots!", dict(category="boots", color=["red"])),
]

GENDERS = [
    ("ladies hiking boots", dict(category="hiking boots", gender="women")),
    ("womens hiking boots", dict(category="hiking boots", gender="women")),
    ("women's hiking boots", dict(category="hiking boots", gender="women")),
    ("womans hiking boots", dict(category="hiking boots", gender="women")),
    ("hiking boots for women", dict(category="hiking boots", gender="women")),
    ("hiking boots for my wife", dict(category="hiking boots", gender="women")),
    ("hiking boots for my girlfriend", dict(category="hiking boots", gender="women")),
    ("a dress for my mom", dict(category="dresses", gender="women")),
    ("a dress for my mum", dict(category="dresses", gender="women")),
    ("a hat for my sister", dict(category="hats", gender="women")),
    ("lady's watch", dict(category="watches", gender="women")),
    ("female sandals", dict(category="sandals", gender="women")),
    ("a watch for my husband", dict(category="watches", gender="men")),
    ("a watch for my boyfriend", dict(category="watches", gender="men")),
    ("watch for my dad", dict(category="watches", gender="men")),
    ("watch for my father", dict(category="watches", gender="men")),
    ("a hoodie for my brother", dict(category="hoodies", gender="men")),
    ("mens watch", dict(category="watches", gender="men")),
    ("men's watch", dict(category="watches", gender="men")),
    ("Men's Watch", dict(category="watches", gender="men")),
    ("male sandals", dict(category="sandals", gender="men")),
    ("guys hoodie", dict(category="hoodies", gender="men")),
    ("gentlemen watch", dict(category="watches", gender="men")),
    ("sneakers for my daughter", dict(category="sneakers", gender="girls")),
    ("girls sneakers", dict(category="sneakers", gender="girls")),
    ("sneakers for my son", dict(category="sneakers", gender="boys")),
    ("boys' sneakers", dict(category="sneakers", gender="boys")),
    ("boys sneakers", dict(category="sneakers", gender="boys")),
    ("kids sandals", dict(category="sandals", gender="kids")),
    ("children's rain jacket", dict(category="rain jackets", gender="kids")),
    ("toddler boots", dict(category="boots", gender="kids")),
    ("baby socks", dict(category="socks", gender="kids")),
    ("unisex backpack", dict(category="backpacks", gender="unisex")),
]

RATINGS = [
    ("sneakers 4 stars and up", dict(category="sneakers", rating_min=4)),
    ("sneakers at least 4 stars", dict(category="sneakers", rating_min=4)),
    ("sneakers at least four stars", dict(category="sneakers", rating_min=4)),
    ("sneakers 4+ stars", dict(category="sneakers", rating_min=4)),
    ("sneakers 4 star and above", dict(category="sneakers", rating_min=4)),
    ("sneakers rated 4 or higher", dict(category="sneakers", rating_min=4)),
    ("sneakers rated 4+", dict(category="sneakers", rating_min=4)),
    ("sneakers rated above 4", dict(category="sneakers", rating_min=4)),
    ("sneakers rated 4 stars", dict(category="sneakers", rating_min=4)),
    ("sneakers 4.5 stars or more", dict(category="sneakers", rating_min=4.5)),
    ("highly rated sneakers", dict(category="sneakers", rating_min=4)),
    # "top rated" / "best rated" is an order, not a bar (SORTS in test_shopper_language.py)
    ("top rated backpacks", dict(category="backpacks", sort="rating_desc")),
    ("top-rated backpacks", dict(category="backpacks", sort="rating_desc")),
    ("best rated backpacks", dict(category="backpacks", sort="rating_desc")),
    ("well reviewed boots", dict(category="boots", rating_min=4)),
    ("five star hats", dict(category="hats", rating_min=5)),
    ("5 star hats", dict(category="hats", rating_min=5)),
    ("four star and up hats", dict(category="hats", rating_min=4)),
]

BRANDS = [
    ("stridewell running shoes", dict(category="running shoes", brand=["Stridewell"])),
    ("Stridewell running shoes", dict(category="running shoes", brand=["Stridewell"])),
    ("STRIDEWELL", dict(brand=["Stridewell"])),
    ("kestrel outdoor backpack", dict(category="backpacks", brand=["Kestrel Outdoor"])),
    ("Kestrel Outdoor rain jacket", dict(category="rain jackets", brand=["Kestrel Outdoor"])),
    ("kestrel-outdoor backpack", dict(category="backpacks", brand=["Kestrel Outdoor"])),
    ("kestrel backpack", dict(category="backpacks", brand=["Kestrel Outdoor"])),
    ("urban thread hoodie", dict(category="hoodies", brand=["Urban Thread"])),
    ("urban hoodie", dict(category="hoodies")),
    ("rose & finch dresses", dict(category="dresses", brand=["Rose & Finch"])),
    ("rose and finch dresses", dict(category="dresses", brand=["Rose & Finch"])),
    ("rose finch dresses", dict(category="dresses", brand=["Rose & Finch"])),
    ("pink rose & finch dress", dict(category="dresses", brand=["Rose & Finch"], color=["pink"])),
    ("redwood trail boots", dict(category="boots", brand=["Redwood Trail"])),
    ("redwood trail boots in red", dict(category="boots", brand=["Redwood Trail"], color=["red"])),
    ("o'malley's socks", dict(category="socks", brand=["O'Malley's"])),
    ("omalleys socks", dict(category="socks", brand=["O'Malley's"])),
    ("northpeak or urban thread hoodies", dict(category="hoodies", brand=["Northpeak", "Urban Thread"])),
    ("northpeak and stridewell and northpeak", dict(brand=["Northpeak", "Stridewell"])),
    ("show me zephyrline jackets", dict(category="jackets")),
]

CATEGORIES = [
    # longest vocabulary phrase wins
    ("trail running shoes", dict(category="trail running shoes")),
    ("Trail Running Shoes", dict(category="trail running shoes")),
    ("trail running shoe", dict(category="trail running shoes")),
    ("running shoes", dict(category="running shoes")),
    ("running shoe", dict(category="running shoes")),
    ("shoes", dict(category="shoes")),
    ("dress shoes", dict(category="dress shoes")),
    ("a dress", dict(category="dresses")),
    ("hiking boots", dict(category="hiking boots")),
    ("boots", dict(category="boots")),
    ("rain jackets", dict(category="rain jackets")),
    ("jackets", dict(category="jackets")),
    ("a jacket", dict(category="jackets")),
    ("clothing", dict(category="clothing")),
    ("accessories", dict(category="accessories")),
    ("t-shirts", dict(category="t-shirts")),
    ("t shirts", dict(category="t-shirts")),
    ("a hoodie", dict(category="hoodies")),
    ("jeans", dict(category="jeans")),
    ("a belt", dict(category="belts")),
    ("socks", dict(category="socks")),
    ("sunglasses", dict(category="sunglasses")),
    # built-in synonyms, resolved to phrases this vocabulary has
    ("sneaker", dict(category="sneakers")),
    ("trainers", dict(category="sneakers")),
    ("tee", dict(category="t-shirts")),
    ("tees", dict(category="t-shirts")),
    ("tshirt", dict(category="t-shirts")),
    ("raincoat", dict(category="rain jackets")),
    ("rain coat", dict(category="rain jackets")),
    ("rain shell", dict(category="rain jackets")),
    ("puffer", dict(category="down jackets")),
    ("puffer jacket", dict(category="down jackets")),
    ("runners", dict(category="running shoes")),
    ("running sneakers", dict(category="running shoes")),
    ("trail runners", dict(category="trail running shoes")),
    ("hikers", dict(category="hiking boots")),
    ("hiking shoes", dict(category="hiking boots")),
    ("denim", dict(category="jeans")),
    ("sunnies", dict(category="sunglasses")),
    ("shades", dict(category="sunglasses")),
    ("a bag", dict(category="backpacks")),
    ("rucksack", dict(category="backpacks")),
    ("daypack", dict(category="backpacks")),
    ("a cap", dict(category="hats")),
    ("beanie", dict(category="hats")),
    ("tights", dict(category="leggings")),
    ("a fleece", dict(category="fleece jackets")),
]

MISREADINGS = [
    # numbers that are sizes, ratings or counts must not become budgets, and the reverse
    ("size 10 under 100", dict(size=size("10"), price=price(None, 100))),
    ("under 100 size 10", dict(size=size("10"), price=price(None, 100))),
    ("size 12 shoes under 12 dollars", dict(category="shoes", size=size("12"), price=price(None, 12))),
    ("size 10.5 black", dict(size=size("10.5"), color=["black"])),
    ("in a 10 under 80", dict(size=size("10"), price=price(None, 80))),
    ("size ten socks", dict(category="socks", size=size("10"))),
    ("socks under ten", dict(category="socks", price=price(None, 10))),
    ("sneakers 4 stars under 100", dict(category="sneakers", rating_min=4, price=price(None, 100))),
    ("4 stars", dict(rating_min=4)),
    ("size 9 4 stars", dict(size=size("9"), rating_min=4)),
    ("2 pairs of socks under 20", dict(category="socks", price=price(None, 20))),
    ("2 to 3 pairs of socks", dict(category="socks")),
    ("size 9 or 10", dict(size={"value": "9", "system": None, "values": ["9", "10"]})),
    ("24l backpack", dict(category="backpacks")),
    ("two fifty dollars", dict()),
    ("sandals 8", dict(category="sandals", size=size("8"))),  # a number after the kind is its size
    ("a large backpack", dict(category="backpacks")),
    ("jeans size 10/12", dict(category="jeans")),
    ("add the second one", dict()),
    ("show me 3 of them", dict()),
    ("the first one in size 10", dict(size=size("10"))),
    ("hi", dict()),
    ("", dict()),
    ("what's the weather like", dict()),
    ("order OS-1A2B3C", dict()),
    ("thanks that's all", dict()),
    ("redwood", dict()),
    ("I'm looking for something nice", dict()),
]

COMBINED = [
    ("men's running shoes under $100, size 10.5, black",
     dict(category="running shoes", gender="men", price=price(None, 100), size=size("10.5"), color=["black"])),
    ("mens running shoes under 100 size 10.5 black",
     dict(category="running shoes", gender="men", price=price(None, 100), size=size("10.5"), color=["black"])),
    ("MENS RUNNING SHOES UNDER $100 SIZE 10.5 BLACK",
     dict(category="running shoes", gender="men", price=price(None, 100), size=size("10.5"), color=["black"])),
    # voice transcripts: no symbols, numbers as words
    ("mens running shoes under one hundred dollars size ten and a half",
     dict(category="running shoes", gender="men", price=price(None, 100), size=size("10.5"))),
    ("mens running shoes under one hundred dollars size 10 and a half black",
     dict(category="running shoes", gender="men", price=price(None, 100), size=size("10.5"), color=["black"])),
    ("womens rain jacket under one hundred and fifty dollars",
     dict(category="rain jackets", gender="women", price=price(None, 150))),
    ("black sneakers size nine", dict(category="sneakers", color=["black"], size=size("9"))),
    ("ladies trail runners size nine point five under eighty bucks",
     dict(category="trail running shoes", gender="women", size=size("9.5"), price=price(None, 80))),
    ("navy womens northpeak rain jacket size m under 200 4 stars and up",
     dict(category="rain jackets", color=["blue"], gender="women", brand=["Northpeak"], size=size("M"),
          price=price(None, 200), rating_min=4)),
    ("highly rated black leather belt size 34 for my husband under 60",
     dict(category="belts", color=["black"], gender="men", size=size("34"), price=price(None, 60), rating_min=4)),
    ("kids grey hoodie size small under $40",
     dict(category="hoodies", gender="kids", color=["grey"], size=size("S"), price=price(None, 40))),
    ("girls pink sandals size 2 under twenty dollars",
     dict(category="sandals", gender="girls", color=["pink"], size=size("2"), price=price(None, 20))),
    ("stridewell trail running shoes for my son uk 5 between 40 and 60 pounds",
     dict(category="trail running shoes", brand=["Stridewell"], gender="boys", size=size("5", "UK"),
          price=price(40, 60, "GBP"))),
    ("rose & finch dress in burgundy size 8 around 120 euros for my wife",
     dict(category="dresses", brand=["Rose & Finch"], color=["red"], size=size("8"), gender="women",
          price=price(96, 144, "EUR"))),
    ("kestrel charcoal puffer xl top rated",
     dict(category="down jackets", brand=["Kestrel Outdoor"], color=["grey"], size=size("XL"), sort="rating_desc")),
    ("jeans 32x30 under 60 in indigo", dict(category="jeans", size=size("32x30"), price=price(None, 60), color=["blue"])),
    ("i'm a 10 wide need hiking boots under 150",
     dict(category="hiking boots", size=size("10"), price=price(None, 150))),
    ("urban thread tees 2xl black or white under 30 bucks",
     dict(category="t-shirts", brand=["Urban Thread"], size=size("XXL"), color=["black", "white"],
          price=price(None, 30))),
]

CASES = BUDGETS + SIZES + COLOURS + GENDERS + RATINGS + BRANDS + CATEGORIES + MISREADINGS + COMBINED


def test_the_table_is_big_enough_to_mean_something():
    assert len(CASES) >= 250
    assert len({utterance for utterance, _ in CASES}) == len(CASES), "duplicate rows"


@pytest.mark.parametrize("utterance, expected", CASES, ids=[c[0] or "<empty>" for c in CASES])
def test_utterance_means_exactly_these_constraints(utterance, expected):
    result = extract_constraints(utterance, VOCABULARY)
    assert isinstance(result, ParseResult)
    assert result.constraints == {**EMPTY, **expected}


@pytest.mark.parametrize("utterance", [c[0] for c in CASES], ids=[c[0] or "<empty>" for c in CASES])
def test_entities_point_at_the_text_and_carry_every_constraint(utterance):
    result = extract_constraints(utterance, VOCABULARY)
    names = {e["entity"] for e in result.entities}
    for entity in result.entities:
        assert set(entity) == {"entity", "start", "end", "value", "text"}
        assert utterance[entity["start"]:entity["end"]] == entity["text"]
    constraints = result.constraints
    for key in ("category", "gender", "rating_min"):
        assert (key in names) == (constraints[key] is not None)
    for key in ("brand", "color"):
        found = [e["value"] for e in result.entities if e["entity"] == key]
        assert list(dict.fromkeys(found)) == (constraints[key] or [])
    if constraints["size"]:
        assert [e["value"] for e in result.entities if e["entity"] == "size"] == \
            constraints["size"].get("values", [constraints["size"]["value"]])
        systems = [e["value"] for e in result.entities if e["entity"] == "size_system"]
        assert systems == ([constraints["size"]["system"]] if constraints["size"]["system"] else [])
    if constraints["price"]:
        values = {e["entity"]: e["value"] for e in result.entities}
        assert values.get("price_min") == constraints["price"]["min"]
        assert values.get("price_max") == constraints["price"]["max"]
        assert values["currency"] == constraints["price"]["currency"]


def test_whole_amounts_are_ints_and_cents_are_floats():
    whole = extract_constraints("under $100", VOCABULARY).constraints["price"]["max"]
    cents = extract_constraints("under $79.99", VOCABULARY).constraints["price"]["max"]
    assert type(whole) is int and whole == 100
    assert type(cents) is float and cents == 79.99


def test_default_currency_applies_when_no_currency_is_said():
    result = extract_constraints("boots under 100", VOCABULARY, default_currency="EUR")
    assert result.constraints["price"] == price(None, 100, "EUR")
    assert extract_constraints("boots under $100", VOCABULARY, default_currency="EUR").constraints["price"] == \
        price(None, 100, "USD")


@pytest.mark.parametrize("utterance, entity, value", [
    # references to items already shown
    ("add the second one to my cart", "ordinal", 2),
    ("tell me about the first one", "ordinal", 1),
    ("the first", "ordinal", 1),
    ("the third", "ordinal", 3),
    ("the 3rd one", "ordinal", 3),
    ("show me the 2nd", "ordinal", 2),
    ("#2", "ordinal", 2),
    ("compare #2 and #3", "ordinal", 2),
    ("number 4 please", "ordinal", 4),
    ("the last one", "ordinal", -1),
    ("the last", "ordinal", -1),
    ("is the 1st one waterproof", "ordinal", 1),
    ("put the top one in the basket", "ordinal", 1),
    ("add the top pick", "ordinal", 1),
    # counts in cart phrases
    ("add two pairs of the first one", "quantity", 2),
    ("two pairs", "quantity", 2),
    ("3 of them", "quantity", 3),
    ("qty 2", "quantity", 2),
    ("quantity: 4", "quantity", 4),
    ("a couple", "quantity", 2),
    ("a couple of them", "quantity", 2),
    ("add 2 to my cart", "quantity", 2),
    ("i'll take 3", "quantity", 3),
    ("x2", "quantity", 2),
    # widths and size systems are reported, outside the size value
    ("10W running shoes", "width", "W"),
    ("size 9.5 2e", "width", "2E"),
    ("size 10 wide", "width", "W"),
    ("size 8 narrow", "width", "N"),
    ("uk 9", "size_system", "UK"),
])
def test_references_quantities_and_widths(utterance, entity, value):
    found = [e for e in extract_constraints(utterance, VOCABULARY).entities if e["entity"] == entity]
    assert found and found[0]["value"] == value
    assert utterance[found[0]["start"]:found[0]["end"]] == found[0]["text"]


@pytest.mark.parametrize("utterance", ["in a 10", "size 2", "under 2 dollars", "4 stars", "a couple hundred dollars",
                                       "2 pairs under $20"])
def test_sizes_prices_and_ratings_are_not_quantities(utterance):
    quantities = [e["value"] for e in extract_constraints(utterance, VOCABULARY).entities if e["entity"] == "quantity"]
    assert quantities == ([2] if "pairs" in utterance else [])


def test_a_count_and_a_size_in_one_cart_phrase():
    result = extract_constraints("add 2 to cart in a 10", VOCABULARY)
    assert [e["value"] for e in result.entities if e["entity"] == "quantity"] == [2]
    assert result.constraints == {**EMPTY, "size": size("10")}


def test_entity_offsets_survive_mixed_case_and_curly_apostrophes():
    text = "Women’s NAVY Kestrel Outdoor Rain Jacket UNDER $150"
    result = extract_constraints(text, VOCABULARY)
    by_name = {e["entity"]: e for e in result.entities}
    assert by_name["gender"]["text"] == "Women’s"
    assert by_name["color"]["text"] == "NAVY"
    assert by_name["brand"]["text"] == "Kestrel Outdoor"
    assert by_name["category"]["text"] == "Rain Jacket"
    assert by_name["price_max"]["text"] == "UNDER $150"


def test_colour_words_inside_a_brand_are_not_colours():
    result = extract_constraints("rose & finch", VOCABULARY)
    assert result.constraints["color"] is None and result.constraints["brand"] == ["Rose & Finch"]
    assert [e["entity"] for e in result.entities] == ["brand"]


def test_a_new_catalogs_brand_is_understood_without_retraining():
    """The vocabulary comes from the live index, so a brand no test or training data has seen is found."""
    new_catalog = CatalogVocabulary.from_dict({"brands": ["Zephyrline"], "categories": ["Clothing > Jackets"]})
    result = extract_constraints("show me zephyrline jackets", new_catalog)
    assert result.constraints == {**EMPTY, "brand": ["Zephyrline"], "category": "jackets"}
    assert extract_constraints("show me zephyrline jackets", VOCABULARY).constraints["brand"] is None


def test_vocabulary_from_json_matches_from_dict(tmp_path):
    path = tmp_path / "vocabulary.json"
    path.write_text('{"brands": ["Zephyrline"], "categories": ["Clothing > Jackets > Rain Jackets"], '
                    '"sizes": ["M"], "extra": true}', encoding="utf-8")
    vocabulary = CatalogVocabulary.from_json(path)
    assert vocabulary.brands == ("Zephyrline",)
    assert vocabulary == CatalogVocabulary.from_dict({"brands": ["Zephyrline"],
                                                      "categories": ["Clothing > Jackets > Rain Jackets"]})
    result = extract_constraints("zephyrline raincoat", vocabulary)
    assert result.constraints["category"] == "rain jackets" and result.constraints["brand"] == ["Zephyrline"]


@pytest.mark.parametrize("categories, utterance, expected", [
    # a synonym resolves only to a phrase the catalog has
    (["Shoes > Sneakers", "Shoes > Running Shoes"], "trainers", "sneakers"),
    (["Shoes > Running Shoes"], "trainers", "running shoes"),
    (["Shoes > Boots"], "trainers", None),
    (["Clothing > Jackets"], "raincoat", None),
    (["Clothing > Jackets > Rain Jackets"], "raincoat", "rain jackets"),
])
def test_category_synonyms_depend_on_the_catalog(categories, utterance, expected):
    vocabulary = CatalogVocabulary.from_dict({"brands": [], "categories": categories})
    assert extract_constraints(utterance, vocabulary).constraints["category"] == expected


@pytest.mark.parametrize("brands, utterance, expected", [
    (["Kestrel Outdoor"], "kestrel jacket", ["Kestrel Outdoor"]),
    (["Kestrel Outdoor", "Kestrel Sports"], "kestrel jacket", ["Kestrel Outdoor", "Kestrel Sports"]),  # a family
    (["Kestrel Outdoor", "Kestrel Sports"], "kestrel sports jacket", ["Kestrel Sports"]),
    (["Black Outdoor"], "black jacket", None),  # a colour is never a short brand form
    (["Urban Thread"], "urban jacket", None),  # "thread" is not a generic company word
])
def test_a_brand_is_matched_by_its_first_word_only_when_unambiguous(brands, utterance, expected):
    vocabulary = CatalogVocabulary.from_dict({"brands": brands, "categories": ["Clothing > Jackets"]})
    assert extract_constraints(utterance, vocabulary).constraints["brand"] == expected


def test_an_empty_vocabulary_still_parses_everything_else():
    empty = CatalogVocabulary.from_dict({})
    result = extract_constraints("mens black size 10 under 100 4 stars", empty)
    assert result.constraints == {**EMPTY, "gender": "men", "color": ["black"], "size": size("10"),
                                  "price": price(None, 100), "rating_min": 4}


@pytest.mark.parametrize("text, direction", [
    ("something cheaper", "lower"), ("show me less expensive ones", "lower"), ("any more affordable?", "lower"),
    ("sneakers cheaper than 80", None), ("in blue", None),
])
def test_cheaper_is_a_price_direction_not_a_budget(text, direction):
    """"Cheaper" alone means below the cheapest product shown, which only the dialogue knows; with an
    amount it is a budget."""
    result = extract_constraints(text, VOCABULARY)
    found = [e["value"] for e in result.entities if e["entity"] == "price_direction"]
    assert found == ([direction] if direction else [])


@pytest.mark.parametrize("text, low, high", [
    # a negated minimum is a maximum (issue 14: "nothing over 150" was read as a minimum)
    ("a black dress for a wedding, nothing over 150", None, 150),
    ("can't go above $500", None, 500),
    ("so i cant go above 500$", None, 500),
    ("I don't want to spend more than 30 usd", None, 30),
    ("i cannot pay more than 90 dollars", None, 90),
    ("not over 60 please", None, 60),
    ("never more than 45 bucks", None, 45),
    # ... but a negation of something else leaves it a minimum
    ("not black, over 100", 100, None),
    ("no logo, above $70", 70, None),
    # a full stop after the amount ends the sentence, it is not a decimal point
    ("Show me red dresses under $50.", None, 50),
    ("between 15 and 30 dollars.", 15, 30),
    ("boots from $80.", 80, None),
    ("shoes over 79.99", 79.99, None),
])
def test_negated_bounds_and_sentence_ends(text, low, high):
    price = extract_constraints(text, VOCABULARY).constraints["price"]
    assert (price["min"], price["max"]) == (low, high), price
