"""Opening-hours schedules: reading with located errors, hours per period, and the
exposure that keeps a change of opening hours from looking like an effect."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineSpec, exposure_for, fit_baseline
from impact.baselines.opening_hours import (
    OpeningHours,
    default_opening_hours,
    read_opening_hours,
)

HEADER = "channel,start,end,weekdays,hours,public_holidays,source,note\n"


def _write(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "hours.csv"
    path.write_text(header + body)
    return path


def test_default_1712_schedule_chat_on_fridays_from_e053():
    sched = default_opening_hours()
    assert sched.channels == ("chat", "phone")
    days = pd.period_range("2023-09-07", "2023-09-17", freq="D")
    daily = sched.daily(days[0].start_time, days[-1].end_time)
    assert daily.loc["2023-09-08", "chat"] == 0  # a Friday before 15 Sep 2023
    assert daily.loc["2023-09-15", "chat"] == 9  # the first chat Friday (E053)
    assert daily.loc["2023-09-14", "chat"] == 9
    assert daily.loc["2023-09-16"].sum() == 0  # Saturday: closed
    assert daily["phone"].loc["2023-09-11"] == 9
    assert sched.select("phone").hours(days).loc[pd.Period("2023-09-15", "D")] == 9
    # public holidays closed, and every rule names its source
    assert sched.daily("2023-07-21", "2023-07-21").to_numpy().sum() == 0
    assert sched.rules["source"].str.match(r"^[EF]\d+").all()
    table = sched.rules_table()
    assert table.loc[table["source"] == "F160;E053", "weekdays"].iloc[0] == "mon,tue,wed,thu,fri"


def test_hours_per_month_are_the_sums_of_the_days():
    sched = default_opening_hours()
    days = pd.period_range("2021-01-01", "2023-12-31", freq="D")
    months = pd.period_range("2021-01", "2023-12", freq="M")
    by_day = sched.hours(days)
    by_month = sched.hours(months)
    assert by_month.sum() == by_day.sum()
    assert by_month.loc[pd.Period("2022-03", "M")] == by_day.loc["2022-03-01":"2022-03-31"].sum()
    np.testing.assert_array_equal(exposure_for(months, "opening_hours", None), by_month)


def test_read_opening_hours_and_select(tmp_path):
    path = _write(tmp_path, "phone,2020-01-01,,mon-fri,8,,S1,\nchat,2020-01-01,2020-12-31,"
                            "tue,thu,2,open,S2,assumed\n".replace("tue,thu", '"tue,thu"'))
    sched = read_opening_hours(path)
    assert isinstance(sched, OpeningHours) and sched.channels == ("chat", "phone")
    week = pd.period_range("2020-01-06", periods=1, freq="W-SUN")
    assert sched.hours(week).iloc[0] == 5 * 8 + 2 * 2
    assert sched.select("chat").hours(week).iloc[0] == 4
    with pytest.raises(DataValidationError, match="'mail'"):
        sched.select("mail")


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("phone,2020-13-01,,mon-fri,8,,S1,\n", r"line 2, column 'start'"),
        ("phone,2020-01-01,2019-01-01,mon-fri,8,,S1,\n", r"line 2, column 'end'"),
        ("phone,2020-01-01,,monday,8,,S1,\n", r"line 2, column 'weekdays'"),
        ("phone,2020-01-01,,fri-mon,8,,S1,\n", r"line 2, column 'weekdays'"),
        ("phone,2020-01-01,,mon-fri,0,,S1,\n", r"line 2, column 'hours'"),
        ("phone,2020-01-01,,mon-fri,25,,S1,\n", r"line 2, column 'hours'"),
        ("phone,2020-01-01,,mon-fri,8,sometimes,S1,\n", r"column 'public_holidays'"),
        ("phone,2020-01-01,,mon-fri,8,,,\n", r"line 2, column 'source'"),
        ("phone,2020-01-01,,mon-fri,8,,S1,\nphone,2020-06-01,,fri,4,,S2,\n",
         r"lines 2 and 3: two 'phone' rules cover the same days"),
    ],
)
def test_read_opening_hours_errors_are_located(tmp_path, body, match):
    with pytest.raises(DataValidationError, match=match):
        read_opening_hours(_write(tmp_path, body))


def test_read_opening_hours_missing_column_and_wrong_exposure(tmp_path):
    with pytest.raises(DataValidationError, match="missing column"):
        read_opening_hours(_write(tmp_path, "phone,2020-01-01,mon-fri,8\n",
                                  header="channel,start,weekdays,hours\n"))
    idx = pd.period_range("2020-01", periods=3, freq="M")
    with pytest.raises(DataValidationError, match="needs an opening-hours schedule"):
        exposure_for(idx, "opening_hours", pd.Series(1.0, index=idx))
    with pytest.raises(DataValidationError, match="exposure='opening_hours'"):
        exposure_for(idx, "column", default_opening_hours())


def _calls_proportional_to_hours(seed: int) -> pd.Series:
    """Daily calls = demand per open hour x open hours of the 1712 schedule (phone and
    chat), NB noise; demand has a day-of-week pattern but no change at all on 15 Sep 2023,
    when the chat opened on Fridays too (E053)."""
    rng = np.random.default_rng(seed)
    idx = pd.period_range("2021-09-01", "2023-11-30", freq="D")
    hours = default_opening_hours().hours(idx).to_numpy()
    wd = np.asarray(idx.start_time.day_of_week)
    per_hour = 2.0 * np.where(wd == 0, 1.3, 1.0)  # Mondays busier
    mu = per_hour * hours
    y = np.where(mu > 0, rng.negative_binomial(20, 20 / (20 + np.maximum(mu, 1e-9))), 0)
    return pd.Series(y, index=idx, name="calls")


def test_opening_hours_change_without_demand_change_gives_no_effect():
    series = _calls_proportional_to_hours(seed=7)
    post = series.index >= pd.Period("2023-09-15", "D")
    fridays = post & (np.asarray(series.index.start_time.day_of_week) == 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with_hours = fit_baseline(series, BaselineSpec(exposure="opening_hours"), exclude=post)
    assert not caught  # weekends without open hours are closed, not dropped terms
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        without = fit_baseline(series, BaselineSpec(), exclude=post)
    periods = series.index[fridays]
    observed = series[fridays].sum()
    paths = with_hours.simulate(periods, n_paths=2000, seed=1).sum(axis=1)
    lo, hi = np.quantile(paths, [0.025, 0.975])
    assert lo <= observed <= hi  # no spurious effect on the new chat Fridays
    assert abs(with_hours.mean(periods).sum() / observed - 1) < 0.06
    # without the exposure the new chat hours look like a jump of about +100% on Fridays
    naive = without.simulate(periods, n_paths=2000, seed=1).sum(axis=1)
    assert observed > np.quantile(naive, 0.975)
    assert observed / without.mean(periods).sum() > 1.6
    assert "opening-hours schedule" in with_hours.method
