"""Benchmark the columnar snapshot at 1M responses: each figure beside its floor, measured in this run.

- load: the packed scan (``snapshot.columns.read``) beside a naive ``fetchall`` of the same columns, and
  the cache file beside the scan;
- dashboard refresh (``analytics.stats`` as the dashboard calls it) per preset and filter: the SQL path,
  the snapshot path, and the floor — the same counts in bare numpy over the preloaded arrays (mask,
  day × score counts, groups, account rollup; no Python assembly);
- memory: peak RSS of a process that loads the snapshot and refreshes, beside one that only imports;
- ``stats --json`` as a whole process (cache present, and SQL only) beside ``nps-desktop --version``;
- the generation bump: a write transaction with it beside one without.

Targets (issue 19): refresh ≤ 0.1 s, ``stats --json`` ≤ 1.5 s, memory ≤ 300 MB at 1M responses.

Run: .venv/bin/python bench/snapshot_bench.py --workspace /tmp/large.npsdb [--today 2026-11-23] [--runs 3]
(build the workspace once: ``nps-desktop demo --size large --as-of 2026-11-23 --workspace /tmp/large.npsdb``).
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_desktop.core import analytics  # noqa: E402
from nps_desktop.core.snapshot import cache, columns, generation, store  # noqa: E402
from nps_desktop.core.workspace import Workspace, open_workspace  # noqa: E402

#: (label, filters, by, period, trend periods) — the dashboard's scopes and some filters.
SCOPES = (
    ("last 90 days by region", analytics.Filters(preset="last_90_days"), "region", "month", 12),
    ("last 12 months by region", analytics.Filters(preset="last_12_months"), "region", "month", 12),
    ("all time by region", analytics.Filters(preset="all_time"), "region", "month", 12),
    ("last 90 days, EMEA rNPS, by tier", analytics.Filters(
        preset="last_90_days", values={"region": ("EMEA",), "kind": ("rnps",)}), "tier", "month", 12),
    ("this quarter by touchpoint", analytics.Filters(preset="this_quarter"), "touchpoint", "quarter", 8),
    ("year to date, Admins, by arr band", analytics.Filters(
        preset="year_to_date", values={"role": ("Admin",)}), "arr_band", "month", 12),
)
NAIVE = ("SELECT id, score, responded_on, coalesce(unixepoch(responded_at), unixepoch(responded_on), 0), "
         "account_id, contact_id, kind, touchpoint, product, source FROM responses ORDER BY id")


def median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def line(label: str, value: float, floor: float, floor_label: str, unit: str = "s") -> None:
    ratio = f"{value / floor:5.2f}×" if floor else "  –  "
    print(f"  {label:<44} {value:8.3f} {unit}   {floor_label:<26} {floor:8.3f} {unit}   {ratio}")


def floor_refresh(snap, ws: Workspace, filters: analytics.Filters, by: str, today: date) -> None:
    """The counts of a refresh in bare numpy: what any engine over these arrays must at least do."""
    f = analytics.resolve(ws, filters, today)
    before = analytics.previous_period(f)
    keep = snap.mask(f, before.date_from if before else None)
    snap.cube(keep)
    snap.groups(keep, by, f.date_from if before else None)
    snap.rollup(keep, f.date_from if before else None)


def load_section(path: Path, runs: int) -> None:
    print("\nLoad (median of %d)" % runs)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    naive, _ = median(lambda: conn.execute(NAIVE).fetchall(), runs)
    packed, snap = median(lambda: columns.read(conn), runs)
    line("snapshot from SQLite (packed scan)", packed, naive, "naive fetchall", "s")
    cache.save(snap, path)
    cached, _ = median(lambda: cache.load(path, snap.key), runs)
    line("snapshot from the cache file", cached, packed, "packed scan")
    conn.close()


def refresh_section(path: Path, today: date, runs: int) -> None:
    print("\nDashboard refresh, analytics.stats (median of %d)       snapshot    floor: numpy" % runs)
    with open_workspace(path) as ws:
        snap = store.load(ws)
        for label, f, by, period, n in SCOPES:
            def refresh():
                return analytics.stats(ws, f, by=by, period=period, today=today, trend_periods=n)
            fast, got = median(refresh, runs)
            floor, _ = median(lambda: floor_refresh(snap, ws, f, by, today), runs)
            real = analytics._snapshot
            analytics._snapshot = lambda w: None  # the SQL path, as before the snapshot
            try:
                sql, expected = median(refresh, max(1, runs - 2))
            finally:
                analytics._snapshot = real
            assert got == expected, f"{label}: the snapshot and SQL disagree"
            line(label, fast, floor, "numpy floor")
            line("  same on SQL (today's path)", sql, fast, "snapshot")
        store.forget(path)


MEMORY = r'''
import sys
from datetime import date
sys.path.insert(0, sys.argv[2])
from nps_desktop.core import analytics
from nps_desktop.core.workspace import open_workspace
ws = open_workspace(sys.argv[1], read_only=True)
if sys.argv[3] == "load":
    from nps_desktop.core.snapshot import store
    store.load(ws)
    analytics.stats(ws, analytics.Filters(preset="all_time"), by="region", period="month", today=date(2026, 11, 23))
# VmHWM, not ru_maxrss: Linux keeps the parent's ru_maxrss across fork and exec
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024)
'''


def memory_section(path: Path) -> None:
    print("\nMemory (peak RSS of a process)")
    root = str(Path(__file__).resolve().parents[1])
    runs = {what: float(subprocess.run([sys.executable, "-c", MEMORY, str(path), root, what], check=True,
                                       capture_output=True, text=True).stdout) for what in ("open", "load")}
    line("snapshot loaded + a refresh", runs["load"], runs["open"], "open workspace only", "MB")


def process_section(path: Path, today: date, runs: int) -> None:
    print("\nWhole process (median of %d)" % runs)
    base = [sys.executable, "-m", "nps_desktop", "--workspace", str(path)]
    stats = base + ["stats", "--json", "--preset", "last_90_days", "--by", "region", "--period", "month",
                    "--trend-periods", "12", "--today", today.isoformat()]

    def run(cmd):
        return lambda: subprocess.run(cmd, check=True, capture_output=True)
    floor, _ = median(run(base[:3] + ["--version"]), runs)
    with open_workspace(path) as ws:
        store.load(ws)  # the cache file, as the app leaves it
    cached, _ = median(run(stats), runs)
    line("stats --json, cache current", cached, floor, "nps-desktop --version")
    cache.path_for(path).unlink()
    sql, _ = median(run(stats), runs)
    line("stats --json, no cache (SQL)", sql, floor, "nps-desktop --version")
    check, _ = median(run(base + ["check"]), 1)
    line("check (full integrity check, on demand)", check, floor, "nps-desktop --version")


def bump_section(tmp: Path, runs: int) -> None:
    print("\nGeneration bump (1,000 write transactions, median of %d)" % runs)
    with open_workspace(tmp) as ws:
        def writes():
            for i in range(1000):
                with ws.transaction() as conn:
                    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('bench', ?)", (str(i),))
        with_bump, _ = median(writes, runs)
        real = generation.bump
        generation.bump = lambda conn: None
        try:
            without, _ = median(writes, runs)
        finally:
            generation.bump = real
    line("with the bump", with_bump, without, "without")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", type=Path, required=True)
    ap.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    path = args.workspace
    open_workspace(path).close()  # migrate to the latest schema first
    with open_workspace(path, read_only=True) as ws:
        n = ws.scalar("SELECT count(*) FROM responses")
    print(f"{n:,} responses; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; today = {args.today}")
    print(f"  {'figure':<44} {'measured':>10}   {'floor':<26} {'':>10}   ratio")
    load_section(path, args.runs)
    refresh_section(path, args.today, args.runs)
    memory_section(path)
    process_section(path, args.today, args.runs)
    bump_section(path.with_name("bench-bump.npsdb"), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
