"""Figures of fitted baselines, effect estimates and the study's call-count tables.

Each function reads a result's ``to_frame()`` (or a frame), draws on ``ax`` or a new
figure, and returns the Axes; none calls ``show()`` or ``savefig()``. The figures of the
study reports take ``lang="en"|"nl"`` for their titles, axes, legends, dates and numbers
(words from :data:`impact.plots._base.LABELS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from impact.plots._base import (
    axes,
    check_lang,
    date_axis,
    label,
    month_text,
    month_ticks,
    mpl,
    number_axis,
    period_x,
    stamp_figure,
    team_label,
)

__all__ = [
    "plot_baseline_fit",
    "plot_calls_overview",
    "plot_cumulative",
    "plot_effect",
    "plot_effect_grid",
    "plot_forecast",
    "plot_forest",
    "plot_identifiability",
    "plot_its",
    "plot_published_annual",
    "plot_seasonal_profile",
]


def plot_effect(result: Any, *, ax: Any = None, legend: bool = True, lang: str = "en") -> Any:
    """Observed counts, the counterfactual and its prediction band; post-period shaded."""
    check_lang(lang)
    f = result.to_frame()
    ax = axes(ax)
    x = period_x(f.index)
    post = f["is_post"].to_numpy()
    pct = int(round(result.level * 100))
    ax.plot(x, f["observed"], color="black", lw=1.2, label=label(lang, "observed"))
    ax.plot(x, f["expected"], color="tab:blue", lw=1.0, ls="--",
            label=label(lang, "counterfactual"))
    ax.fill_between(
        x[post],
        f["expected_lower"][post].astype(float),
        f["expected_upper"][post].astype(float),
        color="tab:blue",
        alpha=0.25,
        label=label(lang, "prediction_interval", pct=pct),
    )
    if post.any():
        ax.axvspan(x[post][0], x[post][-1] + pd.offsets.MonthEnd(0), color="orange", alpha=0.12,
                   label=label(lang, "event_window", event=result.event))
    ax.set_ylabel(label(lang, "calls_per_month"))
    ax.set_title(f"{team_label(result.team, lang)} - {result.event}", fontsize=9)
    date_axis(ax, lang=lang)
    number_axis(ax, "y", lang=lang)
    if legend:
        ax.legend(loc="upper left")
    return ax


def plot_baseline_fit(fit: Any, *, ax: Any = None) -> Any:
    """Observed history and the fitted baseline; excluded periods marked."""
    f = fit.to_frame()
    ax = axes(ax)
    x = period_x(f.index)
    ax.plot(x, f["observed"], color="black", lw=1.0, label="observed")
    ax.plot(x, f["expected"], color="tab:blue", lw=1.0, label=f"fitted ({fit.spec.label})")
    ex = f["excluded"].to_numpy(dtype=bool)
    if ex.any():
        ax.scatter(x[ex], f["observed"][ex], color="orange", s=12, zorder=3,
                   label="excluded from fit")
    ax.set_ylabel("calls per month")
    ax.legend(loc="upper left")
    return ax


def plot_forest(table: Any, *, ax: Any = None, lang: str = "en") -> Any:
    """Relative effects by team with the total, intervals as horizontal bars.

    The legend sits below the axes, outside the data area, so its marker cannot be read
    as another estimate.
    """
    check_lang(lang)
    s = table.summary().table
    ax = axes(ax, figsize=(5.5, 0.45 * len(s) + 1.7))
    y = np.arange(len(s))[::-1]
    est = s["relative_effect"].to_numpy() * 100
    lo = s["relative_effect_lower"].to_numpy() * 100
    hi = s["relative_effect_upper"].to_numpy() * 100
    level = table.estimates[0].level
    ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="o", color="black", capsize=3,
                label=label(lang, "simulation_interval", pct=int(round(level * 100))))
    ax.axvline(0, color="0.5", lw=0.8)
    ax.set_yticks(y, [team_label(t, lang) for t in s.index])
    ax.set_xlabel(label(lang, "relative_effect_pct"))
    number_axis(ax, "x", lang=lang)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=1, frameon=False)
    return ax


def plot_its(result: Any, *, ax: Any = None) -> Any:
    """Observed counts and the ITS model's fitted values."""
    ax = axes(ax)
    x = period_x(result.observed.index)
    ax.plot(x, result.observed, color="black", lw=1.0, label="observed")
    ax.plot(x, result.fitted, color="tab:red", lw=1.0, label=f"fitted ({result.spec.label})")
    ax.set_ylabel("counts per period")
    ax.legend(loc="upper left")
    return ax


