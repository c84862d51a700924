"""Canonical shopping values: sizes, colours, genders, materials, prices, currencies and spoken numbers.

The same rules normalise what shoppers say (the NLU) and what retailers' feeds contain
(`catalog_index`), so "Midnight Navy" in a feed and "navy" in a chat both become `blue`,
and "ten and a half" and "10 1/2" both become "10.5". Pure functions, stdlib only: this
module runs in the Rasa (3.10) and the app (3.11) environments alike.
"""
from __future__ import annotations

import re

# -- numbers -----------------------------------------------------------------------------
UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "grand": 1000}
NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | {"a", "an", "and", "half", "point", "couple"}
_FRACTIONS = {"½": 0.5, "1/2": 0.5, "¼": 0.25, "1/4": 0.25, "¾": 0.75, "3/4": 0.75}
_HALF_SUFFIX = re.compile(r"^(?P<whole>.+?)\s+and\s+(?:a\s+)?half$")
_DIGITS = re.compile(r"^(?P<value>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?(?P<k>\s?k)?$")


def _digits_to_number(text: str) -> float | None:
    match = _DIGITS.match(text)
    if not match:
        return None
    value = float(match.group("value").replace(",", "") + "." + (match.group("decimals") or "0"))
    return value * 1000 if match.group("k") else value


def _spoken_integer(words: list[str]) -> int | None:
    """English number words in their usual order, or None.

    Strict on purpose: "two fifty" (250? 2.50? 52?) and "one two three" are not numbers,
    so an ambiguous phrase never becomes a budget. "twelve hundred" and "a couple hundred"
    are, because shoppers say them.
    """
    total, chunk, previous = 0, 0, None
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if word in ("a", "an"):
            if previous not in (None, "and") or following not in ("hundred", "thousand", "grand", "couple"):
                return None
            if following != "couple":
                chunk, previous = 1, "unit"
            continue
        if word == "couple":
            if previous not in (None, "and") or chunk:
                return None
            chunk, previous = 2, "unit"
        elif word in UNITS:
            value = UNITS[word]
            after_tens = previous == "tens" and 1 <= value <= 9
            if previous not in (None, "hundred", "scale", "and") and not after_tens:
                return None
            chunk, previous = chunk + value, "unit" if value < 10 else "teen"
        elif word in TENS:
            if previous not in (None, "hundred", "scale", "and"):
                return None
            chunk, previous = chunk + TENS[word], "tens"
        elif word == "hundred":
            if previous not in ("unit", "teen", "tens") or chunk >= 100 or chunk == 0:
                return None
            chunk, previous = chunk * 100, "hundred"
        elif word in ("thousand", "grand"):
            if previous in (None, "and", "scale") or chunk == 0:
                return None
            total, chunk, previous = total + chunk * 1000, 0, "scale"
        elif word == "and":
            if previous not in ("hundred", "scale"):
                return None
            previous = "and"
        else:
            return None
    return None if previous in (None, "and") else total + chunk


def words_to_number(text: str) -> float | None:
    """A spoken or written amount -> its value, None when it is not clearly one number.

    "a hundred" -> 100, "one hundred and fifty" -> 150, "twenty five" -> 25, "ten and a half"
    -> 10.5, "nine point five" -> 9.5, "a couple hundred" -> 200, "1k" -> 1000, "1,200" -> 1200.
    """
    text = re.sub(r"\s+", " ", text.strip().lower().replace("-", " "))
    half = _HALF_SUFFIX.match(text)
    if half:
        whole = words_to_number(half.group("whole"))
        return None if whole is None or whole != int(whole) else whole + 0.5
    digits = _digits_to_number(text)
    if digits is not None:
        return digits
    whole, point, decimals = text.partition(" point ")
    integer = _spoken_integer(whole.split())
    if integer is None:
        return None
    if not point:
        return float(integer)
    fraction = [UNITS.get(word) for word in decimals.split()]
    if not fraction or any(digit is None or digit > 9 for digit in fraction):
        return None
    return float(f"{integer}.{''.join(str(digit) for digit in fraction)}")


