"""Catalog loading and index building at 10k, 100k and 1M feed rows.

    python benchmarks/catalog_build.py [--rows 10000 100000 1000000] [--build-max-rows 100000] [--out FILE]

Synthetic Merchant Center feeds come from the demo generator (several variants per
product; the results record the counts). For each size: `catalog_index check` (read and validate every row into SQLite)
and, up to --build-max-rows, a full `catalog_index build` (load, embed on the CPU, FAISS,
publish). Each run is a fresh process; wall time and peak resident memory are measured by
the parent with wait4(), with the CPU seconds the run used (user + system), which stay
comparable when other work shares the machine and wall time does not. Prints a table and
writes JSON (with benchmarks/report.py's meta).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks.report import Run  # noqa: E402

ROWS_PER_PRODUCT = 6.7  # the demo generator's average
INCLUDED = [
    "check: a fresh `python -m catalog_index check` process (interpreter start, imports, reading and validating "
    "every row into a scratch SQLite database)",
    "build: a fresh `python -m catalog_index build` process (load, MiniLM embedding on the CPU, FAISS index, "
    "vocabulary, manifest, publish)",
    "wall time, CPU seconds (user + system) and peak RSS of that process, from wait4()",
]
EXCLUDED = [
    "generating the synthetic feed (demo generator)",
    "builds of feeds above --build-max-rows (check only)",
    "the servers noticing and loading the new build",
]


def measure(argv: list[str], env: dict) -> dict:
    load_at_start = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{output[-2000:]}")
    return {"seconds": round(seconds, 1), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "load_average_at_start": round(load_at_start, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "summary": output.strip().splitlines()[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--build-max-rows", type=int, default=100_000,
                        help="build (with embedding) only feeds up to this many rows")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "catalog_build.json")
    args = parser.parse_args()
    run = Run("catalog_build", included=INCLUDED, excluded=EXCLUDED,
              settings={"rows": args.rows, "build_max_rows": args.build_max_rows, "feed": "data.demo_catalog.generate_feed"})
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    results = []
    with tempfile.TemporaryDirectory() as work:
        for rows in args.rows:
            feed = Path(work) / f"feed-{rows}.tsv"
            products = max(1, round(rows / ROWS_PER_PRODUCT))
            subprocess.run([python, "-m", "data.demo_catalog.generate_feed", "--out", str(feed), "--products", str(products)],
                           cwd=REPO, env=env, check=True, capture_output=True)
            actual_rows = sum(1 for _ in feed.open()) - 1
            entry = {"rows": actual_rows, "products": products, "feed_mb": round(feed.stat().st_size / 2**20, 1),
                     "check": measure([python, "-m", "catalog_index", "check", "--catalog", str(feed), "--no-progress"], env)}
            if rows <= args.build_max_rows:
                entry["build"] = measure([python, "-m", "catalog_index", "build", "--catalog", str(feed), "--out",
                                          str(Path(work) / f"index-{rows}"), "--no-progress"], env)
            results.append(entry)
            build = entry.get("build", {})
            print(f"{actual_rows:>9} rows {products:>7} products  check {entry['check']['seconds']:>7} s "
                  f"{entry['check']['peak_rss_mb']:>7} MB   build {build.get('seconds', '-'):>7} s "
                  f"{build.get('peak_rss_mb', '-'):>7} MB", flush=True)
    run.write({"results": results}, args.out)


if __name__ == "__main__":
    main()
