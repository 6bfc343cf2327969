"""The published comparison on its own window: calls against the same weekdays a year
earlier, beside the counterfactual effect for the same window.

The +31% that reached the minister's answer (F144) compares calls in a three-week window
after the Pichal case and the first *Godvergeten* episode (28 Aug-17 Sep 2023) with the
same weekdays a year earlier. :func:`compare_window` computes that year-on-year ratio with
an interval, and the counterfactual ratio for the same window from
:func:`~impact.estimation.counterfactual.estimate_effect`, in a :class:`WindowComparison`
that says what each number measures:

- **year on year**: calls in the window / calls on the same weekdays 364 days earlier.
  It includes the trend, the calendar (holidays falling differently) and every other
  change between the two years, not only the events. Its interval covers count noise
  only: a quasi-Poisson ratio whose dispersion (overdispersion times the autocorrelation
  inflation of a window sum) is estimated from the history;
- **year on year in the history**: the same ratio for every earlier window of the same
  length and weekdays (one per week), the spread of year-on-year ratios without these
  events (median and central ``level`` range);
- **counterfactual**: calls in the window / the modelled baseline without the events,
  with the estimate's simulation interval over its joint paths.

At monthly resolution the window must be whole months (compared with the same months a
year earlier); finer windows need daily data.
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

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_SEED
from impact._core.exceptions import DataValidationError
from impact._core.provenance import label_text
from impact._core.summary import Summary
from impact._core.validation import validate_level, validate_series
from impact.baselines import BaselineSpec
from impact.estimation.counterfactual import EffectEstimate, estimate_effect
from impact.events.event import Event
from impact.events.registry import EventRegistry
from impact.plots import daily as _plots_daily

__all__ = ["WINDOW_COLUMNS", "WINDOW_MEASURES", "WindowComparison", "compare_window"]

#: Columns of :meth:`WindowComparison.to_frame` (index ``measure``).
WINDOW_COLUMNS: tuple[str, ...] = (
    "observed",
    "reference",
    "ratio",
    "ratio_lower",
    "ratio_upper",
    "difference",
    "interval",
    "measures",
)

#: The rows of :meth:`WindowComparison.to_frame` and what each measures.
WINDOW_MEASURES: dict[str, str] = {
    "year_on_year": (
        "calls in the window / calls on the same weekdays a year earlier: includes the "
        "trend, the calendar and any other change between the years, not only the events"
    ),
    "year_on_year_history": (
        "year-on-year ratios of earlier windows of the same length and weekdays: how far "
        "such a ratio strays from 1 without these events (median, central range)"
    ),
    "counterfactual": (
        "calls in the window / the modelled baseline without the events (trend, season, "
        "calendar and known breaks accounted for): the events' effect"
    ),
}

#: Lag of the year-on-year comparison: 52 weeks, so the weekdays match.
LAG_DAYS: int = 364


@dataclasses.dataclass(frozen=True)
class WindowComparison:
    """A window's calls against a year earlier and against the counterfactual.

    Attributes
    ----------
    team : str
    start, end : Timestamp
        The window (inclusive).
    reference_start, reference_end : Timestamp
        The year-earlier window (inclusive).
    level : float
    frame : DataFrame
        Index ``measure`` (:data:`WINDOW_MEASURES`), columns :data:`WINDOW_COLUMNS`.
    dispersion : float
        Dispersion of a window sum (quasi-Poisson scale with autocorrelation inflation)
        used for the year-on-year interval.
    estimate : EffectEstimate or None
        The counterfactual estimate behind the ``counterfactual`` row.
    data_kind, method : str
    warnings : tuple of str
    """

    team: str
    start: pd.Timestamp
    end: pd.Timestamp
    reference_start: pd.Timestamp
    reference_end: pd.Timestamp
    level: float
    frame: pd.DataFrame = dataclasses.field(repr=False)
    dispersion: float
    estimate: EffectEstimate | None = dataclasses.field(repr=False, compare=False)
    data_kind: str
    method: str
    warnings: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per measure (:data:`WINDOW_MEASURES`), columns :data:`WINDOW_COLUMNS`."""
        return self.frame.copy()

    def summary(self) -> Summary:
        """The table and a text that says what each ratio measures."""
        f = self.to_frame()
        pct = int(round(self.level * 100))
        parts = []
        for m, r in f.iterrows():
            if not np.isfinite(r["ratio"]):
                continue
            parts.append(
                f"{m.replace('_', ' ')}: {r['ratio'] - 1:+.1%} ({pct}% {r['interval']} "
                f"{r['ratio_lower'] - 1:+.1%} to {r['ratio_upper'] - 1:+.1%}), "
                f"{r['measures']}"
            )
        text = (
            f"{self.team}, calls {self.start.date()} to {self.end.date()} against "
            f"{self.reference_start.date()} to {self.reference_end.date()}: "
            + "; ".join(parts) + f". {self.method} Data kind: {self.data_kind}."
        )
        return Summary(table=f, text=label_text(text, data_kind=self.data_kind,
                                                caveats=self.warnings))

    def plot(self, *, ax: Any = None) -> Any:
        """The ratios with their intervals (see :mod:`impact.plots`)."""
        return _plots_daily.plot_window_comparison(self, ax=ax)


