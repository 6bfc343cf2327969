"""compute_study on a short real-shaped history: what cannot be estimated is dropped with
one line, pre_start before the data is stated, the published record is compared."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from impact._core.exceptions import ImpactWarning
from impact.study.compute import _placebo_notes, compute_study
from impact.study.config import load_study

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "real" / "FIXTURE_short_history.csv"


@pytest.fixture(scope="module")
def short_study(tmp_path_factory):
    root = tmp_path_factory.mktemp("short")
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    for rel in ("data/events/events.csv", "data/published/published_figures.csv"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / rel, root / rel)
    shutil.copyfile(FIXTURE, root / FIXTURE.name)
    study = root / "study.toml"
    study.write_text(f"""
[data]
kind = "real"
calls = "{FIXTURE.name}"
[study]
n_paths = 200
[headline]
events = ["E048", "E049"]
post_end = "2023-10"
pre_start = "2016-01"
[other_events]
events = ["E012", "E042", "E046"]
[diagnostics]
run = false
""", encoding="utf-8")
    with pytest.warns(ImpactWarning, match="pre_start = 2016-01 is before the first month"):
        return compute_study(load_study(study))


def test_events_that_cannot_be_estimated_are_dropped_with_one_line_each(short_study):
    notes = short_study.warnings
    dropped = [n for n in notes if " dropped: " in n]
    assert [n.split()[1] for n in dropped] == ["E012", "E042"]
    assert "1 month of data before 2019-02, at least 36 needed" in dropped[0]
    assert "usable periods" in dropped[1] and "\n" not in dropped[1]
    assert set(short_study.other_effects) == {"E046"}


def test_pre_start_before_the_data_is_stated(short_study):
    assert any("pre_start = 2016-01 is before the first month of data (2019-01)" in n
               for n in short_study.warnings)


def test_real_data_get_the_published_comparison_and_the_measure(short_study):
    table = short_study.table("published_consistency")
    assert {"F201", "F036"} <= set(table["source_id"])
    assert short_study.measure.startswith("answered contacts")


def test_too_few_placebo_windows_are_noted():
    table = pd.DataFrame({"n_placebos": [4, 30]}, index=["Antwerpen", "Flanders"])
    diag = SimpleNamespace(summary=lambda: SimpleNamespace(table=table))
    (line,) = _placebo_notes(diag, 0.95)
    assert "too few placebo windows" in line and "Antwerpen 4" in line
    assert "at least 19" in line and "Flanders" not in line
    assert _placebo_notes(diag, 0.8) == []


def test_run_daily_false_skips_the_daily_part(short_study, monkeypatch):
    """``StudyConfig.run_daily=False`` (what the notebooks without a daily section set)
    never starts the daily part, even for a study file with ``[daily]``."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("compute_daily was called although run_daily is False")

    monkeypatch.setattr("impact.study.compute.compute_daily", refuse)
    cfg = short_study.config
    cfg = dataclasses.replace(cfg, raw={**cfg.raw, "daily": {"calls": "x.csv"}},
                              run_daily=False, other_events=())
    with pytest.warns(ImpactWarning):
        out = compute_study(cfg)
    assert out.daily is None and "daily_effects" not in {t.split("_", 1)[1]
                                                         for t in out.tables}
