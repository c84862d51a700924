"""Answers to product questions come from the catalog record, and say so when it is silent."""
from __future__ import annotations

import pytest

from actions.product_questions import answer_question, comparison

BOOT = {
    "group_id": "G-1", "title": "Ridge GTX Boot", "brand": "Summit", "material": "Suede",
    "pattern": "Solid", "rating": 4.6, "review_count": 120,
    "description": "A GORE-TEX membrane keeps feet dry. Breathable mesh lining.",
    "variants": [{"price": 150.0, "size": "9", "color": "brown"}, {"price": 150.0, "size": "10", "color": "brown"},
                 {"price": 140.0, "size": "11", "color": "black"}],
}
BOOT["in_stock"] = BOOT["variants"][:2]
TEE = {
    "group_id": "G-2", "title": "Cascade Tee", "brand": "Loomcraft", "material": "", "pattern": "",
    "rating": None, "review_count": 0, "description": "Soft jersey tee.",
    "variants": [{"price": 20.0, "size": "M", "color": "white"}], "in_stock": [],
}


@pytest.mark.parametrize("facts, question, expected", [
    (BOOT, "is it waterproof", 'Yes. The Ridge GTX Boot says: "A GORE-TEX membrane keeps feet dry."'),
    (BOOT, "will these keep my feet dry", 'Yes. The Ridge GTX Boot says: "A GORE-TEX membrane keeps feet dry."'),
    (BOOT, "are they breathable?", 'Yes. The Ridge GTX Boot says: "Breathable mesh lining."'),
    (BOOT, "are they vegan", "The catalog doesn't say whether the Ridge GTX Boot is vegan, so I can't promise it."),
    (BOOT, "what is it made of", "The Ridge GTX Boot is made of suede."),
    (BOOT, "which sizes do you have", "The Ridge GTX Boot is in stock in sizes 9, 10."),
    (BOOT, "what colours does it come in", "The Ridge GTX Boot is in stock in brown."),
    (BOOT, "how much is it", "The Ridge GTX Boot costs $150.00."),
    (BOOT, "how are the reviews", "Shoppers rate the Ridge GTX Boot 4.6 out of 5 from 120 reviews."),
    (TEE, "what material is it", "The catalog doesn't list the material of the Cascade Tee."),
    (TEE, "what sizes", "The Cascade Tee is out of stock right now."),
    (TEE, "is it any good", "The Cascade Tee has no ratings yet."),
    (TEE, "is it insulated", "The catalog doesn't say whether the Cascade Tee is insulated, so I can't promise it."),
    (BOOT, "tell me more", None),
])
def test_answers(facts, question, expected):
    assert answer_question(facts, question) == expected


def test_comparison_names_the_cheapest_and_the_best_rated():
    text, payload = comparison([BOOT, {**TEE, "in_stock": TEE["variants"]}])
    assert [row["id"] for row in payload["products"]] == ["G-1", "G-2"]
    assert text.endswith("The Cascade Tee is the cheapest; the Ridge GTX Boot is the best rated.")
