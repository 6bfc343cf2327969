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

from impact._core.constants import FLANDERS
from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineSpec
from impact.events import load_events
from impact.reporting import check_synthetic_target, resolve_output_dir
from impact.study.schema import validate_study

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
    root (:func:`study_root`) that the manifest's paths are relative to. ``teams`` are
    ``[teams] names`` (or the older ``[study] teams``), ``total`` the name of their total,
    ``aliases`` the ``[teams.aliases]`` table (``None``: the loader's default vocabulary),
    ``measure`` and ``channels`` what ``[data]`` picks from a table with several measures
    or channels.
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
    n_jobs: int = 1
    pooling: str = "none"
    root: Path | None = None
    total: str = FLANDERS
    aliases: dict[str, str] | None = None
    measure: str | None = None
    channels: str | tuple[str, ...] = "sum"
    #: ``False`` skips the ``[daily]`` part even when the study file has one (notebooks
    #: that do not show it set this with ``dataclasses.replace``).
    run_daily: bool = True


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            f"study file {path} is not UTF-8 text ({exc.reason} at byte {exc.start}); save "
            "it as UTF-8."
        ) from exc
    except OSError as exc:
        raise DataValidationError(
            f"study file {path} cannot be read ({exc.strerror or exc}); check the path and "
            "its permissions."
        ) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataValidationError(
            f"study file {path} is not valid TOML: {exc}. Compare it with the study.toml of "
            "the repository."
        ) from exc


def load_study(path: str | Path) -> StudyConfig:
    """Read and validate ``study.toml`` before any work starts.

    Every setting is checked against the one schema (:mod:`impact.study.schema`: types,
    ranges, allowed values, no silent coercion), event ids against the event file, the
    output folder against the confinement rule
    (:func:`impact.reporting.resolve_output_dir`: inside the project, outside ``data/``)
    and, for synthetic data, the panel's file against
    :func:`impact.reporting.check_synthetic_target` (only under ``data/synthetic/``).

    Raises
    ------
    DataValidationError
        When the file is missing, unreadable or not TOML, or any setting is invalid: one
        message lists every problem with the key, the value, what is allowed and how to
        fix it.
    EventError
        When the event file named by ``[data] events`` is invalid.
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise DataValidationError(
            f"study file {path} does not exist or is not a file; pass the path of a "
            "study.toml (the repository's study.toml is an example)."
        )
    raw = _read_toml(path)
    settings = validate_study(raw, path=str(path))
    folder = path.parent
    root = study_root(path)
    data = settings["data"]
    events_file = folder / data["events"]
    if not events_file.is_file():
        raise DataValidationError(
            f"study file {path}: [data] events = {data['events']!r}: no such file "
            f"({events_file}); point it to the event registry (data/events/events.csv)."
        )
    registry = load_events(events_file)
    settings = validate_study(raw, path=str(path), known_event_ids=registry.ids)
    calls = folder / data["calls"]
    if data["kind"] == "synthetic":
        calls = check_synthetic_target(calls, project_root=root)
    out_dir = resolve_output_dir(settings["outputs"]["dir"], project_root=root, base=folder)
    study, headline, other = settings["study"], settings["headline"], settings["other_events"]
    teams = settings["teams"]
    return StudyConfig(
        path=path,
        raw=raw,
        data_kind=data["kind"],
        calls=calls,
        events=events_file,
        published=folder / data["published"],
        seed=study["seed"],
        level=study["level"],
        n_paths=study["n_paths"],
        teams=tuple(teams["names"] or study["teams"]),
        baseline=BaselineSpec(**settings["baseline"]),
        headline_events=tuple(headline["events"]),
        headline_related=tuple(headline["related"]),
        post_end=headline["post_end"],
        pre_start=headline["pre_start"],
        out_dir=out_dir,
        suppression_threshold=settings["outputs"]["suppression_threshold"],
        year=study["year"],
        other_events=tuple(other["events"]),
        other_post_months=other["post_months"],
        run_diagnostics=settings["diagnostics"]["run"],
        n_jobs=settings["diagnostics"]["n_jobs"],
        pooling=study["pooling"],
        root=root,
        total=teams["total"],
        aliases=dict(teams["aliases"]) if teams["aliases"] is not None else None,
        measure=data["measure"],
        channels=data["channels"],
    )
