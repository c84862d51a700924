"""Load test: N concurrent simulated shoppers over the Rasa REST channel; finds the knee.

    python -m benchmarks.load_test [--levels 1,2,4,8,16] [--duration 30] [--warm-up 15] [--rasa-url URL] [--out FILE]

Without --rasa-url it starts the real assistant (Rasa and the action server, as `make run`
and the e2e tests do, on spare ports with a scratch SQLite database and the built index).

Each simulated shopper runs scripted conversations (search, refine, more, details, add to
cart, view cart) back to back with no think time, so N shoppers keep N turns in flight.
Every level first ramps up (--warm-up seconds, not measured, so all N shoppers are mid-
conversation), then is measured for a fixed time: a turn counts when it ends inside the
window. A turn is an error when it fails, times out, answers non-200 or answers nothing.

The knee is where adding shoppers stops buying throughput: the fewest shoppers that reach
KNEE_SHARE (90 %) of the best throughput of any level. Past it, more concurrency mostly
queues: latency grows roughly in proportion to the shoppers. (Against the peak rather than
level to level, so one noisy level on a shared machine does not end the search early.)
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.report import Run, percentile  # noqa: E402
from runtime.processes import process_specs  # noqa: E402
from runtime.settings import Settings  # noqa: E402
from runtime.supervisor import Supervisor  # noqa: E402

SCRIPT = [
    "men's running shoes under $100 in size 10",
    "in black",
    "show more",
    "tell me more about the first one",
    "add the first one to my cart",
    "show me my cart",
    "women's rain jacket under 150 dollars",
    "cheaper",
]
KNEE_SHARE = 0.90
TURN_TIMEOUT_S = 60
INCLUDED = [
    "N threads, each a shopper sending the script back to back with no think time over Rasa's REST webhook",
    "per turn: Rasa NLU and policies, the action server (filter masks, MiniLM query encoding, search, cart)",
    "turns that end inside the measured window of each level; errors (non-200, empty answer, timeout) counted apart",
]
EXCLUDED = [
    "the --warm-up seconds of every level (all shoppers mid-conversation before the window opens)",
    "the web app and the browser",
    "client and servers share the machine's cores, so the clients' own CPU use is in the figures",
]


@dataclasses.dataclass
class Turn:
    started: float
    seconds: float
    error: str | None


def shopper(rasa_url: str, stop: threading.Event, turns: list[Turn], lock: threading.Lock) -> None:
    session = requests.Session()
    while not stop.is_set():
        sender = f"load-{uuid.uuid4().hex[:12]}"
        for text in SCRIPT:
            if stop.is_set():
                break
            started = time.perf_counter()
            error = None
            try:
                response = session.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                        timeout=TURN_TIMEOUT_S)
                if response.status_code != 200:
                    error = f"http {response.status_code}"
                elif not response.json():
                    error = "empty answer"
            except requests.RequestException as exc:
                error = exc.__class__.__name__
            with lock:
                turns.append(Turn(started, time.perf_counter() - started, error))


def run_level(rasa_url: str, users: int, duration_s: float, warm_up_s: float) -> dict:
    stop, lock, turns = threading.Event(), threading.Lock(), []
    threads = [threading.Thread(target=shopper, args=(rasa_url, stop, turns, lock), daemon=True) for _ in range(users)]
    load_before = os.getloadavg()[0]
    for thread in threads:
        thread.start()
    time.sleep(warm_up_s)
    window_start = time.perf_counter()
    time.sleep(duration_s)
    window_end = time.perf_counter()
    stop.set()
    for thread in threads:
        thread.join(timeout=TURN_TIMEOUT_S + 5)
    inside = [t for t in turns if window_start <= t.started + t.seconds <= window_end]
    ok = [t.seconds * 1000 for t in inside if t.error is None]
    errors = [t.error for t in inside if t.error is not None]
    level = {"users": users, "turns": len(inside), "errors": len(errors),
             "error_rate": round(len(errors) / len(inside), 4) if inside else None,
             "throughput_tps": round(len(ok) / (window_end - window_start), 2),
             "loadavg_1m_before": round(load_before, 2)}
    if ok:
        level.update({"p50_ms": round(percentile(ok, 50)), "p95_ms": round(percentile(ok, 95)),
                      "p99_ms": round(percentile(ok, 99)), "mean_ms": round(statistics.fmean(ok))})
    if errors:
        level["error_kinds"] = {kind: errors.count(kind) for kind in sorted(set(errors))}
    return level


def find_knee(levels: list[dict]) -> dict | None:
    peak = max((level["throughput_tps"] for level in levels), default=0)
    return next((level for level in levels if peak and level["throughput_tps"] >= KNEE_SHARE * peak), None)


@contextlib.contextmanager
def started_assistant(timeout_s: float = 300, supervisor_for=None):
    """Rasa + action server on spare ports, scratch database, the built index (read only);
    yields Rasa's URL. `supervisor_for(specs, var_dir)` makes the supervisor (default: the
    runtime's, printing the processes' lines)."""
    from tests.e2e.conftest import free_port  # the same port picker as the e2e fixture

    with tempfile.TemporaryDirectory(prefix="omnishop-bench-") as var:
        settings = dataclasses.replace(Settings.from_env(), var_dir=Path(var), redis_url=None,
                                       database_url=f"sqlite:///{var}/omnishop.db", action_server_url="")
        rasa_port = free_port()
        specs = [s for s in process_specs(settings, rasa_port, free_port(), free_port()) if s.name != "web"]
        rasa_url = f"http://127.0.0.1:{rasa_port}"
        supervisor = supervisor_for(specs, Path(var)) if supervisor_for else Supervisor(specs, colour=False)
        with supervisor.running(timeout_s=timeout_s, warm_up_url=rasa_url):
            yield rasa_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,2,4,8,16", help="concurrent shoppers per level (default 1,2,4,8,16)")
    parser.add_argument("--duration", type=float, default=30, help="seconds per level (default 30)")
    parser.add_argument("--warm-up", type=float, default=15, help="unmeasured seconds before each level (default 15)")
    parser.add_argument("--rasa-url", help="a running Rasa server; default: start one (and an action server)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "load_test.json")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",")]
    run = Run("load_test", included=INCLUDED, excluded=EXCLUDED,
              settings={"levels": levels, "duration_s": args.duration, "warm_up_s": args.warm_up, "script": SCRIPT,
                        "assistant": args.rasa_url or "started by the benchmark (Rasa + action server, scratch SQLite)"})
    with contextlib.nullcontext(args.rasa_url) if args.rasa_url else started_assistant() as rasa_url:
        results = []
        for users in levels:
            level = run_level(rasa_url, users, args.duration, args.warm_up)
            results.append(level)
            print(f"{users:>3} shoppers: {level['throughput_tps']:>6.2f} turns/s  p50 {level.get('p50_ms', '-'):>6} ms  "
                  f"p95 {level.get('p95_ms', '-'):>6} ms  p99 {level.get('p99_ms', '-'):>6} ms  "
                  f"errors {level['errors']}/{level['turns']}  (load {level['loadavg_1m_before']})", flush=True)
    knee = find_knee(results)
    report = {"levels": results, "duration_s": args.duration, "warm_up_s": args.warm_up,
              "knee": knee and {"users": knee["users"], "throughput_tps": knee["throughput_tps"],
                                "p95_ms": knee.get("p95_ms")},
              "knee_rule": f"fewest shoppers reaching {KNEE_SHARE:.0%} of the peak throughput"}
    if knee and knee is results[-1] and len(results) > 1:
        print("knee: not reached; throughput still grew at the last level (try more shoppers)")
    elif knee:
        print(f"knee: {knee['users']} shoppers, {knee['throughput_tps']} turns/s, p95 {knee.get('p95_ms')} ms")
    run.write(report, args.out)
    return 1 if any(level["errors"] for level in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
