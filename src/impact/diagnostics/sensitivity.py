"""Sensitivity of an effect estimate to its specification (part of the diagnostics).

:func:`sensitivity` takes the fitted estimate plus only its own options and re-runs its
setup (``estimate.setup``, :func:`impact.estimation.counterfactual.fit_effect`) with one
setting changed per row: the pre-period start, an exclusion buffer before the post start,
the baseline family, and with or without the known capacity breaks (a specification
curve, :class:`SensitivityResult`). Bundled with the other checks by
:func:`impact.diagnostics.bundle.check_effect`. The range covers only the specifications
that estimate the same quantity as the headline: a family of
:data:`DIFFERENT_ESTIMANDS` (``seasonal_naive``: the same months a year earlier, not a
modelled counterfactual) is fitted and shown apart, outside the range.
"""

from __future__ import annotations

import dataclasses
import itertools
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS, DEFAULT_SEED
from impact._core.exceptions import DataValidationError
from impact._core.provenance import label_text
from impact._core.summary import Summary
from impact.baselines import BASELINE_FAMILIES, BaselineSpec
from impact.diagnostics.placebo import (
    _FIT_ERRORS,
    _NAN_EFFECT,
    Progress,
    _effect_row,
    _frame,
    _legacy_estimate,
    _say,
    _setup_of,
)
from impact.estimation.counterfactual import EffectEstimate, fit_effect, seed_for
from impact.estimation.setup import EffectSetup
from impact.events.event import Event
from impact.events.registry import EventRegistry
from impact.plots import diagnostics as _plots_diag

__all__ = ["DIFFERENT_ESTIMANDS", "SENSITIVITY_COLUMNS", "SensitivityResult", "sensitivity"]

#: Baseline families whose "effect" is a different estimand (``seasonal_naive``: observed
#: against the same months a year earlier): fitted and shown, but not in the range.
DIFFERENT_ESTIMANDS: tuple[str, ...] = ("seasonal_naive",)

#: Columns of :meth:`SensitivityResult.to_frame` (one row per specification).
SENSITIVITY_COLUMNS: tuple[str, ...] = (
    "team", "event", "spec_label", "dimension", "pre_start", "buffer", "family",
    "use_breaks", "n_fit",
    "cumulative_effect", "cumulative_effect_lower", "cumulative_effect_upper",
    "relative_effect", "relative_effect_lower", "relative_effect_upper",
    "is_headline", "is_failed", "error", "note",
)
_BUFFER_ID = "SENS-BUFFER"


