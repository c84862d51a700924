"""How the simulated shoppers say things: phrasing lists per dialogue act, and typos.

The lists were written for this simulator in the style of public shopping language, not copied
from it. What shaped them:

- Amazon's Shopping Queries dataset (ESCI, Reddy et al. 2022; the US query sample that
  opensearch-project/opensearch-devops ships as sample-data/search-relevance/esci_us_queryset.json):
  keyword queries with the gender as a suffix ("sandals for women", "slip on clogs for women"),
  or a run-on prefix ("mens socks black and white", "womens wigs"), colour first ("tan strappy
  heels for women", "yellow champion hoodie"), and exclusions with "without" or "not"
  ("brown belt without buckle", "nike shoes men without laces", "%100 silicone not clear").
- WANDS, the Wayfair ANnotation DataSet (Chen et al. 2022, wayfair/WANDS dataset/query.csv):
  terse noun phrases, abbreviations and typos left in ("blk 18x18 seat cushions", "7 draw white
  dresser", "ligth bulb", "cool desins"), sizes written as NxN.
- ABCD, the Action-Based Conversations Dataset (Chen et al. 2021, asappresearch/abcd
  data/abcd_sample.json): customer turns in live chat, mostly lower case, short, "hi! i need
  to ...", "i got the wrong size.", bare answers to the agent's questions ("i'm a bronze").
- MultiWOZ user turns (Budzianowski et al. 2018, as in RasaHQ/TED-paper's end-to-end stories):
  "I am looking for ...", "I'd like to find ...", "Yeah that works for me. Could you book
  that ...", "No, that's all I needed".
- Running-shoe forum and blog posts on budgets ("I never pay more than $50", "in the 60 to
  100 dollar range", "no shoe is worth $100"), for how people state a price limit.

SIMMC 2.x and MG-ShopDial were deliberately not used (they are kept for independent checks),
nor the held-out conversations in bot/eval/ (a frozen evaluation set).

Colours and brands are said exactly as the catalog spells them, often lower-cased. Typos go
into function words only ("undr", "les than", "bellow", "teh"): a clerk reads through them,
and a typo in a brand or colour would make the shopper's own goal ambiguous.
"""
from __future__ import annotations

import random
import re

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
                10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen", 20: "twenty",
                30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety",
                100: "a hundred"}
ORDINALS = {1: ("first", "1st"), 2: ("second", "2nd"), 3: ("third", "3rd"), 4: ("fourth", "4th"), 5: ("fifth", "5th")}
LETTER_SIZES = {"XS": ("xs", "extra small", "XS"), "S": ("s", "small", "S", "sm"), "M": ("m", "medium", "M", "med"),
                "L": ("l", "large", "L", "lg"), "XL": ("xl", "extra large", "XL"), "XXL": ("xxl", "2xl", "XXL"),
                "XXXL": ("xxxl", "3xl", "XXXL"), "S/M": ("s/m", "small/medium", "S/M"),
                "L/XL": ("l/xl", "large/xl", "L/XL")}
# Typos and shorthand for function words (each an alternative a real shopper types).
TYPOS = {"under": ("undr", "unde"), "less": ("les",), "than": ("then", "thn"), "below": ("bellow", "belw"),
         "the": ("teh",), "for": ("fro", "fr"), "please": ("pls", "plz"), "something": ("somethin", "smth"),
         "looking": ("lookin", "lokking"), "want": ("wnat",), "need": ("ned",), "you": ("u",), "have": ("hav",),
         "what": ("wat",), "more": ("mroe",), "about": ("abt",), "around": ("arround",), "size": ("sz", "sise")}
