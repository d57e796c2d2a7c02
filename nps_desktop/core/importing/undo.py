"""Undoing an import batch exactly: rows it changed get their previous values back, rows it added go.

Restoring follows ``import_changes`` newest first, so a row changed twice in one batch ends with the
value it had before the batch. Then the batch's rows are deleted (children first) and the features
registered in ``hooks.AFTER_UNDO`` undo their own work, all in one transaction.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from .. import backups
from ..workspace import Workspace, now_iso
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


def undo_batch(ws: Workspace, batch_id: int) -> UndoResult:
    backups.before(ws, f"undo of import batch {batch_id}")  # a verified backup first (data safety)
    with ws.transaction() as conn:
        return undo_in(conn, batch_id)


def undo_in(conn: sqlite3.Connection, batch_id: int) -> UndoResult:
    """Undo batch ``batch_id`` in the caller's transaction."""
    row = conn.execute("SELECT file_name, undone_at FROM import_batches WHERE id = ?", (batch_id,)).fetchone()
    if row is None:
        raise ImportRefused(f"There is no import batch {batch_id}; `imports` lists them.")
    if row[1] is not None:
        raise ImportRefused(f"Import batch {batch_id} ({row[0]}) was already undone on {row[1]}.")
    result = UndoResult(batch_id, row[0])
    lost = [(t, n) for t, n, action in _dependents(conn, batch_id) if action == "CASCADE" and n]
    if lost:
        what = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in lost)
        raise ImportRefused(f"Undoing import batch {batch_id} ({row[0]}) would also delete {what} that belong to "
                            f"its accounts or contacts; undo the imports that added them (or remove them) first.")
    result.unlinked = {t: n for t, n, action in _dependents(conn, batch_id) if action == "SET NULL" and n}
    changes = conn.execute("SELECT table_name, row_id, before FROM import_changes WHERE batch_id = ? "
                           "ORDER BY id DESC", (batch_id,)).fetchall()
    for table, row_id, before in changes:
        restore(conn, table, row_id, json.loads(before))
        result.restored += 1
    for table in TABLES:
        n = conn.execute(f"DELETE FROM {table} WHERE import_batch_id = ?", (batch_id,)).rowcount
        if n:
            result.removed[table] = n
    hooks.after_undo(conn, batch_id)
    conn.execute("UPDATE import_batches SET undone_at = ? WHERE id = ?", (now_iso(), batch_id))
    return result


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
