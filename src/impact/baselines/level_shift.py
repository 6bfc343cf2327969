"""NB2 baseline robust to unregistered level shifts, with latent AR(1) log-scale noise.

:func:`fit_count_glm_shifts` is what :func:`impact.baselines.fit.fit_baseline` runs for a
monthly ``negbin`` baseline with ``BaselineSpec(level_shifts="auto")`` (the default). It
returns a :class:`~impact.baselines.spec.BaselineFit` whose backend
(:class:`ShiftMixtureBackend`) implements the whole
:class:`~impact.baselines.spec.Backend` protocol, so every estimator uses it unchanged,
and whose ``level_shifts`` holds the detected shifts (:class:`LevelShift`).

Method
------
1. Break hypotheses (Bai & Perron 1998, 2003: a level shift is a structural change whose
   date is estimated by a scan over candidate dates, trimmed by :data:`MIN_SEGMENT`
   periods at either end): H0 (no unregistered shift), H1(m) for every candidate month
   m, and, for histories of at least :data:`TWO_BREAK_MIN_N` months, H2(m*, m2) given
   the most probable first date m* (the sequential procedure). Months within
   :data:`REGISTERED_GUARD` of a registered break (capacity, registration, pandemic) are
   no candidates, and the registered break is a column of every hypothesis: a
   registered break always wins over a detected one.
2. Every hypothesis is the NB2 design of :mod:`impact.baselines.glm` (trend, season,
   registered breaks, event terms, covariates, exposure offset, excluded periods left
   out) plus one step column per shift. All hypotheses of one size are fitted at once by
   a batched IRLS alternated with the degrees-of-freedom-corrected Pearson equation for
   alpha (as :func:`impact.baselines.glm.fit_negbin_glm` does for one model).
3. Weights: Bayesian model averaging with the BIC approximation of the marginal
   likelihood (Raftery 1995; Hoeting, Madigan, Raftery & Volinsky 1999),
   ``w_h ∝ prior_h exp(-BIC_h / 2)``; prior ``1 - PRIOR_SHIFT`` on H0 and
   ``PRIOR_SHIFT`` spread uniformly over the dates, which charges the scan for its
   multiplicity.
4. Latent AR(1) noise on the log scale (as ``simulate_counts(ar=, ar_sd=)``): on the
   relative residuals ``(y - mu) / mu`` of the most probable hypothesis a Gaussian
   likelihood with covariance ``diag(1 / mu + (1 - f) alpha) + f alpha R(rho)`` on a
   grid of (rho, f) (f = share of alpha that is persistent latent noise) plus "none"
   gives posterior weights (prior :data:`PRIOR_AR` on latent noise, spread over the
   grid). The coefficient covariance of each hypothesis is the
   sandwich ``A^-1 X'W Sigma W X A^-1`` with ``Sigma`` the posterior-mixture residual
   covariance (a HAC whose kernel is the fitted AR structure).
5. Simulation, per path: the hypothesis and the AR grid point by their weights, a
   chi-square ``w`` on the hypothesis's residual degrees of freedom, coefficients from
   the multivariate t, a stationary AR(1) latent path over the forecast periods and NB2
   count noise with the non-latent dispersion ``(1 - f) alpha / w``.

Measured in ``benchmarks/results/shifts.md`` (and the prototype's
``/work/proto/RESULTS.md``). Poisson and quasi-Poisson baselines are not scanned: the
Poisson likelihood ignores overdispersion, so its BIC scan would report spurious shifts
on every overdispersed series, and quasi-Poisson has no likelihood to weigh hypotheses
with. Weekly and daily series are not scanned either: the scan's memory and time grow
with the square of the length (about 1,100 candidate dates and a 1,100 x 1,100 residual
covariance per grid point for three years of days), its coverage was measured on monthly
series only, and at those resolutions the count GLM's latent AR(1) noise
(:mod:`impact.baselines.glm`) already widens the intervals for slow drifts; register
known shifts as events (capacity, registration) instead. To say when that is needed,
:func:`monthly_total_shifts` scans a weekly or daily series' monthly totals, and
``fit_baseline`` warns about each shift it finds there (a check, not a model: the
weekly or daily estimate does not change).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
from scipy import linalg, special

from impact._core.exceptions import FitError
from impact.baselines.design import (
    baseline_design_spec,
    design_frame,
    exposure_for,
    independent_columns,
)
from impact.baselines.glm import (
    NEGBIN_MAX_ITER,
    _GLMBackend,
    _pearson_alpha,
    fit_count_family,
)
from impact.baselines.noise import count_alpha, draw_counts
from impact.baselines.spec import BaselineFit, BaselineSpec
from impact.events.registry import EventRegistry

__all__ = [
    "AR_RHOS",
    "AR_SHARES",
    "MIN_SEGMENT",
    "PRIOR_AR",
    "PRIOR_SHIFT",
    "REGISTERED_GUARD",
    "REPORT_PROBABILITY",
    "MONTHLY_CHECK_MIN_MONTHS",
    "LevelShift",
    "ShiftMixtureBackend",
    "fit_count_glm_shifts",
    "monthly_total_shifts",
]

#: Least fitted periods on either side of a candidate shift (Bai-Perron trimming).
MIN_SEGMENT: int = 6
#: Histories this long (fitted periods) or longer also get two-shift hypotheses.
TWO_BREAK_MIN_N: int = 60
#: Two-shift hypotheses are scanned only when one shift has at least this probability.
TWO_BREAK_GATE: float = 0.2
#: Periods around a registered break that are no candidate dates.
REGISTERED_GUARD: int = 3
#: Prior probability of one (or more) unregistered shifts. 0.8, not the neutral 0.5: the
#: loss is asymmetric (leaving out a real shift biases the extrapolated trend; a spurious
#: one only widens the interval); 0.5 gave FPR 0.067 and a shifted-half bias of -2.1 pp
#: instead of -1.7 pp at 96 months (/work/proto/RESULTS.md).
PRIOR_SHIFT: float = 0.8
#: Share of the shift prior that goes to two-shift hypotheses (long histories only).
PRIOR_TWO_SHARE: float = 0.3
#: Prior probability of latent AR noise, spread over the grid below. 0.8, not the neutral
#: 0.5, for the reason PRIOR_SHIFT is: the loss is asymmetric (missing real persistent
#: noise makes intervals too narrow, a false claim; assuming it where there is none costs
#: 3-5% of width), and 36 residuals barely tell the two apart. Measured against 0.5 on
#: the shift suite (1,000 series per group, benchmarks/results/shifts.md): FPR 0.057 ->
#: 0.043 at 36 months with AR noise (0.066 at 3,000 series with 0.5), every coverage cell
#: 0.938-0.961 (was 0.926-0.952), power at 96 months 0.17/0.19 (was 0.17/0.21); on the
#: declared-break suite 24/24 groups in 0.93-0.97 (was 22/24).
PRIOR_AR: float = 0.8
#: Latent AR(1) coefficients of the grid.
AR_RHOS: tuple[float, ...] = (0.3, 0.6, 0.85)
#: Shares of the NB2 dispersion that are persistent latent noise, on the grid.
AR_SHARES: tuple[float, ...] = (0.15, 0.35, 0.6)
#: Hypotheses kept for simulation: the smallest set holding this posterior mass ...
KEEP_MASS: float = 0.995
#: ... and at most this many (renormalised).
MAX_HYPS: int = 25
#: A shift is reported (``level_shifts``, warnings) from this posterior probability of a
#: shift within REGISTERED_GUARD periods of its date: a report is a claim, so stricter
#: than the mixture (false reports on shift-free series: 9% at 36 months, 2% at 96).
REPORT_PROBABILITY: float = 0.8
_CLIP = (-30.0, 40.0)
#: A batched fit whose log means move more than this from its start is taken as diverged.
DIVERGED_LOG: float = 3.0
#: Smallest size (percent, absolute) of a shift that is reported: a "+0%" shift is no claim.
MIN_REPORT_PCT: float = 5.0


@dataclasses.dataclass(frozen=True)
class LevelShift:
    """A detected, unregistered level shift (posterior summary).

    Attributes
    ----------
    period : Period
        Most probable first period of the new level.
    size_pct : float
        Posterior mean size in percent over hypotheses with a shift within
        :data:`REGISTERED_GUARD` periods of ``period`` (overstated on average: a shift is
        reported when it is large enough to be found).
    probability : float
        Posterior probability of a shift within :data:`REGISTERED_GUARD` periods of
        ``period``.
    """

    period: pd.Period
    size_pct: float
    probability: float

    @property
    def text(self) -> str:
        """The warning sentence."""
        return (
            f"a level shift of {self.size_pct:+.0f}% around {self.period} is not explained by "
            f"a registered event (posterior probability {self.probability:.2f})"
        )


# --------------------------------------------------------------------------- batched NB2


def _nb_loglik(y: np.ndarray, mu: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """NB2 log-likelihood per hypothesis; ``mu`` (K, n), ``alpha`` (K,)."""
    r = 1.0 / np.maximum(alpha, 1e-10)[:, None]
    ll = (
        special.gammaln(y + r) - special.gammaln(r) - special.gammaln(y + 1)
        + r * np.log(r / (r + mu)) + y * np.log(mu / (r + mu))
    )
    return ll.sum(axis=1)


def _pearson_alpha_batch(y: np.ndarray, mu: np.ndarray, dof: np.ndarray) -> np.ndarray:
    """Root of ``sum((y - mu)^2 / (mu (1 + a mu))) = dof`` for every row, ``a >= 0``.

    Newton from 0 (the function is convex and decreasing, so the iterates rise
    monotonically to the root); 0 where the data are underdispersed."""
    r2 = (y - mu) ** 2
    a = np.zeros(mu.shape[0])
    for _ in range(40):
        d = 1.0 + a[:, None] * mu
        f = np.sum(r2 / (mu * d), axis=1) - dof
        fp = -np.sum(r2 / d**2, axis=1)
        step = np.where(f > 0, -f / np.minimum(fp, -1e-300), 0.0)
        a = a + step
        if np.all(np.abs(step) <= 1e-9 * (1 + a)):
            break
    return np.maximum(a, 0.0)


def _irls(X: np.ndarray, y: np.ndarray, off: np.ndarray, beta: np.ndarray,
          alpha: np.ndarray, iters: int) -> np.ndarray:
    """Batched IRLS steps for a log-link NB2 at fixed alpha; X (K, n, q), beta (K, q)."""
    ridge = 1e-10 * np.eye(X.shape[2])
    Xt = np.swapaxes(X, 1, 2)
    for _ in range(iters):
        eta = (X @ beta[:, :, None])[:, :, 0] + off
        mu = np.exp(np.clip(eta, *_CLIP))
        w = mu / (1.0 + alpha[:, None] * mu)
        z = eta - off + (y - mu) / mu
        XtW = Xt * w[:, None, :]
        beta = np.linalg.solve(XtW @ X + ridge, XtW @ z[:, :, None])[:, :, 0]
    return beta


def _fit_batch(X: np.ndarray, y: np.ndarray, off: np.ndarray, beta0: np.ndarray,
               alpha0: np.ndarray, schedule: tuple[int, ...] = (1, 1)) -> dict[str, Any]:
    """NB2 GLMs with Pearson alpha for a batch of designs of one width: IRLS at fixed
    alpha alternated with the Pearson equation (``schedule``: IRLS steps per round).

    Started from the H0 fit, (1, 1) plus a final step gives log-likelihoods within 0.003
    of full convergence (checked against (10,) * 5 on the prototype's series)."""
    K, n, q = X.shape
    dof = np.full(K, n - q, dtype=float)
    beta, alpha = beta0, alpha0
    for it in schedule:
        beta = _irls(X, y, off, beta, alpha, it)
        mu = np.exp(np.clip((X @ beta[:, :, None])[:, :, 0] + off, *_CLIP))
        alpha = _pearson_alpha_batch(y, mu, dof)
    beta = _irls(X, y, off, beta, alpha, 1)
    eta = (X @ beta[:, :, None])[:, :, 0] + off
    mu = np.exp(np.clip(eta, *_CLIP))
    ll = _nb_loglik(y, mu, alpha)
    # a hypothesis whose few IRLS steps ran away from the start (an extreme outlier can do
    # that) is dropped rather than trusted: its fitted means leave the start's by more
    # than a factor of e^DIVERGED_LOG somewhere
    start = (X @ beta0[:, :, None])[:, :, 0] + off
    bad = ~np.all(np.isfinite(eta), axis=1) | (np.max(np.abs(eta - start), axis=1)
                                                > DIVERGED_LOG)
    ll = np.where(bad | ~np.isfinite(ll), -np.inf, ll)
    return {"beta": beta, "alpha": alpha, "ll": ll, "dof": dof, "q": q}


# --------------------------------------------------------------------------- H0 fit

_EPS = np.finfo(float).eps


def _glm_irls(X: np.ndarray, y: np.ndarray, off: np.ndarray, alpha: float | None,
              start: np.ndarray | None) -> tuple[np.ndarray, np.ndarray] | None:
    """statsmodels' ``GLM(y, X, family, offset=off).fit(start_params=start)`` for the
    Poisson (``alpha`` None) or NB2 family with its log link, step for step: the same
    start (``(y + mean(y)) / 2`` without ``start``), IRLS by ``lstsq`` on the weighted
    design, the same stop (deviance change at most 1e-8, at most 100 steps) and the final
    ``pinv`` solve at the last weights; without statsmodels' model and results objects,
    whose construction cost more than the fit. Returns (params, mu), or None where
    statsmodels would raise or not converge (non-finite values, 100 steps): the caller
    then runs statsmodels itself."""
    def deviance(mu: np.ndarray) -> float:
        d = y * np.log(np.clip(y / mu, _EPS, None))
        if alpha is None:
            d = d - (y - mu)
        else:
            ya, ma = y + 1 / alpha, mu + 1 / alpha
            d = d - ya * np.log(ya / ma)
        return float(np.sum(2 * d))

    if start is None:
        mu = (y + y.mean()) / 2.0
        lin = np.log(np.clip(mu, _EPS, None))
    else:
        lin = X @ start + off
        mu = np.exp(lin)
    dev = deviance(mu)
    if not np.isfinite(dev):
        return None
    for _ in range(100):
        inv = 1.0 / np.clip(mu, _EPS, None)  # the log link's derivative
        var = mu if alpha is None else mu + alpha * mu**2
        sw = np.sqrt(1.0 / (inv**2 * var))
        wz = sw * (lin + inv * (y - mu) - off)
        wX = X * sw[:, None]
        if not (np.all(np.isfinite(sw)) and np.all(np.isfinite(wz))):
            return None
        params = np.linalg.lstsq(wX, wz, rcond=-1)[0]
        lin = X @ params + off
        mu = np.exp(lin)
        new = deviance(mu)
        done = abs(new - dev) <= 1e-8
        dev = new
        if done:
            params = np.linalg.pinv(wX) @ wz
            mu = np.exp(X @ params + off)
            return (params, mu) if np.all(np.isfinite(mu)) else None
    return None


def _fit_h0(y: np.ndarray, X: np.ndarray, off: np.ndarray) -> tuple[np.ndarray, float]:
    """H0: ``fit_count_family("negbin", ...)`` (a Poisson fit, then the NB2 GLM alternated
    with the Pearson alpha until alpha moves by at most 1e-7 (1 + alpha)), by
    :func:`_glm_irls`; by statsmodels itself where that gives up. Returns (params, alpha)."""
    dof = X.shape[0] - X.shape[1]
    fit = _glm_irls(X, y, off, None, None)
    if fit is not None:
        params, mu = fit
        alpha = _pearson_alpha(y, mu, dof)
        for _ in range(NEGBIN_MAX_ITER):
            if alpha <= 0:  # no overdispersion: the last fit (statsmodels' too)
                return params, 0.0
            nb = _glm_irls(X, y, off, alpha, params)
            if nb is None:
                break
            params, mu = nb
            new = _pearson_alpha(y, mu, dof)
            done = abs(new - alpha) <= 1e-7 * (1 + alpha)
            alpha = new
            if done:
                return params, float(alpha)
    res, alpha, _, _ = fit_count_family("negbin", y, X, off, dof)
    return np.asarray(res.params, dtype=float), float(alpha)


# --------------------------------------------------------------------------- latent AR


def _ar_posterior(y: np.ndarray, mu: np.ndarray, alpha: float, pos: np.ndarray
                  ) -> tuple[list[tuple[float, float]], np.ndarray]:
    """Posterior over the (rho, share) grid of latent AR(1) noise, 'none' first.

    ``pos`` are the time positions of the fitted periods (gaps left by excluded periods
    are respected in the AR correlation). The Gaussian log-likelihood of every grid point
    from one stacked Cholesky factorisation of the covariances (one grid point at a time
    only when one of them is not positive definite)."""
    r = (y - mu) / mu
    grid = [(0.0, 0.0)] + [(rho, f) for rho in AR_RHOS for f in AR_SHARES]
    prior = np.array([1 - PRIOR_AR] + [PRIOR_AR / (len(grid) - 1)] * (len(grid) - 1))
    lag = np.abs(pos[:, None] - pos[None, :])
    corr = {rho: rho**lag for rho in {rho for rho, _ in grid}}
    S = np.stack([f * alpha * corr[rho] for rho, f in grid])
    diag = np.arange(len(pos))
    S[:, diag, diag] += np.array([1.0 / mu + (1 - f) * alpha for _, f in grid])
    ll = np.full(len(grid), -np.inf)
    try:
        L = np.linalg.cholesky(S)
        ok = range(len(grid))
    except np.linalg.LinAlgError:
        L, ok = np.zeros_like(S), []
        for g in range(len(grid)):
            try:
                L[g] = np.linalg.cholesky(S[g])
                ok.append(g)
            except np.linalg.LinAlgError:
                continue
    for g in ok:
        u = linalg.solve_triangular(L[g], r, lower=True, check_finite=False)
        ll[g] = -0.5 * (u @ u) - np.log(np.diag(L[g])).sum()
    lw = np.log(prior) + ll
    w = np.exp(lw - lw.max())
    return grid, w / w.sum()


def _ar_paths(rho: np.ndarray, v: np.ndarray, hpos: np.ndarray,
              rng: np.random.Generator) -> np.ndarray:
    """Stationary AR(1) paths with marginal variance ``v`` (per path) at positions
    ``hpos``; unconditional on the history (the latent state at its end is barely
    identified from one series, and the stationary draw is the wider one)."""
    m, H = len(v), len(hpos)
    z = rng.standard_normal((m, H))
    e = np.empty((m, H))
    e[:, 0] = z[:, 0]
    for t in range(1, H):
        r = rho ** (hpos[t] - hpos[t - 1])
        e[:, t] = r * e[:, t - 1] + np.sqrt(1 - r**2) * z[:, t]
    return e * np.sqrt(v)[:, None]


# --------------------------------------------------------------------------- backend


@dataclasses.dataclass
class _Hyp:
    """One break hypothesis: shift dates, NB2 fit and the pieces of its sandwich."""

    breaks: tuple[pd.Period, ...]
    params: np.ndarray
    alpha: float
    dof: int
    weight: float
    bread: np.ndarray  # (X'WX)^-1 at the fit
    wx: np.ndarray  # W X on the fitted rows
    inv_mu: np.ndarray  # 1 / mu on the fitted rows


@dataclasses.dataclass
class ShiftMixtureBackend:
    """Mixture over break hypotheses and latent-AR grid points (see the module docstring).

    ``simulate_means`` returns, as each path's weight, ``dispersion / alpha_path`` with
    ``alpha_path`` the path's NB2 count-noise dispersion (its hypothesis's alpha, minus
    the latent share, over its chi-square draw), so that ``draw_counts`` uses
    ``dispersion / weight`` exactly as the single count GLM does.
    """

    base: _GLMBackend  # design recipe only (its params are unused)
    hyps: list[_Hyp]
    ar_grid: list[tuple[float, float]]
    ar_weights: np.ndarray
    pos: np.ndarray  # time positions of the fitted history rows
    origin: pd.Period
    dispersion: float
    #: in-sample means of the most probable hypothesis (for the outlier check)
    modal_fitted: pd.Series | None = None
    #: in-sample means and alpha of the no-shift fit H0 (for the outlier check: an
    #: outlier can pull the most probable hypothesis to a spurious shift next to it)
    h0_fitted: pd.Series | None = None
    h0_alpha: float = 0.0
    #: leverages (hat-matrix diagonals) of the fitted periods under the most probable
    #: hypothesis and under H0, NaN on excluded periods (outlier check: a month with its
    #: own month-of-year effect estimated from three years pulls its fit towards itself)
    modal_leverage: pd.Series | None = None
    h0_leverage: pd.Series | None = None
    _cache: dict = dataclasses.field(default_factory=dict, repr=False)

    def _designs(self, periods: pd.PeriodIndex) -> tuple[np.ndarray, np.ndarray]:
        """Designs of every hypothesis over ``periods``, stacked and zero-padded to the
        widest (shape (hypotheses, periods, columns); a padded column meets a padded, zero
        coefficient), and the log offset. Cached per (first period, length)."""
        key = ("X", int(periods.asi8[0]), len(periods))
        if key not in self._cache:
            self._store_designs(periods, *self.base.design(periods))
        return self._cache[key]

    def _store_designs(self, periods: pd.PeriodIndex, X0: np.ndarray, off: np.ndarray
                       ) -> None:
        """Cache the hypotheses' designs over ``periods`` from the base design ``X0`` and
        offset (the fit passes the ones it built for the history)."""
        ords = periods.asi8
        q0 = X0.shape[1]
        Xs = np.zeros((len(self.hyps), len(ords), q0 + self._max_breaks))
        Xs[:, :, :q0] = X0
        for k, h in enumerate(self.hyps):
            for j, b in enumerate(h.breaks):
                Xs[k, :, q0 + j] = ords >= b.ordinal
        self._cache[("X", int(ords[0]), len(ords))] = Xs, off

    @property
    def _max_breaks(self) -> int:
        return max(len(h.breaks) for h in self.hyps)

    def _params(self) -> np.ndarray:
        """Coefficients of every hypothesis, zero-padded like :meth:`_designs`."""
        if "P" not in self._cache:
            q = max(len(h.params) for h in self.hyps)
            P = np.zeros((len(self.hyps), q))
            for k, h in enumerate(self.hyps):
                P[k, :len(h.params)] = h.params
            self._cache["P"] = P
        return self._cache["P"]

    def _log_means(self, periods: pd.PeriodIndex) -> np.ndarray:
        """Log means of every hypothesis at its estimate, shape (hypotheses, periods)."""
        Xs, off = self._designs(periods)
        return np.einsum("htq,hq->ht", Xs, self._params()) + off

    def mean(self, periods: pd.PeriodIndex) -> np.ndarray:
        hw = np.array([h.weight for h in self.hyps])
        return hw @ np.exp(np.clip(self._log_means(periods), *_CLIP))

    def _cov(self, hi: int) -> np.ndarray:
        """Sandwich covariance of hypothesis ``hi`` (see :meth:`_covs`)."""
        return self._covs()[hi]

    def _covs(self) -> list[np.ndarray]:
        """Sandwich covariances of all hypotheses under the posterior-mixture residual
        covariance (AR grid points weighted by their posterior probability):
        ``A^-1 (X'W diag(1 / mu + (1 - f_bar) alpha) W X + alpha X'W R W X) A^-1``.
        Computed once for all, batched over the hypotheses of each width."""
        if "cov" not in self._cache:
            f_bar = float(sum(wg * f for wg, (_, f) in zip(self.ar_weights, self.ar_grid,
                                                          strict=True)))
            lag = np.abs(self.pos[:, None] - self.pos[None, :])
            R = np.zeros_like(lag)
            corr: dict[float, np.ndarray] = {}  # rho**lag once per coefficient
            for wg, (rho, f) in zip(self.ar_weights, self.ar_grid, strict=True):
                if f > 0 and wg > 1e-4:
                    if rho not in corr:
                        corr[rho] = rho**lag
                    R += wg * f * corr[rho]
            covs: list[np.ndarray] = [np.empty(0)] * len(self.hyps)
            for idx in _by_width([len(h.params) for h in self.hyps]):
                wx = np.stack([self.hyps[k].wx for k in idx])
                alpha = np.array([self.hyps[k].alpha for k in idx])
                d = np.stack([self.hyps[k].inv_mu for k in idx]) + (1 - f_bar) * alpha[:, None]
                wxt = np.swapaxes(wx, 1, 2)
                meat = (wxt * d[:, None, :]) @ wx
                if R.any():
                    meat = meat + alpha[:, None, None] * (wxt @ (R @ wx))
                bread = np.stack([self.hyps[k].bread for k in idx])
                cov = bread @ meat @ bread
                cov = 0.5 * (cov + np.swapaxes(cov, 1, 2))
                for j, k in enumerate(idx):
                    covs[k] = cov[j]
            self._cache["cov"] = covs
        return self._cache["cov"]

    def _factors(self) -> np.ndarray:
        """Cholesky factors of every hypothesis's covariance (as
        :func:`impact.baselines.noise.draw_coefficient_means` takes them: of ``cov + 1e-12
        I``, or the scaled eigenvectors where that fails), zero-padded to the widest."""
        if "L" not in self._cache:
            covs = self._covs()
            q = max(len(c) for c in covs)
            L = np.zeros((len(covs), q, q))
            for idx in _by_width([len(c) for c in covs]):
                k = len(covs[idx[0]])
                C = np.stack([covs[i] for i in idx]) + 1e-12 * np.eye(k)
                try:
                    L[idx, :k, :k] = np.linalg.cholesky(C)
                except np.linalg.LinAlgError:
                    for i in idx:
                        try:
                            L[i, :k, :k] = np.linalg.cholesky(covs[i] + 1e-12 * np.eye(k))
                        except np.linalg.LinAlgError:
                            vals, vecs = np.linalg.eigh(covs[i])
                            L[i, :k, :k] = vecs * np.sqrt(np.clip(vals, 0, None))
            self._cache["L"] = L
        return self._cache["L"]

    def simulate_means(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Mean paths (hypothesis, coefficients and latent AR drawn per path) and each
        path's weight ``dispersion / alpha_path`` (see the class docstring).

        All paths at once: each path's chi-square weight on its hypothesis's residual
        degrees of freedom, its coefficients ``params + L z / sqrt(w)`` (as
        :func:`impact.baselines.noise.draw_coefficient_means` draws them) entering the log
        mean through ``X L`` of its hypothesis (designs and factors zero-padded to the
        widest hypothesis), and its latent AR(1) path."""
        hw = np.array([h.weight for h in self.hyps])
        hyp_idx = rng.choice(len(self.hyps), size=n_paths, p=hw / hw.sum())
        ar_idx = rng.choice(len(self.ar_grid), size=n_paths, p=self.ar_weights)
        rho_g = np.array([g[0] for g in self.ar_grid])
        f_g = np.array([g[1] for g in self.ar_grid])
        hpos = np.asarray(periods.asi8 - self.origin.ordinal, dtype=float)
        dof = np.array([max(h.dof, 1) for h in self.hyps], dtype=float)[hyp_idx]
        alpha_h = np.array([h.alpha for h in self.hyps])[hyp_idx]
        w = rng.chisquare(dof) / dof
        Xs, off = self._designs(periods)
        XL = Xs @ self._factors()  # (hypotheses, periods, columns)
        z = rng.standard_normal((n_paths, XL.shape[2]))
        log_means = self._log_means(periods)
        eta = np.empty((n_paths, len(periods)))
        # per hypothesis, not XL[hyp_idx] (paths x periods x columns: 400 MB for 100,000
        # paths over 36 months); the same numbers
        for k in np.unique(hyp_idx):
            sel = hyp_idx == k
            eta[sel] = log_means[k] + (z[sel] @ XL[k].T) / np.sqrt(w[sel])[:, None]
        m = np.exp(np.clip(eta, *_CLIP))
        f = f_g[ar_idx]
        v = f * alpha_h / w  # marginal latent variance of each path
        latent = _ar_paths(rho_g[ar_idx], v, hpos, rng) - v[:, None] / 2
        alpha_path = (1 - f) * alpha_h / w
        return m * np.exp(latent), self.dispersion / np.maximum(alpha_path,
                                                                1e-12 * self.dispersion)

    def draw_counts(
        self,
        means: np.ndarray,
        weights: np.ndarray,
        rng: np.random.Generator,
        z: np.ndarray | None = None,
    ) -> np.ndarray:
        """NB2 counts with each path's dispersion ``dispersion / weight``; no copula (the
        latent AR of the means carries the autocorrelation), ``z`` drives the noise."""
        alpha = count_alpha("negbin", means, self.dispersion / weights)
        return draw_counts(means, alpha, 0.0, rng, z)

    def simulate(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> np.ndarray:
        mu, w = self.simulate_means(periods, n_paths, rng)
        return self.draw_counts(mu, w, rng)


# --------------------------------------------------------------------------- fit


def _independent(X: pd.DataFrame) -> tuple[list[str], list[str]]:
    """:func:`impact.baselines.design.independent_columns`, with a fast path: when no
    column but ``const`` is constant and the design has full column rank, all stay."""
    A = X.to_numpy(float)
    varies = np.ptp(A, axis=0) >= 1e-12
    if "const" in X.columns:
        varies[list(X.columns).index("const")] = True
    if varies.all() and np.linalg.matrix_rank(A) == A.shape[1]:
        return list(X.columns), []
    return independent_columns(X)


#: Largest condition number of a hypothesis' information matrix that is still inverted.
_MAX_CONDITION = 1e10


def _new_steps(X0: np.ndarray, pos: np.ndarray, cand: list[int]) -> list[int]:
    """The candidate positions whose level step is not in the column space of ``X0`` on
    the fitted rows (a step that is, e.g. one spanned by event or break terms around
    excluded months, cannot be told from the model without it). One QR of ``X0`` serves
    every candidate: a step is new when its residual after projection is not ~0."""
    if not cand:
        return []
    q, r = np.linalg.qr(X0)
    q = q[:, np.abs(np.diag(r)) > 1e-10 * max(1.0, float(np.abs(r).max()))]
    S = (pos[None, :] >= np.array(cand)[:, None]).astype(float)  # one step per row
    resid = S - (S @ q) @ q.T
    norm = np.linalg.norm(resid, axis=1) / np.maximum(np.linalg.norm(S, axis=1), 1e-300)
    return [m for m, v in zip(cand, norm, strict=True) if v > 1e-6]


def _bread(X: np.ndarray, wts: np.ndarray) -> np.ndarray | None:
    """Inverse of the weighted information ``X' W X``, or None when it is singular or so
    ill-conditioned that its inverse (and every interval drawn from it) would be noise
    (one design; :func:`_breads` for a stack)."""
    return _breads(X[None], wts[None])[0]


def _breads(X: np.ndarray, wts: np.ndarray) -> list[np.ndarray | None]:
    """:func:`_bread` for a stack of designs of one width, X (K, n, q) and wts (K, n):
    the information matrices, their condition numbers and inverses in stacked calls."""
    info = (np.swapaxes(X, 1, 2) * wts[:, None, :]) @ X
    d = np.sqrt(np.clip(np.diagonal(info, axis1=1, axis2=2), 1e-300, None))
    scaled = info / (d[:, :, None] * d[:, None, :])  # equilibrated: the design's condition
    finite = np.all(np.isfinite(scaled), axis=(1, 2))
    cond = np.full(len(X), np.inf)
    if finite.any():
        cond[finite] = np.linalg.cond(scaled[finite])
    good = np.flatnonzero(finite & (cond <= _MAX_CONDITION))
    out: list[np.ndarray | None] = [None] * len(X)
    if not len(good):
        return out
    try:
        inv = list(np.linalg.inv(info[good]))
    except np.linalg.LinAlgError:  # one singular matrix fails the stack: one at a time
        inv = []
        for k in good:
            try:
                inv.append(np.linalg.inv(info[k]))
            except np.linalg.LinAlgError:
                inv.append(None)
    for k, b in zip(good, inv, strict=True):
        out[k] = b if b is not None and np.all(np.isfinite(b)) else None
    return out


def _by_width(widths: list[int]) -> list[np.ndarray]:
    """Indices of the items of each width (in order of first appearance), for batching
    the linear algebra over hypotheses with the same number of shift columns."""
    w = np.asarray(widths)
    return [np.flatnonzero(w == v) for v in dict.fromkeys(widths)]


def _candidates(n: int, pos: np.ndarray, blocked: set[int]) -> list[int]:
    """Candidate first periods of a new level (positions in the history) with at least
    MIN_SEGMENT fitted periods before and after."""
    m = np.arange(n)
    before = np.searchsorted(pos, m, side="left")
    ok = (before >= MIN_SEGMENT) & (len(pos) - before >= MIN_SEGMENT)
    return [int(v) for v in m[ok] if int(v) not in blocked]


def _scan(X0: np.ndarray, y: np.ndarray, off: np.ndarray, pos: np.ndarray,
          cand: list[int]) -> list[tuple[tuple[int, ...], dict, int, float]]:
    """Fit H0, every H1 and (long histories) the sequential H2; each hypothesis as
    (shift positions, batch result, row in the batch, log prior)."""
    nu, q0 = X0.shape
    # H0 by the project's NB2 fit (statsmodels' IRLS alternated with the Pearson alpha to
    # convergence, reproduced step for step by _fit_h0); the batches start from it
    b0, alpha0 = _fit_h0(y, X0, off)
    mu0 = np.exp(np.clip(X0 @ b0 + off, *_CLIP))
    h0 = {"beta": b0[None], "alpha": np.array([alpha0]), "dof": np.array([nu - q0], float),
          "ll": _nb_loglik(y, mu0[None], np.array([alpha0])), "q": q0}
    fits = [((), h0, 0, float(np.log(1 - PRIOR_SHIFT)))]
    if not cand:
        return fits
    logn = np.log(nu)
    K = len(cand)
    S = (pos[None, :] >= np.array(cand)[:, None]).astype(float)
    X1 = np.concatenate([np.broadcast_to(X0, (K, nu, q0)), S[:, :, None]], axis=2)
    beta1 = np.concatenate([np.repeat(h0["beta"], K, 0), np.zeros((K, 1))], 1)
    f1 = _fit_batch(X1, y, off, beta1, np.repeat(h0["alpha"], K))
    two = nu >= TWO_BREAK_MIN_N
    p1 = PRIOR_SHIFT * (1 - PRIOR_TWO_SHARE if two else 1.0) / K
    fits += [((m,), f1, i, float(np.log(p1))) for i, m in enumerate(cand)]
    lw1 = f1["ll"] - 0.5 * f1["q"] * logn + np.log(p1)
    lw0 = h0["ll"][0] - 0.5 * h0["q"] * logn + np.log(1 - PRIOR_SHIFT)
    top = max(lw0, lw1.max())
    p_one = np.exp(lw1 - top).sum() / (np.exp(lw1 - top).sum() + np.exp(lw0 - top))
    if not (two and p_one >= TWO_BREAK_GATE):
        return fits
    # Bai-Perron sequential step: a second shift given the most probable first one; the
    # prior per pair is that of the full pair grid (same multiplicity charge)
    i1 = int(np.argmax(lw1))
    m1 = cand[i1]
    c = np.array(cand)
    n_pairs = int(np.sum((c[None, :] - c[:, None]) >= MIN_SEGMENT))
    lo, hi = np.minimum(c, m1), np.maximum(c, m1)
    between = np.searchsorted(pos, hi) - np.searchsorted(pos, lo)
    seconds = c[(np.abs(c - m1) >= MIN_SEGMENT) & (between >= MIN_SEGMENT)]
    if not len(seconds) or not n_pairs:
        return fits
    P = np.sort(np.column_stack([np.full(len(seconds), m1), seconds]), axis=1)
    S2 = np.stack([pos[None, :] >= P[:, 0:1], pos[None, :] >= P[:, 1:2]], axis=2)
    X2 = np.concatenate([np.broadcast_to(X0, (len(P), nu, q0)), S2.astype(float)], axis=2)
    b1 = f1["beta"][i1]
    beta2 = np.repeat(np.concatenate([b1[:q0], [0.0, 0.0]])[None], len(P), 0)
    first = P[:, 0] == m1
    beta2[first, q0] = b1[q0]
    beta2[~first, q0 + 1] = b1[q0]
    f2 = _fit_batch(X2, y, off, beta2, np.repeat(f1["alpha"][i1], len(P)))
    p2 = PRIOR_SHIFT * PRIOR_TWO_SHARE / n_pairs
    return fits + [((int(a), int(b)), f2, i, float(np.log(p2))) for i, (a, b) in enumerate(P)]


def fit_count_glm_shifts(
    series: pd.Series,
    spec: BaselineSpec,
    *,
    breaks: EventRegistry | None,
    terms: EventRegistry | None,
    exposure: pd.Series | None,
    covariates: pd.DataFrame | None,
    exclude: np.ndarray,
    shape_overrides: dict[str, str] | None,
) -> BaselineFit:
    """Fit the NB2 baseline averaged over unregistered level-shift hypotheses, with
    latent AR(1) noise when ``spec.ar_noise`` (called by ``fit_baseline``).

    The arguments are those of :func:`impact.baselines.glm.fit_count_glm` (a validated
    monthly series, ``exclude`` a boolean array, ``breaks`` already filtered by
    ``spec.use_breaks``).

    Raises
    ------
    FitError
        With fewer than six residual degrees of freedom.
    """
    idx = series.index
    n = len(idx)
    design_spec = baseline_design_spec(spec, idx)
    X_all = design_frame(idx, design_spec, breaks, terms, covariates, shape_overrides)
    off_all = np.log(exposure_for(idx, spec.exposure, exposure))
    used = ~exclude
    keep, dropped = _independent(X_all.loc[used])
    X0 = X_all.loc[used, keep].to_numpy(float)
    y = series.to_numpy(float)[used]
    off = off_all[used]
    pos = np.flatnonzero(used).astype(float)
    nu, q0 = X0.shape
    if nu - q0 < 6:
        raise FitError(
            f"baseline {spec.label}: {nu} usable periods for {q0} parameters; need at least "
            f"{q0 + 6}. Use a longer pre-period, fewer terms (seasonality='fourier'), or "
            "trend='none'."
        )
    notes: list[str] = []
    if dropped:
        notes.append(
            "terms without variation or collinear in the fitted history were dropped: "
            + ", ".join(dropped)
            + " (a break before the history or after it cannot be estimated from it)"
        )
    blocked: set[int] = set()
    for e in breaks or ():
        d = int(e.start.to_period(idx.freq).ordinal - idx[0].ordinal)
        blocked |= set(range(d - REGISTERED_GUARD, d + REGISTERED_GUARD + 1))
    cand = _new_steps(X0, pos, _candidates(n, pos, blocked))
    fits = _scan(X0, y, off, pos, cand)

    logn = np.log(nu)
    lw = np.array([lp + f["ll"][i] - 0.5 * f["q"] * logn for _, f, i, lp in fits])
    w = np.exp(lw - lw.max())
    w /= w.sum()
    order = np.argsort(-w, kind="stable")
    kept = order[:min(int(np.searchsorted(np.cumsum(w[order]), KEEP_MASS) + 1), MAX_HYPS)]
    wk = w[kept] / w[kept].sum()
    # the sandwich pieces of the kept hypotheses, batched over those of equal width
    Xk = [np.column_stack([X0, *[(pos >= m).astype(float) for m in fits[i][0]]])
          if fits[i][0] else X0 for i in kept]
    pieces: dict[int, tuple[np.ndarray | None, np.ndarray, np.ndarray]] = {}
    for grp in _by_width([X.shape[1] for X in Xk]):
        X = np.stack([Xk[j] for j in grp])
        beta = np.stack([fits[kept[j]][1]["beta"][fits[kept[j]][2]] for j in grp])
        a = np.array([fits[kept[j]][1]["alpha"][fits[kept[j]][2]] for j in grp])
        mu = np.exp(np.clip((X @ beta[:, :, None])[:, :, 0] + off, *_CLIP))
        wts = 1.0 / (1.0 / mu + a[:, None])  # log-link GLM weights mu^2 / var
        breads = _breads(X, wts)
        wx = X * wts[:, :, None]
        for g, j in enumerate(grp):
            pieces[int(j)] = breads[g], wx[g], 1.0 / mu[g]
    hyps: list[_Hyp] = []
    for j, i in enumerate(kept):
        brks, f, row, _ = fits[i]
        bread, wx, inv_mu = pieces[j]
        if bread is None:
            # a step (or pair of steps) collinear with the design on the used periods (e.g.
            # next to excluded months) is not a distinct hypothesis: its covariance would
            # be numerical noise (paths at the clip bounds); leave it out, renormalise
            continue
        hyps.append(_Hyp(
            breaks=tuple(idx[m] for m in brks), params=f["beta"][row],
            alpha=float(f["alpha"][row]), dof=int(f["dof"][row]), weight=float(wk[j]),
            bread=bread, wx=wx, inv_mu=inv_mu,
        ))
    if not hyps:
        raise FitError(
            "baseline negbin with level_shifts='auto': no break hypothesis has an "
            "invertible design on the fitted periods; use level_shifts='off'."
        )
    total_weight = sum(h.weight for h in hyps)
    hyps = [dataclasses.replace(h, weight=h.weight / total_weight) for h in hyps]
    best = hyps[0]
    Xb = np.column_stack([X0, *[(idx[used].asi8 >= b.ordinal).astype(float)
                                for b in best.breaks]]) if best.breaks else X0
    mu_best = np.exp(np.clip(Xb @ best.params + off, *_CLIP))
    if spec.ar_noise:
        ar_grid, ar_w = _ar_posterior(y, mu_best, best.alpha, pos)
    else:
        ar_grid, ar_w = [(0.0, 0.0)], np.ones(1)
    base = _GLMBackend(
        family="negbin", design_spec=design_spec, columns=keep, params=np.zeros(q0),
        cov=np.eye(q0), dispersion=best.alpha, df_resid=best.dof, rho=0.0,
        exposure_kind=spec.exposure, exposure_series=exposure, breaks=breaks, terms=terms,
        covariates=covariates, shape_overrides=shape_overrides)
    backend = ShiftMixtureBackend(
        base=base, hyps=hyps, ar_grid=ar_grid, ar_weights=ar_w, pos=pos, origin=idx[0],
        dispersion=max(best.alpha, 1e-8))
    X_full = X_all[keep].to_numpy(float)
    backend._store_designs(idx, X_full, off_all)
    backend.modal_fitted = pd.Series(np.exp(np.clip(backend._log_means(idx)[0], *_CLIP)),
                                     index=idx, name="expected")
    h0 = fits[0][1]  # the scan's first entry is H0
    backend.h0_fitted = pd.Series(
        np.exp(np.clip(X_full @ h0["beta"][0] + off_all, *_CLIP)),
        index=idx, name="expected")
    backend.h0_alpha = float(h0["alpha"][0])
    w_best = 1.0 / (best.inv_mu + best.alpha)
    mu0 = np.exp(np.clip(X0 @ h0["beta"][0] + off, *_CLIP))
    w0 = 1.0 / (1.0 / mu0 + backend.h0_alpha)
    bread0 = _bread(X0, w0)
    for name, lev in (
        ("modal_leverage", np.einsum("ij,jk,ik->i", best.wx, best.bread, best.wx) / w_best),
        ("h0_leverage", None if bread0 is None
         else np.einsum("ij,jk,ik->i", X0, bread0, X0) * w0),
    ):
        full = np.full(n, np.nan)
        if lev is not None:
            full[used] = np.clip(lev, 0.0, 1.0)
        setattr(backend, name, pd.Series(full, index=idx, name="leverage"))
    shifts = _summarise_shifts(hyps, idx)
    notes.extend(s.text for s in shifts)
    p_shift = sum(h.weight for h in hyps if h.breaks)
    p_ar = float(1 - ar_w[0])
    # lag-1 autocorrelation of the relative residuals implied by the latent AR posterior
    scale = best.alpha / (float(np.mean(1.0 / mu_best)) + best.alpha)
    rho_implied = float(scale * sum(wg * rho * f for wg, (rho, f) in zip(ar_w, ar_grid,
                                                                        strict=True)))
    ar_text = (
        f"latent AR(1) log-scale noise (posterior probability {p_ar:.2f}, grid of "
        f"coefficients {', '.join(f'{r:g}' for r in AR_RHOS)}) carried into the paths and "
        "into a sandwich (HAC) coefficient covariance"
        if spec.ar_noise else "no latent autocorrelation (ar_noise off)"
    )
    method = (
        f"negative binomial (NB2) GLM averaged over unregistered level-shift hypotheses "
        f"(BIC model averaging over no, one or two shifts at {len(cand)} candidate months, "
        f"prior probability of a shift {PRIOR_SHIFT:.2f}; posterior probability of a shift "
        f"P(shift) = {p_shift:.2f}); dispersion alpha = {best.alpha:.4f} from the Pearson "
        f"moment equation in the most probable hypothesis; {ar_text}. Intervals: joint "
        "simulation of the shift hypothesis, coefficients (multivariate t), dispersion, "
        "latent noise and count noise."
    )
    names = keep + [f"level_shift_{b}" for b in best.breaks]
    return BaselineFit(
        spec=spec, history=series.copy(),
        excluded=pd.Series(exclude, index=idx, name="excluded"),
        fitted=pd.Series(backend.mean(idx), index=idx, name="expected"),
        params=pd.Series(best.params, index=names, name="coef"),
        dispersion=best.alpha, residual_autocorrelation=rho_implied, method=method,
        warnings=tuple(notes), backend=backend, level_shifts=shifts,
    )


def _summarise_shifts(hyps: list[_Hyp], idx: pd.PeriodIndex) -> tuple[LevelShift, ...]:
    """Shifts with posterior probability >= REPORT_PROBABILITY (within REGISTERED_GUARD
    periods of the most probable date), at most two, in time order."""
    items = []  # (ordinal, size, weight)
    for h in hyps:
        k0 = len(h.params) - len(h.breaks)
        for j, b in enumerate(h.breaks):
            items.append((b.ordinal, float(np.expm1(h.params[k0 + j])), h.weight))
    out: list[LevelShift] = []
    while items and len(out) < 2:
        by_date: dict[int, float] = {}
        for m, _, wt in items:
            by_date[m] = by_date.get(m, 0.0) + wt
        m0 = max(by_date, key=by_date.__getitem__)
        near = [(s, wt) for m, s, wt in items if abs(m - m0) <= REGISTERED_GUARD]
        wsum = sum(wt for _, wt in near)
        if wsum < REPORT_PROBABILITY:
            break
        size_pct = 100 * sum(s * wt for s, wt in near) / wsum
        if abs(size_pct) >= MIN_REPORT_PCT:
            out.append(LevelShift(period=pd.Period(ordinal=m0, freq=idx.freq),
                                  size_pct=size_pct, probability=min(wsum, 1.0)))
        items = [it for it in items if abs(it[0] - m0) > REGISTERED_GUARD]
    return tuple(sorted(out, key=lambda s: s.period))


# --------------------------------------------------------------------------- finer series

#: Least usable months of monthly totals for the shift check of a weekly or daily series
#: (MIN_SEGMENT on either side of a candidate and a month-effects NB2 design).
MONTHLY_CHECK_MIN_MONTHS: int = 30


def monthly_total_shifts(
    series: pd.Series,
    *,
    trend: str,
    breaks: EventRegistry | None,
    terms: EventRegistry | None,
    exclude: np.ndarray,
    shape_overrides: dict[str, str] | None,
) -> tuple[LevelShift, ...]:
    """Unregistered level shifts of a weekly or daily series, found in its monthly totals.

    The shift scan is not part of weekly and daily baselines (module docstring), but a
    registration change shifts every resolution. The months whose days (or week starts)
    the series covers completely are summed, with the number of periods in each month
    as exposure; a month holding an excluded period (an event window, a missing record)
    is left out; registered breaks and nuisance event terms are carried over. The monthly
    NB2 baseline with month effects and ``trend`` is then scanned as
    :func:`fit_count_glm_shifts` does, and its reported shifts are returned (empty when
    there are fewer than :data:`MONTHLY_CHECK_MIN_MONTHS` usable months or the monthly
    fit fails). A check, not a model: the weekly or daily counterfactual does not
    average over these shifts.
    """
    idx = series.index
    start = idx.start_time
    months = start.to_period("M")
    y = series.to_numpy(dtype=float)
    frame = pd.DataFrame({"month": months, "calls": y, "n": 1, "excl": exclude.astype(int)})
    per_month = frame.groupby("month", sort=True).agg(
        calls=("calls", "sum"), n=("n", "sum"), excl=("excl", "max"))
    # complete months only: every day (daily) or every week start (weekly) inside
    step = pd.Timedelta(days=1) if idx.freqstr[0] == "D" else pd.Timedelta(days=7)
    first_ok = start[0] - step < per_month.index[0].start_time
    last_ok = start[-1] + step > per_month.index[-1].end_time
    complete = np.ones(len(per_month), dtype=bool)
    complete[0] &= bool(first_ok)
    complete[-1] &= bool(last_ok)
    # a validated series has no gaps, so its months are consecutive
    per_month = per_month[complete]
    excl = per_month["excl"].to_numpy() > 0
    if int((~excl).sum()) < MONTHLY_CHECK_MIN_MONTHS:
        return ()
    midx = pd.PeriodIndex(per_month.index, freq="M", name="month")
    monthly = pd.Series(per_month["calls"].to_numpy(dtype=np.int64), index=midx, name="calls")
    exposure = pd.Series(per_month["n"].to_numpy(dtype=float), index=midx)
    spec = BaselineSpec(family="negbin", trend=trend, seasonality="monthly",
                        exposure="column")
    try:
        fit = fit_count_glm_shifts(
            monthly, spec, breaks=breaks, terms=terms, exposure=exposure, covariates=None,
            exclude=excl, shape_overrides=shape_overrides)
    except FitError:
        return ()
    return tuple(fit.level_shifts)
