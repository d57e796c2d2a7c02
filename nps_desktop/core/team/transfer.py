"""Moving a workspace between a laptop file and a team database: ``push`` and ``pull``.

``push`` copies every table of a SQLite workspace into a new (empty) PostgreSQL database in ONE
transaction, with COPY; ``pull`` copies a team database into a new SQLite workspace file, in one
transaction too, written beside the target and renamed into place only when whole. Both then check each
table on both sides — exact row count, exact sum of every integer column, the correctly rounded sum
(``math.fsum``) of every real column, the total length of every text column — and roll everything back
when one differs. Long jobs: ``progress(done, total)`` in rows, ``cancelled()`` checked as they go
(``TransferCancelled``: nothing was written).

A pulled copy is read-only by default: ``workspace.READ_ONLY_SETTING`` holds why, and every window or
command that opens it says so; ``make_writable`` turns it into a workspace of its own.
"""
from __future__ import annotations

import json
import math
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import psycopg
from psycopg import sql

from .. import lock
from .. import workspace as workspace_module
from ..words import plural
from ..workspace import Workspace, discard, now_iso, open_workspace, replace_file
from . import pg_schema
from .connect import TeamError, one_line, refusals

Progress = Callable[[int, int], None]
#: Rows between two progress reports (and cancel checks).
STEP = 5000


class TransferCancelled(Exception):
    """The person cancelled; nothing was written."""


@dataclass
class Column:
    name: str
    kind: str  # INTEGER, REAL or TEXT (the SQLite declared type)


@dataclass
class Table:
    name: str
    columns: list[Column]
    rowid: bool = True  # False for a WITHOUT ROWID table


@dataclass
class Transfer:
    """What a push or pull copied: rows per table, and how long it took."""
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def to_json(self) -> dict[str, Any]:
        return {"tables": len(self.rows), "rows": self.total, "per_table": dict(self.rows),
                "seconds": round(self.seconds, 2), "checked": True}


