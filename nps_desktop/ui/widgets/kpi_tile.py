"""A KPI tile: a caption, a big value and a small line under it; optionally a promoter/passive/detractor
split bar. Colours come from ``ui.theme``."""
from __future__ import annotations

import math
from typing import Sequence

from PySide6.QtCore import QEvent, QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPainterPath
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

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


class TileRow(QWidget):
    """Tiles side by side while they fit the width, else in rows of (nearly) equal count: 5 tiles go 3 + 2,
    6 go 3 + 3. It never asks for more width than its widest tile, so a row of tiles never widens a page."""

    def __init__(self, tiles: Sequence[QWidget], spacing: int = 12, parent: QWidget | None = None):
        super().__init__(parent)
        self.tiles = list(tiles)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)   # its width is ours to give
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.columns = 0
        self._arrange(len(self.tiles))

    def _needs(self, columns: int) -> int:
        """The width ``columns`` columns need: each column as wide as its widest tile's minimum."""
        widths = [0] * columns
        for i, tile in enumerate(self.tiles):
            widths[i % columns] = max(widths[i % columns], tile.minimumSizeHint().width())
        return sum(widths) + self.grid.spacing() * (columns - 1)

    def columns_for(self, width: int) -> int:
        """The most columns that fit ``width``, balanced over the rows they make."""
        n = len(self.tiles)
        for columns in range(n, 0, -1):
            balanced = math.ceil(n / math.ceil(n / columns))
            if self._needs(balanced) <= width:
                return balanced
        return 1

    def _arrange(self, columns: int) -> None:
        if columns == self.columns or not self.tiles:
            return
        for tile in self.tiles:
            self.grid.removeWidget(tile)
        for i, tile in enumerate(self.tiles):
            self.grid.addWidget(tile, i // columns, i % columns)
        for c in range(max(columns, self.columns)):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        self.columns = columns
        self.updateGeometry()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        columns = self.columns_for(width)
        column_width = max(1, (width - self.grid.spacing() * (columns - 1)) // columns)
        rows = [self.tiles[i:i + columns] for i in range(0, len(self.tiles), columns)]
        heights = [max(t.heightForWidth(column_width) if t.hasHeightForWidth() else t.sizeHint().height()
                       for t in row) for row in rows]
        return sum(heights) + self.grid.spacing() * (len(rows) - 1)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        width = sum(t.sizeHint().width() for t in self.tiles) + self.grid.spacing() * (len(self.tiles) - 1)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        width = max((t.minimumSizeHint().width() for t in self.tiles), default=0)
        return QSize(width, self.heightForWidth(max(self.width(), width)))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self._arrange(self.columns_for(event.size().width()))
        super().resizeEvent(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:   # a tile's text changed: it may need another row
            self._arrange(self.columns_for(self.width()))
        return super().event(event)


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
