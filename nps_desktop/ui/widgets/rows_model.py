"""A read-only table model over a list of plain-Python rows, described by columns.

Each ``Column`` says how to show one field of a row: its text, its sort key, a colour, a tooltip. The
model never queries anything; pages fill it with rows a core function returned.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None          # default: the text
    color: Callable[[Any], str | None] | None = None
    tooltip: Callable[[Any], str | None] | None = None
    bold: Callable[[Any], bool] | None = None
    right: bool = False                               # numbers: aligned right


class RowsModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, i: int) -> Any:
        return self.rows[i]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == SORT_ROLE:
            key = col.sort(row) if col.sort else col.text(row)
            return "" if key is None else key
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and col.color:
            color = col.color(row)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.FontRole and col.bold and col.bold(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def sortable(model: RowsModel) -> QSortFilterProxyModel:
    """A proxy that sorts ``model`` by each column's sort key."""
    proxy = QSortFilterProxyModel()  # not the model's child: shiboken crashes collecting such a pair
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy
