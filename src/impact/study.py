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

from impact.baselines import BaselineSpec
from impact.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS, DEFAULT_SEED, FLANDERS
from impact.exceptions import DataValidationError, ImpactError

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
    post_end: str | None
    pre_start: str | None
    out_dir: Path
    suppression_threshold: int


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
        post_end=get("headline", "post_end"),
        pre_start=get("headline", "pre_start"),
        out_dir=root / get("outputs", "dir", "results"),
        suppression_threshold=int(get("outputs", "suppression_threshold", 5)),
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
    from impact.data import load_call_counts

    if cfg.data_kind == "synthetic" and not cfg.calls.is_file():
        from impact.synthetic import write_synthetic_panel

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
    from impact.published import published_annual_calls

    return published_annual_calls(published)


def estimate_rows(table: Any, *, estimator: str, data_sha256: str) -> pd.DataFrame:
    """Tidy rows of ``estimates.csv`` for an :class:`~impact.effects.EffectTable`."""
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


def run_study(path: str | Path, *, quiet: bool = False) -> Path:
    """Regenerate ``results/`` from ``study.toml``, ``data/`` and code.

    Returns
    -------
    Path
        The results folder.
    """
    from impact.effects import estimate_effects
    from impact.events import load_events
    from impact.plots import plot_calls_overview, plot_effect, plot_forest, project_style, stamp_figure
    from impact.published import load_published
    from impact.reporting import ResultsWriter, build_manifest, write_manifest

    progress = _Progress(quiet)
    cfg = load_study(path)
    progress(f"study {cfg.path.name}: data kind {cfg.data_kind}, seed {cfg.seed}")
    calls = _load_calls(cfg, progress)
    kind = calls.attrs.get("kind", cfg.data_kind)
    sha = calls.attrs.get("sha256", "")
    progress(
        f"loaded {len(calls)} team-months, {calls['team'].nunique()} teams, "
        f"{calls['month'].min()} to {calls['month'].max()}"
    )
    registry = load_events(cfg.events)
    published = load_published(cfg.published)
    out = ResultsWriter(cfg.out_dir)
    producers: dict[str, Callable[..., Any]] = {}

    t01 = table_calls_per_year(calls)
    out.table("T01_calls_per_team_year", t01, producer="impact.study.table_calls_per_year",
              data_kind=kind, title="Calls per team and year, with the Flanders total")
    t02 = table_published_annual(published)
    out.table("T02_published_annual_calls", t02,
              producer="impact.published.published_annual_calls", data_kind="published",
              title="Published annual 1712 call totals (Flanders)")
    with project_style():
        fig = plot_calls_overview(calls, data_kind=kind, figure_id="F01_calls_per_team_month")
        out.figure("F01_calls_per_team_month", fig, calls.assign(month=calls["month"].astype(str)),
                   producer="impact.plots.plot_calls_overview", data_kind=kind,
                   title="Calls per team and month")
    progress("Q4 headline: counterfactual estimates per team and Flanders")
    headline = registry.filter(ids=cfg.headline_events)
    context = EventRegistryWithout(registry, cfg.headline_events)
    table = estimate_effects(
        calls,
        headline,
        spec=cfg.baseline,
        context=context,
        level=cfg.level,
        seed=cfg.seed,
        n_paths=cfg.n_paths,
        post_end=cfg.post_end,
        pre_start=cfg.pre_start,
    )
    est = estimate_rows(table, estimator="counterfactual", data_sha256=sha)
    est_path = cfg.out_dir / "estimates.csv"
    est.to_csv(est_path, index=False, lineterminator="\n", float_format="%.6g")
    out.file("estimates", est_path, producer="impact.study.estimate_rows", data_kind=kind,
             title="Tidy estimates")
    with project_style():
        import matplotlib.pyplot as plt

        n = len(table.estimates)
        fig, axes = plt.subplots(n, 1, figsize=(7.5, 2.2 * n), sharex=True)
        for ax, e in zip(axes, table.estimates, strict=True):
            plot_effect(e, ax=ax)
            ax.set_xlim(pd.Period("2021-01", "M").to_timestamp(), None)
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        stamp_figure(fig, data_kind=kind, figure_id="F02_headline_effect_by_team")
        out.figure("F02_headline_effect_by_team", fig, table.to_frame().assign(
            month=lambda d: d["month"].astype(str)),
            producer="impact.plots.plot_effect", data_kind=kind,
            title="Observed vs counterfactual, Pichal + Godvergeten")
        ax = plot_forest(table)
        stamp_figure(ax.figure, data_kind=kind, figure_id="F03_headline_forest")
        ax.figure.tight_layout(rect=(0, 0.05, 1, 1))
        out.figure("F03_headline_forest", ax.figure, table.summary().table.reset_index(),
                   producer="impact.plots.plot_forest", data_kind=kind,
                   title="Relative effect by team and Flanders")
    manifest = build_manifest(
        root=cfg.out_dir,
        config=cfg.raw,
        inputs={"calls": cfg.calls, "events": cfg.events, "published": cfg.published},
        outputs=out.outputs,
        seeds={"study": cfg.seed, "streams": "SeedSequence([seed, crc32(team), crc32(event)])"},
        repo=cfg.path.parent,
    )
    write_manifest(cfg.out_dir / "manifest.json", manifest)
    del producers
    progress(f"wrote {cfg.out_dir}")
    return cfg.out_dir


def EventRegistryWithout(registry: Any, ids: tuple[str, ...]) -> Any:  # noqa: N802
    """The registry without the given ids (the context of a headline estimate)."""
    from impact.events import EventRegistry

    return EventRegistry([e for e in registry if e.id not in ids])


def _fail(exc: ImpactError) -> None:  # pragma: no cover - used by the CLI
    print(f"error: {exc}", file=sys.stderr)
