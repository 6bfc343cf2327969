"""Tests of the time-series baselines (structural, SARIMA, ETS, seasonal naive)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from impact._core.exceptions import DataValidationError, FitError
from impact.baselines import BaselineSpec, fit_baseline
from impact.baselines import timeseries as backends_ts
from impact.baselines.timeseries import TRIGONOMETRIC_HARMONICS, _structural_model, fit_ts_baseline
from impact.events.registry import Event, EventRegistry

#: A 12-month forecast total must be within this relative distance of the true mean
#: (NB noise with alpha 0.03 at ~100 calls gives a one-year total sd of ~6%).
FORECAST_RTOL = 0.15
#: Monthly 95% prediction intervals on a handful of series: plausible coverage band.
COVERAGE_BAND = (0.80, 1.0)
#: Variances of the Nile local level model, Durbin & Koopman (2012), section 2.10.
NILE_SIGMA2_IRREGULAR = 15099.0
NILE_SIGMA2_LEVEL = 1469.1
#: The Nile likelihood is flat: estimates agree to within 2% across optimisers.
NILE_RTOL = 0.02

N_HIST = 96
N_HOLD = 12

SPECS = {
    "structural": BaselineSpec(family="structural"),
    "structural_trig": BaselineSpec(
        family="structural", trend_component="random_walk", seasonal_kind="trigonometric"
    ),
    "sarima": BaselineSpec(family="sarima"),
    "ets": BaselineSpec(family="ets"),
    "seasonal_naive": BaselineSpec(family="seasonal_naive"),
}


def simulate_nb(
    seed: int,
    *,
    n: int = N_HIST + N_HOLD,
    level: float = 100.0,
    alpha: float = 0.03,
    trend: float = 0.03,
    break_at: int | None = None,
    break_size: float = 0.0,
) -> tuple[pd.Series, np.ndarray]:
    """Seasonal NB2 monthly counts and their true means (level ~100 at the end)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    log_mu = (
        np.log(level)
        + trend * (t - n) / 12
        + 0.15 * np.cos(2 * np.pi * (t % 12 - 2) / 12)
        + (break_size * (t >= break_at) if break_at is not None else 0.0)
    )
    mu = np.exp(log_mu)
    y = rng.poisson(mu * rng.gamma(1 / alpha, alpha, n))
    idx = pd.period_range("2014-01", periods=n, freq="M", name="month")
    return pd.Series(y, index=idx, name="calls"), mu


@pytest.fixture(scope="module")
def nb_series() -> tuple[pd.Series, np.ndarray]:
    return simulate_nb(7)


@pytest.fixture(scope="module")
def fits(nb_series) -> dict:
    series, _ = nb_series
    return {name: fit_ts_baseline(series.iloc[:N_HIST], spec) for name, spec in SPECS.items()}


def _hold_out(series: pd.Series) -> pd.PeriodIndex:
    return series.index[N_HIST:]


@pytest.mark.parametrize("name", list(SPECS))
def test_forecast_close_to_truth(name, fits, nb_series):
    series, mu = nb_series
    fit = fits[name]
    mean = fit.mean(_hold_out(series)).to_numpy()
    assert mean.shape == (N_HOLD,)
    assert np.all(mean > 0)
    assert abs(mean.sum() / mu[N_HIST:].sum() - 1) < FORECAST_RTOL
    # month by month within a generous band
    assert np.all(np.abs(np.log(mean / mu[N_HIST:])) < 0.35)


@pytest.mark.parametrize("name", list(SPECS))
def test_fit_result_fields(name, fits, nb_series):
    series, _ = nb_series
    fit = fits[name]
    assert fit.spec is SPECS[name]
    assert fit.history.equals(series.iloc[:N_HIST])
    assert not fit.excluded.any()
    assert fit.fitted.index.equals(fit.history.index)
    assert np.isfinite(fit.fitted.to_numpy()[24:]).all()
    assert np.isfinite(fit.dispersion) and 0 < fit.dispersion < 0.5
    assert isinstance(fit.params, pd.Series) and len(fit.params)
    assert fit.method.endswith(".") and fit.method.count(". ") <= 2
    assert isinstance(fit.warnings, tuple)
    frame = fit.to_frame()
    assert list(frame.columns) == ["observed", "expected", "excluded", "pearson_residual"]
    # in-sample means come back through mean() too
    np.testing.assert_allclose(
        fit.mean(fit.history.index[30:40]).to_numpy(), fit.fitted.to_numpy()[30:40]
    )


