"""Helpers on category tables: Flanders totals, small-cell suppression, synthetic categories.

* :func:`aggregate_to_flanders` adds Flanders rows (sums over the teams) to a count
  table, e.g. before a Flanders test with :func:`impact.problems.shares.compare_category_mix`;
* :func:`suppress_small_cells` blanks small cells, and the secondary cells that would
  reveal them, before a table is published;
* :func:`synthesize_categories` splits team x month call counts into problem categories
  by multinomial draws from published (or given) shares, for synthetic examples.

:mod:`impact.problems` offers every name here.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from impact._core.constants import DEFAULT_SUPPRESSION_THRESHOLD, FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError, ImpactWarning
from impact._core.validation import check_int
from impact.io.categories import CATEGORY_TABLE_COLUMNS, validate_category_table
from impact.io.published import published_category_table
from impact.io.taxonomy import get_category
from impact.problems._base import _count_table, _group_totals

__all__ = ["aggregate_to_flanders", "suppress_small_cells", "synthesize_categories"]


def aggregate_to_flanders(table: pd.DataFrame) -> pd.DataFrame:
    """Add Flanders rows (sums over the teams) to a count table.

    Parameters
    ----------
    table : pandas.DataFrame
        Category table with counts for teams (no Flanders rows yet), one base.

    Returns
    -------
    pandas.DataFrame
        A copy with Flanders rows appended (``count`` and ``base_total`` summed over
        teams; ``base_total`` NaN if any team lacks it).

    Raises
    ------
    DataValidationError
        If the table already has Flanders rows or is not a complete count table.
    """
    t, _, _ = _count_table(table, name="category table")
    if (t["team"] == FLANDERS).any():
        raise DataValidationError("the table already has Flanders rows.")
    totals = _group_totals(t).reset_index()
    base_tot = totals.groupby("period", observed=True)["base_total"].agg(
        lambda s: s.sum() if s.notna().all() else np.nan
    )
    agg = t.groupby(["period", "category"], sort=True, observed=True).agg(
        count=("count", "sum"),
        base=("base", "first"),
        data_kind=("data_kind", "first"),
        unit=("unit", "first"),
    ).reset_index()
    agg["team"] = FLANDERS
    agg["original_label"] = agg["category"]
    agg["base_total"] = agg["period"].map(base_tot).astype(float)
    agg["note"] = "sum over teams " + ", ".join(sorted(set(t["team"])))
    out = pd.concat([t, agg], ignore_index=True)
    out.attrs = dict(table.attrs)
    return validate_category_table(out, name="category table")


def suppress_small_cells(
    table: pd.DataFrame,
    *,
    threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
    value: str = "count",
    rows: str = "team",
    columns: str = "category",
    by: Sequence[str] | None = None,
    blank: Sequence[str] | None = None,
    suppress_zeros: bool = False,
) -> pd.DataFrame:
    """Blank small cells, and the secondary cells that would reveal them, for publication.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table with a count column ``value`` and key columns ``rows`` and
        ``columns`` (and ``by``), e.g. a category table or ``CategoryShares.to_frame()``.
    threshold : int, default 5
        Cells with ``0 < value < threshold`` are primary suppressions.
    value : str, default "count"
    rows, columns : str, default "team", "category"
        The two dimensions of each published cross-table.
    by : sequence of str, optional
        Columns that split the table into separate cross-tables; default ``["period"]``
        when a ``period`` column exists.
    blank : sequence of str, optional
        Columns set to NaN in suppressed rows; default ``value`` and every column whose
        name starts with ``share``.
    suppress_zeros : bool, default False
        Also treat zero cells as primary suppressions.

    Returns
    -------
    pandas.DataFrame
        A copy with the ``blank`` columns set to NaN where suppressed, plus ``suppressed``
        (bool) and ``suppression`` (``""``, ``"primary"`` or ``"secondary"``).
        ``attrs["suppression_threshold"]`` records the threshold.

    Notes
    -----
    Rule (documented for policy notes): readers are assumed to know the row and column
    totals of each cross-table (team totals and Flanders totals per category). Whenever
    a row or a column has exactly one suppressed cell, the smallest non-zero unsuppressed
    cell of that row or column is suppressed too, and this is repeated until no row or
    column has exactly one suppressed cell. Zero cells are not used as secondary cells
    (a zero reveals that the partner cell holds the whole difference). If a row or column
    has no cell left to suppress, an :class:`impact._core.exceptions.ImpactWarning` says so and
    its total should not be published. Totals over periods (e.g. a year summing 12
    published months) are not protected by this rule; publish either the months or the
    year per team and category.
    """
    if value not in table.columns or rows not in table.columns or columns not in table.columns:
        raise DataValidationError(
            f"suppress_small_cells: columns {value!r}, {rows!r} and {columns!r} must exist; "
            f"found {list(table.columns)}."
        )
    check_int(threshold, "threshold", minimum=1)
    by_cols = list(by) if by is not None else (["period"] if "period" in table.columns else [])
    blank_cols = list(blank) if blank is not None else [
        c for c in table.columns if c == value or str(c).startswith("share")
    ]
    out = table.copy()
    vals = pd.to_numeric(out[value], errors="coerce").astype(float)
    primary = vals.notna() & (vals < threshold) & ((vals > 0) | suppress_zeros)
    status = pd.Series(np.where(primary, "primary", ""), index=out.index, dtype=object)
    # a one-column key is passed as a column name: grouping by a one-element list is
    # deprecated in pandas and would warn on every call
    key = by_cols[0] if len(by_cols) == 1 else by_cols
    groups = out.groupby(key, sort=False, observed=True).groups if by_cols else {
        None: out.index
    }
    for _, idx in groups.items():
        sub_idx = pd.Index(idx)
        changed = True
        while changed:
            changed = False
            for dim in (rows, columns):
                for _, line in out.loc[sub_idx].groupby(dim, sort=False, observed=True):
                    flagged = [i for i in line.index if status[i]]
                    if len(flagged) != 1:
                        continue
                    cands = [i for i in line.index
                             if not status[i] and pd.notna(vals[i]) and vals[i] > 0]
                    if not cands:
                        warnings.warn(
                            f"suppress_small_cells: {dim} {line[dim].iloc[0]!r} has one "
                            "suppressed cell and no other non-zero cell to suppress; do not "
                            "publish its total.",
                            ImpactWarning,
                            stacklevel=2,
                        )
                        continue
                    pick = min(cands, key=lambda i: (vals[i], list(line.index).index(i)))
                    status[pick] = "secondary"
                    changed = True
    suppressed = status != ""
    for col in blank_cols:
        out[col] = out[col].astype(float).where(~suppressed, np.nan)
    out["suppressed"] = suppressed.astype(bool)
    out["suppression"] = status.astype(str)
    out.attrs = {**table.attrs, "suppression_threshold": threshold}
    return out


def _published_shares(year: int, base: str) -> tuple[dict[str, float], list[str]]:
    """Problem-dimension shares of a year from the published table, plus source ids."""
    t = published_category_table()
    sub = t[(t["team"] == FLANDERS) & (t["period"].dt.year == year) & (t["base"] == base)
            & t["share"].notna()]
    sub = sub[[get_category(c).dimension == "problem" for c in sub["category"]]]
    if sub.empty:
        raise DataValidationError(
            f"no published problem shares of {base} for {year}; choose a year with shares "
            "(2020-2023 for victims) or pass shares=..."
        )
    sub = sub.drop_duplicates("category")
    return dict(zip(sub["category"], sub["share"], strict=True)), list(sub["source_id"])


def synthesize_categories(
    calls_frame: pd.DataFrame,
    *,
    seed: int | np.random.Generator,
    shares: dict[str, float] | None = None,
    year: int = 2023,
) -> pd.DataFrame:
    """Split team x month call counts into problem categories by multinomial draws.

    Parameters
    ----------
    calls_frame : pandas.DataFrame
        Canonical long frame with ``team``, ``month`` (``Period[M]`` or ``"2023-04"``
        strings) and ``calls`` (whole numbers >= 0); one row per team-month.
    seed : int or numpy.random.Generator
        With an int, each team gets its own stream from ``SeedSequence(seed)`` keyed by
        its position in :data:`impact._core.constants.TEAMS`, so results do not depend on row
        order.
    shares : dict, optional
        Category code -> share. Default: the published Flanders problem shares of
        ``year`` (share of victims; 2023: child abuse 58%, partner violence 14%,
        extrafamilial and intrafamilial violence between adults and separation problems
        4% each), with the remainder as ``other``.
    year : int, default 2023
        Year of the published shares used by default.

    Returns
    -------
    pandas.DataFrame
        A category table with monthly periods, ``base="calls"``, ``base_total`` = calls,
        ``data_kind="synthetic"``; counts of each team-month sum to its calls.
        ``attrs``: ``kind="synthetic"``, ``seed``, ``shares``, ``share_source_ids``.

    Notes
    -----
    Stated assumptions: the published shares are shares of *victims*; the synthetic
    split applies them to *calls*, the same in every team and month (the parliamentary
    answer says the problems are the same across teams), with pure multinomial noise
    (no overdispersion, no trend, no event effect).
    """
    missing = [c for c in ("team", "month", "calls") if c not in calls_frame.columns]
    if missing:
        raise DataValidationError(
            f"calls_frame: missing column(s) {missing}; expected team, month, calls."
        )
    frame = calls_frame.loc[:, ["team", "month", "calls"]].copy()
    if not isinstance(frame["month"].dtype, pd.PeriodDtype):
        try:
            frame["month"] = pd.PeriodIndex(frame["month"].astype(str), freq="M")
        except (ValueError, TypeError):
            raise DataValidationError(
                "calls_frame: column 'month' must hold months (Period[M] or 'YYYY-MM')."
            ) from None
    calls = pd.to_numeric(frame["calls"], errors="coerce")
    bad = frame.index[calls.isna() | (calls < 0) | (calls % 1 != 0)]
    if len(bad):
        raise DataValidationError(
            f"calls_frame: row {bad[0]!r} has calls {frame.at[bad[0], 'calls']!r}; expected "
            "a whole number >= 0."
        )
    frame["calls"] = calls.astype(np.int64)
    if frame.duplicated(["team", "month"]).any():
        raise DataValidationError("calls_frame: duplicate team-month rows.")
    source_ids: list[str] = []
    if shares is None:
        shares, source_ids = _published_shares(year, "victims")
        rest = 1.0 - sum(shares.values())
        if rest > 0:
            shares = {**shares, "other": rest}
    for code in shares:
        get_category(code)
    probs = np.array(list(shares.values()), dtype=float)
    if np.any(probs < 0) or not np.isclose(probs.sum(), 1.0, atol=1e-6):
        raise DataValidationError(
            f"shares must be >= 0 and sum to 1, got sum {probs.sum():.4f}."
        )
    probs = probs / probs.sum()
    cats = list(shares)
    order = {t: i for i, t in enumerate(TEAMS)}
    pieces = []
    for team, grp in frame.groupby("team", sort=True):
        if isinstance(seed, np.random.Generator):
            rng = seed
        else:
            key = order.get(str(team), len(TEAMS) + sorted(set(frame["team"])).index(team))
            rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(key,)))
        grp = grp.sort_values("month")
        draws = rng.multinomial(grp["calls"].to_numpy(), probs)
        n_rows = len(grp)
        pieces.append(pd.DataFrame({
            "team": np.repeat(str(team), n_rows * len(cats)),
            "period": np.repeat(grp["month"].to_numpy(), len(cats)),
            "category": np.tile(cats, n_rows),
            "original_label": np.tile(cats, n_rows),
            "count": draws.reshape(-1).astype(float),
            "share": np.nan,
            "base": "calls",
            "base_total": np.repeat(grp["calls"].to_numpy(dtype=float), len(cats)),
            "base_source_id": "",
            "unit": "calls (synthetic)",
            "source_id": "",
            "is_approximate": False,
            "is_lower_bound": False,
            "note": "synthetic multinomial split; shares from "
            + (", ".join(source_ids) if source_ids else "user-supplied shares"),
            "data_kind": "synthetic",
        }))
    out = pd.concat(pieces, ignore_index=True).loc[:, list(CATEGORY_TABLE_COLUMNS)]
    out["period"] = pd.PeriodIndex(list(out["period"]), freq="M")
    out.attrs = {
        "kind": "synthetic",
        "seed": seed if isinstance(seed, int) else "generator",
        "shares": dict(shares),
        "share_source_ids": source_ids,
    }
    return validate_category_table(out, name="synthetic categories")
