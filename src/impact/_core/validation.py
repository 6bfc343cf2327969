"""Boundary checks for the data contracts of :mod:`impact` (STYLE.md section 4).

Every public helper takes the name of the parameter it checks, returns a validated copy
(never mutating its argument) and raises :class:`~impact._core.exceptions.DataValidationError`
with a message that says what is wrong, where (team, month, index label), what was
expected and how to fix it. Validate once, at the boundary; inside the library trust
validated inputs.

Month labels
------------
One parser turns a value into a calendar month everywhere in the library (the file
loader :func:`impact.io.calls.load_call_counts` uses it too). Accepted:

- :class:`pandas.Period` with monthly frequency;
- dates (``datetime``, ``date``, :class:`pandas.Timestamp`, ``numpy.datetime64``, Excel
  date cells) on the **first or last day** of a month at midnight; any other day is
  taken for daily data and rejected;
- text: ``"2023-09"``, ``"2023/09"``, ``"2023.9"``, ``"09/2023"``, ``"202309"``, ISO or
  Belgian dates on the first or last day (``"2023-09-01"``, ``"01/09/2023"``, day
  first), Dutch, English and French month names and abbreviations with a year before
  or after (``"januari 2023"``, ``"jan. 2023"``, ``"sept 2023"``, ``"March 2023"``,
  ``"mrt-23"``, ``"okt '23"``, ``"2023 mei"``); two-digit years mean 20YY;
- Excel serial day numbers (20000-80000, i.e. 1954-2119) on the first or last day of a
  month.

Years (``"2023"``), quarters (``"Q1 2023"``, ``"K1 2023"``, ``"2023-Q1"``), weeks
(``"2023-W14"``) and other days are recognised as such and rejected with a message
that names the frequency ("mixed frequencies"). A month name without a year
(``"januari"``) or a bare month number is only accepted where the year is given
elsewhere (by the file loader, from a year column or a year-block header).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from impact._core.constants import DATA_KINDS, FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError

__all__ = [
    "PANEL_COLUMNS",
    "validate_counts",
    "validate_kind",
    "validate_level",
    "validate_month",
    "validate_panel",
    "validate_series",
]

#: Columns a canonical long frame may hold, in output order. ``team``, ``month`` and
#: ``calls`` are required; ``channel``/``category`` split counts further (see
#: :func:`impact.io.calls.aggregate_calls`); ``exposure`` is a float > 0 (days open, staffed
#: hours, ...); ``kind`` is a constant data-kind label (``"synthetic"``, ...).
PANEL_COLUMNS: tuple[str, ...] = (
    "team",
    "month",
    "channel",
    "category",
    "calls",
    "exposure",
    "kind",
)
_REQUIRED = ("team", "month", "calls")
_KEY_EXTRAS = ("channel", "category")

#: At most this many individual problems are listed in one message.
_MAX_LISTED = 12

_MONTH_NAMES: dict[str, int] = {}
for _number, _names in {
    1: "januari jan january janvier janv",
    2: "februari feb febr february fevrier fev fevr",
    3: "maart mrt maa mar march mars",
    4: "april apr avril avr",
    5: "mei may mai",
    6: "juni jun june juin",
    7: "juli jul july juillet juil",
    8: "augustus aug august aout",
    9: "september sep sept septembre",
    10: "oktober okt oct october octobre",
    11: "november nov novembre",
    12: "december dec decembre",
}.items():
    for _name in _names.split():
        _MONTH_NAMES[_name] = _number

_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + "$")
_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})" + _TIME + "$")
_YM = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$")
_YYYYMM = re.compile(r"^(\d{4})(\d{2})$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_QUARTER = re.compile(r"(?:^|[^a-z])(?:q|k|t)[1-4](?:$|[^0-9])|kwartaal|quarter|trimester|trim")
_WEEK = re.compile(r"^\d{4}\s*[-/ ]?\s*w\d{1,2}$|^w\d{1,2}\s*[-/ ]?\s*\d{4}$|week")
_NAME_YEAR = re.compile(r"^([a-z]+)\.?\s*[-/ ,']?\s*'?(\d{2}|\d{4})?$")
_YEAR_NAME = re.compile(r"^(\d{4})\s*[-/ ]\s*([a-z]+)\.?$")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


class MonthParse(NamedTuple):
    """Outcome of parsing one month label (internal; used by :mod:`impact.io.calls`).

    ``kind`` is ``"month"`` (``period`` set), ``"month_no_year"`` (``month_number``
    set), ``"year"``, ``"quarter"``, ``"week"``, ``"day"``, ``"empty"`` or
    ``"unparseable"``; ``detail`` explains rejections.
    """

    kind: str
    period: pd.Period | None = None
    month_number: int | None = None
    year: int | None = None
    detail: str = ""


# --- small shared helpers ------------------------------------------------------------------


def fold_text(value: object) -> str:
    """Return ``value`` as lower-case text without accents, with collapsed whitespace.

    Also maps non-breaking spaces to spaces and typographic quotes/minus to ASCII.
    """
    text = str(value)
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")
    text = text.replace("\u2212", "-").replace("\u2013", "-")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def is_blank(value: object) -> bool:
    """Whether a cell is empty (``None``, NaN/NaT or whitespace-only text)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NaT or (isinstance(value, np.datetime64) and np.isnat(value))