PLURAL_ONLY = ("shoes", "boots", "sandals", "sneakers", "jeans", "shorts", "leggings", "sunglasses", "socks")
CATEGORY_SAYINGS = {  # other common names, besides the catalog's own and one of it ("a hoodie")
    "t-shirts": ("tshirts", "t shirts", "tees", "a tee", "tshirt"),
    "hoodies": ("hoodie", "a hoody", "hooded sweatshirt"),
    "jeans": ("pair of jeans",),
    "trail running shoes": ("trail runners", "trail shoes"),
    "fleece jackets": ("a fleece", "fleece jacket"),
    "sunglasses": ("sunnies", "pair of sunglasses"),
    "socks": ("pair of socks",),
    "leggings": ("pair of leggings",),
    "shorts": ("pair of shorts",),
}
GENDER_SAYINGS = {  # shopper word -> (said before the item, said after it)
    "men": (("mens", "men's", "male"), ("for men", "for a guy", "for my husband", "for him", "for my dad")),
    "women": (("womens", "women's", "ladies"), ("for women", "for my wife", "for her", "for my mom", "for a woman")),
    "unisex": (("unisex",), ("unisex",)),
    "boys": (("boys", "boy's"), ("for my son", "for a boy", "for boys")),
    "girls": (("girls", "girl's"), ("for my daughter", "for a girl", "for girls")),
    "kids": (("kids", "childrens", "kid's"), ("for my kids", "for kids", "for a child")),
}
# {a}: the amount, in digits or words; {d}: in dollars ("$80"); {lo}: the lower bound
BUDGET_SAYINGS = {
    "max": ("under {a}", "under {d}", "no more than {a} bucks", "{a} max", "max {a}", "cant spend more than {a}",
            "less than {d}", "below {a}", "up to {a}", "{a} or less", "nothing over {a}", "under {a} dollars",
            "not more than {d}", "less than {a} dollars"),
    "around": ("around {a}", "about {a} bucks", "roughly {d}", "around {a} dollars"),
    "between": ("between {lo} and {a}", "{lo} to {a} dollars", "between ${lo} and {d}", "{lo}-{a} bucks"),
}
EXCLUDE_COLOUR = ("not {c}", "no {c}", "anything but {c}", "nothing {c}", "but not {c}", "dont want {c}",
                  "no {c} ones pls")
EXCLUDE_BRAND = ("not {b}", "no {b}", "nothing from {b}", "not by {b}", "anything except {b}", "not {b} tho")
WISHES = ("something {w}", "preferably {w}", "ideally {w}", "{w} if possible", "{w} would be nice")
# words from a product's title, description or material that a shopper may wish for (soft)
WISH_WORDS = ("waterproof", "water-resistant", "lightweight", "breathable", "cushioned", "warm", "insulated",
              "packable", "organic cotton", "recycled", "merino", "leather", "suede", "fleece", "wool", "linen",
              "quick-dry", "stretch", "padded", "reflective", "polarized", "durable", "soft", "comfortable")

OPENERS_CHATTY = ("hi! i'm looking for {np}", "hey, do you have {np}", "hi im looking for {np}",
                  "hello, can you help me find {np}", "i need {np}", "looking for {np}, any ideas?",
                  "hi there i want to buy {np}", "I am looking for {np}", "I'd like to find {np}",
                  "hey, do u have {np}?", "hi, could you show me {np}")
OPENERS_TERSE = ("{np}", "{np}", "{np}", "need {np}", "{np} pls", "{np}?", "looking for {np}")
FOLLOW_UPS_CHATTY = ("i'm looking for {np}", "do you have {np}", "i need {np}", "can you show me {np}",
                     "ok, now {np}", "and {np}?")
RESTATEMENTS = ("sorry, i mean {np}", "i'm looking for {np}", "{np}", "let me rephrase: {np}", "i said {np}")
BUDGET_OPENERS = ("{b}, what have you got", "{b} what do u have", "hi, {b}, any ideas?", "{b}. what can i get")
BUDGET_LEADS = ("{b}, {s}", "{b} {s}")
REFINEMENTS = {  # one constraint added in a turn of its own ({x}: the constraint's own words)
    "gender": ("{x}", "its {x}", "they're {x}", "oh and its {x}"),
    "size": ("{x}", "{x} pls", "oh and {x}", "need them {x}"),
    "color": ("in {x}", "{x} ones", "{x} pls", "got any in {x}?", "do they come in {x}", "only {x}"),
    "budget": ("{x}", "{x} pls", "oh and {x}", "also {x}", "{x} tho"),
    "brand": ("{x}", "only {x}", "do you have {x}", "any {x}?"),
    "not_color": ("{x}", "{x} pls", "oh and {x}"),
    "not_brand": ("{x}", "{x} pls", "oh and {x}"),
    "wish": ("{x}", "oh and {x}", "also {x}"),
}
CHATTY_LEADS = ("ok ", "hmm ", "cool, ", "great, ", "ok thanks, ")
SIZE_PHRASES = ("size {s}", "sz {s}", "in a {s}", "in size {s}")
SIZE_ANSWERS = ("{s}", "{s}", "a {w}", "i wear a {s}", "{s} pls", "size {s}", "usually a {s}", "its a {s}")
LETTER_ANSWERS = ("{s}", "{s} please", "a {s}", "{s} pls", "i wear {s}", "size {s}")
ANY_SIZE = ("any size", "doesnt matter", "one size is fine", "whatever size")
DECOYS = ("do you have {np}", "{np}", "show me {np}", "looking at {np}")
SWITCHES = ("actually i need {np}", "wait, scratch that, i need {np}", "sorry i meant {np}",
            "actually forget that, looking for {np}", "hmm no, {np} actually")