def spoken_price(text: str) -> float | None:
    """An amount of money as said aloud: everything `words_to_number` reads, plus the
    hundreds shorthand "one fifty" -> 150 and "two twenty five" -> 225. Only for an amount
    after a budget word ("under one fifty", "around two twenty"): a bare "two fifty dollars"
    may be 2.50 and stays unread."""
    value = words_to_number(text)
    if value is not None:
        return value
    words = re.sub(r"\s+", " ", text.strip().lower().replace("-", " ")).split()
    if len(words) >= 2 and 1 <= UNITS.get(words[0], 0) <= 9:
        rest = _spoken_integer(words[1:])
        if rest is not None and 10 <= rest <= 99:
            return float(UNITS[words[0]] * 100 + rest)
    return None


def _plain_number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


# -- sizes -------------------------------------------------------------------------------
LETTER_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL")
LETTER_SIZE_WORDS = {
    "xxs": "XXS", "xx small": "XXS", "extra extra small": "XXS", "2xs": "XXS",
    "xs": "XS", "x small": "XS", "extra small": "XS", "xsmall": "XS",
    "s": "S", "sm": "S", "small": "S",
    "m": "M", "med": "M", "medium": "M",
    "l": "L", "lg": "L", "large": "L",
    "xl": "XL", "x large": "XL", "extra large": "XL", "xlarge": "XL", "1xl": "XL",
    "xxl": "XXL", "xx large": "XXL", "2xl": "XXL", "extra extra large": "XXL", "double extra large": "XXL", "2x": "XXL",
    "xxxl": "XXXL", "xxx large": "XXXL", "3xl": "XXXL", "3x": "XXXL", "triple extra large": "XXXL",
}
ONE_SIZE_WORDS = {"one size", "os", "one size fits all", "osfa", "onesize", "o/s"}
WIDTHS = {"w": "W", "wide": "W", "ww": "WW", "extra wide": "WW", "n": "N", "narrow": "N", "2e": "2E", "4e": "4E",
          "d": "D", "b": "B", "ee": "2E", "eeee": "4E", "m": "M", "medium": "M"}
SIZE_SYSTEMS = {"us": "US", "usa": "US", "uk": "UK", "gb": "UK", "eu": "EU", "euro": "EU", "european": "EU"}
_WAIST_INSEAM = re.compile(r"^w?\s*(\d{2})\s*(?:w|waist)?\s*(?:x|/|by|\s)\s*l?\s*(\d{2})\s*(?:l|length|inseam)?$")
# "size", "sz" and a size system around the value: "size US 10", "44 EU".
_SIZE_DECORATION = re.compile(r"^(?:(?:size|sz)\s+)?(?:(?:us|uk|eu|euro)\s+)?|\s+(?:us|uk|eu|euro)$")
_WIDTH_SUFFIX = re.compile(r"^(.+?)\s*(extra wide|wide|narrow|ww|w|n|2e|4e|ee|eeee)$")
_NUMERIC_SIZE = re.compile(r"^(\d{1,2})(?:\.(\d))?\s*(½|1/2|¼|1/4|¾|3/4)?$")


def _numeric_size(text: str) -> str | None:
    text = re.sub(r"\s+", " ", text.strip())
    match = _NUMERIC_SIZE.match(text.replace(" ½", "½"))
    if match:
        value = int(match.group(1)) + (int(match.group(2)) / 10 if match.group(2) else 0.0)
        value += _FRACTIONS.get(match.group(3) or "", 0.0)
        return _plain_number(value)
    spoken = words_to_number(text)
    if spoken is not None and 0 < spoken < 60 and (spoken * 2) == int(spoken * 2):
        return _plain_number(spoken)
    return None


