"""Responses → actions: exactly the actions the plays promise, hand-worked (today: Monday 2026-11-23)."""
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nps_desktop.core import settings
from nps_desktop.core.loop import engine, plays
from nps_desktop.core.loop.plays import add_business_days

from .loop_data import account, contact, respond

TODAY = date(2026, 11, 23)          # a Monday
NOW = datetime(2026, 11, 23, 9, 0)


def run(conn, ids, batch_id=None, today=TODAY):
    return engine.create_actions_in(conn, ids, batch_id, today, now=NOW)


def actions(conn):
    return [tuple(r) for r in conn.execute(
        "SELECT play, response_id, contact_id, account_id, owner, due, status FROM actions ORDER BY id")]


@pytest.fixture
def w(ws):
    with ws.transaction() as conn:
        account(conn, 1, "Acme", arr=50_000, owner="Ann")
        account(conn, 2, "Bigco", arr=200_000, owner="Bob")
        account(conn, 3, "Edge", arr=100_000, owner="Eve")      # exactly the threshold: not above it
        contact(conn, 1, 1)
        contact(conn, 2, 1)
        contact(conn, 3, 2)
        contact(conn, 4, 3)
    return ws


def test_business_days_hand_worked():
    assert add_business_days(date(2026, 11, 20), 2) == date(2026, 11, 24)   # Fri → Tue
    assert add_business_days(date(2026, 11, 22), 2) == date(2026, 11, 24)   # Sun → Tue
    assert add_business_days(date(2026, 11, 18), 10) == date(2026, 12, 2)   # Wed → Wed two weeks on
    assert add_business_days(date(2026, 11, 20), 1, {date(2026, 11, 23)}) == date(2026, 11, 24)
    assert add_business_days(date(2026, 11, 21), 0) == date(2026, 11, 21)


@given(st.dates(date(2000, 1, 1), date(2040, 1, 1)), st.integers(0, 40),
       st.sets(st.dates(date(2000, 1, 1), date(2040, 3, 1)), max_size=5))
def test_business_days_property(start, n, holidays):
    due = add_business_days(start, n, holidays)
    between = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(d.weekday() < 5 and d not in holidays for d in between) == n
    if n:
        assert due.weekday() < 5 and due not in holidays


def test_each_play_creates_its_action(w):
    with w.transaction() as conn:
        save = respond(conn, 1, "2026-11-20", 5)          # Acme 50k: 2 business days
        big = respond(conn, 3, "2026-11-20", 3)           # Bigco 200k > 100k: 1 business day
        edge = respond(conn, 4, "2026-11-20", 6)          # Edge 100k, not above: 2 business days
        passive = respond(conn, 2, "2026-11-18", 8)
        promoter = respond(conn, 2, "2026-11-19", 10)
        result = run(conn, [save, big, edge, passive, promoter], batch_id=None)
    assert (len(result.created), len(result.updated)) == (5, 0)
    assert sorted(actions(w.conn)) == sorted([
        ("detractor_save", save, 1, 1, "Ann", "2026-11-24", "open"),
        ("detractor_save", big, 3, 2, "Bob", "2026-11-23", "open"),
        ("detractor_save", edge, 4, 3, "Eve", "2026-11-24", "open"),
        ("passive_adoption", passive, 2, 1, "Ann", "2026-12-02", "open"),
        ("promoter_advocacy", promoter, 2, 1, "Ann", "2026-12-03", "open"),
    ])
    created = w.query("SELECT field, new, at FROM action_history ORDER BY id")
    assert len(created) == 5 and all(r["field"] == "created" and r["at"] == "2026-11-23T09:00:00" for r in created)


def test_history_older_than_30_days_creates_nothing(w):
    with w.transaction() as conn:
        day30 = respond(conn, 1, "2026-10-24", 2)        # 30 days before today: still acted on
        day31 = respond(conn, 2, "2026-10-23", 2)        # 31 days: history
        result = run(conn, [day30, day31])
    assert [a[1] for a in actions(w.conn)] == [day30]
    assert result.history == 1
    with w.transaction() as conn:
        settings.set_value(w, "loop.history_days", 60)
        assert len(run(conn, [day31]).created) == 1


