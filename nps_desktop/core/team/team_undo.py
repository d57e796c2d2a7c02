"""Undoing an import batch of a team workspace: the file's rules (``core.importing.undo``) in PostgreSQL's SQL.

Under the import lock (``team_import.take_lock``: an import or another undo running meanwhile makes it
wait, told who holds it), in ONE transaction: refused, naming the rows and what changed them, when a later
import (not undone) or a revenue event changed what the undo would give back, or when it would delete rows
that belong to its accounts or contacts — with the same words as on a file, and nothing changed. Else the
rows the batch changed get their previous values back (newest change first), its rows go, its account
snapshots go, and the plays' part is undone as ``core.loop.engine.forget_batch`` does: the batch's actions
nobody worked on are deleted (the batch's and moved actions are locked first, so a person's change either
commits before and keeps the action, or waits and is then told it changed), and actions it moved to one of
its responses go back to the earlier response, versioned in the undoer's name. Then an audit row, the
snapshot generation raised, and ``NOTIFY`` at commit.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any, Callable

import psycopg
from psycopg import sql

from .. import clock
from ..importing.undo import _RESTORABLE, TABLES, UndoResult, refuse_losses, undoable_batch
from .. import settings
from ..loop.plays import DEFAULT_PLAYS, Play
from ..workspace import now_iso
from . import pg_schema
from .connect import refusals
from .team_import import CHANNEL, locked_transaction

#: How a row is named to the user, per table (as ``core.importing.undo`` names it).
_ROW_NAME = {"contacts": "'contact ' || coalesce(email, id::text)", "accounts": "'account ' || name",
             "responses": "'response ' || coalesce(source_id, id::text)"}


def undo_into(conn: psycopg.Connection[Any], where: str, batch_id: int, *,
              on_wait: Callable[[str], None] | None = None) -> UndoResult:
    """Undo import batch ``batch_id`` of the team database of ``conn`` (``where`` names it in messages)."""
    with refusals(where, "the undo", "nothing was changed"), locked_transaction(conn, where, on_wait):
        result = _undo(conn, batch_id)
        conn.execute("SELECT nps_audit('undo import', %s)", (json.dumps(result.as_json(), ensure_ascii=False),))
        conn.execute("UPDATE generation SET counter = counter + 1")
        by = conn.execute("SELECT session_user").fetchone()
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, json.dumps(
            {"what": "undo", "batch": batch_id, "by": str(by[0]) if by else ""})))
    return result


def _undo(conn: psycopg.Connection[Any], batch_id: int) -> UndoResult:
    name = undoable_batch(batch_id, conn.execute("SELECT file_name, undone_at FROM import_batches WHERE id = %s",
                                                 (batch_id,)).fetchone())
    result = UndoResult(batch_id, name)
    dependents = _dependents(conn, batch_id)
    refuse_losses(batch_id, name, dependents, lambda: _later_changes(conn, batch_id))
    result.unlinked = {t: n for t, n, action in dependents if action == "SET NULL" and n}
    # the actions this undo may delete or move back: locked now, read afresh by the statements below
    conn.execute("SELECT a.id FROM actions a WHERE a.import_batch_id = %s OR a.response_id IN "
                 "(SELECT id FROM responses WHERE import_batch_id = %s) FOR UPDATE", (batch_id, batch_id))
    for table, row_id, before in conn.execute("SELECT table_name, row_id, before FROM import_changes "
                                              "WHERE batch_id = %s ORDER BY id DESC", (batch_id,)).fetchall():
        _restore(conn, table, row_id, json.loads(before))
        result.restored += 1
    for table in TABLES:
        n = conn.execute(sql.SQL("DELETE FROM {} WHERE import_batch_id = %s").format(sql.Identifier(table)),
                         (batch_id,)).rowcount
        if n:
            result.removed[table] = n
    conn.execute("DELETE FROM account_snapshots WHERE import_batch_id = %s", (batch_id,))
    _forget_actions(conn, batch_id)
    conn.execute("UPDATE import_batches SET undone_at = %s WHERE id = %s", (now_iso(), batch_id))
    return result


def _later_changes(conn: psycopg.Connection[Any], batch_id: int) -> list[str]:
    mine: dict[tuple[str, int], set[str]] = {}
    for table, row_id, before in conn.execute("SELECT table_name, row_id, before FROM import_changes "
                                              "WHERE batch_id = %s", (batch_id,)).fetchall():
        mine.setdefault((table, row_id), set()).update(json.loads(before))
    if not mine:
        return []
    out = []
    for table, row_id, before, later, file in conn.execute(
            "SELECT c.table_name, c.row_id, c.before, b.id, b.file_name FROM import_changes c "
            "JOIN import_batches b ON b.id = c.batch_id WHERE c.batch_id > %s AND b.undone_at IS NULL "
            "ORDER BY b.id, c.id", (batch_id,)).fetchall():
        if mine.get((table, row_id), set()) & set(json.loads(before)):
            out.append(f"{_row_name(conn, table, row_id)} (changed by import batch {later}, {file})")
    got = conn.execute("SELECT substr(imported_at, 1, 10) FROM import_batches WHERE id = %s", (batch_id,)).fetchone()
    imported_on = got[0] if got else ""
    for account_id, later, file in conn.execute(
            "SELECT DISTINCT e.account_id, b.id, b.file_name FROM revenue_events e "
            "LEFT JOIN import_batches b ON b.id = e.import_batch_id "
            "WHERE (b.id > %s AND b.undone_at IS NULL) OR (e.import_batch_id IS NULL AND e.occurred_on >= %s) "
            "ORDER BY e.account_id", (batch_id, imported_on)).fetchall():
        if {"arr", "status"} & mine.get(("accounts", account_id), set()):
            by = f"import batch {later}, {file}" if later else "a revenue event entered by hand"
            out.append(f"{_row_name(conn, 'accounts', account_id)} (its ARR was changed by {by})")
    return list(dict.fromkeys(out))


def _row_name(conn: psycopg.Connection[Any], table: str, row_id: int) -> str:
    name = conn.execute(sql.SQL("SELECT " + _ROW_NAME[table] + " FROM {} WHERE id = %s").format(  # noqa: S608
        sql.Identifier(table)), (row_id,)).fetchone()
    return f"{table[:-1]} {row_id}" if name is None or name[0] is None else str(name[0])


def _dependents(conn: psycopg.Connection[Any], batch_id: int) -> list[tuple[str, int, str]]:
    """(table, rows, on delete) of other rows that refer to the accounts and contacts this batch added."""
    fks = conn.execute(
        "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, c.confdeltype "
        "FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace "
        "AND c.confrelid::regclass::text IN ('accounts', 'contacts') AND c.conrelid <> c.confrelid "
        "ORDER BY 1, 2").fetchall()
    out = []
    for table, column, parent, kind in fks:
        own = any(name == "import_batch_id" for name, _, _ in pg_schema.columns(conn, table))
        other = sql.SQL(" AND t.import_batch_id IS DISTINCT FROM {}").format(sql.Literal(batch_id)) \
            if own else sql.SQL("")
        got = conn.execute(sql.SQL("SELECT count(*) FROM {} t JOIN {} p ON p.id = t.{} "
                                   "WHERE p.import_batch_id = %s{}").format(
            sql.Identifier(table), sql.Identifier(parent), sql.Identifier(column), other), (batch_id,)).fetchone()
        action = {"c": "CASCADE", "n": "SET NULL"}.get(kind, "NO ACTION")
        out.append((table, int(got[0]) if got else 0, action))
    return out


def _restore(conn: psycopg.Connection[Any], table: str, row_id: int, before: dict[str, Any]) -> None:
    if table not in _RESTORABLE:
        raise ValueError(f"import_changes names an unknown table {table!r}")
    known = {name for name, _, _ in pg_schema.columns(conn, table)}
    cols = [c for c in before if c in known]
    if cols:
        conn.execute(sql.SQL("UPDATE {} SET {} WHERE id = %s").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in cols)),
            [before[c] for c in cols] + [row_id])


# -- the plays' part (core.loop.engine.forget_batch) ---------------------------------------------------------------
def _plays(conn: psycopg.Connection[Any]) -> dict[str, Play]:
    rows = conn.execute("SELECT id, key, name, category, enabled, due_business_days, params FROM plays "
                        "ORDER BY id").fetchall()
    if not rows:
        return {p.key: p for p in DEFAULT_PLAYS}
    return {r[1]: Play(r[1], r[2], r[3], r[5], bool(r[4]), json.loads(r[6] or "{}"), r[0]) for r in rows}


def _holidays(conn: psycopg.Connection[Any]) -> frozenset[date]:
    row = conn.execute("SELECT value FROM settings WHERE key = 'loop.holidays'").fetchone()
    days = json.loads(row[0]) if row else settings.LOOP_HOLIDAYS.default
    return frozenset(date.fromisoformat(d) for d in days)


def _forget_actions(conn: psycopg.Connection[Any], batch_id: int) -> None:
    at = clock.now().strftime("%Y-%m-%dT%H:%M:%S")
    conn.execute(   # a person's change is any history row the engine did not write
        "DELETE FROM actions WHERE import_batch_id = %s AND status = 'open' AND NOT EXISTS "
        "(SELECT 1 FROM action_history h WHERE h.action_id = actions.id "
        " AND h.field NOT IN ('created', 'response_id') AND NOT EXISTS (SELECT 1 FROM action_history e "
        "  WHERE e.action_id = h.action_id AND e.at = h.at AND e.field = 'response_id'))", (batch_id,))
    plays = _plays(conn)
    holidays = _holidays(conn)
    orphans = conn.execute("SELECT a.id, a.play, a.due, a.created_at, a.import_batch_id, ac.arr FROM actions a "
                           "LEFT JOIN accounts ac ON ac.id = a.account_id "
                           "WHERE a.response_id IS NULL AND a.status <> 'done' ORDER BY a.id FOR UPDATE OF a").fetchall()
    for action_id, play, due, created_at, import_batch_id, arr in orphans:
        prev = conn.execute(
            "SELECT r.id, r.responded_on FROM action_history h JOIN responses r ON r.id::text = h.old "
            "WHERE h.action_id = %s AND h.field = 'response_id' ORDER BY h.id DESC LIMIT 1", (action_id,)).fetchone()
        if prev is None or play not in plays:
            continue
        start = prev[1]
        if import_batch_id is not None:   # as when it was made: from the import day
            start = max(start, created_at[:10])
        new_due = plays[play].due_on(date.fromisoformat(start), arr, holidays).isoformat()
        got = conn.execute("UPDATE actions SET response_id = %s, due = %s WHERE id = %s RETURNING version",
                           (prev[0], new_due, action_id)).fetchone()
        version = int(got[0]) if got else None
        conn.execute("INSERT INTO action_history(action_id, at, field, old, new, action_version) VALUES "
                     "(%s, %s, 'response_id', NULL, %s, %s), (%s, %s, 'due', %s, %s, %s)",
                     (action_id, at, str(prev[0]), version, action_id, at, due, new_due, version))
