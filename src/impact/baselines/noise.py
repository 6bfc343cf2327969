"""Count noise: the one count simulator and the cross-team correlation of the residuals.

:func:`draw_counts` turns paths of the mean into whole counts with negative binomial
(NB2), quasi-Poisson or Poisson noise, optionally dependent through a Gaussian copula:
lag-1 autocorrelation within a path and, through the standard normals ``z`` a caller
passes, correlation between teams. The marginal distribution of every count is the
family's whatever the dependence. :func:`count_alpha` gives the NB2 ``alpha`` of each
count from a family and each path's dispersion draw. Both the per-team count GLMs
(:mod:`impact.baselines.glm`) and the pooled baseline (:mod:`impact.baselines.pooled`)
simulate with them.

:func:`draw_coefficient_means` draws the mean paths of a log-linear count model from
a multivariate t (coefficients) with one chi-square weight per path.

:func:`latent_ar_posterior` weighs latent AR(1) log-scale noise hypotheses on the
relative residuals of a daily or weekly fit (a Kalman-filter likelihood on a grid), and
:func:`latent_ar_paths` draws it over forecast periods;
the count GLMs use them at daily and weekly resolution, where demand drifts over days
and weeks and a lag-1 copula of the counts would make window sums too narrow.

:func:`team_correlation` estimates the correlation between teams of their baseline
residuals over common periods; :func:`impact.estimation.counterfactual.estimate_effects`
and :func:`impact.baselines.pooled.fit_pooled_baseline` both use it to correlate the
teams' count noise, so that the Flanders total carries common shocks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special, stats

__all__ = [
    "LATENT_AR_PHIS",
    "LATENT_AR_SHARES",
    "MIN_COMMON_PERIODS",
    "count_alpha",
    "draw_coefficient_means",
    "draw_counts",
    "latent_ar_posterior",
    "latent_ar_paths",
    "team_correlation",
]

#: Latent AR(1) coefficients per period on the grid of :func:`latent_ar_posterior`.
LATENT_AR_PHIS: np.ndarray = np.array([0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 0.98])
#: Shares of the NB2 dispersion that are persistent latent noise, on the same grid (at
#: most 0.9: some count overdispersion is always left).
LATENT_AR_SHARES: np.ndarray = np.array([0.1, 0.3, 0.5, 0.7, 0.9])

#: Common fitted periods needed to estimate the cross-team residual correlation.
MIN_COMMON_PERIODS: int = 24
#: Log means are clipped to [_MIN_LOG, _MAX_LOG] before exponentiating. exp(40) ~ 2.4e17
#: calls keeps the Poisson sampler (lam below ~9.2e18) in range; a lower ceiling would
#: bend the paths of very large (e.g. rescaled) series below their own point estimate.
_MAX_LOG: float = 40.0
_MIN_LOG: float = -30.0
#: NB2 noise is drawn as Poisson where alpha * mu (the relative extra variance) is below
#: this: the two distributions agree to nine digits there.
_MIN_NB_EXCESS: float = 1e-9
#: Above this mean a Poisson count's quantile is taken from its Cornish-Fisher expansion.
_NORMAL_POISSON: float = 1e6
#: Poisson rates are capped here (numpy's sampler refuses lam above ~9.2e18).
_MAX_LAMBDA: float = 1e18


def count_alpha(family: str, mu: np.ndarray, dispersion: np.ndarray) -> np.ndarray:
    """NB2 ``alpha`` of every count (0 for Poisson noise).

    Parameters
    ----------
    family : {"poisson", "quasipoisson", "negbin"}
    mu : ndarray
        Means, shape (n_paths, ...).
    dispersion : ndarray of shape (n_paths,)
        Each path's dispersion draw: NB2 ``alpha`` (``negbin``) or Pearson ``phi``
        (``quasipoisson``, drawn as NB2 with ``alpha = (phi - 1) / mu``, so that the
        variance is ``phi * mu``; ``phi`` below 1 is taken as 1).
    """
    d = np.asarray(dispersion, dtype=float).reshape((-1,) + (1,) * (mu.ndim - 1))
    if family == "poisson":
        return np.zeros_like(mu)
    if family == "negbin":
        return np.broadcast_to(d, mu.shape)
    return (np.maximum(d, 1.0) - 1.0) / np.maximum(mu, 1e-9)


def draw_counts(
    mu: np.ndarray,
    alpha: np.ndarray,
    rho: float,
    rng: np.random.Generator,
    z: np.ndarray | None = None,
) -> np.ndarray:
    """Whole counts around means ``mu`` (NB2 with ``alpha``; Poisson where ``alpha`` is 0).

    Without dependence (``rho <= 0`` and no ``z``) each count is a gamma-Poisson draw.
    Otherwise the counts are NB (or Poisson) quantiles of a Gaussian copula: standard
    normals ``z`` (drawn here when not given), made AR(1) with coefficient ``rho`` along
    the last axis (the periods of a path); the marginals are unchanged.

    Parameters
    ----------
    mu, alpha : ndarray
        Same shape, periods on the last axis, e.g. (n_paths, periods) or
        (n_paths, teams, periods).
    rho : float
        Lag-1 autocorrelation of the copula along the periods (0 for none).
    rng : numpy.random.Generator
    z : ndarray, optional
        Standard normal innovations of the shape of ``mu`` (correlated across teams by
        the caller).

    Returns
    -------
    ndarray of float, the shape of ``mu``
    """
    # NB2 where it differs from Poisson at all: with alpha * mu below 1e-9 the variance
    # factor 1 + alpha * mu is 1 to nine digits, and NB's p = r / (r + mu) rounds to 1.0
    # for alpha below ~1e-16 (scipy's quantile is then 0 for every u: all-zero paths)
    pos = alpha * np.maximum(mu, 1.0) > _MIN_NB_EXCESS
    if rho <= 0 and z is None:
        lam = mu
        if pos.any():
            shape = np.where(pos, 1.0 / np.where(pos, alpha, 1.0), 1.0)
            g = rng.gamma(shape, 1.0)
            lam = np.where(pos, mu * g / shape, mu)
        return rng.poisson(np.minimum(lam, _MAX_LAMBDA)).astype(float)
    e = rng.standard_normal(mu.shape) if z is None else z
    zt = np.empty_like(e, dtype=float)
    zt[..., 0] = e[..., 0]
    s = np.sqrt(1 - rho**2)
    for t in range(1, mu.shape[-1]):
        zt[..., t] = rho * zt[..., t - 1] + s * e[..., t]
    u = np.clip(special.ndtr(zt), 1e-12, 1 - 1e-12)
    out = np.empty_like(mu)
    if pos.any():
        r = 1.0 / alpha[pos]
        p = r / (r + mu[pos])
        out[pos] = stats.nbinom.ppf(u[pos], r, p)
    small = ~pos & (mu <= _NORMAL_POISSON)
    if small.any():
        out[small] = stats.poisson.ppf(u[small], mu[small])
    big = ~pos & ~small
    if big.any():
        # scipy's Poisson quantile searches from the mean and takes seconds per thousand
        # draws near 1e10; above 1e6 the Cornish-Fisher quantile (skewness 1/sqrt(mu))
        # is within one count of it (as unbiased)
        zb = zt[big]
        out[big] = np.maximum(np.rint(mu[big] + np.sqrt(mu[big]) * zb + (zb**2 - 1) / 6),
                              0.0)
    bad = ~np.isfinite(out)
    if bad.any():
        # scipy's quantile functions return NaN for some very large means (~1e10 calls);
        # there the count distribution is normal to any precision that matters
        sd = np.sqrt(mu[bad] + alpha[bad] * mu[bad] ** 2)
        out[bad] = np.maximum(np.rint(mu[bad] + sd * zt[bad]), 0.0)
    return out


def draw_coefficient_means(
    params: np.ndarray,
    cov: np.ndarray,
    designs: list[tuple[np.ndarray, np.ndarray]],
    w: np.ndarray,
    rng: np.random.Generator,
) -> list[np.ndarray]:
    """Mean paths of a log-linear model with coefficients drawn from a multivariate t.

    One coefficient draw per path, ``params + L z / sqrt(w)`` (``L`` the Cholesky factor
    of ``cov``, ``w`` each path's chi-square / df weight), shared by every design in
    ``designs`` (pairs of design matrix and log offset), so that paths of several teams
    of one pooled fit are jointly coherent.

    Returns
    -------
    list of ndarray of shape (n_paths, rows of each design)
    """
    k = len(params)
    try:
        chol = np.linalg.cholesky(cov + 1e-12 * np.eye(k))
    except np.linalg.LinAlgError:
        vals, vecs = np.linalg.eigh(cov)
        chol = vecs * np.sqrt(np.clip(vals, 0, None))
    z = rng.standard_normal((len(w), k))
    beta = params + (z @ chol.T) / np.sqrt(w)[:, None]
    return [np.exp(np.clip(beta @ X.T + offset, _MIN_LOG, _MAX_LOG)) for X, offset in designs]


def latent_ar_posterior(
    relative_residuals: np.ndarray,
    used: np.ndarray,
    mu: np.ndarray,
    alpha: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Posterior over latent AR(1) log-scale noise of a count series, on a grid.

    Model (as :mod:`impact.baselines.level_shift` uses for monthly series): the relative
    residuals ``r_t = (y_t - mu_t) / mu_t`` are a stationary AR(1) ``u_t`` with
    coefficient ``phi`` and variance ``f * alpha`` (the persistent share ``f`` of the NB2
    dispersion) plus independent count noise of variance ``1 / mu_t + (1 - f) * alpha``.
    The Gaussian likelihood of every grid point (``phi`` in :data:`LATENT_AR_PHIS`,
    ``f`` in :data:`LATENT_AR_SHARES`, and ``f = 0``: no latent noise) is computed by one
    scalar Kalman filter run for the whole grid at once, O(periods x grid), skipping
    periods that were not fitted; the prior puts half its mass on "no latent noise" and
    spreads the rest uniformly.

    Parameters
    ----------
    relative_residuals : ndarray
        ``(y - mu) / mu`` for every period (any value where not used).
    used : ndarray of bool
        Fitted periods (closed and excluded periods are skipped; the AR runs on).
    mu : ndarray
        Fitted means of every period (any positive value where not used).
    alpha : float
        NB2 dispersion of the fit.

    Returns
    -------
    (phi, f, weights)
        Grid points (the first is "none": ``phi = f = 0``) and their posterior weights.
    """
    phis = np.concatenate([[0.0], np.repeat(LATENT_AR_PHIS, len(LATENT_AR_SHARES))])
    fs = np.concatenate([[0.0], np.tile(LATENT_AR_SHARES, len(LATENT_AR_PHIS))])
    prior = np.concatenate([[0.5], np.full(len(phis) - 1, 0.5 / (len(phis) - 1))])
    if alpha <= 0 or used.sum() < 60:
        return phis[:1], fs[:1], np.ones(1)
    lv = fs * alpha  # latent (stationary) variance
    m = np.zeros(len(phis))
    p = lv.copy()
    loglik = np.zeros(len(phis))
    inv_mu = 1.0 / np.maximum(mu, 1e-9)
    for t in range(len(relative_residuals)):
        if used[t]:
            r_var = inv_mu[t] + (1 - fs) * alpha
            s_var = p + r_var
            err = relative_residuals[t] - m
            loglik -= 0.5 * (np.log(s_var) + err**2 / s_var)
            gain = p / s_var
            m = m + gain * err
            p = (1 - gain) * p
        m = phis * m
        p = phis**2 * p + lv * (1 - phis**2)
    logpost = loglik + np.log(prior)
    w = np.exp(logpost - logpost.max())
    return phis, fs, w / w.sum()


def latent_ar_paths(
    phi: np.ndarray, var: np.ndarray, positions: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Stationary AR(1) paths with coefficient ``phi`` and marginal variance ``var`` (one
    of each per path) at integer
    ``positions`` (gaps allowed), mean-corrected (``- var / 2``) so that ``exp`` of the
    path has mean 1; unconditional on the history (the stationary draw is the wider one).

    Returns
    -------
    ndarray of shape (len(var), len(positions))
    """
    m, h = len(var), len(positions)
    phi = np.broadcast_to(np.asarray(phi, dtype=float), (m,))
    # periods on the first axis: each step reads and writes one contiguous row
    e = rng.standard_normal((h, m))
    gaps = np.diff(np.asarray(positions, dtype=float))
    for t in range(1, h):
        a = phi if gaps[t - 1] == 1 else phi ** gaps[t - 1]
        e[t] *= np.sqrt(1 - a**2)
        e[t] += a * e[t - 1]
    v = np.asarray(var, dtype=float)
    return (e * np.sqrt(v) - v / 2).T


def team_correlation(
    residuals: pd.DataFrame, *, min_periods: int = MIN_COMMON_PERIODS
) -> tuple[np.ndarray | None, str]:
    """Correlation between teams of their residuals over the periods they share.

    Parameters
    ----------
    residuals : DataFrame
        One column per team (Pearson residuals of its baseline), NaN where a period was not
        fitted; rows with any NaN are dropped.
    min_periods : int, default MIN_COMMON_PERIODS
        Fewest common periods to estimate the correlation from.

    Returns
    -------
    (matrix, note)
        The correlation matrix (made positive definite: eigenvalues at least 1e-6, then
        rescaled to a unit diagonal), in column order, and a sentence stating it; or
        ``None`` and the reason it cannot be used (one team, too few common periods).
    """
    if residuals.shape[1] < 2:
        return None, "one team: no cross-team correlation"
    resid = residuals.dropna()
    if len(resid) < min_periods:
        return None, (
            f"teams simulated independently: {len(resid)} common fitted periods, fewer than "
            f"{min_periods}, to estimate their residual correlation"
        )
    r = np.corrcoef(resid.to_numpy().T)
    vals, vecs = np.linalg.eigh(r)
    r = (vecs * np.clip(vals, 1e-6, None)) @ vecs.T
    d = np.sqrt(np.diag(r))
    r = r / np.outer(d, d)
    off = r[~np.eye(len(r), dtype=bool)]
    return r, (
        f"team count noise is simulated with the cross-team correlation of the baseline "
        f"residuals over {len(resid)} common periods (mean pairwise r = {off.mean():+.2f}, "
        f"range {off.min():+.2f} to {off.max():+.2f})"
    )
