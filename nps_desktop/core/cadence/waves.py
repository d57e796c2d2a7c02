"""Waves after planning: record a wave as sent, match later responses back, response rates.

Marking a wave sent writes one ``invitations`` row per planned invitation of the wave (status
``sent``, sent on its planned day unless another day is given); the planner then treats them as
history and never plans that wave for those contacts again. Reminders are not invitations and are not
recorded. A response matches a sent invitation of the same contact when it is of the program's kind,
names no other program, and came on or within ``window_days`` after the sending.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from ..workspace import Workspace
from .planner import Plan

RESPONSE_WINDOW_DAYS = 30
_SENT = ("sent", "responded", "bounced")


def mark_wave_sent(ws: Workspace, plan: Plan, wave: str, sent_on: date | None = None) -> int:
    """Record the planned invitations of ``wave`` as sent; returns how many were recorded.

    Invitations already recorded for the same contact, program and wave are not recorded twice.
    """
    rows = [p for p in plan.planned if p.wave == wave]
    if not rows:
        known = ", ".join(w.name for w in plan.waves if w.planned) or "none"
        raise ValueError(f"nothing is planned in a wave called {wave!r}; waves with invitations: {known}")
    with ws.transaction() as conn:
        done = {(r[0], r[1]) for r in conn.execute(
            "SELECT contact_id, program_id FROM invitations WHERE wave = ?", (wave,))}
        fresh = [(p.contact_id, p.program_id, wave, p.trigger, p.planned_on.isoformat(),
                  (sent_on or p.planned_on).isoformat(), p.detail)
                 for p in rows if (p.contact_id, p.program_id) not in done]
        conn.executemany("INSERT INTO invitations(contact_id, program_id, wave, trigger, planned_on, sent_on, "
                         "status, reason) VALUES (?, ?, ?, ?, ?, ?, 'sent', ?)", fresh)
    return len(fresh)


def unmark_wave(ws: Workspace, wave: str) -> int:
    """Undo ``mark_wave_sent`` for invitations of ``wave`` that no response has matched yet."""
    with ws.transaction() as conn:
        return conn.execute("DELETE FROM invitations WHERE wave = ? AND status = 'sent' AND response_id IS NULL",
                            (wave,)).rowcount


def match_responses(ws: Workspace, window_days: int = RESPONSE_WINDOW_DAYS) -> int:
    """Link responses to the sent invitations they answer; returns how many were matched.

    Each invitation, oldest first, takes the earliest unclaimed response of its contact (by contact
    or email), of its program's kind, naming its program or none, from its sending day to
    ``window_days`` after.
    """
    invitations = ws.query(
        "SELECT i.id, i.contact_id, i.program_id, i.sent_on, p.kind FROM invitations i "
        "JOIN programs p ON p.id = i.program_id "
        "WHERE i.status = 'sent' AND i.response_id IS NULL AND i.sent_on IS NOT NULL ORDER BY i.sent_on, i.id")
    if not invitations:
        return 0
    first = min(r["sent_on"] for r in invitations)
    claimed = {r[0] for r in ws.query("SELECT response_id FROM invitations WHERE response_id IS NOT NULL")}
    answers: dict[int, list[tuple[str, int, str, int | None]]] = defaultdict(list)
    for r in ws.query(
            "SELECT r.id, coalesce(r.contact_id, c.id) AS cid, r.responded_on, r.kind, r.program_id "
            "FROM responses r LEFT JOIN contacts c ON r.contact_id IS NULL AND c.email = r.email "
            "WHERE r.responded_on >= ? ORDER BY r.responded_on, r.id", (first,)):
        if r["cid"] is not None and r["id"] not in claimed:
            answers[r["cid"]].append((r["responded_on"], r["id"], r["kind"], r["program_id"]))
    matches = []
    for inv in invitations:
        mine = answers.get(inv["contact_id"])
        if not mine:
            continue
        last = (date.fromisoformat(inv["sent_on"][:10]) + timedelta(days=window_days)).isoformat()
        k = bisect_left(mine, (inv["sent_on"][:10],))
        while k < len(mine) and mine[k][0] <= last:
            day, rid, kind, program_id = mine[k]
            if rid not in claimed and kind == inv["kind"] and program_id in (None, inv["program_id"]):
                claimed.add(rid)
                matches.append((rid, inv["id"]))
                break
            k += 1
    with ws.transaction() as conn:
        conn.executemany("UPDATE invitations SET status = 'responded', response_id = ? WHERE id = ?", matches)
    return len(matches)


@dataclass(frozen=True)
class Rate:
    """Response rate of one wave or program: invitations sent, responses matched, their share."""
    key: str
    program: str
    kind: str
    sent: int
    responded: int
    first_sent: str | None
    last_sent: str | None

    @property
    def rate(self) -> float | None:
        return None if not self.sent else 100.0 * self.responded / self.sent


def response_rates(ws: Workspace, by: str = "wave") -> list[Rate]:
    """Response rates per ``wave`` (newest first) or per ``program`` (by name)."""
    if by not in ("wave", "program"):
        raise ValueError("response rates are by wave or by program")
    key = "i.wave" if by == "wave" else "p.name"
    rows = ws.query(
        f"SELECT {key} AS k, coalesce(p.name, '') AS program, coalesce(p.kind, '') AS kind, count(*) AS sent, "
        "sum(i.status = 'responded') AS responded, min(i.sent_on) AS first, max(i.sent_on) AS last "
        "FROM invitations i LEFT JOIN programs p ON p.id = i.program_id "
        f"WHERE i.status IN {_SENT} GROUP BY k, program, kind "
        + ("ORDER BY last DESC, k" if by == "wave" else "ORDER BY program"))
    return [Rate(r["k"] or "(no wave)", r["program"], r["kind"], r["sent"], r["responded"] or 0,
                 r["first"], r["last"]) for r in rows]


def sent_waves(ws: Workspace) -> dict[str, int]:
    """Recorded waves and how many invitations each holds."""
    return {r[0]: r[1] for r in ws.query(
        f"SELECT wave, count(*) FROM invitations WHERE wave IS NOT NULL AND status IN {_SENT} GROUP BY wave")}