def test_anonymous_employee_and_unknown_ids_create_nothing(w):
    with w.transaction() as conn:
        anon = respond(conn, None, "2026-11-20", 1, account_id=None, email=None)
        employee = respond(conn, 1, "2026-11-20", 1, kind="enps")
        result = run(conn, [anon, employee, 999])
    assert actions(w.conn) == [] and (result.unchanged, result.history) == (2, 1)   # an unknown id: as history


def test_response_without_contact_is_keyed_by_email(w):
    with w.transaction() as conn:
        first = respond(conn, None, "2026-11-19", 4, account_id=None, email="x@y.com")
        second = respond(conn, None, "2026-11-20", 3, account_id=None, email="x@y.com")
        other = respond(conn, None, "2026-11-20", 3, account_id=None, email="z@y.com")
        run(conn, [first])
        run(conn, [second, other])
    assert actions(w.conn) == [("detractor_save", second, None, None, None, "2026-11-24", "open"),
                               ("detractor_save", other, None, None, None, "2026-11-24", "open")]


def test_reimport_and_repeated_calls_create_nothing_twice(w):
    with w.transaction() as conn:
        ids = [respond(conn, 1, "2026-11-20", 5), respond(conn, 2, "2026-11-20", 9)]
        run(conn, ids, batch_id=None)
        before = actions(w.conn)
        again = run(conn, ids)
        again_reversed = run(conn, list(reversed(ids)) + ids)
    assert actions(w.conn) == before and len(before) == 2
    assert again.created == again.updated == again_reversed.created == again_reversed.updated == []
    assert w.scalar("SELECT count(*) FROM action_history") == 2


def test_newer_response_updates_the_open_action(w):
    with w.transaction() as conn:
        first = respond(conn, 1, "2026-11-18", 4)
        run(conn, [first])
    action_id = w.scalar("SELECT id FROM actions")
    with w.transaction() as conn:
        conn.execute("UPDATE actions SET status = 'in_progress', owner = 'Zoe' WHERE id = ?", (action_id,))
        newer = respond(conn, 1, "2026-11-23", 2)
        result = run(conn, [newer])
    assert result.updated == [action_id] and result.created == []
    # one action: the newer response, a due date counted from it, status and owner kept
    assert actions(w.conn) == [("detractor_save", newer, 1, 1, "Zoe", "2026-11-25", "in_progress")]
    changes = [tuple(r) for r in w.query("SELECT field, old, new FROM action_history WHERE field <> 'created'")]
    assert changes == [("response_id", str(first), str(newer)), ("due", "2026-11-20", "2026-11-25")]


def test_older_response_changes_nothing(w):
    with w.transaction() as conn:
        newer = respond(conn, 1, "2026-11-20", 4)
        run(conn, [newer])
        older = respond(conn, 1, "2026-11-10", 1)
        result = run(conn, [older])
    assert result.created == result.updated == []
    assert actions(w.conn)[0][1] == newer


def test_repeated_responses_in_one_batch_make_one_action(w):
    with w.transaction() as conn:
        ids = [respond(conn, 1, d, s) for d, s in [("2026-11-19", 6), ("2026-11-16", 3), ("2026-11-20", 0)]]
        run(conn, ids)
    assert actions(w.conn) == [("detractor_save", ids[2], 1, 1, "Ann", "2026-11-24", "open")]
    fields = [r[0] for r in w.query("SELECT field FROM action_history ORDER BY id")]
    assert fields == ["created", "response_id", "due", "response_id", "due"]


def test_new_action_after_the_last_one_is_done(w):
    with w.transaction() as conn:
        first = respond(conn, 1, "2026-11-10", 4)
        run(conn, [first])
        conn.execute("UPDATE actions SET status = 'done'")
        second = respond(conn, 1, "2026-11-20", 5)
        run(conn, [second])
    assert [(a[1], a[6]) for a in actions(w.conn)] == [(first, "done"), (second, "open")]


def test_category_change_gets_its_own_play(w):
    with w.transaction() as conn:
        bad = respond(conn, 1, "2026-11-10", 4)
        good = respond(conn, 1, "2026-11-20", 9)
        run(conn, [bad, good])
    assert [(a[0], a[1]) for a in actions(w.conn)] == [("detractor_save", bad), ("promoter_advocacy", good)]


