"""The study at daily resolution: [daily] settings, separated effects, window, outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.events.registry import load_events
from impact.study.config import load_study
from impact.study.daily import (
    DAILY_EFFECT_COLUMNS,
    compute_daily,
    table_daily_effects,
    table_daily_identifiability,
    table_daily_window,
    write_daily_figures,
)
from impact.study.outputs import OUTPUTS
from impact.study.run import run_study
from impact.study.schema import validate_study

REPO = Path(__file__).resolve().parents[2]
SYN = "data/synthetic"
COPY = (
    f"{SYN}/SYNTHETIC_calls_team_month.csv",
    f"{SYN}/SYNTHETIC_true_effects_daily.csv",
    "data/events/events.csv",
    "data/published/published_figures.csv",
)
#: The small daily table: two teams, two years (loads and fits in seconds).
TEAMS = ("Antwerpen", "Limburg")
FIRST, LAST = "2022-01-01", "2023-12-31"

DAILY = """
[daily]
calls = "data/synthetic/SYNTHETIC_calls_team_day.csv"
events = ["E048", "E049", "E050", "E051", "E052"]
window = ["2023-08-28", "2023-09-17"]
pre_start = "2022-09-01"
post_end = "2023-10-31"
"""


def _project(root: Path, out: str, *, daily: str = DAILY, diagnostics: bool = False) -> Path:
    for rel in COPY:
        target = root / rel
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / rel, target)
    day = root / SYN / "SYNTHETIC_calls_team_day.csv"
    if not day.is_file():
        full = pd.read_csv(REPO / SYN / "SYNTHETIC_calls_team_day.csv")
        keep = full["team"].isin(TEAMS) & full["date"].between(FIRST, LAST)
        full[keep].to_csv(day, index=False, lineterminator="\n")
    toml = f"""
[data]
kind = "synthetic"
calls = "{COPY[0]}"
events = "{COPY[2]}"
published = "{COPY[3]}"

[study]
seed = 7
n_paths = 300
year = 2023

[headline]
events = ["E048", "E049"]
post_end = "2023-10"
pre_start = "2016-01"

[diagnostics]
run = {"true" if diagnostics else "false"}

