"""Calibrated synthetic demo panel of 1712 calls per team and month.

**SYNTHETIC — NOT REAL 1712 DATA.** No real monthly per-team series of helpline 1712 is
public (DESIGN.md section 3). This module generates a clearly labelled stand-in: a
5 teams x 132 months panel (2013-01 to 2023-12) whose Flanders annual totals equal the
published ones exactly, whose team shares follow province population (West-Vlaanderen:
its published totals), and which carries known, recorded effects of dated events. It is
a test bed for the estimators, never evidence about the real helpline.

How it is built (every number is stated in :attr:`SyntheticPanel.assumptions`):

1. A daily expected rate for Flanders on a calendar grid: contacts are registered on
   working days only (Monday to Friday, no Belgian public holidays), with a stated
   day-of-week pattern and a stated month-of-year seasonality (lower in July-August and in
   the Christmas holidays, higher in spring and autumn).
2. A smooth level curve (linear between mid-year knots) times capacity steps from the
   event registry times ``1 + injected event effects`` gives the expected *demand*. From
   the first lockdown to the end of August 2020 the answered calls are capped,
   ``min(demand, cap)`` per working day, the cap set so that half the demand in that
   window is answered.
3. The knots, the event amplitudes, the COVID peak and the cap are solved jointly so that
   the expected Flanders totals equal the published annual totals and the expected calls
   reproduce the published short-window comparisons (10-27 Feb 2020: +76%; the three weeks
   after the Pichal case: +31%).
4. Team-month expectations (Flanders x team share) get negative-binomial noise; a
   largest-remainder integer allocation then makes every year's Flanders total, and
   West-Vlaanderen's published totals, exact.

The true injected effects are recorded per team and month (:attr:`SyntheticPanel.truth`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_SEED, FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError
from impact._core.paths import data_dir
from impact._core.provenance import SYNTHETIC_LABEL

__all__ = [
    "SYNTHETIC_FILES",
    "SYNTHETIC_KIND",
    "SyntheticPanel",
    "build_synthetic_panel",
    "write_synthetic_panel",
]

#: Data-kind label carried by every synthetic output (DESIGN.md section 3).
SYNTHETIC_KIND: str = "synthetic"

#: File names written by :func:`write_synthetic_panel`, in write order.
SYNTHETIC_FILES: tuple[str, ...] = (
    "SYNTHETIC_calls_team_month.csv",
    "SYNTHETIC_true_effects.csv",
    "SYNTHETIC_annual_totals.csv",
    "README.md",
)

_FIRST_MONTH = pd.Period("2013-01", freq="M")
_LAST_MONTH = pd.Period("2023-12", freq="M")
_YEARS = tuple(range(_FIRST_MONTH.year, _LAST_MONTH.year + 1))
_DECIMALS = 4

# --- published calibration targets (data/published/published_figures.csv) -------------

#: Flanders annual totals: year -> (calls, source id or derivation).
_FLANDERS_TOTALS: dict[int, tuple[int, str]] = {
    2013: (3248, "F013"),
    2014: (4676, "F017"),
    2015: (4707, "F018"),
    2016: (4596, "F019"),
    2017: (round(5126 / 1.06), "derived: F022 / 1.06 (F024: +6% vs 2017); not published"),
    2018: (5126, "F022"),
    2019: (5409, "F036"),
    2020: (8059, "F070"),
    2021: (8515, "F087"),
    2022: (9045, "F110"),
    2023: (9424, "F201"),
}
_WV = "West-Vlaanderen"
#: West-Vlaanderen's published annual totals: year -> (calls, source id).
_WV_TOTALS: dict[int, tuple[int, str]] = {
    2019: (992, "F137"),
    2020: (1467, "F138"),
    2022: (1575, "F139 (approx.)"),
}

#: Residents on 1 Jan 2023 (see the assumptions text for sources and precision).
_POPULATION: dict[str, int] = {
    "Antwerpen": 1_910_000,
    "Limburg": 890_000,
    "Oost-Vlaanderen": 1_560_000,
    "Vlaams-Brabant": 1_190_000,
    "West-Vlaanderen": 1_219_142,
}
_FLEMISH_REGION_2023 = 6_774_807
_BRUSSELS_2023 = 1_240_000

# --- stated assumptions (not published) --------------------------------------------------

#: Month-of-year factors (Jan..Dec) on the daily rate, normalised to mean 1 when used.
_MONTH_FACTORS = (1.00, 1.05, 1.08, 0.97, 1.05, 1.00, 0.82, 0.85, 1.05, 1.10, 1.08, 0.95)
#: Extra factor on working days 24-31 December (Christmas holidays).
_XMAS_FACTOR = 0.70
#: Day-of-week factors Monday..Friday (mean 1); weekends and public holidays are closed.
_DOW_FACTORS = (1.20, 1.05, 1.00, 0.95, 0.80)
#: Negative-binomial size k (variance = mu + mu**2 / k) of team-month counts.
_NB_SIZE = 50.0

#: Capacity steps: (event id, first day, relative level shift in handled contacts, what).
_CAPACITY_STEPS: tuple[tuple[str, str, float, str], ...] = (
    ("E008", "2014-03-31", 0.15, "e-mail channel opened"),
    ("E011", "2019-01-01", 0.05, "chat Tue-Thu 17-19"),
    ("E021", "2020-04-07", 0.20, "COVID response: extended chat/phone hours"),
    ("E033", "2021-01-01", 0.10, "extra subsidy, capacity doubled at peak moments"),
    ("E038", "2021-09-01", 0.08, "chat until 22:00, more lines"),
    ("E053", "2023-09-15", 0.03, "chat on Fridays too"),
)
#: Capacity shortfall (E023, Apr-Aug 2020; extended back to the lockdown start E020).
_CAP_EVENT = "E023"
_CAP_WINDOW = ("2020-03-18", "2020-08-31")
_ANSWERED_SHARE = 0.5

#: 'Als je eens wist' S1 (E016; episodes 2-3 = E017, E018, presumed dates).
_E016_EPISODES = ("2020-02-11", "2020-02-18", "2020-02-25")
_E016_HALF_LIFE = 5.0
_E016_END = "2020-03-31"
#: Target: calls 10-27 Feb 2020 / 10-27 Feb 2019 = 429 / 244 (F055, F056).
_E016_TARGET = (429 / 244, ("2020-02-10", "2020-02-27"), ("2019-02-10", "2019-02-27"))

#: COVID first lockdown (E019 schools closed 14 Mar; E020 lockdown 18 Mar - 3 May 2020).
_COVID_ID = "E019+E020"
_COVID_RAMP = ("2020-03-14", "2020-04-15")
_COVID_PLATEAU_END = "2020-05-03"
_COVID_HALF_LIFE = 35.0
_COVID_END = "2020-12-31"

#: Pichal case public (E048, Sun 27 Aug 2023): response from Mon 28 Aug.
_E048_START = "2023-08-28"
_E048_WEIGHT = 1.0
_E048_HALF_LIFE = 7.0
_E048_END = "2023-10-31"
#: Godvergeten (E049; episodes 2-4 = E050-E052, presumed dates): pulses plus a tail.
_E049_EPISODES = ("2023-09-05", "2023-09-12", "2023-09-19", "2023-09-26")
_E049_WEIGHT = 0.6
_E049_HALF_LIFE = 7.0
_E049_TAIL = ("2023-09-06", 0.25, 90.0)  # start, weight, half-life in days
_E049_END = "2023-12-31"
#: Target: calls 28 Aug-17 Sep 2023 / the same weekdays of 2022 = 1.31 (F143, F144, F218).
_E2023_TARGET = (1.31, ("2023-08-28", "2023-09-17"), ("2022-08-29", "2022-09-18"))

#: Truth rows: event label -> (kind, first month, last month, switched-off components).
_TRUTH_EVENTS: dict[str, tuple[str, str, str, frozenset[str]]] = {
    **{
        eid: ("capacity", start[:7], str(_LAST_MONTH), frozenset({eid}))
        for eid, start, _, _ in _CAPACITY_STEPS
    },
    _CAP_EVENT: ("capacity", _CAP_WINDOW[0][:7], _CAP_WINDOW[1][:7], frozenset({_CAP_EVENT})),
    "E016": ("news", "2020-02", "2020-03", frozenset({"E016"})),
    _COVID_ID: ("pandemic", "2020-03", "2020-12", frozenset({_COVID_ID})),
    "E048": ("news", "2023-08", "2023-10", frozenset({"E048"})),
    "E049": ("news", "2023-09", "2023-12", frozenset({"E049"})),
    "E048+E049": ("news", "2023-08", "2023-12", frozenset({"E048", "E049"})),
}

_MAX_ITER = 500
_TOL = 1e-12


@dataclasses.dataclass(frozen=True, eq=False)
class SyntheticPanel:
    """A generated, calibrated demo panel. SYNTHETIC — NOT REAL 1712 DATA.

    Attributes
    ----------
    calls : pandas.DataFrame
        Canonical long frame: ``team`` (str), ``month`` (``Period[M]``), ``calls``
        (int64), ``kind`` (``"synthetic"``); one row per team-month, sorted by team and
        month; ``calls.attrs["kind"] == "synthetic"``.
    truth : pandas.DataFrame
        True injected effects: ``team``, ``month``, ``event`` (``"E016"``, ``"E048"``,
        ``"E048+E049"``, ...), ``event_kind``, ``expected_without``, ``expected_with``,
        ``true_excess`` (``expected_with - expected_without``), ``kind``. Each row
        switches off only the named event(s) and holds everything else fixed, so rows of
        different events do not add up. ``E023`` rows compare answered calls with the
        2020 capacity cap (``expected_with``) and without it (``expected_without``, the
        demand): their excess is negative.
    expected : pandas.DataFrame
        Diagnostics per team-month: ``team``, ``month``, ``working_days``,
        ``expected_demand``, ``expected_calls`` (answered), ``kind``.
    annual_totals : pandas.DataFrame
        Per year for ``Flanders`` and every team: ``year``, ``team``, ``calls`` (the
        panel's annual sum), ``target`` (the imposed published or derived total; NA where
        none was imposed), ``annual_total_source`` (published id, ``"derived: ..."`` or
        ``"none: ..."``), ``kind``.
    calibration : pandas.DataFrame
        Published facts next to the synthetic values: ``check``, ``published``,
        ``source``, ``synthetic_expected``, ``synthetic_observed`` (NaN where the monthly
        panel cannot show the quantity), ``note``. Always computed on the full panel.
    assumptions : str
        Markdown stating every assumption, parameter and source.
    seed : int
        Seed of the negative-binomial draws.
    """

    calls: pd.DataFrame
    truth: pd.DataFrame
    expected: pd.DataFrame
    annual_totals: pd.DataFrame
    calibration: pd.DataFrame
    assumptions: str
    seed: int

    @property
    def kind(self) -> str:
        """Data kind of every output: always ``"synthetic"``."""
        return SYNTHETIC_KIND


# --- calendar and daily shapes -------------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class _Calendar:
    days: pd.DatetimeIndex
    open_day: np.ndarray  # working day: Mon-Fri and not a Belgian public holiday
    pattern: np.ndarray  # open x day-of-week x month-of-year x Christmas factor
    month_code: np.ndarray  # 0 .. n_months - 1
    year_code: np.ndarray  # 0 .. n_years - 1
    months: pd.PeriodIndex
    knot_pos: np.ndarray  # day index of 2 July of every year

    def index(self, day: str) -> int:
        return int((pd.Timestamp(day) - self.days[0]).days)

    def mask(self, first: str, last: str) -> np.ndarray:
        return np.asarray((self.days >= pd.Timestamp(first)) & (self.days <= pd.Timestamp(last)))


def _calendar() -> _Calendar:
    days = pd.date_range(_FIRST_MONTH.start_time, _LAST_MONTH.end_time.normalize(), freq="D")
    public = holidays.Belgium(years=_YEARS)
    is_holiday = np.array([d.date() in public for d in days], dtype=bool)
    dow = days.day_of_week.to_numpy()
    open_day = (dow < 5) & ~is_holiday
    month_factors = np.asarray(_MONTH_FACTORS) / np.mean(_MONTH_FACTORS)
    moy = days.month.to_numpy() - 1
    xmas = np.where((moy == 11) & (days.day.to_numpy() >= 24), _XMAS_FACTOR, 1.0)
    dow_factor = np.asarray(_DOW_FACTORS + (0.0, 0.0))[dow]
    pattern = open_day * dow_factor * month_factors[moy] * xmas
    year_code = days.year.to_numpy() - _YEARS[0]
    month_code = year_code * 12 + moy
    months = pd.period_range(_FIRST_MONTH, _LAST_MONTH, freq="M")
    knot_pos = np.array([(pd.Timestamp(f"{y}-07-02") - days[0]).days for y in _YEARS], float)
    return _Calendar(days, open_day, pattern, month_code, year_code, months, knot_pos)


def _next_day(day: str) -> str:
    return str((pd.Timestamp(day) + pd.Timedelta(days=1)).date())


def _decay(cal: _Calendar, start: str, half_life: float, end: str) -> np.ndarray:
    """Unit pulse on ``start`` decaying geometrically, cut after ``end`` (inclusive)."""
    t = np.arange(len(cal.days), dtype=float) - cal.index(start)
    return np.exp2(-np.clip(t, 0.0, None) / half_life) * cal.mask(start, end)


def _shapes(cal: _Calendar) -> dict[str, np.ndarray]:
    """Unit-amplitude daily shapes of the injected effects (zero outside their windows)."""
    g16 = sum(_decay(cal, _next_day(e), _E016_HALF_LIFE, _E016_END) for e in _E016_EPISODES)
    t = np.arange(len(cal.days), dtype=float)
    r0, r1 = cal.index(_COVID_RAMP[0]), cal.index(_COVID_RAMP[1])
    plateau_end = cal.index(_COVID_PLATEAU_END)
    ramp = np.clip((t - r0) / (r1 - r0), 0.0, 1.0)
    tail = np.exp2(-np.clip(t - plateau_end, 0.0, None) / _COVID_HALF_LIFE)
    gcov = ramp * tail * cal.mask(_COVID_RAMP[0], _COVID_END)
    g48 = _E048_WEIGHT * _decay(cal, _E048_START, _E048_HALF_LIFE, _E048_END)
    g49 = _E049_WEIGHT * sum(
        _decay(cal, _next_day(e), _E049_HALF_LIFE, _E049_END) for e in _E049_EPISODES
    )
    g49 = g49 + _E049_TAIL[1] * _decay(cal, _E049_TAIL[0], _E049_TAIL[2], _E049_END)
    return {"E016": g16, _COVID_ID: gcov, "E048": g48, "E049": g49}


# --- the national expected-rate model ------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class _Params:
    knots: np.ndarray
    a16: float
    covid: float
    s2023: float
    cap: float
    off: frozenset[str] = frozenset()


class _Model:
    """Daily expected demand and answered calls for Flanders."""

    def __init__(self, cal: _Calendar) -> None:
        self.cal = cal
        self.g = _shapes(cal)
        self.step_on = {eid: cal.days >= pd.Timestamp(d) for eid, d, _, _ in _CAPACITY_STEPS}
        self.cap_mask = cal.mask(*_CAP_WINDOW) & cal.open_day
        self.t = np.arange(len(cal.days), dtype=float)

    def base(self, p: _Params) -> np.ndarray:
        """Level x calendar pattern x capacity steps (no event effects)."""
        out = np.interp(self.t, self.cal.knot_pos, p.knots) * self.cal.pattern
        for eid, _, size, _ in _CAPACITY_STEPS:
            if eid not in p.off:
                out = out * np.where(self.step_on[eid], 1.0 + size, 1.0)
        return out

    def demand(self, p: _Params) -> np.ndarray:
        amp = {"E016": p.a16, _COVID_ID: p.covid, "E048": p.s2023, "E049": p.s2023}
        effect = sum(amp[k] * self.g[k] for k in amp if k not in p.off)
        return self.base(p) * (1.0 + effect)

    def answered(self, p: _Params, demand: np.ndarray | None = None) -> np.ndarray:
        d = self.demand(p) if demand is None else demand
        if _CAP_EVENT in p.off:
            return d
        return np.where(self.cap_mask, np.minimum(d, p.cap), d)

    def window_sum(self, x: np.ndarray, first: str, last: str) -> float:
        return float(x[self.cal.mask(first, last)].sum())

    def monthly(self, x: np.ndarray) -> np.ndarray:
        return np.bincount(self.cal.month_code, weights=x, minlength=len(self.cal.months))


def _solve_cap(demand: np.ndarray, share: float) -> float:
    """Cap ``c`` with ``sum(min(demand, c)) == share * sum(demand)`` (exact)."""
    d = np.sort(demand)
    target = share * d.sum()
    below = np.concatenate([[0.0], np.cumsum(d)])  # sum of the i smallest values
    n = len(d)
    for i in range(n):
        c = (target - below[i]) / (n - i)  # c between d[i - 1] and d[i]
        if (d[i - 1] if i else 0.0) <= c <= d[i]:
            return float(c)
    return float(d[-1])  # pragma: no cover - share <= 1 always finds a root


def _fit_fixed_covid(model: _Model, p: _Params) -> _Params:
    """Solve the knots, the E016 and 2023 amplitudes and the cap for a fixed COVID peak."""
    cal = model.cal
    targets = np.array([_FLANDERS_TOTALS[y][0] for y in _YEARS], dtype=float)
    ratio16, win16, ref16 = _E016_TARGET
    ratio23, win23, ref23 = _E2023_TARGET
    err = np.inf
    for _ in range(_MAX_ITER):
        p = dataclasses.replace(p, cap=_solve_cap(model.demand(p)[model.cap_mask], _ANSWERED_SHARE))
        yearly = np.bincount(cal.year_code, weights=model.answered(p))
        p = dataclasses.replace(p, knots=p.knots * targets / yearly)
        # the two short windows are not capped: their sums are linear in the amplitudes
        base = model.base(p)
        no16 = model.answered(dataclasses.replace(p, off=frozenset({"E016"})))
        a16 = (
            ratio16 * model.window_sum(no16, *ref16) - model.window_sum(no16, *win16)
        ) / model.window_sum(base * model.g["E016"], *win16)
        p = dataclasses.replace(p, a16=a16)
        no23 = model.answered(dataclasses.replace(p, off=frozenset({"E048", "E049"})))
        s23 = (
            ratio23 * model.window_sum(no23, *ref23) - model.window_sum(no23, *win23)
        ) / model.window_sum(base * (model.g["E048"] + model.g["E049"]), *win23)
        p = dataclasses.replace(p, s2023=s23)
        demand = model.demand(p)
        p = dataclasses.replace(p, cap=_solve_cap(demand[model.cap_mask], _ANSWERED_SHARE))
        ans = model.answered(p, demand)
        err = max(
            float(np.max(np.abs(np.bincount(cal.year_code, weights=ans) / targets - 1.0))),
            abs(model.window_sum(ans, *win16) / model.window_sum(ans, *ref16) / ratio16 - 1),
            abs(model.window_sum(ans, *win23) / model.window_sum(ans, *ref23) / ratio23 - 1),
        )
        if err < _TOL:
            return p
    raise RuntimeError(  # pragma: no cover - converges in far fewer than _MAX_ITER steps
        f"synthetic panel calibration did not converge (relative error {err:.2e})."
    )


def _knot_gap(p: _Params) -> float:
    """Relative distance of the 2020 knot from the midpoint of the 2019 and 2021 knots."""
    k = dict(zip(_YEARS, p.knots, strict=True))
    return float(k[2020] / (0.5 * (k[2019] + k[2021])) - 1.0)


@functools.lru_cache(maxsize=1)
def _calibrated() -> tuple[_Model, _Params]:
    """The calibrated national model (deterministic; cached).

    The COVID demand peak is found by the secant method so that the level knot of 2020
    lies midway between those of 2019 and 2021: 2020's excess over the trend is carried by
    the injected COVID effect and the capacity steps, not by the level curve.
    """
    model = _Model(_calendar())
    targets = np.array([_FLANDERS_TOTALS[y][0] for y in _YEARS], dtype=float)
    start = _Params(
        knots=targets / np.bincount(model.cal.year_code, weights=model.cal.pattern),
        a16=0.5,
        covid=1.0,
        s2023=0.3,
        cap=np.inf,
    )
    p0 = _fit_fixed_covid(model, start)
    p1 = _fit_fixed_covid(model, dataclasses.replace(p0, covid=2.0))
    f0, f1 = _knot_gap(p0), _knot_gap(p1)
    for _ in range(50):
        if abs(f1) < _TOL:
            return model, p1
        covid = p1.covid - f1 * (p1.covid - p0.covid) / (f1 - f0)
        p0, f0 = p1, f1
        p1 = _fit_fixed_covid(model, dataclasses.replace(p1, covid=covid))
        f1 = _knot_gap(p1)
    raise RuntimeError(  # pragma: no cover
        f"synthetic panel calibration of the COVID peak did not converge (gap {f1:.2e})."
    )


# --- teams, noise and exact integer totals -----------------------------------------------


def _team_shares() -> tuple[np.ndarray, dict[int, str]]:
    """Expected team shares, shape (teams, years), and how West-Vlaanderen's was set."""
    pop = np.array([_POPULATION[t] for t in TEAMS], dtype=float)
    pop_share = pop / pop.sum()
    wv = TEAMS.index(_WV)
    published = {y: v / _FLANDERS_TOTALS[y][0] for y, (v, _) in _WV_TOTALS.items()}
    known = sorted(published)
    shares = np.empty((len(TEAMS), len(_YEARS)))
    how: dict[int, str] = {}
    for j, year in enumerate(_YEARS):
        if year in published:
            wv_share = published[year]
            how[year] = _WV_TOTALS[year][1]
        elif known[0] < year < known[-1]:
            wv_share = float(np.interp(year, known, [published[y] for y in known]))
            lo = max(y for y in known if y < year)
            hi = min(y for y in known if y > year)
            how[year] = (
                f"none: expected share interpolated between {_WV_TOTALS[lo][1]} and "
                f"{_WV_TOTALS[hi][1]}"
            )
        else:
            wv_share = pop_share[wv]
            how[year] = "none: expected share from population (1 Jan 2023)"
        col = pop_share * (1.0 - wv_share) / (1.0 - pop_share[wv])
        col[wv] = wv_share
        shares[:, j] = col
    return shares, how


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``weights`` that sum to ``total`` exactly.

    Floors of the proportional shares, plus one for the largest remainders (ties broken
    by position, so the result is deterministic).
    """
    w = np.asarray(weights, dtype=float)
    if w.sum() <= 0:
        w = np.ones_like(w)
    exact = w * (total / w.sum())
    out = np.floor(exact).astype(np.int64)
    rest = int(total - out.sum())
    order = np.argsort(-(exact - out), kind="stable")
    out[order[:rest]] += 1
    return out


def _draw_counts(mu: np.ndarray, seed: int) -> np.ndarray:
    """NB draws per team-month, then exact annual totals by largest-remainder allocation."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
    draws = rng.negative_binomial(_NB_SIZE, _NB_SIZE / (_NB_SIZE + mu)).astype(float)
    counts = np.zeros(mu.shape, dtype=np.int64)
    wv = TEAMS.index(_WV)
    for j, year in enumerate(_YEARS):
        cols = slice(12 * j, 12 * j + 12)
        total = _FLANDERS_TOTALS[year][0]
        block = draws[:, cols]
        if year in _WV_TOTALS:
            wv_total = _WV_TOTALS[year][0]
            others = [i for i in range(len(TEAMS)) if i != wv]
            counts[wv, cols] = _largest_remainder(block[wv], wv_total)
            rest = _largest_remainder(block[others].ravel(), total - wv_total)
            counts[others, cols] = rest.reshape(len(others), 12)
        else:
            counts[:, cols] = _largest_remainder(block.ravel(), total).reshape(block.shape)
    return counts


