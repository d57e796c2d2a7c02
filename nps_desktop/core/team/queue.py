"""The follow-up queue of a team workspace: several people on the same actions, nothing overwritten silently.

Every action has a ``version`` that the database raises on each change (a trigger, so no writer can
forget it) together with who (``changed_by``, the database user) and when. A change names the version
its author last saw: the row is locked (``SELECT … FOR UPDATE``), and when its version has moved on the
change is refused with ``Conflict``, which says what changed since and by whom, and nothing is written.
Otherwise the fields are written, one ``action_history`` row per changed field (with the database user
and the new version) and one audit row (``nps_audit``, in the caller's name) — all in one transaction,
announced at commit on ``team_import.CHANNEL`` (``{"what": "action", "action": id, "by": …}``).

The rules of a change are those of ``core.loop.actions`` (first touch when leaving open, closed when
done, reopened clears it, notes appended with their time), applied here in PostgreSQL's SQL.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

import psycopg
from psycopg.rows import dict_row

from .. import clock
from ..loop.actions import OUTCOME_LABELS, OUTCOMES, STATUS_LABELS, STATUSES
from ..words import minute
from .connect import TeamError, one_line
from .team_import import CHANNEL

#: The fields a person changes on the queue.
FIELDS = ("status", "outcome", "owner", "due", "notes")


class Conflict(TeamError):
    """Someone else changed the action since it was read; ``changes`` lists what (newest last)."""

    def __init__(self, message: str, action_id: int, version: int, changes: list[dict[str, Any]]):
        super().__init__(message)
        self.action_id, self.version, self.changes = action_id, version, changes


@dataclass(frozen=True)
class QueueAction:
    id: int
    play: str
    status: str
    outcome: str | None
    owner: str | None
    due: str | None
    notes: str | None
    first_touch_at: str | None
    closed_at: str | None
    contact_email: str | None
    account: str | None
    version: int
    changed_by: str | None
    changed_at: str | None

    def overdue(self, today: date) -> bool:
        return self.status != "done" and self.due is not None and self.due < today.isoformat()

    def as_json(self, today: date | None = None) -> dict[str, Any]:
        today = today or clock.today()
        return {"id": self.id, "play": self.play, "status": self.status, "outcome": self.outcome,
                "owner": self.owner, "due": self.due, "overdue": self.overdue(today),
                "contact_email": self.contact_email, "account": self.account, "notes": self.notes,
                "first_touch_at": self.first_touch_at, "closed_at": self.closed_at, "version": self.version,
                "changed_by": self.changed_by, "changed_at": self.changed_at}


_SELECT = """
SELECT a.id, a.play, a.status, a.outcome, a.owner, a.due, a.notes, a.first_touch_at, a.closed_at,
       coalesce(c.email, r.email) AS contact_email, ac.name AS account, a.version, a.changed_by, a.changed_at
FROM actions a
LEFT JOIN responses r ON r.id = a.response_id
LEFT JOIN contacts c ON c.id = a.contact_id
LEFT JOIN accounts ac ON ac.id = a.account_id
"""


def _action(row: dict[str, Any]) -> QueueAction:
    return QueueAction(**row)


def list_actions(conn: psycopg.Connection[Any], *, statuses: Iterable[str] = (), owners: Iterable[str] = (),
                 overdue_on: date | None = None) -> list[QueueAction]:
    """The queue: not done first, then by due date, then id (as ``core.loop.actions.list_actions``)."""
    clauses: list[str] = []
    params: list[Any] = []
    statuses, owners = list(statuses), list(owners)
    if statuses:
        clauses.append("a.status = ANY(%s)")
        params.append(statuses)
    if owners:
        clauses.append("coalesce(a.owner, '') = ANY(%s)")
        params.append(owners)
    if overdue_on is not None:
        clauses.append("a.status <> 'done' AND a.due < %s")
        params.append(overdue_on.isoformat())
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(_SELECT + where + " ORDER BY a.status = 'done', a.due IS NULL, a.due, a.id",
                           params).fetchall()
    _end_read(conn)
    return [_action(r) for r in rows]


def get(conn: psycopg.Connection[Any], action_id: int) -> QueueAction:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(_SELECT + " WHERE a.id = %s", (action_id,)).fetchone()
    _end_read(conn)
    if row is None:
        raise TeamError(f"there is no action {action_id}")
    return _action(row)


def history(conn: psycopg.Connection[Any], action_id: int) -> list[dict[str, Any]]:
    """Every change of one action, oldest first, each with who made it."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute("SELECT at, field, old, new, changed_by AS \"by\", action_version AS version "
                           "FROM action_history WHERE action_id = %s ORDER BY id", (action_id,)).fetchall()
    _end_read(conn)
    return rows


