"""Reported problems (Q2, Q3): category counts, shares, trends, mix changes and event shifts.

Every function here takes a *category table* (the contract of
:func:`impact.taxonomy.validate_category_table`: team x period x category -> count, with
its base) and returns a frozen result with ``summary()``, ``to_frame()`` and ``plot()``.
The base of a table (``calls``, ``victims``, ``registered_forms``, ...) is explicit and a
table that mixes bases is refused: one call can concern several possible victims, so a
share of victims and a share of calls are different numbers.

Intervals:

* shares per team-period: simultaneous multinomial intervals (Goodman 1965, default, or
  Sison-Glaz 1995) or per-category binomial intervals (Wilson, Clopper-Pearson); never
  normal approximations, so bounds stay in [0, 1];
* trends: quasi-Poisson GLM per category with a log(total) offset and a linear time
  term; the yearly rate of change gets a Wald interval on the log scale with a t
  quantile (quasi-Poisson) or normal quantile (Poisson);
* mix changes: likelihood-ratio (G) or Pearson chi-square test of the two-period
  contingency table, with Newcombe hybrid-score intervals for each share difference;
* event shifts: Newcombe intervals for the share difference and score intervals for the
  share ratio between an event window and its baseline months, with the counts
  deflated by the month-to-month overdispersion of the baseline.

Published figures are analysed by :func:`published_problem_series` and
:func:`compare_published`, which state in a ``caveats`` field (and in the summary text)
where a comparison mixes bases or years with different label sets. Small counts are
blanked for publication by :func:`suppress_small_cells`.
"""

from __future__ import annotations

import dataclasses
import html
import math
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from impact.constants import DEFAULT_LEVEL, DEFAULT_SUPPRESSION_THRESHOLD, FLANDERS, TEAMS
from impact.exceptions import DataValidationError, ImpactWarning
from impact.published import published_category_table
from impact.taxonomy import (
    BASES,
    CATEGORY_TABLE_COLUMNS,
    LABEL_CHANGES,
    dimension_of,
    get_category,
    validate_category_table,
)

__all__ = [
    "COMPARISON_COLUMNS",
    "MIX_COLUMNS",
    "SERIES_COLUMNS",
    "SHARES_COLUMNS",
    "SHIFT_COLUMNS",
    "TREND_COLUMNS",
    "CategoryShares",
    "CategoryTrends",
    "MixChange",
    "ProblemSummary",
    "PublishedComparison",
    "PublishedProblemSeries",
    "ShareShift",
    "aggregate_to_flanders",
    "category_shares",
    "compare_category_mix",
    "compare_published",
    "estimate_share_shift",
    "fit_category_trends",
    "published_problem_series",
    "require_single_base",
    "suppress_small_cells",
    "synthesize_categories",
]

#: Columns of :meth:`CategoryShares.to_frame`.
SHARES_COLUMNS: tuple[str, ...] = (
    "team", "period", "category", "count", "total", "share", "share_lower", "share_upper",
    "base", "data_kind",
)  # fmt: skip
#: Columns of :meth:`CategoryTrends.to_frame`.
TREND_COLUMNS: tuple[str, ...] = (
    "team", "category", "first_period", "last_period", "n_periods", "count_total",
    "rate_of_change", "rate_of_change_lower", "rate_of_change_upper", "p_value",
    "dispersion", "base", "data_kind",
)  # fmt: skip
#: Columns of :meth:`MixChange.to_frame`.
MIX_COLUMNS: tuple[str, ...] = (
    "team", "category", "count_first", "total_first", "share_first", "count_second",
    "total_second", "share_second", "share_difference", "share_difference_lower",
    "share_difference_upper", "statistic", "df", "p_value", "base", "data_kind",
)  # fmt: skip
#: Columns of :meth:`ShareShift.to_frame`.
SHIFT_COLUMNS: tuple[str, ...] = (
    "team", "category", "count_baseline", "total_baseline", "share_baseline",
    "count_window", "total_window", "share_window", "share_difference",
    "share_difference_lower", "share_difference_upper", "share_ratio", "share_ratio_lower",
    "share_ratio_upper", "dispersion", "base", "data_kind",
)  # fmt: skip
#: Columns of :meth:`PublishedProblemSeries.to_frame`.
SERIES_COLUMNS: tuple[str, ...] = (
    "team", "year", "category", "measure", "value", "value_lower", "value_upper", "base",
    "base_total", "unit", "original_label", "source_id", "is_approximate",
    "is_lower_bound", "caveat", "data_kind",
)  # fmt: skip
#: Columns of :meth:`PublishedComparison.to_frame` (one row).
COMPARISON_COLUMNS: tuple[str, ...] = (
    "team", "category", "measure", "year_first", "year_second", "base_first", "base_second",
    "value_first", "value_second", "source_id_first", "source_id_second", "change_kind",
    "change", "change_lower", "change_upper", "rate_ratio_per_base",
    "rate_ratio_per_base_lower", "rate_ratio_per_base_upper", "mixes_bases",
    "spans_label_change", "caveats", "data_kind",
)  # fmt: skip

_REMAINDER = "_remainder"
_SHARE_INTERVALS = ("goodman", "sison-glaz", "wilson", "clopper-pearson")


# ---------------------------------------------------------------------------------------
# Result plumbing
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ProblemSummary:
    """What ``summary()`` of every result in this module returns.

    Attributes
    ----------
    table : pandas.DataFrame
        The numbers (a view of ``to_frame()`` with the main columns).
    text : str
        Plain-language statement of the estimate with level, interval kind, method and
        data kind, and any caveats.
    """

    table: pd.DataFrame
    text: str

    def __str__(self) -> str:
        return f"{self.text}\n\n{self.table.to_string(index=False)}"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.text)}</p>{self.table.to_html(index=False)}"


