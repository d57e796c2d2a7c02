"""No slot under ``nps_desktop/ui`` can have a parameter filled by a signal's argument by accident.

``button.clicked.connect(self.correct_score)`` with ``def correct_score(self, new_score=None, reason="")``
ran ``correct_score(False)``: Qt passes ``checked``, which read as a score of 0 (and an owner ``False``, an
empty segment name, a delete without asking). PySide6 passes a signal's arguments to every leading
positional parameter of a Python callable, defaults or not — even under ``@Slot()`` (PySide6 6.11 ignores
the decorator's empty signature for a bound method that takes arguments). So this test reads the source
(``ast``) and resolves every connection to the function it runs, and enforces:

Rule A — ``clicked``, ``triggered``, ``toggled`` (and ``QMenu.addAction(text, slot)``, which connects
``triggered``) pass ``checked``. The connected function or lambda takes no positional parameter (``*args``
is fine: PySide6 passes nothing to it), or its first positional parameter is named ``checked`` or
``_checked`` — it asks for the flag by name. (``NOT_A_BUTTON`` lists the ``clicked`` signals of views and
charts, which pass an index: rule B holds for them.)

Rule B — every other signal that passes arguments (``ARITY`` > 0): the first positional parameter of the
connected function or lambda has no default (unless named ``checked``). A default says "optional, for
callers"; the signal fills it.

Connections are found as ``<signal>.connect(target)`` and ``menu.addAction(text, target)``. A target is
resolved as: a lambda; ``self.name`` (the enclosing class's method, else every def of that name under
``ui``); ``obj.name`` (every def of that name under ``ui``; none means a Qt method such as ``accept``,
which is fine); a nested def, a local assigned a lambda, a loop variable over a literal, or a parameter
of the enclosing function — then every call of that function under ``ui`` is followed to the argument it
passes (``_action(menu, text, slot)``, ``_button(text, on_click)``, ``EmptyState(..., on_click)``,
``run_task(on_done=...)``). A target that cannot be resolved fails the test, as does a signal missing
from ``ARITY``: both mean a new pattern that needs a look.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import nps_desktop.ui

UI = Path(nps_desktop.ui.__file__).parent
BOOL_SIGNALS = {"clicked", "triggered", "toggled"}
FLAG_NAMES = {"checked", "_checked"}
#: How many arguments each signal connected under ui passes (Qt's and the app's own).
ARITY = {
    "clicked": 1, "triggered": 1, "toggled": 1,
    "timeout": 0, "accepted": 0, "rejected": 0, "aboutToShow": 0, "canceled": 0, "returnPressed": 0,
    "workspace_opened": 0, "changed": 0, "segments_changed": 0, "editingFinished": 0,
    "cursorPositionChanged": 0, "retagged": 0,
    "finished": 1, "currentIndexChanged": 1, "currentChanged": 1, "activated": 1, "textChanged": 1,
    "textEdited": 1, "linkActivated": 1, "anchorClicked": 1, "doubleClicked": 1, "dateChanged": 1,
    "valueChanged": 1, "stateChanged": 1, "currentTextChanged": 1, "requested": 1, "counted": 1,
    "loading": 1, "failed": 1, "reported": 1, "sigMouseClicked": 1, "sigResized": 1, "progress": 2,
    "currentRowChanged": 1, "itemSelectionChanged": 0, "selectionChanged": 2, "currentCharFormatChanged": 1, "itemChanged": 1,
    "sectionClicked": 1, "destroyed": 1, "announced": 1, "customContextMenuRequested": 1, "imported": 1, "edited": 0, "focused": 0,
    "currentItemChanged": 2, "rowsInserted": 3, "rowsRemoved": 3, "modelReset": 0, "navigate": 2,
    "import_requested": 0,
}
#: ``clicked`` of an item view (a QModelIndex) or of a chart (an index): not a button's ``checked``.
NOT_A_BUTTON = {"self.table.clicked", "self.trend.clicked", "self.distribution.clicked"}


@dataclass
class Module:
    path: Path
    tree: ast.Module
    parents: dict[ast.AST, ast.AST]


def _modules() -> list[Module]:
    out = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        out.append(Module(path, tree, parents))
    return out


MODULES = _modules()
DEFS: dict[str, list[tuple[Module, ast.FunctionDef]]] = {}
CLASSES: dict[str, list[tuple[Module, ast.ClassDef]]] = {}
for _m in MODULES:
    for _n in ast.walk(_m.tree):
        if isinstance(_n, ast.FunctionDef):
            DEFS.setdefault(_n.name, []).append((_m, _n))
        elif isinstance(_n, ast.ClassDef):
            CLASSES.setdefault(_n.name, []).append((_m, _n))


def _ancestors(m: Module, node: ast.AST):
    while node in m.parents:
        node = m.parents[node]
        yield node


def _is_method(m: Module, fn: ast.FunctionDef) -> bool:
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in fn.decorator_list)
    return isinstance(m.parents.get(fn), ast.ClassDef) and not static


def _positional(m: Module, fn: ast.FunctionDef | ast.Lambda) -> tuple[list[ast.arg], int]:
    """The positional parameters a caller fills (without self), and how many have no default."""
    params = [*fn.args.posonlyargs, *fn.args.args]
    if isinstance(fn, ast.FunctionDef) and _is_method(m, fn):
        params = params[1:]
    return params, len(params) - len(fn.args.defaults)


def _where(m: Module, node: ast.AST) -> str:
    return f"{m.path.relative_to(UI.parent.parent)}:{node.lineno}"


def _class_methods(m: Module, cls: ast.ClassDef, name: str) -> list[tuple[Module, ast.FunctionDef]]:
    found = [(m, n) for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name]
    for base in cls.bases:
        if isinstance(base, ast.Name):
            for bm, bc in CLASSES.get(base.id, []):
                found += _class_methods(bm, bc, name)
    return found


def _call_sites(fn_m: Module, fn: ast.FunctionDef):
    """Every call of ``fn`` under ui (by name; ``__init__`` by its class's name)."""
    name = fn.name
    if name == "__init__":
        cls = fn_m.parents[fn]
        assert isinstance(cls, ast.ClassDef)
        name = cls.name
    for m in MODULES:
        for node in ast.walk(m.tree):
            if isinstance(node, ast.Call):
                f = node.func
                called = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
                if called == name:
                    yield m, node


def _argument(call: ast.Call, fn: ast.FunctionDef, method: bool, param: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == param:
            return kw.value
    names = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]][1 if method else 0:]
    i = names.index(param) if param in names else None
    if i is not None and i < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[:i + 1]):
        return call.args[i]
    return None  # not passed: its default (None in every forwarding helper) connects nothing


