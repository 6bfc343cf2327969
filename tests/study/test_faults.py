"""A real study run killed at several points leaves the previous results intact.

Each test builds a small project in a temporary folder (synthetic panel, events,
published figures, a study file with relative paths), writes a first set of results,
then runs ``python -m impact run`` in a child process and interrupts it when its progress
line for a given step appears on stderr. The previous results folder must then be byte
for byte what it was, its manifest must match its files, and the next run must clean
the leftovers and succeed. The transaction itself is tested in
``tests/reporting/test_atomic.py``; these tests check that the study uses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from impact.study.run import run_study
from tests.study.conftest import write_small_study

SRC = Path(__file__).resolve().parents[2] / "src"
#: A child that has not reached the step after this many seconds has hung.
STEP_TIMEOUT = 240.0


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _manifest_matches(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    listed = 0
    for entry in manifest["outputs"].values():
        for rel, digest in entry["files"].items():
            path = folder.parent / rel
            assert path.is_file(), f"manifest lists {rel}, which is missing"
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, rel
            listed += 1
    on_disk = {p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert listed == len(on_disk), "files in the results folder that the manifest does not list"


@pytest.fixture(scope="module")  # the tests of a file run on one worker (tests/conftest.py)
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the small study and the results of its first run (made once)."""
    root = tmp_path_factory.mktemp("first_run")
    # two teams, no other events: what is tested is the run's transaction, not its numbers
    run_study(write_small_study(root, "results", diagnostics=False,
                                teams=("Antwerpen", "Limburg"), other_events=(), n_paths=200),
              quiet=True)
    return root


@pytest.fixture
def project(first_run: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A fresh copy of that project: its manifest's paths are relative to the project, so
    the copy is what a first run in the copy's folder would have written."""
    shutil.copytree(first_run, tmp_path, dirs_exist_ok=True)
    return tmp_path, tmp_path / "results.toml"


def _run_until(study: Path, step: str, sig: int) -> subprocess.CompletedProcess[str] | None:
    """Start the study in a child, send ``sig`` when ``step`` appears in its progress."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    child = subprocess.Popen(
        [sys.executable, "-m", "impact", "run", study.name], cwd=study.parent, env=env,
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    deadline = time.monotonic() + STEP_TIMEOUT
    assert child.stderr is not None
    for line in child.stderr:
        if step in line:
            child.send_signal(sig)
            break
        if time.monotonic() > deadline:  # pragma: no cover - a hung child
            child.kill()
            pytest.fail(f"the run did not reach {step!r} in {STEP_TIMEOUT} s")
    else:
        child.wait()
        pytest.fail(f"the run ended without printing {step!r}")
    child.communicate(timeout=STEP_TIMEOUT)
    return None


def _check_intact(root: Path, before: dict[str, bytes]) -> None:
    results = root / "results"
    assert _snapshot(results) == before, "the previous results changed"
    _manifest_matches(results)


def _check_next_run(root: Path, study: Path) -> None:
    (root / "results" / "tables" / "T99_stale.csv").write_text("old\n")
    run_study(study, quiet=True)
    assert not (root / "results" / "tables" / "T99_stale.csv").exists(), "a stale file survived"
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".results")
                 and not p.name.endswith(".lock")]
    assert not leftovers, leftovers
    _manifest_matches(root / "results")


def test_sigkill_after_the_figures_step_leaves_previous_results(project) -> None:
    root, study = project
    before = _snapshot(root / "results")
    _run_until(study, "reports (nl, en", signal.SIGKILL)
    _check_intact(root, before)
    _check_next_run(root, study)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("step", "sig"),
    [("Q4: headline events", signal.SIGKILL), ("figures", signal.SIGINT),
     ("figures", signal.SIGTERM), ("reports (nl, en", signal.SIGINT)],
    ids=["kill-during-compute", "int-at-figures", "term-at-figures", "int-at-reports"],
)
def test_interrupts_at_several_points_leave_previous_results(project, step, sig) -> None:
    root, study = project
    before = _snapshot(root / "results")
    _run_until(study, step, sig)
    _check_intact(root, before)
    _check_next_run(root, study)


def test_a_second_run_on_the_same_folder_is_refused(project) -> None:
    root, study = project
    before = _snapshot(root / "results")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    first = subprocess.Popen(
        [sys.executable, "-m", "impact", "run", study.name], cwd=root, env=env,
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    assert first.stderr is not None
    for line in first.stderr:
        if "Q4" in line:  # the first run holds the lock from its start
            break
    second = subprocess.run(
        [sys.executable, "-m", "impact", "run", study.name], cwd=root, env=env,
        capture_output=True, text=True, timeout=STEP_TIMEOUT,
    )
    first.communicate(timeout=STEP_TIMEOUT)
    assert second.returncode == 1
    assert "another impact run" in second.stderr and "Traceback" not in second.stderr
    assert first.returncode == 0
    # same inputs and seed: the first run rewrote the same bytes, complete and listed
    assert _snapshot(root / "results") == before
    _manifest_matches(root / "results")


def test_out_writes_to_an_explicit_folder_and_refuses_a_foreign_one(project, tmp_path_factory):
    root, study = project
    before = _snapshot(root / "results")
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "run1"
    assert run_study(study, quiet=True, out=elsewhere) == elsewhere.resolve()
    _manifest_matches(elsewhere)
    assert _snapshot(root / "results") == before  # [outputs] dir untouched
    foreign = tmp_path_factory.mktemp("foreign")
    (foreign / "thesis.docx").write_text("not results")
    from impact import ImpactError

    with pytest.raises(ImpactError, match="--out"):
        run_study(study, quiet=True, out=foreign)
    assert (foreign / "thesis.docx").read_text() == "not results"
    with pytest.raises(ImpactError, match="data"):
        run_study(study, quiet=True, out=root / "data" / "raw" / "x")
