"""``team``: a team workspace on PostgreSQL — init, add-user, login, push, pull, unlock, backup, backups.

Connection strings carry no password: it comes from the system keyring (``team login``), PGPASSWORD or
~/.pgpass. A server that is not local is reached with ``sslmode=verify-full`` unless ``--insecure``.
The driver (psycopg) is imported only when a team command runs, so other commands start as fast as before.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from ..cli import CliError, TextProgress, emit, one_line
from ..core.words import plural
from ..core.workspace import WorkspaceError, open_workspace

#: Where ``team add-user`` and ``team login`` read a password from when set (scripts, tests); else they ask.
PASSWORD_ENV = "NPS_DESKTOP_PASSWORD"


def register(sub, common) -> None:
    p = sub.add_parser("team", parents=[common], help="a team workspace on PostgreSQL: init, users, push, pull",
                       description="A team workspace on PostgreSQL. Connection strings carry no password "
                                   "(use `team login`, PGPASSWORD or ~/.pgpass); a server that is not on this "
                                   "computer is reached with TLS that checks its certificate "
                                   "(sslmode=verify-full) unless --insecure is given.")
    tsub = p.add_subparsers(dest="team_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, func) -> argparse.ArgumentParser:
        a = tsub.add_parser(name, parents=[common], help=help_text, description=help_text)
        a.add_argument("--insecure", action="store_true",
                       help="allow a connection that does not check the server's certificate (not recommended)")
        a.set_defaults(func=func)
        return a

    a = action("init", "create (or upgrade) the schema and the roles nps_viewer, nps_editor, nps_admin", run_init)
    a.add_argument("dsn", metavar="postgresql://USER@HOST/DATABASE")
    a = action("add-user", f"create a database user in a role; the password is asked for (or read from "
                           f"{PASSWORD_ENV}), never given on the command line", run_add_user)
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", choices=["viewer", "editor", "admin"], required=True)
    a.add_argument("--db", dest="dsn", metavar="postgresql://USER@HOST/DATABASE", required=True,
                   help="the team database, connected to as an admin")
    a = action("login", "keep your password for a team database in the system keyring", run_login)
    a.add_argument("dsn", metavar="postgresql://USER@HOST/DATABASE")
    a = action("push", "copy a workspace file into a new, empty team database (checked after the copy)", run_push)
    a.add_argument("file", metavar="FILE.npsdb")
    a.add_argument("dsn", metavar="postgresql://USER@HOST/DATABASE")
    a = action("pull", "make an offline copy of a team database as a workspace file (read-only unless "
                       "--writable)", run_pull)
    a.add_argument("dsn", metavar="postgresql://USER@HOST/DATABASE")
    a.add_argument("file", metavar="FILE.npsdb")
    a.add_argument("--writable", action="store_true", help="make a workspace of its own, not a read-only copy")
    a = action("unlock", "make a pulled, read-only copy a workspace of its own", run_unlock)
    a.add_argument("file", metavar="FILE.npsdb")
    a = action("backup", "dump the team database with pg_dump -Fc into FOLDER, with a note of every table's "
                         "row count beside it (schedule it with cron or a timer)", run_backup)
    a.add_argument("dsn", metavar="postgresql://USER@HOST/DATABASE")
    a.add_argument("folder", metavar="FOLDER")
    a = action("backups", "list the dumps in FOLDER and verify each (pg_restore reads it and finds every "
                          "table; with --restore-into, restored and counted)", run_backups)
    a.add_argument("folder", metavar="FOLDER")
    a.add_argument("--restore-into", metavar="postgresql://USER@HOST/SCRATCH",
                   help="an empty scratch database to restore each dump into and count (emptied after)")


def _connect(args: argparse.Namespace, autocommit: bool = False):
    from ..core.team import connect
    try:
        return connect.connect(args.dsn, insecure=args.insecure, autocommit=autocommit), \
            connect.parse(args.dsn, insecure=args.insecure).shown
    except connect.TeamError as exc:
        raise CliError(str(exc)) from None


@contextmanager
def _team_database(args: argparse.Namespace, name_errors: bool = False):
    """``(connection, shown name)`` of the team database ``args`` names, closed after the block; a driver
    or team error, or a cancelled transfer, becomes the command's one-line error (after the database's name
    when ``name_errors``)."""
    import psycopg

    from ..core.team.connect import TeamError
    from ..core.team.transfer import TransferCancelled
    conn, shown = _connect(args)
    try:
        yield conn, shown
    except (TeamError, psycopg.Error) as exc:
        raise CliError(f"{shown}: {one_line(exc)}" if name_errors else one_line(exc)) from None
    except TransferCancelled as exc:
        raise CliError(str(exc)) from None
    finally:
        conn.close()


def _ask_password(prompt: str, confirm: bool) -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise CliError(f"no password: run this in a terminal to be asked for it, or set {PASSWORD_ENV}")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise CliError("the two passwords differ; nothing was changed")
    return first


def run_init(args: argparse.Namespace) -> int:
    from ..core.team import roles
    with _team_database(args, name_errors=True) as (conn, shown):
        doc = roles.init(conn)
    doc["database"] = shown
    emit(args, doc, f"{shown}: workspace schema version {doc['version']}"
         + (f" (was {doc['version_before']})" if doc["version_before"] else " (new)")
         + "; roles nps_viewer, nps_editor, nps_admin ready"
         + (f" ({', '.join(doc['roles_created'])} created)" if doc["roles_created"] else "") + ".")
    return 0


def run_add_user(args: argparse.Namespace) -> int:
    from ..core.team import roles
    password = _ask_password(f"Password for the new user {args.name}: ", confirm=True)
    with _team_database(args, name_errors=True) as (conn, shown):
        doc = roles.add_user(conn, args.name, args.role, password)
    doc["database"] = shown
    emit(args, doc, f"{shown}: user {args.name} added as {args.role} ({doc['group']}).")
    return 0


def run_login(args: argparse.Namespace) -> int:
    import psycopg

    from ..core.team import connect
    try:
        target = connect.parse(args.dsn, insecure=args.insecure)
    except connect.TeamError as exc:
        raise CliError(str(exc)) from None
    password = _ask_password(f"Password for {target.shown}: ", confirm=False)
    try:
        psycopg.connect(target.conninfo, password=password).close()  # only a password that works is kept
        connect.store_password(target, password)
    except psycopg.OperationalError as exc:
        raise CliError(f"cannot connect to {target.shown}: {connect.one_line(exc)}; nothing was kept") from None
    except connect.TeamError as exc:
        raise CliError(str(exc)) from None
    emit(args, {"database": target.shown, "kept_in": "keyring"},
         f"The password for {target.shown} is kept in the system keyring.")
    return 0


def _open_source(path: str):
    """The workspace file to push, read-only (upgraded first when it must be)."""
    if not Path(path).exists():
        raise CliError(f"No workspace at {path}.")
    try:
        return open_workspace(path, create=False, read_only=True)
    except WorkspaceError as exc:
        if not exc.needs_upgrade:
            raise
    return open_workspace(path, create=False)


def run_push(args: argparse.Namespace) -> int:
    from ..core.team import transfer
    with _open_source(args.file) as ws, _team_database(args) as (conn, shown):
        result = transfer.push(ws, conn, shown, progress=TextProgress("Pushing"))
    doc = {"source": str(args.file), "database": shown, **result.to_json()}
    emit(args, doc, f"Pushed {args.file} to {shown}: {plural(result.total, 'row')} in "
                    f"{plural(len(result.rows), 'table')}, counts and sums checked ({result.seconds:.1f} s).")
    return 0


def run_pull(args: argparse.Namespace) -> int:
    from ..core.team import transfer
    with _team_database(args) as (conn, shown):
        result = transfer.pull(conn, shown, args.file, writable=args.writable, progress=TextProgress("Pulling"))
    doc = {"database": shown, "file": str(args.file), "read_only": not args.writable, **result.to_json()}
    emit(args, doc, f"Pulled {shown} into {args.file}: {plural(result.total, 'row')}, counts and sums checked "
                    f"({result.seconds:.1f} s)" + ("." if args.writable else
                                                   "; read-only (`nps-desktop team unlock` to change that)."))
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    from ..core.team import transfer
    if not Path(args.file).exists():
        raise CliError(f"No workspace at {args.file}.")
    changed = transfer.make_writable(args.file)
    emit(args, {"file": str(args.file), "unlocked": changed},
         f"{args.file} is now a workspace of its own." if changed else f"{args.file} was not a read-only copy.")
    return 0



def run_backup(args: argparse.Namespace) -> int:
    from ..core.team import backup
    from ..core.team.connect import TeamError
    try:
        note = backup.backup(args.dsn, args.folder, insecure=args.insecure)
    except TeamError as exc:
        raise CliError(str(exc)) from None
    emit(args, {**note, "folder": str(args.folder)},
         f"Backed up {note['database']} to {Path(args.folder) / note['file']}: {plural(note['rows'], 'row')} in "
         f"{plural(len(note['counts']), 'table')}, {note['bytes'] / 1e6:.1f} MB ({note['seconds']:.1f} s).")
    return 0


def run_backups(args: argparse.Namespace) -> int:
    from ..core.team import backup
    from ..core.team.connect import TeamError
    try:
        found = backup.list_backups(args.folder, restore_into=args.restore_into, insecure=args.insecure)
    except TeamError as exc:
        raise CliError(str(exc)) from None

    def text() -> str:
        if not found:
            return f"No backups in {args.folder}."
        lines = []
        for b in found:
            state = ("verified" + (", restored and counted" if b.get("restored") else "")) if b["verified"] \
                else f"NOT VERIFIED: {b['problem']}"
            rows = plural(b["rows"], "row") if "rows" in b else "?"
            lines.append(f"{b['file']}  {b['taken_at'].replace('T', ' ')}  {rows}  {b['bytes'] / 1e6:.1f} MB  {state}")
        return "\n".join(lines)
    emit(args, {"folder": str(args.folder), "backups": found}, text)
    return 0 if all(b["verified"] for b in found) else 1