def test_plays_are_editable_rules(w):
    with w.transaction() as conn:
        ps = {p.key: p for p in plays.load_plays(w)}
        plays.save_play(w, plays.Play("passive_adoption", "Adoption", "passive", 10, enabled=False,
                                         params=ps["passive_adoption"].params))
        plays.save_play(w, plays.Play("detractor_save", "Save", "detractor", 3, params={"kinds": ["rnps"]}))
        plays.save_play(w, plays.Play("exec_escalation", "Executive call", "detractor", 5,
                                         params={"kinds": ["rnps", "tnps"], "min_arr": 150_000, "owner": "CEO"}))
        settings.set_value(w, "loop.holidays", ["2026-11-24"])
        ids = [respond(conn, 1, "2026-11-20", 5), respond(conn, 2, "2026-11-20", 8),
               respond(conn, 3, "2026-11-20", 3), respond(conn, 4, "2026-11-20", 2, kind="tnps")]
        run(conn, ids)
    # Save: 3 business days from Fri 20 skipping the holiday Tue 24 → Thu 26 (no ARR threshold any more);
    # no Adoption; the executive play only for Bigco (200k ≥ 150k); the tnps response only for that play.
    assert sorted(actions(w.conn)) == sorted([
        ("detractor_save", ids[0], 1, 1, "Ann", "2026-11-26", "open"),
        ("detractor_save", ids[2], 3, 2, "Bob", "2026-11-26", "open"),
        ("exec_escalation", ids[2], 3, 2, "Bob", "2026-11-30", "open"),
    ])


def test_defaults_seeded_once_and_deleted_plays_stay_deleted(w):
    with w.transaction():
        assert [p.key for p in plays.load_plays(w)] == ["detractor_save", "passive_adoption",
                                                           "promoter_advocacy"]
        plays.delete_play(w, "promoter_advocacy")
        assert [p.key for p in plays.load_plays(w)] == ["detractor_save", "passive_adoption"]
        with pytest.raises(ValueError, match="category 'fan'"):
            plays.save_play(w, plays.Play("x", "X", "fan", 2))


def test_failure_leaves_nothing_behind(w, monkeypatch):
    with w.transaction() as conn:
        ids = [respond(conn, 1, "2026-11-20", 5), respond(conn, 2, "2026-11-20", 5)]
    calls = []

    def boom(conn, action_id, at, changes):
        calls.append(action_id)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(conn, action_id, at, changes)

    original = engine.record_in
    monkeypatch.setattr(engine, "record_in", boom)
    with pytest.raises(RuntimeError):
        run(w.conn, ids)
    assert actions(w.conn) == [] and not w.conn.in_transaction


def test_forget_batch_after_undo(w):
    with w.transaction() as conn:
        conn.execute("INSERT INTO import_batches(id, file_name, sha256, kind, imported_at) VALUES "
                     "(1, 'a.csv', 'x', 'responses', 'now'), (2, 'b.csv', 'y', 'responses', 'now')")
        old = respond(conn, 1, "2026-11-16", 4)
        run(conn, [old], batch_id=1)
        new_for_1 = respond(conn, 1, "2026-11-20", 3)
        new_for_2 = respond(conn, 2, "2026-11-20", 3)
        touched = respond(conn, 3, "2026-11-20", 3)
        run(conn, [new_for_1, new_for_2, touched], batch_id=2)
        conn.execute("UPDATE actions SET status = 'in_progress' WHERE contact_id = 3")
        engine.record_in(conn, w.scalar("SELECT id FROM actions WHERE contact_id = 3"), "t", [("status", "open", "in_progress")])
        # undo batch 2: its responses go, then the loop forgets what they did
        conn.execute("DELETE FROM responses WHERE id IN (?, ?, ?)", (new_for_1, new_for_2, touched))
        assert engine.forget_batch_in(conn, 2, NOW) == {"deleted": 1, "restored": 1}
    assert actions(w.conn) == [("detractor_save", old, 1, 1, "Ann", "2026-11-25", "open"),   # batch 1 made it on 11-23
                               ("detractor_save", None, 3, 2, "Bob", "2026-11-24", "in_progress")]   # from import day