# --- frames ------------------------------------------------------------------------------


def _long(values: np.ndarray, months: pd.PeriodIndex, name: str) -> pd.DataFrame:
    """(teams, months) array -> long frame sorted by team and month."""
    return pd.DataFrame(
        {
            "team": np.repeat(np.array(TEAMS, dtype=object), len(months)),
            "month": months[np.tile(np.arange(len(months)), len(TEAMS))],
            name: values.ravel(),
        }
    )


def _truth_frame(model: _Model, p: _Params, share_tm: np.ndarray) -> pd.DataFrame:
    months = model.cal.months
    with_m = model.monthly(model.answered(p))
    frames = []
    for event, (kind, first, last, off) in sorted(_TRUTH_EVENTS.items()):
        without_m = model.monthly(model.answered(dataclasses.replace(p, off=off)))
        sel = (months >= pd.Period(first, freq="M")) & (months <= pd.Period(last, freq="M"))
        sel = np.asarray(sel)
        w = share_tm[:, sel] * with_m[sel]
        wo = share_tm[:, sel] * without_m[sel]
        df = _long(w, months[sel], "expected_with")
        df.insert(2, "event", event)
        df.insert(3, "event_kind", kind)
        df.insert(4, "expected_without", wo.ravel())
        df["true_excess"] = df["expected_with"] - df["expected_without"]
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["kind"] = SYNTHETIC_KIND
    return out.sort_values(["event", "team", "month"], ignore_index=True)


