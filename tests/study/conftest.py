"""A small study in a temporary project, run twice per test session.

The project holds copies of the synthetic panel, the event registry and the published
figures under ``data/`` and a study file with relative paths, as a checkout would; the
diagnostics bundle is replaced by a fast stand-in (``check_effects`` is tested in
``tests/diagnostics``), so every declared output, the diagnostics table and figure
included, is written in a few seconds.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from impact.study import compute
from impact.study.run import run_study

REPO = Path(__file__).resolve().parents[2]
DATA = (
    "data/synthetic/SYNTHETIC_calls_team_month.csv",
    "data/events/events.csv",
    "data/published/published_figures.csv",
    "data/published/statements.csv",
)


def write_small_study(root: Path, out: str, *, diagnostics: bool = True,
                      teams: tuple[str, ...] = (), other_events: tuple[str, ...] = ("E016",),
                      n_paths: int = 300) -> Path:
    """Copy the study's inputs under ``root/data`` and write ``root/<out>.toml`` (``teams``
    empty: every team of the panel)."""
    for rel in DATA:
        target = root / rel
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / rel, target)
    toml = f"""
[data]
kind = "synthetic"
calls = "{DATA[0]}"
events = "{DATA[1]}"
published = "{DATA[2]}"

[study]
seed = 7
level = 0.95
n_paths = {n_paths}
year = 2023

[teams]
names = [{", ".join(f'"{t}"' for t in teams)}]

[baseline]
family = "negbin"
exposure = "days"

[headline]
events = ["E048", "E049"]
post_end = "2023-10"
pre_start = "2016-01"

[other_events]
events = [{", ".join(f'"{e}"' for e in other_events)}]
post_months = 3

[diagnostics]
run = {"true" if diagnostics else "false"}

[outputs]
dir = "{out}"
"""
    path = root / f"{out}.toml"
    path.write_text(toml, encoding="utf-8")
    return path


class FakeDiagnostics:
    """Stands in for :class:`impact.diagnostics.bundle.EffectChecks` (summary, frame, plot)."""

    def summary(self) -> SimpleNamespace:
        table = pd.DataFrame({"team": ["Flanders"], "verdict": ["supported"],
                              "n_placebos": [40]}).set_index("team")
        return SimpleNamespace(text="stand-in diagnostics", table=table)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"team": ["Flanders"], "placebo_rank": [1]})

    def plot(self, *, figure_id: str | None = None):
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([0, 1], [0, 1])
        ax.set_title(str(figure_id))
        return fig


@pytest.fixture(scope="session")
def study_runs(tmp_path_factory):
    """Results folders of two identical runs of the small study (``a`` and ``b``)."""
    root = tmp_path_factory.mktemp("project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compute, "check_effects", lambda *args, **kwargs: FakeDiagnostics())
        a = run_study(write_small_study(root, "a"), quiet=True)
        b = run_study(write_small_study(root, "b"), quiet=True)
    return a, b
