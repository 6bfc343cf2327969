"""Tests of :mod:`impact.reporting.report`: reports in Dutch and English, HTML, the policy note.

Also the builder (:mod:`impact.reporting.builder`), number format and HTML conversion.

One study is computed per module (synthetic data, diagnostics off) and shared by every
test; expected strings are formatted here with babel directly, not with the module's own
formatter, so a formatting bug cannot hide behind itself.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, parse_decimal

from impact._core.exceptions import DataValidationError, SyntheticDataError
from impact.reporting.builder import is_synthetic
from impact.reporting.html import markdown_to_html
from impact.reporting.numbers import NumberFormat
from impact.reporting.report import REPORT_FILES, policy_note, render_report, write_reports
from impact.reporting.templates import LOCALES, SYNTHETIC_BANNER, SYNTHETIC_LABEL
from impact.reporting.writer import ResultsWriter
from impact.study.compute import compute_study
from impact.study.config import load_study
from impact.study.outputs import OUTPUTS

REPO = Path(__file__).resolve().parents[2]
LANGS = ("nl", "en")
TO = {"nl": "tot", "en": "to"}
#: Slack on top of half a unit in the last printed digit (float representation only).
PRINT_ATOL = 1e-9

# ---------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    cfg = load_study(REPO / "study.toml")
    if cfg.data_kind != "synthetic":  # pragma: no cover - the shipped study is synthetic
        pytest.skip("study.toml does not use the synthetic panel")
    # the reports' wording and structure are under test, not the numbers: fewer paths
    cfg = dataclasses.replace(cfg, run_diagnostics=False, n_paths=400,
                              out_dir=tmp_path_factory.mktemp("results"))
    return compute_study(cfg)


@pytest.fixture(scope="module")
def reports(outputs):
    return {lang: render_report(outputs, lang=lang, figure_ids=()) for lang in LANGS}


@pytest.fixture(scope="module")
def written(outputs):
    import matplotlib.pyplot as plt

    writer = ResultsWriter(outputs.config.out_dir)
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    writer.figure(OUTPUTS.figure("headline_effect_by_team").id, fig,
                  pd.DataFrame({"x": [0, 1]}), producer="tests", data_kind=outputs.data_kind,
                  title="test figure")
    return write_reports(outputs, writer)


@pytest.fixture(scope="module")
def real_outputs(outputs):
    """The same results relabelled as they would come from a real table (no categories)."""
    tables = {}
    for tid, table in outputs.tables.items():
        if OUTPUTS[tid].requires == "categories":
            continue  # compute_study makes no per-team categories from real data
        if table.data_kind == "synthetic":
            frame = table.frame
            frame = frame.assign(data_kind="real") if "data_kind" in frame else frame
            table = dataclasses.replace(table, frame=frame, data_kind="real")
        tables[tid] = table
    calls = outputs.calls.copy()
    calls.attrs.update(outputs.calls.attrs)
    calls.attrs.update(kind="real", source="data/raw/calls_team_month.csv")
    cfg = dataclasses.replace(outputs.config, data_kind="real",
                              calls=REPO / "data/raw/calls_team_month.csv")
    return dataclasses.replace(
        outputs, config=cfg, data_kind="real", calls=calls, tables=tables,
        estimates=outputs.estimates.assign(data_kind="real"),
        problems={"published_series": outputs.problems["published_series"]},
    )


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------


def _row(outputs, team, event, estimator, quantity):
    est = outputs.estimates.reset_index(drop=True)
    hit = est[(est.team == team) & (est.event == event) & (est.estimator == estimator)
              & (est.quantity == quantity)]
    assert len(hit) == 1
    return int(hit.index[0]) + 1, hit.iloc[0]


def _signed_count(x, lang):
    v = round(float(x))
    return format_decimal(v, "+#,##0;-#,##0" if v else "#,##0", locale=LOCALES[lang])


def _sections(text):
    """(heading, body) of every ``##`` section, plus the part above the first one."""
    parts = re.split(r"^## ", text, flags=re.M)
    return [("(top)", parts[0])] + [(p.splitlines()[0], p) for p in parts[1:]]


def _q4(text):
    return re.split(r"\n## (?:Q|Vraag )4", text, maxsplit=1)[1].split("\n## ", 1)[0]


