"""Estimation: effects of events on call counts.

Modules:

- :mod:`~impact.estimation.setup`: :class:`EffectSetup`, what an effect estimate is set up
  with (series, events, context, spec, windows, level, seed, paths, exposure,
  covariates), validated once;
- :mod:`~impact.estimation.counterfactual`: :func:`estimate_effect` /
  :func:`fit_effect` (one series, an :class:`EffectEstimate`) and
  :func:`estimate_effects` (every team and the Flanders total, an :class:`EffectTable`);
- :mod:`~impact.estimation.its`: :func:`fit_its`, the segmented-regression (interrupted
  time series) estimator, an :class:`ITSResult`;
- :mod:`~impact.estimation.separate`: :func:`decompose_effect`, the joint effect of an
  estimate split into separate effects per separable event (:class:`SeparateEffects`,
  ``EffectEstimate.separate``; on by default for daily and weekly series);
- :mod:`~impact.estimation.window`: :func:`compare_window`, a window's calls against the
  same weekdays a year earlier and against the counterfactual (:class:`WindowComparison`).

Every estimator takes daily (``freq="D"``), weekly (``"W-SUN"``) or monthly series;
windows and post-periods are given as dates or periods.
"""

from impact.estimation.counterfactual import (
    EFFECT_COLUMNS,
    EffectEstimate,
    EffectTable,
    estimate_effect,
    estimate_effects,
    fit_effect,
    seed_for,
)
from impact.estimation.its import ITS_EFFECT_COLUMNS, ITSResult, fit_its
from impact.estimation.separate import SEPARATE_COLUMNS, SeparateEffects, decompose_effect
from impact.estimation.setup import EffectSetup, as_registry
from impact.estimation.window import (
    WINDOW_COLUMNS,
    WINDOW_MEASURES,
    WindowComparison,
    compare_window,
)

__all__ = [
    "EFFECT_COLUMNS",
    "ITS_EFFECT_COLUMNS",
    "SEPARATE_COLUMNS",
    "WINDOW_COLUMNS",
    "WINDOW_MEASURES",
    "EffectEstimate",
    "EffectSetup",
    "EffectTable",
    "ITSResult",
    "SeparateEffects",
    "WindowComparison",
    "as_registry",
    "compare_window",
    "decompose_effect",
    "estimate_effect",
    "estimate_effects",
    "fit_effect",
    "fit_its",
    "seed_for",
]
