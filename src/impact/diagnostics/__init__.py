"""Diagnostics: the checks on an effect estimate (DESIGN.md section 5).

Each check takes the fitted estimate (or a fitted baseline / history) plus only its own
options; the re-running checks re-run ``estimate.setup`` so they test exactly the
estimator that made the estimate.

Modules:

- :mod:`~impact.diagnostics.placebo`: :func:`placebo_in_time` (:class:`PlaceboResult`)
  and the helpers the checks share (private);
- :mod:`~impact.diagnostics.sensitivity`: :func:`sensitivity` (:class:`SensitivityResult`);
- :mod:`~impact.diagnostics.backtest`: :func:`backtest_baseline`
  (:class:`BacktestResult`), :func:`compare_baselines` (:class:`ModelComparison`) and
  the choice rule :data:`CHOICE_RULE`;
- :mod:`~impact.diagnostics.checks`: :func:`check_residuals` (:class:`ResidualCheck`)
  and :func:`check_capacity` (:class:`CapacityCheck`);
- :mod:`~impact.diagnostics.bundle`: :func:`check_effect` (:class:`EffectCheck`) and
  :func:`check_effects` (:class:`EffectCheckTable`, parallel through joblib), the
  verdicts (:data:`VERDICTS`) and :func:`coverage_floor`;
- :mod:`~impact.diagnostics.detectable`: :func:`window_effect` (:class:`WindowEffect`,
  an estimate over some of its post months) and :func:`minimum_detectable_effect`
  (:class:`DetectableEffect`).

Every check accepts daily and weekly estimates as well as monthly ones; at those
resolutions :func:`placebo_in_time` spaces its windows (every 28 days or 4 weeks, on the
real start's weekday) and asks a year of history by default.

Figures are drawn by :mod:`impact.plots.diagnostics`.
"""

from impact.diagnostics.backtest import (
    BACKTEST_COLUMNS,
    CHOICE_RULE,
    BacktestResult,
    ModelComparison,
    backtest_baseline,
    compare_baselines,
)
from impact.diagnostics.bundle import (
    CHECK_COLUMNS,
    MISCALIBRATED,
    VERDICTS,
    EffectCheck,
    EffectCheckTable,
    check_effect,
    check_effects,
    coverage_floor,
)
from impact.diagnostics.checks import CapacityCheck, ResidualCheck, check_capacity, check_residuals
from impact.diagnostics.detectable import (
    DEFAULT_POWER,
    DetectableEffect,
    WindowEffect,
    detectable_effects,
    minimum_detectable_effect,
    window_effect,
)
from impact.diagnostics.placebo import PLACEBO_COLUMNS, PlaceboResult, placebo_in_time
from impact.diagnostics.sensitivity import (
    DIFFERENT_ESTIMANDS,
    SENSITIVITY_COLUMNS,
    SensitivityResult,
    sensitivity,
)

__all__ = [
    "BACKTEST_COLUMNS",
    "CHECK_COLUMNS",
    "CHOICE_RULE",
    "DEFAULT_POWER",
    "DIFFERENT_ESTIMANDS",
    "MISCALIBRATED",
    "PLACEBO_COLUMNS",
    "SENSITIVITY_COLUMNS",
    "VERDICTS",
    "BacktestResult",
    "CapacityCheck",
    "DetectableEffect",
    "EffectCheck",
    "EffectCheckTable",
    "ModelComparison",
    "PlaceboResult",
    "ResidualCheck",
    "SensitivityResult",
    "WindowEffect",
    "backtest_baseline",
    "check_capacity",
    "check_effect",
    "check_effects",
    "check_residuals",
    "compare_baselines",
    "coverage_floor",
    "detectable_effects",
    "minimum_detectable_effect",
    "placebo_in_time",
    "sensitivity",
    "window_effect",
]