def _window_periods(index: pd.PeriodIndex, start: pd.Timestamp, end: pd.Timestamp,
                    what: str) -> tuple[pd.Period, pd.Period]:
    """The first and last period of a window given as dates; refuse a window that does
    not cover whole periods."""
    freq = index.freq
    p0, p1 = pd.Period(start, freq=freq), pd.Period(end, freq=freq)
    if p0.start_time.normalize() != start or p1.end_time.normalize() != end:
        raise DataValidationError(
            f"compare_window: the {what} {start.date()} to {end.date()} does not cover whole "
            f"periods of this {index.freqstr!r} series ({p0} starts "
            f"{p0.start_time.date()}, {p1} ends {p1.end_time.date()}). Give a window of "
            "whole periods, or daily data for a window inside a month or week."
        )
    if p0 < index[0] or p1 > index[-1]:
        raise DataValidationError(
            f"compare_window: the {what} {p0} to {p1} lies outside the series ({index[0]} "
            f"to {index[-1]})."
        )
    return p0, p1


def _calendar_design(index: pd.PeriodIndex) -> pd.DataFrame:
    """Year and month-of-year indicators (plus weekday for daily data): a local mean
    for the dispersion of the history."""
    ts = index.to_timestamp()
    parts = [pd.get_dummies(ts.year.astype(str), prefix="y", drop_first=True),
             pd.get_dummies(ts.month.astype(str), prefix="m", drop_first=True)]
    if index.freqstr == "D":
        parts.append(pd.get_dummies(ts.day_of_week.astype(str), prefix="d", drop_first=True))
    X = pd.concat(parts, axis=1).astype(float)
    X.insert(0, "const", 1.0)
    X.index = index
    return X