@dataclasses.dataclass(frozen=True)
class SensitivityResult:
    """The headline effect re-estimated across specifications.

    Attributes
    ----------
    team, event : str
    level : float
    frame : DataFrame
        One row per specification, :data:`SENSITIVITY_COLUMNS`; failed specifications
        are rows with ``is_failed`` and the ``error``.
    relative_effect_min, relative_effect_max : float
        Range of the relative effect over the specifications that could be fitted and
        estimate the headline's quantity (families of :data:`DIFFERENT_ESTIMANDS` are
        left out: :meth:`apart` lists them).
    cumulative_effect_min, cumulative_effect_max : float
    n_specs, n_failed, n_excluding_zero : int
        Specifications, failures, and successful ones in the range whose interval
        excludes 0.
    data_kind : str
    warnings : tuple of str
    """

    team: str
    event: str
    level: float
    design: str
    relative_effect_min: float
    relative_effect_max: float
    cumulative_effect_min: float
    cumulative_effect_max: float
    n_specs: int
    n_failed: int
    n_excluding_zero: int
    data_kind: str
    warnings: tuple[str, ...]
    frame: pd.DataFrame = dataclasses.field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per specification, columns :data:`SENSITIVITY_COLUMNS`."""
        return self.frame.copy()

    def in_range(self) -> pd.Series:
        """Boolean mask of :attr:`frame`: fitted rows of the headline's estimand."""
        return _in_range(self.frame)

    def apart(self) -> pd.DataFrame:
        """Fitted rows of a different estimand (:data:`DIFFERENT_ESTIMANDS`), shown apart."""
        f = self.frame
        return f[~f["is_failed"] & f["family"].isin(DIFFERENT_ESTIMANDS)]

    def range_text(self) -> str:
        """The range of the estimates in one sentence."""
        ok = int(self.in_range().sum())
        if not ok:
            return "no specification of the sensitivity grid could be fitted."
        pct = int(round(self.level * 100))
        text = (
            f"across {ok} fitted specifications the relative effect ranges from "
            f"{self.relative_effect_min:+.1%} to {self.relative_effect_max:+.1%} "
            f"(cumulative {self.cumulative_effect_min:+.0f} to "
            f"{self.cumulative_effect_max:+.0f} calls); {self.n_excluding_zero} of {ok} "
            f"{pct}% intervals exclude 0"
        )
        if self.n_failed:
            failed = self.frame.loc[self.frame["is_failed"], "spec_label"]
            text += f"; {self.n_failed} failed ({', '.join(failed)})"
        apart = self.apart()
        if len(apart):
            text += "; shown apart, as a different estimand (the same months a year " \
                    "earlier, not a modelled counterfactual): " + ", ".join(
                        f"{r.spec_label} {r.relative_effect:+.1%}" for r in apart.itertuples())
        return text + "."

    def summary(self) -> Summary:
        """The specification table (estimates with intervals) and the range as text."""
        cols = ["spec_label", "relative_effect", "relative_effect_lower",
                "relative_effect_upper", "cumulative_effect", "error"]
        table = self.frame[cols].set_index("spec_label")
        text = f"{self.team}, {self.event}: " + self.range_text()
        text += (
            f" Design: {self.design} (each row changes one setting of the headline "
            "specification)" if self.design == "one_at_a_time" else
            f" Design: {self.design} (every combination of the settings)"
        )
        text += f". Data kind: {self.data_kind}."
        text = label_text(text, data_kind=self.data_kind, caveats=self.warnings)
        return Summary(table=table, text=text)

    def plot(self, *, ax: Any = None) -> Any:
        """Specification curve: estimates sorted with their intervals."""
        return _plots_diag.plot_specification_curve(self, ax=ax)


def _pre_start_options(
    index: pd.PeriodIndex, pre0: pd.Period, post0: pd.Period, pre_starts: Sequence[Any] | None
) -> list[tuple[str, pd.Period]]:
    freq = index.freq
    if pre_starts is None:
        per_year = 12 if index.freqstr.startswith("M") else None
        opts = []
        if per_year:
            opts = [("3 years", post0 - 3 * per_year), ("5 years", post0 - 5 * per_year)]
        opts.append(("all data", index[0]))
    else:
        opts = [(str(p), pd.Period(p, freq=freq)) for p in pre_starts]
    out: list[tuple[str, pd.Period]] = []
    for name, p in opts:
        p = max(p, index[0])
        if p != pre0 and p < post0 and p not in [q for _, q in out]:
            out.append((name, p))
    return out


