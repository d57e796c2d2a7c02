"""Risk and opportunity signals, each with a sentence saying why it fired.

- ``account_nps_drop`` (risk): an account's NPS fell by ``loop.drop_points`` (20) or more between its
  two latest surveyed periods (quarters, fiscal if set; each period's NPS is the DESIGN.md rollup of
  that period: every contact's latest response in it);
- ``contact_score_drop`` (risk): a contact's score fell by ``loop.contact_drop`` (3) or more between
  their two latest responses (by date; on one day, in the order they were recorded);
- ``silent_detractor`` (risk): a contact whose latest response is a detractor's and who has left the
  2 invitations sent since unanswered (each sent at least ``grace_days`` ago);
- ``at_risk_passive`` (risk): a contact whose latest response is a passive's with a negative comment
  (``responses.sentiment`` below 0; nothing fires until sentiment has been computed);
- ``expansion_promoter`` (opportunity): a contact whose latest response is a promoter's, at an active
  account renewing within ``renewal_days`` (180) with room to grow its seats: its known users (contacts)
  fill at least ``seat_use`` (80%) of its licensed seats.

Only signals whose latest evidence lies within ``recent_days`` (365) of today are raised.
"""
from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from .. import nps, periods
from ..words import plural
from .. import clock, settings
from ..snapshot import figures, store
from ..workspace import Workspace

KINDS = {"account_nps_drop": ("Account NPS fell", True), "contact_score_drop": ("Score fell", True),
         "silent_detractor": ("Silent detractor", True), "at_risk_passive": ("At-risk passive", True),
         "expansion_promoter": ("Expansion promoter", False)}


@dataclass(frozen=True)
class Signal:
    kind: str
    on: str                       # the date of the evidence that fired it
    why: str
    account_id: int | None
    account_name: str | None
    arr: float | None
    contact_id: int | None = None
    contact_email: str | None = None

    @property
    def title(self) -> str:
        return KINDS[self.kind][0]

    @property
    def risk(self) -> bool:
        return KINDS[self.kind][1]

    def as_json(self) -> dict:
        return {**asdict(self), "title": self.title, "risk": self.risk}


@dataclass(frozen=True)
class PeriodScore:
    period: str
    result: nps.NpsResult
    last_on: str


def _fiscal_start(conn: sqlite3.Connection) -> int:
    return int(settings.get_in(conn, settings.FISCAL_YEAR_START_MONTH))


def _rollup_sql(period: str | None, only: str) -> str:
    """Per account (and period): counts, mean and latest of each contact's latest response, in SQLite.

    A response without a contact counts on its own; the latest of a contact is its max ``responded_at``.
    """
    p = f"{period} AS p, " if period else ""
    by = "r.account_id, p" if period else "r.account_id"
    return (f"WITH latest AS (SELECT r.account_id, {p}coalesce(r.contact_id, -r.id) AS who, "
            f"max(r.responded_at) AS at, r.score FROM responses r "
            f"WHERE r.account_id IS NOT NULL AND r.responded_on BETWEEN ? AND ?{only} "
            f"GROUP BY {by}, who) "
            f"SELECT {by.replace('r.', '')}, count(*), sum(score >= 9), sum(score BETWEEN 7 AND 8), sum(score <= 6), "
            f"avg(score), max(at), score FROM latest GROUP BY {by.replace('r.', '')}")


def _only(account_ids: list[int] | None) -> str:
    return f" AND r.account_id IN ({','.join(map(str, map(int, account_ids)))})" if account_ids else ""


def quarter_sql(fy_start: int) -> str:
    """The quarter key of a response row ``r`` from its ``responded_on`` (so covering indexes serve it)."""
    y, m = "CAST(substr(r.responded_on, 1, 4) AS INTEGER)", "CAST(substr(r.responded_on, 6, 2) AS INTEGER)"
    return f"printf('%04dQ%d', {y} + ({fy_start} > 1 AND {m} >= {fy_start}), (({m} - {fy_start} + 12) % 12) / 3 + 1)"


#: Each account's NPS per surveyed quarter, oldest first (``account_periods``, ``latest_periods``).
Series = dict[int, list[PeriodScore]]


def account_periods(ws: Workspace, today: date, account_ids: list[int] | None = None,
                    since: date | None = None) -> Series:
    """Each account's NPS per quarter it was surveyed in (from ``since``, up to ``today``), oldest first."""
    return _account_periods(ws.conn, today, account_ids, since)


def _account_periods(conn: sqlite3.Connection, today: date, account_ids: list[int] | None = None,
                     since: date | None = None) -> Series:
    snap = store.current_for(conn)
    if snap is not None:  # the snapshot's figures; the SQL below is their reference
        return {a: [PeriodScore(*p) for p in found] for a, found in figures.account_periods(
            snap, today, _fiscal_start(conn), account_ids, since).items()}
    sql = _rollup_sql(quarter_sql(_fiscal_start(conn)), _only(account_ids)) + " ORDER BY account_id, p"
    out: dict[int, list[PeriodScore]] = {}
    for account_id, period, n, pro, pas, det, _, at, _ in conn.execute(
            sql, ((since or date.min).isoformat(), today.isoformat())):
        out.setdefault(account_id, []).append(PeriodScore(period, nps.NpsResult(n, pro, pas, det), at[:10]))
    return out


