"""Outcomes by NPS category: renewal, churn and expansion of promoter, passive and detractor accounts.

Each revenue event is attributed to its account's category at that moment: the DESIGN.md rollup (each
contact's latest response, the category of the mean score rounded half up) over the 365 days before the
event's date, that day excluded; an account with no response in that window is ``unscored``.

Per category, over the events dated in a window (``category_table``, what ``revenue --json`` prints):

- ``accounts``: distinct accounts with an event in that category;
- ``renewals``, ``churns``: event counts; ``renewal_rate`` = renewals / (renewals + churns),
  ``churn_rate`` = churns / (renewals + churns) (fractions; None when there are neither);
- ``churned_arr``: ARR lost by churn events; ``churn_rate_arr`` = churned ARR / (renewed + churned ARR);
- ``expansion_rate``: the fraction of those accounts with an upsell or cross_sell event;
- ``avg_expansion_arr``: the mean ARR change of the upsell and cross_sell events;
- ``nrr``: (starting ARR + expansion − downsell − churn) / starting ARR of those accounts, where an
  account's starting ARR is its ARR just before its first event of that category in the window (after
  it, when that event is ``new``).

ARR lost by a churn is −arr_change, or the ARR before it when the change was left at 0. A missing
``arr_before`` is the ARR after the account's previous event (0 before a ``new`` one).
"""
from __future__ import annotations

import sqlite3
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .loop import health
from .loop.plays import load_plays_in
from .loop.signals import account_rollup_in
from . import clock, labels, revenue_events, settings
from .nps import wilson95
from .snapshot import figures, store
from .workspace import Workspace

EVENT_KINDS = ("renewal", "churn", "upsell", "cross_sell", "downsell", "new")
KIND_LABELS = labels.REVENUE_KIND
CATEGORIES = ("promoter", "passive", "detractor", "unscored")
EXPANSION = ("upsell", "cross_sell")
#: The attribution window: the 365 days before an event.
WINDOW_DAYS = 365


@dataclass(frozen=True)
class Event:
    id: int
    account_id: int
    account_name: str
    kind: str
    occurred_on: str
    arr_before: float          # as stored, or derived from the account's earlier events
    arr_change: float
    note: str | None
    category: str              # promoter, passive, detractor or unscored
    nps: float | None          # the account's NPS in the attribution window

    @property
    def arr_after(self) -> float:
        return self.arr_before + self.arr_change

    @property
    def lost(self) -> float:
        """ARR lost by a churn or downsell (0 for other kinds)."""
        if self.kind == "churn":
            return -self.arr_change if self.arr_change else self.arr_before
        return -self.arr_change if self.kind == "downsell" else 0.0


def events(conn: sqlite3.Connection, date_from: date | None = None, date_to: date | None = None,
           account_ids: list[int] | None = None) -> list[Event]:
    """Revenue events dated in the window (inclusive), each with its account's category then."""
    lo, hi = (date_from or date.min).isoformat(), (date_to or date.max).isoformat()
    found = [(r, before) for r, before in revenue_events.with_arr_before(revenue_events.rows(conn, account_ids))
             if lo <= r["occurred_on"][:10] <= hi]
    cache = _categories(conn, {(r["account_id"], r["occurred_on"][:10]) for r, _ in found})
    out = []
    for r, before in found:
        day = r["occurred_on"][:10]
        key = (r["account_id"], day)
        if key not in cache:
            cache[key] = category_at(conn, r["account_id"], date.fromisoformat(day))
        category, nps_then = cache[key]
        out.append(Event(r["id"], r["account_id"], r["name"], r["kind"], day, before, r["arr_change"] or 0.0,
                         r["note"], category, nps_then))
    return sorted(out, key=lambda e: (e.occurred_on, e.id))


def _categories(conn: sqlite3.Connection, keys: set[tuple[int, str]]) -> dict[tuple[int, str], tuple[str, float | None]]:
    """``category_at`` of each (account, ISO day), all at once from the snapshot when one is current
    (else none here: ``events`` asks ``category_at`` one by one)."""
    snap = store.current_for(conn)
    if snap is None or not keys:
        return {}
    ordered = sorted(keys)
    windows = []
    for account_id, day in ordered:
        on = date.fromisoformat(day)
        windows.append((account_id, on - timedelta(days=WINDOW_DAYS), on - timedelta(days=1)))
    return {k: ("unscored", None) if s is None else (s.category, s.nps)
            for k, s in zip(ordered, figures.window_rollups(snap, windows))}


