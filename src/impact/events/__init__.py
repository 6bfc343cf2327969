"""Events: the dated campaigns, news events and known breaks, and how models use them.

Modules:

- :mod:`~impact.events.event`: :class:`Event` and the kinds, shapes and default lengths;
- :mod:`~impact.events.registry`: :class:`EventRegistry` (filter, regressors, merges) and
  :func:`load_events` (the event file);
- :mod:`~impact.events.regressors`: :func:`event_regressor` and :func:`regressor_frame`,
  an event's daily profile averaged over the periods of an index;
- :mod:`~impact.events.identifiability`: :func:`check_identifiability` and its
  :class:`IdentifiabilityReport`;
- :mod:`~impact.events.roles`: :func:`assign_roles` and :class:`EventRoles`, the one rule
  that sorts events into studied effects, known breaks and nuisance terms;
- :mod:`~impact.events.confounding`: :func:`assess_confounding` and :class:`Confounding`,
  the registered events inside an estimate's window and whether they confound it.
"""

from impact.events.confounding import (
    CONFOUNDING_KINDS,
    CONFOUNDING_VERDICTS,
    Confounding,
    WindowEvent,
    assess_confounding,
    event_name,
    events_in_window,
    format_day,
    modelled_ids,
)
from impact.events.event import (
    BASELINE_KINDS,
    DEFAULT_BUMP_DAYS,
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_IDENTIFIABILITY_THRESHOLD,
    DEFAULT_RAMP_DAYS,
    EFFECT_KINDS,
    EVENT_KINDS,
    EVENT_SHAPES,
    REGRESSOR_SHAPES,
    Event,
    apply_shapes,
)
from impact.events.identifiability import IdentifiabilityReport, check_identifiability
from impact.events.registry import EventRegistry, check_event_scopes, load_events
from impact.events.regressors import event_regressor, regressor_frame
from impact.events.roles import (
    IN_WINDOW,
    PRE_EVENTS,
    WINDOW_SHAPES,
    EventRoles,
    assign_roles,
    default_shapes,
)

__all__ = [
    "BASELINE_KINDS",
    "CONFOUNDING_KINDS",
    "CONFOUNDING_VERDICTS",
    "DEFAULT_BUMP_DAYS",
    "DEFAULT_HALF_LIFE_DAYS",
    "DEFAULT_IDENTIFIABILITY_THRESHOLD",
    "DEFAULT_RAMP_DAYS",
    "EFFECT_KINDS",
    "EVENT_KINDS",
    "EVENT_SHAPES",
    "IN_WINDOW",
    "PRE_EVENTS",
    "REGRESSOR_SHAPES",
    "WINDOW_SHAPES",
    "Confounding",
    "Event",
    "EventRegistry",
    "EventRoles",
    "IdentifiabilityReport",
    "WindowEvent",
    "apply_shapes",
    "assess_confounding",
    "assign_roles",
    "check_event_scopes",
    "check_identifiability",
    "default_shapes",
    "event_name",
    "event_regressor",
    "events_in_window",
    "format_day",
    "load_events",
    "modelled_ids",
    "regressor_frame",
]
