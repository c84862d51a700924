"""Typo-tolerant lookup of catalog words: "snekers", "hikng boots", "stridwell", "north peak".

Shoppers misspell brand and category words, and a chat box or a phone keyboard does not
correct a brand it has never seen. A word (or a run of up to three words) that is not a
catalog phrase is read as the one catalog phrase it is a small edit away from: the same
first letter, one edit from six letters, two from eight (shorter words are left alone:
too many everyday words sit one letter from "socks" or "boots"). Vowel slips ("sandles",
"stridwell") cost half an edit, because they are the commonest misspellings. Common words
that sit one edit from a catalog word ("shows" / "shoes") are never corrected, and an
edit that could mean two catalog phrases is not guessed.

The words around them are another matter: "undr 90", "btwn 50 and 80", "chepest" are put
right from a fixed table before anything is read (`correct_function_words`), never by
distance, because "over" and "oven", "less" and "lease" are both words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

VOWELS = frozenset("aeiouy")
# Everyday words one edit from a catalog word; never read as a typo.
NEVER_CORRECTED = frozenset({
    "showed", "stores", "others", "prices", "orders", "brands", "dressy", "dresser", "socket", "shirts",
    "styles", "colours", "colors", "should", "please", "thanks", "sports", "sporty", "bottle", "hiking",
    "running", "walking", "watched", "matches", "sneaky", "shorter", "shortly", "hooded", "beaches", "shoppers",
})
_WORD = re.compile(r"[a-z][a-z'&.]*")


def _op_cost(a: str | None, b: str | None) -> float:
    """Insert, delete or substitute: half price when only vowels (or a space) are involved."""
    chars = {c for c in (a, b) if c is not None}
    return 0.5 if chars <= (VOWELS | {" "}) else 1.0


def typo_distance(a: str, b: str, limit: float) -> float:
    """Weighted optimal-string-alignment distance; anything above `limit` is returned as `limit + 1`."""
    if abs(len(a) - len(b)) > 2 * limit:
        return limit + 1
    previous2: list[float] = []
    previous = [0.0]
    for j in range(1, len(b) + 1):
        previous.append(previous[-1] + _op_cost(None, b[j - 1]))
    for i in range(1, len(a) + 1):
        current = [previous[0] + _op_cost(a[i - 1], None)]
        for j in range(1, len(b) + 1):
            substitute = 0.0 if a[i - 1] == b[j - 1] else _op_cost(a[i - 1], b[j - 1])
            best = min(previous[j] + _op_cost(a[i - 1], None), current[j - 1] + _op_cost(None, b[j - 1]),
                       previous[j - 1] + substitute)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1.0)
            current.append(best)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> float:
    """How far a shopper's spelling may stray: none under six letters, one, two from eight."""
    letters = len(word.replace(" ", ""))
    return 0.0 if letters < 6 else 1.0 if letters < 8 else 2.0


class TypoMatcher:
    """Catalog surface forms (phrase -> canonical value) found again through small misspellings."""

    def __init__(self, surface: dict[str, str]):
        # Forms by (first letter, number of words): a typo keeps both, except a split brand.
        self._forms: dict[tuple[str, int], list[tuple[str, str]]] = {}
        self._exact = set(surface)
        self._seen: dict[str, str | None] = {}
        for form, value in surface.items():
            if len(form) >= 6:
                self._forms.setdefault((form[0], len(form.split())), []).append((form, value))

    def _distance(self, phrase: str, form: str, limit: float) -> float:
        """Word by word, so a typo never swallows a neighbouring word ("running shoes in"); a
        brand split in two ("north peak" / "northpeak") is compared without the space."""
        words, form_words = phrase.split(), form.split()
        if len(words) == len(form_words):
            if any(w[0] != f[0] for w, f in zip(words, form_words)):
                return limit + 1
            distances = [typo_distance(w, f, limit) for w, f in zip(words, form_words)]
            if any(d > (0 if len(w) < 4 else 1 if len(w) < 8 else 2) for d, w in zip(distances, words)):
                return limit + 1  # one word changed beyond recognition ("dress size" is not "dress shoe")
            return sum(distances)
        if len(words) == 2 and len(form_words) == 1 and not any(w in self._exact for w in words):
            return typo_distance("".join(words), form, limit)
        return limit + 1

    def lookup(self, phrase: str) -> str | None:
        """The single catalog value `phrase` is a typo of, or None (exact phrases are not typos)."""
        if phrase in self._seen:
            return self._seen[phrase]
        value = self._closest(phrase)
        if len(self._seen) < 100_000:  # shoppers repeat themselves; the memory stays bounded
            self._seen[phrase] = value
        return value

    def _closest(self, phrase: str) -> str | None:
        if phrase in self._exact or phrase in NEVER_CORRECTED or not phrase:
            return None
        limit = allowed_edits(phrase)
        if not limit:
            return None
        words = len(phrase.split())
        candidates = self._forms.get((phrase[0], words), []) + (self._forms.get((phrase[0], 1), []) if words == 2 else [])
        best, values = limit + 1, set()
        for form, value in candidates:
            if abs(len(form) - len(phrase)) > 2 * limit:
                continue
            distance = self._distance(phrase, form, limit)
            if distance < best:
                best, values = distance, {value}
            elif distance == best:
                values.add(value)
        return values.pop() if best <= limit and len(values) == 1 else None

    def find(self, lower: str, protected: frozenset[str], max_words: int = 3):
        """(start, end, value) for runs of one to `max_words` words that are typos of a catalog phrase.

        A run containing a `protected` word (a colour, a gender, a number) is never corrected."""
        words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(lower)]
        for size in range(max_words, 0, -1):
            for index in range(len(words) - size + 1):
                run = words[index:index + size]
                if any(word in protected for _, _, word in run) or any(
                        lower[left[1]:right[0]].strip() for left, right in zip(run, run[1:])):
                    continue  # a protected word, or words not next to each other
                value = self.lookup(" ".join(word for _, _, word in run))
                if value is not None:
                    yield run[0][0], run[-1][1], value


