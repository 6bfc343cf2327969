"""impact: seasonal baselines and event effects for helpline call counts.

The curated public API. Each name lives in one subpackage, listed here by concept:

- ``impact.io``: call-count tables, category tables, published facts;
- ``impact.events``: the event registry, regressors, identifiability, event roles;
- ``impact.baselines``: baseline specifications and fits (count GLMs, time-series
  families, the pooled multi-team model);
- ``impact.estimation``: effect set-ups, counterfactual effects, interrupted time series;
- ``impact.diagnostics``: backtests, placebo-in-time, sensitivity, residual and capacity
  checks, the check bundle;
- ``impact.problems``: shares and trends of reported problems, published problem figures;
- ``impact.simulation``: the known-effect simulator and the synthetic demo panel;
- ``impact.plots``: all drawing; ``impact.reporting``: results, manifest and reports;
- ``impact.study``: the study file, its output registry and the run.

Names are loaded on first use (PEP 562 ``__getattr__`` below) so that ``import impact``
stays fast; the ``TYPE_CHECKING`` block gives IDEs and type checkers the same names.
Subpackages offer more than this list (``impact.baselines.fit_negbin_glm``, ...).
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

#: public name -> the subpackage that offers it
_EXPORTS: dict[str, str] = {
    # reading data
    "load_call_counts": "impact.io",
    "to_series": "impact.io",
    "to_wide": "impact.io",
    "from_wide": "impact.io",
    "write_call_counts": "impact.io",
    "aggregate_calls": "impact.io",
    "annual_totals": "impact.io",
    "load_published": "impact.io",
    "published_annual_calls": "impact.io",
    "load_category_table": "impact.io",
    "categorize": "impact.io",
    "load_contact_log": "impact.io",
    "ContactLog": "impact.io",
    "aggregate_contacts": "impact.io",
    "contact_category_table": "impact.io",
    # events
    "Event": "impact.events",
    "EventRegistry": "impact.events",
    "load_events": "impact.events",
    "check_identifiability": "impact.events",
    "IdentifiabilityReport": "impact.events",
    # baselines
    "BaselineSpec": "impact.baselines",
    "BaselineFit": "impact.baselines",
    "Forecast": "impact.baselines",
    "fit_baseline": "impact.baselines",
    "PooledFit": "impact.baselines",
    "fit_pooled_baseline": "impact.baselines",
    "LevelShift": "impact.baselines",
    "OpeningHours": "impact.baselines",
    "read_opening_hours": "impact.baselines",
    # estimation
    "EffectSetup": "impact.estimation",
    "estimate_effect": "impact.estimation",
    "estimate_effects": "impact.estimation",
    "EffectEstimate": "impact.estimation",
    "EffectTable": "impact.estimation",
    "fit_its": "impact.estimation",
    "ITSResult": "impact.estimation",
    "SeparateEffects": "impact.estimation",
    "compare_window": "impact.estimation",
    "WindowComparison": "impact.estimation",
    # diagnostics
    "backtest_baseline": "impact.diagnostics",
    "compare_baselines": "impact.diagnostics",
    "placebo_in_time": "impact.diagnostics",
    "sensitivity": "impact.diagnostics",
    "check_residuals": "impact.diagnostics",
    "check_capacity": "impact.diagnostics",
    "check_effect": "impact.diagnostics",
    "check_effects": "impact.diagnostics",
    "BacktestResult": "impact.diagnostics",
    "ModelComparison": "impact.diagnostics",
    "PlaceboResult": "impact.diagnostics",
    "SensitivityResult": "impact.diagnostics",
    "ResidualCheck": "impact.diagnostics",
    "CapacityCheck": "impact.diagnostics",
    "EffectCheck": "impact.diagnostics",
    "EffectCheckTable": "impact.diagnostics",
    # reported problems
    "category_shares": "impact.problems",
    "fit_category_trends": "impact.problems",
    "compare_category_mix": "impact.problems",
    "estimate_share_shift": "impact.problems",
    "suppress_small_cells": "impact.problems",
    "published_problem_series": "impact.problems",
    "compare_published": "impact.problems",
    "CategoryShares": "impact.problems",
    "CategoryTrends": "impact.problems",
    "MixChange": "impact.problems",
    "ShareShift": "impact.problems",
    "PublishedProblemSeries": "impact.problems",
    "PublishedComparison": "impact.problems",
    # simulation and the synthetic demo
    "simulate_counts": "impact.simulation",
    "simulate_panel": "impact.simulation",
    "SimulatedSeries": "impact.simulation",
    "SimulatedPanel": "impact.simulation",
    "build_synthetic_panel": "impact.simulation",
    "write_synthetic_panel": "impact.simulation",
    "SyntheticPanel": "impact.simulation",
    "build_synthetic_daily_panel": "impact.simulation",
    "write_synthetic_daily_panel": "impact.simulation",
    "SyntheticDailyPanel": "impact.simulation",
    # the study
    "StudyConfig": "impact.study",
    "StudyOutputs": "impact.study",
    "load_study": "impact.study",
    "draft_study": "impact.study",
    "compute_study": "impact.study",
    "run_study": "impact.study",
    "policy_note": "impact.reporting",
    # results, constants and errors
    "Summary": "impact._core.summary",
    "DEFAULT_LEVEL": "impact._core.constants",
    "MIN_N_PATHS": "impact._core.constants",
    "ImpactError": "impact._core.exceptions",
    "DataValidationError": "impact._core.exceptions",
    "EventError": "impact._core.exceptions",
    "FitError": "impact._core.exceptions",
    "SyntheticDataError": "impact._core.exceptions",
    "ImpactWarning": "impact._core.exceptions",
    "IdentifiabilityWarning": "impact._core.exceptions",
}

#: names that were public in 0.1 and moved: old name -> (new name, where it lives now)
_DEPRECATED: dict[str, tuple[str, str]] = {
    "EffectSummary": ("Summary", "impact._core.summary"),
    "TEAM_ALIASES": ("TEAM_ALIASES", "impact.io"),
    "canonical_team": ("canonical_team", "impact.io"),
    "validate_series": ("validate_series", "impact._core.validation"),
    "validate_panel": ("validate_panel", "impact._core.validation"),
    "validate_level": ("validate_level", "impact._core.validation"),
    "validate_month": ("validate_month", "impact._core.validation"),
    "event_regressor": ("event_regressor", "impact.events"),
    "TEAMS": ("TEAMS", "impact.io"),
    "FLANDERS": ("FLANDERS", "impact.io"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _DEPRECATED:
        new, where = _DEPRECATED[name]
        public = where if not where.startswith("impact._core") else "impact"
        warnings.warn(
            f"impact.{name} is deprecated since 0.2 and will be removed; use "
            f"{where}.{new} instead" + (" (impact.Summary)" if name == "EffectSummary" else "")
            + f" ({public} is where it lives now).",
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


if TYPE_CHECKING:  # pragma: no cover - for IDEs and type checkers only
    from impact._core.constants import DEFAULT_LEVEL, MIN_N_PATHS
    from impact._core.exceptions import (
        DataValidationError,
        EventError,
        FitError,
        IdentifiabilityWarning,
        ImpactError,
        ImpactWarning,
        SyntheticDataError,
    )
    from impact._core.summary import Summary
    from impact.baselines import (
        BaselineFit,
        BaselineSpec,
        Forecast,
        LevelShift,
        OpeningHours,
        PooledFit,
        fit_baseline,
        fit_pooled_baseline,
        read_opening_hours,
    )
    from impact.diagnostics import (
        BacktestResult,
        CapacityCheck,
        EffectCheck,
        EffectCheckTable,
        ModelComparison,
        PlaceboResult,
        ResidualCheck,
        SensitivityResult,
        backtest_baseline,
        check_capacity,
        check_effect,
        check_effects,
        check_residuals,
        compare_baselines,
        placebo_in_time,
        sensitivity,
    )
    from impact.estimation import (
        EffectEstimate,
        EffectSetup,
        EffectTable,
        ITSResult,
        SeparateEffects,
        WindowComparison,
        compare_window,
        estimate_effect,
        estimate_effects,
        fit_its,
    )
    from impact.events import (
        Event,
        EventRegistry,
        IdentifiabilityReport,
        check_identifiability,
        load_events,
    )
    from impact.io import (
        ContactLog,
        aggregate_calls,
        aggregate_contacts,
        annual_totals,
        categorize,
        contact_category_table,
        from_wide,
        load_call_counts,
        load_category_table,
        load_contact_log,
        load_published,
        published_annual_calls,
        to_series,
        to_wide,
        write_call_counts,
    )
    from impact.problems import (
        CategoryShares,
        CategoryTrends,
        MixChange,
        PublishedComparison,
        PublishedProblemSeries,
        ShareShift,
        category_shares,
        compare_category_mix,
        compare_published,
        estimate_share_shift,
        fit_category_trends,
        published_problem_series,
        suppress_small_cells,
    )
    from impact.reporting import policy_note
    from impact.simulation import (
        SimulatedPanel,
        SimulatedSeries,
        SyntheticDailyPanel,
        SyntheticPanel,
        build_synthetic_daily_panel,
        build_synthetic_panel,
        simulate_counts,
        simulate_panel,
        write_synthetic_daily_panel,
        write_synthetic_panel,
    )
    from impact.study import (
        StudyConfig,
        StudyOutputs,
        compute_study,
        draft_study,
        load_study,
        run_study,
    )