def _annual_frame(counts: np.ndarray, wv_how: dict[int, str]) -> pd.DataFrame:
    rows = []
    for j, year in enumerate(_YEARS):
        year_counts = counts[:, 12 * j : 12 * j + 12].sum(axis=1)
        total, source = _FLANDERS_TOTALS[year]
        rows.append((year, FLANDERS, int(year_counts.sum()), total, source))
        for i, team in enumerate(TEAMS):
            if team == _WV and year in _WV_TOTALS:
                target, src = _WV_TOTALS[year]
            elif team == _WV:
                target, src = None, wv_how[year]
            else:
                target, src = None, "none: expected share from population (1 Jan 2023)"
            rows.append((year, team, int(year_counts[i]), target, src))
    df = pd.DataFrame(rows, columns=["year", "team", "calls", "target", "annual_total_source"])
    df["year"] = df["year"].astype("int64")
    df["calls"] = df["calls"].astype("int64")
    df["target"] = df["target"].astype("Int64")
    df["kind"] = SYNTHETIC_KIND
    return df


def _month_pos(month: str) -> int:
    return int((pd.Period(month, freq="M") - _FIRST_MONTH).n)


def _calibration_frame(
    model: _Model, p: _Params, share_tm: np.ndarray, counts: np.ndarray
) -> pd.DataFrame:
    ans = model.answered(p)
    demand = model.demand(p)
    flanders_obs = counts.sum(axis=0)

    rows: list[tuple[str, float, str, float, float, str]] = []
    wv = TEAMS.index(_WV)
    for year, (value, src) in _WV_TOTALS.items():
        j = year - _YEARS[0]
        obs = counts[wv, 12 * j : 12 * j + 12].sum() / counts[:, 12 * j : 12 * j + 12].sum()
        rows.append(
            (
                f"West-Vlaanderen share of Flanders {year}",
                value / _FLANDERS_TOTALS[year][0],
                f"{src}; {_FLANDERS_TOTALS[year][1]}",
                float(share_tm[wv, 12 * j]),
                float(obs),
                "team total imposed exactly",
            )
        )
    ratio16, win16, ref16 = _E016_TARGET
    rows.append(
        (
            "calls 10-27 Feb 2020 / 10-27 Feb 2019",
            ratio16,
            "F055; F056",
            model.window_sum(ans, *win16) / model.window_sum(ans, *ref16),
            np.nan,
            "calibrated (E016 amplitude); not visible in a monthly panel",
        )
    )
    rows.append(
        (
            "calls 10-27 Feb 2020",
            429.0,
            "F055",
            model.window_sum(ans, *win16),
            np.nan,
            "level not targeted",
        ),
    )
    rows.append(
        (
            "calls 10-27 Feb 2019",
            244.0,
            "F056",
            model.window_sum(ans, *ref16),
            np.nan,
            "level not targeted",
        ),
    )
    ratio23, win23, ref23 = _E2023_TARGET
    rows.append(
        (
            "calls 28 Aug-17 Sep 2023 / 29 Aug-18 Sep 2022",
            ratio23,
            "F144; F218",
            model.window_sum(ans, *win23) / model.window_sum(ans, *ref23),
            np.nan,
            "calibrated (E048+E049 amplitude); source window not stated exactly",
        )
    )
    rows.append(
        (
            "calls in the three weeks after the Pichal case",
            820.0,
            "F143 (approx.)",
            model.window_sum(ans, *win23),
            np.nan,
            "level not targeted; window assumed",
        ),
    )
    sep23, sep22 = _month_pos("2023-09"), _month_pos("2022-09")
    mon = model.monthly(ans)
    rows.append(
        (
            "calls Sep 2023 / Sep 2022 (monthly)",
            np.nan,
            "",
            float(mon[sep23] / mon[sep22]),
            float(flanders_obs[sep23] / flanders_obs[sep22]),
            "no published monthly figure; shown for the test bed",
        )
    )
    apr20 = _month_pos("2020-04")
    rows.append(
        (
            "calls April 2020",
            952.0,
            "F064",
            float(mon[apr20]),
            float(flanders_obs[apr20]),
            "NOT matched: a constant daily cap, half the demand answered and the 2020 "
            "total leave too little for 952 in April",
        )
    )
    cap = model.cap_mask
    rows.append(
        (
            "answered share of demand, capped window 2020",
            _ANSWERED_SHARE,
            "E023 (about half unanswered Apr-Aug)",
            float(ans[cap].sum() / demand[cap].sum()),
            np.nan,
            f"imposed on {_CAP_WINDOW[0]}..{_CAP_WINDOW[1]}",
        )
    )
    wk1, wk2 = ("2020-03-16", "2020-03-22"), ("2020-03-30", "2020-04-05")
    rows.append(
        (
            "demand week 30 Mar-5 Apr / 16-22 Mar 2020",
            1.70,
            "F063",
            model.window_sum(demand, *wk2) / model.window_sum(demand, *wk1),
            np.nan,
            "not targeted; answered calls ratio "
            f"{model.window_sum(ans, *wk2) / model.window_sum(ans, *wk1):.2f} (capped)",
        )
    )
    rows.append(
        (
            "calls Jan-Oct 2014",
            3780.0,
            "F016",
            model.window_sum(ans, "2014-01-01", "2014-10-31"),
            float(flanders_obs[_month_pos("2014-01") : _month_pos("2014-10") + 1].sum()),
            "not targeted",
        )
    )
    return pd.DataFrame(
        rows,
        columns=[
            "check",
            "published",
            "source",
            "synthetic_expected",
            "synthetic_observed",
            "note",
        ],
    )


