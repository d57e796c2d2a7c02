"""Automatic, verified, rotated backups of a workspace, and restoring one.

Every change that could lose data calls ``before(ws, reason)`` first (imports, undo, migrations, bulk
changes; ``protected(ws, reason)`` does that and opens the transaction). A backup is taken with
SQLite's online backup API into ``<workspace>.backups/`` beside the workspace, turned into a single
self-contained file (no WAL), checked with ``PRAGMA integrity_check``, and only then given its final
name together with a small JSON note (reason, time, schema version, counts). A crash while taking one
leaves a ``.partial`` file that the next backup removes; it is never listed.

Rotation keeps the 10 newest backups plus the oldest backup of each of the last 52 weeks that have one.
``restore`` brings a backup back in one transaction after a safety backup of the current state, with
every contact erasure recorded since (``erasure_log``) applied in that same transaction, so a restore
never brings an erased person back, even when it is killed half-way.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator

from . import lock as locking
from . import commit_note, disk, paths, privacy, schema
from .workspace import Workspace, WorkspaceError, check_connection, migrate, open_workspace

KEEP_LAST = 10
KEEP_WEEKS = 52
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})\.npsdb$")


@dataclass(frozen=True)
class Backup:
    """One verified backup: the file, when and why it was taken, and what it holds."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    schema_version: int
    counts: dict
    integrity: str

    def to_json(self) -> dict:
        doc = asdict(self)
        doc.update(path=str(self.path), file=self.path.name, taken_at=self.taken_at.isoformat(timespec="seconds"))
        return doc


def backup_dir(workspace: Path) -> Path:
    return paths.backup_dir(workspace)


def _note_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # directories cannot be fsynced on every platform
        pass
    finally:
        os.close(fd)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def take(ws: Workspace, reason: str, *, now: datetime | None = None) -> Backup:
    """Back ``ws`` up now, verify the copy and rotate; raise ``WorkspaceError`` if it cannot be done."""
    folder = backup_dir(ws.path)
    stamp = now or datetime.now()
    target = folder / f"{ws.path.stem}-{stamp.strftime(_STAMP)}.npsdb"
    partial = target.with_name(target.name + ".partial")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in folder.glob("*.partial"):
            stale.unlink(missing_ok=True)
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        problems, version, counts = _copy_and_check(ws.conn, partial)
        if problems:
            partial.unlink(missing_ok=True)
            raise WorkspaceError(f"The backup of {ws.path} failed its integrity check ({problems[0]}): the "
                                 "workspace may be damaged; nothing was changed.")
        _fsync(partial)
        os.replace(partial, target)
        backup = Backup(target, stamp, reason, target.stat().st_size,
                        version, counts, "ok")
        note = backup.to_json()
        del note["path"]
        _write_atomic(_note_path(target), json.dumps(note, indent=1))
        _fsync(folder)
    except (OSError, sqlite3.OperationalError) as exc:  # a full disk, read-only media: not damage
        partial.unlink(missing_ok=True)
        raise WorkspaceError(f"Could not back up {ws.path} to {folder}: {disk.reason(exc)}; "
                             "nothing was changed.") from None
    rotate(ws.path)
    return backup


def _copy_and_check(source: sqlite3.Connection, target: Path) -> tuple[list[str], int, dict]:
    dest = sqlite3.connect(target, isolation_level=None)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        problems = check_connection(dest)
        if problems:
            return problems, 0, {}
        return [], dest.execute("PRAGMA user_version").fetchone()[0], _counts(dest)
    except sqlite3.OperationalError:  # the copy could not be written (a full disk): the caller says so
        raise
    except sqlite3.DatabaseError as exc:  # a damaged source cannot even be copied
        return [str(exc)], 0, {}
    finally:
        dest.close()


def _counts(conn: sqlite3.Connection) -> dict:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("accounts", "contacts", "responses", "actions", "import_batches") if t in tables}


def before(ws: Workspace, reason: str) -> Backup:
    """The backup every risky change takes first: ``backups.before(ws, "import sales.csv")``.

    A read-only workspace is refused here, with its reason, before anything is done.
    """
    ws.require_writable()
    return take(ws, f"before {reason}")


@contextlib.contextmanager
def protected(ws: Workspace, reason: str) -> Iterator[sqlite3.Connection]:
    """A bulk change: back up, then run the block in one transaction."""
    before(ws, reason)
    with ws.transaction() as conn:
        yield conn


def list_backups(workspace: str | os.PathLike[str]) -> list[Backup]:
    """The finished backups of ``workspace``, newest first."""
    workspace = Path(workspace)
    found = []
    folder = backup_dir(workspace)
    if not folder.is_dir():
        return []
    for note in folder.glob("*.npsdb.json"):
        db = note.with_name(note.name[:-len(".json")])
        match = _NAME.match(db.name)
        if not match or not db.exists():
            continue
        try:
            meta = json.loads(note.read_text(encoding="utf-8"))
            found.append(Backup(db, datetime.strptime(match["stamp"], _STAMP), str(meta.get("reason", "")),
                                db.stat().st_size, int(meta.get("schema_version", 0)),
                                dict(meta.get("counts", {})), str(meta.get("integrity", "unknown"))))
        except (OSError, ValueError, TypeError):
            continue
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def latest_good(workspace: str | os.PathLike[str]) -> Backup | None:
    """The newest backup that passed its integrity check when it was taken."""
    return next((b for b in list_backups(workspace) if b.integrity == "ok"), None)


def kept(times: list[datetime], keep_last: int = KEEP_LAST, keep_weeks: int = KEEP_WEEKS) -> set[datetime]:
    """Which backup times rotation keeps: the newest ``keep_last``, plus the oldest one of each of the
    ``keep_weeks`` most recent ISO weeks that have a backup."""
    newest = sorted(times, reverse=True)
    keep = set(newest[:keep_last])
    oldest_of_week: dict[tuple[int, int], datetime] = {}
    for t in newest:  # newest first: the last one seen in a week is its oldest
        oldest_of_week[t.isocalendar()[:2]] = t
    keep.update(oldest_of_week[w] for w in sorted(oldest_of_week, reverse=True)[:keep_weeks])
    return keep


def rotate(workspace: str | os.PathLike[str], keep_last: int = KEEP_LAST,
           keep_weeks: int = KEEP_WEEKS) -> list[Path]:
    """Delete the backups ``kept`` does not keep; return their paths."""
    backups = list_backups(workspace)
    keep = kept([b.taken_at for b in backups], keep_last, keep_weeks)
    removed = []
    for b in backups:
        if b.taken_at not in keep:
            _note_path(b.path).unlink(missing_ok=True)
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


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
