"""An event: a dated campaign, news event, capacity or registration change.

:class:`Event` is dated to the day; the constants name its kinds and shapes, which kinds
are known breaks by default (:data:`BASELINE_KINDS`) and the default lengths of shapes
without an end date. The registry (:mod:`impact.events.registry`), the regressors
(:mod:`impact.events.regressors`), the identifiability check
(:mod:`impact.events.identifiability`) and the roles (:mod:`impact.events.roles`) all
build on this module.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

import pandas as pd

from impact._core.exceptions import EventError

__all__ = [
    "BASELINE_KINDS",
    "DEFAULT_BUMP_DAYS",
    "DEFAULT_HALF_LIFE_DAYS",
    "DEFAULT_IDENTIFIABILITY_THRESHOLD",
    "DEFAULT_RAMP_DAYS",
    "EFFECT_KINDS",
    "EVENT_KINDS",
    "EVENT_SHAPES",
    "REGRESSOR_SHAPES",
    "Event",
    "apply_shapes",
]

#: Kinds an event may have (DESIGN.md section 4).
EVENT_KINDS: tuple[str, ...] = (
    "news",
    "campaign",
    "capacity",
    "registration",
    "policy",
    "pandemic",
)
#: Kinds that are baseline terms by default (known breaks).
BASELINE_KINDS: tuple[str, ...] = ("capacity", "registration", "pandemic")
#: Kinds whose effect is under study by default.
EFFECT_KINDS: tuple[str, ...] = ("news", "campaign")
#: Shapes an event may take. ``unknown`` is allowed in the file; it must be given a
#: concrete shape before it is turned into a regressor.
EVENT_SHAPES: tuple[str, ...] = ("pulse", "step", "bump", "decay", "ramp", "unknown")
#: Shapes that can be turned into a regressor (every shape but ``unknown``).
REGRESSOR_SHAPES: tuple[str, ...] = tuple(s for s in EVENT_SHAPES if s != "unknown")

#: Length in days of a ``bump`` without an end date.
DEFAULT_BUMP_DAYS: int = 28
#: Half-life in days of a ``decay`` event without its own half-life.
DEFAULT_HALF_LIFE_DAYS: float = 30.0
#: Days a ``ramp`` without an end date takes to rise from 0 to 1.
DEFAULT_RAMP_DAYS: int = 90
#: Absolute regressor correlation above which two events cannot be told apart.
DEFAULT_IDENTIFIABILITY_THRESHOLD: float = 0.9

@dataclasses.dataclass(frozen=True)
class Event:
    """A dated campaign, news event or known break.

    Parameters
    ----------
    id : str
        Stable identifier (``"E048"``).
    name : str
        Human-readable name.
    kind : str
        One of :data:`EVENT_KINDS`.
    start : pandas.Timestamp
        First day the event is in force (inclusive).
    end : pandas.Timestamp or None, default None
        Last day of the event (inclusive); ``None`` for open-ended or one-day events.
        How the end date is used depends on the shape; see :func:`event_regressor`.
    scope : str, default "Flanders"
        ``"Flanders"`` (all teams) or a team name.
    shape : str, default "step"
        One of :data:`EVENT_SHAPES`.
    half_life : float or None, default None
        Half-life in days for ``decay`` events.
    source : str, default ""
        URL or citation of the source that dates the event.
    note : str, default ""
        Free-text caveats (approximate dates, presumed episodes, ...).
    name_nl : str, default ""
        The name in Dutch, shown in the Dutch reports (:meth:`display_name`); empty when
        the registry has none.
    origin : str, default ""
        Where the event was read from (``"data/events/events.csv, line 49"``), used in
        error messages. Not part of equality and not shown by ``repr``.
    """

    id: str
    name: str
    kind: str
    start: pd.Timestamp
    end: pd.Timestamp | None = None
    scope: str = "Flanders"
    shape: str = "step"
    half_life: float | None = None
    source: str = ""
    note: str = ""
    name_nl: str = ""
    origin: str = dataclasses.field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise EventError(f"event id must be a non-empty string, got {self.id!r}.")
        where = f"event {self.id!r}"
        if self.kind not in EVENT_KINDS:
            raise EventError(
                f"{where}: unknown kind {self.kind!r}; expected one of {', '.join(EVENT_KINDS)}."
            )
        if self.shape not in EVENT_SHAPES:
            raise EventError(
                f"{where}: unknown shape {self.shape!r}; expected one of {', '.join(EVENT_SHAPES)}."
            )
        start = _to_day(self.start, f"{where}: start")
        object.__setattr__(self, "start", start)
        if self.end is not None and not (isinstance(self.end, float) and pd.isna(self.end)):
            end = _to_day(self.end, f"{where}: end")
            if end < start:
                raise EventError(
                    f"{where}: end {end.date()} is before start {start.date()}; "
                    "swap them or leave end empty for a one-day or open-ended event."
                )
            object.__setattr__(self, "end", end)
        else:
            object.__setattr__(self, "end", None)
        if self.half_life is not None and not self.half_life > 0:
            raise EventError(f"{where}: half_life must be > 0 days, got {self.half_life!r}.")

    @property
    def is_baseline_term(self) -> bool:
        """Whether the event is a baseline term (known break) by default."""
        return self.kind in BASELINE_KINDS

    def display_name(self, lang: str = "en") -> str:
        """The name in ``lang``: :attr:`name_nl` for ``"nl"`` when it is set, else
        :attr:`name`."""
        return self.name_nl if lang == "nl" and self.name_nl else self.name

    def with_shape(self, shape: str, *, half_life: float | None = None) -> Event:
        """Return a copy with another shape (and half-life for ``decay``)."""
        return dataclasses.replace(self, shape=shape, half_life=half_life)


def _to_day(value: object, where: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise EventError(
            f"{where}: cannot read {value!r} as a date; write it as YYYY-MM-DD."
        ) from exc
    if pd.isna(ts):
        raise EventError(f"{where}: date is missing; write it as YYYY-MM-DD.")
    return ts.normalize()


def _describe(event: Event) -> str:
    """``E048 (Pichal case becomes public, 2023-08-27)``."""
    return f"{event.id} ({event.name}, {event.start.date()})"


def _locate(event: Event) -> str:
    """``event 'E054' (data/events/events.csv, line 56)`` or ``event 'E054'``."""
    return f"event {event.id!r}" + (f" ({event.origin})" if event.origin else "")


def _unique_events(events: Iterable[Event]) -> tuple[Event, ...]:
    """The events as a tuple, checked to be :class:`Event` objects with unique ids."""
    events = tuple(events)
    seen: dict[str, Event] = {}
    for ev in events:
        if not isinstance(ev, Event):
            raise EventError(f"EventRegistry takes Event objects, got {type(ev).__name__}.")
        if ev.id in seen:
            where = [e.origin for e in (seen[ev.id], ev) if e.origin]
            at = f" ({' and '.join(where)})" if where else ""
            raise EventError(
                f"duplicate event id {ev.id!r}{at}; ids must be unique. "
                "Give one of them another id."
            )
        seen[ev.id] = ev
    return events


def apply_shapes(
    events: Iterable[Event], shape_overrides: Mapping[str, str] | None
) -> tuple[Event, ...]:
    """Return the events with the shapes of some replaced.

    Parameters
    ----------
    events : iterable of Event
    shape_overrides : mapping of str to str or None
        Event id to shape (one of :data:`REGRESSOR_SHAPES`). Ids not among the events are
        ignored. A ``decay`` keeps the event's own half-life.

    Returns
    -------
    events : tuple of Event

    Raises
    ------
    EventError
        If ``shape_overrides`` is not a mapping or a shape is not one of
        :data:`REGRESSOR_SHAPES`.
    """
    events = tuple(events)
    if not shape_overrides:
        return events
    if not isinstance(shape_overrides, Mapping):
        raise EventError(
            "shape_overrides must be a dict of event id to shape, got "
            f"{type(shape_overrides).__name__}."
        )
    for event_id, shape in shape_overrides.items():
        if shape not in REGRESSOR_SHAPES:
            raise EventError(
                f"shape_overrides[{event_id!r}] is {shape!r}; expected one of "
                f"{', '.join(REGRESSOR_SHAPES)}."
            )
    return tuple(
        dataclasses.replace(e, shape=shape_overrides[e.id]) if e.id in shape_overrides else e
        for e in events
    )
