"""Undoing an import batch exactly: rows it changed get their previous values back, rows it added go.

Restoring follows ``import_changes`` newest first, so a row changed twice in one batch ends with the
value it had before the batch. Then the batch's rows are deleted (children first) and the features
passed in (``follow_ups.after_undo``) undo their own work, all in one transaction.

An undo never silently overwrites later work: when a later import (not undone) or a hand edit (a revenue
event) changed the columns this batch changed, it is refused, naming those rows and what changed
them, so that the later imports are undone first, newest first. (Import never changes a stored
response's score, so score corrections cannot conflict.)
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Callable

from .. import as_of, backups
from ..workspace import Workspace, now_iso
from ..snapshot import store, update
from . import hooks
from .errors import ImportRefused

#: The tables an import writes, in the order their rows are removed (rows referring to others first).
TABLES = ("responses", "revenue_events", "contacts", "accounts")
_RESTORABLE = {"responses", "contacts", "accounts"}


@dataclass
class UndoResult:
    batch_id: int
    file: str
    removed: dict[str, int] = field(default_factory=dict)
    restored: int = 0
    unlinked: dict[str, int] = field(default_factory=dict)   # rows of other batches that lose a link

    def as_json(self) -> dict:
        return {"batch_id": self.batch_id, "file": self.file, "removed": self.removed, "restored": self.restored,
                "unlinked": self.unlinked}


def undoable_batch(batch_id: int, row: Any) -> str:
    """The file name of batch ``batch_id`` from its (file_name, undone_at) ``row``; refused in one line when
    there is no such batch or it was undone already (both stores word it so)."""
    if row is None:
        raise ImportRefused(f"There is no import batch {batch_id}; `imports` lists them.")
    if row[1] is not None:
        raise ImportRefused(f"Import batch {batch_id} ({row[0]}) was already undone on {row[1]}.")
    return str(row[0])


def refuse_losses(batch_id: int, name: str, dependents: list[tuple[str, int, str]],
                  later_changes: Callable[[], list[str]]) -> None:
    """Refuse an undo that would delete rows other imports depend on (``dependents``: table, rows, on-delete
    action) or wipe out ``later_changes()`` (asked only when nothing would be deleted)."""
    lost = [(t, n) for t, n, action in dependents if action == "CASCADE" and n]
    if lost:
        what = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in lost)
        raise ImportRefused(f"Undoing import batch {batch_id} ({name}) would also delete {what} that belong to "
                            f"its accounts or contacts; undo the imports that added them (or remove them) first.")
    later = later_changes()
    if later:
        shown = "; ".join(later[:5]) + (f"; and {len(later) - 5:,} more" if len(later) > 5 else "")
        raise ImportRefused(f"Undoing import batch {batch_id} ({name}) would wipe out later changes to the same "
                            f"rows: {shown}. Undo the later imports first (newest first); nothing was changed.")


def undo_batch(ws: Workspace, batch_id: int, follow_ups: hooks.FollowUps = hooks.NONE) -> UndoResult:
    backups.before(ws, f"undo of import batch {batch_id}")  # a verified backup first (data safety)
    with store.writing(ws, update.Rows.batch(batch_id)), ws.transaction() as conn:
        return undo_in(conn, batch_id, follow_ups)


def undo_in(conn: sqlite3.Connection, batch_id: int, follow_ups: hooks.FollowUps = hooks.NONE) -> UndoResult:
    """Undo batch ``batch_id`` in the caller's transaction; then ``follow_ups.after_undo``."""
    name = undoable_batch(batch_id, conn.execute("SELECT file_name, undone_at FROM import_batches WHERE id = ?",
                                                 (batch_id,)).fetchone())
    result = UndoResult(batch_id, name)
    dependents = _dependents(conn, batch_id)
    refuse_losses(batch_id, name, dependents, lambda: _later_changes(conn, batch_id))
    result.unlinked = {t: n for t, n, action in dependents if action == "SET NULL" and n}
    changes = conn.execute("SELECT table_name, row_id, before FROM import_changes WHERE batch_id = ? "
                           "ORDER BY id DESC", (batch_id,)).fetchall()
    for table, row_id, before in changes:
        restore(conn, table, row_id, json.loads(before))
        result.restored += 1
    for table in TABLES:
        n = conn.execute(f"DELETE FROM {table} WHERE import_batch_id = ?", (batch_id,)).rowcount
        if n:
            result.removed[table] = n
    as_of.forget_snapshots(conn, batch_id)
    follow_ups.batch_undone(conn, batch_id)
    conn.execute("UPDATE import_batches SET undone_at = ? WHERE id = ?", (now_iso(), batch_id))
    return result


