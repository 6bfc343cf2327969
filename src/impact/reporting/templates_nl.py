"""The Dutch texts of the study reports and the policy note (``TEXT["nl"]``).

One dict, :data:`NL`, template key -> :meth:`str.format` template, in Flemish Dutch as a
policy officer would write it (``Vraag 1``, "verhouding van de aantallen (rate ratio)");
:mod:`impact.reporting.templates` holds both languages and checks that they have the same
keys. No template holds a number about 1712.
"""

from __future__ import annotations

from impact.reporting.templates_en import EN

__all__ = ["NL"]

NL: dict[str, str] = {
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
        "telpaden (parameteronzekerheid en telruis). Het totaal voor {total} is de som "
        "van de contrafeitelijke scenario's van de teams, dus de teameffecten tellen op "
        "tot het totaal ({table})."
    ),
    "q4_observed": "Waargenomen",
    "q4_expected": "Contrafeitelijk",
    "q4_excess": "Extra oproepen ({level}-interval)",
    "q4_relative": "Relatief effect ({level}-interval)",
    "q4_p": "Kans op een positief effect",
    "q4_its": (
        "Onderbroken-tijdreeksregressie op het totaal voor {total} ({model}, {table}): "
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
        "Geen diagnostiek in deze berekening (`[diagnostics] run = false`, of de module voor "
        "diagnostiek is er niet): er is geen placeborang en geen gevoeligheidsbereik, dus "
        "de schatting heeft nog geen empirisch percentage vals-positieven."
    ),
    "q4_diag_intro": (
        "Placebo-in-de-tijd en gevoeligheid voor de voorperiode en het model "
        "(`impact.diagnostics`{figure}). De placeborang is de rang van het echte relatieve "
        "effect onder de even lange vensters in de voorperiode (1 = grootste); het "
        "percentage vals-positieven is het aandeel placebo-intervallen dat nul uitsluit; "
        "het gevoeligheidsbereik loopt over het relatieve effect in de geschatte "
        "alternatieve specificaties. Oordelen: *ondersteund* vraagt dat het interval nul "
        "uitsluit, een kleine eenzijdige placebo-p-waarde en dat elke gevoeligheidsschatting "
        "hetzelfde teken heeft; *aanwijzing* vraagt één van de eerste twee. De diagnostiek "
        "schat de rij {total} op de opgetelde reeks, die kan dus licht afwijken van de "
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
        "Elke gebeurtenis apart geschat met dezelfde methode, totaal voor {total} over "
        "de vermelde maanden ({table}; per team in het CSV-bestand)."
    ),
    "q4_event": "Gebeurtenis",
    "q4_window": "Maanden",
    "figures": "Figuren",
    # ------------------------------------------------------------------ end
    "data_heading": "Gegevensbron",
    "data_text": (
        "De geanalyseerde tabel is {file} (soort gegevens {kind}): {n_teams} teams ({teams}), "
        "{first} tot {last}, het totaal heet {total}. Geanalyseerde maat: {measure}; "
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
    "estimates_columns": (
        "team=team;event=gebeurtenis (event);estimator=schatter (estimator);model=model;"
        "quantity=grootheid (quantity);estimate=schatting;lower=ondergrens;"
        "upper=bovengrens;level=niveau;unit=eenheid;data_kind=gegevenssoort"
    ),
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
    "refuse": EN["refuse"],  # an error message of the library, in English
}
