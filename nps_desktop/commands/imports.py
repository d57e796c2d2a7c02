"""``imports``: the import batches (file, sha256, when, counts), and one batch's rejected rows."""
from __future__ import annotations

import argparse

from ..cli import CliError, emit, workspace_of
from ..core.importing import batches


def register(sub, common) -> None:
    p = sub.add_parser("imports", parents=[common], help="list import batches, or one batch's rejected rows")
    p.add_argument("--rejects", type=int, metavar="ID", help="the rejected rows of batch ID")
    p.add_argument("--out", metavar="FILE.xlsx", help="with --rejects: write them to an .xlsx file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.out and args.rejects is None:
        raise CliError("--out needs --rejects ID")
    with workspace_of(args, read_only=True) as ws:
        if args.rejects is None:
            rows = batches.list_batches(ws)
            emit(args, {"batches": [b.as_json() for b in rows]}, lambda: _list_text(rows))
            return 0
        batch = batches.get_batch(ws, args.rejects)
        if batch is None:
            raise CliError(f"there is no import batch {args.rejects}")
        rejects = batches.rejects(ws, batch.id)
    doc = {"batch_id": batch.id, "file": batch.file, "rejects": [r.as_json() for r in rejects]}
    if args.out:
        if not args.out.lower().endswith(".xlsx"):
            raise CliError(f"{args.out}: rejected rows are written as .xlsx")
        doc["out"] = str(batches.write_rejects_xlsx(rejects, args.out, batch.file))
    emit(args, doc, lambda: _rejects_text(batch, rejects, args.out))
    return 0


def _list_text(rows: list[batches.Batch]) -> str:
    if not rows:
        return "No imports yet."
    lines = [f"{'id':>4}  {'imported at':<19}  {'kind':<9}  {'rows':>7} {'new':>7} {'upd':>5} {'dup':>6} "
             f"{'rej':>5} {'skip':>5}  file"]
    for b in rows:
        lines.append(f"{b.id:>4}  {b.imported_at:<19}  {b.kind:<9}  {b.rows:>7} {b.imported:>7} {b.updated:>5} "
                     f"{b.duplicates:>6} {b.rejected:>5} {b.skipped:>5}  {b.file}"
                     + (f"  (undone {b.undone_at})" if b.undone else ""))
    return "\n".join(lines)


def _rejects_text(batch: batches.Batch, rejects: list[batches.RejectRow], out: str | None) -> str:
    if out:
        return f"{len(rejects)} rejected rows of batch {batch.id} ({batch.file}) written to {out}"
    if not rejects:
        return f"Batch {batch.id} ({batch.file}) rejected no rows."
    return "\n".join([f"Rejected rows of batch {batch.id} ({batch.file}): row, column, value, reason"] +
                     [f'  row {r.row}  "{r.column or ""}"  {r.value!r}  {r.reason}' for r in rejects])
