"""Read raw 1712 call-count tables into the canonical long frame, and back.

:func:`load_call_counts` reads a CSV or XLSX table of answered contacts per team and
month, in any of three layouts, and returns the canonical long frame of STYLE.md
section 4 (``team``, ``month``, ``calls``; optional ``channel``, ``category``,
``exposure``, ``kind``) with provenance in ``frame.attrs``:

``kind``
    ``"real"``, ``"synthetic"`` or ``"published"`` (validated).
``sha256``
    SHA-256 hex digest of the input file's bytes.
``source``
    The path as given (``str``).
``definition``
    What a count is (free text, :data:`DEFAULT_DEFINITION` unless given).

Layouts (detected from the header rows, see :func:`load_call_counts`):

long
    A header row naming the columns: team (``team``, ``ploeg``, ``provincie``, ...),
    month (``month``, ``maand``, ``periode``; optionally with a separate ``jaar``/``year``
    column), calls (``calls``, ``oproepen``, ``aantal``, ...) and optionally
    ``channel``/``kanaal``, ``category``/``categorie``/``probleem``, ``exposure`` and
    ``kind``. Every other column is an error (nothing is silently ignored).
wide, one row per month
    A header row of team names (a first label column of months).
wide, one row per team
    A header row of months (a first label column of team names). Several year blocks may
    be stacked in one sheet, separated by a blank row; month headers without a year
    (``januari``, ``feb``) take the year from the header's first cell (``2023``) or from a
    title row above the block (``Aantal oproepen 2023``).

Conventions (each also documented where it applies):

- Team names go through :data:`TEAM_ALIASES`, matched without regard to case, accents,
  punctuation and spaces, and with a leading ``CAW``/``provincie``/``team`` dropped.
- ``Totaal``/``Total``/``Vlaanderen``/``Flanders`` rows and columns
  (:data:`TOTAL_LABELS`) are checked against the sum they stand for and then dropped.
- Counts: ``1.234`` and ``1 234`` are 1234; ``12,0`` and ``12.0`` are 12; ``1,234`` is
  ambiguous and rejected; empty cells inside a series, negatives, fractions and text
  are errors. Zeros are data.
- In the wide layouts an empty cell before a team's first or after its last count means
  the team was not covered in that month (teams may cover different ranges); an empty
  cell in between is a missing month and an error.
- Text encodings: UTF-8 (with or without BOM), UTF-16 with BOM, then Windows-1252 (what
  Excel on Belgian Windows writes for "CSV (gescheiden door lijstscheidingsteken)") if
  the bytes decode cleanly without control characters. The separator is detected among
  ``;``, ``,``, tab and ``|`` (or read from an Excel ``sep=;`` first line).
- Row and column numbers in messages are those a spreadsheet program shows (row 1 is
  the first line of a CSV file; columns are lettered A, B, ...).
- A ``SHA256SUMS`` file next to the input (``sha256sum`` format) is checked when it
  lists the input.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import difflib
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impact.constants import FLANDERS, TEAMS
from impact.exceptions import DataValidationError
from impact.validate import (
    fold_text,
    format_list,
    format_month,
    gap_message,
    is_blank,
    missing_months,
    parse_count_value,
    parse_month_value,
    parse_number_text,
    parse_positive_float,
    validate_kind,
    validate_month,
    validate_panel,
    year_in_text,
)

__all__ = [
    "DEFAULT_DEFINITION",
    "TEAM_ALIASES",
    "TOTAL_LABELS",
    "aggregate_calls",
    "annual_totals",
    "canonical_team",
    "from_wide",
    "load_call_counts",
    "to_series",
    "to_wide",
    "write_call_counts",
]

#: Default ``frame.attrs["definition"]``: what one count stands for.
DEFAULT_DEFINITION: str = "answered contacts (phone+chat+e-mail) as given in the input"

#: Team-name variants (key) and the canonical team (value). Matching ignores case,
#: accents, punctuation and spaces ("West-Vl." == "west vl" == "WESTVL") and also tries
#: the name without a leading "CAW", "provincie", "prov." or "team". Brussels is served
#: by the Vlaams-Brabant team: only combined labels such as "Vlaams-Brabant en Brussel"
#: map to it; "Brussel" alone is not a team. Add entries here for new variants.
TEAM_ALIASES: dict[str, str] = {
    "Antwerpen": "Antwerpen",
    "Antwerp": "Antwerpen",
    "Anvers": "Antwerpen",
    "Antw.": "Antwerpen",
    "Ant": "Antwerpen",
    "A'pen": "Antwerpen",
    "Limburg": "Limburg",
    "Limbourg": "Limburg",
    "Limb.": "Limburg",
    "Lim": "Limburg",
    "Oost-Vlaanderen": "Oost-Vlaanderen",
    "East Flanders": "Oost-Vlaanderen",
    "Flandre orientale": "Oost-Vlaanderen",
    "Oost-Vl.": "Oost-Vlaanderen",
    "O-Vl": "Oost-Vlaanderen",
    "OVL": "Oost-Vlaanderen",
    "Vlaams-Brabant": "Vlaams-Brabant",
    "Flemish Brabant": "Vlaams-Brabant",
    "Brabant flamand": "Vlaams-Brabant",
    "Vl.-Brabant": "Vlaams-Brabant",
    "Vl-Br": "Vlaams-Brabant",
    "VB": "Vlaams-Brabant",
    "VBR": "Vlaams-Brabant",
    "Vlaams-Brabant en Brussel": "Vlaams-Brabant",
    "Vlaams-Brabant & Brussel": "Vlaams-Brabant",
    "Vlaams-Brabant/Brussel": "Vlaams-Brabant",
    "Vlaams-Brabant-Brussel": "Vlaams-Brabant",
    "Vlaams-Brabant en Brussels": "Vlaams-Brabant",
    "Flemish Brabant and Brussels": "Vlaams-Brabant",
    "Flemish Brabant & Brussels": "Vlaams-Brabant",
    "Brussel en Vlaams-Brabant": "Vlaams-Brabant",
    "Brussel-Vlaams-Brabant": "Vlaams-Brabant",
    "West-Vlaanderen": "West-Vlaanderen",
    "West Flanders": "West-Vlaanderen",
    "Flandre occidentale": "West-Vlaanderen",
    "West-Vl.": "West-Vlaanderen",
    "W-Vl": "West-Vlaanderen",
    "WVL": "West-Vlaanderen",
}

#: Labels of a Flanders-total row or column (matched like team names, digits ignored,
#: so "Totaal 2023" and "1712 totaal" count too). Totals are checked against the sum of
#: the cells they stand for, then dropped.
TOTAL_LABELS: tuple[str, ...] = (
    "Totaal",
    "Total",
    "Eindtotaal",
    "Grand total",
    "Som",
    "Sum",
    "Vlaanderen",
    "Flanders",
    "Totaal Vlaanderen",
    "Total Flanders",
    "Vlaanderen totaal",
    "Alle teams",
    "All teams",
    "Alle provincies",
    "All provinces",
)

_PREFIXES = ("caw", "provincie", "province", "prov", "team", "ploeg", "regio")

#: Header synonyms (matched on the alphanumeric fold) of the long layout's columns.
_ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "team": ("team", "ploeg", "provincie", "province", "regio", "region", "caw", "hulplijn",
             "helpline", "teamnaam", "provincieteam"),
    "month": ("month", "maand", "periode", "period", "datum", "date", "jaarmaand",
              "maandjaar", "yearmonth"),
    "year": ("year", "jaar"),
    "calls": ("calls", "oproepen", "aantal", "aantaloproepen", "count", "counts", "n",
              "contacten", "contacts", "aantalcontacten", "numberofcalls", "answeredcalls",
              "beantwoordeoproepen", "beantwoord", "answered"),
    "channel": ("channel", "kanaal"),
    "category": ("category", "categorie", "probleem", "problematiek", "thema", "problem",
                 "problemcategory", "probleemcategorie"),
    "exposure": ("exposure", "blootstelling"),
    "kind": ("kind", "datakind", "soortdata"),
}
_LONG_ROLES = {key: role for role, keys in _ROLE_SYNONYMS.items() for key in keys}
_SUPPORTED_TEXT = (".csv", ".tsv", ".txt")
_SUPPORTED_EXCEL = (".xlsx", ".xlsm")
_MAX_PROBLEMS = 15
_HEADER_SCAN_ROWS = 40


# --- team names ----------------------------------------------------------------------------


def _key(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", fold_text(text))


def _team_lookup() -> dict[str, str]:
    table = {_key(team): team for team in TEAMS}
    for alias, team in TEAM_ALIASES.items():
        table[_key(alias)] = team
    return table


def _lookup_team(name: object, table: dict[str, str]) -> str | None:
    if not isinstance(name, str):
        return None
    key = _key(name)
    if key in table:
        return table[key]
    words = fold_text(name).replace(".", " ").split()
    if len(words) > 1 and words[0] in _PREFIXES:
        return table.get(_key(" ".join(words[1:])))
    return None


def _total_key(text: object) -> str:
    return re.sub(r"\d", "", _key(text))


_TOTAL_KEYS = frozenset(_total_key(label) for label in TOTAL_LABELS)


def _is_total(value: object) -> bool:
    if not isinstance(value, str) or is_blank(value):
        return False
    return _total_key(value) in _TOTAL_KEYS


def _unknown_team_message(name: object) -> str:
    text = f"unknown team {name!r}; known teams are {', '.join(TEAMS)}"
    key = _key(name)
    if key in ("brussel", "brussels", "bruxelles", "cawbrussel"):
        text += (
            ". Brussels is served by the Vlaams-Brabant team: write 'Vlaams-Brabant' or "
            "'Vlaams-Brabant en Brussel'"
        )
    elif _is_total(name):
        text += f". {name!r} is a total (Flanders), not a team"
    else:
        close = difflib.get_close_matches(key, list(_team_lookup()), n=1, cutoff=0.75)
        if close:
            text += f". Did you mean {_team_lookup()[close[0]]!r}?"
        text += ". Fix the name or add the variant to impact.data.TEAM_ALIASES"
    return text


def canonical_team(name: object) -> str:
    """Return the canonical team name for a variant such as ``"CAW West-Vl."``.

    Parameters
    ----------
    name : str
        A team name or variant listed in :data:`TEAM_ALIASES` (matching ignores case,
        accents, punctuation, spaces and a leading ``CAW``/``provincie``/``team``).

    Returns
    -------
    str
        One of :data:`impact.constants.TEAMS`.

    Raises
    ------
    DataValidationError
        For unknown names (including ``"Brussel"`` alone and total labels such as
        ``"Vlaanderen"``), listing the known teams.

    Examples
    --------
    >>> canonical_team("W-Vl"), canonical_team("Vlaams-Brabant en Brussel")
    ('West-Vlaanderen', 'Vlaams-Brabant')
    """
    team = _lookup_team(name, _team_lookup())
    if team is None:
        raise DataValidationError(_unknown_team_message(name) + ".")
    return team


# --- reading files into a grid of cells ----------------------------------------------------


@dataclasses.dataclass
class _Grid:
    """Cells of one table (CSV file or worksheet) with the numbers the user sees."""

    source: str
    cells: list[list[object]]
    merged: dict[tuple[int, int], object] = dataclasses.field(default_factory=dict)

    def value(self, r: int, c: int) -> object:
        row = self.cells[r]
        return row[c] if c < len(row) else None

    def label(self, r: int, c: int) -> object:
        """Cell value, or the value of the merged range the cell belongs to."""
        value = self.value(r, c)
        return self.merged.get((r, c), value) if is_blank(value) else value

    def is_blank_row(self, r: int) -> bool:
        return all(is_blank(v) for v in self.cells[r])

    def nonblank(self, r: int) -> list[int]:
        return [c for c, v in enumerate(self.cells[r]) if not is_blank(v)]


def _col(c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _at(r: int, c: int | None = None, header: object = None) -> str:
    text = f"row {r + 1}"
    if c is not None:
        text += f", column {_col(c)}"
        if not is_blank(header):
            text += f" ({str(header).strip()!r})"
    return text


def _decode(data: bytes, source: str) -> str:
    advice = (
        "Save the table again as 'CSV UTF-8 (comma delimited)' (Excel: File > Save As) or "
        "load the .xlsx file directly."
    )
    if data.startswith(b"PK\x03\x04"):
        raise DataValidationError(
            f"{source}: this is an Excel (.xlsx) workbook, not a text CSV file; rename it "
            "to .xlsx or export it as CSV."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataValidationError(
                f"{source}: cannot decode the file as UTF-16 ({exc.reason} at byte "
                f"{exc.start}). {advice}"
            ) from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as utf8_error:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise DataValidationError(
                    f"{source}: unreadable text encoding: the bytes are neither UTF-8 "
                    f"(invalid byte 0x{data[utf8_error.start]:02x} at offset "
                    f"{utf8_error.start}) nor Windows-1252 (byte 0x{data[exc.start]:02x} at "
                    f"offset {exc.start}). {advice}"
                ) from exc
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    if bad:
        raise DataValidationError(
            f"{source}: unreadable text encoding: control character 0x{ord(bad.group()):02x} "
            f"at character {bad.start()} (a binary file or UTF-16 without BOM?). {advice}"
        )
    return text


def _split_csv(text: str, source: str) -> list[list[object]]:
    lines = text.splitlines()
    first = lines[0].strip() if lines else ""
    skip_first = False
    match = re.fullmatch(r'"?sep=(.)"?', first)
    if match:
        delimiters = [match.group(1)]
        skip_first = True
    else:
        delimiters = [";", ",", "\t", "|"]
    best: tuple[int, int] = (-1, -1)
    rows: list[list[str]] = []
    for delim in delimiters:
        try:
            parsed = list(csv.reader(io.StringIO(text), delimiter=delim))
        except csv.Error as exc:
            raise DataValidationError(f"{source}: malformed CSV ({exc}).") from exc
        body = parsed[1:] if skip_first else parsed
        widths = [len(r) for r in body if any(cell.strip() for cell in r)]
        if not widths:
            score: tuple[int, int] = (0, 0)
        else:
            mode = max(set(widths), key=lambda w: (widths.count(w), w))
            score = (widths.count(mode), mode) if mode > 1 else (0, 0)
        if score > best:
            best, rows = score, parsed
    cells: list[list[object]] = []
    for i, row in enumerate(rows):
        if skip_first and i == 0:
            cells.append([])
            continue
        cells.append([None if not cell.strip() else cell.strip() for cell in row])
    return cells


def _read_xlsx(data: bytes, source: str, sheet: str | int | None) -> _Grid:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise DataValidationError(
            f"{source}: cannot read the file as an Excel workbook ({type(exc).__name__}: "
            f"{exc}). Open it in Excel or LibreOffice and save it as .xlsx (not password "
            "protected), or export the table as CSV."
        ) from exc
    names = list(book.sheetnames)
    if sheet is None:
        used = [n for n in names if any(
            not is_blank(v) for row in book[n].iter_rows(values_only=True) for v in row
        )]
        if not used:
            raise DataValidationError(f"{source}: the workbook is empty (no cell has a value).")
        if len(used) > 1:
            raise DataValidationError(
                f"{source}: the workbook has {len(used)} sheets with data "
                f"({', '.join(repr(n) for n in used)}); pass sheet='<name>' to choose one."
            )
        name = used[0]
    elif isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(names):
            raise DataValidationError(
                f"{source}: sheet={sheet} is out of range; the workbook has sheets "
                f"{', '.join(repr(n) for n in names)} (numbered from 0)."
            )
        name = names[sheet]
    elif isinstance(sheet, str) and sheet in names:
        name = sheet
    else:
        raise DataValidationError(
            f"{source}: no sheet {sheet!r}; the workbook has sheets "
            f"{', '.join(repr(n) for n in names)}."
        )
    ws, wf = book[name], formulas[name]
    where = f"{source}, sheet {name!r}"
    cells: list[list[object]] = []
    problems = []
    for r, row in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True)):
        out: list[object] = []
        for c, value in enumerate(row):
            if isinstance(value, str):
                value = value.strip() or None
            if value is None:
                formula = wf.cell(row=r + 1, column=c + 1).value
                if formula is not None and not is_blank(formula):
                    problems.append(
                        f"cell {_col(c)}{r + 1} holds a formula ({str(formula)[:40]}) without "
                        "a saved result"
                    )
            out.append(value)
        cells.append(out)
    if problems:
        raise DataValidationError(
            f"{where}: {format_list(problems, 5)}. Open the file in Excel or LibreOffice and "
            "save it again so the results are stored, or paste the values."
        )
    merged: dict[tuple[int, int], object] = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(row=rng.min_row, column=rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    merged[(r - 1, c - 1)] = top
    return _Grid(where, cells, merged)


# --- problems ------------------------------------------------------------------------------


class _Problems:
    """Collects located problems and raises them together."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []
        self.unknown: dict[str, tuple[object, list[str]]] = {}
        self.frequency: list[str] = []

    def add(self, text: str) -> None:
        self.items.append(text)

    def unknown_team(self, name: object, where: str) -> None:
        self.unknown.setdefault(repr(name), (name, []))[1].append(where)

    def wrong_frequency(self, where: str, detail: str) -> None:
        self.frequency.append(f"{where}: {detail}")

    def __bool__(self) -> bool:
        return bool(self.items or self.unknown or self.frequency)

    def raise_if_any(self) -> None:
        if not self:
            return
        items = list(self.items)
        for name, places in self.unknown.values():
            text = _unknown_team_message(name)
            items.insert(0, f"{format_list(places, 4)}: {text}")
        if self.frequency:
            items.insert(
                0,
                "mixed frequencies: these labels are not calendar months ("
                + format_list(self.frequency, 6)
                + "); every row must be one calendar month such as '2023-04' or "
                "'april 2023'. Split or remove the yearly, quarterly or daily rows",
            )
        shown = items[:_MAX_PROBLEMS]
        more = len(items) - len(shown)
        head = f"{self.source}: {len(items)} problem{'s' if len(items) != 1 else ''} found"
        body = "\n".join(f"  - {item}" for item in shown)
        tail = f"\n  ... and {more} more" if more else ""
        raise DataValidationError(f"{head}:\n{body}{tail}")


