"""Importing into a team workspace: the file importer's results, one import at a time, NOTIFY at commit."""
from __future__ import annotations

import json

import pytest

from nps_desktop.core.importing import ImportOptions, importer
from nps_desktop.core.team import team_import, transfer
from nps_desktop.core.team.connect import TeamError
from nps_desktop.core.workspace import open_workspace
from tests.core import import_files as F

from .conftest import _as, _cli

pytestmark = pytest.mark.pg

#: The tables an import writes, compared row for row (times of day left out: they differ by the clock).
COMPARED = ("responses", "accounts", "contacts", "revenue_events", "import_rejects", "import_changes",
            "response_themes", "account_snapshots", "import_batches")


@pytest.fixture
def team_ws(team, tmp_path):
    """The team database holding a new, empty workspace (its plays, themes and settings), as pushed."""
    import psycopg
    with open_workspace(tmp_path / "empty.npsdb") as ws, psycopg.connect(team["dsn"]) as conn:
        transfer.push(ws, conn, "team")
    return team


def _rows(conn, table: str) -> list[tuple]:
    cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if not r[1].endswith("_at")
            and r[1] not in ("file_path",)]
    return [tuple(r) for r in conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}" '
                                           f'ORDER BY {", ".join(chr(34) + c + chr(34) for c in cols[:2])}')]


def test_a_team_import_writes_what_a_file_import_writes(team_ws, tmp_path):
    files = [(F.accounts_xlsx(tmp_path), None), (F.contacts_csv(tmp_path), None), (F.surveymonkey(tmp_path), None),
             (F.revenue_csv(tmp_path), None), (F.surveymonkey(tmp_path), None)]   # the last: all duplicates
    laptop = tmp_path / "laptop.npsdb"
    with open_workspace(laptop) as ws:
        local = [importer.import_file(ws, path, ImportOptions(), follow_ups=team_import.FOLLOW_UPS)
                 for path, _ in files]
    with _as(team_ws, "editor") as conn:
        conn.autocommit = False
        remote = [team_import.import_into(conn, "team", path, ImportOptions()) for path, _ in files]
    keys = ("rows", "imported", "updated", "duplicates", "rejected", "skipped", "batch_id")
    assert [[getattr(r.result, k) for k in keys] for r in remote] == [[getattr(r, k) for k in keys] for r in local]
    assert remote[2].result.imported == 6 and remote[4].result.duplicates == 6 and remote[4].result.batch_id is None
    with _as(team_ws, "viewer") as conn:
        pulled = tmp_path / "pulled.npsdb"
        transfer.pull(conn, "team", pulled)
        audit = conn.execute("SELECT what, changed_by FROM audit_log WHERE what = 'import'").fetchall()
    assert audit == [("import", team_ws["users"]["editor"])] * len(files)
    with open_workspace(laptop, read_only=True) as a, open_workspace(pulled, read_only=True) as b:
        for table in COMPARED:
            assert _rows(b.conn, table) == _rows(a.conn, table), table
        assert a.scalar("SELECT count(*) FROM responses") == 6


def test_a_second_import_waits_for_the_first_and_is_told_who_holds_it(team_ws, tmp_path):
    told: list[str] = []
    with _as(team_ws, "admin") as first, _as(team_ws, "editor") as second:
        first.autocommit = False
        first.execute("SELECT pg_advisory_xact_lock(%s, %s)", team_import.LOCK)   # an import under way

        def waiting(message: str) -> None:
            told.append(message)
            first.commit()   # the first import finishes: the second goes on
        second.autocommit = False
        done = team_import.import_into(second, "team", F.surveymonkey(tmp_path), on_wait=waiting)
    assert done.waited and done.result.imported == 6
    assert len(told) == 1 and told[0].startswith(f"another import into team is running ({team_ws['users']['admin']}, "
                                                 "since ")
    assert told[0].endswith("waiting for it to finish…")


def test_the_import_is_announced_at_commit(team_ws, tmp_path):
    import psycopg
    with psycopg.connect(team_ws["dsn"], autocommit=True) as listener, _as(team_ws, "editor") as conn:
        listener.execute(f"LISTEN {team_import.CHANNEL}")
        conn.autocommit = False
        team_import.import_into(conn, "team", F.surveymonkey(tmp_path))
        heard = [json.loads(n.payload) for n in listener.notifies(timeout=5, stop_after=1)]
    assert heard == [{"what": "import", "batch": 1, "rows": 6, "by": team_ws["users"]["editor"]}]


def test_a_viewers_import_is_refused_with_one_line_and_writes_nothing(team_ws, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", team_ws["passwords"]["viewer"])
    code, out, err = _cli(capsys, "import", str(F.surveymonkey(tmp_path)), "--workspace", team_ws["tcp"]["viewer"])
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "refused the import: permission denied for table" in err and "a viewer only reads" in err
    with _as(team_ws, "admin") as conn:
        assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM import_batches").fetchone()[0] == 0
    monkeypatch.setenv("PGPASSWORD", team_ws["passwords"]["editor"])
    code, out, err = _cli(capsys, "import", str(F.surveymonkey(tmp_path)), "--workspace", team_ws["tcp"]["editor"],
                          "--json")
    assert (code, err) == (0, "") and json.loads(out)["imported"] == 6


def test_a_bad_file_is_refused_before_anything_is_written(team_ws, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("just,some,words\n1,2,3\n", encoding="utf-8")
    with _as(team_ws, "editor") as conn:
        conn.autocommit = False
        with pytest.raises((TeamError, ValueError)):
            team_import.import_into(conn, "team", bad)
        assert conn.execute("SELECT count(*) FROM import_batches").fetchone()[0] == 0
