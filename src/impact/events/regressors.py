"""Event regressors: an event's daily profile averaged over the periods of an index.

:func:`event_regressor` turns one :class:`~impact.events.event.Event` into a regressor at the
resolution of a period index (daily, weekly, monthly, quarterly or annual): the event is
described day by day (its daily profile, by shape) and each period gets the mean of the
profile over its days, so partial exposure is exact.
:meth:`~impact.events.registry.EventRegistry.to_regressors` does the same for a whole registry.
:func:`regressor_frame` does it for several events (what the registry method uses).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from impact._core.exceptions import DataValidationError, EventError
from impact.events.event import (
    DEFAULT_BUMP_DAYS,
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_RAMP_DAYS,
    REGRESSOR_SHAPES,
    Event,
    _locate,
    _unique_events,
    apply_shapes,
)

__all__ = ["event_regressor", "regressor_frame"]


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


def regressor_frame(
    events: Iterable[Event],
    index: pd.PeriodIndex,
    *,
    shape_overrides: Mapping[str, str] | None = None,
    default_bump_days: int = DEFAULT_BUMP_DAYS,
    default_half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    default_ramp_days: int = DEFAULT_RAMP_DAYS,
) -> pd.DataFrame:
    """Turn several events into regressors at the resolution of a period index.

    What :meth:`impact.events.registry.EventRegistry.to_regressors` returns (see there
    for the parameters and errors): one float column per event, named by event id in the
    given order, indexed by ``index``; ids must be unique.
    """
    _check_defaults(default_bump_days, default_half_life_days, default_ramp_days)
    events = apply_shapes(_unique_events(events), shape_overrides)
    unknown = [e for e in events if e.shape == "unknown"]
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
        for e in events
    }
    return pd.DataFrame(data, index=index, columns=[e.id for e in events], dtype="float64")
