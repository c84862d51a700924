"""How long training the Rasa model takes, pinned to two CPU cores.

    python benchmarks/nlu_training.py [--cores 0,1] [--repeat 1] [--out benchmarks/results/nlu_training.json]

Runs `rasa train` (NLU pipeline and dialogue policies, exactly what `make train` runs)
with `--force` into a temporary folder, under `taskset -c CORES`. Wall time depends on
what else the machine is doing, so the CPU seconds the training used (user + system, from
wait4) are reported too: on two otherwise idle cores the wall time is at least
cpu_seconds / 2. Prints a table and writes JSON (with benchmarks/report.py's meta).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks.catalog_build import measure  # noqa: E402  (wall time, CPU time and peak memory via wait4)
from benchmarks.report import Run  # noqa: E402

RASA = REPO / ".venv" / "rasa" / "bin" / "rasa"
INCLUDED = [
    "a fresh `rasa train --force` process (config.yml, bot/domain, bot/data): NLU pipeline incl. MiniLM features "
    "and dialogue policies, packing the model file",
    "wall time, CPU seconds (user + system) and peak RSS from wait4(), pinned with taskset to --cores",
]
EXCLUDED = [
    "Rasa's cache (--force retrains every component)",
    "loading the trained model into a server",
]


def train_once(cores: str, out: Path) -> dict:
    argv = [str(RASA), "train", "--force", "--config", "config.yml", "--domain", "bot/domain", "--data", "bot/data",
            "--out", str(out), "--fixed-model-name", "benchmark"]
    if shutil.which("taskset"):
        argv = ["taskset", "-c", cores, *argv]
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "RASA_TELEMETRY_ENABLED": "false"}
    return measure(argv, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cores", default="0,1", help="CPU list for taskset (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="training runs (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "nlu_training.json")
    args = parser.parse_args()
    run = Run("nlu_training", included=INCLUDED, excluded=EXCLUDED,
              settings={"cores": args.cores, "repeat": args.repeat, "taskset": bool(shutil.which("taskset"))})
    runs = []
    with tempfile.TemporaryDirectory() as work:
        for _ in range(args.repeat):
            runs.append(train_once(args.cores, Path(work)))
            print(f"wall {runs[-1]['seconds']:7.1f} s   cpu {runs[-1]['cpu_seconds']:7.1f} s   "
                  f"peak rss {runs[-1]['peak_rss_mb']:.0f} MB")
    result = {"runs": runs, "best_wall_seconds": min(r["seconds"] for r in runs),
              "cpu_seconds_over_2_cores": round(min(r["cpu_seconds"] for r in runs) / 2, 1)}
    print(f"best wall {result['best_wall_seconds']} s on cores {args.cores} (load before: {run.load_before[0]:.1f}); "
          f"cpu seconds / 2 = {result['cpu_seconds_over_2_cores']} s")
    run.write(result, args.out)


if __name__ == "__main__":
    main()
