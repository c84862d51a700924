"""The native row scorer gives numpy's answers: every mask shape, every dimension, and the
build reports why it failed instead of leaving a half-written library behind."""
from __future__ import annotations

import platform
import shutil

import numpy as np
import pytest

from recommender import row_scorer

pytestmark = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"),
                                reason="the kernel is x86-64 only; elsewhere the torch path serves")


@pytest.fixture(scope="module")
def kernel() -> row_scorer.NativeRowScorer:
    """The build `make venvs` made; a machine with a C compiler must have one."""
    scorer = row_scorer.native()
    if scorer is None:
        assert not shutil.which("cc"), "cc is here but the native row scorer is not built or not loadable"
        pytest.skip("no C compiler: the planner uses torch here")
    return scorer


MASKS = {
    "empty": np.zeros(0, dtype=bool),
    "one false": np.zeros(1, dtype=bool),
    "one true": np.ones(1, dtype=bool),
    "31, all true (tail only)": np.ones(31, dtype=bool),
    "32, all true (one block)": np.ones(32, dtype=bool),
    "33, last only": np.eye(1, 33, 32, dtype=bool)[0],
    "64, first of each block": np.tile(np.eye(1, 32, 0, dtype=bool)[0], 2),
    "1000, none": np.zeros(1000, dtype=bool),
}
RNG = np.random.default_rng(5)
MASKS.update({f"100,003 at {density:.1%}": RNG.random(100_003) < density for density in (0.0001, 0.01, 0.3, 0.99)})


@pytest.mark.parametrize("name", MASKS)
def test_mask_rows_are_flatnonzero(kernel, name):
    mask = MASKS[name]
    assert kernel.mask_rows(mask).tolist() == np.flatnonzero(mask).tolist()


def test_mask_rows_of_a_strided_mask(kernel):
    mask = RNG.random(2_000) < 0.5
    assert kernel.mask_rows(mask[::2]).tolist() == np.flatnonzero(mask[::2]).tolist()


@pytest.mark.parametrize("dim", [1, 7, 8, 16, 17, 100, 384, 768])
def test_row_dots_are_float32_products_of_the_float16_rows(kernel, dim):
    matrix = RNG.standard_normal((500, dim)).astype(np.float16)
    query = RNG.standard_normal(dim).astype(np.float32)
    rows = np.concatenate([RNG.integers(0, 500, 300), [0, 499, 499]]).astype(np.int64)  # repeats allowed
    expected = matrix[rows].astype(np.float64) @ query.astype(np.float64)
    assert np.allclose(kernel.row_dots(matrix, rows, query), expected, rtol=1e-5, atol=1e-4 * np.sqrt(dim))


def test_row_dots_of_no_rows(kernel):
    matrix = np.ones((4, 16), dtype=np.float16)
    assert kernel.row_dots(matrix, np.empty(0, dtype=np.int64), np.ones(16, dtype=np.float32)).shape == (0,)


def test_a_failed_build_says_why_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CC", "false")  # a "compiler" that always fails
    with pytest.raises(RuntimeError, match="false failed"):
        row_scorer.build(tmp_path / "row_scorer.so")
    assert list(tmp_path.iterdir()) == []


def test_a_build_elsewhere_loads_and_scores(tmp_path):
    if not shutil.which("cc"):
        pytest.skip("no C compiler")
    built = row_scorer.build(tmp_path / "row_scorer.so")
    import ctypes
    scorer = row_scorer.NativeRowScorer(ctypes.CDLL(str(built)))
    assert scorer.mask_rows(np.array([False, True, True])).tolist() == [1, 2]


def test_torch_can_be_forced(monkeypatch):
    monkeypatch.setenv("OMNISHOP_ROW_SCORER", "torch")
    row_scorer.native.cache_clear()
    try:
        assert row_scorer.native() is None
    finally:
        row_scorer.native.cache_clear()


def test_the_cli_explains_itself(capsys):
    with pytest.raises(SystemExit) as exit_:
        row_scorer.main(["--help"])
    assert exit_.value.code == 0 and "build" in capsys.readouterr().out
