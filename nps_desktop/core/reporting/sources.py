"""Where the pack's figures come from beyond ``analytics``: settings, saved segments, coverage queries,
and the optional modules (revenue, themes, the loop) that are probed when a pack is built, so a section
appears as soon as its core function exists and says why it is missing until then.
"""
from __future__ import annotations

import importlib
from datetime import date, timedelta
from typing import Any, Callable

from .. import analytics, settings
from ..snapshot import figures, store
from ..workspace import Workspace

AT_RISK_LIMIT = 10


class Unavailable(str):
    """The reason a section cannot be built (its core module has not landed, or it has no data)."""


def _optional(module: str, *names: str) -> Callable[..., Any] | None:
    """The first of ``names`` that ``nps_desktop.core.<module>`` defines, or None while it does not."""
    try:
        mod = importlib.import_module(f"nps_desktop.core.{module}")
    except ImportError:
        return None
    return next((getattr(mod, n) for n in names if callable(getattr(mod, n, None))), None)


# -- settings --------------------------------------------------------------------------------------
def company_name(ws: Workspace) -> str:
    return str(settings.get(ws, "company_name") or "").strip()


def logo_bytes(ws: Workspace) -> bytes | None:
    """The company logo stored in the workspace (PNG or JPEG bytes), if any."""
    try:
        return settings.logo_bytes(ws)
    except (ValueError, TypeError):  # a corrupt value: the cover goes without a logo
        return None


def brand_color(ws: Workspace) -> str:
    """The company colour for the cover and the headings (``#RRGGBB``)."""
    return settings.get(ws, "brand_color")


# -- queries of the responses in scope -------------------------------------------------------------
def coverage(ws: Workspace, filters: analytics.Filters) -> dict[str, Any]:
    """What the figures rest on: responses, how many are mapped to accounts, corrected scores, and
    accounts left out of ARR weighting (read from indexes; comments are counted by ``comment_count``)."""
    snap = store.current(ws)
    if snap is not None:  # the counts from the snapshot; the SQL below is their reference
        found = figures.coverage(snap, snap.mask(filters))
        n, mapped, accounts, without_arr = (found[k] for k in ("responses", "mapped", "accounts",
                                                                "accounts_without_arr"))
        total = len(snap)
    else:
        n, mapped, accounts, without_arr, total = _coverage_sql(ws, filters)
    _, cond, params = analytics.where(filters)
    corrected = ws.scalar(f"SELECT count(DISTINCT sc.response_id) FROM score_corrections sc "
                          f"JOIN responses r ON r.id = sc.response_id{cond}", params)
    return {"responses": n, "mapped": mapped, "unmapped": n - mapped,
            "mapped_share": None if not n else round(mapped / n, 4), "corrected": corrected,
            "accounts": accounts, "accounts_without_arr": without_arr, "workspace_responses": total,
            "outside_scope": total - n}


def _coverage_sql(ws: Workspace, filters: analytics.Filters) -> tuple[int, int, int, int, int]:
    """``coverage``'s counts in SQL: responses, mapped, accounts, accounts without ARR, all responses."""
    joins, cond, params = analytics.where(filters, ("account",))  # joins accounts as ``a``
    n, mapped, accounts, without_arr = ws.conn.execute(
        f"SELECT count(*), count(r.account_id), count(DISTINCT r.account_id), "
        f"count(DISTINCT CASE WHEN coalesce(a.arr, 0) <= 0 THEN r.account_id END) "
        f"FROM responses r{joins}{cond}", params).fetchone()
    return n, mapped, accounts, without_arr, ws.scalar("SELECT count(*) FROM responses")


def comment_count(ws: Workspace, filters: analytics.Filters) -> int:
    """Responses in scope with a comment that is not blank (the themes report counts them too)."""
    _, cond, params = analytics.where(filters)
    cond = (cond + " AND" if cond else " WHERE") + " trim(coalesce(r.comment, '')) <> ''"
    return ws.scalar(f"SELECT count(*) FROM responses r{cond}", params)


