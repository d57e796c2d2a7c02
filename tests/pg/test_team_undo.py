"""`undo-import --workspace postgresql://…`: the file's undo, under the import lock, refused over later changes."""
from __future__ import annotations

import json

import pytest

from nps_desktop.core.importing import ImportOptions
from nps_desktop.core.team import team_import, transfer
from nps_desktop.core.workspace import open_workspace
from tests.core import import_files as F

from .conftest import _as, _cli
from .test_team_import import COMPARED, _later, _rows, team_ws  # noqa: F401 (a fixture)

pytestmark = pytest.mark.pg


def _contacts(tmp_path, name, title):
    return F.contacts_csv(tmp_path, name, [["ana@acme.com", "Ana", "Lopez", title], ["ben@acme.com", "Ben", "Ito",
                                                                                    "Admin"]])


def test_undo_on_a_team_workspace_leaves_what_it_leaves_on_a_file(team_ws, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NPS_DESKTOP_TODAY", "2025-11-12")   # recent answers: the plays made and moved actions
    again = F.surveymonkey(tmp_path, "again.csv", rows=_later(F.SM_ROWS, 4, {"cy@beta.io": 3}))
    files = [F.accounts_xlsx(tmp_path), F.contacts_csv(tmp_path), F.surveymonkey(tmp_path), again]
    laptop = tmp_path / "laptop.npsdb"
    for path in files:
        assert _cli(capsys, "import", str(path), "--workspace", str(laptop))[0] == 0
    with _as(team_ws, "editor") as conn:
        conn.autocommit = False
        for path in files:
            team_import.import_into(conn, "team", path, ImportOptions())
        moved = conn.execute("SELECT DISTINCT action_id FROM action_history WHERE field = 'response_id' "
                             "AND old IS NOT NULL").fetchall()
    assert len(moved) == 6   # every respondent answered again: each one's action moved to the newer answer
    monkeypatch.setenv("PGPASSWORD", team_ws["passwords"]["editor"])
    for batch in (4, 3):   # newest first: the moved action goes back, then the survey's actions go
        code, mine, err = _cli(capsys, "undo-import", str(batch), "--workspace", str(laptop))
        assert (code, err) == (0, "")
        code, theirs, err = _cli(capsys, "undo-import", str(batch), "--workspace", team_ws["tcp"]["editor"])
        assert (code, err) == (0, "") and theirs == mine
        if batch == 4:
            with _as(team_ws, "admin") as conn:
                got = conn.execute("SELECT DISTINCT version, changed_by FROM actions WHERE id = ANY(%s)",
                                   ([m[0] for m in moved],)).fetchall()
            # created, moved, loosed when its newer answer went (ON DELETE SET NULL), moved back
            assert got == [(4, team_ws["users"]["editor"])]
    with _as(team_ws, "admin") as conn:
        pulled = tmp_path / "pulled.npsdb"
        transfer.pull(conn, "team", pulled)
        audit = conn.execute("SELECT detail, changed_by FROM audit_log WHERE what = 'undo import' ORDER BY id").fetchall()
    assert [(json.loads(d)["batch_id"], by) for d, by in audit] == [(4, team_ws["users"]["editor"]),
                                                                    (3, team_ws["users"]["editor"])]
    with open_workspace(laptop, read_only=True) as a, open_workspace(pulled, read_only=True) as b:
        assert a.scalar("SELECT count(*) FROM actions") == 0 and a.scalar("SELECT count(*) FROM responses") == 0
        for table in ("actions", "action_history", *COMPARED):
            assert _rows(b.conn, table) == _rows(a.conn, table), table


def test_undo_over_a_later_change_is_refused_as_on_a_file_and_changes_nothing(team_ws, tmp_path, capsys, monkeypatch):
    laptop = tmp_path / "laptop.npsdb"
    files = [_contacts(tmp_path, "one.csv", "Analyst"), _contacts(tmp_path, "two.csv", "Manager"),
             _contacts(tmp_path, "three.csv", "Director")]
    monkeypatch.setenv("PGPASSWORD", team_ws["passwords"]["editor"])
    dsn = team_ws["tcp"]["editor"]
    for path in files:
        assert _cli(capsys, "import", str(path), "--workspace", str(laptop))[0] == 0
        assert _cli(capsys, "import", str(path), "--workspace", dsn)[0] == 0
    code, _, mine = _cli(capsys, "undo-import", "2", "--workspace", str(laptop))
    assert code == 1 and "would wipe out later changes to the same rows: contact ana@acme.com (changed by " \
                          "import batch 3, three.csv)" in mine

    def title() -> str:
        with _as(team_ws, "admin") as conn:
            return conn.execute("SELECT role FROM contacts WHERE email = 'ana@acme.com'").fetchone()[0]
    code, out, theirs = _cli(capsys, "undo-import", "2", "--workspace", dsn)
    assert (code, out, theirs) == (1, "", mine) and title() == "Director"
    with _as(team_ws, "admin") as conn:
        assert conn.execute("SELECT count(*) FROM import_batches WHERE undone_at IS NOT NULL").fetchone()[0] == 0
    assert _cli(capsys, "undo-import", "3", "--workspace", dsn)[0] == 0 and title() == "Manager"
    assert _cli(capsys, "undo-import", "2", "--workspace", dsn)[0] == 0 and title() == "Analyst"
    code, _, err = _cli(capsys, "undo-import", "2", "--workspace", dsn)
    assert code == 1 and "Import batch 2 (two.csv) was already undone on" in err


def test_a_viewers_undo_is_refused_in_one_line(team_ws, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", team_ws["passwords"]["editor"])
    assert _cli(capsys, "import", str(F.surveymonkey(tmp_path)), "--workspace", team_ws["tcp"]["editor"])[0] == 0
    monkeypatch.setenv("PGPASSWORD", team_ws["passwords"]["viewer"])
    code, out, err = _cli(capsys, "undo-import", "1", "--workspace", team_ws["tcp"]["viewer"])
    assert code == 1 and out == "" and err.count("\n") == 1 and "refused the undo: permission denied" in err
    with _as(team_ws, "admin") as conn:
        assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 6


def test_an_undo_waits_for_a_running_import(team_ws, tmp_path):
    from nps_desktop.core.team import team_undo
    told: list[str] = []
    with _as(team_ws, "editor") as conn:
        conn.autocommit = False
        team_import.import_into(conn, "team", F.surveymonkey(tmp_path))
    with _as(team_ws, "admin") as first, _as(team_ws, "editor") as second:
        first.autocommit = False
        first.execute("SELECT pg_advisory_xact_lock(%s, %s)", team_import.LOCK)   # an import under way

        def waiting(message: str) -> None:
            told.append(message)
            first.commit()
        result = team_undo.undo_into(second, "team", 1, on_wait=waiting)
    assert result.removed == {"responses": 6, "contacts": 6} and len(told) == 1 and "waiting for it to finish" in told[0]
