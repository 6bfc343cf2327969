"""Tests of impact.problems.tables: small-cell suppression, synthetic categories, Flanders rows."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from impact._core.constants import TEAMS
from impact._core.exceptions import DataValidationError, ImpactWarning
from impact.problems import (
    aggregate_to_flanders,
    compare_category_mix,
    suppress_small_cells,
    synthesize_categories,
)
from tests.problems.helpers import CATS


def _grid(values: list[list[float]]) -> pd.DataFrame:
    teams = list(TEAMS[: len(values)])
    cats = CATS[: len(values[0])]
    return pd.DataFrame([
        {"team": t, "category": c, "count": float(v), "share": v / 100}
        for t, row in zip(teams, values, strict=True)
        for c, v in zip(cats, row, strict=True)
    ])


def test_suppression_blanks_small_and_secondary_cells() -> None:
    table = _grid([[50, 3, 20], [40, 30, 25], [60, 35, 45]])
    original = table.copy()
    out = suppress_small_cells(table, threshold=5)
    status = out.set_index(["team", "category"])["suppression"]
    assert status[("Antwerpen", "partner_violence")] == "primary"
    # row Antwerpen: next-smallest is violence_between_adults (20)
    assert status[("Antwerpen", "violence_between_adults")] == "secondary"
    # column partner_violence: next-smallest is Limburg (30)
    assert status[("Limburg", "partner_violence")] == "secondary"
    # ... which leaves Limburg's row and the third column with one each: fixed as well
    assert status[("Limburg", "violence_between_adults")] == "secondary"
    assert out.loc[out["suppressed"], "count"].isna().all()
    assert out.loc[out["suppressed"], "share"].isna().all()
    assert out.loc[~out["suppressed"], "count"].notna().all()
    pd.testing.assert_frame_equal(table, original)  # input not mutated
    assert out.attrs["suppression_threshold"] == 5


def test_suppression_does_not_use_zero_cells_and_keeps_zeros() -> None:
    out = suppress_small_cells(_grid([[0, 2, 40], [0, 30, 25]]), threshold=5)
    status = out.set_index(["team", "category"])["suppression"]
    assert status[("Antwerpen", "child_abuse")] == ""  # zero shown
    assert status[("Antwerpen", "violence_between_adults")] == "secondary"


def test_suppression_warns_when_a_line_cannot_be_protected() -> None:
    with pytest.warns(ImpactWarning, match="do not publish its total"):
        suppress_small_cells(_grid([[3]]), threshold=5)


@given(st.lists(st.lists(st.integers(0, 40), min_size=3, max_size=3), min_size=3, max_size=4))
def test_suppression_leaves_no_line_with_a_single_suppressed_cell(values) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactWarning)
        out = suppress_small_cells(_grid(values), threshold=5)
    small = out["suppression"] == "primary"
    vals = _grid(values)["count"]
    assert (small == ((vals > 0) & (vals < 5))).all()
    for dim in ("team", "category"):
        per_line = out.groupby(dim)["suppressed"].sum()
        line_has_nonzero_free = out.assign(v=vals).groupby(dim).apply(
            lambda g: ((g["v"] > 0) & ~g["suppressed"]).any() | (g["suppressed"].sum() != 1),
            include_groups=False,
        )
        assert ((per_line != 1) | ~line_has_nonzero_free).all()


# --- synthetic --------------------------------------------------------------------------


def test_synthesize_categories(calls_frame, synthetic) -> None:
    assert synthetic.attrs["kind"] == "synthetic"
    assert set(synthetic["data_kind"]) == {"synthetic"}
    sums = synthetic.groupby(["team", "period"])["count"].sum()
    expected = calls_frame.set_index(["team", "month"])["calls"].astype(float)
    expected.index = expected.index.set_names(["team", "period"])
    pd.testing.assert_series_equal(sums.sort_index(), expected.sort_index(), check_names=False)
    shares = synthetic.groupby("category")["count"].sum() / synthetic["count"].sum()
    assert shares["child_abuse"] == pytest.approx(0.58, abs=0.01)
    assert shares["partner_violence"] == pytest.approx(0.14, abs=0.01)
    assert synthetic.attrs["share_source_ids"] == ["F205", "F207", "F209", "F206", "F208"]
    again = synthesize_categories(calls_frame.sample(frac=1, random_state=1), seed=20240501)
    pd.testing.assert_frame_equal(again, synthetic)
    other = synthesize_categories(calls_frame, seed=1)
    assert not other["count"].equals(synthetic["count"])


def test_synthesize_rejects_bad_input(calls_frame) -> None:
    with pytest.raises(DataValidationError, match="missing column"):
        synthesize_categories(calls_frame.drop(columns="calls"), seed=1)
    with pytest.raises(DataValidationError, match="sum to 1"):
        synthesize_categories(calls_frame, seed=1, shares={"child_abuse": 0.5})
    with pytest.raises(DataValidationError, match="unknown category code"):
        synthesize_categories(calls_frame, seed=1, shares={"foo": 1.0})


def test_aggregate_to_flanders(synthetic) -> None:
    fl = aggregate_to_flanders(synthetic)
    flanders = fl[fl["team"] == "Flanders"]
    assert flanders["count"].sum() == synthetic["count"].sum()
    res = compare_category_mix(fl, ("2021-01", "2021-12"), ("2023-01", "2023-12"))
    assert "Flanders" in set(res.tests()["team"])


def test_suppression_threshold_is_a_whole_number_of_at_least_one() -> None:
    with pytest.raises(DataValidationError, match=r"threshold must be a whole number >= 1"):
        suppress_small_cells(_grid([[3]]), threshold=0)
