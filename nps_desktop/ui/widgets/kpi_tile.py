"""A KPI tile: a caption, a big value and a small line under it; optionally a promoter/passive/detractor
split bar. Colours come from ``ui.theme``."""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPainterPath
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from .. import theme

TONE_COLORS = {"good": theme.PROMOTER, "bad": theme.DETRACTOR, "warn": theme.PASSIVE,
               "muted": theme.TEXT_MUTED}  # muted: a figure below the minimum sample


class KpiTile(QFrame):
    def __init__(self, caption: str, tooltip: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("KpiTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(tooltip)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 12, 16, 12)
        self.layout_.setSpacing(3)
        self.caption = QLabel(caption)
        self.caption.setObjectName("KpiCaption")
        self.value = QLabel("—")
        self.value.setObjectName("KpiValue")
        self.detail = QLabel("")
        self.detail.setObjectName("KpiDetail")
        self.detail.setWordWrap(True)
        for w in (self.caption, self.value, self.detail):
            self.layout_.addWidget(w)

    def set(self, value: str, detail: str = "", tone: str = "", value_tone: str = "") -> None:
        """Show ``value``; ``tone`` 'good' or 'bad' colours the detail line, ``value_tone`` the value."""
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setProperty("tone", tone)
        self.detail.style().unpolish(self.detail)
        self.detail.style().polish(self.detail)
        color = TONE_COLORS.get(value_tone)
        self.value.setStyleSheet(f"color: {color};" if color else "")

    def add_widget(self, widget: QWidget) -> None:
        """Put ``widget`` (e.g. a ``SplitBar``) between the value and the detail line."""
        self.layout_.insertWidget(2, widget)


class SplitBar(QWidget):
    """A thin stacked bar of shares (promoters, passives, detractors by default), rounded ends."""

    def __init__(self, colors: Sequence[str] = (theme.PROMOTER, theme.PASSIVE, theme.DETRACTOR),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.colors = list(colors)
        self.shares: list[float] = []
        self.setFixedHeight(8)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_shares(self, shares: Sequence[float | None]) -> None:
        self.shares = [s or 0.0 for s in shares]
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(160, 8)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        clip = QPainterPath()
        clip.addRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setClipPath(clip)
        painter.fillRect(rect, QColor(theme.TEXT_MUTED).lighter(170))
        x = rect.left()
        total = sum(self.shares) or 1.0
        for share, color in zip(self.shares, self.colors):
            w = rect.width() * share / total
            painter.fillRect(QRectF(x, rect.top(), w, rect.height()), QColor(color))
            x += w
        painter.end()
