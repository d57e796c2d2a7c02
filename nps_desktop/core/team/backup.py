"""Backups of a team workspace: ``pg_dump`` files in a folder, each with a note of what it holds, verified.

``backup`` runs ``pg_dump -Fc`` (PostgreSQL's compressed custom format, what ``pg_restore`` reads) into
``FOLDER/<database>-<YYYYmmdd-HHMMSS>.dump`` and writes ``<same>.dump.json`` beside it: the database, when,
the workspace version and every table's row count — counted in the very snapshot the dump reads
(``pg_export_snapshot``), so the counts and the dump agree even while people work. An admin schedules
it (cron, a systemd timer, Task Scheduler) like any command.

``list_backups`` finds the dumps of a folder, newest first, and verifies each: ``pg_restore --list`` must
read it and find every table of its note. With ``restore_into`` (an empty scratch database) each dump is
also restored there and every table counted against the note; the scratch database is emptied again after.
The password reaches pg_dump and pg_restore in their environment, never on their command line.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from . import pg_schema
from .connect import TeamError, connect, keyring_password, one_line, parse

_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<db>.+)-(?P<stamp>\d{8}-\d{6})\.dump$")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
            return str(candidate)
        raise TeamError(f"{name} is not installed (it comes with PostgreSQL's client programs: "
                        "apt-get install postgresql-client)")
    return found


def _env(dsn: str, insecure: bool, password: str | None) -> dict[str, str]:
    env = dict(os.environ)
    secret = password or (None if env.get("PGPASSWORD") else keyring_password(parse(dsn, insecure=insecure)))
    if secret:
        env["PGPASSWORD"] = secret
    return env


def backup(dsn: str, folder: str | Path, *, insecure: bool = False, password: str | None = None) -> dict[str, Any]:
    """Dump the team database into ``folder`` (created when missing); returns the note it wrote."""
    target = parse(dsn, insecure=insecure)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now()
    path = folder / f"{target.dbname}-{stamp.strftime(_STAMP)}.dump"
    part = path.with_name(path.name + ".part")
    started = time.perf_counter()
    conn = connect(dsn, insecure=insecure, password=password)
    try:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            snapshot = str(conn.execute("SELECT pg_export_snapshot()").fetchone()[0])  # type: ignore[index]
            version = pg_schema.version(conn)
            if version is None:
                raise TeamError(f"{target.shown} holds no team workspace; nothing to back up")
            counts = {t: _count(conn, t) for t in pg_schema.workspace_tables(conn)}
            done = subprocess.run([_tool("pg_dump"), "-Fc", "--snapshot", snapshot, "-f", str(part),
                                   "-d", target.conninfo], env=_env(dsn, insecure, password),
                                  capture_output=True, text=True)
    except psycopg.Error as exc:
        part.unlink(missing_ok=True)
        raise TeamError(f"{target.shown}: {one_line(exc)}; no backup was written") from None
    finally:
        conn.close()
    if done.returncode:
        part.unlink(missing_ok=True)
        raise TeamError(f"pg_dump failed: {_first_line(done.stderr)}; no backup was written")
    part.replace(path)
    note = {"file": path.name, "database": target.shown, "taken_at": stamp.isoformat(timespec="seconds"),
            "schema_version": version, "counts": counts, "rows": sum(counts.values()),
            "bytes": path.stat().st_size, "seconds": round(time.perf_counter() - started, 2)}
    path.with_name(path.name + ".json").write_text(json.dumps(note, indent=1), encoding="utf-8")
    return note


def _count(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
    return int(row[0]) if row else 0


def _first_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[0].removeprefix("pg_dump: error: ").removeprefix("pg_restore: error: ") if lines else "no reason given"


def list_backups(folder: str | Path, *, restore_into: str | None = None, insecure: bool = False,
                 password: str | None = None) -> list[dict[str, Any]]:
    """Every dump in ``folder``, newest first, each with ``verified`` and, when not, ``problem``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TeamError(f"{folder} is not a folder")
    found = []
    for path in sorted(folder.glob("*.dump"), reverse=True):
        match = _NAME.match(path.name)
        if not match:
            continue
        entry: dict[str, Any] = {"file": path.name, "bytes": path.stat().st_size,
                                 "taken_at": datetime.strptime(match["stamp"], _STAMP).isoformat()}
        note_path = path.with_name(path.name + ".json")
        try:
            note = json.loads(note_path.read_text(encoding="utf-8"))
            entry.update({k: note[k] for k in ("database", "schema_version", "rows", "counts")})
        except (OSError, ValueError, KeyError):
            entry.update(verified=False, problem=f"{note_path.name} is missing or unreadable")
            found.append(entry)
            continue
        problem = _check_listing(path, note["counts"])
        if problem is None and restore_into:
            problem = _check_restore(path, note["counts"], restore_into, insecure, password)
            entry["restored"] = problem is None
        entry["verified"] = problem is None
        if problem:
            entry["problem"] = problem
        found.append(entry)
    return found


def _check_listing(path: Path, counts: dict[str, int]) -> str | None:
    done = subprocess.run([_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if done.returncode:
        return f"pg_restore cannot read it: {_first_line(done.stderr)}"
    listed = set(re.findall(r"TABLE DATA public (\S+) ", done.stdout))
    missing = sorted(set(counts) - listed)
    if missing:
        return f"it lacks the data of {', '.join(missing[:3])}{'…' if len(missing) > 3 else ''}"
    return None


def _check_restore(path: Path, counts: dict[str, int], dsn: str, insecure: bool, password: str | None) -> str | None:
    target = parse(dsn, insecure=insecure)
    conn = connect(dsn, insecure=insecure, autocommit=True, password=password)
    try:
        if pg_schema.workspace_tables(conn) or pg_schema.version(conn) is not None:
            raise TeamError(f"{target.shown} is not empty: a restore check needs an empty scratch database")
        done = subprocess.run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                               "-d", target.conninfo, str(path)], env=_env(dsn, insecure, password),
                              capture_output=True, text=True)
        try:
            if done.returncode:
                return f"it does not restore: {_first_line(done.stderr)}"
            for table, expected in sorted(counts.items()):
                got = _count(conn, table)
                if got != expected:
                    return f"restored, table {table} has {got} rows where the note says {expected}"
            return None
        finally:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
    finally:
        conn.close()
