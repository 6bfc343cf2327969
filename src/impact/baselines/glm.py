"""Count GLM baselines: Poisson, quasi-Poisson and negative binomial (NB2).

:func:`fit_count_glm` fits the count families of :class:`~impact.baselines.spec.BaselineSpec`
on a design of trend, seasonality, known breaks, event terms and covariates and returns a
:class:`~impact.baselines.spec.BaselineFit` whose backend draws coefficients from a
multivariate t and NB2 / quasi-Poisson / Poisson count noise
(:mod:`impact.baselines.noise`). :func:`fit_count_family` (the family dispatch on a given
design) and :func:`fit_negbin_glm` are shared with the pooled baseline and the ITS
estimator.

The negative binomial dispersion is estimated by alternating a GLM fit at fixed
dispersion with the degrees-of-freedom-corrected Pearson moment equation, which
converges where statsmodels' discrete ``NegativeBinomial`` maximum likelihood often does
not on short monthly series and does not underestimate the dispersion as ML does
(DESIGN.md section 8). Use :func:`impact.baselines.fit.fit_baseline`, which validates the
series and dispatches on the family.

Daily and weekly series. The design gets the calendar terms of
:mod:`impact.baselines.calendar` (resolved per resolution by
:func:`impact.baselines.design.baseline_design_spec`). Closed periods are left out of
the fit and expected to have 0 calls: those without open hours
(``exposure="opening_hours"``) and those of a day type (a weekday, public holidays) on
which the history has not one call. With ``ar_noise`` a NB2 fit carries day-to-day (or
week-to-week) persistence as latent AR(1) log-scale noise weighed on a grid
(:func:`impact.baselines.noise.latent_ar_posterior`) instead of the lag-1 copula of the
counts: a copula with the lag-1 autocorrelation decays too fast at daily resolution and
makes sums over weeks too narrow. Monthly series keep the copula.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM

from impact._core.dates import period_unit
from impact._core.exceptions import FitError
from impact.baselines.design import (
    DesignSpec,
    baseline_design_spec,
    design_frame,
    exposure_for,
    independent_columns,
)
from impact.baselines.noise import (
    count_alpha,
    draw_coefficient_means,
    draw_counts,
    latent_ar_paths,
    latent_ar_posterior,
)
from impact.baselines.spec import BaselineFit, BaselineSpec
from impact.events.registry import EventRegistry

__all__ = [
    "NEGBIN_MAX_ITER",
    "fit_count_family",
    "fit_count_glm",
    "fit_negbin_glm",
]



@dataclasses.dataclass
class _GLMBackend:
    """Fitted count GLM: coefficients, covariance, dispersion and the design recipe."""

    family: str
    design_spec: DesignSpec
    columns: list[str]
    params: np.ndarray
    cov: np.ndarray
    dispersion: float
    df_resid: int
    rho: float
    exposure_kind: str | None
    exposure_series: pd.Series | None
    breaks: EventRegistry | None
    terms: EventRegistry | None
    covariates: pd.DataFrame | None
    shape_overrides: dict[str, str] | None
    #: Calendar columns marking closed day types (no call in the history): their days
    #: get a log offset of minus infinity (expected 0 calls).
    closed_columns: tuple[str, ...] = ()
    #: Latent AR(1) log-scale noise (daily and weekly NB2 fits): the posterior grid of
    #: coefficients and persistent shares of the dispersion with its weights (None: no
    #: latent noise, the copula with ``rho`` is used), and the period the AR positions
    #: count from.
    latent_phi: np.ndarray | None = None
    latent_share: np.ndarray | None = None
    latent_weights: np.ndarray | None = None
    origin: pd.Period | None = None

    def design(self, periods: pd.PeriodIndex) -> tuple[np.ndarray, np.ndarray]:
        frame = design_frame(
            periods,
            self.design_spec,
            self.breaks,
            self.terms,
            self.covariates,
            self.shape_overrides,
        )
        X = frame.reindex(columns=self.columns, fill_value=0.0).to_numpy(dtype=float)
        offset = _log_exposure(periods, self.exposure_kind, self.exposure_series)
        for name in self.closed_columns:
            if name in frame.columns:
                offset = np.where(frame[name].to_numpy() > 0, -np.inf, offset)
        return X, offset

    def mean(self, periods: pd.PeriodIndex) -> np.ndarray:
        X, offset = self.design(periods)
        return np.exp(X @ self.params + offset)

    def simulate_means(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Path means (parameter uncertainty only) and each path's chi-square weight."""
        X, offset = self.design(periods)
        # one chi-square per path, shared by the coefficient and the dispersion draws
        df = max(self.df_resid, 1)
        w = rng.chisquare(df, size=n_paths) / df
        (mu,) = draw_coefficient_means(self.params, self.cov, [(X, offset)], w, rng)
        if self.latent_weights is None:
            return mu, w
        # a grid point per path from the posterior; the latent variance f alpha / w and
        # the weight that leaves the count noise (1 - f) alpha / w
        g = rng.choice(len(self.latent_weights), size=n_paths, p=self.latent_weights)
        f = self.latent_share[g]
        pos = np.asarray(periods.asi8 - self.origin.ordinal, dtype=float)
        mu = mu * np.exp(latent_ar_paths(self.latent_phi[g], f * self.dispersion / w, pos, rng))
        return mu, w / (1 - f)

    def draw_counts(
        self,
        means: np.ndarray,
        weights: np.ndarray,
        rng: np.random.Generator,
        z: np.ndarray | None = None,
    ) -> np.ndarray:
        """Count noise around path means with the path's dispersion draw (the estimate
        divided by the path's weight) and, with ``rho`` > 0 or ``z``, the AR(1) Gaussian
        copula (:func:`impact.baselines.noise.draw_counts`)."""
        if self.latent_weights is not None:  # the latent AR of the means: no copula
            alpha = count_alpha(self.family, means, self.dispersion / weights)
            return draw_counts(means, alpha, 0.0, rng, z)
        alpha = count_alpha(self.family, means, self.dispersion / weights)
        return draw_counts(means, alpha, self.rho, rng, z)

    def simulate(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> np.ndarray:
        mu, w = self.simulate_means(periods, n_paths, rng)
        return self.draw_counts(mu, w, rng)


def _log_exposure(
    periods: pd.PeriodIndex, kind: str | None, series: Any
) -> np.ndarray:
    """``log(exposure)``; minus infinity for closed periods (no open hours)."""
    with np.errstate(divide="ignore"):
        return np.log(exposure_for(periods, kind, series))


#: Calendar indicators that can mark a closed day type (daily series).
_CLOSABLE = ("dow_", "holiday_public")
#: Prefixes of the calendar columns (:func:`impact.baselines.calendar.calendar_columns`).
_CALENDAR = ("dow_", "holiday_public", "bridge_day", "school_holiday")


def _closed_day_types(X: pd.DataFrame, y: np.ndarray) -> list[str]:
    """Calendar indicator columns (a weekday, public holidays) on which the history has
    not one call in at least four days: the helpline is closed then."""
    out = []
    for name in X.columns:
        if not str(name).startswith(_CLOSABLE):
            continue
        on = X[name].to_numpy() == 1
        if on.sum() >= 4 and not y[on].any():
            out.append(str(name))
    return out


def _calendar_text(design_spec: DesignSpec, exposure: str | None) -> str:
    """A sentence on the calendar terms and the opening-hours exposure ('' when none)."""
    parts = []
    if design_spec.day_of_week:
        parts.append("day-of-week effects")
    if design_spec.holidays != "none":
        parts.append("Belgian public holidays and bridge days")
    if design_spec.holidays == "public+school":
        parts.append("Flemish school holidays")
    text = f" Calendar terms: {', '.join(parts)}." if parts else ""
    if exposure == "opening_hours":
        text += (" Exposure: open hours per period from the opening-hours schedule (expected "
                 "calls proportional to the hours open; closed days expected 0).")
    return text


def _pearson_alpha(y: np.ndarray, mu: np.ndarray, dof: int) -> float:
    """Solve sum((y - mu)^2 / (mu (1 + a mu))) = dof for a >= 0 (0 if underdispersed)."""
    r2 = (y - mu) ** 2

    def f(a: float) -> float:
        return float(np.sum(r2 / (mu * (1 + a * mu)))) - dof

    if f(0.0) <= 0:
        return 0.0
    hi = 1.0
    while f(hi) > 0 and hi < 1e6:
        hi *= 10
    return float(optimize.brentq(f, 0.0, hi, xtol=1e-10))


#: Most alternations of GLM fit and Pearson dispersion before giving up.
NEGBIN_MAX_ITER = 50


def fit_negbin_glm(
    y: np.ndarray,
    X: Any,
    offset: np.ndarray,
    dof: int,
    *,
    poisson_fit: Any,
    fit_kwargs: dict[str, Any] | None = None,
) -> tuple[Any, float, bool]:
    """NB2 GLM with the dispersion from the Pearson moment equation.

    Alternates a statsmodels GLM fit at fixed ``alpha`` with the degrees-of-freedom
    corrected Pearson equation for ``alpha`` until ``alpha`` settles (DESIGN.md section
    8: more stable and less biased on short monthly series than discrete NB maximum
    likelihood). Without overdispersion (``alpha = 0``) the Poisson fit is returned.

    Returns
    -------
    (result, alpha, converged)
    """
    kw = fit_kwargs or {}
    alpha = _pearson_alpha(y, poisson_fit.mu, dof)
    res = poisson_fit
    start = poisson_fit.params
    for _ in range(NEGBIN_MAX_ITER):
        if alpha <= 0:
            break
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = GLM(
                y, X, family=families.NegativeBinomial(alpha=alpha), offset=offset
            ).fit(start_params=start, **kw)
        start = res.params
        new = _pearson_alpha(y, res.mu, dof)
        done = abs(new - alpha) <= 1e-7 * (1 + alpha)
        alpha = new
        if done:
            return res, float(alpha), True
    else:
        return res, float(alpha), False
    if kw:  # no overdispersion: the Poisson fit, with the requested covariance
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = GLM(y, X, family=families.Poisson(), offset=offset).fit(**kw)
    return res, 0.0, True


def fit_count_family(
    family: str, y: np.ndarray, X: Any, offset: np.ndarray, dof: int
) -> tuple[Any, float, np.ndarray, str | None]:
    """Fit a count GLM family on a design: Poisson ML, quasi-Poisson (Poisson estimates,
    covariance scaled by the Pearson dispersion) or NB2 via :func:`fit_negbin_glm`.

    Returns
    -------
    (result, dispersion, covariance, note)
        ``dispersion`` is 0 (Poisson), the Pearson scale (quasi-Poisson) or ``alpha``;
        ``note`` says when the NB2 dispersion iteration did not settle, else ``None``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pois = GLM(y, X, family=families.Poisson(), offset=offset).fit()
    if family == "poisson":
        return pois, 0.0, np.asarray(pois.cov_params()), None
    if family == "quasipoisson":
        disp = float(np.sum((y - pois.mu) ** 2 / pois.mu) / dof)
        return pois, disp, np.asarray(pois.cov_params()) * disp, None
    res, alpha, converged = fit_negbin_glm(y, X, offset, dof, poisson_fit=pois)
    note = None if converged else (
        f"the dispersion iteration did not settle in {NEGBIN_MAX_ITER} steps (last alpha "
        f"{alpha:.4g}); the last value is used"
    )
    return res, float(alpha), np.asarray(res.cov_params()), note


def _lag1_autocorrelation(resid: np.ndarray, used: np.ndarray) -> float:
    """Lag-1 autocorrelation over consecutive used periods, bias-corrected, in [0, 0.9]."""
    r = np.where(used, resid, np.nan)
    a, b = r[:-1], r[1:]
    ok = ~(np.isnan(a) | np.isnan(b))
    n = int(ok.sum())
    if n < 8:
        return 0.0
    rm = np.nanmean(r)
    num = np.sum((a[ok] - rm) * (b[ok] - rm))
    den = np.nansum((r - rm) ** 2)
    rho = num / den if den > 0 else 0.0
    rho = rho + (1 + 3 * rho) / n  # Kendall's small-sample bias correction
    return float(np.clip(rho, 0.0, 0.9))


def fit_count_glm(
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
    """Fit a count GLM baseline on a validated series (called by ``fit_baseline``).

    ``exclude`` is a boolean array of periods left out of the fit; ``breaks`` are
    already filtered by ``spec.use_breaks``. See
    :func:`impact.baselines.fit.fit_baseline` for the other parameters.

    Raises
    ------
    FitError
        With fewer than six residual degrees of freedom.
    """
    idx = series.index
    design_spec = baseline_design_spec(spec, idx)
    X_all = design_frame(idx, design_spec, breaks, terms, covariates, shape_overrides)
    offset_all = _log_exposure(idx, spec.exposure, exposure)
    notes: list[str] = []
    counts = series.to_numpy(dtype=float)
    closed = ~np.isfinite(offset_all)
    if (closed & (counts > 0) & ~exclude).any():
        bad = idx[closed & (counts > 0) & ~exclude]
        notes.append(
            f"{len(bad)} period(s) with calls where the opening hours say closed "
            f"({', '.join(str(p) for p in bad[:5])}); they are left out of the fit and "
            "expected to have 0 calls: check the opening-hours schedule"
        )
    closed_cols = _closed_day_types(X_all.loc[~exclude & ~closed], counts[~exclude & ~closed])
    for name in closed_cols:
        closed |= X_all[name].to_numpy() > 0
    if closed_cols:
        notes.append(
            "no call in the history on " + ", ".join(closed_cols) + " days: taken as closed "
            "(left out of the fit, expected 0 calls)"
        )
        offset_all = np.where(closed, -np.inf, offset_all)
    used = ~exclude & ~closed
    y = counts[used]
    # calendar columns of closed days only (weekends without open hours) are no terms
    silent = [c for c in X_all.columns if str(c).startswith(_CALENDAR)
              and np.ptp(X_all.loc[used, c].to_numpy()) == 0]
    keep, dropped = independent_columns(X_all.loc[used].drop(columns=silent))
    X = X_all.loc[used, keep].to_numpy()
    off = offset_all[used]
    n, k = X.shape
    if dropped:
        notes.append(
            "terms without variation or collinear in the fitted history were dropped: "
            + ", ".join(dropped)
            + " (a break before the history or after it cannot be estimated from it)"
        )
    if n - k < 6:
        raise FitError(
            f"baseline {spec.label}: {n} usable periods for {k} parameters; need at least "
            f"{k + 6}. Use a longer pre-period, fewer terms (seasonality='fourier'), or "
            "trend='none'."
        )
    dof = n - k
    res, disp, cov, note = fit_count_family(spec.family, y, X, off, dof)
    if note:
        notes.append(note)
    if spec.family == "poisson":
        method = "Poisson GLM (maximum likelihood, dispersion fixed at 1)."
    elif spec.family == "quasipoisson":
        method = (
            f"quasi-Poisson GLM: Poisson estimates with standard errors scaled by the Pearson "
            f"dispersion {disp:.3f} (chi-square / {dof} residual degrees of freedom)."
        )
    else:
        method = (
            f"negative binomial (NB2) GLM; dispersion alpha = {disp:.4f} from the Pearson "
            f"moment equation with {dof} residual degrees of freedom, alternated with the GLM "
            "fit to convergence"
            + (" (no overdispersion found: Poisson)." if disp == 0 else ".")
        )
    method += _calendar_text(design_spec, spec.exposure)
    mu_used = np.asarray(res.mu)
    var = (
        mu_used + disp * mu_used**2
        if spec.family == "negbin"
        else mu_used * (disp if spec.family == "quasipoisson" else 1.0)
    )
    resid_full = np.full(len(idx), np.nan)
    resid_full[used] = (y - mu_used) / np.sqrt(var)
    latent = None
    if spec.ar_noise and spec.family == "negbin" and disp > 0 and idx.freqstr[0] in "DW":
        rel = np.zeros(len(idx))
        rel[used] = (y - mu_used) / mu_used
        mu_all = np.ones(len(idx))
        mu_all[used] = mu_used
        latent = latent_ar_posterior(rel, used, mu_all, disp)
    rho = _lag1_autocorrelation(resid_full, used) if spec.ar_noise else 0.0
    if latent is not None:
        phis, shares, lw = latent
        # lag-1 autocorrelation of the Pearson residuals the latent noise implies, and the
        # long-run variance factor of the coefficients (a HAC with the fitted AR kernel),
        # both averaged over the posterior
        c = shares * disp / (float(np.mean(1.0 / mu_used)) + disp)
        rho = float(np.sum(lw * c * phis))
        cov = cov * float(np.sum(lw * (1 + 2 * c * phis / (1 - phis))))
        p_none = float(lw[0])
        mean_phi = float(np.sum(lw * phis) / max(1 - p_none, 1e-12))
        mean_f = float(np.sum(lw * shares) / max(1 - p_none, 1e-12))
        method += (
            f" Latent AR(1) log-scale noise: posterior probability {1 - p_none:.2f} (mean "
            f"coefficient {mean_phi:.2f} per {period_unit(idx)}, {mean_f:.0%} of the dispersion "
            "persistent), from a Kalman-filter likelihood of the relative residuals on a "
            "grid; drawn in the simulated paths (instead of a copula) and inflating the "
            "parameter covariance."
        )
    elif rho > 0:
        cov = cov * (1 + rho) / (1 - rho)
        method += (
            f" Residual lag-1 autocorrelation {rho:.2f} is carried into the simulated paths "
            "(Gaussian copula) and inflates the parameter covariance."
        )
    method += (
        " Intervals: joint simulation of coefficients (multivariate t), dispersion and "
        "count noise."
    )
    backend = _GLMBackend(
        family=spec.family,
        design_spec=design_spec,
        columns=keep,
        params=np.asarray(res.params, dtype=float),
        cov=cov,
        dispersion=disp,
        df_resid=dof,
        rho=rho,
        exposure_kind=spec.exposure,
        exposure_series=exposure,
        breaks=breaks,
        terms=terms,
        covariates=covariates,
        shape_overrides=shape_overrides,
        closed_columns=tuple(closed_cols),
        latent_phi=None if latent is None else latent[0],
        latent_share=None if latent is None else latent[1],
        latent_weights=None if latent is None else latent[2],
        origin=idx[0],
    )
    fitted = pd.Series(backend.mean(idx), index=idx, name="expected")
    return BaselineFit(
        spec=spec,
        history=series.copy(),
        excluded=pd.Series(exclude, index=idx, name="excluded"),
        fitted=fitted,
        params=pd.Series(backend.params, index=keep, name="coef"),
        dispersion=disp,
        residual_autocorrelation=rho,
        method=method,
        warnings=tuple(notes),
        backend=backend,
    )
