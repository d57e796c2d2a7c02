"""``undo-import ID``: remove one import batch exactly (rows it added go, rows it changed come back)."""
from __future__ import annotations

import argparse

from ..cli import CliError, emit, workspace_of
from ..core import follow_ups
from ..core.importing import ImportRefused, undo_batch


def register(sub, common) -> None:
    p = sub.add_parser("undo-import", parents=[common], help="undo one import batch exactly")
    p.add_argument("batch_id", type=int, metavar="ID", help="the batch id (see `imports`)")
    p.add_argument("--insecure", action="store_true",
                   help="on a team workspace: allow a connection that does not check the server's certificate")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    workspace = getattr(args, "workspace", None)
    if isinstance(workspace, str) and workspace.startswith(("postgresql://", "postgres://")):
        result = _undo_team(args, workspace)
    else:
        with workspace_of(args) as ws:
            try:
                result = undo_batch(ws, args.batch_id, follow_ups.STANDARD)  # the plays undo their actions
            except ImportRefused as exc:
                raise CliError(str(exc)) from None
    removed = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in result.removed.items()) or "nothing"
    emit(args, result.as_json(),
         f"Undid import batch {result.batch_id} ({result.file}): removed {removed}; "
         f"restored {result.restored} changed rows.")
    return 0


def _undo_team(args: argparse.Namespace, dsn: str):
    """On a team workspace: the same rules, under the import lock (an import running meanwhile: it waits)."""
    import sys

    from ..core.team import connect, team_undo
    try:
        conn = connect.connect(dsn, insecure=args.insecure)
        shown = connect.parse(dsn, insecure=args.insecure).shown
    except connect.TeamError as exc:
        raise CliError(str(exc)) from None
    try:
        return team_undo.undo_into(conn, shown, args.batch_id, on_wait=lambda why: print(
            f"nps-desktop undo-import: {why}", file=sys.stderr, flush=True))
    except (ImportRefused, connect.TeamError) as exc:
        raise CliError(str(exc)) from None
    finally:
        conn.close()
