"""Residual and capacity checks on a fitted baseline and its series.

Part of the checks on an effect estimate (DESIGN.md section 5; the bundle is
:func:`impact.diagnostics.bundle.check_effect`):

- :func:`check_residuals`: overdispersion, autocorrelation (Ljung-Box) and remaining
  seasonality of a fitted baseline, with advice, as a :class:`ResidualCheck`;
- :func:`check_capacity`: months where answered calls sit at a capacity limit, where an
  effect can be understated, as a :class:`CapacityCheck`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.diagnostic import acorr_ljungbox
from statsmodels.tools.tools import add_constant

from impact._core.exceptions import DataValidationError
from impact._core.provenance import label_text
from impact._core.summary import Summary
from impact._core.validation import validate_series
from impact.baselines import BaselineFit
from impact.diagnostics.placebo import _kind_of, _team_of
from impact.estimation.setup import as_registry
from impact.events.event import Event
from impact.events.registry import EventRegistry
from impact.plots import diagnostics as _plots_diag

__all__ = [
    "CapacityCheck",
    "ResidualCheck",
    "check_capacity",
    "check_residuals",
]

#: Words in a capacity event's name or note saying that calls went unanswered.
_CAPPED_PATTERN = re.compile(
    r"unanswered|not answered|censor|shortfall|could not get through|overwhelm|"
    r"onbeantwoord|niet beantwoord|capacity limit", re.IGNORECASE,
)



# --------------------------------------------------------------------------- residuals


@dataclasses.dataclass(frozen=True)
class ResidualCheck:
    """Overdispersion, autocorrelation and remaining seasonality of a fitted baseline.

    Attributes
    ----------
    team, spec_label, family : str
    n : int
        Fitted periods used by the checks.
    poisson_dispersion, poisson_dispersion_p : float
        Pearson statistic of a Poisson view, ``sum((y - mu)^2 / mu) / (n - k)``, and its
        chi-square p-value.
    dispersion : float
        The model's own dispersion (NB2 ``alpha``, quasi-Poisson ``phi``, ...).
    residual_autocorrelation : float
        Lag-1 autocorrelation the fit carries into its simulated paths.
    acf : tuple of float
        Autocorrelation of the Pearson residuals at lags 1..``lags``.
    ljung_box_stat, ljung_box_p : float
        Ljung-Box test up to ``lags``.
    seasonality_f, seasonality_p : float
        F-test of month-of-year means of the Pearson residuals (NaN if not monthly).
    alpha : float
        A check fails when its p-value is below ``alpha``.
    warnings : tuple of str
        One per failed check, with advice.
    """

    team: str
    spec_label: str
    family: str
    n: int
    poisson_dispersion: float
    poisson_dispersion_p: float
    dispersion: float
    residual_autocorrelation: float
    lags: int
    acf: tuple[float, ...]
    ljung_box_stat: float
    ljung_box_p: float
    seasonality_f: float
    seasonality_p: float
    alpha: float
    data_kind: str
    warnings: tuple[str, ...]
    frame: pd.DataFrame = dataclasses.field(repr=False)

    @property
    def is_ok(self) -> bool:
        """True when no check failed."""
        return not self.warnings

    def to_frame(self) -> pd.DataFrame:
        """Rows ``overdispersion``, ``autocorrelation``, ``seasonality`` and one ``acf`` row
        per lag: ``check``, ``lag``, ``statistic``, ``p_value``, ``estimate``,
        ``null_lower``, ``null_upper`` (approximate 95% band under no autocorrelation),
        ``is_flagged``, ``message``."""
        return self.frame.copy()

    def summary(self) -> Summary:
        """The checks (table) and their verdicts with advice (text)."""
        t = self.frame[self.frame["check"] != "acf"].set_index("check")
        if self.warnings:
            text = "Residual checks of the baseline flag: " + " ".join(self.warnings)
        else:
            text = (
                f"Residual checks of the {self.spec_label} baseline pass at alpha = "
                f"{self.alpha}: no overdispersion left for the family, no autocorrelation "
                "(Ljung-Box), no remaining month-of-year pattern."
            )
        text = f"{self.team}: {text} Data kind: {self.data_kind}."
        return Summary(table=t, text=label_text(text, data_kind=self.data_kind))

    def plot(self, *, ax: Any = None) -> Any:
        """Autocorrelation of the Pearson residuals with the no-autocorrelation band."""
        return _plots_diag.plot_residual_acf(self, ax=ax)


def check_residuals(
    fit: BaselineFit,
    *,
    lags: int = 12,
    alpha: float = 0.01,
    team: str | None = None,
    data_kind: str | None = None,
) -> ResidualCheck:
    """Check a fitted baseline's residuals for overdispersion, autocorrelation and seasonality.

    Parameters
    ----------
    fit : BaselineFit
    lags : int, default 12
        Ljung-Box and ACF up to this lag (at most a quarter of the fitted periods).
    alpha : float, default 0.01
        A check fails below this p-value. Strict because the bundle runs several checks
        per series.
    team, data_kind : str, optional
        Default from ``fit.history.attrs``.

    Returns
    -------
    ResidualCheck

    Notes
    -----
    Residuals are the Pearson residuals of :meth:`BaselineFit.to_frame` on the fitted,
    non-excluded periods. Overdispersion: the Poisson-view Pearson statistic with ``n - k``
    degrees of freedom (``k`` the GLM coefficients; 0 for the time-series families); it
    fails only for ``family="poisson"``, the other families model it. Autocorrelation:
    Ljung-Box (``statsmodels.stats.diagnostic.acorr_ljungbox``) on the centred residuals
    with excluded periods set to 0; it can fail only for the count GLMs (the in-sample
    residuals of the time-series families are smoothed or seasonal differences, which
    are autocorrelated by construction; it is reported for them, not flagged).
    Seasonality: F-test of month indicators on the Pearson residuals (monthly series).

    Examples
    --------
    >>> from impact.baselines import BaselineSpec, fit_baseline
    >>> from impact.simulation.simulate import simulate_counts
    >>> sim = simulate_counts(n_pre=96, n_post=1, seasonal_amplitude=0.5, seed=3)
    >>> fit = fit_baseline(sim.series.iloc[:-1], BaselineSpec(seasonality="none"))
    >>> chk = check_residuals(fit)
    >>> "seasonality" in [w.split(":")[0] for w in chk.warnings]
    True
    """
    spec = fit.spec
    team = team or str(fit.history.attrs.get("team", "series"))
    kind = data_kind or str(fit.history.attrs.get("kind", "unspecified"))
    f = fit.to_frame()
    used = ~f["excluded"].astype(bool) & f["expected"].notna() & f["pearson_residual"].notna()
    y = f.loc[used, "observed"].to_numpy(float)
    mu = np.maximum(f.loc[used, "expected"].to_numpy(float), 1e-9)
    n = int(used.sum())
    k = len(fit.params) if spec.family in ("poisson", "quasipoisson", "negbin") else 0
    dof = max(n - k, 1)
    x2 = float(np.sum((y - mu) ** 2 / mu))
    disp, disp_p = x2 / dof, float(stats.chi2.sf(x2, dof))
    notes: list[str] = []
    rows: list[dict[str, Any]] = []
    over = spec.family == "poisson" and disp_p < alpha
    if over:
        notes.append(
            f"overdispersion: the Pearson dispersion is {disp:.2f} (p = {disp_p:.2g}) but the "
            "Poisson family assumes 1, so its intervals are too narrow; switch to "
            "family='negbin' or 'quasipoisson'."
        )
    model_disp = {"negbin": "NB2 alpha", "quasipoisson": "Pearson phi"}.get(
        spec.family, "log-scale variance" if k == 0 else "fixed at 1")
    rows.append({"check": "overdispersion", "statistic": disp, "p_value": disp_p,
                 "estimate": fit.dispersion, "is_flagged": over,
                 "message": f"Poisson-view Pearson dispersion; model {model_disp} "
                            f"{fit.dispersion:.4g}"})
    r = f["pearson_residual"].where(used)
    r = (r - r.mean()).fillna(0.0).to_numpy(float)
    L = int(max(1, min(lags, n // 4)))
    lb = acorr_ljungbox(r, lags=[L], return_df=True)
    lb_stat, lb_p = float(lb["lb_stat"].iloc[0]), float(lb["lb_pvalue"].iloc[0])
    den = float(np.sum(r**2)) or 1.0
    acf = tuple(float(np.sum(r[j:] * r[:-j]) / den) for j in range(1, L + 1))
    is_glm = spec.family in ("poisson", "quasipoisson", "negbin")
    auto = is_glm and lb_p < alpha
    if auto:
        carried = fit.residual_autocorrelation
        advice = (
            f"the fit carries lag-1 autocorrelation {carried:.2f} into its simulated paths, "
            "which widens the intervals for that part only; for dependence at longer lags use "
            "a structural or SARIMA baseline or robust (HAC) standard errors"
            if carried > 0 else
            "set ar_noise=True (count GLMs), use a structural or SARIMA baseline, or robust "
            "(HAC) standard errors; intervals that ignore it are too narrow"
        )
        notes.append(
            f"autocorrelation: Ljung-Box up to lag {L} rejects white noise (Q = {lb_stat:.1f}, "
            f"p = {lb_p:.2g}; lag-1 ACF {acf[0]:+.2f}); {advice}."
        )
    rows.append({"check": "autocorrelation", "lag": L, "statistic": lb_stat, "p_value": lb_p,
                 "estimate": acf[0], "is_flagged": auto,
                 "message": f"Ljung-Box up to lag {L}; estimate is the lag-1 ACF" + (
                     "" if is_glm else "; not assessed for this family: residuals of a "
                     "smoothed or seasonally differenced in-sample fit are autocorrelated by "
                     "construction (judge it by the backtests)")})
    z = 1.96 / np.sqrt(max(n, 1))
    sf = sp = np.nan
    if fit.history.index.freqstr.upper().startswith("M") and n >= 24:
        months = pd.Categorical(f.index[used.to_numpy()].month)
        X = pd.get_dummies(months, drop_first=True, dtype=float).to_numpy()
        ols = OLS(f.loc[used, "pearson_residual"].to_numpy(float),
                     add_constant(X, has_constant="add")).fit()
        sf, sp = float(ols.fvalue), float(ols.f_pvalue)
    seas = bool(np.isfinite(sp) and sp < alpha)
    if seas:
        advice = (
            "add month effects (seasonality='monthly') or more Fourier harmonics"
            if spec.seasonality != "monthly" else
            "the seasonal pattern seems to change over time: use a shorter pre-period or a "
            "structural baseline with a stochastic seasonal"
        )
        notes.append(
            f"seasonality: the residuals still differ by month of year (F = {sf:.2f}, "
            f"p = {sp:.2g}); {advice}."
        )
    rows.append({"check": "seasonality", "statistic": sf, "p_value": sp, "estimate": np.nan,
                 "is_flagged": seas, "message": "F-test of month indicators on residuals"})
    rows += [{"check": "acf", "lag": j + 1, "estimate": a, "null_lower": -z, "null_upper": z,
              "is_flagged": bool(abs(a) > z), "message": ""} for j, a in enumerate(acf)]
    frame = pd.DataFrame(rows, columns=["check", "lag", "statistic", "p_value", "estimate",
                                        "null_lower", "null_upper", "is_flagged", "message"])
    frame["lag"] = frame["lag"].astype("Int64")
    for c in ("statistic", "p_value", "estimate", "null_lower", "null_upper"):
        frame[c] = frame[c].astype(float)
    frame["is_flagged"] = frame["is_flagged"].astype(bool)
    return ResidualCheck(
        team=team, spec_label=spec.label, family=spec.family, n=n, poisson_dispersion=disp,
        poisson_dispersion_p=disp_p, dispersion=float(fit.dispersion),
        residual_autocorrelation=float(fit.residual_autocorrelation), lags=L, acf=acf,
        ljung_box_stat=lb_stat, ljung_box_p=lb_p, seasonality_f=sf, seasonality_p=sp,
        alpha=alpha, data_kind=kind, warnings=tuple(notes), frame=frame,
    )


# --------------------------------------------------------------------------- capacity


@dataclasses.dataclass(frozen=True)
class CapacityCheck:
    """Months where answered calls sit at a known capacity limit.

    Attributes
    ----------
    team : str
    capped_events : tuple of str
        Ids of capacity events whose name or note says calls went unanswered.
    flagged_months : tuple of str
        Every flagged period.
    post_flagged, pre_flagged : tuple of str
        Flagged periods in the effect's post-period and in its fitted pre-period.
    threshold : float
        Share of the highest observed utilisation (calls / capacity) counted as near the
        limit.
    data_kind : str
    warnings : tuple of str
        The caveats (understated effect; capped months in the baseline's history).
    """

    team: str
    capped_events: tuple[str, ...]
    flagged_months: tuple[str, ...]
    post_flagged: tuple[str, ...]
    pre_flagged: tuple[str, ...]
    threshold: float
    has_capacity_series: bool
    data_kind: str
    warnings: tuple[str, ...]
    frame: pd.DataFrame = dataclasses.field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per period: ``team``, ``month``, ``calls``, ``utilisation``,
        ``utilisation_share`` (of the maximum), ``is_capped_window``, ``is_near_limit``,
        ``is_flagged``, ``is_pre``, ``is_post``, ``reason``."""
        return self.frame.copy()

    def summary(self) -> Summary:
        """Flagged months (table) and the caveat (text)."""
        t = self.frame[self.frame["is_flagged"]].set_index("month")
        method = (" Method: months inside the windows of capacity events are capacity-limited "
                  "by design; with a capacity series, months whose calls reach its threshold "
                  "are flagged too.")
        return Summary(table=t, text=label_text(f"{self.team}: " + self.text() + method,
                                                data_kind=self.data_kind))

    def text(self) -> str:
        """The capacity caveat in one or two sentences."""
        if not self.flagged_months:
            src = "capacity events" + (" and the capacity series" if self.has_capacity_series
                                       else " (no capacity series given)")
            return f"no month is flagged as capacity-limited by the {src}."
        out = (f"{len(self.flagged_months)} months flagged as capacity-limited "
               f"({_ranges(self.flagged_months)}"
               + (f"; events {', '.join(self.capped_events)}" if self.capped_events else "")
               + ").")
        return out + (" " + " ".join(self.warnings) if self.warnings else "")

    def plot(self, *, ax: Any = None) -> Any:
        """Calls per period with the flagged months shaded."""
        return _plots_diag.plot_capacity(self, ax=ax)


def _ranges(months: Sequence[str]) -> str:
    """'2020-04..2020-08, 2023-09' from a sorted list of monthly labels."""
    ps = [pd.Period(m) for m in months]
    out, start, prev = [], ps[0], ps[0]
    for p in ps[1:]:
        if p.ordinal != prev.ordinal + 1:
            out.append(f"{start}..{prev}" if start != prev else str(start))
            start = p
        prev = p
    out.append(f"{start}..{prev}" if start != prev else str(start))
    return ", ".join(out)


def check_capacity(
    series: pd.Series,
    events: EventRegistry | Iterable[Event] | None = None,
    *,
    capacity: pd.Series | None = None,
    threshold: float = 0.9,
    capped_events: Iterable[str] | None = None,
    pre_start: Any = None,
    post_start: Any = None,
    post_end: Any = None,
    fit: BaselineFit | None = None,
    team: str | None = None,
    data_kind: str | None = None,
) -> CapacityCheck:
    """Flag periods where answered calls are limited by capacity (an effect may be understated).

    Parameters
    ----------
    series : Series
        Answered calls.
    events : EventRegistry, optional
        Registered events; ``capacity`` events whose name or note says calls went
        unanswered (unanswered, censored, shortfall, could not get through, ...) flag
        their window (start to end, inclusive), e.g. E023 (April-August 2020).
    capacity : Series, optional
        Capacity or exposure per period (staffed hours, lines, answerable contacts);
        periods whose utilisation ``calls / capacity`` is at least ``threshold`` times its
        maximum are flagged. Calendar days are not a capacity measure: pass a series
        only when it limits how many calls can be answered.
    threshold : float, default 0.9
    capped_events : iterable of str, optional
        Event ids to treat as capacity limits instead of matching the notes.
    pre_start, post_start, post_end : period-like, optional
        The effect's fitted pre-period start and post-period (inclusive), for the caveat.
    fit : BaselineFit, optional
        The effect's baseline: the caveat then says whether each capped window is
        modelled as a break, left out of the fit, or neither.
    team, data_kind : str, optional

    Returns
    -------
    CapacityCheck
    """
    if not 0 < threshold <= 1:
        raise DataValidationError(f"threshold must be in (0, 1], got {threshold!r}.")
    series = validate_series(series, name="series")
    team = _team_of(series, team)
    kind = _kind_of(series, data_kind)
    idx = series.index
    freq = idx.freq
    reg = as_registry(events)
    ids = set(capped_events) if capped_events is not None else None
    capped = [
        e for e in reg
        if (e.id in ids if ids is not None else
            e.kind == "capacity" and _CAPPED_PATTERN.search(f"{e.name} {e.note}"))
    ]
    in_window = np.zeros(len(idx), dtype=bool)
    reason = np.full(len(idx), "", dtype=object)
    for e in capped:
        a, b = e.start.to_period(freq), (e.end or e.start).to_period(freq)
        m = (idx >= a) & (idx <= b)
        in_window |= m
        reason[m] = [f"{r}; {e.id}".lstrip("; ") for r in reason[m]]
    util = np.full(len(idx), np.nan)
    share = np.full(len(idx), np.nan)
    near = np.zeros(len(idx), dtype=bool)
    if capacity is not None:
        cap = capacity.reindex(idx).to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            util = np.where(cap > 0, series.to_numpy(float) / cap, np.nan)
        if np.isfinite(util).any():
            share = util / np.nanmax(util)
            near = np.nan_to_num(share) >= threshold
            reason[near] = [f"{r}; utilisation {s:.0%} of max".lstrip("; ")
                            for r, s in zip(reason[near], share[near], strict=True)]
    flagged = in_window | near
    p0 = pd.Period(pre_start, freq=freq) if pre_start is not None else idx[0]
    s0 = pd.Period(post_start, freq=freq) if post_start is not None else None
    s1 = pd.Period(post_end, freq=freq) if post_end is not None else idx[-1]
    is_post = (idx >= s0) & (idx <= s1) if s0 is not None else np.zeros(len(idx), bool)
    is_pre = (idx >= p0) & (idx < s0) if s0 is not None else np.zeros(len(idx), bool)
    frame = pd.DataFrame({
        "team": team, "month": idx, "calls": series.to_numpy(float),
        "utilisation": util, "utilisation_share": share, "is_capped_window": in_window,
        "is_near_limit": near, "is_flagged": flagged, "is_pre": is_pre, "is_post": is_post,
        "reason": reason.astype(str),
    })
    months = idx.astype(str)
    post_f = tuple(months[flagged & is_post])
    pre_f = tuple(months[flagged & is_pre])
    notes = []
    if post_f:
        notes.append(
            f"Answered calls in {_ranges(post_f)} of the post-period may be capped by "
            "capacity, so the effect on demand can be understated (the estimate is a lower "
            "bound there)."
        )
    if pre_f:
        how = "they must be modelled as a break or left out, otherwise the counterfactual is "
        how += "too low"
        if fit is not None:
            handled = []
            excl = fit.excluded.reindex(pd.PeriodIndex(list(pre_f), freq=freq), fill_value=False)
            for e in capped:
                if f"break_{e.id}" in fit.params.index:
                    handled.append(f"{e.id} is modelled as a known break in the baseline")
            if bool(excl.all()):
                handled.append("those months are left out of the baseline fit")
            how = "; ".join(handled) if handled else (
                "the baseline neither models nor leaves them out, so the counterfactual is "
                "pulled down by them (pass the capacity event as context or exclude the months)"
            )
        notes.append(
            f"The baseline's history holds capacity-limited months ({_ranges(pre_f)}): {how}."
        )
    return CapacityCheck(
        team=team, capped_events=tuple(e.id for e in capped),
        flagged_months=tuple(months[flagged]), post_flagged=post_f,
        pre_flagged=pre_f, threshold=threshold, has_capacity_series=capacity is not None,
        data_kind=kind, warnings=tuple(notes), frame=frame,
    )
