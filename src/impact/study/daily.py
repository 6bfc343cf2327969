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
  beside the counterfactual effect for the same window
  (:func:`impact.estimation.compare_window`, with the effect estimate's counterfactual:
  the same baseline fit, whose post-period covers the window);
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
from babel.dates import format_date

from impact._core.constants import FLANDERS
from impact._core.exceptions import DataValidationError
from impact.baselines import BaselineSpec
from impact.estimation.counterfactual import estimate_effects
from impact.estimation.window import compare_window
from impact.events import EventRegistry, check_identifiability
from impact.io.calls import load_call_counts
from impact.plots.daily import daily_frame, plot_daily_effect
from impact.reporting import check_synthetic_target
from impact.reporting.templates import LOCALES
from impact.simulation.daily import SYNTHETIC_DAILY_FILES, write_synthetic_daily_panel
from impact.study.schema import validate_study

__all__ = [
    "DAILY_EFFECT_COLUMNS",
    "DAILY_SPEC",
    "DailySettings",
    "DailyStudy",
    "compute_daily",
    "daily_events",
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
#: synthetic panel the sum of the effects is then recovered (about 520 extra calls vs the
#: true 514 for Flanders, 27 Aug - 31 Oct 2023); with the exposure it came out near 330.
DAILY_SPEC = BaselineSpec(family="negbin", trend="linear", seasonality="fourier",
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
    effects : impact.estimation.counterfactual.EffectTable
        The daily effect estimate per team and total; each estimate's ``separate`` holds
        the events' separate effects (merged where the data cannot tell them apart).
    windows : tuple of impact.estimation.window.WindowComparison
        The window comparison per team, then the total.
    truth : pandas.DataFrame or None
        True effects (synthetic data only): per window, team (and total) and event.
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
    windows: tuple[Any, ...]
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


def daily_events(registry: EventRegistry, settings: DailySettings) -> EventRegistry:
    """The ``[daily] events`` of ``registry``, each a decay with ``half_life_days``."""
    chosen = registry.filter(ids=settings.events)
    return EventRegistry(
        [e.with_shape("decay", half_life=float(settings.half_life_days)) for e in chosen]
    )


def _truth(
    settings: DailySettings, kind: str, first_day: str, last_day: str, teams: list[str]
) -> pd.DataFrame | None:
    """True extra calls per window, team (and total) and event, from the truth sidecar.

    Columns ``window`` (``effect_window`` or ``comparison_window``), ``team``, ``event``
    (one of ``[daily] events``; the total sums the ``teams`` studied), ``true_excess``
    and ``expected_without_all`` (the expected calls of the window without any of the
    events: the denominator of a true relative effect, as the estimates' relative effects
    divide by the counterfactual).
    """
    if kind != "synthetic":
        return None
    path = settings.calls.parent / SYNTHETIC_DAILY_FILES[1]
    if not path.is_file():
        return None
    truth = pd.read_csv(path)
    truth = truth[truth["team"].isin(teams)]
    truth["date"] = pd.PeriodIndex(truth["date"], freq="D")
    frames = []
    for name, (first, last) in {"effect_window": (first_day, last_day),
                                "comparison_window": settings.window}.items():
        inside = (truth["date"] >= pd.Period(first, "D")) & (truth["date"] <= pd.Period(last, "D"))
        rows = truth[inside]
        with_ = rows.drop_duplicates(["team", "date"]).groupby("team")["expected_with"].sum()
        single = rows[rows["event"].isin(settings.events)]
        excess = single.groupby(["team", "event"])["true_excess"].sum().unstack(fill_value=0.0)
        excess = excess.reindex(columns=list(settings.events), fill_value=0.0)
        excess.loc[FLANDERS] = excess.sum(axis=0)
        with_.loc[FLANDERS] = with_.sum()
        without_all = with_.reindex(excess.index) - excess.sum(axis=1)
        long = excess.stack().rename("true_excess").reset_index()
        long.columns = ["team", "event", "true_excess"]
        long["expected_without_all"] = long["team"].map(without_all)
        long.insert(0, "window", name)
        frames.append(long)
    return pd.concat(frames, ignore_index=True)


# --- computing ---------------------------------------------------------------------------------


def _series(calls: pd.DataFrame, team: str, total: str, kind: str) -> pd.Series:
    """The daily series of a team, or of the total over the teams."""
    sub = calls if team == total else calls[calls["team"] == team]
    s = sub.groupby("day")["calls"].sum()
    s.index = pd.PeriodIndex(s.index, freq="D", name="day")
    s.name = "calls"
    s.attrs["kind"] = kind
    return s


def _compare_windows(calls: pd.DataFrame, effects: Any, first: str, last: str, *, cfg: Any,
                     kind: str) -> tuple[Any, ...]:
    """:func:`compare_window` per team and total, with the counterfactual of ``effects``."""
    return tuple(
        compare_window(_series(calls, e.team, cfg.total, kind), first, last, estimate=e,
                       level=cfg.level, seed=cfg.seed, team=e.team, data_kind=kind)
        for e in effects.estimates
    )


def _first_day(events: EventRegistry) -> pd.Period:
    return min(pd.Period(e.start, "D") for e in events)


def _estimate(
    calls: pd.DataFrame, events: EventRegistry, context: EventRegistry, *, cfg: Any,
    pre_start: str | None, post_end: str,
) -> Any:
    """Counterfactual effects of ``events`` per team and total over ``..post_end``."""
    return estimate_effects(
        calls, events, spec=DAILY_SPEC, context=context, level=cfg.level, seed=cfg.seed,
        n_paths=cfg.n_paths, pre_start=pre_start, post_end=post_end, separate=True,
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
    events = daily_events(registry, settings)
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
    # the effect estimate's post-period covers the window and its baseline is fitted on
    # the same history, so its counterfactual over the window is the one to compare with
    # (events starting after the window have no exposure in it)
    windows = _compare_windows(calls, effects, w0, w1, cfg=cfg, kind=kind)
    truth = _truth(settings, kind, str(_first_day(events)), post_end,
                   sorted(calls["team"].unique()))
    notes = []
    if kind == "synthetic" and truth is None:
        notes.append(f"daily: no truth sidecar {SYNTHETIC_DAILY_FILES[1]} next to "
                     f"{settings.calls.name}; the true effects are not shown.")
    return DailyStudy(
        settings=settings, calls=calls, data_kind=kind, events=events,
        identifiability=ident, effects=effects,
        windows=windows,
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
    """True extra calls of ``event`` (ids joined by ``+`` are summed) and relative effect."""
    if truth is None:
        return (np.nan, np.nan)
    rows = truth[(truth["window"] == window) & (truth["team"] == team)].set_index("event")
    parts = event.split("+")
    if rows.empty or not set(parts) <= set(rows.index):
        return (np.nan, np.nan)
    excess = float(rows.loc[parts, "true_excess"].sum())
    return (excess, excess / float(rows["expected_without_all"].iloc[0]))


def _effect_rows(e: Any, events: str, truth: pd.DataFrame | None,
                 window: str) -> list[dict[str, Any]]:
    """Rows of one team's estimate: each separate component, then the sum."""
    post = e.frame[e.frame["is_post"].to_numpy()]
    common = {
        "team": e.team, "first_day": str(post.index[0]), "last_day": str(post.index[-1]),
        "observed": float(post["observed"].sum()), "expected": float(post["expected"].sum()),
    }
    parts = [] if e.separate is None else list(e.separate.to_frame().itertuples())
    rows = []
    for r in parts:
        event = events if r.is_sum else str(r.component)
        kind = "sum" if r.is_sum else ("merged" if "+" in event else "separate")
        true_effect, true_rel = _true(truth, window, e.team, event)
        rows.append({
            **common, "event": event, "event_names": r.event_names, "estimate_kind": kind,
            "effect": r.cumulative_effect, "effect_lower": r.cumulative_effect_lower,
            "effect_upper": r.cumulative_effect_upper, "relative_effect": r.relative_effect,
            "relative_effect_lower": r.relative_effect_lower,
            "relative_effect_upper": r.relative_effect_upper, "p_positive": r.p_positive,
            "true_effect": true_effect, "true_relative_effect": true_rel,
        })
    if not rows:  # no split (one event, or the estimator gave none): the joint effect
        true_effect, true_rel = _true(truth, window, e.team, e.event)
        rows.append({
            **common, "event": e.event, "event_names": e.event_names, "estimate_kind": "sum",
            "effect": e.cumulative_effect, "effect_lower": e.cumulative_effect_lower,
            "effect_upper": e.cumulative_effect_upper, "relative_effect": e.relative_effect,
            "relative_effect_lower": e.relative_effect_lower,
            "relative_effect_upper": e.relative_effect_upper, "p_positive": e.p_positive,
            "true_effect": true_effect, "true_relative_effect": true_rel,
        })
    return rows


def table_daily_effects(study: DailyStudy) -> pd.DataFrame:
    """Daily effects per team and total: each event where separated, and their sum.

    Parameters
    ----------
    study : DailyStudy

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DAILY_EFFECT_COLUMNS`, per team and total one row per component
        (``estimate_kind`` ``separate`` for one event, ``merged`` for events the daily
        data cannot tell apart) and one row for their sum (``sum``): extra calls over the
        days from the first event to ``post_end`` with the simulation interval of the
        joint paths, the relative effect (extra calls / counterfactual calls), and, for
        synthetic data, the true injected effect over the same days (``true_effect``,
        ``true_relative_effect``: true extra calls / expected calls without the events).
        ``observed`` and ``expected`` are the window's totals (the same on every row of a
        team).
    """
    events = _all_events(study)
    rows = [r for e in study.effects.estimates
            for r in _effect_rows(e, events, study.truth, "effect_window")]
    return pd.DataFrame(rows, columns=list(DAILY_EFFECT_COLUMNS))


def table_daily_window(study: DailyStudy) -> pd.DataFrame:
    """The published comparison on its own window, beside the counterfactual.

    Per team and total (:func:`impact.estimation.window.compare_window`): calls in
    ``[daily] window`` against the same weekdays a year earlier (364 days back; interval
    for count noise, quasi-Poisson with the dispersion of the history), the spread of
    such year-on-year changes in earlier years without these events (``history_*``), the
    counterfactual effect of the events that started by the window's end over the same
    days (simulation interval) and, for synthetic data, the true relative effect over the
    window.
    """
    rows = []
    for w in study.windows:
        f = w.to_frame()
        yoy, hist = f.loc["year_on_year"], f.loc["year_on_year_history"]
        cf = f.loc["counterfactual"]
        events = _started_by(study.events, w.end)
        _, true_rel = _true(study.truth, "comparison_window", w.team, events)
        rows.append({
            "team": w.team, "window_first_day": str(w.start.date()),
            "window_last_day": str(w.end.date()),
            "reference_first_day": str(w.reference_start.date()),
            "reference_last_day": str(w.reference_end.date()),
            "calls_window": yoy["observed"], "calls_reference": yoy["reference"],
            "year_on_year_change": yoy["ratio"] - 1,
            "year_on_year_change_lower": yoy["ratio_lower"] - 1,
            "year_on_year_change_upper": yoy["ratio_upper"] - 1,
            "history_change": hist["ratio"] - 1, "history_change_lower": hist["ratio_lower"] - 1,
            "history_change_upper": hist["ratio_upper"] - 1,
            "counterfactual_events": events, "expected": cf["reference"],
            "effect": cf["difference"], "relative_effect": cf["ratio"] - 1,
            "relative_effect_lower": cf["ratio_lower"] - 1,
            "relative_effect_upper": cf["ratio_upper"] - 1,
            "true_relative_effect": true_rel, "dispersion": w.dispersion,
        })
    return pd.DataFrame(rows)


def _started_by(events: EventRegistry, day: Any) -> str:
    """Ids of the events that started by ``day``, joined by ``+``."""
    return "+".join(e.id for e in events if pd.Timestamp(e.start) <= pd.Timestamp(day))


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
    frame = daily_frame(total)
    frame = frame[(frame.index >= first) & (frame.index <= last)].reset_index()
    for lang in figures.languages("daily_effect"):
        code = lang or "en"
        names = {f"{e.id} {format_date(e.start.date(), 'd MMM', locale=LOCALES[code])}":
                 str(pd.Period(e.start, "D")) for e in study.events}
        ax = plot_daily_effect(total, events=names, window=study.settings.window,
                               start=first, end=last, lang=code)
        ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
        figures.stamp("daily_effect", ax.figure, lang)
        figures.write("daily_effect", ax.figure,
                      frame.assign(date=frame["date"].astype(str)), lang)
