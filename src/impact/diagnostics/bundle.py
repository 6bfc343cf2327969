"""Checks on an effect estimate: backtests, placebos, sensitivity, residuals, capacity.

Validation is part of every estimate (DESIGN.md section 5):

- :func:`backtest_baseline` / :func:`compare_baselines` (from :mod:`impact.diagnostics.backtest`):
  rolling-origin backtests of baselines on the pre-period (MAE, MASE, bias, interval
  coverage) and a documented rule that picks the baseline (:data:`CHOICE_RULE`);
- :func:`placebo_in_time` (from :mod:`impact.diagnostics.placebo`): empirical false-positive
  rate and calibrated p-value; :func:`sensitivity` (from :mod:`impact.diagnostics.sensitivity`):
  the specification curve;
- :func:`check_residuals` (from :mod:`impact.diagnostics.checks`): overdispersion, autocorrelation
  (Ljung-Box) and remaining seasonality of a fitted baseline, with advice;
- :func:`check_capacity` (from :mod:`impact.diagnostics.checks`): months where answered calls sit at
  a capacity limit, where an effect can be understated;
- :func:`check_effect` bundles them for one team and event, :func:`check_effects` for
  every team and the Flanders total (both defined here), each with a verdict
  (:data:`VERDICTS`). A verdict never overstates: when the backtest coverage of the study
  baseline's intervals is far below nominal (:func:`coverage_floor`), an effect that would
  be ``supported`` or ``suggestive`` is reported as :data:`MISCALIBRATED`, with the reason.

The bundle lives here, the single checks in :mod:`impact.diagnostics.backtest`,
:mod:`impact.diagnostics.checks`, :mod:`impact.diagnostics.placebo` and
:mod:`impact.diagnostics.sensitivity` (all offered by
:mod:`impact.diagnostics`). :func:`check_effects` runs the series in parallel through
joblib (``n_jobs``; any joblib backend, e.g. Dask).

Speed: the full bundle for the E048+E049 headline on the synthetic panel (five teams and
Flanders, 2013-2023: headline estimate, 36 placebos, 13 sensitivity specifications
including the time-series families, residual and capacity checks, 4 x 12 backtest fits
per series) is timed with::

    .venv/bin/python -c "import impact.diagnostics.bundle as d; d._time_bundle()"

which prints the progress, the table, the wall time and the CPU time of the process and
its workers. Measured (2 vCPUs shared with other jobs, load average about 9): CPU 35 s,
wall 65 s; on two otherwise idle cores that is about 20 s (CPU / 2 plus worker start-up).
Per series about 5 s of CPU: placebos 1.2 s, sensitivity 1.2-2.2 s (mostly the SARIMA and
structural fits), backtests 1.5 s.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import time
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import joblib
import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS, DEFAULT_SEED, FLANDERS
from impact._core.exceptions import DataValidationError
from impact._core.provenance import SYNTHETIC_LABEL, label_text
from impact._core.summary import Summary
from impact.baselines import BASELINE_FAMILIES, BaselineSpec
from impact.diagnostics.backtest import (
    ModelComparison,
    compare_baselines,
)
from impact.diagnostics.checks import CapacityCheck, ResidualCheck, check_capacity, check_residuals
from impact.diagnostics.placebo import (
    PlaceboResult,
    Progress,
    _headline_estimate,
    _legacy_estimate,
    _say,
    _setup_of,
    placebo_in_time,
)
from impact.diagnostics.sensitivity import DIFFERENT_ESTIMANDS, SensitivityResult, sensitivity
from impact.estimation.counterfactual import EffectEstimate
from impact.estimation.setup import as_registry
from impact.events.event import BASELINE_KINDS, Event
from impact.events.registry import EventRegistry, load_events
from impact.io.calls import to_series
from impact.plots import diagnostics as _plots_diag
from impact.simulation.synthetic import build_synthetic_panel

__all__ = [
    "CHECK_COLUMNS",
    "MISCALIBRATED",
    "VERDICTS",
    "EffectCheck",
    "EffectCheckTable",
    "check_effect",
    "check_effects",
    "coverage_floor",
]

#: Verdict of an effect whose baseline intervals are too narrow (backtest coverage far
#: below nominal) for "supported" or "suggestive" to mean what they say.
MISCALIBRATED: str = "not assessable: intervals miscalibrated"
#: Every verdict, strongest first.
VERDICTS: tuple[str, ...] = ("supported", "suggestive",
                             "not distinguishable from placebo variation", MISCALIBRATED)

#: Columns of :meth:`EffectCheck.to_frame` (the long table of every check).
CHECK_COLUMNS: tuple[str, ...] = (
    "team", "event", "check", "item", "quantity", "estimate", "estimate_lower",
    "estimate_upper", "unit", "is_flagged", "note", "data_kind",
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
        One of :data:`VERDICTS`.
    seconds : float
        Wall time of the bundle.
    data_kind : str
    warnings : tuple of str
    verdict_reason : str
        Why the verdict is :data:`MISCALIBRATED` (empty otherwise).
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
    verdict_reason: str = ""

    def summary(self) -> Summary:
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
        return Summary(table=table.set_index("quantity"), text=self._text())

    def _text(self) -> str:
        e, pct = self.estimate, int(round(self.level * 100))
        parts = [
            f"{self.team}, {self.event} ({e.post_start} to {e.post_end}): verdict "
            f"'{self.verdict}'. Estimate {e.relative_effect:+.1%} ({pct}% interval "
            f"{e.relative_effect_lower:+.1%} to {e.relative_effect_upper:+.1%}), "
            f"{e.cumulative_effect:+.0f} calls." + (
                f" {self.verdict_reason}" if self.verdict_reason else ""),
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
            f"from placebo variation'; either of the first two becomes '{MISCALIBRATED}' "
            "when the backtest coverage of the baseline's intervals is below the floor "
            "(nominal minus two binomial standard errors over the backtest origins)."
        )
        parts.append(f"Data kind: {self.data_kind}.")
        return label_text(" ".join(parts), data_kind=self.data_kind)

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
        new figure is stamped with the data kind and ``figure_id``. Returns the Figure
        (drawn by :func:`impact.plots.diagnostics.plot_effect_check`).
        """
        return _plots_diag.plot_effect_check(self, ax=ax, figure_id=figure_id)


