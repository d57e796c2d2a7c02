"""Reading figures straight from a team database: the columnar snapshot loaded from PostgreSQL.

``read_snapshot`` builds the same ``Snapshot`` that ``core.snapshot.columns.read`` builds from a file —
every response's day, score, account, contact, time and fields — with PostgreSQL's SQL. ``open_for_reading``
gives the commands that compute from the snapshot alone (``SNAPSHOT_COMMANDS``) a workspace to run on: a
temporary file that holds the team database's small tables (settings, accounts, contacts, segments…) and
no other table (no responses), with the snapshot from the server held for it. A figure that would need the
responses by SQL therefore fails loudly ("no such table: responses") instead of counting nothing.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

from ..filters import DIMENSIONS
from ..integrity import WorkspaceError
from ..snapshot import columns, store
from ..snapshot.model import Snapshot
from ..workspace import Workspace, open_workspace
from . import pg_schema, transfer
from .connect import TeamError, connect, parse

#: Responses fetched at a time.
CHUNK = 50_000
#: Commands whose every figure comes from the snapshot (and the small tables).
SNAPSHOT_COMMANDS = {"stats"}
#: The tables the temporary workspace holds (all ``stats`` reads besides the snapshot); the others are
#: dropped from it, so that a figure that would read them fails loudly rather than counting nothing.
KEPT = ("settings", "accounts", "contacts", "segments", "programs", "generation")

_DAY_RE = r"^\d{4}-\d{2}-\d{2}$"
_TIME_RE = r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$"
# As columns._NUMBERS, in PostgreSQL: julianday's integer day, Unix seconds of the local time as written.
_DAY = (f"CASE WHEN r.responded_on ~ '{_DAY_RE}' THEN (r.responded_on::date - date '0001-01-01') + 1 "
        f"+ {columns.JULIAN_TO_ORDINAL} ELSE 0 END * 16 + r.score")
_IDS = "(coalesce(r.account_id, 0) << 32) | coalesce(r.contact_id, 0)"


def _epoch(col: str) -> str:
    return f"CASE WHEN {col} ~ '{_TIME_RE}' THEN floor(extract(epoch FROM {col}::timestamptz))::bigint END"


_TIME = f"coalesce({_epoch('r.responded_at')}, {_epoch('r.responded_on')}, 0)"


def read_snapshot(conn: psycopg.Connection[Any]) -> Snapshot:
    """The snapshot of the team database, read in one repeatable-read transaction (the caller's, when
    one is open: then it is left open, so that more can be read as of the same moment)."""
    if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        _begin(conn)
    conn.execute("SET LOCAL TIME ZONE 'UTC'")  # the stored local times are read as SQLite's unixepoch reads them
    gen = conn.execute("SELECT counter, stamp FROM generation").fetchone()
    key = None if gen is None else (int(gen[0]), int(gen[1]))
    accounts = columns.table(conn, "a", "SELECT a.id, a.arr{cols} FROM accounts a ORDER BY a.id")
    contacts = columns.table(conn, "c", "SELECT c.id, NULL{cols} FROM contacts c ORDER BY c.id")
    if any(len(t.ids) and not 0 < t.ids[0] <= t.ids[-1] < 2 ** 32 for t in (accounts, contacts)):
        raise ValueError("account and contact ids must be 1 to 2³² − 1 for the snapshot")
    dims = columns.dims_of("r")
    select = ", ".join([_DAY, _IDS, _TIME, "r.id"] + [DIMENSIONS[d] for d in dims])
    numbers: list[np.ndarray] = []
    texts: list[list[Any]] = [[] for _ in dims]
    with conn.cursor(name="snapshot", binary=True) as cur:  # one ordered scan, streamed
        cur.itersize = CHUNK
        cur.execute(f"SELECT {select} FROM responses r ORDER BY r.id")
        while rows := cur.fetchmany(CHUNK):
            numbers.append(np.array([r[:4] for r in rows], dtype=np.int64).reshape(-1, 4))
            for i, found in enumerate(texts):
                found.extend(r[4 + i] for r in rows)
    table = np.concatenate(numbers) if numbers else np.zeros((0, 4), dtype=np.int64)
    day_score, ids, time, rid = table[:, 0], table[:, 1], table[:, 2], table[:, 3]
    codes, names = {}, {}
    for dim, found in zip(dims, texts):
        codes[dim], names[dim] = columns.factorize(found)
    return Snapshot.build(key=key, day=(day_score >> 4) - columns.JULIAN_TO_ORDINAL, score=day_score & 15,
                          acc=columns.index(accounts.ids, ids >> 32),
                          con=columns.index(contacts.ids, ids & 0xFFFFFFFF), time=time, rid=rid,
                          codes=codes, labels=names, accounts=accounts, contacts=contacts)


def _begin(conn: psycopg.Connection[Any]) -> None:
    conn.rollback()
    conn.autocommit = False
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True


#: A question about a whole table: its row count, or whether it has none.
_WHOLE_TABLE = re.compile(r"SELECT (?:(?P<count>count\(\*\)) FROM|NOT EXISTS \(SELECT 1 FROM) (?P<table>[a-z_]+)\)?")


class TeamReading(Workspace):
    """A read-only workspace over a team database's small tables, with the server's snapshot held; its
    temporary folder goes when it is closed."""
    folder: Path
    shown: str
    server_counts: dict[str, int]

    def counts(self) -> dict[str, int]:
        """The team database's row counts as of the snapshot (the file holds only the small tables)."""
        return dict(self.server_counts)

    def scalar(self, sql: str, params: Any = ()) -> Any:
        """As ``Workspace.scalar``; the questions the app asks of a whole table on opening a page (how
        many rows? none at all?) are answered from the server's counts for the tables this file lacks.
        Any other read of those tables fails loudly."""
        found = _WHOLE_TABLE.fullmatch(sql.strip()) if not params else None
        if found and found["table"] in self.server_counts:
            n = self.server_counts[found["table"]]
            return n if found["count"] else int(n == 0)
        return super().scalar(sql, params)


    def close(self) -> None:
        store.forget(self.path)
        super().close()
        shutil.rmtree(self.folder, ignore_errors=True)


