"""Shopping constraints out of what shoppers type or say.

`extract_constraints(text, vocabulary)` returns the public constraints object of the parse
API (`../shared/interfaces.md` §3) and Rasa-style entities with character offsets. Each
extractor claims the characters it used, in a fixed order (brands, categories, explicit
sizes, ratings, prices, implied sizes such as "in a 10" or "9.5", references and counts,
genders, colours), so a number is read once: "size 10 under 100" is a size and a budget, "at least 4 stars" is a rating, not a
budget, and "Rose & Finch" is a brand, not pink.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlu.normalize import (
    COLOR_WORDS, GENDER_PHRASES, LETTER_SIZE_WORDS, NUMBER_WORDS, UNITS, WIDTHS,
    normalize_size, normalize_size_system, spoken_price, words_to_number,
)
from nlu.vocabulary import CatalogVocabulary


def _phrases(words) -> str:
    """An alternation of phrases, longest first, a space also matching a hyphen ("xx-large")."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in ordered)


# A number as digits ("79.99", "1,200", "1k") or as words ("a hundred and twenty").
_WORDS = _phrases(NUMBER_WORDS)
NUM = rf"(?:\d[\d,]*(?:\.\d+)?(?:\s?k\b)?|(?:(?:{_WORDS})(?:[\s-]+(?:{_WORDS}))*))"
CURRENCY_WORDS = {"$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD", "buck": "USD",
                  "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
                  "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP"}
CUR_BEFORE = r"(?P<{name}>[$€£])\s*"
CUR_AFTER = r"\s*(?P<{name}>dollars?|bucks?|usd|euros?|eur|pounds?|quid|gbp|\$|€|£)"
MAX_WORDS = (r"under|below|less than|no more than|not more than|max(?:imum)?|up to|at most|cheaper than|"
             r"within|budget(?: of| is)?|my budget is|no more then|lower than|<|under the")
MIN_WORDS = r"over|above|at least|more than|min(?:imum)?|starting at|from|>|higher than|upwards of"
AROUND_WORDS = r"around|about|roughly|approximately|approx\.?|~|circa|close to|something like"


def _amount(name: str) -> str:
    return rf"(?:{CUR_BEFORE.format(name=name + 'c1')})?(?P<{name}>{NUM})(?:{CUR_AFTER.format(name=name + 'c2')})?"


# Words after a bare "X to Y" that make it a count or a span, not a budget ("2 to 3 pairs").
NOT_MONEY_AFTER = r"(?!\s*(?:pairs?|items?|options?|results?|products?|days?|weeks?|months?|years?|stars?|of\b|more\b|pack))"
# An amount ends at a word boundary; a full stop after it ends the sentence ("under $50."),
# one followed by a digit would be part of the number.
AMOUNT_END = r"(?![\w]|\.\d)"
PRICE_RANGE = re.compile(rf"(?<![\w.])(?:between\s+|from\s+)?{_amount('a')}\s*(?:and|to|-|–)\s*{_amount('b')}"
                         rf"{AMOUNT_END}{NOT_MONEY_AFTER}")
PRICE_QUALIFIED = re.compile(rf"(?<![\w])(?P<q>{MAX_WORDS}|{MIN_WORDS}|{AROUND_WORDS})\s*{_amount('a')}{AMOUNT_END}")
PRICE_BARE = re.compile(rf"(?<![\w.])(?:{CUR_BEFORE.format(name='ac1')}(?P<a>{NUM})(?:{CUR_AFTER.format(name='ac2')})?"
                        rf"|(?P<b>{NUM}){CUR_AFTER.format(name='bc2')}){AMOUNT_END}")
# A negation just before a minimum word makes it a maximum: "nothing over 150", "can't go above
# $500", "I don't want to spend more than 30". Only spending words may stand between the two, so
# "not black, over 100" stays a minimum.
NEGATED_BEFORE = re.compile(
    r"(?:\b(?:nothing|not|never|no)|n't|cannot|dont|cant|wont)"
    r"(?:\s+(?:go|going|spend|spending|pay|paying|want|wanna|to|be|cost|costing|anything|it|i|more|much|really|"
    r"like|would|will|do|the|price|a|lot))*\s+$")


