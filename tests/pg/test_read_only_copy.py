"""A workspace that keeps itself read-only (what `team pull` makes) — no server needed for this part."""
from __future__ import annotations

import json

from nps_desktop.core import workspace
from nps_desktop.core.team import transfer
from nps_desktop.core.workspace import open_workspace


def test_the_setting_keeps_a_workspace_read_only_with_its_reason(tmp_path):
    path = tmp_path / "copy.npsdb"
    with open_workspace(path) as ws:
        ws.conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)",
                        (workspace.READ_ONLY_SETTING, json.dumps("it is a copy for the trip")))
    with open_workspace(path) as ws:
        assert ws.read_only and ws.read_only_reason == "it is a copy for the trip"
        assert ws._lock is None  # no writer lock taken: another window may still unlock it
    assert transfer.make_writable(path) is True
    assert transfer.make_writable(path) is False
    with open_workspace(path) as ws:
        assert not ws.read_only