def normalize_size(text: str) -> str | None:
    """"10 1/2" / "ten and a half" -> "10.5"; "medium" -> "M"; "l/xl" -> "L/XL"; "32/30" -> "32x30";
    "os" -> "ONE SIZE"."""
    if not text:
        return None
    cleaned = re.sub(r"\s+", " ", text.strip().lower().replace("-", " "))
    cleaned = _SIZE_DECORATION.sub("", cleaned)
    if cleaned in ONE_SIZE_WORDS:
        return "ONE SIZE"
    if cleaned in LETTER_SIZE_WORDS:
        return LETTER_SIZE_WORDS[cleaned]
    pair = [part.strip() for part in cleaned.split("/")]
    if len(pair) == 2 and all(part in LETTER_SIZE_WORDS for part in pair):  # "l/xl", as catalogs sell hats
        return "/".join(LETTER_SIZE_WORDS[part] for part in pair)
    match = _WAIST_INSEAM.match(cleaned)
    if match:
        waist, inseam = int(match.group(1)), int(match.group(2))
        # a girls' "10/12" or a date is not a waist and inseam
        return f"{waist}x{inseam}" if 22 <= waist <= 60 and 22 <= inseam <= 40 else None
    return _numeric_size(cleaned)


def sizes_meant(size: str, sizes) -> list[str]:
    """The sizes of `sizes` (in their order) that a size they don't list means: a waist alone
    ("34" -> "34x30", "34x32") or a letter sold in a pair ("M" -> "S/M")."""
    if size.isdigit():
        return [s for s in sizes if s and s.startswith(f"{size}x")]
    return [s for s in sizes if s and "/" in s and size in s.split("/")] if size in LETTER_SIZES else []


def split_size_width(text: str) -> tuple[str | None, str | None]:
    """"10W" -> ("10", "W"); "9.5 2E" -> ("9.5", "2E"); "10 wide" -> ("10", "W")."""
    match = _WIDTH_SUFFIX.match(text.strip().lower())
    if match:
        size = normalize_size(match.group(1))
        if size is not None and size not in LETTER_SIZES:
            return size, WIDTHS[match.group(2)]
    return normalize_size(text), None


def normalize_size_system(text: str | None) -> str | None:
    return SIZE_SYSTEMS.get((text or "").strip().lower())


# -- colours -----------------------------------------------------------------------------
COLOR_FAMILIES = ("black", "white", "grey", "blue", "red", "green", "yellow", "orange", "pink", "purple",
                  "brown", "beige", "gold", "multicolor")
COLOR_SYNONYMS = {
    "gray": "grey", "charcoal": "grey", "slate": "grey", "silver": "grey", "graphite": "grey", "ash": "grey",
    "heather": "grey", "gunmetal": "grey",
    "navy": "blue", "teal": "blue", "turquoise": "blue", "cobalt": "blue", "royal": "blue", "indigo": "blue",
    "denim": "blue", "sky": "blue", "aqua": "blue", "cyan": "blue",
    "burgundy": "red", "maroon": "red", "crimson": "red", "scarlet": "red", "wine": "red", "cherry": "red",
    "oxblood": "red",
    "olive": "green", "khaki": "green", "sage": "green", "mint": "green", "forest": "green", "lime": "green",
    "volt": "green", "emerald": "green", "moss": "green",
    "mustard": "yellow", "lemon": "yellow",
    "coral": "orange", "rust": "orange", "tangerine": "orange", "peach": "orange",
    "rose": "pink", "blush": "pink", "magenta": "pink", "fuchsia": "pink",
    "lavender": "purple", "lilac": "purple", "violet": "purple", "plum": "purple", "mauve": "purple",
    "tan": "brown", "chocolate": "brown", "camel": "brown", "mocha": "brown", "cognac": "brown", "sand": "brown",
    "espresso": "brown", "chestnut": "brown",
    "cream": "beige", "ivory": "beige", "oatmeal": "beige", "natural": "beige", "stone": "beige", "ecru": "beige",
    "bone": "beige", "taupe": "beige",
    "multi": "multicolor", "multicolour": "multicolor", "multi color": "multicolor", "multi colour": "multicolor",
    "rainbow": "multicolor", "multicolored": "multicolor", "multicoloured": "multicolor",
    "grey": "grey", "golden": "gold",
    # denim washes are shades of blue
    "light wash": "blue", "mid wash": "blue", "medium wash": "blue", "dark wash": "blue", "stonewash": "blue",
    "stone wash": "blue", "stonewashed": "blue", "acid wash": "blue", "raw denim": "blue", "rinse wash": "blue",
}
COLOR_WORDS: dict[str, str] = {**{f: f for f in COLOR_FAMILIES}, **COLOR_SYNONYMS}


