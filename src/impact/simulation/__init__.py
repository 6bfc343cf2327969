"""Synthetic counts: known-effect series for checking estimators, and the demo panel.

Modules
-------
simulate
    :func:`simulate_counts` (one NB2 series with a trend, seasonality, an optional capacity
    break and a campaign effect of known shape and size) and :func:`simulate_panel`
    (several teams sharing them), returning :class:`SimulatedSeries` /
    :class:`SimulatedPanel` with the truth beside the counts.
daily
    :func:`build_synthetic_daily_panel` and :func:`write_synthetic_daily_panel`: the
    monthly demo panel split over days (:class:`SyntheticDailyPanel`), whose monthly sums
    equal it exactly, with separate daily truths for the Pichal case and each Godvergeten
    episode.
synthetic
    :func:`build_synthetic_panel` and :func:`write_synthetic_panel`: the calibrated
    synthetic 1712 team x month panel in ``data/synthetic/`` (:class:`SyntheticPanel`),
    labelled with :data:`impact._core.provenance.SYNTHETIC_LABEL`.

Everything here is synthetic; nothing describes the real helpline.
"""

from impact.simulation.daily import (
    DAILY_TRUTH_EVENTS,
    SCHOOL_HOLIDAY_FACTOR,
    SYNTHETIC_DAILY_FILES,
    SyntheticDailyPanel,
    build_synthetic_daily_panel,
    write_synthetic_daily_panel,
)
from impact.simulation.simulate import (
    EFFECT_SHAPES,
    SIM_BREAK_ID,
    SIM_EFFECT_ID,
    SimulatedPanel,
    SimulatedSeries,
    simulate_counts,
    simulate_panel,
)
from impact.simulation.synthetic import (
    SYNTHETIC_FILES,
    SYNTHETIC_KIND,
    SyntheticPanel,
    build_synthetic_panel,
    write_synthetic_panel,
)

__all__ = [
    "DAILY_TRUTH_EVENTS",
    "SCHOOL_HOLIDAY_FACTOR",
    "SYNTHETIC_DAILY_FILES",
    "SyntheticDailyPanel",
    "build_synthetic_daily_panel",
    "write_synthetic_daily_panel",
    "EFFECT_SHAPES",
    "SIM_BREAK_ID",
    "SIM_EFFECT_ID",
    "SYNTHETIC_FILES",
    "SYNTHETIC_KIND",
    "SimulatedPanel",
    "SimulatedSeries",
    "SyntheticPanel",
    "build_synthetic_panel",
    "simulate_counts",
    "simulate_panel",
    "write_synthetic_panel",
]
