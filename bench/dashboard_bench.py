"""Benchmark the dashboard, the responses table and the accounts page on the 1M-response demo, beside the
same dashboard aggregates computed by pandas from an in-memory DataFrame.

Targets at 1M responses (issue 4): a dashboard refresh under 0.2 s, opening the responses table under
0.1 s, peak memory under 600 MB. The SQLite side runs in this process (its peak memory is this process's);
pandas runs in a child process, so its frame does not count against the SQLite side.

The figures here come from the columnar snapshot when its cache file beside the workspace is current,
else from SQL; ``bench/snapshot_bench.py`` times both paths side by side.

Run: .venv/bin/python bench/dashboard_bench.py [--workspace W.npsdb] [--today 2026-11-23] [--runs 5]
(without --workspace it builds the large demo in a temporary folder first, about 30 s).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_desktop.core import account_view, analytics, browse  # noqa: E402
from nps_desktop.core.workspace import open_workspace  # noqa: E402

#: (preset, trend months): the dashboard's default first (last 90 days, a 12-month trend), then wider scopes.
SCOPES = (("last_90_days", 12), ("last_12_months", 12), ("all_time", None))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, runs: int) -> tuple[float, float, object]:
    """(first run, median of the next ``runs``) in seconds, and the last result."""
    t0 = time.perf_counter()
    result = fn()
    first = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times), result


def sqlite_side(path: Path, today: date, runs: int) -> dict:
    out = {}
    ws = open_workspace(path, read_only=True)
    out["responses"] = ws.scalar("SELECT count(*) FROM responses")
    for preset, months in SCOPES:
        f = analytics.Filters(preset=preset)
        first, median, s = timed(lambda: analytics.stats(ws, f, by="region", period="month", today=today,
                                                         trend_periods=months), runs)
        out[f"dashboard refresh: {analytics.PRESETS[preset].lower()} by region"] = (first, median, s["nps"])
    f = analytics.Filters(preset="last_90_days", values={"region": ("EMEA",), "kind": ("rnps",)})
    out["dashboard refresh: last 90 days, EMEA rNPS, by tier"] = timed(
        lambda: analytics.stats(ws, f, by="tier", period="month", today=today, trend_periods=12), runs)[:2]
    f = analytics.Filters(preset="last_90_days")
    out["dashboard refresh: last 90 days by touchpoint"] = timed(
        lambda: analytics.stats(ws, f, by="touchpoint", period="month", today=today, trend_periods=12), runs)[:2]

    def open_table():
        with open_workspace(path, read_only=True) as conn:   # the table's worker opens its own connection
            return browse.Pager(browse.ResponseQuery()).next_page(conn), browse.count(conn, browse.ResponseQuery())
    out["responses table: open (connection + first page + count)"] = timed(open_table, runs)[:2]
    pager = browse.Pager(browse.ResponseQuery())
    pager.next_page(ws)
    out["responses table: next page (scrolling)"] = timed(lambda: pager.next_page(ws), runs)[:2]
    out["responses table: sort by score (1M ids, once)"] = timed(
        lambda: browse.Pager(browse.ResponseQuery(sort="score")).next_page(ws), 1)[:2]
    out["responses table: search 'integration'"] = timed(
        lambda: browse.Pager(browse.ResponseQuery(search="integration")).next_page(ws), runs)[:2]
    out["accounts page (12 months)"] = timed(
        lambda: account_view.account_table(ws, analytics.Filters(preset="last_12_months"), today), runs)[:2]
    ws.close()
    out["peak MB"] = peak_mb()
    return out


def qt_side(path: Path) -> dict:
    """The responses page's model, as the UI runs it: time from set_query to the first rows shown."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QTableView

    from nps_desktop.ui.models import ResponsesModel
    from nps_desktop.ui.session import Session
    app = QApplication.instance() or QApplication([])
    session = Session()
    session.open_path(path)
    model = ResponsesModel(session)
    view = QTableView()
    view.setModel(model)
    view.resize(1000, 700)
    view.show()
    timer = QElapsedTimer()
    times = []
    for _ in range(5):
        timer.start()
        model.set_query(browse.ResponseQuery())
        while not model.rows:
            QTest.qWait(1)
        times.append(timer.elapsed() / 1000)
    session.close()
    del app
    return {"qt model: first rows on screen": (times[0], statistics.median(times[1:]))}


