"""``import FILE``: import a survey export, an account or contact list, or revenue events."""
from __future__ import annotations

import argparse
import sqlite3

from ..cli import CliError, TextProgress, emit, workspace_of
from ..core import follow_ups
from ..core.importing import ImportOptions, ImportRefused, importer
from ..core.importing.mapping import IGNORE, KINDS
from ..core.importing.presets import PRESET_LABELS
from ..core.importing.values import DATE_ORDERS

SHOWN_REJECTS = 20


def register(sub, common) -> None:
    p = sub.add_parser("import", parents=[common], help="import a spreadsheet (survey export, CRM list)")
    p.add_argument("file", metavar="FILE", help=".xlsx, .xlsm, .xls, .ods, .csv, .tsv or .txt")
    p.add_argument("--as", dest="kind", choices=KINDS, help="what the file holds (default: detect)")
    p.add_argument("--mapping", metavar="PROFILE", help="use a saved mapping profile")
    p.add_argument("--map", dest="remap", action="append", metavar="COLUMN=FIELD", default=[],
                   help='map a column to a field, on top of the detected mapping (or the profile): '
                        '--map "Submitted=responded_at"; FIELD "ignore" leaves the column out (repeatable)')
    p.add_argument("--sheet", metavar="NAME", help="the workbook sheet to read (default: the first with data)")
    p.add_argument("--save-mapping", metavar="NAME", help="save the mapping used as a profile")
    p.add_argument("--dates", choices=DATE_ORDERS, help="month/day (mdy) or day/month (dmy) when the file "
                                                         "does not tell")
    p.add_argument("--responded-on", metavar="YYYY-MM-DD", help="the date of every response of a file that has "
                                                                "no date column (when they were collected)")
    p.add_argument("--accounts-from-domains", action="store_true",
                   help="create accounts from respondents' company email domains (never gmail, outlook …)")
    p.add_argument("--dry-run", action="store_true", help="count what would be imported; change nothing")
    p.add_argument("--insecure", action="store_true",
                   help="into a team workspace: allow a connection that does not check the server's certificate")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = ImportOptions(kind=args.kind, sheet=args.sheet, profile=args.mapping, date_order=args.dates,
                            save_profile=args.save_mapping, remap=_remap(args.remap),
                            responded_on=args.responded_on, accounts_from_domains=args.accounts_from_domains)
    workspace = getattr(args, "workspace", None)
    if isinstance(workspace, str) and workspace.startswith(("postgresql://", "postgres://")):
        return _run_team(args, workspace, options)
    try:
        if args.mapping:  # a profile lives in the workspace: read it before anything else
            with workspace_of(args, read_only=True) as ws:
                prev = importer.preview(args.file, options, ws)
        else:
            prev = importer.preview(args.file, options)
        with workspace_of(args, create=True) as ws:
            if args.dry_run:
                result = importer.plan(ws, prev, progress=TextProgress("Importing"))
            else:  # the comments get their themes, the plays their actions
                result = importer.commit(ws, prev, progress=TextProgress("Importing"),
                                         follow_ups=follow_ups.STANDARD)
    except ImportRefused as exc:
        raise CliError(str(exc)) from None
    except sqlite3.OperationalError as exc:
        raise CliError(f"the workspace could not be written ({exc}); nothing was imported") from None
    emit(args, result.as_json(), lambda: text(result))
    return 0


def _run_team(args: argparse.Namespace, dsn: str, options: ImportOptions) -> int:
    """An import into a team workspace: one at a time (a second waits, saying so), announced at commit."""
    import sys

    from ..core.team import connect, team_import
    try:
        conn = connect.connect(dsn, insecure=getattr(args, "insecure", False))
        shown = connect.parse(dsn, insecure=getattr(args, "insecure", False)).shown
    except connect.TeamError as exc:
        raise CliError(str(exc)) from None
    try:
        done = team_import.import_into(conn, shown, args.file, options, progress=TextProgress("Importing"),
                                       on_wait=lambda why: print(f"nps-desktop import: {why}", file=sys.stderr,
                                                                 flush=True), dry_run=args.dry_run)
    except (ImportRefused, connect.TeamError) as exc:
        raise CliError(str(exc)) from None
    finally:
        conn.close()
    if args.dry_run:   # what a dry run on a workspace file prints, word for word
        emit(args, done.result.as_json(), lambda: text(done.result))
        return 0
    doc = {**done.result.as_json(), "database": shown, "seconds": round(done.seconds, 2)}
    emit(args, doc, lambda: text(done.result) + f"\nWritten to {shown} ({done.seconds:.1f} s).")
    return 0


