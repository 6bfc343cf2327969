"""Text templates of the study reports and the policy note, in Dutch and English.

:mod:`impact.reporting.report` fills these templates with numbers read from the study results;
no template holds a number about 1712. Placeholders are :meth:`str.format` fields.
Event names come from the registry in both languages (``name``, ``name_nl``); the
library's English warnings and caveats are rendered in Dutch by
:mod:`impact.reporting.translations`. This module holds the display names, figure titles
and notes of both languages and :data:`TEXT`; the sentence templates themselves are in
:mod:`impact.reporting.templates_en` and :mod:`impact.reporting.templates_nl`.
"""

from __future__ import annotations

from impact.reporting.templates_en import EN
from impact.reporting.templates_nl import NL

__all__ = [
    "BASE_NAMES",
    "DATA_KIND_NAMES",
    "DEFINITION_NAMES",
    "EVENT_KIND_NAMES",
    "FIGURE_NOTES",
    "FIGURE_TITLES",
    "LANGUAGES",
    "LOCALES",
    "MEASURE_NAMES",
    "SYNTHETIC_BANNER",
    "SYNTHETIC_LABEL",
    "TEAM_NAMES",
    "TEXT",
]

#: Languages of the reports.
LANGUAGES: tuple[str, ...] = ("nl", "en")

#: babel locale used to format numbers and dates in each language.
LOCALES: dict[str, str] = {"nl": "nl_BE", "en": "en_GB"}

#: The banner that opens every report and every section when the data are synthetic.
SYNTHETIC_BANNER: dict[str, str] = {
    "nl": "SYNTHETISCHE GEGEVENS – demonstratie, geen echte 1712-cijfers",
    "en": "SYNTHETIC DATA – demonstration only, not real 1712 figures",
}

#: The label that starts every sentence of a policy note forced on synthetic data.
SYNTHETIC_LABEL: dict[str, str] = {"nl": "[SYNTHETISCH]", "en": "[SYNTHETIC]"}

#: Display names of data kinds.
DATA_KIND_NAMES: dict[str, dict[str, str]] = {
    "nl": {"synthetic": "synthetisch", "real": "echt", "published": "gepubliceerd"},
    "en": {"synthetic": "synthetic", "real": "real", "published": "published"},
}

#: Display names of teams where they differ from the canonical name.
TEAM_NAMES: dict[str, dict[str, str]] = {"nl": {"Flanders": "Vlaanderen"}, "en": {}}

#: Display names of the bases of published problem figures.
BASE_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "calls": "oproepen",
        "victims": "mogelijke slachtoffers",
        "registered_forms": "geregistreerde geweldvormen",
        "contacts": "contacten",
        "questions": "vragen",
        "chats": "chats",
    },
    "en": {
        "calls": "calls",
        "victims": "possible victims",
        "registered_forms": "registered forms of violence",
        "contacts": "contacts",
        "questions": "questions",
        "chats": "chats",
    },
}

#: Display names of the measure of a published problem figure.
MEASURE_NAMES: dict[str, dict[str, str]] = {
    "nl": {"count": "aantal", "share": "aandeel"},
    "en": {"count": "count", "share": "share"},
}

#: Display names of the definitions of published annual call totals.
DEFINITION_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "calls_received": "ontvangen oproepen",
        "calls_answered": "beantwoorde oproepen",
        "unique_calls": "unieke oproepen",
    },
    "en": {
        "calls_received": "calls received",
        "calls_answered": "calls answered",
        "unique_calls": "unique calls",
    },
}

#: Display names of event kinds.
EVENT_KIND_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "news": "nieuws",
        "campaign": "campagne",
        "capacity": "capaciteitswijziging",
        "registration": "registratiewijziging",
        "policy": "beleid",
        "pandemic": "pandemie",
    },
    "en": {
        "news": "news",
        "campaign": "campaign",
        "capacity": "capacity change",
        "registration": "registration change",
        "policy": "policy",
        "pandemic": "pandemic",
    },
}

#: Titles of the figures embedded in the reports (figure name, i.e. its output id without
#: the number, -> title; the ids are declared in :mod:`impact.study.outputs`).
FIGURE_TITLES: dict[str, dict[str, str]] = {
    "nl": {
        "calls_per_team_month": "Oproepen per team en per maand",
        "headline_effect_by_team": (
            "Waargenomen oproepen en contrafeitelijk scenario per team"
        ),
        "headline_forest": "Relatief effect per team en voor {total}",
        "headline_cumulative": "Cumulatief aantal extra oproepen: {total}",
        "seasonal_profile": "Seizoensprofiel van de oproepen per team",
        "published_annual_calls": "Gepubliceerde jaartotalen van 1712, Vlaanderen",
        "headline_diagnostics": "Placeboverdeling en specificatiecurve",
    },
    "en": {
        "calls_per_team_month": "Calls per team and month",
        "headline_effect_by_team": "Observed calls and counterfactual per team",
        "headline_forest": "Relative effect per team and for {total}",
        "headline_cumulative": "Cumulative excess calls: {total}",
        "seasonal_profile": "Seasonal profile of calls per team",
        "published_annual_calls": "Published annual 1712 calls, Flanders",
        "headline_diagnostics": "Placebo distribution and specification curve",
    },
}

#: What a reader must know to read a figure, added to its caption (figure name -> text).
FIGURE_NOTES: dict[str, dict[str, str]] = {
    "nl": {
        "published_annual_calls": (
            "{partial} is een onvolledig jaar (gearceerd): de hulplijn startte op {start}. "
            "De markering op elke staaf toont de definitie van dat jaar (ontvangen, "
            "beantwoorde of unieke oproepen); jaren met een andere definitie zijn niet "
            "zomaar vergelijkbaar. Voor {missing} is geen jaartotaal gepubliceerd, vandaar "
            "het gat."
        ),
        "headline_cumulative": (
            "Elke maand staat in het midden van die maand; de stippellijnen zijn de data van "
            "de gebeurtenissen."
        ),
    },
    "en": {
        "published_annual_calls": (
            "{partial} is a partial year (hatched): the helpline started on {start}. The "
            "marker on each bar shows that year's definition (calls received, answered or "
            "unique calls); years with different definitions do not compare directly. No "
            "annual total was published for {missing}, hence the gap."
        ),
        "headline_cumulative": (
            "Each month is drawn in the middle of the month; the dotted lines are the dates "
            "of the events."
        ),
    },
}

#: Templates per language (``TEXT[lang][key]``).
TEXT: dict[str, dict[str, str]] = {"nl": NL, "en": EN}

if set(NL) != set(EN):  # pragma: no cover - guards edits of this module
    raise RuntimeError(f"report_text: keys differ between nl and en: {set(NL) ^ set(EN)}")
