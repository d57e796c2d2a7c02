"""Lazy Qt table models over core paging queries.

``ResponsesModel`` shows every response a ``browse.ResponseQuery`` matches without loading them all:
the view asks ``canFetchMore``/``fetchMore`` as it scrolls, and each page is read by a background task
(``core.browse.Pager``), so the UI thread never waits on SQLite. Sorting a column asks the core for a
new order; the count comes from its own task. Column constants and ``SORT_ROLE``/``ROW_ROLE`` let
pages and tests address cells without magic numbers.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from ..core import analytics, browse, nps
from ..core.words import minute
from . import theme
from .workers import Task, run_task
from .widgets.rows_model import ROW_ROLE, SORT_ROLE

__all__ = ["ResponsesModel", "SORT_ROLE", "ROW_ROLE"]

#: (title, core sort key) of each column, in order.
RESPONSE_COLUMNS: list[tuple[str, str]] = [
    ("Date", "date"), ("Score", "score"), ("Comment", "comment"), ("Account", "account"),
    ("Contact", "email"), ("Program", "kind"), ("Touchpoint", "touchpoint"), ("Product", "product"),
]
COL_DATE, COL_SCORE, COL_COMMENT, COL_ACCOUNT, COL_CONTACT, COL_KIND, COL_TOUCHPOINT, COL_PRODUCT = range(8)


class ResponsesModel(QAbstractTableModel):
    """Rows of ``core.browse`` fetched a page at a time, in the background."""

    loading = Signal(bool)        # a page (or the first sort) is being read
    counted = Signal(int)         # how many responses the query matches
    failed = Signal(str)

    def __init__(self, session, page_size: int = browse.PAGE_SIZE, parent=None):
        super().__init__(parent)
        self.session = session
        self.page_size = page_size
        self.query = browse.ResponseQuery()
        self.rows: list[browse.ResponseRow] = []
        self.total: int | None = None
        self._pager: browse.Pager | None = None
        self._task: Task | None = None
        self._generation = 0

    # -- the query ---------------------------------------------------------------------------------
    def set_query(self, query: browse.ResponseQuery) -> None:
        """Show ``query``'s rows from the top (the first page and the count load in the background)."""
        self._generation += 1
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.beginResetModel()
        self.query = query
        self.rows = []
        self.total = None
        self._pager = browse.Pager(query) if self.session.ws is not None else None
        self.endResetModel()
        if self._pager is None:
            return
        generation = self._generation
        run_task(self.session.job(lambda ws, p, c: browse.count(ws, query), read_only=True), owner=self,
                 on_done=lambda n: self._counted(generation, n),
                 on_error=lambda message, details="": self._failed(generation, message))
        self.fetchMore(QModelIndex())

    def reload(self) -> None:
        self.set_query(self.query)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # noqa: D401
        key = RESPONSE_COLUMNS[column][1]
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.query.sort, self.query.descending):
            self.set_query(self.query.sorted_by(key, descending))

    def _counted(self, generation: int, n: int) -> None:
        if generation == self._generation:
            self.total = n
            self.counted.emit(n)

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.loading.emit(False)
        self.failed.emit(message)

    # -- lazy rows ---------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._task is not None

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: N802 (Qt name)
        return (not parent.isValid() and self._pager is not None and not self._pager.done
                and self._task is None)

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        pager, size, generation = self._pager, self.page_size, self._generation
        self.loading.emit(True)
        self._task = run_task(
            self.session.job(lambda ws, p, cancelled: pager.next_page(ws, size, cancelled), read_only=True),
            owner=self,
            on_done=lambda rows: self._arrived(generation, rows),
            on_error=lambda message, details="": self._failed(generation, message))

    def _arrived(self, generation: int, rows: list[browse.ResponseRow]) -> None:
        if generation != self._generation:
            return
        self._task = None
        if rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self.loading.emit(False)

    def replace_row(self, row: int, new: browse.ResponseRow) -> None:
        """Show ``new`` in place of row ``row`` (after a score correction), keeping the scroll position."""
        self.rows[row] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(RESPONSE_COLUMNS) - 1))

    # -- Qt model ----------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(RESPONSE_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return RESPONSE_COLUMNS[section][0]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        r, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == ROW_ROLE:
            return r
        if role == SORT_ROLE:
            return (r.responded_at, r.score, r.comment or "", r.account or "", r.email or "", r.kind,
                    r.touchpoint or "", r.product or "")[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_SCORE:
            return QColor(theme.score_color(r.score))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_SCORE:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_SCORE:
                tip = f"{r.score}: {nps.classify(r.score)}"
                return tip + (f" (corrected from {r.original_score})" if r.original_score is not None else "")
            if col == COL_COMMENT and r.comment:
                return r.comment
        return None

    @staticmethod
    def _text(r: browse.ResponseRow, col: int) -> str:
        if col == COL_DATE:
            return minute(r.responded_at)
        if col == COL_SCORE:
            return f"{r.score}*" if r.original_score is not None else str(r.score)
        if col == COL_ACCOUNT:
            return r.account or "—"
        if col == COL_CONTACT:
            return r.email or "—"
        if col == COL_KIND:
            return analytics.KIND_LABELS.get(r.kind, r.kind)
        if col == COL_TOUCHPOINT:
            return r.touchpoint or ""
        if col == COL_PRODUCT:
            return r.product or ""
        return " ".join((r.comment or "").split())  # COL_COMMENT
