"""The study at daily resolution: separate effects, the published window, identifiability.

When ``study.toml`` has a ``[daily]`` section, :func:`compute_daily` reads the team x day
table it names (for synthetic data the daily demo panel of
:mod:`impact.simulation.daily`, built if missing, whose monthly sums equal the monthly
panel), and computes, per team and for the total:

- which of the ``[daily] events`` can be told apart at monthly and at daily resolution
  (:func:`impact.events.check_identifiability`; the report says which are separated,
  which merged, and why);
- the counterfactual effect of the events at daily resolution, each event separately
  where the daily data separate them, and their sum (joint simulation, so the sum's
  interval is coherent);
- the published comparison on its own window (``[daily] window``, 28 Aug - 17 Sep 2023
  for the "+31%" of F144): calls in the window against the same weekdays a year earlier,
  beside the counterfactual effect for the same window;
- for synthetic data, the true injected effects from the daily truth sidecar
  (``SYNTHETIC_true_effects_daily.csv``) beside each estimate.

The events are modelled as decays (``[daily] half_life_days``, default 7 days) from
their dates: the registry's ``pulse``/``bump`` shapes are written for monthly data (a
daily pulse on Sunday 27 August 2023, when the line is closed, would carry nothing).
Everything here reads and returns frames and result objects; :mod:`impact.study.write`
writes the tables (through :mod:`impact.study.outputs`) and
:func:`write_daily_figures` draws the daily figure.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from impact._core.constants import FLANDERS
from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineSpec
from impact.estimation.counterfactual import estimate_effects
from impact.events import EventRegistry, check_identifiability
from impact.io.calls import load_call_counts
from impact.plots.daily import daily_frame, plot_daily_effect
from impact.reporting import check_synthetic_target
from impact.simulation.daily import SYNTHETIC_DAILY_FILES, write_synthetic_daily_panel
from impact.study.schema import validate_study

__all__ = [
    "DAILY_EFFECT_COLUMNS",
    "DailySettings",
    "DailyStudy",
    "compute_daily",
    "daily_settings",
    "table_daily_effects",
    "table_daily_identifiability",
    "table_daily_window",
    "write_daily_figures",
]

#: The daily baseline: negative binomial GLM, linear trend, yearly Fourier terms and the
#: calendar terms a daily series gets by default (day of week, public holidays and bridge
#: days, school holidays). No opening-hours exposure: it makes expected calls proportional
#: to the hours open, so chat on Fridays from 15 Sep 2023 (E053) would raise the expected
#: Friday calls by about half, where the synthetic panel (and the capacity steps of the
#: monthly generator) put +3% on the week; E053 enters as a capacity break instead. On the
#: synthetic panel the joint effect is then recovered (531 vs the true 514 calls for
#: Flanders, 27 Aug - 31 Oct 2023), with the exposure it was 328.
_DAILY_SPEC = BaselineSpec(family="negbin", trend="linear", seasonality="fourier",
                           harmonics=4)

#: Days before the first event shown in the daily figure, and after the window's end.
_FIGURE_MARGIN_DAYS = (21, 42)


@dataclasses.dataclass(frozen=True)
class DailySettings:
    """The ``[daily]`` section of ``study.toml``, paths resolved against the study file.

    Attributes
    ----------
    calls : pathlib.Path
        The team x day call-count table.
    events : tuple of str
        Events given separate effects.
    window : (str, str)
        First and last day (inclusive) of the published comparison.
    pre_start, post_end : str or None
        First day of the fitting window and last day of the effect window (``None``: the
        data's first / last day).
    half_life_days : int
        Half-life of the decay each event is modelled with.
    """

    calls: Path
    events: tuple[str, ...]
    window: tuple[str, str]
    pre_start: str | None
    post_end: str | None
    half_life_days: int


def daily_settings(cfg: Any) -> DailySettings | None:
    """The study's ``[daily]`` settings, or ``None`` when the study file has no ``[daily]``.

    Parameters
    ----------
    cfg : impact.study.config.StudyConfig

    Raises
    ------
    DataValidationError
        When ``[daily]`` is invalid (the schema's message), or synthetic data point
        outside ``data/synthetic/``.
    """
    if "daily" not in cfg.raw:
        return None
    daily = validate_study(cfg.raw, path=str(cfg.path))["daily"]
    calls = Path(cfg.path).parent / daily["calls"]
    if cfg.data_kind == "synthetic":
        calls = check_synthetic_target(calls, project_root=cfg.root or Path(cfg.path).parent)
    return DailySettings(
        calls=calls,
        events=tuple(daily["events"]),
        window=(daily["window"][0], daily["window"][1]),
        pre_start=daily["pre_start"],
        post_end=daily["post_end"],
        half_life_days=int(daily["half_life_days"]),
    )


@dataclasses.dataclass
class DailyStudy:
    """Everything the daily part of the study computed (nothing written).

    Attributes
    ----------
    settings : DailySettings
    calls : pandas.DataFrame
        The daily long frame (``team``, ``day``, ``calls``) as loaded.
    data_kind : str
    events : EventRegistry
        The ``[daily]`` events with the shapes they are estimated with.
    identifiability : dict of str to IdentifiabilityReport
        ``"monthly"`` and ``"daily"``: which events can be told apart at each resolution.
    effects : object
        The daily effect estimate (team + total), events separated where identified.
    windows : object
        The window comparison per team and total.
    truth : pandas.DataFrame or None
        True effects (synthetic data only): per team, Flanders and event, over the effect
        window and over the comparison window.
    seconds : float
        Wall time of the daily part.
    notes : tuple of str
        Lines for the reports' warnings.
    """

    settings: DailySettings
    calls: pd.DataFrame
    data_kind: str
    events: EventRegistry
    identifiability: dict[str, Any]
    effects: Any
    windows: Any
    truth: pd.DataFrame | None
    seconds: float
    notes: tuple[str, ...] = ()

    @property
    def separated(self) -> tuple[str, ...]:
        """Events with their own effect at daily resolution."""
        frame = self.identifiability["daily"].to_frame()
        return tuple(frame.loc[frame["status"] == "ok", "event"])

    @property
    def merged_monthly(self) -> tuple[tuple[str, ...], ...]:
        """Groups of events that monthly data could not tell apart."""
        return tuple(self.identifiability["monthly"].groups)


# --- loading ---------------------------------------------------------------------------------


def _load_daily(settings: DailySettings, cfg: Any, say: Callable[[str], None]) -> pd.DataFrame:
    if cfg.data_kind == "synthetic" and not settings.calls.is_file():
        say(f"building the synthetic daily panel into {settings.calls.parent}")
        write_synthetic_daily_panel(settings.calls.parent, seed=cfg.seed)
    if not settings.calls.is_file():
        raise DataValidationError(
            f"study file {cfg.path}: [daily] calls = {settings.calls}: no such file; put the "
            "team x day table there (one row per team and day, a date column), or remove "
            "[daily]."
        )
    options: dict[str, Any] = {}
    if cfg.aliases is not None:
        options["aliases"] = dict(cfg.aliases)
    if cfg.measure is not None:
        options["measure"] = cfg.measure
    if cfg.channels != "sum":
        options["channels"] = list(cfg.channels)
    frame = load_call_counts(settings.calls, kind=cfg.data_kind, resolution="daily", **options)
    if cfg.teams:
        attrs = dict(frame.attrs)
        frame = frame[frame["team"].isin(cfg.teams)].reset_index(drop=True)
        frame.attrs.update(attrs)
    return frame


def _daily_events(registry: EventRegistry, settings: DailySettings) -> EventRegistry:
    chosen = registry.filter(ids=settings.events)
    return EventRegistry(
        [e.with_shape("decay", half_life=float(settings.half_life_days)) for e in chosen]
    )


def _truth(
    settings: DailySettings, kind: str, first_day: str, last_day: str
) -> pd.DataFrame | None:
    """True effects per team, Flanders and event over the effect and comparison windows."""
    if kind != "synthetic":
        return None
    path = settings.calls.parent / SYNTHETIC_DAILY_FILES[1]
    if not path.is_file():
        return None
    truth = pd.read_csv(path)
    truth["date"] = pd.PeriodIndex(truth["date"], freq="D")
    frames = []
    for name, (first, last) in {"effect_window": (first_day, last_day),
                                "comparison_window": settings.window}.items():
        inside = (truth["date"] >= pd.Period(first, "D")) & (truth["date"] <= pd.Period(last, "D"))
        sel = truth[inside]
        cols = ["expected_without", "true_excess"]
        teams = sel.groupby(["event", "team"], sort=True)[cols].sum().reset_index()
        total = sel.groupby("event", sort=True)[cols].sum().reset_index()
        total.insert(1, "team", "Flanders")
        both = pd.concat([teams, total], ignore_index=True)
        both.insert(0, "window", name)
        both.insert(3, "first_day", str(first))
        both.insert(4, "last_day", str(last))
        both["true_relative_effect"] = both["true_excess"] / both["expected_without"]
        frames.append(both)
    return pd.concat(frames, ignore_index=True)


# --- computing ---------------------------------------------------------------------------------


def _window_yoy(calls: pd.DataFrame, first: str, last: str, *, level: float,
                total: str) -> pd.DataFrame:
    """Calls in a window against the same weekdays a year earlier (364 days back).

    Exact interval for the ratio of two Poisson counts (conditional binomial), the method
    of the monthly naive comparison (T14): it ignores trend, capacity changes and
    overdispersion, so it is a description of the published kind of figure, not an
    effect estimate.
    """
    a = (1 - level) / 2
    w0, w1 = pd.Period(first, "D"), pd.Period(last, "D")
    r0, r1 = w0 - 364, w1 - 364
    per_team = calls.groupby(["team", "day"])["calls"].sum()
    teams = sorted(calls["team"].unique())
    rows = []
    for team in [*teams, total]:
        s = per_team.groupby(level="day").sum() if team == total else per_team.loc[team]
        x = float(s[(s.index >= w0) & (s.index <= w1)].sum())
        y = float(s[(s.index >= r0) & (s.index <= r1)].sum())
        lo_p = stats.beta.ppf(a, x, y + 1) if x > 0 else 0.0
        hi_p = stats.beta.ppf(1 - a, x + 1, y) if y > 0 else 1.0
        rows.append({
            "team": team, "window_first_day": str(w0), "window_last_day": str(w1),
            "reference_first_day": str(r0), "reference_last_day": str(r1),
            "calls_window": x, "calls_reference": y,
            "year_on_year_change": x / y - 1 if y > 0 else np.nan,
            "year_on_year_change_lower": lo_p / (1 - lo_p) - 1 if y > 0 else np.nan,
            "year_on_year_change_upper": hi_p / (1 - hi_p) - 1 if hi_p < 1 else np.inf,
        })
    return pd.DataFrame(rows)


def _first_day(events: EventRegistry) -> pd.Period:
    return min(pd.Period(e.start, "D") for e in events)


def _estimate(
    calls: pd.DataFrame, events: EventRegistry, context: EventRegistry, *, cfg: Any,
    pre_start: str | None, post_end: str,
) -> Any:
    """Counterfactual effects of ``events`` per team and total over ``..post_end``."""
    return estimate_effects(
        calls, events, spec=_DAILY_SPEC, context=context, level=cfg.level, seed=cfg.seed,
        n_paths=cfg.n_paths, pre_start=pre_start, post_end=post_end,
        **({"total": cfg.total} if cfg.total != FLANDERS else {}),
    )


def compute_daily(
    cfg: Any, registry: EventRegistry, *, progress: Callable[[str], None] | None = None
) -> DailyStudy | None:
    """Run the daily part of the study (``None`` when ``study.toml`` has no ``[daily]``).

    Parameters
    ----------
    cfg : impact.study.config.StudyConfig
    registry : EventRegistry
        The study's event registry (all events; the ``[daily]`` ones are studied, the
        others are context).
    progress : callable, optional
        Called with a short message before each step.

    Returns
    -------
    DailyStudy or None
    """
    settings = daily_settings(cfg)
    if settings is None:
        return None
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    calls = _load_daily(settings, cfg, say)
    kind = str(calls.attrs.get("kind", cfg.data_kind))
    days = pd.PeriodIndex(sorted(calls["day"].unique()), freq="D")
    first_data, last_data = days[0], days[-1]
    pre_start = settings.pre_start or str(first_data)
    post_end = settings.post_end or str(last_data)
    events = _daily_events(registry, settings)
    say(f"daily: {len(calls)} team-days, events {', '.join(events.ids)}")
    fit_days = pd.period_range(pre_start, post_end, freq="D")
    months = pd.period_range(pre_start, post_end, freq="M")
    ident = {
        "monthly": check_identifiability(events, months),
        "daily": check_identifiability(events, fit_days),
    }
    skip = set(events.ids) | set(cfg.headline_related) | set(cfg.headline_events)
    context = EventRegistry([e for e in registry if e.id not in skip])
    say("daily: counterfactual effects per team and total")
    effects = _estimate(calls, events, context, cfg=cfg, pre_start=pre_start,
                        post_end=post_end)
    say("daily: the published comparison on its own window")
    w0, w1 = settings.window
    in_window = EventRegistry([e for e in events if pd.Period(e.start, "D") <= pd.Period(w1, "D")])
    window_effects = _estimate(calls, in_window, context, cfg=cfg, pre_start=pre_start,
                               post_end=w1)
    yoy = _window_yoy(calls, w0, w1, level=cfg.level, total=cfg.total)
    truth = _truth(settings, kind, str(_first_day(events)), post_end)
    notes = []
    if kind == "synthetic" and truth is None:
        notes.append(f"daily: no truth sidecar {SYNTHETIC_DAILY_FILES[1]} next to "
                     f"{settings.calls.name}; the true effects are not shown.")
    return DailyStudy(
        settings=settings, calls=calls, data_kind=kind, events=events,
        identifiability=ident, effects=effects,
        windows={"counterfactual": window_effects, "year_on_year": yoy},
        truth=truth, seconds=time.perf_counter() - t0, notes=tuple(notes),
    )


# --- tables ------------------------------------------------------------------------------------

#: Columns of the daily effects table (the same every time; NaN where not applicable).
DAILY_EFFECT_COLUMNS: tuple[str, ...] = (
    "team", "event", "event_names", "estimate_kind", "first_day", "last_day", "observed",
    "expected", "effect", "effect_lower", "effect_upper", "relative_effect",
    "relative_effect_lower", "relative_effect_upper", "p_positive", "true_effect",
    "true_relative_effect",
)


def _true(truth: pd.DataFrame | None, window: str, team: str, event: str) -> tuple[float, float]:
    if truth is None:
        return (np.nan, np.nan)
    hit = truth[(truth["window"] == window) & (truth["team"] == team) & (truth["event"] == event)]
    if hit.empty:
        return (np.nan, np.nan)
    row = hit.iloc[0]
    return (float(row["true_excess"]), float(row["true_relative_effect"]))


def _effect_row(e: Any, kind: str, truth: pd.DataFrame | None, window: str,
                truth_event: str) -> dict[str, Any]:
    post = e.frame[e.frame["is_post"].to_numpy()]
    true_effect, true_rel = _true(truth, window, e.team, truth_event)
    return {
        "team": e.team, "event": e.event, "event_names": e.event_names, "estimate_kind": kind,
        "first_day": str(post.index[0]), "last_day": str(post.index[-1]),
        "observed": float(post["observed"].sum()), "expected": float(post["expected"].sum()),
        "effect": e.cumulative_effect, "effect_lower": e.cumulative_effect_lower,
        "effect_upper": e.cumulative_effect_upper, "relative_effect": e.relative_effect,
        "relative_effect_lower": e.relative_effect_lower,
        "relative_effect_upper": e.relative_effect_upper, "p_positive": e.p_positive,
        "true_effect": true_effect, "true_relative_effect": true_rel,
    }


def table_daily_effects(study: DailyStudy) -> pd.DataFrame:
    """Daily effects per team and total: each event where separated, and their sum.

    Parameters
    ----------
    study : DailyStudy

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DAILY_EFFECT_COLUMNS`: the effect over the days from the first
        event to ``post_end`` (sum of observed minus counterfactual calls, with its
        simulation interval), the relative effect, ``estimate_kind`` (``separate`` for one
        event, ``sum`` for the events together) and, for synthetic data, the true
        injected effect over the same days (``true_effect``, ``true_relative_effect``).
    """
    rows = [_effect_row(e, "sum", study.truth, "effect_window", e.event)
            for e in study.effects.estimates]
    return pd.DataFrame(rows, columns=list(DAILY_EFFECT_COLUMNS))


def table_daily_window(study: DailyStudy) -> pd.DataFrame:
    """The published comparison on its own window, beside the counterfactual.

    Per team and total: calls in ``[daily] window`` against the same weekdays a year
    earlier (364 days back; exact Poisson-ratio interval, ignores trend and capacity),
    the counterfactual effect of the events that started by the window's end over the
    same days (simulation interval) and, for synthetic data, the true relative effect
    over the window.
    """
    yoy = study.windows["year_on_year"].set_index("team")
    rows = []
    for e in study.windows["counterfactual"].estimates:
        r = _effect_row(e, "sum", study.truth, "comparison_window", _all_events(study))
        y = yoy.loc[e.team]
        rows.append({
            "team": e.team, "window_first_day": y["window_first_day"],
            "window_last_day": y["window_last_day"],
            "reference_first_day": y["reference_first_day"],
            "reference_last_day": y["reference_last_day"],
            "calls_window": y["calls_window"], "calls_reference": y["calls_reference"],
            "year_on_year_change": y["year_on_year_change"],
            "year_on_year_change_lower": y["year_on_year_change_lower"],
            "year_on_year_change_upper": y["year_on_year_change_upper"],
            "counterfactual_events": e.event, "expected": r["expected"],
            "effect": r["effect"], "effect_lower": r["effect_lower"],
            "effect_upper": r["effect_upper"], "relative_effect": r["relative_effect"],
            "relative_effect_lower": r["relative_effect_lower"],
            "relative_effect_upper": r["relative_effect_upper"],
            "true_relative_effect": r["true_relative_effect"],
        })
    return pd.DataFrame(rows)


def _all_events(study: DailyStudy) -> str:
    return "+".join(study.events.ids)


def table_daily_identifiability(study: DailyStudy) -> pd.DataFrame:
    """Which ``[daily]`` events can be told apart at monthly and at daily resolution."""
    frames = [r.to_frame() for r in study.identifiability.values()]
    return pd.concat(frames, ignore_index=True)


# --- figures -----------------------------------------------------------------------------------


def write_daily_figures(figures: Any, study: DailyStudy) -> None:
    """Draw the daily figure of the total and hand it to ``figures.write``.

    ``figures`` is the study writer's figure helper (``id``, ``stamp``, ``write``, as in
    :mod:`impact.study.write`); the figure is the total's daily calls around the events,
    the counterfactual band, the event dates marked and the comparison window shaded.
    """
    total = study.effects.estimates[-1]
    first = _first_day(study.events) - _FIGURE_MARGIN_DAYS[0]
    last = pd.Period(study.settings.window[1], "D") + _FIGURE_MARGIN_DAYS[1]
    names = {f"{e.id} {e.start:%d %b}": str(pd.Period(e.start, "D")) for e in study.events}
    ax = plot_daily_effect(total, events=names, window=study.settings.window, start=first,
                           end=last, title=f"{total.team}: calls per day and counterfactual")
    ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
    figures.stamp("daily_effect", ax.figure)
    frame = daily_frame(total)
    frame = frame[(frame.index >= first) & (frame.index <= last)].reset_index()
    figures.write("daily_effect", ax.figure, frame.assign(date=frame["date"].astype(str)))
