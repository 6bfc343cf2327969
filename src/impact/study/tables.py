"""The study's tables and the tidy rows of ``estimates.csv``, computed from its results.

Each function here is the producer of one or more outputs declared in
:mod:`impact.study.outputs`: the descriptive tables of Q1 (calls per team and year, per
month of the study year, the seasonal profile), the summary rows of an effect table, the
naive year-on-year comparison, the headline over other windows (:func:`headline_windows`:
the window nearest a published one, the headline window, to the end of the year; each
counterfactual beside the year-on-year ratio and the minimum detectable effect), and the
rows of ``results/estimates.csv`` (:data:`ESTIMATE_COLUMNS`) for the counterfactual and
ITS estimates. They compute only;
:func:`impact.study.compute.compute_study` calls them and
:func:`impact.study.write.write_study` writes what they return.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from impact._core.constants import FLANDERS
from impact._core.exceptions import DataValidationError
from impact.diagnostics.detectable import DEFAULT_POWER, minimum_detectable_effect, window_effect

__all__ = [
    "ESTIMATE_COLUMNS",
    "estimate_rows",
    "headline_windows",
    "its_rows",
    "window_rows",
    "naive_year_on_year",
    "table_calls_per_month",
    "table_calls_per_year",
    "table_effects",
    "table_seasonal_profile",
]

#: Columns of ``results/estimates.csv``.
ESTIMATE_COLUMNS: tuple[str, ...] = (
    "team",
    "event",
    "estimator",
    "model",
    "quantity",
    "estimate",
    "lower",
    "upper",
    "level",
    "unit",
    "data_kind",
    "data_sha256",
)


def table_calls_per_year(calls: pd.DataFrame, *, total: str = FLANDERS) -> pd.DataFrame:
    """Calls per team and year, the total (named ``total``), and year-on-year change."""
    f = calls.assign(year=pd.PeriodIndex(calls["month"]).year)
    wide = f.pivot_table(index="year", columns="team", values="calls", aggfunc="sum")
    months = f.groupby("year")["month"].nunique()
    wide[total] = wide.sum(axis=1)
    long = wide.reset_index().melt(id_vars="year", var_name="team", value_name="calls")
    long["months"] = long["year"].map(months)
    long = long.sort_values(["team", "year"]).reset_index(drop=True)
    prev = long.groupby("team")["calls"].shift(1)
    long["change_vs_previous_year"] = np.where(
        long["months"].eq(12) & long["year"].sub(1).map(months).eq(12), long["calls"] / prev - 1,
        np.nan,
    )
    return long[["team", "year", "months", "calls", "change_vs_previous_year"]]


def table_calls_per_month(calls: pd.DataFrame, year: int, *, total: str = FLANDERS
                          ) -> pd.DataFrame:
    """Calls per team and month of ``year`` (wide: one column per team + the total)."""
    f = calls[pd.PeriodIndex(calls["month"]).year == year]
    if f.empty:
        raise DataValidationError(
            f"study: no calls in {year}; set [study] year to a year the data cover."
        )
    wide = f.pivot_table(index="month", columns="team", values="calls", aggfunc="sum")
    wide[total] = wide.sum(axis=1)
    wide.index = wide.index.astype(str)
    out = wide.reset_index()
    out.columns.name = None
    return out


def table_seasonal_profile(calls: pd.DataFrame) -> pd.DataFrame:
    """Mean share of a team's yearly calls that falls in each calendar month."""
    f = calls.assign(
        year=pd.PeriodIndex(calls["month"]).year, month_of_year=pd.PeriodIndex(calls["month"]).month
    )
    full = f.groupby(["team", "year"])["month"].transform("nunique") == 12
    f = f[full]
    f["share"] = f["calls"] / f.groupby(["team", "year"])["calls"].transform("sum")
    prof = f.groupby(["team", "month_of_year"])["share"].agg(["mean", "std", "count"])
    return prof.reset_index().rename(
        columns={"mean": "share_of_year", "std": "share_sd", "count": "years"}
    )


def table_effects(table: Any) -> pd.DataFrame:
    """Summary rows of an :class:`~impact.estimation.counterfactual.EffectTable` (one per
    team + Flanders)."""
    return table.summary().table.reset_index()


