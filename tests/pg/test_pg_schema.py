"""The PostgreSQL schema has the SQLite schema's tables and columns, migration for migration."""
from __future__ import annotations

import pytest

from nps_desktop.core import schema
from nps_desktop.core.team import pg_schema

pytestmark = pytest.mark.pg


def _sqlite_shape(ws) -> dict[str, list[tuple[str, str, bool]]]:
    tables = [r[0] for r in ws.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    shape = {}
    for t in tables:
        info = ws.conn.execute(f'PRAGMA table_info("{t}")').fetchall()
        # A primary key column is never NULL on PostgreSQL; SQLite reports only what was declared.
        shape[t] = [(c["name"], pg_schema.TYPES[c["type"]], bool(c["notnull"] or c["pk"])) for c in info]
    return shape


def test_every_sqlite_migration_has_its_postgresql_counterpart():
    assert [m.__name__ for m in pg_schema.MIGRATIONS] == [m.__name__ for m in schema.MIGRATIONS]
    assert pg_schema.LATEST_VERSION == schema.LATEST_VERSION


def test_tables_and_columns_match_sqlite_after_all_migrations(ws, pg_dsn):
    import psycopg
    with psycopg.connect(pg_dsn) as conn:
        assert pg_schema.version(conn) is None
        assert pg_schema.migrate(conn) == 0
        assert pg_schema.version(conn) == schema.LATEST_VERSION
        recorded = conn.execute(f"SELECT version, name FROM {pg_schema.MIGRATIONS_TABLE} "
                                "ORDER BY version").fetchall()
        pg_shape = {t: [c for c in pg_schema.columns(conn, t) if c[0] not in pg_schema.TEAM_COLUMNS.get(t, ())]
                    for t in pg_schema.workspace_tables(conn)}
    assert recorded == [(i + 1, m.__name__) for i, m in enumerate(schema.MIGRATIONS)]
    sqlite_shape = _sqlite_shape(ws)
    assert sorted(pg_shape) == sorted(sqlite_shape)
    assert len(sqlite_shape) == 24  # counted in schema.py: 20 in V1, snapshots, 2 pack tables, generation
    for table, cols in sqlite_shape.items():
        assert pg_shape[table] == cols, table


def test_migrate_again_changes_nothing_and_a_newer_database_is_refused(pg_dsn):
    import psycopg
    with psycopg.connect(pg_dsn) as conn:
        pg_schema.migrate(conn)
        assert pg_schema.migrate(conn) == schema.LATEST_VERSION
        conn.execute(f"INSERT INTO {pg_schema.MIGRATIONS_TABLE}(version, name) VALUES (%s, 'future')",
                     (schema.LATEST_VERSION + 1,))
        conn.commit()
        with pytest.raises(ValueError, match="update the app"):
            pg_schema.migrate(conn)


def test_constraints_and_the_erasure_trigger_work_on_postgresql(pg_dsn):
    """The CHECKs, defaults, identities and the trigger that drops a chosen quote when its comment is
    erased behave as on SQLite."""
    import psycopg
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        pg_schema.migrate(conn)
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO responses(score, responded_at, responded_on, month, quarter) "
                         "VALUES (11, '2026-01-02', '2026-01-02', '2026-01', '2026Q1')")
        rid = conn.execute("INSERT INTO responses(score, comment, responded_at, responded_on, month, quarter) "
                           "VALUES (9, 'great', '2026-01-02', '2026-01-02', '2026-01', '2026Q1') "
                           "RETURNING id, kind, created_at").fetchone()
        assert rid[1] == "rnps" and len(rid[2]) == 19 and rid[2][10] == "T"  # 2026-01-02T09:30:00
        conn.execute("INSERT INTO pack_quotes(period, response_id, text, original, position, added_at) "
                     "VALUES ('2026Q1', %s, 'great', 'great', 1, '2026-02-01')", (rid[0],))
        conn.execute("UPDATE responses SET score = 10 WHERE id = %s", (rid[0],))
        assert conn.execute("SELECT count(*) FROM pack_quotes").fetchone()[0] == 1
        conn.execute("UPDATE responses SET comment = NULL WHERE id = %s", (rid[0],))
        assert conn.execute("SELECT count(*) FROM pack_quotes").fetchone()[0] == 0
