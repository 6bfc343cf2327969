"""Tests of impact.problems.published: published series and two-year comparisons."""

from __future__ import annotations

import pytest

from impact._core.exceptions import DataValidationError
from impact.problems import (
    COMPARISON_COLUMNS,
    SERIES_COLUMNS,
    compare_published,
    published_problem_series,
)


def test_compare_published_partner_violence_counts() -> None:
    res = compare_published("partner_violence", years=(2019, 2020), measure="count")
    row = res.to_frame().iloc[0]
    assert tuple(res.to_frame().columns) == COMPARISON_COLUMNS
    assert (row["value_first"], row["value_second"]) == (1140, 2110)
    assert row["source_id_first"] == "F040" and row["source_id_second"] == "F074"
    assert row["change"] == pytest.approx(2110 / 1140)
    assert row["change_lower"] < row["change"] < row["change_upper"]
    assert row["rate_ratio_per_base"] == pytest.approx((2110 / 1140) / (11305 / 7402))
    assert not row["mixes_bases"] and row["data_kind"] == "published"


def test_compare_published_refuses_mixed_bases_unless_asked() -> None:
    with pytest.raises(DataValidationError, match="refusing to compare .* different bases"):
        compare_published("partner_violence", years=(2020, 2022), measure="count")
    res = compare_published("partner_violence", years=(2020, 2022), measure="count",
                            allow_mixed_bases=True)
    assert res.to_frame()["mixes_bases"].iloc[0]
    assert res.caveats[0].startswith("MIXES BASES")
    assert "MIXES BASES" in res.summary().text
    assert any("may be a count of victims" in c for c in res.caveats)


def test_compare_published_flags_label_changes() -> None:
    res = compare_published("violence_between_adults", years=(2020, 2022))
    assert res.to_frame()["spans_label_change"].iloc[0]
    assert any("geweld tegen volwassenen" in c for c in res.caveats)
    assert "geweld tussen volwassenen" in res.summary().text


def test_compare_published_intrafamilial_and_sexual_violence() -> None:
    res = compare_published("intrafamilial_violence_adults", years=(2021, 2023),
                            measure="count")
    assert res.to_frame()["change"].iloc[0] == pytest.approx(462 / 187)
    res = compare_published("sexual_violence", years=(2020, 2021))
    row = res.to_frame().iloc[0]
    assert row["base_first"] == row["base_second"] == "contacts"
    assert row["change"] == pytest.approx(0.03)
    assert 0 <= row["change_lower"] <= row["change"] <= row["change_upper"]
    with pytest.raises(DataValidationError, match="Available"):
        compare_published("sexual_violence", years=(2017, 2023))


def test_published_problem_series() -> None:
    res = published_problem_series("partner_violence")
    f = res.to_frame()
    assert tuple(f.columns) == SERIES_COLUMNS
    assert set(f["data_kind"]) == {"published"}
    assert any("different bases" in c for c in res.caveats)
    shares = f[f["measure"] == "share"]
    assert ((shares["value_lower"].isna()) | (shares["value_lower"] >= 0)).all()
    assert "Caveats" in res.summary().text
    full = published_problem_series()
    assert set(full.to_frame()["year"]) == {2013, 2018, 2019, 2020, 2021, 2022, 2023}


def test_compare_published_checks_measure_and_base() -> None:
    with pytest.raises(DataValidationError, match=r"measure must be one of 'count', 'share'"):
        compare_published("partner_violence", years=(2019, 2020), measure="counts")
    with pytest.raises(DataValidationError, match=r"base must be one of 'calls', 'victims'"):
        compare_published("partner_violence", years=(2019, 2020), base="victim")
