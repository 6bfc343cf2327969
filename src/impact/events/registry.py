"""Event registry: campaigns, news events, capacity and registration changes.

An :class:`Event` is dated to the day. :class:`EventRegistry` holds events, filters
them, and turns them into regressors at the resolution of a period index
(:func:`event_regressor`, :meth:`EventRegistry.to_regressors`). Events whose regressors
cannot be told apart at that resolution are found by :func:`check_identifiability` and
merged into one joint effect by :meth:`EventRegistry.merge_unidentifiable`.

The regressors are built in :mod:`impact.events.regressors` and the identifiability check lives
in :mod:`impact.events.identifiability`; both import :class:`Event` and the constants from here,
so their public names (:func:`event_regressor`, :func:`check_identifiability`,
:class:`IdentifiabilityReport`) are re-exported lazily by this module's ``__getattr__``
and stay importable from ``impact.events.registry``.
"""

from __future__ import annotations

import dataclasses
import importlib
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from impact._core.exceptions import EventError, IdentifiabilityWarning

if TYPE_CHECKING:
    from impact.events.identifiability import IdentifiabilityReport, check_identifiability
    from impact.events.regressors import event_regressor

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
    "EventRegistry",
    "IdentifiabilityReport",
    "check_identifiability",
    "event_regressor",
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


# ---------------------------------------------------------------------------------------
# Registry


