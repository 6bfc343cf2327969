"""The comparison of a real table's annual totals with the published record."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from impact.io import load_call_counts, load_published
from impact.study.consistency import (
    CONSISTENCY_COLUMNS,
    measure_definition,
    table_published_consistency,
)

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "real" / "FIXTURE_short_history.csv"


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return load_published(REPO / "data" / "published" / "published_figures.csv")


@pytest.fixture(scope="module")
def calls() -> pd.DataFrame:
    return load_call_counts(FIXTURE, kind="real")


@pytest.mark.parametrize(("measure", "definition"), [
    ("beantwoord", "calls_answered"), ("answered contacts (phone+chat)", "calls_answered"),
    ("aangeboden", "calls_received"), ("offered", "calls_received"),
    ("unieke oproepers", "unique_calls"), ("contacts", ""), (None, ""),
])
def test_measure_definition(measure, definition):
    assert measure_definition(measure) == definition


def test_same_definition_compared_others_listed_not_compared(calls, published):
    table = table_published_consistency(calls, published, measure="beantwoord")
    assert list(table.columns) == list(CONSISTENCY_COLUMNS)
    row = table[(table["team"] == "Flanders") & (table["year"] == 2023)].iloc[0]
    assert row["source_id"] == "F201" and row["published_definition"] == "calls_answered"
    assert row["status"] == "consistent"
    other = table[table["published_definition"] != "calls_answered"]
    assert len(other) and (other["status"] == "different definition (not compared)").all()
    assert set(table["team"]) == {"Flanders", "West-Vlaanderen"}
    assert (table["data_kind"] == "real").all()


def test_a_difference_beyond_rounding_is_reported(calls, published):
    changed = calls.copy()
    changed.loc[changed["month"] == pd.Period("2023-05", "M"), "calls"] += 21
    changed.attrs = dict(calls.attrs)
    table = table_published_consistency(changed, published, measure="answered")
    row = table[(table["team"] == "Flanders") & (table["year"] == 2023)].iloc[0]
    assert row["status"] == "differs beyond rounding"
    assert row["difference"] == pytest.approx(5 * 21)


def test_a_partial_year_is_not_compared(calls, published):
    part = calls[calls["month"] <= pd.Period("2023-06", "M")].reset_index(drop=True)
    part.attrs = dict(calls.attrs)
    table = table_published_consistency(part, published, measure="answered")
    row = table[(table["team"] == "Flanders") & (table["year"] == 2023)].iloc[0]
    assert row["status"] == "partial year in the data (not compared)"


def test_another_total_has_no_published_record(calls, published):
    renamed = calls.assign(team="Lijn " + calls["team"])
    renamed.attrs = dict(calls.attrs)
    table = table_published_consistency(renamed, published, measure="answered",
                                        total="Helpline")
    assert table.empty and list(table.columns) == list(CONSISTENCY_COLUMNS)