def normalize_color(text: str | None) -> str | None:
    """A single colour word or a retailer's name ("Midnight Navy", "Sand Beige") -> its family.

    In a compound name the last family word wins ("Sand Beige" -> beige), else the last
    synonym ("Midnight Navy" -> blue).
    """
    words = re.findall(r"[a-z]+", (text or "").lower())
    joined = " ".join(words)
    if joined in COLOR_WORDS:
        return COLOR_WORDS[joined]
    families = [w for w in words if w in COLOR_FAMILIES]
    if families:
        return families[-1]
    synonyms = [COLOR_SYNONYMS[w] for w in words if w in COLOR_SYNONYMS]
    return synonyms[-1] if synonyms else None


# Finishes, woods and metals feeds name a colour by (IKEA's "anthracite", "birch veneer",
# "stainless steel", Flipkart's "Coffee"): read in a feed's colour field only, never in what a
# shopper says ("an oak table" asks for oak, not for beige).
FEED_COLOR_WORDS = {
    "anthracite": "grey", "steel": "grey", "stainless steel": "grey", "chrome": "grey", "aluminium": "grey",
    "aluminum": "grey", "nickel": "grey", "galvanised": "grey", "galvanized": "grey",
    "coffee": "brown", "walnut": "brown", "acacia": "brown", "teak": "brown", "mahogany": "brown", "bronze": "brown",
    "birch": "beige", "pine": "beige", "beech": "beige", "oak": "beige", "bamboo": "beige", "rattan": "beige",
    "softwood": "beige", "almond": "beige", "alamond": "beige",
    "brass": "gold", "cerise": "pink",
}
_FEED_COLOR_TABLE = {**COLOR_WORDS, **FEED_COLOR_WORDS}
# The colour words a product title names its colour by: the families, and names that mean
# nothing but a colour ("Rose", "Olive", "Wine" or "Stone" in a title may be anything else).
# Metals ("Sterling Silver", "18 K Gold", "Yellow Gold") are what jewellery is made of: a
# product shows their colour, but they never overrule a colour field (the stone's, the plating's).
TITLE_METALS = {"silver": "grey", "gold": "gold", "golden": "gold", "yellow gold": "gold", "rose gold": "gold",
                "pink gold": "gold", "white gold": "white"}
TITLE_COLOR_WORDS = {**{f: f for f in COLOR_FAMILIES}, "gray": "grey", "navy": "blue", "turquoise": "blue",
                     "teal": "blue", "maroon": "red", "burgundy": "red", "multicolour": "multicolor",
                     "multicoloured": "multicolor", "multicolored": "multicolor", **TITLE_METALS}
_TITLE_COLOR = re.compile(r"(?<![^\W\d_])(" + "|".join(w.replace(" ", r"\s+") for w in sorted(
    TITLE_COLOR_WORDS, key=len, reverse=True)) + r")(?![^\W\d_])", re.IGNORECASE)


