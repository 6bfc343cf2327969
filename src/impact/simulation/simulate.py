"""Seeded monthly call-count series with known effects.

:func:`simulate_counts` draws one negative-binomial (NB2) count series with a trend, a
month-of-year seasonal pattern, an optional capacity break in the pre-period, optional
autocorrelated latent noise on the log scale, and a campaign effect of known shape and
size in the post-period. :func:`simulate_panel` does the same for several teams that
share the seasonality, the break and the campaign. Both return the truth next to the
counts, so estimators can be checked against it (tests, doctests, ``benchmarks/``).

Everything produced here is synthetic. It is a test bed, not data about 1712.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_SEED, TEAMS
from impact._core.exceptions import DataValidationError
from impact.events.registry import Event, EventRegistry, event_regressor

__all__ = [
    "EFFECT_SHAPES",
    "SIM_BREAK_ID",
    "SIM_EFFECT_ID",
    "SimulatedPanel",
    "SimulatedSeries",
    "simulate_counts",
    "simulate_panel",
]

#: Shapes the simulated campaign effect may take.
EFFECT_SHAPES: tuple[str, ...] = ("step", "pulse", "bump", "decay")
#: Id of the simulated campaign event in the returned registry.
SIM_EFFECT_ID: str = "SIM-EFFECT"
#: Id of the simulated capacity break in the returned registry.
SIM_BREAK_ID: str = "SIM-BREAK"

#: Default length of a ``bump`` in days when no end is given (start day included).
_DEFAULT_BUMP_DAYS: int = 28

#: Illustrative team levels (expected calls per month at the end of the pre-period).
#: Rough orders of magnitude only; the calibrated demo panel lives in data/synthetic/.
_DEFAULT_TEAM_LEVELS: dict[str, float] = {
    "Antwerpen": 200.0,
    "Limburg": 90.0,
    "Oost-Vlaanderen": 170.0,
    "Vlaams-Brabant": 140.0,
    "West-Vlaanderen": 130.0,
}


@dataclasses.dataclass(frozen=True)
class SimulatedSeries:
    """One simulated monthly count series and the truth behind it.

    Attributes
    ----------
    series : pandas.Series
        Counts (int64) named ``calls`` on a complete monthly ``PeriodIndex`` named
        ``month``: ``n_pre`` pre-period months followed by ``n_post`` post-period months.
    events : EventRegistry
        The campaign (id ``"SIM-EFFECT"``, kind ``campaign``, the simulated shape) and,
        when registered, the capacity break (id ``"SIM-BREAK"``, kind ``capacity``,
        shape ``step``).
    truth : pandas.DataFrame
        Indexed by ``month`` with columns ``expected_without`` (mean count without the
        campaign), ``expected_with`` (mean count with it; the counts were drawn from
        this), ``effect`` (``expected_with - expected_without``), ``exposure`` (the
        campaign regressor, 0-1 for step/pulse/bump, daily-averaged) and ``is_post``.
    true_cumulative_effect : float
        Sum of ``effect`` over the post-period (expected extra calls).
    true_relative_effect : float
        ``sum(expected_with) / sum(expected_without) - 1`` over the post-period.
    params : dict
        The arguments the series was drawn with, with defaults resolved (``effect_start``
        as a ``Timestamp``, ``seed`` as given or ``"Generator"``).
    """

    series: pd.Series
    events: EventRegistry
    truth: pd.DataFrame
    true_cumulative_effect: float
    true_relative_effect: float
    params: dict[str, Any]

    @property
    def pre_period(self) -> tuple[pd.Period, pd.Period]:
        """First and last pre-period month (inclusive)."""
        pre = self.truth.index[~self.truth["is_post"].to_numpy()]
        return pre[0], pre[-1]

    @property
    def post_period(self) -> tuple[pd.Period, pd.Period]:
        """First and last post-period month (inclusive)."""
        post = self.truth.index[self.truth["is_post"].to_numpy()]
        return post[0], post[-1]


@dataclasses.dataclass(frozen=True)
class SimulatedPanel:
    """Several simulated team series sharing seasonality, break and campaign.

    Attributes
    ----------
    frame : pandas.DataFrame
        The long frame of the data contract: columns ``team`` (str), ``month``
        (``Period[M]``) and ``calls`` (int64), one row per team-month, sorted by team
        then month.
    events : EventRegistry
        The shared campaign and (when registered) capacity break, scope ``"Flanders"``.
    truth : pandas.DataFrame
        Long frame with columns ``team``, ``month``, ``expected_without``,
        ``expected_with``, ``effect``, ``exposure``, ``is_post``; includes the
        ``"Flanders"`` total (sum of the teams' expectations).
    true_cumulative_effect : pandas.Series
        Per team and ``"Flanders"``: the sum of ``effect`` over the post-period.
    true_relative_effect : pandas.Series
        Per team and ``"Flanders"``: ``sum(expected_with) / sum(expected_without) - 1``
        over the post-period.
    teams : dict of str to SimulatedSeries
        The per-team simulations.
    params : dict
        The arguments the panel was drawn with.
    """

    frame: pd.DataFrame
    events: EventRegistry
    truth: pd.DataFrame
    true_cumulative_effect: pd.Series
    true_relative_effect: pd.Series
    teams: dict[str, SimulatedSeries]
    params: dict[str, Any]

    def to_series(self, team: str) -> pd.Series:
        """Return one team's counts (or the ``"Flanders"`` total) as a series.

        Parameters
        ----------
        team : str
            A team of the panel, or ``"Flanders"`` for the sum over teams.

        Returns
        -------
        pandas.Series
            Counts named ``calls`` on the ``month`` index (a copy).

        Raises
        ------
        KeyError
            When ``team`` is not in the panel.
        """
        if team == "Flanders":
            total = self.frame.groupby("month", sort=True)["calls"].sum()
            return total.astype("int64").rename("calls")
        if team not in self.teams:
            raise KeyError(f"no team {team!r}; known: {', '.join(self.teams)}, Flanders")
        return self.teams[team].series.copy()


def simulate_counts(
    *,
    n_pre: int = 96,
    n_post: int = 6,
    start: str | pd.Period = "2014-01",
    mean_calls: float = 80.0,
    trend: float = 0.03,
    seasonal_amplitude: float = 0.15,
    seasonal_peak: int = 3,
    dispersion: float = 0.05,
    ar: float = 0.0,
    ar_sd: float = 0.0,
    capacity_break: tuple[int, float] | None = None,
    break_registered: bool = True,
    effect_shape: str = "step",
    effect_size: float = 0.1,
    effect_start: str | pd.Timestamp | None = None,
    effect_end: str | pd.Timestamp | None = None,
    half_life_days: float = 30.0,
    seed: int | np.random.Generator = DEFAULT_SEED,
    level: float | None = None,
) -> SimulatedSeries:
    """Draw a monthly negative-binomial count series with a known campaign effect.

    The expected count without the campaign in month ``t`` (``t = 0`` is ``start``) is

    ``mu0[t] = mean_calls * exp(trend * (t - (n_pre - 1)) / 12 + s[t] + b[t] + eta[t])``

    with the seasonal term ``s[t] = seasonal_amplitude * cos(2 pi (m[t] - seasonal_peak)
    / 12)`` (``m`` the month of year), the break term ``b[t] = log_ratio * (1[t >=
    month_offset] - 1)`` and ``eta`` a stationary Gaussian AR(1) on the log scale, centred
    so that ``exp(eta)`` has mean 1. With the campaign, ``mu1[t] = mu0[t] * (1 +
    effect_size * x[t])`` where ``x[t]`` is the daily-averaged exposure of the month.
    Counts are drawn from NB2 with mean ``mu1`` and variance ``mu1 + dispersion * mu1**2``.

    Parameters
    ----------
    n_pre : int, default 96
        Number of pre-period months (at least 13).
    n_post : int, default 6
        Number of post-period months (at least 1).
    start : str or pandas.Period, default "2014-01"
        First month of the series.
    mean_calls : float, default 80.0
        Expected calls per month in the last pre-period month, before seasonality and
        noise (the capacity break, if any, is in force then). Must be > 0. (Called
        ``level`` before 0.4; ``level`` now always means an interval probability.)
    trend : float, default 0.03
        Log growth per year (0.03 is about +3% a year).
    seasonal_amplitude : float, default 0.15
        Amplitude of the month-of-year cosine on the log scale (0.15 is about +/-16%).
    seasonal_peak : int, default 3
        Month of year (1-12) with the highest seasonal factor.
    dispersion : float, default 0.05
        NB2 dispersion ``alpha`` >= 0; ``Var = mu + alpha * mu**2``. 0 gives Poisson.
    ar : float, default 0.0
        AR(1) coefficient of the latent log-scale noise, ``-1 < ar < 1``.
    ar_sd : float, default 0.0
        Innovation standard deviation of the latent noise; 0 switches it off.
    capacity_break : tuple of (int, float) or None, default None
        ``(month_offset, log_ratio)``: from month ``month_offset`` (0-based from
        ``start``, inside the pre-period, >= 1) on, the mean is multiplied by
        ``exp(log_ratio)``.
    break_registered : bool, default True
        Whether the break is put in ``events`` (kind ``capacity``). Set False to test
        an unregistered level shift.
    effect_shape : {"step", "pulse", "bump", "decay"}, default "step"
        Shape of the campaign: ``step`` permanent from the start day; ``pulse`` one
        month from the start day; ``bump`` from the start day to ``effect_end``
        (inclusive, default 28 days); ``decay`` ``0.5 ** (days / half_life_days)``.
    effect_size : float, default 0.1
        Relative effect at full exposure (0.1 is +10%, a rate ratio of 1.10). Must be
        > -1.
    effect_start : date-like or None, default None
        First day of the campaign; must lie in the post-period. Default: day 1 of the
        first post-period month.
    effect_end : date-like or None, default None
        Last day of a ``bump`` (inclusive). Ignored for other shapes.
    half_life_days : float, default 30.0
        Half-life of a ``decay`` in days.
    seed : int or numpy.random.Generator, default constants.DEFAULT_SEED
        Seed of ``numpy.random.default_rng`` or a generator to draw from.

    Returns
    -------
    SimulatedSeries
        Counts, event registry, the truth per month and the true post-period effects.

    Raises
    ------
    DataValidationError
        When an argument is out of range (the message names it).

    See Also
    --------
    simulate_panel : Several teams with a shared campaign.

    Notes
    -----
    The campaign multiplies the daily rate by ``1 + effect_size * d`` with ``d`` the
    daily exposure (1 on days a step/pulse/bump is in force, ``0.5 ** (days since
    start / half_life_days)`` for a decay). Averaging over the days of a month gives the
    monthly factor ``1 + effect_size * x`` with ``x`` the mean daily exposure, the same
    convention as the event regressors of :mod:`impact.events.registry` (a step that starts on
    27 August has ``x = 5/31`` in August). A log-linear model with regressor ``x`` is
    exact only at ``x`` in {0, 1}.

    The truth is conditional on the latent noise path: the world with and without the
    campaign share ``eta``. ``true_cumulative_effect`` is the expected number of extra
    calls, not the realised difference of two count draws.

    Windows are inclusive: the pre-period is the first ``n_pre`` months, the post-period
    the last ``n_post``.

    Examples
    --------
    >>> from impact.simulation.simulate import simulate_counts
    >>> sim = simulate_counts(n_pre=36, n_post=6, mean_calls=100, effect_size=0.2, seed=1)
    >>> sim.series.index.freqstr, len(sim.series), str(sim.series.dtype)
    ('M', 42, 'int64')
    >>> sim.post_period
    (Period('2017-01', 'M'), Period('2017-06', 'M'))
    >>> round(sim.true_relative_effect, 3)
    0.2
    >>> sim.events.ids
    ('SIM-EFFECT',)
    """
    if level is not None:
        warnings.warn(
            "simulate_counts(level=...) is deprecated: the mean count is now called "
            f"mean_calls (level means the interval probability); use mean_calls={level!r}.",
            DeprecationWarning,
            stacklevel=2,
        )
        mean_calls = level
    rng = _rng(seed)
    n_pre = _check_int(n_pre, "n_pre", minimum=13)
    n_post = _check_int(n_post, "n_post", minimum=1)
    first = _to_month(start, "start")
    seasonal_peak = _check_series_options(
        mean_calls=mean_calls, trend=trend, seasonal_amplitude=seasonal_amplitude,
        seasonal_peak=seasonal_peak, dispersion=dispersion, ar=ar, ar_sd=ar_sd,
        effect_shape=effect_shape, effect_size=effect_size, half_life_days=half_life_days,
    )
    n = n_pre + n_post
    index = pd.period_range(first, periods=n, freq="M", name="month")
    is_post = np.arange(n) >= n_pre
    ev_start, ev_end = _effect_days(index, n_pre, effect_shape, effect_start, effect_end)
    effect_event = Event(
        id=SIM_EFFECT_ID,
        name=f"Simulated campaign ({effect_shape}, {effect_size:+.0%})",
        kind="campaign",
        start=ev_start,
        end=ev_end,
        shape=effect_shape,
        half_life=float(half_life_days) if effect_shape == "decay" else None,
        source="impact.simulation.simulate",
        note="synthetic",
    )
    events = [effect_event]
    log_mu = _log_mean(index, n_pre, mean_calls=mean_calls, trend=trend,
                       seasonal_amplitude=seasonal_amplitude, seasonal_peak=seasonal_peak)
    offset, log_ratio = None, None
    if capacity_break is not None:
        offset, log_ratio = _check_break(capacity_break, n_pre)
        log_mu += log_ratio * ((np.arange(n, dtype=float) >= offset).astype(float) - 1.0)
        if break_registered:
            events.append(_break_event(index[offset], log_ratio))

    # Draw order is fixed (latent noise, then counts) so a seed gives the same series
    # whatever the effect settings.
    eta = _latent_ar1(n, ar=ar, sd=ar_sd, rng=rng)
    mu0 = np.exp(log_mu + eta)
    exposure = _exposure(effect_event, index)
    mu1 = mu0 * (1.0 + effect_size * exposure)
    counts = _draw_nb2(mu1, dispersion, rng)

    series = pd.Series(counts, index=index, name="calls", dtype="int64")
    truth = pd.DataFrame(
        {
            "expected_without": mu0,
            "expected_with": mu1,
            "effect": mu1 - mu0,
            "exposure": exposure,
            "is_post": is_post,
        },
        index=index.copy(),
    )
    post = truth.loc[is_post]
    true_cum = float(post["effect"].sum())
    true_rel = float(post["expected_with"].sum() / post["expected_without"].sum() - 1.0)

    params: dict[str, Any] = {
        "n_pre": n_pre,
        "n_post": n_post,
        "start": str(first),
        "mean_calls": float(mean_calls),
        "trend": float(trend),
        "seasonal_amplitude": float(seasonal_amplitude),
        "seasonal_peak": seasonal_peak,
        "dispersion": float(dispersion),
        "ar": float(ar),
        "ar_sd": float(ar_sd),
        "capacity_break": None if offset is None else (offset, float(log_ratio)),
        "break_registered": bool(break_registered),
        "effect_shape": effect_shape,
        "effect_size": float(effect_size),
        "effect_start": ev_start,
        "effect_end": ev_end,
        "half_life_days": float(half_life_days),
        "seed": seed if isinstance(seed, int | np.integer) else "Generator",
    }
    return SimulatedSeries(
        series=series,
        events=EventRegistry(events),
        truth=truth,
        true_cumulative_effect=true_cum,
        true_relative_effect=true_rel,
        params=params,
    )


def _check_series_options(
    *,
    mean_calls: float,
    trend: float,
    seasonal_amplitude: float,
    seasonal_peak: int,
    dispersion: float,
    ar: float,
    ar_sd: float,
    effect_shape: str,
    effect_size: float,
    half_life_days: float,
) -> int:
    """Check the numeric options of :func:`simulate_counts`; return ``seasonal_peak``."""
    _check_positive(mean_calls, "mean_calls")
    _check_finite(trend, "trend")
    _check_finite(seasonal_amplitude, "seasonal_amplitude")
    seasonal_peak = _check_int(seasonal_peak, "seasonal_peak", minimum=1)
    if seasonal_peak > 12:
        raise DataValidationError(f"seasonal_peak must be a month 1-12, got {seasonal_peak}.")
    _check_nonnegative(dispersion, "dispersion")
    if not -1.0 < ar < 1.0:
        raise DataValidationError(f"ar must satisfy -1 < ar < 1 (stationary), got {ar!r}.")
    _check_nonnegative(ar_sd, "ar_sd")
    if effect_shape not in EFFECT_SHAPES:
        raise DataValidationError(
            f"effect_shape must be one of {', '.join(EFFECT_SHAPES)}, got {effect_shape!r}."
        )
    _check_finite(effect_size, "effect_size")
    if effect_size <= -1.0:
        raise DataValidationError(
            f"effect_size is relative and must be > -1 (-1 is -100%), got {effect_size!r}."
        )
    _check_positive(half_life_days, "half_life_days")
    return seasonal_peak


def _effect_days(
    index: pd.PeriodIndex,
    n_pre: int,
    effect_shape: str,
    effect_start: object,
    effect_end: object,
) -> tuple[pd.Timestamp, pd.Timestamp | None]:
    """First and (for a ``bump``) last day of the simulated campaign, checked against the
    post-period ``index[n_pre:]``."""
    first_post_day = index[n_pre].start_time.normalize()
    last_day = index[-1].end_time.normalize()
    if effect_start is None:
        ev_start = first_post_day
    else:
        ev_start = _to_day(effect_start, "effect_start")
        if not first_post_day <= ev_start <= last_day:
            raise DataValidationError(
                f"effect_start {ev_start.date()} is outside the post-period "
                f"{index[n_pre]}..{index[-1]}; pick a day in it or change n_pre/n_post."
            )
    ev_end: pd.Timestamp | None = None
    if effect_shape == "bump":
        if effect_end is None:
            ev_end = ev_start + pd.Timedelta(days=_DEFAULT_BUMP_DAYS - 1)
        else:
            ev_end = _to_day(effect_end, "effect_end")
            if ev_end < ev_start:
                raise DataValidationError(
                    f"effect_end {ev_end.date()} is before effect_start {ev_start.date()}."
                )
    return ev_start, ev_end


def _log_mean(
    index: pd.PeriodIndex,
    n_pre: int,
    *,
    mean_calls: float,
    trend: float,
    seasonal_amplitude: float,
    seasonal_peak: int,
) -> np.ndarray:
    """Log of the expected count without break, noise or campaign: level, trend (zero in
    the last pre-period month) and the month-of-year cosine."""
    t = np.arange(len(index), dtype=float)
    log_mu = np.log(mean_calls) + trend * (t - (n_pre - 1)) / 12.0
    moy = index.month.to_numpy()
    log_mu += seasonal_amplitude * np.cos(2.0 * np.pi * (moy - seasonal_peak) / 12.0)
    return log_mu


def _break_event(month: pd.Period, log_ratio: float) -> Event:
    """The registered capacity change of a simulated break starting in ``month``."""
    return Event(
        id=SIM_BREAK_ID,
        name=f"Simulated capacity change ({np.expm1(log_ratio):+.0%})",
        kind="capacity",
        start=month.start_time.normalize(),
        shape="step",
        source="impact.simulation.simulate",
        note="synthetic",
    )


def simulate_panel(
    *,
    teams: Sequence[str] = TEAMS,
    mean_calls: Mapping[str, float] | Sequence[float] | None = None,
    trends: Mapping[str, float] | Sequence[float] | float = 0.03,
    n_pre: int = 96,
    n_post: int = 6,
    start: str | pd.Period = "2014-01",
    seasonal_amplitude: float = 0.15,
    seasonal_peak: int = 3,
    dispersion: float = 0.05,
    ar: float = 0.0,
    ar_sd: float = 0.0,
    capacity_break: tuple[int, float] | None = None,
    break_registered: bool = True,
    effect_shape: str = "step",
    effect_size: float = 0.1,
    effect_start: str | pd.Timestamp | None = None,
    effect_end: str | pd.Timestamp | None = None,
    half_life_days: float = 30.0,
    seed: int | np.random.Generator = DEFAULT_SEED,
    levels: Mapping[str, float] | Sequence[float] | None = None,
) -> SimulatedPanel:
    """Draw several team series with shared seasonality, break and campaign.

    Each team is drawn by :func:`simulate_counts` with its own level and trend and an
    independent random stream spawned from ``seed`` (so adding a team does not change
    the others' draws when the seed is an int). Seasonality, dispersion, the capacity
    break and the campaign (same day, shape and relative size) are common to all teams.

    Parameters
    ----------
    teams : sequence of str, default constants.TEAMS
        Team names, unique.
    mean_calls : mapping or sequence of float, optional
        Expected calls per month per team in the last pre-period month (see
        :func:`simulate_counts`). Default: illustrative means for the five 1712 teams
        (90-200), or 80 for other names.
    trends : mapping, sequence of float or float, default 0.03
        Log growth per year, per team or common.
    levels : mapping or sequence of float, optional
        Deprecated name of ``mean_calls`` (warns).
    n_pre, n_post, start, seasonal_amplitude, seasonal_peak, dispersion, ar, ar_sd,
    capacity_break, break_registered, effect_shape, effect_size, effect_start,
    effect_end, half_life_days
        As in :func:`simulate_counts`, common to every team. The latent AR noise is
        drawn independently per team.
    seed : int or numpy.random.Generator, default constants.DEFAULT_SEED
        Root seed; team ``i`` uses the ``i``-th child of ``numpy.random.SeedSequence``.

    Returns
    -------
    SimulatedPanel
        Long frame of counts, shared events, truth per team and for ``"Flanders"``.

    Raises
    ------
    DataValidationError
        When teams are not unique, a level or trend is missing, or an argument is out
        of range.

    See Also
    --------
    simulate_counts : One series.

    Examples
    --------
    >>> from impact.simulation.simulate import simulate_panel
    >>> panel = simulate_panel(n_pre=36, effect_size=0.3, seed=7)
    >>> panel.frame.columns.tolist()
    ['team', 'month', 'calls']
    >>> panel.frame["team"].nunique(), len(panel.frame)
    (5, 210)
    >>> round(float(panel.true_relative_effect["Flanders"]), 3)
    0.3
    """
    teams = list(teams)
    if not teams or len(set(teams)) != len(teams):
        raise DataValidationError(f"teams must be a non-empty list of unique names, got {teams}.")
    if levels is not None:
        warnings.warn(
            "simulate_panel(levels=...) is deprecated: the mean counts are now called "
            "mean_calls (level means the interval probability); use mean_calls=...",
            DeprecationWarning, stacklevel=2,
        )
        if mean_calls is None:
            mean_calls = levels
    team_levels = _per_team(
        mean_calls, teams, "mean_calls",
        default={t: _DEFAULT_TEAM_LEVELS.get(t, 80.0) for t in teams},
    )
    team_trends = _per_team(trends, teams, "trends", default=None)

    if isinstance(seed, np.random.Generator):
        # Generator.spawn advances the caller's spawn counter, so two calls differ.
        team_seeds: list[Any] = list(seed.spawn(len(teams)))
    else:
        root = np.random.SeedSequence(int(seed))
        team_seeds = [np.random.default_rng(c) for c in root.spawn(len(teams))]

    common = {
        "n_pre": n_pre,
        "n_post": n_post,
        "start": start,
        "seasonal_amplitude": seasonal_amplitude,
        "seasonal_peak": seasonal_peak,
        "dispersion": dispersion,
        "ar": ar,
        "ar_sd": ar_sd,
        "capacity_break": capacity_break,
        "break_registered": break_registered,
        "effect_shape": effect_shape,
        "effect_size": effect_size,
        "effect_start": effect_start,
        "effect_end": effect_end,
        "half_life_days": half_life_days,
    }
    sims: dict[str, SimulatedSeries] = {}
    for team, rng in zip(teams, team_seeds, strict=True):
        sims[team] = simulate_counts(
            mean_calls=team_levels[team], trend=team_trends[team], seed=rng, **common
        )

    frames = []
    truths = []
    for team, sim in sims.items():
        frames.append(
            pd.DataFrame({"team": team, "month": sim.series.index, "calls": sim.series.to_numpy()})
        )
        tr = sim.truth.reset_index()
        tr.insert(0, "team", team)
        truths.append(tr)
    frame = pd.concat(frames, ignore_index=True)
    frame["calls"] = frame["calls"].astype("int64")
    truth = pd.concat(truths, ignore_index=True)
    total = truth.groupby("month", sort=True)[["expected_without", "expected_with", "effect"]].sum()
    first_sim = next(iter(sims.values()))
    total["exposure"] = first_sim.truth["exposure"].to_numpy()
    total["is_post"] = first_sim.truth["is_post"].to_numpy()
    total = total.reset_index()
    total.insert(0, "team", "Flanders")
    truth = pd.concat([truth, total], ignore_index=True)

    post = truth[truth["is_post"]]
    grouped = post.groupby("team", sort=False)
    cum = grouped["effect"].sum().rename("true_cumulative_effect")
    rel = (grouped["expected_with"].sum() / grouped["expected_without"].sum() - 1.0).rename(
        "true_relative_effect"
    )

    params: dict[str, Any] = dict(first_sim.params)
    params.pop("mean_calls")
    params.pop("trend")
    params["teams"] = teams
    params["mean_calls"] = dict(team_levels)
    params["trends"] = dict(team_trends)
    params["seed"] = seed if isinstance(seed, int | np.integer) else "Generator"
    return SimulatedPanel(
        frame=frame,
        events=first_sim.events,
        truth=truth,
        true_cumulative_effect=cum,
        true_relative_effect=rel,
        teams=sims,
        params=params,
    )


# --------------------------------------------------------------------------- helpers


def _rng(seed: int | np.random.Generator) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise DataValidationError(
            f"seed must be an int or a numpy.random.Generator, got {type(seed).__name__}."
        )
    return np.random.default_rng(int(seed))


def _check_int(value: object, name: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise DataValidationError(f"{name} must be an integer, got {value!r}.")
    if value < minimum:
        raise DataValidationError(f"{name} must be >= {minimum}, got {value}.")
    return int(value)


def _check_finite(value: float, name: str) -> None:
    if not np.isfinite(value):
        raise DataValidationError(f"{name} must be a finite number, got {value!r}.")


def _check_positive(value: float, name: str) -> None:
    _check_finite(value, name)
    if not value > 0:
        raise DataValidationError(f"{name} must be > 0, got {value!r}.")


def _check_nonnegative(value: float, name: str) -> None:
    _check_finite(value, name)
    if value < 0:
        raise DataValidationError(f"{name} must be >= 0, got {value!r}.")


def _check_break(capacity_break: tuple[int, float], n_pre: int) -> tuple[int, float]:
    try:
        offset, log_ratio = capacity_break
    except (TypeError, ValueError) as exc:
        raise DataValidationError(
            f"capacity_break must be (month_offset, log_ratio), got {capacity_break!r}."
        ) from exc
    offset = _check_int(offset, "capacity_break month_offset", minimum=1)
    if offset >= n_pre:
        raise DataValidationError(
            f"capacity_break month_offset {offset} is not in the pre-period (1..{n_pre - 1}); "
            "the simulated break must happen before the campaign."
        )
    _check_finite(log_ratio, "capacity_break log_ratio")
    return offset, float(log_ratio)


def _to_month(value: str | pd.Period, name: str) -> pd.Period:
    try:
        return pd.Period(value, freq="M")
    except (ValueError, TypeError) as exc:
        raise DataValidationError(f"{name}: cannot read {value!r} as a month (YYYY-MM).") from exc


def _to_day(value: object, name: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise DataValidationError(f"{name}: cannot read {value!r} as a date (YYYY-MM-DD).") from exc
    if pd.isna(ts):
        raise DataValidationError(f"{name}: date is missing.")
    return ts.normalize()


def _per_team(
    values: Mapping[str, float] | Sequence[float] | float | None,
    teams: list[str],
    name: str,
    *,
    default: dict[str, float] | None,
) -> dict[str, float]:
    if values is None:
        if default is None:
            raise DataValidationError(f"{name} must be given.")
        return default
    if isinstance(values, int | float | np.number):
        return {t: float(values) for t in teams}
    if isinstance(values, Mapping):
        missing = [t for t in teams if t not in values]
        if missing:
            raise DataValidationError(f"{name}: no value for team(s) {missing}.")
        return {t: float(values[t]) for t in teams}
    values = list(values)
    if len(values) != len(teams):
        raise DataValidationError(
            f"{name}: got {len(values)} values for {len(teams)} teams; give one per team."
        )
    return {t: float(v) for t, v in zip(teams, values, strict=True)}


def _latent_ar1(n: int, *, ar: float, sd: float, rng: np.random.Generator) -> np.ndarray:
    """Stationary Gaussian AR(1) path centred so that ``exp(eta)`` has mean 1.

    Always consumes ``n`` normal draws so the count draws that follow do not depend on
    whether the noise is switched on.
    """
    z = rng.standard_normal(n)
    if sd == 0.0:
        return np.zeros(n)
    var = sd**2 / (1.0 - ar**2)
    eta = np.empty(n)
    eta[0] = np.sqrt(var) * z[0]
    for i in range(1, n):
        eta[i] = ar * eta[i - 1] + sd * z[i]
    return eta - var / 2.0


def _draw_nb2(mu: np.ndarray, alpha: float, rng: np.random.Generator) -> np.ndarray:
    """NB2 draws with mean ``mu`` and variance ``mu + alpha mu^2`` (Poisson at 0)."""
    if alpha == 0.0:
        return rng.poisson(mu).astype(np.int64)
    # Gamma-Poisson mixture: lambda ~ Gamma(shape=1/alpha, scale=alpha*mu).
    lam = rng.gamma(shape=1.0 / alpha, scale=alpha * mu)
    return rng.poisson(lam).astype(np.int64)


def _exposure(event: Event, index: pd.PeriodIndex) -> np.ndarray:
    """Daily-averaged exposure of ``event`` per month of ``index``.

    Uses :func:`impact.events.registry.event_regressor`, so the simulated truth follows exactly
    the convention the estimators' regressors use (partial months, pulse = one calendar
    month from the start day, bump = start..end, decay = ``0.5 ** (days / half_life)``).
    """
    return event_regressor(event, index).to_numpy(dtype=float)
