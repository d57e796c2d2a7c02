"""Every response, page by page: the responses table's queries, its search, and a response's history.

By date, pages are read with keyset paging (``after`` the last row's sort key) along the date index, so
the thousandth page costs the same as the first; any other order sorts the matching ids once (8 bytes a
response) and reads pages by id. The table never loads all responses.
"""
from __future__ import annotations

import sqlite3
from array import array
from dataclasses import dataclass, field, replace
from typing import Any, Iterator, NamedTuple

from . import analytics, responses
from .snapshot import store, update
from .workspace import Workspace

#: Sort keys of the responses table and their SQL (a tie always falls to the response id).
SORTS: dict[str, tuple[str, ...]] = {
    "date": ("r.responded_on", "r.responded_at"),
    "score": ("r.score",),
    "account": ("coalesce(a.name, '')",),
    "email": ("coalesce(r.email, '')",),
    "kind": ("r.kind",),
    "touchpoint": ("coalesce(r.touchpoint, '')",),
    "product": ("coalesce(r.product, '')",),
    "comment": ("coalesce(r.comment, '')",),
}
PAGE_SIZE = 200
#: How often (in SQLite steps) a long sort checks whether it was cancelled.
PROGRESS_STEPS = 200_000


class ResponseRow(NamedTuple):
    id: int
    responded_at: str
    score: int
    original_score: int | None
    kind: str
    touchpoint: str | None
    product: str | None
    account_id: int | None
    account: str | None
    contact_id: int | None
    email: str | None
    comment: str | None
    cursor: tuple  # the sort key of this row, for the next page


@dataclass(frozen=True)
class ResponseQuery:
    """Which responses the table shows, in which order."""
    filters: analytics.Filters = field(default_factory=analytics.Filters)
    search: str = ""
    scores: tuple[int, ...] = ()          # only these scores (a click on the 0–10 chart)
    sort: str = "date"
    descending: bool = True

    def sorted_by(self, sort: str, descending: bool) -> "ResponseQuery":
        if sort not in SORTS:
            raise ValueError(f"cannot sort by {sort!r}; choose one of {', '.join(SORTS)}")
        return replace(self, sort=sort, descending=descending)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(ws: Workspace, q: ResponseQuery) -> tuple[str, list[Any]]:
    _, cond, params = analytics.where(analytics.resolve(ws, q.filters), key_index=False)
    if q.scores:
        cond = analytics._and(cond, f"r.score IN ({','.join('?' * len(q.scores))})")
        params = params + [int(s) for s in q.scores]
    if q.search.strip():
        pattern = _like(q.search.strip())
        cond = analytics._and(cond, "(r.comment LIKE ? ESCAPE '\\' OR r.email LIKE ? ESCAPE '\\' OR "
                                    "r.account_id IN (SELECT id FROM accounts WHERE name LIKE ? ESCAPE '\\'))")
        params = params + [pattern] * 3
    return cond, params


def count(ws: Workspace, q: ResponseQuery) -> int:
    """How many responses the query matches."""
    cond, params = _conditions(ws, q)
    return ws.scalar(f"SELECT count(*) FROM responses r{cond}", params)


_COLUMNS = ("r.id, r.responded_at, r.score, r.original_score, r.kind, r.touchpoint, r.product, "
            "r.account_id, a.name, r.contact_id, r.email, r.comment")
_FROM = "FROM responses r LEFT JOIN accounts a ON a.id = r.account_id"


def _keys(q: ResponseQuery) -> tuple[str, ...]:
    if q.sort not in SORTS:
        raise ValueError(f"cannot sort by {q.sort!r}; choose one of {', '.join(SORTS)}")
    return SORTS[q.sort] + ("r.id",)


def page(ws: Workspace, q: ResponseQuery, after: tuple | None = None,
         limit: int = PAGE_SIZE) -> list[ResponseRow]:
    """The next ``limit`` responses after the row whose ``cursor`` is ``after`` (None: the first page)."""
    keys = _keys(q)
    cond, params = _conditions(ws, q)
    direction = "DESC" if q.descending else "ASC"
    if after is not None:
        op = "<" if q.descending else ">"
        cond = analytics._and(cond, f"({', '.join(keys)}) {op} ({', '.join('?' * len(keys))})")
        params = params + list(after)
        if q.sort == "date":  # lets SQLite start the date index at the cursor
            cond = analytics._and(cond, f"r.responded_on {op}= ?")
            params.append(after[0])
    order = ", ".join(f"{k} {direction}" for k in keys)
    sql = f"SELECT {_COLUMNS}, {', '.join(keys)} {_FROM}{cond} ORDER BY {order} LIMIT ?"
    n = len(keys)
    return [ResponseRow(*row[:12], tuple(row[12:12 + n]))
            for row in ws.conn.execute(sql, params + [limit])]


def sorted_ids(ws: Workspace, q: ResponseQuery, cancelled=None) -> array:
    """The ids of every response the query matches, in its order (8 bytes a response)."""
    keys = _keys(q)
    cond, params = _conditions(ws, q)
    direction = "DESC" if q.descending else "ASC"
    order = ", ".join(f"{k} {direction}" for k in keys)
    cursor = ws.conn.cursor()
    cursor.row_factory = None  # plain tuples: a million Row objects cost a second
    if cancelled is not None:
        ws.conn.set_progress_handler(lambda: 1 if cancelled() else 0, PROGRESS_STEPS)
    try:
        return array("q", (r[0] for r in cursor.execute(f"SELECT r.id {_FROM}{cond} ORDER BY {order}",
                                                       params)))
    except sqlite3.OperationalError as exc:
        if cancelled is not None and cancelled():
            raise Cancelled("sorting cancelled") from exc
        raise
    finally:
        if cancelled is not None:
            ws.conn.set_progress_handler(None, 0)


