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


@pytest.fixture(scope="module")
def sparse_counts() -> np.ndarray:
    """Few calls: more than MAX_ZERO_SHARE of the months are zero (mean 0.5)."""
    values = np.random.default_rng(4).poisson(0.5, size=N)
    assert np.mean(values == 0) > MAX_ZERO_SHARE
    return values


@pytest.mark.parametrize("family", BASELINE_FAMILIES)
def test_mostly_zeros_is_too_sparse_for_every_family(family, sparse_counts):
    n_zero = int(np.sum(sparse_counts == 0))
    with pytest.raises(FitError, match=rf"too sparse.*{n_zero} of 72 fitted months.*aggregate"):
        fit_baseline(_series(sparse_counts), BaselineSpec(family=family))


def test_excluded_periods_do_not_count_towards_the_zero_rule(sparse_counts, counts):
    values = np.where(np.arange(N) < 40, sparse_counts, counts)
    exclude = np.arange(N) < 40
    fit = fit_baseline(_series(values), BaselineSpec(trend="none", seasonality="none"),
                       exclude=exclude)
    assert not any("sparse" in w for w in fit.warnings)
    assert not any("missing record" in w for w in fit.warnings)


@pytest.mark.parametrize("family", BASELINE_FAMILIES)
def test_zero_months_amid_busy_ones_are_missing_records_left_out(family, counts):
    """A team that started recording late (leading zeros, more than half the history) and
    a lost export (two zero months) are not data: left out of the fit with a warning
    that names them, for every family; the fit equals the one with them excluded."""
    values = counts.copy()
    values[:20] = 0
    values[50:52] = 0
    with pytest.warns(ImpactWarning, match="taken as missing records"):
        fit = fit_baseline(_series(values), BaselineSpec(family=family))
    (note,) = [w for w in fit.warnings if "missing records" in w]
    assert note.startswith("22 months with 0 calls, 2016-01 to 2017-08 (20 months), "
                           "2020-03 to 2020-04 (2 months), in a series with about ")
    gaps = (np.arange(N) < 20) | ((np.arange(N) >= 50) & (np.arange(N) < 52))
    np.testing.assert_array_equal(fit.excluded.to_numpy(), gaps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        same = fit_baseline(_series(values), BaselineSpec(family=family), exclude=gaps)
    later = pd.period_range("2022-01", periods=6, freq="M")
    np.testing.assert_allclose(fit.mean(later), same.mean(later), rtol=1e-9)


def test_a_fit_error_after_leaving_out_zero_months_says_so(counts):
    """More than half the history missing: the count GLM fits what is left; a family that
    needs 36 months refuses, and its error names the months taken as missing records
    (the user excluded none)."""
    values = counts.copy()
    values[:40] = 0
    with pytest.warns(ImpactWarning, match="taken as missing records"):
        fit = fit_baseline(_series(values))
    assert int(fit.excluded.sum()) == 40
    with pytest.raises(FitError, match=r"need at least 36.*40 months with 0 calls, 2016-01 to "
                                       r"2019-04 \(40 months\).*missing records"):
        fit_baseline(_series(values), BaselineSpec(family="structural"))


def test_zeros_of_a_quiet_series_are_data(sparse_counts):
    """Zeros where the neighbouring months have few calls are ordinary counts."""
    values = np.where(sparse_counts > 0, sparse_counts + 3, 0)  # 3-9 calls or none
    values[:30] = np.random.default_rng(5).poisson(6, size=30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        fit = fit_baseline(_series(values))
    assert not fit.excluded.any()
    assert not any("missing record" in w for w in fit.warnings)


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


def _nb_history(seed: int, n: int) -> np.ndarray:
    """NB2 monthly counts (about 120 a month, alpha 0.05, seasonality)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    mu = 120 * np.exp(0.004 * t + 0.15 * np.sin(2 * np.pi * t / 12))
    return rng.negative_binomial(20, 20 / (20 + mu))


@pytest.mark.parametrize("level_shifts", ["auto", "off"])
def test_a_month_at_five_times_its_count_is_named_in_a_three_year_history(level_shifts):
    """With 36 months the outlier inflated the fitted dispersion and its own month-of-year
    effect (estimated from three Januaries) absorbed a third of it: the check named none of
    300 such months. Robust dispersion and leverage name most of them (measured 61-66%;
    level_shifts="off" 57-61%, 21% without its leverage); here 6 of 10 seeds at least (0
    before), and never another month."""
    named = 0
    for seed in range(10):
        values = _nb_history(seed, 36)
        j = 10 + seed
        values[j] = 5 * values[j]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = fit_baseline(_series(values), BaselineSpec(level_shifts=level_shifts))
        notes = [w for w in fit.warnings if "outlying" in w]
        assert all(f"{fit.history.index[j]}:" in n for n in notes)
        named += bool(notes)
    assert named >= 6


def test_no_outlier_is_named_in_clean_negative_binomial_histories():
    for seed in range(20):
        for n in (36, 96):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = fit_baseline(_series(_nb_history(100 + seed, n)))
            assert not any("outlying" in w for w in fit.warnings), (seed, n)


def test_robust_dispersion_recovers_alpha_and_ignores_an_outlier():
    from impact.baselines.fit import _robust_dispersion

    rng = np.random.default_rng(2)
    mu = np.full(400, 100.0)
    y = rng.negative_binomial(20, 20 / (20 + mu)).astype(float)  # alpha 0.05
    clean = _robust_dispersion("negbin", y, mu, fitted=0.05)
    y[7] = 2000.0
    spiked = _robust_dispersion("negbin", y, mu, fitted=0.12)  # inflated by the outlier
    assert 0.035 < clean < 0.07 and abs(spiked - clean) < 0.005
    # means near 0 with counts of 1: no dispersion matches (variances at their floor);
    # the fitted one is kept instead of failing
    assert _robust_dispersion("negbin", np.ones(8), np.full(8, 0.01), fitted=0.2) == 0.2


def test_a_run_of_zero_days_amid_busy_days_is_missing_records():
    """Daily series: a week or more without calls between days with about 30 is a lost
    export or a closure, not data (before, 600 such days made a busy series 'too sparse
    to fit'); a single day without calls can be a closed day and stays data."""
    from impact.baselines.fit import ZERO_RECORD_RUN_DAYS, missing_record_zeros

    rng = np.random.default_rng(4)
    idx = pd.period_range("2020-01-01", periods=900, freq="D")
    y = rng.poisson(30, 900)
    y[100:120] = 0  # a lost export of 20 days
    y[300:300 + ZERO_RECORD_RUN_DAYS - 1] = 0  # too short a run: left as data
    y[500] = 0  # a closed day
    series = pd.Series(y, index=idx)
    mask = missing_record_zeros(series)
    assert mask[100:120].all() and int(mask.sum()) == 20
    late = series.copy()
    late.iloc[:400] = 0  # records start late
    with pytest.warns(ImpactWarning, match=r"400 days with 0 calls, 2020-01-01 to "
                                           r"2021-02-03 \(400 days\)"):
        fit = fit_baseline(late)
    assert int(fit.excluded.sum()) >= 400
    quiet = pd.Series(rng.poisson(0.2, 900), index=idx)  # zeros of a quiet line are data
    assert not missing_record_zeros(quiet).any()
