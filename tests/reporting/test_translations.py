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
