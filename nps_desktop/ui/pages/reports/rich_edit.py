"""A small rich-text editor for the pack's words: bold and bullets, nothing else (the pack keeps a safe
subset: ``core.reporting.richtext``)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QTextCharFormat, QTextCursor, QTextListFormat
from PySide6.QtWidgets import QHBoxLayout, QTextEdit, QToolButton, QVBoxLayout, QWidget


class RichEdit(QWidget):
    """A QTextEdit with a Bold (Ctrl+B) and a Bullets (Ctrl+Shift+8) button; ``edited`` on every change
    the user makes (not when the text is set)."""
    edited = Signal()
    focused = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        self.bold_button = QToolButton()
        self.bold_button.setText("B")
        self.bold_button.setCheckable(True)
        self.bold_button.setToolTip("Bold (Ctrl+B)")
        font = self.bold_button.font()
        font.setBold(True)
        self.bold_button.setFont(font)
        self.bullets_button = QToolButton()
        self.bullets_button.setText("• Bullets")
        self.bullets_button.setCheckable(True)
        self.bullets_button.setToolTip("Bulleted list (Ctrl+Shift+8)")
        bar.addWidget(self.bold_button)
        bar.addWidget(self.bullets_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.edit = QTextEdit()
        self.edit.setAcceptRichText(True)
        self.edit.setPlaceholderText(placeholder)
        layout.addWidget(self.edit, 1)
        for keys, slot in (("Ctrl+B", lambda: self.bold_button.click()),
                           ("Ctrl+Shift+8", lambda: self.bullets_button.click())):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self.bold_button.clicked.connect(lambda: self.set_bold(self.bold_button.isChecked()))
        self.bullets_button.clicked.connect(lambda: self.set_bullets(self.bullets_button.isChecked()))
        self.edit.currentCharFormatChanged.connect(lambda *_: self._sync())
        self.edit.cursorPositionChanged.connect(self._sync)
        self.edit.textChanged.connect(self._changed)
        self.edit.installEventFilter(self)
        self._setting = False

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        if obj is self.edit and event.type() == event.Type.FocusIn:
            self.focused.emit()
        return False

    def html(self) -> str:
        return self.edit.toHtml()

    def set_html(self, html: str) -> None:
        self._setting = True
        try:
            self.edit.setHtml(html)
        finally:
            self._setting = False

    def replace_html(self, html: str) -> None:
        """Replace the whole text as the user would (Ctrl+Z brings the old text back)."""
        cursor = self.edit.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertHtml(html)

    def set_bold(self, on: bool) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold if on else QFont.Weight.Normal)
        self.edit.mergeCurrentCharFormat(fmt)
        self.edit.setFocus()

    def set_bullets(self, on: bool) -> None:
        cursor = self.edit.textCursor()
        current = cursor.currentList()
        if on and current is None:
            cursor.createList(QTextListFormat.Style.ListDisc)
        elif not on and current is not None:
            for i in range(current.count() - 1, -1, -1):
                block = current.item(i)
                if cursor.block() == block or cursor.hasSelection() and \
                        cursor.selectionStart() <= block.position() <= cursor.selectionEnd():
                    current.remove(block)
                    fmt = block.blockFormat()
                    fmt.setIndent(0)
                    edit = self.edit.textCursor()
                    edit.setPosition(block.position())
                    edit.setBlockFormat(fmt)
        self.edit.setFocus()

    def _sync(self) -> None:
        self.bold_button.setChecked(self.edit.fontWeight() >= QFont.Weight.DemiBold)
        self.bullets_button.setChecked(self.edit.textCursor().currentList() is not None)

    def _changed(self) -> None:
        if not self._setting:
            self.edited.emit()