PANDAS = r'''
import json, resource, sqlite3, sys, time
import pandas as pd
path, start, end, pstart, tstart = sys.argv[1:6]
t0 = time.perf_counter()
con = sqlite3.connect(path)
r = pd.read_sql("SELECT responded_on, responded_at, score, account_id, contact_id, id FROM responses", con)
a = pd.read_sql("SELECT id AS account_id, region, arr FROM accounts", con)
load = time.perf_counter() - t0
times = []
for _ in range(5):
    t0 = time.perf_counter()
    cat = pd.cut(r.score, [-1, 6, 8, 10], labels=["d", "pa", "p"])
    wide = r[(r.responded_on >= pstart) & (r.responded_on <= end)]
    now = wide[wide.responded_on >= start]
    counts = now.score.value_counts().reindex(range(11), fill_value=0)
    n = len(now); p = int(counts[9:].sum()); d = int(counts[:7].sum())
    prev = wide[wide.responded_on < start]
    span = r[(r.responded_on >= tstart) & (r.responded_on <= end)]
    trend = span.groupby(span.responded_on.str[:7]).score.agg(
        n="size", p=lambda s: (s >= 9).sum(), d=lambda s: (s <= 6).sum())
    g = wide.merge(a[["account_id", "region"]], on="account_id", how="left")
    g["now"] = g.responded_on >= start
    regions = g.groupby(["region", "now"], dropna=False).score.agg(
        n="size", p=lambda s: (s >= 9).sum(), d=lambda s: (s <= 6).sum())
    latest = now[now.account_id.notna()].sort_values(["responded_at", "id"]).groupby(
        ["account_id", "contact_id"], dropna=False).tail(1)
    acc = latest.groupby("account_id").score.mean().round().clip(0, 10)
    acc = acc.to_frame("mean").join(a.set_index("account_id").arr)
    w = acc["mean"].map(lambda m: 1 if m >= 9 else 0 if m >= 7 else -1)
    pos = acc.arr > 0
    arr_weighted = 100 * (w[pos] * acc.arr[pos]).sum() / acc.arr[pos].sum()
    times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({"load": load, "first": times[0], "median": times[len(times) // 2], "nps": 100 * (p - d) / n,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def pandas_side(path: Path, today: date) -> dict:
    with open_workspace(path, read_only=True) as ws:
        f = analytics.resolve(ws, analytics.Filters(preset="last_90_days"), today)
        trend_from = analytics.trend_start(ws, f, "month", 12)
    prev = analytics.previous_period(f)
    proc = subprocess.run([sys.executable, "-c", PANDAS, str(path), f.date_from.isoformat(),
                           f.date_to.isoformat(), prev.date_from.isoformat(), trend_from.isoformat()],
                          capture_output=True, text=True)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", type=Path)
    ap.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-qt", action="store_true", help="skip the Qt model timing")
    args = ap.parse_args()
    path = args.workspace
    if path is None:
        from nps_desktop.core.demo import build_demo
        path = Path(tempfile.mkdtemp()) / "large.npsdb"
        t0 = time.perf_counter()
        build_demo(path, size="large", as_of=args.today)
        print(f"built the large demo in {time.perf_counter() - t0:.1f} s: {path}")
    open_workspace(path).close()  # migrate to the latest schema (covering indexes) first
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; today = {args.today}")
    res = sqlite_side(path, args.today, args.runs)
    print(f"\nSQLite, {res.pop('responses'):,} responses (first run / median of {args.runs}):")
    peak = res.pop("peak MB")
    for label, value in res.items():
        extra = f"  NPS {value[2]:+.2f}" if len(value) > 2 else ""
        print(f"  {label:<58} {value[0]:7.3f} s / {value[1]:7.3f} s{extra}")
    print(f"  peak memory of this process: {peak:.0f} MB (target < 600 MB)")
    if not args.no_qt:
        for label, (first, median) in qt_side(path).items():
            print(f"  {label:<58} {first:7.3f} s / {median:7.3f} s")
        print(f"  peak memory with Qt: {peak_mb():.0f} MB")
    pd_res = pandas_side(path, args.today)
    print("\npandas, in memory (the default dashboard: last 90 days and the 90 before, 12-month trend, "
          "regions, ARR-weighted):")
    if "error" in pd_res:
        print("  failed:", pd_res["error"])
    else:
        print(f"  load the frame from SQLite                                 {pd_res['load']:7.3f} s")
        print(f"  dashboard aggregates (first / median of 5)                 {pd_res['first']:7.3f} s / "
              f"{pd_res['median']:7.3f} s  NPS {pd_res['nps']:+.2f}")
        print(f"  peak memory: {pd_res['peak']:.0f} MB")
    print("\ntargets: dashboard refresh < 0.2 s, responses table open < 0.1 s, peak memory < 600 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
