"""Tests of impact.baselines.noise: the one count simulator and the team correlation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impact.baselines import count_alpha, draw_counts, team_correlation

#: 20,000 draws: sample mean and variance within these relative tolerances of NB2's.
MEAN_RTOL = 0.02
VAR_RTOL = 0.06


@pytest.mark.parametrize("use_copula", [False, True])
def test_marginals_are_nb2_with_and_without_copula(use_copula: bool) -> None:
    rng = np.random.default_rng(1)
    mu = np.full((20_000, 3), 100.0)
    alpha = count_alpha("negbin", mu, np.full(20_000, 0.05))
    counts = draw_counts(mu, alpha, 0.4 if use_copula else 0.0, rng)
    np.testing.assert_allclose(counts.mean(), 100.0, rtol=MEAN_RTOL)
    np.testing.assert_allclose(counts.var(), 100.0 + 0.05 * 100.0**2, rtol=VAR_RTOL)


def test_quasipoisson_variance_is_phi_mu() -> None:
    mu = np.full((20_000, 2), 50.0)
    alpha = count_alpha("quasipoisson", mu, np.full(20_000, 3.0))
    counts = draw_counts(mu, alpha, 0.0, np.random.default_rng(2))
    np.testing.assert_allclose(counts.var(), 3.0 * 50.0, rtol=VAR_RTOL)


def test_three_dimensional_means_with_shared_innovations() -> None:
    mu = np.full((500, 2, 4), 30.0)
    alpha = count_alpha("negbin", mu, np.full(500, 0.1))
    z = np.random.default_rng(3).standard_normal((500, 1, 4)).repeat(2, axis=1)
    counts = draw_counts(mu, alpha, 0.0, np.random.default_rng(4), z)
    np.testing.assert_array_equal(counts[:, 0], counts[:, 1])  # same z, same counts


def test_team_correlation_recovers_a_common_shock() -> None:
    rng = np.random.default_rng(5)
    common = rng.standard_normal(120)
    resid = pd.DataFrame(
        {t: 0.6 * common + 0.8 * rng.standard_normal(120) for t in ("a", "b", "c")}
    )
    corr, note = team_correlation(resid)
    off = corr[~np.eye(3, dtype=bool)]
    assert np.all(np.abs(off - 0.36) < 0.2)
    assert "120 common periods" in note
    np.testing.assert_allclose(np.diag(corr), 1.0)


def test_team_correlation_needs_enough_common_periods() -> None:
    resid = pd.DataFrame({"a": np.arange(30.0), "b": np.r_[np.full(10, np.nan), np.ones(20)]})
    corr, note = team_correlation(resid)
    assert corr is None and "20 common fitted periods" in note
    assert team_correlation(resid[["a"]])[0] is None


@pytest.mark.parametrize("use_copula", [False, True])
def test_huge_poisson_means_give_finite_counts_near_the_mean(use_copula: bool) -> None:
    """scipy's Poisson quantile is NaN at some means near 4e10; the draws must not be."""
    rng = np.random.default_rng(2)
    mu = np.full((2000, 3), 4.096086e10)
    counts = draw_counts(mu, np.zeros_like(mu), 0.4 if use_copula else 0.0, rng)
    assert np.isfinite(counts).all()
    np.testing.assert_allclose(counts.mean(), 4.096086e10, rtol=MEAN_RTOL)


@pytest.mark.parametrize("alpha", [0.0, 1e-20, 1e-12, 1e-6])
def test_near_poisson_dispersion_gives_poisson_counts_through_the_copula(alpha) -> None:
    """With a copula (``z`` given, as for correlated teams) and a dispersion of ~0 (a
    Poisson-like team), NB's p = r / (r + mu) rounded to 1.0 and every count came out 0;
    the counts must be Poisson-like around the mean instead."""
    rng = np.random.default_rng(3)
    mu = np.full((4000, 3), 30.0)
    z = rng.standard_normal(mu.shape)
    counts = draw_counts(mu, np.full(mu.shape, alpha), 0.0, rng, z)
    assert abs(counts.mean() - 30.0) < 0.5
    assert 0.8 * 30 < counts.var() < 1.2 * 30
