"""The throwaway cluster itself: it runs, as a user other than root, and a test gets its own database."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.pg


def test_cluster_answers_and_runs_as_a_non_root_user(pg_cluster, pg_dsn):
    import psycopg
    with psycopg.connect(pg_dsn) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()[0]
        data_dir = Path(conn.execute("SHOW data_directory").fetchone()[0])
        db = conn.execute("SELECT current_database()").fetchone()[0]
    assert int(version) >= 150000
    assert data_dir.parent == pg_cluster.folder
    assert data_dir.stat().st_uid != 0  # initdb and the server refuse root; the folder is the server user's
    assert db.startswith("t_") and db in pg_dsn
    print(f"cluster start {pg_cluster.startup_seconds:.2f} s")


def test_each_test_gets_an_empty_database(pg_dsn):
    import psycopg
    with psycopg.connect(pg_dsn) as conn:
        tables = conn.execute("SELECT count(*) FROM information_schema.tables "
                              "WHERE table_schema = 'public'").fetchone()[0]
    assert tables == 0


def test_passwords_are_checked_over_tcp(pg_cluster, pg_dsn):
    """Login roles connect over TCP with scram-sha-256: a wrong password is refused."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict
    dbname = str(conninfo_to_dict(pg_dsn)["dbname"])
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS t_login")
        conn.execute(sql.SQL("CREATE ROLE t_login LOGIN PASSWORD {}").format(sql.Literal("right-one")))
    try:
        with psycopg.connect(pg_cluster.tcp_dsn("t_login", dbname), password="right-one") as conn:
            assert conn.execute("SELECT current_user").fetchone()[0] == "t_login"
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(pg_cluster.tcp_dsn("t_login", dbname), password="wrong")
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute("DROP ROLE t_login")
