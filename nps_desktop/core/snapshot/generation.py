"""The workspace's generation: a counter and a random stamp that every write transaction changes.

A snapshot (and its cache file) is valid for exactly one generation. The stamp makes the key unique
even when a backup is restored and written again up to the same counter.
"""
from __future__ import annotations

import sqlite3

TABLE = "generation"


def create(conn: sqlite3.Connection) -> None:
    """The one-row table (run by the schema migration ``_v3_generation``)."""
    conn.execute(f"CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
                 "counter INTEGER NOT NULL, stamp INTEGER NOT NULL)")
    conn.execute(f"INSERT INTO {TABLE}(id, counter, stamp) VALUES (1, 0, random())")


def bump(conn: sqlite3.Connection) -> None:
    """Mark the data as changed; a no-op on a workspace that predates the table (during a migration)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone():
        conn.execute(f"UPDATE {TABLE} SET counter = counter + 1, stamp = random()")


def read(conn: sqlite3.Connection) -> tuple[int, int] | None:
    """``(counter, stamp)``, or None for a workspace without a generation."""
    try:
        row = conn.execute(f"SELECT counter, stamp FROM {TABLE}").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else (int(row[0]), int(row[1]))
