"""The study: read ``study.toml``, run the analyses, write ``results/``.

``python -m impact run study.toml`` calls :func:`run_study`. Every table and figure is
produced by one function registered under a stable id; the manifest maps id -> function.
"""

from __future__ import annotations

import dataclasses
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS, DEFAULT_SEED, FLANDERS
from impact._core.exceptions import DataValidationError, ImpactError
from impact.baselines import BaselineSpec

__all__ = ["ESTIMATE_COLUMNS", "StudyConfig", "load_study", "run_study"]

#: Columns of ``results/estimates.csv``.
ESTIMATE_COLUMNS: tuple[str, ...] = (
    "team",
    "event",
    "estimator",
    "model",
    "quantity",
    "estimate",
    "lower",
    "upper",
    "level",
    "unit",
    "data_kind",
    "data_sha256",
)


@dataclasses.dataclass(frozen=True)
class StudyConfig:
    """The parsed ``study.toml`` with paths resolved against its folder."""

    path: Path
    raw: dict[str, Any]
    data_kind: str
    calls: Path
    events: Path
    published: Path
    seed: int
    level: float
    n_paths: int
    teams: tuple[str, ...]
    baseline: BaselineSpec
    headline_events: tuple[str, ...]
    headline_related: tuple[str, ...]
    post_end: str | None
    pre_start: str | None
    out_dir: Path
    suppression_threshold: int
    year: int
    other_events: tuple[str, ...]
    other_post_months: int
    run_diagnostics: bool


def load_study(path: str | Path) -> StudyConfig:
    """Read and validate ``study.toml``.

    Raises
    ------
    DataValidationError
        When the file is missing, not TOML, or a setting is invalid (the message names
        the setting).
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise DataValidationError(f"study file {path} does not exist.")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataValidationError(f"study file {path} is not valid TOML: {exc}") from exc
    root = path.parent

    def get(section: str, key: str, default: Any = None, *, required: bool = False) -> Any:
        sec = raw.get(section, {})
        if key not in sec:
            if required:
                raise DataValidationError(
                    f"study file {path}: [{section}] {key} is required."
                )
            return default
        return sec[key]

    kind = get("data", "kind", "synthetic")
    if kind not in ("real", "synthetic"):
        raise DataValidationError(
            f"study file {path}: [data] kind = {kind!r}; expected 'real' or 'synthetic'."
        )
    b = raw.get("baseline", {})
    try:
        spec = BaselineSpec(**b)
    except TypeError as exc:
        raise DataValidationError(f"study file {path}: [baseline] {exc}") from exc
    return StudyConfig(
        path=path,
        raw=raw,
        data_kind=kind,
        calls=root / get("data", "calls", required=True),
        events=root / get("data", "events", "data/events/events.csv"),
        published=root / get("data", "published", "data/published/published_figures.csv"),
        seed=int(get("study", "seed", DEFAULT_SEED)),
        level=float(get("study", "level", DEFAULT_LEVEL)),
        n_paths=int(get("study", "n_paths", DEFAULT_N_PATHS)),
        teams=tuple(get("study", "teams", ())),
        baseline=spec,
        headline_events=tuple(get("headline", "events", ("E048", "E049"))),
        headline_related=tuple(get("headline", "related", ())),
        post_end=get("headline", "post_end"),
        pre_start=get("headline", "pre_start"),
        out_dir=root / get("outputs", "dir", "results"),
        suppression_threshold=int(get("outputs", "suppression_threshold", 5)),
        year=int(get("study", "year", 2023)),
        other_events=tuple(get("other_events", "events", ())),
        other_post_months=int(get("other_events", "post_months", 3)),
        run_diagnostics=bool(get("diagnostics", "run", True)),
    )


class _Progress:
    """Step-by-step progress on stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.t0 = time.perf_counter()

    def __call__(self, msg: str) -> None:
        if not self.quiet:
            dt = time.perf_counter() - self.t0
            print(f"[{dt:6.1f}s] {msg}", file=sys.stderr, flush=True)


