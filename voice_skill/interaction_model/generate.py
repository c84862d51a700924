"""Fill the interaction model's catalog slot types from a catalog vocabulary.

    python -m voice_skill.interaction_model.generate --vocabulary var/index/current/vocabulary.json \\
        --out voice_skill/interaction_model/en-US.json [--model voice_skill/interaction_model/en-US.json]

Intents, sample utterances, the dialog model and the fixed slot types (SIZE, GENDER, ORDINAL)
are edited by hand in the model JSON; only CATEGORY, BRAND and COLOR depend on what a
retailer sells, so only their values are replaced here. Entity resolution then hands the
skill the catalog's own names (a shopper's "runners" arrives as "running shoes").
The vocabulary is the catalog build's `vocabulary.json`:
`{"brands": ["Stridewell", ...], "categories": ["Shoes > Running Shoes", ...], "colors": ["black", ...]}`.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from nlu.normalize import COLOR_SYNONYMS, normalize_color, singular
from nlu.vocabulary import CATEGORY_SYNONYMS

MODEL = Path(__file__).with_name("en-US.json")


def _slot_values(canonical_to_synonyms: dict[str, set[str]]) -> list[dict]:
    """ASK slot values; a synonym claimed by an earlier value is not repeated (Alexa would guess)."""
    claimed = {name.lower() for name in canonical_to_synonyms}
    values = []
    for name, synonyms in sorted(canonical_to_synonyms.items()):
        own = sorted(s for s in synonyms if s.lower() not in claimed)
        claimed.update(s.lower() for s in own)
        values.append({"id": name, "name": {"value": name, **({"synonyms": own} if own else {})}})
    return values


def category_values(categories: list[str]) -> list[dict]:
    """"Shoes > Running Shoes" -> "running shoes", heard also as "running shoe", "runner"..."""
    names = {path.split(">")[-1].strip().lower() for path in categories if path.strip()}
    values: dict[str, set[str]] = {}
    for name in names:
        words = name.replace("-", " ").split()
        spoken = " ".join(words[:-1] + [singular(words[-1])])
        values[name] = {form for form in (" ".join(words), spoken) if form != name}
    for word, targets in CATEGORY_SYNONYMS.items():
        target = next((t for t in targets if t in values), None)
        if target:
            values[target].add(word)
    return _slot_values(values)


def brand_values(brands: list[str]) -> list[dict]:
    """Brands keep their spelling; "Rose & Finch" is also heard as "rose and finch"."""
    return _slot_values({brand: {brand.replace("&", "and")} - {brand} for brand in brands})


def color_values(colors: list[str]) -> list[dict]:
    """Colour families ("blue"), heard also as the catalog's and shoppers' shades ("navy")."""
    values: dict[str, set[str]] = {}
    for color in colors:
        family = normalize_color(color) or color.lower()
        values.setdefault(family, set()).add(color.lower())
    for shade, family in COLOR_SYNONYMS.items():
        if family in values:
            values[family].add(shade)
    return _slot_values({family: shades - {family} for family, shades in values.items()})


def fill(model: dict, vocabulary: dict) -> dict:
    """`model` with its CATEGORY, BRAND and COLOR values replaced from `vocabulary`."""
    filled = {"CATEGORY": category_values(vocabulary.get("categories", [])),
              "BRAND": brand_values(vocabulary.get("brands", [])),
              "COLOR": color_values(vocabulary.get("colors", []))}
    for slot_type in model["interactionModel"]["languageModel"]["types"]:
        if slot_type["name"] in filled:
            slot_type["values"] = filled[slot_type["name"]]
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voice_skill.interaction_model.generate",
                                     description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vocabulary", type=Path, required=True, help="catalog vocabulary JSON")
    parser.add_argument("--out", type=Path, required=True, help="where to write the filled model")
    parser.add_argument("--model", type=Path, default=MODEL, help=f"the model to fill (default {MODEL})")
    args = parser.parse_args(argv)
    model = fill(json.loads(args.model.read_text()), json.loads(args.vocabulary.read_text()))
    args.out.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n")
    counts = {t["name"]: len(t["values"]) for t in model["interactionModel"]["languageModel"]["types"]}
    print(f"wrote {args.out}: slot values {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
