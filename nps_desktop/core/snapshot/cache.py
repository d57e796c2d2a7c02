"""The snapshot in a file beside the workspace (``<workspace>.snapshot``), valid for one generation.

Written atomically with owner-only permissions; a file that is missing, of another generation or
format, or damaged is ignored (the caller reads the workspace instead and writes a new one).
"""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .columns import dims_of
from .model import Snapshot, Table

#: Bumped whenever the file's layout changes; files of another format are ignored.
FORMAT = 2
_RESPONSE_COLUMNS = ("day", "score", "category", "acc", "con", "time", "rid")


def path_for(workspace: Path) -> Path:
    return workspace.with_name(workspace.name + ".snapshot")


def _meta(key: tuple[int, int] | None) -> dict[str, Any]:
    return {"format": FORMAT, "key": list(key) if key else None,
            "dims": {lvl: dims_of(lvl) for lvl in "rac"}}


def save(snap: Snapshot, workspace: Path) -> Path | None:
    """Write the cache file; None when it cannot be written (read-only folder, a label that is not text)."""
    arrays: dict[str, np.ndarray] = {f"r.{c}": getattr(snap, c) for c in _RESPONSE_COLUMNS}
    arrays.update({f"r.code.{d}": c for d, c in snap.codes.items()})
    labels = {f"r.{d}": v for d, v in snap.labels.items()}
    for prefix, table in (("a", snap.accounts), ("c", snap.contacts)):
        arrays[f"{prefix}.ids"], arrays[f"{prefix}.arr"] = table.ids, table.arr
        arrays.update({f"{prefix}.code.{d}": c for d, c in table.codes.items()})
        labels.update({f"{prefix}.{d}": v for d, v in table.labels.items()})
    if not all(isinstance(v, str) for values in labels.values() for v in values[1:]):
        return None
    arrays.update({f"labels.{k}": np.array(v[1:], dtype=str) for k, v in labels.items()})
    arrays["meta"] = np.array(json.dumps(_meta(snap.key)))
    target = path_for(workspace)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)  # type: ignore[arg-type]  # numpy stubs: a **dict could fill allow_pickle
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
        return None
    return target


def load(workspace: Path, key: tuple[int, int] | None) -> Snapshot | None:
    """The cached snapshot of generation ``key``, or None."""
    target = path_for(workspace)
    if key is None or not target.exists():
        return None
    try:
        with np.load(target, allow_pickle=False) as f:
            if json.loads(str(f["meta"])) != _meta(key):
                return None
            return _snapshot(f, key)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        return None


def _snapshot(f: Any, key: tuple[int, int]) -> Snapshot:
    def labels(name: str) -> list[Any]:
        return [None, *f[f"labels.{name}"].tolist()]

    def table(prefix: str) -> Table:
        dims = dims_of(prefix)
        return Table(ids=f[f"{prefix}.ids"], arr=f[f"{prefix}.arr"],
                     codes={d: f[f"{prefix}.code.{d}"] for d in dims},
                     labels={d: labels(f"{prefix}.{d}") for d in dims})
    columns = {c: f[f"r.{c}"] for c in _RESPONSE_COLUMNS}
    snap = Snapshot(key=key, **columns, codes={d: f[f"r.code.{d}"] for d in dims_of("r")},
                    labels={d: labels(f"r.{d}") for d in dims_of("r")},
                    accounts=table("a"), contacts=table("c"))
    _check(snap)
    return snap


def _check(snap: Snapshot) -> None:
    """Refuse a file whose columns disagree in length or point outside their tables and labels."""
    def within(codes: np.ndarray, size: int) -> bool:
        return not len(codes) or (int(codes.min()) >= 0 and int(codes.max()) < size)
    columns = (snap.day, snap.score, snap.category, snap.acc, snap.con, snap.time, snap.rid, *snap.codes.values())
    tables = (snap.accounts, snap.contacts)
    sound = (len({len(c) for c in columns}) == 1 and within(snap.score, 11)
             and within(snap.acc, snap.accounts.none + 1) and within(snap.con, snap.contacts.none + 1)
             and all(within(c, len(snap.labels[d])) for d, c in snap.codes.items())
             and all(len(t.arr) == t.none + 1 and within(c, len(t.labels[d]))
                     and len(c) == t.none + 1 for t in tables for d, c in t.codes.items()))
    if not sound:
        raise ValueError("inconsistent snapshot file")
