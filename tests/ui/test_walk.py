"""A walk over the whole app: every page, a row selected in every list, every enabled button, menu item and
menu of a tool button triggered, whatever it opens cancelled.

Asserted after each item: no exception (pytest-qt fails the test on one raised in a slot; ``sys.excepthook``
is watched too), no error box (a warning or critical QMessageBox, the app's error dialog), and an item whose
text ends in "…" opened a dialog. The workspace's data — every table's row count and a hash of its rows —
is unchanged after an item whose dialog was cancelled, and after any item not in ``ACTS_AT_ONCE`` (the
buttons that change data without asking, by design: "Done", "Save play", …); it is recomputed only when the
file may have changed (``DataWatch``). Accepting the dialogs is ``test_walk_accept.py``. No table is left out: opening
pages writes no view state into the workspace (window geometry and recent files live in ``Prefs``, outside
it). File dialogs are Qt's own (``AA_DontUseNativeDialogs``; the app creates them with the static
``QFileDialog`` functions), so the answerer can cancel them like any other modal dialog.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import sys
import time

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QDialog, QMenu, QPushButton,
                               QToolButton)

from nps_desktop.ui import workers
from nps_desktop.ui.main_window import MainWindow
from nps_desktop.ui.pages import PAGES

from .dialogs import CANCEL, Answerer, visible_dialogs
from .gestures import click_row

#: Left out, with the reason: they quit, switch to another workspace or open another program.
SKIPPED = {
    "Quit": "closes the app",
    "Open the demo": "switches to another workspace",
    "Open PDF": "opens an external program",
    "Open recent": "switches to another workspace",
}
#: Buttons that change data at once, without a dialog, by design (the walk lets them).
ACTS_AT_ONCE = {"In progress", "Done", "Reopen", "Assign", "Save notes (Ctrl+Return)", "Save play",
                "Save cut-off", "Save rules", "Restore defaults", "Save program", "New program", "Plan",
                "Save settings", "Remove logo", "Save theme", "New theme", "Match responses", "Back up now",
                "Regenerate from the figures", "Check workspace", "Restore default dictionary…", "Save",
                "Remove", "Save words"}


def fingerprint(path) -> dict[str, tuple[int, str]]:
    """Each table: its row count and a hash of its rows in rowid order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"):
            h = hashlib.sha256()
            n = 0
            for row in conn.execute(f'SELECT * FROM "{name}"'):
                h.update(repr(tuple(row)).encode())
                n += 1
            out[name] = (n, h.hexdigest())
        return out
    finally:
        conn.close()


class DataWatch:
    """The workspace's fingerprint, recomputed only when the file may have changed: SQLite's ``data_version``
    (which changes whenever another connection commits) or the database's or its WAL's inode, size or
    modification time moved. Reading every table before and after each of ~180 items took most of the
    walk's time; an item that commits nothing keeps both unchanged, so its data is the same."""

    def __init__(self, path):
        self.path = path
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.state = self._state()
        self.print = fingerprint(path)
        self.computed = 1

    def _state(self) -> tuple:
        stats = []
        for p in (str(self.path), f"{self.path}-wal"):
            try:
                st = os.stat(p)
                stats.append((st.st_ino, st.st_size, st.st_mtime_ns))
            except FileNotFoundError:
                stats.append(None)
        return (self.conn.execute("PRAGMA data_version").fetchone()[0], *stats)

    def current(self) -> dict[str, tuple[int, str]]:
        state = self._state()
        if state != self.state:
            self.state, self.print = state, fingerprint(self.path)
            self.computed += 1
        return self.print

    def close(self) -> None:
        self.conn.close()


def settle(qtbot) -> None:
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not workers._running, timeout=30000)
    QApplication.processEvents()


def label(obj) -> str:
    return obj.text().replace("&", "").strip()


def items_of(widget) -> list:
    """The enabled, visible buttons of ``widget`` and the actions of its tool buttons' menus."""
    out: list = []
    for b in widget.findChildren(QAbstractButton):
        if not (b.isVisible() and b.isEnabled()) or isinstance(b.parent(), QDialog):
            continue
        menu = b.menu() if isinstance(b, (QToolButton, QPushButton)) else None
        if menu is not None:
            out += [a for a in _menu_actions(menu)]
        elif label(b) and b.metaObject().className() not in ("QTabBar", "QCheckBox", "QRadioButton"):
            if b.isCheckable() and not isinstance(b, QPushButton):
                continue
            out.append(b)
    return out


def _menu_actions(menu: QMenu) -> list:
    out = []
    for a in menu.actions():
        if a.isSeparator() or not a.isEnabled() or not label(a):
            continue
        if a.menu() is not None:
            out += _menu_actions(a.menu())
        elif not a.isCheckable():
            out.append(a)
    return out


