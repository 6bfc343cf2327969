"""Tests of sensitivity (impact.diagnostics.sensitivity)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from impact.baselines import BaselineSpec
from impact.diagnostics.placebo import placebo_in_time
from impact.diagnostics.sensitivity import SENSITIVITY_COLUMNS, sensitivity
from impact.estimation import counterfactual
from impact.estimation.counterfactual import estimate_effect, fit_effect
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



# --------------------------------------------------------------------------- sensitivity


def test_sensitivity_table_has_one_row_per_specification():
    sim = simulate_counts(n_pre=96, n_post=3, effect_size=0.2, capacity_break=(40, 0.3),
                          seed=8)
    est = estimate_effect(sim.series, sim.events.filter(kinds=["campaign"]),
                          context=sim.events.filter(kinds=["capacity"]), n_paths=500)
    res = sensitivity(
        est, n_paths=300, seed=2,
        families=("negbin", "poisson", "seasonal_naive"), buffers=(0, 1, 2),
        use_breaks=(True, False), pre_starts=["2015-01", "2021-05"],
    )
    f = res.to_frame()
    assert list(f.columns) == list(SENSITIVITY_COLUMNS)
    # headline + 2 pre-period starts + 2 buffers + 2 other families + breaks off
    assert len(f) == res.n_specs == 8
    assert f["spec_label"].is_unique
    assert f["is_headline"].sum() == 1
    assert set(f["dimension"]) == {"headline", "pre_start", "buffer", "family", "use_breaks"}
    # the start 8 months before the post-period cannot be fitted: a row with its error
    short = f[f["pre_start"] == "2021-05"].iloc[0]
    assert short["is_failed"] and "periods" in short["error"]
    # the range leaves out seasonal_naive, a different estimand (shown apart)
    ok = f[~f["is_failed"] & (f["family"] != "seasonal_naive")]
    assert res.relative_effect_min == pytest.approx(ok["relative_effect"].min())
    assert res.relative_effect_max == pytest.approx(ok["relative_effect"].max())
    assert f"{res.relative_effect_min:+.1%}" in res.summary().text
    fact = sensitivity(est, n_paths=200,
                       families=("negbin", "poisson"), buffers=(0, 1), use_breaks=(True,),
                       pre_starts=["2015-01"], design="factorial")
    assert fact.n_specs == 2 * 2 * 2


def _record_fits(monkeypatch) -> list[dict]:
    """Record the arguments of every baseline fit the counterfactual estimator makes."""
    calls: list[dict] = []
    real_fit = counterfactual.fit_baseline

    def recording(history, spec, **kwargs):
        calls.append({"index": history.index, "spec": spec, **kwargs})
        return real_fit(history, spec, **kwargs)

    monkeypatch.setattr(counterfactual, "fit_baseline", recording)
    return calls


def _ids(registry) -> tuple[str, ...]:
    return () if registry is None else tuple(registry.ids)


def test_placebo_and_sensitivity_fit_exactly_the_baseline_of_estimate_effect(monkeypatch):
    sim = simulate_counts(n_pre=72, n_post=3, effect_size=0.2, capacity_break=(30, 0.3),
                          seed=8)
    idx = sim.series.index
    news = Event(id="N1", name="old news", kind="news", start=idx[45].start_time,
                 end=idx[46].end_time.normalize(), shape="bump")
    step = Event(id="S1", name="old policy", kind="policy", start=idx[20].start_time,
                 shape="step")
    context = EventRegistry([*sim.events.filter(kinds=["capacity"]), news, step])
    calls = _record_fits(monkeypatch)
    est = estimate_effect(sim.series, sim.events.filter(kinds=["campaign"]), context=context,
                          n_paths=200)
    (real,) = calls
    assert len(_ids(real["breaks"])) == 1
    assert _ids(real["terms"]) == ("S1",)
    assert real["exclude"].sum() == 2  # the news window is left out
    calls.clear()
    placebo_in_time(est, n_paths=200, min_history=24)
    sensitivity(est, n_paths=200, families=(est.spec.family,), buffers=(0,),
                use_breaks=(True,), pre_starts=[str(idx[2])])
    assert len(calls) >= 3
    for c in calls:
        assert c["spec"] == real["spec"]
        # the same breaks, less those that start after a placebo window (the same rule)
        assert set(_ids(c["breaks"])) <= set(_ids(real["breaks"]))
        assert c["shape_overrides"] == real["shape_overrides"]
        assert c["exposure"] is real["exposure"] and c["covariates"] is real["covariates"]
        # the same periods are left out wherever the histories overlap
        common = c["index"].intersection(real["index"])
        mine = pd.Series(c["exclude"], index=c["index"]).loc[common]
        theirs = pd.Series(real["exclude"], index=real["index"]).loc[common]
        pd.testing.assert_series_equal(mine, theirs)
    # placebo windows that start after the step model it exactly as the real fit does
    assert {_ids(c["terms"]) for c in calls} <= {("S1",), ()}
    # a variant with the headline settings fits the very same baseline as estimate_effect
    same = fit_effect(dataclasses.replace(est.setup, seed=est.setup.seed))
    np.testing.assert_allclose(same.baseline.fitted, est.baseline.fitted, rtol=0, atol=0)


def test_sensitivity_old_call_form_warns_and_gives_the_same_result():
    sim = simulate_counts(n_pre=48, n_post=3, effect_size=0.2, seed=5)
    grid = {"families": ("poisson",), "buffers": (1,), "use_breaks": (True,), "pre_starts": ()}
    with pytest.warns(DeprecationWarning, match=r"sensitivity\(estimate_effect") as record:
        old = sensitivity(sim.series, sim.events, n_paths=200, seed=4, **grid)
    assert record[0].filename == __file__  # the warning names the caller
    est = estimate_effect(sim.series, sim.events,
                          seed=counterfactual.seed_for(4, "series", "+".join(sim.events.ids)))
    new = sensitivity(est, n_paths=200, seed=4, **grid)
    pd.testing.assert_frame_equal(old.to_frame(), new.to_frame())
