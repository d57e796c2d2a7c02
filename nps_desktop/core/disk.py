"""What went wrong with a file, in the words a user reads: "the disk is full", not an errno."""
from __future__ import annotations

import errno
import sqlite3

_REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
            errno.EROFS: "the disk is read-only", errno.EACCES: "permission denied",
            errno.EPERM: "permission denied"}


def reason(exc: BaseException) -> str:
    """The cause of a failed write: ``OSError`` by its errno, SQLite's "database or disk is full"."""
    if isinstance(exc, OSError):
        known = _REASONS.get(exc.errno) if exc.errno is not None else None
        return known or exc.strerror or str(exc)
    if isinstance(exc, sqlite3.Error) and "full" in str(exc):
        return "the disk is full"
    return str(exc)


def is_full(exc: BaseException) -> bool:
    return reason(exc) in ("the disk is full", "the disk quota is used up")
