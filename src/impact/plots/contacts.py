"""Figures of contact logs: contacts per period and team.

:func:`plot_contacts` takes a :class:`impact.io.contacts.ContactLog` (read duck-typed
through its ``to_frame()`` and ``kind``), draws stacked bars of the logged contacts per
day, ISO week or month and team on ``ax`` or a new figure, and returns the Axes; it never
calls ``show()`` or ``savefig()``. ``ContactLog.plot()`` delegates here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from impact.plots._base import axes, date_axis, period_x, stamp_figure

__all__ = ["plot_contacts"]

#: Resolution name -> pandas frequency of the bars.
_FREQ = {"daily": "D", "weekly": "W-SUN", "monthly": "M"}
#: Bar width in days, by frequency (a little narrower than the period).
_WIDTH = {"D": 0.8, "W-SUN": 6.0, "M": 25.0}


def plot_contacts(log: Any, *, ax: Any = None, resolution: str = "weekly") -> Any:
    """Stacked bars of logged contacts per period, one colour per team.

    Parameters
    ----------
    log : ContactLog
        A contact log (anything whose ``to_frame()`` has ``day`` and ``team`` columns).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    resolution : {"daily", "weekly", "monthly"}, default "weekly"
        The bars' periods (weeks are ISO weeks, Monday to Sunday, drawn at their Monday).
        Periods only partly covered by the log are drawn as they are.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if resolution not in _FREQ:
        raise ValueError(f"resolution={resolution!r}; expected one of {', '.join(_FREQ)}.")
    freq = _FREQ[resolution]
    frame = log.to_frame()
    table = (frame.assign(period=frame["day"].dt.asfreq(freq))
             .groupby(["period", "team"]).size().unstack("team", fill_value=0).sort_index())
    ax = axes(ax)
    x = period_x(table.index)
    bottom = np.zeros(len(table))
    for team in table.columns:
        values = table[team].to_numpy()
        ax.bar(x, values, bottom=bottom, width=_WIDTH[freq], align="edge", label=str(team))
        bottom = bottom + values
    ax.set_ylabel(f"contacts per {resolution[:-2] if resolution != 'daily' else 'day'}")
    ax.set_title("Logged contacts")
    if len(table.columns) > 1:
        ax.legend(ncol=min(len(table.columns), 5))
    date_axis(ax)
    if ax.figure is not None and getattr(log, "kind", None):
        stamp_figure(ax.figure, data_kind=str(log.kind))
    return ax
