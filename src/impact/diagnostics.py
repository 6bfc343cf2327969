"""Checks on an effect estimate: backtests, placebos, sensitivity, residuals, capacity.

Validation is part of every estimate (DESIGN.md section 5):

- :func:`backtest_baseline` / :func:`compare_baselines`: rolling-origin backtests of
  baselines on the pre-period (MAE, MASE, bias, interval coverage) and a documented rule
  that picks the baseline (:data:`CHOICE_RULE`);
- :func:`placebo_in_time`, :func:`sensitivity` (from :mod:`impact.placebo`): empirical
  false-positive rate, calibrated p-value and a specification curve;
- :func:`check_residuals`: overdispersion, autocorrelation (Ljung-Box) and remaining
  seasonality of a fitted baseline, with advice;
- :func:`check_capacity`: months where answered calls sit at a capacity limit, where an
  effect can be understated;
- :func:`check_effect` bundles them for one team and event, :func:`check_effects` for
  every team and the Flanders total.

Speed: the full bundle for the E048+E049 headline on the synthetic panel (five teams and
Flanders, 2013-2023: headline estimate, 36 placebos, 13 sensitivity specifications
including the time-series families, residual and capacity checks, 4 x 12 backtest fits
per series) is timed with::

    .venv/bin/python -c "import impact.diagnostics as d; d._time_bundle()"

which prints the progress, the table, the wall time and the CPU time of the process and
its workers. Measured (2 vCPUs shared with other jobs, load average about 9): CPU 35 s,
wall 65 s; on two otherwise idle cores that is about 20 s (CPU / 2 plus worker start-up).
Per series about 5 s of CPU: placebos 1.2 s, sensitivity 1.2-2.2 s (mostly the SARIMA and
structural fits), backtests 1.5 s.
"""

from __future__ import annotations

import dataclasses
import os
import re
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from impact.baselines import BASELINE_FAMILIES, BaselineFit, BaselineSpec, fit_baseline
from impact.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS, DEFAULT_SEED, FLANDERS
from impact.effects import EffectEstimate, EffectSummary, as_registry, estimate_effect, seed_for
from impact.events import BASELINE_KINDS, Event, EventRegistry
from impact.exceptions import DataValidationError, ImpactWarning
from impact.labels import SYNTHETIC_LABEL, label_text
from impact.placebo import (
    _FIT_ERRORS,
    PlaceboResult,
    SensitivityResult,
    _context_setup,
    _kind_of,
    _say,
    _shape_overrides,
    _team_of,
    placebo_in_time,
    plot_placebo_distribution,
    plot_specification_curve,
    sensitivity,
)

__all__ = [
    "BACKTEST_COLUMNS",
    "CHECK_COLUMNS",
    "CHOICE_RULE",
    "BacktestResult",
    "CapacityCheck",
    "EffectCheck",
    "EffectCheckTable",
    "ModelComparison",
    "PlaceboResult",
    "ResidualCheck",
    "SensitivityResult",
    "backtest_baseline",
    "check_capacity",
    "check_effect",
    "check_effects",
    "check_residuals",
    "compare_baselines",
    "placebo_in_time",
    "sensitivity",
]

Progress = Callable[[str], None]

#: Columns of :meth:`BacktestResult.to_frame` (one row per origin and horizon).
BACKTEST_COLUMNS: tuple[str, ...] = (
    "team", "spec", "origin", "month", "horizon", "observed", "expected", "expected_lower",
    "expected_upper", "error", "abs_error", "scaled_error", "is_inside", "is_scored", "note",
)
#: Columns of :meth:`EffectCheck.to_frame` (the long table of every check).
CHECK_COLUMNS: tuple[str, ...] = (
    "team", "event", "check", "item", "quantity", "estimate", "estimate_lower",
    "estimate_upper", "unit", "is_flagged", "note", "data_kind",
)
#: The rule :func:`compare_baselines` uses to pick the study's baseline.
CHOICE_RULE: str = (
    "among specifications whose empirical coverage of the monthly prediction intervals lies "
    "in [level - 0.10, min(1, level + 0.05)], the lowest MASE wins; MASE values within 0.02 of the "
    "lowest are ties, won by the simpler model (seasonal_naive < poisson < quasipoisson < "
    "negbin < ets < structural < sarima, then seasonality none < fourier < monthly, then "
    "trend none < linear < piecewise); if no specification meets the coverage criterion, "
    "the one whose coverage is closest to the band wins"
)
_COMPLEXITY_FAMILY = ("seasonal_naive", "poisson", "quasipoisson", "negbin", "ets",
                      "structural", "sarima")
_COMPLEXITY_SEASON = ("none", "fourier", "monthly")
_COMPLEXITY_TREND = ("none", "linear", "piecewise")
#: Words in a capacity event's name or note saying that calls went unanswered.
_CAPPED_PATTERN = re.compile(
    r"unanswered|not answered|censor|shortfall|could not get through|overwhelm|"
    r"onbeantwoord|niet beantwoord|capacity limit", re.IGNORECASE,
)


def _seasonal_lag(index: pd.PeriodIndex) -> int:
    code = index.freqstr.upper()
    return 12 if code.startswith("M") else (52 if code.startswith("W") else 7)


def _complexity(spec: BaselineSpec) -> int:
    return (100 * _COMPLEXITY_FAMILY.index(spec.family)
            + 10 * _COMPLEXITY_SEASON.index(spec.seasonality)
            + _COMPLEXITY_TREND.index(spec.trend))


def _synthetic(text: str, kind: str) -> str:
    return label_text(text, data_kind=kind)


# --------------------------------------------------------------------------- backtests


