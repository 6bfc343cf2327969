"""fit_baseline on hard series: refused (all zeros, too sparse) or fitted with warnings
(sparse, outliers), the same rule for every family."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import FitError, ImpactWarning
from impact.baselines import BASELINE_FAMILIES, BaselineSpec, fit_baseline
from impact.baselines.fit import MAX_ZERO_SHARE, OUTLIER_Z, SPARSE_MEAN

N = 72
#: A constant history must be forecast at its level up to optimiser precision.
CONSTANT_RTOL = 1e-3


def _series(values: np.ndarray, start: str = "2016-01") -> pd.Series:
    idx = pd.period_range(start, periods=len(values), freq="M", name="month")
    return pd.Series(np.asarray(values, dtype="int64"), index=idx, name="calls")


@pytest.fixture(scope="module")
def counts() -> np.ndarray:
    return np.random.default_rng(3).negative_binomial(20, 0.2, size=N)  # mean 80


@pytest.mark.parametrize("family", BASELINE_FAMILIES)
def test_all_zeros_is_a_fit_error_for_every_family(family):
    with pytest.raises(FitError, match=r"all 72 fitted months .* have 0 calls.*coarser"):
        fit_baseline(_series(np.zeros(N)), BaselineSpec(family=family))


@pytest.mark.parametrize("family", BASELINE_FAMILIES)
def test_mostly_zeros_is_too_sparse_for_every_family(family, counts):
    values = counts.copy()
    values[: int(N * MAX_ZERO_SHARE) + 1] = 0
    with pytest.raises(FitError, match=r"too sparse.*37 of 72 fitted months.*aggregate teams"):
        fit_baseline(_series(values), BaselineSpec(family=family))


def test_excluded_periods_do_not_count_towards_the_zero_rule(counts):
    values = counts.copy()
    values[:40] = 0
    exclude = np.arange(N) < 40
    fit = fit_baseline(_series(values), BaselineSpec(trend="none", seasonality="none"),
                       exclude=exclude)
    assert not any("sparse" in w for w in fit.warnings)
    with pytest.raises(FitError, match="too sparse"):
        fit_baseline(_series(values), BaselineSpec(trend="none", seasonality="none"))


def test_low_counts_are_fitted_with_a_sparse_warning():
    values = np.random.default_rng(1).poisson(SPARSE_MEAN / 2, size=N)
    with pytest.warns(ImpactWarning, match="sparse series"):
        fit = fit_baseline(_series(values))
    assert any(w.startswith("sparse series: ") for w in fit.warnings)


@pytest.mark.parametrize("family", BASELINE_FAMILIES)
def test_constant_series_is_data(family):
    """A constant series is fitted (no error, no outliers) by every family."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fit = fit_baseline(_series(np.full(N, 50)), BaselineSpec(family=family))
    later = pd.period_range("2022-01", periods=6, freq="M")
    np.testing.assert_allclose(fit.mean(later), 50.0, rtol=CONSTANT_RTOL)
    assert not any("outlying" in str(r.message) for r in record)


def test_outlier_warning_names_period_value_and_expectation(counts):
    values = counts.copy()
    values[30] = 1_000_000
    with pytest.warns(ImpactWarning, match="outlying"):
        fit = fit_baseline(_series(values))
    (note,) = [w for w in fit.warnings if "outlying" in w]
    assert note.startswith("1 outlying fitted period (2018-07: 1,000,000 calls where the "
                           "baseline expects about ")
    assert "register an event" in note


def test_ordinary_noise_gives_no_outlier_warning(counts):
    fit = fit_baseline(_series(counts))
    assert not any("outlying" in w for w in fit.warnings)
    assert OUTLIER_Z >= 5
