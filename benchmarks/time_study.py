"""Time the study's expensive steps against a plain statsmodels reference, in one run.

Usage (from the repository root)::

    .venv/bin/python benchmarks/time_study.py            # writes benchmarks/results/timing.md
    .venv/bin/python benchmarks/time_study.py --dry-run  # load the study, list the steps
    .venv/bin/python benchmarks/time_study.py --help

It times, on the study's own data (``study.toml``, the synthetic panel by default):

1. reference: a plain statsmodels NB GLM fit (fixed alpha, trend + 11 month dummies) on
   the Flanders pre-period, median of 20 fits;
2. ``estimate_effects`` for the headline (5 teams + Flanders, 2,000 paths), median of 3;
3. the diagnostic bundle ``check_effects`` for the headline (placebo-in-time, sensitivity,
   residual and capacity checks, backtests) for 5 teams + Flanders, one run;
4. the whole ``run_study`` (all tables, figures, reports) into a temporary folder, one run;

and reports wall seconds and the ratio to the reference measured in the same run, with the
machine's load average (other jobs on the 2 cores inflate wall time). Only the public API
is used (``impact``, ``impact.study``); the whole study is written into a temporary folder
inside the repository (outputs must stay in the project).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def _median_time(fn, reps: int) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


STEPS = (
    "plain statsmodels NB GLM fit (reference)",
    "estimate_effects: headline, 5 teams + Flanders",
    "check_effects: diagnostic bundle, 5 teams + Flanders",
    "run_study: whole study (tables, figures, reports)",
)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="time_study.py",
        description="Time the study's expensive steps against a plain statsmodels NB GLM "
        "fit and write benchmarks/results/timing.md.",
    )
    parser.add_argument(
        "--dry-run", action="store_true",
        help="load study.toml and list the steps that would be timed; time nothing, "
        "write nothing",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    import statsmodels.api as sm

    from impact import check_effects, compute_study, estimate_effects, load_study
    from impact.study import write_study

    warnings.simplefilter("ignore")
    cfg = load_study(ROOT / "study.toml")
    if args.dry_run:
        sys.stdout.write(
            f"study: {cfg.path} (data kind {cfg.data_kind}, {cfg.n_paths} paths)\n"
            + "".join(f"would time: {step}\n" for step in STEPS)
        )
        return 0
    base = compute_study(dataclasses.replace(cfg, run_diagnostics=False, other_events=()))
    calls = base.calls
    # the Flanders total: the sum of the teams' calls per month
    flanders = calls.groupby("month")["calls"].sum()
    flanders.index = pd.PeriodIndex(flanders.index, freq="M", name="month")
    pre = flanders.loc[pd.Period(cfg.pre_start, "M"): pd.Period("2023-07", "M")]
    n = len(pre)
    X = np.column_stack(
        [np.ones(n), np.arange(n) / 12.0]
        + [(np.asarray(pre.index.month) == m).astype(float) for m in range(2, 13)]
    )
    y = pre.to_numpy(dtype=float)

    def reference() -> None:
        sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=0.02)).fit()

    def headline() -> None:
        estimate_effects(calls, base.headline_registry, spec=cfg.baseline,
                         context=base.headline_context, level=cfg.level, seed=cfg.seed,
                         n_paths=cfg.n_paths, post_end=cfg.post_end, pre_start=cfg.pre_start)

    def bundle() -> None:
        check_effects(calls, base.headline_registry, spec=cfg.baseline,
                      context=base.headline_context, level=cfg.level, seed=cfg.seed,
                      post_end=cfg.post_end, pre_start=cfg.pre_start)

    def whole_study() -> None:
        with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks", prefix=".time_study-") as tmp:
            run_study_to(tmp)

    def run_study_to(tmp: str) -> None:
        local = dataclasses.replace(cfg, out_dir=Path(tmp) / "results")
        out = compute_study(local)
        write_study(out)

    rows = []
    load0 = os.getloadavg()[0]
    ref = _median_time(reference, 20)
    rows.append((STEPS[0], ref, 20))
    t = _median_time(headline, 3)
    rows.append((STEPS[1], t, 3))
    t = _median_time(bundle, 1)
    rows.append((STEPS[2], t, 1))
    t = _median_time(whole_study, 1)
    rows.append((STEPS[3], t, 1))
    load1 = os.getloadavg()[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    lines = [
        "# Timing of the study's steps",
        "",
        "Generated by `python benchmarks/time_study.py`; do not edit by hand.",
        "",
        f"- date (UTC): {pd.Timestamp.now('UTC'):%Y-%m-%d %H:%M}; commit {commit}",
        f"- machine: {os.cpu_count()} cores, {platform.platform()}, Python "
        f"{platform.python_version()}",
        f"- load average (1 min) before / after: {load0:.1f} / {load1:.1f}",
        f"- data: `{cfg.calls.relative_to(ROOT)}` (kind {base.data_kind}); "
        f"{cfg.n_paths} paths per estimate",
        "",
        "| step | median wall seconds | runs | ratio to reference |",
        "|---|---|---|---|",
    ]
    for name, sec, reps in rows:
        lines.append(f"| {name} | {sec:.4f} | {reps} | {sec / ref:,.0f}x |")
    lines += [
        "",
        "Targets: diagnostic bundle < 60 s on 2 cores (issue 4); whole study < 2 min once "
        "the environment exists (issue 6); whole-panel `estimate_effects` <= 2 s.",
    ]
    text = "\n".join(lines) + "\n"
    out = ROOT / "benchmarks" / "results" / "timing.md"
    out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
