"""Filters → SQL, and the numbers of the dashboard: KPIs, trend, segment table, ARR-weighted NPS.

Every aggregate runs in SQLite over covering indexes; nothing loads all responses into memory.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from . import nps, periods
from .workspace import Workspace

#: Dimensions a user can filter or group by, and the SQL expression behind each.
ARR_BAND_SQL = ("CASE WHEN a.arr IS NULL THEN NULL WHEN a.arr < 10000 THEN '<10k' "
                "WHEN a.arr < 50000 THEN '10k-50k' WHEN a.arr < 100000 THEN '50k-100k' "
                "WHEN a.arr < 250000 THEN '100k-250k' ELSE '250k+' END")
DIMENSIONS: dict[str, str] = {
    "kind": "r.kind", "touchpoint": "r.touchpoint", "product": "r.product", "source": "r.source",
    "region": "a.region", "industry": "a.industry", "tier": "a.tier",
    "lifecycle_stage": "a.lifecycle_stage", "owner": "a.owner", "account_status": "a.status",
    "account": "a.name", "arr_band": ARR_BAND_SQL, "role": "c.role",
}
KINDS = ("rnps", "tnps", "enps", "partner")


@dataclass(frozen=True)
class Filters:
    """Which responses are in scope. Empty means everything."""
    date_from: date | None = None
    date_to: date | None = None
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dimension -> allowed values

    def with_dates(self, date_from: date | None, date_to: date | None) -> "Filters":
        return replace(self, date_from=date_from, date_to=date_to)

    def to_json(self) -> str:
        d = asdict(self)
        d["date_from"] = self.date_from.isoformat() if self.date_from else None
        d["date_to"] = self.date_to.isoformat() if self.date_to else None
        d["values"] = {k: list(v) for k, v in self.values.items()}
        return json.dumps(d, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Filters":
        d = json.loads(text)
        return cls(date.fromisoformat(d["date_from"]) if d.get("date_from") else None,
                   date.fromisoformat(d["date_to"]) if d.get("date_to") else None,
                   {k: tuple(v) for k, v in (d.get("values") or {}).items()})


def where(filters: Filters, extra_dims: tuple[str, ...] = ()) -> tuple[str, str, list[Any]]:
    """Return ``(joins, where_sql, params)`` for responses ``r`` under ``filters``."""
    clauses, params = [], []
    if filters.date_from:
        clauses.append("r.responded_on >= ?")
        params.append(filters.date_from.isoformat())
    if filters.date_to:
        clauses.append("r.responded_on <= ?")
        params.append(filters.date_to.isoformat())
    for dim, allowed in sorted(filters.values.items()):
        if dim not in DIMENSIONS:
            raise ValueError(f"unknown filter field {dim!r}; known: {', '.join(sorted(DIMENSIONS))}")
        if allowed:
            clauses.append(f"{DIMENSIONS[dim]} IN ({','.join('?' * len(allowed))})")
            params.extend(allowed)
    dims = set(filters.values) | set(extra_dims)
    exprs = " ".join(DIMENSIONS[d] for d in dims if d in DIMENSIONS)
    joins = ""
    if "a." in exprs:
        joins += " LEFT JOIN accounts a ON a.id = r.account_id"
    if "c." in exprs:
        joins += " LEFT JOIN contacts c ON c.id = r.contact_id"
    return joins, (" WHERE " + " AND ".join(clauses)) if clauses else "", params


_COUNTS = ("count(*), coalesce(sum(r.score >= 9), 0), coalesce(sum(r.score BETWEEN 7 AND 8), 0), "
           "coalesce(sum(r.score <= 6), 0)")


def _result(row) -> nps.NpsResult:
    return nps.NpsResult(row[0], row[1], row[2], row[3])


def overall(ws: Workspace, filters: Filters) -> nps.NpsResult:
    joins, cond, params = where(filters)
    return _result(ws.conn.execute(f"SELECT {_COUNTS} FROM responses r{joins}{cond}", params).fetchone())


def groups(ws: Workspace, filters: Filters, by: str) -> list[tuple[Any, nps.NpsResult]]:
    """NPS per value of a dimension, largest groups first."""
    if by not in DIMENSIONS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(sorted(DIMENSIONS))}")
    joins, cond, params = where(filters, (by,))
    rows = ws.conn.execute(f"SELECT {DIMENSIONS[by]} AS k, {_COUNTS} FROM responses r{joins}{cond} "
                           f"GROUP BY k ORDER BY count(*) DESC, k", params).fetchall()
    return [(row[0], _result(row[1:])) for row in rows]


def fiscal_year_start(ws: Workspace) -> int:
    return int(ws.get_setting("fiscal_year_start_month", 1))


def trend(ws: Workspace, filters: Filters, period: str = "quarter") -> list[tuple[str, nps.NpsResult]]:
    """NPS per month or quarter, oldest first."""
    if period == "month":
        expr = "r.month"
    elif period == "quarter":
        expr = periods.sql_quarter(fiscal_year_start(ws))
    else:
        raise ValueError(f"unknown period {period!r}: use month or quarter")
    joins, cond, params = where(filters)
    rows = ws.conn.execute(f"SELECT {expr} AS p, {_COUNTS} FROM responses r{joins}{cond} "
                           f"GROUP BY p ORDER BY p", params).fetchall()
    return [(row[0], _result(row[1:])) for row in rows]


def account_scores(ws: Workspace, filters: Filters) -> dict[int, nps.AccountScore]:
    """DESIGN.md's account rollup over the responses in scope: each contact's latest response."""
    joins, cond, params = where(filters)
    cond = (cond + " AND" if cond else " WHERE") + " r.account_id IS NOT NULL"
    rows = ws.conn.execute(
        f"SELECT r.account_id, coalesce(r.contact_id, -r.id), max(r.responded_at), r.score "
        f"FROM responses r{joins}{cond} GROUP BY r.account_id, coalesce(r.contact_id, -r.id)",
        params).fetchall()
    return nps.account_rollup((r[0], r[1], r[2], r[3]) for r in rows)


def arr_weighted(ws: Workspace, filters: Filters) -> float | None:
    scores = account_scores(ws, filters)
    if not scores:
        return None
    arr = dict(ws.conn.execute("SELECT id, arr FROM accounts WHERE arr > 0").fetchall())
    return nps.arr_weighted_nps((arr.get(a), s.category) for a, s in scores.items())


def mapped_share(ws: Workspace, filters: Filters) -> float | None:
    """Share of responses in scope that are linked to an account."""
    joins, cond, params = where(filters)
    n, mapped = ws.conn.execute(f"SELECT count(*), count(r.account_id) FROM responses r{joins}{cond}",
                                params).fetchone()
    return None if not n else mapped / n


def _rounded(result: nps.NpsResult, **extra: Any) -> dict[str, Any]:
    return {**extra, "responses": result.responses, "nps": _r(result.nps),
            "margin95": _r(result.margin95)}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def stats(ws: Workspace, filters: Filters, by: str | None = None,
          period: str | None = None) -> dict[str, Any]:
    """What ``stats --json`` prints, and what the dashboard shows."""
    result = overall(ws, filters)
    out: dict[str, Any] = {
        **result.as_dict(),
        "nps": _r(result.nps), "margin95": _r(result.margin95),
        "small_sample": result.small_sample,
        "arr_weighted_nps": _r(arr_weighted(ws, filters)),
        "mapped_share": _r(mapped_share(ws, filters)),
        "from": filters.date_from.isoformat() if filters.date_from else None,
        "to": filters.date_to.isoformat() if filters.date_to else None,
    }
    if by:
        out["by"] = by
        out["groups"] = [_rounded(r, key=k) for k, r in groups(ws, filters, by)]
    if period:
        out["period"] = period
        out["trend"] = [_rounded(r, period=k) for k, r in trend(ws, filters, period)]
    return out
