"""Fixtures of the impact.problems tests: a seeded call panel and its synthetic categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impact._core.constants import TEAMS
from impact.problems import synthesize_categories


@pytest.fixture(scope="session")
def calls_frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    months = pd.period_range("2021-01", "2023-12", freq="M")
    rows = [(t, m, int(rng.poisson(lam))) for t, lam in zip(TEAMS, [200, 80, 150, 120, 130],
                                                            strict=True) for m in months]
    return pd.DataFrame(rows, columns=["team", "month", "calls"])


@pytest.fixture(scope="session")
def synthetic(calls_frame: pd.DataFrame) -> pd.DataFrame:
    return synthesize_categories(calls_frame, seed=20240501)
