"""An erased person does not come back through a re-import (issue 21): not the same file, not a longer
export of the same survey, not an export without the email column (their response id is enough), not a
contact list, whether the rows carry a tool's response id or only a fingerprint. Through the real CLI."""
from __future__ import annotations

import json

from nps_desktop.cli import main
from nps_desktop.core.workspace import open_workspace
from tests.core import import_files as F

ANA = "ana@acme.com"   # R_1aaa in the Qualtrics fixture, score 10, "Great support, fast"


def run(capsys, *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def _of_ana(ws_path) -> tuple[int, int, int]:
    """Ana's contacts, the responses carrying her email, id or comment, and all responses."""
    with open_workspace(ws_path) as ws:
        return (ws.scalar("SELECT count(*) FROM contacts WHERE email = ?", (ANA,)),
                ws.scalar("SELECT count(*) FROM responses WHERE email = ? OR source_id = 'R_1aaa' "
                          "OR comment = 'Great support, fast'", (ANA,)),
                ws.scalar("SELECT count(*) FROM responses"))


def test_a_tool_export_again_longer_and_without_emails(tmp_path, capsys):
    w = str(tmp_path / "w.npsdb")
    first = run(capsys, "import", str(F.qualtrics(tmp_path)), "--workspace", w)
    assert first["imported"] == 7
    assert _of_ana(w)[:2] == (1, 1)
    erased = run(capsys, "erase-contact", ANA, "--yes", "--workspace", w)["erased"]
    assert (erased["contacts"], erased["responses"]) == (1, 1)
    assert _of_ana(w) == (0, 0, 7)

    again = run(capsys, "import", str(F.qualtrics(tmp_path, "again.csv")), "--workspace", w)
    assert (again["imported"], again["duplicates"], again["skipped_reasons"].get("erased on request")) == (0, 6, 1)
    longer_rows = F.QUALTRICS_ROWS + [("IP Address", "True", 100, "2025-03-09 10:00:00", "R_11kk",
                                       "ivy@delta.com", 9, "Good")]
    longer = run(capsys, "import", str(F.qualtrics(tmp_path, "longer.csv", rows=longer_rows)), "--workspace", w)
    assert (longer["imported"], longer["skipped_reasons"].get("erased on request")) == (1, 1)
    no_emails = [r[:5] + ("",) + r[6:] for r in F.QUALTRICS_ROWS]   # the same survey, emails left out
    blind = run(capsys, "import", str(F.qualtrics(tmp_path, "blind.csv", rows=no_emails)), "--workspace", w)
    assert (blind["imported"], blind["skipped_reasons"].get("erased on request")) == (0, 1)
    assert _of_ana(w) == (0, 0, 8)


def test_a_file_without_ids_and_a_contact_list(tmp_path, capsys):
    w = str(tmp_path / "w.npsdb")
    rows = [["Date", "Email", "How likely are you to recommend us?", "Why?"],
            ["2025-01-02", ANA, "10", "Great support, fast"], ["2025-01-02", "bo@beta.io", "4", "Slow"]]
    run(capsys, "import", str(F.write_csv(tmp_path / "a.csv", rows)), "--workspace", w)
    run(capsys, "erase-contact", ANA, "--yes", "--workspace", w)
    longer = rows + [["2025-01-03", "cy@beta.io", "9", "Fine"]]
    r = run(capsys, "import", str(F.write_csv(tmp_path / "b.csv", longer)), "--workspace", w)
    assert r["imported"] == 1 and r["duplicates"] + r["skipped"] == 2
    renamed = [["Date", "E-mail address", "Likelihood to recommend (0-10)", "Why?"]] + longer[1:]  # another layout
    r = run(capsys, "import", str(F.write_csv(tmp_path / "c.csv", renamed)), "--workspace", w)
    assert r["skipped_reasons"].get("erased on request") == 1
    contacts = run(capsys, "import", str(F.contacts_csv(tmp_path)), "--workspace", w)
    assert contacts["skipped_reasons"].get("erased on request") == 1
    assert _of_ana(w)[:2] == (0, 0)
