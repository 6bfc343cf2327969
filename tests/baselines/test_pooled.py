"""Tests of the pooled multi-team count baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impact._core.constants import TEAMS
from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineFit, BaselineSpec, fit_baseline
from impact.baselines.pooled import PooledFit, fit_pooled_baseline
from impact.events.registry import Event, EventRegistry

#: Team levels (calls a month) and log trends per year of the simulated panel.
LEVELS = (200.0, 40.0, 170.0, 140.0, 60.0)
TRENDS = (0.03, 0.0, 0.05, -0.02, 0.02)
#: Shared seasonal amplitude on the log scale and NB2 dispersion.
AMPLITUDE = 0.15
ALPHA = 0.03
N_MONTHS = 60
#: The pooled GLM must reproduce a one-team GLM fit of impact.baselines.glm to this rtol.
GLM_RTOL = 1e-6


def true_profile() -> np.ndarray:
    """Centred log seasonal factors of January..December."""
    s = AMPLITUDE * np.cos(2 * np.pi * (np.arange(12) - 2) / 12)
    return s - s.mean()


def simulate_panel(
    seed: int, *, n: int = N_MONTHS, break_at: int | None = None, break_size: float = 0.0
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx = pd.period_range("2017-01", periods=n, freq="M", name="month")
    t = np.arange(n)
    season = true_profile()[t % 12]
    rows = []
    for team, level, trend in zip(TEAMS, LEVELS, TRENDS, strict=True):
        log_mu = np.log(level) + trend * t / 12 + season
        if break_at is not None:
            log_mu = log_mu + break_size * (t >= break_at)
        mu = np.exp(log_mu)
        y = rng.poisson(mu * rng.gamma(1 / ALPHA, ALPHA, n))
        rows.append(pd.DataFrame({"team": team, "month": idx, "calls": y}))
    return pd.concat(rows, ignore_index=True)


def seasonal_profile(params: pd.Series) -> np.ndarray:
    """Centred month-of-year profile from month_02..month_12 (January = 0)."""
    prof = np.r_[0.0, [params.get(f"month_{m:02d}", 0.0) for m in range(2, 13)]]
    return prof - prof.mean()


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return simulate_panel(5)


@pytest.fixture(scope="module")
def pooled(panel) -> PooledFit:
    return fit_pooled_baseline(panel, BaselineSpec())


def test_pooled_seasonality_beats_separate_fits():
    rmse_pooled, rmse_separate = [], []
    truth = true_profile()
    for seed in range(3):
        panel = simulate_panel(40 + seed)
        pooled = fit_pooled_baseline(panel, BaselineSpec())
        rmse_pooled.append(np.sqrt(np.mean((seasonal_profile(pooled.params) - truth) ** 2)))
        for team in TEAMS:
            alone = fit_pooled_baseline(panel, BaselineSpec(), teams=[team])
            err = seasonal_profile(alone.params) - truth
            rmse_separate.append(np.sqrt(np.mean(err**2)))
    assert np.mean(rmse_pooled) < np.mean(rmse_separate)
    # with five teams the pooled profile should be markedly better, not just as good
    assert np.mean(rmse_pooled) < 0.75 * np.mean(rmse_separate)


def test_one_team_pooled_fit_equals_count_glm(panel):
    team = "Limburg"
    alone = fit_pooled_baseline(panel, BaselineSpec(), teams=[team])
    rows = panel[panel["team"] == team]
    series = pd.Series(
        rows["calls"].to_numpy(), index=pd.PeriodIndex(rows["month"], name="month"), name="calls"
    )
    glm = fit_baseline(series, BaselineSpec())
    np.testing.assert_allclose(alone.params.to_numpy(), glm.params.to_numpy(), rtol=GLM_RTOL)
    assert alone.dispersion == pytest.approx(glm.dispersion, rel=GLM_RTOL)


def test_fit_fields(pooled, panel):
    assert pooled.teams == TEAMS
    assert len(pooled.history) == len(panel)
    assert list(pooled.fitted.columns) == ["team", "month", "expected"]
    assert (pooled.fitted["expected"] > 0).all()
    assert 0 < pooled.dispersion < 0.2
    for team in TEAMS:
        assert f"team[{team}]" in pooled.params.index
        assert f"trend[{team}]" in pooled.params.index
    assert pooled.params.filter(like="month_").size == 11
    frame = pooled.to_frame()
    assert list(frame.columns) == [
        "team",
        "month",
        "observed",
        "expected",
        "excluded",
        "pearson_residual",
    ]
    assert "5 teams" in pooled.summary().text


def test_simulate_panel_shapes_and_determinism(pooled):
    periods = pd.period_range("2022-01", periods=6, freq="M")
    a = pooled.simulate_panel(periods, n_paths=400, seed=3)
    b = pooled.simulate_panel(periods, n_paths=400, seed=3)
    c = pooled.simulate_panel(periods, n_paths=400, seed=4)
    assert list(a) == list(TEAMS)
    for team in TEAMS:
        assert a[team].shape == (400, 6)
        assert np.all(a[team] >= 0)
        np.testing.assert_array_equal(a[team], np.rint(a[team]))
        np.testing.assert_array_equal(a[team], b[team])
    assert not np.array_equal(a["Antwerpen"], c["Antwerpen"])
    # path means agree with the model means
    for team in TEAMS:
        mean = pooled.mean(team, periods).to_numpy()
        np.testing.assert_allclose(a[team].mean(axis=0).sum(), mean.sum(), rtol=0.05)


def test_simulate_panel_shares_the_parameter_draw():
    """Two years of data: the shared month effects are uncertain, and one draw per path
    for all teams makes the teams' counts of a month move together across paths."""
    panel = simulate_panel(9, n=24)
    fit = fit_pooled_baseline(panel, BaselineSpec(family="quasipoisson", ar_noise=False))
    periods = pd.period_range("2019-01", periods=3, freq="M")
    paths = fit.simulate_panel(periods, n_paths=4000, seed=1)
    upper = np.triu_indices(len(TEAMS), 1)
    first = np.column_stack([paths[t][:, 0] for t in TEAMS])
    assert np.corrcoef(first.T)[upper].mean() > 0.04
    # separate per-team simulations (own draws) carry no such dependence
    alone = np.column_stack(
        [fit.fit_for(t).simulate(periods, n_paths=4000, seed=i)[:, 0] for i, t in enumerate(TEAMS)]
    )
    assert abs(np.corrcoef(alone.T)[upper].mean()) < 0.03
    # ... but the same marginals
    np.testing.assert_allclose(
        np.quantile(alone[:, 0], [0.1, 0.5, 0.9]),
        np.quantile(first[:, 0], [0.1, 0.5, 0.9]),
        rtol=0.05,
    )


