"""The published-facts report: Q1-Q4 answered from published figures and statements only.

:func:`render_published_report` writes, in Dutch or English, what a researcher can cite
today about helpline 1712 without any call-count table: the published annual totals with
the definition each source uses, the published team figures, the problem figures, the
minister's statements (``data/published/statements.csv``), the short published windows
around events, and every contradiction and definition change that
:func:`impact.reporting.published_findings.find_published_findings` finds in the rows.
Each number carries the id of the row it comes from (``F...`` or ``S...``); the texts
(:mod:`impact.reporting.published_texts`) hold no number. :func:`write_published_reports`
writes the Markdown and HTML files of both languages for the study
(:data:`PUBLISHED_REPORT_FILES`). The report never reads the call-count table, so it is
the same for synthetic and real studies.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd
from babel.dates import format_date

from impact._core.constants import FLANDERS, TEAMS
from impact._core.exceptions import ImpactError
from impact.io.published import published_annual_calls, published_category_table
from impact.io.taxonomy import CATEGORIES, describe_quantity
from impact.reporting.builder import _md, _md_table
from impact.reporting.html import markdown_to_html
from impact.reporting.numbers import NumberFormat, _check_lang, _is_missing
from impact.reporting.published_findings import (
    annual_series,
    definition_of,
    find_published_findings,
    window_of,
)
from impact.reporting.published_texts import (
    CHANNELS,
    DEFINITION_NOTES,
    DEFINITIONS,
    TEXT,
    WINDOW_UNITS,
)
from impact.reporting.templates import BASE_NAMES, LANGUAGES, LOCALES, TEAM_NAMES

__all__ = ["PUBLISHED_REPORT_FILES", "render_published_report", "write_published_reports"]

#: Files written by :func:`write_published_reports`: report name -> file under ``results/``.
PUBLISHED_REPORT_FILES: dict[str, str] = {
    "published_nl": "published_nl.md",
    "published_en": "published_en.md",
    "published_nl_html": "published_nl.html",
    "published_en_html": "published_en.html",
}

_GROWTH = re.compile(r"^growth_vs_(?P<base>\d{4}|previous_year)$")
_SUFFIX = re.compile(r"(_same_period_prev_year|_ytd|_\d+_(?:days|weeks|months))$")
_CHANNEL = re.compile(r"^share(?:_calls)?_(?P<channel>chat|phone|email)$")
#: Statements about what the figures mean rather than how they move.
_MEANING = ("more_reports_not_more_violence", "not_a_reporting_point", "explanation")
_TRENDS = ("increases", "increases_every_year", "slight_decrease")
#: A window this short (days) is a published "window around an event" (Q4).
_SHORT_WINDOW_DAYS = 120


class _Report:
    """State of one published-facts report in one language."""

    def __init__(self, published: pd.DataFrame, statements: pd.DataFrame | None,
                 lang: str) -> None:
        self.lang = _check_lang(lang)
        self.t = TEXT[lang]
        self.fmt = NumberFormat(lang)
        self.pub = published
        self.rows = published.set_index("id", drop=False)
        self.st = (statements if statements is not None
                   else pd.DataFrame(columns=["id", "question", "claim", "figure_ids"]))
        self.st_rows = self.st.set_index("id", drop=False)
        self.findings = find_published_findings(published, statements)
        self.cited: list[str] = []
        self.done: set[str] = set()

    # ------------------------------------------------------------------ formatting
    def cite(self, rid: str) -> str:
        if rid and rid not in self.cited:
            self.cited.append(rid)
        return rid

    def team(self, team: str) -> str:
        return TEAM_NAMES[self.lang].get(team, team)

    def date(self, day: Any) -> str:
        return format_date(pd.Timestamp(day).date(), "d MMMM y", locale=LOCALES[self.lang])

    def number(self, value: float, unit: str = "", *, signed: bool = False) -> str:
        if str(unit).strip().startswith("%"):
            digits = 0 if abs(value - round(value)) < 1e-9 else 1
            return self.fmt.percent(value / 100, digits=digits, signed=signed)
        return self.fmt.count(value, signed=signed)

    def value(self, rid: str) -> str:
        """A published figure, formatted by its unit, with 'about' / 'more than'."""
        r = self.rows.loc[rid]
        q = str(r["quantity"])
        signed = bool(_GROWTH.match(q)) or q.startswith("relative_change")
        text = self.number(float(r["value"]), str(r["unit"]), signed=signed)
        if bool(r["is_lower_bound"]):
            return self.t["lower"].format(value=text)
        if bool(r["is_approximate"]) and "%" not in str(r["unit"]):
            return self.t["approx"].format(value=text)
        return text

    def change(self, x: float) -> str:
        return self.fmt.percent(x, digits=1, signed=True)

    def definition(self, name: Any) -> str:
        return DEFINITIONS[self.lang].get(str(name), str(name))

    def category(self, code: str) -> str:
        for c in CATEGORIES:
            if c.code == code:
                return c.name_nl if self.lang == "nl" else c.name_en
        return code

    def describe(self, r: Any) -> str:
        """What a published row counts, in the report's language."""
        q = str(r["quantity"])
        m = _SUFFIX.search(q)
        d = definition_of(q[: m.start()] if m else q)
        if d is not None:
            extra = {"_same_period_prev_year": self.t["desc_prev_period"],
                     "_ytd": self.t["desc_ytd"]}.get(m.group(0) if m else "", "")
            return self.definition(d) + (f" ({extra})" if extra else "")
        m = _GROWTH.match(q)
        if m:
            base = m.group("base")
            return (self.t["desc_growth_prev"] if base == "previous_year"
                    else self.t["desc_growth"].format(base=base))
        if "per_day" in q:
            return self.t["desc_per_day"]
        if q.startswith("relative_change"):
            return self.t["desc_relative"]
        m = _CHANNEL.match(q)
        if m:
            return self.t["desc_share_channel"].format(
                channel=CHANNELS[self.lang][m.group("channel")])
        try:
            info = describe_quantity(q)
        except ImpactError:
            return _md(q.replace("_", " "))
        if info.is_category:
            return self.t["desc_category"].format(
                category=", ".join(self.category(c) for c in info.categories),
                base=BASE_NAMES[self.lang].get(info.base, info.base))
        return _md(q.replace("_", " "))

    def window(self, r: Any) -> str:
        kind, a, b = window_of(r)
        if kind == "dates":
            if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31) and a.year == b.year:
                return self.t["full_year"]
            return self.t["q4_window_dates"].format(start=self.date(a), end=self.date(b))
        if kind == "length":
            one, many = WINDOW_UNITS[self.lang][b]
            return self.t["q4_window_length"].format(n=a, unit=one if a == 1 else many)
        return self.t["q4_window_none"]

    def statement(self, sid: str) -> str:
        s = self.st_rows.loc[sid]
        text = str(s[f"text_{self.lang}"])
        fields = {
            "year_from": "" if pd.isna(s["year_from"]) else str(int(s["year_from"])),
            "year_to": "" if pd.isna(s["year_to"]) else str(int(s["year_to"])),
            "value": "" if _is_missing(s["value"]) else self.number(float(s["value"]),
                                                                    str(s["unit"])),
        }
        self.done.add(sid)
        return self.t["minister_says"].format(text=_md(text.format(**fields)),
                                              id=self.cite(sid))

    def statements(self, mask: pd.Series) -> list[str]:
        return [f"- {self.statement(sid)}" for sid in self.st.loc[mask, "id"]
                if sid not in self.done]

    # ------------------------------------------------------------------ findings
    def finding(self, f: Any) -> str:
        t = self.t
        def_ = {"def1": self.definition(f["definition_first"]),
                "def2": self.definition(f["definition_second"])}
        ids = {"id1": self.cite(f["id_first"]), "id2": self.cite(f["id_second"])}
        years = {"y1": "" if _is_missing(f["year_first"]) else str(int(f["year_first"])),
                 "y2": "" if _is_missing(f["year_second"]) else str(int(f["year_second"]))}
        vals = {"v1": self.fmt.count(f["value_first"]), "v2": self.fmt.count(f["value_second"])}
        common = {**def_, **ids, **years, **vals, "team": self.team(f["team"]),
                  "sid": self.cite(f["statement_id"]),
                  "change": "" if _is_missing(f["change"]) else self.change(f["change"])}
        kind = f["kind"]
        if kind == "claim_contradicted":
            claim = self.st_rows.loc[f["statement_id"], "claim"] \
                if f["statement_id"] in self.st_rows.index else ""
            key = "f_claim_contradicted_decrease" if claim == "slight_decrease" \
                else "f_claim_contradicted"
            return t[key].format(**common)
        if kind == "growth_check":
            sid = f["statement_id"]
            common["change"] = self.value(sid)
            if f["status"] == "differs":
                common["implied"] = self.change(f["value_second"] / f["value_first"] - 1)
            return t[f"f_growth_{f['status']}"].format(**common)
        if kind == "same_figure_different_windows":
            parts = []
            for rid in f["ids"]:
                r = self.rows.loc[rid]
                parts.append(t["f_window_part"].format(
                    id=self.cite(rid), site=_md(urlparse(str(r["source_url"])).netloc
                                                .removeprefix("www.")),
                    date=_md(r["source_date"]), window=self.window(r)))
            pct = float(f["change"]) * 100
            digits = 0 if abs(pct - round(pct)) < 1e-9 else 1
            return t["f_same_figure_different_windows"].format(
                change=self.fmt.percent(f["change"], digits=digits, signed=True),
                year=years["y1"], parts="; ".join(parts))
        return t[f"f_{kind}"].format(**common)

    def findings_where(self, mask: pd.Series) -> list[str]:
        if self.findings.empty:
            return []
        return [f"- {self.finding(f)}" for _, f in self.findings[mask].iterrows()]

    def fmask(self, **eq: Any) -> pd.Series:
        m = pd.Series(True, index=self.findings.index)
        for col, v in eq.items():
            m &= self.findings[col].isin(v if isinstance(v, list | tuple | set) else [v])
        return m


