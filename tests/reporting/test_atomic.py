"""Atomic, locked, confined results folders (impact.reporting.atomic and
impact.reporting.confine; issue 10: results lost or mixed, writes where they should not).

Fault tests kill a child process that writes through ``results_transaction`` at several
points and check that the previous folder is byte-identical and that the next run cleans
up and succeeds.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from impact._core.exceptions import DataValidationError, ImpactError
from impact.reporting import (
    atomic,
    check_synthetic_target,
    is_results_dir,
    resolve_output_dir,
    results_transaction,
)

SRC = Path(__file__).resolve().parents[2] / "src"
#: Seconds a child waits for its next step; generous so a slow machine does not flake.
CHILD_TIMEOUT = 30
MANIFEST = {"commit": "abc", "packages": {"impact": "0.1.0"}, "outputs": {}}


# ---------------------------------------------------------------------------- helpers


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) below ``folder``, by relative path."""
    return {
        str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
    }


def leftovers(target: Path) -> list[str]:
    """Lock, staging and previous-copy files the transaction keeps next to ``target``."""
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


def write_results(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {"manifest.json": json.dumps(MANIFEST), **files}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


@pytest.fixture
def old_results(tmp_path: Path) -> Path:
    """A results folder from an earlier run, including outputs a new run will not write."""
    target = tmp_path / "results"
    write_results(
        target,
        {"tables/T01.csv": "old T01\n", "tables/T09.csv": "stale\n", "figures/F07.png": "png"},
    )
    return target


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fake project: pyproject, data/raw, data/synthetic, a README, earlier results,
    a source folder and a symbolic link leading out of the project."""
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (root / "README.md").write_text("readme\n")
    for sub in ("data/raw", "data/synthetic", "src/pkg"):
        (root / sub).mkdir(parents=True)
    (root / "data/raw/calls.csv").write_text("team,month,calls\n")
    (root / "src/pkg/mod.py").write_text("x = 1\n")
    write_results(root / "results", {"tables/T01.csv": "1\n"})
    outside = tmp_path_factory.mktemp("outside")
    (root / "link").symlink_to(outside, target_is_directory=True)
    (root / "loop").symlink_to(root / "loop")
    return root


# ------------------------------------------------------------------- resolve_output_dir


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("../../x", "outside the project"),
        ("", "project root itself"),
        (".", "project root itself"),
        ("  ", "project root itself"),
        ("data", "under data/"),
        ("data/raw", "under data/"),
        ("data/synthetic/out", "under data/"),
        ("results/../data/raw", "under data/"),
        (".git/x", "under .git/"),
        ("README.md", "existing file"),
        ("src", "holding other files"),
        ("link/out", "through a symbolic link"),
        ("loop/out", "cannot be resolved"),
        ("~/results", "not expanded"),
        ("a\0b", "NUL"),
        (5, "is a int"),
        (True, "is a bool"),
        (None, "is a NoneType"),
        (["results"], "is a list"),
    ],
)
def test_resolve_output_dir_refuses(project: Path, value: object, match: str) -> None:
    with pytest.raises(DataValidationError, match=match) as info:
        resolve_output_dir(value, project_root=project)
    message = str(info.value)
    assert message.startswith(f"[outputs] dir = {value!r}")
    assert "expected a folder inside the project" in message


def test_resolve_output_dir_refuses_absolute_elsewhere(project: Path, tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="lies outside the project"):
        resolve_output_dir(str(tmp_path / "x"), project_root=project)


def test_resolve_output_dir_accepts_inside(project: Path) -> None:
    root = project.resolve()
    assert resolve_output_dir("results", project_root=project) == root / "results"
    assert resolve_output_dir("out/run1", project_root=project) == root / "out" / "run1"
    assert resolve_output_dir(str(root / "out"), project_root=project) == root / "out"
    assert resolve_output_dir("sub/../results", project_root=project) == root / "results"
    assert resolve_output_dir("x", project_root=project, base=root / "src") == root / "src/x"
    assert not (root / "out").exists()  # checking creates nothing


def test_resolve_output_dir_allow_outside(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert resolve_output_dir(str(empty), project_root=project, allow_outside=True) == empty
    missing = tmp_path / "new" / "run"
    assert resolve_output_dir(str(missing), project_root=project, allow_outside=True) == missing
    earlier = tmp_path / "earlier"
    write_results(earlier, {"T01.csv": "1\n"})
    assert resolve_output_dir(str(earlier), project_root=project, allow_outside=True) == earlier
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.tex").write_text("precious\n")
    with pytest.raises(DataValidationError, match="--out = .*holding other files"):
        resolve_output_dir(str(busy), project_root=project, allow_outside=True, key="--out")
    for value in (str(project / "data" / "raw"), str(project), str(project.parent)):
        with pytest.raises(DataValidationError):
            resolve_output_dir(value, project_root=project, allow_outside=True)


def test_is_results_dir(tmp_path: Path) -> None:
    write_results(tmp_path / "ok", {})
    assert is_results_dir(tmp_path / "ok")
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "manifest.json").write_text('{"generator": "impact 0.2"}')
    assert is_results_dir(tmp_path / "gen")
    for name, text in {"list": "[]", "bad": "{", "other": '{"packages": {}}'}.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text(text)
        assert not is_results_dir(tmp_path / name)
    assert not is_results_dir(tmp_path / "missing")


PATH_PARTS = st.sampled_from(
    ["..", ".", "", "data", "raw", "synthetic", "results", "out", "README.md", "link", "loop",
     "src", ".git", "~", "a b", "é", "\\", ":"]
)


@given(
    parts=st.lists(PATH_PARTS, max_size=6),
    absolute=st.booleans(),
    noise=st.text(max_size=8),
)
def test_resolve_output_dir_property(
    project: Path, parts: list[str], absolute: bool, noise: str
) -> None:
    value = ("/" if absolute else "") + "/".join(parts) + noise
    root = project.resolve()
    try:
        resolved = resolve_output_dir(value, project_root=project)
    except DataValidationError:
        return
    assert resolved.is_relative_to(root) and resolved != root
    assert not resolved.is_relative_to(root / "data")
    assert not resolved.is_file()


# ---------------------------------------------------------------- check_synthetic_target


def test_check_synthetic_target(project: Path) -> None:
    root = project.resolve()
    ok = check_synthetic_target("data/synthetic/new/calls.csv", project_root=project)
    assert ok == root / "data/synthetic/new/calls.csv"
    with pytest.raises(DataValidationError, match=r"\[data\] calls = .*under data/raw/"):
        check_synthetic_target("data/raw/new_sub/calls.csv", project_root=project)
    assert not (root / "data/raw/new_sub").exists()
    for bad in ("results/calls.csv", "../calls.csv", "data/calls.csv", "data/synthetic",
                str(root.parent / "calls.csv"), "data/synthetic/../raw/calls.csv"):
        with pytest.raises(DataValidationError, match="data/synthetic/|data/raw/"):
            check_synthetic_target(bad, project_root=project)
    with pytest.raises(DataValidationError, match="not a file path"):
        check_synthetic_target(5, project_root=project)  # type: ignore[arg-type]


# --------------------------------------------------------------- transaction in-process


def test_first_run_creates_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "out" / "results"
    messages: list[str] = []
    with results_transaction(target, progress=messages.append) as staging:
        assert staging.parent == target.parent and not any(staging.iterdir())
        (staging / "T01.csv").write_text("new\n")
    assert snapshot(target) == {"T01.csv": b"new\n"}
    assert leftovers(target) == []
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o777 & ~umask
    assert any("results written" in m for m in messages)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_success_replaces_old_outputs(
    old_results: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    with results_transaction(old_results) as staging:
        write_results(staging, {"tables/T01.csv": "new T01\n"})
    after = snapshot(old_results)
    assert after["tables/T01.csv"] == b"new T01\n"
    assert "tables/T09.csv" not in after and "figures/F07.png" not in after
    assert set(after) == {"manifest.json", "tables", "tables/T01.csv"}
    assert leftovers(old_results) == []


def test_exception_leaves_old_folder_byte_identical(old_results: Path) -> None:
    before = snapshot(old_results)
    messages: list[str] = []
    with pytest.raises(ImpactError, match="previous results in .* are unchanged") as info:
        with results_transaction(old_results, progress=messages.append) as staging:
            (staging / "tables").mkdir()
            (staging / "tables" / "T01.csv").write_text("half")
            raise KeyError("T04")
    assert isinstance(info.value.__cause__, KeyError)
    assert "KeyError" in str(info.value)
    assert snapshot(old_results) == before
    assert leftovers(old_results) == []


def test_impact_errors_and_interrupts_pass_through(old_results: Path) -> None:
    before = snapshot(old_results)
    messages: list[str] = []
    with pytest.raises(DataValidationError) as info:
        with results_transaction(old_results, progress=messages.append):
            raise DataValidationError("bad month")
    assert any("are unchanged" in n for n in info.value.__notes__)
    with pytest.raises(KeyboardInterrupt):
        with results_transaction(old_results, progress=messages.append) as staging:
            (staging / "x").write_text("x")
            raise KeyboardInterrupt
    assert any("KeyboardInterrupt" in m and "unchanged" in m for m in messages)
    assert snapshot(old_results) == before
    assert leftovers(old_results) == []


def test_disk_full_is_one_clear_error(old_results: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(old_results)
    real_write = Path.write_text

    def write_text(self: Path, data: str, *args: object, **kwargs: object) -> int:
        if self.name == "T02.csv":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    with pytest.raises(ImpactError) as info:
        with results_transaction(old_results) as staging:
            (staging / "T01.csv").write_text("1\n")
            (staging / "T02.csv").write_text("2\n")
    message = str(info.value)
    assert "No space left on device" in message and "T02.csv" in message
    assert f"the previous results in {old_results} are unchanged" in message
    assert "free disk space" in message
    assert isinstance(info.value.__cause__, OSError)
    monkeypatch.undo()
    assert snapshot(old_results) == before
    assert leftovers(old_results) == []


def test_disk_full_while_committing(old_results: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(old_results)

    def fsync(fd: int) -> None:
        raise OSError(errno.EDQUOT, "Disk quota exceeded")

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    with pytest.raises(ImpactError, match="Disk quota exceeded.*are unchanged.*free disk"):
        with results_transaction(old_results) as staging:
            write_results(staging, {})
    monkeypatch.undo()
    assert snapshot(old_results) == before
    assert leftovers(old_results) == []


def test_failed_second_rename_puts_old_folder_back(
    old_results: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(old_results)
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def rename(src: object, dst: object) -> None:
        if ".staging-" in str(src):
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        real_rename(src, dst)

    monkeypatch.setattr(atomic.os, "rename", rename)
    with pytest.raises(ImpactError, match="Permission denied.*unchanged.*writable"):
        with results_transaction(old_results) as staging:
            write_results(staging, {})
    monkeypatch.undo()
    assert snapshot(old_results) == before
    assert leftovers(old_results) == []


def test_permission_error_in_the_run(old_results: Path) -> None:
    with pytest.raises(ImpactError, match="Permission denied.*are unchanged.*writable"):
        with results_transaction(old_results):
            raise PermissionError(errno.EACCES, "Permission denied", "/x/T01.csv")


def test_read_only_parent_is_one_clear_error(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        probe = parent / "probe"
        try:
            probe.write_text("x")
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("permissions are not enforced for this user (root)")
        with pytest.raises(ImpactError, match="Permission denied.*writable") as info:
            with results_transaction(parent / "results"):
                pass  # pragma: no cover - entering fails
        assert isinstance(info.value.__cause__, PermissionError)
    finally:
        parent.chmod(0o755)
    assert list(parent.iterdir()) == []


def test_recovers_a_folder_moved_away_by_a_killed_swap(old_results: Path) -> None:
    before = snapshot(old_results)
    moved = old_results.parent / ".results.previous-123-1"
    old_results.rename(moved)
    (old_results.parent / ".results.staging-1-ab").mkdir()
    messages: list[str] = []
    with pytest.raises(ImpactError):
        with results_transaction(old_results, progress=messages.append):
            raise RuntimeError("fails after recovery")
    assert snapshot(old_results) == before
    assert leftovers(old_results) == []
    assert any("restored the previous results" in m for m in messages)


def test_removes_old_copy_left_after_a_killed_swap(old_results: Path) -> None:
    write_results(old_results.parent / ".results.previous-123-1", {"old.csv": "x"})
    with results_transaction(old_results) as staging:
        write_results(staging, {"new.csv": "y"})
    assert set(snapshot(old_results)) == {"manifest.json", "new.csv"}
    assert leftovers(old_results) == []


def test_refuses_folders_it_did_not_write(tmp_path: Path) -> None:
    foreign = tmp_path / "src"
    foreign.mkdir()
    (foreign / "mod.py").write_text("x = 1\n")
    with pytest.raises(ImpactError, match="no impact manifest.json.*refuses to delete"):
        with results_transaction(foreign):
            pass  # pragma: no cover
    (tmp_path / "file").write_text("x")
    with pytest.raises(ImpactError, match="is not a folder"):
        with results_transaction(tmp_path / "file"):
            pass  # pragma: no cover
    assert snapshot(foreign) == {"mod.py": b"x = 1\n"}
    assert leftovers(foreign) == [] and leftovers(tmp_path / "file") == []


def test_second_transaction_is_refused(old_results: Path) -> None:
    with results_transaction(old_results) as staging:
        with pytest.raises(ImpactError, match="another impact run is writing") as info:
            with results_transaction(old_results):
                pass  # pragma: no cover
        (staging / "ok").write_text("still mine\n")
    assert f"pid {os.getpid()}" in str(info.value)
    assert ".results.lock if no run is active" in str(info.value)
    assert snapshot(old_results) == {"ok": b"still mine\n"}
    assert leftovers(old_results) == []


# --------------------------------------------------------------- transaction in a child

CHILD = textwrap.dedent(
    """
    import json, signal, sys, time
    from pathlib import Path
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started ignored
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from impact.reporting.atomic import results_transaction
    target, n, delay, last = Path(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:5])
    say = lambda *a: print(*a, flush=True)
    with results_transaction(target, progress=lambda m: say("progress", m)) as staging:
        say("wrote", 0)
        for i in range(n):
            (staging / f"T{i:02d}.csv").write_text(f"new {i}\\n")
            say("wrote", i + 1)
            time.sleep(last if i + 1 == n else delay)  # "last": before the commit
        (staging / "manifest.json").write_text(json.dumps({"generator": "impact"}))
    say("done")
    """
)


def start_child(target: Path, n: int, delay: float, last: float) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target), str(n), str(delay), str(last)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for(proc: subprocess.Popen[str], line: str) -> None:
    assert proc.stdout is not None
    for got in proc.stdout:
        if got.strip() == line:
            return
    raise AssertionError(f"child ended before {line!r}: {proc.communicate(timeout=5)}")


_SIGNALS = {"SIGKILL": signal.SIGKILL, "SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM}
#: Each signal once in the default run, at a different point (before the first file, in
#: the middle, before the commit); the full grid of points x signals is ``slow``.
_DEFAULT_KILLS = {(0, "SIGKILL"), (2, "SIGINT"), (4, "SIGTERM")}


@pytest.mark.parametrize(
    ("after", "sig"),
    [pytest.param(after, sig, id=f"{after}-{name}",
                  marks=() if (after, name) in _DEFAULT_KILLS else pytest.mark.slow)
     for after in (0, 2, 4) for name, sig in _SIGNALS.items()],
)
def test_killed_run_leaves_previous_results(old_results: Path, sig: int, after: int) -> None:
    before = snapshot(old_results)
    proc = start_child(old_results, n=4, delay=0.1, last=0.5)
    try:
        wait_for(proc, f"wrote {after}")
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=CHILD_TIMEOUT)
    finally:
        proc.kill()
    assert proc.returncode != 0 and "done" not in out
    assert snapshot(old_results) == before
    if sig == signal.SIGINT:
        assert "KeyboardInterrupt" in err and "are unchanged" in out
    if sig == signal.SIGTERM:
        assert "ImpactError: the run was stopped (SIGTERM)" in err and "unchanged" in err
    if sig == signal.SIGKILL:  # no clean-up possible: the staging folder stays behind
        assert any(".staging-" in name for name in leftovers(old_results))
    else:
        assert leftovers(old_results) == []
    # The next run cleans what a killed run left and succeeds.
    with results_transaction(old_results) as staging:
        write_results(staging, {"T00.csv": "next\n"})
    assert set(snapshot(old_results)) == {"manifest.json", "T00.csv"}
    assert leftovers(old_results) == []


def test_concurrent_run_is_refused(old_results: Path) -> None:
    proc = start_child(old_results, n=3, delay=2, last=2)
    try:
        wait_for(proc, "wrote 1")
        with pytest.raises(ImpactError, match="another impact run is writing") as info:
            with results_transaction(old_results):
                pass  # pragma: no cover
        assert f"pid {proc.pid}, started 2" in str(info.value)
    finally:
        proc.kill()
        proc.communicate(timeout=CHILD_TIMEOUT)
    # The lock dies with its holder.
    with results_transaction(old_results) as staging:
        write_results(staging, {})
    assert leftovers(old_results) == []