#: How a row is named to the user, per table.
_ROW_NAME = {"contacts": "'contact ' || coalesce(email, id)", "accounts": "'account ' || name",
             "responses": "'response ' || coalesce(source_id, id)"}


def _later_changes(conn: sqlite3.Connection, batch_id: int) -> list[str]:
    """The values batch ``batch_id``'s undo would overwrite: the same columns of the same rows changed
    since by a later batch (not undone), or an account's ARR changed since by a revenue event."""
    mine: dict[tuple[str, int], set[str]] = {}
    for table, row_id, before in conn.execute("SELECT table_name, row_id, before FROM import_changes "
                                              "WHERE batch_id = ?", (batch_id,)):
        mine.setdefault((table, row_id), set()).update(json.loads(before))
    if not mine:
        return []
    out = []
    for table, row_id, before, later, file in conn.execute(
            "SELECT c.table_name, c.row_id, c.before, b.id, b.file_name FROM import_changes c "
            "JOIN import_batches b ON b.id = c.batch_id WHERE c.batch_id > ? AND b.undone_at IS NULL "
            "ORDER BY b.id, c.id", (batch_id,)):
        if mine.get((table, row_id), set()) & set(json.loads(before)):
            out.append(f"{_row_name(conn, table, row_id)} (changed by import batch {later}, {file})")
    imported_on = conn.execute("SELECT substr(imported_at, 1, 10) FROM import_batches WHERE id = ?",
                               (batch_id,)).fetchone()[0]
    for account_id, later, file in conn.execute(
            "SELECT DISTINCT e.account_id, b.id, b.file_name FROM revenue_events e "
            "LEFT JOIN import_batches b ON b.id = e.import_batch_id "
            "WHERE (b.id > ? AND b.undone_at IS NULL) OR (e.import_batch_id IS NULL AND e.occurred_on >= ?) "
            "ORDER BY e.account_id", (batch_id, imported_on)):
        if {"arr", "status"} & mine.get(("accounts", account_id), set()):
            by = f"import batch {later}, {file}" if later else "a revenue event entered by hand"
            out.append(f"{_row_name(conn, 'accounts', account_id)} (its ARR was changed by {by})")
    return list(dict.fromkeys(out))


def _row_name(conn: sqlite3.Connection, table: str, row_id: int) -> str:
    name = conn.execute(f"SELECT {_ROW_NAME[table]} FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return f"{table[:-1]} {row_id}" if name is None or name[0] is None else str(name[0])


def _dependents(conn: sqlite3.Connection, batch_id: int) -> list[tuple[str, int, str]]:
    """(table, rows, on delete) of other rows that refer to the accounts and contacts this batch added."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE 'sqlite_%'")]
    out = []
    for table in tables:
        own = "import_batch_id" in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        for fk in conn.execute(f"PRAGMA foreign_key_list({table})").fetchall():
            parent, column, on_delete = fk[2], fk[3], fk[6]
            if parent not in ("accounts", "contacts") or (table == parent):
                continue
            other = f" AND t.import_batch_id IS NOT {int(batch_id)}" if own else ""
            n = conn.execute(f"SELECT count(*) FROM {table} t JOIN {parent} p ON p.id = t.{column} "
                             f"WHERE p.import_batch_id = ?{other}", (batch_id,)).fetchone()[0]
            out.append((table, n, on_delete))
    return out


def restore(conn: sqlite3.Connection, table: str, row_id: int, before: dict) -> None:
    if table not in _RESTORABLE:
        raise ValueError(f"import_changes names an unknown table {table!r}")
    known = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    cols = [c for c in before if c in known]
    if cols:
        conn.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                     [before[c] for c in cols] + [row_id])
