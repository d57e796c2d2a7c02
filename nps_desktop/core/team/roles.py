"""Who may do what in a team workspace, enforced by PostgreSQL itself: three group roles and their GRANTs.

- ``nps_viewer`` reads every table (and so builds packs and exports).
- ``nps_editor`` is a viewer that also writes the working tables: responses, accounts, contacts, imports
  and their undo records, actions and their history, invitations, revenue events, segments, tags, the
  pack's words and quotes.
- ``nps_admin`` is an editor that also writes the program's set-up: settings, plays, programs, the theme
  dictionary and the audit log; admin users may create other users (``CREATEROLE``).

``init`` creates or upgrades the schema and (re)grants, so it is safe to run again after an upgrade;
``add_user`` creates a login role in one group with a password hashed on this computer (SCRAM), so the
password itself never reaches the server's logs.
"""
from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg import sql

from . import pg_schema
from .connect import TeamError, one_line

VIEWER, EDITOR, ADMIN = "nps_viewer", "nps_editor", "nps_admin"
#: The role a person is given, by the name the command takes.
GROUPS = {"viewer": VIEWER, "editor": EDITOR, "admin": ADMIN}
#: Tables only admins change; editors change every other workspace table.
ADMIN_TABLES = ("settings", "plays", "programs", "themes", "audit_log")

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _exists(conn: psycopg.Connection[Any], role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None


def init(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """Create (or upgrade) the workspace schema and the three roles with their GRANTs, in one
    transaction. Returns the schema version found before and after, and the roles created."""
    created = []
    try:
        with conn.transaction():
            before = pg_schema.migrate(conn)
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('nps_desktop.roles'))")
            for role in (VIEWER, EDITOR, ADMIN):
                if not _exists(conn, role):
                    conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
                    created.append(role)
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(VIEWER), sql.Identifier(EDITOR)))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(EDITOR), sql.Identifier(ADMIN)))
            db = sql.Identifier(str(conn.execute("SELECT current_database()").fetchone()[0]))  # type: ignore[index]
            groups = sql.SQL(", ").join(sql.Identifier(r) for r in (VIEWER, EDITOR, ADMIN))
            conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db))
            conn.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(db, sql.Identifier(VIEWER)))
            conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(sql.Identifier(VIEWER)))
            conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(groups))
            conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(sql.Identifier(VIEWER)))
            tables = pg_schema.workspace_tables(conn)
            editor = [t for t in tables if t not in ADMIN_TABLES]
            admin = [t for t in tables if t in ADMIN_TABLES]
            for names, role in ((editor, EDITOR), (admin, ADMIN)):
                conn.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
                    sql.SQL(", ").join(sql.Identifier(t) for t in names), sql.Identifier(role)))
            # UPDATE too: an import writes rows with the ids it chose and moves the identity past them.
            conn.execute(sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}")
                         .format(sql.Identifier(EDITOR)))
            conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION nps_audit(TEXT, TEXT) TO {}")
                         .format(sql.Identifier(EDITOR)))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise TeamError(f"{one_line(exc)}: team init needs the database's owner with the right to create "
                        "roles (CREATEROLE); nothing was changed") from None
    return {"version_before": before, "version": pg_schema.LATEST_VERSION, "roles_created": created,
            "roles": dict(GROUPS)}


def add_user(conn: psycopg.Connection[Any], name: str, role: str, password: str) -> dict[str, Any]:
    """Create login role ``name`` in the group for ``role`` (viewer, editor, admin) with ``password``."""
    if role not in GROUPS:
        raise TeamError(f"unknown role {role!r}: use viewer, editor or admin")
    if not _NAME.match(name):
        raise TeamError(f"{name!r} is not a usable user name: lower-case letters, digits and _ only, "
                        "starting with a letter, at most 63")
    if len(password) < 8:
        raise TeamError("the password is shorter than 8 characters; choose a longer one")
    try:
        with conn.transaction():
            if not _exists(conn, GROUPS[role]):
                raise TeamError("this database has no team roles yet: run `nps-desktop team init` first")
            if _exists(conn, name):
                raise TeamError(f"a database user {name!r} already exists; nothing was changed")
            hashed = conn.pgconn.encrypt_password(password.encode(), name.encode()).decode()
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN {} PASSWORD {} IN ROLE {}").format(
                sql.Identifier(name), sql.SQL("CREATEROLE" if role == "admin" else ""), sql.Literal(hashed),
                sql.Identifier(GROUPS[role])))
            if role == "admin":  # to create users, an admin needs to hand out the groups
                conn.execute(sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
                    sql.SQL(", ").join(sql.Identifier(g) for g in GROUPS.values()), sql.Identifier(name)))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise TeamError(f"{one_line(exc)}: only a team admin (or the database's owner) adds users; "
                        "nothing was changed") from None
    return {"user": name, "role": role, "group": GROUPS[role]}


def role_of(conn: psycopg.Connection[Any]) -> str | None:
    """The team role the connected user has (admin, editor, viewer), the strongest one, or None."""
    for role in ("admin", "editor", "viewer"):
        row = conn.execute("SELECT pg_has_role(current_user, %s, 'USAGE') FROM pg_roles WHERE rolname = %s",
                           (GROUPS[role], GROUPS[role])).fetchone()
        if row and row[0]:
            return role
    return None
