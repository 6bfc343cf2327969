"""Published facts about helpline 1712: loading, validating and tidying them.

Every number in ``data/published/published_figures.csv`` is one figure as a public source
stated it, with its source URL and date. This module reads that file into a typed frame
(:func:`load_published`), picks the Flanders annual call totals out of it
(:func:`published_annual_calls`) and turns the problem-category figures into a category
table (:func:`published_category_table`, the contract of :mod:`impact.io.taxonomy`). Nothing
here is estimated or invented: every output row keeps the id of the row it came from, and
outputs carry the data kind ``published``. :func:`load_published_statements` reads the
statements next to it (``statements.csv``: what a source said in words, such as the
minister's answer to written question 265 of 2024), each with its own id (``S001``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from impact._core.constants import FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError
from impact._core.parsing import (
    decode_input_text,
    parse_number_text,
    read_csv_text,
    read_input_bytes,
)
from impact._core.paths import data_dir
from impact.io.categories import CATEGORY_TABLE_COLUMNS, validate_category_table
from impact.io.taxonomy import describe_quantity

__all__ = [
    "ANNUAL_CALL_QUANTITIES",
    "LAUNCH_DATE",
    "PUBLISHED_COLUMNS",
    "STATEMENT_COLUMNS",
    "TOPICS",
    "load_published",
    "load_published_statements",
    "published_annual_calls",
    "published_annual_victims",
    "published_category_table",
]

#: Columns of ``published_figures.csv``, in order.
PUBLISHED_COLUMNS: tuple[str, ...] = (
    "id",
    "topic",
    "year",
    "period_start",
    "period_end",
    "team",
    "quantity",
    "value",
    "unit",
    "source_url",
    "source_date",
    "note",
)

#: Allowed values of the ``topic`` column.
TOPICS: tuple[str, ...] = ("calls", "victims", "category", "channel", "capacity", "other")

#: First day of service of 1712 (12 March 2012; some sources say 13 March).
LAUNCH_DATE: pd.Timestamp = pd.Timestamp("2012-03-12")

#: Quantities that are a Flanders annual call total, and the definition each records.
ANNUAL_CALL_QUANTITIES: dict[str, str] = {
    "calls_received": "calls_received",
    "calls_answered": "calls_answered",
    "unique_calls_received": "unique_calls",
    "calls_at_start": "calls_received",
}

#: Quantities that are a total of (possible) victims for a year.
_ANNUAL_VICTIM_QUANTITIES: tuple[str, ...] = (
    "persons_concerned",
    "possible_victims",
    "possible_victims_reached",
)

_ID_PATTERN = re.compile(r"F\d{3,}")

#: Columns of ``statements.csv``, in order.
STATEMENT_COLUMNS: tuple[str, ...] = (
    "id", "question", "claim", "team", "topic", "quantity", "year_from", "year_to",
    "value", "unit", "figure_ids", "source_url", "source_date", "text_en", "text_nl",
)  # fmt: skip

_STATEMENT_ID = re.compile(r"S\d{3,}")


def _default_path() -> Path:
    return data_dir() / "published" / "published_figures.csv"


def load_published(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the published figures about 1712.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        CSV with the columns of :data:`PUBLISHED_COLUMNS`. Defaults to
        ``data/published/published_figures.csv`` of the repository.

    Returns
    -------
    pandas.DataFrame
        One row per published number, in file order, with the columns of
        :data:`PUBLISHED_COLUMNS` typed (``year`` int64, ``value`` float64,
        ``period_start``/``period_end`` datetime64 with NaT where the source gives no
        window; ``source_date`` stays text because sources give it as a date, a month or
        an approximate year) plus ``is_lower_bound`` and ``is_approximate`` (bool, read
        from ``unit``). ``attrs``: ``kind="published"``, ``source`` (path), ``sha256``.

    Raises
    ------
    DataValidationError
        If the file is missing, a folder, unreadable, empty, not UTF-8 or not well-formed
        CSV, a column is missing, or a row has an invalid id, topic, year, value, date,
        team or source URL. Messages name the file, the row id, the line and the column.

    Notes
    -----
    Values are read by the one number rule of :mod:`impact._core.parsing`: ``1140``,
    ``15.4`` and ``0.8`` as written, ``1.140`` as Dutch thousands (1140), ``15,4`` as a
    decimal comma; ``1,140`` is ambiguous and refused.

    Examples
    --------
    >>> pub = load_published()  # doctest: +SKIP
    >>> pub.attrs["kind"]  # doctest: +SKIP
    'published'
    """
    path = Path(path) if path is not None else _default_path()
    what = "published figures file"
    data = read_input_bytes(
        path, what=what,
        hint="Expected data/published/published_figures.csv (copied from ../shared/facts).",
    )
    source = f"{what} {str(path)!r}"
    raw = read_csv_text(decode_input_text(data, source=source), source=source)
    missing = [c for c in PUBLISHED_COLUMNS if c not in raw.columns]
    if missing:
        raise DataValidationError(
            f"{path.name}: missing column(s) {missing}; expected {list(PUBLISHED_COLUMNS)}."
        )
    raw = raw.loc[:, list(PUBLISHED_COLUMNS)]
    for col in PUBLISHED_COLUMNS:
        raw[col] = raw[col].str.strip()

    def where(i: int) -> str:
        rid = raw.at[i, "id"] or "(no id)"
        return f"{path.name}, row {rid} (line {i + 2})"

    teams = {*TEAMS, FLANDERS}
    years = np.empty(len(raw), dtype=np.int64)
    values = np.empty(len(raw), dtype=float)
    starts: list[pd.Timestamp] = []
    ends: list[pd.Timestamp] = []
    for i in range(len(raw)):
        row = raw.iloc[i]
        if not _ID_PATTERN.fullmatch(row["id"]):
            raise DataValidationError(
                f"{where(i)}: id {row['id']!r} is not of the form F001."
            )
        if row["topic"] not in TOPICS:
            raise DataValidationError(
                f"{where(i)}: topic {row['topic']!r} is not one of {list(TOPICS)}."
            )
        if not re.fullmatch(r"\d{4}", row["year"]):
            raise DataValidationError(
                f"{where(i)}: year {row['year']!r} is not a four-digit year."
            )
        years[i] = int(row["year"])
        value = parse_number_text(row["value"])
        if not isinstance(value, float):
            reason = f"; {value}" if isinstance(value, str) else ""
            raise DataValidationError(
                f"{where(i)}, column 'value': {row['value']!r} is not a number{reason}. "
                "Write e.g. 1140, 1.140 (Dutch thousands), 15.4 or 15,4."
            )
        values[i] = value
        for col, store in (("period_start", starts), ("period_end", ends)):
            text = row[col]
            if not text:
                store.append(pd.NaT)
                continue
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise DataValidationError(
                    f"{where(i)}: {col} {text!r} is not an ISO date (YYYY-MM-DD) or empty."
                )
            try:
                store.append(pd.Timestamp(text))
            except ValueError:
                raise DataValidationError(
                    f"{where(i)}: {col} {text!r} is not a valid date."
                ) from None
        if starts[-1] is not pd.NaT and ends[-1] is not pd.NaT and ends[-1] < starts[-1]:
            raise DataValidationError(
                f"{where(i)}: period_end {row['period_end']} is before period_start "
                f"{row['period_start']}."
            )
        if row["team"] not in teams:
            raise DataValidationError(
                f"{where(i)}: team {row['team']!r} is not one of {sorted(teams)}."
            )
        if not row["quantity"]:
            raise DataValidationError(f"{where(i)}: quantity is empty.")
        if not row["source_url"].startswith(("http://", "https://")):
            raise DataValidationError(
                f"{where(i)}: source_url {row['source_url']!r} is not an http(s) URL; every "
                "published figure needs its source."
            )
    dup = raw["id"].duplicated(keep=False)
    if dup.any():
        first = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataValidationError(f"{where(first)}: id {raw.at[first, 'id']!r} is not unique.")
    out = raw.copy()
    out["year"] = years
    out["value"] = values
    out["period_start"] = pd.to_datetime(pd.Series(starts, index=out.index, dtype=object))
    out["period_end"] = pd.to_datetime(pd.Series(ends, index=out.index, dtype=object))
    unit = out["unit"].str.lower()
    out["is_lower_bound"] = unit.str.contains("lower bound", regex=False)
    out["is_approximate"] = unit.str.contains(r"approx|estimate|range|one in|'", regex=True)
    out.attrs = {"kind": "published", "source": str(path),
                 "sha256": hashlib.sha256(data).hexdigest()}
    return out


