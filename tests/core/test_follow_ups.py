"""The command line passes the standard follow-ups itself: a fresh process tags, acts and undoes."""
from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from nps_desktop.core import clock
from nps_desktop.core.workspace import open_workspace


def cli(*args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "nps_desktop", *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_import_and_undo_on_the_command_line_run_the_follow_ups(tmp_path):
    day = (clock.today() - timedelta(days=2)).isoformat()
    path = tmp_path / "survey.csv"
    path.write_text("Email,Score,Date,Comment\n"
                    f"ana@acme.com,2,{day},Way too expensive for what we get\n"
                    f"bo@acme.com,9,{day},\n", encoding="utf-8")
    w = str(tmp_path / "w.npsdb")
    cli("--workspace", w, "import", str(path))
    with open_workspace(w) as ws:
        assert "pricing" in {r[0] for r in ws.query("SELECT theme FROM response_themes")}
        assert [r[0] for r in ws.query("SELECT play FROM actions ORDER BY play")] == \
            ["detractor_save", "promoter_advocacy"]
    cli("--workspace", w, "undo-import", "1")
    with open_workspace(w) as ws:
        assert ws.scalar("SELECT count(*) FROM actions") == 0
        assert ws.scalar("SELECT count(*) FROM response_themes") == 0
