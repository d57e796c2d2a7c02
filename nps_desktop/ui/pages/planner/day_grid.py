"""The planner's calendar: invitations per day and program, a table model."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ....core.cadence.planner import Plan
from ....core.words import plural
from ... import theme
from ...widgets.rows_model import ROW_ROLE
from ....core import clock
from .views import WEEKDAYS


class DayGridModel(QAbstractTableModel):
    """A calendar: one row per week (Monday first), one column per weekday; a cell holds the day's count."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.start = self.end = clock.today()
        self.first_monday = self.start
        self.weeks = 0
        self.counts: dict[date, int] = {}
        self.detail: dict[date, list[tuple[str, int]]] = {}
        self.highlight: set[date] = set()
        self.top = 1

    def set_plan(self, plan: Plan | None, by_day: dict[date, list[tuple[str, int]]]) -> None:
        self.beginResetModel()
        if plan is not None:
            self.start, self.end = plan.date_from, plan.date_to
            self.counts = dict(plan.per_day)
        self.first_monday = self.start - timedelta(days=self.start.weekday())
        self.weeks = (self.end - self.first_monday).days // 7 + 1
        self.detail = by_day
        self.highlight = set()
        self.top = max(self.counts.values(), default=1)
        self.endResetModel()

    def set_highlight(self, days: set[date]) -> None:
        self.highlight = days
        if self.weeks:
            self.dataChanged.emit(self.index(0, 0), self.index(self.weeks - 1, 6))

    def day(self, index: QModelIndex) -> date:
        return self.first_monday + timedelta(days=7 * index.row() + index.column())

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else self.weeks

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 7

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return WEEKDAYS[section]
        monday = self.first_monday + timedelta(days=7 * section)
        return f"W{monday.isocalendar()[1]:02d}"

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        d = self.day(index)
        inside = self.start <= d <= self.end
        n = self.counts.get(d, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            label = d.strftime("%d %b").lstrip("0")
            return f"{label}\n{n:,}" if n else label
        if role == ROW_ROLE:
            return d, n
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not inside:
                return QColor(theme.TEXT_MUTED)
            return QColor("#ffffff") if n and (d in self.highlight or n / self.top > 0.55) else None
        if role == Qt.ItemDataRole.BackgroundRole and inside and n:
            if d in self.highlight:
                return QColor(theme.PROMOTER)
            color = QColor(theme.ACCENT)
            color.setAlphaF(0.18 + 0.72 * n / self.top)
            return color
        if role == Qt.ItemDataRole.FontRole and n:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and inside:
            lines = [f"{d:%a} {d.isoformat()}: {plural(n, 'invitation')}"]
            lines += [f"  {wave}: {k:,}" for wave, k in self.detail.get(d, [])]
            return "\n".join(lines)
        return None
