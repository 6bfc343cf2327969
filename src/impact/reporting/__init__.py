"""Reporting: the study's results written out, with provenance, in Dutch and English.

Modules
-------
writer
    :class:`ResultsWriter` writes tables (CSV + Markdown) and figures (PNG + plotted data)
    under their output ids and records producer, data kind and SHA-256 of every file;
    :func:`build_manifest` / :func:`write_manifest` make ``manifest.json`` (paths relative
    to the repository root); :func:`sha256_file`, :func:`to_markdown`, :func:`relative_path`.
report
    :func:`render_report` (the Q1-Q4 report as Markdown), :func:`policy_note` (a short
    text with the headline numbers; refuses synthetic data unless forced),
    :func:`write_reports` (both languages, Markdown and HTML, and the policy notes;
    files in :data:`REPORT_FILES`).
published_report
    :func:`render_published_report` (Q1-Q4 from published figures and statements only,
    every number with its source id), :func:`write_published_reports` (Markdown and HTML,
    both languages; :data:`PUBLISHED_REPORT_FILES`).
published_findings
    :func:`find_published_findings`: contradictions and definition changes found in the
    published rows by general rules (:data:`FINDING_KINDS`).
    note with the headline numbers and figures, data source and definition, the caveats
    in two sentences; refuses synthetic data unless forced), :func:`write_reports` (both
    languages, Markdown and HTML, and the policy notes as Markdown and .docx; files in
    :data:`REPORT_FILES`).
policy_docx
    :func:`note_to_docx`: the policy note as a Word document (python-docx), figures
    embedded, byte-for-byte reproducible.
translations
    :func:`render_message`: the library's English warnings and caveats in Dutch (a
    catalogue of message forms); :func:`model_name`: a baseline label in words.
builder, sections, effect_sections
    The report builder (:func:`is_synthetic`) and the report sections: header and Q1-Q3,
    and Q4 with the diagnostics (private).
numbers
    :class:`NumberFormat`: counts, percentages, dates per report language (babel).
html
    :func:`markdown_to_html`: one self-contained HTML page per report, with a table of
    contents and an :class:`AnchoredTable` (the rows of ``estimates.csv`` as link
    targets).
templates, templates_en, templates_nl
    The report texts in Dutch and English (no number about 1712 is typed into them):
    display names and figure titles in ``templates``, the sentences per language in
    ``templates_en`` / ``templates_nl``, both as ``TEXT[lang]``.
atomic
    :func:`results_transaction` (:class:`ResultsTransaction`): a results folder written
    atomically under an exclusive lock; a failed or killed run leaves the previous
    results as they were.
confine
    Where outputs may go: :func:`resolve_output_dir` (inside the project, outside
    ``data/``, never a folder of other files), :func:`check_synthetic_target` (synthetic
    files only under ``data/synthetic/``), :func:`is_results_dir`; :data:`MANIFEST_NAME`.

The reports read the study results (:class:`impact.study.compute.StudyOutputs`) duck-typed
and name tables and figures through the study's output registry.
"""

from impact.reporting.atomic import ResultsTransaction, results_transaction
from impact.reporting.builder import is_synthetic
from impact.reporting.confine import (
    MANIFEST_NAME,
    check_synthetic_target,
    is_results_dir,
    resolve_output_dir,
)
from impact.reporting.html import AnchoredTable, markdown_to_html
from impact.reporting.numbers import NumberFormat
from impact.reporting.policy_docx import note_to_docx
from impact.reporting.published_findings import FINDING_KINDS, find_published_findings
from impact.reporting.published_report import (
    PUBLISHED_REPORT_FILES,
    render_published_report,
    write_published_reports,
)
from impact.reporting.report import REPORT_FILES, policy_note, render_report, write_reports
from impact.reporting.translations import model_name, render_message
from impact.reporting.writer import (
    ResultsWriter,
    build_manifest,
    relative_path,
    sha256_file,
    to_markdown,
    write_manifest,
)

__all__ = [
    "FINDING_KINDS",
    "MANIFEST_NAME",
    "PUBLISHED_REPORT_FILES",
    "REPORT_FILES",
    "AnchoredTable",
    "NumberFormat",
    "ResultsTransaction",
    "ResultsWriter",
    "build_manifest",
    "check_synthetic_target",
    "find_published_findings",
    "is_results_dir",
    "is_synthetic",
    "markdown_to_html",
    "model_name",
    "note_to_docx",
    "policy_note",
    "relative_path",
    "render_message",
    "render_published_report",
    "render_report",
    "resolve_output_dir",
    "results_transaction",
    "sha256_file",
    "to_markdown",
    "write_manifest",
    "write_published_reports",
    "write_reports",
]