# --- records -------------------------------------------------------------------------------


@dataclasses.dataclass
class _Record:
    team: str
    month: pd.Period
    calls: int
    where: str
    channel: str | None = None
    category: str | None = None
    exposure: float | None = None

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.team, self.month, self.channel, self.category)


@dataclasses.dataclass
class _Parsed:
    records: list[_Record] = dataclasses.field(default_factory=list)
    blanks: dict[tuple[str, pd.Period], str] = dataclasses.field(default_factory=dict)
    columns: set[str] = dataclasses.field(default_factory=set)
    file_kind: str | None = None
    layout: str = ""
    seen: dict[str, str] = dataclasses.field(default_factory=dict)


def _month_or_problem(
    value: object, year: int | None, where: str, problems: _Problems, *, year_hint: str
) -> pd.Period | None:
    """Parse a month label (using ``year`` for labels without one) or record a problem."""
    parsed = parse_month_value(value)
    if parsed.kind == "month" and parsed.period is not None:
        if year is not None and parsed.period.year != year:
            problems.add(
                f"{where}: month {format_month(parsed.period)} does not lie in year {year} "
                "given for it; fix the month or the year"
            )
            return None
        return parsed.period
    if parsed.kind == "month_no_year" and parsed.month_number is not None:
        if year is None:
            problems.add(f"{where}: month {value!r} has no year; {year_hint}")
            return None
        return pd.Period(year=year, month=parsed.month_number, freq="M")
    if parsed.kind in ("year", "quarter", "week", "day"):
        problems.wrong_frequency(where, parsed.detail)
    elif parsed.kind == "empty":
        problems.add(f"{where}: the month is empty; every row needs a month")
    else:
        problems.add(f"{where}: {parsed.detail}")
    return None


