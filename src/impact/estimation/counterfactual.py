"""Counterfactual-forecast effect estimates (CausalImpact-style, with count likelihoods).

:func:`estimate_effect` fits a seasonal baseline on the months before the events under
study, simulates joint counterfactual count paths for the post-period and compares them
with what was observed. :func:`estimate_effects` does so for every team of a panel and
adds a Flanders total whose paths are the sums of the team paths, so team effects add up
to the total and the total's interval is coherent.
"""

from __future__ import annotations

import dataclasses
import warnings
import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS, DEFAULT_SEED, FLANDERS
from impact._core.dates import describe_periods, period_unit
from impact._core.exceptions import DataValidationError, FitError, ImpactWarning
from impact._core.provenance import label_text
from impact._core.summary import Summary
from impact.baselines import (
    ZERO_RECORD_LEVEL,
    BaselineFit,
    BaselineSpec,
    LevelShift,
    PooledFit,
    fit_baseline,
    fit_pooled_baseline,
    team_correlation,
)
from impact.estimation.separate import (
    SEPARATE_COLUMNS,
    SeparateEffects,
    decompose_effect,
    sum_separate,
)
from impact.estimation.setup import EffectSetup, as_registry
from impact.events.event import Event
from impact.events.identifiability import check_identifiability
from impact.events.registry import EventRegistry, check_event_scopes
from impact.io.calls import to_series
from impact.plots import effects as _plots_effects

__all__ = [
    "EFFECT_COLUMNS",
    "EffectEstimate",
    "EffectTable",
    "as_registry",
    "estimate_effect",
    "estimate_effects",
    "fit_effect",
    "seed_for",
]

#: Columns of :meth:`EffectEstimate.to_frame`, always in this order.
EFFECT_COLUMNS: tuple[str, ...] = (
    "team",
    "observed",
    "expected",
    "expected_lower",
    "expected_upper",
    "effect",
    "effect_lower",
    "effect_upper",
    "is_post",
)

#: An interval that misses its point estimate by more than this (calls; for the relative
#: effect, this many calls of the expected total) is widened with a warning; by less, it is
#: widened silently (whole simulated counts around a fractional mean).
_NOTE_ATOL: float = 0.5

#: Quantities of :attr:`Summary.table`, in this order.
SUMMARY_QUANTITIES: tuple[str, ...] = ("average", "cumulative", "relative")

def seed_for(seed: int, *keys: str) -> np.random.SeedSequence:
    """A seed sequence for one team-event stream, derived from the study seed and names.

    The stream depends on the names only, never on processing order.
    """
    entropy = [int(seed)] + [zlib.crc32(k.encode("utf-8")) for k in keys]
    return np.random.SeedSequence(entropy)


