"""The study configuration: ``study.toml`` read, checked and resolved.

:func:`load_study` reads the TOML file into a :class:`StudyConfig` (paths resolved
against the study file's folder, the baseline as a
:class:`~impact.baselines.glm.BaselineSpec`, the headline and other events, the output
folder) and fails with a :class:`~impact._core.exceptions.DataValidationError` naming the
setting when something is missing or invalid. :func:`study_root` is the folder that
``results/manifest.json`` records paths relative to.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS, DEFAULT_SEED
from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineSpec

__all__ = ["StudyConfig", "load_study", "study_root"]


def study_root(path: str | Path) -> Path:
    """The repository root of a study file: the nearest folder at or above the study
    file's folder that holds ``pyproject.toml``, else the study file's folder.

    ``results/manifest.json`` records input and output paths relative to it, so the
    manifest does not depend on where the repository is checked out.
    """
    folder = Path(path).resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / "pyproject.toml").is_file():
            return candidate
    return folder


@dataclasses.dataclass(frozen=True)
class StudyConfig:
    """The parsed ``study.toml`` with paths resolved against its folder.

    ``raw`` is the TOML as read (recorded in the manifest); ``root`` is the repository
    root (:func:`study_root`) that the manifest's paths are relative to.
    """

    path: Path
    raw: dict[str, Any]
    data_kind: str
    calls: Path
    events: Path
    published: Path
    seed: int
    level: float
    n_paths: int
    teams: tuple[str, ...]
    baseline: BaselineSpec
    headline_events: tuple[str, ...]
    headline_related: tuple[str, ...]
    post_end: str | None
    pre_start: str | None
    out_dir: Path
    suppression_threshold: int
    year: int
    other_events: tuple[str, ...]
    other_post_months: int
    run_diagnostics: bool
    root: Path | None = None


def load_study(path: str | Path) -> StudyConfig:
    """Read and validate ``study.toml``.

    Raises
    ------
    DataValidationError
        When the file is missing, not TOML, or a setting is invalid (the message names
        the setting).
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise DataValidationError(f"study file {path} does not exist.")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataValidationError(f"study file {path} is not valid TOML: {exc}") from exc
    root = path.parent

    def get(section: str, key: str, default: Any = None, *, required: bool = False) -> Any:
        sec = raw.get(section, {})
        if key not in sec:
            if required:
                raise DataValidationError(
                    f"study file {path}: [{section}] {key} is required."
                )
            return default
        return sec[key]

    kind = get("data", "kind", "synthetic")
    if kind not in ("real", "synthetic"):
        raise DataValidationError(
            f"study file {path}: [data] kind = {kind!r}; expected 'real' or 'synthetic'."
        )
    b = raw.get("baseline", {})
    try:
        spec = BaselineSpec(**b)
    except TypeError as exc:
        raise DataValidationError(f"study file {path}: [baseline] {exc}") from exc
    return StudyConfig(
        path=path,
        raw=raw,
        data_kind=kind,
        calls=root / get("data", "calls", required=True),
        events=root / get("data", "events", "data/events/events.csv"),
        published=root / get("data", "published", "data/published/published_figures.csv"),
        seed=int(get("study", "seed", DEFAULT_SEED)),
        level=float(get("study", "level", DEFAULT_LEVEL)),
        n_paths=int(get("study", "n_paths", DEFAULT_N_PATHS)),
        teams=tuple(get("study", "teams", ())),
        baseline=spec,
        headline_events=tuple(get("headline", "events", ("E048", "E049"))),
        headline_related=tuple(get("headline", "related", ())),
        post_end=get("headline", "post_end"),
        pre_start=get("headline", "pre_start"),
        out_dir=root / get("outputs", "dir", "results"),
        suppression_threshold=int(get("outputs", "suppression_threshold", 5)),
        year=int(get("study", "year", 2023)),
        other_events=tuple(get("other_events", "events", ())),
        other_post_months=int(get("other_events", "post_months", 3)),
        run_diagnostics=bool(get("diagnostics", "run", True)),
        root=study_root(path),
    )
