"""``nps-desktop plan``: the JSON contract, exports, recording a wave, rates, and one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from nps_desktop import cli
from nps_desktop.core.workspace import open_workspace

from .cadence_data import db_account, db_contact, db_response


@pytest.fixture
def path(tmp_path):
    """Acme (customer since 2026-06-01) with four contacts, one opted out; c1 answered 2026-05-19."""
    path = tmp_path / "plan.npsdb"
    with open_workspace(path) as ws, ws.transaction() as conn:
        db_account(conn, 1, "Acme", since="2026-06-01")
        for i in range(1, 5):
            db_contact(conn, i, 1, first=f"F{i}", last=f"L{i}", opted_out=int(i == 4))
        db_response(conn, "2026-05-19", contact_id=1)
    return path


def plan_cli(capsys, path, *args) -> tuple[int, dict | str, str]:
    code = cli.main(["plan", "--workspace", str(path), *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in args and code == 0 else out), err


def test_json_contract(capsys, path):
    code, doc, _ = plan_cli(capsys, path, "--from", "2026-07-01", "--to", "2026-07-31", "--json")
    assert code == 0
    assert [{k: p[k] for k in ("email", "account_id", "program", "kind", "planned_on", "trigger")}
            for p in doc["planned"]] == [
        {"email": f"c{i}@example.com", "account_id": 1, "program": "Onboarding tNPS", "kind": "tnps",
         "planned_on": "2026-07-01", "trigger": "onboarding"} for i in (1, 2, 3)]
    assert "excluded" not in doc
    code, doc, _ = plan_cli(capsys, path, "--from", "2026-07-01", "--to", "2026-07-31", "--json",
                            "--include-excluded")
    assert {(e["email"], e["reason"]) for e in doc["excluded"]} == {
        ("c4@example.com", "opted out of surveys"),
        ("c1@example.com", "surveyed 43 days ago; the minimum is 180"),
        ("c2@example.com", "already planned for Onboarding tNPS today; at most one invitation per 30 days"),
        ("c3@example.com", "already planned for Onboarding tNPS today; at most one invitation per 30 days")}


def test_out_writes_the_send_list(capsys, path, tmp_path):
    out = tmp_path / "send.xlsx"
    code, doc, _ = plan_cli(capsys, path, "--from", "2026-07-01", "--to", "2026-07-31", "--out", str(out),
                            "--json")
    assert (code, doc["rows"], doc["out"]) == (0, 3, str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert [r[:5] for r in rows[1:]] == [(f"c{i}@example.com", f"F{i}", f"L{i}", "Acme", "Onboarding tNPS")
                                         for i in (1, 2, 3)]


def test_mark_sent_then_rates(capsys, path):
    code, doc, _ = plan_cli(capsys, path, "--from", "2026-07-01", "--to", "2026-07-31",
                            "--mark-sent", "Onboarding tNPS 2026-W27", "--json")
    assert (code, doc["marked_sent"]) == (0, 3)
    with open_workspace(path) as ws, ws.transaction() as conn:
        db_response(conn, "2026-07-04", contact_id=2, kind="tnps")
    code, doc, _ = plan_cli(capsys, path, "--rates", "--json")
    assert doc["matched"] == 1
    assert [(w["key"], w["sent"], w["responded"], w["rate"]) for w in doc["waves"]] == [
        ("Onboarding tNPS 2026-W27", 3, 1, 33.3)]
    code, text, _ = plan_cli(capsys, path, "--rates")
    assert "Onboarding tNPS 2026-W27" in text and "33.3%" in text
    code, doc, _ = plan_cli(capsys, path, "--unmark", "Onboarding tNPS 2026-W27", "--json")
    assert doc == {"wave": "Onboarding tNPS 2026-W27", "unmarked": 2}   # the answered one stays


def test_text_output_lists_waves_and_reasons(capsys, path):
    code, text, _ = plan_cli(capsys, path, "--from", "2026-07-01", "--to", "2026-07-31", "--include-excluded")
    assert code == 0
    assert text.splitlines()[0] == ("Plan 2026-07-01 to 2026-07-31: 3 invitations in 1 wave; 5 excluded "
                                    "(opted out 2, gap between invitations 2, relational gap 1)")
    assert "Onboarding tNPS 2026-W27" in text and "surveyed 43 days ago; the minimum is 180" in text


@pytest.mark.parametrize("args, message", [
    (["--out", "send.pdf"], "send.pdf: cannot export to .pdf; use .csv or .xlsx"),
    (["--from", "2026-07-01", "--to", "2026-07-31", "--mark-sent", "Nope"],
     "nothing is planned in a wave called 'Nope'"),
    (["--from", "2026-07-01", "--to", "2026-07-31", "--wave", "Nope"], "no wave called 'Nope' in 2026-07-01..2026-07-31"),
])
def test_errors_are_one_line(capsys, path, args, message):
    code, _, err = plan_cli(capsys, path, *args)
    assert code == 1 and message in err and err.count("\n") == 1 and err.startswith("nps-desktop plan: ")


def test_stdout_holds_only_the_json_document(path):
    proc = subprocess.run([sys.executable, "main.py", "plan", "--workspace", str(path), "--from", "2026-07-01",
                           "--to", "2026-07-31", "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["planned"]) == 3


def test_to_before_from_is_an_argument_error(capsys, path):
    with pytest.raises(SystemExit) as exit_:
        plan_cli(capsys, path, "--from", "2026-07-31", "--to", "2026-07-01")
    assert exit_.value.code == 2
    assert capsys.readouterr().err == ("nps-desktop plan: --from 2026-07-31 is after --to 2026-07-01; "
                                       "see nps-desktop plan --help\n")
