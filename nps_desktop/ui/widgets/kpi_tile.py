"""A KPI tile: a caption, a big value and a small line under it."""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class KpiTile(QFrame):
    def __init__(self, caption: str, tooltip: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("KpiTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(tooltip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        self.caption = QLabel(caption)
        self.caption.setObjectName("KpiCaption")
        self.value = QLabel("—")
        self.value.setObjectName("KpiValue")
        self.detail = QLabel("")
        self.detail.setObjectName("KpiDetail")
        self.detail.setWordWrap(True)
        for w in (self.caption, self.value, self.detail):
            layout.addWidget(w)

    def set(self, value: str, detail: str = "", tone: str = "") -> None:
        """Show ``value``; ``tone`` 'good' or 'bad' colours the detail line."""
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setProperty("tone", tone)
        self.detail.style().unpolish(self.detail)
        self.detail.style().polish(self.detail)
