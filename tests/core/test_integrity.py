"""Checks on open: a damaged or inconsistent file is refused clearly, unchanged, with the latest good backup."""
import json
import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from nps_desktop.cli import main
from nps_desktop.core import backups, workspace
from nps_desktop.core.workspace import WorkspaceError, open_workspace

from .safety_support import damage, dump
from .safety_support import seeded_path  # noqa: F401 (a fixture)


def forget_checks(path) -> None:
    """As a new process after an unclean shutdown: no check remembered, here or beside the file."""
    workspace._checked.clear()
    workspace.trusted_state_path(path).unlink(missing_ok=True)


@pytest.fixture
def path(seeded_path):
    p = seeded_path
    with open_workspace(p) as ws:
        with ws.transaction() as conn:  # enough pages that damage lands in table and index pages
            conn.executemany("INSERT INTO accounts(name, domain) VALUES (?, ?)",
                             [(f"Account {i}" * 5, f"a{i}.example") for i in range(3000)])
    return p


def test_a_damaged_file_is_refused_unchanged_and_offers_the_latest_good_backup(path):
    with open_workspace(path) as ws:
        backups.take(ws, "older")
        newest = backups.before(ws, "import a.csv")
    damage(path, page=30)
    data = path.read_bytes()
    with pytest.raises(WorkspaceError) as err:
        open_workspace(path)
    msg = str(err.value)
    assert err.value.damaged and err.value.backup == newest.path
    assert msg.startswith(f"{path} is damaged (")
    assert f"({newest.reason})" in msg and f"nps-desktop restore {newest.path}" in msg
    assert "\n" not in msg
    assert path.read_bytes() == data


def test_without_a_backup_the_message_says_so(path):
    damage(path, page=30)
    with pytest.raises(WorkspaceError, match="is damaged .*No good backup of it was found") as err:
        open_workspace(path)
    assert err.value.backup is None


def test_a_truncated_file_is_damaged(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(WorkspaceError, match="is damaged") as err:
        open_workspace(path)
    assert err.value.damaged
    assert len(path.read_bytes()) == len(data) // 3


def test_rows_pointing_nowhere_are_reported_by_table(path):
    conn = sqlite3.connect(path)  # foreign keys are off by default in a bare connection
    conn.execute("INSERT INTO responses(score, responded_at, responded_on, month, quarter, contact_id) "
                 "VALUES (5, '2026-01-01', '2026-01-01', '2026-01', '2026Q1', 777)")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceError, match=r"1 row of responses points to missing contacts"):
        open_workspace(path)


def test_big_files_get_the_quick_check(path, monkeypatch):
    calls = []
    real = workspace.check_connection
    monkeypatch.setattr(workspace, "check_connection", lambda conn, quick=False, **kw: calls.append(quick) or real(conn, quick, **kw))
    monkeypatch.setattr(workspace, "QUICK_CHECK_ABOVE", path.stat().st_size - 1)
    forget_checks(path)
    with open_workspace(path):
        pass
    monkeypatch.setattr(workspace, "QUICK_CHECK_ABOVE", path.stat().st_size + 1)
    forget_checks(path)
    with open_workspace(path):
        pass
    assert calls == [True, False]


def test_the_check_runs_once_per_state_of_the_file(path, monkeypatch):
    calls = []
    real = workspace.check_connection
    monkeypatch.setattr(workspace, "check_connection", lambda conn, quick=False, **kw: calls.append(1) or real(conn, quick, **kw))
    forget_checks(path)
    with open_workspace(path):
        with open_workspace(path):  # a background job's connection: no second check
            pass
    with open_workspace(path):  # this process wrote it last: no check either
        pass
    assert calls == [1]


def test_a_clean_close_spares_the_next_process_the_check(path, monkeypatch):
    calls = []
    real = workspace.check_connection
    monkeypatch.setattr(workspace, "check_connection", lambda conn, quick=False, **kw: calls.append(1) or real(conn, quick, **kw))
    with open_workspace(path) as ws:
        ws.set_setting("nps_goal", 30)
    assert stat.S_IMODE(os.stat(workspace.trusted_state_path(path)).st_mode) == 0o600
    workspace._checked.clear()                 # a new process
    with open_workspace(path):
        pass
    assert calls == []
    with open(path, "r+b") as fh:             # changed from outside: checked again
        fh.seek(0, os.SEEK_END)
        fh.write(b"\0" * 4096)
    workspace._checked.clear()
    with open_workspace(path):
        pass
    assert calls == [1]


def test_an_unclean_shutdown_is_checked_next_time(path, monkeypatch):
    """A process killed with changes in its journal: the next open checks the file."""
    script = ("import os, sys\nfrom nps_desktop.core.workspace import open_workspace\n"
              "ws = open_workspace(sys.argv[1])\nws.conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
              "ws.set_setting('nps_goal', 12)\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    calls = []
    real = workspace.check_connection
    monkeypatch.setattr(workspace, "check_connection", lambda conn, quick=False, **kw: calls.append(1) or real(conn, quick, **kw))
    workspace._checked.clear()
    with open_workspace(path) as ws:
        assert ws.get_setting("nps_goal") == 12
    assert calls == [1]


def test_quick_and_full_checks_agree_on_a_sound_file(path):
    with open_workspace(path) as ws:
        assert ws.problems(quick=True) == ws.problems(quick=False) == []


def test_cli_names_the_damage_and_restore_latest_repairs_it(path, capsys):
    with open_workspace(path) as ws:
        taken = backups.take(ws, "good")
    held = dump(path)
    damage(path, page=30)
    assert main(["stats", "--workspace", str(path)]) == 1
    err = capsys.readouterr().err
    assert "is damaged" in err and taken.path.name in err and err.count("\n") == 1
    assert main(["restore", "latest", "--workspace", str(path)]) == 0
    assert "damaged file was kept" in capsys.readouterr().out
    assert dump(path) == held
    assert main(["stats", "--workspace", str(path), "--json"]) == 0


def test_check_command_finds_damage_the_open_did_not_look_for(path, capsys):
    with open_workspace(path) as ws:
        ws.set_setting("nps_goal", 30)
    assert main(["check", "--workspace", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"workspace": str(path), "sound": True}
    conn = sqlite3.connect(path)  # a row pointing nowhere, written as the app would not
    conn.execute("INSERT INTO contacts(email, account_id) VALUES ('x@y.z', 987654321)")
    conn.commit()
    conn.close()
    workspace._trust(path)        # as if a clean close had left the file so: the open does not check
    assert main(["check", "--workspace", str(path)]) == 1
    err = capsys.readouterr().err
    assert "is damaged (1 row of contacts points to missing accounts)" in err and err.count("\n") == 1
