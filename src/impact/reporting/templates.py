"""Text templates of the study reports and the policy note, in Dutch and English.

:mod:`impact.reporting.report` fills these templates with numbers read from the study results;
no template holds a number about 1712. Placeholders are :meth:`str.format` fields.
Event names come from the registry in both languages (``name``, ``name_nl``); the
library's English warnings and caveats are rendered in Dutch by
:mod:`impact.reporting.translations`.
"""

from __future__ import annotations

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
        "headline_forest": "Relatief effect per team en voor Vlaanderen",
        "headline_cumulative": "Cumulatief aantal extra oproepen in Vlaanderen",
        "seasonal_profile": "Seizoensprofiel van de oproepen per team",
        "published_annual_calls": "Gepubliceerde jaartotalen van 1712, Vlaanderen",
        "headline_diagnostics": "Placeboverdeling en specificatiecurve",
    },
    "en": {
        "calls_per_team_month": "Calls per team and month",
        "headline_effect_by_team": "Observed calls and counterfactual per team",
        "headline_forest": "Relative effect per team and for Flanders",
        "headline_cumulative": "Cumulative excess calls in Flanders",
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

_EN: dict[str, str] = {
    # ------------------------------------------------------------------ frame
    "title": "Helpline 1712: calls, reported problems and the effect of news events",
    "synthetic_intro": (
        "The call counts in this report come from a generated demonstration panel "
        "(`{file}`) calibrated to published totals. They show how the study works; they "
        "are not 1712's monthly figures and must not be quoted as such. Figures marked "
        "*published* come from public sources."
    ),
    "real_banner": "Data kind: **real** – 1712 call counts from `{file}`.",
    "intro": (
        "Generated by `impact.reporting.write_reports` from the study results; no number in "
        "this report is typed by hand. Call counts: `{file}` (SHA-256 `{sha}`; definition: "
        "{definition}). Study seed {seed}; code commit `{commit}`."
    ),
    "how_to_read": (
        "How to read: every estimate links to its row in the table of estimates "
        "([estimates.csv](estimates.csv); in the HTML version that table is at the end; row "
        "n is the n-th data row, the header not counted; the link title names "
        "team, event, estimator and quantity). Tables and figures are cited by their id "
        "(T…, F…) and link to their files. Published figures are marked *published* with "
        "their source ids (F…), listed under Sources. Intervals are written as "
        "“x ({level}-interval a to b)”; each table or sentence says which kind of "
        "interval it is."
    ),
    "kind_caption": "data kind: {kind}",
    "csv": "CSV",
    "dash": "–",
    "suppressed": "suppressed",
    "not_published": "not published",
    "interval": "{point} ({level}-interval {lower} to {upper})",
    "interval_short": "{point} ({lower} to {upper})",
    "range": "{first} to {last}",
    "team": "Team",
    # ------------------------------------------------------------------ Q1
    "q1_heading": "Q1 – Calls per team and month in {year}",
    "q1_month_table": "Calls per team and month in {year} ({table}; {kind}).",
    "q1_month": "Month",
    "q1_total": "Total",
    "q1_totals": (
        "In {year} the teams together received {total} calls ({table}); against {prev} "
        "that is a change of {change}. Per team:"
    ),
    "q1_totals_noprev": "In {year} the teams together received {total} calls ({table}).",
    "q1_calls_in": "Calls {year}",
    "q1_change": "Change against {prev}",
    "q1_years": "Calls per team and year, {first} to {last} ({table}; {kind}):",
    "q1_year": "Year",
    "q1_calibrated": (
        "The synthetic panel is built so that its Flanders annual totals equal the "
        "published ones; agreement between {t01} and {t02} is by construction, not a "
        "finding."
    ),
    "q1_published": (
        "Published annual totals for Flanders, {first} to {last} ({table}; *published*, "
        "with source ids). The definition differs between years (calls received, "
        "answered or unique calls); compare with care."
    ),
    "q1_pub_calls": "Calls (*published*)",
    "q1_definition": "Definition",
    "q1_source": "Source",
    "q1_remarks": "Remarks",
    "flag_partial": "partial year",
    "flag_lower": "lower bound",
    "flag_approx": "approximate",
    "flag_conflict": "sources differ (see {table})",
    "flag_capacity": "capped by capacity",
    "flag_unique": "reported as unique calls",
    # ------------------------------------------------------------------ Q2
    "q2_heading": "Q2 – Problems reported",
    "q2_published": (
        "Published figures for Flanders ({table}; *published*). A share is a share of its "
        "base (calls, possible victims, registered forms of violence, …): one call can "
        "concern several possible victims, so shares on different bases are different "
        "numbers. Intervals are {level} sampling intervals (exact Poisson for counts, "
        "Wilson for shares); they do not include the rounding of published percentages."
    ),
    "q2_year": "Year",
    "q2_problem": "Problem",
    "q2_measure": "Measure",
    "q2_value": "Value ({level}-interval)",
    "q2_base": "Base",
    "q2_source": "Source",
    "q2_caveats": "Caveats on the published series (from `impact.problems`):",
    "q2_team": (
        "Per team in {year} ({t10}, {t11}; {kind}). Counts below {threshold} are "
        "suppressed, together with the cells that would reveal them; the shares of "
        "suppressed cells are not shown either. Share intervals are {level} simultaneous "
        "multinomial intervals (Goodman)."
    ),
    "q2_team_synthetic": (
        "The split into problem categories is itself synthetic "
        "(`impact.problems.synthesize_categories`), drawn to resemble the published "
        "Flanders shares."
    ),
    "q2_counts": "Calls per problem category and team, {year} ({table}):",
    "q2_shares": "Share of the team's calls per problem category, {year} ({table}):",
    "no_team_categories": (
        "The call-count data have no problem categories, so figures per team are not "
        "available; the published Flanders figures above are the answer that the data "
        "support."
    ),
    # ------------------------------------------------------------------ Q3
    "q3_heading": "Q3 – Trends in reported problems",
    "q3_published": (
        "Changes between published figures ({table}; *published*), only between figures "
        "on the same base. Intervals are {level} intervals (score intervals for ratios, "
        "Newcombe intervals for share differences) and cover sampling noise only."
    ),
    "q3_ratio": (
        "**{category}**, {measure} of {base}, {y1} to {y2} (*published*, {src1} and "
        "{src2}): {v1} and {v2}; ratio {change}; after dividing out the growth of all "
        "{base}: {per_base}."
    ),
    "q3_difference": (
        "**{category}**, {measure} of {base}, {y1} to {y2} (*published*, {src1} and "
        "{src2}): {v1} and {v2}; difference {change} percentage points."
    ),
    "q3_refused": "**{category}**, {measure}, {y1} to {y2}: no comparison ({reason}).",
    "q3_caveats": "Caveats: {caveats}",
    "q3_team": (
        "Yearly rate of change of each problem's share of a team's calls, {first} to "
        "{last} ({table}; {kind}): a quasi-Poisson trend per team and category with the "
        "team's total calls as offset; {level} Wald confidence intervals."
    ),
    # ------------------------------------------------------------------ Q4
    "q4_heading": "Q4 – Effect of campaigns and news events",
    "q4_headline_heading": "Headline events ({event})",
    "q4_event_item": "{id} {name} ({date}; {kind})",
    "q4_joint": (
        "At monthly resolution these events cannot be told apart: their regressors are "
        "nearly collinear, so the library merged them and reports one **joint effect** "
        "({event}), not separate effects. Separating them needs weekly or daily counts."
    ),
    "q4_flanders": (
        "**{team}, {start} to {end}:** excess calls against the counterfactual {excess}; "
        "relative effect {relative}. Observed {observed} calls, counterfactual {expected}; "
        "probability that the effect is positive {p}."
    ),
    "q4_method": (
        "Counterfactual: a count model of each team's calls ({model}), fitted on the months "
        "before the events (known capacity changes and earlier events as baseline terms), "
        "forecast for {start} to {end}. Intervals are {level} simulation intervals from "
        "joint counterfactual count paths (parameter uncertainty and count noise). The "
        "Flanders total is the sum of the team counterfactuals, so the team effects add up "
        "to it ({table})."
    ),
    "q4_observed": "Observed",
    "q4_expected": "Counterfactual",
    "q4_excess": "Excess calls ({level}-interval)",
    "q4_relative": "Relative effect ({level}-interval)",
    "q4_p": "Probability of a positive effect",
    "q4_its": (
        "Interrupted time series regression on the Flanders total ({model}, {table}): "
        "rate ratio {rate_ratio}; excess calls {excess}. The rate-ratio interval is a "
        "{level} Wald confidence interval; the excess interval is a confidence interval "
        "from coefficient draws."
    ),
    "q4_its_term": "{event} ({term})",
    "q4_published": (
        "**Published comparison.** The minister reported {value} calls against the same "
        "period a year earlier (*published*, {sources}). Our estimate for {team} is "
        "{relative} against the counterfactual. The two numbers measure different things. "
        "The published figure divides the calls in a window after the events by the calls "
        "in the same window a year earlier, so it also contains a year of normal growth of "
        "the helpline, seasonal and random variation and every other change in that "
        "window; the sources do not state the window exactly. Our estimate compares the "
        "observed months with a forecast of the same months without the events, built from "
        "the trend, the seasonality and the known capacity changes of the preceding years, "
        "and it carries an interval."
    ),
    "q4_confounded": (
        "Other registered events start inside the post-period; their effect is part of "
        "the joint effect above:"
    ),
    "q4_diag_heading": "Diagnostics",
    "q4_diag_missing": (
        "No diagnostics in this run (`[diagnostics] run = false`, or the diagnostics "
        "module is not available): no placebo rank and no sensitivity range are reported, "
        "so the estimate has no empirical false-positive rate yet."
    ),
    "q4_diag_intro": (
        "Placebo-in-time runs and sensitivity to the pre-period and the model "
        "(`impact.diagnostics`{figure}). The placebo rank is the rank of the real relative "
        "effect among the same-length windows of the pre-period (1 = largest); the "
        "false-positive rate is the share of placebo intervals that exclude zero; the "
        "sensitivity range spans the relative effect over the fitted alternative "
        "specifications. Verdicts: *supported* needs the interval to exclude zero, a small "
        "one-sided placebo p-value and every sensitivity estimate of the same sign; "
        "*suggestive* needs one of the first two. The diagnostics fit the Flanders row on "
        "the summed series, so it can differ slightly from the estimate above."
    ),
    "q4_diag_rank": "Placebo rank",
    "q4_diag_windows": "Placebo windows",
    "q4_diag_p": "Placebo p-value (one-sided)",
    "q4_diag_fpr": "False-positive rate",
    "q4_diag_sens": "Sensitivity range of the relative effect",
    "q4_diag_failed": "Specifications failed",
    "q4_diag_backtest": "Backtests prefer",
    "q4_diag_backtest_note": (
        "Rolling-origin backtests on the pre-period rank the baseline families per team "
        "(rule: {rule}). The study keeps the baseline set in study.toml ({baseline}); "
        "where the backtests prefer another one, the sensitivity range above shows what "
        "that family gives."
    ),
    "q4_diag_verdict": "Verdict",
    "verdict_supported": "supported",
    "verdict_suggestive": "suggestive",
    "verdict_none": "not distinguishable from placebo variation",
    "q4_other_heading": "Other campaigns and news events",
    "q4_other": (
        "Each event estimated separately with the same method, Flanders total over the "
        "months shown ({table}; per team in the CSV file)."
    ),
    "q4_event": "Event",
    "q4_window": "Months",
    "figures": "Figures",
    # ------------------------------------------------------------------ end
    "data_heading": "Data source",
    "data_text": (
        "The analysed table is {file} (data kind {kind}): {n_teams} teams ({teams}), {first} "
        "to {last}, total named {total}. Measure analysed: {measure}; channels: {channels}."
    ),
    "data_aliases": "Team labels of the table mapped by the study file: {aliases}.",
    "channels_sum": "summed over the channels in the table",
    "channels_some": "only {channels}",
    "consistency_heading": "Consistency with the published record",
    "consistency_intro": (
        "Annual totals of the table compared with published figures of the same definition "
        "({table}); figures of another definition are listed but not compared."
    ),
    "consistency_cols": "Team|Year|Table|Published|Difference|Definition|Status|Source",
    "consistency_none": "No published figure covers the teams and years of the table.",
    "consistency_status": (
        "consistent=consistent;differs beyond rounding=differs beyond rounding;"
        "different definition (not compared)=other definition, not compared;"
        "partial year in the data (not compared)=partial year, not compared"
    ),
    "pn_data": "Data: {file} ({kind}), {measure}, {first} to {last}, {n_teams} teams.",
    "warnings_heading": "Warnings from the analysis",
    "warnings_intro": "Messages stored on the results (as the library writes them):",
    "warnings_none": "The analysis stored no warnings.",
    "untranslated": "",
    "toc_heading": "Contents",
    "estimates_heading": "Table of estimates",
    "estimates_intro": (
        "Every row of [estimates.csv](estimates.csv), numbered as the links in this report "
        "number them (the header not counted). Numbers are rounded to three decimals here; "
        "the CSV file has them in full."
    ),
    "estimates_row": "Row",
    "sources_heading": "Sources",
    "sources_published": "Published figures cited in this report:",
    "sources_events": "Events:",
    # ------------------------------------------------------------------ policy note
    "pn_title": "Policy note: calls to helpline 1712 after the events {events}, {start} to {end}",
    "pn_forced": (
        "This note was made on explicit request from synthetic demonstration data: it "
        "shows the format and says nothing about real calls to 1712."
    ),
    "pn_headline": (
        "From {start} to {end}, the excess of calls to 1712 in {team} over the number "
        "expected without these events was {excess}, a relative effect of {relative}."
    ),
    "pn_joint": (
        "The events ({events}) cannot be separated in monthly data, so this is their "
        "joint effect."
    ),
    "pn_teams": "Per team, the excess was {teams}.",
    "pn_its": (
        "A second method, interrupted time series regression on the {team} total, gives "
        "a rate ratio of {rate_ratio}."
    ),
    "pn_published": (
        "The published figure of {value} ({sources}) compares with the same period a year "
        "earlier and so also contains the normal growth of the helpline; our figure "
        "compares with a forecast of the same months without the events."
    ),
    "pn_caveats": (
        "The counts are {measure}, limited by the helpline's capacity, and other registered "
        "events in the same months are part of the effect: {events}."
    ),
    "pn_caveats_nothing": (
        "The counts are {measure}, limited by the helpline's capacity."
    ),
    "pn_meaning": (
        "More calls do not mean more violence: the effect counts calls against a forecast "
        "without the events; it does not measure violence itself and is not a comparison "
        "with last year."
    ),
    "pn_h_headline": "Headline",
    "pn_h_reading": "How to read the number",
    "pn_h_data": "Data source and definition",
    "pn_h_caveats": "Caveats",
    "pn_h_source": "Source",
    "pn_diag": (
        "Placebo and sensitivity checks rate the {team} estimate as {verdict} (placebo rank "
        "{rank} among {n} earlier windows; relative effect {range} across alternative "
        "specifications)."
    ),
    "pn_source": (
        "Source: impact study, estimates.csv rows {rows}, tables {tables}, code commit "
        "{commit}, data SHA-256 {sha}."
    ),
    "refuse": (
        "policy_note: the study's call counts are synthetic (data kind 'synthetic', file "
        "{file}); a policy note must rest on real data. Point [data] calls in study.toml to "
        "the real table under data/raw/ and set kind = 'real', or pass "
        "force_synthetic=True to get a demonstration note in which every sentence is "
        "labelled {label}."
    ),
}

_NL: dict[str, str] = {
    # ------------------------------------------------------------------ frame
    "title": "Hulplijn 1712: oproepen, gemelde problemen en het effect van nieuwsfeiten",
    "synthetic_intro": (
        "De oproepcijfers in dit rapport komen uit een gegenereerd demonstratiepanel "
        "(`{file}`), afgestemd op gepubliceerde totalen. Ze tonen hoe de studie werkt; het "
        "zijn niet de maandcijfers van 1712 en ze mogen niet als zodanig geciteerd worden. "
        "Cijfers met het label *gepubliceerd* komen uit openbare bronnen."
    ),
    "real_banner": "Gegevenssoort: **echt** – oproepcijfers van 1712 uit `{file}`.",
    "intro": (
        "Gemaakt door `impact.reporting.write_reports` uit de resultaten van de studie; "
        "geen enkel getal in dit rapport is met de hand ingetypt. Oproepcijfers: `{file}` "
        "(SHA-256 `{sha}`; definitie: {definition}). Startwaarde (seed) van de "
        "toevalsgenerator {seed}; code-commit `{commit}`."
    ),
    "how_to_read": (
        "Leeswijzer: elke schatting linkt naar haar rij in de tabel met schattingen "
        "([estimates.csv](estimates.csv); in de HTML-versie staat die tabel achteraan; rij n "
        "is de n-de gegevensrij, de kopregel niet meegeteld; de titel van de link noemt "
        "team, gebeurtenis, schatter en grootheid). Tabellen en figuren worden "
        "geciteerd met hun id (T…, F…) en linken naar hun bestanden. Gepubliceerde cijfers "
        "dragen het label *gepubliceerd* met hun bron-id's (F…), opgesomd onder Bronnen. "
        "Intervallen staan er als “x ({level}-interval a tot b)”; bij elke tabel of zin "
        "staat welk soort interval het is."
    ),
    "kind_caption": "gegevenssoort: {kind}",
    "csv": "CSV",
    "dash": "–",
    "suppressed": "onderdrukt",
    "not_published": "niet gepubliceerd",
    "interval": "{point} ({level}-interval {lower} tot {upper})",
    "interval_short": "{point} ({lower} tot {upper})",
    "range": "{first} tot {last}",
    "team": "Team",
    # ------------------------------------------------------------------ Q1
    "q1_heading": "Vraag 1 – Oproepen per team en per maand in {year}",
    "q1_month_table": "Oproepen per team en per maand in {year} ({table}; {kind}).",
    "q1_month": "Maand",
    "q1_total": "Totaal",
    "q1_totals": (
        "In {year} ontvingen de teams samen {total} oproepen ({table}); tegenover {prev} "
        "is dat een verandering van {change}. Per team:"
    ),
    "q1_totals_noprev": "In {year} ontvingen de teams samen {total} oproepen ({table}).",
    "q1_calls_in": "Oproepen {year}",
    "q1_change": "Verandering tegenover {prev}",
    "q1_years": "Oproepen per team en per jaar, {first} tot {last} ({table}; {kind}):",
    "q1_year": "Jaar",
    "q1_calibrated": (
        "Het synthetische panel is zo opgebouwd dat de jaartotalen voor Vlaanderen gelijk "
        "zijn aan de gepubliceerde; dat {t01} en {t02} overeenstemmen, volgt uit die "
        "constructie en is geen bevinding."
    ),
    "q1_published": (
        "Gepubliceerde jaartotalen voor Vlaanderen, {first} tot {last} ({table}; "
        "*gepubliceerd*, met bron-id's). De definitie verschilt tussen de jaren "
        "(ontvangen, beantwoorde of unieke oproepen); vergelijk voorzichtig."
    ),
    "q1_pub_calls": "Oproepen (*gepubliceerd*)",
    "q1_definition": "Definitie",
    "q1_source": "Bron",
    "q1_remarks": "Opmerkingen",
    "flag_partial": "gedeeltelijk jaar",
    "flag_lower": "ondergrens",
    "flag_approx": "benaderend",
    "flag_conflict": "bronnen verschillen (zie {table})",
    "flag_capacity": "begrensd door de capaciteit",
    "flag_unique": "gemeld als unieke oproepen",
    # ------------------------------------------------------------------ Q2
    "q2_heading": "Vraag 2 – Gemelde problemen",
    "q2_published": (
        "Gepubliceerde cijfers voor Vlaanderen ({table}; *gepubliceerd*). Een aandeel is "
        "een aandeel van zijn basis (oproepen, mogelijke slachtoffers, geregistreerde "
        "geweldvormen, …): één oproep kan over meerdere mogelijke slachtoffers gaan, dus "
        "aandelen op een andere basis zijn andere getallen. De intervallen zijn "
        "{level}-steekproefintervallen (exact Poisson voor aantallen, Wilson voor "
        "aandelen); de afronding van gepubliceerde percentages zit er niet in."
    ),
    "q2_year": "Jaar",
    "q2_problem": "Probleem",
    "q2_measure": "Maat",
    "q2_value": "Waarde ({level}-interval)",
    "q2_base": "Basis",
    "q2_source": "Bron",
    "q2_caveats": (
        "Kanttekeningen bij de gepubliceerde reeks (uit `impact.problems`):"
    ),
    "q2_team": (
        "Per team in {year} ({t10}, {t11}; {kind}). Aantallen onder {threshold} zijn "
        "onderdrukt, samen met de cellen die ze zouden verraden; ook de aandelen van "
        "onderdrukte cellen staan er niet. De intervallen van de aandelen zijn "
        "{level}-simultane multinomiale intervallen (Goodman)."
    ),
    "q2_team_synthetic": (
        "De verdeling over probleemcategorieën is zelf synthetisch "
        "(`impact.problems.synthesize_categories`), getrokken naar het voorbeeld van de "
        "gepubliceerde aandelen voor Vlaanderen."
    ),
    "q2_counts": "Oproepen per probleemcategorie en team, {year} ({table}):",
    "q2_shares": "Aandeel van de oproepen van het team per probleemcategorie, {year} ({table}):",
    "no_team_categories": (
        "De oproepgegevens hebben geen probleemcategorieën, dus cijfers per team zijn er "
        "niet; de gepubliceerde cijfers voor Vlaanderen hierboven zijn het antwoord dat de "
        "gegevens toelaten."
    ),
    # ------------------------------------------------------------------ Q3
    "q3_heading": "Vraag 3 – Trends in de gemelde problemen",
    "q3_published": (
        "Veranderingen tussen gepubliceerde cijfers ({table}; *gepubliceerd*), alleen "
        "tussen cijfers op dezelfde basis. De intervallen zijn {level}-intervallen "
        "(score-intervallen voor verhoudingen, Newcombe-intervallen voor verschillen van "
        "aandelen) en dekken alleen de steekproefruis."
    ),
    "q3_ratio": (
        "**{category}**, {measure} {base}, {y1} tot {y2} (*gepubliceerd*, {src1} en "
        "{src2}): {v1} en {v2}; verhouding {change}; na correctie voor de groei van alle "
        "{base}: {per_base}."
    ),
    "q3_difference": (
        "**{category}**, {measure} {base}, {y1} tot {y2} (*gepubliceerd*, {src1} en "
        "{src2}): {v1} en {v2}; verschil {change} procentpunt."
    ),
    "q3_refused": "**{category}**, {measure}, {y1} tot {y2}: geen vergelijking ({reason}).",
    "q3_caveats": "Kanttekeningen: {caveats}",
    "q3_team": (
        "Jaarlijkse verandering van het aandeel van elk probleem in de oproepen van een "
        "team, {first} tot {last} ({table}; {kind}): een quasi-Poisson-trend per team en "
        "categorie met het totaal aantal oproepen van het team als offset; "
        "{level}-Wald-betrouwbaarheidsintervallen."
    ),
    # ------------------------------------------------------------------ Q4
    "q4_heading": "Vraag 4 – Effect van campagnes en nieuwsfeiten",
    "q4_headline_heading": "Hoofdgebeurtenissen ({event})",
    "q4_event_item": "{id} {name} ({date}; {kind})",
    "q4_joint": (
        "Op maandbasis zijn deze gebeurtenissen niet van elkaar te scheiden: hun "
        "regressoren zijn bijna collineair, dus de bibliotheek voegt ze samen en "
        "rapporteert één **gezamenlijk effect** ({event}), geen afzonderlijke effecten. "
        "Om ze te scheiden zijn week- of dagcijfers nodig."
    ),
    "q4_flanders": (
        "**{team}, {start} tot {end}:** extra oproepen tegenover het contrafeitelijke "
        "scenario {excess}; relatief effect {relative}. Waargenomen {observed} oproepen, "
        "contrafeitelijk {expected}; kans dat het effect positief is {p}."
    ),
    "q4_method": (
        "Contrafeitelijk scenario: per team een telmodel van de oproepen ({model}), geschat "
        "op de maanden vóór de gebeurtenissen (bekende capaciteitswijzigingen en eerdere "
        "gebeurtenissen als basistermen) en voorspeld voor {start} tot {end}. De "
        "intervallen zijn {level}-simulatie-intervallen uit gezamenlijke contrafeitelijke "
        "telpaden (parameteronzekerheid en telruis). Het totaal voor Vlaanderen is de som "
        "van de contrafeitelijke scenario's van de teams, dus de teameffecten tellen op "
        "tot het totaal ({table})."
    ),
    "q4_observed": "Waargenomen",
    "q4_expected": "Contrafeitelijk",
    "q4_excess": "Extra oproepen ({level}-interval)",
    "q4_relative": "Relatief effect ({level}-interval)",
    "q4_p": "Kans op een positief effect",
    "q4_its": (
        "Onderbroken-tijdreeksregressie op het totaal voor Vlaanderen ({model}, {table}): "
        "verhouding van de aantallen na en vóór de gebeurtenissen, gecorrigeerd voor trend "
        "en seizoen (rate ratio) {rate_ratio}; extra oproepen {excess}. Het interval van "
        "die verhouding is een {level}-Wald-betrouwbaarheidsinterval; dat van de extra "
        "oproepen is een betrouwbaarheidsinterval uit trekkingen van de coëfficiënten."
    ),
    "q4_its_term": "{event} ({term})",
    "q4_published": (
        "**Gepubliceerde vergelijking.** De minister meldde {value} oproepen tegenover "
        "dezelfde periode een jaar eerder (*gepubliceerd*, {sources}). Onze schatting voor "
        "{team} is {relative} tegenover het contrafeitelijke scenario. De twee getallen "
        "meten iets anders. Het gepubliceerde cijfer deelt de oproepen in een periode na "
        "de gebeurtenissen door de oproepen in dezelfde periode een jaar eerder; het bevat "
        "dus ook een jaar gewone groei van de hulplijn, seizoens- en toevalsschommelingen "
        "en elke andere verandering in die periode, en de bronnen noemen die periode niet "
        "precies. Onze schatting vergelijkt de waargenomen maanden met een voorspelling "
        "van dezelfde maanden zonder de gebeurtenissen, op basis van de trend, de "
        "seizoenen en de bekende capaciteitswijzigingen van de voorgaande jaren, en heeft "
        "een interval."
    ),
    "q4_confounded": (
        "Andere geregistreerde gebeurtenissen beginnen binnen de periode na de "
        "gebeurtenissen; hun effect zit in het gezamenlijke effect hierboven:"
    ),
    "q4_diag_heading": "Diagnostiek",
    "q4_diag_missing": (
        "Geen diagnostiek in deze run (`[diagnostics] run = false`, of de module voor "
        "diagnostiek is er niet): er is geen placeborang en geen gevoeligheidsbereik, dus "
        "de schatting heeft nog geen empirisch percentage vals-positieven."
    ),
    "q4_diag_intro": (
        "Placebo-in-de-tijd en gevoeligheid voor de voorperiode en het model "
        "(`impact.diagnostics`{figure}). De placeborang is de rang van het echte relatieve "
        "effect tussen de even lange vensters in de voorperiode (1 = grootste); het "
        "percentage vals-positieven is het aandeel placebo-intervallen dat nul uitsluit; "
        "het gevoeligheidsbereik loopt over het relatieve effect in de geschatte "
        "alternatieve specificaties. Oordelen: *ondersteund* vraagt dat het interval nul "
        "uitsluit, een kleine eenzijdige placebo-p-waarde en dat elke gevoeligheidsschatting "
        "hetzelfde teken heeft; *aanwijzing* vraagt één van de eerste twee. De diagnostiek "
        "schat de rij Vlaanderen op de opgetelde reeks, die kan dus licht afwijken van de "
        "schatting hierboven."
    ),
    "q4_diag_rank": "Placeborang",
    "q4_diag_windows": "Placebovensters",
    "q4_diag_p": "Placebo-p-waarde (eenzijdig)",
    "q4_diag_fpr": "Percentage vals-positieven",
    "q4_diag_sens": "Gevoeligheidsbereik van het relatieve effect",
    "q4_diag_failed": "Mislukte specificaties",
    "q4_diag_backtest": "Voorkeur van de terugtoetsen",
    "q4_diag_backtest_note": (
        "Terugtoetsen met voortschrijdende oorsprong op de periode vóór de gebeurtenissen "
        "rangschikken de basislijnfamilies per team (regel: {rule}). De studie houdt de "
        "basislijn uit study.toml aan ({baseline}); waar de terugtoetsen een andere "
        "verkiezen, toont de gevoeligheidsmarge hierboven wat die familie oplevert."
    ),
    "q4_diag_verdict": "Oordeel",
    "verdict_supported": "ondersteund",
    "verdict_suggestive": "aanwijzing",
    "verdict_none": "niet te onderscheiden van placebovariatie",
    "q4_other_heading": "Andere campagnes en nieuwsfeiten",
    "q4_other": (
        "Elke gebeurtenis apart geschat met dezelfde methode, totaal voor Vlaanderen over "
        "de vermelde maanden ({table}; per team in het CSV-bestand)."
    ),
    "q4_event": "Gebeurtenis",
    "q4_window": "Maanden",
    "figures": "Figuren",
    # ------------------------------------------------------------------ end
    "data_heading": "Gegevensbron",
    "data_text": (
        "De geanalyseerde tabel is {file} (soort gegevens {kind}): {n_teams} teams ({teams}), "
        "{first} tot {last}, totaal genoemd {total}. Geanalyseerde maat: {measure}; "
        "kanalen: {channels}."
    ),
    "data_aliases": "Teamlabels van de tabel die het studiebestand omzet: {aliases}.",
    "channels_sum": "opgeteld over de kanalen in de tabel",
    "channels_some": "alleen {channels}",
    "consistency_heading": "Overeenstemming met de gepubliceerde cijfers",
    "consistency_intro": (
        "Jaartotalen van de tabel vergeleken met gepubliceerde cijfers van dezelfde definitie "
        "({table}); cijfers van een andere definitie staan erbij maar worden niet vergeleken."
    ),
    "consistency_cols": "Team|Jaar|Tabel|Gepubliceerd|Verschil|Definitie|Status|Bron",
    "consistency_none": "Geen gepubliceerd cijfer dekt de teams en jaren van de tabel.",
    "consistency_status": (
        "consistent=komt overeen;differs beyond rounding=wijkt af (meer dan afronding);"
        "different definition (not compared)=andere definitie, niet vergeleken;"
        "partial year in the data (not compared)=onvolledig jaar, niet vergeleken"
    ),
    "pn_data": "Gegevens: {file} ({kind}), {measure}, {first} tot {last}, {n_teams} teams.",
    "warnings_heading": "Meldingen van de analyse",
    "warnings_intro": (
        "Meldingen die de analyse bij de resultaten heeft opgeslagen:"
    ),
    "warnings_none": "De analyse heeft geen meldingen opgeslagen.",
    "untranslated": " *(nog niet vertaalde melding)*",
    "toc_heading": "Inhoud",
    "estimates_heading": "Tabel met schattingen",
    "estimates_intro": (
        "Elke rij van [estimates.csv](estimates.csv), genummerd zoals de links in dit "
        "rapport ze nummeren (de kopregel niet meegeteld). De getallen zijn hier afgerond "
        "op drie decimalen; het CSV-bestand bevat ze volledig."
    ),
    "estimates_row": "Rij",
    "sources_heading": "Bronnen",
    "sources_published": "Gepubliceerde cijfers in dit rapport:",
    "sources_events": "Gebeurtenissen:",
    # ------------------------------------------------------------------ policy note
    "pn_title": (
        "Beleidsnota: oproepen naar hulplijn 1712 na de gebeurtenissen {events}, {start} tot "
        "{end}"
    ),
    "pn_forced": (
        "Deze nota is op uitdrukkelijke vraag gemaakt uit synthetische "
        "demonstratiegegevens: ze toont de vorm en zegt niets over echte oproepen naar 1712."
    ),
    "pn_headline": (
        "Van {start} tot {end} kreeg 1712 in {team} {excess} oproepen tegenover het "
        "aantal dat zonder deze gebeurtenissen verwacht werd; relatief is dat {relative}."
    ),
    "pn_joint": (
        "De gebeurtenissen ({events}) zijn op maandbasis niet te scheiden; dit is hun "
        "gezamenlijke effect."
    ),
    "pn_teams": "Het verschil per team: {teams}.",
    "pn_its": (
        "Een tweede methode, onderbroken-tijdreeksregressie op het totaal voor {team}, "
        "geeft een verhouding tussen de aantallen na en vóór de gebeurtenissen, "
        "gecorrigeerd voor trend en seizoen (rate ratio), van {rate_ratio}."
    ),
    "pn_published": (
        "Het gepubliceerde cijfer van {value} ({sources}) vergelijkt met dezelfde periode "
        "een jaar eerder en bevat dus ook de gewone groei van de hulplijn; ons cijfer "
        "vergelijkt met een voorspelling van dezelfde maanden zonder de gebeurtenissen."
    ),
    "pn_caveats": (
        "De cijfers zijn {measure}, begrensd door de capaciteit van de hulplijn, en andere "
        "geregistreerde gebeurtenissen in dezelfde maanden zitten mee in het effect: "
        "{events}."
    ),
    "pn_caveats_nothing": (
        "De cijfers zijn {measure}, begrensd door de capaciteit van de hulplijn."
    ),
    "pn_meaning": (
        "Meer oproepen betekent niet meer geweld: het effect telt oproepen tegenover een "
        "voorspelling zonder de gebeurtenissen; het meet het geweld zelf niet en is geen "
        "vergelijking met vorig jaar."
    ),
    "pn_h_headline": "Kerncijfers",
    "pn_h_reading": "Hoe het cijfer te lezen",
    "pn_h_data": "Gegevensbron en definitie",
    "pn_h_caveats": "Kanttekeningen",
    "pn_h_source": "Bron",
    "pn_diag": (
        "Placebo- en gevoeligheidscontroles beoordelen de schatting voor {team} als "
        "'{verdict}' (in de placebotoets rang {rank} op {n} even lange eerdere "
        "periodes; relatief effect van {range} volgens andere modelkeuzes)."
    ),
    "pn_source": (
        "Bron: impact-studie, estimates.csv rijen {rows}, tabellen {tables}, code-commit "
        "{commit}, SHA-256 van de gegevens {sha}."
    ),
    "refuse": _EN["refuse"],
}

#: Templates per language (``TEXT[lang][key]``).
TEXT: dict[str, dict[str, str]] = {"nl": _NL, "en": _EN}

if set(_NL) != set(_EN):  # pragma: no cover - guards edits of this module
    raise RuntimeError(f"report_text: keys differ between nl and en: {set(_NL) ^ set(_EN)}")
