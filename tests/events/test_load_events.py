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


def test_unknown_scope_is_refused_with_line_and_closest_team(tmp_path):
    path = _write(tmp_path, "E1,x,news,2023-02-03,,Flanders,pulse,,\n"
                            "E2,x,news,2023-02-03,,Limburgg,pulse,,\n")
    with pytest.raises(EventError, match=r"line 3: scope 'Limburgg' is not a 1712 team "
                                         r"\(closest: 'Limburg'\)"):
        load_events(path)


def test_atlantis_scope_is_refused(tmp_path):
    with pytest.raises(EventError, match=r"line 2: scope 'Atlantis' is not a 1712 team"):
        load_events(_write(tmp_path, "E1,x,news,2023-02-03,,Atlantis,pulse,,\n"))


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
