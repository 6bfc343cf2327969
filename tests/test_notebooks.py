"""Execute every study notebook (jupytext py:percent) with nbclient and check its source.

The notebooks run in the default test run (marker ``notebooks``, not deselected; the two
whose run is the long robustness checks, :data:`SLOW_NOTEBOOKS`, with ``-m slow``), each in
a fresh kernel whose working directory is ``notebooks/``. The kernel is the interpreter
running pytest: a kernel spec pointing at ``sys.executable`` is written to a temporary
folder and handed to nbclient through its kernel manager, so the result does not depend on
which ``python3`` kernel happens to be installed (or on ``jupyter kernelspec``).

Which data the notebooks use is chosen by ``study.toml`` (``[data] kind``); the repository
ships the synthetic panel, so the notebooks run on simulated data here.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.py"))
#: Seconds a single cell may run.
CELL_TIMEOUT = 300
KERNEL_NAME = "impact-tests"

#: Presentation only (STYLE.md section 12): no functions or classes, no file writes.
FORBIDDEN = {
    "def or class at line start": re.compile(r"^\s*(async\s+def|def|class)\s", re.MULTILINE),
    "open(..., 'w'/'a'/'x')": re.compile(r"""open\([^)]*['"][wax]b?\+?['"]"""),
    ".to_csv(": re.compile(r"\.to_csv\("),
    ".to_excel(": re.compile(r"\.to_excel\("),
    ".to_parquet(": re.compile(r"\.to_parquet\("),
    ".savefig(": re.compile(r"\.?savefig\("),
    ".write_text(/.write_bytes(": re.compile(r"\.write_(text|bytes)\("),
    ".mkdir(": re.compile(r"\.mkdir\("),
    "write_study/run_study": re.compile(r"\b(write_study|run_study|write_synthetic_panel)\("),
}


def test_notebooks_exist() -> None:
    assert NOTEBOOKS, f"no notebooks matching [0-9][0-9]_*.py in {NOTEBOOK_DIR}"


@pytest.fixture(scope="session")
def kernel_spec_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kernel spec folder whose kernel runs this interpreter (the project's venv)."""
    root = tmp_path_factory.mktemp("kernels")
    spec_dir = root / KERNEL_NAME
    spec_dir.mkdir()
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"impact tests ({sys.executable})",
        "language": "python",
        "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
    }), encoding="utf-8")
    return root


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_source_is_presentation_only(path: Path) -> None:
    notebook = jupytext.read(path)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.lstrip().startswith("# "), (
        f"{path.name}: the first cell must be a Markdown title and purpose"
    )
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    found = [name for name, pattern in FORBIDDEN.items() if pattern.search(code)]
    assert not found, f"{path.name}: notebooks are presentation only; found {found}"


#: Notebooks whose run is the long robustness checks themselves (backtests of five
#: baselines at twelve origins per team; placebo-in-time per team: about 14 s each, half
#: of all notebook time): executed with ``-m slow`` (``make test-slow``); their source
#: checks above stay in the default run, and the checks they call are unit-tested in
#: ``tests/diagnostics``.
SLOW_NOTEBOOKS = frozenset({"02_baselines_and_backtests", "07_robustness"})


@pytest.mark.notebooks
@pytest.mark.parametrize("path", [
    pytest.param(p, id=p.stem, marks=pytest.mark.slow if p.stem in SLOW_NOTEBOOKS else ())
    for p in NOTEBOOKS
])
def test_notebook_executes(path: Path, kernel_spec_dir: Path) -> None:
    notebook = jupytext.read(path)
    manager = KernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_spec_dir)]),
    )
    client = nbclient.NotebookClient(
        notebook,
        km=manager,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()  # raises CellExecutionError (with the traceback) on any error
    errors = [
        o for c in notebook.cells if c.cell_type == "code"
        for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors, f"{path.name}: error outputs {[(e.ename, e.evalue) for e in errors]}"
    shown = [
        o for c in notebook.cells if c.cell_type == "code"
        for o in c.get("outputs", []) if o.get("output_type") in ("display_data",
                                                                   "execute_result")
    ]
    assert shown, f"{path.name}: executed without displaying anything"
