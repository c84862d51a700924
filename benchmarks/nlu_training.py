"""How long training the Rasa model takes, pinned to two CPU cores.

    python benchmarks/nlu_training.py [--cores 0,1] [--repeat 1] [--out benchmarks/results/nlu_training.json]

Runs `rasa train` (NLU pipeline and dialogue policies, exactly what `make train` runs)
with `--force` into a temporary folder, under `taskset -c CORES`. Wall time depends on
what else the machine is doing, so the CPU seconds the training used (user + system, from
wait4) are reported too: on two otherwise idle cores the wall time is at least
cpu_seconds / 2. Prints a table and writes JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog_build import measure  # noqa: E402  (wall time, CPU time and peak memory via wait4)

REPO = Path(__file__).resolve().parents[1]
RASA = REPO / ".venv" / "rasa" / "bin" / "rasa"


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
    load_before = os.getloadavg()[0]
    runs = []
    with tempfile.TemporaryDirectory() as work:
        for _ in range(args.repeat):
            runs.append(train_once(args.cores, Path(work)))
            print(f"wall {runs[-1]['seconds']:7.1f} s   cpu {runs[-1]['cpu_seconds']:7.1f} s   "
                  f"peak rss {runs[-1]['peak_rss_mb']:.0f} MB")
    result = {"cores": args.cores, "machine_cpus": os.cpu_count(), "load_average_before": round(load_before, 2),
              "runs": runs, "best_wall_seconds": min(r["seconds"] for r in runs),
              "cpu_seconds_over_2_cores": round(min(r["cpu_seconds"] for r in runs) / 2, 1)}
    print(f"best wall {result['best_wall_seconds']} s on cores {args.cores} (load before: {load_before:.1f}); "
          f"cpu seconds / 2 = {result['cpu_seconds_over_2_cores']} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
