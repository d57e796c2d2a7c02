"""Loop metrics against hand-computed values (today: Monday 2026-11-23)."""
from datetime import date, datetime

import pytest

from nps_desktop.core.loop import engine, metrics

from .loop_data import account, cli_json, contact, event, respond

TODAY = date(2026, 11, 23)

# (contact, response time, score, status, first touch, closed, outcome)
#   Saves (due 2 business days after the response):
#   S1 due 11-04, touched after 1.0 day (in SLA), closed after 4 days; next score 8: saved
#   S2 due 11-04, touched after 3.5 days (SLA missed); next score 5: not saved
#   S3 due 11-11, never touched and overdue (SLA missed); its account renewed on 11-15: saved
#   S4 due 11-24, not touched, not yet due: outside the SLA count; nothing since: unresolved
#   S5 due 11-05, touched after 1.9583 days on its due day (in SLA); its account churned: not saved
#   Advocacy asks: P1 reference secured, P2 no response, P3 review posted (all done), P4 open
ROWS = [
    (1, "2026-11-02T10:00:00", 3, "done", "2026-11-03T10:00:00", "2026-11-06T10:00:00", "recovered"),
    (2, "2026-11-02T10:00:00", 5, "in_progress", "2026-11-05T22:00:00", None, None),
    (3, "2026-11-09T10:00:00", 1, "open", None, None, None),
    (4, "2026-11-20T10:00:00", 6, "open", None, None, None),
    (5, "2026-11-03T10:00:00", 2, "in_progress", "2026-11-05T09:00:00", None, None),
    (6, "2026-11-02T10:00:00", 10, "done", "2026-11-04T10:00:00", "2026-11-12T10:00:00", "reference_secured"),
    (7, "2026-11-02T10:00:00", 9, "done", "2026-11-02T16:00:00", "2026-11-09T10:00:00", "no_response"),
    (8, "2026-11-02T10:00:00", 9, "done", "2026-11-03T10:00:00", "2026-11-03T10:00:00", "review_posted"),
    (9, "2026-11-10T10:00:00", 10, "open", None, None, None),
]


@pytest.fixture
def w(ws):
    with ws.transaction() as conn:
        account(conn, 1, owner="Ann")
        account(conn, 2, owner="Bob")
        account(conn, 3, owner="Cy")
        for c in range(1, 10):
            contact(conn, c, {3: 2, 5: 3}.get(c, 1))
        for c, at, score, status, touch, closed, outcome in ROWS:
            rid = respond(conn, c, at[:10], score, time=at[11:])
            (action_id,) = engine.create_actions_in(conn, [rid], today=TODAY,
                                                               now=datetime(2026, 11, 23)).created
            conn.execute("UPDATE actions SET status = ?, first_touch_at = ?, closed_at = ?, outcome = ? "
                         "WHERE id = ?", (status, touch, closed, outcome, action_id))
        # what happened since (no actions for these: they are not passed to the engine)
        respond(conn, 1, "2026-11-20", 8)
        respond(conn, 2, "2026-11-21", 5)
        event(conn, 2, "renewal", "2026-11-15", 0, 10_000)
        event(conn, 3, "churn", "2026-11-18", -5_000, 5_000)
        event(conn, 1, "renewal", "2026-10-01", 0, 10_000)     # before every response: saves nobody
    return ws


def test_hand_computed_metrics(w):
    m = metrics.loop_metrics(w, today=TODAY)
    assert (m.actions, m.open, m.in_progress, m.done, m.overdue) == (9, 3, 2, 4, 3)
    assert (m.sla_actions, m.sla_met, m.sla_share) == (4, 2, 0.5)
    # first touch (days): 1.0, 3.5, 1.9583, 2.0, 0.25, 1.0 → median (1.0 + 1.9583) / 2
    assert m.touched == 6 and m.median_first_touch_days == round((1.0 + 47 / 24) / 2, 2) == 1.48
    # close (days): 4, 10, 7, 1 → median 5.5
    assert m.median_close_days == 5.5
    assert (m.saves_resolved, m.saved, m.save_rate) == (4, 2, 0.5)
    assert (m.advocacy_done, m.references, m.reference_yield) == (3, 2, 0.6667)
    assert m.by_play["detractor_save"] == metrics.Timing(actions=5, touched=3, done=1, median_first_touch_days=1.96,
                                                         median_close_days=4.0)


def test_window_selects_by_response_date(w):
    m = metrics.loop_metrics(w, date(2026, 11, 9), date(2026, 11, 30), TODAY)
    assert (m.actions, m.sla_actions, m.saves_resolved, m.saved) == (3, 1, 1, 1)
    assert m.median_first_touch_days is None and m.reference_yield is None


def test_empty_workspace(ws):
    m = metrics.loop_metrics(ws, today=TODAY)
    assert m.actions == 0 and m.sla_share is m.save_rate is m.median_close_days is None


def test_cli_metrics(w):
    path = str(w.path)
    w.close()
    doc = cli_json("actions", "--metrics", "--as-of", "2026-11-23", "--workspace", path)
    assert (doc["sla_share"], doc["save_rate"], doc["reference_yield"], doc["median_close_days"]) == \
        (0.5, 0.5, 0.6667, 5.5)