def color_families(text: str | None, feed: bool = False) -> list[str]:
    """Every colour family `text` names, in the order named, each once: "lejde grey black" ->
    [grey, black], "Brown, White13" -> [brown, white]. `feed`: a feed's colour field, whose
    finishes and woods name colours too ("oak veneer anthracite" -> [beige, grey])."""
    table = _FEED_COLOR_TABLE if feed else COLOR_WORDS
    words = re.findall(r"[a-z]+", (text or "").lower())
    found: list[str] = []
    start = 0
    while start < len(words):
        for length in (3, 2, 1):
            phrase = " ".join(words[start:start + length])
            if start + length <= len(words) and phrase in table:
                if table[phrase] not in found:
                    found.append(table[phrase])
                start += length
                break
        else:
            start += 1
    return found


def feed_color(text: str | None) -> str | None:
    """A feed's colour field -> the family its products are filtered by: `normalize_color`'s, else
    the last finish or wood it names ("birch veneer hillared anthracite" -> grey)."""
    family = normalize_color(text)
    if family is None:
        named = color_families(text, feed=True)
        family = named[-1] if named else None
    return family


def title_colors(title: str, brand: str = "") -> list[tuple[str, str]]:
    """The colours a product title names, as (family, the words as written), the brand's name left
    out ("Hollis & Grey Men's Derby" names none; "Pinza Blue Cowboy Boots" names blue)."""
    if brand.strip():
        title = re.sub(re.escape(brand.strip()), lambda m: " " * len(m.group()), title, flags=re.IGNORECASE)
    return [(TITLE_COLOR_WORDS[" ".join(m.group(1).lower().split())], m.group(1))
            for m in _TITLE_COLOR.finditer(title)]


def shown_color(color_field: str, title: str, brand: str = "") -> tuple[str, str | None]:
    """Which colour to trust when a feed's colour field and the product's title disagree, as
    (colour name shown to the shopper, family filtered on). The title is what the shopper reads:
    when it names colours and the field names none of them (a "Red" field on "Brown Trousers", or
    no colour a family is known for), the title's colours are shown and filtered on; else the
    field is. A metal in the title ("Sterling Silver", "Yellow Gold") overrules no colour field."""
    field = color_families(color_field, feed=True)
    said = title_colors(title, brand)
    if field:  # a metal in the title is a material next to a colour field ("Silver Amethyst Ring", "Purple")
        said = [(family, word) for family, word in said if " ".join(word.lower().split()) not in TITLE_METALS]
    if said and not {family for family, _ in said} & set(field):
        words = dict.fromkeys(word.capitalize() for _, word in said)
        return "/".join(words), said[-1][0]
    return color_field, feed_color(color_field) if color_field else None


def visible_color_families(color_name: str, color: str | None, title: str, brand: str = "") -> set[str]:
    """Every colour family a shopper sees on a product: its family, those its colour name names
    ("black brown": black and brown) and those its title names. An excluded colour excludes the
    product when it is any of them, so nothing visibly that colour passes "not black"."""
    families = set(color_families(color_name, feed=True)) | {family for family, _ in title_colors(title, brand)}
    return families | {color} if color else families


