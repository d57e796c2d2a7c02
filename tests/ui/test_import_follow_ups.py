"""An import started in the app runs the standard follow-ups (tags, the plays' actions); its undo too."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from nps_desktop.core import clock
from nps_desktop.ui.main_window import MainWindow
from tests.ui.dialogs import OK, answering
from tests.ui.gestures import click, import_through_menu, tick

WAIT = 10000


def test_the_wizard_tags_comments_and_creates_actions_and_undo_removes_them(qtbot, ws, tmp_path, monkeypatch):
    day = (clock.today() - timedelta(days=2)).isoformat()
    path = tmp_path / "survey.csv"
    path.write_text("Email,Score,Date,Comment\n"
                    f"ana@acme.com,2,{day},Way too expensive for what we get\n"
                    f"bo@acme.com,10,{day},Support is fantastic and very quick\n", encoding="utf-8")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_path(ws.path)
    wiz = import_through_menu(qtbot, window, path)
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    click(qtbot, next_button)
    if not wiz.mapping_page.isComplete():
        tick(qtbot, wiz.mapping_page.confirm, True)   # the user confirms the score column
    click(qtbot, next_button)
    qtbot.waitUntil(lambda: wiz.summary_page.result is not None, timeout=WAIT)
    with qtbot.waitSignal(window.session.changed, timeout=WAIT):
        click(qtbot, wiz.button(QWizard.WizardButton.CommitButton))      # "Import"
        qtbot.waitUntil(lambda: wiz.result_page.result is not None, timeout=WAIT)

    themes = dict(ws.query("SELECT r.score, group_concat(t.theme) FROM responses r "
                           "JOIN response_themes t ON t.response_id = r.id GROUP BY r.id"))
    assert "pricing" in themes[2].split(",") and "support" in themes[10].split(",")
    plays = [r[0] for r in ws.query("SELECT play FROM actions ORDER BY play")]
    assert plays == ["detractor_save", "promoter_advocacy"]

    page = window.page("imports")
    qtbot.waitUntil(lambda: page.loaded and page.selected_batch() is not None, timeout=WAIT)
    with qtbot.waitSignal(window.session.changed, timeout=WAIT), answering(OK):
        qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert ws.scalar("SELECT count(*) FROM actions") == 0
    assert ws.scalar("SELECT count(*) FROM response_themes") == 0
