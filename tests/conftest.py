"""Shared fixtures: Agg backend, seeded rng, simulated series, figure clean-up."""

from __future__ import annotations

import os

# One BLAS thread per process: the fits are small matrices, and the test workers
# (pytest-xdist, one per core) and notebook kernels would otherwise oversubscribe the
# cores (measured: the study's compute step 14.6 s -> 12.2 s with one thread, loaded
# 2-core machine). Set before numpy is first imported; inherited by workers and kernels.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from pathlib import Path  # noqa: E402

import matplotlib  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

matplotlib.use("Agg")

settings.register_profile("ci", derandomize=True, max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240501)


@pytest.fixture
def close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO
