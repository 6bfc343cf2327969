"""Write the computed study to ``results/``: tables, figures, estimates, reports, manifest.

:func:`write_study` writes every output declared in :mod:`impact.study.outputs` that the
study computed, under its declared id and with its declared producer, title and data
kind, through a :class:`~impact.reporting.writer.ResultsWriter` (which records the
SHA-256 of each file), and then ``manifest.json``. The manifest's paths (inputs and
outputs) are relative to the study's repository root
(:func:`impact.study.config.study_root`), so it does not depend on the machine that ran
the study.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from babel.dates import format_date

from impact import plots
from impact.reporting import (
    ResultsWriter,
    build_manifest,
    results_transaction,
    write_manifest,
    write_reports,
)
from impact.reporting.published_report import write_published_reports
from impact.reporting.templates import LOCALES
from impact.study.compute import StudyOutputs
from impact.study.daily import write_daily_figures

__all__ = ["write_study"]

#: How the random streams derive from the study seed (recorded in the manifest).
_STREAMS = "np.random.SeedSequence([seed, crc32(team), crc32(event ids)])"


class _Figures:
    """Stamps and writes the study's figures under their declared ids, once per declared
    language (``figures/<id>_<lang>.png``)."""

    def __init__(self, out: ResultsWriter, outputs: StudyOutputs) -> None:
        self.out = out
        self.outputs = outputs

    def id(self, name: str) -> str:
        return self.outputs.output_registry.figure(name).id

    def languages(self, name: str) -> tuple[str | None, ...]:
        return self.outputs.output_registry.figure(name).languages or (None,)

    def stamp(self, name: str, fig: Any, lang: str | None) -> None:
        spec = self.outputs.output_registry.figure(name)
        plots.stamp_figure(fig, data_kind=spec.data_kind_for(self.outputs.data_kind),
                           figure_id=spec.id, lang=lang or "en")

    def write(self, name: str, fig: Any, data: pd.DataFrame, lang: str | None) -> None:
        spec = self.outputs.output_registry.figure(name)
        self.out.figure(spec.id, fig, data, producer=spec.producer_name,
                        data_kind=spec.data_kind_for(self.outputs.data_kind),
                        title=spec.title_for(self.outputs.config), lang=lang)


def _headline_marks(outputs: StudyOutputs, lang: str) -> tuple[str, list[tuple[Any, str]]]:
    """The headline events' names (figure title) and ``(date, "E048 27 aug")`` marks."""
    total = outputs.headline.estimates[-1]
    ids = [e for e in str(total.event).split("+") if e in outputs.registry]
    evs = [outputs.registry[e] for e in ids]
    title = " + ".join(ev.display_name(lang) for ev in evs) or str(total.event_names)
    marks = [(ev.start, f"{ev.id} {format_date(ev.start.date(), 'd MMM', locale=LOCALES[lang])}")
             for ev in evs]
    return title, marks


def _service_start(outputs: StudyOutputs, annual: pd.DataFrame) -> Any:
    """The start of the service when the first published year is partial: the earliest
    registered policy event in that year, else None."""
    partial = annual[annual["is_partial_year"].astype(bool)]
    if not len(partial):
        return None
    year = int(partial["year"].min())
    starts = [ev.start for ev in outputs.registry if ev.kind == "policy" and ev.start.year == year]
    return min(starts) if starts else None


def _write_figures(out: ResultsWriter, outputs: StudyOutputs) -> None:
    figures = _Figures(out, outputs)
    cfg = outputs.config
    calls = outputs.calls
    headline = outputs.headline
    total = headline.estimates[-1]
    annual = outputs.table("published_annual_calls")
    prof = outputs.table("seasonal_profile")
    diag = outputs.diagnostics
    with plots.project_style():
        for lang in figures.languages("calls_per_team_month"):
            fig = plots.plot_calls_overview(calls, data_kind=outputs.data_kind,
                                            figure_id=figures.id("calls_per_team_month"),
                                            lang=lang or "en")
            figures.write("calls_per_team_month", fig,
                          calls.assign(month=calls["month"].astype(str)), lang)

        for lang in figures.languages("headline_effect_by_team"):
            title, _ = _headline_marks(outputs, lang or "en")
            fig = plots.plot_effect_grid(
                headline, start=pd.Timestamp(year=cfg.year - 2, month=1, day=1),
                lang=lang or "en", title=title)
            figures.stamp("headline_effect_by_team", fig, lang)
            figures.write("headline_effect_by_team", fig,
                          headline.to_frame().assign(month=lambda d: d["month"].astype(str)),
                          lang)

        for lang in figures.languages("headline_forest"):
            ax = plots.plot_forest(headline, lang=lang or "en")
            ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
            figures.stamp("headline_forest", ax.figure, lang)
            figures.write("headline_forest", ax.figure, headline.summary().table.reset_index(),
                          lang)

        for lang in figures.languages("headline_cumulative"):
            _, marks = _headline_marks(outputs, lang or "en")
            ax = plots.plot_cumulative(total, events=marks, lang=lang or "en")
            ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
            figures.stamp("headline_cumulative", ax.figure, lang)
            figures.write("headline_cumulative", ax.figure,
                          total.cumulative_frame().reset_index().assign(
                              month=lambda d: d["month"].astype(str)), lang)

        for lang in figures.languages("seasonal_profile"):
            ax = plots.plot_seasonal_profile(prof, lang=lang or "en")
            ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
            figures.stamp("seasonal_profile", ax.figure, lang)
            figures.write("seasonal_profile", ax.figure, prof, lang)

        for lang in figures.languages("published_annual_calls"):
            ax = plots.plot_published_annual(annual, lang=lang or "en",
                                             service_start=_service_start(outputs, annual))
            ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
            figures.stamp("published_annual_calls", ax.figure, lang)
            figures.write("published_annual_calls", ax.figure,
                          annual[["year", "calls", "quantity", "definition", "source_id",
                                  "is_partial_year"]], lang)

        if diag is not None:
            for lang in figures.languages("headline_diagnostics"):
                # the diagnostics figure stamps its data kind itself
                fid = figures.id("headline_diagnostics")
                if hasattr(diag, "checks"):
                    fig = plots.plot_effect_check_table(diag, figure_id=fid, lang=lang or "en")
                else:  # a stand-in with its own plot()
                    fig = diag.plot(figure_id=fid)
                figures.write("headline_diagnostics", fig, diag.to_frame(), lang)

        if outputs.daily is not None:
            write_daily_figures(figures, outputs.daily)


