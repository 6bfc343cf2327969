"""Counterfactual effect estimates: known-truth recovery, schema, coherence, errors."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact._core.constants import FLANDERS, MIN_N_PATHS
from impact._core.exceptions import DataValidationError, EventError, FitError, ImpactWarning
from impact.baselines import BaselineSpec
from impact.estimation.counterfactual import (
    EFFECT_COLUMNS,
    _contain,
    estimate_effect,
    estimate_effects,
)
from impact.events.registry import Event, EventRegistry
from impact.simulation.simulate import simulate_counts, simulate_panel

#: Monte Carlo error of quantiles from 2000 paths is well below this (calls).
SUM_ATOL = 1e-6


@pytest.fixture(scope="module")
def sim():
    return simulate_counts(n_pre=96, n_post=6, mean_calls=120, effect_shape="step",
                           effect_size=0.3, capacity_break=(40, 0.25), seed=12)


@pytest.fixture(scope="module")
def est(sim):
    return estimate_effect(sim.series, sim.events, seed=5)


def test_known_effect_recovered(sim, est):
    assert est.cumulative_effect_lower <= sim.true_cumulative_effect <= est.cumulative_effect_upper
    assert est.relative_effect_lower <= sim.true_relative_effect <= est.relative_effect_upper
    assert est.cumulative_effect > 0 and est.p_positive > 0.95


#: 60 series: a 95% interval covers in 57 on average; binomial sd is about 1.7 series.
COVERAGE_SERIES = 60
COVERAGE_MIN = 0.88


def test_small_coverage_check():
    """Fast version of the benchmark: 60 NB series with a registered break and a +10%
    step; the 95% interval of the cumulative effect must cover the truth in most."""
    rng = np.random.default_rng(99)
    hits = []
    for i in range(COVERAGE_SERIES):
        sim = simulate_counts(n_pre=60, n_post=6, mean_calls=float(rng.uniform(20, 250)),
                              effect_size=0.1, capacity_break=(30, 0.2), seed=1000 + i)
        e = estimate_effect(sim.series, sim.events, seed=i, n_paths=1000)
        hits.append(e.cumulative_effect_lower <= sim.true_cumulative_effect
                    <= e.cumulative_effect_upper)
    coverage = float(np.mean(hits))
    assert COVERAGE_MIN <= coverage <= 1.0, coverage


def test_frame_schema_and_identities(est):
    f = est.to_frame()
    assert tuple(f.columns) == EFFECT_COLUMNS
    assert f.index.name == "month" and isinstance(f.index, pd.PeriodIndex)
    post = f[f.is_post]
    np.testing.assert_allclose(post.effect, post.observed - post.expected)
    assert est.cumulative_effect == pytest.approx(post.effect.sum(), abs=SUM_ATOL)
    assert (post.expected_lower <= post.expected_upper).all()
    assert (post.effect_lower <= post.effect_upper).all()
    assert f.loc[~f.is_post, "effect"].isna().all()
    rel = post.observed.sum() / post.expected.sum() - 1
    assert est.relative_effect == pytest.approx(rel)


def test_summary_states_level_kind_method(est):
    s = est.summary()
    assert list(s.table.index) == ["average", "cumulative", "relative"]
    for word in ("95%", "simulation interval", "negative binomial", "Data kind"):
        assert word in s.text
    assert (s.table["lower"] <= s.table["estimate"]).all()
    assert (s.table["estimate"] <= s.table["upper"]).all()


def test_80_band_nests_in_95_band(sim):
    e95 = estimate_effect(sim.series, sim.events, seed=5, level=0.95)
    e80 = estimate_effect(sim.series, sim.events, seed=5, level=0.80)
    assert e95.cumulative_effect_lower <= e80.cumulative_effect_lower
    assert e80.cumulative_effect_upper <= e95.cumulative_effect_upper
    f95, f80 = e95.to_frame(), e80.to_frame()
    post = f95.is_post
    assert (f95.expected_lower[post] <= f80.expected_lower[post]).all()
    assert (f80.expected_upper[post] <= f95.expected_upper[post]).all()


def test_same_seed_same_result_and_inputs_not_mutated(sim):
    s = sim.series.copy()
    a = estimate_effect(s, sim.events, seed=9)
    b = estimate_effect(s, sim.events, seed=9)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    assert a.cumulative_effect_lower == b.cumulative_effect_lower
    pd.testing.assert_series_equal(s, sim.series)


def test_null_effect_interval_covers_zero():
    sim0 = simulate_counts(n_pre=96, n_post=6, mean_calls=80, effect_size=0.0, seed=3)
    e = estimate_effect(sim0.series, sim0.events, seed=1)
    assert e.cumulative_effect_lower < 0 < e.cumulative_effect_upper


def test_poisson_intervals_narrower_than_negbin(sim):
    nb = estimate_effect(sim.series, sim.events, seed=2)
    po = estimate_effect(sim.series, sim.events, seed=2, spec=BaselineSpec(family="poisson"))
    width = lambda e: e.cumulative_effect_upper - e.cumulative_effect_lower  # noqa: E731
    assert width(po) < width(nb)


def test_panel_total_is_sum_of_teams():
    panel = simulate_panel(n_pre=60, n_post=4, effect_size=0.2, seed=4)
    frame = panel.frame
    table = estimate_effects(frame, panel.events, seed=7, n_paths=500)
    teams = [e for e in table.estimates if e.team != FLANDERS]
    total = table[FLANDERS]
    assert len(teams) == 5 and table.teams[-1] == FLANDERS
    assert total.cumulative_effect == pytest.approx(sum(e.cumulative_effect for e in teams))
    np.testing.assert_allclose(total.paths, sum(e.paths for e in teams))
    # the total's interval is narrower than the sum of team bounds (not summed bounds)
    assert total.cumulative_effect_upper - total.cumulative_effect_lower < sum(
        e.cumulative_effect_upper - e.cumulative_effect_lower for e in teams)
    long = table.to_frame()
    assert {"team", "event", "month"} <= set(long.columns)
    # per-team streams do not depend on processing order
    rev = estimate_effects(frame, panel.events, seed=7, n_paths=500,
                           teams=list(reversed(panel.frame.team.unique())))
    assert rev["Limburg"].cumulative_effect_lower == table["Limburg"].cumulative_effect_lower


def test_joint_effect_message_for_two_events(sim):
    idx = sim.series.index
    first_post = idx[-6]
    a = Event(id="A", name="news a", kind="news", start=first_post.start_time, shape="step")
    b = Event(id="B", name="news b", kind="news",
              start=first_post.start_time + pd.Timedelta(days=9), shape="step")
    e = estimate_effect(sim.series, [a, b], seed=1)
    assert e.event == "A+B"
    assert any("joint effect" in w for w in e.warnings)


def test_confounder_in_post_period_reported(sim):
    post0 = sim.series.index[-6]
    cap = Event(id="CAP", name="chat on Fridays", kind="capacity",
                start=post0.start_time + pd.Timedelta(days=40), shape="step")
    ctx = EventRegistry([*sim.events, cap])
    effect_events = [e for e in sim.events if e.kind == "campaign"]
    e = estimate_effect(sim.series, effect_events, context=ctx, seed=1)
    assert any("CAP" in w and "confounded" in w for w in e.warnings)


def test_errors_name_the_problem(sim):
    with pytest.raises(EventError, match="at least one event"):
        estimate_effect(sim.series, [], seed=1)
    late = Event(id="LATE", name="late", kind="news", start="2040-01-01")
    with pytest.raises(DataValidationError, match="outside the series"):
        estimate_effect(sim.series, [late], seed=1)
    with pytest.raises(DataValidationError, match="level"):
        estimate_effect(sim.series, sim.events, level=95)
    gap = sim.series.drop(sim.series.index[10])
    with pytest.raises(DataValidationError, match="missing"):
        estimate_effect(gap, sim.events, seed=1)


@given(seed=st.integers(0, 10_000), level=st.sampled_from([0.5, 0.8, 0.9, 0.95]))
def test_property_intervals_ordered(seed, level):
    sim = simulate_counts(n_pre=48, n_post=3, mean_calls=60, effect_size=0.1, seed=seed)
    e = estimate_effect(sim.series, sim.events, seed=seed, n_paths=300, level=level)
    assert e.cumulative_effect_lower <= e.cumulative_effect_upper
    assert e.relative_effect_lower <= e.relative_effect_upper
    f = e.to_frame()
    post = f[f.is_post]
    np.testing.assert_allclose(post.effect.sum(), e.cumulative_effect)
    assert (post.expected_lower <= post.expected_upper).all()


def test_result_is_frozen(est):
    with pytest.raises(dataclasses.FrozenInstanceError):
        est.level = 0.5  # type: ignore[misc]


def test_plot_returns_axes(est, close_figures):
    ax = est.plot()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "95% prediction interval" in labels and "observed" in labels


def _panel_with_common_shocks(seed: int, *, shock_sd: float, n_pre: int = 72, n_post: int = 4):
    """Five NB teams sharing a monthly log-scale shock (national news, holidays)."""
    from impact._core.constants import TEAMS

    rng = np.random.default_rng(seed)
    idx = pd.period_range("2016-01", periods=n_pre + n_post, freq="M", name="month")
    common = rng.normal(0.0, shock_sd, len(idx))
    season = 0.15 * np.cos(2 * np.pi * np.asarray(idx.month) / 12)
    rows = []
    for i, team in enumerate(TEAMS):
        mu = (60.0 + 30.0 * i) * np.exp(season + common)
        y = rng.poisson(rng.gamma(1 / 0.02, 0.02 * mu))
        rows += [{"team": team, "month": m, "calls": int(v)} for m, v in zip(idx, y,
                                                                             strict=True)]
    frame = pd.DataFrame(rows)
    frame.attrs["kind"] = "synthetic"
    event = Event(id="X", name="national story", kind="news", start=idx[n_pre].start_time,
                  shape="step")
    return frame, event


def test_common_shocks_widen_the_total_but_not_the_teams():
    frame, event = _panel_with_common_shocks(3, shock_sd=0.12)
    corr = estimate_effects(frame, [event], seed=5, n_paths=1500)
    indep = estimate_effects(frame, [event], seed=5, n_paths=1500, team_correlation=False)
    width = lambda e: e.cumulative_effect_upper - e.cumulative_effect_lower  # noqa: E731
    assert width(corr[FLANDERS]) > 1.2 * width(indep[FLANDERS])
    for team in corr.teams[:-1]:
        assert width(corr[team]) == pytest.approx(width(indep[team]), rel=0.2)
    note = [w for w in corr[FLANDERS].warnings if "cross-team correlation" in w]
    assert note and "mean pairwise r = +0." in note[0]
    teams = [e for e in corr.estimates if e.team != FLANDERS]
    np.testing.assert_allclose(corr[FLANDERS].mean_paths, sum(e.mean_paths for e in teams))
    assert corr[FLANDERS].cumulative_effect == pytest.approx(
        sum(e.cumulative_effect for e in teams))


# --- hard series (issue 10): clear errors, warnings, intervals that can be true ----------

HARD_EVENT = Event(id="X1", name="campaign", kind="campaign", start="2021-07-01", shape="step")
#: Tolerance of "point inside its interval" (float rounding only).
CONTAIN_ATOL = 1e-9


def _hard_series(values: np.ndarray) -> pd.Series:
    idx = pd.period_range("2016-01", periods=len(values), freq="M", name="month")
    return pd.Series(np.asarray(values, dtype="int64"), index=idx, name="calls")


def _assert_honest(e) -> None:
    """Every interval contains its point, relative effects are >= -100%, and non-finite
    values are NaN in the table and 'not estimable' in the text."""
    table = e.summary().table
    for q, row in table.iterrows():
        if np.isnan(row["lower"]) or np.isnan(row["upper"]):
            assert "not estimable" in e.summary().text, q
            continue
        assert np.isfinite([row["estimate"], row["lower"], row["upper"]]).all(), q
        assert row["lower"] - CONTAIN_ATOL <= row["estimate"] <= row["upper"] + CONTAIN_ATOL, q
    assert e.relative_effect_lower >= -1.0 or np.isnan(e.relative_effect_lower)
    f = e.to_frame()
    post = f[f["is_post"]]
    for name in ("expected", "effect"):
        lo, hi = post[f"{name}_lower"], post[f"{name}_upper"]
        assert ((lo - CONTAIN_ATOL <= post[name]) & (post[name] <= hi + CONTAIN_ATOL)).all()
    cf = e.cumulative_frame()
    assert ((cf["cumulative_effect_lower"] - CONTAIN_ATOL <= cf["cumulative_effect"])
            & (cf["cumulative_effect"] <= cf["cumulative_effect_upper"] + CONTAIN_ATOL)).all()


@pytest.mark.parametrize("n_paths", [0, -5, 1, 199])
def test_n_paths_below_the_minimum_is_refused(sim, n_paths):
    with pytest.raises(DataValidationError, match=r"n_paths must be a whole number >= 200"):
        estimate_effect(sim.series, sim.events, n_paths=n_paths)


def test_all_zero_history_is_a_fit_error():
    values = np.random.default_rng(2).negative_binomial(20, 0.2, size=72)
    values[:66] = 0
    with pytest.raises(FitError, match=r"all 66 fitted months \(2016-01 to 2021-06\) have 0"):
        estimate_effect(_hard_series(values), HARD_EVENT)


def test_panel_team_of_zeros_is_a_fit_error_naming_the_team():
    pan = simulate_panel(seed=3)
    frame = pan.frame.copy()
    frame.loc[frame["team"] == "Limburg", "calls"] = 0
    with pytest.raises(FitError, match=r"^team 'Limburg': .*all .* have 0 calls.*teams=\["):
        estimate_effects(frame, pan.events, n_paths=200)


def test_panel_notes_on_a_team_s_data_name_the_team():
    """Missing records and outliers are about one team's data: in a panel (and so in the
    report's list of warnings) they are named with the team; the Flanders total, which
    sums the teams, carries them too."""
    pan = simulate_panel(seed=3)
    frame = pan.frame.copy()
    limburg = frame.index[frame["team"] == "Limburg"]
    frame.loc[limburg[:12], "calls"] = 0
    frame.loc[frame.index[frame["team"] == "Antwerpen"][30], "calls"] = 1_000_000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        table = estimate_effects(frame, pan.events, n_paths=200, seed=1)
    assert any(w.startswith("Limburg: 12 months with 0 calls, ") for w in table["Limburg"].warnings)
    assert any(w.startswith("Antwerpen: 1 outlying fitted period")
               for w in table["Antwerpen"].warnings)
    assert not any("months with 0 calls" in w for w in table["Antwerpen"].warnings)
    assert any(w.startswith("Limburg: 12 months with 0 calls, ")
               for w in table[FLANDERS].warnings)


def test_outlier_in_the_pre_period_is_warned_on_the_result():
    values = np.random.default_rng(4).negative_binomial(20, 0.2, size=72)
    values[30] = 1_000_000
    with pytest.warns(ImpactWarning, match="outlying"):
        e = estimate_effect(_hard_series(values), HARD_EVENT, n_paths=500, seed=1)
    assert any("2018-07: 1,000,000 calls" in w for w in e.warnings)
    assert "2018-07: 1,000,000 calls" in e.summary().text
    _assert_honest(e)


def test_zero_months_amid_busy_ones_do_not_become_an_effect():
    """A team whose records start late, or whose export lost two months, gets the estimate
    of the months it has (not a 'significant drop' from the zeros); a zero-call month in
    the post-period is named on the result as a missing record, not hidden in the effect."""
    values = np.random.default_rng(6).negative_binomial(20, 0.2, size=72)  # mean 80
    clean = estimate_effect(_hard_series(values), HARD_EVENT, n_paths=1000, seed=3,
                            spec=BaselineSpec(level_shifts="off"))
    gapped = values.copy()
    gapped[:24] = 0
    gapped[40:42] = 0
    with pytest.warns(ImpactWarning, match="taken as missing records"):
        e = estimate_effect(_hard_series(gapped), HARD_EVENT, n_paths=1000, seed=3,
                            spec=BaselineSpec(level_shifts="off"))
    assert any(w.startswith(f"{e.team}: 26 months with 0 calls, 2016-01 to 2017-12 (24 "
                            "months), 2019-05 to 2019-06 (2 months),") for w in e.warnings)
    assert e.cumulative_effect_lower <= 0 <= e.cumulative_effect_upper
    assert abs(e.cumulative_effect - clean.cumulative_effect) < 0.5 * (
        clean.cumulative_effect_upper - clean.cumulative_effect_lower)
    assert not any("post-period month" in w for w in e.warnings)
    lost = values.copy()
    lost[68] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        p = estimate_effect(_hard_series(lost), HARD_EVENT, n_paths=500, seed=3)
    (note,) = [w for w in p.warnings if "post-period month" in w]
    assert note.startswith(f"{p.team}: 1 post-period month with 0 calls where the baseline "
                           "expects about ")
    assert "2021-09" in note and "missing record" in note


def test_relative_effect_is_bounded_by_minus_100_percent():
    """No calls at all after the event: relative effect -100%, never below."""
    values = np.random.default_rng(5).negative_binomial(5, 0.5, size=72)  # mean 5
    values[66:] = 0
    e = estimate_effect(_hard_series(values), HARD_EVENT, n_paths=500, seed=2)
    assert e.relative_effect == pytest.approx(-1.0)
    assert e.relative_effect_lower >= -1.0
    _assert_honest(e)


def test_huge_counts_keep_the_point_inside_the_interval():
    values = np.random.default_rng(6).negative_binomial(20, 0.2, size=72) * 10**12
    e = estimate_effect(_hard_series(values), HARD_EVENT, n_paths=500, seed=3)
    _assert_honest(e)
    assert not any("outside its simulation interval" in w for w in e.warnings)


def test_non_finite_bounds_are_not_printed_as_numbers(est):
    nan = float("nan")
    broken = dataclasses.replace(est, cumulative_effect_lower=nan, relative_effect_upper=nan)
    text = broken.summary().text
    assert "95% interval not estimable" in text and "(not estimable)" in text
    assert "nan" not in text.lower().replace("not estimable", "")


def test_contain_widens_to_the_point_and_nans_non_finite_bounds():
    notes: list[str] = []
    lo, hi = _contain(np.array([5.0, 1.0, 2.0]), np.array([6.0, 0.0, -np.inf]),
                      np.array([7.0, 2.0, 3.0]), "monthly effect", notes)
    np.testing.assert_array_equal(lo[:2], [5.0, 0.0])
    assert np.isnan(lo[2]) and np.isnan(hi[2])
    assert any("extended to include it" in n for n in notes)
    assert any("not estimable" in n for n in notes)


@st.composite
def hard_series(draw):
    """Monthly series with a mean from 5 to 1e9 calls, some zeros, maybe an outlier."""
    seed = draw(st.integers(0, 2**16))
    scale = draw(st.sampled_from([5.0, 40.0, 300.0, 1e9]))
    rng = np.random.default_rng(seed)
    values = rng.negative_binomial(10, 10 / (10 + scale), size=72).astype(float)
    n_zero = draw(st.integers(0, 20))
    values[rng.choice(66, n_zero, replace=False)] = 0
    if draw(st.booleans()):
        values[int(rng.integers(0, 66))] *= 50
    if draw(st.booleans()):
        values[66:] = np.floor(values[66:] * draw(st.sampled_from([0.0, 0.3, 2.0])))
    return _hard_series(values), draw(st.sampled_from(["negbin", "poisson", "quasipoisson"]))


def _check_hard(case) -> None:
    series, family = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        try:
            e = estimate_effect(series, HARD_EVENT, spec=BaselineSpec(family=family),
                                n_paths=MIN_N_PATHS, seed=0)
        except FitError:
            return  # a clear refusal is an honest answer
    _assert_honest(e)


@settings(max_examples=20)
@given(hard_series())
def test_hard_series_give_honest_intervals(case):
    _check_hard(case)


@pytest.mark.slow
@settings(max_examples=200)
@given(hard_series())
def test_hard_series_give_honest_intervals_many(case):
    _check_hard(case)


@pytest.mark.parametrize("family", ["negbin", "sarima"])
def test_a_covariate_gap_is_named_not_a_linear_algebra_error(family):
    """A control series with one empty month used to stop the fit with 'SVD did not
    converge' (count GLM) deep inside the fit."""
    rng = np.random.default_rng(5)
    idx = pd.period_range("2017-01", periods=84, freq="M")
    series = pd.Series(rng.poisson(120, len(idx)), index=idx, name="calls")
    cov = pd.DataFrame({"unemployment": np.linspace(5, 7, len(idx))}, index=idx)
    cov.loc[pd.Period("2019-05", "M"), "unemployment"] = np.nan
    event = Event(id="x", name="x", kind="news", start="2023-07-01")
    with pytest.raises(DataValidationError,
                       match=r"column 'unemployment': 1 month\(s\) without a finite value "
                             r"\(2019-05: nan\)"):
        estimate_effect(series, event, covariates=cov, spec=BaselineSpec(family=family))
