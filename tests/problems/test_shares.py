"""Tests of impact.problems.shares: shares with intervals, mix changes, event shifts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impact._core.constants import TEAMS
from impact._core.exceptions import DataValidationError, ImpactWarning
from impact.io.published import published_category_table
from impact.problems import (
    MIX_COLUMNS,
    SHARES_COLUMNS,
    SHIFT_COLUMNS,
    category_shares,
    compare_category_mix,
    estimate_share_shift,
    fit_category_trends,
    require_single_base,
)
from tests.problems.helpers import PROBS, long_table

#: Coverage of 400 replicates of a 95% interval: binomial SD about 0.011, so [0.92, 0.98]
#: is about +-2.7 SD around the nominal rate.
COVERAGE_RANGE = (0.92, 0.98)



@pytest.mark.parametrize("interval", ["goodman", "wilson", "clopper-pearson", "sison-glaz"])
def test_share_intervals_within_unit_interval(synthetic, interval) -> None:
    sub = synthetic[synthetic["period"] >= pd.Period("2023-11", "M")]
    res = category_shares(sub, interval=interval)
    f = res.to_frame()
    assert tuple(f.columns) == SHARES_COLUMNS
    assert (f["share_lower"] >= 0).all() and (f["share_upper"] <= 1).all()
    assert (f["share_lower"] <= f["share"] + 1e-12).all()
    assert (f["share"] <= f["share_upper"] + 1e-12).all()
    assert set(f["data_kind"]) == {"synthetic"}


def test_share_intervals_with_zero_and_small_counts() -> None:
    counts = np.array([[0, 1, 2, 0, 3]])
    f = category_shares(long_table(counts, pd.period_range("2023-01", periods=1, freq="M"))
                        ).to_frame()
    assert (f["share_lower"] >= 0).all() and (f["share_upper"] <= 1).all()
    assert f.loc[f["count"] == 0, "share_upper"].gt(0).all()


def test_goodman_joint_coverage_is_nominal() -> None:
    rng = np.random.default_rng(11)
    reps = 400
    counts = rng.multinomial(400, PROBS, size=reps)
    table = long_table(counts, pd.period_range("1990-01", periods=reps, freq="M"))
    f = category_shares(table, interval="goodman").to_frame()
    truth = np.tile(PROBS, reps)
    hit = ((f["share_lower"] <= truth) & (truth <= f["share_upper"])).to_numpy()
    joint = hit.reshape(reps, len(PROBS)).all(axis=1).mean()
    assert COVERAGE_RANGE[0] <= joint <= COVERAGE_RANGE[1]


def test_wilson_marginal_coverage_is_nominal() -> None:
    rng = np.random.default_rng(12)
    reps = 400
    counts = rng.multinomial(300, PROBS, size=reps)
    table = long_table(counts, pd.period_range("1990-01", periods=reps, freq="M"))
    f = category_shares(table, interval="wilson").to_frame()
    truth = np.tile(PROBS, reps)
    hit = ((f["share_lower"] <= truth) & (truth <= f["share_upper"])).to_numpy()
    per_category = hit.reshape(reps, len(PROBS)).mean(axis=0)
    assert COVERAGE_RANGE[0] <= per_category.mean() <= COVERAGE_RANGE[1]
    assert per_category.min() >= 0.90


def test_base_total_adds_remainder_cell() -> None:
    counts = np.array([[50, 20]])
    t = long_table(counts, pd.period_range("2023", periods=1, freq="Y"),
              cats=["child_abuse", "partner_violence"], totals=np.array([100]))
    f = category_shares(t).to_frame()
    assert f["total"].tolist() == [100.0, 100.0]
    assert f["share"].tolist() == [0.5, 0.2]


def test_overlapping_categories_use_base_total_and_refuse_mix_tests() -> None:
    t = long_table(np.array([[50, 60], [40, 70]]), pd.period_range("2022", periods=2, freq="Y"),
              cats=["sexual_violence", "emotional_violence"], totals=np.array([100, 100]))
    with pytest.warns(ImpactWarning, match="overlapping categories"):
        f = category_shares(t).to_frame()
    assert f["share"].tolist() == [0.5, 0.6, 0.4, 0.7]
    with pytest.raises(DataValidationError, match="categories overlap"):
        compare_category_mix(t, "2022", "2023")


def test_mixing_bases_is_refused() -> None:
    t = pd.concat([
        long_table(np.array([[5, 6, 7, 8, 9]]), pd.period_range("2023", periods=1, freq="Y")),
        long_table(np.array([[5, 6, 7, 8, 9]]), pd.period_range("2022", periods=1, freq="Y"),
              base="victims"),
    ], ignore_index=True)
    with pytest.raises(DataValidationError, match=r"mixes bases \['calls', 'victims'\]"):
        category_shares(t)
    with pytest.raises(DataValidationError, match="one call can concern several"):
        fit_category_trends(t)
    with pytest.raises(DataValidationError, match="mixes bases"):
        require_single_base(published_category_table())


def test_share_only_rows_are_refused() -> None:
    pub = published_category_table()
    sub = pub[(pub["period"].dt.year == 2021) & (pub["base"] == "victims")]
    with pytest.raises(DataValidationError, match="have a share but no count"):
        category_shares(sub)


def test_missing_cells_and_mixed_dimensions_are_refused() -> None:
    t = long_table(np.array([[5, 6, 7, 8, 9], [1, 2, 3, 4, 5]]),
              pd.period_range("2023-01", periods=2, freq="M")).iloc[:-1]
    with pytest.raises(DataValidationError, match="add explicit zero rows"):
        category_shares(t)
    t = long_table(np.array([[5, 6]]), pd.period_range("2023", periods=1, freq="Y"),
              cats=["child_abuse", "sexual_violence"])
    with pytest.raises(DataValidationError, match="mixes category dimensions"):
        category_shares(t)


# --- mix change -------------------------------------------------------------------------


def test_mix_change_detects_a_shift_and_not_noise() -> None:
    rng = np.random.default_rng(5)
    periods = pd.period_range("2021", periods=2, freq="Y")
    same = long_table(rng.multinomial(3000, PROBS, size=2), periods)
    shifted_probs = np.array([0.50, 0.21, 0.09, 0.05, 0.15])
    shifted = long_table(np.vstack([rng.multinomial(3000, PROBS),
                               rng.multinomial(3000, shifted_probs)]), periods)
    assert compare_category_mix(same, "2021", "2022").tests()["p_value"].iloc[0] > 0.001
    res = compare_category_mix(shifted, "2021", "2022", test="pearson")
    f = res.to_frame().set_index("category")
    assert tuple(res.to_frame().columns) == MIX_COLUMNS
    assert f["p_value"].iloc[0] < 1e-3
    diff = f.loc["partner_violence"]
    assert diff["share_difference_lower"] <= 0.05 <= diff["share_difference_upper"]
    assert "likelihood-ratio" not in res.summary().text and "Pearson" in res.summary().text


def test_mix_change_per_team_and_ranges(synthetic) -> None:
    res = compare_category_mix(synthetic, ("2021-01", "2021-12"), ("2023-01", "2023-12"))
    assert set(res.tests()["team"]) == set(TEAMS)
    assert len(res.first) == 12
    with pytest.raises(DataValidationError, match="overlap"):
        compare_category_mix(synthetic, ("2021-01", "2021-12"), ("2021-06", "2021-07"))
    with pytest.raises(DataValidationError, match=r"not in the table"):
        compare_category_mix(synthetic, "2019-01", "2023-01")


# --- event shift ------------------------------------------------------------------------


def test_share_shift_recovers_injected_shift() -> None:
    rng = np.random.default_rng(9)
    months = pd.period_range("2022-01", "2023-10", freq="M")
    window = months >= pd.Period("2023-09", "M")
    probs_w = np.array([0.65, 0.12, 0.07, 0.04, 0.12])
    counts = np.vstack([rng.multinomial(600, probs_w if w else PROBS) for w in window])
    res = estimate_share_shift(long_table(counts, months), window=("2023-09", "2023-10"))
    f = res.to_frame().set_index("category")
    assert tuple(res.to_frame().columns) == SHIFT_COLUMNS
    assert len(res.baseline) == 12 and str(res.baseline[0]) == "2022-09"
    row = f.loc["child_abuse"]
    assert row["share_difference_lower"] <= 0.10 <= row["share_difference_upper"]
    assert row["share_difference_lower"] > 0
    assert row["share_ratio_lower"] <= 0.65 / 0.55 <= row["share_ratio_upper"]
    assert (f["dispersion"] >= 1).all()


def test_share_shift_widens_with_overdispersion() -> None:
    rng = np.random.default_rng(10)
    months = pd.period_range("2022-01", "2023-10", freq="M")
    alpha = 30 * PROBS  # Dirichlet-multinomial: strong month-to-month variation
    counts = np.vstack([rng.multinomial(600, rng.dirichlet(alpha)) for _ in months])
    t = long_table(counts, months)
    adj = estimate_share_shift(t, window="2023-10").to_frame()
    raw = estimate_share_shift(t, window="2023-10", adjust_overdispersion=False).to_frame()
    assert adj["dispersion"].iloc[0] > 2
    width = lambda f: f["share_difference_upper"] - f["share_difference_lower"]  # noqa: E731
    assert (width(adj) > width(raw)).all()


def test_share_shift_needs_monthly_data() -> None:
    t = long_table(np.array([[5, 6, 7, 8, 9]] * 3), pd.period_range("2021", periods=3, freq="Y"))
    with pytest.raises(DataValidationError, match="needs monthly periods"):
        estimate_share_shift(t, window="2023")


def test_options_are_checked_by_name(synthetic) -> None:
    with pytest.raises(DataValidationError, match=r"interval must be one of 'goodman'"):
        category_shares(synthetic, interval="exact")
    with pytest.raises(DataValidationError, match=r"test must be one of 'lr', 'pearson'"):
        compare_category_mix(synthetic, "2021-01", "2023-01", test="g")
    with pytest.raises(DataValidationError, match=r"baseline_months must be a whole number >= 1"):
        estimate_share_shift(synthetic, window="2023-10", baseline_months=0)
