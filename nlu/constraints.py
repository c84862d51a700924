"""Shopping constraints out of what shoppers type or say.

`extract_constraints(text, vocabulary)` returns the public constraints object of the parse
API (`../shared/interfaces.md` §3, plus `exclude`, `sort` and `size.values`, see
`nlu.entities`) and Rasa-style entities with character offsets into the text as typed.

Misspelt function words ("undr 90", "btwn", "chepest") are put right first
(`nlu.typos.correct_function_words`). Then each extractor claims the characters it used, in
this order, so a word is read once:

 1. references to the cart ("in my bag" is not a backpack)
 2. drops: "any colour", "forget the budget", "size doesn't matter" -> `drop`
 3. sort orders: "cheapest first", "top rated", "new arrivals" -> `sort`
 4. relative changes: "a size up", "half a size smaller", "$20 less", "cheaper", "more
    expensive" -> `size_direction`, `size_delta`, `price_direction`, `price_delta`
 5. exclusions: "not black", "no stridewell", "anything but leather" -> `exclude_color`,
    `exclude_brand`, `exclude_category`, `exclude_material`
 6. explicit sizes ("size 10", "uk 9", "32x30") with their alternatives ("size 9 or 9.5")
 7. ratings ("4 stars and up", "highly rated")
 8. prices ("under 80", "50ish", "150 tops", "kr 500", "I have 70 to spend") -> `price_min`,
    `price_max`, `price_around`, `currency`
 9. the catalog's brands and categories, misspelt or not
10. implied sizes ("in a 10", "9.5")
11. genders and ages ("for my son", "for my 8 year old")
12. letter sizes: "XL", "medium", and a lone S, M or L with evidence ("mens l", "any jeans in L?")
13. references to products shown and counts ("the second one", "2 pairs")
14. colours
15. soft wishes: runs of content words nothing else read ("something waterproof") -> `wish`

So "size 10 under 100" is a size and a budget, "at least 4 stars" a rating, not a budget,
"Rose & Finch" a brand, not pink, "no more than 50" a budget, not an exclusion, and the
white of "black, not white" is excluded, not wanted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlu.entities import SORT_ORDERS, constraints_from_entities
from nlu.normalize import (
    AMOUNT_SCALES, COLOR_WORDS, CURRENCY_ABBREVIATIONS, CURRENCY_NAMES, GENDER_PHRASES, LETTER_SIZE_WORDS,
    LETTER_SIZES, MATERIAL_WORDS, NUMBER_WORDS, UNITS, WIDTHS, money_number, normalize_size, normalize_size_system,
    shopper_currency, spoken_price, words_to_number,
)
from nlu.typos import CorrectedText, correct_function_words
from nlu.vocabulary import FUNCTION_WORDS, CatalogVocabulary, names_kind_within


def _phrases(words) -> str:
    """An alternation of phrases, longest first, a space also matching a hyphen ("xx-large")."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in ordered)


def _key(phrase: str) -> str:
    """A matched phrase as its table key: "xx-large" -> "xx large"."""
    return re.sub(r"[\s-]+", " ", phrase)


# -- amounts and prices ------------------------------------------------------------------
# A number as digits ("79.99", "1,200", "1k") or as words ("a hundred and twenty").
_WORDS = _phrases(NUMBER_WORDS)
# Digits are grouped and separated as the shopper's locale does ("1,49,999", "12,50", "1.499,99"):
# `money_number` reads them by the shape of the separators (see nlu/normalize.py).
_DIGITS = (r"(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3})(?:\.\d{1,2})?|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?"
           r"|\d+,\d{1,2}|\d+(?:\.\d+)?")
NUM = rf"(?:(?:{_DIGITS})(?![.,]?\d)(?:\s?k\b)?|(?:(?:{_WORDS})(?:[\s-]+(?:{_WORDS}))*))"
CUR_BEFORE = rf"(?P<{{name}}>{_phrases(CURRENCY_ABBREVIATIONS)})\s*"
CUR_AFTER = rf"\s*(?P<{{name}}>{_phrases({**CURRENCY_ABBREVIATIONS, **CURRENCY_NAMES})})"
MAX_WORDS = (r"under|beneath|below|less than|less expensive than|cheaper than|lower than|no more than|not more than|"
             r"max(?:imum)?(?: of)?|up to|at most|within|budget(?:'s| of| is|:)?|my budget is|cap(?:ped)? at|"
             r"(?:a )?cap of|limit(?: of| is)?|spend(?:ing)?|under the|<")
MIN_WORDS = (r"over|above|at least|more than|more expensive than|pricier than|min(?:imum)?|starting at|from|>|"
             r"higher than|upwards of")
AROUND_WORDS = (r"around|about|roughly|approximately|approx\.?|~|circa|close to|something like|somewhere around|"
                r"somewhere near|in the region of|ballpark(?: of)?")


def _amount(name: str, between: str = "") -> str:
    """An amount: the number (group `name`), a scale word (`name`x: "2 lakh"), anything `between`
    ("50ish") and the currency before or after it (`name`c1, `name`c2)."""
    return (rf"(?:{CUR_BEFORE.format(name=name + 'c1')})?(?P<{name}>{NUM})"
            rf"(?:\s*(?P<{name}x>{_phrases(AMOUNT_SCALES)}))?{between}(?:{CUR_AFTER.format(name=name + 'c2')})?")


# Words after a bare "X to Y" that make it a count or a span, not a budget ("2 to 3 pairs").
NOT_MONEY_AFTER = r"(?!\s*(?:pairs?|items?|options?|results?|products?|days?|weeks?|months?|years?|stars?|of\b|more\b|pack))"
# An amount ends at a word boundary; a full stop after it ends the sentence ("under $50."),
# one followed by a digit would be part of the number.
AMOUNT_END = r"(?![\w]|\.\d)"
# Japanese and Korean write no space after an amount: "5000円の靴", "5만원이하".
AMOUNT_END = rf"(?:(?<=[円元원万만천下内で하내])|{AMOUNT_END})"
# "I have 70 to spend", "got about 60 to spend": what the shopper has is a maximum.
PRICE_SPEND = re.compile(rf"(?<![\w])(?:have|got)\s+(?:(?:about|around|roughly|approximately|only|just|like|maybe|"
                         rf"up to)\s+)?{_amount('a')}\s+(?:to spend|to play with|for (?:this|it|them|one))(?![\w])")
PRICE_RANGE = re.compile(rf"(?<![\w.])(?:between\s+|from\s+)?{_amount('a')}\s*(?:and|to|-|–)\s*{_amount('b')}"
                         rf"{AMOUNT_END}{NOT_MONEY_AFTER}")
PRICE_QUALIFIED = re.compile(rf"(?<![\w])(?P<q>{MAX_WORDS}|{MIN_WORDS}|{AROUND_WORDS})\s*{_amount('a')}{AMOUNT_END}")
# "50ish", "50-ish dollars", "50 bucks or so": around.
ISH = r"\s?-?ish"
PRICE_ISH = re.compile(rf"(?<![\w.]){_amount('a', between=ISH)}{AMOUNT_END}")
PRICE_OR_SO = re.compile(rf"(?<![\w.]){_amount('a')}(?:\s*or so|\s*give or take|{ISH}){AMOUNT_END}")
# "150 max", "two hundred tops" ("3 tops in blue" is a count of a category, not a budget).
PRICE_MAX_AFTER = re.compile(rf"(?<![\w.]){_amount('a')}\s*(?:max(?:imum)?|at (?:the )?most|or (?:less|under|below)|"
                             rf"and (?:under|below)|tops(?![ \t]*[^\W\d_])|以下|以内|まで|이하|이내){AMOUNT_END}")
