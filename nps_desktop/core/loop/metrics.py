"""Loop metrics: is the loop closed, how fast, and does it work?

Over the actions whose response date (creation date when the response is gone) lies in the window:

- ``sla_share``: of detractor save actions already touched or past due, the share first touched on or
  before their due date (the SLA);
- ``median_first_touch_days``: median days from the response to the first touch (leaving ``open``);
- ``median_close_days``: median days from the response to ``done``;
- ``save_rate``: of save actions whose detractor has answered again since, or whose account has renewed
  or churned since, the share whose next score was 7 or more or whose account renewed (as reported);
- ``save_rate_reconciled``: the same, where a save counts only if the account did not churn within
  ``save_window_days`` (180) of the response: the figure that agrees with the revenue events;
- ``reference_yield``: of advocacy asks that are done, the share with a reference secured or a review
  posted.

Everything is as of ``today``: actions created by then, with the status, first touch and close their
history gives for that day (``core.as_of``), and only the responses and revenue events dated by then,
so a report on a past quarter reads the same whenever it is built. Days are fractional (hours / 24),
rounded to 2 decimals.
"""
from __future__ import annotations

import sqlite3
import statistics
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

from .. import as_of, clock, settings
from ..workspace import Workspace

SAVE_PLAYS = ("detractor_save",)
ADVOCACY_PLAYS = ("promoter_advocacy",)
REFERENCE_OUTCOMES = ("reference_secured", "review_posted")


@dataclass(frozen=True)
class Timing:
    """How many actions, how many touched and done, and the median days to first touch and to close."""

    actions: int
    touched: int
    done: int
    median_first_touch_days: float | None
    median_close_days: float | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LoopMetrics:
    """What the dashboard, the actions page, the pack and ``actions --metrics --json`` show (see above)."""

    date_from: str | None
    date_to: str | None
    actions: int
    touched: int
    done: int
    median_first_touch_days: float | None
    median_close_days: float | None
    open: int
    in_progress: int
    overdue: int
    sla_actions: int
    sla_met: int
    sla_share: float | None
    saves_resolved: int
    saved: int
    save_rate: float | None
    saved_reconciled: int
    save_window_days: int
    save_rate_reconciled: float | None
    advocacy_done: int
    references: int
    reference_yield: float | None
    by_play: dict[str, Timing]

    def as_json(self) -> dict[str, Any]:
        """The CLI's document: ``from`` and ``to``, then every figure, then ``by_play``."""
        doc: dict[str, Any] = {"from": self.date_from, "to": self.date_to}
        for f in fields(self)[2:-1]:
            doc[f.name] = getattr(self, f.name)
        doc["by_play"] = {play: t.as_json() for play, t in self.by_play.items()}
        return doc


