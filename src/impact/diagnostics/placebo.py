"""Placebo-in-time runs and sensitivity of an effect estimate (part of the diagnostics).

Both take the fitted estimate plus only their own options and re-run its setup
(``estimate.setup``, :func:`impact.estimation.counterfactual.fit_effect`), so they test
exactly the estimator that made the estimate. :func:`placebo_in_time` places the same
post-period length at every eligible month of the pre-period; the placebo effects give an
empirical false-positive rate and a calibrated p-value for the real effect.
:func:`sensitivity` re-estimates the effect across pre-period starts, exclusion buffers,
baseline families and with or without the known capacity breaks (a specification curve).
Both are bundled with the other checks by :func:`impact.diagnostics.bundle.check_effect`.
"""

from __future__ import annotations

import dataclasses
import itertools
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS, DEFAULT_SEED
from impact._core.exceptions import DataValidationError, ImpactError, ImpactWarning
from impact._core.provenance import label_text
from impact._core.summary import Summary
from impact._core.validation import validate_series
from impact.baselines import BASELINE_FAMILIES, BaselineSpec
from impact.estimation.counterfactual import EffectEstimate, fit_effect, seed_for
from impact.estimation.setup import EffectSetup
from impact.events.event import BASELINE_KINDS, Event
from impact.events.registry import EventRegistry
from impact.events.roles import IN_WINDOW, default_shapes, is_windowed
from impact.plots import diagnostics as _plots_diag

__all__ = [
    "PLACEBO_COLUMNS",
    "SENSITIVITY_COLUMNS",
    "PlaceboResult",
    "SensitivityResult",
    "placebo_in_time",
    "sensitivity",
]

#: Columns of :meth:`PlaceboResult.to_frame` (one row per placebo window plus the real one).
PLACEBO_COLUMNS: tuple[str, ...] = (
    "team", "event", "post_start", "post_end", "is_real", "n_fit",
    "cumulative_effect", "cumulative_effect_lower", "cumulative_effect_upper",
    "relative_effect", "relative_effect_lower", "relative_effect_upper",
    "is_excluding_zero", "is_failed", "note",
)
#: Columns of :meth:`SensitivityResult.to_frame` (one row per specification).
SENSITIVITY_COLUMNS: tuple[str, ...] = (
    "team", "event", "spec_label", "dimension", "pre_start", "buffer", "family",
    "use_breaks", "n_fit",
    "cumulative_effect", "cumulative_effect_lower", "cumulative_effect_upper",
    "relative_effect", "relative_effect_lower", "relative_effect_upper",
    "is_headline", "is_failed", "error", "note",
)

#: Fitted history months a break value must have before a placebo window may rely on it.
_MIN_SUPPORT = 3
#: Errors a single re-estimate may raise; they become rows with an error note.
_FIT_ERRORS = (ImpactError, ValueError, RuntimeError, np.linalg.LinAlgError)
_PLACEBO_ID = "PLACEBO"
_BUFFER_ID = "SENS-BUFFER"

Progress = Callable[[str], None]


# --------------------------------------------------------------------------- shared helpers


def _say(progress: Progress | None, msg: str) -> None:
    if progress is not None:
        progress(msg)


def _team_of(series: pd.Series, team: str | None) -> str:
    if team:
        return team
    t = series.attrs.get("team")
    if t:
        return str(t)
    return str(series.name) if series.name not in (None, "calls") else "series"


def _kind_of(series: pd.Series, data_kind: str | None) -> str:
    return data_kind or str(series.attrs.get("kind", "unspecified"))


def _effect_row(est: EffectEstimate) -> dict[str, Any]:
    return {
        "n_fit": int((~est.baseline.excluded).sum()),
        "cumulative_effect": est.cumulative_effect,
        "cumulative_effect_lower": est.cumulative_effect_lower,
        "cumulative_effect_upper": est.cumulative_effect_upper,
        "relative_effect": est.relative_effect,
        "relative_effect_lower": est.relative_effect_lower,
        "relative_effect_upper": est.relative_effect_upper,
    }


_NAN_EFFECT = dict.fromkeys(
    [
        "cumulative_effect", "cumulative_effect_lower", "cumulative_effect_upper",
        "relative_effect", "relative_effect_lower", "relative_effect_upper",
    ],
    np.nan,
)


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    f = pd.DataFrame(rows, columns=list(columns))
    for c in columns:
        if c.startswith(("cumulative", "relative")):
            f[c] = f[c].astype(float)
        elif c.startswith(("is_", "use_")):
            f[c] = f[c].astype(bool)
        elif c in ("n_fit", "buffer"):
            f[c] = f[c].astype("Int64")
    return f


