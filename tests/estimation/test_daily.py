"""Estimators at daily and weekly resolution: two events ten days apart are separated
with daily data and merged (with the reason) with monthly data; known effects are
recovered; weekly data work too."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from impact.estimation import estimate_effect, estimate_effects, fit_its
from impact.estimation.separate import _shapley
from impact.events import Event, EventRegistry, check_identifiability

#: Point sums are sums of the same floats: exact up to rounding.
RTOL_SUM = 1e-9

EVENTS = EventRegistry((
    Event(id="E1", name="first", kind="news", start=pd.Timestamp("2023-08-27"),
          shape="decay", half_life=7.0),
    Event(id="E2", name="second", kind="news", start=pd.Timestamp("2023-09-06"),
          shape="decay", half_life=7.0),
))
#: The registry's shapes of the Pichal case (pulse) and the first Godvergeten episode
#: (bump of 28 days), and the same two decays with the default 30-day half-life.
REGISTRY_LIKE = EventRegistry((
    Event(id="E048", name="Pichal case public", kind="news",
          start=pd.Timestamp("2023-08-27"), shape="pulse"),
    Event(id="E049", name="Godvergeten 1", kind="news", start=pd.Timestamp("2023-09-05"),
          shape="bump"),
))
SLOW_DECAYS = EventRegistry(tuple(
    Event(id=e.id, name=e.name, kind="news", start=e.start, shape="decay") for e in EVENTS))
LOG_EFFECTS = np.log1p(np.array([0.5, 0.35]))
DOW = np.array([1.25, 1.10, 1.05, 1.0, 0.95, 0.75, 0.65])


def simulate_daily(seed: int, level: float = 60.0, start: str = "2021-08-27",
                   ) -> tuple[pd.Series, np.ndarray]:
    """A daily NB series with the two events, and the true Shapley components."""
    rng = np.random.default_rng(seed)
    idx = pd.period_range(start, "2023-10-31", freq="D", name="period")
    season = 0.15 * np.cos(2 * np.pi * idx.day_of_year.to_numpy() / 365.25)
    mu0 = level * DOW[idx.day_of_week.to_numpy()] * np.exp(season)
    a = EVENTS.to_regressors(idx).to_numpy() * LOG_EFFECTS
    mu = mu0 * np.exp(a.sum(axis=1))
    y = rng.negative_binomial(30.0, 30.0 / (30.0 + mu))
    post = idx >= pd.Period("2023-08-27", freq="D")
    truth = (_shapley(a[post]) * mu0[post][:, None]).sum(axis=0)
    return pd.Series(y, index=idx, name="calls"), truth


def to_monthly(s: pd.Series) -> pd.Series:
    m = s.groupby(s.index.asfreq("M")).sum()
    m.index = pd.PeriodIndex(m.index, freq="M", name="month")
    return m.loc[:"2023-10"].iloc[1:]  # whole months only


@pytest.fixture(scope="module")
def daily():
    return simulate_daily(7)


@pytest.fixture(scope="module")
def daily_estimate(daily):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimate_effect(daily[0], EVENTS, n_paths=1000, seed=3)


def test_identifiability_daily_separates_monthly_merges(daily):
    s = daily[0]
    for reg in (EVENTS, REGISTRY_LIKE, SLOW_DECAYS):
        assert check_identifiability(reg, s.index).is_identifiable, reg.ids
    for reg in (REGISTRY_LIKE, SLOW_DECAYS):
        monthly = check_identifiability(reg, to_monthly(s).index)
        assert monthly.groups == (reg.ids,)
        assert "daily" in monthly.messages[0]


def test_daily_estimate_has_separate_effects(daily_estimate):
    sep = daily_estimate.separate
    assert sep is not None and sep.components == ("E1", "E2")
    f = sep.to_frame().set_index("component")
    assert list(f.index) == ["E1", "E2", "sum"]
    assert f.loc["sum", "cumulative_effect"] == pytest.approx(
        f.loc[["E1", "E2"], "cumulative_effect"].sum(), rel=RTOL_SUM)
    np.testing.assert_allclose(sep.period_effects.sum().to_numpy(),
                               f.loc[["E1", "E2"], "cumulative_effect"], rtol=RTOL_SUM)
    assert (f["cumulative_effect_lower"] <= f["cumulative_effect"]).all()
    assert (f["cumulative_effect"] <= f["cumulative_effect_upper"]).all()
    assert not sep.merged
    assert any("`separate`" in w for w in daily_estimate.warnings)
    assert "Shapley" in sep.summary().text


def test_known_effects_recovered(daily, daily_estimate):
    truth = daily[1]
    f = daily_estimate.separate.to_frame().set_index("component")
    for comp, true in (("E1", truth[0]), ("E2", truth[1]), ("sum", truth.sum())):
        lo, hi = f.loc[comp, ["cumulative_effect_lower", "cumulative_effect_upper"]]
        assert lo <= true <= hi, comp
        assert lo > 0, comp  # large effects on a large series are detected


def test_monthly_merges_with_reason_and_is_unchanged_by_default(daily):
    m = to_monthly(daily[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        default = estimate_effect(m, SLOW_DECAYS, n_paths=500, seed=3)
        split = estimate_effect(m, SLOW_DECAYS, n_paths=500, seed=3, separate=True)
    assert default.separate is None
    assert any("separate effects need the ITS estimator" in w for w in default.warnings)
    assert split.separate.components == ("E1+E2",)
    assert "monthly resolution" in split.separate.merged[0]
    # the split never changes the estimate's own numbers
    pd.testing.assert_frame_equal(default.to_frame(), split.to_frame())


def test_weekly_series_works(daily):
    s = daily[0].loc["2021-08-30":"2023-10-29"]  # whole Monday-Sunday weeks
    w = s.groupby(s.index.asfreq("W-SUN")).sum()
    w.index = pd.PeriodIndex(w.index, freq="W-SUN", name="period")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = estimate_effect(w, EVENTS, n_paths=500, seed=1)
        its = fit_its(w, EVENTS)
    assert est.post_start == pd.Period("2023-08-27", freq="W-SUN")
    assert est.separate is not None and est.separate.components == ("E1", "E2")
    assert set(its.effects["event"]) == {"E1", "E2"}
    assert np.isfinite(its.effects["rate_ratio"]).all()


def test_fit_its_daily_separates(daily):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        its = fit_its(daily[0], EVENTS)
    eff = its.effects.set_index("event")
    assert list(eff.index) == ["E1", "E2"]
    for k, e in enumerate(("E1", "E2")):
        rr = np.exp(LOG_EFFECTS[k])
        assert eff.loc[e, "rate_ratio_lower"] <= rr <= eff.loc[e, "rate_ratio_upper"]


def test_estimate_effects_daily_panel_total_adds_up():
    rows = []
    for team, seed in (("north", 11), ("south", 12)):
        s, _ = simulate_daily(seed, level=30.0, start="2022-01-01")
        rows.append(pd.DataFrame({"team": team, "period": s.index, "calls": s.to_numpy()}))
    panel = pd.concat(rows, ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = estimate_effects(panel, EVENTS, n_paths=400, seed=5)
    teams = [table[t].separate.to_frame().set_index("component") for t in ("north", "south")]
    total = table["Flanders"].separate
    tf = total.to_frame().set_index("component")
    np.testing.assert_allclose(tf["cumulative_effect"], teams[0]["cumulative_effect"]
                               + teams[1]["cumulative_effect"], rtol=RTOL_SUM)
    long = table.separate_frame()
    assert list(long["team"].unique()) == ["north", "south", "Flanders"]
    np.testing.assert_allclose(
        total.component_paths,
        table["north"].separate.component_paths + table["south"].separate.component_paths)


def test_shapley_shares_add_up(rng):
    a = rng.normal(0.0, 0.4, size=(50, 4))
    np.testing.assert_allclose(_shapley(a).sum(axis=1), np.expm1(a.sum(axis=1)), rtol=1e-12)
    # one event alone gets its whole effect
    np.testing.assert_allclose(_shapley(a[:, :1])[:, 0], np.expm1(a[:, 0]))


def test_separate_plot(daily_estimate, close_figures):
    ax = daily_estimate.separate.plot()
    assert ax.get_legend() is not None
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["E1", "E2"]


@pytest.mark.slow
def test_separate_coverage_many_seeds():
    """Coverage of the separate effects and their sum over 40 seeds (about 0.95)."""
    hits = np.zeros(3)
    n = 40
    for seed in range(n):
        s, truth = simulate_daily(100 + seed, level=20.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = estimate_effect(s, EVENTS, n_paths=1000, seed=seed)
        f = est.separate.to_frame().set_index("component")
        for j, (comp, true) in enumerate((("E1", truth[0]), ("E2", truth[1]),
                                          ("sum", truth.sum()))):
            hits[j] += (f.loc[comp, "cumulative_effect_lower"] <= true
                        <= f.loc[comp, "cumulative_effect_upper"])
    assert (hits / n >= 0.85).all(), hits / n
