"""Detect the layout of a raw call-count table and parse it (private, for :mod:`impact.io.calls`).

The logical side of :func:`impact.io.calls.load_call_counts`: given the cells of a table
(:class:`impact.io._grid._Grid`), find the header row and with it the layout (long, wide
with one row per month, wide with one row per team, several year blocks stacked), read
the header synonyms of the long layout, parse month labels and counts, check total rows
and columns against the sums they stand for, and collect every problem with its place so
they can be raised together. The accepted layouts and conventions are documented in the
:mod:`impact.io.calls` module docstring.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pandas as pd

from impact._core.constants import DATA_KINDS
from impact._core.exceptions import DataValidationError
from impact._core.parsing import (
    fold_text,
    format_list,
    format_month,
    format_period,
    gap_message,
    is_blank,
    missing_months,
    parse_count_value,
    parse_month_value,
    parse_number_text,
    parse_positive_float,
    year_in_text,
)
from impact.io._grid import _at, _col, _Grid
from impact.io._periods import RESOLUTION_OF, UNIT_OF, detect_freq, gap_text, parse_period
from impact.io.measures import canonical_channel, canonical_measure, find_measure
from impact.io.teams import _key, _Vocabulary

#: Header synonyms (matched on the alphanumeric fold) of the long layout's columns.
_ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "team": ("team", "ploeg", "provincie", "province", "regio", "region", "caw", "hulplijn",
             "helpline", "teamnaam", "provincieteam"),
    "month": ("month", "maand", "periode", "period", "datum", "date", "jaarmaand",
              "maandjaar", "yearmonth", "dag", "day", "week", "weeknr", "weeknummer",
              "isoweek", "wk"),
    "year": ("year", "jaar"),
    "calls": ("calls", "oproepen", "aantal", "aantaloproepen", "count", "counts", "n",
              "contacten", "contacts", "aantalcontacten", "numberofcalls", "answeredcalls",
              "beantwoordeoproepen", "beantwoord", "answered"),
    "channel": ("channel", "kanaal", "channels", "kanalen"),
    "measure": ("measure", "maat", "indicator", "type", "meting", "definitie", "definition"),
    "category": ("category", "categorie", "probleem", "problematiek", "thema", "problem",
                 "problemcategory", "probleemcategorie"),
    "exposure": ("exposure", "blootstelling"),
    "kind": ("kind", "datakind", "soortdata"),
}
_LONG_ROLES = {key: role for role, keys in _ROLE_SYNONYMS.items() for key in keys}
_NORMALISE = {"channel": canonical_channel, "measure": canonical_measure}
_MAX_PROBLEMS = 15
_HEADER_SCAN_ROWS = 40


# --- problems ------------------------------------------------------------------------------


class _Problems:
    """Collects located problems and raises them together."""

    def __init__(
        self, source: str, max_count: int | None = None, vocab: _Vocabulary | None = None
    ) -> None:
        self.source = source
        self.max_count = max_count
        self.vocab = vocab if vocab is not None else _Vocabulary()
        self.labels: dict[str, None] = {}
        self.items: list[str] = []
        self.unknown: dict[str, tuple[object, list[str]]] = {}
        self.frequency: list[str] = []
        self.freq = "M"  # the table's resolution: "M", "W-SUN" or "D"

    def add(self, text: str) -> None:
        self.items.append(text)

    def see(self, label: object) -> None:
        """Remember a team label as written (for the unknown-label message)."""
        if isinstance(label, str) and label.strip():
            self.labels.setdefault(" ".join(label.split()), None)

    def unknown_team(self, name: object, where: str) -> None:
        self.see(name)
        self.unknown.setdefault(repr(name), (name, []))[1].append(where)

    def wrong_frequency(self, where: str, detail: str) -> None:
        self.frequency.append(f"{where}: {detail}")

    def __bool__(self) -> bool:
        return bool(self.items or self.unknown or self.frequency)

    def raise_if_any(self) -> None:
        if not self:
            return
        if self.unknown:  # one error, not a cascade of follow-on total errors
            labels = {str(name): places for name, places in self.unknown.values()}
            raise DataValidationError(
                f"{self.source}: " + self.vocab.unknown_message(labels, self.labels) + "."
            )
        items = list(self.items)
        if self.frequency and self.freq != "M":
            unit = UNIT_OF[self.freq][0]
            items.insert(
                0,
                f"mixed frequencies: the table is {RESOLUTION_OF[self.freq]} but these labels "
                f"are not one {unit} (" + format_list(self.frequency, 6) + f"); every row "
                f"must be one {unit}. Split or remove the rows of other periods",
            )
        elif self.frequency:
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
    measure: str | None = None
    closed: bool = False

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.team, self.month, self.channel, self.category, self.measure)


@dataclasses.dataclass
class _Parsed:
    records: list[_Record] = dataclasses.field(default_factory=list)
    blanks: dict[tuple[str, pd.Period], str] = dataclasses.field(default_factory=dict)
    columns: set[str] = dataclasses.field(default_factory=set)
    file_kind: str | None = None
    layout: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)
    seen: dict[str, str] = dataclasses.field(default_factory=dict)
    freq: str = "M"


def _month_or_problem(
    value: object, year: int | None, where: str, problems: _Problems, *, year_hint: str
) -> pd.Period | None:
    """Parse a month label (using ``year`` for labels without one) or record a problem.

    For a daily or weekly table (``problems.freq``) the label is a day or week instead.
    """
    if problems.freq != "M":
        return _period_or_problem(value, where, problems)
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


def _period_or_problem(value: object, where: str, problems: _Problems) -> pd.Period | None:
    """Parse a day or week label at ``problems.freq`` or record a problem."""
    kind, period, detail = parse_period(value, problems.freq)
    if period is not None:
        return period
    unit = UNIT_OF[problems.freq][0]
    if kind in ("year", "quarter", "month", "month_no_year", "week", "day", "timestamp"):
        problems.wrong_frequency(where, detail or f"{value!r} is not one {unit}")
    elif kind == "empty":
        problems.add(f"{where}: the {unit} is empty; every row needs a {unit}")
    else:
        problems.add(f"{where}: {detail}")
    return None


#: Count-cell words that declare a day or week the line was closed (daily/weekly tables).
_CLOSED_WORDS = frozenset({"gesloten", "closed", "dicht", "ferme"})


def _is_closed(value: object, problems: _Problems) -> bool:
    """Whether a count cell declares a closed day or week (never in monthly tables)."""
    return (problems.freq != "M" and isinstance(value, str)
            and fold_text(value) in _CLOSED_WORDS)


def _count_or_problem(value: object, where: str, problems: _Problems) -> int | None:
    count, reason = parse_count_value(value, max_count=problems.max_count)
    if count is None:
        problems.add(f"{where}: {reason}")
    return count


# --- long layout ---------------------------------------------------------------------------


def _trailing_notes(
    grid: _Grid, h: int, first_col: int, teams: _Vocabulary
) -> tuple[int, list[str]]:
    """Find note rows below a long table: ``(end, notes)``, table rows are ``h+1..end-1``.

    A note row holds text in the table's first column and nothing else (``"Bron: 1712
    export"``); only a run of such rows (and blank rows) at the end of the grid counts.
    Text that is a team or total name is table data, never a note.
    """
    end = len(grid.cells)
    notes: list[str] = []
    for r in range(len(grid.cells) - 1, h, -1):
        if grid.is_blank_row(r):
            continue
        filled = grid.nonblank(r)
        value = grid.value(r, first_col)
        if (filled != [first_col] or not isinstance(value, str) or _is_number(value)
                or teams.known(value) or teams.is_total(value)):
            break
        notes.insert(0, f"{_at(r)}: {value.strip()}")
        end = r
    return end, notes


def _long_roles(grid: _Grid, r: int) -> dict[int, str | None]:
    return {
        c: _LONG_ROLES.get(_key(v)) if isinstance(v, str) else None
        for c, v in enumerate(grid.cells[r]) if not is_blank(v)
    }


def _is_long_header(grid: _Grid, r: int, teams: _Vocabulary) -> bool:
    roles = set(_long_roles(grid, r).values())
    core = ("team" in roles, "month" in roles or "year" in roles, "calls" in roles)
    has_team_name = any(teams.known(v) for v in grid.cells[r])
    return sum(core) >= 2 and not has_team_name


def _parse_long(grid: _Grid, h: int, kind: str | None, problems: _Problems) -> _Parsed:
    out = _Parsed(layout="long")
    teams = problems.vocab
    header = grid.cells[h]
    cols: dict[str, int] = {}
    for c, role in _long_roles(grid, h).items():
        name = str(header[c]).strip()
        if role is None:
            problems.add(
                f"{_at(h, c, name)}: column {name!r} is not recognised; a long table has "
                "columns team, month, calls (optional: year, measure, channel, category, "
                "exposure, kind). Delete or rename the column"
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
    out.columns = {role for role in cols
                   if role in ("channel", "category", "exposure", "measure")}

    def hdr(role: str) -> object:
        return header[cols[role]]

    team_totals: list[tuple[tuple[Any, ...], int, str]] = []
    month_totals: list[tuple[str | None, int | None, int, str, str | None]] = []
    kinds: set[str] = set()
    end, out.notes = _trailing_notes(grid, h, min(cols.values()), teams)
    for r in range(h + 1, end):
        if grid.is_blank_row(r):
            continue
        team_cell = grid.label(r, cols["team"])
        month_cell = grid.label(r, cols["month"])
        year = None
        if "year" in cols:
            year_cell = grid.label(r, cols["year"])
            year = year_in_text(year_cell)
            if year is None and not teams.is_total(month_cell):
                problems.add(
                    f"{_at(r, cols['year'], hdr('year'))}: {year_cell!r} is not a year "
                    "(expected e.g. 2023)"
                )
                continue
        where = _at(r)
        closed = _is_closed(grid.value(r, cols["calls"]), problems)
        calls = 0 if closed else _count_or_problem(
            grid.value(r, cols["calls"]), _at(r, cols["calls"], hdr("calls")), problems
        )
        extra: dict[str, Any] = {}
        for role in ("channel", "category", "measure"):
            if role in cols:
                value = grid.label(r, cols[role])
                if is_blank(value):
                    problems.add(f"{_at(r, cols[role], hdr(role))}: the {role} is empty")
                else:
                    extra[role] = _NORMALISE.get(role, str.strip)(str(value))
        if "exposure" in cols:
            exposure, reason = parse_positive_float(grid.value(r, cols["exposure"]))
            if exposure is None:
                problems.add(f"{_at(r, cols['exposure'], hdr('exposure'))}: {reason}")
            extra["exposure"] = exposure
        if "kind" in cols:
            kinds.add(str(grid.label(r, cols["kind"])).strip())
        if teams.is_total(team_cell) and teams.is_total(month_cell):
            if calls is not None:
                month_totals.append((None, year_in_text(month_cell) or year, calls, where,
                                     extra.get("measure")))
            continue
        if teams.is_total(team_cell):
            month = _month_or_problem(
                month_cell, year, _at(r, cols["month"], hdr("month")), problems,
                year_hint="add a year column or write e.g. 'januari 2023'",
            )
            if month is not None and calls is not None:
                key = (month, extra.get("channel"), extra.get("category"),
                       extra.get("measure"))
                team_totals.append((key, calls, f"{where} ({str(team_cell).strip()!r})"))
            continue
        problems.see(team_cell)
        team = teams.resolve(team_cell)
        if team is None:
            if is_blank(team_cell):
                problems.add(f"{_at(r, cols['team'], hdr('team'))}: the team is empty")
            else:
                problems.unknown_team(team_cell, _at(r, cols["team"], hdr("team")))
            continue
        if teams.is_total(month_cell):
            if calls is not None:
                month_totals.append((team, year_in_text(month_cell) or year, calls, where,
                                     extra.get("measure")))
            continue
        month = _month_or_problem(
            month_cell, year, _at(r, cols["month"], hdr("month")), problems,
            year_hint="add a year column or write e.g. 'januari 2023'",
        )
        if month is None or calls is None or ("exposure" in cols and extra["exposure"] is None):
            continue
        out.records.append(_Record(team, month, calls, where, closed=closed, **extra))
    if kinds:
        if kind is None and len(kinds) == 1:
            (declared,) = kinds
            if declared in DATA_KINDS:
                kind = declared
            else:
                problems.add(
                    f"column {_col(cols['kind'])} ('kind') says {declared!r}; expected one of "
                    f"{', '.join(DATA_KINDS)}"
                )
        elif len(kinds) > 1 or kinds != {kind}:
            asked = "no kind" if kind is None else f"kind={kind!r}"
            problems.add(
                f"column {_col(cols['kind'])} ('kind') says {', '.join(sorted(kinds))} but "
                f"{asked} was requested; load the file with the kind it declares "
                "(synthetic data must never pass as real)"
            )
        out.file_kind = kind
    _check_long_totals(out.records, team_totals, month_totals, problems)
    return out


def _check_long_totals(
    records: list[_Record],
    team_totals: list[tuple[tuple[Any, ...], int, str]],
    month_totals: list[tuple[str | None, int | None, int, str, str | None]],
    problems: _Problems,
) -> None:
    by_key: dict[tuple[Any, ...], int] = defaultdict(int)
    for rec in records:
        by_key[(rec.month, rec.channel, rec.category, rec.measure)] += rec.calls
    for key, value, where in team_totals:
        expected = by_key.get(key, 0)
        if value != expected:
            problems.add(
                f"{where}: total {value} for {format_period(key[0])} does not match the sum "
                f"of the teams, {expected}; correct the total or the team counts, or delete "
                "the total row"
            )
    for team, year, value, where, measure in month_totals:
        expected = sum(
            rec.calls for rec in records
            if (team is None or rec.team == team) and (year is None or rec.month.year == year)
            and rec.measure == measure
        )
        if value != expected:
            span = f"in {year}" if year is not None else "over all months"
            whose = "all teams" if team is None else f"team {team!r}"
            problems.add(
                f"{where}: total {value} for {whose} does not match the sum of the months "
                f"{span}, {expected}; correct the total or delete the row"
            )


# --- wide layouts --------------------------------------------------------------------------


def _team_header(grid: _Grid, r: int, label_col: int, teams: _Vocabulary) -> bool:
    """A row of team names (wide layout with one row per month)."""
    cells = [(c, grid.label(r, c)) for c in grid.nonblank(r)]
    after = [(c, v) for c, v in cells if c > label_col]
    if not after or not all(isinstance(v, str) for _, v in after):
        return False
    n_teams = sum(teams.known(v) is not None for _, v in after)
    other = [v for _, v in after
             if teams.known(v) is None and not teams.is_total(v)
             and _LONG_ROLES.get(_key(v)) is None]
    if n_teams >= 2 or (n_teams == 1 and not other):
        return True
    # open vocabulary: a row of names that are neither months, numbers nor header words
    return (teams.teams is None and len(other) >= 2
            and not any(parse_month_value(v).kind != "unparseable" or _is_number(v)
                        for v in other))


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
    teams = problems.vocab
    title_year: int | None = None
    title_measure: str | None = None
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
            measure = find_measure(grid.label(r, label_col)) or title_measure
            parse = _parse_block_by_month if by_month else _parse_block_by_team
            first_record = len(out.records)
            r = parse(grid, r, label_col, year, teams, out, problems)
            for rec in out.records[first_record:]:
                rec.measure = rec.measure or measure
            if measure is not None:
                out.columns.add("measure")
            title_year = title_measure = None
            continue
        filled = grid.nonblank(r)
        numbers = [c for c in filled if _is_number(grid.value(r, c))
                   and year_in_text(grid.value(r, c)) is None]
        if not numbers:  # a title or note; a single year in it dates the next block
            years = {year_in_text(grid.value(r, c)) for c in filled} - {None}
            title_year = years.pop() if len(years) == 1 else title_year
            measures = {find_measure(grid.value(r, c)) for c in filled} - {None}
            title_measure = measures.pop() if len(measures) == 1 else title_measure
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
    if _is_closed(value, problems):
        out.records.append(_Record(team, month, 0, where, closed=True))
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
    grid: _Grid, h: int, label_col: int, year: int | None, teams: _Vocabulary,
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
        problems.see(value)
        team = teams.resolve(value)
        if team is not None:
            if team in team_cols.values():
                problems.add(f"{_at(h, c, value)}: team {team!r} has two columns; keep one")
            team_cols[c] = team
            out.seen.setdefault(team, _at(h, c, value))
        elif teams.is_total(value):
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
        if teams.is_total(label):
            for c in [*team_cols, *total_cols]:
                what = (f"the block's months for {team_cols[c]}" if c in team_cols
                        else "the block's monthly totals")
                _compare_total(grid.value(r, c), column_parts[c], _at(r, c, header[c]), what,
                               problems)
            r += 1
            continue
        if not others and _label_kind(label, problems.freq) == "unparseable":
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
                                   f"the teams for {format_period(month)}", problems)
            column_parts[c].append(_implied(total, parts))
        r += 1
    return r


def _parse_block_by_team(
    grid: _Grid, h: int, label_col: int, year: int | None, teams: _Vocabulary,
    out: _Parsed, problems: _Problems,
) -> int:
    """Block with a header row of months and one row per team; return the next row."""
    header = grid.cells[h]
    month_cols: dict[int, pd.Period] = {}
    total_cols: list[int] = []
    extra_cols: dict[str, int] = {}
    hint = (f"put the year in cell {_col(label_col)}{h + 1} or in a title row above the "
            "block, or use headers like 'jan 2023'")
    for c in range(label_col + 1, len(header)):
        value = grid.label(h, c)
        if is_blank(value):
            continue
        role = _LONG_ROLES.get(_key(value))
        if role in ("measure", "channel") and role not in extra_cols:
            extra_cols[role] = c
            out.columns.add(role)
            continue
        if teams.is_total(value):
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
    parts_by: dict[tuple[Any, ...], dict[int, list[int | None]]] = {}
    r = h + 1
    while r < len(grid.cells) and not grid.is_blank_row(r):
        if _month_header(grid, r, label_col):
            break
        label = grid.label(r, label_col)
        others = [c for c in grid.nonblank(r) if c != label_col and c not in extra_cols.values()]
        extra = {role: _NORMALISE[role](grid.label(r, c)) or None
                 for role, c in extra_cols.items()}
        for role, c in extra_cols.items():
            if extra[role] is None and others:
                problems.add(f"{_at(r, c, header[c])}: the {role} is empty")
        if extra:  # parts add up per measure and channel
            column_parts = parts_by.setdefault(tuple(sorted(extra.items())), defaultdict(list))
        if teams.is_total(label):
            for c in [*month_cols, *total_cols]:
                what = (f"the teams for {format_month(month_cols[c])}" if c in month_cols
                        else "the teams' totals")
                _compare_total(grid.value(r, c), column_parts[c], _at(r, c, header[c]), what,
                               problems)
            r += 1
            continue
        if not others and isinstance(label, str) and teams.known(label) is None:
            break  # a note below the table
        problems.see(label)
        team = teams.resolve(label)
        if team is None:
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
            n_before = len(out.records)
            part = _add_cell(team, month, grid, r, c, _at(r, c, header[c]), out, problems)
            for rec in out.records[n_before:]:
                rec.measure, rec.channel = extra.get("measure"), extra.get("channel")
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


def _label_kind(value: object, freq: str) -> str:
    """What a time label is at ``freq`` (``"ok"``, ``"unparseable"``, ...)."""
    if freq == "M":
        return parse_month_value(value).kind
    return parse_period(value, freq)[0]


def _has_year(value: object) -> bool:
    parsed = parse_month_value(value)
    return parsed.kind == "month"


# --- layout detection and final checks -----------------------------------------------------


def _table_freq(
    grid: _Grid, r: int, col: int, teams: _Vocabulary, freq: str | None
) -> str:
    """The table's frequency: ``freq`` when given, else detected from column ``col``."""
    if freq is not None:
        return freq
    labels = [grid.label(rr, col) for rr in range(r + 1, len(grid.cells))]
    return detect_freq(v for v in labels if not teams.is_total(v))


