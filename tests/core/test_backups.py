"""Backups: taken with the backup API, verified, rotated (10 newest + one a week), listed, restored."""
import json
import sqlite3
import stat
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nps_desktop.cli import main
from nps_desktop.core import backups, schema
from nps_desktop.core.workspace import WorkspaceError, open_workspace

from .safety_support import damage, damaged_after_backup, dump, held_by_another_process
from .safety_support import seeded_path as path  # noqa: F401 (a fixture)


def test_a_backup_is_an_exact_self_contained_private_copy(path):
    with open_workspace(path) as ws:
        taken = backups.before(ws, "import x.csv")
    assert dump(taken.path) == dump(path)
    assert taken.reason == "before import x.csv" and taken.integrity == "ok"
    assert taken.counts == {"accounts": 1, "contacts": 2, "responses": 3, "actions": 0, "import_batches": 0}
    assert taken.schema_version == schema.LATEST_VERSION
    conn = sqlite3.connect(taken.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no -wal needed to read it
    conn.close()
    assert stat.S_IMODE(taken.path.stat().st_mode) == 0o600
    note = json.loads(taken.path.with_name(taken.path.name + ".json").read_text())
    assert note["reason"] == "before import x.csv" and note["integrity"] == "ok"
    assert backups.list_backups(path) == [taken]


def test_list_is_newest_first_and_latest_good_skips_bad_ones(path):
    with open_workspace(path) as ws:
        a = backups.take(ws, "one", now=datetime(2026, 1, 1, 9))
        b = backups.take(ws, "two", now=datetime(2026, 1, 2, 9))
    assert [x.reason for x in backups.list_backups(path)] == ["two", "one"]
    note = b.path.with_name(b.path.name + ".json")
    note.write_text(note.read_text().replace('"integrity": "ok"', '"integrity": "failed"'))
    assert backups.latest_good(path).path == a.path


def test_an_interrupted_backup_is_never_listed_and_is_cleaned_up(path):
    folder = backups.backup_dir(path)
    folder.mkdir()
    partial = folder / "w-20260101-090000-000000.npsdb.partial"
    partial.write_bytes(b"SQLite format 3\x00 half a file")
    orphan = folder / "w-20260101-090001-000000.npsdb"  # renamed, but its note was never written
    orphan.write_bytes(b"x")
    assert backups.list_backups(path) == []
    with open_workspace(path) as ws:
        backups.take(ws, "next")
    assert not partial.exists()
    assert len(backups.list_backups(path)) == 1


def test_a_damaged_workspace_is_not_backed_up(tmp_path, path):
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO accounts(name, domain) VALUES (?, ?)", [(f"A{i}", f"a{i}.com") for i in range(3000)])
    conn.commit()
    conn.close()
    damage(path, page=20)
    from nps_desktop.core.workspace import Workspace
    ws = Workspace(path, sqlite3.connect(path, isolation_level=None))  # bypass the checks on open
    with pytest.raises(WorkspaceError, match="failed its integrity check|malformed"):
        backups.take(ws, "x")
    ws.conn.close()
    assert backups.list_backups(path) == []
    assert list(backups.backup_dir(path).glob("*.partial")) == []


def test_rotation_by_hand(path):
    """Keep the 2 newest and the oldest of each of the 3 latest weeks (ISO weeks 45–48 of 2026)."""
    days = [datetime(2026, 11, d, 10) for d in (2, 4, 10, 11, 12, 17, 23, 24)]
    with open_workspace(path) as ws:
        for d in days:
            backups.take(ws, d.strftime("%a %d"), now=d)
    assert len(backups.list_backups(path)) == 8  # the default keeps 10
    removed = backups.rotate(path, keep_last=2, keep_weeks=3)
    left = [b.taken_at.day for b in backups.list_backups(path)]
    # newest two: 24, 23; oldest of week 48: 23; of week 47: 17; of week 46: 10; week 45 is too old.
    assert left == [24, 23, 17, 10]
    assert len(removed) == 4 and not any(p.exists() for p in removed)


def test_rotation_on_every_backup_keeps_ten_plus_weekly(path):
    start = datetime(2026, 1, 5, 8)  # a Monday
    with open_workspace(path) as ws:
        for i in range(30):  # one a day for 30 days: weeks of 5 Jan, 12 Jan, 19 Jan, 26 Jan, 2 Feb
            backups.take(ws, f"day {i}", now=start + timedelta(days=i))
    left = sorted(b.taken_at.day for b in backups.list_backups(path) if b.taken_at.month == 1)
    feb = sorted(b.taken_at.day for b in backups.list_backups(path) if b.taken_at.month == 2)
    assert feb == [1, 2, 3]
    # newest ten: 25 Jan – 3 Feb; the oldest of each earlier week: 5, 12, 19 Jan.
    assert left == [5, 12, 19, 25, 26, 27, 28, 29, 30, 31]


@given(st.lists(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31)),
                unique=True, max_size=80),
       st.integers(0, 12), st.integers(0, 60))
def test_rotation_properties(times, keep_last, keep_weeks):
    keep = backups.kept(times, keep_last, keep_weeks)
    newest = sorted(times, reverse=True)
    assert set(newest[:keep_last]) <= keep
    weeks = sorted({t.isocalendar()[:2] for t in times}, reverse=True)
    for week in weeks[:keep_weeks]:
        assert min(t for t in times if t.isocalendar()[:2] == week) in keep
    for t in keep:  # nothing else is kept
        week = t.isocalendar()[:2]
        assert t in newest[:keep_last] or (week in weeks[:keep_weeks]
                                           and t == min(x for x in times if x.isocalendar()[:2] == week))
    assert len(keep) <= keep_last + keep_weeks


