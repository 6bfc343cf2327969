"""The package's shape: modules, import cycles, private cross-imports, long functions.

    python benchmarks/package_shape.py src/impact
    python benchmarks/package_shape.py /path/to/an/older/checkout/src/impact

Reads the source with :mod:`ast` (imports nothing), so it works on any checkout, e.g. for
a before/after comparison. The architecture test (``tests/architecture/test_imports.py``)
enforces the cycle, private-name and function-level-import rules; this script prints the
counts.
"""

from __future__ import annotations

import argparse
import ast
from collections import defaultdict
from pathlib import Path


def _modules(src: Path) -> dict[str, ast.Module]:
    out = {}
    for path in sorted(src.rglob("*.py")):
        parts = list(path.relative_to(src.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = ast.parse(path.read_text())
    return out


def _subpackage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _context(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> tuple[bool, bool]:
    in_function = type_checking = False
    cur = parents.get(node)
    while cur is not None:
        in_function |= isinstance(cur, ast.FunctionDef | ast.AsyncFunctionDef)
        type_checking |= isinstance(cur, ast.If) and "TYPE_CHECKING" in ast.unparse(cur.test)
        cur = parents.get(cur)
    return in_function, type_checking


def _cycles(graph: dict[str, set[str]], nodes: list[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in nodes:
        if v not in index:
            visit(v)
    return found


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    n = node.end_lineno - node.lineno + 1
    first = node.body[0] if node.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        n -= first.end_lineno - first.lineno + 1
    return n


def _n_params(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    a = node.args
    n = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs)
    n += bool(a.vararg) + bool(a.kwarg)
    if a.args and a.args[0].arg in ("self", "cls"):
        n -= 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path, help="the package folder, e.g. src/impact")
    src = ap.parse_args().src.resolve()
    modules = _modules(src)
    lines = sum(len(ast.unparse(t).splitlines()) for t in modules.values())
    graph: dict[str, set[str]] = defaultdict(set)
    private_modules = private_subpackages = in_functions = 0
    functions = []
    for name, tree in modules.items():
        parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions.append((_body_lines(node), _n_params(node), f"{name}.{node.name}"))
            if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("impact")):
                continue
            in_function, type_checking = _context(node, parents)
            in_functions += in_function
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                target = target if target in modules else node.module
                if target in modules and target != name and not type_checking:
                    graph[name].add(target)
                private = alias.name.startswith("_") or node.module.split(".")[-1].startswith("_")
                if private and node.module != name:
                    private_modules += 1
                    private_subpackages += _subpackage(name) != _subpackage(node.module)
    cycles = _cycles(graph, sorted(modules))
    print(f"modules: {len(modules)} files, {lines} lines (unparsed, without comments)")
    print(f"import cycles (module-level imports): {len(cycles)} {cycles}")
    print(f"private names imported between modules: {private_modules}; "
          f"between subpackages: {private_subpackages}")
    print(f"impact imports inside functions: {in_functions}")
    print("longest functions (lines without docstring, parameters, name):")
    for row in sorted(functions, reverse=True)[:5]:
        print("  ", row)
    public = [f for f in functions if not f[2].split(".")[-1].startswith("_")]
    print("most parameters (public):")
    for row in sorted(public, key=lambda f: -f[1])[:5]:
        print("  ", row)


if __name__ == "__main__":
    main()
