"""Event registry: campaigns, news events, capacity and registration changes.

An :class:`Event` is dated to the day. :class:`EventRegistry` holds events, filters
them, and turns them into regressors at the resolution of a period index
(:func:`event_regressor`, :meth:`EventRegistry.to_regressors`). Events whose regressors
cannot be told apart at that resolution are found by :func:`check_identifiability` and
merged into one joint effect by :meth:`EventRegistry.merge_unidentifiable`.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from impact.exceptions import DataValidationError, EventError, IdentifiabilityWarning

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

# A regressor whose largest absolute value is at most this is "no exposure" (the event
# lies outside the data); one whose range is at most this is "constant".
_NEGLIGIBLE = 1e-6
# An eigenvector component at least this large (in absolute value, unit-norm vector)
# names an event as part of a near-linear dependence.
_LOADING_MIN = 0.1


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
# Resolution of a period index


@dataclasses.dataclass(frozen=True)
class _Resolution:
    """The resolution of a period index and the first and last day of each period."""

    name: str  # "daily", "weekly", "monthly", "quarterly", "annual"
    freq: str  # the index's freqstr ("M", "W-SUN", ...)
    first: np.ndarray  # int64 day ordinals (days since 1970-01-01), one per period
    last: np.ndarray  # int64 day ordinals, inclusive


# name, how far one period reaches from a given day (the length of a pulse).
_RESOLUTIONS: tuple[tuple[type, str, pd.DateOffset], ...] = (
    (pd.offsets.Day, "daily", pd.DateOffset(days=1)),
    (pd.offsets.Week, "weekly", pd.DateOffset(days=7)),
    (pd.offsets.MonthEnd, "monthly", pd.DateOffset(months=1)),
    (pd.offsets.QuarterEnd, "quarterly", pd.DateOffset(months=3)),
    (pd.offsets.YearEnd, "annual", pd.DateOffset(years=1)),
)
_FINER: dict[str, tuple[tuple[str, str], ...]] = {
    "annual": (("monthly", "M"), ("weekly", "W-SUN"), ("daily", "D")),
    "quarterly": (("monthly", "M"), ("weekly", "W-SUN"), ("daily", "D")),
    "monthly": (("weekly", "W-SUN"), ("daily", "D")),
    "weekly": (("daily", "D"),),
    "daily": (),
}


def _resolve_index(index: object, name: str = "index") -> _Resolution:
    if not isinstance(index, pd.PeriodIndex):
        hint = ""
        if isinstance(index, pd.DatetimeIndex):
            hint = " Convert it with index.to_period('M') (or 'W', 'D')."
        raise DataValidationError(
            f"{name} must be a pandas PeriodIndex with a daily, weekly or monthly "
            f"frequency, got {type(index).__name__}.{hint}"
        )
    offset = index.freq
    for cls, res_name, _ in _RESOLUTIONS:
        if isinstance(offset, cls) and offset.n == 1:
            first = np.asarray(index.asfreq("D", how="start").asi8, dtype=np.int64)
            last = np.asarray(index.asfreq("D", how="end").asi8, dtype=np.int64)
            return _Resolution(res_name, index.freqstr, first, last)
    raise DataValidationError(
        f"{name} has frequency {index.freqstr!r}; event regressors need a daily ('D'), "
        "weekly ('W-SUN', ...), monthly ('M'), quarterly or annual PeriodIndex. "
        "Aggregate the data to one of these resolutions."
    )


def _ordinal(day: pd.Timestamp) -> int:
    return int(pd.Period(day, freq="D").ordinal)


def _from_ordinal(ordinal: int) -> pd.Timestamp:
    return pd.Period(ordinal=int(ordinal), freq="D").to_timestamp()


def _pulse_last_day(start: pd.Timestamp, resolution: str) -> pd.Timestamp:
    """Last day of a pulse that starts on ``start`` and lasts one period."""
    offset = next(off for _, name, off in _RESOLUTIONS if name == resolution)
    return start + offset - pd.Timedelta(days=1)


# ---------------------------------------------------------------------------------------
# Regressors


def _check_defaults(
    default_bump_days: int, default_half_life_days: float, default_ramp_days: int
) -> None:
    for name, value in (
        ("default_bump_days", default_bump_days),
        ("default_half_life_days", default_half_life_days),
        ("default_ramp_days", default_ramp_days),
    ):
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise EventError(f"{name} must be a positive number of days, got {value!r}.")
    for name, value in (
        ("default_bump_days", default_bump_days),
        ("default_ramp_days", default_ramp_days),
    ):
        if float(value) != int(value):
            raise EventError(f"{name} must be a whole number of days, got {value!r}.")


def _concrete_shape(event: Event) -> str:
    if event.shape == "unknown":
        raise EventError(
            f"{_locate(event)}, {event.name!r}: shape is 'unknown', so it cannot be turned "
            "into a regressor. Pass a shape, e.g. "
            f"registry.to_regressors(index, shape_overrides={{{event.id!r}: 'bump'}}) or "
            f"event.with_shape('bump'), or set expected_shape in the event file; shapes: "
            f"{', '.join(REGRESSOR_SHAPES)}."
        )
    return event.shape


def _daily_profile(
    event: Event,
    days: np.ndarray,
    resolution: str,
    *,
    default_bump_days: int,
    default_half_life_days: float,
    default_ramp_days: int,
) -> np.ndarray:
    """The event's value on each day (int64 ordinals), before averaging over periods."""
    shape = _concrete_shape(event)
    s = _ordinal(event.start)
    rel = days - s  # days since start (int64)
    if shape in ("step", "bump", "pulse"):
        if shape == "step":
            last = None if event.end is None else _ordinal(event.end)
        elif shape == "bump":
            last = _ordinal(event.end) if event.end is not None else s + int(default_bump_days) - 1
        else:  # pulse: one period of the index's resolution
            last = _ordinal(_pulse_last_day(event.start, resolution))
        on = rel >= 0
        if last is not None:
            on &= days <= last
        return on.astype(np.float64)
    if shape == "decay":
        half_life = float(event.half_life or default_half_life_days)
        out = np.zeros(days.shape, dtype=np.float64)
        mask = rel >= 0
        if event.end is not None:
            mask &= days <= _ordinal(event.end)
        out[mask] = np.exp2(-rel[mask] / half_life)
        return out
    # ramp
    last = _ordinal(event.end) if event.end is not None else s + int(default_ramp_days)
    length = last - s
    if length <= 0:  # a ramp that ends on its start day is a step
        return (rel >= 0).astype(np.float64)
    return np.clip(rel / length, 0.0, 1.0)


def _period_means(profile: np.ndarray, lo: int, res: _Resolution) -> np.ndarray:
    """Average a daily profile (starting at day ordinal ``lo``) over each period."""
    cums = np.concatenate(([0.0], np.cumsum(profile)))
    total = cums[res.last - lo + 1] - cums[res.first - lo]
    return np.clip(total / (res.last - res.first + 1), 0.0, 1.0)


def _regressor_values(
    event: Event,
    res: _Resolution,
    *,
    default_bump_days: int,
    default_half_life_days: float,
    default_ramp_days: int,
) -> np.ndarray:
    if res.first.size == 0:
        _concrete_shape(event)
        return np.zeros(0, dtype=np.float64)
    lo = int(res.first.min())
    hi = int(res.last.max())
    days = np.arange(lo, hi + 1, dtype=np.int64)
    profile = _daily_profile(
        event,
        days,
        res.name,
        default_bump_days=default_bump_days,
        default_half_life_days=default_half_life_days,
        default_ramp_days=default_ramp_days,
    )
    return _period_means(profile, lo, res)


def event_regressor(
    event: Event,
    index: pd.PeriodIndex,
    *,
    default_bump_days: int = DEFAULT_BUMP_DAYS,
    default_half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    default_ramp_days: int = DEFAULT_RAMP_DAYS,
) -> pd.Series:
    """Turn one event into a regressor at the resolution of a period index.

    The event is first described day by day (its daily profile, see Notes); the value
    for a period is the mean of the profile over the days of that period, so an event
    that covers part of a period gets that part as exposure.

    Parameters
    ----------
    event : Event
        The event. Its shape must not be ``"unknown"``.
    index : pandas.PeriodIndex
        Periods of the data: daily (``"D"``), weekly (``"W-SUN"``, ``"W-MON"``, ...) or
        monthly (``"M"``); quarterly and annual indexes work the same way. The index
        need not be sorted or complete.
    default_bump_days : int, default 28
        Length in days of a ``bump`` without an end date.
    default_half_life_days : float, default 30
        Half-life in days of a ``decay`` event without its own ``half_life``.
    default_ramp_days : int, default 90
        Days a ``ramp`` without an end date takes to rise from 0 to 1.

    Returns
    -------
    regressor : pandas.Series
        Float values in ``[0, 1]`` on ``index``, named after the event id.

    Raises
    ------
    EventError
        If the event's shape is ``"unknown"`` (the message names the event and, for
        events read from a file, its line) or a default is not a positive number.
    DataValidationError
        If ``index`` is not a PeriodIndex of a supported frequency.

    See Also
    --------
    EventRegistry.to_regressors : All events of a registry at once.
    check_identifiability : Whether the regressors can be told apart.

    Notes
    -----
    Daily profiles, with ``s`` the start day and ``e`` the end day (both inclusive):

    - ``step``: 1 from ``s`` on. With an end date it is 1 on ``s..e`` and 0 after
      (a temporary level shift, e.g. a lockdown).
    - ``bump``: 1 on ``s..e``; without an end date ``e = s + default_bump_days - 1``.
    - ``pulse``: 1 for exactly one period of the index's resolution starting on ``s``
      (one day, seven days, or one calendar month, e.g. 27 Aug to 26 Sep). At monthly
      resolution a pulse on 27 Aug 2023 is 5/31 in August and 26/30 in September; at
      daily resolution it is 1 on 27 Aug only. An end date is ignored; use ``bump`` for
      a window of given length. A calendar month from the 29th-31st ends on the last
      day before the same date next month (31 Jan to 27 Feb).
    - ``decay``: ``0.5 ** ((d - s) / half_life)`` for days ``d >= s`` (the event's own
      half-life or ``default_half_life_days``); with an end date, 0 after ``e``.
    - ``ramp``: rises linearly from 0 on ``s`` to 1 on ``e`` and stays 1; without an
      end date ``e = s + default_ramp_days``.

    Exposure is exact: a step starting on 27 Aug 2023 is 5/31 in August 2023 and 1 from
    September 2023 on. The computation is vectorised over the days spanned by the index.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = Event("E048", "Pichal case becomes public", "news", "2023-08-27", shape="step")
    >>> idx = pd.period_range("2023-07", "2023-09", freq="M")
    >>> event_regressor(ev, idx).round(4).tolist()
    [0.0, 0.1613, 1.0]
    """
    if not isinstance(event, Event):
        raise EventError(f"event must be an Event, got {type(event).__name__}.")
    _check_defaults(default_bump_days, default_half_life_days, default_ramp_days)
    res = _resolve_index(index)
    values = _regressor_values(
        event,
        res,
        default_bump_days=default_bump_days,
        default_half_life_days=default_half_life_days,
        default_ramp_days=default_ramp_days,
    )
    return pd.Series(values, index=index, name=event.id, dtype="float64")


def _effective_window(
    event: Event,
    resolution: str,
    *,
    default_bump_days: int,
    default_half_life_days: float,
) -> tuple[pd.Timestamp, pd.Timestamp | None]:
    """First and last day (inclusive) the event is in force; last ``None`` if permanent.

    A ``decay`` is given the window of a bump with the same total exposure,
    ``round(half_life / ln 2)`` days (cut at its end date); a ``ramp`` is permanent.
    """
    shape = _concrete_shape(event)
    start = event.start
    day = pd.Timedelta(days=1)
    if shape == "step":
        return start, event.end
    if shape == "bump":
        if event.end is not None:
            return start, event.end
        return start, start + (int(default_bump_days) - 1) * day
    if shape == "pulse":
        return start, _pulse_last_day(start, resolution)
    if shape == "decay":
        half_life = float(event.half_life or default_half_life_days)
        last = start + (max(1, round(half_life / math.log(2))) - 1) * day
        return start, last if event.end is None else min(last, event.end)
    return start, None  # ramp: stays 1


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
# Identifiability


@dataclasses.dataclass(frozen=True)
class IdentifiabilityReport:
    """Which events can be told apart at the data's resolution, and what to merge.

    Returned by :func:`check_identifiability`; read it with :attr:`is_identifiable`,
    :attr:`messages` and :meth:`to_frame`.

    Parameters
    ----------
    groups : tuple of tuple of str
        Event ids that cannot be separated (absolute regressor correlation above the
        threshold, linked into connected groups), members ordered by start date.
    merged : tuple of Event
        One proposed joint event per group, in the same order (id ``"E048+E049"``).
    messages : tuple of str
        Human-readable findings: one per group first, then events without exposure,
        constant events and near-linear dependences.
    no_exposure : tuple of str, default ()
        Events whose regressor is (nearly) zero on the whole index (outside the data).
    constant : tuple of str, default ()
        Events whose regressor is (nearly) constant and non-zero on the index (in force
        over all of the data), hence confounded with the baseline level.
    dependent : tuple of tuple of str, default ()
        Sets of events (merged ids for groups) of which one is nearly a linear
        combination of the others, though no pair is above the threshold. Reported,
        not merged.
    resolution : str, default ""
        ``"daily"``, ``"weekly"``, ``"monthly"``, ... : the index's resolution.
    threshold : float, default 0.9
        Absolute correlation above which two regressors count as inseparable.
    event_ids : tuple of str, default ()
        The checked events, in registry order.
    max_abs_correlation : tuple of float, default ()
        Per checked event, its largest absolute correlation with another checked event
        (NaN when undefined).
    most_correlated_with : tuple of str, default ()
        Per checked event, the event of that correlation (``""`` when undefined).
    """

    groups: tuple[tuple[str, ...], ...]
    merged: tuple[Event, ...]
    messages: tuple[str, ...]
    no_exposure: tuple[str, ...] = ()
    constant: tuple[str, ...] = ()
    dependent: tuple[tuple[str, ...], ...] = ()
    resolution: str = ""
    threshold: float = DEFAULT_IDENTIFIABILITY_THRESHOLD
    event_ids: tuple[str, ...] = ()
    max_abs_correlation: tuple[float, ...] = ()
    most_correlated_with: tuple[str, ...] = ()

    @property
    def is_identifiable(self) -> bool:
        """Whether every event has its own, separable regressor on the index."""
        return not (self.groups or self.no_exposure or self.constant or self.dependent)

    def to_frame(self) -> pd.DataFrame:
        """One row per checked event.

        Returns
        -------
        frame : pandas.DataFrame
            Columns ``event``, ``status`` (``"ok"``, ``"merged"``, ``"no_exposure"`` or
            ``"constant"``), ``merged_into`` (the joint event's id, or missing),
            ``is_dependent`` (part of a near-linear dependence), ``max_abs_correlation``,
            ``most_correlated_with`` and ``resolution``; the same columns every time.
        """
        merged_into = {
            i: m.id for group, m in zip(self.groups, self.merged, strict=True) for i in group
        }
        dependent = {i for dep in self.dependent for i in dep}
        rows = []
        for k, event_id in enumerate(self.event_ids):
            if event_id in self.no_exposure:
                status = "no_exposure"
            elif event_id in self.constant:
                status = "constant"
            elif event_id in merged_into:
                status = "merged"
            else:
                status = "ok"
            rows.append(
                {
                    "event": event_id,
                    "status": status,
                    "merged_into": merged_into.get(event_id),
                    "is_dependent": event_id in dependent or merged_into.get(event_id) in dependent,
                    "max_abs_correlation": self.max_abs_correlation[k],
                    "most_correlated_with": self.most_correlated_with[k] or None,
                    "resolution": self.resolution,
                }
            )
        columns = [
            "event",
            "status",
            "merged_into",
            "is_dependent",
            "max_abs_correlation",
            "most_correlated_with",
            "resolution",
        ]
        frame = pd.DataFrame(rows, columns=columns)
        frame["is_dependent"] = frame["is_dependent"].astype(bool)
        frame["max_abs_correlation"] = frame["max_abs_correlation"].astype("float64")
        return frame

    def __str__(self) -> str:
        if not self.messages:
            return (
                f"All {len(self.event_ids)} events can be told apart at {self.resolution} "
                "resolution."
            )
        return "\n".join(self.messages)