@dataclasses.dataclass(frozen=True)
class BacktestResult:
    """Rolling-origin backtest of one baseline specification.

    ``to_frame()`` holds one row per origin and horizon; the metrics are computed from its
    scored rows (months outside excluded event windows, fits that succeeded).

    Attributes
    ----------
    team, label : str
        Series label and the specification's label.
    spec : BaselineSpec
    level : float
        Level of the monthly prediction intervals (simulation quantiles of count paths).
    origins : tuple of Period
        Last fitted period of each origin.
    horizons : tuple of int
    cumulative : DataFrame
        Per origin: ``observed`` and ``expected`` sums over horizons 1..max with the
        simulation interval of the sum (``expected_lower``, ``expected_upper``),
        ``is_inside``, ``is_scored``.
    data_kind : str
    warnings : tuple of str
        Failed fits (origin and error).
    """

    team: str
    label: str
    spec: BaselineSpec
    level: float
    origins: tuple[pd.Period, ...]
    horizons: tuple[int, ...]
    n_paths: int
    data_kind: str
    warnings: tuple[str, ...]
    frame: pd.DataFrame = dataclasses.field(repr=False)
    cumulative: pd.DataFrame = dataclasses.field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per origin and horizon, columns :data:`BACKTEST_COLUMNS`."""
        return self.frame.copy()

    def _scored(self) -> pd.DataFrame:
        f = self.frame
        return f[f["is_scored"] & f["expected"].notna()]

    def metrics(self) -> pd.DataFrame:
        """Metrics per horizon and over all horizons (index ``horizon``: "1", ..., "all").

        ``mae`` and ``rmse`` in calls; ``mase`` scales each absolute error by the
        in-sample MAE of the seasonal naive forecast on the origin's fitted history;
        ``bias`` is the mean of ``observed - expected`` (positive: the baseline
        under-predicts, which would show as a spurious positive effect); ``coverage`` is
        the share of observed counts inside the prediction interval.
        """
        s = self._scored()
        groups = [(str(h), g) for h, g in s.groupby("horizon")] + [("all", s)]
        rows = {}
        for name, g in groups:
            rows[name] = {
                "n": len(g),
                "mae": g["abs_error"].mean(),
                "rmse": float(np.sqrt((g["error"] ** 2).mean())) if len(g) else np.nan,
                "mase": g["scaled_error"].mean(),
                "bias": g["error"].mean(),
                "coverage": g["is_inside"].mean() if len(g) else np.nan,
                "interval_width": (g["expected_upper"] - g["expected_lower"]).mean(),
            }
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "horizon"
        return out

    @property
    def mae(self) -> float:
        """Mean absolute error (calls) over scored forecasts."""
        return float(self._scored()["abs_error"].mean())

    @property
    def mase(self) -> float:
        """Mean absolute scaled error over scored forecasts."""
        return float(self._scored()["scaled_error"].mean())

    @property
    def bias(self) -> float:
        """Mean of ``observed - expected`` (calls) over scored forecasts."""
        return float(self._scored()["error"].mean())

    @property
    def coverage(self) -> float:
        """Share of scored observed counts inside their prediction interval."""
        s = self._scored()
        return float(s["is_inside"].mean()) if len(s) else np.nan

    @property
    def cumulative_coverage(self) -> float:
        """Share of origins whose observed sum over horizons 1..max is inside the simulation
        interval of the sum."""
        c = self.cumulative[self.cumulative["is_scored"]]
        return float(c["is_inside"].mean()) if len(c) else np.nan

    def summary(self) -> EffectSummary:
        """Metrics per horizon (table) and a text with the overall numbers."""
        pct = int(round(self.level * 100))
        text = (
            f"{self.team}: rolling-origin backtest of {self.label} at {len(self.origins)} "
            f"origins ({self.origins[0]} to {self.origins[-1]}), horizons "
            f"{min(self.horizons)}-{max(self.horizons)}: MAE {self.mae:.1f} calls, MASE "
            f"{self.mase:.2f}, bias {self.bias:+.1f} calls (observed - expected), coverage "
            f"of the monthly {pct}% prediction intervals {self.coverage:.1%}, of the "
            f"{max(self.horizons)}-period cumulative intervals {self.cumulative_coverage:.1%}. "
            f"Intervals: simulation quantiles of {self.n_paths} joint count paths. "
            f"Data kind: {self.data_kind}."
        )
        if self.warnings:
            text += " Caveats: " + " ".join(self.warnings)
        return EffectSummary(table=self.metrics(), text=_synthetic(text, self.data_kind))

    def plot(self, *, ax: Any = None) -> Any:
        """Coverage and MASE by horizon, the acceptable coverage band shaded."""
        from impact.plots import _axes

        m = self.metrics().drop(index="all")
        ax = _axes(ax)
        h = m.index.astype(int)
        ax.axhspan(self.level - 0.10, min(1.0, self.level + 0.05), color="tab:green",
                   alpha=0.12, label="acceptable coverage")
        ax.plot(h, m["coverage"], "o-", color="black", label="coverage")
        ax.axhline(self.level, color="0.5", lw=0.8, ls="--")
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("horizon (periods ahead)")
        ax.set_ylabel(f"coverage of {int(round(self.level * 100))}% intervals")
        ax2 = ax.twinx()
        ax2.bar(h, m["mase"], color="tab:blue", alpha=0.3, label="MASE")
        ax2.set_ylabel("MASE")
        ax.set_title(f"{self.team}: backtest of {self.label}", fontsize=9)
        ax.legend(loc="lower left")
        return ax


def _backtest_setup(
    index: pd.PeriodIndex,
    breaks: EventRegistry | Iterable[Event] | None,
    context: EventRegistry | Iterable[Event] | None,
    exclude: Any,
    shape_overrides: dict[str, str] | None,
) -> tuple[EventRegistry | None, EventRegistry | None, np.ndarray, dict[str, str]]:
    brk = list(as_registry(breaks))
    terms = None
    mask = np.zeros(len(index), dtype=bool)
    ctx = as_registry(context)
    overrides = _shape_overrides(EventRegistry(brk), shape_overrides)
    if len(ctx):
        cb, terms, mask, ov = _context_setup(index, ctx, shape_overrides)
        ids = {e.id for e in brk}
        brk += [e for e in (cb or []) if e.id not in ids]
        overrides.update(ov)
    if exclude is not None:
        ex = (exclude.reindex(index, fill_value=False) if isinstance(exclude, pd.Series)
              else exclude)
        ex = np.asarray(ex, dtype=bool)
        if ex.shape != (len(index),):
            raise DataValidationError(
                f"exclude has {ex.size} values for a series of {len(index)} periods."
            )
        mask = mask | ex
    return (EventRegistry(brk) if brk else None), terms, mask, overrides


def _origin_positions(
    index: pd.PeriodIndex, origins: int | Sequence[Any], h_max: int, min_train: int
) -> list[int]:
    n = len(index)
    if isinstance(origins, int | np.integer):
        last = n - 1 - h_max
        pos = list(range(last - int(origins) + 1, last + 1))
        if int(origins) < 1 or not pos or pos[0] + 1 < min_train:
            raise DataValidationError(
                f"backtest: {origins} origins with horizons up to {h_max} need at least "
                f"{min_train + int(origins) - 1 + h_max} periods (min_train={min_train}); the "
                f"series has {n}. Use fewer origins or horizons, or a longer series."
            )
        return pos
    pos = []
    for o in origins:
        p = pd.Period(o, freq=index.freq)
        if p not in index:
            raise DataValidationError(f"backtest origin {p} is not in the series.")
        i = index.get_loc(p)
        if i + 1 < min_train or i >= n - 1:
            raise DataValidationError(
                f"backtest origin {p}: needs {min_train} fitted periods before it and one "
                "period after it."
            )
        pos.append(int(i))
    return sorted(set(pos))


def backtest_baseline(
    series: pd.Series,
    spec: BaselineSpec | None = None,
    *,
    origins: int | Sequence[Any] = 12,
    horizons: int | Sequence[int] = 6,
    level: float = DEFAULT_LEVEL,
    seed: int = DEFAULT_SEED,
    breaks: EventRegistry | Iterable[Event] | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    exclude: pd.Series | np.ndarray | None = None,
    exposure: pd.Series | None = None,
    n_paths: int = 500,
    min_train: int = 36,
    shape_overrides: dict[str, str] | None = None,
    label: str | None = None,
    team: str | None = None,
    data_kind: str | None = None,
) -> BacktestResult:
    """Rolling-origin backtest of one baseline on a (pre-period) series.

    Parameters
    ----------
    series : Series
        Complete count series; pass only the pre-period of the effect under study.
    spec : BaselineSpec, optional
    origins : int or sequence of period-like, default 12
        An int places that many origins one period apart, the last one ``max(horizons)``
        periods before the end of the series (every origin has every horizon); or the
        last fitted period of each origin.
    horizons : int or sequence of int, default 6
        ``h`` means horizons 1..h.
    level : float, default 0.95
    seed : int
        Origin ``o`` uses ``seed_for(seed, team, "backtest", label, str(o))``.
    breaks : EventRegistry, optional
        Known breaks (``spec.use_breaks`` applies).
    context : EventRegistry, optional
        Registered events: baseline kinds are added to the breaks, windows of news,
        campaign and policy events are left out of the fits and of the scores, step events
        are nuisance terms (as :func:`impact.effects.estimate_effect` does).
    exclude : Series or array of bool, optional
        Further periods left out of fits and scores.
    exposure : Series, optional
        For ``spec.exposure="column"``.
    n_paths : int, default 500
    min_train : int, default 36
        Fewest periods of the first origin's history.
    shape_overrides, label, team, data_kind : optional

    Returns
    -------
    BacktestResult

    Raises
    ------
    DataValidationError
        When the series is too short for the origins and horizons.

    Notes
    -----
    MASE divides each absolute error by the mean absolute seasonal difference
    ``|y_t - y_{t-12}|`` of the origin's fitted history (pairs with both months fitted).
    Coverage counts an observed count inside the interval when ``lower <= y <= upper``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> idx = pd.period_range("2012-01", periods=96, freq="M")
    >>> y = pd.Series(np.random.default_rng(1).poisson(100, 96), index=idx)
    >>> spec = BaselineSpec(family="poisson", trend="none", seasonality="none")
    >>> res = backtest_baseline(y, spec, origins=12, horizons=3, seed=1)
    >>> len(res.to_frame()), res.horizons
    (36, (1, 2, 3))
    >>> 0.8 <= res.coverage <= 1.0
    True
    """
    from impact.validate import validate_level, validate_series

    level = validate_level(level)
    series = validate_series(series, name="series")
    spec = spec or BaselineSpec()
    team = _team_of(series, team)
    kind = _kind_of(series, data_kind)
    label = label or spec.label
    idx = series.index
    hs = list(range(1, int(horizons) + 1)) if isinstance(horizons, int | np.integer) else sorted(
        {int(h) for h in horizons}
    )
    if not hs or hs[0] < 1:
        raise DataValidationError(f"horizons must be positive integers, got {horizons!r}.")
    h_max = hs[-1]
    pos = _origin_positions(idx, origins, h_max, min_train)
    brk, terms, excl, overrides = _backtest_setup(idx, breaks, context, exclude,
                                                  shape_overrides)
    y = series.to_numpy(dtype=float)
    lag = _seasonal_lag(idx)
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    rows: list[dict[str, Any]] = []
    cum_rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for o in pos:
        origin = idx[o]
        used = ~excl[: o + 1]
        yt = y[: o + 1]
        ok = used[lag:] & used[:-lag]
        d = np.abs(yt[lag:] - yt[:-lag])[ok]
        scale = float(d.mean()) if len(d) >= 6 and d.mean() > 0 else np.nan
        periods = idx[o + 1 : o + 1 + h_max]
        base = {"team": team, "spec": label, "origin": str(origin)}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = fit_baseline(series.iloc[: o + 1], spec, breaks=brk, terms=terms,
                                   exposure=exposure, exclude=excl[: o + 1],
                                   shape_overrides=overrides)
                paths = fit.simulate(periods, n_paths=n_paths,
                                     seed=seed_for(seed, team, "backtest", label, str(origin)))
                mean = fit.mean(periods).to_numpy()
        except _FIT_ERRORS as exc:
            notes.append(f"origin {origin}: {exc}")
            for h in hs:
                if o + h < len(idx):
                    rows.append({**base, "month": str(idx[o + h]), "horizon": h,
                                 "observed": y[o + h], "is_scored": False, "note": str(exc)})
            continue
        lo, hi = np.quantile(paths, [lo_q, hi_q], axis=0)
        for h in hs:
            j = h - 1
            if j >= len(periods):
                continue
            obs = y[o + h]
            err = obs - mean[j]
            rows.append({
                **base, "month": str(periods[j]), "horizon": h, "observed": obs,
                "expected": mean[j], "expected_lower": lo[j], "expected_upper": hi[j],
                "error": err, "abs_error": abs(err), "scaled_error": abs(err) / scale,
                "is_inside": bool(lo[j] <= obs <= hi[j]), "is_scored": bool(~excl[o + h]),
                "note": "",
            })
        if len(periods) == h_max:
            sums = paths.sum(axis=1)
            clo, chi = np.quantile(sums, [lo_q, hi_q])
            obs_sum = float(y[o + 1 : o + 1 + h_max].sum())
            cum_rows.append({
                "origin": str(origin), "observed": obs_sum, "expected": float(mean.sum()),
                "expected_lower": clo, "expected_upper": chi,
                "is_inside": bool(clo <= obs_sum <= chi),
                "is_scored": bool(not excl[o + 1 : o + 1 + h_max].any()),
            })
    frame = pd.DataFrame(rows, columns=list(BACKTEST_COLUMNS))
    for c in ("observed", "expected", "expected_lower", "expected_upper", "error",
              "abs_error", "scaled_error"):
        frame[c] = frame[c].astype(float)
    frame["horizon"] = frame["horizon"].astype(int)
    frame["is_inside"] = frame["is_inside"].fillna(False).astype(bool)
    frame["is_scored"] = frame["is_scored"].astype(bool)
    frame["note"] = frame["note"].fillna("")
    cum = pd.DataFrame(cum_rows, columns=["origin", "observed", "expected", "expected_lower",
                                          "expected_upper", "is_inside", "is_scored"])
    return BacktestResult(
        team=team, label=label, spec=spec, level=level,
        origins=tuple(idx[o] for o in pos), horizons=tuple(hs), n_paths=n_paths,
        data_kind=kind, warnings=tuple(notes), frame=frame, cumulative=cum,
    )


@dataclasses.dataclass(frozen=True)
class ModelComparison:
    """Backtests of several baselines, a ranking and the chosen baseline.

    Attributes
    ----------
    results : tuple of BacktestResult
    table : DataFrame
        One row per specification (index ``spec``): ``family``, ``mae``, ``mase``,
        ``bias``, ``rmse``, ``coverage``, ``cumulative_coverage``, ``interval_width``,
        ``n_forecasts``, ``n_failed_origins``, ``is_eligible``, ``complexity``, ``rank``,
        ``is_chosen``.
    chosen : BaselineSpec
    chosen_label : str
    reason : str
        Why it was chosen (the rule applied to the numbers).
    rule : str
        :data:`CHOICE_RULE`.
    """

    team: str
    level: float
    results: tuple[BacktestResult, ...]
    table: pd.DataFrame
    chosen: BaselineSpec
    chosen_label: str
    reason: str
    rule: str
    data_kind: str

    @property
    def ranking(self) -> tuple[str, ...]:
        """Specification labels, best first."""
        return tuple(self.table.sort_values("rank").index)

    def to_frame(self) -> pd.DataFrame:
        """The comparison table with ``spec`` as a column."""
        return self.table.reset_index()

    def summary(self) -> EffectSummary:
        """The comparison table and the choice with its reason."""
        text = f"{self.team}: chosen baseline {self.chosen_label}: {self.reason} Rule: {self.rule}."
        return EffectSummary(table=self.table.copy(), text=_synthetic(text, self.data_kind))

    def plot(self, *, ax: Any = None) -> Any:
        """MASE against coverage per specification; the acceptable band shaded."""
        from impact.plots import _axes

        t = self.table
        ax = _axes(ax)
        ax.axvspan(self.level - 0.10, min(1.0, self.level + 0.05), color="tab:green",
                   alpha=0.12, label="acceptable coverage")
        ax.scatter(t["coverage"], t["mase"], color="black", s=18)
        for name, r in t.iterrows():
            ax.annotate(str(name), (r["coverage"], r["mase"]), fontsize=7,
                        xytext=(3, 3), textcoords="offset points",
                        color="tab:blue" if r["is_chosen"] else "black")
        ax.set_xlabel(f"coverage of {int(round(self.level * 100))}% prediction intervals")
        ax.set_ylabel("MASE")
        ax.set_title(f"{self.team}: baseline comparison (chosen {self.chosen_label})",
                     fontsize=9)
        ax.legend(loc="upper left")
        return ax


def compare_baselines(
    series: pd.Series,
    specs: Sequence[BaselineSpec],
    *,
    origins: int | Sequence[Any] = 12,
    horizons: int | Sequence[int] = 6,
    level: float = DEFAULT_LEVEL,
    seed: int = DEFAULT_SEED,
    breaks: EventRegistry | Iterable[Event] | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    exclude: pd.Series | np.ndarray | None = None,
    exposure: pd.Series | None = None,
    n_paths: int = 500,
    min_train: int = 36,
    coverage_band: tuple[float, float] = (0.10, 0.05),
    tie_tolerance: float = 0.02,
    shape_overrides: dict[str, str] | None = None,
    team: str | None = None,
    data_kind: str | None = None,
    progress: Progress | None = None,
) -> ModelComparison:
    """Backtest several baselines and pick one by :data:`CHOICE_RULE`.

    Parameters
    ----------
    series : Series
        The pre-period counts.
    specs : sequence of BaselineSpec
        Candidates (labels made unique by a suffix when two share one).
    coverage_band : (float, float), default (0.10, 0.05)
        Coverage must lie in ``[level - band[0], min(1, level + band[1])]``. At the 95%
        level the upper limit is 100%: 12 origins with horizons 1-6 forecast only about 17
        distinct months, and a calibrated model covers all of them with probability
        ``0.95 ** 17``, about 0.42, so a tighter limit would reject good models by chance.
        Over-wide intervals show in ``interval_width`` and ``cumulative_coverage``.
    tie_tolerance : float, default 0.02
        MASE differences up to this count as ties (won by the simpler model).

    Other parameters are as for :func:`backtest_baseline`.

    Returns
    -------
    ModelComparison
        ``table`` (one row per spec), ``ranking``, ``chosen`` and ``reason``.
    """
    specs = list(specs)
    if not specs:
        raise DataValidationError("compare_baselines needs at least one BaselineSpec.")
    labels: list[str] = []
    for s in specs:
        lab = s.label
        k = 2
        while lab in labels:
            lab, k = f"{s.label} #{k}", k + 1
        labels.append(lab)
    results = []
    for s, lab in zip(specs, labels, strict=True):
        _say(progress, f"backtest {lab}")
        results.append(backtest_baseline(
            series, s, origins=origins, horizons=horizons, level=level, seed=seed,
            breaks=breaks, context=context, exclude=exclude, exposure=exposure,
            n_paths=n_paths, min_train=min_train, shape_overrides=shape_overrides, label=lab,
            team=team, data_kind=data_kind,
        ))
    lo_ok, hi_ok = level - coverage_band[0], min(1.0, level + coverage_band[1])
    rows = []
    for r in results:
        m = r.metrics().loc["all"]
        n_failed = len({w.split(":")[0] for w in r.warnings})
        rows.append({
            "spec": r.label, "family": r.spec.family, "mae": m["mae"], "mase": m["mase"],
            "bias": m["bias"], "rmse": m["rmse"], "coverage": m["coverage"],
            "cumulative_coverage": r.cumulative_coverage,
            "interval_width": m["interval_width"], "n_forecasts": int(m["n"]),
            "n_failed_origins": n_failed, "complexity": _complexity(r.spec),
        })
    t = pd.DataFrame(rows).set_index("spec")
    valid = t["mase"].notna() & t["coverage"].notna()
    t["is_eligible"] = valid & (t["coverage"] >= lo_ok - 1e-9) & (t["coverage"] <= hi_ok + 1e-9)
    dist = np.maximum(lo_ok - t["coverage"], t["coverage"] - hi_ok).clip(lower=0)
    eligible = t[t["is_eligible"]]
    if len(eligible):
        best = eligible["mase"].min()
        tied = eligible[eligible["mase"] <= best + tie_tolerance]
        chosen = tied.sort_values(["complexity", "mase"]).index[0]
        reason = (
            f"its coverage {t.loc[chosen, 'coverage']:.1%} is within [{lo_ok:.0%}, "
            f"{hi_ok:.0%}] and its MASE {t.loc[chosen, 'mase']:.3f} is the lowest of the "
            f"{len(eligible)} eligible specifications"
        )
        if len(tied) > 1:
            reason += (
                f" up to the tie tolerance {tie_tolerance} (tied: {', '.join(tied.index)}; "
                "the simplest wins)"
            )
        reason += "."
    elif valid.any():
        cand = t[valid].assign(dist=dist[valid]).sort_values(["dist", "mase", "complexity"])
        chosen = cand.index[0]
        reason = (
            f"no specification met the coverage criterion [{lo_ok:.0%}, {hi_ok:.0%}]; "
            f"{chosen} has the closest coverage ({t.loc[chosen, 'coverage']:.1%}, MASE "
            f"{t.loc[chosen, 'mase']:.3f}). Its intervals are miscalibrated on this series."
        )
    else:
        chosen = t.index[0]
        reason = "every backtest failed; the first specification is kept by default."
    order = t.assign(dist=dist, bad=~t["is_eligible"]).sort_values(
        ["bad", "dist", "mase", "complexity"], na_position="last"
    )
    t["rank"] = pd.Series(np.arange(1, len(t) + 1), index=order.index).reindex(t.index)
    if chosen != order.index[0]:  # a simpler tie winner goes first
        ranks = [chosen] + [s for s in order.index if s != chosen]
        t["rank"] = pd.Series(np.arange(1, len(t) + 1), index=ranks).reindex(t.index)
    t["is_chosen"] = t.index == chosen
    kind = results[0].data_kind
    return ModelComparison(
        team=results[0].team, level=results[0].level, results=tuple(results), table=t,
        chosen=specs[labels.index(chosen)], chosen_label=str(chosen), reason=reason,
        rule=CHOICE_RULE, data_kind=kind,
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

    def summary(self) -> EffectSummary:
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
        return EffectSummary(table=t, text=_synthetic(text, self.data_kind))

    def plot(self, *, ax: Any = None) -> Any:
        """Autocorrelation of the Pearson residuals with the no-autocorrelation band."""
        from impact.plots import _axes

        f = self.frame[self.frame["check"] == "acf"]
        ax = _axes(ax)
        ax.bar(f["lag"].astype(int), f["estimate"], color="0.4", width=0.6)
        ax.fill_between(f["lag"].astype(int), f["null_lower"], f["null_upper"],
                        color="tab:blue", alpha=0.15, label="approx. 95% band, no autocorr.")
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set_xlabel("lag")
        ax.set_ylabel("ACF of Pearson residuals")
        ax.set_title(f"{self.team}: residuals of {self.spec_label}"
                     + (" (checks flagged)" if self.warnings else ""), fontsize=9)
        ax.legend(loc="upper right")
        return ax


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
    >>> from impact.simulate import simulate_counts
    >>> sim = simulate_counts(n_pre=96, n_post=1, seasonal_amplitude=0.5, seed=3)
    >>> fit = fit_baseline(sim.series.iloc[:-1], BaselineSpec(seasonality="none"))
    >>> chk = check_residuals(fit)
    >>> "seasonality" in [w.split(":")[0] for w in chk.warnings]
    True
    """
    import statsmodels.api as sm
    from statsmodels.stats.diagnostic import acorr_ljungbox

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
        ols = sm.OLS(f.loc[used, "pearson_residual"].to_numpy(float),
                     sm.add_constant(X, has_constant="add")).fit()
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

    def summary(self) -> EffectSummary:
        """Flagged months (table) and the caveat (text)."""
        t = self.frame[self.frame["is_flagged"]].set_index("month")
        return EffectSummary(table=t, text=_synthetic(f"{self.team}: " + self.text(),
                                                      self.data_kind))

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
        from impact.plots import _axes

        f = self.frame
        ax = _axes(ax)
        x = pd.PeriodIndex(f["month"]).to_timestamp()  # month holds Periods
        ax.plot(x, f["calls"], color="black", lw=1.0, label="calls")
        flagged = f["is_flagged"].to_numpy()
        for i in np.flatnonzero(flagged):
            ax.axvspan(x[i], x[i] + pd.offsets.MonthEnd(0), color="tab:red", alpha=0.15,
                       lw=0, label="capacity-limited" if i == np.flatnonzero(flagged)[0] else None)
        ax.set_ylabel("calls per month")
        ax.set_title(f"{self.team}: capacity check", fontsize=9)
        ax.legend(loc="upper left")
        return ax


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
    from impact.validate import validate_series

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


