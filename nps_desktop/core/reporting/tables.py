"""The tables ``export`` writes: responses, accounts, actions and segments, as typed rows.

Each function returns an ``ExportTable``: its columns with their types (so the .xlsx has numbers,
dates and text where they belong), the row count when it is known up front (for progress), and an
iterator of rows that streams from SQLite rather than loading everything.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterable, Iterator

from .. import analytics, nps, settings
from ..workspace import Workspace
from .data import SEGMENT_DIMENSIONS

#: Column types: how a value is written and formatted.
TYPES = ("int", "float", "money", "share", "text", "date", "datetime", "bool")
WHAT = ("responses", "accounts", "actions", "segments")


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    width: float = 14


@dataclass
class ExportTable:
    title: str
    columns: list[Column]
    rows: Iterable[tuple]
    total: int
    currency: str | None = None   # the ISO code money columns are formatted with


def build(ws: Workspace, what: str, filters: analytics.Filters, today: date | None = None) -> ExportTable:
    """The table ``what`` (responses, accounts, actions or segments) for the responses in ``filters``."""
    makers: dict[str, Callable[..., ExportTable]] = {
        "responses": responses, "accounts": accounts, "actions": actions, "segments": segments}
    if what not in makers:
        raise ValueError(f"cannot export {what!r}: choose one of {', '.join(WHAT)}")
    table = makers[what](ws, filters) if what != "actions" else actions(ws, filters, today)
    table.currency = settings.get(ws, "currency")
    return table


def _module(name: str) -> Any:
    try:
        return importlib.import_module(f"nps_desktop.core.{name}")
    except ImportError:
        return None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _moment(text: str | None) -> datetime | date | None:
    """An ISO date or date-time as a typed value (a date when there is no time)."""
    if not text:
        return None
    if len(text) <= 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text).replace(tzinfo=None)


# -- responses -------------------------------------------------------------------------------------
_RESPONSE_COLUMNS = [
    Column("id", "int", 9), Column("responded_at", "datetime", 18), Column("score", "int", 7),
    Column("category", "text", 11), Column("comment", "text", 60), Column("kind", "text", 8),
    Column("touchpoint", "text", 12), Column("product", "text", 16), Column("email", "text", 30),
    Column("account_id", "text", 12), Column("account", "text", 26), Column("region", "text", 14),
    Column("industry", "text", 18), Column("tier", "text", 12), Column("lifecycle_stage", "text", 14),
    Column("arr", "money", 12), Column("source", "text", 10), Column("source_id", "text", 14)]


def responses(ws: Workspace, filters: analytics.Filters) -> ExportTable:
    """Every response in scope with its account's fields; ``themes`` (names separated by semicolons)
    and ``sentiment`` (−1…1) when the text module is installed."""
    insight = _module("text.insight")
    themes_sql = getattr(insight, "THEMES_SQL", None)
    columns = list(_RESPONSE_COLUMNS)
    extra = ""
    if themes_sql:
        columns += [Column("themes", "text", 28), Column("sentiment", "float", 10)]
        extra = f", {themes_sql}, r.sentiment"
    joins, cond, params = analytics.where(filters, ("region",))
    total = ws.scalar(f"SELECT count(*) FROM responses r{joins}{cond}", params)
    sql = (f"SELECT r.id, r.responded_at, r.score, r.comment, r.kind, r.touchpoint, r.product, r.email, "
           f"a.external_id, a.name, a.region, a.industry, a.tier, a.lifecycle_stage, a.arr, r.source, "
           f"r.source_id{extra} FROM responses r{joins}{cond} ORDER BY r.responded_at, r.id")

    def rows() -> Iterator[tuple]:
        for r in ws.conn.execute(sql, params):
            yield (r[0], _moment(r[1]), r[2], nps.classify(r[2]), *r[3:])
    return ExportTable("Responses", columns, rows(), total)


# -- accounts --------------------------------------------------------------------------------------
_ACCOUNT_COLUMNS = [
    Column("account_id", "text", 12), Column("name", "text", 28), Column("domain", "text", 22),
    Column("arr", "money", 12), Column("seats", "int", 8), Column("industry", "text", 18),
    Column("region", "text", 14), Column("tier", "text", 12), Column("lifecycle_stage", "text", 14),
    Column("status", "text", 10), Column("customer_since", "date", 13), Column("renewal_date", "date", 13),
    Column("owner", "text", 16), Column("nps", "float", 8), Column("category", "text", 11),
    Column("contacts_responded", "int", 10), Column("mean_score", "float", 10),
    Column("latest_score", "int", 9), Column("latest_response", "date", 14)]


def accounts(ws: Workspace, filters: analytics.Filters) -> ExportTable:
    """Every account with the rollup of its contacts' latest responses in scope (blank without any)."""
    scores = analytics.account_scores(ws, filters)
    rows = ws.conn.execute("SELECT id, external_id, name, domain, arr, seats, industry, region, tier, "
                           "lifecycle_stage, status, customer_since, renewal_date, owner FROM accounts "
                           "ORDER BY name COLLATE NOCASE, id").fetchall()

    def out() -> Iterator[tuple]:
        for r in rows:
            s = scores.get(r[0])
            yield (*r[1:11], _day(r[11]), _day(r[12]), r[13],
                   *((round(s.nps, 2), s.category, s.result.responses, round(s.mean_score, 2), s.latest_score,
                      _day(s.latest_on)) if s else (None,) * 6))
    return ExportTable("Accounts", _ACCOUNT_COLUMNS, out(), len(rows))


