"""The import wizard and the Imports page, driven as a user would (pytest-qt)."""
from __future__ import annotations

import threading

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWizard

from nps_desktop.core.importing import import_file, importer
from nps_desktop.ui.main_window import MainWindow
from tests.core import import_files as F
from tests.ui.dialogs import OK, Answer, answering
from tests.ui.gestures import click, click_row, go, import_through_menu, pick, row_where, tick

WAIT = 10000


def click_next(qtbot, wiz) -> None:
    """Press the wizard's Next button, as a person does (it must be shown and enabled)."""
    click(qtbot, wiz.button(QWizard.WizardButton.NextButton))


@pytest.fixture
def window(qtbot, ws):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.open_path(ws.path)
    return w


def open_wizard(qtbot, window, path):
    """File ▸ Import a spreadsheet…, ``path`` chosen in the file dialog: the wizard, its preview read."""
    return import_through_menu(qtbot, window, path)


def choose(qtbot, combo, data):
    pick(qtbot, combo, data)


def test_file_menu_has_import_before_quit(window):
    actions = window.file_menu.actions()
    i = actions.index(window.importer.action)
    assert actions[i].text() == "&Import a spreadsheet…"
    assert i < actions.index(window._quit_separator)
    assert window.importer.action.shortcut().toString() == "Ctrl+I"


