"""Score the shopping NLU on the held-out set through the real `POST /api/parse`.

    python -m nlu.evaluate --url http://localhost:8000 --out benchmarks/results/nlu_heldout.json
    python -m nlu.evaluate --write-rasa-nlu results/heldout_rasa.yml   # for `rasa test nlu`

Posts every held-out line to a running web app, then reports intent accuracy and macro
F1, entity precision/recall/F1 (entity type and normalised value), constraint exact-match
per field and for the whole constraints object, and every failure. It goes through the
HTTP API on purpose: what is scored is what the widget, the dialogue and Alexa receive.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

from nlu.entities import CONSTRAINT_ENTITIES
from nlu.heldout import DEFAULT_HELDOUT, HeldoutExample, load_heldout, to_rasa_nlu_yaml

CONSTRAINT_FIELDS = ("category", "brand", "color", "gender", "size", "price", "rating_min")
# Entities scored by value; currency is scored inside the price constraint (it is implied when unsaid).
SCORED_ENTITIES = tuple(e for e in CONSTRAINT_ENTITIES if e != "currency") + ("ordinal", "quantity", "width")


@dataclass
class Outcome:
    example: HeldoutExample
    intent: str | None
    confidence: float | None
    constraints: dict
    entities: list[dict] = field(default_factory=list)

    @property
    def intent_ok(self) -> bool:
        return self.intent == self.example.intent

    def field_ok(self, name: str) -> bool:
        return self.constraints.get(name) == self.example.constraints[name]

    @property
    def constraints_ok(self) -> bool:
        return all(self.field_ok(name) for name in CONSTRAINT_FIELDS)


def parse_remote(url: str, text: str, timeout: float) -> dict:
    response = requests.post(f"{url.rstrip('/')}/api/parse", json={"text": text}, timeout=timeout)
    if response.status_code != 200:
        raise RuntimeError(f"/api/parse answered {response.status_code} for {text!r}: {response.text[:200]}")
    return response.json()


def run(examples: list[HeldoutExample], url: str, timeout: float = 30.0) -> list[Outcome]:
    outcomes = []
    for example in examples:
        parsed = parse_remote(url, example.text, timeout)
        intent = parsed.get("intent") or {}
        outcomes.append(Outcome(example, intent.get("name"), intent.get("confidence"),
                                parsed.get("constraints") or {}, parsed.get("entities") or []))
    return outcomes


def _f1(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": tp + fn}


def intent_scores(outcomes: list[Outcome]) -> dict:
    labels = sorted({o.example.intent for o in outcomes})
    per_intent = {}
    for label in labels:
        tp = sum(o.intent == label and o.example.intent == label for o in outcomes)
        fp = sum(o.intent == label and o.example.intent != label for o in outcomes)
        fn = sum(o.intent != label and o.example.intent == label for o in outcomes)
        per_intent[label] = _f1(tp, fp, fn)
    return {
        "accuracy": round(sum(o.intent_ok for o in outcomes) / len(outcomes), 4),
        "macro_f1": round(sum(s["f1"] for s in per_intent.values()) / len(per_intent), 4),
        "per_intent": per_intent,
    }


def _entity_values(entities) -> Counter:
    """(type, value) pairs; values compared as text so 100 and "100" agree."""
    pairs = Counter()
    for entity in entities:
        name = entity["entity"] if isinstance(entity, dict) else entity.entity
        value = entity["value"] if isinstance(entity, dict) else entity.value
        if name in SCORED_ENTITIES:
            number = value if not isinstance(value, (int, float)) else float(value)
            pairs[(name, str(number).lower())] += 1
    return pairs


def entity_scores(outcomes: list[Outcome]) -> dict:
    per_type: dict[str, Counter] = {}
    for outcome in outcomes:
        gold, predicted = _entity_values(outcome.example.entities), _entity_values(outcome.entities)
        for key in gold | predicted:
            counts = per_type.setdefault(key[0], Counter())
            counts["tp"] += min(gold[key], predicted[key])
            counts["fp"] += max(predicted[key] - gold[key], 0)
            counts["fn"] += max(gold[key] - predicted[key], 0)
    total = sum(per_type.values(), Counter())
    return {"micro": _f1(total["tp"], total["fp"], total["fn"]),
            "per_entity": {name: _f1(c["tp"], c["fp"], c["fn"]) for name, c in sorted(per_type.items())}}


def constraint_scores(outcomes: list[Outcome]) -> dict:
    return {
        "exact_match": round(sum(o.constraints_ok for o in outcomes) / len(outcomes), 4),
        "per_field": {name: round(sum(o.field_ok(name) for o in outcomes) / len(outcomes), 4)
                      for name in CONSTRAINT_FIELDS},
    }


def failures(outcomes: list[Outcome]) -> list[dict]:
    rows = []
    for outcome in outcomes:
        if outcome.intent_ok and outcome.constraints_ok:
            continue
        wrong = {name: {"expected": outcome.example.constraints[name], "got": outcome.constraints.get(name)}
                 for name in CONSTRAINT_FIELDS if not outcome.field_ok(name)}
        rows.append({"text": outcome.example.text, "expected_intent": outcome.example.intent,
                     "intent": outcome.intent, "confidence": outcome.confidence, "constraints": wrong})
    return rows


def report(outcomes: list[Outcome]) -> dict:
    return {"utterances": len(outcomes), "intent": intent_scores(outcomes), "entities": entity_scores(outcomes),
            "constraints": constraint_scores(outcomes), "failures": failures(outcomes)}


def format_failure(row: dict) -> str:
    parts = [f"{row['text']!r}"]
    if row["intent"] != row["expected_intent"]:
        parts.append(f"intent {row['intent']} ({row['confidence']:.2f}) != {row['expected_intent']}")
    for name, diff in row["constraints"].items():
        parts.append(f"{name}: got {json.dumps(diff['got'])} want {json.dumps(diff['expected'])}")
    return " | ".join(parts)


def summary(result: dict) -> str:
    lines = [
        f"utterances                 {result['utterances']}",
        f"intent accuracy            {result['intent']['accuracy']:.4f}",
        f"intent macro F1            {result['intent']['macro_f1']:.4f}",
        f"entity micro F1            {result['entities']['micro']['f1']:.4f}",
        f"constraints exact match    {result['constraints']['exact_match']:.4f}",
    ]
    lines += [f"  {name:<24} {value:.4f}" for name, value in result["constraints"]["per_field"].items()]
    lines.append(f"failures ({len(result['failures'])}):")
    lines += [f"  {format_failure(row)}" for row in result["failures"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.evaluate", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8000", help="web app base URL (default: %(default)s)")
    parser.add_argument("--heldout", type=Path, default=DEFAULT_HELDOUT, help="held-out set (default: %(default)s)")
    parser.add_argument("--out", type=Path, help="write the JSON report here (e.g. benchmarks/results/nlu_heldout.json)")
    parser.add_argument("--write-rasa-nlu", type=Path, metavar="PATH",
                        help="only write the held-out set as Rasa NLU YAML to PATH (for `rasa test nlu --nlu PATH`)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default: %(default)s)")
    args = parser.parse_args(argv)
    examples = load_heldout(args.heldout)
    if args.write_rasa_nlu:
        args.write_rasa_nlu.parent.mkdir(parents=True, exist_ok=True)
        args.write_rasa_nlu.write_text(to_rasa_nlu_yaml(examples), encoding="utf-8")
        print(f"wrote {len(examples)} examples to {args.write_rasa_nlu}")
        return 0
    try:
        outcomes = run(examples, args.url, args.timeout)
    except (requests.RequestException, RuntimeError) as exc:
        print(f"error: cannot score against {args.url}: {exc}", file=sys.stderr)
        return 2
    result = report(outcomes)
    print(summary(result))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