@dataclasses.dataclass(frozen=True)
class EffectEstimate:
    """The effect of one (possibly merged) event on one series.

    ``to_frame()`` is the single source of the monthly numbers; the scalar attributes
    hold the post-period totals and their simulation intervals.

    Attributes
    ----------
    team : str
    event : str
        Id of the event under study, or ``"E048+E049"`` for a joint effect.
    event_names : str
    post_start, post_end : Period
        First and last post-period period (inclusive).
    level : float
    spec : BaselineSpec
    baseline : BaselineFit
    cumulative_effect, cumulative_effect_lower, cumulative_effect_upper : float
        Sum over the post-period of observed minus counterfactual counts.
    relative_effect, relative_effect_lower, relative_effect_upper : float
        ``sum(observed) / sum(counterfactual) - 1``.
    average_effect, average_effect_lower, average_effect_upper : float
        Cumulative effect per post period.
    p_positive : float
        Share of simulated effect paths above zero.
    data_kind : str
    warnings : tuple of str
        Caveats, including "a level shift of +x% around <period> is not explained by a
        registered event (posterior probability p)" for each detected shift.
    level_shifts : tuple of LevelShift
        Unregistered level shifts detected in the baseline's history (the baseline's
        ``level_shifts``; :class:`impact.baselines.level_shift.LevelShift`).
    separate : SeparateEffects or None
        The joint effect split into one effect per separable event (and their sum), when
        the setup asks for it (daily or weekly data with several studied events, or
        ``separate=True``); ``None`` otherwise.
    """

    team: str
    event: str
    event_names: str
    post_start: pd.Period
    post_end: pd.Period
    level: float
    spec: BaselineSpec
    baseline: BaselineFit = dataclasses.field(repr=False)
    frame: pd.DataFrame = dataclasses.field(repr=False)
    cumulative_effect: float
    cumulative_effect_lower: float
    cumulative_effect_upper: float
    relative_effect: float
    relative_effect_lower: float
    relative_effect_upper: float
    average_effect: float
    average_effect_lower: float
    average_effect_upper: float
    p_positive: float
    n_paths: int
    data_kind: str
    method: str
    warnings: tuple[str, ...]
    #: counterfactual count paths (n_paths x post periods), behind the prediction band
    paths: np.ndarray = dataclasses.field(repr=False, compare=False)
    #: counterfactual mean paths (parameter uncertainty) and count noise at the observed
    #: level, behind the effect intervals
    mean_paths: np.ndarray = dataclasses.field(repr=False, compare=False)
    noise_paths: np.ndarray = dataclasses.field(repr=False, compare=False)
    #: what the estimate was set up with (``None`` for the Flanders total of a panel)
    setup: EffectSetup | None = dataclasses.field(default=None, repr=False, compare=False)
    level_shifts: tuple[LevelShift, ...] = ()
    separate: SeparateEffects | None = dataclasses.field(default=None, repr=False,
                                                         compare=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per period (index ``month``), columns :data:`EFFECT_COLUMNS`."""
        return self.frame.copy()

    @property
    def observed(self) -> pd.Series:
        return self.frame["observed"]

    @property
    def expected(self) -> pd.Series:
        return self.frame["expected"]

    @property
    def effect(self) -> pd.Series:
        return self.frame["effect"]

    def cumulative_frame(self) -> pd.DataFrame:
        """Cumulative effect from the first post period to each post period, with its
        simulation interval (quantiles of cumulative sums of the same paths).

        Columns ``team``, ``cumulative_effect``, ``cumulative_effect_lower``,
        ``cumulative_effect_upper``; index ``month`` (post periods only).
        """
        f = self.frame[self.frame["is_post"]]
        obs = f["observed"].to_numpy()
        eff_paths = obs[None, :] - self.mean_paths - self.noise_paths
        cum_paths = np.cumsum(eff_paths, axis=1)
        lo, hi = np.quantile(cum_paths, [(1 - self.level) / 2, (1 + self.level) / 2], axis=0)
        point = np.cumsum(f["effect"].to_numpy())
        lo, hi = _contain(point, lo, hi, "cumulative effect", [])
        return pd.DataFrame(
            {
                "team": self.team,
                "cumulative_effect": point,
                "cumulative_effect_lower": lo,
                "cumulative_effect_upper": hi,
            },
            index=f.index,
        )

    def summary(self) -> Summary:
        """Table of average, cumulative and relative effect with intervals, and a text."""
        table = pd.DataFrame(
            {
                "estimate": [self.average_effect, self.cumulative_effect, self.relative_effect],
                "lower": [
                    self.average_effect_lower,
                    self.cumulative_effect_lower,
                    self.relative_effect_lower,
                ],
                "upper": [
                    self.average_effect_upper,
                    self.cumulative_effect_upper,
                    self.relative_effect_upper,
                ],
                "unit": ["calls per period", "calls", "ratio"],
            },
            index=pd.Index(SUMMARY_QUANTITIES, name="quantity"),
        )
        pct = int(round(self.level * 100))
        text = (
            f"{self.team}, {self.event} ({self.event_names}), {self.post_start} to "
            f"{self.post_end}: {_number(self.cumulative_effect, '+.0f')} calls against the "
            f"counterfactual ({pct}% interval "
            f"{_bounds(self.cumulative_effect_lower, self.cumulative_effect_upper, '+.0f')}), "
            f"a relative effect of {_number(self.relative_effect, '+.1%')} "
            f"({_bounds(self.relative_effect_lower, self.relative_effect_upper, '+.1%')}); "
            "probability of a positive effect "
            f"{self.p_positive:.3f}. Intervals are {pct}% simulation intervals from "
            f"{self.n_paths} joint counterfactual count paths (parameter uncertainty and count "
            f"noise). Counterfactual: {self.baseline.spec.label} baseline fitted on the "
            f"pre-period. {self.method} Data kind: {self.data_kind}."
        )
        text = label_text(text, data_kind=self.data_kind, caveats=self.warnings)
        return Summary(table=table, text=text)

    def plot(self, *, ax: Any = None) -> Any:
        """Observed vs counterfactual with the prediction band (see :mod:`impact.plots`)."""
        return _plots_effects.plot_effect(self, ax=ax)


def estimate_effect(
    series: pd.Series,
    events: Event | EventRegistry | Iterable[Event],
    *,
    spec: BaselineSpec | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    level: float = DEFAULT_LEVEL,
    seed: int | np.random.Generator | np.random.SeedSequence | None = DEFAULT_SEED,
    n_paths: int = DEFAULT_N_PATHS,
    post_end: Any = None,
    pre_start: Any = None,
    pre_events: str = "exclude",
    exposure: pd.Series | None = None,
    covariates: pd.DataFrame | None = None,
    shape_overrides: dict[str, str] | None = None,
    team: str | None = None,
    data_kind: str | None = None,
    separate: bool | None = None,
) -> EffectEstimate:
    """Estimate the effect of dated events by a counterfactual forecast.

    Parameters
    ----------
    series : Series
        Complete count series (``PeriodIndex``).
    events : Event, EventRegistry or iterable of Event
        The events under study. Their joint effect is estimated from the period that holds
        the earliest start. Events of a baseline kind (capacity, registration, pandemic)
        given here are treated as known breaks.
    spec : BaselineSpec, optional
        Baseline; default negative binomial GLM with linear trend and month effects.
    context : EventRegistry, optional
        Other registered events: baseline kinds become known breaks; news and campaign
        events before the post-period are handled as ``pre_events`` says; events starting
        inside the post-period are reported as confounders in ``warnings``.
    level : float, default 0.95
    seed : int, Generator or SeedSequence, optional
    n_paths : int, default 2000
    post_end : period-like, optional
        Last post period (inclusive); default the end of the series.
    pre_start : period-like, optional
        First period of the fitted history (inclusive); default the start of the series.
    pre_events : {"exclude", "model"}, default "exclude"
        Earlier news/campaign events with a window shape (pulse, bump, decay): leave their
        periods out of the fit (``exclude``) or model them as nuisance regressors
        (``model``). Step and ramp events are always modelled.
    exposure, covariates : optional
        Passed to :func:`impact.baselines.fit.fit_baseline`; must cover the post-period.
    shape_overrides : dict, optional
        Event id -> shape for events whose shape is ``unknown``.
    team : str, optional
        Label for the output (default ``series.name`` or ``"series"``).
    data_kind : str, optional
        ``published``, ``real`` or ``synthetic``; default ``series.attrs["kind"]``.
    separate : bool, optional
        Also split the joint effect into one effect per event that the data can tell
        apart (``est.separate``, a :class:`~impact.estimation.separate.SeparateEffects`;
        events that cannot be told apart at the series' resolution are merged, with the
        reason). Default: split daily and weekly estimates with several studied events.

    Returns
    -------
    EffectEstimate

    Notes
    -----
    Windows are inclusive: an event starting on 27 Aug 2023 makes August 2023 the first
    post month, and the baseline is fitted up to July 2023. The estimand is the sum over
    the post-period of observed counts minus the counts the baseline predicts without the
    events; the interval is the central ``level`` interval of that sum over simulated
    counterfactual paths (coefficients from a multivariate t, dispersion, and count noise),
    never a sum of monthly bounds.
    """
    setup = EffectSetup(
        series=series,
        events=events,
        context=context,
        spec=spec,
        level=level,
        seed=seed,
        n_paths=n_paths,
        post_end=post_end,
        pre_start=pre_start,
        pre_events=pre_events,
        exposure=exposure,
        covariates=covariates,
        shape_overrides=shape_overrides,
        team=team,
        data_kind=data_kind,
        separate=separate,
    )
    return fit_effect(setup)


def fit_effect(setup: EffectSetup) -> EffectEstimate:
    """Fit the counterfactual estimate an :class:`EffectSetup` describes.

    :func:`estimate_effect` is this function on a setup built from its arguments; the
    checks of :mod:`impact.diagnostics` call it on variants of ``estimate.setup``.

    Parameters
    ----------
    setup : EffectSetup

    Returns
    -------
    EffectEstimate
        With ``setup`` attached.
    """
    roles = setup.roles
    notes = _identifiability_notes(setup)
    if roles.confounders:
        notes.append(
            "events starting inside the post-period are confounded with the effect and "
            "included in it: "
            + ", ".join(f"{e.id} ({e.name}, {e.start.date()})" for e in roles.confounders)
            + "."
        )
    history = setup.history
    exclude = roles.exclusion_mask(history.index)
    if exclude.any():
        excl_months = ", ".join(str(p) for p in history.index[exclude][:12])
        notes.append(
            f"periods left out of the baseline fit (earlier event windows): {excl_months}."
        )
    fit = fit_baseline(
        history,
        setup.spec,
        breaks=roles.breaks_registry,
        terms=roles.terms_registry,
        exposure=setup.exposure,
        covariates=setup.covariates,
        exclude=exclude,
        shape_overrides=roles.shapes,
    )
    # notes on the series' own data (missing records, sparse, outliers, detected level
    # shifts) are named with the team, so panel reports say whose they are
    own = set(fit.series_notes)
    notes.extend(f"{setup.team}: {w}" if w in own else w for w in fit.warnings)
    rng = np.random.default_rng(setup.seed)
    post_idx = setup.post_index
    obs_post = setup.series.loc[post_idx[0] : post_idx[-1]].to_numpy(dtype=float)
    paths, mean_paths, noise_paths = _simulate_post(fit, post_idx, obs_post, setup.n_paths, rng)
    est = _assemble(
        series=setup.series.loc[setup.pre_start : setup.post_end],
        fit=fit,
        post_idx=post_idx,
        paths=paths,
        mean_paths=mean_paths,
        noise_paths=noise_paths,
        obs_post=obs_post,
        level=setup.level,
        team=setup.team,
        event="+".join(e.id for e in roles.study),
        event_names=" + ".join(e.name for e in roles.study),
        data_kind=setup.data_kind,
        method=fit.method,
        notes=tuple(notes),
        setup=setup,
    )
    return _with_separate(_with_zero_post_note(est))


def _with_zero_post_note(est: EffectEstimate) -> EffectEstimate:
    """``est`` with a warning when post-period months or weeks have 0 calls where the
    baseline expects at least :data:`~impact.baselines.fit.ZERO_RECORD_LEVEL`: such a
    zero is a missing record or a closure, and the effect then measures it."""
    f = est.frame
    if f.index.freqstr.upper().startswith("D"):
        return est
    post = f["is_post"].to_numpy(dtype=bool)
    hit = post & (f["observed"].to_numpy() == 0) & (f["expected"].to_numpy()
                                                      >= ZERO_RECORD_LEVEL)
    if not hit.any():
        return est
    n = int(hit.sum())
    unit = period_unit(f.index)
    note = (
        f"{est.team}: {n} post-period {unit}{'s' if n > 1 else ''} with 0 calls where the "
        f"baseline expects about {float(f['expected'].to_numpy()[hit].mean()):,.0f}: "
        f"{describe_periods(pd.PeriodIndex(f.index), hit)}. Such a zero is a missing record "
        "or a closure, not an effect of the event; the effect counts it as lost calls. "
        "Check the source table, or end the post-period before the gap."
    )
    return dataclasses.replace(est, warnings=(*est.warnings, note))


def _with_separate(est: EffectEstimate) -> EffectEstimate:
    """``est`` with its separate effects when its setup asks for them."""
    setup = est.setup
    if setup is None or not setup.is_split:
        return est
    f = est.frame
    post = f["is_post"].to_numpy()
    try:
        sep = decompose_effect(
            series=setup.series,
            study=EventRegistry(setup.roles.study),
            shapes=dict(setup.roles.shapes),
            post_idx=pd.PeriodIndex(f.index[post]),
            obs_post=f.loc[post, "observed"].to_numpy(dtype=float),
            expected_post=f.loc[post, "expected"].to_numpy(dtype=float),
            mean_paths=est.mean_paths,
            level=est.level,
            seed=setup.seed,
            team=est.team,
            data_kind=est.data_kind,
        )
    except (ValueError, np.linalg.LinAlgError) as exc:
        note = f"the joint effect could not be split into separate effects: {exc}"
        return dataclasses.replace(est, warnings=(*est.warnings, note))
    return dataclasses.replace(est, separate=sep)


def _identifiability_notes(setup: EffectSetup) -> list[str]:
    """Notes on studied events that are estimated jointly (none for a single event)."""
    study = setup.roles.study
    if len(study) < 2:
        return []
    event_label = "+".join(e.id for e in study)
    event_names = " + ".join(e.name for e in study)
    report = check_identifiability(
        EventRegistry(study), setup.series.index, shape_overrides=setup.roles.shapes
    )
    notes = [m for m in report.messages if any(g for g in report.groups)]
    if setup.is_split:
        notes.append(
            f"the counterfactual estimate is the joint effect of {event_label} "
            f"({event_names}); its split into separate effects, for the events the data "
            "can tell apart, is in `separate`."
        )
        return notes
    notes.append(
        f"the counterfactual estimate is the joint effect of {event_label} "
        f"({event_names}); separate effects need the ITS estimator and data at a "
        "resolution that separates them."
    )
    return notes


def _simulate_post(
    fit: BaselineFit,
    post_idx: pd.PeriodIndex,
    obs_post: np.ndarray,
    n_paths: int,
    rng: np.random.Generator,
    innovations: tuple[np.ndarray, np.ndarray] | None = None,
    means: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counterfactual count paths, their means, and zero-mean count noise at the observed
    level.

    The estimand is the expected excess, sum(mu_with - mu_without). Its error has two
    parts: the error of the counterfactual mean (parameter uncertainty: ``mean_paths``)
    and the noise of the observed counts around mu_with, whose variance is that of counts
    at the observed level, not at the counterfactual level. The noise is drawn around the
    path means scaled by the estimated post-period ratio sum(observed) / sum(expected).
    Every backend offers ``simulate_means`` and ``draw_counts`` (the
    :class:`~impact.baselines.spec.Backend` protocol). ``innovations`` (band, noise),
    standard normals of shape (n_paths, periods), drive the count noise through the
    Gaussian copula (used for noise correlated across teams); ``means`` (mean paths,
    weights) replace the backend's own mean draw (a pooled fit draws them for all teams
    at once).
    """
    backend = fit.backend
    band_z, noise_z = innovations if innovations is not None else (None, None)
    mu, w = means if means is not None else backend.simulate_means(post_idx, n_paths, rng)
    paths = backend.draw_counts(mu, w, rng, band_z)
    expected = fit.mean(post_idx).to_numpy()
    ratio = float(np.clip(obs_post.sum() / max(expected.sum(), 1e-9), 0.2, 5.0))
    scaled = mu * ratio
    noise = backend.draw_counts(scaled, w, rng, noise_z) - scaled
    return paths, mu, noise


def _assemble(
    *,
    series: pd.Series,
    fit: BaselineFit | None,
    post_idx: pd.PeriodIndex,
    paths: np.ndarray,
    mean_paths: np.ndarray,
    noise_paths: np.ndarray,
    obs_post: np.ndarray,
    level: float,
    team: str,
    event: str,
    event_names: str,
    data_kind: str,
    method: str,
    notes: tuple[str, ...],
    expected_pre: pd.Series | None = None,
    expected_post: np.ndarray | None = None,
    spec: BaselineSpec | None = None,
    setup: EffectSetup | None = None,
) -> EffectEstimate:
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    if expected_post is None:
        expected_post = fit.mean(post_idx).to_numpy()
    if expected_pre is None:
        expected_pre = fit.fitted
    idx = series.index
    n = len(idx)
    is_post = np.asarray(idx.isin(post_idx), dtype=bool)
    observed = series.to_numpy(dtype=float)
    expected = expected_pre.reindex(idx).to_numpy(dtype=float).copy()
    expected[is_post] = expected_post
    notes_out = list(notes)
    plo, phi = np.quantile(paths, [lo_q, hi_q], axis=0)
    plo, phi = _contain(expected_post, plo, phi, "monthly counterfactual band", notes_out)
    eff_paths = obs_post[None, :] - mean_paths - noise_paths
    elo, ehi = np.quantile(eff_paths, [lo_q, hi_q], axis=0)
    effect = np.where(is_post, observed - expected, np.nan)
    elo, ehi = _contain(effect[is_post], elo, ehi, "monthly effect", notes_out)

    columns = {
        "team": np.full(n, team, dtype=object),
        "observed": observed,
        "expected": expected,
        "expected_lower": _on_post(plo, is_post),
        "expected_upper": _on_post(phi, is_post),
        "effect": effect,
        "effect_lower": _on_post(elo, is_post),
        "effect_upper": _on_post(ehi, is_post),
        "is_post": is_post,
    }
    frame = pd.DataFrame({c: columns[c] for c in EFFECT_COLUMNS},
                         index=pd.PeriodIndex(idx, name="month"))

    obs_sum = float(obs_post.sum())
    cum_paths = eff_paths.sum(axis=1)
    cum = obs_sum - float(np.sum(expected_post))
    cum_lo, cum_hi = np.quantile(cum_paths, [lo_q, hi_q])
    # observed counts are >= 0, so a path's observed level (observed minus its noise) is
    # too: every relative path, and so its interval, is >= -1 (-100%)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_paths = (np.maximum(obs_sum - noise_paths.sum(axis=1), 0.0)
                     / mean_paths.sum(axis=1) - 1)
        rel = obs_sum / float(np.sum(expected_post)) - 1
    rel_paths = rel_paths[np.isfinite(rel_paths)]
    rel_lo, rel_hi = (np.quantile(rel_paths, [lo_q, hi_q]) if len(rel_paths)
                      else (np.nan, np.nan))
    cum, cum_lo, cum_hi = _scalar_interval(cum, cum_lo, cum_hi, "cumulative effect", notes_out)
    rel, rel_lo, rel_hi = _scalar_interval(rel, rel_lo, rel_hi, "relative effect", notes_out,
                                           _NOTE_ATOL / max(float(np.sum(expected_post)), 1.0))
    h = len(post_idx)
    return EffectEstimate(
        team=team,
        event=event,
        event_names=event_names,
        post_start=post_idx[0],
        post_end=post_idx[-1],
        level=level,
        spec=spec or fit.spec,
        baseline=fit,
        frame=frame,
        cumulative_effect=cum,
        cumulative_effect_lower=cum_lo,
        cumulative_effect_upper=cum_hi,
        relative_effect=rel,
        relative_effect_lower=rel_lo,
        relative_effect_upper=rel_hi,
        average_effect=cum / h,
        average_effect_lower=cum_lo / h,
        average_effect_upper=cum_hi / h,
        p_positive=float(np.mean(cum_paths > 0)),
        n_paths=paths.shape[0],
        data_kind=data_kind,
        method=method,
        warnings=tuple(notes_out),
        paths=paths,
        mean_paths=mean_paths,
        noise_paths=noise_paths,
        setup=setup,
        level_shifts=fit.level_shifts if fit is not None else (),
    )


