"""Parsing of month labels, numbers and text shared by the loaders and validators.

Small, never-raising helpers: :func:`parse_month_value` (one month label to a
:class:`MonthParse`), :func:`parse_number_text`, :func:`parse_count_value` and
:func:`parse_positive_float` (Dutch and international number formats),
:func:`year_in_text`, :func:`fold_text` and :func:`is_blank` (cell text), and the
message helpers :func:`format_month`, :func:`format_list`, :func:`missing_months` and
:func:`gap_message`. Callers (:mod:`impact._core.validation`, the file loaders in
:mod:`impact.io`) turn their outcomes into located error messages.

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
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "MonthParse",
    "fold_text",
    "format_list",
    "format_month",
    "gap_message",
    "is_blank",
    "missing_months",
    "parse_count_value",
    "parse_month_value",
    "parse_number_text",
    "parse_positive_float",
    "year_in_text",
]

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
    """Outcome of parsing one month label (used by the loaders in :mod:`impact.io`).

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
