"""team init and team add-user: the database itself refuses what a role may not do."""
from __future__ import annotations

import json
import shutil
import uuid

import pytest

from nps_desktop.core.team import roles

from .conftest import _as, _cli

pytestmark = pytest.mark.pg


def test_a_viewers_insert_is_refused_by_postgresql(team):
    import psycopg
    with _as(team, "viewer") as conn:
        assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 0  # reading is allowed
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for table responses"):
            conn.execute("INSERT INTO responses(score, responded_at, responded_on, month, quarter) "
                         "VALUES (9, '2026-01-02', '2026-01-02', '2026-01', '2026Q1')")
        assert roles.role_of(conn) == "viewer"


def test_a_viewers_push_is_refused_with_one_clear_line(team, demo_file, tmp_path, capsys, monkeypatch):
    copy = tmp_path / "laptop.npsdb"
    shutil.copy(demo_file, copy)
    monkeypatch.setenv("PGPASSWORD", team["passwords"]["viewer"])
    code, out, err = _cli(capsys, "team", "push", str(copy), team["tcp"]["viewer"])
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("nps-desktop team: postgresql://" + team["users"]["viewer"] + "@127.0.0.1:")
    assert "refused the change: permission denied for table" in err and "a viewer only reads" in err
    with _as(team, "admin") as conn:
        assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 0


def test_editors_write_the_work_and_only_admins_the_set_up(team):
    import psycopg
    with _as(team, "editor") as conn:
        conn.execute("INSERT INTO segments(name, filters, created_at) VALUES ('emea', '{}', '2026-11-23')")
        conn.execute("UPDATE generation SET counter = counter + 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="table settings"):
            conn.execute("INSERT INTO settings(key, value) VALUES ('nps_goal', '40')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="table plays"):
            conn.execute("DELETE FROM plays")
        assert roles.role_of(conn) == "editor"
    with _as(team, "admin") as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES ('nps_goal', '40')")
        conn.execute("DELETE FROM segments")
        assert roles.role_of(conn) == "admin"


def test_passwords_reach_the_server_hashed_and_an_admin_adds_users(team, capsys, monkeypatch):
    import psycopg
    with psycopg.connect(team["dsn"]) as conn:
        stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                              (team["users"]["viewer"],)).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$") and team["passwords"]["viewer"] not in stored
    name = f"added_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("NPS_DESKTOP_PASSWORD", "another-long-one")
    monkeypatch.setenv("PGPASSWORD", team["passwords"]["admin"])
    try:
        code, _, err = _cli(capsys, "team", "add-user", name, "--role", "viewer", "--db", team["tcp"]["admin"])
        assert (code, err) == (0, "")
        monkeypatch.setenv("PGPASSWORD", team["passwords"]["viewer"])
        code, _, err = _cli(capsys, "team", "add-user", name + "x", "--role", "admin", "--db", team["tcp"]["viewer"])
        assert code == 1 and err.count("\n") == 1 and "only a team admin" in err
        code, _, err = _cli(capsys, "team", "add-user", name, "--role", "viewer", "--db", team["dsn"])
        assert code == 1 and "already exists" in err
    finally:
        with psycopg.connect(team["dsn"], autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{name}"')


def test_init_again_changes_nothing_and_no_password_means_a_clear_error(team, capsys, monkeypatch):
    code, out, err = _cli(capsys, "team", "init", team["dsn"], "--json")
    assert (code, err) == (0, "") and json.loads(out)["roles_created"] == []
    assert json.loads(out)["version_before"] == json.loads(out)["version"]
    code, _, err = _cli(capsys, "team", "add-user", "nobody_here", "--role", "viewer", "--db", team["dsn"])
    assert code == 1 and "NPS_DESKTOP_PASSWORD" in err  # no terminal to ask in, and no password given
    monkeypatch.setenv("NPS_DESKTOP_PASSWORD", "long-enough-pw")
    code, _, err = _cli(capsys, "team", "add-user", "Bad Name", "--role", "viewer", "--db", team["dsn"])
    assert code == 1 and "'Bad Name' is not a usable user name" in err
    monkeypatch.setenv("NPS_DESKTOP_PASSWORD", "short")
    code, _, err = _cli(capsys, "team", "add-user", "fine_name", "--role", "viewer", "--db", team["dsn"])
    assert code == 1 and "shorter than 8" in err
