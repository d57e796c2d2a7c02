"""Accounts and actions as they were on a past day, for reports on a past period.

A report on a past quarter must describe the quarter's end, not today. What changed since is undone
from what the workspace keeps with dates:

- **Accounts** (ARR, status, renewal date): the account's latest snapshot taken on or before the day
  (``account_snapshots``, written on every CRM accounts import; the earliest later one when there is
  none before it; else today's record), then corrected by the revenue events: ARR is the ARR after the
  last event on or before the day (before its first event: that event's ARR before), status follows
  that event (a churn: churned; before a ``new`` event: a prospect; before any other: active), and a
  renewal or churn dated after the day is when the account was due to renew.
- **Actions**: those created on or before the day, with the status their history gives at its end, and
  first touch and close times only when they had happened by then.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from . import clock
from . import revenue


@dataclass(frozen=True)
class AccountState:
    account_id: int
    name: str
    owner: str | None
    arr: float | None
    status: str
    renewal_date: str | None


def snapshot_accounts(conn: sqlite3.Connection, kind: str, batch_id: int, dry_run: bool = False) -> int:
    """After a CRM accounts import, record every account's ARR, status and renewal date as of today
    (part of the import: undoing the import removes its snapshot). Returns the rows written."""
    if kind != "accounts" or dry_run:
        return 0
    return conn.execute(
        "INSERT INTO account_snapshots(account_id, taken_on, arr, status, renewal_date, import_batch_id) "
        "SELECT id, ?, arr, status, renewal_date, ? FROM accounts", (clock.today().isoformat(), batch_id)).rowcount


def _snapshots(conn: sqlite3.Connection, day: str) -> dict[int, sqlite3.Row]:
    """Per account, its latest snapshot on or before ``day``, else its earliest after it."""
    out: dict[int, sqlite3.Row] = {}
    for r in conn.execute("SELECT account_id, taken_on, arr, status, renewal_date FROM account_snapshots "
                          "ORDER BY account_id, taken_on, id"):
        if r["account_id"] not in out or r["taken_on"] <= day:  # rows come oldest first
            out[r["account_id"]] = r
    return out


def accounts(conn: sqlite3.Connection, day: date) -> dict[int, AccountState]:
    """Every account as it stood at the end of ``day``."""
    d = day.isoformat()
    snaps = _snapshots(conn, d)
    events: dict[int, list[tuple[sqlite3.Row, float]]] = {}
    for r, before in revenue._with_arr_before(revenue._rows(conn)):
        events.setdefault(r["account_id"], []).append((r, before))
    out = {}
    for a in conn.execute("SELECT id, name, owner, arr, status, renewal_date FROM accounts"):
        base = snaps.get(a["id"], a)
        arr, status, renewal = base["arr"], base["status"], base["renewal_date"]
        evs = events.get(a["id"], [])
        past = [(r, b) for r, b in evs if r["occurred_on"][:10] <= d]
        later = [(r, b) for r, b in evs if r["occurred_on"][:10] > d]
        if past:
            last, before = past[-1]
            arr = before + (last["arr_change"] or 0.0)
            status = "churned" if last["kind"] == "churn" else "active"
        elif later:  # before its first event: a prospect before a new logo, else a customer at that ARR
            first, before = later[0]
            arr, status = (None, "prospect") if first["kind"] == "new" else (before, "active")
        due = next((r["occurred_on"][:10] for r, _ in later if r["kind"] in ("renewal", "churn")), None)
        if due is not None:
            renewal = due
        out[a["id"]] = AccountState(a["id"], a["name"], a["owner"], arr, status, renewal and renewal[:10])
    return out


def action_states(conn: sqlite3.Connection, day: date) -> dict[int, dict]:
    """Actions created by the end of ``day``: ``{id: {status, first_touch_at, closed_at, due}}`` as then."""
    end = day.isoformat() + "T99"
    history: dict[int, list[sqlite3.Row]] = {}
    for h in conn.execute("SELECT action_id, at, field, old, new FROM action_history "
                          "WHERE field IN ('status', 'due') ORDER BY action_id, at, id"):
        history.setdefault(h["action_id"], []).append(h)
    out = {}
    for a in conn.execute("SELECT id, status, due, first_touch_at, closed_at FROM actions WHERE created_at <= ?",
                          (end,)):
        state = {"status": a["status"], "due": a["due"],
                 "first_touch_at": a["first_touch_at"] if (a["first_touch_at"] or "") <= end else None,
                 "closed_at": a["closed_at"] if (a["closed_at"] or "") <= end else None}
        for f in ("status", "due"):
            changes = [h for h in history.get(a["id"], []) if h["field"] == f]
            done = [h for h in changes if h["at"] <= end]
            if done:
                state[f] = done[-1]["new"]
            elif changes:
                state[f] = changes[0]["old"]
        if state["closed_at"] is None and state["status"] == "done":  # closed after the day
            state["status"] = "in_progress" if state["first_touch_at"] else "open"
        out[a["id"]] = state
    return out