def category_at(conn: sqlite3.Connection, account_id: int, day: date) -> tuple[str, float | None]:
    """The account's category and NPS over the 365 days before ``day`` (that day excluded)."""
    scores = account_rollup_in(conn, day - timedelta(days=WINDOW_DAYS), day - timedelta(days=1), [account_id])
    s = scores.get(account_id)
    return ("unscored", None) if s is None else (s.category, s.nps)


def default_window(today: date) -> tuple[date, date]:
    """The event window the Revenue page and ``revenue`` use by default: the 12 months to ``today``."""
    return today - timedelta(days=364), today


def _ratio(a: float, b: float, digits: int = 4) -> float | None:
    return None if not b else round(a / b, digits)


def rate(successes: int, n: int, min_accounts: int) -> dict[str, Any]:
    """A rate with its n, Wilson 95% interval and whether n reaches the minimum (``min_accounts``)."""
    ci = wilson95(successes, n)
    return {"rate": _ratio(successes, n), "n": n, "low": None if ci is None else round(ci[0], 4),
            "high": None if ci is None else round(ci[1], 4), "small_sample": n < min_accounts}


def _summary(category: str, evs: list[Event], min_accounts: int = 10) -> dict[str, Any]:
    accounts = sorted({e.account_id for e in evs})
    renewals = [e for e in evs if e.kind == "renewal"]
    churns = [e for e in evs if e.kind == "churn"]
    expansions = [e for e in evs if e.kind in EXPANSION]
    expansion = sum(e.arr_change for e in expansions)
    downsell = sum(e.lost for e in evs if e.kind == "downsell")
    churned = sum(e.lost for e in churns)
    renewed = sum(e.arr_before for e in renewals)
    first: dict[int, Event] = {}
    for e in evs:  # evs are in date order
        first.setdefault(e.account_id, e)
    starting = sum(e.arr_after if e.kind == "new" else e.arr_before for e in first.values())
    return {
        "category": category, "accounts": len(accounts), "events": len(evs),
        "renewals": len(renewals), "churns": len(churns),
        "renewal_rate": _ratio(len(renewals), len(renewals) + len(churns)),
        "churn_rate": _ratio(len(churns), len(renewals) + len(churns)),
        "renewed_arr": round(renewed, 2), "churned_arr": round(churned, 2),
        "churn_rate_arr": _ratio(churned, renewed + churned),
        "expansions": len(expansions),
        "expansion_rate": _ratio(len({e.account_id for e in expansions}), len(accounts)),
        "expansion_arr": round(expansion, 2),
        "avg_expansion_arr": round(statistics.fmean(e.arr_change for e in expansions), 2) if expansions else None,
        "downsell_arr": round(downsell, 2), "starting_arr": round(starting, 2),
        "nrr": _ratio(starting + expansion - downsell - churned, starting),
        # each rate with its n and Wilson 95% interval; below the minimum the app and the pack grey it
        "renewal": rate(len(renewals), len(renewals) + len(churns), min_accounts),
        "churn": rate(len(churns), len(renewals) + len(churns), min_accounts),
        "expansion": rate(len({e.account_id for e in expansions}), len(accounts), min_accounts),
        "nrr_small_sample": len(first) < min_accounts,
    }


def category_table(conn: sqlite3.Connection, date_from: date | None = None, date_to: date | None = None,
                   evs: list[Event] | None = None) -> list[dict[str, Any]]:
    """One row per category (promoter, passive, detractor, unscored), in that order (``evs``: the
    window's events, when already at hand)."""
    evs = events(conn, date_from, date_to) if evs is None else evs
    least = int(settings.get_in(conn, "min_accounts"))
    return [_summary(c, [e for e in evs if e.category == c], least) for c in CATEGORIES]