CORRECTIONS = ("actually make that {c}", "hmm actually {c} instead", "can i see {c} instead", "actually {c} ones")
CORRECTION_BACKS = ("no wait, {c} after all", "sorry, back to {c}", "actually {c} is better", "nah go back to {c}")
COMPARES = ("compare the first two", "can you compare the top 2", "whats the difference between the first two",
            "compare 1 and 2", "first vs second?")
SHOW_MORE = ("show me more", "more options?", "any others", "what else do you have", "more pls", "show more",
             "next page")
SORTS = {"price_asc": ("cheapest first", "sort by price", "sort by price low to high", "lowest price first pls",
                       "can you show the cheapest ones first"),
         "rating_desc": ("best rated first", "sort by rating", "highest rated first", "top rated first pls")}
CHOOSES = ("add the {o} one", "i'll take the {o} one", "the {o} one pls", "add number {k} to my cart",
           "{o} one looks good, add it", "lets go with the {o}", "put the {o} one in my cart", "i want the {o} one")
QUANTITY_TWO = ("make it two", "actually i need 2 of those", "can i get two", "change the quantity to 2",
                "make that 2")
VIEW_CART = ("whats in my cart", "show my cart", "cart?", "can i see my basket", "what have i got in my cart")
CHECKOUTS = ("checkout", "check out pls", "ready to check out", "i'd like to pay now", "place the order",
             "thats all, checkout", "lets checkout")
CONFIRMS = ("yes", "yes please", "yep", "yeah go ahead", "confirm", "sure, place it", "yes place the order")


def pick(phrases: tuple[str, ...], rng: random.Random, **slots) -> str:
    return rng.choice(phrases).format(**slots)


def amount(value: float, rng: random.Random) -> str:
    """A round amount as written: "80", or sometimes in words ("eighty", "a hundred")."""
    whole = int(round(value))
    return NUMBER_WORDS[whole] if whole in NUMBER_WORDS and whole >= 20 and rng.random() < 0.2 else str(whole)


def one_of(category: str) -> str | None:
    """"a rain jacket" for "rain jackets"; None for what comes in pairs or is plural only."""
    if category.endswith(PLURAL_ONLY):
        return None
    if category.endswith(("ches", "shes", "sses", "xes")):
        return f"a {category[:-2]}"
    return f"a {category[:-1]}" if category.endswith("s") else f"a {category}"


def say_category(category: str, rng: random.Random, modified: bool = False) -> str:
    """The catalog's name for the category, one of it ("a hoodie"), or another common name;
    without an article when words come before it ("mens hoodie", not "mens a hoodie")."""
    forms = [category, category, one_of(category) or category, *CATEGORY_SAYINGS.get(category, ())]
    said = rng.choice(forms)
    return said[2:] if modified and said.startswith("a ") else said


def say_size(size: str, rng: random.Random, in_words: bool = True) -> str:
    """A size as typed: letter sizes in any of their forms, half sizes sometimes in words, a
    waist by inseam as 32x30, 32 x 30, 32/30 or w32 l30."""
    if size in LETTER_SIZES:
        return rng.choice(LETTER_SIZES[size])
    if re.fullmatch(r"\d+x\d+", size):
        waist, inseam = size.split("x")
        return rng.choice((size, f"{waist} x {inseam}", f"{waist}/{inseam}", f"w{waist} l{inseam}"))
    if in_words and size.endswith(".5") and rng.random() < 0.3:
        whole = int(float(size))
        return rng.choice((f"{whole} and a half", f"{NUMBER_WORDS.get(whole, whole)} and a half"))
    return size


def size_answer(size: str | None, rng: random.Random) -> str:
    """A bare answer to "What size?": "10", "a ten", "i wear a 10", "M", "medium please";
    "any size" for a one-size product."""
    if size is None:
        return rng.choice(ANY_SIZE)
    if size in LETTER_SIZES:
        return pick(LETTER_ANSWERS, rng, s=say_size(size, rng))
    said = say_size(size, rng)
    return pick(SIZE_ANSWERS, rng, s=said, w=NUMBER_WORDS.get(int(size), said) if size.isdigit() else said)


def colour_words(family: str, target, rng: random.Random) -> str:
    """The target's own colour as the feed names it (lower-cased or not) or its family word;
    any other colour by its family."""
    if family != target.colour:
        return family
    return rng.choice((target.colour_name.lower(), target.colour_name.lower(), target.colour_name, family))


def brand_said(brand: str, rng: random.Random) -> str:
    return rng.choice((brand, brand.lower(), brand.lower()))


def gender_words(gender: str, rng: random.Random) -> tuple[str, str]:
    """(before the item, after it) for a gender: "mens" / "for my husband"."""
    before, after = GENDER_SAYINGS[gender]
    return rng.choice(before), rng.choice(after)


def fragment(key: str, value, target, rng: random.Random) -> str:
    """The words for one constraint after the item: "for my wife", "size 10", "under 80",
    "not black", "cheapest first", "something waterproof"."""
    if key == "gender":
        return gender_words(value, rng)[1]
    if key == "size":
        return pick(SIZE_PHRASES, rng, s=say_size(value, rng, in_words=False))
    if key == "color":
        return f"in {colour_words(value, target, rng)}"
    if key == "budget":
        digits = str(int(round(value.top)))
        said = digits if value.kind == "between" else amount(value.top, rng)  # "30 to 60", not "30 to sixty"
        return pick(BUDGET_SAYINGS[value.kind], rng, a=said, d=f"${digits}", lo=str(int(round(value.low or 0))))
    if key == "brand":
        return rng.choice(("by {b}", "from {b}")).format(b=brand_said(value, rng))
    if key == "not_color":
        return pick(EXCLUDE_COLOUR, rng, c=value)
    if key == "not_brand":
        return pick(EXCLUDE_BRAND, rng, b=brand_said(value, rng))
    if key == "sort":
        return rng.choice(SORTS[value])
    return pick(WISHES, rng, w=value)


def modifier(key: str, value, target, rng: random.Random) -> str:
    """The words for a constraint said before the item: "womens", "black", "stridewell"."""
    if key == "gender":
        return gender_words(value, rng)[0]
    if key == "color":
        return colour_words(value, target, rng)
    return brand_said(value, rng)


def noun_phrase(informs, target, rng: random.Random) -> str:
    """An ESCI-style query for some constraints: modifiers before the item ("womens black
    stridewell running shoes"), the rest after it ("running shoes for my wife size 8 under 80")."""
    before, after = [], []
    for key, value in informs:
        if key in ("gender", "color", "brand") and rng.random() < 0.5:
            before.append(modifier(key, value, target, rng))
        elif key != "category":
            after.append(fragment(key, value, target, rng))
    rng.shuffle(after)
    item = [say_category(value, rng, modified=bool(before)) for key, value in informs if key == "category"]
    return " ".join([*before, *item, *after])


def request(informs, target, persona, rng: random.Random, first: bool = True) -> str:
    """A whole request for the constraints of one turn, as this persona writes it (a chatty
    shopper greets only in the first); a shopper who thinks budget first leads with it
    ("cant spend more than 80, looking for ...")."""
    openers = OPENERS_TERSE if not persona.chatty else OPENERS_CHATTY if first else FOLLOW_UPS_CHATTY
    budget = dict(informs).get("budget") if persona.budget_first else None
    if budget is None:
        return finish(pick(openers, rng, np=noun_phrase(informs, target, rng)), persona, rng)
    lead = fragment("budget", budget, target, rng)
    rest = [(key, value) for key, value in informs if key != "budget"]
    if not rest:
        return finish(pick(BUDGET_OPENERS, rng, b=lead), persona, rng)
    return finish(pick(BUDGET_LEADS, rng, b=lead, s=pick(openers, rng, np=noun_phrase(rest, target, rng))),
                  persona, rng)


def restatement(informs, target, persona, rng: random.Random) -> str:
    """Everything said so far, once more, when the assistant did not act on it."""
    return finish(pick(RESTATEMENTS, rng, np=noun_phrase(informs, target, rng)), persona, rng)


def refinement(key: str, value, target, persona, rng: random.Random) -> str:
    """One more constraint in a turn of its own: "in black", "oh and under 80", "its for my wife"."""
    words = modifier(key, value, target, rng) if key in ("color", "brand") else fragment(key, value, target, rng)
    text = pick(REFINEMENTS[key], rng, x=words)
    return finish(rng.choice(CHATTY_LEADS) + text if persona.chatty and rng.random() < 0.3 else text, persona, rng)


def ordinal(k: int, rng: random.Random) -> str:
    return rng.choice(ORDINALS[k])


def finish(text: str, persona, rng: random.Random) -> str:
    """The persona's hand: typos in function words; chatty shoppers sometimes capitalise; now
    and then a full stop ("running shoes less than $80.")."""
    if persona.typo_rate:
        text = " ".join(rng.choice(TYPOS[w]) if w in TYPOS and rng.random() < persona.typo_rate else w
                        for w in text.split(" "))
    if not text.endswith(("?", "!", ".")) and rng.random() < 0.1:
        text += "."
    return text[0].upper() + text[1:] if persona.chatty and rng.random() < 0.2 else text