class _FrameResult:
    """Shared ``to_frame`` for results holding a fixed-schema ``frame``."""

    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the fixed-schema result frame (see the class docstring)."""
        return self.frame.copy()


def _check_level(level: float) -> float:
    if not isinstance(level, (float, int)) or not 0 < float(level) < 1:
        raise DataValidationError(f"level must be a probability in (0, 1), got {level!r}.")
    return float(level)


def _warn(messages: list[str], text: str) -> None:
    messages.append(text)
    warnings.warn(text, ImpactWarning, stacklevel=3)


def _new_axes(ax: Any) -> Any:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    return ax


def _kind_label(kind: str) -> str:
    return "SYNTHETIC data - not real 1712 figures" if kind == "synthetic" else f"{kind} data"


# ---------------------------------------------------------------------------------------
# Table checks
# ---------------------------------------------------------------------------------------


def require_single_base(table: pd.DataFrame, *, name: str = "table") -> str:
    """Return the single base of a category table, or raise if it mixes bases.

    Parameters
    ----------
    table : pandas.DataFrame
        A category table.
    name : str, default "table"
        Name used in the message.

    Returns
    -------
    str
        The base, one of :data:`impact.taxonomy.BASES`.

    Raises
    ------
    DataValidationError
        If the rows use more than one base. The message names the bases, example rows,
        and how to select one.
    """
    bases = sorted(set(table["base"]))
    if len(bases) == 1:
        return bases[0]
    if not bases:
        raise DataValidationError(f"{name} is empty.")
    examples = []
    for b in bases:
        row = table[table["base"] == b].iloc[0]
        rid = row.get("source_id") or f"index {table.index[table['base'] == b][0]!r}"
        examples.append(f"{rid} ({b}, {row['category']}, {row['period']})")
    raise DataValidationError(
        f"{name} mixes bases {bases} (e.g. {'; '.join(examples)}). Shares and counts on "
        "different bases must not be mixed: one call can concern several possible victims "
        "(about 1.33-1.40 victims per call), and registered violence forms are a third "
        "denominator. Select one base first, e.g. table[table['base'] == "
        f"{bases[0]!r}]."
    )


def _count_table(table: pd.DataFrame, *, name: str) -> tuple[pd.DataFrame, str, str]:
    """Validate a category table for count analyses; return (table, base, data kind)."""
    t = validate_category_table(table, name=name)
    if t.empty:
        raise DataValidationError(f"{name} has no rows.")
    base = require_single_base(t, name=name)
    kinds = sorted(set(t["data_kind"]))
    if len(kinds) > 1:
        raise DataValidationError(
            f"{name} mixes data kinds {kinds}; analyse published, real and synthetic data "
            "separately."
        )
    no_count = t.index[t["count"].isna()]
    if len(no_count):
        row = t.loc[no_count[0]]
        raise DataValidationError(
            f"{name}: {len(no_count)} row(s) have a share but no count (e.g. index "
            f"{no_count[0]!r}: {row['team']} {row['period']} {row['category']}, source "
            f"{row['source_id'] or '-'}). Count analyses need counts; compare published "
            "shares with impact.problems.compare_published."
        )
    dimension_of(t["category"].unique())
    dup = t.duplicated(["team", "period", "category"], keep=False)
    if dup.any():
        row = t[dup].iloc[0]
        raise DataValidationError(
            f"{name}: several rows for {row['team']} {row['period']} {row['category']}; a "
            "count table has one row per team, period and category."
        )
    wide = t.pivot_table(
        index=["team", "period"], columns="category", values="count", aggfunc="first",
        observed=True,
    )
    if wide.isna().any().any():
        missing = wide.isna().stack()
        first = missing[missing].index[0]
        raise DataValidationError(
            f"{name}: {int(missing.sum())} team-period-category cell(s) are missing, e.g. "
            f"{first[0]} {first[1]} {first[2]}. Every team-period needs every category; add "
            "explicit zero rows where nothing was recorded."
        )
    return t, base, kinds[0]


def _group_totals(t: pd.DataFrame) -> pd.DataFrame:
    """Per team-period: sum of counts, base total (if single and known), remainder."""
    g = t.groupby(["team", "period"], sort=True, observed=True)
    out = pd.DataFrame({
        "counted": g["count"].sum(),
        "base_total": g["base_total"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else np.nan),
    })
    has_total = out["base_total"].notna()
    out["total"] = np.where(has_total, out["base_total"], out["counted"])
    out["remainder"] = (out["total"] - out["counted"]).clip(lower=0)
    out["overlapping"] = has_total & (out["base_total"] < out["counted"])
    return out


def _refuse_overlap(totals: pd.DataFrame, what: str) -> None:
    if totals["overlapping"].any():
        team, period = totals.index[totals["overlapping"]][0]
        raise DataValidationError(
            f"{what}: in {team} {period} the category counts sum to more than base_total "
            "(categories overlap, e.g. several violence forms per call); a multinomial "
            "comparison does not apply. Compare one category at a time against base_total."
        )


# ---------------------------------------------------------------------------------------
# Shares
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CategoryShares(_FrameResult):
    """Counts and shares per team, period and category, with intervals.

    ``to_frame()`` columns (:data:`SHARES_COLUMNS`): ``team``, ``period``, ``category``,
    ``count``, ``total`` (the base in that team-period: ``base_total`` when given, else
    the category sum), ``share``, ``share_lower``,
    ``share_upper``, ``base``, ``data_kind``.

    Attributes
    ----------
    frame : pandas.DataFrame
    level : float
    interval : str
        ``goodman``, ``sison-glaz`` (simultaneous over the categories of a team-period)
        or ``wilson``, ``clopper-pearson`` (per category).
    base, data_kind : str
    warnings : tuple of str
    """

    frame: pd.DataFrame
    level: float
    interval: str
    base: str
    data_kind: str
    warnings: tuple[str, ...] = ()

    def summary(self) -> ProblemSummary:
        """Return the shares table and a sentence on level, interval kind and data kind."""
        simultaneous = self.interval in ("goodman", "sison-glaz")
        kind = (
            f"simultaneous {self.interval} multinomial confidence intervals (all categories "
            "of a team-period covered jointly)"
            if simultaneous
            else f"{self.interval} binomial confidence intervals (per category)"
        )
        text = (
            f"Shares of {self.base} per team, period and category with {self.level:.0%} "
            f"{kind}; method: statsmodels.stats.proportion; {_kind_label(self.data_kind)}."
        )
        if self.warnings:
            text += " Warnings: " + " ".join(self.warnings)
        return ProblemSummary(self.frame.copy(), text)

    def plot(self, *, ax: Any = None, team: str | None = None) -> Any:
        """Plot shares over periods for one team (default: the first), with their bands.

        Returns
        -------
        matplotlib.axes.Axes
        """
        ax = _new_axes(ax)
        f = self.frame
        team = team if team is not None else str(f["team"].iloc[0])
        sub = f[f["team"] == team]
        for cat, grp in sub.groupby("category", sort=False):
            x = grp["period"].dt.to_timestamp()
            (line,) = ax.plot(x, grp["share"], marker="o", label=str(cat))
            ax.fill_between(x, grp["share_lower"], grp["share_upper"], alpha=0.2,
                            color=line.get_color())
        ax.set_ylabel(f"share of {self.base}")
        ax.set_ylim(0, 1)
        ax.set_title(f"{team}: {self.level:.0%} {self.interval} intervals ({self.data_kind})")
        ax.legend(fontsize="small")
        return ax


def category_shares(
    table: pd.DataFrame,
    *,
    level: float = DEFAULT_LEVEL,
    interval: Literal["goodman", "sison-glaz", "wilson", "clopper-pearson"] = "goodman",
) -> CategoryShares:
    """Compute counts and shares with intervals per team, period and category.

    Parameters
    ----------
    table : pandas.DataFrame
        A category table with counts, one base, one category dimension, and every
        category present for every team-period (zeros as explicit rows).
    level : float, default 0.95
        Confidence level of the intervals.
    interval : {"goodman", "sison-glaz", "wilson", "clopper-pearson"}, default "goodman"
        Simultaneous multinomial intervals (Goodman; Sison-Glaz is slower) or per-category
        binomial intervals. All stay within [0, 1].

    Returns
    -------
    CategoryShares

    Raises
    ------
    DataValidationError
        On a mixed base, missing counts, missing cells or an unknown interval kind.

    Notes
    -----
    When ``base_total`` exceeds the category sum (categories not exhaustive), the
    difference enters the multinomial as an unreported remainder cell. When it is
    smaller (categories overlap, e.g. several forms per call) multinomial intervals do
    not apply and Wilson intervals are used instead, with a warning.
    """
    level = _check_level(level)
    if interval not in _SHARE_INTERVALS:
        raise DataValidationError(
            f"interval {interval!r} is not one of {list(_SHARE_INTERVALS)}."
        )
    from statsmodels.stats.proportion import (
        multinomial_proportions_confint,
        proportion_confint,
    )

    t, base, kind = _count_table(table, name="category table")
    totals = _group_totals(t)
    messages: list[str] = []
    alpha = 1 - level
    pieces = []
    overlap_warned = False
    for (team, period), grp in t.groupby(["team", "period"], sort=True, observed=True):
        info = totals.loc[(team, period)]
        counts = grp["count"].to_numpy(dtype=float)
        n = float(info["total"])
        lower = np.full(len(grp), np.nan)
        upper = np.full(len(grp), np.nan)
        use_multi = interval in ("goodman", "sison-glaz") and not bool(info["overlapping"])
        if bool(info["overlapping"]) and not overlap_warned:
            overlap_warned = True
            _warn(messages, "some team-periods have category counts above base_total "
                  "(overlapping categories); per-category Wilson intervals were used there.")
        if n > 0 and use_multi:
            vec = counts if info["remainder"] <= 0 else np.append(counts, info["remainder"])
            if np.count_nonzero(vec) >= 1 and len(vec) >= 2:
                ci = multinomial_proportions_confint(vec.round(), alpha=alpha, method=interval)
                lower, upper = ci[: len(grp), 0], ci[: len(grp), 1]
        elif n > 0:
            method = "beta" if interval == "clopper-pearson" else "wilson"
            lo, hi = proportion_confint(counts, n, alpha=alpha, method=method)
            lower, upper = np.asarray(lo, float), np.asarray(hi, float)
        part = pd.DataFrame({
            "team": team,
            "period": grp["period"].to_numpy(),
            "category": grp["category"].to_numpy(),
            "count": counts,
            "total": n,
            "share": counts / n if n > 0 else np.nan,
            "share_lower": np.clip(lower, 0.0, 1.0),
            "share_upper": np.clip(upper, 0.0, 1.0),
            "base": base,
            "data_kind": kind,
        })
        pieces.append(part)
    frame = pd.concat(pieces, ignore_index=True).loc[:, list(SHARES_COLUMNS)]
    return CategoryShares(frame, level, interval, base, kind, tuple(messages))


# ---------------------------------------------------------------------------------------
# Trends
# ---------------------------------------------------------------------------------------


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

    def summary(self) -> ProblemSummary:
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
            f"max(1, Pearson chi2 / df); {_kind_label(self.data_kind)}."
        )
        if self.warnings:
            text += " Warnings: " + " ".join(self.warnings)
        return ProblemSummary(self.frame.copy(), text)

    def plot(self, *, ax: Any = None, team: str | None = None) -> Any:
        """Forest plot of the yearly rate of change per category for one team.

        Returns
        -------
        matplotlib.axes.Axes
        """
        ax = _new_axes(ax)
        f = self.frame
        team = team if team is not None else str(f["team"].iloc[0])
        sub = f[f["team"] == team].reset_index(drop=True)
        y = np.arange(len(sub))
        err = np.vstack([
            sub["rate_of_change"] - sub["rate_of_change_lower"],
            sub["rate_of_change_upper"] - sub["rate_of_change"],
        ])
        ax.errorbar(sub["rate_of_change"], y, xerr=err, fmt="o", capsize=3,
                    label=f"{self.level:.0%} confidence interval")
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(y, sub["category"])
        ax.set_xlabel("rate of change per year")
        ax.set_title(f"{team}: {self.family} trend ({self.data_kind})")
        ax.legend(fontsize="small")
        return ax


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
    level = _check_level(level)
    if family not in ("quasipoisson", "poisson"):
        raise DataValidationError(f"family {family!r} is not 'quasipoisson' or 'poisson'.")
    if offset not in ("total", "none"):
        raise DataValidationError(f"offset {offset!r} is not 'total' or 'none'.")
    import statsmodels.api as sm

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
            fit = sm.GLM(y, design, family=sm.families.Poisson(), offset=off).fit()
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


# ---------------------------------------------------------------------------------------
# Mix change between two periods
# ---------------------------------------------------------------------------------------


def _period_set(spec: Any, periods: pd.Series, *, name: str) -> list[pd.Period]:
    """Resolve a period or an inclusive (start, end) pair against a table's periods."""
    freq = "M" if str(periods.dtype) == "period[M]" else "Y"

    def one(value: Any) -> pd.Period:
        try:
            return pd.Period(value, freq=freq)
        except (ValueError, TypeError):
            raise DataValidationError(
                f"{name}: cannot read {value!r} as a {'month' if freq == 'M' else 'year'}."
            ) from None

    if isinstance(spec, tuple):
        if len(spec) != 2:
            raise DataValidationError(
                f"{name}: give one period or an inclusive (start, end) pair, got {spec!r}."
            )
        start, end = one(spec[0]), one(spec[1])
        if end < start:
            raise DataValidationError(f"{name}: end {end} is before start {start}.")
        wanted = list(pd.period_range(start, end, freq=freq))
    else:
        wanted = [one(spec)]
    present = set(periods)
    missing = [str(p) for p in wanted if p not in present]
    if missing:
        raise DataValidationError(
            f"{name}: period(s) {missing} are not in the table (it covers {min(present)} to "
            f"{max(present)}); windows are inclusive and must be complete."
        )
    return wanted