# ---------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------


def _header(r: _Report) -> list[str]:
    t = r.t
    sha_f = str(r.pub.attrs.get("sha256", ""))[:12] or "–"
    sha_s = str(r.st.attrs.get("sha256", ""))[:12] or "–"
    lines = [f"# {t['title']}", "", t["intro"].format(sha_f=sha_f, sha_s=sha_s), "",
             t["census"], "", t["questions"], ""]
    lines += [f"## {t['defs_heading']}", "", t["defs_intro"], ""]
    lines += [f"- **{DEFINITIONS[r.lang][k]}**: {v}"
              for k, v in DEFINITION_NOTES[r.lang].items()]
    return lines + ["", t["defs_bases"], ""]


def _section_q1(r: _Report) -> list[str]:
    t = r.t
    lines = [f"## {t['q1_heading']}", "", t["q1_intro"], ""]
    annual = published_annual_calls(r.pub)
    series = annual_series(r.pub, topic="calls", team=FLANDERS)
    defs = {int(y): set(g["definition"]) for y, g in series.groupby("year")}
    rows = []
    prev: Any = None
    for _, a in annual.iterrows():
        year = int(a["year"])
        if _is_missing(a["calls"]):
            after = annual[(annual["year"] > year) & annual["calls"].notna()]
            around = [x for x in (prev["source_id"] if prev is not None else "",
                                  after["source_id"].iloc[0] if len(after) else "") if x]
            rows.append([str(year), t["not_published"], "–", "–", "–",
                         t["between"].format(ids=" – ".join(r.cite(x) for x in around))
                         if around else ""])
            continue
        sid = r.cite(a["source_id"])
        remarks = []
        if a["is_partial_year"]:
            remarks.append(t["flag_partial"])
        if a["is_lower_bound"] and not a["is_partial_year"]:
            remarks.append(t["flag_lower"])
        if a["is_approximate"]:
            remarks.append(t["flag_approx"])
        others = [x.split("=")[0].strip() for x in str(a["alternatives"]).split(";")
                  if x.strip()]
        if others:
            remarks.append(t["flag_other"].format(others=", ".join(
                f"{r.cite(o)}: {r.value(o)}" for o in others)))
        change = "–"
        if prev is not None:
            cell = t["change_cell"].format(change=r.change(a["calls"] / prev["calls"] - 1),
                                           first=prev["source_id"], second=sid)
            flags = []
            if year - int(prev["year"]) > 1:
                flags.append(t["flag_gap"])
            d1, d2 = defs.get(int(prev["year"]), set()), defs.get(year, set())
            if d1 and d2 and not d1 & d2:
                flags.append(t["flag_definitions"].format(
                    first=r.definition(prev["definition"]),
                    second=r.definition(a["definition"])))
            change = cell + ("; " + "; ".join(flags) if flags else "")
        rows.append([str(year), r.value(sid), r.definition(a["definition"]), sid, change,
                     "; ".join(remarks)])
        prev = a
    lines += _md_table([t["col_year"], t["col_calls"], t["col_definition"], t["col_source"],
                        t["col_change"], t["col_remarks"]], rows)
    q1 = (r.st["question"] == 1) & ~r.st["claim"].isin(_MEANING) if len(r.st) else None
    if q1 is not None:
        lines += r.statements(q1)
        q1_ids = set(r.st.loc[q1, "id"])
        lines += r.findings_where(r.fmask(statement_id=q1_ids)) if len(r.findings) else []
        lines.append("")
    last = annual.dropna(subset=["calls"]).iloc[-1]
    if str(last["source_url"]).startswith("https://www.vlaamsparlement.be"):
        lines += [t["q1_annex"].format(id=r.cite(last["source_id"]), year=int(last["year"])),
                  ""]
    teams = r.pub[r.pub["team"] != FLANDERS]
    if len(teams):
        lines += [t["q1_teams"], ""]
        order = {tm: i for i, tm in enumerate(TEAMS)}
        teams = teams.assign(_o=teams["team"].map(lambda x: order.get(x, 99)))
        trows = [[str(int(x["year"])), r.team(x["team"]), r.describe(x), r.value(x["id"]),
                  r.window(x), r.cite(x["id"])]
                 for _, x in teams.sort_values(["_o", "team", "year"], kind="stable").iterrows()]
        lines += _md_table([t["col_year"], t["col_team"], t["col_figure"], t["col_value"],
                            t["col_window"], t["col_source"]], trows)
        if len(r.findings):
            lines += r.findings_where(r.fmask(kind="growth_check",
                                              team=list(set(teams["team"])))) + [""]
    return lines