# --- assumptions text --------------------------------------------------------------------


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _assumptions(model: _Model, p: _Params) -> str:
    pop_total = sum(_POPULATION.values())
    wv_pop = _POPULATION[_WV] / pop_total
    wv_bru = _POPULATION[_WV] / (pop_total + _BRUSSELS_2023)
    mf = np.asarray(_MONTH_FACTORS) / np.mean(_MONTH_FACTORS)
    month_names = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    totals = [[str(y), f"{v:,}", s] for y, (v, s) in _FLANDERS_TOTALS.items()]
    wv_rows = [
        [str(y), f"{v:,}", s, f"{100 * v / _FLANDERS_TOTALS[y][0]:.2f}%"]
        for y, (v, s) in _WV_TOTALS.items()
    ]
    pops = [[t, f"{_POPULATION[t]:,}", f"{100 * _POPULATION[t] / pop_total:.2f}%"] for t in TEAMS]
    steps = [[e, d, f"+{100 * s:.0f}%", w] for e, d, s, w in _CAPACITY_STEPS]
    knots = [[str(y), f"{k:.4f}"] for y, k in zip(_YEARS, p.knots, strict=True)]
    s23 = p.s2023
    april = model.monthly(model.answered(p))[_month_pos("2020-04")]
    return f"""# Synthetic 1712 panel: assumptions

> **{SYNTHETIC_LABEL}.** Every number below is either a published figure (with its id in
> `data/published/published_figures.csv`), an event from `data/events/events.csv`, or a
> stated assumption of this generator. Nothing here describes the real helpline.

## What the panel is

- Calls per team and month for the five provincial 1712 teams ({", ".join(TEAMS)}),
  {_FIRST_MONTH} to {_LAST_MONTH}. "Calls" are answered (handled) contacts over all
  channels (phone, e-mail, chat): the unit of the published annual totals.
- Built at daily resolution (expected calls per day), then summed to months, so an event
  starting on the 27th covers only the last working days of its month.
- Deterministic: the expected values do not depend on the seed; the negative-binomial
  draws come from `numpy.random.Generator(PCG64(SeedSequence(seed)))`.

## Flanders annual totals (imposed exactly)

{_md_table(["year", "calls", "source"], totals)}

- 2013: the sources conflict (F013: 3,248; F015: 3,250). F013 is used: it is the figure
  requested by an MP and published first (2014); 3,250 (2017) looks rounded.
- 2017: no total is published. It is derived as 2018 / 1.06 = {_FLANDERS_TOTALS[2017][0]:,}
  from the published +6% growth of 2018 over 2017 (F024); it is marked
  `derived: ... not published` in `annual_total_source`.
- Definitions drift and are not modelled: 2018 is called both answered (F022) and received
  (F023); 2021-2022 are "unique calls" (F087, F110); 2023 is "answered" (F201). The panel
  treats them as one series.

## Team shares

Residents on 1 January 2023 (held constant over 2013-2023):

{_md_table(["team", "residents", "share"], pops)}

- West-Vlaanderen: 1,219,142 (Rijksregister figure for 1 Jan 2023, as reported by WTV,
  Feb 2023). The other four are approximations rounded to 10,000, not checked against a
  Statbel table; with West-Vlaanderen they add up to {pop_total:,}, within 0.1% of the
  Flemish Region's {_FLEMISH_REGION_2023:,} on 1 Jan 2023 (Statistiek Vlaanderen).
- Brussels is not included. How Brussels callers are served is not documented (probably by
  the Vlaams-Brabant team). West-Vlaanderen's published shares (below) agree with its share
  of the Flemish Region ({100 * wv_pop:.1f}%); with all of Brussels (about
  {_BRUSSELS_2023:,}) added to Vlaams-Brabant it would be {100 * wv_bru:.1f}%.
- Published West-Vlaanderen totals are imposed exactly (its expected share that year is the
  published share; the other four teams share the rest in proportion to population):

{_md_table(["year", "West-Vlaanderen", "source", "share of Flanders"], wv_rows)}

- 2021: West-Vlaanderen's expected share is interpolated between 2020 and 2022 (not
  imposed). Other years: population shares. Annual team sums other than these carry noise.
- Every team has the same relative seasonality, capacity steps and event effects (effects
  are national; teams differ in size only).

## Calendar and seasonality (assumptions, not published)

- Contacts are registered on working days only: Monday-Friday, not on Belgian public
  holidays (`holidays.Belgium`). Phone hours were working days 09-17; e-mail and chat
  contacts are assumed to be registered on working days too.
- Day of week (Mon-Fri): {", ".join(f"{x:.2f}" for x in _DOW_FACTORS)} (Mondays busiest).
- Month of year (normalised to mean 1):
  {", ".join(f"{m} {x:.3f}" for m, x in zip(month_names, mf, strict=True))}. Lower in July
  and August (summer holidays), higher in spring and autumn (school terms), lower in April
  (Easter holidays).
- Working days 24-31 December: a further factor {_XMAS_FACTOR:.2f} (Christmas holidays).

## Level curve

A smooth underlying level, linear between knots on 2 July of every year (constant before
the first and after the last), multiplied by the calendar pattern, the capacity steps and
the event effects. The knots are solved so that the expected Flanders total of every year
equals its target (expected calls per working day before steps and effects):

{_md_table(["year", "knot"], knots)}

## Capacity steps (baseline terms, dated by the event registry)

{_md_table(["event", "first day", "level shift", "what"], steps)}

The sizes are assumptions (not published). They multiply the handled level from their
first day on: a jump after a capacity change is not a jump in need.

## Capacity cap 2020 ({_CAP_EVENT})

- On working days {_CAP_WINDOW[0]} to {_CAP_WINDOW[1]}: answered = min(demand, cap).
  {_CAP_EVENT} dates the shortfall April-August 2020 ("about half of all calls
  unanswered"); the window is extended back to the lockdown start (E020, 18 March) because
  "many could not get through" during the first lockdown ({_CAP_EVENT}'s note).
- The cap is one number per working day for Flanders ({p.cap:.4f} calls; each team's cap
  is its share of it), solved so that {100 * _ANSWERED_SHARE:.0f}% of the demand in the
  window is answered. "Demand" includes repeated attempts by callers who did not get
  through.
- Published April 2020 (F064: 952 calls) is *not* reproduced: with a constant daily cap,
  half the demand answered and the 2020 total fixed, April gets about {april:.0f}.
  Matching it would need a capacity that falls over the summer, which no source
  documents.

## Injected effects (the truth)

Demand = base x (1 + sum of effects); each effect is an amplitude times a daily shape that
is zero outside the event's window (so the truth rows cover every month it touches).

- **E016** 'Als je eens wist' S1 (Canvas, episodes Tue 11, 18, 25 Feb 2020; episodes 2-3
  are E017/E018, presumed dates): a pulse from the day after each episode, half-life
  {_E016_HALF_LIFE:g} days, cut after {_E016_END}; amplitude {p.a16:.4f} per episode,
  calibrated so that expected calls 10-27 Feb 2020 / 10-27 Feb 2019 = 429 / 244 =
  {_E016_TARGET[0]:.4f} (F055, F056). The 1712 campaign launched the day before (E015)
  gets no separate effect: whatever it did is inside E016's.
- **E019+E020** first COVID lockdown (schools closed 14 Mar, lockdown 18 Mar - 3 May
  2020): demand rises linearly from {_COVID_RAMP[0]} to a peak of +{100 * p.covid:.1f}% on
  {_COVID_RAMP[1]}, stays there until {_COVID_PLATEAU_END}, then decays with half-life
  {_COVID_HALF_LIFE:g} days, cut after {_COVID_END}. The peak is chosen so that the level
  knot of 2020 lies midway between those of 2019 and 2021 (2020's excess over the trend is
  carried by COVID and capacity, not by the level).
- **E048** Pichal case public (Sun 27 Aug 2023): a pulse from Mon 28 Aug, peak
  +{100 * s23 * _E048_WEIGHT:.1f}%, half-life {_E048_HALF_LIFE:g} days, cut after
  {_E048_END}.
- **E049** Godvergeten (Canvas, episodes Tue 5, 12, 19, 26 Sep 2023; 2-4 are E050-E052,
  presumed dates): a pulse from the day after each episode, peak
  +{100 * s23 * _E049_WEIGHT:.1f}%, half-life {_E049_HALF_LIFE:g} days, plus a tail from
  {_E049_TAIL[0]} of +{100 * s23 * _E049_TAIL[1]:.1f}% with half-life {_E049_TAIL[2]:g}
  days, cut after {_E049_END}.
- E048 and E049 share one scale ({s23:.4f}), calibrated so that expected calls
  {_E2023_TARGET[1][0]}..{_E2023_TARGET[1][1]} / {_E2023_TARGET[2][0]}..{_E2023_TARGET[2][1]}
  (the same weekdays a year earlier) = {_E2023_TARGET[0]:.2f} (F144, F218: "+31%"; the
  sources do not state the three-week window exactly).
- Every other event in the registry (other campaigns and news, the second lockdown E029,
  policy and registration changes) has **no** injected effect: its true effect is zero,
  which makes it a placebo.

## Noise and exact totals

- Team-month counts are negative binomial with mean = expected calls and size
  k = {_NB_SIZE:g} (variance = mean + mean^2 / k), drawn independently (no
  autocorrelation).
- Then, per year, a largest-remainder allocation rescales the draws to integers whose sum
  is exactly the Flanders target (one block of 60 team-months; in years with a published
  West-Vlaanderen total, one block for West-Vlaanderen's 12 months and one for the other
  48). Ties go to the earlier team-month. The annual sums therefore carry no noise and the
  monthly noise is slightly below pure negative-binomial noise.

## The truth table

`expected_with` is the expected answered calls of the team-month with every component;
`expected_without` the same with only the named event(s) switched off (for {_CAP_EVENT}:
without the cap, i.e. the expected demand); `true_excess` = with - without. Rows of
different events do not add up (effects interact through the cap and the multiplicative
steps). E048 and E049 are given separately and jointly (E048+E049): at monthly resolution
only the joint effect is identifiable.

## Known limitations

- Populations, team shares and effects are the same relative pattern for every team; real
  teams surely differ.
- No autocorrelation, no unregistered level shifts, no change in counting rules.
- Seasonality, day-of-week pattern, capacity step sizes, effect shapes and NB dispersion are
  assumptions chosen to look plausible, not estimates.
- Output is byte-identical only within the pinned environment (numpy's generator, the
  `holidays` package's list of Belgian holidays).
"""


