"""compare_window: the year-on-year ratio of a window (same weekdays 364 days back) with
its interval, beside the counterfactual ratio for the same window."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.estimation import (
    WINDOW_COLUMNS,
    WINDOW_MEASURES,
    WindowComparison,
    compare_window,
    estimate_effect,
)
from tests.estimation.test_daily import EVENTS, simulate_daily, to_monthly

#: Sums of integers, divided once.
RTOL = 1e-12
START, END = "2023-08-28", "2023-09-17"


@pytest.fixture(scope="module")
def series():
    return simulate_daily(21, level=40.0)[0]


@pytest.fixture(scope="module")
def estimate(series):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimate_effect(series, EVENTS, n_paths=500, seed=2, post_end=END)


def test_year_on_year_ratio_same_weekdays(series):
    res = compare_window(series, START, END)
    assert isinstance(res, WindowComparison)
    assert res.reference_start == pd.Timestamp("2022-08-29")
    assert res.reference_end == pd.Timestamp("2022-09-18")
    assert res.reference_start.day_of_week == pd.Timestamp(START).day_of_week
    f = res.to_frame()
    assert tuple(f.columns) == WINDOW_COLUMNS
    assert set(f.index) == set(WINDOW_MEASURES)
    yoy = f.loc["year_on_year"]
    obs = series.loc[START:END].sum()
    ref = series.loc["2022-08-29":"2022-09-18"].sum()
    assert yoy["observed"] == obs and yoy["reference"] == ref
    assert yoy["ratio"] == pytest.approx(obs / ref, rel=RTOL)
    assert yoy["ratio_lower"] < yoy["ratio"] < yoy["ratio_upper"]
    assert res.dispersion >= 1.0  # NB counts: overdispersed
    # without an estimate the counterfactual row is empty, and says so
    assert np.isnan(f.loc["counterfactual", "ratio"])
    hist = f.loc["year_on_year_history"]
    assert hist["ratio_lower"] <= hist["ratio"] <= hist["ratio_upper"]


def test_counterfactual_row_from_estimate(series, estimate):
    res = compare_window(series, START, END, estimate=estimate)
    cf = res.to_frame().loc["counterfactual"]
    fr = estimate.to_frame().loc[START:END]
    assert cf["observed"] == fr["observed"].sum()
    assert cf["reference"] == pytest.approx(fr["expected"].sum(), rel=RTOL)
    assert cf["ratio_lower"] <= cf["ratio"] <= cf["ratio_upper"]
    assert cf["ratio_lower"] > 1.0  # a large injected effect
    text = res.summary().text
    assert "trend" in text and "modelled baseline" in text


def test_window_needs_estimate_covering_it(series, estimate):
    with pytest.raises(DataValidationError, match="does not cover the window"):
        compare_window(series, START, "2023-10-10", estimate=estimate)


def test_monthly_refuses_partial_months(series):
    m = to_monthly(series)
    with pytest.raises(DataValidationError, match="whole\\s+periods"):
        compare_window(m, START, END)
    res = compare_window(m, "2023-09-01", "2023-09-30")
    assert res.reference_start == pd.Timestamp("2022-09-01")
    assert res.to_frame().loc["year_on_year", "ratio"] == pytest.approx(
        m.loc["2023-09"] / m.loc["2022-09"], rel=RTOL)


def test_window_needs_a_year_before(series):
    with pytest.raises(DataValidationError, match="year of data before"):
        compare_window(series, "2022-01-03", "2022-01-23")


def test_window_plot(series, estimate, close_figures):
    ax = compare_window(series, START, END, estimate=estimate).plot()
    assert len(ax.get_yticklabels()) == 3
