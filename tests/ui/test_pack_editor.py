"""The pack editor, driven through its widgets: three quotes chosen with "Add to pack" (one typo fixed),
the summary rewritten with bold and a bullet, next quarter written, a section switched off; the words are
saved, and the pack built a week later (PDF and slides) carries the same words. "Add to pack" on Themes."""
from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
from pptx import Presentation
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from nps_desktop.core import clock
from nps_desktop.core.reporting import narrative, preview
from nps_desktop.core.workspace import open_workspace
from nps_desktop.ui.models import COL_DATE
from nps_desktop.ui.pages.reports.quotes import QuoteDialog
from tests.conftest import DEMO_AS_OF

from .analysis_pages import open_window
from .dialogs import OK, Answer, answering
from tests.ui.gestures import go, pick

PERIOD = "2026Q4"   # the demo's quarter to date: the newest responses at the top of the Responses page


@pytest.fixture
def demo_path(demo_file, tmp_path, monkeypatch):
    monkeypatch.setenv(clock.ENV, DEMO_AS_OF.isoformat())
    path = tmp_path / "demo.npsdb"
    shutil.copy(demo_file, path)
    return path


def quote_count(path) -> int:
    with open_workspace(path, read_only=True) as ws:
        return ws.scalar("SELECT count(*) FROM pack_quotes")


def the_dialog(qtbot) -> QuoteDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QuoteDialog), timeout=10000)
    return QApplication.activeModalWidget()


def click_ok(qtbot, dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def choose_three_quotes(qtbot, window, path) -> list[str]:
    """Click responses with a comment, "Add to pack…", and accept; the first with a typo fixed."""
    go(qtbot, window, "responses")
    page = window.page("responses")
    qtbot.waitUntil(lambda: page.model.rowCount() > 20, timeout=15000)
    printed, row = [], 0
    while len(printed) < 3:
        index = page.model.index(row, COL_DATE)
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                         pos=page.table.visualRect(index).center())
        qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail["id"] == page.selected_row().id,
                        timeout=10000)
        row += 1
        if not page.detail.pack_button.isEnabled():
            continue
        qtbot.mouseClick(page.detail.pack_button, Qt.MouseButton.LeftButton)
        dialog = the_dialog(qtbot)
        assert not dialog.show_name.isChecked()                      # the name is hidden by default
        if not printed:
            dialog.text.selectAll()
            qtbot.keyClicks(dialog.text, "Teh onboarding was slow, fixed typo")
        text = " ".join(dialog.text.toPlainText().split())
        before = quote_count(path)
        click_ok(qtbot, dialog)
        qtbot.waitUntil(lambda: quote_count(path) == before + 1, timeout=10000)
        printed.append(text)
    return printed


