"""Builders for the hand-made workspaces of the loop and revenue tests."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

from nps_desktop.core.loop import engine
from nps_desktop.core.responses import insert_responses


def account(conn, id, name=None, arr=None, owner=None, renewal=None, seats=None, status="active"):
    conn.execute("INSERT INTO accounts(id, name, arr, owner, renewal_date, seats, status) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)", (id, name or f"Account {id}", arr, owner, renewal, seats, status))


def contact(conn, id, account_id=None, email=None):
    conn.execute("INSERT INTO contacts(id, email, account_id) VALUES (?, ?, ?)",
                 (id, email or f"c{id}@example.com", account_id))


def respond(conn, contact_id, day, score, *, account_id="same", kind="rnps", time="10:00:00", comment=None,
            sentiment=None, email="same") -> int:
    """Insert one response of ``contact_id`` (its account and email by default); returns its id."""
    if account_id == "same":
        row = conn.execute("SELECT account_id FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        account_id = row[0] if row else None
    if email == "same":
        row = conn.execute("SELECT email FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        email = row[0] if row else None
    insert_responses(conn, [{"score": score, "responded_at": f"{day}T{time}", "kind": kind,
                             "contact_id": contact_id, "account_id": account_id, "email": email,
                             "comment": comment, "sentiment": sentiment}])
    return conn.execute("SELECT max(id) FROM responses").fetchone()[0]


def event(conn, account_id, kind, day, arr_change=0.0, arr_before=None) -> int:
    cur = conn.execute("INSERT INTO revenue_events(account_id, kind, occurred_on, arr_before, arr_change) "
                       "VALUES (?, ?, ?, ?, ?)", (account_id, kind, day, arr_before, arr_change))
    return cur.lastrowid


def build_revenue(conn):
    """The revenue fixture of tests/core/test_revenue.py (its comments say what each row is for)."""
    for a, name, status in [(1, "Pro", "active"), (2, "Pas", "active"), (3, "Det", "churned"),
                            (4, "Edge", "active"), (5, "Early", "active"), (6, "SameDay", "active"),
                            (7, "Newco", "active"), (8, "Turn", "churned")]:
        account(conn, a, name, arr=1000, status=status)
    for c, a, day, score in [
        (11, 1, "2025-06-01", 10), (12, 1, "2025-06-01", 9),      # A1 promoter (mean 9.5 → 10)
        (21, 2, "2025-09-01", 8),                                 # A2 passive
        (31, 3, "2025-10-01", 3), (32, 3, "2025-10-01", 6),       # A3 mean 4.5 → 5: detractor
        (41, 4, "2025-03-01", 9),                                 # A4: exactly 365 days before its renewal
        (51, 5, "2025-02-28", 9),                                 # A5: 366 days before: unscored
        (61, 6, "2026-03-01", 2),                                 # A6: on the event's day: excluded
        (71, 7, "2026-02-01", 10),                                # A7: after its 'new' event
        (81, 8, "2025-04-01", 10), (81, 8, "2026-02-01", 2),      # A8: promoter, then detractor
        (72, 4, "2026-07-01", 9),                                 # a later promoter at A4
    ]:
        if not conn.execute("SELECT 1 FROM contacts WHERE id = ?", (c,)).fetchone():
            contact(conn, c, a)
        respond(conn, c, day, score)
    respond(conn, None, "2026-05-01", 5, account_id=None, email="who@nowhere.org")   # unmapped
    for a, kind, day, change, before in [
        (1, "renewal", "2024-06-01", 0, 90_000),       # outside 2026; unscored
        (1, "renewal", "2026-01-15", 0, 100_000),
        (1, "upsell", "2026-03-01", 20_000, None),     # ARR before: 100k, after the renewal
        (2, "renewal", "2026-02-01", 0, 50_000),
        (2, "downsell", "2026-04-01", -10_000, 50_000),
        (2, "cross_sell", "2026-05-01", 5_000, 40_000),
        (3, "churn", "2026-03-01", -80_000, 80_000),
        (4, "renewal", "2026-03-01", 0, 40_000),
        (5, "renewal", "2026-03-01", 0, 25_000),
        (6, "renewal", "2026-03-01", 0, 15_000),
        (7, "new", "2026-01-10", 30_000, 0),           # before any response: unscored
        (7, "upsell", "2026-06-01", 6_000, None),      # ARR before: 30k
        (8, "renewal", "2026-01-05", 0, 60_000),       # promoter (latest answer then: 10)
        (8, "churn", "2026-04-01", 0, None),           # detractor (latest: 2); loses its 60k
    ]:
        event(conn, a, kind, day, change, before)
    conn.execute("INSERT INTO actions(play, account_id, status, created_at) "
                 "VALUES ('promoter_advocacy', 7, 'open', 'x'), ('promoter_advocacy', 4, 'done', 'x')")


def cli(*args: str) -> subprocess.CompletedProcess:
    """``main.py ARGS`` in a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "main.py", *args], capture_output=True, text=True)


def cli_json(*args: str) -> dict:
    proc = cli(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def build_queue(conn, today: date = date(2026, 11, 23)) -> None:
    """Three actions (today Monday 2026-11-23): 1 Ann's Save due 11-24, 2 Bob's Save due 11-20 (overdue),
    3 Ann's Adoption due 12-04."""
    account(conn, 1, "Acme", arr=50_000, owner="Ann")
    account(conn, 2, "Bigco", arr=200_000, owner="Bob")
    contact(conn, 1, 1, "ana@acme.com")
    contact(conn, 2, 1, "al@acme.com")
    contact(conn, 3, 2, "bo@bigco.com")
    ids = [respond(conn, 1, "2026-11-20", 4, comment="Sync keeps failing"), respond(conn, 3, "2026-11-19", 2),
           respond(conn, 2, "2026-11-20", 7)]
    for i in ids:  # one at a time, so that action i follows response i
        engine.create_actions_in(conn, [i], today=today, now=datetime(2026, 11, 23, 8))
