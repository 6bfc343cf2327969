"""Static vocabularies of the taxonomy: bases, dimensions, categories and published quantities.

Private data module behind :mod:`impact.io.taxonomy`, which re-exports every name here; import
them from there. It holds the tables only:

* :data:`BASES` and :data:`DIMENSIONS`;
* :class:`Category` and :data:`CATEGORIES` (stable codes with their Dutch and English
  labels), :data:`CATEGORY_CODES`;
* :class:`LabelChange` and :data:`LABEL_CHANGES` (documented label and measurement
  changes between years);
* :class:`QuantityInfo` and :data:`PUBLISHED_QUANTITIES` (what each ``quantity`` of
  topic ``category`` in ``data/published/published_figures.csv`` measures);
* :func:`_norm`, the normalisation under which labels are matched.

The functions that use the tables (:func:`impact.io.taxonomy.categorize`,
:func:`impact.io.taxonomy.map_labels`, :func:`impact.io.taxonomy.describe_quantity`, ...) live
in :mod:`impact.io.taxonomy`.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from impact._core.exceptions import DataValidationError

__all__ = [
    "BASES",
    "CATEGORIES",
    "CATEGORY_CODES",
    "DIMENSIONS",
    "LABEL_CHANGES",
    "PUBLISHED_QUANTITIES",
    "Category",
    "LabelChange",
    "QuantityInfo",
]

#: Bases a share can have. ``calls``, ``victims`` and ``registered_forms`` are the three
#: bases of the annual reports; the others are wordings of single sources that are kept
#: apart because it is not documented that they equal one of the three.
BASES: dict[str, str] = {
    "calls": "share of (unique) calls/contacts answered by 1712 ('oproepen')",
    "victims": "share of (possible) victims, the persons a call was about ('slachtoffers')",
    "registered_forms": (
        "share of persons with a registered violence form (2019: n = 6,166); one main "
        "form per person"
    ),
    "contacts": (
        "share of 'contacten' (source wording, 2020-21); probably all channels, i.e. calls, "
        "but kept apart because the label also differs"
    ),
    "questions": "share of 'vragen' (department annual report 2018 wording)",
    "conversations": "share of 'gesprekken' (undated campaign page)",
    "chats": "share of chat conversations only",
}

#: Dimensions of the taxonomy. Categories of different dimensions are not parts of one
#: whole and are never put in one multinomial table (a call about child abuse can also be
#: about sexual violence).
DIMENSIONS: dict[str, str] = {
    "problem": "problem type or relationship (child abuse, partner violence, ...)",
    "form": "form of violence (sexual, emotional, physical, economic, stalking)",
    "any": "residual category, valid in either dimension",
}


@dataclasses.dataclass(frozen=True)
class Category:
    """A stable problem category.

    Parameters
    ----------
    code : str
        Stable snake_case code used in every table (``"partner_violence"``).
    name_en, name_nl : str
        Display names in English and Dutch.
    dimension : str
        One of :data:`DIMENSIONS`.
    labels : tuple of str
        Labels (Dutch and English) that map onto this category. Matching ignores case,
        accents, hyphens, underscores and repeated spaces.
    aggregate_of : tuple of str, default ()
        Codes this category is believed to aggregate (documentation only; never used to
        add or split numbers).
    note : str, default ""
        What is known about the label history.
    """

    code: str
    name_en: str
    name_nl: str
    dimension: str
    labels: tuple[str, ...]
    aggregate_of: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if self.dimension not in DIMENSIONS:
            raise DataValidationError(
                f"category {self.code!r}: dimension {self.dimension!r} is not one of "
                f"{sorted(DIMENSIONS)}."
            )


#: The stable categories, in display order.
CATEGORIES: tuple[Category, ...] = (
    Category(
        "child_abuse",
        "child abuse",
        "kindermishandeling",
        "problem",
        ("kindermishandeling", "kindermisbruik", "child abuse", "child maltreatment"),
        note="The largest category every year (50-62% depending on year and base).",
    ),
    Category(
        "partner_violence",
        "partner violence",
        "partnergeweld",
        "problem",
        (
            "partnergeweld",
            "partnermishandeling",
            "geweld tussen partners",
            "partner violence",
            "intimate partner violence",
        ),
    ),
    Category(
        "intrafamilial_violence_adults",
        "intrafamilial violence between adults",
        "intrafamiliaal geweld tussen volwassenen",
        "problem",
        (
            "intrafamiliaal geweld tussen volwassenen",
            "intrafamiliaal geweld volwassenen",
            "intrafamilial violence between adults",
            "intrafamilial violence adults",
        ),
        note=(
            "First reported separately in the 1712 annual report 2023 (with 2021-2022 "
            "counts); earlier reports use the aggregate violence_between_adults."
        ),
    ),
    Category(
        "extrafamilial_violence_adults",
        "extrafamilial violence between adults",
        "extrafamiliaal geweld tussen volwassenen",
        "problem",
        (
            "extrafamiliaal geweld tussen volwassenen",
            "extrafamiliaal geweld volwassenen",
            "extrafamilial violence between adults",
            "extrafamilial violence adults",
        ),
        note=(
            "First reported in the 1712 annual report 2023. Not the same as 'violence "
            "outside the family' (a context share of all victims, e.g. 1,800 in 2022)."
        ),
    ),
    Category(
        "violence_between_adults",
        "violence between adults",
        "geweld tussen volwassenen",
        "problem",
        (
            "geweld tussen volwassenen",
            "geweld tegen volwassenen",
            "violence between adults",
            "violence against adults",
        ),
        aggregate_of=("intrafamilial_violence_adults", "extrafamilial_violence_adults"),
        note=(
            "Aggregate label: 'geweld tegen volwassenen' (2019-2021) became 'geweld tussen "
            "volwassenen' (2022); whether the definition changed is not documented. That it "
            "equals intrafamilial + extrafamilial violence between adults (2023 split) is "
            "plausible (4% + 4% in 2023 vs 8-9% in 2020-22) but not documented."
        ),
    ),
    Category(
        "separation_problems",
        "separation problems",
        "scheidingsproblematiek",
        "problem",
        (
            "scheidingsproblematiek",
            "scheidingsproblemen",
            "vechtscheiding",
            "separation problems",
            "separation",
            "divorce problems",
        ),
    ),
    Category(
        "elder_parent_abuse",
        "elder or parent abuse",
        "ouder(en)mishandeling",
        "problem",
        (
            "ouderenmishandeling",
            "oudermishandeling",
            "ouder en ouderenmishandeling",
            "ouderenmisbehandeling",
            "elder abuse",
            "parent abuse",
            "elder or parent abuse",
            "elder parent abuse",
        ),
        note="2019: parent abuse and elder abuse were each stated as 2-3% of persons.",
    ),
    Category(
        "violence_between_minors",
        "violence between minors",
        "geweld tussen minderjarigen",
        "problem",
        (
            "geweld tussen minderjarigen",
            "violence between minors",
            "minor on minor violence",
        ),
    ),
    Category(
        "sexual_violence",
        "sexual violence",
        "seksueel geweld",
        "form",
        (
            "seksueel geweld",
            "seksueel misbruik",
            "seksueel grensoverschrijdend gedrag",
            "seksueel overschrijdend gedrag",
            "sexual violence",
            "sexual abuse",
            "sexually transgressive behaviour",
            "sexually transgressive behavior",
        ),
        note=(
            "Reported in several ways: 11.4% of registered forms (2019); 'seksueel "
            "overschrijdend gedrag' as 11% / 14% of contacts (2020 / 2021); sexual violence "
            "as main form in 1 in 5 calls (2022, 2023)."
        ),
    ),
    Category(
        "emotional_violence",
        "emotional violence",
        "emotioneel geweld",
        "form",
        (
            "emotioneel geweld",
            "psychisch geweld",
            "emotionele verwaarlozing",
            "emotional violence",
            "psychological violence",
            "emotional neglect",
        ),
        note="2019 form shares include emotional neglect.",
    ),
    Category(
        "physical_violence",
        "physical violence",
        "fysiek geweld",
        "form",
        (
            "fysiek geweld",
            "lichamelijk geweld",
            "lichamelijke verwaarlozing",
            "physical violence",
            "physical neglect",
        ),
        note="2019 form shares include physical neglect.",
    ),
    Category(
        "economic_violence",
        "economic violence",
        "economisch geweld",
        "form",
        ("economisch geweld", "financieel geweld", "economic violence", "financial violence"),
        note="Added to the list of the issue: the 2019 form shares include it (0.8%).",
    ),
    Category(
        "stalking",
        "stalking",
        "stalking",
        "form",
        ("stalking", "belaging"),
        note="No published 1712 figure found; kept for user tables.",
    ),
    Category(
        "other",
        "other",
        "andere",
        "any",
        (
            "andere",
            "ander",
            "anders",
            "overige",
            "overig",
            "rest",
            "other",
            "others",
            "verwerkingsproblematiek",
            "processing of past abuse",
        ),
        note=(
            "Residual category. 'verwerkingsproblematiek' (processing of past abuse, Feb 2020 "
            "window) is mapped here explicitly because no report gives it its own category."
        ),
    ),
)

#: Stable category codes, in display order.
CATEGORY_CODES: tuple[str, ...] = tuple(c.code for c in CATEGORIES)


@dataclasses.dataclass(frozen=True)
class LabelChange:
    """A documented change in how a category was labelled or measured between years.

    Parameters
    ----------
    categories : tuple of str
        Category codes concerned.
    last_year_before, first_year_after : int
        The change lies between these reference years.
    description : str
        What changed, in words that can be pasted into a report.
    source : str
        Row ids of ``published_figures.csv`` or event ids of ``events.csv``.
    """

    categories: tuple[str, ...]
    last_year_before: int
    first_year_after: int
    description: str
    source: str


#: Documented label and measurement changes. Comparisons spanning one of them carry a
#: caveat (see :func:`impact.problems.shares.compare_published`).
LABEL_CHANGES: tuple[LabelChange, ...] = (
    LabelChange(
        (
            "violence_between_adults",
            "intrafamilial_violence_adults",
            "extrafamilial_violence_adults",
        ),
        2021,
        2022,
        "the label 'geweld tegen volwassenen' (2020-21) became 'geweld tussen volwassenen' "
        "(2022); whether the definition or the registration of violence between adults "
        "changed then is not documented",
        "F093, F122, event E057",
    ),
    LabelChange(
        (
            "violence_between_adults",
            "intrafamilial_violence_adults",
            "extrafamilial_violence_adults",
        ),
        2022,
        2023,
        "the 2023 annual report splits violence between adults into intrafamilial and "
        "extrafamilial violence between adults; the 2021-22 intrafamilial counts come from "
        "that report, the 2021-22 annual reports only give the aggregate",
        "F207, F209, F212-F214",
    ),
    LabelChange(
        ("sexual_violence",),
        2021,
        2022,
        "'seksueel overschrijdend gedrag' as a share of contacts (2020-21) vs sexual violence "
        "as the main form in a share of calls (2022-23)",
        "F079, F099, F118, F215",
    ),
    LabelChange(
        ("sexual_violence", "emotional_violence", "physical_violence", "economic_violence"),
        2019,
        2020,
        "2019 form shares are shares of the 6,166 persons with a registered main form; later "
        "form figures are shares of contacts or calls",
        "F045-F049",
    ),
)


@dataclasses.dataclass(frozen=True)
class QuantityInfo:
    """What a ``quantity`` name of ``published_figures.csv`` (topic ``category``) measures.

    Parameters
    ----------
    quantity : str
        The machine name as it appears in the CSV.
    categories : tuple of str
        Stable category codes it maps to; empty for figures that are not a problem
        category (victim age, family context, a denominator).
    measure : {"count", "share", "none"}
        ``count`` (persons or calls), ``share`` (percent of ``base``) or ``none``.
    base : str
        One of :data:`BASES` (what was counted or what the share is of).
    dimension : str
        ``problem``, ``form`` or ``any`` for categories; ``victim_age``, ``context`` or
        ``denominator`` for figures that are not a category.
    label_nl : str
        The Dutch label behind the figure, where the source or note gives it.
    note : str
        Why the figure maps as it does.
    """

    quantity: str
    categories: tuple[str, ...]
    measure: str
    base: str
    dimension: str
    label_nl: str = ""
    note: str = ""

    @property
    def is_category(self) -> bool:
        """Whether the figure is about a stable problem category."""
        return bool(self.categories)


def _q(
    quantity: str,
    categories: tuple[str, ...] | str,
    measure: str,
    base: str,
    dimension: str,
    label_nl: str = "",
    note: str = "",
) -> tuple[str, QuantityInfo]:
    cats = (categories,) if isinstance(categories, str) else categories
    return quantity, QuantityInfo(quantity, cats, measure, base, dimension, label_nl, note)


#: Every ``quantity`` of topic ``category`` in ``published_figures.csv``, plus the
#: category-like quantity names used in the issue text.
PUBLISHED_QUANTITIES: dict[str, QuantityInfo] = dict(
    [
        _q("share_calls_child_abuse", "child_abuse", "share", "calls", "problem",
           "kindermishandeling"),
        _q("share_conversations_child_abuse", "child_abuse", "share", "conversations",
           "problem", "kindermishandeling", "undated campaign page (c. 2016)"),
        _q("share_calls_partner_violence", "partner_violence", "share", "calls", "problem",
           "partnergeweld"),
        _q("share_questions_child_abuse", "child_abuse", "share", "questions", "problem",
           "kindermishandeling"),
        _q("share_questions_partner_violence", "partner_violence", "share", "questions",
           "problem", "partnergeweld"),
        _q("calls_child_abuse_main_problem", "child_abuse", "count", "calls", "problem",
           "kindermishandeling (hoofdproblematiek)",
           "1712 press release; 4,490 of 5,126 calls is inconsistent with the 54-62% shares"),
        _q("victims_child_abuse", "child_abuse", "count", "victims", "problem",
           "kindermishandeling"),
        _q("share_victims_child_abuse", "child_abuse", "share", "victims", "problem",
           "kindermishandeling"),
        _q("share_child_abuse", "child_abuse", "share", "victims", "problem",
           "kindermishandeling"),
        _q("child_abuse_victims_3_weeks", "child_abuse", "count", "victims", "problem",
           "kindermishandeling", "3-week window late Aug-Sep 2023; not an annual figure"),
        _q("persons_calling_or_mailing_about_child_abuse", "child_abuse", "count", "calls",
           "problem", "kindermishandeling",
           "persons who called or mailed (contact-takers, one per contact); Feb 2020 window"),
        _q("victims_partner_violence", "partner_violence", "count", "victims", "problem",
           "partnergeweld"),
        _q("share_victims_partner_violence", "partner_violence", "share", "victims",
           "problem", "partnergeweld"),
        _q("share_partner_violence", "partner_violence", "share", "victims", "problem",
           "partnergeweld"),
        _q("calls_partner_violence", "partner_violence", "count", "calls", "problem",
           "partnergeweld",
           "parliamentary answer 2024; the 2019 value 1,140 is called victims by HLN 2020"),
        _q("partner_violence_calls", "partner_violence", "count", "calls", "problem",
           "partnergeweld", "Limburg team"),
        _q("partner_violence_calls_ytd", "partner_violence", "count", "calls", "problem",
           "partnergeweld", "Limburg team, 1 Jan-24 Aug 2020; not an annual figure"),
        _q("victims_violence_against_adults", "violence_between_adults", "count", "victims",
           "problem", "geweld tegen volwassenen"),
        _q("share_victims_violence_against_adults", "violence_between_adults", "share",
           "victims", "problem", "geweld tegen volwassenen"),
        _q("share_violence_against_adults", "violence_between_adults", "share", "victims",
           "problem", "geweld tegen volwassenen"),
        _q("share_violence_between_adults", "violence_between_adults", "share", "victims",
           "problem", "geweld tussen volwassenen"),
        _q("share_victims_violence_between_adults", "violence_between_adults", "share",
           "victims", "problem", "geweld tussen volwassenen"),
        _q("victims_separation_problems", "separation_problems", "count", "victims",
           "problem", "scheidingsproblematiek"),
        _q("share_victims_separation_problems", "separation_problems", "share", "victims",
           "problem", "scheidingsproblematiek"),
        _q("share_minor_on_minor_parent_elder_abuse_each", "violence_between_minors", "share",
           "victims", "problem", "geweld tussen minderjarigen",
           "'two to three percent' each for violence between minors, parent abuse and elder "
           "abuse (value 2.5 = midpoint). Only violence between minors is tabulated: the "
           "combined elder/parent share is not stated and is not derived here"),
        _q("share_victims_extrafamilial_violence_adults", "extrafamilial_violence_adults",
           "share", "victims", "problem", "extrafamiliaal geweld tussen volwassenen",
           "unit worded '% of calls about (possible) victims'; read as a share of victims"),
        _q("share_victims_intrafamilial_violence_adults", "intrafamilial_violence_adults",
           "share", "victims", "problem", "intrafamiliaal geweld tussen volwassenen",
           "unit worded '% of calls about (possible) victims'; read as a share of victims"),
        _q("calls_intrafamilial_violence_adults", "intrafamilial_violence_adults", "count",
           "calls", "problem", "intrafamiliaal geweld tussen volwassenen"),
        _q("share_physical_violence_main_form", "physical_violence", "share",
           "registered_forms", "form", "fysiek geweld (incl. lichamelijke verwaarlozing)"),
        _q("share_emotional_violence_main_form", "emotional_violence", "share",
           "registered_forms", "form", "emotioneel geweld (incl. emotionele verwaarlozing)"),
        _q("share_sexual_violence_main_form", "sexual_violence", "share", "registered_forms",
           "form", "seksueel geweld"),
        _q("share_economic_violence_main_form", "economic_violence", "share",
           "registered_forms", "form", "economisch geweld"),
        _q("share_contacts_sexual_transgressive", "sexual_violence", "share", "contacts",
           "form", "seksueel overschrijdend gedrag"),
        _q("share_chats_sexual_violence", "sexual_violence", "share", "chats", "form",
           "seksueel geweld (hoofdvorm)", "share of chat conversations only"),
        _q("victims_sexual_violence", "sexual_violence", "count", "victims", "form",
           "seksueel geweld"),
        _q("sexual_violence_victims_3_weeks", "sexual_violence", "count", "victims", "form",
           "seksueel geweld", "3-week window late Aug-Sep 2023; not an annual figure"),
        _q("share_calls_sexual_violence_main_form", "sexual_violence", "share", "calls",
           "form", "seksueel geweld (hoofdvorm)", "'one in five'"),
        _q("share_calls_sexual_violence", "sexual_violence", "share", "calls", "form",
           "seksueel geweld"),
        _q("share_calls_emotional_violence", "emotional_violence", "share", "calls", "form",
           "emotioneel geweld", "'vier op de tien'"),
        _q("persons_with_processing_of_past_abuse", "other", "count", "victims", "any",
           "verwerkingsproblematiek", "Feb 2020 window; mapped to other explicitly"),
        # Not problem categories: kept so that every published label is classified.
        _q("persons_with_registered_violence_form", (), "count", "registered_forms",
           "denominator", "", "denominator of the 2019 form shares (n = 6,166)"),
        _q("persons_broad_family_context", (), "count", "victims", "context",
           "brede gezinscontext"),
        _q("persons_violence_within_household", (), "count", "victims", "context",
           "in het gezin"),
        _q("share_family_context_where_known", (), "share", "victims", "context",
           "gezinscontext"),
        _q("share_within_household", (), "share", "victims", "context", "binnen het gezin"),
        _q("share_outside_family", (), "share", "calls", "context", "buiten de familie"),
        _q("victims_extrafamilial_violence", (), "count", "victims", "context",
           "buiten de familie",
           "1,800 of 12,044 victims (15%, = share_outside_family 2022): a context figure for "
           "all ages, not the 2023 category 'extrafamiliaal geweld tussen volwassenen'"),
        _q("child_victims", (), "count", "victims", "victim_age", "kinderen"),
        _q("child_victims_under_6", (), "count", "victims", "victim_age", "jonger dan 6"),
        _q("child_victims_babies_toddlers_preschool", (), "count", "victims", "victim_age",
           "baby's, peuters en kleuters"),
        _q("young_child_victims", (), "count", "victims", "victim_age", "jonge slachtoffers"),
        _q("share_victims_minors", (), "share", "victims", "victim_age", "minderjarigen"),
        _q("share_victims_under_7", (), "share", "victims", "victim_age", "jonger dan 7"),
    ]
)


def _norm(label: object) -> str:
    """Normalise a label for matching: lower case, no accents, no punctuation runs."""
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode()
    text = text.lower().replace("_", " ").replace("-", " ").replace("/", " ")
    text = re.sub(r"[()\.,;:'\"]", " ", text)
    return re.sub(r"\s+", " ", text).strip()
