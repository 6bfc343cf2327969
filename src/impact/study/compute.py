"""Run the study's analyses: :func:`compute_study` returns :class:`StudyOutputs`, writes nothing.

The study answers four questions from one configuration (:class:`~impact.study.config.StudyConfig`):
Q1 how many calls per team, year and month (and what was published); Q2 and Q3 which
problems are reported and how they change (published figures; per team where the data
carry categories); Q4 how much the headline events (and other registered events) changed
the calls, as a counterfactual per team and for Flanders, an interrupted time series on
the Flanders total, a naive year-on-year comparison and, optionally, the diagnostics
bundle. Every table is made through its declaration in :mod:`impact.study.outputs` and
kept as a :class:`~impact.study.outputs.StudyTable`; the reports and notebooks read the
numbers from :class:`StudyOutputs`, never from typed values.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd

from impact._core.constants import FLANDERS
from impact._core.exceptions import DataValidationError, ImpactError, ImpactWarning
from impact.diagnostics.bundle import check_effects
from impact.diagnostics.detectable import detectable_effects
from impact.estimation.counterfactual import estimate_effects
from impact.estimation.its import fit_its
from impact.events.confounding import Confounding, assess_confounding, modelled_ids
from impact.events.event import BASELINE_KINDS
from impact.events.registry import EventRegistry, check_event_scopes, load_events
from impact.io.calls import load_call_counts
from impact.io.published import (
    load_published,
    load_published_statements,
    published_annual_calls,
)
from impact.problems import (
    category_shares,
    compare_published,
    fit_category_trends,
    published_problem_series,
    suppress_small_cells,
    synthesize_categories,
)
from impact.simulation.synthetic import write_synthetic_panel
from impact.study.config import StudyConfig
from impact.study.consistency import table_published_consistency
from impact.study.daily import (
    compute_daily,
    table_daily_effects,
    table_daily_identifiability,
    table_daily_window,
)
from impact.study.outputs import OUTPUTS, OutputRegistry, StudyTable
from impact.study.tables import (
    estimate_rows,
    headline_windows,
    its_rows,
    naive_year_on_year,
    table_calls_per_month,
    table_calls_per_year,
    table_effects,
    table_seasonal_profile,
    window_rows,
)

__all__ = ["StudyOutputs", "compute_study", "data_measure"]

#: Fewest months of data before another event's window (three seasonal cycles).
_MIN_PRE_MONTHS = 36

#: Published problem comparisons of Q3: (category, (first year, second year), measure).
_PUBLISHED_COMPARISONS: tuple[tuple[str, tuple[int, int], str], ...] = (
    ("partner_violence", (2019, 2020), "count"),
    ("partner_violence", (2019, 2023), "share"),
    ("child_abuse", (2019, 2023), "share"),
    ("intrafamilial_violence_adults", (2021, 2023), "count"),
    ("sexual_violence", (2020, 2021), "share"),
)


@dataclasses.dataclass
class StudyOutputs:
    """Everything the study computed, before anything is written.

    Reports and notebooks read from here (never from typed numbers). ``tables`` maps an
    output id to its :class:`~impact.study.outputs.StudyTable` (frame, producer, data
    kind, title); ``estimates`` is the tidy frame written to ``results/estimates.csv``;
    ``output_registry`` is the declaration of every output
    (:data:`impact.study.outputs.OUTPUTS`), through which the reports name tables and
    figures. ``confounding`` maps an estimate's event label (``E048+E049``, ``E016``) to
    its :class:`~impact.events.confounding.Confounding` (the events in its window and
    the verdict), and ``"its:" + label`` to that of the interrupted time series.
    """

    config: StudyConfig
    data_kind: str
    data_sha256: str
    calls: pd.DataFrame
    registry: Any
    published: pd.DataFrame
    headline_registry: Any
    headline_context: Any
    headline: Any
    headline_its: Any
    other_effects: dict[str, Any]
    problems: dict[str, Any]
    diagnostics: Any
    estimates: pd.DataFrame
    tables: dict[str, StudyTable]
    warnings: tuple[str, ...]
    output_registry: OutputRegistry = OUTPUTS
    measure: str = ""
    #: The published statements (``statements.csv`` next to the published figures), or
    #: None when the study's folder has none; read by the published-facts report.
    published_statements: pd.DataFrame | None = None
    confounding: dict[str, Any] = dataclasses.field(default_factory=dict)
    #: the daily part (:class:`impact.study.daily.DailyStudy`) when study.toml has [daily]
    daily: Any = None

    def table(self, key: str) -> pd.DataFrame:
        """The frame of a table, by output id or table name (a copy)."""
        out_id = key if key in self.tables else self.output_registry.table(key).id
        return self.tables[out_id].frame.copy()


class _Tables:
    """Collects the study's tables, each made through its declared output."""

    def __init__(self, cfg: StudyConfig, calls_kind: str) -> None:
        self.cfg = cfg
        self.calls_kind = calls_kind
        self.tables: dict[str, StudyTable] = {}

    def add(self, name: str, frame: pd.DataFrame) -> None:
        table = OUTPUTS.table(name).make_table(frame, calls_kind=self.calls_kind, config=self.cfg)
        self.tables[table.id] = table


