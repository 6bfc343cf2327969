"""Problems, records and cell parsers shared by the layout parsers (private, for :mod:`impact.io`).

:class:`_Problems` collects located problems and raises them together; :class:`_Record` is
one count of one team and period, :class:`_Parsed` the outcome of parsing a table. The
helpers parse one period label at the table's resolution (months, ISO weeks or days, with
the week numbers of a year column), one count cell (and the ``gesloten`` word that
declares a closed day or week) and tell numbers and labels apart. The header synonyms of
the long layout live here too, since the wide layouts read them as well.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pandas as pd

from impact._core.exceptions import DataValidationError
from impact._core.parsing import (
    fold_text,
    format_list,
    format_month,
    parse_count_value,
    parse_month_value,
    parse_number_text,
)
from impact.io._periods import RESOLUTION_OF, UNIT_OF, parse_period
from impact.io.measures import canonical_channel, canonical_measure
from impact.io.teams import _Vocabulary

_ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "team": ("team", "ploeg", "provincie", "province", "regio", "region", "caw", "hulplijn",
             "helpline", "teamnaam", "provincieteam"),
    "month": ("month", "maand", "periode", "period", "datum", "date", "jaarmaand",
              "maandjaar", "yearmonth", "dag", "day", "week", "weeknr", "weeknummer",
              "isoweek", "wk"),
    "year": ("year", "jaar"),
    "calls": ("calls", "oproepen", "aantal", "aantaloproepen", "count", "counts", "n",
              "contacten", "contacts", "aantalcontacten", "numberofcalls", "answeredcalls",
              "beantwoordeoproepen", "beantwoord", "answered"),
    "channel": ("channel", "kanaal", "channels", "kanalen"),
    "measure": ("measure", "maat", "indicator", "type", "meting", "definitie", "definition"),
    "category": ("category", "categorie", "probleem", "problematiek", "thema", "problem",
                 "problemcategory", "probleemcategorie"),
    "exposure": ("exposure", "blootstelling"),
    "kind": ("kind", "datakind", "soortdata"),
}
_LONG_ROLES = {key: role for role, keys in _ROLE_SYNONYMS.items() for key in keys}
_NORMALISE = {"channel": canonical_channel, "measure": canonical_measure}
_MAX_PROBLEMS = 15


# --- problems ------------------------------------------------------------------------------


class _Problems:
    """Collects located problems and raises them together."""

    def __init__(
        self, source: str, max_count: int | None = None, vocab: _Vocabulary | None = None
    ) -> None:
        self.source = source
        self.max_count = max_count
        self.vocab = vocab if vocab is not None else _Vocabulary()
        self.labels: dict[str, None] = {}
        self.items: list[str] = []
        self.unknown: dict[str, tuple[object, list[str]]] = {}
        self.frequency: list[str] = []
        self.freq = "M"  # the table's resolution: "M", "W-SUN" or "D"

    def add(self, text: str) -> None:
        self.items.append(text)

    def see(self, label: object) -> None:
        """Remember a team label as written (for the unknown-label message)."""
        if isinstance(label, str) and label.strip():
            self.labels.setdefault(" ".join(label.split()), None)

    def unknown_team(self, name: object, where: str) -> None:
        self.see(name)
        self.unknown.setdefault(repr(name), (name, []))[1].append(where)

    def wrong_frequency(self, where: str, detail: str) -> None:
        self.frequency.append(f"{where}: {detail}")

    def __bool__(self) -> bool:
        return bool(self.items or self.unknown or self.frequency)

    def raise_if_any(self) -> None:
        if not self:
            return
        if self.unknown:  # one error, not a cascade of follow-on total errors
            labels = {str(name): places for name, places in self.unknown.values()}
            raise DataValidationError(
                f"{self.source}: " + self.vocab.unknown_message(labels, self.labels) + "."
            )
        items = list(self.items)
        if self.frequency and self.freq != "M":
            unit = UNIT_OF[self.freq][0]
            items.insert(
                0,
                f"mixed frequencies: the table is {RESOLUTION_OF[self.freq]} but these labels "
                f"are not one {unit} (" + format_list(self.frequency, 6) + f"); every row "
                f"must be one {unit}. Split or remove the rows of other periods",
            )
        elif self.frequency:
            items.insert(
                0,
                "mixed frequencies: these labels are not calendar months ("
                + format_list(self.frequency, 6)
                + "); every row must be one calendar month such as '2023-04' or "
                "'april 2023'. Split or remove the yearly, quarterly or daily rows",
            )
        shown = items[:_MAX_PROBLEMS]
        more = len(items) - len(shown)
        head = f"{self.source}: {len(items)} problem{'s' if len(items) != 1 else ''} found"
        body = "\n".join(f"  - {item}" for item in shown)
        tail = f"\n  ... and {more} more" if more else ""
        raise DataValidationError(f"{head}:\n{body}{tail}")


# --- records -------------------------------------------------------------------------------


@dataclasses.dataclass
class _Record:
    team: str
    month: pd.Period
    calls: int
    where: str
    channel: str | None = None
    category: str | None = None
    exposure: float | None = None
    measure: str | None = None
    closed: bool = False

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.team, self.month, self.channel, self.category, self.measure)


@dataclasses.dataclass
class _Parsed:
    records: list[_Record] = dataclasses.field(default_factory=list)
    blanks: dict[tuple[str, pd.Period], str] = dataclasses.field(default_factory=dict)
    columns: set[str] = dataclasses.field(default_factory=set)
    file_kind: str | None = None
    layout: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)
    seen: dict[str, str] = dataclasses.field(default_factory=dict)
    freq: str = "M"


def _month_or_problem(
    value: object, year: int | None, where: str, problems: _Problems, *, year_hint: str
) -> pd.Period | None:
    """Parse a month label (using ``year`` for labels without one) or record a problem.

    For a daily or weekly table (``problems.freq``) the label is a day or week instead.
    """
    if problems.freq != "M":
        return _period_or_problem(value, where, problems, year)
    parsed = parse_month_value(value)
    if parsed.kind == "month" and parsed.period is not None:
        if year is not None and parsed.period.year != year:
            problems.add(
                f"{where}: month {format_month(parsed.period)} does not lie in year {year} "
                "given for it; fix the month or the year"
            )
            return None
        return parsed.period
    if parsed.kind == "month_no_year" and parsed.month_number is not None:
        if year is None:
            problems.add(f"{where}: month {value!r} has no year; {year_hint}")
            return None
        return pd.Period(year=year, month=parsed.month_number, freq="M")
    if parsed.kind in ("year", "quarter", "week", "day"):
        problems.wrong_frequency(where, parsed.detail)
    elif parsed.kind == "empty":
        problems.add(f"{where}: the month is empty; every row needs a month")
    else:
        problems.add(f"{where}: {parsed.detail}")
    return None


def _period_or_problem(
    value: object, where: str, problems: _Problems, year: int | None = None
) -> pd.Period | None:
    """Parse a day or week label at ``problems.freq`` or record a problem.

    In a weekly table with a year column a bare week number (``35``, ``W35``) is the ISO
    week of that (ISO) year.
    """
    if problems.freq == "W-SUN" and year is not None:
        number = _week_number(value)
        if number is not None:
            value = f"{year}-W{number:02d}"
    kind, period, detail = parse_period(value, problems.freq)
    if period is not None:
        return period
    unit = UNIT_OF[problems.freq][0]
    if kind in ("year", "quarter", "month", "month_no_year", "week", "day", "timestamp"):
        problems.wrong_frequency(where, detail or f"{value!r} is not one {unit}")
    elif kind == "empty":
        problems.add(f"{where}: the {unit} is empty; every row needs a {unit}")
    else:
        problems.add(f"{where}: {detail}")
    return None


def _week_number(value: object) -> int | None:
    """A bare ISO week number (``35``, ``"35"``, ``"W35"``, ``"week 35"``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        number = int(value)
    elif isinstance(value, str) and (m := _BARE_WEEK.match(fold_text(value))):
        number = int(m.group(1))
    else:
        return None
    return number if 1 <= number <= 53 else None


_BARE_WEEK = re.compile(r"^(?:w|wk|week)?\s*\.?\s*(\d{1,2})$")

#: Header keys of a time column that holds week numbers (with a year column beside it).
_WEEK_HEADERS = frozenset({"week", "weeknr", "weeknummer", "isoweek", "wk"})


#: Count-cell words that declare a day or week the line was closed (daily/weekly tables).
_CLOSED_WORDS = frozenset({"gesloten", "closed", "dicht", "ferme"})


def _is_closed(value: object, problems: _Problems) -> bool:
    """Whether a count cell declares a closed day or week (never in monthly tables)."""
    return (problems.freq != "M" and isinstance(value, str)
            and fold_text(value) in _CLOSED_WORDS)


def _count_or_problem(value: object, where: str, problems: _Problems) -> int | None:
    count, reason = parse_count_value(value, max_count=problems.max_count)
    if count is None:
        problems.add(f"{where}: {reason}")
    return count


def _is_number(value: object) -> bool:
    """Whether a cell holds a number (also as text, as in CSV files)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and isinstance(parse_number_text(value), float)


def _label_kind(value: object, freq: str) -> str:
    """What a time label is at ``freq`` (``"ok"``, ``"unparseable"``, ...)."""
    if freq == "M":
        return parse_month_value(value).kind
    return parse_period(value, freq)[0]


def _has_year(value: object) -> bool:
    parsed = parse_month_value(value)
    return parsed.kind == "month"
