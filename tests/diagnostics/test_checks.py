"""Tests of impact.diagnostics.checks: residual and capacity checks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impact.baselines import BaselineSpec, fit_baseline
from impact.diagnostics.checks import CapacityCheck, ResidualCheck, check_capacity, check_residuals
from impact.events.registry import load_events
from impact.simulation.simulate import simulate_counts

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



# --------------------------------------------------------------------------- residuals


def _fit(sim, spec: BaselineSpec):
    return fit_baseline(sim.series.iloc[:-1], spec)


def test_residual_checks_quiet_on_a_well_specified_series():
    sim = simulate_counts(n_pre=96, n_post=1, dispersion=0.05, seed=21)
    chk = check_residuals(_fit(sim, BaselineSpec()))
    assert isinstance(chk, ResidualCheck)
    assert chk.warnings == ()
    assert chk.is_ok


def test_residual_autocorrelation_warning_fires_on_ar_noise():
    sim = simulate_counts(n_pre=120, n_post=1, dispersion=0.0, ar=0.85, ar_sd=0.15, seed=1)
    chk = check_residuals(_fit(sim, BaselineSpec()))
    assert any(w.startswith("autocorrelation") for w in chk.warnings)
    assert chk.ljung_box_p < chk.alpha
    assert chk.acf[0] > 0.3


def test_residual_overdispersion_warning_fires_for_poisson_on_overdispersed_counts():
    sim = simulate_counts(n_pre=96, n_post=1, dispersion=0.3, mean_calls=100, seed=2)
    chk = check_residuals(_fit(sim, BaselineSpec(family="poisson")))
    assert any(w.startswith("overdispersion") and "negbin" in w for w in chk.warnings)
    assert chk.poisson_dispersion > 5
    # the negative binomial models it: no overdispersion warning
    nb = check_residuals(_fit(sim, BaselineSpec(family="negbin")))
    assert not any(w.startswith("overdispersion") for w in nb.warnings)


def test_residual_seasonality_warning_fires_without_seasonal_terms():
    sim = simulate_counts(n_pre=96, n_post=1, seasonal_amplitude=0.5, seed=3)
    chk = check_residuals(_fit(sim, BaselineSpec(seasonality="none")))
    assert any(w.startswith("seasonality") and "harmonics" in w for w in chk.warnings)
    f = chk.to_frame()
    assert f.loc[f["check"] == "seasonality", "is_flagged"].item()


# --------------------------------------------------------------------------- capacity


def test_capacity_check_flags_the_capacity_window(repo_root):
    events = load_events(repo_root / "data" / "events" / "events.csv")
    sim = simulate_counts(n_pre=48, n_post=6, start="2018-01", seed=5)
    chk = check_capacity(sim.series, events, pre_start="2018-01", post_start="2022-01")
    assert isinstance(chk, CapacityCheck)
    assert chk.capped_events == ("E023",)
    assert chk.flagged_months == ("2020-04", "2020-05", "2020-06", "2020-07", "2020-08")
    assert chk.pre_flagged == chk.flagged_months and chk.post_flagged == ()
    assert "2020-04..2020-08" in chk.summary().text


def test_capacity_check_with_a_capacity_series_flags_the_post_period():
    s = _constant_poisson(n=48, mu=80)
    cap = pd.Series(200.0, index=s.index)
    cap.iloc[-2:] = 85.0  # lines cut: calls near the limit
    chk = check_capacity(s, None, capacity=cap, post_start=str(s.index[-3]))
    assert chk.post_flagged == tuple(str(p) for p in s.index[-2:])
    assert "understated" in chk.text()
