"""Shared drawing plumbing: the project style, axes creation, data-kind captions, and the
words of the figures in Dutch and English.

Every module of :mod:`impact.plots` builds on these; nothing here computes. matplotlib is
imported inside :func:`mpl`, so importing :mod:`impact` works without it. Figures are
drawn per language: :data:`LABELS` holds every title, axis label and legend entry in
``en`` and ``nl``, :func:`label` fills one in, and :func:`date_axis`, :func:`month_ticks`
and :func:`number_axis` write dates and numbers with babel (``nl_BE``: ``aug 2023``,
``1.500``; ``en_GB``: ``Aug 2023``, ``1,500``).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from impact._core.exceptions import DataValidationError
from impact._core.provenance import SYNTHETIC_LABEL

__all__ = [
    "FIGURE_LANGUAGES",
    "KIND_CAPTIONS",
    "LABELS",
    "axes",
    "check_lang",
    "date_axis",
    "label",
    "month_text",
    "month_ticks",
    "mpl",
    "number_axis",
    "period_x",
    "project_style",
    "stamp_figure",
    "team_label",
]

#: Languages figures are drawn in.
FIGURE_LANGUAGES: tuple[str, ...] = ("nl", "en")
_LOCALES = {"nl": "nl_BE", "en": "en_GB"}

#: Caption stamped on every figure, by data kind (English; :data:`KIND_CAPTIONS_BY_LANG`
#: has both languages).
KIND_CAPTIONS: dict[str, str] = {
    "synthetic": SYNTHETIC_LABEL,
    "real": "Data: real 1712 call counts (data/raw)",
    "published": "Data: published figures (see source ids)",
}
KIND_CAPTIONS_BY_LANG: dict[str, dict[str, str]] = {
    "en": KIND_CAPTIONS,
    "nl": {
        "synthetic": "SYNTHETISCHE GEGEVENS – demonstratie, geen echte 1712-cijfers",
        "real": "Gegevens: echte oproepcijfers van 1712 (data/raw)",
        "published": "Gegevens: gepubliceerde cijfers (zie de bron-id's)",
    },
}

#: Every word of the figures, per language (``LABELS[lang][key]``, str.format fields).
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "watermark": "SYNTHETIC", "figure": "figure {id}", "data_kind": "Data kind: {kind}",
        "observed": "observed", "counterfactual": "counterfactual (expected)",
        "prediction_interval": "{pct}% prediction interval",
        "event_window": "event window ({event})", "calls_per_month": "calls per month",
        "simulation_interval": "{pct}% simulation interval",
        "relative_effect_pct": "relative effect (%)", "month": "month",
        "calls_overview_title": "Calls per team and month",
        "cumulative_effect": "cumulative effect", "cumulative_excess": "cumulative excess calls",
        "calendar_month": "calendar month", "pct_of_year": "% of the year's calls",
        "flat": "flat (1/12)", "year": "year", "calls_per_year": "calls (contacts) per year",
        "published_total": "published annual total",
        "partial_year": "partial year", "partial_year_from": "partial year (from {date})",
        "not_published": "not\npublished", "calls_received": "calls received",
        "calls_answered": "calls answered", "unique_calls": "unique calls",
        "other_definition": "other definition",
        "placebo_windows_n": "placebo windows (n = {n})", "placebo_windows": "placebo windows",
        "placebo_excludes": "placebo interval excludes 0",
        "real_effect": "real effect (one-sided p = {p})",
        "placebo_title": "{team}: placebo-in-time, {event}",
        "spec_estimate": "estimate with {pct}% simulation interval", "headline": "headline",
        "spec_title": "{team}: specification curve, {event}",
        "calls_per_day": "calls per day", "window_from_to": "window {first} to {last}",
        "daily_title": "{team}: calls per day and counterfactual",
    },
    "nl": {
        "watermark": "SYNTHETISCH", "figure": "figuur {id}",
        "data_kind": "Gegevenssoort: {kind}",
        "observed": "waargenomen", "counterfactual": "contrafeitelijk (verwacht)",
        "prediction_interval": "{pct}%-voorspellingsinterval",
        "event_window": "periode na de gebeurtenissen ({event})",
        "calls_per_month": "oproepen per maand",
        "simulation_interval": "{pct}%-simulatie-interval",
        "relative_effect_pct": "relatief effect (%)", "month": "maand",
        "calls_overview_title": "Oproepen per team en per maand",
        "cumulative_effect": "cumulatief effect",
        "cumulative_excess": "cumulatief aantal extra oproepen",
        "calendar_month": "kalendermaand", "pct_of_year": "% van de oproepen van het jaar",
        "flat": "gelijk verdeeld (1/12)", "year": "jaar",
        "calls_per_year": "oproepen (contacten) per jaar",
        "published_total": "gepubliceerd jaartotaal",
        "partial_year": "onvolledig jaar", "partial_year_from": "onvolledig jaar (vanaf {date})",
        "not_published": "niet\ngepubliceerd", "calls_received": "ontvangen oproepen",
        "calls_answered": "beantwoorde oproepen", "unique_calls": "unieke oproepen",
        "other_definition": "andere definitie",
        "placebo_windows_n": "placebovensters (n = {n})", "placebo_windows": "placebovensters",
        "placebo_excludes": "placebo-interval sluit 0 uit",
        "real_effect": "echt effect (eenzijdige p = {p})",
        "placebo_title": "{team}: placebo in de tijd, {event}",
        "spec_estimate": "schatting met {pct}%-simulatie-interval",
        "headline": "hoofdschatting",
        "spec_title": "{team}: specificatiecurve, {event}",
        "calls_per_day": "oproepen per dag", "window_from_to": "venster {first} tot {last}",
        "daily_title": "{team}: oproepen per dag en contrafeitelijk scenario",
    },
}
_TEAMS = {"nl": {"Flanders": "Vlaanderen"}, "en": {}}


def check_lang(lang: str) -> str:
    """``lang`` when it is a figure language, else :class:`DataValidationError`."""
    if lang not in FIGURE_LANGUAGES:
        raise DataValidationError(
            f"lang={lang!r} is not a figure language; expected one of {list(FIGURE_LANGUAGES)}."
        )
    return lang


def label(lang: str, key: str, **values: Any) -> str:
    """The figure text ``key`` in ``lang`` with ``values`` filled in."""
    return LABELS[check_lang(lang)][key].format(**values)


def team_label(team: Any, lang: str) -> str:
    """A team's display name in ``lang`` (``Flanders`` -> ``Vlaanderen``)."""
    return _TEAMS[check_lang(lang)].get(str(team), str(team))

