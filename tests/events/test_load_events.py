"""Tests of impact.events.registry.load_events on bad files, and check_event_scopes."""

from __future__ import annotations

from pathlib import Path

import pytest

from impact._core.exceptions import EventError
from impact.events.event import Event
from impact.events.registry import EventRegistry, check_event_scopes, load_events

HEAD = "id,name,kind,start_date,end_date,scope,expected_shape,source_url,note\n"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_unknown_scope_is_kept_and_caught_where_events_meet_data(tmp_path):
    # teams are data: an event file may name teams of another helpline; a typo is caught
    # against the data's teams, with the event's line and the closest team in the data
    path = _write(tmp_path, "E1,x,news,2023-02-03,,Flanders,pulse,,\n"
                            "E2,x,news,2023-02-03,,Limburgg,pulse,,\n")
    reg = load_events(path)
    assert [e.scope for e in reg] == ["Flanders", "Limburgg"]
    with pytest.raises(EventError, match=r"'E2' \(.*line 3\) is scoped to team 'Limburgg'.*"
                                         r"closest team in the data: 'Limburg'"):
        check_event_scopes(reg, ["Limburg", "Antwerpen"])


def test_scope_of_another_helpline_passes_with_its_data(tmp_path):
    reg = load_events(_write(tmp_path, "E1,x,news,2023-02-03,,Gent-Noord,pulse,,\n"
                                       "E2,x,news,2023-02-03,,Belgium,pulse,,\n"))
    check_event_scopes(reg, ["Gent-Noord", "Brugge"], total="Belgium")


def test_estimate_effects_refuses_an_event_scoped_to_a_team_without_data():
    import impact

    panel = impact.simulate_panel(teams=("North", "South"), n_pre=48, n_post=3, seed=2)
    event = impact.Event(id="X9", name="local campaign", kind="campaign",
                         start=str(panel.frame["month"].max().start_time.date()),
                         shape="step", scope="Nort")
    with pytest.raises(EventError, match=r"'X9'.*scoped to team 'Nort'.*'North'"):
        impact.estimate_effects(panel.frame, [event], n_paths=200)


def test_scope_variants_become_the_canonical_team(tmp_path):
    reg = load_events(_write(tmp_path, "E1,x,news,2023-02-03,,CAW West-Vl.,pulse,,\n"
                                       "E2,x,news,2023-02-03,,,pulse,,\n"))
    assert [e.scope for e in reg] == ["West-Vlaanderen", "Flanders"]


def test_repository_event_file_scopes_are_unchanged():
    repo = Path(__file__).resolve().parents[2]
    reg = load_events(repo / "data" / "events" / "events.csv")
    assert {e.scope for e in reg} == {"Flanders", "Limburg"}


def test_header_only_file_is_an_empty_registry(tmp_path):
    assert len(load_events(_write(tmp_path, ""))) == 0


def test_short_rows_are_padded_not_crashing(tmp_path):
    reg = load_events(_write(tmp_path, "E1,x,news,2023-02-03\n"))
    assert reg["E1"].scope == "Flanders"


def _registry() -> EventRegistry:
    return EventRegistry([
        Event(id="E1", name="x", kind="news", start="2023-02-03"),
        Event(id="E2", name="y", kind="news", start="2023-02-03", scope="Limburg",
              origin="events.csv, line 3"),
        Event(id="E3", name="z", kind="news", start="2023-02-03", scope="Antwerpen"),
    ])


def test_check_event_scopes_passes_when_every_team_is_in_the_data():
    assert check_event_scopes(_registry(), ["Limburg", "Antwerpen", "Oost-Vlaanderen"]) is None


def test_check_event_scopes_names_event_line_team_and_closest():
    with pytest.raises(EventError) as info:
        check_event_scopes(_registry(), ["Antwerpen", "Limburgse"])
    text = str(info.value)
    assert "event 'E2' (events.csv, line 3) is scoped to team 'Limburg'" in text
    assert "closest team in the data: 'Limburgse'" in text
    assert "E3" not in text and "E1" not in text


def test_check_event_scopes_lists_every_unknown_team():
    with pytest.raises(EventError, match=r"'E2'.*'E3'.*The data hold Oost-Vlaanderen"):
        check_event_scopes(_registry(), ["Oost-Vlaanderen"])