# --------------------------------------------------------------------------- the bundle


@dataclasses.dataclass(frozen=True)
class EffectCheck:
    """Every check of one team-event effect, with a verdict.

    Attributes
    ----------
    team, event : str
    level : float
    estimate : EffectEstimate
        The headline estimate the checks are about.
    placebo : PlaceboResult
    sensitivity : SensitivityResult
    residuals : ResidualCheck
        Of the headline estimate's baseline.
    capacity : CapacityCheck
    comparison : ModelComparison or None
        Backtests of candidate baselines on the pre-period (``None`` if not run).
    verdict : str
        ``supported``, ``suggestive`` or ``not distinguishable from placebo variation``.
    seconds : float
        Wall time of the bundle.
    data_kind : str
    warnings : tuple of str
    """

    team: str
    event: str
    level: float
    estimate: EffectEstimate = dataclasses.field(repr=False)
    placebo: PlaceboResult = dataclasses.field(repr=False)
    sensitivity: SensitivityResult = dataclasses.field(repr=False)
    residuals: ResidualCheck = dataclasses.field(repr=False)
    capacity: CapacityCheck = dataclasses.field(repr=False)
    comparison: ModelComparison | None = dataclasses.field(repr=False)
    verdict: str
    seconds: float
    data_kind: str
    warnings: tuple[str, ...]

    def summary(self) -> EffectSummary:
        """Key numbers of every check (table) and the verdict with its reasons (text)."""
        e, p, s = self.estimate, self.placebo, self.sensitivity
        nan = np.nan
        rows = [
            ("relative_effect", e.relative_effect, e.relative_effect_lower,
             e.relative_effect_upper, "ratio"),
            ("cumulative_effect", e.cumulative_effect, e.cumulative_effect_lower,
             e.cumulative_effect_upper, "calls"),
            ("placebo_rank", float(p.rank), nan, nan, f"of {p.n_placebos + 1}"),
            ("placebo_p_one_sided", p.p_value_one_sided, nan, nan, "probability"),
            ("placebo_p_two_sided", p.p_value_two_sided, nan, nan, "probability"),
            ("false_positive_rate", p.false_positive_rate, p.false_positive_rate_lower,
             p.false_positive_rate_upper, "share"),
            ("sensitivity_relative_effect", nan, s.relative_effect_min,
             s.relative_effect_max, "ratio (range)"),
            ("residual_warnings", float(len(self.residuals.warnings)), nan, nan, "checks"),
            ("capacity_flagged_post", float(len(self.capacity.post_flagged)), nan, nan,
             "periods"),
        ]
        if self.comparison is not None:
            c = self.comparison.table.loc[self.comparison.chosen_label]
            rows += [("backtest_chosen_mase", c["mase"], nan, nan, self.comparison.chosen_label),
                     ("backtest_chosen_coverage", c["coverage"], nan, nan, "share")]
        table = pd.DataFrame(rows, columns=["quantity", "estimate", "lower", "upper", "unit"])
        return EffectSummary(table=table.set_index("quantity"), text=self._text())

    def _text(self) -> str:
        e, pct = self.estimate, int(round(self.level * 100))
        parts = [
            f"{self.team}, {self.event} ({e.post_start} to {e.post_end}): verdict "
            f"'{self.verdict}'. Estimate {e.relative_effect:+.1%} ({pct}% interval "
            f"{e.relative_effect_lower:+.1%} to {e.relative_effect_upper:+.1%}), "
            f"{e.cumulative_effect:+.0f} calls.",
            "Placebo-in-time: " + self.placebo.verdict_text(),
            "Sensitivity: " + self.sensitivity.range_text(),
        ]
        r = self.residuals
        parts.append(
            "Residuals: " + (" ".join(r.warnings) if r.warnings else
                             f"no check fails at alpha = {r.alpha}.")
        )
        parts.append("Capacity: " + self.capacity.text())
        if self.comparison is not None:
            parts.append(f"Backtests: {self.comparison.chosen_label} is preferred; "
                         f"{self.comparison.reason}")
        parts.append(
            "Verdict rule: 'supported' needs the interval to exclude 0, a one-sided placebo "
            f"p-value <= {1 - self.level:.2f} and every fitted sensitivity estimate of the same "
            "sign; 'suggestive' needs one of the first two; otherwise 'not distinguishable "
            "from placebo variation'."
        )
        parts.append(f"Data kind: {self.data_kind}.")
        return _synthetic(" ".join(parts), self.data_kind)

    def to_frame(self) -> pd.DataFrame:
        """Long table of every check, columns :data:`CHECK_COLUMNS`."""
        rows: list[dict[str, Any]] = []

        def add(check: str, item: str, quantity: str, est: float, lo: float = np.nan,
                hi: float = np.nan, unit: str = "", flag: bool = False, note: str = "") -> None:
            rows.append({"team": self.team, "event": self.event, "check": check, "item": item,
                         "quantity": quantity, "estimate": est, "estimate_lower": lo,
                         "estimate_upper": hi, "unit": unit, "is_flagged": bool(flag),
                         "note": note, "data_kind": self.data_kind})

        e = self.estimate
        add("estimate", self.event, "relative_effect", e.relative_effect,
            e.relative_effect_lower, e.relative_effect_upper, "ratio")
        add("estimate", self.event, "cumulative_effect", e.cumulative_effect,
            e.cumulative_effect_lower, e.cumulative_effect_upper, "calls")
        add("estimate", self.event, "p_positive", e.p_positive, unit="probability")
        p = self.placebo
        for r in p.frame.itertuples():
            add("placebo", r.post_start, "relative_effect", r.relative_effect,
                r.relative_effect_lower, r.relative_effect_upper, "ratio",
                r.is_excluding_zero, "real effect" if r.is_real else r.note)
        add("placebo", "all", "false_positive_rate", p.false_positive_rate,
            p.false_positive_rate_lower, p.false_positive_rate_upper, "share")
        add("placebo", "all", "p_value_one_sided", p.p_value_one_sided, unit="probability")
        add("placebo", "all", "p_value_two_sided", p.p_value_two_sided, unit="probability")
        add("placebo", "all", "rank", float(p.rank), unit=f"of {p.n_placebos + 1}")
        for r in self.sensitivity.frame.itertuples():
            add("sensitivity", r.spec_label, "relative_effect", r.relative_effect,
                r.relative_effect_lower, r.relative_effect_upper, "ratio", r.is_failed,
                r.error or r.note)
        for r in self.residuals.frame.itertuples():
            item = r.check if r.check != "acf" else f"acf lag {r.lag}"
            add("residuals", item, "p_value" if r.check != "acf" else "acf",
                r.p_value if r.check != "acf" else r.estimate,
                r.null_lower, r.null_upper, "", r.is_flagged, r.message)
        for r in self.capacity.frame[self.capacity.frame["is_flagged"]].itertuples():
            add("capacity", str(r.month), "calls", r.calls, unit="calls", flag=True,
                note=r.reason)
        if self.comparison is not None:
            for name, r in self.comparison.table.iterrows():
                for q in ("mase", "coverage", "bias"):
                    add("backtest", str(name), q, r[q], unit="calls" if q == "bias" else "",
                        flag=bool(r["is_chosen"]),
                        note="chosen" if r["is_chosen"] else "")
        f = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
        for c in ("estimate", "estimate_lower", "estimate_upper"):
            f[c] = f[c].astype(float)
        return f

    def plot(self, *, ax: Any = None, figure_id: str | None = None) -> Any:
        """Figure: placebo distribution and specification curve side by side.

        ``ax`` may be a pair of Axes to draw into (then nothing is stamped); otherwise the
        new figure is stamped with the data kind and ``figure_id``. Returns the Figure.
        """
        from impact.plots import _mpl, stamp_figure

        if ax is None:
            fig, axes = _mpl().subplots(1, 2, figsize=(11, 3.8))
        else:
            axes = list(ax)
            fig = axes[0].figure
        plot_placebo_distribution(self.placebo, ax=axes[0])
        plot_specification_curve(self.sensitivity, ax=axes[1])
        if ax is None:
            fig.tight_layout(rect=(0, 0.04, 1, 1))
            stamp_figure(fig, data_kind=self.data_kind, figure_id=figure_id)
        return fig


