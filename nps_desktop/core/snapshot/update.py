"""Keep a held snapshot current through a write, without reading the workspace again.

A write names the responses it touches as an SQL condition (``Rows``): an import batch's rows and the
rows it changed, a corrected response; and whether the account and contact tables changed. ``before``
(just before the write) notes the held snapshot, if current, and the connection's ``data_version``;
``after`` (once it committed) reads only the touched rows and the small tables, and holds the result,
keyed by the new generation. It does so only when the connection's ``data_version`` is unchanged — no
other connection or process committed in between, so the new generation is this write's alone —
and otherwise leaves the snapshot stale for a full load to replace.

Rows are matched by response id: those the condition selected before the write and those it selects
after leave the snapshot, and the latter come back as they are now. Accounts and contacts are matched
by id too, so a deleted one leaves its responses without an account (contact), as ``ON DELETE SET
NULL`` does in the file.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import columns, generation
from .model import Snapshot


@dataclass(frozen=True)
class Rows:
    """The responses a write touches (``where``: an SQL condition on ``r``) and whether it changes
    the accounts or contacts tables."""
    where: str | None = None
    params: tuple[Any, ...] = ()
    tables: bool = True

    @classmethod
    def batch(cls, batch_id: int) -> "Rows":
        """An import batch: its responses, and the responses it changed (linked to accounts…)."""
        return cls("r.import_batch_id = ? OR r.id IN (SELECT row_id FROM import_changes "
                   "WHERE batch_id = ? AND table_name = 'responses')", (batch_id, batch_id))

    @classmethod
    def response(cls, response_id: int) -> "Rows":
        """One response (a corrected score): the tables stay as they are."""
        return cls("r.id = ?", (response_id,), tables=False)

    def ids(self, conn: sqlite3.Connection) -> np.ndarray:
        if not self.where:
            return np.zeros(0, dtype=np.int64)
        return np.array([r[0] for r in conn.execute(f"SELECT r.id FROM responses r WHERE {self.where}",
                                                    self.params)], dtype=np.int64)


def data_version(conn: sqlite3.Connection) -> int:
    """Changes when another connection commits to the file (never for this connection's own)."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def read_change(conn: sqlite3.Connection, snap: Snapshot, rows: Rows, before: np.ndarray) -> Snapshot:
    """``snap`` after the write: read in one read transaction with the generation it is of."""
    conn.execute("BEGIN")
    try:
        key = generation.read(conn)
        accounts, contacts = snap.accounts, snap.contacts
        if rows.tables:
            accounts = columns.table(conn, "a", "SELECT a.id, a.arr{cols} FROM accounts a ORDER BY a.id")
            contacts = columns.table(conn, "c", "SELECT c.id, NULL{cols} FROM contacts c ORDER BY c.id")
        gone = np.union1d(before, rows.ids(conn))
        fresh = columns.responses(conn, rows.where, rows.params) if rows.where else None
    finally:
        conn.execute("COMMIT")
    return apply(snap, key, accounts, contacts, gone, fresh)


def apply(snap: Snapshot, key: tuple[int, int] | None, accounts: Any, contacts: Any, gone: np.ndarray,
          fresh: dict[str, Any] | None) -> Snapshot:
    """``snap`` without the responses ``gone``, with ``fresh`` (as ``columns.responses`` reads them),
    over the tables ``accounts`` and ``contacts`` (rows matched by id)."""
    keep = ~np.isin(snap.rid, gone) if len(gone) else np.ones(len(snap), dtype=bool)

    def moved(old: np.ndarray, before: Any, now: Any) -> np.ndarray:
        if before is now:
            return old
        ids = np.r_[before.ids, 0]          # the "none" row stands for id 0
        return columns.index(now.ids, ids[old])

    acc = moved(snap.acc[keep], snap.accounts, accounts)
    con = moved(snap.con[keep], snap.contacts, contacts)
    day, score, time, rid = snap.day[keep], snap.score[keep], snap.time[keep], snap.rid[keep]
    codes = {d: c[keep] for d, c in snap.codes.items()}
    labels = {d: list(v) for d, v in snap.labels.items()}
    if fresh is not None and len(fresh["day"]):
        ids = fresh["ids"]
        day = np.r_[day, (fresh["day"] >> 4) - columns.JULIAN_TO_ORDINAL]
        score = np.r_[score, fresh["day"] & 15]
        acc = np.r_[acc, columns.index(accounts.ids, ids >> 32)]
        con = np.r_[con, columns.index(contacts.ids, ids & 0xFFFFFFFF)]
        time, rid = np.r_[time, fresh["time"]], np.r_[rid, fresh["rid"]]
        for d in codes:
            codes[d] = np.r_[codes[d].astype(np.int32), _recode(fresh[d], fresh[f"{d}:labels"], labels[d])]
    return Snapshot.build(key=key, day=day, score=score, acc=acc, con=con, time=time, rid=rid,
                          codes=codes, labels=labels, accounts=accounts, contacts=contacts)


def _recode(codes: np.ndarray, theirs: list[Any], ours: list[Any]) -> np.ndarray:
    """Codes into ``theirs`` as codes into ``ours`` (values ``ours`` lacks are appended to it)."""
    lookup = {v: i for i, v in enumerate(ours)}
    mapping = np.zeros(len(theirs), dtype=np.int32)
    for i, v in enumerate(theirs):
        if v is not None:
            if v not in lookup:
                lookup[v] = len(ours)
                ours.append(v)
            mapping[i] = lookup[v]
    return mapping[codes]