# --- public API ------------------------------------------------------------------------------


def _month_bound(value: object, name: str) -> pd.Period:
    try:
        month = pd.Period(value, freq="M")
    except (ValueError, TypeError) as exc:
        raise DataValidationError(f"{name} must be a month like '2013-01', got {value!r}.") from exc
    if not _FIRST_MONTH <= month <= _LAST_MONTH:
        raise DataValidationError(
            f"{name}={value!r} is outside the synthetic panel's range "
            f"{_FIRST_MONTH}..{_LAST_MONTH} (the years with calibration targets)."
        )
    return month


def build_synthetic_panel(
    *, seed: int = DEFAULT_SEED, start: str = "2013-01", end: str = "2023-12"
) -> SyntheticPanel:
    """Generate the calibrated synthetic team x month panel. SYNTHETIC — NOT REAL DATA.

    Parameters
    ----------
    seed : int, default 20240501
        Seed of the negative-binomial draws (non-negative integer). The expected values,
        the calibration and the truth do not depend on it.
    start, end : str, default "2013-01", "2023-12"
        First and last month returned (inclusive), within 2013-01..2023-12. The panel is
        always generated and calibrated for 2013-2023 and then cut, so a sub-range shows
        the same numbers as the full panel; ``annual_totals`` keeps only whole years
        inside the range.

    Returns
    -------
    SyntheticPanel
        ``calls`` (team, month, calls, kind), ``truth``, ``expected``, ``annual_totals``,
        ``calibration`` and ``assumptions``; every frame has ``kind == "synthetic"``.

    Raises
    ------
    DataValidationError
        When ``seed`` is not a non-negative integer, or ``start``/``end`` are not months
        in range or ``start`` is after ``end``.

    Examples
    --------
    >>> panel = build_synthetic_panel(seed=1)
    >>> panel.calls.groupby(panel.calls["month"].dt.year)["calls"].sum().loc[2023]
    np.int64(9424)
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataValidationError(f"seed must be a non-negative integer, got {seed!r}.")
    first, last = _month_bound(start, "start"), _month_bound(end, "end")
    if first > last:
        raise DataValidationError(f"start={start!r} is after end={end!r}.")
    model, p = _calibrated()
    shares, wv_how = _team_shares()
    share_tm = np.repeat(shares, 12, axis=1)  # (teams, months)
    months = model.cal.months
    mu = share_tm * model.monthly(model.answered(p))
    counts = _draw_counts(mu, int(seed))

    calls = _long(counts, months, "calls")
    calls["calls"] = calls["calls"].astype("int64")
    calls["kind"] = SYNTHETIC_KIND
    expected = _long(mu, months, "expected_calls")
    working = np.bincount(model.cal.month_code, weights=model.cal.open_day)
    expected.insert(2, "working_days", np.tile(working, len(TEAMS)).astype("int64"))
    demand = share_tm * model.monthly(model.demand(p))
    expected.insert(3, "expected_demand", demand.ravel())
    expected["kind"] = SYNTHETIC_KIND
    truth = _truth_frame(model, p, share_tm)
    annual = _annual_frame(counts, wv_how)
    calibration = _calibration_frame(model, p, share_tm, counts)

    def cut(df: pd.DataFrame) -> pd.DataFrame:
        out = df[(df["month"] >= first) & (df["month"] <= last)].reset_index(drop=True)
        out.attrs["kind"] = SYNTHETIC_KIND
        return out

    whole_years = [
        y for y in _YEARS if first <= pd.Period(f"{y}-01", "M") <= pd.Period(f"{y}-12", "M") <= last
    ]
    annual = annual[annual["year"].isin(whole_years)].reset_index(drop=True)
    annual.attrs["kind"] = SYNTHETIC_KIND
    calibration.attrs["kind"] = SYNTHETIC_KIND
    return SyntheticPanel(
        calls=cut(calls),
        truth=cut(truth),
        expected=cut(expected),
        annual_totals=annual,
        calibration=calibration,
        assumptions=_assumptions(model, p),
        seed=int(seed),
    )


def _csv_text(df: pd.DataFrame) -> str:
    out = df.copy()
    if "month" in out.columns:
        out["month"] = out["month"].dt.strftime("%Y-%m")
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = np.round(out[col].to_numpy(dtype=float), _DECIMALS) + 0.0
    return out.to_csv(index=False, lineterminator="\n", float_format=f"%.{_DECIMALS}f")


def _readme(panel: SyntheticPanel, checksums: dict[str, str]) -> str:
    cal = panel.calibration

    def num(x: float) -> str:
        return "" if pd.isna(x) else f"{x:.4f}"

    rows = [
        [
            r.check,
            num(r.published),
            r.source,
            num(r.synthetic_expected),
            num(r.synthetic_observed),
            r.note,
        ]
        for r in cal.itertuples(index=False)
    ]
    table = _md_table(
        ["check", "published", "source", "synthetic expected", "synthetic observed", "note"],
        rows,
    )
    files = "\n".join(f"- `{name}` (SHA-256 `{digest}`)" for name, digest in checksums.items())
    body = panel.assumptions.split("\n", 2)[2]  # drop the assumptions' own title
    return f"""# {SYNTHETIC_LABEL}

