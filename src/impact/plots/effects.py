"""Figures of fitted baselines, effect estimates and the study's call-count tables.

Each function reads a result's ``to_frame()`` (or a frame), draws on ``ax`` or a new
figure, and returns the Axes; none calls ``show()`` or ``savefig()``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impact.plots._base import axes, date_axis, mpl, period_x, stamp_figure

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


def plot_effect(result: Any, *, ax: Any = None, legend: bool = True) -> Any:
    """Observed counts, the counterfactual and its prediction band; post-period shaded."""
    f = result.to_frame()
    ax = axes(ax)
    x = period_x(f.index)
    post = f["is_post"].to_numpy()
    pct = int(round(result.level * 100))
    ax.plot(x, f["observed"], color="black", lw=1.2, label="observed")
    ax.plot(x, f["expected"], color="tab:blue", lw=1.0, ls="--", label="counterfactual (expected)")
    ax.fill_between(
        x[post],
        f["expected_lower"][post].astype(float),
        f["expected_upper"][post].astype(float),
        color="tab:blue",
        alpha=0.25,
        label=f"{pct}% prediction interval",
    )
    if post.any():
        ax.axvspan(x[post][0], x[post][-1] + pd.offsets.MonthEnd(0), color="orange", alpha=0.12,
                   label=f"event window ({result.event})")
    ax.set_ylabel("calls per month")
    ax.set_title(f"{result.team} - {result.event}", fontsize=9)
    date_axis(ax)
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


def plot_forest(table: Any, *, ax: Any = None) -> Any:
    """Relative effects by team with the total, intervals as horizontal bars."""
    s = table.summary().table
    ax = axes(ax, figsize=(5.5, 0.45 * len(s) + 1.2))
    y = np.arange(len(s))[::-1]
    est = s["relative_effect"].to_numpy() * 100
    lo = s["relative_effect_lower"].to_numpy() * 100
    hi = s["relative_effect_upper"].to_numpy() * 100
    level = table.estimates[0].level
    ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="o", color="black", capsize=3,
                label=f"{int(round(level * 100))}% simulation interval")
    ax.axvline(0, color="0.5", lw=0.8)
    ax.set_yticks(y, list(s.index))
    ax.set_xlabel("relative effect (%)")
    ax.legend(loc="lower right")
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
    frame: pd.DataFrame, *, data_kind: str, figure_id: str | None = None
) -> Any:
    """Small multiples of calls per team and month (canonical long frame). Returns Figure."""
    plt = mpl()
    teams = list(dict.fromkeys(frame["team"]))
    fig, axes = plt.subplots(len(teams), 1, figsize=(7.5, 1.5 * len(teams) + 0.6), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, team in zip(axes, teams, strict=True):
        sub = frame[frame["team"] == team].sort_values("month")
        ax.plot(pd.PeriodIndex(sub["month"]).to_timestamp(), sub["calls"], color="black", lw=0.9)
        ax.set_ylabel(team, rotation=0, ha="right", va="center", fontsize=8)
    axes[-1].set_xlabel("month")
    fig.suptitle("Calls per team and month", fontsize=10)
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    stamp_figure(fig, data_kind=data_kind, figure_id=figure_id)
    return fig


def plot_cumulative(result: Any, *, ax: Any = None) -> Any:
    """Cumulative effect over the post-period with its simulation interval."""
    f = result.cumulative_frame()
    ax = axes(ax)
    x = period_x(f.index)
    pct = int(round(result.level * 100))
    ax.plot(x, f["cumulative_effect"], color="black", marker="o", ms=3, label="cumulative effect")
    ax.fill_between(x, f["cumulative_effect_lower"], f["cumulative_effect_upper"],
                    color="tab:blue", alpha=0.25, label=f"{pct}% simulation interval")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_ylabel("cumulative excess calls")
    ax.set_title(f"{result.team}: {result.event}", fontsize=9)
    ax.legend(loc="upper left")
    return ax


def plot_seasonal_profile(profile: pd.DataFrame, *, ax: Any = None) -> Any:
    """Share of yearly calls per calendar month, one line per team (table T04)."""
    ax = axes(ax)
    for team, sub in profile.groupby("team", sort=False):
        ax.plot(sub["month_of_year"], sub["share_of_year"] * 100, marker="o", ms=3, lw=1,
                label=str(team))
    ax.axhline(100 / 12, color="0.5", lw=0.8, ls=":", label="flat (1/12)")
    ax.set_xticks(range(1, 13))
    ax.set_xlabel("calendar month")
    ax.set_ylabel("% of the year's calls")
    ax.legend(loc="lower left", ncol=3)
    return ax


def plot_published_annual(annual: pd.DataFrame, *, ax: Any = None) -> Any:
    """Published Flanders annual call totals (table T02), partial years marked."""
    ax = axes(ax)
    f = annual.dropna(subset=["calls"])
    ax.bar(f["year"], f["calls"], color="0.35", label="published annual total")
    ax.set_xlabel("year")
    ax.set_ylabel("calls (contacts) per year")
    ax.legend(loc="upper left")
    return ax


def plot_effect_grid(table: Any, *, start: Any = None) -> Any:
    """Observed vs counterfactual for every estimate of an effect table, two per row.

    Parameters
    ----------
    table : EffectTable
        Anything with ``estimates`` (results :func:`plot_effect` draws) and their
        ``event_names``.
    start : date-like, optional
        First date shown on the shared x-axis (default: the whole series).

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
        plot_effect(est, ax=ax, legend=i == 0)
        if start is not None:
            ax.set_xlim(pd.Timestamp(start), None)
    fig.suptitle(estimates[0].event_names, fontsize=10)
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
