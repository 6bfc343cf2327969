"""One entry point for every baseline family: :func:`fit_baseline`.

It validates the series and the excluded periods, keeps the known breaks only when
``spec.use_breaks`` is set, dispatches on ``spec.family`` to the count GLMs
(:func:`impact.baselines.glm.fit_count_glm`) or the time-series families
(:func:`impact.baselines.timeseries.fit_ts_baseline`), and warns about fit problems
(they are also stored in the result's ``warnings``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from impact._core.exceptions import DataValidationError, ImpactWarning
from impact._core.validation import validate_series
from impact.baselines.glm import fit_count_glm
from impact.baselines.spec import COUNT_GLM_FAMILIES, BaselineFit, BaselineSpec
from impact.baselines.timeseries import fit_ts_baseline
from impact.events.registry import EventRegistry

__all__ = ["fit_baseline"]


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
        fit = fit_count_glm(
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
        fit = fit_ts_baseline(
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