def format_month(period: pd.Period) -> str:
    """Format a month as ``YYYY-MM``."""
    return f"{period.year:04d}-{period.month:02d}"


def format_list(items: Sequence[str], limit: int = _MAX_LISTED) -> str:
    """Join ``items`` with commas, eliding the tail beyond ``limit`` items."""
    items = list(items)
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", ... ({len(items) - limit} more)"


def missing_months(months: Iterable[pd.Period], freq: str = "M") -> list[pd.Period]:
    """Return the periods missing between the first and last of ``months`` (sorted).

    ``freq`` is the periods' frequency (``"M"`` by default; ``"D"``, ``"W-SUN"``, ...).
    """
    ordinals = sorted({p.ordinal for p in months})
    if not ordinals:
        return []
    present = set(ordinals)
    return [
        pd.Period(ordinal=o, freq=freq)
        for o in range(ordinals[0], ordinals[-1] + 1)
        if o not in present
    ]


#: Words for the frequencies a model series may have.
_FREQ_WORDS = {"M": ("month", "monthly"), "W": ("week", "weekly"), "D": ("day", "daily")}


def gap_message(label: str, missing: Sequence[pd.Period], freq: str = "M") -> str:
    """Message for a series with missing periods (STYLE.md section 9 wording)."""
    unit, adjective = _FREQ_WORDS.get(freq[0], ("period", "the"))
    n = len(missing)
    listed = format_list([format_month(p) if freq == "M" else str(p) for p in missing])
    return (
        f"{label}: {n} missing {unit}{'s' if n != 1 else ''} ({listed}); {adjective} series "
        "must be complete. Add explicit zero rows if the line was open, or drop the team"
    )


def _month_from_date(year: int, month: int, day: int, has_time: bool, text: str) -> MonthParse:
    """Accept a date as a month label when it is the first or last day of the month."""
    try:
        _dt.date(year, month, day)
    except ValueError:
        return MonthParse("unparseable", detail=f"{text!r} is not a valid date")
    last = calendar.monthrange(year, month)[1]
    if has_time or day not in (1, last):
        return MonthParse(
            "day",
            detail=(
                f"{text!r} is a day, not a month (daily data?); aggregate to months and "
                "label each month by its first day or as 'YYYY-MM'"
            ),
        )
    return MonthParse("month", period=pd.Period(year=year, month=month, freq="M"))


def _parse_serial(number: float, text: str) -> MonthParse:
    """Excel serial day number (1900 date system) to a month label."""
    if number != int(number):
        return MonthParse("day", detail=f"{text!r} is an Excel date-time, not a month")
    day = _dt.date(1899, 12, 30) + _dt.timedelta(days=int(number))
    return _month_from_date(day.year, day.month, day.day, False, f"{text} ({day.isoformat()})")


