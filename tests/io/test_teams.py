"""Tests of impact.io.teams: team-name variants, totals and the unknown-team message."""

from __future__ import annotations

import pytest

from impact._core.constants import TEAMS
from impact._core.exceptions import DataValidationError
from impact.io.teams import TEAM_ALIASES, TOTAL_LABELS, _is_total, canonical_team


@pytest.mark.parametrize(
    ("variant", "team"),
    [
        ("CAW Antwerpen", "Antwerpen"),
        ("antwerpen", "Antwerpen"),
        ("Vlaams-Brabant en Brussel", "Vlaams-Brabant"),
        ("Vlaams-Brabant/Brussel", "Vlaams-Brabant"),
        ("Vlaams Brabant", "Vlaams-Brabant"),
        ("VB", "Vlaams-Brabant"),
        ("West-Vl.", "West-Vlaanderen"),
        ("W-Vl", "West-Vlaanderen"),
        ("Oost-Vl.", "Oost-Vlaanderen"),
        ("OOST VLAANDEREN", "Oost-Vlaanderen"),
        ("Limburg", "Limburg"),
        ("provincie Limburg", "Limburg"),
    ],
)
def test_canonical_team_variants(variant, team):
    assert canonical_team(variant) == team


def test_alias_table_maps_to_known_teams_only():
    assert set(TEAM_ALIASES.values()) == set(TEAMS)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("Gent", r"unknown team 'Gent'; known teams are Antwerpen, Limburg, Oost-Vlaanderen"),
        ("Brussel", r"Brussels is served by the Vlaams-Brabant team"),
        ("Limbrug", r"Did you mean 'Limburg'"),
        ("Vlaanderen", r"is a total \(Flanders\), not a team"),
    ],
)
def test_canonical_team_unknown(name, pattern):
    with pytest.raises(DataValidationError, match=pattern):
        canonical_team(name)


@pytest.mark.parametrize("label", [*TOTAL_LABELS, "Totaal 2023", "1712 totaal", "TOTAAL"])
def test_total_labels_are_recognised(label):
    assert _is_total(label)


@pytest.mark.parametrize("label", ["Limburg", "", "   ", None, 2023])
def test_teams_and_blanks_are_not_totals(label):
    assert not _is_total(label)
