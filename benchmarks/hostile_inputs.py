"""Hostile and malformed inputs, tried as a careful (and a hostile) user would.

Runs groups of bad inputs through the public API and the CLI and counts, per group, how
many end in a clear error (the project's own exception or a clean non-zero exit with a
message and no traceback) and how many end otherwise (a raw traceback, a silent
misreading, a number that cannot be true). Prints one line per case and a table per group.

    python benchmarks/hostile_inputs.py            # all groups
    python benchmarks/hostile_inputs.py --group study

Nothing in the repository is modified: study-file cases run in a temporary copy of the
repository (without .git and .venv); file cases write to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import impact

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable

Outcome = tuple[bool, str]  # (clear, what happened)


# --------------------------------------------------------------------------- study files
STUDY_CASES: list[tuple[str, str, str]] = [
    # (name, section/key edit as "section.key", TOML value text); "" key = raw file text
    ("seed text", "study.seed", '"abc"'),
    ("seed negative", "study.seed", "-1"),
    ("seed float", "study.seed", "1.7"),
    ("seed bool", "study.seed", "true"),
    ("level text", "study.level", '"high"'),
    ("level above 1", "study.level", "1.5"),
    ("level zero", "study.level", "0"),
    ("n_paths zero", "study.n_paths", "0"),
    ("n_paths negative", "study.n_paths", "-5"),
    ("n_paths one", "study.n_paths", "1"),
    ("n_paths text", "study.n_paths", '"many"'),
    ("year text", "study.year", '"2023"'),
    ("year 1900", "study.year", "1900"),
    ("teams bare string", "study.teams", '"Antwerpen"'),
    ("teams unknown", "study.teams", '["Nowhere"]'),
    ("headline unknown event", "headline.events", '["E999"]'),
    ("related unknown event", "headline.related", '["E998"]'),
    ("other unknown event", "other_events.events", '["E997"]'),
    ("post_end text", "headline.post_end", '"soon"'),
    ("pre_start bad month", "headline.pre_start", '"2016-13"'),
    ("post_months zero", "other_events.post_months", "0"),
    ("post_months text", "other_events.post_months", '"3"'),
    ("diagnostics run text", "diagnostics.run", '"false"'),
    ("dir number", "outputs.dir", "5"),
    ("dir a file", "outputs.dir", '"README.md"'),
    ("dir empty", "outputs.dir", '""'),
    ("dir escapes", "outputs.dir", '"../../x"'),
    ("dir absolute elsewhere", "outputs.dir", '"/tmp/impact-hostile-elsewhere"'),
    ("dir data/raw", "outputs.dir", '"data/raw"'),
    ("dir data", "outputs.dir", '"data"'),
    ("suppression negative", "outputs.suppression_threshold", "-1"),
    ("kind unknown", "data.kind", '"fake"'),
    ("calls missing file", "data.calls", '"data/raw/nope.csv"'),
    ("calls number", "data.calls", "5"),
    ("synthetic into data/raw", "data.calls", '"data/raw/new_sub/calls.csv"'),
    ("events missing", "data.events", '"data/events/nope.csv"'),
    ("baseline family unknown", "baseline.family", '"bogus"'),
    ("baseline key unknown", "baseline.famly", '"negbin"'),
    ("unknown section", "studdy.seed", "1"),
    ("not TOML", "", "[study\nseed = 1"),
    ("empty file", "", ""),
]


def _edit_toml(text: str, dotted: str, value: str) -> str:
    section, key = dotted.split(".")
    lines = text.splitlines()
    out, in_sec, done = [], False, False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            if in_sec and not done:
                out.append(f"{key} = {value}")
                done = True
            in_sec = stripped == f"[{section}]"
        elif in_sec and stripped.split("=")[0].strip() == key:
            out.append(f"{key} = {value}")
            done = True
            continue
        out.append(line)
    if not done:
        if not in_sec:
            out.append(f"[{section}]")
        out.append(f"{key} = {value}")
    return "\n".join(out) + "\n"


def _copy_repo(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache")
    for name in ("data", "study.toml", "pyproject.toml", "README.md"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    # earlier results, as a user has them (a run may replace them, never elsewhere)
    shutil.copytree(REPO / "results", dest / "results")
    return dest


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "results" not in p.relative_to(root).parts[:1]
    }


def study_case(name: str, dotted: str, value: str, timeout: float) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        root = _copy_repo(Path(tmp) / "repo")
        text = (REPO / "study.toml").read_text()
        text = value if dotted == "" else _edit_toml(text, dotted, value)
        if name == "synthetic into data/raw":
            text = _edit_toml(text, "data.kind", '"synthetic"')
        (root / "hostile.toml").write_text(text)
        before = _snapshot(root)
        elsewhere = Path("/tmp/impact-hostile-elsewhere")
        shutil.rmtree(elsewhere, ignore_errors=True)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["PYTHONPATH"] = str(Path(impact.__file__).resolve().parents[1])
        try:
            proc = subprocess.run(
                [PY, "-m", "impact", "run", "hostile.toml"], cwd=root, env=env,
                capture_output=True, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return False, f"ran for more than {timeout:.0f} s (the study started: not refused)"
        after = _snapshot(root)
        added = sorted(set(after) - set(before))
        changed = sorted(k for k in before if k in after and before[k] != after[k])
        wrote_elsewhere = elsewhere.exists()
        shutil.rmtree(elsewhere, ignore_errors=True)
        err = proc.stderr.strip().splitlines()
        last = err[-1] if err else ""
        if "Traceback" in proc.stderr:
            return False, f"traceback: {last[:150]}"
        if proc.returncode == 0:
            return False, "accepted (exit 0)"
        if added or changed or wrote_elsewhere:
            where = (added + changed)[:3] or ["/tmp/impact-hostile-elsewhere"]
            return False, f"refused but wrote files first: {where}"
        return True, f"exit {proc.returncode}: {last[:150]}"


# --------------------------------------------------------------------------- loaders
def _write(tmp: Path, name: str, content: str | bytes) -> Path:
    p = tmp / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


LONG_HEADER = "team,month,calls\n"


def _long(rows: list[str]) -> str:
    return LONG_HEADER + "\n".join(rows) + "\n"


def _months(team: str, calls: str = "50", n: int = 24) -> list[str]:
    return [f"{team},{p},{calls}" for p in pd.period_range("2021-01", periods=n, freq="M")]


def loader_cases(tmp: Path) -> list[tuple[str, Callable[[], object], str]]:
    """(name, call, expectation) with expectation 'error' or 'ok'."""
    ev_head = "id,name,kind,start_date,end_date,scope,expected_shape,source_url,note\n"
    pub = (REPO / "data" / "published" / "published_figures.csv").read_text()
    pub_lines = pub.splitlines()
    loop = tmp / "loop.csv"
    if not loop.exists():
        os.symlink(loop, loop)
    cases: list[tuple[str, Callable[[], object], str]] = []

    def calls(name: str, content: str | bytes, expect: str = "error") -> None:
        path = _write(tmp, f"calls_{len(cases)}.csv", content)
        cases.append((f"calls: {name}", lambda: impact.load_call_counts(path, kind="real"), expect))

    calls("empty file", "")
    calls("header only", LONG_HEADER)
    calls("binary", b"\x00\x01\x02\xff" * 50)
    calls("latin-1 text", ("team,month,calls\nWest-Vlaanderen,2021-01,5\n").encode("latin-1")
          + "Oost-Vlaanderen,januari 2021,é5\n".encode("latin-1"))
    calls("count 1e19", _long(_months("Limburg")[:-1] + ["Limburg,2022-12,10000000000000000000"]))
    calls("count 5e18", _long(_months("Limburg")[:-1] + ["Limburg,2022-12,5000000000000000000"]))
    calls("negative count", _long(_months("Limburg")[:-1] + ["Limburg,2022-12,-4"]))
    calls("decimal count", _long(_months("Limburg")[:-1] + ["Limburg,2022-12,4.5"]))
    calls("count 1.234 (Dutch thousands)",
          _long(_months("Limburg")[:-1] + ['Limburg,2022-12,"1.234"']), "ok")
    calls("missing month", _long(_months("Limburg")[:5] + _months("Limburg")[6:]))
    calls("duplicate month", _long(_months("Limburg") + [_months("Limburg")[0]]))
    # teams are data: any label loads; with the study's teams declared, an unknown one is
    # refused with the labels seen and the closest known names
    atlantis = _write(tmp, "calls_atlantis.csv", _long(_months("Atlantis")))
    cases.append(("calls: unknown team (teams declared)",
                  lambda: impact.load_call_counts(atlantis, kind="real",
                                                  teams=impact.io.TEAMS), "error"))
    calls("bad month", _long(_months("Limburg")[:-1] + ["Limburg,2022-13,4"]))
    calls("note row below table", _long(_months("Limburg")) + "Bron: 1712 export,,\n", "ok")
    calls("NaN text", _long(_months("Limburg")[:-1] + ["Limburg,2022-12,NaN"]))
    calls("inf text", _long(_months("Limburg")[:-1] + ["Limburg,2022-12,inf"]))
    cases.append(("calls: directory", lambda: impact.load_call_counts(tmp, kind="real"), "error"))
    cases.append(("calls: symlink loop",
                  lambda: impact.load_call_counts(loop, kind="real"), "error"))
    cases.append(("calls: missing file",
                  lambda: impact.load_call_counts(tmp / "nope.csv", kind="real"), "error"))

    def events(name: str, content: str | bytes, expect: str = "error") -> None:
        path = _write(tmp, f"events_{len(cases)}.csv", content)
        cases.append((f"events: {name}", lambda: impact.load_events(path), expect))

    events("empty file", "")
    events("header only", ev_head, "ok")
    events("binary", b"\x00\xff\xfe" * 40)
    events("latin-1",
           (ev_head + "E1,Caf\xe9,news,2023-01-01,,Flanders,pulse,,\n").encode("latin-1"))
    events("unbalanced quotes", ev_head + 'E1,"broken,news,2023-01-01,,Flanders,pulse,,\n')
    events("bad date", ev_head + "E1,x,news,2023-02-30,,Flanders,pulse,,\n")
    events("end before start", ev_head + "E1,x,news,2023-02-03,2023-01-01,Flanders,pulse,,\n")
    events("unknown kind", ev_head + "E1,x,rumour,2023-02-03,,Flanders,pulse,,\n")
    events("duplicate id", ev_head + "E1,x,news,2023-02-03,,Flanders,pulse,,\n" * 2)
    # teams are data: a scope is checked where events meet data (estimation group)
    events("scope of another helpline's team",
           ev_head + "E1,x,news,2023-02-03,,Atlantis,pulse,,\n", "ok")
    events("missing column", "id,name\nE1,x\n")
    cases.append(("events: directory", lambda: impact.load_events(tmp), "error"))
    cases.append(("events: symlink loop", lambda: impact.load_events(loop), "error"))

    def published(name: str, content: str | bytes, expect: str = "error") -> None:
        path = _write(tmp, f"published_{len(cases)}.csv", content)
        cases.append((f"published: {name}", lambda: impact.load_published(path), expect))

    head = pub_lines[0]
    row = pub_lines[1].split(",")
    published("empty file", "")
    published("binary", b"\x00\xff" * 60)
    published("header only", head + "\n", "ok")
    bad_value = row.copy()
    bad_value[7] = '"1.000"'
    thousands = _write(tmp, "published_thousands.csv", head + "\n" + ",".join(bad_value) + "\n")

    def read_thousands() -> object:
        value = impact.load_published(thousands)["value"].iloc[0]
        if value != 1000:
            raise AssertionError(f"'1.000' read as {value}, while the call-count loader reads "
                                 "'1.234' as 1234: numbers are parsed by two rules")
        return value

    cases.append(("published: value 1.000 (Dutch thousands)", read_thousands, "ok"))
    text_value = row.copy()
    text_value[7] = "many"
    published("value text", head + "\n" + ",".join(text_value) + "\n")
    published("unbalanced quotes", head + '\nF1,"calls,2012\n')
    published("latin-1", (head + "\n" + ",".join(row) + "\xe9\n").encode("latin-1"))
    cases.append(("published: directory", lambda: impact.load_published(tmp), "error"))
    return cases


def _loader_outcome(call: Callable[[], object], expect: str) -> Outcome:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = call()
    except impact.ImpactError as exc:
        msg = str(exc).splitlines()[0][:150]
        return (expect == "error"), f"{type(exc).__name__}: {msg}"
    except Exception as exc:
        return False, f"raw {type(exc).__name__}: {str(exc)[:120]}"
    if expect == "ok":
        return True, "loaded"
    if isinstance(value, pd.DataFrame) and "calls" in value and len(value):
        return False, f"accepted; max calls {value['calls'].max()}"
    return False, "accepted"


# --------------------------------------------------------------------------- estimation
def _series(values: np.ndarray, start: str = "2016-01") -> pd.Series:
    idx = pd.period_range(start, periods=len(values), freq="M", name="month")
    return pd.Series(np.asarray(values, dtype="int64"), index=idx, name="calls")


def estimation_cases() -> list[tuple[str, Callable[[], object]]]:
    rng = np.random.default_rng(7)
    n = 84
    base = rng.negative_binomial(20, 20 / (20 + 80), size=n)
    event = impact.Event(id="X1", name="campaign", kind="campaign", start="2022-07-01",
                         shape="step")
    out: list[tuple[str, Callable[[], object]]] = []

    def est(name: str, values: np.ndarray, **kw: object) -> None:
        s = _series(values)
        out.append((name, lambda: impact.estimate_effect(s, event, post_end="2022-12",
                                                         seed=1, **kw)))

    est("all zeros", np.zeros(n))
    zeros_post = base.copy()
    zeros_post[:72] = 0
    est("zeros in the whole history", zeros_post)
    sparse = np.zeros(n)
    sparse[rng.choice(n, 6, replace=False)] = rng.integers(1, 4, 6)
    est("sparse (6 calls in 84 months)", sparse)
    est("constant 50", np.full(n, 50))
    outlier = base.copy()
    outlier[30] = 1_000_000
    est("1e6 outlier in the history", outlier)
    est("counts x 1e12", base * 10**12)
    est("n_paths=1", base, n_paths=1)
    est("n_paths=0", base, n_paths=0)
    est("n_paths=-5", base, n_paths=-5)
    est("level=1.5", base, level=1.5)
    two = impact.simulate_panel(teams=("North", "South"), n_pre=48, n_post=3, seed=2).frame
    scoped = impact.Event(id="X9", name="local campaign", kind="campaign",
                          start=str(two["month"].max().start_time.date()),
                          shape="step", scope="Atlantis")
    out.append(("event scoped to a team without data",
                lambda: impact.estimate_effects(two, [scoped], n_paths=200)))
    short = base[-14:]
    s_short = _series(short, start="2021-11")
    out.append(("14 months only", lambda: impact.estimate_effect(s_short, event, post_end="2022-12",
                                                                  seed=1)))
    est("n_paths=199 (below the minimum)", base, n_paths=199)
    no_post = base.copy()
    no_post[78:] = 0
    est("no calls after the event (relative -100%)", no_post)
    est("low counts (mean 2)", rng.poisson(2, n))
    est("counts x 1e9, poisson", base * 10**9, spec=impact.BaselineSpec(family="poisson"))
    for family in ("structural", "ets", "seasonal_naive"):
        est(f"constant 50, {family}", np.full(n, 50), spec=impact.BaselineSpec(family=family))
    panel = impact.simulate_panel(seed=3).frame.copy()
    panel.loc[panel["team"] == "Limburg", "calls"] = 0
    pan_events = impact.simulate_panel(seed=3).events
    out.append(("panel with a team of zeros",
                lambda: impact.estimate_effects(panel, pan_events, n_paths=200)))
    for family in ("quasipoisson", "poisson", "seasonal_naive", "structural", "sarima", "ets"):
        spec = impact.BaselineSpec(family=family)
        s0 = _series(np.zeros(n))
        out.append((f"all zeros, {family}",
                    lambda s0=s0, spec=spec: impact.estimate_effect(s0, event, spec=spec,
                                                                    post_end="2022-12", seed=1)))
    return out


def _estimate_outcome(call: Callable[[], object]) -> Outcome:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = call()
    except impact.ImpactError as exc:
        return True, f"{type(exc).__name__}: {str(exc).splitlines()[0][:150]}"
    except Exception as exc:
        return False, f"raw {type(exc).__name__}: {str(exc)[:120]}"
    table = est.summary().table
    problems = []
    for q, row in table.iterrows():
        vals = np.array([row["estimate"], row["lower"], row["upper"]], dtype=float)
        if not np.all(np.isfinite(vals)):
            problems.append(f"{q} non-finite")
            continue
        if not (row["lower"] <= row["estimate"] <= row["upper"]):
            problems.append(f"{q} point outside its interval")
        if q == "relative" and row["lower"] < -1.0 - 1e-12 and row.get("unit", "") != "%":
            problems.append("relative below -100%")
        if q == "relative" and row.get("unit", "") == "%" and row["lower"] < -100 - 1e-9:
            problems.append("relative below -100%")
    warned = bool(getattr(est, "warnings", ()))
    if problems:
        return False, "result: " + "; ".join(problems)
    return True, "result with sane intervals" + (" and warnings" if warned else "")


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--group", choices=("study", "loaders", "estimation"), action="append")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per study-file run")
    args = ap.parse_args(argv)
    groups = args.group or ["study", "loaders", "estimation"]
    tally: dict[str, list[bool]] = {}
    if "loaders" in groups:
        with tempfile.TemporaryDirectory() as tmp:
            for name, call, expect in loader_cases(Path(tmp)):
                ok, what = _loader_outcome(call, expect)
                tally.setdefault("loaders", []).append(ok)
                print(f"[{'clear' if ok else 'BAD  '}] {name}: {what}", flush=True)
    if "estimation" in groups:
        for name, call in estimation_cases():
            ok, what = _estimate_outcome(call)
            tally.setdefault("estimation", []).append(ok)
            print(f"[{'clear' if ok else 'BAD  '}] estimation: {name}: {what}", flush=True)
    if "study" in groups:
        for name, dotted, value in STUDY_CASES:
            ok, what = study_case(name, dotted, value, args.timeout)
            tally.setdefault("study", []).append(ok)
            print(f"[{'clear' if ok else 'BAD  '}] study: {name}: {what}", flush=True)
    print("\n| group | cases | clear error or sane result | other |\n|---|---|---|---|")
    for group, oks in tally.items():
        print(f"| {group} | {len(oks)} | {sum(oks)} | {len(oks) - sum(oks)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
