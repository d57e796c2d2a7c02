"""Where other features react to imports, inside the import's own transaction.

- ``AFTER_RESPONSES``: ``f(conn, response_ids, batch_id, step)`` after a batch's responses are inserted
  (text tagging, close-the-loop plays). Not called by a dry run (``importer.plan``). A hook calls
  ``step(done, total)`` (when it is not None) as it works through the responses: the import's progress
  bar follows, and ``step`` raises ``ImportCancelled`` once the user has cancelled (all is rolled back).
- ``AFTER_UNDO``: ``f(conn, batch_id)`` after ``undo.undo_batch`` removed a batch's rows, so that a
  feature can undo what it did for them (e.g. actions nobody has worked on).

A feature registers itself by appending its function (``hooks.AFTER_RESPONSES.append(f)``); ``register``
does the same without adding a function twice. A hook that raises aborts the import: nothing is kept.
"""
from __future__ import annotations

import sqlite3
from typing import Callable, Sequence

Step = Callable[[int, int], None]
AfterResponses = Callable[[sqlite3.Connection, Sequence[int], int, "Step | None"], None]
AfterUndo = Callable[[sqlite3.Connection, int], None]

AFTER_RESPONSES: list[AfterResponses] = []
AFTER_UNDO: list[AfterUndo] = []


def register(hook_list: list, fn: Callable) -> Callable:
    """Append ``fn`` to ``hook_list`` once; returns ``fn`` (usable as a decorator with partial)."""
    if fn not in hook_list:
        hook_list.append(fn)
    return fn


def after_responses(conn: sqlite3.Connection, response_ids: Sequence[int], batch_id: int,
                    step: Step | None = None) -> None:
    """Run every hook; their steps make one bar, each hook its share of it."""
    fns = list(AFTER_RESPONSES)
    for i, fn in enumerate(fns):
        share = None if step is None else _share(step, i, len(fns))
        fn(conn, response_ids, batch_id, share)


def _share(step: Step, i: int, n: int) -> Step:
    return lambda done, total: step(i * total + done, n * total)


def after_undo(conn: sqlite3.Connection, batch_id: int) -> None:
    for fn in list(AFTER_UNDO):
        fn(conn, batch_id)
