"""``revenue``: renewal, churn and expansion by promoter, passive, detractor and unscored accounts."""
from __future__ import annotations

import argparse

from ..cli import CliError, add_date_range, date_arg, emit, workspace_of
from ..core import clock, labels, money, revenue, settings
from ..core.worth import value


def register(sub, common) -> None:
    p = sub.add_parser("revenue", parents=[common],
                       help="renewal, churn and expansion by NPS category; ARR at risk; maturity figures")
    add_date_range(p)  # neither --from nor --to: the 12 months to --as-of, as the Revenue page shows
    p.add_argument("--as-of", type=date_arg, metavar="DATE", help="today, for ARR at risk (default: today)")
    p.add_argument("--add", nargs=4, metavar=("ACCOUNT", "KIND", "DATE", "ARR_CHANGE"),
                   help="record a revenue event by hand: account id or external id, "
                        f"kind ({', '.join(revenue.EVENT_KINDS)}), date, ARR change (negative for churn)")
    p.add_argument("--note", help="with --add: a note on the event")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with workspace_of(args, read_only=not args.add) as ws:
        if args.add:
            account, kind, day, change = args.add
            account_id = _account(ws, account)
            try:
                amount = float(change.replace(",", ""))
            except ValueError:
                raise CliError(f"ARR change {change!r} is not a number") from None
            event_id = revenue.add_event(ws, account_id, kind, date_arg(day), amount, note=args.note)
            doc = {"event_id": event_id, "arr": revenue.arr_over_time(ws.conn, account_id)}
            emit(args, doc, f"Recorded revenue event {event_id} ({kind}) for account {account}.")
            return 0
        lo, hi = args.date_from, args.date_to
        if lo is None and hi is None:
            lo, hi = revenue.default_window(args.as_of or clock.today())
        doc = {**revenue.report(ws, lo, hi, args.as_of), "currency": settings.get(ws, "currency")}
        worth = value.for_workspace(ws, args.as_of or clock.today())
        doc["value_of_move"] = worth.as_json()
    emit(args, doc, lambda: _text(doc, worth))
    return 0


def _account(ws, text: str) -> int:
    row = ws.conn.execute("SELECT id FROM accounts WHERE external_id = ? OR CAST(id AS TEXT) = ? "
                          "ORDER BY external_id = ? DESC LIMIT 1", (text, text, text)).fetchone()
    if row is None:
        raise CliError(f"no account with id or external id {text!r}")
    return row[0]


def _pct(x) -> str:
    return "—" if x is None else f"{x:.0%}"


def _rate(r: dict) -> str:
    """``83% (55–95%)``, or ``n too small`` below the minimum number of accounts."""
    if r["rate"] is None:
        return "—"
    return "n too small" if r["small_sample"] else f"{r['rate']:.0%} ({r['low']:.0%}–{r['high']:.0%})"


def _text(doc: dict, worth: value.ValueOfMove) -> str:
    cur = doc["currency"]

    def _money(x) -> str:
        return money.full(x, cur)
    lines = [f"Revenue events {doc['from'] or '…'} – {doc['to'] or '…'}; money in {cur}; rates with their "
             "Wilson 95% interval; n: renewals + churns (renewal), accounts (expansion)",
             f"{'category':<10} {'accounts':>8} {'renewal rate':>16} {'n':>4} {'churned ARR':>16} "
             f"{'expansion rate':>16} {'n':>4} {'avg exp. ARR':>14} {'NRR':>11}"]
    for c in doc["categories"]:
        nrr = "n too small" if c["nrr_small_sample"] and c["nrr"] is not None else _pct(c["nrr"])
        lines.append(f"{labels.display('category', c['category']):<10} {c['accounts']:>8} {_rate(c['renewal']):>16} {c['renewal']['n']:>4} "
                     f"{_money(c['churned_arr']):>16} {_rate(c['expansion']):>16} {c['expansion']['n']:>4} "
                     f"{_money(c['avg_expansion_arr']):>14} {nrr:>11}")
    risk, m = doc["arr_at_risk"], doc["maturity"]
    lines += ["", f"ARR at risk: {_money(risk['90']['arr'])} renewing within 90 days, "
                  f"{_money(risk['180']['arr'])} within 180 days",
              f"Responses mapped to active accounts: {_pct(m['mapped_active_share'])}",
              f"Promoters with an open advocacy action: {m['promoters_covered']} of {m['promoters']} "
              f"({_pct(m['promoter_coverage'])})",
              f"Expansion ARR from promoter accounts: {_money(m['expansion_arr_promoters'])} of "
              f"{_money(m['expansion_arr'])} ({_pct(m['expansion_share_promoters'])})",
              "", value.sentence(worth)]
    return "\n".join(lines)
