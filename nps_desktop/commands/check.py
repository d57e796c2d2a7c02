"""``check``: the full check of the workspace file (integrity and foreign keys), on demand.

Opening a workspace no longer checks it every time (only before a migration and after an unclean
shutdown); this runs the full ``integrity_check`` whatever the file's size.
"""
from __future__ import annotations

import argparse

from ..cli import emit, workspace_of
from ..core.workspace import damaged_error


def register(sub, common) -> None:
    p = sub.add_parser("check", parents=[common], help="check the workspace for damage (full integrity check)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with workspace_of(args, read_only=True) as ws:
        found = ws.problems(quick=False)
        if found:
            raise damaged_error(ws.path, "; ".join(found))
    emit(args, {"workspace": str(ws.path), "sound": True},
         f"{ws.path} is sound: its integrity and its links between tables are checked.")
    return 0
