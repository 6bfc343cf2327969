"""Event registry: an ordered, immutable collection of events, and the event file reader.

:class:`EventRegistry` holds :class:`~impact.events.event.Event` objects, filters them,
and turns them into regressors at the resolution of a period index
(:meth:`EventRegistry.to_regressors`, built on :mod:`impact.events.regressors`). Events
whose regressors cannot be told apart at that resolution are merged into one joint effect
by :meth:`EventRegistry.merge_unidentifiable` (the check is
:func:`impact.events.identifiability.check_identifiability`). :func:`load_events` reads
the event file; :func:`check_event_scopes` checks, where events meet data, that every
team-scoped event names a team the data hold.
"""

from __future__ import annotations

import dataclasses
import difflib
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pandas as pd

from impact._core.constants import FLANDERS
from impact._core.exceptions import DataValidationError, EventError, IdentifiabilityWarning
from impact._core.parsing import read_csv_text, read_input_text
from impact.events.event import (
    DEFAULT_BUMP_DAYS,
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_IDENTIFIABILITY_THRESHOLD,
    DEFAULT_RAMP_DAYS,
    EVENT_KINDS,
    Event,
    _to_day,
    _unique_events,
    apply_shapes,
)
from impact.events.identifiability import IdentifiabilityReport, check_identifiability
from impact.events.regressors import regressor_frame
from impact.io.teams import canonical_team

# isort: split
# Still importable from here for impact/__init__.py and impact.simulation.simulate until
# they import it from impact.events (a request to the lead); nothing in this module uses it.
from impact.events.regressors import event_regressor  # noqa: F401

__all__ = ["EventRegistry", "check_event_scopes", "load_events"]

_REQUIRED_COLUMNS = ("id", "name", "kind", "start_date")


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
        self._events = _unique_events(events)

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
        return EventRegistry(apply_shapes(self._events, shape_overrides))

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
        return regressor_frame(
            self._events,
            index,
            shape_overrides=shape_overrides,
            default_bump_days=default_bump_days,
            default_half_life_days=default_half_life_days,
            default_ramp_days=default_ramp_days,
        )

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
# Scopes


def _read_scope(text: str) -> str:
    """Return an event file's scope cell: ``"Flanders"`` when empty, the canonical 1712
    name for a known variant (``CAW West-Vl.`` -> ``West-Vlaanderen``), else the team
    name as written (whitespace folded).

    Teams are data: an event file for another helpline names its own teams, so an
    unknown scope is not refused here; :func:`check_event_scopes` checks it against the
    teams of the data where events meet data (``estimate_effects`` and the study do).
    """
    scope = " ".join(text.split())
    if not scope or scope == FLANDERS:
        return FLANDERS
    try:
        return canonical_team(scope)
    except DataValidationError:
        return scope


def check_event_scopes(
    registry: EventRegistry, teams: Iterable[str], *, total: str = FLANDERS
) -> None:
    """Check that every team-scoped event names a team present in the data.

    An event scoped to a team the data do not hold would never apply, silently; this
    is the check where events meet data (an event file cannot know which teams a panel
    holds).

    Parameters
    ----------
    registry : EventRegistry
        The events (e.g. from :func:`load_events`).
    teams : iterable of str
        The teams of the data (e.g. ``frame["team"].unique()``). ``"Flanders"``-scoped
        events apply to every team and always pass.
    total : str, default "Flanders"
        The name of the data's total; events scoped to it also apply to every team.

    Raises
    ------
    EventError
        Listing every event whose scope is not in ``teams``: its id, its file and line,
        the unknown team and the closest team of the data, and how to fix it.

    Examples
    --------
    >>> from impact.events import Event, EventRegistry
    >>> reg = EventRegistry([Event(id="E1", name="x", kind="news", start="2023-02-03",
    ...                            scope="Limburg")])
    >>> check_event_scopes(reg, ["Limburg", "Antwerpen"])
    """
    known = sorted({str(t) for t in teams})
    problems = []
    for event in registry:
        if event.scope in (FLANDERS, total) or event.scope in known:
            continue
        close = difflib.get_close_matches(event.scope, known, n=1, cutoff=0.0)
        where = f" ({event.origin})" if event.origin else ""
        closest = f"; closest team in the data: {close[0]!r}" if close else ""
        problems.append(f"event {event.id!r}{where} is scoped to team {event.scope!r}, "
                        f"which is not in the data{closest}")
    if problems:
        raise EventError(
            "; ".join(problems) + f". The data hold {', '.join(known) or 'no teams'}. Fix "
            f"the event's scope (or {FLANDERS!r} for every team), or load the team's counts."
        )


# ---------------------------------------------------------------------------------------
# Loading


def load_events(path: str | Path) -> EventRegistry:
    """Read an event file (CSV) into an :class:`EventRegistry`.

    The file has columns ``id, name, kind, start_date`` and optionally ``name_nl`` (the
    Dutch name), ``end_date``, ``scope``, ``expected_shape`` (or ``shape``),
    ``half_life``, ``source_url`` (or ``source``) and ``note``. Empty shapes are read as
    ``unknown``. Each event records its file and line in :attr:`Event.origin` for later
    error messages. A scope is
    ``Flanders`` (also when empty) or one of the five 1712 teams, in any spelling
    :func:`impact.io.teams.canonical_team` knows (stored as the canonical name); whether
    the data hold that team is checked later by :func:`check_event_scopes`.

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
        When the file is missing, a folder, a link loop, unreadable, empty, not UTF-8 or
        not well-formed CSV, a required column is missing, a row is invalid (unknown
        kind, shape or scope, bad date, end before start, bad half-life) or an id occurs
        twice; the message names the file, the line and the event id.
    """
    path = Path(path)
    text = read_input_text(path, what="event file", error=EventError)
    df = read_csv_text(text, source=f"event file {path}", error=EventError)
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
                    scope=_read_scope(row.get("scope") or ""),
                    shape=shape,
                    half_life=half_life,
                    source=(row.get("source_url") or row.get("source") or "").strip(),
                    note=(row.get("note") or "").strip(),
                    name_nl=(row.get("name_nl") or "").strip(),
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
