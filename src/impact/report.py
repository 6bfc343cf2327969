"""Reports answering Q1-Q4 in Dutch and English, their HTML versions, and the policy note.

Everything here reads the study results (:class:`impact.study.StudyOutputs`): tables by
id, ``estimates`` (the frame behind ``results/estimates.csv``), the published facts and
the result objects. No number about 1712 is typed into a template (the templates live in
:mod:`impact.report_text`). Numbers are formatted for each language with babel
(``nl_BE``: 9.424 and 31,2%; ``en_GB``: 9,424 and 31.2%). Each estimate links to its row
of ``estimates.csv`` (``estimates.csv#row-<n>``, ``n`` counting data rows from 1), each
table or figure number to its table or figure id, each published figure to its source id.

The data kind is never ambiguous: with synthetic data every report opens with a banner
and every section repeats it, and the policy note refuses synthetic data unless forced,
in which case every sentence carries a ``[SYNTHETIC]`` label.
"""

from __future__ import annotations

import base64
import dataclasses
import decimal
import html
import math
import re
import subprocess
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from impact.constants import FLANDERS, TEAMS
from impact.exceptions import DataValidationError, SyntheticDataError
from impact.report_text import (
    BASE_NAMES,
    DATA_KIND_NAMES,
    DEFINITION_NAMES,
    EVENT_KIND_NAMES,
    FIGURE_TITLES,
    LANGUAGES,
    LOCALES,
    MEASURE_NAMES,
    SYNTHETIC_BANNER,
    SYNTHETIC_LABEL,
    TEAM_NAMES,
    TEXT,
)
from impact.taxonomy import CATEGORIES

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
_CATEGORY_ORDER = {c.code: i for i, c in enumerate(CATEGORIES)}


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise DataValidationError(
            f"lang={lang!r} is not a report language; expected one of {list(LANGUAGES)}."
        )
    return lang


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return True


# ---------------------------------------------------------------------------------------
# Number formatting
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class NumberFormat:
    """Format numbers and dates for one report language with babel.

    Parameters
    ----------
    lang : {"nl", "en"}
        ``nl`` formats with the ``nl_BE`` locale (9.424; 31,2%), ``en`` with ``en_GB``
        (9,424; 31.2%).

    Notes
    -----
    Values are rounded once, half to even on their decimal representation, before
    babel formats them; a value that rounds to zero is written without a sign (never
    ``-0``). Missing values are written as an en dash.

    Examples
    --------
    >>> NumberFormat("nl").count(9424), NumberFormat("en").count(9424)
    ('9.424', '9,424')
    >>> NumberFormat("nl").percent(0.312), NumberFormat("en").percent(0.312, signed=True)
    ('31,2%', '+31.2%')
    """

    lang: str = "en"

    def __post_init__(self) -> None:
        _check_lang(self.lang)

    @property
    def locale(self) -> str:
        """The babel locale of the language."""
        return LOCALES[self.lang]

    def _format(self, x: Any, *, digits: int, signed: bool, percent: bool) -> str:
        if _is_missing(x):
            return TEXT[self.lang]["dash"]
        scale = 100 if percent else 1
        value = decimal.Decimal(repr(float(x) * scale)).quantize(
            decimal.Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_EVEN
        )
        if value == 0:
            value = abs(value)
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        if percent:
            pattern += "%"
        if signed and value != 0:
            pattern = f"+{pattern};-{pattern}"
        if percent:
            return format_percent(value / scale, pattern, locale=self.locale)
        return format_decimal(value, pattern, locale=self.locale)

    def count(self, x: Any, *, signed: bool = False) -> str:
        """A count, rounded to a whole number, with a thousands separator."""
        return self._format(x, digits=0, signed=signed, percent=False)

    def decimal(self, x: Any, *, digits: int = 2, signed: bool = False) -> str:
        """A decimal number with ``digits`` decimals."""
        return self._format(x, digits=digits, signed=signed, percent=False)

    def percent(self, x: Any, *, digits: int = 1, signed: bool = False) -> str:
        """A proportion written as a percentage (0.312 -> 31,2% / 31.2%)."""
        return self._format(x, digits=digits, signed=signed, percent=True)

    def level(self, level: float) -> str:
        """An interval level (0.95 -> 95%)."""
        digits = 0 if abs(level * 100 - round(level * 100)) < 1e-9 else 1
        return self.percent(level, digits=digits)

    def date(self, day: Any) -> str:
        """A day, e.g. ``27 aug 2023`` / ``27 Aug 2023``."""
        return format_date(pd.Timestamp(day).date(), "d MMM y", locale=self.locale)

    def month(self, month: Any) -> str:
        """A month, e.g. ``augustus 2023`` / ``August 2023``."""
        ts = pd.Period(month, freq="M").to_timestamp()
        return format_date(ts.date(), "MMMM y", locale=self.locale)

    def short_month(self, month: Any) -> str:
        """A month in a table, e.g. ``aug 2023`` / ``Aug 2023``."""
        ts = pd.Period(month, freq="M").to_timestamp()
        return format_date(ts.date(), "MMM y", locale=self.locale)


