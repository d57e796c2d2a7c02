"""The action lifecycle: open → in progress → done, outcomes, notes, owners, and a history of every change.

Every change writes one ``action_history`` row per changed field with its time. The first time an
action leaves ``open`` is its first touch (``first_touch_at``); ``done`` sets ``closed_at``, reopening
clears it. Functions take the workspace; each change is all-or-nothing on its own (in a transaction of its
own, or a savepoint inside the caller's).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from ..words import minute
from .engine import record_in
from .plays import play_names
from .. import clock, labels
from ..workspace import Workspace

STATUSES = ("open", "in_progress", "done")
STATUS_LABELS = labels.STATUS
OUTCOMES = ("recovered", "churned", "reference_secured", "review_posted", "upsell_opened", "no_response")
OUTCOME_LABELS = labels.OUTCOME


class ActionError(ValueError):
    """A change that cannot be made; the message names the action and the value."""


@dataclass(frozen=True)
class ActionFilters:
    """Which actions a list shows. Empty means all."""
    owners: tuple[str, ...] = ()         # "" stands for unassigned
    plays: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    overdue: bool = False                # only not-done actions due before today
    due_to: date | None = None           # due on or before
    arr_min: float | None = None
    account_id: int | None = None
    text: str = ""                       # in account name, contact email or name, notes


@dataclass(frozen=True)
class Action:
    id: int
    play: str
    play_name: str
    status: str
    outcome: str | None
    owner: str | None
    due: str | None
    response_id: int | None
    score: int | None
    comment: str | None
    responded_at: str | None
    contact_id: int | None
    contact_email: str | None
    contact_name: str | None
    account_id: int | None
    account_name: str | None
    arr: float | None
    notes: str | None
    created_at: str
    first_touch_at: str | None
    closed_at: str | None
    overdue: bool

    def as_json(self) -> dict[str, Any]:
        """The fields ``actions --json`` prints (DESIGN.md), and a few more."""
        return {"id": self.id, "play": self.play, "contact_email": self.contact_email,
                "account_id": self.account_id, "owner": self.owner, "due": self.due, "status": self.status,
                "outcome": self.outcome, "response_id": self.response_id, "account": self.account_name,
                "score": self.score, "overdue": self.overdue, "created_at": self.created_at,
                "first_touch_at": self.first_touch_at, "closed_at": self.closed_at}


@dataclass(frozen=True)
class Change:
    at: str
    field: str
    old: str | None
    new: str | None

    @property
    def what(self) -> str:
        """The field as people say it: "status", "first touch", "moved to response"."""
        return _FIELD_WORDS.get(self.field, self.field.replace("_", " "))

    def shown(self, value: str | None) -> str:
        """``old`` or ``new`` as people read it: "In progress", not ``in_progress``; times to the minute."""
        if value is None or value == "":
            return "—"
        labels = {"status": STATUS_LABELS, "outcome": OUTCOME_LABELS}.get(self.field)
        if labels:
            return labels.get(value, value)
        if self.field.endswith("_at"):
            return minute(value)
        return value


_FIELD_WORDS = {"first_touch_at": "first touch", "closed_at": "closed", "response_id": "moved to response"}


_SELECT = """
SELECT a.id, a.play, a.status, a.outcome, a.owner, a.due, a.response_id, r.score, r.comment,
       r.responded_at, a.contact_id, coalesce(c.email, r.email) AS contact_email,
       trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) AS contact_name,
       a.account_id, ac.name AS account_name, ac.arr, a.notes, a.created_at, a.first_touch_at, a.closed_at
