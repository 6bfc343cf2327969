"""The effect over part of a window and the minimum detectable effect
(impact.diagnostics.detectable)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineSpec
from impact.diagnostics.detectable import (
    detectable_effects,
    minimum_detectable_effect,
    window_effect,
)
from impact.estimation.counterfactual import estimate_effect
from impact.simulation.simulate import simulate_counts

SPEC = BaselineSpec(family="negbin", trend="linear", seasonality="monthly", ar_noise=False)


def _fit(seed: int = 1, *, n_pre: int = 96, mean_calls: float = 80.0, effect: float = 0.0,
         n_paths: int = 2000):
    sim = simulate_counts(n_pre=n_pre, n_post=3, mean_calls=mean_calls, effect_size=effect,
                          seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimate_effect(sim.series, sim.events.filter(kinds=["campaign"]), spec=SPEC,
                               n_paths=n_paths, seed=seed)


@pytest.fixture(scope="module")
def est():
    return _fit()


def test_window_effect_over_the_whole_window_is_the_estimate(est):
    w = window_effect(est)
    assert w.cumulative_effect == pytest.approx(est.cumulative_effect)
    assert w.cumulative_effect_lower == pytest.approx(est.cumulative_effect_lower)
    assert w.cumulative_effect_upper == pytest.approx(est.cumulative_effect_upper)
    assert w.relative_effect == pytest.approx(est.relative_effect)
    assert w.relative_effect_lower == pytest.approx(est.relative_effect_lower)


def test_window_effect_of_one_month_sums_one_column(est):
    month = est.post_start + 1
    w = window_effect(est, month, month)
    row = est.frame.loc[month]
    assert w.observed == row["observed"] and w.expected == pytest.approx(row["expected"])
    assert str(w.window_start) == str(month) == w.to_dict()["window_end"]
    with pytest.raises(DataValidationError, match="not inside"):
        window_effect(est, est.post_end + 1, est.post_end + 2)


def test_mde_shrinks_with_larger_counts_and_more_history():
    small = minimum_detectable_effect(_fit(mean_calls=40))
    large = minimum_detectable_effect(_fit(mean_calls=800))
    assert 0 < large.relative < small.relative
    short = minimum_detectable_effect(_fit(n_pre=30))
    long = minimum_detectable_effect(_fit(n_pre=120))
    assert 0 < long.relative < short.relative
    assert small.calls == pytest.approx(small.relative * small.expected)
    assert "80%" in small.text()


def test_mde_grows_with_power(est):
    assert (minimum_detectable_effect(est, power=0.9).relative
            > minimum_detectable_effect(est, power=0.6).relative)
    with pytest.raises(DataValidationError, match="power"):
        minimum_detectable_effect(est, power=0.3)
    f = detectable_effects([est, est], est.post_start, est.post_start)
    assert len(f) == 2 and (f["relative"] > 0).all()


@pytest.mark.slow
def test_an_effect_of_the_mde_size_is_detected_about_power_of_the_time():
    # the MDE of the design (averaged over a few no-effect fits), then many fits with a
    # true step of that size: the share whose interval excludes 0 is about 0.8
    mde = float(np.mean([minimum_detectable_effect(_fit(seed=100 + s, n_paths=1000)).relative
                         for s in range(5)]))
    detected = [_fit(seed=s, effect=mde, n_paths=500).cumulative_effect_lower > 0
                for s in range(120)]
    # 120 replications: binomial s.e. about 0.037 around 0.8
    assert 0.68 <= np.mean(detected) <= 0.92, (mde, np.mean(detected))
