"""Stable problem categories and the labels 1712 used for them.

The public sources about helpline 1712 describe the reported problems with labels that
drift from year to year ("geweld tegen volwassenen" in 2020-21 became "geweld tussen
volwassenen" in 2022; the 2023 annual report splits violence between adults into an
intrafamilial and an extrafamilial part) and with shares on different bases (share of
possible victims, of calls, of persons with a registered violence form). This module
keeps the labels apart from the stable categories the library analyses, and refuses to
guess: an unknown label is an error that lists the known ones, never a silent "other".

Two things live here:

* the taxonomy: :data:`CATEGORIES` (stable codes with their Dutch and English labels),
  :func:`categorize`, :func:`map_labels`, :func:`get_category`, :func:`dimension_of`
  and :func:`normalize_team` (team names as category tables write them);
* the published quantity names of ``data/published/published_figures.csv`` and what they
  measure (:data:`PUBLISHED_QUANTITIES`, :func:`describe_quantity`).

The label tables themselves (:data:`BASES`, :data:`DIMENSIONS`, :data:`CATEGORIES`,
:data:`LABEL_CHANGES`, :data:`PUBLISHED_QUANTITIES` and their classes) are defined in the
private module :mod:`impact.io._labels`; every name is importable from here. The
category-table contract and the reader for user tables build on this vocabulary and
live in :mod:`impact.io.categories`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from impact._core.constants import FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError
from impact.io._labels import (
    BASES,
    CATEGORIES,
    CATEGORY_CODES,
    DIMENSIONS,
    LABEL_CHANGES,
    PUBLISHED_QUANTITIES,
    Category,
    LabelChange,
    QuantityInfo,
    _norm,
)

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
    "categorize",
    "describe_quantity",
    "dimension_of",
    "get_category",
    "known_labels",
    "map_labels",
    "normalize_team",
]

_BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}


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
        "to impact.io.taxonomy.CATEGORIES (with a note on its source) rather than mapping it "
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
            "impact.io.taxonomy.PUBLISHED_QUANTITIES; known quantities: "
            f"{sorted(PUBLISHED_QUANTITIES)}. Classify it (category, measure, base) first."
        ) from None


# --- team names in category tables ---------------------------------------------------

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
    """Return the canonical team name (one of :data:`impact._core.constants.TEAMS` or Flanders).

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
