"""Misspelt catalog words are still understood; everyday words are never "corrected"."""
from __future__ import annotations

import pytest

from nlu.constraints import extract_constraints
from nlu.typos import FUNCTION_WORD_TYPOS, TypoMatcher, correct_function_words, typo_distance
from nlu.vocabulary import CatalogVocabulary
from tests.demo_categories import DEMO_PRODUCT_TYPES

VOCABULARY = CatalogVocabulary.from_dict({"brands": ["Stridewell", "Northpeak", "Kestrel Outdoor", "Pacefield"],
                                          "categories": list(DEMO_PRODUCT_TYPES)})


@pytest.mark.parametrize("utterance, field, expected", [
    ("sneekers", "category", "sneakers"),           # a vowel slip
    ("jakcet", "category", "jackets"),              # swapped letters
    ("backpak for school", "category", "backpacks"),
    ("womens sandels", "category", "sandals"),
    ("trial running shoes", "category", "trail running shoes"),
    ("mens hikin boots", "category", "hiking boots"),
    ("stridewel shoes", "brand", ["Stridewell"]),
    ("north peak parka", "brand", ["Northpeak"]),   # a brand split in two
    ("pacefeild runners", "brand", ["Pacefield"]),
])
def test_small_misspellings_of_catalog_words_are_understood(utterance, field, expected):
    assert extract_constraints(utterance, VOCABULARY).constraints[field] == expected


@pytest.mark.parametrize("utterance, field, expected", [
    ("show me shoes", "category", "shoes"),         # "show" is not "shoe"
    ("dress size 6", "category", "dresses"),        # "size" is not "shoe"
    ("womens running shoes in a 7", "category", "running shoes"),  # no swallowing a neighbour
    ("sports bag", "category", "backpacks"),        # "sports" is not "shorts"
    ("this sucks", "category", None),               # short words are never corrected
    ("kestrel coat", "brand", ["Kestrel Outdoor"]),
])
def test_everyday_words_are_not_read_as_typos(utterance, field, expected):
    assert extract_constraints(utterance, VOCABULARY).constraints[field] == expected


def test_a_typo_between_two_catalog_words_is_not_guessed():
    matcher = TypoMatcher({"marlow": "Marlow", "marlew": "Marlew & Co"})
    assert matcher.lookup("marlows") == "Marlow"
    assert matcher.lookup("marlaw") is None   # as close to both


def test_vowel_slips_cost_half_an_edit():
    assert typo_distance("sandles", "sandals", 2) == 1.0
    assert typo_distance("jakcet", "jacket", 2) == 1.0
    assert typo_distance("sneakers", "sneakers", 2) == 0.0
    assert typo_distance("completely", "different", 2) == 3


@pytest.mark.parametrize("typed, corrected", [
    ("undr 90", "under 90"), ("les  than 50", "less than 50"), ("btwn 50 and 80", "between 50 and 80"),
    ("chepest first", "cheapest first"), ("no mor than 80", "no more than 80"), ("atleast 4", "at least 4"),
    # real words and words that merely start alike stay as typed
    ("over the oven", "over the oven"), ("under the bellows", "under the bellows"), ("belong", "belong"),
    ("lesson plan", "lesson plan"), ("upton", "upton"), ("bellow's", "bellow's"),
])
def test_function_words_are_corrected_from_the_table_only(typed, corrected):
    assert correct_function_words(typed).text == corrected


def test_a_span_of_the_corrected_text_maps_back_to_the_words_as_typed():
    typed = "boots undr 90 btwn colours"
    corrected = correct_function_words(typed)
    for word in ("boots", "under 90", "between", "colours", "90"):
        start = corrected.text.index(word)
        typed_start, typed_end = corrected.typed_span(start, start + len(word))
        assert typed[typed_start:typed_end] == {"under 90": "undr 90", "between": "btwn"}.get(word, word)
    assert corrected.typed_span(6, 8) == (6, 10)  # part of a corrected word is the whole word


def test_every_function_word_typo_is_corrected_to_a_different_word():
    for typo, right in FUNCTION_WORD_TYPOS.items():
        assert typo != right and correct_function_words(typo).text == right
