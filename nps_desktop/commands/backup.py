"""``backup``, ``backups`` and ``restore``: take a verified backup now, list them, bring one back."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import emit, workspace_of
from ..core import backups
from ..core.workspace import default_path


def register(sub, common) -> None:
    p = sub.add_parser("backup", parents=[common], help="back the workspace up now (verified)")
    p.add_argument("--reason", default="manual backup", help="a note kept with the backup")
    p.set_defaults(func=run_backup)
    p = sub.add_parser("backups", parents=[common], help="list the workspace's backups, newest first")
    p.set_defaults(func=run_list)
    p = sub.add_parser("restore", parents=[common],
                       help="make the workspace what a backup holds (the current state is backed up first)")
    p.add_argument("backup", metavar="BACKUP", help="a backup's path, its file name from `backups`, or latest")
    p.set_defaults(func=run_restore)


def _path(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "workspace", None) or default_path())


def run_backup(args: argparse.Namespace) -> int:
    with workspace_of(args) as ws:
        taken = backups.take(ws, args.reason)
    emit(args, {"backup": taken.to_json()}, f"Backed up to {taken.path} ({_size(taken.size)}, integrity ok)")
    return 0


def run_list(args: argparse.Namespace) -> int:
    found = backups.list_backups(_path(args))
    emit(args, {"workspace": str(_path(args)), "backups": [b.to_json() for b in found]},
         lambda: _table(found) if found else f"No backups of {_path(args)} yet.")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    path = _path(args)
    chosen = backups.find(path, args.backup)
    safety = backups.restore(path, chosen)
    doc = {"workspace": str(path), "restored": str(chosen),
           "safety_backup": None if safety is None else str(safety.path)}
    text = f"Restored {path} from {chosen.name}."
    text += (f" What it held before is in {safety.path.name}." if safety else
             " The damaged file was kept in the backup folder.")
    emit(args, doc, text)
    return 0


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} KB"


def _table(found: list[backups.Backup]) -> str:
    lines = [f"{'taken':<19}  {'size':>8}  {'responses':>9}  {'check':<5}  reason / file"]
    for b in found:
        lines.append(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {_size(b.size):>8}  {b.counts.get('responses', 0):>9,}  "
                     f"{b.integrity:<5}  {b.reason}\n{'':>50}{b.path.name}")
    return "\n".join(lines)
