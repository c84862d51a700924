"""The held-out evaluation set: annotated utterances and the constraints they must mean.

`bot/eval/heldout.yml` maps each intent to utterances whose gold entities are marked
inline, `[under 50 quid](price_max=50;currency=GBP)`. The expected constraints of a line
are rebuilt from those entities with the same function `/api/parse` uses
(`nlu.entities.constraints_from_entities`), so the markup is the only thing to get right.
The same lines are written out in Rasa's NLU YAML for `rasa test nlu`, which scores one
entity type per token: a span's first entity is the one Rasa sees.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.entities import constraints_from_entities

DEFAULT_HELDOUT = Path(__file__).resolve().parent.parent / "bot" / "eval" / "heldout.yml"
_MARK = re.compile(r"\[(?P<surface>[^\]]+)\]\((?P<facts>[^)]+)\)")
_NUMERIC = {"price_min", "price_max", "rating_min", "ordinal", "quantity"}


class HeldoutFormatError(ValueError):
    """A held-out line whose markup cannot be read; the message names the line."""


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

    @property
    def constraints(self) -> dict:
        return constraints_from_entities([{"entity": e.entity, "value": e.value} for e in self.entities])


def _value(entity: str, raw: str):
    if entity in _NUMERIC:
        number = float(raw)
        return int(number) if number.is_integer() else number
    return raw


def parse_line(line: str, intent: str) -> HeldoutExample:
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
    return HeldoutExample(plain, intent, tuple(entities))


def load_heldout(path: Path = DEFAULT_HELDOUT) -> list[HeldoutExample]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise HeldoutFormatError(f"{path}: expected a mapping of intent -> utterances")
    return [parse_line(line, intent) for intent, lines in data.items() for line in lines]


def _rasa_markup(example: HeldoutExample) -> str:
    """The text with each span's first entity in Rasa's `[words]{"entity": .., "value": ..}` form."""
    first_per_span: dict[tuple[int, int], GoldEntity] = {}
    for entity in example.entities:
        first_per_span.setdefault((entity.start, entity.end), entity)
    out, cursor = [], 0
    for (start, end), entity in sorted(first_per_span.items()):
        annotation = json.dumps({"entity": entity.entity, "value": str(entity.value)})
        out.append(f"{example.text[cursor:start]}[{example.text[start:end]}]{annotation}")
        cursor = end
    out.append(example.text[cursor:])
    return "".join(out)


def to_rasa_nlu_yaml(examples: list[HeldoutExample]) -> str:
    """The held-out set as a Rasa 3 NLU training-data file (for `rasa test nlu --nlu`)."""
    by_intent: dict[str, list[str]] = {}
    for example in examples:
        by_intent.setdefault(example.intent, []).append(_rasa_markup(example))
    blocks = []
    for intent, lines in by_intent.items():
        body = "".join(f"    - {line}\n" for line in lines)
        blocks.append(f"- intent: {intent}\n  examples: |\n{body}")
    return 'version: "3.1"\nnlu:\n' + "".join(blocks)
