"""Tests of impact.io.contacts and impact.io.contact_counts: reading contact logs and
counting them at any resolution."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import matplotlib.axes
import openpyxl
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact._core.summary import Summary
from impact.io.calls import load_call_counts, to_series, write_call_counts
from impact.io.categories import CATEGORY_TABLE_COLUMNS
from impact.io.contact_counts import aggregate_contacts, contact_category_table
from impact.io.contacts import CONTACT_LOG_COLUMNS, ContactLog, load_contact_log

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "daily"
LOG = FIXTURES / "FIXTURE_contacts.csv"


def write_text(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def log() -> ContactLog:
    return load_contact_log(LOG)


def hand_count(outcome: str) -> Counter:
    """(team, 'YYYY-MM') -> contacts with that outcome, counted from the raw CSV lines."""
    counts: Counter = Counter()
    with LOG.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["uitkomst"] == outcome:
                day, month, year = row["tijdstip"].split()[0].split("/")
                counts[(row["team"], f"{year}-{month}")] += 1
    return counts


# --- reading -------------------------------------------------------------------------------


def test_load_fixture(log):
    frame = log.to_frame()
    assert tuple(frame.columns) == CONTACT_LOG_COLUMNS
    assert log.columns == ("channel", "outcome", "category")
    assert len(frame) == sum(1 for _ in LOG.open(encoding="utf-8")) - 1
    assert frame["timestamp"].is_monotonic_increasing
    assert set(frame["channel"]) == {"phone", "chat", "email"}
    assert set(frame["outcome"]) == {"answered", "missed"}
    assert frame["day"].dtype == pd.PeriodDtype("D")
    assert frame["row"].min() == 2  # spreadsheet rows: the header is row 1


def test_to_frame_is_a_copy(log):
    frame = log.to_frame()
    frame.loc[0, "team"] = "changed"
    assert log.to_frame().loc[0, "team"] != "changed"


def test_monthly_equals_hand_count(log):
    monthly = aggregate_contacts(log, "monthly", measure="answered")
    got = {(r.team, str(r.month)): r.calls for r in monthly.itertuples()}
    assert got == dict(hand_count("beantwoord"))


def test_monthly_answered_equals_the_daily_table(log):
    # the fixture's answered contacts are the daily table's counts (make_fixtures.py)
    monthly = aggregate_contacts(log, "monthly", measure="beantwoord")
    table = load_call_counts(FIXTURES / "FIXTURE_daily_long.csv")
    table = table[table["team"].isin(["Antwerpen", "Limburg"])
                  & (table["day"] >= pd.Period("2023-09-01", "D"))]
    sums = table.groupby(["team", table["day"].dt.asfreq("M")])["calls"].sum()
    assert monthly["calls"].tolist() == sums.tolist()


def test_daily_sums_equal_monthly_and_weekly(log):
    daily = aggregate_contacts(log, "daily", measure="offered")
    monthly = aggregate_contacts(log, "monthly", measure="offered")
    weekly = aggregate_contacts(log, "weekly", measure="offered")
    by_month = daily.groupby(["team", daily["day"].dt.asfreq("M")])["calls"].sum()
    assert by_month.tolist() == monthly["calls"].tolist()
    by_week = daily.groupby(["team", daily["day"].dt.asfreq("W-SUN")])["calls"].sum()
    assert by_week.loc[list(zip(weekly["team"], weekly["week"], strict=True))].tolist() == \
        weekly["calls"].tolist()
    assert weekly.attrs["partial_periods"] == ["2023-W35", "2023-W44"]
    assert int(daily["calls"].sum()) == len(log.to_frame())


def test_aggregate_has_the_loader_shape(log, tmp_path):
    daily = aggregate_contacts(log, measure="answered")
    assert list(daily.columns) == ["team", "day", "calls"]
    assert daily.attrs["resolution"] == "daily" and daily.attrs["measure"] == "answered"
    assert len(daily) == 2 * 61  # every team and day of the span
    series = to_series(daily, "Flanders")
    assert series.index.freqstr == "D" and len(series) == 61
    path = write_call_counts(daily, tmp_path / "daily.csv")
    back = load_call_counts(path)
    pd.testing.assert_frame_equal(back, daily)


def test_zero_days_are_filled_and_span_is_declared(tmp_path):
    text = ("tijdstip,team\n01/09/2023 10:00,Limburg\n03/09/2023 11:00,Limburg\n"
            "03/09/2023 12:00,Antwerpen\n")
    log = load_contact_log(write_text(tmp_path, text))
    daily = aggregate_contacts(log)
    assert daily.set_index(["team", "day"])["calls"].to_dict() == {
        ("Antwerpen", pd.Period("2023-09-01", "D")): 0,
        ("Antwerpen", pd.Period("2023-09-02", "D")): 0,
        ("Antwerpen", pd.Period("2023-09-03", "D")): 1,
        ("Limburg", pd.Period("2023-09-01", "D")): 1,
        ("Limburg", pd.Period("2023-09-02", "D")): 0,
        ("Limburg", pd.Period("2023-09-03", "D")): 1,
    }
    longer = aggregate_contacts(log, start="2023-08-31", end="04/09/2023")
    assert len(longer) == 2 * 5
    with pytest.raises(DataValidationError, match="leaves out contacts"):
        aggregate_contacts(log, start="2023-09-02")
    with pytest.raises(DataValidationError, match="no complete month"):
        aggregate_contacts(log, "monthly")


def test_by_channel_and_category(log):
    frame = aggregate_contacts(log, "monthly", by=("team", "channel", "category"),
                               measure="answered")
    assert list(frame.columns) == ["team", "month", "channel", "category", "calls"]
    plain = aggregate_contacts(log, "monthly", measure="answered")
    assert frame.groupby(["team", "month"])["calls"].sum().tolist() == plain["calls"].tolist()
    phone = aggregate_contacts(log, "monthly", measure="answered", channels=["telefoon"])
    assert phone.attrs["channels"] == ["phone"]
    assert (phone["calls"] < plain["calls"]).all()


def test_measure_is_required_with_several_outcomes(log):
    with pytest.raises(DataValidationError, match=r"several outcomes \(answered, missed\)"):
        aggregate_contacts(log)
    with pytest.raises(DataValidationError, match="not an outcome"):
        aggregate_contacts(log, measure="unique")
    with pytest.raises(DataValidationError, match="channels 'fax' not in the log"):
        aggregate_contacts(log, measure="answered", channels=["fax"])
    with pytest.raises(DataValidationError, match="by="):
        aggregate_contacts(log, by=("channel",))


# --- days, time zones and clock changes ----------------------------------------------------


def test_late_and_midnight_contacts(tmp_path):
    text = ("tijdstip,team\n27/08/2023 23:59,Limburg\n28/08/2023 00:00,Limburg\n"
            "2023-08-28T23:59:59,Limburg\n")
    days = load_contact_log(write_text(tmp_path, text)).to_frame()["day"].astype(str).tolist()
    assert days == ["2023-08-27", "2023-08-28", "2023-08-28"]


def test_dst_days(tmp_path):
    # 26 March 2023 has 23 hours, 29 October 2023 25 (02:00-03:00 twice): calendar days
    text = ("tijdstip,team\n26/03/2023 01:30,Limburg\n26/03/2023 03:30,Limburg\n"
            "29/10/2023 02:30,Limburg\n29/10/2023 02:30,Limburg\n29/10/2023 23:30,Limburg\n"
            "2023-10-28T22:30:00Z,Limburg\n2023-10-29T23:30:00Z,Limburg\n"
            "2023-03-25T23:30:00+00:00,Limburg\n")
    log = load_contact_log(write_text(tmp_path, text))
    counts = log.to_frame()["day"].astype(str).value_counts().to_dict()
    # 22:30Z on 28 Oct is 00:30 CEST on the 29th; 23:30Z on 29 Oct is 00:30 CET on the
    # 30th; 23:30Z on 25 March is 00:30 CET on the 26th
    assert counts == {"2023-03-26": 3, "2023-10-29": 4, "2023-10-30": 1}
    daily = aggregate_contacts(log, start="2023-03-26", end="2023-10-30")
    assert int(daily["calls"].sum()) == 8


def test_separate_date_and_time_columns_in_xlsx(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Datum", "Uur", "Ploeg", "Kanaal", "Id"])
    sheet.append([dt.datetime(2023, 8, 27), dt.time(23, 59), "Limburg", "Telefoon", 1])
    sheet.append([dt.datetime(2023, 8, 28), "0:05", "Antwerpen", "chat", 2])
    path = tmp_path / "log.xlsx"
    book.save(path)
    with pytest.raises(DataValidationError, match=r"row 1, column E \('Id'\): column 'Id' is "
                       r"not recognised.*ignore=\['Id'\]"):
        load_contact_log(path)
    frame = load_contact_log(path, ignore=["id"]).to_frame()
    assert frame["timestamp"].tolist() == [pd.Timestamp("2023-08-27 23:59"),
                                           pd.Timestamp("2023-08-28 00:05")]
    assert frame["channel"].tolist() == ["phone", "chat"]
    assert frame["outcome"].isna().all()


# --- located errors ------------------------------------------------------------------------


def test_errors_name_the_row(tmp_path):
    text = ("tijdstip,team,kanaal,categorie\n"
            "27/08/2023 10:00,Limburg,telefoon,partnergeweld\n"
            "08/27/2023 10:00,Limburg,telefoon,partnergeweld\n"
            "28/08/2023 10:00,Totaal,chat,partnergeweld\n"
            "28/08/2023 10:00,Limburg,,partnergeweld\n"
            "28/08/2023 10:00,Limburg,chat,ruzie met de buren\n"
            "28/08/2023 25:00,Limburg,chat,\n")
    with pytest.raises(DataValidationError) as info:
        load_contact_log(write_text(tmp_path, text))
    message = str(info.value)
    assert "5 problems found" in message
    assert "row 3, column A ('tijdstip'): '08/27/2023 10:00' is not a valid date" in message
    assert "row 4, column B ('team'): 'Totaal' is a total, not a team" in message
    assert "row 5, column C ('kanaal'): the channel is empty" in message
    assert ("row 6, column D ('categorie'): unknown problem label 'ruzie met de buren'"
            in message)
    assert "row 7, column A ('tijdstip'): '28/08/2023 25:00': the time 25:00" in message


def test_unknown_team_and_missing_columns(tmp_path):
    with pytest.raises(DataValidationError, match=r"unknown team label.*'Atlantis' \(row 3, "
                       r"column B \('team'\)\)"):
        load_contact_log(write_text(tmp_path, "datum,team\n27/08/2023,Limburg\n"
                                    "27/08/2023,Atlantis\n"),
                         teams=["Limburg", "Antwerpen"])
    with pytest.raises(DataValidationError, match=r"header row 1 has no column for the team"):
        load_contact_log(write_text(tmp_path, "datum,kanaal\n27/08/2023,chat\n", "b.csv"))


# --- category table, summary, plot ---------------------------------------------------------


def test_category_table(log):
    table = contact_category_table(log, measure="answered")
    assert tuple(table.columns) == CATEGORY_TABLE_COLUMNS
    assert set(table["period"].astype(str)) == {"2023-09", "2023-10"}
    assert set(table["base"]) == {"calls"} and set(table["unit"]) == {"contacts"}
    sums = table.groupby(["team", "period"])["count"].sum()
    assert (sums == table.groupby(["team", "period"])["base_total"].first()).all()
    monthly = aggregate_contacts(log, "monthly", measure="answered")
    assert sums.tolist() == monthly["calls"].astype(float).tolist()
    assert "partnergeweld" in set(table["original_label"])
    with pytest.raises(DataValidationError, match="no complete calendar year"):
        contact_category_table(log, "yearly", measure="answered")


def test_summary_and_plot(log, close_figures):
    summary = log.summary()
    assert isinstance(summary, Summary)
    assert "resolution" in summary.text and "Europe/Brussels" in summary.text
    assert summary.table.loc["Antwerpen", "contacts"] == int(
        (log.to_frame()["team"] == "Antwerpen").sum())
    ax = log.plot()
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(ax.patches) > 0
    assert log.plot(resolution="daily", ax=ax) is ax
