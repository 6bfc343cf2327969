"""impact: seasonal baselines and event effects for helpline call counts.

The public API is listed in ``__all__``; names are imported lazily from their modules
so that ``import impact`` stays fast and computing works without matplotlib.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # data layer
    "load_call_counts": "impact.io.calls",
    "to_series": "impact.io.calls",
    "to_wide": "impact.io.calls",
    "from_wide": "impact.io.calls",
    "write_call_counts": "impact.io.calls",
    "aggregate_calls": "impact.io.calls",
    "annual_totals": "impact.io.calls",
    "canonical_team": "impact.io.calls",
    "TEAM_ALIASES": "impact.io.calls",
    "validate_series": "impact._core.validation",
    "validate_panel": "impact._core.validation",
    "validate_level": "impact._core.validation",
    "validate_month": "impact._core.validation",
    # published facts
    "load_published": "impact.io.published",
    "published_annual_calls": "impact.io.published",
    # events
    "Event": "impact.events.registry",
    "EventRegistry": "impact.events.registry",
    "load_events": "impact.events.registry",
    "event_regressor": "impact.events.registry",
    "check_identifiability": "impact.events.registry",
    "IdentifiabilityReport": "impact.events.registry",
    # synthetic data and simulation
    "build_synthetic_panel": "impact.simulation.synthetic",
    "write_synthetic_panel": "impact.simulation.synthetic",
    "simulate_counts": "impact.simulation.simulate",
    "simulate_panel": "impact.simulation.simulate",
    # estimation
    "BaselineSpec": "impact.baselines.glm",
    "BaselineFit": "impact.baselines.glm",
    "Forecast": "impact.baselines.glm",
    "fit_baseline": "impact.baselines.glm",
    "estimate_effect": "impact.estimation.counterfactual",
    "estimate_effects": "impact.estimation.counterfactual",
    "EffectEstimate": "impact.estimation.counterfactual",
    "Summary": "impact._core.summary",
    "EffectTable": "impact.estimation.counterfactual",
    "fit_its": "impact.estimation.its",
    "ITSResult": "impact.estimation.its",
    # diagnostics
    "backtest_baseline": "impact.diagnostics.bundle",
    "compare_baselines": "impact.diagnostics.bundle",
    "placebo_in_time": "impact.diagnostics.bundle",
    "sensitivity": "impact.diagnostics.bundle",
    "check_residuals": "impact.diagnostics.bundle",
    "check_capacity": "impact.diagnostics.bundle",
    "check_effect": "impact.diagnostics.bundle",
    "check_effects": "impact.diagnostics.bundle",
    # reported problems
    "category_shares": "impact.problems.shares",
    "fit_category_trends": "impact.problems.shares",
    "compare_category_mix": "impact.problems.shares",
    "estimate_share_shift": "impact.problems.shares",
    "suppress_small_cells": "impact.problems.shares",
    "published_problem_series": "impact.problems.shares",
    "compare_published": "impact.problems.shares",
    "load_category_table": "impact.io.taxonomy",
    "categorize": "impact.io.taxonomy",
    # the study
    "load_study": "impact.study.run",
    "compute_study": "impact.study.run",
    "run_study": "impact.study.run",
    "policy_note": "impact.reporting.report",
    # exceptions
    "ImpactError": "impact._core.exceptions",
    "DataValidationError": "impact._core.exceptions",
    "EventError": "impact._core.exceptions",
    "FitError": "impact._core.exceptions",
    "ImpactWarning": "impact._core.exceptions",
    "IdentifiabilityWarning": "impact._core.exceptions",
    "SyntheticDataError": "impact._core.exceptions",
    # constants
    "DEFAULT_LEVEL": "impact._core.constants",
    "TEAMS": "impact._core.constants",
    "FLANDERS": "impact._core.constants",
}

__all__ = sorted(_EXPORTS)


_DEPRECATED: dict[str, tuple[str, str]] = {
    "EffectSummary": ("Summary", "impact._core.summary"),
}


def __getattr__(name: str) -> Any:
    if name in _DEPRECATED:
        new, where = _DEPRECATED[name]
        warnings.warn(
            f"impact.{name} is deprecated; use impact.{new} (one Summary type for every "
            "result's summary()).",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(where), new)
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'impact' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
