"""Effect estimates with the level-shift baseline (issue 11): detection surfaced on the
estimate, intervals, bias against ``level_shifts="off"``, and "off" unchanged."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from impact.baselines import BaselineSpec, LevelShift
from impact.estimation import estimate_effect
from impact.events.registry import Event
from impact.simulation.simulate import simulate_counts

SHIFT_AT = 40


def _sim(seed: int, *, shift: float | None = 0.30, n_pre: int = 96, effect: float = 0.2,
         dispersion: float = 0.01, ar: float = 0.0):
    return simulate_counts(
        n_pre=n_pre, n_post=6, mean_calls=120.0, trend=0.03, dispersion=dispersion,
        effect_size=effect, seed=seed, ar=ar, ar_sd=0.05 if ar else 0.0,
        capacity_break=None if shift is None else (SHIFT_AT, float(np.log1p(shift))),
        break_registered=False,
    )


def _estimate(sim, level_shifts: str = "auto", n_paths: int = 1000):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimate_effect(sim.series, sim.events, spec=BaselineSpec(
            level_shifts=level_shifts), seed=5, n_paths=n_paths)


def test_detected_shift_is_on_the_estimate_and_in_its_warnings() -> None:
    sim = _sim(4)
    est = _estimate(sim)
    assert len(est.level_shifts) == 1 and isinstance(est.level_shifts[0], LevelShift)
    shift = est.level_shifts[0]
    assert abs((shift.period - sim.series.index[SHIFT_AT]).n) <= 3
    assert f"{est.team}: {shift.text}" in est.warnings  # named with its team
    assert est.cumulative_effect_lower <= sim.true_cumulative_effect <= (
        est.cumulative_effect_upper)
    assert shift.text in est.summary().text
    assert "P(shift)" in est.baseline.summary().text


def test_shift_scan_reduces_the_bias_of_off() -> None:
    """On series with an unregistered +30% shift the "off" trend absorbs part of the step
    and the counterfactual overshoots (negative bias); the scan removes most of it."""
    err = {"auto": [], "off": []}
    for seed in range(8):
        sim = _sim(100 + seed)
        for mode in err:
            err[mode].append(_estimate(sim, mode, n_paths=300).relative_effect
                             - sim.true_relative_effect)
    bias_auto, bias_off = np.mean(err["auto"]), np.mean(err["off"])
    assert abs(bias_auto) < abs(bias_off)
    assert bias_off < -0.02  # the failure the scan is for is present in these series


def test_off_gives_the_previous_estimator_numbers() -> None:
    """Numbers of the default estimator before issue 11 (commit 98d12c5), same call."""
    sim = simulate_counts(n_pre=60, n_post=6, mean_calls=120.0, effect_size=0.2,
                          capacity_break=(30, 0.25), ar=0.6, ar_sd=0.05, seed=31)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = estimate_effect(sim.series, sim.events, seed=5, n_paths=1000,
                              spec=BaselineSpec(level_shifts="off"))
    got = (est.cumulative_effect, est.cumulative_effect_lower, est.cumulative_effect_upper,
           est.relative_effect, est.relative_effect_lower, est.relative_effect_upper)
    want = (28.228390645688933, -180.0584370496905, 201.6303181493108,
            0.039548211606825756, -0.22189480881560317, 0.3251287101849586)
    assert got == want
    assert est.level_shifts == ()


@pytest.mark.slow
@pytest.mark.parametrize("ar", [0.0, 0.6])
def test_coverage_with_unregistered_shifts_and_latent_ar(ar: float) -> None:
    """60 series, half with an unregistered shift: 95% intervals cover the true
    cumulative effect in at least 88% (binomial 1st percentile of 0.95 at n = 60)."""
    hits = []
    for seed in range(60):
        rng = np.random.default_rng(seed)
        shift = float(rng.uniform(0.15, 0.4)) if seed % 2 else None
        sim = _sim(1000 + seed, shift=shift, dispersion=0.04, ar=ar, effect=0.1)
        est = _estimate(sim, n_paths=500)
        hits.append(est.cumulative_effect_lower <= sim.true_cumulative_effect
                    <= est.cumulative_effect_upper)
    assert np.mean(hits) >= 0.88


def _finer(seed: int, freq: str, *, shift_at: int | None, n: int) -> pd.Series:
    """A daily or weekly NB2 series with yearly seasonality and an optional +30% shift."""

    rng = np.random.default_rng(seed)
    idx = pd.period_range("2019-01-07", periods=n, freq=freq)
    per_year = 365.25 if freq == "D" else 52.18
    t = np.arange(n)
    mu = (20.0 if freq == "D" else 140.0) * np.exp(0.1 * np.sin(2 * np.pi * t / per_year))
    if shift_at is not None:
        mu = mu * np.where(t >= shift_at, 1.3, 1.0)
    return pd.Series(rng.negative_binomial(20, 20 / (20 + mu)), index=idx, name="calls")


@pytest.mark.parametrize(("freq", "n", "shift_at"), [("D", 1400, 600), ("W-SUN", 260, 120)])
def test_finer_series_warn_about_a_shift_in_their_monthly_totals(freq, n, shift_at) -> None:
    """Weekly and daily baselines do not scan for shifts; an unregistered +30% shift
    biased a daily estimate to -14% [-32%, +5%] (truth 0) without a word. The monthly
    totals are now scanned, the shift is named, and registering it fixes the estimate."""
    series = _finer(3, freq, shift_at=shift_at, n=n)
    start = series.index[shift_at].start_time
    event = Event(id="x", name="x", kind="news", start=str(series.index[-30].start_time.date()))
    with pytest.warns(UserWarning, match=r"in the monthly totals, a level shift of \+\d+% "
                                         r"around (\d{4}-\d\d) is not explained") as caught:
        est = estimate_effect(series, event, seed=5, n_paths=1000)
    text = next(str(w.message) for w in caught if "monthly totals" in str(w.message))
    month = text.split(" around ")[1][:7]
    assert abs(int((pd_period(month) - start.to_period("M")).n)) <= 1
    assert any("monthly totals" in w for w in est.warnings)
    registration = Event(id="r", name="new registration", kind="registration",
                         start=str(start.date()))
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        fixed = estimate_effect(series, event, context=[registration], seed=5, n_paths=1000)
    assert not any("monthly totals" in str(w.message) for w in again)
    assert fixed.relative_effect_lower < 0 < fixed.relative_effect_upper


def pd_period(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


def test_monthly_total_check_stays_quiet_without_a_shift() -> None:
    """False alarms: shift-free weekly series (five years) rarely report a shift
    (measured with this generator: 6 of 200 five-year weekly series, 6 of 100 daily series
    of 46 months, 20 of 200 three-year weekly series; the monthly scan's own rate)."""
    alarms = 0
    for seed in range(12):
        series = _finer(100 + seed, "W-SUN", shift_at=None, n=260)
        event = Event(id="x", name="x", kind="news",
                      start=str(series.index[-20].start_time.date()))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            est = estimate_effect(series, event, seed=5, n_paths=500)
        alarms += any("monthly totals" in str(w.message) for w in caught)
        off = estimate_effect(series, event, seed=5, n_paths=500,
                              spec=BaselineSpec(level_shifts="off"))
        assert not any("monthly totals" in w for w in off.warnings)
        assert est.cumulative_effect == pytest.approx(off.cumulative_effect)  # a check
    assert alarms <= 2