def _load_calls(cfg: StudyConfig, say: Callable[[str], None]) -> pd.DataFrame:
    if cfg.data_kind == "synthetic" and not cfg.calls.is_file():
        say(f"building the synthetic panel into {cfg.calls.parent}")
        write_synthetic_panel(cfg.calls.parent, seed=cfg.seed)
    if not cfg.calls.is_file():
        raise DataValidationError(
            f"call-count file {cfg.calls} does not exist; put the real table under data/raw/ "
            "and point [data] calls to it, or use kind = 'synthetic'."
        )
    frame = load_call_counts(cfg.calls, kind=cfg.data_kind, **_loader_options(cfg))
    if cfg.teams:
        seen = sorted(frame["team"].unique())
        unknown = [t for t in cfg.teams if t not in set(seen)]
        if unknown:
            near = {t: difflib.get_close_matches(t, seen, n=2, cutoff=0.5) for t in unknown}
            listed = "; ".join(f"{t!r}" + (f" (closest: {', '.join(map(repr, n))})" if n else "")
                               for t, n in near.items())
            raise DataValidationError(
                f"study file {cfg.path}: [teams] names {listed} not in {cfg.calls}; labels "
                f"there: {', '.join(map(repr, seen))}. Write the names as they appear, or map "
                "each label to a team under [teams.aliases] (e.g. \"1712 Antwerpen\" = "
                "\"Antwerpen\")."
            )
        attrs = dict(frame.attrs)
        frame = frame[frame["team"].isin(cfg.teams)].reset_index(drop=True)
        frame.attrs.update(attrs)
    return frame


def _loader_options(cfg: StudyConfig) -> dict[str, Any]:
    """The keyword arguments of :func:`load_call_counts` that the study file sets.

    Only settings that differ from the loader's defaults are passed, so a study file
    without ``[teams]`` aliases, a measure or a channel list reads its table exactly as
    before those settings existed.
    """
    options: dict[str, Any] = {}
    if cfg.aliases is not None:
        options["aliases"] = dict(cfg.aliases)
    if cfg.total != FLANDERS:
        options["total"] = cfg.total
    if cfg.measure is not None:
        options["measure"] = cfg.measure
    if cfg.channels != "sum":
        options["channels"] = list(cfg.channels)
    return options


def _total_options(cfg: StudyConfig) -> dict[str, Any]:
    """``total=`` for :func:`estimate_effects` when the study names its total otherwise."""
    return {"total": cfg.total} if cfg.total != FLANDERS else {}


