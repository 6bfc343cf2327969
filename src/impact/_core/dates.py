"""Parsing of days, ISO weeks and timestamps for daily and weekly tables and contact logs.

Daily and weekly tables and contact logs have their own parsers:
:func:`parse_date_value` (a calendar day; Belgian and ISO forms, **day first**, never
month first: ``"03/04/2023"`` is 3 April), :func:`parse_week_value` (ISO weeks Monday to
Sunday, as pandas ``"W-SUN"`` periods: ``"2023-W35"``, ``"week 35 2023"``, ``"2023 wk
35"`` or the Monday's date), :func:`parse_timestamp_value` (a date with an optional time
of day, naive Europe/Brussels local time) and :func:`format_period` (``YYYY-MM``,
``YYYY-MM-DD`` or ``YYYY-Www`` for messages and written files). Like the month parser
they never raise and say what a label is instead (a month, a week, a date-time, ...).

The month parser, numbers, cell text and input files are in :mod:`impact._core.parsing`;
this module builds on its month names, date patterns and text helpers.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from impact._core.parsing import (
    _DATE_DMY,
    _DATE_YMD,
    _MONTH_NAMES,
    _TIME,
    _has_nonzero_time,
    fold_text,
    format_month,
    is_blank,
    parse_month_value,
)

__all__ = [
    "PeriodParse",
    "describe_periods",
    "format_period",
    "parse_date_value",
    "parse_timestamp_value",
    "parse_week_value",
    "period_unit",
]


#: Weekday names and abbreviations (Dutch, English, French) a date label may start with.
_WEEKDAY_PREFIX = re.compile(
    r"^(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|ma|di|wo|do|vr|za|zo|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+(?=\d)"
)
_DATE_DMY2 = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2})" + _TIME + "$")
_DAY_NAME_YEAR = re.compile(
    r"^(\d{1,2})\.?\s*[-/ ]?\s*([a-z]+)\.?\s*[-/ ,]?\s*'?(\d{4}|\d{2})" + _TIME + "$"
)
_NAME_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})" + _TIME + "$")
_ISO_WEEK = re.compile(
    r"^(\d{4})\s*[-/ ]?\s*(?:w|wk|week)\s*\.?\s*(\d{1,2})(?:\s*[-/ ]\s*([1-7]))?$"
)
_WEEK_YEAR = re.compile(r"^(?:w|wk|week)\s*\.?\s*(\d{1,2})\s*[-/ ,]?\s*(?:van\s+|of\s+)?(\d{4})$")
_WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


class PeriodParse(NamedTuple):
    """Outcome of parsing one day or week label (:func:`parse_day_value`, ...).

    ``kind`` is ``"day"`` or ``"week"`` (``period`` set, ``freq`` ``"D"`` or
    ``"W-SUN"``), or names what the label is instead (``"month"``, ``"year"``,
    ``"quarter"``, ``"timestamp"``, ``"empty"``, ``"unparseable"``); ``detail`` explains.
    """

    kind: str
    period: pd.Period | None = None
    detail: str = ""


def format_period(period: pd.Period) -> str:
    """Format a period the way messages and written files show it.

    Months ``YYYY-MM``, days ``YYYY-MM-DD``, weeks (Monday to Sunday, ``W-SUN``) as the
    ISO week ``YYYY-Www`` of their Monday.
    """
    freq = period.freqstr
    if freq == "M":
        return format_month(period)
    if freq.startswith("W"):
        year, week, _ = period.start_time.date().isocalendar()
        return f"{year:04d}-W{week:02d}"
    if freq == "D":
        return period.strftime("%Y-%m-%d")
    return str(period)


def period_unit(index: pd.PeriodIndex) -> str:
    """The word for one period of ``index``: "day", "week" or "month"."""
    return {"D": "day", "W": "week"}.get(index.freqstr[0], "month")


def describe_periods(index: pd.PeriodIndex, mask: np.ndarray, limit: int = 4) -> str:
    """The periods of ``index`` where ``mask`` holds, as runs ("2014-01 to 2017-12 (48
    months)", "2019-05"), at most ``limit`` runs named."""
    pos = np.flatnonzero(mask)
    if not len(pos):
        return ""
    unit = period_unit(index)
    runs = np.split(pos, np.flatnonzero(np.diff(pos) > 1) + 1)
    text = [
        format_period(index[r[0]]) if len(r) == 1
        else f"{format_period(index[r[0]])} to {format_period(index[r[-1]])} ({len(r)} {unit}s)"
        for r in runs[:limit]
    ]
    more = f" and {len(runs) - limit} more runs" if len(runs) > limit else ""
    return ", ".join(text) + more


