"""``health``: each account's 0–100 health with its explanation, and the accounts with ARR at risk."""
from __future__ import annotations

import argparse

from ..cli import date_arg, emit, workspace_of
from ..core.loop import health
from ..core import clock, money, settings


def register(sub, common) -> None:
    p = sub.add_parser("health", parents=[common], help="account health (0–100, explained) and ARR at risk")
    p.add_argument("--account", type=int, action="append", metavar="ID", help="only this account (repeatable)")
    p.add_argument("--renewal-days", type=int, metavar="N",
                   help="ARR at risk: renewals within N days (default: the loop.risk_renewal_days setting, 120)")
    p.add_argument("--as-of", type=date_arg, metavar="DATE", help="today (default: today)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    today = args.as_of or clock.today()
    with workspace_of(args, read_only=True) as ws:
        accounts = health.account_health(ws, today, args.account)
        risk = health.arr_at_risk(ws, args.renewal_days, today)
        currency = settings.get(ws, "currency")
    doc = {"as_of": today.isoformat(), "accounts": [h.as_json() for h in accounts],
           "priority": [r.as_json() for r in risk], "arr_at_risk": health.arr_at_risk_total(risk),
           "currency": currency}
    emit(args, doc, lambda: _text(accounts, risk, currency))
    return 0


def _text(accounts, risk, currency: str) -> str:
    lines = ["Priority (ARR at risk):"] + ([f"  {money.full(r.arr, currency):>16}  {r.why}" for r in risk]
                                           or ["  none"])
    lines += ["", "Account health, lowest first:"]
    lines += [f"  {'—' if h.score is None else h.score:>3}  {h.explanation}" for h in accounts]
    return "\n".join(lines)