# Misspelt words of budgets and sort orders -> the word meant. Phrases match across any spaces.
FUNCTION_WORD_TYPOS = {
    "undr": "under", "uner": "under", "unde": "under", "udner": "under", "unedr": "under", "undre": "under",
    "bellow": "below", "belo": "below", "bleow": "below", "belwo": "below",
    "benath": "beneath", "beneth": "beneath",
    "les than": "less than", "lesss than": "less than", "lss than": "less than", "less then": "less than",
    "mor than": "more than", "more then": "more than", "mroe then": "more than", "moer then": "more than",
    "mor then": "more than", "les then": "less than", "mroe": "more", "moer": "more",
    "sise": "size", "szie": "size", "siez": "size", "wnat": "want", "wnt": "want", "dnot": "dont",
    "thn": "than", "tahn": "than", "thna": "than",
    "fro him": "for him", "fro her": "for her", "fro me": "for me", "fro my": "for my",
    "fr him": "for him", "fr her": "for her", "fr me": "for me", "fr my": "for my", "or les": "or less",
    "spedn": "spend", "spned": "spend",
    "ovr": "over", "abov": "above", "abve": "above", "abvoe": "above",
    "atleast": "at least", "at leats": "at least", "at lest": "at least", "atlest": "at least",
    "upto": "up to",
    "maxium": "maximum", "maximun": "maximum", "maxmum": "maximum", "minimun": "minimum", "minium": "minimum",
    "btwn": "between", "bewteen": "between", "betwen": "between", "betweeen": "between", "inbetween": "between",
    "arround": "around", "aroud": "around", "aorund": "around", "arund": "around",
    "chepest": "cheapest", "cheapst": "cheapest", "cheepest": "cheapest", "cheapets": "cheapest",
    "cheeper": "cheaper", "cheper": "cheaper", "cheapr": "cheaper",
    "expencive": "expensive", "expesive": "expensive", "expinsive": "expensive",
    "dollers": "dollars", "dolars": "dollars", "populer": "popular",
}
_FUNCTION_WORD_TYPO = re.compile(
    r"(?<![\w'])(?:" + "|".join(re.escape(typo).replace(r"\ ", r"\s+")
                                 for typo in sorted(FUNCTION_WORD_TYPOS, key=len, reverse=True)) + r")(?![\w'])")


@dataclass(frozen=True)
class CorrectedText:
    """Text with its misspelt function words put right, and the way back to the text as typed."""
    text: str
    edits: tuple[tuple[int, int, int, int], ...] = ()  # (start, end) in `text`, (start, end) as typed

    def typed_span(self, start: int, end: int) -> tuple[int, int]:
        """A span of `text` -> the same words as typed (a corrected word is taken whole)."""
        return self._typed(start, inside_edit=0), self._typed(end, inside_edit=1)

    def _typed(self, position: int, inside_edit: int) -> int:
        shift = 0
        for start, end, typed_start, typed_end in self.edits:
            if position <= start:
                break
            if position < end:
                return (typed_start, typed_end)[inside_edit]
            shift = typed_end - end
        return position + shift


def correct_function_words(lower: str) -> CorrectedText:
    """"womens runing shoes undr 90" -> "womens runing shoes under 90" (catalog words are left to
    `TypoMatcher`), with the edits that map it back."""
    pieces, edits, cursor, shift = [], [], 0, 0
    for match in _FUNCTION_WORD_TYPO.finditer(lower):
        right = FUNCTION_WORD_TYPOS[" ".join(match.group(0).split())]
        start = match.start() + shift
        pieces += [lower[cursor:match.start()], right]
        edits.append((start, start + len(right), match.start(), match.end()))
        shift += len(right) - (match.end() - match.start())
        cursor = match.end()
    if not edits:
        return CorrectedText(lower)
    return CorrectedText("".join(pieces) + lower[cursor:], tuple(edits))
