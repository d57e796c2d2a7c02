"""The responses table's query plans under the lean indexes and under the covering ones they replace.

    .venv/bin/python bench/index_plans.py [--workspace FILE]

Runs the responses table's queries (``core.browse``: first and later pages by date and by other sorts,
with date, kind, touchpoint and account filters, a search, the count, the sorted ids, a contact's
history) on a copy of the workspace (default: a new small demo), records each SQL statement the app
sends, and prints its ``EXPLAIN QUERY PLAN`` twice: with the schema's lean indexes (``schema._v7``) and
with the covering ``responses_cube`` / ``responses_people`` of versions 2 to 6 put back. A statement that
walks the whole table (or a whole index) under the lean indexes but searched before is marked ``NEW SCAN``.
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nps_desktop.core import analytics, browse  # noqa: E402
from nps_desktop.core.workspace import open_workspace  # noqa: E402

OLD = ["DROP INDEX IF EXISTS responses_on", "DROP INDEX IF EXISTS responses_account_id",
       "CREATE INDEX responses_cube ON responses"
       "(responded_on, score, kind, touchpoint, product, account_id, contact_id)",
       "CREATE INDEX responses_people ON responses"
       "(account_id, contact_id, responded_at, score, responded_on, kind, touchpoint)"]


def queries(ws) -> list[str]:
    some = ws.conn.execute("SELECT contact_id, account_id FROM responses WHERE contact_id IS NOT NULL "
                           "AND account_id IS NOT NULL LIMIT 1").fetchone()
    account = ws.conn.execute("SELECT name FROM accounts WHERE id = ?", (some[1],)).fetchone()[0]
    seen: list[str] = []
    ws.conn.set_trace_callback(lambda sql: seen.append(sql) if "responses" in sql and sql not in seen else None)
    spring = analytics.Filters(date(2025, 1, 1), date(2025, 6, 30))
    for q in (browse.ResponseQuery(),
              browse.ResponseQuery(descending=False),
              browse.ResponseQuery(filters=spring),
              browse.ResponseQuery(filters=analytics.Filters(values={"kind": ("rnps",), "touchpoint": ("support",)})),
              browse.ResponseQuery(filters=analytics.Filters(values={"account": (account,)})),
              browse.ResponseQuery(scores=(0, 1, 2)),
              browse.ResponseQuery(search="price"),
              browse.ResponseQuery(sort="score"),
              browse.ResponseQuery(sort="account", filters=spring)):
        first = browse.page(ws, q)
        if first:
            browse.page(ws, q, after=first[-1].cursor)
        browse.count(ws, q)
        browse.sorted_ids(ws, q)
    browse.contact_history(ws, some[0])
    ws.conn.set_trace_callback(None)
    return seen


def plan(conn: sqlite3.Connection, sql: str) -> str:
    return " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "plans.npsdb"
    if args.workspace:
        shutil.copy(args.workspace, path)
    else:
        from nps_desktop.core.demo import build_demo
        build_demo(path, seed=7, as_of=date(2026, 6, 30))
    with open_workspace(path) as ws:
        sqls = queries(ws)
        lean = [plan(ws.conn, s) for s in sqls]
        for statement in OLD:
            ws.conn.execute(statement)
        covering = [plan(ws.conn, s) for s in sqls]
    new_scans = 0
    for sql, a, b in zip(sqls, lean, covering):
        scan = "SCAN r" in a and "SCAN r" not in b   # a whole-table (or whole-index) walk where a search was
        new_scans += scan
        print(("NEW SCAN " if scan else "") + sql[:160].replace("\n", " "))
        print(f"   lean:     {a}\n   covering: {b}")
    print(f"{len(sqls)} statements, {new_scans} new full scans")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
