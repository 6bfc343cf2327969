"""Write tables and figures with provenance, and the manifest that lists them.

Every table and figure is written under a stable id by one named function (the ids are
declared in :mod:`impact.study.outputs`); :class:`ResultsWriter` records id -> producing
function, data kind, title and SHA-256 of every file, and :func:`build_manifest` turns
that into ``manifest.json`` (commit, dirty flag, package versions, config, seeds, inputs
and outputs, every path relative to the repository root).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from impact._core.provenance import SYNTHETIC_LABEL

__all__ = [
    "ResultsWriter",
    "build_manifest",
    "relative_path",
    "sha256_file",
    "to_markdown",
    "write_manifest",
]

_PACKAGES = ("impact", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "holidays", "babel")


def sha256_file(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def relative_path(path: str | Path, root: str | Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (``../`` when outside it)."""
    return Path(os.path.relpath(Path(path).resolve(), Path(root).resolve())).as_posix()


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        if pd.isna(v):
            return ""
        return f"{v:.6g}" if abs(v) < 1e6 else f"{v:.0f}"
    return str(v)


def to_markdown(frame: pd.DataFrame, *, caption: str | None = None) -> str:
    """A GitHub-flavoured Markdown table (no extra dependency)."""
    cols = [str(c) for c in frame.columns]
    lines = []
    if caption:
        lines += [caption, ""]
    lines.append("| " + " | ".join(cols) + " |")
    lines.append("|" + "|".join("---" for _ in cols) + "|")
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_fmt(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


@dataclasses.dataclass
class ResultsWriter:
    """Writes outputs under ``root`` and remembers what it wrote for the manifest."""

    root: Path
    outputs: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        (self.root / "tables").mkdir(parents=True, exist_ok=True)
        (self.root / "figures").mkdir(parents=True, exist_ok=True)

    def _record(self, out_id: str, path: Path, producer: str, data_kind: str, title: str) -> None:
        entry = self.outputs.setdefault(
            out_id, {"producer": producer, "data_kind": data_kind, "title": title, "files": {}}
        )
        entry["files"][str(path.relative_to(self.root))] = sha256_file(path)

    def table(
        self,
        out_id: str,
        frame: pd.DataFrame,
        *,
        producer: str,
        data_kind: str,
        title: str,
        measure: str | None = None,
    ) -> Path:
        """Write ``tables/<id>.csv`` and ``tables/<id>.md``; a ``data_kind`` column is added
        when missing. ``measure`` (what one count stands for: answered calls, unique
        contacts ...) is stated in the Markdown caption of tables made from call counts."""
        f = frame.copy()
        if "data_kind" not in f.columns:
            f["data_kind"] = data_kind
        csv = self.root / "tables" / f"{out_id}.csv"
        f.to_csv(csv, index=False, lineterminator="\n", float_format="%.6g")
        md = self.root / "tables" / f"{out_id}.md"
        banner = f"**{out_id}** {title}. Data kind: **{data_kind}**."
        if measure:
            banner += f" Measure: {measure}."
        if data_kind == "synthetic":
            banner += f" {SYNTHETIC_LABEL}."
        md.write_text(to_markdown(f, caption=banner), encoding="utf-8")
        self._record(out_id, csv, producer, data_kind, title)
        self._record(out_id, md, producer, data_kind, title)
        return csv

    def figure(
        self,
        out_id: str,
        fig: Any,
        data: pd.DataFrame,
        *,
        producer: str,
        data_kind: str,
        title: str,
        lang: str | None = None,
    ) -> Path:
        """Write ``figures/<id>.png`` (``figures/<id>_<lang>.png`` for a figure drawn in
        one report language) and the plotted data ``figures/<id>.csv`` (one per figure,
        whatever the language)."""
        import matplotlib.pyplot as plt

        png = self.root / "figures" / (f"{out_id}_{lang}.png" if lang else f"{out_id}.png")
        fig.savefig(png, dpi=130, metadata={"Software": None, "Creation Time": None})
        plt.close(fig)
        d = data.copy()
        if "data_kind" not in d.columns:
            d["data_kind"] = data_kind
        csv = self.root / "figures" / f"{out_id}.csv"
        d.to_csv(csv, index=False, lineterminator="\n", float_format="%.6g")
        self._record(out_id, png, producer, data_kind, title)
        self._record(out_id, csv, producer, data_kind, title)
        return png

    def file(self, out_id: str, path: Path, *, producer: str, data_kind: str, title: str) -> None:
        """Record a file written by other code (reports, estimates)."""
        self._record(out_id, Path(path), producer, data_kind, title)


def _git(*args: str, cwd: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def build_manifest(
    *,
    root: Path,
    config: dict[str, Any],
    inputs: dict[str, Path],
    outputs: dict[str, dict[str, Any]],
    seeds: dict[str, Any],
    repo: Path,
) -> dict[str, Any]:
    """The manifest: commit, dirty flag, versions, config, seeds, input and output hashes.

    Parameters
    ----------
    root : pathlib.Path
        The results folder (``outputs`` name their files relative to it, as
        :attr:`ResultsWriter.outputs` does).
    config : dict
        The study configuration as read.
    inputs : dict of str to pathlib.Path
        Input name -> file.
    outputs : dict
        Output id -> ``{"producer", "data_kind", "title", "files": {file: sha256}}``.
    seeds : dict
    repo : pathlib.Path
        The repository root: the commit and dirty flag are read there, and every input
        and output path is recorded relative to it (``/`` separators), so the manifest
        holds no path of the machine that ran the study.
    """
    versions = {}
    for p in _PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = None
    status = _git("status", "--porcelain", "--", ".", ":(exclude)results", cwd=repo)
    recorded = {
        out_id: {**entry, "files": {relative_path(Path(root) / f, repo): digest
                                    for f, digest in entry["files"].items()}}
        for out_id, entry in outputs.items()
    }
    return {
        "commit": _git("rev-parse", "HEAD", cwd=repo),
        "dirty": bool(status) if status is not None else None,
        "python": platform.python_version(),
        "packages": versions,
        "config": config,
        "seeds": seeds,
        "inputs": {k: {"path": relative_path(v, repo), "sha256": sha256_file(v)}
                   for k, v in inputs.items()},
        "outputs": recorded,
    }


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Write ``manifest.json`` with sorted keys."""
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n",
                    encoding="utf-8")
