"""The closed loop's settings, declared in one place with their defaults, read from a connection.

The loop's functions run inside other transactions (the importer's), so they read settings through
the connection they are given rather than through a ``Workspace``.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import date
from typing import Any, Iterator

from ..settings import Setting

#: Health components and their default weights (they need not sum to 1; they are normalised).
DEFAULT_HEALTH_WEIGHTS = {"nps": 0.35, "trend": 0.2, "open_saves": 0.15, "revenue": 0.15, "renewal": 0.15}

LOOP_SETTINGS: dict[str, Setting] = {s.key: s for s in [
    Setting("loop.history_days", 30, "History cut-off (days)",
            "Imported responses older than this many days create no actions: history is history."),
    Setting("loop.holidays", [], "Holidays",
            "ISO dates that are not business days when due dates are counted."),
    Setting("loop.health_weights", DEFAULT_HEALTH_WEIGHTS, "Account health weights",
            "Weight of each part of the 0–100 account health: nps, trend, open_saves, revenue, renewal."),
    Setting("loop.drop_points", 20, "Account NPS drop (points)",
            "An account whose NPS fell by this much between consecutive periods raises a signal."),
    Setting("loop.contact_drop", 3, "Contact score drop",
            "A contact whose score fell by this much between consecutive responses raises a signal."),
    Setting("loop.risk_renewal_days", 120, "Renewal horizon for ARR at risk (days)",
            "Detractor or falling accounts renewing within this many days head the priority list."),
]}


def get(conn: sqlite3.Connection, key: str) -> Any:
    """The value of a loop setting, or its declared default."""
    return setting(conn, key, LOOP_SETTINGS[key].default)


def put(conn: sqlite3.Connection, key: str, value: Any) -> None:
    """Store a loop setting (the caller holds the transaction)."""
    if key not in LOOP_SETTINGS:
        raise ValueError(f"unknown loop setting {key!r}")
    if key == "loop.health_weights":
        value = check_weights(value)
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, json.dumps(value)))


def check_weights(weights: dict[str, float]) -> dict[str, float]:
    unknown = set(weights) - set(DEFAULT_HEALTH_WEIGHTS)
    if unknown:
        raise ValueError(f"unknown health component {sorted(unknown)[0]!r}; "
                         f"known: {', '.join(DEFAULT_HEALTH_WEIGHTS)}")
    if any(w < 0 for w in weights.values()) or not any(weights.values()):
        raise ValueError("health weights are zero or more, and at least one is above zero")
    return {k: float(weights.get(k, 0.0)) for k in DEFAULT_HEALTH_WEIGHTS}


def holidays(conn: sqlite3.Connection) -> frozenset[date]:
    return frozenset(date.fromisoformat(d) for d in get(conn, "loop.holidays"))


@contextlib.contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All-or-nothing, whether or not the caller already holds a transaction (a savepoint)."""
    conn.execute("SAVEPOINT loop")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK TO loop")
        conn.execute("RELEASE loop")
        raise
    conn.execute("RELEASE loop")


def setting(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    """Any workspace setting, read through a connection."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])
