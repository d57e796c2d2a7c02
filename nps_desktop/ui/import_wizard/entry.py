"""Where imports start: File ▸ Import… and a spreadsheet dropped anywhere on the main window
(``install(window)``)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QMessageBox)

from .common import FILE_FILTER
from .wizard import ImportWizard


# -- the main window's entry points -------------------------------------------------------------------
class ImportEntry(QObject):
    """File ▸ Import… and dropping files on the main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.wizard: ImportWizard | None = None
        self.action = QAction("&Import a spreadsheet…", window)
        self.action.setShortcut(QKeySequence("Ctrl+I"))
        self.action.triggered.connect(lambda checked=False: self.open())
        window.file_menu.insertAction(window._quit_separator, self.action)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        if obj is self.window and event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if _local_files(event.mimeData()):
                event.acceptProposedAction()
                return True
        if obj is self.window and event.type() == QEvent.Type.Drop:
            files = _local_files(event.mimeData())
            if files:
                event.acceptProposedAction()
                self.open(files[0])
                return True
        return super().eventFilter(obj, event)

    def open(self, path: str | Path | None = None, kind: str | None = None) -> ImportWizard | None:
        """The wizard for ``path`` (asked for when None); a workspace must be open."""
        if self.window.session.ws is None:
            QMessageBox.information(self.window, "Import", "Open or create a workspace first, then import into it.")
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, "Import a spreadsheet", str(Path.home()), FILE_FILTER)
            if not path:
                return None
        self.wizard = ImportWizard(self.window.session, path, kind, self.window)
        self.wizard.setWindowModality(Qt.WindowModality.WindowModal)
        self.wizard.imported.connect(lambda r: self.window.show_page("imports"))
        self.wizard.show()
        return self.wizard


def _local_files(mime) -> list[str]:
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and Path(u.toLocalFile()).is_file()] \
        if mime is not None and mime.hasUrls() else []


def install(window) -> ImportEntry:
    window.importer = ImportEntry(window)
    return window.importer
