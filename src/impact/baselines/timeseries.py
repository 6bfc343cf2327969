"""Time-series baselines on the log scale: structural, SARIMA, ETS and seasonal naive.

:func:`fit_ts_baseline` fits the non-GLM families of
:class:`~impact.baselines.glm.BaselineSpec` and returns a
:class:`~impact.baselines.glm.BaselineFit` whose backend gives expected counts and joint
count paths, like the count GLMs in :mod:`impact.baselines.glm`.

Log scale
---------
Every family models ``z = log(calls + 0.5) - log(exposure)``. The shift 0.5 (rather than
``log1p``'s 1) keeps zero counts finite and makes ``E[log(Y + 0.5)]`` closest to
``log(E[Y])`` for Poisson-like counts (bias of order ``1/mu**2`` instead of ``1/mu``); at
20-250 calls a month the two choices differ by well under 1%.

Back to counts
--------------
The expected count of a period is the lognormal mean ``exp(m + v / 2) - 0.5`` (clipped at
0), where ``m`` and ``v`` are the model's predictive mean and variance of ``z`` plus the
log exposure. Forecasts use the forecast variance; in-sample (``BaselineFit.fitted``) the
structural model uses the smoothed signal, SARIMA and ETS the one-step-ahead prediction
(their smoothed value is the observation itself). Simulated paths are the model's own
joint log paths (state noise and irregular), turned into counts by ``exp(path) - 0.5``,
clipped at 0 and rounded to whole calls. No Poisson noise is added on top: the irregular
(innovation) term of a log model fitted to counts already *is* the count noise, and
Poisson draws on top would count it twice (about +25% variance at 100 calls a month with
an NB2 dispersion of 0.03).

Uncertainty
-----------
``structural`` and ``sarima`` start from an exact diffuse initial state and put the
regression coefficients (known breaks, event terms, covariates and, for SARIMA, the
drift) in the state vector (``mle_regression=False``), so the uncertainty of the initial
level/seasonal and of those coefficients is part of the filtered state and enters
forecast variances and simulated paths. The variance, ARMA and smoothing parameters are
plugged in at their maximum-likelihood values (no hyperparameter draws). ``ets`` also
plugs in its concentrated initial states; on simulated trending NB series (96 months,
~100 calls) its 95% intervals covered about 0.90 of held-out months and about 0.8 of
12-month totals, against about 0.95 for ``structural`` and ``sarima``.

Excluded months
---------------
``structural`` and ``sarima`` treat them as missing (the Kalman filter skips them).
statsmodels' exponential smoothing mishandles missing values in its start-up, so ``ets``
fills them with the fitted values of the auxiliary regression below and treats the
filled values as data. ``seasonal_naive`` refers to the last non-excluded year.

Breaks without exog
-------------------
``ets`` and ``seasonal_naive`` take no regressors. When breaks (or event terms or
covariates) are given, the series is pre-adjusted: an auxiliary least-squares regression of
``z`` on a constant, a linear trend, month indicators and the break columns estimates the
break log-ratios; their contribution is subtracted before the fit and added back to
forecasts. The uncertainty of those ratios is not propagated; for a step break in force at
the end of the history it largely cancels, because the model's level adapts to the
adjusted recent months.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.statespace.exponential_smoothing import ExponentialSmoothing
from statsmodels.tsa.statespace.sarimax import SARIMAX
from statsmodels.tsa.statespace.structural import UnobservedComponents

from impact._core.exceptions import DataValidationError, FitError
from impact.baselines.design import DesignSpec, design_frame, exposure_for, independent_columns
from impact.baselines.spec import TS_FAMILIES, BaselineFit, BaselineSpec
from impact.events.registry import EventRegistry

__all__ = [
    "LOG_SHIFT",
    "SEASONAL_PERIOD",
    "TRIGONOMETRIC_HARMONICS",
    "fit_ts_baseline",
]

#: Shift added to counts before the log (``z = log(calls + LOG_SHIFT)``).
LOG_SHIFT: float = 0.5
#: Seasonal period of the monthly time-series families.
SEASONAL_PERIOD: int = 12
#: Harmonics of the trigonometric seasonal of ``structural``. Five, not six: the sixth
#: (Nyquist) harmonic of period 12 has an identically zero sine, so with all six
#: statsmodels carries a redundant state and, with exact diffuse initialisation, the filter
#: never leaves its diffuse phase (DESIGN.md section 8). Five harmonics (10 states) drop
#: only the +/-1 alternating month pattern.
TRIGONOMETRIC_HARMONICS: int = 5

#: Fewest non-excluded months each family is fitted on.
_MIN_USED: dict[str, int] = {"structural": 36, "sarima": 36, "ets": 36, "seasonal_naive": 24}
#: Optimiser iterations for the maximum-likelihood fits.
_MAXITER: int = 500
#: Log-scale values are clipped here before exponentiating (exp(40) ~ 2.4e17 calls; a
#: lower ceiling would bend the paths of very large series below their point estimate).
_MAX_LOG: float = 40.0
#: Regression columns that are part of the trend/seasonal design, not external terms.
_DETERMINISTIC_PREFIXES: tuple[str, ...] = ("const", "trend", "month_")


# --------------------------------------------------------------------------- helpers


def _to_counts_mean(m: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Lognormal mean on the count scale: ``exp(m + v / 2) - 0.5``, at least 0."""
    eta = np.clip(m + np.clip(v, 0.0, None) / 2.0, -_MAX_LOG, _MAX_LOG)
    return np.clip(np.exp(eta) - LOG_SHIFT, 0.0, None)


