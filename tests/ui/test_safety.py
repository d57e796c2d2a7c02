"""The main window's data safety: File ▸ Back up now / Restore backup…, the read-only banner, and the
offer to restore a damaged workspace's latest good backup."""
import pytest

from nps_desktop.core import backups
from nps_desktop.core.workspace import open_workspace
from nps_desktop.ui.main_window import MainWindow
from tests.core.safety_support import damaged_after_backup, dump, held_by_another_process
from tests.core.safety_support import seeded_path as path  # noqa: F401 (a fixture)

from .dialogs import Answer, answering
from .gestures import click, click_row


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.session.close()


def _file_menu_texts(window):
    return [a.text().replace("&", "") for a in window.file_menu.actions() if not a.isSeparator()]


def test_file_menu_has_backup_and_restore_before_quit(window, path):
    texts = _file_menu_texts(window)
    assert texts.index("Back up now") < texts.index("Restore backup…") < texts.index("Quit")
    assert not window.safety.restore_action.isEnabled()  # nothing open yet
    window.open_path(path)
    assert window.safety.restore_action.isEnabled()


def test_a_second_process_makes_the_window_read_only_with_a_banner(window, path, qtbot):
    with held_by_another_process(path) as holder:
        assert window.open_path(path)
        banner = window.safety.banner
        assert banner.isVisible()
        assert "Read-only</b> — w.npsdb is open for changes" in banner.label.text() and f"process {holder.pid}" in banner.label.text()
        window.grab().save(str(path.parent / "banner.png"))
    click(qtbot, banner.retry)  # the other process has closed it: editable again
    assert not window.session.ws.read_only
    assert not banner.isVisible()


def test_back_up_now(window, path, qtbot):
    window.open_path(path)
    window.safety.backup_action.trigger()
    qtbot.waitUntil(lambda: len(backups.list_backups(path)) == 1, timeout=10000)
    assert backups.list_backups(path)[0].reason == "manual backup"


def test_restore_dialog_lists_backups_and_restores_the_chosen_one(window, path, qtbot):
    with open_workspace(path) as ws:
        older = backups.take(ws, "older")
        held = dump(path)
        with ws.transaction() as conn:
            conn.execute("DELETE FROM responses")
        backups.take(ws, "newer")
    window.open_path(path)

    def choose_the_older(dialog):
        model = dialog.model
        assert model.rowCount() == 2 and model.columnCount() == 5
        assert model.data(model.index(0, 1)) == "newer" and model.data(model.index(1, 1)) == "older"
        assert model.data(model.index(1, 2)) == "3"
        click_row(qtbot, dialog.table, 1)
        assert dialog.restore_button.isEnabled()
    with answering(Answer(check=choose_the_older)) as dialogs:     # then Restore
        window.safety.restore_action.trigger()
    assert dialogs.seen[0].title == "Restore a backup"
    qtbot.waitUntil(lambda: "Restored" in window.statusBar().currentMessage(), timeout=10000)
    assert f"Restored {older.path.name}" in window.statusBar().currentMessage()
    assert window.session.ws.scalar("SELECT count(*) FROM responses") == 3
    assert {k: v for k, v in dump(path).items()} == held


def test_the_restore_dialog_says_when_there_are_no_backups(window, path, qtbot):
    window.open_path(path)
    shown = []

    def nothing_to_restore(dialog):
        shown.append((dialog.restore_button.isEnabled(), dialog.empty.isVisible(), dialog.empty.text()))
    with answering(Answer(accept=False, check=nothing_to_restore)):
        window.safety.restore_action.trigger()
    (enabled, visible, text), = shown
    assert not enabled and visible and "no backups yet" in text


def test_a_damaged_workspace_offers_its_latest_good_backup(window, path, qtbot):
    taken = damaged_after_backup(path)
    good = dump(taken.path)
    with answering(Answer(button="Restore the latest good backup")) as dialogs:
        assert window.open_path(path)
    seen = [d.text for d in dialogs.seen]
    assert "is damaged" in seen[0] and taken.path.name in seen[0]
    assert dump(path) == good
    assert window.session.ws.scalar("SELECT count(*) FROM accounts") == 1


PRIVATE_FILES = """
import os, stat, sys
os.umask(0o022)
from nps_desktop.cli import main
try:
    main(["--version"])
except SystemExit:
    pass
from nps_desktop.ui.errors import setup_logging
from nps_desktop.ui.prefs import Prefs
log = setup_logging()
import logging
logging.getLogger("nps_desktop").info("hello")
prefs = Prefs()
prefs.add_recent(sys.argv[1])
prefs.sync()
print(oct(stat.S_IMODE(os.stat(log).st_mode)), oct(stat.S_IMODE(os.stat(prefs.q.fileName()).st_mode)))
"""


def test_logs_and_settings_are_readable_by_their_owner_only(tmp_path):
    import os
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", PRIVATE_FILES, str(tmp_path)], capture_output=True, text=True,
                         env={**os.environ, "NPS_DESKTOP_HOME": str(tmp_path / "home")}, check=True)
    assert out.stdout.split()[-2:] == ["0o600", "0o600"]  # after the version line