# ---------------------------------------------------------------------------------------
# Markdown helpers
# ---------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*\[\]|<>])")


def _md(text: Any) -> str:
    """Escape free text (names, caveats) for the Markdown subset we emit."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(c) for c in row) + " |")
    return lines + [""]


def is_synthetic(outputs: Any) -> bool:
    """Whether the study's call counts or any estimate are synthetic.

    Parameters
    ----------
    outputs : impact.study.StudyOutputs

    Returns
    -------
    bool
        True when ``outputs.data_kind`` is ``synthetic`` or any row of
        ``outputs.estimates`` has data kind ``synthetic``.
    """
    est = outputs.estimates
    kinds = set(est["data_kind"].astype(str)) if "data_kind" in est.columns else set()
    return outputs.data_kind == "synthetic" or "synthetic" in kinds


def _git_revision(repo: Path) -> str:
    """The commit of ``repo`` (``-dirty`` appended with uncommitted changes outside
    ``results/``), or ``unknown``."""

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", *args], cwd=repo, capture_output=True, text=True, check=True,
                timeout=10,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip()

    commit = git("rev-parse", "--short=12", "HEAD")
    if not commit:
        return "unknown"
    status = git("status", "--porcelain", "--", ".", ":(exclude)results")
    return commit + ("-dirty" if status else "")


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
# Sections
# ---------------------------------------------------------------------------------------


def _header(b: _Builder) -> list[str]:
    o = b.o
    cfg = o.config
    file = _md(Path(str(o.calls.attrs.get("source", cfg.calls))).name)
    lines = [f"# {b.t['title']}", ""]
    if b.synthetic:
        lines += [
            f"> **{SYNTHETIC_BANNER[b.lang]}.** " + b.t["synthetic_intro"].format(file=file),
            "",
        ]
    else:
        lines += [b.t["real_banner"].format(file=file), ""]
    definition = _md(o.calls.attrs.get("definition", b.t["dash"]))
    sha = (o.data_sha256 or "")[:12] or b.t["dash"]
    lines += [
        b.t["intro"].format(
            file=file, sha=sha, definition=definition, seed=cfg.seed,
            commit=_git_revision(cfg.path.parent),
        ),
        "",
        b.t["how_to_read"].format(level=b.level),
        "",
    ]
    return lines


def _section_q1(b: _Builder, figure_ids: Collection[str]) -> list[str]:
    o, t, fmt = b.o, b.t, b.fmt
    year = int(o.config.year)
    t01, t02, t03 = (
        "T01_calls_per_team_year", "T02_published_annual_calls", "T03_calls_per_team_month",
    )
    kinds = [b.table_kind(x) for x in (t01, t02, t03) if x in o.tables]
    lines = b.section(t["q1_heading"].format(year=year), kinds=kinds)

    if t03 in o.tables:
        month = o.table(t03)
        teams = b.team_order([c for c in month.columns if c not in ("month", "data_kind")])
        lines += [t["q1_month_table"].format(year=year, table=b.table_ref(t03),
                                             kind=b.kind_caption(t03)), ""]
        rows = [
            [fmt.short_month(r["month"])] + [fmt.count(r[c]) for c in teams]
            for _, r in month.iterrows()
        ]
        rows.append([f"**{t['q1_total']}**"]
                    + [f"**{fmt.count(month[c].sum())}**" for c in teams])
        lines += _md_table([t["q1_month"]] + [b.team(c) for c in teams], rows)

    if t01 in o.tables:
        yearly = o.table(t01)
        cur = yearly[yearly["year"] == year].set_index("team")
        prev = yearly[yearly["year"] == year - 1].set_index("team")
        if FLANDERS in cur.index:
            total = fmt.count(cur.loc[FLANDERS, "calls"])
            change = cur.loc[FLANDERS, "change_vs_previous_year"]
            if not _is_missing(change) and FLANDERS in prev.index:
                lines += [t["q1_totals"].format(
                    year=year, total=total, table=b.table_ref(t01), prev=year - 1,
                    change=fmt.percent(change, signed=True)), ""]
                rows = [
                    [b.team(tm), fmt.count(cur.loc[tm, "calls"]),
                     fmt.count(prev.loc[tm, "calls"]) if tm in prev.index else t["dash"],
                     fmt.percent(cur.loc[tm, "change_vs_previous_year"], signed=True)]
                    for tm in b.team_order(cur.index)
                ]
                lines += _md_table(
                    [t["team"], t["q1_calls_in"].format(year=year),
                     t["q1_calls_in"].format(year=year - 1),
                     t["q1_change"].format(prev=year - 1)], rows)
            else:
                lines += [t["q1_totals_noprev"].format(
                    year=year, total=total, table=b.table_ref(t01)), ""]
        wide = yearly.pivot_table(index="year", columns="team", values="calls", aggfunc="sum")
        months = yearly.groupby("year")["months"].max()
        teams = b.team_order(wide.columns)
        partial = bool((months < 12).any())
        lines += [t["q1_years"].format(
            first=int(wide.index.min()), last=int(wide.index.max()), table=b.table_ref(t01),
            kind=b.kind_caption(t01)), ""]
        header = [t["q1_year"]] + ([t["q1_month"] + " (n)"] if partial else [])
        rows = [
            [str(int(y))] + ([str(int(months.loc[y]))] if partial else [])
            + [fmt.count(wide.loc[y, c]) for c in teams]
            for y in wide.index
        ]
        lines += _md_table(header + [b.team(c) for c in teams], rows)

    if t02 in o.tables:
        annual = o.table(t02)
        if b.synthetic and o.data_kind == "synthetic":
            lines += [t["q1_calibrated"].format(t01=b.table_ref(t01), t02=b.table_ref(t02)),
                      ""]
        lines += [t["q1_published"].format(
            first=int(annual["year"].min()), last=int(annual["year"].max()),
            table=b.table_ref(t02)), ""]
        rows = []
        for _, r in annual.iterrows():
            flags = []
            if _is_missing(r.get("calls")):
                flags.append(t["not_published"])
            for col, key in (("is_partial_year", "flag_partial"), ("is_lower_bound", "flag_lower"),
                             ("is_approximate", "flag_approx")):
                if bool(r.get(col, False)):
                    flags.append(t[key])
            if bool(r.get("has_conflict", False)):
                flags.append(t["flag_conflict"].format(table=b.table_ref(t02)))
            caveat = str(r.get("caveat", "") or "")
            if "capacity" in caveat:
                flags.append(t["flag_capacity"])
            if "unique" in caveat:
                flags.append(t["flag_unique"])
            definition = r.get("definition")
            definition = (DEFINITION_NAMES[b.lang].get(str(definition), _md(definition))
                          if isinstance(definition, str) and definition else t["dash"])
            src = r.get("source_id")
            rows.append([
                str(int(r["year"])), fmt.count(r.get("calls")), definition,
                b.source(src) if isinstance(src, str) and src else t["dash"],
                "; ".join(flags),
            ])
        lines += _md_table([t["q1_year"], t["q1_pub_calls"], t["q1_definition"],
                            t["q1_source"], t["q1_remarks"]], rows)
    t_fig = []
    for fid in ("F01_calls_per_team_month", "F05_seasonal_profile",
                "F06_published_annual_calls"):
        t_fig += b.figure(figure_ids, fid)
    return lines + t_fig


def _published_value(b: _Builder, measure: Any, value: Any) -> str:
    if str(measure) == "share":
        v = float(value)
        digits = 0 if abs(v * 100 - round(v * 100)) < 1e-9 else 1
        return b.fmt.percent(v, digits=digits)
    return b.fmt.count(value)


def _published_interval(b: _Builder, measure: Any, value: Any, lo: Any, hi: Any) -> str:
    point = _published_value(b, measure, value)
    if _is_missing(lo) or _is_missing(hi):
        return point
    if str(measure) == "share":
        return b.interval(point, b.fmt.percent(lo), b.fmt.percent(hi), short=True)
    return b.interval(point, b.fmt.count(lo), b.fmt.count(hi), short=True)


def _team_category_grid(
    b: _Builder, frame: pd.DataFrame, cell: Any
) -> tuple[list[str], list[list[str]]]:
    teams = b.team_order(frame["team"].unique())
    cats = sorted(frame["category"].unique(), key=lambda c: (_CATEGORY_ORDER.get(c, 99), c))
    by_key = {(r["team"], r["category"]): r for _, r in frame.iterrows()}
    rows = []
    for c in cats:
        rows.append([b.category(c)] + [
            cell(by_key[(tm, c)]) if (tm, c) in by_key else b.t["dash"] for tm in teams
        ])
    return [b.t["q2_problem"]] + [b.team(tm) for tm in teams], rows


def _section_q2(b: _Builder) -> list[str]:
    o, t, fmt = b.o, b.t, b.fmt
    t05, t10, t11 = "T05_published_problems", "T10_team_problem_counts", "T11_team_problem_shares"
    kinds = [b.table_kind(x) for x in (t05, t10, t11) if x in o.tables]
    lines = b.section(t["q2_heading"], kinds=kinds)
    series = o.problems.get("published_series")
    pub = series.to_frame() if series is not None else (
        o.table(t05) if t05 in o.tables else None)
    if pub is not None and len(pub):
        lines += [t["q2_published"].format(table=b.table_ref(t05), level=b.level), ""]
        pub = pub.assign(_order=pub["category"].map(lambda c: _CATEGORY_ORDER.get(c, 99)))
        pub = pub.sort_values(["_order", "category", "year", "measure", "base"], kind="stable")
        rows = []
        for _, r in pub.iterrows():
            rows.append([
                str(int(r["year"])), b.category(r["category"]), b.measure(r["measure"]),
                _published_interval(b, r["measure"], r["value"], r["value_lower"],
                                    r["value_upper"]),
                b.base(r["base"]), b.source(r["source_id"]),
            ])
        lines += _md_table([t["q2_year"], t["q2_problem"], t["q2_measure"],
                            t["q2_value"].format(level=b.level), t["q2_base"],
                            t["q2_source"]], rows)
        caveats = list(getattr(series, "caveats", ()) or ())
        caveats += [c for c in pub["caveat"].dropna().astype(str) if c.strip()]
        caveats = list(dict.fromkeys(caveats))
        if caveats:
            lines += [t["q2_caveats"], ""] + [f"- {_md(c)}" for c in caveats] + [""]

    if t10 in o.tables:
        year = int(o.config.year)
        counts = o.table(t10)
        lines += [t["q2_team"].format(
            year=year, t10=b.table_ref(t10), t11=b.table_ref(t11), kind=b.kind_caption(t10),
            threshold=int(o.config.suppression_threshold), level=b.level), ""]
        if b.table_kind(t10) == "synthetic":
            lines += [t["q2_team_synthetic"], ""]

        def count_cell(r: pd.Series) -> str:
            if bool(r.get("suppressed", False)) or _is_missing(r["count"]):
                return t["suppressed"]
            return fmt.count(r["count"])

        header, rows = _team_category_grid(b, counts, count_cell)
        lines += [t["q2_counts"].format(year=year, table=b.table_ref(t10)), ""]
        lines += _md_table(header, rows)
        if t11 in o.tables:
            shares = o.table(t11)
            hidden = {(r["team"], r["category"]) for _, r in counts.iterrows()
                      if bool(r.get("suppressed", False)) or _is_missing(r["count"])}

            def share_cell(r: pd.Series) -> str:
                if (r["team"], r["category"]) in hidden:
                    return t["suppressed"]
                return b.interval(fmt.percent(r["share"]), fmt.percent(r["share_lower"]),
                                  fmt.percent(r["share_upper"]), short=True)

            header, rows = _team_category_grid(b, shares, share_cell)
            lines += [t["q2_shares"].format(year=year, table=b.table_ref(t11)), ""]
            lines += _md_table(header, rows)
    else:
        lines += [t["no_team_categories"], ""]
    return lines


def _section_q3(b: _Builder) -> list[str]:
    o, t, fmt = b.o, b.t, b.fmt
    t06, t12 = "T06_published_problem_changes", "T12_team_problem_trends"
    kinds = [b.table_kind(x) for x in (t06, t12) if x in o.tables]
    lines = b.section(t["q3_heading"], kinds=kinds)
    if t06 in o.tables:
        comp = o.table(t06)
        lines += [t["q3_published"].format(table=b.table_ref(t06), level=b.level), ""]
        for _, r in comp.iterrows():
            caveats = [c.strip() for c in str(r.get("caveats", "") or "").split(" | ")
                       if c.strip()]
            common = {
                "category": b.category(r["category"]), "measure": b.measure(r["measure"]),
                "y1": int(r["year_first"]), "y2": int(r["year_second"]),
            }
            if _is_missing(r.get("change")):
                reason = "; ".join(c.removeprefix("refused: ") for c in caveats)
                lines.append("- " + t["q3_refused"].format(reason=_md(reason), **common))
                continue
            values = {
                "base": b.base(r["base_first"]),
                "src1": b.source(r["source_id_first"]), "src2": b.source(r["source_id_second"]),
                "v1": _published_value(b, r["measure"], r["value_first"]),
                "v2": _published_value(b, r["measure"], r["value_second"]),
            }
            if r["change_kind"] == "share_difference":
                change = b.interval(
                    fmt.decimal(r["change"] * 100, digits=1, signed=True),
                    fmt.decimal(r["change_lower"] * 100, digits=1, signed=True),
                    fmt.decimal(r["change_upper"] * 100, digits=1, signed=True))
                text = t["q3_difference"].format(change=change, **common, **values)
            else:
                change = b.interval(fmt.decimal(r["change"]), fmt.decimal(r["change_lower"]),
                                    fmt.decimal(r["change_upper"]))
                per_base = b.interval(fmt.decimal(r["rate_ratio_per_base"]),
                                      fmt.decimal(r["rate_ratio_per_base_lower"]),
                                      fmt.decimal(r["rate_ratio_per_base_upper"]))
                text = t["q3_ratio"].format(change=change, per_base=per_base, **common,
                                            **values)
            if caveats:
                text += " " + t["q3_caveats"].format(caveats=_md("; ".join(caveats)))
            lines.append("- " + text)
        lines.append("")
    if t12 in o.tables:
        trends = o.table(t12)
        lines += [t["q3_team"].format(
            first=str(trends["first_period"].min()), last=str(trends["last_period"].max()),
            table=b.table_ref(t12), kind=b.kind_caption(t12), level=b.level), ""]

        def trend_cell(r: pd.Series) -> str:
            return b.interval(fmt.percent(r["rate_of_change"], signed=True),
                              fmt.percent(r["rate_of_change_lower"], signed=True),
                              fmt.percent(r["rate_of_change_upper"], signed=True), short=True)

        header, rows = _team_category_grid(b, trends, trend_cell)
        lines += _md_table(header, rows)
    else:
        lines += [t["no_team_categories"], ""]
    return lines


def _headline_facts(o: Any) -> tuple[str, pd.Period, pd.Period, list[str]]:
    total = o.headline.estimates[-1]
    event = str(total.event)
    return event, total.post_start, total.post_end, [e for e in event.split("+") if e]


def _published_change(o: Any) -> pd.DataFrame:
    """Published relative changes in Flanders calls against the same period a year earlier,
    in the year the headline post-period starts (e.g. the minister's +31%)."""
    pub = o.published
    if pub is None or not len(pub):
        return pub
    mask = (
        pub["topic"].astype(str).eq("calls")
        & pub["quantity"].astype(str).str.startswith("relative_change_vs_")
        & pub["year"].eq(int(o.headline.estimates[-1].post_start.year))
        & pub["team"].astype(str).eq(FLANDERS)
    )
    return pub[mask]


def _published_change_text(b: _Builder) -> tuple[str, str] | None:
    rows = _published_change(b.o)
    if rows is None or not len(rows):
        return None
    parts = []
    for value, grp in rows.groupby("value", sort=True):
        pct = float(value) / 100
        digits = 0 if abs(float(value) - round(float(value))) < 1e-9 else 1
        parts.append((b.fmt.percent(pct, digits=digits, signed=True),
                      ", ".join(b.source(s) for s in grp["id"])))
    if len(parts) == 1:
        return parts[0]
    return (", ".join(f"{v} ({s})" for v, s in parts), ", ".join(s for _, s in parts))


def _confounded_events(b: _Builder, headline_ids: Sequence[str], start: pd.Period,
                       end: pd.Period) -> list[Any]:
    lo, hi = start.start_time, end.end_time
    out = [e for e in b.o.registry
           if e.id not in headline_ids and lo <= pd.Timestamp(e.start) <= hi]
    return sorted(out, key=lambda e: (pd.Timestamp(e.start), e.id))


def _event_item(b: _Builder, ev: Any) -> str:
    return b.t["q4_event_item"].format(
        id=b.event_ref(ev.id), name=_md(ev.name), date=b.fmt.date(ev.start),
        kind=EVENT_KIND_NAMES[b.lang].get(ev.kind, ev.kind))


def _section_q4(b: _Builder, figure_ids: Collection[str]) -> list[str]:
    o, t, fmt = b.o, b.t, b.fmt
    event, start, end, ids = _headline_facts(o)
    lines = b.section(t["q4_heading"], kinds=[o.data_kind])
    lines += [f"### {t['q4_headline_heading'].format(event=event)}", ""]
    evs = [o.registry[i] for i in ids if i in o.registry]
    lines += [f"- {_event_item(b, ev)}" for ev in evs] + [""]
    if len(ids) > 1:
        lines += [t["q4_joint"].format(event=event), ""]
    cf = "counterfactual"
    lines += [t["q4_flanders"].format(
        team=b.team(FLANDERS), start=fmt.month(start), end=fmt.month(end),
        excess=b.estimate(FLANDERS, event, cf, "cumulative_effect", style="count_signed"),
        relative=b.estimate(FLANDERS, event, cf, "relative_effect", style="percent_signed"),
        observed=b.estimate(FLANDERS, event, cf, "observed", style="count", interval="none"),
        expected=b.estimate(FLANDERS, event, cf, "expected", style="count", interval="none"),
        p=b.estimate(FLANDERS, event, cf, "p_positive", style="probability", interval="none"),
    ), ""]
    model_rows = o.estimates[(o.estimates["event"] == event)
                             & (o.estimates["estimator"] == cf)]
    model = _md(model_rows["model"].iloc[0]) if len(model_rows) else t["dash"]
    lines += [t["q4_method"].format(model=model, start=fmt.month(start), end=fmt.month(end),
                                    level=b.level, table=b.table_ref("T07_headline_effects")),
              ""]
    teams = b.team_order(model_rows["team"].unique())
    rows = []
    for tm in teams:
        rows.append([
            b.team(tm),
            b.estimate(tm, event, cf, "observed", style="count", interval="none"),
            b.estimate(tm, event, cf, "expected", style="count", interval="none"),
            b.estimate(tm, event, cf, "cumulative_effect", style="count_signed",
                       interval="short"),
            b.estimate(tm, event, cf, "relative_effect", style="percent_signed",
                       interval="short"),
            b.estimate(tm, event, cf, "p_positive", style="probability", interval="none"),
        ])
    lines += _md_table([t["team"], t["q4_observed"], t["q4_expected"],
                        t["q4_excess"].format(level=b.level),
                        t["q4_relative"].format(level=b.level), t["q4_p"]], rows)
    # ITS
    its_rows = o.estimates[(o.estimates["estimator"] == "its")
                           & (o.estimates["team"] == FLANDERS)]
    for its_event in dict.fromkeys(its_rows["event"]):
        sub = its_rows[its_rows["event"] == its_event]
        for q in [q for q in sub["quantity"] if q.startswith("rate_ratio")]:
            suffix = q.removeprefix("rate_ratio")
            label = b.table_ref("T08_headline_its")
            if its_event != event or suffix:
                label = t["q4_its_term"].format(event=its_event, term=suffix.strip("_") or
                                                "level") + ", " + label
            lines += [t["q4_its"].format(
                model=_md(sub["model"].iloc[0]), table=label, level=b.level,
                rate_ratio=b.estimate(FLANDERS, its_event, "its", q, style="ratio"),
                excess=b.estimate(FLANDERS, its_event, "its", "excess" + suffix,
                                  style="count_signed"),
            ), ""]
    # published +31%
    pubtext = _published_change_text(b)
    if pubtext is not None:
        lines += [t["q4_published"].format(
            value=pubtext[0], sources=pubtext[1], team=b.team(FLANDERS),
            relative=b.estimate(FLANDERS, event, cf, "relative_effect",
                                style="percent_signed"),
        ), ""]
    confounded = _confounded_events(b, ids, start, end)
    if confounded:
        lines += [t["q4_confounded"], ""]
        lines += [f"- {_event_item(b, ev)}" for ev in confounded] + [""]
    lines += [f"**{t['figures']}**", ""]
    for fid in ("F02_headline_effect_by_team", "F03_headline_forest",
                "F04_headline_cumulative"):
        lines += b.figure(figure_ids, fid)
    # diagnostics
    lines += [f"### {t['q4_diag_heading']}", ""]
    lines += _diagnostics(b, figure_ids)
    # other events
    if o.other_effects:
        lines += [f"### {t['q4_other_heading']}", ""]
        lines += [t["q4_other"].format(table=b.table_ref("T09_other_events")), ""]
        rows = []
        for eid, res in o.other_effects.items():
            total = res.estimates[-1]
            ev_event = str(total.event)
            name = o.registry[eid].name if eid in o.registry else total.event_names
            rows.append([
                f"{b.event_ref(eid)} {_md(name)}",
                t["range"].format(first=fmt.short_month(total.post_start),
                                  last=fmt.short_month(total.post_end)),
                b.estimate(FLANDERS, ev_event, cf, "cumulative_effect", style="count_signed",
                           interval="short"),
                b.estimate(FLANDERS, ev_event, cf, "relative_effect", style="percent_signed",
                           interval="short"),
                b.estimate(FLANDERS, ev_event, cf, "p_positive", style="probability",
                           interval="none"),
            ])
        lines += _md_table([t["q4_event"], t["q4_window"], t["q4_excess"].format(level=b.level),
                            t["q4_relative"].format(level=b.level), t["q4_p"]], rows)
    return lines


_DIAG_COLUMNS = ("verdict", "placebo_rank", "n_placebos", "placebo_p_one_sided",
                 "false_positive_rate", "sensitivity_relative_min",
                 "sensitivity_relative_max", "n_specs_failed")
_VERDICTS = {"supported": "verdict_supported", "suggestive": "verdict_suggestive",
             "not distinguishable from placebo variation": "verdict_none"}


def _diagnostics_row(o: Any, team: str) -> pd.Series | None:
    """The diagnostics summary row of ``team`` when it has the known columns, else None."""
    diag = o.diagnostics
    if diag is None or not hasattr(diag, "summary"):
        return None
    table = getattr(diag.summary(), "table", None)
    if not isinstance(table, pd.DataFrame) or not len(table):
        return None
    frame = table.reset_index() if not isinstance(table.index, pd.RangeIndex) else table
    if "team" not in frame.columns or not set(_DIAG_COLUMNS) <= set(frame.columns):
        return None
    hit = frame[frame["team"] == team]
    return hit.iloc[0] if len(hit) else None


def _diagnostics(b: _Builder, figure_ids: Collection[str]) -> list[str]:
    """The diagnostics verdict table (placebo rank, false-positive rate, sensitivity range).

    Only ``diagnostics.summary().table`` (or, without a table, ``.text``) is used. The
    summary text is not copied: it is long, English, and states the wall time.
    """
    t, fmt = b.t, b.fmt
    diag = b.o.diagnostics
    summary = diag.summary() if diag is not None and hasattr(diag, "summary") else None
    if summary is None:
        return [t["q4_diag_missing"], ""]
    fid = "F07_headline_diagnostics"
    fig = f", {fid.split('_')[0]}" if fid in figure_ids else ""
    lines = [t["q4_diag_intro"].format(figure=fig), ""]
    table = getattr(summary, "table", None)
    if not isinstance(table, pd.DataFrame) or not len(table):
        text = getattr(summary, "text", None)
        return lines + ([_md(text), ""] if text else []) + b.figure(figure_ids, fid)
    frame = table.reset_index() if not isinstance(table.index, pd.RangeIndex) else table
    if "team" in frame.columns and set(_DIAG_COLUMNS) <= set(frame.columns):
        rows = []
        for tm in b.team_order(frame["team"]):
            r = frame[frame["team"] == tm].iloc[0]
            verdict = str(r["verdict"])
            rows.append([
                b.team(tm), t[_VERDICTS[verdict]] if verdict in _VERDICTS else _md(verdict),
                fmt.count(r["placebo_rank"]), fmt.count(r["n_placebos"]),
                fmt.decimal(r["placebo_p_one_sided"], digits=3),
                fmt.percent(r["false_positive_rate"]),
                t["range"].format(
                    first=fmt.percent(r["sensitivity_relative_min"], signed=True),
                    last=fmt.percent(r["sensitivity_relative_max"], signed=True)),
                fmt.count(r["n_specs_failed"]),
            ])
        lines += _md_table([t["team"], t["q4_diag_verdict"], t["q4_diag_rank"],
                            t["q4_diag_windows"], t["q4_diag_p"], t["q4_diag_fpr"],
                            t["q4_diag_sens"], t["q4_diag_failed"]], rows)
    else:
        rows = []
        for _, r in frame.iterrows():
            cells = []
            for v in r:
                if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number):
                    cells.append(_md(v))
                elif isinstance(v, int | np.integer):
                    cells.append(fmt.count(v))
                else:
                    cells.append(fmt.decimal(v, digits=3))
            rows.append(cells)
        lines += _md_table([_md(c) for c in frame.columns], rows)
    return lines + b.figure(figure_ids, fid)


