"""Reported problems (Q2, Q3): shares, mix changes, event shifts, trends, published figures.

Every analysis takes a *category table* (the contract of
:func:`impact.io.categories.validate_category_table`) and returns a frozen result with
``summary()`` (a :class:`impact._core.summary.Summary`), ``to_frame()`` and ``plot()``
(drawn by :mod:`impact.plots.problems`).

Modules and their main names:

``shares``
    :func:`category_shares` (:class:`CategoryShares`), :func:`compare_category_mix`
    (:class:`MixChange`), :func:`estimate_share_shift` (:class:`ShareShift`).
``trends``
    :func:`fit_category_trends` (:class:`CategoryTrends`).
``published``
    :func:`published_problem_series` (:class:`PublishedProblemSeries`) and
    :func:`compare_published` (:class:`PublishedComparison`) on the published figures.
``tables``
    :func:`aggregate_to_flanders`, :func:`suppress_small_cells`,
    :func:`synthesize_categories`.

The private module ``_base`` holds what they share (table checks such as
:func:`require_single_base`, per team-period totals, the Newcombe interval).
"""

from impact.problems._base import require_single_base
from impact.problems.published import (
    COMPARISON_COLUMNS,
    SERIES_COLUMNS,
    PublishedComparison,
    PublishedProblemSeries,
    compare_published,
    published_problem_series,
)
from impact.problems.shares import (
    MIX_COLUMNS,
    SHARES_COLUMNS,
    SHIFT_COLUMNS,
    CategoryShares,
    MixChange,
    ShareShift,
    category_shares,
    compare_category_mix,
    estimate_share_shift,
)
from impact.problems.tables import (
    aggregate_to_flanders,
    suppress_small_cells,
    synthesize_categories,
)
from impact.problems.trends import TREND_COLUMNS, CategoryTrends, fit_category_trends

__all__ = [
    "COMPARISON_COLUMNS",
    "MIX_COLUMNS",
    "SERIES_COLUMNS",
    "SHARES_COLUMNS",
    "SHIFT_COLUMNS",
    "TREND_COLUMNS",
    "CategoryShares",
    "CategoryTrends",
    "MixChange",
    "PublishedComparison",
    "PublishedProblemSeries",
    "ShareShift",
    "aggregate_to_flanders",
    "category_shares",
    "compare_category_mix",
    "compare_published",
    "estimate_share_shift",
    "fit_category_trends",
    "published_problem_series",
    "require_single_base",
    "suppress_small_cells",
    "synthesize_categories",
]
