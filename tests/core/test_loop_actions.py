"""The action lifecycle, its history, listing with filters, and the ``actions`` command."""
import json
from datetime import date, datetime

import pytest

from nps_desktop.core.loop import actions as act
from nps_desktop.core.workspace import open_workspace

from .loop_data import build_queue, cli

TODAY = date(2026, 11, 23)


def at(hour, day=23):
    return datetime(2026, 11, day, hour, 0)


@pytest.fixture
def w(ws):
    with ws.transaction() as conn:
        build_queue(conn)
    return ws


def ids_of(rows):
    return [a.id for a in rows]


def test_lifecycle_with_history(w):
    c = w
    assert act.set_status(c, 1, "in_progress", at(10))
    assert not act.set_status(c, 1, "in_progress", at(11))          # no change, no history
    assert act.set_outcome(c, 1, "recovered", at(12))
    assert act.add_note(c, 1, "Called  Ana;\n agreed a plan", at(13))
    assert act.set_status(c, 1, "done", at(14))
    a = act.get_action(c, 1, TODAY)
    assert (a.status, a.outcome, a.first_touch_at, a.closed_at) == \
        ("done", "recovered", "2026-11-23T10:00:00", "2026-11-23T14:00:00")
    assert a.notes == "2026-11-23 13:00 — Called Ana; agreed a plan"
    assert [(h.at[11:13], h.field, h.old, h.new) for h in act.history(c, 1)] == [
        ("08", "created", None, "Save for response 1 (score 4)"),
        ("10", "status", "open", "in_progress"),
        ("10", "first_touch_at", None, "2026-11-23T10:00:00"),
        ("12", "outcome", None, "recovered"),
        ("13", "notes", None, "2026-11-23 13:00 — Called Ana; agreed a plan"),
        ("14", "status", "in_progress", "done"),
        ("14", "closed_at", None, "2026-11-23T14:00:00"),
    ]
    # reopening clears closed_at and keeps the first touch
    act.set_status(c, 1, "open", at(15))
    a = act.get_action(c, 1, TODAY)
    assert (a.status, a.closed_at, a.first_touch_at) == ("open", None, "2026-11-23T10:00:00")


def test_done_straight_from_open_is_a_first_touch(w):
    act.set_status(w, 3, "done", at(9))
    a = act.get_action(w, 3)
    assert a.first_touch_at == a.closed_at == "2026-11-23T09:00:00"


def test_notes_append_and_replace(w):
    c = w
    act.add_note(c, 2, "left a voicemail", at(9))
    act.add_note(c, 2, "call back Friday", at(10))
    assert act.get_action(c, 2).notes == "2026-11-23 09:00 — left a voicemail\n2026-11-23 10:00 — call back Friday"
    act.set_notes(c, 2, "  ", at(11))
    assert act.get_action(c, 2).notes is None
    assert [h.field for h in act.history(c, 2)] == ["created", "notes", "notes", "notes"]


def test_refusals_change_nothing(w):
    c = w
    with pytest.raises(act.ActionError, match="action 1: status 'closed' is not one of open, in_progress, done"):
        act.set_status(c, 1, "closed")
    with pytest.raises(act.ActionError, match="outcome 'won'"):
        act.set_outcome(c, 1, "won")
    with pytest.raises(act.ActionError, match="there is no action 42"):
        act.set_status(c, 42, "done")
    with pytest.raises(act.ActionError, match="the note is empty"):
        act.add_note(c, 1, "   ")
    with pytest.raises(act.ActionError, match="no action 42"):
        act.assign(c, [1, 42], "Zed")            # all or nothing
    assert [a.owner for a in act.list_actions(c, today=TODAY)] == ["Bob", "Ann", "Ann"]
    assert w.scalar("SELECT count(*) FROM action_history") == 3


def test_bulk_reassign(w):
    assert act.assign(w, [1, 2, 3], "Ann", at(9)) == 1          # only Bob's changes
    assert {a.owner for a in act.list_actions(w)} == {"Ann"}
    assert [(h.field, h.old, h.new) for h in act.history(w, 2)][-1] == ("owner", "Bob", "Ann")
    assert act.assign(w, [3], "  ", at(10)) == 1
    assert act.get_action(w, 3).owner is None
    assert act.list_actions(w, act.ActionFilters(owners=("",))) == [act.get_action(w, 3)]


