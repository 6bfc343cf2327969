"""Synthetic daily demo panel of 1712 calls per team and day, split from the monthly one.

**SYNTHETIC — NOT REAL 1712 DATA.** The daily panel is the monthly demo panel of
:mod:`impact.simulation.synthetic` (``SYNTHETIC_calls_team_month.csv``) spread over the
days of each month: every team-month count is split over the month's days by one
multinomial draw, so the daily counts of a team summed over a month equal the monthly
panel's count **exactly** (same seed, same monthly panel). It exists so that the daily
estimators, the study at daily resolution and the notebooks have data whose truth is
known; it says nothing about the real helpline.

How the days are weighted (the split probabilities of a month are its daily expected
calls, normalised):

1. The monthly generator already works day by day: its expected answered calls per
   working day (level x day-of-week x month-of-year x capacity steps x
   ``1 + injected effects``, with the 2020 cap) summed over a month give the monthly
   panel's expectation. That daily curve is the starting point, so the day-of-week
   profile (Mon 1.20 .. Fri 0.80), the closed weekends and Belgian public holidays
   (``holidays.Belgium``), the Christmas dip and the event shapes are the monthly
   generator's own.
2. Two daily features the monthly panel cannot show are added as a **within-month
   redistribution of the baseline**: Flemish school holidays (working days in a school
   holiday get factor 0.85, see :data:`SCHOOL_HOLIDAY_FACTOR`; dates from the packaged
   calendar :func:`impact.baselines.load_school_holidays`, the one the daily baselines
   use) and opening-hours changes that apply to some weekdays only: E011 (chat on
   Tue-Thu 17-19 from 1 Jan 2019) and E053 (chat on Fridays too from 15 Sep 2023). The
   monthly generator spreads their level shift over all days; here the same weekly total
   is put on the days it belongs to (E053: +18.75% on Fridays instead of +3% on every
   day). The redistribution is additive and sums to zero in every month:
   ``daily = answered + base * (r' - 1)`` with ``r'`` the day factors normalised so that
   ``sum(base * r')`` over the month equals ``sum(base)``.
3. Each team's daily expectation is its (annual) team share times the Flanders curve, the
   share the monthly panel uses; within a month the share is constant, so the split
   probabilities are the same for every team.

Why the separate daily truths are consistent with the monthly totals: the monthly panel's
August-October 2023 contains the joint effect of the Pichal case (E048) and Godvergeten
(E049, with episodes E050-E052). In the monthly generator those effects are additive on
the demand: ``base * (1 + s * (g48 + g49))`` with ``g49`` the sum of one decaying pulse per
episode and a slow tail. The daily split keeps exactly that daily curve (step 2 only moves
*baseline* calls inside a month), so the extra calls land on the days the shapes put them
(from Mon 28 Aug for E048, from the day after each Tuesday episode for Godvergeten), and
the daily truth of one component is ``share * base * s * g_component``. Summed over a
month these truths equal the monthly truth rows exactly: E048 the monthly ``E048``,
E049+E050+E051+E052 the monthly ``E049``, all five the monthly ``E048+E049``. The
observed daily counts then carry the effects in expectation: given the month's total
``N``, a day gets ``N * mu_d / sum(mu)`` calls on average. (Split shares follow the
expectation, not the month's noise: a month drawn above its expectation has every day,
effect days included, scaled up alike; the truth is the expectation.)

Shapes: the registry (``data/events/events.csv``) marks E048 ``pulse`` and E049-E052
``bump``. At daily resolution a registry ``pulse`` on Sun 27 Aug 2023 is a single closed
day, so the generator keeps the monthly generator's shapes (stated in the assumptions): a
geometric decay with half-life 7 days from Mon 28 Aug (E048) and from the day after each
episode (E049-E052), plus a Godvergeten tail (half-life 90 days) attributed to E049.
Estimators should be given those shapes (``decay``, half-life 7 days) to recover the truth.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_SEED, FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError
from impact._core.paths import data_dir
from impact._core.provenance import SYNTHETIC_LABEL
from impact.baselines import load_school_holidays, school_holiday_days
from impact.simulation.synthetic import (
    _CAP_WINDOW,
    _DOW_FACTORS,
    _E016_END,
    _E016_EPISODES,
    _E016_HALF_LIFE,
    _E048_END,
    _E048_HALF_LIFE,
    _E048_START,
    _E048_WEIGHT,
    _E049_END,
    _E049_EPISODES,
    _E049_HALF_LIFE,
    _E049_TAIL,
    _E049_WEIGHT,
    _XMAS_FACTOR,
    SYNTHETIC_KIND,
    _Calendar,
    _calibrated,
    _decay,
    _Model,
    _next_day,
    _Params,
    _team_shares,
    build_synthetic_panel,
)

__all__ = [
    "DAILY_TRUTH_EVENTS",
    "SCHOOL_HOLIDAY_FACTOR",
    "SYNTHETIC_DAILY_FILES",
    "SyntheticDailyPanel",
    "build_synthetic_daily_panel",
    "write_synthetic_daily_panel",
]

#: File names written by :func:`write_synthetic_daily_panel`, in write order.
SYNTHETIC_DAILY_FILES: tuple[str, ...] = (
    "SYNTHETIC_calls_team_day.csv",
    "SYNTHETIC_true_effects_daily.csv",
    "SYNTHETIC_daily_README.md",
)

#: Factor on the baseline of working days in a Flemish school holiday (redistributed
#: within the month; not applied on 24-31 December, which has its own factor).
SCHOOL_HOLIDAY_FACTOR: float = 0.85

#: Opening-hours changes on some weekdays only: (event id, first day, weekdays (0 = Mon),
#: the monthly generator's level shift over all days, what).
_WEEKDAY_HOURS: tuple[tuple[str, str, tuple[int, ...], float, str], ...] = (
    ("E011", "2019-01-01", (1, 2, 3), 0.05, "chat Tue-Thu 17-19"),
    ("E053", "2023-09-15", (4,), 0.03, "chat on Fridays too"),
)

#: Truth rows: label -> (event kind, components). Components of the 2023 story are
#: additive on the demand, so the rows of E048 and of each episode add up to the joint rows.
DAILY_TRUTH_EVENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "E016": ("news", ("E016",)),
    "E048": ("news", ("E048",)),
    "E049": ("news", ("E049",)),
    "E050": ("news", ("E050",)),
    "E051": ("news", ("E051",)),
    "E052": ("news", ("E052",)),
    "E049+E050+E051+E052": ("news", ("E049", "E050", "E051", "E052")),
    "E048+E049+E050+E051+E052": ("news", ("E048", "E049", "E050", "E051", "E052")),
}
#: The monthly truth row each daily truth label sums to, month by month.
MONTHLY_TRUTH_OF: dict[str, str] = {
    "E016": "E016",
    "E048": "E048",
    "E049+E050+E051+E052": "E049",
    "E048+E049+E050+E051+E052": "E048+E049",
}
_DAILY_STREAM = 13  # second word of the multinomial seed: SeedSequence([seed, 13])
_DECIMALS = 4


@dataclasses.dataclass(frozen=True, eq=False)
class SyntheticDailyPanel:
    """The synthetic daily panel and its truth. SYNTHETIC — NOT REAL 1712 DATA.

    Attributes
    ----------
    calls : pandas.DataFrame
        Long frame ``team`` (str), ``date`` (``Period[D]``), ``calls`` (int64), ``kind``
        (``"synthetic"``); one row per team-day 2013-01-01..2023-12-31, sorted by team and
        date. Summed per team and month it equals the monthly demo panel exactly.
    truth : pandas.DataFrame
        Daily true injected effects: ``team``, ``date``, ``event`` (a label of
        :data:`DAILY_TRUTH_EVENTS`), ``event_kind``, ``expected_without``,
        ``expected_with``, ``true_excess`` (with - without, expected extra calls),
        ``relative_effect`` (excess / without; NaN on closed days), ``kind``. One row per
        team and day from the first to the last day the event's shape is non-zero.
    expected : pandas.DataFrame
        ``team``, ``date``, ``expected_calls`` (the split weights times the monthly
        expectation), ``is_open`` (working day), ``is_school_holiday`` (a working day in
        a Flemish school holiday), ``kind``.
    assumptions : str
        Markdown stating how the days are weighted and every parameter.
    seed : int
        Seed of the monthly panel and of the multinomial split.
    """

    calls: pd.DataFrame
    truth: pd.DataFrame
    expected: pd.DataFrame
    assumptions: str
    seed: int

    @property
    def kind(self) -> str:
        """Data kind of every output: always ``"synthetic"``."""
        return SYNTHETIC_KIND

    def window_truth(self, start: str, end: str) -> pd.DataFrame:
        """True effects summed over a window (inclusive), per team and for Flanders.

        Parameters
        ----------
        start, end : str
            First and last day of the window (``"2023-08-28"``), inclusive.

        Returns
        -------
        pandas.DataFrame
            ``team`` (the teams and ``Flanders``), ``event``, ``start``, ``end``,
            ``expected_without``, ``expected_with``, ``true_excess``,
            ``relative_effect`` (excess / without over the window), ``kind``.
        """
        first, last = pd.Period(start, freq="D"), pd.Period(end, freq="D")
        if first > last:
            raise DataValidationError(f"window start {start!r} is after its end {end!r}.")
        sel = self.truth[(self.truth["date"] >= first) & (self.truth["date"] <= last)]
        cols = ["expected_without", "expected_with", "true_excess"]
        teams = sel.groupby(["event", "team"], sort=True)[cols].sum().reset_index()
        total = sel.groupby("event", sort=True)[cols].sum().reset_index()
        total.insert(1, "team", FLANDERS)
        out = pd.concat([teams, total], ignore_index=True)
        out.insert(2, "start", str(first))
        out.insert(3, "end", str(last))
        out["relative_effect"] = out["true_excess"] / out["expected_without"]
        out["kind"] = SYNTHETIC_KIND
        return out.sort_values(["event", "team"], ignore_index=True)


# --- calendar ------------------------------------------------------------------------------


def _school_holiday_mask(days: pd.DatetimeIndex) -> np.ndarray:
    """Days in a Flemish school holiday (the baselines' packaged, sourced calendar)."""
    return np.asarray(days.isin(school_holiday_days(days[0], days[-1])))


# --- daily curve ---------------------------------------------------------------------------


def _components(cal: _Calendar, s2023: float, a16: float) -> dict[str, np.ndarray]:
    """Relative daily effect (times the base) of each truth component."""
    g48 = _E048_WEIGHT * _decay(cal, _E048_START, _E048_HALF_LIFE, _E048_END)
    episodes = {
        eid: _E049_WEIGHT * _decay(cal, _next_day(day), _E049_HALF_LIFE, _E049_END)
        for eid, day in zip(("E049", "E050", "E051", "E052"), _E049_EPISODES, strict=True)
    }
    episodes["E049"] = episodes["E049"] + _E049_TAIL[1] * _decay(
        cal, _E049_TAIL[0], _E049_TAIL[2], _E049_END
    )
    g16 = sum(_decay(cal, _next_day(e), _E016_HALF_LIFE, _E016_END) for e in _E016_EPISODES)
    out = {"E016": a16 * g16, "E048": s2023 * g48}
    out.update({k: s2023 * v for k, v in episodes.items()})
    return out


def _day_factors(cal: _Calendar) -> tuple[np.ndarray, np.ndarray]:
    """Unnormalised redistribution factors ``r`` and the school-holiday mask."""
    days = cal.days
    school = _school_holiday_mask(days) & cal.open_day
    xmas = np.asarray((days.month == 12) & (days.day >= 24))
    r = np.where(school & ~xmas, SCHOOL_HOLIDAY_FACTOR, 1.0)
    dow = days.day_of_week.to_numpy()
    for _, first, weekdays, shift, _ in _WEEKDAY_HOURS:
        on = np.asarray(days >= pd.Timestamp(first))
        week_total = sum(_DOW_FACTORS)
        local = shift * week_total / sum(_DOW_FACTORS[d] for d in weekdays)
        r = r * np.where(
            on, np.where(np.isin(dow, weekdays), 1.0 + local, 1.0) / (1.0 + shift), 1.0
        )
    return r, school


def _daily_curve(model: _Model, p: _Params) -> tuple[np.ndarray, np.ndarray]:
    """Flanders daily expected calls (monthly sums = the monthly generator's), school mask."""
    answered = model.answered(p)
    base = model.base(p)
    r, school = _day_factors(model.cal)
    base_m = model.monthly(base)
    scaled_m = model.monthly(base * r)
    norm = np.divide(base_m, scaled_m, out=np.ones_like(base_m), where=scaled_m > 0)
    r_norm = r * norm[model.cal.month_code]
    curve = np.clip(answered + base * (r_norm - 1.0), 0.0, None)
    return curve, school


# --- building ------------------------------------------------------------------------------


def _split(monthly: np.ndarray, curve: np.ndarray, month_code: np.ndarray, seed: int) -> np.ndarray:
    """Multinomial split of each (team, month) count over the month's days."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, _DAILY_STREAM])))
    n_teams, n_months = monthly.shape
    out = np.zeros((n_teams, len(curve)), dtype=np.int64)
    starts = np.searchsorted(month_code, np.arange(n_months))
    ends = np.append(starts[1:], len(curve))
    for i in range(n_teams):
        for m in range(n_months):
            w = curve[starts[m] : ends[m]]
            total = w.sum()
            if total <= 0:  # pragma: no cover - every month has working days
                raise DataValidationError(f"month {m} has no open day to put calls on.")
            out[i, starts[m] : ends[m]] = rng.multinomial(int(monthly[i, m]), w / total)
    return out


def _long(values: np.ndarray, dates: pd.PeriodIndex, name: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "team": np.repeat(np.array(TEAMS, dtype=object), len(dates)),
            "date": dates[np.tile(np.arange(len(dates)), len(TEAMS))],
            name: values.ravel(),
        }
    )


def _truth(model: _Model, p: _Params, curve: np.ndarray, share_d: np.ndarray) -> pd.DataFrame:
    cal = model.cal
    comps = _components(cal, p.s2023, p.a16)
    dates = pd.PeriodIndex(cal.days, freq="D")
    base, demand, answered = model.base(p), model.demand(p), model.answered(p)
    frames = []
    for label, (event_kind, parts) in DAILY_TRUTH_EVENTS.items():
        rel = sum(comps[c] for c in parts)
        on = np.flatnonzero(rel > 0)
        sel = np.arange(on[0], on[-1] + 1)
        # answered without the event (inside the 2020 cap window the cap applies to both)
        demand_without = demand[sel] - base[sel] * rel[sel]
        without = np.where(model.cap_mask[sel], np.minimum(demand_without, p.cap), demand_without)
        excess = answered[sel] - without
        with_ = share_d[:, sel] * curve[sel]
        exc = share_d[:, sel] * excess
        df = _long(with_, dates[sel], "expected_with")
        df.insert(2, "event", label)
        df.insert(3, "event_kind", event_kind)
        df.insert(4, "expected_without", (with_ - exc).ravel())
        df["true_excess"] = exc.ravel()
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    without = out["expected_without"].to_numpy()
    out["relative_effect"] = np.divide(
        out["true_excess"].to_numpy(), without, out=np.full(len(out), np.nan), where=without > 0
    )
    out["kind"] = SYNTHETIC_KIND
    return out.sort_values(["event", "team", "date"], ignore_index=True)


def build_synthetic_daily_panel(*, seed: int = DEFAULT_SEED) -> SyntheticDailyPanel:
    """Split the monthly demo panel over days. SYNTHETIC — NOT REAL DATA.

    Parameters
    ----------
    seed : int, default 20240501
        Seed of the monthly panel (:func:`~impact.simulation.synthetic.build_synthetic_panel`)
        and of the multinomial split (``SeedSequence([seed, 13])``).

    Returns
    -------
    SyntheticDailyPanel
        ``calls`` (team, date, calls, kind), ``truth``, ``expected``, ``assumptions``.

    Raises
    ------
    DataValidationError
        When ``seed`` is not a non-negative integer.

    Notes
    -----
    For every team and month, the daily calls sum to the monthly panel's count exactly.
    The split weights and the truth are explained in the module docstring.

    Examples
    --------
    >>> daily = build_synthetic_daily_panel(seed=1)
    >>> int(daily.calls["calls"].sum()) == int(build_synthetic_panel(seed=1).calls["calls"].sum())
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataValidationError(f"seed must be a non-negative integer, got {seed!r}.")
    monthly_panel = build_synthetic_panel(seed=int(seed))
    model, p = _calibrated()
    cal = model.cal
    shares, _ = _team_shares()
    share_d = shares[:, cal.year_code]  # (teams, days)
    curve, school = _daily_curve(model, p)
    monthly = monthly_panel.calls["calls"].to_numpy().reshape(len(TEAMS), len(cal.months))
    counts = _split(monthly, curve, cal.month_code, int(seed))

    dates = pd.PeriodIndex(cal.days, freq="D")
    calls = _long(counts, dates, "calls")
    calls["calls"] = calls["calls"].astype("int64")
    calls["kind"] = SYNTHETIC_KIND
    mu_m = monthly_panel.expected["expected_calls"].to_numpy().reshape(monthly.shape)
    curve_m = model.monthly(curve)
    expected = _long(
        mu_m[:, cal.month_code] * (curve / curve_m[cal.month_code]), dates, "expected_calls"
    )
    expected["is_open"] = np.tile(cal.open_day, len(TEAMS))
    expected["is_school_holiday"] = np.tile(school, len(TEAMS))
    expected["kind"] = SYNTHETIC_KIND
    truth = _truth(model, p, curve, share_d)
    for frame in (calls, truth, expected):
        frame.attrs["kind"] = SYNTHETIC_KIND
    return SyntheticDailyPanel(
        calls=calls, truth=truth, expected=expected, assumptions=_assumptions(p), seed=int(seed)
    )


# --- writing -------------------------------------------------------------------------------


def _assumptions(p: _Params) -> str:
    table = load_school_holidays()
    table = table[table["school_year"] == "2022-2023"]
    rows = "\n".join(
        f"| {r.name_nl} | {r.start.date()} | {r.end.date()} |" for r in table.itertuples()
    )
    hours = "\n".join(
        f"| {eid} | {first} | {', '.join('Mon Tue Wed Thu Fri'.split()[d] for d in wd)} | "
        f"+{shift:.0%} on all days | {what} |"
        for eid, first, wd, shift, what in _WEEKDAY_HOURS
    )
    return f"""# {SYNTHETIC_LABEL}

Daily split of the monthly demo panel (`SYNTHETIC_calls_team_month.csv`): generated by
`impact.simulation.daily` (`python -m impact synthesize` writes the monthly panel; the
study writes this one when `[daily]` is in study.toml and the file is missing). Never cite
its numbers as facts about 1712.

## Files

- `SYNTHETIC_calls_team_day.csv`: team, date (YYYY-MM-DD), calls, kind; every team and
  day 2013-01-01..2023-12-31 (closed days are 0). Per team and month the calls sum to the
  monthly panel exactly.
- `SYNTHETIC_true_effects_daily.csv`: team, date, event, event_kind, expected_without,
  expected_with, true_excess (expected extra calls), relative_effect (excess / without;
  empty on closed days), kind.

## How each month is split

- Weights = the monthly generator's daily expected answered calls (day of week Mon-Fri
  1.20, 1.05, 1.00, 0.95, 0.80; closed on weekends and Belgian public holidays; working
  days 24-31 December x {_XMAS_FACTOR}; the event shapes), plus a within-month
  redistribution of the baseline that sums to zero in every month:
  - Flemish school holidays: factor {SCHOOL_HOLIDAY_FACTOR} on working days (not on 24-31
    December). Dates: the packaged calendar of `impact.baselines`
    (`load_school_holidays`, derived from the rules of the Besluit van de Vlaamse
    Regering van 17 april 1991; see data/reference/README.md), the same the daily
    baselines use; school year 2022-2023 for example:

| holiday | first day | last day |
|---|---|---|
{rows}

  - Opening-hours changes on some weekdays only (the monthly generator spreads the shift
    over all days; here the same weekly total goes to the named weekdays):

| event | from | weekdays | monthly generator | what |
|---|---|---|---|---|
{hours}

- One multinomial draw per team and month (`numpy.random.Generator(PCG64(SeedSequence([seed,
  {_DAILY_STREAM}])))`), teams then months in order.

## The truth

- Effects are additive on the demand: base x (1 + a_E016 g_E016 + s (g_E048 + g_E049 +
  g_E050 + g_E051 + g_E052)); s = {p.s2023:.4f}, a_E016 = {p.a16:.4f}.
- E048 (Pichal case public, Sun 27 Aug 2023): decay from Mon 28 Aug, weight
  {_E048_WEIGHT}, half-life {_E048_HALF_LIFE:g} days, cut after {_E048_END}.
- E049-E052 (Godvergeten episodes, Tue {", ".join(_E049_EPISODES)}; E050-E052 presumed
  dates): a decay from the day after each episode, weight {_E049_WEIGHT}, half-life
  {_E049_HALF_LIFE:g} days, cut after {_E049_END}; E049 also carries the series' tail from
  {_E049_TAIL[0]} (weight {_E049_TAIL[1]}, half-life {_E049_TAIL[2]:g} days).
- The registry marks E048 `pulse` and E049-E052 `bump`; at daily resolution a pulse on a
  closed Sunday would carry nothing, so the generator keeps the decays above.
- Summed per month: E048 = the monthly truth `E048`; E049+E050+E051+E052 = the monthly
  `E049`; all five = the monthly `E048+E049`; E016 = the monthly `E016` (from
  {_CAP_WINDOW[0]} the 2020 cap applies to the answered calls with and without it).
"""


def _csv_text(df: pd.DataFrame) -> str:
    out = df.copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = np.round(out[col].to_numpy(dtype=float), _DECIMALS) + 0.0
    return out.to_csv(index=False, lineterminator="\n", float_format=f"%.{_DECIMALS}f")


def write_synthetic_daily_panel(
    out_dir: str | Path | None = None, *, seed: int = DEFAULT_SEED
) -> list[Path]:
    """Write the synthetic daily panel, its daily truth and a README to ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path, optional
        Target folder (created if missing). Default: ``data/synthetic`` of the repository.
    seed : int, default 20240501
        Seed passed to :func:`build_synthetic_daily_panel`.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`SYNTHETIC_DAILY_FILES`; UTF-8, ``"\\n"``
        line endings, four decimals: the same seed gives byte-identical files.
    """
    out = Path(out_dir) if out_dir is not None else data_dir() / "synthetic"
    out.mkdir(parents=True, exist_ok=True)
    panel = build_synthetic_daily_panel(seed=seed)
    texts = {
        SYNTHETIC_DAILY_FILES[0]: _csv_text(panel.calls),
        SYNTHETIC_DAILY_FILES[1]: _csv_text(panel.truth),
    }
    sums = "\n".join(
        f"- `{name}` (SHA-256 `{hashlib.sha256(text.encode('utf-8')).hexdigest()}`)"
        for name, text in texts.items()
    )
    texts[SYNTHETIC_DAILY_FILES[2]] = panel.assumptions + f"\n## Checksums\n\n{sums}\n"
    paths = []
    for name in SYNTHETIC_DAILY_FILES:
        path = out / name
        path.write_bytes(texts[name].encode("utf-8"))
        paths.append(path)
    return paths
