"""Team workspace figures: a throwaway PostgreSQL cluster, `team push` and `team pull` of a demo workspace,
each printed beside its floor measured in the same run.

Floors: push and pull against copying the same workspace file with SQLite's backup API (the least a copy
of that data costs on this machine); `stats` on the pulled copy and straight from PostgreSQL against
`stats` on the original file (first run: it builds the snapshot; again: from the snapshot cache).

Also (issue 22's targets, each beside the SQLite figure of the same run): importing a CSV of
``--import-rows`` survey responses (100k) into a new team database and into a new workspace file, with the
same follow-ups (comment themes, the plays' actions); and the dashboard at the demo's size: loading the
snapshot (from the server; from the file, no cache) and a refresh once it is loaded (the same numpy code
on both).

Usage: .venv/bin/python bench/pg_bench.py [--size small|large] [--dsn postgresql://…/emptydb]
       [--only transfer,import,dashboard] [--import-rows 100000]
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


def run(dsn: str, size: str, folder: Path, only: set[str], import_rows: int, built: Path | None = None) -> None:
    if "import" in only:
        import_figures(dsn, folder, import_rows)
    if not only & {"transfer", "dashboard"}:
        return
    import psycopg
    demo = folder / "demo.npsdb"
    if built is not None:   # a demo built before (by this script's --keep-demo): copied, not rebuilt
        import shutil
        seconds, _ = timed(lambda: shutil.copy(built, demo))
    else:
        seconds, _ = timed(lambda: build_demo(demo, size=size, seed=7))
    with open_workspace(demo, read_only=True) as ws:
        rows = sum(t.name and ws.scalar(f'SELECT count(*) FROM "{t.name}"') for t in transfer.tables(ws.conn))
        responses = ws.scalar("SELECT count(*) FROM responses")
    print(f"demo ({size}): {responses:,} responses, {rows:,} rows in all (built in {seconds:.1f} s)")
    if "transfer" not in only:
        with open_workspace(demo, read_only=True) as ws, psycopg.connect(dsn) as conn:
            push, _ = timed(lambda: transfer.push(ws, conn, "bench"))
        print(f"push (COPY, checked)          {push:8.2f} s")
        dashboard_figures(dsn, demo)
        return

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
    if "dashboard" in only:
        dashboard_figures(dsn, demo)


def _other_database(dsn: str, name: str) -> str:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo
    params = conninfo_to_dict(dsn)
    with psycopg.connect(make_conninfo(**{**params, "dbname": "postgres"}), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    params["dbname"] = name
    host = params.pop("host", "")
    port = params.pop("port", "")
    return f"postgresql://{params.get('user', 'postgres')}@/{name}?host={host}&port={port}"


def import_figures(dsn: str, folder: Path, n: int) -> None:
    """A CSV of ``n`` survey responses into a new workspace file, and into a new team database."""
    import csv

    import psycopg

    from bench.import_bench import HEADER, make_rows
    from nps_desktop.core import follow_ups
    from nps_desktop.core.importing import importer
    from nps_desktop.core.team import team_import
    path = folder / f"responses_{n}.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(make_rows(n))
    with open_workspace(folder / "import_file.npsdb") as ws:
        on_file, result = timed(lambda: importer.import_file(ws, path, follow_ups=follow_ups.STANDARD))
    target = _other_database(dsn, "bench_import")
    with open_workspace(folder / "empty.npsdb") as ws, psycopg.connect(target) as conn:
        transfer.push(ws, conn, "bench_import")
    with psycopg.connect(target) as conn:
        on_pg, done = timed(lambda: team_import.import_into(conn, "bench_import", path))
    assert done.result.imported == result.imported, (done.result.imported, result.imported)
    print(f"import {n:,} rows (CSV, themes, plays) into a file {on_file:8.2f} s, into PostgreSQL {on_pg:8.2f} s: "
          f"{on_pg / on_file:.2f}× ({result.imported:,} imported)")


def dashboard_figures(dsn: str, demo: Path) -> None:
    """The dashboard's figures at the demo's size: the snapshot's load, then a refresh from it."""
    import statistics
    from datetime import date

    from nps_desktop.core import analytics
    from nps_desktop.core.snapshot import store
    from nps_desktop.core.team import reading
    today = date(2026, 11, 23)

    def refresh(ws) -> float:
        times = []
        for preset in ("last_90_days", "last_12_months", "all_time"):
            for _ in range(3):
                t = time.perf_counter()
                analytics.stats(ws, analytics.Filters(preset=preset), by="region", period="month", today=today)
                times.append(time.perf_counter() - t)
        return statistics.median(times)
    from nps_desktop.core.snapshot import columns
    with open_workspace(demo, read_only=True) as ws:
        file_load, _ = timed(lambda: columns.read(ws.conn))   # from the file by SQL, as on first open
        store.load(ws)
        store.forget(ws.path)
        cached, _ = timed(lambda: store.load(ws))              # from the cache file beside it, when current
        file_refresh = refresh(ws)
    pg_load, ws = timed(lambda: reading.open_for_reading(dsn, "stats"))
    try:
        pg_refresh = refresh(ws)
    finally:
        ws.close()
    print(f"dashboard snapshot load       file {file_load:6.2f} s (cache file {cached:.2f} s), "
          f"PostgreSQL {pg_load:6.2f} s ({pg_load / file_load:.1f}× the file's SQL read)")
    print(f"dashboard refresh (median)    file {file_refresh:6.3f} s, PostgreSQL {pg_refresh:6.3f} s "
          f"({pg_refresh / file_refresh:.2f}×)")


def cli() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", choices=["small", "large"], default="small")
    p.add_argument("--dsn", help="an empty database to push into (default: a throwaway cluster)")
    p.add_argument("--only", default="transfer,import,dashboard", help="which figures, comma-separated")
    p.add_argument("--import-rows", type=int, default=100_000)
    p.add_argument("--demo", type=Path, help="use this demo workspace (built by core.demo) instead of building one")
    args = p.parse_args()
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    with tempfile.TemporaryDirectory() as tmp:
        if args.dsn:
            run(args.dsn, args.size, Path(tmp), only, args.import_rows, args.demo)
        else:
            with cluster() as dsn:
                run(dsn, args.size, Path(tmp), only, args.import_rows, args.demo)


if __name__ == "__main__":
    cli()
