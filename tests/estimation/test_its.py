"""Interrupted time series regression: published Sicily rate ratios and basic behaviour."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError, FitError, IdentifiabilityWarning
from impact.baselines import BaselineSpec
from impact.estimation.its import ITS_EFFECT_COLUMNS, fit_its
from impact.events.registry import Event

SICILY = Path(__file__).resolve().parents[3] / "shared" / "validation" / "sicily" / "sicily.csv"
#: Published values are given to 4 decimals; the issue asks for +-0.0005.
RR_ATOL = 0.0005


@pytest.fixture(scope="module")
def sicily():
    if not SICILY.is_file():
        pytest.skip(f"Sicily validation data not found at {SICILY} (../shared/validation is "
                    "only present next to the repository on the project's machines)")
    d = pd.read_csv(SICILY)
    idx = pd.PeriodIndex(
        [pd.Period(year=int(y), month=int(m), freq="M") for y, m in zip(d.year, d.month,
                                                                        strict=True)],
        name="month",
    )
    series = pd.Series(d["aces"].to_numpy(), index=idx, name="calls")
    exposure = pd.Series(d["stdpop"].to_numpy(), index=idx)
    ban = Event(id="ban", name="smoking ban", kind="policy", start="2005-01-01", shape="step")
    return series, exposure, ban


@pytest.mark.parametrize(
    ("family", "seasonality", "expected"),
    [
        ("poisson", "none", (0.8944, 0.8647, 0.9251)),
        ("quasipoisson", "none", (0.8944, 0.8392, 0.9532)),
        ("quasipoisson", "fourier", (0.8851, 0.8394, 0.9332)),
    ],
)
def test_sicily_published_rate_ratios(sicily, family, seasonality, expected):
    series, exposure, ban = sicily
    spec = BaselineSpec(family=family, seasonality=seasonality, harmonics=2, exposure="column")
    res = fit_its(series, ban, spec=spec, exposure=exposure)
    row = res.effects.iloc[0]
    got = (row.rate_ratio, row.rate_ratio_lower, row.rate_ratio_upper)
    np.testing.assert_allclose(got, expected, atol=RR_ATOL)


def test_sicily_slope_change_model(sicily):
    series, exposure, ban = sicily
    spec = BaselineSpec(family="quasipoisson", seasonality="fourier", harmonics=2,
                        exposure="column")
    res = fit_its(series, ban, spec=spec, exposure=exposure, slope_change=True)
    level = res.effects[res.effects.term == "level"].iloc[0]
    slope = res.effects[res.effects.term != "level"].iloc[0]
    np.testing.assert_allclose(
        (level.rate_ratio, level.rate_ratio_lower, level.rate_ratio_upper),
        (0.8765, 0.8268, 0.9292), atol=RR_ATOL)
    # published slope 1.0015 per month; ours is per year
    assert slope.rate_ratio ** (1 / 12) == pytest.approx(1.0015, abs=RR_ATOL)
    assert res.dispersion == pytest.approx(2.275, abs=0.001)


def test_its_schema_and_excess(sicily):
    series, exposure, ban = sicily
    spec = BaselineSpec(family="quasipoisson", exposure="column")
    res = fit_its(series, ban, spec=spec, exposure=exposure)
    assert tuple(res.effects.columns) == ITS_EFFECT_COLUMNS
    row = res.effects.iloc[0]
    assert row.excess < 0  # the ban lowered admissions
    assert row.excess_lower <= row.excess <= row.excess_upper
    assert np.exp(row.coef) == pytest.approx(row.rate_ratio)
    text = res.summary().text
    assert "95%" in text and "quasi-Poisson" in text


def test_its_hac_widens_or_keeps_intervals(sicily):
    series, exposure, ban = sicily
    spec = BaselineSpec(family="poisson", seasonality="none", exposure="column")
    plain = fit_its(series, ban, spec=spec, exposure=exposure).effects.iloc[0]
    hac = fit_its(series, ban, spec=spec, exposure=exposure, robust="hac").effects.iloc[0]
    assert hac.rate_ratio == pytest.approx(plain.rate_ratio)
    assert hac.se != pytest.approx(plain.se)


def _daily_two_events(rng, *, resolution):
    """Daily counts with the registry's shapes: a one-day pulse on Sun 27 Aug 2023 (x2.5)
    and a 28-day bump from Tue 5 Sep 2023 (x1.25); optionally summed to months."""
    days = pd.period_range("2022-01-01", "2023-12-31", freq="D", name="month")
    t = np.arange(len(days))
    mu = 40 * np.exp(0.1 * np.sin(2 * np.pi * t / 365.25))
    pichal = days == pd.Period("2023-08-27", "D")
    godv = (days >= pd.Period("2023-09-05", "D")) & (days < pd.Period("2023-10-03", "D"))
    mu = mu * np.where(pichal, 2.5, 1.0) * np.where(godv, 1.25, 1.0)
    y = rng.poisson(mu)
    s = pd.Series(y, index=days, name="calls")
    if resolution == "M":
        s = s.groupby(s.index.asfreq("M")).sum()
        s.index.name = "month"
    return s


EVENTS = [
    Event(id="E048", name="Pichal", kind="news", start="2023-08-27", shape="pulse"),
    Event(id="E049", name="Godvergeten", kind="news", start="2023-09-05", shape="bump"),
]


def test_its_separates_events_ten_days_apart_with_daily_data(rng):
    s = _daily_two_events(rng, resolution="D")
    spec = BaselineSpec(family="poisson", seasonality="fourier", harmonics=2)
    res = fit_its(s, EVENTS, spec=spec)
    rr = res.effects.set_index("event")["rate_ratio"]
    assert set(rr.index) == {"E048", "E049"}
    assert rr["E048"] == pytest.approx(2.5, rel=0.3)  # one day: about 100 calls
    assert rr["E049"] == pytest.approx(1.25, rel=0.08)
    assert not res.warnings


def test_its_merges_events_at_monthly_resolution(rng):
    s = _daily_two_events(rng, resolution="M")
    spec = BaselineSpec(family="quasipoisson", seasonality="none")
    with pytest.warns(IdentifiabilityWarning, match="E048"):
        res = fit_its(s, EVENTS, spec=spec)
    assert list(res.effects["event"]) == ["E048+E049"]
    assert any("monthly" in w for w in res.warnings)


def test_its_rejects_ts_family(sicily):
    series, exposure, ban = sicily
    with pytest.raises(DataValidationError, match="count families"):
        fit_its(series, ban, spec=BaselineSpec(family="sarima"))


def _busy_series(seed: int = 3, n: int = 96) -> pd.Series:
    """A monthly negative-binomial series, about 130 calls a month, no event effect."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    mu = 130 * np.exp(0.002 * t + 0.1 * np.sin(2 * np.pi * t / 12))
    y = rng.negative_binomial(1 / 0.02, 1 / (1 + 0.02 * mu))
    return pd.Series(y, index=pd.period_range("2016-01", periods=n, freq="M"), name="calls")


