"""One entry point for every baseline family: :func:`fit_baseline`.

It validates the series and the excluded periods, keeps the known breaks only when
``spec.use_breaks`` is set, dispatches on ``spec.family`` to the count GLMs
(:func:`impact.baselines.glm.fit_count_glm`; a monthly ``negbin`` baseline with
``spec.level_shifts="auto"`` to :func:`impact.baselines.level_shift.fit_count_glm_shifts`,
which averages over unregistered level shifts) or the time-series families
(:func:`impact.baselines.timeseries.fit_ts_baseline`), and warns about fit problems
(they are also stored in the result's ``warnings``).

First, months or weeks with 0 calls amid periods with many
(:func:`missing_record_zeros`: a team whose records start late, a lost export, a
closure) are left out of the fit, with a warning that names them: no count model makes
such a zero plausible, and fitted as data they drag the level down (and the level-shift
scan reports their edge as a huge "shift"). Then one check refuses histories no family
can honestly fit (the same rule for every family, so the choice of family never decides
whether a hopeless series gets a number): a :class:`~impact._core.exceptions.FitError`
when every fitted period is zero or when more than :data:`MAX_ZERO_SHARE` of them are (a
log-linear mean with month or trend terms then has cells of zeros whose coefficients run
to minus infinity, and the simulated intervals reach absurd sizes or NaN). A constant
series is data and is fitted. After the fit, two kinds of warning are stored on the fit
(and so on every result built from it): a *sparse* series (mean below
:data:`SPARSE_MEAN` calls per period, or more than :data:`SPARSE_ZERO_SHARE` zero
periods) and *outliers* (fitted periods whose standardised residual exceeds
:data:`OUTLIER_Z`), each naming the period, its value and what the baseline expected.
Outliers are then left out and the baseline refitted once, as missing records are: no
count model makes such a count plausible, and whether it is an entry error or an
unregistered event, it does not belong in the counterfactual (left in, one month at 4x
its count widened the median 6-month interval by 31% at 96 months and 51% at 36).

A weekly or daily series with ``spec.level_shifts="auto"`` is also checked for
unregistered level shifts in its monthly totals
(:func:`impact.baselines.level_shift.monthly_total_shifts`); its baseline does not model
them, so the warning asks to register the change as an event.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
from scipy import optimize, stats

from impact._core.constants import DEFAULT_SUPPRESSION_THRESHOLD
from impact._core.dates import describe_periods, period_unit
from impact._core.exceptions import DataValidationError, FitError, ImpactWarning
from impact._core.validation import validate_series
from impact.baselines.glm import fit_count_glm
from impact.baselines.level_shift import fit_count_glm_shifts, monthly_total_shifts
from impact.baselines.spec import (
    COUNT_GLM_FAMILIES,
    BaselineFit,
    BaselineSpec,
    count_variance,
)
from impact.baselines.timeseries import fit_ts_baseline
from impact.events.registry import EventRegistry

__all__ = [
    "MAX_ZERO_SHARE",
    "OUTLIER_Z",
    "SPARSE_MEAN",
    "SPARSE_ZERO_SHARE",
    "ZERO_RECORD_LEVEL",
    "ZERO_RECORD_RUN_DAYS",
    "check_fittable",
    "fit_baseline",
    "missing_record_zeros",
    "zero_record_gaps",
]

#: Largest share of zero periods in the fitted history that a baseline is fitted on. Above
#: it most month (or season) cells hold zeros, their log-mean coefficients are not
#: estimable and the simulated intervals are meaningless; aggregate first.
MAX_ZERO_SHARE: float = 0.5
#: A fitted history whose mean count per period is below this is flagged as sparse: the
#: same threshold below which published tables suppress counts (DESIGN.md section 2);
#: intervals then rest on the lower tail of the count model.
SPARSE_MEAN: float = float(DEFAULT_SUPPRESSION_THRESHOLD)
#: A fitted history with more zero periods than this share is flagged as sparse.
SPARSE_ZERO_SHARE: float = 0.1
#: A fitted period is an outlier when its standardised residual exceeds this in absolute
#: value; for Gaussian residuals one in about 500 million periods passes it by chance.
#: Negative binomial and quasi-Poisson baselines: the count's deviation from the fitted
#: mean over its standard deviation with a robust dispersion (:func:`_robust_dispersion`:
#: the outlier itself inflates the fitted one) and the period's leverage (single count
#: GLMs and the level-shift mixture; ``sd * sqrt(1 - h)``: with three years of history a
#: month's own month-of-year effect absorbs a third of an outlier). Other families: the
#: Pearson residual's distance from the median residual in robust standard deviations
#: (1.4826 x median absolute deviation, at least 1). Measured on 300 shift-suite
#: histories per cell (36/96 months, iid/AR noise, half with a shift), the default
#: negbin baseline: a month at 3x its count is named in 19-20% (36 months) and 53-61%
#: (96 months), at 5x in 61-66% and 90-94% (``level_shifts="off"``: 57-61% and 90-93%),
#: and none of the 1,200 histories without an injected month got a report; before, with
#: the fitted dispersion and no leverage, no 5x month at 36 months and 64-68% at 96
#: months were named ("off" with the robust dispersion but no leverage: 21% at 36).
OUTLIER_Z: float = 6.0
#: Median of the chi-square distribution with one degree of freedom: the median squared
#: standardised residual that the robust dispersion matches.
_MEDIAN_CHI2_1: float = float(stats.chi2.median(1))
#: A month or week with 0 calls is taken as a missing record (or a closure), not as a
#: quiet period, when the periods around it have at least this many calls (the median of
#: the :data:`_ZERO_NEIGHBOURS` nearest periods with calls on either side). No count model
#: a helpline series fits makes such a zero plausible: NB2 with dispersion 0.1 (above any
#: 1712 team's) gives P(0 | mean 20) = 3^-10, about 2e-5. Fitted as data, a run of them
#: drags the level down, and the level-shift scan reads its end as a huge "shift".
ZERO_RECORD_LEVEL: float = 20.0
_ZERO_NEIGHBOURS: int = 6
#: Daily series: only runs of at least this many consecutive days without calls can be
#: missing records (a single day without calls can be a closed day), and only where the
#: run's expected calls (the mean of the four weeks on either side, times its length)
#: reach :data:`ZERO_RECORD_LEVEL`.
ZERO_RECORD_RUN_DAYS: int = 7
#: Outliers named in one warning at most.
_MAX_LISTED: int = 5
_ADVICE = (
    "Use a coarser resolution (weekly or monthly instead of daily), aggregate teams, or "
    "leave the series out"
)


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
    exposure : Series or OpeningHours, optional
        Exposure per period for ``spec.exposure="column"`` (must also cover forecast
        periods), or the opening-hours schedule for ``spec.exposure="opening_hours"``
        (:class:`impact.baselines.opening_hours.OpeningHours`; default the packaged 1712
        schedule).
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
        When there are too few periods for the parameters, when every fitted period is
        zero, or when more than :data:`MAX_ZERO_SHARE` of them are (the message says how
        to aggregate).

    Notes
    -----
    Sparse histories are fitted but warned about. Outlying periods (:data:`OUTLIER_Z`) are
    named, left out (as ``exclude`` would) and the baseline is refitted once; outliers of
    the refit are named only. The warnings are stored in the fit's ``warnings`` (and from
    there on every effect estimate).
    """
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
    gaps, gap_notes = zero_record_gaps(series, excl)
    excl = excl | gaps
    try:
        fit = _dispatch(series, spec, excl, breaks, terms, exposure, covariates,
                        shape_overrides)
    except FitError as exc:
        if not gap_notes:
            raise
        raise FitError(f"{exc} Note: {gap_notes[0]}") from exc
    # outlying periods are left out and the baseline refitted once (a refit's own
    # outliers are named, not removed: no cascade)
    flagged, listing = _outliers(fit)
    outliers = pd.Series(flagged, index=fit.history.index).reindex(
        series.index, fill_value=False).to_numpy(dtype=bool)
    outlier_notes = _outlier_warning(listing, left_out=False)
    if outliers.any():
        try:
            refit = _dispatch(series, spec, excl | outliers, breaks, terms, exposure,
                              covariates, shape_overrides)
        except FitError:
            pass
        else:
            fit, excl = refit, excl | outliers
            outlier_notes = [*_outlier_warning(listing, left_out=True),
                             *_outlier_warning(_outliers(fit)[1], left_out=False)]
    # closed periods (no open hours, or a day type without calls) are not sparse data
    closed = np.zeros(n, dtype=bool)
    if spec.family in COUNT_GLM_FAMILIES:  # a log-linear mean is 0 only on closed days
        closed = fit.fitted.reindex(series.index).to_numpy() == 0
    notes = [*gap_notes, *_sparse_notes(series, excl | closed), *outlier_notes,
             *_monthly_shift_notes(series, spec, excl, breaks, terms, shape_overrides)]
    fit = dataclasses.replace(
        fit, warnings=(*fit.warnings, *notes),
        series_notes=(*(s.text for s in fit.level_shifts), *notes))
    for w in fit.warnings:
        warnings.warn(f"baseline {spec.label}: {w}", ImpactWarning, stacklevel=2)
    return fit


