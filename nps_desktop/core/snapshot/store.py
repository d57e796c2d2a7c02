"""The snapshot this process holds for each workspace file, and whether it is still current.

``current(ws)`` is what ``core.analytics`` asks: the held snapshot when its generation is the file's
(read through the caller's own connection, so a change by any connection or process is seen), else the
cache file's when that matches, else None (the caller runs SQL). ``load`` reads the workspace (or the
cache) and holds the result; while a load runs, ``current`` waits for it rather than racing it.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ..workspace import Workspace
from . import cache, columns, generation, update
from .model import Snapshot

_lock = threading.Lock()
_held: dict[str, Snapshot] = {}
_loading: dict[str, threading.Event] = {}
#: How long ``current`` waits for a load before it lets the caller run SQL instead.
WAIT_SECONDS = 120


def _name(path: Path) -> str:
    return os.path.realpath(path)


def current(ws: Workspace) -> Snapshot | None:
    """The snapshot of ``ws`` as it is now, or None when there is none that is current — also inside a
    transaction on ``ws.conn``, whose own uncommitted changes only the SQL sees."""
    if ws.conn.in_transaction:
        return None
    name = _name(ws.path)
    with _lock:
        pending = _loading.get(name)
    if pending is not None:
        pending.wait(WAIT_SECONDS)
    return _without_reading(ws)


class _Connection:
    """A bare connection's file and the connection itself, as ``current`` reads them from a workspace."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path, self.conn = path, conn


def current_for(conn: sqlite3.Connection) -> Snapshot | None:
    """``current`` for code that holds a connection rather than a ``Workspace``."""
    try:
        found = [r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"]
    except sqlite3.Error:
        return None
    if not found or not found[0]:
        return None  # an in-memory database
    return current(_Connection(Path(found[0]), conn))  # type: ignore[arg-type]


def _without_reading(ws: Workspace) -> Snapshot | None:
    """The held snapshot when it is current, else the cache file's when that is (then held)."""
    name = _name(ws.path)
    key = generation.read(ws.conn)
    with _lock:
        held = _held.get(name)
    if held is not None and key is not None and held.key == key:
        return held
    snap = cache.load(ws.path, key)
    if snap is not None:
        _hold(name, snap)
    return snap


def begin_load(path: Path) -> None:
    """Announce a load (``load`` follows on a worker): from now on ``current`` waits for it."""
    with _lock:
        _loading.setdefault(_name(path), threading.Event())


def load(ws: Workspace) -> Snapshot:
    """Hold the snapshot of ``ws``: from the cache file when it is current, else read from the
    workspace (and the cache file written). Ends any load ``begin_load`` announced."""
    try:
        snap = _without_reading(ws)
        if snap is None:
            snap = columns.read(ws.conn)
            if snap.key is not None:
                cache.save(snap, ws.path)
            _hold(_name(ws.path), snap)
        return snap
    finally:
        end_load(ws.path)


def end_load(path: Path) -> None:
    """Release whoever waits for a load of ``path`` (done, or failed before it began)."""
    with _lock:
        pending = _loading.pop(_name(path), None)
    if pending is not None:
        pending.set()


def hold(path: Path, snap: Snapshot) -> None:
    """Hold ``snap`` as the snapshot of the workspace at ``path`` (one read elsewhere, e.g. a team database)."""
    _hold(_name(path), snap)


def _hold(name: str, snap: Snapshot) -> None:
    with _lock:
        _held[name] = snap


def forget(path: Path) -> None:
    """Drop the snapshot held for ``path`` (the workspace was closed)."""
    with _lock:
        _held.pop(_name(path), None)


# -- through a write -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Before:
    """What ``before_write`` noted: the snapshot current then, the connection's data_version, and the
    ids of the responses the write is about (they may be gone after it)."""
    snap: Snapshot | None
    version: int
    ids: np.ndarray


def before_write(ws: Workspace, rows: update.Rows | None = None) -> Before:
    """Note, just before a write on ``ws.conn``, what ``after_write`` needs to keep the snapshot current."""
    snap = _without_reading(ws)
    ids = rows.ids(ws.conn) if rows is not None and snap is not None else np.zeros(0, dtype=np.int64)
    return Before(snap, update.data_version(ws.conn), ids)


def after_write(ws: Workspace, before: Before, rows: update.Rows) -> Snapshot | None:
    """Once the write committed: hold the snapshot updated by ``rows`` (and write the cache file), when
    the one noted before was current and no other connection committed since; else leave it stale
    (a full load follows). Never raises for the snapshot's sake: the write is done either way."""
    if before.snap is None or update.data_version(ws.conn) != before.version:
        return None
    name = _name(ws.path)
    try:
        snap = update.read_change(ws.conn, before.snap, rows, before.ids)
    except (sqlite3.Error, ValueError):
        return None
    with _lock:
        if _held.get(name) is not before.snap:
            return None  # replaced meanwhile (a load): that one stands
        _held[name] = snap
    if snap.key is not None:
        cache.save(snap, ws.path)
    return snap


@contextlib.contextmanager
def writing(ws: Workspace, rows: update.Rows) -> Iterator[None]:
    """Keep the snapshot current through the write in the block (``rows``: what it touches)."""
    before = before_write(ws, rows)
    yield
    after_write(ws, before, rows)
