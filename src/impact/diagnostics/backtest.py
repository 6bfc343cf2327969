"""Rolling-origin backtests of baselines and the documented rule that picks one.

Part of the checks on an effect estimate (DESIGN.md section 5; the bundle is
:func:`impact.diagnostics.bundle.check_effect`):

- :func:`backtest_baseline`: a rolling-origin backtest of one baseline on the pre-period
  (MAE, MASE, bias, coverage of the monthly and cumulative prediction intervals), as a
  :class:`BacktestResult`;
- :func:`compare_baselines`: backtests of several baselines, a ranking and the chosen
  baseline by :data:`CHOICE_RULE`, as a :class:`ModelComparison`.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_SEED
from impact._core.exceptions import DataValidationError
from impact._core.provenance import label_text
from impact._core.summary import Summary
from impact._core.validation import validate_level, validate_series
from impact.baselines import BaselineSpec, fit_baseline
from impact.diagnostics.placebo import (
    _FIT_ERRORS,
    Progress,
    _kind_of,
    _say,
    _team_of,
)
from impact.estimation.counterfactual import seed_for
from impact.estimation.setup import as_registry
from impact.events.event import Event
from impact.events.registry import EventRegistry
from impact.events.roles import assign_roles, default_shapes
from impact.plots import diagnostics as _plots_diag

__all__ = [
    "BACKTEST_COLUMNS",
    "CHOICE_RULE",
    "BacktestResult",
    "ModelComparison",
    "backtest_baseline",
    "compare_baselines",
]

#: Columns of :meth:`BacktestResult.to_frame` (one row per origin and horizon).
BACKTEST_COLUMNS: tuple[str, ...] = (
    "team", "spec", "origin", "month", "horizon", "observed", "expected", "expected_lower",
    "expected_upper", "error", "abs_error", "scaled_error", "is_inside", "is_scored", "note",
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


def _seasonal_lag(index: pd.PeriodIndex) -> int:
    code = index.freqstr.upper()
    return 12 if code.startswith("M") else (52 if code.startswith("W") else 7)


def _complexity(spec: BaselineSpec) -> int:
    return (100 * _COMPLEXITY_FAMILY.index(spec.family)
            + 10 * _COMPLEXITY_SEASON.index(spec.seasonality)
            + _COMPLEXITY_TREND.index(spec.trend))



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

    def summary(self) -> Summary:
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
        return Summary(table=self.metrics(), text=label_text(text, data_kind=self.data_kind))

    def plot(self, *, ax: Any = None) -> Any:
        """Coverage and MASE by horizon, the acceptable coverage band shaded."""
        return _plots_diag.plot_backtest(self, ax=ax)


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
    overrides = default_shapes(brk, shape_overrides)
    if len(ctx):
        # the context's roles as a fit on history only sees them (assign_roles)
        roles = assign_roles(context=ctx, shape_overrides=shape_overrides)
        terms, mask = roles.terms_registry, roles.exclusion_mask(index)
        ids = {e.id for e in brk}
        brk += [e for e in roles.breaks if e.id not in ids]
        overrides.update(roles.shapes)
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
        are nuisance terms (as :func:`impact.estimation.counterfactual.estimate_effect` does).
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

    def summary(self) -> Summary:
        """The comparison table and the choice with its reason."""
        text = f"{self.team}: chosen baseline {self.chosen_label}: {self.reason} Rule: {self.rule}."
        return Summary(table=self.table.copy(), text=label_text(text, data_kind=self.data_kind))

    def plot(self, *, ax: Any = None) -> Any:
        """MASE against coverage per specification; the acceptable band shaded."""
        return _plots_diag.plot_model_comparison(self, ax=ax)


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