def accounts_at_risk(ws: Workspace, filters: analytics.Filters, as_of: date) -> dict[str, Any] | Unavailable:
    """The loop's priority list as of ``as_of``: active detractor or falling accounts renewing within the
    horizon, largest ARR first; with a segment, only accounts with responses in it over the year the
    rollup reads. Each carries the comment behind its lowest score in that year."""
    fn = _optional("loop.health", "arr_at_risk")
    if fn is None:
        return Unavailable(NOT_YET.format(what="the priority list of accounts at risk"))
    within = int(settings.get(ws, "loop.risk_renewal_days"))
    rows = fn(ws, within, as_of)
    year = filters.with_dates(as_of - timedelta(days=364), as_of)
    if filters.values:
        inside = analytics.account_scores(ws, year)
        rows = [r for r in rows if r.account_id in inside]
    top = [{**r.as_json(), "comment": lowest_comment(ws, year, r.account_id)} for r in rows[:AT_RISK_LIMIT]]
    return {"as_of": as_of.isoformat(), "within_days": within, "count": len(rows),
            "min_contacts": int(settings.get(ws, "at_risk_min_contacts")),
            "arr": round(sum(r.arr for r in rows), 2), "accounts": top}


def lowest_comment(ws: Workspace, filters: analytics.Filters, account_id: int) -> str | None:
    """The comment of an account's lowest-scoring commented response in scope (the latest on ties);
    read by the account's index (by date, SQLite would read every response of the year)."""
    joins, cond, params = analytics.where(filters, date_index=False)
    cond = (cond + " AND" if cond else " WHERE") + " r.account_id = ? AND trim(coalesce(r.comment, '')) <> ''"
    row = ws.conn.execute(f"SELECT r.comment FROM responses r{joins}{cond} "
                          f"ORDER BY r.score, r.responded_at DESC LIMIT 1", [*params, account_id]).fetchone()
    return row[0] if row else None


# -- optional modules ------------------------------------------------------------------------------
NOT_YET = "not available yet: {what} arrives with a later release of NPS Desktop"


def revenue(ws: Workspace, filters: analytics.Filters) -> dict[str, Any] | Unavailable:
    """Renewal, churn and expansion per category over the revenue events of the period (all accounts:
    events are not filtered by segment)."""
    fn = _optional("revenue", "category_table")
    if fn is None:
        return Unavailable(NOT_YET.format(what="revenue by NPS category"))
    rows = fn(ws.conn, filters.date_from, filters.date_to)
    expansion = sum(r["expansion_arr"] for r in rows)
    promoters = next((r["expansion_arr"] for r in rows if r["category"] == "promoter"), 0.0)
    return {"from": filters.date_from.isoformat(), "to": filters.date_to.isoformat(), "categories": rows,
            "expansion_arr": round(expansion, 2),
            "expansion_share_promoters": None if not expansion else round(promoters / expansion, 4)}


def has_themes() -> bool:
    return _optional("text.insight", "theme_report") is not None and \
        _optional("text.insight", "verbatims") is not None


def themes(ws: Workspace, filters: analytics.Filters, top: int = 3) -> dict[str, Any] | Unavailable:
    """Every theme's figures in scope, and the themes most mentioned by detractors and by promoters,
    each with its latest complaint (detractors) or praise (promoters) as a quote."""
    if not has_themes():
        return Unavailable(NOT_YET.format(what="themes of the comments"))
    report, verbatims = _optional("text.insight", "theme_report"), _optional("text.insight", "verbatims")
    doc = report(ws, filters).as_dict()
    out: dict[str, Any] = {"comments": doc["comments"], "comments_by_category": doc["comments_by_category"],
                           "themes": doc["themes"]}
    for category, polarity in (("detractor", -1), ("promoter", 1)):
        ranked = sorted((t for t in doc["themes"] if t[f"{category}_share"]),
                        key=lambda t: (-t[f"{category}_share"], t["name"]))[:top]
        out[category] = []
        for t in ranked:
            found = (verbatims(ws, t["name"], filters, category=category, polarity=polarity, limit=1)
                     or verbatims(ws, t["name"], filters, category=category, limit=1))
            out[category].append({**t, "quotes": [{"comment": v.comment, "score": v.score, "account": v.account,
                                                   "responded_on": v.responded_on} for v in found]})
    return out


def loop(ws: Workspace, filters: analytics.Filters, today: date) -> dict[str, Any] | Unavailable:
    """SLA, time to first touch, save rate and reference yield of the actions on the period's responses."""
    fn, names = _optional("loop.metrics", "loop_metrics"), _optional("loop.plays", "play_names")
    if fn is None:
        return Unavailable(NOT_YET.format(what="close-the-loop metrics"))
    return {**fn(ws, filters.date_from, filters.date_to, today).as_json(),
            "play_names": names(ws) if names else {}}