@pytest.mark.parametrize("name", list(SPECS))
def test_simulate_shape_counts_and_determinism(name, fits, nb_series):
    series, _ = nb_series
    fit = fits[name]
    hold = _hold_out(series)
    a = fit.simulate(hold, n_paths=300, seed=11)
    b = fit.simulate(hold, n_paths=300, seed=11)
    c = fit.simulate(hold, n_paths=300, seed=12)
    assert a.shape == (300, N_HOLD)
    assert np.all(a >= 0)
    np.testing.assert_array_equal(a, np.rint(a))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # path means agree with the model mean
    np.testing.assert_allclose(a.mean(axis=0).sum(), fit.mean(hold).sum(), rtol=0.05)


@pytest.mark.parametrize("name", list(SPECS))
def test_simulate_periods_after_a_gap(name, fits, nb_series):
    series, _ = nb_series
    fit = fits[name]
    later = pd.period_range(series.index[N_HIST + 3], periods=2, freq="M")
    paths = fit.simulate(later, n_paths=50, seed=1)
    assert paths.shape == (50, 2)
    full = fit.mean(pd.period_range(series.index[N_HIST], periods=5, freq="M"))
    np.testing.assert_allclose(fit.mean(later).to_numpy(), full.to_numpy()[3:])


def test_simulate_inside_history_raises(fits, nb_series):
    series, _ = nb_series
    with pytest.raises(DataValidationError, match="after the history"):
        fits["structural"].simulate(series.index[N_HIST - 2 : N_HIST + 2], n_paths=10, seed=1)


@pytest.mark.parametrize(
    "name",
    [
        "structural",
        pytest.param("sarima", marks=pytest.mark.slow),
        pytest.param("ets", marks=pytest.mark.slow),
        "seasonal_naive",
    ],
)
def test_prediction_interval_coverage_is_plausible(name):
    spec = SPECS[name]
    hits = []
    for seed in range(3):
        series, _ = simulate_nb(100 + seed)
        fit = fit_ts_baseline(series.iloc[:N_HIST], spec)
        hold = _hold_out(series)
        fc = fit.forecast(hold, level=0.95, n_paths=500, seed=seed)
        obs = series.iloc[N_HIST:]
        hits.append(((obs >= fc.lower) & (obs <= fc.upper)).to_numpy())
    coverage = float(np.mean(hits))
    assert COVERAGE_BAND[0] <= coverage <= COVERAGE_BAND[1], coverage


# --------------------------------------------------------------------------- structural


def test_structural_nile_matches_durbin_koopman():
    sm = pytest.importorskip("statsmodels.api")
    nile = sm.datasets.nile.load_pandas().data["volume"].to_numpy(dtype=float)
    model = _structural_model(
        nile, None, trend_component="random_walk", seasonal_kind="dummy", seasonal=False
    )
    res, notes = backends_ts._fit_mle(model, "nile")
    assert notes == []
    np.testing.assert_allclose(
        res.params, [NILE_SIGMA2_IRREGULAR, NILE_SIGMA2_LEVEL], rtol=NILE_RTOL
    )
    assert np.isfinite(res.llf)
    assert res.filter_results.nobs_diffuse == 1


def _local_level_loglike(y: np.ndarray, s2_eps: float, s2_eta: float) -> float:
    """Exact-diffuse local level log-likelihood by hand (the first observation only
    initialises the level), as in Durbin & Koopman (2012), section 2.10."""
    a, p = y[0], s2_eps + s2_eta
    ll = 0.0
    for obs in y[1:]:
        f = p + s2_eps
        v = obs - a
        ll -= 0.5 * (np.log(2 * np.pi) + np.log(f) + v * v / f)
        k = p / f
        a = a + k * v
        p = p * (1 - k) + s2_eta
    return ll