def test_dropping_a_file_opens_the_wizard(window, qtbot, tmp_path):
    path = F.typeform(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(window.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    wiz = window.importer.wizard
    assert wiz is not None and wiz.path == path
    qtbot.addWidget(wiz)
    qtbot.waitUntil(lambda: wiz.preview is not None, timeout=WAIT)
    assert wiz.preview.preset == "typeform"


def test_wizard_imports_a_qualtrics_export(window, qtbot, tmp_path, ws):
    wiz = open_wizard(qtbot, window, F.qualtrics(tmp_path))
    page = wiz.preview_page
    assert "Recognised as a <b>Qualtrics</b> export" in page.about.text()
    assert "(3 header rows)" in page.about.text()
    assert page.kind.currentData() == "responses"
    assert page.model.rowCount() == 10 and page.model.data(page.model.index(0, 0)) == "4"   # Excel's row 4
    assert page.isComplete()
    click_next(qtbot, wiz)
    mp = wiz.mapping_page
    assert mp.combos["Q1"].currentData() == "score" and mp.combos["Q2"].currentData() == "comment"
    assert "Q1 (How likely are you to recommend Acme" in mp.confirm.text()
    assert not mp.isComplete()                      # the user confirms the score column
    tick(qtbot, mp.confirm, True)
    assert mp.isComplete()
    click_next(qtbot, wiz)
    summary = wiz.summary_page
    qtbot.waitUntil(lambda: summary.result is not None, timeout=WAIT)
    assert "<b>10</b> rows read: <b>7</b> new" in summary.status.text()
    assert "survey preview (1), survey test (1), unfinished without a score (1)" in summary.status.text()
    assert ws.scalar("SELECT count(*) FROM responses") == 0       # nothing written before Import
    with qtbot.waitSignal(window.session.changed, timeout=WAIT):
        click(qtbot, wiz.button(QWizard.WizardButton.CommitButton))   # "Import"
        qtbot.waitUntil(lambda: wiz.result_page.result is not None, timeout=WAIT)
    assert ws.scalar("SELECT count(*) FROM responses") == 7
    assert wiz.result_page.result.batch_id == 1 and "Batch 1:" in wiz.result_page.status.text()
    assert window.stack.currentWidget() is window.page("imports")


def test_changing_the_score_column(window, qtbot, tmp_path):
    wiz = open_wizard(qtbot, window, F.google_forms(tmp_path))
    click_next(qtbot, wiz)
    mp = wiz.mapping_page
    nps_q = "On a scale of 0-10, how likely are you to recommend Acme?"
    tick(qtbot, mp.confirm, True)
    choose(qtbot, mp.combos["Rate our support [Quality]"], "score")
    assert wiz.preview.mapping.get("Rate our support [Quality]") == "score"
    assert nps_q not in wiz.preview.mapping and mp.combos[nps_q].currentData() == ""
    assert not mp.confirm.isChecked()                # a new score column is confirmed again
    choose(qtbot, mp.combos["Rate our support [Quality]"], "")
    assert "No score column chosen for google_forms.csv: 3 columns hold 0-10 scores" in mp.problem.text()
    assert not mp.confirm.isEnabled() and not mp.isComplete()     # nothing to confirm: Next stays off
    assert not wiz.button(QWizard.WizardButton.NextButton).isEnabled()


def test_ambiguous_dates_are_asked(window, qtbot, tmp_path):
    path = F.google_forms(tmp_path, rows=[["04/03/2025 10:22:31", "ana@acme.com", 9, "", 4, 5]])
    wiz = open_wizard(qtbot, window, path)
    click_next(qtbot, wiz)
    mp = wiz.mapping_page
    tick(qtbot, mp.confirm, True)
    assert mp.dates_row.isVisibleTo(wiz) and "04/03/2025 10:22:31" in mp.dates_label.text()
    assert not mp.isComplete()
    choose(qtbot, mp.dates, "dmy")
    assert mp.isComplete() and wiz.preview.date_order == "dmy"


def test_kind_can_be_changed(window, qtbot, tmp_path):
    wiz = open_wizard(qtbot, window, F.contacts_csv(tmp_path))
    assert wiz.preview.kind == "contacts"
    choose(qtbot, wiz.preview_page.kind, "accounts")
    assert wiz.preview.kind == "accounts"
    click_next(qtbot, wiz)
    assert set(wiz.mapping_page.combos) == set(F.CON_HEAD)
    combo = wiz.mapping_page.combos["Account ID"]
    assert combo.findData("arr") > 0 and combo.findData("opted_out") == -1   # the fields of accounts
    assert combo.currentData() == ""          # ids repeat in a contact list: not an account's own id


def test_a_bad_file_shows_why_and_changes_nothing(window, qtbot, tmp_path, ws):
    before = F.dump(ws.conn, bookkeeping=True)
    bad = tmp_path / "deck.xlsx"
    bad.write_bytes(b"%PDF-1.5\n...")
    wiz = open_wizard(qtbot, window, bad)
    assert "deck.xlsx is not a spreadsheet (it looks like a PDF document)" in wiz.preview_page.problem.text()
    assert not wiz.preview_page.isComplete()
    assert F.dump(ws.conn, bookkeeping=True) == before


def test_cancel_during_the_import_rolls_back(window, qtbot, tmp_path, ws, monkeypatch):
    gate = threading.Event()
    real = importer.commit

    def gated(w, preview, progress, cancelled, *follow_ups):
        gate.wait(WAIT / 1000)
        return real(w, preview, progress, cancelled, *follow_ups)

    monkeypatch.setattr(importer, "commit", gated)
    before = F.dump(ws.conn, bookkeeping=True)
    wiz = open_wizard(qtbot, window, F.typeform(tmp_path))
    click_next(qtbot, wiz)
    tick(qtbot, wiz.mapping_page.confirm, True)
    click_next(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.summary_page.result is not None, timeout=WAIT)
    click(qtbot, wiz.button(QWizard.WizardButton.CommitButton))   # "Import"
    result = wiz.result_page
    assert result.running and not result.isComplete()
    click(qtbot, result.cancel_button)
    gate.set()
    qtbot.waitUntil(lambda: result.failed is not None, timeout=WAIT)
    assert result.failed == "Cancelled: nothing was imported." and result.isComplete()
    assert F.dump(ws.conn, bookkeeping=True) == before


def test_save_a_mapping_profile(window, qtbot, tmp_path, ws):
    wiz = open_wizard(qtbot, window, F.delighted(tmp_path))
    click_next(qtbot, wiz)
    wiz.mapping_page.profile_name.setText("Delighted")
    click(qtbot, wiz.mapping_page.save_button)
    qtbot.waitUntil(lambda: "Saved" in wiz.mapping_page.saved.text(), timeout=WAIT)
    assert ws.scalar("SELECT kind FROM mapping_profiles WHERE name = 'Delighted'") == "responses"
    assert [p.name for p in wiz.profiles] == ["Delighted"]


def test_imports_page(window, qtbot, tmp_path, ws, monkeypatch):
    import_file(ws, F.accounts_xlsx(tmp_path))
    rev = import_file(ws, F.revenue_csv(tmp_path))
    import_file(ws, F.write_csv(tmp_path / "r.csv", [["Email", "NPS", "Date", "Comment"],
                                                     ["ana@acme.com", "9", "2025-01-02", "fine"],
                                                     ["who@elsewhere.net", "3", "2025-01-03", "who am I"]]))
    go(qtbot, window, "imports")
    page = window.page("imports")
    qtbot.waitUntil(lambda: page.loaded, timeout=WAIT)
    assert page.batch_model.rowCount() == 3
    assert "1 of 2 responses (50%) are mapped to accounts" in page.mapped_label.text()
    assert page.tabs.tabText(1) == "All unmapped responses (1)"
    assert page.unmapped_model.rows[0].email == "who@elsewhere.net"
    click_row(qtbot, page.batch_view, row_where(page.batch_view, str(rev.batch_id)))
    qtbot.waitUntil(lambda: page.reject_model.rowCount() == 1, timeout=WAIT)
    assert page.reject_model.rows[0] == (7, "Account ID", "NOPE-999",
                                         "no such account in the workspace (import the accounts first)")
    out = tmp_path / "rejects.xlsx"
    with answering(Answer(fill={"file": str(out)})):
        qtbot.mouseClick(page.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved"), timeout=WAIT)
    assert list(load_workbook(out).active.iter_rows(values_only=True))[2][0] == 7
    with qtbot.waitSignal(window.session.changed, timeout=WAIT), answering(OK) as dialogs:
        qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert "This removes the 5 revenue events it added" in dialogs.seen[0].text
    assert ws.scalar("SELECT count(*) FROM revenue_events") == 0
    qtbot.waitUntil(lambda: page.selected_batch() is not None and page.selected_batch().undone, timeout=WAIT)
    assert not page.undo_button.isEnabled()


def test_imports_page_lists_newest_batch_first_and_rejects_in_file_order(window, qtbot, tmp_path, ws):
    rows = [[f"p{i}@acme.com", "11" if i in (1, 4, 6) else "9", "2025-01-02"] for i in range(8)]
    first = import_file(ws, F.write_csv(tmp_path / "a.csv", [["Email", "NPS", "Date"]] + rows))
    second = import_file(ws, F.write_csv(tmp_path / "b.csv", [["Email", "NPS", "Date"],
                                                              ["z@acme.com", "7", "2025-02-02"]]))
    go(qtbot, window, "imports")
    page = window.page("imports")
    qtbot.waitUntil(lambda: page.loaded, timeout=WAIT)
    shown = lambda view, col: [view.model().index(r, col).data() for r in range(view.model().rowCount())]  # noqa: E731
    assert shown(page.batch_view, 0) == [str(second.batch_id), str(first.batch_id)]
    click_row(qtbot, page.batch_view, row_where(page.batch_view, str(first.batch_id)))
    qtbot.waitUntil(lambda: page.reject_model.rowCount() == 3, timeout=WAIT)
    assert shown(page.reject_view, 0) == ["3", "6", "8"]  # the file's rows, top to bottom


def test_the_import_shows_busy_once_every_row_is_read(window, qtbot, tmp_path, monkeypatch):
    """The import reports 3 of 10 rows, then "finishing" (the indexes: no count, no cancelling), then 2 of 8
    tags and follow-ups (counted, cancellable); each step waits for the test, so each is seen on screen."""
    steps = [threading.Event() for _ in range(3)]
    real = importer.commit

    def staged(w, preview, progress, cancelled, *follow_ups):
        for (done, total), step in zip(((3, 10), (5, importer.FINISHING), (2, 8)), steps):
            progress(done, total)
            step.wait(WAIT / 1000)
        return real(w, preview, progress, cancelled, *follow_ups)

    monkeypatch.setattr(importer, "commit", staged)
    wiz = open_wizard(qtbot, window, F.delighted(tmp_path))
    click_next(qtbot, wiz)
    if not wiz.mapping_page.isComplete():
        click(qtbot, wiz.mapping_page.confirm)
    click_next(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.summary_page.result is not None, timeout=WAIT)
    qtbot.mouseClick(wiz.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    page = wiz.result_page
    qtbot.waitUntil(lambda: (page.progress.maximum(), page.progress.value()) == (10, 3), timeout=WAIT)
    assert page.cancel_button.isEnabled()
    steps[0].set()
    qtbot.waitUntil(lambda: page.status.text() == "5 rows read; finishing…", timeout=WAIT)
    assert page.progress.maximum() == 0 and not page.cancel_button.isEnabled()
    steps[1].set()
    qtbot.waitUntil(lambda: (page.progress.maximum(), page.progress.value()) == (8, 2), timeout=WAIT)
    assert page.cancel_button.isEnabled()
    assert page.status.text() == "Tagging comments and creating follow-up actions…"
    steps[2].set()
    qtbot.waitUntil(lambda: page.result is not None, timeout=WAIT)
    assert page.result.imported > 0


# -- issue 16: the chosen columns shown with their questions, switched with one click ------------------------
def _click(qtbot, widget):
    click(qtbot, widget)


def _next(qtbot, wiz):
    _click(qtbot, wiz.button(wiz.WizardButton.NextButton))


def _import(qtbot, wiz):
    """From the mapping page: Next (the dry run), then Import; the result page's outcome."""
    _next(qtbot, wiz)
    qtbot.waitUntil(lambda: wiz.summary_page.result is not None, timeout=WAIT)
    _click(qtbot, wiz.button(wiz.WizardButton.CommitButton))
    qtbot.waitUntil(lambda: wiz.result_page.result is not None, timeout=WAIT)
    return wiz.result_page


def test_three_nps_questions_shown_and_switched_with_one_click(window, qtbot, tmp_path, ws):
    from tests.core import real_shapes as R
    wiz = open_wizard(qtbot, window, R.qualtrics_three_nps(tmp_path, n=12))
    _next(qtbot, wiz)
    mp = wiz.mapping_page
    texts = [w.text() for w in mp.choices_box.findChildren(type(mp.no_date_label))]
    assert any("“Q1” — " + R.QX_QUESTIONS["Q1"] in t for t in texts)
    assert mp.switches[("score", "Q2")].toolTip() == R.QX_QUESTIONS["Q2"]
    assert set(mp.switches) >= {("score", "Q2"), ("score", "Q3"), ("responded_at", "EndDate")}
    _click(qtbot, mp.switches[("score", "Q2")])
    assert wiz.preview.field_columns()["score"] == "Q2" and "Q1" not in wiz.preview.mapping
    assert mp.combos["Q2"].currentData() == "score" and mp.combos["Q1"].currentData() == ""
    qtbot.waitUntil(lambda: ("score", "Q1") in mp.switches, timeout=WAIT)   # Q1 is now an alternative
    _click(qtbot, mp.confirm)
    result = _import(qtbot, wiz)
    assert result.result.imported == 12
    stored = [s for (s,) in ws.query("SELECT score FROM responses ORDER BY source_id")]
    assert stored == [row[10] for row in sorted(R.qualtrics_rows(12), key=lambda x: x[6])]


def test_a_file_without_dates_asks_when_they_were_collected(window, qtbot, tmp_path, ws):
    from tests.core import real_shapes as R
    wiz = open_wizard(qtbot, window, R.no_date_file(tmp_path))
    _next(qtbot, wiz)
    mp = wiz.mapping_page
    assert mp.no_date_row.isVisibleTo(wiz) and "has no date column" in mp.problem.text()
    mp.collected_on.setDate(QDate(2024, 11, 5))
    _click(qtbot, mp.use_date)
    assert mp.problem.text() == "" and "all are dated 2024-11-05" in mp.no_date_label.text()
    _click(qtbot, mp.confirm)
    assert mp.isComplete()
    _import(qtbot, wiz)
    assert [tuple(x) for x in ws.query("SELECT DISTINCT responded_on FROM responses")] == [("2024-11-05",)]


def test_accounts_from_domains_and_a_second_import_that_brings_nothing(window, qtbot, tmp_path, ws):
    from tests.core import real_shapes as R
    path = R.spanish_google_forms(tmp_path)
    wiz = open_wizard(qtbot, window, path)
    _next(qtbot, wiz)
    mp = wiz.mapping_page
    assert mp.accounts.isVisibleTo(wiz) and not mp.accounts.isChecked()
    _click(qtbot, mp.accounts)
    _click(qtbot, mp.confirm)
    assert wiz.preview.options.accounts_from_domains
    page = _import(qtbot, wiz)
    assert "accounts created from company domains: 1" in page.status.text()
    assert [tuple(x) for x in ws.query("SELECT domain FROM accounts")] == [("ejemplo.es",)]
    wiz.close()
    again = open_wizard(qtbot, window, path)
    _next(qtbot, again)
    _click(qtbot, again.mapping_page.confirm)
    page = _import(qtbot, again)
    assert page.result.batch_id is None and "Nothing new was imported" in page.status.text()
    assert "Already imported on" in page.status.text()
    assert ws.scalar("SELECT count(*) FROM import_batches") == 1


def test_the_same_file_twice_says_when_it_was_imported_and_records_no_batch(window, qtbot, tmp_path, ws):
    """Issue 17, point 8: File ▸ Import, the file chosen in the file dialog, Next, Next, Import — twice."""
    import sqlite3
    path = F.write_csv(tmp_path / "survey.csv", [["Email", "NPS", "Date", "Comment"],
                                                  ["ana@acme.com", "9", "2025-01-02", "fine"],
                                                  ["bo@acme.com", "3", "2025-01-03", "slow"]])

    def through_the_wizard():
        wiz = import_through_menu(qtbot, window, path)
        click_next(qtbot, wiz)
        if not wiz.mapping_page.isComplete():
            click(qtbot, wiz.mapping_page.confirm)       # the score column confirmed
        click_next(qtbot, wiz)
        qtbot.waitUntil(lambda: wiz.summary_page.result is not None, timeout=WAIT)
        qtbot.mouseClick(wiz.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wiz.result_page.result is not None, timeout=WAIT)
        text = wiz.result_page.status.text()
        qtbot.mouseClick(wiz.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
        return text

    first = through_the_wizard()
    assert first.startswith("Batch 1:")

    def stored():
        conn = sqlite3.connect(f"file:{ws.path}?mode=ro", uri=True)
        try:
            return (conn.execute("SELECT id, substr(imported_at, 1, 10) FROM import_batches").fetchall(),
                    conn.execute("SELECT count(*) FROM responses").fetchone()[0])
        finally:
            conn.close()
    (batches, responses) = stored()
    assert len(batches) == 1 and responses == 2
    (batch_id, day), = batches
    again = through_the_wizard()
    assert again.startswith("Nothing new was imported: ")
    assert f"Already imported on {day} (batch {batch_id}): nothing new." in again
    assert "<b>2</b> already in the workspace (duplicates)" in again
    assert stored() == (batches, 2)                  # no second, empty batch; no row twice