def _count_or_problem(value: object, where: str, problems: _Problems) -> int | None:
    count, reason = parse_count_value(value)
    if count is None:
        problems.add(f"{where}: {reason}")
    return count


# --- long layout ---------------------------------------------------------------------------


def _long_roles(grid: _Grid, r: int) -> dict[int, str | None]:
    return {
        c: _LONG_ROLES.get(_key(v)) if isinstance(v, str) else None
        for c, v in enumerate(grid.cells[r]) if not is_blank(v)
    }


def _is_long_header(grid: _Grid, r: int, teams: dict[str, str]) -> bool:
    roles = set(_long_roles(grid, r).values())
    core = ("team" in roles, "month" in roles or "year" in roles, "calls" in roles)
    has_team_name = any(_lookup_team(v, teams) for v in grid.cells[r])
    return sum(core) >= 2 and not has_team_name


def _parse_long(grid: _Grid, h: int, kind: str, problems: _Problems) -> _Parsed:
    out = _Parsed(layout="long")
    teams = _team_lookup()
    header = grid.cells[h]
    cols: dict[str, int] = {}
    for c, role in _long_roles(grid, h).items():
        name = str(header[c]).strip()
        if role is None:
            problems.add(
                f"{_at(h, c, name)}: column {name!r} is not recognised; a long table has "
                "columns team, month, calls (optional: year, channel, category, exposure, "
                "kind). Delete or rename the column"
            )
        elif role in cols:
            problems.add(
                f"row {h + 1}: two columns for {role!r} ({_col(cols[role])} "
                f"{str(header[cols[role]]).strip()!r} and {_col(c)} {name!r}); keep one"
            )
        else:
            cols[role] = c
    missing = [role for role in ("team", "month", "calls") if role not in cols]
    if missing:
        accepted = "; ".join(
            f"for {role!r}: {', '.join(_ROLE_SYNONYMS[role][:6])}" for role in missing
        )
        found = ", ".join(repr(str(v).strip()) for v in header if not is_blank(v))
        problems.add(
            f"header row {h + 1}: missing required column "
            f"{', '.join(repr(m) for m in missing)} (accepted names {accepted}); found "
            f"columns {found}. Add the column or rename its header"
        )
        problems.raise_if_any()
    out.columns = {role for role in cols if role in ("channel", "category", "exposure")}

    def hdr(role: str) -> object:
        return header[cols[role]]

    team_totals: list[tuple[tuple[Any, ...], int, str]] = []
    month_totals: list[tuple[str | None, int | None, int, str]] = []
    kinds: set[str] = set()
    for r in range(h + 1, len(grid.cells)):
        if grid.is_blank_row(r):
            continue
        team_cell = grid.label(r, cols["team"])
        month_cell = grid.label(r, cols["month"])
        year = None
        if "year" in cols:
            year_cell = grid.label(r, cols["year"])
            year = year_in_text(year_cell)
            if year is None and not _is_total(month_cell):
                problems.add(
                    f"{_at(r, cols['year'], hdr('year'))}: {year_cell!r} is not a year "
                    "(expected e.g. 2023)"
                )
                continue
        where = _at(r)
        calls = _count_or_problem(
            grid.value(r, cols["calls"]), _at(r, cols["calls"], hdr("calls")), problems
        )
        extra: dict[str, Any] = {}
        for role in ("channel", "category"):
            if role in cols:
                value = grid.label(r, cols[role])
                if is_blank(value):
                    problems.add(f"{_at(r, cols[role], hdr(role))}: the {role} is empty")
                else:
                    extra[role] = str(value).strip()
        if "exposure" in cols:
            exposure, reason = parse_positive_float(grid.value(r, cols["exposure"]))
            if exposure is None:
                problems.add(f"{_at(r, cols['exposure'], hdr('exposure'))}: {reason}")
            extra["exposure"] = exposure
        if "kind" in cols:
            kinds.add(str(grid.label(r, cols["kind"])).strip())
        if _is_total(team_cell) and _is_total(month_cell):
            if calls is not None:
                month_totals.append((None, year_in_text(month_cell) or year, calls, where))
            continue
        if _is_total(team_cell):
            month = _month_or_problem(
                month_cell, year, _at(r, cols["month"], hdr("month")), problems,
                year_hint="add a year column or write e.g. 'januari 2023'",
            )
            if month is not None and calls is not None:
                key = (month, extra.get("channel"), extra.get("category"))
                team_totals.append((key, calls, f"{where} ({str(team_cell).strip()!r})"))
            continue
        team = _lookup_team(team_cell, teams)
        if team is None:
            if is_blank(team_cell):
                problems.add(f"{_at(r, cols['team'], hdr('team'))}: the team is empty")
            else:
                problems.unknown_team(team_cell, _at(r, cols["team"], hdr("team")))
            continue
        if _is_total(month_cell):
            if calls is not None:
                month_totals.append((team, year_in_text(month_cell) or year, calls, where))
            continue
        month = _month_or_problem(
            month_cell, year, _at(r, cols["month"], hdr("month")), problems,
            year_hint="add a year column or write e.g. 'januari 2023'",
        )
        if month is None or calls is None or ("exposure" in cols and extra["exposure"] is None):
            continue
        out.records.append(_Record(team, month, calls, where, **extra))
    if kinds:
        if len(kinds) > 1 or kinds != {kind}:
            problems.add(
                f"column {_col(cols['kind'])} ('kind') says {', '.join(sorted(kinds))} but "
                f"kind={kind!r} was requested; load the file with the kind it declares "
                "(synthetic data must never pass as real)"
            )
        out.file_kind = kind
    _check_long_totals(out.records, team_totals, month_totals, problems)
    return out


