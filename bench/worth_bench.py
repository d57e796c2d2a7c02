"""Benchmark "What NPS is worth" on a demo workspace: each step's seconds beside a floor measured in the
same run (reading the history into memory, which every step needs), as a ratio.

    .venv/bin/python bench/worth_bench.py [--size small|large] [--workspace PATH]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from nps_desktop.core.analytics import Filters
from nps_desktop.core.demo import build_demo
from nps_desktop.core.workspace import open_workspace
from nps_desktop.core.worth import drivers, history, risk, value

AS_OF = date(2026, 11, 23)


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="small", choices=["small", "large"])
    ap.add_argument("--workspace", help="use this workspace (read only) instead of building a demo")
    args = ap.parse_args()
    path = Path(args.workspace) if args.workspace else Path(tempfile.mkdtemp()) / "bench.npsdb"
    if not args.workspace:
        build_demo(path, size=args.size, as_of=AS_OF)
    with open_workspace(path) as ws:
        floor, h = timed(lambda: history.History.load(ws, AS_OF))
        print(f"{'floor: read the history':<36} {floor:7.2f} s")
        for label, fn in [("value of a move (1000 resamples)", lambda: value.value_of_move(h)),
                          ("risk: features, backtest, fit, list", lambda: risk.risk_report(h)),
                          ("key drivers (400 resamples)", lambda: drivers.key_drivers(ws, Filters()))]:
            seconds, _ = timed(fn, repeat=1 if args.size == "large" or args.workspace else 3)
            print(f"{label:<36} {seconds:7.2f} s  {seconds / floor:6.1f} × floor")


if __name__ == "__main__":
    main()
