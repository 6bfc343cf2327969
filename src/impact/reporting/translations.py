"""Dutch renderings of the messages the library writes in English, and of model names.

The estimation, baseline, diagnostics and problems modules write their warnings and the
caveats of the published series in English, assembled from fixed parts and values
(``"events starting inside the post-period are confounded with the effect and included
in it: E054 (...), E053 (...)."``). The Dutch report does not print them in English: this
module keeps a catalogue of the message *forms* (:data:`_CATALOGUE`, one regular
expression per form with its Dutch template) and renders a message by matching its form,
translating the values that are words (event names, problem categories, bases, model
names, fixed phrases of the published caveats) and writing numbers and dates the Dutch
way. A message made of several parts joined by ``"; "`` is rendered part by part.

:func:`render_message` returns the rendering and whether every part was found in the
catalogue; a message of an unknown form is returned as written, so the report can mark
it (and a test can list it) instead of silently mixing languages. :func:`model_name`
writes a baseline label (``negbin/linear/monthly``) in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
from babel.dates import format_date

from impact.diagnostics.backtest import CHOICE_RULE
from impact.io.taxonomy import CATEGORIES
from impact.reporting.templates import BASE_NAMES, LOCALES

__all__ = ["model_name", "render_message"]

_FAMILY = {
    "nl": {"negbin": "negatief-binomiaal model", "quasipoisson": "quasi-Poissonmodel",
           "poisson": "Poissonmodel", "seasonal_naive": "seizoensnaïef model",
           "structural": "structureel tijdreeksmodel", "sarima": "SARIMA-model",
           "ets": "exponentiële-effeningsmodel (ETS)"},
    "en": {"negbin": "negative binomial model", "quasipoisson": "quasi-Poisson model",
           "poisson": "Poisson model", "seasonal_naive": "seasonal naive model",
           "structural": "structural time series model", "sarima": "SARIMA model",
           "ets": "exponential smoothing model (ETS)"},
}
_TREND = {
    "nl": {"none": "zonder trend", "linear": "met lineaire trend",
           "piecewise": "met geknikte trend"},
    "en": {"none": "without trend", "linear": "with linear trend",
           "piecewise": "with piecewise trend"},
}
_SEASON = {
    "nl": {"none": "zonder seizoenseffect", "monthly": "een effect per kalendermaand",
           "fourier": "seizoensgolven ({k} harmonischen)"},
    "en": {"none": "no seasonality", "monthly": "one effect per calendar month",
           "fourier": "seasonal waves ({k} harmonics)"},
}


def model_name(label: Any, lang: str) -> str:
    """A baseline label (``negbin/linear/monthly``, ``seasonal_naive``) in words.

    >>> model_name("negbin/linear/monthly", "nl")
    'negatief-binomiaal model met lineaire trend en een effect per kalendermaand'
    >>> model_name("seasonal_naive", "nl")
    'seizoensnaïef model'
    """
    text = str(label)
    parts = text.split("/")
    family = _FAMILY[lang].get(parts[0])
    if family is None:
        return text
    if len(parts) != 3:
        return family
    trend = _TREND[lang].get(parts[1], parts[1])
    m = re.fullmatch(r"fourier(\d+)", parts[2])
    season = (_SEASON[lang]["fourier"].format(k=m.group(1)) if m
              else _SEASON[lang].get(parts[2], parts[2]))
    joiner = " en " if lang == "nl" else " and "
    return f"{family} {trend}{joiner}{season}"


# ---------------------------------------------------------------------------------------
# value translators
# ---------------------------------------------------------------------------------------


def _category(code: str) -> str:
    for c in CATEGORIES:
        if c.code == code:
            return c.name_nl
    return code.replace("_", " ")


def _bases(text: str) -> str:
    return re.sub(r"\b([a-z_]+)(?=: \[)", lambda m: BASE_NAMES["nl"].get(m.group(1),
                                                                          m.group(1)), text)


_APPROX_WORDS = (("% of calls about (possible) victims",
                  "% van de oproepen over (mogelijke) slachtoffers"),
                 ("% of persons", "% van de personen"), ("% of chats", "% van de chats"),
                 ("% of calls", "% van de oproepen"), ("range", "bereik"),
                 ("one in five", "één op de vijf"))


def _approx(text: str) -> str:
    for en, nl in _APPROX_WORDS:
        text = text.replace(en, nl)
    return text


def _channels(text: str) -> str:
    return text.replace("phone", "telefoon")


_UNITS_NL = {"month": "maand", "months": "maanden", "week": "week", "weeks": "weken",
             "day": "dag", "days": "dagen", "period": "periode", "periods": "periodes"}


def _unit_nl(text: str) -> str:
    return _UNITS_NL.get(text, text)


def _periods_nl(text: str) -> str:
    """Runs of periods as :func:`impact._core.dates.describe_periods` writes them."""
    text = re.sub(r" and (\d+) more runs$", r" en nog \1 reeksen", text)
    text = re.sub(r"\((\d+) (months|weeks|days)\)",
                  lambda m: f"({m.group(1)} {_unit_nl(m.group(2))})", text)
    return text.replace(" to ", " tot ")


def _outliers_nl(text: str) -> str:
    """The listed outliers of the baseline's outlier note."""
    text = re.sub(r" calls where the baseline expects about (\S+) \(robust z (\S+)\)",
                  r" oproepen waar de basislijn er ongeveer \1 verwacht (robuuste z \2)", text)
    return re.sub(r" and (\d+) more$", r" en nog \1", text)


