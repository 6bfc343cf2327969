"""Estimation: effects of events on call counts.

Modules:

- :mod:`~impact.estimation.setup`: :class:`EffectSetup`, what an effect estimate is set up
  with (series, events, context, spec, windows, level, seed, paths, exposure,
  covariates), validated once;
- :mod:`~impact.estimation.counterfactual`: :func:`estimate_effect` /
  :func:`fit_effect` (one series, an :class:`EffectEstimate`) and
  :func:`estimate_effects` (every team and the Flanders total, an :class:`EffectTable`);
- :mod:`~impact.estimation.its`: :func:`fit_its`, the segmented-regression (interrupted
  time series) estimator, an :class:`ITSResult`.
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
from impact.estimation.setup import EffectSetup, as_registry

__all__ = [
    "EFFECT_COLUMNS",
    "ITS_EFFECT_COLUMNS",
    "EffectEstimate",
    "EffectSetup",
    "EffectTable",
    "ITSResult",
    "as_registry",
    "estimate_effect",
    "estimate_effects",
    "fit_effect",
    "fit_its",
    "seed_for",
]