def _newcombe(c1: float, n1: float, c2: float, n2: float, alpha: float) -> tuple[float, float]:
    """Newcombe hybrid-score interval for p2 - p1."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    if n1 <= 0 or n2 <= 0:
        return np.nan, np.nan
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lo, hi = confint_proportions_2indep(c2, n2, c1, n1, method="newcomb", compare="diff",
                                            alpha=alpha)
    return float(max(-1.0, lo)), float(min(1.0, hi))


def _score_ratio(c1: float, n1: float, c2: float, n2: float, alpha: float) -> tuple[float, float]:
    """Score interval for p2 / p1 (NaN when undefined)."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    if n1 <= 0 or n2 <= 0 or (c1 == 0 and c2 == 0):
        return np.nan, np.nan
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lo, hi = confint_proportions_2indep(c2, n2, c1, n1, method="score",
                                                compare="ratio", alpha=alpha)
    except (ValueError, ZeroDivisionError, FloatingPointError):  # pragma: no cover
        return np.nan, np.nan
    return float(lo), float(hi)


@dataclasses.dataclass(frozen=True)
class MixChange(_FrameResult):
    """Test of whether the category mix differs between two periods, per team.

    ``to_frame()`` columns (:data:`MIX_COLUMNS`), one row per team and category:
    counts, totals and shares in the first and second period, ``share_difference``
    (second - first) with its Newcombe interval (per category, not simultaneous), and
    the team's test ``statistic``, ``df`` and ``p_value`` (repeated on each row).

    Attributes
    ----------
    frame : pandas.DataFrame
    first, second : tuple of pandas.Period
        The periods pooled into each side (inclusive).
    level : float
    test : str
        ``lr`` (likelihood-ratio G test) or ``pearson`` (chi-square).
    base, data_kind : str
    warnings : tuple of str
    """

    frame: pd.DataFrame
    first: tuple[pd.Period, ...]
    second: tuple[pd.Period, ...]
    level: float
    test: str
    base: str
    data_kind: str
    warnings: tuple[str, ...] = ()

    def tests(self) -> pd.DataFrame:
        """Return one row per team: ``team``, ``statistic``, ``df``, ``p_value``."""
        return self.frame.drop_duplicates("team")[["team", "statistic", "df", "p_value"]]

    def summary(self) -> ProblemSummary:
        """Return the per-team tests and a sentence on method, level and data kind."""
        span = lambda ps: str(ps[0]) if len(ps) == 1 else f"{ps[0]}-{ps[-1]}"  # noqa: E731
        name = "likelihood-ratio (G)" if self.test == "lr" else "Pearson chi-square"
        parts = [
            f"{r.team}: {name} = {r.statistic:.2f} on {r.df:.0f} df, p = {r.p_value:.3g}"
            for r in self.tests().itertuples()
        ]
        text = (
            f"Category mix of {self.base}, {span(self.first)} vs {span(self.second)}: "
            + "; ".join(parts)
            + f". Share differences carry {self.level:.0%} Newcombe hybrid-score confidence "
            f"intervals (per category); {_kind_label(self.data_kind)}."
        )
        if self.warnings:
            text += " Warnings: " + " ".join(self.warnings)
        return ProblemSummary(self.frame.copy(), text)

    def plot(self, *, ax: Any = None, team: str | None = None) -> Any:
        """Plot the share difference per category (second - first) for one team.

        Returns
        -------
        matplotlib.axes.Axes
        """
        return _plot_differences(self.frame, ax=ax, team=team, level=self.level,
                                 title=f"mix change ({self.data_kind})")


def _plot_differences(frame: pd.DataFrame, *, ax: Any, team: str | None, level: float,
                      title: str) -> Any:
    ax = _new_axes(ax)
    team = team if team is not None else str(frame["team"].iloc[0])
    sub = frame[frame["team"] == team].reset_index(drop=True)
    y = np.arange(len(sub))
    err = np.vstack([
        sub["share_difference"] - sub["share_difference_lower"],
        sub["share_difference_upper"] - sub["share_difference"],
    ])
    ax.errorbar(sub["share_difference"], y, xerr=err, fmt="o", capsize=3,
                label=f"{level:.0%} Newcombe interval")
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(y, sub["category"])
    ax.set_xlabel("difference in share (proportion)")
    ax.set_title(f"{team}: {title}")
    ax.legend(fontsize="small")
    return ax


def _pooled(t: pd.DataFrame, totals: pd.DataFrame, periods: list[pd.Period]
            ) -> tuple[pd.DataFrame, pd.Series]:
    """Counts per team and category and remainder per team pooled over ``periods``."""
    sub = t[t["period"].isin(periods)]
    counts = sub.pivot_table(index="team", columns="category", values="count",
                             aggfunc="sum", observed=True)
    rem = totals[totals.index.get_level_values("period").isin(periods)]
    remainder = rem.groupby(level="team")["remainder"].sum()
    return counts, remainder