def _load_calls(cfg: StudyConfig, progress: _Progress) -> pd.DataFrame:
    from impact.io.calls import load_call_counts

    if cfg.data_kind == "synthetic" and not cfg.calls.is_file():
        from impact.simulation.synthetic import write_synthetic_panel

        progress(f"building the synthetic panel into {cfg.calls.parent}")
        write_synthetic_panel(cfg.calls.parent, seed=cfg.seed)
    if not cfg.calls.is_file():
        raise DataValidationError(
            f"call-count file {cfg.calls} does not exist; put the real table under data/raw/ "
            "and point [data] calls to it, or use kind = 'synthetic'."
        )
    frame = load_call_counts(cfg.calls, kind=cfg.data_kind)
    if cfg.teams:
        unknown = sorted(set(cfg.teams) - set(frame["team"]))
        if unknown:
            raise DataValidationError(
                f"study file: teams {unknown} are not in {cfg.calls}; teams there: "
                f"{sorted(frame['team'].unique())}."
            )
        attrs = dict(frame.attrs)
        frame = frame[frame["team"].isin(cfg.teams)].reset_index(drop=True)
        frame.attrs.update(attrs)
    return frame


# ------------------------------------------------------------------------ outputs by id


def table_calls_per_year(calls: pd.DataFrame) -> pd.DataFrame:
    """T01: calls per team and year, the Flanders total, and year-on-year change."""
    f = calls.assign(year=pd.PeriodIndex(calls["month"]).year)
    wide = f.pivot_table(index="year", columns="team", values="calls", aggfunc="sum")
    months = f.groupby("year")["month"].nunique()
    wide[FLANDERS] = wide.sum(axis=1)
    long = wide.reset_index().melt(id_vars="year", var_name="team", value_name="calls")
    long["months"] = long["year"].map(months)
    long = long.sort_values(["team", "year"]).reset_index(drop=True)
    prev = long.groupby("team")["calls"].shift(1)
    long["change_vs_previous_year"] = np.where(
        long["months"].eq(12) & long["year"].sub(1).map(months).eq(12), long["calls"] / prev - 1,
        np.nan,
    )
    return long[["team", "year", "months", "calls", "change_vs_previous_year"]]


def table_published_annual(published: pd.DataFrame) -> pd.DataFrame:
    """T02: published Flanders annual call totals with source ids."""
    from impact.io.published import published_annual_calls

    return published_annual_calls(published)


def estimate_rows(table: Any, *, estimator: str, data_sha256: str) -> pd.DataFrame:
    """Tidy rows of ``estimates.csv`` for an :class:`~impact.estimation.counterfactual.EffectTable`."""
    rows = []
    for e in table.estimates:
        for quantity, est, lo, hi, unit in (
            ("cumulative_effect", e.cumulative_effect, e.cumulative_effect_lower,
             e.cumulative_effect_upper, "calls"),
            ("relative_effect", e.relative_effect, e.relative_effect_lower,
             e.relative_effect_upper, "ratio"),
            ("average_effect", e.average_effect, e.average_effect_lower,
             e.average_effect_upper, "calls per month"),
            ("p_positive", e.p_positive, np.nan, np.nan, "probability"),
            ("observed", float(e.frame.loc[e.frame.is_post, "observed"].sum()), np.nan, np.nan,
             "calls"),
            ("expected", float(e.frame.loc[e.frame.is_post, "expected"].sum()), np.nan, np.nan,
             "calls"),
        ):
            rows.append(
                {
                    "team": e.team,
                    "event": e.event,
                    "estimator": estimator,
                    "model": e.spec.label,
                    "quantity": quantity,
                    "estimate": est,
                    "lower": lo,
                    "upper": hi,
                    "level": e.level,
                    "unit": unit,
                    "data_kind": e.data_kind,
                    "data_sha256": data_sha256,
                }
            )
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))