This folder holds a **synthetic** demo panel generated by `impact.simulation.synthetic` (seed
{panel.seed}). It is calibrated to published figures but it is **not** the helpline's data:
never cite its numbers as facts about 1712. Every file name starts with `SYNTHETIC_` and
every table has a `kind` column equal to `synthetic`.

## Files

{files}
- `README.md`: this file.

`SYNTHETIC_calls_team_month.csv`: team, month (YYYY-MM), calls, kind.
`SYNTHETIC_true_effects.csv`: the true injected effects per team, month and event
(expected calls without and with the event, and their difference).
`SYNTHETIC_annual_totals.csv`: annual sums per team and Flanders, the imposed target and
its source (`annual_total_source`: a published id, `derived: ...` or `none: ...`).

## How to regenerate

```
python -m impact synthesize
```

or, equivalently, `python -c "from impact.simulation.synthetic import write_synthetic_panel;
write_synthetic_panel()"`. The same seed gives byte-identical files in the pinned
environment.

## Calibration checks

{table}

{body}"""


def write_synthetic_panel(
    out_dir: str | Path | None = None, *, seed: int = DEFAULT_SEED
) -> list[Path]:
    """Write the synthetic panel, its truth, annual totals and README to ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path, optional
        Target folder (created if missing). Default: ``data/synthetic`` of the repository
        (:func:`impact._core.paths.data_dir`).
    seed : int, default 20240501
        Seed passed to :func:`build_synthetic_panel`.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`SYNTHETIC_FILES`. Files are UTF-8 with
        ``"\\n"`` line endings, rows sorted, floats with four decimals: the same seed gives
        byte-identical files.
    """
    out = Path(out_dir) if out_dir is not None else data_dir() / "synthetic"
    out.mkdir(parents=True, exist_ok=True)
    panel = build_synthetic_panel(seed=seed)
    texts = {
        SYNTHETIC_FILES[0]: _csv_text(panel.calls),
        SYNTHETIC_FILES[1]: _csv_text(panel.truth),
        SYNTHETIC_FILES[2]: _csv_text(panel.annual_totals),
    }
    checksums = {
        name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in texts.items()
    }
    texts[SYNTHETIC_FILES[3]] = _readme(panel, checksums)
    paths = []
    for name in SYNTHETIC_FILES:
        path = out / name
        path.write_bytes(texts[name].encode("utf-8"))
        paths.append(path)
    return paths