def _section_q2(r: _Report) -> list[str]:
    t = r.t
    lines = [f"## {t['q2_heading']}", ""]
    table = published_category_table(r.pub)
    table = table[table["team"] == FLANDERS]
    if table.empty:
        return lines
    year = int(table["period"].max().year)
    cur = table[table["period"].dt.year == year]
    order = {c.code: i for i, c in enumerate(CATEGORIES)}
    cur = cur.assign(_o=cur["category"].map(lambda c: order.get(c, 99)))
    rows = [[r.category(x["category"]), r.value(x["source_id"]),
             BASE_NAMES[r.lang].get(x["base"], x["base"]), r.cite(x["source_id"])]
            for _, x in cur.sort_values(["_o", "source_id"], kind="stable").iterrows()]
    cited = [row[-1] for row in rows]
    lines += [t["q2_intro"].format(year=year, ids=f"{cited[0]} – {cited[-1]}"), ""]
    lines += _md_table([t["col_problem"], t["col_value"], t["col_base"], t["col_source"]],
                       rows)
    channel = r.pub[(r.pub["topic"] == "channel") & (r.pub["year"] == year)
                    & (r.pub["team"] == FLANDERS) & r.pub["period_start"].notna()]
    for _, x in channel.iterrows():
        m = _CHANNEL.match(str(x["quantity"]))
        if m:
            lines += [t["q2_channel"].format(value=r.value(x["id"]), id=r.cite(x["id"]),
                                             channel=CHANNELS[r.lang][m.group("channel")]), ""]
    if len(r.st):
        lines += r.statements((r.st["question"] == 2) & ~r.st["claim"].isin(_MEANING))
        lines.append("")
    return lines