def data_measure(cfg: StudyConfig, calls: pd.DataFrame) -> str:
    """What one count of the analysed table stands for, as the outputs state it.

    ``[data] measure`` when the study picks one, else the measure the loader records
    (``attrs["measure"]``), else the table's definition (``attrs["definition"]``).
    """
    if cfg.measure is not None:
        return cfg.measure
    return str(calls.attrs.get("measure") or calls.attrs.get("definition") or "calls")


def _check_pre_start(cfg: StudyConfig, calls: pd.DataFrame, notes: list[str]) -> None:
    """A ``pre_start`` before the first month of data is stated, never ignored silently."""
    if cfg.pre_start is None:
        return
    first = calls["month"].min()
    if pd.Period(cfg.pre_start, "M") < first:
        text = (f"[headline] pre_start = {cfg.pre_start} is before the first month of data "
                f"({first}); the fitting window starts at {first}. Set pre_start = "
                f"\"{first}\" (or later) in the study file to silence this.")
        warnings.warn(text, ImpactWarning, stacklevel=3)
        notes.append(text)


def _consistency_notes(table: pd.DataFrame) -> list[str]:
    """One line per published figure the table's total differs from beyond rounding."""
    bad = table[table["status"] == "differs beyond rounding"]
    return [f"published record: {r.team} {r.year}: the table has {r.data_calls:,.0f}, "
            f"published {r.published_calls:,.0f} ({r.published_definition}, source "
            f"{r.source_id}); difference {r.difference:+,.0f}." for r in bad.itertuples()]


def _placebo_notes(diagnostics: Any, level: float) -> list[str]:
    """One line when the pre-period holds too few placebo windows for a 'supported' verdict.

    The verdict needs a one-sided placebo p-value <= 1 - level; with ``n`` placebo windows
    the smallest attainable p-value is ``1 / (n + 1)``, so ``n >= 1 / (1 - level) - 1``
    windows are needed (19 at level 0.95).
    """
    needed = math.ceil(1 / (1 - level) - 1 - 1e-9)
    table = diagnostics.summary().table
    short = [(team, int(n)) for team, n in table["n_placebos"].items() if n < needed]
    if not short:
        return []
    listed = ", ".join(f"{team} {n}" for team, n in short)
    return [f"diagnostics: too few placebo windows for a 'supported' verdict ({listed}; at "
            f"level {level:g} at least {needed} are needed, since the smallest attainable "
            "placebo p-value is 1/(n+1)); a longer history before the event gives more."]


def _flanders_series(calls: pd.DataFrame) -> pd.Series:
    s = calls.groupby("month")["calls"].sum()
    s.index = pd.PeriodIndex(s.index, freq="M", name="month")
    s.name = "calls"
    s.attrs["kind"] = calls.attrs.get("kind", "unspecified")
    return s


