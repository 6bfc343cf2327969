"""Interrupted time series regression (Lopez Bernal, Cummins & Gasparrini 2017 style).

One count model over the whole series with event regressors: rate ratios with Wald
intervals, and excess counts by switching the event terms off.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_SEED
from impact._core.exceptions import DataValidationError, FitError
from impact._core.provenance import label_text
from impact._core.summary import Summary
from impact._core.validation import validate_level, validate_series
from impact.baselines import (
    COUNT_GLM_FAMILIES,
    BaselineSpec,
    fit_negbin_glm,
    independent_columns,
)
from impact.baselines.design import DesignSpec, build_design, exposure_for
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
        by the Pearson dispersion for quasi-Poisson; HAC when ``robust="hac"``).
        ``excess`` is the sum over the series of fitted counts minus fitted counts with
        the event's terms switched off; its interval is a confidence interval from
        coefficient draws.
    params, bse : Series
        All coefficients and standard errors.
    dispersion : float
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
        and exposure. Default negative binomial, linear trend, month effects.
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

    Returns
    -------
    ITSResult
    """
    level = validate_level(level)
    series = validate_series(series, name="series")
    spec = spec or BaselineSpec()
    if spec.family not in COUNT_GLM_FAMILIES:
        raise DataValidationError(
            f"fit_its supports the count families {', '.join(COUNT_GLM_FAMILIES)}; got "
            f"{spec.family!r}. Use estimate_effect for the time-series families."
        )
    if robust not in (None, "hac"):
        raise DataValidationError(f"robust={robust!r}; expected None or 'hac'.")
    reg = as_registry(events)
    roles = assign_roles(reg, as_registry(context), shape_overrides=shape_overrides)
    study, breaks = list(roles.study), list(roles.breaks)
    if not study:
        raise DataValidationError("fit_its needs at least one news, campaign or policy event.")
    idx = series.index
    notes: list[str] = []
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
        extra = pd.concat([extra, covariates.reindex(idx).add_prefix("cov_")], axis=1)
    brk = (
        EventRegistry(breaks).to_regressors(idx, shape_overrides=overrides)
        if (breaks and spec.use_breaks)
        else None
    )
    dspec = DesignSpec(spec.trend, spec.seasonality, spec.harmonics, idx[0])
    X = build_design(idx, dspec, breaks=brk, extra=extra)
    # event terms first, so that a collinear break (not the event) is the one dropped
    order = ["const", *term_of, *[c for c in X.columns if c != "const" and c not in term_of]]
    keep, dropped = independent_columns(X[order])
    lost = [t for t in term_of if t not in keep]
    if lost:
        raise DataValidationError(
            "event term(s) without variation over the series or collinear with the baseline "
            "terms: " + ", ".join(lost) + "; the event lies outside the data, covers all of "
            "it, or coincides with a known break. Shorten the series or drop the break."
        )
    if dropped:
        notes.append(
            "baseline terms without variation or collinear with others were dropped: "
            + ", ".join(dropped) + "."
        )
    X = X[[c for c in X.columns if c in keep]]
    y = series.to_numpy(dtype=float)
    off = np.log(exposure_for(idx, spec.exposure, exposure))
    n, k = X.shape
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
            res = sm.GLM(y, X, family=sm.families.Poisson(), offset=off).fit(**fit_kw)
            disp = 1.0
            method = "Poisson GLM (maximum likelihood)."
        elif spec.family == "quasipoisson":
            res = sm.GLM(y, X, family=sm.families.Poisson(), offset=off).fit(scale="X2", **fit_kw)
            disp = float(res.scale)
            method = (
                f"quasi-Poisson GLM; standard errors scaled by the Pearson dispersion {disp:.3f}."
            )
        else:
            pois = sm.GLM(y, X, family=sm.families.Poisson(), offset=off).fit()
            res, disp, _ = fit_negbin_glm(y, X, off, n - k, poisson_fit=pois,
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
        fitted=pd.Series(np.asarray(res.mu), index=idx, name="expected"),
        observed=series.astype(float),
        level=level,
        spec=spec,
        method=method,
        warnings=tuple(notes),
        data_kind=data_kind or series.attrs.get("kind", "unspecified"),
    )