def _section_q3(r: _Report) -> list[str]:
    t = r.t
    lines = [f"## {t['q3_heading']}", ""]
    if not len(r.st):
        return lines
    trend = r.st[r.st["claim"].isin(_TRENDS) & (r.st["question"] == 3)]
    for (topic, quantity), grp in trend.groupby(["topic", "quantity"], sort=False):
        series = annual_series(r.pub, topic=topic, team=FLANDERS, quantity=quantity or None)
        series = series.drop_duplicates("year")
        if series.empty:
            continue
        what = (r.describe(series.iloc[0]) if quantity
                else r.definition(series.iloc[0]["definition"]))
        values = "; ".join(f"{int(x.year)}: {r.value(x.id)} ({r.cite(x.id)})"
                           for x in series.itertuples())
        lines += [t["q3_series"].format(what=what, values=values), ""]
        lines += r.statements(r.st["id"].isin(grp["id"]))
        if len(r.findings):
            lines += r.findings_where(r.fmask(statement_id=list(grp["id"])))
        lines.append("")
    for _, s in r.st[r.st["claim"] == "share_earlier"].iterrows():
        text = r.statement(s["id"])
        for fid in s["figure_ids"]:
            if fid in r.rows.index:
                text += " " + t["q3_now"].format(
                    year=int(r.rows.loc[fid, "year"]), value=r.value(fid), fid=r.cite(fid))
        lines += [f"- {text}"]
    lines += r.statements(r.st["claim"] == "registration_categories_added") + [""]
    lines += [f"### {t['q3_more_heading']}", ""]
    lines += r.statements(r.st["claim"].isin(_MEANING)) + [""]
    return lines


def _short_window(pub: pd.DataFrame) -> pd.Series:
    span = (pub["period_end"] - pub["period_start"]).dt.days
    has_len = pub["quantity"].astype(str).str.contains(r"_\d+_(?:days|weeks|months)$")
    rel = pub["quantity"].astype(str).str.startswith("relative_change")
    return (span < _SHORT_WINDOW_DAYS) | has_len | rel