def test_structural_local_level_matches_hand_kalman_filter(nb_series):
    series, _ = nb_series
    spec = BaselineSpec(family="structural", trend_component="random_walk", seasonality="none")
    fit = fit_ts_baseline(series.iloc[:N_HIST], spec)
    res = fit.backend.result
    z = np.log(series.iloc[:N_HIST].to_numpy(dtype=float) + 0.5)
    s2_eps, s2_eta = fit.params["sigma2.irregular"], fit.params["sigma2.level"]
    # statsmodels adds the 2 pi constant of the diffuse first observation
    hand = _local_level_loglike(z, s2_eps, s2_eta) - 0.5 * np.log(2 * np.pi)
    np.testing.assert_allclose(res.llf, hand, rtol=0, atol=1e-6)

    def negll(logv: np.ndarray) -> float:
        return -_local_level_loglike(z, *np.exp(logv))

    opt = optimize.minimize(
        negll,
        np.log([0.03, 0.003]),
        method="Nelder-Mead",
        options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000},
    )
    assert -opt.fun <= res.llf + 0.5 * np.log(2 * np.pi) + 1e-4
    np.testing.assert_allclose(-opt.fun - 0.5 * np.log(2 * np.pi), res.llf, atol=1e-3)


@pytest.mark.parametrize("kind", ["dummy", "trigonometric"])
def test_structural_filter_leaves_diffuse_phase(kind, nb_series):
    series, _ = nb_series
    spec = BaselineSpec(family="structural", seasonal_kind=kind)
    fit = fit_ts_baseline(series.iloc[:N_HIST], spec)
    fr = fit.backend.result.filter_results
    assert np.isfinite(fit.backend.result.llf)
    assert 0 < fr.nobs_diffuse < N_HIST
    if kind == "trigonometric":
        assert f"{TRIGONOMETRIC_HARMONICS} harmonics" in fit.method
        assert "sigma2.freq_seasonal_12(5)" in fit.params.index


