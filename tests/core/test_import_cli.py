"""``import``, ``imports`` and ``undo-import`` on the command line: JSON shapes, exit codes, refusals."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from nps_desktop.cli import main
from nps_desktop.core.workspace import open_workspace
from tests.core import import_files as F


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_json(tmp_path, capsys):
    w = str(tmp_path / "w.npsdb")
    code, out, err = run(capsys, "--workspace", w, "import", str(F.surveymonkey(tmp_path)), "--json")
    assert code == 0
    doc = json.loads(out)
    assert {k: doc[k] for k in ("batch_id", "rows", "imported", "duplicates", "rejected", "skipped", "updated")} == \
        {"batch_id": 1, "rows": 7, "imported": 6, "duplicates": 0, "rejected": 0, "skipped": 1, "updated": 0}
    assert doc["rejects"] == [] and doc["mapped_share"] == 0.0 and doc["kind"] == "responses"
    code, out, _ = run(capsys, "import", str(F.surveymonkey(tmp_path)), "--workspace", w, "--json")
    assert json.loads(out)["duplicates"] == 6 and json.loads(out)["imported"] == 0


def test_rejects_in_json_and_as_xlsx(tmp_path, capsys):
    w = str(tmp_path / "w.npsdb")
    run(capsys, "--workspace", w, "import", str(F.accounts_xlsx(tmp_path)))
    code, out, _ = run(capsys, "--workspace", w, "import", str(F.revenue_csv(tmp_path)), "--json")
    doc = json.loads(out)
    assert doc["rejected"] == 1
    assert doc["rejects"] == [{"row": 7, "column": "Account ID", "value": "NOPE-999",
                               "reason": "no such account in the workspace (import the accounts first)"}]
    code, out, _ = run(capsys, "--workspace", w, "imports", "--json")
    batches = json.loads(out)["batches"]
    assert [(b["id"], b["file"], b["imported"], b["rejected"]) for b in batches] == \
        [(2, "revenue.csv", 5, 1), (1, "accounts.xlsx", 3, 0)]
    assert len(batches[0]["sha256"]) == 64 and batches[0]["undone_at"] is None
    xlsx = tmp_path / "rejects.xlsx"
    code, out, _ = run(capsys, "--workspace", w, "imports", "--rejects", "2", "--out", str(xlsx))
    assert code == 0 and "1 rejected rows of batch 2" in out
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[1:] == [("Row", "Column", "Value", "Reason"),
                        (7, "Account ID", "NOPE-999", "no such account in the workspace (import the accounts first)")]
    code, out, _ = run(capsys, "--workspace", w, "imports", "--rejects", "2", "--json")
    assert json.loads(out)["rejects"][0]["row"] == 7


def test_undo_import(tmp_path, capsys):
    w = str(tmp_path / "w.npsdb")
    run(capsys, "--workspace", w, "import", str(F.typeform(tmp_path)))
    code, out, _ = run(capsys, "--workspace", w, "undo-import", "1", "--json")
    assert code == 0 and json.loads(out) == {"batch_id": 1, "file": "typeform.csv", "removed": {"responses": 4, "contacts": 4},
                                             "restored": 0, "unlinked": {}}
    code, out, err = run(capsys, "--workspace", w, "undo-import", "1")
    assert code == 1 and out == "" and err.count("\n") == 1 and "already undone" in err
    code, out, _ = run(capsys, "--workspace", w, "imports")
    assert "(undone" in out


def test_refused_file_exits_nonzero_with_one_line_and_changes_nothing(tmp_path, capsys):
    w = tmp_path / "w.npsdb"
    run(capsys, "--workspace", str(w), "import", str(F.typeform(tmp_path)))
    with open_workspace(w) as ws:
        before = F.dump(ws.conn, bookkeeping=True)
    bad = F.write_csv(tmp_path / "noscore.csv", [["Email", "Comment", "Date"], ["a@b.co", "fine", "2025-01-01"]])
    code, out, err = run(capsys, "--workspace", str(w), "import", str(bad), "--json")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith('nps-desktop import: No column of noscore.csv holds 0-10 scores; columns seen: "Email"')
    with open_workspace(w) as ws:
        assert F.dump(ws.conn, bookkeeping=True) == before


def test_refused_file_does_not_create_a_workspace(tmp_path, capsys):
    pdf = tmp_path / "x.csv"
    pdf.write_bytes(b"%PDF-1.4 ...")
    code, _, err = run(capsys, "--workspace", str(tmp_path / "new.npsdb"), "import", str(pdf))
    assert code == 1 and "not a spreadsheet" in err
    assert not (tmp_path / "new.npsdb").exists()


def test_ambiguous_dates_and_the_dates_option(tmp_path, capsys):
    w = str(tmp_path / "w.npsdb")
    path = F.google_forms(tmp_path, rows=[["04/03/2025 10:00:00", "a@x.io", 9, "", 1, 1]])
    code, _, err = run(capsys, "--workspace", w, "import", str(path))
    assert code == 1 and "--dates mdy or --dates dmy" in err
    code, out, _ = run(capsys, "--workspace", w, "import", str(path), "--dates", "mdy", "--json")
    assert code == 0 and json.loads(out)["date_order"] == "mdy"


def test_kind_sheet_mapping_profiles_and_dry_run(tmp_path, capsys):
    w = str(tmp_path / "w.npsdb")
    path = F.write_xlsx(tmp_path / "book.xlsx", [["Notes only"]],
                        extra_sheets={"Contacts": [["Work email", "Name"], ["A@X.io", "Ana Lopez"]]})
    code, out, _ = run(capsys, "--workspace", w, "import", str(path), "--sheet", "Contacts", "--as", "contacts",
                       "--save-mapping", "crm contacts", "--dry-run", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["dry_run"] and doc["batch_id"] is None and doc["imported"] == 1
    with open_workspace(w) as ws:
        assert ws.scalar("SELECT count(*) FROM contacts") == 0
        assert ws.scalar("SELECT count(*) FROM mapping_profiles") == 0
    code, out, _ = run(capsys, "--workspace", w, "import", str(path), "--sheet", "Contacts", "--as", "contacts",
                       "--save-mapping", "crm contacts")
    assert code == 0 and "Imported book.xlsx as contacts, batch 1" in out
    other = F.write_csv(tmp_path / "more.csv", [["Work email", "Name", "Extra"], ["b@x.io", "Bo Li", "?"]])
    code, out, _ = run(capsys, "--workspace", w, "import", str(other), "--mapping", "crm contacts", "--json")
    assert code == 0 and json.loads(out)["mapping"] == {"Work email": "email", "Name": "name"}
    code, _, err = run(capsys, "--workspace", w, "import", str(other), "--mapping", "nope")
    assert code == 1 and "No saved mapping named 'nope'; saved: \"crm contacts\"" in err


def test_map_changes_single_columns_of_the_detected_mapping(tmp_path, capsys):
    w = str(tmp_path / "w.npsdb")
    path = F.write_csv(tmp_path / "odd.csv", [["Mail", "Rating", "When", "Notes", "Kind"],
                                              ["a@x.io", "9", "2026-10-01", "great", "rnps"],
                                              ["b@x.io", "3", "2026-13-45", "bad", "rnps"],
                                              ["c@x.io", "7", "2026-10-03", "fine", "rnps"]])
    code, _, err = run(capsys, "--workspace", w, "import", str(path))   # one date in three is bad: not detected
    assert code == 1 and 'has no date column' in err and '--map "COLUMN=responded_at"' in err
    code, out, _ = run(capsys, "--workspace", w, "import", str(path), "--map", "When=responded_at",
                       "--map", "Notes=ignore", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["imported"] == 2 and doc["rejected"] == 1
    assert doc["mapping"]["When"] == "responded_at" and "Notes" not in doc["mapping"]
    assert doc["rejects"] == [{"row": 3, "column": "When", "value": "2026-13-45", "reason": "not a date"}]


@pytest.mark.parametrize("argv, message", [
    (["--map", "Nope=score"], 'There is no column "Nope" to map; columns seen: "Email", "Score"'),
    (["--map", "Email=when"], "Column \"Email\" cannot be mapped to 'when': responses have account, comment"),
    (["--map", "Email"], '--map wants COLUMN=FIELD, as in --map "Submitted=responded_at"'),
])
def test_map_refuses_what_it_cannot_do(tmp_path, capsys, argv, message):
    path = F.write_csv(tmp_path / "s.csv", [["Email", "Score", "Date"], ["a@x.io", "9", "2026-10-01"]])
    code, _, err = run(capsys, "--workspace", str(tmp_path / "w.npsdb"), "import", str(path), *argv)
    assert code == 1 and message in err and err.count("\n") == 1
    assert not (tmp_path / "w.npsdb").exists() or open_workspace(tmp_path / "w.npsdb").counts()["responses"] == 0


@pytest.mark.parametrize("argv, message", [
    (["import", "missing.csv"], "Cannot read missing.csv: no such file."),
    (["imports", "--out", "x.xlsx"], "--out needs --rejects ID"),
    (["imports", "--rejects", "5"], "there is no import batch 5"),
])
def test_usage_errors(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    open_workspace(tmp_path / "w.npsdb").close()
    code, _, err = run(capsys, "--workspace", str(tmp_path / "w.npsdb"), *argv)
    assert code == 1 and message in err and err.count("\n") == 1


def test_json_reports_each_chosen_column_and_its_candidates(tmp_path, capsys):
    from tests.core import real_shapes as R
    w = str(tmp_path / "w.npsdb")
    code, out, _ = run(capsys, "--workspace", w, "import", str(R.qualtrics_three_nps(tmp_path, n=6)), "--dry-run",
                       "--json")
    choices = {c["field"]: c for c in json.loads(out)["choices"]}
    assert code == 0 and list(choices) == ["score", "responded_at", "comment", "source_id"]
    assert choices["score"]["column"] == "Q1" and choices["score"]["question"] == R.QX_QUESTIONS["Q1"]
    assert [c["column"] for c in choices["score"]["candidates"]] == ["Q2", "Q3"]
    assert choices["score"]["rule"].startswith("the first 0-10 column whose question asks how likely")
    code, out, _ = run(capsys, "--workspace", w, "import", str(R.qualtrics_three_nps(tmp_path, n=6)), "--dry-run")
    assert f'  Score (0-10): "Q1" ({R.QX_QUESTIONS["Q1"]})' in out
    assert f'    other candidates: "Q2" ({R.QX_QUESTIONS["Q2"]}); "Q3" ({R.QX_QUESTIONS["Q3"]})' in out


def test_responded_on_and_accounts_from_domains(tmp_path, capsys):
    from tests.core import real_shapes as R
    w = str(tmp_path / "w.npsdb")
    path = str(R.no_date_file(tmp_path, rows=[["r1", "9", "Fine"], ["r2", "3", "Slow"]]))
    code, _, err = run(capsys, "--workspace", w, "import", path)
    assert code == 1 and "--responded-on YYYY-MM-DD" in err
    code, out, _ = run(capsys, "--workspace", w, "import", path, "--responded-on", "2024-05-02", "--json")
    assert code == 0 and json.loads(out)["imported"] == 2
    code, out, _ = run(capsys, "--workspace", w, "import", path, "--responded-on", "2024-05-02")
    assert code == 0 and "already imported on" in out and "nothing new" in out
    code, out, _ = run(capsys, "--workspace", w, "import", str(R.spanish_google_forms(tmp_path)),
                       "--accounts-from-domains", "--json")
    doc = json.loads(out)
    assert (doc["imported"], doc["mapped_share"]) == (4, 0.75)
    with open_workspace(w) as ws:
        assert ws.scalar("SELECT count(*) FROM import_batches") == 2
        assert [tuple(r) for r in ws.query("SELECT domain FROM accounts")] == [("ejemplo.es",)]
