"""Open, create, check and migrate a workspace: one SQLite file that holds a whole NPS program.

A workspace is opened with WAL and foreign keys on, checked (``integrity_check``, or ``quick_check``
for big files, and ``foreign_key_check``) before a migration and when it is not as the last clean close
left it (an unclean shutdown, or a change from outside; ``<workspace>.checked`` remembers that state),
and migrated forward to the latest schema after a backup, in one transaction. ``nps-desktop check``
and Help ▸ Check workspace run the full check on demand; the app also runs it after opening. Anything that is not a workspace, or one
written by a newer version, is refused with a ``WorkspaceError`` a user can act on, and the file is
left untouched; a damaged one names the latest good backup (``WorkspaceError.backup``).

One writer: opening takes the workspace's writer lock (``core.lock``). When another process holds it,
or the file is on read-only media, the workspace opens read-only and ``read_only_reason`` says why;
any attempt to change it then raises ``WorkspaceError`` with that reason.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

from . import commit_note, disk
from . import lock as locking
from . import backup_store, paths, schema
from .integrity import WorkspaceError, check_connection
from .snapshot import generation
from .words import plural
from . import clock

SQLITE_MAGIC = b"SQLite format 3\x00"
#: A setting that keeps a workspace read-only whoever opens it; its value says why (``team pull`` sets it
#: on the offline copies it makes, ``team unlock`` removes it).
READ_ONLY_SETTING = "read_only_because"
#: Files above this size get ``quick_check`` on open rather than the full ``integrity_check``.
QUICK_CHECK_ABOVE = 64 * 1024 * 1024


class Workspace:
    """An open workspace. ``conn`` is a plain sqlite3 connection in autocommit mode (each statement
    commits by itself): group writes that belong together in ``transaction``."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False,
                 read_only_reason: str | None = None, writer_lock: locking.WriterLock | None = None):
        self.path = path
        self.conn = conn
        self.read_only = read_only
        #: Why the workspace is read-only, as a user reads it (None when writable).
        self.read_only_reason = (read_only_reason or "it was opened read-only") if read_only else None
        self._lock = writer_lock
        self._noted: dict | None = None  # the last commit_note state written or found

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        """Close; a writer first folds the WAL into the main file, so that the file is whole on its own."""
        if not self.read_only:
            with contextlib.suppress(sqlite3.Error):  # PASSIVE: never waits for, nor blocks, anyone
                self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        self.conn.close()
        if not self.read_only:
            _trust(self.path)  # what this process wrote needs no check when it opens the file again
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def require_writable(self) -> None:
        """Raise ``WorkspaceError`` with the reason when the workspace is read-only."""
        if self.read_only:
            raise WorkspaceError(f"{self.path} is read-only: {self.read_only_reason}; nothing was changed.")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: commit when the block ends, roll back if it raises. Blocks nest: inside another
        transaction a block is a savepoint, so an inner block that raises rolls back only its own writes
        (the outer block may catch the error and go on). A transaction that changed rows bumps the
        workspace's generation, so snapshots of the data before it are known to be stale."""
        self.require_writable()
        outermost = not self.conn.in_transaction
        with transaction_on(self.conn) as conn:
            yield conn
        if outermost:
            self._note_commit()

    def _note_commit(self) -> None:
        """Keep ``commit_note`` up to date when a commit added or undid an import batch."""
        now = commit_note.state(self.conn)
        if now is not None and now != self._noted:
            commit_note.record(self.path, now)
            self._noted = now

    # -- queries ---------------------------------------------------------------------------------
    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def counts(self) -> dict[str, int]:
        """Row counts the status bar shows."""
        return {t: self.scalar(f"SELECT count(*) FROM {t}")
                for t in ("accounts", "contacts", "responses", "actions")}

    # -- settings --------------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         (key, json.dumps(value)))

    # -- backups and checks ----------------------------------------------------------------------
    def backup_to(self, target: Path) -> Path:
        """Copy the live workspace to ``target`` with SQLite's online backup API.

        ``core.backup_store`` wraps this with verification, naming and rotation: use ``backups.before``.
        """
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(target)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        return target

    def problems(self, quick: bool | None = None) -> list[str]:
        """What is wrong with the file: integrity problems, then rows whose foreign keys dangle."""
        return check_connection(self.conn, _is_big(self.path) if quick is None else quick)


_savepoints = itertools.count(1)


