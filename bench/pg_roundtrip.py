"""`team push` of a demo workspace and `team pull` back: are `stats --json`, `revenue --json`, `plan --json`
and the pack's figures identical, and how long does each step take?

Issue 22's "Done when" on the large demo (tests/pg/test_team_transfer.py checks the same on the small one).

Usage: .venv/bin/python bench/pg_roundtrip.py [--demo FILE.npsdb | --size small|large] [--dsn postgresql://…/emptydb]
(without --dsn it starts its own throwaway cluster, as bench/pg_bench.py does; the demo file is copied, not
changed). Exits 1 when any output differs.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pg_bench import cluster  # noqa: E402
from nps_desktop.cli import main  # noqa: E402
from nps_desktop.core.demo import build_demo  # noqa: E402
from nps_desktop.core.reporting import data  # noqa: E402
from nps_desktop.core.workspace import open_workspace  # noqa: E402

READS = (["stats", "--json"], ["stats", "--json", "--by", "region", "--period", "quarter"], ["revenue", "--json"],
         ["plan", "--json"])


def cli(*argv: str) -> tuple[float, str]:
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    seconds = time.perf_counter() - started
    if code:
        sys.exit(f"{' '.join(argv)} failed: {err.getvalue().strip()}")
    return seconds, out.getvalue()


def pack(path: Path) -> tuple[float, str, str]:
    started = time.perf_counter()
    with open_workspace(path, read_only=True) as ws:
        period = data.default_period(ws)
        assert period is not None
        figures = json.dumps(asdict(data.gather(ws, period)), default=str, sort_keys=True)
    return time.perf_counter() - started, period, figures


def run(dsn: str, demo: Path, folder: Path) -> bool:
    with open_workspace(demo, read_only=True) as ws:
        responses = ws.scalar("SELECT count(*) FROM responses")
    print(f"demo: {responses:,} responses")
    seconds, out = cli("team", "push", str(demo), dsn, "--json")
    print(f"team push                     {seconds:8.2f} s  ({json.loads(out)['rows']:,} rows, checked)")
    pulled = folder / "pulled.npsdb"
    seconds, out = cli("team", "pull", dsn, str(pulled), "--json")
    print(f"team pull                     {seconds:8.2f} s  ({json.loads(out)['rows']:,} rows, checked)")
    same = True
    for argv in READS:
        a_s, a = cli(*argv, "--workspace", str(demo))
        b_s, b = cli(*argv, "--workspace", str(pulled))
        equal = json.loads(a) == json.loads(b)
        same &= equal
        print(f"{' '.join(argv):<29} {a_s:8.2f} s file, {b_s:6.2f} s pulled copy: "
              f"{'identical' if equal else 'DIFFERENT'} ({len(a):,} characters)")
    a_s, period, a = pack(demo)
    b_s, _, b = pack(pulled)
    same &= a == b
    print(f"pack figures ({period})        {a_s:8.2f} s file, {b_s:6.2f} s pulled copy: "
          f"{'identical' if a == b else 'DIFFERENT'} ({len(a):,} characters)")
    return same


def cli_main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--demo", type=Path, help="a demo workspace built before (copied, not changed)")
    p.add_argument("--size", choices=["small", "large"], default="small", help="the demo to build without --demo")
    p.add_argument("--dsn", help="an empty database to push into (default: a throwaway cluster)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = folder / "demo.npsdb"
        started = time.perf_counter()
        if args.demo:
            shutil.copy(args.demo, demo)
        else:
            build_demo(demo, size=args.size, seed=7)
        print(f"demo ready                    {time.perf_counter() - started:8.2f} s")
        if args.dsn:
            same = run(args.dsn, demo, folder)
        else:
            with cluster() as dsn:
                same = run(dsn, demo, folder)
    print("all identical" if same else "SOME OUTPUT DIFFERS")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    cli_main()