def coverage_floor(level: float, n_windows: int) -> float:
    """The backtest coverage below which a baseline's intervals count as miscalibrated.

    ``level - 2 * sqrt(level * (1 - level) / n_windows)``: nominal minus two binomial
    standard errors. ``n_windows`` is the number of backtest origins, not of monthly
    forecasts: the forecasts from one origin share its errors, so the origins are the
    (nearly) independent trials, and counting them makes the floor conservative (it
    flags only coverage that is clearly too low). With 12 origins at level 0.95 the
    floor is 82.4%; a coverage of 73.6% is far below it.
    """
    n = max(int(n_windows), 1)
    return float(level - 2 * np.sqrt(level * (1 - level) / n))


def _calibration(est: EffectEstimate, comp: ModelComparison | None,
                 level: float) -> tuple[float, float, str]:
    """Backtest coverage of the study baseline, its floor, and the reason when below."""
    if comp is None:
        return np.nan, np.nan, ""
    label = est.spec.label if est.spec.label in comp.table.index else comp.chosen_label
    result = next((r for r in comp.results if r.label == label), None)
    n = len(result.origins) if result is not None else 0
    coverage = float(comp.table.loc[label, "coverage"])
    if not n or not np.isfinite(coverage):
        return coverage, np.nan, ""
    floor = coverage_floor(level, n)
    if coverage >= floor:
        return coverage, floor, ""
    return coverage, floor, (
        f"The backtest coverage of the {label} intervals is {coverage:.1%} against "
        f"{level:.0%} nominal (floor {floor:.1%} for {n} backtest origins): its intervals "
        "are too narrow on this series, so the interval and placebo checks cannot support "
        "an effect."
    )


