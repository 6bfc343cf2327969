"""Read contact logs (one row per contact) and count them at any resolution.

Some organisations behind 1712 keep a log with one row per contact instead of (or
besides) counts per month. :func:`load_contact_log` reads such a log (CSV or XLSX) into a
:class:`ContactLog`; :func:`aggregate_contacts` counts it per team and day, ISO week or
month into exactly the long frame :func:`impact.io.calls.load_call_counts` returns, so it
feeds :func:`impact.to_series`, :func:`impact.estimate_effect` and the study; and
:func:`contact_category_table` turns the logged problem categories into a category table
(the contract of :mod:`impact.io.categories`) for the questions on problem mix.

A log has a header row and one row per contact. Columns (header names matched without
regard to case, accents, spaces and punctuation; every other column is an error unless
named in ``ignore=``):

time (required)
    ``tijdstip``/``timestamp``/``datum``/``date``/``datumtijd``/``datetime``/...: a date
    or a date and time (``27/08/2023 23:59``, ``2023-08-27T23:59:00``, Excel date-time
    cells), day first as in :func:`impact._core.parsing.parse_date_value`. A separate
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
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import impact.plots.contacts as _plots
from impact._core.constants import FLANDERS
from impact._core.exceptions import DataValidationError
from impact._core.parsing import (
    fold_text,
    format_period,
    is_blank,
    parse_date_value,
    parse_timestamp_value,
    read_input_bytes,
)
from impact._core.summary import Summary
from impact._core.validation import check_choice, validate_kind
from impact.io._grid import (
    _SUPPORTED_EXCEL,
    _SUPPORTED_TEXT,
    _at,
    _decode,
    _Grid,
    _read_xlsx,
    _split_csv,
    _verify_checksum,
)
from impact.io._layouts import _Problems
from impact.io._periods import COLUMN_OF, FREQ_OF, RESOLUTION_OF, validate_frame
from impact.io.categories import validate_category_table
from impact.io.measures import canonical_channel, canonical_measure
from impact.io.taxonomy import categorize
from impact.io.teams import _key, _Vocabulary

__all__ = [
    "CONTACT_LOG_COLUMNS",
    "ContactLog",
    "aggregate_contacts",
    "contact_category_table",
    "load_contact_log",
]

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
#: Measures :func:`aggregate_contacts` accepts besides an outcome: every logged contact.
_ALL = ("offered", "all", "alle", "aangeboden")
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
    aggregate_contacts : Count the log per team and period.
    contact_category_table : The logged problem categories as a category table.
    """
    if kind is not None:
        kind = validate_kind(kind)
    vocab = _Vocabulary.build(teams, aliases, total)
    file = Path(path)
    data = read_input_bytes(path, what="contact log", hint="Real extracts belong in data/raw/.")
    source = f"contact log {str(path)!r}"
    is_synthetic = file.name.upper().startswith("SYNTHETIC_")
    if is_synthetic and kind not in (None, "synthetic"):
        raise DataValidationError(
            f"{source}: the file name starts with 'SYNTHETIC_' (synthetic data) but "
            f"kind={kind!r} was requested; load it with kind='synthetic'."
        )
    suffix = file.suffix.lower()
    if suffix not in _SUPPORTED_TEXT + _SUPPORTED_EXCEL:
        raise DataValidationError(
            f"{source}: unsupported file type {suffix or '(none)'!r}; save the log as .xlsx "
            "or .csv."
        )
    digest = hashlib.sha256(data).hexdigest()
    if verify_checksum:
        _verify_checksum(file, digest)
    if not data.strip():
        raise DataValidationError(f"{source} is empty (0 bytes of data); export the log again.")
    if suffix in _SUPPORTED_EXCEL:
        grid = _read_xlsx(data, source, sheet)
    else:
        if sheet is not None:
            raise DataValidationError(f"{source}: sheet={sheet!r} only applies to .xlsx files.")
        grid = _Grid(source, _split_csv(_decode(data, source), source))
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


# --- counting ------------------------------------------------------------------------------


