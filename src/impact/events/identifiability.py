"""Identifiability: which events can be told apart at the resolution of the data.

Events are dated to the day, but the data may be monthly. :func:`check_identifiability`
finds events whose regressors (:mod:`impact.events.regressors`) are nearly collinear on a period
index, events without exposure or constant over the data, and near-linear dependences,
and proposes one joint event per inseparable group (an :class:`IdentifiabilityReport`).
:meth:`~impact.events.registry.EventRegistry.merge_unidentifiable` applies the merges. Both public
names are part of :mod:`impact.events`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from impact import plots
from impact._core.exceptions import EventError
from impact._core.summary import Summary
from impact.events.event import (
    DEFAULT_BUMP_DAYS,
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_IDENTIFIABILITY_THRESHOLD,
    DEFAULT_RAMP_DAYS,
    EFFECT_KINDS,
    Event,
    _describe,
    _unique_events,
    apply_shapes,
)
from impact.events.regressors import (
    _concrete_shape,
    _from_ordinal,
    _pulse_last_day,
    _regressor_values,
    _resolve_index,
    regressor_frame,
)

__all__ = ["IdentifiabilityReport", "check_identifiability"]

# A regressor whose largest absolute value is at most this is "no exposure" (the event
# lies outside the data); one whose range is at most this is "constant".
_NEGLIGIBLE = 1e-6
# An eigenvector component at least this large (in absolute value, unit-norm vector)
# names an event as part of a near-linear dependence.
_LOADING_MIN = 0.1

# Finer resolutions (name, freq) at which a group's members are checked again.
_FINER: dict[str, tuple[tuple[str, str], ...]] = {
    "annual": (("monthly", "M"), ("weekly", "W-SUN"), ("daily", "D")),
    "quarterly": (("monthly", "M"), ("weekly", "W-SUN"), ("daily", "D")),
    "monthly": (("weekly", "W-SUN"), ("daily", "D")),
    "weekly": (("daily", "D"),),
    "daily": (),
}


# ---------------------------------------------------------------------------------------
# Report


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

    def summary(self) -> Summary:
        """Which events can be told apart, which are merged, and why."""
        verdict = (
            f"All {len(self.event_ids)} events can be told apart at {self.resolution or 'this'} "
            "resolution"
            if self.is_identifiable
            else f"Not every event can be told apart at {self.resolution or 'this'} resolution"
        )
        text = (
            f"{verdict} (absolute correlation of the event regressors above "
            f"{self.threshold:g} counts as inseparable; method: pairwise correlation and "
            "near-linear dependence of the regressors on the data's periods)."
        )
        if self.messages:
            text += " " + " ".join(self.messages)
        return Summary(table=self.to_frame(), text=text)

    def plot(self, *, ax: Any = None) -> Any:
        """Each event's largest correlation with another one, against the threshold."""
        return plots.plot_identifiability(self, ax=ax)

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


# ---------------------------------------------------------------------------------------
# Grouping and merging


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


# ---------------------------------------------------------------------------------------
# The check


def check_identifiability(
    events: Iterable[Event],
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
    evs = list(_unique_events(events))
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not (0 < threshold < 1)
    ):
        raise EventError(f"threshold must be a number strictly between 0 and 1, got {threshold!r}.")
    evs = list(apply_shapes(evs, shape_overrides))
    res = _resolve_index(index)
    defaults = {
        "default_bump_days": default_bump_days,
        "default_half_life_days": default_half_life_days,
        "default_ramp_days": default_ramp_days,
    }
    frame = regressor_frame(evs, index, **defaults)
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

