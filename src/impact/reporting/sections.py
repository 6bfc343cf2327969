"""The descriptive sections of the reports: header, Q1-Q3, warnings and sources.

Each ``_section_*`` function takes the report builder of :mod:`impact.reporting.builder`
(the study results, the language, the number format and the bookkeeping of cited rows,
sources and events) and returns Markdown lines; :func:`impact.reporting.report.render_report`
joins them. Q1 covers call counts per team, year and month and the published totals, Q2
the reported problems, Q3 their changes; the effect section (Q4, with the diagnostics)
is in :mod:`impact.reporting.effect_sections`. Tables and figures are named by their
output name (``calls_per_team_year``), never by id; the builder looks the id up in the
study's output registry.

Everything here is private to the reports.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pandas as pd

from impact.io.taxonomy import CATEGORIES
from impact.reporting.builder import _Builder, _md, _md_table
from impact.reporting.numbers import _is_missing
from impact.reporting.published_texts import MAIN_TEXT
from impact.reporting.templates import (
    DEFINITION_NAMES,
    SYNTHETIC_BANNER,
)

__all__: list[str] = []

_CATEGORY_ORDER = {c.code: i for i, c in enumerate(CATEGORIES)}


# ---------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------


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
    definition = b.message(o.calls.attrs.get("definition", b.t["dash"]))
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
    t01, t02, t03 = "calls_per_team_year", "published_annual_calls", "calls_per_team_month"
    kinds = [b.table_kind(x) for x in (t01, t02, t03) if b.has_table(x)]
    lines = b.section(t["q1_heading"].format(year=year), kinds=kinds)

    if b.has_table(t03):
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

    if b.has_table(t01):
        yearly = o.table(t01)
        cur = yearly[yearly["year"] == year].set_index("team")
        prev = yearly[yearly["year"] == year - 1].set_index("team")
        if b.total in cur.index:
            total = fmt.count(cur.loc[b.total, "calls"])
            change = cur.loc[b.total, "change_vs_previous_year"]
            if not _is_missing(change) and b.total in prev.index:
                flag = _definition_flag(b, year - 1, year)
                lines += [t["q1_totals"].format(
                    year=year, total=total, table=b.table_ref(t01), prev=year - 1,
                    change=fmt.percent(change, signed=True) + flag), ""]
                rows = [
                    [b.team(tm), fmt.count(cur.loc[tm, "calls"]),
                     fmt.count(prev.loc[tm, "calls"]) if tm in prev.index else t["dash"],
                     fmt.percent(cur.loc[tm, "change_vs_previous_year"], signed=True)
                     + (flag if tm == b.total else "")]
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

    if b.has_table(t02):
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
    for name in ("calls_per_team_month", "seasonal_profile", "published_annual_calls"):
        t_fig += b.figure(figure_ids, name)
    return lines + t_fig


def _definition_flag(b: _Builder, first: int, second: int) -> str:
    """`` (**answered vs unique: different definitions**)`` when the study's yearly totals
    stand for published totals (synthetic data calibrated to them) whose definitions
    differ between ``first`` and ``second``; else ``""``."""
    name = "published_annual_calls"
    if not (b.synthetic and b.has_table(name)):
        return ""
    annual = b.o.table(name).set_index("year")
    if first not in annual.index or second not in annual.index:
        return ""
    d1, d2 = str(annual.at[first, "definition"]), str(annual.at[second, "definition"])
    if not d1 or not d2 or d1 == d2:
        return ""
    names = DEFINITION_NAMES[b.lang]
    return " (" + MAIN_TEXT[b.lang]["definition_flag"].format(
        first=names.get(d1, d1), second=names.get(d2, d2)) + ")"


def _published_value(b: _Builder, measure: Any, value: Any) -> str:
    if str(measure) == "share":
        v = float(value)
        digits = 0 if abs(v * 100 - round(v * 100)) < 1e-9 else 1
        return b.fmt.percent(v, digits=digits)
    return b.fmt.count(value)


def _published_interval(b: _Builder, measure: Any, value: Any, lo: Any, hi: Any) -> str:
    point = _published_value(b, measure, value)
    if _is_missing(lo) or _is_missing(hi) or lo == hi:
        return point
    if str(measure) == "share":
        # a rounding range is half a unit of the last printed digit: one digit more
        v = float(value) * 100
        digits = (0 if abs(v - round(v)) < 1e-9 else 1) + 1
        return b.interval(point, b.fmt.percent(lo, digits=digits),
                          b.fmt.percent(hi, digits=digits), short=True)
    return b.interval(point, b.fmt.count(lo), b.fmt.count(hi), short=True)


def _rounding_range(b: _Builder, point: Any, lo: Any, hi: Any, *, digits: int = 2,
                    signed: bool = False) -> str:
    """A published change with its rounding range (just the point when it is exact); the
    range is printed with one digit more than the point."""
    def f(x: Any, more: int = 0) -> str:
        return b.fmt.decimal(x, digits=digits + more, signed=signed)

    if _is_missing(lo) or _is_missing(hi) or f(lo, 1) == f(hi, 1):
        return f(point)
    return MAIN_TEXT[b.lang]["rounding_range"].format(point=f(point), lower=f(lo, 1),
                                                      upper=f(hi, 1))


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
    t05, t10, t11 = "published_problems", "team_problem_counts", "team_problem_shares"
    kinds = [b.table_kind(x) for x in (t05, t10, t11) if b.has_table(x)]
    lines = b.section(t["q2_heading"], kinds=kinds)
    series = o.problems.get("published_series")
    pub = series.to_frame() if series is not None else (
        o.table(t05) if b.has_table(t05) else None)
    if pub is not None and len(pub):
        lines += [MAIN_TEXT[b.lang]["q2_published"].format(table=b.table_ref(t05)), ""]
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
                            MAIN_TEXT[b.lang]["q2_value"], t["q2_base"],
                            t["q2_source"]], rows)
        caveats = list(getattr(series, "caveats", ()) or ())
        caveats += [c for c in pub["caveat"].dropna().astype(str) if c.strip()]
        caveats = list(dict.fromkeys(caveats))
        if caveats:
            lines += [t["q2_caveats"], ""] + [f"- {b.message(c)}" for c in caveats] + [""]

    if b.has_table(t10):
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
        if b.has_table(t11):
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
    t06, t12 = "published_problem_changes", "team_problem_trends"
    kinds = [b.table_kind(x) for x in (t06, t12) if b.has_table(x)]
    lines = b.section(t["q3_heading"], kinds=kinds)
    if b.has_table(t06):
        comp = o.table(t06)
        lines += [MAIN_TEXT[b.lang]["q3_published"].format(table=b.table_ref(t06)), ""]
        for _, r in comp.iterrows():
            caveats = [c.strip() for c in str(r.get("caveats", "") or "").split(" | ")
                       if c.strip()]
            common = {
                "category": b.category(r["category"]), "measure": b.measure(r["measure"]),
                "y1": int(r["year_first"]), "y2": int(r["year_second"]),
            }
            if _is_missing(r.get("change")):
                reason = "; ".join(c.removeprefix("refused: ") for c in caveats)
                lines.append("- " + t["q3_refused"].format(reason=b.message(reason), **common))
                continue
            values = {
                "base": b.base(r["base_first"]),
                "src1": b.source(r["source_id_first"]), "src2": b.source(r["source_id_second"]),
                "v1": _published_value(b, r["measure"], r["value_first"]),
                "v2": _published_value(b, r["measure"], r["value_second"]),
            }
            if r["change_kind"] == "share_difference":
                change = _rounding_range(
                    b, r["change"] * 100, r["change_lower"] * 100, r["change_upper"] * 100,
                    digits=1, signed=True)
                text = t["q3_difference"].format(change=change, **common, **values)
            else:
                change = _rounding_range(b, r["change"], r["change_lower"],
                                         r["change_upper"])
                per_base = _rounding_range(b, r["rate_ratio_per_base"],
                                           r["rate_ratio_per_base_lower"],
                                           r["rate_ratio_per_base_upper"])
                text = t["q3_ratio"].format(change=change, per_base=per_base, **common,
                                            **values)
            if caveats:
                text += " " + t["q3_caveats"].format(
                    caveats="; ".join(b.message(c) for c in caveats))
            lines.append("- " + text)
        lines.append("")
    if b.has_table(t12):
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


_LISTED = re.compile(r"(?P<head>[^:]+: )(?P<items>[\w-]+(?:, [\w-]+)*)"
                     r"(?P<tail> \(.*\))?(?P<dot>\.?)")


def _merge_listed(msgs: list[str]) -> list[str]:
    """Messages that say the same thing about different lists of terms (``... were
    dropped: a, b`` from two fits) merged into one message with the union of the lists,
    in first-seen order; other messages unchanged and in order, exact repeats dropped."""
    out: list[str] = []
    merged: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for msg in dict.fromkeys(" ".join(m.split()) for m in msgs if m.strip()):
        m = _LISTED.fullmatch(msg)
        if m is None:
            out.append(msg)
            continue
        key = (m.group("head"), (m.group("tail") or "") + m.group("dot"))
        items = m.group("items").split(", ")
        if key in merged:
            pos, known = merged[key]
            known += [i for i in items if i not in known]
            out[pos] = f"{key[0]}{', '.join(known)}{key[1]}"
        else:
            merged[key] = (len(out), list(items))
            out.append(msg)
    return out


def _section_warnings(b: _Builder) -> list[str]:
    o = b.o
    lines = b.section(b.t["warnings_heading"])
    msgs = list(o.warnings)
    msgs += list(getattr(o.headline_its, "warnings", ()) or ())
    msgs += list(getattr(o.headline.estimates[-1], "warnings", ()) or ())
    msgs = _merge_listed([str(m) for m in msgs])
    if not msgs:
        return lines + [b.t["warnings_none"], ""]
    return lines + [b.t["warnings_intro"], ""] + [f"- {b.message(m)}" for m in msgs] + [""]


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
            lines.append(f"- {eid} {b.event_name(ev)}: {link}")
        lines.append("")
    return lines