def latest_periods(ws: Workspace, today: date, account_ids: list[int] | None = None) -> Series:
    """Each account's surveyed quarters, at least its latest two exactly (what trends and drops need).

    The quarters of the last year (from a quarter's first day) come first; only the accounts with fewer
    than two of them are read over all their history, so large workspaces are not scanned whole.
    """
    return latest_periods_in(ws.conn, today, account_ids)


def latest_periods_in(conn: sqlite3.Connection, today: date, account_ids: list[int] | None = None) -> Series:
    """``latest_periods`` through a connection (for the loop's and revenue's code that holds one)."""
    fy = _fiscal_start(conn)
    start = periods.bounds(periods.quarter_key(today - timedelta(days=365), fy), fy)[0]
    series = _account_periods(conn, today, account_ids, since=start)
    sparse = [a for a in (account_ids or _surveyed_accounts(conn, today)) if len(series.get(a, ())) < 2]
    for i in range(0, len(sparse), 900):
        series.update(_account_periods(conn, today, sparse[i:i + 900]))
    return series


def _surveyed_accounts(conn: sqlite3.Connection, today: date) -> list[int]:
    snap = store.current_for(conn)
    if snap is not None:
        return figures.surveyed_accounts(snap, today)
    return [r[0] for r in conn.execute("SELECT DISTINCT account_id FROM responses WHERE account_id IS NOT NULL "
                                       "AND responded_on <= ?", (today.isoformat(),))]


def account_rollup(ws: Workspace, first: date | None, last: date,
                   account_ids: list[int] | None = None) -> dict[int, nps.AccountScore]:
    """DESIGN.md's account rollup over responses dated ``first``..``last`` (inclusive; no first: all)."""
    return account_rollup_in(ws.conn, first, last, account_ids)


def account_rollup_in(conn: sqlite3.Connection, first: date | None, last: date,
                      account_ids: list[int] | None = None) -> dict[int, nps.AccountScore]:
    """``account_rollup`` through a connection (for the loop's and revenue's code that holds one)."""
    snap = store.current_for(conn)
    if snap is not None:  # the snapshot's figures; the SQL below is their reference
        return figures.account_rollup(snap, first, last, account_ids)
    rows = conn.execute(_rollup_sql(None, _only(account_ids)), ((first or date.min).isoformat(), last.isoformat()))
    return {a: nps.AccountScore(a, nps.NpsResult(n, pro, pas, det), mean, score, at[:10])
            for a, n, pro, pas, det, mean, at, score in rows}


def nps_drop(series: list[PeriodScore], least: int = 1) -> tuple[PeriodScore, PeriodScore, float] | None:
    """The latest two periods with at least ``least`` responding contacts each, and how far NPS fell
    between them in points (negative: it rose)."""
    series = [p for p in series if p.result.responses >= least]
    if len(series) < 2:
        return None
    before, after = series[-2], series[-1]
    return before, after, _nps(before) - _nps(after)


def _nps(p: PeriodScore) -> float:
    """A surveyed period's NPS (it has responses, so it is never None)."""
    return p.result.nps if p.result.nps is not None else 0.0


def _fmt(x: float) -> str:
    return f"{x:+.0f}"


def _accounts(conn: sqlite3.Connection) -> dict[int, sqlite3.Row]:
    return {r["id"]: r for r in conn.execute(
        "SELECT a.id, a.name, a.arr, a.seats, a.status, a.renewal_date, "
        "(SELECT count(*) FROM contacts c WHERE c.account_id = a.id AND c.erased_at IS NULL) AS users "
        "FROM accounts a")}


def account_drops(ws: Workspace, today: date, recent_days: int = 365,
                  series: Series | None = None) -> list[Signal]:
    conn = ws.conn
    threshold = float(settings.get(ws, settings.LOOP_DROP_POINTS))
    least = settings.get(ws, settings.AT_RISK_MIN_CONTACTS)
    since = (today - timedelta(days=recent_days)).isoformat()
    accounts = _accounts(conn)
    out = []
    for account_id, history in (latest_periods_in(conn, today) if series is None else series).items():
        drop = nps_drop(history, least)
        if drop is None or drop[2] < threshold or drop[1].last_on < since:
            continue
        before, after, fall = drop
        a = accounts.get(account_id)
        name = a["name"] if a else f"account {account_id}"
        why = (f"{name}: account NPS fell {fall:.0f} points, from {_fmt(_nps(before))} in {before.period} "
               f"({plural(before.result.responses, 'contact')}) to {_fmt(_nps(after))} in {after.period} "
               f"({plural(after.result.responses, 'contact')}).")
        out.append(Signal("account_nps_drop", after.last_on, why, account_id, a["name"] if a else None,
                          a["arr"] if a else None))
    return out


