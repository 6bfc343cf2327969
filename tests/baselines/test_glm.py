"""Count GLM baselines: spec validation, design continuity, dispersion, exposure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError, FitError
from impact.baselines import BaselineSpec, fit_baseline
from impact.events.registry import Event, EventRegistry
from impact.simulation.simulate import simulate_counts


def test_spec_rejects_bad_values_with_the_setting_named():
    with pytest.raises(DataValidationError, match="family"):
        BaselineSpec(family="gaussian")
    with pytest.raises(DataValidationError, match="harmonics"):
        BaselineSpec(seasonality="fourier", harmonics=9)
    with pytest.raises(DataValidationError, match="exposure"):
        BaselineSpec(exposure="hours")


def test_piecewise_forecast_continues_the_history_ramp():
    """A slope change at a break must keep counting time in the forecast periods."""
    idx = pd.period_range("2015-01", periods=96, freq="M", name="month")
    t = np.arange(96)
    brk_at = 48
    log_mu = np.log(100) + np.where(t >= brk_at, 0.25 * (t - brk_at) / 12, 0.0)
    y = pd.Series(np.round(np.exp(log_mu)).astype(int), index=idx, name="calls")
    brk = EventRegistry([Event(id="B", name="break", kind="capacity",
                               start=idx[brk_at].start_time, shape="step")])
    fit = fit_baseline(y, BaselineSpec(family="poisson", trend="piecewise", seasonality="none"),
                       breaks=brk)
    nxt = pd.period_range(idx[-1] + 1, periods=3, freq="M")
    truth = np.exp(np.log(100) + 0.25 * (np.arange(96, 99) - brk_at) / 12)
    np.testing.assert_allclose(fit.mean(nxt).to_numpy(), truth, rtol=0.02)
    # the mean of a period does not depend on which other periods are asked for
    alone = fit.mean(nxt[2:]).to_numpy()
    assert alone[0] == pytest.approx(fit.mean(nxt).to_numpy()[2])


def test_negbin_dispersion_close_to_truth():
    alphas = []
    for seed in range(20):
        sim = simulate_counts(n_pre=96, n_post=1, mean_calls=120, dispersion=0.05, effect_size=0.0,
                              seed=seed)
        fit = fit_baseline(sim.series.iloc[:96])
        alphas.append(fit.dispersion)
    assert np.mean(alphas) == pytest.approx(0.05, abs=0.015)


def test_working_days_exposure_and_forecast_band_contains_mean():
    sim = simulate_counts(n_pre=60, n_post=1, mean_calls=80, effect_size=0.0, seed=3)
    hist = sim.series.iloc[:60]
    fit = fit_baseline(hist, BaselineSpec(exposure="working_days"))
    nxt = pd.period_range(hist.index[-1] + 1, periods=6, freq="M")
    fc = fit.forecast(nxt, level=0.9, seed=1)
    assert (fc.lower <= fc.mean).all() and (fc.mean <= fc.upper).all()
    assert "negative binomial" in fit.summary().text


def test_too_short_history_is_a_fit_error():
    idx = pd.period_range("2020-01", periods=14, freq="M", name="month")
    s = pd.Series(np.arange(14) + 10, index=idx, name="calls")
    with pytest.raises(FitError, match="usable periods"):
        fit_baseline(s)


def test_pre_events_model_reaches_time_series_families():
    sim = simulate_counts(n_pre=72, n_post=1, mean_calls=100, effect_size=0.0, seed=5)
    hist = sim.series.iloc[:72]
    ev = EventRegistry([Event(id="P", name="earlier campaign", kind="campaign",
                              start=hist.index[40].start_time, shape="bump")])
    fit = fit_baseline(hist, BaselineSpec(family="sarima"), terms=ev)
    assert fit.mean(pd.period_range(hist.index[-1] + 1, periods=2, freq="M")).notna().all()
