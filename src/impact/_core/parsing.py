"""Parsing of month labels, numbers and text shared by the loaders and validators.

Small, never-raising helpers: :func:`parse_month_value` (one month label to a
:class:`MonthParse`), :func:`parse_number_text`, :func:`parse_count_value` and
:func:`parse_positive_float` (Dutch and international number formats, see *Numbers*
below), :func:`year_in_text`, :func:`fold_text` and :func:`is_blank` (cell text), and the
message helpers :func:`format_month`, :func:`format_list`, :func:`missing_months` and
:func:`gap_message`. Days, weeks and timestamps have their parsers in
:mod:`impact._core.dates`. Callers (:mod:`impact._core.validation`, the file loaders in
:mod:`impact.io` and :func:`impact.events.load_events`) turn their outcomes into located
error messages.

The one raising part is reading an input file: :func:`read_input_bytes`,
:func:`read_input_text` (with :func:`decode_input_text`) and :func:`read_csv_text` are
what every loader uses to open its file, so that a missing file, a folder, a
symbolic-link loop, an unreadable file, an empty or binary file, a wrong encoding or a
malformed CSV ends in the caller's own error class
(:class:`~impact._core.exceptions.DataValidationError` or
:class:`~impact._core.exceptions.EventError`) naming the file.

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

Numbers
-------
One rule reads a number in every loader (:func:`parse_number_text`; counts in
:func:`impact.io.load_call_counts` and :func:`impact.io.load_category_table`, values in
:func:`impact.io.load_published`):

- ``"1234"``, ``"-12"``: whole numbers;
- ``"1.234"``, ``"12.345.678"``: **Dutch thousands** when the part before the first dot
  is 1-3 digits *not starting with 0* and every dot is followed by exactly three digits
  (so ``"1.000"`` is 1000); ``"0.125"`` is not a thousands group and stays 0.125. A real
  number with exactly three decimals and a non-zero integer part (12.345) must therefore
  be written with another number of decimals (``12.3450``) or with a decimal comma and
  a thousands dot (``12,345`` is ambiguous: see below). Exposure (a real number) is the
  one exception: :func:`parse_positive_float` reads ``"1.234"`` as 1.234;
- ``"1 234"`` (also with non-breaking spaces): 1234;
- ``"12,5"``, ``"1.234,5"``: Dutch decimal comma (12.5, 1234.5);
- ``"12.5"``, ``"15.4"``, ``"0.125"``: decimal point;
- ``"1,234"``: ambiguous (Dutch 1.234 or English 1234), rejected with a reason;
- anything else (``"1e3"``, ``"NaN"``, ``"inf"``, text): not a number.

Counts beyond :data:`MAX_COUNT` per row are refused by the loaders (a count that large is
an export error, not a helpline's traffic), and any count beyond the ``int64`` range is
refused everywhere.
"""

from __future__ import annotations

import calendar
import csv
import datetime as _dt
import errno
import io
import math
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from impact._core.exceptions import DataValidationError, ImpactError

__all__ = [
    "MAX_COUNT",
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
    "decode_input_text",
    "read_csv_text",
    "read_input_bytes",
    "read_input_text",
    "year_in_text",
]

#: Largest count one row (one team and period) may hold in a loaded file. Flanders has
#: about 6.8 million inhabitants and helpline 1712 answers some 10-20 thousand contacts a
#: year in all, so 10 million contacts for one team in one period is beyond any real
#: value by orders of magnitude (more calls than inhabitants), yet far enough from the
#: ``int64`` limit (9.2e18) that sums over teams and centuries cannot overflow. Loaders
#: take a ``max_count`` keyword to raise it on purpose.
MAX_COUNT: int = 10_000_000

