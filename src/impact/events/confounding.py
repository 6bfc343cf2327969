"""Confounding named, not hidden: the registered events inside an estimate's window.

An effect estimated over a window of months is the effect of everything that changed the
calls in that window and that the baseline does not model. :func:`assess_confounding`
lists the registered events in force inside the window (those that start in it, and
those with an end date that are still in force when it opens), says for each whether the
fit models it, and gives one verdict (:data:`CONFOUNDING_VERDICTS`):

- ``confounded``: the window holds an event that *confounds* and is not modelled. An
  event confounds when it is of a baseline kind (:data:`CONFOUNDING_KINDS`: a capacity,
  registration or pandemic change moves every call, whatever the campaign) or when the
  caller marks it as large (``large``: the study passes its headline events, the largest
  news events it knows of). The estimate is then the joint effect of the event and these
  confounders, and is reported as such (or withheld);
- ``modelled``: the window holds confounding events, and every one of them is a term of
  the fit (a known break or nuisance term with exposure in the fitted history), so its
  effect is not in the estimate;
- ``clear``: no confounding event in the window. Other news and campaign events in the
  window are still listed (they share the window), but do not change the verdict.

The rule reads only registry fields (kind, dates) and the fit's roles
(:class:`~impact.events.roles.EventRoles`, through :func:`modelled_ids`), never event ids.
Names are given in Dutch where the event carries a ``name_nl`` and in English otherwise
(:func:`event_name`); :meth:`Confounding.text` says it in plain words in either language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

import pandas as pd

from impact.events.event import BASELINE_KINDS, Event
from impact.events.registry import EventRegistry
from impact.events.roles import EventRoles

__all__ = [
    "CONFOUNDING_KINDS",
    "CONFOUNDING_VERDICTS",
    "Confounding",
    "WindowEvent",
    "assess_confounding",
    "event_name",
    "events_in_window",
    "format_day",
    "modelled_ids",
]

#: Kinds whose events confound any effect in their window unless the fit models them.
CONFOUNDING_KINDS: tuple[str, ...] = BASELINE_KINDS
#: The verdicts of :func:`assess_confounding`, most serious first.
CONFOUNDING_VERDICTS: tuple[str, ...] = ("confounded", "modelled", "clear")

_KIND_WORDS = {
    "en": {"capacity": "capacity change", "registration": "registration change",
           "pandemic": "pandemic measure", "news": "news event", "campaign": "campaign",
           "policy": "policy change"},
    "nl": {"capacity": "capaciteitswijziging", "registration": "registratiewijziging",
           "pandemic": "coronamaatregel", "news": "nieuwsfeit", "campaign": "campagne",
           "policy": "beleidswijziging"},
}
_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
}


def _lang(lang: str) -> str:
    if lang not in _KIND_WORDS:
        raise ValueError(f"lang={lang!r}; expected 'nl' or 'en'.")
    return lang


def format_day(day: pd.Timestamp, lang: str = "en") -> str:
    """A date in words: ``15 September 2023`` (en) or ``15 september 2023`` (nl)."""
    return f"{day.day} {_MONTHS[_lang(lang)][day.month - 1]} {day.year}"


def _format_month(period: pd.Period, lang: str) -> str:
    return f"{_MONTHS[_lang(lang)][period.month - 1]} {period.year}"


def event_name(event: Event, lang: str = "en") -> str:
    """The event's name: ``name_nl`` in Dutch where the event has one, else ``name``."""
    if _lang(lang) == "nl":
        return str(getattr(event, "name_nl", "") or event.name)
    return event.name


def events_in_window(
    registry: Iterable[Event], start: pd.Period, end: pd.Period
) -> EventRegistry:
    """The events in force at some day of the window ``start`` to ``end`` (periods, inclusive).

    An event is in force from its start to its end date, and on its start day only when
    it has no end date: an open-ended step that began before the window is part of the
    history the baseline is fitted on, not of the window.
    """
    first, last = start.start_time.normalize(), end.end_time.normalize()
    return EventRegistry([e for e in registry if e.start <= last and (e.end or e.start) >= first])


def modelled_ids(roles: EventRoles, post_start: pd.Period) -> frozenset[str]:
    """Ids of the events a counterfactual fit models: known breaks and nuisance terms that
    start before the post-period (a term that starts inside it has no exposure in the
    fitted history, so the fit cannot estimate it)."""
    return frozenset(
        e.id for e in (*roles.breaks, *roles.terms)
        if e.start.to_period(post_start.freq) < post_start
    )


@dataclasses.dataclass(frozen=True)
class WindowEvent:
    """One registered event inside an estimate's window.

    Attributes
    ----------
    event : Event
    is_modelled : bool
        A term of the fit (its effect is not in the estimate).
    is_confounder : bool
        Of a confounding kind or marked large, and not modelled.
    """

    event: Event
    is_modelled: bool
    is_confounder: bool

    def describe(self, lang: str = "en") -> str:
        """``<name> (<kind>, from <date>)`` in plain words."""
        e = self.event
        word = "vanaf" if _lang(lang) == "nl" else "from"
        return (f"{event_name(e, lang)} ({_KIND_WORDS[lang][e.kind]}, {word} "
                f"{format_day(e.start, lang)})")


