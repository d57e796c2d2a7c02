"""``revenue``: renewal, churn and expansion by promoter, passive, detractor and unscored accounts."""
from __future__ import annotations

import argparse

from ..cli import CliError, add_date_range, date_arg, emit, workspace_of
from ..core import clock, revenue
from ..core.worth import value


def register(sub, common) -> None:
    p = sub.add_parser("revenue", parents=[common],
                       help="renewal, churn and expansion by NPS category; ARR at risk; maturity figures")
    add_date_range(p)
    p.add_argument("--as-of", type=date_arg, metavar="DATE", help="today, for ARR at risk (default: today)")
    p.add_argument("--add", nargs=4, metavar=("ACCOUNT", "KIND", "DATE", "ARR_CHANGE"),
                   help="record a revenue event by hand: account id or external id, "
                        f"kind ({', '.join(revenue.EVENT_KINDS)}), date, ARR change (negative for churn)")
    p.add_argument("--note", help="with --add: a note on the event")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with workspace_of(args) as ws:
        if args.add:
            account, kind, day, change = args.add
            account_id = _account(ws, account)
            try:
                amount = float(change.replace(",", ""))
            except ValueError:
                raise CliError(f"ARR change {change!r} is not a number") from None
            event_id = revenue.add_event(ws.conn, account_id, kind, date_arg(day), amount, note=args.note)
            doc = {"event_id": event_id, "arr": revenue.arr_over_time(ws.conn, account_id)}
            emit(args, doc, f"Recorded revenue event {event_id} ({kind}) for account {account}.")
            return 0
        doc = revenue.report(ws.conn, args.date_from, args.date_to, args.as_of)
        doc["value_of_move"] = value.for_workspace(ws.conn, args.as_of or clock.today())
    emit(args, doc, lambda: _text(doc))
    return 0


def _account(ws, text: str) -> int:
    row = ws.conn.execute("SELECT id FROM accounts WHERE external_id = ? OR CAST(id AS TEXT) = ? "
                          "ORDER BY external_id = ? DESC LIMIT 1", (text, text, text)).fetchone()
    if row is None:
        raise CliError(f"no account with id or external id {text!r}")
    return row[0]


def _pct(x) -> str:
    return "—" if x is None else f"{x:.0%}"


def _money(x) -> str:
    return "—" if x is None else f"{x:,.0f}"


def _text(doc: dict) -> str:
    lines = [f"{'category':<10} {'accounts':>8} {'renewal':>8} {'churn':>6} {'churned ARR':>12} "
             f"{'expansion':>9} {'avg exp. ARR':>12} {'NRR':>6}"]
    for c in doc["categories"]:
        lines.append(f"{c['category']:<10} {c['accounts']:>8} {_pct(c['renewal_rate']):>8} {_pct(c['churn_rate']):>6} "
                     f"{_money(c['churned_arr']):>12} {_pct(c['expansion_rate']):>9} "
                     f"{_money(c['avg_expansion_arr']):>12} {_pct(c['nrr']):>6}")
    risk, m = doc["arr_at_risk"], doc["maturity"]
    lines += ["", f"ARR at risk: {_money(risk['90']['arr'])} renewing within 90 days, "
                  f"{_money(risk['180']['arr'])} within 180 days",
              f"Responses mapped to active accounts: {_pct(m['mapped_active_share'])}",
              f"Promoters with an open advocacy action: {m['promoters_covered']} of {m['promoters']} "
              f"({_pct(m['promoter_coverage'])})",
              f"Expansion ARR from promoter accounts: {_money(m['expansion_arr_promoters'])} of "
              f"{_money(m['expansion_arr'])} ({_pct(m['expansion_share_promoters'])})",
              "", value.sentence(doc["value_of_move"])]
    return "\n".join(lines)