#: Years a day, week or timestamp label may lie in (beyond them a label is an error).
_YEARS = (1900, 2100)


def _date_or_problem(year: int, month: int, day: int, raw: str) -> _dt.date | str:
    if not _YEARS[0] <= year <= _YEARS[1]:
        return f"{raw!r}: year {year} is outside {_YEARS[0]}-{_YEARS[1]}; check the date"
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return (
            f"{raw!r} is not a valid date (read day first, as Belgian dates are: day {day}, "
            f"month {month}, year {year}); write it as 'dd/mm/yyyy' (27/08/2023) or "
            "'yyyy-mm-dd' (2023-08-27); month-first (US) dates are not accepted"
        )


def _text_date(text: str, raw: str) -> tuple[_dt.date | str | None, bool]:
    """Read a date from folded text: ``(date, has_time)``; a str is a reason, None: no date."""
    text = _WEEKDAY_PREFIX.sub("", text)
    if m := _DATE_YMD.match(text):
        y, mo, d = (int(g) for g in m.groups())
        return _date_or_problem(y, mo, d, raw), _has_nonzero_time(text)
    if m := _DATE_DMY.match(text):
        d, mo, y = (int(g) for g in m.groups())
        return _date_or_problem(y, mo, d, raw), _has_nonzero_time(text)
    if m := _DATE_DMY2.match(text):
        d, mo, y = (int(g) for g in m.groups())
        return _date_or_problem(2000 + y, mo, d, raw), _has_nonzero_time(text)
    if m := _DAY_NAME_YEAR.match(text):
        number = _MONTH_NAMES.get(m.group(2))
        if number is not None:
            y = int(m.group(3))
            return _date_or_problem(2000 + y if y < 100 else y, number, int(m.group(1)),
                                    raw), _has_nonzero_time(text)
    if m := _NAME_DAY_YEAR.match(text):
        number = _MONTH_NAMES.get(m.group(1))
        if number is not None:
            return (_date_or_problem(int(m.group(3)), number, int(m.group(2)), raw),
                    _has_nonzero_time(text))
    return None, False