# An amount alone is a budget when a currency says so ("$60 sandals", "1000nok", "2 lakh").
PRICE_BARE = re.compile(rf"(?<![\w.]){_amount('a')}{AMOUNT_END}")
# Tried in this order. The bound "said" is the qualifier's ("under" a maximum, "around" both); a
# "bare" amount is a maximum only with a currency, and "two fifty dollars" (2.50? 250?) stays unread.
PRICE_PATTERNS = ((PRICE_SPEND, "max"), (PRICE_RANGE, "range"), (PRICE_QUALIFIED, "said"), (PRICE_ISH, "around"),
                  (PRICE_OR_SO, "around"), (PRICE_MAX_AFTER, "max"), (PRICE_BARE, "bare"))
# A negation just before a minimum word makes it a maximum: "nothing over 150", "can't go above
# $500", "I don't want to spend more than 30". Only spending words may stand between the two, so
# "not black, over 100" stays a minimum.
NEGATED_BEFORE = re.compile(
    r"(?:\b(?:nothing|not|never|no)|n't|cannot|dont|cant|wont|doesnt|didnt|wouldnt|shouldnt|isnt|aint)"
    r"(?:\s+(?:go|going|spend|spending|pay|paying|want|wanna|to|be|cost|costing|anything|it|i|more|much|really|"
    r"like|would|will|do|the|price|a|lot))*\s+$")
# A number right after a price word is money, never a size ("not more than 20 euro").
PRICE_WORD_BEFORE = re.compile(rf"(?<![\w])(?:{MAX_WORDS}|{MIN_WORDS}|{AROUND_WORDS})\s*$")

# A hedge makes what it touches a preference, not a requirement: "ideally fleece", "purple if
# possible", "navy would be nice".
HEDGE_BEFORE = re.compile(r"\b(?:ideally|preferably|maybe|perhaps)\s+(?:an?\s+|some\s+|in\s+)?$")
HEDGE_AFTER = re.compile(r"\s*,?\s*(?:if possible|would be (?:nice|great|good|ideal|lovely)|if you have (?:it|them|any|one)"
                         r"|(?:ideally|preferably)(?=\s*(?:[.,;!?]|$)))\b")

# -- sizes -------------------------------------------------------------------------------
HALF = r"(?:\s?½|\s1/2|\s+and\s+a\s+half)"
SIZE_NUMBER = rf"(?:\d{{1,2}}(?:\.\d)?{HALF}?|(?:{_WORDS})(?:[\s-]+(?:{_WORDS}))*)"
LETTER = _phrases(LETTER_SIZE_WORDS)
# Letter sizes safe to read without the word "size": not "s"/"m"/"l", not "2x" (a count).
LETTER_ALONE = _phrases(w for w in LETTER_SIZE_WORDS if len(w) > 1 and not re.fullmatch(r"\dx", w))
WIDTH = r"(?:\s*(?P<width>extra wide|wide|narrow|ww|w|n|2e|4e))?"
SYSTEM_AFTER = r"(?:\s+(?P<sys2>us|uk|eu))?"
WAIST = r"\d{2}\s*(?:x|/|by)\s*\d{2}|w\s?\d{2}\s*l\s?\d{2}|\d{2}\s*(?:w|waist)\s*\d{2}\s*(?:l|length|inseam)"
# "size 10", "size is 10", "change the size to 10", "uk 9", and a waist alone ("waist 32", not "32 waist 30").
# Two letter sizes sold as one ("L/XL", "s/m"), with or without the word "size".
SIZE_LETTER_PAIR = re.compile(rf"(?<![\w/])(?:size\s+)?(?P<value>(?:{LETTER})\s?/\s?(?:{LETTER}))(?![\w/])")
SIZE_EXPLICIT = re.compile(
    r"(?<![\w])(?:(?:size|sz|sized|(?<!\d )waist)\s+(?:(?:is|of|to)\s+)?(?:(?P<sys>us|uk|eu|euro)\s+)?"
    r"|(?P<sys1>us|uk|eu|euro)\s+(?:size\s+)?)"
    rf"(?P<value>{WAIST}|{LETTER}|{SIZE_NUMBER}){WIDTH}{SYSTEM_AFTER}(?![\w])")
# Words after a number that make it a count, an age or money, never a size ("3 pack", "a 6 year old").
NOT_A_SIZE_AFTER = (r"(?!\s*-?\s*(?:pairs?|pack|pk|items?|pieces?|of\b|years?|yrs?|y/?o\b|months?|mos?\b|%|"
                    r"dollars?|bucks|stars?))")
USUALLY = r"(?:(?:usually|normally|typically|always|mostly)\s+)?"
SIZE_WEAR = re.compile(
    rf"(?<![\w])(?:in a|i'?m a|i am a|i'?m in a|i wear a|wear a|i take a|take a|need a|a size"
    rf"|(?:he|she)'?s\s+{USUALLY}an?|(?:he|she|who|is|are)\s+{USUALLY}an?"
    rf"|(?:i|he|she|they)\s+{USUALLY}(?:wears?|takes?)(?:\s+an?)?)\s+"
    rf"(?P<value>{SIZE_NUMBER}){WIDTH}{SYSTEM_AFTER}(?![\w]){NOT_A_SIZE_AFTER}")
# A bare number is a size right after who it is for or what it is ("mens 10", "boots 9",
# "sandals, 9"): `_number_size_evidence` checks what stands before it.
SIZE_NUMBER_ALONE = re.compile(rf"(?<![\w.$€£#])(?P<value>\d{{1,2}}(?:\.5|{HALF})?)(?![\w.])(?!,\d){NOT_A_SIZE_AFTER}")
SIZE_SYSTEM_AFTER = re.compile(r"(?<![\w.])(?P<value>\d{1,2}(?:\.5)?)\s+(?P<sys2>eu|euro|uk|us)(?![\w])")
SIZE_WAIST = re.compile(rf"(?<![\w.])(?P<value>{WAIST})(?![\w.])")
SIZE_WITH_WIDTH = re.compile(r"(?<![\w.])(?P<value>\d{1,2}(?:\.5)?)\s?(?P<width>w|ww|2e|4e|wide)(?![\w])")
# A half size is never a count or (once prices are read) a budget: "running shoes 9.5", "10 1/2".
SIZE_HALF = re.compile(rf"(?<![\w.$€£])(?P<value>\d{{1,2}}(?:\.5|{HALF})|(?:{_phrases(UNITS)})\s+and\s+a\s+half)(?![\w.])")
SIZE_LETTER_ALONE = re.compile(rf"(?<![\w])(?P<value>{LETTER_ALONE})(?![\w])")
# A lone s, m or l: a size only with evidence (`_letter_size_evidence`), never the "s" of "men's" or the "m" of "i'm".
SIZE_LETTER_SINGLE = re.compile(r"(?<![\w'&.])(?P<value>[sml])(?![\w'&]|\.\w)")
LETTER_AFTER_WORD = re.compile(r"(?<![\w'])(?:in|a|an|any)\s+$")
IN_A_BEFORE = re.compile(r"(?<![\w'])(?:in an?|in size|size)\s+$")
COMMA_BEFORE = re.compile(r",\s*$")
CLAUSE_END_AFTER = re.compile(r"\s*(?:(?:please|pls|plz|thanks|thx)\b)?\s*(?:[.!?,;]|$)")
# Another size the shopper would take: "size 9 or 9.5", "9 or 9.5", "M or L".
SIZE_OR_AFTER = re.compile(rf"\s+or\s+(?:(?:a|an|size|sz)\s+)?(?P<value>{SIZE_NUMBER}|{LETTER})(?![\w])"
                           r"(?!\s*(?:pairs?|stars?))")
