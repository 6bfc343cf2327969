"""Shared drawing plumbing: the project style, axes creation, data-kind captions.

Every module of :mod:`impact.plots` builds on these; nothing here computes. matplotlib is
imported inside :func:`mpl`, so importing :mod:`impact` works without it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pandas as pd

from impact._core.provenance import SYNTHETIC_LABEL

__all__ = ["KIND_CAPTIONS", "axes", "date_axis", "mpl", "period_x", "project_style", "stamp_figure"]

#: Caption stamped on every figure, by data kind.
KIND_CAPTIONS: dict[str, str] = {
    "synthetic": SYNTHETIC_LABEL,
    "real": "Data: real 1712 call counts (data/raw)",
    "published": "Data: published figures (see source ids)",
}

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


def stamp_figure(fig: Any, *, data_kind: str, figure_id: str | None = None) -> None:
    """Write the data-kind caption (and a watermark for synthetic data) and the figure id."""
    caption = KIND_CAPTIONS.get(data_kind, f"Data kind: {data_kind}")
    footer = caption + (f"   |   figure {figure_id}" if figure_id else "")
    fig.text(0.01, 0.005, footer, fontsize=7, ha="left", va="bottom", color="0.25")
    if data_kind == "synthetic":
        fig.text(
            0.5,
            0.5,
            "SYNTHETIC",
            fontsize=44,
            color="red",
            alpha=0.12,
            ha="center",
            va="center",
            rotation=20,
        )


def period_x(index: pd.PeriodIndex) -> Any:
    return index.to_timestamp()


def date_axis(ax: Any) -> None:
    import matplotlib.dates as mdates

    loc = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