# -- ARR over time ---------------------------------------------------------------------------------
def arr_over_time(conn: sqlite3.Connection, account_id: int) -> list[dict[str, Any]]:
    """The account's ARR after each of its events, oldest first."""
    return [{"date": r["occurred_on"][:10], "kind": r["kind"], "arr_before": before,
             "arr_change": r["arr_change"] or 0.0, "arr": before + (r["arr_change"] or 0.0), "event_id": r["id"]}
            for r, before in revenue_events.with_arr_before(revenue_events.rows(conn, [account_id]))]


def arr_at(conn: sqlite3.Connection, account_id: int, day: date) -> float:
    """The account's ARR after every event dated on or before ``day`` (0 before its first)."""
    points = [p for p in arr_over_time(conn, account_id) if p["date"] <= day.isoformat()]
    return points[-1]["arr"] if points else 0.0


# -- the rest of the Revenue page --------------------------------------------------------------------
def nps_vs_expansion(conn: sqlite3.Connection, date_from: date | None = None, date_to: date | None = None,
                     today: date | None = None, evs: list[Event] | None = None) -> list[dict[str, Any]]:
    """Per scored account: its NPS over the 365 days up to the window's end, and its expansion in the window."""
    end = date_to or today or clock.today()
    scores = account_rollup_in(conn, end - timedelta(days=WINDOW_DAYS - 1), end)
    expansion: dict[int, float] = {}
    for e in events(conn, date_from, date_to) if evs is None else evs:
        if e.kind in EXPANSION:
            expansion[e.account_id] = expansion.get(e.account_id, 0.0) + e.arr_change
    names = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, name, arr FROM accounts")}
    return [{"account_id": a, "name": names[a][0], "arr": names[a][1], "nps": s.nps, "category": s.category,
             "expansion_arr": round(expansion.get(a, 0.0), 2)} for a, s in sorted(scores.items())]


def maturity(conn: sqlite3.Connection, date_from: date | None = None, date_to: date | None = None,
             today: date | None = None, evs: list[Event] | None = None) -> dict[str, Any]:
    """The program's maturity figures over the window (promoters: latest answers in the year to its end)."""
    end = date_to or today or clock.today()
    lo, hi = (date_from or date.min).isoformat(), end.isoformat()
    promoter_plays = [p.key for p in load_plays_in(conn) if p.category == "promoter"] or ["promoter_advocacy"]
    snap = store.current_for(conn)
    if snap is not None:  # the counts from the snapshot; the SQL below is their reference
        counts = figures.maturity_counts(snap, date_from, end, end - timedelta(days=WINDOW_DAYS - 1))
        n, mapped = counts["responses"], counts["mapped_active"]
        covered = {r[0] for r in conn.execute(
            f"SELECT DISTINCT account_id FROM actions WHERE status <> 'done' AND account_id IS NOT NULL "
            f"AND play IN ({','.join('?' * len(promoter_plays))})", promoter_plays)}
        accounts = counts["promoter_accounts"]
        promoters = (len(accounts), sum(a in covered for a in accounts))
    else:
        n, mapped, promoters = _maturity_sql(conn, lo, hi, promoter_plays, end)
    evs = [e for e in (events(conn, date_from, date_to) if evs is None else evs) if e.kind in EXPANSION]
    total = sum(e.arr_change for e in evs)
    from_promoters = sum(e.arr_change for e in evs if e.category == "promoter")
    return {"responses": n, "mapped_active": mapped, "mapped_active_share": _ratio(mapped, n),
            "promoters": promoters[0], "promoters_covered": promoters[1],
            "promoter_coverage": _ratio(promoters[1], promoters[0]),
            "expansion_arr": round(total, 2), "expansion_arr_promoters": round(from_promoters, 2),
            "expansion_share_promoters": _ratio(from_promoters, total)}


