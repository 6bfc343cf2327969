"""Tests of the command line (impact.cli and ``python -m impact``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from impact import cli
from impact._core.constants import TEAMS
from impact.cli import main
from impact.study import compute_study, load_study


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
    assert "nope.xlsx' not found" in capsys.readouterr().err


REPO = Path(__file__).resolve().parents[1]


def test_validate_reads_the_declared_synthetic_kind(capsys):
    # issue 14: the repository's own synthetic panel used to be INVALID without --kind
    path = REPO / "data" / "synthetic" / "SYNTHETIC_calls_team_month.csv"
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "data kind:   synthetic" in out
    assert "SYNTHETIC DATA" in out


def test_validate_kind_column_declares_the_kind(tmp_path, capsys):
    path = tmp_path / "calls.csv"
    path.write_text("team,month,calls,kind\nLimburg,2021-01,3,synthetic\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert "data kind:   synthetic" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["SYNTHETIC_calls.csv", "calls.csv"])
def test_validate_refuses_an_explicit_contradicting_kind(tmp_path, capsys, name):
    path = tmp_path / name
    kind_column = name == "calls.csv"
    path.write_text("team,month,calls" + (",kind" if kind_column else "")
                    + "\nLimburg,2021-01,3" + (",synthetic" if kind_column else "") + "\n",
                    encoding="utf-8")
    assert main(["validate", str(path), "--kind", "real"]) == 1
    err = capsys.readouterr().err
    assert "INVALID" in err and "synthetic" in err and "Traceback" not in err


def _unreadable(path):
    raise PermissionError(13, "Permission denied", str(path))


@pytest.mark.parametrize("case", ["folder", "loop", "unreadable", "huge", "binary"])
def test_validate_never_prints_a_traceback(tmp_path, capsys, monkeypatch, case):
    path = tmp_path / "calls.csv"
    if case == "folder":
        path = tmp_path
    elif case == "loop":
        path = tmp_path / "loop.csv"
        path.symlink_to(path)
    elif case == "unreadable":
        path = _valid_table(tmp_path)
        monkeypatch.setattr("builtins.open", lambda *a, **k: _unreadable(path))
    elif case == "huge":
        path.write_text("team,month,calls\nLimburg,2021-01,5000000000000000000\n")
    else:
        path.write_bytes(b"\x00\xff" * 40)
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("INVALID: ")
    assert "Traceback" not in captured.err


def test_validate_turns_an_unforeseen_os_error_into_a_message(tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(cli, "load_call_counts", broken)
    assert main(["validate", str(tmp_path / "x.csv")]) == 1
    assert "Input/output error" in capsys.readouterr().err


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
    monkeypatch.setattr(cli, "run_study",
                        lambda path, out=None: calls.append((path, out)) or tmp_path)
    assert main(["run", "study.toml"]) == 0
    assert main(["run", "study.toml", "--out", "elsewhere"]) == 0
    assert calls == [("study.toml", None), ("study.toml", "elsewhere")]
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


# --- init: from a received table to a finished report in two commands -------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real"
REPO = Path(__file__).resolve().parents[1]


def _project(tmp_path: Path, fixture: str) -> Path:
    """A checkout-like project: pyproject.toml, data/events, data/published, the table."""
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    for rel in ("data/events/events.csv", "data/published/published_figures.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((REPO / rel).read_bytes())
    received = tmp_path / "received" / fixture
    received.parent.mkdir()
    received.write_bytes((FIXTURES / fixture).read_bytes())
    return received


def _fast(study: Path) -> None:
    """Test settings: few paths, no diagnostics bundle (tested in tests/diagnostics)."""
    text = study.read_text(encoding="utf-8")
    text = text.replace("n_paths = 2000", "n_paths = 200").replace("run = true", "run = false")
    study.write_text(text, encoding="utf-8")


def _init_and_run(tmp_path: Path, fixture: str, *extra: str) -> tuple[Path, float]:
    import time

    table = _project(tmp_path, fixture)
    study = tmp_path / "study_real.toml"
    t0 = time.perf_counter()
    assert main(["init", str(table), "--out", str(study), *extra]) == 0
    _fast(study)
    assert main(["run", str(study)]) == 0
    return tmp_path / "results", time.perf_counter() - t0


def _check_real_report(results: Path, measure: str) -> None:
    report = (results / "report_en.md").read_text(encoding="utf-8")
    assert "Data kind: **real**" in report
    assert "SYNTHETIC" not in report
    assert f"Measure analysed: {measure}" in report
    note = (results / "policy_note_en.md").read_text(encoding="utf-8")
    assert "[SYNTHETIC]" not in note and measure in note
    assert (results / "tables" / "T15_published_consistency.csv").is_file()
    # the tables made from the call counts say what one count stands for
    for table_id in ("T01_calls_per_team_year", "T07_headline_effects"):
        caption = (results / "tables" / f"{table_id}.md").read_text(encoding="utf-8")
        assert "Measure: " in caption.splitlines()[0] and measure in caption.splitlines()[0]


def test_init_then_compute_short_history(tmp_path, capsys):
    out = _init_and_compute(tmp_path, "FIXTURE_short_history.csv")
    printed = capsys.readouterr().out
    assert "Fourier seasonality with 2 harmonic pairs" in printed
    assert "next: python -m impact run" in printed
    assert out.config.baseline.seasonality == "fourier"
    _check_real_outputs(out, "answered contacts", teams=5)


@pytest.mark.slow
def test_init_then_run_short_history(tmp_path, capsys):
    results, seconds = _init_and_run(tmp_path, "FIXTURE_short_history.csv")
    out = capsys.readouterr().out
    assert "Fourier seasonality with 2 harmonic pairs" in out
    assert "next: python -m impact run" in out
    _check_real_report(results, "answered contacts")
    report = (results / "report_en.md").read_text(encoding="utf-8")
    assert "## Consistency with the published record" in report
    print(f"init + run (fast settings): {seconds:.1f} s")


def test_init_refuses_to_overwrite_and_to_write_under_data(tmp_path, capsys):
    table = _project(tmp_path, "FIXTURE_short_history.csv")
    study = tmp_path / "study_real.toml"
    study.write_text("# mine\n", encoding="utf-8")
    assert main(["init", str(table), "--out", str(study)]) == 1
    assert "exists; pass --force" in capsys.readouterr().err
    assert study.read_text(encoding="utf-8") == "# mine\n"
    assert main(["init", str(table), "--out", str(study), "--force"]) == 0
    assert "[teams]" in study.read_text(encoding="utf-8")
    assert main(["init", str(table), "--out", str(tmp_path / "data" / "s.toml")]) == 1
    assert "data/ holds inputs only" in capsys.readouterr().err
    assert not (tmp_path / "data" / "s.toml").exists()


def test_run_names_an_unknown_team_once_with_the_fix(tmp_path, capsys):
    table = _project(tmp_path, "FIXTURE_short_history.csv")
    study = tmp_path / "study_real.toml"
    assert main(["init", str(table), "--out", str(study)]) == 0
    text = study.read_text(encoding="utf-8").replace('"Antwerpen", ', '"1712 Antwerp", ')
    study.write_text(text, encoding="utf-8")
    _fast(study)
    assert main(["run", str(study)]) == 1
    err = capsys.readouterr().err
    assert err.count("'1712 Antwerp'") == 1
    assert "closest: 'Antwerpen'" in err and "[teams.aliases]" in err


def _init_and_compute(tmp_path: Path, fixture: str, *extra: str):
    """``init`` on a received table, then the study it wrote computed (nothing written):
    the default run checks every table shape this way; the full ``run`` with its
    reports is the ``slow`` twin (one full run, seven teams, stays in the default run)."""
    table = _project(tmp_path, fixture)
    study = tmp_path / "study_real.toml"
    assert main(["init", str(table), "--out", str(study), *extra]) == 0
    _fast(study)
    return compute_study(load_study(study))


def _check_real_outputs(out, measure: str, teams: int) -> None:
    assert out.data_kind == "real" and measure in out.measure
    assert out.calls["team"].nunique() == teams
    est = out.estimates[(out.estimates["estimator"] == "counterfactual")
                        & (out.estimates["quantity"] == "cumulative_effect")]
    assert len(est) and est[["estimate", "lower", "upper"]].notna().all().all()
    assert (est["lower"] <= est["estimate"]).all() and (est["estimate"] <= est["upper"]).all()
    assert "published_consistency" in {t.split("_", 1)[1] for t in out.tables}


def test_init_then_compute_ministry_wide_xlsx_with_aliases(tmp_path, capsys):
    out = _init_and_compute(tmp_path, "FIXTURE_ministry_wide.xlsx")
    assert "'1712 Antwerpen' -> 'Antwerpen'" in capsys.readouterr().out
    _check_real_outputs(out, "answered contacts", teams=5)


@pytest.mark.slow
def test_init_then_run_ministry_wide_xlsx_with_aliases(tmp_path, capsys):
    results, seconds = _init_and_run(tmp_path, "FIXTURE_ministry_wide.xlsx")
    out = capsys.readouterr().out
    assert "'1712 Antwerpen' -> 'Antwerpen'" in out
    _check_real_report(results, "answered contacts")
    print(f"init + run (fast settings): {seconds:.1f} s")


def test_init_then_compute_long_table_with_a_measure(tmp_path):
    out = _init_and_compute(tmp_path, "FIXTURE_long_measures.csv", "--measure", "beantwoord")
    _check_real_outputs(out, "beantwoord", teams=5)


@pytest.mark.slow
def test_init_then_run_long_table_with_a_measure(tmp_path, capsys):
    results, _ = _init_and_run(tmp_path, "FIXTURE_long_measures.csv",
                               "--measure", "beantwoord")
    _check_real_report(results, "beantwoord")


def test_init_asks_to_choose_a_measure(tmp_path, capsys):
    table = _project(tmp_path, "FIXTURE_long_measures.csv")
    assert main(["init", str(table), "--out", str(tmp_path / "s.toml")]) == 1
    err = capsys.readouterr().err
    # the measures found, by their canonical names (beantwoord -> answered, aangeboden ->
    # offered), and where to choose one
    assert "several measures" in err and "answered" in err and "offered" in err
    assert "[data] measure" in err


def _rename_total(study: Path, name: str) -> None:
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace('total = "Flanders"', f'total = "{name}"'), encoding="utf-8")


def test_init_then_run_seven_teams(tmp_path, capsys):
    """Seven teams and a total named otherwise: every table, estimate row and report line
    about the analysed total carries that name (once they said "Flanders" and the
    report's headline, looking the total up as "Flanders", printed dashes)."""
    table = _project(tmp_path, "FIXTURE_seven_teams.csv")
    study = tmp_path / "study_real.toml"
    assert main(["init", str(table), "--out", str(study)]) == 0
    _fast(study)
    _rename_total(study, "Heel het land")
    assert main(["run", str(study)]) == 0
    results = tmp_path / "results"
    _check_real_report(results, "answered contacts")
    report = (results / "report_en.md").read_text(encoding="utf-8")
    assert "7 teams" in report and "Brussel" in report and "Chat" in report
    est = pd.read_csv(results / "estimates.csv")
    assert "Flanders" not in set(est["team"]) and "Heel het land" in set(est["team"])
    for table_id in ("T01_calls_per_team_year", "T03_calls_per_team_month",
                     "T08_headline_its", "T07_headline_effects"):
        text = (results / "tables" / f"{table_id}.csv").read_text(encoding="utf-8")
        assert "Flanders" not in text, table_id
    headline = next(p for p in report.split("\n\n") if p.startswith("**Heel het land,"))
    assert "–;" not in headline and "calls against the counterfactual –" not in headline
    total = est[(est["team"] == "Heel het land") & (est["quantity"] == "cumulative_effect")
                & (est["estimator"] == "counterfactual")]
    observed = est[(est["team"] == "Heel het land") & (est["quantity"] == "observed")]
    # a sane interval: within +-the observed calls of the window (once -6.9e17)
    assert (total["lower"].abs() < observed["estimate"].max()).all()
