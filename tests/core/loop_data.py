"""Builders for the hand-made workspaces of the loop and revenue tests."""
from __future__ import annotations

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