@dataclasses.dataclass
class StudyOutputs:
    """Everything the study computed, before anything is written.

    Reports and notebooks read from here (never from typed numbers). ``tables`` maps a
    stable table id to ``(frame, producer, data_kind, title)``; ``estimates`` is the tidy
    frame written to ``results/estimates.csv``.
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
    tables: dict[str, tuple[pd.DataFrame, str, str, str]]
    warnings: tuple[str, ...]

    def table(self, table_id: str) -> pd.DataFrame:
        """The frame of a table id (copy)."""
        return self.tables[table_id][0].copy()


def table_calls_per_month(calls: pd.DataFrame, year: int) -> pd.DataFrame:
    """T03: calls per team and month of ``year`` (wide: one column per team + Flanders)."""
    f = calls[pd.PeriodIndex(calls["month"]).year == year]
    if f.empty:
        raise DataValidationError(
            f"study: no calls in {year}; set [study] year to a year the data cover."
        )
    wide = f.pivot_table(index="month", columns="team", values="calls", aggfunc="sum")
    wide[FLANDERS] = wide.sum(axis=1)
    wide.index = wide.index.astype(str)
    out = wide.reset_index()
    out.columns.name = None
    return out


def table_seasonal_profile(calls: pd.DataFrame) -> pd.DataFrame:
    """T04: mean share of a team's yearly calls that falls in each calendar month."""
    f = calls.assign(
        year=pd.PeriodIndex(calls["month"]).year, month_of_year=pd.PeriodIndex(calls["month"]).month
    )
    full = f.groupby(["team", "year"])["month"].transform("nunique") == 12
    f = f[full]
    f["share"] = f["calls"] / f.groupby(["team", "year"])["calls"].transform("sum")
    prof = f.groupby(["team", "month_of_year"])["share"].agg(["mean", "std", "count"])
    return prof.reset_index().rename(
        columns={"mean": "share_of_year", "std": "share_sd", "count": "years"}
    )


def table_effects(table: Any) -> pd.DataFrame:
    """Summary rows of an :class:`~impact.estimation.counterfactual.EffectTable` (one per team + Flanders)."""
    return table.summary().table.reset_index()


