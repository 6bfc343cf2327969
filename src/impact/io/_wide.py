"""Parse the wide layouts of a call-count table (private, for :mod:`impact.io._layouts`).

One row per period with a header row of team names (months, ISO weeks or days; teams as
columns), or one row per team with a header row of months (monthly only); several blocks
may be stacked (year blocks, one block per measure). Total rows and columns are checked
against the sums they stand for. The accepted layouts are documented in the
:mod:`impact.io.calls` module docstring.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pandas as pd

from impact._core.dates import format_period
from impact._core.parsing import (
    format_month,
    is_blank,
    parse_month_value,
    parse_number_text,
    year_in_text,
)
from impact.io._grid import _at, _col, _Grid
from impact.io._records import (
    _LONG_ROLES,
    _NORMALISE,
    _count_or_problem,
    _has_year,
    _is_closed,
    _is_number,
    _label_kind,
    _month_or_problem,
    _Parsed,
    _Problems,
    _Record,
)
from impact.io.measures import find_measure
from impact.io.teams import _key, _Vocabulary

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
