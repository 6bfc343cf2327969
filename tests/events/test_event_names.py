"""Every registered event has a Dutch name, and the registry reads it."""

from __future__ import annotations

import csv
from pathlib import Path

from impact.events.registry import load_events

EVENTS_CSV = Path(__file__).resolve().parents[2] / "data" / "events" / "events.csv"


def test_every_event_has_a_dutch_name_different_from_the_english_one():
    with open(EVENTS_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    missing = [r["id"] for r in rows if not (r.get("name_nl") or "").strip()]
    assert not missing, f"events without name_nl: {missing}"
    # a copied English name is not a translation (names that are titles may share words,
    # but not the whole name)
    same = [r["id"] for r in rows if r["name_nl"].strip() == r["name"].strip()]
    assert not same, f"name_nl equals name for {same}"


def test_registry_reads_name_nl_and_display_name_falls_back():
    reg = load_events(EVENTS_CSV)
    ev = reg["E048"]
    assert ev.name_nl == "Zaak-Pichal raakt bekend"
    assert ev.display_name("nl") == ev.name_nl
    assert ev.display_name("en") == ev.name
    bare = ev.__class__(id="X1", name="Only English", kind="news", start="2023-01-01")
    assert bare.display_name("nl") == "Only English"
