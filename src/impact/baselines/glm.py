"""Seasonal baselines for count series, behind one protocol.

:class:`BaselineSpec` describes a baseline; :func:`fit_baseline` fits it on a history and
returns a :class:`BaselineFit`, which forecasts (:meth:`BaselineFit.forecast`) and
simulates joint future paths (:meth:`BaselineFit.simulate`).

The count GLM backend (``poisson``, ``quasipoisson``, ``negbin``) is implemented here.
The negative binomial dispersion is estimated by alternating a GLM fit at fixed
dispersion with the degrees-of-freedom-corrected Pearson moment equation, which
converges where statsmodels' discrete ``NegativeBinomial`` maximum likelihood often does
not on short monthly series and does not underestimate the dispersion as ML does
(DESIGN.md section 8). Other families live in :mod:`impact.baselines.timeseries`.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS
from impact._core.exceptions import DataValidationError, FitError, ImpactWarning
from impact.baselines.design import DesignSpec, build_design, exposure_for
from impact.events.registry import EventRegistry

__all__ = [
    "BASELINE_FAMILIES",
    "BaselineFit",
    "BaselineSpec",
    "Forecast",
    "fit_baseline",
]

COUNT_GLM_FAMILIES: tuple[str, ...] = ("poisson", "quasipoisson", "negbin")
TS_FAMILIES: tuple[str, ...] = ("structural", "sarima", "ets", "seasonal_naive")
BASELINE_FAMILIES: tuple[str, ...] = COUNT_GLM_FAMILIES + TS_FAMILIES
_TRENDS = ("none", "linear", "piecewise")
_SEASONALITIES = ("none", "monthly", "fourier")
_EXPOSURES = (None, "days", "working_days", "column")


@dataclasses.dataclass(frozen=True)
class BaselineSpec:
    """Specification of a seasonal baseline (validated on creation, fitted nowhere).

    Parameters
    ----------
    family : str, default "negbin"
        ``poisson``, ``quasipoisson`` or ``negbin`` (count GLMs); ``structural``
        (UnobservedComponents on log counts), ``sarima``, ``ets`` (both on log counts) or
        ``seasonal_naive`` (the floor).
    trend : {"none", "linear", "piecewise"}, default "linear"
        ``piecewise`` adds a slope change at every known break.
    seasonality : {"none", "monthly", "fourier"}, default "monthly"
    harmonics : int, default 2
        Fourier pairs when ``seasonality="fourier"`` (1-6).
    exposure : {None, "days", "working_days", "column"}, default None
        Offset ``log(exposure)``: calendar days, Belgian working days, or a user series
        (opening hours, population) passed to the fitting function.
    use_breaks : bool, default True
        Model ``capacity``, ``registration`` and ``pandemic`` events as known breaks.
    ar_noise : bool, default True
        Count GLMs: carry lag-1 autocorrelation of the Pearson residuals into simulated
        paths (Gaussian copula) and the parameter covariance.
    level : {"random_walk", "local_linear_trend"}, default "local_linear_trend"
        ``structural`` only: the level component.
    seasonal_kind : {"dummy", "trigonometric"}, default "dummy"
        ``structural`` only.
    order, seasonal_order : tuple, default (1, 0, 0) and (0, 1, 1, 12)
        ``sarima`` only.
    """

    family: str = "negbin"
    trend: str = "linear"
    seasonality: str = "monthly"
    harmonics: int = 2
    exposure: str | None = None
    use_breaks: bool = True
    ar_noise: bool = True
    level: str = "local_linear_trend"
    seasonal_kind: str = "dummy"
    order: tuple[int, int, int] = (1, 0, 0)
    seasonal_order: tuple[int, int, int, int] = (0, 1, 1, 12)

    def __post_init__(self) -> None:
        def bad(name: str, value: Any, allowed: tuple) -> DataValidationError:
            shown = ", ".join(repr(a) for a in allowed)
            return DataValidationError(
                f"BaselineSpec: {name}={value!r} is not supported; expected one of {shown}."
            )

        if self.family not in BASELINE_FAMILIES:
            raise bad("family", self.family, BASELINE_FAMILIES)
        if self.trend not in _TRENDS:
            raise bad("trend", self.trend, _TRENDS)
        if self.seasonality not in _SEASONALITIES:
            raise bad("seasonality", self.seasonality, _SEASONALITIES)
        if not isinstance(self.harmonics, int) or not 1 <= self.harmonics <= 6:
            raise DataValidationError(
                f"BaselineSpec: harmonics must be an integer from 1 to 6, got {self.harmonics!r}."
            )
        if self.exposure not in _EXPOSURES:
            raise bad("exposure", self.exposure, _EXPOSURES)
        if self.level not in ("random_walk", "local_linear_trend"):
            raise bad("level", self.level, ("random_walk", "local_linear_trend"))
        if self.seasonal_kind not in ("dummy", "trigonometric"):
            raise bad("seasonal_kind", self.seasonal_kind, ("dummy", "trigonometric"))

    @property
    def label(self) -> str:
        """Short human-readable name, e.g. ``negbin/linear/monthly``."""
        if self.family in COUNT_GLM_FAMILIES:
            seas = f"fourier{self.harmonics}" if self.seasonality == "fourier" else self.seasonality
            return f"{self.family}/{self.trend}/{seas}"
        return self.family


@dataclasses.dataclass(frozen=True)
class Forecast:
    """Point forecasts and prediction intervals for counts.

    Attributes
    ----------
    mean : Series
        Expected counts (the model's mean), indexed by period.
    lower, upper : Series
        Prediction-interval bounds for the counts at ``level`` (simulation quantiles,
        parameter uncertainty and count noise included).
    level : float
    interval_kind : str
        ``"prediction interval for counts"``.
    """

    mean: pd.Series
    lower: pd.Series
    upper: pd.Series
    level: float
    interval_kind: str = "prediction interval for counts"

    def to_frame(self) -> pd.DataFrame:
        """Frame indexed by period with columns ``expected``, ``expected_lower``,
        ``expected_upper``."""
        return pd.DataFrame(
            {"expected": self.mean, "expected_lower": self.lower, "expected_upper": self.upper}
        )


class Backend(Protocol):
    """What a fitted backend offers (used inside :class:`BaselineFit`)."""

    def mean(self, periods: pd.PeriodIndex) -> np.ndarray: ...

    def simulate(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> np.ndarray: ...


@dataclasses.dataclass(frozen=True)
class BaselineFit:
    """A baseline fitted on a history; forecasts and simulates future paths.

    Attributes
    ----------
    spec : BaselineSpec
    history : Series
        The observed counts the model saw (excluded periods included, flagged in
        ``excluded``).
    excluded : Series of bool
        Periods left out of the fit (earlier event windows).
    fitted : Series
        In-sample expected counts.
    params : Series
        Coefficients (log scale for count GLMs); empty where not applicable.
    dispersion : float
        NB2 ``alpha`` (``negbin``), Pearson scale (``quasipoisson``), 0 (``poisson``),
        or the residual variance on the log scale for the time-series families.
    residual_autocorrelation : float
        Lag-1 autocorrelation carried into the simulated paths (0 when not used).
    method : str
        One sentence describing the fit (family, dispersion method, fallbacks).
    warnings : tuple of str
        Fit problems (non-convergence, fallbacks, dropped terms).
    """

    spec: BaselineSpec
    history: pd.Series
    excluded: pd.Series
    fitted: pd.Series
    params: pd.Series
    dispersion: float
    residual_autocorrelation: float
    method: str
    warnings: tuple[str, ...]
    backend: Any = dataclasses.field(repr=False, compare=False)

    def mean(self, periods: pd.PeriodIndex) -> pd.Series:
        """Expected counts (model mean, no noise) for any periods."""
        periods = _as_period_index(periods, self.history.index)
        return pd.Series(self.backend.mean(periods), index=periods, name="expected")

    def simulate(
        self,
        periods: pd.PeriodIndex,
        *,
        n_paths: int = DEFAULT_N_PATHS,
        seed: int | np.random.Generator | None = None,
    ) -> np.ndarray:
        """Simulate ``n_paths`` joint count paths over ``periods``.

        Each path draws the parameters (and the dispersion) once, then the counts of every
        period, so sums over periods of one path have the right joint uncertainty.

        Returns
        -------
        ndarray of shape (n_paths, len(periods))
        """
        periods = _as_period_index(periods, self.history.index)
        rng = np.random.default_rng(seed)
        return self.backend.simulate(periods, int(n_paths), rng)

    def forecast(
        self,
        periods: pd.PeriodIndex,
        *,
        level: float = DEFAULT_LEVEL,
        n_paths: int = DEFAULT_N_PATHS,
        seed: int | np.random.Generator | None = None,
    ) -> Forecast:
        """Forecast counts with prediction intervals at ``level`` (by simulation)."""
        periods = _as_period_index(periods, self.history.index)
        paths = self.simulate(periods, n_paths=n_paths, seed=seed)
        lo, hi = np.quantile(paths, [(1 - level) / 2, (1 + level) / 2], axis=0)
        return Forecast(
            mean=self.mean(periods),
            lower=pd.Series(lo, index=periods, name="expected_lower"),
            upper=pd.Series(hi, index=periods, name="expected_upper"),
            level=level,
        )

    def to_frame(self) -> pd.DataFrame:
        """History with ``observed``, ``expected`` (fitted), ``excluded``, ``pearson_residual``."""
        obs = self.history.astype(float)
        fit = self.fitted.reindex(obs.index)
        var = _variance(fit.to_numpy(), self)
        resid = (obs - fit) / np.sqrt(var)
        return pd.DataFrame(
            {
                "observed": obs,
                "expected": fit,
                "excluded": self.excluded.reindex(obs.index),
                "pearson_residual": resid,
            }
        )

    def summary(self) -> str:
        """A short text description of the fit (returned, never printed)."""
        lines = [
            f"Baseline {self.spec.label} fitted on {int((~self.excluded).sum())} periods "
            f"({self.history.index[0]} to {self.history.index[-1]}).",
            self.method,
        ]
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plot(self, *, ax: Any = None) -> Any:
        """Observed vs fitted (delegates to :func:`impact.plots.plot_baseline_fit`)."""
        from impact.plots import plot_baseline_fit

        return plot_baseline_fit(self, ax=ax)


def _variance(mu: np.ndarray, fit: BaselineFit) -> np.ndarray:
    fam = fit.spec.family
    if fam == "negbin":
        return mu + fit.dispersion * mu**2
    if fam == "quasipoisson":
        return fit.dispersion * mu
    return np.maximum(mu, 1e-9)


def _as_period_index(periods: Any, like: pd.PeriodIndex) -> pd.PeriodIndex:
    idx = pd.PeriodIndex(periods, freq=like.freq) if not isinstance(
        periods, pd.PeriodIndex
    ) else periods
    if idx.freq != like.freq:
        raise DataValidationError(
            f"periods have frequency {idx.freqstr}, the history {like.freqstr}; forecast at "
            "the history's resolution."
        )
    return idx


# --------------------------------------------------------------------------- count GLMs


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

    def design(self, periods: pd.PeriodIndex) -> tuple[np.ndarray, np.ndarray]:
        X = _design_frame(
            periods,
            self.design_spec,
            self.breaks,
            self.terms,
            self.covariates,
            self.shape_overrides,
        )
        X = X.reindex(columns=self.columns, fill_value=0.0).to_numpy(dtype=float)
        offset = np.log(exposure_for(periods, self.exposure_kind, self.exposure_series))
        return X, offset

    def mean(self, periods: pd.PeriodIndex) -> np.ndarray:
        X, offset = self.design(periods)
        return np.exp(X @ self.params + offset)

    def simulate(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> np.ndarray:
        mu, w = self.simulate_means(periods, n_paths, rng)
        return _draw_counts(self, mu, w, rng)

    def simulate_means(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Path means (parameter uncertainty only) and each path's chi-square weight."""
        X, offset = self.design(periods)
        # one chi-square per path, shared by the coefficient and the dispersion draws
        df = max(self.df_resid, 1)
        w = rng.chisquare(df, size=n_paths) / df
        return _draw_means(self, X, offset, w, rng), w

    def draw_counts(
        self,
        mu: np.ndarray,
        w: np.ndarray,
        rng: np.random.Generator,
        innovations: np.ndarray | None = None,
    ) -> np.ndarray:
        """Count noise around path means ``mu`` with the path's dispersion draw.

        ``innovations`` (standard normal, shape of ``mu``) replace the copula's own draws;
        :func:`impact.estimation.counterfactual.estimate_effects` passes innovations correlated across teams.
        """
        return _draw_counts(self, mu, w, rng, innovations)


def _draw_means(
    b: _GLMBackend,
    X: np.ndarray,
    offset: np.ndarray,
    w: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Means per path: coefficients from a multivariate t with ``df_resid`` degrees of
    freedom (``w`` is the chi-square / df draw of each path)."""
    k = len(b.params)
    n_paths = len(w)
    try:
        chol = np.linalg.cholesky(b.cov + 1e-12 * np.eye(k))
    except np.linalg.LinAlgError:
        vals, vecs = np.linalg.eigh(b.cov)
        chol = vecs * np.sqrt(np.clip(vals, 0, None))
    z = rng.standard_normal((n_paths, k))
    beta = b.params + (z @ chol.T) / np.sqrt(w)[:, None]
    eta = beta @ X.T + offset
    return np.exp(np.clip(eta, -30, 30))


def _draw_counts(
    b: _GLMBackend,
    mu: np.ndarray,
    w: np.ndarray,
    rng: np.random.Generator,
    innovations: np.ndarray | None = None,
) -> np.ndarray:
    """Counts given path means: NB2 / quasi-Poisson-as-NB / Poisson, optionally with AR(1)
    dependence across periods through a Gaussian copula (marginals unchanged). The
    dispersion of each path is the estimate divided by the path's ``w``."""
    if b.family == "poisson":
        alpha = np.zeros_like(mu)
    elif b.family == "negbin":
        alpha = np.broadcast_to((b.dispersion / w)[:, None], mu.shape)
    else:  # quasipoisson: variance phi * mu as NB2 with alpha = (phi - 1) / mu
        phi = np.maximum(b.dispersion / w, 1.0)
        alpha = (phi[:, None] - 1.0) / np.maximum(mu, 1e-9)
    if b.rho <= 0 and innovations is None:
        lam = mu
        pos = alpha > 0
        if pos.any():
            shape = np.where(pos, 1.0 / np.where(pos, alpha, 1.0), 1.0)
            g = rng.gamma(shape, 1.0)
            lam = np.where(pos, mu * g / shape, mu)
        return rng.poisson(lam).astype(float)
    # Gaussian copula with AR(1) correlation across the path's periods
    n, h = mu.shape
    e = rng.standard_normal((n, h)) if innovations is None else innovations
    z = np.empty_like(e, dtype=float)
    z[:, 0] = e[:, 0]
    s = np.sqrt(1 - b.rho**2)
    for t in range(1, h):
        z[:, t] = b.rho * z[:, t - 1] + s * e[:, t]
    u = np.clip(special.ndtr(z), 1e-12, 1 - 1e-12)
    out = np.empty_like(mu)
    pos = alpha > 0
    if pos.any():
        r = 1.0 / alpha[pos]
        p = r / (r + mu[pos])
        out[pos] = stats.nbinom.ppf(u[pos], r, p)
    if (~pos).any():
        out[~pos] = stats.poisson.ppf(u[~pos], mu[~pos])
    return out


def _design_frame(
    periods: pd.PeriodIndex,
    design_spec: DesignSpec,
    breaks: EventRegistry | None,
    terms: EventRegistry | None,
    covariates: pd.DataFrame | None,
    shape_overrides: dict[str, str] | None,
) -> pd.DataFrame:
    brk = breaks.to_regressors(periods, shape_overrides=shape_overrides) if breaks else None
    starts = (
        {e.id: e.start.to_period(periods.freq) for e in breaks} if breaks else None
    )
    extra = []
    if terms is not None and len(terms):
        ev = terms.to_regressors(periods, shape_overrides=shape_overrides)
        extra.append(ev.add_prefix("event_"))
    if covariates is not None:
        missing = periods.difference(covariates.index)
        if len(missing):
            raise DataValidationError(
                f"covariates: {len(missing)} period(s) without values "
                f"({', '.join(str(m) for m in missing[:5])}); control series must cover the "
                "history and every forecast period."
            )
        extra.append(covariates.reindex(periods).add_prefix("cov_"))
    ext = pd.concat(extra, axis=1) if extra else None
    return build_design(periods, design_spec, breaks=brk, extra=ext, break_starts=starts)


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
    import statsmodels.api as sm

    kw = fit_kwargs or {}
    alpha = _pearson_alpha(y, poisson_fit.mu, dof)
    res = poisson_fit
    start = poisson_fit.params
    for _ in range(NEGBIN_MAX_ITER):
        if alpha <= 0:
            break
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sm.GLM(
                y, X, family=sm.families.NegativeBinomial(alpha=alpha), offset=offset
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
            res = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit(**kw)
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
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pois = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit()
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


def _independent_columns(X: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Keep columns that vary in the fit window and are linearly independent."""
    keep: list[str] = []
    dropped: list[str] = []
    for c in X.columns:
        col = X[c].to_numpy()
        if c != "const" and np.ptp(col) < 1e-12:
            dropped.append(c)
            continue
        trial = X[[*keep, c]].to_numpy()
        if np.linalg.matrix_rank(trial, tol=1e-8 * max(1.0, np.abs(trial).max())) < len(keep) + 1:
            dropped.append(c)
            continue
        keep.append(c)
    return keep, dropped


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


def _fit_count_glm(
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

    idx = series.index
    design_spec = DesignSpec(
        trend=spec.trend, seasonality=spec.seasonality, harmonics=spec.harmonics, origin=idx[0]
    )
    X_all = _design_frame(idx, design_spec, breaks, terms, covariates, shape_overrides)
    offset_all = np.log(exposure_for(idx, spec.exposure, exposure))
    used = ~exclude
    y = series.to_numpy(dtype=float)[used]
    keep, dropped = _independent_columns(X_all.loc[used])
    X = X_all.loc[used, keep].to_numpy()
    off = offset_all[used]
    n, k = X.shape
    notes: list[str] = []
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
    mu_used = np.asarray(res.mu)
    var = (
        mu_used + disp * mu_used**2
        if spec.family == "negbin"
        else mu_used * (disp if spec.family == "quasipoisson" else 1.0)
    )
    resid_full = np.full(len(idx), np.nan)
    resid_full[used] = (y - mu_used) / np.sqrt(var)
    rho = _lag1_autocorrelation(resid_full, used) if spec.ar_noise else 0.0
    if rho > 0:
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


# --------------------------------------------------------------------------- entry point


def fit_baseline(
    series: pd.Series,
    spec: BaselineSpec | None = None,
    *,
    breaks: EventRegistry | None = None,
    terms: EventRegistry | None = None,
    exposure: pd.Series | None = None,
    covariates: pd.DataFrame | None = None,
    exclude: pd.Series | np.ndarray | None = None,
    shape_overrides: dict[str, str] | None = None,
) -> BaselineFit:
    """Fit a seasonal baseline to a complete count series.

    Parameters
    ----------
    series : Series
        Counts on a complete ``PeriodIndex`` (monthly, weekly or daily).
    spec : BaselineSpec, optional
        Defaults to ``BaselineSpec()`` (negative binomial, linear trend, month effects).
    breaks : EventRegistry, optional
        Known breaks (capacity, registration, pandemic events): level shifts, and slope
        changes with ``trend="piecewise"``. Ignored when ``spec.use_breaks`` is false.
    terms : EventRegistry, optional
        Further events modelled as regressors (their coefficients are nuisance terms).
    exposure : Series, optional
        Exposure per period for ``spec.exposure="column"``; must also cover forecast
        periods.
    covariates : DataFrame, optional
        Control series (count GLMs: on the log-mean scale as given) covering the history
        and forecast periods.
    exclude : Series or array of bool, optional
        Periods to leave out of the fit (for example earlier event windows).
    shape_overrides : dict, optional
        Event id -> shape, for events whose shape is ``unknown`` in the registry.

    Returns
    -------
    BaselineFit

    Raises
    ------
    DataValidationError
        On an invalid series, exposure or covariates.
    FitError
        When there are too few periods for the parameters.
    """
    from impact._core.validation import validate_series

    spec = spec or BaselineSpec()
    series = validate_series(series, name="series")
    n = len(series)
    if exclude is None:
        excl = np.zeros(n, dtype=bool)
    else:
        excl = np.asarray(
            exclude.reindex(series.index, fill_value=False)
            if isinstance(exclude, pd.Series)
            else exclude,
            dtype=bool,
        )
        if excl.shape != (n,):
            raise DataValidationError(
                f"exclude has {excl.shape[0]} values for a series of {n} periods."
            )
    brk = breaks if (spec.use_breaks and breaks is not None and len(breaks)) else None
    if spec.family in COUNT_GLM_FAMILIES:
        fit = _fit_count_glm(
            series,
            spec,
            breaks=brk,
            terms=terms,
            exposure=exposure,
            covariates=covariates,
            exclude=excl,
            shape_overrides=shape_overrides,
        )
    else:
        from impact.baselines import timeseries as backends_ts
        fit = backends_ts.fit_ts_baseline(
            series,
            spec,
            breaks=brk,
            exposure=exposure,
            covariates=covariates,
            exclude=excl,
            shape_overrides=shape_overrides,
            terms=terms,
        )
    for w in fit.warnings:
        warnings.warn(f"baseline {spec.label}: {w}", ImpactWarning, stacklevel=2)
    return fit
