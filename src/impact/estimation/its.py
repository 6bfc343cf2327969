"""Interrupted time series regression (Lopez Bernal, Cummins & Gasparrini 2017 style).

One model over the whole series with event regressors: rate ratios with Wald intervals,
and excess counts by switching the event terms off.

Two kinds of model:

- a count GLM (``poisson``, ``quasipoisson``, ``negbin``) with trend and seasonal terms;
- ``structural``: intervention analysis in a structural time-series model (Box & Tiao
  1975; Harvey & Durbin 1986; Harvey 1989; Durbin & Koopman 2012, section 8.2). An
  unobserved-components model of ``z = log(calls + log_shift) - log(exposure)`` (default
  shift :data:`~impact.baselines.LOG_SHIFT`, 0.5, which keeps zero counts finite): a
  random-walk level or local linear trend, a dummy or trigonometric seasonal of period 12,
  an irregular, and the event regressors, known breaks and covariates as regression
  effects. The regression coefficients are states of the model (exact diffuse start), so
  they are estimated over the whole series, and their smoothed values at the last period
  with their root mean square errors are the coefficients and standard errors
  (Durbin & Koopman 2012, section 6.2). The variances are maximum likelihood estimates.

Trigonometric seasonal: all six harmonics of period 12 are kept, but the sixth
(Nyquist) harmonic has an identically zero sine, whose companion state never enters the
observation; statsmodels carries it, and with an exact diffuse start the filter would
never leave its diffuse phase (DESIGN.md section 8). That state starts known at zero, so
the model is the textbook one with 11 seasonal states; it reproduces Durbin & Koopman's
published seat-belt fit (tests/estimation/reference/).
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.statespace.initialization import Initialization
from statsmodels.tsa.statespace.structural import UnobservedComponents

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_SEED
from impact._core.exceptions import DataValidationError, FitError, ImpactWarning
from impact._core.provenance import label_text
from impact._core.summary import Summary
from impact._core.validation import validate_covariates, validate_level, validate_series
from impact.baselines import (
    COUNT_GLM_FAMILIES,
    LOG_SHIFT,
    BaselineSpec,
    fit_negbin_glm,
    independent_columns,
)
from impact.baselines.design import baseline_design_spec, build_design, exposure_for
from impact.baselines.fit import check_fittable, zero_record_gaps
from impact.estimation.setup import as_registry
from impact.events.event import Event
from impact.events.identifiability import check_identifiability
from impact.events.registry import EventRegistry
from impact.events.roles import assign_roles, default_shapes
from impact.plots import effects as _plots_effects

__all__ = ["ITS_EFFECT_COLUMNS", "ITSResult", "fit_its"]

#: Columns of :attr:`ITSResult.effects`.
ITS_EFFECT_COLUMNS: tuple[str, ...] = (
    "event",
    "term",
    "coef",
    "se",
    "rate_ratio",
    "rate_ratio_lower",
    "rate_ratio_upper",
    "p_value",
    "excess",
    "excess_lower",
    "excess_upper",
)


@dataclasses.dataclass(frozen=True)
class ITSResult:
    """A fitted interrupted time series regression.

    Attributes
    ----------
    effects : DataFrame
        One row per event term, columns :data:`ITS_EFFECT_COLUMNS`. ``rate_ratio`` is
        ``exp(coef)``; its interval is a Wald interval at ``level`` (standard errors scaled
        by the Pearson dispersion for quasi-Poisson; HAC when ``robust="hac"``;
        ``structural``: the smoothed regression state's root mean square error).
        ``excess`` is the sum over the series of fitted counts minus fitted counts with
        the event's terms switched off; its interval is a confidence interval from
        coefficient draws.
    params, bse : Series
        All coefficients and standard errors. ``structural``: the variance parameters
        (standard errors NaN) and the regression effects (``event_*``, ``slope_*``,
        ``cov_*``, ``break_*``).
    dispersion : float
        GLM dispersion; ``structural``: the irregular variance on the log scale.
    fitted : Series
    level : float
    spec : BaselineSpec
    method : str
    warnings : tuple of str
    data_kind : str
    """

    effects: pd.DataFrame
    params: pd.Series
    bse: pd.Series
    dispersion: float
    fitted: pd.Series
    observed: pd.Series
    level: float
    spec: BaselineSpec
    method: str
    warnings: tuple[str, ...]
    data_kind: str

    def to_frame(self) -> pd.DataFrame:
        """The ``effects`` table (copy), with ``level`` and ``data_kind`` columns."""
        f = self.effects.copy()
        f["level"] = self.level
        f["data_kind"] = self.data_kind
        return f

    def summary(self) -> Any:

        pct = int(round(self.level * 100))
        parts = []
        for r in self.effects.itertuples():
            parts.append(
                f"{r.event} ({r.term}): rate ratio {r.rate_ratio:.4f} ({pct}% CI "
                f"{r.rate_ratio_lower:.4f} to {r.rate_ratio_upper:.4f}), excess "
                f"{r.excess:+.0f} calls ({r.excess_lower:+.0f} to {r.excess_upper:+.0f})"
            )
        text = (
            "; ".join(parts)
            + f". Interrupted time series regression: {self.method} Intervals are {pct}% Wald "
            "confidence intervals for rate ratios and simulation confidence intervals for "
            f"expected excess counts. Data kind: {self.data_kind}."
        )
        text = label_text(text, data_kind=self.data_kind, caveats=self.warnings)
        return Summary(table=self.to_frame().set_index("event"), text=text)

    def plot(self, *, ax: Any = None) -> Any:
        return _plots_effects.plot_its(self, ax=ax)



def _estimable(X: pd.DataFrame, term_of: Any, notes: list[str], *, others: str,
               dropped_what: str) -> list[str]:
    """Columns of ``X`` (event terms first) that can be estimated: an event term that
    cannot is an error, any other such column is dropped with a note."""
    keep, dropped = independent_columns(X)
    lost = [t for t in term_of if t not in keep]
    if lost:
        raise DataValidationError(
            f"event term(s) without variation over the series or collinear with {others}: "
            + ", ".join(lost) + "; the event lies outside the data, covers all of it, or "
            "coincides with a known break. Shorten the series or drop the break."
        )
    if dropped:
        notes.append(f"{dropped_what} without variation or collinear with others were "
                     "dropped: " + ", ".join(dropped) + ".")
    return keep


def fit_its(
    series: pd.Series,
    events: Event | EventRegistry | Iterable[Event],
    *,
    spec: BaselineSpec | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    covariates: pd.DataFrame | None = None,
    exposure: pd.Series | None = None,
    level: float = DEFAULT_LEVEL,
    slope_change: bool = False,
    robust: str | None = None,
    maxlags: int | None = None,
    shape_overrides: dict[str, str] | None = None,
    merge_threshold: float = 0.9,
    seed: int = DEFAULT_SEED,
    n_draws: int = 2000,
    data_kind: str | None = None,
    log_shift: float | None = None,
) -> ITSResult:
    """Fit one count regression over the whole series with event regressors.

    Parameters
    ----------
    series : Series
        Complete count series.
    events : Event, EventRegistry or iterable of Event
        Events whose effects are estimated (each its own regressor, with its shape and
        partial-period exposure). Events that cannot be told apart at the series'
        resolution are merged into one term, with a warning.
    spec : BaselineSpec, optional
        Count GLM family (``poisson``, ``quasipoisson``, ``negbin``), trend, seasonality
        and exposure. Default negative binomial, linear trend, month effects. Or
        ``structural``: an unobserved-components model on log counts (module docstring)
        with ``spec.trend_component`` (``random_walk`` level or ``local_linear_trend``),
        ``spec.seasonal_kind`` (``dummy`` or ``trigonometric``; ``seasonality="none"``
        for none; monthly series only) and ``spec.exposure``; ``spec.trend`` and
        ``spec.harmonics`` are not used (the states carry trend and seasonal).
    context : EventRegistry, optional
        Known breaks (capacity, registration, pandemic) to include as baseline terms.
    covariates : DataFrame, optional
        Control series on the series' index.
    exposure : Series, optional
        Exposure for ``spec.exposure="column"`` (offset ``log(exposure)``).
    slope_change : bool, default False
        Add a slope change at each step event, centred at its start (time since start,
        in years).
    robust : {None, "hac"}
        ``"hac"``: Newey-West standard errors robust to autocorrelation.
    maxlags : int, optional
        HAC lags (default ``floor(4 (n/100)^(2/9))``).
    log_shift : float, optional
        ``structural`` only: the model is fitted to ``log(calls + log_shift)``; default
        :data:`~impact.baselines.LOG_SHIFT` (0.5). 0 (plain logs, as in the published
        analyses) needs every count positive.

    Returns
    -------
    ITSResult
    """
    level = validate_level(level)
    series = validate_series(series, name="series")
    spec = spec or BaselineSpec()
    if spec.family not in (*COUNT_GLM_FAMILIES, "structural"):
        raise DataValidationError(
            f"fit_its supports the count families {', '.join(COUNT_GLM_FAMILIES)} and "
            f"'structural'; got {spec.family!r}. Use estimate_effect for the other "
            "time-series families."
        )
    if robust not in (None, "hac"):
        raise DataValidationError(f"robust={robust!r}; expected None or 'hac'.")
    if spec.family == "structural":
        _check_structural_args(series, spec, robust=robust, log_shift=log_shift)
    elif log_shift is not None:
        raise DataValidationError("log_shift is used by the 'structural' family only.")
    # months of zeros amid busy months are missing records, not data (as in fit_baseline)
    gaps, gap_notes = zero_record_gaps(series, np.zeros(len(series), dtype=bool), fit="fit")
    check_fittable(series, gaps, f"fit_its {spec.family}")
    for note in gap_notes:
        warnings.warn(f"fit_its: {note}", ImpactWarning, stacklevel=2)
    reg = as_registry(events)
    roles = assign_roles(reg, as_registry(context), shape_overrides=shape_overrides)
    study, breaks = list(roles.study), list(roles.breaks)
    if not study:
        raise DataValidationError("fit_its needs at least one news, campaign or policy event.")
    idx = series.index
    notes: list[str] = list(gap_notes)
    # concrete shapes for the breaks only: a studied event of shape unknown must be given one
    overrides = default_shapes(breaks, shape_overrides)
    study_reg = EventRegistry(study)
    report = check_identifiability(
        study_reg, idx, threshold=merge_threshold, shape_overrides=overrides
    )
    if not report.is_identifiable:
        # merge_unidentifiable warns (IdentifiabilityWarning) with the same messages
        study_reg, _ = study_reg.merge_unidentifiable(
            idx, threshold=merge_threshold, shape_overrides=overrides
        )
        notes.extend(report.messages)
    ev = study_reg.to_regressors(idx, shape_overrides=overrides)
    extra = ev.add_prefix("event_")
    term_of: dict[str, tuple[str, str]] = {f"event_{c}": (c, "level") for c in ev.columns}
    if slope_change:
        for c in ev.columns:
            col = ev[c].to_numpy()
            if col.max() > 0:
                first = int(np.argmax(col > 0))
                per_year = {"M": 12.0}.get(idx.freqstr[0], 52.1775 if idx.freqstr[0] == "W"
                                            else 365.25)
                # periods since the start, counting the first period as 1 (as in the
                # corrected code of Lopez Bernal et al.), in years
                extra[f"slope_{c}"] = np.where(
                    np.arange(len(idx)) >= first, (np.arange(len(idx)) - first + 1) / per_year,
                    0.0,
                )
                term_of[f"slope_{c}"] = (c, "slope per year")
    if covariates is not None:
        extra = pd.concat(
            [extra, validate_covariates(covariates, idx).add_prefix("cov_")], axis=1)
    brk = (
        EventRegistry(breaks).to_regressors(idx, shape_overrides=overrides)
        if (breaks and spec.use_breaks)
        else None
    )
    if spec.family == "structural":
        return _fit_structural(
            series, spec, extra=extra, breaks=brk, term_of=term_of, exposure=exposure,
            level=level, seed=seed, n_draws=n_draws, notes=notes, gaps=gaps,
            log_shift=LOG_SHIFT if log_shift is None else float(log_shift),
            data_kind=data_kind or series.attrs.get("kind", "unspecified"),
        )
    # calendar terms (day of week, holidays) resolve for the series' resolution: none for
    # monthly series, so monthly fits are what they were
    dspec = baseline_design_spec(spec, idx)
    X = build_design(idx, dspec, breaks=brk, extra=extra)
    # event terms first, so that a collinear break (not the event) is the one dropped
    order = ["const", *term_of, *[c for c in X.columns if c != "const" and c not in term_of]]
    used = ~gaps
    keep = _estimable(X[order][used], term_of, notes, others="the baseline terms",
                      dropped_what="baseline terms")
    X = X[[c for c in X.columns if c in keep]]
    off = np.log(exposure_for(idx, spec.exposure, exposure))
    # fitted on the used rows; excess counts and fitted values over the whole series,
    # missing-record months included
    y_u, X_u, off_u = series.to_numpy(dtype=float)[used], X[used], off[used]
    n, k = X_u.shape
    if n - k < 4:
        raise FitError(f"fit_its: {n} periods for {k} parameters; use fewer terms.")
    if robust == "hac":
        lags = maxlags if maxlags is not None else int(np.floor(4 * (n / 100) ** (2 / 9)))
        fit_kw: dict[str, Any] = {"cov_type": "HAC", "cov_kwds": {"maxlags": lags}}
    else:
        fit_kw = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if spec.family == "poisson":
            res = GLM(y_u, X_u, family=families.Poisson(), offset=off_u).fit(**fit_kw)
            disp = 1.0
            method = "Poisson GLM (maximum likelihood)."
        elif spec.family == "quasipoisson":
            res = GLM(y_u, X_u, family=families.Poisson(), offset=off_u).fit(scale="X2", **fit_kw)
            disp = float(res.scale)
            method = (
                f"quasi-Poisson GLM; standard errors scaled by the Pearson dispersion {disp:.3f}."
            )
        else:
            pois = GLM(y_u, X_u, family=families.Poisson(), offset=off_u).fit()
            res, disp, _ = fit_negbin_glm(y_u, X_u, off_u, n - k, poisson_fit=pois,
                                          fit_kwargs=fit_kw)
            method = f"negative binomial (NB2) GLM, alpha {disp:.4f} from the Pearson equation."
    if robust == "hac":
        method += f" Newey-West (HAC) standard errors with {fit_kw['cov_kwds']['maxlags']} lags."
    params = pd.Series(np.asarray(res.params), index=X.columns)
    bse = pd.Series(np.asarray(res.bse), index=X.columns)
    cov = np.asarray(res.cov_params())
    z = stats.norm.ppf((1 + level) / 2)
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_normal(params.to_numpy(), cov, size=n_draws, method="eigh")
    Xn = X.to_numpy()
    rows = []
    for term, (event_id, kind) in term_of.items():
        j = X.columns.get_loc(term)
        coef, se = float(params.iloc[j]), float(bse.iloc[j])
        # excess: fitted minus fitted with this event's terms off, summed over the series
        cols = [X.columns.get_loc(t) for t, (e, _) in term_of.items() if e == event_id]
        on = np.exp(draws @ Xn.T + off)
        Xoff = Xn.copy()
        Xoff[:, cols] = 0.0
        off_mu = np.exp(draws @ Xoff.T + off)
        ex_draws = (on - off_mu).sum(axis=1)
        mu_hat = np.exp(Xn @ params.to_numpy() + off)
        mu_off = np.exp(Xoff @ params.to_numpy() + off)
        excess = float((mu_hat - mu_off).sum()) if kind == "level" else np.nan
        ex_lo, ex_hi = np.quantile(ex_draws, [(1 - level) / 2, (1 + level) / 2])
        rows.append(
            {
                "event": event_id,
                "term": kind,
                "coef": coef,
                "se": se,
                "rate_ratio": float(np.exp(coef)),
                "rate_ratio_lower": float(np.exp(coef - z * se)),
                "rate_ratio_upper": float(np.exp(coef + z * se)),
                "p_value": float(2 * stats.norm.sf(abs(coef / se))) if se > 0 else np.nan,
                "excess": excess,
                "excess_lower": float(ex_lo) if kind == "level" else np.nan,
                "excess_upper": float(ex_hi) if kind == "level" else np.nan,
            }
        )
    effects = pd.DataFrame(rows, columns=list(ITS_EFFECT_COLUMNS))
    return ITSResult(
        effects=effects,
        params=params,
        bse=bse,
        dispersion=disp,
        fitted=pd.Series(np.exp(Xn @ params.to_numpy() + off), index=idx, name="expected"),
        observed=series.astype(float),
        level=level,
        spec=spec,
        method=method,
        warnings=tuple(notes),
        data_kind=data_kind or series.attrs.get("kind", "unspecified"),
    )


# --------------------------------------------------------------------------- structural

#: Seasonal period of the structural ITS (monthly series).
_PERIOD: int = 12
#: Optimiser iterations for the variance parameters.
_MAXITER: int = 1000


def _check_structural_args(
    series: pd.Series, spec: BaselineSpec, *, robust: str | None, log_shift: float | None
) -> None:
    if robust is not None:
        raise DataValidationError(
            "robust='hac' is for the count GLMs; the structural model's level, seasonal "
            "and irregular already describe the autocorrelation."
        )
    if spec.seasonality != "none" and series.index.freqstr != "M":
        raise DataValidationError(
            f"the structural ITS has a seasonal of period 12 for monthly series; this "
            f"series has frequency {series.index.freqstr!r}. Use seasonality='none'."
        )
    if log_shift is not None:
        if not np.isfinite(log_shift) or log_shift < 0:
            raise DataValidationError(f"log_shift={log_shift!r}; expected a number >= 0.")
        if log_shift == 0 and (series <= 0).any():
            raise DataValidationError(
                "log_shift=0 (plain logs) needs every count positive; the series has "
                f"{int((series <= 0).sum())} zero count(s). Use the default shift 0.5."
            )


def _structural_model(
    z: np.ndarray,
    exog: np.ndarray | None,
    *,
    trend_component: str,
    seasonal_kind: str | None,
) -> Any:
    """statsmodels ``UnobservedComponents`` with an exact diffuse start.

    Level (random walk) or local linear trend, irregular, an optional stochastic dummy or
    trigonometric seasonal of period 12, and ``exog`` as regression effects in the state
    (``mle_regression=False``). The trigonometric seasonal keeps all six harmonics; the
    state of the Nyquist harmonic's zero sine starts known at zero (module docstring).
    """
    kwargs: dict[str, Any] = {
        "level": True,
        "stochastic_level": True,
        "irregular": True,
        "use_exact_diffuse": True,
    }
    if trend_component == "local_linear_trend":
        kwargs.update(trend=True, stochastic_trend=True)
    if seasonal_kind == "dummy":
        kwargs.update(seasonal=_PERIOD, stochastic_seasonal=True)
    elif seasonal_kind == "trigonometric":
        kwargs.update(
            freq_seasonal=[{"period": _PERIOD, "harmonics": _PERIOD // 2}],
            stochastic_freq_seasonal=[True],
        )
    if exog is not None:
        kwargs.update(exog=exog, mle_regression=False)
    model = UnobservedComponents(z, **kwargs)
    if seasonal_kind == "trigonometric":
        # freq_seasonal.0 .. .11: (cos, sin) pairs of harmonics 1..6; .11 is the sine of
        # the Nyquist harmonic, identically zero in the observation
        redundant = model.state_names.index(f"freq_seasonal.{_PERIOD - 1}")
        init = Initialization(model.k_states)
        for i in range(model.k_states):
            if i == redundant:
                init.set(i, "known", constant=[0.0], stationary_cov=np.zeros((1, 1)))
            else:
                init.set(i, "diffuse")
        model.ssm.initialize(init)
    return model


def _fit_structural_mle(model: Any) -> tuple[Any, bool]:
    """Maximum likelihood: L-BFGS, polished by BFGS with a tight gradient tolerance (the
    likelihood is flat in the variances and L-BFGS stops early: on the seat-belt data
    its estimates move the published coefficients in the fourth decimal); if neither
    converges, a Nelder-Mead restart polished by BFGS. The best likelihood is kept."""
    def run(**kwargs: Any) -> tuple[Any, bool]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = model.fit(disp=False, **kwargs)
        retvals = getattr(res, "mle_retvals", None) or {}
        flagged = any(issubclass(w.category, ConvergenceWarning) for w in caught)
        return res, bool(retvals.get("converged", True)) and not flagged

    def better(a: tuple[Any, bool], b: tuple[Any, bool]) -> tuple[Any, bool]:
        if np.isfinite(b[0].llf) and (not np.isfinite(a[0].llf) or b[0].llf >= a[0].llf):
            return b[0], b[1] or a[1]
        return a

    first = run(maxiter=_MAXITER)
    best = better(first, run(start_params=first[0].params, method="bfgs", gtol=1e-8,
                             maxiter=_MAXITER))
    if not best[1]:
        nm, _ = run(start_params=best[0].params, method="nm", maxiter=4 * _MAXITER)
        best = better(best, run(start_params=nm.params, method="bfgs", gtol=1e-8,
                                maxiter=_MAXITER))
    if not np.isfinite(best[0].llf):
        raise FitError(
            "structural ITS: the log-likelihood is not finite at the estimates; the model "
            "cannot be fitted to this series."
        )
    return best


def _fit_structural(
    series: pd.Series,
    spec: BaselineSpec,
    *,
    extra: pd.DataFrame,
    breaks: pd.DataFrame | None,
    term_of: dict[str, tuple[str, str]],
    exposure: pd.Series | None,
    level: float,
    seed: int,
    n_draws: int,
    notes: list[str],
    gaps: np.ndarray,
    log_shift: float,
    data_kind: str,
) -> ITSResult:
    """The ``structural`` branch of :func:`fit_its` (module docstring); the ``gaps``
    (missing records) are missing observations for the Kalman filter."""
    idx = series.index
    parts = [extra] + ([breaks.add_prefix("break_")] if breaks is not None else [])
    X = pd.concat(parts, axis=1).astype(float)
    # the level state plays the constant: columns constant over the series or collinear
    # with it and the event terms cannot be estimated
    check = pd.concat([pd.Series(1.0, index=idx, name="const"), X], axis=1)
    order = ["const", *term_of, *[c for c in X.columns if c not in term_of]]
    keep = _estimable(check[order][~gaps], term_of, notes, others="other terms",
                      dropped_what="terms")
    X = X[[c for c in order if c in keep and c != "const"]]
    y = series.to_numpy(dtype=float)
    log_expo = np.log(exposure_for(idx, spec.exposure, exposure))
    z = np.where(gaps, np.nan, np.log(y + log_shift) - log_expo)
    n, k = int((~gaps).sum()), X.shape[1]
    seasonal_kind = None if spec.seasonality == "none" else spec.seasonal_kind
    n_states = (2 if spec.trend_component == "local_linear_trend" else 1) + (
        0 if seasonal_kind is None else _PERIOD - 1
    )
    if n - n_states - k < 12:
        raise FitError(
            f"structural ITS: {n} periods for {n_states} diffuse states and {k} regression "
            "effects; use a longer series or fewer terms."
        )
    model = _structural_model(
        z, X.to_numpy(), trend_component=spec.trend_component, seasonal_kind=seasonal_kind
    )
    res, converged = _fit_structural_mle(model)
    if not converged:
        notes.append(
            "structural ITS: maximum likelihood did not converge (statsmodels "
            "ConvergenceWarning, also after a Nelder-Mead restart); the best estimates "
            "found are used"
        )
    if res.filter_results.nobs_diffuse >= len(z):
        notes.append(
            "structural ITS: the Kalman filter never left its diffuse phase (a state or "
            "regression effect the data cannot determine); do not trust this fit"
        )
    # regression effects are the last k states: smoothed values at the last period
    beta = np.asarray(res.smoothed_state, dtype=float)[-k:, -1]
    cov = np.asarray(res.smoothed_state_cov, dtype=float)[-k:, -k:, -1]
    cov = (cov + cov.T) / 2.0
    names = list(X.columns)
    hyper = pd.Series(np.asarray(res.params, dtype=float), index=list(model.param_names))
    params = pd.concat([hyper, pd.Series(beta, index=names)])
    bse = pd.concat(
        [pd.Series(np.nan, index=hyper.index), pd.Series(np.sqrt(np.diag(cov)), index=names)]
    )
    irregular = float(hyper.get("sigma2.irregular", 0.0))
    # in-sample expected counts: the smoothed signal with the irregular's lognormal term
    signal = np.asarray(res.get_prediction(information_set="smoothed").predicted_mean,
                        dtype=float).reshape(-1)
    Xn = X.to_numpy()
    base = signal - Xn @ beta  # level + seasonal (+ slope), the regression effects off
    def counts(log_mean: np.ndarray) -> np.ndarray:
        eta = np.clip(log_mean + log_expo + irregular / 2.0, -40.0, 40.0)
        return np.clip(np.exp(eta) - log_shift, 0.0, None)

    z_crit = stats.norm.ppf((1 + level) / 2)
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_normal(beta, cov, size=n_draws, method="eigh")
    rows = []
    for term, (event_id, kind) in term_of.items():
        j = names.index(term)
        coef, se = float(beta[j]), float(np.sqrt(cov[j, j]))
        cols = [names.index(t) for t, (e, _) in term_of.items() if e == event_id]
        Xoff = Xn.copy()
        Xoff[:, cols] = 0.0
        if kind == "level":
            excess = float((counts(base + Xn @ beta) - counts(base + Xoff @ beta)).sum())
            on = np.clip(base + draws @ Xn.T + log_expo + irregular / 2.0, -40.0, 40.0)
            off = np.clip(base + draws @ Xoff.T + log_expo + irregular / 2.0, -40.0, 40.0)
            ex_draws = (np.clip(np.exp(on) - log_shift, 0.0, None)
                        - np.clip(np.exp(off) - log_shift, 0.0, None)).sum(axis=1)
            ex_lo, ex_hi = np.quantile(ex_draws, [(1 - level) / 2, (1 + level) / 2])
        else:
            excess = ex_lo = ex_hi = np.nan
        rows.append(
            {
                "event": event_id,
                "term": kind,
                "coef": coef,
                "se": se,
                "rate_ratio": float(np.exp(coef)),
                "rate_ratio_lower": float(np.exp(coef - z_crit * se)),
                "rate_ratio_upper": float(np.exp(coef + z_crit * se)),
                "p_value": float(2 * stats.norm.sf(abs(coef / se))) if se > 0 else np.nan,
                "excess": excess,
                "excess_lower": float(ex_lo),
                "excess_upper": float(ex_hi),
            }
        )
    seas = (
        "no seasonal"
        if seasonal_kind is None
        else "dummy seasonal (period 12)"
        if seasonal_kind == "dummy"
        else "trigonometric seasonal (6 harmonics, 11 states)"
    )
    trend = "local linear trend" if spec.trend_component == "local_linear_trend" else (
        "random-walk level")
    shift = f"log(calls + {log_shift:g})" if log_shift else "log(calls)"
    method = (
        f"structural time series intervention analysis (statsmodels UnobservedComponents: "
        f"{trend}, {seas}, irregular, exact diffuse start) on {shift}"
        + (" minus log exposure" if spec.exposure else "")
        + "; event terms, known breaks and covariates are regression effects in the state, "
        "estimated over the whole series (smoothed values and root mean square errors at "
        f"the last period); irregular variance {irregular:.4g} (log scale). Excess counts "
        "switch the event's terms off with the level and seasonal held at their smoothed "
        "values; their intervals draw the regression effects only."
    )
    return ITSResult(
        effects=pd.DataFrame(rows, columns=list(ITS_EFFECT_COLUMNS)),
        params=params,
        bse=bse,
        dispersion=irregular,
        fitted=pd.Series(counts(signal), index=idx, name="expected"),
        observed=series.astype(float),
        level=level,
        spec=spec,
        method=method,
        warnings=tuple(notes),
        data_kind=data_kind,
    )
