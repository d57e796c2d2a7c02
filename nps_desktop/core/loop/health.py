"""Account health (0–100, explained) and the priority list of accounts by ARR at risk.

Health is the weighted mean (weights: setting ``loop.health_weights``) of the parts that are known:

- ``nps``: the account's NPS over the last 365 days (DESIGN.md rollup), −100…100 mapped to 0…100;
- ``trend``: its NPS change between its two latest quarters with at least ``at_risk_min_contacts``
  responding contacts each, 50 + 1.25 · change, within 0…100;
- ``open_saves``: 100 / (1 + open save actions);
- ``revenue``: 0 after a churn in the last 365 days, else 60 + 200 · (expansion − downsell) / ARR,
  within 0…100 (60 for a renewal without change); unknown without events in that year;
- ``renewal``: days to the renewal date, 0…180 mapped to 0…100 (a renewal far away is calm).

A part that is unknown (no responses, one period only, no events, no renewal date) is left out and the
other weights are scaled up; with nothing known but open saves, health is unknown (None).

ARR at risk (``arr_at_risk``): active accounts renewing within the horizon, with at least
``at_risk_min_contacts`` responding contacts, that are detractor accounts (category over the last 365
days) or passive and falling (NPS fell by ``loop.drop_points`` or more between their two latest quarters
that each had that many contacts). Promoter accounts never count.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from ..nps import round_half_up
from ..words import plural
from .signals import Series, account_rollup_in, latest_periods_in, nps_drop
from .. import as_of, clock, settings
from ..workspace import Workspace

PART_LABELS = {"nps": "NPS", "trend": "NPS trend", "open_saves": "Open save actions",
               "revenue": "Revenue events", "renewal": "Renewal proximity"}
EXPANSION = ("upsell", "cross_sell")


@dataclass(frozen=True)
class Part:
    name: str
    score: float          # 0–100
    weight: float         # share of the total, after unknown parts were left out
    detail: str

    @property
    def label(self) -> str:
        return PART_LABELS[self.name]


@dataclass(frozen=True)
class Health:
    account_id: int
    name: str
    arr: float | None
    owner: str | None
    renewal_date: str | None
    score: int | None     # None when no part is known
    parts: tuple[Part, ...]

    @property
    def explanation(self) -> str:
        if self.score is None:
            return f"{self.name}: nothing known yet."
        return f"{self.name}: health {self.score}/100 = " + " + ".join(
            f"{p.weight:.0%} × {p.label} {p.score:.0f} ({p.detail})" for p in self.parts) + "."

    def as_json(self) -> dict:
        return {"account_id": self.account_id, "name": self.name, "arr": self.arr, "owner": self.owner,
                "renewal_date": self.renewal_date, "health": self.score, "explanation": self.explanation,
                "parts": [{"part": p.name, "score": round(p.score, 1), "weight": round(p.weight, 4),
                           "detail": p.detail} for p in self.parts]}


def _clamp(x: float) -> float:
    return max(0.0, min(100.0, x))


def _open_saves(conn: sqlite3.Connection) -> dict[int, int]:
    return dict(conn.execute("SELECT account_id, count(*) FROM actions WHERE play = 'detractor_save' "
                             "AND status <> 'done' AND account_id IS NOT NULL GROUP BY account_id").fetchall())


def _year_events(conn: sqlite3.Connection, today: date) -> dict[int, list[sqlite3.Row]]:
    out: dict[int, list[sqlite3.Row]] = {}
    for r in conn.execute("SELECT account_id, kind, arr_before, arr_change FROM revenue_events "
                          "WHERE occurred_on > ? AND occurred_on <= ? ORDER BY occurred_on, id",
                          ((today - timedelta(days=365)).isoformat(), today.isoformat())):
        out.setdefault(r["account_id"], []).append(r)
    return out


def _revenue_part(events: list[sqlite3.Row], arr: float | None) -> tuple[float, str] | None:
    if not events:
        return None
    if any(e["kind"] == "churn" for e in events):
        return 0.0, "churned in the last 365 days"
    net = sum(e["arr_change"] for e in events if e["kind"] in EXPANSION + ("downsell",))
    base = events[0]["arr_before"] or arr
    kinds = ", ".join(sorted({e["kind"].replace("_", "-") for e in events}))
    if not base:
        return 60.0, f"{kinds} in the last 365 days"
    return _clamp(60 + 200 * net / base), f"{kinds}; ARR {net:+,.0f} ({net / base:+.0%}) in the last 365 days"


def account_health(ws: Workspace, today: date | None = None, account_ids: list[int] | None = None,
                   include_churned: bool = False, series: Series | None = None) -> list[Health]:
    """Health of each (active) account, lowest first (``series``: ``latest_periods``, if at hand)."""
    conn = ws.conn
    today = today or clock.today()
    weights = settings.check_weights(settings.get(ws, settings.LOOP_HEALTH_WEIGHTS))
    scores = account_rollup_in(conn, today - timedelta(days=364), today, account_ids)
    series = latest_periods_in(conn, today, account_ids) if series is None else series
    saves, events = _open_saves(conn), _year_events(conn, today)
    least = settings.get(ws, settings.AT_RISK_MIN_CONTACTS)
    where = "" if include_churned else " WHERE status <> 'churned'"
    out = []
    for a in conn.execute(f"SELECT id, name, arr, owner, renewal_date FROM accounts{where} ORDER BY id"):
        if account_ids and a["id"] not in account_ids:
            continue
        raw: dict[str, tuple[float, str]] = {}
        # a rollup always has a response, so its NPS is never None
        if (s := scores.get(a["id"])) is not None and (s_nps := s.nps) is not None:
            raw["nps"] = ((s_nps + 100) / 2, f"NPS {s_nps:+.0f} from {plural(s.result.responses, 'contact')}")
        if (d := nps_drop(series.get(a["id"], []), least)) is not None:
            change = 0.0 - d[2]  # the rise (nps_drop gives the fall); 0.0 - keeps no change at +0
            raw["trend"] = (_clamp(50 + 1.25 * change), f"{change:+.0f} points, {d[0].period} → {d[1].period}")
        n = saves.get(a["id"], 0)
        raw["open_saves"] = (100 / (1 + n), f"{n} open")
        if (rev := _revenue_part(events.get(a["id"], []), a["arr"])) is not None:
            raw["revenue"] = rev
        if a["renewal_date"]:
            days = (date.fromisoformat(a["renewal_date"][:10]) - today).days
            raw["renewal"] = (_clamp(days / 180 * 100), f"renews in {days} days" if days >= 0 else
                              f"renewal date passed {-days} days ago")
        total = sum(weights[k] for k in raw)
        parts = tuple(Part(k, v, weights[k] / total, detail) for k, (v, detail) in raw.items()
                      if total and weights[k])
        known = any(p.name != "open_saves" for p in parts)  # open saves alone say nothing yet
        score = round_half_up(sum(p.score * p.weight for p in parts)) if known else None
        parts = parts if known else ()
        out.append(Health(a["id"], a["name"], a["arr"], a["owner"], a["renewal_date"], score, parts))
    return sorted(out, key=lambda h: (h.score is None, h.score or 0, h.account_id))


@dataclass(frozen=True)
class AtRisk:
    account_id: int
    name: str
    arr: float
    owner: str | None
    renewal_date: str
    days_to_renewal: int
    category: str | None
    nps: float | None
    why: str
    contacts: int = 0     # responding contacts over the year the category reads

    def as_json(self) -> dict:
        return dict(self.__dict__)


def arr_at_risk(ws: Workspace, within_days: int | None = None, today: date | None = None) -> list[AtRisk]:
    """Accounts at risk renewing within ``within_days`` of ``today``, largest ARR first (see ``arr_at_risk_in``)."""
    return arr_at_risk_in(ws.conn, within_days, today)


def arr_at_risk_in(conn: sqlite3.Connection, within_days: int | None = None,
                   today: date | None = None) -> list[AtRisk]:
    """Accounts at risk renewing within ``within_days`` of ``today``, largest ARR first.

    At risk: an account active on ``today`` (as it stood then: ``core.as_of``), with at least
    ``at_risk_min_contacts`` responding contacts over the year to ``today``, that is a detractor
    account, or a passive account whose NPS fell by ``loop.drop_points`` or more between its two latest
    quarters that each had that many contacts. A promoter account is never at risk.
    """
    today = today or clock.today()
    within = int(within_days if within_days is not None else settings.get_in(conn, settings.LOOP_RISK_RENEWAL_DAYS))
    threshold = float(settings.get_in(conn, settings.LOOP_DROP_POINTS))
    least = int(settings.get_in(conn, settings.AT_RISK_MIN_CONTACTS))
    last = (today + timedelta(days=within)).isoformat()
    accounts = [a for a in as_of.accounts(conn, today).values() if a.status == "active" and a.renewal_date
                and today.isoformat() <= a.renewal_date <= last]
    ids = [a.account_id for a in accounts]
    if not ids:
        return []
    scores = account_rollup_in(conn, today - timedelta(days=364), today, ids)
    series = latest_periods_in(conn, today, ids)
    out = []
    for a in accounts:
        s = scores.get(a.account_id)
        if a.renewal_date is None or s is None or s.result.responses < least or s.category == "promoter":
            continue
        n = plural(s.result.responses, "responding contact")
        if s.category == "detractor":
            why = f"a detractor account (mean score {s.mean_score:.1f}, NPS {s.nps:+.0f}, {n})"
        else:
            drop = nps_drop(series.get(a.account_id, []), least)
            if drop is None or drop[2] < threshold:
                continue
            why = (f"a passive account (NPS {s.nps:+.0f}, {n}) whose NPS fell {drop[2]:.0f} points, "
                   f"{drop[0].result.nps:+.0f} in {drop[0].period} ({plural(drop[0].result.responses, 'contact')}) "
                   f"→ {drop[1].result.nps:+.0f} in {drop[1].period} ({plural(drop[1].result.responses, 'contact')})")
        days = (date.fromisoformat(a.renewal_date) - today).days
        out.append(AtRisk(a.account_id, a.name, a.arr or 0.0, a.owner, a.renewal_date, days, s.category, s.nps,
                          f"{a.name} renews in {days} days: {why}.", s.result.responses))
    return sorted(out, key=lambda r: (-r.arr, r.days_to_renewal, r.account_id))


def arr_at_risk_total(rows: list[AtRisk]) -> float:
    return sum(r.arr for r in rows)

