"""The import contracts: the package's import graph reads top-down, with no cycle.

Every ``import`` in ``nps_desktop`` counts, those inside functions too (only ``if TYPE_CHECKING:``
blocks, which never run, are left out of the cycle check). The contracts:

- ``nps_desktop.core`` never imports ``nps_desktop.ui``, ``nps_desktop.commands``, ``nps_desktop.cli``,
  Qt (PySide6, shiboken6) or pyqtgraph;
- ``nps_desktop.commands`` never imports ``nps_desktop.ui``;
- the bottom of core imports nothing above it: the workspace (``LOWER_LAYERS``) only itself and the
  basics, the basics only themselves;
- no two modules import each other, directly or through others.

Usage: .venv/bin/python scripts/check_imports.py   (prints each broken contract; exit 1 if any)
"""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "nps_desktop"

#: (importing layer, forbidden prefixes)
FORBIDDEN = (
    ("nps_desktop.core", ("nps_desktop.ui", "nps_desktop.commands", "nps_desktop.cli",
                          "PySide6", "shiboken6", "pyqtgraph")),
    ("nps_desktop.commands", ("nps_desktop.ui",)),
)

#: The bottom of core, top first: a module of a layer imports, of the package, only its own layer and the
#: layers after it. A new module that belongs here is added to its layer.
LOWER_LAYERS = (
    ("the workspace", ("nps_desktop.core.workspace", "nps_desktop.core.backup_store", "nps_desktop.core.integrity",
                       "nps_desktop.core.schema", "nps_desktop.core.lock", "nps_desktop.core.commit_note",
                       "nps_desktop.core.snapshot.generation")),
    ("the basics", ("nps_desktop.core.nps", "nps_desktop.core.periods", "nps_desktop.core.clock",
                    "nps_desktop.core.words", "nps_desktop.core.paths", "nps_desktop.core.resources", "nps_desktop.core.disk")),
)


@dataclass(frozen=True)
class Import:
    source: str     # the importing module
    target: str     # the imported module (or the package, for a name taken from it)
    line: int
    runs: bool      # False inside ``if TYPE_CHECKING:``


def modules(root: Path = ROOT, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package is its ``__init__``)."""
    out = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    """The imports in one module's source, relative ones resolved against ``name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    out: list[Import] = []

    def visit(node: ast.AST, runs: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for stmt in node.body:
                visit(stmt, False)
            for stmt in node.orelse:
                visit(stmt, runs)
            return
        if isinstance(node, ast.Import):
            out.extend(Import(name, alias.name, node.lineno, runs) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[:len(here) - (node.level - 1)]
                base = ".".join(here + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.append(Import(name, sub if sub in known else base, node.lineno, runs))
        for child in ast.iter_child_nodes(node):
            visit(child, runs)

    visit(tree, True)
    return out


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_violations(found: list[Import], forbidden=FORBIDDEN) -> list[str]:
    out = []
    for imp in found:
        for layer, banned in forbidden:
            if _within(imp.source, layer):
                out += [f"{imp.source} (line {imp.line}) imports {imp.target}: {layer} must not import {b}"
                        for b in banned if _within(imp.target, b)]
    return out


def upward_imports(found: list[Import], package: str, lower=LOWER_LAYERS) -> list[str]:
    """Imports from a lower layer to anything of the package that is not in it or below it."""
    out = []
    for i, (name, members) in enumerate(lower):
        allowed = {m for _, group in lower[i:] for m in group}
        out += [f"{imp.source} (line {imp.line}) imports {imp.target}: {name} imports only itself and what is "
                "below it" for imp in found
                if imp.source in members and _within(imp.target, package) and imp.target not in allowed]
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                connect(w)
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
                groups.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return sorted(groups)


def check(root: Path = ROOT, package: str = PACKAGE, forbidden=FORBIDDEN, lower=LOWER_LAYERS) -> list[str]:
    """Every broken contract, one line each."""
    mods = modules(root, package)
    found = [imp for name, path in mods.items() for imp in imports_of(name, path, set(mods))]
    edges: dict[str, set[str]] = {}
    for imp in found:
        if imp.runs and imp.target in mods and imp.target != imp.source:
            edges.setdefault(imp.source, set()).add(imp.target)
    problems = layer_violations(found, forbidden) + upward_imports(found, package, lower)
    problems += ["import cycle: " + " ↔ ".join(group) for group in cycles(edges)]
    return problems


def main() -> int:
    problems = check()
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print("imports: the contracts hold (core below ui and commands, no Qt in core, the workspace at "
              "the bottom, no cycles)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