@contextlib.contextmanager
def transaction_on(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """The one transaction helper, on a bare connection: ``BEGIN IMMEDIATE`` … ``COMMIT`` when the connection
    holds no transaction yet, else a savepoint inside the one it holds (so blocks nest, and an inner block
    that raises undoes only its own part). Use ``Workspace.transaction()``; this serves the code that
    holds only the connection of a transaction already under way (an import's follow-up steps)."""
    if conn.in_transaction:
        name = f"nested_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    changes = conn.total_changes
    try:
        yield conn
        if conn.total_changes != changes:
            generation.bump(conn)
    except BaseException:
        conn.rollback()
        raise
    else:
        conn.commit()


def default_path() -> Path:
    """The workspace used when ``--workspace`` is not given."""
    return paths.data_dir() / "workspace.npsdb"


def _is_big(path: Path) -> bool:
    try:
        return path.stat().st_size > QUICK_CHECK_ABOVE
    except OSError:
        return False


def _wal_has_data(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def _connect(path: Path, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    if read_only:
        uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise WorkspaceError(f"Cannot read {path}: {exc.strerror}.") from None
    if head and head != SQLITE_MAGIC:
        raise WorkspaceError(f"{path} is not an NPS Desktop workspace (it is not a SQLite database).")


def damaged_error(path: Path, what: str) -> WorkspaceError:
    """The error for a damaged workspace, offering the latest good backup."""
    if _wal_has_data(path) and not _problems_read_only(path, immutable=True):  # sound without its WAL
        what += (f"; its journal file {path.name}-wal does not belong to it: move that file away to open "
                 "the workspace as it was when last closed properly")
    good = backup_store.latest_good(path)
    if good is None:
        offer = ("No good backup of it was found; keep the file as it is and ask for help "
                 "(SQLite's .recover command can often rescue the data).")
    else:
        offer = (f"The latest good backup is from {good.taken_at:%Y-%m-%d %H:%M} ({good.reason}): restore it "
                 f"with File ▸ Restore backup… or `nps-desktop restore {good.path}`.")
    return WorkspaceError(f"{path} is damaged ({what}). {offer}", damaged=True,
                          backup=None if good is None else good.path)


def _inspect(path: Path, immutable: bool) -> tuple[int, str | None]:
    """The schema version of an existing file and why it keeps itself read-only (``READ_ONLY_SETTING``, or
    None), refusing foreign or newer files unchanged."""
    _check_header(path)
    try:
        conn = _connect(path, read_only=True, immutable=immutable)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            kept = _kept_read_only(conn) if version and app_id == schema.APPLICATION_ID else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc) or "not a database" in str(exc):
            raise damaged_error(path, str(exc)) from None
        raise WorkspaceError(f"{path} cannot be read as a workspace: {exc}.") from None
    if app_id != schema.APPLICATION_ID:
        what = "a SQLite database" if tables or version else "an empty SQLite database"
        raise WorkspaceError(f"{path} is {what} but not an NPS Desktop workspace (NPS Desktop makes its own): "
                             "nothing was changed; choose a new file name to create a workspace.")
    if version > schema.LATEST_VERSION:
        raise WorkspaceError(
            f"{path} was written by a newer version of NPS Desktop (workspace version {version}; "
            f"this version reads up to {schema.LATEST_VERSION}). Update the app to open it.")
    return version, kept


def _kept_read_only(conn: sqlite3.Connection) -> str | None:
    """Why the workspace keeps itself read-only (``READ_ONLY_SETTING``), or None."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (READ_ONLY_SETTING,)).fetchone()
        return None if row is None else str(json.loads(row[0]))
    except (sqlite3.Error, ValueError):
        return None


_checked_lock = threading.Lock()
_checked: set[tuple] = set()


def _file_key(path: Path) -> tuple:
    st = path.stat()
    return os.path.realpath(path), st.st_ino, st.st_size, st.st_mtime_ns


def _needs_check(path: Path, migrating: bool, in_use_elsewhere: bool) -> bool:
    """Check before a migration, and after an unclean shutdown: when this process has not checked or
    written the file in its current state and it is not as the last clean close left it (a crash leaves
    a journal with data, or a state that was never trusted; so does a change from outside). Not while
    another process has it open for changes: it did not shut down (the app checks in the background)."""
    if migrating:
        return True
    key = _file_key(path)
    with _checked_lock:
        if key in _checked:
            return False
    if in_use_elsewhere:
        return False
    return _wal_has_data(path) or not _closed_cleanly_as(path, key)


def _check(path: Path, immutable: bool) -> None:
    """Refuse a damaged file (``WorkspaceError`` naming the latest good backup); trust a sound one.

    The check reads through a read-only connection of its own: a file it refuses is never written (closing
    a writable connection would fold a WAL that does not belong to the file into it for good).
    """
    found = _problems_read_only(path, immutable)
    if found:
        raise damaged_error(path, "; ".join(found))
    _trust(path)


def _problems_read_only(path: Path, immutable: bool) -> list[str]:
    """``check_connection`` through a read-only connection (``immutable`` also ignores the WAL)."""
    try:
        conn = _connect(path, read_only=True, immutable=immutable)
        try:
            return check_connection(conn, _is_big(path))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def _check_commits(path: Path, immutable: bool) -> dict | None:
    """Refuse a workspace that lacks a commit its ``commit_note`` recorded (a lost WAL, an older copy),
    reading through a read-only connection like ``_check``; return what the note keeps of it now."""
    try:
        conn = _connect(path, read_only=True, immutable=immutable)
        try:
            now = commit_note.state(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    lost = commit_note.missing(path, now)
    if lost:
        error = damaged_error(path, f"{lost}: its journal file {path.name}-wal was lost after a crash, "
                                    "or an older copy of the file was put in its place")
        raise WorkspaceError(f"{error} To keep the file as it is, delete {commit_note.note_path(path)}.",
                             damaged=True, backup=error.backup)
    return now


def trusted_state_path(path: Path) -> Path:
    """Where the state of the file at its last clean close (or check) is kept, beside it."""
    return path.with_name(path.name + ".checked")


def _closed_cleanly_as(path: Path, key: tuple) -> bool:
    try:
        return tuple(json.loads(trusted_state_path(path).read_text(encoding="utf-8"))) == key
    except (OSError, ValueError, TypeError):
        return False


def _trust(path: Path) -> None:
    """Remember the file's current state as sound (after a check, or after this process wrote it and
    closed it), in this process and beside the file for the next one."""
    try:
        key = _file_key(path)
    except OSError:
        return
    with _checked_lock:
        _checked.add(key)
    _write_private(trusted_state_path(path), list(key))


def discard(path: Path) -> None:
    """Delete an unfinished workspace file with its journal and the state kept beside it."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), trusted_state_path(path)):
        p.unlink(missing_ok=True)


def _write_private(target: Path, document: Any) -> None:
    """Replace ``target`` with ``document`` as JSON, readable by its owner only; quietly not at all
    when it cannot be written (the next process then checks the file once more)."""
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(document, fh)
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)


