"""The diagnostics on a daily estimate: placebo windows spaced by default (same weekday as
the real start), a year of history, and a daily backtest."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from impact.baselines import BaselineSpec
from impact.diagnostics import backtest_baseline, placebo_in_time
from impact.diagnostics.placebo import _resolution_defaults
from impact.estimation import estimate_effect
from tests.estimation.test_daily import EVENTS, simulate_daily


@pytest.fixture(scope="module")
def estimate():
    s, _ = simulate_daily(31, level=30.0, start="2022-01-01")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimate_effect(s, EVENTS, n_paths=300, seed=4, post_end="2023-09-30")


def test_resolution_defaults():
    days = pd.period_range("2023-01-01", periods=10, freq="D")
    weeks = pd.period_range("2023-01-01", periods=10, freq="W-SUN")
    months = pd.period_range("2023-01", periods=10, freq="M")
    assert _resolution_defaults(days, None, None) == (365, 28)
    assert _resolution_defaults(weeks, None, None) == (52, 4)
    assert _resolution_defaults(months, None, None) == (36, 1)  # monthly as before
    assert _resolution_defaults(days, 400, 7) == (400, 7)


def test_daily_placebo_windows_are_spaced(estimate):
    res = placebo_in_time(estimate, n_paths=200, spacing=56)
    f = res.to_frame()
    starts = pd.PeriodIndex(f.loc[~f["is_real"], "post_start"], freq="D")
    assert len(starts) >= 2
    assert all((estimate.post_start.ordinal - p.ordinal) % 56 == 0 for p in starts)
    assert all(p.day_of_week == estimate.post_start.day_of_week for p in starts)
    assert res.min_history == 365
    assert "every 56 periods" in res.summary().text or "every 56 periods" in res.method


def test_daily_backtest(estimate):
    history = estimate.setup.history
    res = backtest_baseline(history, BaselineSpec(), origins=2, horizons=7, n_paths=200,
                            seed=1)
    f = res.to_frame()
    assert len(f) == 2 * 7
    assert f["expected"].notna().all()
