"""Tests of placebo_in_time (impact.diagnostics.placebo)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineSpec
from impact.diagnostics.placebo import (
    PLACEBO_COLUMNS,
    placebo_in_time,
)
from impact.estimation.counterfactual import estimate_effect, seed_for
from impact.events.registry import Event, EventRegistry
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



# --------------------------------------------------------------------------- placebos


@pytest.mark.slow
def test_placebo_false_positive_rate_on_no_effect_series_is_near_nominal():
    hits = total = 0
    for seed in range(3):
        sim = simulate_counts(n_pre=96, n_post=3, effect_size=0.0, mean_calls=120, seed=seed)
        est = estimate_effect(sim.series, sim.events, spec=BaselineSpec(), n_paths=400,
                              seed=seed)
        res = placebo_in_time(est, n_paths=400, seed=seed)
        f = res.to_frame()
        plc = f[~f["is_real"] & ~f["is_failed"]]
        hits += int(plc["is_excluding_zero"].sum())
        total += len(plc)
        assert res.n_placebos == len(plc) >= 50
    assert FPR_RANGE[0] <= hits / total <= FPR_RANGE[1]


def test_placebo_p_values_follow_the_rank_formula():
    sim = simulate_counts(n_pre=60, n_post=3, effect_size=0.4, mean_calls=120, seed=11)
    res = placebo_in_time(estimate_effect(sim.series, sim.events, n_paths=500), n_paths=300,
                          seed=3)
    f = res.to_frame()
    assert list(f.columns) == list(PLACEBO_COLUMNS)
    plc = f.loc[~f["is_real"] & ~f["is_failed"], "relative_effect"].to_numpy()
    real = f.loc[f["is_real"], "relative_effect"].iloc[0]
    n = len(plc)
    assert res.p_value_one_sided == pytest.approx((1 + (plc >= real).sum()) / (1 + n))
    assert res.p_value_two_sided == pytest.approx(
        (1 + (np.abs(plc) >= abs(real)).sum()) / (1 + n))
    assert res.rank == 1 + (plc > real).sum()
    assert res.data_kind == "unspecified"


def test_placebo_windows_avoid_registered_event_windows():
    sim = simulate_counts(n_pre=72, n_post=3, effect_size=0.0, seed=4)
    idx = sim.series.index
    news = Event(id="N1", name="old news", kind="news", start=idx[50].start_time,
                 end=idx[51].end_time.normalize(), shape="bump")
    est = estimate_effect(sim.series, sim.events, context=EventRegistry([news]), n_paths=200)
    res = placebo_in_time(est, n_paths=200, seed=1)
    starts = pd.PeriodIndex(res.to_frame().query("~is_real")["post_start"], freq="M")
    for a in starts:  # no window [a, a + 2] touches months 50-51
        assert not (a <= idx[51] and a + 2 >= idx[50])
    assert len(starts) == res.n_placebos + res.n_failed


def test_placebo_rejects_bad_alternative():
    sim = simulate_counts(n_pre=48, n_post=3, seed=1)
    with pytest.raises(DataValidationError, match="alternative"):
        placebo_in_time(estimate_effect(sim.series, sim.events, n_paths=200),
                        alternative="bigger")


def test_placebo_old_call_form_warns_and_gives_the_same_result():
    sim = simulate_counts(n_pre=48, n_post=3, effect_size=0.2, seed=5)
    with pytest.warns(DeprecationWarning, match=r"placebo_in_time\(estimate_effect"):
        old = placebo_in_time(sim.series, sim.events, n_paths=200, real_n_paths=200, seed=4)
    assert record_file(placebo_in_time, sim.series, sim.events, n_paths=200,
                       real_n_paths=200, seed=4) == __file__  # the warning names the caller
    est = estimate_effect(sim.series, sim.events, n_paths=200,
                          seed=seed_for(4, "series", "+".join(sim.events.ids)))
    new = placebo_in_time(est, n_paths=200, seed=4)
    pd.testing.assert_frame_equal(old.to_frame(), new.to_frame())


def record_file(check, *args, **kwargs) -> str:
    """The file a check's DeprecationWarning points at."""
    with pytest.warns(DeprecationWarning) as record:
        check(*args, **kwargs)
    return next(w.filename for w in record if w.category is DeprecationWarning)


def test_placebo_refuses_an_estimate_without_setup():
    sim = simulate_counts(n_pre=48, n_post=3, seed=1)
    est = dataclasses.replace(estimate_effect(sim.series, sim.events, n_paths=200), setup=None)
    with pytest.raises(DataValidationError, match="no setup"):
        placebo_in_time(est)