def test_fit_for_is_a_baseline_fit(pooled, panel):
    fit = pooled.fit_for("West-Vlaanderen")
    assert isinstance(fit, BaselineFit)
    rows = panel[panel["team"] == "West-Vlaanderen"]
    np.testing.assert_array_equal(fit.history.to_numpy(), rows["calls"].to_numpy())
    assert fit.history.index.freqstr == "M"
    periods = pd.period_range("2022-01", periods=12, freq="M")
    np.testing.assert_allclose(
        fit.mean(periods).to_numpy(), pooled.mean("West-Vlaanderen", periods).to_numpy()
    )
    np.testing.assert_allclose(
        fit.fitted.to_numpy(), fit.mean(fit.history.index).to_numpy(), rtol=1e-10
    )
    fc = fit.forecast(periods, level=0.9, n_paths=500, seed=1)
    assert (fc.lower <= fc.mean).all() and (fc.mean <= fc.upper).all()
    assert "Team West-Vlaanderen" in fit.method


def test_shared_and_team_scoped_breaks():
    panel = simulate_panel(11, break_at=36, break_size=0.3)
    start = pd.Period("2020-01", freq="M").start_time
    breaks = EventRegistry(
        [
            Event(id="B1", name="new lines", kind="capacity", start=start),
            Event(
                id="B2",
                name="Limburg chat",
                kind="capacity",
                start=pd.Timestamp("2018-07-01"),
                scope="Limburg",
            ),
        ]
    )
    fit = fit_pooled_baseline(panel, BaselineSpec(), breaks=breaks)
    assert fit.params["break_B1"] == pytest.approx(0.3, abs=0.08)
    # B2 has no true effect; it is estimated from Limburg's rows only
    assert abs(fit.params["break_B2"]) < 0.25
    history = pd.period_range("2017-01", "2021-12", freq="M")
    X_other = fit.backend.design.team_frame("Antwerpen", history)
    assert "break_B2" not in X_other.columns
    # the shared break stays in force in the forecast
    mean = fit.mean("Antwerpen", pd.period_range("2022-01", periods=1, freq="M"))
    assert mean.iloc[0] > 200


def test_piecewise_trend_slope_is_anchored_in_forecasts():
    panel = simulate_panel(12)
    start = pd.Period("2019-01", freq="M").start_time
    breaks = EventRegistry([Event(id="B1", name="x", kind="capacity", start=start)])
    fit = fit_pooled_baseline(panel, BaselineSpec(trend="piecewise"), breaks=breaks)
    X = fit.backend.design.team_frame("Antwerpen", pd.period_range("2022-01", periods=2, freq="M"))
    # months since the break, in years: Jan 2022 is 36 months after Jan 2019
    np.testing.assert_allclose(X["slope_B1"].to_numpy(), [3.0, 37 / 12])


def test_excluded_months_do_not_reach_the_fit(panel):
    months = pd.period_range("2019-03", "2019-05", freq="M")
    exclude = pd.Series(True, index=months)
    base = fit_pooled_baseline(panel, BaselineSpec(), exclude=exclude)
    spoiled = panel.copy()
    spoiled.loc[spoiled["month"].isin(months), "calls"] = 9999
    fit = fit_pooled_baseline(spoiled, BaselineSpec(), exclude=exclude)
    assert int(fit.history["excluded"].sum()) == 3 * len(TEAMS)
    np.testing.assert_allclose(fit.params.to_numpy(), base.params.to_numpy(), rtol=1e-8)
    # per-team exclusion through a (team, month) MultiIndex
    key = pd.MultiIndex.from_tuples([("Limburg", pd.Period("2019-03", freq="M"))])
    one = fit_pooled_baseline(panel, BaselineSpec(), exclude=pd.Series(True, index=key))
    assert int(one.history["excluded"].sum()) == 1


