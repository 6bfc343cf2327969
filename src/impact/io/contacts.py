"""Read contact logs (one row per contact).

Some organisations behind 1712 keep a log with one row per contact instead of (or
besides) counts per month. :func:`load_contact_log` reads such a log (CSV or XLSX) into a
:class:`ContactLog` (``summary()``, ``to_frame()``, ``plot()``). Counting it per team and
day, ISO week or month (:func:`impact.io.contact_counts.aggregate_contacts`) and
tabulating its problem categories (:func:`impact.io.contact_counts.contact_category_table`)
live in :mod:`impact.io.contact_counts`.

A log has a header row and one row per contact. Columns (header names matched without
regard to case, accents, spaces and punctuation; every other column is an error unless
named in ``ignore=``):

time (required)
    ``tijdstip``/``timestamp``/``datum``/``date``/``datumtijd``/``datetime``/...: a date
    or a date and time (``27/08/2023 23:59``, ``2023-08-27T23:59:00``, Excel date-time
    cells), day first as in :func:`impact._core.dates.parse_date_value`. A separate
    time-of-day column (``uur``/``tijd``/``time``) may complete a date column.
team (required)
    As in the count tables (``team``/``ploeg``/``provincie``/...; ``teams=``,
    ``aliases=`` as in :func:`~impact.io.calls.load_call_counts`). Total labels are not
    contacts and are refused.
channel (optional)
    ``kanaal``/``channel``: ``telefoon``/``phone``, ``chat``, ``e-mail``/``mail``
    (:func:`impact.io.measures.canonical_channel`).
outcome (optional)
    ``uitkomst``/``outcome``/``status``/``resultaat``: ``beantwoord``/``answered``,
    ``gemist``/``missed``, ... (:func:`impact.io.measures.canonical_measure`).
category (optional)
    ``categorie``/``category``/``probleem``/``thema``: a problem label mapped onto the
    stable codes of :mod:`impact.io.taxonomy` (an unknown label is an error; an empty
    cell is an uncategorised contact).

Times are local time in Europe/Brussels as written. A contact belongs to the calendar day
of its local time (one at 23:59 to that day, one at 00:00 to the next), so the days of
the clock changes (23 and 25 hours) need nothing special. A time with a UTC offset
(``2023-10-28T22:30:00Z``) is converted to Brussels time first. Row numbers in messages
are those a spreadsheet shows (row 1 is the header line).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

import impact.plots.contacts as _plots
from impact._core.constants import FLANDERS
from impact._core.dates import format_period, parse_date_value, parse_timestamp_value
from impact._core.exceptions import DataValidationError
from impact._core.parsing import fold_text, is_blank
from impact._core.summary import Summary
from impact._core.validation import validate_kind
from impact.io._grid import _at, _Grid, _read_grid
from impact.io._records import _Problems
from impact.io.measures import canonical_channel, canonical_measure
from impact.io.taxonomy import categorize
from impact.io.teams import _key, _Vocabulary

__all__ = ["CONTACT_LOG_COLUMNS", "ContactLog", "load_contact_log"]

#: Columns of :meth:`ContactLog.to_frame`, in order (``<NA>`` where the log has no such
#: column): ``row`` (the spreadsheet row), ``timestamp`` (local time, naive),
#: ``day`` (``period[D]``), ``team``, ``channel``, ``outcome``, ``category`` (stable code
#: of :mod:`impact.io.taxonomy`) and ``category_label`` (as written).
CONTACT_LOG_COLUMNS: tuple[str, ...] = (
    "row", "timestamp", "day", "team", "channel", "outcome", "category", "category_label",
)

_ROLES: dict[str, tuple[str, ...]] = {
    "time": ("tijdstip", "timestamp", "datum", "date", "datumtijd", "datetime", "moment",
             "datumentijd", "dateandtime", "contactdatum", "datumcontact", "start",
             "starttijd", "begin", "begintijd", "aanvang", "dag", "day", "ontvangen",
             "received"),
    "clock": ("uur", "tijd", "time", "tijdvanhetcontact", "hour", "startuur", "beginuur"),
    "team": ("team", "ploeg", "provincie", "province", "regio", "region", "caw",
             "hulplijn", "helpline", "teamnaam"),
    "channel": ("kanaal", "channel", "medium", "contactkanaal", "contactwijze"),
    "outcome": ("uitkomst", "outcome", "status", "resultaat", "result", "afhandeling",
                "measure", "maat"),
    "category": ("categorie", "category", "probleem", "problematiek", "thema", "problem",
                 "probleemcategorie", "problemcategory", "onderwerp", "topic"),
}
_ROLE_OF = {key: role for role, keys in _ROLES.items() for key in keys}
_OPTIONAL = ("channel", "outcome", "category")
_CLOCK = re.compile(r"^(\d{1,2})[:.u](\d{2})(?::(\d{2}))?$")


@dataclasses.dataclass(frozen=True)
class ContactLog:
    """A contact log as read by :func:`load_contact_log`: one row per contact.

    Attributes
    ----------
    contacts : DataFrame
        The contacts, with the columns of :data:`CONTACT_LOG_COLUMNS` (read it through
        :meth:`to_frame`, which returns a copy).
    columns : tuple of str
        The optional columns the file had (``"channel"``, ``"outcome"``, ``"category"``).
    kind : str
        Data kind (``"real"``, ``"synthetic"``, ``"published"``).
    source : str
        The path as given.
    sha256 : str
        SHA-256 of the file's bytes.
    definition : str
        What one row stands for.
    total : str
        Name of the total of all teams.
    teams : tuple of str or None
        The declared teams, if any.
    """

    contacts: pd.DataFrame
    columns: tuple[str, ...]
    kind: str
    source: str
    sha256: str
    definition: str = "one logged contact"
    total: str = FLANDERS
    teams: tuple[str, ...] | None = None

    @property
    def first_day(self) -> pd.Period:
        """The day of the first contact."""
        return self.contacts["day"].min()

    @property
    def last_day(self) -> pd.Period:
        """The day of the last contact."""
        return self.contacts["day"].max()

    def to_frame(self) -> pd.DataFrame:
        """The contacts, one row each, with the fixed columns :data:`CONTACT_LOG_COLUMNS`."""
        return self.contacts.copy()

    def summary(self) -> Summary:
        """Contacts per team (and outcome, channel), the span and how categories mapped."""
        frame = self.to_frame()
        rows = []
        for team, group in frame.groupby("team", sort=True):
            row: dict[str, Any] = {"team": team, "contacts": len(group),
                                   "first_day": format_period(group["day"].min()),
                                   "last_day": format_period(group["day"].max())}
            if "outcome" in self.columns:
                for outcome, n in group["outcome"].value_counts().sort_index().items():
                    row[f"outcome_{outcome}"] = int(n)
            if "channel" in self.columns:
                for channel, n in group["channel"].value_counts().sort_index().items():
                    row[f"channel_{channel}"] = int(n)
            if "category" in self.columns:
                row["categorised"] = int(group["category"].notna().sum())
            rows.append(row)
        table = pd.DataFrame(rows).set_index("team").fillna(0)
        n = len(frame)
        text = (
            f"Contact log {self.source!r} ({self.kind} data): {n} contact"
            f"{'s' if n != 1 else ''} of {frame['team'].nunique()} team(s) from "
            f"{format_period(self.first_day)} to {format_period(self.last_day)}, one row "
            "per contact. Times are local (Europe/Brussels); a contact counts on the "
            "calendar day of its local time. Count it at any resolution (daily, weekly, "
            "monthly) with aggregate_contacts."
        )
        if "outcome" in self.columns:
            counts = frame["outcome"].value_counts().sort_index()
            text += " Outcomes: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "."
        if "category" in self.columns:
            done = int(frame["category"].notna().sum())
            text += (f" Problem categories mapped onto the taxonomy for {done} of {n} "
                     "contacts (the others have none).")
        return Summary(table=table, text=text)

    def plot(self, *, ax: Any = None, resolution: str = "weekly") -> Any:
        """Bar chart of contacts per period (see :func:`impact.plots.contacts.plot_contacts`)."""
        return _plots.plot_contacts(self, ax=ax, resolution=resolution)


# --- reading -------------------------------------------------------------------------------


def load_contact_log(
    path: str | Path,
    *,
    kind: str | None = None,
    sheet: str | int | None = None,
    teams: Iterable[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    total: str = FLANDERS,
    ignore: Sequence[str] = (),
    definition: str = "one logged contact",
    verify_checksum: bool = True,
) -> ContactLog:
    """Read a contact log (one row per contact) from a CSV or XLSX file.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (also ``.tsv``/``.txt``; encodings and separators as for
        :func:`~impact.io.calls.load_call_counts`) or ``.xlsx`` file with a header row
        and one row per contact; the columns are described in the module docstring.
    kind : {"real", "synthetic", "published"} or None, default None
        Data kind; ``None``: ``"synthetic"`` for a ``SYNTHETIC_`` file name, else
        ``"real"``.
    sheet : str or int, optional
        Worksheet of an XLSX file; default the only sheet with data.
    teams, aliases, total
        Team vocabulary, as in :func:`~impact.io.calls.load_call_counts`.
    ignore : sequence of str, default ()
        Header names of columns to leave out (an id, a duration, free notes). Any other
        unrecognised column is an error, so nothing is dropped silently.
    definition : str, default "one logged contact"
        What one row stands for (recorded on the result).
    verify_checksum : bool, default True
        Check the file against a ``SHA256SUMS`` file next to it when it lists it.

    Returns
    -------
    ContactLog
        The contacts, sorted by time and team, with their spreadsheet row numbers.

    Raises
    ------
    DataValidationError
        For the file problems of ``load_call_counts`` (missing, empty, unreadable), a
        missing time or team column, unknown columns, and for every bad row at once,
        each with its row, column and value: an empty or unreadable date or time, a
        month-first date, an unknown team or a total row, an empty channel or outcome,
        and an unknown problem label.

    See Also
    --------
    impact.io.contact_counts.aggregate_contacts : Count the log per team and period.
    impact.io.contact_counts.contact_category_table : Its problem categories as a table.
    """
    if kind is not None:
        kind = validate_kind(kind)
    vocab = _Vocabulary.build(teams, aliases, total)
    read = _read_grid(path, what="contact log", kind=kind, sheet=sheet,
                      verify_checksum=verify_checksum)
    grid, digest, is_synthetic = read.grid, read.digest, read.is_synthetic_name
    contacts, columns = _parse_log(grid, vocab, {_key(c) for c in ignore})
    return ContactLog(
        contacts=contacts,
        columns=columns,
        kind=kind or ("synthetic" if is_synthetic else "real"),
        source=str(path),
        sha256=digest,
        definition=str(definition),
        total=vocab.total,
        teams=vocab.teams,
    )


def _header(grid: _Grid, ignore: set[str]) -> tuple[int, dict[str, int]]:
    rows = [r for r in range(len(grid.cells)) if not grid.is_blank_row(r)]
    if not rows:
        raise DataValidationError(f"{grid.source}: the file is empty (no cell has a value).")
    h = rows[0]
    cols: dict[str, int] = {}
    problems = _Problems(grid.source)
    for c in grid.nonblank(h):
        name = str(grid.value(h, c)).strip()
        key = _key(name)
        if key in ignore:
            continue
        role = _ROLE_OF.get(key)
        if role is None:
            problems.add(
                f"{_at(h, c, name)}: column {name!r} is not recognised; a contact log has "
                "columns for the time (tijdstip/datum), the team, and optionally the channel "
                "(kanaal), outcome (uitkomst) and problem category (categorie). Rename it, "
                f"or pass ignore=[{name!r}] to leave it out"
            )
        elif role in cols:
            problems.add(f"{_at(h, c, name)}: a second column for the {role}; keep one")
        else:
            cols[role] = c
    problems.raise_if_any()
    missing = [role for role in ("time", "team") if role not in cols]
    if missing:
        found = ", ".join(repr(str(grid.value(h, c)).strip()) for c in grid.nonblank(h))
        raise DataValidationError(
            f"{grid.source}: header row {h + 1} has no column for the "
            f"{' and the '.join(missing)} (found {found}); a contact log needs the time "
            "(e.g. 'tijdstip' or 'datum') and the team of each contact."
        )
    return h, cols


def _clock(value: object) -> _dt.time | None | str:
    """A time of day from a cell: a ``time``, ``None`` (empty) or a reason (str)."""
    if is_blank(value):
        return None
    if isinstance(value, _dt.datetime):
        return value.time()
    if isinstance(value, _dt.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time as a fraction of a day
        seconds = round(value * 86400)
        return _dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    m = _CLOCK.match(fold_text(value))
    if m:
        hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if hour <= 23 and minute <= 59 and second <= 59:
            return _dt.time(hour, minute, second)
    return f"{str(value).strip()!r} is not a time of day (expected e.g. 23:59)"


def _parse_log(
    grid: _Grid, vocab: _Vocabulary, ignore: set[str]
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    h, cols = _header(grid, ignore)
    header = grid.cells[h]
    problems = _Problems(grid.source, vocab=vocab)

    def where(r: int, role: str) -> str:
        return _at(r, cols[role], header[cols[role]])

    records: list[dict[str, Any]] = []
    for r in range(h + 1, len(grid.cells)):
        if grid.is_blank_row(r):
            continue
        rec: dict[str, Any] = {"row": r + 1}
        value = grid.value(r, cols["time"])
        if "clock" in cols:
            day = parse_date_value(value, allow_time=True)
            clock = _clock(grid.value(r, cols["clock"]))
            if day.kind != "day" or day.period is None:
                problems.add(f"{where(r, 'time')}: {day.detail}")
            elif isinstance(clock, str):
                problems.add(f"{where(r, 'clock')}: {clock}")
            else:
                stamp = day.period.to_timestamp()
                if clock is not None:
                    stamp += pd.Timedelta(hours=clock.hour, minutes=clock.minute,
                                          seconds=clock.second)
                rec["timestamp"] = stamp
        else:
            stamp, reason = parse_timestamp_value(value)
            if stamp is None:
                problems.add(f"{where(r, 'time')}: {reason}")
            else:
                rec["timestamp"] = stamp
        label = grid.value(r, cols["team"])
        problems.see(label)
        team = vocab.resolve(label)
        if team is None:
            if is_blank(label):
                problems.add(f"{where(r, 'team')}: the team is empty")
            elif vocab.is_total(label):
                problems.add(f"{where(r, 'team')}: {str(label).strip()!r} is a total, not a "
                             "team; a contact log has one row per contact of one team")
            else:
                problems.unknown_team(label, where(r, "team"))
        rec["team"] = team
        for role, normalise in (("channel", canonical_channel), ("outcome", canonical_measure)):
            if role in cols:
                cell = grid.value(r, cols[role])
                if is_blank(cell):
                    problems.add(f"{where(r, role)}: the {role} is empty")
                rec[role] = normalise(cell) or None
        if "category" in cols:
            cell = grid.value(r, cols["category"])
            rec["category_label"] = None if is_blank(cell) else str(cell).strip()
            rec["category"] = None
            if not is_blank(cell):
                try:
                    rec["category"] = categorize(str(cell))
                except DataValidationError:
                    problems.add(
                        f"{where(r, 'category')}: unknown problem label {str(cell).strip()!r}; "
                        "use a label of impact.io.taxonomy (known_labels()), or add it to "
                        "the taxonomy with its source"
                    )
        records.append(rec)
    problems.raise_if_any()
    if not records:
        raise DataValidationError(
            f"{grid.source}: header found at row {h + 1} but no contacts below it."
        )
    frame = pd.DataFrame(records)
    stamps = pd.to_datetime(frame["timestamp"]).astype("datetime64[ns]")
    out = pd.DataFrame({
        "row": frame["row"].astype("int64"),
        "timestamp": stamps,
        "day": stamps.dt.to_period("D"),
        "team": pd.array(frame["team"], dtype="str"),
    })
    for col in ("channel", "outcome", "category", "category_label"):
        out[col] = (pd.array(frame[col].where(frame[col].notna(), None), dtype="str")
                    if col in frame.columns else pd.array([pd.NA] * len(frame), dtype="str"))
    out = out.sort_values(["timestamp", "team", "row"], kind="stable").reset_index(drop=True)
    return out[list(CONTACT_LOG_COLUMNS)], tuple(c for c in _OPTIONAL if c in cols)