def _section_warnings(b: _Builder) -> list[str]:
    o = b.o
    lines = b.section(b.t["warnings_heading"])
    msgs = list(o.warnings)
    msgs += list(getattr(o.headline_its, "warnings", ()) or ())
    msgs += list(getattr(o.headline.estimates[-1], "warnings", ()) or ())
    msgs = list(dict.fromkeys(str(m) for m in msgs if str(m).strip()))
    if not msgs:
        return lines + [b.t["warnings_none"], ""]
    return lines + [b.t["warnings_intro"], ""] + [f"- {_md(m)}" for m in msgs] + [""]


def _section_sources(b: _Builder) -> list[str]:
    lines = b.section(b.t["sources_heading"])
    pub = b.published
    if b.sources:
        lines += [b.t["sources_published"], ""]
        for sid in sorted(b.sources, key=lambda x: int(x[1:])):
            if sid in pub.index:
                r = pub.loc[sid]
                url = str(r["source_url"])
                link = f"[{_md(url)}]({url})" if b.links else url
                lines.append(f"- {sid}: {link} ({_md(r['source_date'])})")
            else:
                lines.append(f"- {sid}")
        lines.append("")
    if b.events:
        lines += [b.t["sources_events"], ""]
        for eid in b.events:
            if eid not in b.o.registry:
                continue
            ev = b.o.registry[eid]
            url = str(ev.source or "")
            link = (f"[{_md(url)}]({url})" if b.links else url) if url else b.t["dash"]
            lines.append(f"- {eid} {_md(ev.name)}: {link}")
        lines.append("")
    return lines


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
    outputs : impact.study.StudyOutputs
        The computed study (:func:`impact.study.compute_study`).
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
    outputs : impact.study.StudyOutputs
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
    outputs : impact.study.StudyOutputs
    writer : impact.reporting.ResultsWriter
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


