"""Tests of impact.problems.published: published series and two-year comparisons."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.io.published import load_published
from impact.problems import (
    COMPARISON_COLUMNS,
    SERIES_COLUMNS,
    compare_published,
    published_problem_series,
)
from impact.problems.published import RANGE_KINDS

REPO_PUBLISHED = Path(__file__).resolve().parents[2] / "data" / "published"

#: Rounding ranges are sums of halves of the last published digit; float noise only.
ROUNDING_ATOL = 1e-12


def test_compare_published_partner_violence_counts() -> None:
    res = compare_published("partner_violence", years=(2019, 2020), measure="count")
    row = res.to_frame().iloc[0]
    assert tuple(res.to_frame().columns) == COMPARISON_COLUMNS
    assert (row["value_first"], row["value_second"]) == (1140, 2110)
    assert row["source_id_first"] == "F040" and row["source_id_second"] == "F074"
    assert row["change"] == pytest.approx(2110 / 1140)
    # exact census counts: the ratio is exact, no sampling interval (defect 6 of issue 12)
    assert row["change_lower"] == row["change"] == row["change_upper"]
    assert "no sampling interval" in res.summary().text
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
    # 11% and 14%, each rounded to a whole percent: the difference lies in 2 to 4 points
    assert row["change_lower"] == pytest.approx(0.02, abs=ROUNDING_ATOL)
    assert row["change_upper"] == pytest.approx(0.04, abs=ROUNDING_ATOL)
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


def test_published_census_counts_get_rounding_ranges_not_sampling_intervals() -> None:
    f = published_problem_series().to_frame()
    assert set(f["range_kind"]) <= set(RANGE_KINDS)
    counts = f[f["range_kind"] == "exact"]
    assert len(counts) and (counts["value_lower"] == counts["value"]).all()
    assert (counts["value_upper"] == counts["value"]).all()
    shares = f[(f["range_kind"] == "rounding") & (f["source_id"] == "F206")].iloc[0]
    assert shares["value"] == pytest.approx(0.14)
    assert shares["value_upper"] - shares["value_lower"] == pytest.approx(
        0.01, abs=ROUNDING_ATOL)  # whole percent: +-0.5 point
    one_decimal = f[f["source_id"] == "F041"].iloc[0]  # 15.4%
    assert one_decimal["value_upper"] - one_decimal["value_lower"] == pytest.approx(
        0.001, abs=ROUNDING_ATOL)


def test_share_changes_spanning_new_registration_categories_are_flagged() -> None:
    res = compare_published("partner_violence", years=(2019, 2023))
    row = res.to_frame().iloc[0]
    assert row["spans_registration_change"]
    assert any("new registration categories" in c and "S005" in c for c in res.caveats)
    # 15.4% (one decimal) and 14% (whole percent): -1.4 points, range -1.95 to -0.85
    assert row["change_lower"] == pytest.approx(-0.0195, abs=ROUNDING_ATOL)
    assert row["change_upper"] == pytest.approx(-0.0085, abs=ROUNDING_ATOL)


def test_registration_flag_follows_the_statements_file(tmp_path) -> None:
    target = tmp_path / "published_figures.csv"
    target.write_bytes((REPO_PUBLISHED / "published_figures.csv").read_bytes())
    statements = pd.read_csv(REPO_PUBLISHED / "statements.csv", dtype=str,
                             keep_default_na=False)
    # a statement that the categories changed between 2021 and 2022 only
    statements.loc[statements["claim"] == "registration_categories_added",
                   ["year_from", "year_to"]] = ["2022", "2022"]
    statements.to_csv(tmp_path / "statements.csv", index=False)
    pub = load_published(target)
    before = compare_published("sexual_violence", years=(2020, 2021), published=pub)
    after = compare_published("partner_violence", years=(2019, 2023), published=pub)
    assert not before.to_frame()["spans_registration_change"].iloc[0]
    assert after.to_frame()["spans_registration_change"].iloc[0]
