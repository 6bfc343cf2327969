"""Tests of the command line (impact.cli and ``python -m impact``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from impact import cli
from impact._core.constants import TEAMS
from impact.cli import main


def _valid_table(tmp_path: Path) -> Path:
    lines = ["team,month,calls"]
    for i, team in enumerate(TEAMS):
        for month in range(1, 13):
            lines.append(f"{team},2022-{month:02d},{10 + i}")
        lines.append(f"{team},2023-01,{20 + i}")
    path = tmp_path / "calls.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_validate_valid_file_prints_report(tmp_path, capsys):
    path = _valid_table(tmp_path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"source:      {path}" in out
    assert "sha256:      " in out
    assert "data kind:   real" in out
    assert "teams:       5 (Antwerpen, Limburg, Oost-Vlaanderen, Vlaams-Brabant, " in out
    assert "Antwerpen        2022-01 .. 2023-01  (13 months)" in out
    # 2022: 12 months x (10..14) per team, Flanders 12 x 60 = 720; 2023 (one month,
    # 20..24 per team, Flanders 110) is partial and marked with *
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()
            if line.strip()[:4] in ("2022", "2023")}
    assert rows["2022"] == ["120", "132", "144", "156", "168", "720"]
    assert rows["2023"] == ["20*", "21*", "22*", "23*", "24*", "110*"]
    assert "partial years: 2023" in out


def test_validate_invalid_file_returns_1_without_traceback(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("team,month,calls\nLimburg,2021-01,1\nLimburg,2021-04,1\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "INVALID" in captured.err
    assert "team 'Limburg': 2 missing months (2021-02, 2021-03)" in captured.err
    assert "Traceback" not in captured.err


def test_validate_missing_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.xlsx")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_validate_kind_option(tmp_path, capsys):
    path = _valid_table(tmp_path)
    assert main(["validate", str(path), "--kind", "synthetic"]) == 0
    out = capsys.readouterr().out
    assert "data kind:   synthetic" in out
    assert "SYNTHETIC DATA" in out
    with pytest.raises(SystemExit) as info:
        main(["validate", str(path), "--kind", "made-up"])
    assert info.value.code == 2


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "validate" in capsys.readouterr().err


def test_python_dash_m_impact(tmp_path):
    path = _valid_table(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "impact", "validate", str(path)],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "data kind:   real" in done.stdout


def test_run_calls_run_study(monkeypatch, tmp_path, capsys):
    calls = []
    monkeypatch.setattr(cli, "run_study", lambda path: calls.append(path) or tmp_path)
    assert main(["run", "study.toml"]) == 0
    assert calls == ["study.toml"]
    assert str(tmp_path) in capsys.readouterr().out


def test_synthesize_calls_write_synthetic_panel(monkeypatch, tmp_path, capsys):
    calls = []

    def fake_write(out_dir, *, seed):
        calls.append((out_dir, seed))
        return [Path(tmp_path) / "SYNTHETIC_calls.csv"]

    monkeypatch.setattr(cli, "write_synthetic_panel", fake_write)
    assert main(["synthesize", "--out-dir", str(tmp_path), "--seed", "7"]) == 0
    assert calls == [(str(tmp_path), 7)]
    assert "SYNTHETIC_calls.csv" in capsys.readouterr().out
