"""What a person does with the mouse and keyboard, for the UI tests: click a list's row, pick a combo box's
item from its popup, set a filter bar through its own controls, open the import wizard from the File menu.

None of these calls a page's method: they go through the widgets, so a broken connection fails the test.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QRadioButton, QWidget

from nps_desktop.core import analytics
from nps_desktop.ui.widgets.filter_bar import CUSTOM

from .dialogs import Answer, answering

WAIT = 10000


def click(qtbot, widget: QWidget) -> None:
    """A left click on a visible, enabled widget: on a check box's or radio button's box (its middle may be
    empty space past the text)."""
    try:        # a widget just added to a shown layout is shown by a queued event: let it come
        qtbot.waitUntil(lambda: widget.isVisible() and widget.isEnabled(), timeout=2000)
    except Exception:
        raise AssertionError(f"{type(widget).__name__} {getattr(widget, 'text', str)()!r} cannot be clicked: "
                             f"{'disabled' if widget.isVisible() else 'hidden'}") from None
    scroll_to(widget)
    if isinstance(widget, (QCheckBox, QRadioButton)):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def scroll_to(widget: QWidget) -> None:
    """Scroll every scroll area holding ``widget`` until it shows, as a person scrolls before a click (a click
    lands where the window shows something: on a button scrolled out of sight it would hit another widget)."""
    from PySide6.QtWidgets import QScrollArea
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None and parent.widget().isAncestorOf(widget):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()


def click_row(qtbot, view: QAbstractItemView, row: int, column: int = 0, double: bool = False) -> None:
    """Click (or double-click) the cell ``row``, ``column`` of ``view``, as shown (the proxy's order)."""
    index = view.model().index(row, column)
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def row_where(view: QAbstractItemView, text: str, column: int = 0) -> int:
    """The shown row whose ``column`` reads ``text``."""
    model = view.model()
    rows = [r for r in range(model.rowCount()) if model.index(r, column).data() == text]
    assert rows, f"no row {text!r} in {[model.index(r, column).data() for r in range(model.rowCount())]}"
    return rows[0]


def pick(qtbot, combo: QComboBox, data=None, text: str | None = None, index: int | None = None) -> None:
    """Open ``combo``'s list and click the item holding ``data`` (or reading ``text``, or at ``index``):
    ``activated`` fires once, as when a person picks it."""
    i = index if index is not None else combo.findText(text) if text is not None else combo.findData(data)
    assert i >= 0, f"no item {data if text is None else text!r} in {[combo.itemText(j) for j in range(combo.count())]}"
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=WAIT)
    index = view.model().index(i, combo.modelColumn())
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=WAIT)
    assert combo.currentIndex() == i


def choose_filters(qtbot, bar, filters: analytics.Filters) -> None:
    """Give a filter bar ``filters`` through its controls: the period list (a preset, or "Custom range…" and
    the two dates typed), then each field's values ticked in its menu."""
    if filters.preset or not (filters.date_from or filters.date_to):
        key = filters.preset or "all_time"
        if bar.period.currentData() != key:
            pick(qtbot, bar.period, key)
    else:
        if bar.period.currentData() != CUSTOM:
            pick(qtbot, bar.period, CUSTOM)
        for edit, day in ((bar.date_from, filters.date_from), (bar.date_to, filters.date_to)):
            if day is not None:
                edit.setDate(QDate(day))      # as typing the date does: dateChanged, then the pause
    for dim, values in filters.values.items():
        button = bar.buttons[dim]
        qtbot.waitUntil(lambda b=button, v=values: set(v) <= set(b.choices) or dim == "kind", timeout=WAIT)
        for value in values:
            if value not in button.selected():
                action = next(a for a in button.menu_.actions()
                              if a.isCheckable() and a.text() in (value, analytics.KIND_LABELS.get(value)))
                action.trigger()
    qtbot.waitUntil(lambda: bar.filters() == filters and not bar._debounce.isActive(), timeout=WAIT)


def import_through_menu(qtbot, window, path: Path | str):
    """File ▸ Import a spreadsheet…, the file chosen in the real file dialog: the wizard, its preview read."""
    with answering(Answer(fill={"file": str(path)})):
        window.importer.action.trigger()
    wiz = window.importer.wizard
    assert wiz is not None and Path(wiz.path) == Path(path)
    qtbot.addWidget(wiz)
    qtbot.waitUntil(lambda: wiz.preview is not None or bool(wiz.preview_page.problem.text()), timeout=WAIT)
    return wiz


def go(qtbot, window, key: str) -> QWidget:
    """Go ▸ <page>, as its Ctrl+<n> shortcut does; the page."""
    from nps_desktop.ui.pages import PAGES
    row = next(i for i, p in enumerate(PAGES) if p[0] == key)
    window.go_menu.actions()[row].trigger()
    page = window.page(key)
    assert window.stack.currentWidget() is page
    return page


def click_tab(qtbot, tabs, index: int | str) -> None:
    """Click the tab ``index`` (or the one reading ``index``, without its "&") of a QTabWidget."""
    if isinstance(index, str):
        names = [tabs.tabText(i).replace("&", "") for i in range(tabs.count())]
        assert index in names, f"no tab {index!r} in {names}"
        index = names.index(index)
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def click_link(qtbot, label, href: str) -> None:
    """Click the link to ``href`` in a rich-text QLabel: found by moving the mouse over the label until it
    says it hovers that link (``linkHovered``), then clicked there."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication
    hovered: list[str] = []
    label.linkHovered.connect(hovered.append)
    try:
        for y in range(2, label.height(), 4):
            for x in range(2, label.width(), 4):
                move = QMouseEvent(QEvent.Type.MouseMove, QPointF(x, y), label.mapToGlobal(QPointF(x, y)),
                                   Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
                QApplication.sendEvent(label, move)
                if hovered and hovered[-1] == href:
                    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
                    return
    finally:
        label.linkHovered.disconnect(hovered.append)
    raise AssertionError(f"no link to {href!r} in {label.text()!r}")


def refresh(window) -> None:
    """Go ▸ Refresh (F5): what a person presses after another program changed the workspace."""
    next(a for a in window.go_menu.actions() if a.text().replace("&", "") == "Refresh").trigger()


def export_table(page: QWidget, out: Path, index: int = 0) -> None:
    """The ``index``-th visible "Export" button of ``page``: its .csv or .xlsx item (by ``out``'s suffix),
    ``out`` typed in the file dialog."""
    from PySide6.QtWidgets import QToolButton
    buttons = [b for b in page.findChildren(QToolButton) if b.text().strip() == "Export" and b.isVisible()]
    item = {".csv": "CSV file (.csv)…", ".xlsx": "Excel workbook (.xlsx)…"}[Path(out).suffix]
    with answering(Answer(fill={"file": str(out)})):
        next(a for a in buttons[index].menu().actions() if a.text() == item).trigger()


def tick(qtbot, box, checked: bool = True) -> None:
    """Click a check box (or checkable button) until it reads ``checked``; it must be enabled."""
    assert box.isEnabled(), box.text()
    if box.isChecked() != checked:
        click(qtbot, box)
    assert box.isChecked() == checked, box.text()


def tick_item(qtbot, view: QAbstractItemView, row: int) -> None:
    """Click the check box of a list's item ``row``."""
    index = view.model().index(row, 0)
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y()))
