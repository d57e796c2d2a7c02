"""``signals``: risk and opportunity signals (falling NPS, silent detractors, …), each saying why."""
from __future__ import annotations

import argparse

from ..cli import date_arg, emit, workspace_of
from ..core.loop import signals
from ..core import clock


def register(sub, common) -> None:
    p = sub.add_parser("signals", parents=[common], help="risk and opportunity signals, each with its reason")
    p.add_argument("--kind", action="append", choices=sorted(signals.KINDS), help="only this kind (repeatable)")
    p.add_argument("--as-of", type=date_arg, metavar="DATE", help="today (default: today)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with workspace_of(args, read_only=True) as ws:
        found = signals.signals(ws, args.as_of or clock.today(), tuple(args.kind or ()))
    doc = {"signals": [s.as_json() for s in found]}
    emit(args, doc, lambda: "\n".join(f"{'risk' if s.risk else 'opportunity':<11} {s.on}  {s.why}"
                                      for s in found) or "No signals.")
    return 0
