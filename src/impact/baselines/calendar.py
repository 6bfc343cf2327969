"""Calendar terms of daily and weekly baselines: day of week, public and school holidays.

:func:`calendar_columns` builds the calendar columns of a baseline design for any period
index: day-of-week indicators (daily periods only; Monday is the reference), a Belgian
public-holiday indicator (the ``holidays`` package, country BE), a bridge-day indicator
and a Flemish school-holiday indicator. At weekly (or monthly) resolution the holiday
columns are the *share* of the period's days that are holidays, so a week with Easter
Monday has 1/7 of a holiday. :func:`resolve_calendar` turns the ``None`` (automatic)
options of :class:`~impact.baselines.spec.BaselineSpec` into what a resolution gets:
daily series get day of week, public and school holidays; weekly series get public and
school holidays; monthly series get nothing (their month effects already carry the
school calendar, and the monthly baseline stays what it was).

Bridge days (a working day between a public holiday and a weekend, e.g. the Friday after
Ascension Thursday, which Flemish schools also give off) are part of ``"public"``: many
people take leave on them, so a helpline open on them may see fewer calls than on an
ordinary Friday; it costs one coefficient and the column is dropped when the history has
no bridge day.

School holidays come from ``data/school_holidays_flanders.csv`` inside this package (a
copy is documented in ``data/reference/`` of the repository): the periods of the
Flemish school calendar (Besluit van de Vlaamse Regering van 17 april 1991 on the
organisation of the school year), derived from its rules by
:func:`school_holidays_from_rules` and checked against it by the tests, with the one
exception decided since (autumn 2020, extended by a week in the pandemic) in its own row.
:func:`load_school_holidays` reads the file.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources

import holidays as _holidays_pkg
import numpy as np
import pandas as pd

from impact._core.exceptions import DataValidationError
from impact.baselines.spec import HOLIDAY_TERMS

__all__ = [
    "DAY_NAMES",
    "SCHOOL_HOLIDAY_YEARS",
    "bridge_days",
    "calendar_columns",
    "load_school_holidays",
    "public_holidays",
    "resolve_calendar",
    "school_holiday_days",
    "school_holidays_from_rules",
]

#: Column suffixes of the day-of-week indicators (Monday = 0 is the reference).
DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Calendar years the packaged school-holiday file covers (inclusive).
SCHOOL_HOLIDAY_YEARS: tuple[int, int] = (2012, 2027)

_SCHOOL_FILE = "school_holidays_flanders.csv"
_RULES_SOURCE = (
    "derived from the rules of the Besluit van de Vlaamse Regering van 17 april 1991 "
    "(organisatie schooljaar); https://onderwijs.vlaanderen.be/nl/schoolvakanties"
)


def _freq(index: pd.PeriodIndex) -> str:
    return index.freqstr.split("-")[0].upper()[0]


def resolve_calendar(
    index: pd.PeriodIndex, day_of_week: bool | None, holidays: str | None
) -> tuple[bool, str]:
    """The calendar terms a baseline on ``index`` gets from the spec's options.

    ``None`` means automatic: day of week for daily periods only; ``"public+school"``
    holidays for daily and weekly periods (``"public"`` when they reach outside the years
    the school-holiday file covers, :data:`SCHOOL_HOLIDAY_YEARS`), ``"none"`` for
    monthly ones.

    Raises
    ------
    DataValidationError
        When ``day_of_week=True`` for periods longer than a day (every week has each day
        once, so a day-of-week effect is not identified there).
    """
    code = _freq(index)
    dow = (code == "D") if day_of_week is None else bool(day_of_week)
    if dow and code != "D":
        raise DataValidationError(
            f"BaselineSpec: day_of_week=True needs daily periods; the series has frequency "
            f"{index.freqstr!r}, where every period holds the same weekdays. Use "
            "day_of_week=None (automatic) or False."
        )
    if holidays is not None:
        return dow, holidays
    if code not in ("D", "W"):
        return dow, "none"
    lo, hi = SCHOOL_HOLIDAY_YEARS
    covered = len(index) and index[0].start_time.year >= lo and index[-1].end_time.year <= hi
    return dow, ("public+school" if covered else "public")


@lru_cache(maxsize=64)
def _public_year(year: int) -> frozenset:
    return frozenset(_holidays_pkg.Belgium(years=year).keys())


def public_holidays(start: pd.Timestamp | str, end: pd.Timestamp | str) -> pd.DatetimeIndex:
    """Belgian public holidays (the ``holidays`` package, country BE) from ``start`` to
    ``end`` inclusive."""
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    days = sorted(
        d for y in range(start.year, end.year + 1) for d in _public_year(y)
        if start.date() <= d <= end.date()
    )
    return pd.DatetimeIndex(pd.to_datetime(days), name="date")


def bridge_days(start: pd.Timestamp | str, end: pd.Timestamp | str) -> pd.DatetimeIndex:
    """Bridge days from ``start`` to ``end``: a working day between a public holiday and
    the weekend (the Monday before a Tuesday holiday, the Friday after a Thursday one),
    unless it is itself a holiday."""
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    hol = public_holidays(start - pd.Timedelta(days=3), end + pd.Timedelta(days=3))
    out = []
    for h in hol:
        if h.day_of_week == 3:  # Thursday holiday -> Friday
            out.append(h + pd.Timedelta(days=1))
        elif h.day_of_week == 1:  # Tuesday holiday -> Monday
            out.append(h - pd.Timedelta(days=1))
    hol_set = set(hol)
    days = [d for d in out if d not in hol_set and start <= d <= end]
    return pd.DatetimeIndex(sorted(set(days)), name="date")


# --- school holidays --------------------------------------------------------------------


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month = (h + m - 7 * n + 114) // 31
    day = (h + m - 7 * n + 114) % 31 + 1
    return dt.date(year, month, day)


def _monday_of_week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def school_holidays_from_rules(first_year: int, last_year: int) -> pd.DataFrame:
    """Flemish school holidays of school years ``first_year``-``first_year+1`` to
    ``last_year``-``last_year+1``, derived from the 1991 rules.

    The rules (Besluit van de Vlaamse Regering van 17 april 1991, article on the holiday
    periods; unchanged for Flanders through school year 2025-2026 -- the calendar reform
    of 2022-2023 is the French Community's, not Flanders'):

    * autumn (herfstvakantie): one week from the Monday of the week of 1 November; when
      1 November is a Sunday, from 2 November;
    * Christmas (kerstvakantie): two weeks from the Monday of the week of 25 December;
      when 25 December is a Saturday or Sunday, from the Monday after;
    * Crocus (krokusvakantie): one week from the seventh Monday before Easter;
    * Easter (paasvakantie): two weeks from the first Monday of April; when Easter falls
      in March, from the Monday after Easter; when Easter falls after 15 April, from the
      second Monday before Easter;
    * summer (zomervakantie): 1 July to 31 August.

    Returns
    -------
    DataFrame
        Columns ``name``, ``name_nl``, ``start``, ``end`` (inclusive dates),
        ``school_year`` (e.g. ``2023-2024``), ``source``.
    """
    rows = []
    for y in range(first_year, last_year + 1):
        sy = f"{y}-{y + 1}"
        nov1 = dt.date(y, 11, 1)
        autumn = nov1 + dt.timedelta(days=1) if nov1.weekday() == 6 else _monday_of_week(nov1)
        xmas = dt.date(y, 12, 25)
        christmas = (
            xmas + dt.timedelta(days=7 - xmas.weekday()) if xmas.weekday() >= 5
            else _monday_of_week(xmas)
        )
        easter = _easter(y + 1)
        crocus = easter - dt.timedelta(days=48)  # Easter Sunday - 48 days: 7th Monday before
        if easter.month == 3:
            spring = easter + dt.timedelta(days=1)
        elif easter > dt.date(y + 1, 4, 15):
            spring = easter - dt.timedelta(days=13)  # second Monday before Easter
        else:
            apr1 = dt.date(y + 1, 4, 1)
            spring = apr1 + dt.timedelta(days=(7 - apr1.weekday()) % 7)
        for name, name_nl, start, days in (
            ("autumn", "herfstvakantie", autumn, 7),
            ("christmas", "kerstvakantie", christmas, 14),
            ("crocus", "krokusvakantie", crocus, 7),
            ("easter", "paasvakantie", spring, 14),
        ):
            rows.append((name, name_nl, start, start + dt.timedelta(days=days - 1), sy))
        rows.append(("summer", "zomervakantie", dt.date(y + 1, 7, 1), dt.date(y + 1, 8, 31), sy))
    frame = pd.DataFrame(rows, columns=["name", "name_nl", "start", "end", "school_year"])
    frame["source"] = _RULES_SOURCE
    return frame


@lru_cache(maxsize=1)
def load_school_holidays() -> pd.DataFrame:
    """The packaged Flemish school-holiday periods (one row per holiday period).

    Columns ``name``, ``name_nl``, ``start`` and ``end`` (inclusive, ``Timestamp``),
    ``school_year`` and ``source`` (the rules they were derived from, or the decision
    that changed them). Covers calendar years :data:`SCHOOL_HOLIDAY_YEARS`.

    Raises
    ------
    DataValidationError
        When the file is malformed (a row without dates, or ending before it starts).
    """
    with resources.files("impact.baselines").joinpath("data", _SCHOOL_FILE).open() as fh:
        frame = pd.read_csv(fh, dtype=str)
    expected = ["name", "name_nl", "start", "end", "school_year", "source"]
    if list(frame.columns) != expected:
        raise DataValidationError(
            f"{_SCHOOL_FILE}: columns {list(frame.columns)}; expected {expected}."
        )
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d", errors="coerce")
    bad = frame["start"].isna() | frame["end"].isna() | (frame["end"] < frame["start"])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise DataValidationError(
            f"{_SCHOOL_FILE}, line {row}: start and end must be dates (YYYY-MM-DD) with "
            "end on or after start."
        )
    return frame


def school_holiday_days(start: pd.Timestamp | str, end: pd.Timestamp | str) -> pd.DatetimeIndex:
    """Days from ``start`` to ``end`` that fall in a Flemish school holiday.

    Raises
    ------
    DataValidationError
        When the range reaches outside the years the packaged file covers.
    """
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    lo, hi = SCHOOL_HOLIDAY_YEARS
    if start.year < lo or end.year > hi:
        raise DataValidationError(
            f"Flemish school holidays are known for {lo}-{hi}; the periods run from "
            f"{start.date()} to {end.date()}. Use holidays='public' (or 'none') outside "
            "those years, or extend data/school_holidays_flanders.csv."
        )
    days: set[pd.Timestamp] = set()
    for s, e in load_school_holidays()[["start", "end"]].itertuples(index=False):
        if e < start or s > end:
            continue
        days.update(pd.date_range(max(s, start), min(e, end), freq="D"))
    return pd.DatetimeIndex(sorted(days), name="date")


# --- design columns ---------------------------------------------------------------------


def _day_share(index: pd.PeriodIndex, days: pd.DatetimeIndex) -> np.ndarray:
    """Share of each period's days that are in ``days`` (1/0 for daily periods)."""
    if len(index) == 0:
        return np.zeros(0)
    marked = pd.Series(1.0, index=days)
    first, last = index[0].start_time.normalize(), index[-1].end_time.normalize()
    all_days = pd.date_range(first, last, freq="D")
    flag = marked.reindex(all_days, fill_value=0.0)
    if _freq(index) == "D":
        return flag.reindex(index.start_time.normalize(), fill_value=0.0).to_numpy()
    period_of_day = pd.PeriodIndex(all_days, freq=index.freq)
    share = flag.groupby(period_of_day).mean()
    return share.reindex(index, fill_value=0.0).to_numpy(dtype=float)


