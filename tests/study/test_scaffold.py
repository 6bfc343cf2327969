"""``impact init``'s draft: choices from the data and the registry, and their reasons."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from impact._core.exceptions import DataValidationError
from impact.study.config import load_study
from impact.study.scaffold import (
    MONTHLY_MIN_MONTHS,
    OTHER_MIN_HISTORY_MONTHS,
    SHORT_HARMONICS,
    draft_study,
    write_study_file,
)

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "real" / "FIXTURE_short_history.csv"


@pytest.fixture(scope="module")
def draft():
    return draft_study(FIXTURE, out=REPO / "study_drafted_in_test.toml", kind="real")


def test_short_history_gets_fourier_and_the_events_that_fit(draft):
    raw = tomllib.loads(draft.text)
    assert 60 < MONTHLY_MIN_MONTHS
    assert raw["baseline"]["seasonality"] == "fourier"
    assert raw["baseline"]["harmonics"] == SHORT_HARMONICS
    assert raw["data"]["kind"] == "real"
    assert raw["data"]["calls"] == "tests/fixtures/real/FIXTURE_short_history.csv"
    assert raw["teams"]["names"] == ["Antwerpen", "Limburg", "Oost-Vlaanderen",
                                     "Vlaams-Brabant", "West-Vlaanderen"]
    assert raw["headline"]["events"] == ["E048", "E049"]
    assert raw["headline"]["pre_start"] == "2019-01"
    assert raw["outputs"]["dir"] == "results"
    # every other event has three years of data before it and its window inside the data
    assert raw["other_events"]["events"]
    assert "E012" not in raw["other_events"]["events"]
    text = str(draft)
    assert f"< {MONTHLY_MIN_MONTHS}" in text
    assert f"{OTHER_MIN_HISTORY_MONTHS} months of history" in text


def test_draft_loads_as_a_study(draft, tmp_path):
    out = REPO / "study_drafted_in_test.toml"
    try:
        write_study_file(draft, out)
        cfg = load_study(out)
        assert cfg.data_kind == "real" and cfg.pre_start == "2019-01"
        with pytest.raises(DataValidationError, match="exists; pass --force"):
            write_study_file(draft, out)
    finally:
        out.unlink(missing_ok=True)


def test_never_writes_under_data(draft):
    with pytest.raises(DataValidationError, match="data/ holds inputs only"):
        write_study_file(draft, REPO / "data" / "raw" / "study.toml")
    assert not (REPO / "data" / "raw" / "study.toml").exists()


def test_long_history_keeps_month_effects(tmp_path):
    panel = REPO / "data" / "synthetic" / "SYNTHETIC_calls_team_month.csv"
    raw = tomllib.loads(draft_study(panel, out=REPO / "x.toml").text)
    assert raw["data"]["kind"] == "synthetic"
    assert raw["baseline"]["seasonality"] == "monthly"
