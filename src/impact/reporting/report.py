"""Reports answering Q1-Q4 in Dutch and English, their HTML versions, and the policy note.

Everything here reads the study results (:class:`impact.study.run.StudyOutputs`): tables by
id, ``estimates`` (the frame behind ``results/estimates.csv``), the published facts and
the result objects. No number about 1712 is typed into a template (the templates live in
:mod:`impact.reporting.templates`). Numbers are formatted for each language with babel
(``nl_BE``: 9.424 and 31,2%; ``en_GB``: 9,424 and 31.2%). Each estimate links to its row
of ``estimates.csv`` (``estimates.csv#row-<n>``, ``n`` counting data rows from 1), each
table or figure number to its table or figure id, each published figure to its source id.

The data kind is never ambiguous: with synthetic data every report opens with a banner
and every section repeats it, and the policy note refuses synthetic data unless forced,
in which case every sentence carries a ``[SYNTHETIC]`` label.

This module holds the entry points (:func:`render_report`, :func:`policy_note`,
:func:`write_reports`, :func:`is_synthetic`) and the report builder; the sections are
written by :mod:`impact.reporting.sections`, numbers formatted by
:class:`~impact.reporting.numbers.NumberFormat` and the HTML made by
:func:`~impact.reporting.html.markdown_to_html`, both importable from here as before.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from impact._core.constants import FLANDERS, TEAMS
from impact._core.exceptions import SyntheticDataError
from impact.io.taxonomy import CATEGORIES
from impact.reporting.html import markdown_to_html
from impact.reporting.numbers import NumberFormat, _check_lang, _is_missing
from impact.reporting.sections import (
    _VERDICTS,
    _confounded_events,
    _diagnostics_row,
    _git_revision,
    _header,
    _headline_facts,
    _md,
    _published_change_text,
    _section_q1,
    _section_q2,
    _section_q3,
    _section_q4,
    _section_sources,
    _section_warnings,
)
from impact.reporting.templates import (
    BASE_NAMES,
    DATA_KIND_NAMES,
    FIGURE_TITLES,
    LANGUAGES,
    MEASURE_NAMES,
    SYNTHETIC_BANNER,
    SYNTHETIC_LABEL,
    TEAM_NAMES,
    TEXT,
)

# isort: split
# Private helpers that moved to impact.reporting.numbers, impact.reporting.html and
# impact.reporting.sections: still importable from here.
from impact.reporting.html import (  # noqa: F401
    _CELL_SPLIT,
    _CSS,
    _INLINE,
    _cells,
    _img,
    _inline,
    _slug,
)
from impact.reporting.sections import (  # noqa: F401
    _CATEGORY_ORDER,
    _DIAG_COLUMNS,
    _MD_SPECIAL,
    _diagnostics,
    _event_item,
    _md_table,
    _published_change,
    _published_interval,
    _published_value,
    _team_category_grid,
)

__all__ = [
    "REPORT_FILES",
    "NumberFormat",
    "is_synthetic",
    "markdown_to_html",
    "policy_note",
    "render_report",
    "write_reports",
]

#: Files written by :func:`write_reports`: output id -> file name under ``results/``.
REPORT_FILES: dict[str, str] = {
    "R01_report_nl": "report_nl.md",
    "R02_report_en": "report_en.md",
    "R03_report_nl_html": "report_nl.html",
    "R04_report_en_html": "report_en.html",
    "R05_policy_note_nl": "policy_note_nl.md",
    "R06_policy_note_en": "policy_note_en.md",
}

_ESTIMATES_FILE = "estimates.csv"


def is_synthetic(outputs: Any) -> bool:
    """Whether the study's call counts or any estimate are synthetic.

    Parameters
    ----------
    outputs : impact.study.run.StudyOutputs

    Returns
    -------
    bool
        True when ``outputs.data_kind`` is ``synthetic`` or any row of
        ``outputs.estimates`` has data kind ``synthetic``.
    """
    est = outputs.estimates
    kinds = set(est["data_kind"].astype(str)) if "data_kind" in est.columns else set()
    return outputs.data_kind == "synthetic" or "synthetic" in kinds



# ---------------------------------------------------------------------------------------
# The report builder
# ---------------------------------------------------------------------------------------


class _EstimateIndex:
    """Row numbers of ``estimates.csv`` (1-based data rows) by their key."""

    def __init__(self, estimates: pd.DataFrame) -> None:
        self.frame = estimates.reset_index(drop=True)
        self.rows: dict[tuple[str, str, str, str], int] = {}
        for i, r in enumerate(self.frame.itertuples(index=False)):
            key = (str(r.team), str(r.event), str(r.estimator), str(r.quantity))
            self.rows.setdefault(key, i + 1)

    def get(
        self, team: str, event: str, estimator: str, quantity: str
    ) -> tuple[int, pd.Series] | None:
        n = self.rows.get((team, event, estimator, quantity))
        if n is None:
            return None
        return n, self.frame.iloc[n - 1]


class _Builder:
    """Shared state of one report (or policy note) in one language."""

    def __init__(self, outputs: Any, lang: str, *, links: bool = True) -> None:
        self.o = outputs
        self.lang = _check_lang(lang)
        self.t = TEXT[lang]
        self.fmt = NumberFormat(lang)
        self.links = links
        self.level = self.fmt.level(float(outputs.config.level))
        self.est = _EstimateIndex(outputs.estimates)
        self.synthetic = is_synthetic(outputs)
        self.used_rows: list[int] = []
        self.sources: list[str] = []
        self.events: list[str] = []
        pub = outputs.published
        self.published = pub.set_index("id", drop=False) if "id" in pub.columns else pub

    # ------------------------------------------------------------------ names
    def team(self, team: str) -> str:
        return TEAM_NAMES[self.lang].get(team, team)

    def kind(self, kind: str) -> str:
        return DATA_KIND_NAMES[self.lang].get(kind, kind)

    def category(self, code: str) -> str:
        for c in CATEGORIES:
            if c.code == code:
                return c.name_nl if self.lang == "nl" else c.name_en
        return str(code).replace("_", " ")

    def base(self, base: Any) -> str:
        return BASE_NAMES[self.lang].get(str(base), str(base))

    def measure(self, measure: Any) -> str:
        return MEASURE_NAMES[self.lang].get(str(measure), str(measure))

    def team_order(self, teams: Iterable[str]) -> list[str]:
        present = list(dict.fromkeys(teams))
        order = [t for t in TEAMS if t in present]
        order += sorted(t for t in present if t not in TEAMS and t != FLANDERS)
        return order + ([FLANDERS] if FLANDERS in present else [])

    # ------------------------------------------------------------------ references
    def table_ref(self, table_id: str) -> str:
        short = table_id.split("_")[0]
        if not self.links:
            return short
        return f"[{short}](tables/{table_id}.csv)"

    def table_kind(self, table_id: str) -> str:
        entry = self.o.tables.get(table_id)
        return entry[2] if entry is not None else self.o.data_kind

    def kind_caption(self, table_id: str) -> str:
        return self.t["kind_caption"].format(kind=self.kind(self.table_kind(table_id)))

    def source(self, source_id: Any) -> str:
        if not isinstance(source_id, str) or not source_id.strip():
            return self.t["dash"]
        sid = source_id.strip()
        for part in re.findall(r"F\d+", sid):
            if part not in self.sources:
                self.sources.append(part)
        return sid

    def event_ref(self, event_id: str) -> str:
        if event_id not in self.events:
            self.events.append(event_id)
        return event_id

    def est_link(
        self, text: str, row: int, team: str, event: str, estimator: str, quantity: str
    ) -> str:
        if row not in self.used_rows:
            self.used_rows.append(row)
        if not self.links:
            return text
        title = f"{team} · {event} · {estimator} · {quantity}"
        return f"[{text}]({_ESTIMATES_FILE}#row-{row} \"{title}\")"

    def estimate(
        self,
        team: str,
        event: str,
        estimator: str,
        quantity: str,
        *,
        style: str,
        interval: str = "long",
    ) -> str:
        """Format one row of ``estimates`` with its interval and link it to its row.

        ``style``: ``count`` / ``count_signed`` / ``percent_signed`` / ``ratio`` /
        ``probability``; ``interval``: ``long``, ``short`` or ``none``.
        """
        hit = self.est.get(team, event, estimator, quantity)
        if hit is None:
            return self.t["dash"]
        row, r = hit

        def fmt(x: Any) -> str:
            if style == "count":
                return self.fmt.count(x)
            if style == "count_signed":
                return self.fmt.count(x, signed=True)
            if style == "percent_signed":
                return self.fmt.percent(x, signed=True)
            if style == "ratio":
                return self.fmt.decimal(x, digits=2)
            if style == "probability":
                return self.fmt.decimal(x, digits=3)
            raise ValueError(f"unknown style {style!r}")  # pragma: no cover

        text = fmt(r["estimate"])
        if interval != "none" and not (_is_missing(r["lower"]) or _is_missing(r["upper"])):
            key = "interval" if interval == "long" else "interval_short"
            text = self.t[key].format(
                point=text, level=self.level, lower=fmt(r["lower"]), upper=fmt(r["upper"])
            )
        return self.est_link(text, row, team, event, estimator, quantity)

    def interval(self, point: str, lower: str, upper: str, *, short: bool = False) -> str:
        key = "interval_short" if short else "interval"
        return self.t[key].format(point=point, level=self.level, lower=lower, upper=upper)

    # ------------------------------------------------------------------ blocks
    def banner(self) -> list[str]:
        if not self.synthetic:
            return []
        return [f"> **{SYNTHETIC_BANNER[self.lang]}**", ""]

    def section(self, heading: str, *, kinds: Iterable[str] = ()) -> list[str]:
        lines = [f"## {heading}", ""]
        if self.synthetic or "synthetic" in set(kinds):
            lines += [f"> **{SYNTHETIC_BANNER[self.lang]}**", ""]
        return lines

    def figure(self, figure_ids: Collection[str], figure_id: str) -> list[str]:
        if figure_id not in figure_ids:
            return []
        short = figure_id.split("_")[0]
        title = FIGURE_TITLES[self.lang].get(figure_id, figure_id)
        kind = "published" if figure_id.startswith("F06") else self.o.data_kind
        kind_text = self.t["kind_caption"].format(kind=self.kind(kind))
        caption = f"*{short} – {_md(title)} ({kind_text})*"
        return [f"![{short} – {_md(title)}](figures/{figure_id}.png)", "", caption, ""]



# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def _default_figure_ids(outputs: Any) -> set[str]:
    folder = Path(outputs.config.out_dir) / "figures"
    return {p.stem for p in folder.glob("F*.png")} if folder.is_dir() else set()


def render_report(
    outputs: Any, *, lang: str = "en", figure_ids: Collection[str] | None = None
) -> str:
    """Render the study report answering Q1-Q4 as Markdown.

    Parameters
    ----------
    outputs : impact.study.run.StudyOutputs
        The computed study (:func:`impact.study.run.compute_study`).
    lang : {"nl", "en"}, default "en"
        Language; numbers are formatted with the ``nl_BE`` or ``en_GB`` locale.
    figure_ids : collection of str, optional
        Figure ids to embed (``figures/<id>.png`` relative to the results folder). Default:
        the PNG files present in ``outputs.config.out_dir / "figures"``.

    Returns
    -------
    str
        Markdown (headings, paragraphs, lists, tables, images, links). With synthetic data
        the report opens with the synthetic-data banner and every ``##`` section repeats
        it.

    Raises
    ------
    DataValidationError
        If ``lang`` is not a report language.

    Notes
    -----
    Every estimate is a link ``estimates.csv#row-<n>`` (``n`` = 1-based data row of
    ``results/estimates.csv``, i.e. line ``n + 1`` of the file) whose title names team,
    event, estimator and quantity. Table numbers cite their table id, published figures
    their source ids. Counts per team and problem category come only from the
    suppressed table T10; shares of suppressed cells are not shown.
    """
    b = _Builder(outputs, lang)
    ids = set(_default_figure_ids(outputs) if figure_ids is None else figure_ids)
    lines = _header(b)
    lines += _section_q1(b, ids)
    lines += _section_q2(b)
    lines += _section_q3(b)
    lines += _section_q4(b, ids)
    lines += _section_warnings(b)
    lines += _section_sources(b)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def policy_note(outputs: Any, *, lang: str = "nl", force_synthetic: bool = False) -> str:
    """A short text with the headline numbers, ready to paste.

    Parameters
    ----------
    outputs : impact.study.run.StudyOutputs
    lang : {"nl", "en"}, default "nl"
    force_synthetic : bool, default False
        Write a note from synthetic data anyway. Every sentence then starts with
        ``[SYNTHETISCH]`` / ``[SYNTHETIC]`` and the note says at the top that it was
        forced.

    Returns
    -------
    str
        One sentence per line (Markdown paragraphs): title, headline effect for Flanders
        with its interval, the identifiability caveat, the per-team effects, the ITS rate
        ratio, the published comparison and the difference in estimand, caveats, and a
        source line citing ``estimates.csv`` rows, table ids, the code commit and the data
        checksum.

    Raises
    ------
    SyntheticDataError
        If the data are synthetic (:func:`is_synthetic`) and ``force_synthetic`` is False.
    DataValidationError
        If ``lang`` is not a report language.
    """
    _check_lang(lang)
    synthetic = is_synthetic(outputs)
    if synthetic and not force_synthetic:
        raise SyntheticDataError(TEXT[lang]["refuse"].format(
            file=outputs.calls.attrs.get("source", outputs.config.calls),
            label=SYNTHETIC_LABEL[lang]))
    b = _Builder(outputs, lang, links=False)
    t, fmt = b.t, b.fmt
    o = outputs
    event, start, end, ids = _headline_facts(o)
    cf = "counterfactual"
    evs = [o.registry[i] for i in ids if i in o.registry]
    dated = "; ".join(f"{ev.id} {ev.name}, {fmt.date(ev.start)}" for ev in evs)
    paragraphs: list[list[str]] = []
    paragraphs.append([t["pn_title"].format(events=event, start=fmt.month(start),
                                            end=fmt.month(end))])
    if synthetic:
        paragraphs.append([t["pn_forced"]])
    head = [t["pn_headline"].format(
        start=fmt.month(start), end=fmt.month(end), team=b.team(FLANDERS),
        excess=b.estimate(FLANDERS, event, cf, "cumulative_effect", style="count_signed"),
        relative=b.estimate(FLANDERS, event, cf, "relative_effect", style="percent_signed"),
    )]
    if len(ids) > 1:
        head.append(t["pn_joint"].format(events=dated))
    teams = [tm for tm in b.team_order(o.estimates.loc[o.estimates["event"] == event, "team"])
             if tm != FLANDERS]
    if teams:
        head.append(t["pn_teams"].format(teams="; ".join(
            f"{b.team(tm)} " + b.estimate(tm, event, cf, "cumulative_effect",
                                          style="count_signed")
            for tm in teams)))
    paragraphs.append(head)
    more = []
    if b.est.get(FLANDERS, event, "its", "rate_ratio") is not None:
        more.append(t["pn_its"].format(
            team=b.team(FLANDERS),
            rate_ratio=b.estimate(FLANDERS, event, "its", "rate_ratio", style="ratio")))
    diag_row = _diagnostics_row(o, FLANDERS)
    if diag_row is not None:
        verdict = str(diag_row["verdict"])
        more.append(t["pn_diag"].format(
            team=b.team(FLANDERS),
            verdict=t[_VERDICTS[verdict]] if verdict in _VERDICTS else verdict,
            rank=fmt.count(diag_row["placebo_rank"]), n=fmt.count(diag_row["n_placebos"]),
            range=t["range"].format(
                first=fmt.percent(diag_row["sensitivity_relative_min"], signed=True),
                last=fmt.percent(diag_row["sensitivity_relative_max"], signed=True))))
    pubtext = _published_change_text(b)
    if pubtext is not None:
        more.append(t["pn_published"].format(value=pubtext[0], sources=pubtext[1]))
    confounded = _confounded_events(b, ids, start, end)
    if confounded:
        more.append(t["pn_caveats"].format(events=", ".join(ev.id for ev in confounded)))
    else:
        more.append(t["pn_caveats_nothing"])
    paragraphs.append(more)
    tables = ["T07", "T08"] if "T08_headline_its" in o.tables else ["T07"]
    paragraphs.append([t["pn_source"].format(
        rows=", ".join(str(r) for r in sorted(b.used_rows)), tables=", ".join(tables),
        commit=_git_revision(o.config.path.parent), sha=(o.data_sha256 or "")[:12] or "–")])
    label = SYNTHETIC_LABEL[lang] + " " if synthetic else ""
    text = "\n\n".join("\n".join(label + s for s in p) for p in paragraphs)
    return text + "\n"


def write_reports(outputs: Any, writer: Any) -> dict[str, Path]:
    """Write the Dutch and English reports (Markdown and HTML) and the policy notes.

    Parameters
    ----------
    outputs : impact.study.run.StudyOutputs
    writer : impact.reporting.writer.ResultsWriter
        The writer that wrote the tables and figures; its ``outputs`` tell which figures
        exist (``figures/<id>.png`` under ``writer.root``).

    Returns
    -------
    dict of str to pathlib.Path
        Output id -> file (:data:`REPORT_FILES`), all under ``outputs.config.out_dir``:
        ``report_nl.md``, ``report_en.md``, ``report_nl.html``, ``report_en.html`` (figures
        embedded as base64 PNG, self-contained), ``policy_note_nl.md`` and
        ``policy_note_en.md``. With synthetic data the policy notes are forced
        (``force_synthetic=True``): every sentence is labelled and the note says so at
        the top.
    """
    root = Path(outputs.config.out_dir)
    root.mkdir(parents=True, exist_ok=True)
    fig_root = Path(getattr(writer, "root", root))
    figure_ids = set()
    for out_id, entry in (getattr(writer, "outputs", {}) or {}).items():
        files = entry.get("files", {}) if isinstance(entry, dict) else {}
        if any(f.endswith(".png") for f in files) and (fig_root / "figures" /
                                                       f"{out_id}.png").is_file():
            figure_ids.add(out_id)
    if not figure_ids:
        figure_ids = _default_figure_ids(outputs)
    forced = is_synthetic(outputs)
    paths: dict[str, Path] = {}
    ids = iter(REPORT_FILES.items())
    reports = {}
    for lang in LANGUAGES:
        out_id, name = next(ids)
        md = render_report(outputs, lang=lang, figure_ids=figure_ids)
        path = root / name
        path.write_text(md, encoding="utf-8")
        paths[out_id] = path
        reports[lang] = md
    for lang in LANGUAGES:
        out_id, name = next(ids)
        path = root / name
        path.write_text(
            markdown_to_html(reports[lang], base_dir=fig_root, lang=lang,
                             title=TEXT[lang]["title"]),
            encoding="utf-8")
        paths[out_id] = path
    for lang in LANGUAGES:
        out_id, name = next(ids)
        path = root / name
        path.write_text(policy_note(outputs, lang=lang, force_synthetic=forced),
                        encoding="utf-8")
        paths[out_id] = path
    return paths
