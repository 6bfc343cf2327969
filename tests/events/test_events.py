"""Tests for :mod:`impact.events.registry`: loading, filtering, regressors, identifiability."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact._core.exceptions import DataValidationError, EventError, IdentifiabilityWarning
from impact.events import (
    Event,
    EventRegistry,
    IdentifiabilityReport,
    check_identifiability,
    event_regressor,
    load_events,
)

EVENTS_CSV = Path(__file__).resolve().parents[2] / "data" / "events" / "events.csv"

#: Exposures are ratios of small integers computed in float64: equal up to rounding.
EXACT_RTOL = 1e-12
#: Sums of geometric/linear daily profiles accumulate a little more rounding.
SUM_RTOL = 1e-9

MONTHS = pd.period_range("2023-07", "2023-11", freq="M")
HEADER = "id,name,kind,start_date,end_date,scope,expected_shape,source_url,note\n"


def _ev(shape: str, start: str = "2023-08-27", end: str | None = None, **kw: object) -> Event:
    return Event("X1", "test event", kw.pop("kind", "news"), start, end, shape=shape, **kw)


def _values(event: Event, index: pd.PeriodIndex, **kw: int) -> list[float]:
    return event_regressor(event, index, **kw).tolist()


def _f(num: int, den: int) -> float:
    return float(Fraction(num, den))


@pytest.fixture(scope="module")
def registry() -> EventRegistry:
    return load_events(EVENTS_CSV)


# ------------------------------------------------------------------------- loading


def test_load_real_file(registry: EventRegistry) -> None:
    assert len(registry) == 57
    pichal = registry["E048"]
    assert pichal.name == "Pichal case becomes public"
    assert pichal.kind == "news"
    assert pichal.start == pd.Timestamp("2023-08-27")
    assert pichal.shape == "pulse"
    assert pichal.end is None
    assert pichal.origin.endswith("line 49")
    godvergeten = registry["E049"]
    assert (godvergeten.shape, godvergeten.end) == ("bump", None)
    assert godvergeten.start == pd.Timestamp("2023-09-05")
    frame = registry.to_frame()
    assert list(frame.columns) == [
        "id",
        "name",
        "kind",
        "start",
        "end",
        "scope",
        "shape",
        "half_life",
        "source",
        "note",
        "name_nl",
    ]
    assert len(frame) == 57


def test_filter_by_kind_scope_and_dates(registry: EventRegistry) -> None:
    news = registry.filter(kinds=["news"])
    assert len(news) > 0 and all(e.kind == "news" for e in news)
    assert {"E048", "E049"} <= set(news.ids)
    limburg_only = [e for e in registry if e.scope == "Limburg"]
    assert len(registry.filter(scope="Limburg")) == len(registry)
    assert len(registry.filter(scope="Flanders")) == len(registry) - len(limburg_only)
    sept = registry.filter(start="2023-09-01", end="2023-09-30")
    assert set(sept.ids) == {"E049", "E050", "E051", "E052", "E053"}
    # E004 runs 1-31 Oct 2012 and is in force on 15 Oct 2012
    assert "E004" in registry.filter(start="2012-10-15", end="2012-10-15").ids
    with pytest.raises(EventError, match="unknown kind"):
        registry.filter(kinds=["rumour"])
    with pytest.raises(EventError, match="unknown event id"):
        registry.filter(ids=["E999"])


# ------------------------------------------------------------- exposure arithmetic


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        # step from 27 Aug 2023: 5/31 of August, 1 after
        (_ev("step"), [0, _f(5, 31), 1, 1, 1]),
        # step with end: 1 from start to end inclusive, 0 after
        (_ev("step", end="2023-09-10"), [0, _f(5, 31), _f(10, 30), 0, 0]),
        # pulse lasts one month from its start day: 27 Aug - 26 Sep
        (_ev("pulse"), [0, _f(5, 31), _f(26, 30), 0, 0]),
        # bump without end: default 28 days, 5 Sep - 2 Oct
        (_ev("bump", start="2023-09-05"), [0, 0, _f(26, 30), _f(2, 31), 0]),
        (_ev("bump", start="2023-09-05", end="2023-09-14"), [0, 0, _f(10, 30), 0, 0]),
        # ramp 1 Aug -> 31 Aug (30 days): mean of k/30 for k = 0..30 is (465/30)/31 = 1/2
        (_ev("ramp", start="2023-08-01", end="2023-08-31"), [0, _f(1, 2), 1, 1, 1]),
    ],
    ids=["step", "step-end", "pulse", "bump", "bump-end", "ramp"],
)
def test_monthly_exposure_is_exact(event: Event, expected: list[float]) -> None:
    got = _values(event, MONTHS)
    assert got == pytest.approx(expected, rel=EXACT_RTOL, abs=0)


def test_monthly_ramp_default_length() -> None:
    # default 90 days from 1 Jan 2023 -> 1 on 1 Apr; the value on day k is k/90
    idx = pd.period_range("2023-01", "2023-04", freq="M")
    got = _values(_ev("ramp", start="2023-01-01"), idx)
    jan = Fraction(sum(range(0, 31)), 90 * 31)
    feb = Fraction(sum(range(31, 59)), 90 * 28)
    mar = Fraction(sum(range(59, 90)), 90 * 31)
    assert got == pytest.approx([float(jan), float(feb), float(mar), 1.0], rel=EXACT_RTOL)


def test_monthly_decay_is_mean_of_daily_profile() -> None:
    idx = pd.period_range("2023-08", "2023-09", freq="M")
    got = _values(_ev("decay", half_life=10.0), idx)
    aug = sum(0.5 ** (k / 10) for k in range(5)) / 31
    sep = sum(0.5 ** (k / 10) for k in range(5, 35)) / 30
    assert got == pytest.approx([aug, sep], rel=SUM_RTOL)


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        # weeks (W-SUN) 21-27 Aug, 28 Aug-3 Sep, 4-10 Sep, 11-17 Sep; 27 Aug is a Sunday
        (_ev("step"), [_f(1, 7), 1, 1, 1]),
        (_ev("pulse"), [_f(1, 7), _f(6, 7), 0, 0]),
        (_ev("bump", start="2023-09-05"), [0, 0, _f(6, 7), 1]),
        (_ev("step", start="2023-08-30", end="2023-09-05"), [0, _f(5, 7), _f(2, 7), 0]),
        # ramp over 8 days: (0+1+...+6)/8/7 = 21/56, then (7/8 + 6)/7 = 55/56
        (_ev("ramp", start="2023-08-28", end="2023-09-05"), [0, _f(21, 56), _f(55, 56), 1]),
    ],
    ids=["step", "pulse", "bump", "step-end", "ramp"],
)
def test_weekly_exposure_is_exact(event: Event, expected: list[float]) -> None:
    weeks = pd.period_range("2023-08-21", "2023-09-17", freq="W-SUN")
    assert len(weeks) == 4
    assert _values(event, weeks) == pytest.approx(expected, rel=EXACT_RTOL, abs=0)


def test_weekly_index_with_other_anchor() -> None:
    # W-WED weeks run Thursday-Wednesday: 24-30 Aug, 31 Aug-6 Sep
    weeks = pd.period_range("2023-08-24", periods=2, freq="W-WED")
    assert _values(_ev("step"), weeks) == pytest.approx([_f(4, 7), 1.0], rel=EXACT_RTOL)


def test_daily_exposure() -> None:
    days = pd.period_range("2023-08-25", "2023-08-30", freq="D")
    assert _values(_ev("pulse"), days) == [0, 0, 1, 0, 0, 0]
    assert _values(_ev("step"), days) == [0, 0, 1, 1, 1, 1]
    assert _values(_ev("bump", end="2023-08-28"), days) == [0, 0, 1, 1, 0, 0]
    assert _values(_ev("bump"), days, default_bump_days=3) == [0, 0, 1, 1, 1, 0]
    ramp = _values(_ev("ramp", end="2023-08-29"), days)
    assert ramp == pytest.approx([0, 0, 0, 0.5, 1, 1], rel=EXACT_RTOL, abs=0)


@pytest.mark.parametrize("half_life", [None, 7.0, 30.0])
def test_decay_halves_after_half_life_days(half_life: float | None) -> None:
    days = pd.period_range("2023-08-20", "2023-12-31", freq="D")
    reg = event_regressor(_ev("decay", half_life=half_life), days, default_half_life_days=30)
    h = int(half_life or 30)
    start = pd.Period("2023-08-27", freq="D")
    assert reg[start - 1] == 0.0
    assert reg[start] == pytest.approx(1.0, rel=EXACT_RTOL)
    assert reg[start + h] == pytest.approx(0.5, rel=EXACT_RTOL)
    assert reg[start + 2 * h] == pytest.approx(0.25, rel=EXACT_RTOL)
    assert reg[start + 10 + h] == pytest.approx(reg[start + 10] / 2, rel=EXACT_RTOL)


@pytest.mark.parametrize(
    "event",
    [
        _ev("step"),
        _ev("step", end="2023-10-03"),
        _ev("bump", start="2023-09-05"),
        _ev("decay", half_life=12.5),
        _ev("ramp", start="2023-08-10"),
    ],
    ids=["step", "step-end", "bump", "decay", "ramp"],
)
def test_monthly_is_mean_of_daily(event: Event) -> None:
    months = pd.period_range("2023-06", "2024-03", freq="M")
    days = pd.period_range("2023-06-01", "2024-03-31", freq="D")
    daily = event_regressor(event, days)
    by_month = daily.groupby(days.asfreq("M")).mean()
    monthly = event_regressor(event, months)
    np.testing.assert_allclose(monthly.to_numpy(), by_month.to_numpy(), rtol=SUM_RTOL)


def test_regressor_on_long_daily_index_is_fast_and_complete() -> None:
    days = pd.period_range("1995-01-01", "2024-12-31", freq="D")
    reg = event_regressor(_ev("step"), days)
    assert reg.index is days
    assert reg.dtype == np.float64
    assert reg.name == "X1"
    assert reg.sum() == (pd.Timestamp("2024-12-31") - pd.Timestamp("2023-08-27")).days + 1


def test_to_regressors_frame(registry: EventRegistry) -> None:
    sub = registry.filter(ids=["E047", "E048", "E049", "E054"])
    months = pd.period_range("2023-01", "2024-06", freq="M")
    frame = sub.to_regressors(months, shape_overrides={"E054": "bump", "E999": "step"})
    assert list(frame.columns) == ["E047", "E048", "E049", "E054"]
    assert frame.index.equals(months)
    assert (frame.dtypes == np.float64).all()
    assert frame.loc[pd.Period("2023-08", "M"), "E048"] == pytest.approx(_f(5, 31))
    # E054 runs 15 Oct 2023 - 31 Mar 2024
    assert frame.loc[pd.Period("2023-10", "M"), "E054"] == pytest.approx(_f(17, 31))
    assert frame.loc[pd.Period("2024-04", "M"), "E054"] == 0.0
    assert sub["E054"].shape == "unknown"  # the registry itself is unchanged


# ------------------------------------------------------------------ identifiability


def test_pichal_and_godvergeten_flagged_at_monthly(registry: EventRegistry) -> None:
    sub = registry.filter(ids=["E048", "E049"])
    months = pd.period_range("2019-01", "2024-12", freq="M")
    report = check_identifiability(sub, months)
    assert isinstance(report, IdentifiabilityReport)
    assert not report.is_identifiable
    assert report.groups == (("E048", "E049"),)
    (message,) = report.messages
    for part in (
        "E048 (Pichal case becomes public, 2023-08-27)",
        "E049 (",
        "2023-09-05",
        "monthly resolution",
        "regressor correlation 0.98",
        "'E048+E049'",
        "With weekly or daily counts they can be separated.",
    ):
        assert part in message
    frame = report.to_frame()
    assert list(frame.columns) == [
        "event",
        "status",
        "merged_into",
        "is_dependent",
        "max_abs_correlation",
        "most_correlated_with",
        "resolution",
    ]
    assert frame["status"].tolist() == ["merged", "merged"]
    assert frame["merged_into"].tolist() == ["E048+E049", "E048+E049"]
    assert frame["max_abs_correlation"].gt(0.9).all()


@pytest.mark.parametrize("freq", ["D", "W-SUN"])
def test_pichal_and_godvergeten_separate_at_finer_resolution(
    registry: EventRegistry, freq: str
) -> None:
    sub = registry.filter(ids=["E048", "E049"])
    index = pd.period_range("2019-01-01", "2024-12-31", freq=freq)
    report = check_identifiability(sub, index)
    assert report.is_identifiable
    assert report.groups == () and report.merged == () and report.messages == ()
    assert report.to_frame()["status"].tolist() == ["ok", "ok"]


def test_merged_event_window_and_fields(registry: EventRegistry) -> None:
    sub = registry.filter(ids=["E048", "E049"])
    months = pd.period_range("2019-01", "2024-12", freq="M")
    (merged,) = check_identifiability(sub, months).merged
    assert merged.id == "E048+E049"
    assert merged.name == f"{sub['E048'].name} + {sub['E049'].name}"
    assert merged.kind == "news"
    assert merged.shape == "bump"
    # pulse 27 Aug - 26 Sep (one month) and bump 5 Sep - 2 Oct (28 days)
    assert merged.start == pd.Timestamp("2023-08-27")
    assert merged.end == pd.Timestamp("2023-10-02")
    assert sub["E048"].source in merged.source and sub["E049"].source in merged.source
    assert "E048" in merged.note and "E049" in merged.note
    # the merged regressor covers the union of the members' windows
    days = pd.period_range("2023-08-01", "2023-10-31", freq="D")
    pulse_month = Event("P", "pulse as a month", "news", "2023-08-27", "2023-09-26", shape="bump")
    members = EventRegistry([pulse_month, sub["E049"]]).to_regressors(days)
    union = members.max(axis=1)
    np.testing.assert_array_equal(event_regressor(merged, days).to_numpy(), union.to_numpy())
    monthly = event_regressor(merged, months)
    assert monthly[pd.Period("2023-08", "M")] == pytest.approx(_f(5, 31))
    assert monthly[pd.Period("2023-09", "M")] == 1.0
    assert monthly[pd.Period("2023-10", "M")] == pytest.approx(_f(2, 31))


def test_merge_unidentifiable_replaces_group(registry: EventRegistry) -> None:
    sub = registry.filter(ids=["E046", "E048", "E049", "E053"])
    months = pd.period_range("2019-01", "2024-12", freq="M")
    with pytest.warns(IdentifiabilityWarning, match="E048 .* E049"):
        merged, report = sub.merge_unidentifiable(months)
    assert merged.ids == ("E046", "E048+E049", "E053")
    assert merged["E048+E049"] == report.merged[0]
    assert merged["E046"] == sub["E046"]
    frame = merged.to_regressors(months)
    assert list(frame.columns) == ["E046", "E048+E049", "E053"]
    again, report2 = merged.merge_unidentifiable(months)
    assert report2.groups == () and again.ids == merged.ids
    days = pd.period_range("2019-01-01", "2024-12-31", freq="D")
    same, report3 = sub.merge_unidentifiable(days)
    assert same.ids == sub.ids and report3.groups == ()


def test_merge_of_mixed_kinds_and_permanent_member() -> None:
    news = Event("N1", "news item", "news", "2022-03-10", shape="pulse")
    campaign = Event("C1", "campaign", "campaign", "2022-03-14", shape="step")
    months = pd.period_range("2021-01", "2023-12", freq="M")
    # a pulse and a step are not collinear over three years: check a short index
    short = pd.period_range("2022-01", "2022-04", freq="M")
    report = check_identifiability([news, campaign], short, threshold=0.5)
    assert report.groups == (("N1", "C1"),)
    (joint,) = report.merged
    assert joint.kind == "news"
    assert joint.shape == "step" and joint.end is None
    assert joint.start == pd.Timestamp("2022-03-10")
    assert check_identifiability([news, campaign], months).groups == ()


def test_merge_mentions_baseline_terms() -> None:
    capacity = Event("K1", "longer opening hours", "capacity", "2023-09-15", shape="step")
    news = Event("N1", "documentary", "news", "2023-09-12", shape="step")
    months = pd.period_range("2020-01", "2024-12", freq="M")
    report = check_identifiability([capacity, news], months)
    assert report.groups == (("N1", "K1"),)
    assert report.merged[0].kind == "news"
    assert "capacity change K1" in report.messages[0]
    assert "capacity K1" in report.merged[0].note


def test_no_exposure_and_constant_are_reported_not_merged() -> None:
    outside = Event("OUT", "after the data", "campaign", "2030-01-01", shape="bump")
    always = Event("ALL", "before the data", "capacity", "2010-01-01", shape="step")
    fine = Event("OK", "in the data", "news", "2021-06-10", shape="bump")
    months = pd.period_range("2019-01", "2024-12", freq="M")
    report = check_identifiability([outside, always, fine], months)
    assert report.no_exposure == ("OUT",)
    assert report.constant == ("ALL",)
    assert report.groups == ()
    assert not report.is_identifiable
    assert any("OUT" in m and "no exposure" in m and "starts after" in m for m in report.messages)
    assert any("ALL" in m and "whole data" in m for m in report.messages)
    status = dict(report.to_frame()[["event", "status"]].itertuples(index=False))
    assert status == {"OUT": "no_exposure", "ALL": "constant", "OK": "ok"}


def test_linear_combination_is_flagged() -> None:
    # A = B + C exactly, but no pair reaches the threshold
    a = Event("A", "step 2020", "policy", "2020-01-01", shape="step")
    b = Event("B", "year 2020", "campaign", "2020-01-01", "2020-12-31", shape="bump")
    c = Event("C", "step 2021", "policy", "2021-01-01", shape="step")
    months = pd.period_range("2016-01", "2024-12", freq="M")
    corr = EventRegistry([a, b, c]).to_regressors(months).corr().abs().to_numpy()
    assert corr[np.triu_indices(3, k=1)].max() < 0.9
    report = check_identifiability([a, b, c], months)
    assert report.groups == ()
    assert report.dependent == (("A", "B", "C"),)
    assert not report.is_identifiable
    assert "linearly dependent" in report.messages[0]
    assert report.to_frame()["is_dependent"].all()


def test_identifiable_events_give_empty_report(registry: EventRegistry) -> None:
    sub = registry.filter(ids=["E044", "E046", "E049"])
    months = pd.period_range("2019-01", "2024-12", freq="M")
    report = check_identifiability(sub, months)
    assert report.is_identifiable
    assert "can be told apart" in str(report)
    assert report.to_frame()["status"].eq("ok").all()


def test_report_is_frozen() -> None:
    report = check_identifiability([], pd.period_range("2023-01", periods=3, freq="M"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.groups = ()  # type: ignore[misc]


# --------------------------------------------------------------------- bad inputs


def _write(tmp_path: Path, rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


GOOD_ROW = "E001,launch,policy,2012-03-12,,Flanders,step,http://x,\n"


@pytest.mark.parametrize(
    ("row", "pattern"),
    [
        ("E002,rumour,gossip,2013-01-01,,Flanders,step,,\n", r"line 3: event 'E002': unknown kind"),
        ("E002,odd,news,2013-01-01,,Flanders,wave,,\n", r"line 3: event 'E002': unknown shape"),
        (
            "E002,backwards,news,2013-02-01,2013-01-01,Flanders,bump,,\n",
            r"line 3: event 'E002': end 2013-01-01 is before start 2013-02-01",
        ),
        ("E002,bad date,news,2013-13-45,,Flanders,bump,,\n", r"line 3: event 'E002': start"),
        ("E001,again,news,2013-01-01,,Flanders,bump,,\n", r"line 3: duplicate event id 'E001'"),
    ],
    ids=["kind", "shape", "end-before-start", "bad-date", "duplicate"],
)
def test_bad_rows_name_event_and_line(tmp_path: Path, row: str, pattern: str) -> None:
    path = _write(tmp_path, GOOD_ROW + row)
    with pytest.raises(EventError, match=pattern):
        load_events(path)


def test_duplicate_message_names_both_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_ROW + GOOD_ROW.replace("E001", "E002") + GOOD_ROW)
    with pytest.raises(EventError, match=r"line 4: duplicate event id 'E001' \(first on line 2\)"):
        load_events(path)


def test_missing_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "E001,launch,2012-03-12\n", header="id,name,start_date\n")
    with pytest.raises(EventError, match="missing column.*kind"):
        load_events(path)


def test_bad_half_life_names_line(tmp_path: Path) -> None:
    header = "id,name,kind,start_date,expected_shape,half_life\n"
    path = _write(tmp_path, "E001,x,news,2012-03-12,decay,soon\n", header=header)
    with pytest.raises(EventError, match=r"line 2: event 'E001': half_life 'soon'"):
        load_events(path)


def test_unknown_shape_at_regressor_time(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_ROW + "E002,vague,news,2013-01-01,,Flanders,,,\n")
    reg = load_events(path)
    months = pd.period_range("2012-01", "2014-12", freq="M")
    with pytest.raises(EventError, match=r"event 'E002' \(.*line 3\).*shape is 'unknown'"):
        event_regressor(reg["E002"], months)
    with pytest.raises(EventError, match=r"E002.*line 3.*shape_overrides"):
        reg.to_regressors(months)
    with pytest.raises(EventError, match="shape_overrides"):
        check_identifiability(reg, months)
    frame = reg.to_regressors(months, shape_overrides={"E002": "pulse"})
    assert frame["E002"].sum() == 1.0
    fixed = event_regressor(reg["E002"].with_shape("decay", half_life=5), months)
    assert fixed.max() > 0


def test_unknown_shapes_in_real_file_are_listed(registry: EventRegistry) -> None:
    months = pd.period_range("2012-01", "2024-12", freq="M")
    with pytest.raises(EventError, match=r"16 events have shape 'unknown'.*E054.*line 55"):
        registry.to_regressors(months)


def test_bad_arguments() -> None:
    months = pd.period_range("2023-01", periods=12, freq="M")
    ev = _ev("step")
    with pytest.raises(DataValidationError, match="PeriodIndex.*to_period"):
        event_regressor(ev, pd.date_range("2023-01-01", periods=3))  # type: ignore[arg-type]
    with pytest.raises(DataValidationError, match="frequency 'h'"):
        event_regressor(ev, pd.period_range("2023-01-01", periods=3, freq="h"))
    with pytest.raises(EventError, match="default_bump_days"):
        event_regressor(ev, months, default_bump_days=0)
    with pytest.raises(EventError, match="shape_overrides\\['X1'\\] is 'unknown'"):
        EventRegistry([ev]).to_regressors(months, shape_overrides={"X1": "unknown"})
    with pytest.raises(EventError, match="threshold"):
        check_identifiability([ev], months, threshold=1.5)
    with pytest.raises(EventError, match="duplicate event id 'X1'"):
        EventRegistry([ev, ev])


# ------------------------------------------------------------------------ property


@settings(derandomize=True, max_examples=30, deadline=None)
@given(
    start=st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2026, 12, 31)),
    first=st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2025, 12, 31)),
    n_months=st.integers(min_value=1, max_value=48),
)
def test_step_regressor_properties(start: dt.date, first: dt.date, n_months: int) -> None:
    event = Event("S", "step", "campaign", start, shape="step")
    months = pd.period_range(pd.Period(first, freq="M"), periods=n_months, freq="M")
    monthly = event_regressor(event, months).to_numpy()
    assert ((monthly >= 0) & (monthly <= 1)).all()
    assert (np.diff(monthly) >= 0).all()
    days = pd.period_range(months[0].start_time, months[-1].end_time, freq="D")
    daily = event_regressor(event, days)
    sums = daily.groupby(days.asfreq("M")).sum().to_numpy()
    np.testing.assert_allclose(sums, monthly * months.days_in_month, rtol=EXACT_RTOL)