@pytest.mark.parametrize("family", ["negbin", "structural"])
def test_its_leaves_missing_record_zeros_out_of_the_fit(family):
    """A team whose records start 30 months late: those zeros are missing records, not a
    quiet start. Fitted as data, they made the GLM's trend steep and its event coefficient
    -2.4 (a 91% drop that is not there); left out, the null effect is recovered."""
    series = _busy_series()
    event = Event(id="x", name="x", kind="news", start="2023-07-01")
    spec = BaselineSpec(family=family)
    clean = fit_its(series, event, spec=spec).effects.iloc[0]
    late = series.copy()
    late.iloc[:30] = 0
    with pytest.warns(UserWarning, match=r"30 months with 0 calls, 2016-01 to 2018-06"):
        res = fit_its(late, event, spec=spec)
    row = res.effects.iloc[0]
    assert abs(row["coef"]) < 3 * row["se"]
    assert row["rate_ratio_lower"] < 1 < row["rate_ratio_upper"]
    assert abs(row["coef"] - clean["coef"]) < 1.5 * clean["se"]
    assert any("missing records" in w for w in res.warnings)


@pytest.mark.parametrize("family", ["negbin", "structural"])
def test_its_refuses_a_series_without_calls(family):
    series = _busy_series() * 0
    event = Event(id="x", name="x", kind="news", start="2023-07-01")
    with pytest.raises(FitError, match=rf"fit_its {family}: all 96 fitted months .* 0 calls"):
        fit_its(series, event, spec=BaselineSpec(family=family))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.mask(pd.Series(c.index == pd.Period("2016-04", "M"), c.index), np.nan,
                          axis=0),
         r"column 'c': 1 month\(s\) without a finite value \(2016-04: nan\)"),
        (lambda c: c.mask(pd.Series(c.index == pd.Period("2017-02", "M"), c.index), np.inf,
                          axis=0),
         r"column 'c': 1 month\(s\) without a finite value \(2017-02: inf\)"),
        (lambda c: c.iloc[5:], r"5 month\(s\) without values \(2016-01, 2016-02"),
        (lambda c: c.astype(str), r"column 'c' is not numeric \(2016-01: '"),
        (lambda c: c.set_axis(c.index.asfreq("D", how="start")),
         r"frequency 'D' and the count series 'M'"),
    ],
)
@pytest.mark.parametrize("family", ["negbin", "structural"])
def test_its_names_the_covariate_gap(family, change, message):
    """A control series with a gap stopped the fit with 'SVD did not converge'; a string
    column was silently converted. Now the error names the column and the months."""
    series = _busy_series()
    event = Event(id="x", name="x", kind="news", start="2023-07-01")
    cov = pd.DataFrame({"c": np.linspace(0, 1, len(series))}, index=series.index)
    with pytest.raises(DataValidationError, match=message):
        fit_its(series, event, spec=BaselineSpec(family=family), covariates=change(cov))
