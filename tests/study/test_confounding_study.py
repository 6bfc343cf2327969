"""Confounders named in the study's tables and reports; the +31% windows (issue 12,
defects 1-4). The runs come from the ``study_runs`` fixture (``tests/study/conftest.py``)."""

from __future__ import annotations

import pandas as pd
import pytest

from impact.events.event import BASELINE_KINDS
from impact.events.registry import load_events


def _registry(a):
    return load_events(a.parent / "data" / "events" / "events.csv")


def test_other_events_table_names_confounders_by_kind(study_runs):
    a, _ = study_runs
    reg = _registry(a)
    t = pd.read_csv(a / "tables" / "T09_other_events.csv", keep_default_na=False)
    assert {"confounding", "confounded_by", "events_in_window"} <= set(t.columns)
    # E016's window (Feb-Apr 2020) holds the first lockdown and the capacity changes
    e016 = t[t["event"] == "E016"]
    assert set(e016["confounding"]) == {"confounded"}
    ids = e016["confounded_by"].iloc[0].split()
    assert ids and all(reg[i].kind in BASELINE_KINDS for i in ids)
    assert all(reg[i].name in e016["events_in_window"].iloc[0] for i in ids)


def test_headline_says_in_words_what_the_joint_effect_includes(study_runs):
    a, _ = study_runs
    reg = _registry(a)
    t = pd.read_csv(a / "tables" / "T07_headline_effects.csv", keep_default_na=False)
    assert set(t["confounding"]) == {"confounded"}
    ids = t["confounded_by"].iloc[0].split()
    # the unmodelled confounders are the capacity-type events starting in the window
    window = pd.period_range("2023-08", "2023-10", freq="M")
    expected = [e.id for e in reg if e.kind in BASELINE_KINDS
                and e.start.to_period("M") in window]
    assert ids == expected and expected
    for lang, words in (("en", "What the joint effect includes"),
                        ("nl", "Wat het gezamenlijke effect bevat")):
        text = (a / f"report_{lang}.md").read_text(encoding="utf-8")
        para = next(p for p in text.split("\n\n") if words in p)
        # each confounder by id and by its name in the report's language
        assert all(i in para and reg[i].display_name(lang).split(" (")[0] in para
                   for i in ids), para
    note = (a / "policy_note_en.md").read_text(encoding="utf-8")
    assert all(f"also includes {i}" in note for i in ids[:1])


def test_published_figures_cited_for_what_each_says(study_runs):
    a, _ = study_runs
    for lang in ("en", "nl"):
        text = (a / f"report_{lang}.md").read_text(encoding="utf-8")
        assert "F144" in text and "F218" in text
        assert "minister reported" not in text
    en = (a / "report_en.md").read_text(encoding="utf-8")
    assert "over three weeks" in en and "without a stated period" in en
    assert "not the same window" in en


def test_windows_table_sets_year_on_year_beside_the_counterfactual(study_runs):
    a, _ = study_runs
    w = pd.read_csv(a / "tables" / "T16_headline_windows.csv")
    fl = w[w["team"] == "Flanders"].set_index("window")
    # the published window is 3 weeks from 27 Aug 2023: most of it in September
    assert fl.loc["nearest_published", "window_start"] == "2023-09"
    assert fl.loc["nearest_published", "window_end"] == "2023-09"
    assert bool(fl.loc["nearest_published", "is_nearest_published"])
    assert list(fl.index) == ["nearest_published", "headline", "to_year_end"]
    assert fl.loc["to_year_end", "window_end"] == "2023-12"
    t07 = pd.read_csv(a / "tables" / "T07_headline_effects.csv").set_index("team")
    assert fl.loc["headline", "relative_effect"] == t07.loc["Flanders", "relative_effect"]
    assert (w["mde_relative"] > 0).all() and w["year_on_year"].notna().all()
    d = pd.read_csv(a / "tables" / "T17_detectable_effect.csv")
    assert set(d["team"]) == set(w["team"]) and (d["window_start"] == "2023-09").all()


def test_window_numbers_are_rows_of_estimates(study_runs):
    a, _ = study_runs
    est = pd.read_csv(a / "estimates.csv")
    w = pd.read_csv(a / "tables" / "T16_headline_windows.csv")
    rows = est[est["estimator"].str.startswith("window_")]
    assert len(rows) == 3 * len(w)
    r = w[(w["team"] == "Flanders") & (w["window"] == "nearest_published")].iloc[0]
    key = f"{r['window_start']}_{r['window_end']}"
    mde = rows[(rows["team"] == "Flanders") & (rows["quantity"] == f"mde_{key}")]
    assert mde["estimate"].iloc[0] == pytest.approx(r["mde_relative"])
    # appended after the other rows: earlier row numbers (the report links) do not move
    assert est.index[est["estimator"].str.startswith("window_")].min() == len(est) - len(rows)
