"""The open workspace as the UI sees it: its path, a connection for quick reads, and change signals."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from ..core.workspace import Workspace, open_workspace
from .amounts import use_currency_of


class Session(QObject):
    """Owns the UI thread's connection; background jobs open their own with ``open()``."""

    changed = Signal()            # data changed (import, undo, edit): pages refresh
    workspace_opened = Signal()   # another workspace was opened

    def __init__(self) -> None:
        super().__init__()
        self.ws: Workspace | None = None

    @property
    def path(self) -> Path | None:
        return self.ws.path if self.ws else None

    def open_path(self, path: str | Path) -> None:
        new = open_workspace(path)
        if self.ws:
            self.ws.close()
        self.ws = new
        use_currency_of(new)
        self.workspace_opened.emit()

    def open(self, read_only: bool = False) -> Workspace:
        """A new connection to the same workspace, for a background job (close it when done)."""
        assert self.path is not None
        return open_workspace(self.path, create=False, read_only=read_only)

    def job(self, fn: Callable[[Workspace, Any, Any], Any], read_only: bool = False):
        """Wrap ``fn(ws, progress, cancelled)`` as a worker job with its own connection."""
        def run(progress, cancelled):
            with self.open(read_only=read_only) as ws:
                return fn(ws, progress, cancelled)
        return run

    def notify_changed(self) -> None:
        use_currency_of(self.ws)
        self.changed.emit()

    def close(self) -> None:
        if self.ws:
            self.ws.close()
            self.ws = None
