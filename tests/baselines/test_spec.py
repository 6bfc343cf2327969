"""Tests of impact.baselines.spec: the spec, the fitted result and the backend protocol."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from impact._core.summary import Summary
from impact.baselines import (
    BASELINE_FAMILIES,
    BaselineSpec,
    fit_baseline,
    fit_pooled_baseline,
)
from impact.simulation.simulate import simulate_counts, simulate_panel

N_PATHS = 200
#: Simulated means and counts of the same backend agree to this relative tolerance on a
#: 200-path mean (NB2 noise with alpha ~0.05 at ~100 calls; several standard errors).
MEAN_RTOL = 0.08


@pytest.fixture(scope="module")
def history() -> pd.Series:
    sim = simulate_counts(n_pre=72, n_post=1, mean_calls=100.0, effect_size=0.0, seed=8)
    return sim.series.iloc[:-1]


@pytest.fixture(scope="module")
def fits(history: pd.Series) -> dict:
    out = {fam: fit_baseline(history, BaselineSpec(family=fam)) for fam in BASELINE_FAMILIES}
    panel = simulate_panel(n_pre=60, n_post=1, effect_size=0.0, seed=2).frame
    panel = panel[panel["month"] < panel["month"].max()]
    panel.attrs["kind"] = "synthetic"
    team = panel["team"].iloc[0]
    out["pooled"] = fit_pooled_baseline(panel, BaselineSpec()).fit_for(team)
    return out


@pytest.mark.parametrize("name", [*BASELINE_FAMILIES, "pooled"])
def test_every_backend_implements_the_whole_protocol(name: str, fits: dict) -> None:
    fit = fits[name]
    backend = fit.backend
    periods = pd.period_range(fit.history.index[-1] + 1, periods=4, freq="M")
    rng = np.random.default_rng(1)
    mu, w = backend.simulate_means(periods, N_PATHS, rng)
    assert mu.shape == (N_PATHS, 4) and w.shape == (N_PATHS,)
    assert np.all(np.isfinite(mu)) and np.all(mu >= 0) and np.all(w > 0)
    counts = backend.draw_counts(mu, w, rng)
    assert counts.shape == mu.shape and np.all(counts == np.round(counts)) and counts.min() >= 0
    z = np.random.default_rng(2).standard_normal(mu.shape)
    a = backend.draw_counts(mu, w, np.random.default_rng(3), z)
    b = backend.draw_counts(mu, w, np.random.default_rng(4), z)
    np.testing.assert_array_equal(a, b)  # z drives the noise, not the generator
    paths = backend.simulate(periods, N_PATHS, np.random.default_rng(5))
    assert paths.shape == (N_PATHS, 4)
    expected = backend.mean(periods)
    np.testing.assert_allclose(counts.mean(axis=0), expected, rtol=MEAN_RTOL)
    np.testing.assert_allclose(paths.mean(axis=0), expected, rtol=MEAN_RTOL)


def test_structural_count_noise_is_the_irregular(fits: dict) -> None:
    fit = fits["structural"]
    assert fit.backend.noise_var == pytest.approx(fit.params["sigma2.irregular"])
    assert fits["sarima"].backend.noise_var == 0.0


def test_level_keyword_is_deprecated_for_trend_component() -> None:
    with pytest.warns(DeprecationWarning, match="trend_component"):
        spec = BaselineSpec(family="structural", level="random_walk")
    assert spec.trend_component == "random_walk"
    assert spec == BaselineSpec(family="structural", trend_component="random_walk")
    assert dataclasses.replace(spec, family="sarima").trend_component == "random_walk"


def test_summary_is_the_one_summary_type(fits: dict) -> None:
    s = fits["negbin"].summary()
    assert isinstance(s, Summary)
    assert "negative binomial" in s.text
    assert {"dispersion", "residual_autocorrelation"} <= set(s.table.index)
    assert s.table.loc["dispersion", "estimate"] == pytest.approx(fits["negbin"].dispersion)