def parse_date_value(value: object, *, allow_time: bool = False) -> PeriodParse:
    """Parse one calendar-day label into a daily period (never raises).

    Accepted: dates and date-times (``datetime``, ``date``, :class:`pandas.Timestamp`,
    ``numpy.datetime64``, Excel date cells and serial day numbers 20000-80000), and text
    in the common Belgian and ISO forms: ``"27/08/2023"``, ``"27-08-2023"``,
    ``"27.08.2023"``, ``"27/08/23"``, ``"2023-08-27"``, ``"2023/08/27"``,
    ``"27 augustus 2023"``, ``"27 aug 2023"``, ``"27-aug-23"``, ``"August 27, 2023"``,
    optionally after a weekday name (``"zondag 27 augustus 2023"``). Numeric dates are
    read **day first** (``03/04/2023`` is 3 April), never month first; an impossible date
    (``08/27/2023``) is rejected with that reason. A time of day other than midnight is a
    ``"timestamp"`` unless ``allow_time`` (then the time is dropped: the day is the
    calendar day of the local time as written).
    """
    if is_blank(value):
        return PeriodParse("empty", detail="the date is empty")
    has_time = False
    date: _dt.date | str | None = None
    raw = str(value).strip()
    if isinstance(value, pd.Period):
        if value.freqstr == "D":
            return PeriodParse("day", value)
        return PeriodParse("unparseable", detail=f"{value!s} has frequency {value.freqstr!r}, "
                           "not daily")
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, _dt.datetime):
        has_time = (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0)
        date = _date_or_problem(value.year, value.month, value.day, raw)
    elif isinstance(value, _dt.date):
        date = _date_or_problem(value.year, value.month, value.day, raw)
    elif isinstance(value, bool | np.bool_):
        return PeriodParse("unparseable", detail=f"{value!r} is not a date")
    elif isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if not (math.isfinite(number) and 20000 <= number <= 80000):
            return PeriodParse("unparseable", detail=f"{value!r} is not a date")
        has_time = number != int(number)
        date = _dt.date(1899, 12, 30) + _dt.timedelta(days=int(number))
    else:
        text = fold_text(raw)
        if re.fullmatch(r"\d{5}", text) and 20000 <= int(text) <= 80000:
            date = _dt.date(1899, 12, 30) + _dt.timedelta(days=int(text))
        else:
            date, has_time = _text_date(text, raw)
            if date is None:
                month = parse_month_value(value)
                if month.kind in ("year", "quarter", "week"):
                    return PeriodParse(month.kind, detail=month.detail.replace("not a month",
                                                                               "not a day"))
                if month.kind == "month":
                    return PeriodParse("month", detail=f"{raw!r} is a month, not a day "
                                       "(monthly data?)")
                return PeriodParse(
                    "unparseable",
                    detail=f"cannot read {raw!r} as a date (expected e.g. '27/08/2023', "
                    "'2023-08-27' or '27 augustus 2023')",
                )
    if isinstance(date, str):
        return PeriodParse("unparseable", detail=date)
    if has_time and not allow_time:
        return PeriodParse("timestamp", detail=f"{raw!r} is a date-time, not a day; give "
                           "the date only (or aggregate a contact log with aggregate_contacts)")
    return PeriodParse("day", pd.Period(date, freq="D"))


def parse_week_value(value: object) -> PeriodParse:
    """Parse one week label into a weekly period, Monday to Sunday (never raises).

    Weeks are ISO weeks: pandas periods with frequency ``"W-SUN"`` (weeks ending on
    Sunday). Accepted: ``"2023-W35"``, ``"2023W35"``, ``"2023 wk 35"``,
    ``"2023 week 35"``, ``"W35 2023"``, ``"week 35 2023"``, ``"wk 35, 2023"`` (ISO week
    numbers with their ISO year), and a week given by its **Monday** as a date in any form
    :func:`parse_date_value` reads. Another weekday is rejected (``"'2023-08-27' is a
    zondag"``): say which week you mean by its Monday or its ISO number.
    """
    if is_blank(value):
        return PeriodParse("empty", detail="the week is empty")
    if isinstance(value, pd.Period):
        if value.freqstr == "W-SUN":
            return PeriodParse("week", value)
        return PeriodParse("unparseable", detail=f"{value!s} has frequency {value.freqstr!r}, "
                           "not weekly (W-SUN)")
    raw = str(value).strip()
    if isinstance(value, str):
        text = fold_text(raw)
        m = _ISO_WEEK.match(text)
        year_week = (int(m.group(1)), int(m.group(2))) if m else None
        if year_week is None and (m := _WEEK_YEAR.match(text)):
            year_week = (int(m.group(2)), int(m.group(1)))
        if year_week is not None:
            year, week = year_week
            if not _YEARS[0] <= year <= _YEARS[1]:
                return PeriodParse("unparseable", detail=f"{raw!r}: year {year} is outside "
                                   f"{_YEARS[0]}-{_YEARS[1]}; check the week")
            try:
                monday = _dt.date.fromisocalendar(year, week, 1)
            except ValueError:
                return PeriodParse("unparseable", detail=f"{raw!r}: ISO year {year} has no "
                                   f"week {week} (weeks run 1-52, or 53 in long years)")
            return PeriodParse("week", pd.Period(monday, freq="W-SUN"))
    day = parse_date_value(value)
    if day.kind == "day" and day.period is not None:
        date = day.period.to_timestamp().date()
        if date.weekday() != 0:
            return PeriodParse(
                "unparseable",
                detail=f"{raw!r} is a {_WEEKDAYS_NL[date.weekday()]}, not a Monday; label a "
                "week by its Monday (weeks run Monday to Sunday) or as '2023-W35'",
            )
        return PeriodParse("week", pd.Period(date, freq="W-SUN"))
    if day.kind in ("empty", "timestamp"):
        return day
    month = parse_month_value(value)
    if month.kind in ("year", "quarter"):
        return PeriodParse(month.kind, detail=month.detail.replace("not a month", "not a week"))
    if month.kind == "month":
        return PeriodParse("month", detail=f"{raw!r} is a month, not a week (monthly data?)")
    return PeriodParse(
        "unparseable",
        detail=f"cannot read {raw!r} as a week (expected e.g. '2023-W35', 'week 35 2023' or "
        "the Monday's date '28/08/2023')",
    )


