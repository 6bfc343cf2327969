"""Consistency of a real call-count table with the published record.

:func:`table_published_consistency` compares the annual totals of the analysed table,
per team and for the total, with the published annual figures of the same definition
(``data/published``: :func:`impact.io.published_annual_calls` for the total, the
full-year team rows of :func:`impact.io.load_published` for teams) and says for each
published figure whether it matches within rounding, differs beyond rounding, or is not
comparable (another definition, a partial year in the data). The reports list the
differences with their source ids.

Definitions are matched by words in the measure (:func:`measure_definition`): the
published record switches between calls received (offered), answered and unique callers
between years, so an answered-calls table is never compared with a unique-callers figure
as if they counted the same thing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impact._core.constants import FLANDERS
from impact.io.published import ANNUAL_CALL_QUANTITIES, published_annual_calls

__all__ = [
    "CONSISTENCY_COLUMNS",
    "EXACT_TOLERANCE",
    "APPROXIMATE_TOLERANCE",
    "measure_definition",
    "table_published_consistency",
]

#: Columns of the consistency table, in order.
CONSISTENCY_COLUMNS: tuple[str, ...] = (
    "team", "year", "data_calls", "published_calls", "difference", "relative_difference",
    "data_definition", "published_definition", "status", "source_id", "data_kind",
)

#: An exact published figure must equal the table's total (counts are whole numbers;
#: half a call absorbs float noise only).
EXACT_TOLERANCE: float = 0.5

#: A published figure marked approximate ("ongeveer 1.575") may differ by this fraction.
APPROXIMATE_TOLERANCE: float = 0.01

#: Words in a measure name -> published definition, checked in this order.
_DEFINITION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("unique_calls", ("unique", "uniek")),
    ("calls_answered", ("answered", "beantwoord", "handled", "behandeld")),
    ("calls_received", ("offered", "aangeboden", "received", "binnengekomen", "incoming",
                        "ontvangen")),
)


def measure_definition(measure: str | None) -> str:
    """The published definition (``calls_received``, ``calls_answered``, ``unique_calls``)
    a measure name stands for, or ``""`` when the name says none of them.

    Examples
    --------
    >>> measure_definition("beantwoord"), measure_definition("aangeboden oproepen")
    ('calls_answered', 'calls_received')
    """
    text = (measure or "").lower()
    for definition, words in _DEFINITION_WORDS:
        if any(w in text for w in words):
            return definition
    return ""


def _team_published(published: pd.DataFrame) -> pd.DataFrame:
    """Full-calendar-year published call totals of single teams (not the total)."""
    pub = published[(published["topic"] == "calls") & (published["team"] != FLANDERS)]
    start = pd.to_datetime(pub["period_start"])
    end = pd.to_datetime(pub["period_end"])
    full = (start.dt.month == 1) & (start.dt.day == 1) & (end.dt.month == 12) & (
        end.dt.day == 31) & (start.dt.year == pub["year"]) & (end.dt.year == pub["year"])
    base = pub["quantity"].str.removesuffix("_team")
    rows = pub[full & base.isin(list(ANNUAL_CALL_QUANTITIES))]
    return pd.DataFrame({
        "team": rows["team"], "year": rows["year"].astype(int),
        "calls": rows["value"].astype(float),
        "definition": base[rows.index].map(ANNUAL_CALL_QUANTITIES),
        "source_id": rows["id"], "is_approximate": rows["is_approximate"].astype(bool)
        | rows["unit"].str.contains("approx", case=False, na=False),
    })


def table_published_consistency(
    calls: pd.DataFrame,
    published: pd.DataFrame,
    *,
    measure: str | None,
    total: str = FLANDERS,
) -> pd.DataFrame:
    """Compare the table's annual totals with the published figures, team and total.

    Parameters
    ----------
    calls : pandas.DataFrame
        The analysed long table (``team``, ``month``, ``calls``); its total is the sum
        over its teams.
    published : pandas.DataFrame
        :func:`impact.io.load_published`.
    measure : str or None
        What one count of ``calls`` stands for; matched to a published definition by
        :func:`measure_definition`.
    total : str, default "Flanders"
        Name of the total; compared with the published Flanders figures only when it is
        ``"Flanders"`` (another helpline has no published 1712 record).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONSISTENCY_COLUMNS`, one row per published full-year figure of a
        team (or the total) and a year the table covers. ``status`` is ``consistent``
        (within :data:`EXACT_TOLERANCE`, or :data:`APPROXIMATE_TOLERANCE` for approximate
        figures), ``differs beyond rounding``, ``different definition (not compared)`` or
        ``partial year in the data (not compared)``.
    """
    data_def = measure_definition(measure)
    kind = str(calls.attrs.get("kind", "unspecified"))
    frame = calls.assign(year=calls["month"].dt.year)
    per_team = frame.groupby(["team", "year"]).agg(calls=("calls", "sum"),
                                                   months=("month", "nunique"))
    n_teams = frame["team"].nunique()
    tot = frame.groupby("year").agg(calls=("calls", "sum"), months=("month", "nunique"),
                                    teams=("team", "nunique"))
    sums = {(t, int(y)): (float(r.calls), r.months == 12) for (t, y), r in per_team.iterrows()}
    for y, r in tot.iterrows():
        sums[(total, int(y))] = (float(r.calls), r.months == 12 and r.teams == n_teams)
    pub_rows = _team_published(published)
    if total == FLANDERS:
        annual = published_annual_calls(published).dropna(subset=["calls"])
        pub_rows = pd.concat([pub_rows, pd.DataFrame({
            "team": FLANDERS, "year": annual["year"].astype(int),
            "calls": annual["calls"].astype(float), "definition": annual["definition"],
            "source_id": annual["source_id"],
            "is_approximate": annual["is_approximate"].astype(bool)})], ignore_index=True)
    records = []
    for r in pub_rows.itertuples(index=False):
        if (r.team, r.year) not in sums:
            continue
        value, complete = sums[(r.team, r.year)]
        diff = value - r.calls
        if not complete:
            status = "partial year in the data (not compared)"
        elif not data_def or data_def != r.definition:
            status = "different definition (not compared)"
        else:
            tol = APPROXIMATE_TOLERANCE * r.calls if r.is_approximate else EXACT_TOLERANCE
            status = "consistent" if abs(diff) <= tol else "differs beyond rounding"
        records.append({
            "team": r.team, "year": r.year, "data_calls": value,
            "published_calls": r.calls, "difference": diff,
            "relative_difference": diff / r.calls if r.calls else np.nan,
            "data_definition": data_def or str(measure or ""),
            "published_definition": r.definition, "status": status,
            "source_id": r.source_id, "data_kind": kind,
        })
    out = pd.DataFrame(records, columns=list(CONSISTENCY_COLUMNS))
    return out.sort_values(["year", "team"], kind="stable").reset_index(drop=True)
