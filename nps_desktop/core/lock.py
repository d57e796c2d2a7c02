"""One writer per workspace: a lock file beside it, held with an OS lock while it is open for changes.

``acquire(path)`` takes ``<workspace>.lock`` with ``flock`` (``msvcrt.locking`` on Windows). The
operating system drops the lock when its process ends, however it ends, so a crashed app never leaves a
stale lock behind. The file holds who took it (process id, host, program, since when) so that a second
process can say who has the workspace; it is removed again on release.

Within one process the lock is shared (counted): the UI's connection and its background jobs are the
same writer, and SQLite serialises their transactions. Another process that finds the lock taken gets
``Locked`` with a message naming the holder.
"""
from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    _WIN_LOCK_OFFSET = 1 << 30  # lock a byte far past the text, which stays readable

    def _os_lock(fd: int) -> bool:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True
else:
    import fcntl

    def _os_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class Locked(Exception):
    """Another process holds the workspace's writer lock; the message names it."""

    def __init__(self, path: Path, holder: dict | None):
        self.path, self.holder = path, holder
        super().__init__(describe(path, holder))


def lock_path(workspace: Path) -> Path:
    return workspace.with_name(workspace.name + ".lock")


@dataclass
class _Held:
    fd: int
    lock_file: Path
    count: int = 1


@dataclass
class WriterLock:
    """A handle on the (shared, counted) writer lock of one workspace; ``release()`` exactly once."""

    workspace: Path
    _key: str = field(repr=False)
    released: bool = False

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        with _registry_lock:
            held = _held[self._key]
            held.count -= 1
            if held.count:
                return
            del _held[self._key]
            if sys.platform != "win32":  # unlink while still locked: nobody can lock a dead file
                held.lock_file.unlink(missing_ok=True)
            os.close(held.fd)

    def __enter__(self) -> "WriterLock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


_registry_lock = threading.Lock()
_held: dict[str, _Held] = {}


def _key(workspace: Path) -> str:
    """The registry key of a workspace: its real path, or the key already held for the same file (its
    device and inode) under another name."""
    key = os.path.normcase(os.path.realpath(workspace))
    if key not in _held:
        for other in _held:
            try:
                if os.path.samefile(other, key):
                    return other
            except OSError:
                continue
    return key


def acquire(workspace: str | os.PathLike[str], wait: float = 0,
            on_wait: Callable[[str], None] | None = None) -> WriterLock:
    """Take the writer lock of ``workspace``, trying for up to ``wait`` seconds.

    Raises ``Locked`` when another process still holds it, and ``OSError`` when the lock file cannot be
    created (a read-only folder): the caller then opens the workspace read-only. Before waiting,
    ``on_wait`` gets the sentence that says who holds it.
    """
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            return _acquire(Path(workspace))
        except Locked as exc:
            if time.monotonic() >= deadline:
                raise
            if on_wait is not None and not told:
                on_wait(str(exc))
                told = True
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))


def _acquire(workspace: Path) -> WriterLock:
    with _registry_lock:
        key = _key(workspace)
        if key in _held:
            _held[key].count += 1
            return WriterLock(workspace, key)
        target = lock_path(Path(key))
        fd = _lock_file(target)
        if fd is not None:
            _write_holder(fd)
            _held[key] = _Held(fd, target)
            return WriterLock(workspace, key)
    raise Locked(workspace, holder(workspace))  # outside the registry lock, which holder() takes


def _lock_file(target: Path) -> int | None:
    """An open, locked descriptor on ``target``, or None when another process holds it."""
    while True:
        fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o600)
        if not _os_lock(fd):
            os.close(fd)
            return None
        # The previous holder may have unlinked the file between our open and our lock: only a lock on
        # the file that is still at ``target`` counts.
        try:
            same = os.path.samestat(os.stat(target), os.fstat(fd))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _write_holder(fd: int) -> None:
    info = {"pid": os.getpid(), "host": socket.gethostname(), "program": os.path.basename(sys.argv[0] or "python"),
            "since": datetime.now().strftime("%Y-%m-%d %H:%M")}
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(info).encode())


def holder(workspace: str | os.PathLike[str]) -> dict | None:
    """Who holds the lock, as its holder wrote it (None if unknown or not locked)."""
    with _registry_lock:
        key = _key(Path(workspace))
    try:
        text = lock_path(Path(key)).read_text(encoding="utf-8")
        info = json.loads(text)
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def is_held_here(workspace: str | os.PathLike[str]) -> bool:
    """Whether this process holds the writer lock of ``workspace``."""
    with _registry_lock:
        return _key(Path(workspace)) in _held


def describe(workspace: Path, info: dict | None) -> str:
    """The sentence a user reads when another process has the workspace open for changes."""
    who = "another window or process"
    if info and info.get("pid"):
        who = f"another window or process (process {info['pid']}"
        if info.get("host") and info["host"] != socket.gethostname():
            who += f" on {info['host']}"
        if info.get("since"):
            who += f", since {info['since']}"
        who += ")"
    return f"{workspace.name} is open for changes in {who}"
