"""Read raw 1712 call-count tables into the canonical long frame, and back.

:func:`load_call_counts` reads a CSV or XLSX table of answered contacts per team and
month (or ISO week, or day; see *Daily and weekly tables* below), in any of three
layouts, and returns the canonical long frame of STYLE.md
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
    ``measure``/``maat``/``indicator``/``type``, ``channel``/``kanaal``,
    ``category``/``categorie``/``probleem``, ``exposure`` and ``kind``. Every other
    column is an error (nothing is silently ignored).
wide, one row per month
    A header row of team names (a first label column of months).
wide, one row per team
    A header row of months (a first label column of team names). Several year blocks may
    be stacked in one sheet, separated by a blank row; month headers without a year
    (``januari``, ``feb``) take the year from the header's first cell (``2023``) or from a
    title row above the block (``Aantal oproepen 2023``). A ``maat``/``measure`` column
    after the team names, or a title naming a measure (``Beantwoorde oproepen``), gives
    the counts' measure.

Daily and weekly tables:

- The long layout and the wide layout with one row per period (teams as columns) also
  hold days or weeks; the time column's header may be ``datum``/``date``/``dag``/``day``
  or ``week``/``wk``/``weeknummer`` too. The resolution is detected from the labels
  (``resolution="auto"``) or given (``"monthly"``, ``"weekly"``, ``"daily"``).
- Days: ``27/08/2023``, ``27-08-2023``, ``27.08.2023``, ``2023-08-27``,
  ``27 augustus 2023``, ``27 aug 2023`` (optionally after a weekday name), Excel date
  cells. Numeric dates are read day first, the Belgian way (``03/04/2023`` is 3 April),
  never month first: ``08/27/2023`` is an error.
- Weeks are ISO weeks, Monday to Sunday, stored as pandas ``W-SUN`` periods (weeks
  ending on Sunday): ``2023-W35``, ``week 35 2023``, ``2023 wk 35``, or the week's
  Monday as a date (another weekday is an error).
- The frame's time column is named after the resolution: ``week`` (``period[W-SUN]``)
  or ``day`` (``period[D]``) instead of ``month``; ``attrs["resolution"]`` says
  ``"weekly"`` or ``"daily"`` (monthly frames are unchanged and carry no such key).
- Missing days or weeks inside a team's range are errors naming the first missing
  ones; a day without calls is written as ``0``. A day (or week) the line was closed
  may be declared by writing ``gesloten`` (or ``closed``) in its count cell: it counts
  0 and is listed in ``attrs["closed"]``, so a closure is visible, never a silent gap.
- Wide tables with days or weeks as columns (one row per team) are not read: put the
  periods in rows.

Conventions (each also documented where it applies):

- Teams are data: any label is a team unless ``teams=`` declares them. ``aliases=``
  and then :data:`impact.io.teams.TEAM_ALIASES` map variants, matched without regard to
  case, accents, punctuation and spaces, and with a leading ``CAW``/``provincie``/``team``
  dropped.
- ``Totaal``/``Total``/``Vlaanderen``/``Flanders`` rows and columns
  (:data:`impact.io.teams.TOTAL_LABELS`, plus the ``total=`` name) are checked against
  the sum they stand for and then dropped.
- One measure per series (``measure=``), channels summed or chosen (``channels=``).
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

Reading the file into cells (encodings, separators, workbooks, checksums) lives in the
private module :mod:`impact.io._grid`; recognising the layout and parsing it (header
synonyms, year blocks, total rows and columns) in :mod:`impact.io._layouts`; team names
in :mod:`impact.io.teams`.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impact._core.constants import FLANDERS, TEAMS
from impact._core.dates import format_period
from impact._core.exceptions import DataValidationError
from impact._core.parsing import (
    MAX_COUNT,
    format_list,
    gap_message,
    is_blank,
    parse_count_value,
)
from impact._core.validation import (
    check_choice,
    check_int,
    validate_kind,
    validate_month,
)
from impact.io._grid import _read_grid
from impact.io._layouts import _final_checks, _parse_grid
from impact.io._periods import (
    COLUMN_OF,
    FREQ_OF,
    FREQ_OF_COLUMN,
    RESOLUTION_OF,
    detect_freq,
    parse_period,
    time_column,
    validate_frame,
)
from impact.io._records import _Problems
from impact.io.measures import _select_channels, _select_measure
from impact.io.teams import _Vocabulary, canonical_team

__all__ = [
    "DEFAULT_DEFINITION",
    "MAX_COUNT",
    "aggregate_calls",
    "annual_totals",
    "from_wide",
    "load_call_counts",
    "to_series",
    "to_wide",
    "write_call_counts",
]

#: Default ``frame.attrs["definition"]``: what one count stands for.
DEFAULT_DEFINITION: str = "answered contacts (phone+chat+e-mail) as given in the input"


# --- the loader ----------------------------------------------------------------------------


def load_call_counts(
    path: str | Path,
    *,
    kind: str | None = None,
    sheet: str | int | None = None,
    teams: Iterable[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    total: str = FLANDERS,
    measure: str | None = None,
    channels: str | Sequence[str] | None = "sum",
    definition: str = DEFAULT_DEFINITION,
    verify_checksum: bool = True,
    max_count: int = MAX_COUNT,
    resolution: str = "auto",
) -> pd.DataFrame:
    """Read a table of calls per team and month, week or day into the canonical long frame.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (also ``.tsv``/``.txt``) or ``.xlsx`` file, opened read-only. Long
        layout (``team, month, calls``) or one of the two wide layouts; see the module
        docstring for the accepted headers, month labels, number formats, total rows
        and encodings.
    kind : {"real", "synthetic", "published"} or None, default None
        Data kind recorded in ``attrs["kind"]``. ``None``: the kind the file declares
        (its ``kind`` column, else ``"synthetic"`` for a ``SYNTHETIC_`` file name, else
        ``"real"``). An explicit kind must agree with a ``kind`` column, and a file
        whose name starts with ``SYNTHETIC_`` is only read as ``"synthetic"``.
    sheet : str or int, optional
        Worksheet of an XLSX file (name, or position from 0). Default: the only sheet
        that holds data.
    teams : iterable of str, optional
        The teams the file may name. ``None`` (default): teams are data, any label is a
        team; the built-in 1712 variants (:data:`impact.io.teams.TEAM_ALIASES`) still map
        to their canonical names, other labels are kept as written (whitespace
        normalised). Given: every label must map (directly, through ``aliases`` or the
        built-in variants) to one of them; unknown labels raise one error listing the
        labels seen and the closest known names. ``attrs["teams"]`` records them.
    aliases : mapping of str to str, optional
        Label -> team name, applied before the built-in variants (keys match without
        regard to case, accents, punctuation and spaces), e.g.
        ``{"1712 Antwerpen": "Antwerpen"}``.
    total : str, default "Flanders"
        Name of the total of all teams. Rows, columns and teams labelled with it or with
        :data:`impact.io.teams.TOTAL_LABELS` are totals: checked against the sum they
        stand for, then dropped. Recorded in ``attrs["total"]``.
    measure : str, optional
        The measure to read when the file has a measure column (long: ``measure``,
        ``maat``, ``indicator``, ``type``; wide: a measure column after the team names,
        or one block per measure under a title such as ``"Beantwoorde oproepen"``).
        Spellings map to :data:`impact.io.measures.MEASURES` (``"beantwoord"`` ->
        ``"answered"``). ``None``: the file's only measure; several raise an error
        listing them. ``attrs["measure"]`` records the measure (without a measure
        column: ``measure`` if given, else ``definition``).
    channels : "sum", sequence of str or None, default "sum"
        With a channel column (``channel``/``kanaal``: telefoon/phone, chat,
        e-mail/mail): ``"sum"`` sums the channels per team-month; a list (``["phone"]``)
        keeps those channels only (and sums them); ``None`` keeps the ``channel``
        column. ``attrs["channels"]`` lists the channels summed.
    definition : str, default :data:`DEFAULT_DEFINITION`
        What one count stands for, recorded in ``attrs["definition"]``.
    verify_checksum : bool, default True
        Check the file against a ``SHA256SUMS`` file in its folder when it lists it.
    max_count : int, default :data:`~impact._core.parsing.MAX_COUNT`
        Largest plausible count in one cell (10 million: more contacts than Flanders has
        inhabitants); larger counts are refused as export errors. Raise it on purpose
        for data that really are that large.
    resolution : {"auto", "monthly", "weekly", "daily"}, default "auto"
        The table's periods. ``"auto"`` detects them from the time labels: monthly when
        every label is a month (as before daily data existed; dates on the first or last
        day of a month are months), weekly when most labels are ISO weeks or all are
        Mondays whole weeks apart, daily when most labels are dates. Give it to read,
        for example, a one-week table labelled by its Monday, or a daily table whose
        dates are all first-of-month. See *Daily and weekly tables* in the module
        docstring.

    Returns
    -------
    pandas.DataFrame
        Columns ``team`` (canonical name), ``month`` (``period[M]``; a weekly table has
        ``week``, ``period[W-SUN]``, a daily one ``day``, ``period[D]``), ``calls``
        (``int64`` >= 0), plus ``channel``/``category``/``exposure``/``kind`` when the
        file has them; one row per team-month (per team, month, channel and category
        when those are present), sorted. ``attrs``: ``kind``, ``sha256``, ``source``,
        ``definition``, and ``notes`` (the skipped note rows, ``"row 26: Bron: ..."``)
        when the file has note rows below a long table, ``total``, ``measure``,
        ``channels`` (when the file has a channel column) and ``teams`` (when declared);
        for daily and weekly tables ``resolution`` (``"daily"``/``"weekly"``) and, when
        the table declares closed days or weeks, ``closed`` (team -> list of
        ``YYYY-MM-DD`` or ``YYYY-Www`` labels).

    Raises
    ------
    DataValidationError
        For every problem in the file, all listed at once where possible, each with
        its place (file, sheet, row, column, team, month) and how to fix it: file not
        found, a folder, a symbolic-link loop, an unreadable file (permissions), empty
        file, unreadable encoding, unrecognised layout, missing or unknown columns,
        unknown teams, unparseable or non-monthly labels (mixed frequencies), months in
        the future, negative, fractional, empty, non-numeric or implausibly large counts
        (above ``max_count``), mismatching total rows or columns, duplicate team-months,
        and missing months inside a team's range (teams may cover different ranges).

    See Also
    --------
    aggregate_calls : Sum over channel and category.
    to_series : One team's (or Flanders') monthly series.
    write_call_counts : The inverse, for round-trips.

    Notes
    -----
    Nothing is filled or dropped silently: the only cells left out are total rows and
    columns (after they are checked), empty cells outside a team's covered range in the
    wide layouts, and title or note rows outside the table. A note row below a long
    table is a row with text in the table's first column and every other cell empty
    (``"Bron: 1712 export,,"``), at the end of the file; it is recorded in
    ``attrs["notes"]``. Any other row below the table is parsed as data.
    """
    if kind is not None:
        kind = validate_kind(kind)
    max_count = check_int(max_count, "max_count", minimum=1)
    check_choice(resolution, "resolution", ("auto", *FREQ_OF))
    freq = None if resolution == "auto" else FREQ_OF[resolution]
    vocab = _Vocabulary.build(teams, aliases, total)
    if not (channels is None or channels == "sum" or (
            isinstance(channels, Sequence) and not isinstance(channels, str) and channels)):
        raise DataValidationError(
            f"channels={channels!r}; expected 'sum', a list of channels such as ['phone'], "
            "or None to keep the channel column."
        )
    read = _read_grid(path, what="file", kind=kind, sheet=sheet,
                      verify_checksum=verify_checksum)
    grid, digest, is_synthetic_name = read.grid, read.digest, read.is_synthetic_name
    parsed = _parse_grid(grid, kind, max_count, vocab, freq)
    if kind is None:
        kind = parsed.file_kind or ("synthetic" if is_synthetic_name else "real")
    problems = _Problems(grid.source)
    _final_checks(parsed, problems)
    problems.raise_if_any()

    time = COLUMN_OF[parsed.freq]
    columns: dict[str, Any] = {
        "team": [rec.team for rec in parsed.records],
        time: pd.PeriodIndex([rec.month for rec in parsed.records], freq=parsed.freq),
    }
    for col in ("channel", "category", "measure"):
        if col in parsed.columns:
            columns[col] = [getattr(rec, col) for rec in parsed.records]
    columns["calls"] = np.array([rec.calls for rec in parsed.records], dtype=np.int64)
    if "exposure" in parsed.columns:
        columns["exposure"] = np.array([rec.exposure for rec in parsed.records], dtype=float)
    if parsed.file_kind is not None:
        columns["kind"] = [parsed.file_kind] * len(parsed.records)
    frame = pd.DataFrame(columns)
    attrs: dict[str, Any] = {
        "kind": kind,
        "sha256": digest,
        "source": str(path),
        "definition": str(definition),
    }
    if parsed.notes:
        attrs["notes"] = list(parsed.notes)
    if parsed.freq != "M":
        attrs["resolution"] = RESOLUTION_OF[parsed.freq]
        closed: dict[str, list[str]] = {}
        for rec in parsed.records:
            if rec.closed:
                closed.setdefault(rec.team, []).append(format_period(rec.month))
        if closed:
            attrs["closed"] = {t: sorted(set(v)) for t, v in sorted(closed.items())}
    frame = _select_measure(frame, measure, str(definition), grid.source, attrs)
    frame = _select_channels(frame, channels, grid.source, attrs)
    attrs["total"] = vocab.total
    if vocab.teams is not None:
        attrs["teams"] = list(vocab.teams)
    frame.attrs = attrs
    return validate_frame(frame, name=grid.source)


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
    panel = validate_frame(frame)
    extras = [c for c in ("channel", "category") if c in panel.columns]
    if not extras:
        return panel
    time = time_column(panel)
    grouped = panel.groupby(["team", time], sort=True, observed=True)
    out = grouped["calls"].sum().reset_index()
    if "exposure" in panel.columns:
        spread = grouped["exposure"].agg(["min", "max"]).reset_index()
        bad = spread[spread["min"] != spread["max"]]
        if len(bad):
            listed = [f"{t} {format_period(m)}" for t, m in zip(bad["team"], bad[time],
                                                                 strict=True)]
            raise DataValidationError(
                f"aggregate_calls: exposure differs between the {'/'.join(extras)} rows of "
                f"{format_list(listed)}; give one exposure per team-month before summing."
            )
        out["exposure"] = spread["min"].to_numpy()
    if "kind" in panel.columns:
        out["kind"] = panel["kind"].iloc[0]
    out.attrs = dict(panel.attrs)
    return validate_frame(out)


def _team_or_total(team: object, total: str = FLANDERS) -> str:
    vocab = _Vocabulary.build(total=total)
    if isinstance(team, str) and (team == total or vocab.is_total(team)):
        return total
    name = vocab.resolve(team)
    if name is None:
        return canonical_team(team)  # raises with the usual message
    return name


def _expected_teams(panel: pd.DataFrame) -> tuple[str, ...]:
    """The teams a total stands for: the declared ones, the five 1712 teams for a 1712
    panel, else the teams present."""
    present = tuple(dict.fromkeys(panel["team"]))
    declared = panel.attrs.get("teams")
    if declared:
        return tuple(declared)
    if set(present) <= set(TEAMS):
        return TEAMS
    return tuple(sorted(present))


def to_series(frame: pd.DataFrame, team: str, *, total: str | None = None) -> pd.Series:
    """Return one team's counts, or the total of all teams, as a model series.

    Parameters
    ----------
    frame : DataFrame
        Canonical long frame (channel/category rows are summed first, see
        :func:`aggregate_calls`).
    team : str
        A team of the frame (or a 1712 variant :func:`impact.io.teams.canonical_team`
        knows), or the total's name (also ``"Vlaanderen"``/``"Totaal"``): the sum of
        all teams present.
    total : str, optional
        Name of the total; default ``frame.attrs["total"]``, else ``"Flanders"``.

    Returns
    -------
    pandas.Series
        Named ``"calls"``, ``int64``, index a complete sorted ``PeriodIndex``
        (``freq="M"``) named ``"month"`` (for a weekly or daily frame ``freq="W-SUN"``
        named ``"week"`` or ``freq="D"`` named ``"day"``); ``attrs`` = the frame's
        ``attrs`` plus ``team``.

    Raises
    ------
    DataValidationError
        For an invalid frame, an unknown team or one not in the frame, and for the total
        when declared teams (``frame.attrs["teams"]``) are missing or the teams cover
        different months (the message lists each team's range and the common range to
        restrict the frame to).
    """
    panel = aggregate_calls(frame)
    time = time_column(panel)
    freq = FREQ_OF_COLUMN[time]
    unit = time + "s"
    total_name = total if total is not None else str(panel.attrs.get("total", FLANDERS))
    name = team if team in set(panel["team"]) else _team_or_total(team, total_name)
    if name == total_name:
        present = set(panel["team"])
        declared = panel.attrs.get("teams") or ()
        absent = [t for t in declared if t not in present]
        if absent:
            raise DataValidationError(
                f"to_series: the {total_name} total stands for the declared teams "
                f"{', '.join(declared)}; the frame lacks {', '.join(absent)}. Load a table "
                "with every team, or declare only the teams it holds."
            )
        ranges = {t: (g[time].min(), g[time].max()) for t, g in panel.groupby("team")}
        if len(set(ranges.values())) > 1:
            listed = ", ".join(f"{t} {format_period(a)}..{format_period(b)}"
                               for t, (a, b) in ranges.items())
            start = max(a for a, _ in ranges.values())
            end = min(b for _, b in ranges.values())
            advice = (
                f"restrict the frame to {format_period(start)}..{format_period(end)}, the "
                f"{unit} all teams cover" if start <= end else f"the teams share no {time}"
            )
            raise DataValidationError(
                f"to_series: the teams cover different {unit} ({listed}), so a {total_name} "
                f"total would mix teams; {advice}."
            )
        sums = panel.groupby(time, sort=True)["calls"].sum()
        index, values = sums.index, sums.to_numpy()
    else:
        part = panel[panel["team"] == name]
        if part.empty:
            raise DataValidationError(
                f"to_series: team {name!r} is not in the frame; it holds "
                f"{', '.join(sorted(set(panel['team'])))}."
            )
        index, values = part[time], part["calls"].to_numpy()
    series = pd.Series(
        np.asarray(values, dtype=np.int64),
        index=pd.PeriodIndex(index, freq=freq, name=time),
        name="calls",
    )
    series.attrs = {**panel.attrs, "team": name}
    return series


def to_wide(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the counts as a table of months (or weeks, days) by teams (columns).

    Parameters
    ----------
    frame : DataFrame
        Canonical long frame (channel/category rows are summed first). ``exposure`` and
        ``kind`` columns are not part of the wide table (``kind`` stays in ``attrs``).

    Returns
    -------
    pandas.DataFrame
        Index: every month from the first to the last month of any team
        (``PeriodIndex`` named ``"month"``; ``"week"``/``"day"`` for weekly and daily
        frames); columns: the teams present (the
        1712 teams in :data:`~impact._core.constants.TEAMS` order, then the others sorted;
        column index named ``"team"``); values
        ``Int64`` with ``<NA>`` where a team was not covered; ``attrs`` kept.

    See Also
    --------
    from_wide : The inverse.
    """
    panel = aggregate_calls(frame)
    time = time_column(panel)
    freq = FREQ_OF_COLUMN[time]
    months = pd.period_range(panel[time].min(), panel[time].max(), freq=freq, name=time)
    present = set(panel["team"])
    teams = [t for t in TEAMS if t in present] + sorted(present - set(TEAMS))
    wide = pd.DataFrame(
        {t: pd.array([pd.NA] * len(months), dtype="Int64") for t in teams}, index=months
    )
    for team, group in panel.groupby("team", sort=False):
        positions = months.get_indexer(pd.PeriodIndex(group[time], freq=freq))
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
        Index of months (``PeriodIndex`` or labels such as ``"2023-04"``; a weekly or
        daily ``PeriodIndex``, or labels of days or ISO weeks such as ``"27/08/2023"`` or
        ``"2023-W35"``, gives a weekly or daily frame), one column
        per team (1712 variants map, see :func:`impact.io.teams.canonical_team`), counts
        as values. A Flanders/total column is checked against the row sums and dropped.
        Missing values before a team's first or after its last count mean "not covered".

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
    freq = "M"
    if isinstance(wide.index, pd.PeriodIndex) and wide.index.freqstr in COLUMN_OF:
        freq = wide.index.freqstr
        months = list(wide.index)
    elif (freq := detect_freq(list(wide.index))) != "M":
        months = []
        for label in wide.index:
            _, period, detail = parse_period(label, freq)
            if period is None:
                raise DataValidationError(
                    f"from_wide: index label {label!r}: {detail}; the index holds "
                    f"{RESOLUTION_OF[freq]} labels, so every label must be one "
                    f"{COLUMN_OF[freq]}."
                )
            months.append(period)
    else:
        months = [validate_month(v, f"from_wide index label {v!r}") for v in wide.index]
    teams: list[str] = []
    rows: list[tuple[str, pd.Period, object]] = []
    gaps: dict[str, list[pd.Period]] = {}
    totals: list[object] = []
    total = str(wide.attrs.get("total", FLANDERS))
    for col in wide.columns:
        team = _team_or_total(col, total)
        if team == total:
            totals.append(col)
            continue
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
        COLUMN_OF[freq]: pd.PeriodIndex([m for _, m, _ in rows], freq=freq),
        "calls": pd.Series([v for _, _, v in rows], dtype=object),
    })
    long.attrs = dict(wide.attrs)
    panel = validate_frame(long, name="from_wide")
    if totals:
        sums = panel.groupby(COLUMN_OF[freq])["calls"].sum()
        for col in totals:
            for month, value in zip(months, wide[col].to_numpy(dtype=object), strict=True):
                if _is_missing(value):
                    continue
                expected = int(sums.get(month, 0))
                count, reason = parse_count_value(value)
                if count != expected:
                    raise DataValidationError(
                        f"from_wide: total column {col!r} says {value!r} for "
                        f"{format_period(month)} but the teams sum to {expected}"
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
        Canonical long frame (monthly, weekly or daily).

    Returns
    -------
    pandas.DataFrame
        Columns ``team`` (the 1712 teams in :data:`~impact._core.constants.TEAMS` order,
        other teams sorted, then the total, ``attrs["total"]`` or ``"Flanders"``),
        ``year`` (int), ``calls`` (``Int64``), ``n_months`` (months summed) and
        ``is_complete`` (all 12 months present). The total's calls are ``<NA>`` in years
        where not every team (the declared ``attrs["teams"]``; for a 1712 panel the five
        teams; else the teams present) covers the same months. A daily frame gives
        ``n_days`` (complete: 365 or 366 days) instead of ``n_months``; a weekly frame
        gives ``n_weeks`` and sums ISO weeks by their ISO year (the year of the week's
        Thursday; complete: its 52 or 53 weeks), since weeks straddle New Year.
    """
    panel = aggregate_calls(frame)
    time = time_column(panel)
    freq = FREQ_OF_COLUMN[time]
    n_col = f"n_{time}s"
    if freq == "M":
        years = panel[time].dt.year
    elif freq == "D":
        years = panel[time].dt.year
    else:  # ISO year: the year of the week's Thursday
        years = pd.Series([(p.start_time + pd.Timedelta(days=3)).year for p in panel[time]],
                          index=panel.index)
    rows: list[dict[str, Any]] = []
    for (team, year), group in panel.groupby([panel["team"], years], sort=False):
        rows.append({"team": team, "year": int(year), "calls": int(group["calls"].sum()),
                     n_col: len(group)})
    total = str(panel.attrs.get("total", FLANDERS))
    expected = set(_expected_teams(panel))
    for year in sorted(set(years)):
        part = panel[years == year]
        coverage = {t: frozenset(g[time]) for t, g in part.groupby("team")}
        same = set(coverage) == expected and len(set(coverage.values())) == 1
        n_periods = len(frozenset.intersection(*coverage.values()))
        rows.append({"team": total, "year": int(year),
                     "calls": int(part["calls"].sum()) if same else pd.NA,
                     n_col: n_periods})
    out = pd.DataFrame(rows)
    order = [t for t in TEAMS if t in set(out["team"])] + sorted(set(out["team"]) - {*TEAMS, total})
    rank = out["team"].map({t: i for i, t in enumerate((*order, total))})
    out = out.assign(_rank=rank).sort_values(["_rank", "year"], kind="stable")
    out = out.drop(columns="_rank").reset_index(drop=True)
    out["team"] = out["team"].astype("str")
    out["calls"] = out["calls"].astype("Int64")
    out[n_col] = out[n_col].astype("int64")
    out["is_complete"] = out[n_col] == out["year"].map(lambda y: _periods_in_year(int(y), freq))
    out.attrs = dict(panel.attrs)
    return out


def _periods_in_year(year: int, freq: str) -> int:
    """Months, ISO weeks or days in a calendar (ISO) year."""
    if freq == "M":
        return 12
    if freq == "D":
        return 366 if calendar.isleap(year) else 365
    return int(pd.Timestamp(year=year, month=12, day=28).isocalendar()[1])


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
        Target ``.csv`` (UTF-8, comma-separated, months as ``YYYY-MM``, weeks as
        ``YYYY-Www``, days as ``YYYY-MM-DD``) or ``.xlsx``
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
    check_choice(layout, "layout", ("long", "wide"))
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DataValidationError(
            f"write_call_counts: unsupported suffix {suffix or '(none)'!r} in {str(path)!r}; "
            "use .csv or .xlsx."
        )
    _refuse_raw(target)
    panel = validate_frame(frame)
    time = time_column(panel)
    if layout == "wide":
        dropped = [c for c in ("channel", "category", "exposure") if c in panel.columns]
        if dropped:
            raise DataValidationError(
                f"write_call_counts: layout='wide' has no place for {', '.join(dropped)}; use "
                "layout='long', or aggregate_calls(frame) and drop exposure first."
            )
        wide = to_wide(panel)
        header = [time, *[str(c) for c in wide.columns]]
        body = [
            [format_period(m), *[None if v is pd.NA else int(v) for v in row]]
            for m, row in zip(wide.index, wide.to_numpy(dtype=object), strict=True)
        ]
    else:
        header = [str(c) for c in panel.columns]
        body = []
        for rec in panel.itertuples(index=False):
            row: list[object] = []
            for col, value in zip(header, rec, strict=True):
                if col == time:
                    row.append(format_period(value))
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

