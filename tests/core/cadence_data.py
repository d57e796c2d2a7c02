"""Builders for the cadence tests: planner inputs in memory, and the same people in a workspace."""
from __future__ import annotations

from datetime import date

from nps_desktop.core.cadence.inputs import Account, Contact, Event, Inputs, Recorded, Touch
from nps_desktop.core.cadence.planner import Plan, make_plan
from nps_desktop.core.cadence.programs import Program
from nps_desktop.core.cadence.rules import Rules
from nps_desktop.core.responses import insert_responses

D = date.fromisoformat

RNPS = Program("Relational NPS", "rnps", "quarterly", 0, "customers", id=1)
ONBOARDING = Program("Onboarding tNPS", "tnps", "onboarding", 30, "customers", id=2)
RENEWAL = Program("Renewal tNPS", "tnps", "renewal", 60, "customers", id=3)
SUPPORT = Program("Support tNPS", "tnps", "support_case", 1, "customers", id=4)
MILESTONE = Program("Milestone tNPS", "tnps", "milestone", 1, "customers", id=5)
LOSS = Program("Loss survey", "rnps", "quarterly", 0, "losses", id=6)


def o(day: str) -> int:
    """The day ordinal of an ISO date."""
    return D(day).toordinal()


def contact(email: str | None = "x@example.com", account_id: int | None = 1, *, first: str | None = None,
            role: str | None = None, opted_out: bool = False, bounced: bool = False,
            erased: bool = False) -> Contact:
    return Contact(email, first, None, account_id, role, opted_out, bounced, erased)


def account(name: str = "Acme", status: str = "active", *, since: str | None = None,
            renewal: str | None = None, expansion: str | None = None, ext: str | None = None) -> Account:
    return Account(ext, name, None, status, since and o(since), renewal and o(renewal),
                   expansion and o(expansion))


def people(n: int, account_id: int | None = 1, start: int = 1) -> dict[int, Contact]:
    """``n`` plain contacts with ids ``start``.. and emails c<id>@example.com."""
    return {i: contact(f"c{i}@example.com", account_id) for i in range(start, start + n)}


def touch(cid: int, day: str, kind: str | None = "rnps", relational: bool | None = None) -> Touch:
    """A past invitation or unmatched response of ``kind`` (relational unless it is tNPS)."""
    return Touch(cid, o(day), kind, (kind != "tnps") if relational is None else relational)


def run(contacts: dict[int, Contact], programs: list[Program], start: str, end: str, *,
        accounts: dict[int, Account] | None = None, rules: Rules | None = None, touches=(), answers=(),
        recorded=(), events=(), fy_start: int = 1) -> Plan:
    """Plan in memory: ``answers`` are ``(contact, "YYYY-MM-DD")``, ``recorded`` are ``Recorded``."""
    inputs = Inputs(dict(contacts), dict(accounts if accounts is not None else {1: account()}), list(events),
                    list(touches), [(c, o(d)) for c, d in answers], list(recorded))
    return make_plan(inputs, programs, rules or Rules(), D(start), D(end), fy_start)


def event(kind: str, day: str, contact_id: int | None = None, account_id: int | None = None,
          reference: str | None = None) -> Event:
    return Event(kind, o(day), contact_id, account_id, reference)


def recorded(program_id: int, wave: str, cid: int, day: str) -> Recorded:
    return Recorded(program_id, wave, cid, o(day))


def planned_set(plan: Plan) -> set[tuple[str, str, str]]:
    """``(email, program, planned_on)`` of every planned invitation."""
    return {(p.email, p.program, p.planned_on.isoformat()) for p in plan.planned}


# -- the same in a workspace ------------------------------------------------------------------------
def db_account(conn, id: int, name: str, *, status: str = "active", since: str | None = None,
               renewal: str | None = None) -> None:
    conn.execute("INSERT INTO accounts(id, name, status, customer_since, renewal_date) VALUES (?, ?, ?, ?, ?)",
                 (id, name, status, since, renewal))


def db_contact(conn, id: int, account_id: int | None, email: str | None = None, *, first: str | None = None,
               last: str | None = None, opted_out: int = 0, bounced: int = 0) -> None:
    conn.execute("INSERT INTO contacts(id, email, first_name, last_name, account_id, opted_out, bounced) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (id, email or f"c{id}@example.com", first, last, account_id, opted_out, bounced))


def db_response(conn, day: str, *, contact_id: int | None = None, email: str | None = None, kind: str = "rnps",
                score: int = 9, program_id: int | None = None) -> int:
    insert_responses(conn, [{"score": score, "responded_at": f"{day}T10:00:00", "kind": kind,
                             "contact_id": contact_id, "email": email, "program_id": program_id}])
    return conn.execute("SELECT max(id) FROM responses").fetchone()[0]


def db_acme(conn) -> None:
    """Acme (a customer since 2026-06-01) with contacts c1..c5 (First<i> Last<i>); Gone Ltd (churned)
    with c6."""
    db_account(conn, 1, "Acme", since="2026-06-01")
    db_account(conn, 2, "Gone Ltd", status="churned")
    for i in range(1, 6):
        db_contact(conn, i, 1, first=f"First{i}", last=f"Last{i}")
    db_contact(conn, 6, 2)