def _maturity_sql(conn: sqlite3.Connection, lo: str, hi: str, promoter_plays: list[str],
                  end: date) -> tuple[int, int, tuple[int, int]]:
    """``maturity``'s counts in SQL: responses, those mapped to active accounts, and the promoters
    (contacts' latest answers in the year to ``end``) and how many of them are covered by a play."""
    n, mapped = conn.execute(
        "SELECT count(*), count(a.id) FROM responses r LEFT JOIN accounts a ON a.id = r.account_id "
        "AND a.status = 'active' WHERE r.responded_on BETWEEN ? AND ?", (lo, hi)).fetchone()
    promoters = conn.execute(
        f"""SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM actions x WHERE x.account_id = l.account_id
                AND x.status <> 'done' AND x.play IN ({','.join('?' * len(promoter_plays))}))), 0)
            FROM (SELECT r.contact_id, r.account_id, r.score,
                         row_number() OVER (PARTITION BY r.contact_id ORDER BY r.responded_at DESC, r.id DESC) k
                  FROM responses r WHERE r.contact_id IS NOT NULL AND r.responded_on BETWEEN ? AND ?) l
            JOIN accounts a ON a.id = l.account_id AND a.status = 'active'
            WHERE l.k = 1 AND l.score >= 9""",
        (*promoter_plays, (end - timedelta(days=WINDOW_DAYS - 1)).isoformat(), hi)).fetchone()
    return n, mapped, (promoters[0], promoters[1])


def at_risk(conn: sqlite3.Connection, today: date | None = None) -> dict[str, Any]:
    """ARR at risk within 90 and 180 days: detractor or falling accounts renewing by then."""
    longest = health.arr_at_risk_in(conn, 180, today)
    out = {}
    for days in (90, 180):
        rows = [r for r in longest if r.days_to_renewal <= days]
        out[str(days)] = {"arr": round(health.arr_at_risk_total(rows), 2), "accounts": [r.as_json() for r in rows]}
    return out


def report(ws: Workspace, date_from: date | None = None, date_to: date | None = None,
           today: date | None = None) -> dict[str, Any]:
    """What ``revenue --json`` prints and the Revenue page shows."""
    conn = ws.conn
    today = today or clock.today()
    evs = events(conn, date_from, date_to)
    return {"from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
            "categories": category_table(conn, date_from, date_to, evs),
            "arr_at_risk": at_risk(conn, date_to or today),
            "maturity": maturity(conn, date_from, date_to, today, evs),
            "nps_vs_expansion": nps_vs_expansion(conn, date_from, date_to, today, evs)}


# -- entering an event by hand ---------------------------------------------------------------------
def account_choices(ws: Workspace) -> list[tuple[int, str, float | None]]:
    """Every account as (id, name, ARR), by name, for pick lists."""
    return [tuple(r) for r in ws.conn.execute("SELECT id, name, arr FROM accounts ORDER BY name COLLATE NOCASE, id")]


def add_event(ws: Workspace, account_id: int, kind: str, occurred_on: date, arr_change: float,
              arr_before: float | None = None, note: str | None = None) -> int:
    """Record a revenue event; when it is the account's latest, the account's ARR and status follow it."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"revenue event kind {kind!r} is not one of {', '.join(EVENT_KINDS)}")
    if kind in ("churn", "downsell") and arr_change > 0:
        raise ValueError(f"{KIND_LABELS[kind]} lowers ARR: write its ARR change as a negative number, "
                         f"not {arr_change:+,.0f}")
    if kind in EXPANSION + ("new",) and arr_change < 0:
        raise ValueError(f"{KIND_LABELS[kind]} raises ARR: write its ARR change as a positive number, "
                         f"not {arr_change:+,.0f}")
    with ws.transaction() as conn:
        account = conn.execute("SELECT id, status FROM accounts WHERE id = ?", (account_id,)).fetchone()
        if account is None:
            raise ValueError(f"there is no account {account_id}")
        history = arr_over_time(conn, account_id)
        earlier = [p for p in history if p["date"] <= occurred_on.isoformat()]
        if arr_before is None:
            arr_before = 0.0 if kind == "new" else (earlier[-1]["arr"] if earlier else 0.0)
        if kind == "churn" and not arr_change:
            arr_change = -arr_before
        cur = conn.execute("INSERT INTO revenue_events(account_id, kind, occurred_on, arr_before, arr_change, note) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           (account_id, kind, occurred_on.isoformat(), arr_before, arr_change, note or None))
        if len(earlier) == len(history):  # the latest event: the account is what it says now
            status = "churned" if kind == "churn" else "active" if account["status"] == "churned" \
                and kind in ("new", "renewal") else account["status"]
            conn.execute("UPDATE accounts SET arr = ?, status = ? WHERE id = ?",
                         (arr_before + arr_change, status, account_id))
        return cur.lastrowid