def _select(log: ContactLog, measure: str | None, channels: str | Sequence[str]
            ) -> tuple[pd.DataFrame, str, list[str] | None]:
    """The contacts of one measure and the chosen channels: ``(frame, measure, channels)``."""
    frame = log.to_frame()
    if "outcome" in log.columns:
        found = sorted(set(frame["outcome"]))
        if measure is None:
            if len(found) > 1:
                raise DataValidationError(
                    f"aggregate_contacts: the log {log.source!r} records several outcomes "
                    f"({', '.join(found)}); one series must count one thing: pass "
                    "measure='answered' (or another outcome), or measure='offered' for "
                    "every logged contact."
                )
            measure = found[0]
        elif fold_text(measure) in _ALL:
            measure = "offered"
        else:
            wanted = canonical_measure(measure)
            if wanted not in found:
                raise DataValidationError(
                    f"aggregate_contacts: measure={measure!r} ({wanted!r}) is not an outcome "
                    f"in the log; it records {', '.join(found)} (or 'offered' for all)."
                )
            frame = frame[frame["outcome"] == wanted]
            measure = wanted
    elif measure is not None and fold_text(measure) not in _ALL:
        raise DataValidationError(
            f"aggregate_contacts: measure={measure!r} but the log {log.source!r} has no "
            "outcome column; every row counts (leave measure out)."
        )
    else:
        measure = log.definition
    chosen: list[str] | None = None
    if channels != "sum":
        if isinstance(channels, str) or not isinstance(channels, Sequence) or not channels:
            raise DataValidationError(
                f"channels={channels!r}; expected 'sum' or a list of channels such as "
                "['phone']."
            )
        if "channel" not in log.columns:
            raise DataValidationError(
                f"aggregate_contacts: channels={list(channels)!r} but the log has no channel "
                "column; leave channels out."
            )
        chosen = list(dict.fromkeys(canonical_channel(c) for c in channels))
        seen = sorted(set(log.contacts["channel"]))
        unknown = [c for c in chosen if c not in seen]
        if unknown:
            raise DataValidationError(
                f"aggregate_contacts: channels {', '.join(map(repr, unknown))} not in the log; "
                f"it records {', '.join(seen)}."
            )
        frame = frame[frame["channel"].isin(chosen)]
    return frame, str(measure), chosen


def _span(log: ContactLog, start: object, end: object, name: str) -> tuple[pd.Period, pd.Period]:
    first, last = log.first_day, log.last_day
    bounds = []
    for value, default, what in ((start, first, "start"), (end, last, "end")):
        if value is None:
            bounds.append(default)
            continue
        day = parse_date_value(value)
        if day.period is None:
            raise DataValidationError(f"{name}: {what}={value!r}: {day.detail}.")
        bounds.append(day.period)
    lo, hi = bounds
    if lo > first or hi < last:
        raise DataValidationError(
            f"{name}: the span {format_period(lo)}..{format_period(hi)} leaves out contacts "
            f"of the log ({format_period(first)}..{format_period(last)}); the span must "
            "contain every contact."
        )
    return lo, hi


