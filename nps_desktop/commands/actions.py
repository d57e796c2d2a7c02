"""``actions``: list and filter close-the-loop actions, change them, and print the loop metrics."""
from __future__ import annotations

import argparse
from typing import Any

from ..cli import CliError, add_date_range, date_arg, emit, workspace_of
from ..core.loop import actions as act
from ..core.loop import metrics, plays
from ..core.words import plural
from ..core import clock


def register(sub, common) -> None:
    p = sub.add_parser("actions", parents=[common], help="list, filter and change close-the-loop actions")
    p.add_argument("--owner", action="append", metavar="NAME", help="only this owner (repeatable; '' = unassigned)")
    p.add_argument("--play", action="append", metavar="KEY", help="only this play, e.g. detractor_save (repeatable)")
    p.add_argument("--status", action="append", choices=act.STATUSES, help="only this status (repeatable)")
    p.add_argument("--overdue", action="store_true", help="only actions not done and past their due date")
    p.add_argument("--arr-min", type=float, metavar="ARR", help="only accounts with at least this ARR")
    p.add_argument("--account", type=int, metavar="ID", help="only this account")
    p.add_argument("--as-of", type=date_arg, metavar="DATE", help="count overdue as of this day (default: today)")
    change = p.add_argument_group("changes (one per run)").add_mutually_exclusive_group()
    change.add_argument("--set-status", nargs=2, metavar=("ID", "STATUS"), help="open, in_progress or done")
    change.add_argument("--set-outcome", nargs=2, metavar=("ID", "OUTCOME"),
                        help=f"one of {', '.join(act.OUTCOMES)} ('' clears it)")
    change.add_argument("--note", nargs=2, metavar=("ID", "TEXT"), help="append a dated note")
    change.add_argument("--assign", nargs=2, metavar=("IDS", "OWNER"), help="give actions (1,2,3) to OWNER")
    change.add_argument("--metrics", action="store_true",
                        help="print the loop metrics (SLA share, time to first touch and close, save rate, "
                             "reference yield) over actions whose response is dated --from/--to")
    p.add_argument("--if-version", type=int, metavar="N",
                   help="on a team workspace: change the action only if it is still at version N (as listed); "
                        "otherwise say who changed it and what (default: the version read just before)")
    p.add_argument("--insecure", action="store_true",
                   help="on a team workspace: allow a connection that does not check the server's certificate")
    add_date_range(p)
    p.set_defaults(func=run)


def _id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CliError(f"{text!r} is not an action id (a whole number)") from None


def run(args: argparse.Namespace) -> int:
    today = args.as_of or clock.today()
    if isinstance(getattr(args, "workspace", None), str) and args.workspace.startswith(("postgresql://", "postgres://")):
        return _run_team(args, today)
    with workspace_of(args) as ws:
        if args.metrics:
            m = metrics.loop_metrics(ws, args.date_from, args.date_to, today)
            emit(args, m.as_json(), lambda: _metrics_text(m))
            return 0
        names = plays.play_names(ws)
        changed = _change(ws, args)
        if changed is not None:
            ids, n = changed
            doc: dict[str, Any] = {"changed": n, "actions": [act.get_action(ws, i, today).as_json() for i in ids]}
            emit(args, doc, lambda: f"{plural(n, 'action')} changed.\n" + _table(doc["actions"], names))
            return 0
        filters = act.ActionFilters(owners=tuple(args.owner or ()), plays=tuple(args.play or ()),
                                    statuses=tuple(args.status or ()), overdue=args.overdue,
                                    arr_min=args.arr_min, account_id=args.account)
        doc = {"actions": [a.as_json() for a in act.list_actions(ws, filters, today)]}
    emit(args, doc, lambda: _table(doc["actions"], names))
    return 0


def _change(ws, args) -> tuple[list[int], int] | None:
    if args.set_status:
        i = _id(args.set_status[0])
        return [i], int(act.set_status(ws, i, args.set_status[1]))
    if args.set_outcome:
        i = _id(args.set_outcome[0])
        return [i], int(act.set_outcome(ws, i, args.set_outcome[1] or None))
    if args.note:
        i = _id(args.note[0])
        return [i], int(act.add_note(ws, i, args.note[1]))
    if args.assign:
        ids = [_id(x) for x in args.assign[0].split(",") if x.strip()]
        return ids, act.assign(ws, ids, args.assign[1])  # all or nothing: an unknown id changes none
    return None


