"""Team workspace figures: a throwaway PostgreSQL cluster, `team push` and `team pull` of a demo workspace,
each printed beside its floor measured in the same run.

Floors: push and pull against copying the same workspace file with SQLite's backup API (the least a copy
of that data costs on this machine); `stats` on the pulled copy and straight from PostgreSQL against
`stats` on the original file (first run: it builds the snapshot; again: from the snapshot cache).

Usage: .venv/bin/python bench/pg_bench.py [--size small|large] [--dsn postgresql://…/emptydb]
(without --dsn it starts its own cluster as tests/pg/conftest.py does; needs PostgreSQL's binaries).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nps_desktop.cli import main  # noqa: E402
from nps_desktop.core.demo import build_demo  # noqa: E402
from nps_desktop.core.team import transfer  # noqa: E402
from nps_desktop.core.workspace import open_workspace  # noqa: E402


@contextlib.contextmanager
def cluster():
    import os
    import shutil

    from tests.pg.conftest import FAST, _free_port, _run_as_server_user, pg_bindir
    bindir = pg_bindir()
    if bindir is None:
        sys.exit("PostgreSQL's binaries are not installed (apt-get install postgresql)")
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="nps-pgb-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    data = folder / "data"
    _run_as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--no-sync", "-E", "UTF8",
                         "--locale=C.UTF-8", "--auth-local=trust"])
    done = _run_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
                                f"-p {port} -k {folder} -c listen_addresses='' {FAST}", "start"])
    if done.returncode:
        sys.exit(done.stderr)
    print(f"cluster start                 {time.perf_counter() - started:8.2f} s")
    try:
        import psycopg
        with psycopg.connect(f"postgresql://postgres@/postgres?host={folder}&port={port}", autocommit=True) as c:
            c.execute("CREATE DATABASE bench")
        yield f"postgresql://postgres@/bench?host={folder}&port={port}"
    finally:
        _run_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def stats_seconds(path: Path | str) -> float:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        seconds, code = timed(lambda: main(["stats", "--json", "--by", "region", "--period", "quarter",
                                            "--workspace", str(path)]))
    assert code == 0
    return seconds


def run(dsn: str, size: str, folder: Path) -> None:
    import psycopg
    demo = folder / "demo.npsdb"
    seconds, _ = timed(lambda: build_demo(demo, size=size, seed=7))
    with open_workspace(demo, read_only=True) as ws:
        rows = sum(t.name and ws.scalar(f'SELECT count(*) FROM "{t.name}"') for t in transfer.tables(ws.conn))
        responses = ws.scalar("SELECT count(*) FROM responses")
    print(f"demo ({size}): {responses:,} responses, {rows:,} rows in all (built in {seconds:.1f} s)")

    def floor_copy() -> None:
        src = sqlite3.connect(demo)
        dst = sqlite3.connect(folder / "floor.npsdb")
        src.backup(dst)
        src.close()
        dst.close()
    floor, _ = timed(floor_copy)
    with open_workspace(demo, read_only=True) as ws, psycopg.connect(dsn) as conn:
        push, _ = timed(lambda: transfer.push(ws, conn, "bench"))
    with psycopg.connect(dsn) as conn:
        pull, _ = timed(lambda: transfer.pull(conn, "bench", folder / "pulled.npsdb"))
    print(f"push (COPY, checked)          {push:8.2f} s   floor: SQLite backup of the file {floor:6.2f} s")
    print(f"pull (checked)                {pull:8.2f} s   floor: SQLite backup of the file {floor:6.2f} s")
    for label, path in (("stats on the original file", demo), ("stats on the pulled copy", folder / "pulled.npsdb"),
                        ("stats from PostgreSQL", dsn)):
        first = stats_seconds(path)
        again = stats_seconds(path)
        print(f"{label:<29} {first:8.2f} s first, {again:.2f} s again")
    print("(stats from PostgreSQL loads the snapshot from the server each time; its floor is the file's first run)")


def cli() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", choices=["small", "large"], default="small")
    p.add_argument("--dsn", help="an empty database to push into (default: a throwaway cluster)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.dsn:
            run(args.dsn, args.size, Path(tmp))
        else:
            with cluster() as dsn:
                run(dsn, args.size, Path(tmp))


if __name__ == "__main__":
    cli()
