"""Read a snapshot from SQLite: accounts and contacts as they are, responses in one packed scan.

The responses come back as a handful of long strings (``group_concat`` of integers, or of hex-coded text
for the text fields) rather than a million rows of Python objects: numpy parses the numbers in C, and a
text field's values are turned into small integer codes (0 = no value) per distinct value.
"""
from __future__ import annotations

import sqlite3
import warnings
from typing import Any

import numpy as np

from ..filters import DIMENSIONS, level
from . import generation
from .model import Snapshot, Table

#: ``CAST(julianday(day) AS INTEGER)`` minus this is the day's proleptic ordinal (``date.toordinal``).
JULIAN_TO_ORDINAL = 1721424
#: The rollup's clock: a response's time in seconds, as ``analytics`` orders a contact's responses.
_TIME = "coalesce(unixepoch(responded_at), unixepoch(responded_on), 0)"
_NUMBERS = {
    "day": "coalesce(CAST(julianday(responded_on) AS INTEGER), 0) * 16 + score",
    "ids": "(coalesce(account_id, 0) << 32) | coalesce(contact_id, 0)",
    "time": _TIME,
    "rid": "id",
}


def dims_of(lvl: str) -> list[str]:
    """The dimensions that live on a table (``r``, ``a`` or ``c``), in a fixed order."""
    return [d for d in DIMENSIONS if level(d) == lvl]


def read(conn: sqlite3.Connection) -> Snapshot:
    """The snapshot of everything the figures need, read in one read transaction (so it matches the
    generation read with it)."""
    conn.execute("BEGIN")
    try:
        key = generation.read(conn)
        accounts = table(conn, "a", "SELECT a.id, a.arr{cols} FROM accounts a ORDER BY a.id")
        contacts = table(conn, "c", "SELECT c.id, NULL{cols} FROM contacts c ORDER BY c.id")
        if any(len(t.ids) and not 0 < t.ids[0] <= t.ids[-1] < 2 ** 32 for t in (accounts, contacts)):
            raise ValueError("account and contact ids must be 1 to 2³² − 1 for the snapshot")
        columns = responses(conn)
    finally:
        conn.execute("COMMIT")
    day_score = columns.pop("day")
    ids = columns.pop("ids")
    acc = index(accounts.ids, ids >> 32)
    con = index(contacts.ids, ids & 0xFFFFFFFF)
    return Snapshot.build(key=key, day=(day_score >> 4) - JULIAN_TO_ORDINAL, score=day_score & 15,
                          acc=acc, con=con, time=columns.pop("time"), rid=columns.pop("rid"),
                          codes={d: columns[d] for d in dims_of("r")},
                          labels={d: columns[f"{d}:labels"] for d in dims_of("r")},
                          accounts=accounts, contacts=contacts)


def table(conn: Any, lvl: str, sql: str) -> Table:
    """Ids, ARR (accounts) and each field as codes, with a last row for "none" (no account/contact).

    ``conn``: any connection whose ``execute`` returns a cursor (SQLite, or PostgreSQL for a team)."""
    dims = dims_of(lvl)
    cols = "".join(f", {DIMENSIONS[d]}" for d in dims)
    rows = conn.execute(sql.format(cols=cols)).fetchall()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    arr = np.array([np.nan if r[1] is None else r[1] for r in rows] + [np.nan], dtype=np.float64)
    codes, labels = {}, {}
    for i, d in enumerate(dims, start=2):
        codes[d], labels[d] = factorize([r[i] for r in rows] + [None])
    return Table(ids=ids, arr=arr, codes=codes, labels=labels)


def factorize(values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Codes (0 for None) and the labels they stand for (``labels[0]`` is None)."""
    lookup: dict[Any, int] = {None: 0}
    codes = np.fromiter((lookup.setdefault(v, len(lookup)) for v in values), dtype=np.int32,
                        count=len(values))
    return codes, list(lookup)


def responses(conn: sqlite3.Connection, where: str = "", where_params: tuple[Any, ...] = ()) -> dict[str, Any]:
    """The numbers and text fields of every response (of those ``where`` selects, an SQL condition
    on ``r``), from one scan; a text field as codes and the labels they stand for (``"<dim>:labels"``)."""
    parts = [f"group_concat({expr})" for expr in _NUMBERS.values()]
    params: list[Any] = []
    labels: dict[str, list[Any] | None] = {}
    for dim in dims_of("r"):
        sql, values, labels[dim] = _text_code_sql(conn, DIMENSIONS[dim], where, where_params)
        parts.append(f"group_concat({sql})")
        params += values
    source = f"responses r WHERE {where}" if where else "responses r NOT INDEXED"
    row = conn.execute(f"SELECT {', '.join(parts)} FROM {source}", [*params, *where_params]).fetchone()
    out: dict[str, Any] = {name: _numbers(value) for name, value in zip(_NUMBERS, row)}
    n = len(out["day"])
    for dim, value in zip(labels, row[len(_NUMBERS):]):
        if labels[dim] is None:
            out[dim], out[f"{dim}:labels"] = _hex_codes(value, n)
        else:
            out[dim], out[f"{dim}:labels"] = _numbers(value).astype(np.int32), labels[dim]
    return out


#: A text field with at most this many values is coded in SQL; one with more, from its hex values.
CASE_LIMIT = 64


def _text_code_sql(conn: sqlite3.Connection, expr: str, where: str = "", where_params: tuple[Any, ...] = ()
                   ) -> tuple[str, list[Any], list[Any] | None]:
    """An SQL expression for a text field's code, its parameters and the labels (None: hex coded)."""
    also = f" AND ({where})" if where else ""
    values = [r[0] for r in conn.execute(f"SELECT DISTINCT {expr} FROM responses r WHERE {expr} IS NOT NULL{also}",
                                         where_params)]
    if len(values) > CASE_LIMIT:
        # hex never holds "N" or ",": a value's hex stands for it exactly, "N" for none
        return f"CASE WHEN {expr} IS NULL THEN 'N' ELSE hex({expr}) END", [], None
    whens = " ".join(f"WHEN ? THEN {i}" for i in range(1, len(values) + 1))
    return (f"CASE {expr} {whens} ELSE 0 END" if values else "0"), values, [None, *values]


def _numbers(joined: str | None) -> np.ndarray:
    """Comma-separated integers, parsed in C."""
    if not joined:
        return np.zeros(0, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return np.fromstring(joined, dtype=np.int64, sep=",")


def _hex_codes(joined: str | None, n: int) -> tuple[np.ndarray, list[Any]]:
    if not joined:
        return np.zeros(n, dtype=np.int32), [None]
    hexes = joined.split(",")
    lookup: dict[str, int] = {"N": 0}
    labels: list[Any] = [None]
    for h in dict.fromkeys(hexes):
        if h not in lookup:
            lookup[h] = len(labels)
            labels.append(bytes.fromhex(h).decode("utf-8", "surrogateescape"))
    codes = np.fromiter(map(lookup.__getitem__, hexes), dtype=np.int32, count=n)
    return codes, labels


def index(ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Each key's position in the sorted ``ids``; ``len(ids)`` (the "none" row) for 0 (no id)."""
    pos = np.searchsorted(ids, keys)
    found = (keys != 0) & (pos < len(ids))
    found[found] = ids[pos[found]] == keys[found]
    return np.where(found, pos, len(ids)).astype(np.int32)
