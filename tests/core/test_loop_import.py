"""Through the real importer: imports create exactly the promised actions, re-imports nothing, undo cleans up."""
from datetime import date, timedelta

import pytest

from nps_desktop.core.follow_ups import STANDARD
from nps_desktop.core.importing import ImportOptions, import_file, undo_batch
from nps_desktop.core.loop import actions as act
from nps_desktop.core.loop.plays import add_business_days

from .import_files import dump
from .loop_data import account, contact


def imported(ws, path):
    """Import as the app and the CLI do: with the standard follow-ups (tags, then the plays)."""
    return import_file(ws, path, ImportOptions(kind="responses"), follow_ups=STANDARD)


def undone(ws, batch_id):
    return undo_batch(ws, batch_id, STANDARD)


def write(path, rows):
    path.write_text("Email,Score,Date,Comment\n" + "".join(f"{e},{s},{d},{c}\n" for e, s, d, c in rows))
    return path


@pytest.fixture
def w(ws):
    with ws.transaction() as conn:
        account(conn, 1, "Acme", arr=50_000, owner="Ann")
        contact(conn, 1, 1, "ana@acme.com")
        contact(conn, 2, 1, "al@acme.com")
    return ws


def actions(ws):
    return [(a.play, a.contact_email, a.owner, a.due, a.status) for a in act.list_actions(ws)]


def test_an_import_without_follow_ups_writes_rows_only(w, tmp_path):
    day = date.today() - timedelta(days=1)
    import_file(w, write(tmp_path / "a.csv", [("ana@acme.com", 0, day, "too slow")]), ImportOptions(kind="responses"))
    assert actions(w) == [] and w.scalar("SELECT count(*) FROM response_themes") == 0
    assert w.scalar("SELECT count(*) FROM responses") == 1


def test_import_reimport_and_undo(w, tmp_path):
    today = date.today()
    recent, old = today - timedelta(days=3), today - timedelta(days=45)
    rows = [("ana@acme.com", 3, recent, "broken sync"), ("al@acme.com", 10, recent, "love it"),
            ("ana@acme.com", 1, old, "history"), ("x@else.org", 8, recent, "fine")]
    first = imported(w, write(tmp_path / "a.csv", rows))
    # an import's actions are due counted from the import day, not from the (earlier) response day
    expected = [("detractor_save", "ana@acme.com", "Ann", add_business_days(today, 2).isoformat(), "open"),
                ("promoter_advocacy", "al@acme.com", "Ann", add_business_days(today, 10).isoformat(), "open"),
                ("passive_adoption", "x@else.org", None, add_business_days(today, 10).isoformat(), "open")]
    assert sorted(actions(w)) == sorted(expected)

    # the same file again: duplicates, no new actions
    imported(w, write(tmp_path / "b.csv", rows))
    assert sorted(actions(w)) == sorted(expected)

    # a newer detractor answer from Ana updates her open Save; the team works on Al's ask
    newer = today - timedelta(days=1)
    second = imported(w, write(tmp_path / "c.csv", [("ana@acme.com", 2, newer, "still broken")]))
    saves = act.list_actions(w, act.ActionFilters(plays=("detractor_save",)))
    assert len(saves) == 1 and saves[0].due == add_business_days(today, 2).isoformat()
    act.set_status(w, act.list_actions(w, act.ActionFilters(plays=("promoter_advocacy",)))[0].id,
                   "in_progress")

    # undoing the newer batch puts Ana's Save back on her first answer
    undone(w, second.batch_id)
    saves = act.list_actions(w, act.ActionFilters(plays=("detractor_save",)))
    assert len(saves) == 1 and saves[0].due == add_business_days(today, 2).isoformat() and saves[0].score == 3
    # undoing the first batch removes the actions nobody worked on and keeps Al's
    undone(w, first.batch_id)
    assert actions(w) == [("promoter_advocacy", "al@acme.com", "Ann", add_business_days(today, 10).isoformat(),
                           "in_progress")]


def test_import_then_undo_leaves_the_workspace_as_it_was(w, tmp_path):
    before = dump(w.conn)
    day = date.today() - timedelta(days=1)
    batch = imported(w, write(tmp_path / "a.csv", [("ana@acme.com", 0, day, "x"), ("al@acme.com", 9, day, "y")]))
    assert len(act.list_actions(w)) == 2
    undone(w, batch.batch_id)
    assert dump(w.conn) == before


def test_imported_history_is_never_overdue_on_arrival(w, tmp_path):
    from nps_desktop.core import clock
    from nps_desktop.core.loop.metrics import loop_metrics
    today = clock.today()
    rows = [(f"p{i}@acme.com", i % 7, today - timedelta(days=10 + i % 15), f"old answer {i}") for i in range(20)]
    imported(w, write(tmp_path / "history.csv", rows))
    dues = [a.due for a in act.list_actions(w, act.ActionFilters(plays=("detractor_save",)))]
    assert len(dues) == 20 and min(dues) == add_business_days(today, 2).isoformat()   # counted from today
    m = loop_metrics(w, today=today)
    assert m.overdue == 0 and m.sla_actions == 0 and m.sla_share is None
