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

The label tables themselves (:data:`BASES`, :data:`DIMENSIONS`, :data:`CATEGORIES`,
:data:`LABEL_CHANGES`, :data:`PUBLISHED_QUANTITIES` and their classes) are defined in the
private module :mod:`impact.io._labels` and the reader in
:mod:`impact.io.categories`; every name is importable from here.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from impact._core.constants import DATA_KINDS, FLANDERS, TEAMS
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
from impact.io.categories import _parse_number as _parse_number
from impact.io.categories import _parse_period, load_category_table

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
            f"one of {sorted(teams)}. Use impact.io.taxonomy.normalize_team on free-text names."
        )
    bad = out.index[~out["category"].isin(CATEGORY_CODES)]
    if len(bad):
        raise DataValidationError(
            f"{name}: row {bad[0]!r} has category {out.at[bad[0], 'category']!r}, not a stable "
            f"code; expected one of {list(CATEGORY_CODES)} (map labels with "
            "impact.io.taxonomy.categorize)."
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
