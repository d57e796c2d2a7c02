"""The follow-up steps of an import, passed in by whoever starts it; they run in the import's transaction.

- ``after_responses``: ``f(conn, response_ids, batch_id, step)`` after a batch's responses are inserted
  (text tagging, close-the-loop plays). Not run by a dry run (``importer.plan``). A step calls
  ``step(done, total)`` (when it is not None) as it works through the responses: the import's progress
  bar follows, and ``step`` raises ``ImportCancelled`` once the user has cancelled (all is rolled back).
- ``after_undo``: ``f(conn, batch_id)`` after ``undo.undo_batch`` removed a batch's rows, so that a
  feature can undo what it did for them (e.g. actions nobody has worked on).

The importer knows no feature: the app and the CLI pass ``core.follow_ups.STANDARD``; a caller that
passes nothing (``NONE``) imports rows only. A step that raises aborts the import: nothing is kept.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Callable, Sequence

Step = Callable[[int, int], None]
AfterResponses = Callable[[sqlite3.Connection, Sequence[int], int, "Step | None"], None]
AfterUndo = Callable[[sqlite3.Connection, int], None]


@dataclass(frozen=True)
class FollowUps:
    """What an import (``after_responses``) and an undo (``after_undo``) run after writing, in order."""

    after_responses: tuple[AfterResponses, ...] = ()
    after_undo: tuple[AfterUndo, ...] = ()

    def responses_added(self, conn: sqlite3.Connection, response_ids: Sequence[int], batch_id: int,
                        step: Step | None = None) -> None:
        """Run every ``after_responses`` step; their steps make one bar, each its share of it."""
        fns = self.after_responses
        for i, fn in enumerate(fns):
            share = None if step is None else _share(step, i, len(fns))
            fn(conn, response_ids, batch_id, share)

    def batch_undone(self, conn: sqlite3.Connection, batch_id: int) -> None:
        for fn in self.after_undo:
            fn(conn, batch_id)


#: No follow-ups: the import writes its rows and nothing else.
NONE = FollowUps()


def _share(step: Step, i: int, n: int) -> Step:
    return lambda done, total: step(i * total + done, n * total)
