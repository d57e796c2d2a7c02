"""Opening one page of the main window on a workspace, with a fixed "today" (actions and revenue tests)."""
from __future__ import annotations

from datetime import date

from nps_desktop.ui.main_window import MainWindow


def open_page(qtbot, ws, key: str, today: date):
    """The main window, shown, on ``ws``, showing page ``key`` (built with ``today``); returns both."""
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.open_path(ws.path)
    page = w.page(key)
    page.today = today
    w.show_page(key)
    return w, page
