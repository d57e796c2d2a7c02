"""What a page shows while the workspace lacks what it needs: what the page is for, and the next step."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QFrame):
    """Covers its parent page (following its size) with a message and one button."""

    def __init__(self, page: QWidget, text: str, button: str, on_click: Callable[[], None]):
        super().__init__(page)
        self.setObjectName("EmptyState")
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setFixedWidth(560)
        self.label.setMinimumHeight(self.label.heightForWidth(560))
        layout.addWidget(self.label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.button = QPushButton(button)
        self.button.clicked.connect(on_click)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        page.installEventFilter(self)
        self.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if obj is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def set_shown(self, shown: bool) -> None:
        if shown:
            self.setGeometry(self.parentWidget().rect())
            self.raise_()
        self.setVisible(shown)
