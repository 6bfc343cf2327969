"""Report text of impact.reporting.confounding_sections: verdicts that do not overstate,
and the two methods explained (with opposite directions said explicitly)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from impact.diagnostics.bundle import MISCALIBRATED
from impact.reporting import confounding_sections as cs
from impact.reporting.numbers import NumberFormat
from impact.reporting.templates import TEXT


def _builder(lang: str, estimates: pd.DataFrame | None = None) -> SimpleNamespace:
    headline = SimpleNamespace(estimates=[SimpleNamespace(event="E1+E2")])
    o = SimpleNamespace(headline=headline, estimates=estimates, confounding={})
    return SimpleNamespace(lang=lang, fmt=NumberFormat(lang), t=TEXT[lang], o=o,
                           team=lambda x: x, total="Flanders")


def test_miscalibrated_verdict_and_its_reason_in_both_languages():
    frame = pd.DataFrame({"team": ["Oost-Vlaanderen", "Limburg"],
                          "backtest_coverage": [0.736, 0.93],
                          "coverage_floor": [0.824, 0.824]})
    for lang, word in (("en", "not assessable"), ("nl", "niet te beoordelen")):
        b = _builder(lang)
        assert word in cs.verdict_word(b, MISCALIBRATED)
        notes = " ".join(cs.calibration_notes(b, frame))
        assert "Oost-Vlaanderen" in notes and "Limburg" not in notes
        assert ("73.6%" if lang == "en" else "73,6%") in notes
    assert cs.calibration_notes(_builder("en"), frame.iloc[1:]) == []


def _estimates(ratio: float, relative: float) -> pd.DataFrame:
    return pd.DataFrame({
        "team": ["Flanders", "Flanders"], "event": ["E1+E2", "E1+E2"],
        "estimator": ["its", "counterfactual"], "quantity": ["rate_ratio", "relative_effect"],
        "estimate": [ratio, relative]})


def test_two_methods_explained_and_opposite_directions_said():
    same = " ".join(cs.methods_note(_builder("en", _estimates(1.38, 0.178))))
    assert "ratio of rates" in same and "same way" in same and "opposite" not in same
    opposite = " ".join(cs.methods_note(_builder("en", _estimates(0.9, 0.12))))
    assert "opposite ways" in opposite
    nl = " ".join(cs.methods_note(_builder("nl", _estimates(0.9, 0.12))))
    assert "tegengestelde richting" in nl and "1,38" not in nl and "0,90" in nl
