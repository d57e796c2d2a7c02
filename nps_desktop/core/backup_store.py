"""The backup folder of a workspace: taking a verified backup, listing, rotating.

A backup is taken with SQLite's online backup API into ``<workspace>.backups/`` beside the workspace,
turned into a single self-contained file (no WAL), checked with ``PRAGMA integrity_check``, and only
then given its final name together with a small JSON note (reason, time, schema version, counts). A
crash while taking one leaves a ``.partial`` file that the next backup removes; it is never listed.
Rotation keeps the 10 newest backups plus the oldest backup of each of the last 52 weeks that have one.

This module sits below ``core.workspace`` (which backs up before a migration and names the latest good
backup of a damaged file); ``core.backups`` adds restoring and re-exports what is here.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from . import disk, paths
from .integrity import WorkspaceError, check_connection

KEEP_LAST = 10
KEEP_WEEKS = 52
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})\.npsdb$")


class Source(Protocol):
    """What a backup needs of an open workspace (a ``core.workspace.Workspace``)."""

    path: Path
    conn: sqlite3.Connection

    def require_writable(self) -> None: ...


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


def take(ws: Source, reason: str, *, now: datetime | None = None) -> Backup:
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


def before(ws: Source, reason: str) -> Backup:
    """The backup every risky change takes first: ``backups.before(ws, "import sales.csv")``.

    A read-only workspace is refused here, with its reason, before anything is done.
    """
    ws.require_writable()
    return take(ws, f"before {reason}")


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