def _dispatch(
    series: pd.Series,
    spec: BaselineSpec,
    excl: np.ndarray,
    breaks: EventRegistry | None,
    terms: EventRegistry | None,
    exposure: pd.Series | None,
    covariates: pd.DataFrame | None,
    shape_overrides: dict[str, str] | None,
) -> BaselineFit:
    """The fittability check, then the family's fit (see :func:`fit_baseline`)."""
    check_fittable(series, excl, f"baseline {spec.label}")
    brk = breaks if (spec.use_breaks and breaks is not None and len(breaks)) else None
    if _scans_level_shifts(series, spec):
        return fit_count_glm_shifts(
            series,
            spec,
            breaks=brk,
            terms=terms,
            exposure=exposure,
            covariates=covariates,
            exclude=excl,
            shape_overrides=shape_overrides,
        )
    if spec.family in COUNT_GLM_FAMILIES:
        return fit_count_glm(
            series,
            spec,
            breaks=brk,
            terms=terms,
            exposure=exposure,
            covariates=covariates,
            exclude=excl,
            shape_overrides=shape_overrides,
        )
    return fit_ts_baseline(
        series,
        spec,
        breaks=brk,
        exposure=exposure,
        covariates=covariates,
        exclude=excl,
        shape_overrides=shape_overrides,
        terms=terms,
    )


