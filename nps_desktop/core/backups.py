"""Automatic, verified, rotated backups of a workspace, and restoring one.

Every change that could lose data calls ``before(ws, reason)`` first (imports, undo, migrations, bulk
changes; ``protected(ws, reason)`` does that and opens the transaction). Taking, listing and rotating
backups live in ``core.backup_store`` (below ``core.workspace``, which needs them too); this module
re-exports them.

``restore`` brings a backup back in one transaction after a safety backup of the current state, with
every contact erasure recorded since (``erasure_log``) applied in that same transaction, so a restore
never brings an erased person back, even when it is killed half-way.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Iterator

from . import commit_note, privacy, schema
from . import lock as locking
from .backup_store import (_STAMP, KEEP_LAST, KEEP_WEEKS, Backup, _fsync, backup_dir, before, kept, latest_good,
                           list_backups, rotate, take)
from .workspace import Workspace, WorkspaceError, check_connection, migrate, open_workspace

__all__ = ["KEEP_LAST", "KEEP_WEEKS", "Backup", "backup_dir", "before", "find", "kept", "latest_good",
           "list_backups", "protected", "restore", "rotate", "take", "verify"]


@contextlib.contextmanager
def protected(ws: Workspace, reason: str) -> Iterator[sqlite3.Connection]:
    """A bulk change: back up, then run the block in one transaction."""
    before(ws, reason)
    with ws.transaction() as conn:
        yield conn



def verify(backup: str | os.PathLike[str]) -> list[str]:
    """Problems that keep ``backup`` from being restored (empty when it is a sound workspace)."""
    backup = Path(backup)
    if not backup.is_file():
        return [f"there is no file {backup}"]
    try:
        conn = _open_read_only(backup)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id != schema.APPLICATION_ID:
                return [f"{backup.name} is not an NPS Desktop workspace"]
            if version > schema.LATEST_VERSION:
                return [f"{backup.name} was written by a newer version of NPS Desktop"]
            return check_connection(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"{backup.name} cannot be read: {exc}"]


def find(workspace: str | os.PathLike[str], name: str) -> Path:
    """A backup given as a path, a file name in the backup folder, or ``latest``."""
    workspace = Path(workspace)
    if name == "latest":
        good = latest_good(workspace)
        if good is None:
            raise WorkspaceError(f"{workspace} has no backups yet.")
        return good.path
    for candidate in (Path(name), backup_dir(workspace) / name):
        if candidate.is_file():
            return candidate
    raise WorkspaceError(f"No backup {name!r}: give a path, a file name from `nps-desktop backups`, or latest.")


def restore(workspace: str | os.PathLike[str], backup: str | os.PathLike[str]) -> Backup | None:
    """Make ``workspace`` exactly what ``backup`` holds, with every erasure since applied; return the
    safety backup of what it was.

    The backup is first copied beside the workspace, brought to this version and cleaned of everyone the
    erasure log or the workspace's ``audit_log`` names; that copy then goes in whole. A sound workspace is
    overwritten in one transaction through the backup API (other connections see either the old or the
    new content) after a safety backup. A damaged one is moved aside into the backup folder
    (``…-damaged-<time>.npsdb``, with its journal files) and the copy takes its name; then there is no
    safety backup (None). Refused while another process has the workspace open.
    """
    workspace, backup = Path(workspace), Path(backup)
    problems = verify(backup)
    if problems:
        raise WorkspaceError(f"Cannot restore {backup}: {problems[0]}; nothing was changed.")
    try:
        writer = locking.acquire(workspace)
    except locking.Locked as exc:
        raise WorkspaceError(f"Cannot restore now: {exc}. Close it there first; nothing was changed.") from None
    except OSError as exc:
        raise WorkspaceError(f"Cannot restore {workspace}: {exc.strerror}; nothing was changed.") from None
    with writer:
        try:
            ws = open_workspace(workspace, create=False) if workspace.exists() else None
        except WorkspaceError as exc:
            if not exc.damaged:
                raise
            ws = None
        try:
            prepared = _prepare(workspace, backup, privacy.erasures(ws, workspace))
        except BaseException:
            if ws is not None:
                ws.close()
            raise
        try:
            if ws is None:
                commit_note.forget(workspace)  # the restored content starts a new note
                _replace_damaged(workspace, prepared)
                return None
            with ws:
                safety = before(ws, f"restore of {backup.name}")
                commit_note.forget(workspace)
                source = _open_read_only(prepared)
                try:
                    source.backup(ws.conn)  # one write transaction on the workspace
                finally:
                    source.close()
                commit_note.record(workspace, commit_note.state(ws.conn))
            return safety
        finally:
            prepared.unlink(missing_ok=True)


def _prepare(workspace: Path, backup: Path, erasures: list[dict]) -> Path:
    """A copy of ``backup`` beside ``workspace``, at this version, with ``erasures`` applied, self-contained."""
    copy = workspace.with_name(workspace.name + ".restoring")
    os.close(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        source, conn = _open_read_only(backup), sqlite3.connect(copy, isolation_level=None)
        try:
            source.backup(conn)
        finally:
            source.close()
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA foreign_keys = ON")
        with Workspace(copy, conn) as ws:
            version = ws.scalar("PRAGMA user_version")
            if version < schema.LATEST_VERSION:
                migrate(ws, version, backup=False)
            privacy.reapply_erasures(ws, erasures)
        _fsync(copy)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    return copy


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that also works in a read-only folder (where no -shm can be made)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    return conn


def _replace_damaged(workspace: Path, copy: Path) -> None:
    """Keep the damaged file (and its journal files) in the backup folder; put the prepared ``copy`` in place."""
    folder = backup_dir(workspace)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    aside = folder / f"{workspace.stem}-damaged-{datetime.now().strftime(_STAMP)}.npsdb"
    # Journal files go first: a WAL left beside the new file would be replayed into it.
    for suffix in ("-wal", "-shm"):
        if Path(f"{workspace}{suffix}").exists():
            os.replace(f"{workspace}{suffix}", f"{aside}{suffix}")
    if workspace.exists():
        try:
            os.link(workspace, aside)
        except OSError:
            import shutil
            shutil.copy2(workspace, aside)
    os.replace(copy, workspace)
    with open_workspace(workspace, create=False):
        pass  # check it and bring it to this version