def compare_category_mix(
    table: pd.DataFrame,
    first: Any,
    second: Any,
    *,
    level: float = DEFAULT_LEVEL,
    test: Literal["lr", "pearson"] = "lr",
) -> MixChange:
    """Test whether the category mix changed between two periods, per team.

    Parameters
    ----------
    table : pandas.DataFrame
        Category table with counts (one base, complete cells).
    first, second : str, pandas.Period or (start, end) tuple
        A period (``"2021"``, ``"2023-09"``) or an inclusive pair of periods; counts are
        pooled over each side.
    level : float, default 0.95
    test : {"lr", "pearson"}, default "lr"
        Likelihood-ratio (G) or Pearson chi-square test of homogeneity of the 2 x K table
        (K categories, plus an unreported remainder when ``base_total`` exceeds the
        category sum). Categories with no counts on either side are dropped.

    Returns
    -------
    MixChange
        One test per team present in the table (use :func:`aggregate_to_flanders` first
        for a Flanders test).

    Notes
    -----
    The chi-square reference distribution is an approximation; a warning is stored when
    more than 20% of expected cells are below 5.
    """
    level = _check_level(level)
    if test not in ("lr", "pearson"):
        raise DataValidationError(f"test {test!r} is not 'lr' or 'pearson'.")
    t, base, kind = _count_table(table, name="category table")
    p1 = _period_set(first, t["period"], name="first")
    p2 = _period_set(second, t["period"], name="second")
    if set(p1) & set(p2):
        raise DataValidationError("first and second periods overlap; they must be disjoint.")
    totals = _group_totals(t)
    _refuse_overlap(totals, "compare_category_mix")
    c1, r1 = _pooled(t, totals, p1)
    c2, r2 = _pooled(t, totals, p2)
    messages: list[str] = []
    alpha = 1 - level
    rows = []
    for team in sorted(set(c1.index) & set(c2.index)):
        a = c1.loc[team].astype(float)
        b = c2.loc[team].astype(float)
        obs = np.vstack([a.to_numpy(), b.to_numpy()])
        if r1.get(team, 0) > 0 or r2.get(team, 0) > 0:
            obs = np.column_stack([obs, [r1.get(team, 0.0), r2.get(team, 0.0)]])
        keep = obs.sum(axis=0) > 0
        obs_k = obs[:, keep]
        stat = dfree = pval = np.nan
        if obs_k.shape[1] >= 2 and np.all(obs_k.sum(axis=1) > 0):
            lam = "log-likelihood" if test == "lr" else "pearson"
            res = stats.chi2_contingency(obs_k, correction=False, lambda_=lam)
            stat, pval, dfree = float(res.statistic), float(res.pvalue), float(res.dof)
            if np.mean(res.expected_freq < 5) > 0.2:
                _warn(messages, f"{team}: more than 20% of expected counts are below 5; the "
                      "chi-square p-value is approximate.")
        n1, n2 = float(obs[0].sum()), float(obs[1].sum())
        for cat in a.index:
            lo, hi = _newcombe(a[cat], n1, b[cat], n2, alpha)
            s1 = a[cat] / n1 if n1 else np.nan
            s2 = b[cat] / n2 if n2 else np.nan
            rows.append({
                "team": team, "category": cat, "count_first": a[cat], "total_first": n1,
                "share_first": s1, "count_second": b[cat], "total_second": n2,
                "share_second": s2, "share_difference": s2 - s1,
                "share_difference_lower": lo, "share_difference_upper": hi,
                "statistic": stat, "df": dfree, "p_value": pval, "base": base,
                "data_kind": kind,
            })
    frame = pd.DataFrame.from_records(rows, columns=list(MIX_COLUMNS))
    return MixChange(frame, tuple(p1), tuple(p2), level, test, base, kind, tuple(messages))


# ---------------------------------------------------------------------------------------
# Event-driven shift in shares
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ShareShift(_FrameResult):
    """Change in each category's share during an event window against its baseline.

    ``to_frame()`` columns (:data:`SHIFT_COLUMNS`), one row per team and category:
    pooled counts, totals and shares in the baseline months and the window months;
    ``share_difference`` (window - baseline, proportion) with a Newcombe hybrid-score
    interval; ``share_ratio`` (window / baseline) with a score interval; ``dispersion``
    (the overdispersion factor the counts were deflated by); ``base``, ``data_kind``.

    Attributes
    ----------
    frame : pandas.DataFrame
    window, baseline : tuple of pandas.Period
        Months of the window and of the baseline (inclusive).
    level : float
    base, data_kind : str
    warnings : tuple of str
    """

    frame: pd.DataFrame
    window: tuple[pd.Period, ...]
    baseline: tuple[pd.Period, ...]
    level: float
    base: str
    data_kind: str
    warnings: tuple[str, ...] = ()

    def summary(self) -> ProblemSummary:
        """Return the shift table and a sentence on windows, level, intervals, data kind."""
        text = (
            f"Share of {self.base} per category during {self.window[0]}-{self.window[-1]} "
            f"against the baseline {self.baseline[0]}-{self.baseline[-1]} (inclusive); "
            f"{self.level:.0%} Newcombe hybrid-score confidence intervals for the "
            "difference and score intervals for the ratio, with counts deflated by the "
            "baseline month-to-month overdispersion (per category, not simultaneous); "
            f"{_kind_label(self.data_kind)}."
        )
        if self.warnings:
            text += " Warnings: " + " ".join(self.warnings)
        return ProblemSummary(self.frame.copy(), text)

    def plot(self, *, ax: Any = None, team: str | None = None) -> Any:
        """Plot the share difference per category for one team.

        Returns
        -------
        matplotlib.axes.Axes
        """
        return _plot_differences(self.frame, ax=ax, team=team, level=self.level,
                                 title=f"share shift in event window ({self.data_kind})")


def _baseline_dispersion(t: pd.DataFrame, totals: pd.DataFrame, team: str,
                         months: list[pd.Period]) -> float:
    """Pearson chi2 / df of the months x categories table of the baseline, at least 1."""
    sub = t[(t["team"] == team) & t["period"].isin(months)]
    wide = sub.pivot_table(index="period", columns="category", values="count",
                           aggfunc="sum", observed=True)
    rem = totals.loc[team].reindex(wide.index)["remainder"].to_numpy()
    if np.any(rem > 0):
        wide = wide.assign(**{_REMAINDER: rem})
    obs = wide.to_numpy(dtype=float)
    obs = obs[:, obs.sum(axis=0) > 0]
    obs = obs[obs.sum(axis=1) > 0]
    if obs.shape[0] < 2 or obs.shape[1] < 2:
        return 1.0
    res = stats.chi2_contingency(obs, correction=False)
    return max(1.0, float(res.statistic) / float(res.dof)) if res.dof > 0 else 1.0


