"""Opening the analysis pages (dashboard, responses, accounts) on a workspace, and waiting for them."""
from __future__ import annotations

import pytest

from nps_desktop.ui.main_window import MainWindow
from tests.core.analytics_fixture import build

from .gestures import choose_filters, go

@pytest.fixture
def fx(ws):
    """The hand-worked workspace of tests/core/analytics_fixture.py."""
    build(ws)
    return ws


def open_window(qtbot, path) -> MainWindow:
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    w.open_path(path)
    return w


def open_responses(qtbot, path):
    """The Responses page of a window on ``path`` (the ``fx`` workspace), its nine responses loaded."""
    w = open_window(qtbot, path)
    go(qtbot, w, "responses")
    page = w.page("responses")
    qtbot.waitUntil(lambda: page.model.total == 9 and len(page.model.rows) == 9, timeout=10000)
    return page


def set_scope(qtbot, page, filters) -> None:
    """Give ``page``'s filter bar ``filters`` through its controls and wait until the page shows them."""
    bar = page.filter_bar
    if bar.filters() == filters:
        return
    choose_filters(qtbot, bar, filters)
    if hasattr(page, "last_stats"):
        qtbot.waitUntil(lambda: page.last_filters == filters and page.last_stats is not None, timeout=10000)


def cells(model) -> list[list[str]]:
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