def _verdict(est: EffectEstimate, plc: PlaceboResult, sens: SensitivityResult,
             level: float) -> str:
    excludes = est.cumulative_effect_lower > 0 or est.cumulative_effect_upper < 0
    p_ok = bool(np.isfinite(plc.p_value_one_sided) and plc.p_value_one_sided <= 1 - level)
    ok = sens.frame[~sens.frame["is_failed"]]["relative_effect"]
    same_sign = bool(len(ok) and (np.sign(ok) == np.sign(est.relative_effect)).all())
    if excludes and p_ok and same_sign:
        return "supported"
    if excludes or p_ok:
        return "suggestive"
    return "not distinguishable from placebo variation"


def _default_compare_specs(spec: BaselineSpec) -> list[BaselineSpec]:
    out = [spec]
    for fam in ("negbin", "quasipoisson", "poisson", "seasonal_naive"):
        s = dataclasses.replace(spec, family=fam)
        if s not in out:
            out.append(s)
    return out


def check_effect(
    series: pd.Series,
    events: Event | EventRegistry | Iterable[Event],
    *,
    spec: BaselineSpec | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    level: float = DEFAULT_LEVEL,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    n_paths: int = DEFAULT_N_PATHS,
    placebo_n_paths: int = 500,
    post_end: Any = None,
    pre_start: Any = None,
    pre_events: str = "exclude",
    exposure: pd.Series | None = None,
    capacity: pd.Series | None = None,
    shape_overrides: dict[str, str] | None = None,
    min_history: int = 36,
    placebo_history: str = "same_length",
    sensitivity_families: Sequence[str] = BASELINE_FAMILIES,
    buffers: Sequence[int] = (0, 1, 2),
    pre_starts: Sequence[Any] | None = None,
    compare_specs: Sequence[BaselineSpec] | None = None,
    backtest: bool = True,
    origins: int = 12,
    horizons: int = 6,
    team: str | None = None,
    data_kind: str | None = None,
) -> EffectCheck:
    """Run every check on one team-event effect: the one-call entry point.

    Estimates the effect (as :func:`impact.effects.estimate_effect`, with the stream
    ``seed_for(seed, team, event)`` that :func:`impact.effects.estimate_effects` uses),
    then runs :func:`placebo_in_time`, :func:`sensitivity`, :func:`check_residuals` on its
    baseline, :func:`check_capacity` and, with ``backtest=True``,
    :func:`compare_baselines` on the pre-period.

    Parameters
    ----------
    series, events, spec, context, level, post_end, pre_start, pre_events, exposure,
    shape_overrides
        As for :func:`impact.effects.estimate_effect`.
    seed : int
        Study seed; every check derives its streams from it and names, not order.
    progress : callable, optional
        Called with a short message per stage (the CLI passes a printer).
    n_paths : int, default 2000
        Paths of the headline estimate.
    placebo_n_paths : int, default 500
        Paths of each placebo, sensitivity and backtest run.
    capacity : Series, optional
        Capacity per period for :func:`check_capacity`.
    min_history, placebo_history
        :func:`placebo_in_time` ``min_history`` and ``history``.
    sensitivity_families, buffers, pre_starts
        :func:`sensitivity` grid.
    compare_specs : sequence of BaselineSpec, optional
        Backtest candidates; default ``spec`` and its negbin, quasipoisson, poisson and
        seasonal-naive variants.
    backtest : bool, default True
    origins, horizons : int
        Backtest origins and horizons (:func:`backtest_baseline`).
    team, data_kind : str, optional

    Returns
    -------
    EffectCheck
        ``summary()`` (table + verdict text), ``to_frame()`` (long table), ``plot()``.
    """
    from impact.validate import validate_level, validate_series

    t0 = time.perf_counter()
    level = validate_level(level)
    series = validate_series(series, name="series")
    spec = spec or BaselineSpec()
    team = _team_of(series, team)
    kind = _kind_of(series, data_kind)
    reg, ctx = as_registry(events), as_registry(context)
    _say(progress, f"{team}: headline estimate")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        est = estimate_effect(
            series, reg, spec=spec, context=ctx, level=level,
            seed=seed_for(seed, team, "+".join(reg.ids)), n_paths=n_paths, post_end=post_end,
            pre_start=pre_start, pre_events=pre_events, exposure=exposure,
            shape_overrides=shape_overrides, team=team, data_kind=kind,
        )
    pre0 = est.frame.index[0]
    common = {"spec": spec, "context": ctx, "level": level, "seed": seed,
              "n_paths": placebo_n_paths, "post_end": est.post_end, "pre_start": pre0,
              "pre_events": pre_events, "exposure": exposure,
              "shape_overrides": shape_overrides, "estimate": est, "team": team,
              "data_kind": kind, "progress": progress}
    plc = placebo_in_time(series, reg, min_history=min_history, history=placebo_history,
                          **common)
    sens = sensitivity(series, reg, families=sensitivity_families, buffers=buffers,
                       pre_starts=pre_starts, **common)
    _say(progress, f"{team}: residual and capacity checks")
    res = check_residuals(est.baseline, team=team, data_kind=kind)
    cap = check_capacity(series, EventRegistry([*ctx, *[e for e in reg if e.id not in ctx]]),
                         capacity=capacity, pre_start=pre0, post_start=est.post_start,
                         post_end=est.post_end, fit=est.baseline, team=team, data_kind=kind)
    comp = None
    notes: list[str] = []
    if backtest:
        _say(progress, f"{team}: backtests")
        history = series.loc[pre0 : est.post_start - 1]
        history.attrs.update(series.attrs)
        brk = EventRegistry([e for e in reg if e.kind in BASELINE_KINDS])
        try:
            comp = compare_baselines(
                history, list(compare_specs or _default_compare_specs(spec)),
                origins=origins, horizons=horizons, level=level, seed=seed, breaks=brk,
                context=ctx, exposure=exposure, n_paths=placebo_n_paths,
                shape_overrides=shape_overrides, team=team, data_kind=kind,
            )
        except DataValidationError as exc:
            notes.append(f"backtests not run: {exc}")
            _say(progress, f"{team}: backtests not run")
    notes = [*est.warnings, *plc.warnings, *sens.warnings, *res.warnings, *cap.warnings,
             *notes]
    verdict = _verdict(est, plc, sens, level)
    seconds = time.perf_counter() - t0
    _say(progress, f"{team}: checks done in {seconds:.1f} s, verdict '{verdict}'")
    return EffectCheck(
        team=team, event=est.event, level=level, estimate=est, placebo=plc,
        sensitivity=sens, residuals=res, capacity=cap, comparison=comp, verdict=verdict,
        seconds=seconds, data_kind=kind, warnings=tuple(dict.fromkeys(notes)),
    )