def _sentences(note):
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", note) if s.strip()]


# ---------------------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------------------


def test_write_reports_writes_both_languages_md_html_and_notes(outputs, written):
    assert set(written) == set(REPORT_FILES)
    root = Path(outputs.config.out_dir)
    for report, name in REPORT_FILES.items():
        assert written[report] == root / name
        assert written[report].is_file()
        assert OUTPUTS.report(report).kind == "report"  # the study declares every report
    nl = (root / "report_nl.md").read_text(encoding="utf-8")
    en = (root / "report_en.md").read_text(encoding="utf-8")
    assert nl.startswith("# Hulplijn 1712") and "## Vraag 4 – Effect van campagnes" in nl
    assert en.startswith("# Helpline 1712") and "## Q4 – Effect of campaigns" in en
    for q in ("1", "2", "3", "4"):
        assert f"\n## Vraag {q} " in nl and f"\n## Q{q} " in en
        assert f"Q{q}" not in nl


def test_numbers_are_formatted_per_language(outputs, reports):
    n_obs, obs = _row(outputs, "Flanders", outputs.headline.estimates[-1].event,
                      "counterfactual", "observed")
    _, rel = _row(outputs, "Flanders", outputs.headline.estimates[-1].event,
                  "counterfactual", "relative_effect")
    total = outputs.table("calls_per_team_year")
    total = total[(total.team == "Flanders") & (total.year == outputs.config.year)]
    calls = float(total["calls"].iloc[0])
    for lang, other in (("nl", "en"), ("en", "nl")):
        loc = LOCALES[lang]
        text = reports[lang]
        expected = format_decimal(round(float(obs["estimate"])), "#,##0", locale=loc)
        assert f"[{expected}](estimates.csv#row-{n_obs} " in text
        assert format_decimal(calls, "#,##0", locale=loc) in text
        pct = format_percent(Decimal(repr(round(float(rel["estimate"]) * 100, 1))) / 100,
                             "+#,##0.0%;-#,##0.0%", locale=loc)
        assert pct in text
        wrong = format_decimal(round(float(obs["estimate"])), "#,##0", locale=LOCALES[other])
        assert f"[{wrong}](estimates.csv#row-{n_obs} " not in text
    assert "9.424" in reports["nl"] and "9,424" in reports["en"]  # babel group separators


def test_synthetic_banner_opens_every_section_of_both_reports(outputs, reports, written):
    assert is_synthetic(outputs)
    for lang in LANGS:
        banner = SYNTHETIC_BANNER[lang]
        sections = _sections(reports[lang])
        assert len(sections) >= 7
        for heading, body in sections:
            assert banner in body, f"{lang}: section {heading!r} lacks the synthetic banner"
        html = written[f"report_{lang}_html"].read_text(
            encoding="utf-8")
        assert html.count(banner) == len(sections) + 1  # + the table of estimates
    assert "SYNTHETISCHE GEGEVENS – demonstratie, geen echte 1712-cijfers" in reports["nl"]


def test_policy_note_refuses_synthetic_data_without_force(outputs):
    for lang in LANGS:
        with pytest.raises(SyntheticDataError, match="force_synthetic=True"):
            policy_note(outputs, lang=lang)


def test_forced_policy_note_labels_every_sentence(outputs, written):
    for lang in LANGS:
        note = policy_note(outputs, lang=lang, force_synthetic=True)
        label = SYNTHETIC_LABEL[lang]
        sentences = _sentences(note)
        assert len(sentences) >= 6
        for s in sentences:  # headings carry the label too; a figure's caption carries it
            if s.startswith("!["):
                continue
            s = s.removeprefix("### ")
            assert s.startswith(label), f"{lang}: unlabelled sentence {s!r}"
        # says so at the top, in words (no code in the prose)
        assert {"nl": "op uitdrukkelijke vraag", "en": "on explicit request"}[lang] in sentences[1]
        assert "force_synthetic" not in note
        on_disk = written[f"policy_note_{lang}"]
        assert on_disk.read_text(encoding="utf-8") == note


