"""Tests of impact.io.calls: loading raw call-count tables, conversions and round-trips.

Every input file is written into ``tmp_path`` by the test itself (no binary fixtures).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact._core.constants import FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError
from impact._core.validation import validate_panel
from impact.io.calls import (
    DEFAULT_DEFINITION,
    aggregate_calls,
    annual_totals,
    from_wide,
    load_call_counts,
    to_series,
    to_wide,
    write_call_counts,
)

HYPOTHESIS = settings(max_examples=30, deadline=None, derandomize=True)


# --- helpers (fixtures live here: tests/conftest.py belongs to the whole suite) -------------


def write_text(tmp_path: Path, text: str, name: str = "calls.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path: Path, rows, name: str = "calls.xlsx", merge=(), sheets=None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Blad1"
    for row in rows:
        sheet.append(list(row))
    for cells in merge:
        sheet.merge_cells(cells)
    for title, extra_rows in (sheets or {}).items():
        extra = book.create_sheet(title)
        for row in extra_rows:
            extra.append(list(row))
    path = tmp_path / name
    book.save(path)
    return path


def make_panel(ranges: dict[str, tuple[str, int]] | None = None, seed: int = 0) -> pd.DataFrame:
    """Canonical long frame; ``ranges`` maps team -> (first month, number of months)."""
    ranges = ranges or {t: ("2021-01", 24) for t in TEAMS}
    rng = np.random.default_rng(seed)
    rows = []
    for team, (start, n) in ranges.items():
        for month in pd.period_range(start, periods=n, freq="M"):
            rows.append({"team": team, "month": month, "calls": int(rng.integers(0, 300))})
    frame = validate_panel(pd.DataFrame(rows))
    frame.attrs = {"kind": "synthetic"}
    return frame


LONG_CSV = """team,month,calls
Antwerpen,2023-01,120
Antwerpen,2023-02,0
Antwerpen,2023-03,95
Limburg,2023-01,40
Limburg,2023-02,41
Limburg,2023-03,39
"""


# --- happy paths ---------------------------------------------------------------------------


def test_long_csv_contract_and_provenance(tmp_path):
    path = write_text(tmp_path, LONG_CSV)
    frame = load_call_counts(path)
    assert list(frame.columns) == ["team", "month", "calls"]
    assert frame["month"].dtype == pd.PeriodDtype("M")
    assert frame["calls"].dtype == np.int64
    assert frame["team"].map(type).eq(str).all()
    assert frame["calls"].tolist() == [120, 0, 95, 40, 41, 39]  # zeros are data
    assert frame.attrs == {
        "kind": "real",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "source": str(path),
        "definition": DEFAULT_DEFINITION,
        "measure": DEFAULT_DEFINITION,
        "total": "Flanders",
    }


def test_kind_and_definition_are_recorded(tmp_path):
    path = write_text(tmp_path, LONG_CSV)
    frame = load_call_counts(path, kind="synthetic", definition="unique calls")
    assert frame.attrs["kind"] == "synthetic"
    assert frame.attrs["definition"] == "unique calls"
    with pytest.raises(DataValidationError, match=r"kind must be one of"):
        load_call_counts(path, kind="raw")


def test_long_dutch_headers_names_and_number_formats(tmp_path):
    text = (
        "Provincie;Maand;Aantal oproepen\n"
        "CAW Antwerpen;jan. 2023;1.234\n"
        "Antwerpen;feb 2023;1 234\n"
        "Antw.;mrt 2023;12,0\n"
        "Vlaams-Brabant en Brussel;januari 2023;5\n"
        "VB;februari 2023;0\n"
        "Vl.-Brabant;maart 2023;7\n"
        "Totaal;Jan 2023;1239\n"
    )
    frame = load_call_counts(write_text(tmp_path, text))
    assert frame["team"].tolist() == ["Antwerpen"] * 3 + ["Vlaams-Brabant"] * 3
    assert frame["calls"].tolist() == [1234, 1234, 12, 5, 0, 7]


def test_long_with_year_column_and_month_names(tmp_path):
    text = "jaar,maand,ploeg,oproepen\n2022,november,Limburg,3\n2022,december,Limburg,4\n" \
           "2023,januari,Limburg,5\n"
    frame = load_call_counts(write_text(tmp_path, text))
    assert [str(m) for m in frame["month"]] == ["2022-11", "2022-12", "2023-01"]


def test_long_xlsx_with_excel_dates(tmp_path):
    rows = [("team", "month", "calls")] + [
        ("West-Vl.", dt.datetime(2023, m, 1), 10 + m) for m in range(1, 4)
    ]
    frame = load_call_counts(write_xlsx(tmp_path, rows))
    assert frame["team"].unique().tolist() == ["West-Vlaanderen"]
    assert [str(m) for m in frame["month"]] == ["2023-01", "2023-02", "2023-03"]


def test_wide_one_row_per_month_with_totals(tmp_path):
    text = (
        "maand,Antwerpen,Limburg,Oost-Vl.,Vlaams Brabant,W-Vl,Totaal\n"
        "2023-01,10,1,4,7,1,23\n"
        "2023-02,11,2,5,8,1,27\n"
        "Totaal,21,3,9,15,2,50\n"
    )
    frame = load_call_counts(write_text(tmp_path, text))
    assert len(frame) == 10
    assert set(frame["team"]) == set(TEAMS)
    assert to_series(frame, FLANDERS).tolist() == [23, 27]


def test_wide_one_row_per_team_stacked_year_blocks_xlsx(tmp_path):
    months_2022 = ["oktober", "november", "december"]
    rows = [
        ("Aantal oproepen per maand per hulplijn 2022",),
        ("Provincie", *months_2022, "Totaal"),
        ("Antwerpen", 10, 11, 12, 33),
        ("Limburg", None, 2, 3, 5),  # Limburg starts in November: allowed
        ("Oost-Vlaanderen", 4, 5, 6, 15),
        ("Vlaams-Brabant", 7, 8, 9, 24),
        ("West-Vlaanderen", 1, 1, 1, 3),
        ("Totaal", 22, 27, 31, 80),
        (),
        (2023, dt.datetime(2023, 1, 1), dt.datetime(2023, 2, 1), "mrt", "Totaal"),
        ("Antwerpen", 10, 11, None, 21),  # March not yet reported: trailing blank allowed
        ("Limburg", 1, 2, None, 3),
        ("Oost-Vlaanderen", 4, 5, None, 9),
        ("Vlaams-Brabant en Brussel", 7, 8, None, 15),
        ("West-Vlaanderen", 1, 1, None, 2),
        ("Vlaanderen", 23, 27, None, 50),
        (),
        ("Bron: CAW, jaarverslag",),
    ]
    frame = load_call_counts(write_xlsx(tmp_path, rows))
    limburg = to_series(frame, "Limburg")
    assert [str(m) for m in limburg.index] == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert to_series(frame, "Antwerpen").tolist() == [10, 11, 12, 10, 11]


def test_table_offset_with_title_year_and_blank_corner(tmp_path):
    rows = [
        ("Tabel 3: aantal oproepen per maand, 2023",),
        (),
        (None, None, "jan", "feb", "Totaal"),
        (None, "Limburg", 1, 2, 3),
        (None, "CAW Oost-Vlaanderen", 0, 5, 5),
    ]
    frame = load_call_counts(write_xlsx(tmp_path, rows))
    assert frame["team"].tolist() == ["Limburg", "Limburg", "Oost-Vlaanderen", "Oost-Vlaanderen"]
    assert [str(m) for m in frame["month"]] == ["2023-01", "2023-02"] * 2


def test_team_row_without_counts_is_reported(tmp_path):
    text = "Provincie;jan 2023;feb 2023\nLimburg;;\nAntwerpen;1;2\n"
    with pytest.raises(DataValidationError, match=r"row 2, column A \('Limburg'\): team "
                       r"'Limburg' has no counts"):
        load_call_counts(write_text(tmp_path, text))


def test_values_outside_the_table(tmp_path):
    text = "maand,Antwerpen,Limburg\n2023-01,1,2\n\n2023-02,3,4\n"
    with pytest.raises(DataValidationError, match=r"row 4: values outside any table block"):
        load_call_counts(write_text(tmp_path, text))


def test_merged_year_label_is_propagated(tmp_path):
    rows = [
        ("jaar", "maand", "Antwerpen", "Limburg"),
        (2023, "januari", 1, 2),
        (None, "februari", 3, 4),
    ]
    frame = load_call_counts(write_xlsx(tmp_path, rows, merge=["A2:A3"]))
    assert [str(m) for m in frame["month"].unique()] == ["2023-01", "2023-02"]


def test_sep_line_and_tab_separator(tmp_path):
    sep = write_text(tmp_path, "sep=;\nteam;month;calls\nLimburg;2023-01;3\n", "a.csv")
    tab = write_text(tmp_path, "team\tmonth\tcalls\nLimburg\t2023-01\t3\n", "b.tsv")
    assert load_call_counts(sep)["calls"].tolist() == [3]
    assert load_call_counts(tab)["calls"].tolist() == [3]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-16"])
def test_encodings(tmp_path, encoding):
    text = "Opmerking: cijfers van één jaar\nteam;month;calls;categorie\n" \
           "Limburg;2023-01;3;geweld in het gezin – ex-partner\n"
    frame = load_call_counts(write_text(tmp_path, text, encoding=encoding))
    assert frame["category"].tolist() == ["geweld in het gezin – ex-partner"]


def test_channel_category_kept_and_aggregated(tmp_path):
    text = (
        "team,month,kanaal,categorie,calls,exposure\n"
        "Limburg,2023-01,telefoon,kindermishandeling,3,31\n"
        "Limburg,2023-01,chat,kindermishandeling,2,31\n"
        "Limburg,2023-01,chat,partnergeweld,1,31\n"
        "Limburg,2023-02,telefoon,kindermishandeling,0,28\n"
    )
    summed = load_call_counts(write_text(tmp_path, text))  # channels="sum" by default
    assert list(summed.columns) == ["team", "month", "category", "calls", "exposure"]
    assert summed["calls"].tolist() == [5, 1, 0]
    assert summed.attrs["channels"] == ["chat", "phone"]
    frame = load_call_counts(write_text(tmp_path, text), channels=None)
    assert list(frame.columns) == ["team", "month", "channel", "category", "calls", "exposure"]
    total = aggregate_calls(frame)
    assert list(total.columns) == ["team", "month", "calls", "exposure"]
    assert total["calls"].tolist() == [6, 0]
    assert total["exposure"].tolist() == [31.0, 28.0]
    assert total.attrs == frame.attrs
    assert to_series(frame, "Limburg").tolist() == [6, 0]


def test_aggregate_rejects_inconsistent_exposure(tmp_path):
    text = "team,month,channel,calls,exposure\nLimburg,2023-01,phone,3,31\n" \
           "Limburg,2023-01,chat,2,20\n"
    with pytest.raises(DataValidationError, match=r"exposure differs between the channels"):
        load_call_counts(write_text(tmp_path, text))
    frame = load_call_counts(write_text(tmp_path, text), channels=None)
    with pytest.raises(DataValidationError, match=r"exposure differs .* Limburg 2023-01"):
        aggregate_calls(frame)


def test_synthetic_kind_column_must_match(tmp_path):
    path = write_text(tmp_path, "team,month,calls,kind\nLimburg,2023-01,3,synthetic\n")
    assert load_call_counts(path, kind="synthetic")["kind"].tolist() == ["synthetic"]
    assert load_call_counts(path).attrs["kind"] == "synthetic"  # kind=None: as declared
    with pytest.raises(DataValidationError, match=r"says synthetic but kind='real'"):
        load_call_counts(path, kind="real")


def test_checksum_file_is_verified(tmp_path):
    path = write_text(tmp_path, LONG_CSV)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (tmp_path / "SHA256SUMS").write_text(f"{digest}  calls.csv\n")
    assert load_call_counts(path).attrs["sha256"] == digest
    (tmp_path / "SHA256SUMS").write_text(f"{'0' * 64}  calls.csv\n")
    with pytest.raises(DataValidationError, match=r"does not match .* SHA256SUMS"):
        load_call_counts(path)
    assert len(load_call_counts(path, verify_checksum=False)) == 6


def test_raw_file_is_not_modified(tmp_path):
    path = write_xlsx(tmp_path, [("team", "month", "calls"), ("Limburg", "2023-01", 1)])
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    load_call_counts(path)
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime


# --- team names ----------------------------------------------------------------------------


# --- bad input: one test per case, each naming the place -----------------------------------


def test_file_not_found(tmp_path):
    with pytest.raises(DataValidationError, match=r"file '.*nope\.csv' not found \(looked in"):
        load_call_counts(tmp_path / "nope.csv")


def test_empty_file(tmp_path):
    with pytest.raises(DataValidationError, match=r"empty\.csv' is empty"):
        load_call_counts(write_text(tmp_path, "", "empty.csv"))
    with pytest.raises(DataValidationError, match=r"the file is empty \(no cell"):
        load_call_counts(write_text(tmp_path, ";;\n;;\n", "blank.csv"))


def test_header_without_data_rows(tmp_path):
    with pytest.raises(DataValidationError, match=r"header found at row 1 but no counts"):
        load_call_counts(write_text(tmp_path, "team,month,calls\n"))


def test_missing_required_column(tmp_path):
    with pytest.raises(
        DataValidationError,
        match=r"header row 1: missing required column 'calls' \(accepted names for 'calls': "
        r"calls, oproepen, aantal.*found columns 'team', 'month'",
    ):
        load_call_counts(write_text(tmp_path, "team,month\nLimburg,2023-01\n"))


def test_unrecognised_column(tmp_path):
    text = "team,month,calls,opmerking\nLimburg,2023-01,3,x\n"
    with pytest.raises(DataValidationError, match=r"row 1, column D \('opmerking'\).*not "
                       r"recognised"):
        load_call_counts(write_text(tmp_path, text))


def test_unknown_team_names_rows(tmp_path):
    text = "team,month,calls\nLimburg,2023-01,3\nGent,2023-01,4\nGent,2023-02,4\n"
    assert sorted(set(load_call_counts(write_text(tmp_path, text))["team"])) == [
        "Gent", "Limburg"]  # teams are data by default
    with pytest.raises(DataValidationError, match=r"1 unknown team label \(expected one of "
                       r"Antwerpen, .*\): 'Gent' \(row 3, column A \('team'\) and more\)"):
        load_call_counts(write_text(tmp_path, text), teams=TEAMS)


def test_unknown_team_in_wide_header(tmp_path):
    text = "maand,Antwerpen,Limburg,Brussel\n2023-01,1,2,3\n"
    with pytest.raises(DataValidationError, match=r"'Brussel' \(row 1, column D\).*"
                       r"served by the Vlaams-Brabant team"):
        load_call_counts(write_text(tmp_path, text), teams=TEAMS)


def test_duplicate_team_month(tmp_path):
    text = "team,month,calls\nLimburg,2023-01,3\nLimburg,2023-02,4\nLimburg,jan 2023,5\n"
    with pytest.raises(DataValidationError, match=r"duplicate team-month Limburg 2023-01: "
                       r"row 2 and row 4"):
        load_call_counts(write_text(tmp_path, text))


def test_missing_months_are_listed(tmp_path):
    text = "team,month,calls\nLimburg,2021-01,1\nLimburg,2021-02,1\nLimburg,2021-05,1\n"
    with pytest.raises(
        DataValidationError,
        match=r"team 'Limburg': 2 missing months \(2021-03, 2021-04\); monthly series must be "
        r"complete\. Add explicit zero rows if the line was open, or drop the team",
    ):
        load_call_counts(write_text(tmp_path, text))


def test_empty_cell_inside_wide_series(tmp_path):
    text = "maand,Antwerpen,Limburg\n2023-01,1,2\n2023-02,,3\n2023-03,4,5\n"
    with pytest.raises(DataValidationError, match=r"team 'Antwerpen': 1 missing month "
                       r"\(2023-02\).*empty cells at row 3, column B"):
        load_call_counts(write_text(tmp_path, text))


@pytest.mark.parametrize(
    ("cell", "pattern"),
    [
        ("-3", r"row 3, column C \('calls'\): negative count '-3'"),
        ("2,5", r"row 3, column C \('calls'\): fractional count '2,5'"),
        ("veel", r"row 3, column C \('calls'\): 'veel' is not a number"),
        ("1,234", r"row 3, column C \('calls'\): '1,234' is ambiguous"),
        ("", r"row 3, column C \('calls'\): the count is empty"),
    ],
)
def test_bad_counts(tmp_path, cell, pattern):
    text = f"team,month,calls\nLimburg,2023-01,1\nLimburg,2023-02,\"{cell}\"\n"
    with pytest.raises(DataValidationError, match=pattern):
        load_call_counts(write_text(tmp_path, text))


def test_bad_count_in_xlsx_wide(tmp_path):
    rows = [("Provincie", "jan 2023", "feb 2023"), ("Limburg", 3, 2.5)]
    with pytest.raises(DataValidationError, match=r"sheet 'Blad1': 1 problem found:\n  - row 2, "
                       r"column C \('feb 2023'\): fractional count 2.5"):
        load_call_counts(write_xlsx(tmp_path, rows))


def test_total_row_mismatch(tmp_path):
    text = "Provincie;jan 2023;feb 2023\nAntwerpen;10;11\nLimburg;1;2\nTotaal;11;14\n"
    with pytest.raises(DataValidationError, match=r"row 4, column C \('feb 2023'\): total 14 "
                       r"does not match the sum of the teams for 2023-02, 13"):
        load_call_counts(write_text(tmp_path, text))


def test_total_column_mismatch(tmp_path):
    text = "maand,Antwerpen,Limburg,Vlaanderen\n2023-01,10,1,11\n2023-02,11,2,12\n"
    with pytest.raises(DataValidationError, match=r"row 3, column D \('Vlaanderen'\): total 12 "
                       r"does not match the sum of the teams for 2023-02, 13"):
        load_call_counts(write_text(tmp_path, text))


def test_total_row_mismatch_long(tmp_path):
    text = "team,month,calls\nLimburg,2023-01,3\nAntwerpen,2023-01,4\nTotaal,2023-01,8\n"
    with pytest.raises(DataValidationError, match=r"row 4 \('Totaal'\): total 8 for 2023-01 "
                       r"does not match the sum of the teams, 7"):
        load_call_counts(write_text(tmp_path, text))


def test_mixed_frequencies(tmp_path):
    text = ("team,month,calls\nLimburg,2023-01,3\nLimburg,2023,40\nLimburg,Q1 2023,9\n"
            "Limburg,2023-02-14,1\n")
    with pytest.raises(DataValidationError, match=r"mixed frequencies: these labels are not "
                       r"calendar months \(row 3, column B \('month'\): '2023' is a year.*row 4.*"
                       r"quarter.*row 5.*is a day"):
        load_call_counts(write_text(tmp_path, text))


def test_annual_table_is_rejected(tmp_path):
    text = "Provincie;2021;2022;2023\nLimburg;100;110;120\n"
    with pytest.raises(DataValidationError, match=r"row 1 looks like a header of years"):
        load_call_counts(write_text(tmp_path, text))


def test_unparseable_date(tmp_path):
    text = "team,month,calls\nLimburg,2023-01,3\nLimburg,binnenkort,4\n"
    with pytest.raises(DataValidationError, match=r"row 3, column B \('month'\): cannot read "
                       r"'binnenkort' as a month"):
        load_call_counts(write_text(tmp_path, text))


def test_month_without_year(tmp_path):
    text = "Provincie;januari;februari\nLimburg;1;2\n"
    with pytest.raises(DataValidationError, match=r"row 1, column B \('januari'\): month "
                       r"'januari' has no year; put the year in cell A1"):
        load_call_counts(write_text(tmp_path, text))


def test_future_months(tmp_path):
    nxt = pd.Timestamp.today().to_period("M") + 1
    text = f"team,month,calls\nLimburg,{nxt - 1},3\nLimburg,{nxt},4\n"
    with pytest.raises(DataValidationError, match=rf"months in the future .*Limburg {nxt} "
                       r"\(row 3\)"):
        load_call_counts(write_text(tmp_path, text))


def test_unreadable_encoding(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(b"team,month,calls\nLimburg,2023-01,\x81\x8d\x90\n")
    with pytest.raises(DataValidationError, match=r"unreadable text encoding.*UTF-8"):
        load_call_counts(path)


def test_xlsx_saved_as_csv_and_damaged_xlsx(tmp_path):
    real = write_xlsx(tmp_path, [("team", "month", "calls")])
    fake_csv = tmp_path / "calls.csv"
    fake_csv.write_bytes(real.read_bytes())
    with pytest.raises(DataValidationError, match=r"Excel \(\.xlsx\) workbook, not a text CSV"):
        load_call_counts(fake_csv)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file at all")
    with pytest.raises(DataValidationError, match=r"broken\.xlsx': cannot read the file as an "
                       r"Excel workbook"):
        load_call_counts(broken)


def test_unsupported_suffix(tmp_path):
    with pytest.raises(DataValidationError, match=r"unsupported file type '\.xls'"):
        load_call_counts(write_text(tmp_path, "x", "old.xls"))


def test_layout_not_recognised(tmp_path):
    with pytest.raises(DataValidationError, match=r"layout not recognised.*First non-empty row "
                       r"1: 'a', 'b'"):
        load_call_counts(write_text(tmp_path, "a,b\n1,2\n"))


def test_several_sheets_need_a_choice(tmp_path):
    rows = [("team", "month", "calls"), ("Limburg", "2023-01", 1)]
    path = write_xlsx(tmp_path, rows, sheets={"2022": rows})
    with pytest.raises(DataValidationError, match=r"2 sheets with data \('Blad1', '2022'\); "
                       r"pass sheet="):
        load_call_counts(path)
    assert len(load_call_counts(path, sheet="2022")) == 1
    assert len(load_call_counts(path, sheet=0)) == 1
    with pytest.raises(DataValidationError, match=r"no sheet 'x'"):
        load_call_counts(path, sheet="x")


def test_formula_without_saved_result(tmp_path):
    rows = [("maand", "Antwerpen", "Limburg", "Totaal"), ("2023-01", 1, 2, "=B2+C2")]
    with pytest.raises(DataValidationError, match=r"cell D2 holds a formula \(=B2\+C2\) without "
                       r"a saved result"):
        load_call_counts(write_xlsx(tmp_path, rows))


def test_several_problems_are_reported_together(tmp_path):
    text = "team,month,calls\nLimburg,2023-01,-1\nGent,2023-13,2\nLimburg,2023-02,x\n"
    with pytest.raises(DataValidationError, match=r"3 problems found") as info:
        load_call_counts(write_text(tmp_path, text))
    message = str(info.value)
    assert "row 2" in message and "row 3" in message and "row 4" in message
    assert "Traceback" not in message


# --- conversions ---------------------------------------------------------------------------


def test_to_series_contract():
    panel = make_panel()
    series = to_series(panel, "W-Vl")
    assert series.name == "calls"
    assert series.index.name == "month"
    assert series.index.freqstr == "M"
    assert series.dtype == np.int64
    assert len(series) == 24
    assert series.attrs["team"] == "West-Vlaanderen"
    assert series.attrs["kind"] == "synthetic"


def test_to_series_flanders_sums_all_teams():
    panel = make_panel()
    total = to_series(panel, "Flanders")
    expected = panel.groupby("month")["calls"].sum()
    assert total.tolist() == expected.tolist()
    assert to_series(panel, "Vlaanderen").equals(total)


def test_to_series_flanders_needs_common_range_and_all_teams():
    ranges = {t: ("2021-01", 24) for t in TEAMS}
    ranges["Limburg"] = ("2021-06", 12)
    with pytest.raises(DataValidationError, match=r"teams cover different months \(.*Limburg "
                       r"2021-06\.\.2022-05.*restrict the frame to 2021-06\.\.2022-05"):
        to_series(make_panel(ranges), FLANDERS)
    partial = make_panel({"Limburg": ("2021-01", 3)})
    assert to_series(partial, FLANDERS).tolist() == to_series(partial, "Limburg").tolist()
    partial.attrs["teams"] = list(TEAMS)  # declared teams: the total needs them all
    with pytest.raises(DataValidationError, match=r"declared teams .*; the frame lacks "
                       r"Antwerpen"):
        to_series(partial, FLANDERS)
    with pytest.raises(DataValidationError, match=r"team 'Antwerpen' is not in the frame"):
        to_series(partial, "Antwerpen")


def test_to_wide_and_from_wide():
    ranges = {"Antwerpen": ("2021-01", 6), "Limburg": ("2021-03", 2)}
    panel = make_panel(ranges)
    wide = to_wide(panel)
    assert wide.index.name == "month"
    assert list(wide.columns) == ["Antwerpen", "Limburg"]
    assert str(wide["Limburg"].dtype) == "Int64"
    assert wide["Limburg"].isna().tolist() == [True, True, False, False, True, True]
    back = from_wide(wide)
    pd.testing.assert_frame_equal(back, panel)
    assert back.attrs == panel.attrs


def test_from_wide_rejects_interior_gap_and_bad_total():
    wide = to_wide(make_panel({"Antwerpen": ("2021-01", 4)}))
    wide.iloc[1, 0] = pd.NA
    with pytest.raises(DataValidationError, match=r"team 'Antwerpen': 1 missing month "
                       r"\(2021-02\)"):
        from_wide(wide)
    wide = to_wide(make_panel({"Antwerpen": ("2021-01", 2)}))
    wide["Totaal"] = [0, 0]
    with pytest.raises(DataValidationError, match=r"total column 'Totaal' says 0 for 2021-01"):
        from_wide(wide)


def test_annual_totals():
    ranges = {t: ("2021-01", 24) for t in TEAMS}
    ranges["Limburg"] = ("2021-01", 18)
    totals = annual_totals(make_panel(ranges))
    assert totals.columns.tolist() == ["team", "year", "calls", "n_months", "is_complete"]
    flanders = totals[totals["team"] == FLANDERS].set_index("year")
    assert flanders.loc[2021, "is_complete"]
    assert pd.isna(flanders.loc[2022, "calls"])
    limburg = totals[totals["team"] == "Limburg"].set_index("year")
    assert limburg.loc[2022, "n_months"] == 6


# --- writing and round-trips ---------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("layout", ["long", "wide"])
def test_round_trip_files(tmp_path, suffix, layout):
    ranges = {t: ("2021-01", 14) for t in TEAMS}
    ranges["Oost-Vlaanderen"] = ("2021-04", 6)
    panel = make_panel(ranges)
    path = write_call_counts(panel, tmp_path / f"out{suffix}", layout=layout)
    back = load_call_counts(path, kind="synthetic")
    pd.testing.assert_frame_equal(back, panel)


def test_round_trip_csv_to_xlsx_with_extras(tmp_path):
    text = "team,month,channel,calls,exposure\nLimburg,2023-01,chat,3,31.5\n" \
           "Limburg,2023-01,phone,4,31.5\nLimburg,2023-02,phone,0,1.25\n"
    first = load_call_counts(write_text(tmp_path, text))
    path = write_call_counts(first, tmp_path / "copy.xlsx")
    second = load_call_counts(path)
    pd.testing.assert_frame_equal(first, second, check_like=False)
    again = load_call_counts(write_call_counts(second, tmp_path / "again.csv"))
    pd.testing.assert_frame_equal(first, again)


def test_write_refuses_data_raw_and_lossy_wide(tmp_path):
    panel = make_panel({"Limburg": ("2021-01", 2)})
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "x.csv").write_text("keep me")
    with pytest.raises(DataValidationError, match=r"files under data/raw/ are immutable"):
        write_call_counts(panel, raw / "x.csv")
    assert (raw / "x.csv").read_text() == "keep me"
    with pytest.raises(DataValidationError, match=r"layout='wide' has no place for exposure"):
        write_call_counts(panel.assign(exposure=1.0), tmp_path / "w.csv", layout="wide")
    with pytest.raises(DataValidationError, match=r"unsupported suffix '\.parquet'"):
        write_call_counts(panel, tmp_path / "w.parquet")
    with pytest.raises(DataValidationError, match=r"layout must be one of .long., .wide.; got"):
        write_call_counts(panel, tmp_path / "w.csv", layout="tall")


# --- properties ----------------------------------------------------------------------------


@st.composite
def panels(draw):
    teams = draw(st.lists(st.sampled_from(TEAMS), min_size=1, max_size=5, unique=True))
    ranges = {
        t: (str(pd.Period("2015-01", "M") + draw(st.integers(0, 24))), draw(st.integers(1, 30)))
        for t in teams
    }
    return make_panel(ranges, seed=draw(st.integers(0, 10_000)))


@HYPOTHESIS
@given(panels())
def test_property_long_wide_long(panel):
    back = from_wide(to_wide(panel))
    pd.testing.assert_frame_equal(back, panel)


@HYPOTHESIS
@given(panels(), st.sampled_from(["long", "wide"]))
def test_property_file_round_trip(panel, layout):
    with tempfile.TemporaryDirectory() as folder:
        path = write_call_counts(panel, Path(folder) / "p.csv", layout=layout)
        back = load_call_counts(path, kind="synthetic")
    pd.testing.assert_frame_equal(back, panel)


@HYPOTHESIS
@given(panels(), st.data())
def test_property_gap_or_duplicate_in_file_is_rejected(panel, data):
    sizes = panel.groupby("team").size()
    team = data.draw(st.sampled_from(sorted(sizes.index)))
    rows = panel.index[panel["team"] == team]
    with tempfile.TemporaryDirectory() as folder:
        dup = pd.concat([panel, panel.loc[[data.draw(st.sampled_from(list(rows)))]]])
        path = Path(folder) / "dup.csv"
        dup.assign(month=dup["month"].astype(str)).to_csv(path, index=False)
        with pytest.raises(DataValidationError, match="duplicate team-month"):
            load_call_counts(path)
        if len(rows) >= 3:
            drop = data.draw(st.sampled_from(list(rows[1:-1])))
            gap = panel.drop(index=drop)
            path = Path(folder) / "gap.csv"
            gap.assign(month=gap["month"].astype(str)).to_csv(path, index=False)
            with pytest.raises(DataValidationError, match=rf"team '{team}': 1 missing month"):
                load_call_counts(path)


# --- issue 10: implausible counts, note rows, declared kind -------------------------------

def _limburg(n: int = 24, last: str = "50") -> list[str]:
    months = pd.period_range("2021-01", periods=n, freq="M")
    return [f"Limburg,{m},50" for m in months[:-1]] + [f"Limburg,{months[-1]},{last}"]


@pytest.mark.parametrize("count", ["10000000000000000000", "5000000000000000000", "10000001",
                                   "1e19"])
def test_implausible_count_is_refused_naming_row_column_and_value(tmp_path, count):
    text = "team,month,calls\n" + "\n".join(_limburg(last=count)) + "\n"
    expected = "is not a number" if count == "1e19" else "too large"
    with pytest.raises(DataValidationError,
                       match=rf"row 25, column C \('calls'\): .*{expected}") as info:
        load_call_counts(write_text(tmp_path, text))
    if count != "1e19":
        assert count in str(info.value)


def test_max_count_can_be_raised_on_purpose(tmp_path):
    text = "team,month,calls\n" + "\n".join(_limburg(last="20000000")) + "\n"
    path = write_text(tmp_path, text)
    with pytest.raises(DataValidationError, match=r"plausible maximum of 10000000"):
        load_call_counts(path)
    frame = load_call_counts(path, max_count=10**9)
    assert frame["calls"].max() == 20_000_000
    with pytest.raises(DataValidationError, match=r"max_count must be a whole number >= 1"):
        load_call_counts(path, max_count=0)


def test_count_beyond_int64_is_refused_even_without_a_maximum(tmp_path):
    text = "team,month,calls\n" + "\n".join(_limburg(last="10000000000000000000")) + "\n"
    with pytest.raises(DataValidationError, match=r"exceeds the largest storable count"):
        load_call_counts(write_text(tmp_path, text), max_count=10**30)


def test_wide_layout_refuses_implausible_counts_too(tmp_path):
    text = "month,Limburg\n2021-01,5\n2021-02,99999999\n"
    with pytest.raises(DataValidationError, match=r"row 3, column B.*too large"):
        load_call_counts(write_text(tmp_path, text))


def test_trailing_note_rows_are_skipped_and_recorded(tmp_path):
    text = ("team,month,calls\n" + "\n".join(_limburg()) + "\nBron: 1712 export,,\n\n"
            "Opmerking: voorlopige cijfers,,\n")
    frame = load_call_counts(write_text(tmp_path, text))
    assert len(frame) == 24
    assert frame.attrs["notes"] == ["row 26: Bron: 1712 export",
                                    "row 28: Opmerking: voorlopige cijfers"]


def test_files_without_note_rows_keep_their_attrs(tmp_path):
    text = "team,month,calls\n" + "\n".join(_limburg()) + "\n"
    assert set(load_call_counts(write_text(tmp_path, text)).attrs) == {
        "kind", "sha256", "source", "definition", "measure", "total"}


@pytest.mark.parametrize("row", ["Bron: 1712 export,,5", "Bron: 1712 export,2021-01,",
                                 "Limburg,,", "Totaal,,"])
def test_other_rows_below_the_table_still_raise(tmp_path, row):
    text = "team,month,calls\n" + "\n".join(_limburg()) + f"\n{row}\n"
    with pytest.raises(DataValidationError, match=r"row 26"):
        load_call_counts(write_text(tmp_path, text))


def test_a_note_row_inside_the_table_still_raises(tmp_path):
    rows = _limburg()
    text = "team,month,calls\n" + "\n".join(rows[:5] + ["Bron: 1712 export,,"] + rows[5:])
    with pytest.raises(DataValidationError, match=r"row 7, column [AB]"):
        load_call_counts(write_text(tmp_path, text + "\n"))


def test_kind_none_reads_the_kind_the_file_declares(tmp_path):
    body = "\n".join(_limburg())
    plain = write_text(tmp_path, "team,month,calls\n" + body + "\n")
    assert load_call_counts(plain, kind=None).attrs["kind"] == "real"
    named = write_text(tmp_path, "team,month,calls\n" + body + "\n", "SYNTHETIC_x.csv")
    assert load_call_counts(named, kind=None).attrs["kind"] == "synthetic"
    column = "team,month,calls,kind\n" + "\n".join(r + ",published" for r in _limburg())
    assert load_call_counts(write_text(tmp_path, column + "\n", "k.csv"),
                            kind=None).attrs["kind"] == "published"


def test_synthetic_file_name_is_never_read_as_real(tmp_path):
    path = write_text(tmp_path, "team,month,calls\n" + "\n".join(_limburg()) + "\n",
                      "SYNTHETIC_calls.csv")
    with pytest.raises(DataValidationError, match=r"starts with 'SYNTHETIC_'.*kind='real'"):
        load_call_counts(path, kind="real")
    assert load_call_counts(path, kind="synthetic").attrs["kind"] == "synthetic"
