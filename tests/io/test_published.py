"""Tests of impact.io.published: loading the published facts and tidying them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.io.categories import CATEGORY_TABLE_COLUMNS
from impact.io.published import (
    PUBLISHED_COLUMNS,
    load_published,
    published_annual_calls,
    published_annual_victims,
    published_category_table,
)

REPO = Path(__file__).resolve().parents[2]
PUBLISHED_CSV = REPO / "data" / "published" / "published_figures.csv"
CATEGORIES_CSV = REPO / "data" / "published" / "categories_published.csv"


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return load_published()


def test_load_published_types_and_provenance(published: pd.DataFrame) -> None:
    assert len(published) == 178
    assert tuple(published.columns[: len(PUBLISHED_COLUMNS)]) == PUBLISHED_COLUMNS
    assert published["year"].dtype == np.int64
    assert published["value"].dtype == np.float64
    assert str(published["period_start"].dtype).startswith("datetime64")
    assert str(published["period_end"].dtype).startswith("datetime64")
    assert published["period_start"].isna().any()  # windows are missing for some rows
    assert published["id"].is_unique
    assert published.attrs["kind"] == "published"
    assert published.attrs["sha256"] == hashlib.sha256(PUBLISHED_CSV.read_bytes()).hexdigest()
    f001 = published.set_index("id").loc["F001"]
    assert bool(f001["is_lower_bound"]) and f001["value"] == 2000


def test_published_copy_matches_shared_facts() -> None:
    shared = REPO.parent / "shared" / "facts" / "published_figures.csv"
    if not shared.is_file():
        pytest.skip("../shared/facts not available")
    assert shared.read_bytes() == PUBLISHED_CSV.read_bytes()


def _corrupt(tmp_path: Path, row_id: str, column: str, value: str) -> Path:
    frame = pd.read_csv(PUBLISHED_CSV, dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == row_id, column] = value
    path = tmp_path / "published_figures.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("row_id", "column", "value", "match"),
    [
        ("F003", "value", "6.4.9", r"row F003 \(line 4\), column 'value': '6.4.9' is not a "),
        ("F003", "value", "1,234", r"row F003 \(line 4\), column 'value': '1,234' is not a "
         r"number; '1,234' is ambiguous"),
        ("F013", "period_start", "2013-13-01", r"row F013 \(line 14\): period_start"),
        ("F013", "period_end", "2012-01-01", r"row F013 \(line 14\): period_end 2012-01-01 is "
         "before"),
        ("F040", "team", "Gent", r"row F040 \(line 41\): team 'Gent'"),
        ("F040", "topic", "misc", r"row F040 \(line 41\): topic 'misc'"),
        ("F040", "year", "19", r"row F040 \(line 41\): year '19'"),
        ("F040", "source_url", "", r"row F040 \(line 41\): source_url"),
        ("F041", "id", "F040", r"id 'F040' is not unique"),
    ],
)
def test_load_published_errors_name_the_row(tmp_path, row_id, column, value, match) -> None:
    path = _corrupt(tmp_path, row_id, column, value)
    with pytest.raises(DataValidationError, match=match):
        load_published(path)


def test_load_published_missing_column(tmp_path) -> None:
    frame = pd.read_csv(PUBLISHED_CSV, dtype=str).drop(columns="unit")
    path = tmp_path / "p.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataValidationError, match=r"missing column\(s\) \['unit'\]"):
        load_published(path)


def test_load_published_missing_file(tmp_path) -> None:
    with pytest.raises(DataValidationError, match=r"nope\.csv' not found \(looked in"):
        load_published(tmp_path / "nope.csv")


def test_annual_calls(published: pd.DataFrame) -> None:
    calls = published_annual_calls(published)
    assert calls["year"].tolist() == list(range(2012, 2024))
    assert calls.attrs["kind"] == "published"
    by_year = calls.set_index("year")
    # Every stated total is a published row with the same value.
    ids = published.set_index("id")
    for year, row in by_year.dropna(subset=["calls"]).iterrows():
        assert ids.loc[row["source_id"], "value"] == row["calls"]
        assert ids.loc[row["source_id"], "year"] == year
    # 2012: partial year, lower bound.
    assert bool(by_year.loc[2012, "is_partial_year"]) and bool(by_year.loc[2012, "is_lower_bound"])
    assert "partial year" in by_year.loc[2012, "caveat"]
    # 2013: conflict 3,248 vs 3,250.
    assert by_year.loc[2013, "calls"] == 3248
    assert bool(by_year.loc[2013, "has_conflict"])
    assert "3250" in by_year.loc[2013, "alternatives"]
    # 2017 is not published.
    assert np.isnan(by_year.loc[2017, "calls"])
    # Definitions are kept.
    assert by_year.loc[2018, "definition"] == "calls_answered"
    assert "F023" in by_year.loc[2018, "alternatives"]
    assert by_year.loc[2021, "definition"] == "unique_calls"
    assert by_year.loc[2022, "calls"] == 9045
    assert by_year.loc[2023, "calls"] == 9424
    assert by_year.loc[2023, "definition"] == "calls_answered"
    assert set(by_year["definition"]) <= {"", "calls_received", "calls_answered", "unique_calls"}
    assert set(calls["data_kind"]) == {"published"}


def test_annual_victims(published: pd.DataFrame) -> None:
    victims = published_annual_victims(published).set_index("year")
    assert victims.loc[2020, "victims"] == 11305  # final figure, not the preliminary 11,171
    assert victims.loc[2023, "victims"] == 12799
    assert victims.loc[2019, "source_id"] == "F037"


def test_category_table_rows_come_from_published_rows(published: pd.DataFrame) -> None:
    table = published_category_table(published)
    assert tuple(table.columns) == CATEGORY_TABLE_COLUMNS
    assert set(table["data_kind"]) == {"published"}
    ids = published.set_index("id")
    for _, row in table.iterrows():
        src = ids.loc[row["source_id"]]
        assert src["topic"] == "category"
        assert src["year"] == row["period"].year
        if pd.notna(row["count"]):
            assert row["count"] == src["value"]
        else:
            assert row["share"] * 100 == pytest.approx(src["value"])
        if row["base_source_id"]:
            assert ids.loc[row["base_source_id"], "value"] == row["base_total"]


def test_category_table_contents(published: pd.DataFrame) -> None:
    t = published_category_table(published)
    key = t.set_index("source_id")
    assert key.loc["F040", "count"] == 1140 and key.loc["F040", "base"] == "victims"
    assert key.loc["F074", "count"] == 2110
    assert key.loc["F210", "base"] == "calls"
    assert [key.loc[i, "count"] for i in ("F212", "F213", "F214")] == [187, 445, 462]
    assert key.loc["F048", "base"] == "registered_forms" and key.loc["F048", "base_total"] == 6166
    assert key.loc["F215", "share"] == pytest.approx(0.20)
    # window, year-to-date, undated and context figures are not in the annual table
    for rid in ("F146", "F147", "F067", "F021", "F116", "F125", "F059"):
        assert rid not in key.index


def test_categories_csv_matches_function(published: pd.DataFrame) -> None:
    expected = published_category_table(published)
    expected = expected.assign(period=expected["period"].astype(str))
    stored = pd.read_csv(CATEGORIES_CSV, dtype={"period": str, "base_source_id": str},
                         keep_default_na=False, na_values={"count": [""], "share": [""],
                                                           "base_total": [""]})
    assert list(stored.columns) == list(expected.columns)
    for col in ("count", "share", "base_total"):
        np.testing.assert_allclose(stored[col].to_numpy(float), expected[col].to_numpy(float),
                                   rtol=1e-12)
    for col in ("team", "period", "category", "source_id", "base", "base_source_id"):
        assert stored[col].astype(str).tolist() == expected[col].astype(str).tolist()


# --- issue 10: one number rule for every loader ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.000", 1000.0), ("1.234", 1234.0), ("12.345.678", 12345678.0), ("1140", 1140.0),
     ("15.4", 15.4), ("0.125", 0.125), ("0.8", 0.8), ("15,4", 15.4), ("1.234,5", 1234.5),
     ("1 234", 1234.0)],
)
def test_published_values_follow_the_call_count_number_rule(tmp_path, text, value) -> None:
    path = _corrupt(tmp_path, "F003", "value", text)
    got = load_published(path).set_index("id").at["F003", "value"]
    assert got == pytest.approx(value, rel=1e-12)


def test_published_file_loads_exactly_as_before_the_rule(published) -> None:
    # every value of the real file is written as a plain decimal; the shared rule must
    # read each one as float() did (no value is a Dutch thousands group)
    raw = pd.read_csv(PUBLISHED_CSV, dtype=str, keep_default_na=False)
    np.testing.assert_array_equal(published["value"].to_numpy(),
                                  raw["value"].astype(float).to_numpy())
