"""Tests of impact.problems.shares: shares, trends, mix changes, event shifts, suppression."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from impact._core.constants import TEAMS
from impact._core.exceptions import DataValidationError, ImpactWarning
from impact.io.published import published_category_table
from impact.problems.shares import (
    COMPARISON_COLUMNS,
    MIX_COLUMNS,
    SERIES_COLUMNS,
    SHARES_COLUMNS,
    SHIFT_COLUMNS,
    TREND_COLUMNS,
    Summary,
    aggregate_to_flanders,
    category_shares,
    compare_category_mix,
    compare_published,
    estimate_share_shift,
    fit_category_trends,
    published_problem_series,
    require_single_base,
    suppress_small_cells,
    synthesize_categories,
)

#: Coverage of 400 replicates of a 95% interval: binomial SD about 0.011, so [0.92, 0.98]
#: is about +-2.7 SD around the nominal rate.
COVERAGE_RANGE = (0.92, 0.98)
PROBS = np.array([0.55, 0.16, 0.09, 0.05, 0.15])
CATS = ["child_abuse", "partner_violence", "violence_between_adults",
        "separation_problems", "other"]


def _long(counts: np.ndarray, periods: pd.PeriodIndex, *, team: str = "Limburg",
          cats: list[str] = CATS, base: str = "calls",
          totals: np.ndarray | None = None) -> pd.DataFrame:
    """counts: periods x categories."""
    n_p, n_c = counts.shape
    return pd.DataFrame({
        "team": team,
        "period": np.repeat(np.asarray(periods), n_c),
        "category": np.tile(cats, n_p),
        "count": counts.reshape(-1).astype(float),
        "base": base,
        "base_total": np.nan if totals is None else np.repeat(totals, n_c).astype(float),
        "data_kind": "synthetic",
    })


@pytest.fixture(scope="module")
def calls_frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    months = pd.period_range("2021-01", "2023-12", freq="M")
    rows = [(t, m, int(rng.poisson(lam))) for t, lam in zip(TEAMS, [200, 80, 150, 120, 130],
                                                            strict=True) for m in months]
    return pd.DataFrame(rows, columns=["team", "month", "calls"])


@pytest.fixture(scope="module")
def synthetic(calls_frame: pd.DataFrame) -> pd.DataFrame:
    return synthesize_categories(calls_frame, seed=20240501)


# --- shares -----------------------------------------------------------------------------


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
    f = category_shares(_long(counts, pd.period_range("2023-01", periods=1, freq="M"))
                        ).to_frame()
    assert (f["share_lower"] >= 0).all() and (f["share_upper"] <= 1).all()
    assert f.loc[f["count"] == 0, "share_upper"].gt(0).all()


def test_goodman_joint_coverage_is_nominal() -> None:
    rng = np.random.default_rng(11)
    reps = 400
    counts = rng.multinomial(400, PROBS, size=reps)
    table = _long(counts, pd.period_range("1990-01", periods=reps, freq="M"))
    f = category_shares(table, interval="goodman").to_frame()
    truth = np.tile(PROBS, reps)
    hit = ((f["share_lower"] <= truth) & (truth <= f["share_upper"])).to_numpy()
    joint = hit.reshape(reps, len(PROBS)).all(axis=1).mean()
    assert COVERAGE_RANGE[0] <= joint <= COVERAGE_RANGE[1]


def test_wilson_marginal_coverage_is_nominal() -> None:
    rng = np.random.default_rng(12)
    reps = 400
    counts = rng.multinomial(300, PROBS, size=reps)
    table = _long(counts, pd.period_range("1990-01", periods=reps, freq="M"))
    f = category_shares(table, interval="wilson").to_frame()
    truth = np.tile(PROBS, reps)
    hit = ((f["share_lower"] <= truth) & (truth <= f["share_upper"])).to_numpy()
    per_category = hit.reshape(reps, len(PROBS)).mean(axis=0)
    assert COVERAGE_RANGE[0] <= per_category.mean() <= COVERAGE_RANGE[1]
    assert per_category.min() >= 0.90


def test_base_total_adds_remainder_cell() -> None:
    counts = np.array([[50, 20]])
    t = _long(counts, pd.period_range("2023", periods=1, freq="Y"),
              cats=["child_abuse", "partner_violence"], totals=np.array([100]))
    f = category_shares(t).to_frame()
    assert f["total"].tolist() == [100.0, 100.0]
    assert f["share"].tolist() == [0.5, 0.2]


def test_overlapping_categories_use_base_total_and_refuse_mix_tests() -> None:
    t = _long(np.array([[50, 60], [40, 70]]), pd.period_range("2022", periods=2, freq="Y"),
              cats=["sexual_violence", "emotional_violence"], totals=np.array([100, 100]))
    with pytest.warns(ImpactWarning, match="overlapping categories"):
        f = category_shares(t).to_frame()
    assert f["share"].tolist() == [0.5, 0.6, 0.4, 0.7]
    with pytest.raises(DataValidationError, match="categories overlap"):
        compare_category_mix(t, "2022", "2023")


def test_mixing_bases_is_refused() -> None:
    t = pd.concat([
        _long(np.array([[5, 6, 7, 8, 9]]), pd.period_range("2023", periods=1, freq="Y")),
        _long(np.array([[5, 6, 7, 8, 9]]), pd.period_range("2022", periods=1, freq="Y"),
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
    t = _long(np.array([[5, 6, 7, 8, 9], [1, 2, 3, 4, 5]]),
              pd.period_range("2023-01", periods=2, freq="M")).iloc[:-1]
    with pytest.raises(DataValidationError, match="add explicit zero rows"):
        category_shares(t)
    t = _long(np.array([[5, 6]]), pd.period_range("2023", periods=1, freq="Y"),
              cats=["child_abuse", "sexual_violence"])
    with pytest.raises(DataValidationError, match="mixes category dimensions"):
        category_shares(t)


# --- trends -----------------------------------------------------------------------------


def _trend_table(rng: np.random.Generator, change: float, years: int = 10) -> pd.DataFrame:
    periods = pd.period_range("2012", periods=years, freq="Y")
    totals = np.round(4000 * 1.08 ** np.arange(years)).astype(int)
    p = 0.10 * (1 + change) ** (np.arange(years) - (years - 1) / 2)
    # overdispersed category counts (gamma-Poisson: variance mu + mu^2 / 400)
    mu = totals * p
    cat = rng.poisson(mu * rng.gamma(shape=400.0, scale=1 / 400.0, size=years))
    cat = np.minimum(cat, totals)
    counts = np.column_stack([cat, totals - cat])
    return _long(counts, periods, cats=["partner_violence", "other"])


def test_trend_recovers_known_yearly_change() -> None:
    rng = np.random.default_rng(3)
    truth = 0.06
    res = fit_category_trends(_trend_table(rng, truth))
    f = res.to_frame()
    assert tuple(f.columns) == TREND_COLUMNS
    row = f.set_index("category").loc["partner_violence"]
    assert row["rate_of_change_lower"] <= truth <= row["rate_of_change_upper"]
    assert abs(row["rate_of_change"] - truth) < 0.03
    assert row["p_value"] < 0.01
    hits = []
    for _ in range(150):
        r = fit_category_trends(_trend_table(rng, truth)).to_frame().set_index("category")
        hits.append(r.loc["partner_violence", "rate_of_change_lower"] <= truth
                    <= r.loc["partner_violence", "rate_of_change_upper"])
    assert 0.90 <= np.mean(hits) <= 0.995


def test_trend_on_published_intrafamilial_counts() -> None:
    pub = published_category_table()
    sub = pub[(pub["category"] == "intrafamilial_violence_adults") & pub["count"].notna()]
    res = fit_category_trends(sub)
    row = res.to_frame().iloc[0]
    assert row["n_periods"] == 3 and row["data_kind"] == "published"
    assert row["rate_of_change"] > 0
    assert row["rate_of_change_lower"] < row["rate_of_change"] < row["rate_of_change_upper"]
    assert "published data" in res.summary().text


def test_trend_two_periods_warns() -> None:
    t = _long(np.array([[10, 90], [20, 80]]), pd.period_range("2021", periods=2, freq="Y"),
              cats=["partner_violence", "other"])
    with pytest.warns(ImpactWarning, match="dispersion not estimable"):
        res = fit_category_trends(t)
    assert res.warnings


# --- mix change -------------------------------------------------------------------------


def test_mix_change_detects_a_shift_and_not_noise() -> None:
    rng = np.random.default_rng(5)
    periods = pd.period_range("2021", periods=2, freq="Y")
    same = _long(rng.multinomial(3000, PROBS, size=2), periods)
    shifted_probs = np.array([0.50, 0.21, 0.09, 0.05, 0.15])
    shifted = _long(np.vstack([rng.multinomial(3000, PROBS),
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
    res = estimate_share_shift(_long(counts, months), window=("2023-09", "2023-10"))
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
    t = _long(counts, months)
    adj = estimate_share_shift(t, window="2023-10").to_frame()
    raw = estimate_share_shift(t, window="2023-10", adjust_overdispersion=False).to_frame()
    assert adj["dispersion"].iloc[0] > 2
    width = lambda f: f["share_difference_upper"] - f["share_difference_lower"]  # noqa: E731
    assert (width(adj) > width(raw)).all()


def test_share_shift_needs_monthly_data() -> None:
    t = _long(np.array([[5, 6, 7, 8, 9]] * 3), pd.period_range("2021", periods=3, freq="Y"))
    with pytest.raises(DataValidationError, match="needs monthly periods"):
        estimate_share_shift(t, window="2023")


# --- suppression ------------------------------------------------------------------------


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


# --- published analyses -----------------------------------------------------------------


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


# --- result contracts -------------------------------------------------------------------


def test_results_share_the_contract(synthetic, close_figures) -> None:
    import matplotlib.axes

    sub = synthetic[synthetic["period"] >= pd.Period("2022-07", "M")]
    results = [
        category_shares(sub),
        fit_category_trends(synthetic),
        compare_category_mix(synthetic, ("2021-01", "2021-06"), ("2023-01", "2023-06")),
        estimate_share_shift(synthetic, window=("2023-09", "2023-10")),
        published_problem_series("child_abuse"),
        compare_published("child_abuse", years=(2019, 2023)),
    ]
    for res in results:
        summary = res.summary()
        assert isinstance(summary, Summary)
        assert isinstance(summary.table, pd.DataFrame) and not summary.table.empty
        assert "95%" in summary.text
        assert "interval" in summary.text
        assert ("SYNTHETIC" in summary.text) or ("published" in summary.text)
        assert str(summary).startswith(summary.text)
        frame = res.to_frame()
        frame.iloc[0, 0] = "changed"
        assert res.to_frame().iloc[0, 0] != "changed"  # to_frame returns a copy
        ax = res.plot()
        assert isinstance(ax, matplotlib.axes.Axes)
    with pytest.raises(DataValidationError, match="level"):
        category_shares(sub, level=95)
