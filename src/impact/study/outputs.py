"""The study's output registry: one declaration per output id.

Every table, figure, estimates file, report and the manifest that ``python -m impact run``
writes is declared once here, in :data:`OUTPUTS`, as an :class:`OutputSpec`: its stable
id (``T01_calls_per_team_year``), the function that produces it, its English title, its
kind and the rule that gives its data kind. :func:`impact.study.compute.compute_study`
makes the tables through the registry, :func:`impact.study.write.write_study` writes
every output under its declared id and the manifest maps id -> producer from it, the
reports (:mod:`impact.reporting`) read it from
:attr:`~impact.study.compute.StudyOutputs.output_registry`, and the tests check that
every declared output is written. No output id is spelled anywhere else in the package:
code refers to an output by its kind and *name*, the id without its number
(``registry.table("calls_per_team_year")``), so renumbering an output changes this module
only. Names are unique per kind; a table and the figure drawn from it may share one.

Tables travel as :class:`StudyTable` objects (id, frame, producer, data kind, title).
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd

from impact import plots
from impact._core.constants import FLANDERS
from impact.diagnostics.bundle import check_effects
from impact.diagnostics.detectable import detectable_effects
from impact.estimation.its import fit_its
from impact.io.published import published_annual_calls
from impact.plots.daily import plot_daily_effect
from impact.problems import (
    category_shares,
    compare_published,
    fit_category_trends,
    published_problem_series,
    suppress_small_cells,
)
from impact.reporting.published_report import write_published_reports
from impact.reporting.report import write_reports
from impact.reporting.writer import write_manifest
from impact.study.consistency import table_published_consistency
from impact.study.daily import (
    table_daily_effects,
    table_daily_identifiability,
    table_daily_window,
)
from impact.study.tables import (
    estimate_rows,
    headline_windows,
    naive_year_on_year,
    table_calls_per_month,
    table_calls_per_year,
    table_effects,
    table_seasonal_profile,
)

__all__ = [
    "KINDS",
    "OUTPUTS",
    "REQUIREMENTS",
    "OutputRegistry",
    "OutputSpec",
    "StudyTable",
    "dotted_name",
]

#: Kinds of output.
KINDS: tuple[str, ...] = ("table", "figure", "estimates", "report", "manifest")

#: Data-kind rules: ``calls`` takes the data kind of the call counts (``real`` or
#: ``synthetic``); ``published`` and ``synthetic`` are fixed.
DATA_KIND_RULES: tuple[str, ...] = ("calls", "published", "synthetic")

#: When an output is written: ``None`` always; ``diagnostics`` when ``[diagnostics] run``
#: is true; ``categories`` when the study has per-team problem categories (the synthetic
#: panel); ``other_events`` when at least one of ``[other_events] events`` has enough data;
#: ``real_data`` when the call counts are real (the comparison with the published record);
#: ``daily`` when study.toml has a ``[daily]`` section (the study at daily resolution).
REQUIREMENTS: tuple[str | None, ...] = (None, "diagnostics", "categories", "other_events",
                                        "real_data", "daily")

_ID = re.compile(r"^(?:[TFR]\d\d_[a-z0-9_]+|[a-z]+)$")


def dotted_name(obj: Callable[..., Any]) -> str:
    """``module.qualname`` of a function, as recorded in the manifest."""
    return f"{obj.__module__}.{obj.__qualname__}"


@dataclasses.dataclass(frozen=True)
class OutputSpec:
    """The declaration of one study output.

    Parameters
    ----------
    id : str
        Stable id: ``T<nn>_<name>`` (table), ``F<nn>_<name>`` (figure), ``R<nn>_<name>``
        (report) or a bare name (``estimates``, ``manifest``).
    kind : {"table", "figure", "estimates", "report", "manifest"}
    producer : callable
        The function that makes the output (the manifest records its dotted name).
    title : str
        English title; ``{year}`` and ``{post_months}`` are filled from the study config.
    data_kind : {"calls", "published", "synthetic"}, default "calls"
        Data-kind rule (:data:`DATA_KIND_RULES`).
    requires : str or None, default None
        When the output is written (:data:`REQUIREMENTS`).
    file : str or None, default None
        File under the results folder, for outputs that are one file with a fixed name
        (``estimates.csv``, ``manifest.json``); tables, figures and reports name their
        files after their id or name.
    languages : tuple of str, default ()
        Report languages the output is drawn in: a figure with languages is written once
        per language as ``figures/<id>_<lang>.png`` (the plotted data stay one
        ``figures/<id>.csv``); see :attr:`file_stems`.
    """

    id: str
    kind: str
    producer: Callable[..., Any]
    title: str
    data_kind: str = "calls"
    requires: str | None = None
    file: str | None = None
    languages: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"output id {self.id!r}: expected T01_name, F01_name, R01_name "
                             "or a lower-case name.")
        if self.kind not in KINDS:
            raise ValueError(f"output {self.id}: kind {self.kind!r}; expected one of {KINDS}.")
        if self.data_kind not in DATA_KIND_RULES:
            raise ValueError(f"output {self.id}: data_kind {self.data_kind!r}; expected one of "
                             f"{DATA_KIND_RULES}.")
        if self.requires not in REQUIREMENTS:
            raise ValueError(f"output {self.id}: requires {self.requires!r}; expected one of "
                             f"{REQUIREMENTS}.")

    @property
    def name(self) -> str:
        """The id without its number (``calls_per_team_year``): how code refers to it."""
        return self.id.split("_", 1)[1] if "_" in self.id and self.id[1:3].isdigit() else self.id

    @property
    def file_stems(self) -> tuple[str, ...]:
        """Names of the output's files without extension: ``<id>_<lang>`` per language, or
        the id."""
        return tuple(f"{self.id}_{lang}" for lang in self.languages) or (self.id,)

    @property
    def short(self) -> str:
        """The number part of the id (``T01``), as cited in reports."""
        return self.id.split("_", 1)[0]

    @property
    def producer_name(self) -> str:
        """Dotted name of :attr:`producer`."""
        return dotted_name(self.producer)

    def title_for(self, config: Any) -> str:
        """:attr:`title` with ``{year}``, ``{post_months}`` and ``{total}`` filled from
        ``config``."""
        return self.title.format(year=config.year, post_months=config.other_post_months,
                                 total=getattr(config, "total", FLANDERS))

    def data_kind_for(self, calls_kind: str) -> str:
        """The data kind of this output when the call counts are of kind ``calls_kind``."""
        return calls_kind if self.data_kind == "calls" else self.data_kind

    def make_table(self, frame: pd.DataFrame, *, calls_kind: str, config: Any) -> StudyTable:
        """Wrap a computed frame as the :class:`StudyTable` of this (table) output."""
        if self.kind != "table":
            raise ValueError(f"output {self.id} is a {self.kind}, not a table.")
        return StudyTable(id=self.id, frame=frame, producer=self.producer_name,
                          data_kind=self.data_kind_for(calls_kind),
                          title=self.title_for(config))


@dataclasses.dataclass(frozen=True)
class StudyTable:
    """A computed study table with its provenance.

    Attributes
    ----------
    id : str
        The output id (:attr:`OutputSpec.id`).
    frame : pandas.DataFrame
        The table as written to ``tables/<id>.csv``.
    producer : str
        Dotted name of the function that made it.
    data_kind : str
        ``real``, ``synthetic`` or ``published``.
    title : str
        English title (with the study's year filled in).
    """

    id: str
    frame: pd.DataFrame
    producer: str
    data_kind: str
    title: str

    def _as_tuple(self) -> tuple[pd.DataFrame, str, str, str]:
        warnings.warn(
            "reading a study table as a (frame, producer, data_kind, title) tuple is "
            "deprecated; use its attributes .frame, .producer, .data_kind and .title.",
            DeprecationWarning, stacklevel=3,
        )
        return (self.frame, self.producer, self.data_kind, self.title)

    def __iter__(self) -> Iterator[Any]:
        """Deprecated: unpack as ``frame, producer, data_kind, title``."""
        return iter(self._as_tuple())

    def __getitem__(self, i: int) -> Any:
        """Deprecated: ``table[3]`` is ``table.title``."""
        return self._as_tuple()[i]


class OutputRegistry:
    """The declared outputs, in writing order.

    Look an output up by id (``registry["T01_calls_per_team_year"]``) or, as code does, by
    kind and name (``registry.table("calls_per_team_year")``,
    ``registry.figure("seasonal_profile")``, ``registry.report("report_nl")``); a table
    and a figure may share a name. An unknown key raises :class:`KeyError` naming the
    declared outputs.
    """

    def __init__(self, specs: tuple[OutputSpec, ...]) -> None:
        self._specs = tuple(specs)
        self._by_id: dict[str, OutputSpec] = {}
        self._by_name: dict[tuple[str, str], OutputSpec] = {}
        for spec in self._specs:
            if spec.id in self._by_id or (spec.kind, spec.name) in self._by_name:
                raise ValueError(f"output {spec.id!r} is declared twice.")
            self._by_id[spec.id] = spec
            self._by_name[(spec.kind, spec.name)] = spec

    def __iter__(self) -> Iterator[OutputSpec]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, out_id: object) -> bool:
        return out_id in self._by_id

    def __getitem__(self, out_id: str) -> OutputSpec:
        try:
            return self._by_id[out_id]
        except KeyError:
            raise KeyError(f"no output {out_id!r} is declared; declared: "
                           f"{list(self._by_id)}") from None

    def find(self, kind: str, name: str) -> OutputSpec:
        """The output of ``kind`` called ``name`` (its id without the number)."""
        try:
            return self._by_name[(kind, name)]
        except KeyError:
            known = [s.name for s in self._specs if s.kind == kind]
            raise KeyError(f"no {kind} {name!r} is declared; declared {kind}s: "
                           f"{known}") from None

    def table(self, name: str) -> OutputSpec:
        """The table called ``name``."""
        return self.find("table", name)

    def figure(self, name: str) -> OutputSpec:
        """The figure called ``name``."""
        return self.find("figure", name)

    def report(self, name: str) -> OutputSpec:
        """The report called ``name``."""
        return self.find("report", name)

    def of_kind(self, kind: str) -> tuple[OutputSpec, ...]:
        """The declared outputs of one kind, in order."""
        return tuple(s for s in self._specs if s.kind == kind)

    def __repr__(self) -> str:
        return f"OutputRegistry({', '.join(s.id for s in self._specs)})"


def _table(out_id: str, producer: Callable[..., Any], title: str, **kw: Any) -> OutputSpec:
    return OutputSpec(out_id, "table", producer, title, **kw)


#: Languages every study figure is drawn in (one PNG per report language).
FIGURE_LANGUAGES: tuple[str, ...] = ("nl", "en")


def _figure(out_id: str, producer: Callable[..., Any], title: str, **kw: Any) -> OutputSpec:
    return OutputSpec(out_id, "figure", producer, title, languages=FIGURE_LANGUAGES, **kw)


def _report(out_id: str, title: str) -> OutputSpec:
    return OutputSpec(out_id, "report", write_reports, title)


def _published_report(out_id: str, title: str) -> OutputSpec:
    return OutputSpec(out_id, "report", write_published_reports, title, data_kind="published")


#: Every output of the study, in writing order.
OUTPUTS = OutputRegistry((
    # Q1: calls per team, year and month; published totals
    _table("T01_calls_per_team_year", table_calls_per_year,
           "Calls per team and year, the {total} total and change against the previous year"),
    _table("T02_published_annual_calls", published_annual_calls,
           "Published annual 1712 call totals (Flanders), with sources",
           data_kind="published"),
    _table("T03_calls_per_team_month", table_calls_per_month,
           "Calls per team and month in {year}"),
    _table("T04_seasonal_profile", table_seasonal_profile,
           "Share of yearly calls per calendar month, by team"),
    # Q2 and Q3: reported problems (published; per team only with category data)
    _table("T05_published_problems", published_problem_series,
           "Published problem figures per year with their base and source",
           data_kind="published"),
    _table("T06_published_problem_changes", compare_published,
           "Changes in published problem figures (same base only)", data_kind="published"),
    # Q4: the headline events, other events, diagnostics
    _table("T07_headline_effects", table_effects,
           "Pichal + Godvergeten: excess calls and relative effect per team and {total}"),
    _table("T08_headline_its", fit_its,
           "Interrupted time series (quasi-Poisson) on the {total} total: rate ratios and "
           "excess"),
    _table("T09_other_events", table_effects,
           "Other campaigns and news events: effect over {post_months} months",
           requires="other_events"),
    # the per-team categories are themselves synthesized from the synthetic panel
    _table("T10_team_problem_counts", suppress_small_cells,
           "Problem categories per team in {year} (small cells suppressed)",
           data_kind="synthetic", requires="categories"),
    _table("T11_team_problem_shares", category_shares,
           "Share of each problem category per team in {year}, with intervals",
           data_kind="synthetic", requires="categories"),
    _table("T12_team_problem_trends", fit_category_trends,
           "Yearly rate of change per problem category and team (share of calls)",
           data_kind="synthetic", requires="categories"),
    _table("T13_headline_diagnostics", check_effects,
           "Diagnostics of the headline estimate: placebo rank, false-positive rate, "
           "sensitivity range, residual and capacity checks", requires="diagnostics"),
    _table("T14_headline_year_on_year", naive_year_on_year,
           "Naive comparison with the same months a year earlier (ignores trend and "
           "capacity)"),
    _table("T15_published_consistency", table_published_consistency,
           "Annual totals of the table against published figures of the same definition, "
           "per team and total, with source ids", requires="real_data"),
    _table("T16_headline_windows", headline_windows,
           "The headline over the month nearest the published window, its own window and "
           "to the year end: counterfactual effect beside the change against the same "
           "months a year earlier, and the minimum detectable effect"),
    _table("T17_detectable_effect", detectable_effects,
           "Minimum detectable effect (80% power) per team in the month nearest the "
           "published window"),
    # the study at daily resolution ([daily] in study.toml)
    _table("T18_daily_effects", table_daily_effects,
           "Daily data: effects of the Pichal case and the Godvergeten episodes per team and "
           "total, with the true injected effects for synthetic data", requires="daily"),
    _table("T19_daily_window", table_daily_window,
           "Daily data: calls in the published comparison window against the same weekdays a "
           "year earlier, beside the counterfactual effect for the same window",
           requires="daily"),
    _table("T20_daily_identifiability", table_daily_identifiability,
           "Daily data: which events can be told apart at monthly and at daily resolution",
           requires="daily"),
    OutputSpec("estimates", "estimates", estimate_rows,
               "Tidy estimates (team, event, estimator, model, quantity, interval)",
               file="estimates.csv"),
    _figure("F01_calls_per_team_month", plots.plot_calls_overview,
            "Calls per team and month"),
    _figure("F02_headline_effect_by_team", plots.plot_effect,
            "Observed calls vs counterfactual, Pichal + Godvergeten, per team"),
    _figure("F03_headline_forest", plots.plot_forest,
            "Relative effect of Pichal + Godvergeten by team and {total}"),
    _figure("F04_headline_cumulative", plots.plot_cumulative,
            "Cumulative excess calls ({total}) since the Pichal case"),
    _figure("F05_seasonal_profile", plots.plot_seasonal_profile,
            "Seasonal profile of calls per team"),
    _figure("F06_published_annual_calls", plots.plot_published_annual,
            "Published annual 1712 calls, Flanders", data_kind="published"),
    _figure("F07_headline_diagnostics", check_effects,
            "Placebo distribution and specification curve for the headline",
            requires="diagnostics"),
    _figure("F08_daily_effect", plot_daily_effect,
            "Daily calls in Flanders around the Pichal case and Godvergeten, with the "
            "counterfactual and the event dates", requires="daily"),
    _report("R01_report_nl", "Study report in Dutch (Markdown)"),
    _report("R02_report_en", "Study report in English (Markdown)"),
    _report("R03_report_nl_html", "Study report in Dutch (self-contained HTML)"),
    _report("R04_report_en_html", "Study report in English (self-contained HTML)"),
    _report("R05_policy_note_nl", "Policy note in Dutch"),
    _report("R06_policy_note_en", "Policy note in English"),
    # what can be cited today: Q1-Q4 from published figures and statements only
    _published_report("R07_published_nl", "Published-facts report in Dutch (Markdown)"),
    _published_report("R08_published_en", "Published-facts report in English (Markdown)"),
    _published_report("R09_published_nl_html",
                      "Published-facts report in Dutch (self-contained HTML)"),
    _published_report("R10_published_en_html",
                      "Published-facts report in English (self-contained HTML)"),
    _report("R11_policy_note_nl_docx", "Policy note in Dutch (Word document, figures "
            "embedded)"),
    _report("R12_policy_note_en_docx", "Policy note in English (Word document, figures "
            "embedded)"),
    OutputSpec("manifest", "manifest", write_manifest,
               "Commit, package versions, config, seeds and SHA-256 of every input and output",
               file="manifest.json"),
))
