"""Python's cyclic garbage collector, run on the GUI thread only.

Left automatic, a collection starts in whichever thread happens to allocate, a worker thread included,
and may free Qt widgets there: Qt then crashes. So automatic collection is turned off and a timer on the
GUI thread collects instead, as soon as the allocation counts say a collection is due.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class MainThreadCollector(QObject):
    """Collects garbage on the thread it lives on, checking every ``interval_ms``."""

    def __init__(self, interval_ms: int = 300, parent: QObject | None = None):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        """Collect the oldest generation whose count is over its threshold, as automatic collection would."""
        counts = gc.get_count()
        if counts[0] <= self.threshold[0]:
            return
        generation = 2 if counts[2] > self.threshold[2] else 1 if counts[1] > self.threshold[1] else 0
        gc.collect(generation)


def install(app: QObject) -> MainThreadCollector:
    """Move collection onto ``app``'s thread (the GUI thread) for the rest of the process."""
    collector = app.findChild(MainThreadCollector)
    return collector or MainThreadCollector(parent=app)
