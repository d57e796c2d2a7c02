"""Several people on a team workspace's follow-up queue: changes land row by row, a stale change is
refused with who changed what, and every change names the database user in the history and the audit log."""
from __future__ import annotations

import json
import threading

import pytest

from nps_desktop.core.team import queue
from nps_desktop.core.team.connect import TeamError

from .conftest import _as, _cli

pytestmark = pytest.mark.pg


@pytest.fixture
def queue_db(team):
    """The team database with three open actions (ids 1, 2, 3) written by its owner."""
    import psycopg
    with psycopg.connect(team["dsn"], autocommit=True) as conn:
        for play, due in (("detractor_save", "2026-11-20"), ("passive_nudge", "2026-11-25"),
                          ("promoter_advocacy", "2026-12-01")):
            conn.execute("INSERT INTO actions(play, due, status, created_at) VALUES (%s, %s, 'open', "
                         "'2026-11-10T09:00:00')", (play, due))
    return team


def test_two_people_change_different_actions_and_both_changes_land(queue_db):
    ana, ben = queue_db["users"]["editor"], queue_db["users"]["admin"]
    with _as(queue_db, "editor") as a, _as(queue_db, "admin") as b:
        seen_a, seen_b = queue.get(a, 1), queue.get(b, 2)
        assert (seen_a.version, seen_b.version) == (1, 1)
        queue.set_status(a, 1, seen_a.version, "done")
        queue.assign(b, {2: seen_b.version}, "Ben")
        now_1, now_2 = queue.get(b, 1), queue.get(a, 2)
    assert (now_1.status, now_1.version, now_1.changed_by) == ("done", 2, ana)
    assert now_1.closed_at is not None and now_1.first_touch_at == now_1.closed_at
    assert (now_2.owner, now_2.version, now_2.changed_by) == ("Ben", 2, ben)
    with _as(queue_db, "viewer") as v:
        history = queue.history(v, 1)
        audit = v.execute("SELECT what, detail, changed_by FROM audit_log ORDER BY id").fetchall()
    assert [(h["field"], h["old"], h["new"], h["by"], h["version"]) for h in history] == [
        ("status", "open", "done", ana, 2), ("first_touch_at", None, now_1.closed_at, ana, 2),
        ("closed_at", None, now_1.closed_at, ana, 2)]
    assert [(w, json.loads(d)["action"], by) for w, d, by in audit] == [("action changed", 1, ana),
                                                                        ("action changed", 2, ben)]
    assert json.loads(audit[1][1])["changes"] == {"owner": [None, "Ben"]}


def test_the_second_change_of_the_same_action_is_refused_naming_who_changed_it(queue_db):
    ana = queue_db["users"]["editor"]
    with _as(queue_db, "editor") as a, _as(queue_db, "admin") as b:
        read_by_a, read_by_b = queue.get(a, 3), queue.get(b, 3)   # both open the same action
        queue.set_status(a, 3, read_by_a.version, "done")
        with pytest.raises(queue.Conflict) as caught:
            queue.set_outcome(b, 3, read_by_b.version, "reference_secured")
        after = queue.get(b, 3)
    message = str(caught.value)
    assert f"action 3 was changed by {ana} at " in message
    assert "status: Open → Done" in message and "nothing was overwritten" in message
    assert "\n" not in message
    assert caught.value.version == 2 == after.version
    assert (after.status, after.outcome) == ("done", None)   # Ana's change stands; Ben's wrote nothing
    with _as(queue_db, "admin") as b:   # Ben reloads and makes his change again: it lands
        queue.set_outcome(b, 3, after.version, "reference_secured")
        assert queue.get(b, 3).outcome == "reference_secured"


