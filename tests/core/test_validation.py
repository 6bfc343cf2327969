"""Tests of impact._core.validation: boundary checks with named-parameter messages."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact._core.constants import TEAMS
from impact._core.exceptions import DataValidationError
from impact._core.validation import (
    PANEL_COLUMNS,
    check_choice,
    check_int,
    validate_counts,
    validate_covariates,
    validate_kind,
    validate_level,
    validate_month,
    validate_panel,
    validate_series,
)

HYPOTHESIS = settings(max_examples=30, deadline=None, derandomize=True)


def _series(values, start="2021-01"):
    idx = pd.period_range(start, periods=len(values), freq="M", name="month")
    return pd.Series(values, index=idx, name="calls")


def _panel(teams=("Antwerpen", "Limburg"), start="2021-01", n=6):
    rows = [
        {"team": t, "month": p, "calls": 10 * i + k}
        for i, t in enumerate(teams)
        for k, p in enumerate(pd.period_range(start, periods=n, freq="M"))
    ]
    frame = pd.DataFrame(rows)
    frame.attrs = {"kind": "real"}
    return frame


# --- validate_month ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-09", "2023-09"),
        ("2023/09", "2023-09"),
        ("09/2023", "2023-09"),
        ("9-2023", "2023-09"),
        ("202309", "2023-09"),
        ("januari 2023", "2023-01"),
        ("jan. 2023", "2023-01"),
        ("sept 2023", "2023-09"),
        ("Sept. 2023", "2023-09"),
        ("March 2023", "2023-03"),
        ("mrt 2023", "2023-03"),
        ("mrt-23", "2023-03"),
        ("okt '23", "2023-10"),
        ("2023 mei", "2023-05"),
        ("Février 2024", "2024-02"),
        ("2023-04-01", "2023-04"),
        ("2023-04-30 00:00:00", "2023-04"),
        ("01/04/2023", "2023-04"),
        (dt.datetime(2023, 4, 1), "2023-04"),
        (dt.date(2023, 4, 30), "2023-04"),
        (pd.Timestamp("2023-04-01"), "2023-04"),
        (np.datetime64("2023-04-01"), "2023-04"),
        (pd.Period("2023-04", freq="M"), "2023-04"),
        (45017, "2023-04"),  # Excel serial day number of 2023-04-01
    ],
)
def test_validate_month_accepts_common_forms(value, expected):
    assert validate_month(value) == pd.Period(expected, freq="M")


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("2023", "is a year"),
        ("Q1 2023", "is a quarter"),
        ("K2 2023", "is a quarter"),
        ("2023-W14", "is a week"),
        ("2023-04-15", "is a day"),
        ("15/04/2023", "is a day"),
        (pd.Timestamp("2023-04-01 12:00"), "is a day"),
        ("januari", "has no year"),
        ("2023-13", "not 1-12"),
        ("soon", "cannot read 'soon' as a month"),
        (pd.Period("2023Q1", freq="Q"), "frequency"),
        (None, "empty"),
    ],
)
def test_validate_month_rejects_with_parameter_name(value, pattern):
    with pytest.raises(DataValidationError, match=pattern) as info:
        validate_month(value, "start")
    assert str(info.value).startswith("start:")


# --- validate_level / validate_kind --------------------------------------------------------


def test_validate_level_accepts_probabilities():
    assert validate_level(0.95) == 0.95
    assert validate_level(np.float64(0.8)) == 0.8


@pytest.mark.parametrize("bad", [0, 1, 1.0, -0.1, float("nan"), True, "0.95", None])
def test_validate_level_rejects(bad):
    with pytest.raises(DataValidationError, match=r"alpha"):
        validate_level(bad, "alpha")


def test_validate_level_hints_at_percentages():
    with pytest.raises(DataValidationError, match=r"Did you mean 0.95"):
        validate_level(95)


def test_check_choice_returns_the_value():
    assert check_choice("lr", "test", ("lr", "pearson")) == "lr"
    assert check_choice(None, "base", (None, "calls")) is None


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("LR", r"^test must be one of 'lr', 'pearson'; got 'LR'\. Did you mean 'lr'\? Pass one"),
        ("chi2", r"^test must be one of 'lr', 'pearson'; got 'chi2'\. Pass one of the listed"),
        (1, r"got 1\."),
        (["lr"], r"got \['lr'\]"),
    ],
)
def test_check_choice_names_parameter_value_options_and_fix(value, pattern):
    with pytest.raises(DataValidationError, match=pattern):
        check_choice(value, "test", ("lr", "pearson"))


def test_check_choice_does_not_confuse_booleans_and_numbers():
    with pytest.raises(DataValidationError, match="got True"):
        check_choice(True, "n", (1, 2))


def test_check_int_accepts_whole_numbers():
    assert check_int(5, "threshold", minimum=1) == 5
    assert check_int(np.int64(5), "threshold", minimum=1) == 5
    assert check_int(-3, "offset") == -3


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        (0, r"^threshold must be a whole number >= 1; got 0\. Pass 1 or more\.$"),
        (2.0, r"^threshold must be a whole number >= 1; got 2\.0 \(float\)"),
        (True, r"got True \(bool\)"),
        ("5", r"got '5' \(str\)"),
    ],
)
def test_check_int_names_parameter_value_and_range(value, pattern):
    with pytest.raises(DataValidationError, match=pattern):
        check_int(value, "threshold", minimum=1)


def test_validate_kind():
    assert validate_kind("synthetic") == "synthetic"
    with pytest.raises(DataValidationError, match=r"kind must be one of 'published', 'real'"):
        validate_kind("raw")


# --- validate_counts -----------------------------------------------------------------------


def test_validate_counts_returns_int64_copy():
    counts = pd.Series([1.0, 0.0, 3.0], index=pd.period_range("2021-01", periods=3, freq="M"))
    out = validate_counts(counts)
    assert out.dtype == np.int64
    assert out.tolist() == [1, 0, 3]
    assert counts.dtype == float  # input untouched


@pytest.mark.parametrize(
    ("values", "pattern"),
    [
        ([1, -2, 3], r"1 negative value \(2021-02: -2\)"),
        ([1, 2.5, 3], r"1 fractional value \(2021-02: 2.5\)"),
        ([1, np.nan, 3], r"1 missing value \(2021-02: nan\)"),
        ([1, "x", 3], r"1 non-numeric value \(2021-02: 'x'\)"),
    ],
)
def test_validate_counts_names_the_months(values, pattern):
    counts = pd.Series(values, index=pd.period_range("2021-01", periods=3, freq="M"),
                       dtype=object)
    with pytest.raises(DataValidationError, match=pattern):
        validate_counts(counts, "y")


def test_validate_counts_accepts_arrays():
    assert validate_counts(np.array([0, 5])).tolist() == [0, 5]


def test_validate_counts_rejects_frames_and_booleans():
    with pytest.raises(DataValidationError, match="one column"):
        validate_counts(pd.DataFrame({"calls": [1]}))
    with pytest.raises(DataValidationError, match="booleans"):
        validate_counts(pd.Series([True, False]))


# --- validate_series -----------------------------------------------------------------------


def test_validate_series_coerces_string_index_once_and_sorts():
    raw = pd.Series([5, 3, 4], index=["2023-03", "2023-01", "2023-02"], name="x")
    raw.attrs["kind"] = "real"
    out = validate_series(raw)
    assert isinstance(out.index, pd.PeriodIndex)
    assert out.index.freqstr == "M"
    assert out.index.name == "month"
    assert out.name == "calls"
    assert out.tolist() == [3, 4, 5]
    assert out.attrs == {"kind": "real"}
    assert list(raw.index) == ["2023-03", "2023-01", "2023-02"]  # not mutated


def test_validate_series_accepts_month_start_timestamps():
    raw = pd.Series([1, 2], index=pd.DatetimeIndex(["2023-01-01", "2023-02-01"]))
    assert validate_series(raw).index[0] == pd.Period("2023-01", freq="M")


@pytest.mark.parametrize("freq", ["D", "W-SUN"])
def test_validate_series_keeps_daily_and_weekly_periods(freq):
    idx = pd.period_range("2023-08-01", periods=10, freq=freq, name="day")
    out = validate_series(pd.Series(np.arange(10), index=idx))
    assert out.index.freqstr == freq
    assert out.index.name == "day"
    gap = pd.Series(np.arange(9), index=idx.delete(4))
    unit = "day" if freq == "D" else "week"
    with pytest.raises(DataValidationError, match=rf"1 missing {unit} \({idx[4]}\)"):
        validate_series(gap)


def test_validate_series_rejects_quarterly_index():
    idx = pd.period_range("2023Q1", periods=3, freq="Q")
    with pytest.raises(DataValidationError, match=r"frequency 'Q-DEC', not 'M'"):
        validate_series(pd.Series([1, 2, 3], index=idx))


def test_validate_series_gap_message_lists_missing_months():
    s = _series([1, 2, 3, 4, 5])
    s = s.drop([pd.Period("2021-03", freq="M"), pd.Period("2021-04", freq="M")])
    with pytest.raises(
        DataValidationError,
        match=r"y: 2 missing months \(2021-03, 2021-04\); monthly series must be complete",
    ):
        validate_series(s, "y")


def test_validate_series_duplicate_month():
    s = pd.Series([1, 2, 3], index=["2021-01", "2021-02", "2021-02"])
    with pytest.raises(DataValidationError, match=r"1 duplicate month \(2021-02\)"):
        validate_series(s)


@pytest.mark.parametrize(
    ("series", "pattern"),
    [
        ([1, 2], "must be a pandas Series"),
        (pd.Series([], dtype=int), "is empty"),
        (pd.Series([1, 2], index=["2021", "2022"]), "is a year"),
        (pd.Series([1, 2], index=pd.DatetimeIndex(["2021-01-05", "2021-02-05"])), "is a day"),
        (_series([1, -1]), r"negative value \(2021-02: -1\)"),
        (_series([1.5, 1]), r"fractional value \(2021-01: 1.5\)"),
    ],
)
def test_validate_series_rejects(series, pattern):
    with pytest.raises(DataValidationError, match=pattern):
        validate_series(series)


# --- validate_panel ------------------------------------------------------------------------


def test_validate_panel_contract_and_no_mutation():
    raw = _panel().sample(frac=1.0, random_state=1)
    raw["month"] = raw["month"].astype(str)  # strings are coerced once
    before = raw.copy()
    out = validate_panel(raw)
    pd.testing.assert_frame_equal(raw, before)
    assert list(out.columns) == ["team", "month", "calls"]
    assert out["month"].dtype == pd.PeriodDtype("M")
    assert out["calls"].dtype == np.int64
    assert out["team"].tolist() == sorted(out["team"])
    assert out.attrs == {"kind": "real"}
    assert out.groupby("team")["month"].apply(lambda m: m.is_monotonic_increasing).all()


def test_validate_panel_keeps_optional_columns_in_order():
    raw = _panel().assign(exposure=30.0, kind="real")
    out = validate_panel(raw)
    assert list(out.columns) == [c for c in PANEL_COLUMNS if c in raw.columns]


def test_validate_panel_gap_names_team_and_months():
    raw = _panel()
    raw = raw[~((raw["team"] == "Limburg") & raw["month"].isin(
        [pd.Period("2021-03", "M"), pd.Period("2021-04", "M")]))]
    with pytest.raises(
        DataValidationError,
        match=r"team 'Limburg': 2 missing months \(2021-03, 2021-04\); monthly series must be "
        r"complete\. Add explicit zero rows if the line was open, or drop the team",
    ):
        validate_panel(raw)


def test_validate_panel_allows_different_ranges_per_team():
    a = _panel(("Antwerpen",), start="2020-01", n=30)
    b = _panel(("Limburg",), start="2021-06", n=5)
    out = validate_panel(pd.concat([a, b]))
    assert len(out) == 35


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        (lambda f: f.drop(columns="calls"), r"missing required column 'calls'"),
        (lambda f: f.assign(note="x"), r"unknown column 'note'"),
        (lambda f: f.assign(team=" "), r"unknown team ' '.*non-empty team names"),
        (lambda f: f.assign(team="Flanders"), r"'Flanders' is the sum of the teams"),
        (lambda f: pd.concat([f, f.iloc[[0]]]), r"duplicate team/month combination "
                                                r"\(Antwerpen 2021-01\)"),
        (lambda f: f.assign(calls=-1), r"negative values \(Antwerpen 2021-01: -1"),
        (lambda f: f.assign(month="2021"), r"is a year"),
        (lambda f: f.assign(exposure=0.0), r"'exposure' must hold finite numbers > 0"),
        (lambda f: f.assign(kind="synthetic"), r"column 'kind' says 'synthetic' but "
                                               r"attrs\['kind'\] says 'real'"),
        (lambda f: f.iloc[0:0], r"has no rows"),
    ],
)
def test_validate_panel_rejects(change, pattern):
    raw = change(_panel())
    raw.attrs = {"kind": "real"}
    with pytest.raises(DataValidationError, match=pattern):
        validate_panel(raw)


def test_validate_panel_rejects_bad_attrs_kind():
    raw = _panel()
    raw.attrs = {"kind": "made-up"}
    with pytest.raises(DataValidationError, match=r"frame.attrs\['kind'\] must be one of"):
        validate_panel(raw)


def test_validate_panel_channel_category_uniqueness():
    base = _panel(("Antwerpen",), n=2)
    frame = pd.concat([base.assign(channel="phone"), base.assign(channel="chat")])
    assert len(validate_panel(frame)) == 4
    with pytest.raises(DataValidationError, match=r"duplicate team/month/channel"):
        validate_panel(pd.concat([frame, frame.iloc[[0]]]))


# --- properties ----------------------------------------------------------------------------


@st.composite
def _monthly(draw, min_size=3):
    values = draw(st.lists(st.integers(0, 500), min_size=min_size, max_size=40))
    start = draw(st.integers(0, 120))
    return _series(values, start=str(pd.Period("2012-01", "M") + start))


@HYPOTHESIS
@given(_monthly(), st.data())
def test_property_series_with_gap_or_duplicate_is_rejected(series, data):
    assert validate_series(series).equals(series)
    pos = data.draw(st.integers(1, len(series) - 2))
    with pytest.raises(DataValidationError, match="missing month"):
        validate_series(series.drop(series.index[pos]))
    dup = pd.concat([series, series.iloc[[pos]]])
    with pytest.raises(DataValidationError, match="duplicate month"):
        validate_series(dup)


@HYPOTHESIS
@given(st.lists(st.sampled_from(TEAMS), min_size=1, max_size=5, unique=True), st.data())
def test_property_panel_with_gap_or_duplicate_is_rejected(teams, data):
    n = data.draw(st.integers(3, 24))
    frame = _panel(tuple(teams), n=n)
    assert len(validate_panel(frame)) == len(frame)
    team = data.draw(st.sampled_from(teams))
    k = data.draw(st.integers(1, n - 2))
    month = pd.Period("2021-01", "M") + k
    gap = frame[~((frame["team"] == team) & (frame["month"] == month))]
    with pytest.raises(DataValidationError, match=rf"team '{team}': 1 missing month"):
        validate_panel(gap)
    dup = pd.concat([frame, frame[(frame["team"] == team) & (frame["month"] == month)]])
    with pytest.raises(DataValidationError, match="duplicate team/month"):
        validate_panel(dup)


def test_validate_panel_accepts_any_team_names_unless_teams_are_given():
    frame = _panel(("Gent", "Brugge"), start="2021-01", n=3)
    assert sorted(set(validate_panel(frame)["team"])) == ["Brugge", "Gent"]
    with pytest.raises(DataValidationError, match=r"unknown teams 'Brugge', 'Gent'.*expected "
                       r"one of Antwerpen"):
        validate_panel(frame, teams=TEAMS)
    belgium = frame.assign(team="Belgium")
    belgium.attrs["total"] = "Belgium"
    with pytest.raises(DataValidationError, match=r"'Belgium' is the sum of the teams"):
        validate_panel(belgium)


# --- validate_covariates ---------------------------------------------------------------------

_PERIODS = pd.period_range("2020-01", periods=12, freq="M")


def test_validate_covariates_returns_a_float_copy_on_the_periods():
    frame = pd.DataFrame({"a": np.arange(14), "b": [True, False] * 7},
                         index=pd.period_range("2019-12", periods=14, freq="M"))
    out = validate_covariates(frame, _PERIODS)
    assert list(out.index) == list(_PERIODS)
    assert out.dtypes.tolist() == [np.float64, np.float64]
    assert out["a"].iloc[0] == 1.0
    assert frame["a"].dtype.kind == "i"  # the argument is not changed


def test_validate_covariates_reads_timestamps_as_their_months():
    frame = pd.Series(np.arange(12.0), index=pd.date_range("2020-01-01", periods=12, freq="MS"),
                      name="temp")
    out = validate_covariates(frame, _PERIODS)
    assert out.columns.tolist() == ["temp"]
    assert out["temp"].tolist() == list(np.arange(12.0))


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ([1, 2, 3], r"must be a pandas DataFrame .* got list"),
        (pd.DataFrame({"a": range(12)}), r"index must hold months .* got RangeIndex"),
        (pd.DataFrame({"a": range(13)},
                      index=_PERIODS.append(pd.PeriodIndex(["2020-03"], freq="M"))),
         r"1 duplicate month\(s\) \(2020-03\)"),
        (pd.DataFrame({"a": [1.0] * 11 + [np.nan]}, index=_PERIODS),
         r"column 'a': 1 month\(s\) without a finite value \(2020-12: nan\)"),
        (pd.DataFrame({"a": [1.0] * 10 + ["x", None]}, index=_PERIODS),
         r"column 'a' is not numeric \(2020-11: 'x', 2020-12: None\)"),
    ],
)
def test_validate_covariates_names_what_is_wrong(frame, message):
    with pytest.raises(DataValidationError, match=message):
        validate_covariates(frame, _PERIODS)