def parse_timestamp_value(value: object) -> tuple[pd.Timestamp | None, str]:
    """Parse one date or date-time cell of a contact log: ``(timestamp, "")`` or ``(None, reason)``.

    Dates as :func:`parse_date_value` reads them, optionally followed by a time
    ``HH:MM`` or ``HH:MM:SS`` (``"27/08/2023 23:59"``, ``"2023-08-27T23:59:00"``).
    The result is naive local time (as written); a time-zone offset (``+02:00``, ``Z``)
    is converted to Europe/Brussels local time first.
    """
    if is_blank(value):
        return None, "the date is empty"
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None, "the date is empty"
        value = pd.Timestamp(value)
    if isinstance(value, _dt.date) and not _YEARS[0] <= value.year <= _YEARS[1]:
        return None, (f"{str(value)!r}: year {value.year} is outside {_YEARS[0]}-{_YEARS[1]}; "
                      "check the date")
    if isinstance(value, _dt.datetime):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("Europe/Brussels").tz_localize(None)
        return stamp, ""
    if isinstance(value, _dt.date):
        return pd.Timestamp(value), ""
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(
            value, bool | np.bool_):
        number = float(value)
        if math.isfinite(number) and 20000 <= number <= 80000:
            return (pd.Timestamp("1899-12-30") + pd.to_timedelta(number, unit="D")).round("s"), ""
        return None, f"{value!r} is not a date"
    raw = str(value).strip()
    zoned = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[t ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
                         r"\s*(z|[+-]\d{2}:?\d{2})", raw.lower())
    if zoned:
        try:
            stamp = pd.Timestamp(raw)
        except ValueError:
            return None, f"cannot read {raw!r} as a date-time"
        return stamp.tz_convert("Europe/Brussels").tz_localize(None), ""
    day = parse_date_value(raw, allow_time=True)
    if day.kind != "day" or day.period is None:
        return None, day.detail
    found = re.search(r"[ t](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$", fold_text(raw))
    stamp = day.period.to_timestamp()
    if found:
        hour, minute, second = int(found.group(1)), int(found.group(2)), int(found.group(3) or 0)
        if hour > 23 or minute > 59 or second > 59:
            return None, f"{raw!r}: the time {found.group(0).strip()} is not a valid time of day"
        stamp = stamp + pd.Timedelta(hours=hour, minutes=minute, seconds=second)
    return stamp, ""