def _to_count_paths(log_paths: np.ndarray) -> np.ndarray:
    """Whole, non-negative counts from log paths: ``round(max(exp(path) - 0.5, 0))``."""
    vals = np.exp(np.clip(log_paths, -_MAX_LOG, _MAX_LOG)) - LOG_SHIFT
    return np.rint(np.clip(vals, 0.0, None))


def _means_from_log(log_paths: np.ndarray, noise_var: float) -> np.ndarray:
    """Count-scale means of log paths that still lack an irregular of variance
    ``noise_var``: ``exp(path + noise_var / 2) - 0.5``, at least 0."""
    return _to_counts_mean(log_paths, np.full_like(log_paths, noise_var))


def _lognormal_counts(
    means: np.ndarray, noise_var: float, rng: np.random.Generator, z: np.ndarray | None
) -> np.ndarray:
    """Whole counts around count-scale ``means``: the irregular ``eps = sqrt(v) z - v / 2``
    (mean-one on the count scale) applied as ``(means + 0.5) exp(eps) - 0.5``, rounded."""
    e = rng.standard_normal(means.shape) if z is None else z
    v = max(float(noise_var), 0.0)
    log_paths = np.log(means + LOG_SHIFT) + np.sqrt(v) * e - v / 2.0
    return _to_count_paths(log_paths)


def _is_external(column: str) -> bool:
    return not column.startswith(_DETERMINISTIC_PREFIXES)


@dataclasses.dataclass(frozen=True)
class _Recipe:
    """Everything needed to rebuild the regressors and offsets for any periods."""

    origin: pd.Period
    trend: str
    breaks: EventRegistry | None
    terms: EventRegistry | None
    covariates: pd.DataFrame | None
    shape_overrides: dict[str, str] | None
    exposure_kind: str | None
    exposure_series: pd.Series | None

    def frame(self, periods: pd.PeriodIndex, *, seasonal: bool = False) -> pd.DataFrame:
        """Constant, trend (linear unless ``trend='none'``), optional month indicators,
        then break, slope-change, event and covariate columns.

        Built on the whole calendar from the history's start to the last period and then
        subset, so that slope changes at breaks (``trend="piecewise"``) keep counting from
        the break in forecasts instead of restarting at the first forecast month.
        """
        spec = DesignSpec(
            trend="linear" if self.trend == "none" else self.trend,
            seasonality="monthly" if seasonal else "none",
            harmonics=1,
            origin=self.origin,
        )
        first = min(self.origin, periods.min()) if len(periods) else self.origin
        last = max(self.origin, periods.max()) if len(periods) else self.origin
        full = pd.period_range(first, last, freq=self.origin.freq, name="month")
        X = design_frame(full, spec, self.breaks, self.terms, None, self.shape_overrides)
        X = X.loc[periods]
        if self.covariates is not None:  # only the requested periods need values
            none = DesignSpec(trend="none", seasonality="none", harmonics=1, origin=self.origin)
            C = design_frame(periods, none, None, None, self.covariates, None)
            X = pd.concat([X, C.drop(columns="const")], axis=1)
        return X

    def log_exposure(self, periods: pd.PeriodIndex) -> np.ndarray:
        return np.log(exposure_for(periods, self.exposure_kind, self.exposure_series))


@dataclasses.dataclass(frozen=True)
class _Adjustment:
    """Pre-adjustment of ``z`` by external terms (``ets``, ``seasonal_naive``)."""

    columns: tuple[str, ...] = ()
    coef: tuple[float, ...] = ()

    def values(self, recipe: _Recipe, periods: pd.PeriodIndex) -> np.ndarray:
        if not self.columns:
            return np.zeros(len(periods))
        X = recipe.frame(periods).reindex(columns=list(self.columns), fill_value=0.0)
        return X.to_numpy(dtype=float) @ np.asarray(self.coef)


def _fit_adjustment(
    z: np.ndarray, used: np.ndarray, recipe: _Recipe, index: pd.PeriodIndex
) -> tuple[_Adjustment, np.ndarray, list[str]]:
    """Auxiliary least-squares fit of ``z`` on a constant, a linear trend, month
    indicators and the external terms (non-excluded months only).

    Returns the external terms' log-ratios (the pre-adjustment), the regression's fitted
    values of the adjusted series (used to fill excluded months for ETS) and notes.
    """
    X = recipe.frame(index, seasonal=True)
    keep, dropped = independent_columns(X.loc[used])
    notes = _dropped_note(dropped)
    A = X.loc[used, keep].to_numpy(dtype=float)
    beta, *_ = np.linalg.lstsq(A, z[used], rcond=None)
    coef = dict(zip(keep, beta, strict=True))
    kept_ext = [c for c in keep if _is_external(c)]
    adjustment = _Adjustment(tuple(kept_ext), tuple(float(coef[c]) for c in kept_ext))
    base = [c for c in keep if not _is_external(c)]
    fitted = X[base].to_numpy(dtype=float) @ np.array([coef[c] for c in base])
    return adjustment, fitted, notes