_FIT_NL = {"baseline fit": "de schatting van de basislijn", "fit": "de schatting"}
_ADVICE_NL = (
    "Gebruik een grovere tijdsindeling (week of maand in plaats van dag), tel teams samen "
    "of laat de reeks weg"
)


#: Fixed free-text phrases of the published caveats (data/published), in Dutch.
_PHRASES: dict[str, str] = {
    CHOICE_RULE: (
        "onder de specificaties waarvan de empirische dekking van de maandelijkse "
        "voorspellingsintervallen tussen [niveau - 0.10, min(1, niveau + 0.05)] ligt, wint "
        "de laagste MASE; MASE-waarden binnen 0.02 van de laagste gelden als gelijk, en dan "
        "wint het eenvoudigste model (seizoensnaïef < Poisson < quasi-Poisson < "
        "negatief-binomiaal < ETS < structureel < SARIMA, dan seizoen: geen < Fourier < per "
        "maand, dan trend: geen < lineair < geknikt); voldoet geen enkele specificatie aan "
        "het dekkingscriterium, dan wint die waarvan de dekking het dichtst bij de band "
        "ligt"),
    "counts are handled contacts (or the victims they concern), capped by capacity": (
        "de aantallen zijn behandelde contacten (of de slachtoffers waarover ze gaan), "
        "begrensd door de capaciteit"),
    "growth in a category partly reflects growth of the helpline": (
        "groei in een categorie weerspiegelt deels de groei van de hulplijn"),
    "shares are published rounded (e.g. whole percent, +-0.5 points)": (
        "de aandelen zijn afgerond gepubliceerd (bv. op een heel procent, ±0.5 "
        "procentpunt)"),
    "the interval covers sampling noise only": "het interval dekt alleen de steekproefruis",
    "rate_ratio_per_base divides it out": (
        "de verhouding na correctie voor de groei van de basis houdt daar rekening mee"),
    "the label 'geweld tegen volwassenen' (2020-21) became 'geweld tussen volwassenen' "
    "(2022)": (
        "het label 'geweld tegen volwassenen' (2020-21) werd 'geweld tussen volwassenen' "
        "(2022)"),
    "whether the definition or the registration of violence between adults changed then "
    "is not documented (F093, F122, event E057)": (
        "of de definitie of de registratie van geweld tussen volwassenen toen veranderde, "
        "is niet gedocumenteerd (F093, F122, gebeurtenis E057)"),
    "the 2023 annual report splits violence between adults into intrafamilial and "
    "extrafamilial violence between adults": (
        "het jaarverslag 2023 splitst geweld tussen volwassenen op in intrafamiliaal en "
        "extrafamiliaal geweld tussen volwassenen"),
    "the 2021-22 intrafamilial counts come from that report, the 2021-22 annual reports "
    "only give the aggregate (F207, F209, F212-F214)": (
        "de intrafamiliale aantallen van 2021-22 komen uit dat verslag, de jaarverslagen "
        "van 2021-22 geven alleen het totaal (F207, F209, F212-F214)"),
    "2019 form shares are shares of the 6,166 persons with a registered main form": (
        "de aandelen per geweldvorm van 2019 zijn aandelen van de 6,166 personen met een "
        "geregistreerde hoofdvorm"),
    "later form figures are shares of contacts or calls (F045-F049)": (
        "latere cijfers per geweldvorm zijn aandelen van contacten of oproepen "
        "(F045-F049)"),
    "published percentages are rounded (mostly to whole percent, +-0.5 points)": (
        "gepubliceerde percentages zijn afgerond (meestal op een heel procent, ±0.5 "
        "procentpunt)"),
    "the intervals do not include rounding": "de intervallen houden geen rekening met die "
    "afronding",
    "counts are handled (answered) contacts or the possible victims they concern, capped "
    "by capacity (in Apr-Aug 2020 about half of all calls went unanswered)": (
        "de aantallen zijn behandelde (beantwoorde) contacten of de mogelijke slachtoffers "
        "waarover ze gaan, begrensd door de capaciteit (van april tot augustus 2020 bleef "
        "ongeveer de helft van alle oproepen onbeantwoord)"),
    "1712 press release": "persbericht van 1712",
    "88% of calls - inconsistent with 54-62% shares elsewhere": (
        "88% van de oproepen - strookt niet met de aandelen van 54-62% elders"),
    "treat with caution": "voorzichtig gebruiken",
    "80% of which in (separated) family context": "waarvan 80% in een (gescheiden) gezin",
    "conflicts with 54% in dept. annual report": (
        "in strijd met 54% in het jaarverslag van het departement"),
    "'seksueel overschrijdend gedrag' as a share of contacts (2020-21) vs sexual violence "
    "as the main form in a share of calls (2022-23) (F079, F099, F118, F215)": (
        "'seksueel overschrijdend gedrag' als aandeel van de contacten (2020-21) tegenover "
        "seksueel geweld als hoofdvorm in een aandeel van de oproepen (2022-23) (F079, "
        "F099, F118, F215)"),
}