_STYLE = {
    "figure.dpi": 110,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 9,
    "legend.fontsize": 8,
    "legend.frameon": False,
}


def mpl() -> Any:
    # no backend is forced: headless runs fall back to Agg, notebooks keep inline display
    import matplotlib.pyplot as plt

    return plt


@contextlib.contextmanager
def project_style() -> Iterator[None]:
    """Apply the project style for the duration of a block (never touches global state)."""
    plt = mpl()
    with plt.rc_context(_STYLE):
        yield


def axes(ax: Any, figsize: tuple[float, float] = (7.0, 3.2)) -> Any:
    if ax is not None:
        return ax
    plt = mpl()
    _, ax = plt.subplots(figsize=figsize)
    return ax


def stamp_figure(
    fig: Any, *, data_kind: str, figure_id: str | None = None, lang: str = "en"
) -> None:
    """Write the data-kind caption (and a watermark for synthetic data) and the figure id,
    in ``lang``."""
    captions = KIND_CAPTIONS_BY_LANG[check_lang(lang)]
    caption = captions.get(data_kind, label(lang, "data_kind", kind=data_kind))
    footer = caption + (f"   |   {label(lang, 'figure', id=figure_id)}" if figure_id else "")
    fig.text(0.01, 0.005, footer, fontsize=7, ha="left", va="bottom", color="0.25")
    if data_kind == "synthetic":
        fig.text(
            0.5,
            0.5,
            label(lang, "watermark"),
            fontsize=44,
            color="red",
            alpha=0.12,
            ha="center",
            va="center",
            rotation=20,
        )


def period_x(index: pd.PeriodIndex) -> Any:
    return index.to_timestamp()


def month_text(day: Any, lang: str, pattern: str = "MMM y") -> str:
    """A date written with a babel ``pattern`` in ``lang`` (``aug 2023`` / ``Aug 2023``)."""
    return format_date(pd.Timestamp(day).date(), pattern, locale=_LOCALES[check_lang(lang)])


def date_axis(ax: Any, *, lang: str = "en") -> None:
    """Date ticks in ``lang``: a year where the tick is 1 January, the month and year where
    it is the first of a month (``aug 2023`` / ``Aug 2023``), else the day and month
    (``15 sep``), so that ticks inside a month never repeat a label."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    loc = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(loc)

    def fmt(x: float, _pos: Any = None) -> str:
        day = pd.Timestamp(mdates.num2date(x)).tz_localize(None)
        if day.month == 1 and day.day == 1:
            return str(day.year)
        if day.day != 1:  # ticks inside a month (daily data): the day too, or labels repeat
            return format_date(day.date(), "d MMM", locale=_LOCALES[check_lang(lang)])
        return month_text(day, lang)

    ax.xaxis.set_major_formatter(FuncFormatter(fmt))


def month_ticks(ax: Any, months: pd.PeriodIndex, *, lang: str = "en") -> Any:
    """One tick per month, in the middle of the month, labelled ``aug 2023`` / ``Aug 2023``;
    the x-limits span the months from their first to their last day. Returns the tick
    positions (mid-month timestamps), where monthly values belong."""
    months = pd.PeriodIndex(months, freq="M")
    mid = months.to_timestamp() + pd.Timedelta(days=14)
    ax.set_xticks(mid, [month_text(m.to_timestamp(), lang) for m in months])
    ax.set_xlim(months[0].start_time, months[-1].end_time)
    return mid


def number_axis(ax: Any, which: str = "y", *, lang: str = "en") -> None:
    """Tick labels of one axis written with the ``lang`` decimal and group separators."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_formatter(_locale_number_formatter_class()(lang))


def _tick_digits(locs: Any) -> int:
    """As many decimals as the ticks need (0, 1 or 2), the same for every tick."""
    return next((d for d in (0, 1, 2) if all(
        abs(v * 10**d - round(v * 10**d)) < 1e-6 for v in locs)), 2)


@functools.cache
def _locale_number_formatter_class() -> type:
    """The tick formatter class, built once (matplotlib is imported lazily here)."""
    from matplotlib.ticker import Formatter

    class LocaleNumberFormatter(Formatter):
        """Numbers in the ``lang`` locale; the decimals are chosen once per set of ticks
        (``set_locs``), not recomputed from the axis for every label."""

        def __init__(self, lang: str) -> None:
            self.lang = lang
            self.digits = 2

        def set_locs(self, locs: Any) -> None:
            super().set_locs(locs)
            self.digits = _tick_digits(locs)

        def __call__(self, x: float, pos: Any = None) -> str:
            pattern = "#,##0" + ("." + "0" * self.digits if self.digits else "")
            return format_decimal(round(x, self.digits), pattern, locale=_LOCALES[self.lang])

    return LocaleNumberFormatter



