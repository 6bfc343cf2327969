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

from impact._core.constants import FLANDERS
from impact._core.exceptions import SyntheticDataError
from impact.reporting.builder import _Builder, _md, _md_table, is_synthetic
from impact.reporting.daily_sections import section_daily
from impact.reporting.effect_sections import (
    _VERDICTS,
    _confounded_events,
    _diagnostics_row,
    _headline_facts,
    _published_change_text,
    _section_q4,
)
from impact.reporting.html import markdown_to_html
from impact.reporting.numbers import _check_lang
from impact.reporting.sections import (
    _git_revision,
    _header,
    _section_q1,
    _section_q2,
    _section_q3,
    _section_sources,
    _section_warnings,
)
from impact.reporting.templates import LANGUAGES, SYNTHETIC_LABEL, TEXT

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
        "total": _md(b.team(getattr(cfg, "total", FLANDERS))),
        "measure": _md(getattr(o, "measure", "") or calls.attrs.get("definition", "")
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
        _md(r.published_definition), status.get(r.status, r.status), b.source(r.source_id),
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


def policy_note(outputs: Any, *, lang: str = "nl", force_synthetic: bool = False) -> str:
    """A short text with the headline numbers, ready to paste.

    Parameters
    ----------
    outputs : impact.study.compute.StudyOutputs
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
    paragraphs.append([t["pn_data"].format(**_data_facts(b))])
    tables = [b.table_ref("headline_effects")]
    if b.has_table("headline_its"):
        tables.append(b.table_ref("headline_its"))
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
    outputs : impact.study.compute.StudyOutputs
    writer : impact.reporting.writer.ResultsWriter
        The writer that wrote the tables and figures; its ``outputs`` tell which figures
        exist (``figures/<id>.png`` under ``writer.root``).

    Returns
    -------
    dict of str to pathlib.Path
        Report name -> file (:data:`REPORT_FILES`), all under ``outputs.config.out_dir``:
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
            reports[lang], base_dir=fig_root, lang=lang, title=TEXT[lang]["title"]))
    for lang in LANGUAGES:
        write(f"policy_note_{lang}", policy_note(outputs, lang=lang, force_synthetic=forced))
    return paths