def _on_post(values: np.ndarray, is_post: np.ndarray) -> np.ndarray:
    """``values`` on the post-period rows, NaN before."""
    out = np.full(len(is_post), np.nan)
    out[is_post] = values
    return out


def _contain(
    point: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    what: str,
    notes: list[str],
    atol: float = _NOTE_ATOL,
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds that contain their point estimates, NaN where not finite (noted in ``notes``).

    The point estimate is the plug-in counterfactual mean, the bounds are quantiles of
    simulated paths; when a point lies outside its bounds (a too coarse simulation, or
    paths bent by extreme scales), the interval is extended to the point, with a note
    when it lay more than ``atol`` outside (less is the rounding of simulated whole
    counts around a fractional mean). Non-finite bounds become NaN, never a number.
    """
    point = np.asarray(point, dtype=float)
    lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    finite = np.isfinite(point) & np.isfinite(lower) & np.isfinite(upper)
    outside = finite & ((point < lower) | (point > upper))
    far = finite & ((point < lower - atol) | (point > upper + atol))
    if far.any():
        notes.append(
            f"the point estimate of the {what} lay outside its simulation interval in "
            f"{int(far.sum())} of {far.size} case{'s' if far.size != 1 else ''}; "
            "the interval was extended to include it. Treat the interval with care (more "
            "paths, or a series on a plausible scale, avoid this)."
        )
    if outside.any():
        lower = np.where(outside, np.minimum(lower, point), lower)
        upper = np.where(outside, np.maximum(upper, point), upper)
    bad = ~(np.isfinite(lower) & np.isfinite(upper))
    if bad.any():
        notes.append(
            f"the {what} interval is not estimable in {int(bad.sum())} of {bad.size} "
            f"case{'s' if bad.size != 1 else ''} (non-finite simulated paths); it is "
            "reported as NaN. The baseline does not fit this series; see the other "
            "warnings, or use a coarser resolution."
        )
        lower = np.where(bad, np.nan, lower)
        upper = np.where(bad, np.nan, upper)
    return lower, upper


def _scalar_interval(
    point: float, lower: float, upper: float, what: str, notes: list[str],
    atol: float = _NOTE_ATOL,
) -> tuple[float, float, float]:
    """:func:`_contain` for one point estimate, which becomes NaN when not finite."""
    if not np.isfinite(point):
        notes.append(
            f"the {what} is not estimable (the counterfactual is zero or not finite); it is "
            "reported as NaN."
        )
        return float("nan"), float("nan"), float("nan")
    lo, hi = _contain(np.asarray(point), np.asarray(lower), np.asarray(upper), what, notes,
                      atol)
    return float(point), float(lo), float(hi)


def _number(value: float, fmt: str) -> str:
    """``value`` formatted, or ``"not estimable"`` when it is not finite."""
    return format(value, fmt) if np.isfinite(value) else "not estimable"


def _bounds(lower: float, upper: float, fmt: str) -> str:
    """``"lower to upper"`` formatted, or ``"not estimable"``."""
    if np.isfinite(lower) and np.isfinite(upper):
        return f"{lower:{fmt}} to {upper:{fmt}}"
    return "not estimable"


@dataclasses.dataclass(frozen=True)
class EffectTable:
    """Effects for several teams plus the Flanders total, from one joint simulation.

    Attributes
    ----------
    estimates : tuple of EffectEstimate
        One per team, then the total (``team == "Flanders"``).
    """

    estimates: tuple[EffectEstimate, ...]

    def __getitem__(self, team: str) -> EffectEstimate:
        for e in self.estimates:
            if e.team == team:
                return e
        raise KeyError(f"no estimate for team {team!r}; have {[e.team for e in self.estimates]}")

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(e.team for e in self.estimates)

    def to_frame(self) -> pd.DataFrame:
        """Long frame: one row per team and period, :data:`EFFECT_COLUMNS` plus ``event``."""
        frames = []
        for e in self.estimates:
            f = e.to_frame().reset_index()
            f.insert(1, "event", e.event)
            frames.append(f)
        return pd.concat(frames, ignore_index=True)

    def separate_frame(self) -> pd.DataFrame:
        """Separate effects of every team and the total, long (``SEPARATE_COLUMNS`` of
        :mod:`impact.estimation.separate`); empty when the estimates were not split."""
        frames = [e.separate.to_frame() for e in self.estimates if e.separate is not None]
        if not frames:
            return pd.DataFrame(columns=list(SEPARATE_COLUMNS))
        return pd.concat(frames, ignore_index=True)

    def summary(self) -> Summary:
        """One row per team: cumulative and relative effects with intervals."""
        rows = []
        for e in self.estimates:
            rows.append(
                {
                    "team": e.team,
                    "event": e.event,
                    "cumulative_effect": e.cumulative_effect,
                    "cumulative_effect_lower": e.cumulative_effect_lower,
                    "cumulative_effect_upper": e.cumulative_effect_upper,
                    "relative_effect": e.relative_effect,
                    "relative_effect_lower": e.relative_effect_lower,
                    "relative_effect_upper": e.relative_effect_upper,
                    "p_positive": e.p_positive,
                    "data_kind": e.data_kind,
                }
            )
        table = pd.DataFrame(rows).set_index("team")
        total = self.estimates[-1]
        text = total.summary().text + (
            " Team intervals and the total's interval come from the same simulated paths; "
            "the total's paths are the sums of the team paths."
        )
        return Summary(table=table, text=text)

    def plot(self, *, ax: Any = None) -> Any:
        """Forest plot of relative effects by team with the total."""
        return _plots_effects.plot_forest(self, ax=ax)


def estimate_effects(
    panel: pd.DataFrame,
    registry: EventRegistry | Iterable[Event],
    *,
    spec: BaselineSpec | None = None,
    context: EventRegistry | Iterable[Event] | None = None,
    teams: Iterable[str] | None = None,
    level: float = DEFAULT_LEVEL,
    seed: int = DEFAULT_SEED,
    n_paths: int = DEFAULT_N_PATHS,
    post_end: Any = None,
    pre_start: Any = None,
    pre_events: str = "exclude",
    shape_overrides: dict[str, str] | None = None,
    team_correlation: bool = True,
    pooling: str = "none",
    total: str | None = None,
    separate: bool | None = None,
) -> EffectTable:
    """Estimate the effect of the events in ``registry`` for every team and for the total.

    Parameters
    ----------
    panel : DataFrame
        Canonical long frame (``team``, ``month``, ``calls``), as from
        :func:`impact.load_call_counts`.
    registry : EventRegistry or iterable of Event
        Events under study (see :func:`estimate_effect`); events scoped to one team apply
        to that team only.
    teams : iterable of str, optional
        Teams to include (default all in the panel).
    seed : int
        Study seed; each team's stream is derived from it and the team and event names.
    team_correlation : bool, default True
        Simulate the teams' count noise with the correlation of their baseline residuals
        over the common pre-period, so the Flanders total carries common shocks (national
        news, holidays). ``False`` simulates the teams independently.
    pooling : {"none", "complete"}, default "none"
        ``"none"``: one baseline per team. ``"complete"``: one count GLM for all teams
        (:func:`impact.baselines.pooled.fit_pooled_baseline`: shared seasonality, known
        breaks and dispersion, a level and trend per team), fitted on the teams'
        pre-periods with the same excluded months and breaks as the per-team fits; every
        path draws the coefficients once for all teams, so team paths and their sum are
        jointly coherent. Needs a count GLM family.
    total : str, optional
        Name of the total row (the sum of the teams); default ``panel.attrs["total"]``
        (set by :func:`impact.load_call_counts`), else ``"Flanders"``.
    separate : bool, optional
        As for :func:`estimate_effect`; the total's separate effects sum the teams'
        component paths path by path, so they add up to the team components.

    Other parameters are as for :func:`estimate_effect`.

    Returns
    -------
    EffectTable
        Team estimates and a ``Flanders`` total whose counterfactual paths are the sums
        of the team paths, so the team effects add up to the total exactly (point
        estimates and every simulated path).
    """
    if pooling not in ("none", "complete"):
        raise DataValidationError(
            f"estimate_effects: pooling={pooling!r}; expected 'none' (a baseline per team) "
            "or 'complete' (one pooled count GLM for all teams)."
        )
    reg = as_registry(registry)
    ctx = as_registry(context)
    total_name = total if total is not None else str(panel.attrs.get("total", FLANDERS))
    team_list = list(teams) if teams is not None else sorted(panel["team"].unique())
    if total_name in team_list:
        team_list.remove(total_name)
    # a studied event scoped to a team without data would never apply: say so
    check_event_scopes(reg, team_list, total=total_name)
    kind = panel.attrs.get("kind", "unspecified")
    out: list[EffectEstimate] = []
    event_key = "+".join(e.id for e in reg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        for t in team_list:
            s = _team_series(panel, t)
            s.attrs["kind"] = kind
            try:
                est = estimate_effect(
                    s,
                    reg.filter(scope=t),
                    spec=spec,
                    context=ctx.filter(scope=t),
                    level=level,
                    seed=seed_for(seed, t, event_key),
                    n_paths=n_paths,
                    post_end=post_end,
                    pre_start=pre_start,
                    pre_events=pre_events,
                    shape_overrides=shape_overrides,
                    team=t,
                    data_kind=kind,
                    separate=separate,
                )
            except FitError as exc:
                raise FitError(
                    f"team {t!r}: {exc} In a panel, pass teams=[...] without this team (the "
                    f"{total_name} total then covers the other teams only, and says so)."
                ) from exc
            out.append(est)
    if not out:
        raise DataValidationError("estimate_effects: the panel has no teams.")
    post = [(e.post_start, e.post_end) for e in out]
    if len(set(post)) != 1:
        raise DataValidationError(
            "estimate_effects: teams have different post-periods "
            f"({sorted(set(post))}); scope events to Flanders or analyse teams separately."
        )
    means = None
    if pooling == "complete":
        out, means = _pooled_baselines(out, panel, spec, shape_overrides, seed=seed,
                                       event_key=event_key, n_paths=n_paths)
    corr_note: str | None = "teams simulated independently (team_correlation=False)."
    corr, why = _team_correlation(out) if team_correlation else (None, corr_note[:-1])
    if corr is None and means is not None:  # pooled: shared means, independent noise
        corr = np.eye(len(out))
    if corr is not None:
        out = _correlated_estimates(out, corr, why, seed=seed, event_key=event_key,
                                    n_paths=n_paths, level=level, means=means)
        corr_note = None  # stated in every team's warnings
    else:
        corr_note = why + "."
    first = out[0]
    total_frame = sum(e.frame[["observed", "expected"]] for e in out)
    post_idx = pd.period_range(first.post_start, first.post_end, freq=first.frame.index.freq)
    total_series = total_frame["observed"].copy()
    total = _assemble(
        series=total_series,
        fit=None,
        post_idx=post_idx,
        paths=sum(e.paths for e in out),
        mean_paths=sum(e.mean_paths for e in out),
        noise_paths=sum(e.noise_paths for e in out),
        obs_post=total_series.loc[post_idx].to_numpy(),
        level=level,
        team=total_name,
        event=first.event,
        event_names=first.event_names,
        data_kind=kind,
        method=(
            f"{total_name} total: sum of the team counterfactuals; its paths are the sums "
            "of the team paths."
        ),
        notes=tuple(dict.fromkeys(
            [w for e in out for w in e.warnings] + ([corr_note] if corr_note else []))),
        expected_pre=total_frame["expected"],
        expected_post=total_frame.loc[post_idx, "expected"].to_numpy(),
        spec=first.spec,
    )
    total = dataclasses.replace(total, baseline=first.baseline)
    parts = [e.separate for e in out]
    if all(p is not None for p in parts):
        total = dataclasses.replace(total, separate=sum_separate(
            parts, team=total_name, data_kind=kind, level=level))
    return EffectTable(estimates=(*out, total))


#: Time columns a daily or weekly panel may use (monthly panels use ``month``).
_TIME_COLUMNS: tuple[str, ...] = ("period", "day", "week", "date", "month")


def _team_series(panel: pd.DataFrame, team: str) -> pd.Series:
    """One team's count series: :func:`impact.io.calls.to_series` for a monthly panel; for
    a daily or weekly one (a ``period``/``day``/``week``/``date``/``month`` column of
    daily or weekly periods), the team's rows as a complete series on that index."""
    col = next((c for c in _TIME_COLUMNS if c in panel.columns), None)
    values = panel[col] if col is not None else None
    freq = getattr(getattr(values, "dt", None), "freq", None) if values is not None else None
    if freq is None or str(getattr(freq, "freqstr", freq)).upper().startswith("M"):
        return to_series(panel, team)
    rows = panel[panel["team"] == team]
    if rows.empty:
        raise DataValidationError(
            f"estimate_effects: team {team!r} has no rows; teams in the panel: "
            f"{sorted(panel['team'].unique())}."
        )
    s = pd.Series(rows["calls"].to_numpy(), index=pd.PeriodIndex(rows[col], name=col),
                  name="calls").sort_index()
    return s


def _team_correlation(estimates: list[EffectEstimate]) -> tuple[np.ndarray | None, str]:
    """Correlation of the teams' Pearson residuals over their common fitted periods
    (:func:`impact.baselines.noise.team_correlation`), in the order of ``estimates``."""
    if len(estimates) < 2:
        return None, "one team: no cross-team correlation"
    resid = pd.concat(
        [e.baseline.to_frame()["pearson_residual"]
         .where(~e.baseline.excluded.astype(bool)).rename(e.team)
         for e in estimates],
        axis=1,
    )
    return team_correlation(resid)


def _pooled_baselines(
    estimates: list[EffectEstimate],
    panel: pd.DataFrame,
    spec: BaselineSpec | None,
    shape_overrides: dict[str, str] | None,
    *,
    seed: int,
    event_key: str,
    n_paths: int,
) -> tuple[list[EffectEstimate], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Swap every team's baseline for its view of one pooled fit, and draw the teams'
    post-period mean paths from one shared coefficient draw per path.

    The pooled fit sees each team's pre-period with the months its own fit excluded, and
    the known breaks and nuisance event terms of the per-team fits as shared regressors
    (each scoped to its teams).
    """
    spec = spec or BaselineSpec()
    first = estimates[0]
    post_idx = pd.period_range(first.post_start, first.post_end, freq=first.frame.index.freq)
    rows, excluded, events = [], [], {}
    for e in estimates:
        fit = e.baseline
        rows.append(pd.DataFrame({"team": e.team, "month": fit.history.index,
                                  "calls": fit.history.to_numpy()}))
        excluded.append(pd.Series(
            fit.excluded.to_numpy(dtype=bool),
            index=pd.MultiIndex.from_arrays([[e.team] * len(fit.history), fit.history.index]),
        ))
    # the known breaks and nuisance terms the per-team fits model (events.roles decides
    # them, once per team); the pooled fit models their union, each scoped to its teams
    shapes: dict[str, str] = {}
    for e in estimates:
        roles = e.setup.roles
        for ev in (*roles.breaks, *roles.terms):
            events.setdefault(ev.id, ev)
        shapes.update(roles.shapes)
    history = pd.concat(rows, ignore_index=True)
    if "kind" in panel.attrs:
        history.attrs["kind"] = panel.attrs["kind"]
    overrides = {**shapes, **(shape_overrides or {})}
    pooled: PooledFit = fit_pooled_baseline(
        history,
        spec,
        teams=[e.team for e in estimates],
        breaks=EventRegistry(tuple(events.values())) if events else None,
        exclude=pd.concat(excluded),
        shape_overrides=overrides,
    )
    swapped = [
        dataclasses.replace(e, baseline=pooled.fit_for(e.team), method=pooled.method)
        for e in estimates
    ]
    mus, w = pooled.simulate_means(
        post_idx, n_paths=n_paths, seed=seed_for(seed, "pooled", event_key)
    )
    return swapped, {t: (mu, w) for t, mu in mus.items()}


def _correlated_estimates(
    estimates: list[EffectEstimate],
    corr: np.ndarray,
    note: str,
    *,
    seed: int,
    event_key: str,
    n_paths: int,
    level: float,
    means: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
) -> list[EffectEstimate]:
    """Re-simulate the teams' post-period paths with count noise correlated across teams.

    Coefficient draws stay independent per team (the teams are fitted separately) unless
    ``means`` gives each team's mean paths and weights (a pooled fit: one coefficient draw
    per path for all teams); the copula innovations of the count noise are drawn jointly
    with correlation ``corr``, so the Flanders total (the sum of the team paths) carries
    the teams' common shocks.
    """
    first = estimates[0]
    post_idx = pd.period_range(first.post_start, first.post_end, freq=first.frame.index.freq)
    h, k = len(post_idx), len(estimates)
    # draw in team-name order so that results do not depend on processing order
    order = sorted(range(k), key=lambda i: estimates[i].team)
    chol = np.linalg.cholesky(corr[np.ix_(order, order)])
    joint = np.random.default_rng(seed_for(seed, "team-correlation", event_key))
    band_sorted = joint.standard_normal((n_paths, h, k)) @ chol.T
    noise_sorted = joint.standard_normal((n_paths, h, k)) @ chol.T
    position = {i: j for j, i in enumerate(order)}
    band = band_sorted[:, :, [position[i] for i in range(k)]]
    noise = noise_sorted[:, :, [position[i] for i in range(k)]]
    out = []
    for i, e in enumerate(estimates):
        rng = np.random.default_rng(seed_for(seed, e.team, event_key, "correlated"))
        obs_post = e.frame.loc[e.frame["is_post"], "observed"].to_numpy()
        paths, mean_paths, noise_paths = _simulate_post(
            e.baseline, post_idx, obs_post, n_paths, rng,
            innovations=(band[:, :, i], noise[:, :, i]),
            means=None if means is None else means[e.team],
        )
        out.append(
            _assemble(
                series=e.frame["observed"],
                fit=e.baseline,
                post_idx=post_idx,
                paths=paths,
                mean_paths=mean_paths,
                noise_paths=noise_paths,
                obs_post=obs_post,
                level=level,
                team=e.team,
                event=e.event,
                event_names=e.event_names,
                data_kind=e.data_kind,
                method=e.method,
                notes=(*e.warnings, note + "."),
                setup=e.setup,
            )
        )
        out[-1] = _with_separate(out[-1])
    return out
