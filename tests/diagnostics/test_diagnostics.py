"""Tests of impact.diagnostics.bundle (and impact.diagnostics.placebo): backtests, placebos, sensitivity,
residual and capacity checks, and the check_effect bundle."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from impact.baselines import BaselineSpec, fit_baseline
from impact.diagnostics.bundle import (
    BACKTEST_COLUMNS,
    CHECK_COLUMNS,
    BacktestResult,
    CapacityCheck,
    EffectCheck,
    ModelComparison,
    ResidualCheck,
    backtest_baseline,
    check_capacity,
    check_effect,
    check_effects,
    check_residuals,
    compare_baselines,
    placebo_in_time,
    sensitivity,
)
from impact import Summary
from impact.events.registry import Event, EventRegistry, load_events
from impact._core.exceptions import DataValidationError
from impact.diagnostics.placebo import PLACEBO_COLUMNS, SENSITIVITY_COLUMNS
from impact.simulation.simulate import simulate_counts, simulate_panel

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
    from scipy import stats

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


# --------------------------------------------------------------------------- placebos


def test_placebo_false_positive_rate_on_no_effect_series_is_near_nominal():
    hits = total = 0
    for seed in range(3):
        sim = simulate_counts(n_pre=96, n_post=3, effect_size=0.0, level=120, seed=seed)
        res = placebo_in_time(sim.series, sim.events, spec=BaselineSpec(), n_paths=400,
                              real_n_paths=400, seed=seed)
        f = res.to_frame()
        plc = f[~f["is_real"] & ~f["is_failed"]]
        hits += int(plc["is_excluding_zero"].sum())
        total += len(plc)
        assert res.n_placebos == len(plc) >= 50
    assert FPR_RANGE[0] <= hits / total <= FPR_RANGE[1]


def test_placebo_p_values_follow_the_rank_formula():
    sim = simulate_counts(n_pre=60, n_post=3, effect_size=0.4, level=120, seed=11)
    res = placebo_in_time(sim.series, sim.events, n_paths=300, real_n_paths=500, seed=3)
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
    res = placebo_in_time(sim.series, sim.events, context=EventRegistry([news]),
                          n_paths=200, real_n_paths=200, seed=1)
    starts = pd.PeriodIndex(res.to_frame().query("~is_real")["post_start"], freq="M")
    for a in starts:  # no window [a, a + 2] touches months 50-51
        assert not (a <= idx[51] and a + 2 >= idx[50])
    assert len(starts) == res.n_placebos + res.n_failed


def test_placebo_rejects_bad_alternative():
    sim = simulate_counts(n_pre=48, n_post=3, seed=1)
    with pytest.raises(DataValidationError, match="alternative"):
        placebo_in_time(sim.series, sim.events, alternative="bigger")


# --------------------------------------------------------------------------- sensitivity


def test_sensitivity_table_has_one_row_per_specification():
    sim = simulate_counts(n_pre=96, n_post=3, effect_size=0.2, capacity_break=(40, 0.3),
                          seed=8)
    res = sensitivity(
        sim.series, sim.events.filter(kinds=["campaign"]),
        context=sim.events.filter(kinds=["capacity"]), n_paths=300, seed=2,
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
    ok = f[~f["is_failed"]]
    assert res.relative_effect_min == pytest.approx(ok["relative_effect"].min())
    assert res.relative_effect_max == pytest.approx(ok["relative_effect"].max())
    assert f"{res.relative_effect_min:+.1%}" in res.summary().text
    fact = sensitivity(sim.series, sim.events.filter(kinds=["campaign"]),
                       context=sim.events.filter(kinds=["capacity"]), n_paths=200,
                       families=("negbin", "poisson"), buffers=(0, 1), use_breaks=(True,),
                       pre_starts=["2015-01"], design="factorial")
    assert fact.n_specs == 2 * 2 * 2


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
    sim = simulate_counts(n_pre=96, n_post=1, dispersion=0.3, level=100, seed=2)
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


# --------------------------------------------------------------------------- the bundle


@pytest.fixture(scope="module")
def synthetic(repo_root):
    from impact.simulation.synthetic import build_synthetic_panel

    panel = build_synthetic_panel().calls
    reg = load_events(repo_root / "data" / "events" / "events.csv")
    return panel, reg


def test_check_effect_runs_end_to_end_on_a_synthetic_team(synthetic, close_figures):
    from impact.io.calls import to_series

    panel, reg = synthetic
    team = "Limburg"
    s = to_series(panel, team)
    head = reg.filter(ids=["E048", "E049"])
    ctx = EventRegistry([e for e in reg if e.id not in head]).filter(scope=team)
    spec = BaselineSpec(exposure="days")
    messages: list[str] = []
    chk = check_effect(s, head, spec=spec, context=ctx, seed=7, post_end="2023-10",
                       pre_start="2016-01", progress=messages.append,
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
    results = [
        backtest_baseline(sim.series.iloc[:-3], BaselineSpec(), origins=12, horizons=3,
                          n_paths=200),
        compare_baselines(sim.series.iloc[:-3], [BaselineSpec(), POISSON_FLAT], origins=12,
                          horizons=3, n_paths=200),
        placebo_in_time(sim.series, sim.events, n_paths=200, real_n_paths=200),
        sensitivity(sim.series, sim.events, families=("negbin",), buffers=(0, 1),
                    n_paths=200),
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