def test_policy_note_numbers_match_the_headline(outputs):
    event = outputs.headline.estimates[-1].event
    _, row = _row(outputs, "Flanders", event, "counterfactual", "cumulative_effect")
    for lang in LANGS:
        note = policy_note(outputs, lang=lang, force_synthetic=True)
        lo, hi = (_signed_count(row[c], lang) for c in ("lower", "upper"))
        assert (f"{_signed_count(row['estimate'], lang)} (95%-interval {lo} {TO[lang]} {hi})"
                in note)


def test_real_data_carry_no_synthetic_label(real_outputs):
    assert not is_synthetic(real_outputs)
    for lang in LANGS:
        text = render_report(real_outputs, lang=lang, figure_ids=())
        note = policy_note(real_outputs, lang=lang)
        for doc in (text, note):
            assert "synthe" not in doc.lower()
            assert SYNTHETIC_BANNER[lang] not in doc and SYNTHETIC_LABEL[lang] not in doc
        assert ("**real**" if lang == "en" else "**echt**") in text
        # per-team categories need categories in the data: the report says so
        assert OUTPUTS.table("team_problem_counts").short not in text


def test_q4_headline_effect_and_bounds_link_to_their_row(outputs, reports):
    event = outputs.headline.estimates[-1].event
    n, row = _row(outputs, "Flanders", event, "counterfactual", "cumulative_effect")
    for lang in LANGS:
        point, lo, hi = (_signed_count(row[c], lang) for c in ("estimate", "lower", "upper"))
        expected = f"[{point} (95%-interval {lo} {TO[lang]} {hi})](estimates.csv#row-{n} "
        assert expected in _q4(reports[lang])


def test_every_number_in_q4_derives_from_estimates(outputs, reports):
    est = outputs.estimates
    values = pd.concat([est["estimate"], est["lower"], est["upper"]]).dropna()
    pub = outputs.published
    pub_values = pub.loc[pub["quantity"].str.startswith("relative_change_vs_"), "value"]
    for lang in LANGS:
        loc = LOCALES[lang]
        text = _q4(reports[lang])
        text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets: row numbers, files
        for ev in outputs.registry:
            text = text.replace(ev.display_name(lang), " ")
            text = text.replace(format_date(ev.start.date(), "d MMMM y", locale=loc), " ")
        text = re.sub(r"\b[EFTQR]\d+\b", " ", text)  # event, source, table, figure ids
        text = re.sub(r"(?<![\d.,])(19|20)\d\d(?!\d|[.,]\d)", " ", text)  # years
        text = re.sub(r"(?<![\d.,+-])95%", " ", text)  # the interval level
        text = text.replace("1712", " ")
        tokens = re.findall(r"[+-]?\d[\d.,]*%?", text)
        assert len(tokens) > 50
        for tok in tokens:
            tok = tok.rstrip(".,")
            is_pct = tok.endswith("%")
            body = tok.rstrip("%").lstrip("+-")
            value = float(parse_decimal(body, locale=loc)) * (-1 if tok.startswith("-") else 1)
            dec_sym = "," if lang == "nl" else "."
            digits = len(body.split(dec_sym)[1]) if dec_sym in body else 0
            tol = 0.5 * 10 ** -digits + PRINT_ATOL
            candidates = list(values * 100) if is_pct else list(values)
            if is_pct:
                candidates += list(pub_values)
            assert any(abs(c - value) <= tol for c in candidates), (
                f"{lang}: {tok!r} in Q4 matches no value of estimates.csv")


