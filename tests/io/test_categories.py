"""Tests of impact.io.categories: the category-table contract and the reader for user files."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from impact._core.exceptions import DataValidationError
from impact.io.categories import (
    CATEGORY_TABLE_COLUMNS,
    _parse_number,
    _parse_period,
    load_category_table,
    validate_category_table,
)

# --- contract ---------------------------------------------------------------------------


def _table(**overrides: object) -> pd.DataFrame:
    row = {"team": "Limburg", "period": "2023-01", "category": "child_abuse", "count": 3,
           "base": "calls"}
    row.update(overrides)
    return pd.DataFrame([row])


def test_validate_adds_columns_and_types() -> None:
    out = validate_category_table(_table())
    assert tuple(out.columns) == CATEGORY_TABLE_COLUMNS
    assert str(out["period"].dtype) == "period[M]"
    assert out["count"].dtype == float


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"base": "people"}, "row 0 has base 'people'"),
        ({"category": "misc"}, "row 0 has category 'misc'"),
        ({"team": "Gent"}, "row 0 has unknown team 'Gent'"),
        ({"count": -1}, "row 0 has count"),
        ({"count": 2.5}, "row 0 has count"),
        ({"count": None, "share": 1.5}, "row 0 has share 1.5"),
        ({"period": "someday"}, "row 0 has period 'someday'"),
    ],
)
def test_validate_names_the_row(overrides: dict, match: str) -> None:
    with pytest.raises(DataValidationError, match=match):
        validate_category_table(_table(**overrides))


# --- reader -----------------------------------------------------------------------------


def test_long_dutch_csv_with_thousands_separators(tmp_path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "Team;Maand;Categorie;Aantal\n"
        "West-Vlaanderen;januari 2023;Kindermishandeling;1.234\n"
        "West-Vlaanderen;januari 2023;Partnergeweld;12\n"
        "West-Vlaanderen;feb 2023;Kindermishandeling;1 100\n"
        "West-Vlaanderen;feb 2023;Partnergeweld;9\n",
        encoding="utf-8",
    )
    t = load_category_table(path)
    assert list(t["count"]) == [1234.0, 12.0, 1100.0, 9.0]
    assert list(t["original_label"]) == ["Kindermishandeling", "Partnergeweld"] * 2
    assert str(t["period"].dtype) == "period[M]"
    assert t.attrs["kind"] == "real" and len(t.attrs["sha256"]) == 64
    assert set(t["data_kind"]) == {"real"}


def test_wide_csv_with_total_column(tmp_path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(
        "hulplijn,jaar,Kindermishandeling,Partnergeweld,Geweld tegen volwassenen,Totaal\n"
        'Limburg,2022,"1.200",300,40,"1.800"\n'
        "Vlaams-Brabant en Brussel,2022,900,250,30,1400\n",
        encoding="utf-8",
    )
    t = load_category_table(path, base="victims")
    assert len(t) == 6
    assert set(t["base"]) == {"victims"}
    lim = t[t["team"] == "Limburg"].set_index("category")
    assert lim.loc["child_abuse", "count"] == 1200
    assert lim.loc["violence_between_adults", "original_label"] == "Geweld tegen volwassenen"
    assert set(lim["base_total"]) == {1800.0}
    assert str(t["period"].dtype) == "period[Y-DEC]"


def test_wide_xlsx_with_excel_dates(tmp_path) -> None:
    path = tmp_path / "wide.xlsx"
    pd.DataFrame({
        "Team": ["Limburg", "Limburg"],
        "Maand": [pd.Timestamp("2023-01-01"), pd.Timestamp("2023-02-01")],
        "Kindermishandeling": [10, 12],
        "Seksueel geweld": ["1.005", 3],
    }).to_excel(path, index=False)
    t = load_category_table(path)
    assert list(t["period"].astype(str)) == ["2023-01", "2023-01", "2023-02", "2023-02"]
    assert t.set_index(["period", "category"]).loc[
        (pd.Period("2023-01", "M"), "sexual_violence"), "count"] == 1005


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("Limburg,2023-01,Kindermishandeling,12\nLimburg,2023-02,Kindermishandeling,1x2\n",
         r"row 3, column 'count': cannot read '1x2'"),
        ("Limburg,2023-01,Kindermishandeling,12\nLimburg,2023-02,Cybergeweld,3\n",
         r"row 3, column 'category': unknown category label 'Cybergeweld'"),
        ("Limburg,2023-13,Kindermishandeling,12\n",
         r"row 2, column 'month': cannot read '2023-13'"),
        ("Gent,2023-01,Kindermishandeling,12\n", r"row 2, column 'team': unknown team 'Gent'"),
        ("Limburg,2023-01,Kindermishandeling,-4\n", r"row 2, column 'count'"),
        ("Limburg,2023-01,Kindermishandeling,4\nLimburg,2023,Partnergeweld,4\n",
         "mix years and months"),
        ("Limburg,2023-01,Kindermishandeling,4\nLimburg,2023-01,kindermisbruik,4\n",
         "repeat a team/period/category"),
    ],
)
def test_reader_errors_name_row_and_column(tmp_path, body: str, match: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("team,month,category,count\n" + body, encoding="utf-8")
    with pytest.raises(DataValidationError, match=match):
        load_category_table(path)


def test_reader_unknown_wide_column_is_named(tmp_path) -> None:
    path = tmp_path / "bad_wide.csv"
    path.write_text("team,maand,Kindermishandeling,Cybergeweld\nLimburg,2023-01,3,4\n")
    with pytest.raises(DataValidationError, match="column 'Cybergeweld' is neither"):
        load_category_table(path)


def test_reader_needs_a_period_column(tmp_path) -> None:
    path = tmp_path / "noperiod.csv"
    path.write_text("team,Kindermishandeling\nLimburg,3\n")
    with pytest.raises(DataValidationError, match="no period column"):
        load_category_table(path)


def test_reader_share_column_in_percent(tmp_path) -> None:
    path = tmp_path / "shares.csv"
    path.write_text("team;jaar;categorie;aandeel\nVlaanderen;2022;Partnergeweld;16%\n"
                    "Vlaanderen;2022;Kindermishandeling;55,5%\n")
    t = load_category_table(path, base="victims")
    assert t["share"].tolist() == pytest.approx([0.555, 0.16])
    assert set(t["team"]) == {"Flanders"}


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_number_reads_dutch_thousands(n: int) -> None:
    dutch = f"{n:,}".replace(",", ".")
    assert _parse_number(dutch, whole=True) == n
    assert _parse_number(str(n), whole=True) == n
    # English thousands are ambiguous (Dutch 1.234 or English 1234) by the one rule
    english = _parse_number(f"{n:,}", whole=True)
    assert english is None if n >= 1000 else english == n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-04", pd.Period("2023-04", "M")),
        ("04/2023", pd.Period("2023-04", "M")),
        ("april 2023", pd.Period("2023-04", "M")),
        ("mrt-23", pd.Period("2023-03", "M")),
        ("okt. 2021", pd.Period("2021-10", "M")),
        ("2023", pd.Period("2023", "Y")),
        (2022, pd.Period("2022", "Y")),
    ],
)
def test_parse_period(text: object, expected: pd.Period) -> None:
    assert _parse_period(text) == expected


def test_reader_checks_the_base_by_name(tmp_path) -> None:
    path = tmp_path / "shares.csv"
    path.write_text("team;jaar;categorie;aandeel\nVlaanderen;2022;Partnergeweld;16%\n")
    with pytest.raises(DataValidationError, match=r"base must be one of 'calls', .*got "
                       r"'victim'\. Did you mean 'victims'\?"):
        load_category_table(path, base="victim")


def test_category_tables_of_any_helpline_load_with_declared_teams(tmp_path) -> None:
    """Teams are data: another helpline's teams load when declared (with aliases and a
    total named otherwise), and feed the share estimators; undeclared labels are named."""
    from impact.problems import category_shares

    path = tmp_path / "cats.csv"
    path.write_text(
        "team,year,category,count\n"
        "Gent,2022,partnergeweld,40\nGent,2022,kindermishandeling,60\n"
        "Hulplijn Brugge,2022,partnergeweld,30\nHulplijn Brugge,2022,kindermishandeling,45\n"
        "Heel het land,2022,partnergeweld,70\nHeel het land,2022,kindermishandeling,105\n",
        encoding="utf-8")
    table = load_category_table(path, teams=["Gent", "Brugge"],
                                aliases={"Hulplijn Brugge": "Brugge"}, total="Heel het land")
    assert set(table["team"]) == {"Gent", "Brugge", "Heel het land"}
    assert table.attrs["teams"] == ["Gent", "Brugge"]
    shares = category_shares(table[table["team"] != "Heel het land"]).to_frame()
    assert set(shares["team"]) == {"Gent", "Brugge"}
    with pytest.raises(DataValidationError, match=r"row 4, column 'team': unknown team "
                                                  r"'Hulplijn Brugge'.*aliases"):
        load_category_table(path, teams=["Gent", "Brugge"], total="Heel het land")
    with pytest.raises(DataValidationError, match=r"unknown team 'Gent'.*teams=\[\.\.\.\]"):
        load_category_table(path)  # the default vocabulary is 1712's
