"""Helpers shared by the data-safety tests: content dumps, a process that holds a workspace, damage."""
from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

#: Columns whose value is the clock at the moment of writing; dumps leave them out.
CLOCK_COLUMNS = {"created_at", "imported_at", "undone_at", "erased_at", "at", "first_touch_at", "closed_at",
                 "stamp"}  # generation.stamp is random


def dump(path: Path, *, skip_clock: bool = False) -> dict:
    """Everything a workspace holds, as comparable Python values (reads the WAL too; changes nothing)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = {"user_version": conn.execute("PRAGMA user_version").fetchone()[0],
               "application_id": conn.execute("PRAGMA application_id").fetchone()[0]}
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out["schema"] = sorted(r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"))
        for table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            keep = [c for c in cols if not (skip_clock and c in CLOCK_COLUMNS)]
            select = ", ".join(f'"{c}"' for c in keep)
            out[table] = sorted(tuple(r) for r in conn.execute(f'SELECT {select} FROM "{table}"'))
        return out
    finally:
        conn.close()


HOLD = """
import sys
from nps_desktop.core.workspace import open_workspace
ws = open_workspace(sys.argv[1])
print('ready', ws.read_only, flush=True)
sys.stdin.read()
ws.close()
"""


@contextlib.contextmanager
def held_by_another_process(path: Path):
    """A child process that has ``path`` open for changes until the block ends; yields the Popen."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.split() == ["ready", "False"], line
        yield proc
    finally:
        if proc.poll() is None:
            proc.stdin.close()
            proc.wait(timeout=30)


def damage(path: Path, page: int = 3, page_size: int = 4096) -> None:
    """Overwrite one page in the middle of a closed database file with garbage."""
    with open(path, "r+b") as fh:
        fh.seek(page_size * page)
        fh.write(bytes(range(256)) * (page_size // 256))


def damaged_after_backup(path: Path):
    """Back the closed workspace at ``path`` up, add pages to it, then damage one; return the backup."""
    from nps_desktop.core import backups
    from nps_desktop.core.workspace import open_workspace
    with open_workspace(path) as ws:
        taken = backups.take(ws, "good")
        with ws.transaction() as conn:
            conn.executemany("INSERT INTO accounts(name) VALUES (?)", [(f"A{i}" * 20,) for i in range(2000)])
    damage(path, page=5)
    return taken


def seed(ws) -> None:
    """A few rows in the main tables: an account, two contacts, three responses."""
    from nps_desktop.core.responses import insert_responses
    with ws.transaction() as conn:
        conn.execute("INSERT INTO accounts(id, name, domain, arr) VALUES (1, 'Acme', 'acme.com', 1000)")
        conn.executemany("INSERT INTO contacts(id, email, first_name, last_name, role, account_id) "
                         "VALUES (?, ?, ?, ?, ?, 1)",
                         [(1, "alice@acme.com", "Alice", "Nguyen", "Admin"),
                          (2, "bob@acme.com", "Bob", "Stone", "IT")])
        insert_responses(conn, [
            dict(score=3, comment="Alice here: slow support", responded_at="2026-03-02", contact_id=1,
                 account_id=1, email="alice@acme.com"),
            dict(score=9, comment="fine", responded_at="2026-04-10", contact_id=1, account_id=1,
                 email="alice@acme.com"),
            dict(score=10, comment="great", responded_at="2026-04-11", contact_id=2, account_id=1,
                 email="bob@acme.com")])


@pytest.fixture
def seeded_path(tmp_path) -> Path:
    """A closed workspace holding ``seed``'s rows (import it as ``path``)."""
    from nps_desktop.core.workspace import open_workspace
    path = tmp_path / "w.npsdb"
    with open_workspace(path) as ws:
        seed(ws)
    return path
