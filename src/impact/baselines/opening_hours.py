"""Opening-hours schedules: hours open per day and channel, as a baseline exposure.

A helpline answers only while it is open. When its hours change (1712's chat was
extended several times), the number of calls changes with them, and a baseline without
that knowledge would report the change as an effect. :class:`OpeningHours` holds a
schedule; :meth:`OpeningHours.hours` gives the open hours per period (days, weeks or
months), summed over the channels analysed, which
``BaselineSpec(exposure="opening_hours")`` uses as the offset ``log(hours)``: the
expected number of calls is proportional to the hours open. A day with no open hours is
*closed* (the count GLM leaves it out of the fit and expects 0 calls on it).

The schedule file (CSV, one row per rule) has the columns

``channel``
    e.g. ``phone``, ``chat``;
``start``, ``end``
    first and last date (``YYYY-MM-DD``, inclusive) the rule applies; an empty ``end``
    means open-ended;
``weekdays``
    the days of the week it covers: ``mon-fri``, ``tue-thu``, ``mon,wed,fri``, ``sat``;
``hours``
    hours open on each such day (> 0, at most 24);
``public_holidays``
    ``closed`` (default when the column is absent or empty) or ``open``: whether the
    rule also applies on Belgian public holidays;
``source``
    where the rule comes from (a source id, e.g. ``F150`` or ``E053``); required;
``note``
    optional: the assumption made where the source does not give the hours.

Two rules of one channel may not cover the same day. :func:`read_opening_hours` reads
and validates a file (errors name the file, line and column);
:func:`default_opening_hours` is the packaged 1712 schedule built from the published
capacity facts (``data/reference/opening_hours_1712.csv`` documents it).
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from impact._core.exceptions import DataValidationError
from impact.baselines.calendar import DAY_NAMES, public_holidays

__all__ = [
    "OPENING_HOURS_COLUMNS",
    "OpeningHours",
    "default_opening_hours",
    "read_opening_hours",
]

#: Columns of an opening-hours file (``public_holidays`` and ``note`` are optional).
OPENING_HOURS_COLUMNS: tuple[str, ...] = (
    "channel", "start", "end", "weekdays", "hours", "public_holidays", "source", "note",
)
_REQUIRED = ("channel", "start", "end", "weekdays", "hours", "source")
_DEFAULT_FILE = "opening_hours_1712.csv"


def _parse_weekdays(text: str) -> frozenset[int] | None:
    """``mon-fri`` / ``tue,thu`` -> weekday numbers (Monday 0); None when malformed."""
    days: set[int] = set()
    for part in str(text).strip().lower().split(","):
        part = part.strip()
        m = re.fullmatch(r"([a-z]{3})(?:\s*-\s*([a-z]{3}))?", part)
        if not m or m.group(1) not in DAY_NAMES or (m.group(2) and m.group(2) not in DAY_NAMES):
            return None
        a = DAY_NAMES.index(m.group(1))
        b = DAY_NAMES.index(m.group(2)) if m.group(2) else a
        if b < a:
            return None
        days.update(range(a, b + 1))
    return frozenset(days)


@dataclasses.dataclass(frozen=True)
class OpeningHours:
    """An opening-hours schedule (validated rules; see the module docstring).

    Attributes
    ----------
    rules : DataFrame
        One row per rule: ``channel``, ``start``, ``end`` (Timestamps; ``end`` NaT when
        open-ended), ``weekdays`` (frozenset of weekday numbers, Monday 0), ``hours``,
        ``public_holidays`` (bool: open on them), ``source``, ``note``.
    channels : tuple of str
        The channels whose hours are summed (default: every channel in ``rules``).
    name : str
        Where the schedule came from (a file name), for messages.
    """

    rules: pd.DataFrame = dataclasses.field(repr=False)
    channels: tuple[str, ...]
    name: str = "opening hours"

    def select(self, *channels: str) -> OpeningHours:
        """The same schedule summing only ``channels`` (e.g. ``select("phone")``).

        Raises
        ------
        DataValidationError
            For a channel the schedule does not have.
        """
        known = sorted(set(self.rules["channel"]))
        unknown = [c for c in channels if c not in known]
        if unknown or not channels:
            raise DataValidationError(
                f"{self.name}: channel(s) {unknown or '(none)'} not in the schedule; "
                f"choose from {known}."
            )
        return dataclasses.replace(self, channels=tuple(channels))

    def daily(self, start: pd.Timestamp | str, end: pd.Timestamp | str) -> pd.DataFrame:
        """Open hours per day (rows, a ``DatetimeIndex``) and channel (columns), from
        ``start`` to ``end`` inclusive; every channel of the schedule, 0 where closed."""
        days = pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize(),
                             freq="D", name="date")
        wd = np.asarray(days.day_of_week)
        is_hol = days.isin(public_holidays(days[0], days[-1])) if len(days) else np.zeros(0, bool)
        out = pd.DataFrame(0.0, index=days, columns=sorted(set(self.rules["channel"])))
        for r in self.rules.itertuples(index=False):
            on = (days >= r.start) & np.isin(wd, list(r.weekdays))
            if not pd.isna(r.end):
                on &= days <= r.end
            if not r.public_holidays:
                on &= ~is_hol
            out.loc[on, r.channel] = r.hours
        return out

    def hours(self, index: pd.PeriodIndex) -> pd.Series:
        """Total open hours of the selected channels in each period of ``index`` (daily,
        weekly or monthly)."""
        if len(index) == 0:
            return pd.Series(np.zeros(0), index=index, name="open_hours")
        day = self.daily(index[0].start_time, index[-1].end_time)[list(self.channels)].sum(axis=1)
        per = day.groupby(pd.PeriodIndex(day.index, freq=index.freq)).sum()
        return per.reindex(index, fill_value=0.0).rename("open_hours")

    def rules_table(self) -> pd.DataFrame:
        """The rules as a readable frame (weekdays written as ``mon,tue,...``); a schedule
        is an input, not a result, so it has no ``to_frame``/``summary``/``plot``."""
        frame = self.rules.copy()
        frame["weekdays"] = [",".join(DAY_NAMES[d] for d in sorted(w)) for w in frame["weekdays"]]
        return frame


def _validate(raw: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in _REQUIRED if c not in raw.columns]
    if missing:
        raise DataValidationError(
            f"{name}: missing column(s) {missing}; an opening-hours file needs "
            f"{list(_REQUIRED)} (optional: public_holidays, note)."
        )
    rows = []
    for i, r in enumerate(raw.itertuples(index=False), start=2):
        rec = r._asdict()

        def fail(col: str, msg: str, rec: dict = rec, line: int = i) -> DataValidationError:
            return DataValidationError(
                f"{name}, line {line}, column {col!r}: {msg} (value {rec.get(col)!r})."
            )

        channel = str(rec["channel"] or "").strip()
        if not channel:
            raise fail("channel", "a channel name is required")
        start = pd.to_datetime(rec["start"], format="%Y-%m-%d", errors="coerce")
        if pd.isna(start):
            raise fail("start", "expected a date YYYY-MM-DD")
        end_text = str(rec["end"] or "").strip()
        end = pd.NaT
        if end_text:
            end = pd.to_datetime(end_text, format="%Y-%m-%d", errors="coerce")
            if pd.isna(end) or end < start:
                raise fail("end", "expected a date YYYY-MM-DD on or after start, or empty")
        days = _parse_weekdays(rec["weekdays"])
        if not days:
            raise fail("weekdays", "expected days like 'mon-fri', 'tue-thu' or 'mon,wed'")
        try:
            hours = float(rec["hours"])
        except (TypeError, ValueError):
            hours = float("nan")
        if not 0 < hours <= 24:
            raise fail("hours", "expected hours open per day, above 0 and at most 24")
        ph = str(rec.get("public_holidays") or "closed").strip().lower()
        if ph not in ("closed", "open"):
            raise fail("public_holidays", "expected 'closed' or 'open'")
        source = str(rec["source"] or "").strip()
        if not source:
            raise fail("source", "every rule needs a source")
        rows.append({
            "channel": channel, "start": start, "end": end, "weekdays": days,
            "hours": hours, "public_holidays": ph == "open", "source": source,
            "note": str(rec.get("note") or ""), "line": i,
        })
    if not rows:
        raise DataValidationError(f"{name}: the schedule has no rules.")
    frame = pd.DataFrame(rows)
    # two rules of one channel must not cover the same day
    far = pd.Timestamp("2262-01-01")
    for channel, grp in frame.groupby("channel"):
        g = grp.sort_values("start").to_dict("records")
        for a_i, a in enumerate(g):
            for b in g[a_i + 1:]:
                a_end = far if pd.isna(a["end"]) else a["end"]
                if b["start"] <= a_end and a["weekdays"] & b["weekdays"]:
                    raise DataValidationError(
                        f"{name}, lines {a['line']} and {b['line']}: two {channel!r} rules "
                        f"cover the same days (from {b['start'].date()}); end the first "
                        "rule the day before the second starts."
                    )
    return frame.drop(columns="line")


def read_opening_hours(path: str | Path) -> OpeningHours:
    """Read and validate an opening-hours file (format in the module docstring).

    Raises
    ------
    DataValidationError
        Naming the file, line and column of the first problem: a missing column, a bad
        date, weekday list or hours value, a rule without source, or two rules of one
        channel covering the same day.
    """
    path = Path(path)
    if not path.exists():
        raise DataValidationError(f"opening-hours file {path} not found.")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    rules = _validate(raw, path.name)
    return OpeningHours(rules=rules, channels=tuple(sorted(set(rules["channel"]))),
                        name=path.name)


@lru_cache(maxsize=1)
def default_opening_hours() -> OpeningHours:
    """The packaged 1712 schedule (phone and chat; from the published capacity facts,
    with the assumptions stated in its ``note`` column)."""
    with resources.as_file(
        resources.files("impact.baselines").joinpath("data", _DEFAULT_FILE)
    ) as path:
        return read_opening_hours(path)
