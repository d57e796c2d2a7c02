"""Connection strings without passwords, TLS that checks the server, the password from the keyring."""
from __future__ import annotations

import uuid

import keyring
import pytest
from keyring.backend import KeyringBackend
from psycopg.conninfo import conninfo_to_dict

from nps_desktop.cli import main
from nps_desktop.core.team import connect
from nps_desktop.core.team.connect import TeamError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def delete_password(self, service, username):
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    kept = MemoryKeyring()
    keyring.set_keyring(kept)
    yield kept
    keyring.set_keyring(before)


@pytest.fixture(autouse=True)
def _no_libpq_environment(monkeypatch):
    for name in ("PGPASSWORD", "PGSSLMODE", "PGHOST", "PGUSER", "PGPORT"):
        monkeypatch.delenv(name, raising=False)


def test_a_password_in_the_connection_string_is_refused():
    with pytest.raises(TeamError, match="holds a password: leave it out"):
        connect.parse("postgresql://ana:secret@db.example.com/nps")
    with pytest.raises(TeamError, match="holds a password"):
        connect.parse("postgresql://ana@db.example.com/nps?password=secret")


def test_a_remote_server_gets_verify_full_unless_insecure():
    target = connect.parse("postgresql://ana@db.example.com:6543/nps")
    assert conninfo_to_dict(target.conninfo)["sslmode"] == "verify-full"
    assert target.shown == "postgresql://ana@db.example.com:6543/nps" and not target.local
    assert target.keyring_key == "ana@db.example.com:6543/nps"
    with pytest.raises(TeamError, match="sslmode=require does not check .* add --insecure"):
        connect.parse("postgresql://ana@db.example.com/nps?sslmode=require")
    insecure = connect.parse("postgresql://ana@db.example.com/nps?sslmode=require", insecure=True)
    assert conninfo_to_dict(insecure.conninfo)["sslmode"] == "require"
    assert "sslmode" not in conninfo_to_dict(connect.parse("postgresql://ana@db.example.com/nps",
                                                           insecure=True).conninfo)


@pytest.mark.parametrize("dsn", ["postgresql://ana@localhost/nps", "postgresql://ana@127.0.0.1:5433/nps",
                                 "postgresql://ana@[::1]/nps", "postgresql://ana@/nps?host=/run/postgresql"])
def test_this_computer_is_left_as_given(dsn):
    target = connect.parse(dsn)
    assert target.local and "sslmode" not in conninfo_to_dict(target.conninfo)


def test_a_remote_server_listed_with_localhost_still_gets_tls():
    target = connect.parse("postgresql://ana@localhost,db.example.com/nps")
    assert not target.local and conninfo_to_dict(target.conninfo)["sslmode"] == "verify-full"


@pytest.mark.parametrize("dsn, words", [("nps.npsdb", "not a PostgreSQL connection string"),
                                        ("postgresql://ana@db.example.com", "names no database")])
def test_what_is_not_a_usable_connection_string_says_so(dsn, words):
    with pytest.raises(TeamError, match=words):
        connect.parse(dsn)


@pytest.mark.pg
def test_the_verify_full_default_really_refuses_a_server_without_tls(pg_cluster):
    """The cluster has no certificate: verify-full (what a remote host gets) cannot connect to it."""
    import psycopg
    with pytest.raises(psycopg.OperationalError, match="SSL"):
        psycopg.connect(f"host=127.0.0.1 port={pg_cluster.port} dbname=postgres user=postgres sslmode=verify-full")


@pytest.mark.pg
def test_team_login_keeps_a_password_that_works_and_connect_uses_it(pg_cluster, pg_dsn, memory_keyring,
                                                                      capsys, monkeypatch):
    import psycopg
    name = f"login_{uuid.uuid4().hex[:8]}"
    dbname = str(conninfo_to_dict(pg_dsn)["dbname"])
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'kept-in-keyring'")
    dsn = pg_cluster.tcp_dsn(name, dbname)
    try:
        with pytest.raises(TeamError, match="cannot connect to postgresql://.*password"):
            connect.connect(dsn)  # nothing kept yet, no PGPASSWORD
        monkeypatch.setenv("NPS_DESKTOP_PASSWORD", "wrong-one")
        assert main(["team", "login", dsn]) == 1
        assert "password authentication failed" in capsys.readouterr().err and not memory_keyring.kept
        monkeypatch.setenv("NPS_DESKTOP_PASSWORD", "kept-in-keyring")
        assert main(["team", "login", dsn]) == 0
        assert "kept in the system keyring" in capsys.readouterr().out
        assert list(memory_keyring.kept.values()) == ["kept-in-keyring"]
        monkeypatch.delenv("NPS_DESKTOP_PASSWORD")
        with connect.connect(dsn) as conn:
            assert conn.execute("SELECT current_user").fetchone()[0] == name
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f"DROP ROLE {name}")


def test_without_a_keyring_login_says_what_to_use_instead(monkeypatch):
    from keyring.backends import fail
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        target = connect.parse("postgresql://ana@localhost/nps")
        assert connect.keyring_password(target) is None
        with pytest.raises(TeamError, match="no usable keyring .* ~/.pgpass or PGPASSWORD"):
            connect.store_password(target, "x")
    finally:
        keyring.set_keyring(before)