def estimate_share_shift(
    table: pd.DataFrame,
    *,
    window: Any,
    baseline: Any = None,
    baseline_months: int = 12,
    level: float = DEFAULT_LEVEL,
    adjust_overdispersion: bool = True,
) -> ShareShift:
    """Estimate the change in category shares during an event window, per team.

    Parameters
    ----------
    table : pandas.DataFrame
        Monthly category table with counts (one base, complete cells).
    window : str, pandas.Period or (start, end) tuple
        Event window months, inclusive (``("2023-09", "2023-10")``).
    baseline : str, pandas.Period or (start, end) tuple, optional
        Baseline months, inclusive. Default: the ``baseline_months`` months immediately
        before the window.
    baseline_months : int, default 12
    level : float, default 0.95
    adjust_overdispersion : bool, default True
        Divide counts and totals by the baseline dispersion (Pearson chi2 / df of the
        months x categories table, at least 1) before computing intervals, so that
        month-to-month variation beyond multinomial noise widens them.

    Returns
    -------
    ShareShift

    Raises
    ------
    DataValidationError
        If the table is not monthly, or a window or baseline month is missing, or they
        overlap.
    """
    level = _check_level(level)
    t, base, kind = _count_table(table, name="category table")
    if str(t["period"].dtype) != "period[M]":
        raise DataValidationError(
            "estimate_share_shift needs monthly periods (Period[M]); the table has "
            f"{t['period'].dtype}. Yearly data cannot locate an event window."
        )
    win = _period_set(window, t["period"], name="window")
    if baseline is None:
        if baseline_months < 1:
            raise DataValidationError("baseline_months must be at least 1.")
        start = win[0] - baseline_months
        base_spec: Any = (start, win[0] - 1)
    else:
        base_spec = baseline
    base_periods = _period_set(base_spec, t["period"], name="baseline")
    if set(base_periods) & set(win):
        raise DataValidationError("baseline and window overlap; they must be disjoint.")
    totals = _group_totals(t)
    _refuse_overlap(totals, "estimate_share_shift")
    cb, rb = _pooled(t, totals, base_periods)
    cw, rw = _pooled(t, totals, win)
    messages: list[str] = []
    alpha = 1 - level
    rows = []
    for team in sorted(set(cb.index) & set(cw.index)):
        phi = (_baseline_dispersion(t, totals, team, base_periods)
               if adjust_overdispersion else 1.0)
        a, b = cb.loc[team].astype(float), cw.loc[team].astype(float)
        n1 = float(a.sum() + rb.get(team, 0.0))
        n2 = float(b.sum() + rw.get(team, 0.0))
        for cat in a.index:
            lo, hi = _newcombe(a[cat] / phi, n1 / phi, b[cat] / phi, n2 / phi, alpha)
            rlo, rhi = _score_ratio(a[cat] / phi, n1 / phi, b[cat] / phi, n2 / phi, alpha)
            s1 = a[cat] / n1 if n1 else np.nan
            s2 = b[cat] / n2 if n2 else np.nan
            rows.append({
                "team": team, "category": cat, "count_baseline": a[cat],
                "total_baseline": n1, "share_baseline": s1, "count_window": b[cat],
                "total_window": n2, "share_window": s2, "share_difference": s2 - s1,
                "share_difference_lower": lo, "share_difference_upper": hi,
                "share_ratio": s2 / s1 if s1 > 0 else np.nan, "share_ratio_lower": rlo,
                "share_ratio_upper": rhi, "dispersion": phi, "base": base,
                "data_kind": kind,
            })
    frame = pd.DataFrame.from_records(rows, columns=list(SHIFT_COLUMNS))
    return ShareShift(frame, tuple(win), tuple(base_periods), level, base, kind,
                      tuple(messages))


# ---------------------------------------------------------------------------------------
# Helpers on tables: Flanders totals, suppression, synthetic categories
# ---------------------------------------------------------------------------------------


def aggregate_to_flanders(table: pd.DataFrame) -> pd.DataFrame:
    """Add Flanders rows (sums over the teams) to a count table.

    Parameters
    ----------
    table : pandas.DataFrame
        Category table with counts for teams (no Flanders rows yet), one base.

    Returns
    -------
    pandas.DataFrame
        A copy with Flanders rows appended (``count`` and ``base_total`` summed over
        teams; ``base_total`` NaN if any team lacks it).

    Raises
    ------
    DataValidationError
        If the table already has Flanders rows or is not a complete count table.
    """
    t, _, _ = _count_table(table, name="category table")
    if (t["team"] == FLANDERS).any():
        raise DataValidationError("the table already has Flanders rows.")
    totals = _group_totals(t).reset_index()
    base_tot = totals.groupby("period", observed=True)["base_total"].agg(
        lambda s: s.sum() if s.notna().all() else np.nan
    )
    agg = t.groupby(["period", "category"], sort=True, observed=True).agg(
        count=("count", "sum"),
        base=("base", "first"),
        data_kind=("data_kind", "first"),
        unit=("unit", "first"),
    ).reset_index()
    agg["team"] = FLANDERS
    agg["original_label"] = agg["category"]
    agg["base_total"] = agg["period"].map(base_tot).astype(float)
    agg["note"] = "sum over teams " + ", ".join(sorted(set(t["team"])))
    out = pd.concat([t, agg], ignore_index=True)
    out.attrs = dict(table.attrs)
    return validate_category_table(out, name="category table")


def suppress_small_cells(
    table: pd.DataFrame,
    *,
    threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
    value: str = "count",
    rows: str = "team",
    columns: str = "category",
    by: Sequence[str] | None = None,
    blank: Sequence[str] | None = None,
    suppress_zeros: bool = False,
) -> pd.DataFrame:
    """Blank small cells, and the secondary cells that would reveal them, for publication.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table with a count column ``value`` and key columns ``rows`` and
        ``columns`` (and ``by``), e.g. a category table or ``CategoryShares.to_frame()``.
    threshold : int, default 5
        Cells with ``0 < value < threshold`` are primary suppressions.
    value : str, default "count"
    rows, columns : str, default "team", "category"
        The two dimensions of each published cross-table.
    by : sequence of str, optional
        Columns that split the table into separate cross-tables; default ``["period"]``
        when a ``period`` column exists.
    blank : sequence of str, optional
        Columns set to NaN in suppressed rows; default ``value`` and every column whose
        name starts with ``share``.
    suppress_zeros : bool, default False
        Also treat zero cells as primary suppressions.

    Returns
    -------
    pandas.DataFrame
        A copy with the ``blank`` columns set to NaN where suppressed, plus ``suppressed``
        (bool) and ``suppression`` (``""``, ``"primary"`` or ``"secondary"``).
        ``attrs["suppression_threshold"]`` records the threshold.

    Notes
    -----
    Rule (documented for policy notes): readers are assumed to know the row and column
    totals of each cross-table (team totals and Flanders totals per category). Whenever
    a row or a column has exactly one suppressed cell, the smallest non-zero unsuppressed
    cell of that row or column is suppressed too, and this is repeated until no row or
    column has exactly one suppressed cell. Zero cells are not used as secondary cells
    (a zero reveals that the partner cell holds the whole difference). If a row or column
    has no cell left to suppress, an :class:`impact.exceptions.ImpactWarning` says so and
    its total should not be published. Totals over periods (e.g. a year summing 12
    published months) are not protected by this rule; publish either the months or the
    year per team and category.
    """
    if value not in table.columns or rows not in table.columns or columns not in table.columns:
        raise DataValidationError(
            f"suppress_small_cells: columns {value!r}, {rows!r} and {columns!r} must exist; "
            f"found {list(table.columns)}."
        )
    if threshold < 1:
        raise DataValidationError(f"threshold must be at least 1, got {threshold!r}.")
    by_cols = list(by) if by is not None else (["period"] if "period" in table.columns else [])
    blank_cols = list(blank) if blank is not None else [
        c for c in table.columns if c == value or str(c).startswith("share")
    ]
    out = table.copy()
    vals = pd.to_numeric(out[value], errors="coerce").astype(float)
    primary = vals.notna() & (vals < threshold) & ((vals > 0) | suppress_zeros)
    status = pd.Series(np.where(primary, "primary", ""), index=out.index, dtype=object)
    groups = out.groupby(by_cols, sort=False, observed=True).groups if by_cols else {
        None: out.index
    }
    for _, idx in groups.items():
        sub_idx = pd.Index(idx)
        changed = True
        while changed:
            changed = False
            for dim in (rows, columns):
                for _, line in out.loc[sub_idx].groupby(dim, sort=False, observed=True):
                    flagged = [i for i in line.index if status[i]]
                    if len(flagged) != 1:
                        continue
                    cands = [i for i in line.index
                             if not status[i] and pd.notna(vals[i]) and vals[i] > 0]
                    if not cands:
                        warnings.warn(
                            f"suppress_small_cells: {dim} {line[dim].iloc[0]!r} has one "
                            "suppressed cell and no other non-zero cell to suppress; do not "
                            "publish its total.",
                            ImpactWarning,
                            stacklevel=2,
                        )
                        continue
                    pick = min(cands, key=lambda i: (vals[i], list(line.index).index(i)))
                    status[pick] = "secondary"
                    changed = True
    suppressed = status != ""
    for col in blank_cols:
        out[col] = out[col].astype(float).where(~suppressed, np.nan)
    out["suppressed"] = suppressed.astype(bool)
    out["suppression"] = status.astype(str)
    out.attrs = {**table.attrs, "suppression_threshold": threshold}
    return out