def estimate_rows(table: Any, *, estimator: str, data_sha256: str) -> pd.DataFrame:
    """Tidy rows of ``estimates.csv`` for an
    :class:`~impact.estimation.counterfactual.EffectTable`."""
    rows = []
    for e in table.estimates:
        for quantity, est, lo, hi, unit in (
            ("cumulative_effect", e.cumulative_effect, e.cumulative_effect_lower,
             e.cumulative_effect_upper, "calls"),
            ("relative_effect", e.relative_effect, e.relative_effect_lower,
             e.relative_effect_upper, "ratio"),
            ("average_effect", e.average_effect, e.average_effect_lower,
             e.average_effect_upper, "calls per month"),
            ("p_positive", e.p_positive, np.nan, np.nan, "probability"),
            ("observed", float(e.frame.loc[e.frame.is_post, "observed"].sum()), np.nan, np.nan,
             "calls"),
            ("expected", float(e.frame.loc[e.frame.is_post, "expected"].sum()), np.nan, np.nan,
             "calls"),
        ):
            rows.append(
                {
                    "team": e.team,
                    "event": e.event,
                    "estimator": estimator,
                    "model": e.spec.label,
                    "quantity": quantity,
                    "estimate": est,
                    "lower": lo,
                    "upper": hi,
                    "level": e.level,
                    "unit": unit,
                    "data_kind": e.data_kind,
                    "data_sha256": data_sha256,
                }
            )
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))


def naive_year_on_year(table: Any, *, level: float, data_sha256: str) -> pd.DataFrame:
    """The "+x% against the same period a year earlier" comparison, per team and Flanders.

    The relative change of the post-period sum against the same months one year earlier,
    with an exact interval for the ratio of two Poisson counts (conditional binomial).
    It ignores trend, seasonality shifts, capacity changes and overdispersion; it is
    reported only to set the published year-on-year figure beside the counterfactual
    estimate (on simulated data about half of its 95% intervals miss the truth,
    DESIGN.md section 8 and benchmarks/results/benchmark.md).
    """
    rows = []
    for e in table.estimates:
        f = e.frame
        post = f.index[f["is_post"].to_numpy()]
        prev = post - 12
        if prev[0] < f.index[0]:
            continue
        est, lo, hi = _yoy(float(f.loc[post, "observed"].sum()),
                           float(f.loc[prev, "observed"].sum()), level)
        rows.append({
            "team": e.team, "event": e.event, "estimator": "naive_yoy",
            "model": f"same months a year earlier ({prev[0]} to {prev[-1]})",
            "quantity": "relative_effect", "estimate": est, "lower": lo, "upper": hi,
            "level": level, "unit": "ratio", "data_kind": e.data_kind,
            "data_sha256": data_sha256,
        })
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))


def _yoy(x: float, y: float, level: float) -> tuple[float, float, float]:
    """Relative change ``x / y - 1`` of two Poisson counts with the exact (conditional
    binomial) interval."""
    a = (1 - level) / 2
    lo_p = stats.beta.ppf(a, x, y + 1) if x > 0 else 0.0
    hi_p = stats.beta.ppf(1 - a, x + 1, y) if y > 0 else 1.0
    return (x / y - 1 if y > 0 else np.nan, lo_p / (1 - lo_p) - 1,
            hi_p / (1 - hi_p) - 1 if hi_p < 1 else np.inf)


#: Columns of :func:`headline_windows`.
WINDOW_COLUMNS: tuple[str, ...] = (
    "team", "event", "window", "window_start", "window_end", "is_nearest_published",
    "observed", "expected", "cumulative_effect", "cumulative_effect_lower",
    "cumulative_effect_upper", "relative_effect", "relative_effect_lower",
    "relative_effect_upper", "previous_year", "year_on_year", "year_on_year_lower",
    "year_on_year_upper", "mde_relative", "mde_calls", "power", "level", "data_kind",
)