def _scans_level_shifts(series: pd.Series, spec: BaselineSpec) -> bool:
    """Whether the fit averages over unregistered level shifts: ``level_shifts="auto"``
    on a monthly ``negbin`` baseline (see :mod:`impact.baselines.level_shift`)."""
    return (
        spec.level_shifts == "auto"
        and spec.family == "negbin"
        and series.index.freqstr.upper().startswith("M")
    )


def _monthly_shift_notes(
    series: pd.Series,
    spec: BaselineSpec,
    excl: np.ndarray,
    breaks: EventRegistry | None,
    terms: EventRegistry | None,
    shape_overrides: dict[str, str] | None,
) -> list[str]:
    """Warnings for unregistered level shifts in the monthly totals of a weekly or daily
    series (:func:`impact.baselines.level_shift.monthly_total_shifts`), which its
    baseline does not model; none for monthly series or ``level_shifts="off"``."""
    if spec.level_shifts != "auto" or series.index.freqstr.upper().startswith("M"):
        return []
    brk = breaks if (spec.use_breaks and breaks is not None and len(breaks)) else None
    trend = spec.trend if spec.trend in ("none", "linear") else "linear"
    shifts = monthly_total_shifts(series, trend=trend, breaks=brk, terms=terms,
                                  exclude=excl, shape_overrides=shape_overrides)
    resolution = "daily" if _unit(series) == "day" else "weekly"
    return [
        f"in the monthly totals, {s.text}; the {resolution} baseline does not model "
        "unregistered shifts, so its counterfactual may be biased. If the change is real "
        "(a new registration system, a staffing change), register it as an event (kind "
        "registration or capacity) and re-run."
        for s in shifts
    ]


def _unit(series: pd.Series) -> str:
    return period_unit(series.index)


