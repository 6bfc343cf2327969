"""Tests of impact.problems.trends: yearly rate of change per category."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError, ImpactWarning
from impact.io.published import published_category_table
from impact.problems import (
    TREND_COLUMNS,
    fit_category_trends,
)
from tests.problems.helpers import long_table


def _trend_table(rng: np.random.Generator, change: float, years: int = 10) -> pd.DataFrame:
    periods = pd.period_range("2012", periods=years, freq="Y")
    totals = np.round(4000 * 1.08 ** np.arange(years)).astype(int)
    p = 0.10 * (1 + change) ** (np.arange(years) - (years - 1) / 2)
    # overdispersed category counts (gamma-Poisson: variance mu + mu^2 / 400)
    mu = totals * p
    cat = rng.poisson(mu * rng.gamma(shape=400.0, scale=1 / 400.0, size=years))
    cat = np.minimum(cat, totals)
    counts = np.column_stack([cat, totals - cat])
    return long_table(counts, periods, cats=["partner_violence", "other"])


def test_trend_recovers_known_yearly_change() -> None:
    rng = np.random.default_rng(3)
    truth = 0.06
    res = fit_category_trends(_trend_table(rng, truth))
    f = res.to_frame()
    assert tuple(f.columns) == TREND_COLUMNS
    row = f.set_index("category").loc["partner_violence"]
    assert row["rate_of_change_lower"] <= truth <= row["rate_of_change_upper"]
    assert abs(row["rate_of_change"] - truth) < 0.03
    assert row["p_value"] < 0.01


@pytest.mark.slow
def test_trend_interval_coverage_is_nominal() -> None:
    # 150 fits of a known 6% yearly change: a 95% interval covers it 90-99.5% of the time
    # (binomial SD of the rate about 0.018).
    rng = np.random.default_rng(4)
    truth = 0.06
    hits = []
    for _ in range(150):
        r = fit_category_trends(_trend_table(rng, truth)).to_frame().set_index("category")
        hits.append(r.loc["partner_violence", "rate_of_change_lower"] <= truth
                    <= r.loc["partner_violence", "rate_of_change_upper"])
    assert 0.90 <= np.mean(hits) <= 0.995


def test_trend_on_published_intrafamilial_counts() -> None:
    pub = published_category_table()
    sub = pub[(pub["category"] == "intrafamilial_violence_adults") & pub["count"].notna()]
    res = fit_category_trends(sub)
    row = res.to_frame().iloc[0]
    assert row["n_periods"] == 3 and row["data_kind"] == "published"
    assert row["rate_of_change"] > 0
    assert row["rate_of_change_lower"] < row["rate_of_change"] < row["rate_of_change_upper"]
    assert "published data" in res.summary().text


def test_trend_two_periods_warns() -> None:
    t = long_table(np.array([[10, 90], [20, 80]]), pd.period_range("2021", periods=2, freq="Y"),
              cats=["partner_violence", "other"])
    with pytest.warns(ImpactWarning, match="dispersion not estimable"):
        res = fit_category_trends(t)
    assert res.warnings


def test_options_are_checked_by_name(synthetic) -> None:
    with pytest.raises(DataValidationError, match=r"family must be one of 'quasipoisson', "
                       r"'poisson'; got 'Poisson'\. Did you mean 'poisson'\?"):
        fit_category_trends(synthetic, family="Poisson")
    with pytest.raises(DataValidationError, match=r"offset must be one of 'total', 'none'"):
        fit_category_trends(synthetic, offset="log")