@dataclasses.dataclass(frozen=True)
class EffectCheckTable:
    """:class:`EffectCheck` for every team and the Flanders total.

    Attributes
    ----------
    checks : tuple of EffectCheck
        Teams in panel order, then ``Flanders`` (fitted on the summed series).
    seconds : float
        Wall time of :func:`check_effects`.
    n_jobs : int
        Worker processes used.
    data_kind : str
    """

    checks: tuple[EffectCheck, ...]
    seconds: float
    n_jobs: int
    data_kind: str

    def __getitem__(self, team: str) -> EffectCheck:
        for c in self.checks:
            if c.team == team:
                return c
        raise KeyError(f"no check for team {team!r}; have {[c.team for c in self.checks]}")

    @property
    def teams(self) -> tuple[str, ...]:
        """Series labels in order (teams, then Flanders)."""
        return tuple(c.team for c in self.checks)

    def to_frame(self) -> pd.DataFrame:
        """Long table of every check of every team, columns :data:`CHECK_COLUMNS`."""
        return pd.concat([c.to_frame() for c in self.checks], ignore_index=True)

    def summary(self) -> EffectSummary:
        """One row per team with the key numbers, and a text per team with its verdict."""
        rows = []
        for c in self.checks:
            e, p, s = c.estimate, c.placebo, c.sensitivity
            rows.append({
                "team": c.team, "event": c.event, "relative_effect": e.relative_effect,
                "relative_effect_lower": e.relative_effect_lower,
                "relative_effect_upper": e.relative_effect_upper,
                "placebo_rank": p.rank, "n_placebos": p.n_placebos,
                "placebo_p_one_sided": p.p_value_one_sided,
                "placebo_p_two_sided": p.p_value_two_sided,
                "false_positive_rate": p.false_positive_rate,
                "sensitivity_relative_min": s.relative_effect_min,
                "sensitivity_relative_max": s.relative_effect_max,
                "n_specs_failed": s.n_failed,
                "residual_warnings": len(c.residuals.warnings),
                "capacity_flagged_post": len(c.capacity.post_flagged),
                "verdict": c.verdict, "data_kind": c.data_kind,
            })
        table = pd.DataFrame(rows).set_index("team")
        pooled = pd.concat([c.placebo.frame for c in self.checks])
        pooled = pooled[~pooled["is_real"] & ~pooled["is_failed"]]
        fpr = pooled["is_excluding_zero"].mean() if len(pooled) else np.nan
        head = (
            f"Diagnostics of {self.checks[0].event} for {len(self.checks)} series "
            f"({self.seconds:.0f} s on {self.n_jobs} process(es)); pooled placebo "
            f"false-positive rate {fpr:.1%} over {len(pooled)} placebo windows (nominal "
            f"{1 - self.checks[0].level:.0%}). The Flanders checks fit a baseline to the "
            "summed series; the study's Flanders estimate sums the team counterfactuals, so "
            "its numbers can differ slightly."
        )
        texts = [c.summary().text.replace(f"{SYNTHETIC_LABEL}. ", "") for c in self.checks]
        text = _synthetic(head + "\n\n" + "\n\n".join(texts), self.checks[0].data_kind)
        return EffectSummary(table=table, text=text)

    def plot(self, *, ax: Any = None, figure_id: str | None = None) -> Any:
        """Figure: one row per series, placebo distribution and specification curve.

        A grid always makes its own figure (``ax`` must be None); it is stamped with the
        data kind and ``figure_id``.
        """
        from impact.plots import _mpl, stamp_figure

        if ax is not None:
            raise DataValidationError(
                "EffectCheckTable.plot draws a grid of its own; call it without ax, or plot "
                "one series with table[team].plot(ax=(ax1, ax2))."
            )
        n = len(self.checks)
        fig, axes = _mpl().subplots(n, 2, figsize=(11, 3.0 * n), squeeze=False)
        for row, c in zip(axes, self.checks, strict=True):
            c.plot(ax=row)
        fig.tight_layout(rect=(0, 0.02, 1, 1))
        stamp_figure(fig, data_kind=self.data_kind, figure_id=figure_id)
        return fig


