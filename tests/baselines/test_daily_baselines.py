"""Count baselines at daily and weekly resolution: calendar effects recovered, closed
days, the latent AR(1) noise and honest intervals for sums over days."""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.baselines import DAILY_HARMONICS, BaselineSpec, fit_baseline
from impact.baselines.calendar import calendar_columns

DOW = {"dow_tue": 0.05, "dow_wed": -0.05, "dow_thu": 0.0, "dow_fri": -0.2}
HOLIDAY, SCHOOL = -0.5, -0.3


@lru_cache(maxsize=4)
def _truth(n_days: int) -> tuple[pd.PeriodIndex, np.ndarray, np.ndarray]:
    """Days, true log means (no latent noise) and closed days (weekends)."""
    idx = pd.period_range("2020-09-01", periods=n_days, freq="D")
    cal = calendar_columns(idx, day_of_week=True, holidays="public+school")
    t = np.arange(n_days)
    eta = np.log(40.0) + 0.05 * t / 365.25 + 0.15 * np.sin(2 * np.pi * t / 365.25)
    eta = eta + sum(v * cal[k].to_numpy() for k, v in DOW.items())
    eta = eta + HOLIDAY * cal["holiday_public"].to_numpy()
    eta = eta + SCHOOL * cal["school_holiday"].to_numpy()
    closed = (cal["dow_sat"] + cal["dow_sun"]).to_numpy() > 0
    return idx, eta, closed


def _draw(rng: np.random.Generator, eta: np.ndarray, closed: np.ndarray, phi: float,
          sd: float, alpha: float) -> np.ndarray:
    n = len(eta)
    u = np.zeros(n)
    if sd > 0:
        z = rng.standard_normal(n) * sd * np.sqrt(1 - phi**2)
        u[0] = rng.standard_normal() * sd
        for i in range(1, n):
            u[i] = phi * u[i - 1] + z[i]
    mu = np.exp(eta + u)
    r = 1 / alpha
    return np.where(closed, 0, rng.negative_binomial(r, r / (r + mu)))


def _daily(seed: int, *, phi: float = 0.0, sd: float = 0.0, n_days: int = 1096 + 56,
           alpha: float = 1 / 30) -> pd.Series:
    """Simulated daily calls: trend, a yearly cycle, the DOW pattern above, public and
    school holiday dips, closed weekends, NB2 noise with ``alpha`` and (optionally)
    latent AR(1) log noise with coefficient ``phi`` and sd ``sd``."""
    idx, eta, closed = _truth(n_days)
    y = _draw(np.random.default_rng(seed), eta, closed, phi, sd, alpha)
    return pd.Series(y, index=idx, name="calls")


