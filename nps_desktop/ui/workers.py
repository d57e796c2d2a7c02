"""Background work: run a core function off the UI thread, with progress, cancel and results by signal.

A job is a callable ``fn(progress, cancelled)`` (both arguments may be ignored). Reads run on the global
thread pool; writes on a pool with a single thread, so two writes never race. Results come back to the
UI thread through Qt signals; workers never touch widgets.
"""
from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]

_write_pool: QThreadPool | None = None


def write_pool() -> QThreadPool:
    global _write_pool
    if _write_pool is None:
        _write_pool = QThreadPool()
        _write_pool.setMaxThreadCount(1)
    return _write_pool


class Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str, str)  # message, details (traceback)


class Task(QRunnable):
    """One background job. Connect to ``signals`` before ``start()``; ``cancel()`` asks it to stop."""

    def __init__(self, fn: Job, *, write: bool = False):
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.write = fn, write
        self.signals = Signals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit, self._cancel.is_set)
        except Exception as exc:  # reported to the UI thread, which shows it
            self.signals.failed.emit(str(exc) or type(exc).__name__, traceback.format_exc())
        else:
            self.signals.finished.emit(result)

    def start(self) -> "Task":
        (write_pool() if self.write else QThreadPool.globalInstance()).start(self)
        return self


_running: set[Task] = set()


def run_task(fn: Job, *, on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str, str], None] | None = None,
             on_progress: Callable[[int, int], None] | None = None, write: bool = False,
             owner: QObject | None = None) -> Task:
    """Start ``fn`` in the background and call the handlers on the UI thread.

    With an ``owner`` (the widget the handlers update), the handlers are skipped once it is deleted:
    a window closed while its job ran drops the result instead of touching dead widgets."""
    task = Task(fn, write=write)
    _running.add(task)
    on_done, on_error, on_progress = (_while_alive(owner, h) for h in (on_done, on_error, on_progress))
    if on_progress:
        task.signals.progress.connect(on_progress)
    if on_done:
        task.signals.finished.connect(on_done)
    if on_error:
        task.signals.failed.connect(on_error)
    task.signals.finished.connect(lambda *_: _running.discard(task))
    task.signals.failed.connect(lambda *_: _running.discard(task))
    return task.start()


def stop_all(timeout_ms: int = 30000) -> bool:
    """Ask every running job to stop and wait for them (at exit: a write finishes or rolls back)."""
    for task in list(_running):
        task.cancel()
    pools = [QThreadPool.globalInstance()] + ([_write_pool] if _write_pool is not None else [])
    return all(pool.waitForDone(timeout_ms) for pool in pools)


def _while_alive(owner: QObject | None, handler: Callable[..., None] | None) -> Callable[..., None] | None:
    if owner is None or handler is None:
        return handler
    return lambda *args: handler(*args) if isValid(owner) else None
