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


# --------------------------------------------------------------------------- scheduling
# The default run spreads the tests over the cores with pytest-xdist (`-n auto`). xdist's
# own `--dist load` sends single tests, so a module- or session-scoped fixture (a study
# computed once for a file's tests) is built again on every worker that gets one of its
# tests; `--dist loadgroup` would fix that but its marks are ignored with pytest >= 9.2
# (it rewrites `item._nodeid`, which pytest no longer reads). The scheduler below sends
# whole files instead, the files that share the `study_runs` session fixture as one unit,
# and each notebook on its own; the longest units go first so both workers end together.

#: Files whose tests share a session fixture: sent to one worker as one unit.
SHARED_UNITS = {
    "tests/study/test_study.py": "study_runs",
    "tests/study/test_confounding_study.py": "study_runs",
    "tests/study/test_outputs.py": "study_runs",
}
#: Files whose tests are independent and long: each test is its own unit.
PER_TEST_FILES = frozenset({"tests/test_notebooks.py"})
#: Run first, longest first (measured with `--durations`); the rest keep their order.
LONG_FIRST = (
    "tests/test_notebooks.py",
    "tests/study/test_faults.py",
    "tests/test_cli.py",
    "tests/study/test_confounding_study.py",
    "tests/study/test_study.py",
    "tests/study/test_outputs.py",
    "tests/reporting/test_report.py",
    "tests/reporting/test_atomic.py",
    "tests/diagnostics/test_bundle.py",
)


def _test_file(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def work_unit(nodeid: str) -> str:
    """The scheduling unit of a test: its file, its shared unit, or itself."""
    path = _test_file(nodeid)
    if path in PER_TEST_FILES:
        return nodeid
    return SHARED_UNITS.get(path, path)


def pytest_collection_modifyitems(config, items) -> None:
    rank = {path: i for i, path in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(_test_file(item.nodeid), len(rank)))


def pytest_xdist_make_scheduler(config, log):
    """Whole files (see :func:`work_unit`) instead of single tests, for ``--dist load``
    (the default with ``-n``); other ``--dist`` modes are left to xdist."""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    if not hasattr(LoadScopeScheduling, "_split_scope"):  # a future xdist: its own `load`
        return None

    class FileScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False  # keep the long-first order above
    return FileScheduling(config, log)
