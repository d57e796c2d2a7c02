"""Benchmark the executive review pack on the 1M-response demo (target < 3 s) and a 100k-row .xlsx export.

Uses (or builds, ~25 s) the large demo workspace, tags its comments when they are not tagged yet (so the
themes section does its real work), then times, in one process:
- the pack for a quarter: gathering the figures and laying out the PDF, first run and warm runs;
- exporting ≥100k responses to .xlsx (openpyxl write-only) and to .csv, with the rows per second.
Run: .venv/bin/python bench/report_bench.py [--workspace PATH] [--period 2026Q3] [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_desktop.core import analytics, periods  # noqa: E402
from nps_desktop.core.demo import build_demo  # noqa: E402
from nps_desktop.core.reporting import data, excel, pack, tables  # noqa: E402
from nps_desktop.core.text import tagging  # noqa: E402
from nps_desktop.core.workspace import open_workspace  # noqa: E402

AS_OF = date(2026, 11, 23)


def prepare(path: Path) -> None:
    if not path.exists():
        t = time.perf_counter()
        build_demo(path, size="large", as_of=AS_OF)
        print(f"built the large demo in {time.perf_counter() - t:.1f} s")
    with open_workspace(path) as ws:
        if not ws.scalar("SELECT EXISTS (SELECT 1 FROM response_themes)"):
            t = time.perf_counter()
            tagging.retag_all(ws)
            print(f"tagged its comments in {time.perf_counter() - t:.1f} s")


def range_with(ws, rows: int, end: date) -> analytics.Filters:
    """The shortest date range ending at ``end`` that holds at least ``rows`` responses."""
    start = end
    while True:
        start -= timedelta(days=7)
        f = analytics.Filters(start, end)
        if analytics.overall(ws, f).responses >= rows:
            return f


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", type=Path, default=Path(tempfile.gettempdir()) / "nps-large-demo.npsdb")
    ap.add_argument("--period", default="2026Q3")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    prepare(args.workspace)
    out = Path(tempfile.mkdtemp(prefix="report-bench-"))
    with open_workspace(args.workspace, read_only=True) as ws:
        print(f"{ws.scalar('SELECT count(*) FROM responses'):,} responses; pack for {args.period}")
        runs = []
        for i in range(args.repeat + 1):
            t0 = time.perf_counter()
            d = data.gather(ws, args.period, today=AS_OF)
            t1 = time.perf_counter()
            result = pack.render_pdf(d, out / "pack.pdf", today=AS_OF)
            t2 = time.perf_counter()
            runs.append((t1 - t0, t2 - t1, t2 - t0))
            label = "first" if i == 0 else f"run {i}"
            print(f"  {label:<6} figures {t1 - t0:5.2f} s  PDF {t2 - t1:5.2f} s  total {t2 - t0:5.2f} s  "
                  f"({result.pages} pages, {(out / 'pack.pdf').stat().st_size / 1024:.0f} KB)")
        warm = runs[1:] or runs
        print(f"pack: median {statistics.median(r[2] for r in warm):.2f} s "
              f"(figures {statistics.median(r[0] for r in warm):.2f} s, PDF {statistics.median(r[1] for r in warm):.2f} s);"
              f" target < 3 s")

        end = periods.bounds(args.period)[1]
        scope = range_with(ws, args.rows, end)
        for suffix in (".xlsx", ".csv"):
            table = tables.build(ws, "responses", scope)
            ticks = []
            t = time.perf_counter()
            n = excel.write(out / f"responses{suffix}", table, progress=lambda d_, t_: ticks.append(d_))
            secs = time.perf_counter() - t
            print(f"export {n:,} responses ({scope.date_from} – {scope.date_to}) to {suffix}: {secs:.1f} s, "
                  f"{n / secs:,.0f} rows/s, {len(ticks)} progress calls, "
                  f"{(out / f'responses{suffix}').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