def _media_read_only(path: Path, exists: bool) -> bool:
    """Whether the file (or, for a new one, its folder) cannot be written: read-only media or rights."""
    folder = path.parent if path.parent.exists() else None
    if exists:
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
    return folder is not None and not os.access(folder, os.W_OK)


def open_workspace(path: str | os.PathLike[str] | None = None, *, create: bool = True,
                   read_only: bool = False, wait: float = 0,
                   on_wait: Callable[[str], None] | None = None) -> Workspace:
    """Open (and if needed create, check and migrate) the workspace at ``path``.

    Without ``read_only`` the workspace is opened for changes when this process can take its writer
    lock (waiting up to ``wait`` seconds for another process to let it go, telling ``on_wait`` why);
    when another process holds it, or the file cannot be written, it opens read-only with
    ``read_only_reason`` set. A new workspace needs the lock and a writable folder.
    """
    path = Path(path) if path is not None else default_path()
    exists = path.exists() and path.stat().st_size > 0
    if exists and not read_only:
        refuse_hard_links(path)
    reason = None
    media_ro = _media_read_only(path, exists)
    if media_ro:
        read_only, reason = True, "the file is on read-only media, or you may not change it"
    if not exists and (not create or read_only):
        raise WorkspaceError(f"Cannot create {path}: {reason}." if create and reason
                             else f"No workspace at {path}.")
    immutable = media_ro and not _wal_has_data(path)
    version, kept = _inspect(path, immutable) if exists else (0, None)
    if kept and not read_only:
        read_only, reason = True, kept
    if not exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"Cannot create {path}: {exc.strerror}.") from None
    writer_lock = None
    in_use_elsewhere = False
    if not read_only:
        try:
            writer_lock = locking.acquire(path, wait, on_wait)
        except locking.Locked as exc:
            read_only, reason, in_use_elsewhere = True, str(exc), True
        except OSError as exc:
            read_only, reason = True, f"its folder cannot be written ({exc.strerror})"
        if read_only and not exists:
            raise WorkspaceError(f"Cannot create {path}: {reason}.")
    try:
        if not exists:
            _create_file(path)
        return _open(path, version, exists, read_only, reason, immutable, writer_lock, in_use_elsewhere)
    except BaseException:
        if writer_lock is not None:
            writer_lock.release()
        raise