def test_html_is_self_contained(written):
    for lang in LANGS:
        html = written[f"report_{lang}_html"].read_text(
            encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>")
        assert "data:image/png;base64," in html
        assert 'src="figures/' not in html
        assert "<table>" in html and "<h2 " in html and "<ul>" in html
        assert 'href="#row-' in html and 'href="estimates.csv#row-' not in html
        assert "**" not in html and "](" not in html


def test_suppressed_cells_are_not_printed(outputs):
    t10_id = OUTPUTS.table("team_problem_counts").id
    t10 = outputs.table("team_problem_counts")
    t11 = outputs.table("team_problem_shares")
    target = (t10["team"] == "Limburg") & (t10["category"] == "separation_problems")
    raw = int(t10.loc[target, "count"].iloc[0])
    t10.loc[target, ["count", "suppressed"]] = [float("nan"), True]
    share = t11.loc[(t11["team"] == "Limburg") & (t11["category"] == "separation_problems"),
                    "share"].iloc[0]
    tables = dict(outputs.tables)
    tables[t10_id] = dataclasses.replace(outputs.tables[t10_id], frame=t10)
    text = render_report(dataclasses.replace(outputs, tables=tables), lang="en", figure_ids=())
    q2 = re.split(r"\n## (?:Q|Vraag )2", text, maxsplit=1)[1].split("\n## ", 1)[0]
    row = [ln for ln in q2.splitlines() if ln.startswith("| separation problems |")]
    assert len(row) == 2  # counts and shares
    for ln in row:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        assert cells[2] == "suppressed"  # Limburg is the second team column
        assert str(raw) not in cells[2]
    assert NumberFormat("en").percent(share) not in row[1].split("|")[3]


def test_number_format_by_language():
    nl, en = NumberFormat("nl"), NumberFormat("en")
    assert (nl.count(9424), en.count(9424)) == ("9.424", "9,424")
    assert (nl.percent(0.312), en.percent(0.312)) == ("31,2%", "31.2%")
    assert (nl.count(-0.4, signed=True), en.percent(-0.0004, signed=True)) == ("0", "0.0%")
    assert en.count(12.5, signed=True) == "+12"  # half to even
    assert nl.decimal(1.37755) == "1,38"
    assert nl.level(0.95) == "95%"
    assert nl.count(float("nan")) == "–"
    with pytest.raises(DataValidationError, match="lang"):
        NumberFormat("fr")


def test_markdown_to_html_subset(tmp_path):
    md = "\n".join([
        "# Title", "", "> **banner**", "", "Text with [a *link*](x.csv#row-3 \"key · q\") "
        "and `code` and 1 \\< 2.", "", "- one", "- two", "", "| a | b |", "|---|---|",
        "| 1 | x \\| y |", "", "![F01 – fig](figures/F01.png)",
    ])
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "F01.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    html = markdown_to_html(md, base_dir=tmp_path, lang="nl", title="t")
    assert '<html lang="nl">' in html and '<h1 id="title">Title</h1>' in html
    assert "<blockquote><p><strong>banner</strong></p></blockquote>" in html
    assert '<a href="x.csv#row-3" title="key · q">a <em>link</em></a>' in html
    assert "<code>code</code>" in html and "1 &lt; 2." in html
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert "<td>x | y</td>" in html
    assert 'src="data:image/png;base64,' in html


def test_diagnostics_verdict_is_reported_when_present(outputs):
    from types import SimpleNamespace

    table = pd.DataFrame({
        "team": ["Limburg", "Flanders"], "event": ["E048+E049"] * 2,
        "verdict": ["suggestive", "supported"], "placebo_rank": [4, 1],
        "n_placebos": [36, 36], "placebo_p_one_sided": [0.108, 0.027],
        "false_positive_rate": [0.0278, 0.0], "sensitivity_relative_min": [0.101, 0.048],
        "sensitivity_relative_max": [0.346, 0.221], "n_specs_failed": [2, 2],
    }).set_index("team")

    class FakeDiagnostics:
        def summary(self):
            return SimpleNamespace(text="long text with wall time 244 s", table=table)

    with_diag = dataclasses.replace(outputs, diagnostics=FakeDiagnostics())
    expected = {"nl": "| Vlaanderen | ondersteund | 1 | 36 | 0,027 | 0,0% | +4,8% tot +22,1% | 2 |",
                "en": "| Flanders | supported | 1 | 36 | 0.027 | 0.0% | +4.8% to +22.1% | 2 |"}
    for lang in LANGS:
        q4 = _q4(render_report(with_diag, lang=lang, figure_ids=()))
        assert expected[lang] in q4
        assert "244 s" not in q4  # the summary text (wall time) is not copied
        note = policy_note(with_diag, lang=lang, force_synthetic=True)
        assert ("ondersteund" if lang == "nl" else "supported") in note
    assert "No diagnostics in this run" in _q4(render_report(outputs, lang="en", figure_ids=()))


# ---------------------------------------------------------------------------------------
# Dutch throughout (issue 12, defect 8)
# ---------------------------------------------------------------------------------------

#: English words and method jargon that must not appear in Dutch prose (whole words).
ENGLISH_WORDS = (
    "the", "and", "with", "calls", "call", "events", "event", "between", "figures",
    "shares", "share", "counts", "only", "label change", "is approximate", "unit worded",
    "negbin", "seasonal_naive", "quasipoisson/linear", "Seed", "force_synthetic",
    "in het Engels", "overschot", "placeborang 1 tussen", "Backtests verkiezen",
    "rate ratio van 1", "answered contacts", "as given in the input", "Launch", "Campaign",
    "episode", "presumed", "arrested", "becomes public",
)
_EN_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def _dutch_prose(text: str) -> str:
    """The Dutch text without what is not prose: link targets and titles, URLs, code."""
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets and titles
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    return text


def test_dutch_report_and_note_have_no_english_words_or_month_abbreviations(outputs, reports):
    note = policy_note(outputs, lang="nl", force_synthetic=True)
    for name, text in (("report_nl", reports["nl"]), ("policy_note_nl", note)):
        prose = _dutch_prose(text)
        found = [w for w in ENGLISH_WORDS if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])",
                                                        prose)]
        assert not found, f"{name}: English in the Dutch text: {found}"
        assert not _EN_MONTH.search(prose), f"{name}: {_EN_MONTH.search(prose).group(0)!r}"
        assert "(nog niet vertaalde melding)" not in prose, (
            f"{name}: a library message has no Dutch rendering in "
            "impact.reporting.translations")