def _resolve(published: pd.DataFrame | None) -> pd.DataFrame:
    if published is None:
        return load_published()
    if published.attrs.get("kind") != "published":
        raise DataValidationError(
            "published: expected the frame returned by impact.io.published.load_published "
            f"(attrs kind='published'), got kind={published.attrs.get('kind')!r}."
        )
    return published


def _is_full_year(frame: pd.DataFrame) -> pd.Series:
    start = frame["period_start"]
    end = frame["period_end"]
    return (
        (start.dt.month == 1)
        & (start.dt.day == 1)
        & (start.dt.year == frame["year"])
        & (end.dt.month == 12)
        & (end.dt.day == 31)
        & (end.dt.year == frame["year"])
    )


def published_annual_calls(published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the Flanders annual call totals 2012-2023 with their source and definition.

    Parameters
    ----------
    published : pandas.DataFrame, optional
        Output of :func:`load_published`; loaded from the default path when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per calendar year 2012-2023, columns:

        ``year`` (int), ``calls`` (float; NaN where no total is published, i.e. 2017),
        ``quantity`` (as in the CSV), ``definition`` (``calls_received``,
        ``calls_answered`` or ``unique_calls``: what the source says was counted),
        ``unit``, ``source_id``, ``source_url``, ``is_partial_year`` (True for 2012:
        service from 12 March), ``is_lower_bound`` (True for 2012: a partial-year figure
        is a lower bound for a full year), ``is_approximate``, ``has_conflict`` (another
        source gives a different value for the same year), ``alternatives`` (other rows
        for the year, ``id=value (quantity)``), ``caveat`` (text to quote),
        ``data_kind`` (``"published"``). ``attrs``: ``kind``, ``sha256``.

    Notes
    -----
    A row qualifies when its topic is ``calls``, its team is Flanders, its window is the
    full calendar year and its quantity is one of :data:`ANNUAL_CALL_QUANTITIES`. When
    several rows qualify for a year, the first in the file is used and the others are
    listed in ``alternatives`` (2013: 3,248 vs 3,250; 2018: the same 5,126 worded as
    answered and as received). The totals are contacts over all channels and probably
    handled (answered) contacts, capped by capacity (README caveats 1-2).
    """
    pub = _resolve(published)
    full = _is_full_year(pub)
    rows = pub[
        (pub["topic"] == "calls")
        & (pub["team"] == FLANDERS)
        & full
        & pub["quantity"].isin(list(ANNUAL_CALL_QUANTITIES))
    ]
    by_id = pub.set_index("id")
    records = []
    for year in range(2012, 2024):
        cands = rows[rows["year"] == year]
        caveats: list[str] = []
        if cands.empty:
            records.append({
                "year": year, "calls": np.nan, "quantity": "", "definition": "",
                "unit": "", "source_id": "", "source_url": "", "is_partial_year": False,
                "is_lower_bound": False, "is_approximate": False, "has_conflict": False,
                "alternatives": "",
                "caveat": f"no published Flanders total for {year}; do not interpolate it "
                "silently (a value derivable from a growth rate is not a published figure).",
                "data_kind": "published",
            })
            continue
        chosen = cands.iloc[0]
        others = cands.iloc[1:]
        alternatives = "; ".join(
            f"{r.id}={r.value:g} ({r.quantity})" for r in others.itertuples()
        )
        has_conflict = bool((others["value"] != chosen["value"]).any())
        if has_conflict:
            caveats.append(
                f"sources conflict: {chosen['id']}={chosen['value']:g} vs {alternatives}"
            )
        elif len(others):
            caveats.append(
                f"the same value is worded differently elsewhere ({alternatives}): the "
                "definition (answered vs received) is ambiguous"
            )
        is_partial = bool(year == LAUNCH_DATE.year)
        if is_partial:
            extra = []
            for rid in ("F001", "F009"):
                if rid in by_id.index:
                    r = by_id.loc[rid]
                    extra.append(
                        f"{rid}: {r['value']:g} {r['unit']} "
                        f"({r['period_start']:%Y-%m-%d} to {r['period_end']:%Y-%m-%d})"
                    )
            caveats.append(
                f"partial year: 1712 opened on {LAUNCH_DATE:%d %b %Y}, so this is a lower bound "
                "for a full year; the figure is rounded ('slechts 2.500 meldingen')"
                + (f"; other windows: {'; '.join(extra)}" if extra else "")
            )
        definition = ANNUAL_CALL_QUANTITIES[chosen["quantity"]]
        if definition == "unique_calls":
            caveats.append(
                "reported as 'unieke oproepen' (unique calls); whether counting changed with "
                "the wording is not documented (event E056)"
            )
        if year == 2020:
            caveats.append(
                "in Apr-Aug 2020 about half of all calls could not be answered (F066): the "
                "total is capped by capacity"
            )
        records.append({
            "year": year,
            "calls": float(chosen["value"]),
            "quantity": chosen["quantity"],
            "definition": definition,
            "unit": chosen["unit"],
            "source_id": chosen["id"],
            "source_url": chosen["source_url"],
            "is_partial_year": is_partial,
            "is_lower_bound": bool(chosen["is_lower_bound"]) or is_partial,
            "is_approximate": bool(chosen["is_approximate"]),
            "has_conflict": has_conflict,
            "alternatives": alternatives,
            "caveat": "; ".join(caveats),
            "data_kind": "published",
        })
    out = pd.DataFrame.from_records(records)
    out["year"] = out["year"].astype("int64")
    out.attrs = {"kind": "published", "sha256": pub.attrs.get("sha256", "")}
    return out


def published_annual_victims(published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the published Flanders totals of (possible) victims per calendar year.

    Parameters
    ----------
    published : pandas.DataFrame, optional
        Output of :func:`load_published`.

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``victims``, ``quantity``, ``source_id``, ``alternatives``,
        ``data_kind``; only years with a full-year total (2014, 2019-2023). The first row
        in the file wins; preliminary figures (2020: 11,171) are not totals here.
    """
    pub = _resolve(published)
    rows = pub[
        (pub["topic"] == "victims")
        & (pub["team"] == FLANDERS)
        & _is_full_year(pub)
        & pub["quantity"].isin(list(_ANNUAL_VICTIM_QUANTITIES))
    ]
    records = []
    for year, grp in rows.groupby("year", sort=True):
        chosen = grp.iloc[0]
        records.append({
            "year": int(year),
            "victims": float(chosen["value"]),
            "quantity": chosen["quantity"],
            "source_id": chosen["id"],
            "alternatives": "; ".join(
                f"{r.id}={r.value:g}" for r in grp.iloc[1:].itertuples()
            ),
            "data_kind": "published",
        })
    out = pd.DataFrame.from_records(records)
    out.attrs = {"kind": "published", "sha256": pub.attrs.get("sha256", "")}
    return out


def published_category_table(published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the published problem-category figures as a category table.

    Parameters
    ----------
    published : pandas.DataFrame, optional
        Output of :func:`load_published`.

    Returns
    -------
    pandas.DataFrame
        A category table (:data:`impact.io.categories.CATEGORY_TABLE_COLUMNS`) with yearly
        periods, one row per published figure: a count *or* a share (0-1) with its
        ``base`` (``victims``, ``calls``, ``registered_forms``, ``contacts``,
        ``questions``, ``conversations`` or ``chats``), the ``source_id`` of the row it
        came from and ``data_kind="published"``. ``original_label`` is the CSV
        ``quantity``; ``note`` starts with the Dutch label where known.

    Notes
    -----
    Only rows of topic ``category`` whose quantity maps onto a stable category and whose
    window is a full calendar year are included. Left out: figures for a short window
    (Feb 2020, the 3-week window of Aug-Sep 2023), year-to-date figures (Limburg 2020),
    undated figures (the c. 2016 campaign page), and figures on victim age or family
    context, which are not problem categories.

    ``base_total`` is filled from other published rows, never derived: victims totals
    (:func:`published_annual_victims`) for the ``victims`` base, the annual call totals
    (:func:`published_annual_calls`) for ``calls`` and ``contacts`` (caveat 1 of the
    facts README: 'oproepen' are contacts over all channels), the 6,166 persons with a
    registered form (2019) for ``registered_forms``; NaN otherwise (team rows, chats,
    questions, conversations).
    """
    pub = _resolve(published)
    calls = published_annual_calls(pub).set_index("year")
    victims = published_annual_victims(pub).set_index("year")
    forms = pub[
        (pub["quantity"] == "persons_with_registered_violence_form") & _is_full_year(pub)
    ].drop_duplicates("year").set_index("year")
    rows = pub[(pub["topic"] == "category") & _is_full_year(pub)]
    records = []
    for r in rows.itertuples(index=False):
        info = describe_quantity(r.quantity)
        if not info.is_category:
            continue
        base_total = np.nan
        base_source = ""
        if r.team == FLANDERS:
            if info.base == "victims" and r.year in victims.index:
                base_total = victims.at[r.year, "victims"]
                base_source = victims.at[r.year, "source_id"]
            elif info.base in ("calls", "contacts") and r.year in calls.index:
                if not np.isnan(calls.at[r.year, "calls"]):
                    base_total = calls.at[r.year, "calls"]
                    base_source = calls.at[r.year, "source_id"]
            elif info.base == "registered_forms" and r.year in forms.index:
                base_total = float(forms.at[r.year, "value"])
                base_source = str(forms.at[r.year, "id"])
        label = f"label: '{info.label_nl}'" if info.label_nl else ""
        note = "; ".join(x for x in (label, r.note) if x)
        for code in info.categories:
            records.append({
                "team": r.team,
                "period": pd.Period(year=int(r.year), freq="Y"),
                "category": code,
                "original_label": r.quantity,
                "count": float(r.value) if info.measure == "count" else np.nan,
                "share": float(r.value) / 100.0 if info.measure == "share" else np.nan,
                "base": info.base,
                "base_total": base_total,
                "base_source_id": base_source,
                "unit": r.unit,
                "source_id": r.id,
                "is_approximate": bool(r.is_approximate),
                "is_lower_bound": bool(r.is_lower_bound),
                "note": note,
                "data_kind": "published",
            })
    table = pd.DataFrame.from_records(records, columns=list(CATEGORY_TABLE_COLUMNS))
    table["period"] = pd.PeriodIndex(list(table["period"]), freq="Y")
    table = table.sort_values(["team", "period", "category", "source_id"], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs = {"kind": "published", "sha256": pub.attrs.get("sha256", "")}
    return validate_category_table(table, name="published category table")



def load_published_statements(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the published statements about 1712 (``statements.csv``).

    A statement is what a source said in words (a claim, an explanation, a figure without
    a year), paraphrased in English and Dutch, with placeholders ``{year_from}``,
    ``{year_to}`` and ``{value}`` for its numbers, which sit in their own columns.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        CSV with the columns of :data:`STATEMENT_COLUMNS`. Defaults to
        ``data/published/statements.csv`` of the repository.

    Returns
    -------
    pandas.DataFrame
        One row per statement: ``id`` (``S001``), ``question`` (int, 1-4), ``claim`` (a
        machine name such as ``increases_every_year`` or ``same_across_teams``),
        ``team``, ``topic``, ``quantity`` (the ``quantity`` of ``published_figures.csv``
        the claim is about, or empty), ``year_from`` / ``year_to`` (nullable Int64),
        ``value`` (float, NaN when none), ``unit``, ``figure_ids`` (tuple of ``F`` ids
        the statement belongs with), ``source_url``, ``source_date``, ``text_en``,
        ``text_nl``. ``attrs``: ``kind="published"``, ``source``, ``sha256``.

    Raises
    ------
    DataValidationError
        If the file is unreadable, a column is missing, or a row has an invalid id,
        question, year, value, figure id or source URL (the message names the row).
    """
    path = Path(path) if path is not None else data_dir() / "published" / "statements.csv"
    what = "published statements file"
    data = read_input_bytes(path, what=what,
                            hint="Expected data/published/statements.csv.")
    source = f"{what} {str(path)!r}"
    raw = read_csv_text(decode_input_text(data, source=source), source=source)
    missing = [c for c in STATEMENT_COLUMNS if c not in raw.columns]
    if missing:
        raise DataValidationError(
            f"{path.name}: missing column(s) {missing}; expected {list(STATEMENT_COLUMNS)}."
        )
    raw = raw.loc[:, list(STATEMENT_COLUMNS)].apply(lambda c: c.str.strip())
    out = raw.copy()
    years: dict[str, list[int | None]] = {"year_from": [], "year_to": []}
    values: list[float] = []
    figures: list[tuple[str, ...]] = []
    for i, row in raw.iterrows():
        where = f"{path.name}, row {row['id'] or '(no id)'} (line {int(i) + 2})"
        if not _STATEMENT_ID.fullmatch(row["id"]):
            raise DataValidationError(f"{where}: id {row['id']!r} is not of the form S001.")
        if row["question"] not in ("1", "2", "3", "4"):
            raise DataValidationError(f"{where}: question {row['question']!r} is not 1-4.")
        for col, store in years.items():
            text = row[col]
            if text and not re.fullmatch(r"\d{4}", text):
                raise DataValidationError(
                    f"{where}: {col} {text!r} is not a four-digit year or empty.")
            store.append(int(text) if text else None)
        value = parse_number_text(row["value"]) if row["value"] else np.nan
        if not isinstance(value, float):
            raise DataValidationError(
                f"{where}, column 'value': {row['value']!r} is not a number or empty.")
        values.append(value)
        ids = tuple(x.strip() for x in row["figure_ids"].split(";") if x.strip())
        bad = [x for x in ids if not _ID_PATTERN.fullmatch(x)]
        if bad:
            raise DataValidationError(
                f"{where}: figure_ids {bad} are not ids of published_figures.csv (F001).")
        figures.append(ids)
        if not row["source_url"].startswith(("http://", "https://")):
            raise DataValidationError(
                f"{where}: source_url {row['source_url']!r} is not an http(s) URL.")
    if raw["id"].duplicated().any():
        dup = raw.loc[raw["id"].duplicated(), "id"].iloc[0]
        raise DataValidationError(f"{path.name}: id {dup!r} is not unique.")
    out["question"] = raw["question"].astype("int64")
    for col, store in years.items():
        out[col] = pd.array(store, dtype="Int64")
    out["value"] = np.asarray(values, dtype=float)
    out["figure_ids"] = figures
    out.attrs = {"kind": "published", "source": str(path),
                 "sha256": hashlib.sha256(data).hexdigest()}
    return out