def compute_study(
    cfg: StudyConfig, *, progress: Callable[[str], None] | None = None
) -> StudyOutputs:
    """Run every analysis of the study; write nothing."""
    from impact.estimation.counterfactual import estimate_effects
    from impact.estimation.its import fit_its
    from impact.events.registry import EventRegistry, load_events
    from impact.io.published import load_published

    say = progress or (lambda _msg: None)
    calls = _load_calls(cfg, _Progress(quiet=progress is None) if progress else _Progress(True))
    kind = calls.attrs.get("kind", cfg.data_kind)
    sha = calls.attrs.get("sha256", "")
    say(
        f"loaded {len(calls)} team-months, {calls['team'].nunique()} teams, "
        f"{calls['month'].min()} to {calls['month'].max()} (data kind {kind})"
    )
    registry = load_events(cfg.events)
    published = load_published(cfg.published)
    tables: dict[str, tuple[pd.DataFrame, str, str, str]] = {}
    notes: list[str] = []

    # Q1 -------------------------------------------------------------------------------
    tables["T01_calls_per_team_year"] = (
        table_calls_per_year(calls), "impact.study.run.table_calls_per_year", kind,
        "Calls per team and year, Flanders total and change against the previous year")
    tables["T02_published_annual_calls"] = (
        table_published_annual(published), "impact.io.published.published_annual_calls",
        "published", "Published annual 1712 call totals (Flanders), with sources")
    tables["T03_calls_per_team_month"] = (
        table_calls_per_month(calls, cfg.year), "impact.study.run.table_calls_per_month", kind,
        f"Calls per team and month in {cfg.year}")
    tables["T04_seasonal_profile"] = (
        table_seasonal_profile(calls), "impact.study.run.table_seasonal_profile", kind,
        "Share of yearly calls per calendar month, by team")

    # Q2 and Q3 ------------------------------------------------------------------------
    say("Q2/Q3: reported problems")
    problems = compute_problems(calls, published, cfg=cfg, kind=kind, tables=tables)

    # Q4 headline ----------------------------------------------------------------------
    say("Q4: Pichal + Godvergeten, counterfactual per team and Flanders")
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
    )
    tables["T07_headline_effects"] = (
        table_effects(headline), "impact.study.run.table_effects", kind,
        "Pichal + Godvergeten: excess calls and relative effect per team and Flanders")
    say("Q4: interrupted time series on the Flanders total")
    from impact.io.calls import to_series

    flanders = _flanders_series(calls)
    its_spec = dataclasses.replace(cfg.baseline, family="quasipoisson")
    its_window = flanders.loc[pd.Period(cfg.pre_start or flanders.index[0], "M"):
                              pd.Period(cfg.post_end or flanders.index[-1], "M")]
    import warnings as _w

    with _w.catch_warnings(record=True) as caught:
        _w.simplefilter("always")
        headline_its = fit_its(
            its_window, headline_reg, spec=its_spec,
            context=registry.filter(kinds=("capacity", "registration", "pandemic")),
            level=cfg.level, seed=cfg.seed, data_kind=kind,
        )
    notes.extend(str(w.message) for w in caught if "E048" in str(w.message))
    tables["T08_headline_its"] = (
        headline_its.to_frame(), "impact.estimation.its.fit_its", kind,
        "Interrupted time series (quasi-Poisson) on the Flanders total: rate ratios and excess")

    # Q4 other events ------------------------------------------------------------------
    other: dict[str, Any] = {}
    rows = []
    for eid in cfg.other_events:
        ev = registry[eid]
        say(f"Q4: other event {eid} ({ev.name})")
        post0 = ev.start.to_period("M")
        post_end = post0 + (cfg.other_post_months - 1)
        if post_end > calls["month"].max() or post0 - 36 < calls["month"].min():
            notes.append(f"event {eid} skipped: not enough data around {post0}.")
            continue
        ctx = EventRegistry([e for e in registry if e.id != eid])
        res = estimate_effects(
            calls, EventRegistry([ev]), spec=cfg.baseline, context=ctx, level=cfg.level,
            seed=cfg.seed, n_paths=cfg.n_paths, post_end=str(post_end),
        )
        other[eid] = res
        t = table_effects(res)
        t.insert(1, "event_name", ev.name)
        t.insert(2, "post_start", str(post0))
        t.insert(3, "post_end", str(post_end))
        rows.append(t)
    if rows:
        tables["T09_other_events"] = (
            pd.concat(rows, ignore_index=True), "impact.study.run.table_effects", kind,
            f"Other campaigns and news events: effect over {cfg.other_post_months} months")

    # diagnostics ----------------------------------------------------------------------
    diagnostics = None
    if cfg.run_diagnostics:
        try:
            from impact.diagnostics.bundle import check_effects
        except ImportError:  # pragma: no cover - module added by the diagnostics issue
            check_effects = None
        if check_effects is not None:
            say("diagnostics: backtests, placebo-in-time, sensitivity, residual checks")
            diagnostics = check_effects(
                calls, headline_reg, spec=cfg.baseline, context=context, level=cfg.level,
                seed=cfg.seed, post_end=cfg.post_end, pre_start=cfg.pre_start, progress=say,
            )

    if diagnostics is not None:
        tables["T13_headline_diagnostics"] = (
            diagnostics.summary().table.reset_index(), "impact.diagnostics.bundle.check_effects", kind,
            "Diagnostics of the headline estimate: placebo rank, false-positive rate, "
            "sensitivity range, residual and capacity checks")
    yoy = naive_year_on_year(headline, level=cfg.level, data_sha256=sha)
    tables["T14_headline_year_on_year"] = (
        yoy.drop(columns=["data_sha256"]), "impact.study.run.naive_year_on_year", kind,
        "Naive comparison with the same months a year earlier (ignores trend and capacity)")
    estimates = pd.concat(
        [estimate_rows(headline, estimator="counterfactual", data_sha256=sha), yoy]
        + [its_rows(headline_its, data_sha256=sha)]
        + [estimate_rows(r, estimator="counterfactual", data_sha256=sha) for r in other.values()],
        ignore_index=True,
    )
    del to_series
    return StudyOutputs(
        config=cfg, data_kind=kind, data_sha256=sha, calls=calls, registry=registry,
        published=published, headline_registry=headline_reg, headline_context=context,
        headline=headline, headline_its=headline_its,
        other_effects=other, problems=problems, diagnostics=diagnostics,
        estimates=estimates, tables=tables, warnings=tuple(dict.fromkeys(notes)),
    )