HALF = r"(?:\s?½|\s1/2|\s+and\s+a\s+half)"
SIZE_NUMBER = rf"(?:\d{{1,2}}(?:\.\d)?{HALF}?|(?:{_WORDS})(?:[\s-]+(?:{_WORDS}))*)"
LETTER = _phrases(LETTER_SIZE_WORDS)
# Letter sizes safe to read without the word "size": not "s"/"m"/"l", not "2x" (a count).
LETTER_ALONE = _phrases(w for w in LETTER_SIZE_WORDS if len(w) > 1 and not re.fullmatch(r"\dx", w))
WIDTH = r"(?:\s*(?P<width>extra wide|wide|narrow|ww|w|n|2e|4e))?"
SYSTEM_AFTER = r"(?:\s+(?P<sys2>us|uk|eu))?"
WAIST = r"\d{2}\s*(?:x|/|by)\s*\d{2}|w\s?\d{2}\s*l\s?\d{2}|\d{2}\s*(?:w|waist)\s*\d{2}\s*(?:l|length|inseam)"
# "size 10", "size is 10", "change the size to 10", "uk 9", and a waist alone ("waist 32", not "32 waist 30").
SIZE_EXPLICIT = re.compile(
    r"(?<![\w])(?:(?:size|sz|sized|(?<!\d )waist)\s+(?:(?:is|of|to)\s+)?(?:(?P<sys>us|uk|eu|euro)\s+)?"
    r"|(?P<sys1>us|uk|eu|euro)\s+(?:size\s+)?)"
    rf"(?P<value>{WAIST}|{LETTER}|{SIZE_NUMBER}){WIDTH}{SYSTEM_AFTER}(?![\w])")
SIZE_WEAR = re.compile(
    rf"(?<![\w])(?:in a|i'?m a|i am a|i'?m in a|i wear a|wear a|i take a|take a|need a|a size)\s+"
    rf"(?P<value>{SIZE_NUMBER}){WIDTH}{SYSTEM_AFTER}(?![\w])")
SIZE_SYSTEM_AFTER = re.compile(r"(?<![\w.])(?P<value>\d{1,2}(?:\.5)?)\s+(?P<sys2>eu|euro|uk|us)(?![\w])")
SIZE_WAIST = re.compile(rf"(?<![\w.])(?P<value>{WAIST})(?![\w.])")
SIZE_WITH_WIDTH = re.compile(r"(?<![\w.])(?P<value>\d{1,2}(?:\.5)?)\s?(?P<width>w|ww|2e|4e|wide)(?![\w])")
# A half size is never a count or (once prices are read) a budget: "running shoes 9.5", "10 1/2".
SIZE_HALF = re.compile(rf"(?<![\w.$€£])(?P<value>\d{{1,2}}(?:\.5|{HALF})|(?:{_phrases(UNITS)})\s+and\s+a\s+half)(?![\w.])")
SIZE_LETTER_ALONE = re.compile(rf"(?<![\w])(?P<value>{LETTER_ALONE})(?![\w])")

RATING_STARS = re.compile(
    r"(?<![\w])(?:(?:at least|min(?:imum)?|over|above)\s+)?(?P<n>[1-5](?:\.\d)?|one|two|three|four|five)\s*"
    r"(?:\+\s*)?[\s-]?stars?(?:\s*(?:and up|and above|or more|or higher|or better|\+|plus|rating|rated))?(?![\w])")
RATING_RATED = re.compile(
    r"(?<![\w])rated\s+(?:(?:at least|above|over|higher than|min(?:imum)?)\s+)?(?P<n>[1-5](?:\.\d)?|one|two|three|four|five)"
    r"(?:\s*(?:\+|or (?:higher|more|above|better)|and (?:up|above)))?(?![\w])")
RATING_WORDS = re.compile(r"(?<![\w])(?:(?:highly|top|best|well|high)[\s-](?:rated|reviewed)|great reviews|good reviews)(?![\w])")

ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
            "last": -1, "final": -1}
