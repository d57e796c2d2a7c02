"""Connecting to a team workspace: a connection string without a password, TLS that checks the server.

- A password never travels in the connection string (it would end up in shell histories, process lists
  and logs): ``parse`` refuses one. The secret comes from the system keyring (``store_password``, which
  ``team login`` calls), else from what libpq reads itself: ``PGPASSWORD`` or ``~/.pgpass``.
- TLS: a server that is not on this computer is reached with ``sslmode=verify-full`` (encrypted, and the
  server's certificate and name checked) unless the caller passes ``insecure=True`` (``--insecure``);
  a weaker ``sslmode`` written in the string is refused without it. A local socket or
  localhost/127.0.0.1/::1 is left as given.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

#: The keyring service name under which passwords are kept, one per user@host:port/database.
KEYRING_SERVICE = "nps-desktop team workspace"

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
#: sslmode values that do not check who the server is.
WEAK_SSL = {"disable", "allow", "prefer", "require", "verify-ca"}


class TeamError(Exception):
    """A team workspace problem, worded for the person who runs the command (one line)."""


@dataclass(frozen=True)
class Target:
    """A parsed connection string: ``conninfo`` for libpq (with the sslmode settled), ``shown`` for
    messages (never a password), and the parts the keyring is keyed by."""
    conninfo: str
    shown: str
    user: str
    host: str
    port: str
    dbname: str
    local: bool

    @property
    def keyring_key(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.dbname}"


def is_dsn(text: str | os.PathLike[str] | None) -> bool:
    """Whether a ``--workspace``-style argument names a PostgreSQL database rather than a file."""
    return isinstance(text, str) and text.startswith(("postgresql://", "postgres://"))


def parse(dsn: str, *, insecure: bool = False) -> Target:
    """Check a ``postgresql://user@host[:port]/database`` string and settle its TLS mode."""
    if not is_dsn(dsn):
        raise TeamError(f"{dsn!r} is not a PostgreSQL connection string: write postgresql://USER@HOST/DATABASE")
    try:
        params: dict[str, Any] = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as exc:
        raise TeamError(f"the connection string cannot be read: {str(exc).strip().splitlines()[0]}") from None
    if params.get("password"):
        raise TeamError("the connection string holds a password: leave it out (it would be kept in shell "
                        "histories and logs) and use `nps-desktop team login`, PGPASSWORD or ~/.pgpass")
    if not params.get("dbname"):
        raise TeamError("the connection string names no database: write postgresql://USER@HOST/DATABASE")
    host = str(params.get("host") or os.environ.get("PGHOST") or "")
    local = not host or host.startswith("/") or all(h.strip() in LOCAL_HOSTS or h.startswith("/")
                                                     for h in host.split(","))
    sslmode = params.get("sslmode") or os.environ.get("PGSSLMODE")
    if not local and not insecure:
        if sslmode and sslmode in WEAK_SSL:
            raise TeamError(f"sslmode={sslmode} does not check that the server is who it says it is; "
                            "use sslmode=verify-full (the default), or add --insecure to accept that")
        params["sslmode"] = "verify-full"
    user = str(params.get("user") or os.environ.get("PGUSER") or _login_name())
    port = str(params.get("port") or os.environ.get("PGPORT") or "5432")
    dbname = str(params["dbname"])
    where = host if host and not host.startswith("/") else "local socket"
    shown = f"postgresql://{user}@{where}:{port}/{dbname}"
    return Target(make_conninfo(**params), shown, user, host, port, dbname, local)


def _login_name() -> str:
    try:
        import getpass
        return getpass.getuser()
    except (KeyError, OSError):
        return "postgres"


def keyring_password(target: Target) -> str | None:
    """The password kept in the system keyring for this user and database, if any (None when there is
    no usable keyring: libpq then tries PGPASSWORD and ~/.pgpass)."""
    import keyring
    from keyring.errors import KeyringError
    try:
        return keyring.get_password(KEYRING_SERVICE, target.keyring_key)
    except KeyringError:
        return None


def store_password(target: Target, password: str) -> None:
    """Keep the password in the system keyring (``TeamError`` when this computer has none)."""
    import keyring
    from keyring.errors import KeyringError
    try:
        keyring.set_password(KEYRING_SERVICE, target.keyring_key, password)
    except KeyringError as exc:
        raise TeamError(f"this computer has no usable keyring ({exc}); use ~/.pgpass or PGPASSWORD "
                        "instead") from None


def connect(dsn: str, *, insecure: bool = False, autocommit: bool = False,
            password: str | None = None) -> psycopg.Connection[Any]:
    """Open a connection (``TeamError`` with one line when it cannot be made). ``password``: one held in
    memory by the caller (the app, when this computer has no keyring), else the keyring's, else libpq's."""
    target = parse(dsn, insecure=insecure)
    extra: dict[str, Any] = {}
    if password:
        extra["password"] = password
    elif not os.environ.get("PGPASSWORD"):
        password = keyring_password(target)
        if password:
            extra["password"] = password
    try:
        return psycopg.connect(target.conninfo, autocommit=autocommit, **extra)
    except psycopg.OperationalError as exc:
        raise TeamError(f"cannot connect to {target.shown}: {one_line(exc)}") from None


def one_line(exc: BaseException) -> str:
    """The first line of a driver message, without libpq's "connection failed:" prefixes."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for prefix in ("connection failed: ",):
        text = text.replace(prefix, "")
    return text


@contextmanager
def refusals(where: str, what: str, nothing: str) -> Iterator[None]:
    """A write's driver errors as one ``TeamError`` line: a refused permission says the user may not write
    there (``what``: "the import"); ``nothing`` says what was left as it was ("nothing was imported")."""
    try:
        yield
    except psycopg.errors.InsufficientPrivilege as exc:
        raise TeamError(f"{where} refused {what}: {one_line(exc)} (your database user may not write there: "
                        f"a viewer only reads); {nothing}") from None
    except psycopg.Error as exc:
        raise TeamError(f"{where}: {one_line(exc)}; {nothing}") from None
