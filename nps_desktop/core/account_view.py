"""The accounts page: the account rollup with ARR, renewal, open actions and an NPS sparkline per
account, and one account's timeline of responses, actions and revenue events.

An account's NPS is DESIGN.md's rollup (the true NPS of its contacts' latest responses in the window,
from ``analytics.account_scores``), never an average score.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from . import analytics, labels, nps, periods
from .snapshot import figures, store
from .workspace import Workspace
from . import clock

SPARK_QUARTERS = 8


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    tier: str | None
    region: str | None
    industry: str | None
    owner: str | None
    lifecycle_stage: str | None
    status: str
    arr: float | None
    renewal_date: str | None
    score: nps.AccountScore | None      # the rollup in the window; None without responses there
    trend: tuple[float | None, ...]     # NPS per quarter of ``AccountTable.quarters``
    open_actions: int

    @property
    def nps(self) -> float | None:
        return self.score.nps if self.score else None

    @property
    def contacts(self) -> int:
        """How many latest responses (one per contact) the rollup counts."""
        return self.score.result.responses if self.score else 0


@dataclass(frozen=True)
class AccountTable:
    quarters: tuple[str, ...]           # the sparkline's quarters, oldest first
    rows: list[AccountRow]


def _account_filter(filters: analytics.Filters) -> tuple[str, list[Any]]:
    """The filters' account fields as a WHERE on ``accounts a``."""
    tests, params = [], []
    for dim, allowed in sorted(filters.values.items()):
        if allowed and analytics.level(dim) == "a":
            named = [v for v in allowed if v != analytics.BLANK]
            parts = [f"{analytics.DIMENSIONS[dim]} IN ({','.join('?' * len(named))})"] if named else []
            if analytics.BLANK in allowed:
                parts.append(f"{analytics.DIMENSIONS[dim]} IS NULL")
            tests.append("(" + " OR ".join(parts) + ")")
            params.extend(named)
    return (" WHERE " + " AND ".join(tests)) if tests else "", params


def spark_quarters(ws: Workspace, filters: analytics.Filters, today: date | None = None,
                   n: int = SPARK_QUARTERS) -> tuple[str, ...]:
    """The ``n`` quarters ending with the one the window ends in (today's, for an open window)."""
    fy = analytics.fiscal_year_start(ws)
    end = periods.quarter_key(filters.date_to or today or clock.today(), fy)
    return tuple(periods.shift(end, i - n + 1, fy) for i in range(n))


def quarterly_nps(ws: Workspace, filters: analytics.Filters, quarters: tuple[str, ...]
                  ) -> dict[int, dict[str, nps.NpsResult]]:
    """NPS of each account's responses per quarter (all responses, not the rollup), other filters kept.

    One ordered scan per account: column k sums the packed categories of the responses before the end
    of quarter k, so a quarter is the difference of two neighbours (no sort of the responses).
    """
    fy = analytics.fiscal_year_start(ws)
    ends = [periods.bounds(q, fy)[1] for q in quarters]
    span = filters.with_dates(periods.bounds(quarters[0], fy)[0], ends[-1])
    snap = store.current(ws)
    if snap is not None:  # the snapshot's counts; the SQL below is their reference
        return {a: {q: nps.from_counts(*c) for q, c in zip(quarters, counts) if c is not None}
                for a, counts in figures.per_quarter(snap, snap.mask(span), ends).items()}
    _, cond, params = analytics.where(span, date_index=False)
    cond = analytics._and(cond, "r.account_id IS NOT NULL")
    cumulative = ", ".join(f"sum(CASE WHEN r.responded_on <= ? THEN {analytics._CODE} ELSE 0 END)"
                           for _ in ends)
    rows = ws.conn.execute(f"SELECT r.account_id, {cumulative} FROM responses r{cond} GROUP BY r.account_id",
                           [e.isoformat() for e in ends] + params)
    out: dict[int, dict[str, nps.NpsResult]] = {}
    for account_id, *sums in rows:
        per, before = {}, 0
        for q, total in zip(quarters, sums):
            if total != before:
                per[q] = nps.from_counts(*analytics.unpack(total - before))
            before = total
        out[account_id] = per
    return out


