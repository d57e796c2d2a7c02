"""What the planner reads from a workspace, in plain tuples, for one date range.

Dates become day ordinals (``date.toordinal``) so the planner compares integers. History is what
counts against the fatigue rules: recorded invitations (sent, responded, bounced) and every response
not matched to one of them (a response counts as an invitation received on its date).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from ..workspace import Workspace
from .programs import PERIODIC


class Contact(NamedTuple):
    email: str | None
    first_name: str | None
    last_name: str | None
    account_id: int | None
    role: str | None
    opted_out: bool   # (or 0/1)
    bounced: bool
    erased: bool


class Account(NamedTuple):
    external_id: str | None
    name: str
    domain: str | None
    status: str                  # active, churned, prospect
    customer_since: int | None   # day ordinal
    renewal: int | None          # day ordinal
    expansion: int | None        # first upsell or cross-sell, day ordinal


class Event(NamedTuple):
    kind: str                    # support_case, milestone
    day: int
    contact_id: int | None
    account_id: int | None
    reference: str | None


class Touch(NamedTuple):
    """One past (or already recorded future) invitation or unmatched response of a contact."""
    contact_id: int
    day: int
    kind: str | None             # program kind, if known
    relational: bool             # a periodic program's invitation, or a relational-kind response


class Recorded(NamedTuple):
    """An invitation already recorded as sent: its wave is not planned again for this contact."""
    program_id: int | None
    wave: str | None
    contact_id: int
    day: int


@dataclass
class Inputs:
    contacts: dict[int, Contact] = field(default_factory=dict)
    accounts: dict[int, Account] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    touches: list[Touch] = field(default_factory=list)
    answers: list[tuple[int, int]] = field(default_factory=list)   # (contact_id, day) of responses
    recorded: list[Recorded] = field(default_factory=list)


def ordinal(text: str | None) -> int | None:
    """The day ordinal of an ISO date or date-time text; None for empty or unreadable values."""
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10]).toordinal()
    except ValueError:
        return None


def _rows(ws: Workspace, sql: str, params: tuple = ()) -> list[tuple]:
    cur = ws.conn.cursor()
    cur.row_factory = None
    return cur.execute(sql, params).fetchall()


def load_inputs(ws: Workspace, lo: date, hi: date, lookback_days: int, lookahead_days: int) -> Inputs:
    """Everything the planner needs for days ``lo``..``hi``, with history ``lookback_days`` before
    ``lo`` and recorded invitations ``lookahead_days`` after ``hi``."""
    start = date.fromordinal(lo.toordinal() - lookback_days).isoformat()
    end = date.fromordinal(hi.toordinal() + lookahead_days).isoformat()
    inp = Inputs()
    rows = _rows(ws, "SELECT id, email, first_name, last_name, account_id, role, opted_out != 0, bounced != 0, "
                     "erased_at IS NOT NULL FROM contacts")
    new = tuple.__new__
    inp.contacts = {row[0]: new(Contact, row[1:]) for row in rows}   # flags are 0/1
    expansion = dict(_rows(ws, "SELECT account_id, min(occurred_on) FROM revenue_events "
                               "WHERE kind IN ('upsell', 'cross_sell') GROUP BY account_id"))
    for aid, ext, name, domain, status, since, renewal in _rows(
            ws, "SELECT id, external_id, name, domain, status, customer_since, renewal_date FROM accounts"):
        inp.accounts[aid] = Account(ext, name, domain, status or "active", ordinal(since), ordinal(renewal),
                                    ordinal(expansion.get(aid)))
    for kind, day, cid, aid, ref in _rows(
            ws, "SELECT kind, occurred_on, contact_id, account_id, reference FROM touchpoint_events "
                "WHERE occurred_on >= ? AND occurred_on <= ? ORDER BY occurred_on, id", (start, hi.isoformat())):
        if (o := ordinal(day)) is not None:
            inp.events.append(Event(kind, o, cid, aid, ref))
    periodic = set(PERIODIC)
    for cid, day, kind, trigger, pid, wave in _rows(
            ws, "SELECT i.contact_id, coalesce(i.sent_on, i.planned_on), p.kind, p.trigger, i.program_id, i.wave "
                "FROM invitations i LEFT JOIN programs p ON p.id = i.program_id "
                "WHERE i.status IN ('sent', 'responded', 'bounced') "
                "AND coalesce(i.sent_on, i.planned_on) >= ? AND coalesce(i.sent_on, i.planned_on) <= ?",
            (start, end)):
        if (o := ordinal(day)) is not None:
            inp.touches.append(Touch(cid, o, kind, trigger in periodic))
            inp.recorded.append(Recorded(pid, wave, cid, o))
    matched = {r[0] for r in _rows(ws, "SELECT response_id FROM invitations WHERE response_id IS NOT NULL")}
    for rid, cid, day, kind in _rows(
            ws, "SELECT r.id, coalesce(r.contact_id, c.id), r.responded_on, r.kind "
                "FROM responses r LEFT JOIN contacts c ON r.contact_id IS NULL AND c.email = r.email "
                "WHERE r.responded_on >= ? AND r.responded_on <= ?", (start, end)):
        if cid is None:
            continue
        o = ordinal(day)
        inp.answers.append((cid, o))
        if rid not in matched:
            inp.touches.append(Touch(cid, o, kind, kind != "tnps"))
    return inp