def _components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components (sorted lists of node numbers) of an undirected graph."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    comps: dict[int, list[int]] = {}
    for i in range(n):
        comps.setdefault(find(i), []).append(i)
    return list(comps.values())


def _strong_pairs(values: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """Column pairs ``(i, j, r)`` with ``|r| > threshold``; columns must vary."""
    if values.shape[1] < 2:
        return []
    corr = np.corrcoef(values, rowvar=False)
    i, j = np.triu_indices(values.shape[1], k=1)
    r = corr[i, j]
    keep = np.abs(r) > threshold
    return [(int(a), int(b), float(c)) for a, b, c in zip(i[keep], j[keep], r[keep], strict=True)]


def _join_names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _merge_events(
    members: list[Event],
    resolution: str,
    corr_text: str,
    *,
    default_bump_days: int,
    default_half_life_days: float,
) -> Event:
    """The joint event of a group: a bump (or an open step) over the union of windows."""
    windows = [
        _effective_window(
            m,
            resolution,
            default_bump_days=default_bump_days,
            default_half_life_days=default_half_life_days,
        )
        for m in members
    ]
    start = min(w[0] for w in windows)
    permanent = any(w[1] is None for w in windows)
    end = None if permanent else max(w[1] for w in windows if w[1] is not None)
    kinds = list(dict.fromkeys(m.kind for m in members))
    effect_kinds = [k for k in kinds if k in EFFECT_KINDS]
    if len(kinds) == 1:
        kind = kinds[0]
    elif effect_kinds:
        kind = effect_kinds[0] if len(effect_kinds) == 1 else "news"
    else:
        kind = members[0].kind
    scopes = list(dict.fromkeys(m.scope for m in members))
    teams = [s for s in scopes if s != "Flanders"]
    scope = scopes[0] if len(scopes) == 1 else (teams[0] if len(teams) == 1 else "Flanders")
    sources = list(dict.fromkeys(m.source for m in members if m.source))
    parts = []
    for m, (ws, we) in zip(members, windows, strict=True):
        span = f"{ws.date()} onwards" if we is None else f"{ws.date()} to {we.date()}"
        parts.append(f"{m.id} ({m.shape}, {span})")
    shape = "step" if permanent else "bump"
    window = f"from {start.date()} on" if end is None else f"{start.date()} to {end.date()}"
    note = (
        f"Joint effect of {_join_names(parts)}: their regressors are nearly collinear at "
        f"{resolution} resolution ({corr_text}), so they are modelled as one {shape} over "
        f"the union of their windows, {window}."
    )
    baseline = [m for m in members if m.kind not in EFFECT_KINDS]
    if effect_kinds and baseline:
        note += (
            " The group mixes effects under study with baseline terms ("
            + ", ".join(f"{m.kind} {m.id}" for m in baseline)
            + "); the joint effect includes that change."
        )
    if len(scopes) > 1:
        note += f" Member scopes: {', '.join(scopes)}."
    return Event(
        id="+".join(m.id for m in members),
        name=" + ".join(m.name for m in members),
        kind=kind,
        start=start,
        end=end,
        scope=scope,
        shape=shape,
        half_life=None,
        source="; ".join(sources),
        note=note,
    )


def _separates_at(
    members: list[Event],
    first_day: int,
    last_day: int,
    freq: str,
    threshold: float,
    defaults: dict[str, float],
) -> bool:
    """Whether the members' regressors on a finer index over the same span all separate."""
    finer = pd.period_range(_from_ordinal(first_day), _from_ordinal(last_day), freq=freq)
    res = _resolve_index(finer)
    values = np.column_stack([_regressor_values(m, res, **defaults) for m in members])
    return not _strong_pairs(values, threshold)


def _corr_text(rs: list[float]) -> str:
    if len(rs) == 1:
        return f"regressor correlation {rs[0]:.2f}"
    return f"regressor correlations {min(rs):.2f} to {max(rs):.2f} between linked pairs"


def check_identifiability(
    events: EventRegistry | Iterable[Event],
    index: pd.PeriodIndex,
    *,
    threshold: float = DEFAULT_IDENTIFIABILITY_THRESHOLD,
    shape_overrides: Mapping[str, str] | None = None,
    default_bump_days: int = DEFAULT_BUMP_DAYS,
    default_half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    default_ramp_days: int = DEFAULT_RAMP_DAYS,
) -> IdentifiabilityReport:
    """Check whether events can be told apart at the resolution of the data.

    Events are dated to the day but the data may be monthly: Pichal (27 Aug 2023) and
    Godvergeten (5 Sep 2023) give nearly the same monthly regressor, so their separate
    effects are not identified. This check finds such events and proposes one joint
    event per group, with a message naming them.

    Parameters
    ----------
    events : EventRegistry or iterable of Event
        The events meant to enter one model (filter by team first).
    index : pandas.PeriodIndex
        Periods of the data (daily, weekly or monthly).
    threshold : float, default 0.9
        Two events are inseparable when the absolute correlation of their regressors
        on ``index`` is above this, strictly between 0 and 1.
    shape_overrides : mapping of str to str, optional
        As in :meth:`EventRegistry.to_regressors`.
    default_bump_days, default_half_life_days, default_ramp_days
        As in :func:`event_regressor`.

    Returns
    -------
    report : IdentifiabilityReport
        Groups, proposed merged events and messages.

    Raises
    ------
    EventError
        If an event has shape ``"unknown"`` without override, or ``threshold`` is not
        in ``(0, 1)``.
    DataValidationError
        If ``index`` is not a PeriodIndex of a supported frequency.

    See Also
    --------
    EventRegistry.merge_unidentifiable : Apply the proposed merges.

    Notes
    -----
    - Groups are the connected components of the graph that links events whose
      regressors have absolute correlation above ``threshold``. A group's merged event
      has id ``"E048+E049"``, names joined with ``" + "``, the common kind (``"news"``
      when news and campaigns mix), and shape ``bump`` from the earliest start to the
      latest end of the members' effective windows (a pulse lasts one period of the
      index; a bump without end ``default_bump_days``; a decay ``round(half_life/ln 2)``
      days, the bump of equal total exposure). When a member is permanent (a step
      without end, or a ramp) the merged event is a ``step`` from the earliest start.
    - Correlation ignores level, so it matches a model with an intercept. A regressor
      that is (nearly) zero on the whole index (event outside the data) or (nearly)
      constant (in force over all of the data, confounded with the intercept) is
      reported in the messages and left out of the correlation check; it is not
      merged.
    - Near-linear dependence of three or more events is detected with the eigenvalues
      of the correlation matrix of the remaining regressors (groups replaced by their
      merged regressor): an eigenvalue below ``1 - threshold`` (for two regressors this
      is exactly ``|r| > threshold``) flags the events that load on its eigenvector.
      These are reported, not merged.
    - For each group the message says whether weekly or daily counts over the same
      span would separate the members, by repeating the check at those resolutions.

    Examples
    --------
    >>> import pandas as pd
    >>> pichal = Event("E048", "Pichal case becomes public", "news", "2023-08-27",
    ...                shape="pulse")
    >>> godvergeten = Event("E049", "Godvergeten episode 1", "news", "2023-09-05",
    ...                     shape="bump")
    >>> months = pd.period_range("2019-01", "2024-12", freq="M")
    >>> check_identifiability([pichal, godvergeten], months).groups
    (('E048', 'E049'),)
    >>> days = pd.period_range("2023-01-01", "2024-12-31", freq="D")
    >>> check_identifiability([pichal, godvergeten], days).is_identifiable
    True
    """
    registry = events if isinstance(events, EventRegistry) else EventRegistry(events)
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not (0 < threshold < 1)
    ):
        raise EventError(f"threshold must be a number strictly between 0 and 1, got {threshold!r}.")
    registry = registry.with_shapes(shape_overrides)
    res = _resolve_index(index)
    defaults = {
        "default_bump_days": default_bump_days,
        "default_half_life_days": default_half_life_days,
        "default_ramp_days": default_ramp_days,
    }
    frame = registry.to_regressors(index, **defaults)
    evs = list(registry)
    ids = [e.id for e in evs]
    values = frame.to_numpy(dtype=np.float64)
    n_periods = values.shape[0]
    span = "an empty index"
    if n_periods:
        span = (
            f"{res.name} index {_from_ordinal(int(res.first.min())).date()} to "
            f"{_from_ordinal(int(res.last.max())).date()}"
        )

    no_exposure: list[int] = []
    constant: list[int] = []
    active: list[int] = []
    for k in range(len(evs)):
        col = values[:, k]
        if n_periods == 0 or np.max(np.abs(col)) <= _NEGLIGIBLE:
            no_exposure.append(k)
        elif np.ptp(col) <= _NEGLIGIBLE * max(1.0, float(np.max(np.abs(col)))):
            constant.append(k)
        else:
            active.append(k)

    # pairwise correlation among the regressors that vary
    max_corr = [math.nan] * len(evs)
    partner = [""] * len(evs)
    pairs: list[tuple[int, int, float]] = []
    if len(active) >= 2:
        corr = np.corrcoef(values[:, active], rowvar=False)
        absc = np.abs(corr)
        np.fill_diagonal(absc, -1.0)
        for pos, k in enumerate(active):
            best = int(np.argmax(absc[pos]))
            max_corr[k] = float(absc[pos, best])
            partner[k] = ids[active[best]]
        pairs = [
            (active[a], active[b], r) for a, b, r in _strong_pairs(values[:, active], threshold)
        ]

    comps = [c for c in _components(len(evs), ((a, b) for a, b, _ in pairs)) if len(c) > 1]
    # members by start date (then registry order); groups by their first start
    comps = [sorted(c, key=lambda k: (evs[k].start, k)) for c in comps]
    comps.sort(key=lambda c: (evs[c[0]].start, c[0]))

    groups: list[tuple[str, ...]] = []
    merged: list[Event] = []
    messages: list[str] = []
    finer = _FINER[res.name]
    for comp in comps:
        members = [evs[k] for k in comp]
        in_comp = set(comp)
        rs = [abs(r) for a, b, r in pairs if a in in_comp and b in in_comp]
        corr_text = _corr_text(rs)
        joint = _merge_events(
            members,
            res.name,
            corr_text,
            default_bump_days=default_bump_days,
            default_half_life_days=default_half_life_days,
        )
        groups.append(tuple(m.id for m in members))
        merged.append(joint)
        separable = [
            name
            for name, freq in finer
            if _separates_at(
                members, int(res.first.min()), int(res.last.max()), freq, threshold, defaults
            )
        ]
        if not finer:
            outlook = "Daily is the finest resolution; they cannot be separated by the data."
        elif not separable:
            outlook = (
                f"Even {finer[-1][0]} counts would not separate them; consider whether they "
                "are one event."
            )
        else:
            outlook = f"With {' or '.join(separable)} counts they can be separated."
        text = (
            f"{_join_names([_describe(m) for m in members])} cannot be told apart at "
            f"{res.name} resolution "
            f"({corr_text}); they are reported as one joint effect {joint.id!r}. {outlook}"
        )
        mixed = [m for m in members if m.kind not in EFFECT_KINDS]
        if mixed and any(m.kind in EFFECT_KINDS for m in members):
            text += (
                " Caution: the joint effect includes "
                + _join_names([f"the {m.kind} change {m.id}" for m in mixed])
                + " (baseline terms); a jump after such a change is not a jump in need."
            )
        messages.append(text)

    last_day = _from_ordinal(int(res.last.max())) if n_periods else None
    for k in no_exposure:
        e = evs[k]
        if last_day is not None and e.start > last_day:
            why = "it starts after the last period"
        elif n_periods:
            why = "it ends before the first period"
        else:
            why = "the index is empty"
        messages.append(
            f"{_describe(e)} has no exposure in the data ({span}): {why}. Its effect cannot "
            "be estimated; drop it or use data that cover it."
        )
    for k in constant:
        e = evs[k]
        level = float(values[0, k])
        messages.append(
            f"{_describe(e)} is in force over the whole data ({span}; regressor constant at "
            f"{level:.2f}), so it cannot be told apart from the baseline level. Drop it or "
            "use data that start before the event."
        )

    # near-linear dependence among the remaining regressors (groups merged)
    reps: list[tuple[str, np.ndarray]] = []
    grouped = {k for comp in comps for k in comp}
    for joint in merged:
        reps.append((joint.id, _regressor_values(joint, res, **defaults)))
    for k in active:
        if k not in grouped:
            reps.append((ids[k], values[:, k]))
    dependent: list[tuple[str, ...]] = []
    if len(reps) >= 3 and n_periods >= 3:
        rep_values = np.column_stack([v for _, v in reps])
        varies = np.ptp(rep_values, axis=0) > _NEGLIGIBLE
        rep_ids = [r for r, keep in zip((r for r, _ in reps), varies, strict=True) if keep]
        rep_values = rep_values[:, varies]
        if rep_values.shape[1] >= 3:
            corr = np.corrcoef(rep_values, rowvar=False)
            eigval, eigvec = np.linalg.eigh(corr)
            sets: list[set[int]] = []
            smallest: list[float] = []
            for lam, vec in zip(eigval, eigvec.T, strict=True):
                if lam < 1 - threshold:
                    sets.append({int(i) for i in np.flatnonzero(np.abs(vec) >= _LOADING_MIN)})
                    smallest.append(float(lam))
            node_sets = _components(
                len(rep_ids), ((min(s), j) for s in sets for j in s if len(s) > 1)
            )
            for comp in node_sets:
                if len(comp) < 2:
                    continue
                names = tuple(rep_ids[i] for i in comp)
                dependent.append(names)
                lam = min(lam for s, lam in zip(sets, smallest, strict=True) if s & set(comp))
                messages.append(
                    f"{_join_names(list(names))} are nearly linearly dependent at {res.name} "
                    f"resolution (smallest eigenvalue of their regressors' correlation "
                    f"matrix {max(lam, 0.0):.3f}, below {1 - threshold:.2f}): one of them is "
                    "close to a combination of the others, so their separate effects are "
                    "poorly identified. Drop or merge one of them, or use finer data."
                )

    return IdentifiabilityReport(
        groups=tuple(groups),
        merged=tuple(merged),
        messages=tuple(messages),
        no_exposure=tuple(ids[k] for k in no_exposure),
        constant=tuple(ids[k] for k in constant),
        dependent=tuple(dependent),
        resolution=res.name,
        threshold=float(threshold),
        event_ids=tuple(ids),
        max_abs_correlation=tuple(max_corr),
        most_correlated_with=tuple(partner),
    )


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
