"""The erasure log: every erasure on request, also kept outside the workspace, where no restore can lose it.

``audit_log`` inside the workspace records each erasure, but restoring an older backup (or a damaged file)
replaces the whole file. So ``privacy.erase_contact`` also appends the record, before its transaction
commits, to ``erasures.jsonl`` in the workspace's backup folder (one JSON object a line, with the SHA-256
of the email, never the email; readable by its owner only, flushed to disk). ``backups.restore`` erases
again everyone this log and the old ``audit_log`` name. A record whose transaction was then lost (a crash
before the commit) only means a person who asked to be erased is erased at the next restore.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import paths

FILE = "erasures.jsonl"


def log_path(workspace: Path) -> Path:
    return paths.backup_dir(Path(workspace)) / FILE


def append(workspace: Path, record: dict[str, Any]) -> None:
    """Add ``record`` (``at``, ``email_sha256``, counts) to the log of ``workspace`` and flush it to disk."""
    target = log_path(workspace)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (json.dumps(record, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read(workspace: Path) -> list[dict[str, Any]]:
    """The records of the log, oldest first (lines that are not a record, such as a torn last line, skipped)."""
    try:
        lines = log_path(workspace).read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return []
    out = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("email_sha256") and record.get("at"):
            out.append(record)
    return out
