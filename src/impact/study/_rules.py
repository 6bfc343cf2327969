"""The value rules of the study-file schema, and values shown the TOML way (private).

Each rule (:class:`_Whole`, :class:`_Probability`, :class:`_Flag`, :class:`_Text`,
:class:`_Month`, :class:`_Day`, :class:`_DayWindow`, :class:`_TextList`,
:class:`_WholeList`) is a frozen dataclass with an ``allowed`` text and a
``check(value)`` that returns the value (normalised, never coerced) or raises
:class:`_Invalid` with the reason and, where useful, a fix.
:func:`_show` writes a value as it would appear in TOML (shortened) for the messages.
Used only by :mod:`impact.study.schema`, which declares the settings with these rules.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from impact._core.exceptions import DataValidationError
from impact._core.validation import validate_level, validate_month

#: Years a study may address: the 1712 helpline opened in March 2012.
YEAR_RANGE: tuple[int, int] = (2012, 2100)

#: Longest shown value in a message.
_SHOW_CHARS = 60


class _Invalid(Exception):
    """A value broke its rule (internal; turned into one message line)."""

    def __init__(self, reason: str, fix: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


# --- showing values the TOML way ------------------------------------------------------------


def _quote(text: str) -> str:
    """Text as a TOML basic string, with every line-breaking character escaped."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode(
        "unicode_escape").decode("ascii") for ch in quoted)


def _show(value: Any, depth: int = 0) -> str:
    """A value as it would be written in TOML (shortened)."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = _quote(value)
    elif isinstance(value, float):
        text = repr(value) if math.isfinite(value) else str(value)  # nan, inf, -inf
    elif isinstance(value, int):
        text = str(value) if value.bit_length() < 100 else f"<a {value.bit_length()}-bit number>"
    elif isinstance(value, _dt.date | _dt.time):
        text = value.isoformat()
    elif isinstance(value, list | tuple):
        text = "[...]" if depth > 2 else "[" + ", ".join(
            _show(v, depth + 1) for v in list(value)[:8]) + (", ...]" if len(value) > 8 else "]")
    elif isinstance(value, Mapping):
        items = list(value.items())
        text = "{...}" if depth > 2 else "{" + ", ".join(
            f"{_name(k)} = {_show(v, depth + 1)}" for k, v in items[:5]) + (
            ", ...}" if len(items) > 5 else "}")
    else:
        text = repr(value)
    return text if len(text) <= _SHOW_CHARS else text[: _SHOW_CHARS - 3] + "..."


def _name(name: Any) -> str:
    """A section or key name as TOML writes it (quoted unless bare)."""
    text = str(name)
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _quote(text)[:_SHOW_CHARS]


def _type_word(value: Any) -> str:
    """What a TOML value is, in words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return "a date/time"
    return type(value).__name__


def _closest(word: str, candidates: Iterable[str], n: int = 1) -> list[str]:
    """Closest candidates to ``word`` (case-insensitive), best first."""
    by_fold: dict[str, str] = {}
    for c in candidates:
        by_fold.setdefault(c.casefold(), c)
    found = difflib.get_close_matches(word.casefold(), list(by_fold), n=n, cutoff=0.6)
    return [by_fold[f] for f in found]


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(_show(i) for i in items)


# --- rules --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Whole:
    """A whole number (not true/false, not a decimal number) within bounds."""

    minimum: int
    maximum: int | None = None

    @property
    def allowed(self) -> str:
        if self.maximum is None:
            return f"a whole number >= {self.minimum}"
        return f"a whole number from {self.minimum} to {self.maximum}"

    def _fits(self, value: int) -> bool:
        return value >= self.minimum and (self.maximum is None or value <= self.maximum)

    def check(self, value: Any) -> int:
        if isinstance(value, bool):
            raise _Invalid("true/false is not a number")
        if isinstance(value, float):
            if math.isfinite(value) and value.is_integer() and self._fits(int(value)):
                raise _Invalid("a decimal number is not a whole number", fix=str(int(value)))
            raise _Invalid("a decimal number is not a whole number (it is never rounded)")
        if isinstance(value, str):
            digits = value.strip()
            if digits.isdigit() and len(digits) < 20 and self._fits(int(digits)):
                raise _Invalid("text is not a number (remove the quotes)", fix=digits)
            raise _Invalid("text is not a number")
        if not isinstance(value, int):
            raise _Invalid(f"{_type_word(value)} is not a whole number")
        if not self._fits(value):
            raise _Invalid("out of range")
        return value


