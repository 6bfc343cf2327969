"""Calendar terms: the sourced school-holiday file, public holidays, bridge days, the
design columns at daily, weekly and monthly resolution, and the automatic choice."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineSpec
from impact.baselines.calendar import (
    SCHOOL_HOLIDAY_YEARS,
    bridge_days,
    calendar_columns,
    load_school_holidays,
    public_holidays,
    resolve_calendar,
    school_holiday_days,
    school_holidays_from_rules,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGED = ROOT / "src" / "impact" / "baselines" / "data"


def test_reference_copies_are_identical():
    for name in ("school_holidays_flanders.csv", "opening_hours_1712.csv"):
        assert (ROOT / "data" / "reference" / name).read_bytes() == (PACKAGED / name).read_bytes()


def test_school_holiday_file_follows_the_rules_except_the_documented_2020_extension():
    frame = load_school_holidays()
    rules = school_holidays_from_rules(2011, 2027)
    assert len(frame) == len(rules) == 17 * 5
    differ = (frame["start"] != pd.to_datetime(rules["start"])) | (
        frame["end"] != pd.to_datetime(rules["end"])
    )
    changed = frame[differ]
    assert list(changed["school_year"]) == ["2020-2021"]
    assert list(changed["name"]) == ["autumn"]
    assert changed["end"].iloc[0] == pd.Timestamp("2020-11-15")
    assert "onderwijs.vlaanderen.be" in changed["source"].iloc[0]
    assert frame["source"].str.len().min() > 20


@pytest.mark.parametrize(
    ("year", "name", "start", "end"),
    [  # dates published in Flemish school calendars
        ("2018-2019", "crocus", "2019-03-04", "2019-03-10"),
        ("2018-2019", "easter", "2019-04-08", "2019-04-21"),  # Easter after 15 April
        ("2022-2023", "christmas", "2022-12-26", "2023-01-08"),  # 25 Dec on a Sunday
        ("2023-2024", "autumn", "2023-10-30", "2023-11-05"),
        ("2023-2024", "easter", "2024-04-01", "2024-04-14"),  # Easter in March
        ("2024-2025", "crocus", "2025-03-03", "2025-03-09"),
        ("2025-2026", "autumn", "2025-10-27", "2025-11-02"),  # 1 Nov on a Saturday
        ("2025-2026", "christmas", "2025-12-22", "2026-01-04"),
        ("2025-2026", "easter", "2026-04-06", "2026-04-19"),
    ],
)
def test_school_holidays_match_published_calendars(year, name, start, end):
    frame = load_school_holidays()
    row = frame[(frame["school_year"] == year) & (frame["name"] == name)].iloc[0]
    assert (row["start"], row["end"]) == (pd.Timestamp(start), pd.Timestamp(end))


def test_school_holiday_days_cover_the_years_and_refuse_beyond():
    lo, hi = SCHOOL_HOLIDAY_YEARS
    days = school_holiday_days(f"{lo}-01-01", f"{hi}-12-31")
    assert days[0] == pd.Timestamp(f"{lo}-01-01")  # Christmas holiday 2011-2012
    assert pd.Timestamp("2023-08-15") in days and pd.Timestamp("2023-09-01") not in days
    with pytest.raises(DataValidationError, match="school holidays are known"):
        school_holiday_days(f"{hi}-12-01", f"{hi + 1}-01-31")


def test_public_holidays_and_bridge_days():
    hol = public_holidays("2023-01-01", "2023-12-31")
    assert pd.Timestamp("2023-07-21") in hol and pd.Timestamp("2023-05-18") in hol
    assert len(hol) == 12  # Easter Sunday and Whit Sunday included
    bridges = bridge_days("2023-01-01", "2023-12-31")
    # Friday after Ascension (Thursday 18 May 2023), Monday before Assumption (Tuesday
    # 15 August); 1 Nov 2023 is a Wednesday: no bridge
    assert list(bridges) == [pd.Timestamp("2023-05-19"), pd.Timestamp("2023-08-14")]


def test_daily_calendar_columns():
    idx = pd.period_range("2023-05-15", "2023-05-21", freq="D")
    cols = calendar_columns(idx, day_of_week=True, holidays="public+school")
    assert list(cols.columns) == [
        "dow_tue", "dow_wed", "dow_thu", "dow_fri", "dow_sat", "dow_sun",
        "holiday_public", "bridge_day", "school_holiday",
    ]
    assert cols.loc[pd.Period("2023-05-15", "D")].sum() == 0  # an ordinary Monday
    assert cols["holiday_public"].tolist() == [0, 0, 0, 1, 0, 0, 0]
    assert cols["bridge_day"].tolist() == [0, 0, 0, 0, 1, 0, 0]
    assert cols["dow_sun"].tolist() == [0, 0, 0, 0, 0, 0, 1]
    assert cols["school_holiday"].sum() == 0


def test_weekly_and_monthly_columns_are_shares_of_days():
    weeks = pd.period_range("2023-04-03", periods=3, freq="W-SUN")
    cols = calendar_columns(weeks, day_of_week=False, holidays="public+school")
    # Easter Sunday (9 April 2023) and Monday, inside the Easter holiday (3-16 April)
    assert cols["holiday_public"].tolist() == pytest.approx([1 / 7, 1 / 7, 0])
    assert cols["school_holiday"].tolist() == pytest.approx([1, 1, 0])
    months = pd.period_range("2023-07", periods=3, freq="M")
    cols = calendar_columns(months, day_of_week=False, holidays="public+school")
    assert cols["school_holiday"].tolist() == pytest.approx([1, 1, 0])
    assert cols["holiday_public"].tolist() == pytest.approx([1 / 31, 1 / 31, 0])


def test_resolve_calendar_by_resolution():
    days = pd.period_range("2023-01-01", periods=10, freq="D")
    weeks = pd.period_range("2023-01-01", periods=10, freq="W-SUN")
    months = pd.period_range("2023-01", periods=10, freq="M")
    assert resolve_calendar(days, None, None) == (True, "public+school")
    assert resolve_calendar(weeks, None, None) == (False, "public+school")
    assert resolve_calendar(months, None, None) == (False, "none")
    assert resolve_calendar(days, False, "public") == (False, "public")
    early = pd.period_range("2011-12-20", periods=30, freq="D")  # before the school file
    assert resolve_calendar(early, None, None) == (True, "public")
    with pytest.raises(DataValidationError, match="day_of_week=True needs daily"):
        resolve_calendar(weeks, True, None)


def test_spec_validates_calendar_options():
    assert BaselineSpec().day_of_week is None and BaselineSpec().holidays is None
    with pytest.raises(DataValidationError, match="holidays='easter'"):
        BaselineSpec(holidays="easter")
    with pytest.raises(DataValidationError, match="day_of_week must be"):
        BaselineSpec(day_of_week="yes")
    with pytest.raises(DataValidationError, match="holidays="):
        calendar_columns(pd.period_range("2023-01-01", periods=3, freq="D"),
                         day_of_week=False, holidays="all")
