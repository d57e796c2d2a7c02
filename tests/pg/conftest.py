"""A throwaway PostgreSQL cluster for the tests marked ``pg``.

One cluster per test process (per xdist worker), started the first time a test asks for it: ``initdb``
into a temporary folder, ``pg_ctl start`` on a free port with its socket in that folder, stopped and
removed when the session ends (also when a test fails). PostgreSQL refuses to run as root, so as root
(CI) the server runs as the ``postgres`` system user that Debian's package creates (``runuser``), and
the folder is given to it. The superuser connects through the socket without a password; the login roles
that tests create connect over TCP to 127.0.0.1 with a password (scram-sha-256).

Without the server's binaries (or psycopg) the tests are skipped with the reason, unless
``NPS_REQUIRE_PG=1`` (``.ci/run`` sets it): then they fail, so CI never passes without them.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Settings for a throwaway server: durability off (the data dies with the test run anyway).
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40"


def _missing(reason: str) -> None:
    if os.environ.get("NPS_REQUIRE_PG") == "1":
        pytest.fail(f"NPS_REQUIRE_PG=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def pg_bindir() -> Path | None:
    """The newest installed server's ``bin`` folder (Debian keeps them in /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                   if Path(p).parent.name.isdigit() else 0)
    for candidate in reversed(found):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """A running throwaway cluster: ``dsn(db)`` for the superuser through the socket, ``tcp_dsn`` for a
    login role over TCP (where passwords are checked)."""
    folder: Path
    port: int
    startup_seconds: float

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.folder}&port={self.port}"

    def tcp_dsn(self, user: str, dbname: str) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"


def _run_as_server_user(argv: list[str]) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def pg_cluster():
    """Start the cluster (once per process) and yield it; stop and remove it at the end."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg is not installed (scripts/setup.sh installs it)")
    bindir = pg_bindir()
    if bindir is None:
        _missing("PostgreSQL's server binaries (initdb, pg_ctl) are not installed: "
                 "apt-get install postgresql (scripts/setup.sh does)")
    assert bindir is not None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _missing("running as root and there is no 'postgres' system user to run the server as")
        if shutil.which("runuser") is None:
            _missing("running as root and runuser is missing")
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="nps-pg-"))  # short: a socket path must stay under 108 bytes
    if os.geteuid() == 0:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data = folder / "data"
    port = _free_port()
    running = False
    try:
        done = _run_as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--no-sync",
                                    "-E", "UTF8", "--locale=C.UTF-8", "--auth-local=trust",
                                    "--auth-host=scram-sha-256"])
        if done.returncode:
            pytest.fail(f"initdb failed: {done.stderr.strip()}", pytrace=False)
        done = _run_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                                    "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 {FAST}",
                                    "start"])
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        if done.returncode:
            pytest.fail(f"pg_ctl start failed: {done.stderr.strip()} {log[-2000:]}", pytrace=False)
        running = True
        yield Cluster(folder, port, time.perf_counter() - started)
    finally:
        if running:
            _run_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_dsn(pg_cluster):
    """A new, empty database of the cluster for one test (the superuser's DSN); dropped after."""
    import psycopg
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_cluster.dsn(name)
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    from nps_desktop.cli import main
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def team(pg_cluster, pg_dsn, capsys, monkeypatch):
    """An initialised team database and a user of each role (names unique: roles span the cluster)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict
    code, out, err = _cli(capsys, "team", "init", pg_dsn, "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["roles"] == {"viewer": "nps_viewer", "editor": "nps_editor", "admin": "nps_admin"}
    tag = uuid.uuid4().hex[:8]
    users = {role: f"{role}_{tag}" for role in ("viewer", "editor", "admin")}
    passwords = {role: f"pw-{role}-{tag}" for role in users}
    for role, name in users.items():
        monkeypatch.setenv("NPS_DESKTOP_PASSWORD", passwords[role])
        code, out, err = _cli(capsys, "team", "add-user", name, "--role", role, "--db", pg_dsn)
        assert (code, err) == (0, ""), err
        assert f"user {name} added as {role}" in out
    monkeypatch.delenv("NPS_DESKTOP_PASSWORD")
    dbname = str(conninfo_to_dict(pg_dsn)["dbname"])
    yield {"dsn": pg_dsn, "users": users, "passwords": passwords,
           "tcp": {role: pg_cluster.tcp_dsn(name, dbname) for role, name in users.items()}}
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        for name in users.values():
            conn.execute(f'DROP OWNED BY "{name}"')
            conn.execute(f'DROP ROLE "{name}"')


def _as(team, role):
    import psycopg
    return psycopg.connect(team["tcp"][role], password=team["passwords"][role], autocommit=True)