def compute_study(
    cfg: StudyConfig, *, progress: Callable[[str], None] | None = None
) -> StudyOutputs:
    """Run every analysis of the study; write nothing.

    Parameters
    ----------
    cfg : StudyConfig
        The study (:func:`impact.study.config.load_study`).
    progress : callable, optional
        Called with a short message before each step.

    Returns
    -------
    StudyOutputs
    """
    say = progress or (lambda _msg: None)
    calls = _load_calls(cfg, say)
    kind = calls.attrs.get("kind", cfg.data_kind)
    sha = calls.attrs.get("sha256", "")
    say(
        f"loaded {len(calls)} team-months, {calls['team'].nunique()} teams, "
        f"{calls['month'].min()} to {calls['month'].max()} (data kind {kind})"
    )
    registry = load_events(cfg.events)
    # an event the study asks about that is scoped to a team without data would never apply
    check_event_scopes(
        registry.filter(ids=[*cfg.headline_events, *cfg.headline_related, *cfg.other_events]),
        calls["team"].unique(),
    )
    published = load_published(cfg.published)
    statements_file = cfg.published.parent / "statements.csv"
    statements = (load_published_statements(statements_file) if statements_file.is_file()
                  else None)
    tables = _Tables(cfg, kind)
    notes: list[str] = []
    _check_pre_start(cfg, calls, notes)

    # Q1 -------------------------------------------------------------------------------
    tables.add("calls_per_team_year", table_calls_per_year(calls, total=cfg.total))
    tables.add("published_annual_calls", published_annual_calls(published))
    tables.add("calls_per_team_month", table_calls_per_month(calls, cfg.year,
                                                                  total=cfg.total))
    tables.add("seasonal_profile", table_seasonal_profile(calls))
    measure = data_measure(cfg, calls)
    if kind == "real":
        consistency = table_published_consistency(calls, published, measure=measure,
                                                  total=cfg.total)
        tables.add("published_consistency", consistency)
        notes.extend(_consistency_notes(consistency))

    # Q2 and Q3 ------------------------------------------------------------------------
    say("Q2/Q3: reported problems")
    problems = _compute_problems(calls, published, cfg=cfg, kind=kind, tables=tables)

    # Q4 headline ----------------------------------------------------------------------
    say(f"Q4: headline events, counterfactual per team and {cfg.total}")
    headline_reg = registry.filter(ids=cfg.headline_events)
    # related events (the arrest, later episodes) belong to the same story: they are part
    # of the joint effect, not confounders, so they are left out of the context
    skip = set(cfg.headline_events) | set(cfg.headline_related)
    context = EventRegistry([e for e in registry if e.id not in skip])
    if cfg.headline_related:
        notes.append(
            "the headline effect also covers the related events "
            + ", ".join(f"{registry[i].id} ({registry[i].name})" for i in cfg.headline_related)
            + "."
        )
    headline = estimate_effects(
        calls, headline_reg, spec=cfg.baseline, context=context, level=cfg.level,
        seed=cfg.seed, n_paths=cfg.n_paths, post_end=cfg.post_end, pre_start=cfg.pre_start,
        pooling=cfg.pooling, **_total_options(cfg),
    )
    confounding: dict[str, Confounding] = {}
    story = [*cfg.headline_events, *cfg.headline_related]
    head_conf = _counterfactual_confounding(headline, registry, skip=story)
    confounding[head_conf.event] = head_conf
    notes.extend(_headline_confounding_notes(head_conf))
    tables.add("headline_effects", _with_confounding(table_effects(headline), head_conf))
    say(f"Q4: interrupted time series on the {cfg.total} total")
    flanders = _flanders_series(calls)
    its_spec = dataclasses.replace(cfg.baseline, family="quasipoisson")
    its_window = flanders.loc[pd.Period(cfg.pre_start or flanders.index[0], "M"):
                              pd.Period(cfg.post_end or flanders.index[-1], "M")]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        headline_its = fit_its(
            its_window, headline_reg, spec=its_spec,
            context=registry.filter(kinds=("capacity", "registration", "pandemic")),
            level=cfg.level, seed=cfg.seed, data_kind=kind,
        )
    # the ITS warnings about the headline events go into the reports
    notes.extend(str(w.message) for w in caught
                 if any(eid in str(w.message) for eid in cfg.headline_events))
    tables.add("headline_its", headline_its.to_frame())
    # the ITS is fitted across the window with every event of a baseline kind as a term
    confounding["its:" + head_conf.event] = assess_confounding(
        registry, head_conf.window_start, head_conf.window_end, event=head_conf.event,
        skip=story, modelled=[e.id for e in registry if e.kind in BASELINE_KINDS])

    # Q4 other events ------------------------------------------------------------------
    other, rows = _compute_other_events(calls, registry, cfg=cfg, notes=notes, say=say,
                                        confounding=confounding)
    if rows:
        tables.add("other_events", pd.concat(rows, ignore_index=True))

    # diagnostics ----------------------------------------------------------------------
    diagnostics = None
    if cfg.run_diagnostics:
        say("diagnostics: backtests, placebo-in-time, sensitivity, residual checks")
        diagnostics = check_effects(
            calls, headline_reg, spec=cfg.baseline, context=context, level=cfg.level,
            seed=cfg.seed, post_end=cfg.post_end, pre_start=cfg.pre_start, progress=say,
            n_jobs=cfg.n_jobs,
        )
        tables.add("headline_diagnostics", diagnostics.summary().table.reset_index())
        notes.extend(_placebo_notes(diagnostics, cfg.level))
    daily = compute_daily(cfg, registry, progress=say) if cfg.run_daily else None
    if daily is not None:
        tables.add("daily_effects", table_daily_effects(daily))
        tables.add("daily_window", table_daily_window(daily))
        tables.add("daily_identifiability", table_daily_identifiability(daily))
        notes.extend(daily.notes)
    yoy = naive_year_on_year(headline, level=cfg.level, data_sha256=sha)
    tables.add("headline_year_on_year", yoy.drop(columns=["data_sha256"]))
    say("Q4: the headline over the window nearest the published one, and to the year end")
    windows = _headline_windows(calls, headline, headline_reg, context, published, cfg=cfg)
    window_table = headline_windows(windows, nearest="nearest_published", level=cfg.level)
    tables.add("headline_windows", window_table)
    _, _, first, last = windows[0]
    tables.add("detectable_effect", detectable_effects(headline.estimates, first, last))
    estimates = pd.concat(
        [estimate_rows(headline, estimator="counterfactual", data_sha256=sha), yoy]
        + [its_rows(headline_its, data_sha256=sha, total=cfg.total)]
        + [estimate_rows(r, estimator="counterfactual", data_sha256=sha) for r in other.values()]
        + [window_rows(window_table, data_sha256=sha)],
        ignore_index=True,
    )
    return StudyOutputs(
        config=cfg, data_kind=kind, data_sha256=sha, calls=calls, registry=registry,
        published=published, headline_registry=headline_reg, headline_context=context,
        headline=headline, headline_its=headline_its,
        other_effects=other, problems=problems, diagnostics=diagnostics,
        estimates=estimates, tables=tables.tables, warnings=tuple(dict.fromkeys(notes)),
        measure=measure, published_statements=statements, confounding=confounding,
        daily=daily,
    )


