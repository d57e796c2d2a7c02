"""Writing responses: one place that derives the stored period keys and the duplicate key."""
from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from functools import lru_cache
from typing import Any, Iterable

from . import periods
from .workspace import now_iso

#: Columns a caller may give; ``score`` and ``responded_at`` are required.
FIELDS = ("score", "comment", "responded_at", "kind", "program_id", "touchpoint", "product",
          "contact_id", "account_id", "email", "source", "source_id", "content_key", "sentiment",
          "import_batch_id")
_COLUMNS = FIELDS + ("responded_on", "month", "quarter")
INSERT_SQL = (f"INSERT INTO responses ({', '.join(_COLUMNS)}) "
              f"VALUES ({', '.join('?' * len(_COLUMNS))})")


def content_key(email: str | None, responded_at: str, score: int, comment: str | None) -> str:
    """A stable key for a response without a tool id: who, when, what score, what words."""
    text = "\x1f".join([(email or "").strip().lower(), responded_at, str(score),
                        " ".join((comment or "").split())])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=8192)
def _period_keys(day_text: str) -> tuple[str, str, str]:
    day = date.fromisoformat(day_text)
    return day.isoformat(), periods.month_key(day), periods.quarter_key(day)


def row_values(r: dict[str, Any]) -> tuple:
    """The INSERT parameters of one response dict (period keys derived from ``responded_at``)."""
    values = tuple(map(r.get, FIELDS))
    if values[3] is None:  # kind
        values = values[:3] + ("rnps",) + values[4:]
    return values + _period_keys(r["responded_at"][:10])


def insert_responses(conn: sqlite3.Connection, rows: Iterable[dict[str, Any]],
                     or_ignore: bool = False) -> int:
    """Insert response dicts with ``executemany`` (the caller holds the transaction).

    With ``or_ignore`` a row whose ``(source, source_id)`` or ``content_key`` is already stored is
    skipped. Returns the number of rows inserted.
    """
    sql = INSERT_SQL.replace("INSERT", "INSERT OR IGNORE") if or_ignore else INSERT_SQL
    before = conn.total_changes
    conn.executemany(sql, (row_values(r) for r in rows))
    return conn.total_changes - before


def correct_score(conn: sqlite3.Connection, response_id: int, new_score: int, reason: str = "") -> None:
    """Correct a mistyped score, keeping the original and recording the correction."""
    if not 0 <= new_score <= 10:
        raise ValueError(f"a score is 0 to 10, not {new_score}")
    row = conn.execute("SELECT score, original_score FROM responses WHERE id = ?",
                       (response_id,)).fetchone()
    if row is None:
        raise ValueError(f"no response {response_id}")
    old = row[0]
    if old == new_score:
        return
    conn.execute("UPDATE responses SET score = ?, original_score = coalesce(original_score, ?) "
                 "WHERE id = ?", (new_score, old, response_id))
    conn.execute("INSERT INTO score_corrections(response_id, old_score, new_score, reason, at) "
                 "VALUES (?, ?, ?, ?, ?)", (response_id, old, new_score, reason, now_iso()))
