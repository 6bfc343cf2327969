"""Stable problem categories, the labels 1712 used for them, and the category-table contract.

The public sources about helpline 1712 describe the reported problems with labels that
drift from year to year ("geweld tegen volwassenen" in 2020-21 became "geweld tussen
volwassenen" in 2022; the 2023 annual report splits violence between adults into an
intrafamilial and an extrafamilial part) and with shares on different bases (share of
possible victims, of calls, of persons with a registered violence form). This module
keeps the labels apart from the stable categories the library analyses, and refuses to
guess: an unknown label is an error that lists the known ones, never a silent "other".

Three things live here:

* the taxonomy: :data:`CATEGORIES` (stable codes with their Dutch and English labels),
  :func:`categorize` and :func:`map_labels`;
* the published quantity names of ``data/published/published_figures.csv`` and what they
  measure (:data:`PUBLISHED_QUANTITIES`, :func:`describe_quantity`);
* the category-table contract (:data:`CATEGORY_TABLE_COLUMNS`,
  :func:`validate_category_table`) and a robust reader for user tables
  (:func:`load_category_table`).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from io import StringIO
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from impact.constants import DATA_KINDS, FLANDERS, TEAMS
from impact.exceptions import DataValidationError

__all__ = [
    "BASES",
    "CATEGORIES",
    "CATEGORY_CODES",
    "CATEGORY_TABLE_COLUMNS",
    "DIMENSIONS",
    "LABEL_CHANGES",
    "PUBLISHED_QUANTITIES",
    "Category",
    "LabelChange",
    "QuantityInfo",
    "categorize",
    "describe_quantity",
    "dimension_of",
    "get_category",
    "known_labels",
    "load_category_table",
    "map_labels",
    "normalize_team",
    "validate_category_table",
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

_BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}


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
#: caveat (see :func:`impact.problems.compare_published`).
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


def _build_label_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for cat in CATEGORIES:
        for label in (cat.code, cat.name_en, cat.name_nl, *cat.labels):
            key = _norm(label)
            if key in index and index[key] != cat.code:  # pragma: no cover - static table
                raise RuntimeError(f"label {label!r} maps to two categories")
            index[key] = cat.code
    for info in PUBLISHED_QUANTITIES.values():
        if len(info.categories) >= 1:
            index.setdefault(_norm(info.quantity), info.categories[0])
    return index


_LABEL_INDEX: dict[str, str] = _build_label_index()


def known_labels() -> list[str]:
    """Return every label (codes, Dutch and English names, published quantity names) that maps.

    Returns
    -------
    list of str
        Sorted labels as written in :data:`CATEGORIES` and :data:`PUBLISHED_QUANTITIES`.
    """
    labels: set[str] = set()
    for cat in CATEGORIES:
        labels.update((cat.code, cat.name_en, cat.name_nl, *cat.labels))
    labels.update(q.quantity for q in PUBLISHED_QUANTITIES.values() if q.is_category)
    return sorted(labels, key=str.lower)


def get_category(code: str) -> Category:
    """Return the :class:`Category` with this stable code.

    Raises
    ------
    DataValidationError
        If ``code`` is not one of :data:`CATEGORY_CODES`.
    """
    try:
        return _BY_CODE[code]
    except KeyError:
        raise DataValidationError(
            f"unknown category code {code!r}; expected one of {list(CATEGORY_CODES)}."
        ) from None


def categorize(label: str) -> str:
    """Map a label (Dutch, English, code or published quantity name) onto a stable category.

    Parameters
    ----------
    label : str
        E.g. ``"Partnergeweld"``, ``"geweld tegen volwassenen"``, ``"sexual violence"``,
        ``"victims_partner_violence"``.

    Returns
    -------
    str
        The stable category code, one of :data:`CATEGORY_CODES`.

    Raises
    ------
    DataValidationError
        If the label is unknown (the message lists the known labels), or if it is a
        published quantity that is not a problem category (victim age, family context).

    Examples
    --------
    >>> categorize("Geweld tegen volwassenen")
    'violence_between_adults'
    >>> categorize("share_calls_sexual_violence_main_form")
    'sexual_violence'
    """
    key = _norm(label)
    code = _LABEL_INDEX.get(key)
    if code is not None:
        return code
    info = PUBLISHED_QUANTITIES.get(str(label).strip())
    if info is not None and not info.is_category:
        raise DataValidationError(
            f"label {label!r} is a published {info.dimension} figure, not a problem "
            "category; it has no stable category. Leave it out of category tables."
        )
    raise DataValidationError(
        f"unknown category label {label!r}. Known labels: {known_labels()}. Add the label "
        "to impact.taxonomy.CATEGORIES (with a note on its source) rather than mapping it "
        "to 'other' by hand."
    )


def map_labels(labels: Iterable[str]) -> pd.DataFrame:
    """Map several labels at once, keeping the original label next to the category.

    Parameters
    ----------
    labels : iterable of str
        Labels in any of the accepted spellings.

    Returns
    -------
    pandas.DataFrame
        Columns ``original_label``, ``category``, ``dimension``, one row per label in
        input order.

    Raises
    ------
    DataValidationError
        Naming every unknown label at once, with the list of known labels.
    """
    rows = []
    unknown = []
    for label in labels:
        try:
            code = categorize(label)
        except DataValidationError:
            unknown.append(label)
            continue
        rows.append((label, code, _BY_CODE[code].dimension))
    if unknown:
        raise DataValidationError(
            f"{len(unknown)} unknown category label(s): {unknown}. Known labels: "
            f"{known_labels()}."
        )
    return pd.DataFrame(rows, columns=["original_label", "category", "dimension"])


def describe_quantity(quantity: str) -> QuantityInfo:
    """Return what a published ``quantity`` of topic ``category`` measures.

    Raises
    ------
    DataValidationError
        If the quantity is not classified in :data:`PUBLISHED_QUANTITIES`.
    """
    try:
        return PUBLISHED_QUANTITIES[quantity]
    except KeyError:
        raise DataValidationError(
            f"published quantity {quantity!r} is not classified in "
            "impact.taxonomy.PUBLISHED_QUANTITIES; known quantities: "
            f"{sorted(PUBLISHED_QUANTITIES)}. Classify it (category, measure, base) first."
        ) from None


# ---------------------------------------------------------------------------------------
# Category-table contract
# ---------------------------------------------------------------------------------------

#: Columns of a category table, in order. One row is one number: a count or a share of
#: ``base`` for one team (or Flanders), one period and one category.
#:
#: ``team`` (str), ``period`` (``Period[Y-DEC]`` or ``Period[M]``, one frequency per
#: table), ``category`` (stable code), ``original_label`` (as the source wrote it),
#: ``count`` (float, whole numbers; NaN when only a share is known), ``share`` (0-1;
#: NaN when only a count is known), ``base`` (one of :data:`BASES`), ``base_total``
#: (size of the base in that team-period, NaN if unknown), ``base_source_id``,
#: ``unit``, ``source_id`` (row id of the published file, empty for user data),
#: ``is_approximate``, ``is_lower_bound`` (bool), ``note``, ``data_kind``.
CATEGORY_TABLE_COLUMNS: tuple[str, ...] = (
    "team",
    "period",
    "category",
    "original_label",
    "count",
    "share",
    "base",
    "base_total",
    "base_source_id",
    "unit",
    "source_id",
    "is_approximate",
    "is_lower_bound",
    "note",
    "data_kind",
)

_TEAM_ALIASES: dict[str, str] = {
    **{_norm(t): t for t in TEAMS},
    "vlaams brabant en brussel": "Vlaams-Brabant",
    "vlaams brabant brussel": "Vlaams-Brabant",
    "vlaams brabant & brussel": "Vlaams-Brabant",
    "brussel": "Vlaams-Brabant",
    "west vl": "West-Vlaanderen",
    "oost vl": "Oost-Vlaanderen",
    "flanders": FLANDERS,
    "vlaanderen": FLANDERS,
    "vlaams gewest": FLANDERS,
    "totaal": FLANDERS,
    "total": FLANDERS,
}


def normalize_team(value: object) -> str:
    """Return the canonical team name (one of :data:`impact.constants.TEAMS` or Flanders).

    Raises
    ------
    DataValidationError
        If the name is not a known team.
    """
    team = _TEAM_ALIASES.get(_norm(value))
    if team is None:
        raise DataValidationError(
            f"unknown team {value!r}; expected one of {[*TEAMS, FLANDERS]} (Dutch spellings "
            "such as 'West-Vlaanderen', 'Vlaams-Brabant en Brussel', 'Vlaanderen' are accepted)."
        )
    return team


def validate_category_table(table: pd.DataFrame, *, name: str = "table") -> pd.DataFrame:
    """Check a frame against the category-table contract and return a typed copy.

    Parameters
    ----------
    table : pandas.DataFrame
        Must have at least ``team``, ``period``, ``category``, ``base`` and one of
        ``count`` / ``share``. Missing optional columns are added (NaN or empty).
    name : str, default "table"
        Name used in error messages.

    Returns
    -------
    pandas.DataFrame
        A copy with exactly :data:`CATEGORY_TABLE_COLUMNS`, typed; ``attrs`` kept.

    Raises
    ------
    DataValidationError
        On a missing column, unknown team, category, base or data kind, a mix of yearly
        and monthly periods, a negative or fractional count, a share outside [0, 1], or
        a row with neither count nor share. Messages name the row (0-based index label).
    """
    required = ("team", "period", "category", "base")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise DataValidationError(
            f"{name}: missing column(s) {missing}; a category table needs {list(required)} "
            f"and 'count' and/or 'share'. Columns found: {list(table.columns)}."
        )
    if "count" not in table.columns and "share" not in table.columns:
        raise DataValidationError(f"{name}: needs a 'count' or a 'share' column.")
    out = table.copy()
    for col in CATEGORY_TABLE_COLUMNS:
        if col not in out.columns:
            if col in ("count", "share", "base_total"):
                out[col] = np.nan
            elif col in ("is_approximate", "is_lower_bound"):
                out[col] = False
            elif col == "original_label":
                out[col] = out["category"].astype(str)
            elif col == "data_kind":
                out[col] = str(table.attrs.get("kind", "real"))
            else:
                out[col] = ""
    out = out.loc[:, list(CATEGORY_TABLE_COLUMNS)]
    teams = {*TEAMS, FLANDERS}
    bad = out.index[~out["team"].isin(teams)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has unknown team {out.at[bad[0], 'team']!r}; expected "
            f"one of {sorted(teams)}. Use impact.taxonomy.normalize_team on free-text names."
        )
    bad = out.index[~out["category"].isin(CATEGORY_CODES)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has category {out.at[bad[0], 'category']!r}, not a stable "
            f"code; expected one of {list(CATEGORY_CODES)} (map labels with "
            "impact.taxonomy.categorize)."
        )
    bad = out.index[~out["base"].isin(list(BASES))]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has base {out.at[bad[0], 'base']!r}; expected one of "
            f"{list(BASES)}."
        )
    bad = out.index[~out["data_kind"].isin(DATA_KINDS)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has data_kind {out.at[bad[0], 'data_kind']!r}; expected "
            f"one of {list(DATA_KINDS)}."
        )
    out["period"] = _coerce_periods(out["period"], name=name)
    for col in ("count", "share", "base_total"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    counts = out["count"]
    bad = out.index[(counts < 0) | ((counts - counts.round()).abs() > 1e-9)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has count {float(counts[bad[0]])!r}; counts must be whole "
            "numbers >= 0."
        )
    shares = out["share"]
    bad = out.index[(shares < 0) | (shares > 1)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has share {float(shares[bad[0]])!r}; shares are "
            "proportions in [0, 1] (divide percentages by 100)."
        )
    bad = out.index[counts.isna() & shares.isna()]
    if len(bad):
        raise DataValidationError(f"{name}: row {bad[0]!r} has neither a count nor a share.")
    for col in ("is_approximate", "is_lower_bound"):
        out[col] = out[col].fillna(False).astype(bool)
    for col in ("team", "category", "original_label", "base", "base_source_id", "unit",
                "source_id", "note", "data_kind"):
        out[col] = out[col].fillna("").astype(str)
    out.attrs = dict(table.attrs)
    return out


def _coerce_periods(values: pd.Series, *, name: str) -> pd.Series:
    if isinstance(values.dtype, pd.PeriodDtype):
        freq = str(values.dtype)[len("period[") : -1]
        if not (freq.startswith("M") or freq.startswith("Y")):
            raise DataValidationError(
                f"{name}: periods have frequency {freq!r}; expected yearly or monthly."
            )
        return values
    parsed = [_parse_period(v) for v in values]
    for idx, p in zip(values.index, parsed, strict=True):
        if p is None:
            raise DataValidationError(
                f"{name}: row {idx!r} has period {values[idx]!r}; expected a year (2023) or a "
                "month (2023-04, 'april 2023')."
            )
    freqs = {p.freqstr for p in parsed}  # type: ignore[union-attr]
    if len(freqs) > 1:
        raise DataValidationError(
            f"{name}: periods mix yearly and monthly values ({sorted(freqs)}); use one "
            "resolution per table."
        )
    if not parsed:
        return pd.Series(pd.PeriodIndex([], freq="M"), index=values.index, name="period")
    return pd.Series(pd.PeriodIndex(parsed), index=values.index, name="period")


# ---------------------------------------------------------------------------------------
# Reading user tables
# ---------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "feb": 2, "febr": 2,
    "maart": 3, "march": 3, "mrt": 3, "mar": 3, "maa": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augustus": 8, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "team": ("team", "hulplijn", "provincie", "province", "caw", "regio", "region", "team 1712"),
    "period": ("period", "periode", "month", "maand", "year", "jaar", "date", "datum"),
    "category": (
        "category", "categorie", "probleem", "problem", "problematiek", "problem type",
        "probleemtype", "type", "label", "thema",
    ),
    "count": (
        "count", "aantal", "n", "number", "calls", "oproepen", "frequency", "frequentie",
        "aantal oproepen", "value", "waarde",
    ),
    "share": ("share", "aandeel", "percentage", "pct", "proportion", "procent", "%"),
    "base": ("base", "basis", "noemer"),
    "base_total": (
        "base total", "base_total", "total", "totaal", "total calls", "totaal oproepen",
        "totaal aantal oproepen",
    ),
}  # fmt: skip

_ALIAS_INDEX: dict[str, str] = {
    _norm(alias): field for field, aliases in _HEADER_ALIASES.items() for alias in aliases
}
_ALIAS_INDEX[_norm("%")] = "share"


def _parse_period(value: object) -> pd.Period | None:
    """Parse a year or month in the spellings found in Dutch and English exports."""
    if isinstance(value, pd.Period):
        return value if value.freqstr[0] in "MYA" else None
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return pd.Period(pd.Timestamp(value), freq="M")
    if isinstance(value, (int, np.integer)) and 1900 <= int(value) <= 2100:
        return pd.Period(year=int(value), freq="Y")
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return _parse_period(int(value))
    text = str(value).strip().lower()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})", text)
    if m:
        return pd.Period(year=int(m.group(1)), freq="Y")
    m = re.fullmatch(r"(\d{4})[-/. ](\d{1,2})(?:[-/. ]\d{1,2})?(?:[ t].*)?", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return pd.Period(year=int(m.group(1)), month=int(m.group(2)), freq="M")
    m = re.fullmatch(r"(\d{1,2})[-/. ](\d{4})", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return pd.Period(year=int(m.group(2)), month=int(m.group(1)), freq="M")
    m = re.fullmatch(r"([a-z]+)\.?[-/ ]*'?(\d{2}|\d{4})", text)
    if m and m.group(1) in _MONTHS:
        year = int(m.group(2))
        year = year + 2000 if year < 100 else year
        return pd.Period(year=year, month=_MONTHS[m.group(1)], freq="M")
    m = re.fullmatch(r"(\d{4})[-/ ]*([a-z]+)\.?", text)
    if m and m.group(2) in _MONTHS:
        return pd.Period(year=int(m.group(1)), month=_MONTHS[m.group(2)], freq="M")
    return None


def _parse_number(value: object, *, whole: bool) -> float | None:
    """Parse a number written the Dutch or the English way; ``None`` if unreadable.

    ``1.234`` and ``1 234`` are 1234 (Dutch thousands); ``12,5`` is 12.5 (Dutch decimal
    comma); ``1.234,5`` is 1234.5. For whole numbers (counts) ``1,234`` is read as 1234
    because a fractional count is impossible.
    """
    if value is None:
        return np.nan
    if isinstance(value, (int, np.integer)):
        return float(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    text = text.rstrip("%")
    if text in ("", "-", "nan", "NaN", "NA", "n.v.t.", "nvt"):
        return np.nan
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+,\d+", text):
        text = text.replace(".", "").replace(",", ".")
    elif whole and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _read_raw(path: Path, sheet: str | int | None) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        frame = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object)
        return frame
    if suffix not in (".csv", ".txt", ".tsv"):
        raise DataValidationError(
            f"{path.name}: unsupported file type {suffix!r}; expected .csv, .tsv or .xlsx."
        )
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if not text.strip():
        raise DataValidationError(f"{path.name}: the file is empty.")
    first = text.splitlines()[0]
    sep = max(("\t", ";", ","), key=first.count)
    return pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def load_category_table(
    path: str | Path,
    *,
    base: str = "calls",
    sheet: str | int | None = None,
    data_kind: Literal["real", "synthetic"] = "real",
    team: str | None = None,
    share_scale: Literal["auto", "percent", "proportion"] = "auto",
) -> pd.DataFrame:
    """Read a user-supplied team x period x category table (CSV or XLSX, long or wide).

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv``/``.tsv`` (separator ``,``, ``;`` or tab, detected from the header) or
        ``.xlsx`` file.
    base : str, default "calls"
        What the counts count, one of :data:`BASES`; used when the file has no ``base``
        column.
    sheet : str or int, optional
        Excel sheet; the first by default.
    data_kind : {"real", "synthetic"}, default "real"
        Label carried in the ``data_kind`` column and ``attrs["kind"]``.
    team : str, optional
        Team of every row when the file has no team column.
    share_scale : {"auto", "percent", "proportion"}, default "auto"
        How to read a share column: ``auto`` treats values with a ``%`` sign, or a column
        whose largest value exceeds 1, as percentages.

    Returns
    -------
    pandas.DataFrame
        A category table (:data:`CATEGORY_TABLE_COLUMNS`), sorted by team, period,
        category; ``attrs``: ``kind``, ``source`` (path), ``sha256``.

    Raises
    ------
    DataValidationError
        If a header cannot be recognised, a label is unknown, or a value cannot be read.
        Messages name the file row (the header is row 1) and the column.

    Notes
    -----
    *Long* layout: columns team, period, category and count (and/or share), in Dutch or
    English (``team/hulplijn/provincie``, ``maand/month/jaar/year/periode``,
    ``categorie/probleem/problematiek``, ``aantal/count/oproepen``, ``aandeel/share``).
    *Wide* layout: team and period columns plus one column per category label (e.g.
    ``Kindermishandeling``, ``Partnergeweld``) and an optional ``Totaal`` column that
    becomes ``base_total``. Periods may be years (``2023``) or months (``2023-04``,
    ``04/2023``, ``april 2023``, ``apr-23``, Excel dates). Dutch thousands separators
    (``1.234``) and decimal commas (``12,5``) are understood.
    """
    path = Path(path)
    if not path.is_file():
        raise DataValidationError(f"category table {str(path)!r} does not exist.")
    if base not in BASES:
        raise DataValidationError(f"base {base!r} is not one of {list(BASES)}.")
    raw = _read_raw(path, sheet)
    raw = raw.dropna(how="all")
    roles: dict[str, str] = {}
    unmatched: list[str] = []
    for col in raw.columns:
        field = _ALIAS_INDEX.get(_norm(col))
        if field is not None and field not in roles.values():
            roles[str(col)] = field
        else:
            unmatched.append(str(col))
    by_field = {field: col for col, field in roles.items()}
    if "period" not in by_field:
        raise DataValidationError(
            f"{path.name}: no period column found (expected one of "
            f"{list(_HEADER_ALIASES['period'])}); columns are {list(map(str, raw.columns))}."
        )
    if "team" not in by_field and team is None:
        raise DataValidationError(
            f"{path.name}: no team column found (expected one of {list(_HEADER_ALIASES['team'])});"
            " pass team=... when the whole file is one team."
        )
    records: list[dict[str, object]] = []
    is_long = "category" in by_field
    if is_long:
        if "count" not in by_field and "share" not in by_field:
            raise DataValidationError(
                f"{path.name}: long table with a category column but no count column "
                f"(expected one of {list(_HEADER_ALIASES['count'])}) or share column."
            )
        extra = list(unmatched)
        if extra:
            raise DataValidationError(
                f"{path.name}: column(s) {extra} not recognised in a long table; expected "
                "team, period, category, count/share, optional base and total columns."
            )
        cat_cols = {}
    else:
        cat_cols = {}
        for col in unmatched:
            try:
                cat_cols[col] = categorize(col)
            except DataValidationError:
                raise DataValidationError(
                    f"{path.name}: column {col!r} is neither a team/period/total column nor a "
                    f"known category label. Known labels: {known_labels()}."
                ) from None
        if "count" in by_field:
            # A wide table's 'value'-like column would be ambiguous.
            raise DataValidationError(
                f"{path.name}: column {by_field['count']!r} looks like a count column but the "
                "table has no category column; use either a long table (category + count) "
                "or a wide table (one column per category)."
            )
        if not cat_cols:
            raise DataValidationError(
                f"{path.name}: no category column and no columns named after categories; "
                f"known labels: {known_labels()}."
            )
    share_col = by_field.get("share")
    percent = share_scale == "percent"
    if share_col is not None and share_scale == "auto":
        vals = [_parse_number(v, whole=False) for v in raw[share_col]]
        has_pct = any(str(v).strip().endswith("%") for v in raw[share_col])
        finite = [v for v in vals if v is not None and not np.isnan(v)]
        percent = has_pct or (bool(finite) and max(finite) > 1)

    def cell_error(i: int, col: str, value: object, expected: str) -> DataValidationError:
        return DataValidationError(
            f"{path.name}, row {i + 2}, column {col!r}: cannot read {value!r}; expected "
            f"{expected}."
        )

    for i, (_, row) in enumerate(raw.iterrows()):
        period = _parse_period(row[by_field["period"]])
        if period is None:
            raise cell_error(i, by_field["period"], row[by_field["period"]],
                             "a year (2023) or a month (2023-04, 'april 2023', 'apr-23')")
        if "team" in by_field:
            try:
                team_name = normalize_team(row[by_field["team"]])
            except DataValidationError as err:
                raise DataValidationError(
                    f"{path.name}, row {i + 2}, column {by_field['team']!r}: {err}"
                ) from None
        else:
            team_name = normalize_team(team)
        base_total = np.nan
        if "base_total" in by_field:
            parsed = _parse_number(row[by_field["base_total"]], whole=True)
            if parsed is None:
                raise cell_error(i, by_field["base_total"], row[by_field["base_total"]],
                                 "a whole number such as 1234 or 1.234")
            base_total = parsed
        row_base = base
        if "base" in by_field and str(row[by_field["base"]]).strip():
            row_base = str(row[by_field["base"]]).strip()
            if row_base not in BASES:
                raise cell_error(i, by_field["base"], row_base, f"one of {list(BASES)}")
        items: list[tuple[str, str, object, object]] = []
        if is_long:
            label = row[by_field["category"]]
            try:
                code = categorize(str(label))
            except DataValidationError as err:
                raise DataValidationError(
                    f"{path.name}, row {i + 2}, column {by_field['category']!r}: {err}"
                ) from None
            items.append((
                code, str(label),
                row[by_field["count"]] if "count" in by_field else None,
                row[share_col] if share_col is not None else None,
            ))
        else:
            for col, code in cat_cols.items():
                items.append((code, col, row[col], None))
        for code, label, count_raw, share_raw in items:
            count = np.nan
            if count_raw is not None:
                count = _parse_number(count_raw, whole=True)
                col = by_field.get("count", label)
                if count is None or (not np.isnan(count) and (count < 0 or not
                                                               float(count).is_integer())):
                    raise cell_error(i, col, count_raw,
                                     "a whole number >= 0 such as 1234 or 1.234")
            share = np.nan
            if share_raw is not None:
                share = _parse_number(share_raw, whole=False)
                if share is None:
                    raise cell_error(i, share_col, share_raw, "a share such as 0.12, 12% or 12,5")
                share = share / 100.0 if percent else share
                if not np.isnan(share) and not 0 <= share <= 1:
                    raise cell_error(i, share_col, share_raw, "a share between 0 and 100%")
            if np.isnan(count) and np.isnan(share):
                raise cell_error(i, by_field.get("count", label), count_raw,
                                 "a count or a share (the cell is empty)")
            records.append({
                "team": team_name, "period": period, "category": code,
                "original_label": label, "count": count, "share": share, "base": row_base,
                "base_total": base_total, "base_source_id": "", "unit": row_base,
                "source_id": "", "is_approximate": False, "is_lower_bound": False,
                "note": "", "data_kind": data_kind,
            })
    if not records:
        raise DataValidationError(f"{path.name}: the table has no data rows.")
    table = pd.DataFrame.from_records(records)
    freqs = {p.freqstr for p in table["period"]}
    if len(freqs) > 1:
        raise DataValidationError(
            f"{path.name}: periods mix years and months; use one resolution per file."
        )
    table["period"] = pd.PeriodIndex(list(table["period"]))
    dup = table.duplicated(["team", "period", "category", "base"], keep=False)
    if dup.any():
        first = table[dup].iloc[0]
        raise DataValidationError(
            f"{path.name}: {int(dup.sum())} rows repeat a team/period/category, e.g. "
            f"{first['team']} {first['period']} {first['category']} (labels "
            f"{sorted(table[dup & (table.category == first['category'])].original_label.unique())}"
            "). Two labels that map onto the same category must be summed in the source or "
            "kept in separate files."
        )
    table = table.sort_values(["team", "period", "category"], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs = {
        "kind": data_kind,
        "source": str(path),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }
    return validate_category_table(table, name=path.name)


def dimension_of(codes: Iterable[str]) -> str:
    """Return the single dimension of a set of category codes (``other`` fits any).

    Raises
    ------
    DataValidationError
        If the codes span more than one dimension.
    """
    dims = {_BY_CODE[c].dimension for c in codes} - {"any"}
    if len(dims) > 1:
        by_dim: dict[str, list[str]] = {}
        for c in sorted(set(codes)):
            by_dim.setdefault(_BY_CODE[c].dimension, []).append(c)
        raise DataValidationError(
            f"the table mixes category dimensions {by_dim}: problem types and violence forms "
            "are not parts of one whole (one call can concern both). Analyse each dimension "
            "separately."
        )
    return dims.pop() if dims else "any"
