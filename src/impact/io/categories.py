"""Category tables: their contract and a reader for user-supplied files.

A category table holds one number per row: a count or a share of a base for one team
(or Flanders), one period and one stable problem category (the columns of
:data:`CATEGORY_TABLE_COLUMNS`). :func:`validate_category_table` checks a frame against
that contract; :func:`load_category_table` turns a team x period x category file (CSV or
XLSX, long or wide, Dutch or English), as exported from a spreadsheet, into one. The
parsing helpers here read periods (years, months, Dutch and English month names, Excel
dates) and numbers (Dutch thousands separators and decimal commas).

The labels and their stable categories come from :mod:`impact.io.taxonomy`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from io import BytesIO
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from impact._core.constants import DATA_KINDS, FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError
from impact._core.parsing import (
    decode_input_text,
    parse_number_text,
    read_csv_text,
    read_input_bytes,
)
from impact._core.validation import check_choice
from impact.io._labels import BASES, CATEGORY_CODES, _norm
from impact.io.taxonomy import categorize, known_labels, normalize_team
from impact.io.teams import _is_total, _Vocabulary

__all__ = ["CATEGORY_TABLE_COLUMNS", "load_category_table", "validate_category_table"]

_MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "feb": 2, "febr": 2,
    "maart": 3, "march": 3, "mrt": 3, "mar": 3, "maa": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augustus": 8, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "team": ("team", "hulplijn", "provincie", "province", "caw", "regio", "region", "team 1712"),
    "period": ("period", "periode", "month", "maand", "year", "jaar", "date", "datum"),
    "category": (
        "category", "categorie", "probleem", "problem", "problematiek", "problem type",
        "probleemtype", "type", "label", "thema",
    ),
    "count": (
        "count", "aantal", "n", "number", "calls", "oproepen", "frequency", "frequentie",
        "aantal oproepen", "value", "waarde",
    ),
    "share": ("share", "aandeel", "percentage", "pct", "proportion", "procent", "%"),
    "base": ("base", "basis", "noemer"),
    "base_total": (
        "base total", "base_total", "total", "totaal", "total calls", "totaal oproepen",
        "totaal aantal oproepen",
    ),
}  # fmt: skip

_ALIAS_INDEX: dict[str, str] = {
    _norm(alias): field for field, aliases in _HEADER_ALIASES.items() for alias in aliases
}
_ALIAS_INDEX[_norm("%")] = "share"


# --- the contract --------------------------------------------------------------------

#: Columns of a category table, in order. One row is one number: a count or a share of
#: ``base`` for one team (or Flanders), one period and one category.
#:
#: ``team`` (str), ``period`` (``Period[Y-DEC]`` or ``Period[M]``, one frequency per
#: table), ``category`` (stable code), ``original_label`` (as the source wrote it),
#: ``count`` (float, whole numbers; NaN when only a share is known), ``share`` (0-1;
#: NaN when only a count is known), ``base`` (one of :data:`BASES`), ``base_total``
#: (size of the base in that team-period, NaN if unknown), ``base_source_id``,
#: ``unit``, ``source_id`` (row id of the published file, empty for user data),
#: ``is_approximate``, ``is_lower_bound`` (bool), ``note``, ``data_kind``.
CATEGORY_TABLE_COLUMNS: tuple[str, ...] = (
    "team",
    "period",
    "category",
    "original_label",
    "count",
    "share",
    "base",
    "base_total",
    "base_source_id",
    "unit",
    "source_id",
    "is_approximate",
    "is_lower_bound",
    "note",
    "data_kind",
)


def validate_category_table(table: pd.DataFrame, *, name: str = "table") -> pd.DataFrame:
    """Check a frame against the category-table contract and return a typed copy.

    Parameters
    ----------
    table : pandas.DataFrame
        Must have at least ``team``, ``period``, ``category``, ``base`` and one of
        ``count`` / ``share``. Missing optional columns are added (NaN or empty).
    name : str, default "table"
        Name used in error messages.

    Returns
    -------
    pandas.DataFrame
        A copy with exactly :data:`CATEGORY_TABLE_COLUMNS`, typed; ``attrs`` kept.

    Raises
    ------
    DataValidationError
        On a missing column, unknown team, category, base or data kind, a mix of yearly
        and monthly periods, a negative or fractional count, a share outside [0, 1], or
        a row with neither count nor share. Messages name the row (0-based index label).
    """
    required = ("team", "period", "category", "base")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise DataValidationError(
            f"{name}: missing column(s) {missing}; a category table needs {list(required)} "
            f"and 'count' and/or 'share'. Columns found: {list(table.columns)}."
        )
    if "count" not in table.columns and "share" not in table.columns:
        raise DataValidationError(f"{name}: needs a 'count' or a 'share' column.")
    out = table.copy()
    for col in CATEGORY_TABLE_COLUMNS:
        if col not in out.columns:
            if col in ("count", "share", "base_total"):
                out[col] = np.nan
            elif col in ("is_approximate", "is_lower_bound"):
                out[col] = False
            elif col == "original_label":
                out[col] = out["category"].astype(str)
            elif col == "data_kind":
                out[col] = str(table.attrs.get("kind", "real"))
            else:
                out[col] = ""
    out = out.loc[:, list(CATEGORY_TABLE_COLUMNS)]
    declared = table.attrs.get("teams")
    teams = ({*map(str, declared), str(table.attrs.get("total", FLANDERS))} if declared
             else {*TEAMS, FLANDERS})
    bad = out.index[~out["team"].isin(teams)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has unknown team {out.at[bad[0], 'team']!r}; expected "
            f"one of {sorted(teams)}. Use impact.io.taxonomy.normalize_team on free-text "
            "names, or declare the table's teams (attrs['teams'], or teams=[...] when "
            "loading)."
        )
    bad = out.index[~out["category"].isin(CATEGORY_CODES)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has category {out.at[bad[0], 'category']!r}, not a stable "
            f"code; expected one of {list(CATEGORY_CODES)} (map labels with "
            "impact.io.taxonomy.categorize)."
        )
    bad = out.index[~out["base"].isin(list(BASES))]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has base {out.at[bad[0], 'base']!r}; expected one of "
            f"{list(BASES)}."
        )
    bad = out.index[~out["data_kind"].isin(DATA_KINDS)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has data_kind {out.at[bad[0], 'data_kind']!r}; expected "
            f"one of {list(DATA_KINDS)}."
        )
    out["period"] = _coerce_periods(out["period"], name=name)
    for col in ("count", "share", "base_total"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    counts = out["count"]
    bad = out.index[(counts < 0) | ((counts - counts.round()).abs() > 1e-9)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has count {float(counts[bad[0]])!r}; counts must be whole "
            "numbers >= 0."
        )
    shares = out["share"]
    bad = out.index[(shares < 0) | (shares > 1)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has share {float(shares[bad[0]])!r}; shares are "
            "proportions in [0, 1] (divide percentages by 100)."
        )
    bad = out.index[counts.isna() & shares.isna()]
    if len(bad):
        raise DataValidationError(f"{name}: row {bad[0]!r} has neither a count nor a share.")
    for col in ("is_approximate", "is_lower_bound"):
        out[col] = out[col].fillna(False).astype(bool)
    for col in ("team", "category", "original_label", "base", "base_source_id", "unit",
                "source_id", "note", "data_kind"):
        out[col] = out[col].fillna("").astype(str)
    out.attrs = dict(table.attrs)
    return out


def _coerce_periods(values: pd.Series, *, name: str) -> pd.Series:
    if isinstance(values.dtype, pd.PeriodDtype):
        freq = str(values.dtype)[len("period[") : -1]
        if not (freq.startswith("M") or freq.startswith("Y")):
            raise DataValidationError(
                f"{name}: periods have frequency {freq!r}; expected yearly or monthly."
            )
        return values
    parsed = [_parse_period(v) for v in values]
    for idx, p in zip(values.index, parsed, strict=True):
        if p is None:
            raise DataValidationError(
                f"{name}: row {idx!r} has period {values[idx]!r}; expected a year (2023) or a "
                "month (2023-04, 'april 2023')."
            )
    freqs = {p.freqstr for p in parsed}  # type: ignore[union-attr]
    if len(freqs) > 1:
        raise DataValidationError(
            f"{name}: periods mix yearly and monthly values ({sorted(freqs)}); use one "
            "resolution per table."
        )
    if not parsed:
        return pd.Series(pd.PeriodIndex([], freq="M"), index=values.index, name="period")
    return pd.Series(pd.PeriodIndex(parsed), index=values.index, name="period")


# --- the reader ----------------------------------------------------------------------


def _parse_period(value: object) -> pd.Period | None:
    """Parse a year or month in the spellings found in Dutch and English exports."""
    if isinstance(value, pd.Period):
        return value if value.freqstr[0] in "MYA" else None
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return pd.Period(pd.Timestamp(value), freq="M")
    if isinstance(value, (int, np.integer)) and 1900 <= int(value) <= 2100:
        return pd.Period(year=int(value), freq="Y")
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return _parse_period(int(value))
    text = str(value).strip().lower()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})", text)
    if m:
        return pd.Period(year=int(m.group(1)), freq="Y")
    m = re.fullmatch(r"(\d{4})[-/. ](\d{1,2})(?:[-/. ]\d{1,2})?(?:[ t].*)?", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return pd.Period(year=int(m.group(1)), month=int(m.group(2)), freq="M")
    m = re.fullmatch(r"(\d{1,2})[-/. ](\d{4})", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return pd.Period(year=int(m.group(2)), month=int(m.group(1)), freq="M")
    m = re.fullmatch(r"([a-z]+)\.?[-/ ]*'?(\d{2}|\d{4})", text)
    if m and m.group(1) in _MONTHS:
        year = int(m.group(2))
        year = year + 2000 if year < 100 else year
        return pd.Period(year=year, month=_MONTHS[m.group(1)], freq="M")
    m = re.fullmatch(r"(\d{4})[-/ ]*([a-z]+)\.?", text)
    if m and m.group(2) in _MONTHS:
        return pd.Period(year=int(m.group(1)), month=_MONTHS[m.group(2)], freq="M")
    return None


def _parse_number(value: object, *, whole: bool) -> float | None:
    """Parse a count or share cell by the one number rule; ``None`` if unreadable.

    The rule is :func:`impact._core.parsing.parse_number_text`: ``1.234`` and ``1 234``
    are 1234 (Dutch thousands); ``12,5`` is 12.5 (Dutch decimal comma); ``1.234,5`` is
    1234.5; ``0.125`` and ``12.5`` are decimals; ``1,234`` is ambiguous and unreadable.
    A trailing ``%`` is dropped (the caller scales shares); empty cells, ``-``, ``nan``,
    ``NA`` and ``n.v.t.`` are NaN. ``whole`` is kept for the callers: counts are
    checked to be whole by them.
    """
    del whole  # one rule for counts and shares; wholeness is checked by the caller
    if value is None:
        return np.nan
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer, float, np.floating)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    text = text.rstrip("%")
    if text in ("", "-", "nan", "NaN", "NA", "n.v.t.", "nvt"):
        return np.nan
    parsed = parse_number_text(text)
    return parsed if isinstance(parsed, float) else None


def _read_raw(path: Path, sheet: str | int | None) -> tuple[pd.DataFrame, bytes]:
    suffix = path.suffix.lower()
    what = "category table"
    source = f"{what} {str(path)!r}"
    data = read_input_bytes(path, what=what)
    if suffix not in (".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".tsv"):
        raise DataValidationError(
            f"{path.name}: unsupported file type {suffix!r}; expected .csv, .tsv or .xlsx."
        )
    if suffix in (".xlsx", ".xlsm", ".xls"):
        try:
            frame = pd.read_excel(BytesIO(data), sheet_name=0 if sheet is None else sheet,
                                  dtype=object)
        except Exception as exc:  # openpyxl and pandas raise many types for damaged files
            raise DataValidationError(
                f"{source}: cannot read the file as an Excel workbook ({type(exc).__name__}: "
                f"{exc}). Open it and save it as .xlsx, or export the table as CSV."
            ) from exc
        return frame, data
    if not data.strip():
        raise DataValidationError(f"{path.name}: the file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if "\ufffd" in text:
            raise DataValidationError(
                f"{source} is neither UTF-8 nor Windows-1252 text; save it as 'CSV UTF-8'."
            ) from None
    text = decode_input_text(text.encode("utf-8"), source=source)
    first = text.splitlines()[0]
    sep = max(("\t", ";", ","), key=first.count)
    return read_csv_text(text, source=source, sep=sep), data


def _is_blank_cell(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def _report_to_long(raw: pd.DataFrame, name: str) -> pd.DataFrame:
    """Turn a table as reports print it into the long layout (else return ``raw``).

    A report table has problem labels as rows and periods (years or months) as columns,
    optionally a team column, or one block per team: a row holding only a team name (or
    the team name with the period headers repeated) starts the team's block. Total rows
    (``Totaal``) are left out: the long layout's counts are the categories.
    """
    headers = [str(c) for c in raw.columns]
    period_cols = [c for c in raw.columns if _parse_period(c) is not None]
    if not period_cols or any(_ALIAS_INDEX.get(_norm(h)) == "period" for h in headers):
        return raw
    others = [c for c in raw.columns if c not in period_cols]
    team_col = next((c for c in others if _ALIAS_INDEX.get(_norm(c)) == "team"), None)
    label_cols = [c for c in others if c != team_col]
    if len(label_cols) != 1:
        raise DataValidationError(
            f"{name}: a table with periods as columns ({', '.join(map(str, period_cols))}) "
            "needs one column of problem labels (and optionally a team column); found "
            f"{', '.join(map(str, label_cols)) or 'none'}."
        )
    (label_col,) = label_cols
    period_text = [str(c).strip() for c in period_cols]
    rows: list[dict[str, object]] = []
    block_team: object = None
    for _, row in raw.iterrows():
        label = row[label_col]
        values = [row[c] for c in period_cols]
        if _is_blank_cell(label):
            continue
        is_category = True
        try:
            categorize(str(label))
        except DataValidationError:
            is_category = False
        if not is_category and (all(_is_blank_cell(v) for v in values)
                                or [str(v).strip() for v in values] == period_text):
            block_team = label  # a team's block starts
            continue
        if _is_total(label):
            continue
        team = row[team_col] if team_col is not None else block_team
        for col, value in zip(period_cols, values, strict=True):
            entry: dict[str, object] = {"category": label, "period": col, "count": value}
            if team is not None:
                entry = {"team": team, **entry}
            rows.append(entry)
    if not rows:
        raise DataValidationError(f"{name}: the table has no data rows.")
    return pd.DataFrame(rows, dtype=object)


def load_category_table(
    path: str | Path,
    *,
    base: str = "calls",
    sheet: str | int | None = None,
    data_kind: Literal["real", "synthetic"] = "real",
    team: str | None = None,
    share_scale: Literal["auto", "percent", "proportion"] = "auto",
    teams: Iterable[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    total: str = FLANDERS,
) -> pd.DataFrame:
    """Read a user-supplied team x period x category table (CSV or XLSX, long or wide).

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv``/``.tsv`` (separator ``,``, ``;`` or tab, detected from the header) or
        ``.xlsx`` file.
    base : str, default "calls"
        What the counts count, one of :data:`BASES`; used when the file has no ``base``
        column.
    sheet : str or int, optional
        Excel sheet; the first by default.
    data_kind : {"real", "synthetic"}, default "real"
        Label carried in the ``data_kind`` column and ``attrs["kind"]``.
    team : str, optional
        Team of every row when the file has no team column.
    share_scale : {"auto", "percent", "proportion"}, default "auto"
        How to read a share column: ``auto`` treats values with a ``%`` sign, or a column
        whose largest value exceeds 1, as percentages.
    teams : list of str, optional
        The teams of the table (any names: another helpline, sub-teams, municipalities).
        Default: the five 1712 teams and their variants.
    aliases : dict, optional
        Table label -> team (e.g. ``{"1712 Gent": "Gent"}``); with ``aliases`` or
        ``total`` alone (no ``teams``) any label is a team, as written.
    total : str, default "Flanders"
        Name of the total; rows labelled with it (or ``Totaal``, ``Vlaanderen`` ...) are
        the total.

    Returns
    -------
    pandas.DataFrame
        A category table (:data:`CATEGORY_TABLE_COLUMNS`), sorted by team, period,
        category; ``attrs``: ``kind``, ``source`` (path), ``sha256``, and ``teams`` and
        ``total`` when the teams were given.

    Raises
    ------
    DataValidationError
        If a header cannot be recognised, a label is unknown, or a value cannot be read.
        Messages name the file row (the header is row 1) and the column.

    Notes
    -----
    *Long* layout: columns team, period, category and count (and/or share), in Dutch or
    English (``team/hulplijn/provincie``, ``maand/month/jaar/year/periode``,
    ``categorie/probleem/problematiek``, ``aantal/count/oproepen``, ``aandeel/share``).
    *Wide* layout: team and period columns plus one column per category label (e.g.
    ``Kindermishandeling``, ``Partnergeweld``) and an optional ``Totaal`` column that
    becomes ``base_total``. *Report* layout, as reports print it: problem labels as rows
    and periods as columns (``Probleem, 2021, 2022, 2023``), optionally with a team
    column or one block per team (a row holding only the team's name starts its block);
    ``Totaal`` rows are left out. It is read like the long layout. Periods may be years
    (``2023``) or months (``2023-04``, ``04/2023``, ``april 2023``, ``apr-23``, Excel
    dates). Dutch thousands separators
    (``1.234``) and decimal commas (``12,5``) are understood.
    """
    path = Path(path)
    check_choice(base, "base", tuple(BASES))
    raw, data = _read_raw(path, sheet)
    raw = _report_to_long(raw.dropna(how="all"), path.name)
    roles: dict[str, str] = {}
    unmatched: list[str] = []
    for col in raw.columns:
        field = _ALIAS_INDEX.get(_norm(col))
        if field is not None and field not in roles.values():
            roles[str(col)] = field
        else:
            unmatched.append(str(col))
    by_field = {field: col for col, field in roles.items()}
    if "period" not in by_field:
        raise DataValidationError(
            f"{path.name}: no period column found (expected one of "
            f"{list(_HEADER_ALIASES['period'])}); columns are {list(map(str, raw.columns))}."
        )
    custom = teams is not None or aliases is not None or total != FLANDERS
    vocab = _Vocabulary.build(teams=teams, aliases=aliases, total=total) if custom else None
    if "team" not in by_field and team is None:
        raise DataValidationError(
            f"{path.name}: no team column found (expected one of {list(_HEADER_ALIASES['team'])});"
            " pass team=... when the whole file is one team."
        )
    records: list[dict[str, object]] = []
    is_long = "category" in by_field
    if is_long:
        if "count" not in by_field and "share" not in by_field:
            raise DataValidationError(
                f"{path.name}: long table with a category column but no count column "
                f"(expected one of {list(_HEADER_ALIASES['count'])}) or share column."
            )
        extra = list(unmatched)
        if extra:
            raise DataValidationError(
                f"{path.name}: column(s) {extra} not recognised in a long table; expected "
                "team, period, category, count/share, optional base and total columns."
            )
        cat_cols = {}
    else:
        cat_cols = {}
        for col in unmatched:
            try:
                cat_cols[col] = categorize(col)
            except DataValidationError:
                raise DataValidationError(
                    f"{path.name}: column {col!r} is neither a team/period/total column nor a "
                    f"known category label. Known labels: {known_labels()}."
                ) from None
        if "count" in by_field:
            # A wide table's 'value'-like column would be ambiguous.
            raise DataValidationError(
                f"{path.name}: column {by_field['count']!r} looks like a count column but the "
                "table has no category column; use either a long table (category + count) "
                "or a wide table (one column per category)."
            )
        if not cat_cols:
            raise DataValidationError(
                f"{path.name}: no category column and no columns named after categories; "
                f"known labels: {known_labels()}."
            )
    share_col = by_field.get("share")
    percent = share_scale == "percent"
    if share_col is not None and share_scale == "auto":
        vals = [_parse_number(v, whole=False) for v in raw[share_col]]
        has_pct = any(str(v).strip().endswith("%") for v in raw[share_col])
        finite = [v for v in vals if v is not None and not np.isnan(v)]
        percent = has_pct or (bool(finite) and max(finite) > 1)

    def cell_error(i: int, col: str, value: object, expected: str) -> DataValidationError:
        return DataValidationError(
            f"{path.name}, row {i + 2}, column {col!r}: cannot read {value!r}; expected "
            f"{expected}."
        )

    for i, (_, row) in enumerate(raw.iterrows()):
        period = _parse_period(row[by_field["period"]])
        if period is None:
            raise cell_error(i, by_field["period"], row[by_field["period"]],
                             "a year (2023) or a month (2023-04, 'april 2023', 'apr-23')")
        label = row[by_field["team"]] if "team" in by_field else team
        where = (f"{path.name}, row {i + 2}, column {by_field['team']!r}" if "team" in by_field
                 else f"{path.name}: team={team!r}")
        if vocab is None:  # the 1712 teams and their variants
            try:
                team_name = normalize_team(label)
            except DataValidationError as err:
                raise DataValidationError(
                    f"{where}: {err} For other teams pass teams=[...] (and aliases=)."
                ) from None
        else:
            team_name = vocab.total if vocab.is_total(label) else vocab.resolve(label)
            if team_name is None:
                raise DataValidationError(
                    f"{where}: unknown team {label!r}; the declared teams are "
                    f"{', '.join(vocab.candidates())} (total: {vocab.total}). Add it to "
                    "teams=, or map the label with aliases={label: team}."
                )
        base_total = np.nan
        if "base_total" in by_field:
            parsed = _parse_number(row[by_field["base_total"]], whole=True)
            if parsed is None:
                raise cell_error(i, by_field["base_total"], row[by_field["base_total"]],
                                 "a whole number such as 1234 or 1.234")
            base_total = parsed
        row_base = base
        if "base" in by_field and str(row[by_field["base"]]).strip():
            row_base = str(row[by_field["base"]]).strip()
            if row_base not in BASES:
                raise cell_error(i, by_field["base"], row_base, f"one of {list(BASES)}")
        items: list[tuple[str, str, object, object]] = []
        if is_long:
            label = row[by_field["category"]]
            try:
                code = categorize(str(label))
            except DataValidationError as err:
                raise DataValidationError(
                    f"{path.name}, row {i + 2}, column {by_field['category']!r}: {err}"
                ) from None
            items.append((
                code, str(label),
                row[by_field["count"]] if "count" in by_field else None,
                row[share_col] if share_col is not None else None,
            ))
        else:
            for col, code in cat_cols.items():
                items.append((code, col, row[col], None))
        for code, label, count_raw, share_raw in items:
            count = np.nan
            if count_raw is not None:
                count = _parse_number(count_raw, whole=True)
                col = by_field.get("count", label)
                if count is None or (not np.isnan(count) and (count < 0 or not
                                                               float(count).is_integer())):
                    raise cell_error(i, col, count_raw,
                                     "a whole number >= 0 such as 1234 or 1.234")
            share = np.nan
            if share_raw is not None:
                share = _parse_number(share_raw, whole=False)
                if share is None:
                    raise cell_error(i, share_col, share_raw, "a share such as 0.12, 12% or 12,5")
                share = share / 100.0 if percent else share
                if not np.isnan(share) and not 0 <= share <= 1:
                    raise cell_error(i, share_col, share_raw, "a share between 0 and 100%")
            if np.isnan(count) and np.isnan(share):
                raise cell_error(i, by_field.get("count", label), count_raw,
                                 "a count or a share (the cell is empty)")
            records.append({
                "team": team_name, "period": period, "category": code,
                "original_label": label, "count": count, "share": share, "base": row_base,
                "base_total": base_total, "base_source_id": "", "unit": row_base,
                "source_id": "", "is_approximate": False, "is_lower_bound": False,
                "note": "", "data_kind": data_kind,
            })
    if not records:
        raise DataValidationError(f"{path.name}: the table has no data rows.")
    table = pd.DataFrame.from_records(records)
    freqs = {p.freqstr for p in table["period"]}
    if len(freqs) > 1:
        raise DataValidationError(
            f"{path.name}: periods mix years and months; use one resolution per file."
        )
    table["period"] = pd.PeriodIndex(list(table["period"]))
    dup = table.duplicated(["team", "period", "category", "base"], keep=False)
    if dup.any():
        first = table[dup].iloc[0]
        raise DataValidationError(
            f"{path.name}: {int(dup.sum())} rows repeat a team/period/category, e.g. "
            f"{first['team']} {first['period']} {first['category']} (labels "
            f"{sorted(table[dup & (table.category == first['category'])].original_label.unique())}"
            "). Two labels that map onto the same category must be summed in the source or "
            "kept in separate files."
        )
    table = table.sort_values(["team", "period", "category"], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs = {
        "kind": data_kind,
        "source": str(path),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if vocab is not None:
        table.attrs["teams"] = list(vocab.teams or sorted({*table["team"].astype(str)}
                                                           - {vocab.total}))
        table.attrs["total"] = vocab.total
    return validate_category_table(table, name=path.name)