def _resolve(m: Module, expr: ast.expr, seen: frozenset = frozenset()):
    """Yield (module, function-or-lambda) for ``expr``; ``None`` for a Qt method; raise when unknown."""
    if isinstance(expr, ast.Lambda):
        yield m, expr
        return
    if isinstance(expr, ast.Attribute):
        if isinstance(expr.value, ast.Name) and expr.value.id == "self":
            cls = next((a for a in _ancestors(m, expr) if isinstance(a, ast.ClassDef)), None)
            own = _class_methods(m, cls, expr.attr) if cls is not None else []
            if own:
                yield from own
                return
        yield from DEFS.get(expr.attr, [])   # no def of that name under ui: a Qt method
        return
    if isinstance(expr, ast.Constant) and expr.value is None:
        return
    if isinstance(expr, ast.Name):
        name = expr.id
        for scope in _ancestors(m, expr):
            if isinstance(scope, ast.For) and name in {n.id for n in ast.walk(scope.target) if isinstance(n, ast.Name)}:
                yield from _loop_values(m, scope, name, seen)
                return
            if not isinstance(scope, (ast.FunctionDef, ast.Module)):
                continue
            for node in ast.walk(scope):
                if isinstance(node, ast.FunctionDef) and node.name == name and node is not scope:
                    yield m, node
                    return
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                        for t in node.targets):
                    yield from _resolve(m, node.value, seen)
                    return
            if isinstance(scope, ast.FunctionDef) and name in {a.arg for a in [
                    *scope.args.posonlyargs, *scope.args.args, *scope.args.kwonlyargs]}:
                key = (str(m.path), scope.lineno, name)
                if key in seen:
                    return
                method = _is_method(m, scope)
                for cm, call in _call_sites(m, scope):
                    arg = _argument(call, scope, method, name)
                    if arg is not None:
                        yield from _resolve(cm, arg, seen | {key})
                return
    raise AssertionError(f"cannot resolve the slot {ast.unparse(expr)} at {_where(m, expr)}")


