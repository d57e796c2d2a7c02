"""The snapshot this process holds for each workspace file, and whether it is still current.

``current(ws)`` is what ``core.analytics`` asks: the held snapshot when its generation is the file's
(read through the caller's own connection, so a change by any connection or process is seen), else the
cache file's when that matches, else None (the caller runs SQL). ``load`` reads the workspace (or the
cache) and holds the result; while a load runs, ``current`` waits for it rather than racing it.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from ..workspace import Workspace
from . import cache, columns, generation
from .model import Snapshot

_lock = threading.Lock()
_held: dict[str, Snapshot] = {}
_loading: dict[str, threading.Event] = {}
#: How long ``current`` waits for a load before it lets the caller run SQL instead.
WAIT_SECONDS = 120


def _name(path: Path) -> str:
    return os.path.realpath(path)


def current(ws: Workspace) -> Snapshot | None:
    """The snapshot of ``ws`` as it is now, or None when there is none that is current."""
    name = _name(ws.path)
    with _lock:
        pending = _loading.get(name)
    if pending is not None:
        pending.wait(WAIT_SECONDS)
    return _without_reading(ws)


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