def _check_long_totals(
    records: list[_Record],
    team_totals: list[tuple[tuple[Any, ...], int, str]],
    month_totals: list[tuple[str | None, int | None, int, str]],
    problems: _Problems,
) -> None:
    by_key: dict[tuple[Any, ...], int] = defaultdict(int)
    for rec in records:
        by_key[(rec.month, rec.channel, rec.category)] += rec.calls
    for key, value, where in team_totals:
        expected = by_key.get(key, 0)
        if value != expected:
            problems.add(
                f"{where}: total {value} for {format_month(key[0])} does not match the sum "
                f"of the teams, {expected}; correct the total or the team counts, or delete "
                "the total row"
            )
    for team, year, value, where in month_totals:
        expected = sum(
            rec.calls for rec in records
            if (team is None or rec.team == team) and (year is None or rec.month.year == year)
        )
        if value != expected:
            span = f"in {year}" if year is not None else "over all months"
            whose = "all teams" if team is None else f"team {team!r}"
            problems.add(
                f"{where}: total {value} for {whose} does not match the sum of the months "
                f"{span}, {expected}; correct the total or delete the row"
            )


# --- wide layouts --------------------------------------------------------------------------


def _team_header(grid: _Grid, r: int, label_col: int, teams: dict[str, str]) -> bool:
    """A row of team names (wide layout with one row per month)."""
    cells = [(c, grid.label(r, c)) for c in grid.nonblank(r)]
    after = [(c, v) for c, v in cells if c > label_col]
    if not after or not all(isinstance(v, str) for _, v in after):
        return False
    n_teams = sum(_lookup_team(v, teams) is not None for _, v in after)
    n_other = sum(
        _lookup_team(v, teams) is None and not _is_total(v) and _LONG_ROLES.get(_key(v)) is None
        for _, v in after
    )
    return n_teams >= 2 or (n_teams == 1 and n_other == 0)


def _month_header(grid: _Grid, r: int, label_col: int) -> bool:
    """A row of month labels (wide layout with one row per team)."""
    after = [grid.label(r, c) for c in grid.nonblank(r) if c > label_col]
    if len(after) < 2:
        return False
    if any(not isinstance(v, str | _dt.date) for v in after):
        return False
    if any(isinstance(v, str) and isinstance(parse_number_text(v), float) for v in after):
        return False  # a data row of a CSV file (numbers as text)
    n_months = sum(parse_month_value(v).kind in ("month", "month_no_year") for v in after)
    return n_months >= 2


def _block_year(grid: _Grid, h: int, label_col: int, title_year: int | None) -> int | None:
    year = year_in_text(grid.label(h, label_col))
    return year if year is not None else title_year


def _parse_wide(
    grid: _Grid, first: int, label_col: int, by_month: bool, problems: _Problems
) -> _Parsed:
    """Parse all blocks of a wide table (``by_month``: one row per month)."""
    out = _Parsed(layout="wide, one row per month" if by_month else "wide, one row per team")
    teams = _team_lookup()
    title_year: int | None = None
    r = first
    n = len(grid.cells)
    while r < n:
        if grid.is_blank_row(r):
            r += 1
            continue
        is_header = (
            _team_header(grid, r, label_col, teams) if by_month
            else _month_header(grid, r, label_col)
        )
        if is_header:
            year = _block_year(grid, r, label_col, title_year)
            parse = _parse_block_by_month if by_month else _parse_block_by_team
            r = parse(grid, r, label_col, year, teams, out, problems)
            title_year = None
            continue
        filled = grid.nonblank(r)
        numbers = [c for c in filled if _is_number(grid.value(r, c))
                   and year_in_text(grid.value(r, c)) is None]
        if not numbers:  # a title or note; a single year in it dates the next block
            years = {year_in_text(grid.value(r, c)) for c in filled} - {None}
            title_year = years.pop() if len(years) == 1 else title_year
        else:
            problems.add(
                f"row {r + 1}: values outside any table block (no header row of "
                f"{'team names' if by_month else 'months'} above it, or a blank row "
                "splits the table); remove the row or add the header"
            )
        r += 1
    return out


def _add_cell(
    team: str, month: pd.Period, grid: _Grid, r: int, c: int, where: str, out: _Parsed,
    problems: _Problems,
) -> int | None:
    """Record one count cell; return its value (0 for an empty cell, None if invalid)."""
    value = grid.value(r, c)
    if is_blank(value):
        if (r, c) in grid.merged:
            problems.add(f"{where}: count cell is part of a merged range; unmerge the cells")
            return None
        out.blanks.setdefault((team, month), where)
        return 0
    count = _count_or_problem(value, where, problems)
    if count is not None:
        out.records.append(_Record(team, month, count, where))
    return count


