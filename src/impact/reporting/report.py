"""Reports answering Q1-Q4 in Dutch and English, their HTML versions, and the policy note.

Everything here reads the study results (:class:`impact.study.compute.StudyOutputs`): tables by
name, ``estimates`` (the frame behind ``results/estimates.csv``), the published facts and
the result objects. No number about 1712 is typed into a template (the templates live in
:mod:`impact.reporting.templates`). Numbers are formatted for each language with babel
(``nl_BE``: 9.424 and 31,2%; ``en_GB``: 9,424 and 31.2%). Each estimate links to its row
of ``estimates.csv`` (``estimates.csv#row-<n>``, ``n`` counting data rows from 1), each
table or figure number to its table or figure id, each published figure to its source id.

The data kind is never ambiguous: with synthetic data every report opens with a banner
and every section repeats it, and the policy note refuses synthetic data unless forced,
in which case every sentence carries a ``[SYNTHETIC]`` label.

This module holds the entry points (:func:`render_report`, :func:`policy_note`,
:func:`write_reports`); the report builder (and :func:`~impact.reporting.builder.is_synthetic`)
lives in :mod:`impact.reporting.builder`, the sections in :mod:`impact.reporting.sections`
and :mod:`impact.reporting.effect_sections`,
the number format in :mod:`impact.reporting.numbers` and the HTML conversion in
:mod:`impact.reporting.html`. Tables and figures are cited through the study's output
registry (``outputs.output_registry``), by name.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from impact._core.exceptions import SyntheticDataError
from impact.reporting import confounding_sections as _conf
from impact.reporting.builder import ESTIMATES_FILE, _Builder, _md, _md_table, is_synthetic
from impact.reporting.daily_sections import section_daily
from impact.reporting.effect_sections import (
    _VERDICTS,
    _confounded_events,
    _diagnostics_row,
    _headline_facts,
    _published_change_text,
    _section_q4,
)
from impact.reporting.html import AnchoredTable, markdown_to_html
from impact.reporting.numbers import _check_lang, _is_missing
from impact.reporting.policy_docx import note_to_docx
from impact.reporting.sections import (
    _git_revision,
    _header,
    _section_q1,
    _section_q2,
    _section_q3,
    _section_sources,
    _section_warnings,
)
from impact.reporting.templates import (
    DEFINITION_NAMES,
    LANGUAGES,
    SYNTHETIC_BANNER,
    SYNTHETIC_LABEL,
    TEXT,
)

__all__ = ["REPORT_FILES", "policy_note", "render_report", "write_reports"]

#: Files written by :func:`write_reports`: report name -> file name under ``results/``.
#: The study declares each report's output id under its name
#: (:mod:`impact.study.outputs`).
REPORT_FILES: dict[str, str] = {
    "report_nl": "report_nl.md",
    "report_en": "report_en.md",
    "report_nl_html": "report_nl.html",
    "report_en_html": "report_en.html",
    "policy_note_nl": "policy_note_nl.md",
    "policy_note_en": "policy_note_en.md",
    "policy_note_nl_docx": "policy_note_nl.docx",
    "policy_note_en_docx": "policy_note_en.docx",
}


# ---------------------------------------------------------------------------------------
# Data source and consistency with the published record
# ---------------------------------------------------------------------------------------


def _data_facts(b: _Builder) -> dict[str, Any]:
    """What the data-source paragraph and the policy note say about the analysed table."""
    o = b.o
    cfg = o.config
    calls = o.calls
    months = calls["month"]
    teams = b.team_order(calls["team"].unique())
    channels = getattr(cfg, "channels", "sum")
    return {
        "file": _md(Path(str(calls.attrs.get("source", cfg.calls))).name),
        "kind": b.kind(o.data_kind), "n_teams": len(teams),
        "teams": ", ".join(_md(b.team(t)) for t in teams),
        "first": b.fmt.month(months.min()), "last": b.fmt.month(months.max()),
        "total": _md(b.team(b.total)),
        "measure": b.message(getattr(o, "measure", "") or calls.attrs.get("definition", "")
                             or b.t["dash"]),
        "channels": b.t["channels_sum"] if channels == "sum"
        else b.t["channels_some"].format(channels=", ".join(map(_md, channels))),
    }


def _section_data_source(b: _Builder) -> list[str]:
    lines = b.section(b.t["data_heading"])
    lines += [b.t["data_text"].format(**_data_facts(b)), ""]
    aliases = getattr(b.o.config, "aliases", None)
    if aliases:
        pairs = ", ".join(f"{_md(k)} → {_md(v)}" for k, v in aliases.items())
        lines += [b.t["data_aliases"].format(aliases=pairs), ""]
    return lines


def _section_consistency(b: _Builder) -> list[str]:
    if not b.has_table("published_consistency"):
        return []
    table = b.o.table("published_consistency")
    lines = b.section(b.t["consistency_heading"])
    lines += [b.t["consistency_intro"].format(table=b.table_ref("published_consistency")), ""]
    if table.empty:
        return lines + [b.t["consistency_none"], ""]
    status = dict(part.split("=", 1) for part in b.t["consistency_status"].split(";"))
    rows = [[
        _md(b.team(r.team)), str(r.year), b.fmt.count(r.data_calls),
        b.fmt.count(r.published_calls), b.fmt.count(r.difference, signed=True),
        _md(DEFINITION_NAMES[b.lang].get(str(r.published_definition),
                                         str(r.published_definition))),
        status.get(r.status, r.status), b.source(r.source_id),
    ] for r in table.itertuples()]
    return lines + _md_table(b.t["consistency_cols"].split("|"), rows) + [""]


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def _default_figure_ids(outputs: Any) -> set[str]:
    folder = Path(outputs.config.out_dir) / "figures"
    return {p.stem for p in folder.glob("*.png")} if folder.is_dir() else set()


def render_report(
    outputs: Any, *, lang: str = "en", figure_ids: Collection[str] | None = None
) -> str:
    """Render the study report answering Q1-Q4 as Markdown.

    Parameters
    ----------
    outputs : impact.study.compute.StudyOutputs
        The computed study (:func:`impact.study.compute.compute_study`).
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
    lines += _section_data_source(b)
    lines += _section_q1(b, ids)
    lines += _section_consistency(b)
    lines += _section_q2(b)
    lines += _section_q3(b)
    lines += _section_q4(b, ids)
    lines += section_daily(b, ids)
    lines += _section_warnings(b)
    lines += _section_sources(b)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def policy_note(
    outputs: Any,
    *,
    lang: str = "nl",
    force_synthetic: bool = False,
    figure_ids: Collection[str] | None = None,
) -> str:
    """A short note with the headline numbers and figures, ready for a minister's desk.

    Parameters
    ----------
    outputs : impact.study.compute.StudyOutputs
    lang : {"nl", "en"}, default "nl"
    force_synthetic : bool, default False
        Write a note from synthetic data anyway. Every line then starts with
        ``[SYNTHETISCH]`` / ``[SYNTHETIC]`` and the note says at the top that it was
        made on explicit request.
    figure_ids : collection of str, optional
        Written figures (PNG names without extension, as for :func:`render_report`);
        default: the PNG files in ``outputs.config.out_dir / "figures"``. The forest plot
        and the cumulative effect are embedded when written.

    Returns
    -------
    str
        Markdown, one sentence per line, in sections: headline (effect for Flanders with
        its interval, the identifiability caveat, the per-team effects, the figures), how
        to read the number (ITS rate ratio, diagnostics, the published comparison), data
        source and definition, the caveats in two sentences, and a source line citing
        ``estimates.csv`` rows, table ids, the code commit and the data checksum.
        :func:`impact.reporting.policy_docx.note_to_docx` turns it into a .docx file.

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
    ids_written = set(_default_figure_ids(outputs) if figure_ids is None else figure_ids)
    b = _Builder(outputs, lang, links=False)
    t, fmt = b.t, b.fmt
    o = outputs
    event, start, end, ids = _headline_facts(o)
    cf = "counterfactual"
    evs = [o.registry[i] for i in ids if i in o.registry]
    dated = "; ".join(f"{ev.id} {b.event_name(ev)}, {fmt.date(ev.start)}" for ev in evs)
    label = SYNTHETIC_LABEL[lang] + " " if synthetic else ""
    blocks: list[list[str]] = []

    def heading(key: str) -> None:
        blocks.append([f"### {label}{t[key]}"])

    blocks.append([t["pn_title"].format(events=event, start=fmt.month(start),
                                        end=fmt.month(end))])
    if synthetic:
        blocks.append([t["pn_forced"]])
    heading("pn_h_headline")
    head = [t["pn_headline"].format(
        start=fmt.month(start), end=fmt.month(end), team=b.team(b.total),
        excess=b.estimate(b.total, event, cf, "cumulative_effect", style="count_signed"),
        relative=b.estimate(b.total, event, cf, "relative_effect", style="percent_signed"),
    )]
    if len(ids) > 1:
        head.append(t["pn_joint"].format(events=dated))
    teams = [tm for tm in b.team_order(o.estimates.loc[o.estimates["event"] == event, "team"])
             if tm != b.total]
    if teams:
        head.append(t["pn_teams"].format(teams="; ".join(
            f"{b.team(tm)} " + b.estimate(tm, event, cf, "cumulative_effect",
                                          style="count_signed")
            for tm in teams)))
    blocks.append(head)
    for name in ("headline_forest", "headline_cumulative"):
        fig = b.figure(ids_written, name)
        if fig:
            alt, path = fig[0][2:].split("](", 1)
            blocks.append([f"![{alt}]({path}", f"*{alt}*"])  # the caption carries the label
    heading("pn_h_reading")
    more = []
    if b.est.get(b.total, event, "its", "rate_ratio") is not None:
        more.append(t["pn_its"].format(
            team=b.team(b.total),
            rate_ratio=b.estimate(b.total, event, "its", "rate_ratio", style="ratio")))
    diag_row = _diagnostics_row(o, b.total)
    if diag_row is not None:
        verdict = str(diag_row["verdict"])
        more.append(t["pn_diag"].format(
            team=b.team(b.total),
            verdict=t[_VERDICTS[verdict]] if verdict in _VERDICTS else
            _conf.verdict_word(b, verdict),
            rank=fmt.count(diag_row["placebo_rank"]), n=fmt.count(diag_row["n_placebos"]),
            range=t["range"].format(
                first=fmt.percent(diag_row["sensitivity_relative_min"], signed=True),
                last=fmt.percent(diag_row["sensitivity_relative_max"], signed=True))))
    pubtext = _published_change_text(b)
    extra, cites_published = _conf.policy_note_sentences(b)
    more.extend(extra)
    if pubtext is not None and not cites_published:
        more.append(t["pn_published"].format(value=pubtext[0], sources=pubtext[1]))
    if more:
        blocks.append(more)
    else:
        blocks.pop()
    facts = _data_facts(b)
    heading("pn_h_data")
    blocks.append([t["pn_data"].format(**facts)])
    heading("pn_h_caveats")
    confounded = _confounded_events(b, ids, start, end)
    if confounded:
        caveat = t["pn_caveats"].format(measure=facts["measure"], events="; ".join(
            f"{ev.id} {b.event_name(ev)}" for ev in confounded))
    else:
        caveat = t["pn_caveats_nothing"].format(measure=facts["measure"])
    blocks.append([caveat, t["pn_meaning"]])
    heading("pn_h_source")
    tables = [b.table_ref("headline_effects")]
    if b.has_table("headline_its"):
        tables.append(b.table_ref("headline_its"))
    blocks.append([t["pn_source"].format(
        rows=", ".join(str(r) for r in sorted(b.used_rows)), tables=", ".join(tables),
        commit=_git_revision(o.config.path.parent), sha=(o.data_sha256 or "")[:12] or "–")])

    def labelled(line: str) -> str:
        return line if line.startswith(("### ", "![")) or not label else label + line

    return "\n\n".join("\n".join(labelled(s) for s in p) for p in blocks) + "\n"


_ESTIMATE_COLUMNS = ("team", "event", "estimator", "model", "quantity", "estimate", "lower",
                     "upper", "level", "unit", "data_kind")


def _estimates_appendix(outputs: Any, lang: str) -> AnchoredTable:
    """The rows of ``estimates.csv`` as the HTML report's anchored table (row ``n`` is the
    target of ``estimates.csv#row-<n>``); numbers in the language's format."""
    b = _Builder(outputs, lang, links=False)
    est = outputs.estimates.reset_index(drop=True)
    cols = [c for c in _ESTIMATE_COLUMNS if c in est.columns]

    def cell(col: str, value: Any) -> str:
        if col in ("estimate", "lower", "upper", "level"):
            return b.t["dash"] if _is_missing(value) else b.fmt.decimal(value, digits=3)
        if col == "team":
            return b.team(str(value))
        if col == "data_kind":
            return b.kind(str(value))
        return str(value)

    rows = [[cell(c, r[c]) for c in cols] for _, r in est.iterrows()]
    intro = ([f"> **{SYNTHETIC_BANNER[lang]}**"] if b.synthetic else []) + [
        b.t["estimates_intro"]]
    names = dict(part.split("=", 1) for part in b.t["estimates_columns"].split(";"))
    return AnchoredTable(heading=b.t["estimates_heading"], intro=intro,
                         header=[b.t["estimates_row"], *(names.get(c, c) for c in cols)],
                         rows=rows,
                         source=ESTIMATES_FILE)


