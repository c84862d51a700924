"""Build the Alexa interaction model (ASK format) with slot values from the catalog.

    python -m voice_skill.interaction_model_builder [--vocabulary var/index/current/vocabulary.json]
                                                    [--out voice_skill/interaction_model/en-US.json]

Brands, categories and colours come from the catalog's vocabulary, so a retailer's own
names are in the voice model; sample utterances are written in spoken form.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from nlu.normalize import COLOR_SYNONYMS, LETTER_SIZE_WORDS
from nlu.vocabulary import CATEGORY_SYNONYMS, CatalogVocabulary
from runtime.settings import Settings

INVOCATION_NAME = "omni shop"
SPOKEN_SIZES = [
    ("5", "five"), ("5.5", "five and a half"), ("6", "six"), ("6.5", "six and a half"), ("7", "seven"),
    ("7.5", "seven and a half"), ("8", "eight"), ("8.5", "eight and a half"), ("9", "nine"), ("9.5", "nine and a half"),
    ("10", "ten"), ("10.5", "ten and a half"), ("11", "eleven"), ("11.5", "eleven and a half"), ("12", "twelve"),
    ("13", "thirteen"), ("14", "fourteen"), ("15", "fifteen"),
]
GENDERS = {"men": ["mens", "men's", "for men", "for my husband"], "women": ["womens", "women's", "ladies", "for my wife"],
           "boys": ["boys", "for my son"], "girls": ["girls", "for my daughter"], "kids": ["kids", "children's"],
           "unisex": []}
ORDINALS = {"1": ["first", "first one"], "2": ["second", "second one"], "3": ["third", "third one"],
            "4": ["fourth"], "5": ["fifth"], "-1": ["last", "last one"]}

INTENTS = {
    "SearchProductIntent": ({"category": "CATEGORY", "color": "COLOR", "size": "SIZE", "budget": "AMAZON.NUMBER",
                             "brand": "BRAND", "gender": "GENDER"}, [
        "find {category}", "show me {category}", "i need {category}", "i'm looking for {category}",
        "find {color} {category}", "show me {gender} {category}", "find {gender} {category} in size {size}",
        "{gender} {category} under {budget} dollars", "{category} under {budget} dollars",
        "{color} {category} under {budget} dollars", "{brand} {category}", "show me {brand} {category}",
        "find {category} in size {size}", "{gender} {color} {category} size {size} under {budget} dollars",
        "i want {category} for less than {budget} dollars", "search for {category}", "shop for {category}",
    ]),
    "RefineSearchIntent": ({"color": "COLOR", "size": "SIZE", "budget": "AMAZON.NUMBER"}, [
        "in {color}", "do you have them in {color}", "what about {color}", "in size {size}", "size {size} instead",
        "what about size {size}", "under {budget} dollars instead", "make it under {budget} dollars",
    ]),
    "CheaperIntent": ({}, ["cheaper", "something cheaper", "show me cheaper ones", "less expensive", "a lower price"]),
    "ShowMoreIntent": ({}, ["more", "show more", "next", "what else", "other options", "more options"]),
    "ProductDetailsIntent": ({"ordinal": "ORDINAL"}, [
        "tell me about the {ordinal}", "tell me more about the {ordinal}", "details on the {ordinal}",
        "what is the {ordinal} made of", "describe the {ordinal}", "more about the {ordinal} one",
    ]),
    "AddToCartIntent": ({"ordinal": "ORDINAL", "size": "SIZE", "quantity": "AMAZON.NUMBER"}, [
        "add the {ordinal} to my cart", "add the {ordinal} one", "i'll take the {ordinal}", "buy the {ordinal}",
        "add the {ordinal} in size {size}", "add {quantity} of the {ordinal}", "add it to my cart", "i'll take it",
        "put the {ordinal} in my cart",
    ]),
    "RemoveFromCartIntent": ({"ordinal": "ORDINAL"}, ["remove the {ordinal} item", "take the {ordinal} out of my cart",
                                                      "empty my cart"]),
    "ViewCartIntent": ({}, ["what's in my cart", "read my cart", "my cart", "what's my total", "cart total"]),
    "CheckoutIntent": ({}, ["check out", "checkout", "place my order", "buy it now", "i'm ready to pay", "order it"]),
    "OrderStatusIntent": ({}, ["where is my order", "track my order", "order status", "has my order shipped"]),
    "CancelOrderIntent": ({}, ["cancel my order", "cancel the order", "i want to cancel my order"]),
    "ReorderIntent": ({"item": "AMAZON.SearchQuery"}, ["reorder {item}", "order {item} again",
                                                       "buy {item} again"]),
}
BUILT_INS = ["AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
             "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.NavigateHomeIntent"]


def _values(canonical_to_synonyms: dict[str, list[str]]) -> list[dict]:
    return [{"id": key, "name": {"value": key, **({"synonyms": sorted(set(s))} if s else {})}}
            for key, s in canonical_to_synonyms.items()]


def slot_types(vocabulary: CatalogVocabulary) -> list[dict]:
    categories: dict[str, list[str]] = {phrase: [] for phrase in vocabulary.category_phrases}
    for word, targets in CATEGORY_SYNONYMS.items():
        target = next((t for t in targets if t in categories), None)
        if target:
            categories[target].append(word)
    colours: dict[str, list[str]] = {c: [] for c in sorted({*vocabulary.colors, *COLOR_SYNONYMS.values()})}
    for word, family in COLOR_SYNONYMS.items():
        if family in colours and word != family:
            colours[family].append(word)
    sizes = {value: [spoken] for value, spoken in SPOKEN_SIZES}
    for word, letter in LETTER_SIZE_WORDS.items():
        if len(word) > 2:
            sizes.setdefault(letter, []).append(word)
    return [
        {"name": "CATEGORY", "values": _values(categories)},
        {"name": "BRAND", "values": _values({b: [b.replace("&", "and")] if "&" in b else [] for b in vocabulary.brands})},
        {"name": "COLOR", "values": _values(colours)},
        {"name": "SIZE", "values": _values(sizes)},
        {"name": "GENDER", "values": _values(GENDERS)},
        {"name": "ORDINAL", "values": _values(ORDINALS)},
    ]


def build_model(vocabulary: CatalogVocabulary) -> dict:
    intents = [{"name": name, "slots": [{"name": s, "type": t} for s, t in slots.items()], "samples": samples}
               for name, (slots, samples) in INTENTS.items()]
    intents += [{"name": name, "samples": []} for name in BUILT_INS]
    add_to_cart_slots = [
        {"name": "ordinal", "type": "ORDINAL", "elicitationRequired": False, "confirmationRequired": False},
        {"name": "size", "type": "SIZE", "elicitationRequired": False, "confirmationRequired": False},
        {"name": "quantity", "type": "AMAZON.NUMBER", "elicitationRequired": False, "confirmationRequired": False},
    ]
    return {"interactionModel": {
        "languageModel": {"invocationName": INVOCATION_NAME, "intents": intents, "types": slot_types(vocabulary)},
        # The dialogue core asks for what is missing and confirms orders with items and total,
        # so Alexa delegates nothing and confirms nothing itself.
        "dialog": {"delegationStrategy": "SKILL_RESPONSE",
                   "intents": [{"name": "AddToCartIntent", "confirmationRequired": False, "prompts": {},
                                "slots": add_to_cart_slots}]},
        "prompts": [],
    }}


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="python -m voice_skill.interaction_model_builder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vocabulary", type=Path, default=settings.index_dir / "current" / "vocabulary.json")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "interaction_model" / "en-US.json")
    args = parser.parse_args(argv)
    model = build_model(CatalogVocabulary.from_json(args.vocabulary))
    args.out.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n")
    types = {t["name"]: len(t["values"]) for t in model["interactionModel"]["languageModel"]["types"]}
    print(f"wrote {args.out}: {len(model['interactionModel']['languageModel']['intents'])} intents, slot values {types}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