#: The category codes as a regular-expression alternation, longest first.
_CATEGORY_CODES = "|".join(map(re.escape, sorted((c.code for c in CATEGORIES), key=len,
                                                  reverse=True)))

#: Message forms: (pattern, Dutch template, translators of named groups). A group named
#: ``text`` is rendered again as a message (it may hold several parts).
_Form = tuple[re.Pattern[str], str, dict[str, Callable[[str], str]]]


def _form(pattern: str, template: str, **groups: Callable[[str], str]) -> _Form:
    return re.compile(pattern, re.S), template, groups


_CATALOGUE: tuple[_Form, ...] = (
    _form(r"baseline (?P<model>[a-z_]+(?:/[a-z0-9_]+){0,2}): (?P<text>.+)",
          "basislijn ({model}): {text}", model=lambda m: model_name(m, "nl")),
    # ---- estimation and baselines
    _form(r"the headline effect also covers the related events (?P<events>.+?)\.?",
          "Het hoofdeffect omvat ook de verwante gebeurtenissen {events}."),
    _form(r"(?P<a>.+?) and (?P<b>E\d+ \(.+) cannot be told apart at monthly resolution "
          r"\(regressor correlation (?P<r>[-+\d.]+)\); they are reported as one joint "
          r"effect '(?P<joint>[^']+)'\. With weekly or daily counts they can be separated\.",
          "{a} en {b} zijn op maandbasis niet van elkaar te scheiden (correlatie van de "
          "regressoren {r}); ze worden als één gezamenlijk effect '{joint}' gerapporteerd. "
          "Met week- of dagcijfers zijn ze wel te scheiden."),
    _form(r"baseline terms without variation or collinear with others were dropped: "
          r"(?P<terms>.+?)\.?",
          "Basistermen zonder variatie of collineair met andere termen zijn weggelaten: "
          "{terms}."),
    _form(r"the counterfactual estimate is the joint effect of (?P<joint>\S+) "
          r"\((?P<names>.+)\); separate effects need the ITS estimator and data at a "
          r"resolution that separates them\.",
          "De contrafeitelijke schatting is het gezamenlijke effect van {joint} ({names}); "
          "afzonderlijke effecten vragen de onderbroken-tijdreeksregressie en gegevens "
          "met een fijnere tijdsindeling die ze scheidt."),
    _form(r"events starting inside the post-period are confounded with the effect and "
          r"included in it: (?P<events>.+?)\.?",
          "Gebeurtenissen die in de periode na de gebeurtenissen beginnen, zijn niet van "
          "het effect te scheiden en zitten erin vervat: {events}."),
    _form(r"periods left out of the baseline fit \(earlier event windows\): "
          r"(?P<periods>.+?)\.?",
          "Maanden die niet meetellen voor de schatting van de basislijn (vensters van "
          "eerdere gebeurtenissen): {periods}."),
    _form(r"terms without variation or collinear in the fitted history were dropped: "
          r"(?P<terms>.+?) \(a break before the history or after it cannot be estimated "
          r"from it\)\.?",
          "Termen zonder variatie of collineair in de gebruikte reeks zijn weggelaten: "
          "{terms} (een breuk vóór of na de reeks is er niet uit te schatten)."),
    _form(r"team count noise is simulated with the cross-team correlation of the baseline "
          r"residuals over (?P<n>\d+) common periods \(mean pairwise r = (?P<r>\S+), range "
          r"(?P<lo>\S+) to (?P<hi>\S+)\)\.?",
          "De telruis per team is gesimuleerd met de onderlinge correlatie van de "
          "residuen van de basislijn over {n} gemeenschappelijke maanden (gemiddelde "
          "paarsgewijze r = {r}, van {lo} tot {hi})."),
    _form(r"(?P<team>[^:]+): a level shift of (?P<size>\S+) around (?P<month>\d{4}-\d\d) "
          r"is not explained by a registered event \(posterior probability (?P<p>\S+)\)\.?",
          "{team}: een niveausprong van {size} rond {month} wordt door geen enkele "
          "geregistreerde gebeurtenis verklaard (a-posteriorikans {p})."),
    _form(r"in the monthly totals, a level shift of (?P<size>\S+) around "
          r"(?P<month>\d{4}-\d\d) is not explained by a registered event \(posterior "
          r"probability (?P<p>\S+)\); the (?P<res>weekly|daily) baseline does not model "
          r"unregistered shifts, so its counterfactual may be biased\. If the change is real "
          r"\(a new registration system, a staffing change\), register it as an event "
          r"\(kind registration or capacity\) and re-run\.",
          "in de maandtotalen wordt een niveausprong van {size} rond {month} door geen "
          "enkele geregistreerde gebeurtenis verklaard (a-posteriorikans {p}); de "
          "basislijn per {res} houdt geen rekening met niet-geregistreerde sprongen, dus "
          "de contrafeitelijke schatting kan vertekend zijn. Is de verandering echt (een "
          "nieuw registratiesysteem, een andere bezetting), registreer ze dan als "
          "gebeurtenis (soort registration of capacity) en voer de analyse opnieuw uit.",
          res={"weekly": "week", "daily": "dag"}.__getitem__),
    _form(r"a level shift of (?P<size>\S+) around (?P<month>\d{4}-\d\d) is not explained by a "
          r"registered event \(posterior probability (?P<p>\S+)\)\.?",
          "een niveausprong van {size} rond {month} wordt door geen enkele geregistreerde "
          "gebeurtenis verklaard (a-posteriorikans {p})."),
    _form(r"(?P<n>\d+) (?P<unit>months?|weeks?|days?) with 0 calls, (?P<periods>.+?), in a "
          r"series with about (?P<level>\S+) calls per (?P<per>month|week|day): no count "
          r"model makes "
          r"such a zero plausible, so (?:they are|it is) taken as (?:missing records|a "
          r"missing record) \(or a closure\) and left out of the (?P<fit>baseline fit|fit)\. "
          r"Check the source table: fill in missing records, or register a closure as an "
          r"event so that reports name it\.",
          "{n} {unit} zonder oproepen, {periods}, in een reeks met ongeveer {level} "
          "oproepen per {per}: geen telmodel maakt zo'n nul aannemelijk, dus die worden "
          "beschouwd als ontbrekende registraties (of een sluiting) en niet meegenomen in "
          "{fit}. Controleer de brontabel: vul ontbrekende registraties aan, of registreer "
          "een sluiting als gebeurtenis, zodat de rapporten ze vermelden.",
          unit=_unit_nl, per=_unit_nl, periods=_periods_nl, fit=_FIT_NL.__getitem__),
    _form(r"(?P<n>\d+) post-period (?P<unit>months?|weeks?) with 0 calls where the baseline "
          r"expects about (?P<level>\S+): (?P<periods>.+?)\. Such a zero is a missing record "
          r"or a closure, not an effect of the event; the effect counts it as lost calls\. "
          r"Check the source table, or end the post-period before the gap\.",
          "{n} {unit} na de gebeurtenis zonder oproepen waar de basislijn er ongeveer "
          "{level} verwacht: {periods}. Zo'n nul is een ontbrekende registratie of een "
          "sluiting, geen effect van de gebeurtenis; het effect telt ze als gemiste "
          "oproepen. Controleer de brontabel, of laat de periode na de gebeurtenis eindigen "
          "vóór het gat.",
          unit=_unit_nl, periods=_periods_nl),
    _form(r"sparse series: (?P<mean>\S+) calls per (?P<unit>month|week|day) on average and "
          r"(?P<k>\d+) of (?P<n>\d+) fitted (?P<units>months|weeks|days) with 0 calls; "
          r"intervals rest on the tails of the count model and may be wide\. Use a coarser "
          r"resolution \(weekly or monthly instead of daily\), aggregate teams, or leave the "
          r"series out if the intervals are too wide to use\.",
          "dunne reeks: gemiddeld {mean} oproepen per {unit} en {k} van de {n} gebruikte "
          "{units} zonder oproepen; de intervallen steunen op de staarten van het telmodel "
          f"en kunnen breed zijn. {_ADVICE_NL} als de intervallen te breed zijn om te "
          "gebruiken.",
          unit=_unit_nl, units=_unit_nl),
    _form(r"(?P<n>\d+) outlying fitted periods? \((?P<listed>.+)\): no count model makes "
          r"such a count plausible next to the rest of the series, so (?:it is|they are) "
          r"left out of the baseline fit \(an entry error or an unregistered event; neither "
          r"belongs in the counterfactual\)\. Check the count, and register an event for "
          r"that period if it is one, so that reports name it\.",
          "{n} uitschieter(s) in de gebruikte reeks ({listed}): geen telmodel maakt zo'n "
          "aantal aannemelijk naast de rest van de reeks, dus die tellen niet mee voor de "
          "schatting van de basislijn (een invoerfout of een niet-geregistreerde "
          "gebeurtenis; geen van beide hoort in de contrafeitelijke schatting). Controleer "
          "het aantal, en registreer een gebeurtenis voor die periode als het er een is, "
          "zodat de rapporten ze vermelden.",
          listed=_outliers_nl),
    _form(r"(?P<n>\d+) outlying fitted periods? \((?P<listed>.+)\); an outlier pulls the "
          r"baseline and widens every interval\. Check the count for an entry error, or "
          r"register an event for that period \(a pulse event is left out of the fit\) and "
          r"re-run\.",
          "{n} uitschieter(s) in de gebruikte reeks ({listed}); een uitschieter trekt de "
          "basislijn mee en maakt elk interval breder. Controleer het aantal op een "
          "invoerfout, of registreer een gebeurtenis voor die periode (een "
          "pulsgebeurtenis blijft buiten de schatting) en voer de analyse opnieuw uit.",
          listed=_outliers_nl),
    # ---- data definitions
    _form(r"answered contacts \((?P<ch>[^)]+)\) as given in the input",
          "beantwoorde contacten ({ch}), zoals aangeleverd", ch=_channels),
    # ---- caveats of the published problem series (impact.problems)
    _form(r"(?P<cat>[a-z_]+): figures on different bases \((?P<bases>.+)\); compare only "
          r"within one base",
          "{cat}: cijfers op verschillende bases ({bases}); vergelijk alleen binnen één "
          "basis", cat=_category, bases=_bases),
    _form(r"(?P<cat>[a-z_]+): label change between (?P<y1>\d{4}) and (?P<y2>\d{4}): "
          r"(?P<text>.+)",
          "{cat}: gewijzigd label tussen {y1} en {y2}: {text}", cat=_category),
    _form(r"label change between (?P<y1>\d{4}) and (?P<y2>\d{4}): (?P<text>.+)",
          "gewijzigd label tussen {y1} en {y2}: {text}"),
    _form(r"other figures for these years not used: (?P<ids>[F\d, -]+)",
          "andere cijfers voor deze jaren niet gebruikt: {ids}"),
    _form(r"the total (?P<base>[a-z_]+) changed by a factor (?P<f>\S+) \((?P<a>F\d+) -> "
          r"(?P<b>F\d+)\)",
          "het totaal aantal {base} veranderde met een factor {f} ({a} → {b})",
          base=lambda s: BASE_NAMES["nl"].get(s, s)),
    _form(r"(?P<id>F\d+): label: '(?P<label>[^']+)'; (?P<text>.+)",
          "{id}: label '{label}'; {text}"),
    _form(r"conflicts with (?P<v>[\d.,]+%)", "in strijd met {v}"),
    _form(r"(?P<id>F\d+) is approximate \((?P<what>.+)\)", "{id} is een benadering ({what})",
          what=_approx),
    _form(r"(?P<id>F\d+): unit worded '(?P<unit>[^']+)', read as a share of victims",
          "{id}: eenheid omschreven als '{unit}', gelezen als een aandeel van de "
          "slachtoffers", unit=_approx),
    _form(r"(?P<id>F\d+) is labelled a count of calls, but (?P<n>\S+) / (?P<d>\S+) victims "
          r"= (?P<s>\S+) matches the published share of victims \((?P<ps>\S+), "
          r"(?P<pid>F\d+)\): it may be a count of victims",
          "{id} staat als aantal oproepen, maar {n} / {d} slachtoffers = {s} klopt met het "
          "gepubliceerde aandeel slachtoffers ({ps}, {pid}): het gaat mogelijk om een "
          "aantal slachtoffers"),
    _form(r"the headline effect (?P<ev>\S+) \((?P<a>\d{4}-\d\d) to (?P<b>\d{4}-\d\d)\) also "
          r"includes (?P<names>.+?): the counterfactual baseline, fitted on the months before "
          r"the window, does not model it; the interrupted time series does \(as a known "
          r"break\)\.?",
          "Het effect {ev} ({a} tot {b}) bevat ook {names}: het basismodel van de "
          "contrafeitelijke schatting, geschat op de maanden vóór het venster, houdt daar "
          "geen rekening mee; de onderbroken tijdreeks wel (als gekende breuk)."),
    _form(r"may span new registration categories \((?P<id>S\d+): categories were added or "
          r"adjusted between (?P<y1>\d{4}) and (?P<y2>\d{4})\)",
          "kan nieuwe registratiecategorieën overspannen ({id}: categorieën werden tussen "
          "{y1} en {y2} toegevoegd of aangepast)"),
    _form(r"may span new registration categories \((?P<id>S\d+): categories were added or "
          r"adjusted at a time not stated, by (?P<y>\d{4})\)",
          "kan nieuwe registratiecategorieën overspannen ({id}: categorieën werden op een "
          "niet vermeld tijdstip, uiterlijk in {y}, toegevoegd of aangepast)"),
    _form(r"a change in a share or count can reflect the new categories, not only a change "
          r"in the problem",
          "een verandering in een aandeel of aantal kan door de nieuwe categorieën komen, "
          "niet alleen door een verandering van het probleem"),
    _form(r"complete counts, not samples: no sampling interval",
          "volledige tellingen, geen steekproeven: geen steekproefinterval"),
    _form(r"change_lower/change_upper are the rounding range of the two published shares "
          r"\(whole percent: \+-0\.5 point each\)",
          "de grenzen zijn de afrondingsmarge van de twee gepubliceerde aandelen (heel "
          "procent: ±0,5 procentpunt elk)"),
    _form(r"published figures are complete counts from the helpline's registration, not "
          r"samples: no sampling interval applies",
          "gepubliceerde cijfers zijn volledige tellingen uit de registratie van de "
          "hulplijn, geen steekproeven: er hoort geen steekproefinterval bij"),
    _form(r"value_lower/value_upper are the rounding range \(whole percent: \+-0\.5 "
          r"point\)",
          "de grenzen zijn de afrondingsmarge (heel procent: ±0,5 procentpunt)"),
    _form(r"victims are clustered in calls \(about (?P<a>\S+) per call\), so binomial "
          r"intervals on a victims base are somewhat too narrow",
          "slachtoffers zitten gegroepeerd in oproepen (ongeveer {a} per oproep), dus "
          "binomiale intervallen op een basis van slachtoffers zijn wat te smal"),
    # a caveat of one category whose own form is above: "<category>: <caveat>"
    _form(rf"(?P<cat>{_CATEGORY_CODES}): (?P<text>.+)", "{cat}: {text}", cat=_category),
    # a note on one team's own data, "<team>: <note>" (impact.estimation.counterfactual);
    # last, so that every form above wins, and the note itself must have a form
    _form(r"(?P<team>[A-Z][\w'.-]*(?: [\w'.-]+){0,3}): (?P<text>.+)", "{team}: {text}"),
)

