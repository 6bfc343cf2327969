"""Resolutions of count tables: months, ISO weeks and days (private, for :mod:`impact.io`).

A long frame's time column is named after its resolution: ``month`` (``period[M]``),
``week`` (``period[W-SUN]``: ISO weeks, Monday to Sunday) or ``day`` (``period[D]``);
model series take the same name for their index. This module maps between the
resolution names (``"monthly"``, ``"weekly"``, ``"daily"``), pandas frequencies and
column names, parses one time label at a given frequency, detects the resolution of a
column of labels, and validates daily and weekly frames with the checks
:func:`impact._core.validation.validate_panel` makes for monthly ones (gaps,
duplicates, counts, exposure, teams), naming each problem's team and period.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from impact._core.dates import format_period, parse_date_value, parse_week_value
from impact._core.exceptions import DataValidationError
from impact._core.parsing import format_list, is_blank, missing_months, parse_month_value
from impact._core.validation import PANEL_COLUMNS, validate_counts, validate_panel

#: Resolution name -> pandas frequency of the periods.
FREQ_OF: dict[str, str] = {"monthly": "M", "weekly": "W-SUN", "daily": "D"}
#: pandas frequency -> name of the time column (and of a series' index).
COLUMN_OF: dict[str, str] = {"M": "month", "W-SUN": "week", "D": "day"}
#: Time column -> pandas frequency.
FREQ_OF_COLUMN: dict[str, str] = {col: freq for freq, col in COLUMN_OF.items()}
#: pandas frequency -> resolution name.
RESOLUTION_OF: dict[str, str] = {freq: name for name, freq in FREQ_OF.items()}
#: pandas frequency -> (unit, plural).
UNIT_OF: dict[str, tuple[str, str]] = {"M": ("month", "months"), "W-SUN": ("week", "weeks"),
                                       "D": ("day", "days")}
_KEY_EXTRAS = ("channel", "category")


def parse_period(value: object, freq: str) -> tuple[str, pd.Period | None, str]:
    """Parse a time label at ``freq``: ``(kind, period, detail)``.

    ``kind`` is ``"ok"`` with a period, or says what the label is instead (``"month"``,
    ``"week"``, ``"day"``, ``"year"``, ``"quarter"``, ``"timestamp"``,
    ``"month_no_year"``, ``"empty"``, ``"unparseable"``). Text labels are cached (a long
    daily table repeats each date once per team).
    """
    if isinstance(value, str):
        return _parse_text_period(value, freq)
    return _parse_period(value, freq)


@functools.lru_cache(maxsize=65536)
def _parse_text_period(value: str, freq: str) -> tuple[str, pd.Period | None, str]:
    return _parse_period(value, freq)


def _parse_period(value: object, freq: str) -> tuple[str, pd.Period | None, str]:
    if freq == "M":
        parsed = parse_month_value(value)
        if parsed.kind == "month" and parsed.period is not None:
            return "ok", parsed.period, ""
        return parsed.kind, None, parsed.detail
    got = parse_date_value(value) if freq == "D" else parse_week_value(value)
    wanted = "day" if freq == "D" else "week"
    if got.kind == wanted and got.period is not None:
        return "ok", got.period, ""
    return got.kind, None, got.detail


def wrong_frequency(kind: str, freq: str) -> bool:
    """Whether a label ``kind`` (from :func:`parse_period`) is a period of another length."""
    other = {"year", "quarter", "month", "week", "day", "timestamp"}
    return kind in other - {UNIT_OF[freq][0]}


def detect_freq(values: Iterable[object]) -> str:
    """The frequency of a column of time labels: ``"M"``, ``"W-SUN"`` or ``"D"``.

    Monthly when every label is a month (first- or last-of-month dates included, so
    monthly tables read as before); weekly when most labels are ISO week labels, or all
    dates are Mondays a whole number of weeks apart (a week given by its Monday);
    daily when most labels are dates; otherwise monthly (whose parser then names the
    labels of other frequencies). Each distinct label counts once.
    """
    labels = list(dict.fromkeys(v for v in values if not is_blank(v)))  # distinct labels
    if not labels:
        return "M"
    if all(parse_month_value(v).kind in ("month", "month_no_year") for v in labels):
        return "M"
    days = [parse_date_value(v) for v in labels]
    n_days = sum(d.kind == "day" for d in days)
    n_weeks = sum(d.kind != "day" and parse_week_value(v).kind == "week"
                  for v, d in zip(labels, days, strict=True))
    if 2 * n_weeks > len(labels):
        return "W-SUN"
    if 2 * n_days > len(labels):
        dates = sorted({d.period.ordinal for d in days if d.period is not None})
        mondays = all(pd.Period(ordinal=o, freq="D").day_of_week == 0 for o in dates)
        spaced = all((b - a) % 7 == 0 for a, b in zip(dates, dates[1:], strict=False))
        return "W-SUN" if len(dates) >= 2 and mondays and spaced else "D"
    return "M"


def time_column(frame: pd.DataFrame, name: str = "frame") -> str:
    """The time column of a long frame: ``"month"``, ``"week"`` or ``"day"``."""
    present = [c for c in ("month", "week", "day") if c in frame.columns]
    if len(present) > 1:
        raise DataValidationError(
            f"{name}: several time columns ({', '.join(present)}); a long frame has one, "
            "named after its resolution (month, week or day). Drop the others."
        )
    return present[0] if present else "month"


def gap_text(label: str, missing: Sequence[pd.Period], freq: str) -> str:
    """A located message for missing periods; days may be declared closed instead."""
    unit, units = UNIT_OF[freq]
    n = len(missing)
    listed = format_list([format_period(p) for p in missing])
    first = "first missing" if n > 12 else "missing"
    fix = "Add explicit zero rows if the line was open, or drop the team"
    if freq != "M":
        fix = (f"A {unit} without calls is written as 0; a {unit} the line was closed may be "
               "written as 'gesloten' (or 'closed') in the count cell (it counts 0 and is "
               "listed in attrs['closed']); else drop the team or cut the table to a "
               "complete span")
    return (f"{label}: {n} missing {unit if n == 1 else units} ({first}: {listed}); "
            f"{RESOLUTION_OF[freq]} series must be complete. {fix}")


def validate_frame(
    frame: object, name: str = "frame", *, teams: Iterable[str] | None = None
) -> pd.DataFrame:
    """Validate a long frame at any resolution (monthly frames: ``validate_panel``).

    Daily and weekly frames (a ``day`` or ``week`` column) get the checks of
    :func:`impact._core.validation.validate_panel` with their own labels: periods,
    counts, exposure, duplicate rows and periods missing inside a team's range.
    Returns a typed, sorted copy with the time column in the place of ``month``.
    """
    if not isinstance(frame, pd.DataFrame):
        return validate_panel(frame, name, teams=teams)
    col = time_column(frame, name)
    if col == "month":
        return validate_panel(frame, name, teams=teams)
    freq = FREQ_OF_COLUMN[col]
    unit = UNIT_OF[freq][0]
    if len(frame) == 0:
        raise DataValidationError(f"{name} has no rows; it needs at least one team-{unit}.")
    values = frame[col]
    if isinstance(values.dtype, pd.PeriodDtype) and values.dtype.freq.freqstr == freq:
        if values.isna().any():
            raise DataValidationError(f"{name}: column {col!r} holds a missing {unit}; remove "
                                      "the row or give its date.")
        periods = list(values)
    else:
        periods, bad = [], []
        for i, value in zip(frame.index, values.to_numpy(dtype=object), strict=True):
            kind, period, detail = parse_period(value, freq)
            if period is None:
                bad.append(f"row {i}: {detail}")
            periods.append(period)
        if bad:
            raise DataValidationError(
                f"{name} column {col!r}: {len(bad)} value{'s' if len(bad) != 1 else ''} not "
                f"one {unit} ({format_list(bad, 6)})."
            )
    teams_raw = frame["team"].to_numpy(dtype=object) if "team" in frame.columns else None
    if teams_raw is None or "calls" not in frame.columns:
        missing = [c for c in ("team", "calls") if c not in frame.columns]
        raise DataValidationError(
            f"{name}: missing required column{'s' if len(missing) != 1 else ''} "
            f"{', '.join(map(repr, missing))}; a long frame has columns team, {col}, calls."
        )
    where = [f"{t} {format_period(p)}" for t, p in zip(teams_raw, periods, strict=True)]
    validate_counts(pd.Series(frame["calls"].to_numpy(dtype=object), index=where),
                    f"{name} column 'calls'")
    if "exposure" in frame.columns:
        exposure = pd.to_numeric(frame["exposure"], errors="coerce").to_numpy(dtype=float)
        bad = [w for v, w in zip(exposure, where, strict=True)
               if not (math.isfinite(v) and v > 0)]
        if bad:
            raise DataValidationError(
                f"{name}: column 'exposure' must hold finite numbers > 0; bad values for "
                f"{format_list(bad)}. Exposure is e.g. hours open."
            )
    extras = [c for c in _KEY_EXTRAS if c in frame.columns]
    keyed = pd.DataFrame({"team": teams_raw, "ordinal": [p.ordinal for p in periods],
                          **{c: frame[c].to_numpy(dtype=object) for c in extras}})
    dup = keyed.duplicated(keep=False).to_numpy()
    if dup.any():
        listed = sorted({" ".join([w, *[str(frame[c].iloc[i]) for c in extras]])
                         for i, w in enumerate(where) if dup[i]})
        raise DataValidationError(
            f"{name}: {len(listed)} duplicate team/{unit} rows ({format_list(listed)}); each "
            f"team and {unit} occurs once. Remove the duplicate rows or sum them."
        )
    problems = []
    for team in sorted({str(t) for t in teams_raw}):
        ords = [p for t, p in zip(teams_raw, periods, strict=True) if str(t) == team]
        gaps = missing_months(ords, freq)
        if gaps:
            problems.append(gap_text(f"team {team!r}", gaps, freq))
    if problems:
        raise DataValidationError(f"{name}: " + "; ".join(problems))
    # the remaining checks (team names, text columns, kind) are validate_panel's; the
    # periods stand in as months with the same ordinals (order and gaps are kept)
    stand_in = frame.drop(columns=[col]).copy()
    stand_in["month"] = pd.PeriodIndex([pd.Period(ordinal=p.ordinal, freq="M") for p in periods],
                                       freq="M")
    stand_in.attrs = dict(frame.attrs)
    checked = validate_panel(stand_in, name, teams=teams)
    back = pd.PeriodIndex(
        [pd.Period(ordinal=o, freq=freq) for o in checked["month"].array.asi8], freq=freq
    )
    checked.insert(checked.columns.get_loc("month"), col, back)
    out = checked.drop(columns="month")
    out.attrs = dict(checked.attrs)
    return out


def frame_columns(col: str) -> tuple[str, ...]:
    """The columns a long frame may hold, in order, with ``col`` as its time column."""
    return tuple(col if c == "month" else c for c in PANEL_COLUMNS)


def as_periods(values: Sequence[Any] | np.ndarray, freq: str) -> pd.PeriodIndex:
    """A ``PeriodIndex`` of ``values`` (periods of ``freq``) with that frequency."""
    return pd.PeriodIndex(list(values), freq=freq)
