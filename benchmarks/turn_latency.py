"""End-to-end turn latency over the Rasa REST channel of a running assistant.

    python benchmarks/turn_latency.py [--rasa-url http://localhost:5005] [--conversations 20] [--out FILE]

Each conversation is a scripted shopper (search, refine, show more, details); every turn is
timed from request to full reply. Prints p50/p95/p99 per turn kind and overall, writes JSON.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid
from pathlib import Path

import requests

SCRIPT = [
    ("search", "men's running shoes under $100 in size 10"),
    ("refine", "in black"),
    ("show_more", "show more"),
    ("details", "tell me more about the first one"),
    ("search", "women's rain jacket under 150 dollars"),
    ("refine", "cheaper"),
    ("greet", "hi"),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summarise(samples: list[float]) -> dict:
    return {"n": len(samples), "p50_ms": round(percentile(samples, 50), 1), "p95_ms": round(percentile(samples, 95), 1),
            "p99_ms": round(percentile(samples, 99), 1), "mean_ms": round(statistics.fmean(samples), 1)}


def latency_line(label: str, figures: dict) -> str:
    return f"{label:<10} p50 {figures['p50_ms']:>7} ms  p95 {figures['p95_ms']:>7} ms  p99 {figures['p99_ms']:>7} ms"


def write_report(report: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rasa-url", default="http://localhost:5005")
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "turn_latency.json")
    args = parser.parse_args()
    session = requests.Session()
    by_kind: dict[str, list[float]] = {}
    for _ in range(args.conversations):
        sender = f"bench-{uuid.uuid4().hex[:10]}"
        for kind, text in SCRIPT:
            started = time.perf_counter()
            response = session.post(f"{args.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                    timeout=60)
            response.raise_for_status()
            by_kind.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    report = {"turns": {k: summarise(v) for k, v in by_kind.items()},
              "all": summarise([x for v in by_kind.values() for x in v]), "conversations": args.conversations}
    for kind, figures in report["turns"].items():
        print(latency_line(kind, figures))
    print(latency_line("all", report["all"]))
    write_report(report, args.out)


if __name__ == "__main__":
    main()