ORDINAL = re.compile(rf"(?<![\w])(?:(?P<word>{_phrases(ORDINALS)})(?:\s+(?:one|item|product|pair))?"
                     r"|(?:#|number\s+|no\.\s*)(?P<num>\d{1,2}))(?![\w])")
COUNT_WORDS = {"a couple": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
COUNT = rf"(?:\d{{1,2}}|{_phrases(COUNT_WORDS)})"
QUANTITY = re.compile(
    rf"(?<![\w])(?:(?:qty|quantity)\s*:?\s*(?P<q1>\d{{1,2}})"
    rf"|(?P<q2>{COUNT})\s+(?:pairs?|of (?:them|those|these|it|each)|items?|units?|pieces?)"
    rf"|(?:add|take|buy|get|order)\s+(?P<q3>{COUNT})(?!\s*(?:size|sz|dollars?|bucks|euros?|pounds?|quid|%|stars?))"
    rf"|x\s?(?P<q4>\d{{1,2}})|(?P<q5>a couple))(?![\w])")
# "cheaper", "something less expensive": below the cheapest price shown (the dialogue knows it).
PRICE_LOWER = re.compile(r"(?<![\w])(?:cheaper|less expensive|lower price|more affordable|budget)(?![\w])")


QUALIFIER_ENTITIES = frozenset({"currency", "size_system", "width"})


@dataclass
class ParseResult:
    constraints: dict
    entities: list[dict] = field(default_factory=list)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


class _Claims:
    """Character ranges already read, so no word is used by two extractors."""

    def __init__(self, text: str):
        self.text = text
        self.entities: list[dict] = []
        self._taken: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self._taken)

    def claim(self, start: int, end: int) -> None:
        self._taken.append((start, end))

    def add(self, entity: str, value, start: int, end: int) -> None:
        self.entities.append({"entity": entity, "start": start, "end": end, "value": value,
                              "text": self.text[start:end]})

    def matches(self, pattern: re.Pattern, lower: str):
        """Matches that do not overlap anything claimed so far (claiming is the caller's job)."""
        for match in pattern.finditer(lower):
            if self.free(match.start(), match.end()):
                yield match


def _lower_same_length(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text.replace("’", "'"))


def _read_amount(match: re.Match, name: str) -> tuple[float | None, str | None]:
    raw = match.group(name)
    raw_clean = raw.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw or "") else raw
    value = spoken_price(raw_clean or "")
    symbol = match.groupdict().get(name + "c1") or match.groupdict().get(name + "c2")
    return value, CURRENCY_WORDS.get(symbol) if symbol else None


# Words that name the shopper's cart, never a category: "in my bag" is not a backpack.
CART_REFERENCE = re.compile(r"(?<![\w])(?:(?:my|your|the shopping|shopping)\s+(?:bag|basket|cart|trolley)"
                            r"|(?:in|into|to|from|out of)\s+the\s+(?:bag|basket|cart|trolley))(?![\w])")
# Words a typo correction may never swallow: they mean a colour, a gender, a number or a size.
_NOT_TYPOS = frozenset(w for phrase in (*COLOR_WORDS, *GENDER_PHRASES, *NUMBER_WORDS, *LETTER_SIZE_WORDS)
                       for w in phrase.split())


def _vocabulary_spans(claims: _Claims, lower: str, pattern, typos, lookup) -> list[tuple[int, int, str]]:
    """Exact catalog phrases and misspelt ones, longest first, each claimed unless overlapping."""
    candidates = [(m.start(), m.end(), lookup(m.group(0))) for m in claims.matches(pattern, lower)] \
        if pattern is not None else []
    candidates += [span for span in typos.find(lower, _NOT_TYPOS) if claims.free(span[0], span[1])]
    found = []
    for start, end, value in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if value and claims.free(start, end):
            claims.claim(start, end)
            found.append((start, end, value))
    return sorted(found)


