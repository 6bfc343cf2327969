"""Tests of impact._core.parsing: month labels, numbers and cell text, never raising."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from impact._core.parsing import (
    fold_text,
    format_list,
    format_month,
    gap_message,
    is_blank,
    missing_months,
    parse_count_value,
    parse_month_value,
    parse_number_text,
    parse_positive_float,
    year_in_text,
)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("2023-09", "month"),
        ("januari", "month_no_year"),
        (3, "month_no_year"),
        ("2023", "year"),
        ("Q1 2023", "quarter"),
        ("2023-W14", "week"),
        ("2023-04-15", "day"),
        ("", "empty"),
        (None, "empty"),
        ("soon", "unparseable"),
        (True, "unparseable"),
        (float("inf"), "unparseable"),
    ],
)
def test_parse_month_value_classifies_without_raising(value, kind):
    parsed = parse_month_value(value)
    assert parsed.kind == kind
    assert (parsed.period is not None) == (kind == "month")
    if kind not in ("month", "month_no_year"):
        assert parsed.detail


@given(st.integers(1990, 2100), st.integers(1, 12))
def test_parse_month_value_round_trips_formatted_months(year, month):
    period = pd.Period(year=year, month=month, freq="M")
    assert parse_month_value(format_month(period)).period == period


@pytest.mark.parametrize(
    ("text", "dot_thousands", "expected"),
    [
        ("1.234", True, 1234.0),
        ("1.234", False, 1.234),
        ("1 234", True, 1234.0),
        ("1\u00a0234", True, 1234.0),
        ("12,5", True, 12.5),
        ("12.5", True, 12.5),
        ("-7", True, -7.0),
        ("abc", True, None),
    ],
)
def test_parse_number_text(text, dot_thousands, expected):
    assert parse_number_text(text, dot_thousands=dot_thousands) == expected


def test_parse_number_text_rejects_ambiguous_comma_with_a_reason():
    reason = parse_number_text("1,234")
    assert isinstance(reason, str) and "ambiguous" in reason


@pytest.mark.parametrize(
    ("value", "count", "reason"),
    [
        (12, 12, ""),
        (12.0, 12, ""),
        ("1.234", 1234, ""),
        (0, 0, ""),
        (-1, None, "negative"),
        (1.5, None, "fractional"),
        ("", None, "empty"),
        ("x", None, "not a number"),
        (True, None, "not a count"),
    ],
)
def test_parse_count_value(value, count, reason):
    got, why = parse_count_value(value)
    assert got == count
    assert reason in why


@pytest.mark.parametrize(
    ("value", "number", "reason"),
    [(30, 30.0, ""), ("30,5", 30.5, ""), (0, None, "> 0"), ("", None, "empty"),
     ("x", None, "not a number")],
)
def test_parse_positive_float(value, number, reason):
    got, why = parse_positive_float(value)
    assert got == number
    assert reason in why


def test_text_helpers():
    assert fold_text("  Oost-Vlaanderen\u00a0 Été ") == "oost-vlaanderen ete"
    assert is_blank(None) and is_blank("  ") and is_blank(math.nan) and is_blank(pd.NaT)
    assert is_blank(np.datetime64("NaT"))
    assert not is_blank(0) and not is_blank("0")
    assert year_in_text("Aantal oproepen 2023") == 2023
    assert year_in_text("2022 vs 2023") is None
    assert year_in_text(2023) == 2023 and year_in_text(True) is None
    assert format_list(["a", "b"]) == "a, b"
    assert format_list([str(i) for i in range(5)], 2) == "0, 1, ... (3 more)"


def test_missing_months_and_gap_message():
    months = [pd.Period(m, freq="M") for m in ("2021-01", "2021-04", "2021-02")]
    gaps = missing_months(months)
    assert gaps == [pd.Period("2021-03", freq="M")]
    assert missing_months([]) == []
    text = gap_message("team 'Limburg'", gaps)
    assert text.startswith("team 'Limburg': 1 missing month (2021-03); monthly series must")
