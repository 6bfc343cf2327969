"""Shared plumbing of the reported-problems modules: result frames, table checks, intervals.

Private module behind :mod:`impact.problems.shares`, :mod:`impact.problems.trends`,
:mod:`impact.problems.published` and :mod:`impact.problems.tables`. It holds what they
share: the fixed-schema ``to_frame`` of their results, the checks that a category table
holds complete counts on one base (:func:`require_single_base`, offered by
:mod:`impact.problems`), per team-period totals, and the Newcombe hybrid-score interval
for a difference of two proportions.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep

from impact._core.exceptions import DataValidationError, ImpactWarning
from impact.io.categories import validate_category_table
from impact.io.taxonomy import dimension_of

__all__ = ["require_single_base"]


# ---------------------------------------------------------------------------------------
# Result plumbing
# ---------------------------------------------------------------------------------------


class _FrameResult:
    """Shared ``to_frame`` for results holding a fixed-schema ``frame``."""

    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the fixed-schema result frame (see the class docstring)."""
        return self.frame.copy()


def _warn(messages: list[str], text: str) -> None:
    messages.append(text)
    warnings.warn(text, ImpactWarning, stacklevel=3)


# ---------------------------------------------------------------------------------------
# Table checks
# ---------------------------------------------------------------------------------------


def require_single_base(table: pd.DataFrame, *, name: str = "table") -> str:
    """Return the single base of a category table, or raise if it mixes bases.

    Parameters
    ----------
    table : pandas.DataFrame
        A category table.
    name : str, default "table"
        Name used in the message.

    Returns
    -------
    str
        The base, one of :data:`impact.io.taxonomy.BASES`.

    Raises
    ------
    DataValidationError
        If the rows use more than one base. The message names the bases, example rows,
        and how to select one.
    """
    bases = sorted(set(table["base"]))
    if len(bases) == 1:
        return bases[0]
    if not bases:
        raise DataValidationError(f"{name} is empty.")
    examples = []
    for b in bases:
        row = table[table["base"] == b].iloc[0]
        rid = row.get("source_id") or f"index {table.index[table['base'] == b][0]!r}"
        examples.append(f"{rid} ({b}, {row['category']}, {row['period']})")
    raise DataValidationError(
        f"{name} mixes bases {bases} (e.g. {'; '.join(examples)}). Shares and counts on "
        "different bases must not be mixed: one call can concern several possible victims "
        "(about 1.33-1.40 victims per call), and registered violence forms are a third "
        "denominator. Select one base first, e.g. table[table['base'] == "
        f"{bases[0]!r}]."
    )


def _count_table(table: pd.DataFrame, *, name: str) -> tuple[pd.DataFrame, str, str]:
    """Validate a category table for count analyses; return (table, base, data kind)."""
    t = validate_category_table(table, name=name)
    if t.empty:
        raise DataValidationError(f"{name} has no rows.")
    base = require_single_base(t, name=name)
    kinds = sorted(set(t["data_kind"]))
    if len(kinds) > 1:
        raise DataValidationError(
            f"{name} mixes data kinds {kinds}; analyse published, real and synthetic data "
            "separately."
        )
    no_count = t.index[t["count"].isna()]
    if len(no_count):
        row = t.loc[no_count[0]]
        raise DataValidationError(
            f"{name}: {len(no_count)} row(s) have a share but no count (e.g. index "
            f"{no_count[0]!r}: {row['team']} {row['period']} {row['category']}, source "
            f"{row['source_id'] or '-'}). Count analyses need counts; compare published "
            "shares with impact.problems.shares.compare_published."
        )
    dimension_of(t["category"].unique())
    dup = t.duplicated(["team", "period", "category"], keep=False)
    if dup.any():
        row = t[dup].iloc[0]
        raise DataValidationError(
            f"{name}: several rows for {row['team']} {row['period']} {row['category']}; a "
            "count table has one row per team, period and category."
        )
    wide = t.pivot_table(
        index=["team", "period"], columns="category", values="count", aggfunc="first",
        observed=True,
    )
    if wide.isna().any().any():
        missing = wide.isna().stack()
        first = missing[missing].index[0]
        raise DataValidationError(
            f"{name}: {int(missing.sum())} team-period-category cell(s) are missing, e.g. "
            f"{first[0]} {first[1]} {first[2]}. Every team-period needs every category; add "
            "explicit zero rows where nothing was recorded."
        )
    return t, base, kinds[0]


def _group_totals(t: pd.DataFrame) -> pd.DataFrame:
    """Per team-period: sum of counts, base total (if single and known), remainder."""
    g = t.groupby(["team", "period"], sort=True, observed=True)
    out = pd.DataFrame({
        "counted": g["count"].sum(),
        "base_total": g["base_total"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else np.nan),
    })
    has_total = out["base_total"].notna()
    out["total"] = np.where(has_total, out["base_total"], out["counted"])
    out["remainder"] = (out["total"] - out["counted"]).clip(lower=0)
    out["overlapping"] = has_total & (out["base_total"] < out["counted"])
    return out


def _refuse_overlap(totals: pd.DataFrame, what: str) -> None:
    if totals["overlapping"].any():
        team, period = totals.index[totals["overlapping"]][0]
        raise DataValidationError(
            f"{what}: in {team} {period} the category counts sum to more than base_total "
            "(categories overlap, e.g. several violence forms per call); a multinomial "
            "comparison does not apply. Compare one category at a time against base_total."
        )


# ---------------------------------------------------------------------------------------
# Intervals
# ---------------------------------------------------------------------------------------


def _newcombe(c1: float, n1: float, c2: float, n2: float, alpha: float) -> tuple[float, float]:
    """Newcombe hybrid-score interval for p2 - p1."""
    if n1 <= 0 or n2 <= 0:
        return np.nan, np.nan
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lo, hi = confint_proportions_2indep(c2, n2, c1, n1, method="newcomb", compare="diff",
                                            alpha=alpha)
    return float(max(-1.0, lo)), float(min(1.0, hi))