_ISO_DAY = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+\.\d+)(?![\w])")


def _dutch_numbers(text: str) -> str:
    """``12,799`` -> ``12.799`` and ``0.98`` -> ``0,98`` (plain numbers only)."""

    def swap(m: re.Match[str]) -> str:
        return m.group(1).translate(str.maketrans({",": ".", ".": ","}))

    return _NUMBER.sub(swap, text)


def _dutch_days(text: str) -> str:
    return _ISO_DAY.sub(
        lambda m: format_date(pd.Timestamp(m.group(0)).date(), "d MMMM y",
                              locale=LOCALES["nl"]), text)


def _event_names(text: str, names: Iterable[tuple[str, str]]) -> str:
    for en, nl in sorted(names, key=lambda p: -len(p[0])):
        if en and nl and en in text:
            text = text.replace(en, nl)
    return text


def _render(message: str, names: list[tuple[str, str]]) -> tuple[str, bool]:
    msg = " ".join(message.split())
    if msg in _PHRASES:
        return _PHRASES[msg], True
    for pattern, template, groups in _CATALOGUE:
        m = pattern.fullmatch(msg)
        if m is None:
            continue
        values = {}
        ok = True
        for key, value in m.groupdict().items():
            if key == "text":
                value, done = _render(value, names)
                ok = ok and done
            elif key in groups:
                value = groups[key](value)
            else:
                value = _event_names(value, names)
            values[key] = value
        return template.format(**values), ok
    if "; " in msg:
        parts = [_render(p, names) for p in msg.split("; ")]
        return "; ".join(p for p, _ in parts), all(ok for _, ok in parts)
    return msg, False


def render_message(message: Any, lang: str, *, events: Any = None) -> tuple[str, bool]:
    """A library message in the report language.

    Parameters
    ----------
    message : str
        A warning or caveat as the library writes it (English).
    lang : {"nl", "en"}
        ``en`` returns the message unchanged.
    events : iterable of impact.events.Event, optional
        The registry: English event names in the message are replaced by their Dutch
        names (:attr:`~impact.events.Event.name_nl`).

    Returns
    -------
    text : str
        The message in ``lang``; numbers (``0,98``; ``12.799``) and days
        (``27 augustus 2023``) written the Dutch way.
    translated : bool
        Whether every part of the message had a Dutch form in the catalogue; when False,
        the untranslated parts are in ``text`` as written.
    """
    text = " ".join(str(message).split())
    if lang != "nl":
        return text, True
    names = [(e.name, getattr(e, "name_nl", "") or "") for e in (events or ())]
    rendered, ok = _render(text, names)
    return _dutch_days(_dutch_numbers(rendered)), ok