def test_at_the_same_moment_on_the_same_action_exactly_one_lands(queue_db):
    """Two threads, each its own connection, change action 1 from the same version at once."""
    results: dict[str, str] = {}
    start = threading.Barrier(2)

    def person(role: str, owner: str) -> None:
        with _as(queue_db, role) as conn:
            version = queue.get(conn, 1).version
            start.wait()
            try:
                queue.assign(conn, {1: version}, owner)
                results[role] = "landed"
            except TeamError as exc:
                results[role] = str(exc)
    threads = [threading.Thread(target=person, args=(r, o)) for r, o in (("editor", "Ana"), ("admin", "Ben"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    landed = [r for r, v in results.items() if v == "landed"]
    assert len(landed) == 1, results
    loser = "admin" if landed == ["editor"] else "editor"
    assert f"changed by {queue_db['users'][landed[0]]}" in results[loser]
    with _as(queue_db, "viewer") as v:
        assert queue.get(v, 1).owner == ("Ana" if landed == ["editor"] else "Ben")
        assert queue.get(v, 1).version == 2


def test_a_viewer_cannot_change_an_action(queue_db):
    with _as(queue_db, "viewer") as v:
        with pytest.raises(TeamError, match="refused the change: permission denied for table actions"):
            queue.set_status(v, 1, 1, "done")
        assert queue.get(v, 1).status == "open"


def test_the_actions_command_lists_and_changes_a_team_queue(queue_db, capsys, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", queue_db["passwords"]["editor"])
    dsn = queue_db["tcp"]["editor"]
    code, out, err = _cli(capsys, "actions", "--workspace", dsn, "--set-status", "2", "in_progress", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["changed"] == 1 and doc["actions"][0]["status"] == "in_progress"
    assert doc["actions"][0]["version"] == 2 and doc["actions"][0]["changed_by"] == queue_db["users"]["editor"]
    code, out, err = _cli(capsys, "actions", "--workspace", dsn, "--note", "2", "called back", "--if-version", "1")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "action 2 was changed by" in err and "status: Open → In progress" in err
    code, out, err = _cli(capsys, "actions", "--workspace", dsn, "--status", "in_progress", "--json")
    assert (code, err) == (0, "") and [a["id"] for a in json.loads(out)["actions"]] == [2]
    code, out, _ = _cli(capsys, "actions", "--workspace", dsn)
    assert code == 0 and out.splitlines()[0].split()[:3] == ["id", "play", "status"]
    monkeypatch.setenv("PGPASSWORD", queue_db["passwords"]["viewer"])
    code, out, err = _cli(capsys, "actions", "--workspace", queue_db["tcp"]["viewer"], "--set-status", "1", "done")
    assert code == 1 and err.count("\n") == 1 and "permission denied for table actions" in err


def test_two_processes_close_two_actions_at_once_and_neither_change_is_lost(queue_db):
    """Two `nps-desktop actions` processes, started together, each closing its own action."""
    import os
    import subprocess
    import sys
    env = {**os.environ, "PGPASSWORD": queue_db["passwords"]["editor"]}
    procs = [subprocess.Popen([sys.executable, "-m", "nps_desktop", "actions", "--workspace", queue_db["tcp"]["editor"],
                               "--set-status", str(i), "done", "--json"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in (1, 2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert [json.loads(out)["actions"][0]["status"] for out, _ in outputs] == ["done", "done"]
    with _as(queue_db, "viewer") as v:
        assert [(a.id, a.status, a.changed_by) for a in queue.list_actions(v, statuses=["done"])] == [
            (1, "done", queue_db["users"]["editor"]), (2, "done", queue_db["users"]["editor"])]


def test_a_change_is_announced_to_watchers_at_commit(queue_db):
    from nps_desktop.core.team.watch import Watcher
    with Watcher(queue_db["tcp"]["viewer"], password=queue_db["passwords"]["viewer"]) as watcher, \
            _as(queue_db, "editor") as a:
        assert watcher.wait(0.01) == []
        queue.set_status(a, 2, 1, "in_progress")
        heard = watcher.wait(5)
    assert heard == [{"what": "action", "action": 2, "version": 2, "fields": ["first_touch_at", "status"],
                      "by": queue_db["users"]["editor"]}]
