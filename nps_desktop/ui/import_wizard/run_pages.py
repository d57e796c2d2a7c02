"""The wizard's last pages: the counts of the dry run before importing (``SummaryPage``) and the import
itself with its result and rejected rows (``ResultPage``), both running in a worker."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout,
                               QLabel, QProgressBar, QPushButton, QVBoxLayout, QWizard, QWizardPage)

from ...core import follow_ups
from ...core.importing import batches, importer
from ..widgets.rows_model import RowsModel
from ..workers import Task, run_task
from .common import REJECT_COLUMNS, SHOWN_REJECTS, _table, counts_text

if TYPE_CHECKING:
    from .wizard import ImportWizard


class _RunPage(QWizardPage):
    """A page that runs one job in a worker with a progress bar and Cancel."""

    def __init__(self, wizard: "ImportWizard", title: str):
        super().__init__()
        self.w = wizard
        self.setTitle(title)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.progress = QProgressBar()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.rejects_title = QLabel()
        self.rejects = RowsModel(REJECT_COLUMNS)
        self.rejects_view = _table(self.rejects)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.rejects_title)
        layout.addWidget(self.rejects_view, 1)
        layout.addStretch(0)
        self.task: Task | None = None
        self.result: importer.ImportResult | None = None
        self.failed: str | None = None
        self.finishing = False   # every row is read; what follows the rows is being written

    def start(self, job) -> None:
        self.result, self.failed, self.finishing = None, None, False
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.rejects.set_rows([])
        self.rejects_view.setVisible(False)
        self.rejects_title.setText("")
        task = run_task(self.w.session.job(job), owner=self, write=True, on_progress=self._progress,
                        on_done=lambda r: self._finished(task, r), on_error=lambda m, d="": self._failed(task, m))
        self.task = task
        self.completeChanged.emit()

    def _progress(self, done: int, total: int) -> None:
        if total == importer.FINISHING:
            self.progress.setRange(0, 0)  # busy: the indexes are rebuilt, which cannot be cancelled
            self.cancel_button.setEnabled(False)
            self.status.setText(f"{done:,} rows read; finishing…")
            self.finishing = True
            return
        if self.finishing and self.task is not None and not self.task.cancelled:
            self.cancel_button.setEnabled(True)   # the comment tags and follow-ups can be cancelled
            self.status.setText("Tagging comments and creating follow-up actions…")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    @property
    def running(self) -> bool:
        return self.task is not None

    def _finished(self, task: Task, result: importer.ImportResult) -> None:
        if task is not self.task:
            return
        self.task = None
        self.result = result
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.show_result(result)
        self.rejects_title.setText(f"Rejected rows ({len(result.rejects):,}; row numbers as Excel shows them):"
                                   if result.rejects else "No row is rejected.")
        self.rejects.set_rows(result.rejects[:SHOWN_REJECTS])
        self.rejects_view.setVisible(bool(result.rejects))
        self.rejects_view.resizeColumnsToContents()
        self.completeChanged.emit()

    def _failed(self, task: Task, message: str) -> None:
        if task is not self.task:
            return
        self.task = None
        self.failed = message
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(message)
        self.completeChanged.emit()

    def show_result(self, result: importer.ImportResult) -> None:
        raise NotImplementedError

    def cleanupPage(self) -> None:  # noqa: N802 (Back pressed)
        self.cancel()
        self.task = None

    def isComplete(self) -> bool:  # noqa: N802
        return self.task is None and self.result is not None


class SummaryPage(_RunPage):
    """The counts the import will give (a full dry run), before anything is written."""

    def __init__(self, wizard: "ImportWizard"):
        super().__init__(wizard, "Check before importing")
        self.setSubTitle("Every row was read and checked; nothing is written until you press Import.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")

    def initializePage(self) -> None:  # noqa: N802
        preview = self.w.preview
        self.status.setText("Reading and checking every row…")
        self.start(lambda ws, progress, cancelled: importer.plan(ws, preview, progress, cancelled))

    def show_result(self, result: importer.ImportResult) -> None:
        self.status.setText(counts_text(result) + ("<br/>Nothing new to import." if not (result.imported or
                                                                                         result.updated) else ""))

    def _failed(self, task: Task, message: str) -> None:
        super()._failed(task, "Stopped: nothing was imported." if "cancelled" in message else message)


class ResultPage(_RunPage):
    """The import itself, in one transaction; its outcome and the rejected rows to download."""

    def __init__(self, wizard: "ImportWizard"):
        super().__init__(wizard, "Importing")
        self.setSubTitle("One transaction: every valid row, or nothing.")
        self.download = QPushButton("Download rejected rows (.xlsx)…")
        self.download.clicked.connect(self.download_rejects)
        self.download.setVisible(False)
        self.layout().addWidget(self.download)

    def initializePage(self) -> None:  # noqa: N802
        preview = self.w.preview
        self.download.setVisible(False)
        self.status.setText("Importing…")
        self.start(lambda ws, progress, cancelled: importer.commit(ws, preview, progress, cancelled,
                                                                   follow_ups.STANDARD))

    def show_result(self, result: importer.ImportResult) -> None:
        self.setTitle("Imported")
        if result.batch_id is None:
            self.status.setText("Nothing new was imported: " + counts_text(result))
        else:
            self.status.setText(f"Batch {result.batch_id}: " + counts_text(result) +
                                "<br/>The Imports page lists the batch; it can be undone there.")
        self.download.setVisible(bool(result.rejects))
        self.w.session.notify_changed()
        self.w.imported.emit(result)

    def _failed(self, task: Task, message: str) -> None:
        self.setTitle("Not imported")
        super()._failed(task, "Cancelled: nothing was imported." if "cancelled" in message
                        else f"{message}<br/>Nothing was imported.")

    def download_rejects(self) -> None:
        r = self.result
        default = str(self.w.path.with_name(f"{self.w.path.stem} rejected rows.xlsx"))
        out, _ = QFileDialog.getSaveFileName(self, "Save rejected rows", default, "Excel workbooks (*.xlsx)")
        if out:
            rows = [batches.RejectRow(*x) for x in r.rejects]
            batches.write_rejects_xlsx(rows, out if out.endswith(".xlsx") else out + ".xlsx", r.file)

    def isComplete(self) -> bool:  # noqa: N802
        return self.task is None and (self.result is not None or self.failed is not None)
