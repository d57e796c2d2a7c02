"""Importing a file into a team workspace: the laptop importer's rules, one import at a time, NOTIFY at commit.

The file is read, checked, mapped and deduplicated by the same importer as a workspace file
(``core.importing``: preview, the row rules, rejects with their Excel row, erasures honoured), run
against a scratch workspace that holds what the importer consults from the team database — settings,
programs, plays, themes, accounts, contacts, batches, revenue events, saved mappings, erasure records,
and of the responses only what finds duplicates and links (ids, keys, emails, links). Each scratch table
continues the team database's ids, so the rows the import adds keep their ids when they are written.

Then, in ONE PostgreSQL transaction that holds the import lock (``pg_advisory_xact_lock``; a second
importer waits, told who holds it): the new rows are copied in, the rows it changed (recorded in
``import_changes``) are updated, identities moved past the new ids, the snapshot generation raised, an
audit row written in the importer's name, and ``NOTIFY nps_workspace`` sent — delivered when the
transaction commits, so every open dashboard hears of the import only once it is there. A viewer's
import is refused by PostgreSQL (no right to insert) and nothing is written.

The plays' follow-up actions are not created by a team import (they change existing actions, which the
queue's versions protect); comments get their themes and sentiment as on a file.
"""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import psycopg
from psycopg import sql

from .. import privacy
from .. import workspace as workspace_module
from ..importing import ImportOptions, importer
from ..importing.hooks import FollowUps
from ..text import tagging
from ..workspace import open_workspace
from . import pg_schema, transfer
from .connect import TeamError, one_line

#: The two-part key of the import lock (classid, objid in ``pg_locks``).
LOCK = (0x4E5053, 1)
#: The channel an import notifies on commit; its payload is JSON (what, batch, rows, by).
CHANNEL = "nps_workspace"
#: Tables copied whole into the scratch workspace (what the importer reads to match and update).
SEEDED = ("settings", "programs", "plays", "themes", "import_batches", "accounts", "contacts", "revenue_events",
          "mapping_profiles")
#: Tables an import adds rows to, in an order that keeps foreign keys satisfied.
ADDED = ("import_batches", "accounts", "contacts", "responses", "response_themes", "import_rejects",
         "import_changes", "account_snapshots", "revenue_events")
#: Of the responses, the scratch holds the columns that find duplicates and links.
RESPONSE_STUB = ("id", "source", "source_id", "content_key", "import_batch_id", "email", "contact_id", "account_id")
#: Text follow-ups only (see the module's note on plays).
FOLLOW_UPS = FollowUps(after_responses=(tagging.after_responses,))


@dataclass
class TeamImport:
    result: importer.ImportResult
    rows_written: int
    seconds: float
    waited: bool


def holder(conn: psycopg.Connection[Any]) -> str | None:
    """Who holds the import lock now (database user and since when), or None."""
    row = conn.execute("SELECT a.usename, to_char(a.xact_start, 'HH24:MI') FROM pg_locks l "
                       "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                       "AND l.classid = %s AND l.objid = %s AND l.objsubid = 2", LOCK).fetchone()
    return None if row is None else f"{row[0]}, since {row[1]}"


def import_into(conn: psycopg.Connection[Any], where: str, path: str | Path, options: ImportOptions | None = None,
                *, progress: importer.Progress | None = None, cancelled: importer.Cancelled | None = None,
                on_wait: Callable[[str], None] | None = None) -> TeamImport:
    """Import ``path`` into the team database of ``conn`` (``where`` names it in messages)."""
    started = time.perf_counter()
    options = options or ImportOptions()
    folder = Path(tempfile.mkdtemp(prefix="nps-team-import-"))
    waited = False
    try:
        conn.rollback()
        conn.autocommit = False
        conn.read_only = False
        conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
        with conn.transaction():
            got = conn.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", LOCK).fetchone()
            if not (got and got[0]):
                waited = True
                if on_wait:
                    on_wait(f"another import into {where} is running ({holder(conn) or 'just finishing'}); "
                            "waiting for it to finish…")
                conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", LOCK)
            if pg_schema.version(conn) != pg_schema.LATEST_VERSION:
                raise TeamError(f"{where} holds no team workspace of this app's version")
            scratch = folder / "scratch.npsdb"
            marks = _seed(conn, scratch)
            with open_workspace(scratch) as ws:
                preview = importer.preview(path, options, ws.conn)
                result = importer.commit(ws, preview, progress, cancelled, follow_ups=FOLLOW_UPS)
                written = 0
                if result.batch_id is not None:
                    written = _write(ws.conn, conn, marks, result)
            conn.execute("SELECT nps_audit('import', %s)", (json.dumps(
                {"file": Path(path).name, "batch": result.batch_id, "imported": result.imported,
                 "updated": result.updated, "rejected": result.rejected}, ensure_ascii=False),))
            if result.batch_id is not None:   # announced at commit; an import that brought nothing is not
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, json.dumps(
                    {"what": "import", "batch": result.batch_id, "rows": result.imported,
                     "by": str(conn.execute("SELECT session_user").fetchone()[0])})))  # type: ignore[index]
    except psycopg.errors.InsufficientPrivilege as exc:
        raise TeamError(f"{where} refused the import: {one_line(exc)} (your database user may not write there: "
                        "a viewer only reads); nothing was imported") from None
    except psycopg.Error as exc:
        raise TeamError(f"{where}: {one_line(exc)}; nothing was imported") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return TeamImport(result, written, time.perf_counter() - started, waited)