def test_restore_brings_back_exactly_what_the_backup_held(path):
    with open_workspace(path) as ws:
        taken = backups.before(ws, "bulk change")
        held = dump(path)
        with ws.transaction() as conn:
            conn.execute("DELETE FROM responses")
            conn.execute("UPDATE accounts SET arr = 5")
        changed = dump(path)
        safety = backups.restore(path, taken.path)
        assert ws.scalar("SELECT count(*) FROM responses") == 3  # an open connection sees the restore
    assert dump(path) == held
    assert dump(safety.path) == changed
    assert safety.reason == f"before restore of {taken.path.name}"


def test_restore_is_refused_while_another_process_has_the_workspace(path):
    with open_workspace(path) as ws:
        taken = backups.take(ws, "x")
    before = dump(path)
    with held_by_another_process(path) as holder:
        with pytest.raises(WorkspaceError, match=f"Cannot restore now: .*process {holder.pid}"):
            backups.restore(path, taken.path)
    assert dump(path) == before


def test_a_broken_backup_is_refused(path, tmp_path):
    bogus = tmp_path / "bogus.npsdb"
    bogus.write_text("not a database at all, just text" * 100)
    before = dump(path)
    with pytest.raises(WorkspaceError, match="Cannot restore .*bogus.npsdb"):
        backups.restore(path, bogus)
    assert dump(path) == before


def test_restoring_an_older_schema_upgrades_it(path, monkeypatch):
    with open_workspace(path) as ws:
        taken = backups.take(ws, "older")
    older = schema.LATEST_VERSION
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS + [
        lambda conn: conn.execute("ALTER TABLE accounts ADD COLUMN health REAL")])
    monkeypatch.setattr(schema, "LATEST_VERSION", older + 1)
    with open_workspace(path) as ws:  # upgraded on open, after a backup
        assert ws.scalar("PRAGMA user_version") == older + 1
        assert any(f"upgrade from workspace version {older}" in b.reason for b in backups.list_backups(path))
    backups.restore(path, taken.path)
    with open_workspace(path) as ws:
        assert ws.scalar("PRAGMA user_version") == older + 1
        assert "health" in {r[1] for r in ws.query("PRAGMA table_info(accounts)")}


def test_a_failing_migration_changes_nothing(path, monkeypatch):
    before = dump(path)

    def broken(conn):
        conn.execute("CREATE TABLE half_done(x)")
        conn.execute("UPDATE accounts SET name = 'changed'")
        raise sqlite3.OperationalError("migration bug")

    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS + [
        lambda conn: conn.execute("ALTER TABLE accounts ADD COLUMN health REAL"), broken])
    monkeypatch.setattr(schema, "LATEST_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(sqlite3.OperationalError, match="migration bug"):
        open_workspace(path)
    assert dump(path) == before  # neither step stayed: the migrations are one transaction


def test_before_refuses_a_read_only_workspace_and_writes_nothing(path):
    with open_workspace(path, read_only=True) as ws:
        with pytest.raises(WorkspaceError, match="read-only"):
            backups.before(ws, "import")
    assert not backups.backup_dir(path).exists()


def test_protected_backs_up_then_changes_in_one_transaction(path):
    with open_workspace(path) as ws:
        with pytest.raises(RuntimeError):
            with backups.protected(ws, "close all actions") as conn:
                conn.execute("DELETE FROM responses")
                raise RuntimeError("stop")
        assert ws.scalar("SELECT count(*) FROM responses") == 3
        with backups.protected(ws, "delete responses") as conn:
            conn.execute("DELETE FROM responses")
    assert [b.counts["responses"] for b in backups.list_backups(path)] == [3, 3]


def test_cli_backup_backups_restore(path, capsys):
    assert main(["backup", "--workspace", str(path), "--json", "--reason", "by hand"]) == 0
    taken = json.loads(capsys.readouterr().out)["backup"]
    assert taken["reason"] == "by hand" and taken["integrity"] == "ok"
    with open_workspace(path) as ws, ws.transaction() as conn:
        conn.execute("DELETE FROM contacts WHERE id = 2")
    assert main(["backups", "--workspace", str(path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["backups"]
    assert [b["file"] for b in listed] == [taken["file"]]
    assert main(["restore", taken["file"], "--workspace", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["restored"] == taken["path"] and doc["safety_backup"]
    with open_workspace(path) as ws:
        assert ws.scalar("SELECT count(*) FROM contacts") == 2
    assert main(["restore", "nope.npsdb", "--workspace", str(path)]) == 1
    assert "No backup 'nope.npsdb'" in capsys.readouterr().err


def test_backup_bytes_unchanged_by_listing(path):
    with open_workspace(path) as ws:
        taken = backups.take(ws, "x")
    data = taken.path.read_bytes()
    backups.list_backups(path)
    backups.verify(taken.path)
    assert taken.path.read_bytes() == data


def test_damaged_workspace_is_restored_from_backup_and_kept_aside(path):
    taken = damaged_after_backup(path)
    good = dump(taken.path)
    damaged_bytes = path.read_bytes()
    with pytest.raises(WorkspaceError) as err:
        open_workspace(path)
    assert err.value.damaged and err.value.backup == taken.path
    assert backups.restore(path, taken.path) is None
    assert dump(path) == good
    aside = list(backups.backup_dir(path).glob("w-damaged-*.npsdb"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged_bytes
