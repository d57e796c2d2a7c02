"""Imports: every batch (file, when, counts), undo with confirmation, its rejected rows (and as .xlsx),
and the responses not mapped to any account."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from ...core import follow_ups
from ...core.importing import batches, undo_batch
from ...core.importing.presets import PRESET_LABELS
from ...core.words import minute
from .. import theme
from ..import_wizard import REJECT_COLUMNS, KIND_LABELS
from ..widgets.rows_model import ROW_ROLE, Column, RowsModel
from ..widgets.table_view import table_view
from ..workers import run_task
from .base import Page

UNMAPPED_LIMIT = 1000


def _n(x: int) -> str:
    return f"{x:,}"


BATCH_COLUMNS = [
    Column("#", lambda b: str(b.id), sort=lambda b: b.id, right=True),
    Column("Imported at", lambda b: minute(b.imported_at), sort=lambda b: b.imported_at),
    Column("File", lambda b: b.file, tooltip=lambda b: f"{b.path or b.file}\nsha256 {b.sha256}"),
    Column("Kind", lambda b: KIND_LABELS.get(b.kind, b.kind)),
    Column("Tool", lambda b: PRESET_LABELS.get(b.preset or "", b.preset or "") if b.kind == "responses" else ""),
    Column("Rows", lambda b: _n(b.rows), sort=lambda b: b.rows, right=True),
    Column("New", lambda b: _n(b.imported), sort=lambda b: b.imported, right=True),
    Column("Updated", lambda b: _n(b.updated), sort=lambda b: b.updated, right=True),
    Column("Duplicates", lambda b: _n(b.duplicates), sort=lambda b: b.duplicates, right=True),
    Column("Rejected", lambda b: _n(b.rejected), sort=lambda b: b.rejected, right=True,
           color=lambda b: theme.DETRACTOR if b.rejected else None),
    Column("Skipped", lambda b: _n(b.skipped), sort=lambda b: b.skipped, right=True),
    Column("Status", lambda b: f"undone {b.undone_at[:16].replace('T', ' ')}" if b.undone else "imported",
           color=lambda b: theme.TEXT_MUTED if b.undone else None),
]
UNMAPPED_COLUMNS = [
    Column("Date", lambda r: r.responded_on),
    Column("Score", lambda r: str(r.score), sort=lambda r: r.score, right=True,
           color=lambda r: theme.score_color(r.score)),
    Column("Email", lambda r: r.email or "—"),
    Column("Source", lambda r: r.source or ""),
    Column("Batch", lambda r: "" if r.batch_id is None else str(r.batch_id), sort=lambda r: r.batch_id or 0,
           right=True),
    Column("Comment", lambda r: (r.comment or "").replace("\n", " "), tooltip=lambda r: r.comment),
]


class ImportsPage(Page):
    title = "Imports"

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        heading = QLabel("Imports")
        heading.setObjectName("PageTitle")
        self.import_button = QPushButton("Import a spreadsheet…")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.open_wizard)
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.import_button)
        intro = QLabel("Survey exports, CRM account and contact lists, revenue events. Every import is listed; "
                       "undoing one removes exactly what it added and restores what it changed. "
                       "Drop a file anywhere on this window to import it.")
        intro.setObjectName("Muted")
        intro.setWordWrap(True)
        self.batch_model = RowsModel(BATCH_COLUMNS)
        self.batch_view = table_view(self.batch_model, sort=(0, Qt.SortOrder.DescendingOrder))
        self.batch_view.selectionModel().selectionChanged.connect(self._selected)
        self.empty = QLabel("No imports yet. Import a survey export or your CRM's account list to begin.")
        self.empty.setObjectName("Muted")
        actions = QHBoxLayout()
        self.undo_button = QPushButton("Undo this import…")
        self.download_button = QPushButton("Download rejected rows (.xlsx)…")
        self.undo_button.clicked.connect(self.undo_selected)
        self.download_button.clicked.connect(self.download_rejects)
        self.status = QLabel()
        self.status.setObjectName("Muted")
        actions.addWidget(self.undo_button)
        actions.addWidget(self.download_button)
        actions.addWidget(self.status, 1)
        self.tabs = QTabWidget()
        self.reject_model = RowsModel(REJECT_COLUMNS)
        self.reject_view = table_view(self.reject_model)
        self.unmapped_model = RowsModel(UNMAPPED_COLUMNS)
        unmapped = QWidget()
        unmapped_layout = QVBoxLayout(unmapped)
        unmapped_layout.setContentsMargins(0, 6, 0, 0)
        self.mapped_label = QLabel()
        self.mapped_label.setWordWrap(True)
        self.unmapped_view = table_view(self.unmapped_model)
        unmapped_layout.addWidget(self.mapped_label)
        unmapped_layout.addWidget(self.unmapped_view, 1)
        self.tabs.addTab(self.reject_view, "Rejected rows")
        self.tabs.addTab(unmapped, "All unmapped responses")
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.batch_view, 3)
        layout.addWidget(self.empty)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 2)
        self.batches: list[batches.Batch] = []
        self.rejects: list[batches.RejectRow] = []
        self.loaded = False
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        def job(ws, progress, cancelled):
            return (batches.list_batches(ws), batches.unmapped_responses(ws, limit=UNMAPPED_LIMIT),
                    *batches.mapped_counts(ws))
        self.load(job, self._show)

    def _show(self, result) -> None:
        selected = self.selected_batch()
        self.batches, unmapped, total, mapped = result
        self.batch_model.set_rows(self.batches)
        self.batch_view.resizeColumnsToContents()
        self.empty.setVisible(not self.batches)
        self.unmapped_model.set_rows(unmapped)
        self.unmapped_view.resizeColumnsToContents()
        unmapped_n = total - mapped
        self.tabs.setTabText(1, f"All unmapped responses ({unmapped_n:,})")
        if total:
            more = f" The {UNMAPPED_LIMIT:,} most recent are listed." if unmapped_n > UNMAPPED_LIMIT else ""
            self.mapped_label.setText(f"{mapped:,} of {total:,} responses ({mapped / total:.0%}) are mapped to "
                                      f"accounts. Import your account and contact lists to map the rest: "
                                      f"responses link by email, account id or email domain.{more}")
        else:
            self.mapped_label.setText("No responses yet.")
        self.loaded = True
        if self.batches:
            self.select_batch(selected.id if selected else self.batches[0].id)
        self._update_buttons()

    def select_batch(self, batch_id: int) -> None:
        proxy = self.batch_view.model()
        for row in range(proxy.rowCount()):
            if proxy.data(proxy.index(row, 0), ROW_ROLE).id == batch_id:
                self.batch_view.selectionModel().select(
                    proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect |
                    QItemSelectionModel.SelectionFlag.Rows)
                return

    def selected_batch(self) -> batches.Batch | None:
        rows = self.batch_view.selectionModel().selectedRows()
        return self.batch_view.model().data(rows[0], ROW_ROLE) if rows else None

    def _selected(self, *_) -> None:
        batch = self.selected_batch()
        self._update_buttons()
        if batch is None:
            self.reject_model.set_rows([])
            return
        self.tabs.setTabText(0, f"Rejected rows of #{batch.id} ({batch.rejected:,})")
        run_task(self.session.job(lambda ws, p, c: batches.rejects(ws, batch.id), read_only=True), owner=self,
                 on_done=lambda rows: self._show_rejects(batch.id, rows), on_error=self.show_error)

    def _show_rejects(self, batch_id: int, rows: list[batches.RejectRow]) -> None:
        batch = self.selected_batch()
        if batch is None or batch.id != batch_id:
            return
        self.rejects = rows
        self.reject_model.set_rows([(r.row, r.column, r.value, r.reason) for r in rows])
        self.reject_view.resizeColumnsToContents()
        self._update_buttons()

    def _update_buttons(self) -> None:
        batch = self.selected_batch()
        self.undo_button.setEnabled(batch is not None and not batch.undone)
        self.download_button.setEnabled(batch is not None and batch.rejected > 0)

    # -- actions -----------------------------------------------------------------------------------
    def open_wizard(self) -> None:
        self.session.import_requested.emit()

    def undo_selected(self) -> None:
        batch = self.selected_batch()
        if batch is None or batch.undone:
            return
        what = {"responses": "responses", "accounts": "accounts", "contacts": "contacts",
                "revenue": "revenue events"}.get(batch.kind, "rows")
        text = (f"Undo import #{batch.id} of {batch.file}?\n\nThis removes the {batch.imported:,} {what} it added"
                + (f" and restores the previous values of the {batch.updated:,} it updated" if batch.updated else "")
                + ", and unlinks what it linked. Actions nobody worked on that it created go too.")
        answer = QMessageBox.question(self, "Undo import", text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.undo_button.setEnabled(False)
        self.status.setText(f"Undoing #{batch.id}…")
        run_task(self.session.job(lambda ws, p, c: undo_batch(ws, batch.id, follow_ups.STANDARD)), owner=self, write=True,
                 on_done=self._undone, on_error=self._undo_failed)

    def _undone(self, result) -> None:
        removed = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in result.removed.items()) or "nothing"
        self.status.setText(f"Undid #{result.batch_id} ({result.file}): removed {removed}; "
                            f"restored {result.restored:,} changed rows.")
        self.session.notify_changed()

    def _undo_failed(self, message: str, details: str = "") -> None:
        self.status.setText("")
        self._update_buttons()
        self.show_error(message, details)

    def download_rejects(self) -> None:
        batch = self.selected_batch()
        if batch is None or not batch.rejected:
            return
        default = str(Path.home() / f"{Path(batch.file).stem} rejected rows.xlsx")
        out, _ = QFileDialog.getSaveFileName(self, "Save rejected rows", default, "Excel workbooks (*.xlsx)")
        if not out:
            return
        out = out if out.lower().endswith(".xlsx") else out + ".xlsx"
        run_task(self.session.job(lambda ws, p, c: batches.write_rejects_xlsx(batches.rejects(ws, batch.id), out,
                                                                              batch.file), read_only=True), owner=self,
                 on_done=lambda path: self.status.setText(f"Saved {path}"), on_error=self.show_error)