def naive_year_on_year(table: Any, *, level: float, data_sha256: str) -> pd.DataFrame:
    """The "+x% against the same period a year earlier" comparison, per team and Flanders.

    The relative change of the post-period sum against the same months one year earlier,
    with an exact interval for the ratio of two Poisson counts (conditional binomial).
    It ignores trend, seasonality shifts, capacity changes and overdispersion; it is
    reported only to set the published year-on-year figure beside the counterfactual
    estimate (on simulated data about half of its 95% intervals miss the truth,
    DESIGN.md section 8 and benchmarks/results/benchmark.md).
    """
    from scipy import stats

    rows = []
    a = (1 - level) / 2
    for e in table.estimates:
        f = e.frame
        post = f.index[f["is_post"].to_numpy()]
        prev = post - 12
        if prev[0] < f.index[0]:
            continue
        x = float(f.loc[post, "observed"].sum())
        y = float(f.loc[prev, "observed"].sum())
        lo_p = stats.beta.ppf(a, x, y + 1) if x > 0 else 0.0
        hi_p = stats.beta.ppf(1 - a, x + 1, y) if y > 0 else 1.0
        rows.append({
            "team": e.team, "event": e.event, "estimator": "naive_yoy",
            "model": f"same months a year earlier ({prev[0]} to {prev[-1]})",
            "quantity": "relative_effect", "estimate": x / y - 1 if y > 0 else np.nan,
            "lower": lo_p / (1 - lo_p) - 1, "upper": hi_p / (1 - hi_p) - 1 if hi_p < 1 else np.inf,
            "level": level, "unit": "ratio", "data_kind": e.data_kind,
            "data_sha256": data_sha256,
        })
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))


def _flanders_series(calls: pd.DataFrame) -> pd.Series:
    s = calls.groupby("month")["calls"].sum()
    s.index = pd.PeriodIndex(s.index, freq="M", name="month")
    s.name = "calls"
    s.attrs["kind"] = calls.attrs.get("kind", "unspecified")
    return s


def its_rows(res: Any, *, data_sha256: str) -> pd.DataFrame:
    """Tidy ``estimates.csv`` rows of an :class:`~impact.estimation.its.ITSResult` (Flanders)."""
    rows = []
    for r in res.effects.itertuples():
        for quantity, est, lo, hi, unit in (
            ("rate_ratio", r.rate_ratio, r.rate_ratio_lower, r.rate_ratio_upper, "ratio"),
            ("excess", r.excess, r.excess_lower, r.excess_upper, "calls"),
        ):
            rows.append({
                "team": FLANDERS, "event": r.event, "estimator": "its", "model": res.spec.label,
                "quantity": f"{quantity}" if r.term == "level" else f"{quantity}_{r.term}",
                "estimate": est, "lower": lo, "upper": hi, "level": res.level, "unit": unit,
                "data_kind": res.data_kind, "data_sha256": data_sha256,
            })
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))