def check_fittable(series: pd.Series, excl: np.ndarray, label: str) -> None:
    """Raise :class:`FitError` for a fitted history (``series`` without the ``excl``
    periods) of zeros or mostly zeros; ``label`` names the model in the message
    (``"baseline negbin/linear/monthly"``)."""
    used = series.to_numpy()[~excl]
    unit = _unit(series)
    where = f"{series.index[0]} to {series.index[-1]}"
    if len(used) and not np.any(used):
        raise FitError(
            f"{label}: all {len(used)} fitted {unit}s ({where}) have 0 calls; "
            "a model of a series without calls cannot be fitted, so no effect can be "
            f"estimated. Check that the right series was selected. {_ADVICE}."
        )
    zero_share = float(np.mean(used == 0)) if len(used) else 0.0
    if zero_share > MAX_ZERO_SHARE:
        raise FitError(
            f"{label}: the series is too sparse to fit: "
            f"{int(np.sum(used == 0))} of {len(used)} fitted {unit}s ({where}) have 0 calls "
            f"({zero_share:.0%}; at most {MAX_ZERO_SHARE:.0%} allowed) and "
            f"{int(used.sum())} calls in all. {_ADVICE}."
        )


def missing_record_zeros(series: pd.Series) -> np.ndarray:
    """Mask of the periods of ``series`` (a validated count series) that have 0 calls amid
    periods with many: the median of the nearest :data:`_ZERO_NEIGHBOURS` periods with
    calls on either side is at least :data:`ZERO_RECORD_LEVEL`. Such a zero is a missing
    record (a team that had not started, a lost export) or a closure, never a quiet
    month. Daily series: runs of at least :data:`ZERO_RECORD_RUN_DAYS` days without calls
    whose expected calls (the mean of the four weeks on either side times the length)
    reach :data:`ZERO_RECORD_LEVEL` (a single day without calls can be a closed day,
    which the opening hours describe)."""
    y = series.to_numpy()
    out = np.zeros(len(y), dtype=bool)
    zeros = np.flatnonzero(y == 0)
    calls = np.flatnonzero(y > 0)
    if not len(zeros) or not len(calls):
        return out
    k = _ZERO_NEIGHBOURS
    if series.index.freqstr.upper().startswith("D"):
        for run in np.split(zeros, np.flatnonzero(np.diff(zeros) > 1) + 1):
            if len(run) < ZERO_RECORD_RUN_DAYS:
                continue
            # the rate of the four weeks on either side, their days without calls included
            # (a quiet line's zeros are its rate, not missing records)
            near = np.r_[y[max(run[0] - 28, 0) : run[0]], y[run[-1] + 1 : run[-1] + 29]]
            out[run] = len(near) > 0 and float(near.mean()) * len(run) >= ZERO_RECORD_LEVEL
        return out
    for z, i in zip(zeros, np.searchsorted(calls, zeros), strict=True):
        near = np.concatenate([calls[max(i - k, 0) : i], calls[i : i + k]])
        out[z] = float(np.median(y[near])) >= ZERO_RECORD_LEVEL
    return out


def zero_record_gaps(series: pd.Series, excl: np.ndarray, *, fit: str = "baseline fit"
                     ) -> tuple[np.ndarray, list[str]]:
    """The zero periods :func:`missing_record_zeros` finds among those not yet excluded,
    and the warning naming them (none when there are none); ``fit`` names what they are
    left out of."""
    gaps = missing_record_zeros(series) & ~excl
    if not gaps.any():
        return gaps, []
    unit = _unit(series)
    y = series.to_numpy()
    level = float(np.median(y[y > 0])) if np.any(y > 0) else 0.0
    n = int(gaps.sum())
    what = (f"{n} {unit}{'s' if n > 1 else ''} with 0 calls, "
            f"{describe_periods(series.index, gaps)},")
    return gaps, [
        f"{what} in a series with about {level:,.0f} calls per {unit}: no count model makes "
        f"such a zero plausible, so {'they are' if n > 1 else 'it is'} taken as "
        f"{'missing records' if n > 1 else 'a missing record'} (or a closure) and left out "
        f"of the {fit}. Check the source table: fill in missing records, or register "
        "a closure as an event so that reports name it."
    ]


