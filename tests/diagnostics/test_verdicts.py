"""Verdicts that do not overstate: miscalibrated intervals, and the sensitivity range
without the seasonal-naive estimand (impact.diagnostics.bundle, .sensitivity)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from impact.diagnostics.bundle import (
    MISCALIBRATED,
    VERDICTS,
    _calibration,
    _verdict,
    coverage_floor,
)
from impact.diagnostics.sensitivity import DIFFERENT_ESTIMANDS, sensitivity
from impact.estimation.counterfactual import estimate_effect
from impact.simulation.simulate import simulate_counts


def test_coverage_floor_is_nominal_minus_two_binomial_standard_errors():
    assert coverage_floor(0.95, 12) == pytest.approx(0.95 - 2 * np.sqrt(0.95 * 0.05 / 12))
    assert 0.82 < coverage_floor(0.95, 12) < 0.83
    # more windows, a tighter floor
    assert coverage_floor(0.95, 48) > coverage_floor(0.95, 12)


def _sens(effects, families=None):
    families = families or ["negbin"] * len(effects)
    frame = pd.DataFrame({"relative_effect": effects, "family": families,
                          "is_failed": [False] * len(effects)})
    return SimpleNamespace(frame=frame)


def _est(lo, hi, rel):
    return SimpleNamespace(cumulative_effect_lower=lo, cumulative_effect_upper=hi,
                           relative_effect=rel)


def test_low_coverage_turns_supported_and_suggestive_into_miscalibrated():
    plc_ok = SimpleNamespace(p_value_one_sided=0.02)
    plc_no = SimpleNamespace(p_value_one_sided=0.4)
    est = _est(10, 90, 0.2)
    assert _verdict(est, plc_ok, _sens([0.2, 0.1]), 0.95) == "supported"
    assert _verdict(est, plc_ok, _sens([0.2, 0.1]), 0.95, miscalibrated=True) == MISCALIBRATED
    assert _verdict(est, plc_no, _sens([0.2]), 0.95, miscalibrated=True) == MISCALIBRATED
    # nothing to overstate: the verdict stays
    none = _verdict(_est(-10, 90, 0.1), plc_no, _sens([0.1]), 0.95, miscalibrated=True)
    assert none == "not distinguishable from placebo variation" and none in VERDICTS


def test_seasonal_naive_does_not_break_the_same_sign_rule():
    plc_ok = SimpleNamespace(p_value_one_sided=0.02)
    sens = _sens([0.2, -0.3], families=["negbin", "seasonal_naive"])
    assert _verdict(_est(10, 90, 0.2), plc_ok, sens, 0.95) == "supported"


def test_calibration_reason_names_coverage_and_floor():
    table = pd.DataFrame({"coverage": [0.736]}, index=pd.Index(["negbin/x"], name="spec"))
    comp = SimpleNamespace(table=table, chosen_label="negbin/x",
                           results=(SimpleNamespace(label="negbin/x", origins=tuple(range(12))),))
    est = SimpleNamespace(spec=SimpleNamespace(label="negbin/x"))
    coverage, floor, reason = _calibration(est, comp, 0.95)
    assert coverage == pytest.approx(0.736) and floor == pytest.approx(coverage_floor(0.95, 12))
    assert "73.6%" in reason and "82.4%" in reason
    comp.table.loc["negbin/x", "coverage"] = 0.9
    assert _calibration(est, comp, 0.95)[2] == ""
    assert _calibration(est, None, 0.95)[2] == ""


def test_sensitivity_range_leaves_out_a_different_estimand():
    sim = simulate_counts(n_pre=96, n_post=3, effect_size=0.2, seed=8)
    est = estimate_effect(sim.series, sim.events.filter(kinds=["campaign"]), n_paths=300)
    res = sensitivity(est, n_paths=200, seed=2, families=("negbin", "seasonal_naive"),
                      buffers=(0,), use_breaks=(True,), pre_starts=[])
    f = res.to_frame()
    naive = f[f["family"].isin(DIFFERENT_ESTIMANDS)]
    assert len(naive) == 1 and not naive["is_failed"].iloc[0]
    inside = f[~f["family"].isin(DIFFERENT_ESTIMANDS)]
    assert res.relative_effect_min == pytest.approx(inside["relative_effect"].min())
    assert res.relative_effect_max == pytest.approx(inside["relative_effect"].max())
    assert "different estimand" in naive["note"].iloc[0]
    assert "shown apart" in res.range_text() and len(res.apart()) == 1
    # the seasonal-naive number differs from the headline's, so a range with it would differ
    assert naive["relative_effect"].iloc[0] != pytest.approx(est.relative_effect)
    assert dataclasses.is_dataclass(res)