def _published_shares(year: int, base: str) -> tuple[dict[str, float], list[str]]:
    """Problem-dimension shares of a year from the published table, plus source ids."""
    t = published_category_table()
    sub = t[(t["team"] == FLANDERS) & (t["period"].dt.year == year) & (t["base"] == base)
            & t["share"].notna()]
    sub = sub[[get_category(c).dimension == "problem" for c in sub["category"]]]
    if sub.empty:
        raise DataValidationError(
            f"no published problem shares of {base} for {year}; choose a year with shares "
            "(2020-2023 for victims) or pass shares=..."
        )
    sub = sub.drop_duplicates("category")
    return dict(zip(sub["category"], sub["share"], strict=True)), list(sub["source_id"])


def synthesize_categories(
    calls_frame: pd.DataFrame,
    *,
    seed: int | np.random.Generator,
    shares: dict[str, float] | None = None,
    year: int = 2023,
) -> pd.DataFrame:
    """Split team x month call counts into problem categories by multinomial draws.

    Parameters
    ----------
    calls_frame : pandas.DataFrame
        Canonical long frame with ``team``, ``month`` (``Period[M]`` or ``"2023-04"``
        strings) and ``calls`` (whole numbers >= 0); one row per team-month.
    seed : int or numpy.random.Generator
        With an int, each team gets its own stream from ``SeedSequence(seed)`` keyed by
        its position in :data:`impact.constants.TEAMS`, so results do not depend on row
        order.
    shares : dict, optional
        Category code -> share. Default: the published Flanders problem shares of
        ``year`` (share of victims; 2023: child abuse 58%, partner violence 14%,
        extrafamilial and intrafamilial violence between adults and separation problems
        4% each), with the remainder as ``other``.
    year : int, default 2023
        Year of the published shares used by default.

    Returns
    -------
    pandas.DataFrame
        A category table with monthly periods, ``base="calls"``, ``base_total`` = calls,
        ``data_kind="synthetic"``; counts of each team-month sum to its calls.
        ``attrs``: ``kind="synthetic"``, ``seed``, ``shares``, ``share_source_ids``.

    Notes
    -----
    Stated assumptions: the published shares are shares of *victims*; the synthetic
    split applies them to *calls*, the same in every team and month (the parliamentary
    answer says the problems are the same across teams), with pure multinomial noise
    (no overdispersion, no trend, no event effect).
    """
    missing = [c for c in ("team", "month", "calls") if c not in calls_frame.columns]
    if missing:
        raise DataValidationError(
            f"calls_frame: missing column(s) {missing}; expected team, month, calls."
        )
    frame = calls_frame.loc[:, ["team", "month", "calls"]].copy()
    if not isinstance(frame["month"].dtype, pd.PeriodDtype):
        try:
            frame["month"] = pd.PeriodIndex(frame["month"].astype(str), freq="M")
        except (ValueError, TypeError):
            raise DataValidationError(
                "calls_frame: column 'month' must hold months (Period[M] or 'YYYY-MM')."
            ) from None
    calls = pd.to_numeric(frame["calls"], errors="coerce")
    bad = frame.index[calls.isna() | (calls < 0) | (calls % 1 != 0)]
    if len(bad):
        raise DataValidationError(
            f"calls_frame: row {bad[0]!r} has calls {frame.at[bad[0], 'calls']!r}; expected "
            "a whole number >= 0."
        )
    frame["calls"] = calls.astype(np.int64)
    if frame.duplicated(["team", "month"]).any():
        raise DataValidationError("calls_frame: duplicate team-month rows.")
    source_ids: list[str] = []
    if shares is None:
        shares, source_ids = _published_shares(year, "victims")
        rest = 1.0 - sum(shares.values())
        if rest > 0:
            shares = {**shares, "other": rest}
    for code in shares:
        get_category(code)
    probs = np.array(list(shares.values()), dtype=float)
    if np.any(probs < 0) or not np.isclose(probs.sum(), 1.0, atol=1e-6):
        raise DataValidationError(
            f"shares must be >= 0 and sum to 1, got sum {probs.sum():.4f}."
        )
    probs = probs / probs.sum()
    cats = list(shares)
    order = {t: i for i, t in enumerate(TEAMS)}
    pieces = []
    for team, grp in frame.groupby("team", sort=True):
        if isinstance(seed, np.random.Generator):
            rng = seed
        else:
            key = order.get(str(team), len(TEAMS) + sorted(set(frame["team"])).index(team))
            rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(key,)))
        grp = grp.sort_values("month")
        draws = rng.multinomial(grp["calls"].to_numpy(), probs)
        n_rows = len(grp)
        pieces.append(pd.DataFrame({
            "team": np.repeat(str(team), n_rows * len(cats)),
            "period": np.repeat(grp["month"].to_numpy(), len(cats)),
            "category": np.tile(cats, n_rows),
            "original_label": np.tile(cats, n_rows),
            "count": draws.reshape(-1).astype(float),
            "share": np.nan,
            "base": "calls",
            "base_total": np.repeat(grp["calls"].to_numpy(dtype=float), len(cats)),
            "base_source_id": "",
            "unit": "calls (synthetic)",
            "source_id": "",
            "is_approximate": False,
            "is_lower_bound": False,
            "note": "synthetic multinomial split; shares from "
            + (", ".join(source_ids) if source_ids else "user-supplied shares"),
            "data_kind": "synthetic",
        }))
    out = pd.concat(pieces, ignore_index=True).loc[:, list(CATEGORY_TABLE_COLUMNS)]
    out["period"] = pd.PeriodIndex(list(out["period"]), freq="M")
    out.attrs = {
        "kind": "synthetic",
        "seed": seed if isinstance(seed, int) else "generator",
        "shares": dict(shares),
        "share_source_ids": source_ids,
    }
    return validate_category_table(out, name="synthetic categories")


# ---------------------------------------------------------------------------------------
# Published figures
# ---------------------------------------------------------------------------------------