def write_study(
    outputs: StudyOutputs,
    *,
    progress: Callable[[str], None] | None = None,
    staging: Path | None = None,
) -> ResultsWriter:
    """Write tables, figures, ``estimates.csv``, reports and ``manifest.json``, atomically.

    Everything is written into a fresh staging folder next to the results folder, which
    replaces the results folder in one step only when every output and the manifest are
    written (:func:`impact.reporting.results_transaction`). An interrupted or failed run
    leaves the previous results exactly as they were; a second run on the same folder
    at the same time is refused; no file of an earlier run survives a new one.

    Parameters
    ----------
    outputs : StudyOutputs
        The computed study (:func:`impact.study.compute.compute_study`).
    progress : callable, optional
        Called with a short message before each step.
    staging : pathlib.Path, optional
        The staging folder of a transaction the caller already holds (as
        :func:`impact.study.run.run_study` does, so that the lock covers the whole run);
        the caller's transaction then replaces the results folder. By default this
        function opens its own transaction.

    Returns
    -------
    impact.reporting.writer.ResultsWriter
        The writer that recorded every output (id -> producer, data kind, title, files),
        rooted at the final results folder.

    Raises
    ------
    ImpactError
        When the results folder is locked by another run, or writing fails (disk full,
        permissions); the message says that the previous results are unchanged.
    """
    say = progress or (lambda _msg: None)
    target = outputs.config.out_dir
    if staging is None:
        with results_transaction(target, progress=say) as own:
            out = _write_into(outputs, own, target, say)
    else:
        out = _write_into(outputs, Path(staging), target, say)
    out.root = target
    return out


def _write_into(outputs: StudyOutputs, staging: Path, target: Path,
                say: Callable[[str], None]) -> ResultsWriter:
    staged = dataclasses.replace(
        outputs, config=dataclasses.replace(outputs.config, out_dir=staging))
    return _write_all(staged, target, say)


def _write_all(outputs: StudyOutputs, target: Path, say: Callable[[str], None]) -> ResultsWriter:
    """Write every output into ``outputs.config.out_dir`` (the staging folder); the
    manifest records paths as they will be under ``target``."""
    cfg = outputs.config
    kind = outputs.data_kind
    registry = outputs.output_registry
    out = ResultsWriter(cfg.out_dir)
    for table in outputs.tables.values():
        out.table(table.id, table.frame, producer=table.producer, data_kind=table.data_kind,
                  title=table.title,
                  # tables made from the call counts state what one count stands for
                  measure=(outputs.measure or None) if table.data_kind != "published"
                  else None)
    (est,) = registry.of_kind("estimates")
    est_path = cfg.out_dir / est.file
    outputs.estimates.to_csv(est_path, index=False, lineterminator="\n", float_format="%.6g")
    out.file(est.id, est_path, producer=est.producer_name, data_kind=est.data_kind_for(kind),
             title=est.title_for(cfg))
    say("figures")
    _write_figures(out, outputs)
    say("reports (nl, en, html, policy note)")
    for name, path in write_reports(outputs, out).items():
        spec = registry.report(name)
        out.file(spec.id, path, producer=spec.producer_name,
                 data_kind=spec.data_kind_for(kind), title=spec.title_for(cfg))
    say("published-facts reports (nl, en, html)")
    for name, path in write_published_reports(outputs, out).items():
        spec = registry.report(name)
        out.file(spec.id, path, producer=spec.producer_name,
                 data_kind=spec.data_kind_for(kind), title=spec.title_for(cfg))
    (man,) = registry.of_kind("manifest")
    manifest = build_manifest(
        root=target,
        config=cfg.raw,
        inputs={"calls": cfg.calls, "events": cfg.events, "published": cfg.published},
        outputs=out.outputs,
        seeds={"study": cfg.seed, "streams": _STREAMS},
        repo=cfg.root or cfg.path.parent,
    )
    write_manifest(cfg.out_dir / man.file, manifest)
    return out
