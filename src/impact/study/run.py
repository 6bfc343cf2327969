"""Run the study from the command line's point of view: read, compute, write, report progress.

``python -m impact run study.toml`` calls :func:`run_study`, which reads the study file
(:func:`impact.study.config.load_study`), computes every analysis
(:func:`impact.study.compute.compute_study`) and writes ``results/``
(:func:`impact.study.write.write_study`), printing timed progress on stderr. The outputs
it writes are declared in :mod:`impact.study.outputs`.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

from impact.reporting import resolve_output_dir, results_transaction
from impact.study.compute import compute_study
from impact.study.config import load_study
from impact.study.write import write_study

__all__ = ["run_study"]


class _Progress:
    """Step-by-step progress on stderr, with the seconds since the start."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.t0 = time.perf_counter()

    def __call__(self, msg: str) -> None:
        if not self.quiet:
            dt = time.perf_counter() - self.t0
            print(f"[{dt:6.1f}s] {msg}", file=sys.stderr, flush=True)


def run_study(path: str | Path, *, quiet: bool = False, out: str | Path | None = None) -> Path:
    """Regenerate ``results/`` from ``study.toml``, ``data/`` and code.

    Parameters
    ----------
    path : str or pathlib.Path
        The study file.
    quiet : bool, default False
        Print no progress.
    out : str or pathlib.Path, optional
        Write the results here instead of ``[outputs] dir`` (the CLI's ``--out``). It may
        lie outside the project, but must be missing, empty or an earlier results folder,
        and never under ``data/`` (:func:`impact.reporting.resolve_output_dir` with
        ``allow_outside=True``).

    Returns
    -------
    pathlib.Path
        The results folder.

    Raises
    ------
    DataValidationError
        When the study file or its data are invalid (the message names the setting or file).
    ImpactError
        When another run is writing the same results folder, or writing fails; the
        previous results are then left exactly as they were.
    """
    progress = _Progress(quiet)
    cfg = load_study(path)
    if out is not None:
        cfg = dataclasses.replace(cfg, out_dir=resolve_output_dir(
            out, project_root=cfg.root or cfg.path.parent, base=Path.cwd(),
            allow_outside=True, key="--out"))
    progress(f"study {cfg.path.name}: data kind {cfg.data_kind}, seed {cfg.seed}")
    # the transaction (and its lock) covers the whole run: a second run on the same
    # folder is refused at once, and nothing replaces the results before all is written
    with results_transaction(cfg.out_dir, progress=progress) as staging:
        outputs = compute_study(cfg, progress=progress)
        write_study(outputs, progress=progress, staging=staging)
    return cfg.out_dir