FROM actions a
LEFT JOIN responses r ON r.id = a.response_id
LEFT JOIN contacts c ON c.id = a.contact_id
LEFT JOIN accounts ac ON ac.id = a.account_id
"""


def _where(f: ActionFilters, today: date) -> tuple[str, list[Any]]:
    clauses, params = [], []

    def among(expr: str, values: Iterable[Any]) -> None:
        values = list(values)
        clauses.append(f"{expr} IN ({','.join('?' * len(values))})")
        params.extend(values)

    if f.owners:
        among("coalesce(a.owner, '')", f.owners)
    if f.plays:
        among("a.play", f.plays)
    if f.statuses:
        among("a.status", f.statuses)
    if f.overdue:
        clauses.append("a.status <> 'done' AND a.due < ?")
        params.append(today.isoformat())
    if f.due_to:
        clauses.append("a.due <= ?")
        params.append(f.due_to.isoformat())
    if f.arr_min is not None:
        clauses.append("coalesce(ac.arr, 0) >= ?")
        params.append(f.arr_min)
    if f.account_id is not None:
        clauses.append("a.account_id = ?")
        params.append(f.account_id)
    if f.text.strip():
        like = f"%{f.text.strip().lower()}%"
        clauses.append("(lower(coalesce(ac.name, '')) LIKE ? OR lower(coalesce(c.email, r.email, '')) LIKE ? "
                       "OR lower(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) LIKE ? "
                       "OR lower(coalesce(a.notes, '')) LIKE ?)")
        params += [like] * 4
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_actions(ws: Workspace, filters: ActionFilters = ActionFilters(),
                 today: date | None = None) -> list[Action]:
    """Actions under ``filters``: not done first, then by due date (earliest first), then id."""
    conn = ws.conn
    today = today or clock.today()
    cond, params = _where(filters, today)
    names = play_names(ws)
    rows = conn.execute(_SELECT + cond + " ORDER BY a.status = 'done', a.due IS NULL, a.due, a.id",
                        params).fetchall()
    return [_action(r, names, today) for r in rows]


def _action(r: sqlite3.Row, names: dict[str, str], today: date) -> Action:
    overdue = r["status"] != "done" and r["due"] is not None and r["due"] < today.isoformat()
    return Action(r["id"], r["play"], names.get(r["play"], r["play"]), r["status"], r["outcome"], r["owner"],
                  r["due"], r["response_id"], r["score"], r["comment"], r["responded_at"], r["contact_id"],
                  r["contact_email"], r["contact_name"] or None, r["account_id"], r["account_name"], r["arr"],
                  r["notes"], r["created_at"], r["first_touch_at"], r["closed_at"], overdue)


def get_action(ws: Workspace, action_id: int, today: date | None = None) -> Action:
    conn = ws.conn
    row = conn.execute(_SELECT + " WHERE a.id = ?", (action_id,)).fetchone()
    if row is None:
        raise ActionError(f"there is no action {action_id}")
    return _action(row, play_names(ws), today or clock.today())


def history(ws: Workspace, action_id: int) -> list[Change]:
    """Every change of one action, oldest first."""
    conn = ws.conn
    return [Change(*r) for r in conn.execute(
        "SELECT at, field, old, new FROM action_history WHERE action_id = ? ORDER BY id", (action_id,))]


def owners(ws: Workspace) -> list[str]:
    """Everyone who owns an action or an account, for pick lists."""
    conn = ws.conn
    return [r[0] for r in conn.execute(
        "SELECT owner FROM actions WHERE owner IS NOT NULL AND owner <> '' UNION "
        "SELECT owner FROM accounts WHERE owner IS NOT NULL AND owner <> '' ORDER BY 1")]


def _now(now: datetime | None) -> str:
    return (now or clock.now()).strftime("%Y-%m-%dT%H:%M:%S")


def _current(conn: sqlite3.Connection, action_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT id, status, outcome, owner, due, notes, first_touch_at, closed_at "
                       "FROM actions WHERE id = ?", (action_id,)).fetchone()
    if row is None:
        raise ActionError(f"there is no action {action_id}")
    return row


def _update(conn: sqlite3.Connection, action_id: int, at: str, values: dict[str, Any]) -> bool:
    """Write the changed ``values`` of one action and their history; False when nothing changed."""
    row = _current(conn, action_id)
    changes = {k: (row[k], v) for k, v in values.items() if row[k] != v}
    if not changes:
        return False
    conn.execute(f"UPDATE actions SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                 [v for _, v in changes.values()] + [action_id])
    record_in(conn, action_id, at, [(k, old, new) for k, (old, new) in changes.items()])
    return True


def set_status(ws: Workspace, action_id: int, status: str, now: datetime | None = None) -> bool:
    """Move an action to ``status``; leaving ``open`` the first time is its first touch."""
    if status not in STATUSES:
        raise ActionError(f"action {action_id}: status {status!r} is not one of {', '.join(STATUSES)}")
    at = _now(now)
    with ws.transaction() as conn:
        row = _current(conn, action_id)
        values: dict[str, Any] = {"status": status}
        if status != "open" and row["first_touch_at"] is None:
            values["first_touch_at"] = at
        values["closed_at"] = (row["closed_at"] or at) if status == "done" else None
        return _update(conn, action_id, at, values)


def set_status_many(ws: Workspace, action_ids: Iterable[int], status: str,
                    now: datetime | None = None) -> int:
    """Move several actions to ``status``, all or nothing; returns how many changed."""
    with ws.transaction():
        return sum(set_status(ws, i, status, now) for i in action_ids)


def set_outcome(ws: Workspace, action_id: int, outcome: str | None,
                now: datetime | None = None) -> bool:
    if outcome is not None and outcome not in OUTCOMES:
        raise ActionError(f"action {action_id}: outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
    with ws.transaction() as conn:
        return _update(conn, action_id, _now(now), {"outcome": outcome})


def set_notes(ws: Workspace, action_id: int, notes: str, now: datetime | None = None) -> bool:
    """Replace the notes (an empty text clears them)."""
    with ws.transaction() as conn:
        return _update(conn, action_id, _now(now), {"notes": notes.strip() or None})


def add_note(ws: Workspace, action_id: int, text: str, now: datetime | None = None) -> bool:
    """Append a dated line to the notes."""
    text = " ".join(text.split())
    if not text:
        raise ActionError(f"action {action_id}: the note is empty")
    at = _now(now)
    with ws.transaction() as conn:
        old = _current(conn, action_id)["notes"]
        line = f"{at[:16].replace('T', ' ')} — {text}"
        return _update(conn, action_id, at, {"notes": f"{old}\n{line}" if old else line})


def set_due(ws: Workspace, action_id: int, due: date, now: datetime | None = None) -> bool:
    with ws.transaction() as conn:
        return _update(conn, action_id, _now(now), {"due": due.isoformat()})


def assign(ws: Workspace, action_ids: Iterable[int], owner: str | None,
           now: datetime | None = None) -> int:
    """Give actions to ``owner`` (bulk reassign); returns how many changed."""
    owner = (owner or "").strip() or None
    at = _now(now)
    with ws.transaction() as conn:
        return sum(_update(conn, i, at, {"owner": owner}) for i in action_ids)
