"""Command-line interface: ``impact <command>`` or ``python -m impact <command>``.

Thin by design: parse arguments, call the library, print, return an exit code
(0 success, 1 invalid data or a failed run, 2 usage errors from argparse).

Commands
--------
``validate PATH [--kind KIND] [--sheet NAME]``
    Read a call-count table with :func:`impact.io.calls.load_call_counts` and print a short
    report (source, SHA-256, data kind, teams, month range per team, totals per year
    per team and Flanders, problems). The data kind is the one the file declares (a
    ``kind`` column, a ``SYNTHETIC_`` file name), else ``real``; an explicit ``--kind``
    that contradicts the file is refused. Never prints a traceback: any problem with the
    file prints ``INVALID: PATH`` and the error, exit code 1.
``init DATA_FILE [--out study.toml] [--kind KIND] [--measure M] [--sheet S] [--force]``
    Draft a ``study.toml`` for a received table (:func:`impact.study.scaffold.draft_study`)
    and print what it chose and why; refuses to overwrite a file unless ``--force`` and
    never writes under ``data/``.
``run STUDY_TOML``
    Run a study (:func:`impact.study.run.run_study`).
``synthesize [--out-dir DIR] [--seed N]``
    Write the synthetic demo panel (:func:`impact.simulation.synthetic.write_synthetic_panel`)
    and its daily split (:func:`impact.simulation.daily.write_synthetic_daily_panel`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import pandas as pd

from impact._core.constants import DATA_KINDS, DEFAULT_SEED, FLANDERS, TEAMS
from impact._core.exceptions import ImpactError
from impact._core.parsing import format_month
from impact._core.provenance import SYNTHETIC_LABEL
from impact.io.calls import aggregate_calls, annual_totals, load_call_counts
from impact.simulation.daily import write_synthetic_daily_panel
from impact.simulation.synthetic import write_synthetic_panel
from impact.study.run import run_study
from impact.study.scaffold import draft_study, write_study_file

__all__ = ["main"]


def _format_int(value: object) -> str:
    if value is None or value is pd.NA:
        return "n/a"
    return str(int(str(value)))


def format_report(frame: pd.DataFrame) -> str:
    """Return the text report of ``impact validate`` for a loaded long frame."""
    attrs = frame.attrs
    panel = aggregate_calls(frame)
    lines = [
        f"source:      {attrs.get('source', '(in memory)')}",
        f"sha256:      {attrs.get('sha256', 'n/a')}",
        f"data kind:   {attrs.get('kind', 'unspecified')}",
        f"definition:  {attrs.get('definition', 'n/a')}",
    ]
    extras = [c for c in ("channel", "category", "exposure") if c in frame.columns]
    if extras:
        lines.append(f"also:        {', '.join(extras)} (totals below sum over channel/category)")
    teams = [t for t in TEAMS if t in set(panel["team"])]
    lines.append(f"teams:       {len(teams)} ({', '.join(teams)})")
    lines.append("months per team:")
    width = max(len(t) for t in (*teams, FLANDERS))
    ranges = {}
    for team in teams:
        months = panel.loc[panel["team"] == team, "month"]
        ranges[team] = (months.min(), months.max())
        lines.append(
            f"  {team:<{width}}  {format_month(months.min())} .. {format_month(months.max())}"
            f"  ({len(months)} months)"
        )
    totals = annual_totals(panel)
    years = sorted(set(totals["year"]))
    columns = [*teams, FLANDERS]
    widths = [max(len(c), 7) for c in columns]
    lines.append("calls per year (* = fewer than 12 months):")
    lines.append("  year  " + "  ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for year in years:
        cells = []
        for col, w in zip(columns, widths, strict=True):
            row = totals[(totals["team"] == col) & (totals["year"] == year)]
            if row.empty:
                cells.append(f"{'-':>{w}}")
                continue
            mark = "" if bool(row["is_complete"].iloc[0]) else "*"
            cells.append(f"{_format_int(row['calls'].iloc[0]) + mark:>{w}}")
        lines.append(f"  {year}  " + "  ".join(cells))
    problems = []
    absent = [t for t in TEAMS if t not in teams]
    if absent:
        problems.append(f"teams absent: {', '.join(absent)} (no {FLANDERS} total)")
    if len(set(ranges.values())) > 1:
        problems.append(f"teams cover different months: {FLANDERS} shown only for years "
                        "where all teams cover the same months")
    partial = sorted({int(y) for y, c in zip(totals["year"], totals["is_complete"], strict=True)
                      if not c})
    if partial:
        problems.append(f"partial years: {', '.join(str(y) for y in partial)}")
    if attrs.get("kind") == "synthetic":
        problems.append(SYNTHETIC_LABEL)
    lines.append("problems:    " + ("none (valid)" if not problems else "none blocking; notes:"))
    lines.extend(f"  - {p}" for p in problems)
    return "\n".join(lines)


# --- subcommand: validate --------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace) -> int:
    sheet: str | int | None = args.sheet
    if isinstance(sheet, str) and sheet.isdigit():
        sheet = int(sheet)
    try:
        frame = load_call_counts(args.path, kind=args.kind, sheet=sheet)
        report = format_report(frame)
    except (ImpactError, OSError) as exc:
        # OSError: anything the file system raises that the loader did not foresee
        print(f"INVALID: {args.path}", file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        print(report, flush=True)
    except BrokenPipeError:  # e.g. `impact validate x.csv | head`: the reader left early
        sys.stdout = open(os.devnull, "w")  # silence the flush at exit
    return 0


# --- subcommand: init ---------------------------------------------------------------------------


def _cmd_init(args: argparse.Namespace) -> int:
    sheet: str | int | None = args.sheet
    if isinstance(sheet, str) and sheet.isdigit():
        sheet = int(sheet)
    try:
        draft = draft_study(args.data_file, out=args.out, kind=args.kind,
                            measure=args.measure, sheet=sheet)
        path = write_study_file(draft, args.out, force=args.force)
    except (ImpactError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    for reason in draft.reasons:
        print(f"  - {reason}")
    print(f"next: python -m impact run {args.out}")
    return 0


# --- subcommand: run ---------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace) -> int:
    try:
        result = run_study(args.study, out=args.out)
    except ImpactError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if result is not None:
        print(result)
    return 0


# --- subcommand: synthesize --------------------------------------------------------------------


def _cmd_synthesize(args: argparse.Namespace) -> int:
    try:
        result = list(write_synthetic_panel(args.out_dir, seed=args.seed) or [])
        result += write_synthetic_daily_panel(args.out_dir, seed=args.seed)
    except ImpactError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for written in result or []:
        print(written)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``impact`` command."""
    parser = argparse.ArgumentParser(
        prog="impact",
        description="Estimate how news events and campaigns change 1712 call counts.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser(
        "validate", help="check a call-count table (CSV/XLSX) and print a short report"
    )
    validate.add_argument("path", metavar="PATH", help="CSV or XLSX file")
    validate.add_argument("--kind", default=None, choices=DATA_KINDS,
                          help="data kind of the file (default: the kind the file declares "
                          "in a 'kind' column or a SYNTHETIC_ file name, else real); a "
                          "kind that contradicts the file is refused")
    validate.add_argument("--sheet", default=None,
                          help="worksheet name or 0-based number (XLSX only)")
    validate.set_defaults(handler=_cmd_validate)

    init = sub.add_parser("init", help="draft a study.toml for a received call-count table")
    init.add_argument("data_file", metavar="DATA_FILE", help="CSV or XLSX file")
    init.add_argument("--out", default="study.toml",
                      help="study file to write (default: study.toml)")
    init.add_argument("--kind", default=None, choices=DATA_KINDS,
                      help="data kind (default: the kind the file declares, else real)")
    init.add_argument("--measure", default=None,
                      help="measure to analyse when the table has several")
    init.add_argument("--sheet", default=None,
                      help="worksheet name or 0-based number (XLSX only)")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.set_defaults(handler=_cmd_init)

    run = sub.add_parser("run", help="run a study configuration and write results/")
    run.add_argument("study", metavar="STUDY_TOML", help="study configuration file")
    run.add_argument("--out", default=None, metavar="DIR",
                     help="write the results here instead of [outputs] dir: a missing, empty "
                          "or earlier-results folder, never under data/")
    run.set_defaults(handler=_cmd_run)

    synth = sub.add_parser("synthesize", help="write the synthetic (NOT REAL) demo panel")
    synth.add_argument("--out-dir", default=None,
                       help="output folder (default: data/synthetic of the repository)")
    synth.add_argument("--seed", type=int, default=DEFAULT_SEED,
                       help=f"random seed (default: {DEFAULT_SEED})")
    synth.set_defaults(handler=_cmd_synthesize)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``impact`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit code: 0 success, 1 invalid data or failed command. Usage errors exit
        with code 2 through argparse.
    """
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return int(args.handler(args))
