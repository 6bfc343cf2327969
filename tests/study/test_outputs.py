"""The output registry (:mod:`impact.study.outputs`): declared once, written, listed.

The run comes from the ``study_runs`` fixture (``tests/study/conftest.py``): a small
synthetic study in a temporary project, with a stand-in for the diagnostics bundle.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from impact.study.outputs import OUTPUTS, OutputSpec, StudyTable, dotted_name
from impact.study.run import run_study

from .conftest import write_small_study

SRC = Path(__file__).resolve().parents[2] / "src" / "impact"
REGISTRY_MODULE = SRC / "study" / "outputs.py"
#: A short output id (T07, F06, R01) as cited in reports.
SHORT_ID = re.compile(r"\b[TFR]\d\d\b")


def _manifest(results: Path) -> dict:
    return json.loads((results / "manifest.json").read_text(encoding="utf-8"))


def _strings(node: object) -> list[str]:
    """Every string value in a JSON document (keys included)."""
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in [str(k), *_strings(v)]]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """String literals of a module that are not docstrings, with their line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


def test_registry_declares_each_output_once_with_an_importable_producer():
    ids = [s.id for s in OUTPUTS]
    assert len(ids) == len(set(ids)) == len(OUTPUTS)
    assert {s.kind for s in OUTPUTS} == {"table", "figure", "estimates", "report", "manifest"}
    for spec in OUTPUTS:
        module, _, qualname = spec.producer_name.rpartition(".")
        assert getattr(importlib.import_module(module), qualname) is spec.producer, spec.id
        assert OUTPUTS[spec.id] is spec
        assert OUTPUTS.find(spec.kind, spec.name) is spec
    assert OUTPUTS.table("seasonal_profile") is not OUTPUTS.figure("seasonal_profile")
    with pytest.raises(KeyError, match="declared tables"):
        OUTPUTS.table("no_such_table")


def test_a_bad_declaration_fails_when_declared():
    with pytest.raises(ValueError, match="kind"):
        OutputSpec("T99_x", "chart", dotted_name, "x")
    with pytest.raises(ValueError, match="data_kind"):
        OutputSpec("T99_x", "table", dotted_name, "x", data_kind="made-up")
    with pytest.raises(ValueError, match="output id"):
        OutputSpec("Table 99", "table", dotted_name, "x")


def test_every_declared_output_is_written_and_listed_in_the_manifest(study_runs):
    results, _ = study_runs
    manifest = _manifest(results)
    listed = manifest["outputs"]
    for spec in OUTPUTS:
        if spec.kind == "manifest":  # the manifest cannot list itself
            assert (results / spec.file).is_file()
            continue
        if spec.requires in ("real_data", "daily"):  # this study is synthetic (tests/test_cli.py:
            # real) and has no [daily] section (tests/study/test_daily.py writes those)
            assert spec.id not in listed
            continue
        assert spec.id in listed, f"{spec.id} is declared but not written"
        entry = listed[spec.id]
        assert entry["producer"] == spec.producer_name
        assert entry["data_kind"] == spec.data_kind_for("synthetic")
        assert entry["files"], spec.id
        for rel in entry["files"]:
            assert (results.parent / rel).is_file(), rel
    declared = {s.id for s in OUTPUTS}
    assert set(listed) <= declared, f"undeclared outputs: {set(listed) - declared}"
    written = {p.stem for p in (results / "tables").glob("*.csv")}
    written |= {p.stem for p in (results / "figures").glob("*.png")}
    assert written <= {stem for s in OUTPUTS for stem in s.file_stems}
    for spec in OUTPUTS.of_kind("figure"):  # one PNG per report language, one CSV
        if spec.id in listed:
            assert {Path(f).name for f in listed[spec.id]["files"]} == (
                {f"{stem}.png" for stem in spec.file_stems} | {f"{spec.id}.csv"})


def test_manifest_holds_no_absolute_path(study_runs):
    results, _ = study_runs
    manifest = _manifest(results)
    root = str(results.parent)
    for text in _strings(manifest):
        assert not Path(text).is_absolute(), text
        assert root not in text, text
    assert manifest["inputs"]["calls"]["path"] == "data/synthetic/SYNTHETIC_calls_team_month.csv"
    assert all(rel.startswith(f"{results.name}/")
               for entry in manifest["outputs"].values() for rel in entry["files"])


def test_no_output_id_is_spelled_outside_the_registry():
    full_ids = {s.id for s in OUTPUTS if "_" in s.id}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == REGISTRY_MODULE:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(SRC)}: {i}" for i in full_ids if i in text]
        found += [f"{path.relative_to(SRC)}:{line}: {value!r}"
                  for line, value in _code_strings(path) if SHORT_ID.search(value)]
    assert not found, "output ids outside impact.study.outputs:\n" + "\n".join(found)


def test_tables_are_named_objects_and_the_tuple_form_is_deprecated():
    table = OUTPUTS.table("seasonal_profile").make_table(
        pd.DataFrame({"x": [1]}), calls_kind="real",
        config=type("Cfg", (), {"year": 2023, "other_post_months": 3})())
    assert isinstance(table, StudyTable) and dataclasses.is_dataclass(table)
    assert (table.id, table.data_kind) == (OUTPUTS.table("seasonal_profile").id, "real")
    with pytest.warns(DeprecationWarning, match=r"\.title"):
        frame, producer, kind, title = table
    assert (producer, kind, title) == (table.producer, table.data_kind, table.title)
    with pytest.warns(DeprecationWarning):
        assert table[3] == table.title


@pytest.mark.slow
def test_full_run_with_diagnostics_writes_every_declared_output(tmp_path):
    results = run_study(write_small_study(tmp_path, "full"), quiet=True)
    listed = _manifest(results)["outputs"]
    # the small study is synthetic: outputs that require real data are not written
    missing = [s.id for s in OUTPUTS if s.kind != "manifest"
               and s.requires not in ("real_data", "daily") and s.id not in listed]
    assert not missing
    assert not [s.id for s in OUTPUTS if s.requires in ("real_data", "daily") and s.id in listed]
