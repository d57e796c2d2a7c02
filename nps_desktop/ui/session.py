"""The open workspace as the UI sees it: its path, a connection for quick reads, and change signals.

It also keeps the workspace's columnar snapshot current: loaded off the UI thread when a workspace
opens (the window is usable at once) and again after each change; the pages' jobs wait for a load that
is under way (``core.snapshot.store``) while they show their busy state.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from ..core.snapshot import store
from ..core.workspace import Workspace, open_workspace
from .amounts import use_currency_of

log = logging.getLogger("nps_desktop")


class Session(QObject):
    """Owns the UI thread's connection; background jobs open their own with ``open()``."""

    changed = Signal()            # data changed (import, undo, edit): pages refresh
    workspace_opened = Signal()   # another workspace was opened
    #: Show the page ``key``, after ``then(page)`` when ``then`` is not None (to show one account, a query…):
    #: pages ask with ``go``; the main window shows the page. Pages never look for the window themselves.
    navigate = Signal(str, object)
    import_requested = Signal()   # File ▸ Import…, asked for by a page (the main window opens the wizard)

    def __init__(self) -> None:
        super().__init__()
        self.ws: Workspace | None = None
        self._loader: threading.Thread | None = None

    @property
    def path(self) -> Path | None:
        return self.ws.path if self.ws else None

    def open_path(self, path: str | Path) -> None:
        new = open_workspace(path)
        self.close()
        self.ws = new
        use_currency_of(new)
        self.load_snapshot()
        self.workspace_opened.emit()

    def adopt(self, ws: Workspace) -> None:
        """Make ``ws``, opened elsewhere (a team workspace read from its server), the open workspace."""
        self.close()
        self.ws = ws
        use_currency_of(ws)
        self.load_snapshot()
        self.workspace_opened.emit()

    def swap_in(self, ws: Workspace) -> None:
        """The same workspace read again (a team workspace after someone's import): pages refresh."""
        self.close()
        self.ws = ws
        self.notify_changed()
    def go(self, key: str, then: Callable[[Any], None] | None = None) -> None:
        """Show page ``key`` (``then(page)`` first, e.g. to open one account on it)."""
        self.navigate.emit(key, then)

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

    def load_snapshot(self) -> None:
        """Bring the snapshot up to date on a thread of its own (not the pool the pages' jobs wait in)."""
        path = self.path
        assert path is not None
        store.begin_load(path)

        def run() -> None:
            try:
                with open_workspace(path, create=False, read_only=True) as ws:
                    store.load(ws)
            except Exception:  # the figures come from SQL instead; the log says why
                store.end_load(path)
                log.exception("the snapshot of %s could not be loaded", path)
        self._loader = threading.Thread(target=run, name="snapshot", daemon=True)
        self._loader.start()

    def notify_changed(self) -> None:
        use_currency_of(self.ws)
        self.load_snapshot()
        self.changed.emit()

    def close(self) -> None:
        if self._loader is not None:
            self._loader.join()
            self._loader = None
        if self.ws:
            store.forget(self.ws.path)
            self.ws.close()
            self.ws = None