def test_six_harmonics_never_leave_diffuse_phase(nb_series):
    """The pitfall of DESIGN.md section 8 that the 5-harmonic choice avoids."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    z = np.log(nb_series[0].iloc[:N_HIST].to_numpy(dtype=float) + 0.5)
    model = UnobservedComponents(
        z,
        level=True,
        stochastic_level=True,
        irregular=True,
        freq_seasonal=[{"period": 12, "harmonics": 6}],
        stochastic_freq_seasonal=[True],
        use_exact_diffuse=True,
    )
    res, _ = backends_ts._fit_mle(model, "six harmonics")
    assert res.filter_results.nobs_diffuse == N_HIST


# --------------------------------------------------------------------------- breaks, exclusion


def _break_registry(series: pd.Series, at: int) -> EventRegistry:
    start = series.index[at].start_time
    return EventRegistry([Event(id="B1", name="extra lines", kind="capacity", start=start)])


@pytest.mark.parametrize(
    "name",
    ["structural", pytest.param("sarima", marks=pytest.mark.slow), "ets", "seasonal_naive"],
)
def test_known_break_is_modelled(name):
    series, mu = simulate_nb(3, alpha=0.01, break_at=60, break_size=0.4)
    breaks = _break_registry(series, 60)
    fit = fit_ts_baseline(series.iloc[:N_HIST], SPECS[name], breaks=breaks)
    key = "adjust.break_B1" if name in ("ets", "seasonal_naive") else "beta.break_B1"
    assert abs(fit.params[key] - 0.4) < 0.12
    mean = fit.mean(_hold_out(series)).to_numpy()
    assert abs(mean.sum() / mu[N_HIST:].sum() - 1) < FORECAST_RTOL


def test_break_after_history_is_dropped_with_a_note(nb_series):
    series, _ = nb_series
    breaks = _break_registry(series, N_HIST + 2)
    fit = fit_ts_baseline(series.iloc[:N_HIST], SPECS["structural"], breaks=breaks)
    assert any("break_B1" in w for w in fit.warnings)
    assert fit.simulate(_hold_out(series), n_paths=20, seed=0).shape == (20, N_HOLD)


@pytest.mark.parametrize("name", ["structural", "sarima", "ets"])
def test_excluded_months_are_missing_for_state_space(name, nb_series):
    series, _ = nb_series
    hist = series.iloc[:N_HIST].copy()
    exclude = np.zeros(N_HIST, dtype=bool)
    exclude[70:73] = True
    base = fit_ts_baseline(hist, SPECS[name], exclude=exclude)
    spoiled = hist.copy()
    spoiled.iloc[70:73] = 5000  # a huge event that must not reach the fit
    fit = fit_ts_baseline(spoiled, SPECS[name], exclude=exclude)
    assert fit.excluded.sum() == 3
    np.testing.assert_allclose(fit.params.to_numpy(), base.params.to_numpy(), rtol=1e-6)
    hold = _hold_out(series)
    np.testing.assert_allclose(fit.mean(hold).to_numpy(), base.mean(hold).to_numpy(), rtol=1e-6)
    assert np.isfinite(fit.fitted.iloc[70:73]).all()
    assert (fit.fitted.iloc[70:73] < 1000).all()


def test_seasonal_naive_reference_and_exclusion(nb_series):
    series, _ = nb_series
    hist = series.iloc[:N_HIST]
    fit = fit_ts_baseline(hist, SPECS["seasonal_naive"])
    hold = _hold_out(series)
    np.testing.assert_allclose(fit.mean(hold).to_numpy(), hist.iloc[-12:].to_numpy())
    exclude = np.zeros(N_HIST, dtype=bool)
    exclude[N_HIST - 12] = True  # last January excluded: use the January before it
    fit2 = fit_ts_baseline(hist, SPECS["seasonal_naive"], exclude=exclude)
    assert fit2.mean(hold).iloc[0] == pytest.approx(hist.iloc[N_HIST - 24])
    np.testing.assert_allclose(fit2.mean(hold).to_numpy()[1:], hist.iloc[-11:].to_numpy())
    assert np.isnan(fit.fitted.iloc[:12]).all()


def test_exposure_offset_scales_forecasts(nb_series):
    series, _ = nb_series
    hist = series.iloc[:N_HIST]
    idx = series.index
    hours = pd.Series(1.0, index=idx)
    hours.iloc[N_HIST:] = 2.0  # twice the opening hours in the forecast year
    spec = BaselineSpec(family="seasonal_naive", exposure="column")
    fit = fit_ts_baseline(hist, spec, exposure=hours)
    ratio = (fit.mean(_hold_out(series)) + 0.5) / (hist.iloc[-12:].to_numpy() + 0.5)
    np.testing.assert_allclose(ratio.to_numpy(), 2.0)


# --------------------------------------------------------------------------- dispatch, errors


def test_fit_baseline_dispatches_to_ts_backend(nb_series):
    series, _ = nb_series
    fit = fit_baseline(series.iloc[:N_HIST], BaselineSpec(family="seasonal_naive"))
    assert fit.spec.family == "seasonal_naive"
    assert fit.simulate(_hold_out(series), n_paths=10, seed=0).shape == (10, N_HOLD)


def test_convergence_problems_are_recorded(monkeypatch, nb_series):
    series, _ = nb_series
    monkeypatch.setattr(backends_ts, "_MAXITER", 1)
    fit = fit_ts_baseline(series.iloc[:N_HIST], SPECS["structural"])
    assert any("did not converge" in w for w in fit.warnings)


def test_too_short_history_raises():
    series, _ = simulate_nb(1, n=30)
    with pytest.raises(FitError, match="need at least 36"):
        fit_ts_baseline(series, SPECS["structural"])


def test_non_monthly_series_raises():
    idx = pd.period_range("2020-01-06", periods=120, freq="W")
    series = pd.Series(np.full(120, 30), index=idx, name="calls")
    with pytest.raises(DataValidationError, match="monthly"):
        fit_ts_baseline(series, SPECS["ets"])


def test_invalid_sarima_orders_raise(nb_series):
    series, _ = nb_series
    spec = BaselineSpec(family="sarima", seasonal_order=(0, 1, 1, 4))
    with pytest.raises(DataValidationError, match="seasonal_order"):
        fit_ts_baseline(series.iloc[:N_HIST], spec)


def test_glm_family_is_rejected(nb_series):
    series, _ = nb_series
    with pytest.raises(DataValidationError, match="not a time-series family"):
        fit_ts_baseline(series.iloc[:N_HIST], BaselineSpec(family="negbin"))
