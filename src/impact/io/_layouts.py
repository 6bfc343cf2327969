"""Detect the layout of a raw call-count table and parse it (private, for :mod:`impact.io.calls`).

The logical side of :func:`impact.io.calls.load_call_counts`: given the cells of a table
(:class:`impact.io._grid._Grid`), find the header row and with it the layout (long, wide
with one row per month, wide with one row per team, several year blocks stacked), read
the header synonyms of the long layout, parse month labels and counts, check total rows
and columns against the sums they stand for, and collect every problem with its place so
they can be raised together. The accepted layouts and conventions are documented in the
:mod:`impact.io.calls` module docstring. This module holds the long layout, the layout
detection (and the table's resolution: months, ISO weeks or days) and the final checks;
the wide layouts are in :mod:`impact.io._wide`, the problem collector, records and cell
parsers they share in :mod:`impact.io._records`.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from typing import Any

import pandas as pd

from impact._core.constants import DATA_KINDS
from impact._core.dates import format_period
from impact._core.exceptions import DataValidationError
from impact._core.parsing import (
    format_list,
    gap_message,
    is_blank,
    missing_months,
    parse_month_value,
    parse_positive_float,
    year_in_text,
)
from impact.io._grid import _at, _col, _Grid
from impact.io._periods import RESOLUTION_OF, UNIT_OF, detect_freq, gap_text
from impact.io._records import (
    _LONG_ROLES,
    _NORMALISE,
    _ROLE_SYNONYMS,
    _WEEK_HEADERS,
    _count_or_problem,
    _is_closed,
    _is_number,
    _month_or_problem,
    _Parsed,
    _Problems,
    _Record,
)
from impact.io._wide import _month_header, _parse_wide, _team_header
from impact.io.teams import _key, _Vocabulary

_HEADER_SCAN_ROWS = 40


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



# --- layout detection and final checks -----------------------------------------------------


def _table_freq(
    grid: _Grid, r: int, col: int, teams: _Vocabulary, freq: str | None
) -> str:
    """The table's frequency: ``freq`` when given, else detected from column ``col``."""
    if freq is not None:
        return freq
    labels = [grid.label(rr, col) for rr in range(r + 1, len(grid.cells))]
    return detect_freq(v for v in labels if not teams.is_total(v))


def _mixed_date_cells(
    grid: _Grid, r: int, col: int, teams: _Vocabulary, problems: _Problems
) -> None:
    """Refuse a time column of a workbook that mixes date cells and dates typed as text.

    A spreadsheet program set to month-first dates turns ``03/04/2023`` into 4 March and
    leaves ``27/08/2023`` as text: the mix is the sign, and the date cells cannot be
    trusted.
    """
    cells, texts = [], []
    for rr in range(r + 1, len(grid.cells)):
        value = grid.value(rr, col)
        if isinstance(value, _dt.date):
            cells.append(rr + 1)
        elif isinstance(value, str) and not teams.is_total(value) and _DATE_TEXT.search(value):
            texts.append(f"{rr + 1} ({value.strip()!r})")
    if cells and texts:
        shown = [str(x) for x in cells]
        problems.add(
            f"column {_col(col)} mixes date cells (rows {format_list(shown, 4)}) with dates "
            f"typed as text (rows {format_list(texts, 4)}): a sign that a spreadsheet "
            "program read some dates month-first (03/04/2023 as 4 March) and left the "
            "others (27/08/2023) as text. Check the dates against the source and store them "
            "all one way: as text dd/mm/yyyy or yyyy-mm-dd, or all as date cells"
        )


#: Text that looks like a numeric date (day, month and year).
_DATE_TEXT = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}")


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
            is_week_number = (
                time_col is not None and "year" in roles.values()
                and _key(grid.label(r, time_col)) in _WEEK_HEADERS and freq is None
            )
            problems.freq = ("M" if time_col is None else "W-SUN" if is_week_number
                             else _table_freq(grid, r, time_col, teams, freq))
            if problems.freq != "M" and time_col is not None:
                _mixed_date_cells(grid, r, time_col, teams, problems)
            parsed = _parse_long(grid, r, kind, problems)
        elif _team_header(grid, r, label_col, teams) or _month_header(grid, r, label_col):
            # the table's label column: the first used column from the header down (a
            # title above the table may start further left)
            table_col = min(c for rr in range(r, len(grid.cells)) for c in grid.nonblank(rr))
            by_month = _team_header(grid, r, label_col, teams)
            problems.freq = (_table_freq(grid, r, table_col, teams, freq) if by_month
                             else "M")
            if problems.freq != "M":
                _mixed_date_cells(grid, r, table_col, teams, problems)
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
