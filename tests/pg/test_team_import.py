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
    cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if not r[1].endswith(("_at", "at"))
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


def _later(rows: list[list], days: int, scores: dict[str, int]) -> list[list]:
    """The same respondents answering again ``days`` later (new respondent ids), some with new scores."""
    out = []
    for row in rows:
        new = list(row)
        new[0] = row[0] + 1000
        for i in (2, 3):
            month, day, rest = row[i].split("/", 2)
            new[i] = f"{month}/{int(day) + days:02d}/{rest}"
        new[9] = scores.get(row[5], row[9])
        out.append(new)
    return out


def test_the_plays_actions_land_in_the_team_database_as_on_a_file(team_ws, tmp_path, monkeypatch):
    from nps_desktop.core import follow_ups
    monkeypatch.setenv("NPS_DESKTOP_TODAY", "2025-11-12")   # the survey's answers are recent: the plays act
    again = F.surveymonkey(tmp_path, "again.csv", rows=_later(F.SM_ROWS, 4, {"cy@beta.io": 3, "ben@acme.com": 2}))
    files = [F.accounts_xlsx(tmp_path), F.contacts_csv(tmp_path), F.surveymonkey(tmp_path), again]
    laptop = tmp_path / "laptop.npsdb"
    with open_workspace(laptop) as ws:
        for path in files:
            importer.import_file(ws, path, ImportOptions(), follow_ups=follow_ups.STANDARD)
        made = ws.scalar("SELECT count(*) FROM actions")
        moved = ws.scalar("SELECT count(DISTINCT action_id) FROM action_history WHERE field = 'response_id'")
    assert made >= 3 and moved >= 1   # the detractors got actions; cy's newer answer moved hers
    with _as(team_ws, "editor") as conn:
        conn.autocommit = False
        done = [team_import.import_into(conn, "team", path, ImportOptions()) for path in files]
    assert [d.actions["created"] for d in done[2:]] == [done[2].actions["created"], made - done[2].actions["created"]]
    assert done[3].actions["updated"] == moved
    editor = team_ws["users"]["editor"]
    with _as(team_ws, "admin") as conn:
        rows = conn.execute("SELECT id, version, changed_by FROM actions ORDER BY id").fetchall()
        who = conn.execute("SELECT DISTINCT changed_by FROM action_history").fetchall()
        versions = conn.execute("SELECT DISTINCT a.id, h.action_version FROM action_history h JOIN actions a "
                                "ON a.id = h.action_id WHERE h.field = 'response_id'").fetchall()
        pulled = tmp_path / "pulled.npsdb"
        transfer.pull(conn, "team", pulled)
    assert len(rows) == made and who == [(editor,)]
    assert {r[0]: (r[1], r[2]) for r in rows if r[1] > 1} == {a: (2, editor) for a, _ in versions}
    assert all(v == 2 for _, v in versions) and len(versions) == moved
    with open_workspace(laptop, read_only=True) as a, open_workspace(pulled, read_only=True) as b:
        for table in ("actions", "action_history", *COMPARED):
            assert _rows(b.conn, table) == _rows(a.conn, table), table


def test_a_queue_change_made_from_before_the_import_is_told_the_import_moved_it(team_ws, tmp_path, monkeypatch):
    from nps_desktop.core.team import queue
    monkeypatch.setenv("NPS_DESKTOP_TODAY", "2025-11-12")
    again = F.surveymonkey(tmp_path, "again.csv", rows=_later(F.SM_ROWS, 4, {"cy@beta.io": 3}))
    with _as(team_ws, "editor") as conn:
        conn.autocommit = False
        team_import.import_into(conn, "team", F.surveymonkey(tmp_path))
        seen = {a.contact_email: a for a in queue.list_actions(conn)}["cy@beta.io"]
        first = conn.execute("SELECT response_id FROM actions WHERE id = %s", (seen.id,)).fetchone()[0]
        team_import.import_into(conn, "team", again)
        newer = conn.execute("SELECT id FROM responses WHERE email = 'cy@beta.io' AND id > %s", (first,)).fetchone()[0]
    with _as(team_ws, "admin") as other:
        other.autocommit = False
        with pytest.raises(queue.Conflict) as told:
            queue.set_status(other, seen.id, seen.version, "done")
        assert queue.get(other, seen.id).status == "open"
    assert f"changed by {team_ws['users']['editor']}" in str(told.value)
    assert f"(response (an import's newer answer): {first} → {newer})" in str(told.value)


def test_a_dry_run_on_a_team_workspace_prints_what_it_prints_on_a_file_and_writes_nothing(team_ws, tmp_path, capsys,
                                                                                         monkeypatch):
    monkeypatch.setenv("PGPASSWORD", team_ws["passwords"]["editor"])
    dsn = team_ws["tcp"]["editor"]
    survey = F.surveymonkey(tmp_path)
    assert _cli(capsys, "import", str(F.accounts_xlsx(tmp_path)), "--workspace", dsn)[0] == 0

    def counts() -> tuple:
        with _as(team_ws, "admin") as conn:
            return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                         for t in ("responses", "import_batches", "audit_log", "actions", "mapping_profiles"))
    for extra in ([], ["--json"]):
        before = counts()
        code, team, err = _cli(capsys, "import", str(survey), "--dry-run", *extra, "--save-mapping", "sm",
                               "--workspace", dsn)
        assert (code, err) == (0, "")
        assert counts() == before
        copy = tmp_path / f"copy{len(extra)}.npsdb"
        assert _cli(capsys, "team", "pull", dsn, str(copy), "--writable")[0] == 0
        code, laptop, err = _cli(capsys, "import", str(survey), "--dry-run", *extra, "--save-mapping", "sm",
                                 "--workspace", str(copy))
        assert (code, err) == (0, "") and team == laptop
        assert ("Would import" in team) if not extra else (json.loads(team)["imported"] == 6)
    assert _cli(capsys, "import", str(survey), "--workspace", dsn)[0] == 0   # then a dry run finds duplicates
    code, team, _ = _cli(capsys, "import", str(survey), "--dry-run", "--json", "--workspace", dsn)
    assert code == 0 and json.loads(team)["duplicates"] == 6 and json.loads(team)["imported"] == 0
    monkeypatch.setenv("PGPASSWORD", team_ws["passwords"]["viewer"])   # a viewer may look before asking
    code, out, err = _cli(capsys, "import", str(survey), "--dry-run", "--json", "--workspace", team_ws["tcp"]["viewer"])
    assert (code, err) == (0, "") and json.loads(out)["duplicates"] == 6
