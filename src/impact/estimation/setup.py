"""What an effect estimate is set up with, validated once.

:class:`EffectSetup` holds the series, the events under study and their context, the
baseline spec, the post-period and fitted history, the interval level, the random stream
and the optional exposure and covariates of one counterfactual effect estimate. Its
constraints are checked in ``__post_init__`` by one helper that names the parameter, and
the events are sorted into roles there (:func:`impact.events.roles.assign_roles`), so a
bad setup fails before any fitting. :func:`impact.estimation.counterfactual.estimate_effect`
builds one; the fitted :class:`~impact.estimation.counterfactual.EffectEstimate` carries it
(``est.setup``), and the checks in :mod:`impact.diagnostics` re-run the estimator on
variants of it (``dataclasses.replace(est.setup, ...)``), so they test exactly the
estimator that made the estimate.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS, DEFAULT_SEED, MIN_N_PATHS
from impact._core.exceptions import DataValidationError, EventError
from impact._core.validation import check_int, validate_level, validate_series
from impact.baselines import BaselineSpec
from impact.events.event import BASELINE_KINDS, Event
from impact.events.registry import EventRegistry
from impact.events.roles import PRE_EVENTS, EventRoles, assign_roles

__all__ = ["EffectSetup", "as_registry"]


def as_registry(events: Event | EventRegistry | Iterable[Event] | None) -> EventRegistry:
    """Return ``events`` as an :class:`EventRegistry` (``None`` gives an empty one)."""
    if events is None:
        return EventRegistry(())
    if isinstance(events, EventRegistry):
        return events
    if isinstance(events, Event):
        return EventRegistry((events,))
    return EventRegistry(tuple(events))


def _require(ok: bool, name: str, value: object, expected: str) -> None:
    """Raise :class:`DataValidationError` naming the parameter unless ``ok``."""
    if not ok:
        raise DataValidationError(f"{name}={value!r}; expected {expected}.")


@dataclasses.dataclass(frozen=True)
class EffectSetup:
    """The inputs of one counterfactual effect estimate (see :func:`estimate_effect`).

    Parameters
    ----------
    series : Series
        Complete count series (``PeriodIndex``).
    events : Event, EventRegistry or iterable of Event
        The events under study (stored as an :class:`EventRegistry`).
    context : EventRegistry or iterable of Event, optional
        Other registered events (stored as an :class:`EventRegistry`).
    spec : BaselineSpec, optional
        Baseline; default ``BaselineSpec()``.
    level : float, default 0.95
    seed : int, Generator or SeedSequence, optional
    n_paths : int, default 2000
        Simulated paths; at least :data:`impact._core.constants.MIN_N_PATHS` (200).
    post_end, pre_start : period-like, optional
        Last post period and first fitted period (inclusive); default the ends of the
        series. Stored as periods.
    pre_events : {"exclude", "model"}, default "exclude"
    exposure : Series, optional
    covariates : DataFrame, optional
    shape_overrides : dict, optional
    team : str, optional
        Default ``series.name`` (``"series"`` when unnamed or named ``calls``).
    data_kind : str, optional
        Default ``series.attrs["kind"]`` or ``"unspecified"``.
    separate : bool, optional
        Split the joint effect of several studied events into separate effects
        (:func:`impact.estimation.separate.decompose_effect`). Default (``None``): split
        when the series is finer than monthly (daily or weekly) and more than one event
        is under study; monthly estimates are not split unless ``True``.

    Attributes
    ----------
    roles : EventRoles
        The events sorted into studied effects, breaks and nuisance terms.
    post_start : Period
        First post period: the period holding the earliest start of a studied event.

    Raises
    ------
    EventError
        No event under study, or only events of a baseline kind.
    DataValidationError
        Invalid level, ``n_paths``, ``pre_events``, series, or windows outside the series.
    """

    series: pd.Series = dataclasses.field(repr=False)
    events: Any
    context: Any = None
    spec: BaselineSpec | None = None
    level: float = DEFAULT_LEVEL
    seed: int | np.random.Generator | np.random.SeedSequence | None = DEFAULT_SEED
    n_paths: int = DEFAULT_N_PATHS
    post_end: Any = None
    pre_start: Any = None
    pre_events: str = "exclude"
    exposure: pd.Series | None = dataclasses.field(default=None, repr=False)
    covariates: pd.DataFrame | None = dataclasses.field(default=None, repr=False)
    shape_overrides: Mapping[str, str] | None = None
    team: str | None = None
    data_kind: str | None = None
    separate: bool | None = None
    roles: EventRoles = dataclasses.field(init=False, repr=False, compare=False)
    post_start: pd.Period = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "level", validate_level(self.level))
        put(self, "n_paths", check_int(self.n_paths, "n_paths", minimum=MIN_N_PATHS))
        _require(self.pre_events in PRE_EVENTS, "pre_events", self.pre_events,
                 "'exclude' or 'model'")
        series = validate_series(self.series, name="series")
        put(self, "series", series)
        put(self, "spec", self.spec or BaselineSpec())
        reg, ctx = as_registry(self.events), as_registry(self.context)
        put(self, "events", reg)
        put(self, "context", ctx)
        if not len(reg):
            raise EventError("estimate_effect needs at least one event under study; got none.")
        study = [e for e in reg if e.kind not in BASELINE_KINDS]
        if not study:
            raise EventError(
                "estimate_effect: every event given is a baseline kind (capacity, "
                "registration, pandemic); pass the news or campaign events whose effect you "
                "want as `events` and the breaks as `context`."
            )
        idx = series.index
        freq = idx.freq
        post0 = min(e.start for e in study).to_period(freq)
        post1 = idx[-1] if self.post_end is None else pd.Period(self.post_end, freq=freq)
        pre0 = idx[0] if self.pre_start is None else pd.Period(self.pre_start, freq=freq)
        if post0 <= idx[0] or post0 > idx[-1]:
            raise DataValidationError(
                f"the events under study start in {post0}, outside the series ({idx[0]} to "
                f"{idx[-1]}) or at its first period; a counterfactual needs a pre-period."
            )
        if post1 < post0 or post1 > idx[-1]:
            raise DataValidationError(
                f"post_end {post1} must lie between the post start {post0} and the series "
                f"end {idx[-1]}."
            )
        if pre0 >= post0:
            raise DataValidationError(f"pre_start {pre0} must be before the post start {post0}.")
        put(self, "post_start", post0)
        put(self, "post_end", post1)
        put(self, "pre_start", pre0)
        if self.team is None:
            put(self, "team", str(series.name) if series.name not in (None, "calls")
                else "series")
        if self.data_kind is None:
            put(self, "data_kind", series.attrs.get("kind", "unspecified"))
        _require(self.separate in (None, True, False), "separate", self.separate,
                 "None, True or False")
        put(self, "roles", assign_roles(
            reg, ctx, shape_overrides=self.shape_overrides, post_start=post0, post_end=post1,
            pre_events=self.pre_events,
        ))

    @property
    def event_key(self) -> str:
        """The ids of the events under study joined by ``+`` (names the random streams)."""
        return "+".join(self.events.ids)

    @property
    def is_split(self) -> bool:
        """Whether the joint effect is split into separate effects (see ``separate``)."""
        if len(self.roles.study) < 2:
            return False
        if self.separate is None:
            return not self.series.index.freqstr.upper().startswith("M")
        return bool(self.separate)

    @property
    def history(self) -> pd.Series:
        """The fitted history: ``pre_start`` to the period before ``post_start``."""
        return self.series.loc[self.pre_start : self.post_start - 1]

    @property
    def post_index(self) -> pd.PeriodIndex:
        """The post-period, ``post_start`` to ``post_end`` inclusive."""
        return pd.period_range(self.post_start, self.post_end, freq=self.series.index.freq)