def parse_month_value(value: object) -> MonthParse:
    """Parse one month label (see the module docstring for the accepted forms).

    Never raises; callers turn the outcome into a located error message.
    """
    if is_blank(value):
        return MonthParse("empty", detail="the month is empty")
    if isinstance(value, pd.Period):
        if value.freqstr == "M":
            return MonthParse("month", period=value)
        return MonthParse(
            "unparseable", detail=f"{value!s} has frequency {value.freqstr!r}, not 'M'"
        )
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, _dt.datetime):  # includes pandas.Timestamp
        has_time = (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0)
        return _month_from_date(value.year, value.month, value.day, has_time, str(value))
    if isinstance(value, _dt.date):
        return _month_from_date(value.year, value.month, value.day, False, value.isoformat())
    if isinstance(value, bool | np.bool_):
        return MonthParse("unparseable", detail=f"{value!r} is not a month")
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if not math.isfinite(number):
            return MonthParse("unparseable", detail=f"{value!r} is not a month")
        if number == int(number):
            value = str(int(number))
        else:
            return (
                _parse_serial(number, str(value))
                if 20000 <= number <= 80000
                else MonthParse("unparseable", detail=f"{value!r} is not a month")
            )
    raw = str(value).strip()
    text = fold_text(raw)
    if _YEAR.match(text):
        return MonthParse(
            "year", year=int(text), detail=f"{raw!r} is a year, not a month (annual data?)"
        )
    if re.fullmatch(r"\d{1,2}", text) and 1 <= int(text) <= 12:
        return MonthParse("month_no_year", month_number=int(text))
    if re.fullmatch(r"\d{5}", text) and 20000 <= int(text) <= 80000:
        return _parse_serial(float(text), raw)
    if m := _YYYYMM.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if 1900 <= year <= 2100 and 1 <= month <= 12:
            return MonthParse("month", period=pd.Period(year=year, month=month, freq="M"))
    if m := _YM.match(text):
        return _ym(int(m.group(1)), int(m.group(2)), raw)
    if m := _MY.match(text):
        return _ym(int(m.group(2)), int(m.group(1)), raw)
    if m := _DATE_YMD.match(text):
        y, mo, d = (int(g) for g in m.groups())
        return _month_from_date(y, mo, d, _has_nonzero_time(text), raw)
    if m := _DATE_DMY.match(text):
        d, mo, y = (int(g) for g in m.groups())
        return _month_from_date(y, mo, d, _has_nonzero_time(text), raw)
    if _WEEK.search(text):
        return MonthParse("week", detail=f"{raw!r} is a week, not a month (weekly data?)")
    if _QUARTER.search(text):
        return MonthParse("quarter", detail=f"{raw!r} is a quarter, not a month")
    if m := _NAME_YEAR.match(text):
        number = _MONTH_NAMES.get(m.group(1))
        if number is not None:
            if m.group(2) is None:
                return MonthParse("month_no_year", month_number=number)
            year = int(m.group(2))
            year = 2000 + year if year < 100 else year
            return MonthParse("month", period=pd.Period(year=year, month=number, freq="M"))
    if m := _YEAR_NAME.match(text):
        number = _MONTH_NAMES.get(m.group(2))
        if number is not None:
            return MonthParse(
                "month", period=pd.Period(year=int(m.group(1)), month=number, freq="M")
            )
    return MonthParse(
        "unparseable",
        detail=f"cannot read {raw!r} as a month (expected e.g. '2023-09', '09/2023' or "
        "'september 2023')",
    )


def _has_nonzero_time(text: str) -> bool:
    found = re.search(r"[ t](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$", text)
    if not found:
        return False
    return any(g is not None and float(g) != 0 for g in found.groups())


def _ym(year: int, month: int, raw: str) -> MonthParse:
    if not 1 <= month <= 12:
        return MonthParse("unparseable", detail=f"{raw!r}: month {month} is not 1-12")
    return MonthParse("month", period=pd.Period(year=year, month=month, freq="M"))


def year_in_text(value: object) -> int | None:
    """Return the single four-digit year (19xx/20xx) in a label, else ``None``."""
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, int | np.integer) and 1900 <= int(value) <= 2100:
        return int(value)
    if isinstance(value, float) and value.is_integer() and 1900 <= value <= 2100:
        return int(value)
    if not isinstance(value, str):
        return None
    found = set(_YEAR_IN_TEXT.findall(value))
    return int(found.pop()) if len(found) == 1 else None


