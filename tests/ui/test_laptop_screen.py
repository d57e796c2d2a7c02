"""The app fits a laptop screen: at 1366×768, 1280×800 and 1280×720 no page needs a horizontal scroll bar and
the window never widens itself when you change pages or tabs.

Scaling is covered by the logical sizes: Qt lays a window out in device-independent pixels, so a 2732×1536
screen at 200% is 1366×768, a 2560×1600 screen at 200% is 1280×800 and a 1920×1080 screen at 150% is
1280×720 — the sizes below. (Before: Accounts widened the window to 1340 px, Themes to 1375, Settings to
1556; the dashboard's close-the-loop line, chart notes and the revenue tiles ran off the right edge.)

The pages are reached as a person reaches them: a click on the sidebar, a click on each tab.
"""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QTabWidget

from nps_desktop.ui import workers
from nps_desktop.ui.main_window import MainWindow
from nps_desktop.ui.pages import PAGES

from .gestures import click_tab

SCREENS = [(1366, 768), (1280, 800), (1280, 720)]


def settle(qtbot) -> None:
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not workers._running, timeout=30000)
    QApplication.processEvents()


def overflow(window: MainWindow, where: str, width: int, height: int) -> list[str]:
    """What does not fit: the window grown past the screen, the page wider than its room, a scroll area
    that scrolls sideways."""
    page = window.stack.currentWidget()
    out = []
    if window.width() > width or window.height() > height:
        out.append(f"{where}: the window grew to {window.width()}×{window.height()}")
    if page.minimumSizeHint().width() > window.stack.width():
        out.append(f"{where}: the page needs {page.minimumSizeHint().width()} px of {window.stack.width()}")
    for area in page.findChildren(QScrollArea):
        if area.isVisible() and area.widget() is not None:
            need, room = area.widget().minimumSizeHint().width(), area.viewport().width()
            if need > room or area.horizontalScrollBar().maximum() > 0:
                out.append(f"{where}: a scroll area needs {need} px of {room} (scrolls sideways)")
    return out


def click_sidebar(qtbot, window: MainWindow, row: int) -> None:
    rect = window.sidebar.visualItemRect(window.sidebar.item(row))
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot)


def open_copy(qtbot, source, tmp_path, width: int, height: int) -> MainWindow:
    """A window of ``width``×``height`` on a copy of the workspace file ``source``, its jobs settled."""
    path = tmp_path / "demo.npsdb"
    shutil.copy(source, path)
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda _: settle(qtbot))
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_path(path)
    settle(qtbot)
    return window


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_every_page_and_tab_fits_the_screen(qtbot, demo_file, tmp_path, width, height):
    window = open_copy(qtbot, demo_file, tmp_path, width, height)
    problems: list[str] = []
    for row, (key, title, *_) in enumerate(PAGES):
        click_sidebar(qtbot, window, row)
        page = window.stack.currentWidget()
        assert page is window.page(key)
        problems += overflow(window, title, width, height)
        for tabs in [t for t in page.findChildren(QTabWidget) if t.isVisible()]:
            for i in range(tabs.count()):
                if tabs.isTabEnabled(i) and tabs.isTabVisible(i):
                    click_tab(qtbot, tabs, i)
                    settle(qtbot)
                    problems += overflow(window, f"{title} ▸ {tabs.tabText(i).replace('&', '')}", width, height)
    # Accounts ▸ an account's own view (a double-click on its row)
    click_sidebar(qtbot, window, next(i for i, p in enumerate(PAGES) if p[0] == "accounts"))
    accounts = window.page("accounts")
    table = accounts.table
    rect = table.visualRect(table.model().index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())   # a double-click presses first
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot)
    assert accounts.stack.currentWidget() is accounts.account
    problems += overflow(window, "Accounts ▸ an account", width, height)
    # nothing any page built asks for more than the screen, shown or not
    hint = window.minimumSizeHint()
    if hint.width() > width:
        problems.append(f"the window's minimum width is {hint.width()} px")
    assert problems == [], "\n".join(problems)
    assert window.width() == width


def test_a_long_combo_item_elides_and_is_named_by_the_tooltip(qtbot, demo_file, tmp_path):
    """Settings ▸ Industry benchmark: its longest item no longer sets the page's width; the list shows the
    items whole and the tooltip names the chosen one."""
    window = open_copy(qtbot, demo_file, tmp_path, 1280, 800)
    click_sidebar(qtbot, window, next(i for i, p in enumerate(PAGES) if p[0] == "settings"))
    combo = window.page("settings").benchmark
    longest = max(range(combo.count()), key=lambda i: len(combo.itemText(i)))
    full = combo.fontMetrics().horizontalAdvance(combo.itemText(longest))
    assert combo.width() < full                           # the closed combo is narrower than its longest item
    assert combo.view().minimumWidth() >= full            # the drop-down list shows it whole
    combo.setFocus()
    for _ in range(longest - combo.currentIndex()):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == longest
    assert combo.itemText(longest) in combo.toolTip()
    assert combo.mapTo(window, QPoint(combo.width(), 0)).x() <= window.width()


def test_an_elided_label_shows_the_whole_text_as_its_tooltip(qtbot):
    from nps_desktop.ui.widgets.fit import ElidedLabel
    text = "NPS: the true NPS of each contact's latest response in the window — never an average score."
    label = ElidedLabel(text)
    qtbot.addWidget(label)
    label.resize(200, 20)
    label.show()
    qtbot.waitExposed(label)
    assert label.text() != text and label.text().endswith("…") and label.toolTip() == text
    assert label.fontMetrics().horizontalAdvance(label.text()) <= 200
    label.resize(label.fontMetrics().horizontalAdvance(text) + 10, 20)
    qtbot.waitUntil(lambda: label.text() == text)
    assert label.toolTip() == "" and label.minimumSizeHint().width() <= 40
