"""What a workspace and its backups share, below both: the error a user reads and the soundness check.

``WorkspaceError`` is raised whenever a workspace cannot be opened, changed, backed up or restored;
``check_connection`` lists what is wrong with a SQLite database (integrity, dangling foreign keys).
``core.workspace`` re-exports both.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .words import plural


class WorkspaceError(Exception):
    """A workspace cannot be opened or changed; the message is written for the user.

    ``damaged`` is set when the file is damaged, and ``backup`` then holds the path of the latest
    backup that passed its integrity check (None when there is none).
    """

    def __init__(self, message: str, *, damaged: bool = False, backup: Path | None = None,
                 needs_upgrade: bool = False):
        super().__init__(message)
        self.damaged, self.backup = damaged, backup
        #: Set when a read-only open was refused only because the file must first be upgraded.
        self.needs_upgrade = needs_upgrade


def check_connection(conn: sqlite3.Connection, quick: bool = False, limit: int = 5) -> list[str]:
    """Up to ``limit`` problems of a database: ``integrity_check``/``quick_check``, foreign keys."""
    pragma = "quick_check" if quick else "integrity_check"
    found = [r[0] for r in conn.execute(f"PRAGMA {pragma}({limit})") if r[0] != "ok"]
    dangling: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        dangling[(table, parent)] = dangling.get((table, parent), 0) + 1
    found += [f"{plural(n, 'row')} of {table} {'points' if n == 1 else 'point'} to missing {parent}"
              for (table, parent), n in dangling.items()]
    return found[:limit]
