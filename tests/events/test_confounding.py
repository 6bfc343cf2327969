"""Confounding: the registered events in an estimate's window, and the verdict."""

import pandas as pd
import pytest

from impact.events import Event, EventRegistry, assign_roles
from impact.events.confounding import (
    assess_confounding,
    event_name,
    events_in_window,
    format_day,
    modelled_ids,
)

M = lambda s: pd.Period(s, "M")  # noqa: E731


def _registry(*extra: Event) -> EventRegistry:
    return EventRegistry([
        Event(id="C1", name="Spring campaign", kind="campaign", start="2021-02-10", shape="bump"),
        Event(id="S0", name="Old line opened", kind="capacity", start="2018-01-01"),
        *extra,
    ])


LOCKDOWN = Event(id="L1", name="Lockdown", kind="pandemic", start="2021-03-14",
                 end="2021-05-03")


def test_campaign_window_holding_a_lockdown_is_confounded():
    reg = _registry(LOCKDOWN)
    c = assess_confounding(reg, M("2021-02"), M("2021-04"), event="C1", skip=["C1"])
    assert c.verdict == "confounded"
    assert [e.id for e in c.confounders] == ["L1"]
    # the open-ended capacity step of 2018 is history, not part of the window
    assert [w.event.id for w in c.events] == ["L1"]
    assert "Lockdown" in c.text("en") and "not the effect of this event alone" in c.text(
        "en").lower()
    assert "Niet het effect" in c.text("nl") and "14 maart 2021" in c.text("nl")


def test_modelled_confounder_is_modelled():
    reg = _registry(LOCKDOWN)
    c = assess_confounding(reg, M("2021-02"), M("2021-04"), skip=["C1"], modelled=["L1"])
    assert c.verdict == "modelled" and not c.confounders
    assert "models it" in c.text("en")


def test_small_news_event_in_window_is_listed_but_clear():
    news = Event(id="N1", name="Talk show item", kind="news", start="2021-03-02")
    c = assess_confounding(_registry(news), M("2021-02"), M("2021-04"), skip=["C1"])
    assert c.verdict == "clear" and [w.event.id for w in c.events] == ["N1"]
    # ... unless the caller marks it as large (the study marks its headline events)
    c = assess_confounding(_registry(news), M("2021-02"), M("2021-04"), skip=["C1"],
                           large=["N1"])
    assert c.verdict == "confounded"


def test_window_with_nothing_else_is_clear():
    c = assess_confounding(_registry(), M("2021-02"), M("2021-04"), skip=["C1"])
    assert c.verdict == "clear" and c.events == () and c.table().empty


def test_events_in_window_takes_dated_events_still_in_force():
    long = Event(id="B1", name="Shortfall", kind="capacity", start="2020-12-01",
                 end="2021-02-15", shape="bump")
    reg = _registry(long)
    assert events_in_window(reg, M("2021-02"), M("2021-04")).ids == ("C1", "B1")
    assert events_in_window(reg, M("2021-03"), M("2021-04")).ids == ()


def test_modelled_ids_are_breaks_with_history():
    reg = _registry(LOCKDOWN)
    study = [reg["C1"]]
    roles = assign_roles(study, [e for e in reg if e.id != "C1"], post_start=M("2021-02"),
                         post_end=M("2021-04"))
    # the 2018 step is fitted on the history; the lockdown starts inside the window
    assert modelled_ids(roles, M("2021-02")) == {"S0"}
    c = assess_confounding(reg, M("2021-02"), M("2021-04"), skip=["C1"],
                           modelled=modelled_ids(roles, M("2021-02")))
    assert c.verdict == "confounded"


def test_names_fall_back_to_english_and_dates_in_words():
    e = LOCKDOWN
    assert event_name(e, "nl") == "Lockdown"
    assert format_day(pd.Timestamp("2023-09-15"), "nl") == "15 september 2023"
    assert format_day(pd.Timestamp("2023-09-15"), "en") == "15 September 2023"
    with pytest.raises(ValueError):
        format_day(pd.Timestamp("2023-09-15"), "fr")
