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

Comments get their themes and sentiment as on a file, and the plays create or move their follow-up
actions in the same transaction (``_plays``): once the rows are imported in the scratch, the team's actions
of the import's contacts (and, for responses without a contact, their emails) are locked with ``SELECT …
FOR UPDATE`` — a person changing one of them meanwhile waits, then is told it changed — and copied into
the scratch, where ``core.loop.engine`` runs as on a file. New actions get ids from the team database's
sequence; a moved action is updated (its version raised by the trigger, in the importer's name), and
every history row names the importer and the version it made.

``dry_run``: the same scratch, ``importer.plan`` instead of a commit, in a read-only transaction: nothing
is written and no lock is taken.
"""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import psycopg
from psycopg import sql

from .. import privacy
from ..loop import engine as plays
from .. import workspace as workspace_module
from ..importing import ImportOptions, importer
from ..importing.hooks import FollowUps
from ..text import tagging
from ..workspace import open_workspace
from . import pg_schema, transfer
from .connect import TeamError, one_line, refusals

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
#: The follow-ups run in the scratch as the rows are imported (the plays' run after: ``_plays``).
FOLLOW_UPS = FollowUps(after_responses=(tagging.after_responses,))
#: The SQLite columns of an action (the team database adds its version and who changed it last).
ACTION_COLUMNS = ("id", "play", "response_id", "contact_id", "account_id", "owner", "due", "status", "outcome",
                  "notes", "created_at", "first_touch_at", "closed_at", "import_batch_id")


@dataclass
class TeamImport:
    result: importer.ImportResult
    rows_written: int
    seconds: float
    waited: bool
    actions: dict[str, int] | None = None   # the plays' work: {"created": n, "updated": n}


def holder(conn: psycopg.Connection[Any]) -> str | None:
    """Who holds the import lock now (database user and since when), or None."""
    row = conn.execute("SELECT a.usename, to_char(a.xact_start, 'HH24:MI') FROM pg_locks l "
                       "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                       "AND l.classid = %s AND l.objid = %s AND l.objsubid = 2", LOCK).fetchone()
    return None if row is None else f"{row[0]}, since {row[1]}"


def take_lock(conn: psycopg.Connection[Any], where: str, on_wait: Callable[[str], None] | None) -> bool:
    """Take the import lock for the current transaction (imports and undos take it); True when it had
    to wait for another one, after telling ``on_wait`` who holds it."""
    got = conn.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", LOCK).fetchone()
    if got and got[0]:
        return False
    if on_wait:
        on_wait(f"another import into {where} is running ({holder(conn) or 'just finishing'}); "
                "waiting for it to finish…")
    conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", LOCK)
    return True


def require_current(conn: psycopg.Connection[Any], where: str) -> None:
    """Refuse a database that holds no team workspace of this app's schema version."""
    if pg_schema.version(conn) != pg_schema.LATEST_VERSION:
        raise TeamError(f"{where} holds no team workspace of this app's version")


@contextmanager
def locked_transaction(conn: psycopg.Connection[Any], where: str,
                       on_wait: Callable[[str], None] | None) -> Iterator[bool]:
    """One read-committed write transaction holding the import lock (imports and undos), on a team workspace
    of this app's version; yields whether it had to wait for the lock."""
    conn.rollback()
    conn.autocommit = False
    conn.read_only = False
    conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
    with conn.transaction():
        waited = take_lock(conn, where, on_wait)
        require_current(conn, where)
        yield waited


def import_into(conn: psycopg.Connection[Any], where: str, path: str | Path, options: ImportOptions | None = None,
                *, progress: importer.Progress | None = None, cancelled: importer.Cancelled | None = None,
                on_wait: Callable[[str], None] | None = None, dry_run: bool = False) -> TeamImport:
    """Import ``path`` into the team database of ``conn`` (``where`` names it in messages); with
    ``dry_run``, count what would be imported and change nothing."""
    started = time.perf_counter()
    options = options or ImportOptions()
    folder = Path(tempfile.mkdtemp(prefix="nps-team-import-"))
    if dry_run:
        try:
            return _dry_run(conn, where, path, options, folder, progress, cancelled, started)
        except psycopg.Error as exc:
            raise TeamError(f"{where}: {one_line(exc)}; nothing was imported") from None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    actions = {"created": 0, "updated": 0}
    try:
        with refusals(where, "the import", "nothing was imported"), \
                locked_transaction(conn, where, on_wait) as waited:
            scratch = folder / "scratch.npsdb"
            marks = _seed(conn, scratch)
            with open_workspace(scratch) as ws:
                preview = importer.preview(path, options, ws)
                result = importer.commit(ws, preview, progress, cancelled, follow_ups=FOLLOW_UPS)
                written = 0
                if result.batch_id is not None:
                    written = _write(ws.conn, conn, marks, result)
                    if result.kind == "responses" and result.imported:
                        actions = _plays(ws, conn, marks, result.batch_id)
            conn.execute("SELECT nps_audit('import', %s)", (json.dumps(
                {"file": Path(path).name, "batch": result.batch_id, "imported": result.imported,
                 "updated": result.updated, "rejected": result.rejected, "actions": actions},
                ensure_ascii=False),))
            if result.batch_id is not None:   # announced at commit; an import that brought nothing is not
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, json.dumps(
                    {"what": "import", "batch": result.batch_id, "rows": result.imported,
                     "by": str(conn.execute("SELECT session_user").fetchone()[0])})))  # type: ignore[index]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return TeamImport(result, written, time.perf_counter() - started, waited, actions)