def _parse_grid(
    grid: _Grid, kind: str | None, max_count: int | None = None,
    vocab: _Vocabulary | None = None, freq: str | None = "M",
) -> _Parsed:
    """Parse the grid; ``freq`` is ``"M"``, ``"W-SUN"``, ``"D"`` or None (detect it)."""
    problems = _Problems(grid.source, max_count, vocab)
    filled_cols = [c for r in range(len(grid.cells)) for c in grid.nonblank(r)]
    if not filled_cols:
        raise DataValidationError(f"{grid.source}: the file is empty (no cell has a value).")
    label_col = min(filled_cols)
    teams = problems.vocab
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
            roles = _long_roles(grid, r)
            time_col = next((c for c, role in roles.items() if role == "month"), None)
            problems.freq = ("M" if time_col is None
                             else _table_freq(grid, r, time_col, teams, freq))
            parsed = _parse_long(grid, r, kind, problems)
        elif _team_header(grid, r, label_col, teams) or _month_header(grid, r, label_col):
            # the table's label column: the first used column from the header down (a
            # title above the table may start further left)
            table_col = min(c for rr in range(r, len(grid.cells)) for c in grid.nonblank(rr))
            by_month = _team_header(grid, r, label_col, teams)
            problems.freq = (_table_freq(grid, r, table_col, teams, freq) if by_month
                             else "M")
            if not by_month and freq not in (None, "M"):
                raise DataValidationError(
                    f"{grid.source}: row {r + 1} is a header of months (one row per team), "
                    f"but {RESOLUTION_OF[freq]} data were asked for; daily and weekly tables "
                    "have one row per day or week (long, or with teams as columns)."
                )
            parsed = _parse_wide(grid, 0, table_col, by_month, problems)
        else:
            continue
        parsed.freq = problems.freq
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
    freq = parsed.freq
    unit, units = UNIT_OF[freq]
    current = pd.Timestamp.today().to_period(freq)
    future = [f"{rec.team} {format_period(rec.month)} ({rec.where})"
              for rec in parsed.records if rec.month > current]
    if future:
        problems.add(
            f"{units} in the future (after the current {unit} {format_period(current)}): "
            f"{format_list(future, 6)}; fix the year, or leave cells of {units} that have "
            "not happened empty"
        )
    seen: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for rec in parsed.records:
        seen[rec.key].append(rec.where)
    for key, places in seen.items():
        if len(places) > 1:
            label = " ".join(str(k) for k in (key[0], format_period(key[1]), *key[2:]) if k)
            problems.add(
                f"duplicate team-{unit} {label}: {' and '.join(places)}; keep one row per "
                f"team and {unit} (sum them if they are parts of the same {unit})"
            )
    by_team: dict[str, set[pd.Period]] = defaultdict(set)
    for rec in parsed.records:
        by_team[rec.team].add(rec.month)
    for team, where in parsed.seen.items():
        if team not in by_team:
            problems.add(
                f"{where}: team {team!r} has no counts (every cell empty); fill in its "
                f"counts (0 where the line was open without calls) or delete it"
            )
    for team in sorted(by_team):
        gaps = missing_months(by_team[team], freq)
        if gaps:
            text = (gap_message(f"team {team!r}", gaps) if freq == "M"
                    else gap_text(f"team {team!r}", gaps, freq))
            empty = [parsed.blanks[(team, m)] for m in gaps if (team, m) in parsed.blanks]
            if empty:
                text += f" (empty cells at {format_list(empty, 4)})"
            problems.add(text)
