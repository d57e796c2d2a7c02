"""The dashboard-index migration (schema v2) on a version-1 workspace: data is kept, and the indexes it
made are, in turn, replaced by the lean ones of version 7 (``test_schema_lean_indexes``)."""
from __future__ import annotations

import sqlite3

from nps_desktop.core import analytics, schema
from nps_desktop.core.responses import insert_responses
from nps_desktop.core.workspace import open_workspace


def _indexes(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                       "AND tbl_name = 'responses' AND sql IS NOT NULL")}


def test_v1_workspace_migrates_to_the_dashboard_indexes(tmp_path):
    path = tmp_path / "old.npsdb"
    conn = sqlite3.connect(path)
    schema.MIGRATIONS[0](conn)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    insert_responses(conn, [{"score": 9, "responded_at": "2026-01-05T10:00:00"},
                            {"score": 3, "responded_at": "2026-02-05"}])
    conn.commit()
    assert {"responses_day", "responses_account"} <= _indexes(conn)
    conn.close()

    with open_workspace(path) as ws:
        assert ws.scalar("PRAGMA user_version") >= 2
        names = _indexes(ws.conn)
        assert set(schema.RESPONSE_LEAN_INDEXES) <= names
        assert not {"responses_day", "responses_account", "responses_cube", "responses_people"} & names
        assert analytics.overall(ws, analytics.Filters()).as_dict() == {
            "responses": 2, "promoters": 1, "passives": 0, "detractors": 1, "nps": 0.0,
            "margin95": analytics.nps.margin95(1, 1, 2)}
