"""Fitting a laptop screen (1366×768, 1280×800, and 1920×1080 at 150%, i.e. 1280×720 logical): no widget
asks for more width than a page has.

A combo box sized to its longest item (Qt's default) made the Settings page 1,370 px wide and the planner's
programs 1,165 px: one long benchmark or target name widened the whole window. ``fit_combos`` caps every
combo of a page at ``MAX_CHARS`` characters: a longer item is elided in the closed combo, shown whole in its
drop-down list, and named by the combo's tooltip. ``ElidedLabel`` is a one-line label that elides to its width
and shows the whole text as its tooltip.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QWidget

#: The most characters a combo box asks room for; longer items elide (the list shows them whole).
MAX_CHARS = 24
_OWN_TIP = "fit_own_tooltip"   # a combo's own tooltip, kept when the current item's text is not needed there


def longest_item(combo: QComboBox) -> int:
    return max((len(combo.itemText(i)) for i in range(combo.count())), default=0)


def fit_combo(combo: QComboBox, max_chars: int = MAX_CHARS) -> None:
    """Cap ``combo``'s width at about ``max_chars`` characters, now and whenever its items change."""
    if combo.property(_OWN_TIP) is None:
        combo.setProperty(_OWN_TIP, combo.toolTip())
        model = combo.model()
        model.rowsInserted.connect(lambda *_, c=combo, n=max_chars: _adjust(c, n))
        model.rowsRemoved.connect(lambda *_, c=combo, n=max_chars: _adjust(c, n))
        model.modelReset.connect(lambda c=combo, n=max_chars: _adjust(c, n))
        combo.currentIndexChanged.connect(lambda *_, c=combo, n=max_chars: _tip(c, n))
    _adjust(combo, max_chars)


def _adjust(combo: QComboBox, max_chars: int) -> None:
    if longest_item(combo) > max_chars:
        if combo.sizeAdjustPolicy() != QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon:
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        # minimumContentsLength counts the width of "X", wider than most letters: ~3/4 of the characters
        combo.setMinimumContentsLength(max(8, max_chars * 3 // 4))
        view = combo.view()
        metrics = view.fontMetrics()   # (the popup's delegate reports a width of its own, not the text's)
        widest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
        view.setMinimumWidth(widest + combo.iconSize().width() + view.verticalScrollBar().sizeHint().width() + 24)
        view.setTextElideMode(Qt.TextElideMode.ElideNone)
    _tip(combo, max_chars)


def _tip(combo: QComboBox, max_chars: int) -> None:
    own = combo.property(_OWN_TIP) or ""
    text = combo.currentText()
    long = len(text) > max_chars
    combo.setToolTip(f"{text}\n\n{own}".strip() if long and own else text if long else own)


def fit_combos(root: QWidget, max_chars: int = MAX_CHARS) -> None:
    """``fit_combo`` on every combo box under ``root`` (the main window runs it on each page it builds)."""
    for combo in root.findChildren(QComboBox):
        fit_combo(combo, max_chars)


class ElidedLabel(QLabel):
    """One line of plain text that elides at the right to the room it has; the tooltip holds the whole text."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        self._full = text
        self._elide()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(QFontMetrics(self.font()).horizontalAdvance(self._full) + 4, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(40, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):   # a style sheet's font, say
            self._elide()

    def _elide(self) -> None:
        metrics = QFontMetrics(self.font())
        shown = metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, max(self.width(), 40))
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")
