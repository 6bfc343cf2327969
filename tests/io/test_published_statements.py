"""Tests of :func:`impact.io.published.load_published_statements` (``statements.csv``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.io.published import STATEMENT_COLUMNS, load_published, load_published_statements

REPO_FILE = Path(__file__).resolve().parents[2] / "data" / "published" / "statements.csv"


def test_statements_load_typed_and_point_at_published_rows():
    st = load_published_statements()
    assert tuple(st.columns) == STATEMENT_COLUMNS
    assert st.attrs["kind"] == "published" and len(st.attrs["sha256"]) == 64
    assert st["id"].is_unique and st["question"].between(1, 4).all()
    assert str(st["year_from"].dtype) == "Int64"
    known = set(load_published()["id"])
    assert {f for ids in st["figure_ids"] for f in ids} <= known
    # the minister's statements the published report must carry (issue 12, defect 12)
    claims = set(st["claim"])
    assert {"same_across_teams", "slight_decrease", "share_earlier",
            "more_reports_not_more_violence", "registration_categories_added"} <= claims
    # texts carry no number (the helpline's name aside): numbers sit in their own columns
    for col in ("text_en", "text_nl"):
        assert not st[col].str.replace("1712", "", regex=False).str.contains(r"\d").any()


@pytest.mark.parametrize(("column", "bad", "match"), [
    ("id", "X1", "not of the form S001"),
    ("question", "5", "question '5' is not 1-4"),
    ("year_to", "23", "not a four-digit year"),
    ("figure_ids", "F201;G7", "not ids of published_figures.csv"),
    ("source_url", "vlaamsparlement.be", "not an http"),
])
def test_a_bad_statement_is_refused_with_its_row(tmp_path, column, bad, match):
    frame = pd.read_csv(REPO_FILE, dtype=str, keep_default_na=False)
    frame.loc[1, column] = bad
    path = tmp_path / "statements.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataValidationError, match=match):
        load_published_statements(path)


def test_a_missing_column_is_named(tmp_path):
    frame = pd.read_csv(REPO_FILE, dtype=str, keep_default_na=False).drop(columns="claim")
    path = tmp_path / "statements.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataValidationError, match="missing column"):
        load_published_statements(path)
