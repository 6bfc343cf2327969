"""The benchmark harness runs its series through joblib: same rows for any n_jobs."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "run_benchmark.py"


@pytest.fixture()
def bench(monkeypatch):
    # joblib's worker processes unpickle the task function by module name: make
    # benchmarks/ importable here and in the workers they start
    monkeypatch.syspath_prepend(str(BENCH.parent))
    paths = [str(BENCH.parent), *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))
    return importlib.import_module("run_benchmark")


@pytest.mark.slow  # starts two worker processes (about 15 s)
def test_rows_identical_for_one_and_two_jobs(bench) -> None:
    tasks = [
        bench.Task("step", 0.1, 36, i, 7, "random", 0.0, 0.0, ("negbin", "naive_yoy"), 100)
        for i in range(4)
    ]
    chunks = [tasks[:2], tasks[2:]]
    one = pd.DataFrame(bench.run_chunks(chunks, n_jobs=1)).drop(columns="seconds")
    two = pd.DataFrame(bench.run_chunks(chunks, n_jobs=2)).drop(columns="seconds")
    pd.testing.assert_frame_equal(one, two)


def test_shift_suite_outlier_scenario_changes_one_month_only(bench) -> None:
    """--outlier multiplies one pre-period month of the same series (same truth, same
    other months), and the rows say whether the estimate named it."""
    plain = bench.run_shift_series(36, "iid", 1, 7, 200)
    spiked = bench.run_shift_series(36, "iid", 1, 7, 200, outlier=5.0)
    month = {r["outlier_month"] for r in spiked}
    assert len(month) == 1 and 3 <= month.pop() < 33
    assert all(np.isnan(r["outlier_month"]) for r in plain)
    for a, b in zip(plain, spiked, strict=True):
        assert (a["effect"], a["estimator"], a["true_cum"]) == (
            b["effect"], b["estimator"], b["true_cum"])
    named = [r["outlier_named"] for r in spiked if r["estimator"] in bench.SHIFT_ESTIMATORS]
    assert named and all(isinstance(v, bool) for v in named)
