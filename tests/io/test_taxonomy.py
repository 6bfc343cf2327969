"""Tests of impact.io.taxonomy: stable categories, label mapping, published quantities."""

from __future__ import annotations

import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.io.published import load_published
from impact.io.taxonomy import (
    BASES,
    CATEGORIES,
    CATEGORY_CODES,
    LABEL_CHANGES,
    PUBLISHED_QUANTITIES,
    categorize,
    describe_quantity,
    dimension_of,
    known_labels,
    map_labels,
    normalize_team,
)


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return load_published()


# --- taxonomy ---------------------------------------------------------------------------


def test_every_published_category_quantity_is_classified(published: pd.DataFrame) -> None:
    quantities = sorted(set(published.loc[published["topic"] == "category", "quantity"]))
    for q in quantities:
        info = describe_quantity(q)
        assert info.base in BASES, q
        assert info.measure in ("count", "share"), q
        for code in info.categories:
            assert code in CATEGORY_CODES, (q, code)
        if info.is_category:
            assert categorize(q) == info.categories[0]


def test_every_classified_quantity_is_consistent() -> None:
    for q, info in PUBLISHED_QUANTITIES.items():
        assert info.quantity == q
        if not info.is_category:
            assert info.dimension in ("victim_age", "context", "denominator")


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Kindermishandeling", "child_abuse"),
        ("partnergeweld", "partner_violence"),
        ("Intrafamiliaal geweld tussen volwassenen", "intrafamilial_violence_adults"),
        ("extrafamiliaal geweld tussen volwassenen", "extrafamilial_violence_adults"),
        ("geweld tegen volwassenen", "violence_between_adults"),
        ("Geweld tussen volwassenen", "violence_between_adults"),
        ("scheidingsproblematiek", "separation_problems"),
        ("Seksueel overschrijdend gedrag", "sexual_violence"),
        ("seksueel geweld", "sexual_violence"),
        ("emotioneel geweld", "emotional_violence"),
        ("fysiek geweld", "physical_violence"),
        ("belaging", "stalking"),
        ("Ouderenmishandeling", "elder_parent_abuse"),
        ("oudermishandeling", "elder_parent_abuse"),
        ("geweld tussen minderjarigen", "violence_between_minors"),
        ("Andere", "other"),
        ("victims_partner_violence", "partner_violence"),
        ("share_victims_child_abuse", "child_abuse"),
        ("share_calls_sexual_violence_main_form", "sexual_violence"),
        ("share_violence_against_adults", "violence_between_adults"),
        ("calls_intrafamilial_violence_adults", "intrafamilial_violence_adults"),
        ("Partner violence", "partner_violence"),
        ("child_abuse", "child_abuse"),
    ],
)
def test_labels_map_to_stable_categories(label: str, code: str) -> None:
    assert categorize(label) == code


def test_every_listed_label_maps_to_its_category() -> None:
    for cat in CATEGORIES:
        for label in (cat.code, cat.name_en, cat.name_nl, *cat.labels):
            assert categorize(label) == cat.code


def test_unknown_label_raises_with_known_list() -> None:
    with pytest.raises(DataValidationError, match="unknown category label 'cybergeweld'") as err:
        categorize("cybergeweld")
    message = str(err.value)
    assert "Known labels" in message
    assert "partnergeweld" in message and "geweld tegen volwassenen" in message
    assert set(known_labels()) >= {"kindermishandeling", "victims_partner_violence"}


def test_non_category_quantity_is_not_silently_other() -> None:
    with pytest.raises(DataValidationError, match="not a problem category"):
        categorize("share_within_household")


def test_map_labels_keeps_original_and_lists_all_unknown() -> None:
    out = map_labels(["Partnergeweld", "geweld tegen volwassenen"])
    assert list(out["original_label"]) == ["Partnergeweld", "geweld tegen volwassenen"]
    assert list(out["category"]) == ["partner_violence", "violence_between_adults"]
    with pytest.raises(DataValidationError, match=r"2 unknown category label\(s\)"):
        map_labels(["foo", "Partnergeweld", "bar"])


def test_label_changes_name_known_categories() -> None:
    for change in LABEL_CHANGES:
        assert set(change.categories) <= set(CATEGORY_CODES)
        assert change.last_year_before < change.first_year_after


def test_dimension_of_refuses_mixing_problems_and_forms() -> None:
    assert dimension_of(["child_abuse", "other"]) == "problem"
    with pytest.raises(DataValidationError, match="mixes category dimensions"):
        dimension_of(["child_abuse", "sexual_violence"])


def test_normalize_team() -> None:
    assert normalize_team("west vlaanderen") == "West-Vlaanderen"
    assert normalize_team("Vlaams-Brabant en Brussel") == "Vlaams-Brabant"
    assert normalize_team("Vlaanderen") == "Flanders"
    with pytest.raises(DataValidationError, match="unknown team 'Gent'"):
        normalize_team("Gent")