# -- gender and age ----------------------------------------------------------------------
# Shopper phrases -> the catalog's gender values. Longer phrases are matched first by the parser.
GENDER_PHRASES = {
    "men": "men", "mens": "men", "men's": "men", "man": "men", "mans": "men", "male": "men", "guy": "men",
    "guys": "men", "gentlemen": "men", "gents": "men", "for him": "men", "for my husband": "men",
    "for my boyfriend": "men", "for my dad": "men", "for my father": "men", "for my brother": "men",
    "women": "women", "womens": "women", "women's": "women", "woman": "women", "womans": "women",
    "ladies": "women", "lady": "women", "ladies'": "women", "lady's": "women", "female": "women", "for her": "women",
    "for my wife": "women", "for my girlfriend": "women", "for my mom": "women", "for my mum": "women",
    "for my mother": "women", "for my sister": "women",
    "boys": "boys", "boy": "boys", "boy's": "boys", "boys'": "boys", "for my son": "boys",
    "girls": "girls", "girl": "girls", "girl's": "girls", "girls'": "girls", "for my daughter": "girls",
    "kids": "kids", "kid": "kids", "kids'": "kids", "kid's": "kids", "children": "kids", "childrens": "kids",
    "children's": "kids", "child": "kids", "toddler": "kids", "toddlers": "kids", "baby": "kids", "youth": "kids",
    "for my kids": "kids", "for my child": "kids",
    "unisex": "unisex",
    # the person alone says it too: "a gift for mom", "my son needs boots", "for a little girl"
    "husband": "men", "boyfriend": "men", "dad": "men", "father": "men", "brother": "men", "grandpa": "men",
    "grandfather": "men",
    "wife": "women", "girlfriend": "women", "mom": "women", "mum": "women", "mother": "women", "sister": "women",
    "grandma": "women", "grandmother": "women",
    "son": "boys", "grandson": "boys", "nephew": "boys",
    "daughter": "girls", "granddaughter": "girls", "niece": "girls",
    "kiddo": "kids", "kiddos": "kids", "infant": "kids", "infants": "kids", "babies": "kids",
}
_FEED_GENDER = {"male": "male", "m": "male", "men": "male", "mens": "male", "man": "male",
                "female": "female", "f": "female", "women": "female", "womens": "female", "woman": "female",
                "unisex": "unisex", "u": "unisex"}
_CHILD_AGES = {"kids", "toddler", "infant", "newborn", "child", "children", "youth"}


def normalize_gender(gender: str | None, age_group: str | None = None) -> str | None:
    """Feed values (male/female/unisex with adult/kids/toddler...) or a shopper's word -> one of
    men, women, unisex, boys, girls, kids."""
    raw = (gender or "").strip().lower()
    age = (age_group or "").strip().lower()
    feed_gender = _FEED_GENDER.get(raw.replace("'", ""))
    if feed_gender is None and raw:
        return GENDER_PHRASES.get(raw)
    if age in _CHILD_AGES:
        return {"male": "boys", "female": "girls"}.get(feed_gender or "", "kids")
    return {"male": "men", "female": "women", "unisex": "unisex"}.get(feed_gender or "")


# -- materials ---------------------------------------------------------------------------
# What a product is made of, as shoppers name it -> the lower-case material the parser reports.
MATERIAL_WORDS = {
    "leather": "leather", "real leather": "leather", "genuine leather": "leather",
    "faux leather": "faux leather", "vegan leather": "faux leather", "pleather": "faux leather",
    "suede": "suede", "wool": "wool", "woollen": "wool", "woolen": "wool", "merino": "wool", "merino wool": "wool",
    "cashmere": "cashmere", "polyester": "polyester", "cotton": "cotton", "nylon": "nylon",
    "synthetic": "synthetic", "synthetics": "synthetic", "man made": "synthetic", "plastic": "plastic",
    "fur": "fur", "real fur": "fur", "faux fur": "faux fur",
    "down": "down", "goose down": "down", "duck down": "down", "feather": "down", "feathers": "down",
    "rubber": "rubber", "canvas": "canvas", "mesh": "mesh", "silk": "silk", "linen": "linen", "acrylic": "acrylic",
    "spandex": "spandex", "elastane": "spandex", "lycra": "spandex", "gore tex": "gore-tex", "goretex": "gore-tex",
    "vinyl": "vinyl", "pvc": "vinyl", "latex": "latex", "fleece": "fleece", "denim": "denim",
}


# -- prices ------------------------------------------------------------------------------
CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
# Other marks feeds write prices with ("SR 2,375" at IKEA Saudi Arabia, "Rs. 1,299" in India); one
# with several meanings is the feed's default currency when that is one of them ("¥" in a CNY feed).
FEED_CURRENCY_MARKS: dict[str, tuple[str, ...]] = {
    "₹": ("INR",), "rs": ("INR",), "rs.": ("INR",), "sr": ("SAR",), "﷼": ("SAR",), "\u20c1": ("SAR",),
    "¥": ("JPY", "CNY"), "￥": ("JPY", "CNY"), "円": ("JPY",), "元": ("CNY",), "₩": ("KRW",), "￦": ("KRW",),
    "원": ("KRW",),
}
# ISO 4217 codes a product feed may carry; anything else ("abc 79") is not a price.
CURRENCY_CODES = frozenset(
    "USD EUR GBP CAD AUD NZD CHF JPY CNY HKD SGD INR KRW SEK NOK DKK PLN CZK HUF RON BGN TRY ILS AED SAR "
    "ZAR MXN BRL ARS CLP COP PEN TWD THB MYR IDR PHP VND".split())
