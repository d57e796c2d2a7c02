"""File ▸ Connect to team workspace…: the dashboard reads a team workspace on PostgreSQL and follows
another person's import, announced by NOTIFY, without the UI thread waiting on the server."""
from __future__ import annotations

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from nps_desktop.core.importing import ImportOptions
from nps_desktop.core.team import team_import, transfer
from nps_desktop.core.team.reading import TeamReading
from nps_desktop.core.workspace import open_workspace
from nps_desktop.ui.main_window import MainWindow
from tests.core import import_files as F
from tests.pg.conftest import pg_cluster, pg_dsn, team  # noqa: F401 (the throwaway server's fixtures)
from tests.ui.dialogs import Answer, answering

pytestmark = pytest.mark.pg
WAIT = 30000


def test_connect_opens_the_team_dashboard_and_it_follows_an_import(team, demo_file, qtbot, tmp_path):  # noqa: F811
    with open_workspace(demo_file, read_only=True) as ws, psycopg.connect(team["dsn"]) as conn:
        transfer.push(ws, conn, "team")
        responses = ws.scalar("SELECT count(*) FROM responses")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    connect = next(a for a in window.file_menu.actions() if a.text() == "Connect to &team workspace…")
    cluster_port = int(conninfo_to_dict(team["tcp"]["viewer"])["port"])
    dbname = str(conninfo_to_dict(team["dsn"])["dbname"])
    fill = {"Server": "127.0.0.1", "Port": cluster_port, "Database": dbname, "User": team["users"]["viewer"],
            "Password": team["passwords"]["viewer"]}
    with answering(Answer(fill=fill, check=lambda d: _tls_checked_by_default(d))) as dialogs:
        connect.trigger()
    assert dialogs.seen[0].title == "Connect to team workspace"
    qtbot.waitUntil(lambda: isinstance(window.session.ws, TeamReading), timeout=WAIT)
    dashboard = window.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.last_stats is not None, timeout=WAIT)
    assert window.stack.currentWidget() is dashboard
    assert f"{responses:,} responses" in window.status_counts.text()
    assert window.session.ws.read_only   # a viewer reads; the workspace opens read-only
    with open_workspace(demo_file, read_only=True) as ws:   # the same figure as the file's
        from nps_desktop.core import analytics
        assert dashboard.last_stats["nps"] == analytics.stats(ws, dashboard.last_filters)["nps"]

    with psycopg.connect(team["tcp"]["editor"], password=team["passwords"]["editor"]) as other:  # another person
        team_import.import_into(other, "team", F.surveymonkey(tmp_path), ImportOptions())
    qtbot.waitUntil(lambda: f"{responses + 6:,} responses" in window.status_counts.text(), timeout=WAIT)
    assert isinstance(window.session.ws, TeamReading)
    window.team.stop()


def _tls_checked_by_default(dialog) -> None:
    from PySide6.QtWidgets import QCheckBox
    box = dialog.findChild(QCheckBox, "insecure")
    assert box is not None and not box.isChecked()