def sensitivity(
    fitted: EffectEstimate | pd.Series,
    events: Event | EventRegistry | Iterable[Event] | None = None,
    /,
    *,
    seed: int = DEFAULT_SEED,
    n_paths: int = 500,
    pre_starts: Sequence[Any] | None = None,
    buffers: Sequence[int] = (0, 1, 2),
    families: Sequence[str] = BASELINE_FAMILIES,
    use_breaks: Sequence[bool] = (True, False),
    design: str = "one_at_a_time",
    progress: Progress | None = None,
    spec: BaselineSpec | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    level: float = DEFAULT_LEVEL,
    post_end: Any = None,
    pre_start: Any = None,
    pre_events: str = "exclude",
    exposure: pd.Series | None = None,
    shape_overrides: dict[str, str] | None = None,
    estimate: EffectEstimate | None = None,
    team: str | None = None,
    data_kind: str | None = None,
) -> SensitivityResult:
    """Re-estimate an effect across pre-periods, buffers, baseline families and breaks.

    Parameters
    ----------
    fitted : EffectEstimate
        The headline estimate; every specification re-runs its setup
        (``fitted.setup``) with one setting changed.
    seed : int, default 20240501
        Specification ``s`` uses ``seed_for(seed, team, "sensitivity", s)``.
    n_paths : int, default 500
    pre_starts : sequence of period-like, optional
        Alternative first periods of the fitted history; default 3 and 5 years before the
        post start and the start of the series.
    buffers : sequence of int, default (0, 1, 2)
        Periods just before the post start left out of the fit (anticipation, leaks).
    families : sequence of str, default every baseline family
        ``poisson``, ``quasipoisson``, ``negbin`` and the time-series families; a family
        that cannot be fitted gives a row with its error.
    use_breaks : sequence of bool, default (True, False)
        With and without the known capacity/registration/pandemic breaks
        (``BaselineSpec.use_breaks``).
    design : {"one_at_a_time", "factorial"}, default "one_at_a_time"
        ``one_at_a_time`` changes one setting of the headline specification per row;
        ``factorial`` runs every combination (slow with the time-series families).
    progress : callable, optional
    events, spec, context, level, post_end, pre_start, pre_events, exposure,
    shape_overrides, estimate, team, data_kind
        Deprecated call form ``sensitivity(series, events, spec=..., ...)``; warns
        :class:`DeprecationWarning`.

    Returns
    -------
    SensitivityResult
        One row per specification (``to_frame()``), the range in ``summary().text``.

    Notes
    -----
    The buffer is implemented as a window event covering the ``buffer`` periods before the
    post start, which the estimator leaves out of the fit like an earlier event window;
    the post-period is unchanged.
    """
    fitted = _legacy_estimate(
        "sensitivity", fitted, events, estimate=estimate, seed=seed, n_paths=DEFAULT_N_PATHS,
        options={"spec": spec, "context": context, "level": level, "post_end": post_end,
                 "pre_start": pre_start, "pre_events": pre_events, "exposure": exposure,
                 "shape_overrides": shape_overrides, "team": team, "data_kind": data_kind},
    )
    setup = _setup_of(fitted, "sensitivity")
    _check_sensitivity_options(design=design, families=families, buffers=buffers)
    base, grid = _spec_grid(
        fitted, setup, design=design, pre_starts=pre_starts, buffers=buffers, families=families,
        use_breaks=use_breaks,
    )
    _say(progress, f"{setup.team}: sensitivity, {len(grid)} specifications")
    rows, notes = _run_grid(fitted, setup, base, grid, seed=seed, n_paths=n_paths)
    frame = _frame(rows, SENSITIVITY_COLUMNS)
    ok = frame[_in_range(frame)]
    excl = (ok["cumulative_effect_lower"] > 0) | (ok["cumulative_effect_upper"] < 0)
    rel, cum = ok["relative_effect"], ok["cumulative_effect"]
    return SensitivityResult(
        team=setup.team, event=fitted.event, level=setup.level, design=design,
        relative_effect_min=float(rel.min()) if len(ok) else np.nan,
        relative_effect_max=float(rel.max()) if len(ok) else np.nan,
        cumulative_effect_min=float(cum.min()) if len(ok) else np.nan,
        cumulative_effect_max=float(cum.max()) if len(ok) else np.nan,
        n_specs=len(frame), n_failed=int(frame["is_failed"].sum()),
        n_excluding_zero=int(excl.sum()), data_kind=setup.data_kind, warnings=tuple(notes),
        frame=frame,
    )


def _in_range(frame: pd.DataFrame) -> pd.Series:
    """Fitted rows that estimate the headline's quantity (not :data:`DIFFERENT_ESTIMANDS`)."""
    return ~frame["is_failed"].astype(bool) & ~frame["family"].isin(DIFFERENT_ESTIMANDS)


def _check_sensitivity_options(
    *, design: str, families: Sequence[str], buffers: Sequence[int]
) -> None:
    """Raise :class:`DataValidationError` on an invalid option of :func:`sensitivity`."""
    if design not in ("one_at_a_time", "factorial"):
        raise DataValidationError(
            f"design={design!r}; expected 'one_at_a_time' or 'factorial'."
        )
    bad = [f for f in families if f not in BASELINE_FAMILIES]
    if bad:
        raise DataValidationError(
            f"families: {bad} are not baseline families; expected any of "
            f"{', '.join(BASELINE_FAMILIES)}."
        )
    if any((not isinstance(b, int | np.integer)) or b < 0 for b in buffers):
        raise DataValidationError(f"buffers must be integers >= 0, got {list(buffers)!r}.")