_MARK = r"[A-Za-z]{3}|[$€£]|[Rr][Ss]\.?|[Ss][Rr]|[₹﷼\u20c1¥￥円元₩￦원]"
_PRICE = re.compile(rf"^(?P<pre>{_MARK})?\s*(?P<amount>\d[\d.,\s]*?)\s*(?P<post>{_MARK})?$")
# Digits as people write money, read by the shape of their separators (the same rule for feeds
# and shoppers): a separator followed by exactly three digits groups thousands ("1,499", "1.499"),
# and so does the Indian grouping of lakhs and crores ("1,49,999"); one followed by one or two
# digits at the end is the decimal mark ("79.99", "12,50"); with both, the last is the decimal
# mark ("1.499,99", "1,499.99"). No currency has three decimals here, so "1.499" is never 1.5.
_MONEY_DIGITS = re.compile(
    r"(?P<comma>\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3})(?:\.(?P<point>\d{1,2}))?"
    r"|(?P<dot>\d{1,3}(?:\.\d{3})+)(?:,(?P<dot_decimals>\d{1,2}))?"
    r"|(?P<whole>\d+)(?:[.,](?P<decimals>\d{1,2})|\.(?P<long_decimals>\d+))?")


def money_number(text: str) -> float | None:
    """Digits of an amount of money -> its value, None when they are not one: "1,49,999" ->
    149999, "12,50" -> 12.5, "1.499" -> 1499, "1.499,99" -> 1499.99, "1.5k" -> 1500."""
    text = text.strip().lower()
    thousands = text.endswith("k")
    match = _MONEY_DIGITS.fullmatch(text[:-1].rstrip() if thousands else text)
    if not match:
        return None
    groups = match.groupdict()
    whole = (groups["comma"] or "").replace(",", "") or (groups["dot"] or "").replace(".", "") or groups["whole"]
    decimals = next((groups[name] for name in ("point", "dot_decimals", "decimals", "long_decimals")
                     if groups[name]), "0")
    value = float(f"{whole}.{decimals}")
    return value * 1000 if thousands else value


def _amount(text: str) -> float | None:
    text = text.replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)  # "79.990" in a feed is a decimal, whatever a shopper's "1.499" means
    return money_number(text)


def _currency_code(token: str | None, default_currency: str) -> str | None:
    if not token:
        return None
    codes = FEED_CURRENCY_MARKS.get(token.lower())
    if codes:
        return default_currency if default_currency in codes else codes[0]
    return CURRENCY_SYMBOLS.get(token, token.upper())


def parse_price(text: str, default_currency: str = "USD") -> tuple[float, str] | None:
    """A feed price -> (amount, ISO 4217 code), None when it is not one.

    "79.99 USD", "USD 79.99", "79,99 EUR", "$79.99", "1.299,00 EUR" and "$79.99 USD" are all
    accepted, because Merchant Center feeds and hand-made CSVs write prices every way.
    """
    match = _PRICE.match((text or "").strip())
    if not match:
        return None
    codes = {_currency_code(match.group(side), default_currency) for side in ("pre", "post")} - {None}
    amount = _amount(match.group("amount").strip())
    if amount is None or len(codes) > 1:
        return None
    code = codes.pop() if codes else default_currency
    return (round(amount, 2), code) if code in CURRENCY_CODES else None


