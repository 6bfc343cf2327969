"""Figures for estimates at daily or weekly resolution: separate event effects and the
year-on-year window comparison.

Both read their result duck-typed (``to_frame()`` and attributes); nothing here computes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from impact.plots._base import axes, date_axis, period_x

__all__ = ["plot_separate_effects", "plot_window_comparison"]


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
