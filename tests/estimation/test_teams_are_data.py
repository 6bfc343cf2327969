"""Teams are data (issue 14): a panel of any team names, with any name for the total,
loads from a file and estimates like the five 1712 teams."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact._core.constants import MIN_N_PATHS
from impact.baselines import BaselineSpec
from impact.estimation.counterfactual import estimate_effects
from impact.events.registry import Event
from impact.io.calls import load_call_counts

N_PRE, N_POST = 48, 6


def _write_panel(tmp_path: Path, teams: list[str], *, total: str | None = None) -> Path:
    rng = np.random.default_rng(14)
    idx = pd.period_range("2018-01", periods=N_PRE + N_POST, freq="M")
    season = 0.1 * np.cos(2 * np.pi * np.asarray(idx.month) / 12)
    lines = ["team,month,calls"]
    sums = np.zeros(len(idx), dtype=int)
    for i, team in enumerate(teams):
        y = rng.poisson((30.0 + i) * np.exp(season))
        sums += y
        lines += [f"{team},{m},{v}" for m, v in zip(idx, y, strict=True)]
    if total is not None:
        lines += [f"{total},{m},{v}" for m, v in zip(idx, sums, strict=True)]
    path = tmp_path / "panel.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _event() -> Event:
    start = pd.Period("2018-01", freq="M") + N_PRE
    return Event(id="C1", name="campaign", kind="campaign", start=start.start_time,
                 shape="step")


@pytest.mark.parametrize("n_teams", [8, pytest.param(50, marks=pytest.mark.slow)])
def test_many_team_panel_loads_and_estimates_with_its_total(tmp_path, n_teams):
    teams = [f"Team {i:02d}" for i in range(n_teams)]
    frame = load_call_counts(_write_panel(tmp_path, teams, total="Flanders"))
    assert len(set(frame["team"])) == n_teams
    table = estimate_effects(frame, [_event()], spec=BaselineSpec(family="poisson"),
                             seed=3, n_paths=MIN_N_PATHS, total="Flanders")
    assert table.teams == (*teams, "Flanders")
    parts = [table[t] for t in teams]
    assert table["Flanders"].cumulative_effect == pytest.approx(
        sum(e.cumulative_effect for e in parts))
    observed = frame.groupby("month")["calls"].sum()
    np.testing.assert_array_equal(table["Flanders"].to_frame()["observed"].to_numpy(),
                                  observed.to_numpy())


def test_total_named_belgium_names_the_total_row(tmp_path):
    teams = ["Brussel", "Vlaanderen", "Wallonie"]  # 'Vlaanderen' is a team here
    frame = load_call_counts(_write_panel(tmp_path, teams, total="Belgium"),
                             teams=teams, total="Belgium")
    assert sorted(set(frame["team"])) == teams
    table = estimate_effects(frame, [_event()], spec=BaselineSpec(family="poisson"),
                             seed=3, n_paths=MIN_N_PATHS)
    assert table.teams == (*teams, "Belgium")
    assert "Belgium total" in table["Belgium"].method