def write_reports(outputs: Any, writer: Any) -> dict[str, Path]:
    """Write the Dutch and English reports (Markdown and HTML) and the policy notes.

    Parameters
    ----------
    outputs : impact.study.compute.StudyOutputs
    writer : impact.reporting.writer.ResultsWriter
        The writer that wrote the tables and figures; its ``outputs`` tell which figures
        exist (``figures/<id>.png`` under ``writer.root``).

    Returns
    -------
    dict of str to pathlib.Path
        Report name -> file (:data:`REPORT_FILES`), all under ``outputs.config.out_dir``:
        ``report_nl.md``, ``report_en.md``, ``report_nl.html``, ``report_en.html`` (figures
        embedded as base64 PNG, a table of contents and the rows of ``estimates.csv`` as
        link targets, self-contained), ``policy_note_nl.md`` and ``policy_note_en.md``,
        and the notes as Word documents ``policy_note_nl.docx`` and
        ``policy_note_en.docx`` (figures embedded). With synthetic data the policy notes are forced
        (``force_synthetic=True``): every sentence is labelled and the note says so at
        the top.
    """
    root = Path(outputs.config.out_dir)
    root.mkdir(parents=True, exist_ok=True)
    fig_root = Path(getattr(writer, "root", root))
    figure_ids = set()
    for entry in (getattr(writer, "outputs", {}) or {}).values():
        files = entry.get("files", {}) if isinstance(entry, dict) else {}
        figure_ids |= {Path(f).stem for f in files
                       if f.endswith(".png") and (fig_root / f).is_file()}
    if not figure_ids:
        figure_ids = _default_figure_ids(outputs)
    forced = is_synthetic(outputs)
    paths: dict[str, Path] = {}

    def write(name: str, text: str) -> None:
        path = root / REPORT_FILES[name]
        path.write_text(text, encoding="utf-8")
        paths[name] = path

    reports = {}
    for lang in LANGUAGES:
        reports[lang] = render_report(outputs, lang=lang, figure_ids=figure_ids)
        write(f"report_{lang}", reports[lang])
    for lang in LANGUAGES:
        write(f"report_{lang}_html", markdown_to_html(
            reports[lang], base_dir=fig_root, lang=lang, title=TEXT[lang]["title"],
            toc_heading=TEXT[lang]["toc_heading"],
            appendix=_estimates_appendix(outputs, lang)))
    for lang in LANGUAGES:
        note = policy_note(outputs, lang=lang, force_synthetic=forced, figure_ids=figure_ids)
        write(f"policy_note_{lang}", note)
        name = f"policy_note_{lang}_docx"
        paths[name] = note_to_docx(note, root / REPORT_FILES[name], base_dir=fig_root,
                                   lang=lang)
    return paths
