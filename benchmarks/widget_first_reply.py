"""Time to first reply in the browser: Debian's Chromium drives the widget on the demo
storefront; each turn is timed from the click on Send to the first bot bubble painted.

    .venv/app/bin/python -m benchmarks.widget_first_reply [--turns 20] [--url http://localhost:8000] [--out FILE]

Without --url it starts the real services (Rasa, action server, web app) on spare ports with
a temporary database, like the end-to-end tests. Prints p50/p95 of the first reply, of the
/api/chat round trip inside it, and of the widget's own share (the difference); writes JSON
with the widget's size (raw and gzip) alongside, and benchmarks/report.py's meta.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.report import Run, summarise  # noqa: E402
from runtime.processes import process_specs  # noqa: E402
from runtime.settings import REPO_ROOT, Settings  # noqa: E402
from runtime.supervisor import Supervisor  # noqa: E402
from tests.e2e.conftest import free_port  # noqa: E402

WIDGET = REPO_ROOT / "web" / "static" / "widget.js"
BROWSER_TESTS = REPO_ROOT / "tests" / "browser"
INCLUDED = [
    "from the click on Send to the frame after the first bot bubble is added (page clock, Chromium headless)",
    "the widget's request and rendering, the web app's /api/chat, Rasa and the action server",
    "each search in a new conversation (widget reset); the first turn is timed too",
]
EXCLUDED = [
    "loading the storefront and the widget script (page opened once before timing)",
    "network distance: browser and servers share one machine",
    "service start-up and the supervisor's warm-up turn",
]


def widget_size() -> dict:
    raw = WIDGET.read_bytes()
    return {"raw_bytes": len(raw), "gzip9_bytes": len(gzip.compress(raw, compresslevel=9, mtime=0))}


@contextlib.contextmanager
def running_web_app(url: str | None):
    """The web app at `url`, or the three real services started on spare ports."""
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="omnishop-bench-") as var:
        settings = dataclasses.replace(Settings.from_env(), var_dir=Path(var), action_server_url="",
                                       database_url=f"sqlite:///{Path(var) / 'omnishop.db'}")
        rasa_port, action_port, web_port = free_port(), free_port(), free_port()
        supervisor = Supervisor(process_specs(settings, rasa_port, action_port, web_port), colour=False)
        supervisor.start()
        try:
            if not supervisor.wait_healthy(timeout_s=300):
                raise SystemExit("the assistant did not become healthy; see the logs above")
            supervisor.warm_up(f"http://127.0.0.1:{rasa_port}")
            yield f"http://127.0.0.1:{web_port}"
        finally:
            supervisor.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=20, help="searches to time (default: %(default)s)")
    parser.add_argument("--url", help="storefront of an already running web app (default: start the services)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "widget_first_reply.json")
    args = parser.parse_args()
    if args.turns < 1:
        parser.error("--turns must be at least 1")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        parser.error("Debian's chromium is not installed (apt-get install chromium)")
    if not (BROWSER_TESTS / "node_modules" / "playwright-core").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BROWSER_TESTS, check=True,
                       env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"})
    run = Run("widget_first_reply", included=INCLUDED, excluded=EXCLUDED,
              settings={"turns": args.turns, "chromium": chromium,
                        "assistant": args.url or "started by the benchmark (three services, scratch SQLite)"})
    with running_web_app(args.url) as url:
        node = subprocess.run(["node", "benchmarks/widget_first_reply.mjs", url, str(args.turns)], cwd=REPO_ROOT,
                             capture_output=True, text=True, env={**os.environ, "CHROMIUM": chromium})
    if node.returncode:
        raise SystemExit(node.stdout + node.stderr)
    samples = json.loads(next(l for l in node.stdout.splitlines() if l.startswith("RESULT "))[7:])["samples"]
    first = [s["first_reply_ms"] for s in samples]
    api = [s["api_chat_ms"] for s in samples if s["api_chat_ms"] is not None]
    widget_share = [s["first_reply_ms"] - s["api_chat_ms"] for s in samples if s["api_chat_ms"] is not None]
    report = {"first_reply": summarise(first), "api_chat_round_trip": summarise(api),
              "widget_share": summarise(widget_share), "widget_size": widget_size(), "turns": args.turns,
              "samples": samples}
    for name in ("first_reply", "api_chat_round_trip", "widget_share"):
        figures = report[name]
        print(f"{name:<20} p50 {figures['p50_ms']:>8} ms  p95 {figures['p95_ms']:>8} ms  (n={figures['n']})")
    size = report["widget_size"]
    print(f"widget.js            {size['raw_bytes']} bytes raw, {size['gzip9_bytes']} bytes gzip -9")
    run.write(report, args.out)


if __name__ == "__main__":
    main()
