"""A small compiled kernel for the exact plan: mask to rows, and float16 row scores.

At a million products a 1% filter leaves 10,000 candidates whose float16 vectors sit at
scattered addresses of a 768 MB matrix. torch scores them by gathering the rows into a new
matrix and multiplying, and numpy turns the mask into row `row_scorer.c` does both without the intermediate copy, prefetching rows ahead and
widening float16 to float32 in registers (AVX2/F16C); the gain per filter selectivity is in
benchmarks/results/recommender_search*.json (docs/benchmarks.md).

Build, separate from serving: `python -m recommender.row_scorer build` compiles it with the
system C compiler into the venv (scripts/bootstrap.sh does this). Where there is no
compiler, the CPU is not x86-64 with AVX2, or OMNISHOP_ROW_SCORER=torch, `native()` is
None and the planner uses its torch path: the same results, slower.
"""
from __future__ import annotations

import argparse
import ctypes
import hashlib
import logging
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from runtime.settings import Settings

log = logging.getLogger(__name__)

SOURCE = Path(__file__).with_suffix(".c")


def library_path() -> Path:
    """Where the build goes: inside the running Python's prefix (the venv), named by the
    source's hash so an edited kernel is never served from a stale build."""
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:12]
    return Path(sys.prefix) / "lib" / "omnishop" / f"row_scorer-{digest}.so"


def build(out: Path | None = None) -> Path:
    """Compile the kernel; raises RuntimeError with the compiler's message when it cannot."""
    out = out or library_path()
    compiler = Settings.from_env().search.c_compiler or shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        raise RuntimeError("no C compiler (cc or gcc) on PATH")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(f".{os.getpid()}.tmp")
    done = subprocess.run([compiler, "-O3", "-shared", "-fPIC", "-o", str(partial), str(SOURCE)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"{compiler} failed:\n{done.stderr.strip()}")
    partial.replace(out)  # atomic: a server starting meanwhile sees the old build or the new one
    return out


class NativeRowScorer:
    """The loaded kernel. Arrays must be C-contiguous; the planner guarantees it."""

    def __init__(self, library: ctypes.CDLL):
        pointer, int64 = ctypes.c_void_p, ctypes.c_int64
        self._mask_rows = library.mask_rows
        self._mask_rows.argtypes, self._mask_rows.restype = [pointer, int64, pointer], int64
        self._row_dots = library.fp16_row_dots
        self._row_dots.argtypes, self._row_dots.restype = [pointer, int64, pointer, int64, pointer, pointer], None

    def mask_rows(self, mask: np.ndarray) -> np.ndarray:
        """np.flatnonzero(mask) for a bool mask, as int64. (The row buffer's untouched pages
        are never faulted in, so sizing it for every row costs nothing.)"""
        mask = np.ascontiguousarray(mask, dtype=bool)
        rows = np.empty(len(mask), dtype=np.int64)
        found = self._mask_rows(mask.ctypes.data, len(mask), rows.ctypes.data)
        return rows[:found]

    def row_dots(self, matrix: np.ndarray, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """matrix[rows].astype(float32) @ query for a float16 matrix, without the gather."""
        assert matrix.dtype == np.float16 and matrix.flags.c_contiguous and rows.dtype == np.int64
        query = np.ascontiguousarray(query, dtype=np.float32)
        scores = np.empty(len(rows), dtype=np.float32)
        self._row_dots(matrix.ctypes.data, matrix.shape[1], rows.ctypes.data, len(rows),
                       query.ctypes.data, scores.ctypes.data)
        return scores


@lru_cache(maxsize=1)
def native() -> NativeRowScorer | None:
    """The kernel when it is built, wanted and supported by this CPU; else None (logged once)."""
    if Settings.from_env().search.row_scorer == "torch":
        return None
    path = library_path()
    if not path.exists():
        log.info("exact search uses torch: the native row scorer is not built (%s); "
                 "run `python -m recommender.row_scorer build`", path)
        return None
    library = ctypes.CDLL(str(path))
    if not library.row_scorer_supported():
        log.info("exact search uses torch: this CPU lacks AVX2/FMA/F16C for the native row scorer")
        return None
    return NativeRowScorer(library)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recommender.row_scorer", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build", "status"],
                        help="build: compile the kernel into this venv; status: say whether it is in use")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.command == "build":
        try:
            print(f"built {build()}")
        except RuntimeError as error:
            print(f"native row scorer not built, exact search will use torch: {error}", file=sys.stderr)
            return 1
        return 0
    print("native" if native() else "torch")
    return 0


if __name__ == "__main__":
    sys.exit(main())