def refuse_hard_links(path: Path) -> None:
    """Refuse a file that has more than one name on disk (hard links): the writer lock and the journal
    files go by name, so two names would let two writers damage it."""
    links = path.stat().st_nlink
    if links > 1:
        raise WorkspaceError(
            f"{path} has {links} names on disk (hard links), so two windows could change it at once "
            "through different names and damage it; nothing was changed. Copy it to a file of its own "
            "and open the copy.")


def _create_file(path: Path) -> None:
    """An empty workspace file, readable by its owner only, marked as NPS Desktop's before anything else
    (so that an empty SQLite file made by another program is never taken for one)."""
    commit_note.forget(path)  # a new workspace: a note left by an earlier file of that name is not its
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        finally:
            conn.close()
    except (OSError, sqlite3.OperationalError) as exc:
        raise WorkspaceError(f"Cannot create {path}: {disk.reason(exc)}.") from None


def _open(path: Path, version: int, exists: bool, read_only: bool, reason: str | None, immutable: bool,
          writer_lock: locking.WriterLock | None, in_use_elsewhere: bool = False) -> Workspace:
    noted = None
    if exists:  # both checks read only: a file they refuse is never written
        if _needs_check(path, 0 < version < schema.LATEST_VERSION, in_use_elsewhere):
            _check(path, immutable)
        noted = _check_commits(path, immutable)
    try:
        conn = _connect(path, read_only, immutable)
    except sqlite3.OperationalError as exc:
        raise WorkspaceError(f"Cannot open {path}: {exc}.") from None
    ws = Workspace(path, conn, read_only, reason, writer_lock)
    ws._noted = noted
    try:
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if version < schema.LATEST_VERSION:
                migrate(ws, version)
        elif version < schema.LATEST_VERSION:
            raise WorkspaceError(f"{path} must be upgraded to this version of NPS Desktop, which needs "
                                 f"changing it, but {ws.read_only_reason}.", needs_upgrade=True)
    except BaseException:
        ws._lock = None  # the caller releases it
        conn.close()
        raise
    return ws


def migrate(ws: Workspace, current: int, target: int | None = None, *, backup: bool = True) -> None:
    """Run migrations ``current`` → ``target`` (default: the latest) in one transaction, after a backup.

    Foreign keys are off during the transaction, so that a migration may rebuild a table the way
    SQLite documents it; ``foreign_key_check`` must pass before the commit.
    """
    target = schema.LATEST_VERSION if target is None else target
    if current > 0 and backup:
        backup_store.before(ws, f"upgrade from workspace version {current}")
    ws.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with ws.transaction() as conn:
            for version in range(current, target):
                schema.MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {target}")
            dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
            if dangling:
                raise WorkspaceError(f"Upgrading {ws.path} would leave {plural(len(dangling), 'row')} of "
                                     f"{dangling[0][0]} pointing to missing {dangling[0][2]}; nothing "
                                     "was changed.")
    finally:
        ws.conn.execute("PRAGMA foreign_keys = ON")


def replace_file(new: Path, path: Path) -> None:
    """Move a finished workspace file ``new`` over ``path`` so that a crash at any moment leaves either
    the old workspace, whole, or the new one: ``path``'s WAL is first folded into it (deleting a WAL
    that still holds changes would lose them), then the journal files go, then one rename. Refused,
    and ``new`` removed, while another process has ``path`` open for changes."""
    try:
        writer = locking.acquire(path)
    except (locking.Locked, OSError) as exc:
        Path(new).unlink(missing_ok=True)
        raise WorkspaceError(f"Cannot replace {path}: {exc}; close it there first.") from None
    with writer:
        if Path(f"{path}-wal").exists():
            try:
                conn = sqlite3.connect(path)
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.close()
            except sqlite3.DatabaseError:
                pass  # not a database: it has no changes to keep
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        commit_note.forget(path)
        os.replace(new, path)
        _move_trusted_state(Path(new), path)


def _move_trusted_state(new: Path, path: Path) -> None:
    """The file at ``path`` is ``new`` now: so is the state last trusted for it (or none)."""
    try:
        os.replace(trusted_state_path(new), trusted_state_path(path))
    except OSError:
        trusted_state_path(path).unlink(missing_ok=True)


def now_iso() -> str:
    """The local time as the workspace stores it."""
    return clock.now().strftime("%Y-%m-%dT%H:%M:%S")
