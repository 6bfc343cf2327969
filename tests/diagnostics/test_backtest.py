"""Tests of impact.diagnostics.backtest: rolling-origin backtests and the baseline choice."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from impact import Summary
from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineSpec
from impact.diagnostics.backtest import (
    BACKTEST_COLUMNS,
    BacktestResult,
    ModelComparison,
    backtest_baseline,
    compare_baselines,
)

#: Nominal 95% intervals: the pooled placebo false-positive rate must lie in this range
#: (about 170 dependent placebo windows, so a few points either side of 0.05).
FPR_RANGE = (0.02, 0.09)
#: Empirical coverage of 95% Poisson prediction intervals over 360 forecasts of 122
#: distinct months (binomial noise about +-0.04; discrete counts make them conservative).
COVERAGE_RANGE = (0.90, 0.995)
#: Probability mass of the true Poisson(100) inside the simulated 95% intervals
#: (simulation quantiles of 400 paths and parameter uncertainty: a little above 0.95).
TRUE_COVERAGE_RANGE = (0.935, 0.975)

POISSON_FLAT = BaselineSpec(family="poisson", trend="none", seasonality="none", ar_noise=False)


def _constant_poisson(n: int = 120, mu: float = 100.0, seed: int = 3) -> pd.Series:
    rng = np.random.default_rng(seed)
    idx = pd.period_range("2012-01", periods=n, freq="M", name="month")
    return pd.Series(rng.poisson(mu, n), index=idx, name="calls", dtype="int64")



# --------------------------------------------------------------------------- backtests


def test_backtest_coverage_on_constant_poisson_series_is_near_nominal():

    res = backtest_baseline(_constant_poisson(n=240), POISSON_FLAT, origins=120, horizons=3,
                            seed=1, n_paths=400)
    assert isinstance(res, BacktestResult)
    f = res.to_frame()
    assert list(f.columns) == list(BACKTEST_COLUMNS)
    assert len(f) == 120 * 3
    # the intervals hold about 95% of the true Poisson(100) distribution ...
    true_cov = (stats.poisson.cdf(f["expected_upper"], 100)
                - stats.poisson.cdf(np.ceil(f["expected_lower"]) - 1, 100))
    assert TRUE_COVERAGE_RANGE[0] <= true_cov.mean() <= TRUE_COVERAGE_RANGE[1]
    # ... and about 95% of the 122 observed months fall inside them
    assert COVERAGE_RANGE[0] <= res.coverage <= COVERAGE_RANGE[1]
    assert res.coverage == pytest.approx(f["is_inside"].mean())
    m = res.metrics()
    assert list(m.index) == ["1", "2", "3", "all"]
    assert abs(res.bias) < 3.0  # calls; unbiased forecasts of a constant mean


def test_backtest_hand_built_case_knows_which_forecasts_fall_inside():
    # constant 50 calls with zero months: a Poisson forecast near 50 has an interval of
    # roughly 36-64, so every 50 is inside and every 0 outside.
    y = np.full(84, 50)
    zeros = [40, 55, 70, 75, 81]
    y[zeros] = 0
    idx = pd.period_range("2015-01", periods=84, freq="M", name="month")
    s = pd.Series(y, index=idx, name="calls")
    res = backtest_baseline(s, POISSON_FLAT, origins=[idx[47], idx[60], idx[70]],
                            horizons=[1, 3, 5], seed=2, n_paths=400, min_train=36)
    f = res.to_frame()
    assert list(f["origin"].unique()) == ["2018-12", "2020-01", "2020-11"]
    assert len(f) == 9
    expected_inside = f["observed"].to_numpy() != 0
    np.testing.assert_array_equal(f["is_inside"].to_numpy(), expected_inside)
    assert res.coverage == pytest.approx(expected_inside.mean())
    np.testing.assert_allclose(f["error"], f["observed"] - f["expected"])
    # MASE scale of the first origin: mean |y_t - y_{t-12}| over its 48 fitted months
    yt = y[:48]
    scale = np.abs(yt[12:] - yt[:-12]).mean()
    first = f[f["origin"] == "2018-12"]
    np.testing.assert_allclose(first["scaled_error"], first["abs_error"] / scale)


def test_backtest_excluded_months_are_not_scored():
    s = _constant_poisson(n=72)
    excl = pd.Series(False, index=s.index)
    excl.iloc[-3:] = True
    res = backtest_baseline(s, POISSON_FLAT, origins=6, horizons=3, exclude=excl, seed=1)
    f = res.to_frame()
    scored_months = set(f.loc[f["is_scored"], "month"])
    assert not scored_months & {str(p) for p in s.index[-3:]}
    assert res.metrics().loc["all", "n"] == f["is_scored"].sum()


def test_backtest_too_short_series_raises():
    with pytest.raises(DataValidationError, match="origins"):
        backtest_baseline(_constant_poisson(n=40), POISSON_FLAT, origins=12, horizons=6)


def test_compare_baselines_ranks_and_breaks_ties_towards_the_simpler_model():
    s = _constant_poisson(n=96)
    specs = [
        dataclasses.replace(POISSON_FLAT, family="quasipoisson"),
        POISSON_FLAT,
        BaselineSpec(family="seasonal_naive"),
    ]
    comp = compare_baselines(s, specs, origins=12, horizons=3, seed=5, n_paths=300)
    assert isinstance(comp, ModelComparison)
    t = comp.table
    assert set(t.index) == {"quasipoisson/none/none", "poisson/none/none", "seasonal_naive"}
    # same mean model: identical MASE, so the simpler Poisson wins if both are eligible
    assert t.loc["poisson/none/none", "mase"] == pytest.approx(
        t.loc["quasipoisson/none/none", "mase"])
    assert t.loc["poisson/none/none", "is_eligible"]
    assert comp.chosen_label == "poisson/none/none"
    assert comp.chosen == POISSON_FLAT
    assert comp.ranking[0] == comp.chosen_label
    assert sorted(t["rank"]) == [1, 2, 3]
    assert "lowest" in comp.reason and comp.rule
    assert isinstance(comp.summary(), Summary)