def _dry_run(conn: psycopg.Connection[Any], where: str, path: str | Path, options: ImportOptions, folder: Path,
             progress: importer.Progress | None, cancelled: importer.Cancelled | None,
             started: float) -> TeamImport:
    conn.rollback()
    conn.autocommit = False
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ   # every table read as of one moment
    conn.read_only = True
    try:
        require_current(conn, where)
        scratch = folder / "scratch.npsdb"
        _seed(conn, scratch)
    finally:
        conn.rollback()
        conn.read_only = False
    with open_workspace(scratch) as ws:
        preview = importer.preview(path, options, ws)
        result = importer.plan(ws, preview, progress, cancelled)
    return TeamImport(result, 0, time.perf_counter() - started, False)


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


# -- the plays' follow-up actions -----------------------------------------------------------------------------
def _plays(ws: Any, conn: psycopg.Connection[Any], marks: dict[str, int], batch_id: int) -> dict[str, int]:
    """Run the plays for the batch's new responses in the scratch, against the team's actions of the same
    contacts (locked until the import commits), and write what they did into the team database."""
    lite = ws.conn
    new = lite.execute("SELECT id, contact_id, email FROM responses WHERE id > ? AND import_batch_id = ?",
                       (marks["responses"], batch_id)).fetchall()
    contacts = sorted({r[1] for r in new if r[1] is not None})
    emails = sorted({r[2] for r in new if r[1] is None and r[2]})
    cols = sql.SQL(", ").join(sql.SQL("a.{}").format(sql.Identifier(c)) for c in ACTION_COLUMNS)
    theirs = conn.execute(sql.SQL(
        "SELECT {}, a.version, x.id, x.email, x.responded_at FROM actions a LEFT JOIN responses x "
        "ON x.id = a.response_id WHERE a.contact_id = ANY(%s) OR (a.contact_id IS NULL AND x.email = ANY(%s)) "
        "ORDER BY a.id FOR UPDATE OF a").format(cols), (contacts, emails)).fetchall()
    width = len(ACTION_COLUMNS)
    before = {row[0]: row[:width] for row in theirs}
    version = {row[0]: int(row[width]) for row in theirs}
    lite.execute("PRAGMA foreign_keys = OFF")
    with ws.transaction() as c:
        c.execute("DELETE FROM actions")   # none but these: their ids decide nothing (new ids come from PG)
        c.executemany("INSERT INTO responses(id, email, responded_at, score, responded_on, month, quarter) "
                      "VALUES (?, ?, ?, 0, '', '', '') ON CONFLICT(id) DO UPDATE SET "
                      "email = excluded.email, responded_at = excluded.responded_at",
                      {row[width + 1]: row[width + 1:] for row in theirs if row[width + 1] is not None}.values())
        c.executemany(f"INSERT INTO actions ({', '.join(ACTION_COLUMNS)}) VALUES "
                      f"({', '.join('?' * width)})", before.values())
        c.execute("DELETE FROM action_history")
    lite.execute("PRAGMA foreign_keys = ON")
    top = max(before, default=0)
    with ws.transaction() as c:
        plays.after_responses(c, [r[0] for r in new], batch_id)
    # new actions: ids drawn from the team database's sequence, so that nobody else's can clash
    made = lite.execute(f"SELECT {', '.join(ACTION_COLUMNS)} FROM actions WHERE id > ? ORDER BY id", (top,)).fetchall()
    ids: dict[int, int] = {}
    if made:
        drawn = conn.execute("SELECT nextval(pg_get_serial_sequence('actions', 'id')) FROM generate_series(1, %s)",
                             (len(made),)).fetchall()
        ids = {int(row[0]): int(d[0]) for row, d in zip(made, drawn)}
        names = sql.SQL(", ").join(sql.Identifier(c) for c in ACTION_COLUMNS)
        with conn.cursor() as cur, cur.copy(sql.SQL("COPY actions ({}) FROM STDIN").format(names)) as copy:
            for row in made:
                copy.write_row((ids[row[0]], *tuple(row)[1:]))
        version.update({new_id: 1 for new_id in ids.values()})
    # moved actions: the fields the plays changed (the trigger raises the version, names the importer)
    updated = 0
    for row in lite.execute(f"SELECT {', '.join(ACTION_COLUMNS)} FROM actions WHERE id <= ?", (top,)):
        old = before[row[0]]
        changed = [(name, value) for name, value, was in zip(ACTION_COLUMNS, tuple(row), old) if value != was]
        if not changed:
            continue
        got = conn.execute(sql.SQL("UPDATE actions SET {} WHERE id = %s RETURNING version").format(
            sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(n)) for n, _ in changed)),
            [*(v for _, v in changed), row[0]]).fetchone()
        version[row[0]] = int(got[0]) if got else version[row[0]]
        updated += 1
    history = [(ids.get(a, a), at, f, o, n, version[ids.get(a, a)]) for a, at, f, o, n in lite.execute(
        "SELECT action_id, at, field, old, new FROM action_history ORDER BY id")]
    if history:
        with conn.cursor() as cur, cur.copy("COPY action_history (action_id, at, field, old, new, action_version) "
                                            "FROM STDIN") as copy:
            for h in history:
                copy.write_row(h)
    return {"created": len(made), "updated": updated}


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
