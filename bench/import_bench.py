"""Import speed and memory on big files, beside the floor measured in the same run.

    .venv/bin/python bench/import_bench.py [--csv-rows 1000000] [--xlsx-rows 100000] [--dir DIR] [--repeat N]

Builds (once, cached in DIR) a generic survey export as .csv (1M rows) and .xlsx (100k rows): response id,
email, score, comment, submitted time, product, touchpoint, region, language, device, tags. Then, each
in a fresh process so that peak memory (max RSS) is the job's own:

- floor parse: pandas.read_csv and pyarrow.csv.read_csv, every column as text (csv; the faster of the two
  counts), or python-calamine (xlsx), the bare parse of the same file;
- floor insert: a bare ``executemany`` of those rows into an empty responses table with the same
  indexes (as the schema has them; and, for reference, with the indexes built after);
- the whole import: ``importing.import_file`` into a new workspace (read, detect, validate, link,
  de-duplicate, insert, rebuild indexes, commit);
- the import as the app and the CLI run it: the same with ``core.follow_ups.STANDARD`` passed in (the
  comments' themes and sentiment, the plays' actions), all in the one transaction.

Targets (issue 3): whole import within 2x the floor (parse + insert with the same indexes); 1M csv rows
in under 10 s and under 1.5 GB peak. Prints one table; medians over --repeat runs.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["Response ID", "Email", "How likely are you to recommend us?", "Comment", "Submitted", "Product",
          "Touchpoint", "Region", "Language", "Device", "Tags"]
WORDS = ("fast support slow pricing onboarding integration reports great confusing reliable expensive easy "
         "billing dashboard export api outage helpful team love hate works fine missing feature").split()


def make_rows(n: int, seed: int = 7):
    rng = random.Random(seed)
    start = datetime(2023, 1, 1)
    for i in range(n):
        when = start + timedelta(seconds=rng.randrange(0, 3 * 365 * 86400))
        comment = " ".join(rng.choices(WORDS, k=rng.randrange(0, 14))).capitalize()
        yield [f"R_{i:08d}", f"user{rng.randrange(200000)}@company{rng.randrange(4000)}.com", str(rng.choice(
            [0, 1, 2, 3, 4, 5, 6, 6, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 10])), comment, when.strftime("%Y-%m-%d %H:%M:%S"),
            rng.choice(["Core Platform", "Analytics", "Integrations Hub"]),
            rng.choice(["relational", "onboarding", "support"]), rng.choice(["EMEA", "North America", "APAC"]),
            rng.choice(["en", "de", "fr"]), rng.choice(["desktop", "mobile"]), ""]


def build(folder: Path, csv_rows: int, xlsx_rows: int) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    c = folder / f"responses_{csv_rows}.csv"
    if not c.exists():
        with open(c.with_suffix(".tmp"), "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(HEADER)
            w.writerows(make_rows(csv_rows))
        c.with_suffix(".tmp").rename(c)
    x = folder / f"responses_{xlsx_rows}.xlsx"
    if not x.exists():
        from openpyxl import Workbook
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Responses")
        ws.append(HEADER)
        for r in make_rows(xlsx_rows, seed=11):
            r[2] = int(r[2])
            ws.append(r)
        wb.save(x.with_suffix(".tmp.xlsx"))
        x.with_suffix(".tmp.xlsx").rename(x)
    return c, x


# -- the jobs, each run in its own process ------------------------------------------------------------
def _parse(path: Path) -> list[list]:
    if path.suffix == ".csv":
        import pandas as pd
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return frame.values.tolist()
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_index(0).to_python()[1:]


def job_parse(path: Path, _: Path) -> dict:
    t = time.perf_counter()
    if path.suffix == ".csv":
        import pandas as pd
        n = len(pd.read_csv(path, dtype=str, keep_default_na=False))
    else:
        n = len(_parse(path))
    return {"rows": n, "seconds": time.perf_counter() - t}


def job_parse_arrow(path: Path, _: Path) -> dict:
    """pyarrow's CSV reader, every column as text (the app's reader for large CSV files); calamine for xlsx."""
    if path.suffix != ".csv":
        return job_parse(path, _)
    import pyarrow as pa
    import pyarrow.csv as pcsv
    t = time.perf_counter()
    table = pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(
        column_types={h: pa.string() for h in HEADER}, strings_can_be_null=False))
    return {"rows": table.num_rows, "seconds": time.perf_counter() - t}


def _insert(path: Path, ws_path: Path, indexes_after: bool) -> dict:
    from nps_desktop.core.workspace import open_workspace
    rows = _parse(path)
    with open_workspace(ws_path) as ws:
        conn = ws.conn
        t = time.perf_counter()
        conn.execute("BEGIN")
        dropped = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'responses' "
                               "AND sql IS NOT NULL").fetchall() if indexes_after else []
        for name, _ in dropped:
            conn.execute(f'DROP INDEX "{name}"')
        conn.executemany(
            "INSERT INTO responses(source_id, email, score, comment, responded_at, product, touchpoint, "
            "responded_on, month, quarter, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench')",
            ((r[0], r[1], int(r[2]), r[3], str(r[4]), r[5], r[6], str(r[4])[:10], str(r[4])[:7], "Q")
             for r in rows))
        for _, sql in dropped:
            conn.execute(sql)
        conn.commit()
        return {"rows": len(rows), "seconds": time.perf_counter() - t}


def job_insert(path: Path, ws_path: Path) -> dict:
    return _insert(path, ws_path, False)


def job_insert_indexes_after(path: Path, ws_path: Path) -> dict:
    return _insert(path, ws_path, True)


def job_import(path: Path, ws_path: Path, with_features: bool = False) -> dict:
    from nps_desktop.core import follow_ups
    from nps_desktop.core.importing import import_file
    from nps_desktop.core.workspace import open_workspace
    t = time.perf_counter()
    with open_workspace(ws_path) as ws:
        r = import_file(ws, path, follow_ups=follow_ups.STANDARD if with_features else follow_ups.NONE)
    return {"rows": r.imported, "seconds": time.perf_counter() - t, "rejected": r.rejected}


def job_import_as_app(path: Path, ws_path: Path) -> dict:
    return job_import(path, ws_path, with_features=True)


JOBS = {"parse": job_parse, "parse_arrow": job_parse_arrow, "insert": job_insert, "insert_idx_after": job_insert_indexes_after,
        "import": job_import, "import_as_app": job_import_as_app}


def child(job: str, path: str, ws_path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(ws_path + suffix).unlink(missing_ok=True)
    out = JOBS[job](Path(path), Path(ws_path))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["peak_mb"] = usage.ru_maxrss / 1024
    out["cpu_seconds"] = usage.ru_utime + usage.ru_stime   # the whole process, imports included
    print(json.dumps(out))


def measure(job: str, path: Path, ws_path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, __file__, "--child", job, str(path), str(ws_path)],
                             capture_output=True, text=True, check=True)
        doc = json.loads(out.stdout.strip().splitlines()[-1])
        doc["process_seconds"] = time.perf_counter() - t
        runs.append(doc)
    return {k: statistics.median(r[k] for r in runs) if isinstance(runs[0][k], (int, float)) else runs[0][k]
            for k in runs[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv-rows", type=int, default=1_000_000)
    ap.add_argument("--xlsx-rows", type=int, default=100_000)
    ap.add_argument("--dir", default=os.environ.get("TMPDIR", "/tmp") + "/nps-import-bench")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--child", nargs=3, metavar=("JOB", "FILE", "WORKSPACE"), help=argparse.SUPPRESS)
    ap.add_argument("--only", choices=["csv", "xlsx"])
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    folder = Path(args.dir)
    csv_path, xlsx_path = build(folder, args.csv_rows, args.xlsx_rows)
    ws_path = folder / "bench.npsdb"
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'file':<24} {'job':<18} {'rows':>9} {'seconds':>8} {'rows/s':>10} {'peak MB':>8} {'process cpu s':>14}")
    for path in ([csv_path] if args.only == "csv" else [xlsx_path] if args.only == "xlsx" else [xlsx_path, csv_path]):
        res = {job: measure(job, path, ws_path, args.repeat) for job in JOBS}
        for job, r in res.items():
            print(f"{path.name:<24} {job:<18} {r['rows']:>9} {r['seconds']:>8.2f} {r['rows'] / r['seconds']:>10,.0f} "
                  f"{r['peak_mb']:>8.0f} {r['cpu_seconds']:>14.2f}")
        parse = min(res["parse"]["seconds"], res["parse_arrow"]["seconds"])   # the faster parse of the two
        floor = parse + res["insert"]["seconds"]
        floor_after = parse + res["insert_idx_after"]["seconds"]
        whole, app = res["import"]["seconds"], res["import_as_app"]["seconds"]
        cpu = res["import"]["cpu_seconds"]
        print(f"{path.name:<24} process cpu: import {cpu:.2f} s, as the app {res['import_as_app']['cpu_seconds']:.2f} s "
              f"(parse {res['parse']['cpu_seconds']:.2f} / {res['parse_arrow']['cpu_seconds']:.2f} s, insert "
              f"{res['insert']['cpu_seconds']:.2f} s, each with the process's start)")
        print(f"{path.name:<24} floor (parse + insert, same indexes) {floor:.2f} s; whole import {whole:.2f} s "
              f"= {whole / floor:.2f}x the floor ({whole / floor_after:.2f}x the floor with indexes built after); "
              f"peak {res['import']['peak_mb']:.0f} MB; as the app runs it {app:.2f} s = {app / floor:.2f}x")


if __name__ == "__main__":
    main()