def _legacy_estimate(
    check: str,
    series: pd.Series,
    events: Any,
    estimate: EffectEstimate | None,
    *,
    seed: int,
    n_paths: int,
    options: dict[str, Any],
) -> EffectEstimate:
    """The estimate of the deprecated call form ``check(series, events, **options)``."""
    warnings.warn(
        f"{check}(series, events, spec=..., context=..., ...) is deprecated; estimate first "
        f"and pass the estimate: {check}(estimate_effect(series, events, ...), seed=..., "
        "...) with only the check's own options.",
        DeprecationWarning,
        stacklevel=3,
    )
    if estimate is not None:
        if estimate.setup is None:  # e.g. a team of estimate_effects: attach the old options
            setup = _headline_setup(series, events, seed=seed, n_paths=n_paths, options=options)
            return dataclasses.replace(estimate, setup=setup)
        return estimate
    return _headline_estimate(series, events, seed=seed, n_paths=n_paths, options=options)


def _headline_estimate(
    series: pd.Series, events: Any, *, seed: int, n_paths: int, options: dict[str, Any]
) -> EffectEstimate:
    """The headline estimate the checks start from: ``estimate_effect`` with the stream
    ``seed_for(seed, team, event ids)`` that ``estimate_effects`` uses for a team."""
    setup = _headline_setup(series, events, seed=seed, n_paths=n_paths, options=options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        return fit_effect(setup)


def _headline_setup(
    series: pd.Series, events: Any, *, seed: int, n_paths: int, options: dict[str, Any]
) -> EffectSetup:
    """The setup of :func:`_headline_estimate`."""
    options = dict(options)
    series = validate_series(series, name="series")
    team = _team_of(series, options.pop("team"))
    kind = _kind_of(series, options.pop("data_kind"))
    level = DEFAULT_LEVEL if options.get("level") is None else options.pop("level")
    options.pop("level", None)
    setup = EffectSetup(
        series=series, events=events, level=level, team=team, data_kind=kind,
        n_paths=n_paths, **options,
    )
    return dataclasses.replace(setup, seed=seed_for(seed, team, setup.event_key))


def _setup_of(estimate: Any, check: str) -> EffectSetup:
    if not isinstance(estimate, EffectEstimate):
        raise DataValidationError(
            f"{check} takes an EffectEstimate (from estimate_effect), got "
            f"{type(estimate).__name__}."
        )
    if estimate.setup is None:
        raise DataValidationError(
            f"{check}: the estimate of {estimate.team} has no setup (a panel total sums the "
            "team counterfactuals); check the summed series with estimate_effect instead."
        )
    return estimate.setup


# --------------------------------------------------------------------------- placebo-in-time


@dataclasses.dataclass(frozen=True)
class PlaceboResult:
    """Placebo-in-time runs of one effect estimate.

    Attributes
    ----------
    team, event : str
    level : float
        Level of every effect interval (real and placebo).
    post_start, post_end : Period
        The real post-period (inclusive); every placebo window has the same length.
    real_relative_effect, real_relative_effect_lower, real_relative_effect_upper : float
    real_cumulative_effect, real_cumulative_effect_lower, real_cumulative_effect_upper : float
    n_placebos, n_failed : int
        Placebo windows estimated, and windows whose estimate failed (rows with a note).
    false_positive_rate : float
        Share of placebo intervals that exclude 0 (nominal ``1 - level``).
    false_positive_rate_lower, false_positive_rate_upper : float
        Clopper-Pearson interval at ``level`` (optimistic: placebo windows overlap).
    p_value_one_sided : float
        ``(1 + #{placebo >= real}) / (1 + n)`` for ``alternative="greater"`` (``<=`` for
        ``"less"``), on the relative effect.
    p_value_two_sided : float
        ``(1 + #{|placebo| >= |real|}) / (1 + n)``.
    rank : int
        Rank of the real relative effect among the real and placebo ones (1 = largest).
    alternative : str
    data_kind : str
    warnings : tuple of str
    """

    team: str
    event: str
    event_names: str
    level: float
    spec: BaselineSpec
    post_start: pd.Period
    post_end: pd.Period
    real_relative_effect: float
    real_relative_effect_lower: float
    real_relative_effect_upper: float
    real_cumulative_effect: float
    real_cumulative_effect_lower: float
    real_cumulative_effect_upper: float
    n_placebos: int
    n_failed: int
    false_positive_rate: float
    false_positive_rate_lower: float
    false_positive_rate_upper: float
    p_value_one_sided: float
    p_value_two_sided: float
    rank: int
    alternative: str
    min_history: int
    n_paths: int
    data_kind: str
    method: str
    warnings: tuple[str, ...]
    frame: pd.DataFrame = dataclasses.field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per placebo window and one for the real effect, :data:`PLACEBO_COLUMNS`."""
        return self.frame.copy()

    def summary(self) -> Summary:
        """Real effect, false-positive rate and placebo p-values, with a text."""
        nan = np.nan
        table = pd.DataFrame(
            {
                "estimate": [
                    self.real_relative_effect, self.real_cumulative_effect,
                    self.false_positive_rate, self.p_value_one_sided, self.p_value_two_sided,
                    float(self.rank), float(self.n_placebos),
                ],
                "lower": [
                    self.real_relative_effect_lower, self.real_cumulative_effect_lower,
                    self.false_positive_rate_lower, nan, nan, nan, nan,
                ],
                "upper": [
                    self.real_relative_effect_upper, self.real_cumulative_effect_upper,
                    self.false_positive_rate_upper, nan, nan, nan, nan,
                ],
                "unit": ["ratio", "calls", "share", "probability", "probability", "rank",
                         "windows"],
            },
            index=pd.Index(
                ["relative_effect", "cumulative_effect", "false_positive_rate",
                 "p_value_one_sided", "p_value_two_sided", "rank", "n_placebos"],
                name="quantity",
            ),
        )
        text = f"{self.team}, {self.event}: " + self.verdict_text()
        text += f" Method: {self.method} Data kind: {self.data_kind}."
        text = label_text(text, data_kind=self.data_kind, caveats=self.warnings)
        return Summary(table=table, text=text)

    def verdict_text(self) -> str:
        """The placebo result in two sentences (used by the bundle's summary)."""
        pct = int(round(self.level * 100))
        if self.n_placebos == 0:
            return "no eligible placebo window; the placebo check could not be run."
        side = ">=" if self.alternative == "greater" else "<="
        text = (
            f"the real relative effect {self.real_relative_effect:+.1%} ranks {self.rank} of "
            f"{self.n_placebos + 1} among {self.n_placebos} placebo windows of the same length "
            f"in the pre-period (one-sided p = {self.p_value_one_sided:.3f} for placebo "
            f"{side} real, two-sided p = {self.p_value_two_sided:.3f}); "
            f"{self.false_positive_rate:.1%} of the placebo {pct}% intervals exclude 0 "
            f"(empirical false-positive rate, nominal {1 - self.level:.0%}; {pct}% "
            f"Clopper-Pearson {self.false_positive_rate_lower:.1%} to "
            f"{self.false_positive_rate_upper:.1%})."
        )
        if 1.0 / (self.n_placebos + 1) > 1 - self.level:
            text += (
                f" With {self.n_placebos} placebos the smallest attainable p-value is "
                f"{1 / (self.n_placebos + 1):.3f}."
            )
        return text

    def plot(self, *, ax: Any = None) -> Any:
        """Placebo distribution of relative effects with the real effect marked."""
        return _plots_diag.plot_placebo_distribution(self, ax=ax)


def placebo_in_time(
    fitted: EffectEstimate | pd.Series,
    events: Event | EventRegistry | Iterable[Event] | None = None,
    /,
    *,
    seed: int = DEFAULT_SEED,
    n_paths: int = 500,
    min_history: int = 36,
    history: str = "same_length",
    alternative: str = "greater",
    progress: Progress | None = None,
    spec: BaselineSpec | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    level: float = DEFAULT_LEVEL,
    real_n_paths: int = DEFAULT_N_PATHS,
    post_end: Any = None,
    pre_start: Any = None,
    pre_events: str = "exclude",
    exposure: pd.Series | None = None,
    shape_overrides: dict[str, str] | None = None,
    estimate: EffectEstimate | None = None,
    team: str | None = None,
    data_kind: str | None = None,
) -> PlaceboResult:
    """Re-run the counterfactual estimator at every eligible placebo date of the pre-period.

    Parameters
    ----------
    fitted : EffectEstimate
        The real estimate (from :func:`impact.estimation.counterfactual.estimate_effect`);
        every placebo re-runs its setup (``fitted.setup``) with the event moved.
    seed : int, default 20240501
        Study seed; placebo ``p`` uses ``seed_for(seed, team, "placebo", str(p))`` so
        results do not depend on the order of the windows.
    n_paths : int, default 500
        Simulated paths per placebo estimate.
    min_history : int, default 36
        A placebo window needs at least this many periods of fitted history (from its
        history start to its first period).
    history : {"same_length", "same_start"}, default "same_length"
        Where each placebo's fitted history starts: ``same_length`` gives it the length of
        the real estimate's history (real post start minus ``pre_start``), cut at the
        start of the series, so early placebos may use months before ``pre_start``;
        ``same_start`` starts every history at ``pre_start`` like the real one (fewer
        eligible windows, shorter histories).
    alternative : {"greater", "less"}, default "greater"
        Direction of the one-sided p-value (an increase in calls is the hypothesis).
    progress : callable, optional
        Called with a short message per stage.
    events, spec, context, level, real_n_paths, post_end, pre_start, pre_events, exposure,
    shape_overrides, estimate, team, data_kind
        Deprecated call form ``placebo_in_time(series, events, spec=..., ...)``: the
        series comes first, the real estimate is made with these options (or ``estimate``
        is used). Warns :class:`DeprecationWarning`.

    Returns
    -------
    PlaceboResult

    Raises
    ------
    DataValidationError
        On an invalid level, ``alternative`` or ``min_history``, or when the real estimate
        cannot be made (see :func:`estimate_effect`).

    Notes
    -----
    A placebo window ``[a, a + h - 1]`` (``h`` the real post-period length, inclusive
    bounds) is eligible when it lies in the real pre-period (from ``pre_start`` to the
    period before the real post start), has ``min_history`` periods of history, overlaps
    no window of a news, campaign or policy event of ``context`` (exposure above 0.05, as
    the estimator's exclusion uses),
    and in which every break or step regressor (capacity, registration, pandemic and
    step-shaped events) takes values seen in at least 3 fitted months of its history (so
    no capacity change starts inside the window, and none whose months were all left out
    of the fit). Each placebo is the
    estimator run as if an event had started in ``a``: same spec, same ``pre_start``,
    same handling of earlier events. The statistic is the relative effect, which is
    comparable across years with different call levels. Windows overlap, so the placebo
    effects are dependent: the false-positive rate's interval is optimistic.

    See Also
    --------
    sensitivity, impact.diagnostics.bundle.check_effect
    """
    if isinstance(fitted, pd.Series):
        fitted = _legacy_estimate(
            "placebo_in_time", fitted, events, estimate, seed=seed, n_paths=real_n_paths,
            options={"spec": spec, "context": context, "level": level, "post_end": post_end,
                     "pre_start": pre_start, "pre_events": pre_events, "exposure": exposure,
                     "shape_overrides": shape_overrides, "team": team, "data_kind": data_kind},
        )
    setup = _setup_of(fitted, "placebo_in_time")
    if alternative not in ("greater", "less"):
        raise DataValidationError(
            f"alternative={alternative!r}; expected 'greater' or 'less'."
        )
    if history not in ("same_length", "same_start"):
        raise DataValidationError(
            f"history={history!r}; expected 'same_length' or 'same_start'."
        )
    if not isinstance(min_history, int) or min_history < 12:
        raise DataValidationError(
            f"min_history must be an integer >= 12 periods, got {min_history!r}."
        )
    real, series, team, kind, level = fitted, setup.series, setup.team, setup.data_kind, setup.level
    reg = setup.events
    # baseline-kind events given as `events` are breaks for the placebos too
    extra = [e for e in reg if e.kind in BASELINE_KINDS and e.id not in setup.context]
    ctx = EventRegistry([*setup.context, *extra])
    shape_overrides = setup.shape_overrides
    spec_used = real.spec
    post0, post1 = real.post_start, real.post_end
    h = post1.ordinal - post0.ordinal + 1
    pre0 = real.frame.index[0]
    windows, blocked = _eligible_windows(
        series.index, ctx, pre0=pre0, last=post0 - 1, length=h, min_history=min_history,
        history=history, shape_overrides=shape_overrides,
    )
    _say(progress, f"{team}: {len(windows)} placebo windows of {h} periods")
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        for a, start in windows:
            b = a + (h - 1)
            fake = Event(
                id=_PLACEBO_ID, name=f"placebo window {a}..{b}", kind="news",
                start=a.start_time.normalize(), shape="pulse", source="impact.diagnostics.placebo",
            )
            row: dict[str, Any] = {
                "team": team, "event": f"placebo {a}", "post_start": str(a),
                "post_end": str(b), "is_real": False,
            }
            try:
                est = fit_effect(dataclasses.replace(
                    setup, events=EventRegistry([fake]), context=ctx,
                    seed=seed_for(seed, team, "placebo", str(a)), n_paths=n_paths,
                    post_end=b, pre_start=start,
                ))
            except _FIT_ERRORS as exc:
                row.update(_NAN_EFFECT, n_fit=pd.NA, is_failed=True, note=str(exc),
                           is_excluding_zero=False)
                notes.append(f"placebo {a}: {exc}")
            else:
                row.update(_effect_row(est), is_failed=False,
                           note="; ".join(est.baseline.warnings))
                row["is_excluding_zero"] = bool(
                    est.cumulative_effect_lower > 0 or est.cumulative_effect_upper < 0
                )
            rows.append(row)
    real_row = {
        "team": team, "event": real.event, "post_start": str(post0), "post_end": str(post1),
        "is_real": True, **_effect_row(real), "is_failed": False,
        "is_excluding_zero": bool(real.cumulative_effect_lower > 0
                                  or real.cumulative_effect_upper < 0),
        "note": "real effect",
    }
    frame = _frame([*rows, real_row], PLACEBO_COLUMNS)
    ok = frame[~frame["is_real"] & ~frame["is_failed"]]
    s = ok["relative_effect"].to_numpy()
    r = real.relative_effect
    n = len(s)
    if n:
        k = int(ok["is_excluding_zero"].sum())
        fpr = k / n
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=level)
        fpr_lo, fpr_hi = float(ci.low), float(ci.high)
        beyond = s >= r if alternative == "greater" else s <= r
        p1 = (1 + int(beyond.sum())) / (1 + n)
        p2 = (1 + int((np.abs(s) >= abs(r)).sum())) / (1 + n)
        rank = 1 + int((s > r).sum())
    else:
        fpr = fpr_lo = fpr_hi = p1 = p2 = np.nan
        rank = 1
        notes.append(
            "no eligible placebo window: the pre-period is too short or every window "
            "overlaps a registered event; lower min_history or start the pre-period earlier."
        )
        warnings.warn(f"placebo_in_time, {team}: {notes[-1]}", ImpactWarning, stacklevel=2)
    if n and fpr_lo > 1 - level:
        notes.append(
            f"placebo intervals exclude 0 in {fpr:.0%} of windows, more than the nominal "
            f"{1 - level:.0%}: the model's {int(round(level * 100))}% intervals are too "
            "narrow on this series; rely on the placebo p-value rather than the interval."
        )
    method = (
        f"placebo-in-time: the {spec_used.label} counterfactual estimator re-run with a "
        f"{h}-period post-period starting at each of {len(windows)} eligible periods "
        f"between {pre0} and {post0 - h} ({len(blocked)} skipped because a registered event "
        f"window or unsupported break falls in the window; histories of at least "
        f"{min_history} periods, {history.replace('_', ' ')} as the real estimate); "
        f"{n_paths} paths per placebo; the statistic is the relative effect."
    )
    return PlaceboResult(
        team=team, event=real.event, event_names=real.event_names, level=level,
        spec=spec_used, post_start=post0, post_end=post1,
        real_relative_effect=r, real_relative_effect_lower=real.relative_effect_lower,
        real_relative_effect_upper=real.relative_effect_upper,
        real_cumulative_effect=real.cumulative_effect,
        real_cumulative_effect_lower=real.cumulative_effect_lower,
        real_cumulative_effect_upper=real.cumulative_effect_upper,
        n_placebos=n, n_failed=int(frame["is_failed"].sum()),
        false_positive_rate=fpr, false_positive_rate_lower=fpr_lo,
        false_positive_rate_upper=fpr_hi, p_value_one_sided=p1, p_value_two_sided=p2,
        rank=rank, alternative=alternative, min_history=min_history, n_paths=n_paths,
        data_kind=kind, method=method, warnings=tuple(notes), frame=frame,
    )


def _eligible_windows(
    index: pd.PeriodIndex,
    context: EventRegistry,
    *,
    pre0: pd.Period,
    last: pd.Period,
    length: int,
    min_history: int,
    history: str = "same_length",
    shape_overrides: dict[str, str] | None = None,
) -> tuple[list[tuple[pd.Period, pd.Period]], dict[pd.Period, list[str]]]:
    """Eligible placebo windows as (first period, history start), and the skipped first
    periods with the ids of the events that block them (see :func:`placebo_in_time`)."""
    hist = index[index <= last]
    overrides = default_shapes(context, shape_overrides)
    x = (
        context.to_regressors(hist, shape_overrides=overrides)
        if len(context) else pd.DataFrame(index=hist)
    )
    windowed = [e.id for e in context if is_windowed(e, overrides)]
    # months the estimator leaves out of the fit (earlier event windows)
    used = ~(x[windowed].to_numpy() > IN_WINDOW).any(axis=1) if windowed else np.ones(
        len(hist), dtype=bool
    )
    span = last.ordinal + 1 - pre0.ordinal  # history length of the real estimate
    ok: list[tuple[pd.Period, pd.Period]] = []
    blocked: dict[pd.Period, list[str]] = {}
    for i, a in enumerate(hist):
        start = pre0 if history == "same_start" else max(hist[0], a - span)
        h0 = start.ordinal - hist[0].ordinal
        if a < pre0 or a.ordinal - start.ordinal < min_history or i + length > len(hist):
            continue
        ids = []
        for eid in x.columns:
            v = x[eid].to_numpy()
            w = v[i : i + length]
            if eid in windowed:
                hit = w.max() > IN_WINDOW
            else:
                # a break or step value in the window must be seen in at least
                # _MIN_SUPPORT fitted months of the history, else its effect is unmodelled
                seen = v[h0:i][used[h0:i]]
                hit = any(
                    int((np.abs(seen - wm) <= IN_WINDOW).sum()) < _MIN_SUPPORT for wm in w
                )
            if hit:
                ids.append(str(eid))
        if ids:
            blocked[a] = ids
        else:
            ok.append((a, start))
    return ok, blocked


# --------------------------------------------------------------------------- sensitivity


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
        Range of the relative effect over the specifications that could be fitted.
    cumulative_effect_min, cumulative_effect_max : float
    n_specs, n_failed, n_excluding_zero : int
        Specifications, failures, and successful ones whose interval excludes 0.
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

    def range_text(self) -> str:
        """The range of the estimates in one sentence."""
        ok = self.n_specs - self.n_failed
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
    if isinstance(fitted, pd.Series):
        fitted = _legacy_estimate(
            "sensitivity", fitted, events, estimate, seed=seed, n_paths=DEFAULT_N_PATHS,
            options={"spec": spec, "context": context, "level": level, "post_end": post_end,
                     "pre_start": pre_start, "pre_events": pre_events, "exposure": exposure,
                     "shape_overrides": shape_overrides, "team": team, "data_kind": data_kind},
        )
    setup = _setup_of(fitted, "sensitivity")
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
    real, series, spec = fitted, setup.series, setup.spec
    team, kind, level = setup.team, setup.data_kind, setup.level
    post0 = real.post_start
    pre0 = real.frame.index[0]
    base = {"pre_start": ("headline", pre0), "buffer": 0, "family": spec.family,
            "use_breaks": spec.use_breaks}
    options = {
        "pre_start": _pre_start_options(series.index, pre0, post0, pre_starts),
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
    _say(progress, f"{team}: sensitivity, {len(grid)} specifications")
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for dim, s in grid:
        name, p0 = s["pre_start"]
        label = _spec_label(s, base, name, p0)
        row: dict[str, Any] = {
            "team": team, "event": real.event, "spec_label": label, "dimension": dim,
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
            row.update(_effect_row(est), is_failed=False,
                       note="; ".join(est.baseline.warnings))
        rows.append(row)
    frame = _frame(rows, SENSITIVITY_COLUMNS)
    ok = frame[~frame["is_failed"]]
    excl = (ok["cumulative_effect_lower"] > 0) | (ok["cumulative_effect_upper"] < 0)
    rel, cum = ok["relative_effect"], ok["cumulative_effect"]
    return SensitivityResult(
        team=team, event=real.event, level=level, design=design,
        relative_effect_min=float(rel.min()) if len(ok) else np.nan,
        relative_effect_max=float(rel.max()) if len(ok) else np.nan,
        cumulative_effect_min=float(cum.min()) if len(ok) else np.nan,
        cumulative_effect_max=float(cum.max()) if len(ok) else np.nan,
        n_specs=len(frame), n_failed=int(frame["is_failed"].sum()),
        n_excluding_zero=int(excl.sum()), data_kind=kind, warnings=tuple(notes), frame=frame,
    )


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
