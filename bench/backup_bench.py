"""Benchmark data safety on a workspace: the checks on open, a verified backup, a restore.

Prints, for the workspace given (or the small seeded demo built in a temporary folder): its size and
responses; the check on open (``quick_check`` or ``integrity_check`` by size, plus
``foreign_key_check``); a backup with the online backup API alone; the full ``backups.take`` (copy,
``integrity_check``, rename, note, rotation); and a restore through the backup API. The workspace given
is copied first, never changed. Medians of ``--repeat`` runs.

Run: .venv/bin/python bench/backup_bench.py [--workspace FILE.npsdb] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_desktop.core import backups, workspace  # noqa: E402
from nps_desktop.core.demo import build_demo  # noqa: E402
from nps_desktop.core.workspace import check_connection, open_workspace  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median(fn, repeat: int) -> float:
    return statistics.median(timed(fn) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NPS_DESKTOP_HOME"] = tmp
        path = Path(tmp) / "bench.npsdb"
        if args.workspace:
            shutil.copy(args.workspace, path)
        else:
            build_demo(path, seed=7, as_of=date(2026, 11, 23))
        with open_workspace(path) as ws:  # migrates an older copy once, outside the timings
            responses = ws.scalar("SELECT count(*) FROM responses")
        size = path.stat().st_size
        big = size > workspace.QUICK_CHECK_ABOVE
        print(f"workspace: {size / 1e6:.1f} MB, {responses:,} responses")

        def check_on_open() -> None:
            conn = sqlite3.connect(path)
            assert check_connection(conn, quick=big) == []
            conn.close()
        print(f"check on open ({'quick_check' if big else 'integrity_check'} + foreign_key_check): "
              f"{median(check_on_open, args.repeat):.2f} s")

        ws = open_workspace(path)
        raw = Path(tmp) / "raw.npsdb"

        def raw_backup() -> None:
            dest = sqlite3.connect(raw)
            ws.conn.backup(dest)
            dest.close()
            raw.unlink()
        print(f"online backup API copy alone: {median(raw_backup, args.repeat):.2f} s")
        print(f"backups.before (copy + integrity_check + note + rotation): "
              f"{median(lambda: backups.before(ws, 'bench'), args.repeat):.2f} s")
        taken = backups.list_backups(path)[-1]
        ws.close()
        print(f"backups.restore (safety backup + restore in one transaction): "
              f"{median(lambda: backups.restore(path, taken.path), args.repeat):.2f} s")


if __name__ == "__main__":
    main()
