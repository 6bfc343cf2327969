"""The study runner: determinism, provenance labels, manifest, config errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.study.run import ESTIMATE_COLUMNS, load_study, run_study

REPO = Path(__file__).resolve().parents[2]


def _small_study(tmp_path: Path, out: str) -> Path:
    toml = f"""
[data]
kind = "synthetic"
calls = "{REPO / 'data/synthetic/SYNTHETIC_calls_team_month.csv'}"
events = "{REPO / 'data/events/events.csv'}"
published = "{REPO / 'data/published/published_figures.csv'}"

[study]
seed = 7
level = 0.95
n_paths = 300
year = 2023

[baseline]
family = "negbin"
exposure = "days"

[headline]
events = ["E048", "E049"]
post_end = "2023-10"
pre_start = "2016-01"

[other_events]
events = ["E016"]
post_months = 3

[diagnostics]
run = false

[outputs]
dir = "{tmp_path / out}"
"""
    path = tmp_path / f"{out}.toml"
    path.write_text(toml, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("study")
    a = run_study(_small_study(tmp, "a"), quiet=True)
    b = run_study(_small_study(tmp, "b"), quiet=True)
    return a, b


def test_rerun_is_identical(two_runs):
    a, b = two_runs
    assert (a / "estimates.csv").read_bytes() == (b / "estimates.csv").read_bytes()
    tables_a = sorted(p.name for p in (a / "tables").glob("*.csv"))
    assert tables_a == sorted(p.name for p in (b / "tables").glob("*.csv"))
    assert len(tables_a) >= 8
    for name in tables_a:
        assert (a / "tables" / name).read_bytes() == (b / "tables" / name).read_bytes(), name


def test_every_output_carries_its_data_kind(two_runs):
    a, _ = two_runs
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


def test_manifest_maps_ids_to_producers_and_hashes(two_runs):
    a, _ = two_runs
    m = json.loads((a / "manifest.json").read_text())
    assert {"commit", "dirty", "packages", "config", "seeds", "inputs", "outputs"} <= set(m)
    assert m["seeds"]["study"] == 7
    assert len(m["inputs"]["calls"]["sha256"]) == 64
    for out_id in ("T01_calls_per_team_year", "F02_headline_effect_by_team", "estimates"):
        entry = m["outputs"][out_id]
        assert entry["producer"].startswith("impact.")
        for path, digest in entry["files"].items():
            assert (a / path).is_file() and len(digest) == 64


def test_headline_total_equals_team_sum(two_runs):
    a, _ = two_runs
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