# -- the scratch workspace -------------------------------------------------------------------------------------
def _seed(conn: psycopg.Connection[Any], path: Path) -> dict[str, int]:
    """Fill a new scratch workspace from the team database; return each added-to table's last id there."""
    ws = open_workspace(path)
    marks: dict[str, int] = {}
    try:
        ws.conn.execute("PRAGMA foreign_keys = OFF")
        ws.conn.execute("BEGIN")
        plan = {t.name: t for t in transfer.tables(ws.conn)}
        for name in SEEDED:   # a new workspace's defaults (plays, settings…) give way to the team's own
            ws.conn.execute(f'DELETE FROM "{name}"')
            _copy(conn, ws.conn, plan[name], sql.SQL(""))
        # a mark pushed from a pulled copy would make the scratch refuse to import
        ws.conn.execute("DELETE FROM settings WHERE key = ?", (workspace_module.READ_ONLY_SETTING,))
        _copy(conn, ws.conn, plan["audit_log"], sql.SQL(" WHERE what = {}").format(sql.Literal(privacy.ERASE)))
        for name in ADDED:
            if name == "response_themes":
                continue
            row = conn.execute(sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(name))).fetchone()
            marks[name] = int(row[0]) if row else 0
            if name not in SEEDED and marks[name] and name != "responses":   # one row, so that ids continue
                _copy(conn, ws.conn, plan[name], sql.SQL(" WHERE id = {}").format(sql.Literal(marks[name])))
        stub = sql.SQL(", ").join(sql.Identifier(c) for c in RESPONSE_STUB)
        rows = conn.execute(sql.SQL(
            "SELECT {} FROM responses WHERE source_id IS NOT NULL OR content_key IS NOT NULL OR "
            "((contact_id IS NULL OR account_id IS NULL) AND email IS NOT NULL) OR id = {} ORDER BY id").format(
            stub, sql.Literal(marks["responses"])))
        ws.conn.executemany(f"INSERT INTO responses ({', '.join(RESPONSE_STUB)}, score, responded_at, responded_on, "
                            f"month, quarter) VALUES ({', '.join('?' * len(RESPONSE_STUB))}, 0, '', '', '', '')",
                            rows)
        ws.conn.execute("COMMIT")
        ws.conn.execute("PRAGMA foreign_keys = ON")
    finally:
        ws.close()
    return marks


def _copy(conn: psycopg.Connection[Any], lite: Any, table: transfer.Table, where: sql.Composable) -> None:
    names = [c.name for c in table.columns]
    rows = conn.execute(sql.SQL("SELECT {} FROM {}{}").format(
        sql.SQL(", ").join(sql.Identifier(n) for n in names), sql.Identifier(table.name), where))
    lite.executemany(f'INSERT INTO "{table.name}" (' + ", ".join(f'"{n}"' for n in names) + ") VALUES ("
                     + ", ".join("?" for _ in names) + ")", rows)


# -- writing the import's rows into the team database ---------------------------------------------------------
def _write(lite: Any, conn: psycopg.Connection[Any], marks: dict[str, int], result: importer.ImportResult) -> int:
    plan = {t.name: t for t in transfer.tables(lite)}
    written = 0
    for name in ADDED:
        table = plan[name]
        names = [c.name for c in table.columns]
        cond = f"response_id > {marks['responses']}" if name == "response_themes" else f"id > {marks[name]}"
        select = f'SELECT {", ".join(chr(34) + n + chr(34) for n in names)} FROM "{name}" WHERE {cond}'
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(name), sql.SQL(", ").join(sql.Identifier(n) for n in names))
        n = 0
        with conn.cursor() as cur, cur.copy(copy_sql) as copy:
            for row in lite.execute(select):
                copy.write_row(row)
                n += 1
        if n and name != "response_themes":
            conn.execute(sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), max(id)) FROM {}")
                         .format(sql.Literal(name), sql.Identifier(name)))
        written += n
    # rows that were there before and the import changed (accounts and contacts updated, links made)
    changed = lite.execute("SELECT table_name, row_id, before FROM import_changes WHERE batch_id = ? ORDER BY id",
                           (result.batch_id,)).fetchall()
    for table_name, row_id, before in changed:
        if table_name not in plan or row_id > marks.get(table_name, 0):
            continue
        cols = [c for c in json.loads(before) if c in {x.name for x in plan[table_name].columns}]
        if not cols:
            continue
        values = lite.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table_name}" '
                              "WHERE id = ?", (row_id,)).fetchone()
        conn.execute(sql.SQL("UPDATE {} SET {} WHERE id = %s").format(
            sql.Identifier(table_name), sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c))
                                                           for c in cols)), [*values, row_id])
        written += 1
    for name, kind, mapping in lite.execute("SELECT name, kind, mapping FROM mapping_profiles"):
        conn.execute("INSERT INTO mapping_profiles(name, kind, mapping) VALUES (%s, %s, %s) ON CONFLICT (name) "
                     "DO UPDATE SET kind = excluded.kind, mapping = excluded.mapping "
                     "WHERE mapping_profiles.mapping IS DISTINCT FROM excluded.mapping "
                     "OR mapping_profiles.kind IS DISTINCT FROM excluded.kind", (name, kind, mapping))
    conn.execute("UPDATE generation SET counter = counter + 1")
    return written
