"""Benchmark the accounts page, revenue, signals and the pack's figures: SQL with the covering indexes
(as before), SQL without them (as after the lean-index migration drops ``responses_cube`` and
``responses_people`` and builds plain account and date indexes), and the snapshot without them — each beside its floor, measured in the same
run: the snapshot's numpy functions alone over the preloaded arrays, without the Python that turns
their counts into rows.

The workspace is copied twice (one copy keeps the indexes, the other drops them), so the file given is
never changed. Issue 19: the aggregates must come from the snapshot, or dropping the indexes slows them.

Run: .venv/bin/python bench/pages_bench.py --workspace /tmp/large.npsdb [--today 2026-11-23] [--runs 3]
(build the workspace once: ``nps-desktop demo --size large --as-of 2026-11-23 --workspace /tmp/large.npsdb``).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_desktop.core import account_view, analytics, periods, revenue  # noqa: E402
from nps_desktop.core.loop import signals  # noqa: E402
from nps_desktop.core.reporting import data, sources  # noqa: E402
from nps_desktop.core.snapshot import cache, figures, store  # noqa: E402
from nps_desktop.core.workspace import Workspace, open_workspace  # noqa: E402

COVERING = ("responses_cube", "responses_people")
#: What the lean-index migration (``_v7_lean_indexes``) builds in their stead, beside contact and batch.
LEAN = ("CREATE INDEX IF NOT EXISTS responses_account_id ON responses(account_id)",
        "CREATE INDEX IF NOT EXISTS responses_on ON responses(responded_on, responded_at)")


def median(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def jobs(ws: Workspace, today: date) -> dict[str, Callable[[], Any]]:
    """The figures measured: what each page (or the pack's step) computes."""
    year = analytics.Filters(preset="last_12_months")
    fy = analytics.fiscal_year_start(ws)
    quarter = periods.shift(periods.quarter_key(today, fy), -1, fy)
    scope = data.scope_filters(ws, quarter, None)
    start = today - timedelta(days=364)
    return {
        "accounts page (12 months)": lambda: account_view.account_table(ws, year, today),
        "revenue page (12 months)": lambda: revenue.report(ws, start, today, today),
        "signals": lambda: signals.signals(ws.conn, today),
        "pack: coverage": lambda: sources.coverage(ws, scope),
        "pack: accounts at risk": lambda: sources.accounts_at_risk(ws, scope, today),
        "pack: revenue": lambda: sources.revenue(ws, scope),
        f"pack: all figures ({quarter})": lambda: data.gather(ws, quarter, today=today),
    }


def floors(ws: Workspace, today: date) -> dict[str, Callable[[], Any]]:
    """The numpy under each job over the held snapshot (what is left when no Python builds rows)."""
    snap = store.current(ws)
    assert snap is not None
    fy = analytics.fiscal_year_start(ws)
    year = analytics.resolve(ws, analytics.Filters(preset="last_12_months"), today)
    quarters = account_view.spark_quarters(ws, year, today)
    ends = [periods.bounds(q, fy)[1] for q in quarters]
    span = year.with_dates(periods.bounds(quarters[0], fy)[0], ends[-1])
    start = today - timedelta(days=364)
    ids = snap.accounts.ids[:200].tolist()

    def accounts() -> None:
        snap.rollup(snap.mask(year), None)
        figures.rollup(snap, figures.account_rows(snap, None))
        figures.per_quarter(snap, snap.mask(span), ends)

    def events() -> None:  # revenue: one small rollup per event (200 accounts), then the year's
        for a in ids:
            figures.rollup(snap, figures.in_days(snap, figures.account_rows(snap, [a]), start, today))
        figures.rollup(snap, figures.in_days(snap, figures.account_rows(snap, None), start, today))
        figures.maturity_counts(snap, start, today, start)

    def periods_() -> None:
        idx = figures.in_days(snap, figures.account_rows(snap, None), None, today)
        figures.rollup(snap, idx, figures.quarter_parts(snap, idx, fy)[0])

    return {"accounts page (12 months)": accounts, "revenue page (12 months)": events, "signals": periods_}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", required=True, type=Path)
    ap.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--phases", default="covering,lean,snapshot",
                    help="which of covering, lean, snapshot to measure (comma-separated)")
    ap.add_argument("--skip", default="", help="figures not to measure on SQL, comma-separated name starts")
    args = ap.parse_args()
    phases = set(args.phases.split(","))
    skip = tuple(s for s in args.skip.split(",") if s)
    folder = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    try:
        indexed, lean = folder / "indexed.npsdb", folder / "lean.npsdb"
        shutil.copy(args.workspace, indexed)
        shutil.copy(args.workspace, lean)
        with open_workspace(lean) as ws:
            for name in COVERING:
                ws.conn.execute(f"DROP INDEX IF EXISTS {name}")
            for sql in LEAN:
                ws.conn.execute(sql)
            ws.conn.execute("ANALYZE")
        results: dict[str, dict[str, float]] = {}
        for phase, label, path, snapshot in (("covering", "SQL, covering indexes", indexed, False),
                                             ("snapshot", "snapshot, lean indexes", lean, True),
                                             ("lean", "SQL, lean indexes", lean, False)):
            if phase not in phases:
                continue
            with open_workspace(path, create=False, read_only=True) as ws:
                if snapshot:
                    t0 = time.perf_counter()
                    loaded = store.load(ws)
                    print(f"snapshot loaded in {time.perf_counter() - t0:.2f} s ({len(loaded):,} responses)",
                          flush=True)
                    for name, fn in floors(ws, args.today).items():
                        results.setdefault(name, {})["floor"] = median(fn, args.runs)
                else:  # no snapshot held, nor one in a cache file: the SQL serves
                    store.forget(path)
                    cache.path_for(path).unlink(missing_ok=True)
                for name, fn in jobs(ws, args.today).items():
                    if not snapshot and name.startswith(skip):
                        continue
                    fn()  # warm the page cache and the imports
                    results.setdefault(name, {})[label] = median(fn, args.runs)
                    print(f"  {label}: {name} {results[name][label]:.3f} s", flush=True)
                store.forget(path)
        cols = ("SQL, covering indexes", "SQL, lean indexes", "snapshot, lean indexes", "floor")
        print(f"\nMedian of {args.runs} (seconds)            " + "".join(f"{c:>24}" for c in cols))
        for name, row in results.items():
            print(f"{name:<38}" + "".join(f"{row[c]:24.3f}" if c in row else f"{'–':>24}" for c in cols))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