# -- the tables, in an order that keeps foreign keys satisfied ------------------------------------------
def tables(conn: sqlite3.Connection) -> list[Table]:
    """The workspace's tables, each after the tables it references, with their columns."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    refs = {n: {r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{n}")')} - {n} for n in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and refs[n] <= set(ordered)]
        if not ready:
            raise TeamError("the workspace's tables reference each other in a circle; cannot order the copy")
        ordered += ready
    out = []
    for n in ordered:
        cols = [Column(r[1], str(r[2]).upper()) for r in conn.execute(f'PRAGMA table_info("{n}")')]
        ddl = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (n,)).fetchone()[0] or ""
        out.append(Table(n, cols, rowid="WITHOUT ROWID" not in ddl.upper()))
    return out


# -- the check: counts and sums on both sides -------------------------------------------------------------
def _sqlite_figures(conn: sqlite3.Connection, table: Table) -> dict[str, Any]:
    q = '"' + table.name + '"'
    parts = ["count(*)"]
    keys = ["rows"]
    for c in table.columns:
        if c.kind == "INTEGER":
            parts.append(f'sum("{c.name}")')
            keys.append(f"sum({c.name})")
        elif c.kind == "TEXT":
            parts.append(f'sum(length("{c.name}"))')
            keys.append(f"characters({c.name})")
    row = conn.execute(f"SELECT {', '.join(parts)} FROM {q}").fetchone()
    figures: dict[str, Any] = {k: (0 if v is None else int(v)) for k, v in zip(keys, row)}
    for c in table.columns:
        if c.kind == "REAL":
            figures[f"sum({c.name})"] = math.fsum(v for (v,) in conn.execute(f'SELECT "{c.name}" FROM {q} '
                                                                             f'WHERE "{c.name}" IS NOT NULL'))
    return figures


def _pg_figures(conn: psycopg.Connection[Any], table: Table) -> dict[str, Any]:
    ident = sql.Identifier(table.name)
    parts: list[sql.Composable] = [sql.SQL("count(*)")]
    keys = ["rows"]
    for c in table.columns:
        if c.kind == "INTEGER":
            parts.append(sql.SQL("sum({})").format(sql.Identifier(c.name)))
            keys.append(f"sum({c.name})")
        elif c.kind == "TEXT":
            parts.append(sql.SQL("sum(length({}))").format(sql.Identifier(c.name)))
            keys.append(f"characters({c.name})")
    row = conn.execute(sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(parts), ident)).fetchone()
    assert row is not None
    figures: dict[str, Any] = {k: (0 if v is None else int(v)) for k, v in zip(keys, row)}
    for c in table.columns:
        if c.kind == "REAL":
            col = sql.Identifier(c.name)
            values = conn.execute(sql.SQL("SELECT {} FROM {} WHERE {} IS NOT NULL").format(col, ident, col))
            figures[f"sum({c.name})"] = math.fsum(v for (v,) in values)
    return figures


def _compare(table: Table, here: dict[str, Any], there: dict[str, Any], where: str) -> None:
    for key, value in here.items():
        if there.get(key) != value:
            raise TeamError(f"the copy does not match in table {table.name}: {key} is {value!r} in the "
                            f"workspace file and {there.get(key)!r} in {where}; nothing was changed")


# -- push ----------------------------------------------------------------------------------------------------
def push(ws: Workspace, conn: psycopg.Connection[Any], where: str, *, progress: Progress | None = None,
         cancelled: Callable[[], bool] | None = None) -> Transfer:
    """Copy workspace ``ws`` into the database of ``conn`` (``where`` names it in messages), which must be
    empty or hold only an empty workspace schema (``team init``); create the schema when missing."""
    progress = progress or (lambda d, t: None)
    cancelled = cancelled or (lambda: False)
    started = time.perf_counter()
    plan = tables(ws.conn)
    result = Transfer()
    done = 0
    ws.conn.execute("BEGIN")  # one consistent read of the file, whoever writes to it meanwhile
    try:
        counts = {t.name: int(ws.scalar(f'SELECT count(*) FROM "{t.name}"')) for t in plan}
        total = sum(counts.values())
        with refusals(where, "the change", "nothing was changed"), conn.transaction():
            _refuse_other_tables(conn, plan, where)
            pg_schema.migrate(conn)
            if pg_schema.version(conn) != workspace_module.schema.LATEST_VERSION:
                raise TeamError(f"{where} has another workspace version than this file; nothing was changed")
            _refuse_non_empty(conn, plan, where)
            conn.execute("DELETE FROM generation")  # the file's own row comes with the copy
            progress(0, total)
            for table in plan:
                done = _copy_table_out(ws.conn, conn, table, done, total, progress, cancelled)
                result.rows[table.name] = counts[table.name]
                if counts[table.name] and any(c.name == "id" for c in table.columns) and _has_identity(conn, table):
                    conn.execute(sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), max(id)) FROM {}")
                                 .format(sql.Literal(table.name), sql.Identifier(table.name)))
            for table in plan:
                _compare(table, _sqlite_figures(ws.conn, table), _pg_figures(conn, table), where)
    finally:
        ws.conn.rollback()
    progress(total, total)
    result.seconds = time.perf_counter() - started
    return result


def _has_identity(conn: psycopg.Connection[Any], table: Table) -> bool:
    row = conn.execute("SELECT is_identity = 'YES' FROM information_schema.columns WHERE table_schema = 'public' "
                       "AND table_name = %s AND column_name = 'id'", (table.name,)).fetchone()
    return bool(row and row[0])


def _refuse_other_tables(conn: psycopg.Connection[Any], plan: list[Table], where: str) -> None:
    known = {t.name for t in plan} | {pg_schema.MIGRATIONS_TABLE}
    found = [r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = 'public' ORDER BY table_name")]
    other = [t for t in found if t not in known]
    if other:
        raise TeamError(f"{where} already holds other tables ({', '.join(other[:3])}"
                        f"{'…' if len(other) > 3 else ''}): push needs a new, empty database; nothing was changed")


def _refuse_non_empty(conn: psycopg.Connection[Any], plan: list[Table], where: str) -> None:
    for table in plan:
        if table.name == "generation":
            continue
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table.name))).fetchone()
        n = int(row[0]) if row else 0
        if n:
            raise TeamError(f"{where} already holds a workspace ({plural(n, 'row')} in {table.name}): push "
                            "copies into a new, empty database only; nothing was changed")


def _copy_table_out(src: sqlite3.Connection, conn: psycopg.Connection[Any], table: Table, done: int, total: int,
                    progress: Progress, cancelled: Callable[[], bool]) -> int:
    names = [c.name for c in table.columns]
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(n) for n in names))
    select = "SELECT " + ", ".join(f'"{n}"' for n in names) + f' FROM "{table.name}"' \
        + (" ORDER BY rowid" if table.rowid else "")
    with conn.cursor() as cur, cur.copy(copy_sql) as copy:
        for row in src.execute(select):
            for i, value in enumerate(row):
                if isinstance(value, str) and "\x00" in value:
                    raise TeamError(f"table {table.name}, row {row[0]!r}, column {names[i]}: holds a NUL "
                                    "character, which PostgreSQL cannot store; nothing was changed")
                if isinstance(value, bytes):
                    raise TeamError(f"table {table.name}, row {row[0]!r}, column {names[i]}: holds binary data "
                                    "where text is expected; nothing was changed")
            copy.write_row(row)
            done += 1
            if done % STEP == 0:
                if cancelled():
                    raise TransferCancelled("push cancelled; nothing was changed")
                progress(done, total)
    return done


# -- pull ----------------------------------------------------------------------------------------------------
def pull(conn: psycopg.Connection[Any], where: str, target: str | Path, *, writable: bool = False,
         progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> Transfer:
    """Copy the team database of ``conn`` into a new SQLite workspace at ``target`` (refused when a file
    is there). The copy is read-only unless ``writable``."""
    progress = progress or (lambda d, t: None)
    cancelled = cancelled or (lambda: False)
    started = time.perf_counter()
    target = Path(target)
    if target.exists():
        raise TeamError(f"{target} already exists: pull writes a new file only; choose another name")
    conn.rollback()  # a new transaction, so that every table is read as of one moment:
    conn.autocommit = False
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
    have = pg_schema.version(conn)
    if have is None:
        raise TeamError(f"{where} holds no team workspace (run `nps-desktop team push` or `team init` first)")
    latest = workspace_module.schema.LATEST_VERSION
    if have != latest:
        raise TeamError(f"{where} has workspace version {have} and this app {latest}: "
                        + ("update the app" if have > latest else "run `nps-desktop team init` to upgrade it"))
    part = target.with_name(target.name + ".pulling")
    discard(part)
    result = Transfer()
    ws = open_workspace(part)
    ws.conn.execute("PRAGMA cache_size = -262144")  # 256 MB: the indexes are written while rows arrive
    try:
        plan = tables(ws.conn)
        counts = {}
        for t in plan:
            row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t.name))).fetchone()
            counts[t.name] = int(row[0]) if row else 0
        total = sum(counts.values())
        done = 0
        progress(0, total)
        with ws.transaction() as lite:
            lite.execute("DELETE FROM generation")
            for table in plan:
                done = _copy_table_in(conn, lite, table, done, total, progress, cancelled)
                result.rows[table.name] = counts[table.name]
            for table in plan:
                _compare(table, _sqlite_figures(lite, table), _pg_figures(conn, table), where)
            lite.execute("DELETE FROM settings WHERE key = ?", (workspace_module.READ_ONLY_SETTING,))
            if not writable:
                lite.execute("INSERT INTO settings(key, value) VALUES (?, ?)",
                             (workspace_module.READ_ONLY_SETTING,
                              json.dumps(f"it is an offline copy of the team workspace {where}, pulled on "
                                         f"{now_iso()[:16].replace('T', ' ')}; `nps-desktop team unlock "
                                         "FILE` makes it a workspace of its own")))
        conn.rollback()  # the reads' transaction
        ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except psycopg.Error as exc:
        ws.close()
        discard(part)
        raise TeamError(f"{where}: {one_line(exc)}; no file was written") from None
    except BaseException:
        ws.close()
        discard(part)
        raise
    ws.close()
    replace_file(part, target)
    progress(total, total)
    result.seconds = time.perf_counter() - started
    return result


def _copy_table_in(conn: psycopg.Connection[Any], lite: sqlite3.Connection, table: Table, done: int, total: int,
                   progress: Progress, cancelled: Callable[[], bool]) -> int:
    names = [c.name for c in table.columns]
    insert = (f'INSERT INTO "{table.name}" (' + ", ".join(f'"{n}"' for n in names) + ") VALUES ("
              + ", ".join("?" for _ in names) + ")")
    order = sql.SQL(" ORDER BY id") if "id" in names else sql.SQL("")
    select = sql.SQL("SELECT {} FROM {}{}").format(sql.SQL(", ").join(sql.Identifier(n) for n in names),
                                                   sql.Identifier(table.name), order)
    with conn.cursor(name=f"pull_{table.name}") as cur:
        cur.itersize = STEP
        cur.execute(select)
        while True:
            rows = cur.fetchmany(STEP)
            if not rows:
                break
            lite.executemany(insert, rows)
            done += len(rows)
            if cancelled():
                raise TransferCancelled("pull cancelled; no file was written")
            progress(done, total)
    return done


def make_writable(path: str | Path) -> bool:
    """Turn a pulled, read-only copy into a workspace of its own; False when it was not read-only."""
    path = Path(path)
    with open_workspace(path, create=False, read_only=True) as ws:  # refuses what is not a workspace
        if ws.get_setting(workspace_module.READ_ONLY_SETTING) is None:
            return False
    with lock.acquire(path):
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            changed = conn.execute("DELETE FROM settings WHERE key = ?",
                                   (workspace_module.READ_ONLY_SETTING,)).rowcount
        finally:
            conn.close()
    return bool(changed)