def _window_dispersion(history: pd.Series, length: int) -> float:
    """Dispersion of a sum of ``length`` consecutive counts: the quasi-Poisson Pearson
    scale of the history around year, month (and weekday) means, times the
    autocorrelation inflation ``1 + 2 sum_k (1 - k/length) rho_k`` of its Pearson
    residuals (at least 1)."""
    y = history.to_numpy(dtype=float)
    X = _calendar_design(history.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = GLM(y, X.to_numpy(), family=families.Poisson()).fit(scale="X2")
    r = np.asarray(res.resid_pearson, dtype=float)
    r = r - r.mean()
    denom = float(r @ r)
    infl = 1.0
    for k in range(1, min(length, len(r) // 4)):
        rho = float(r[k:] @ r[:-k]) / denom if denom > 0 else 0.0
        infl += 2.0 * (1.0 - k / length) * rho
    return float(max(res.scale, 1e-9) * max(infl, 1.0))


def compare_window(
    series: pd.Series,
    start: Any,
    end: Any,
    *,
    estimate: EffectEstimate | None = None,
    events: Event | EventRegistry | Iterable[Event] | None = None,
    spec: BaselineSpec | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    level: float = DEFAULT_LEVEL,
    seed: int = DEFAULT_SEED,
    team: str | None = None,
    data_kind: str | None = None,
) -> WindowComparison:
    """Calls in a window against the same weekdays a year earlier and the counterfactual.

    Parameters
    ----------
    series : Series
        Complete daily, weekly or monthly count series (``PeriodIndex``).
    start, end : date-like
        First and last day of the window (inclusive), e.g. ``"2023-08-28"``,
        ``"2023-09-17"``. Daily data: any days; weekly or monthly data: whole periods.
    estimate : EffectEstimate, optional
        A counterfactual estimate on ``series`` whose post-period covers the window; its
        ratio over the window gives the ``counterfactual`` row.
    events : Event, EventRegistry or iterable of Event, optional
        Instead of ``estimate``: the events under study; :func:`estimate_effect` is run
        with ``spec``, ``context``, ``level`` and ``seed`` and ``post_end`` at the
        window's end. With neither, the ``counterfactual`` row is NaN.
    spec, context : optional
        As for :func:`estimate_effect`.
    level : float, default 0.95
    seed : int
    team, data_kind : str, optional

    Returns
    -------
    WindowComparison

    Raises
    ------
    DataValidationError
        A window not covering whole periods (e.g. 28 Aug-17 Sep on monthly data), a window
        or its year-earlier window outside the series, or an estimate whose post-period
        does not cover the window.

    Notes
    -----
    The year-earlier window is the window moved back 364 days (52 weeks: same weekdays);
    at monthly resolution 12 months. The year-on-year interval treats both windows' sums
    as quasi-Poisson with the dispersion of :attr:`WindowComparison.dispersion`:
    ``log ratio +/- z sqrt(dispersion (1/S1 + 1/S0))`` (delta method): a confidence
    interval for the ratio of expected calls, count noise only. The counterfactual
    interval is the estimate's simulation interval of ``observed / counterfactual`` over
    the window's periods, from its joint paths.
    """
    level = validate_level(level)
    series = validate_series(series, name="series")
    idx = series.index
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if end < start:
        raise DataValidationError(f"compare_window: end {end.date()} is before start "
                                  f"{start.date()}.")
    monthly = idx.freqstr.upper().startswith("M")
    p0, p1 = _window_periods(idx, start, end, "window")
    if monthly:
        r0, r1 = p0 - 12, p1 - 12
    else:
        lag = LAG_DAYS if idx.freqstr == "D" else LAG_DAYS // 7
        r0, r1 = p0 - lag, p1 - lag
    if r0 < idx[0]:
        raise DataValidationError(
            f"compare_window: the year-earlier window starts {r0}, before the series "
            f"({idx[0]}); the comparison needs a year of data before the window."
        )
    team = team or (str(series.name) if series.name not in (None, "calls") else "series")
    kind = data_kind or series.attrs.get("kind", "unspecified")
    s1 = float(series.loc[p0:p1].sum())
    s0 = float(series.loc[r0:r1].sum())
    length = p1.ordinal - p0.ordinal + 1
    notes: list[str] = []
    history = series.loc[: p0 - 1]
    disp = _window_dispersion(history, length)
    z = stats.norm.ppf((1 + level) / 2)
    ratio = s1 / s0 if s0 > 0 else np.nan
    se = np.sqrt(disp * (1.0 / max(s1, 0.5) + 1.0 / max(s0, 0.5)))
    rows = {"year_on_year": {
        "observed": s1, "reference": s0, "ratio": ratio,
        "ratio_lower": ratio * np.exp(-z * se), "ratio_upper": ratio * np.exp(z * se),
        "difference": s1 - s0, "interval": "confidence interval (count noise)",
    }}
    # the year-on-year ratio of every earlier window of the same length and weekdays
    step = 7 if idx.freqstr == "D" else 1
    lag_n = p0.ordinal - r0.ordinal
    vals = series.to_numpy(dtype=float)
    csum = np.concatenate(([0.0], np.cumsum(vals)))
    i0 = p0.ordinal - idx[0].ordinal
    hist = []
    for a in range(i0 - step, lag_n - 1, -step):
        b = a - lag_n
        if a + length > i0:
            continue
        den = csum[b + length] - csum[b]
        if den > 0:
            hist.append((csum[a + length] - csum[a]) / den)
    if len(hist) >= 5:
        q = np.quantile(hist, [(1 - level) / 2, 0.5, (1 + level) / 2])
        rows["year_on_year_history"] = {
            "observed": np.nan, "reference": np.nan, "ratio": float(q[1]),
            "ratio_lower": float(q[0]), "ratio_upper": float(q[2]), "difference": np.nan,
            "interval": f"range of {len(hist)} earlier windows",
        }
    else:
        notes.append("fewer than 5 earlier windows with a year before them: no historical "
                     "spread of year-on-year ratios.")
    if estimate is None and events is not None:
        estimate = estimate_effect(series, events, spec=spec, context=context, level=level,
                                   seed=seed, post_end=p1, team=team, data_kind=kind)
    rows["counterfactual"] = _counterfactual_row(estimate, p0, p1, level)
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame["measures"] = [WINDOW_MEASURES[m] for m in frame.index]
    frame = frame.reindex(columns=list(WINDOW_COLUMNS))
    frame.index.name = "measure"
    method = (
        f"Year-earlier window: {'12 months' if monthly else '364 days (same weekdays)'} "
        f"back. Year-on-year interval: quasi-Poisson ratio, window-sum dispersion "
        f"{disp:.2f} estimated from the history (Pearson scale around year, month"
        f"{' and weekday' if idx.freqstr == 'D' else ''} means, inflated for "
        "autocorrelation)."
        + (" Counterfactual: " + estimate.spec.label + " baseline; simulation interval "
           f"from {estimate.n_paths} joint paths." if estimate is not None else "")
    )
    return WindowComparison(
        team=team, start=start, end=end,
        reference_start=r0.start_time.normalize(), reference_end=r1.end_time.normalize(),
        level=level, frame=frame, dispersion=disp, estimate=estimate, data_kind=kind,
        method=method, warnings=tuple(notes),
    )


def _counterfactual_row(estimate: EffectEstimate | None, p0: pd.Period, p1: pd.Period,
                        level: float) -> dict[str, Any]:
    """Observed / counterfactual over the window, from the estimate's joint paths."""
    if estimate is None:
        return {"observed": np.nan, "reference": np.nan, "ratio": np.nan,
                "ratio_lower": np.nan, "ratio_upper": np.nan, "difference": np.nan,
                "interval": "not estimated (no estimate or events given)"}
    f = estimate.frame
    post = f.index[f["is_post"].to_numpy()]
    if p0 < post[0] or p1 > post[-1]:
        raise DataValidationError(
            f"compare_window: the estimate's post-period ({post[0]} to {post[-1]}) does not "
            f"cover the window ({p0} to {p1}); estimate with post_end at the window's end."
        )
    cols = (post >= p0) & (post <= p1)
    obs = float(f.loc[p0:p1, "observed"].sum())
    exp_ = float(f.loc[p0:p1, "expected"].sum())
    mean = estimate.mean_paths[:, cols].sum(axis=1)
    noise = estimate.noise_paths[:, cols].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        paths = np.maximum(obs - noise, 0.0) / mean
    paths = paths[np.isfinite(paths)]
    lo, hi = np.quantile(paths, [(1 - level) / 2, (1 + level) / 2])
    ratio = obs / exp_
    return {"observed": obs, "reference": exp_, "ratio": ratio,
            "ratio_lower": float(min(lo, ratio)), "ratio_upper": float(max(hi, ratio)),
            "difference": obs - exp_, "interval": "simulation interval"}