# --- counts --------------------------------------------------------------------------------

_INT = re.compile(r"^[+-]?\d+$")
_NL_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_SPACE_THOUSANDS = re.compile(r"^\d{1,3}(?: \d{3})+$")
_NL_DECIMAL = re.compile(r"^-?\d{1,3}(?:\.\d{3})*,\d+$|^-?\d+,\d+$")
_EN_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_EN_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def parse_number_text(text: str, *, dot_thousands: bool = True) -> float | None | str:
    """Parse a number written the Dutch or international way.

    Returns the number, ``None`` for text that is not a number, or a message string for
    ambiguous text. With ``dot_thousands`` (counts) ``"1.234"`` is Dutch for 1234;
    without it (exposure, a real number) it is 1.234. ``"1 234"`` (also with
    non-breaking spaces) is 1234; ``"12,5"`` is Dutch for 12.5; ``"12.5"`` is 12.5;
    ``"1,234"`` is ambiguous (Dutch 1.234 or English 1234) and rejected.
    """
    s = text.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")
    if _SPACE_THOUSANDS.match(s):
        s = s.replace(" ", "")
    if _INT.match(s):
        return float(int(s))
    if _EN_THOUSANDS.match(s):
        return (
            f"{text.strip()!r} is ambiguous (Dutch decimal comma or English thousands "
            "separator); write the number without separators, e.g. 1234"
        )
    if dot_thousands and _NL_THOUSANDS.match(s):
        return float(int(s.replace(".", "")))
    if _NL_DECIMAL.match(s):
        return float(s.replace(".", "").replace(",", "."))
    if _EN_DECIMAL.match(s):
        return float(s)
    return None


def parse_count_value(value: object) -> tuple[int | None, str]:
    """Parse one count cell; return ``(count, "")`` or ``(None, reason)``."""
    if is_blank(value):
        return None, "the count is empty (write 0 if the line was open but had no calls)"
    if isinstance(value, bool | np.bool_):
        return None, f"{value!r} is not a count"
    if isinstance(value, int | np.integer):
        number = float(value)
    elif isinstance(value, float | np.floating):
        number = float(value)
        if not math.isfinite(number):
            return None, f"{value!r} is not a count"
    elif isinstance(value, str):
        parsed = parse_number_text(value)
        if isinstance(parsed, str):
            return None, parsed
        if parsed is None:
            return None, f"{value.strip()!r} is not a number"
        number = parsed
    else:
        return None, f"{value!r} ({type(value).__name__}) is not a number"
    shown = value.strip() if isinstance(value, str) else value
    if number < 0:
        return None, f"negative count {shown!r}; counts must be >= 0"
    if not float(number).is_integer():
        return None, f"fractional count {shown!r}; counts must be whole numbers"
    return int(number), ""


def parse_positive_float(value: object) -> tuple[float | None, str]:
    """Parse an exposure cell (float > 0); return ``(value, "")`` or ``(None, reason)``."""
    if is_blank(value):
        return None, "the exposure is empty"
    if isinstance(value, bool | np.bool_):
        return None, f"{value!r} is not a number"
    if isinstance(value, int | float | np.integer | np.floating):
        number: float | None | str = float(value)
    elif isinstance(value, str):
        number = parse_number_text(value, dot_thousands=False)
        if isinstance(number, str):
            return None, number
    else:
        number = None
    if not isinstance(number, float):
        return None, f"{value!r} is not a number"
    if not math.isfinite(number) or number <= 0:
        return None, f"exposure {value!r} must be a finite number > 0"
    return number, ""


# --- public validators ---------------------------------------------------------------------