def _table(rows: list[dict], play_names: dict[str, str]) -> str:
    """The actions as the app names them (play names, "In progress", "Reference secured"); JSON keeps the keys."""
    if not rows:
        return "No actions."
    lines = [f"{'id':>5}  {'play':<24} {'status':<11} {'due':<11} {'owner':<16} {'outcome':<17} contact"]
    for a in rows:
        due = (a["due"] or "—") + ("!" if a["overdue"] else "")
        outcome = act.OUTCOME_LABELS.get(a["outcome"], a["outcome"]) if a["outcome"] else "—"
        lines.append(f"{a['id']:>5}  {play_names.get(a['play'], a['play']):<24} "
                     f"{act.STATUS_LABELS.get(a['status'], a['status']):<11} {due:<11} {a['owner'] or '—':<16} "
                     f"{outcome:<17} {a['contact_email'] or '—'}")
    return "\n".join(lines) + "\n(! = overdue)"


def _pct(x) -> str:
    return "—" if x is None else f"{x:.0%}"


def _days(x) -> str:
    return "—" if x is None else f"{x:.1f} days"


def _metrics_text(m: metrics.LoopMetrics) -> str:
    return "\n".join([
        f"Actions {m.actions}: {m.open} open, {m.in_progress} in progress, {m.done} done, "
        f"{m.overdue} overdue",
        f"Detractors contacted within the SLA: {m.sla_met} of {m.sla_actions} ({_pct(m.sla_share)})",
        f"Median time to first touch: {_days(m.median_first_touch_days)}",
        f"Median time to close: {_days(m.median_close_days)}",
        f"Save rate: {m.saved} of {m.saves_resolved} ({_pct(m.save_rate)}) as reported; "
        f"{m.saved_reconciled} ({_pct(m.save_rate_reconciled)}) reconciled: no churn within "
        f"{m.save_window_days} days",
        f"Reference yield: {m.references} of {m.advocacy_done} ({_pct(m.reference_yield)})"])


# -- a team workspace (PostgreSQL): the queue worked row by row, versions checked ---------------------------
def _run_team(args: argparse.Namespace, today) -> int:
    from ..core.team import connect, queue
    if args.metrics or args.play or args.arr_min is not None or args.account is not None:
        raise CliError("on a team workspace `actions` lists by --status, --owner and --overdue and changes "
                       "actions; for the rest `nps-desktop team pull` makes an offline copy")
    try:
        conn = connect.connect(args.workspace, insecure=args.insecure)
    except connect.TeamError as exc:
        raise CliError(str(exc)) from None
    try:
        changed = _team_change(conn, args)
        if changed is not None:
            shown = [a.as_json(today) for a in changed]
            emit(args, {"changed": len(changed), "actions": shown},
                 lambda: f"{plural(len(changed), 'action')} changed.\n" + _team_table(shown))
            return 0
        rows = queue.list_actions(conn, statuses=args.status or (), owners=args.owner or (),
                                  overdue_on=today if args.overdue else None)
        listed = [a.as_json(today) for a in rows]
        emit(args, {"actions": listed}, lambda: _team_table(listed))
        return 0
    except connect.TeamError as exc:
        raise CliError(str(exc)) from None
    finally:
        conn.close()


def _team_change(conn, args):
    from ..core.team import queue

    def version(i: int) -> int:
        return args.if_version if args.if_version is not None else queue.get(conn, i).version
    if args.set_status:
        i = _id(args.set_status[0])
        return [queue.set_status(conn, i, version(i), args.set_status[1])]
    if args.set_outcome:
        i = _id(args.set_outcome[0])
        return [queue.set_outcome(conn, i, version(i), args.set_outcome[1] or None)]
    if args.note:
        i = _id(args.note[0])
        return [queue.add_note(conn, i, version(i), args.note[1])]
    if args.assign:
        ids = [_id(x) for x in args.assign[0].split(",") if x.strip()]
        if args.if_version is not None and len(ids) > 1:
            raise CliError("--if-version names the version of one action; assign one action at a time with it")
        return queue.assign(conn, {i: version(i) for i in ids}, args.assign[1])
    return None


def _team_table(rows: list[dict]) -> str:
    if not rows:
        return "No actions."
    lines = [f"{'id':>5}  {'play':<20} {'status':<11} {'due':<11} {'owner':<14} {'ver':>4}  last changed by"]
    for a in rows:
        due = (a["due"] or "—") + ("!" if a["overdue"] else "")
        by = f"{a['changed_by']} {a['changed_at'][:16].replace('T', ' ')}" if a["changed_by"] else "—"
        lines.append(f"{a['id']:>5}  {a['play']:<20} {act.STATUS_LABELS.get(a['status'], a['status']):<11} "
                     f"{due:<11} {a['owner'] or '—':<14} {a['version']:>4}  {by}")
    return "\n".join(lines) + "\n(! = overdue)"