def headline_windows(
    windows: Any, *, nearest: str, level: float, power: float = DEFAULT_POWER
) -> pd.DataFrame:
    """The headline counterfactual over other windows, beside the year-on-year ratio.

    Parameters
    ----------
    windows : iterable of (str, EffectTable, Period, Period)
        Name, the fitted effect table whose post-period holds the window, and the window
        (post months, inclusive).
    nearest : str
        The name of the window nearest the published one (flagged in the table).
    level : float
        Level of the year-on-year interval (the counterfactual's is the estimate's).
    power : float, default 0.8
        Power of the minimum detectable effect.

    Returns
    -------
    DataFrame
        One row per window and team (then Flanders), :data:`WINDOW_COLUMNS`: the
        counterfactual effect over the window (:func:`impact.diagnostics.detectable.
        window_effect`), the observed change against the same months a year earlier
        (what a "+x% against last year" measures: trend, capacity and every other event
        included) and the minimum detectable effect of the window.
    """
    rows = []
    for name, table, start, end in windows:
        for e in table.estimates:
            w = window_effect(e, start, end)
            f = e.frame
            months = pd.period_range(start, end, freq=start.freq)
            prev = months - 12
            has_prev = prev[0] >= f.index[0]
            y = float(f.loc[prev, "observed"].sum()) if has_prev else np.nan
            yoy = _yoy(w.observed, y, level) if has_prev else (np.nan,) * 3
            mde = minimum_detectable_effect(e, start, end, power=power)
            rows.append({
                "team": e.team, "event": e.event, "window": name,
                "window_start": str(start), "window_end": str(end),
                "is_nearest_published": name == nearest, "observed": w.observed,
                "expected": w.expected, "cumulative_effect": w.cumulative_effect,
                "cumulative_effect_lower": w.cumulative_effect_lower,
                "cumulative_effect_upper": w.cumulative_effect_upper,
                "relative_effect": w.relative_effect,
                "relative_effect_lower": w.relative_effect_lower,
                "relative_effect_upper": w.relative_effect_upper, "previous_year": y,
                "year_on_year": yoy[0], "year_on_year_lower": yoy[1],
                "year_on_year_upper": yoy[2], "mde_relative": mde.relative,
                "mde_calls": mde.calls, "power": power, "level": w.level,
                "data_kind": e.data_kind,
            })
    return pd.DataFrame(rows, columns=list(WINDOW_COLUMNS))


#: Estimators of :func:`window_rows` (the quantity names the window: ``relative_effect_
#: 2023-09_2023-09``).
WINDOW_ESTIMATORS: tuple[str, ...] = ("window_counterfactual", "window_naive_yoy", "window_mde")


def window_key(start: Any, end: Any) -> str:
    """The window part of a :func:`window_rows` quantity: ``2023-09_2023-09``."""
    return f"{start}_{end}"


def window_rows(windows: pd.DataFrame, *, data_sha256: str) -> pd.DataFrame:
    """Tidy ``estimates.csv`` rows of :func:`headline_windows`: per window and team the
    counterfactual relative effect, the year-on-year change and the minimum detectable
    effect (estimators :data:`WINDOW_ESTIMATORS`)."""
    rows = []
    for r in windows.itertuples():
        key = window_key(r.window_start, r.window_end)
        for estimator, quantity, est, lo, hi, model in (
            ("window_counterfactual", "relative_effect", r.relative_effect,
             r.relative_effect_lower, r.relative_effect_upper, "counterfactual paths"),
            ("window_naive_yoy", "relative_effect", r.year_on_year, r.year_on_year_lower,
             r.year_on_year_upper, "same months a year earlier"),
            ("window_mde", "mde", r.mde_relative, np.nan, np.nan,
             f"power {r.power:g} at level {r.level:g}"),
        ):
            rows.append({
                "team": r.team, "event": r.event, "estimator": estimator,
                "model": f"{model}; window {r.window} ({r.window_start} to {r.window_end})",
                "quantity": f"{quantity}_{key}", "estimate": est, "lower": lo, "upper": hi,
                "level": r.level, "unit": "ratio", "data_kind": r.data_kind,
                "data_sha256": data_sha256,
            })
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))


def its_rows(res: Any, *, data_sha256: str, total: str = FLANDERS) -> pd.DataFrame:
    """Tidy ``estimates.csv`` rows of an :class:`~impact.estimation.its.ITSResult` on the
    total (named ``total``)."""
    rows = []
    for r in res.effects.itertuples():
        for quantity, est, lo, hi, unit in (
            ("rate_ratio", r.rate_ratio, r.rate_ratio_lower, r.rate_ratio_upper, "ratio"),
            ("excess", r.excess, r.excess_lower, r.excess_upper, "calls"),
        ):
            rows.append({
                "team": total, "event": r.event, "estimator": "its", "model": res.spec.label,
                "quantity": f"{quantity}" if r.term == "level" else f"{quantity}_{r.term}",
                "estimate": est, "lower": lo, "upper": hi, "level": res.level, "unit": unit,
                "data_kind": res.data_kind, "data_sha256": data_sha256,
            })
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))
