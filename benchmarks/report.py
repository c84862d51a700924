"""The one way a benchmark writes its results: figures plus a `meta` block saying what was run.

    run = report.Run("turn_latency", included=[...], excluded=[...], settings={...})
    ...measure...
    run.write({"all": ...}, args.out)

`meta` records the git commit (and whether the tree had uncommitted changes), the UTC start
and end, the machine (cores, memory, CPU model), the 1-minute load average before and after
(timings on a shared machine mean little without it), the Python version and the command
line, and, in words, what the timings include and what they leave out (query encoding,
real filter masks, warm-up...). `benchmarks/render_docs.py` turns these files into
docs/benchmarks.md. Also the latency summary every timing benchmark prints.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def git_state() -> dict:
    """HEAD and whether tracked files differ from it (results files themselves excepted)."""
    def git(*argv: str) -> str | None:
        try:
            return subprocess.run(["git", *argv], cwd=REPO, capture_output=True, text=True, check=True,
                                  timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)benchmarks/results")
    return {"commit": commit, "dirty": None if status is None else bool(status)}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def machine() -> dict:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu_model": _cpu_model(), "cores": os.cpu_count(), "cores_usable": usable, "memory_gib": _memory_gib(),
            "os": f"{platform.system()} {platform.release()}", "arch": platform.machine()}


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class Run:
    """One benchmark run: notes the start (time, load) now, writes figures + meta at the end."""

    def __init__(self, benchmark: str, *, included: list[str], excluded: list[str], settings: dict | None = None,
                 description: str | None = None):
        self.benchmark, self.included, self.excluded = benchmark, list(included), list(excluded)
        self.settings, self.description = dict(settings or {}), description
        self.started, self.load_before = utc_now(), load_average()

    def meta(self) -> dict:
        return {
            "benchmark": self.benchmark,
            **({"description": self.description} if self.description else {}),
            "git": git_state(),
            "started_utc": self.started,
            "finished_utc": utc_now(),
            "machine": machine(),
            "load_average": {"before": self.load_before, "after": load_average(),
                             "note": "1, 5 and 15 minute load averages"},
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "command": " ".join(shlex.quote(a) for a in [Path(sys.executable).name, *sys.argv]),
            "settings": self.settings,
            "included": self.included,
            "excluded": self.excluded,
        }

    def write(self, figures: dict, out: Path) -> dict:
        """Write {"meta": ..., **figures} to `out` (pretty JSON) and return it."""
        document = {"meta": self.meta(), **figures}
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(document, indent=2) + "\n")
        print(f"wrote {out}")
        return document


# -- latency figures -------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: a reported figure is one that was measured)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def summarise(samples: list[float]) -> dict:
    return {"n": len(samples), "p50_ms": round(percentile(samples, 50), 1), "p95_ms": round(percentile(samples, 95), 1),
            "p99_ms": round(percentile(samples, 99), 1), "mean_ms": round(statistics.fmean(samples), 1)}


def latency_line(label: str, figures: dict) -> str:
    return (f"{label:<10} n {figures['n']:>4}  p50 {figures['p50_ms']:>7} ms  p95 {figures['p95_ms']:>7} ms  "
            f"p99 {figures['p99_ms']:>7} ms")
