"""Accounts and actions as they were on a past day, for reports on a past period.

A report on a past quarter must describe the quarter's end, not today. What changed since is undone
from what the workspace keeps with dates:

- **Accounts** (ARR, status, renewal date): start from the account's latest snapshot taken on or
  before the day (``account_snapshots``, written on every CRM accounts import), else today's record.
  Revenue events dated after the day are undone: ARR is the ARR before the first of them, status is
  active (a prospect, or churned, before a ``new`` one), and the first renewal or churn after the day is
  when the account was due to renew. Without later events, events between the snapshot and the day
  are applied (ARR after the last, churned after a churn).
- **Actions**: those created on or before the day, with the status their history gives at its end, and
  first touch and close times only when they had happened by then.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from . import clock, revenue_events


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
    (part of the import: undoing it removes the snapshot, ``forget_snapshots``). Returns the rows written."""
    if kind != "accounts" or dry_run:
        return 0
    return conn.execute(
        "INSERT INTO account_snapshots(account_id, taken_on, arr, status, renewal_date, import_batch_id) "
        "SELECT id, ?, arr, status, renewal_date, ? FROM accounts", (clock.today().isoformat(), batch_id)).rowcount


def forget_snapshots(conn: sqlite3.Connection, batch_id: int) -> None:
    """An undone CRM import's snapshot goes with it (``importing.undo`` calls this)."""
    conn.execute("DELETE FROM account_snapshots WHERE import_batch_id = ?", (batch_id,))


def _snapshots(conn: sqlite3.Connection, day: str) -> dict[int, sqlite3.Row]:
    """Per account, its latest snapshot taken on or before ``day``."""
    out: dict[int, sqlite3.Row] = {}
    for r in conn.execute("SELECT account_id, taken_on, arr, status, renewal_date FROM account_snapshots "
                          "WHERE taken_on <= ? ORDER BY account_id, taken_on, id", (day,)):
        out[r["account_id"]] = r
    return out


def accounts(conn: sqlite3.Connection, day: date) -> dict[int, AccountState]:
    """Every account as it stood at the end of ``day``."""
    d = day.isoformat()
    snaps = _snapshots(conn, d)
    events: dict[int, list[tuple[sqlite3.Row, float]]] = {}
    for r, before in revenue_events.history(conn):
        events.setdefault(r["account_id"], []).append((r, before))
    out = {}
    for a in conn.execute("SELECT id, name, owner, arr, status, renewal_date FROM accounts"):
        snap = snaps.get(a["id"])
        base = a if snap is None else snap
        arr, status, renewal = base["arr"], base["status"], base["renewal_date"]
        evs = events.get(a["id"], [])
        later = [(r, b) for r, b in evs if r["occurred_on"][:10] > d]
        since = [(r, b) for r, b in evs if snap is not None and snap["taken_on"] < r["occurred_on"][:10] <= d]
        if later:  # what changed after the day is undone: the state just before its first change
            first, arr = later[0]
            earlier = [r for r, _ in evs if r["occurred_on"][:10] <= d]
            if first["kind"] == "new":
                status = "churned" if earlier and earlier[-1]["kind"] == "churn" else "prospect"
            else:
                status = "active"
            due = next((r["occurred_on"][:10] for r, _ in later if r["kind"] in ("renewal", "churn")), None)
            renewal = due or renewal
        elif since:  # what changed between the snapshot and the day is applied
            last, before = since[-1]
            arr = before + (last["arr_change"] or 0.0)
            status = "churned" if last["kind"] == "churn" else "active"
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