def _sparse_notes(series: pd.Series, excl: np.ndarray) -> list[str]:
    """A warning for a sparse (but fittable) history."""
    used = series.to_numpy()[~excl]
    if not len(used):
        return []
    mean, zero_share = float(used.mean()), float(np.mean(used == 0))
    if mean >= SPARSE_MEAN and zero_share <= SPARSE_ZERO_SHARE:
        return []
    unit = _unit(series)
    return [
        f"sparse series: {mean:.1f} calls per {unit} on average and "
        f"{int(np.sum(used == 0))} of {len(used)} fitted {unit}s with 0 calls; intervals rest "
        f"on the tails of the count model and may be wide. {_ADVICE} if the intervals are "
        "too wide to use."
    ]


def _robust_z(observed: np.ndarray, expected: np.ndarray, var: np.ndarray
              ) -> np.ndarray | None:
    """Robust z of the Pearson residuals (0 where not finite); None with fewer than 3."""
    # the count variance floored at 1 call^2: a fitted mean near 0 (a seasonal-naive month
    # that had no calls) must not make one call an outlier
    resid = (observed - expected) / np.sqrt(np.maximum(var, 1.0))
    ok = np.isfinite(resid)
    if ok.sum() < 3:
        return None
    med = float(np.median(resid[ok]))
    scale = max(1.4826 * float(np.median(np.abs(resid[ok] - med))), 1.0)
    return np.where(ok, (resid - med) / scale, 0.0)


def _robust_dispersion(family: str, observed: np.ndarray, expected: np.ndarray,
                       fitted: float) -> float:
    """The dispersion at which the median squared standardised residual is the median of
    chi-square(1): a dispersion estimate that outliers barely move (``negbin``: NB2 alpha;
    ``quasipoisson``: phi). At least a quarter of the ``fitted`` one, so that a fit close
    to the data in most periods does not turn ordinary noise into outliers."""
    dev2 = (observed - expected) ** 2
    if family == "quasipoisson":
        robust = float(np.median(dev2 / np.maximum(expected, 1.0))) / _MEDIAN_CHI2_1
        return max(robust, fitted / 4.0)

    def excess(alpha: float) -> float:
        var = np.maximum(expected + alpha * expected**2, 1.0)
        return float(np.median(dev2 / var)) - _MEDIAN_CHI2_1

    hi = max(fitted, 1e-3)
    while excess(hi) > 0 and hi < 1e3:
        hi *= 4.0
    if excess(hi) > 0:  # no dispersion matches (variances at their floor of 1): keep it
        return fitted
    robust = 0.0 if excess(0.0) <= 0 else float(optimize.brentq(excess, 0.0, hi))
    return max(robust, fitted / 4.0)


def _outlier_z(family: str, observed: np.ndarray, expected: np.ndarray, dispersion: float,
               leverage: np.ndarray | None) -> np.ndarray | None:
    """Standardised residuals of the outlier check (see :data:`OUTLIER_Z`)."""
    if family not in ("negbin", "quasipoisson"):
        return _robust_z(observed, expected, count_variance(family, expected, dispersion))
    ok = np.isfinite(expected)
    if ok.sum() < 3:
        return None
    robust = _robust_dispersion(family, observed[ok], expected[ok], dispersion)
    var = np.maximum(count_variance(family, expected, robust), 1.0)
    h = np.zeros(len(observed)) if leverage is None else np.nan_to_num(leverage)
    z = (observed - expected) / np.sqrt(var * (1.0 - np.clip(h, 0.0, 0.95)))
    return np.where(ok & np.isfinite(z), z, 0.0)


