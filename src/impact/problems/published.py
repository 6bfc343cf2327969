"""Published 1712 figures on reported problems (Q2, Q3): series over the years and comparisons.

:func:`published_problem_series` collects the published counts and shares of one (or
every) problem category over the years; :func:`compare_published` compares one figure
between two years. Both state in a ``caveats`` field (and in the summary text) where a
comparison mixes bases (share of victims, of calls, of registered violence forms) or
years with different label sets (:data:`impact.io.taxonomy.LABEL_CHANGES`).

Published figures are complete counts from the helpline's registration (a census of the
contacts it handled), not samples: they get **no sampling intervals**. What is uncertain
about them is their rounding, so ``value_lower``/``value_upper`` (and ``change_lower``/
``change_upper``) are *rounding ranges*: a share published as a whole percent lies within
+-0.5 point of it (+-0.05 for one decimal), an exact count is its own range, an approximate
count or a lower bound has no upper end (NaN). Comparisons that may span the new
registration categories the minister mentioned (published statement ``claim =
registration_categories_added``, :func:`impact.io.published.load_published_statements`) are
flagged (``spans_registration_change``). :mod:`impact.problems` offers every name here.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_LEVEL, FLANDERS
from impact._core.exceptions import DataValidationError, ImpactError
from impact._core.provenance import data_kind_label
from impact._core.summary import Summary
from impact._core.validation import check_choice, validate_level
from impact.io.published import load_published_statements, published_category_table
from impact.io.taxonomy import BASES, LABEL_CHANGES, get_category
from impact.plots import problems as problem_plots
from impact.problems._base import _FrameResult

__all__ = [
    "COMPARISON_COLUMNS",
    "SERIES_COLUMNS",
    "PublishedComparison",
    "RANGE_KINDS",
    "PublishedProblemSeries",
    "compare_published",
    "published_problem_series",
    "registration_changes",
]

#: Columns of :meth:`PublishedProblemSeries.to_frame`.
SERIES_COLUMNS: tuple[str, ...] = (
    "team", "year", "category", "measure", "value", "value_lower", "value_upper",
    "range_kind", "base", "base_total", "unit", "original_label", "source_id", "is_approximate",
    "is_lower_bound", "caveat", "data_kind",
)  # fmt: skip
#: Columns of :meth:`PublishedComparison.to_frame` (one row).
COMPARISON_COLUMNS: tuple[str, ...] = (
    "team", "category", "measure", "year_first", "year_second", "base_first", "base_second",
    "value_first", "value_second", "source_id_first", "source_id_second", "change_kind",
    "change", "change_lower", "change_upper", "rate_ratio_per_base",
    "rate_ratio_per_base_lower", "rate_ratio_per_base_upper", "mixes_bases",
    "spans_label_change", "spans_registration_change", "caveats", "data_kind",
)  # fmt: skip


#: Range kinds of :data:`SERIES_COLUMNS` ``range_kind``.
RANGE_KINDS: tuple[str, ...] = ("rounding", "exact", "lower_bound", "unknown")


def _rounding_half_width(share: float) -> float:
    """Half the last published digit of a share (proportion): 0.005 for whole percent."""
    pct = share * 100
    for digits in (0, 1, 2):
        if abs(pct * 10**digits - round(pct * 10**digits)) < 1e-6:
            return 0.5 * 10.0 ** (-digits) / 100
    return 0.0


def _value_range(row: pd.Series) -> tuple[float, float, float, str]:
    """``(value, lower, upper, range_kind)`` of one published category row."""
    if pd.notna(row["count"]):
        value = float(row["count"])
        if row["is_lower_bound"]:
            return value, value, np.nan, "lower_bound"
        if row["is_approximate"]:
            return value, np.nan, np.nan, "unknown"
        return value, value, value, "exact"
    value = float(row["share"])
    if row["is_lower_bound"]:
        return value, value, np.nan, "lower_bound"
    if row["is_approximate"] and "'" not in str(row["unit"]):
        return value, np.nan, np.nan, "unknown"
    half = _rounding_half_width(value)
    return value, max(value - half, 0.0), min(value + half, 1.0), "rounding"


def registration_changes(published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Published statements that the registration categories changed (may be empty).

    Read from ``statements.csv`` next to the published figures file
    (``published.attrs["source"]``), else from ``data/published/statements.csv``; rows
    with ``claim == "registration_categories_added"``. Columns as
    :func:`impact.io.published.load_published_statements`.
    """
    candidates = []
    source = (published.attrs.get("source") if published is not None else None)
    if source:
        candidates.append(Path(str(source)).parent / "statements.csv")
    candidates.append(None)
    for path in candidates:
        if path is not None and not path.is_file():
            continue
        try:
            statements = load_published_statements(path)
        except ImpactError:
            continue
        return statements[statements["claim"] == "registration_categories_added"]
    return pd.DataFrame()