def calendar_columns(
    index: pd.PeriodIndex, *, day_of_week: bool, holidays: str
) -> pd.DataFrame:
    """Calendar columns of a baseline design for ``index``.

    Parameters
    ----------
    index : pandas.PeriodIndex
        Daily, weekly or monthly periods.
    day_of_week : bool
        Add ``dow_tue`` ... ``dow_sun`` (Monday is the reference); daily periods only.
    holidays : {"none", "public", "public+school"}
        ``public`` adds ``holiday_public`` and ``bridge_day``; ``public+school`` also
        ``school_holiday``. Daily periods get 0/1 indicators, longer periods the share
        of their days.

    Returns
    -------
    DataFrame on ``index`` (no columns when nothing is asked for).

    Raises
    ------
    DataValidationError
        On an unknown ``holidays`` value, ``day_of_week`` on non-daily periods, or school
        holidays asked for outside :data:`SCHOOL_HOLIDAY_YEARS`.
    """
    if holidays not in HOLIDAY_TERMS:
        shown = ", ".join(repr(h) for h in HOLIDAY_TERMS)
        raise DataValidationError(
            f"holidays={holidays!r} is not supported; expected one of {shown}."
        )
    cols: dict[str, np.ndarray] = {}
    if day_of_week:
        if _freq(index) != "D":
            raise DataValidationError(
                f"day-of-week terms need daily periods, not {index.freqstr!r}."
            )
        wd = np.asarray(index.start_time.day_of_week)
        for d in range(1, 7):
            cols[f"dow_{DAY_NAMES[d]}"] = (wd == d).astype(float)
    if holidays != "none" and len(index):
        first, last = index[0].start_time, index[-1].end_time
        cols["holiday_public"] = _day_share(index, public_holidays(first, last))
        cols["bridge_day"] = _day_share(index, bridge_days(first, last))
        if holidays == "public+school":
            cols["school_holiday"] = _day_share(index, school_holiday_days(first, last))
    return pd.DataFrame(cols, index=index)
