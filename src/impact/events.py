"""Event registry: campaigns, news events, capacity and registration changes.

An :class:`Event` is dated to the day. :class:`EventRegistry` holds events, filters
them, and turns them into regressors at the resolution of a period index.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from impact.exceptions import EventError

__all__ = [
    "BASELINE_KINDS",
    "EFFECT_KINDS",
    "EVENT_KINDS",
    "EVENT_SHAPES",
    "Event",
    "EventRegistry",
    "load_events",
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

_REQUIRED_COLUMNS = ("id", "name", "kind", "start_date")


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
                f"{where}: unknown shape {self.shape!r}; expected one of "
                f"{', '.join(EVENT_SHAPES)}."
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


class EventRegistry:
    """An ordered, immutable collection of :class:`Event` with unique ids.

    Parameters
    ----------
    events : iterable of Event
        The events. Ids must be unique.
    """

    def __init__(self, events: Iterable[Event] = ()) -> None:
        events = tuple(events)
        seen: set[str] = set()
        for ev in events:
            if not isinstance(ev, Event):
                raise EventError(f"EventRegistry takes Event objects, got {type(ev).__name__}.")
            if ev.id in seen:
                raise EventError(f"duplicate event id {ev.id!r}; ids must be unique.")
            seen.add(ev.id)
        self._events = events

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)

    def __getitem__(self, event_id: str) -> Event:
        for ev in self._events:
            if ev.id == event_id:
                return ev
        raise KeyError(
            f"no event with id {event_id!r}; known ids: {', '.join(e.id for e in self._events)}"
        )

    def __contains__(self, event_id: object) -> bool:
        return any(ev.id == event_id for ev in self._events)

    def __repr__(self) -> str:
        return f"EventRegistry({len(self)} events)"

    @property
    def ids(self) -> tuple[str, ...]:
        """Event ids in registry order."""
        return tuple(ev.id for ev in self._events)

    def filter(
        self,
        *,
        kinds: Iterable[str] | None = None,
        scope: str | None = None,
        start: object | None = None,
        end: object | None = None,
        ids: Iterable[str] | None = None,
    ) -> EventRegistry:
        """Return the events that match every given criterion.

        Parameters
        ----------
        kinds : iterable of str, optional
            Keep events of these kinds.
        scope : str, optional
            Keep events that apply to this team: its own and the ``"Flanders"`` ones.
            ``scope="Flanders"`` keeps only Flanders-wide events.
        start, end : date-like, optional
            Keep events in force at some day in ``[start, end]`` (inclusive).
        ids : iterable of str, optional
            Keep these ids (unknown ids raise :class:`EventError`).
        """
        out = list(self._events)
        if kinds is not None:
            kinds = tuple(kinds)
            bad = [k for k in kinds if k not in EVENT_KINDS]
            if bad:
                raise EventError(f"unknown kind(s) {bad}; expected any of {', '.join(EVENT_KINDS)}.")
            out = [e for e in out if e.kind in kinds]
        if scope is not None:
            out = [e for e in out if e.scope in (scope, "Flanders")]
        if start is not None:
            s = _to_day(start, "filter start")
            out = [e for e in out if (e.end or e.start) >= s]
        if end is not None:
            t = _to_day(end, "filter end")
            out = [e for e in out if e.start <= t]
        if ids is not None:
            ids = tuple(ids)
            missing = [i for i in ids if i not in self]
            if missing:
                raise EventError(f"unknown event id(s) {missing}; known: {', '.join(self.ids)}.")
            out = [e for e in out if e.id in ids]
        return EventRegistry(out)

    def to_frame(self) -> pd.DataFrame:
        """One row per event with the fields of :class:`Event`."""
        rows = [dataclasses.asdict(e) for e in self._events]
        cols = [f.name for f in dataclasses.fields(Event)]
        return pd.DataFrame(rows, columns=cols)


def load_events(path: str | Path) -> EventRegistry:
    """Read an event file (CSV) into an :class:`EventRegistry`.

    The file has columns ``id, name, kind, start_date`` and optionally ``end_date``,
    ``scope``, ``expected_shape`` (or ``shape``), ``half_life``, ``source_url`` (or
    ``source``) and ``note``. Empty shapes are read as ``unknown``.

    Raises
    ------
    EventError
        When a required column is missing or a row is invalid; the message names the
        file and the row.
    """
    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError as exc:
        raise EventError(f"event file {path} does not exist.") from exc
    except UnicodeDecodeError as exc:
        raise EventError(f"event file {path} is not UTF-8 text; save it as UTF-8 CSV.") from exc
    missing = [c for c in _REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise EventError(
            f"event file {path}: missing column(s) {', '.join(missing)}; "
            f"required: {', '.join(_REQUIRED_COLUMNS)}."
        )
    events = []
    for i, row in enumerate(df.to_dict("records"), start=2):
        shape = (row.get("expected_shape") or row.get("shape") or "unknown").strip()
        half_life = row.get("half_life", "").strip()
        try:
            events.append(
                Event(
                    id=row["id"].strip(),
                    name=row["name"].strip(),
                    kind=row["kind"].strip(),
                    start=row["start_date"].strip(),
                    end=(row.get("end_date") or "").strip() or None,
                    scope=(row.get("scope") or "Flanders").strip(),
                    shape=shape,
                    half_life=float(half_life) if half_life else None,
                    source=(row.get("source_url") or row.get("source") or "").strip(),
                    note=(row.get("note") or "").strip(),
                )
            )
        except EventError as exc:
            raise EventError(f"event file {path}, line {i}: {exc}") from exc
    try:
        return EventRegistry(events)
    except EventError as exc:
        raise EventError(f"event file {path}: {exc}") from exc