# Currencies as shoppers write them -> ISO 4217 codes, the usual meaning first: "kr" is NOK, SEK
# or DKK and "$" is USD, CAD, AUD..., so the shop's own currency wins when it is one of them
# (`shopper_currency`). Symbols and abbreviations stand on either side of the amount ("kr 500",
# "500kr", "$50", "50$"); names only after it ("500 rupees"). Adding a currency is one line.
_DOLLARS = ("USD", "CAD", "AUD", "NZD", "SGD", "HKD")
CURRENCY_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "$": _DOLLARS, "us$": ("USD",), "c$": ("CAD",), "ca$": ("CAD",), "au$": ("AUD",), "nz$": ("NZD",),
    "hk$": ("HKD",), "€": ("EUR",), "£": ("GBP",), "¥": ("JPY", "CNY"), "₩": ("KRW",), "₹": ("INR",),
    "kr": ("NOK", "SEK", "DKK"), "rs": ("INR",), "rs.": ("INR",),
    "￥": ("JPY", "CNY"), "￦": ("KRW",), "sr": ("SAR",), "﷼": ("SAR",), "\u20c1": ("SAR",), "ر.س": ("SAR",),
    **{code.lower(): (code,) for code in "USD EUR GBP CAD AUD NZD CHF JPY CNY HKD SGD INR KRW SEK NOK DKK PLN CZK "
                                         "HUF ZAR MXN BRL SAR AED".split()},
}
CURRENCY_NAMES: dict[str, tuple[str, ...]] = {
    "dollar": _DOLLARS, "dollars": _DOLLARS, "buck": _DOLLARS, "bucks": _DOLLARS,
    "euro": ("EUR",), "euros": ("EUR",), "pound": ("GBP",), "pounds": ("GBP",), "quid": ("GBP",),
    "krone": ("NOK", "DKK"), "kroner": ("NOK", "DKK"), "krona": ("SEK",), "kronor": ("SEK",),
    "franc": ("CHF",), "francs": ("CHF",), "rupee": ("INR",), "rupees": ("INR",), "yen": ("JPY",),
    "yuan": ("CNY",), "rmb": ("CNY",), "won": ("KRW",), "원": ("KRW",), "円": ("JPY",), "元": ("CNY",),
    "riyal": ("SAR",), "riyals": ("SAR",), "rial": ("SAR",), "rials": ("SAR",), "ريال": ("SAR",),
    "dirham": ("AED",), "dirhams": ("AED",),
}
# Words that scale an amount and name its currency: "2 lakh" is 200,000 rupees, "5만원" 50,000 won.
AMOUNT_SCALES: dict[str, tuple[int, str]] = {
    "lakh": (100_000, "rs"), "lakhs": (100_000, "rs"), "lac": (100_000, "rs"), "lacs": (100_000, "rs"),
    "crore": (10_000_000, "rs"), "crores": (10_000_000, "rs"), "만": (10_000, "원"), "천": (1_000, "원"),
    "万": (10_000, "¥"),
}


def shopper_currency(word: str, shop_currency: str) -> str:
    """A shopper's currency word or symbol -> its ISO code in a shop that sells in `shop_currency`
    ("kr" is SEK in a Swedish shop, NOK elsewhere)."""
    codes = CURRENCY_ABBREVIATIONS.get(word) or CURRENCY_NAMES[word]
    return shop_currency if shop_currency in codes else codes[0]


# -- categories --------------------------------------------------------------------------
_IRREGULAR_SINGULAR = {"dresses": "dress", "glasses": "glasses", "sunglasses": "sunglasses", "shorts": "shorts",
                       "jeans": "jeans", "leggings": "leggings", "tights": "tights", "pants": "pants",
                       "trousers": "trousers", "boxes": "box", "watches": "watch", "tees": "tee"}


def singular(word: str) -> str:
    """A simple English singular for matching category words ("shoes" -> "shoe")."""
    word = word.lower()
    if word in _IRREGULAR_SINGULAR:
        return _IRREGULAR_SINGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word