@dataclasses.dataclass(frozen=True)
class Confounding:
    """The registered events inside an estimate's window and the verdict.

    Attributes
    ----------
    event : str
        The estimated event(s), as labelled in the estimate (``E048+E049``).
    window_start, window_end : Period
        The post-period (inclusive).
    events : tuple of WindowEvent
        Every other registered event in force inside the window, in registry order.
    verdict : str
        One of :data:`CONFOUNDING_VERDICTS`.
    """

    event: str
    window_start: pd.Period
    window_end: pd.Period
    events: tuple[WindowEvent, ...]
    verdict: str

    @property
    def confounders(self) -> tuple[Event, ...]:
        """The confounding events the fit does not model."""
        return tuple(w.event for w in self.events if w.is_confounder)

    @property
    def modelled(self) -> tuple[Event, ...]:
        """The events in the window that the fit models."""
        return tuple(w.event for w in self.events if w.is_modelled)

    @property
    def is_confounded(self) -> bool:
        """Whether the estimate includes the effect of an unmodelled confounder."""
        return self.verdict == "confounded"

    def names(self, lang: str = "en", *, which: str = "all") -> str:
        """The events (``all``) or the confounders (``confounders``) in words, ``; ``-joined."""
        chosen = [w for w in self.events if which == "all" or w.is_confounder]
        return "; ".join(w.describe(lang) for w in chosen)

    def table(self) -> pd.DataFrame:
        """One row per event in the window: id, name, kind, start, modelled, confounder.

        (Named ``table``, not ``to_frame``: a record for tables and reports, not a fitted
        result with a summary and a figure.)
        """
        rows = [{"event": self.event, "window_start": str(self.window_start),
                 "window_end": str(self.window_end), "event_in_window": w.event.id,
                 "name": w.event.name, "kind": w.event.kind,
                 "start": w.event.start.date().isoformat(), "is_modelled": w.is_modelled,
                 "is_confounder": w.is_confounder, "verdict": self.verdict}
                for w in self.events]
        return pd.DataFrame(rows, columns=["event", "window_start", "window_end",
                                           "event_in_window", "name", "kind", "start",
                                           "is_modelled", "is_confounder", "verdict"])

    def text(self, lang: str = "en") -> str:
        """The verdict in one or two plain sentences, in English or Dutch."""
        lang = _lang(lang)
        span = (f"{_format_month(self.window_start, lang)} – "
                f"{_format_month(self.window_end, lang)}")
        if lang == "nl":
            if self.is_confounded:
                return (f"Niet het effect van deze gebeurtenis alleen: in hetzelfde venster "
                        f"({span}) valt ook {self.names('nl', which='confounders')}. Het "
                        "basismodel houdt daar geen rekening mee, dus het getal bevat ook "
                        "dat effect.")
            if self.verdict == "modelled":
                return (f"In het venster ({span}) valt ook "
                        f"{'; '.join(w.describe('nl') for w in self.events if w.is_modelled)}"
                        "; het basismodel houdt daar rekening mee.")
            if self.events:
                return (f"In het venster ({span}) valt ook {self.names('nl')}; geen grotere "
                        "gebeurtenis of capaciteitswijziging.")
            return f"Geen andere geregistreerde gebeurtenis in het venster ({span})."
        if self.is_confounded:
            return (f"Not the effect of this event alone: the same window ({span}) also holds "
                    f"{self.names('en', which='confounders')}. The baseline does not model "
                    "it, so the number includes its effect.")
        if self.verdict == "modelled":
            return (f"The window ({span}) also holds "
                    f"{'; '.join(w.describe('en') for w in self.events if w.is_modelled)}; "
                    "the baseline models it.")
        if self.events:
            return (f"The window ({span}) also holds {self.names('en')}; no larger event or "
                    "capacity change.")
        return f"No other registered event in the window ({span})."


def assess_confounding(
    registry: Iterable[Event],
    start: pd.Period,
    end: pd.Period,
    *,
    event: str = "",
    skip: Iterable[str] = (),
    modelled: Iterable[str] = (),
    large: Iterable[str] = (),
    confounds: Callable[[Event], bool] | None = None,
) -> Confounding:
    """List the registered events inside a window and say whether they confound the estimate.

    Parameters
    ----------
    registry : iterable of Event
        Every registered event.
    start, end : Period
        The estimate's post-period (inclusive).
    event : str, optional
        Label of the estimated event(s), kept in the result.
    skip : iterable of str
        Ids not to list: the events under study and those of the same story (part of the
        estimated joint effect by design).
    modelled : iterable of str
        Ids of the events the fit models (:func:`modelled_ids` for a counterfactual; the
        known breaks of an interrupted time series, which is fitted across the window).
    large : iterable of str
        Ids of news or campaign events known to be large enough to confound another
        event's window (the study passes its headline events).
    confounds : callable, optional
        Whether an event confounds; default: its kind is in :data:`CONFOUNDING_KINDS` or
        its id is in ``large``.

    Returns
    -------
    Confounding
    """
    skip, modelled, large = set(skip), set(modelled), set(large)
    rule = confounds or (lambda e: e.kind in CONFOUNDING_KINDS or e.id in large)
    listed = []
    for e in events_in_window(registry, start, end):
        if e.id in skip:
            continue
        is_modelled = e.id in modelled
        listed.append(WindowEvent(e, is_modelled, bool(rule(e)) and not is_modelled))
    if any(w.is_confounder for w in listed):
        verdict = "confounded"
    elif any(w.is_modelled and rule(w.event) for w in listed):
        verdict = "modelled"
    else:
        verdict = "clear"
    return Confounding(event=event, window_start=start, window_end=end,
                       events=tuple(listed), verdict=verdict)
