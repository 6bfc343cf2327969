"""Tests of the published-facts report and its finder (issue 12, defects 4, 5, 7 and 12).

:mod:`impact.reporting.published_report` renders Q1-Q4 from ``data/published`` only;
:mod:`impact.reporting.published_findings` finds contradictions by general rules, checked
here on small synthetic facts tables built in the test. The number check reads every
number of both reports back and traces it to a row cited on the same line.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from impact.io.published import load_published, load_published_statements
from impact.reporting.html import markdown_to_html
from impact.reporting.published_findings import FINDING_COLUMNS, find_published_findings
from impact.reporting.published_report import (
    PUBLISHED_REPORT_FILES,
    render_published_report,
    write_published_reports,
)
from impact.reporting.sections import _definition_flag

REPO = Path(__file__).resolve().parents[2]
LANGS = ("nl", "en")
#: Printed numbers are rounded to at most one decimal (counts to whole numbers).
PRINT_ATOL = 0.05 + 1e-9
#: The helpline's name is a number that is not a figure.
NAMES = {1712.0}
#: English words that must not appear in the Dutch report (outside code, links, ids).
ENGLISH_WORDS = (
    "the", "and", "calls", "received", "answered", "unique", "victims", "source",
    "sources", "change", "published", "year", "years", "share", "not", "with", "about",
    "more than", "weeks", "calendar", "window", "rate ratio", "interval", "sampling",
    "different", "definition", "claim", "question", "per day", "team figures",
)  # fmt: skip
_IDS = re.compile(r"\b[FS]\d{3}\b")
_NUMBER = {
    "nl": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"),
    "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"),
}


@pytest.fixture(scope="module")
def facts():
    return load_published(), load_published_statements()


@pytest.fixture(scope="module")
def reports(facts):
    pub, st = facts
    return {lang: render_published_report(pub, st, lang=lang) for lang in LANGS}


def _parse(text: str, lang: str) -> float:
    if lang == "nl":
        return float(text.replace(".", "").replace(",", "."))
    return float(text.replace(",", ""))


def _allowed(ids: list[str], pub: pd.DataFrame, st: pd.DataFrame) -> set[float]:
    """Every number a line citing ``ids`` may print: the rows' values, years, window
    days, the numbers in their quantity names and source dates, and the relative changes
    between two cited values (as percentages)."""
    rows = pub.set_index("id")
    srows = st.set_index("id")
    out: set[float] = set(NAMES)
    values = []
    for rid in ids:
        if rid in rows.index:
            r = rows.loc[rid]
            values.append(float(r["value"]))
            out |= {float(r["value"]), float(r["year"])}
            for col in ("period_start", "period_end"):
                if pd.notna(r[col]):
                    out |= {float(r[col].day), float(r[col].year)}
            out |= {float(x) for x in re.findall(r"\d+", f"{r['quantity']} {r['source_date']}")}
            if "previous_year" in str(r["quantity"]):  # "against the previous year"
                out.add(float(r["year"]) - 1)
        elif rid in srows.index:
            s = srows.loc[rid]
            out |= {float(x) for x in (s["year_from"], s["year_to"], s["value"])
                    if pd.notna(x)}
    years = [x for x in out if 1900 < x < 2100 and x == int(x)]
    if years:  # a year inside the span of the cited rows (a gap between them)
        out |= {float(y) for y in range(int(min(years)), int(max(years)) + 1)}
    for a, b in itertools.permutations(values, 2):
        if a:
            out.add(abs(b / a - 1) * 100)
    return out


def _lines(report: str):
    """Lines to check: not headings, not the sources list; links and code removed."""
    body = report.split("\n## Bronnen")[0].split("\n## Sources")[0]
    for line in body.splitlines():
        if line.startswith("#"):
            continue
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"`[^`]*`", "", line)
        yield line.replace("SHA-256", "")


@pytest.mark.parametrize("lang", LANGS)
def test_every_number_traces_to_a_cited_row(facts, reports, lang):
    pub, st = facts
    checked = 0
    for line in _lines(reports[lang]):
        ids = _IDS.findall(line)
        rest = _IDS.sub("", line)
        numbers = [_parse(m, lang) for m in _NUMBER[lang].findall(rest)]
        numbers = [x for x in numbers if x not in NAMES]
        if not numbers:
            continue
        assert ids, f"numbers without a source id: {line!r}"
        allowed = _allowed(ids, pub, st)
        for x in numbers:
            assert any(abs(x - a) <= PRINT_ATOL for a in allowed), (x, line)
            checked += 1
    assert checked > 100


def test_report_answers_with_the_real_figures_and_statements(reports):
    en = reports["en"]
    # real team figures with their published growth (defect 7)
    for rid in ("F137", "F138", "F139", "F140"):
        assert rid in en
    assert "+3.4%" in en
    # the minister's statements (defect 12)
    for sid in ("S004", "S007", "S010", "S011"):
        assert f"({sid})" in en
    assert "4,837 (F203)" in en and "20% (F215)" in en and "25% of calls via chat (F217)" in en
    # the contradictions stated plainly (defects 4 and 5)
    assert "2015 4,707 (F018) and 2016 4,596 (F019)" in en
    assert "9,045 unique calls (F110) against 9,424 calls answered (F201)" in en
    assert re.search(r"F144 \(focus-wtv\.be[^)]*\): 3 weeks; F218 \(vlaamsparlement\.be"
                     r"[^)]*\): no period stated", en)
    # census counts: no sampling intervals
    assert "no sampling interval" in en and "95%" not in en


def test_dutch_report_has_no_english_words(reports):
    text = "\n".join(_lines(reports["nl"]))
    text = re.sub(r"\S+\.(?:csv|be|md)\b", "", text)
    found = [w for w in ENGLISH_WORDS if re.search(rf"\b{re.escape(w)}\b", text, re.I)]
    assert not found, found
    assert "Vraag 1" in reports["nl"] and "Question" not in reports["nl"]
    assert "27 februari 2020" in reports["nl"]  # dates in Dutch, month written out


def test_write_published_reports_md_and_html(facts, tmp_path):
    pub, st = facts
    outputs = SimpleNamespace(published=pub, published_statements=st,
                              config=SimpleNamespace(out_dir=tmp_path))
    paths = write_published_reports(outputs)
    assert set(paths) == set(PUBLISHED_REPORT_FILES)
    html = paths["published_nl_html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="nl"' in html
    assert html == markdown_to_html(paths["published_nl"].read_text(encoding="utf-8"),
                                    base_dir=tmp_path, lang="nl",
                                    title=html.split("<title>")[1].split("</title>")[0])
    # without statements the report still renders, with no claim checked
    bare = render_published_report(pub, None, lang="en")
    assert "(S0" not in bare and "F201" in bare


# ---------------------------------------------------------------------------------------
# the finder, on small synthetic facts tables
# ---------------------------------------------------------------------------------------

_URL = "https://example.org/{}"


def _facts(rows: list[tuple]) -> pd.DataFrame:
    """A facts table of the shape of load_published from (id, topic, year, start, end,
    team, quantity, value, source)."""
    recs = []
    for rid, topic, year, start, end, team, quantity, value, source in rows:
        recs.append({
            "id": rid, "topic": topic, "year": year, "period_start": pd.Timestamp(start)
            if start else pd.NaT, "period_end": pd.Timestamp(end) if end else pd.NaT,
            "team": team, "quantity": quantity, "value": float(value), "unit": "calls",
            "source_url": _URL.format(source), "source_date": str(year),
            "note": "", "is_lower_bound": False, "is_approximate": False,
        })
    out = pd.DataFrame(recs)
    out.attrs = {"kind": "published"}
    return out


def _year(rid, year, quantity, value, source="a", team="North", topic="calls"):
    return (rid, topic, year, f"{year}-01-01", f"{year}-12-31", team, quantity, value, source)


def _statements(rows: list[dict]) -> pd.DataFrame:
    base = {"question": 1, "team": "North", "topic": "calls", "quantity": "",
            "year_from": pd.NA, "year_to": pd.NA, "value": np.nan, "unit": "",
            "figure_ids": (), "source_url": _URL.format("m"), "source_date": "",
            "text_en": "", "text_nl": ""}
    out = pd.DataFrame([{**base, **r} for r in rows])
    for col in ("year_from", "year_to"):
        out[col] = out[col].astype("Int64")
    return out


def test_finder_finds_a_decrease_against_a_claim_of_yearly_growth():
    pub = _facts([_year("F001", 2001, "calls_received", 100),
                  _year("F002", 2002, "calls_received", 120),
                  _year("F003", 2003, "calls_received", 110),
                  _year("F004", 2005, "calls_received", 130)])
    st = _statements([{"id": "S001", "claim": "increases_every_year", "year_from": 2001,
                       "year_to": 2005}])
    f = find_published_findings(pub, st)
    assert tuple(f.columns) == FINDING_COLUMNS
    hit = f[f["kind"] == "claim_contradicted"]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert (row["id_first"], row["id_second"], row["statement_id"]) == ("F002", "F003", "S001")
    assert row["change"] == pytest.approx(110 / 120 - 1)
    gap = f[f["kind"] == "claim_gap"].iloc[0]
    assert (gap["year_first"], gap["year_second"]) == (2003, 2005)
    # the same series without the dip agrees with the claim
    ok = find_published_findings(pub.assign(value=[100.0, 120.0, 125.0, 130.0]), st)
    assert "claim_contradicted" not in set(ok["kind"])
    assert "claim_consistent" in set(ok["kind"])


def test_finder_finds_definition_changes_ambiguous_wording_and_conflicts():
    pub = _facts([_year("F001", 2001, "calls_received", 100),
                  _year("F002", 2002, "calls_answered", 105),
                  _year("F003", 2002, "calls_received", 105),
                  _year("F004", 2003, "unique_calls_received", 110),
                  _year("F005", 2004, "calls_answered", 120),
                  _year("F006", 2004, "calls_answered", 121)])
    f = find_published_findings(pub)
    kinds = f.groupby("kind")["ids"].apply(list).to_dict()
    # 2001 -> 2002 share 'received'; 2002 -> 2003 and 2003 -> 2004 share no definition
    assert kinds["definition_change"] == [("F002", "F004"), ("F004", "F005")]
    assert kinds["same_value_two_definitions"] == [("F002", "F003")]
    assert kinds["conflicting_values"] == [("F005", "F006")]
    change = f[f["kind"] == "definition_change"].iloc[-1]
    assert change["definition_first"] == "unique_calls"
    assert change["definition_second"] == "calls_answered"
    assert change["change"] == pytest.approx(120 / 110 - 1)


def test_finder_checks_published_growth_against_totals():
    pub = _facts([_year("F001", 2001, "calls_received", 100),
                  _year("F002", 2002, "calls_received", 110),
                  _year("F003", 2002, "growth_vs_previous_year", 10),
                  _year("F004", 2003, "unique_calls_received", 121),
                  _year("F005", 2003, "growth_vs_2002", 10),
                  _year("F006", 2002, "growth_vs_2001", 12),
                  _year("F007", 2002, "calls_received_team", 50, team="South"),
                  _year("F008", 2002, "growth_vs_2001", 5, team="South")])
    f = find_published_findings(pub)
    status = dict(zip(f.loc[f["kind"] == "growth_check", "statement_id"],
                      f.loc[f["kind"] == "growth_check", "status"], strict=True))
    assert status == {"F003": "matches", "F005": "mixes_definitions", "F006": "differs",
                      "F008": "base_missing"}


def test_finder_cites_one_figure_with_different_windows_from_each_source():
    pub = _facts([
        ("F001", "calls", 2003, "", "", "North", "relative_change_vs_prev_year_3_weeks",
         31, "tv"),
        ("F002", "calls", 2003, "", "", "North", "relative_change_vs_prev_year", 31,
         "minister"),
        ("F003", "calls", 2003, "", "", "North", "relative_change_vs_prev_year_3_weeks",
         12, "tv"),
    ])
    f = find_published_findings(pub)
    hit = f[f["kind"] == "same_figure_different_windows"]
    assert list(hit["ids"]) == [("F001", "F002")]
    # one source stating one window twice is not a contradiction
    same = pub.assign(source_url=_URL.format("tv"))
    assert find_published_findings(same).empty


def test_finder_checks_a_claimed_slight_decrease():
    pub = _facts([_year("F001", 2001, "calls_partner_violence", 50, topic="category"),
                  _year("F002", 2002, "calls_partner_violence", 60, topic="category")])
    st = _statements([{"id": "S001", "claim": "slight_decrease", "topic": "category",
                       "quantity": "calls_partner_violence", "year_from": 2001,
                       "year_to": 2002},
                      {"id": "S002", "claim": "slight_decrease", "topic": "category",
                       "quantity": "calls_partner_violence", "year_from": 2002,
                       "year_to": 2003}])
    f = find_published_findings(pub, st).set_index("statement_id")
    assert f.loc["S001", "kind"] == "claim_contradicted"
    assert f.loc["S002", "kind"] == "claim_unverifiable"


# ---------------------------------------------------------------------------------------
# the study report flags a change across definitions (defect 5)
# ---------------------------------------------------------------------------------------


def _builder(lang: str, *, synthetic: bool) -> SimpleNamespace:
    annual = pd.DataFrame({"year": [2022, 2023], "definition": ["unique_calls",
                                                                "calls_answered"]})
    o = SimpleNamespace(table=lambda name: annual.copy())
    return SimpleNamespace(lang=lang, synthetic=synthetic, o=o, has_table=lambda n: True)


def test_study_report_flags_answered_vs_unique():
    assert _definition_flag(_builder("en", synthetic=True), 2022, 2023) == (
        " (**unique calls vs calls answered: different definitions**)")
    assert "andere definities" in _definition_flag(_builder("nl", synthetic=True), 2022, 2023)
    assert _definition_flag(_builder("en", synthetic=True), 2021, 2022) == ""
    # real call counts have one definition of their own: nothing to flag
    assert _definition_flag(_builder("en", synthetic=False), 2022, 2023) == ""
