"""Score the shopping NLU on the held-out set and the tuning set through the real `POST /api/parse`.

    python -m nlu.evaluate --url http://localhost:8000 --out benchmarks/results/nlu_heldout.json
    python -m nlu.evaluate --set tuning --write-rasa-nlu results/tuning_rasa.yml   # for `rasa test nlu`

Posts every line of each set (nlu/heldout.py: the held-out set `bot/eval/heldout_shoppers.yml`
and the tuning set `bot/eval/tuning.yml`) to a running web app, then reports, per set and
separately, intent accuracy and macro F1, entity precision/recall/F1 (entity type and
normalised value), constraint exact-match per field and for the whole constraints object,
and every failure. Expected constraints are the literal data in the set files. It goes
through the HTTP API on purpose: what is scored is what the widget, the dialogue and Alexa
receive. The JSON names the commit and the model file it measured.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

from nlu.heldout import CONSTRAINT_FIELDS, EVAL_SETS, HeldoutExample, load_set, to_rasa_nlu_yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL = REPO_ROOT / "models" / "omnishop.tar.gz"
MEASURED = ("each line POSTed to /api/parse of the running assistant (Rasa model + parser + index "
            "vocabulary); intent = top intent name; entities = (type, normalised value) pairs of the "
            "constraint entity types (plus ordinal, quantity, width where the set marks them); "
            "constraints = the whole 7-field constraints object equal to the literal `expect` of the line")


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
        """One v1 field as the set states it; several sizes (`size.values`, an extension) are
        judged by the v1 `value` and `system` alone."""
        got = self.constraints.get(name)
        if name == "size" and got:
            got = {"value": got["value"], "system": got["system"]}
        return got == self.example.constraints[name]

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


def _text_value(value) -> str:
    """Values compared as text, numbers in one form: 100, 100.0 and "100" agree."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value).lower()


def _entity_values(entities, types) -> Counter:
    """(type, value) pairs of the scored types."""
    pairs = Counter()
    for entity in entities:
        name = entity["entity"] if isinstance(entity, dict) else entity.entity
        value = entity["value"] if isinstance(entity, dict) else entity.value
        if name in types:
            pairs[(name, _text_value(value))] += 1
    return pairs


def entity_scores(outcomes: list[Outcome]) -> dict:
    per_type: dict[str, Counter] = {}
    for outcome in outcomes:
        types = outcome.example.entity_types
        gold, predicted = _entity_values(outcome.example.entities, types), _entity_values(outcome.entities, types)
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
        rows.append({"line": outcome.example.line, "text": outcome.example.text, "expected_intent": outcome.example.intent,
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


def _git_state() -> dict:
    """HEAD and whether tracked files differ from it (results files excepted), as benchmarks/report.py."""
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                                  timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
    status = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)benchmarks/results")
    return {"commit": git("rev-parse", "HEAD"), "dirty": None if status is None else bool(status)}


def _sha256(path: Path) -> str | None:
    if not path.exists():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def evaluate_sets(url: str, names: list[str], timeout: float = 30.0, paths: dict[str, Path] | None = None) -> dict:
    """Score each named set separately; {"sets": {name: {label, file, sha256, ...report}}}."""
    sets = {}
    for name in names:
        path = (paths or {}).get(name) or EVAL_SETS[name][0]
        label = EVAL_SETS[name][1] if name in EVAL_SETS else str(path)
        result = report(run(load_set(path), url, timeout))
        try:
            shown = str(path.resolve().relative_to(REPO_ROOT))
        except ValueError:
            shown = str(path)
        sets[name] = {"label": label, "file": shown, "sha256": _sha256(path), **result}
    return sets


def write_document(sets: dict, out: Path, url: str | None = None) -> dict:
    """The JSON results file: a `meta` block (what was measured, commit, model) and every set's
    figures under `sets`, each labelled ("held-out set" / "tuning set")."""
    meta = {
        "benchmark": "nlu_heldout",
        "description": "NLU intent, entity and constraint scores per evaluation set, through POST /api/parse",
        "git": _git_state(),
        "finished_utc": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "python": f"{sys.implementation.name} {sys.version.split()[0]}",
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "settings": {"url": url, "model": str(MODEL.relative_to(REPO_ROOT)), "model_sha256": _sha256(MODEL)},
        "included": [MEASURED],
        "excluded": ["dialogue state: each line is parsed alone, so refine vs new search is judged without "
                     "the previous turn"],
    }
    document = {"meta": meta, "sets": sets}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.evaluate", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8000", help="web app base URL (default: %(default)s)")
    parser.add_argument("--set", choices=[*EVAL_SETS, "all"], default="all",
                        help="which set: heldout (bot/eval/heldout_shoppers.yml), tuning (bot/eval/tuning.yml) "
                             "or all, each reported separately (default: %(default)s)")
    parser.add_argument("--file", type=Path, help="score this set file instead (same format), reported as 'file'")
    parser.add_argument("--out", type=Path, help="write the JSON report here (e.g. benchmarks/results/nlu_heldout.json)")
    parser.add_argument("--write-rasa-nlu", type=Path, metavar="PATH",
                        help="only write the set (--set heldout|tuning or --file) as Rasa NLU YAML to PATH "
                             "(for `rasa test nlu --nlu PATH`)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.file:
        names, paths = ["file"], {"file": args.file}
    else:
        names, paths = (list(EVAL_SETS) if args.set == "all" else [args.set]), {}
    if args.write_rasa_nlu:
        if len(names) != 1:
            parser.error("--write-rasa-nlu needs one set: --set heldout, --set tuning or --file")
        examples = load_set(paths.get(names[0]) or EVAL_SETS[names[0]][0])
        args.write_rasa_nlu.parent.mkdir(parents=True, exist_ok=True)
        args.write_rasa_nlu.write_text(to_rasa_nlu_yaml(examples), encoding="utf-8")
        print(f"wrote {len(examples)} examples to {args.write_rasa_nlu}")
        return 0
    try:
        sets = evaluate_sets(args.url, names, args.timeout, paths)
    except (requests.RequestException, RuntimeError) as exc:
        print(f"error: cannot score against {args.url}: {exc}", file=sys.stderr)
        return 2
    for result in sets.values():
        print(f"== {result['label']}\n{summary(result)}\n")
    if args.out:
        write_document(sets, args.out, args.url)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