def _compute_other_events(
    calls: pd.DataFrame,
    registry: EventRegistry,
    *,
    cfg: StudyConfig,
    notes: list[str],
    say: Callable[[str], None],
    confounding: dict[str, Confounding],
) -> tuple[dict[str, Any], list[pd.DataFrame]]:
    """Q4 for the other registered events: one effect table each over
    ``[other_events] post_months`` months, with the events in its window
    (``confounding[eid]``; the study's headline events count as large confounders).

    An event whose window cannot be estimated from the data (it ends after the data,
    fewer than ``_MIN_PRE_MONTHS`` months precede it, or its baseline cannot be fitted)
    is dropped with one note saying why; it never stops the run.
    """
    other: dict[str, Any] = {}
    rows = []
    for eid in cfg.other_events:
        ev = registry[eid]
        say(f"Q4: other event {eid} ({ev.name})")
        post0 = ev.start.to_period("M")
        post_end = post0 + (cfg.other_post_months - 1)
        first, last = calls["month"].min(), calls["month"].max()
        if post_end > last:
            notes.append(f"event {eid} ({_short(ev.name)}) dropped: its window {post0} to "
                         f"{post_end} ends after the last month of data ({last}).")
            continue
        if post0 - _MIN_PRE_MONTHS < first:
            notes.append(f"event {eid} ({_short(ev.name)}) dropped: "
                         f"{_months((post0 - first).n)} of data before {post0}, at least "
                         f"{_MIN_PRE_MONTHS} needed for its baseline.")
            continue
        ctx = EventRegistry([e for e in registry if e.id != eid])
        try:
            res = estimate_effects(
                calls, EventRegistry([ev]), spec=cfg.baseline, context=ctx, level=cfg.level,
                seed=cfg.seed, n_paths=cfg.n_paths, post_end=str(post_end),
                pooling=cfg.pooling, **_total_options(cfg),
            )
        except ImpactError as exc:
            # an event the study did not ask about as its headline never stops the run:
            # it is dropped with the reason, which the reports list
            notes.append(f"event {eid} ({_short(ev.name)}) dropped: {_first_sentence(exc)}")
            continue
        other[eid] = res
        conf = _counterfactual_confounding(
            res, registry, skip=[eid], large=[*cfg.headline_events, *cfg.headline_related])
        confounding[eid] = conf
        t = table_effects(res)
        t.insert(1, "event_name", ev.name)
        t.insert(2, "post_start", str(post0))
        t.insert(3, "post_end", str(post_end))
        rows.append(_with_confounding(t, conf))
    return other, rows


