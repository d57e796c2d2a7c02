"""Benchmark the closed loop and revenue on a demo workspace; prints seconds per step (median of 3).

    .venv/bin/python bench/loop_revenue.py [--size small|large] [--workspace PATH]

The demo is built once (or the given workspace copied); the engine then runs over every response as
one import would, and each read the Actions and Revenue pages make is timed.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from nps_desktop.core import revenue
from nps_desktop.core.demo import build_demo
from nps_desktop.core.loop import actions, engine, health, metrics, signals
from nps_desktop.core.workspace import open_workspace

AS_OF = date(2026, 11, 23)


def timed(label: str, fn, repeat: int = 3):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    print(f"{label:<44} {statistics.median(times):8.3f} s")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="small", choices=["small", "large"])
    ap.add_argument("--workspace", help="copy this workspace instead of building a demo")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = folder / "bench.npsdb"
    t = time.perf_counter()
    if args.workspace:
        shutil.copy(args.workspace, path)
    else:
        build_demo(path, size=args.size, as_of=AS_OF)
    print(f"{'workspace ready':<44} {time.perf_counter() - t:8.3f} s")
    with open_workspace(path) as ws:
        ids = [r[0] for r in ws.conn.execute("SELECT id FROM responses")]
        print(f"responses {len(ids):,}, accounts {ws.scalar('SELECT count(*) FROM accounts'):,}, "
              f"revenue events {ws.scalar('SELECT count(*) FROM revenue_events'):,}")

        def run_engine():
            return engine.create_actions(ws, ids, today=AS_OF, now=datetime(2026, 11, 23, 9))
        result = timed("engine over every response (first run)", run_engine, repeat=1)
        print(f"  → {result.as_dict()}")
        timed("engine again (re-import: nothing new)", run_engine)
        timed("list_actions (not done)", lambda: actions.list_actions(
            ws, actions.ActionFilters(statuses=("open", "in_progress")), AS_OF))
        timed("loop_metrics", lambda: metrics.loop_metrics(ws, today=AS_OF))
        timed("signals", lambda: signals.signals(ws, AS_OF))
        timed("account_health (all accounts)", lambda: health.account_health(ws, AS_OF))
        timed("arr_at_risk (120 days)", lambda: health.arr_at_risk(ws, None, AS_OF))
        timed("revenue.category_table (all time)", lambda: revenue.category_table(ws))
        timed("revenue.report (last 12 months: the page)", lambda: revenue.report(
            ws, date(2025, 11, 24), AS_OF, AS_OF))
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
