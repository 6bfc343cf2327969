"""Trends in reported problems (Q3): yearly rate of change of each category's count.

:func:`fit_category_trends` takes a *category table* (the contract of
:func:`impact.io.categories.validate_category_table`, counts on one base) and fits a
quasi-Poisson GLM per team and category with a log(total) offset and a linear time
term; the yearly rate of change gets a Wald interval on the log scale with a t quantile
(quasi-Poisson) or normal quantile (Poisson). The result, :class:`CategoryTrends`, has
``summary()``, ``to_frame()`` and ``plot()``; :mod:`impact.problems` offers both names.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.genmod.families import Poisson
from statsmodels.genmod.generalized_linear_model import GLM

from impact._core.constants import DEFAULT_LEVEL
from impact._core.provenance import data_kind_label
from impact._core.summary import Summary
from impact._core.validation import check_choice, validate_level
from impact.plots import problems as problem_plots
from impact.problems._base import (
    _count_table,
    _FrameResult,
    _group_totals,
    _warn,
)

__all__ = ["TREND_COLUMNS", "CategoryTrends", "fit_category_trends"]

#: Columns of :meth:`CategoryTrends.to_frame`.
TREND_COLUMNS: tuple[str, ...] = (
    "team", "category", "first_period", "last_period", "n_periods", "count_total",
    "rate_of_change", "rate_of_change_lower", "rate_of_change_upper", "p_value",
    "dispersion", "base", "data_kind",
)  # fmt: skip


def _period_years(periods: pd.Series) -> np.ndarray:
    """Time in years (year + (month - 1) / 12 for months)."""
    years = periods.dt.year.to_numpy(dtype=float)
    freq = str(periods.dtype)
    if "M" in freq and "Y" not in freq:
        years = years + (periods.dt.month.to_numpy(dtype=float) - 1) / 12
    return years


@dataclasses.dataclass(frozen=True)
class CategoryTrends(_FrameResult):
    """Yearly rate of change of each category's count, per team.

    ``to_frame()`` columns (:data:`TREND_COLUMNS`): ``team``, ``category``,
    ``first_period``, ``last_period``, ``n_periods``, ``count_total``,
    ``rate_of_change`` (exp(slope) - 1 per year: -0.05 is -5% a year, relative to the
    offset, i.e. the change of the share when the offset is the total),
    ``rate_of_change_lower``, ``rate_of_change_upper``, ``p_value`` (slope = 0),
    ``dispersion`` (the quasi-Poisson scale used, at least 1), ``base``, ``data_kind``.

    Attributes
    ----------
    frame : pandas.DataFrame
    level : float
    family : str
        ``quasipoisson`` or ``poisson``.
    offset : str
        ``total`` (log of the team-period total) or ``none`` (counts themselves).
    base, data_kind : str
    warnings : tuple of str
    """

    frame: pd.DataFrame
    level: float
    family: str
    offset: str
    base: str
    data_kind: str
    warnings: tuple[str, ...] = ()

    def summary(self) -> Summary:
        """Return the trend table and a sentence on level, interval kind, method, data kind."""
        what = (
            f"relative to the total {self.base} (a change in the category's share)"
            if self.offset == "total"
            else "in absolute counts"
        )
        quantile = "t" if self.family == "quasipoisson" else "normal"
        text = (
            f"Yearly rate of change per category {what}, from a {self.family} GLM with a "
            f"linear time term (log link) per team and category; {self.level:.0%} Wald "
            f"confidence intervals on the log scale with {quantile} quantiles, dispersion = "
            f"max(1, Pearson chi2 / df); {data_kind_label(self.data_kind)}."
        )
        if self.warnings:
            text += " Warnings: " + " ".join(self.warnings)
        return Summary(self.frame.copy(), text)

    def plot(self, *, ax: Any = None, team: str | None = None) -> Any:
        """Forest plot of the yearly rate of change per category for one team.

        Returns
        -------
        matplotlib.axes.Axes
            Drawn by :func:`impact.plots.problems.plot_category_trends`.
        """
        return problem_plots.plot_category_trends(self, ax=ax, team=team)


def fit_category_trends(
    table: pd.DataFrame,
    *,
    level: float = DEFAULT_LEVEL,
    family: Literal["quasipoisson", "poisson"] = "quasipoisson",
    offset: Literal["total", "none"] = "total",
) -> CategoryTrends:
    """Fit a log-linear count model with a time trend per team and category.

    Parameters
    ----------
    table : pandas.DataFrame
        Category table with counts (yearly or monthly periods, one base).
    level : float, default 0.95
    family : {"quasipoisson", "poisson"}, default "quasipoisson"
        Quasi-Poisson estimates the dispersion (Pearson chi2 / df, floored at 1).
    offset : {"total", "none"}, default "total"
        ``total`` uses log(total) of the team-period as offset (``base_total`` when given,
        else the category sum), so the trend is a change relative to all calls (or
        victims); ``none`` models the counts themselves.

    Returns
    -------
    CategoryTrends

    Notes
    -----
    Model per team and category: ``log E[count_t] = log(total_t) + a + b * years_t``;
    ``rate_of_change = exp(b) - 1``. Monthly data enter with time in years and no
    seasonal term (with the total as offset, seasonality of the call volume cancels;
    seasonality of the mix does not). With two periods the dispersion is not estimable
    and the Poisson scale 1 is used, with a warning.
    """
    level = validate_level(level)
    check_choice(family, "family", ("quasipoisson", "poisson"))
    check_choice(offset, "offset", ("total", "none"))
    t, base, kind = _count_table(table, name="category table")
    totals = _group_totals(t)
    t = t.join(totals["total"], on=["team", "period"])
    messages: list[str] = []
    rows = []
    for (team, cat), grp in t.groupby(["team", "category"], sort=True, observed=True):
        grp = grp.sort_values("period")
        n = len(grp)
        years = _period_years(grp["period"])
        x = years - years.mean()
        y = grp["count"].to_numpy(dtype=float)
        record = {
            "team": team, "category": cat, "first_period": grp["period"].iloc[0],
            "last_period": grp["period"].iloc[-1], "n_periods": n,
            "count_total": float(y.sum()), "rate_of_change": np.nan,
            "rate_of_change_lower": np.nan, "rate_of_change_upper": np.nan,
            "p_value": np.nan, "dispersion": np.nan, "base": base, "data_kind": kind,
        }
        if n < 2 or y.sum() == 0 or np.ptp(x) == 0:
            _warn(messages, f"{team} / {cat}: fewer than two periods or no counts; no trend.")
            rows.append(record)
            continue
        off = np.log(grp["total"].to_numpy(dtype=float)) if offset == "total" else None
        if off is not None and not np.all(np.isfinite(off)):
            _warn(messages, f"{team} / {cat}: a period has total 0; no trend.")
            rows.append(record)
            continue
        design = np.column_stack([np.ones(n), x])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = GLM(y, design, family=Poisson(), offset=off).fit()
        df_resid = n - 2
        dispersion = 1.0
        if family == "quasipoisson":
            if df_resid > 0:
                pearson = float(np.sum(fit.resid_pearson**2))
                dispersion = max(1.0, pearson / df_resid)
            else:
                _warn(messages, f"{team} / {cat}: two periods only; dispersion not "
                      "estimable, Poisson scale 1 used.")
        se = float(fit.bse[1]) * math.sqrt(dispersion)
        slope = float(fit.params[1])
        if family == "quasipoisson" and df_resid > 0:
            q = stats.t.ppf(0.5 + level / 2, df_resid)
            p = 2 * stats.t.sf(abs(slope / se), df_resid) if se > 0 else np.nan
        else:
            q = stats.norm.ppf(0.5 + level / 2)
            p = 2 * stats.norm.sf(abs(slope / se)) if se > 0 else np.nan
        record.update({
            "rate_of_change": math.expm1(slope),
            "rate_of_change_lower": math.expm1(slope - q * se),
            "rate_of_change_upper": math.expm1(slope + q * se),
            "p_value": float(p),
            "dispersion": dispersion,
        })
        rows.append(record)
    frame = pd.DataFrame.from_records(rows, columns=list(TREND_COLUMNS))
    return CategoryTrends(frame, level, family, offset, base, kind, tuple(messages))