def _registration_caveats(changes: pd.DataFrame, y1: int, y2: int) -> list[str]:
    """Caveats for a comparison from ``y1`` to ``y2`` that may span a registration change."""
    out = []
    for r in changes.itertuples():
        last = r.year_to if pd.notna(r.year_to) else None
        first = r.year_from if pd.notna(r.year_from) else None
        if last is None or min(y1, y2) >= last or (first is not None and max(y1, y2) < first):
            continue
        when = (f"between {first} and {last}" if first is not None
                else f"at a time not stated, by {last}")
        out.append(
            f"may span new registration categories ({r.id}: categories were added or "
            f"adjusted {when}); a change in a share or count can reflect the new "
            "categories, not only a change in the problem"
        )
    return out


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

    Published figures are complete counts (a census of handled contacts), so there is no
    sampling interval: ``value_lower``/``value_upper`` are the rounding range of the
    published number and ``range_kind`` says which (:data:`RANGE_KINDS`: ``rounding``
    +-0.5 point for a whole percent, ``exact`` for a count, ``lower_bound``, ``unknown``
    for an approximate figure). Definition, base and registration changes are in
    ``caveats``.

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
            "Complete counts, not samples: no sampling intervals; ranges are the rounding "
            "of the published numbers. Caveats: " + " | ".join(self.caveats)
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


def _series_frame(table: pd.DataFrame) -> pd.DataFrame:
    recs = []
    for _, row in table.iterrows():
        is_count = pd.notna(row["count"])
        value, lo, hi, range_kind = _value_range(row)
        recs.append({
            "team": row["team"], "year": int(row["period"].year), "category": row["category"],
            "measure": "count" if is_count else "share", "value": value, "value_lower": lo,
            "value_upper": hi, "range_kind": range_kind, "base": row["base"],
            "base_total": row["base_total"],
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
        Kept on the result for the reports; published census counts get no sampling
        interval, so it does not change any range.
    published : pandas.DataFrame, optional
        Output of :func:`impact.io.published.load_published`.

    Returns
    -------
    PublishedProblemSeries
        With ``caveats`` naming the bases present (which must not be joined into one
        line), the documented label changes and the stated registration changes within
        the years covered, and the rounding of published percentages.
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
    frame = _series_frame(sub)
    changes = registration_changes(published)
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
        if years[0] != years[-1]:
            caveats.extend(f"{cat}: {c}" for c in
                           _registration_caveats(changes, years[0], years[-1]))
    caveats.append(
        "published figures are complete counts from the helpline's registration, not "
        "samples: no sampling interval applies; value_lower/value_upper are the rounding "
        "range (whole percent: +-0.5 point)"
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
    first as a proportion; or ``count_ratio``: second / first); ``change``,
    ``change_lower``, ``change_upper``; for counts with a known total on the same base
    also ``rate_ratio_per_base`` (the count ratio divided by the ratio of totals) with
    its range; ``mixes_bases``, ``spans_label_change``, ``spans_registration_change``,
    ``caveats`` (joined with " | "), ``data_kind``.

    The figures are complete counts, not samples, so the ranges are not sampling
    intervals: a share difference ranges over the rounding of both shares (two whole
    percents: +-1 point), a ratio of exact counts is exact (lower = upper), and a ratio
    involving an approximate count has no range (NaN).

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
                f"difference {100 * r['change']:+.1f} points (rounding range "
                f"{100 * r['change_lower']:+.1f} to {100 * r['change_upper']:+.1f}; "
                "complete counts, no sampling interval)."
            )
        else:
            head = (
                f"{r['category']} ({r['team']}): {r['value_first']:,.0f} {r['base_first']} "
                f"in {r['year_first']} ({r['source_id_first']}) vs {r['value_second']:,.0f} "
                f"{r['base_second']} in {r['year_second']} ({r['source_id_second']}): ratio "
                f"{r['change']:.2f} (complete counts, no sampling interval)."
            )
            if pd.notna(r["rate_ratio_per_base"]):
                head += (
                    f" Relative to the total {r['base_first']}: ratio "
                    f"{r['rate_ratio_per_base']:.2f}."
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
        Kept on the result; published census counts get no sampling interval.
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
    registration = _registration_caveats(registration_changes(published), y1, y2)
    caveats.extend(registration)
    for row in (a, b):
        caveats.extend(_row_caveats(row, table))
    rr = rr_lo = rr_hi = np.nan
    _, lo1, hi1, kind1 = _value_range(a)
    _, lo2, hi2, kind2 = _value_range(b)
    if measure == "share":
        kind = "share_difference"
        change = float(b["share"] - a["share"])
        lo, hi = lo2 - hi1, hi2 - lo1
        caveats.append(
            "complete counts, not samples: no sampling interval; change_lower/change_upper "
            "are the rounding range of the two published shares (whole percent: +-0.5 "
            "point each)"
        )
        v1, v2 = float(a["share"]), float(b["share"])
    else:
        kind = "count_ratio"
        c1, c2 = float(a["count"]), float(b["count"])
        change = c2 / c1 if c1 > 0 else np.nan
        lo = lo2 / hi1 if hi1 > 0 else np.nan
        hi = hi2 / lo1 if lo1 > 0 else np.nan
        if not (kind1 == kind2 == "exact"):
            caveats.append("one of the counts is approximate or a lower bound: no range")
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
        "spans_registration_change": bool(registration),
        "caveats": " | ".join(caveats), "data_kind": "published",
    }], columns=list(COMPARISON_COLUMNS))
    return PublishedComparison(frame, tuple(caveats), level)
