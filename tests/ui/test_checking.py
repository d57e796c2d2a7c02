"""Opening a workspace: the window is usable at once, the snapshot loads off the UI thread, the file is
checked in the background; Help ▸ Check workspace checks it on demand."""
import sqlite3

from nps_desktop.core import analytics, workspace
from nps_desktop.core.snapshot import cache, store
from tests.core.safety_support import seeded_path as path  # noqa: F401 (a fixture)
from PySide6.QtCore import Qt

from tests.ui.dialogs import OK, Answer, answering
from tests.ui.gestures import click_row, go
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
    """The 10 corrected to 0 on the Responses page (Correct score…): the snapshot reloads, the figures follow."""
    assert window.open_path(path)
    ws = window.session.ws
    qtbot.waitUntil(lambda: store.current(ws) is not None, timeout=10000)
    assert cache.path_for(path).exists()
    before = analytics.overall(ws, analytics.Filters())
    assert (before.responses, before.detractors) == (3, 1)       # seed: 3, 9, 10
    page = go(qtbot, window, "responses")
    qtbot.waitUntil(lambda: page.model.total == 3 and len(page.model.rows) == 3, timeout=10000)
    row = next(i for i, r in enumerate(page.model.rows) if r.score == 10)
    click_row(qtbot, page.table, row)
    qtbot.waitUntil(lambda: page.detail.correct_button.isEnabled()
                    and page.detail.detail["id"] == page.model.rows[row].id, timeout=10000)
    with qtbot.waitSignal(window.session.changed, timeout=10000), \
            answering(Answer(fill={"Correct score": 0, "Reason": "typed 10 for 0"})):
        qtbot.mouseClick(page.detail.correct_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: store.current(ws) is not None
                    and analytics.overall(ws, analytics.Filters()).detractors == 2, timeout=10000)
    assert analytics.overall(ws, analytics.Filters()).responses == 3