# ---------------------------------------------------------------------------------------
# Markdown -> HTML (the subset emitted above)
# ---------------------------------------------------------------------------------------

_INLINE = re.compile(
    r"(?P<code>`(?P<ctext>[^`]+)`)"
    r"|(?P<img>!\[(?P<ialt>(?:\\.|[^\]\\])*)\]\((?P<isrc>[^)\s]+)\))"
    r"|(?P<link>\[(?P<ltext>(?:\\.|[^\]\\])*)\]\((?P<href>[^)\s]+)"
    r"(?:\s+\"(?P<ltitle>[^\"]*)\")?\))"
    r"|(?P<strong>\*\*(?P<stext>(?:\\.|[^*\\])+?)\*\*)"
    r"|(?P<em>\*(?P<etext>(?:\\.|[^*\\\s])(?:\\.|[^*\\])*?)\*)"
    r"|(?P<esc>\\(?P<echar>[\\`*\[\]|<>_#]))"
)
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:62rem;
margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1,h2,h3{line-height:1.25}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}th{background:#f3f3f3}
blockquote{border-left:.4rem solid #b00020;background:#fdecee;margin:.8rem 0;padding:.4rem .9rem}
img{max-width:100%;height:auto}code{background:#f3f3f3;padding:0 .2rem}
a{color:#0645ad;text-decoration:none}a:hover{text-decoration:underline}
""".strip()


def _inline(text: str, *, base_dir: Path | None) -> str:
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        pos = m.end()
        if m.group("code") is not None:
            out.append(f"<code>{html.escape(m.group('ctext'), quote=False)}</code>")
        elif m.group("img") is not None:
            out.append(_img(m.group("ialt"), m.group("isrc"), base_dir=base_dir))
        elif m.group("link") is not None:
            title = m.group("ltitle")
            attr = f' title="{html.escape(title)}"' if title else ""
            inner = _inline(m.group("ltext"), base_dir=base_dir)
            out.append(f'<a href="{html.escape(m.group("href"))}"{attr}>{inner}</a>')
        elif m.group("strong") is not None:
            out.append(f"<strong>{_inline(m.group('stext'), base_dir=base_dir)}</strong>")
        elif m.group("em") is not None:
            out.append(f"<em>{_inline(m.group('etext'), base_dir=base_dir)}</em>")
        else:
            out.append(html.escape(m.group("echar"), quote=False))
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _img(alt: str, src: str, *, base_dir: Path | None) -> str:
    alt_text = html.escape(re.sub(r"\\(.)", r"\1", alt))
    path = (base_dir / src) if base_dir is not None else None
    if path is not None and path.is_file() and path.suffix.lower() == ".png":
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<img alt="{alt_text}" src="data:image/png;base64,{data}">'
    return f'<img alt="{alt_text}" src="{html.escape(src)}">'


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _cells(line: str) -> list[str]:
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") and not s.endswith("\\|") else s
    return [c.strip() for c in _CELL_SPLIT.split(s)]


def markdown_to_html(
    text: str, *, base_dir: str | Path | None = None, lang: str = "en", title: str = ""
) -> str:
    """Convert the Markdown subset of the reports into one self-contained HTML page.

    Supported: ATX headings, paragraphs, ``- `` lists, ``> `` block quotes, pipe tables,
    images on their own line, and inline code, links (with an optional title), strong,
    emphasis and backslash escapes. PNG images found under ``base_dir`` are embedded as
    ``data:image/png;base64`` URIs, so the page needs no other file to show them.

    Parameters
    ----------
    text : str
        Markdown as written by :func:`render_report`.
    base_dir : str or pathlib.Path, optional
        Folder that image paths are relative to (the results folder).
    lang : str, default "en"
        The ``lang`` attribute of the page.
    title : str, default ""
        The page title.

    Returns
    -------
    str
        A complete HTML document with inline CSS.
    """
    base = Path(base_dir) if base_dir is not None else None
    lines = text.splitlines()
    body: list[str] = []
    used: dict[str, int] = {}
    i = 0
    n = len(lines)

    def starts_block(s: str) -> bool:
        return bool(re.match(r"#{1,6} |> ?|\||- |!\[", s))

    while i < n:
        line = lines[i]
        s = line.strip()
        if not s:
            i += 1
            continue
        m = re.match(r"(#{1,6}) (.*)", s)
        if m:
            level = len(m.group(1))
            slug = _slug(re.sub(r"\\(.)", r"\1", m.group(2)))
            used[slug] = used.get(slug, 0) + 1
            if used[slug] > 1:
                slug = f"{slug}-{used[slug]}"
            body.append(f'<h{level} id="{slug}">{_inline(m.group(2), base_dir=base)}'
                        f"</h{level}>")
            i += 1
        elif s.startswith(">"):
            quote = []
            while i < n and lines[i].strip().startswith(">"):
                quote.append(lines[i].strip()[1:].strip())
                i += 1
            body.append(f"<blockquote><p>{_inline(' '.join(quote), base_dir=base)}"
                        "</p></blockquote>")
        elif s.startswith("|"):
            block = []
            while i < n and lines[i].strip().startswith("|"):
                block.append(lines[i])
                i += 1
            header = _cells(block[0])
            rows = [_cells(r) for r in block[2:]] if len(block) > 1 else []
            parts = ["<table>", "<thead><tr>"]
            parts += [f"<th>{_inline(c, base_dir=base)}</th>" for c in header]
            parts.append("</tr></thead><tbody>")
            for r in rows:
                parts.append("<tr>" + "".join(f"<td>{_inline(c, base_dir=base)}</td>"
                                              for c in r) + "</tr>")
            parts.append("</tbody></table>")
            body.append("".join(parts))
        elif s.startswith("- "):
            items: list[str] = []
            while i < n and (lines[i].strip().startswith("- ") or (
                    lines[i].startswith("  ") and lines[i].strip() and items)):
                cur = lines[i].strip()
                if cur.startswith("- "):
                    items.append(cur[2:])
                else:
                    items[-1] += " " + cur
                i += 1
            body.append("<ul>" + "".join(f"<li>{_inline(it, base_dir=base)}</li>"
                                         for it in items) + "</ul>")
        elif re.fullmatch(r"!\[(?:\\.|[^\]\\])*\]\([^)\s]+\)", s):
            body.append(f"<figure>{_inline(s, base_dir=base)}</figure>")
            i += 1
        else:
            para = [s]
            i += 1
            while i < n and lines[i].strip() and not starts_block(lines[i].strip()):
                para.append(lines[i].strip())
                i += 1
            body.append(f"<p>{_inline(' '.join(para), base_dir=base)}</p>")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