def _extract_vocabulary(claims: _Claims, lower: str, vocabulary: CatalogVocabulary) -> tuple[list[str], str | None]:
    for match in claims.matches(CART_REFERENCE, lower):
        claims.claim(*match.span())
    brands: list[str] = []
    for start, end, brand in _vocabulary_spans(claims, lower, vocabulary.brand_pattern, vocabulary.brand_typos,
                                               vocabulary.brand_for):
        claims.add("brand", brand, start, end)
        if brand not in brands:
            brands.append(brand)
    categories = _vocabulary_spans(claims, lower, vocabulary.category_pattern, vocabulary.category_typos,
                                   vocabulary.category_for)
    if not categories:
        return brands, None
    longest = min(categories, key=lambda c: (c[0] - c[1], c[0]))
    claims.add("category", longest[2], longest[0], longest[1])
    return brands, longest[2]


def _add_size(claims: _Claims, match: re.Match, system: str | None) -> dict | None:
    raw = match.group("value")
    size = normalize_size(raw)
    if size is None:
        return None
    start, end = match.span()
    claims.claim(start, end)
    value_start = match.start("value")
    claims.add("size", size, value_start, match.end("value"))
    if system:
        claims.add("size_system", system, *_system_span(match))
    width = match.groupdict().get("width")
    if width:
        claims.add("width", WIDTHS.get(width, width.upper()), match.start("width"), match.end("width"))
    return {"value": size, "system": system}


def _system_span(match: re.Match) -> tuple[int, int]:
    """The words that name the size system ("uk"), so the size entity keeps its own token."""
    group = next(g for g in ("sys", "sys1", "sys2") if match.groupdict().get(g))
    return match.span(group)


def _system_of(match: re.Match) -> str | None:
    for group in ("sys", "sys1", "sys2"):
        value = match.groupdict().get(group)
        if value:
            return normalize_size_system(value)
    return None


def _extract_sizes(claims: _Claims, lower: str, patterns: tuple[re.Pattern, ...]) -> dict | None:
    for pattern in patterns:
        for match in claims.matches(pattern, lower):
            size = _add_size(claims, match, _system_of(match))
            if size:
                return size
    return None


def _extract_price(claims: _Claims, lower: str, default_currency: str) -> dict | None:
    for match in claims.matches(PRICE_RANGE, lower):
        low, low_cur = _read_amount(match, "a")
        high, high_cur = _read_amount(match, "b")
        if low is None or high is None or low >= high:
            continue
        currency = low_cur or high_cur or default_currency
        return _price_entities(claims, match, _number(low), _number(high), currency)
    for match in claims.matches(PRICE_QUALIFIED, lower):
        value, currency = _read_amount(match, "a")
        if value is None or value <= 0:
            continue
        qualifier = match.group("q")
        currency = currency or default_currency
        if re.fullmatch(AROUND_WORDS, qualifier):
            return _price_entities(claims, match, _number(round(value * 0.8, 2)), _number(round(value * 1.2, 2)), currency)
        if re.fullmatch(MIN_WORDS, qualifier):
            if qualifier == "from" and not match.group("ac1") and not match.group("ac2"):
                continue  # "from nike" / "from 2019": not a price without a currency
            if not NEGATED_BEFORE.search(lower[:match.start()]):
                return _price_entities(claims, match, _number(value), None, currency)
        return _price_entities(claims, match, None, _number(value), currency)
    for match in claims.matches(PRICE_BARE, lower):
        name = "a" if match.group("a") else "b"
        value = words_to_number(match.group(name).replace(",", ""))
        symbol = match.group("ac1") or match.group("ac2") or match.group("bc2")
        if value is None or value <= 0:
            continue
        return _price_entities(claims, match, None, _number(value), CURRENCY_WORDS.get(symbol, default_currency))
    return None


def _currency_span(match: re.Match) -> tuple[int, int]:
    """The currency word or symbol when one was said, else the whole amount (it is implied)."""
    said = [name for name, value in match.groupdict().items() if value and re.fullmatch(r"[ab]c[12]", name)]
    return match.span(said[0]) if said else match.span()


def _price_entities(claims: _Claims, match: re.Match, low, high, currency: str) -> dict:
    start, end = match.span()
    claims.claim(start, end)
    if low is not None:
        claims.add("price_min", low, start, end)
    if high is not None:
        claims.add("price_max", high, start, end)
    claims.add("currency", currency, *_currency_span(match))
    return {"min": low, "max": high, "currency": currency}


