"""The revenue events of the workspace, each with the account's ARR before it (stored or derived).

Below ``core.revenue`` and ``core.as_of``, which both read the history this way.
"""
from __future__ import annotations

import sqlite3


def rows(conn: sqlite3.Connection, account_ids: list[int] | None = None) -> list[sqlite3.Row]:
    """The events (of ``account_ids``, or all), by account, date and id, with the account's name."""
    only = f" WHERE e.account_id IN ({','.join(map(str, map(int, account_ids)))})" if account_ids else ""
    return conn.execute("SELECT e.id, e.account_id, a.name, e.kind, e.occurred_on, e.arr_before, e.arr_change, "
                        "e.note FROM revenue_events e JOIN accounts a ON a.id = e.account_id"
                        f"{only} ORDER BY e.account_id, e.occurred_on, e.id").fetchall()


def with_arr_before(rows: list[sqlite3.Row]) -> list[tuple[sqlite3.Row, float]]:
    """Each event with its ARR before (stored, or the ARR after the account's previous event)."""
    out, running, account = [], 0.0, None
    for r in rows:
        if r["account_id"] != account:
            account, running = r["account_id"], 0.0
        before = r["arr_before"] if r["arr_before"] is not None else (0.0 if r["kind"] == "new" else running)
        if r["arr_before"] is None and r["kind"] == "churn" and not before:
            before = -(r["arr_change"] or 0.0)
        out.append((r, float(before)))
        running = before + (r["arr_change"] or 0.0)
    return out


def history(conn: sqlite3.Connection) -> list[tuple[sqlite3.Row, float]]:
    """Every revenue event, by account and date, with its ARR before (stored or derived)."""
    return with_arr_before(rows(conn))