def account_table(ws: Workspace, filters: analytics.Filters, today: date | None = None) -> AccountTable:
    """Every account the filters' account fields allow, with its rollup in the window."""
    filters = analytics.resolve(ws, filters, today)
    scores = analytics.account_scores(ws, filters)
    quarters = spark_quarters(ws, filters, today)
    per_quarter = quarterly_nps(ws, filters, quarters)
    open_actions = dict(ws.conn.execute(
        "SELECT account_id, count(*) FROM actions WHERE status <> 'done' AND account_id IS NOT NULL "
        "GROUP BY account_id").fetchall())
    cond, params = _account_filter(filters)
    rows = []
    for r in ws.conn.execute(
            f"SELECT a.id, a.name, a.tier, a.region, a.industry, a.owner, a.lifecycle_stage, a.status, "
            f"a.arr, a.renewal_date FROM accounts a{cond} ORDER BY a.name", params):
        series = per_quarter.get(r[0], {})
        trend = tuple(series[q].nps if q in series else None for q in quarters)
        rows.append(AccountRow(*r, scores.get(r[0]), trend, open_actions.get(r[0], 0)))
    return AccountTable(quarters, rows)


# -- one account ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineItem:
    on: str                  # ISO date or date-time
    kind: str                # response | action | revenue
    title: str
    detail: str
    score: int | None = None
    amount: float | None = None
    ref: int | None = None   # the response, action or revenue event id


def account_info(ws: Workspace, account_id: int) -> dict[str, Any]:
    row = ws.conn.execute("SELECT * FROM accounts WHERE id = ?", (account_id,)).fetchone()
    if row is None:
        raise ValueError(f"no account {account_id}")
    out = dict(row)
    out["contacts"] = ws.scalar("SELECT count(*) FROM contacts WHERE account_id = ?", (account_id,))
    out["open_actions"] = ws.scalar("SELECT count(*) FROM actions WHERE account_id = ? AND status <> 'done'",
                                    (account_id,))
    return out


def timeline(ws: Workspace, account_id: int) -> list[TimelineItem]:
    """Every response, action and revenue event of an account, newest first."""
    items = []
    for r in ws.conn.execute(
            "SELECT r.id, r.responded_at, r.score, r.original_score, r.kind, r.touchpoint, r.comment, "
            "r.email, c.first_name, c.last_name, c.role FROM responses r "
            "LEFT JOIN contacts c ON c.id = r.contact_id WHERE r.account_id = ?", (account_id,)):
        who = " ".join(x for x in (r["first_name"], r["last_name"]) if x) or r["email"] or "unknown contact"
        role = f" ({r['role']})" if r["role"] else ""
        corrected = f", corrected from {r['original_score']}" if r["original_score"] is not None else ""
        items.append(TimelineItem(
            r["responded_at"], "response",
            f"{analytics.KIND_LABELS.get(r['kind'], r['kind'])} {r['touchpoint'] or ''} response: "
            f"{r['score']} ({nps.classify(r['score'])}{corrected})".replace("  ", " "),
            f"{who}{role}" + (f" — “{r['comment']}”" if r["comment"] else ""), r["score"], None, r["id"]))
    for a in ws.conn.execute(
            "SELECT a.id, a.play, p.name AS play_name, a.owner, a.due, a.status, a.outcome, a.notes, a.created_at, "
            "a.closed_at FROM actions a LEFT JOIN plays p ON p.key = a.play WHERE a.account_id = ?", (account_id,)):
        parts = [f"owner {a['owner']}" if a["owner"] else "no owner", f"due {a['due']}" if a["due"] else ""]
        if a["outcome"]:
            parts.append(f"outcome: {labels.display('outcome', a['outcome'])}")
        if a["notes"]:
            parts.append(a["notes"])
        items.append(TimelineItem(a["created_at"], "action",
                                  f"Action: {a['play_name'] or labels.display('play', a['play'])} "
                                  f"({labels.display('status', a['status']).lower()})",
                                  " · ".join(p for p in parts if p), None, None, a["id"]))
    for e in ws.conn.execute(
            "SELECT id, kind, occurred_on, arr_before, arr_change, note FROM revenue_events "
            "WHERE account_id = ?", (account_id,)):
        items.append(TimelineItem(e["occurred_on"], "revenue", e["kind"].replace("_", " ").capitalize(),
                                  e["note"] or "", None, e["arr_change"], e["id"]))
    return sorted(items, key=lambda i: (i.on, i.kind, i.ref or 0), reverse=True)