def validate_kind(kind: object, name: str = "kind") -> str:
    """Check a data-kind label.

    Parameters
    ----------
    kind : str
        One of :data:`impact._core.constants.DATA_KINDS` (``"published"``, ``"real"``,
        ``"synthetic"``).
    name : str, default "kind"
        Parameter name used in the error message.

    Returns
    -------
    str
        ``kind``.

    Raises
    ------
    DataValidationError
        When ``kind`` is not one of the data kinds.
    """
    if not isinstance(kind, str) or kind not in DATA_KINDS:
        raise DataValidationError(
            f"{name} must be one of {', '.join(repr(k) for k in DATA_KINDS)}; got {kind!r}. "
            "Label real extracts 'real', generated panels 'synthetic' and figures from "
            "public sources 'published'."
        )
    return kind


def validate_month(value: object, name: str = "month") -> pd.Period:
    """Coerce one month label to a monthly :class:`pandas.Period`.

    Parameters
    ----------
    value : Period, str, date or datetime
        See the module docstring for the accepted forms (``"2023-04"``,
        ``"april 2023"``, ``pd.Timestamp("2023-04-01")``, ...).
    name : str, default "month"
        Parameter name used in the error message.

    Returns
    -------
    pandas.Period
        With ``freq="M"``.

    Raises
    ------
    DataValidationError
        When ``value`` is not one calendar month (also for years, quarters, weeks and
        days other than the first or last of a month).

    Examples
    --------
    >>> validate_month("jan. 2023")
    Period('2023-01', 'M')
    """
    parsed = parse_month_value(value)
    if parsed.kind == "month" and parsed.period is not None:
        return parsed.period
    if parsed.kind == "month_no_year":
        detail = f"{value!r} has no year"
    else:
        detail = parsed.detail
    raise DataValidationError(
        f"{name}: {detail}; expected one calendar month such as '2023-04', "
        "pd.Period('2023-04', 'M') or 'april 2023'."
    )


def validate_level(level: object, name: str = "level") -> float:
    """Check an interval level (a probability strictly between 0 and 1).

    Parameters
    ----------
    level : float
        For example 0.95 for 95% intervals.
    name : str, default "level"
        Parameter name used in the error message.

    Returns
    -------
    float

    Raises
    ------
    DataValidationError
        When ``level`` is not a real number with ``0 < level < 1`` (``95`` instead of
        ``0.95`` included).
    """
    if isinstance(level, bool | np.bool_) or not isinstance(
        level, int | float | np.integer | np.floating
    ):
        raise DataValidationError(
            f"{name} must be a probability between 0 and 1 (e.g. 0.95), got {level!r}."
        )
    value = float(level)
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        hint = f" Did you mean {value / 100:g}?" if 1.0 < value < 100.0 else ""
        raise DataValidationError(
            f"{name} must satisfy 0 < {name} < 1 (e.g. 0.95 for 95% intervals), "
            f"got {level!r}.{hint}"
        )
    return value


def validate_counts(counts: object, name: str = "calls") -> pd.Series:
    """Check call counts: numeric, finite, whole numbers, ``>= 0``, no missing values.

    Parameters
    ----------
    counts : Series or array-like
        Counts; floats holding whole numbers (``12.0``) are accepted. Text is not (the
        file loader reads Dutch number formats; this helper is for in-memory data).
    name : str, default "calls"
        Parameter name used in the error message.

    Returns
    -------
    pandas.Series
        ``int64`` copy, with the index of ``counts`` (a ``RangeIndex`` for arrays).

    Raises
    ------
    DataValidationError
        Naming the index labels (months) of missing, non-numeric, negative or
        fractional values.
    """
    if isinstance(counts, pd.DataFrame):
        raise DataValidationError(
            f"{name} must be one column of counts (a Series), got a DataFrame with columns "
            f"{list(counts.columns)}; select the 'calls' column."
        )
    if isinstance(counts, pd.Series):
        series = counts.copy()
    else:
        try:
            series = pd.Series(np.asarray(counts, dtype=object))
        except (TypeError, ValueError) as exc:
            raise DataValidationError(
                f"{name} must be an array of counts, got {type(counts).__name__}."
            ) from exc
    return _check_counts(series, name, [_label(i) for i in series.index])


def _label(value: object) -> str:
    if isinstance(value, pd.Period) and value.freqstr == "M":
        return format_month(value)
    return str(value)


