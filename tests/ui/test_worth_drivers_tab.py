"""The Themes page's Key drivers tab shows core.worth.drivers for the chosen scope, greying the doubtful."""
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from nps_desktop.core import analytics
from nps_desktop.core.worth import drivers
from nps_desktop.ui.pages.themes import ThemesPage
from nps_desktop.ui.session import Session

from .dialogs import Answerer
from .loop_pages import settle

TODAY = date(2026, 11, 23)


def test_key_drivers_on_the_demo(qtbot, demo_ws):
    session = Session()
    session.open_path(demo_ws.path)
    page = ThemesPage(session)
    boxes = Answerer([]).start()      # no box is expected: one that opens is closed and reported
    page.today = TODAY
    qtbot.addWidget(page)
    page.resize(1300, 850)
    page.show()
    bar = page.tabs.tabBar()
    index = next(i for i in range(page.tabs.count()) if page.tabs.tabText(i) == "&Key drivers")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert page.tabs.currentWidget() is page.key_drivers
    qtbot.waitUntil(lambda: page.key_drivers.last is not None or bool(boxes.seen), timeout=30000)
    boxes.stop()
    assert boxes.seen == []
    scope = analytics.resolve(demo_ws, page.filters(), TODAY)
    expected = drivers.key_drivers(demo_ws, scope)
    assert page.key_drivers.last == expected
    m = page.key_drivers.model
    assert [m.data(m.index(i, 0)) for i in range(m.rowCount())] == \
        [d["label"] for d in expected["drivers"]]
    for i, d in enumerate(expected["drivers"]):
        color = m.data(m.index(i, 6), Qt.ItemDataRole.ForegroundRole)
        assert (color is not None and QColor(color).name() == "#9ca3af") == d["uncertain"]
        assert m.data(m.index(i, 6)) == f"{d['impact']:+.1f}"
    impacts = [abs(d["impact"]) for d in expected["drivers"]]
    assert impacts == sorted(impacts, reverse=True)
    assert any(d["uncertain"] for d in expected["drivers"])
    settle(qtbot)
    session.close()
