"""Plays: editable rules, stored in the ``plays`` table, that turn a response into a follow-up action.

Three default plays, on until the team changes the plays (then all are written to the table, once):

- ``detractor_save`` (Save): for the account owner, due in 2 business days, or 1 when the account's
  ARR is above ``high_arr_threshold``;
- ``passive_adoption`` (Adoption): due in 10 business days;
- ``promoter_advocacy`` (Advocacy ask: reference, review, referral, case study): due in 10 business days.

A play fires for a response of its ``category`` whose program kind is in ``params["kinds"]`` and, when
``params["min_arr"]`` is set, whose account's ARR is at least that. Due dates count business days
(Monday to Friday, minus the holidays in the ``loop.holidays`` setting) from the response's date.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Iterable

from ..nps import CATEGORIES
from ..workspace import Workspace

SEEDED_SETTING = "loop.plays_seeded"
#: Program kinds the default plays follow up (employee NPS is not a customer to save).
CUSTOMER_KINDS = ["rnps", "tnps", "partner"]
ADVOCACY_ASKS = ["reference", "review", "referral", "case study"]


@dataclass(frozen=True)
class Play:
    key: str
    name: str
    category: str
    due_business_days: int
    enabled: bool = True
    params: dict[str, Any] = field(default_factory=dict)
    id: int | None = None

    def applies_to(self, category: str, kind: str, arr: float | None) -> bool:
        if not self.enabled or category != self.category:
            return False
        if kind not in self.params.get("kinds", CUSTOMER_KINDS):
            return False
        min_arr = self.params.get("min_arr")
        return min_arr is None or (arr or 0) >= min_arr

    def due_days(self, arr: float | None) -> int:
        """Business days allowed: fewer for accounts above the play's ARR threshold."""
        threshold = self.params.get("high_arr_threshold")
        if threshold is not None and arr is not None and arr > threshold:
            return int(self.params.get("high_arr_due_business_days", self.due_business_days))
        return self.due_business_days

    def due_on(self, start: date, arr: float | None, holidays: Iterable[date] = ()) -> date:
        return add_business_days(start, self.due_days(arr), holidays)


DEFAULT_PLAYS = (
    Play("detractor_save", "Save", "detractor", 2,
         params={"kinds": CUSTOMER_KINDS, "high_arr_threshold": 100_000, "high_arr_due_business_days": 1,
                 "description": "Call the detractor, find the root cause, agree an account plan."}),
    Play("passive_adoption", "Adoption", "passive", 10,
         params={"kinds": CUSTOMER_KINDS,
                 "description": "An adoption sprint: ask what would make it a 10."}),
    Play("promoter_advocacy", "Advocacy ask", "promoter", 10,
         params={"kinds": CUSTOMER_KINDS, "asks": ADVOCACY_ASKS,
                 "description": "Ask for a reference, a review, a referral or a case study."}),
)


def add_business_days(start: date, n: int, holidays: Iterable[date] = ()) -> date:
    """The n-th business day after ``start`` (Monday–Friday, holidays skipped); n = 0 is ``start``."""
    off = set(holidays)
    d = start
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in off:
            n -= 1
    return d


def _ensure_default_plays(conn: sqlite3.Connection) -> None:
    """Write the default plays once per workspace, before its first change (a deleted play stays deleted)."""
    if conn.execute("SELECT 1 FROM settings WHERE key = ?", (SEEDED_SETTING,)).fetchone():
        return
    for play in DEFAULT_PLAYS:
        conn.execute("INSERT OR IGNORE INTO plays(key, name, category, enabled, due_business_days, params) "
                     "VALUES (?, ?, ?, ?, ?, ?)", _values(play))
    conn.execute("INSERT INTO settings(key, value) VALUES (?, 'true')", (SEEDED_SETTING,))


def load_plays(ws: Workspace) -> list[Play]:
    """Every play; the defaults while this workspace never changed its plays (reading writes nothing)."""
    return load_plays_in(ws.conn)


def load_plays_in(conn: sqlite3.Connection) -> list[Play]:
    """``load_plays`` in a transaction under way (an import's follow-ups), through its connection."""
    rows = conn.execute("SELECT id, key, name, category, enabled, due_business_days, params "
                        "FROM plays ORDER BY id").fetchall()
    if not rows and not _seeded(conn):
        return list(DEFAULT_PLAYS)
    return [Play(r["key"], r["name"], r["category"], r["due_business_days"], bool(r["enabled"]),
                 json.loads(r["params"] or "{}"), r["id"]) for r in rows]


def _seeded(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM settings WHERE key = ?", (SEEDED_SETTING,)).fetchone() is not None


def play_names(ws: Workspace) -> dict[str, str]:
    """Play key → its display name."""
    return {p.key: p.name for p in load_plays(ws)}


def save_play(ws: Workspace, play: Play) -> Play:
    """Add or change a play (by key); the defaults are written first, the first time."""
    check(play)
    with ws.transaction() as conn:
        _ensure_default_plays(conn)
        conn.execute("INSERT INTO plays(key, name, category, enabled, due_business_days, params) "
                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET name = excluded.name, "
                     "category = excluded.category, enabled = excluded.enabled, "
                     "due_business_days = excluded.due_business_days, params = excluded.params", _values(play))
        new_id = conn.execute("SELECT id FROM plays WHERE key = ?", (play.key,)).fetchone()[0]
    return replace(play, id=new_id)


def delete_play(ws: Workspace, key: str) -> None:
    with ws.transaction() as conn:
        _ensure_default_plays(conn)
        conn.execute("DELETE FROM plays WHERE key = ?", (key,))


def check(play: Play) -> None:
    """Refuse a play that cannot work, with a message naming the field."""
    if not play.key or not play.key.replace("_", "").isalnum():
        raise ValueError(f"play key {play.key!r}: use letters, digits and underscores")
    if not play.name.strip():
        raise ValueError(f"play {play.key}: the name is empty")
    if play.category not in CATEGORIES:
        raise ValueError(f"play {play.key}: category {play.category!r} is not one of {', '.join(CATEGORIES)}")
    if not 0 <= play.due_business_days <= 250:
        raise ValueError(f"play {play.key}: due in {play.due_business_days} business days is not 0–250")


def _values(play: Play) -> tuple:
    return (play.key, play.name, play.category, int(play.enabled), play.due_business_days,
            json.dumps(play.params, sort_keys=True))
