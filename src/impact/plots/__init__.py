"""All drawing, and nothing else.

Every function takes a result (or the frame it plots) plus ``ax=None``, creates a figure
only when no axes are given, returns the Axes (or the Figure for grids), and never calls
``show()`` or ``savefig()``. Plots read a result's ``to_frame()``, so the data behind a
figure can be written beside it as CSV. matplotlib is imported when a function draws, so
computing works without it. :func:`project_style` applies the project style for one block.

The study's figures are drawn per report language: the drawing functions take
``lang="en"|"nl"`` (:data:`FIGURE_LANGUAGES`) for titles, axes, legends, dates and numbers.

Modules: ``_base`` (style, axes, data-kind caption, the figures' words per language),
``effects`` (baselines, effects, ITS, call-count overviews, published totals),
``diagnostics`` (placebo, sensitivity, backtests, residual and capacity checks, the check
bundle), ``problems`` (shares and trends of reported problems), ``daily`` (daily calls
with the counterfactual band and event dates, separate effects, window comparisons) and
``contacts`` (a contact log's counts per period).
"""

from impact.plots._base import FIGURE_LANGUAGES, KIND_CAPTIONS, project_style, stamp_figure
from impact.plots.contacts import plot_contacts
from impact.plots.daily import plot_daily_effect, plot_separate_effects, plot_window_comparison
from impact.plots.diagnostics import (
    plot_backtest,
    plot_capacity,
    plot_effect_check,
    plot_effect_check_table,
    plot_model_comparison,
    plot_placebo_distribution,
    plot_residual_acf,
    plot_specification_curve,
)
from impact.plots.effects import (
    plot_baseline_fit,
    plot_calls_overview,
    plot_cumulative,
    plot_effect,
    plot_effect_grid,
    plot_forecast,
    plot_forest,
    plot_identifiability,
    plot_its,
    plot_published_annual,
    plot_seasonal_profile,
)

__all__ = [
    "plot_contacts",
    "plot_daily_effect",
    "plot_separate_effects",
    "plot_window_comparison",
    "FIGURE_LANGUAGES",
    "KIND_CAPTIONS",
    "plot_backtest",
    "plot_capacity",
    "plot_effect_check",
    "plot_effect_check_table",
    "plot_model_comparison",
    "plot_placebo_distribution",
    "plot_residual_acf",
    "plot_specification_curve",
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
    "project_style",
    "stamp_figure",
]
