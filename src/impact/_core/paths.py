"""Where the project's bundled data live.

Only the CLI, the study configuration and the default arguments of the loaders use
these paths; library functions take explicit paths.
"""

from __future__ import annotations

from pathlib import Path

from impact._core.exceptions import ImpactError

__all__ = ["data_dir", "project_root"]


def project_root() -> Path:
    """Return the repository root (the folder holding ``pyproject.toml`` and ``data/``).

    Raises
    ------
    ImpactError
        When the package is not run from a checkout of the repository (for example
        from a wheel without the ``data/`` folder); pass explicit paths then.
    """
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data").is_dir():
            return parent
    raise ImpactError(
        "cannot find the impact repository (a folder with pyproject.toml and data/) above "
        f"{here}; pass explicit file paths instead of relying on the bundled data."
    )


def data_dir() -> Path:
    """Return ``<project root>/data``."""
    return project_root() / "data"