_LATEST_TWO = """
WITH ranked AS (SELECT id, row_number() OVER (PARTITION BY contact_id ORDER BY responded_on DESC, id DESC) AS k
                FROM responses WHERE contact_id IS NOT NULL AND responded_on <= ?)
SELECT r.contact_id, r.id, r.score, r.responded_at, r.responded_on, r.comment, r.sentiment,
       coalesce(r.account_id, c.account_id) AS account_id, c.email, ranked.k
FROM ranked JOIN responses r ON r.id = ranked.id JOIN contacts c ON c.id = r.contact_id
WHERE ranked.k <= 2 ORDER BY r.contact_id, ranked.k
"""


def _latest_two(conn: sqlite3.Connection, today: date) -> dict[int, list[sqlite3.Row]]:
    """Each contact's latest two responses (latest first; same day: the later recorded first), up to today."""
    out: dict[int, list[sqlite3.Row]] = {}
    for r in conn.execute(_LATEST_TWO, (today.isoformat(),)):
        out.setdefault(r["contact_id"], []).append(r)
    return out


def contact_signals(ws: Workspace, today: date, recent_days: int = 365, grace_days: int = 14,
                    renewal_days: int = 180, seat_use: float = 0.8) -> list[Signal]:
    """Score drops, silent detractors, at-risk passives and expansion promoters."""
    conn = ws.conn
    drop_min = settings.get(ws, settings.LOOP_CONTACT_DROP)
    since = (today - timedelta(days=recent_days)).isoformat()
    accounts = _accounts(conn)
    ignored = _ignored_invitations(conn, today - timedelta(days=grace_days))
    out = []
    for contact_id, rows in _latest_two(conn, today).items():
        last = rows[0]
        a = accounts.get(last["account_id"])
        name, arr = (a["name"], a["arr"]) if a else (None, None)
        who = last["email"] + (f" ({name})" if name else "")

        def signal(kind: str, why: str, on: str = last["responded_on"]) -> None:  # called within this pass of the loop
            out.append(Signal(kind, on, why, last["account_id"], name, arr, contact_id, last["email"]))  # noqa: B023

        category = nps.classify(last["score"])
        unanswered = [d for d in ignored.get(contact_id, []) if d > last["responded_at"][:10]]
        if category == "detractor" and len(unanswered) >= 2:
            signal("silent_detractor", f"{who} scored {last['score']} on {last['responded_on']} and has not "
                   f"answered the {len(unanswered)} invitations sent since ({', '.join(unanswered)}).",
                   unanswered[-1])
        if last["responded_on"] < since:
            continue
        if len(rows) == 2 and rows[1]["score"] - last["score"] >= drop_min:
            prev = rows[1]
            signal("contact_score_drop", f"{who} scored {prev['score']} on {prev['responded_on']}, then "
                   f"{last['score']} on {last['responded_on']}: down {prev['score'] - last['score']}.")
        if category == "passive" and last["sentiment"] is not None and last["sentiment"] < 0:
            signal("at_risk_passive", f"{who} scored {last['score']} on {last['responded_on']} with a negative "
                   f"comment: “{_clip(last['comment'])}”.")
        if category == "promoter" and a is not None and _expansion_room(a, today, renewal_days, seat_use):
            days = (date.fromisoformat(a["renewal_date"][:10]) - today).days
            signal("expansion_promoter", f"{who} scored {last['score']} on {last['responded_on']}; {name} renews "
                   f"on {a['renewal_date'][:10]} (in {days} days) and uses {a['users']} of its {a['seats']} "
                   f"seats: room to expand.")
    return out


def _expansion_room(a: sqlite3.Row, today: date, renewal_days: int, seat_use: float) -> bool:
    if a["status"] != "active" or not a["renewal_date"] or not a["seats"]:
        return False
    days = (date.fromisoformat(a["renewal_date"][:10]) - today).days
    return 0 <= days <= renewal_days and a["users"] >= seat_use * a["seats"]


def _ignored_invitations(conn: sqlite3.Connection, sent_by: date) -> dict[int, list[str]]:
    """Per contact, the dates of invitations sent on or before ``sent_by`` and never answered."""
    out: dict[int, list[str]] = {}
    for contact_id, sent_on in conn.execute(
            "SELECT contact_id, substr(sent_on, 1, 10) FROM invitations WHERE status = 'sent' "
            "AND response_id IS NULL AND sent_on IS NOT NULL AND sent_on <= ? ORDER BY contact_id, sent_on",
            (sent_by.isoformat() + "T99",)):
        out.setdefault(contact_id, []).append(sent_on)
    return out


def _clip(text: str | None, n: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def signals(ws: Workspace, today: date | None = None, kinds: tuple[str, ...] = (),
            series: Series | None = None) -> list[Signal]:
    """Every signal, risks first, then the latest evidence first (``series``: ``latest_periods``, if at hand)."""
    today = today or clock.today()
    found = account_drops(ws, today, series=series) + contact_signals(ws, today)
    if kinds:
        found = [s for s in found if s.kind in kinds]
    return sorted(found, key=lambda s: (not s.risk, _neg(s.on), s.kind, s.account_id or 0, s.contact_id or 0))


def _neg(day: str) -> int:
    return -date.fromisoformat(day[:10]).toordinal()
