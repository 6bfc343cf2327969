"""Shared builders of small category tables for the tests of impact.problems."""

from __future__ import annotations

import numpy as np
import pandas as pd

PROBS = np.array([0.55, 0.16, 0.09, 0.05, 0.15])
CATS = ["child_abuse", "partner_violence", "violence_between_adults",
        "separation_problems", "other"]


def long_table(counts: np.ndarray, periods: pd.PeriodIndex, *, team: str = "Limburg",
               cats: list[str] = CATS, base: str = "calls",
               totals: np.ndarray | None = None) -> pd.DataFrame:
    """A synthetic category table; ``counts`` is periods x categories."""
    n_p, n_c = counts.shape
    return pd.DataFrame({
        "team": team,
        "period": np.repeat(np.asarray(periods), n_c),
        "category": np.tile(cats, n_p),
        "count": counts.reshape(-1).astype(float),
        "base": base,
        "base_total": np.nan if totals is None else np.repeat(totals, n_c).astype(float),
        "data_kind": "synthetic",
    })