def select_rows(widget) -> int:
    n = 0
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        if view.isVisible() and model is not None and model.rowCount() and view.selectionModel() is not None:
            view.selectionModel().setCurrentIndex(
                model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            n += 1
    return n


class Walk:
    def __init__(self, qtbot, window: MainWindow, path, answerer: Answerer):
        self.qtbot, self.window, self.path, self.answerer = qtbot, window, path, answerer
        self.data = DataWatch(path)
        self.done: set[str] = set()
        self.count = 0
        self.problems: list[str] = []

    def trigger(self, where: str, item) -> None:
        text = label(item)
        key = f"{where} ▸ {text}"
        if key in self.done or text in SKIPPED or not text:
            return
        self.done.add(key)
        before, seen = self.data.current(), len(self.answerer.seen)
        shown_before = {id(d) for d in visible_dialogs()}
        item.trigger() if not isinstance(item, QAbstractButton) else item.click()
        settle(self.qtbot)
        opened = [d for d in visible_dialogs() if id(d) not in shown_before]
        for d in opened:      # a dialog that is not modal: closed like a modal one
            d.reject()
        settle(self.qtbot)
        self.count += 1
        new = self.answerer.seen[seen:]
        errors = [s for s in new if s.is_error]
        if errors:
            self.problems.append(f"{key}: an error box: {errors}")
        if text.endswith("…") and not new and not opened:
            self.problems.append(f"{key}: ends in '…' but opened no dialog")
        if (new or opened or text not in ACTS_AT_ONCE) and self.data.current() != before:
            changed = [t for t, v in self.data.current().items() if before.get(t) != v]
            self.problems.append(f"{key}: changed the data ({', '.join(changed)}) though "
                                 + ("its dialog was cancelled" if new or opened else "it is not meant to"))

    def page(self, key: str, title: str) -> None:
        row = next(i for i, p in enumerate(PAGES) if p[0] == key)
        go = self.window.go_menu.actions()[row]       # Go ▸ <page>, as Ctrl+<n> does
        assert label(go) == title
        sidebar = self.window.sidebar                 # the page is chosen with a click on the sidebar
        assert sidebar.item(row).text().replace("&", "").strip() == title
        click_row(self.qtbot, sidebar, row)
        settle(self.qtbot)
        page = self.window.stack.currentWidget()
        assert page is self.window.page(key), f"a click on the sidebar's {title!r} did not open it"
        select_rows(page)
        settle(self.qtbot)
        for item in items_of(page):
            enabled = item.isEnabled() and (not isinstance(item, QAbstractButton) or item.isVisible())
            if not enabled:     # an item before it reloaded the page: select the rows again
                select_rows(page)
                settle(self.qtbot)
                if not item.isEnabled():
                    continue
            self.trigger(title, item)
            if self.window.stack.currentWidget() is not page:   # a button that opens another page
                go.trigger()
                settle(self.qtbot)

    def menus(self) -> None:
        for menu_action in self.window.menuBar().actions():
            menu = menu_action.menu()
            menu.popup(self.window.mapToGlobal(self.window.rect().center()))   # Open recent fills itself
            menu.hide()
            for action in _menu_actions(menu):
                self.trigger(label(menu_action), action)


@pytest.fixture
def walk_window(qtbot, monkeypatch):
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    hooked: list = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: hooked.append(exc))
    w = MainWindow()
    qtbot.addWidget(w, before_close_func=lambda _: settle(qtbot))
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    yield w, hooked


def run_walk(qtbot, w, path):
    answerer = Answerer([], default=CANCEL).start()
    try:
        assert w.open_path(path)
        settle(qtbot)
        walk = Walk(qtbot, w, path, answerer)
        for key, title, *_ in PAGES:
            walk.page(key, title)
        walk.menus()
        assert walk.data.current() == fingerprint(path)     # the watch missed no change
    finally:
        answerer.stop()
        if "walk" in locals():
            walk.data.close()
    assert not answerer.errors, answerer.errors
    return walk


def test_walk_the_demo(walk_window, qtbot, demo_file, tmp_path):
    w, hooked = walk_window
    path = tmp_path / "walk.npsdb"
    shutil.copy(demo_file, path)        # the walk never spoils the shared demo
    start = time.perf_counter()
    walk = run_walk(qtbot, w, path)
    print(f"walk over the demo: {walk.count} items in {time.perf_counter() - start:.1f} s")
    print("\n".join(walk.problems))
    assert walk.problems == [] and hooked == []
    assert walk.count >= 50


def test_walk_an_empty_workspace(walk_window, qtbot, tmp_path):
    from nps_desktop.core.workspace import open_workspace
    w, hooked = walk_window
    path = tmp_path / "empty.npsdb"
    open_workspace(path).close()
    walk = run_walk(qtbot, w, path)
    print(f"walk over an empty workspace: {walk.count} items")
    assert walk.problems == [] and hooked == []
