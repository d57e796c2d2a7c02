"""What every page is: a titled widget that loads its data from the session, off the UI thread."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from ..session import Session
from ..widgets.empty_state import EmptyState
from ..workers import Task, run_task


class Page(QWidget):
    """Subclasses set ``title`` and implement ``refresh()``; they are built lazily, on first view.

    ``refresh()`` is called when the page is shown after the data changed, or another workspace was
    opened. Use ``self.load(fn, on_done)`` to run ``fn(ws, progress, cancelled)`` in the background with
    a fresh connection and receive its result on the UI thread; a newer load supersedes an older one.
    """

    title = "Page"
    #: One-line description shown in tooltips and empty states.
    summary = ""
    #: What the page needs to show anything ("responses", "accounts", "contacts" or None), and what it says
    #: (with an import button for that kind) while the workspace has none.
    needs: str | None = None
    empty_text = ""
    #: The page's own keys while it shows: (command, keys, method name), listed under Help.
    SHORTCUTS: list[tuple[str, str, str]] = []

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.stale = True
        self._task: Task | None = None
        self._empty: EmptyState | None = None
        self.lacks_data = False   # the workspace holds none of what ``needs`` names (as of the last refresh)
        session.changed.connect(self._mark_stale)
        session.workspace_opened.connect(self._mark_stale)

    def _mark_stale(self) -> None:
        self.stale = True
        if self.isVisible():
            self.refresh_if_stale()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        if self.stale and self.session.ws is not None:
            self.stale = False
            self._show_empty_state()
            self.refresh()

    def _show_empty_state(self) -> None:
        if self.needs is None:
            return
        missing = self.lacks_data = bool(self.session.ws.scalar(f"SELECT NOT EXISTS (SELECT 1 FROM {self.needs})"))
        if missing and self._empty is None:
            self._empty = EmptyState(self, f"<h2>{self.title}</h2><p>{self.empty_text}</p>",
                                     f"Import {self.needs}…", self._import_needed)
        if self._empty is not None:
            self._empty.set_shown(missing)

    def _import_needed(self) -> None:
        importer = getattr(QWidget.window(self), "importer", None)  # (pages may define a date "window")
        if importer is not None:
            importer.open(kind=self.needs)

    def refresh(self) -> None:
        """Reload what the page shows."""

    def load(self, fn: Callable[..., Any], on_done: Callable[[Any], None], write: bool = False) -> Task:
        if self._task is not None:
            self._task.cancel()
        task = run_task(self.session.job(fn), owner=self, write=write,
                        on_done=lambda result, t=None: self._done(task, on_done, result),
                        on_error=self.show_error)
        self._task = task
        return task

    def _done(self, task: Task, on_done: Callable[[Any], None], result: Any) -> None:
        if task is self._task and not task.cancelled and self.session.ws is not None:
            self._task = None
            on_done(result)

    def show_error(self, message: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.title, message, parent=self)
        if details:
            box.setDetailedText(details)
        box.exec()
