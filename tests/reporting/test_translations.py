"""Tests of :mod:`impact.reporting.translations`: Dutch renderings of library messages."""

from __future__ import annotations

from impact.events.event import Event
from impact.reporting.translations import model_name, render_message

EVENTS = [Event(id="E053", name="Chat open on Fridays too", kind="capacity",
                start="2023-09-15", name_nl="Chat ook op vrijdag open")]


def test_known_form_is_rendered_with_dutch_event_names_numbers_and_dates():
    msg = ("events starting inside the post-period are confounded with the effect and "
           "included in it: E053 (Chat open on Fridays too, 2023-09-15).")
    text, ok = render_message(msg, "nl", events=EVENTS)
    assert ok
    assert "Chat ook op vrijdag open, 15 september 2023" in text
    assert "Fridays" not in text and "confounded" not in text
    text, ok = render_message("Limburg: a level shift of +52% around 2017-10 is not "
                              "explained by a registered event (posterior probability 0.94)",
                              "nl")
    assert ok and "0,94" in text and "niveausprong" in text


def test_compound_messages_are_rendered_part_by_part():
    msg = ("other figures for these years not used: F210; the total victims changed by a "
           "factor 1.53 (F037 -> F071); rate_ratio_per_base divides it out")
    text, ok = render_message(msg, "nl")
    assert ok
    assert text.startswith("andere cijfers voor deze jaren niet gebruikt: F210; ")
    assert "mogelijke slachtoffers veranderde met een factor 1,53" in text


def test_unknown_message_is_returned_as_written_and_flagged():
    text, ok = render_message("a brand-new warning nobody translated", "nl")
    assert (text, ok) == ("a brand-new warning nobody translated", False)
    text, ok = render_message("known part: other figures for these years not used: F1; "
                              "and an unknown part", "nl")
    assert not ok


def test_english_is_unchanged():
    msg = "the interval covers sampling noise only"
    assert render_message(msg, "en") == (msg, True)
    assert render_message(msg, "nl") == ("het interval dekt alleen de steekproefruis", True)


def test_model_names_in_words():
    assert model_name("negbin/linear/monthly", "nl") == (
        "negatief-binomiaal model met lineaire trend en een effect per kalendermaand")
    assert model_name("seasonal_naive", "nl") == "seizoensnaïef model"
    assert model_name("quasipoisson/none/fourier2", "en") == (
        "quasi-Poisson model without trend and seasonal waves (2 harmonics)")
    assert model_name("something else", "nl") == "something else"


def test_messages_prefixed_with_their_baseline_are_rendered():
    msg = ("baseline negbin/linear/monthly: a level shift of -32% around 2014-09 is not "
           "explained by a registered event (posterior probability 0.89)")
    text, ok = render_message(msg, "nl")
    assert ok
    assert text == ("basislijn (negatief-binomiaal model met lineaire trend en een effect per "
                    "kalendermaand): een niveausprong van -32% rond 2014-09 wordt door geen "
                    "enkele geregistreerde gebeurtenis verklaard (a-posteriorikans 0,89).")


