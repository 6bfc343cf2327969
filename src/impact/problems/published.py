"""Published 1712 figures on reported problems (Q2, Q3): series over the years and comparisons.

:func:`published_problem_series` collects the published counts and shares of one (or
every) problem category over the years; :func:`compare_published` compares one figure
between two years. Both state in a ``caveats`` field (and in the summary text) where a
comparison mixes bases (share of victims, of calls, of registered violence forms) or
years with different label sets (:data:`impact.io.taxonomy.LABEL_CHANGES`).

Intervals are sampling intervals only: exact Poisson (Garwood) for counts and Wilson for
shares in a series; a Newcombe hybrid-score interval for a difference of shares and an
exact conditional-binomial interval for a ratio of counts in a comparison. They ignore
the rounding of published percentages. :mod:`impact.problems` offers every name here.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from impact._core.constants import DEFAULT_LEVEL, FLANDERS
from impact._core.exceptions import DataValidationError
from impact._core.provenance import data_kind_label
from impact._core.summary import Summary
from impact._core.validation import check_choice, validate_level
from impact.io.published import published_category_table
from impact.io.taxonomy import BASES, LABEL_CHANGES, get_category
from impact.plots import problems as problem_plots
from impact.problems._base import (
    _FrameResult,
    _newcombe,
)

__all__ = [
    "COMPARISON_COLUMNS",
    "SERIES_COLUMNS",
    "PublishedComparison",
    "PublishedProblemSeries",
    "compare_published",
    "published_problem_series",
]

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


def _poisson_interval(count: float, alpha: float) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson mean."""
    lo = stats.chi2.ppf(alpha / 2, 2 * count) / 2 if count > 0 else 0.0
    hi = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return float(lo), float(hi)


def _wilson(share: float, n: float, alpha: float) -> tuple[float, float]:
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

    def summary(self) -> Summary:
        """Return the series and a text with level, interval kinds, data kind and caveats."""
        text = (
            f"Published 1712 figures for problem categories ({data_kind_label('published')}). "
            f"{self.level:.0%} intervals: exact Poisson for counts, Wilson for shares "
            "(sampling noise only). Caveats: " + " | ".join(self.caveats)
        )
        cols = ["team", "year", "category", "measure", "value", "value_lower", "value_upper",
                "base", "source_id"]
        return Summary(self.frame[cols].copy(), text)

    def plot(self, *, ax: Any = None, measure: Literal["count", "share"] = "share") -> Any:
        """Plot values by year, one marker per base, one line per category and base.

        Returns
        -------
        matplotlib.axes.Axes
            Drawn by :func:`impact.plots.problems.plot_published_series`.
        """
        return problem_plots.plot_published_series(
            self, ax=ax, measure=measure, base_order=tuple(BASES)
        )


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
        Output of :func:`impact.io.published.load_published`.

    Returns
    -------
    PublishedProblemSeries
        With ``caveats`` naming the bases present (which must not be joined into one
        line), the documented label changes within the years covered and the rounding
        of published percentages.
    """
    level = validate_level(level)
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

    def summary(self) -> Summary:
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
        label = data_kind_label("published").capitalize()
        text = f"{head} {label}. Caveats: " + " | ".join(self.caveats)
        return Summary(self.frame.copy(), text)

    def plot(self, *, ax: Any = None) -> Any:
        """Plot the two published values ("BASES DIFFER" when their bases differ).

        Returns
        -------
        matplotlib.axes.Axes
            Drawn by :func:`impact.plots.problems.plot_published_comparison`.
        """
        return problem_plots.plot_published_comparison(self, ax=ax)


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
    level = validate_level(level)
    get_category(category)
    check_choice(measure, "measure", ("count", "share"))
    if base is not None:
        check_choice(base, "base", tuple(BASES))
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
