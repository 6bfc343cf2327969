"""Figures of reported problems: category shares, mix changes, trends, published figures.

Each function takes a result of :mod:`impact.problems` (read duck-typed through its
``to_frame()`` and attributes such as ``level``, ``base`` and ``data_kind``), draws on
``ax`` or a new figure, and returns the Axes; none calls ``show()`` or ``savefig()``.
The results' ``plot()`` methods delegate here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from impact.plots._base import axes

__all__ = [
    "plot_category_shares",
    "plot_category_trends",
    "plot_mix_change",
    "plot_published_comparison",
    "plot_published_series",
    "plot_share_shift",
]

#: Size of a new figure for the reported-problems plots (inches).
_FIGSIZE = (7.0, 4.0)
#: Markers of the bases in :func:`plot_published_series`, in the order of the bases.
_BASE_MARKERS = "osD^vP*"


def _team(frame: pd.DataFrame, team: str | None) -> str:
    return team if team is not None else str(frame["team"].iloc[0])


def plot_category_shares(result: Any, *, ax: Any = None, team: str | None = None) -> Any:
    """Shares over periods for one team (default: the first), with their interval bands.

    Parameters
    ----------
    result : CategoryShares
        From :func:`impact.problems.shares.category_shares`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when omitted.
    team : str, optional
        Team to show (default: the first in the frame).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax, figsize=_FIGSIZE)
    f = result.to_frame()
    team = _team(f, team)
    sub = f[f["team"] == team]
    for cat, grp in sub.groupby("category", sort=False):
        x = grp["period"].dt.to_timestamp()
        (line,) = ax.plot(x, grp["share"], marker="o", label=str(cat))
        ax.fill_between(x, grp["share_lower"], grp["share_upper"], alpha=0.2,
                        color=line.get_color())
    ax.set_ylabel(f"share of {result.base}")
    ax.set_ylim(0, 1)
    ax.set_title(f"{team}: {result.level:.0%} {result.interval} intervals ({result.data_kind})")
    ax.legend(fontsize="small")
    return ax


def _plot_differences(frame: pd.DataFrame, *, ax: Any, team: str | None, level: float,
                      title: str) -> Any:
    ax = axes(ax, figsize=_FIGSIZE)
    team = _team(frame, team)
    sub = frame[frame["team"] == team].reset_index(drop=True)
    y = np.arange(len(sub))
    err = np.vstack([
        sub["share_difference"] - sub["share_difference_lower"],
        sub["share_difference_upper"] - sub["share_difference"],
    ])
    ax.errorbar(sub["share_difference"], y, xerr=err, fmt="o", capsize=3,
                label=f"{level:.0%} Newcombe interval")
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(y, sub["category"])
    ax.set_xlabel("difference in share (proportion)")
    ax.set_title(f"{team}: {title}")
    ax.legend(fontsize="small")
    return ax


def plot_mix_change(result: Any, *, ax: Any = None, team: str | None = None) -> Any:
    """Share difference per category (second - first period) for one team, with intervals.

    Parameters
    ----------
    result : MixChange
        From :func:`impact.problems.shares.compare_category_mix`.
    ax : matplotlib.axes.Axes, optional
    team : str, optional
        Team to show (default: the first in the frame).

    Returns
    -------
    matplotlib.axes.Axes
    """
    return _plot_differences(result.to_frame(), ax=ax, team=team, level=result.level,
                             title=f"mix change ({result.data_kind})")


def plot_share_shift(result: Any, *, ax: Any = None, team: str | None = None) -> Any:
    """Share difference per category (event window - baseline) for one team.

    Parameters
    ----------
    result : ShareShift
        From :func:`impact.problems.shares.estimate_share_shift`.
    ax : matplotlib.axes.Axes, optional
    team : str, optional
        Team to show (default: the first in the frame).

    Returns
    -------
    matplotlib.axes.Axes
    """
    return _plot_differences(result.to_frame(), ax=ax, team=team, level=result.level,
                             title=f"share shift in event window ({result.data_kind})")


def plot_category_trends(result: Any, *, ax: Any = None, team: str | None = None) -> Any:
    """Forest plot of the yearly rate of change per category for one team.

    Parameters
    ----------
    result : CategoryTrends
        From :func:`impact.problems.trends.fit_category_trends`.
    ax : matplotlib.axes.Axes, optional
    team : str, optional
        Team to show (default: the first in the frame).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax, figsize=_FIGSIZE)
    f = result.to_frame()
    team = _team(f, team)
    sub = f[f["team"] == team].reset_index(drop=True)
    y = np.arange(len(sub))
    err = np.vstack([
        sub["rate_of_change"] - sub["rate_of_change_lower"],
        sub["rate_of_change_upper"] - sub["rate_of_change"],
    ])
    ax.errorbar(sub["rate_of_change"], y, xerr=err, fmt="o", capsize=3,
                label=f"{result.level:.0%} confidence interval")
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(y, sub["category"])
    ax.set_xlabel("rate of change per year")
    ax.set_title(f"{team}: {result.family} trend ({result.data_kind})")
    ax.legend(fontsize="small")
    return ax


def plot_published_series(
    result: Any,
    *,
    ax: Any = None,
    measure: Literal["count", "share"] = "share",
    base_order: Sequence[str] | None = None,
) -> Any:
    """Published values by year, one marker per base, one line per category and base.

    Parameters
    ----------
    result : PublishedProblemSeries
        From :func:`impact.problems.published.published_problem_series`.
    ax : matplotlib.axes.Axes, optional
    measure : {"count", "share"}, default "share"
    base_order : sequence of str, optional
        The bases in the order that assigns the markers (``o``, ``s``, ``D``, ...);
        default: sorted bases of the frame. The result passes the order of
        :data:`impact.io.taxonomy.BASES`, so a base keeps its marker across figures.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax, figsize=_FIGSIZE)
    frame = result.to_frame()
    f = frame[frame["measure"] == measure]
    order = list(base_order) if base_order is not None else sorted(set(frame["base"]))
    markers = {base: _BASE_MARKERS[i % len(_BASE_MARKERS)] for i, base in enumerate(order)}
    for (cat, base), grp in f.groupby(["category", "base"], sort=True):
        grp = grp.sort_values("year")
        err = np.vstack([grp["value"] - grp["value_lower"],
                         grp["value_upper"] - grp["value"]])
        ax.errorbar(grp["year"], grp["value"], yerr=err, marker=markers.get(str(base), "o"),
                    capsize=3, label=f"{cat} ({base})")
    ax.set_xlabel("year")
    ax.set_ylabel("share" if measure == "share" else "count")
    ax.set_title("published 1712 figures (bases differ: do not join across markers)")
    ax.legend(fontsize="small")
    return ax


def plot_published_comparison(result: Any, *, ax: Any = None) -> Any:
    """The two published values of a comparison; "BASES DIFFER" when they do.

    Parameters
    ----------
    result : PublishedComparison
        From :func:`impact.problems.published.compare_published`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax, figsize=_FIGSIZE)
    r = result.to_frame().iloc[0]
    x = [str(r["year_first"]), str(r["year_second"])]
    y = [r["value_first"], r["value_second"]]
    ax.bar(x, y, color=["#999999", "#4c72b0"])
    ax.set_ylabel(f"{r['measure']} ({r['base_first']} / {r['base_second']})")
    ax.set_title(f"{r['category']}: {r['change_kind']} = {r['change']:.3g} (published)")
    if r["mixes_bases"]:
        ax.text(0.5, 0.95, "BASES DIFFER", transform=ax.transAxes, ha="center",
                va="top", color="red")
    return ax
