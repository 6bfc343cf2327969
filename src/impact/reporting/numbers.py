"""Number and date formatting of the reports, per report language, with babel.

:class:`NumberFormat` writes counts, decimals, percentages, interval levels, days and
months for one report language (``nl``: locale ``nl_BE``, 9.424 and 31,2%; ``en``: locale
``en_GB``, 9,424 and 31.2%), rounding once, half to even, and never writing ``-0``.
:mod:`impact.reporting.builder` uses it for every number of the reports.
"""

from __future__ import annotations

import dataclasses
import decimal
import math
from typing import Any

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from impact._core.exceptions import DataValidationError
from impact.reporting.templates import LANGUAGES, LOCALES, TEXT

__all__ = ["NumberFormat"]


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise DataValidationError(
            f"lang={lang!r} is not a report language; expected one of {list(LANGUAGES)}."
        )
    return lang


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return True


@dataclasses.dataclass(frozen=True)
class NumberFormat:
    """Format numbers and dates for one report language with babel.

    Parameters
    ----------
    lang : {"nl", "en"}
        ``nl`` formats with the ``nl_BE`` locale (9.424; 31,2%), ``en`` with ``en_GB``
        (9,424; 31.2%).

    Notes
    -----
    Values are rounded once, half to even on their decimal representation, before
    babel formats them; a value that rounds to zero is written without a sign (never
    ``-0``). Missing values are written as an en dash.

    Examples
    --------
    >>> NumberFormat("nl").count(9424), NumberFormat("en").count(9424)
    ('9.424', '9,424')
    >>> NumberFormat("nl").percent(0.312), NumberFormat("en").percent(0.312, signed=True)
    ('31,2%', '+31.2%')
    """

    lang: str = "en"

    def __post_init__(self) -> None:
        _check_lang(self.lang)

    @property
    def locale(self) -> str:
        """The babel locale of the language."""
        return LOCALES[self.lang]

    def _format(self, x: Any, *, digits: int, signed: bool, percent: bool) -> str:
        if _is_missing(x):
            return TEXT[self.lang]["dash"]
        scale = 100 if percent else 1
        value = decimal.Decimal(repr(float(x) * scale)).quantize(
            decimal.Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_EVEN
        )
        if value == 0:
            value = abs(value)
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        if percent:
            pattern += "%"
        if signed and value != 0:
            pattern = f"+{pattern};-{pattern}"
        if percent:
            return format_percent(value / scale, pattern, locale=self.locale)
        return format_decimal(value, pattern, locale=self.locale)

    def count(self, x: Any, *, signed: bool = False) -> str:
        """A count, rounded to a whole number, with a thousands separator."""
        return self._format(x, digits=0, signed=signed, percent=False)

    def decimal(self, x: Any, *, digits: int = 2, signed: bool = False) -> str:
        """A decimal number with ``digits`` decimals."""
        return self._format(x, digits=digits, signed=signed, percent=False)

    def percent(self, x: Any, *, digits: int = 1, signed: bool = False) -> str:
        """A proportion written as a percentage (0.312 -> 31,2% / 31.2%)."""
        return self._format(x, digits=digits, signed=signed, percent=True)

    def level(self, level: float) -> str:
        """An interval level (0.95 -> 95%)."""
        digits = 0 if abs(level * 100 - round(level * 100)) < 1e-9 else 1
        return self.percent(level, digits=digits)

    def date(self, day: Any) -> str:
        """A day, e.g. ``27 augustus 2023`` / ``27 August 2023``."""
        return format_date(pd.Timestamp(day).date(), "d MMMM y", locale=self.locale)

    def month(self, month: Any) -> str:
        """A month, e.g. ``augustus 2023`` / ``August 2023``."""
        ts = pd.Period(month, freq="M").to_timestamp()
        return format_date(ts.date(), "MMMM y", locale=self.locale)

    def short_month(self, month: Any) -> str:
        """A month in a table, e.g. ``aug 2023`` / ``Aug 2023``."""
        ts = pd.Period(month, freq="M").to_timestamp()
        return format_date(ts.date(), "MMM y", locale=self.locale)