def test_dutch_report_uses_dutch_event_names_and_dates(outputs, reports):
    nl, en = reports["nl"], reports["en"]
    for eid in ("E048", "E049", "E053"):
        ev = outputs.registry[eid]
        assert ev.name_nl and ev.name_nl in _dutch_prose(nl).replace("\\", "")
        assert ev.name in en.replace("\\", "")
    start = outputs.registry["E048"].start.date()
    assert format_date(start, "d MMMM y", locale="nl_BE") in nl  # 27 augustus 2023
    assert format_date(start, "d MMMM y", locale="en_GB") in en
    assert "negatief-binomiaal" in nl and "verhouding van de aantallen" in nl


# ---------------------------------------------------------------------------------------
# HTML that works in a browser (issue 12, defect 11)
# ---------------------------------------------------------------------------------------


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.nav_links: list[str] = []
        self._in_nav = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "nav":
            self._in_nav = True
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
            if self._in_nav:
                self.nav_links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = False


def test_html_internal_links_resolve_and_toc_lists_every_section(outputs, written):
    n_rows = len(outputs.estimates)
    for lang in LANGS:
        page = written[f"report_{lang}_html"].read_text(encoding="utf-8")
        parser = _Anchors()
        parser.feed(page)
        assert len(parser.ids) == len(set(parser.ids)), "duplicate ids"
        internal = [h for h in parser.hrefs if h.startswith("#")]
        assert internal, "no internal links"
        missing = sorted({h for h in internal if h[1:] not in set(parser.ids)})
        assert not missing, f"{lang}: internal links without a target: {missing[:5]}"
        # every estimate row is a target, and no link points into the CSV file any more
        assert {f"row-{n}" for n in range(1, n_rows + 1)} <= set(parser.ids)
        assert not [h for h in parser.hrefs if "estimates.csv#" in h]
        h2 = re.findall(r'<h2 id="([^"]+)">', page)
        assert parser.nav_links == [f"#{i}" for i in h2] and len(h2) >= 8


def test_html_warnings_are_not_duplicated(written):
    for lang in LANGS:
        page = written[f"report_{lang}_html"].read_text(encoding="utf-8")
        head = {"nl": "Meldingen van de analyse", "en": "Warnings from the analysis"}[lang]
        section = page.split(f">{head}</h2>", 1)[1].split("<h2 ", 1)[0]
        items = re.findall(r"<li>(.*?)</li>", section)
        assert items and len(items) == len(set(items))
        # one message per form: the terms dropped from two fits are merged into one
        forms = [re.sub(r": .*", "", i) for i in items]
        assert len(forms) == len(set(forms)), forms


CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser")
                 if Path(p).exists()), None)


@pytest.mark.skipif(CHROMIUM is None, reason="no /usr/bin/chromium on this machine "
                    "(optional: apt-get install chromium) - browser smoke test skipped")
