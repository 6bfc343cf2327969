"""Where the study may write: confined output and synthetic-data folders.

:func:`resolve_output_dir` is the one rule for where outputs may go: inside the project,
outside ``data/``, never the project root itself, and never a folder that holds anything
but earlier results (a run replaces the whole folder, see
:func:`impact.reporting.atomic.results_transaction`). :func:`check_synthetic_target`
keeps synthetic files under ``data/synthetic/`` and out of ``data/raw/``.
:func:`is_results_dir` recognises a folder of earlier results by its ``manifest.json``.
Only the standard library is used.

Main names
----------
resolve_output_dir
    Check a configured output folder and return its resolved path.
check_synthetic_target
    Check where a synthetic data file may be written.
is_results_dir
    Whether a folder holds results written by :mod:`impact` (its ``manifest.json``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from impact._core.exceptions import DataValidationError

__all__ = [
    "MANIFEST_NAME",
    "check_synthetic_target",
    "is_results_dir",
    "resolve_output_dir",
]

#: Name of the manifest a results folder holds (written last by the study run).
MANIFEST_NAME = "manifest.json"
#: A manifest larger than this is not read when recognising a results folder.
_MAX_MANIFEST_BYTES = 64 * 1024 * 1024


def _is_under(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (lexically or as the same file)."""
    if path == folder or path.is_relative_to(folder):
        return True
    if not folder.exists():
        return False
    for p in (path, *path.parents):
        try:
            if p.exists() and os.path.samefile(p, folder):  # case-insensitive file systems
                return True
        except OSError:
            continue
    return False


