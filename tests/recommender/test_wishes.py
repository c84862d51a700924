"""Which product texts mention a wish: simple stems, -ise/-ize, phrases, and negated mentions
(the demo catalog says "Not waterproof" about hundreds of products)."""
from __future__ import annotations

import pytest

from recommender.wishes import mention_matrix


@pytest.mark.parametrize("wish, text, mentioned", [
    ("waterproof", "Fully waterproof 2.5-layer shell", True),
    ("waterproof", "Waterproofing treatment on the upper", True),
    ("Waterproof", "A WATERPROOF membrane", True),
    ("polarized", "Polarised lenses. 100% UV protection.", True),
    ("polarised", "polarized lenses", True),
    ("warm", "Lasting warmth on cold mornings", True),
    ("warmer", "warm without bulk", True),
    ("insulated", "Synthetic insulation in the body", True),
    ("water resistant", "Water-resistant DWR-treated upper", True),
    ("with a hood", "Adjustable hooded collar", True),
    ("shoes", "a shoe for every day", True),
    ("waterproof", "Not waterproof: the mesh upper is made to breathe.", False),
    ("waterproof", "Water-resistant finish; not fully waterproof.", False),
    ("waterproof", "It isn't waterproof", False),
    ("waterproof", "Not waterproof. The gaiter is waterproof.", True),  # a later, plain mention counts
    ("waterproof", "Water-resistant upper", False),
    ("red", "Reduced price, redwood brown", False),
    ("red", "Available in red", True),
    ("vegan", "Full-grain leather", False),
    ("a", "anything", False),  # a wish of filler words only mentions nothing
    # -y adjectives and the words catalogs use for the same thing
    ("stretchy", "Four-way stretch denim", True),
    ("sporty", "A sport fit for the gym", True),
    ("party", "Made in part from recycled cotton", False),
    ("waterproof", "Gore-Tex membrane keeps feet dry", True),
    ("waterproof", "Cedar Trail GTX Trail Running Shoe", True),
    ("stretchy", "Cotton with 2% elastane", True),
])
def test_a_wish_is_mentioned(wish, text, mentioned):
    assert mention_matrix([text], (wish,)).tolist() == [[mentioned]]


def test_the_matrix_says_which_wishes_each_text_mentions():
    texts = ["Waterproof and warm", "Warm fleece", "Cotton tee"]
    assert mention_matrix(texts, ("waterproof", "warm")).tolist() == [[True, True], [False, True], [False, False]]
    assert mention_matrix(texts, ()).shape == (3, 0)
