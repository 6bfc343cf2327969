"""Design matrices and exposure offsets shared by the count baselines and ITS models.

Every column is a named function of the period index alone (plus, for breaks and event
terms, an :class:`~impact.events.registry.EventRegistry`), so that the same design can be built
for the history and for any forecast periods.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

import holidays
import numpy as np
import pandas as pd

from impact._core.exceptions import DataValidationError
from impact._core.validation import validate_covariates
from impact.baselines.calendar import calendar_columns, resolve_calendar
from impact.baselines.opening_hours import OpeningHours, default_opening_hours
from impact.events.registry import EventRegistry

__all__ = [
    "DesignSpec",
    "baseline_design_spec",
    "build_design",
    "design_frame",
    "exposure_for",
    "independent_columns",
    "working_days",
]

_FREQ_PER_YEAR = {"M": 12, "W": 52.1775, "D": 365.25}


def _freq_code(index: pd.PeriodIndex) -> str:
    code = index.freqstr.split("-")[0].upper()
    if code.startswith("M"):
        return "M"
    if code.startswith("W"):
        return "W"
    if code.startswith("D"):
        return "D"
    raise DataValidationError(
        f"unsupported period frequency {index.freqstr!r}; use monthly ('M'), weekly ('W') "
        "or daily ('D') periods."
    )


@dataclasses.dataclass(frozen=True)
class DesignSpec:
    """What goes into a baseline design (a plain description, no data).

    Parameters
    ----------
    trend : {"none", "linear", "piecewise"}
        ``linear`` adds time in years since ``origin``; ``piecewise`` adds a slope change
        at each break too.
    seasonality : {"none", "monthly", "fourier"}
        ``monthly`` adds month-of-year indicators (January is the reference);
        ``fourier`` adds ``harmonics`` sine/cosine pairs of the day of the year.
    harmonics : int
        Number of Fourier pairs (1-6) for ``seasonality="fourier"``.
    origin : pandas.Period
        The period where the trend is zero (the first month of the fitted history).
    day_of_week : bool, default False
        Day-of-week indicators (daily periods only).
    holidays : {"none", "public", "public+school"}, default "none"
        Holiday terms (:func:`impact.baselines.calendar.calendar_columns`).
    """

    trend: str
    seasonality: str
    harmonics: int
    origin: pd.Period
    day_of_week: bool = False
    holidays: str = "none"


def baseline_design_spec(spec: Any, index: pd.PeriodIndex) -> DesignSpec:
    """The :class:`DesignSpec` of a count baseline ``spec`` (a
    :class:`~impact.baselines.spec.BaselineSpec`) on ``index``, with its automatic
    calendar options resolved for the resolution
    (:func:`impact.baselines.calendar.resolve_calendar`)."""
    dow, hol = resolve_calendar(index, spec.day_of_week, spec.holidays)
    return DesignSpec(
        trend=spec.trend, seasonality=spec.seasonality, harmonics=spec.harmonics,
        origin=index[0], day_of_week=dow, holidays=hol,
    )


def build_design(
    index: pd.PeriodIndex,
    spec: DesignSpec,
    *,
    breaks: pd.DataFrame | None = None,
    extra: pd.DataFrame | None = None,
    break_starts: dict[str, pd.Period] | None = None,
) -> pd.DataFrame:
    """Build the design matrix for ``index``.

    Parameters
    ----------
    index : pandas.PeriodIndex
        Periods (monthly, weekly or daily).
    spec : DesignSpec
        Trend and seasonality.
    breaks : DataFrame, optional
        Known-break regressors on ``index`` (columns named by event id); added as level
        shifts, and as slope changes when ``spec.trend == "piecewise"``.
    extra : DataFrame, optional
        Further columns (event terms, covariates) on ``index``, added as they are.
    break_starts : dict, optional
        First period of each break (column name -> Period). The slope change of a
        piecewise trend counts time from there, so the design of forecast periods
        continues the history's ramp. Without it the first period where the break is
        non-zero within ``index`` is used, which is right only for the full history.

    Returns
    -------
    DataFrame
        Columns ``const``, then trend, seasonal, calendar, break and extra columns.
    """
    freq = _freq_code(index)
    per_year = _FREQ_PER_YEAR[freq]
    n = len(index)
    cols: dict[str, np.ndarray] = {"const": np.ones(n)}
    t = _periods_since(index, spec.origin) / per_year
    if spec.trend in ("linear", "piecewise"):
        cols["trend"] = t
    if spec.seasonality == "monthly":
        month = np.asarray(index.month)
        for m in range(2, 13):
            cols[f"month_{m:02d}"] = (month == m).astype(float)
    elif spec.seasonality == "fourier":
        frac = _year_fraction(index)
        for k in range(1, spec.harmonics + 1):
            cols[f"sin_{k}"] = np.sin(2 * np.pi * k * frac)
            cols[f"cos_{k}"] = np.cos(2 * np.pi * k * frac)
    if spec.day_of_week or spec.holidays != "none":
        cal = calendar_columns(index, day_of_week=spec.day_of_week, holidays=spec.holidays)
        for name in cal.columns:
            cols[str(name)] = cal[name].to_numpy(dtype=float)
    if breaks is not None:
        for name in breaks.columns:
            b = np.asarray(breaks[name], dtype=float)
            cols[f"break_{name}"] = b
            if spec.trend == "piecewise":
                # slope change from the break on: time since the break's first period,
                # in years, anchored in calendar time (not in this index)
                started = b > 0
                if break_starts is not None and name in break_starts:
                    since = _periods_since(index, break_starts[name])
                elif started.any():
                    since = np.arange(n) - float(np.argmax(started))
                else:
                    since = np.zeros(n)
                cols[f"slope_{name}"] = np.where(started, np.clip(since, 0, None) / per_year,
                                                 0.0)
    if extra is not None:
        for name in extra.columns:
            cols[str(name)] = np.asarray(extra[name], dtype=float)
    return pd.DataFrame(cols, index=index)


def _periods_since(index: pd.PeriodIndex, origin: pd.Period) -> np.ndarray:
    origin = pd.Period(origin, freq=index.freq)
    return np.asarray(index.asi8 - origin.ordinal, dtype=float)


def _year_fraction(index: pd.PeriodIndex) -> np.ndarray:
    if _freq_code(index) == "M":
        return (np.asarray(index.month) - 1) / 12.0
    start = index.start_time
    doy = np.asarray(start.day_of_year, dtype=float) - 1
    return doy / 365.25


@lru_cache(maxsize=64)
def _belgian_holidays(year: int) -> frozenset:
    return frozenset(holidays.Belgium(years=year).keys())


def working_days(index: pd.PeriodIndex) -> pd.Series:
    """Number of Belgian working days (Monday-Friday, not a public holiday) per period."""
    out = np.empty(len(index))
    for i, p in enumerate(index):
        days = pd.date_range(p.start_time.normalize(), p.end_time.normalize(), freq="D")
        hol = set()
        for y in set(days.year):
            hol |= _belgian_holidays(int(y))
        out[i] = sum(1 for d in days if d.day_of_week < 5 and d.date() not in hol)
    return pd.Series(out, index=index, name="working_days")


def exposure_for(
    index: pd.PeriodIndex,
    kind: str | None,
    column: pd.Series | OpeningHours | None = None,
) -> np.ndarray:
    """Exposure per period: ``None`` (ones), ``"days"``, ``"working_days"``, ``"column"``
    or ``"opening_hours"``.

    ``"opening_hours"`` gives the open hours per period of the schedule passed as
    ``column`` (an :class:`~impact.baselines.opening_hours.OpeningHours`; default the
    packaged 1712 schedule); a closed period has exposure 0 (the caller treats it as
    closed).

    Raises
    ------
    DataValidationError
        When ``kind="column"`` and ``column`` does not cover every period with a positive
        value, or ``kind="opening_hours"`` with a ``column`` that is not a schedule.
    """
    if kind == "opening_hours":
        schedule = default_opening_hours() if column is None else column
        if not isinstance(schedule, OpeningHours):
            raise DataValidationError(
                "exposure='opening_hours' needs an opening-hours schedule: pass "
                "exposure=read_opening_hours(path) (or nothing, for the 1712 schedule), not "
                f"a {type(column).__name__}."
            )
        return schedule.hours(index).to_numpy(dtype=float)
    if isinstance(column, OpeningHours):
        raise DataValidationError(
            f"an opening-hours schedule was passed as exposure but the spec has "
            f"exposure={kind!r}; use BaselineSpec(exposure='opening_hours')."
        )
    if kind is None:
        return np.ones(len(index))
    if kind == "days":
        return np.asarray(index.days_in_month if _freq_code(index) == "M" else
                          (index.end_time - index.start_time).days + 1, dtype=float)
    if kind == "working_days":
        return working_days(index).to_numpy()
    if kind == "column":
        if column is None:
            raise DataValidationError(
                "exposure='column' needs an exposure series (for example opening hours per "
                "month); pass exposure=<Series indexed by month>."
            )
        missing = index.difference(column.index)
        if len(missing):
            shown = ", ".join(str(m) for m in missing[:5])
            raise DataValidationError(
                f"exposure: {len(missing)} period(s) without a value ({shown}); the exposure "
                "series must cover the history and every forecast period."
            )
        vals = column.reindex(index).to_numpy(dtype=float)
        bad = ~(vals > 0)
        if bad.any():
            shown = ", ".join(str(m) for m in index[bad][:5])
            raise DataValidationError(
                f"exposure: values must be > 0; not so in {shown}. Drop those periods or fix "
                "the exposure."
            )
        return vals
    raise DataValidationError(
        f"unknown exposure {kind!r}; expected None, 'days', 'working_days', 'column' or "
        "'opening_hours'."
    )


def design_frame(
    periods: pd.PeriodIndex,
    design_spec: DesignSpec,
    breaks: EventRegistry | None,
    terms: EventRegistry | None,
    covariates: pd.DataFrame | None,
    shape_overrides: dict[str, str] | None,
) -> pd.DataFrame:
    """Design of a count baseline for ``periods``: trend and seasonal columns, known
    breaks (and slope changes), ``event_<id>`` nuisance terms and ``cov_<name>`` control
    series (which must cover every period)."""
    brk = breaks.to_regressors(periods, shape_overrides=shape_overrides) if breaks else None
    starts = (
        {e.id: e.start.to_period(periods.freq) for e in breaks} if breaks else None
    )
    extra = []
    if terms is not None and len(terms):
        ev = terms.to_regressors(periods, shape_overrides=shape_overrides)
        extra.append(ev.add_prefix("event_"))
    if covariates is not None:
        extra.append(validate_covariates(covariates, periods).add_prefix("cov_"))
    ext = pd.concat(extra, axis=1) if extra else None
    return build_design(periods, design_spec, breaks=brk, extra=ext, break_starts=starts)


#: Designs with more rows than this (daily and weekly histories) test column
#: independence on the triangular factor of one QR decomposition instead of the rows.
_QR_ROWS: int = 400


def independent_columns(X: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Keep columns that vary in the fit window and are linearly independent.

    Columns are taken in order; a column is kept when it is not constant (``const``
    apart) and raises the rank of the kept ones. For long designs (more than
    ``_QR_ROWS`` rows) the rank is computed on ``R`` of ``X = QR`` (the same singular
    values, for a k x k instead of an n x k matrix).
    """
    keep: list[str] = []
    dropped: list[str] = []
    values = X.to_numpy(dtype=float)
    short = len(X) <= _QR_ROWS or X.shape[1] == 0
    rows = values if short else np.linalg.qr(values, mode="r")
    scale = np.abs(values).max(axis=0) if len(X) else np.zeros(X.shape[1])
    position = {c: j for j, c in enumerate(X.columns)}
    for c in X.columns:
        j = position[c]
        if c != "const" and np.ptp(values[:, j]) < 1e-12:
            dropped.append(c)
            continue
        cols = [position[k] for k in keep] + [j]
        trial = rows[:, cols]
        # the tolerance scales with the largest entry of the original columns
        big = float(np.abs(trial).max()) if short else float(scale[cols].max())
        if np.linalg.matrix_rank(trial, tol=1e-8 * max(1.0, big)) < len(keep) + 1:
            dropped.append(c)
            continue
        keep.append(c)
    return keep, dropped
