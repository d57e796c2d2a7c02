"""Cancel while a bulk import builds its indexes: the bar is counted, Cancel is enabled, and a click on it
rolls the whole import back (pytest-qt, the real wizard and its Cancel button)."""
from __future__ import annotations

import threading

from PySide6.QtWidgets import QWizard

from nps_desktop.core.importing import importer, writers
from nps_desktop.ui.main_window import MainWindow
from tests.core import import_files as F
from tests.ui.gestures import click, tick
from tests.ui.test_import_wizard import WAIT, click_next, open_wizard


def test_cancel_while_the_indexes_are_built_rolls_everything_back(qtbot, ws, tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "BULK_MIN_ROWS", 1)   # a small file takes the bulk path
    reached, gate = threading.Event(), threading.Event()
    real = importer._build_indexes

    def gated(conn, indexes, rows, part, progress, cancelled):
        if indexes:   # the commit (a dry run builds none): hold it inside the index build
            progress(rows, rows + len(indexes) * part)
            reached.set()
            gate.wait(WAIT / 1000)
        return real(conn, indexes, rows, part, progress, cancelled)

    monkeypatch.setattr(importer, "_build_indexes", gated)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_path(ws.path)
    before = F.dump(ws.conn, bookkeeping=True)
    indexes = ws.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")

    wiz = open_wizard(qtbot, window, F.delighted(tmp_path))
    click_next(qtbot, wiz)
    tick(qtbot, wiz.mapping_page.confirm)
    click_next(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.summary_page.result is not None, timeout=WAIT)
    click(qtbot, wiz.button(QWizard.WizardButton.CommitButton))   # "Import"
    page = wiz.result_page
    qtbot.waitUntil(reached.is_set, timeout=WAIT)
    qtbot.waitUntil(lambda: page.progress.maximum() > 5, timeout=WAIT)   # rows, then one part per index
    assert page.cancel_button.isEnabled()
    click(qtbot, page.cancel_button)
    gate.set()
    qtbot.waitUntil(lambda: page.failed is not None, timeout=WAIT)
    assert page.failed == "Cancelled: nothing was imported."
    assert F.dump(ws.conn, bookkeeping=True) == before
    assert [tuple(r) for r in ws.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")] \
        == [tuple(r) for r in indexes]
    assert ws.scalar("PRAGMA foreign_keys") == 1
