"""Shares of reported problems (Q2, Q3): shares per team-period, mix changes, event shifts.

Every function here takes a *category table* (the contract of
:func:`impact.io.categories.validate_category_table`: team x period x category -> count, with
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

Published figures are analysed by
:func:`~impact.problems.published.published_problem_series` and
:func:`~impact.problems.published.compare_published`, which state in a ``caveats`` field
(and in the summary text) where a comparison mixes bases or years with different label
sets. Small counts are blanked for publication by
:func:`~impact.problems.tables.suppress_small_cells`.

This module computes shares, mix changes and event shifts. Trends live in
:mod:`impact.problems.trends`, published figures in :mod:`impact.problems.published`, and
the table helpers (:func:`~impact.problems.tables.aggregate_to_flanders`,
:func:`~impact.problems.tables.suppress_small_cells`,
:func:`~impact.problems.tables.synthesize_categories`) in :mod:`impact.problems.tables`;
:mod:`impact.problems` offers every name.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    multinomial_proportions_confint,
    proportion_confint,
)

from impact._core.constants import DEFAULT_LEVEL
from impact._core.exceptions import DataValidationError
from impact._core.provenance import data_kind_label
from impact._core.summary import Summary
from impact._core.validation import check_choice, check_int, validate_level
from impact.plots import problems as problem_plots
from impact.problems._base import (
    _count_table,
    _FrameResult,
    _group_totals,
    _newcombe,
    _refuse_overlap,
    _warn,
)

__all__ = [
    "MIX_COLUMNS",
    "SHARES_COLUMNS",
    "SHIFT_COLUMNS",
    "CategoryShares",
    "MixChange",
    "ShareShift",
    "category_shares",
    "compare_category_mix",
    "estimate_share_shift",
]

#: Columns of :meth:`CategoryShares.to_frame`.
SHARES_COLUMNS: tuple[str, ...] = (
    "team", "period", "category", "count", "total", "share", "share_lower", "share_upper",
    "base", "data_kind",
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

_REMAINDER = "_remainder"
_SHARE_INTERVALS = ("goodman", "sison-glaz", "wilson", "clopper-pearson")


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

    def summary(self) -> Summary:
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
            f"{kind}; method: statsmodels.stats.proportion; {data_kind_label(self.data_kind)}."
        )
        if self.warnings:
            text += " Warnings: " + " ".join(self.warnings)
        return Summary(self.frame.copy(), text)

    def plot(self, *, ax: Any = None, team: str | None = None) -> Any:
        """Plot shares over periods for one team (default: the first), with their bands.

        Returns
        -------
        matplotlib.axes.Axes
            Drawn by :func:`impact.plots.problems.plot_category_shares`.
        """
        return problem_plots.plot_category_shares(self, ax=ax, team=team)


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
    level = validate_level(level)
    check_choice(interval, "interval", _SHARE_INTERVALS)
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



def _score_ratio(c1: float, n1: float, c2: float, n2: float, alpha: float) -> tuple[float, float]:
    """Score interval for p2 / p1 (NaN when undefined)."""
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

    def summary(self) -> Summary:
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
            f"intervals (per category); {data_kind_label(self.data_kind)}."
        )
        if self.warnings:
            text += " Warnings: " + " ".join(self.warnings)
        return Summary(self.frame.copy(), text)

    def plot(self, *, ax: Any = None, team: str | None = None) -> Any:
        """Plot the share difference per category (second - first) for one team.

        Returns
        -------
        matplotlib.axes.Axes
            Drawn by :func:`impact.plots.problems.plot_mix_change`.
        """
        return problem_plots.plot_mix_change(self, ax=ax, team=team)


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
    level = validate_level(level)
    check_choice(test, "test", ("lr", "pearson"))
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

    def summary(self) -> Summary:
        """Return the shift table and a sentence on windows, level, intervals, data kind."""
        text = (
            f"Share of {self.base} per category during {self.window[0]}-{self.window[-1]} "
            f"against the baseline {self.baseline[0]}-{self.baseline[-1]} (inclusive); "
            f"{self.level:.0%} Newcombe hybrid-score confidence intervals for the "
            "difference and score intervals for the ratio, with counts deflated by the "
            "baseline month-to-month overdispersion (per category, not simultaneous); "
            f"{data_kind_label(self.data_kind)}."
        )
        if self.warnings:
            text += " Warnings: " + " ".join(self.warnings)
        return Summary(self.frame.copy(), text)

    def plot(self, *, ax: Any = None, team: str | None = None) -> Any:
        """Plot the share difference per category for one team.

        Returns
        -------
        matplotlib.axes.Axes
            Drawn by :func:`impact.plots.problems.plot_share_shift`.
        """
        return problem_plots.plot_share_shift(self, ax=ax, team=team)


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
    level = validate_level(level)
    t, base, kind = _count_table(table, name="category table")
    if str(t["period"].dtype) != "period[M]":
        raise DataValidationError(
            "estimate_share_shift needs monthly periods (Period[M]); the table has "
            f"{t['period'].dtype}. Yearly data cannot locate an event window."
        )
    win = _period_set(window, t["period"], name="window")
    if baseline is None:
        check_int(baseline_months, "baseline_months", minimum=1)
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
