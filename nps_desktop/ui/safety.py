"""Data safety in the main window: File ▸ Back up now / Restore backup…, the read-only banner, and the
offer to restore the latest good backup when a workspace is damaged.

``install(window)`` adds all of it to a ``MainWindow`` without changing its layout: the actions go into
the File menu before Quit, the banner is a fixed bar above the pages.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                               QMainWindow, QMessageBox, QPushButton, QTableView, QToolBar, QVBoxLayout,
                               QWidget)

from ..core import backups
from ..core.workspace import WorkspaceError
from .workers import run_task

COLUMNS = ("Taken", "Why", "Responses", "Size", "Check")


class BackupsModel(QAbstractTableModel):
    """The backups of one workspace, newest first."""

    def __init__(self, items: list[backups.Backup]):
        super().__init__()
        self.items = items

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        b = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"{b.taken_at:%Y-%m-%d %H:%M:%S}", b.reason, f"{b.counts.get('responses', 0):,}",
                    f"{b.size / 1e6:.1f} MB", b.integrity)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(b.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RestoreDialog(QDialog):
    """Pick a backup of ``workspace``; ``chosen`` is its path after Restore is pressed."""

    def __init__(self, workspace: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Restore a backup")
        self.resize(720, 380)
        self.chosen: Path | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(f"Backups of <b>{workspace.name}</b>, newest first. Restoring makes the workspace exactly "
                       "what the backup holds; what it holds now is backed up first, so this can be undone.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = BackupsModel(backups.list_backups(workspace))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.accept)
        layout.addWidget(self.table)
        self.empty = QLabel("There are no backups yet. One is taken before every import, undo, upgrade and "
                            "bulk change, and with File ▸ Back up now.")
        self.empty.setWordWrap(True)
        self.empty.setVisible(not self.model.items)
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(self.model.items))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.model.items:
            self.table.selectRow(0)
        self.table.resizeColumnsToContents()

    def accept(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.chosen = self.model.items[rows[0].row()].path
            super().accept()


class ReadOnlyBanner(QToolBar):
    """A bar above the pages while the workspace is read-only: why, and a button to try again."""

    def __init__(self, window: QMainWindow):
        super().__init__("Read-only")
        self.setObjectName("ReadOnlyBanner")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.retry = QPushButton("Try again")
        self.retry.setToolTip("Reopen the workspace; it becomes editable once the other window closes it")
        row.addWidget(self.label, 1)
        row.addWidget(self.retry)
        self.addWidget(box)
        self.setStyleSheet("#ReadOnlyBanner { background: #fff4ce; border-bottom: 1px solid #e0c96a; }"
                           "#ReadOnlyBanner QLabel { color: #4d3c00; }")
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self)
        self.hide()

    def show_for(self, ws) -> None:
        if ws is not None and ws.read_only:
            self.label.setText(f"<b>Read-only</b> — {ws.read_only_reason}. "
                               "You can look at everything; changes are turned off.")
            self.label.setToolTip(ws.read_only_reason)
            self.show()
        else:
            self.hide()


class Safety:
    """The data-safety parts of one main window."""

    def __init__(self, window):
        self.window = window
        self.banner = ReadOnlyBanner(window)
        self.banner.retry.clicked.connect(self.reopen)
        self.backup_action = self._insert("&Back up now", self.back_up_now)
        self.restore_action = self._insert("Restore &backup…", self.choose_and_restore)
        window.session.workspace_opened.connect(self._on_workspace)
        self._on_workspace()

    def _insert(self, text: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(slot)
        self.window.file_menu.insertAction(self.window._quit_separator, action)
        return action

    def _on_workspace(self) -> None:
        ws = self.window.session.ws
        self.banner.show_for(ws)
        self.backup_action.setEnabled(ws is not None)
        self.restore_action.setEnabled(ws is not None)

    def reopen(self) -> None:
        path = self.window.session.path
        if path is not None:
            self.window.session.close()
            self.window.open_path(path)

    def back_up_now(self) -> None:
        path = self.window.session.path
        if path is None:
            return

        def job(progress, cancelled):
            with self.window.session.open(read_only=True) as ws:
                return backups.take(ws, "manual backup")
        run_task(job, owner=self.window, write=True,
                 on_done=lambda b: self.window.statusBar().showMessage(f"Backed up to {b.path.name}", 8000),
                 on_error=lambda msg, details: QMessageBox.warning(self.window, "Back up now", msg))

    def choose_and_restore(self) -> None:
        path = self.window.session.path
        if path is None:
            return
        dialog = RestoreDialog(path, self.window)
        if dialog.exec() and dialog.chosen is not None:
            self.restore(path, dialog.chosen)

    def restore(self, path: Path, backup: Path) -> None:
        """Restore in the background, then reopen the workspace."""
        self.window.statusBar().showMessage(f"Restoring {backup.name}…")
        run_task(lambda progress, cancelled: backups.restore(path, backup), owner=self.window, write=True,
                 on_done=lambda safety: self._restored(path, backup, safety),
                 on_error=lambda msg, details: QMessageBox.warning(self.window, "Restore backup", msg))

    def _restored(self, path: Path, backup: Path, safety) -> None:
        self.window.session.close()
        self.window.open_path(path)
        kept = (f"What it held before is kept in {safety.path.name}." if safety
                else "The damaged file was kept in the backup folder.")
        self.window.statusBar().showMessage(f"Restored {backup.name}. {kept}", 15000)


def offer_restore(parent: QWidget, path: str | Path, exc: WorkspaceError) -> bool:
    """For a damaged workspace: say so and offer its latest good backup; True when it was restored."""
    if not exc.damaged or exc.backup is None:
        return False
    box = QMessageBox(QMessageBox.Icon.Warning, "Damaged workspace", str(exc), parent=parent)
    restore = box.addButton("Restore the latest good backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    try:
        backups.restore(Path(path), exc.backup)
    except WorkspaceError as err:
        QMessageBox.warning(parent, "Restore backup", str(err))
        return False
    return True


def install(window) -> Safety:
    window.safety = Safety(window)
    return window.safety
