"""Opening a workspace: the window is usable at once, the snapshot loads off the UI thread, the file is
checked in the background; Help ▸ Check workspace checks it on demand."""
import sqlite3

from nps_desktop.core import analytics, workspace
from nps_desktop.core.snapshot import cache, store
from tests.core.safety_support import seeded_path as path  # noqa: F401 (a fixture)
from tests.ui.dialogs import OK, answering
from tests.ui.test_safety import window  # noqa: F401 (a fixture)


def _help_action(window, text):
    return next(a for a in window.help_menu.actions() if a.text().replace("&", "") == text)


def test_help_check_workspace_says_a_sound_file_is_sound(window, path, qtbot):
    assert window.open_path(path)
    with answering(OK) as dialogs:
        _help_action(window, "Check workspace").trigger()
        qtbot.waitUntil(lambda: bool(dialogs.seen), timeout=10000)
    assert [d.text for d in dialogs.seen] == ["w.npsdb is sound: its integrity and the links between its tables are checked."]


def test_damage_the_open_skips_is_found_in_the_background(window, path, qtbot):
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO contacts(email, account_id) VALUES ('x@y.z', 987654321)")
    conn.commit()
    conn.close()
    workspace._trust(path)  # as if a clean close had left it so: opening does not check it
    with answering(OK) as dialogs:
        assert window.open_path(path)       # usable at once
        qtbot.waitUntil(lambda: bool(dialogs.seen), timeout=10000)
    assert "w.npsdb is damaged (1 row of contacts points to missing accounts)" in dialogs.seen[0].text


def test_the_snapshot_loads_in_the_background_and_follows_changes(window, path, qtbot):
    assert window.open_path(path)
    ws = window.session.ws
    qtbot.waitUntil(lambda: store.current(ws) is not None, timeout=10000)
    assert cache.path_for(path).exists()
    before = analytics.overall(ws, analytics.Filters())
    with ws.transaction() as conn:
        conn.execute("UPDATE responses SET score = 0")
    assert store.current(ws) is None     # stale: the figures come from SQL until the reload
    window.session.notify_changed()
    qtbot.waitUntil(lambda: store.current(ws) is not None, timeout=10000)
    after = analytics.overall(ws, analytics.Filters())
    assert after.responses == before.responses and after.detractors == after.responses > 0