def _extract_rating(claims: _Claims, lower: str) -> int | float | None:
    for pattern in (RATING_STARS, RATING_RATED):
        for match in claims.matches(pattern, lower):
            value = words_to_number(match.group("n"))
            if value is not None and 1 <= value <= 5:
                claims.claim(*match.span())
                claims.add("rating_min", _number(value), *match.span())
                return _number(value)
    for match in claims.matches(RATING_WORDS, lower):
        claims.claim(*match.span())
        claims.add("rating_min", 4, *match.span())
        return 4
    return None


_GENDER_PATTERN = re.compile(rf"(?<![\w])({_phrases(GENDER_PHRASES)})(?![\w])")
_COLOR_PATTERN = re.compile(rf"(?<![\w'])({_phrases(COLOR_WORDS)})(?![\w'])")


def _extract_gender(claims: _Claims, lower: str) -> str | None:
    for match in claims.matches(_GENDER_PATTERN, lower):
        claims.claim(*match.span())
        gender = GENDER_PHRASES[re.sub(r"[\s-]+", " ", match.group(1))]
        claims.add("gender", gender, *match.span())
        return gender
    return None


def _extract_colors(claims: _Claims, lower: str) -> list[str]:
    colors: list[str] = []
    for match in claims.matches(_COLOR_PATTERN, lower):
        family = COLOR_WORDS[re.sub(r"[\s-]+", " ", match.group(1))]
        claims.claim(*match.span())
        claims.add("color", family, *match.span())
        if family not in colors:
            colors.append(family)
    return colors


def _extract_references(claims: _Claims, lower: str) -> None:
    for match in claims.matches(ORDINAL, lower):
        value = ORDINALS[match.group("word")] if match.group("word") else int(match.group("num"))
        claims.claim(*match.span())
        claims.add("ordinal", value, *match.span())
    for match in claims.matches(QUANTITY, lower):
        raw = next(group for group in match.group("q1", "q2", "q3", "q4", "q5") if group)
        value = int(raw) if raw.isdigit() else COUNT_WORDS[re.sub(r"[\s-]+", " ", raw)]
        claims.claim(*match.span())
        claims.add("quantity", value, *match.span())
    for match in claims.matches(PRICE_LOWER, lower):
        claims.claim(*match.span())
        claims.add("price_direction", "lower", *match.span())


def extract_constraints(text: str, vocabulary: CatalogVocabulary, default_currency: str = "USD") -> ParseResult:
    """`text` -> the public constraints object (every key present, None when unsaid) and the
    entities behind it, offsets into `text` as given. `default_currency` is the shop's
    currency, used when the shopper names an amount without one."""
    lower = _lower_same_length(text)
    claims = _Claims(text)
    brands, category = _extract_vocabulary(claims, lower, vocabulary)
    size = _extract_sizes(claims, lower, (SIZE_EXPLICIT, SIZE_WAIST, SIZE_SYSTEM_AFTER, SIZE_WITH_WIDTH))
    rating = _extract_rating(claims, lower)
    price = _extract_price(claims, lower, default_currency)
    if size is None:
        size = _extract_sizes(claims, lower, (SIZE_WEAR, SIZE_HALF))
    if size is None and (category is None or vocabulary.top_level(category) != "accessories"):
        size = _extract_sizes(claims, lower, (SIZE_LETTER_ALONE,))
    _extract_references(claims, lower)
    gender = _extract_gender(claims, lower)
    colors = _extract_colors(claims, lower)
    constraints = {
        "category": category,
        "brand": brands or None,
        "color": colors or None,
        "gender": gender,
        "size": size,
        "price": price,
        "rating_min": rating,
    }
    # The constraints by position, then their qualifiers (currency, size system, width): where
    # spans overlap, a token-level scorer such as `rasa test nlu` keeps the first, the constraint.
    # The sort is stable, so within one span the order of reading holds: a range's minimum first.
    entities = sorted(claims.entities, key=lambda e: (e["entity"] in QUALIFIER_ENTITIES, e["start"]))
    return ParseResult(constraints, entities)
