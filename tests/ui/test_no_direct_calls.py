"""No UI test calls a handler directly: the tests under tests/ui click, type and answer real dialogs.

A test that calls ``page.correct_score(8)`` or patches ``QInputDialog.getItem`` passes while the button a
person clicks is broken (issue 17). This test reads every module of tests/ui (but the two helpers that do
the clicking and answering, ``dialogs.py`` and ``gestures.py``) and fails on

- a dialog patched instead of answered: ``monkeypatch.setattr(QMessageBox, ...)``, ``QFileDialog``,
  ``QInputDialog``, ``QColorDialog``, …, or a UI module patched by name (``"nps_desktop.ui…"``);
- a page's method patched or replaced: ``monkeypatch.setattr(page, ...)``, ``page.show_error = lambda …``;
- a signal emitted by hand (``.emit(``) or a private method of the UI called (``._select_theme(``,
  ``._progress(`` — any ``_name`` defined in nps_desktop/ui);
- a widget's state set by the program (``setCurrentIndex``, ``setChecked``, ``selectRow``, a button's
  ``click()``, which presses a hidden one too, …) rather than
  picked, ticked or clicked (but in ``SETTERS_ALLOWED``);
- a public method of a page, dialog or window of nps_desktop/ui called, unless it only reads (``filters()``,
  ``selected_ids()``, …) or is in ``ALLOWED`` with its reason (``show_stats``, ``select_batch``,
  ``show_page``, ``generate``, ``importer.open``, ``set_filters`` … are not).

The same check by hand, from the repository's root (coarser: it also lists the walk's own selection,
a test's private helpers and core functions such as ``workspace._trust``, which this test tells apart by
reading which names nps_desktop/ui defines; on the tests before this work it lists 152 lines, the test 165)::

    grep -nE 'monkeypatch\\.setattr\\(.*(QMessageBox|Q[A-Za-z]*Dialog|nps_desktop\\.ui|page|window)|\\.emit\\(|\\._[a-z]\\w*\\(|= lambda|\\.(show_stats|select_batch|show_page|set_filters|generate|export_model)\\(|importer\\.open\\(|\\.(setCurrentIndex|setChecked|setCheckState|selectRow|setCurrentRow)\\(|\\.click\\(\\)' tests/ui/*.py

Use ``tests/ui/gestures.py`` (``click_row``, ``pick``, ``choose_filters``, ``go``, ``refresh``,
``import_through_menu``, ``click_link``, ``export_table``, ``tick``, ``click``) and ``tests/ui/dialogs.py``
(``answering``) instead.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
HELPERS = {"dialogs.py", "gestures.py", Path(__file__).name}

#: Methods of nps_desktop/ui a test may call, and why.
ALLOWED = {
    "open_path": "opens the workspace under test, as `nps-desktop FILE` does at start",
    "filters": "reads the filter bar's scope", "current_segment": "reads", "selected_ids": "reads",
    "selected_row": "reads", "selected_batch": "reads", "selected_wave": "reads", "current_action": "reads",
    "range": "reads the planner's dates", "default_pack_name": "reads", "page_shortcuts": "reads",
    "shortcuts": "reads", "recent": "reads the preferences", "add_recent": "a preference written in a subprocess",
    "click_point": "where a chart's category sits on screen, to click it",
    "export_menu": "the menu a right-click on a chart shows, whose items are then triggered",
    "set_query": "the responses model's own test (the model, not a page)",
    "set_counts": "the distribution chart's own test feeds the chart its data (the chart, not a page)",
    "set_data": "the trend chart's own test feeds the chart its data (the chart, not a page)",
    "uninstall": "the error reporter's hooks, removed after its test",
    "set": "threading.Event.set in a staged import",
    "query": "reads the workspace (Workspace.query)", "current": "reads the snapshot store (core)",
    "run": "subprocess.run", "day": "reads the planner's calendar model",
}

#: The Qt classes whose methods a test calls on the app's widgets (reading them, or as a person's input does).
QT_CLASSES = """QMainWindow QDialog QWizard QWizardPage QMessageBox QFileDialog QInputDialog QSortFilterProxyModel
QAbstractTableModel QStandardItemModel QTableView QListWidget QTreeView QLabel QLineEdit QPlainTextEdit
QTextBrowser QComboBox QPushButton QToolButton QCheckBox QRadioButton QSpinBox QDoubleSpinBox QDateEdit QTabWidget
QMenu QAction QToolBar QStatusBar QSplitter QScrollArea QStackedWidget QProgressBar QProgressDialog QTimer
QTextDocument QSettings QImage QPixmap QColor QClipboard QStyle"""

PATTERNS = {
    "a wizard or dialog moved by its method, not its buttons":
        re.compile(r"\b(wiz|wizard|again|dialog|box)\.(next|back|accept|reject|done|restart)\("),
    "a dialog patched instead of answered":
        re.compile(r"monkeypatch\.setattr\([^\n]*\b(QMessageBox|Q[A-Za-z]*Dialog)\b"),
    "a UI module patched by name": re.compile(r"monkeypatch\.setattr\(\s*[\"']nps_desktop\.ui"),
    "a page's method patched": re.compile(
        r"monkeypatch\.setattr\(\s*(page|p|w|window|wiz|wizard|dialog|editor|bar|panel|page_module)\b"),
    "a method replaced by a lambda": re.compile(r"\b\w+\.\w+\s*=\s*lambda\b"),
    "a signal emitted by hand": re.compile(r"\.emit\("),
    "a table exported without its button": re.compile(r"\bexport_model\("),
    "the import wizard opened without File ▸ Import": re.compile(r"\bimporter\.open\("),
}


#: A widget's state set by the program: a click or a key (gestures.py: ``pick``, ``tick``, ``click_row``,
#: ``click_tab``) also checks that the widget is there, visible and enabled, and fires the user's signals.
SETTERS = re.compile(r"\.(setCurrentIndex|setChecked|setCheckState|selectRow|setCurrentRow|setCurrentText)\(|"
                     r"\.click\(\)")   # QAbstractButton.click() presses a hidden button too
#: Modules that may set widgets directly, and why.
SETTERS_ALLOWED = {
    "test_walk.py": "selects a row in every list through the selection model: a click on some tables opens "
                    "another page, which the walk would then not be walking; it clicks only the buttons it found "
                    "visible and enabled",
    "test_walk_accept.py": "clicks only the buttons the walk's items_of found visible and enabled",
    "test_display_names.py": "selects the first row of every list as the walk does, so detail panels show; "
                             "it only reads what is then on screen",
}


def _ui_methods() -> tuple[set[str], set[str]]:
    """The names of the methods defined in nps_desktop/ui's classes: (private, public but not Qt's)."""
    from PySide6 import QtCore, QtGui, QtWidgets
    import pyqtgraph as pg
    names: set[str] = set()
    for path in (ROOT / "nps_desktop" / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                names |= {b.name for b in node.body if isinstance(b, ast.FunctionDef)}
    qt: set[str] = set(dir(pg.PlotWidget)) | set(dir(dict)) | set(dir(list))
    for name in QT_CLASSES.split():
        cls = getattr(QtWidgets, name, None) or getattr(QtCore, name, None) or getattr(QtGui, name)
        qt |= set(dir(cls))
    private = {n for n in names if n.startswith("_") and not n.startswith("__")}
    public = {n for n in names if not n.startswith("_")} - qt - set(ALLOWED)
    return private, public


def problems(text: str, private: set[str], public: set[str], setters: bool = True) -> list[str]:
    """Each line of ``text`` that calls a handler directly, with what it does."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0]
        if setters and SETTERS.search(code):
            out.append(f"{number}: a widget set by the program, not clicked: {line.strip()}")
        for what, pattern in PATTERNS.items():
            if pattern.search(code):
                out.append(f"{number}: {what}: {line.strip()}")
        for name in re.findall(r"\.(\w+)\(", code):
            if name in private:
                out.append(f"{number}: a private method of the UI called ({name}): {line.strip()}")
            elif name in public:
                out.append(f"{number}: a UI method called, not its widget ({name}): {line.strip()}")
    return out