def _dropped_note(dropped: list[str]) -> list[str]:
    ext = [c for c in dropped if _is_external(c)]
    if not ext:
        return []
    return [
        "terms without variation or collinear in the fitted history were dropped: "
        + ", ".join(ext)
        + " (a break before or after the history, or a term the model's own level, trend "
        "or seasonal already carries, cannot be estimated)"
    ]


def _identifiable(
    X: pd.DataFrame, implied: list[str], candidates: list[str], notes: list[str]
) -> tuple[str, ...]:
    """Candidate regressors that vary and are independent of the ``implied`` columns
    (what the model's states or differencing already represent) and of each other."""
    if not candidates:
        return ()
    keep, dropped = independent_columns(X[implied + candidates])
    notes += _dropped_note([c for c in dropped if c in candidates])
    return tuple(c for c in keep if c in candidates)


def _steps(periods: pd.PeriodIndex, index: pd.PeriodIndex) -> np.ndarray:
    """Steps after the last history period (<= 0 inside the history)."""
    return np.asarray(periods.asi8 - index[-1].ordinal, dtype=int)


def _future_index(index: pd.PeriodIndex, horizon: int) -> pd.PeriodIndex:
    return pd.period_range(index[-1] + 1, periods=horizon, freq=index.freq, name=index.name)


def _in_history(periods: pd.PeriodIndex, index: pd.PeriodIndex, fitted: np.ndarray) -> np.ndarray:
    pos = np.asarray(periods.asi8 - index[0].ordinal, dtype=int)
    if (pos < 0).any():
        first = periods[pos < 0][0]
        raise DataValidationError(
            f"period {first} is before the fitted history ({index[0]} to {index[-1]}); the "
            "baseline has no expected count there."
        )
    return fitted[pos]


def _require_future(periods: pd.PeriodIndex, index: pd.PeriodIndex) -> np.ndarray:
    steps = _steps(periods, index)
    if (steps <= 0).any():
        raise DataValidationError(
            f"simulate: periods must lie after the history (which ends {index[-1]}); got "
            f"{periods[steps <= 0][0]}. Refit on a shorter history to simulate earlier months."
        )
    return steps


# --------------------------------------------------------------------------- state space


