"""The synthetic daily panel: exact monthly sums, truth consistent with the monthly truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact._core.paths import data_dir
from impact.simulation.daily import (
    MONTHLY_TRUTH_OF,
    SYNTHETIC_DAILY_FILES,
    build_synthetic_daily_panel,
    write_synthetic_daily_panel,
)
from impact.simulation.synthetic import build_synthetic_panel

#: Sums of expected values over a month: floating-point only.
ATOL_SUM = 1e-8
#: The written truth has four decimals per day; a month sums ~31 of them.
ATOL_FILE = 31 * 5e-5


@pytest.fixture(scope="module")
def daily():
    return build_synthetic_daily_panel()


@pytest.fixture(scope="module")
def monthly():
    return build_synthetic_panel()


def _monthly_sums(frame: pd.DataFrame, value: str) -> pd.Series:
    months = frame["date"].dt.asfreq("M").rename("month")
    return frame.groupby([frame["team"], months])[value].sum()


def test_monthly_sums_equal_the_monthly_panel_exactly(daily, monthly):
    sums = _monthly_sums(daily.calls, "calls")
    expected = monthly.calls.set_index(["team", "month"])["calls"]
    pd.testing.assert_series_equal(sums, expected, check_names=False)


def test_monthly_sums_equal_the_committed_monthly_file():
    path = data_dir() / "synthetic" / "SYNTHETIC_calls_team_day.csv"
    day = pd.read_csv(path)
    month = pd.read_csv(data_dir() / "synthetic" / "SYNTHETIC_calls_team_month.csv")
    day["month"] = day["date"].str[:7]
    sums = day.groupby(["team", "month"])["calls"].sum().reset_index()
    merged = sums.merge(month, on=["team", "month"], how="outer", suffixes=("_day", ""))
    assert len(merged) == len(month)
    assert (merged["calls_day"] == merged["calls"]).all()
    assert set(day["kind"]) == {"synthetic"}
    assert list(day.columns[:4]) == ["team", "date", "calls", "kind"]


def test_daily_truth_sums_to_the_monthly_truth(daily, monthly):
    for label, monthly_label in MONTHLY_TRUTH_OF.items():
        got = _monthly_sums(daily.truth[daily.truth["event"] == label], "true_excess")
        want = monthly.truth[monthly.truth["event"] == monthly_label]
        want = want.set_index(["team", "month"])["true_excess"]
        want = want[want.abs() > 0]
        got = got.reindex(want.index)
        np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), atol=ATOL_SUM, err_msg=label)


def test_separate_truths_add_up_and_land_after_the_events(daily):
    truth = daily.truth.set_index(["event", "team", "date"])["true_excess"]
    parts = sum(
        truth.loc[e].reindex(truth.loc["E048+E049+E050+E051+E052"].index, fill_value=0.0)
        for e in ("E048", "E049", "E050", "E051", "E052")
    )
    np.testing.assert_allclose(parts, truth.loc["E048+E049+E050+E051+E052"], atol=ATOL_SUM)
    first = daily.truth.groupby("event")["date"].min().astype(str)
    assert first["E048"] == "2023-08-28"  # Mon after the Pichal case became public
    assert first["E049"] == "2023-09-06"  # the day after episode 1
    assert first["E050"] == "2023-09-13"
    # nothing of the 2023 story before 28 Aug
    aug = daily.truth[(daily.truth["date"] < pd.Period("2023-08-28", "D"))]
    assert not aug["event"].str.startswith("E048").any()


def test_calls_are_zero_on_closed_days(daily):
    exp = daily.expected
    closed = daily.calls.loc[~exp["is_open"].to_numpy(), "calls"]
    assert (closed == 0).all()
    assert (daily.calls["calls"] >= 0).all()


def test_friday_chat_moves_calls_to_fridays(daily):
    exp = daily.expected[daily.expected["team"] == "Antwerpen"].set_index("date")["expected_calls"]
    # Friday / Thursday before and after E053 (chat on Fridays from 15 Sep 2023)
    before = exp[pd.Period("2023-09-08", "D")] / exp[pd.Period("2023-09-07", "D")]
    after = exp[pd.Period("2023-10-13", "D")] / exp[pd.Period("2023-10-12", "D")]
    assert after > before * 1.1


def test_window_truth_has_flanders_and_relative_effects(daily):
    win = daily.window_truth("2023-08-28", "2023-09-17")
    total = win[(win["team"] == "Flanders")].set_index("event")
    teams = win[win["team"] != "Flanders"].groupby("event")["true_excess"].sum()
    np.testing.assert_allclose(total["true_excess"], teams.reindex(total.index), rtol=1e-12)
    assert (total["relative_effect"] > 0).all()
    with pytest.raises(DataValidationError, match="after its end"):
        daily.window_truth("2023-09-17", "2023-08-28")


def test_reproducible_and_file_matches(tmp_path, daily):
    paths = write_synthetic_daily_panel(tmp_path)
    assert [p.name for p in paths] == list(SYNTHETIC_DAILY_FILES)
    for p in paths[:2]:
        assert p.read_bytes() == (data_dir() / "synthetic" / p.name).read_bytes()
    readme = paths[2].read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in readme


def test_other_seed_changes_the_split_not_the_sums():
    a = build_synthetic_daily_panel(seed=1)
    b = build_synthetic_daily_panel(seed=2)
    assert not a.calls["calls"].equals(b.calls["calls"])
    with pytest.raises(DataValidationError, match="seed"):
        build_synthetic_daily_panel(seed=-1)