[outputs]
dir = "{out}"
{daily}
"""
    path = root / f"{out}.toml"
    path.write_text(toml, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def daily_study(tmp_path_factory):
    root = tmp_path_factory.mktemp("daily_project")
    cfg = load_study(_project(root, "results"))
    return compute_daily(cfg, load_events(cfg.events))


def test_no_daily_section_means_no_daily_part(tmp_path):
    cfg = load_study(_project(tmp_path, "results", daily=""))
    assert compute_daily(cfg, load_events(cfg.events)) is None


def test_daily_section_is_validated():
    base = {"data": {"calls": "x.csv"}}
    out = validate_study({**base, "daily": {"calls": "d.csv"}})
    assert out["daily"]["window"] == ("2023-08-28", "2023-09-17")
    assert out["daily"]["events"][0] == "E048"
    with pytest.raises(DataValidationError, match=r"\[daily\] calls is required"):
        validate_study({**base, "daily": {"events": ["E048"]}})
    with pytest.raises(DataValidationError, match=r"\[daily\] window.*first day is after"):
        validate_study({**base, "daily": {"calls": "d.csv",
                                          "window": ["2023-09-17", "2023-08-28"]}})
    with pytest.raises(DataValidationError, match=r"\[daily\] pre_start.*not a calendar day"):
        validate_study({**base, "daily": {"calls": "d.csv", "pre_start": "2023-02-30"}})
    with pytest.raises(DataValidationError, match=r"\[daily\] events.*unknown event id"):
        validate_study({**base, "daily": {"calls": "d.csv", "events": ["E999"]}},
                       known_event_ids=["E048"])


def test_events_are_separated_daily_and_merged_monthly(daily_study):
    ident = table_daily_identifiability(daily_study)
    monthly = ident[ident["resolution"] == "monthly"].set_index("event")
    daily = ident[ident["resolution"] == "daily"].set_index("event")
    # the Godvergeten episodes one week apart share their months
    assert (monthly.loc[["E049", "E050"], "status"] == "merged").all()
    assert (daily["status"] == "ok").all()
    assert daily_study.separated == ("E048", "E049", "E050", "E051", "E052")


def test_effects_table_has_separate_effects_their_sum_and_truth(daily_study):
    eff = table_daily_effects(daily_study)
    assert list(eff.columns) == list(DAILY_EFFECT_COLUMNS)
    assert set(eff["team"]) == {*TEAMS, "Flanders"}
    total = eff[eff["team"] == "Flanders"].set_index("event")
    assert list(total.index) == ["E048", "E049", "E050", "E051", "E052",
                                 "E048+E049+E050+E051+E052"]
    assert (total["estimate_kind"].iloc[:-1] == "separate").all()
    assert total["estimate_kind"].iloc[-1] == "sum"
    # the components add up to their sum; the truth too
    np.testing.assert_allclose(total["effect"].iloc[:-1].sum(), total["effect"].iloc[-1],
                               rtol=1e-9)
    np.testing.assert_allclose(total["true_effect"].iloc[:-1].sum(),
                               total["true_effect"].iloc[-1], rtol=1e-9)
    # the teams add up to the total
    teams = eff[eff["team"] != "Flanders"].groupby("event")["effect"].sum()
    np.testing.assert_allclose(teams.reindex(total.index), total["effect"], rtol=1e-9)
    assert (eff["effect_lower"] <= eff["effect"]).all()
    assert (eff["effect"] <= eff["effect_upper"]).all()
    assert eff["true_effect"].notna().all() and (eff["true_effect"] > 0).all()
    assert (eff["first_day"] == "2023-08-27").all()
    assert (eff["last_day"] == "2023-10-31").all()


def test_window_compares_same_weekdays_a_year_earlier(daily_study):
    win = table_daily_window(daily_study).set_index("team")
    total = win.loc["Flanders"]
    # 364 days back: the same weekdays
    assert pd.Timestamp(total["reference_first_day"]).day_name() == "Monday"
    assert total["reference_first_day"] == "2022-08-29"
    assert total["calls_window"] == win.loc[list(TEAMS), "calls_window"].sum()
    calls = daily_study.calls
    in_window = calls["day"].between(pd.Period("2023-08-28", "D"), pd.Period("2023-09-17", "D"))
    assert total["calls_window"] == calls.loc[in_window, "calls"].sum()
    assert total["history_change_lower"] < total["history_change_upper"]
    assert total["year_on_year_change_lower"] < total["year_on_year_change"]
    assert total["year_on_year_change"] < total["year_on_year_change_upper"]
    # the events that started by the window's end
    assert total["counterfactual_events"] == "E048+E049+E050"
    assert 0 < total["true_relative_effect"] < 1


class _Figures:
    """Stands in for the study writer's figure helper (impact.study.write._Figures); the
    signatures are checked against it below, so the stand-in cannot drift from it."""

    def __init__(self) -> None:
        self.written: dict[tuple[str, str | None], pd.DataFrame] = {}
        self.figs: dict[str | None, object] = {}

    def languages(self, name: str) -> tuple[str | None, ...]:
        return ("nl", "en")

    def stamp(self, name: str, fig: object, lang: str | None) -> None:
        fig.text(0, 0, name)

    def write(self, name: str, fig: object, data: pd.DataFrame, lang: str | None) -> None:
        self.written[(name, lang)] = data
        self.figs[lang] = fig


def test_figure_helper_stand_in_matches_the_writer():
    import inspect

    from impact.study.write import _Figures as Real

    for method in ("languages", "stamp", "write"):
        assert (list(inspect.signature(getattr(Real, method)).parameters)
                == list(inspect.signature(getattr(_Figures, method)).parameters)), method


def test_daily_figure_marks_events_and_band(daily_study):
    import matplotlib.pyplot as plt

    figures = _Figures()
    write_daily_figures(figures, daily_study)
    for lang in ("nl", "en"):
        data = figures.written[("daily_effect", lang)]
        assert {"date", "observed", "expected", "expected_lower",
                "expected_upper"} <= set(data.columns)
        ax = figures.figs[lang].axes[0]
        labels = [t.get_text() for t in ax.texts]
        assert any(label.startswith("E048") for label in labels)
        assert any(label.startswith("E052") for label in labels)
        assert ax.get_legend() is not None
    nl_legend = [t.get_text() for t in figures.figs["nl"].axes[0].get_legend().get_texts()]
    assert "waargenomen" in nl_legend
    plt.close("all")


@pytest.mark.slow
def test_full_run_writes_the_daily_outputs_and_report_section(tmp_path):
    results = run_study(_project(tmp_path, "out"), quiet=True)
    listed = json.loads((results / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    for spec in OUTPUTS:
        if spec.requires == "daily":
            assert spec.id in listed, spec.id
    en = (results / "report_en.md").read_text(encoding="utf-8")
    nl = (results / "report_nl.md").read_text(encoding="utf-8")
    assert "Daily data" in en and "SYNTHETIC" in en
    assert "Dagelijkse gegevens" in nl
    eff = pd.read_csv(results / "tables" / f"{OUTPUTS.table('daily_effects').id}.csv")
    assert np.isfinite(eff["effect"]).all()