def _end_read(conn: psycopg.Connection[Any]) -> None:
    if not conn.autocommit and conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS:
        conn.rollback()  # a read leaves no transaction open (it would hold back others' views and locks)


def _now(now: datetime | None) -> str:
    return (now or clock.now()).strftime("%Y-%m-%dT%H:%M:%S")


def _shown(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    labels = {"status": STATUS_LABELS, "outcome": OUTCOME_LABELS}.get(field)
    if labels:
        return labels.get(str(value), str(value))
    if field.endswith("_at"):
        return minute(str(value))
    return str(value).splitlines()[-1] if field == "notes" else str(value)


def describe(changes: list[dict[str, Any]]) -> str:
    """``status: Open → Done; owner: — → Ana`` for a list of history rows."""
    words = {"first_touch_at": "first touch", "closed_at": "closed", "response_id": "response (an import's newer answer)"}
    return "; ".join(f"{words.get(c['field'], c['field'])}: {_shown(c['field'], c['old'])} → "
                     f"{_shown(c['field'], c['new'])}" for c in changes
                     if c["field"] in FIELDS or c["field"] == "response_id") or "its details"


def change(conn: psycopg.Connection[Any], action_id: int, version: int, values: dict[str, Any],
           now: datetime | None = None) -> QueueAction:
    """Set ``values`` (some of ``FIELDS``; ``status`` brings first touch and closing with it) on the
    action read at ``version``, in one transaction. ``Conflict`` when someone changed it since; a
    ``TeamError`` naming the action for a bad value or an unknown action; a refused write (a viewer)
    as one line. Returns the action as it now is."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TeamError(f"action {action_id}: {', '.join(sorted(unknown))} cannot be changed here")
    _check_values(action_id, values)
    at = _now(now)
    try:
        with conn.transaction():
            with conn.cursor(row_factory=dict_row) as cur:
                row = cur.execute("SELECT id, status, outcome, owner, due, notes, first_touch_at, closed_at, "
                                  "version, changed_by, changed_at, current_user AS changed_by_now FROM actions "
                                  "WHERE id = %s FOR UPDATE",
                                  (action_id,)).fetchone()
                if row is None:
                    raise TeamError(f"there is no action {action_id}")
                if row["version"] != version:
                    raise _conflict(cur, row, version)
                wanted = dict(values)
                if "status" in wanted:
                    status = wanted["status"]
                    if status != "open" and row["first_touch_at"] is None:
                        wanted["first_touch_at"] = at
                    wanted["closed_at"] = (row["closed_at"] or at) if status == "done" else None
                changes = {k: (row[k], v) for k, v in wanted.items() if row[k] != v}
                if changes:
                    cur.execute("UPDATE actions SET " + ", ".join(f"{k} = %s" for k in changes)
                                + " WHERE id = %s RETURNING version",
                                [new for _, new in changes.values()] + [action_id])
                    new_version = cur.fetchone()["version"]  # type: ignore[index]
                    cur.executemany("INSERT INTO action_history(action_id, at, field, old, new, action_version) "
                                    "VALUES (%s, %s, %s, %s, %s, %s)",
                                    [(action_id, at, k, _text(old), _text(new), new_version)
                                     for k, (old, new) in changes.items()])
                    cur.execute("SELECT nps_audit('action changed', %s)", (json.dumps(
                        {"action": action_id, "version": new_version,
                         "changes": {k: [_text(o), _text(n)] for k, (o, n) in changes.items()}},
                        ensure_ascii=False),))
                    cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, json.dumps(   # heard at commit
                        {"what": "action", "action": action_id, "version": new_version,
                         "fields": sorted(changes), "by": str(row["changed_by_now"])})))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise TeamError(f"action {action_id}: the team database refused the change: {one_line(exc)} "
                        "(a viewer only reads)") from None
    return get(conn, action_id)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _check_values(action_id: int, values: dict[str, Any]) -> None:
    if "status" in values and values["status"] not in STATUSES:
        raise TeamError(f"action {action_id}: status {values['status']!r} is not one of {', '.join(STATUSES)}")
    if values.get("outcome") is not None and values["outcome"] not in OUTCOMES:
        raise TeamError(f"action {action_id}: outcome {values['outcome']!r} is not one of {', '.join(OUTCOMES)}")
    if values.get("due") is not None:
        try:
            date.fromisoformat(values["due"])
        except (TypeError, ValueError):
            raise TeamError(f"action {action_id}: due {values['due']!r} is not a date (YYYY-MM-DD)") from None


def _conflict(cur: psycopg.Cursor[Any], row: dict[str, Any], version: int) -> Conflict:
    changes = cur.execute("SELECT at, field, old, new, changed_by AS \"by\", action_version AS version "
                          "FROM action_history WHERE action_id = %s AND action_version > %s ORDER BY id",
                          (row["id"], version)).fetchall()
    who = sorted({c["by"] for c in changes}) or [row["changed_by"] or "someone"]
    when = minute(row["changed_at"]) if row["changed_at"] else "meanwhile"
    message = (f"action {row['id']} was changed by {', '.join(who)} at {when} since you read it "
               f"({describe(changes)}); nothing was overwritten: reload it (now version {row['version']}) "
               "and make your change again")
    return Conflict(message, row["id"], row["version"], changes)


# -- the usual changes ----------------------------------------------------------------------------------------
def set_status(conn: psycopg.Connection[Any], action_id: int, version: int, status: str,
               now: datetime | None = None) -> QueueAction:
    return change(conn, action_id, version, {"status": status}, now)


def set_outcome(conn: psycopg.Connection[Any], action_id: int, version: int, outcome: str | None,
                now: datetime | None = None) -> QueueAction:
    return change(conn, action_id, version, {"outcome": outcome or None}, now)


def add_note(conn: psycopg.Connection[Any], action_id: int, version: int, text: str,
             now: datetime | None = None) -> QueueAction:
    """Append a dated line to the notes as they were at ``version``."""
    text = " ".join(text.split())
    if not text:
        raise TeamError(f"action {action_id}: the note is empty")
    current = get(conn, action_id)
    line = f"{_now(now)[:16].replace('T', ' ')} — {text}"
    notes = f"{current.notes}\n{line}" if current.notes else line
    return change(conn, action_id, version, {"notes": notes}, now)


def assign(conn: psycopg.Connection[Any], versions: dict[int, int], owner: str | None,
           now: datetime | None = None) -> list[QueueAction]:
    """Give each action (id → the version read) to ``owner``, one action at a time: each lands or
    is refused on its own; the refused ones are raised together after the others landed."""
    owner = (owner or "").strip() or None
    done, refused = [], []
    for action_id, version in versions.items():
        try:
            done.append(change(conn, action_id, version, {"owner": owner}, now))
        except Conflict as exc:
            refused.append(str(exc))
    if refused:
        raise TeamError(f"{len(done)} of {len(versions)} assigned; " + "; ".join(refused))
    return done
