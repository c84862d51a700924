"""End-to-end turn latency over the Rasa REST channel of a running assistant.

    python benchmarks/turn_latency.py [--rasa-url http://localhost:5005 | --start] [--conversations 20] [--warm-up 1] [--out FILE]

Each conversation is a scripted shopper (search, refine, show more, details); every turn is
timed from request to full reply. The first --warm-up conversations are run but not timed.
With --start it starts Rasa and the action server itself (as benchmarks/load_test.py does:
spare ports, scratch SQLite, the built index and model) instead of using --rasa-url.
Prints p50/p95/p99 per turn kind and overall, writes JSON (with benchmarks/report.py's meta).
"""
from __future__ import annotations

import argparse
import contextlib
import sys
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.report import Run, latency_line, summarise  # noqa: E402

SCRIPT = [
    ("search", "men's running shoes under $100 in size 10"),
    ("refine", "in black"),
    ("show_more", "show more"),
    ("details", "tell me more about the first one"),
    ("search", "women's rain jacket under 150 dollars"),
    ("refine", "cheaper"),
    ("greet", "hi"),
]
INCLUDED = [
    "HTTP POST to Rasa's REST webhook until the whole reply has arrived (client on the same machine)",
    "Rasa NLU (constraint parser, MiniLM sentence features, DIET) and dialogue policies",
    "the action server round trip: real filter masks, MiniLM query encoding, planner, cards from SQLite",
    "tracker store and shop database reads/writes (SQLite unless the assistant was started otherwise)",
]
EXCLUDED = [
    "the web app, the widget and the browser (see widget_first_reply)",
    "the first --warm-up conversations (run, not timed)",
    "network distance: client and servers share one machine",
]


def add_assistant_arguments(parser: argparse.ArgumentParser) -> None:
    """--rasa-url and --start, read by `assistant(args)`."""
    parser.add_argument("--rasa-url", default="http://localhost:5005")
    parser.add_argument("--start", action="store_true",
                        help="start Rasa and the action server on spare ports instead of using --rasa-url")


def assistant(args):
    """The Rasa URL to talk to: --rasa-url, or (with --start) one this process starts and stops."""
    if not args.start:
        return contextlib.nullcontext(args.rasa_url)
    from benchmarks.load_test import started_assistant

    return started_assistant()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_assistant_arguments(parser)
    parser.add_argument("--conversations", type=int, default=20, help="timed conversations")
    parser.add_argument("--warm-up", type=int, default=1, help="untimed conversations first (default 1)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "turn_latency.json")
    args = parser.parse_args()
    run = Run("turn_latency", included=INCLUDED, excluded=EXCLUDED,
              settings={"conversations": args.conversations, "warm_up_conversations": args.warm_up,
                        "script": [text for _, text in SCRIPT],
                        "assistant": "started by the benchmark (Rasa + action server, scratch SQLite)" if args.start
                        else args.rasa_url})
    session = requests.Session()
    by_kind: dict[str, list[float]] = {}
    with assistant(args) as rasa_url:
        for number in range(args.warm_up + args.conversations):
            sender = f"bench-{uuid.uuid4().hex[:10]}"
            for kind, text in SCRIPT:
                started = time.perf_counter()
                response = session.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                        timeout=60)
                response.raise_for_status()
                if number >= args.warm_up:
                    by_kind.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    report = {"turns": {k: summarise(v) for k, v in by_kind.items()},
              "all": summarise([x for v in by_kind.values() for x in v]), "conversations": args.conversations}
    for kind, figures in report["turns"].items():
        print(latency_line(kind, figures))
    print(latency_line("all", report["all"]))
    run.write(report, args.out)


if __name__ == "__main__":
    main()
