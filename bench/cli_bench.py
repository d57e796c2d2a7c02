"""Benchmark the command line's start: whole-process times of ``--version`` and ``stats --json`` beside
a floor measured in the same run — ``python -c pass`` plus opening the workspace read-only (the least
any command on the file does) — and, with ``--before DIR``, the same commands run from another source
tree (e.g. ``git archive <commit> | tar -x -C DIR``) to show what lazy imports saved.

Also lists the heaviest modules a command imports (``python -X importtime``), so a heavy import that
creeps back into every command's start shows up.

Run: .venv/bin/python bench/cli_bench.py --workspace /tmp/demo.npsdb [--before /tmp/old-tree] [--runs 7]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPEN = ("import sys; from nps_desktop.core.workspace import open_workspace; "
        "open_workspace(sys.argv[1], create=False, read_only=True).close()")
CACHE = ("import sys; from nps_desktop.core.workspace import open_workspace; "
         "from nps_desktop.core.snapshot import store; "
         "ws = open_workspace(sys.argv[1], create=False, read_only=True); store.load(ws); ws.close()")
#: Modules no ``stats`` or ``--version`` run should import.
HEAVY = ("reportlab", "pyqtgraph", "pptx", "openpyxl", "python_calamine", "pyarrow", "PySide6", "xlsxwriter",
         "odf", "psycopg")


def timed(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env, cwd="/")
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def imported(cmd: list[str], env: dict[str, str] | None = None) -> list[tuple[int, str]]:
    """(cumulative µs, module) of the top-level imports of ``cmd`` run with ``-X importtime``."""
    err = subprocess.run([sys.executable, "-X", "importtime", *cmd], check=True, capture_output=True, text=True,
                         env=env, cwd="/").stderr
    rows = []
    for line in err.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", required=True, type=lambda p: str(Path(p).resolve()))
    ap.add_argument("--before", help="another source tree to run the same commands from")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    py = sys.executable
    commands = {"--version": ["-m", "nps_desktop", "--version"],
                "stats --json": ["-m", "nps_desktop", "stats", "--json", "--workspace", args.workspace]}
    pass_ = timed([py, "-c", "pass"], args.runs)
    floor = timed([py, "-c", OPEN, args.workspace], args.runs)
    print(f"Whole-process times, median of {args.runs} ({args.workspace})")
    print(f"  {'python -c pass':<34}{pass_:7.3f} s")
    print(f"  {'floor: python + open workspace':<34}{floor:7.3f} s")
    trees: list[tuple[str, dict[str, str] | None]] = [("now", None)]
    if args.before:
        trees.append(("before", {**os.environ, "PYTHONPATH": str(Path(args.before).resolve())}))
    for label, env in trees:
        # the snapshot's cache file, current and of this tree's format (as after the app's last run)
        subprocess.run([py, "-c", CACHE, args.workspace], check=True, capture_output=True, env=env, cwd="/")
        for name, cmd in commands.items():
            t = timed([py, *cmd], args.runs, env)
            print(f"  {name + ' (' + label + ')':<34}{t:7.3f} s   {t / floor:5.2f}× floor   +{t - floor:6.3f} s")
    for name, cmd in commands.items():
        rows = imported(cmd)
        heavy = sorted({m.strip().split(".")[0] for _, m in rows if m.strip().split(".")[0] in HEAVY})
        top = sorted((r for r in rows if not r[1].startswith("  ")), reverse=True)[:6]
        print(f"\n{name}: heavy modules imported: {', '.join(heavy) or 'none'}; slowest top-level imports:")
        for us, module in top:
            print(f"    {us / 1e6:6.3f} s  {module.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
