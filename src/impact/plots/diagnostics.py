"""Figures of the checks on an effect estimate (the results of :mod:`impact.diagnostics`).

Each function takes a result (read duck-typed through its ``to_frame()`` and attributes)
and ``ax=None``, creates a figure only when no axes are given, and returns the Axes (the
Figure for the bundle's panels). The result classes' ``plot()`` methods delegate here.

- :func:`plot_placebo_distribution`, :func:`plot_specification_curve`: placebo-in-time
  and sensitivity;
- :func:`plot_backtest`, :func:`plot_model_comparison`: rolling-origin backtests;
- :func:`plot_residual_acf`, :func:`plot_capacity`: residual and capacity checks;
- :func:`plot_effect_check`, :func:`plot_effect_check_table`: the bundle (figure F07).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impact._core.exceptions import DataValidationError
from impact.plots._base import axes as _axes
from impact.plots._base import check_lang, label, number_axis, stamp_figure, team_label
from impact.plots._base import mpl as _mpl

__all__ = [
    "plot_backtest",
    "plot_capacity",
    "plot_effect_check",
    "plot_effect_check_table",
    "plot_model_comparison",
    "plot_placebo_distribution",
    "plot_residual_acf",
    "plot_specification_curve",
]


def plot_placebo_distribution(result: Any, *, ax: Any = None, lang: str = "en") -> Any:
    """Histogram and strip of placebo relative effects with the real effect marked.

    Reads :meth:`PlaceboResult.to_frame`; returns the Axes. ``lang``: ``en`` or ``nl``.
    """
    check_lang(lang)
    f = result.to_frame()
    ax = _axes(ax)
    plc = f[~f["is_real"] & ~f["is_failed"]]
    rel = plc["relative_effect"].to_numpy() * 100
    if len(rel):
        ax.hist(rel, bins=min(20, max(5, len(rel) // 2)), color="0.75", edgecolor="white",
                label=label(lang, "placebo_windows_n", n=len(rel)))
        hits = plc["is_excluding_zero"].to_numpy()
        y0 = np.zeros(len(rel)) - 0.15
        ax.scatter(rel[~hits], y0[~hits], marker="|", color="0.3", s=60)
        if hits.any():
            ax.scatter(rel[hits], y0[hits], marker="|", color="tab:red", s=60,
                       label=label(lang, "placebo_excludes"))
    real = f[f["is_real"]].iloc[0]
    p = f"{result.p_value_one_sided:.3f}"
    ax.axvline(real["relative_effect"] * 100, color="tab:blue", lw=2,
               label=label(lang, "real_effect", p=p.replace(".", ",") if lang == "nl" else p))
    ax.axvline(0, color="0.5", lw=0.8)
    ax.set_xlabel(label(lang, "relative_effect_pct"))
    ax.set_ylabel(label(lang, "placebo_windows"))
    number_axis(ax, "x", lang=lang)
    ax.set_title(label(lang, "placebo_title", team=team_label(result.team, lang),
                       event=result.event), fontsize=9)
    ax.legend(loc="upper left")
    return ax


def plot_specification_curve(result: Any, *, ax: Any = None, lang: str = "en") -> Any:
    """Relative effects of every specification, sorted, with their intervals.

    Reads :meth:`SensitivityResult.to_frame`; failed specifications are omitted (they are
    listed in the summary). Returns the Axes.
    """
    check_lang(lang)
    f = result.to_frame()
    f = f[~f["is_failed"]].sort_values("relative_effect").reset_index(drop=True)
    ax = _axes(ax)
    x = np.arange(len(f))
    est = f["relative_effect"].to_numpy() * 100
    lo = f["relative_effect_lower"].to_numpy() * 100
    hi = f["relative_effect_upper"].to_numpy() * 100
    pct = int(round(result.level * 100))
    ax.errorbar(x, est, yerr=[est - lo, hi - est], fmt="o", color="black", ms=4, capsize=2,
                label=label(lang, "spec_estimate", pct=pct))
    head = f["is_headline"].to_numpy()
    if head.any():
        ax.plot(x[head], est[head], "o", color="tab:blue", ms=8, label=label(lang, "headline"))
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xticks(x, [_spec_label(str(v), lang) for v in f["spec_label"]], rotation=70,
                  ha="right", fontsize=6)
    ax.set_ylabel(label(lang, "relative_effect_pct"))
    number_axis(ax, "y", lang=lang)
    ax.set_title(label(lang, "spec_title", team=team_label(result.team, lang),
                       event=result.event), fontsize=9)
    ax.legend(loc="best")
    return ax


_SPEC_WORDS_NL = (("family ", "familie "), ("pre_start ", "voorperiode vanaf "),
                  (" years)", " jaar)"), ("(all data)", "(alle gegevens)"),
                  ("breaks off", "zonder breuken"), ("headline", "hoofdschatting"))


def _spec_label(text: str, lang: str) -> str:
    """A sensitivity specification's label in ``lang`` (the words around the values)."""
    if lang != "nl":
        return text
    for en, nl in _SPEC_WORDS_NL:
        text = text.replace(en, nl)
    return text