def test_a_pack_edited_in_the_app_is_rebuilt_a_week_later_with_the_same_words(qtbot, demo_path, tmp_path,
                                                                              monkeypatch):
    window = open_window(qtbot, demo_path)
    printed = choose_three_quotes(qtbot, window, demo_path)

    go(qtbot, window, "reports")
    page = window.page("reports")
    editor = page.editor
    qtbot.waitUntil(lambda: page.period.count() > 0, timeout=15000)
    pick(qtbot, page.period, PERIOD)
    qtbot.waitUntil(lambda: editor.isEnabled() and editor.period == PERIOD and editor.figures is not None
                    and editor.figures.period == PERIOD and editor.quotes.count() == 3, timeout=30000)
    assert "written from the figures" in editor.status.text()
    assert editor.summary.edit.toPlainText().startswith("NPS")       # prefilled from the numbers
    assert [editor.quotes.item(i).text().split("\n")[0] for i in range(3)] == [f"“{t}”" for t in printed]

    # rewrite the summary: a sentence with a bold part, then a bullet
    edit = editor.summary.edit
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert editor.summary.bullets_button.isChecked()                # the generated summary was bullets
    qtbot.mouseClick(editor.summary.bullets_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(edit, "We held NPS ")
    qtbot.mouseClick(editor.summary.bold_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(edit, "above the goal line")
    qtbot.mouseClick(editor.summary.bold_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(edit, " this quarter.")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.mouseClick(editor.summary.bullets_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(edit, "Pricing complaints halved <script>")
    nxt = editor.next_quarter.edit
    qtbot.mouseClick(nxt.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(nxt, "Call every detractor within two days.")
    # switch "NPS over eight quarters" off with Space, and move the appendix up one place
    sections = editor.sections
    titles = [sections.item(i).text() for i in range(sections.count())]
    trend = titles.index("NPS over eight quarters")
    qtbot.mouseClick(sections.viewport(), Qt.MouseButton.LeftButton,
                     pos=sections.visualItemRect(sections.item(trend)).center())
    qtbot.keyClick(sections, Qt.Key.Key_Space)
    assert sections.item(trend).checkState() == Qt.CheckState.Unchecked
    assert editor.dirty and editor.status.text() == "Unsaved changes."
    if preview.available():   # the live preview draws the page last edited
        editor.last_preview = []
        qtbot.waitUntil(lambda: bool(editor.last_preview), timeout=30000)
        assert editor.preview_key == "summary" or editor.preview_key in ("next_quarter", "trend")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.dirty, timeout=10000)

    with open_workspace(demo_path, read_only=True) as ws:
        saved = narrative.load_words(ws, PERIOD)
    assert saved.summary == ("<p>We held NPS <b>above the goal line</b> this quarter.</p>"
                             "<ul><li>Pricing complaints halved &lt;script&gt;</li></ul>")
    assert saved.next_quarter == "<p>Call every detractor within two days.</p>"
    assert ("trend", False) in saved.sections
    window.close()

    # a week later: a new window, the same quarter, the pack built through the Generate button
    monkeypatch.setenv(clock.ENV, (DEMO_AS_OF + timedelta(days=7)).isoformat())
    window = open_window(qtbot, demo_path)
    go(qtbot, window, "reports")
    page = window.page("reports")
    qtbot.waitUntil(lambda: page.period.count() > 0, timeout=15000)
    pick(qtbot, page.period, PERIOD)
    qtbot.waitUntil(lambda: page.editor.figures is not None and page.editor.figures.period == PERIOD, timeout=30000)
    assert "above the goal line" in page.editor.summary.edit.toPlainText() and not page.editor.dirty
    for name, kind in (("pack.pdf", "PDF (*.pdf)"), ("pack.pptx", "PowerPoint slides (*.pptx)")):
        out = tmp_path / name
        page.last_result = None
        with answering(Answer(fill={"filter": kind, "file": str(out)})):
            qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.last_result is not None, timeout=60000)
    pdf = " ".join(subprocess.run(["pdftotext", str(tmp_path / "pack.pdf"), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    slides = " ".join(sh.text_frame.text for s in Presentation(str(tmp_path / "pack.pptx")).slides
                      for sh in s.shapes if sh.has_text_frame)
    slides = " ".join(slides.split())
    for text in ("We held NPS above the goal line this quarter.", "Pricing complaints halved <script>",
                 "Call every detractor within two days.", *printed):
        assert text in pdf and text in slides, text
    assert "NPS over eight quarters" not in pdf and "NPS over eight quarters" not in slides
    with open_workspace(demo_path, read_only=True) as ws:
        again = narrative.load_words(ws, PERIOD)
        quotes = narrative.quotes(ws, PERIOD)
    assert again == saved
    assert quotes[0].text == printed[0] and quotes[0].original != printed[0]   # the original is kept


def test_add_to_pack_from_a_themes_verbatim(qtbot, demo_path):
    from nps_desktop.core.text import tagging
    with open_workspace(demo_path) as ws:
        tagging.retag_all(ws)
    window = open_window(qtbot, demo_path)
    go(qtbot, window, "themes")
    page = window.page("themes")
    qtbot.waitUntil(lambda: page.matrix.rowCount() > 0, timeout=20000)
    view = page.matrix_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(page.matrix.index(0, 0)).center())
    qtbot.waitUntil(lambda: "Add to pack" in page.verbatim_view.toPlainText(), timeout=20000)
    browser = page.verbatim_view
    cursor = browser.document().find("Add to pack")
    cursor.setPosition(cursor.selectionStart() + 3)
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=browser.cursorRect(cursor).center())
    dialog = the_dialog(qtbot)
    assert dialog.quote.theme == page._verbatim_theme and dialog.quote.theme_label
    click_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: quote_count(demo_path) == 1, timeout=10000)
    with open_workspace(demo_path, read_only=True) as ws:
        (q,) = [q for p in ("2026Q1", "2026Q2", "2026Q3", "2026Q4", "2025Q4", "2025Q3")
                for q in narrative.quotes(ws, p)]
    assert q.theme == dialog.quote.theme and not q.show_name and q.text == q.original


def test_the_company_colour_is_set_in_settings_and_a_bad_one_refused(qtbot, ws):
    from nps_desktop.core import settings
    window = open_window(qtbot, ws.path)
    go(qtbot, window, "settings")
    page = window.page("settings")
    assert page.brand.text() == "#0f2747"                            # the default navy
    with answering(Answer(fill={"color": "#7A1F3D"})) as dialogs:
        qtbot.mouseClick(page.brand_button, Qt.MouseButton.LeftButton)
    assert dialogs.seen[0].kind == "QColorDialog" and dialogs.seen[0].title == "Company colour"
    assert page.brand.text() == "#7a1f3d"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert settings.get(ws, "brand_color") == "#7a1f3d"
    page.brand.clear()
    qtbot.keyClicks(page.brand, "navy")
    with answering(OK) as dialogs:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert [d.text for d in dialogs.seen] == ["the company colour is written #RRGGBB, like #0f2747, not 'navy'"]
    assert settings.get(ws, "brand_color") == "#7a1f3d"


def test_write_it_from_the_figures_can_be_undone(qtbot, demo_path):
    window = open_window(qtbot, demo_path)
    go(qtbot, window, "reports")
    editor = window.page("reports").editor
    qtbot.waitUntil(lambda: editor.isEnabled() and editor.figures is not None, timeout=30000)
    generated = editor.summary.edit.toPlainText()
    edit = editor.summary.edit
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "Mine")
    assert edit.toPlainText() == "Mine" and editor.dirty
    qtbot.mouseClick(editor.regenerate_button, Qt.MouseButton.LeftButton)
    assert edit.toPlainText() == generated
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert edit.toPlainText() == "Mine"