def _section_q4(r: _Report) -> list[str]:
    t = r.t
    lines = [f"## {t['q4_heading']}", "", t["q4_intro"], ""]
    rows = r.pub[r.pub["topic"].isin(["calls", "victims"]) & _short_window(r.pub)]
    table = [[str(int(x["year"])), r.team(x["team"]), r.describe(x), r.value(x["id"]),
              r.window(x), r.cite(x["id"])] for _, x in rows.iterrows()]
    lines += _md_table([t["col_year"], t["col_team"], t["col_figure"], t["col_value"],
                        t["col_window"], t["col_source"]], table)
    if len(r.st):
        ids = set(rows["id"])
        linked = r.st["figure_ids"].map(lambda f: bool(set(f) & ids))
        lines += r.statements(((r.st["question"] == 4) | linked)
                              & ~r.st["claim"].isin(_MEANING))
    if len(r.findings):
        lines += r.findings_where(r.fmask(kind="same_figure_different_windows"))
    return lines + [""]


def _section_findings(r: _Report) -> list[str]:
    t = r.t
    lines = [f"## {t['findings_heading']}", ""]
    if r.findings.empty:
        return lines + [t["findings_none"], ""]
    shown = r.findings[r.findings["kind"] != "claim_consistent"]
    return lines + [t["findings_intro"], ""] + [
        f"- {r.finding(f)}" for _, f in shown.iterrows()] + [""]


def _section_sources(r: _Report) -> list[str]:
    lines = [f"## {r.t['sources_heading']}", "", r.t["sources_intro"], ""]
    fids = sorted((c for c in r.cited if c.startswith("F")), key=lambda x: int(x[1:]))
    sids = sorted((c for c in r.cited if c.startswith("S")), key=lambda x: int(x[1:]))
    for rid, table in [(f, r.rows) for f in fids] + [(s, r.st_rows) for s in sids]:
        if rid not in table.index:
            continue
        url = str(table.loc[rid, "source_url"])
        lines.append(f"- {rid}: [{_md(url)}]({url}) ({_md(table.loc[rid, 'source_date'])})")
    return lines + [""]


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def render_published_report(
    published: pd.DataFrame,
    statements: pd.DataFrame | None = None,
    *,
    lang: str = "en",
) -> str:
    """Render the published-facts report (Q1-Q4 from published figures only) as Markdown.

    Parameters
    ----------
    published : pandas.DataFrame
        :func:`impact.io.published.load_published` output.
    statements : pandas.DataFrame, optional
        :func:`impact.io.published.load_published_statements` output; without it the
        report has no statements and checks no claims.
    lang : {"nl", "en"}, default "en"

    Returns
    -------
    str
        Markdown: definitions, Q1 (annual totals with definitions and the change against
        the previous published year, flagged where definitions differ; team figures),
        Q2 (problem figures of the latest year), Q3 (series named by the statements,
        with each claim checked), Q4 (published short windows), the contradictions and
        definition changes found, and the sources cited. Every number is followed by the
        id of its row.
    """
    r = _Report(published, statements, lang)
    lines = _header(r)
    lines += _section_q1(r)
    lines += _section_q2(r)
    lines += _section_q3(r)
    lines += _section_q4(r)
    lines += _section_findings(r)
    lines += _section_sources(r)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def write_published_reports(outputs: Any, writer: Any = None) -> dict[str, Path]:
    """Write the published-facts report in Dutch and English, Markdown and HTML.

    Parameters
    ----------
    outputs : impact.study.compute.StudyOutputs
        Read: ``published`` (the published figures), ``published_statements`` (may be
        None) and ``config.out_dir``. The call counts are not read.
    writer : impact.reporting.writer.ResultsWriter, optional
        Unused; accepted so the study calls every report writer alike.

    Returns
    -------
    dict of str to pathlib.Path
        Report name -> file (:data:`PUBLISHED_REPORT_FILES`) under ``outputs.config.out_dir``.
    """
    root = Path(outputs.config.out_dir)
    root.mkdir(parents=True, exist_ok=True)
    statements = getattr(outputs, "published_statements", None)
    paths: dict[str, Path] = {}
    for lang in LANGUAGES:
        text = render_published_report(outputs.published, statements, lang=lang)
        for name, content in ((f"published_{lang}", text),
                              (f"published_{lang}_html", markdown_to_html(
                                  text, base_dir=root, lang=lang,
                                  title=TEXT[lang]["title"]))):
            path = root / PUBLISHED_REPORT_FILES[name]
            path.write_text(content, encoding="utf-8")
            paths[name] = path
    return paths