_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _check_job(job: dict[str, Any], queue: Any = None) -> EffectCheck:
    """Worker: one series' bundle (module level so process pools can pickle it)."""
    progress = queue.put if queue is not None else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return check_effect(job.pop("series"), job.pop("events"), progress=progress, **job)


def check_effects(
    panel: pd.DataFrame,
    registry: EventRegistry | Iterable[Event],
    *,
    spec: BaselineSpec | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    teams: Iterable[str] | None = None,
    level: float = DEFAULT_LEVEL,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    n_jobs: int | None = None,
    n_paths: int = DEFAULT_N_PATHS,
    placebo_n_paths: int = 500,
    post_end: Any = None,
    pre_start: Any = None,
    pre_events: str = "exclude",
    shape_overrides: dict[str, str] | None = None,
    sensitivity_families: Sequence[str] = BASELINE_FAMILIES,
    backtest: bool = True,
    include_total: bool = True,
) -> EffectCheckTable:
    """Run :func:`check_effect` for every team of a panel and for the Flanders total.

    Parameters
    ----------
    panel : DataFrame
        Canonical long frame (``team``, ``month``, ``calls``).
    registry : EventRegistry
        Events under study; team-scoped events apply to their team only.
    context : EventRegistry, optional
        Other registered events (filtered by scope per team; Flanders gets the
        Flanders-wide ones).
    teams : iterable of str, optional
        Default every team of the panel.
    include_total : bool, default True
        Add ``Flanders``, the sum of the five teams (the panel must hold all five).
    n_jobs : int, optional
        Worker processes (default: the CPU count, at most one per series). Results do not
        depend on it: every stream is seeded by names.
    progress : callable, optional
        Receives the workers' stage messages as they arrive.

    Other parameters are as for :func:`check_effect`.

    Returns
    -------
    EffectCheckTable
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from multiprocessing import get_context

    from impact.data import to_series

    t0 = time.perf_counter()
    reg, ctx = as_registry(registry), as_registry(context)
    team_list = list(teams) if teams is not None else list(dict.fromkeys(panel["team"]))
    team_list = [t for t in team_list if t != FLANDERS] + ([FLANDERS] if include_total else [])
    kind = panel.attrs.get("kind", "unspecified")
    jobs = []
    for t in team_list:
        s = to_series(panel, t)
        s.attrs["kind"] = kind
        jobs.append({
            "series": s, "events": reg.filter(scope=t), "context": ctx.filter(scope=t),
            "spec": spec, "level": level, "seed": seed, "n_paths": n_paths,
            "placebo_n_paths": placebo_n_paths, "post_end": post_end,
            "pre_start": pre_start, "pre_events": pre_events,
            "shape_overrides": shape_overrides, "sensitivity_families": sensitivity_families,
            "backtest": backtest, "team": t, "data_kind": kind,
        })
    n_jobs = max(1, min(n_jobs or os.cpu_count() or 1, len(jobs)))
    _say(progress, f"diagnostics: {len(jobs)} series on {n_jobs} process(es)")
    if n_jobs == 1:
        out = [check_effect(j.pop("series"), j.pop("events"), progress=progress, **j)
               for j in jobs]
    else:
        mp = get_context("spawn")
        manager = mp.Manager() if progress is not None else None
        queue = manager.Queue() if manager is not None else None
        # one BLAS thread per worker: the workers already use the cores
        saved = {k: os.environ.get(k) for k in _THREAD_VARS}
        try:
            with ProcessPoolExecutor(max_workers=n_jobs, mp_context=mp) as pool:
                os.environ.update(dict.fromkeys(_THREAD_VARS, "1"))
                try:
                    futures = [pool.submit(_check_job, j, queue) for j in jobs]
                finally:
                    for k, v in saved.items():
                        if v is None:
                            os.environ.pop(k, None)
                        else:
                            os.environ[k] = v
                pending = set(futures)
                while pending:
                    _, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                    while queue is not None and not queue.empty():
                        _say(progress, queue.get())
                out = [f.result() for f in futures]
            while queue is not None and not queue.empty():
                _say(progress, queue.get())
        finally:
            if manager is not None:
                manager.shutdown()
    seconds = time.perf_counter() - t0
    _say(progress, f"diagnostics done in {seconds:.1f} s")
    return EffectCheckTable(checks=tuple(out), seconds=seconds, n_jobs=n_jobs, data_kind=kind)


def _time_bundle(n_jobs: int | None = None) -> None:  # pragma: no cover - timing command
    """Time the full bundle for E048+E049 on the synthetic panel (module docstring).

    Prints the progress, the summary table, the wall time and the CPU time of this process
    and its workers (the CPU time tells what the run costs when other jobs share the
    cores).
    """
    import resource

    from impact.events import load_events
    from impact.synthetic import build_synthetic_panel

    t0 = time.perf_counter()
    panel = build_synthetic_panel().calls
    reg = load_events("data/events/events.csv")
    head = reg.filter(ids=["E048", "E049"])
    ctx = EventRegistry([e for e in reg if e.id not in ("E048", "E049")])
    spec = BaselineSpec(family="negbin", trend="linear", seasonality="monthly", exposure="days")
    res = check_effects(panel, head, spec=spec, context=ctx, seed=DEFAULT_SEED,
                        post_end="2023-10", pre_start="2016-01", progress=print,
                        n_jobs=n_jobs)
    print(res.summary().table.to_string())
    cpu = sum(
        r.ru_utime + r.ru_stime
        for r in (resource.getrusage(resource.RUSAGE_SELF),
                  resource.getrusage(resource.RUSAGE_CHILDREN))
    )
    print(f"wall {time.perf_counter() - t0:.1f} s, CPU {cpu:.1f} s on {res.n_jobs} "
          f"process(es), load average {os.getloadavg()[0]:.1f} (panel build included)")
