"""``risk``: churn risk per account with its three biggest reasons, and the backtest on your own past."""
from __future__ import annotations

import argparse

from ..cli import date_arg, emit, workspace_of
from ..core import clock
from ..core.worth import history, risk


def register(sub, common) -> None:
    p = sub.add_parser("risk", parents=[common],
                       help="churn risk per account (next 180 days), its reasons, and the backtest on your past")
    p.add_argument("--as-of", type=date_arg, metavar="DATE", help="today (default: today)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="list only the N riskiest accounts")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with workspace_of(args, read_only=True) as ws:
        report = risk.risk_report(history.History.load(ws, args.as_of or clock.today()), limit=args.limit)
    emit(args, report.as_json(), lambda: _text(report))
    return 0


def _text(report: risk.RiskReport) -> str:
    b = report.backtest
    lines = [b.summary]
    if not report.model_shown:
        lines += [b.reason or "", "Accounts flagged by the rule (detractor, renewing within 180 days):"]
    lines.append(f"{'account':<32} {'ARR':>10} {'risk':>6}  reasons")
    for a in report.accounts:
        risk_ = "—" if a.risk is None else f"{a.risk:.0%}"
        lines.append(f"{(a.name or '')[:32]:<32} {a.arr:>10,.0f} {risk_:>6}  {'; '.join(a.reasons)}")
    return "\n".join(lines)