def _verdict(est: EffectEstimate, plc: PlaceboResult, sens: SensitivityResult,
             level: float, *, miscalibrated: bool = False) -> str:
    excludes = est.cumulative_effect_lower > 0 or est.cumulative_effect_upper < 0
    p_ok = bool(np.isfinite(plc.p_value_one_sided) and plc.p_value_one_sided <= 1 - level)
    if (excludes or p_ok) and miscalibrated:
        return MISCALIBRATED
    in_range = ~sens.frame["is_failed"] & ~sens.frame["family"].isin(DIFFERENT_ESTIMANDS)
    ok = sens.frame[in_range]["relative_effect"]
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
    fitted: EffectEstimate | pd.Series,
    events: Event | EventRegistry | Iterable[Event] | None = None,
    /,
    *,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    placebo_n_paths: int = 500,
    capacity: pd.Series | None = None,
    min_history: int | None = None,
    placebo_history: str = "same_length",
    sensitivity_families: Sequence[str] = BASELINE_FAMILIES,
    buffers: Sequence[int] = (0, 1, 2),
    pre_starts: Sequence[Any] | None = None,
    compare_specs: Sequence[BaselineSpec] | None = None,
    backtest: bool = True,
    origins: int | None = None,
    horizons: int | None = None,
    spec: BaselineSpec | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    level: float = DEFAULT_LEVEL,
    n_paths: int = DEFAULT_N_PATHS,
    post_end: Any = None,
    pre_start: Any = None,
    pre_events: str = "exclude",
    exposure: pd.Series | None = None,
    shape_overrides: dict[str, str] | None = None,
    team: str | None = None,
    data_kind: str | None = None,
) -> EffectCheck:
    """Run every check on one team-event effect: the one-call entry point.

    Takes the headline estimate and runs :func:`placebo_in_time`, :func:`sensitivity`
    (both re-run ``fitted.setup``), :func:`check_residuals` on its baseline,
    :func:`check_capacity` and, with ``backtest=True``, :func:`compare_baselines` on the
    pre-period.

    Parameters
    ----------
    fitted : EffectEstimate
        The headline estimate (from :func:`impact.estimation.counterfactual.estimate_effect`).
    seed : int
        Study seed; every check derives its streams from it and names, not order.
    progress : callable, optional
        Called with a short message per stage (the CLI passes a printer).
    placebo_n_paths : int, default 500
        Paths of each placebo, sensitivity and backtest run.
    capacity : Series, optional
        Capacity per period for :func:`check_capacity`.
    min_history, placebo_history
        :func:`placebo_in_time` ``min_history`` and ``history``.
    sensitivity_families, buffers, pre_starts
        :func:`sensitivity` grid.
    compare_specs : sequence of BaselineSpec, optional
        Backtest candidates; default the estimate's spec and its negbin, quasipoisson,
        poisson and seasonal-naive variants.
    backtest : bool, default True
    origins, horizons : int, optional
        Backtest origins and horizons (:func:`backtest_baseline`); default 12 origins
        with horizons 1-6 for monthly series, 8 and 1-8 for weekly, 4 and 1-28 for daily
        ones (each origin refits every compared baseline).
    events, spec, context, level, n_paths, post_end, pre_start, pre_events, exposure,
    shape_overrides, team, data_kind
        Deprecated call form ``check_effect(series, events, spec=..., ...)``: the headline
        estimate is made as :func:`impact.estimation.counterfactual.estimate_effects` makes
        a team's (stream ``seed_for(seed, team, event ids)``, ``n_paths`` paths). Warns
        :class:`DeprecationWarning`.

    Returns
    -------
    EffectCheck
        ``summary()`` (table + verdict text), ``to_frame()`` (long table), ``plot()``.
    """
    t0 = time.perf_counter()
    fitted = _legacy_estimate(
        "check_effect", fitted, events, seed=seed, n_paths=n_paths, progress=progress,
        options={"spec": spec, "context": context, "level": level, "post_end": post_end,
                 "pre_start": pre_start, "pre_events": pre_events, "exposure": exposure,
                 "shape_overrides": shape_overrides, "team": team, "data_kind": data_kind},
    )
    return _check_estimate(
        fitted, seed=seed, progress=progress, placebo_n_paths=placebo_n_paths,
        capacity=capacity, min_history=min_history, placebo_history=placebo_history,
        sensitivity_families=sensitivity_families, buffers=buffers, pre_starts=pre_starts,
        compare_specs=compare_specs, backtest=backtest, origins=origins, horizons=horizons,
        t0=t0,
    )