def _days(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    a = datetime.fromisoformat(start).replace(tzinfo=None)
    b = datetime.fromisoformat(end).replace(tzinfo=None)
    return (b - a).total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _share(part: int, whole: int) -> float | None:
    return None if not whole else round(part / whole, 4)


def _scoped(conn: sqlite3.Connection, date_from: date | None, date_to: date | None, today: date,
            window: int) -> list[dict]:
    """The actions in scope as they stood at the end of ``today``."""
    clauses = []
    start = "coalesce(r.responded_on, substr(a.created_at, 1, 10))"
    if date_from:
        clauses.append(f"{start} >= :date_from")
    if date_to:
        clauses.append(f"{start} <= :date_to")
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = conn.execute(
        "SELECT a.id, a.play, a.status, a.outcome, a.due, a.account_id, a.contact_id, a.first_touch_at, "
        "a.closed_at, coalesce(r.responded_at, a.created_at) AS start, r.responded_on, r.responded_at, "
        "(SELECT n.score FROM responses n WHERE n.contact_id = a.contact_id AND n.responded_at > r.responded_at "
        " AND n.responded_on <= :today ORDER BY n.responded_at, n.id LIMIT 1) AS next_score, "
        "(SELECT count(*) FROM revenue_events e WHERE e.account_id = a.account_id AND e.kind = 'renewal' "
        " AND e.occurred_on > r.responded_on AND e.occurred_on <= :today) AS renewals, "
        "(SELECT count(*) FROM revenue_events e WHERE e.account_id = a.account_id AND e.kind = 'churn' "
        " AND e.occurred_on > r.responded_on AND e.occurred_on <= :today) AS churns, "
        "(SELECT count(*) FROM revenue_events e WHERE e.account_id = a.account_id AND e.kind = 'churn' "
        " AND e.occurred_on > r.responded_on AND e.occurred_on <= :today "
        " AND e.occurred_on <= date(r.responded_on, :window)) AS churned_within "
        f"FROM actions a LEFT JOIN responses r ON r.id = a.response_id{where} ORDER BY a.id",
        {"date_from": date_from and date_from.isoformat(), "date_to": date_to and date_to.isoformat(),
         "today": today.isoformat(), "window": f"+{int(window)} days"}).fetchall()
    states = as_of.action_states(conn, today)
    return [{**dict(r), **states[r["id"]]} for r in rows if r["id"] in states]


def _timing(rows: list[dict]) -> Timing:
    touch = [d for r in rows if (d := _days(r["start"], r["first_touch_at"])) is not None]
    close = [d for r in rows if r["status"] == "done" and (d := _days(r["start"], r["closed_at"])) is not None]
    return Timing(len(rows), len(touch), sum(r["status"] == "done" for r in rows), _median(touch), _median(close))


def loop_metrics(ws: Workspace, date_from: date | None = None, date_to: date | None = None,
                 today: date | None = None) -> LoopMetrics:
    """What the dashboard and ``actions --metrics --json`` show."""
    today = today or clock.today()
    today_s = today.isoformat()
    window = settings.get(ws, settings.SAVE_WINDOW_DAYS)
    rows = _scoped(ws.conn, date_from, date_to, today, window)
    saves = [r for r in rows if r["play"] in SAVE_PLAYS]
    sla_due = [r for r in saves if r["first_touch_at"] or (r["due"] and r["due"] < today_s)]
    sla_met = [r for r in sla_due if r["first_touch_at"] and r["due"] and r["first_touch_at"][:10] <= r["due"]]
    resolved = [r for r in saves if r["responded_on"] and
                (r["next_score"] is not None or r["renewals"] or r["churns"])]
    saved = [r for r in resolved if (r["next_score"] is not None and r["next_score"] >= 7) or r["renewals"]]
    kept = [r for r in saved if not r["churned_within"]]
    asks = [r for r in rows if r["play"] in ADVOCACY_PLAYS and r["status"] == "done"]
    refs = [r for r in asks if r["outcome"] in REFERENCE_OUTCOMES]
    by_play: dict[str, Timing] = {}
    for play in sorted({r["play"] for r in rows}):
        by_play[play] = _timing([r for r in rows if r["play"] == play])
    timing = _timing(rows)
    return LoopMetrics(
        date_from.isoformat() if date_from else None, date_to.isoformat() if date_to else None,
        timing.actions, timing.touched, timing.done, timing.median_first_touch_days, timing.median_close_days,
        open=sum(r["status"] == "open" for r in rows),
        in_progress=sum(r["status"] == "in_progress" for r in rows),
        overdue=sum(r["status"] != "done" and bool(r["due"]) and r["due"] < today_s for r in rows),
        sla_actions=len(sla_due), sla_met=len(sla_met), sla_share=_share(len(sla_met), len(sla_due)),
        saves_resolved=len(resolved), saved=len(saved), save_rate=_share(len(saved), len(resolved)),
        saved_reconciled=len(kept), save_window_days=window,
        save_rate_reconciled=_share(len(kept), len(resolved)),
        advocacy_done=len(asks), references=len(refs), reference_yield=_share(len(refs), len(asks)),
        by_play=by_play)