def _check_counts(series: pd.Series, name: str, where: Sequence[str]) -> pd.Series:
    """Validate counts; ``where`` holds a location text per element."""
    if series.dtype == bool or str(series.dtype) == "boolean":
        raise DataValidationError(f"{name} must hold counts, got booleans.")
    values = series.to_numpy(dtype=object)
    problems: dict[str, list[str]] = {}
    out = np.zeros(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        if isinstance(v, str):
            reason = "non-numeric"
        elif v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            reason = "missing"
        else:
            count, msg = parse_count_value(v)
            if count is None:
                reason = (
                    "negative"
                    if msg.startswith("negative")
                    else ("fractional" if msg.startswith("fractional") else "non-numeric")
                )
            else:
                out[i] = count
                continue
        problems.setdefault(reason, []).append(f"{where[i]}: {v!r}")
    if problems:
        parts = []
        for reason, items in problems.items():
            parts.append(f"{len(items)} {reason} value{'s' if len(items) != 1 else ''} "
                         f"({format_list(items)})")
        raise DataValidationError(
            f"{name}: {'; '.join(parts)}; counts must be whole numbers >= 0 with no missing "
            "values. Fix the counts (use 0 for a month without calls, never leave it empty)."
        )
    return pd.Series(out, index=series.index, name=series.name)


def _coerce_months(values: Sequence[object], name: str, where: Sequence[str]) -> list[pd.Period]:
    months: list[pd.Period] = []
    bad: list[str] = []
    for value, loc in zip(values, where, strict=True):
        parsed = parse_month_value(value)
        if parsed.kind == "month" and parsed.period is not None:
            months.append(parsed.period)
        else:
            detail = f"{value!r} has no year" if parsed.kind == "month_no_year" else parsed.detail
            bad.append(f"{loc}: {detail}" if loc else detail)
    if bad:
        raise DataValidationError(
            f"{name}: {len(bad)} value{'s' if len(bad) != 1 else ''} not one calendar month "
            f"({format_list(bad, 6)}); use monthly labels such as '2023-04' or "
            "pd.Period('2023-04', 'M')."
        )
    return months


def validate_series(series: object, name: str = "series") -> pd.Series:
    """Check a count series (the model input of STYLE.md section 4).

    Parameters
    ----------
    series : Series
        Counts indexed by month: a ``PeriodIndex`` with ``freq="M"``, or labels that are
        coerced once to months (``"2023-04"``, timestamps on the first or last day of a
        month). A daily or weekly ``PeriodIndex`` (``freq="D"``, ``"W-SUN"``, ...) is
        kept at its frequency (DESIGN.md section 2: where daily or weekly counts exist,
        the same code uses them).
    name : str, default "series"
        Parameter name used in the error message.

    Returns
    -------
    pandas.Series
        Copy named ``"calls"``, ``int64`` values, index a sorted, unique, complete
        ``PeriodIndex`` (``freq="M"`` named ``"month"``; daily/weekly indexes keep their
        frequency and name); ``attrs`` kept.

    Raises
    ------
    DataValidationError
        For a non-Series, an empty series, labels that are not months (quarterly and
        annual ``PeriodIndex`` included), duplicate or missing periods (listed), and
        missing, negative, fractional or non-numeric counts.

    Examples
    --------
    >>> import pandas as pd
    >>> s = validate_series(pd.Series([3, 0, 5], index=["2023-01", "2023-02", "2023-03"]))
    >>> s.index.freqstr, s.name, int(s.sum())
    ('M', 'calls', 8)
    """
    if not isinstance(series, pd.Series):
        raise DataValidationError(
            f"{name} must be a pandas Series of monthly counts indexed by month, got "
            f"{type(series).__name__}. Use impact.to_series(frame, team) to get one."
        )
    if len(series) == 0:
        raise DataValidationError(f"{name} is empty; a monthly series needs at least one month.")
    index = series.index
    if isinstance(index, pd.PeriodIndex) and index.freqstr[0] in "DW" and len(index):
        freq, index_name = index.freqstr, index.name or "period"
        periods = list(index)
    else:
        freq, index_name = "M", "month"
        if isinstance(index, pd.PeriodIndex) and index.freqstr == "M":
            periods = list(index)
        else:
            periods = _coerce_months(list(index), f"{name} index", [""] * len(index))
    unit = _FREQ_WORDS[freq[0]][0]
    if any(pd.isna(m) for m in periods):
        raise DataValidationError(f"{name} index holds a missing {unit} (NaT); remove it.")
    idx = pd.PeriodIndex(periods, freq=freq, name=index_name)
    counts = _check_counts(
        pd.Series(series.to_numpy(dtype=object), index=idx),
        f"{name} values",
        [_label(p) for p in periods],
    )
    duplicated = idx[idx.duplicated()].unique()
    if len(duplicated):
        listed = format_list([_label(p) for p in duplicated])
        raise DataValidationError(
            f"{name}: {len(duplicated)} duplicate {unit}{'s' if len(duplicated) != 1 else ''} "
            f"({listed}); a series needs one value per {unit}. Remove or sum the duplicates."
        )
    counts = counts.sort_index()
    gaps = missing_months(periods, freq)
    if gaps:
        raise DataValidationError(gap_message(name, gaps, freq))
    out = pd.Series(counts.to_numpy(dtype=np.int64), index=counts.index, name="calls")
    out.attrs = dict(series.attrs)
    return out


def validate_panel(frame: object, name: str = "frame") -> pd.DataFrame:
    """Check a canonical long frame (what :func:`impact.load_call_counts` returns).

    Parameters
    ----------
    frame : DataFrame
        Columns ``team`` (one of :data:`impact._core.constants.TEAMS`), ``month`` (monthly
        periods or labels coerced once), ``calls`` (whole numbers >= 0); optional
        ``channel`` and ``category`` (text; then rows are unique per team, month,
        channel and category), ``exposure`` (float > 0) and ``kind`` (one constant data
        kind, equal to ``frame.attrs["kind"]`` when both are set).
    name : str, default "frame"
        Parameter name used in the error message.

    Returns
    -------
    pandas.DataFrame
        Copy with columns in the order of :data:`PANEL_COLUMNS`, dtypes ``str``,
        ``period[M]``, ``int64`` (calls), ``float64`` (exposure), sorted by team, month
        (then channel, category), a fresh ``RangeIndex``; ``attrs`` kept.

    Raises
    ------
    DataValidationError
        For missing or unknown columns, unknown teams (the Flanders total included: it
        is derived, never stored), bad months, bad counts or exposure, duplicate rows,
        and teams with missing months inside their range (teams may cover different
        ranges).
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataValidationError(
            f"{name} must be a pandas DataFrame in the long layout (team, month, calls), got "
            f"{type(frame).__name__}. Use impact.load_call_counts to read a file."
        )
    columns = [str(c) for c in frame.columns]
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        raise DataValidationError(
            f"{name}: missing required column{'s' if len(missing) != 1 else ''} "
            f"{', '.join(repr(c) for c in missing)}; found {columns}. A long frame has columns "
            "team, month, calls (optional: channel, category, exposure, kind)."
        )
    unknown = [c for c in columns if c not in PANEL_COLUMNS]
    if unknown:
        raise DataValidationError(
            f"{name}: unknown column{'s' if len(unknown) != 1 else ''} "
            f"{', '.join(repr(c) for c in unknown)}; a long frame may only hold "
            f"{', '.join(PANEL_COLUMNS)}. Drop the other columns first."
        )
    if len(columns) != len(set(columns)):
        raise DataValidationError(f"{name}: duplicate column names {columns}.")
    if len(frame) == 0:
        raise DataValidationError(f"{name} has no rows; it needs at least one team-month.")
    attrs = dict(frame.attrs)
    if "kind" in attrs:
        validate_kind(attrs["kind"], f"{name}.attrs['kind']")

    teams_raw = frame["team"].to_numpy(dtype=object)
    bad_teams = sorted(
        {repr(t) for t in teams_raw if not isinstance(t, str) or t not in TEAMS}
    )
    if bad_teams:
        hint = (
            f" {FLANDERS!r} is the sum of the teams: drop those rows (to_series(frame, "
            f"{FLANDERS!r}) derives it)."
            if repr(FLANDERS) in bad_teams
            else ""
        )
        raise DataValidationError(
            f"{name}: unknown team{'s' if len(bad_teams) != 1 else ''} {', '.join(bad_teams)} "
            f"in column 'team'; expected canonical names {', '.join(TEAMS)}. Map variants "
            f"with impact.io.calls.canonical_team.{hint}"
        )

    month_col = frame["month"]
    if month_col.dtype == pd.PeriodDtype("M"):
        if month_col.isna().any():
            rows = [str(i) for i in frame.index[month_col.isna().to_numpy()]]
            raise DataValidationError(
                f"{name}: missing month in rows {format_list(rows)}; every row needs a month."
            )
        months = list(month_col)
    else:
        labels = [f"row {i}" for i in frame.index]
        months = _coerce_months(list(month_col), f"{name} column 'month'", labels)

    where = [f"{t} {format_month(m)}" for t, m in zip(teams_raw, months, strict=True)]
    calls = _check_counts(frame["calls"].reset_index(drop=True), f"{name} column 'calls'", where)

    data: dict[str, Any] = {
        "team": pd.array(list(teams_raw), dtype="str"),
        "month": pd.PeriodIndex(months, freq="M"),
    }
    for col in _KEY_EXTRAS:
        if col in columns:
            values = frame[col].to_numpy(dtype=object)
            bad = [w for v, w in zip(values, where, strict=True) if not isinstance(v, str)
                   or not v.strip()]
            if bad:
                raise DataValidationError(
                    f"{name}: column {col!r} must hold non-empty text; empty or non-text in "
                    f"{format_list(bad)}."
                )
            data[col] = pd.array([v.strip() for v in values], dtype="str")
    data["calls"] = calls.to_numpy(dtype=np.int64)
    if "exposure" in columns:
        exposure = pd.to_numeric(frame["exposure"], errors="coerce").to_numpy(dtype=float)
        bad = [w for v, w in zip(exposure, where, strict=True)
               if not (math.isfinite(v) and v > 0)]
        if bad:
            raise DataValidationError(
                f"{name}: column 'exposure' must hold finite numbers > 0; bad values for "
                f"{format_list(bad)}. Exposure is e.g. days open or staffed hours."
            )
        data["exposure"] = exposure
    if "kind" in columns:
        kinds = {str(k) for k in frame["kind"].to_numpy(dtype=object)}
        if len(kinds) != 1:
            raise DataValidationError(
                f"{name}: column 'kind' holds several data kinds {sorted(kinds)}; never mix "
                "real, published and synthetic rows in one frame."
            )
        (only,) = kinds
        validate_kind(only, f"{name} column 'kind'")
        if "kind" in attrs and attrs["kind"] != only:
            raise DataValidationError(
                f"{name}: column 'kind' says {only!r} but attrs['kind'] says "
                f"{attrs['kind']!r}; the data kind must be unambiguous."
            )
        data["kind"] = pd.array([only] * len(frame), dtype="str")

    out = pd.DataFrame(data)
    keys = ["team", "month", *[c for c in _KEY_EXTRAS if c in out.columns]]
    dup_mask = out.duplicated(keys, keep=False)
    if dup_mask.any():
        dups = out.loc[dup_mask, keys].drop_duplicates()
        listed = [
            " ".join([str(r.team), format_month(r.month),
                      *[str(getattr(r, c)) for c in keys[2:]]])
            for r in dups.itertuples(index=False)
        ]
        raise DataValidationError(
            f"{name}: {len(listed)} duplicate {'/'.join(keys)} combination"
            f"{'s' if len(listed) != 1 else ''} ({format_list(listed)}); each must occur "
            "once. Remove the duplicate rows or sum them."
        )
    problems = []
    for team in TEAMS:
        team_months = out.loc[out["team"] == team, "month"]
        if len(team_months):
            gaps = missing_months(team_months)
            if gaps:
                problems.append(gap_message(f"team {team!r}", gaps))
    if problems:
        raise DataValidationError(f"{name}: " + "; ".join(problems) + ".")
    out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    out = out[[c for c in PANEL_COLUMNS if c in out.columns]]
    out.attrs = attrs
    return out