def _check_estimate(
    est: EffectEstimate,
    *,
    seed: int,
    progress: Progress | None,
    placebo_n_paths: int,
    capacity: pd.Series | None,
    min_history: int | None,
    placebo_history: str,
    sensitivity_families: Sequence[str],
    buffers: Sequence[int],
    pre_starts: Sequence[Any] | None,
    compare_specs: Sequence[BaselineSpec] | None,
    backtest: bool,
    origins: int | None,
    horizons: int | None,
    t0: float,
) -> EffectCheck:
    """The checks of :func:`check_effect` on a fitted estimate."""
    setup = _setup_of(est, "check_effect")
    series, reg, ctx = setup.series, setup.events, setup.context
    team, kind, level, pre0 = setup.team, setup.data_kind, setup.level, setup.pre_start
    plc = placebo_in_time(est, seed=seed, n_paths=placebo_n_paths, min_history=min_history,
                          history=placebo_history, progress=progress)
    sens = sensitivity(est, seed=seed, n_paths=placebo_n_paths, families=sensitivity_families,
                       buffers=buffers, pre_starts=pre_starts, progress=progress)
    _say(progress, f"{team}: residual and capacity checks")
    res = check_residuals(est.baseline, team=team, data_kind=kind)
    cap = check_capacity(series, EventRegistry([*ctx, *[e for e in reg if e.id not in ctx]]),
                         capacity=capacity, pre_start=pre0, post_start=est.post_start,
                         post_end=est.post_end, fit=est.baseline, team=team, data_kind=kind)
    comp = None
    notes: list[str] = []
    if backtest:
        _say(progress, f"{team}: backtests")
        code = series.index.freqstr.upper()[0]
        d_origins, d_horizons = {"M": (12, 6), "W": (8, 8)}.get(code, (4, 28))
        origins = d_origins if origins is None else origins
        horizons = d_horizons if horizons is None else horizons
        history = series.loc[pre0 : est.post_start - 1]
        history.attrs.update(series.attrs)
        brk = EventRegistry([e for e in reg if e.kind in BASELINE_KINDS])
        try:
            comp = compare_baselines(
                history, list(compare_specs or _default_compare_specs(setup.spec)),
                origins=origins, horizons=horizons, level=level, seed=seed, breaks=brk,
                context=ctx, exposure=setup.exposure, n_paths=placebo_n_paths,
                shape_overrides=setup.shape_overrides, team=team, data_kind=kind,
            )
        except DataValidationError as exc:
            notes.append(f"backtests not run: {exc}")
            _say(progress, f"{team}: backtests not run")
    notes = [*est.warnings, *plc.warnings, *sens.warnings, *res.warnings, *cap.warnings,
             *notes]
    _, _, reason = _calibration(est, comp, level)
    verdict = _verdict(est, plc, sens, level, miscalibrated=bool(reason))
    seconds = time.perf_counter() - t0
    _say(progress, f"{team}: checks done in {seconds:.1f} s, verdict '{verdict}'")
    return EffectCheck(
        team=team, event=est.event, level=level, estimate=est, placebo=plc,
        sensitivity=sens, residuals=res, capacity=cap, comparison=comp, verdict=verdict,
        seconds=seconds, data_kind=kind, warnings=tuple(dict.fromkeys(notes)),
        verdict_reason=reason if verdict == MISCALIBRATED else "",
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

    def summary(self) -> Summary:
        """One row per team with the key numbers, and a text per team with its verdict."""
        rows = []
        for c in self.checks:
            e, p, s = c.estimate, c.placebo, c.sensitivity
            coverage, floor, _ = _calibration(e, c.comparison, c.level)
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
                "backtest_chosen_baseline": (
                    c.comparison.chosen_label if c.comparison is not None else ""),
                "backtest_reason": c.comparison.reason if c.comparison is not None else "",
                "study_baseline": e.spec.label,
                # unregistered level shifts the baseline found in the history (issue 11)
                "level_shifts": "; ".join(
                    f"{sh.size_pct:+.0f}% from {sh.period} (p={sh.probability:.2f})"
                    for sh in getattr(e, "level_shifts", ())),
                "backtest_coverage": coverage, "coverage_floor": floor,
                "verdict": c.verdict, "verdict_reason": c.verdict_reason,
                "data_kind": c.data_kind,
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
        text = label_text(head + "\n\n" + "\n\n".join(texts), data_kind=self.checks[0].data_kind)
        return Summary(table=table, text=text)

    def plot(self, *, ax: Any = None, figure_id: str | None = None) -> Any:
        """Figure: one row per series, placebo distribution and specification curve.

        A grid always makes its own figure (``ax`` must be None); it is stamped with the
        data kind and ``figure_id``.
        """
        return _plots_diag.plot_effect_check_table(self, ax=ax, figure_id=figure_id)


def _check_job(series: pd.Series, options: dict[str, Any], check_options: dict[str, Any],
               seed: int) -> EffectCheck:
    """One series' bundle (module level so that joblib's process backends can pickle it)."""
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = _headline_estimate(series, options.pop("events"), seed=seed,
                                 n_paths=options.pop("n_paths"), options=options)
        return _check_estimate(est, seed=seed, progress=None, t0=t0, **check_options)


def _panel_exposure(panel: pd.DataFrame, team: str) -> pd.Series | None:
    """The panel's ``exposure`` column for one team (summed over teams for Flanders)."""
    if "exposure" not in panel.columns:
        return None
    total = str(panel.attrs.get("total", FLANDERS))
    rows = panel if team == total else panel[panel["team"] == team]
    return rows.groupby("month", sort=True)["exposure"].sum().rename("exposure")


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
    n_jobs: int = 1,
    n_paths: int = DEFAULT_N_PATHS,
    placebo_n_paths: int = 500,
    post_end: Any = None,
    pre_start: Any = None,
    pre_events: str = "exclude",
    shape_overrides: dict[str, str] | None = None,
    sensitivity_families: Sequence[str] = BASELINE_FAMILIES,
    min_history: int | None = None,
    buffers: Sequence[int] = (0, 1, 2),
    backtest: bool = True,
    include_total: bool = True,
) -> EffectCheckTable:
    """Run :func:`check_effect` for every team of a panel and for the Flanders total.

    Parameters
    ----------
    panel : DataFrame
        Canonical long frame (``team``, ``month``, ``calls``, optional ``exposure``, passed
        to each team's estimate; summed for Flanders).
    registry : EventRegistry
        Events under study; team-scoped events apply to their team only.
    context : EventRegistry, optional
        Other registered events (filtered by scope per team; Flanders gets the
        Flanders-wide ones).
    teams : iterable of str, optional
        Default every team of the panel.
    include_total : bool, default True
        Add ``Flanders``, the sum of the five teams (the panel must hold all five).
    n_jobs : int, default 1
        Parallel jobs through :class:`joblib.Parallel` (loky processes by default; a
        ``joblib.parallel_config`` block chooses another backend, e.g. ``"dask"`` for a
        Dask cluster). Results do not depend on it: every stream is seeded from ``seed``
        and names (``SeedSequence``), never from the order of the work.
    progress : callable, optional
        Receives a message per series as its checks finish (and every stage with
        ``n_jobs=1``).

    Other parameters are as for :func:`estimate_effect` (the headline estimate of each
    series) and :func:`check_effect` (the checks).

    Returns
    -------
    EffectCheckTable
    """
    t0 = time.perf_counter()
    reg, ctx = as_registry(registry), as_registry(context)
    team_list = list(teams) if teams is not None else list(dict.fromkeys(panel["team"]))
    total = str(panel.attrs.get("total", FLANDERS))
    team_list = [t for t in team_list if t != total] + ([total] if include_total else [])
    kind = panel.attrs.get("kind", "unspecified")
    check_options = {
        "placebo_n_paths": placebo_n_paths, "capacity": None, "min_history": min_history,
        "placebo_history": "same_length", "sensitivity_families": sensitivity_families,
        "buffers": buffers, "pre_starts": None, "compare_specs": None, "backtest": backtest,
        "origins": None, "horizons": None,
    }
    jobs = []
    for t in team_list:
        s = to_series(panel, t)
        s.attrs["kind"] = kind
        jobs.append((s, {
            "events": reg.filter(scope=t), "context": ctx.filter(scope=t), "spec": spec,
            "level": level, "n_paths": n_paths, "post_end": post_end, "pre_start": pre_start,
            "pre_events": pre_events, "exposure": _panel_exposure(panel, t),
            "shape_overrides": shape_overrides, "team": t, "data_kind": kind,
        }))
    n_jobs = max(1, min(int(n_jobs), len(jobs)))
    _say(progress, f"diagnostics: {len(jobs)} series, n_jobs={n_jobs}")
    if n_jobs == 1:
        out = []
        for s, options in jobs:
            t1 = time.perf_counter()
            _say(progress, f"{options['team']}: headline estimate")
            est = _headline_estimate(s, options.pop("events"), seed=seed,
                                     n_paths=options.pop("n_paths"), options=options)
            out.append(_check_estimate(est, seed=seed, progress=progress, t0=t1,
                                       **check_options))
    else:
        parallel = joblib.Parallel(n_jobs=n_jobs, return_as="generator")
        out = []
        for c in parallel(joblib.delayed(_check_job)(s, o, check_options, seed)
                          for s, o in jobs):
            _say(progress, f"{c.team}: checks done in {c.seconds:.1f} s, verdict "
                           f"'{c.verdict}'")
            out.append(c)
    seconds = time.perf_counter() - t0
    _say(progress, f"diagnostics done in {seconds:.1f} s")
    return EffectCheckTable(checks=tuple(out), seconds=seconds, n_jobs=n_jobs, data_kind=kind)


def _time_bundle(n_jobs: int = 2) -> None:  # pragma: no cover - timing command
    """Time the full bundle for E048+E049 on the synthetic panel (module docstring).

    Prints the progress, the summary table, the wall time and the CPU time of this process
    and its workers (the CPU time tells what the run costs when other jobs share the
    cores).
    """
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
