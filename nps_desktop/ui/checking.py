"""Help ▸ Check workspace, and the check the app runs in the background after opening a workspace.

Opening a workspace checks the file only after an unclean shutdown or before a migration, so the app
checks it here, off the UI thread, once it is open (``quick_check`` for big files) and fully on demand.
A damaged file is reported with its latest good backup and how to restore it.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressDialog

from ..core.workspace import damaged_error
from .workers import run_task

TITLE = "Check workspace"


class WorkspaceCheck(QObject):
    """The check of the open workspace, in the background or on demand."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.action = QAction("&Check workspace", window)
        self.action.triggered.connect(lambda: self.run(on_demand=True))
        window.session.workspace_opened.connect(lambda: self.run(on_demand=False))

    def run(self, on_demand: bool) -> None:
        session = self.window.session
        if session.ws is None:
            if on_demand:
                QMessageBox.information(self.window, TITLE, "Open a workspace first.")
            return
        path, busy = session.path, None
        if on_demand:
            busy = QProgressDialog(f"Checking {path.name}…", "", 0, 0, self.window)
            busy.setCancelButton(None)  # SQLite's check cannot stop half-way
            busy.setWindowModality(Qt.WindowModality.WindowModal)
            busy.setMinimumDuration(0)
            busy.show()

        def done(found: list[str]) -> None:
            if busy is not None:
                busy.reset()
            self._report(path, found, on_demand)

        def failed(message: str, _details: str) -> None:
            if busy is not None:
                busy.reset()
            self._report(path, [message], on_demand)
        run_task(session.job(lambda ws, p, c: ws.problems(quick=False if on_demand else None), read_only=True),
                 owner=self.window, on_done=done, on_error=failed)

    def _report(self, path: Path, found: list[str], on_demand: bool) -> None:
        if found:
            QMessageBox.warning(self.window, TITLE, str(damaged_error(path, "; ".join(found))))
        elif on_demand:
            QMessageBox.information(self.window, TITLE, f"{path.name} is sound: its integrity and the links "
                                                        "between its tables are checked.")


def install(window: QMainWindow) -> WorkspaceCheck:
    """Add Help ▸ Check workspace (before About) and the background check after each open."""
    check = WorkspaceCheck(window)
    about = window.help_menu.actions()[-1]
    window.help_menu.insertAction(about, check.action)
    window.workspace_check = check
    return check
