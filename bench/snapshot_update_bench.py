"""Benchmark keeping the snapshot current through writes, on a copy of a large workspace: the in-place
update after each kind of write beside a full read of the workspace (the floor it replaces is the
other way round: what a write would cost the snapshot without the update).

Writes: an import of ``--rows`` responses (a Delighted export of the workspace's own contacts), a score
correction, an erasure, and the undo of that import. Each update is checked to equal a fresh read.

Run: .venv/bin/python bench/snapshot_update_bench.py --workspace /tmp/large.npsdb [--rows 10000]
"""
from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_desktop.core import browse, privacy  # noqa: E402
from nps_desktop.core.importing import import_file, undo_batch  # noqa: E402
from nps_desktop.core.snapshot import columns, store  # noqa: E402
from nps_desktop.core.workspace import open_workspace  # noqa: E402

HEAD = ["Response ID", "Email", "Name", "Score", "Comment", "Response timestamp", "survey_type"]


def export(ws, path: Path, n: int) -> Path:
    emails = [r[0] for r in ws.conn.execute("SELECT email FROM contacts WHERE email IS NOT NULL LIMIT ?", (n,))]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEAD)
        for i in range(n):
            w.writerow([f"bench-{i}", emails[i % len(emails)], "", i % 11, "", f"2026-11-{1 + i % 20:02d}T10:00:00",
                        "nps"])
    return path


def same(a, b) -> bool:
    return all(np.array_equal(getattr(a, c), getattr(b, c)) for c in ("day", "score", "acc", "con", "time", "rid"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", required=True, type=Path)
    ap.add_argument("--rows", type=int, default=10_000)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="snapshot-update-bench-"))
    try:
        path = folder / "w.npsdb"
        shutil.copy(args.workspace, path)
        with open_workspace(path) as ws:
            t0 = time.perf_counter()
            loaded = store.load(ws)
            print(f"snapshot: {len(loaded):,} responses, full read {time.perf_counter() - t0:.2f} s")
            csv_path = export(ws, folder / "delighted.csv", args.rows)
            email = ws.scalar("SELECT email FROM contacts WHERE email IS NOT NULL ORDER BY id DESC LIMIT 1")
            rid = ws.scalar("SELECT max(id) FROM responses")
            batch: list[int | None] = []
            timed: dict[str, float] = {}
            real = store.after_write

            def measuring(label: str):
                def after(ws_, before, rows):
                    t = time.perf_counter()
                    out = real(ws_, before, rows)
                    timed[label] = time.perf_counter() - t
                    return out
                return after

            writes = [
                (f"import of {args.rows:,} responses",
                 lambda: batch.append(import_file(ws, csv_path).batch_id)),
                ("score correction", lambda: browse.correct_score(ws, rid, 0, "bench")),
                ("erasure of a contact", lambda: privacy.erase_contact(ws, email)),
                ("undo of the import", lambda: undo_batch(ws, batch[0] or 0)),
            ]
            print(f"\n{'write':<34}{'write':>9}{'update':>9}{'full read':>11}  equal")
            for label, write in writes:
                store.after_write = measuring(label)  # type: ignore[assignment]
                t = time.perf_counter()
                write()
                total = time.perf_counter() - t
                store.after_write = real  # type: ignore[assignment]
                held = store.current(ws)
                t = time.perf_counter()
                fresh = columns.read(ws.conn)
                full = time.perf_counter() - t
                ok = held is not None and same(held, fresh) and held.key == fresh.key
                print(f"{label:<34}{total:9.2f}{timed.get(label, float('nan')):9.3f}{full:11.2f}  {ok}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