def _remap(items: list[str]) -> dict[str, str]:
    """``--map`` values ``COLUMN=FIELD`` (split at the last ``=``) as column → field ("" to ignore)."""
    out = {}
    for item in items:
        column, eq, name = item.rpartition("=")
        if not eq or not column.strip() or not name.strip():
            raise CliError(f'--map wants COLUMN=FIELD, as in --map "Submitted=responded_at"; got {item!r}')
        name = name.strip().lower()
        out[column.strip()] = IGNORE if name == "ignore" else name
    return out


def _quoted(column: str, question: str) -> str:
    return f'"{column}"' + (f" ({question})" if question != column else "")


def choices_text(choices: list[dict]) -> list[str]:
    """The columns chosen for score, date, comment and id, with their questions and the alternatives."""
    lines = []
    for c in choices:
        if c["column"]:
            chosen = _quoted(c["column"], c["question"])
        elif c.get("given"):
            chosen = f"none in the file; every response dated {c['given']}"
        else:
            chosen = "none"
        lines.append(f"  {c['label']}: {chosen}")
        if c["candidates"]:
            lines.append("    other candidates: " + "; ".join(_quoted(o["column"], o["question"])
                                                           for o in c["candidates"]))
    if any(c["candidates"] for c in choices):
        lines.append('  (switch with --map "COLUMN=FIELD")')
    return lines


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def text(r: importer.ImportResult) -> str:
    head = ("Would import" if r.dry_run else "Nothing new imported from" if r.batch_id is None and r.nothing_new
            else "Imported") + f" {r.file} as {r.kind}"
    if r.kind == "responses":
        head += f" ({PRESET_LABELS.get(r.preset, r.preset)})"
    if r.batch_id is not None:
        head += f", batch {r.batch_id}"
    lines = [head + ":",
             f"  rows {r.rows} · new {r.imported} · updated {r.updated} · duplicates {r.duplicates} · "
             f"rejected {r.rejected} · skipped {r.skipped}"]
    lines += [f"  {note}" for note in r.duplicate_notes()]
    for column, n in r.extra.get("blanked", {}).items():
        lines.append(f'  "{column}": {n} cell{"s" if n != 1 else ""} not an email address, left blank')
    if r.skipped_reasons:
        lines.append("  skipped: " + ", ".join(f"{why} {n}" for why, n in sorted(r.skipped_reasons.items())))
    lines += choices_text(r.choices)
    if r.kind == "responses":
        lines.append(f"  new responses mapped to accounts: {_pct(r.mapped_share)}")
        if r.extra.get("contacts_created") or r.extra.get("accounts_created"):
            lines.append(f"  contacts created from respondents' emails: {r.extra.get('contacts_created', 0)}; "
                         f"accounts created from company domains: {r.extra.get('accounts_created', 0)}")
    if r.extra.get("relinked"):
        lines.append(f"  rows linked to accounts or contacts afresh: {r.extra['relinked']}")
    if r.rejects:
        lines.append("Rejected (row, column, value, reason):")
        for row, col, value, why in r.rejects[:SHOWN_REJECTS]:
            lines.append(f'  row {row}  "{col or ""}"  {value!r}  {why}')
        if len(r.rejects) > SHOWN_REJECTS:
            more = f"  … and {len(r.rejects) - SHOWN_REJECTS} more"
            if r.batch_id is not None:
                more += f": nps-desktop imports --rejects {r.batch_id} --out rejects.xlsx"
            lines.append(more)
    return "\n".join(lines)
