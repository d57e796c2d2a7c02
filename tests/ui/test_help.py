"""Help: the shortcuts list shows every key the window answers to; Help ▸ User guide shows the guide."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QTextBrowser

from nps_desktop.ui.main_window import MainWindow
from nps_desktop.ui.pages import PAGES

from .dialogs import CANCEL, Answer, answering
from .loop_pages import settle
from .gestures import click

NATIVE = QKeySequence.SequenceFormat.NativeText


def menu_action(window, menu_title: str, text: str) -> QAction:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == menu_title)
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def keys_in_the_window(window) -> set[str]:
    """Every key of an action or a button in the window; Alt+letter mnemonics (underlined on screen) aside."""
    keys = set()
    for action in window.findChildren(QAction):
        keys |= {k.toString(NATIVE) for k in action.shortcuts()}
    for button in window.findChildren(QAbstractButton):
        keys.add(button.shortcut().toString(NATIVE))
    return {k for k in keys if k and not k.startswith("Alt+")}


def test_every_shortcut_in_the_window_is_listed_under_help(qtbot, demo_ws):
    w = MainWindow()
    qtbot.addWidget(w, before_close_func=lambda _: settle(qtbot))
    w.show()
    assert w.open_path(demo_ws.path)
    with answering(default=CANCEL, strict=False):         # (a page's error box must not block the test)
        for _key, title, *_ in PAGES:                     # every page built, as a person visits them
            menu_action(w, "Go", title).trigger()
            settle(qtbot)
    listed = {k for _, _, k in w.shortcuts() + w.page_shortcuts()}
    present = keys_in_the_window(w)
    assert {"Ctrl+G", "Ctrl+S"} <= present
    assert present - listed == set()

    def shows_them_all(box):
        text = box.text()
        assert all(f"<b>{k}</b>" in text for k in present)
    with answering(Answer(check=shows_them_all)):
        menu_action(w, "Help", "Keyboard shortcuts").trigger()


def test_help_user_guide_shows_the_guide(qtbot, demo_ws):
    w = MainWindow()
    qtbot.addWidget(w, before_close_func=lambda _: settle(qtbot))
    w.show()
    menu_action(w, "Help", "User guide").trigger()
    qtbot.waitUntil(lambda: getattr(w, "guide_dialog", None) is not None and w.guide_dialog.isVisible())
    browser = w.guide_dialog.findChild(QTextBrowser, "UserGuide")
    assert browser.toPlainText().startswith("NPS Desktop — user guide")
    assert "Keyboard" in browser.toPlainText() or "shortcut" in browser.toPlainText().lower()
    click(qtbot, w.guide_dialog.findChild(QAbstractButton))      # Close
    assert not w.guide_dialog.isVisible()
