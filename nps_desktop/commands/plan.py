"""``plan``: the fatigue-aware send list over a date range; export it, record a wave as sent, rates."""
from __future__ import annotations

import argparse
from datetime import date, timedelta

from ..cli import CliError, TextProgress, add_date_range, date_arg, emit, workspace_of
from ..core.cadence import explain, waves
from ..core.cadence.export import export_plan
from ..core.cadence.planner import Plan, plan
from ..core.export_safety import check_target
from ..core.words import plural
from ..core import clock

DEFAULT_DAYS = 90


def register(sub, common) -> None:
    p = sub.add_parser("plan", parents=[common], help="who to survey when: the fatigue-aware send list",
                       description="Plan the active programs over --from/--to (default: today and the "
                                   f"{DEFAULT_DAYS} days after) under the fatigue rules.")
    add_date_range(p)
    p.add_argument("--out", metavar="FILE", help="write the send list to FILE.csv or FILE.xlsx")
    p.add_argument("--include-excluded", action="store_true",
                   help="also list every excluded contact with the rule that excluded them")
    p.add_argument("--wave", metavar="NAME", help="only this wave in the send list and --out")
    change = p.add_mutually_exclusive_group()
    change.add_argument("--mark-sent", metavar="WAVE",
                        help="record the planned invitations of WAVE (e.g. 'Relational NPS 2026Q3') as sent")
    change.add_argument("--unmark", metavar="WAVE", help="undo --mark-sent for WAVE (unanswered invitations)")
    change.add_argument("--rates", action="store_true",
                        help="match responses to sent invitations and print response rates per wave and program")
    p.add_argument("--sent-on", type=date_arg, metavar="DATE",
                   help="with --mark-sent: the day they were sent (default: each one's planned day)")
    p.set_defaults(func=run)


def _range(args: argparse.Namespace) -> tuple[date, date]:
    start = args.date_from or clock.today()
    end = args.date_to or start + timedelta(days=DEFAULT_DAYS)
    if end < start:
        raise CliError(f"--to {end} is before --from {start}")
    return start, end


def run(args: argparse.Namespace) -> int:
    if args.out:
        try:
            check_target(args.out)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    with workspace_of(args) as ws:
        if args.unmark:
            n = waves.unmark_wave(ws, args.unmark)
            emit(args, {"wave": args.unmark, "unmarked": n}, f"{plural(n, 'invitation')} of {args.unmark} unmarked.")
            return 0
        if args.rates:
            matched = waves.match_responses(ws)
            doc = {"matched": matched,
                   "waves": [_rate(r) for r in waves.response_rates(ws, "wave")],
                   "programs": [_rate(r) for r in waves.response_rates(ws, "program")]}
            emit(args, doc, lambda: _rates_text(doc))
            return 0
        start, end = _range(args)
        result = plan(ws, start, end, progress=TextProgress("Planning"))
        if args.wave and result.wave(args.wave) is None:
            raise CliError(f"no wave called {args.wave!r} in {start}..{end}; "
                           f"waves: {', '.join(w.name for w in result.waves) or 'none'}")
        doc = result.to_json(args.include_excluded)
        if args.wave:
            doc["planned"] = [p for p in doc["planned"] if p["wave"] == args.wave]
        if args.mark_sent:
            try:
                doc["marked_sent"] = waves.mark_wave_sent(ws, result, args.mark_sent, args.sent_on)
            except ValueError as exc:
                raise CliError(str(exc)) from None
            doc["wave"] = args.mark_sent
        if args.out:
            doc["out"] = args.out
            doc["rows"] = export_plan(result, args.out, args.wave, progress=TextProgress("Exporting"))
    emit(args, doc, lambda: _text(result, doc))
    return 0


def _rate(r: waves.Rate) -> dict:
    return {"key": r.key, "program": r.program, "kind": r.kind, "sent": r.sent, "responded": r.responded,
            "rate": None if r.rate is None else round(r.rate, 1), "first_sent": r.first_sent,
            "last_sent": r.last_sent}


def _rates_text(doc: dict) -> str:
    lines = [f"{plural(doc['matched'], 'response')} newly matched to invitations."]
    for title, rows in (("By wave", doc["waves"]), ("By program", doc["programs"])):
        lines.append(f"\n{title}:")
        if not rows:
            lines.append("  nothing sent yet")
        for r in rows:
            rate = "—" if r["rate"] is None else f"{r['rate']:.1f}%"
            lines.append(f"  {r['key']:<36} sent {r['sent']:<7} responded {r['responded']:<7} {rate}")
    return "\n".join(lines)


def _text(result: Plan, doc: dict) -> str:
    planned = doc["planned"]
    lines = [f"Plan {result.date_from} to {result.date_to}: {plural(len(planned), 'invitation')} in "
             f"{plural(sum(1 for w in result.waves if w.planned), 'wave')}; {len(result.excluded):,} excluded"
             + (" (" + ", ".join(f"{explain.RULE_NAMES.get(k, k)} {v:,}"
                                 for k, v in result.excluded_by_rule.items()) + ")" if result.excluded else "")]
    if result.waves:
        lines.append(f"\n  {'wave':<36} {'from':<10}  {'to':<10}  {'planned':>8} {'excluded':>9} {'sent':>6}")
        lines += [f"  {w.name:<36} {w.start}  {w.end}  {w.planned:>8,} {w.excluded:>9,} {w.sent:>6,}"
                  for w in result.waves]
    if "marked_sent" in doc:
        lines.append(f"\n{plural(doc['marked_sent'], 'invitation')} of {doc['wave']} recorded as sent.")
    if "out" in doc:
        lines.append(f"\nSend list written to {doc['out']} ({doc['rows']:,} rows).")
    elif planned and len(planned) <= 200:
        lines.append("")
        lines += [f"  {p['planned_on']}  {p['email']:<32} {p['program']:<20} {p['detail']}" for p in planned]
    elif planned:
        lines.append(f"\n{len(planned):,} invitations: use --out FILE.xlsx or --json for the whole list.")
    if "excluded" in doc:
        lines.append("\nExcluded:")
        lines += [f"  {e['due_on']}  {e['email'] or '(no email)':<32} {e['program']:<20} {e['reason']}"
                  for e in doc["excluded"]]
    return "\n".join(lines)
