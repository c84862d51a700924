"""Soft wishes ("waterproof", "polarized", "warm"): which products say they have them.

A product mentions a wish when its title, description, material or pattern holds the wish's
words in that order, case-insensitively, each word allowing a simple stem: endings such as -ing, -ed
and -s are dropped and any ending may follow ("waterproof" finds "waterproofing", "warm"
finds "warmth", "insulated" finds "insulation", "stretchy" finds "stretch"), -ise/-ize are
the same ("polarized" finds "polarised"), and a few wishes have catalog equivalents
(`EQUIVALENTS`: a GTX membrane is waterproof). Filler words are skipped ("with a hood" finds "hooded"). Words shorter
than MIN_STEM letters must match whole, so "red" does not find "reduced". A mention negated
in its clause ("Not waterproof", "not fully waterproof", "isn't warm") does not count.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

SUFFIXES = ("ing", "ed", "es", "er", "s")
MIN_STEM = 4
FILLER = frozenset({"a", "an", "and", "the", "with", "for", "of", "in", "that", "is", "very", "really", "some",
                    "something", "one", "ones"})
NEGATIONS = frozenset({"not", "no", "non", "never", "isn", "without"})  # "isn't" reads as "isn", "t"
NEGATION_REACH = 2  # how many words before a mention can negate it ("not fully waterproof")
CLAUSE_END = re.compile(r"[.,;:!?|\n]")


# What catalogs write for a wish in other words: a Gore-Tex (GTX) membrane is waterproof, elastane
# stretches. Only true equivalents: "water-resistant" is not waterproof.
EQUIVALENTS = {"waterproof": ("gore-tex", "goretex", "gtx"), "stretchy": ("elastane", "spandex", "lycra")}


def _word_pattern(word: str) -> str:
    if len(word) < MIN_STEM:
        return word + r"\b"
    stem = next((word[:-len(end)] for end in SUFFIXES if word.endswith(end) and len(word) - len(end) >= MIN_STEM),
                word)
    if stem == word and word.endswith("y") and len(word) > MIN_STEM + 1:  # "stretchy" finds "stretch"
        stem = word[:-1]
    return re.sub(r"i[sz](?=[ea]|$)", "i[sz]", stem) + r"\w*"


@lru_cache(maxsize=256)
def wish_pattern(wish: str) -> re.Pattern | None:
    """The pattern a product's text must match to mention `wish`; None for a wish of filler only."""
    words = [w for w in re.findall(r"\w+", wish.lower()) if w not in FILLER]
    if not words:
        return None
    said = r"\W+".join(_word_pattern(w) for w in words)
    others = [re.escape(other) + r"\b" for other in EQUIVALENTS.get(" ".join(words), ())]
    return re.compile(r"\b(?:" + "|".join([said, *others]) + ")", re.IGNORECASE)


def mentioned(pattern: re.Pattern, text: str) -> bool:
    """Whether `text` matches `pattern` anywhere that is not negated."""
    for match in pattern.finditer(text):
        clause = CLAUSE_END.split(text[:match.start()])[-1]
        if not NEGATIONS.intersection(re.findall(r"\w+", clause.lower())[-NEGATION_REACH:]):
            return True
    return False


def is_purpose(wish: str) -> bool:
    """A wish said as what the product is for ("for gym", "for trip"): it ranks by meaning but
    narrows nothing, since catalogs rarely write what their products are for."""
    return wish.startswith("for ")


def mention_matrix(texts: list[str], wishes: tuple[str, ...]) -> np.ndarray:
    """For each text (rows) and wish (columns), whether the text mentions the wish."""
    patterns = [wish_pattern(wish) for wish in wishes]
    return np.array([[p is not None and mentioned(p, text) for p in patterns] for text in texts],
                    dtype=bool).reshape(len(texts), len(wishes))