#: Largest value an ``int64`` count column can hold.
_INT64_MAX = int(np.iinfo(np.int64).max)

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
_NL_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(?:\.\d{3})+$")
_SPACE_THOUSANDS = re.compile(r"^\d{1,3}(?: \d{3})+$")
_NL_DECIMAL = re.compile(r"^-?\d{1,3}(?:\.\d{3})*,\d+$|^-?\d+,\d+$")
_EN_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_EN_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def parse_number_text(text: str, *, dot_thousands: bool = True) -> float | None | str:
    """Parse a number written the Dutch or international way.

    Returns the number, ``None`` for text that is not a number, or a message string for
    ambiguous text. With ``dot_thousands`` (counts, published values) ``"1.234"`` is
    Dutch for 1234 (a first group of 1-3 digits not starting with 0, then groups of
    exactly three digits); without it (exposure, a real number) it is 1.234. ``"1 234"``
    (also with non-breaking spaces) is 1234; ``"12,5"`` is Dutch for 12.5; ``"12.5"`` and
    ``"0.125"`` are 12.5 and 0.125; ``"1,234"`` is ambiguous (Dutch 1.234 or English
    1234) and rejected. The module docstring states the rule in full.
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


def parse_count_value(
    value: object, *, max_count: int | None = None
) -> tuple[int | None, str]:
    """Parse one count cell; return ``(count, "")`` or ``(None, reason)``.

    Counts above ``max_count`` (no limit when ``None``) and above the ``int64`` range are
    refused with a reason starting "too large".
    """
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
    count = int(value) if isinstance(value, int | np.integer) else int(number)
    if isinstance(value, str) and _INT.match(value.strip()):
        count = int(value.strip())  # exact, also beyond float precision
    if count > _INT64_MAX:
        return None, (
            f"too large: count {shown!r} exceeds the largest storable count "
            f"({_INT64_MAX}); check the export"
        )
    if max_count is not None and count > max_count:
        return None, (
            f"too large: count {shown!r} exceeds the plausible maximum of {max_count} per "
            "row (MAX_COUNT); check the export, or pass max_count=... if it is real"
        )
    return count, ""


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


# --- input files -----------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _where_looked(path: str) -> str:
    return os.path.dirname(os.path.abspath(path)) or os.sep


def read_input_bytes(
    path: str | os.PathLike[str],
    *,
    what: str = "file",
    error: type[ImpactError] = DataValidationError,
    hint: str = "",
) -> bytes:
    """Read the bytes of one input file, or raise ``error`` naming the file.

    Parameters
    ----------
    path : str or path-like
        The file. Opened read-only; symbolic links are followed.
    what : str, default "file"
        What the file is, to start the message (``"event file"``, ...).
    error : type, default DataValidationError
        The :class:`~impact._core.exceptions.ImpactError` subclass to raise.
    hint : str, optional
        A sentence appended to the message for a missing file (where the file belongs).

    Returns
    -------
    bytes
        The file's content (possibly empty: callers decide what empty means).

    Raises
    ------
    ImpactError
        ``error``, when the path is not a path, does not exist, is a folder or another
        non-regular file, is a symbolic-link loop, cannot be read (permissions, I/O),
        each with what to do about it.
    """
    try:
        name = os.fspath(path)
    except TypeError:
        raise error(
            f"{what}: expected a file path, got {type(path).__name__} {path!r}."
        ) from None
    shown = f"{what} {str(name)!r}"
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise error(
            f"{shown} not found (looked in {_where_looked(name)}); check the path and the "
            f"working directory.{(' ' + hint) if hint else ''}"
        ) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error(
                f"{shown} is a symbolic link that points to itself (a link loop); replace "
                "the link by the file or a link to it."
            ) from None
        if exc.errno == errno.ENOTDIR:
            raise error(
                f"{shown} not found: a part of the path is a file, not a folder; check the "
                "path."
            ) from None
        raise error(f"{shown} cannot be opened ({exc.strerror or exc}); check the path.") from None
    except ValueError as exc:  # embedded NUL byte and the like
        raise error(f"{shown} is not a valid path ({exc}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{shown} is a folder, not a file; pass the path of the file in it.")
    if not stat.S_ISREG(info.st_mode):
        raise error(
            f"{shown} is not a regular file (a device, pipe or socket); pass a saved file."
        )
    try:
        with open(name, "rb") as handle:  # read-only: inputs are never modified
            return handle.read()
    except PermissionError:
        raise error(
            f"{shown} cannot be read: permission denied; give your user read access "
            "(e.g. chmod u+r) or copy the file somewhere readable."
        ) from None
    except IsADirectoryError:
        raise error(f"{shown} is a folder, not a file; pass the path of the file in it.") from None
    except OSError as exc:
        raise error(f"{shown} cannot be read ({exc.strerror or exc}).") from None


def read_input_text(
    path: str | os.PathLike[str],
    *,
    what: str = "file",
    error: type[ImpactError] = DataValidationError,
    hint: str = "",
) -> str:
    """Read one input file as UTF-8 text, or raise ``error`` naming the file.

    Parameters
    ----------
    path, what, error, hint
        As in :func:`read_input_bytes`.

    Returns
    -------
    str
        The text, without a byte-order mark; never empty or whitespace-only.

    Raises
    ------
    ImpactError
        ``error``, for everything :func:`read_input_bytes` and :func:`decode_input_text`
        refuse.
    """
    data = read_input_bytes(path, what=what, error=error, hint=hint)
    return decode_input_text(data, source=f"{what} {str(os.fspath(path))!r}", error=error)


def decode_input_text(
    data: bytes, *, source: str, error: type[ImpactError] = DataValidationError
) -> str:
    """Decode the bytes of an input file as UTF-8 text, or raise ``error``.

    Parameters
    ----------
    data : bytes
        The file's content (from :func:`read_input_bytes`).
    source : str
        How messages name the file (``"event file 'x.csv'"``).
    error : type, default DataValidationError
        The error class to raise.

    Returns
    -------
    str
        The text without a byte-order mark.

    Raises
    ------
    ImpactError
        ``error``, for an empty (or whitespace-only) file, bytes that are not UTF-8 (the
        message names the byte and the line) and control characters (a binary file).
    """
    if not data.strip():
        raise error(f"{source} is empty; export the file again (a header row at least).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{source} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
            "save it as 'CSV UTF-8' (Excel: File > Save As)."
        ) from None
    bad = _CONTROL.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise error(
            f"{source} holds control character 0x{ord(bad.group()):02x} on line {line}: a "
            "binary file, or text in another encoding? Save it as 'CSV UTF-8'."
        )
    return text


def read_csv_text(
    text: str,
    *,
    source: str,
    error: type[ImpactError] = DataValidationError,
    sep: str = ",",
) -> pd.DataFrame:
    """Parse CSV text into a frame of strings, or raise ``error`` naming ``source``.

    The first line is the header; every cell is text and nothing is read as missing
    (the caller parses cells by the rules above). Strict where a lenient parser would
    misread silently: a quote that is never closed, text after a closing quote, a row
    with more non-empty cells than the header (a lenient parser would shift the
    columns) and a column name used twice are errors. Empty lines are skipped; a short
    row is padded with empty cells; empty cells beyond the header are dropped.

    Parameters
    ----------
    text : str
        The CSV text (as from :func:`read_input_text`).
    source : str
        How messages name the file.
    error : type, default DataValidationError
        The error class to raise.
    sep : str, default ","
        Separator.

    Returns
    -------
    pandas.DataFrame
        One ``str`` column per header name, one row per non-empty data line, a
        ``RangeIndex``.

    Raises
    ------
    ImpactError
        ``error``, naming the line, for the cases above and for text without a header.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if row:
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise error(
            f"{source} is not a well-formed CSV file (line {reader.line_num}: {exc}); check "
            'for an unclosed quote (") or text after a closing quote.'
        ) from None
    if not rows or not any(cell.strip() for cell in rows[0][1]):
        raise error(f"{source} has no header row; the first line must name the columns.")
    header = [cell.strip() for cell in rows[0][1]]
    seen: dict[str, int] = {}
    for c, name in enumerate(header):
        if name and name in seen:
            raise error(
                f"{source}, line {rows[0][0]}: column {name!r} appears twice (columns "
                f"{seen[name] + 1} and {c + 1}); keep one."
            )
        seen[name] = c
    width = len(header)
    body: list[list[str]] = []
    for line, row in rows[1:]:
        if len(row) > width:
            extra = [cell for cell in row[width:] if cell.strip()]
            if extra:
                raise error(
                    f"{source}, line {line}: {len(row)} cells but the header has {width} "
                    f"columns (extra: {format_list([repr(x[:40]) for x in extra], 3)}); quote "
                    'cells that contain the separator ("a, b") or add the missing header.'
                )
            row = row[:width]
        body.append(row + [""] * (width - len(row)))
    return pd.DataFrame(
        {name: pd.array([r[c] for r in body], dtype="str") for c, name in enumerate(header)},
        columns=header,
    )