def test_data_notes_on_a_teams_own_series_have_dutch_forms():
    """The notes fit_baseline writes on real data (missing records, sparse history,
    outliers, zero post months), as the panel results prefix them with the team."""
    notes = {
        "Oost-Vlaanderen: 26 months with 0 calls, 2016-01 to 2017-12 (24 months), 2019-05 to "
        "2019-06 (2 months), in a series with about 1,280 calls per month: no count model "
        "makes such a zero plausible, so they are taken as missing records (or a closure) "
        "and left out of the baseline fit. Check the source table: fill in missing records, "
        "or register a closure as an event so that reports name it.":
            ("26 maanden zonder oproepen, 2016-01 tot 2017-12 (24 maanden), 2019-05 tot "
             "2019-06 (2 maanden), in een reeks met ongeveer 1.280 oproepen per maand"),
        "baseline negbin/linear/monthly: 1 week with 0 calls, 2020-03-02/2020-03-08, in a "
        "series with about 40 calls per week: no count model makes such a zero plausible, "
        "so it is taken as a missing record (or a closure) and left out of the baseline "
        "fit. Check the source table: fill in missing records, or register a closure as an "
        "event so that reports name it.": ("1 week zonder oproepen", "per week"),
        "Brussel: sparse series: 2.2 calls per month on average and 15 of 90 fitted months "
        "with 0 calls; intervals rest on the tails of the count model and may be wide. Use "
        "a coarser resolution (weekly or monthly instead of daily), aggregate teams, or "
        "leave the series out if the intervals are too wide to use.":
            ("Brussel: dunne reeks: gemiddeld 2,2 oproepen per maand en 15 van de 90",),
        "Limburg: 2 outlying fitted periods (2021-01: 590 calls where the baseline expects "
        "about 186 (robust z +7.1); 2019-03: 12 calls where the baseline expects about 140 "
        "(robust z -6.4)); an outlier pulls the baseline and widens every interval. Check "
        "the count for an entry error, or register an event for that period (a pulse event "
        "is left out of the fit) and re-run.":
            ("2021-01: 590 oproepen waar de basislijn er ongeveer 186 verwacht (robuuste z "
             "+7,1); 2019-03: 12 oproepen",),
        "Gent: 1 outlying fitted period (2021-01: 590 calls where the baseline expects "
        "about 186 (robust z +13.9)): no count model makes such a count plausible next to "
        "the rest of the series, so it is left out of the baseline fit (an entry error or "
        "an unregistered event; neither belongs in the counterfactual). Check the count, "
        "and register an event for that period if it is one, so that reports name it.":
            ("Gent: 1 uitschieter(s) in de gebruikte reeks (2021-01: 590 oproepen waar de "
             "basislijn er ongeveer 186 verwacht (robuuste z +13,9)): geen telmodel",),
        "Antwerpen: 1 post-period month with 0 calls where the baseline expects about 131: "
        "2023-10. Such a zero is a missing record or a closure, not an effect of the event; "
        "the effect counts it as lost calls. Check the source table, or end the post-period "
        "before the gap.": ("Antwerpen: 1 maand na de gebeurtenis zonder oproepen",),
    }
    for message, parts in notes.items():
        text, ok = render_message(message, "nl")
        assert ok, message
        for part in parts:
            assert part in text, (part, text)
        assert " calls" not in text and " to " not in text


def test_a_team_prefix_does_not_hide_an_untranslated_note():
    text, ok = render_message("Limburg: a brand-new warning nobody translated", "nl")
    assert not ok and text == "Limburg: a brand-new warning nobody translated"


def test_the_notes_the_library_writes_on_hard_series_are_all_translated():
    """Generated, not copied: a change of the English wording must keep its Dutch form."""
    import warnings

    import numpy as np
    import pandas as pd

    from impact.estimation.counterfactual import estimate_effect

    rng = np.random.default_rng(11)
    idx = pd.period_range("2016-01", periods=96, freq="M")
    t = np.arange(96)
    busy = rng.poisson(130 * np.exp(0.1 * np.sin(2 * np.pi * t / 12)))
    busy[:20] = 0  # records start late
    busy[45] = 6 * busy[45]  # an entry error
    busy[-3] = 0  # a lost post-period month
    sparse = rng.poisson(2.0, 96)
    event = Event(id="x", name="x", kind="news", start="2023-07-01")
    notes: set[str] = set()
    for team, counts in (("Limburg", busy), ("Brussel", sparse)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = estimate_effect(pd.Series(counts, index=idx, name=team), event, team=team)
        notes.update(est.warnings)
    days = pd.period_range("2019-01-01", periods=1400, freq="D")
    step = np.where(np.arange(1400) >= 600, 1.4, 1.0)  # an unregistered registration change
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = estimate_effect(pd.Series(rng.poisson(20 * step), index=days, name="Antwerpen"),
                              Event(id="d", name="d", kind="news", start="2022-09-01"),
                              team="Antwerpen")
    notes.update(est.warnings)
    for needle in ("missing records", "sparse series", "outlying fitted period",
                   "post-period month with 0 calls", "in the monthly totals"):
        assert any(needle in n for n in notes), (needle, notes)
    for note in notes:
        assert render_message(note, "nl")[1], note
