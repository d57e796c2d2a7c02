"""The CI's own checks: the mypy ratchet's counting and the import contracts (scripts/)."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from scripts import check_imports, check_types

MYPY_OUTPUT = """\
nps_desktop/core/a.py:3: error: Incompatible types in assignment  [assignment]
nps_desktop/core/a.py:9:5: error: Item "None" has no attribute "x"  [union-attr]
nps_desktop/core/a.py:9: note: See https://mypy.readthedocs.io
nps_desktop/ui/b.py:1: error: Need type annotation for "keys"  [var-annotated]
Found 3 errors in 2 files (checked 5 source files)
"""


def test_errors_are_counted_per_file_and_notes_are_not():
    assert check_types.count_errors(MYPY_OUTPUT) == Counter({"nps_desktop/core/a.py": 2, "nps_desktop/ui/b.py": 1})


def test_the_ratchet_fails_on_more_errors_a_dirtied_clean_module_or_a_new_module():
    found = Counter({"a.py": 3, "clean.py": 1, "new.py": 1, "better.py": 1})
    worse, better = check_types.compare(found, {"a.py": 2, "better.py": 4, "fixed.py": 2})
    assert worse == ["a.py: 3 type errors (allowed 2)", "clean.py: 1 type errors (clean)",
                     "new.py: 1 type errors (clean)"]
    assert better == ["better.py: 1 type errors (baseline 4)", "fixed.py: 0 type errors (baseline 2)"]


def test_the_ratchet_lets_equal_and_lower_counts_pass():
    worse, better = check_types.compare(Counter({"a.py": 2}), {"a.py": 2})
    assert (worse, better) == ([], [])


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_imports_inside_functions_count_for_layers_and_cycles(tmp_path):
    root = _package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/core/__init__.py": "",
        "pkg/core/a.py": "def f():\n    from . import b\n",
        "pkg/core/b.py": "from .a import f\n",
        "pkg/core/c.py": "def g():\n    import PySide6.QtCore\n    from ..ui import page\n",
        "pkg/ui/__init__.py": "",
        "pkg/ui/page.py": "from ..core import c\n",
    })
    layers = (("pkg.core", ("pkg.ui", "PySide6")),)
    problems = check_imports.check(root, "pkg", layers, ())
    assert problems == [
        "pkg.core.c (line 2) imports PySide6.QtCore: pkg.core must not import PySide6",
        "pkg.core.c (line 3) imports pkg.ui.page: pkg.core must not import pkg.ui",
        "import cycle: pkg.core.a ↔ pkg.core.b",
        "import cycle: pkg.core.c ↔ pkg.ui.page",
    ]


def test_type_checking_imports_make_no_cycle_and_relative_imports_resolve(tmp_path):
    root = _package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/core/__init__.py": "",
        "pkg/core/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n",
        "pkg/core/b.py": "from . import a\nfrom .. import core\nB = 1\n",
        "pkg/core/sub/__init__.py": "from ..a import *\n",
    })
    found = {(i.source, i.target, i.runs) for name, path in check_imports.modules(root, "pkg").items()
             for i in check_imports.imports_of(name, path, set(check_imports.modules(root, "pkg")))}
    assert ("pkg.core.a", "pkg.core.b", False) in found
    assert ("pkg.core.b", "pkg.core.a", True) in found
    assert ("pkg.core.b", "pkg.core", True) in found
    assert ("pkg.core.sub", "pkg.core.a", True) in found
    assert check_imports.check(root, "pkg", (), ()) == []


def test_the_bottom_layers_import_nothing_above_them(tmp_path):
    root = _package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/store.py": "from . import basics\n\ndef f():\n    from . import feature\n",
        "pkg/basics.py": "import json\n",
        "pkg/helper.py": "from . import basics\n",
        "pkg/feature.py": "from . import store\n",
    })
    lower = (("the store", ("pkg.store",)), ("the basics", ("pkg.basics", "pkg.helper")))
    assert check_imports.check(root, "pkg", (), lower) == [
        "pkg.store (line 4) imports pkg.feature: the store imports only itself and what is below it",
        "import cycle: pkg.feature ↔ pkg.store",
    ]
    (root / "pkg/basics.py").write_text("from . import store\n", encoding="utf-8")
    (root / "pkg/store.py").write_text("", encoding="utf-8")
    assert check_imports.check(root, "pkg", (), lower) == [
        "pkg.basics (line 1) imports pkg.store: the basics imports only itself and what is below it"]


def test_the_package_keeps_its_import_contracts():
    assert check_imports.check() == []


def test_update_writes_the_lower_counts_and_refuses_while_a_count_is_above(tmp_path, monkeypatch, capsys):
    baseline = tmp_path / "baseline.json"
    monkeypatch.setattr(check_types, "BASELINE", baseline)
    monkeypatch.setattr(check_types, "run_mypy", lambda: MYPY_OUTPUT)
    baseline.write_text('{"nps_desktop/core/a.py": 5, "nps_desktop/ui/b.py": 1, "gone.py": 2}')
    assert check_types.main([]) == 0
    assert "nps_desktop/core/a.py: 2 type errors (baseline 5)" in capsys.readouterr().out
    assert check_types.main(["--update"]) == 0
    assert json.loads(baseline.read_text()) == {"nps_desktop/core/a.py": 2, "nps_desktop/ui/b.py": 1}

    baseline.write_text('{"nps_desktop/core/a.py": 1}')
    assert check_types.main(["--update"]) == 1
    assert "nps_desktop/ui/b.py: 1 type errors (clean)" in capsys.readouterr().err
    assert json.loads(baseline.read_text()) == {"nps_desktop/core/a.py": 1}
    assert check_types.main(["--reset"]) == 0
    assert json.loads(baseline.read_text()) == {"nps_desktop/core/a.py": 2, "nps_desktop/ui/b.py": 1}
