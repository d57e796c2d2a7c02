"""Responses → actions: the plays applied to responses as they arrive (import or entry).

The rules, for each response and each enabled play whose category (and kinds, and minimum ARR) it
matches, oldest response first:

- a response dated more than ``loop.history_days`` (30) days before today creates nothing;
- a response with neither a contact nor an email (anonymous) creates nothing: nobody can follow it up;
- a response that already is, or is older than, the response of an action of the same contact and play
  creates nothing (so re-imports and repeated calls create nothing twice);
- else, if the contact has an open (not done) action of that play, the newer response updates it: its
  response and due date change, each change recorded in ``action_history``;
- else a new action: owner = the account owner, due = the play's business days after the response's
  date, status ``open``.

A contact is its ``contact_id``; a response matched to no contact is keyed by its email.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, Iterable, Sequence

from ..nps import classify
from .. import settings
from ..workspace import Workspace, transaction_on
from .plays import Play, load_plays_in
from .. import clock

#: SQLite's default limit on parameters is 999; ids are looked up in chunks below it.
CHUNK = 900
#: The engine reports its progress (``step``) every this many responses.
STEP_ROWS = 2_000


@dataclass
class EngineResult:
    created: list[int] = field(default_factory=list)   # new action ids
    updated: list[int] = field(default_factory=list)   # action ids moved to a newer response
    history: int = 0                                   # responses too old to act on (or unknown ids)
    unchanged: int = 0                                 # responses already covered, anonymous or with no play

    def as_dict(self) -> dict:
        return {"created": len(self.created), "updated": len(self.updated), "history": self.history,
                "unchanged": self.unchanged}


@dataclass(frozen=True)
class _Response:
    id: int
    score: int
    kind: str
    responded_at: str
    responded_on: str
    contact_id: int | None
    email: str | None
    account_id: int | None
    owner: str | None
    arr: float | None


def create_actions(ws: Workspace, response_ids: Iterable[int], batch_id: int | None = None,
                   today: date | None = None, *, now: datetime | None = None,
                   step: Callable[[int, int], None] | None = None) -> EngineResult:
    """Apply the plays to ``response_ids``, all or nothing (a savepoint inside the caller's transaction, if
    any); ``step(done, total)`` follows the work (it may raise to stop it: nothing is kept)."""
    with ws.transaction() as conn:
        return create_actions_in(conn, response_ids, batch_id, today, now=now, step=step)


def create_actions_in(conn: sqlite3.Connection, response_ids: Iterable[int],
                      batch_id: int | None = None, today: date | None = None, *,
                      now: datetime | None = None,
                      step: Callable[[int, int], None] | None = None) -> EngineResult:
    """``create_actions`` in a transaction under way (an import's), through its connection."""
    now = now or (datetime.combine(today, clock.now().time()) if today else clock.now())
    today = today or now.date()
    created_at = now.strftime("%Y-%m-%dT%H:%M:%S")
    result = EngineResult()
    ids = sorted(set(response_ids))
    if not ids:
        return result
    with transaction_on(conn):
        plays = [p for p in load_plays_in(conn) if p.enabled]
        cutoff = today - timedelta(days=int(settings.get_in(conn, settings.LOOP_HISTORY_DAYS)))
        recent = _recent(conn, ids, cutoff)
        rows = _load_responses(conn, recent)
        result.history = len(ids) - len(recent)
        holidays = settings.holidays_in(conn)
        for i, r in enumerate(sorted(rows, key=lambda r: (r.responded_at, r.id))):
            if step and not i % STEP_ROWS:
                step(i, len(rows))
            fired = False
            if r.contact_id is not None or r.email:
                for play in plays:
                    if play.applies_to(classify(r.score), r.kind, r.arr):
                        fired |= _apply(conn, play, r, holidays, batch_id, created_at, result, today)
            if not fired:
                result.unchanged += 1
        result.unchanged += len(recent) - len(rows)
    return result


def after_responses(conn: sqlite3.Connection, response_ids: Sequence[int], batch_id: int | None,
                    step: Callable[[int, int], None] | None = None) -> None:
    """An import's follow-up step (in ``core.follow_ups.STANDARD``): the plays for its responses."""
    create_actions_in(conn, response_ids, batch_id, step=step)


def after_undo(conn: sqlite3.Connection, batch_id: int) -> None:
    """An undo's follow-up step (in ``core.follow_ups.STANDARD``): the batch's untouched actions go."""
    forget_batch_in(conn, batch_id)


def _recent(conn: sqlite3.Connection, ids: list[int], cutoff: date) -> list[int]:
    """The ids dated on or after ``cutoff`` (one indexed scan of recent responses, not a lookup per id)."""
    recent = {r[0] for r in conn.execute("SELECT id FROM responses WHERE responded_on >= ?", (cutoff.isoformat(),))}
    return [i for i in ids if i in recent]


def _load_responses(conn: sqlite3.Connection, ids: list[int]) -> list[_Response]:
    out = []
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        out += [_Response(*row) for row in conn.execute(
            "SELECT r.id, r.score, r.kind, r.responded_at, r.responded_on, r.contact_id, r.email, "
            "coalesce(r.account_id, c.account_id), a.owner, a.arr FROM responses r "
            "LEFT JOIN contacts c ON c.id = r.contact_id "
            "LEFT JOIN accounts a ON a.id = coalesce(r.account_id, c.account_id) "
            f"WHERE r.id IN ({','.join('?' * len(chunk))})", chunk)]
    return out


def _existing(conn: sqlite3.Connection, play: str, r: _Response) -> list[sqlite3.Row]:
    """The actions of this contact (or, without a contact, this email) and play."""
    base = ("SELECT a.id, a.status, a.response_id, a.due, a.account_id, x.responded_at FROM actions a "
            "LEFT JOIN responses x ON x.id = a.response_id WHERE a.play = ? AND ")
    if r.contact_id is not None:
        return conn.execute(base + "a.contact_id = ? ORDER BY a.id", (play, r.contact_id)).fetchall()
    return conn.execute(base + "a.contact_id IS NULL AND x.email = ? ORDER BY a.id", (play, r.email)).fetchall()


def _apply(conn: sqlite3.Connection, play: Play, r: _Response, holidays, batch_id, at: str,
           result: EngineResult, today: date) -> bool:
    """Create or update the action of ``play`` for response ``r``; True when anything changed. An
    imported response's action is due counted from the import day (history is never overdue on arrival)."""
    existing = _existing(conn, play.key, r)
    covered = [e["responded_at"] for e in existing if e["responded_at"] is not None]
    if any(e["response_id"] == r.id for e in existing) or (covered and r.responded_at <= max(covered)):
        return False
    start = date.fromisoformat(r.responded_on)
    if batch_id is not None:
        start = max(start, today)
    due = play.due_on(start, r.arr, holidays).isoformat()
    open_ = [e for e in existing if e["status"] != "done"]
    if open_:
        action = open_[-1]
        changes = {"response_id": (action["response_id"], r.id), "due": (action["due"], due)}
        if r.account_id is not None:
            changes["account_id"] = (action["account_id"], r.account_id)
        changes = {k: v for k, v in changes.items() if v[0] != v[1]}
        conn.execute(f"UPDATE actions SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                     [new for _, new in changes.values()] + [action["id"]])
        record_in(conn, action["id"], at, [(k, old, new) for k, (old, new) in changes.items()])
        result.updated.append(action["id"])
        return True
    cur = conn.execute(
        "INSERT INTO actions(play, response_id, contact_id, account_id, owner, due, status, created_at, "
        "import_batch_id) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)",
        (play.key, r.id, r.contact_id, r.account_id, r.owner or play.params.get("owner"), due, at, batch_id))
    action_id = int(cur.lastrowid or 0)   # an INSERT always sets it
    record_in(conn, action_id, at, [("created", None, f"{play.name} for response {r.id} (score {r.score})")])
    result.created.append(action_id)
    return True


def record_in(conn: sqlite3.Connection, action_id: int, at: str, changes: Iterable[tuple]) -> None:
    """Write one ``action_history`` row per ``(field, old, new)``."""
    conn.executemany("INSERT INTO action_history(action_id, at, field, old, new) VALUES (?, ?, ?, ?, ?)",
                     [(action_id, at, f, None if o is None else str(o), None if n is None else str(n))
                      for f, o, n in changes])


def forget_batch_in(conn: sqlite3.Connection, batch_id: int, now: datetime | None = None) -> dict[str, int]:
    """In the transaction of an undo, after an import batch's responses were removed (undo), undo what the batch did to actions.

    Actions the batch created that nobody touched (still open, no history but the engine's: creation
    and moves to newer responses) are deleted. Open actions whose response vanished go back to the latest earlier response that still
    exists, with its due date. Actions somebody worked on are kept.
    """
    at = (now or clock.now()).strftime("%Y-%m-%dT%H:%M:%S")
    with transaction_on(conn):
        gone = conn.execute(  # a person's change is any history row the engine did not write
            "DELETE FROM actions WHERE import_batch_id = ? AND status = 'open' AND NOT EXISTS "
            "(SELECT 1 FROM action_history h WHERE h.action_id = actions.id "
            " AND h.field NOT IN ('created', 'response_id') AND NOT EXISTS (SELECT 1 FROM action_history e "
            "  WHERE e.action_id = h.action_id AND e.at = h.at AND e.field = 'response_id'))",
            (batch_id,)).rowcount
        restored = 0
        plays = {p.key: p for p in load_plays_in(conn)}
        holidays = settings.holidays_in(conn)
        orphans = conn.execute("SELECT a.id, a.play, a.due, a.created_at, a.import_batch_id, ac.arr FROM actions a "
                               "LEFT JOIN accounts ac ON ac.id = a.account_id "
                               "WHERE a.response_id IS NULL AND a.status <> 'done'").fetchall()
        for action in orphans:
            prev = conn.execute(
                "SELECT r.id, r.responded_on FROM action_history h JOIN responses r ON r.id = CAST(h.old AS INTEGER) "
                "WHERE h.action_id = ? AND h.field = 'response_id' ORDER BY h.id DESC LIMIT 1",
                (action["id"],)).fetchone()
            if prev is None or action["play"] not in plays:
                continue
            start = prev["responded_on"]
            if action["import_batch_id"] is not None:   # as when it was made: from the import day
                start = max(start, action["created_at"][:10])
            due = plays[action["play"]].due_on(date.fromisoformat(start), action["arr"], holidays).isoformat()
            conn.execute("UPDATE actions SET response_id = ?, due = ? WHERE id = ?", (prev["id"], due, action["id"]))
            record_in(conn, action["id"], at, [("response_id", None, prev["id"]), ("due", action["due"], due)])
            restored += 1
    return {"deleted": gone, "restored": restored}