@dataclasses.dataclass
class _StateSpaceBackend:
    """A fitted statsmodels state-space model on ``z`` (structural, SARIMA, ETS)."""

    result: Any
    index: pd.PeriodIndex
    recipe: _Recipe
    exog_columns: tuple[str, ...]
    adjustment: _Adjustment
    fitted: np.ndarray
    #: Variance of the irregular (measurement) term on the log scale: the count noise.
    #: 0 for SARIMA and ETS, whose innovations all enter the state.
    noise_var: float = 0.0

    def _exog(self, periods: pd.PeriodIndex) -> np.ndarray | None:
        if not self.exog_columns:
            return None
        X = self.recipe.frame(periods).reindex(columns=list(self.exog_columns), fill_value=0.0)
        return X.to_numpy(dtype=float)

    def _offset(self, periods: pd.PeriodIndex) -> np.ndarray:
        return self.recipe.log_exposure(periods) + self.adjustment.values(self.recipe, periods)

    def mean(self, periods: pd.PeriodIndex) -> np.ndarray:
        steps = _steps(periods, self.index)
        out = np.empty(len(periods))
        inside = steps <= 0
        if inside.any():
            out[inside] = _in_history(periods[inside], self.index, self.fitted)
        if (~inside).any():
            horizon = int(steps.max())
            fut = _future_index(self.index, horizon)
            fc = self.result.get_forecast(horizon, exog=self._exog(fut))
            m = np.asarray(fc.predicted_mean, dtype=float).reshape(-1) + self._offset(fut)
            v = np.asarray(fc.var_pred_mean, dtype=float).reshape(-1)
            out[~inside] = _to_counts_mean(m, v)[steps[~inside] - 1]
        return out

    def simulate(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> np.ndarray:
        steps = _require_future(periods, self.index)
        horizon = int(steps.max())
        fut = _future_index(self.index, horizon)
        sims = self.result.simulate(
            horizon, repetitions=n_paths, anchor="end", exog=self._exog(fut), rng=rng
        )
        log_paths = np.asarray(sims, dtype=float).reshape(horizon, n_paths).T
        log_paths = log_paths + self._offset(fut)
        return _to_count_paths(log_paths[:, steps - 1])

    def simulate_means(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Paths of the expected count: the model's joint log paths without the irregular
        (state noise and state uncertainty only), as lognormal means; weights are ones."""
        steps = _require_future(periods, self.index)
        horizon = int(steps.max())
        fut = _future_index(self.index, horizon)
        sims = self.result.simulate(
            horizon,
            repetitions=n_paths,
            anchor="end",
            exog=self._exog(fut),
            measurement_shocks=np.zeros((horizon, 1)),
            rng=rng,
        )
        log_paths = np.asarray(sims, dtype=float).reshape(horizon, n_paths).T
        log_paths = log_paths + self._offset(fut)
        return _means_from_log(log_paths[:, steps - 1], self.noise_var), np.ones(n_paths)

    def draw_counts(
        self,
        means: np.ndarray,
        weights: np.ndarray,
        rng: np.random.Generator,
        z: np.ndarray | None = None,
    ) -> np.ndarray:
        """Whole counts: the irregular (lognormal, driven by ``z`` when given) around the
        means; ``weights`` are not used."""
        return _lognormal_counts(means, self.noise_var, rng, z)


def _fit_mle(model: Any, label: str) -> tuple[Any, list[str]]:
    """Fit by maximum likelihood; convergence problems become notes, not exceptions.

    L-BFGS often stops with a line-search failure when a variance sits at its bound of
    0, which statsmodels reports as non-convergence although the optimum is reached.
    Such fits are restarted from their estimates with Nelder-Mead and polished with
    L-BFGS; only if that does not converge either is a note recorded.
    """
    def run(**kwargs: Any) -> tuple[Any, bool]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = model.fit(disp=False, **kwargs)
        retvals = getattr(res, "mle_retvals", None) or {}
        flagged = any(issubclass(w.category, ConvergenceWarning) for w in caught)
        return res, bool(retvals.get("converged", True)) and not flagged

    res, converged = run(maxiter=_MAXITER)
    if not converged:
        nm, _ = run(start_params=res.params, method="nm", maxiter=4 * _MAXITER)
        polished, polished_ok = run(start_params=nm.params, maxiter=_MAXITER)
        if np.isfinite(polished.llf) and polished.llf >= res.llf - 1e-6:
            res, converged = polished, polished_ok
    notes: list[str] = []
    if not converged:
        notes.append(
            f"{label}: maximum likelihood did not converge (statsmodels ConvergenceWarning, "
            "also after a Nelder-Mead restart); the best estimates found are used"
        )
    if not np.isfinite(res.llf):
        raise FitError(
            f"{label}: the log-likelihood is not finite at the estimates; the model cannot "
            "be fitted to this series. Try another family or a longer history."
        )
    return res, notes


def _non_diffuse(res: Any) -> np.ndarray:
    """Periods whose one-step-ahead prediction has no diffuse part (exact diffuse start)."""
    fr = res.filter_results
    diffuse = getattr(fr, "forecasts_error_diffuse_cov", None)
    n = int(res.nobs)
    if diffuse is None:
        return np.ones(n, dtype=bool)
    return np.asarray(diffuse, dtype=float).reshape(-1)[:n] <= 1e-12


def _in_sample_counts(res: Any, offset: np.ndarray, *, smoothed: bool) -> np.ndarray:
    """In-sample expected counts (lognormal mean of the predictive distribution of z).

    ``smoothed``: the smoothed signal (structural models, whose irregular is separate);
    otherwise the one-step-ahead prediction (SARIMA, ETS, where the smoothed value is the
    observation itself), NaN while that prediction is still diffuse.
    """
    pred = res.get_prediction(information_set="smoothed" if smoothed else "predicted")
    m = np.asarray(pred.predicted_mean, dtype=float).reshape(-1) + offset
    v = np.asarray(pred.var_pred_mean, dtype=float).reshape(-1)
    out = _to_counts_mean(m, v)
    if not smoothed:
        out = np.where(_non_diffuse(res), out, np.nan)
    return out


def _irregular_variance(res: Any) -> float:
    """Variance of the measurement (irregular) term: the structural model's irregular;
    0 for SARIMA and ETS (no measurement error in their state-space form)."""
    obs_cov = np.asarray(res.filter_results.obs_cov, dtype=float)
    return float(max(obs_cov.reshape(-1)[0], 0.0)) if obs_cov.size else 0.0


def _one_step_variance(res: Any, used: np.ndarray) -> float:
    """Mean squared one-step-ahead error of ``z`` over the non-excluded periods whose
    prediction is not diffuse (the start of the series, the onset of a break)."""
    err = np.asarray(res.filter_results.forecasts_error, dtype=float).reshape(-1)
    ok = used & np.isfinite(err) & _non_diffuse(res)
    if ok.sum() < 2:
        return float("nan")
    return float(np.mean(err[ok] ** 2))


def _structural_model(
    endog: np.ndarray,
    exog: np.ndarray | None,
    *,
    trend_component: str,
    seasonal_kind: str,
    seasonal: bool,
) -> Any:
    """statsmodels ``UnobservedComponents`` for the ``structural`` family.

    A stochastic level (``trend_component="random_walk"``: local level) or stochastic
    level and slope (``"local_linear_trend"``), an irregular, and (when ``seasonal``) a
    stochastic dummy seasonal of period 12 or a stochastic trigonometric seasonal with
    :data:`TRIGONOMETRIC_HARMONICS` harmonics. Exact diffuse initialisation; regression
    coefficients in the state vector.
    """
    kwargs: dict[str, Any] = {
        "level": True,
        "stochastic_level": True,
        "irregular": True,
        "use_exact_diffuse": True,
    }
    if trend_component == "local_linear_trend":
        kwargs.update(trend=True, stochastic_trend=True)
    if seasonal:
        if seasonal_kind == "dummy":
            kwargs.update(seasonal=SEASONAL_PERIOD, stochastic_seasonal=True)
        else:
            kwargs.update(
                freq_seasonal=[{"period": SEASONAL_PERIOD, "harmonics": TRIGONOMETRIC_HARMONICS}],
                stochastic_freq_seasonal=[True],
            )
    if exog is not None:
        kwargs.update(exog=exog, mle_regression=False)
    return UnobservedComponents(endog, **kwargs)


def _check_orders(spec: BaselineSpec) -> tuple[tuple[int, ...], tuple[int, ...]]:
    order, sorder = tuple(spec.order), tuple(spec.seasonal_order)
    ok = (
        len(order) == 3
        and len(sorder) == 4
        and all(isinstance(v, (int, np.integer)) and v >= 0 for v in order + sorder)
        and (sorder[3] == SEASONAL_PERIOD or (sorder[3] == 0 and sum(sorder[:3]) == 0))
    )
    if not ok:
        raise DataValidationError(
            f"BaselineSpec: order={spec.order!r}, seasonal_order={spec.seasonal_order!r} "
            "are not valid for monthly SARIMA; expected order=(p, d, q) and "
            "seasonal_order=(P, D, Q, 12) with non-negative integers, e.g. (1, 0, 0) and "
            "(0, 1, 1, 12)."
        )
    return order, sorder


def _fit_state_space(
    family: str,
    spec: BaselineSpec,
    z: np.ndarray,
    used: np.ndarray,
    index: pd.PeriodIndex,
    recipe: _Recipe,
) -> tuple[_StateSpaceBackend, pd.Series, float, str, list[str]]:
    endog = np.where(used, z, np.nan)
    excluded_any = not used.all()
    notes: list[str] = []
    adjustment = _Adjustment()
    exog_cols: tuple[str, ...] = ()
    X_all = recipe.frame(index, seasonal=True)
    external = [c for c in X_all.columns if _is_external(c)]
    months = [c for c in X_all.columns if c.startswith("month_")]
    if family == "structural":
        # the states already carry a level (and slope, and seasonal): regressors collinear
        # with them would never leave the diffuse phase
        implied = ["const"] + (["trend"] if spec.trend_component == "local_linear_trend" else [])
        implied += months if spec.seasonality != "none" else []
        exog_cols = _identifiable(X_all.loc[used], implied, external, notes)
        exog = X_all[list(exog_cols)].to_numpy(dtype=float) if exog_cols else None
        model = _structural_model(
            endog,
            exog,
            trend_component=spec.trend_component,
            seasonal_kind=spec.seasonal_kind,
            seasonal=spec.seasonality != "none",
        )
        seas = (
            "none"
            if spec.seasonality == "none"
            else "dummy (period 12)"
            if spec.seasonal_kind == "dummy"
            else f"trigonometric ({TRIGONOMETRIC_HARMONICS} harmonics, not 6: see DESIGN.md 8)"
        )
        label = "structural"
        method = (
            f"Structural time series (statsmodels UnobservedComponents, "
            f"{spec.trend_component.replace('_', ' ')} level, {seas} seasonal, exact diffuse "
            "start) on log(calls + 0.5) minus log exposure"
        )
    elif family == "sarima":
        order, sorder = _check_orders(spec)
        n_diff = order[1] + sorder[1]
        det = []
        if n_diff == 0:
            det = ["const"] + (["trend"] if spec.trend != "none" else [])
        elif n_diff == 1 and spec.trend != "none":
            det = ["trend"]  # a drift: the trend column differenced once is a constant
        # terms the differencing annihilates cannot be estimated either
        implied = (["const"] if n_diff >= 1 else []) + (months if sorder[1] >= 1 else [])
        implied += ["trend"] if n_diff >= 2 else []
        exog_cols = _identifiable(X_all.loc[used], implied, det + external, notes)
        exog = X_all[list(exog_cols)].to_numpy(dtype=float) if exog_cols else None
        model = SARIMAX(
            endog,
            exog=exog,
            order=order,
            seasonal_order=sorder,
            trend="n",
            mle_regression=False,
            initialization="diffuse",  # exact diffuse: sane smoothed values in year one
        )
        label = f"SARIMA{order}x{sorder}"
        drift = " with drift" if "trend" in exog_cols else ""
        method = (
            f"{label}{drift} (statsmodels SARIMAX, exact diffuse start, regression "
            "coefficients in the state) on log(calls + 0.5) minus log exposure"
        )
    else:  # ets
        # statsmodels' exponential smoothing mishandles missing values in its start-up
        # (it fails or concentrates odd initial states), so excluded months are filled
        # with the auxiliary regression's values instead of being left missing
        adjustment, filler, adj_notes = _fit_adjustment(z, used, recipe, index)
        notes += adj_notes
        endog = np.where(used, z - adjustment.values(recipe, index), filler)
        has_trend = spec.trend != "none"
        model = ExponentialSmoothing(
            endog,
            trend=has_trend,
            damped_trend=has_trend,
            seasonal=SEASONAL_PERIOD if spec.seasonality != "none" else None,
            initialization_method="concentrated",
        )
        label = "ETS"
        parts = ["additive error", "additive damped trend" if has_trend else "no trend"]
        parts.append("additive seasonal" if spec.seasonality != "none" else "no seasonal")
        method = (
            f"ETS ({', '.join(parts)}; statsmodels' state-space ExponentialSmoothing, "
            "initial states concentrated out) on log(calls + 0.5) minus log exposure"
            + (
                ", excluded months filled by a trend and month-effects regression"
                if excluded_any
                else ""
            )
        )
        if adjustment.columns:
            method += ", pre-adjusted for " + ", ".join(adjustment.columns)
    res, fit_notes = _fit_mle(model, label)
    notes += fit_notes
    if family != "ets" and res.filter_results.nobs_diffuse >= len(z):
        notes.append(
            f"{label}: the Kalman filter never left its diffuse phase (a state or regressor "
            "the data cannot determine); the likelihood is not the textbook one and the fit "
            "should not be trusted"
        )
    offset = recipe.log_exposure(index) + adjustment.values(recipe, index)
    backend = _StateSpaceBackend(
        result=res,
        index=index,
        recipe=recipe,
        exog_columns=exog_cols,
        adjustment=adjustment,
        fitted=_in_sample_counts(res, offset, smoothed=family == "structural"),
        noise_var=_irregular_variance(res),
    )
    names = list(res.model.param_names)
    params = pd.Series(np.asarray(res.params, dtype=float), index=names, name="estimate")
    if family == "ets":  # the innovation variance is concentrated out
        params["sigma2"] = float(res.scale)
    if exog_cols:
        # regression coefficients live in the state: report their smoothed values
        # (statsmodels appends them as the last states)
        beta = np.asarray(res.smoothed_state, dtype=float)[-len(exog_cols) :, -1]
        params = pd.concat([params, pd.Series(beta, index=[f"beta.{c}" for c in exog_cols])])
    if adjustment.columns:
        params = pd.concat(
            [
                params,
                pd.Series(adjustment.coef, index=[f"adjust.{c}" for c in adjustment.columns]),
            ]
        )
    dispersion = _one_step_variance(res, used)
    method += (
        f"; log-likelihood {res.llf:.2f}. Intervals: the model's joint simulated log paths "
        "(state and observation noise, plug-in variance parameters) turned into whole counts."
    )
    return backend, params.rename("estimate"), dispersion, method, notes


# --------------------------------------------------------------------------- seasonal naive


@dataclasses.dataclass
class _SeasonalNaiveBackend:
    """Same month one year earlier; block bootstrap of seasonal-difference residuals."""

    index: pd.PeriodIndex
    z: np.ndarray  # adjusted log values, NaN where excluded
    residuals: np.ndarray  # centred seasonal-difference residuals in time order
    recipe: _Recipe
    adjustment: _Adjustment
    fitted: np.ndarray

    def _offset(self, periods: pd.PeriodIndex) -> np.ndarray:
        return self.recipe.log_exposure(periods) + self.adjustment.values(self.recipe, periods)

    def _reference(self, steps: np.ndarray) -> np.ndarray:
        """Last non-excluded history value of the same month, for steps 1..12."""
        n = len(self.z)
        out = np.full(len(steps), np.nan)
        for i, s in enumerate(steps):
            pos = n - 1 + int(s) - SEASONAL_PERIOD
            while pos >= n:
                pos -= SEASONAL_PERIOD
            while pos >= 0 and np.isnan(self.z[pos]):
                pos -= SEASONAL_PERIOD
            if pos >= 0:
                out[i] = self.z[pos]
        return out

    def mean(self, periods: pd.PeriodIndex) -> np.ndarray:
        steps = _steps(periods, self.index)
        out = np.empty(len(periods))
        inside = steps <= 0
        if inside.any():
            out[inside] = _in_history(periods[inside], self.index, self.fitted)
        if (~inside).any():
            ref = self._reference(steps[~inside])
            out[~inside] = _to_counts_mean(ref + self._offset(periods[~inside]), 0.0)
        return out

    def simulate(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> np.ndarray:
        steps = _require_future(periods, self.index)
        return _to_count_paths(self._log_paths(int(steps.max()), n_paths, rng)[:, steps - 1])

    def _log_paths(self, horizon: int, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Bootstrapped log paths of the next ``horizon`` periods, offsets included."""
        fut = _future_index(self.index, horizon)
        m = len(self.residuals)
        start = rng.integers(0, m, size=n_paths)
        block = self.residuals[(start[:, None] + np.arange(horizon)[None, :]) % m]
        base = self._reference(np.arange(1, min(horizon, SEASONAL_PERIOD) + 1))
        paths = np.empty((n_paths, horizon))
        for j in range(horizon):
            prev = base[j] if j < SEASONAL_PERIOD else paths[:, j - SEASONAL_PERIOD]
            paths[:, j] = prev + block[:, j]
        return paths + self._offset(fut)

    def simulate_means(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """The bootstrap paths on the count scale (not rounded); weights are ones. The
        bootstrapped residuals are the whole noise, so :meth:`draw_counts` only rounds."""
        steps = _require_future(periods, self.index)
        log_paths = self._log_paths(int(steps.max()), n_paths, rng)
        return _means_from_log(log_paths[:, steps - 1], 0.0), np.ones(n_paths)

    def draw_counts(
        self,
        means: np.ndarray,
        weights: np.ndarray,
        rng: np.random.Generator,
        z: np.ndarray | None = None,
    ) -> np.ndarray:
        """Whole counts: the means rounded (the bootstrap already holds the noise)."""
        return _lognormal_counts(means, 0.0, rng, z)


def _fit_seasonal_naive(
    z: np.ndarray, used: np.ndarray, index: pd.PeriodIndex, recipe: _Recipe
) -> tuple[_SeasonalNaiveBackend, pd.Series, float, str, list[str]]:
    adjustment, _, notes = _fit_adjustment(z, used, recipe, index)
    za = np.where(used, z - adjustment.values(recipe, index), np.nan)
    n = len(za)
    diff = za[SEASONAL_PERIOD:] - za[:-SEASONAL_PERIOD]
    diff = diff[np.isfinite(diff)]
    if len(diff) < 12:
        raise FitError(
            f"seasonal_naive: only {len(diff)} pairs of non-excluded months one year apart; "
            "need at least 12 to bootstrap the forecast errors. Use a longer history or "
            "exclude fewer months."
        )
    if len(diff) < 36:
        notes.append(
            f"seasonal_naive: only {len(diff)} seasonal-difference residuals to bootstrap; "
            "the interval tails are poorly determined"
        )
    log_mean_exp = float(np.log(np.mean(np.exp(diff))))
    resid = diff - log_mean_exp  # centred so that mean(exp(resid)) == 1
    # in-sample: the last non-excluded same-month value before each month
    ref = np.full(n, np.nan)
    for t in range(n):
        pos = t - SEASONAL_PERIOD
        while pos >= 0 and np.isnan(za[pos]):
            pos -= SEASONAL_PERIOD
        if pos >= 0:
            ref[t] = za[pos]
    offset = recipe.log_exposure(index) + adjustment.values(recipe, index)
    fitted = np.where(np.isnan(ref), np.nan, _to_counts_mean(np.nan_to_num(ref) + offset, 0.0))
    backend = _SeasonalNaiveBackend(
        index=index, z=za, residuals=resid, recipe=recipe, adjustment=adjustment, fitted=fitted
    )
    params = pd.Series(
        {"mean_seasonal_difference": float(np.mean(diff))}
        | {f"adjust.{c}": b for c, b in zip(adjustment.columns, adjustment.coef, strict=True)},
        name="estimate",
    )
    method = (
        "Seasonal naive: the expected count is the count of the same month one year earlier "
        "(K = 1 year; the last non-excluded year if that month is excluded), no drift"
        + (", pre-adjusted for " + ", ".join(adjustment.columns) if adjustment.columns else "")
        + f"; intervals from a circular block bootstrap of {len(diff)} centred seasonal "
        "differences of log(calls + 0.5), compounded beyond 12 months."
    )
    return backend, params, float(np.var(resid, ddof=1)), method, notes


# --------------------------------------------------------------------------- entry point


def fit_ts_baseline(
    series: pd.Series,
    spec: BaselineSpec,
    *,
    breaks: EventRegistry | None = None,
    exposure: pd.Series | None = None,
    covariates: pd.DataFrame | None = None,
    exclude: np.ndarray | pd.Series | None = None,
    shape_overrides: dict[str, str] | None = None,
    terms: EventRegistry | None = None,
) -> BaselineFit:
    """Fit a structural, SARIMA, ETS or seasonal-naive baseline on log counts.

    Called by :func:`impact.baselines.glm.fit_baseline` for the non-GLM families; use that
    function, which validates the series and emits the fit warnings.

    Parameters
    ----------
    series : Series
        Monthly counts on a complete ``PeriodIndex`` (``freq="M"``), validated.
    spec : BaselineSpec
        ``family`` one of ``structural``, ``sarima``, ``ets``, ``seasonal_naive``. Also
        read: ``trend_component`` and ``seasonal_kind`` (structural), ``order`` and
        ``seasonal_order`` (sarima), ``trend`` (``"none"`` drops the SARIMA drift and the
        ETS trend; ``"piecewise"`` adds slope changes at breaks), ``seasonality``
        (``"none"`` drops the seasonal component; otherwise the family's own seasonal is
        used), ``exposure``.
    breaks : EventRegistry, optional
        Known breaks. ``structural`` and ``sarima``: regressors with coefficients in the
        state; ``ets`` and ``seasonal_naive``: pre-adjustment (module notes).
    exposure : Series, optional
        Exposure per period for ``spec.exposure="column"``; must cover forecast periods.
    covariates : DataFrame, optional
        Control series on the log scale as given, covering history and forecasts;
        treated like breaks.
    exclude : array or Series of bool, optional
        Periods left out of the fit: missing for ``structural`` and ``sarima``, filled
        by the auxiliary regression for ``ets``, skipped by ``seasonal_naive`` (the last
        non-excluded year of the same month is the reference).
    shape_overrides : dict, optional
        Event id -> shape for events whose shape is ``unknown``.
    terms : EventRegistry, optional
        Further event regressors (nuisance terms), treated like breaks.

    Returns
    -------
    BaselineFit
        ``fitted`` are in-sample expected counts (smoothed, lognormal mean; for
        ``seasonal_naive`` the reference count, NaN in the first year); ``params`` the
        statsmodels parameters plus ``beta.<column>`` (regression coefficients, smoothed
        state at the end) and ``adjust.<column>`` (pre-adjustment log-ratios);
        ``dispersion`` the one-step-ahead residual variance on the log scale (for
        ``seasonal_naive`` the variance of the seasonal-difference residuals);
        ``residual_autocorrelation`` is 0 (the models carry their own dependence).

    Raises
    ------
    DataValidationError
        For a non-monthly series, an unsupported family, invalid SARIMA orders, bad
        exposure or covariates, or an ``exclude`` of the wrong length.
    FitError
        With too few non-excluded months (36; 24 for ``seasonal_naive``) or a
        non-finite likelihood.

    Notes
    -----
    The expected count is the lognormal mean ``exp(m + v / 2) - 0.5``; simulated paths
    are the models' joint log paths made whole counts, without extra Poisson noise (module
    notes). Convergence problems of the statsmodels optimiser are recorded in
    ``warnings``, never raised.
    """
    if spec.family not in TS_FAMILIES:
        raise DataValidationError(
            f"fit_ts_baseline: family {spec.family!r} is not a time-series family; expected "
            f"one of {', '.join(TS_FAMILIES)} (count GLMs are fitted by fit_baseline)."
        )
    index = series.index
    if not isinstance(index, pd.PeriodIndex) or not index.freqstr.startswith("M"):
        raise DataValidationError(
            f"family {spec.family!r} needs a monthly series (PeriodIndex with freq 'M'), got "
            f"{getattr(index, 'freqstr', type(index).__name__)}; use a count GLM family "
            "(negbin, quasipoisson, poisson) for weekly or daily counts."
        )
    n = len(series)
    y = series.to_numpy(dtype=float)
    if not np.all(np.isfinite(y)) or (y < 0).any():
        raise DataValidationError(
            "series: counts must be finite and >= 0; validate it with "
            "impact._core.validation.validate_series first."
        )
    if exclude is None:
        excluded = np.zeros(n, dtype=bool)
    elif isinstance(exclude, pd.Series):
        excluded = exclude.reindex(index, fill_value=False).to_numpy(dtype=bool)
    else:
        excluded = np.asarray(exclude, dtype=bool)
    if excluded.shape != (n,):
        raise DataValidationError(
            f"exclude has {excluded.size} values for a series of {n} periods."
        )
    used = ~excluded
    need = _MIN_USED[spec.family]
    if int(used.sum()) < need:
        raise FitError(
            f"baseline {spec.family}: {int(used.sum())} non-excluded months; need at least "
            f"{need}. Use a longer pre-period, exclude fewer months, or a count GLM family."
        )
    recipe = _Recipe(
        origin=index[0],
        trend=spec.trend,
        breaks=breaks if breaks is not None and len(breaks) else None,
        terms=terms if terms is not None and len(terms) else None,
        covariates=covariates,
        shape_overrides=shape_overrides,
        exposure_kind=spec.exposure,
        exposure_series=exposure,
    )
    z = np.log(y + LOG_SHIFT) - recipe.log_exposure(index)
    if spec.family == "seasonal_naive":
        backend, params, dispersion, method, notes = _fit_seasonal_naive(z, used, index, recipe)
    else:
        backend, params, dispersion, method, notes = _fit_state_space(
            spec.family, spec, z, used, index, recipe
        )
    return BaselineFit(
        spec=spec,
        history=series.copy(),
        excluded=pd.Series(excluded, index=index, name="excluded"),
        fitted=pd.Series(backend.fitted, index=index, name="expected"),
        params=params,
        dispersion=float(dispersion),
        residual_autocorrelation=0.0,
        method=method,
        warnings=tuple(notes),
        backend=backend,
    )