def plot_calls_overview(
    frame: pd.DataFrame, *, data_kind: str, figure_id: str | None = None, lang: str = "en"
) -> Any:
    """Small multiples of calls per team and month (canonical long frame). Returns Figure."""
    check_lang(lang)
    plt = mpl()
    teams = list(dict.fromkeys(frame["team"]))
    fig, axes = plt.subplots(len(teams), 1, figsize=(7.5, 1.5 * len(teams) + 0.6), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, team in zip(axes, teams, strict=True):
        sub = frame[frame["team"] == team].sort_values("month")
        ax.plot(pd.PeriodIndex(sub["month"]).to_timestamp(), sub["calls"], color="black", lw=0.9)
        ax.set_ylabel(team_label(team, lang), rotation=0, ha="right", va="center", fontsize=8)
        number_axis(ax, "y", lang=lang)
    date_axis(axes[-1], lang=lang)
    axes[-1].set_xlabel(label(lang, "month"))
    fig.suptitle(label(lang, "calls_overview_title"), fontsize=10)
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    stamp_figure(fig, data_kind=data_kind, figure_id=figure_id, lang=lang)
    return fig


def plot_cumulative(
    result: Any,
    *,
    ax: Any = None,
    events: Sequence[tuple[Any, str]] = (),
    lang: str = "en",
) -> Any:
    """Cumulative effect over the post-period with its simulation interval.

    Each month's value is drawn in the middle of its month, with one tick per month; the
    events (``(date, label)`` pairs, e.g. the headline events) are marked on their own
    dates, so a month's point is never read as the date of an event.
    """
    check_lang(lang)
    f = result.cumulative_frame()
    ax = axes(ax)
    x = month_ticks(ax, pd.PeriodIndex(f.index, freq="M"), lang=lang)
    pct = int(round(result.level * 100))
    ax.plot(x, f["cumulative_effect"], color="black", marker="o", ms=3,
            label=label(lang, "cumulative_effect"))
    ax.fill_between(x, f["cumulative_effect_lower"], f["cumulative_effect_upper"],
                    color="tab:blue", alpha=0.25,
                    label=label(lang, "simulation_interval", pct=pct))
    ax.axhline(0, color="0.5", lw=0.8)
    lo, hi = ax.get_xlim()
    for i, (day, text) in enumerate(events):
        when = pd.Timestamp(day)
        ax.axvline(when, color="tab:red", lw=0.8, ls=":")
        ax.annotate(text, (when, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(2, -10 - 10 * (i % 3)), textcoords="offset points",
                    fontsize=7, color="tab:red", ha="left", va="top")
    ax.set_xlim(lo, hi)
    ax.set_ylabel(label(lang, "cumulative_excess"))
    number_axis(ax, "y", lang=lang)
    ax.set_title(f"{team_label(result.team, lang)}: {result.event}", fontsize=9)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    return ax


def plot_seasonal_profile(profile: pd.DataFrame, *, ax: Any = None, lang: str = "en") -> Any:
    """Share of yearly calls per calendar month, one line per team (table T04)."""
    check_lang(lang)
    ax = axes(ax)
    for team, sub in profile.groupby("team", sort=False):
        ax.plot(sub["month_of_year"], sub["share_of_year"] * 100, marker="o", ms=3, lw=1,
                label=team_label(team, lang))
    ax.axhline(100 / 12, color="0.5", lw=0.8, ls=":", label=label(lang, "flat"))
    months = pd.period_range("2001-01", "2001-12", freq="M")
    ax.set_xticks(range(1, 13), [month_text(m.to_timestamp(), lang, "MMM") for m in months])
    ax.set_xlabel(label(lang, "calendar_month"))
    ax.set_ylabel(label(lang, "pct_of_year"))
    number_axis(ax, "y", lang=lang)
    ax.legend(loc="lower left", ncol=3)
    return ax



_DEFINITION_MARKERS = {"calls_received": "o", "calls_answered": "s", "unique_calls": "^"}


def plot_published_annual(
    annual: pd.DataFrame, *, ax: Any = None, lang: str = "en", service_start: Any = None
) -> Any:
    """Published Flanders annual call totals (table T02).

    A partial year (``is_partial_year``) is drawn hatched and labelled (with
    ``service_start``, the day the service started, when given); each bar carries a marker
    for its definition (calls received, answered, unique calls); a year without a
    published total is marked *not published* on the axis.
    """
    check_lang(lang)
    ax = axes(ax)
    f = annual.dropna(subset=["calls"])
    partial = f["is_partial_year"].astype(bool).to_numpy() if "is_partial_year" in f else (
        np.zeros(len(f), dtype=bool))
    ax.bar(f["year"][~partial], f["calls"][~partial], color="0.7",
           label=label(lang, "published_total"))
    if partial.any():
        text = (label(lang, "partial_year_from",
                      date=month_text(service_start, lang, "d MMMM y"))
                if service_start is not None else label(lang, "partial_year"))
        ax.bar(f["year"][partial], f["calls"][partial], color="white", edgecolor="0.35",
               hatch="///", label=text)
    definitions = f["definition"].astype(str) if "definition" in f else pd.Series(
        "", index=f.index)
    for definition in dict.fromkeys(definitions):
        sub = f[definitions == definition]
        key = definition if definition in _DEFINITION_MARKERS else "other_definition"
        ax.scatter(sub["year"], sub["calls"], marker=_DEFINITION_MARKERS.get(definition, "D"),
                   color="black", s=22, zorder=3, label=label(lang, key))
    missing = annual.loc[annual["calls"].isna(), "year"]
    for year in missing:
        ax.annotate(label(lang, "not_published"), (year, 0), xytext=(0, 4),
                    textcoords="offset points", ha="center", va="bottom", fontsize=7,
                    color="0.3")
    years = annual["year"].astype(int)
    ax.set_xticks(list(years), [str(y) for y in years], fontsize=7)
    ax.set_xlabel(label(lang, "year"))
    ax.set_ylabel(label(lang, "calls_per_year"))
    number_axis(ax, "y", lang=lang)
    ax.legend(loc="upper left", fontsize=7)
    return ax



def plot_effect_grid(
    table: Any, *, start: Any = None, lang: str = "en", title: str | None = None
) -> Any:
    """Observed vs counterfactual for every estimate of an effect table, two per row.

    Parameters
    ----------
    table : EffectTable
        Anything with ``estimates`` (results :func:`plot_effect` draws) and their
        ``event_names``.
    start : date-like, optional
        First date shown on the shared x-axis (default: the whole series).
    lang : {"en", "nl"}, default "en"
        Language of the labels, legend and dates.
    title : str, optional
        The figure title (default: the events' names as the estimates carry them).

    Returns
    -------
    matplotlib.figure.Figure
        One panel per estimate, one legend (in the first panel), the event names as title.
    """
    plt = mpl()
    estimates = list(table.estimates)
    n = len(estimates)
    rows = (n + 1) // 2
    fig, grid = plt.subplots(rows, 2, figsize=(10, 2.4 * rows), sharex=True)
    grid = np.atleast_1d(grid).ravel()
    for i, (ax, est) in enumerate(zip(grid, estimates, strict=False)):
        plot_effect(est, ax=ax, legend=i == 0, lang=lang)
        if start is not None:
            ax.set_xlim(pd.Timestamp(start), None)
    fig.suptitle(estimates[0].event_names if title is None else title, fontsize=10)
    for ax in grid[n:]:
        ax.set_visible(False)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def plot_forecast(forecast: Any, *, ax: Any = None) -> Any:
    """Expected counts and the prediction band of a :class:`~impact.baselines.Forecast`."""
    ax = axes(ax)
    frame = forecast.to_frame()
    x = period_x(frame.index)
    ax.fill_between(x, frame["expected_lower"], frame["expected_upper"], color="C0", alpha=0.2,
                    label=f"{forecast.level:.0%} {forecast.interval_kind}")
    ax.plot(x, frame["expected"], color="C0", label="expected (model mean)")
    ax.set_ylabel("calls")
    ax.set_title("Forecast")
    ax.legend(loc="upper left")
    date_axis(ax)
    return ax


def plot_identifiability(report: Any, *, ax: Any = None) -> Any:
    """Each event's largest absolute correlation with another event, and the threshold."""
    ax = axes(ax)
    frame = report.to_frame()
    y = np.arange(len(frame))
    colors = ["C3" if s != "ok" else "C0" for s in frame["status"]]
    ax.barh(y, frame["max_abs_correlation"].fillna(0.0), color=colors)
    ax.axvline(report.threshold, color="0.3", ls="--", lw=1,
               label=f"threshold {report.threshold:g}")
    ax.set_yticks(y, [f"{e} ({s})" for e, s in zip(frame["event"], frame["status"], strict=True)])
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("largest |correlation| with another event's regressor")
    ax.set_title(f"Identifiability at {report.resolution or 'data'} resolution")
    ax.legend(loc="lower right")
    return ax
