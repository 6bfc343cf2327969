"""The study runner: determinism, provenance labels, manifest, config errors.

The runs come from the ``study_runs`` fixture (``tests/study/conftest.py``).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.reporting.writer import sha256_file
from impact.study.config import load_study
from impact.study.tables import ESTIMATE_COLUMNS


def test_rerun_is_identical(study_runs):
    a, b = study_runs
    assert (a / "estimates.csv").read_bytes() == (b / "estimates.csv").read_bytes()
    tables_a = sorted(p.name for p in (a / "tables").glob("*.csv"))
    assert tables_a == sorted(p.name for p in (b / "tables").glob("*.csv"))
    assert len(tables_a) >= 8
    for name in tables_a:
        assert (a / "tables" / name).read_bytes() == (b / "tables" / name).read_bytes(), name


def test_every_output_carries_its_data_kind(study_runs):
    a, _ = study_runs
    est = pd.read_csv(a / "estimates.csv")
    assert tuple(est.columns) == ESTIMATE_COLUMNS
    assert set(est["data_kind"]) == {"synthetic"}
    for csv in [*(a / "tables").glob("*.csv"), *(a / "figures").glob("*.csv")]:
        frame = pd.read_csv(csv)
        assert "data_kind" in frame.columns, csv.name
        assert frame["data_kind"].isin(["synthetic", "published"]).all(), csv.name
    for md in (a / "tables").glob("*.md"):
        text = md.read_text(encoding="utf-8")
        assert "Data kind" in text
        if "**synthetic**" in text:
            assert "SYNTHETIC DATA" in text


def test_manifest_maps_ids_to_producers_and_hashes(study_runs):
    a, _ = study_runs
    m = json.loads((a / "manifest.json").read_text())
    assert {"commit", "dirty", "packages", "config", "seeds", "inputs", "outputs"} <= set(m)
    assert m["seeds"]["study"] == 7
    assert len(m["inputs"]["calls"]["sha256"]) == 64
    for entry in m["outputs"].values():
        assert entry["producer"].startswith("impact.")
        for path, digest in entry["files"].items():
            # paths are relative to the study's root (the folder above the results)
            assert (a.parent / path).is_file() and len(digest) == 64
            assert sha256_file(a.parent / path) == digest


def test_headline_total_equals_team_sum(study_runs):
    a, _ = study_runs
    est = pd.read_csv(a / "estimates.csv")
    cum = est[(est.estimator == "counterfactual") & (est.quantity == "cumulative_effect")
              & (est.event == "E048+E049")].set_index("team")["estimate"]
    # estimates.csv keeps 6 significant digits
    assert cum["Flanders"] == pytest.approx(cum.drop("Flanders").sum(), rel=1e-5)


def test_bad_config_names_the_setting(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('[data]\nkind = "imaginary"\ncalls = "x.csv"\n', encoding="utf-8")
    with pytest.raises(DataValidationError, match="kind"):
        load_study(p)
    p.write_text('[data]\nkind = "real"\n', encoding="utf-8")
    with pytest.raises(DataValidationError, match="calls"):
        load_study(p)
    with pytest.raises(DataValidationError, match="does not exist"):
        load_study(tmp_path / "missing.toml")
