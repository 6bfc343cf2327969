"""Contradictions and definition changes found in the published facts, row by row.

:func:`find_published_findings` reads the published figures (``published_figures.csv``,
:func:`impact.io.published.load_published`) and, optionally, the published statements
(``statements.csv``, :func:`impact.io.published.load_published_statements`) and lists what a
careful reader must know before citing them, as one row per finding with the ids of the
rows involved. Nothing is typed in: every finding follows from the rows by a general rule,
so the same code finds the same kinds of problem in any facts table of that shape.

Rules (the ``kind`` column, :data:`FINDING_KINDS`):

``conflicting_values``
    one team, year and definition, full calendar-year window, two different values.
``same_value_two_definitions``
    one team and year, the same value worded as two definitions (answered vs received).
``definition_change``
    two consecutive published years of an annual series with no definition in common
    (2022 unique calls, 2023 answered calls): their change mixes definitions.
``claim_contradicted`` / ``claim_consistent`` / ``claim_gap`` / ``claim_unverifiable``
    a statement claims a series rises (every year) or falls over its years; the series
    falls (rises) between two published years, agrees, has missing years, or has no
    figure for the claimed year.
``growth_check``
    a published growth rate (``growth_vs_<year>``, ``growth_vs_previous_year``) against
    the published totals of both years; ``status`` is ``matches``, ``differs``,
    ``mixes_definitions`` or ``base_missing``.
``same_figure_different_windows``
    the same relative change from two or more sources that describe its window
    differently (a three-week window against "compared with last year").

An annual series is the rows of one topic (``calls`` or ``victims``) and team whose window
is one full calendar year and whose quantity is a total (:func:`definition_of`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "FINDING_COLUMNS",
    "FINDING_KINDS",
    "annual_series",
    "definition_of",
    "find_published_findings",
    "window_of",
]

#: Kinds of finding, in the order the report lists them.
FINDING_KINDS: tuple[str, ...] = (
    "claim_contradicted", "definition_change", "same_figure_different_windows",
    "growth_check", "same_value_two_definitions", "conflicting_values", "claim_gap",
    "claim_unverifiable", "claim_consistent",
)  # fmt: skip

#: Columns of :func:`find_published_findings`.
FINDING_COLUMNS: tuple[str, ...] = (
    "kind", "team", "topic", "year_first", "year_second", "value_first", "value_second",
    "id_first", "id_second", "definition_first", "definition_second", "change", "status",
    "statement_id", "ids",
)  # fmt: skip

_DEFINITIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("unique_calls", re.compile(r"^unique_calls(_received)?(_team)?$")),
    ("calls_answered", re.compile(r"^calls_answered(_team)?$")),
    ("calls_received", re.compile(r"^calls_(received|at_start)(_team)?$")),
    ("possible_victims", re.compile(r"^(possible_victims(_reached)?|persons_concerned)$")),
    ("persons_helped", re.compile(r"^persons_helped$")),
)
_GROWTH = re.compile(r"^growth_vs_(?P<base>\d{4}|previous_year)$")
_WINDOW = re.compile(r"_(?P<n>\d+)_(?P<unit>days|weeks|months)$")
_RISE = ("increases", "increases_every_year")


def definition_of(quantity: str) -> str | None:
    """The definition a total's ``quantity`` records, or None when it is not a total.

    ``calls_received``, ``calls_answered``, ``unique_calls`` (topic ``calls``, also for a
    team: ``calls_received_team``), ``possible_victims`` or ``persons_helped``.
    """
    for name, pattern in _DEFINITIONS:
        if pattern.match(str(quantity)):
            return name
    return None


def window_of(row: Any) -> tuple[str, Any, Any]:
    """How a published row describes its window: ``("dates", start, end)`` when the
    source gives the days, ``("length", n, unit)`` when only its length is in the
    quantity name (``..._3_weeks``), else ``("none", None, None)``."""
    start, end = row["period_start"], row["period_end"]
    if pd.notna(start) and pd.notna(end):
        return "dates", start, end
    m = _WINDOW.search(str(row["quantity"]))
    if m:
        return "length", int(m.group("n")), m.group("unit")
    return "none", None, None


def _is_full_year(frame: pd.DataFrame) -> pd.Series:
    start, end = frame["period_start"], frame["period_end"]
    return (start.dt.strftime("%m-%d").eq("01-01") & end.dt.strftime("%m-%d").eq("12-31")
            & start.dt.year.eq(frame["year"]) & end.dt.year.eq(frame["year"]))


def annual_series(published: pd.DataFrame, *, topic: str, team: str,
                  quantity: str | None = None) -> pd.DataFrame:
    """The full-year rows of one series, one or more per year, in file order.

    Parameters
    ----------
    published : pandas.DataFrame
        :func:`impact.io.published.load_published` output (or a frame of its shape).
    topic, team : str
    quantity : str, optional
        Only rows of this quantity (any definition); by default the rows whose quantity
        is a total (:func:`definition_of`).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``id``, ``value``, ``quantity``, ``definition``, ``is_approximate``,
        ``is_lower_bound``; sorted by year, file order within a year.
    """
    rows = published[(published["topic"] == topic) & (published["team"] == team)
                     & _is_full_year(published)]
    if quantity is not None:
        rows = rows[rows["quantity"] == quantity].assign(definition=quantity)
    else:
        rows = rows.assign(definition=rows["quantity"].map(definition_of))
        rows = rows[rows["definition"].notna()]
    cols = ["year", "id", "value", "quantity", "definition", "is_approximate",
            "is_lower_bound"]
    out = rows.reindex(columns=cols)
    return out.sort_values("year", kind="stable").reset_index(drop=True)


def _finding(kind: str, **kw: Any) -> dict[str, Any]:
    rec: dict[str, Any] = dict.fromkeys(FINDING_COLUMNS, np.nan)
    rec.update(kind=kind, status="", statement_id="", id_first="", id_second="",
               definition_first="", definition_second="", ids=())
    rec.update(kw)
    return rec


def _by_year(series: pd.DataFrame) -> dict[int, pd.DataFrame]:
    return {int(y): g for y, g in series.groupby("year", sort=True)}


def _series_findings(series: pd.DataFrame, *, topic: str, team: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    years = _by_year(series)
    for year, grp in years.items():
        for i in range(len(grp)):
            for j in range(i + 1, len(grp)):
                a, b = grp.iloc[i], grp.iloc[j]
                same_def = a["definition"] == b["definition"]
                if same_def and a["value"] != b["value"]:
                    kind = "conflicting_values"
                elif not same_def and a["value"] == b["value"]:
                    kind = "same_value_two_definitions"
                else:
                    continue
                out.append(_finding(
                    kind, team=team, topic=topic, year_first=year, year_second=year,
                    value_first=a["value"], value_second=b["value"], id_first=a["id"],
                    id_second=b["id"], definition_first=a["definition"],
                    definition_second=b["definition"], ids=(a["id"], b["id"])))
    ordered = sorted(years)
    for y1, y2 in zip(ordered, ordered[1:], strict=False):
        g1, g2 = years[y1], years[y2]
        if set(g1["definition"]) & set(g2["definition"]):
            continue
        a, b = g1.iloc[0], g2.iloc[0]
        out.append(_finding(
            "definition_change", team=team, topic=topic, year_first=y1, year_second=y2,
            value_first=a["value"], value_second=b["value"], id_first=a["id"],
            id_second=b["id"], definition_first=a["definition"],
            definition_second=b["definition"], change=b["value"] / a["value"] - 1,
            ids=(a["id"], b["id"])))
    return out


def _claim_findings(statement: Any, series: pd.DataFrame) -> list[dict[str, Any]]:
    sid, claim = statement["id"], statement["claim"]
    team, topic = statement["team"], statement["topic"]
    lo = statement["year_from"] if pd.notna(statement["year_from"]) else -np.inf
    hi = statement["year_to"] if pd.notna(statement["year_to"]) else np.inf
    first_rows = series.drop_duplicates("year")
    first_rows = first_rows[(first_rows["year"] >= lo) & (first_rows["year"] <= hi)]
    out: list[dict[str, Any]] = []
    common = {"team": team, "topic": topic, "statement_id": sid}
    if claim == "slight_decrease":
        have = first_rows.set_index("year")
        y1, y2 = int(statement["year_from"]), int(statement["year_to"])
        if y2 not in have.index or y1 not in have.index:
            a = have.loc[y1] if y1 in have.index else None
            out.append(_finding(
                "claim_unverifiable", **common, year_first=y1, year_second=y2,
                value_first=a["value"] if a is not None else np.nan,
                id_first=a["id"] if a is not None else "",
                ids=(a["id"],) if a is not None else ()))
            return out
        a, b = have.loc[y1], have.loc[y2]
        kind = "claim_consistent" if b["value"] < a["value"] else "claim_contradicted"
        return [_finding(kind, **common, year_first=y1, year_second=y2,
                         value_first=a["value"], value_second=b["value"], id_first=a["id"],
                         id_second=b["id"], change=b["value"] / a["value"] - 1,
                         ids=(a["id"], b["id"]))]
    rows = list(first_rows.itertuples(index=False))
    for a, b in zip(rows, rows[1:], strict=False):
        if b.value < a.value:
            out.append(_finding(
                "claim_contradicted", **common, year_first=a.year, year_second=b.year,
                value_first=a.value, value_second=b.value, id_first=a.id, id_second=b.id,
                definition_first=a.definition, definition_second=b.definition,
                change=b.value / a.value - 1, ids=(a.id, b.id)))
        elif claim == "increases_every_year" and b.year - a.year > 1:
            out.append(_finding(
                "claim_gap", **common, year_first=a.year, year_second=b.year,
                value_first=a.value, value_second=b.value, id_first=a.id, id_second=b.id,
                ids=(a.id, b.id)))
    if rows and not any(f["kind"] == "claim_contradicted" for f in out):
        a, b = rows[0], rows[-1]
        out.append(_finding(
            "claim_consistent", **common, year_first=a.year, year_second=b.year,
            value_first=a.value, value_second=b.value, id_first=a.id, id_second=b.id,
            change=b.value / a.value - 1, ids=tuple(r.id for r in rows)))
    return out


def _rounding(value: float) -> float:
    """Half of the last digit of a published number (3.4 -> 0.05, 57 -> 0.5)."""
    text = f"{value:.6g}"
    return 0.5 * 10.0 ** -(len(text.split(".")[1]) if "." in text else 0)


def _growth_findings(published: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for _, r in published.iterrows():
        m = _GROWTH.match(str(r["quantity"]))
        if not m:
            continue
        base = m.group("base")
        y2 = int(r["year"])
        y1 = y2 - 1 if base == "previous_year" else int(base)
        series = _by_year(annual_series(published, topic=r["topic"], team=r["team"]))
        common = {"team": r["team"], "topic": r["topic"], "year_first": y1,
                  "year_second": y2, "change": r["value"] / 100, "statement_id": r["id"]}
        if y1 not in series or y2 not in series:
            have = series.get(y2)
            out.append(_finding(
                "growth_check", **common, status="base_missing",
                value_second=have.iloc[0]["value"] if have is not None else np.nan,
                id_second=have.iloc[0]["id"] if have is not None else "",
                ids=(r["id"],) + ((have.iloc[0]["id"],) if have is not None else ())))
            continue
        a, b = series[y1].iloc[0], series[y2].iloc[0]
        implied = b["value"] / a["value"] - 1
        if not set(series[y1]["definition"]) & set(series[y2]["definition"]):
            status = "mixes_definitions"
        elif abs(implied * 100 - r["value"]) <= _rounding(r["value"]) + 1e-9:
            status = "matches"
        else:
            status = "differs"
        out.append(_finding(
            "growth_check", **common, status=status, value_first=a["value"],
            value_second=b["value"], id_first=a["id"], id_second=b["id"],
            definition_first=a["definition"], definition_second=b["definition"],
            ids=(r["id"], a["id"], b["id"])))
    return out


def _window_findings(published: pd.DataFrame) -> list[dict[str, Any]]:
    rel = published[published["quantity"].astype(str).str.startswith("relative_change")]
    out: list[dict[str, Any]] = []
    for (topic, team, year, value), grp in rel.groupby(
            ["topic", "team", "year", "value"], sort=True):
        if grp["source_url"].nunique() < 2:
            continue
        windows = {window_of(r)[:2] for _, r in grp.iterrows()}
        if len(windows) < 2:
            continue
        ids = tuple(grp["id"])
        out.append(_finding(
            "same_figure_different_windows", team=team, topic=topic, year_first=int(year),
            year_second=int(year), value_first=value, value_second=value,
            id_first=ids[0], id_second=ids[1], change=value / 100, ids=ids))
    return out


def find_published_findings(
    published: pd.DataFrame,
    statements: pd.DataFrame | None = None,
    *,
    teams: Iterable[str] | None = None,
) -> pd.DataFrame:
    """List the contradictions and definition changes in published facts.

    Parameters
    ----------
    published : pandas.DataFrame
        Published figures (:func:`impact.io.published.load_published`, or any frame with
        its columns ``id, topic, year, period_start, period_end, team, quantity, value,
        source_url, is_approximate, is_lower_bound``).
    statements : pandas.DataFrame, optional
        Published statements (:func:`impact.io.published.load_published_statements`);
        claims ``increases``, ``increases_every_year`` and ``slight_decrease`` are checked
        against the series they name (``topic``, ``team``, and ``quantity`` when set).
    teams : iterable of str, optional
        Teams whose annual series are checked; default every team in ``published``.

    Returns
    -------
    pandas.DataFrame
        One row per finding, columns :data:`FINDING_COLUMNS`, sorted by
        :data:`FINDING_KINDS` order, then topic, team and years. ``ids`` is the tuple of
        row ids (``F...``) involved; ``statement_id`` the statement (``S...``) or the
        growth row checked; ``change`` a relative change (proportion) where one applies.
    """
    recs: list[dict[str, Any]] = []
    team_list = list(dict.fromkeys(teams if teams is not None else published["team"]))
    for topic in ("calls", "victims"):
        for team in team_list:
            series = annual_series(published, topic=topic, team=team)
            recs += _series_findings(series, topic=topic, team=team)
    recs += _growth_findings(published)
    recs += _window_findings(published)
    if statements is not None:
        for _, st in statements.iterrows():
            if st["claim"] not in (*_RISE, "slight_decrease"):
                continue
            quantity = st["quantity"] or None
            series = annual_series(published, topic=st["topic"], team=st["team"],
                                   quantity=quantity)
            recs += _claim_findings(st, series)
    frame = pd.DataFrame.from_records(recs, columns=list(FINDING_COLUMNS))
    if frame.empty:
        return frame
    order = {k: i for i, k in enumerate(FINDING_KINDS)}
    frame["_o"] = frame["kind"].map(order)
    frame = frame.sort_values(["_o", "topic", "team", "year_first", "year_second"],
                              kind="stable").drop(columns="_o").reset_index(drop=True)
    return frame
