"""Figures at daily (or weekly) resolution: daily calls with the events, separate effects,
and the year-on-year window comparison.

:func:`plot_daily_effect` reads a daily effect result's ``to_frame()`` (or that frame
itself: one row per day, ``observed``, ``expected``, ``expected_lower``,
``expected_upper``, the day as a ``Period[D]`` index or a ``date`` column) and marks the
event dates; :func:`plot_separate_effects` stacks each event's expected excess per period
(``result.period_effects``); :func:`plot_window_comparison` shows a window's ratios
(year-on-year, counterfactual) with their intervals. Each draws on ``ax`` or a new
figure and returns the Axes; nothing here computes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from impact.plots._base import axes, date_axis, label, period_x, team_label

__all__ = [
    "daily_frame",
    "plot_daily_effect",
    "plot_separate_effects",
    "plot_window_comparison",
]

_DAY_COLUMNS = ("date", "day", "period")


def daily_frame(result: Any) -> pd.DataFrame:
    """The plotted frame of a daily result: a ``Period[D]`` index named ``date``.

    Parameters
    ----------
    result : object with ``to_frame()``, or pandas.DataFrame
        One row per day; the day is the index (``PeriodIndex`` or ``DatetimeIndex``) or a
        column ``date``, ``day`` or ``period``.

    Returns
    -------
    pandas.DataFrame
        A copy indexed by day (``Period[D]``, named ``date``), sorted.
    """
    f = result.to_frame() if hasattr(result, "to_frame") else result
    f = f.copy()
    if not isinstance(f.index, pd.PeriodIndex | pd.DatetimeIndex):
        col = next((c for c in _DAY_COLUMNS if c in f.columns), None)
        if col is None:
            raise ValueError(
                "plot_daily_effect needs one row per day: a PeriodIndex/DatetimeIndex or a "
                f"column named one of {list(_DAY_COLUMNS)}; got columns {list(f.columns)}."
            )
        f = f.set_index(col)
    idx = f.index
    if isinstance(idx, pd.DatetimeIndex):
        idx = idx.to_period("D")
    if idx.freqstr != "D":
        raise ValueError(f"plot_daily_effect needs daily periods, got freq {idx.freqstr!r}.")
    f.index = idx.rename("date")
    return f.sort_index()


def plot_daily_effect(
    result: Any,
    *,
    events: Mapping[str, Any] | None = None,
    window: tuple[Any, Any] | None = None,
    start: Any = None,
    end: Any = None,
    level: float | None = None,
    title: str | None = None,
    ax: Any = None,
    lang: str = "en",
) -> Any:
    """Daily observed calls, the counterfactual and its band, with the event dates marked.

    Parameters
    ----------
    result : object with ``to_frame()``, or pandas.DataFrame
        A daily effect estimate (or its frame): ``observed``, ``expected`` and, where
        present, ``expected_lower`` / ``expected_upper`` (the band is drawn where both
        are finite).
    events : mapping, optional
        Event label (``"E048 Pichal case"``) -> its date; each gets a dotted vertical
        line labelled at the top.
    window : (first day, last day), optional
        A window to shade (inclusive), e.g. the published comparison's three weeks.
    start, end : day-like, optional
        The days shown (inclusive); default the whole frame.
    level : float, optional
        Level of the band, for its legend (default ``result.level`` when present).
    title : str, optional
        Default: "<team>: calls per day and counterfactual" in ``lang`` when the result
        names its team, else none.
    ax : matplotlib Axes, optional
    lang : {"en", "nl"}, default "en"
        Language of the legend, axis label and dates.

    Returns
    -------
    matplotlib.axes.Axes
    """
    f = daily_frame(result)
    if start is not None:
        f = f[f.index >= pd.Period(start, freq="D")]
    if end is not None:
        f = f[f.index <= pd.Period(end, freq="D")]
    ax = axes(ax, figsize=(8.0, 3.4))
    x = f.index.to_timestamp()
    ax.plot(x, f["observed"].astype(float), color="black", lw=0.8, marker="o", ms=2.0,
            label=label(lang, "observed"))
    if "expected" in f.columns:
        ax.plot(x, f["expected"].astype(float), color="tab:blue", lw=1.0, ls="--",
                label=label(lang, "counterfactual"))
    if {"expected_lower", "expected_upper"} <= set(f.columns):
        lo = f["expected_lower"].astype(float).to_numpy()
        hi = f["expected_upper"].astype(float).to_numpy()
        ok = np.isfinite(lo) & np.isfinite(hi)
        if ok.any():
            lvl = level if level is not None else getattr(result, "level", None)
            name = (label(lang, "prediction_interval", pct=int(round(lvl * 100))) if lvl
                    else "interval")
            ax.fill_between(x, np.where(ok, lo, np.nan), np.where(ok, hi, np.nan),
                            color="tab:blue", alpha=0.25, label=name)
    if window is not None:
        w0, w1 = (pd.Period(d, freq="D").to_timestamp() for d in window)
        ax.axvspan(w0, w1 + pd.Timedelta(days=1), color="orange", alpha=0.12,
                   label=label(lang, "window_from_to", first=window[0], last=window[1]))
    for mark, day in (events or {}).items():
        t = pd.Period(day, freq="D").to_timestamp()
        if len(x) and not x[0] <= t <= x[-1]:
            continue
        ax.axvline(t, color="tab:red", lw=0.8, ls=":")
        ax.annotate(str(mark), xy=(t, 1.0), xycoords=("data", "axes fraction"),
                    rotation=90, fontsize=6, va="top", ha="right", color="tab:red")
    ax.set_ylabel(label(lang, "calls_per_day"))
    if title is None and getattr(result, "team", None):
        title = label(lang, "daily_title", team=team_label(result.team, lang))
    if title:
        ax.set_title(title, fontsize=9)
    date_axis(ax, lang=lang)
    ax.legend(loc="upper left", fontsize=7)
    return ax


def plot_separate_effects(result: Any, *, ax: Any = None) -> Any:
    """Each component's expected excess per period, stacked, with the event dates marked."""
    f = result.period_effects
    ax = axes(ax)
    x = period_x(f.index)
    base = np.zeros(len(f))
    for comp in f.columns:
        vals = f[comp].to_numpy(dtype=float)
        ax.fill_between(x, base, base + vals, step="mid", alpha=0.6, label=comp)
        base = base + vals
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_ylabel("expected excess calls per period")
    ax.set_title(f"{result.team} - separate effects", fontsize=9)
    date_axis(ax)
    ax.legend(loc="upper right", fontsize=7)
    return ax


def plot_window_comparison(result: Any, *, ax: Any = None) -> Any:
    """The window's ratios (year-on-year, counterfactual) with their intervals."""
    f = result.to_frame()
    ax = axes(ax, figsize=(5.5, 0.5 * len(f) + 1.2))
    y = np.arange(len(f))[::-1]
    est = f["ratio"].to_numpy(dtype=float)
    lo = f["ratio_lower"].to_numpy(dtype=float)
    hi = f["ratio_upper"].to_numpy(dtype=float)
    ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="o", color="black", capsize=3,
                label=f"{int(round(result.level * 100))}% interval")
    ax.axvline(1.0, color="0.5", lw=0.8)
    ax.set_yticks(y, list(f.index))
    ax.set_xlabel(f"calls {result.start.date()} to {result.end.date()}, ratio")
    ax.legend(loc="lower right", fontsize=7)
    return ax
