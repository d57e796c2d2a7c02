"""``erase-contact EMAIL``: erase a person on request; ``export-anonymised``: responses without identities."""
from __future__ import annotations

import argparse

from ..cli import CliError, emit, workspace_of
from ..core import backups, privacy


def register(sub, common) -> None:
    p = sub.add_parser("erase-contact", parents=[common],
                       help="erase a person's personal data on request (permanent; recorded in the audit log)")
    p.add_argument("email", metavar="EMAIL")
    p.add_argument("--yes", action="store_true", help="confirm: erasing cannot be undone")
    p.set_defaults(func=run_erase)
    p = sub.add_parser("export-anonymised", parents=[common],
                       help="export every response without names, emails, accounts or days (.csv)")
    p.add_argument("--out", required=True, metavar="FILE.csv")
    p.set_defaults(func=run_export)


def run_erase(args: argparse.Namespace) -> int:
    if not args.yes:
        raise CliError(f"erasing {args.email} cannot be undone; add --yes to confirm")
    with workspace_of(args) as ws:
        try:
            done = privacy.erase_contact(ws, args.email)
        except LookupError as exc:
            raise CliError(str(exc)) from None
        older = len(backups.list_backups(ws.path))
    emit(args, {"erased": done, "backups_holding_older_data": older},
         f"Erased {args.email.strip().lower()}: {done['contacts']} contact, {done['responses']} responses "
         f"(scores kept, comments removed), {done['invitations']} invitations, {done['actions']} actions' notes."
         + (f" {older} older backups still hold their data; restoring one erases them again, and "
            "rotation deletes them in time." if older else ""))
    return 0


def run_export(args: argparse.Namespace) -> int:
    with workspace_of(args) as ws:
        rows = privacy.export_anonymised(ws, args.out)
    emit(args, {"out": args.out, "rows": rows}, f"Wrote {rows:,} anonymised responses to {args.out}")
    return 0