def aggregate_contacts(
    log: ContactLog,
    resolution: str = "daily",
    *,
    by: Sequence[str] = ("team",),
    measure: str | None = None,
    channels: str | Sequence[str] = "sum",
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Count a contact log per team and period, in the long frame of ``load_call_counts``.

    Parameters
    ----------
    log : ContactLog
        From :func:`load_contact_log`.
    resolution : {"daily", "weekly", "monthly"}, default "daily"
        The periods: calendar days, ISO weeks (Monday to Sunday, ``W-SUN``) or months.
    by : sequence of str, default ("team",)
        ``"team"`` plus optionally ``"channel"`` and/or ``"category"`` (the stable code;
        contacts without one count as ``"unknown"``): the frame then keeps those columns,
        as a table with channel or category columns does.
    measure : str, optional
        With an outcome column: the outcome to count (``"answered"``, ``"gemist"``, ...),
        or ``"offered"`` for every logged contact; ``None`` only when the log records one
        outcome. Without an outcome column every row counts; leave it out.
    channels : "sum" or sequence of str, default "sum"
        ``"sum"``: all channels; a list (``["phone"]``): those channels only.
    start, end : date-like, optional
        First and last day the log covers (inclusive), when it covers more than its
        first and last contact (a quiet first day is a day with zero contacts). Default:
        the days of the first and the last contact.

    Returns
    -------
    pandas.DataFrame
        Validated long frame: ``team``, ``day``/``week``/``month`` (``period[D]``,
        ``period[W-SUN]``, ``period[M]``), [``channel``, ``category``], ``calls``; every
        combination of team (and channel, category) and period of the span, with 0 where
        nothing was logged. Weeks and months only partly inside the span are left out
        (their counts would be too low) and listed in ``attrs["partial_periods"]``.
        ``attrs``: ``kind``, ``sha256``, ``source``, ``definition``, ``measure``,
        ``total``, ``channels`` (with a channel column), ``teams`` (when declared),
        ``resolution`` (daily and weekly) and ``span`` (first and last day).

    Raises
    ------
    DataValidationError
        For an unknown resolution, ``by`` without ``"team"`` or with other names, a
        measure the log does not record (or several outcomes and no ``measure``), unknown
        channels, a span that leaves out contacts, and a span without one complete
        period.

    Notes
    -----
    The daily counts sum to the weekly and monthly ones over the same days: every
    contact is counted once, on the calendar day of its local time.
    """
    if not isinstance(log, ContactLog):
        raise DataValidationError(
            f"aggregate_contacts: expected a ContactLog (from load_contact_log), got "
            f"{type(log).__name__}."
        )
    check_choice(resolution, "resolution", tuple(FREQ_OF))
    by = tuple(by) if not isinstance(by, str) else (by,)
    if "team" not in by or any(b not in ("team", "channel", "category") for b in by):
        raise DataValidationError(
            f"by={by!r}; expected 'team' plus optionally 'channel' and 'category', e.g. "
            "('team',) or ('team', 'channel')."
        )
    for extra in ("channel", "category"):
        if extra in by and extra not in log.columns:
            raise DataValidationError(
                f"by={by!r}: the log has no {extra} column; leave {extra!r} out of by."
            )
    freq = FREQ_OF[resolution]
    time = COLUMN_OF[freq]
    lo, hi = _span(log, start, end, "aggregate_contacts")
    frame, measure, chosen = _select(log, measure, channels)
    periods = pd.period_range(lo.asfreq(freq), hi.asfreq(freq), freq=freq)
    whole = [p for p in periods if p.start_time >= lo.start_time and p.end_time <= hi.end_time]
    partial = [format_period(p) for p in periods if p not in set(whole)]
    if not whole:
        raise DataValidationError(
            f"aggregate_contacts: the log's span {format_period(lo)}..{format_period(hi)} "
            f"holds no complete {time}; count it at a finer resolution or give start/end."
        )
    keys = [b for b in ("team", "channel", "category") if b in by]
    frame = frame.assign(category=frame["category"].fillna("unknown")) if "category" in keys \
        else frame
    levels: dict[str, list[Any]] = {
        "team": list(log.teams) if log.teams else sorted(set(log.contacts["team"])),
    }
    if "channel" in keys:
        levels["channel"] = chosen or sorted(set(log.contacts["channel"]))
    if "category" in keys:
        levels["category"] = sorted(set(log.contacts["category"].fillna("unknown")))
    counted = frame.assign(period=frame["day"].dt.asfreq(freq)).groupby(
        [*keys, "period"], sort=True).size()
    grid = pd.MultiIndex.from_product([*levels.values(), pd.PeriodIndex(whole, freq=freq)],
                                      names=[*keys, "period"])
    full = counted.reindex(grid, fill_value=0).reset_index(name="calls")
    full = full.rename(columns={"period": time})
    attrs: dict[str, Any] = {
        "kind": log.kind, "sha256": log.sha256, "source": log.source,
        "definition": log.definition, "measure": measure, "total": log.total,
        "span": [format_period(lo), format_period(hi)],
    }
    if "channel" in log.columns:
        attrs["channels"] = chosen or sorted(set(log.contacts["channel"]))
    if log.teams is not None:
        attrs["teams"] = list(log.teams)
    if freq != "M":
        attrs["resolution"] = RESOLUTION_OF[freq]
    if partial:
        attrs["partial_periods"] = partial
    full["calls"] = full["calls"].astype(np.int64)
    full.attrs = attrs
    return validate_frame(full, name=f"aggregate_contacts({log.source!r})")


def contact_category_table(
    log: ContactLog,
    resolution: str = "monthly",
    *,
    measure: str | None = None,
    channels: str | Sequence[str] = "sum",
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Count a log's problem categories per team and period as a category table.

    Parameters
    ----------
    log : ContactLog
        A log with a category column.
    resolution : {"monthly", "yearly"}, default "monthly"
        Category tables hold months or years (:data:`impact.io.CATEGORY_TABLE_COLUMNS`).
    measure, channels, start, end
        As in :func:`aggregate_contacts` (months or years only partly inside the span are
        left out).

    Returns
    -------
    pandas.DataFrame
        A validated category table (:func:`impact.io.validate_category_table`): one row
        per team, period and stable category seen in the log (0 where a category was not
        logged in that team-period), ``count``, ``base="calls"``, ``base_total`` = all
        contacts of the measure in that team-period (uncategorised ones included, so
        shares of categories need not sum to 1), ``unit="contacts"``, ``data_kind`` the
        log's kind, and ``original_label`` the labels as written (joined with ``"; "``).

    Raises
    ------
    DataValidationError
        For a log without a category column, an unknown resolution, and as
        :func:`aggregate_contacts` does.
    """
    if not isinstance(log, ContactLog) or "category" not in log.columns:
        raise DataValidationError(
            "contact_category_table: needs a ContactLog with a category column (categorie/"
            "category); this log has none."
        )
    check_choice(resolution, "resolution", ("monthly", "yearly"))
    monthly = aggregate_contacts(log, "monthly", by=("team", "category"), measure=measure,
                                 channels=channels, start=start, end=end)
    totals = monthly.groupby(["team", "month"])["calls"].transform("sum")
    monthly = monthly.assign(base_total=totals)
    monthly = monthly[monthly["category"] != "unknown"]
    if resolution == "yearly":
        years = monthly["month"].dt.asfreq("Y")
        n_months = monthly.groupby(years)["month"].transform("nunique")
        monthly = monthly[n_months == 12].assign(period=years[n_months == 12])
        if monthly.empty:
            raise DataValidationError(
                "contact_category_table: the log covers no complete calendar year; use "
                "resolution='monthly'."
            )
        grouped = monthly.groupby(["team", "period", "category"], sort=True)
        monthly = grouped.agg(calls=("calls", "sum"), base_total=("base_total", "sum"))
        monthly = monthly.reset_index()
    else:
        monthly = monthly.rename(columns={"month": "period"})
    labels = log.contacts.dropna(subset=["category"]).groupby("category")["category_label"]
    written = {code: "; ".join(sorted(set(v))) for code, v in labels}
    table = pd.DataFrame({
        "team": monthly["team"].astype(str).to_numpy(),
        "period": pd.PeriodIndex(monthly["period"]),
        "category": monthly["category"].astype(str).to_numpy(),
        "original_label": monthly["category"].map(written).astype(str).to_numpy(),
        "count": monthly["calls"].astype(float).to_numpy(),
        "base": "calls",
        "base_total": monthly["base_total"].astype(float).to_numpy(),
        "unit": "contacts",
        "note": f"counted from contact log {log.source}",
        "data_kind": log.kind,
    })
    table.attrs = {"kind": log.kind, "source": log.source, "sha256": log.sha256}
    return validate_category_table(table, name="contact_category_table")