def rows_by_id(ws: Workspace, ids) -> list[ResponseRow]:
    """The responses with these ids, in the order given."""
    ids = list(ids)
    if not ids:
        return []
    found = {row[0]: ResponseRow(*row, ()) for row in ws.conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE r.id IN ({','.join('?' * len(ids))})", ids)}
    return [found[i] for i in ids if i in found]


class Cancelled(Exception):
    """A long read was cancelled."""


class Pager:
    """Hands out a query's rows a page at a time, in order.

    By date it pages through the date index (each page costs the same); any other order sorts the
    matching ids once, on the first page, and then reads pages by id.
    """

    def __init__(self, q: ResponseQuery):
        self.q = q
        self.after: tuple | None = None
        self.ids: array | None = None
        self.pos = 0
        self.done = False

    def next_page(self, ws: Workspace, limit: int = PAGE_SIZE, cancelled=None) -> list[ResponseRow]:
        if self.done:
            return []
        if self.q.sort == "date":
            rows = page(ws, self.q, self.after, limit)
            if rows:
                self.after = rows[-1].cursor
            self.done = len(rows) < limit
            return rows
        if self.ids is None:
            self.ids = sorted_ids(ws, self.q, cancelled)
        chunk = self.ids[self.pos:self.pos + limit]
        self.pos += len(chunk)
        self.done = self.pos >= len(self.ids)
        return rows_by_id(ws, chunk)


def iter_rows(ws: Workspace, q: ResponseQuery, batch: int = 2000) -> Iterator[ResponseRow]:
    """Every response the query matches, in order, a page at a time."""
    pager = Pager(q)
    while not pager.done:
        yield from pager.next_page(ws, batch)


#: The columns of an export of the responses table.
EXPORT_HEADER = ("Response id", "Responded at", "Score", "Category", "Original score", "Program kind",
                 "Touchpoint", "Product", "Account", "Email", "Comment")


def export_row(r: ResponseRow) -> tuple:
    from .nps import classify
    return (r.id, r.responded_at, r.score, classify(r.score), r.original_score, r.kind, r.touchpoint,
            r.product, r.account, r.email, r.comment)


# -- one response and the people behind it ---------------------------------------------------------
def response_detail(ws: Workspace, response_id: int) -> dict[str, Any]:
    """A response with its program, contact and account, and its score corrections."""
    row = ws.conn.execute(
        "SELECT r.*, p.name AS program, c.first_name, c.last_name, c.role, c.email AS contact_email, "
        "c.opted_out, a.name AS account, a.tier, a.region, a.industry, a.arr, a.renewal_date, a.owner, "
        "a.lifecycle_stage, a.status AS account_status "
        "FROM responses r LEFT JOIN programs p ON p.id = r.program_id "
        "LEFT JOIN contacts c ON c.id = r.contact_id LEFT JOIN accounts a ON a.id = r.account_id "
        "WHERE r.id = ?", (response_id,)).fetchone()
    if row is None:
        raise ValueError(f"no response {response_id}")
    out = dict(row)
    out["contact_name"] = " ".join(x for x in (row["first_name"], row["last_name"]) if x) or None
    out["corrections"] = corrections(ws, response_id)
    out["follow_ups"] = follow_ups(ws, response_id)
    return out


def follow_ups(ws: Workspace, response_id: int) -> list[dict[str, Any]]:
    """The actions a response created (its plays' follow-ups), oldest first, each with its play's name."""
    return [dict(r) for r in ws.conn.execute(
        "SELECT a.id, a.play, coalesce(p.name, '') AS play_name, a.owner, a.due, a.status, a.outcome, "
        "a.created_at, a.closed_at FROM actions a LEFT JOIN plays p ON p.key = a.play "
        "WHERE a.response_id = ? ORDER BY a.created_at, a.id", (response_id,))]


def corrections(ws: Workspace, response_id: int) -> list[dict[str, Any]]:
    """The score corrections of a response, oldest first."""
    return [dict(r) for r in ws.conn.execute(
        "SELECT old_score, new_score, reason, at FROM score_corrections WHERE response_id = ? "
        "ORDER BY at, id", (response_id,))]


def contact_history(ws: Workspace, contact_id: int | None, email: str | None = None,
                    limit: int = 500) -> list[dict[str, Any]]:
    """A contact's responses, newest first (by email when the response has no contact)."""
    if contact_id is not None:
        test, arg = "r.contact_id = ?", contact_id
    elif email:
        test, arg = "r.email = ?", email
    else:
        return []
    return [dict(r) for r in ws.conn.execute(
        f"SELECT r.id, r.responded_at, r.score, r.original_score, r.kind, r.touchpoint, r.comment "
        f"FROM responses r WHERE {test} ORDER BY r.responded_at DESC, r.id DESC LIMIT ?", (arg, limit))]


def correct_score(ws: Workspace, response_id: int, new_score: int, reason: str = "") -> None:
    """Correct a mistyped score; the original and the correction are kept (``responses.correct_score``)."""
    with store.writing(ws, update.Rows.response(response_id)), ws.transaction() as conn:
        responses.correct_score(conn, response_id, int(new_score), reason.strip())