@dataclasses.dataclass(frozen=True)
class _Probability:
    """A probability strictly between 0 and 1 (a whole number is accepted, then refused)."""

    @property
    def allowed(self) -> str:
        return "a number strictly between 0 and 1 (0.95 for 95% intervals)"

    def check(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Invalid(f"{_type_word(value)} is not a number")
        hint = f"{value / 100:g}" if 1 < value < 100 else None
        if isinstance(value, int):  # no whole number lies strictly between 0 and 1
            raise _Invalid("out of range", fix=hint)
        try:
            return validate_level(value)
        except DataValidationError as exc:
            raise _Invalid("out of range", fix=hint) from exc


@dataclasses.dataclass(frozen=True)
class _Flag:
    """``true`` or ``false`` (TOML booleans, not text)."""

    @property
    def allowed(self) -> str:
        return "true or false (without quotes)"

    def check(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().casefold() in ("true", "false"):
            raise _Invalid("text is not a boolean (any text would read as true)",
                           fix=value.strip().casefold())
        raise _Invalid(f"{_type_word(value)} is not true/false")


@dataclasses.dataclass(frozen=True)
class _Text:
    """Non-empty text, optionally one of ``choices``; ``is_path`` forbids NUL characters."""

    choices: tuple[str, ...] = ()
    is_path: bool = False

    @property
    def allowed(self) -> str:
        if self.choices:
            return "one of " + _quoted(self.choices)
        return "a non-empty path in quotes" if self.is_path else "non-empty text in quotes"

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            raise _Invalid(f"{_type_word(value)} is not text")
        if self.choices:
            if value not in self.choices:
                near = _closest(value, self.choices)
                raise _Invalid("not an allowed value",
                               fix=_show(near[0]) if near else None)
            return value
        if not value.strip():
            raise _Invalid("empty text")
        if value != value.strip():
            raise _Invalid("spaces at the start or end", fix=_show(value.strip()))
        if "\x00" in value or any(ord(ch) < 32 for ch in value):
            raise _Invalid("control characters in a path" if self.is_path
                           else "control characters in text")
        return value


@dataclasses.dataclass(frozen=True)
class _Month:
    """One calendar month as text, returned as ``"YYYY-MM"``."""

    @property
    def allowed(self) -> str:
        return f'a month in quotes, "YYYY-MM", {YEAR_RANGE[0]} to {YEAR_RANGE[1]}'

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            fix = (_show(f"{value.year:04d}-{value.month:02d}")
                   if isinstance(value, _dt.date) else None)
            raise _Invalid(f"{_type_word(value)} is not a month in quotes", fix=fix)
        try:
            period = validate_month(value)
        except DataValidationError as exc:
            raise _Invalid("not a month") from exc
        if not YEAR_RANGE[0] <= period.year <= YEAR_RANGE[1]:
            raise _Invalid("year out of range")
        return f"{period.year:04d}-{period.month:02d}"


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclasses.dataclass(frozen=True)
class _Day:
    """One day, as text ``"YYYY-MM-DD"`` or a TOML date, returned as ``"YYYY-MM-DD"``."""

    @property
    def allowed(self) -> str:
        return (f'a day, "YYYY-MM-DD" in quotes or a TOML date, {YEAR_RANGE[0]} to '
                f"{YEAR_RANGE[1]}")

    def check(self, value: Any) -> str:
        if isinstance(value, _dt.datetime) or (
            not isinstance(value, str | _dt.date)
        ):
            raise _Invalid(f"{_type_word(value)} is not a day")
        if isinstance(value, str):
            if not _ISO_DAY.match(value):
                raise _Invalid("not a day written YYYY-MM-DD")
            try:
                day = _dt.date.fromisoformat(value)
            except ValueError as exc:
                raise _Invalid("not a calendar day") from exc
        else:
            day = value
        if not YEAR_RANGE[0] <= day.year <= YEAR_RANGE[1]:
            raise _Invalid("year out of range")
        return day.isoformat()


@dataclasses.dataclass(frozen=True)
class _DayWindow:
    """Two days ``[first, last]`` (inclusive), first not after last."""

    @property
    def allowed(self) -> str:
        return 'a list of two days ["YYYY-MM-DD", "YYYY-MM-DD"], the first not after the last'

    def check(self, value: Any) -> tuple[str, str]:
        if not isinstance(value, list | tuple):
            raise _Invalid(f"{_type_word(value)} is not a list of two days")
        if len(value) != 2:
            raise _Invalid(f"{len(value)} items instead of 2")
        days = []
        for i, v in enumerate(value):
            try:
                days.append(_Day().check(v))
            except _Invalid as exc:
                raise _Invalid(f"item {i + 1}: {exc.reason}") from exc
        if days[0] > days[1]:
            raise _Invalid("the first day is after the last",
                           fix=f"[{_show(days[1])}, {_show(days[0])}]")
        return (days[0], days[1])


@dataclasses.dataclass(frozen=True)
class _TextList:
    """A list of distinct non-empty texts (a bare text is refused: write it as a list)."""

    what: str = "ids"
    min_items: int = 0

    @property
    def allowed(self) -> str:
        at_least = f"at least {self.min_items} " if self.min_items else ""
        return f"a list of {at_least}distinct {self.what} in quotes"

    def check(self, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            raise _Invalid("a single text, not a list", fix=f"[{_show(value)}]")
        if not isinstance(value, list | tuple):
            raise _Invalid(f"{_type_word(value)} is not a list")
        bad = [f"item {i + 1} is {_type_word(v)}" for i, v in enumerate(value)
               if not isinstance(v, str)]
        bad += [f"item {i + 1} is empty" for i, v in enumerate(value)
                if isinstance(v, str) and not v.strip()]
        bad += [f"item {i + 1} has spaces at the start or end" for i, v in enumerate(value)
                if isinstance(v, str) and v.strip() and v != v.strip()]
        if bad:
            raise _Invalid(", ".join(bad[:5]) + (", ..." if len(bad) > 5 else ""))
        dups = sorted({v for v in value if value.count(v) > 1})
        if dups:
            raise _Invalid(f"{_quoted(dups)} listed more than once",
                           fix="[" + _quoted(dict.fromkeys(value)) + "]")
        if len(value) < self.min_items:
            raise _Invalid("too few items")
        return tuple(value)


@dataclasses.dataclass(frozen=True)
class _WholeList:
    """A list of ``length`` whole numbers, each from ``minimum`` to ``maximum``."""

    length: int
    minimum: int = 0
    maximum: int = 12

    @property
    def allowed(self) -> str:
        return (f"a list of {self.length} whole numbers, each from {self.minimum} to "
                f"{self.maximum}")

    def check(self, value: Any) -> tuple[int, ...]:
        if not isinstance(value, list | tuple):
            raise _Invalid(f"{_type_word(value)} is not a list")
        if len(value) != self.length:
            raise _Invalid(f"{len(value)} items instead of {self.length}")
        item = _Whole(self.minimum, self.maximum)
        out = []
        for i, v in enumerate(value):
            try:
                out.append(item.check(v))
            except _Invalid as exc:
                raise _Invalid(f"item {i + 1}: {exc.reason}") from exc
        return tuple(out)


@dataclasses.dataclass(frozen=True)
class _Channels:
    """``"sum"`` (add every channel up) or a list of distinct channel names."""

    @property
    def allowed(self) -> str:
        return '"sum" or a list of distinct channel names in quotes'

    def check(self, value: Any) -> str | tuple[str, ...]:
        if isinstance(value, str):
            if value != "sum":
                raise _Invalid("the only text allowed is \"sum\"",
                               fix=f"[{_show(value)}] to keep that channel only")
            return value
        return _TextList("channel names", min_items=1).check(value)


@dataclasses.dataclass(frozen=True)
class _TextMap:
    """A TOML table of text -> non-empty text (e.g. ``[teams.aliases]``)."""

    what: str = "labels"

    @property
    def allowed(self) -> str:
        return f'a table of {self.what}, each "label" = "name" in quotes'

    def check(self, value: Any) -> dict[str, str]:
        if not isinstance(value, Mapping):
            raise _Invalid(f"{_type_word(value)} is not a table",
                           fix='{ "1712 Antwerpen" = "Antwerpen" }')
        bad = [f"{_show(k)} = {_show(v)}" for k, v in value.items()
               if not isinstance(v, str) or not v.strip() or v != v.strip()
               or not str(k).strip()]
        if bad:
            raise _Invalid("not text (or empty, or spaces at the ends): "
                           + ", ".join(bad[:5]) + (", ..." if len(bad) > 5 else ""))
        return {str(k): v for k, v in value.items()}


_Rule = (_Whole | _Probability | _Flag | _Text | _Month | _Day | _DayWindow | _TextList
         | _WholeList | _Channels | _TextMap)