def _poisson_interval(count: float, alpha: float) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson mean."""
    lo = stats.chi2.ppf(alpha / 2, 2 * count) / 2 if count > 0 else 0.0
    hi = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return float(lo), float(hi)


def _wilson(share: float, n: float, alpha: float) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    if not (n > 0) or np.isnan(share):
        return np.nan, np.nan
    lo, hi = proportion_confint(share * n, n, alpha=alpha, method="wilson")
    return float(lo), float(hi)


def _row_caveats(row: pd.Series, table: pd.DataFrame) -> list[str]:
    """Caveats attached to one published category row."""
    notes: list[str] = []
    note = str(row["note"]).lower()
    if any(w in note for w in ("conflict", "inconsistent", "caution", "mislabel")):
        notes.append(f"{row['source_id']}: {row['note']}")
    if row["is_approximate"]:
        notes.append(f"{row['source_id']} is approximate ({row['unit']})")
    if row["is_lower_bound"]:
        notes.append(f"{row['source_id']} is a lower bound")
    if "calls about (possible) victims" in str(row["unit"]):
        notes.append(
            f"{row['source_id']}: unit worded '% of calls about (possible) victims', read as a "
            "share of victims"
        )
    if pd.notna(row["count"]):
        # Does the count match a published share on another base better than its own?
        same = table[(table["team"] == row["team"]) & (table["period"] == row["period"])
                     & (table["category"] == row["category"]) & table["share"].notna()
                     & (table["base"] != row["base"]) & table["base_total"].notna()]
        for s in same.itertuples():
            half = 0.0005 if abs(s.share * 1000 - round(s.share * 1000)) < 1e-6 and \
                abs(s.share * 100 - round(s.share * 100)) > 1e-6 else 0.005
            implied = row["count"] / s.base_total
            if abs(implied - s.share) <= half + 1e-9:
                notes.append(
                    f"{row['source_id']} is labelled a count of {row['base']}, but "
                    f"{row['count']:,.0f} / {s.base_total:,.0f} {s.base} = {implied:.1%} "
                    f"matches the published share of {s.base} ({s.share:.1%}, {s.source_id}): "
                    f"it may be a count of {s.base}"
                )
    return notes


@dataclasses.dataclass(frozen=True)
class PublishedProblemSeries(_FrameResult):
    """Published figures for problem categories over the years, with intervals and caveats.

    ``to_frame()`` columns (:data:`SERIES_COLUMNS`): ``team``, ``year``, ``category``,
    ``measure`` (``count`` or ``share``), ``value`` (count, or share as a proportion),
    ``value_lower``, ``value_upper``, ``base``, ``base_total``, ``unit``,
    ``original_label``, ``source_id``, ``is_approximate``, ``is_lower_bound``,
    ``caveat`` (row-level), ``data_kind`` (``published``).

    Intervals are sampling intervals that treat a year's figure as one draw of an
    underlying rate: exact Poisson (Garwood) for counts, Wilson for shares with
    ``base_total`` as n. They ignore rounding of published percentages (about +-0.5
    points) and definition changes; ``caveats`` lists those.

    Attributes
    ----------
    frame : pandas.DataFrame
    caveats : tuple of str
        Series-level caveats (bases present, label changes, rounding).
    level : float
    """

    frame: pd.DataFrame
    caveats: tuple[str, ...]
    level: float

    def summary(self) -> ProblemSummary:
        """Return the series and a text with level, interval kinds, data kind and caveats."""
        text = (
            "Published 1712 figures for problem categories (data kind: published). "
            f"{self.level:.0%} intervals: exact Poisson for counts, Wilson for shares "
            "(sampling noise only). Caveats: " + " | ".join(self.caveats)
        )
        cols = ["team", "year", "category", "measure", "value", "value_lower", "value_upper",
                "base", "source_id"]
        return ProblemSummary(self.frame[cols].copy(), text)

    def plot(self, *, ax: Any = None, measure: Literal["count", "share"] = "share") -> Any:
        """Plot values by year, one marker per base, one line per category and base.

        Returns
        -------
        matplotlib.axes.Axes
        """
        ax = _new_axes(ax)
        f = self.frame[self.frame["measure"] == measure]
        markers = dict(zip(BASES, "osD^vP*", strict=True))
        for (cat, base), grp in f.groupby(["category", "base"], sort=True):
            grp = grp.sort_values("year")
            err = np.vstack([grp["value"] - grp["value_lower"],
                             grp["value_upper"] - grp["value"]])
            ax.errorbar(grp["year"], grp["value"], yerr=err, marker=markers[str(base)],
                        capsize=3, label=f"{cat} ({base})")
        ax.set_xlabel("year")
        ax.set_ylabel("share" if measure == "share" else "count")
        ax.set_title("published 1712 figures (bases differ: do not join across markers)")
        ax.legend(fontsize="small")
        return ax


def _series_frame(table: pd.DataFrame, level: float) -> pd.DataFrame:
    alpha = 1 - level
    recs = []
    for _, row in table.iterrows():
        is_count = pd.notna(row["count"])
        if is_count:
            value = float(row["count"])
            lo, hi = _poisson_interval(value, alpha)
        else:
            value = float(row["share"])
            lo, hi = _wilson(value, float(row["base_total"]), alpha)
        recs.append({
            "team": row["team"], "year": int(row["period"].year), "category": row["category"],
            "measure": "count" if is_count else "share", "value": value, "value_lower": lo,
            "value_upper": hi, "base": row["base"], "base_total": row["base_total"],
            "unit": row["unit"], "original_label": row["original_label"],
            "source_id": row["source_id"], "is_approximate": row["is_approximate"],
            "is_lower_bound": row["is_lower_bound"],
            "caveat": "; ".join(_row_caveats(row, table)), "data_kind": "published",
        })
    return pd.DataFrame.from_records(recs, columns=list(SERIES_COLUMNS))


def _label_change_caveats(category: str, y1: int, y2: int) -> list[str]:
    lo, hi = min(y1, y2), max(y1, y2)
    return [
        f"label change between {c.last_year_before} and {c.first_year_after}: "
        f"{c.description} ({c.source})"
        for c in LABEL_CHANGES
        if category in c.categories and lo <= c.last_year_before and hi >= c.first_year_after
    ]


def published_problem_series(
    category: str | None = None,
    *,
    team: str = FLANDERS,
    level: float = DEFAULT_LEVEL,
    published: pd.DataFrame | None = None,
) -> PublishedProblemSeries:
    """Collect the published figures of one (or every) problem category over the years.

    Parameters
    ----------
    category : str, optional
        Stable category code; all categories when omitted.
    team : str, default "Flanders"
    level : float, default 0.95
    published : pandas.DataFrame, optional
        Output of :func:`impact.published.load_published`.

    Returns
    -------
    PublishedProblemSeries
        With ``caveats`` naming the bases present (which must not be joined into one
        line), the documented label changes within the years covered and the rounding
        of published percentages.
    """
    level = _check_level(level)
    table = published_category_table(published)
    sub = table[table["team"] == team]
    if category is not None:
        get_category(category)
        sub = sub[sub["category"] == category]
    if sub.empty:
        raise DataValidationError(
            f"no published category figures for team {team!r}"
            + (f" and category {category!r}" if category else "")
            + f"; published teams: {sorted(set(table['team']))}, categories: "
            f"{sorted(set(table['category']))}."
        )
    frame = _series_frame(sub, level)
    caveats: list[str] = []
    for cat, grp in frame.groupby("category", sort=True):
        bases = sorted(set(grp["base"]))
        if len(bases) > 1:
            detail = ", ".join(
                f"{b}: {sorted(set(grp.loc[grp['base'] == b, 'year']))}" for b in bases
            )
            caveats.append(
                f"{cat}: figures on different bases ({detail}); compare only within one base"
            )
        years = sorted(set(grp["year"]))
        caveats.extend(f"{cat}: {c}" for c in _label_change_caveats(cat, years[0], years[-1]))
    caveats.append(
        "published percentages are rounded (mostly to whole percent, +-0.5 points); the "
        "intervals do not include rounding"
    )
    caveats.append(
        "counts are handled (answered) contacts or the possible victims they concern, "
        "capped by capacity (in Apr-Aug 2020 about half of all calls went unanswered)"
    )
    return PublishedProblemSeries(frame, tuple(caveats), level)


@dataclasses.dataclass(frozen=True)
class PublishedComparison(_FrameResult):
    """A comparison of one published category figure between two years.

    ``to_frame()`` has one row with :data:`COMPARISON_COLUMNS`: the two figures with
    their years, bases and source ids; ``change_kind`` (``share_difference``: second -
    first as a proportion, Newcombe hybrid-score interval; or ``count_ratio``: second /
    first, exact conditional-binomial interval for a ratio of Poisson counts);
    ``change``, ``change_lower``, ``change_upper``; for counts with a known total on the
    same base also ``rate_ratio_per_base`` (the count ratio divided by the ratio of
    totals, totals taken as fixed) with its interval; ``mixes_bases``,
    ``spans_label_change``, ``caveats`` (joined with " | "), ``data_kind``.

    Attributes
    ----------
    frame : pandas.DataFrame
    caveats : tuple of str
    level : float
    """

    frame: pd.DataFrame
    caveats: tuple[str, ...]
    level: float

    def summary(self) -> ProblemSummary:
        """Return the comparison and a plain sentence with level, method and caveats."""
        r = self.frame.iloc[0]
        if r["change_kind"] == "share_difference":
            head = (
                f"{r['category']} ({r['team']}): {r['value_first']:.1%} of {r['base_first']} "
                f"in {r['year_first']} ({r['source_id_first']}) vs {r['value_second']:.1%} of "
                f"{r['base_second']} in {r['year_second']} ({r['source_id_second']}): "
                f"difference {100 * r['change']:+.1f} points ({self.level:.0%} Newcombe "
                f"hybrid-score interval {100 * r['change_lower']:+.1f} to "
                f"{100 * r['change_upper']:+.1f})."
            )
        else:
            head = (
                f"{r['category']} ({r['team']}): {r['value_first']:,.0f} {r['base_first']} "
                f"in {r['year_first']} ({r['source_id_first']}) vs {r['value_second']:,.0f} "
                f"{r['base_second']} in {r['year_second']} ({r['source_id_second']}): ratio "
                f"{r['change']:.2f} ({self.level:.0%} exact Poisson-ratio interval "
                f"{r['change_lower']:.2f} to {r['change_upper']:.2f})."
            )
            if pd.notna(r["rate_ratio_per_base"]):
                head += (
                    f" Relative to the total {r['base_first']}: ratio "
                    f"{r['rate_ratio_per_base']:.2f} ({r['rate_ratio_per_base_lower']:.2f} to "
                    f"{r['rate_ratio_per_base_upper']:.2f})."
                )
        text = head + " Data kind: published. Caveats: " + " | ".join(self.caveats)
        return ProblemSummary(self.frame.copy(), text)

    def plot(self, *, ax: Any = None) -> Any:
        """Plot the two published values with their sampling intervals.

        Returns
        -------
        matplotlib.axes.Axes
        """
        ax = _new_axes(ax)
        r = self.frame.iloc[0]
        x = [str(r["year_first"]), str(r["year_second"])]
        y = [r["value_first"], r["value_second"]]
        ax.bar(x, y, color=["#999999", "#4c72b0"])
        ax.set_ylabel(f"{r['measure']} ({r['base_first']} / {r['base_second']})")
        ax.set_title(f"{r['category']}: {r['change_kind']} = {r['change']:.3g} (published)")
        if r["mixes_bases"]:
            ax.text(0.5, 0.95, "BASES DIFFER", transform=ax.transAxes, ha="center",
                    va="top", color="red")
        return ax


def _pick(rows: pd.DataFrame, base: str | None) -> pd.DataFrame:
    return rows if base is None else rows[rows["base"] == base]


def compare_published(
    category: str,
    *,
    years: tuple[int, int],
    measure: Literal["count", "share"] = "share",
    team: str = FLANDERS,
    base: str | None = None,
    allow_mixed_bases: bool = False,
    level: float = DEFAULT_LEVEL,
    published: pd.DataFrame | None = None,
) -> PublishedComparison:
    """Compare a published category figure between two years, stating every caveat.

    Parameters
    ----------
    category : str
        Stable category code (``"partner_violence"``).
    years : (int, int)
        First and second year.
    measure : {"count", "share"}, default "share"
    team : str, default "Flanders"
    base : str, optional
        Restrict both figures to this base. When omitted, a base common to both years is
        used; if there is none the call fails unless ``allow_mixed_bases`` is true.
    allow_mixed_bases : bool, default False
        Compare figures on different bases anyway; the result then says so in its
        ``caveats`` and summary text, and ``mixes_bases`` is true.
    level : float, default 0.95
    published : pandas.DataFrame, optional

    Returns
    -------
    PublishedComparison

    Raises
    ------
    DataValidationError
        If a year has no such figure (the message lists what exists), or the only
        comparison mixes bases and ``allow_mixed_bases`` is false.
    """
    level = _check_level(level)
    get_category(category)
    if measure not in ("count", "share"):
        raise DataValidationError(f"measure {measure!r} is not 'count' or 'share'.")
    if base is not None and base not in BASES:
        raise DataValidationError(f"base {base!r} is not one of {list(BASES)}.")
    y1, y2 = int(years[0]), int(years[1])
    table = published_category_table(published)
    col = "count" if measure == "count" else "share"
    rows = table[(table["team"] == team) & (table["category"] == category)
                 & table[col].notna()]
    have = _pick(rows, base)
    r1 = have[have["period"].dt.year == y1]
    r2 = have[have["period"].dt.year == y2]
    if r1.empty or r2.empty:
        avail = sorted({(int(p.year), b, s) for p, b, s in
                        zip(rows["period"], rows["base"], rows["source_id"], strict=True)})
        raise DataValidationError(
            f"no published {measure} of {category!r} for {team} in "
            f"{y1 if r1.empty else y2}" + (f" on base {base!r}" if base else "")
            + f". Available (year, base, source): {avail}."
        )
    common = sorted(set(r1["base"]) & set(r2["base"]))
    caveats: list[str] = []
    if common:
        chosen_base = common[0]
        if len(common) > 1:
            caveats.append(f"figures exist on several common bases {common}; used "
                           f"{chosen_base!r}")
        a = r1[r1["base"] == chosen_base].iloc[0]
        b = r2[r2["base"] == chosen_base].iloc[0]
    else:
        a, b = r1.iloc[0], r2.iloc[0]
        if not allow_mixed_bases:
            raise DataValidationError(
                f"refusing to compare {category} {measure}s on different bases: {y1} is "
                f"given as {a['base']} ({', '.join(r1['source_id'])}), {y2} as {b['base']} "
                f"({', '.join(r2['source_id'])}). A share of victims, of calls and of "
                "registered forms are different numbers (one call can concern several "
                "victims). Pass allow_mixed_bases=True to compare anyway with the caveat "
                "stated, or choose years on one base."
            )
    mixes = a["base"] != b["base"]
    if mixes:
        caveats.insert(0,
            f"MIXES BASES: {y1} is a {measure} of {a['base']} ({a['source_id']}), {y2} a "
            f"{measure} of {b['base']} ({b['source_id']}); the change partly reflects the "
            "different denominators, not only a change in the problem"
        )
    if len(r1) > 1 or len(r2) > 1:
        others = [s for s in (*r1["source_id"], *r2["source_id"])
                  if s not in (a["source_id"], b["source_id"])]
        if others:
            caveats.append(f"other figures for these years not used: {', '.join(others)}")
    label_caveats = _label_change_caveats(category, y1, y2)
    if a["original_label"].replace("share_", "").replace("victims_", "") != \
            b["original_label"].replace("share_", "").replace("victims_", ""):
        label_caveats.append(
            f"the source labels differ: {a['original_label']!r} ({a['note'].split(';')[0]}) "
            f"vs {b['original_label']!r} ({b['note'].split(';')[0]})"
        )
    caveats.extend(label_caveats)
    for row in (a, b):
        caveats.extend(_row_caveats(row, table))
    alpha = 1 - level
    rr = rr_lo = rr_hi = np.nan
    if measure == "share":
        kind = "share_difference"
        change = float(b["share"] - a["share"])
        if pd.notna(a["base_total"]) and pd.notna(b["base_total"]):
            lo, hi = _newcombe(a["share"] * a["base_total"], a["base_total"],
                               b["share"] * b["base_total"], b["base_total"], alpha)
        else:
            lo = hi = np.nan
            caveats.append("the size of the base is not published for one of the years: no "
                           "interval")
        caveats.append(
            "shares are published rounded (e.g. whole percent, +-0.5 points); the interval "
            "covers sampling noise only"
        )
        if "victims" in (a["base"], b["base"]):
            caveats.append(
                "victims are clustered in calls (about 1.33-1.40 per call), so binomial "
                "intervals on a victims base are somewhat too narrow"
            )
        v1, v2 = float(a["share"]), float(b["share"])
    else:
        kind = "count_ratio"
        c1, c2 = float(a["count"]), float(b["count"])
        change = c2 / c1 if c1 > 0 else np.nan
        from statsmodels.stats.proportion import proportion_confint

        plo, phi = proportion_confint(c2, c1 + c2, alpha=alpha, method="beta")
        lo = float(plo / (1 - plo)) if plo < 1 else np.inf
        hi = float(phi / (1 - phi)) if phi < 1 else np.inf
        if not mixes and pd.notna(a["base_total"]) and pd.notna(b["base_total"]):
            scale = float(b["base_total"] / a["base_total"])
            rr, rr_lo, rr_hi = change / scale, lo / scale, hi / scale
            caveats.append(
                f"the total {a['base']} changed by a factor {scale:.2f} "
                f"({a['base_source_id']} -> {b['base_source_id']}); rate_ratio_per_base "
                "divides it out"
            )
        caveats.append(
            "counts are handled contacts (or the victims they concern), capped by capacity; "
            "growth in a category partly reflects growth of the helpline"
        )
        v1, v2 = c1, c2
    frame = pd.DataFrame([{
        "team": team, "category": category, "measure": measure, "year_first": y1,
        "year_second": y2, "base_first": a["base"], "base_second": b["base"],
        "value_first": v1, "value_second": v2, "source_id_first": a["source_id"],
        "source_id_second": b["source_id"], "change_kind": kind, "change": change,
        "change_lower": lo, "change_upper": hi, "rate_ratio_per_base": rr,
        "rate_ratio_per_base_lower": rr_lo, "rate_ratio_per_base_upper": rr_hi,
        "mixes_bases": bool(mixes), "spans_label_change": bool(label_caveats),
        "caveats": " | ".join(caveats), "data_kind": "published",
    }], columns=list(COMPARISON_COLUMNS))
    return PublishedComparison(frame, tuple(caveats), level)