def _glm_leverage(fit: BaselineFit, rows: np.ndarray) -> pd.Series | None:
    """Leverages of the fitted periods of a single count GLM (``diag`` of
    ``W^1/2 X (X'WX)^-1 X' W^1/2`` with the family's IRLS weights), NaN elsewhere; None
    for the time-series families or a design that cannot be inverted."""
    design = getattr(fit.backend, "design", None)
    if fit.spec.family not in COUNT_GLM_FAMILIES or design is None:
        return None
    idx = fit.history.index
    X = design(idx)[0][rows]
    mu = fit.fitted.reindex(idx).to_numpy(dtype=float)[rows]
    ok = np.isfinite(mu) & (mu > 0)
    alpha = fit.dispersion if fit.spec.family == "negbin" else 0.0
    w = np.where(ok, 1.0 / (1.0 / np.where(ok, mu, 1.0) + alpha), 0.0)
    try:
        bread = np.linalg.pinv((X * w[:, None]).T @ X)
    except np.linalg.LinAlgError:
        return None
    lev = np.full(len(idx), np.nan)
    lev[rows] = np.clip(np.einsum("ij,jk,ik->i", X, bread, X) * w, 0.0, 1.0)
    return pd.Series(lev, index=idx)


def _outliers(fit: BaselineFit) -> tuple[np.ndarray, str]:
    """The fitted periods with an outlying residual (:data:`OUTLIER_Z`), as a mask on the
    fit's history, and their listing for a warning ("" when there are none)."""
    idx = fit.history.index
    fitted_rows = ~fit.excluded.reindex(idx).astype(bool).to_numpy()
    index = idx[fitted_rows]
    observed = fit.history.to_numpy(dtype=float)[fitted_rows]
    # a model average: judge a period against the most probable model, not against the
    # average, which hypotheses fitted around the outlier itself pull towards it; and
    # against the no-shift fit too, since an outlier can make a spurious shift next to
    # it the most probable model. The larger |z| of the two counts.
    backend = fit.backend
    modal = getattr(backend, "modal_fitted", None)
    refs = [((fit.fitted if modal is None else modal), fit.dispersion,
             getattr(backend, "modal_leverage", None) if modal is not None
             else _glm_leverage(fit, fitted_rows))]
    h0 = getattr(backend, "h0_fitted", None)
    if h0 is not None:
        refs.append((h0, backend.h0_alpha, getattr(backend, "h0_leverage", None)))
    z = np.zeros(len(observed))
    expected = np.full(len(observed), np.nan)
    for ref, dispersion, leverage in refs:
        exp_r = ref.reindex(idx).to_numpy(dtype=float)[fitted_rows]
        lev = (None if leverage is None
               else leverage.reindex(idx).to_numpy(dtype=float)[fitted_rows])
        z_r = _outlier_z(fit.spec.family, observed, exp_r, dispersion, lev)
        if z_r is None:
            continue
        better = np.abs(z_r) > np.abs(z)
        z = np.where(better, z_r, z)
        expected = np.where(better | np.isnan(expected), exp_r, expected)
    hits = np.flatnonzero(np.abs(z) > OUTLIER_Z)
    mask = np.zeros(len(idx), dtype=bool)
    if not len(hits):
        return mask, ""
    mask[np.flatnonzero(fitted_rows)[hits]] = True
    hits = hits[np.argsort(-np.abs(z[hits]))]
    listed = [
        f"{index[i]}: {observed[i]:,.0f} calls where the baseline "
        f"expects about {expected[i]:,.0f} (robust z {z[i]:+.1f})"
        for i in hits[:_MAX_LISTED]
    ]
    more = f" and {len(hits) - _MAX_LISTED} more" if len(hits) > _MAX_LISTED else ""
    return mask, (f"{len(hits)} outlying fitted period{'s' if len(hits) != 1 else ''} "
                  f"({'; '.join(listed)}{more})")


def _outlier_warning(listing: str, *, left_out: bool) -> list[str]:
    """The warning for the outliers :func:`_outliers` listed: left out of the fit (the
    first pass), or only named (a refit's own outliers, or a refit that failed)."""
    if not listing:
        return []
    if left_out:
        one = listing.startswith("1 ")
        return [
            f"{listing}: no count model makes such a count plausible next to the rest of "
            f"the series, so {'it is' if one else 'they are'} left out of the baseline fit "
            "(an entry error or an "
            "unregistered event; neither belongs in the counterfactual). Check the count, "
            "and register an event for that period if it is one, so that reports name it."
        ]
    return [
        f"{listing}; an outlier pulls the baseline and widens every interval. Check the "
        "count for an entry error, or register an event for that period (a pulse event "
        "is left out of the fit) and re-run."
    ]
