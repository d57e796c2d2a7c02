"""A fork server for the crash-safety test: runs a scenario in a forked child that stops at a chosen
point so the test can SIGKILL it there.

Started once (``python killable.py``) it imports everything, then reads one JSON request per line on
stdin: ``{"scenario": NAME, "args": {...}, "kill_at": N or null}``. For each it forks a child that counts
Python call/return events (``sys.setprofile``: Python and C calls, so points inside ``executemany``'s
row generator and between any two statements) while the scenario runs. At event ``kill_at`` the child
writes ``{"event": "kill-me", "pid": PID}`` and blocks; the test kills it with SIGKILL. A child that
finishes writes ``{"event": "done", "events": COUNT, "notable": [...]}``, the events at which a
``NOTABLE`` C function (commit, rename, unlink, backup, …) was entered or left. The server then writes
``{"event": "exited", "status": ...}``. Choosing ``kill_at`` from a seeded RNG makes the run
reproducible; the kill itself is a real SIGKILL from another process.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import traceback
from datetime import date

from nps_desktop.core import backups, demo, schema
from nps_desktop.core.importing import importer, undo
from nps_desktop.core.workspace import open_workspace

#: A demo small enough to be killed many times in seconds.
demo.SIZES["tiny"] = dict(accounts=12, contacts_per_account=3, rnps_rate=1.5, tnps_support=0.45)


def _add_column(conn: sqlite3.Connection) -> None:
    """A synthetic migration that rewrites every response row."""
    conn.execute("ALTER TABLE responses ADD COLUMN score_band TEXT")
    conn.execute("UPDATE responses SET score_band = CASE WHEN score >= 9 THEN 'high' WHEN score >= 7 "
                 "THEN 'mid' ELSE 'low' END")


def _rebuild_accounts(conn: sqlite3.Connection) -> None:
    """A synthetic migration that rebuilds a parent table the way SQLite documents it."""
    cols = [r[1] for r in conn.execute("PRAGMA table_info(accounts)")]
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'accounts'").fetchone()[0]
    conn.execute(sql.replace("CREATE TABLE accounts", "CREATE TABLE accounts_new", 1))
    conn.execute(f"INSERT INTO accounts_new({', '.join(cols)}) SELECT {', '.join(cols)} FROM accounts")
    conn.execute("DROP TABLE accounts")
    conn.execute("ALTER TABLE accounts_new RENAME TO accounts")
    conn.execute("CREATE INDEX accounts_domain ON accounts(domain)")
    conn.execute("CREATE INDEX accounts_batch ON accounts(import_batch_id)")


def s_import(workspace: str, file: str) -> None:
    with open_workspace(workspace) as ws:
        importer.import_file(ws, file)


def s_undo(workspace: str, batch: int) -> None:
    with open_workspace(workspace) as ws:
        undo.undo_batch(ws, batch)


def s_demo(workspace: str, seed: int) -> None:
    demo.build_demo(workspace, seed=seed, size="tiny", as_of=date(2026, 11, 23))


def s_migrate(workspace: str) -> None:
    schema.MIGRATIONS.extend([_add_column, _rebuild_accounts])
    schema.LATEST_VERSION = len(schema.MIGRATIONS)
    with open_workspace(workspace):
        pass


def s_restore(workspace: str, backup: str) -> None:
    backups.restore(workspace, backup)


SCENARIOS = {"import": s_import, "undo": s_undo, "demo": s_demo, "migrate": s_migrate, "restore": s_restore}


def _say(doc: dict) -> None:
    os.write(1, (json.dumps(doc) + "\n").encode())


#: C functions around which a crash matters most: the test kills just before and just after each call.
NOTABLE = {"commit", "rollback", "replace", "rename", "unlink", "link", "backup", "fsync"}


def _child(request: dict, hold_r: int) -> None:
    count = 0
    kill_at = request.get("kill_at")
    notable: list[int] = []

    def profile(frame, event, arg):
        nonlocal count
        count += 1
        if event in ("c_call", "c_return") and getattr(arg, "__name__", None) in NOTABLE and (
                isinstance(getattr(arg, "__self__", None), sqlite3.Connection)
                or getattr(arg, "__module__", None) in ("posix", "nt")):
            notable.append(count)
        if count == kill_at:
            sys.setprofile(None)
            _say({"event": "kill-me", "pid": os.getpid()})
            os.read(hold_r, 1)  # blocks until SIGKILL (or EOF if the server went away)
            os._exit(3)

    fn = SCENARIOS[request["scenario"]]
    sys.setprofile(profile)
    try:
        fn(**request["args"])
    finally:
        sys.setprofile(None)
    _say({"event": "done", "events": count, "notable": notable})


def main() -> None:
    hold_r, hold_w = os.pipe()  # never written: a killed-to-be child blocks on it
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _child(request, hold_r)
            except BaseException:
                _say({"event": "error", "error": traceback.format_exc()})
                code = 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        _say({"event": "exited", "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
              "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None})
    os.close(hold_w)


if __name__ == "__main__":
    main()
