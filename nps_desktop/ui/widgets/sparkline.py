"""A sparkline in a table cell: NPS per period (−100…100) as a small line, gaps where a period has no
responses, the last point coloured by its sign; a faint zero line."""
from __future__ import annotations

from itertools import pairwise
from typing import Callable, Sequence

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from .. import theme
from .rows_model import ROW_ROLE


def points(values: Sequence[float | None], left: float, top: float, width: float,
           height: float) -> list[QPointF | None]:
    """Where each value sits in the box (None stays None): −100 at the bottom, 100 at the top."""
    n = len(values)
    step = width / max(n - 1, 1)
    return [None if v is None else QPointF(left + i * step, top + height * (100 - v) / 200)
            for i, v in enumerate(values)]


class SparklineDelegate(QStyledItemDelegate):
    """Paints ``series(row)`` for the row object under ``ROW_ROLE``."""

    def __init__(self, series: Callable[[object], Sequence[float | None]], parent=None):
        super().__init__(parent)
        self.series = series

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt name)
        return QSize(110, 24)

    def paint(self, painter: QPainter, option, index) -> None:
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        row = index.data(ROW_ROLE)
        values = list(self.series(row)) if row is not None else []
        if not any(v is not None for v in values):
            return
        r = option.rect.adjusted(8, 5, -8, -5)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        zero = QPen(QColor(theme.TEXT_MUTED))
        zero.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(zero)
        mid = r.top() + r.height() / 2
        painter.drawLine(QPointF(r.left(), mid), QPointF(r.right(), mid))
        pts = points(values, r.left(), r.top(), r.width(), r.height())
        painter.setPen(QPen(QColor(theme.ACCENT), 1.6))
        for a, b in pairwise(pts):
            if a is not None and b is not None:
                painter.drawLine(a, b)
        last = next((p for p, v in zip(reversed(pts), reversed(values)) if p is not None), None)
        last_value = next(v for v in reversed(values) if v is not None)
        for p in pts:
            if p is not None and p is not last:
                painter.setBrush(QColor(theme.ACCENT))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(p, 1.4, 1.4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.PROMOTER if last_value >= 0 else theme.DETRACTOR))
        painter.drawEllipse(last, 3, 3)
        painter.restore()
