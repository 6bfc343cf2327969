"""impact: seasonal baselines and event effects for helpline call counts.

The public API is listed in ``__all__``; names are imported lazily from their modules
so that ``import impact`` stays fast and computing works without matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # data layer
    "load_call_counts": "impact.data",
    "to_series": "impact.data",
    "to_wide": "impact.data",
    "from_wide": "impact.data",
    "write_call_counts": "impact.data",
    "aggregate_calls": "impact.data",
    "annual_totals": "impact.data",
    "canonical_team": "impact.data",
    "TEAM_ALIASES": "impact.data",
    "validate_series": "impact.validate",
    "validate_panel": "impact.validate",
    "validate_level": "impact.validate",
    "validate_month": "impact.validate",
    # published facts
    "load_published": "impact.published",
    "published_annual_calls": "impact.published",
    # events
    "Event": "impact.events",
    "EventRegistry": "impact.events",
    "load_events": "impact.events",
    "event_regressor": "impact.events",
    "check_identifiability": "impact.events",
    "IdentifiabilityReport": "impact.events",
    # synthetic data and simulation
    "build_synthetic_panel": "impact.synthetic",
    "write_synthetic_panel": "impact.synthetic",
    "simulate_counts": "impact.simulate",
    "simulate_panel": "impact.simulate",
    # estimation
    "BaselineSpec": "impact.baselines",
    "BaselineFit": "impact.baselines",
    "Forecast": "impact.baselines",
    "fit_baseline": "impact.baselines",
    "estimate_effect": "impact.effects",
    "estimate_effects": "impact.effects",
    "EffectEstimate": "impact.effects",
    "EffectSummary": "impact.effects",
    "EffectTable": "impact.effects",
    "fit_its": "impact.its",
    "ITSResult": "impact.its",
    # diagnostics
    "backtest_baseline": "impact.diagnostics",
    "compare_baselines": "impact.diagnostics",
    "placebo_in_time": "impact.diagnostics",
    "sensitivity": "impact.diagnostics",
    "check_residuals": "impact.diagnostics",
    "check_capacity": "impact.diagnostics",
    "check_effect": "impact.diagnostics",
    "check_effects": "impact.diagnostics",
    # reported problems
    "category_shares": "impact.problems",
    "fit_category_trends": "impact.problems",
    "compare_category_mix": "impact.problems",
    "estimate_share_shift": "impact.problems",
    "suppress_small_cells": "impact.problems",
    "published_problem_series": "impact.problems",
    "compare_published": "impact.problems",
    "load_category_table": "impact.taxonomy",
    "categorize": "impact.taxonomy",
    # the study
    "load_study": "impact.study",
    "compute_study": "impact.study",
    "run_study": "impact.study",
    "policy_note": "impact.report",
    # exceptions
    "ImpactError": "impact.exceptions",
    "DataValidationError": "impact.exceptions",
    "EventError": "impact.exceptions",
    "FitError": "impact.exceptions",
    "ImpactWarning": "impact.exceptions",
    "IdentifiabilityWarning": "impact.exceptions",
    "SyntheticDataError": "impact.exceptions",
    # constants
    "DEFAULT_LEVEL": "impact.constants",
    "TEAMS": "impact.constants",
    "FLANDERS": "impact.constants",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'impact' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
