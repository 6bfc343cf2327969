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
  :func:`check_effects` (:class:`EffectCheckTable`, parallel through joblib).

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
    EffectCheck,
    EffectCheckTable,
    check_effect,
    check_effects,
)
from impact.diagnostics.checks import CapacityCheck, ResidualCheck, check_capacity, check_residuals
from impact.diagnostics.placebo import PLACEBO_COLUMNS, PlaceboResult, placebo_in_time
from impact.diagnostics.sensitivity import SENSITIVITY_COLUMNS, SensitivityResult, sensitivity

__all__ = [
    "BACKTEST_COLUMNS",
    "CHECK_COLUMNS",
    "CHOICE_RULE",
    "PLACEBO_COLUMNS",
    "SENSITIVITY_COLUMNS",
    "BacktestResult",
    "CapacityCheck",
    "EffectCheck",
    "EffectCheckTable",
    "ModelComparison",
    "PlaceboResult",
    "ResidualCheck",
    "SensitivityResult",
    "backtest_baseline",
    "check_capacity",
    "check_effect",
    "check_effects",
    "check_residuals",
    "compare_baselines",
    "placebo_in_time",
    "sensitivity",
]
