"""Tests for impact.simulation.synthetic: the calibrated SYNTHETIC demo panel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from impact._core.constants import FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError
from impact._core.provenance import SYNTHETIC_LABEL
from impact.events.registry import load_events
from impact.simulation import synthetic as synthetic
from impact.simulation.synthetic import (
    SYNTHETIC_FILES,
    SYNTHETIC_KIND,
    SyntheticPanel,
    build_synthetic_panel,
    write_synthetic_panel,
)

#: Published Flanders annual totals (data/published/published_figures.csv) and 2017 derived.
PUBLISHED_TOTALS = {
    2013: 3248, 2014: 4676, 2015: 4707, 2016: 4596, 2018: 5126, 2019: 5409,
    2020: 8059, 2021: 8515, 2022: 9045, 2023: 9424,
}  # fmt: skip
#: Published West-Vlaanderen totals and the Flanders totals of the same year.
WV_PUBLISHED = {2019: (992, 5409), 2020: (1467, 8059), 2022: (1575, 9045)}
#: The brief's tolerance for West-Vlaanderen's share (percentage points as a fraction).
WV_SHARE_ATOL = 0.02
#: Team shares over the whole panel vs population shares: NB noise on about 60,000 calls
#: moves a team's share by well under 0.5 pp; 1 pp leaves room for the WV adjustment.
POP_SHARE_ATOL_PANEL = 0.01
#: Team shares per year vs population shares: one year's noise is about 0.6-0.8 pp (1 SD).
POP_SHARE_ATOL_YEAR = 0.03
#: Float comparisons of deterministic quantities.
ATOL = 1e-9

POPULATION_SHARE = {
    t: synthetic._POPULATION[t] / sum(synthetic._POPULATION.values()) for t in TEAMS
}


@pytest.fixture(scope="module")
def panel() -> SyntheticPanel:
    return build_synthetic_panel()


def _flanders_month(calls: pd.DataFrame) -> pd.Series:
    return calls.groupby("month")["calls"].sum()


# --- calibration to published figures ----------------------------------------------------


def test_flanders_annual_totals_exact_for_every_published_year(panel: SyntheticPanel) -> None:
    yearly = panel.calls.groupby(panel.calls["month"].dt.year)["calls"].sum()
    for year, total in PUBLISHED_TOTALS.items():
        assert yearly.loc[year] == total, year


def test_targets_match_the_published_file(repo_root: Path) -> None:
    pub = pd.read_csv(repo_root / "data" / "published" / "published_figures.csv")
    value = dict(zip(pub["id"], pub["value"], strict=True))
    for year, (total, source) in synthetic._FLANDERS_TOTALS.items():
        if source.startswith("derived"):
            assert year == 2017
            assert total == round(value["F022"] / (1 + value["F024"] / 100))
        else:
            assert value[source] == total, (year, source)
            assert PUBLISHED_TOTALS[year] == total
    for year, (total, source) in synthetic._WV_TOTALS.items():
        assert value[source.split(" ")[0]] == total
        assert WV_PUBLISHED[year][0] == total


def test_2017_is_marked_derived(panel: SyntheticPanel) -> None:
    annual = panel.annual_totals
    flanders = annual[annual["team"] == FLANDERS].set_index("year")
    assert flanders.loc[2017, "annual_total_source"].startswith("derived:")
    assert "not published" in flanders.loc[2017, "annual_total_source"]
    assert flanders.loc[2017, "calls"] == round(5126 / 1.06)
    assert flanders.loc[2013, "annual_total_source"] == "F013"  # 3,248 chosen over 3,250
    assert (flanders["calls"] == flanders["target"]).all()


def test_west_vlaanderen_share_matches_published(panel: SyntheticPanel) -> None:
    calls = panel.calls
    year = calls["month"].dt.year
    for y, (wv_total, total) in WV_PUBLISHED.items():
        wv = calls.loc[(year == y) & (calls["team"] == "West-Vlaanderen"), "calls"].sum()
        flanders = calls.loc[year == y, "calls"].sum()
        assert abs(wv / flanders - wv_total / total) <= WV_SHARE_ATOL, y


def test_other_team_shares_close_to_population(panel: SyntheticPanel) -> None:
    calls = panel.calls
    overall = calls.groupby("team")["calls"].sum() / calls["calls"].sum()
    by_year = calls.groupby([calls["month"].dt.year, "team"])["calls"].sum()
    by_year = by_year / by_year.groupby(level=0).transform("sum")
    for team in TEAMS:
        assert abs(overall[team] - POPULATION_SHARE[team]) < POP_SHARE_ATOL_PANEL, team
        yearly = by_year.xs(team, level="team")
        assert (abs(yearly - POPULATION_SHARE[team]) < POP_SHARE_ATOL_YEAR).all(), team


def test_short_window_ratios_are_calibrated(panel: SyntheticPanel) -> None:
    cal = panel.calibration.set_index("check")
    feb = cal.loc["calls 10-27 Feb 2020 / 10-27 Feb 2019"]
    assert feb["synthetic_expected"] == pytest.approx(429 / 244, abs=ATOL)
    pichal = cal.loc["calls 28 Aug-17 Sep 2023 / 29 Aug-18 Sep 2022"]
    assert pichal["synthetic_expected"] == pytest.approx(1.31, abs=ATOL)
    share = cal.loc["answered share of demand, capped window 2020"]
    assert share["synthetic_expected"] == pytest.approx(0.5, abs=ATOL)


# --- known effects -------------------------------------------------------------------------


def test_sep_2023_clearly_above_sep_2022(panel: SyntheticPanel) -> None:
    flanders = _flanders_month(panel.calls)
    ratio = flanders[pd.Period("2023-09", "M")] / flanders[pd.Period("2022-09", "M")]
    assert ratio > 1.15
    expected = panel.expected.groupby("month")["expected_calls"].sum()
    assert expected[pd.Period("2023-09", "M")] / expected[pd.Period("2022-09", "M")] > 1.2


def test_2023_event_true_excess_positive_aug_to_oct(panel: SyntheticPanel) -> None:
    truth = panel.truth
    joint = truth[truth["event"] == "E048+E049"]
    for month in ("2023-08", "2023-09", "2023-10"):
        rows = joint[joint["month"] == pd.Period(month, "M")]
        assert len(rows) == len(TEAMS)
        assert (rows["true_excess"] > 0).all(), month
    # the joint effect is the sum of the separate ones (no cap in 2023)
    sep = truth[truth["event"].isin(["E048", "E049"])]
    summed = sep.groupby(["team", "month"])["true_excess"].sum()
    both = joint.set_index(["team", "month"])["true_excess"]
    pd.testing.assert_series_equal(
        summed.reindex(both.index).fillna(0.0), both, check_names=False, atol=ATOL
    )


def test_feb_2020_effect_present(panel: SyntheticPanel) -> None:
    truth = panel.truth
    feb = truth[(truth["event"] == "E016") & (truth["month"] == pd.Period("2020-02", "M"))]
    assert len(feb) == len(TEAMS)
    assert (feb["true_excess"] > 0).all()
    assert feb["true_excess"].sum() > 0.2 * feb["expected_without"].sum()
    flanders = _flanders_month(panel.calls)
    assert flanders[pd.Period("2020-02", "M")] > flanders[pd.Period("2019-02", "M")]


def test_covid_lockdown_effect_recorded(panel: SyntheticPanel) -> None:
    covid = panel.truth[panel.truth["event"] == "E019+E020"]
    assert (covid["true_excess"] >= -ATOL).all()
    assert covid["true_excess"].sum() > 0
    assert covid["event_kind"].eq("pandemic").all()


def test_capacity_cap_visible_in_2020(panel: SyntheticPanel) -> None:
    exp = panel.expected
    window = (exp["month"] >= pd.Period("2020-04", "M")) & (
        exp["month"] <= pd.Period("2020-08", "M")
    )
    assert (exp.loc[window, "expected_calls"] < exp.loc[window, "expected_demand"]).all()
    outside = (exp["month"] < pd.Period("2020-03", "M")) | (
        exp["month"] > pd.Period("2020-08", "M")
    )
    np.testing.assert_allclose(
        exp.loc[outside, "expected_calls"], exp.loc[outside, "expected_demand"], atol=ATOL
    )
    cap = panel.truth[panel.truth["event"] == "E023"]
    in_window = cap[cap["month"] >= pd.Period("2020-04", "M")]
    assert len(in_window) == 5 * len(TEAMS)
    assert (in_window["true_excess"] < 0).all()
    assert (in_window["expected_with"] < in_window["expected_without"]).all()


def test_truth_excess_is_with_minus_without(panel: SyntheticPanel) -> None:
    t = panel.truth
    np.testing.assert_allclose(t["true_excess"], t["expected_with"] - t["expected_without"])
    assert list(t.columns) == [
        "team", "month", "event", "event_kind", "expected_without", "expected_with",
        "true_excess", "kind",
    ]  # fmt: skip
    assert not t.duplicated(["event", "team", "month"]).any()


def test_truth_expected_with_matches_expected_calls(panel: SyntheticPanel) -> None:
    merged = panel.truth.merge(panel.expected, on=["team", "month"], how="left")
    np.testing.assert_allclose(merged["expected_with"], merged["expected_calls"], rtol=1e-12)


def test_event_dates_match_registry(repo_root: Path) -> None:
    reg = load_events(repo_root / "data" / "events" / "events.csv")

    def day(event_id: str) -> str:
        return str(reg[event_id].start.date())

    for eid, start, _, _ in synthetic._CAPACITY_STEPS:
        assert reg[eid].kind == "capacity"
        assert day(eid) == start, eid
    assert reg["E023"].kind == "capacity"
    assert str(reg["E023"].end.date()) == synthetic._CAP_WINDOW[1]
    assert day("E020") == synthetic._CAP_WINDOW[0]
    assert [day(e) for e in ("E016", "E017", "E018")] == list(synthetic._E016_EPISODES)
    assert day("E019") == synthetic._COVID_RAMP[0]
    assert str(reg["E020"].end.date()) == synthetic._COVID_PLATEAU_END
    assert day("E048") == "2023-08-27"  # response from the next working day, Mon 28 Aug
    assert synthetic._E048_START == "2023-08-28"
    episodes = [day(e) for e in ("E049", "E050", "E051", "E052")]
    assert episodes == list(synthetic._E049_EPISODES)


# --- determinism and labelling -------------------------------------------------------------


def test_same_seed_same_panel(panel: SyntheticPanel) -> None:
    synthetic._calibrated.cache_clear()  # recompute the calibration from scratch
    again = build_synthetic_panel()
    for name in ("calls", "truth", "expected", "annual_totals", "calibration"):
        pd.testing.assert_frame_equal(getattr(panel, name), getattr(again, name))
    assert panel.assumptions == again.assumptions


def test_different_seeds_differ(panel: SyntheticPanel) -> None:
    other = build_synthetic_panel(seed=7)
    assert not panel.calls["calls"].equals(other.calls["calls"])
    pd.testing.assert_frame_equal(panel.truth, other.truth)  # the truth does not depend on it
    yearly = other.calls.groupby(other.calls["month"].dt.year)["calls"].sum()
    assert all(yearly.loc[y] == t for y, t in PUBLISHED_TOTALS.items())


def test_written_files_byte_identical(tmp_path: Path) -> None:
    first = write_synthetic_panel(tmp_path / "a")
    second = write_synthetic_panel(tmp_path / "b")
    assert [p.name for p in first] == list(SYNTHETIC_FILES)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        assert b"\r" not in a.read_bytes()


def test_committed_files_are_current(repo_root: Path, tmp_path: Path) -> None:
    committed = repo_root / "data" / "synthetic"
    fresh = write_synthetic_panel(tmp_path)
    for path in fresh:
        assert (committed / path.name).read_bytes() == path.read_bytes(), (
            f"data/synthetic/{path.name} is stale; regenerate with `python -m impact synthesize`"
        )


def test_every_output_labelled_synthetic(panel: SyntheticPanel, tmp_path: Path) -> None:
    for name in ("calls", "truth", "expected", "annual_totals"):
        frame = getattr(panel, name)
        assert frame["kind"].eq(SYNTHETIC_KIND).all(), name
        assert frame.attrs["kind"] == SYNTHETIC_KIND, name
    assert panel.kind == SYNTHETIC_KIND
    assert SYNTHETIC_LABEL in panel.assumptions
    paths = write_synthetic_panel(tmp_path)
    for path in paths:
        if path.suffix == ".csv":
            assert path.name.startswith("SYNTHETIC_")
            frame = pd.read_csv(path)
            assert frame["kind"].eq(SYNTHETIC_KIND).all(), path.name
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# {SYNTHETIC_LABEL}")
    assert "python -m impact synthesize" in readme


def test_calls_frame_is_canonical(panel: SyntheticPanel) -> None:
    calls = panel.calls
    assert list(calls.columns) == ["team", "month", "calls", "kind"]
    assert calls["calls"].dtype == np.int64
    assert isinstance(calls["month"].dtype, pd.PeriodDtype)
    assert calls["month"].dtype == pd.PeriodDtype("M")
    assert (calls["calls"] >= 0).all()
    assert len(calls) == len(TEAMS) * 132
    assert list(calls["team"].unique()) == list(TEAMS)
    ordered = calls.sort_values(["team", "month"], ignore_index=True)
    pd.testing.assert_frame_equal(calls, ordered)


def test_csv_round_trip(tmp_path: Path, panel: SyntheticPanel) -> None:
    path = write_synthetic_panel(tmp_path)[0]
    frame = pd.read_csv(path, dtype={"team": str, "month": str})
    assert list(frame.columns) == ["team", "month", "calls", "kind"]
    assert frame["month"].str.fullmatch(r"\d{4}-\d{2}").all()
    np.testing.assert_array_equal(frame["calls"].to_numpy(), panel.calls["calls"].to_numpy())


# --- arguments -----------------------------------------------------------------------------


def test_start_end_cut_the_same_panel(panel: SyntheticPanel) -> None:
    part = build_synthetic_panel(start="2020-01", end="2021-06")
    assert part.calls["month"].min() == pd.Period("2020-01", "M")
    assert part.calls["month"].max() == pd.Period("2021-06", "M")
    full = panel.calls.set_index(["team", "month"])["calls"]
    cut = part.calls.set_index(["team", "month"])["calls"]
    pd.testing.assert_series_equal(cut, full.loc[cut.index])
    assert sorted(part.annual_totals["year"].unique()) == [2020]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start": "2012-12"}, "outside"),
        ({"end": "2024-01"}, "outside"),
        ({"start": "2020-05", "end": "2020-04"}, "after"),
        ({"start": "not a month"}, "must be a month"),
        ({"seed": -1}, "non-negative integer"),
        ({"seed": 1.5}, "non-negative integer"),
        ({"seed": True}, "non-negative integer"),
    ],
)
def test_bad_arguments_raise(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(DataValidationError, match=match):
        build_synthetic_panel(**kwargs)  # type: ignore[arg-type]


@given(
    weights=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=60),
    total=st.integers(min_value=0, max_value=20_000),
)
def test_largest_remainder_is_exact_and_close(weights: list[int], total: int) -> None:
    w = np.asarray(weights, dtype=float)
    out = synthetic._largest_remainder(w, total)
    assert out.sum() == total
    assert (out >= 0).all()
    share = w / w.sum() if w.sum() > 0 else np.full(len(w), 1 / len(w))
    assert np.all(np.abs(out - share * total) < 1 + 1e-9)