class EventRegistry:
    """An ordered, immutable collection of :class:`Event` with unique ids.

    Parameters
    ----------
    events : iterable of Event
        The events. Ids must be unique.
    """

    def __init__(self, events: Iterable[Event] = ()) -> None:
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

        Notes
        -----
        For the date range an event counts as in force from its start to its end date,
        and on its start day only when it has no end date. An open-ended step that
        started before ``start`` is therefore dropped: it is constant on the window.
        """
        out = list(self._events)
        if kinds is not None:
            kinds = tuple(kinds)
            bad = [k for k in kinds if k not in EVENT_KINDS]
            if bad:
                raise EventError(
                    f"unknown kind(s) {bad}; expected any of {', '.join(EVENT_KINDS)}."
                )
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
        """One row per event with the fields of :class:`Event` (without ``origin``)."""
        cols = [f.name for f in dataclasses.fields(Event) if f.name != "origin"]
        rows = [{c: getattr(e, c) for c in cols} for e in self._events]
        return pd.DataFrame(rows, columns=cols)

    def with_shapes(self, shape_overrides: Mapping[str, str] | None) -> EventRegistry:
        """Return a registry with the shapes of some events replaced.

        Parameters
        ----------
        shape_overrides : mapping of str to str or None
            Event id to shape (one of :data:`REGRESSOR_SHAPES`). Ids not in the registry
            are ignored, so one mapping can serve several filtered registries. A
            ``decay`` keeps the event's own half-life.

        Returns
        -------
        registry : EventRegistry
            A new registry; ``self`` is unchanged.

        Raises
        ------
        EventError
            If a shape is not one of :data:`REGRESSOR_SHAPES`.
        """
        if not shape_overrides:
            return self
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
        return EventRegistry(
            dataclasses.replace(e, shape=shape_overrides[e.id]) if e.id in shape_overrides else e
            for e in self._events
        )

    def to_regressors(
        self,
        index: pd.PeriodIndex,
        *,
        shape_overrides: Mapping[str, str] | None = None,
        default_bump_days: int = DEFAULT_BUMP_DAYS,
        default_half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
        default_ramp_days: int = DEFAULT_RAMP_DAYS,
    ) -> pd.DataFrame:
        """Turn every event into a regressor at the resolution of a period index.

        Parameters
        ----------
        index : pandas.PeriodIndex
            Periods of the data (daily, weekly or monthly; see :func:`event_regressor`).
        shape_overrides : mapping of str to str, optional
            Shapes to use instead of the registry's, by event id; required for events
            whose shape is ``"unknown"``. Ids not in the registry are ignored.
        default_bump_days, default_half_life_days, default_ramp_days
            As in :func:`event_regressor`.

        Returns
        -------
        regressors : pandas.DataFrame
            One float column per event, named by event id in registry order, indexed by
            ``index``. Scope is not applied: filter the registry for a team first.

        Raises
        ------
        EventError
            If an event's shape is ``"unknown"`` and no override is given (the message
            lists every such event with its file line), or an override is invalid.
        DataValidationError
            If ``index`` is not a PeriodIndex of a supported frequency.

        See Also
        --------
        event_regressor : The shapes and the exposure arithmetic.
        """
        from impact.events.regressors import (
            _check_defaults,
            _concrete_shape,
            _regressor_values,
            _resolve_index,
        )

        _check_defaults(default_bump_days, default_half_life_days, default_ramp_days)
        registry = self.with_shapes(shape_overrides)
        unknown = [e for e in registry if e.shape == "unknown"]
        if len(unknown) == 1:
            _concrete_shape(unknown[0])
        if unknown:
            listed = "; ".join(f"{_locate(e)} {e.name!r}" for e in unknown)
            example = ", ".join(f"{e.id!r}: 'bump'" for e in unknown[:2])
            raise EventError(
                f"{len(unknown)} events have shape 'unknown' and cannot be turned into "
                f"regressors: {listed}. Pass a shape for each, e.g. "
                f"to_regressors(index, shape_overrides={{{example}}}), or set "
                f"expected_shape in the event file; shapes: {', '.join(REGRESSOR_SHAPES)}."
            )
        res = _resolve_index(index)
        data = {
            e.id: _regressor_values(
                e,
                res,
                default_bump_days=default_bump_days,
                default_half_life_days=default_half_life_days,
                default_ramp_days=default_ramp_days,
            )
            for e in registry
        }
        return pd.DataFrame(data, index=index, columns=list(registry.ids), dtype="float64")

    def merge_unidentifiable(
        self,
        index: pd.PeriodIndex,
        *,
        threshold: float = DEFAULT_IDENTIFIABILITY_THRESHOLD,
        shape_overrides: Mapping[str, str] | None = None,
        default_bump_days: int = DEFAULT_BUMP_DAYS,
        default_half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
        default_ramp_days: int = DEFAULT_RAMP_DAYS,
    ) -> tuple[EventRegistry, IdentifiabilityReport]:
        """Replace events that cannot be told apart on ``index`` by one joint event.

        Parameters
        ----------
        index : pandas.PeriodIndex
            Periods of the data.
        threshold : float, default 0.9
            As in :func:`check_identifiability`.
        shape_overrides : mapping of str to str, optional
            As in :meth:`to_regressors`. The returned registry carries these shapes.
        default_bump_days, default_half_life_days, default_ramp_days
            As in :func:`event_regressor`.

        Returns
        -------
        registry : EventRegistry
            Each group of :attr:`IdentifiabilityReport.groups` replaced by its merged
            event, placed where the group's first member was; other events unchanged
            (also those flagged as without exposure, constant or dependent: see the
            report's messages).
        report : IdentifiabilityReport
            The check behind the merge.

        Warns
        -----
        IdentifiabilityWarning
            When at least one group was merged; the warning text is the group messages.
        """
        from impact.events.identifiability import check_identifiability

        registry = self.with_shapes(shape_overrides)
        report = check_identifiability(
            registry,
            index,
            threshold=threshold,
            default_bump_days=default_bump_days,
            default_half_life_days=default_half_life_days,
            default_ramp_days=default_ramp_days,
        )
        if not report.groups:
            return registry, report
        member_of = {i: k for k, group in enumerate(report.groups) for i in group}
        out: list[Event] = []
        placed: set[int] = set()
        for e in registry:
            k = member_of.get(e.id)
            if k is None:
                out.append(e)
            elif k not in placed:
                out.append(report.merged[k])
                placed.add(k)
        warnings.warn(
            IdentifiabilityWarning(" ".join(report.messages[: len(report.groups)])),
            stacklevel=2,
        )
        return EventRegistry(out), report


# ---------------------------------------------------------------------------------------
# Loading


def load_events(path: str | Path) -> EventRegistry:
    """Read an event file (CSV) into an :class:`EventRegistry`.

    The file has columns ``id, name, kind, start_date`` and optionally ``end_date``,
    ``scope``, ``expected_shape`` (or ``shape``), ``half_life``, ``source_url`` (or
    ``source``) and ``note``. Empty shapes are read as ``unknown``. Each event records
    its file and line in :attr:`Event.origin` for later error messages.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file (UTF-8, header on line 1).

    Returns
    -------
    registry : EventRegistry
        The events in file order.

    Raises
    ------
    EventError
        When the file is missing or not UTF-8, a required column is missing, a row is
        invalid (unknown kind or shape, bad date, end before start, bad half-life) or
        an id occurs twice; the message names the file, the line and the event id.
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
    first_line: dict[str, int] = {}
    for i, row in enumerate(df.to_dict("records"), start=2):
        event_id = row["id"].strip()
        if event_id in first_line:
            raise EventError(
                f"event file {path}, line {i}: duplicate event id {event_id!r} (first on "
                f"line {first_line[event_id]}); ids must be unique. Give one of them "
                "another id."
            )
        shape = (row.get("expected_shape") or row.get("shape") or "unknown").strip()
        half_life_text = (row.get("half_life") or "").strip()
        try:
            try:
                half_life = float(half_life_text) if half_life_text else None
            except ValueError as exc:
                raise EventError(
                    f"event {event_id!r}: half_life {half_life_text!r} is not a number of "
                    "days; write e.g. 30 or leave it empty."
                ) from exc
            events.append(
                Event(
                    id=event_id,
                    name=row["name"].strip(),
                    kind=row["kind"].strip(),
                    start=row["start_date"].strip(),
                    end=(row.get("end_date") or "").strip() or None,
                    scope=(row.get("scope") or "Flanders").strip(),
                    shape=shape,
                    half_life=half_life,
                    source=(row.get("source_url") or row.get("source") or "").strip(),
                    note=(row.get("note") or "").strip(),
                    origin=f"{path}, line {i}",
                )
            )
        except EventError as exc:
            raise EventError(f"event file {path}, line {i}: {exc}") from exc
        first_line[event_id] = i
    try:
        return EventRegistry(events)
    except EventError as exc:
        raise EventError(f"event file {path}: {exc}") from exc


# ---------------------------------------------------------------------------------------
# Names defined in impact.events.regressors and impact.events.identifiability, re-exported lazily
# (those modules import Event and the constants from here, so importing them at the top
# would be circular)

_REEXPORTS: dict[str, str] = {
    "event_regressor": "impact.events.regressors",
    "check_identifiability": "impact.events.identifiability",
    "IdentifiabilityReport": "impact.events.identifiability",
}


def __getattr__(name: str) -> Any:
    """Import a re-exported name from its module on first access (PEP 562)."""
    module = _REEXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
