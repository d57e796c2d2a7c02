"""Crash safety: a process SIGKILLed at any point of an import, an undo, a demo build or a migration leaves
the workspace exactly as before or exactly as after (compared as content dumps), sound, and with only
sound backups listed.

Each scenario runs once to the end (the "after" state, the number of traced events N, and the events at
which it entered or left a commit, rename, unlink, backup or fsync), then is killed at each of those
events, at its last event, and at events drawn from a seeded RNG in 1..N. The child runs under
``killable.py``, a fork server, so that forty kills fit in a few seconds.
"""
from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from nps_desktop.core import backups, erasure_log, privacy, schema
from nps_desktop.core.importing import importer
from nps_desktop.core.workspace import check_connection, open_workspace

from .safety_support import dump

SERVER = Path(__file__).with_name("killable.py")
#: Kills at random events per scenario, besides one at each entry to and exit from a commit, rename,
#: unlink, backup or fsync, and one at the very last event; and the seed of the random ones.
RANDOM_KILLS = 10
SEED = 20261123
#: Kills survived per scenario, for the report (pytest -s prints it at the end of the module).
FIGURES: dict[str, Counter] = {}


class ForkServer:
    def __init__(self, home: Path):
        self.proc = subprocess.Popen([sys.executable, str(SERVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env={**os.environ, "NPS_DESKTOP_HOME": str(home)})

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        assert line, "the fork server died"
        return json.loads(line)

    def run(self, scenario: str, args: dict, kill_at: int | None = None) -> dict:
        self.proc.stdin.write(json.dumps({"scenario": scenario, "args": args, "kill_at": kill_at}) + "\n")
        self.proc.stdin.flush()
        first = self._read()
        if first["event"] == "kill-me":
            os.kill(first["pid"], signal.SIGKILL)
            exited = self._read()
            assert exited["signal"] == signal.SIGKILL, exited
            return {"killed": True}
        assert first["event"] == "done", first.get("error", first)
        assert self._read() == {"event": "exited", "signal": None, "code": 0}
        return {"killed": False, "events": first["events"], "notable": first["notable"]}

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = ForkServer(tmp_path_factory.mktemp("home"))
    yield s
    s.close()
    if FIGURES:
        total = sum(sum(c.values()) for c in FIGURES.values())
        print(f"\ncrash safety: {total} kills survived: " + "; ".join(
            f"{k}: {sum(c.values())} ({c['before']} before, {c['after']} after)" for k, c in FIGURES.items()))


# -- the states before each scenario ---------------------------------------------------------------
def _csv(path: Path, header: list[str], rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _accounts(path: Path, ids: range, rng: random.Random) -> Path:
    return _csv(path, ["Account ID", "Account Name", "Domain", "ARR", "Region", "Tier"],
                [[f"ACC-{i}", f"Company {i}", f"c{i}.com", f"${rng.randint(5, 500) * 1000:,}",
                  rng.choice(["EMEA", "APAC", "North America"]), rng.choice(["SMB", "Enterprise"])] for i in ids])


def _responses(path: Path, n: int, rng: random.Random) -> Path:
    return _csv(path, ["Response ID", "Email", "How likely are you to recommend us to a friend or colleague?",
                       "Comment", "Date"],
                [[f"R{i}", f"p{i % 90}@c{i % 50}.com", rng.randint(0, 10),
                  rng.choice(["great", "slow support", "ok", ""]), f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"]
                 for i in range(n)])


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Input files and the workspaces each scenario starts from."""
    d = tmp_path_factory.mktemp("crash")
    rng = random.Random(SEED)
    out = {"accounts": _accounts(d / "accounts.csv", range(40), rng),
           "responses": _responses(d / "responses.csv", 400, rng),
           "accounts2": _accounts(d / "accounts2.csv", range(20, 60), rng)}
    with open_workspace(d / "import-before.npsdb") as ws:  # accounts known: responses get linked
        importer.import_file(ws, out["accounts"])
    out["import-before"] = d / "import-before.npsdb"
    with open_workspace(d / "undo-before.npsdb") as ws:  # batch 3 adds 20 accounts and changes 20
        for f in ("accounts", "responses", "accounts2"):
            importer.import_file(ws, out[f])
    out["undo-before"] = d / "undo-before.npsdb"
    out["demo-before"] = _crashed_with_wal(d / "demo-before.npsdb", out["undo-before"])
    out["migrate-before"] = _version_1(d / "migrate-before.npsdb", rng)
    out["restore-before"], out["restore-backup"] = _erased_after_backup(d / "restore-before.npsdb",
                                                                       out["undo-before"])
    return out


def _erased_after_backup(path: Path, source: Path) -> tuple[Path, Path]:
    """A workspace in which a person was erased after its latest backup; and that backup, kept apart."""
    shutil.copy(source, path)
    with open_workspace(path) as ws:
        taken = backups.take(ws, "before erasure")
        email = ws.scalar("SELECT email FROM responses WHERE email IS NOT NULL ORDER BY id")
        privacy.erase_contact(ws, email)
        ws.set_setting("after_backup", True)  # what the restore takes away
    kept = path.with_name("restore-backup.npsdb")
    shutil.copy(taken.path, kept)
    return path, kept


def _crashed_with_wal(path: Path, source: Path) -> Path:
    """A workspace whose last changes are still only in its WAL, as after a crash."""
    shutil.copy(source, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE accounts SET arr = arr + 1")
    conn.execute("INSERT INTO settings(key, value) VALUES ('only_in_wal', '1')")
    shutil.copy(path, f"{path}.main")  # snapshot the pair while the connection holds the WAL
    shutil.copy(f"{path}-wal", f"{path}.wal")
    conn.close()
    os.replace(f"{path}.main", path)
    os.replace(f"{path}.wal", f"{path}-wal")
    Path(f"{path}-shm").unlink(missing_ok=True)
    assert Path(f"{path}-wal").stat().st_size > 0
    return path


def _version_1(path: Path, rng: random.Random) -> Path:
    """A workspace left at schema version 1, with data in the tables the migrations rewrite."""
    conn = sqlite3.connect(path, isolation_level=None)
    schema.MIGRATIONS[0](conn)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO accounts(id, name, domain, arr) VALUES (?, ?, ?, ?)",
                     [(i, f"Account {i}", f"a{i}.com", rng.randint(1, 100) * 1000.0) for i in range(1, 201)])
    conn.executemany("INSERT INTO responses(score, responded_at, responded_on, month, quarter, account_id) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     [(rng.randint(0, 10), "2026-05-04", "2026-05-04", "2026-05", "2026Q2", rng.randint(1, 200))
                      for _ in range(3000)])
    conn.execute("COMMIT")
    conn.close()
    return path


# -- the kill loop ---------------------------------------------------------------------------------
def _copy_workspace(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    if erasure_log.log_path(source).exists():
        erasure_log.log_path(target).parent.mkdir(exist_ok=True)
        shutil.copy(erasure_log.log_path(source), erasure_log.log_path(target))
    return target


def _state_after_crash(path: Path, app_open: bool = True) -> dict:
    """Open the workspace after the crash (as the app would, or, where the child ran another schema, as
    a bare connection that recovers the WAL); it must be sound; return its content."""
    if app_open:
        with open_workspace(path) as ws:
            assert ws.problems(quick=False) == []
    else:
        conn = sqlite3.connect(path)
        assert check_connection(conn) == []
        conn.close()
    for b in backups.list_backups(path):
        assert backups.verify(b.path) == [], b.path
    return dump(path, skip_clock=True)


def _survive(server: ForkServer, tmp_path: Path, scenario: str, before_file: Path, args,
             app_open: bool = True) -> Counter:
    before = dump(before_file, skip_clock=True)
    reference = _copy_workspace(before_file, tmp_path / "reference" / "w.npsdb")
    done = server.run(scenario, args(reference))
    assert not done["killed"]
    after = _state_after_crash(reference, app_open)
    assert after != before
    n = done["events"]
    rng = random.Random(f"{SEED}-{scenario}")
    points = sorted(set(rng.sample(range(1, n), RANDOM_KILLS)) | set(done["notable"]) | {n})
    outcome = Counter()
    for i, point in enumerate(points):
        work = _copy_workspace(before_file, tmp_path / f"kill{i}" / "w.npsdb")
        assert server.run(scenario, args(work), kill_at=point)["killed"]
        state = _state_after_crash(work, app_open)
        assert state == before or state == after, f"killed at event {point} of {n}: neither before nor after"
        outcome["before" if state == before else "after"] += 1
    FIGURES[scenario] = outcome
    return outcome


def test_killed_import(server, files, tmp_path):
    out = _survive(server, tmp_path, "import", files["import-before"],
                   lambda ws: {"workspace": str(ws), "file": str(files["responses"])})
    assert out["before"] >= RANDOM_KILLS // 2 and out["after"] >= 1  # the last event is past the commit


def test_killed_undo(server, files, tmp_path):
    out = _survive(server, tmp_path, "undo", files["undo-before"], lambda ws: {"workspace": str(ws), "batch": 3})
    assert out["before"] >= 1 and out["after"] >= 1


def test_killed_demo_build(server, files, tmp_path):
    out = _survive(server, tmp_path, "demo", files["demo-before"], lambda ws: {"workspace": str(ws), "seed": 3})
    assert out["before"] >= 1 and out["after"] >= 1


def test_killed_migration(server, files, tmp_path):
    out = _survive(server, tmp_path, "migrate", files["migrate-before"], lambda ws: {"workspace": str(ws)},
                   app_open=False)  # the child ran two extra migrations this process does not know
    assert out["before"] >= 1 and out["after"] >= 1


def test_killed_restore_never_brings_an_erased_person_back(server, files, tmp_path):
    """The restore of a backup taken before an erasure: killed anywhere, the workspace is the old state
    or the backup with the person erased again and the audit record kept, never the person back."""
    before = files["restore-before"]
    out = _survive(server, tmp_path, "restore", before,
                   lambda ws: {"workspace": str(ws), "backup": str(files["restore-backup"])})
    assert out["before"] >= 1 and out["after"] >= 1
    after = dump(tmp_path / "reference" / "w.npsdb", skip_clock=True)
    assert [r for r in after["audit_log"] if "erase_contact" in r] == \
        [r for r in dump(before, skip_clock=True)["audit_log"] if "erase_contact" in r]