def test_list_order_and_filters(w):
    c = w
    everything = act.list_actions(c, today=TODAY)
    # not done first, then by due date: Bob's (11-20, overdue), Ann's Save (11-24), the Adoption (12-04)
    assert [(a.id, a.due, a.overdue) for a in everything] == [(2, "2026-11-20", True), (1, "2026-11-24", False),
                                                             (3, "2026-12-04", False)]
    assert everything[0].contact_email == "bo@bigco.com" and everything[0].account_name == "Bigco"
    F = act.ActionFilters
    assert ids_of(act.list_actions(c, F(owners=("Ann",)), TODAY)) == [1, 3]
    assert ids_of(act.list_actions(c, F(plays=("passive_adoption",)), TODAY)) == [3]
    assert ids_of(act.list_actions(c, F(overdue=True), TODAY)) == [2]
    assert ids_of(act.list_actions(c, F(arr_min=100_000), TODAY)) == [2]
    assert ids_of(act.list_actions(c, F(due_to=date(2026, 11, 24)), TODAY)) == [2, 1]
    assert ids_of(act.list_actions(c, F(text="ACME"), TODAY)) == [1, 3]
    act.set_status(c, 2, "done", at(9))
    assert ids_of(act.list_actions(c, F(overdue=True), TODAY)) == []          # done is never overdue
    assert ids_of(act.list_actions(c, F(statuses=("open",)), TODAY)) == [1, 3]
    assert ids_of(act.list_actions(c, today=TODAY)) == [1, 3, 2]              # done last
    assert act.owners(c) == ["Ann", "Bob"]


def run_cli(*args):
    return cli("actions", *args)


def test_cli_contract(w):
    path = str(w.path)
    w.close()
    proc = run_cli("--workspace", path, "--json", "--as-of", "2026-11-23")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    first = doc["actions"][0]
    assert {k: first[k] for k in ("id", "play", "contact_email", "account_id", "owner", "due", "status",
                                  "outcome", "response_id")} == {
        "id": 2, "play": "detractor_save", "contact_email": "bo@bigco.com", "account_id": 2, "owner": "Bob",
        "due": "2026-11-20", "status": "open", "outcome": None, "response_id": 2}
    doc = json.loads(run_cli("--workspace", path, "--json", "--owner", "Ann", "--play", "detractor_save").stdout)
    assert [a["id"] for a in doc["actions"]] == [1]
    doc = json.loads(run_cli("--workspace", path, "--json", "--overdue", "--as-of", "2026-11-23").stdout)
    assert [a["id"] for a in doc["actions"]] == [2]

    assert run_cli("--workspace", path, "--set-status", "2", "in_progress").returncode == 0
    assert run_cli("--workspace", path, "--set-outcome", "2", "recovered").returncode == 0
    assert run_cli("--workspace", path, "--note", "2", "spoke to Bo").returncode == 0
    doc = json.loads(run_cli("--workspace", path, "--json", "--assign", "1,3", "Cy").stdout)
    assert doc["changed"] == 2 and [a["owner"] for a in doc["actions"]] == ["Cy", "Cy"]

    bad = run_cli("--workspace", path, "--set-status", "2", "closed")
    assert bad.returncode != 0 and bad.stdout == ""
    assert bad.stderr.strip() == ("nps-desktop actions: action 2: status 'closed' is not one of "
                                  "open, in_progress, done")
    assert run_cli("--workspace", path, "--set-status", "x", "done").returncode != 0
    with open_workspace(path) as ws:
        a = act.get_action(ws, 2)
        assert (a.status, a.outcome, a.owner) == ("in_progress", "recovered", "Bob")
        assert a.notes.endswith("— spoke to Bo")
        assert [h.field for h in act.history(ws, 2)] == ["created", "status", "first_touch_at", "outcome",
                                                              "notes"]


def test_history_reads_as_people_say_it():
    change = act.Change("2026-11-23T11:00:00", "status", "open", "in_progress")
    assert (change.what, change.shown(change.old), change.shown(change.new)) == ("status", "Open", "In progress")
    touch = act.Change("2026-11-23T11:00:00", "first_touch_at", None, "2026-11-23T11:00:05")
    assert (touch.what, touch.shown(touch.old), touch.shown(touch.new)) == ("first touch", "—", "2026-11-23 11:00")
    assert act.Change("x", "owner", "Bob", "Zed").shown("Zed") == "Zed"
    assert act.Change("x", "outcome", None, "reference_secured").shown("reference_secured") == "Reference secured"