def is_results_dir(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a folder holding results written by :mod:`impact`.

    A results folder has a ``manifest.json`` that is a JSON object naming impact as its
    generator (key ``generator`` starting with ``"impact"``) or, as the manifests of
    :func:`impact.reporting.writer.build_manifest` do, recording the ``impact`` package
    version under ``packages`` next to an ``outputs`` mapping.

    Parameters
    ----------
    path : str or path-like
        The folder.

    Returns
    -------
    is_results : bool
        False for anything unreadable, missing or not written by impact.
    """
    manifest = Path(path) / MANIFEST_NAME
    try:
        if not manifest.is_file() or manifest.stat().st_size > _MAX_MANIFEST_BYTES:
            return False
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    if not isinstance(data, dict):
        return False
    generator = data.get("generator")
    if isinstance(generator, str) and generator.startswith("impact"):
        return True
    packages = data.get("packages")
    return isinstance(packages, dict) and "impact" in packages and isinstance(
        data.get("outputs"), dict
    )


def _holds_other_files(path: Path) -> bool:
    """Whether ``path`` is a non-empty folder that is not a results folder."""
    try:
        if not path.is_dir():
            return False
        with os.scandir(path) as entries:
            is_empty = next(entries, None) is None
    except OSError:
        return False  # unreadable: the transaction reports it with its own message
    return not is_empty and not is_results_dir(path)


def resolve_output_dir(
    value: object,
    *,
    project_root: str | os.PathLike[str],
    base: str | os.PathLike[str] | None = None,
    allow_outside: bool = False,
    key: str = "[outputs] dir",
) -> Path:
    """Check an output folder setting and return the folder's resolved path.

    Outputs go into a folder inside the project, outside ``data/`` (which holds the
    inputs) and not the project root itself. The folder may be missing, empty or hold
    earlier results: a run replaces the whole folder (see :func:`results_transaction`),
    so a folder holding anything else is refused.

    Parameters
    ----------
    value : str or path-like
        The setting as written, for example ``"results"`` or ``"out/run1"``. Relative
        paths are taken relative to ``base``.
    project_root : str or path-like
        The project's root folder (the one holding ``pyproject.toml`` and ``data/``).
    base : str or path-like, optional
        Folder relative values start from (the study file's folder); defaults to
        ``project_root``.
    allow_outside : bool, default False
        Accept a folder outside the project (the CLI's explicit ``--out``). It must be
        missing, empty or an earlier results folder; the rules for ``data/`` and the
        project root still apply.
    key : str, default "[outputs] dir"
        The setting's name, used in error messages (``"--out"`` for the CLI option).

    Returns
    -------
    folder : pathlib.Path
        The absolute folder with symbolic links resolved.

    Raises
    ------
    DataValidationError
        When the value is not a path string, is empty or ``"."``, leads outside the
        project (by ``..``, an absolute path or a symbolic link) without
        ``allow_outside``, names the project root, lies under ``data/`` or ``.git/``,
        is an existing file, or is a folder holding files other than earlier results.
        The message names ``key``, the value, what is allowed and how to fix it.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> resolve_output_dir("results", project_root=root) == (root / "results").resolve()
    True
    """
    allowed = (
        "a folder inside the project (for example 'results' or 'out/run1') that is "
        "outside data/, is not the project root, and is missing, empty or holds earlier "
        "results"
    )

    def fail(problem: str, fix: str) -> DataValidationError:
        return DataValidationError(f"{key} = {value!r} {problem}; expected {allowed}. {fix}")

    quote = 'Write the folder as a quoted string, for example dir = "results".'
    if isinstance(value, bool) or not isinstance(value, str | os.PathLike):
        raise fail(f"is a {type(value).__name__}, not a folder path", quote)
    text = os.fspath(value)
    if not isinstance(text, str):
        raise fail("is a bytes path", quote)
    if text.strip() in ("", "."):
        raise fail("names the project root itself", 'Use a subfolder such as "results".')
    if "\0" in text:
        raise fail("contains a NUL character", quote)
    if text.startswith("~"):
        raise fail("starts with '~', which is not expanded", "Write the full path instead.")
    try:
        root = Path(project_root).resolve()
        start = Path(base).resolve() if base is not None else root
        candidate = Path(text) if Path(text).is_absolute() else start / text
        lexical = Path(os.path.normpath(candidate))
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loops, bad names
        fix = "Fix or remove the symbolic link, or choose another name."
        raise fail(f"cannot be resolved ({exc})", fix) from exc
    if _is_under(root, resolved):
        raise fail(
            f"is the project root or a folder containing it ({resolved})",
            'Use a subfolder such as "results".',
        )
    if not _is_under(resolved, root) and not allow_outside:
        how = (
            "leads outside the project through a symbolic link"
            if _is_under(lexical, root)
            else "lies outside the project"
        )
        raise fail(
            f"{how} ({resolved})",
            "Use a relative folder such as 'results', or pass an explicit folder with --out.",
        )
    for protected, why in (("data", "which holds the inputs"), (".git", "git's own folder")):
        if _is_under(resolved, root / protected) or _is_under(lexical, root / protected):
            raise fail(
                f"lies under {protected}/ ({why})",
                'Write results elsewhere, for example dir = "results".',
            )
    if resolved.exists() and not resolved.is_dir():
        raise fail(f"is an existing file ({resolved}), not a folder", "Choose a folder name.")
    if _holds_other_files(resolved):
        raise fail(
            f"is a folder holding other files and no impact {MANIFEST_NAME} ({resolved}); "
            "a run replaces the whole folder",
            "Choose a new or empty folder, or move those files away.",
        )
    return resolved


def check_synthetic_target(
    path: str | os.PathLike[str],
    *,
    project_root: str | os.PathLike[str],
    key: str = "[data] calls",
) -> Path:
    """Check that a synthetic data file is written under ``data/synthetic/``.

    Synthetic files never go under ``data/raw/`` (which holds only untouched inputs)
    nor anywhere outside ``data/synthetic/``.

    Parameters
    ----------
    path : str or path-like
        The file to be written; relative paths are taken relative to ``project_root``.
    project_root : str or path-like
        The project's root folder.
    key : str, default "[data] calls"
        The setting's name, used in error messages.

    Returns
    -------
    path : pathlib.Path
        The absolute file path with symbolic links resolved.

    Raises
    ------
    DataValidationError
        When the path is not a path string, cannot be resolved, lies under
        ``data/raw/``, lies outside ``data/synthetic/``, or is an existing folder.
    """
    allowed = "a file under data/synthetic/"
    if isinstance(path, bool) or not isinstance(path, str | os.PathLike):
        raise DataValidationError(
            f"{key} = {path!r} is a {type(path).__name__}, not a file path; expected "
            f'{allowed}. Write it as a quoted string, e.g. "data/synthetic/calls.csv".'
        )
    try:
        root = Path(project_root).resolve()
        candidate = Path(path) if Path(path).is_absolute() else root / path
        lexical = Path(os.path.normpath(candidate))
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise DataValidationError(
            f"{key} = {os.fspath(path)!r} cannot be resolved ({exc}); expected {allowed}. "
            "Fix or remove the symbolic link, or choose another name."
        ) from exc
    shown = os.fspath(path)
    if _is_under(resolved, root / "data" / "raw") or _is_under(lexical, root / "data" / "raw"):
        raise DataValidationError(
            f"{key} = {shown!r} lies under data/raw/, which holds only untouched real inputs; "
            f"synthetic data must be {allowed}. Set it to, for example, "
            '"data/synthetic/SYNTHETIC_calls_team_month.csv".'
        )
    synthetic = root / "data" / "synthetic"
    if not (_is_under(resolved, synthetic) and resolved != synthetic):
        raise DataValidationError(
            f"{key} = {shown!r} ({resolved}) is outside data/synthetic/; synthetic data "
            f"must be {allowed}. Move the setting under data/synthetic/."
        )
    if resolved.is_dir():
        raise DataValidationError(
            f"{key} = {shown!r} is an existing folder; expected {allowed}. Name a file."
        )
    return resolved
