"""Every UI test collects garbage on the GUI thread, as the app does (see nps_desktop/ui/gc_guard.py)."""
from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from nps_desktop.ui import gc_guard
from nps_desktop.ui.workers import stop_all


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(qapp):
    collector = gc_guard.install(qapp)
    yield
    stop_all()  # no job of this test reports into the next one
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()  # the test's closed windows, here and now, not later in some worker thread
    collector.timer.stop()
    collector.setParent(None)
    gc.enable()  # the core tests that may follow in this process collect as usual


@pytest.fixture(autouse=True, scope="session")
def _qt_file_dialogs(qapp):
    """Qt's own file and colour dialogs, not the platform's: tests/ui/dialogs.py answers them."""
    qapp.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