def test_a_team_whose_records_start_late_is_fitted_on_its_records(panel):
    """Zero months of a busy team are missing records: left out of the pooled fit like
    excluded months, and named with the team in the fit's warnings."""
    months = pd.period_range("2017-01", "2018-06", freq="M")
    exclude = pd.Series(True, index=pd.MultiIndex.from_tuples(
        [("Limburg", m) for m in months]))
    base = fit_pooled_baseline(panel, BaselineSpec(), exclude=exclude)
    late = panel.copy()
    late.loc[(late["team"] == "Limburg") & late["month"].isin(months), "calls"] = 0
    fit = fit_pooled_baseline(late, BaselineSpec())
    np.testing.assert_allclose(fit.params.to_numpy(), base.params.to_numpy(), rtol=1e-8)
    assert int(fit.history["excluded"].sum()) == len(months)
    (note,) = [w for w in fit.warnings if "missing records" in w]
    assert note.startswith("Limburg: 18 months with 0 calls, 2017-01 to 2018-06 (18 months),")


def test_fourier_seasonality_and_days_exposure(panel):
    fit = fit_pooled_baseline(
        panel, BaselineSpec(seasonality="fourier", harmonics=2, exposure="days")
    )
    assert {"sin_1", "cos_1", "sin_2", "cos_2"} <= set(fit.params.index)
    feb, mar = (pd.Period(m, freq="M") for m in ("2023-02", "2023-03"))
    both = fit.mean("Antwerpen", pd.PeriodIndex([feb, mar]))
    assert np.isfinite(both.to_numpy()).all()


def test_exposure_column(panel):
    with_hours = panel.assign(exposure=1.0)
    spec = BaselineSpec(exposure="column")
    fit = fit_pooled_baseline(with_hours, spec)
    future = pd.period_range("2022-01", periods=2, freq="M")
    with pytest.raises(DataValidationError, match="exposure"):
        fit.mean("Limburg", future)  # the panel's exposure covers the history only
    hours = pd.concat(
        [
            with_hours[["team", "month", "exposure"]],
            pd.DataFrame(
                {"team": "Limburg", "month": future, "exposure": [1.0, 2.0]},
            ),
        ],
        ignore_index=True,
    )
    fit2 = fit_pooled_baseline(with_hours, spec, exposure=hours)
    np.testing.assert_allclose(fit2.params.to_numpy(), fit.params.to_numpy())
    mean = fit2.mean("Limburg", future).to_numpy()
    plain = fit_pooled_baseline(panel, BaselineSpec()).mean("Limburg", future).to_numpy()
    np.testing.assert_allclose(mean, plain * [1.0, 2.0], rtol=1e-8)


def test_errors(panel, pooled):
    with pytest.raises(DataValidationError, match="not a count GLM"):
        fit_pooled_baseline(panel, BaselineSpec(family="structural"))
    with pytest.raises(DataValidationError, match="not in the panel"):
        fit_pooled_baseline(panel[panel["team"] != "Limburg"], teams=["Limburg"])
    with pytest.raises(DataValidationError, match="not in the pooled fit"):
        pooled.fit_for("Brussel")
    with pytest.raises(DataValidationError, match="before the pooled history"):
        pooled.mean("Limburg", pd.period_range("2016-06", periods=2, freq="M"))
    with pytest.raises(DataValidationError, match="exclude must be"):
        fit_pooled_baseline(panel, exclude=np.zeros(len(panel), dtype=bool))


def test_estimate_effects_with_complete_pooling_is_coherent() -> None:
    from impact.estimation.counterfactual import estimate_effects
    from impact.simulation.simulate import simulate_panel as sim_panel

    pan = sim_panel(n_pre=60, n_post=4, effect_size=0.2, seed=5)
    table = estimate_effects(pan.frame, pan.events, n_paths=300, seed=2, pooling="complete")
    teams = table.estimates[:-1]
    total = table["Flanders"]
    np.testing.assert_allclose(sum(e.paths for e in teams), total.paths)
    np.testing.assert_allclose(sum(e.mean_paths for e in teams), total.mean_paths)
    assert all(e.method.startswith("Pooled negative binomial") for e in teams)
    assert all(isinstance(e.baseline.backend, type(teams[0].baseline.backend)) for e in teams)
    again = estimate_effects(pan.frame, pan.events, n_paths=300, seed=2, pooling="complete")
    assert again["Flanders"].cumulative_effect_lower == total.cumulative_effect_lower
    with pytest.raises(DataValidationError, match="pooling"):
        estimate_effects(pan.frame, pan.events, n_paths=200, pooling="partial")