#: Days of the published window when a published year-on-year figure names none.
_PUBLISHED_WINDOW_DAYS = 21
_WEEKS = re.compile(r"(\d+)_weeks?\b")


def _published_window_days(published: pd.DataFrame, year: int) -> int:
    """Length in days of the published year-on-year window of ``year`` (``..._3_weeks``)."""
    if published is None or not len(published):
        return _PUBLISHED_WINDOW_DAYS
    rows = published[published["year"].eq(year)
                     & published["quantity"].astype(str).str.startswith("relative_change_vs_")]
    for q in rows["quantity"].astype(str):
        m = _WEEKS.search(q)
        if m:
            return 7 * int(m.group(1))
    return _PUBLISHED_WINDOW_DAYS


def _nearest_month(start: pd.Timestamp, days: int) -> pd.Period:
    """The calendar month holding most days of ``days`` days from ``start``."""
    span = pd.date_range(start, periods=days, freq="D")
    return span.to_period("M").value_counts().sort_index().idxmax()


def _headline_windows(
    calls: pd.DataFrame,
    headline: Any,
    headline_reg: EventRegistry,
    context: EventRegistry,
    published: pd.DataFrame,
    *,
    cfg: StudyConfig,
) -> list[tuple[str, Any, pd.Period, pd.Period]]:
    """The windows of :func:`impact.study.tables.headline_windows`: the month nearest the
    published window (the one holding most of its days; monthly data cannot give the
    published window itself), the headline window, and from that month to the end of
    the year (or of the data). The last one refits the headline with a later
    ``post_end`` when it runs past the headline window."""
    total = headline.estimates[-1]
    start = min(e.start for e in headline_reg if e.kind not in BASELINE_KINDS)
    days = _published_window_days(published, int(start.year))
    month = _nearest_month(start, days)
    month = min(max(month, total.post_start), total.post_end)
    year_end = min(pd.Period(f"{start.year}-12", "M"), calls["month"].max())
    windows = [("nearest_published", headline, month, month),
               ("headline", headline, total.post_start, total.post_end)]
    if year_end > total.post_end:
        # the same fit as the headline's (the same history); its warnings are the headline's
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            longer = estimate_effects(
                calls, headline_reg, spec=cfg.baseline, context=context, level=cfg.level,
                seed=cfg.seed, n_paths=cfg.n_paths, post_end=str(year_end),
                pre_start=cfg.pre_start, pooling=cfg.pooling, **_total_options(cfg),
            )
        windows.append(("to_year_end", longer, month, year_end))
    elif year_end > month:
        windows.append(("to_year_end", headline, month, year_end))
    return windows


def _counterfactual_confounding(
    table: Any, registry: EventRegistry, *, skip: list[str], large: list[str] | None = None
) -> Confounding:
    """The events inside the window of a counterfactual effect table; the roles of the
    team fits say which of them the baselines model (the total sums the teams' paths)."""
    total = table.estimates[-1]
    modelled: set[str] = set()
    for e in table.estimates:
        if e.setup is not None:
            modelled |= modelled_ids(e.setup.roles, e.post_start)
    return assess_confounding(
        registry, total.post_start, total.post_end, event=str(total.event), skip=skip,
        modelled=modelled, large=large or (),
    )