def _loop_values(m: Module, loop: ast.For, name: str, seen: frozenset):
    if not isinstance(loop.iter, (ast.Tuple, ast.List)):
        raise AssertionError(f"cannot resolve the loop variable {name} at {_where(m, loop)}")
    for item in loop.iter.elts:
        if isinstance(loop.target, ast.Name):
            yield from _resolve(m, item, seen)
        elif isinstance(loop.target, ast.Tuple) and isinstance(item, ast.Tuple):
            i = [t.id if isinstance(t, ast.Name) else None for t in loop.target.elts].index(name)
            yield from _resolve(m, item.elts[i], seen)
        else:
            raise AssertionError(f"cannot resolve the loop variable {name} at {_where(m, loop)}")


def connections():
    """(module, call node, signal name, target expression) of every connection under ui."""
    for m in MODULES:
        for node in ast.walk(m.tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr == "connect" and node.args:
                sig = node.func.value
                signal = sig.attr if isinstance(sig, ast.Attribute) else sig.id if isinstance(sig, ast.Name) else "?"
                yield m, node, signal, node.args[0]
            elif node.func.attr == "addAction" and len(node.args) >= 2 \
                    and not (isinstance(node.args[-1], ast.Constant) and isinstance(node.args[-1].value, str)):
                yield m, node, "triggered", node.args[-1]


def problems() -> list[str]:
    out = []
    for m, call, signal, target in connections():
        if signal not in ARITY:
            out.append(f"{_where(m, call)}: signal {signal!r} is not in ARITY (how many arguments does it pass?)")
            continue
        for fm, fn in _resolve(m, target):
            params, required = _positional(fm, fn)
            label = "lambda" if isinstance(fn, ast.Lambda) else fn.name
            if signal in BOOL_SIGNALS and ast.unparse(call.func.value) not in NOT_A_BUTTON:
                if params and params[0].arg not in FLAG_NAMES:
                    out.append(f"{_where(m, call)}: {signal} passes `checked` into {label}'s "
                               f"parameter {params[0].arg!r} ({_where(fm, fn)})")
            elif ARITY[signal] and params and required == 0 and params[0].arg not in FLAG_NAMES:
                out.append(f"{_where(m, call)}: {signal} fills {label}'s optional parameter "
                           f"{params[0].arg!r} ({_where(fm, fn)})")
    return out


def test_no_slot_takes_a_signal_argument_by_accident():
    assert problems() == []


def test_the_audit_sees_every_connection():
    """The walk finds the connections (a refactor that hid them from it would make the rule vacuous)."""
    found = list(connections())
    assert len(found) >= 190
    sources = sum(p.read_text(encoding="utf-8").count(".connect(") for p in UI.rglob("*.py"))
    assert sum(1 for _m, c, *_ in found if isinstance(c.func, ast.Attribute) and c.func.attr == "connect") == sources


def test_the_rule_catches_the_bugs_it_was_written_for(tmp_path):
    """The three buttons of issue #17 and a menu item, as they were: each is reported."""
    global MODULES
    src = '''
from PySide6.QtWidgets import QPushButton, QMenu
class ResponsesPageX:
    def __init__(self):
        self.correct_button = QPushButton()
        self.correct_button.clicked.connect(self.correct_scoreX)
        menu = QMenu()
        menu.addAction("Delete this segment…", self.delete_segmentX)
        self.combo.currentIndexChanged.connect(self.reloadX)
        self._actionX(menu, "Reassign…", self.reassign_selectedX)
    def _actionX(self, menu, text, slot):
        a = menu.addAction(text)
        a.triggered.connect(slot)
    def correct_scoreX(self, new_score=None, reason=""): ...
    def delete_segmentX(self, confirm=True): ...
    def reloadX(self, keep=True): ...
    def reassign_selectedX(self, owner=None): ...
'''
    tree = ast.parse(src)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    fake = Module(UI / "fake.py", tree, parents)
    saved = MODULES
    MODULES = [fake]
    added = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    for n in added:
        DEFS.setdefault(n.name, []).append((fake, n))
    try:
        found = problems()
    finally:
        MODULES = saved
        for n in added:
            DEFS[n.name] = [d for d in DEFS[n.name] if d[1] is not n]
    assert [f.split(": ", 1)[1].split(" (")[0] for f in found] == [
        "clicked passes `checked` into correct_scoreX's parameter 'new_score'",
        "triggered passes `checked` into delete_segmentX's parameter 'confirm'",
        "currentIndexChanged fills reloadX's optional parameter 'keep'",
        "triggered passes `checked` into reassign_selectedX's parameter 'owner'",
    ]
