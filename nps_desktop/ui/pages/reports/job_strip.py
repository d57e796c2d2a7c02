"""A progress bar, a Cancel button and a status line for one background job at a time."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

from ...workers import Task, run_task

CANCELLED = "cancelled"


class JobStrip(QWidget):
    """A progress bar, a Cancel button and a status line for one background job at a time."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.setMaximumHeight(18)
        self.cancel_button = QPushButton("Cancel")
        self.status = QLabel("")
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.task: Task | None = None
        self.cancel_button.clicked.connect(self.cancel)
        self.idle()

    def idle(self) -> None:
        self.task = None
        self.bar.setVisible(False)
        self.cancel_button.setVisible(False)

    @property
    def busy(self) -> bool:
        return self.task is not None

    def start(self, job: Callable[[Any, Any], Any], on_done: Callable[[Any], None],
              on_error: Callable[[str, str], None], label: str,
              on_finish: Callable[[], None] = lambda: None) -> Task:
        """Run ``job``; ``on_finish`` runs first whatever the outcome (done, failed or cancelled)."""
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.status.setText(label)

        def done(result: Any) -> None:
            if self.task is task:
                self.idle()
                on_finish()
                on_done(result)

        def failed(message: str, details: str) -> None:
            if self.task is task:
                cancelled = task.cancelled or CANCELLED in message
                self.idle()
                on_finish()
                if cancelled:
                    self.status.setText("Cancelled; nothing was written.")
                else:
                    on_error(message, details)

        task = run_task(job, owner=self, on_done=done, on_error=failed, on_progress=self.progress)
        self.task = task
        return task

    def progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")
