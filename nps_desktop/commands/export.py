"""``export``: responses, accounts, actions or segments to .xlsx or .csv, safe to open in Excel."""
from __future__ import annotations

import argparse

from ..cli import CliError, TextProgress, add_date_range, emit, workspace_of
from ..core import analytics, disk
from ..core.reporting import excel, tables


def register(sub, common) -> None:
    p = sub.add_parser("export", parents=[common],
                       help="responses, accounts, actions or segments to .xlsx or .csv")
    p.add_argument("--what", required=True, choices=tables.WHAT, help="which table to export")
    p.add_argument("--out", required=True, metavar="FILE", help="a .xlsx or .csv file")
    add_date_range(p)
    p.add_argument("--segment", metavar="NAME", help="only the responses of a saved segment")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        out = excel.check_target(args.out)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    with workspace_of(args, read_only=True) as ws:
        base = analytics.load_segment(ws, args.segment) if args.segment else analytics.Filters()
        filters = base.with_dates(args.date_from, args.date_to) if (args.date_from or args.date_to) \
            else analytics.resolve(ws, base)
        table = tables.build(ws, args.what, filters)
        try:
            n = excel.write(out, table, progress=TextProgress(f"Exporting {args.what}"))
        except OSError as exc:
            raise CliError(f"cannot write {out}: {disk.reason(exc)}") from None
    emit(args, {"out": str(out), "what": args.what, "rows": n, "columns": [c.name for c in table.columns]},
         f"Wrote {n:,} {args.what} to {out}.")
    return 0