SIZE_OR_BEFORE = re.compile(rf"(?<![\w'.$€£])(?P<value>\d{{1,2}}(?:\.5)?|{LETTER})\s+or\s+(?:(?:a|an|size|sz)\s+)?$")

# -- ratings and sort orders -------------------------------------------------------------
RATING_STARS = re.compile(
    r"(?<![\w])(?:(?:at least|min(?:imum)?|over|above)\s+)?(?P<n>[1-5](?:\.\d)?|one|two|three|four|five)\s*"
    r"(?:\+\s*)?[\s-]?stars?(?:\s*(?:and up|and above|or more|or higher|or better|\+|plus|rating|rated))?(?![\w])")
RATING_RATED = re.compile(
    r"(?<![\w])rated\s+(?:(?:at least|above|over|higher than|min(?:imum)?)\s+)?(?P<n>[1-5](?:\.\d)?|one|two|three|four|five)"
    r"(?:\s*(?:\+|or (?:higher|more|above|better)|and (?:up|above)))?(?![\w])")
# "highly rated" is a bar of 4 stars; "top rated" / "best rated" is an order (SORT_PHRASES).
RATING_WORDS = re.compile(r"(?<![\w])(?:(?:highly|well|high)[\s-](?:rated|reviewed)|(?:great|good) reviews)(?![\w])")
SORT_PHRASES = {
    "price_asc": (r"cheapest(?: ones?| options?)?|lowest[\s-]price[ds]?|least expensive|most affordable|"
                  r"(?:sort(?:ed)?|order(?:ed)?) by (?:the )?(?:lowest )?price(?!\s+(?:from\s+)?high)|"
                  r"(?:price[sd]? )?(?:from )?low(?:est)? to high(?:est)?(?: price)?|price ascending"),
    "price_desc": (r"most expensive|priciest|(?:price[sd]? )?(?:from )?high(?:est)? to low(?:est)?(?: price)?|"
                   r"(?:premium|expensive)(?: ones)?(?=\s+first)|(?:most|highest)[\s-]price[ds]?|price descending"),
    "rating_desc": (r"(?:best|top|highest)[\s-]rated|(?:best|top)[\s-]reviewed|best reviews|(?:highest|best) ratings?|"
                    r"(?:sort(?:ed)?|order(?:ed)?) by (?:the )?(?:ratings?|reviews|stars)|best ones?"),
    "popularity_desc": (r"most popular|popular(?: ones?)?|best[\s-]?sell(?:ing|ers?)|top[\s-]sell(?:ing|ers?)|"
                        r"trending|most (?:bought|sold)|(?:sort(?:ed)?|order(?:ed)?) by popularity"),
    "newest": (r"newest|latest|new arrivals?|just in(?=\s*(?:$|[.!?,]))|just arrived|recently added|most recent|"
               r"(?:sort(?:ed)?|order(?:ed)?) by (?:newest|date)|what'?s new"),
}
SORT = re.compile(r"(?<![\w])(?:" + "|".join(f"(?P<{order}>{SORT_PHRASES[order]})" for order in SORT_ORDERS)
                  + r")(?:\s+first)?(?![\w])")

# -- drops, relative changes and exclusions ----------------------------------------------
# "any colour", "forget the budget", "size doesn't matter": the shopper lets a constraint go.
DROP_NOUNS = {
    "color": r"colou?rs?", "price": r"budget|prices?|price range|price limit|cost|money", "size": r"sizes?|sizing",
    "brand": r"brands?|labels?", "gender": r"genders?", "rating": r"ratings?|reviews?|stars?",
    "material": r"materials?|fabrics?",
}
DROP_FRAMES = (
    r"(?:in )?any {noun}",
    r"whatever {noun}",
    r"(?:the )?{noun} (?:(?:doesn'?t|does not|dont|don'?t|do not) matter|(?:is |'s )?(?:not important|irrelevant|"
    r"no object|not an issue)|isn'?t (?:important|an issue))",
    r"(?:i )?(?:don'?t|do not|dont) care (?:about|what|which|for) (?:the )?{noun}",
    r"(?:forget|ignore|drop|remove|scrap|lose|never ?mind) (?:about )?(?:the |my )?{noun}(?: filter| limit)?",
    r"no {noun} (?:preference|limit|requirement)s?",
    r"not (?:fussy|bothered|picky|particular) (?:about|on) (?:the )?{noun}",
)
DROP_EXTRA = {"price": (r"no (?:budget|limit)", r"sky'?s the limit", r"whatever it costs")}
DROP = re.compile(r"(?<![\w])(?:" + "|".join(
    f"(?P<{constraint}>" + "|".join([*(frame.format(noun=f"(?:{noun})") for frame in DROP_FRAMES),
                                     *DROP_EXTRA.get(constraint, ())]) + ")"
    for constraint, noun in DROP_NOUNS.items()) + r")(?![\w])")

SIZE_STEPS = {"half": 0.5, "half a": 0.5, "a half": 0.5, "a": 1, "one": 1, "1": 1, "two": 2, "2": 2, "next": None}
SIZE_DIRECTIONS = {"up": "up", "bigger": "up", "larger": "up", "higher": "up",
                   "down": "down", "smaller": "down", "lower": "down"}
# "a size up", "one size bigger", "half a size smaller", "go down a size", "a bigger size".
SIZE_STEP = re.compile(
    rf"(?<![\w])(?:(?:(?:the\s+)?(?P<step>{_phrases(SIZE_STEPS)})\s+)?sizes?\s+(?P<dir>{_phrases(SIZE_DIRECTIONS)})"
    rf"|(?P<dir2>up|down)\s+(?P<step2>{_phrases(SIZE_STEPS)})\s+sizes?"
    rf"|(?:a\s+)?(?P<dir3>bigger|larger|smaller)\s+sizes?)(?![\w])")
# "$20 less", "20 bucks cheaper"; "more" only with a currency ("20 more" is a count).
PRICE_DELTA = re.compile(rf"(?<![\w.]){_amount('a')}\s+(?P<direction>less|cheaper|lower|more expensive|more|higher|"
                         r"pricier)(?![\w])(?!\s+(?:than|of|pairs?|items?|options?|results?))")
