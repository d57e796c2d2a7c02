"""Opening one page of the main window on a workspace, with a fixed "today" (actions and revenue tests)."""
from __future__ import annotations

from datetime import date

from nps_desktop.ui import workers
from nps_desktop.ui.main_window import MainWindow
from .gestures import go


def open_page(qtbot, ws, key: str, today: date):
    """The main window, shown, on ``ws``, showing page ``key`` (built with ``today``); returns both."""
    w = MainWindow()
    # pytest-qt closes widgets before fixtures are torn down: let the jobs report back first
    qtbot.addWidget(w, before_close_func=lambda _: settle(qtbot))
    w.show()
    qtbot.waitExposed(w)
    w.open_path(ws.path)
    page = w.page(key)
    page.today = today
    go(qtbot, w, key)
    return w, page


def settle(qtbot) -> None:
    """Wait until every background job has reported back, so that none outlives its window."""
    qtbot.waitUntil(lambda: not workers._running, timeout=10000)