def compute_problems(
    calls: pd.DataFrame,
    published: pd.DataFrame,
    *,
    cfg: StudyConfig,
    kind: str,
    tables: dict[str, tuple[pd.DataFrame, str, str, str]],
) -> dict[str, Any]:
    """Q2 and Q3: published problem figures, and per-team categories where the data have
    them (the synthetic panel gets a synthetic category split, labelled as such)."""
    from impact import problems as P
    out: dict[str, Any] = {}
    series = P.published_problem_series(published=published)
    out["published_series"] = series
    tables["T05_published_problems"] = (
        series.to_frame(), "impact.problems.shares.published_problem_series", "published",
        "Published problem figures per year with their base and source")
    comparisons = []
    for category, years, measure in (
        ("partner_violence", (2019, 2020), "count"),
        ("partner_violence", (2019, 2023), "share"),
        ("child_abuse", (2019, 2023), "share"),
        ("intrafamilial_violence_adults", (2021, 2023), "count"),
        ("sexual_violence", (2020, 2021), "share"),
    ):
        try:
            comparisons.append(P.compare_published(category, years=years, measure=measure,
                                                   published=published).to_frame())
        except ImpactError as exc:
            comparisons.append(pd.DataFrame([{
                "team": FLANDERS, "category": category, "measure": measure,
                "year_first": years[0], "year_second": years[1], "caveats": f"refused: {exc}",
                "data_kind": "published"}]))
    tables["T06_published_problem_changes"] = (
        pd.concat(comparisons, ignore_index=True), "impact.problems.shares.compare_published",
        "published", "Changes in published problem figures (same base only)")
    if kind == "synthetic":
        cats = P.synthesize_categories(calls, seed=cfg.seed)
        yearly = cats.assign(period=cats["period"].astype(str).str[:4])
        yearly = yearly.groupby(["team", "period", "category", "base", "data_kind"],
                                as_index=False)["count"].sum()
        last = yearly[yearly["period"] == str(cfg.year)]
        shares = P.category_shares(last, level=cfg.level)
        out["team_shares"] = shares
        pub_table = P.suppress_small_cells(
            shares.to_frame()[["team", "category", "count"]],
            threshold=cfg.suppression_threshold)
        tables["T10_team_problem_counts"] = (
            pub_table, "impact.problems.shares.suppress_small_cells", "synthetic",
            f"Problem categories per team in {cfg.year} (small cells suppressed)")
        # shares and their intervals reveal the counts: blank them where T10 suppressed
        share_table = shares.to_frame().merge(
            pub_table[["team", "category", "suppressed"]], on=["team", "category"],
            how="left")
        hidden = share_table["suppressed"].fillna(False).astype(bool)
        for col in ("count", "total", "share", "share_lower", "share_upper"):
            if col in share_table.columns:
                share_table[col] = share_table[col].astype(float).mask(hidden)
        tables["T11_team_problem_shares"] = (
            share_table, "impact.problems.shares.category_shares", "synthetic",
            f"Share of each problem category per team in {cfg.year}, with intervals")
        trends = P.fit_category_trends(yearly[yearly["period"] >= "2016"], level=cfg.level)
        out["team_trends"] = trends
        tables["T12_team_problem_trends"] = (
            trends.to_frame(), "impact.problems.shares.fit_category_trends", "synthetic",
            "Yearly rate of change per problem category and team (share of calls)")
    return out


