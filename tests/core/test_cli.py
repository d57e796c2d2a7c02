"""The command-line contract of DESIGN.md, through real subprocesses where it matters."""
import json
import subprocess
import sys
from datetime import date

import pytest

from nps_desktop import cli
from nps_desktop.core import analytics, nps
from nps_desktop.core.responses import insert_responses
from nps_desktop.core.workspace import open_workspace


def run(*args, check=True):
    proc = subprocess.run([sys.executable, "main.py", *args], capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture
def small(tmp_path):
    """A hand-built workspace: two regions, two quarters, one unmapped response."""
    path = tmp_path / "small.npsdb"
    with open_workspace(path) as ws, ws.transaction() as conn:
        conn.execute("INSERT INTO accounts(id, name, region, arr) VALUES (1, 'A', 'EMEA', 100000), "
                     "(2, 'B', 'APAC', 50000)")
        rows = [(1, "2026-02-10", 10), (1, "2026-02-11", 9), (1, "2026-03-01", 3), (2, "2026-04-02", 8),
                (2, "2026-05-02", 9), (None, "2026-05-03", 0)]
        insert_responses(conn, [{"score": s, "responded_at": d + "T10:00:00", "account_id": a,
                                 "kind": "rnps"} for a, d, s in rows])
    return path


def test_stats_json_hand_computed(small):
    doc = json.loads(run("stats", "--workspace", str(small), "--json", "--by", "region",
                         "--period", "quarter").stdout)
    # All six: promoters 10, 9, 9; passive 8; detractors 3, 0 → NPS = 100·(3 − 2)/6.
    assert (doc["responses"], doc["promoters"], doc["passives"], doc["detractors"]) == (6, 3, 1, 2)
    assert doc["nps"] == pytest.approx(round(100 / 6, 2))
    assert doc["margin95"] == pytest.approx(round(nps.margin95(3, 2, 6), 2))
    groups = {g["key"]: g for g in doc["groups"]}
    assert groups["EMEA"]["responses"] == 3 and groups["EMEA"]["nps"] == pytest.approx(round(100 / 3, 2))
    assert groups["APAC"]["nps"] == 50.0
    assert [(t["period"], t["responses"]) for t in doc["trend"]] == [("2026Q1", 3), ("2026Q2", 3)]
    # Account A: each response is its own contact (no contact id) → scores 10, 9, 3 → mean 7.33 → passive;
    # account B: 8, 9 → 8.5 → 9 → promoter. ARR-weighted = 100·50k / 150k.
    assert doc["arr_weighted_nps"] == pytest.approx(round(100 * 50_000 / 150_000, 2))


def test_stats_date_range_is_inclusive(small):
    doc = json.loads(run("stats", "--workspace", str(small), "--json", "--from", "2026-02-11",
                         "--to", "2026-04-02").stdout)
    assert doc["responses"] == 3


def test_stats_program_filter(small):
    doc = json.loads(run("stats", "--workspace", str(small), "--json", "--program", "tnps").stdout)
    assert doc["responses"] == 0 and doc["nps"] is None


def test_json_output_is_one_document_only(small):
    out = run("stats", "--workspace", str(small), "--json").stdout
    assert json.loads(out) and out.count("\n") == 1


def test_errors_are_one_line_and_non_zero(tmp_path):
    bad = tmp_path / "bad.npsdb"
    bad.write_text("not a database")
    proc = run("stats", "--workspace", str(bad), "--json", check=False)
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "not an NPS Desktop workspace" in proc.stderr
    proc = run("stats", "--workspace", str(tmp_path / "x.npsdb"), "--from", "yesterday", check=False)
    assert proc.returncode != 0 and "not a date" in proc.stderr


def test_demo_then_stats_in_process(tmp_path, capsys):
    path = tmp_path / "d.npsdb"
    assert cli.main(["demo", "--workspace", str(path), "--as-of", "2026-11-23", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["responses"] > 8000
    assert cli.main(["stats", "--workspace", str(path), "--json", "--period", "month"]) == 0
    doc = json.loads(capsys.readouterr().out)
    with open_workspace(path) as ws:
        assert doc["nps"] == analytics.stats(ws, analytics.Filters())["nps"]
    assert sum(t["responses"] for t in doc["trend"]) == doc["responses"] == made["responses"]
    assert doc["trend"][-1]["period"] <= date(2026, 11, 23).strftime("%Y-%m")


def test_a_reader_that_stops_early_gets_no_traceback(small):
    """``nps-desktop stats --json | head -c 10``: the closed pipe ends the command quietly, as it ends ``cat``."""
    proc = subprocess.Popen([sys.executable, "main.py", "stats", "--workspace", str(small), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first byte
    err = proc.stderr.read().decode()
    assert proc.wait() == 141 and err == ""


def test_text_progress_starts_a_new_bar_for_the_finishing_stage(capsys):
    progress = cli.TextProgress("Importing", enabled=True)
    for done, total in ((50, 100), (100, 101), (100, 0), (0, 20), (20, 20)):
        progress(done, total)
    first, second, rest = capsys.readouterr().err.split("\n")
    assert first.startswith("\rImporting [") and first.endswith("]  99%")      # the rows: read, not done
    assert second.startswith("\rFinishing [   ") and second.endswith("] 100%") and rest == ""
