"""team backup and team backups: pg_dump files with their counts, listed and verified (and restored)."""
from __future__ import annotations

import json

import pytest

from .conftest import _cli

pytestmark = pytest.mark.pg


@pytest.fixture
def small_team(team):
    import psycopg
    with psycopg.connect(team["dsn"], autocommit=True) as conn:
        conn.execute("INSERT INTO accounts(name, arr) VALUES ('Acme', 1000), ('Globex', 2500.5)")
        for i in range(5):
            conn.execute("INSERT INTO responses(score, responded_at, responded_on, month, quarter, account_id) "
                         "VALUES (%s, '2026-01-02', '2026-01-02', '2026-01', '2026Q1', 1)", (i + 5,))
    return team


def test_a_backup_is_listed_verified_and_restores_to_its_counts(small_team, pg_cluster, tmp_path, capsys):
    import uuid

    import psycopg
    folder = tmp_path / "dumps"
    code, out, err = _cli(capsys, "team", "backup", small_team["dsn"], str(folder), "--json")
    assert (code, err) == (0, "")
    note = json.loads(out)
    assert note["counts"]["responses"] == 5 and note["counts"]["accounts"] == 2 and note["counts"]["actions"] == 0
    assert (folder / note["file"]).stat().st_size == note["bytes"] > 0
    assert json.loads((folder / (note["file"] + ".json")).read_text())["counts"] == note["counts"]

    code, out, err = _cli(capsys, "team", "backups", str(folder), "--json")
    assert (code, err) == (0, "")
    [listed] = json.loads(out)["backups"]
    assert listed["verified"] is True and listed["rows"] == note["rows"] and "restored" not in listed

    scratch = f"s_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        code, out, err = _cli(capsys, "team", "backups", str(folder), "--restore-into", pg_cluster.dsn(scratch))
        assert (code, err) == (0, "")
        assert out.count("\n") == 1 and "verified, restored and counted" in out and f"{note['rows']} rows" in out
        with psycopg.connect(pg_cluster.dsn(scratch)) as conn:   # emptied again after the check
            assert conn.execute("SELECT count(*) FROM information_schema.tables "
                                "WHERE table_schema = 'public'").fetchone()[0] == 0
    finally:
        with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{scratch}" WITH (FORCE)')


def test_a_damaged_dump_is_named_and_the_command_fails(small_team, tmp_path, capsys):
    folder = tmp_path / "dumps"
    code, out, _ = _cli(capsys, "team", "backup", small_team["dsn"], str(folder), "--json")
    dump = folder / json.loads(out)["file"]
    dump.write_bytes(dump.read_bytes()[:200])   # cut short, as a full disk leaves it
    code, out, err = _cli(capsys, "team", "backups", str(folder))
    assert code == 1 and err == ""
    assert f"{dump.name}" in out and "NOT VERIFIED: pg_restore cannot read it" in out