def write_study(outputs: StudyOutputs, *, progress: Callable[[str], None] | None = None) -> Any:
    """Write tables, figures, ``estimates.csv``, reports and ``manifest.json``.

    Returns the :class:`~impact.reporting.writer.ResultsWriter` that recorded every output.
    """
    import matplotlib.pyplot as plt

    from impact import plots
    from impact.reporting.writer import ResultsWriter, build_manifest, write_manifest

    say = progress or (lambda _msg: None)
    cfg = outputs.config
    kind = outputs.data_kind
    out = ResultsWriter(cfg.out_dir)
    for table_id, (frame, producer, data_kind, title) in outputs.tables.items():
        out.table(table_id, frame, producer=producer, data_kind=data_kind, title=title)
    est_path = cfg.out_dir / "estimates.csv"
    outputs.estimates.to_csv(est_path, index=False, lineterminator="\n", float_format="%.6g")
    out.file("estimates", est_path, producer="impact.study.run.estimate_rows", data_kind=kind,
             title="Tidy estimates (team, event, estimator, model, quantity, interval)")
    say("figures")
    calls = outputs.calls
    headline = outputs.headline
    with plots.project_style():
        fig = plots.plot_calls_overview(calls, data_kind=kind,
                                        figure_id="F01_calls_per_team_month")
        out.figure("F01_calls_per_team_month", fig,
                   calls.assign(month=calls["month"].astype(str)),
                   producer="impact.plots.plot_calls_overview", data_kind=kind,
                   title="Calls per team and month")

        n = len(headline.estimates)
        fig, axes = plt.subplots((n + 1) // 2, 2, figsize=(10, 2.4 * ((n + 1) // 2)),
                                 sharex=True)
        axes = np.atleast_1d(axes).ravel()
        start = pd.Timestamp(year=cfg.year - 2, month=1, day=1)
        for i, (ax, e) in enumerate(zip(axes, headline.estimates, strict=False)):
            plots.plot_effect(e, ax=ax, legend=i == 0)
            ax.set_xlim(start, None)
        fig.suptitle(headline.estimates[0].event_names, fontsize=10)
        for ax in axes[n:]:
            ax.set_visible(False)
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        plots.stamp_figure(fig, data_kind=kind, figure_id="F02_headline_effect_by_team")
        out.figure("F02_headline_effect_by_team", fig,
                   headline.to_frame().assign(month=lambda d: d["month"].astype(str)),
                   producer="impact.plots.plot_effect", data_kind=kind,
                   title="Observed calls vs counterfactual, Pichal + Godvergeten, per team")

        ax = plots.plot_forest(headline)
        ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
        plots.stamp_figure(ax.figure, data_kind=kind, figure_id="F03_headline_forest")
        out.figure("F03_headline_forest", ax.figure, headline.summary().table.reset_index(),
                   producer="impact.plots.plot_forest", data_kind=kind,
                   title="Relative effect of Pichal + Godvergeten by team and Flanders")

        total = headline.estimates[-1]
        ax = plots.plot_cumulative(total)
        ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
        plots.stamp_figure(ax.figure, data_kind=kind, figure_id="F04_headline_cumulative")
        out.figure("F04_headline_cumulative", ax.figure,
                   total.cumulative_frame().reset_index().assign(
                       month=lambda d: d["month"].astype(str)),
                   producer="impact.plots.plot_cumulative", data_kind=kind,
                   title="Cumulative excess calls in Flanders since the Pichal case")

        prof = outputs.table("T04_seasonal_profile")
        ax = plots.plot_seasonal_profile(prof)
        ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
        plots.stamp_figure(ax.figure, data_kind=kind, figure_id="F05_seasonal_profile")
        out.figure("F05_seasonal_profile", ax.figure, prof,
                   producer="impact.plots.plot_seasonal_profile", data_kind=kind,
                   title="Seasonal profile of calls per team")

        annual = outputs.table("T02_published_annual_calls")
        ax = plots.plot_published_annual(annual)
        ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
        plots.stamp_figure(ax.figure, data_kind="published",
                           figure_id="F06_published_annual_calls")
        out.figure("F06_published_annual_calls", ax.figure,
                   annual[["year", "calls", "quantity", "source_id", "is_partial_year"]],
                   producer="impact.plots.plot_published_annual", data_kind="published",
                   title="Published annual 1712 calls, Flanders")

        diag = outputs.diagnostics
        if diag is not None:
            fig = diag.plot(figure_id="F07_headline_diagnostics")  # stamps the data kind
            out.figure("F07_headline_diagnostics", fig, diag.to_frame(),
                       producer="impact.diagnostics.bundle.check_effects", data_kind=kind,
                       title="Placebo distribution and specification curve for the headline")
    try:
        from impact.reporting.report import write_reports
    except ImportError:  # pragma: no cover - added by the study issue
        write_reports = None
    if write_reports is not None:
        say("reports (nl, en, html, policy note)")
        for rid, path in write_reports(outputs, out).items():
            out.file(rid, path, producer="impact.reporting.report.write_reports", data_kind=kind,
                     title=f"report {rid}")
    manifest = build_manifest(
        root=cfg.out_dir,
        config=cfg.raw,
        inputs={"calls": cfg.calls, "events": cfg.events, "published": cfg.published},
        outputs=out.outputs,
        seeds={"study": cfg.seed,
               "streams": "np.random.SeedSequence([seed, crc32(team), crc32(event ids)])"},
        repo=cfg.path.parent,
    )
    write_manifest(cfg.out_dir / "manifest.json", manifest)
    return out


def run_study(path: str | Path, *, quiet: bool = False) -> Path:
    """Regenerate ``results/`` from ``study.toml``, ``data/`` and code.

    Returns
    -------
    Path
        The results folder.
    """
    progress = _Progress(quiet)
    cfg = load_study(path)
    progress(f"study {cfg.path.name}: data kind {cfg.data_kind}, seed {cfg.seed}")
    outputs = compute_study(cfg, progress=progress)
    write_study(outputs, progress=progress)
    progress(f"wrote {cfg.out_dir}")
    return cfg.out_dir