def _fit(series: pd.Series, spec: BaselineSpec | None = None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_baseline(series, spec)


def test_daily_default_recovers_day_of_week_and_holiday_effects():
    fit = _fit(_daily(seed=3).iloc[:1096])
    for name, value in DOW.items():
        assert fit.params[name] == pytest.approx(value, abs=0.05), name
    assert fit.params["holiday_public"] == pytest.approx(HOLIDAY, abs=0.15)
    assert fit.params["school_holiday"] == pytest.approx(SCHOOL, abs=0.06)
    assert "day-of-week effects" in fit.method and "school holidays" in fit.method
    assert "dow_sat" not in fit.params.index  # closed: no call on any Saturday


def test_daily_fourier_seasonality_with_the_suggested_harmonics():
    spec = BaselineSpec(seasonality="fourier", harmonics=DAILY_HARMONICS)
    fit = _fit(_daily(seed=3).iloc[:1096], spec)
    assert {"sin_4", "cos_4", "dow_fri", "school_holiday"} <= set(fit.params.index)
    assert fit.params["dow_fri"] == pytest.approx(DOW["dow_fri"], abs=0.05)
    # the simulated yearly cycle is 0.15 sin(2 pi t / year), the first harmonic
    amplitude = np.hypot(fit.params["sin_1"], fit.params["cos_1"])
    assert amplitude == pytest.approx(0.15, abs=0.05)


def test_closed_weekends_expect_zero_and_are_not_called_sparse():
    series = _daily(seed=4).iloc[:1096]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = fit_baseline(series)
    texts = " ".join(str(w.message) for w in caught)
    assert "taken as closed" in texts and "sparse" not in texts
    weekend = np.asarray(series.index.start_time.day_of_week) >= 5
    assert (fit.fitted[weekend] == 0).all() and (fit.fitted[~weekend] > 0).all()
    future = pd.period_range(series.index[-1] + 1, periods=14, freq="D")
    paths = fit.simulate(future, n_paths=200, seed=1)
    closed = np.asarray(future.start_time.day_of_week) >= 5
    assert (paths[:, closed] == 0).all() and (paths[:, ~closed] > 0).mean() > 0.99


def test_monthly_default_adds_no_calendar_terms():
    months = _daily(seed=5).groupby(lambda p: p.asfreq("M")).sum()
    months.index = pd.PeriodIndex(months.index, freq="M")
    fit = _fit(months, BaselineSpec(level_shifts="off"))
    assert not [c for c in fit.params.index if c.startswith(("dow_", "holiday", "school"))]
    assert "Calendar terms" not in fit.method


def test_weekly_series_get_holiday_shares_not_day_of_week():
    days = _daily(seed=6, n_days=7 * 160)
    weeks = days.groupby(lambda p: p.asfreq("W-SUN")).sum()
    weeks.index = pd.PeriodIndex(weeks.index, freq="W-SUN")
    fit = _fit(weeks.iloc[1:-1])
    assert "school_holiday" in fit.params.index and "dow_fri" not in fit.params.index
    # a week of school holiday has about exp(-0.3) of the calls of a school week
    assert fit.params["school_holiday"] == pytest.approx(SCHOOL, abs=0.1)
    with pytest.raises(DataValidationError, match="day_of_week=True needs daily"):
        _fit(weeks.iloc[1:-1], BaselineSpec(day_of_week=True))


def test_latent_ar_noise_is_found_when_present_and_not_otherwise():
    persistent = _fit(_daily(seed=7, phi=0.8, sd=0.15).iloc[:1096])
    plain = _fit(_daily(seed=7).iloc[:1096])
    assert persistent.backend.latent_weights[0] < 0.05  # P(no latent noise)
    assert plain.backend.latent_weights[0] > 0.5
    assert "Latent AR(1)" in persistent.method
    assert persistent.residual_autocorrelation > 0.1 > plain.residual_autocorrelation


def _true_sum_sd(seed: int, window: int) -> float:
    """Monte Carlo sd of a window sum after the history under the simulating model (the
    latent AR started from its stationary law, as the window is far from the start)."""
    _, eta, closed = _truth(1096 + 56)
    rng = np.random.default_rng(seed)
    sl = slice(1096, 1096 + window)
    sums = [_draw(rng, eta[sl], closed[sl], 0.8, 0.15, 1 / 30).sum() for _ in range(2000)]
    return float(np.std(sums))


def test_simulated_window_sums_are_as_wide_as_the_truth():
    series = _daily(seed=8, phi=0.8, sd=0.15)
    fit = _fit(series.iloc[:1096])
    future = series.index[1096:1096 + 28]
    sd_model = fit.simulate(future, n_paths=2000, seed=2).sum(axis=1).std()
    sd_true = _true_sum_sd(8, 28)
    assert 0.8 < sd_model / sd_true < 1.5
    # the lag-1 copula alone (ar_noise off: no latent noise) is too narrow
    narrow = _fit(series.iloc[:1096], BaselineSpec(ar_noise=False))
    assert narrow.simulate(future, n_paths=2000, seed=2).sum(axis=1).std() < 0.8 * sd_true


@pytest.mark.slow
def test_interval_coverage_on_50_daily_series():
    hits = {"day": 0, "week": 0, "four_weeks": 0}
    n = 50
    for s in range(n):
        series = _daily(seed=100 + s, phi=0.6, sd=0.15)
        fit = _fit(series.iloc[:1096])
        future = series.iloc[1096:1096 + 28]
        paths = fit.simulate(future.index, n_paths=2000, seed=s)
        day = int(np.flatnonzero(np.asarray(future.index.start_time.day_of_week) < 5)[0])
        for name, cols in (("day", [day]), ("week", slice(0, 7)), ("four_weeks", slice(0, 28))):
            lo, hi = np.quantile(paths[:, cols].sum(axis=1), [0.025, 0.975])
            hits[name] += lo <= future.iloc[cols].sum() <= hi
    for name, h in hits.items():
        assert 0.86 <= h / n <= 1.0, (name, h / n)
