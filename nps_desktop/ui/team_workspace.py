"""File ▸ Connect to team workspace…: a team workspace on PostgreSQL, read on the dashboard, kept current.

The dialog asks for the server, the database, the user and the password; the password goes to the system
keyring (``core.team.connect.store_password``) — never to a file — and, on a computer without a keyring,
is held in memory for this session only. The server's certificate and name are checked
(``sslmode=verify-full``) unless the user ticks the opt-out. The workspace opens read-only from the
server's snapshot (loaded off the UI thread); a ``TeamWatcher`` thread LISTENs for other people's imports
and the snapshot is reloaded, off the UI thread again, when one is announced: the pages refresh.
"""
from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QMessageBox, QSpinBox, QVBoxLayout)

from .workers import run_task

log = logging.getLogger("nps_desktop")
TITLE = "Connect to team workspace"


class ConnectDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        layout = QVBoxLayout(self)
        intro = QLabel("A team workspace lives on a PostgreSQL server your IT runs. It opens read-only here, "
                       "from the server's figures, and stays current as others import.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.host = QLineEdit()
        self.host.setObjectName("host")
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit()
        self.database.setObjectName("database")
        self.user = QLineEdit()
        self.user.setObjectName("user")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.insecure = QCheckBox("Do not check the server's certificate (not recommended)")
        self.insecure.setObjectName("insecure")
        for label, widget in (("Server", self.host), ("Port", self.port), ("Database", self.database),
                              ("User", self.user), ("Password", self.password)):
            form.addRow(label, widget)
        form.addRow("", self.insecure)
        layout.addLayout(form)
        note = QLabel("The password is kept in the system keyring, never in a file.")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Connect")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def dsn(self) -> str:
        return (f"postgresql://{quote(self.user.text().strip(), safe='')}@{self.host.text().strip()}:"
                f"{self.port.value()}/{quote(self.database.text().strip(), safe='')}")

    def _check(self) -> None:
        missing = [name for name, w in (("server", self.host), ("database", self.database), ("user", self.user))
                   if not w.text().strip()]
        if missing:
            QMessageBox.warning(self, TITLE, f"Fill in the {', '.join(missing)}.")
            return
        self.accept()


class TeamWatcher(QThread):
    """LISTENs on its own connection and emits what other people announce (never blocks the UI)."""
    announced = Signal(object)
    failed = Signal(str)

    def __init__(self, dsn: str, insecure: bool, password: str | None):
        super().__init__()
        self.dsn, self.insecure, self.password = dsn, insecure, password

    def run(self) -> None:
        from ..core.team.connect import TeamError
        from ..core.team.watch import Watcher
        try:
            with Watcher(self.dsn, insecure=self.insecure, password=self.password) as watcher:
                while not self.isInterruptionRequested():
                    for note in watcher.wait(0.25):
                        self.announced.emit(note)
        except TeamError as exc:
            self.failed.emit(str(exc))


class TeamWorkspace:
    """The team-workspace parts of one main window: the menu command, the open connection's details,
    the watcher."""

    def __init__(self, window):
        self.window = window
        self.dsn: str | None = None
        self.insecure = False
        self.password: str | None = None   # only when this computer has no keyring
        self.watcher: TeamWatcher | None = None
        self.reloading = False
        self.action = QAction("Connect to &team workspace…", window)
        self.action.triggered.connect(self.connect_dialog)
        window.file_menu.insertAction(window._quit_separator, self.action)
        window.session.workspace_opened.connect(self._on_workspace)
        window.destroyed.connect(lambda *_: self.stop())

    def connect_dialog(self) -> None:
        dialog = ConnectDialog(self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.open(dialog.dsn(), dialog.password.text(), dialog.insecure.isChecked())

    def open(self, dsn: str, password: str, insecure: bool) -> None:
        from ..core.team import connect
        try:
            target = connect.parse(dsn, insecure=insecure)
        except connect.TeamError as exc:
            QMessageBox.warning(self.window, TITLE, str(exc))
            return
        kept_password: str | None = None
        if password:
            try:
                connect.store_password(target, password)
            except connect.TeamError:   # no keyring here: the password lives in memory, for this session
                kept_password = password
        self.window.statusBar().showMessage(f"Connecting to {target.shown}…")
        run_task(lambda p, c: _read(dsn, insecure, kept_password), owner=self.window,
                 on_done=lambda ws: self._opened(ws, dsn, insecure, kept_password),
                 on_error=lambda msg, details: self._failed(msg))

    def _failed(self, message: str) -> None:
        self.window.statusBar().clearMessage()
        QMessageBox.warning(self.window, TITLE, message)

    def _opened(self, ws, dsn: str, insecure: bool, password: str | None) -> None:
        self.stop()
        self.dsn, self.insecure, self.password = dsn, insecure, password
        self.window.session.adopt(ws)
        self.window.setWindowTitle(f"{ws.shown} — NPS Desktop")
        self.window.status_ws.setText(f"Team workspace: {ws.shown} (read-only)")
        self.window.statusBar().showMessage(f"Connected to {ws.shown}; the dashboard follows others' imports.",
                                            8000)
        self.window.show_page("dashboard")
        self.watcher = TeamWatcher(dsn, insecure, password)
        self.watcher.announced.connect(self._announced)
        self.watcher.failed.connect(lambda msg: self.window.statusBar().showMessage(msg))
        self.watcher.start()

    def _announced(self, note: dict[str, Any]) -> None:
        if note.get("what") == "action":   # the dashboard's figures do not depend on the actions
            self.window.statusBar().showMessage(f"{note.get('by') or 'Someone'} changed action "
                                                f"{note.get('action')}.", 5000)
            return
        if self.dsn is None or self.reloading:
            return
        self.reloading = True
        by, rows = note.get("by"), note.get("rows")
        self.window.statusBar().showMessage(f"{by or 'Someone'} imported {rows or 0:,} responses; updating…")
        dsn, insecure, password = self.dsn, self.insecure, self.password
        run_task(lambda p, c: _read(dsn, insecure, password), owner=self.window,
                 on_done=self._reloaded, on_error=lambda msg, details: self._reload_failed(msg))

    def _reloaded(self, ws) -> None:
        self.reloading = False
        if self.dsn is None:
            ws.close()
            return
        self.window.session.swap_in(ws)
        self.window.status_ws.setText(f"Team workspace: {ws.shown} (read-only)")
        self.window.statusBar().showMessage("Updated with the latest import.", 5000)

    def _reload_failed(self, message: str) -> None:
        self.reloading = False
        self.window.statusBar().showMessage(f"The team workspace could not be updated: {message}")

    def _on_workspace(self) -> None:
        from ..core.team.reading import TeamReading
        if not isinstance(self.window.session.ws, TeamReading):   # a file was opened instead
            self.stop()
            self.dsn = None

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.requestInterruption()
            self.watcher.wait()
            self.watcher = None


def _read(dsn: str, insecure: bool, password: str | None):
    from ..core.team.reading import open_for_reading
    return open_for_reading(dsn, "stats", insecure=insecure, password=password)


def install(window) -> TeamWorkspace:
    window.team = TeamWorkspace(window)
    return window.team
