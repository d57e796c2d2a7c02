"""A note of the last import committed to a workspace, kept outside its write-ahead log.

SQLite's WAL holds the latest commits until a checkpoint copies them into the main file. If the ``-wal``
file is lost after a crash (deleted by hand, left behind by a sync tool), those commits vanish without a
trace. So after each commit that adds or undoes an import batch, ``record`` writes a small note
(``last-commit.json`` in the workspace's backup folder, flushed to disk): the highest batch id, how many
batches are undone, and the file of the newest. ``missing`` compares the workspace with its note on
open; the workspace is refused (with the backup offered) when it lacks what the note says was committed.
A restore or a replaced file ``forget``s the note: the new content starts a new one.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from . import paths

FILE = "last-commit.json"


def note_path(workspace: Path) -> Path:
    return paths.backup_dir(Path(workspace)) / FILE


def state(conn: sqlite3.Connection) -> dict | None:
    """What the note keeps of a workspace: ``{batches, undone, file}`` (None before its tables exist)."""
    try:
        batches, undone = conn.execute("SELECT coalesce(max(id), 0), count(undone_at) FROM import_batches").fetchone()
        file = conn.execute("SELECT file_name FROM import_batches WHERE id = ?", (batches,)).fetchone()
    except sqlite3.Error:
        return None
    return {"batches": batches, "undone": undone, "file": file[0] if file else None}


def record(workspace: Path, now: dict | None) -> None:
    """Write the note of ``workspace`` (best effort; only where its backup folder exists, as it does once
    an import has backed it up)."""
    target = note_path(workspace)
    if now is None or not target.parent.is_dir():
        return
    tmp = target.with_name(target.name + ".partial")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps(now).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)


def read(workspace: Path) -> dict | None:
    try:
        note = json.loads(note_path(workspace).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) else None


def missing(workspace: Path, now: dict | None) -> str | None:
    """What the workspace lacks of its last recorded commit, as a user reads it (None when nothing)."""
    note = read(workspace)
    if note is None or now is None:
        return None
    try:
        batches, undone = int(note.get("batches", 0)), int(note.get("undone", 0))
    except (TypeError, ValueError):
        return None
    if now["batches"] < batches:
        return f"import batch {batches} ({note.get('file') or 'a file'}) was committed to it but is not in it"
    if now["undone"] < undone:
        return "an undo of an import was committed to it but is not in it"
    return None


def forget(workspace: Path) -> None:
    note_path(workspace).unlink(missing_ok=True)
