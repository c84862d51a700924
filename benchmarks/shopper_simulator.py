"""Simulated shoppers (an agenda-based user simulator) played against the real assistant.

    python benchmarks/shopper_simulator.py                          # 5,000 shoppers, seed 1
    python benchmarks/shopper_simulator.py --conversations 100 --out /tmp/sim100.json
    python benchmarks/shopper_simulator.py --rasa-url http://localhost:5005 --index var/index

Each shopper has a goal drawn from the build's catalog.sqlite with a seeded random (a target
product and in-stock variant, the constraints it will reveal, a persona; see
benchmarks/simulator/goals.py) and plays it out over Rasa's REST webhook: it reveals its
constraints (all at once or one a turn, with typos, budgets and sizes as people write them),
answers the assistant's questions, maybe switches topic, corrects itself, sorts, compares and
asks for more, then adds a product, checks out and confirms. After every reply the invariants
of benchmarks/simulator/invariants.py are checked; a conversation succeeds when it ends with
a correct order and nothing was violated. The same seed and catalog draw the same shoppers.

Without --rasa-url the benchmark starts its own scratch assistant exactly as
benchmarks/conversations_heldout.py does (Rasa and the action server on spare ports, a fresh
SQLite shop, the built index read only, models/omnishop.tar.gz). Conversations are played one
after another (one shopper on an otherwise idle machine, so the latencies are a single
shopper's); --workers N plays N at once for speed, and then the latencies were measured under
that concurrency (the results say so).

Prints and writes JSON (default benchmarks/results/shopper_simulator.json, with report.Run's
meta): conversations, success rate, outcomes, invariant violations by class (counts and
example conversations with the failing turn), the constraint violations in any product shown
(on their own), act failures (comparison, sort, show more), turn latency p50/p95/p99 and the
wall time; with --transcripts, every conversation's transcript too.
"""
from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks.report import Run, latency_line  # noqa: E402
from benchmarks.simulator.catalog import ShopCatalog  # noqa: E402
from benchmarks.simulator.goals import simulate  # noqa: E402
from benchmarks.simulator.play import figures, play_all, webhook  # noqa: E402

DEFAULT_OUT = REPO / "benchmarks" / "results" / "shopper_simulator.json"


def print_figures(result: dict) -> None:
    print(f"conversations: {result['conversations']}, succeeded {result['successes']} "
          f"({result['success_rate']:.1%}); outcomes {result['outcomes']}")
    shown = result["constraint_violations_in_products_shown"]
    print(f"constraint violations in any product shown: {shown['count']} card check(s) in {shown['turns']} turn(s) "
          f"of {shown['conversations']} conversation(s)")
    for title, key in (("invariant violations by class", "violations_by_class"),
                       ("act failures by class", "act_failures_by_class")):
        print(f"{title}:")
        for cls, info in result[key].items():
            example = info["examples"][0]
            print(f"  {cls:<26} {info['count']:>5} in {info['conversations']:>4} conversation(s), e.g. "
                  f"{example['conversation']} turn {example['turn']}: {example['say']!r} -> {example['problem'][:160]}")
    print(latency_line("turns", result["latency"]))
    print(f"wall time {result['wall_seconds']} s (playing {result['play_seconds']} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="conversations at once (default 1: latency of one "
                        "shopper on an idle machine)")
    parser.add_argument("--rasa-url", help="a running assistant's Rasa server; default: start one")
    parser.add_argument("--index", type=Path, help="index directory whose current/catalog.sqlite goals are drawn "
                        "from and cards checked against (default: the settings' index; with --rasa-url give the one "
                        "it serves)")
    parser.add_argument("--transcripts", action="store_true", help="write every conversation's transcript")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    from benchmarks.conversations_heldout import started_assistant
    from index_artefact.layout import CATALOG_DB, current_build
    from runtime.settings import Settings

    catalog = ShopCatalog(current_build(args.index or Settings.from_env().index_dir) / CATALOG_DB)
    goals = simulate(args.seed, args.conversations, catalog)
    run = Run("shopper_simulator",
              settings={"conversations": args.conversations, "seed": args.seed, "workers": args.workers,
                        "catalog": str(catalog.path),
                        "assistant": args.rasa_url or "started by the benchmark (Rasa, action server; spare ports, "
                                                      "fresh SQLite)"},
              included=["every turn, from HTTP POST to Rasa's REST webhook to the full reply",
                        "each card shown checked against the build's catalog.sqlite for every constraint said so far",
                        "the echoed query, the target's reachability and the final cart and order checked",
                        "a conversation succeeds only with a correct order and no invariant violated"],
              excluded=["the web app and widget (turns go to Rasa directly)", "think time between turns",
                        *([f"latency measured with {args.workers} conversations at once, not one idle shopper"]
                          if args.workers > 1 else [])])
    started = time.monotonic()
    done = []

    def progress(record: dict) -> None:
        done.append(record["success"])
        if len(done) % 25 == 0 or len(done) == len(goals):
            print(f"  {len(done):>5}/{len(goals)} played, {sum(done) / len(done):.1%} succeeded", flush=True)

    with contextlib.nullcontext(args.rasa_url) if args.rasa_url else started_assistant([]) as rasa_url:
        print(f"assistant ready after {time.monotonic() - started:.0f} s; playing {len(goals)} shoppers "
              f"(seed {args.seed}, {args.workers} at a time)", flush=True)
        playing = time.monotonic()
        records = play_all(goals, webhook(rasa_url), catalog, args.workers, progress)
        play_seconds = round(time.monotonic() - playing, 1)
    result = {**figures(records), "play_seconds": play_seconds, "wall_seconds": round(time.monotonic() - started, 1)}
    print_figures(result)
    if args.transcripts:
        result["transcripts"] = records
    run.write(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