# -- actions ---------------------------------------------------------------------------------------
_ACTION_COLUMNS = [
    Column("id", "int", 7), Column("play", "text", 16), Column("status", "text", 11),
    Column("outcome", "text", 16), Column("owner", "text", 16), Column("due", "date", 12),
    Column("overdue", "bool", 9), Column("contact_email", "text", 28), Column("account", "text", 26),
    Column("arr", "money", 12), Column("response_id", "int", 10), Column("score", "int", 7),
    Column("comment", "text", 50), Column("responded_at", "datetime", 18), Column("created_at", "datetime", 18),
    Column("first_touch_at", "datetime", 18), Column("closed_at", "datetime", 18), Column("notes", "text", 40)]


def actions(ws: Workspace, filters: analytics.Filters, today: date | None = None) -> ExportTable:
    """Close-the-loop actions whose response (or, without one, creation) is dated in the scope's range."""
    module = _module("loop.actions")
    if module is None:
        raise ValueError("actions cannot be exported yet: the close-the-loop module is not installed")
    lo = filters.date_from.isoformat() if filters.date_from else ""
    hi = filters.date_to.isoformat() if filters.date_to else "\uffff"
    found = [a for a in module.list_actions(ws.conn, today=today)
             if lo <= (a.responded_at or a.created_at)[:10] <= hi]
    rows = [(a.id, a.play_name, a.status, a.outcome, a.owner, _day(a.due), a.overdue, a.contact_email,
             a.account_name, a.arr, a.response_id, a.score, a.comment, _moment(a.responded_at),
             _moment(a.created_at), _moment(a.first_touch_at), _moment(a.closed_at), a.notes) for a in found]
    return ExportTable("Actions", _ACTION_COLUMNS, rows, len(rows))


# -- segments --------------------------------------------------------------------------------------
_SEGMENT_COLUMNS = [
    Column("kind", "text", 14), Column("dimension", "text", 16), Column("segment", "text", 26),
    Column("responses", "int", 10), Column("promoters", "int", 10), Column("passives", "int", 10),
    Column("detractors", "int", 10), Column("nps", "float", 8), Column("margin95", "float", 10),
    Column("small_sample", "bool", 12)]


def segments(ws: Workspace, filters: analytics.Filters) -> ExportTable:
    """NPS per region, industry, tier and lifecycle stage in scope (what ``stats --by`` shows), then
    each saved segment over the same dates."""
    rows: list[tuple] = []
    least = analytics.min_responses(ws)
    for dim, title in SEGMENT_DIMENSIONS:
        for key, result in analytics.groups(ws, filters, dim):
            rows.append(("dimension", title, analytics.group_label(dim, key), *_figures(result, least)))
    for seg in analytics.list_segments(ws):
        scoped = seg.filters.with_dates(filters.date_from, filters.date_to)
        rows.append(("saved segment", "", seg.name, *_figures(analytics.overall(ws, scoped), least)))
    return ExportTable("Segments", _SEGMENT_COLUMNS, rows, len(rows))


def _figures(r: nps.NpsResult, least: int) -> tuple:
    """The counts, NPS and margin of a group; ``small_sample``: below the minimum sample (Settings)."""
    return (r.responses, r.promoters, r.passives, r.detractors,
            None if r.nps is None else round(r.nps, 2),
            None if r.margin95 is None else round(r.margin95, 2), r.responses < least)
