"""Open, create and migrate a workspace: one SQLite file that holds a whole NPS program.

A workspace is opened with WAL, foreign keys on, and migrated forward to the latest schema after a
backup. Anything that is not a workspace, or a workspace written by a newer version, is refused with a
``WorkspaceError`` whose message a user can act on, and the file is left untouched.
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from . import paths, schema

SQLITE_MAGIC = b"SQLite format 3\x00"


class WorkspaceError(Exception):
    """A workspace cannot be opened or changed; the message is written for the user."""


class Workspace:
    """An open workspace. ``conn`` is a plain sqlite3 connection (autocommit off: use ``transaction``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False):
        self.path = path
        self.conn = conn
        self.read_only = read_only

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: commit when the block ends, roll back if it raises."""
        if self.read_only:
            raise WorkspaceError(f"{self.path} is open read-only; nothing can be changed.")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()

    # -- queries ---------------------------------------------------------------------------------
    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def counts(self) -> dict[str, int]:
        """Row counts the status bar shows."""
        return {t: self.scalar(f"SELECT count(*) FROM {t}")
                for t in ("accounts", "contacts", "responses", "actions")}

    # -- settings --------------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         (key, json.dumps(value)))

    # -- backups ---------------------------------------------------------------------------------
    def backup_to(self, target: Path) -> Path:
        """Copy the live workspace to ``target`` with SQLite's online backup API."""
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(target)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        return target


def default_path() -> Path:
    """The workspace used when ``--workspace`` is not given."""
    return paths.data_dir() / "workspace.npsdb"


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise WorkspaceError(f"Cannot read {path}: {exc.strerror}.") from None
    if head and head != SQLITE_MAGIC:
        raise WorkspaceError(f"{path} is not an NPS Desktop workspace (it is not a SQLite database).")


def _inspect(path: Path) -> int:
    """Return the schema version of an existing file, refusing foreign or newer files unchanged."""
    _check_header(path)
    try:
        conn = _connect(path, read_only=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{path} cannot be read as a workspace: {exc}.") from None
    if app_id != schema.APPLICATION_ID and (tables or version):
        raise WorkspaceError(f"{path} is a SQLite database but not an NPS Desktop workspace.")
    if version > schema.LATEST_VERSION:
        raise WorkspaceError(
            f"{path} was written by a newer version of NPS Desktop (workspace version {version}; "
            f"this version reads up to {schema.LATEST_VERSION}). Update the app to open it.")
    return version


def open_workspace(path: str | os.PathLike[str] | None = None, *, create: bool = True,
                   read_only: bool = False) -> Workspace:
    """Open (and if needed create and migrate) the workspace at ``path``."""
    path = Path(path) if path is not None else default_path()
    exists = path.exists() and path.stat().st_size > 0
    if exists:
        version = _inspect(path)
    elif not create or read_only:
        raise WorkspaceError(f"No workspace at {path}.")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)  # readable by its owner only
            os.close(fd)
        version = 0
    conn = _connect(path, read_only)
    ws = Workspace(path, conn, read_only)
    if not read_only:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if version < schema.LATEST_VERSION:
            migrate(ws, version)
    return ws


def migrate(ws: Workspace, current: int, target: int = schema.LATEST_VERSION) -> None:
    """Run migrations ``current`` → ``target``, each in its own transaction, after a backup."""
    if current > 0:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        ws.backup_to(paths.backup_dir(ws.path) / f"{ws.path.stem}-v{current}-{stamp}.npsdb")
    for version in range(current, target):
        with ws.transaction() as conn:
            schema.MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")


def now_iso() -> str:
    """The local time as the workspace stores it."""
    return datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