PRICE_DELTA_DIRECTIONS = {"less": "lower", "cheaper": "lower", "lower": "lower"}
# "cheaper", "something less expensive": below the cheapest price shown (the dialogue knows it);
# with "than" and an amount it is a budget. "Budget" alone is not cheaper: "no budget" is a drop.
PRICE_DIRECTIONS = {
    "lower": (r"cheaper|less expensive|less pricey|lower[\s-]price[ds]?|more affordable|on a budget|spend less|"
              r"budget[\s-](?:friendly|ones?|options?|picks?|versions?|range)|(?:lower|smaller|tighter) budget"),
    "higher": (r"more expensive|pricier|fancier|higher[\s-]end|high[\s-]end|more premium|higher[\s-]price[ds]?|"
               r"(?:higher|bigger|larger) budget|spend more|more money|(?:raise|increase|up) the budget"),
}
PRICE_DIRECTION = re.compile(r"(?<![\w])(?:" + "|".join(f"(?P<{d}>{p})" for d, p in PRICE_DIRECTIONS.items())
                             + r")(?![\w])(?!\s+than)")

# What introduces an exclusion: "not", "no", "anything but", "without", "non-", "I don't want"...
EXCLUSION_CUES = (r"not (?:a (?:big )?fan of|into|keen on|wanting)|anything (?:but|except|other than|besides)|"
                  r"everything (?:but|except)|other than|except(?: for)?|apart from|excluding|exclude|avoid(?:ing)?|"
                  r"without|w/o|instead of|(?:i |he |she |they )?(?:don'?t|doesn'?t|do not|does not|dont) (?:want|like|love|need)s?|"
                  r"rather not|hates?|can'?t stand|dislikes?|no more|nothing|none|no|not|never|non(?=[\s-])")
EXCLUSION_CUE = re.compile(rf"(?<![\w'])(?:{EXCLUSION_CUES})(?![\w'])")
# Words that may stand between a cue and what it excludes: "not the red ones", "nothing made of wool".
SCOPE_FILLERS = ("the", "a", "an", "any", "anything", "in", "of", "with", "made", "from", "that", "those", "these",
                 "really", "by")
SCOPE_WORD = re.compile(r"[\s-]*([a-z]+)")
POINTING_WORD = re.compile(r"\b(?:the|that|those|these)\b")
SCOPE_GAP = re.compile(r"[\s-]*")
# Between two excluded values: "no red or pink", "not nike, adidas".
SCOPE_JOIN = re.compile(r"\s*[,/]\s*(?:(?:or|and|nor)\s+)?|\s+(?:or|and|nor|&)\s+")
TYPO_WORD = re.compile(r"[a-z][a-z'&.]*")

# -- references, genders, colours, materials ---------------------------------------------
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
            "last": -1, "final": -1}
# "the top one" is the first; "top" alone is a kind of clothing ("a black top") or a sort ("top rated").
ORDINAL = re.compile(rf"(?<![\w])(?:(?P<word>{_phrases(ORDINALS)})(?:\s+(?:one|item|product|pair))?"
                     r"|(?P<top>top)\s+(?:one|item|product|pair|result|pick|choice)"
                     r"|(?:#|number\s+|no\.\s*)(?P<num>\d{1,2}))(?![\w])")