def open_for_reading(dsn: str, command: str, *, insecure: bool = False, password: str | None = None) -> TeamReading:
    """A workspace for ``command`` to read the team database ``dsn`` through (``WorkspaceError`` for a
    command that needs more than the snapshot, or a database it cannot read)."""
    if command not in SNAPSHOT_COMMANDS:
        raise WorkspaceError(f"`{command}` does not work on a team workspace yet (only "
                             f"{', '.join(sorted(SNAPSHOT_COMMANDS))} does): `nps-desktop team pull` makes an "
                             "offline copy that every command and page opens")
    try:
        shown = parse(dsn, insecure=insecure).shown
        conn = connect(dsn, insecure=insecure, password=password)
    except TeamError as exc:
        raise WorkspaceError(str(exc)) from None
    folder = Path(tempfile.mkdtemp(prefix="nps-team-"))
    path = folder / "team.npsdb"
    try:
        try:
            if pg_schema.version(conn) != pg_schema.LATEST_VERSION:
                raise WorkspaceError(f"{shown} holds no team workspace of this app's version")
            _begin(conn)  # the snapshot and the small tables as of one moment
            snap = read_snapshot(conn)
            counts = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
                      for t in ("accounts", "contacts", "actions")}
            counts["responses"] = len(snap.day)
            _copy_small_tables(conn, path)
        except psycopg.Error as exc:
            raise WorkspaceError(f"{shown}: {transfer.one_line(exc)}") from None
        finally:
            conn.close()
        ws = open_workspace(path, create=False, read_only=True)
        reading = TeamReading(ws.path, ws.conn, True, f"it is the team workspace {shown}, read through its snapshot")
        reading.folder, reading.shown, reading.server_counts = folder, shown, counts
        store.hold(path, snap)
        return reading
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _copy_small_tables(conn: psycopg.Connection[Any], path: Path) -> None:
    """A workspace file holding only the team database's ``KEPT`` tables (so no responses table)."""
    ws = open_workspace(path)
    try:
        ws.conn.execute("PRAGMA foreign_keys = OFF")
        ws.conn.execute("BEGIN")
        ws.conn.execute("DELETE FROM generation")
        done = 0
        for table in transfer.tables(ws.conn):
            if table.name in KEPT:
                done = transfer._copy_table_in(conn, ws.conn, table, done, 0, lambda d, t: None, lambda: False)
            elif re.fullmatch(r"[a-z_]+", table.name):
                ws.conn.execute(f"DROP TABLE {table.name}")
        ws.conn.execute("COMMIT")
    finally:
        ws.close()
        conn.rollback()
