"""Tests of impact.diagnostics.bundle: check_effect, check_effects, and every check result."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from impact import Summary
from impact.baselines import BaselineSpec, fit_baseline
from impact.diagnostics.backtest import (
    backtest_baseline,
    compare_baselines,
)
from impact.diagnostics.bundle import (
    CHECK_COLUMNS,
    EffectCheck,
    EffectCheckTable,
    check_effect,
    check_effects,
)
from impact.diagnostics.checks import check_capacity, check_residuals
from impact.diagnostics.placebo import placebo_in_time
from impact.diagnostics.sensitivity import sensitivity
from impact.estimation.counterfactual import estimate_effect
from impact.events.registry import EventRegistry, load_events
from impact.io.calls import to_series
from impact.simulation.simulate import simulate_counts, simulate_panel
from impact.simulation.synthetic import build_synthetic_panel

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


def _fit(sim, spec: BaselineSpec):
    return fit_baseline(sim.series.iloc[:-1], spec)



# --------------------------------------------------------------------------- the bundle


@pytest.fixture(scope="module")
def synthetic(repo_root):

    panel = build_synthetic_panel().calls
    reg = load_events(repo_root / "data" / "events" / "events.csv")
    return panel, reg


def test_check_effect_runs_end_to_end_on_a_synthetic_team(synthetic, close_figures):

    panel, reg = synthetic
    team = "Limburg"
    s = to_series(panel, team)
    head = reg.filter(ids=["E048", "E049"])
    ctx = EventRegistry([e for e in reg if e.id not in head]).filter(scope=team)
    spec = BaselineSpec(exposure="days")
    messages: list[str] = []
    est = estimate_effect(s, head, spec=spec, context=ctx, seed=7, post_end="2023-10",
                          pre_start="2016-01", team=team)
    chk = check_effect(est, seed=7, progress=messages.append,
                       sensitivity_families=("negbin", "poisson"), origins=12)
    assert isinstance(chk, EffectCheck)
    assert chk.data_kind == "synthetic" and chk.team == team
    assert any("placebo" in m for m in messages)
    assert chk.placebo.n_placebos >= 19
    assert chk.capacity.pre_flagged  # E023 lies in the pre-period
    summ = chk.summary()
    assert isinstance(summ, Summary)
    assert "verdict" in summ.text and "SYNTHETIC" in summ.text
    assert "placebo_p_one_sided" in summ.table.index
    # the unregistered level shift the baseline found is in the diagnostics table (T13)
    assert est.level_shifts, "the synthetic Limburg series has an unregistered shift"
    table = EffectCheckTable(checks=(chk,), seconds=0.0, n_jobs=1, data_kind="synthetic")
    shifts = table.summary().table.loc[team, "level_shifts"]
    first = est.level_shifts[0]
    assert f"{first.size_pct:+.0f}% from {first.period}" in shifts
    f = chk.to_frame()
    assert list(f.columns) == list(CHECK_COLUMNS)
    assert set(f["check"]) >= {"estimate", "placebo", "sensitivity", "residuals",
                               "capacity", "backtest"}
    fig = chk.plot()
    import matplotlib.figure

    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) >= 2


def test_check_effects_covers_teams_and_flanders_independent_of_order(close_figures):
    sim = simulate_panel(n_pre=48, n_post=3, effect_size=0.3, seed=4)
    kw = dict(level=0.9, seed=9, n_paths=300, placebo_n_paths=200,
              sensitivity_families=("negbin",), backtest=False)
    table = check_effects(sim.frame, sim.events, n_jobs=1, **kw)
    assert table.teams[-1] == "Flanders" and len(table.teams) == 6
    summ = table.summary()
    assert list(summ.table.index) == list(table.teams)
    long = table.to_frame()
    assert list(long.columns) == list(CHECK_COLUMNS)
    # one team alone gives the same numbers: streams are seeded by names, not order
    one = check_effects(sim.frame, sim.events, teams=["Limburg"], n_jobs=1, **kw)
    pd.testing.assert_frame_equal(one["Limburg"].placebo.to_frame(),
                                  table["Limburg"].placebo.to_frame())
    fig = table.plot()
    assert len(fig.axes) == 12


def test_every_result_has_summary_to_frame_and_plot(close_figures):
    sim = simulate_counts(n_pre=60, n_post=3, effect_size=0.2, seed=2)
    fit = _fit(sim, BaselineSpec())
    est = estimate_effect(sim.series, sim.events, n_paths=200)
    results = [
        backtest_baseline(sim.series.iloc[:-3], BaselineSpec(), origins=12, horizons=3,
                          n_paths=200),
        compare_baselines(sim.series.iloc[:-3], [BaselineSpec(), POISSON_FLAT], origins=12,
                          horizons=3, n_paths=200),
        placebo_in_time(est, n_paths=200),
        sensitivity(est, families=("negbin",), buffers=(0, 1), n_paths=200),
        check_residuals(fit),
        check_capacity(sim.series, sim.events),
    ]
    for r in results:
        assert isinstance(r.summary(), Summary)
        assert isinstance(r.to_frame(), pd.DataFrame)
        ax = r.plot()
        assert hasattr(ax, "get_title")
        assert dataclasses.is_dataclass(r)
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.data_kind = "real"  # type: ignore[misc]


def _small_grid() -> dict:
    return dict(level=0.9, seed=9, n_paths=200, placebo_n_paths=200, min_history=36,
                sensitivity_families=("negbin",), buffers=(0,), backtest=False)


def test_check_effects_is_identical_for_one_and_two_jobs():
    sim = simulate_panel(n_pre=40, n_post=2, effect_size=0.3, seed=4)
    one = check_effects(sim.frame, sim.events, teams=["Limburg", "Antwerpen"],
                        include_total=False, n_jobs=1, **_small_grid())
    two = check_effects(sim.frame, sim.events, teams=["Limburg", "Antwerpen"],
                        include_total=False, n_jobs=2, **_small_grid())
    assert two.n_jobs == 2
    pd.testing.assert_frame_equal(one.to_frame(), two.to_frame(), check_exact=True)


def test_check_effects_runs_on_a_dask_cluster_through_joblib():
    pytest.importorskip("dask", reason="dask is an optional extra ([dask], installed with [dev])")
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed")
    import joblib

    sim = simulate_panel(n_pre=40, n_post=2, effect_size=0.3, seed=4)
    one = check_effects(sim.frame, sim.events, teams=["Limburg"], include_total=False,
                        n_jobs=1, **_small_grid())
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2):
        with joblib.parallel_config(backend="dask"):
            on_dask = check_effects(sim.frame, sim.events, teams=["Limburg", "Antwerpen"],
                                    include_total=False, n_jobs=2, **_small_grid())
    pd.testing.assert_frame_equal(one.to_frame(),
                                  on_dask.to_frame().query("team == 'Limburg'"),
                                  check_exact=True)
