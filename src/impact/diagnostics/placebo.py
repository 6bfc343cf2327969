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
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS, DEFAULT_SEED
from impact._core.exceptions import DataValidationError, ImpactError, ImpactWarning
from impact._core.provenance import label_text
from impact._core.summary import Summary
from impact._core.validation import validate_series
from impact.baselines import BaselineSpec
from impact.estimation.counterfactual import EffectEstimate, fit_effect, seed_for
from impact.estimation.setup import EffectSetup
from impact.events.event import BASELINE_KINDS, Event
from impact.events.registry import EventRegistry
from impact.events.roles import IN_WINDOW, default_shapes, is_windowed
from impact.plots import diagnostics as _plots_diag

__all__ = [
    "PLACEBO_COLUMNS",
    "PlaceboResult",
    "placebo_in_time",
]

#: Columns of :meth:`PlaceboResult.to_frame` (one row per placebo window plus the real one).
PLACEBO_COLUMNS: tuple[str, ...] = (
    "team", "event", "post_start", "post_end", "is_real", "n_fit",
    "cumulative_effect", "cumulative_effect_lower", "cumulative_effect_upper",
    "relative_effect", "relative_effect_lower", "relative_effect_upper",
    "is_excluding_zero", "is_failed", "note",
)

#: Fitted history months a break value must have before a placebo window may rely on it.
_MIN_SUPPORT = 3
#: Errors a single re-estimate may raise; they become rows with an error note.
_FIT_ERRORS = (ImpactError, ValueError, RuntimeError, np.linalg.LinAlgError)
_PLACEBO_ID = "PLACEBO"

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
    fitted: EffectEstimate | pd.Series,
    events: Any,
    *,
    seed: int,
    n_paths: int,
    options: dict[str, Any],
    estimate: EffectEstimate | None = None,
    progress: Progress | None = None,
) -> EffectEstimate:
    """The estimate a check runs on, also from the deprecated series-first call form.

    ``fitted`` is returned as it is unless it is a series: then the call was the deprecated
    ``check(series, events, spec=..., ...)``, which warns :class:`DeprecationWarning` (at
    the check's caller) and returns ``estimate`` (given its setup from ``options`` when it
    has none) or the headline estimate made with ``options`` and ``n_paths`` paths. The
    one place that reads the old form, for :func:`placebo_in_time`,
    :func:`impact.diagnostics.sensitivity.sensitivity` and
    :func:`impact.diagnostics.bundle.check_effect`.
    """
    if not isinstance(fitted, pd.Series):
        return fitted
    warnings.warn(
        f"{check}(series, events, spec=..., context=..., ...) is deprecated; estimate first "
        f"and pass the estimate: {check}(estimate_effect(series, events, ...), seed=..., "
        "...) with only the check's own options.",
        DeprecationWarning,
        stacklevel=3,
    )
    if estimate is not None:
        if estimate.setup is None:  # e.g. a team of estimate_effects: attach the old options
            setup = _headline_setup(fitted, events, seed=seed, n_paths=n_paths, options=options)
            return dataclasses.replace(estimate, setup=setup)
        return estimate
    _say(progress, f"{_team_of(fitted, options['team'])}: headline estimate")
    return _headline_estimate(fitted, events, seed=seed, n_paths=n_paths, options=options)


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
    min_history: int | None = None,
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
    spacing: int | None = None,
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
    min_history : int, optional
        A placebo window needs at least this many periods of fitted history (from its
        history start to its first period). Default 36 for monthly series, 52 for weekly
        and 365 for daily ones (a year of history).
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
    spacing : int, optional
        Placebo windows start every ``spacing`` periods, counted back from the real post
        start (so daily placebos fall on the real start's weekday). Default 1 for monthly
        series, 4 for weekly and 28 for daily ones (about one placebo a month: a placebo
        every day would cost hundreds of refits for strongly overlapping windows).
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
    fitted = _legacy_estimate(
        "placebo_in_time", fitted, events, estimate=estimate, seed=seed, n_paths=real_n_paths,
        options={"spec": spec, "context": context, "level": level, "post_end": post_end,
                 "pre_start": pre_start, "pre_events": pre_events, "exposure": exposure,
                 "shape_overrides": shape_overrides, "team": team, "data_kind": data_kind},
    )
    setup = _setup_of(fitted, "placebo_in_time")
    min_history, spacing = _resolution_defaults(setup.series.index, min_history, spacing)
    _check_placebo_options(alternative=alternative, history=history, min_history=min_history)
    real, team = fitted, setup.team
    # baseline-kind events given as `events` are breaks for the placebos too
    extra = [e for e in setup.events if e.kind in BASELINE_KINDS and e.id not in setup.context]
    ctx = EventRegistry([*setup.context, *extra])
    post0, post1 = real.post_start, real.post_end
    h = post1.ordinal - post0.ordinal + 1
    pre0 = real.frame.index[0]
    windows, blocked = _eligible_windows(
        setup.series.index, ctx, pre0=pre0, last=post0 - 1, length=h,
        min_history=min_history, history=history, shape_overrides=setup.shape_overrides,
    )
    if spacing > 1:
        windows = [w for w in windows if (post0.ordinal - w[0].ordinal) % spacing == 0]
    _say(progress, f"{team}: {len(windows)} placebo windows of {h} periods")
    rows, notes = _run_placebos(setup, ctx, windows, length=h, seed=seed, n_paths=n_paths)
    frame = _frame([*rows, _real_row(real, team)], PLACEBO_COLUMNS)
    stats_ = _placebo_stats(frame, real.relative_effect, level=setup.level,
                            alternative=alternative, notes=notes)
    if not stats_["n_placebos"]:
        warnings.warn(f"placebo_in_time, {team}: {notes[-1]}", ImpactWarning, stacklevel=2)
    method = (
        f"placebo-in-time: the {real.spec.label} counterfactual estimator re-run with a "
        f"{h}-period post-period starting at each of {len(windows)} eligible periods "
        + (f"(every {spacing} periods back from the real start) " if spacing > 1 else "")
        + f"between {pre0} and {post0 - h} ({len(blocked)} skipped because a registered event "
        f"window or unsupported break falls in the window; histories of at least "
        f"{min_history} periods, {history.replace('_', ' ')} as the real estimate); "
        f"{n_paths} paths per placebo; the statistic is the relative effect."
    )
    return PlaceboResult(
        team=team, event=real.event, event_names=real.event_names, level=setup.level,
        spec=real.spec, post_start=post0, post_end=post1,
        real_relative_effect=real.relative_effect,
        real_relative_effect_lower=real.relative_effect_lower,
        real_relative_effect_upper=real.relative_effect_upper,
        real_cumulative_effect=real.cumulative_effect,
        real_cumulative_effect_lower=real.cumulative_effect_lower,
        real_cumulative_effect_upper=real.cumulative_effect_upper,
        n_failed=int(frame["is_failed"].sum()), **stats_, alternative=alternative,
        min_history=min_history, n_paths=n_paths, data_kind=setup.data_kind, method=method,
        warnings=tuple(notes), frame=frame,
    )


def _resolution_defaults(
    index: pd.PeriodIndex, min_history: int | None, spacing: int | None
) -> tuple[int, int]:
    """``min_history`` and ``spacing`` with their defaults for the index's resolution."""
    code = index.freqstr.upper()[0]
    default_history, default_spacing = {"M": (36, 1), "W": (52, 4)}.get(code, (365, 28))
    if spacing is None:
        spacing = default_spacing
    if isinstance(spacing, bool) or not isinstance(spacing, int) or spacing < 1:
        raise DataValidationError(f"spacing must be an integer >= 1 period, got {spacing!r}.")
    return (default_history if min_history is None else min_history), spacing


def _check_placebo_options(*, alternative: str, history: str, min_history: Any) -> None:
    """Raise :class:`DataValidationError` on an invalid option of :func:`placebo_in_time`."""
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


def _run_placebos(
    setup: EffectSetup,
    context: EventRegistry,
    windows: list[tuple[pd.Period, pd.Period]],
    *,
    length: int,
    seed: int,
    n_paths: int,
) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per placebo window (the setup re-run with the event moved), and the notes."""
    team = setup.team
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        for a, start in windows:
            b = a + (length - 1)
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
                    setup, events=EventRegistry([fake]), context=context,
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
    return rows, notes


def _real_row(real: EffectEstimate, team: str) -> dict[str, Any]:
    """The row of the real estimate in :meth:`PlaceboResult.to_frame`."""
    return {
        "team": team, "event": real.event, "post_start": str(real.post_start),
        "post_end": str(real.post_end), "is_real": True, **_effect_row(real),
        "is_failed": False,
        "is_excluding_zero": bool(real.cumulative_effect_lower > 0
                                  or real.cumulative_effect_upper < 0),
        "note": "real effect",
    }


def _placebo_stats(
    frame: pd.DataFrame, r: float, *, level: float, alternative: str, notes: list[str]
) -> dict[str, Any]:
    """False-positive rate (with its interval), p-values and rank of the real effect ``r``
    among the fitted placebos; appends a note when there are none or the rate is high."""
    ok = frame[~frame["is_real"] & ~frame["is_failed"]]
    s = ok["relative_effect"].to_numpy()
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
    if n and fpr_lo > 1 - level:
        notes.append(
            f"placebo intervals exclude 0 in {fpr:.0%} of windows, more than the nominal "
            f"{1 - level:.0%}: the model's {int(round(level * 100))}% intervals are too "
            "narrow on this series; rely on the placebo p-value rather than the interval."
        )
    return {
        "n_placebos": n, "false_positive_rate": fpr, "false_positive_rate_lower": fpr_lo,
        "false_positive_rate_upper": fpr_hi, "p_value_one_sided": p1,
        "p_value_two_sided": p2, "rank": rank,
    }


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