def _spec_grid(
    real: EffectEstimate,
    setup: EffectSetup,
    *,
    design: str,
    pre_starts: Sequence[Any] | None,
    buffers: Sequence[int],
    families: Sequence[str],
    use_breaks: Sequence[bool],
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The headline settings and the grid of (dimension, settings), headline first."""
    spec, post0, pre0 = setup.spec, real.post_start, real.frame.index[0]
    base = {"pre_start": ("headline", pre0), "buffer": 0, "family": spec.family,
            "use_breaks": spec.use_breaks}
    options = {
        "pre_start": _pre_start_options(setup.series.index, pre0, post0, pre_starts),
        "buffer": [int(b) for b in buffers if int(b) != 0],
        "family": [f for f in dict.fromkeys(families) if f != spec.family],
        "use_breaks": [bool(b) for b in dict.fromkeys(use_breaks)
                       if bool(b) != spec.use_breaks],
    }
    grid: list[tuple[str, dict[str, Any]]] = [("headline", dict(base))]
    if design == "one_at_a_time":
        for dim, values in options.items():
            for v in values:
                grid.append((dim, {**base, dim: v}))
    else:
        axes = {d: [base[d], *v] for d, v in options.items()}
        for combo in itertools.product(*axes.values()):
            setting = dict(zip(axes, combo, strict=True))
            if setting != base:
                grid.append(("factorial", setting))
    return base, grid


def _run_grid(
    real: EffectEstimate,
    setup: EffectSetup,
    base: dict[str, Any],
    grid: list[tuple[str, dict[str, Any]]],
    *,
    seed: int,
    n_paths: int,
) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per specification of the grid (the headline is ``real`` itself), and the
    notes of the failed ones."""
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for dim, s in grid:
        name, p0 = s["pre_start"]
        label = _spec_label(s, base, name, p0)
        row: dict[str, Any] = {
            "team": setup.team, "event": real.event, "spec_label": label, "dimension": dim,
            "pre_start": str(p0), "buffer": s["buffer"], "family": s["family"],
            "use_breaks": s["use_breaks"], "is_headline": dim == "headline", "error": "",
        }
        if dim == "headline":
            est: EffectEstimate | None = real
        else:
            est = None
            try:
                est = _estimate_variant(setup, s, seed, label, n_paths)
            except _FIT_ERRORS as exc:
                row.update(_NAN_EFFECT, n_fit=pd.NA, is_failed=True, error=str(exc), note="")
                notes.append(f"specification {label} failed: {exc}")
        if est is not None:
            apart = ["different estimand: shown apart, not in the range"
                     if s["family"] in DIFFERENT_ESTIMANDS else ""]
            row.update(_effect_row(est), is_failed=False,
                       note="; ".join(n for n in [*apart, *est.baseline.warnings] if n))
        rows.append(row)
    return rows, notes


def _spec_label(s: dict[str, Any], base: dict[str, Any], name: str, p0: pd.Period) -> str:
    parts = []
    if s["pre_start"] != base["pre_start"]:
        parts.append(f"pre_start {p0} ({name})")
    if s["buffer"] != base["buffer"]:
        parts.append(f"buffer {s['buffer']}")
    if s["family"] != base["family"]:
        parts.append(f"family {s['family']}")
    if s["use_breaks"] != base["use_breaks"]:
        parts.append("breaks " + ("on" if s["use_breaks"] else "off"))
    return ", ".join(parts) or "headline"


def _estimate_variant(
    setup: EffectSetup, s: dict[str, Any], seed: int, label: str, n_paths: int
) -> EffectEstimate:
    """The headline setup with one specification of the sensitivity grid, fitted."""
    var_spec = dataclasses.replace(setup.spec, family=s["family"], use_breaks=s["use_breaks"])
    post0 = setup.post_start
    var_ctx = setup.context
    if s["buffer"]:
        first = post0 - s["buffer"]
        buffer_event = Event(
            id=_BUFFER_ID, name=f"exclusion buffer {first}..{post0 - 1}", kind="news",
            start=first.start_time.normalize(), end=(post0 - 1).end_time.normalize(),
            shape="bump", source="impact.diagnostics.placebo",
        )
        var_ctx = EventRegistry([*var_ctx, buffer_event])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_effect(dataclasses.replace(
            setup, spec=var_spec, context=var_ctx, pre_start=s["pre_start"][1],
            seed=seed_for(seed, setup.team, "sensitivity", label), n_paths=n_paths,
        ))