COUNT_WORDS = {"a couple": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
COUNT = rf"(?:\d{{1,2}}|{_phrases(COUNT_WORDS)})"
QUANTITY = re.compile(
    rf"(?<![\w])(?:(?:qty|quantity)\s*:?\s*(?P<q1>\d{{1,2}})"
    rf"|(?P<q2>{COUNT})\s+(?:pairs?|of (?:them|those|these|it|each)|items?|units?|pieces?)"
    rf"|(?:add|take|buy|get|order)\s+(?P<q3>{COUNT})(?!\s*(?:size|sz|dollars?|bucks|euros?|pounds?|quid|%|stars?))"
    rf"|x\s?(?P<q4>\d{{1,2}})|(?P<q5>a couple))(?![\w])")
CHILD_PRONOUNS = {"girls": re.compile(r"(?<![\w'])(?:she|she'?s|shes|her|hers)(?![\w'])"),
                  "boys": re.compile(r"(?<![\w'])(?:he|he'?s|hes|him|his)(?![\w'])")}
# "do you guys carry tvs", "thanks guys": the shop addressed, not who the shopping is for.
ADDRESSED = re.compile(r"(?<![\w'])(?:you|u|ya|hey|hi|hello|thanks|thank you|cheers)\s+$")
ADDRESS_WORDS = frozenset({"guys", "guy", "gents", "ladies"})
GENDER_PATTERN = re.compile(rf"(?<![\w])({_phrases(GENDER_PHRASES)})(?![\w])")
# "for my 8 year old", "a 6yo", "my 10 year old daughter": a child (the person named says which).
CHILD_AGE = re.compile(
    rf"(?<![\w])(?P<age>\d{{1,2}}|{_phrases(UNITS)})[\s-]?"
    r"(?P<unit>(?:years?|yrs?)[\s-]old|y/?o|(?:months?|mos?)[\s-]old)"
    rf"(?:\s+(?P<who>{_phrases(GENDER_PHRASES)}))?(?![\w])")
OLDEST_CHILD = 14
COLOR_PATTERN = re.compile(rf"(?<![\w'])({_phrases(COLOR_WORDS)})(?![\w'])")
MATERIAL_PATTERN = re.compile(rf"(?<![\w'])({_phrases(MATERIAL_WORDS)})(?![\w'])")

# -- soft wishes -------------------------------------------------------------------------
# Words that never make a wish: function words, pronouns, greetings, shopping, cart and service
# verbs, question words, vague praise, and the words of constraints, drops and exclusions.
NOT_WISHES = frozenset("""
a about above across actually add added adding afford after again agent ago all almost alright also although always
am an and another any anybody anyone anything anyway anywhere apart are aren't around as ask asking at available
avoid avoiding away back bad bag basically basket be because been before being below besides best better between bit
bot both bothered bought brand brands budget but buy buying by can can't cancel cannot cant care cart cheap check
checking checkout cheers choice choices choose color colors colour colours compare cost costs could couldn't
currently delete detail details did didn't different dislike do does doesn't doing don't done dont down drop each
either else elsewhere enough etc even ever every everything everywhere exactly except exclude excluding excuse
expensive fan find finding fine first fit fits for forget found from fussy generally get gets getting gift gifts
give go goes going gonna good got gotta great guess had has hasn't hate have haven't having he hello help her here
hers hey hi him his hiya hmm how however i i'd i'll i'm i've id if ignore ill im important in inexpensive info
information instead into irrelevant is isn't issue it it's item items its ive just keen keep kind kinda know last
least less let let's lets like likes little look looking looks lose lot lots love made make many matter max may
maybe me might mind mine money more morning most mostly much must my myself need needed needing needs neither never
new next nice no none nope nor not nothing now object of off ok okay old on once one ones only onto option options
or order ordered ordering other others our out over pair pairs particular pay paying perhaps person pick picky piece
pieces please pls plz possibly prefer preferably present pretty price prices probably product products purchase put
quite rated rather really recommend refund remove return reviews right same say scrap search searching see seen send
she shop shopping should show showing similar since size sizes slightly so some somebody someone something sometimes
somewhat somewhere sorry sort sorta speak spend spending status still stock store stuff such suggest sure tad take
taking talk tell than thank thanks that that's thats the their theirs them then there there's these they thing
things think this those though thx today too track try trying type ugh under until up upon us use used using very
want wanted wanting wants was way we wear wearing wears well were what what's whatever whats when where which while
who why will with within without won't wondering wont would wouldn't yeah year years yep yes yet you you're your
yours yup
wat wot lemme gimme wanna tryna rephrase tho tbh idea ideas meant mean means suggestion suggestions thinking lol btw cool awesome anyways also actually
haha lmao omg sell sells selling sold carry carries carrying offer offers stocked ideally
he's she's they're hes shes theyre doesnt didnt isnt arent wasnt wouldnt couldnt shouldnt possible start starting
hates hated loves loved wife husband son daughter boy girl kid kids child children toddler baby mom mum dad father
mother brother sister friend boyfriend girlfriend partner guy guys man men mens woman women womens lady ladies teen
teenager nephew niece grandson granddaughter myself herself himself
""".split()) | NUMBER_WORDS | frozenset(UNITS)
WISH_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
# A word right after a negation is unwanted, never a wish ("no logo", "without a hood", "not too bright").
NEGATION_REACH = (*SCOPE_FILLERS, "too", "very", "so", "overly", "super")
NEGATED_WORDS = re.compile(rf"(?<![\w'])(?:{EXCLUSION_CUES})(?:[\s-]+(?:{'|'.join(NEGATION_REACH)}))*[\s-]*$")

# Words that name the shopper's cart, never a category: "in my bag" is not a backpack.
CART_REFERENCE = re.compile(r"(?<![\w])(?:(?:my|your|the shopping|shopping)\s+(?:bag|basket|cart|trolley)"
                            r"|(?:in|into|to|from|out of)\s+the\s+(?:bag|basket|cart|trolley))(?![\w])")
# Words a typo correction may never swallow: they mean a colour, a gender, a number, a size or a material.
_NOT_TYPOS = frozenset(w for phrase in (*COLOR_WORDS, *GENDER_PHRASES, *NUMBER_WORDS, *LETTER_SIZE_WORDS,
                                        *MATERIAL_WORDS) for w in phrase.split())

QUALIFIER_ENTITIES = frozenset({"currency", "size_system", "width"})
_GAP_BEFORE = re.compile(r"[\s,]*$")
_GAP_AFTER = re.compile(r"[\s,]*")


@dataclass
class ParseResult:
    constraints: dict
    entities: list[dict] = field(default_factory=list)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


class _Claims:
    """Character ranges already read, so no word is used by two extractors. Offsets are into the
    corrected text; entities carry them back to the text as typed."""

    def __init__(self, text: str, corrected: CorrectedText):
        self.text = text
        self.entities: list[dict] = []
        self._corrected = corrected
        self._taken: list[tuple[int, int]] = []
        self._read: list[tuple[int, int, str]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self._taken)

    def claim(self, start: int, end: int) -> None:
        self._taken.append((start, end))

    def add(self, entity: str, value, start: int, end: int) -> None:
        self._read.append((start, end, entity))
        start, end = self._corrected.typed_span(start, end)
        self.entities.append({"entity": entity, "start": start, "end": end, "value": value,
                              "text": self.text[start:end]})

    def mark_read(self, start: int, end: int, entity: str) -> None:
        """Words that said an entity already added (said twice): evidence for their neighbours."""
        self._read.append((start, end, entity))

    def matches(self, pattern: re.Pattern, lower: str):
        """Matches that do not overlap anything claimed so far (claiming is the caller's job)."""
        for match in pattern.finditer(lower):
            if self.free(match.start(), match.end()):
                yield match

    def typed(self, start: int, end: int) -> str:
        """The characters as the shopper typed them (upper case included)."""
        typed_start, typed_end = self._corrected.typed_span(start, end)
        return self.text[typed_start:typed_end]

    def entity_before(self, lower: str, position: int) -> str | None:
        """The entity that ends just before `position`, only spaces or a comma between."""
        edge = _GAP_BEFORE.search(lower, 0, position).start()
        return next((name for _, end, name in self._read if end == edge), None)

    def entity_after(self, lower: str, position: int) -> str | None:
        edge = _GAP_AFTER.match(lower, position).end()
        return next((name for start, _, name in self._read if start == edge), None)


def _lower_same_length(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text.replace("’", "'"))


# -- drops, sort orders and relative changes ---------------------------------------------
def _named_group(match: re.Match) -> str:
    return next(name for name, text in match.groupdict().items() if text)


def _extract_drops(claims: _Claims, lower: str) -> None:
    for match in claims.matches(DROP, lower):
        claims.claim(*match.span())
        claims.add("drop", _named_group(match), *match.span())


def _extract_sort(claims: _Claims, lower: str) -> None:
    for match in claims.matches(SORT, lower):
        claims.claim(*match.span())
        claims.add("sort", _named_group(match), *match.span())
        return


def _extract_size_steps(claims: _Claims, lower: str) -> None:
    for match in claims.matches(SIZE_STEP, lower):
        direction = match.group("dir") or match.group("dir2") or match.group("dir3")
        step = "step" if match.group("step") else "step2"
        claims.claim(*match.span())
        claims.add("size_direction", SIZE_DIRECTIONS[direction], *match.span())
        if match.group(step) and SIZE_STEPS[_key(match.group(step))] is not None:
            claims.add("size_delta", SIZE_STEPS[_key(match.group(step))], *match.span(step))


def _extract_price_changes(claims: _Claims, lower: str, shop_currency: str) -> None:
    for match in claims.matches(PRICE_DELTA, lower):
        value, currency = _read_amount(match, "a", shop_currency)
        direction = PRICE_DELTA_DIRECTIONS.get(match.group("direction"), "higher")
        if value is None or value <= 0 or (direction == "higher" and currency is None):
            continue
        claims.claim(*match.span())
        claims.add("price_direction", direction, *match.span("direction"))
        claims.add("price_delta", _number(value), match.start(), _amount_end(match, "a"))
    for match in claims.matches(PRICE_DIRECTION, lower):
        claims.claim(*match.span())
        claims.add("price_direction", _named_group(match), *match.span())


# -- exclusions --------------------------------------------------------------------------
def _color_for(surface: str) -> str:
    return COLOR_WORDS[_key(surface)]


def _material_for(surface: str) -> str:
    return MATERIAL_WORDS[_key(surface)]


def _excluded_value_at(claims: _Claims, lower: str, position: int,
                       vocabulary: CatalogVocabulary) -> tuple[str, str, int, int] | None:
    """(kind, value, start, end) of the brand, category, colour or material at `position`, or None."""
    readers = (("brand", vocabulary.brand_pattern, vocabulary.brands_for),
               ("category", vocabulary.category_pattern, vocabulary.category_for),
               ("color", COLOR_PATTERN, _color_for), ("material", MATERIAL_PATTERN, _material_for))
    for kind, pattern, lookup in readers:
        match = pattern.match(lower, position) if pattern is not None else None
        if match and claims.free(*match.span()) and lookup(match.group(0)):
            return kind, lookup(match.group(0)), match.start(), match.end()
    word = TYPO_WORD.match(lower, position)
    if word and word.group(0) not in _NOT_TYPOS and claims.free(*word.span()):
        for kind, typos in (("brand", vocabulary.brand_typos), ("category", vocabulary.category_typos)):
            value = typos.lookup(word.group(0))
            if value:
                return kind, value, word.start(), word.end()
    return None


def _skip_fillers(lower: str, position: int, most: int = 3) -> int:
    for _ in range(most):
        word = SCOPE_WORD.match(lower, position)
        if word is None or word.group(1) not in SCOPE_FILLERS:
            break
        position = word.end()
    return SCOPE_GAP.match(lower, position).end()


def _excluded_values(claims: _Claims, lower: str, position: int,
                     vocabulary: CatalogVocabulary) -> list[tuple[str, str, int, int]]:
    """What a negation ending at `position` excludes, one value or several ("not red or pink").
    A category after "the" names things ("I don't want the sunglasses anymore"), not a kind."""
    values = []
    while found := _excluded_value_at(claims, lower, _skip_fillers(lower, position), vocabulary):
        if found[0] == "category" and POINTING_WORD.search(lower, position, found[2]):
            break
        values.append(found)
        join = SCOPE_JOIN.match(lower, found[3])
        if join is None:
            break
        position = join.end()
    return values


def _extract_exclusions(claims: _Claims, lower: str, vocabulary: CatalogVocabulary) -> None:
    for cue in claims.matches(EXCLUSION_CUE, lower):
        values = _excluded_values(claims, lower, cue.end(), vocabulary)
        if values:
            claims.claim(cue.start(), values[-1][3])
            for kind, value, start, end in values:
                for each in (value if isinstance(value, tuple) else (value,)):  # a brand family: every line
                    claims.add(f"exclude_{kind}", each, start, end)


# -- sizes -------------------------------------------------------------------------------
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


def _reads_as_money(lower: str, match: re.Match) -> bool:
    """"not more than 20 euro", "20 euro": an amount, not an EU size ("boots 42 euro" is one)."""
    if match.start("value") != match.start():
        return False
    return PRICE_WORD_BEFORE.search(lower, 0, match.start()) is not None or (
        match.groupdict().get("sys2") == "euro" and not 30 <= float(match.group("value")) <= 50)


def _add_alternative_size(claims: _Claims, match: re.Match, letter: bool) -> bool:
    size = normalize_size(match.group("value"))
    if size is None or (size in LETTER_SIZES) != letter:
        return False
    claims.claim(*match.span())
    claims.add("size", size, *match.span("value"))
    return True


def _add_size(claims: _Claims, lower: str, match: re.Match) -> str | None:
    """The size of `match`, its system and width, and the other sizes said with it ("9 or 9.5")."""
    size = normalize_size(match.group("value"))
    if size is None:
        return None
    claims.claim(*match.span())
    claims.add("size", size, *match.span("value"))
    system = _system_of(match)
    if system:
        claims.add("size_system", system, *_system_span(match))
    width = match.groupdict().get("width")
    if width:
        claims.add("width", WIDTHS.get(width, width.upper()), *match.span("width"))
    letter = size in LETTER_SIZES
    before = SIZE_OR_BEFORE.search(lower, 0, match.start())
    if before and claims.free(*before.span()) and not _reads_as_money(lower, before):
        _add_alternative_size(claims, before, letter)
    position = match.end()
    while (after := SIZE_OR_AFTER.match(lower, position)) and claims.free(*after.span()) \
            and _add_alternative_size(claims, after, letter):
        position = after.end()
    return size


def _letter_size_evidence(claims: _Claims, lower: str, match: re.Match) -> bool:
    """A lone s, m or l is a size right after a gender ("mens l") or as the last word of "in a m
    (please)"; typed upper case, also next to a category ("hoodie, M"), after "in", "a", "an" or
    "any" ("any jeans in L?"), before another size ("M or L"), or alone in a last clause
    ("socks for them, L")."""
    start, end = match.span("value")
    before = claims.entity_before(lower, start)
    if before == "gender" or (IN_A_BEFORE.search(lower, 0, start) and CLAUSE_END_AFTER.match(lower, end)):
        return True
    if not claims.typed(start, end).isupper():
        return False
    return (before == "category" or claims.entity_after(lower, end) in ("category", "gender")
            or LETTER_AFTER_WORD.search(lower, 0, start) is not None or SIZE_OR_AFTER.match(lower, end) is not None
            or (COMMA_BEFORE.search(lower, 0, start) is not None and CLAUSE_END_AFTER.match(lower, end) is not None))


def _number_size_evidence(claims: _Claims, lower: str, match: re.Match) -> bool:
    return claims.entity_before(lower, match.start("value")) in ("gender", "category", "color")


def _extract_size(claims: _Claims, lower: str, patterns: tuple[re.Pattern, ...], evidence=None) -> str | None:
    for pattern in patterns:
        for match in claims.matches(pattern, lower):
            if _reads_as_money(lower, match) or (evidence and not evidence(claims, lower, match)):
                continue
            size = _add_size(claims, lower, match)
            if size:
                return size
    return None


# -- ratings and prices ------------------------------------------------------------------
def _extract_rating(claims: _Claims, lower: str) -> None:
    for pattern in (RATING_STARS, RATING_RATED):
        for match in claims.matches(pattern, lower):
            value = words_to_number(match.group("n"))
            if value is not None and 1 <= value <= 5:
                claims.claim(*match.span())
                claims.add("rating_min", _number(value), *match.span())
                return
    for match in claims.matches(RATING_WORDS, lower):
        claims.claim(*match.span())
        claims.add("rating_min", 4, *match.span())
        return


def _read_amount(match: re.Match, name: str, shop_currency: str,
                 spoken: bool = True) -> tuple[float | None, str | None]:
    """The amount in group `name` and the currency said or implied by its scale ("2 lakh"), else None.
    `spoken` also reads the hundreds shorthand ("one fifty"), which only a budget word makes safe."""
    value = money_number(match.group(name))
    if value is None:
        value = (spoken_price if spoken else words_to_number)(match.group(name))
    scale = match.group(name + "x")
    factor, implied = AMOUNT_SCALES[scale] if scale else (1, None)
    said = match.group(name + "c1") or match.group(name + "c2") or implied
    return (None if value is None else value * factor), (shopper_currency(said, shop_currency) if said else None)


def _qualifier_bound(qualifier: str, said_currency: str | None, lower: str, start: int) -> str | None:
    if re.fullmatch(AROUND_WORDS, qualifier):
        return "around"
    if not re.fullmatch(MIN_WORDS, qualifier):
        return "max"
    if qualifier == "from" and said_currency is None:
        return None  # "from nike" / "from 2019": not a price without a currency
    return "max" if NEGATED_BEFORE.search(lower, 0, start) else "min"


def _read_price(match: re.Match, bound: str, lower: str, shop_currency: str) -> tuple | None:
    """(min, max, around, currency) of a price match, or None when it is no budget after all."""
    if bound == "range":
        low, low_currency = _read_amount(match, "a", shop_currency)
        high, high_currency = _read_amount(match, "b", shop_currency)
        if low is None or high is None or low >= high:
            return None
        return low, high, None, low_currency or high_currency or shop_currency
    value, said = _read_amount(match, "a", shop_currency, spoken=bound != "bare")
    if value is None or value <= 0 or (bound == "bare" and said is None):
        return None
    if bound == "said":
        bound = _qualifier_bound(match.group("q"), said, lower, match.start())
    currency = said or shop_currency
    if bound == "around":
        return round(value * 0.8, 2), round(value * 1.2, 2), value, currency
    if bound == "min":
        return value, None, None, currency
    return (None, value, None, currency) if bound else None


def _amount_end(match: re.Match, name: str) -> int:
    """Where the amount in group `name` ends, its scale and currency word included."""
    return max(match.end(group) for group in (name, name + "x", name + "c2") if match.group(group))


def _currency_span(match: re.Match) -> tuple[int, int]:
    """The currency word or symbol when one was said, else the scale that implies it ("2 lakh"),
    else the whole amount (the shop's currency is implied)."""
    groups = match.groupdict()
    said = next((name + suffix for suffix in ("c1", "c2", "x") for name in "ab" if groups.get(name + suffix)), None)
    return match.span(said) if said else match.span()


# The currency put right after the amount: "50 quid... i mean dollars", "100 euros, sorry, pounds".
CURRENCY_CORRECTION = re.compile(
    r"\W*(?:i mean|i meant|sorry|actually|or rather|make (?:it|that)|no)\W+(?:in\s+)?"
    rf"(?P<c>{_phrases({**CURRENCY_ABBREVIATIONS, **CURRENCY_NAMES})})(?![\w'])")


def _extract_price(claims: _Claims, lower: str, shop_currency: str) -> None:
    for pattern, bound in PRICE_PATTERNS:
        for match in claims.matches(pattern, lower):
            price = _read_price(match, bound, lower, shop_currency)
            if price is None:
                continue
            low, high, around, currency = price
            claims.claim(*match.span())
            for entity, value in (("price_min", low), ("price_max", high), ("price_around", around)):
                if value is not None:
                    claims.add(entity, _number(value), *match.span())
            corrected = CURRENCY_CORRECTION.match(lower, match.end())
            if corrected:
                claims.claim(*corrected.span())
                claims.add("currency", shopper_currency(corrected.group("c"), shop_currency), *corrected.span("c"))
            else:
                claims.add("currency", currency, *_currency_span(match))
            return


# -- brands and categories ---------------------------------------------------------------
BRAND_CUE_BEFORE = re.compile(r"(?<![\w'])(?:by|from|brand|label|make|made by)\s+$")
BRAND_WORD_AFTER = re.compile(r"\s+brand\b")

def _cuts_into(span: tuple, phrase: tuple) -> bool:
    """Whether `span` overlaps `phrase` without holding all of it."""
    overlaps = span[0] < phrase[1] and phrase[0] < span[1]
    return overlaps and not (span[0] <= phrase[0] and phrase[1] <= span[1])


def _vocabulary_spans(claims: _Claims, lower: str, pattern, typos, lookup, accept=None) -> list[tuple[int, int, str]]:
    """Exact catalog phrases and misspelt ones, longest first, each claimed unless overlapping
    (or not `accept`ed); a misspelling that cuts into an exact phrase is no reading ("t-shirts
    in" is not "shorts"), one that holds it whole may be ("runing shoes")."""
    exact = [(m.start(), m.end(), lookup(m.group(0))) for m in claims.matches(pattern, lower)] \
        if pattern is not None else []
    misspelt = [span for span in typos.find(lower, _NOT_TYPOS) if claims.free(span[0], span[1])
                and not any(_cuts_into(span, phrase) for phrase in exact)]
    found = []
    for start, end, value in sorted(exact + misspelt, key=lambda c: (c[0] - c[1], c[0])):
        if value and claims.free(start, end) and (accept is None or accept(start, end, value)):
            claims.claim(start, end)
            found.append((start, end, value))
    return sorted(found)


def _brand_evidence(claims: _Claims, lower: str, vocabulary: CatalogVocabulary, start: int, end: int,
                    brands: tuple[str, ...]) -> bool:
    """Whether words that spell a brand name it. A name that is only a name always does; one
    spelt like a word sentences are made of ("and", "only", "w") only when written as the brand
    writes itself ("ONLY dresses", but not a capital at the start: "Only dresses") or after a
    brand word ("from only", "by Fox"); an everyday word ("gap", "cat", "people") also when a
    kind of product follows ("gap jeans")."""
    kind = vocabulary.word_kind(lower[start:end])
    if kind is None:
        return True
    typed = claims.typed(start, end)
    if typed in brands and typed != typed.lower():
        at_start = not lower[:start].strip()
        if typed.isupper() and (len(typed) > 1 or typed.lower() not in FUNCTION_WORDS or not at_start):
            return not claims.text.isupper()  # "ONLY dresses", "W dresses"; not "A dress", not all in capitals
        if not at_start:
            return True  # "a bag by Fox", "dresses from People"
    if BRAND_CUE_BEFORE.search(lower, 0, start) or BRAND_WORD_AFTER.match(lower, end):
        return True
    after = _GAP_AFTER.match(lower, end).end()
    return kind == "everyday" and vocabulary.category_pattern is not None \
        and vocabulary.category_pattern.match(lower, after) is not None


def _extract_vocabulary(claims: _Claims, lower: str, vocabulary: CatalogVocabulary) -> str | None:
    """Every brand said (a family's every line), and the kind of product meant (returned): of
    several said, the one the others name more generally ("marathons ... shoes" is running
    shoes, "a rain jacket ... start with the jacket" the rain jacket), else the first said. The
    other kinds said are `later_category`: wanted next ("a rain jacket and hiking boots")."""
    def named(start: int, end: int, brands: tuple[str, ...]) -> bool:
        return _brand_evidence(claims, lower, vocabulary, start, end, brands)

    for start, end, brands in _vocabulary_spans(claims, lower, vocabulary.brand_pattern, vocabulary.brand_typos,
                                                vocabulary.brands_for, accept=named):
        for brand in brands:
            claims.add("brand", brand, start, end)
    categories = _vocabulary_spans(claims, lower, vocabulary.category_pattern, vocabulary.category_typos,
                                   vocabulary.category_for)
    if not categories:
        return None
    def support(kind: str) -> int:
        return sum(names_kind_within(kind, other) for _, _, other in categories)

    meant = min(categories, key=lambda c: (-support(c[2]), c[0]))
    claims.add("category", meant[2], meant[0], meant[1])
    for start, end, kind in categories:  # the other kinds wanted, for later ("... and hiking boots")
        if not names_kind_within(kind, meant[2]) and not names_kind_within(meant[2], kind):
            claims.add("later_category", kind, start, end)
    return meant[2]


# -- genders, references, colours, wishes ------------------------------------------------
def _child_gender(match: re.Match) -> str | None:
    if match.group("who"):
        return GENDER_PHRASES[_key(match.group("who"))]
    age = match.group("age")
    years = UNITS[age] if age in UNITS else int(age)
    return "kids" if match.group("unit").startswith("mo") or years <= OLDEST_CHILD else None


def _gender_word(match: re.Match) -> str:
    return GENDER_PHRASES[_key(match.group(1))]


def _extract_gender(claims: _Claims, lower: str) -> None:
    """Who the shopping is for. Said twice, the more specific word wins ("a kids rain jacket for
    a boy" is for boys); every word that said it counts as read ("for my wife, womens S")."""
    said: list[tuple[re.Match, str]] = []
    for pattern, gender_of in ((CHILD_AGE, _child_gender), (GENDER_PATTERN, _gender_word)):
        for match in claims.matches(pattern, lower):
            gender = gender_of(match)
            addressed = match.group(0) in ADDRESS_WORDS and ADDRESSED.search(lower, 0, match.start())
            if gender and not addressed:
                claims.claim(*match.span())
                said.append((match, gender))
    if not said:
        return
    children = [gender for _, gender in said if gender in ("boys", "girls")]
    first, chosen = said[0]
    if children and all(g in ("kids", children[0]) for _, g in said):
        first, chosen = next((match, gender) for match, gender in said if gender == children[0])
    if chosen == "kids":  # "my kid needs sneakers, she's a 2"
        pronouns = {child for child, pronoun in CHILD_PRONOUNS.items() if pronoun.search(lower)}
        chosen = pronouns.pop() if len(pronouns) == 1 else chosen
    claims.add("gender", chosen, *first.span())
    for match, gender in said:
        if match is not first:
            claims.mark_read(*match.span(), "gender")


def _extract_references(claims: _Claims, lower: str) -> None:
    for match in claims.matches(ORDINAL, lower):
        value = ORDINALS[match.group("word")] if match.group("word") else 1 if match.group("top") else \
            int(match.group("num"))
        claims.claim(*match.span())
        claims.add("ordinal", value, *match.span())
    for match in claims.matches(QUANTITY, lower):
        raw = next(group for group in match.group("q1", "q2", "q3", "q4", "q5") if group)
        value = int(raw) if raw.isdigit() else COUNT_WORDS[_key(raw)]
        claims.claim(*match.span())
        claims.add("quantity", value, *match.span())


def _extract_colors(claims: _Claims, lower: str) -> None:
    """Each colour said; two colour words in a row name one colour, the family of the last
    ("sand beige" is beige, "rose gold" gold, "navy blue" blue), as catalogs name colours. A
    colour said with a hedge ("purple would be nice", "ideally in navy") is a wish to rank by."""
    matches = list(claims.matches(COLOR_PATTERN, lower))
    for index, match in enumerate(matches):
        following = matches[index + 1] if index + 1 < len(matches) else None
        if following is not None and lower[match.end():following.start()].strip(" -") == "":
            continue  # the first word of a compound colour: the next word names it
        start = match.start()
        while index > 0 and lower[matches[index - 1].end():start].strip(" -") == "":
            index -= 1
            start = matches[index].start()
        claims.claim(start, match.end())
        hedged = HEDGE_BEFORE.search(lower, 0, start) or HEDGE_AFTER.match(lower, match.end())
        if hedged or _or_something_else(claims, lower, start, match.end()):
            claims.add("wish", " ".join(lower[start:match.end()].split()), start, match.end())
        else:
            claims.add("color", _color_for(match.group(1)), start, match.end())


OR_AFTER = re.compile(r"\s+or\s+(?:a\s+|in\s+|with\s+)?([a-z]{3,})\b")
OR_BEFORE = re.compile(r"\b([a-z]{3,})\s+or\s+(?:in\s+)?$")


def _or_something_else(claims: _Claims, lower: str, start: int, end: int) -> bool:
    """Whether a colour is offered as one choice beside something that is no colour nor anything
    else read ("multicolor or stripes", "camo or green"): then either will do, and the colour is
    a wish like the other, not a filter."""
    after, before = OR_AFTER.match(lower, end), OR_BEFORE.search(lower, 0, start)
    return any(m is not None and m.group(1) not in NOT_WISHES and not COLOR_PATTERN.fullmatch(m.group(1))
               and claims.free(*m.span(1)) for m in (after, before))


# A wish said as what the product is for ("for a trip", "for the gym", "for hiking"): its value
# keeps the "for", and it ranks by meaning without narrowing (recommender.wishes.is_purpose).
PURPOSE_BEFORE = re.compile(r"(?<![\w'])for\s+(?:(?:a|an|the|my|his|her|our|their|some)\s+)?$")
# ... unless the "for" is what is sought or paid: "looking for waterproof boots", "shopping for".
SEEKING_FOR = re.compile(r"\b(?:look(?:ing|ed)?|search(?:ing)?|shop(?:ping)?|hunt(?:ing)?|ask(?:ing)?|pay(?:ing)?|"
                         r"wait(?:ing)?|hop(?:e|ing))\s+for\s+(?:(?:a|an|the|my|some)\s+)?$")


def _extract_wishes(claims: _Claims, lower: str) -> None:
    """One `wish` per run of content words (three letters or more) that nothing else read; a run
    right after a negation is unwanted, not wished for; one right after "for" is a purpose
    ("for the gym" -> "for gym")."""
    runs: list[list] = []  # [start, end, negated]
    for word in WISH_WORD.finditer(lower):
        start, end = word.span()
        if len(word.group(0)) < 3 or word.group(0) in NOT_WISHES or not claims.free(start, end):
            continue
        if runs and lower[runs[-1][1]:start].isspace():  # only spaces since the run's last word
            runs[-1][1] = end
        else:
            runs.append([start, end, NEGATED_WORDS.search(lower, 0, start) is not None])
    for start, end, negated in runs:
        if not negated:
            claims.claim(start, end)
            words = " ".join(lower[start:end].split())
            purpose = PURPOSE_BEFORE.search(lower, 0, start) and not SEEKING_FOR.search(lower, 0, start)
            claims.add("wish", f"for {words}" if purpose else words, start, end)


def extract_constraints(text: str, vocabulary: CatalogVocabulary, default_currency: str = "USD") -> ParseResult:
    """`text` -> the public constraints object (every key present, None when unsaid) and the
    entities behind it, offsets into `text` as given. `default_currency` is the shop's
    currency, used when the shopper names an amount without one."""
    corrected = correct_function_words(_lower_same_length(text))
    lower = corrected.text
    claims = _Claims(text, corrected)
    for match in claims.matches(CART_REFERENCE, lower):
        claims.claim(*match.span())
    _extract_drops(claims, lower)
    _extract_sort(claims, lower)
    _extract_size_steps(claims, lower)
    _extract_price_changes(claims, lower, default_currency)
    _extract_exclusions(claims, lower, vocabulary)
    size = _extract_size(claims, lower, (SIZE_LETTER_PAIR, SIZE_EXPLICIT, SIZE_WAIST, SIZE_SYSTEM_AFTER, SIZE_WITH_WIDTH))
    _extract_rating(claims, lower)
    _extract_price(claims, lower, default_currency)
    category = _extract_vocabulary(claims, lower, vocabulary)
    size = size or _extract_size(claims, lower, (SIZE_WEAR, SIZE_HALF))
    _extract_gender(claims, lower)
    if size is None and (category is None or vocabulary.top_level(category) != "accessories"):
        size = _extract_size(claims, lower, (SIZE_LETTER_ALONE,))
        if size is None:
            _extract_size(claims, lower, (SIZE_LETTER_SINGLE,), evidence=_letter_size_evidence)
    _extract_references(claims, lower)
    _extract_colors(claims, lower)
    if size is None:
        _extract_size(claims, lower, (SIZE_NUMBER_ALONE,), evidence=_number_size_evidence)
    _extract_wishes(claims, lower)
    # The constraints by position, then their qualifiers (currency, size system, width): where
    # spans overlap, a token-level scorer such as `rasa test nlu` keeps the first, the constraint.
    # The sort is stable, so within one span the order of reading holds: a range's minimum first.
    entities = sorted(claims.entities, key=lambda e: (e["entity"] in QUALIFIER_ENTITIES, e["start"]))
    return ParseResult(constraints_from_entities(entities, default_currency), entities)
