"""team push and team pull: a demo workspace goes to PostgreSQL and back, and every figure stays the same."""
from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
from dataclasses import asdict

import pytest

from nps_desktop.cli import main
from nps_desktop.core.reporting import data
from nps_desktop.core.team import transfer
from nps_desktop.core.workspace import open_workspace
from tests.conftest import DEMO_AS_OF

pytestmark = pytest.mark.pg

READS = (["stats", "--json", "--by", "region", "--period", "quarter"], ["revenue", "--json"], ["plan", "--json"])


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_copy(demo_file, tmp_path):
    copy = tmp_path / "laptop.npsdb"
    shutil.copy(demo_file, copy)
    return copy


def test_push_then_pull_gives_identical_stats_revenue_plan_and_pack_numbers(demo_copy, pg_dsn, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NPS_DESKTOP_TODAY", DEMO_AS_OF.isoformat())
    code, out, err = _cli(capsys, "team", "push", str(demo_copy), pg_dsn, "--json")
    assert (code, err) == (0, "")
    pushed = json.loads(out)
    with sqlite3.connect(demo_copy) as src:
        expected = {t: src.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in pushed["per_table"]}
    assert pushed["per_table"] == expected
    assert pushed["rows"] == sum(expected.values()) and expected["responses"] > 5000 and pushed["checked"]

    copy = tmp_path / "trip.npsdb"
    code, out, err = _cli(capsys, "team", "pull", pg_dsn, str(copy), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["per_table"] == expected and json.loads(out)["read_only"] is True

    for argv in READS:
        code, original, err = _cli(capsys, *argv, "--workspace", str(demo_copy))
        assert (code, err) == (0, ""), argv
        code, pulled, err = _cli(capsys, *argv, "--workspace", str(copy))
        assert (code, err) == (0, ""), argv
        assert json.loads(pulled) == json.loads(original), argv
        assert len(original) > 200
    # and every figure the pack prints (reporting.data.gather), for a finished and a running quarter
    for period in ("2026Q3", "2026Q4"):
        packs = []
        for path in (demo_copy, copy):
            with open_workspace(path, read_only=True) as ws:
                packs.append(json.dumps(asdict(data.gather(ws, period, today=DEMO_AS_OF)), default=str,
                                        sort_keys=True))
        assert packs[1] == packs[0], period
        figures = json.loads(packs[0])
        assert figures["stats"]["responses"] > 500 and figures["missing"] == {}, period
        assert all(figures[k] for k in ("revenue", "loop", "themes", "at_risk", "worth", "trend")), period


def test_push_copies_every_value_and_moves_the_identities_past_them(demo_copy, pg_dsn):
    import psycopg
    with open_workspace(demo_copy, read_only=True) as ws, psycopg.connect(pg_dsn) as conn:
        transfer.push(ws, conn, "the test database")
        want = [tuple(r) for r in ws.conn.execute("SELECT id, score, comment, sentiment, responded_at "
                                                   "FROM responses ORDER BY id")]
        got = conn.execute("SELECT id, score, comment, sentiment, responded_at FROM responses ORDER BY id").fetchall()
        assert got == want
        conn.execute("INSERT INTO segments(name, filters, created_at) VALUES ('new', '{}', '2026-11-23')")
        new_id = conn.execute("SELECT id FROM segments WHERE name = 'new'").fetchone()[0]
        assert new_id == (ws.scalar("SELECT max(id) FROM segments") or 0) + 1


def test_push_reports_progress_and_a_cancel_leaves_the_database_empty(demo_copy, pg_dsn):
    import psycopg
    seen: list[tuple[int, int]] = []
    with open_workspace(demo_copy, read_only=True) as ws, psycopg.connect(pg_dsn) as conn:
        with pytest.raises(transfer.TransferCancelled):
            transfer.push(ws, conn, "db", progress=lambda d, t: seen.append((d, t)),
                          cancelled=lambda: len(seen) >= 2)
        conn.rollback()
        assert conn.execute("SELECT to_regclass('public.responses')").fetchone()[0] is None
        seen.clear()
        result = transfer.push(ws, conn, "db", progress=lambda d, t: seen.append((d, t)))
    total = result.total
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_push_into_a_non_empty_database_is_refused_in_one_line(demo_copy, pg_dsn, capsys):
    assert _cli(capsys, "team", "push", str(demo_copy), pg_dsn)[0] == 0
    code, out, err = _cli(capsys, "team", "push", str(demo_copy), pg_dsn)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "already holds a workspace" in err and "nothing was changed" in err


def test_push_into_a_database_with_other_tables_is_refused(demo_copy, pg_dsn, capsys):
    import psycopg
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    code, _, err = _cli(capsys, "team", "push", str(demo_copy), pg_dsn)
    assert code == 1 and "already holds other tables (invoices)" in err and err.count("\n") == 1
    with psycopg.connect(pg_dsn) as conn:
        assert conn.execute("SELECT to_regclass('public.responses')").fetchone()[0] is None


def test_a_nul_character_is_refused_naming_table_row_and_column(demo_copy, pg_dsn, capsys):
    with sqlite3.connect(demo_copy) as db:
        rid = db.execute("SELECT min(id) FROM responses WHERE comment IS NOT NULL").fetchone()[0]
        db.execute("UPDATE responses SET comment = 'bad' || char(0) || 'byte' WHERE id = ?", (rid,))
    code, _, err = _cli(capsys, "team", "push", str(demo_copy), pg_dsn)
    assert code == 1 and f"table responses, row {rid}, column comment: holds a NUL character" in err


def test_a_pulled_copy_is_read_only_until_unlocked(demo_copy, pg_dsn, tmp_path, capsys):
    assert _cli(capsys, "team", "push", str(demo_copy), pg_dsn)[0] == 0
    copy = tmp_path / "trip.npsdb"
    assert _cli(capsys, "team", "pull", pg_dsn, str(copy))[0] == 0
    with open_workspace(copy) as ws:
        assert ws.read_only and "offline copy of the team workspace" in ws.read_only_reason
    code, _, err = _cli(capsys, "segments", "save", "mine", "--workspace", str(copy), "--region", "EMEA")
    assert code == 1 and "offline copy of the team workspace" in err and "nothing was changed" in err
    assert _cli(capsys, "team", "pull", pg_dsn, str(copy))[2].count("already exists") == 1
    code, out, _ = _cli(capsys, "team", "unlock", str(copy))
    assert code == 0 and "workspace of its own" in out
    with open_workspace(copy) as ws:
        assert not ws.read_only
        ws.set_setting("company_name", "Mine now")
    writable = tmp_path / "writable.npsdb"
    assert _cli(capsys, "team", "pull", pg_dsn, str(writable), "--writable")[0] == 0
    with open_workspace(writable) as ws:
        assert not ws.read_only


def test_pull_of_a_database_without_a_workspace_says_so(pg_dsn, tmp_path, capsys):
    code, _, err = _cli(capsys, "team", "pull", pg_dsn, str(tmp_path / "x.npsdb"))
    assert code == 1 and "holds no team workspace" in err and not (tmp_path / "x.npsdb").exists()


def test_stats_straight_from_the_team_database_equal_the_files(demo_copy, pg_dsn, capsys, monkeypatch):
    """`stats --workspace postgresql://…` loads the snapshot from PostgreSQL: the same JSON as the file."""
    monkeypatch.setenv("NPS_DESKTOP_TODAY", DEMO_AS_OF.isoformat())
    assert _cli(capsys, "team", "push", str(demo_copy), pg_dsn)[0] == 0
    for extra in ([], ["--by", "region", "--period", "quarter"], ["--by", "product", "--period", "month"],
                  ["--by", "arr_band", "--preset", "last_quarter"], ["--by", "tier", "--program", "rnps"],
                  ["--from", "2026-01-01", "--to", "2026-06-30", "--region", "EMEA"]):
        code, original, err = _cli(capsys, "stats", "--json", *extra, "--workspace", str(demo_copy))
        assert (code, err) == (0, ""), extra
        code, team, err = _cli(capsys, "stats", "--json", *extra, "--workspace", pg_dsn)
        assert (code, err) == (0, ""), extra
        assert json.loads(team) == json.loads(original), extra
    code, out, err = _cli(capsys, "health", "--workspace", pg_dsn)
    assert code == 1 and out == "" and err.count("\n") == 1 and "team pull" in err


def test_the_snapshot_from_postgresql_equals_the_files(demo_copy, pg_dsn):
    import numpy as np
    import psycopg

    from nps_desktop.core.snapshot import columns
    from nps_desktop.core.team import reading
    with open_workspace(demo_copy, read_only=True) as ws, psycopg.connect(pg_dsn) as conn:
        transfer.push(ws, conn, "db")
        mine = columns.read(ws.conn)
        theirs = reading.read_snapshot(conn)
    assert theirs.key == mine.key
    for name in ("day", "score", "acc", "con", "time"):
        assert np.array_equal(getattr(theirs, name), getattr(mine, name)), name
    for dim in mine.codes:
        decoded = [theirs.labels[dim][c] for c in theirs.codes[dim]]
        assert decoded == [mine.labels[dim][c] for c in mine.codes[dim]], dim
