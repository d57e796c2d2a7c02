"""Schema v7: the covering response indexes give way to lean ones; the data, the unique keys and the
responses table's paging by date stay (in index order, without a sort)."""
from __future__ import annotations

import sqlite3

from nps_desktop.core import browse, schema
from nps_desktop.core.responses import insert_responses
from nps_desktop.core.workspace import open_workspace

EXPECTED = {"responses_source_id", "responses_content_key", "responses_contact", "responses_batch",
            "responses_account_id", "responses_on"}


def _indexes(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                       "AND tbl_name = 'responses' AND sql IS NOT NULL")}


def test_a_new_workspace_has_only_the_lean_response_indexes(ws):
    assert _indexes(ws.conn) == EXPECTED
    assert set(schema.RESPONSE_UNIQUE_INDEXES) | set(schema.RESPONSE_LEAN_INDEXES) == EXPECTED


def test_a_version_6_workspace_is_migrated_and_keeps_its_rows(tmp_path):
    path = tmp_path / "v6.npsdb"
    conn = sqlite3.connect(path)
    for migration in schema.MIGRATIONS[:6]:
        migration(conn)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 6")
    insert_responses(conn, [{"score": 9, "responded_at": "2026-01-05T10:00:00", "source": "s", "source_id": "a"},
                            {"score": 3, "responded_at": "2026-02-05", "source": "s", "source_id": "b"}])
    conn.commit()
    assert {"responses_cube", "responses_people"} <= _indexes(conn)
    conn.close()

    with open_workspace(path) as ws:
        assert ws.scalar("PRAGMA user_version") == schema.LATEST_VERSION >= 7
        assert _indexes(ws.conn) == EXPECTED
        assert [tuple(r) for r in ws.conn.execute("SELECT source_id, score, responded_on FROM responses ORDER BY id")] == [
            ("a", 9, "2026-01-05"), ("b", 3, "2026-02-05")]
        assert ws.scalar("PRAGMA integrity_check") == "ok"
        # the unique key still refuses the same response twice
        try:
            insert_responses(ws.conn, [{"score": 1, "responded_at": "2026-03-01", "source": "s", "source_id": "a"}])
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("the same (source, source_id) was stored twice")


def _plan(ws, sql: str, params) -> str:
    return " | ".join(r[3] for r in ws.conn.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_pages_by_date_walk_the_date_index_without_a_sort(ws):
    insert_responses(ws.conn, [{"score": s, "responded_at": f"2026-01-{d:02d}T10:00:00"}
                               for d in range(1, 29) for s in (0, 9)])
    seen: list[str] = []
    ws.conn.set_trace_callback(seen.append)
    first = browse.page(ws, browse.ResponseQuery(), limit=5)
    browse.page(ws, browse.ResponseQuery(), after=first[-1].cursor, limit=5)
    ws.conn.set_trace_callback(None)
    pages = [s for s in seen if "ORDER BY" in s]
    assert len(pages) == 2
    for sql in pages:
        plan = _plan(ws, sql, ())
        assert "INDEX responses_on" in plan and "TEMP B-TREE" not in plan, plan
    assert "SEARCH r USING INDEX responses_on" in _plan(ws, pages[1], ())
    assert [r.responded_at for r in first] == ["2026-01-28T10:00:00"] * 2 + ["2026-01-27T10:00:00"] * 2 + [
        "2026-01-26T10:00:00"]


def test_undo_and_account_lookups_search_by_index(ws):
    for sql in ("SELECT id FROM responses WHERE account_id = 1", "SELECT id FROM responses WHERE import_batch_id = 1",
                "SELECT id FROM responses WHERE contact_id = 1"):
        assert "SEARCH responses USING" in _plan(ws, sql, ()), sql