def plot_backtest(result: Any, *, ax: Any = None) -> Any:
    """Coverage and MASE by horizon, the acceptable coverage band shaded."""
    m = result.metrics().drop(index="all")
    ax = _axes(ax)
    h = m.index.astype(int)
    ax.axhspan(result.level - 0.10, min(1.0, result.level + 0.05), color="tab:green",
               alpha=0.12, label="acceptable coverage")
    ax.plot(h, m["coverage"], "o-", color="black", label="coverage")
    ax.axhline(result.level, color="0.5", lw=0.8, ls="--")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("horizon (periods ahead)")
    ax.set_ylabel(f"coverage of {int(round(result.level * 100))}% intervals")
    ax2 = ax.twinx()
    ax2.bar(h, m["mase"], color="tab:blue", alpha=0.3, label="MASE")
    ax2.set_ylabel("MASE")
    ax.set_title(f"{result.team}: backtest of {result.label}", fontsize=9)
    ax.legend(loc="lower left")
    return ax


def plot_model_comparison(result: Any, *, ax: Any = None) -> Any:
    """MASE against coverage per specification; the acceptable band shaded."""
    t = result.table
    ax = _axes(ax)
    ax.axvspan(result.level - 0.10, min(1.0, result.level + 0.05), color="tab:green",
               alpha=0.12, label="acceptable coverage")
    ax.scatter(t["coverage"], t["mase"], color="black", s=18)
    for name, r in t.iterrows():
        ax.annotate(str(name), (r["coverage"], r["mase"]), fontsize=7,
                    xytext=(3, 3), textcoords="offset points",
                    color="tab:blue" if r["is_chosen"] else "black")
    ax.set_xlabel(f"coverage of {int(round(result.level * 100))}% prediction intervals")
    ax.set_ylabel("MASE")
    ax.set_title(f"{result.team}: baseline comparison (chosen {result.chosen_label})",
                 fontsize=9)
    ax.legend(loc="upper left")
    return ax


def plot_residual_acf(result: Any, *, ax: Any = None) -> Any:
    """Autocorrelation of the Pearson residuals with the no-autocorrelation band."""
    f = result.frame[result.frame["check"] == "acf"]
    ax = _axes(ax)
    ax.bar(f["lag"].astype(int), f["estimate"], color="0.4", width=0.6)
    ax.fill_between(f["lag"].astype(int), f["null_lower"], f["null_upper"],
                    color="tab:blue", alpha=0.15, label="approx. 95% band, no autocorr.")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel("lag")
    ax.set_ylabel("ACF of Pearson residuals")
    ax.set_title(f"{result.team}: residuals of {result.spec_label}"
                 + (" (checks flagged)" if result.warnings else ""), fontsize=9)
    ax.legend(loc="upper right")
    return ax


def plot_capacity(result: Any, *, ax: Any = None) -> Any:
    """Calls per period with the flagged months shaded."""
    f = result.frame
    ax = _axes(ax)
    x = pd.PeriodIndex(f["month"]).to_timestamp()  # month holds Periods
    ax.plot(x, f["calls"], color="black", lw=1.0, label="calls")
    flagged = f["is_flagged"].to_numpy()
    for i in np.flatnonzero(flagged):
        ax.axvspan(x[i], x[i] + pd.offsets.MonthEnd(0), color="tab:red", alpha=0.15,
                   lw=0, label="capacity-limited" if i == np.flatnonzero(flagged)[0] else None)
    ax.set_ylabel("calls per month")
    ax.set_title(f"{result.team}: capacity check", fontsize=9)
    ax.legend(loc="upper left")
    return ax


def plot_effect_check(
    result: Any, *, ax: Any = None, figure_id: str | None = None, lang: str = "en"
) -> Any:
    """Figure: placebo distribution and specification curve side by side.

    ``ax`` may be a pair of Axes to draw into (then nothing is stamped); otherwise the
    new figure is stamped with the data kind and ``figure_id``. Returns the Figure.
    """
    if ax is None:
        fig, axes = _mpl().subplots(1, 2, figsize=(11, 3.8))
    else:
        axes = list(ax)
        fig = axes[0].figure
    plot_placebo_distribution(result.placebo, ax=axes[0], lang=lang)
    plot_specification_curve(result.sensitivity, ax=axes[1], lang=lang)
    if ax is None:
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        stamp_figure(fig, data_kind=result.data_kind, figure_id=figure_id, lang=lang)
    return fig


def plot_effect_check_table(
    result: Any, *, ax: Any = None, figure_id: str | None = None, lang: str = "en"
) -> Any:
    """Figure: one row per series, placebo distribution and specification curve.

    A grid always makes its own figure (``ax`` must be None); it is stamped with the
    data kind and ``figure_id``.
    """
    if ax is not None:
        raise DataValidationError(
            "EffectCheckTable.plot draws a grid of its own; call it without ax, or plot "
            "one series with table[team].plot(ax=(ax1, ax2))."
        )
    n = len(result.checks)
    fig, axes = _mpl().subplots(n, 2, figsize=(11, 3.0 * n), squeeze=False)
    for row, c in zip(axes, result.checks, strict=True):
        plot_effect_check(c, ax=row, lang=lang)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    stamp_figure(fig, data_kind=result.data_kind, figure_id=figure_id, lang=lang)
    return fig