@pytest.fixture(scope="module")
def ui_methods():
    return _ui_methods()


def test_no_ui_test_calls_a_handler(ui_methods):
    found = {path.name: problems(path.read_text(encoding="utf-8"), *ui_methods,
                                 setters=path.name not in SETTERS_ALLOWED)
             for path in sorted(HERE.glob("*.py")) if path.name not in HELPERS}
    found = {name: lines for name, lines in found.items() if lines}
    assert found == {}, "\n".join(f"{name}:{line}" for name, lines in found.items() for line in lines)


#: Lines the UI tests held before issue 17's conversion: each must still be caught.
REMOVED = [
    'page.show_stats({"stats": reliable, "goal": None, "filters": page.last_filters})',
    'p._select_theme("support")',
    'p._select_dictionary_row("pricing")',
    "page.select_batch(rev.batch_id)",
    "page._progress(3, 10)",
    "page._apply(lambda c: act.set_status(c, 99, 'done'))",
    'monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#7A1F3D"))',
    'monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))',
    'monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, o=out, k=kind, **kw: (str(o), k))',
    'monkeypatch.setattr("nps_desktop.ui.import_wizard.QFileDialog.getOpenFileName", lambda *a, **k: (p, ""))',
    'monkeypatch.setattr(page_module.QInputDialog, "getItem", lambda *args: ("Zed", True))',
    'monkeypatch.setattr(window.importer, "open", lambda path=None, kind=None: opened.append(kind))',
    'monkeypatch.setattr(page, "show_error", lambda message, details="": shown_errors.append(message))',
    'p.show_error = lambda message, details="": errors.append(message)',
    "wiz = window.importer.open(path)",
    'window.getting_started.requested.emit("accounts")',
    "page.trend.clicked.emit(11)",
    "wizard.next()",
    'reports.generate(tmp_path / "pack.pdf")',
    'window.show_page("imports")',
    "page.filter_bar.set_filters(H1)",
    'export_model(page, page.segments_proxy, "segments", suffix, path=out)',
    "window.safety.restore(path, dialog.chosen)",
    "page.session.notify_changed()",
    "mp.confirm.setChecked(True)",
    'page.outcome_edit.setCurrentIndex(page.outcome_edit.findData("recovered"))',
    "page.table.selectRow(row)",
    "window.sidebar.setCurrentRow(2)",
    "p.trend_list.item(0).setCheckState(Qt.CheckState.Unchecked)",
    "page.save_button.click()",
]


@pytest.mark.parametrize("line", REMOVED)
def test_the_removed_calls_would_be_caught(ui_methods, line):
    assert problems(f"    {line}\n", *ui_methods), line
