"""The package's shape: imports go one way, subpackages keep their private names.

The checks parse every module of ``src/impact`` with :mod:`ast` (nothing is imported),
build the module import graph and fail on:

- an import cycle between modules (at any depth, top-level or inside a function);
- a private name (``_x``) imported from another subpackage;
- an import inside a function, except of the optional heavy dependencies listed in
  ``LAZY_ALLOWED`` (matplotlib, openpyxl, joblib's parallel back-ends, nbclient) and
  :mod:`importlib` based lazy loading of the public API in ``impact/__init__.py``;
- an import of a higher layer from a lower one (the order in ``LAYERS``).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "impact"

# Lower layers first: a module may import only from its own layer or a lower one.
# plots sits low: it reads results through their to_frame() (duck-typed), so every result
# class can import it at module level and delegate plot() to it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_core",),
    ("plots", "io", "events"),
    ("simulation", "baselines", "problems"),
    ("estimation",),
    ("diagnostics",),
    ("reporting",),
    ("study",),
    ("cli", "__main__", "__init__"),
)
LAZY_ALLOWED = ("matplotlib", "openpyxl", "joblib", "dask", "distributed", "docx")


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text(), str(p)) for p in SRC.rglob("*.py")}


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    is_pkg = (SRC.parent / Path(*base) / "__init__.py").exists()
    base = base if is_pkg else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, tree: ast.Module):
    """Yield (imported module, names, node, inside_function, type_checking)."""
    parents: dict[ast.AST, ast.AST] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent

    def context(node: ast.AST) -> tuple[bool, bool]:
        in_func = in_tc = False
        cur = parents.get(node)
        while cur is not None:
            if isinstance(cur, ast.FunctionDef | ast.AsyncFunctionDef):
                in_func = True
            if isinstance(cur, ast.If) and "TYPE_CHECKING" in ast.unparse(cur.test):
                in_tc = True
            cur = parents.get(cur)
        return in_func, in_tc

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            names = [a.name for a in node.names]
            # `from impact.x import y` where y is itself a module
            yield target, names, node, *context(node)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node, *context(node)


def _edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, tree in MODULES.items():
        for target, names, _node, _in_func, in_tc in _imports(module, tree):
            if in_tc or not target.startswith("impact"):
                continue
            for name in names or [""]:
                sub = f"{target}.{name}" if name else target
                dest = sub if sub in MODULES else target
                if dest in MODULES and dest != module:
                    graph[module].add(dest)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(MODULES):
        if v not in index:
            visit(v)
    return found


def _subpackage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _layer(sub: str) -> int:
    for i, layer in enumerate(LAYERS):
        if sub in layer:
            return i
    raise AssertionError(f"subpackage {sub!r} is in no layer of LAYERS; add it there")


def test_no_import_cycles() -> None:
    cycles = _cycles(_edges())
    assert not cycles, "import cycles between modules: " + "; ".join(
        " <-> ".join(c) for c in cycles
    )


def test_no_private_names_across_subpackages() -> None:
    bad = []
    for module, tree in MODULES.items():
        for target, names, node, _f, _tc in _imports(module, tree):
            if not target.startswith("impact"):
                continue
            if _subpackage(target) == _subpackage(module):
                continue
            leaf = target.split(".")[-1]
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            if leaf.startswith("_") and _subpackage(target) != "_core":
                private.append(target)
            if private:
                bad.append(f"{module}:{node.lineno} imports {private} from {target}")
    assert not bad, "\n".join(bad)


def test_imports_only_go_down_the_layers() -> None:
    bad = []
    for module, tree in MODULES.items():
        for target, _names, node, _f, in_tc in _imports(module, tree):
            if in_tc or not target.startswith("impact.") or module == "impact":
                continue
            mine, theirs = _subpackage(module), _subpackage(target)
            if _layer(theirs) > _layer(mine):
                bad.append(f"{module}:{node.lineno} ({mine}) imports {target} ({theirs})")
    assert not bad, "imports that go up the layers:\n" + "\n".join(bad)


def test_no_imports_inside_functions_but_optional_heavy_ones() -> None:
    bad = []
    for module, tree in MODULES.items():
        for target, _names, node, in_func, _tc in _imports(module, tree):
            if not in_func or target.split(".")[0] in LAZY_ALLOWED:
                continue
            if module == "impact" and target == "importlib":
                continue
            bad.append(f"{module}:{node.lineno} imports {target} inside a function")
    assert not bad, "\n".join(bad)


def test_no_module_getattr_shims() -> None:
    shims = [
        m
        for m, tree in MODULES.items()
        if m != "impact"
        and any(isinstance(n, ast.FunctionDef) and n.name == "__getattr__" for n in tree.body)
    ]
    assert not shims, f"modules with a __getattr__ shim: {shims}"


@pytest.mark.parametrize("sub", sorted({_subpackage(m) for m in MODULES if m.count(".") >= 1}))
def test_every_subpackage_has_a_layer_and_a_docstring(sub: str) -> None:
    _layer(sub)
    if (SRC / sub / "__init__.py").exists():
        doc = ast.get_docstring(MODULES[f"impact.{sub}"])
        assert doc and len(doc) > 40, f"impact.{sub} needs a docstring saying what it offers"
