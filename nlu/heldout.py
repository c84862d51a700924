"""The NLU evaluation sets: utterances, their intent and the constraints they must mean.

Two sets live in `bot/eval/` (docs/nlu-evaluation.md says which figure comes from which):

- `heldout_shoppers.yml`, the **held-out set**: shopper language written without looking
  at the training data, frozen 2026-12-01 before the parser or the model ever saw it
  (its SHA-256 is pinned in tests/nlu/test_heldout_set.py). The honest figure.
- `tuning.yml`, the **tuning set**: the former held-out set, which the parser was fixed
  against line by line and the training data was written for. Its figures are
  tuning-set figures.

Both have one format, a list under `examples:` of

    {text: "[ladies](gender=women) boots", intent: search_product, expect: {gender: women, category: boots}}

`expect` is the LITERAL constraints object `/api/parse` must return (interfaces.md §3);
a field left out is expected to be null, and `price` and `size` are written whole. The
evaluator compares against that data and never recomputes it with the product's own
functions. Inline markup in `text` (`[under 50 quid](price_max=50;currency=GBP)`) gives
gold entities for entity F1 and `rasa test nlu`; in a set without any markup (the held-out
set) the gold entities are read off `expect`, and only constraint entity types are scored.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EVAL_DIR = Path(__file__).resolve().parent.parent / "bot" / "eval"
HELDOUT_SET = EVAL_DIR / "heldout_shoppers.yml"
TUNING_SET = EVAL_DIR / "tuning.yml"
DEFAULT_HELDOUT = HELDOUT_SET
# name -> (file, label used in reports and docs)
EVAL_SETS: dict[str, tuple[Path, str]] = {
    "heldout": (HELDOUT_SET, "held-out set (bot/eval/heldout_shoppers.yml, frozen 2026-12-01)"),
    "tuning": (TUNING_SET, "tuning set (bot/eval/tuning.yml; parser and training data were fitted to it)"),
}

CONSTRAINT_FIELDS = ("category", "brand", "color", "gender", "size", "price", "rating_min")
# Entity types scored by value. Currency is scored inside the price constraint.
MARKUP_ENTITY_TYPES = ("category", "brand", "color", "gender", "size", "size_system", "price_min", "price_max",
                       "rating_min", "ordinal", "quantity", "width")
CONSTRAINT_ENTITY_TYPES = MARKUP_ENTITY_TYPES[:9]

_MARK = re.compile(r"\[(?P<surface>[^\]]+)\]\((?P<facts>[^)]+)\)")
_NUMERIC = {"price_min", "price_max", "rating_min", "ordinal", "quantity"}


class HeldoutFormatError(ValueError):
    """An evaluation line that cannot be read; the message names the line."""


@dataclass(frozen=True)
class GoldEntity:
    entity: str
    value: object
    start: int
    end: int


@dataclass(frozen=True)
class HeldoutExample:
    text: str
    intent: str
    entities: tuple[GoldEntity, ...]
    expected: dict = field(default_factory=dict, compare=False)
    line: int | None = None
    entity_types: tuple[str, ...] = MARKUP_ENTITY_TYPES

    @property
    def constraints(self) -> dict:
        """The expected constraints object, as written in the set."""
        return self.expected


def _value(entity: str, raw: str):
    if entity in _NUMERIC:
        number = float(raw)
        return int(number) if number.is_integer() else number
    return raw


def parse_line(line: str, intent: str, expected: dict | None = None, number: int | None = None) -> HeldoutExample:
    """`"[ladies](gender=women) boots"` -> text "ladies boots" with a gender entity on "ladies"."""
    plain, entities, cursor = "", [], 0
    for match in _MARK.finditer(line):
        plain += line[cursor:match.start()]
        surface = match.group("surface")
        for fact in match.group("facts").split(";"):
            name, equals, raw = (part.strip() for part in fact.partition("="))
            if not equals or not name or not raw:
                raise HeldoutFormatError(f"{line!r}: '{fact}' is not entity=value")
            entities.append(GoldEntity(name, _value(name, raw), len(plain), len(plain) + len(surface)))
        plain += surface
        cursor = match.end()
    plain += line[cursor:]
    if "[" in plain or "](" in plain:
        raise HeldoutFormatError(f"{line!r}: unbalanced entity markup")
    return HeldoutExample(plain, intent, tuple(entities), dict(expected or {}), number)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def literal_constraints(expect, where: str = "") -> dict:
    """`expect` as written -> the full constraints object (absent fields null), checked for shape."""
    if expect is None:
        expect = {}
    if not isinstance(expect, dict):
        raise HeldoutFormatError(f"{where}: expect must be a mapping")
    unknown = set(expect) - set(CONSTRAINT_FIELDS)
    if unknown:
        raise HeldoutFormatError(f"{where}: unknown constraint fields {sorted(unknown)}")
    out = {name: expect.get(name) for name in CONSTRAINT_FIELDS}
    for name in ("category", "gender"):
        if out[name] is not None and not isinstance(out[name], str):
            raise HeldoutFormatError(f"{where}: {name} must be a string")
    for name in ("brand", "color"):
        value = out[name]
        if value is not None and (not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value)):
            raise HeldoutFormatError(f"{where}: {name} must be a non-empty list of strings")
    size = out["size"]
    if size is not None and (not isinstance(size, dict) or set(size) != {"value", "system"}
                             or not isinstance(size["value"], str)):
        raise HeldoutFormatError(f"{where}: size must be {{value: \"<text>\", system: US|UK|EU|null}}")
    price = out["price"]
    if price is not None:
        if not isinstance(price, dict) or set(price) != {"min", "max", "currency"}:
            raise HeldoutFormatError(f"{where}: price must be written whole: {{min, max, currency}}")
        if not all(price[k] is None or _is_number(price[k]) for k in ("min", "max")) or \
                (price["min"] is None and price["max"] is None) or not isinstance(price["currency"], str):
            raise HeldoutFormatError(f"{where}: price needs a number min or max and a currency")
    if out["rating_min"] is not None and not _is_number(out["rating_min"]):
        raise HeldoutFormatError(f"{where}: rating_min must be a number")
    return out


def entities_from_constraints(constraints: dict) -> tuple[GoldEntity, ...]:
    """Gold (type, value) pairs read off a literal constraints object (no spans: start = end = -1)."""
    pairs: list[tuple[str, object]] = []
    if constraints.get("category"):
        pairs.append(("category", constraints["category"]))
    pairs += [("brand", b) for b in constraints.get("brand") or []]
    pairs += [("color", c) for c in constraints.get("color") or []]
    if constraints.get("gender"):
        pairs.append(("gender", constraints["gender"]))
    size = constraints.get("size")
    if size:
        pairs.append(("size", size["value"]))
        if size.get("system"):
            pairs.append(("size_system", size["system"]))
    price = constraints.get("price")
    if price:
        pairs += [(f"price_{bound}", price[bound]) for bound in ("min", "max") if price[bound] is not None]
    if constraints.get("rating_min") is not None:
        pairs.append(("rating_min", constraints["rating_min"]))
    return tuple(GoldEntity(name, value, -1, -1) for name, value in pairs)


def _item_lines(text: str) -> list[int]:
    """1-based line number of each item of `examples:`, from the YAML node marks."""
    root = yaml.compose(text)
    for key, value in getattr(root, "value", []):
        if getattr(key, "value", None) == "examples":
            return [item.start_mark.line + 1 for item in value.value]
    return []


def load_set(path: Path = DEFAULT_HELDOUT) -> list[HeldoutExample]:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("examples"), list):
        raise HeldoutFormatError(f"{path}: expected `examples:` with a list of {{text, intent, expect}}")
    lines = _item_lines(text)
    # a set whose lines carry markup is scored on its markup (lines without any have no entities)
    marked = any(isinstance(item, dict) and _MARK.search(str(item.get("text", ""))) for item in data["examples"])
    examples = []
    for index, item in enumerate(data["examples"]):
        number = lines[index] if index < len(lines) else None
        where = f"{path.name}:{number}"
        if not isinstance(item, dict) or set(item) != {"text", "intent", "expect"}:
            raise HeldoutFormatError(f"{where}: each example is {{text, intent, expect}}, got {item!r}")
        if not isinstance(item["text"], str) or not isinstance(item["intent"], str):
            raise HeldoutFormatError(f"{where}: text and intent must be strings")
        expected = literal_constraints(item["expect"], where)
        example = parse_line(item["text"], item["intent"], expected, number)
        if not marked:
            example = HeldoutExample(example.text, example.intent, entities_from_constraints(expected), expected,
                                     number, CONSTRAINT_ENTITY_TYPES)
        examples.append(example)
    return examples


def load_heldout(path: Path = DEFAULT_HELDOUT) -> list[HeldoutExample]:
    """The held-out set (or the set at `path`)."""
    return load_set(path)


def load_tuning(path: Path = TUNING_SET) -> list[HeldoutExample]:
    return load_set(path)


def _rasa_markup(example: HeldoutExample) -> str:
    """The text with each span's first entity in Rasa's `[words]{"entity": .., "value": ..}` form."""
    first_per_span: dict[tuple[int, int], GoldEntity] = {}
    for entity in example.entities:
        if entity.start >= 0:  # entities read off `expect` have no span
            first_per_span.setdefault((entity.start, entity.end), entity)
    out, cursor = [], 0
    for (start, end), entity in sorted(first_per_span.items()):
        annotation = json.dumps({"entity": entity.entity, "value": str(entity.value)})
        out.append(f"{example.text[cursor:start]}[{example.text[start:end]}]{annotation}")
        cursor = end
    out.append(example.text[cursor:])
    return "".join(out)


def to_rasa_nlu_yaml(examples: list[HeldoutExample]) -> str:
    """A set as a Rasa 3 NLU training-data file (for `rasa test nlu --nlu`). Lines without
    markup carry no entity spans, so for the held-out set Rasa scores intents only."""
    by_intent: dict[str, list[str]] = {}
    for example in examples:
        by_intent.setdefault(example.intent, []).append(_rasa_markup(example))
    blocks = []
    for intent, lines in by_intent.items():
        body = "".join(f"    - {line}\n" for line in lines)
        blocks.append(f"- intent: {intent}\n  examples: |\n{body}")
    return 'version: "3.1"\nnlu:\n' + "".join(blocks)
