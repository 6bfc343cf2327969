"""Event roles: which events are studied, which are known breaks, which are nuisance terms.

Every estimator and check sorts events the same way, here and nowhere else
(:func:`assign_roles`, returning :class:`EventRoles`):

- **studied effects**: the events passed as under study that are not of a baseline kind
  (news, campaign, policy);
- **known breaks** (baseline terms): events of a baseline kind (capacity, registration,
  pandemic), whether passed as studied or as context, that start by the end of the
  post-period;
- **nuisance terms**: other context events that start before the post-period. With
  ``pre_events="exclude"`` those with a window shape (:data:`WINDOW_SHAPES`) are left out
  of the fit (their periods with exposure above :data:`IN_WINDOW` are excluded); steps and
  ramps, and every one with ``pre_events="model"``, are modelled as regressors;
- **confounders**: context events and breaks that start inside the post-period; they are
  not modelled and are reported, their effect is part of the estimate.

Events of shape ``unknown`` get a concrete shape (:func:`default_shapes`): a known break
is a ``bump`` when it has an end date and a ``step`` otherwise; any other event is a
``bump``. Shapes given by the caller take precedence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from impact._core.exceptions import DataValidationError
from impact.events.event import BASELINE_KINDS, Event
from impact.events.registry import EventRegistry

__all__ = [
    "IN_WINDOW",
    "PRE_EVENTS",
    "WINDOW_SHAPES",
    "EventRoles",
    "assign_roles",
    "default_shapes",
    "is_windowed",
]

#: Shapes of events whose periods are left out of a fit (``pre_events="exclude"``).
WINDOW_SHAPES: tuple[str, ...] = ("pulse", "bump", "decay")
#: Exposure above which a period counts as inside an event window.
IN_WINDOW: float = 0.05
#: How earlier news/campaign events with a window shape are handled.
PRE_EVENTS: tuple[str, ...] = ("exclude", "model")


def default_shapes(
    events: Iterable[Event], shape_overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Concrete shapes for the ``unknown`` events, then the caller's overrides.

    A known break (baseline kind) of shape ``unknown`` is a ``bump`` when it has an end
    date and a ``step`` otherwise; any other ``unknown`` event is a ``bump``. Entries of
    ``shape_overrides`` replace these defaults.
    """
    out: dict[str, str] = {}
    for e in events:
        if e.shape == "unknown":
            out[e.id] = "bump" if (e.kind not in BASELINE_KINDS or e.end is not None) else "step"
    out.update(shape_overrides or {})
    return out


@dataclasses.dataclass(frozen=True)
class EventRoles:
    """Events sorted into their roles for one estimate (see the module docstring).

    Attributes
    ----------
    study : tuple of Event
        Events whose (joint) effect is estimated, in the given order.
    breaks : tuple of Event
        Known breaks modelled in the baseline.
    terms : tuple of Event
        Nuisance events modelled as regressors.
    excluded : tuple of Event
        Nuisance events whose windows are left out of the fit.
    confounders : tuple of Event
        Events starting inside the post-period (reported, not modelled).
    shapes : dict of str to str
        Concrete shapes for ``unknown`` events and the caller's overrides.
    """

    study: tuple[Event, ...]
    breaks: tuple[Event, ...]
    terms: tuple[Event, ...]
    excluded: tuple[Event, ...]
    confounders: tuple[Event, ...]
    shapes: dict[str, str]

    def shape_of(self, event: Event) -> str:
        """The concrete shape the estimators use for ``event``."""
        return self.shapes.get(event.id, event.shape)

    @property
    def breaks_registry(self) -> EventRegistry | None:
        """The known breaks as a registry, ``None`` when there are none."""
        return EventRegistry(self.breaks) if self.breaks else None

    @property
    def terms_registry(self) -> EventRegistry | None:
        """The nuisance terms as a registry, ``None`` when there are none."""
        return EventRegistry(self.terms) if self.terms else None

    def exclusion_mask(self, index: pd.PeriodIndex) -> np.ndarray:
        """Periods of ``index`` inside the window of an excluded event (boolean array)."""
        if not self.excluded:
            return np.zeros(len(index), dtype=bool)
        x = EventRegistry(self.excluded).to_regressors(index, shape_overrides=self.shapes)
        return (x.to_numpy() > IN_WINDOW).any(axis=1)


def is_windowed(event: Event, shapes: Mapping[str, str]) -> bool:
    """Whether ``event`` is a news/campaign/policy event with a window shape."""
    return event.kind not in BASELINE_KINDS and shapes.get(event.id, event.shape) in (
        WINDOW_SHAPES
    )


def assign_roles(
    events: Iterable[Event] = (),
    context: Iterable[Event] = (),
    *,
    shape_overrides: Mapping[str, str] | None = None,
    post_start: pd.Period | None = None,
    post_end: pd.Period | None = None,
    pre_events: str = "exclude",
) -> EventRoles:
    """Sort events into studied effects, known breaks, nuisance terms and confounders.

    Parameters
    ----------
    events : iterable of Event
        The events under study; those of a baseline kind are known breaks.
    context : iterable of Event
        Other registered events; an id also in ``events`` is taken from ``events``.
    shape_overrides : mapping of str to str, optional
        Shapes by event id, replacing the defaults of :func:`default_shapes`.
    post_start, post_end : Period, optional
        The post-period (inclusive). Without ``post_start`` every context event counts as
        before the post-period (a fit on history only, as in backtests); without
        ``post_end`` no break is dropped for starting after it.
    pre_events : {"exclude", "model"}, default "exclude"
        Earlier news/campaign events with a window shape: leave their periods out of the
        fit (``exclude``) or model them as regressors (``model``).

    Returns
    -------
    EventRoles

    Raises
    ------
    DataValidationError
        If ``pre_events`` is not one of :data:`PRE_EVENTS`.
    """
    if pre_events not in PRE_EVENTS:
        raise DataValidationError(f"pre_events={pre_events!r}; expected 'exclude' or 'model'.")
    events, context = tuple(events), tuple(context)
    study = [e for e in events if e.kind not in BASELINE_KINDS]
    breaks = [e for e in events if e.kind in BASELINE_KINDS]
    given = {e.id for e in events}
    nuisance: list[Event] = []
    for e in context:
        if e.id in given:
            continue
        (breaks if e.kind in BASELINE_KINDS else nuisance).append(e)
    shapes = default_shapes([*events, *context], shape_overrides)

    def period(e: Event) -> pd.Period:
        freq = (post_start if post_start is not None else post_end).freq
        return e.start.to_period(freq)

    before = [e for e in nuisance if post_start is None or period(e) < post_start]
    confounders: list[Event] = []
    if post_start is not None:
        last = post_end
        inside = (lambda e: post_start <= period(e)) if last is None else (
            lambda e: post_start <= period(e) <= last
        )
        confounders = [e for e in nuisance if inside(e)] + [e for e in breaks if inside(e)]
    if post_end is not None:
        breaks = [e for e in breaks if period(e) <= post_end]
    excluded = [e for e in before if pre_events == "exclude" and is_windowed(e, shapes)]
    terms = [e for e in before if e not in excluded]
    return EventRoles(
        study=tuple(study),
        breaks=tuple(breaks),
        terms=tuple(terms),
        excluded=tuple(excluded),
        confounders=tuple(confounders),
        shapes=shapes,
    )