def test_html_renders_in_headless_chromium(written, tmp_path):
    """Loads the Dutch report in headless Chromium and reads back the rendered DOM; with
    IMPACT_SCREENSHOT=1 a screenshot is saved under results/ (never by default)."""
    import os
    import subprocess

    page = written["report_nl_html"]
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(cmd + ["--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'id="row-1"' in dom.stdout and "Vraag 4" in dom.stdout
    if os.environ.get("IMPACT_SCREENSHOT") == "1":
        shot = REPO / "results" / "report_nl_screenshot.png"
        subprocess.run(cmd + [f"--screenshot={shot}", "--window-size=1280,2000",
                              page.as_uri()], check=True, capture_output=True, timeout=120)
        assert shot.is_file()


# ---------------------------------------------------------------------------------------
# The policy note for a minister's desk: figures, data source, two caveats, .docx
# ---------------------------------------------------------------------------------------


def test_policy_note_has_sections_figures_definition_and_two_caveat_sentences(outputs,
                                                                              tmp_path):
    ids = {f"{OUTPUTS.figure(n).id}_{lang}" for n in ("headline_forest", "headline_cumulative")
           for lang in LANGS}
    heads = {"nl": ("Kerncijfers", "Gegevensbron en definitie", "Kanttekeningen", "Bron"),
             "en": ("Headline", "Data source and definition", "Caveats", "Source")}
    for lang in LANGS:
        note = policy_note(outputs, lang=lang, force_synthetic=True, figure_ids=ids)
        for h in heads[lang]:
            assert f"### {SYNTHETIC_LABEL[lang]} {h}\n" in note
        for n in ("headline_forest", "headline_cumulative"):
            image = f"(figures/{OUTPUTS.figure(n).id}_{lang}.png)"
            assert image in note
            line = next(x for x in note.splitlines() if image in x)
            assert re.fullmatch(r"!\[[^\[\]]+\]\([^)\s]+\)", line), line  # a valid image
            caption = note.split(line + "\n", 1)[1].splitlines()[0]
            assert caption.startswith(f"{SYNTHETIC_LABEL[lang]} *{OUTPUTS.figure(n).short} – ")
        caveats = note.split(f" {heads[lang][2]}\n\n", 1)[1].split("\n\n", 1)[0]
        assert len(caveats.splitlines()) == 2  # the caveats in two sentences
        assert "E053" in caveats and outputs.registry["E053"].display_name(lang) in caveats
        measure = outputs.calls.attrs.get("definition", "")
        if lang == "en":
            assert measure and measure in note  # the definition of the counts


def test_policy_note_docx_matches_the_markdown_and_embeds_figures(outputs, written):
    import docx

    root = Path(outputs.config.out_dir)
    for lang in LANGS:
        path = written[f"policy_note_{lang}_docx"]
        assert path == root / f"policy_note_{lang}.docx"
        document = docx.Document(str(path))
        text = "\n".join(p.text for p in document.paragraphs)
        note = written[f"policy_note_{lang}"].read_text(encoding="utf-8")
        for line in note.splitlines():
            line = line.removeprefix("### ")
            if line and not line.startswith("!["):
                assert line.replace("*", "") in text, line
        assert document.core_properties.language == {"nl": "nl-BE", "en": "en-GB"}[lang]
        images = [x for x in note.splitlines() if x.startswith("![")]
        assert len(document.inline_shapes) == len(images)
        assert [s.style.name for s in document.paragraphs][0] == "Title"


def test_policy_note_docx_embeds_pictures_and_is_reproducible(outputs, tmp_path):
    import docx
    import matplotlib.pyplot as plt

    from impact.reporting.policy_docx import note_to_docx

    (tmp_path / "figures").mkdir()
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    fig.savefig(tmp_path / "figures" / "F03_x_nl.png")
    plt.close(fig)
    note = ("Title\n\n### Kerncijfers\n\nZin een.\nZin twee met **vet**.\n\n"
            "![F03 – x](figures/F03_x_nl.png)\n*F03 – x*\n")
    a = note_to_docx(note, tmp_path / "a.docx", base_dir=tmp_path)
    b = note_to_docx(note, tmp_path / "b.docx", base_dir=tmp_path)
    assert a.read_bytes() == b.read_bytes()
    document = docx.Document(str(a))
    assert len(document.inline_shapes) == 1
    assert "Zin een. Zin twee met vet." in [p.text for p in document.paragraphs]
