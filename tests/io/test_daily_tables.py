"""Tests of daily and weekly count tables in impact.io.calls (and their label parsers).

The fixtures in ``tests/fixtures/daily/`` are derived from the synthetic monthly demo panel
(see ``make_fixtures.py`` there); other inputs are written into ``tmp_path`` by the test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact._core.dates import (
    format_period,
    parse_date_value,
    parse_timestamp_value,
    parse_week_value,
)
from impact._core.exceptions import DataValidationError
from impact.io.calls import (
    aggregate_calls,
    annual_totals,
    from_wide,
    load_call_counts,
    to_series,
    to_wide,
    write_call_counts,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "daily"
PANEL = (Path(__file__).resolve().parents[2] / "data" / "synthetic"
         / "SYNTHETIC_calls_team_month.csv")


def write_text(tmp_path: Path, text: str, name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def daily() -> pd.DataFrame:
    return load_call_counts(FIXTURES / "FIXTURE_daily_long.csv")


# --- label parsers -------------------------------------------------------------------------


@pytest.mark.parametrize("label", [
    "27/08/2023", "27-08-2023", "27.08.2023", "2023-08-27", "2023/08/27", "27/08/23",
    "27 augustus 2023", "27 aug 2023", "27 aug. 2023", "27-aug-2023", "zondag 27 augustus 2023",
    "zo 27/08/2023", "August 27, 2023", "45165", 45165, dt.date(2023, 8, 27),
    dt.datetime(2023, 8, 27), pd.Timestamp("2023-08-27"),
])
def test_date_formats(label):
    parsed = parse_date_value(label)
    assert parsed.kind == "day"
    assert parsed.period == pd.Period("2023-08-27", "D")


def test_ambiguous_dates_are_day_first_and_month_first_is_refused():
    assert parse_date_value("03/04/2023").period == pd.Period("2023-04-03", "D")
    refused = parse_date_value("08/27/2023")
    assert refused.kind == "unparseable" and "day first" in refused.detail


@pytest.mark.parametrize("label", [
    "2023-W35", "2023W35", "2023 wk 35", "2023 week 35", "W35 2023", "week 35 2023",
    "wk 35, 2023", "28/08/2023", "2023-08-28", dt.date(2023, 8, 28),
])
def test_week_formats(label):
    parsed = parse_week_value(label)
    assert parsed.kind == "week"
    assert parsed.period == pd.Period("2023-08-28", "W-SUN")  # Monday..Sunday
    assert parsed.period.start_time == pd.Timestamp("2023-08-28")
    assert format_period(parsed.period) == "2023-W35"


def test_week_labels_refused():
    assert "not a Monday" in parse_week_value("27/08/2023").detail
    assert "no week 53" in parse_week_value("2023-W53").detail
    assert parse_week_value("2020-W53").period.start_time == pd.Timestamp("2020-12-28")


# --- the fixtures --------------------------------------------------------------------------


def test_daily_long_fixture(daily):
    assert list(daily.columns) == ["team", "day", "calls"]
    assert daily["day"].dtype == pd.PeriodDtype("D")
    assert daily.attrs["resolution"] == "daily"
    assert daily["day"].min() == pd.Period("2023-07-01", "D")
    assert daily["day"].max() == pd.Period("2023-10-31", "D")
    assert len(daily) == 5 * 123


def test_daily_sums_equal_the_monthly_panel(daily):
    monthly = load_call_counts(PANEL)
    sums = daily.groupby(["team", daily["day"].dt.asfreq("M")])["calls"].sum()
    expected = monthly.set_index(["team", "month"])["calls"].loc[sums.index]
    assert sums.to_numpy().tolist() == expected.to_numpy().tolist()


def test_daily_wide_xlsx_equals_long(daily):
    wide = load_call_counts(FIXTURES / "FIXTURE_daily_wide.xlsx")
    pd.testing.assert_frame_equal(wide, daily)


def test_weekly_fixture(daily):
    weekly = load_call_counts(FIXTURES / "FIXTURE_weekly.csv")
    assert weekly["week"].dtype == pd.PeriodDtype("W-SUN")
    assert weekly.attrs["resolution"] == "weekly"
    sums = daily.assign(week=daily["day"].dt.asfreq("W-SUN")).groupby(["team", "week"])["calls"]
    expected = sums.sum().loc[list(zip(weekly["team"], weekly["week"], strict=True))]
    assert weekly["calls"].tolist() == expected.tolist()


# --- layouts and formats -------------------------------------------------------------------


def test_iso_daily_long_with_kind_column(tmp_path):
    text = ("date,team,calls,kind\n2023-08-26,Antwerpen,3,synthetic\n"
            "2023-08-27,Antwerpen,0,synthetic\n2023-08-28,Antwerpen,5,synthetic\n")
    frame = load_call_counts(write_text(tmp_path, text))
    assert list(frame.columns) == ["team", "day", "calls", "kind"]
    assert frame.attrs["kind"] == "synthetic"
    series = to_series(frame, "Antwerpen")
    assert series.index.freqstr == "D" and series.index.name == "day"
    assert series.tolist() == [3, 0, 5]


@pytest.mark.parametrize("labels", [
    ("26/08/2023", "27/08/2023", "28/08/2023"),
    ("26-08-2023", "27-08-2023", "28-08-2023"),
    ("26.08.2023", "27.08.2023", "28.08.2023"),
    ("26 augustus 2023", "27 augustus 2023", "28 augustus 2023"),
    ("26 aug 2023", "27 aug 2023", "28 aug 2023"),
])
def test_belgian_date_formats_in_a_file(tmp_path, labels):
    text = "dag;team;aantal\n" + "".join(f"{d};Limburg;{i}\n" for i, d in enumerate(labels))
    frame = load_call_counts(write_text(tmp_path, text))
    assert [format_period(p) for p in frame["day"]] == ["2023-08-26", "2023-08-27",
                                                        "2023-08-28"]


@pytest.mark.parametrize("labels", [
    ("2023-W34", "2023-W35"), ("week 34 2023", "week 35 2023"), ("2023 wk 34", "2023 wk 35"),
    ("21/08/2023", "28/08/2023"),
])
def test_weekly_formats_in_a_file(tmp_path, labels):
    text = "week,ploeg,oproepen\n" + "".join(f"{w},Limburg,{i + 4}\n" for i, w in enumerate(labels))
    frame = load_call_counts(write_text(tmp_path, text))
    assert [format_period(p) for p in frame["week"]] == ["2023-W34", "2023-W35"]


def test_ambiguous_day_month_in_a_file_is_belgian(tmp_path):
    text = "datum,team,calls\n02/04/2023,Limburg,1\n03/04/2023,Limburg,2\n"
    frame = load_call_counts(write_text(tmp_path, text))
    assert frame["day"].tolist() == [pd.Period("2023-04-02", "D"), pd.Period("2023-04-03", "D")]


def test_resolution_argument(tmp_path):
    one_monday = write_text(tmp_path, "datum,team,calls\n28/08/2023,Limburg,9\n")
    assert load_call_counts(one_monday)["day"].tolist() == [pd.Period("2023-08-28", "D")]
    weekly = load_call_counts(one_monday, resolution="weekly")
    assert weekly["week"].tolist() == [pd.Period("2023-08-28", "W-SUN")]
    firsts = write_text(tmp_path, "datum,team,calls\n01/08/2023,Limburg,9\n", "f.csv")
    assert "month" in load_call_counts(firsts).columns
    assert "day" in load_call_counts(firsts, resolution="daily").columns
    with pytest.raises(DataValidationError, match="resolution"):
        load_call_counts(firsts, resolution="hourly")


def test_monthly_resolution_refuses_days(tmp_path):
    path = write_text(tmp_path, "datum,team,calls\n27/08/2023,Limburg,9\n28/08/2023,Limburg,1\n")
    with pytest.raises(DataValidationError, match=r"mixed frequencies: these labels are not "
                       r"calendar months \(row 2, column A \('datum'\): '27/08/2023' is a day"):
        load_call_counts(path, resolution="monthly")


def test_daily_wide_csv_with_total_column(tmp_path):
    text = ("datum;Antwerpen;Limburg;Totaal\n26/08/2023;1;2;3\n27/08/2023;0;4;4\n"
            "28/08/2023;5;5;11\n")
    with pytest.raises(DataValidationError, match=r"row 4, column D \('Totaal'\): total 11 "
                       r"does not match the sum of the teams for 2023-08-28, 10"):
        load_call_counts(write_text(tmp_path, text))


def test_daily_measure_and_channel_columns(tmp_path):
    text = ("datum,team,kanaal,maat,aantal\n"
            "26/08/2023,Limburg,telefoon,beantwoord,3\n26/08/2023,Limburg,chat,beantwoord,1\n"
            "26/08/2023,Limburg,telefoon,gemist,2\n26/08/2023,Limburg,chat,gemist,0\n"
            "27/08/2023,Limburg,telefoon,beantwoord,4\n27/08/2023,Limburg,chat,beantwoord,2\n"
            "27/08/2023,Limburg,telefoon,gemist,1\n27/08/2023,Limburg,chat,gemist,1\n")
    path = write_text(tmp_path, text)
    answered = load_call_counts(path, measure="answered")
    assert answered["calls"].tolist() == [4, 6]
    phone = load_call_counts(path, measure="gemist", channels=["telefoon"])
    assert phone["calls"].tolist() == [2, 1]
    kept = load_call_counts(path, measure="answered", channels=None)
    assert list(kept.columns) == ["team", "day", "channel", "calls"]
    assert aggregate_calls(kept)["calls"].tolist() == [4, 6]


# --- located errors ------------------------------------------------------------------------


def test_missing_days_are_named(tmp_path):
    days = [d for d in pd.period_range("2023-08-01", "2023-08-31", freq="D")
            if d.day not in (5, 6, 20)]
    text = "datum,team,calls\n" + "".join(f"{d.strftime('%d/%m/%Y')},Limburg,1\n" for d in days)
    with pytest.raises(DataValidationError, match=r"team 'Limburg': 3 missing days \(missing: "
                       r"2023-08-05, 2023-08-06, 2023-08-20\); daily series must be complete\. "
                       r"A day without calls is written as 0"):
        load_call_counts(write_text(tmp_path, text))


def test_many_missing_days_name_the_first(tmp_path):
    text = "datum,team,calls\n02/01/2023,Limburg,1\n30/03/2023,Limburg,2\n"
    with pytest.raises(DataValidationError, match=r"86 missing days \(first missing: "
                       r"2023-01-03, 2023-01-04, .*\(74 more\)"):
        load_call_counts(write_text(tmp_path, text))


def test_closed_days_are_declared(tmp_path):
    text = ("datum,team,calls\n24/12/2023,Limburg,3\n25/12/2023,Limburg,gesloten\n"
            "26/12/2023,Limburg,2\n")
    frame = load_call_counts(write_text(tmp_path, text))
    assert frame["calls"].tolist() == [3, 0, 2]
    assert frame.attrs["closed"] == {"Limburg": ["2023-12-25"]}


def test_closed_is_not_a_monthly_count(tmp_path):
    text = "maand,team,calls\n2023-01,Limburg,3\n2023-02,Limburg,gesloten\n"
    with pytest.raises(DataValidationError, match=r"row 3, column C \('calls'\): 'gesloten' is "
                       "not a number"):
        load_call_counts(write_text(tmp_path, text))


def test_duplicate_day(tmp_path):
    text = "datum,team,calls\n26/08/2023,Limburg,3\n27/08/2023,Limburg,1\n2023-08-27,Limburg,2\n"
    with pytest.raises(DataValidationError, match=r"duplicate team-day Limburg 2023-08-27: "
                       r"row 3 and row 4"):
        load_call_counts(write_text(tmp_path, text))


def test_mixed_frequencies_in_a_daily_table(tmp_path):
    text = ("datum,team,calls\n26/08/2023,Limburg,3\n27/08/2023,Limburg,1\n28/08/2023,Limburg,1\n"
            "2023-09,Limburg,40\n2023-W36,Limburg,9\n")
    with pytest.raises(DataValidationError, match=r"mixed frequencies: the table is daily but "
                       r"these labels are not one day \(row 5, column A \('datum'\): '2023-09' "
                       r"is a month.*row 6.*is a week"):
        load_call_counts(write_text(tmp_path, text))


def test_month_first_date_is_located(tmp_path):
    text = "datum,team,calls\n26/08/2023,Limburg,3\n08/27/2023,Limburg,1\n28/08/2023,Limburg,1\n"
    with pytest.raises(DataValidationError, match=r"row 3, column A \('datum'\): '08/27/2023' "
                       r"is not a valid date \(read day first"):
        load_call_counts(write_text(tmp_path, text))


def test_non_monday_in_a_weekly_table(tmp_path):
    text = "week,team,calls\n2023-W34,Limburg,3\n2023-W35,Limburg,1\n03/09/2023,Limburg,1\n"
    with pytest.raises(DataValidationError, match=r"row 4, column A \('week'\): '03/09/2023' is "
                       r"a zondag, not a Monday"):
        load_call_counts(write_text(tmp_path, text))


def test_missing_week(tmp_path):
    text = "week,team,calls\n2023-W34,Limburg,3\n2023-W36,Limburg,1\n"
    with pytest.raises(DataValidationError, match=r"team 'Limburg': 1 missing week \(missing: "
                       r"2023-W35\); weekly series must be complete"):
        load_call_counts(write_text(tmp_path, text))


def test_empty_count_in_a_daily_table(tmp_path):
    text = "datum,team,calls\n26/08/2023,Limburg,3\n27/08/2023,Limburg,\n28/08/2023,Limburg,1\n"
    with pytest.raises(DataValidationError, match=r"row 3, column C \('calls'\): the count is "
                       r"empty"):
        load_call_counts(write_text(tmp_path, text))


def test_xlsx_daily_future_day(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Datum", "Limburg"])
    future = dt.datetime.combine(dt.date.today() + dt.timedelta(days=400), dt.time())
    sheet.append([future, 1])
    path = tmp_path / "f.xlsx"
    book.save(path)
    with pytest.raises(DataValidationError, match=r"days in the future"):
        load_call_counts(path, resolution="daily")


# --- conversions and round trips -----------------------------------------------------------


def test_to_series_total_and_wide(daily):
    total = to_series(daily, "Vlaanderen")
    assert total.index.freqstr == "D" and len(total) == 123
    assert int(total.sum()) == int(daily["calls"].sum())
    wide = to_wide(daily)
    assert wide.index.name == "day" and wide.shape == (123, 5)
    pd.testing.assert_frame_equal(from_wide(wide), daily.drop(columns=[]), check_like=False)


def test_annual_totals_daily(daily):
    table = annual_totals(daily)
    assert list(table.columns) == ["team", "year", "calls", "n_days", "is_complete"]
    assert table["n_days"].tolist() == [123] * 6
    assert not table["is_complete"].any()
    assert int(table.loc[table["team"] == "Flanders", "calls"].iloc[0]) == int(daily["calls"].sum())


def test_annual_totals_weekly_by_iso_year(tmp_path):
    text = "week,team,calls\n2020-W52,Limburg,3\n2020-W53,Limburg,1\n2021-W01,Limburg,2\n"
    table = annual_totals(load_call_counts(write_text(tmp_path, text)))
    limburg = table[table["team"] == "Limburg"]
    assert limburg["year"].tolist() == [2020, 2021]
    assert limburg["n_weeks"].tolist() == [2, 1]


@pytest.mark.parametrize("name", ["FIXTURE_daily_long.csv", "FIXTURE_weekly.csv"])
@pytest.mark.parametrize("layout,suffix", [("long", ".csv"), ("wide", ".csv"), ("long", ".xlsx")])
def test_write_round_trip(tmp_path, name, layout, suffix):
    frame = load_call_counts(FIXTURES / name)
    path = write_call_counts(frame, tmp_path / f"out{suffix}", layout=layout)
    back = load_call_counts(path)
    pd.testing.assert_frame_equal(back.reset_index(drop=True), frame.reset_index(drop=True),
                                  check_dtype=True)


# --- the parsers never raise ---------------------------------------------------------------

_ANY = st.one_of(
    st.text(max_size=30), st.integers(), st.floats(), st.dates(), st.datetimes(),
    st.sampled_from(["27/08/2023", "2023-W35", "0001-01-01", "9999-12-31", "2023-W00",
                     "week 99 2023", "31/02/2023", "27 foo 2023", "zo 27/08/2023"]),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(value=_ANY)
def test_day_and_week_parsers_never_raise(value):
    for parse, kind in ((parse_date_value, "day"), (parse_week_value, "week")):
        parsed = parse(value)
        assert (parsed.period is not None) == (parsed.kind == kind), parsed
    stamp, reason = parse_timestamp_value(value)
    assert (stamp is None) == bool(reason)


def test_xlsx_mixing_date_cells_and_text_dates(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Datum", "Limburg"])
    sheet.append([dt.datetime(2023, 3, 4), 1])  # what Excel made of 03/04/2023, month first
    sheet.append(["27/08/2023", 2])  # left as text: no month 27
    path = tmp_path / "mixed.xlsx"
    book.save(path)
    with pytest.raises(DataValidationError, match=r"column A mixes date cells \(rows 2\) with "
                       r"dates typed as text \(rows 3 \('27/08/2023'\)\): a sign that a "
                       r"spreadsheet program read some dates month-first"):
        load_call_counts(path, resolution="daily")


def test_weekly_wide_with_total(tmp_path):
    text = "week;Antwerpen;Limburg;Totaal\n2023-W34;1;2;3\n2023-W35;4;5;9\n"
    frame = load_call_counts(write_text(tmp_path, text))
    assert frame.attrs["resolution"] == "weekly"
    assert to_series(frame, "Totaal").tolist() == [3, 9]


def test_year_and_week_number_columns(tmp_path):
    text = "Jaar;Week;Ploeg;Aantal\n2020;52;Limburg;3\n2020;53;Limburg;1\n2021;1;Limburg;2\n"
    frame = load_call_counts(write_text(tmp_path, text))
    assert [format_period(p) for p in frame["week"]] == ["2020-W52", "2020-W53", "2021-W01"]
    bad = write_text(tmp_path, "jaar,week,team,calls\n2023,52,Limburg,3\n2023,53,Limburg,1\n",
                     "bad.csv")
    with pytest.raises(DataValidationError, match=r"row 3, column B \('week'\): '2023-W53': "
                       r"ISO year 2023 has no week 53"):
        load_call_counts(bad)


def test_from_wide_with_day_labels():
    wide = pd.DataFrame({"Limburg": [1, 0, 2], "Antwerpen": [3, 4, 5]},
                        index=["26/08/2023", "27/08/2023", "28/08/2023"])
    frame = from_wide(wide)
    assert frame["day"].dtype == pd.PeriodDtype("D") and len(frame) == 6
    weeks = pd.DataFrame({"Limburg": [1, 2]}, index=["2023-W34", "2023-W35"])
    assert from_wide(weeks)["week"].dtype == pd.PeriodDtype("W-SUN")
    with pytest.raises(DataValidationError, match=r"index label '2023-13-01'"):
        from_wide(pd.DataFrame({"Limburg": [1, 2, 3]},
                               index=["2023-08-27", "2023-08-28", "2023-13-01"]))
