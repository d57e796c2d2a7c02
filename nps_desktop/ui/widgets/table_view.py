"""The app's read-only tables: one look and behaviour for every list of rows."""
from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from .rows_model import RowsModel, sortable

Sel = QAbstractItemView.SelectionMode


def table_view(model: QAbstractItemModel, *, multi: bool = False, sort: tuple[int, Qt.SortOrder] | None = None,
               sorting: bool = True, stretch_last: bool = True, grid: bool = True) -> QTableView:
    """A table of whole-row selection over ``model`` (a ``RowsModel`` gets a sorting proxy).

    Rows keep the model's order (the core's) until a header is clicked, or are sorted by ``sort`` —
    (column, order) — at once; ``sorting=False`` leaves header clicks off (the caller turns them on).
    """
    view = QTableView()
    view.setModel(sortable(model) if isinstance(model, RowsModel) else model)
    header = view.horizontalHeader()
    if sort is None:
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(sorting)
    if sort is not None:
        view.sortByColumn(*sort)
    header.setResizeContentsPrecision(200)
    header.setStretchLastSection(stretch_last)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(Sel.ExtendedSelection if multi else Sel.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(grid)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    return view