def _compare_total(
    value: object, parts: Sequence[int | None], where: str, what: str, problems: _Problems
) -> int | None:
    """Check a total cell against the sum of ``parts`` (skipped if a part is invalid).

    Returns the total (``None`` for an empty or invalid cell).
    """
    if is_blank(value):
        return None
    total = _count_or_problem(value, where, problems)
    if total is None or any(p is None for p in parts):
        return total
    expected = sum(p for p in parts if p is not None)
    if total != expected:
        problems.add(
            f"{where}: total {total} does not match the sum of {what}, {expected}; correct "
            "the total or the counts, or delete the total"
        )
    return total


def _implied(total: int | None, parts: Sequence[int | None]) -> int | None:
    """A total cell's value for a grand-total check: the cell, or the sum it stands for."""
    if total is not None:
        return total
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def _parse_block_by_month(
    grid: _Grid, h: int, label_col: int, year: int | None, teams: dict[str, str],
    out: _Parsed, problems: _Problems,
) -> int:
    """Block with a header row of teams and one row per month; return the next row."""
    header = grid.cells[h]
    label_cols = [label_col]
    while (label_cols[-1] + 1 < len(header)
           and _LONG_ROLES.get(_key(grid.label(h, label_cols[-1] + 1))) in ("year", "month")):
        label_cols.append(label_cols[-1] + 1)
    year_cols = [c for c in label_cols if _LONG_ROLES.get(_key(grid.label(h, c))) == "year"]
    year_col = year_cols[0] if year_cols else None
    month_col = [c for c in label_cols if c != year_col][-1] if len(label_cols) > 1 else label_col
    team_cols: dict[int, str] = {}
    total_cols: list[int] = []
    for c in range(label_cols[-1] + 1, len(header)):
        value = grid.label(h, c)
        if is_blank(value):
            continue
        team = _lookup_team(value, teams)
        if team is not None:
            if team in team_cols.values():
                problems.add(f"{_at(h, c, value)}: team {team!r} has two columns; keep one")
            team_cols[c] = team
            out.seen.setdefault(team, _at(h, c, value))
        elif _is_total(value):
            total_cols.append(c)
        else:
            problems.unknown_team(value, _at(h, c))
    hint = (f"put the year in cell {_col(label_col)}{h + 1} or in a title row above the "
            "block, or write e.g. 'januari 2023'")
    column_parts: dict[int, list[int | None]] = defaultdict(list)
    r = h + 1
    while r < len(grid.cells) and not grid.is_blank_row(r):
        if _team_header(grid, r, label_col, teams):
            break
        label = grid.label(r, month_col)
        others = [c for c in grid.nonblank(r) if c not in label_cols]
        if _is_total(label):
            for c in [*team_cols, *total_cols]:
                what = (f"the block's months for {team_cols[c]}" if c in team_cols
                        else "the block's monthly totals")
                _compare_total(grid.value(r, c), column_parts[c], _at(r, c, header[c]), what,
                               problems)
            r += 1
            continue
        if not others and parse_month_value(label).kind == "unparseable":
            break  # a note below the table
        row_year = year
        if year_col is not None:
            row_year = year_in_text(grid.label(r, year_col)) or year
        month = _month_or_problem(label, row_year, _at(r, month_col, label), problems,
                                  year_hint=hint)
        for c in others:
            if c not in team_cols and c not in total_cols and is_blank(grid.label(h, c)):
                problems.add(f"{_at(r, c)}: value {grid.value(r, c)!r} in a column without a "
                             "team header; add the header or delete the value")
        if month is None:
            r += 1
            continue
        parts = []
        for c, team in team_cols.items():
            part = _add_cell(team, month, grid, r, c, _at(r, c, header[c]), out, problems)
            parts.append(part)
            column_parts[c].append(part)
        for c in total_cols:
            total = _compare_total(grid.value(r, c), parts, _at(r, c, header[c]),
                                   f"the teams for {format_month(month)}", problems)
            column_parts[c].append(_implied(total, parts))
        r += 1
    return r


def _parse_block_by_team(
    grid: _Grid, h: int, label_col: int, year: int | None, teams: dict[str, str],
    out: _Parsed, problems: _Problems,
) -> int:
    """Block with a header row of months and one row per team; return the next row."""
    header = grid.cells[h]
    month_cols: dict[int, pd.Period] = {}
    total_cols: list[int] = []
    hint = (f"put the year in cell {_col(label_col)}{h + 1} or in a title row above the "
            "block, or use headers like 'jan 2023'")
    for c in range(label_col + 1, len(header)):
        value = grid.label(h, c)
        if is_blank(value):
            continue
        if _is_total(value):
            total_cols.append(c)
            continue
        month = _month_or_problem(value, None if _has_year(value) else year,
                                  _at(h, c, value), problems, year_hint=hint)
        if month is not None:
            if month in month_cols.values():
                problems.add(f"{_at(h, c, value)}: month {format_month(month)} has two "
                             "columns; keep one")
            month_cols[c] = month
    column_parts: dict[int, list[int | None]] = defaultdict(list)
    r = h + 1
    while r < len(grid.cells) and not grid.is_blank_row(r):
        if _month_header(grid, r, label_col):
            break
        label = grid.label(r, label_col)
        others = [c for c in grid.nonblank(r) if c != label_col]
        if _is_total(label):
            for c in [*month_cols, *total_cols]:
                what = (f"the teams for {format_month(month_cols[c])}" if c in month_cols
                        else "the teams' totals")
                _compare_total(grid.value(r, c), column_parts[c], _at(r, c, header[c]), what,
                               problems)
            r += 1
            continue
        team = _lookup_team(label, teams)
        if team is None:
            if not others and isinstance(label, str):
                break  # a note below the table
            if is_blank(label):
                problems.add(f"{_at(r, label_col)}: counts without a team name; add the team")
            else:
                problems.unknown_team(label, _at(r, label_col))
            r += 1
            continue
        out.seen.setdefault(team, _at(r, label_col, label))
        for c in others:
            if c not in month_cols and c not in total_cols and is_blank(grid.label(h, c)):
                problems.add(f"{_at(r, c)}: value {grid.value(r, c)!r} in a column without a "
                             "month header; add the header or delete the value")
        parts = []
        for c, month in month_cols.items():
            part = _add_cell(team, month, grid, r, c, _at(r, c, header[c]), out, problems)
            parts.append(part)
            column_parts[c].append(part)
        for c in total_cols:
            total = _compare_total(grid.value(r, c), parts, _at(r, c, header[c]),
                                   f"the months of team {team!r}", problems)
            column_parts[c].append(_implied(total, parts))
        r += 1
    return r


def _is_number(value: object) -> bool:
    """Whether a cell holds a number (also as text, as in CSV files)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and isinstance(parse_number_text(value), float)


def _has_year(value: object) -> bool:
    parsed = parse_month_value(value)
    return parsed.kind == "month"


# --- layout detection and the loader --------------------------------------------------------


def _parse_grid(grid: _Grid, kind: str) -> _Parsed:
    problems = _Problems(grid.source)
    filled_cols = [c for r in range(len(grid.cells)) for c in grid.nonblank(r)]
    if not filled_cols:
        raise DataValidationError(f"{grid.source}: the file is empty (no cell has a value).")
    label_col = min(filled_cols)
    teams = _team_lookup()
    for r in range(min(len(grid.cells), _HEADER_SCAN_ROWS)):
        if grid.is_blank_row(r):
            continue
        if _is_long_header(grid, r, teams):
            for above in range(r):
                filled = grid.nonblank(above)
                if len(filled) > 1 and any(_is_number(grid.value(above, c))
                                           and year_in_text(grid.value(above, c)) is None
                                           for c in filled):
                    problems.add(f"row {above + 1}: values above the header row {r + 1}; "
                                 "move them into the table or delete them")
            parsed = _parse_long(grid, r, kind, problems)
        elif _team_header(grid, r, label_col, teams) or _month_header(grid, r, label_col):
            # the table's label column: the first used column from the header down (a
            # title above the table may start further left)
            table_col = min(c for rr in range(r, len(grid.cells)) for c in grid.nonblank(rr))
            by_month = _team_header(grid, r, label_col, teams)
            parsed = _parse_wide(grid, 0, table_col, by_month, problems)
        else:
            continue
        problems.raise_if_any()
        if not parsed.records:
            raise DataValidationError(
                f"{grid.source}: header found at row {r + 1} but no counts below it; add the "
                "data rows."
            )
        return parsed
    for r in range(min(len(grid.cells), _HEADER_SCAN_ROWS)):
        kinds = [parse_month_value(v).kind for v in grid.cells[r] if isinstance(v, str)]
        kinds += ["year" for v in grid.cells[r][1:] if isinstance(v, int) and 1900 <= v <= 2100]
        coarse = [k for k in kinds if k in ("year", "quarter", "week", "day")]
        if len(coarse) >= 2:
            raise DataValidationError(
                f"{grid.source}: row {r + 1} looks like a header of {coarse[0]}s, not months "
                "(mixed frequencies / not monthly data); impact needs one count per team "
                "and calendar month."
            )
    width = max(len(row) for row in grid.cells)
    first = next(r for r in range(len(grid.cells)) if not grid.is_blank_row(r))
    shown = ", ".join(repr(str(v)) for v in grid.cells[first] if not is_blank(v))[:200]
    single = (" Only one column was found: is the separator a semicolon, comma or tab?"
              if width == 1 else "")
    raise DataValidationError(
        f"{grid.source}: layout not recognised in the first {_HEADER_SCAN_ROWS} rows: no "
        "header row with team, month and calls columns (long layout), no row of team names "
        "(one row per month) and no row of months (one row per team). First non-empty row "
        f"{first + 1}: {shown}.{single} Add a header row such as 'team,month,calls'; month "
        "headers must be month names or dates ('jan 2023', '2023-01'), not bare numbers."
    )


def _final_checks(parsed: _Parsed, problems: _Problems) -> None:
    current = pd.Timestamp.today().to_period("M")
    future = [f"{rec.team} {format_month(rec.month)} ({rec.where})"
              for rec in parsed.records if rec.month > current]
    if future:
        problems.add(
            f"months in the future (after the current month {format_month(current)}): "
            f"{format_list(future, 6)}; fix the year, or leave cells of months that have "
            "not happened empty"
        )
    seen: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for rec in parsed.records:
        seen[rec.key].append(rec.where)
    for key, places in seen.items():
        if len(places) > 1:
            label = " ".join(str(k) for k in (key[0], format_month(key[1]), *key[2:]) if k)
            problems.add(
                f"duplicate team-month {label}: {' and '.join(places)}; keep one row per "
                "team and month (sum them if they are parts of the same month)"
            )
    by_team: dict[str, set[pd.Period]] = defaultdict(set)
    for rec in parsed.records:
        by_team[rec.team].add(rec.month)
    for team, where in parsed.seen.items():
        if team not in by_team:
            problems.add(
                f"{where}: team {team!r} has no counts (every cell empty); fill in its "
                "counts (0 where the line was open without calls) or delete it"
            )
    for team in TEAMS:
        if team not in by_team:
            continue
        gaps = missing_months(by_team[team])
        if gaps:
            text = gap_message(f"team {team!r}", gaps)
            empty = [parsed.blanks[(team, m)] for m in gaps if (team, m) in parsed.blanks]
            if empty:
                text += f" (empty cells at {format_list(empty, 4)})"
            problems.add(text)


def _verify_checksum(path: Path, digest: str) -> None:
    sums = path.parent / "SHA256SUMS"
    if not sums.is_file():
        return
    for line in sums.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.strip().split(maxsplit=1)
        if len(parts) == 2 and parts[1].lstrip("*").strip() == path.name:
            if parts[0].lower() != digest:
                raise DataValidationError(
                    f"file {str(path)!r}: SHA-256 {digest} does not match {parts[0]} listed in "
                    f"{sums}; the raw file changed since it was registered. Restore the "
                    "original, or update SHA256SUMS on purpose and record why."
                )
            return


def load_call_counts(
    path: str | Path,
    *,
    kind: str = "real",
    sheet: str | int | None = None,
    definition: str = DEFAULT_DEFINITION,
    verify_checksum: bool = True,
) -> pd.DataFrame:
    """Read a table of calls per team and month into the canonical long frame.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (also ``.tsv``/``.txt``) or ``.xlsx`` file, opened read-only. Long
        layout (``team, month, calls``) or one of the two wide layouts; see the module
        docstring for the accepted headers, month labels, number formats, total rows
        and encodings.
    kind : {"real", "synthetic", "published"}, default "real"
        Data kind recorded in ``attrs["kind"]``. A ``kind`` column in the file must
        agree with it.
    sheet : str or int, optional
        Worksheet of an XLSX file (name, or position from 0). Default: the only sheet
        that holds data.
    definition : str, default :data:`DEFAULT_DEFINITION`
        What one count stands for, recorded in ``attrs["definition"]``.
    verify_checksum : bool, default True
        Check the file against a ``SHA256SUMS`` file in its folder when it lists it.

    Returns
    -------
    pandas.DataFrame
        Columns ``team`` (canonical name), ``month`` (``period[M]``), ``calls``
        (``int64`` >= 0), plus ``channel``/``category``/``exposure``/``kind`` when the
        file has them; one row per team-month (per team, month, channel and category
        when those are present), sorted. ``attrs``: ``kind``, ``sha256``, ``source``,
        ``definition``.

    Raises
    ------
    DataValidationError
        For every problem in the file, all listed at once where possible, each with
        its place (file, sheet, row, column, team, month) and how to fix it: file not
        found, empty file, unreadable encoding, unrecognised layout, missing or unknown
        columns, unknown teams, unparseable or non-monthly labels (mixed frequencies),
        months in the future, negative, fractional, empty or non-numeric counts,
        mismatching total rows or columns, duplicate team-months, and missing months
        inside a team's range (teams may cover different ranges).

    See Also
    --------
    aggregate_calls : Sum over channel and category.
    to_series : One team's (or Flanders') monthly series.
    write_call_counts : The inverse, for round-trips.

    Notes
    -----
    Nothing is filled or dropped silently: the only cells left out are total rows and
    columns (after they are checked), empty cells outside a team's covered range in the
    wide layouts, and title or note rows outside the table.
    """
    kind = validate_kind(kind)
    file = Path(path)
    source = f"file {str(path)!r}"
    if not file.exists():
        raise DataValidationError(
            f"file not found: {str(path)!r} (looked in {file.resolve().parent}); check the "
            "path and the working directory. Real extracts belong in data/raw/."
        )
    if not file.is_file():
        raise DataValidationError(f"{source} is not a file (a folder?); pass the table's path.")
    suffix = file.suffix.lower()
    if suffix not in _SUPPORTED_TEXT + _SUPPORTED_EXCEL:
        raise DataValidationError(
            f"{source}: unsupported file type {suffix or '(none)'!r}; save the table as .xlsx "
            "or .csv (old .xls and .ods files: open them and save as .xlsx)."
        )
    with file.open("rb") as handle:  # read-only: raw inputs are never modified
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest()
    if verify_checksum:
        _verify_checksum(file, digest)
    if not data.strip():
        raise DataValidationError(f"{source} is empty (0 bytes of data); export the table again.")
    if suffix in _SUPPORTED_EXCEL:
        grid = _read_xlsx(data, source, sheet)
    else:
        if sheet is not None:
            raise DataValidationError(f"{source}: sheet={sheet!r} only applies to .xlsx files.")
        grid = _Grid(source, _split_csv(_decode(data, source), source))
    parsed = _parse_grid(grid, kind)
    problems = _Problems(grid.source)
    _final_checks(parsed, problems)
    problems.raise_if_any()

    columns: dict[str, Any] = {
        "team": [rec.team for rec in parsed.records],
        "month": pd.PeriodIndex([rec.month for rec in parsed.records], freq="M"),
    }
    for col in ("channel", "category"):
        if col in parsed.columns:
            columns[col] = [getattr(rec, col) for rec in parsed.records]
    columns["calls"] = np.array([rec.calls for rec in parsed.records], dtype=np.int64)
    if "exposure" in parsed.columns:
        columns["exposure"] = np.array([rec.exposure for rec in parsed.records], dtype=float)
    if parsed.file_kind is not None:
        columns["kind"] = [parsed.file_kind] * len(parsed.records)
    frame = pd.DataFrame(columns)
    frame.attrs = {
        "kind": kind,
        "sha256": digest,
        "source": str(path),
        "definition": str(definition),
    }
    return validate_panel(frame, name=grid.source)


# --- conversions ---------------------------------------------------------------------------


def aggregate_calls(frame: pd.DataFrame) -> pd.DataFrame:
    """Sum a long frame over ``channel`` and ``category`` into one row per team-month.

    Parameters
    ----------
    frame : DataFrame
        Canonical long frame, possibly with ``channel``/``category`` columns.

    Returns
    -------
    pandas.DataFrame
        Validated long frame without ``channel``/``category``; ``attrs`` kept. A frame
        without those columns comes back validated and otherwise unchanged.

    Raises
    ------
    DataValidationError
        For an invalid frame, or when ``exposure`` differs between the rows of one
        team-month (it cannot be summed meaningfully).
    """
    panel = validate_panel(frame)
    extras = [c for c in ("channel", "category") if c in panel.columns]
    if not extras:
        return panel
    grouped = panel.groupby(["team", "month"], sort=True, observed=True)
    out = grouped["calls"].sum().reset_index()
    if "exposure" in panel.columns:
        spread = grouped["exposure"].agg(["min", "max"]).reset_index()
        bad = spread[spread["min"] != spread["max"]]
        if len(bad):
            listed = [f"{t} {format_month(m)}" for t, m in zip(bad["team"], bad["month"],
                                                                strict=True)]
            raise DataValidationError(
                f"aggregate_calls: exposure differs between the {'/'.join(extras)} rows of "
                f"{format_list(listed)}; give one exposure per team-month before summing."
            )
        out["exposure"] = spread["min"].to_numpy()
    if "kind" in panel.columns:
        out["kind"] = panel["kind"].iloc[0]
    out.attrs = dict(panel.attrs)
    return validate_panel(out)


def _team_or_total(team: object) -> str:
    if isinstance(team, str) and (team == FLANDERS or _is_total(team)):
        return FLANDERS
    return canonical_team(team)


def to_series(frame: pd.DataFrame, team: str) -> pd.Series:
    """Return one team's monthly counts, or the Flanders total, as a model series.

    Parameters
    ----------
    frame : DataFrame
        Canonical long frame (channel/category rows are summed first, see
        :func:`aggregate_calls`).
    team : str
        A team (any variant :func:`canonical_team` knows) or ``"Flanders"`` (also
        ``"Vlaanderen"``/``"Totaal"``): the sum of all five teams.

    Returns
    -------
    pandas.Series
        Named ``"calls"``, ``int64``, index a complete sorted ``PeriodIndex``
        (``freq="M"``) named ``"month"``; ``attrs`` = the frame's ``attrs`` plus
        ``team``.

    Raises
    ------
    DataValidationError
        For an invalid frame, an unknown team or one not in the frame, and for Flanders
        when a team is missing or the teams cover different months (the message lists
        each team's range and the common range to restrict the frame to).
    """
    panel = aggregate_calls(frame)
    name = _team_or_total(team)
    if name == FLANDERS:
        present = set(panel["team"])
        absent = [t for t in TEAMS if t not in present]
        if absent:
            raise DataValidationError(
                f"to_series: the {FLANDERS} total needs all five teams; the frame lacks "
                f"{', '.join(absent)}. Load a table with every team, or analyse the teams "
                "separately."
            )
        ranges = {t: (g["month"].min(), g["month"].max()) for t, g in panel.groupby("team")}
        if len(set(ranges.values())) > 1:
            listed = ", ".join(f"{t} {format_month(a)}..{format_month(b)}"
                               for t, (a, b) in ranges.items())
            start = max(a for a, _ in ranges.values())
            end = min(b for _, b in ranges.values())
            advice = (
                f"restrict the frame to {format_month(start)}..{format_month(end)}, the "
                "months all teams cover" if start <= end else "the teams share no month"
            )
            raise DataValidationError(
                f"to_series: the teams cover different months ({listed}), so a {FLANDERS} "
                f"total would mix teams; {advice}."
            )
        sums = panel.groupby("month", sort=True)["calls"].sum()
        index, values = sums.index, sums.to_numpy()
    else:
        part = panel[panel["team"] == name]
        if part.empty:
            raise DataValidationError(
                f"to_series: team {name!r} is not in the frame; it holds "
                f"{', '.join(sorted(set(panel['team'])))}."
            )
        index, values = part["month"], part["calls"].to_numpy()
    series = pd.Series(
        np.asarray(values, dtype=np.int64),
        index=pd.PeriodIndex(index, freq="M", name="month"),
        name="calls",
    )
    series.attrs = {**panel.attrs, "team": name}
    return series


def to_wide(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the counts as a table of months (rows) by teams (columns).

    Parameters
    ----------
    frame : DataFrame
        Canonical long frame (channel/category rows are summed first). ``exposure`` and
        ``kind`` columns are not part of the wide table (``kind`` stays in ``attrs``).

    Returns
    -------
    pandas.DataFrame
        Index: every month from the first to the last month of any team
        (``PeriodIndex`` named ``"month"``); columns: the teams present in
        :data:`~impact.constants.TEAMS` order (column index named ``"team"``); values
        ``Int64`` with ``<NA>`` where a team was not covered; ``attrs`` kept.

    See Also
    --------
    from_wide : The inverse.
    """
    panel = aggregate_calls(frame)
    months = pd.period_range(panel["month"].min(), panel["month"].max(), freq="M",
                             name="month")
    teams = [t for t in TEAMS if t in set(panel["team"])]
    wide = pd.DataFrame(
        {t: pd.array([pd.NA] * len(months), dtype="Int64") for t in teams}, index=months
    )
    for team, group in panel.groupby("team", sort=False):
        positions = months.get_indexer(pd.PeriodIndex(group["month"], freq="M"))
        column = wide[team].to_numpy(dtype=object)
        column[positions] = group["calls"].to_numpy()
        wide[team] = pd.array(list(column), dtype="Int64")
    wide.columns = pd.Index(teams, name="team", dtype="str")
    wide.attrs = dict(panel.attrs)
    return wide


def from_wide(wide: pd.DataFrame) -> pd.DataFrame:
    """Turn a months-by-teams table (as from :func:`to_wide`) back into a long frame.

    Parameters
    ----------
    wide : DataFrame
        Index of months (``PeriodIndex`` or labels such as ``"2023-04"``), one column
        per team (variants accepted, see :func:`canonical_team`), counts as values. A
        Flanders/total column is checked against the row sums and dropped. Missing
        values before a team's first or after its last count mean "not covered".

    Returns
    -------
    pandas.DataFrame
        Validated canonical long frame; ``attrs`` kept.

    Raises
    ------
    DataValidationError
        For unknown teams, labels that are not months, missing values between a team's
        first and last count (listed), columns without counts, bad counts and totals
        that do not match.
    """
    if not isinstance(wide, pd.DataFrame):
        raise DataValidationError(
            f"from_wide: expected a DataFrame of months by teams, got {type(wide).__name__}."
        )
    if isinstance(wide.index, pd.PeriodIndex) and wide.index.freqstr == "M":
        months = list(wide.index)
    else:
        months = [validate_month(v, f"from_wide index label {v!r}") for v in wide.index]
    teams: list[str] = []
    rows: list[tuple[str, pd.Period, object]] = []
    gaps: dict[str, list[pd.Period]] = {}
    totals: list[object] = []
    for col in wide.columns:
        if _team_or_total(col) == FLANDERS:
            totals.append(col)
            continue
        team = canonical_team(col)
        if team in teams:
            raise DataValidationError(f"from_wide: team {team!r} has two columns; keep one.")
        teams.append(team)
        values = wide[col].to_numpy(dtype=object)
        filled = [i for i, v in enumerate(values) if not _is_missing(v)]
        if not filled:
            raise DataValidationError(f"from_wide: column {col!r} holds no counts; drop it.")
        for i in range(filled[0], filled[-1] + 1):
            if _is_missing(values[i]):
                gaps.setdefault(team, []).append(months[i])
            else:
                rows.append((team, months[i], values[i]))
    if gaps:
        raise DataValidationError(
            "from_wide: " + "; ".join(gap_message(f"team {t!r}", ms) for t, ms in gaps.items())
            + "."
        )
    long = pd.DataFrame({
        "team": [t for t, _, _ in rows],
        "month": pd.PeriodIndex([m for _, m, _ in rows], freq="M"),
        "calls": pd.Series([v for _, _, v in rows], dtype=object),
    })
    long.attrs = dict(wide.attrs)
    panel = validate_panel(long, name="from_wide")
    if totals:
        sums = panel.groupby("month")["calls"].sum()
        for col in totals:
            for month, value in zip(months, wide[col].to_numpy(dtype=object), strict=True):
                if _is_missing(value):
                    continue
                expected = int(sums.get(month, 0))
                count, reason = parse_count_value(value)
                if count != expected:
                    raise DataValidationError(
                        f"from_wide: total column {col!r} says {value!r} for "
                        f"{format_month(month)} but the teams sum to {expected}"
                        f"{'; ' + reason if reason else ''}; fix the total or drop the column."
                    )
    return panel


def _is_missing(value: object) -> bool:
    return value is pd.NA or is_blank(value)


def annual_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Sum calls per team and calendar year, plus the Flanders total.

    Parameters
    ----------
    frame : DataFrame
        Canonical long frame.

    Returns
    -------
    pandas.DataFrame
        Columns ``team`` (teams in :data:`~impact.constants.TEAMS` order, then
        ``"Flanders"``), ``year`` (int), ``calls`` (``Int64``), ``n_months`` (months
        summed) and ``is_complete`` (all 12 months present). Flanders rows exist for
        years that every one of the five teams covers with the same months; they are
        ``<NA>`` where the teams' months differ within the year.
    """
    panel = aggregate_calls(frame)
    years = panel["month"].dt.year
    rows: list[dict[str, Any]] = []
    for (team, year), group in panel.groupby([panel["team"], years], sort=False):
        rows.append({"team": team, "year": int(year), "calls": int(group["calls"].sum()),
                     "n_months": len(group)})
    for year in sorted(set(years)):
        part = panel[years == year]
        coverage = {t: frozenset(g["month"]) for t, g in part.groupby("team")}
        same = len(coverage) == len(TEAMS) and len(set(coverage.values())) == 1
        n_months = len(frozenset.intersection(*coverage.values()))
        rows.append({"team": FLANDERS, "year": int(year),
                     "calls": int(part["calls"].sum()) if same else pd.NA,
                     "n_months": n_months})
    out = pd.DataFrame(rows)
    rank = out["team"].map({t: i for i, t in enumerate((*TEAMS, FLANDERS))})
    out = out.assign(_rank=rank).sort_values(["_rank", "year"], kind="stable")
    out = out.drop(columns="_rank").reset_index(drop=True)
    out["team"] = out["team"].astype("str")
    out["calls"] = out["calls"].astype("Int64")
    out["n_months"] = out["n_months"].astype("int64")
    out["is_complete"] = out["n_months"] == 12
    out.attrs = dict(panel.attrs)
    return out


# --- writing -------------------------------------------------------------------------------


def _refuse_raw(path: Path) -> None:
    parts = path.resolve().parts
    if any(a == "data" and b == "raw" for a, b in zip(parts, parts[1:], strict=False)):
        raise DataValidationError(
            f"write_call_counts: refusing to write {str(path)!r}: files under data/raw/ are "
            "immutable inputs. Write to data/interim/, data/processed/ or another folder."
        )


def write_call_counts(
    frame: pd.DataFrame, path: str | Path, *, layout: str = "long"
) -> Path:
    """Write a long frame to CSV or XLSX (chosen by the file suffix), for round-trips.

    Parameters
    ----------
    frame : DataFrame
        Canonical long frame.
    path : str or Path
        Target ``.csv`` (UTF-8, comma-separated, months as ``YYYY-MM``) or ``.xlsx``
        (one sheet ``calls``, months as text). Existing files are overwritten, except
        that nothing is ever written under a ``data/raw/`` folder.
    layout : {"long", "wide"}, default "long"
        ``"long"``: the frame's columns; ``"wide"``: a header ``month`` + teams, one
        row per month, empty cells where a team was not covered.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    DataValidationError
        For an invalid frame, an unknown layout or suffix, a path under ``data/raw/``,
        and for ``layout="wide"`` on frames with ``channel``, ``category`` or
        ``exposure`` columns (the wide table has no place for them; aggregate or use
        the long layout).

    Notes
    -----
    ``attrs`` (kind, checksum, definition) are not stored in the file; a ``kind``
    column is. XLSX files are not byte-reproducible (openpyxl stamps the save time).
    """
    target = Path(path)
    if layout not in ("long", "wide"):
        raise DataValidationError(f"layout must be 'long' or 'wide', got {layout!r}.")
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DataValidationError(
            f"write_call_counts: unsupported suffix {suffix or '(none)'!r} in {str(path)!r}; "
            "use .csv or .xlsx."
        )
    _refuse_raw(target)
    panel = validate_panel(frame)
    if layout == "wide":
        dropped = [c for c in ("channel", "category", "exposure") if c in panel.columns]
        if dropped:
            raise DataValidationError(
                f"write_call_counts: layout='wide' has no place for {', '.join(dropped)}; use "
                "layout='long', or aggregate_calls(frame) and drop exposure first."
            )
        wide = to_wide(panel)
        header = ["month", *[str(c) for c in wide.columns]]
        body = [
            [format_month(m), *[None if v is pd.NA else int(v) for v in row]]
            for m, row in zip(wide.index, wide.to_numpy(dtype=object), strict=True)
        ]
    else:
        header = [str(c) for c in panel.columns]
        body = []
        for rec in panel.itertuples(index=False):
            row: list[object] = []
            for col, value in zip(header, rec, strict=True):
                if col == "month":
                    row.append(format_month(value))
                elif col == "calls":
                    row.append(int(value))
                elif col == "exposure":
                    row.append(float(value))
                else:
                    row.append(str(value))
            body.append(row)
    if suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for row in body:
            writer.writerow(["" if v is None else (repr(v) if isinstance(v, float) else v)
                             for v in row])
        target.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "calls"
        sheet.append(header)
        for row in body:
            sheet.append(row)
        book.save(target)
    return target

