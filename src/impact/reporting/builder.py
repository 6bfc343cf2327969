"""The report builder: the shared state of one report (or policy note) in one language.

:class:`_Builder` holds what every section of :mod:`impact.reporting.sections` needs: the
study results (:class:`impact.study.compute.StudyOutputs`), the language, its templates
and number format, the names of teams, problem categories and data kinds, references to
tables and figures (looked up by name in the study's output registry,
``outputs.output_registry``, so no output id is written here), links from each estimate
to its row of ``estimates.csv``, and the bookkeeping of the rows, published sources and
events a report cites. :func:`is_synthetic` says whether a study's data are synthetic.

The builder is private to :mod:`impact.reporting`; :mod:`impact.reporting.report` and
:mod:`impact.reporting.sections` both import it from here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import pandas as pd

from impact._core.constants import FLANDERS, TEAMS
from impact.io.taxonomy import CATEGORIES
from impact.reporting.numbers import NumberFormat, _check_lang, _is_missing
from impact.reporting.templates import (
    BASE_NAMES,
    DATA_KIND_NAMES,
    FIGURE_NOTES,
    FIGURE_TITLES,
    MEASURE_NAMES,
    SYNTHETIC_BANNER,
    TEAM_NAMES,
    TEXT,
)
from impact.reporting.translations import render_message

__all__ = ["ESTIMATES_FILE", "is_synthetic"]

#: The file every estimate in a report links to (``estimates.csv#row-<n>``).
ESTIMATES_FILE = "estimates.csv"

_MD_SPECIAL = re.compile(r"([\\`*\[\]|<>])")


def _md(text: Any) -> str:
    """Escape free text (names, caveats) for the Markdown subset the reports emit."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A pipe table of the Markdown subset (cells already formatted and escaped)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(c) for c in row) + " |")
    return lines + [""]


def is_synthetic(outputs: Any) -> bool:
    """Whether the study's call counts or any estimate are synthetic.

    Parameters
    ----------
    outputs : impact.study.compute.StudyOutputs

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
        #: the name of the analysed total (``[teams] total``; "Flanders" for 1712)
        self.total = str(getattr(outputs.config, "total", FLANDERS) or FLANDERS)
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

    def message(self, text: Any) -> str:
        """A library message (warning, caveat, definition) in the report language, escaped;
        a message without a rendering is shown as written and marked."""
        rendered, ok = render_message(text, self.lang, events=self.o.registry)
        return _md(rendered) + ("" if ok else self.t["untranslated"])

    def event_name(self, event: Any) -> str:
        """The event's name in the report language (escaped)."""
        return _md(event.display_name(self.lang))

    def team_order(self, teams: Iterable[str]) -> list[str]:
        present = list(dict.fromkeys(teams))
        order = [t for t in TEAMS if t in present]
        order += sorted(t for t in present if t not in TEAMS and t != self.total)
        return order + ([self.total] if self.total in present else [])

    # ------------------------------------------------------------------ references
    def table_id(self, name: str) -> str:
        """The output id of the table called ``name``."""
        return self.o.output_registry.table(name).id

    def has_table(self, name: str) -> bool:
        """Whether the study computed the table called ``name``."""
        return self.table_id(name) in self.o.tables

    def table_ref(self, name: str) -> str:
        spec = self.o.output_registry.table(name)
        if not self.links:
            return spec.short
        return f"[{spec.short}](tables/{spec.id}.csv)"

    def table_kind(self, name: str) -> str:
        entry = self.o.tables.get(self.table_id(name))
        return entry.data_kind if entry is not None else self.o.data_kind

    def kind_caption(self, name: str) -> str:
        return self.t["kind_caption"].format(kind=self.kind(self.table_kind(name)))

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
        return f"[{text}]({ESTIMATES_FILE}#row-{row} \"{title}\")"

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

    def figure_id(self, name: str) -> str:
        """The output id of the figure called ``name``."""
        return self.o.output_registry.figure(name).id

    def _figure_note(self, name: str) -> str:
        """The caption note of a figure, filled from the study (empty when it does not
        apply)."""
        note = FIGURE_NOTES[self.lang].get(name, "")
        if name != "published_annual_calls" or not note:
            return note
        if not self.has_table(name):
            return ""
        annual = self.o.table(name)
        partial = annual.loc[annual["is_partial_year"].astype(bool), "year"].astype(int)
        missing = annual.loc[annual["calls"].isna(), "year"].astype(int)
        if not len(partial) or not len(missing):
            return ""
        year = int(partial.min())
        starts = [e.start for e in self.o.registry if e.kind == "policy" and e.start.year == year]
        if not starts:
            return ""
        return note.format(partial=year, start=self.fmt.date(min(starts)),
                           missing=", ".join(str(y) for y in missing))

    def figure(self, figure_ids: Collection[str], name: str) -> list[str]:
        """The Markdown image and caption of the figure called ``name``, when it was written:
        ``figure_ids`` holds the PNG names without extension, ``<id>_<lang>`` for a figure
        drawn in the report's language (preferred) or ``<id>``."""
        spec = self.o.output_registry.figure(name)
        stem = f"{spec.id}_{self.lang}"
        if stem not in figure_ids:
            stem = spec.id
            if stem not in figure_ids:
                return []
        title = FIGURE_TITLES[self.lang].get(name, spec.id).format(total=self.team(self.total))
        kind = spec.data_kind_for(self.o.data_kind)
        kind_text = self.t["kind_caption"].format(kind=self.kind(kind))
        note = self._figure_note(name)
        caption = f"*{spec.short} – {_md(title)} ({kind_text}).{' ' + note if note else ''}*"
        return [f"![{spec.short} – {_md(title)}](figures/{stem}.png)", "", caption, ""]