#: Columns :func:`_with_confounding` appends to an effect table.
CONFOUNDING_COLUMNS: tuple[str, ...] = ("confounding", "confounded_by", "events_in_window")


def _with_confounding(frame: pd.DataFrame, conf: Confounding) -> pd.DataFrame:
    """The effect table with the verdict, the confounders' ids and the events in the
    window in words (every row of one estimate shares its window)."""
    out = frame.copy()
    out["confounding"] = conf.verdict
    out["confounded_by"] = " ".join(e.id for e in conf.confounders)
    out["events_in_window"] = conf.names("en")
    return out


def _headline_confounding_notes(conf: Confounding) -> list[str]:
    """The headline's window in words: what the joint effect includes besides its events."""
    if not conf.confounders:
        return []
    # ISO days and registry names: the Dutch report renders both (reporting.translations)
    names = ", ".join(f"{w.event.id} {w.event.name} ({w.event.start.date().isoformat()})"
                      for w in conf.events if w.is_confounder)
    return [f"the headline effect {conf.event} ({conf.window_start} to {conf.window_end}) "
            f"also includes {names}: the counterfactual "
            "baseline, fitted on the months before the window, does not model it; the "
            "interrupted time series does (as a known break)."]


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def _short(name: str, width: int = 50) -> str:
    return name if len(name) <= width else name[: width - 3].rstrip() + "..."


def _first_sentence(exc: Exception) -> str:
    """The first sentence of an error (what went wrong), on one line."""
    text = " ".join(str(exc).split())
    cut = text.find(". ")
    return text if cut < 0 else text[: cut + 1]


def _compute_problems(
    calls: pd.DataFrame,
    published: pd.DataFrame,
    *,
    cfg: StudyConfig,
    kind: str,
    tables: _Tables,
) -> dict[str, Any]:
    """Q2 and Q3: published problem figures, and per-team categories where the data have
    them (the synthetic panel gets a synthetic category split, labelled as such)."""
    out: dict[str, Any] = {}
    series = published_problem_series(published=published)
    out["published_series"] = series
    tables.add("published_problems", series.to_frame())
    comparisons = []
    for category, years, measure in _PUBLISHED_COMPARISONS:
        try:
            comparisons.append(compare_published(category, years=years, measure=measure,
                                                 published=published).to_frame())
        except ImpactError as exc:
            comparisons.append(pd.DataFrame([{
                "team": FLANDERS, "category": category, "measure": measure,
                "year_first": years[0], "year_second": years[1], "caveats": f"refused: {exc}",
                "data_kind": "published"}]))
    tables.add("published_problem_changes", pd.concat(comparisons, ignore_index=True))
    if kind == "synthetic":
        cats = synthesize_categories(calls, seed=cfg.seed)
        yearly = cats.assign(period=cats["period"].astype(str).str[:4])
        yearly = yearly.groupby(["team", "period", "category", "base", "data_kind"],
                                as_index=False)["count"].sum()
        last = yearly[yearly["period"] == str(cfg.year)]
        shares = category_shares(last, level=cfg.level)
        out["team_shares"] = shares
        pub_table = suppress_small_cells(
            shares.to_frame()[["team", "category", "count"]],
            threshold=cfg.suppression_threshold)
        tables.add("team_problem_counts", pub_table)
        # shares and their intervals reveal the counts: blank them where the counts
        # table suppressed them
        share_table = shares.to_frame().merge(
            pub_table[["team", "category", "suppressed"]], on=["team", "category"],
            how="left")
        hidden = share_table["suppressed"].fillna(False).astype(bool)
        for col in ("count", "total", "share", "share_lower", "share_upper"):
            if col in share_table.columns:
                share_table[col] = share_table[col].astype(float).mask(hidden)
        tables.add("team_problem_shares", share_table)
        trends = fit_category_trends(yearly[yearly["period"] >= "2016"], level=cfg.level)
        out["team_trends"] = trends
        tables.add("team_problem_trends", trends.to_frame())
    return out
