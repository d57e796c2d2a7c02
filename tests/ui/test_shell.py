"""The app shell: the welcome page, opening the demo, the dashboard equal to ``stats --json``."""
import pytest
from PySide6.QtWidgets import QWizard

from nps_desktop.core import analytics
from nps_desktop.ui.main_window import MainWindow
from nps_desktop.ui.pages import PAGES

from .dialogs import OK, Answer, answering
from .gestures import click, click_row, go


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    return w


def test_first_launch_offers_demo_and_new(window):
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.demo_button.text() == "Open the demo"
    assert "Create a new workspace" in window.welcome.new_button.text()
    assert not window.sidebar.isEnabled()
    assert window.windowTitle() == "NPS Desktop"


def test_dashboard_equals_stats(window, qtbot, demo_ws):
    window.open_path(demo_ws.path)
    page = window.page("dashboard")
    qtbot.waitUntil(lambda: page.last_stats is not None, timeout=10000)
    expected = analytics.stats(demo_ws, page.last_filters, by=page.dimension.currentData(),
                               period=page.period.currentData())
    assert page.last_stats["nps"] == expected["nps"]
    assert page.tile_nps.value.text() == f"{expected['nps']:+.0f}".replace("-", "−")
    assert page.tile_n.value.text() == f"{expected['responses']:,}"
    assert "NPS Desktop" in window.windowTitle() and demo_ws.path.name in window.windowTitle()
    assert f"{demo_ws.counts()['responses']:,} responses" in window.status_counts.text()


def test_every_page_opens(window, qtbot, demo_ws):
    window.open_path(demo_ws.path)
    for key, *_ in PAGES:
        go(qtbot, window, key)


def test_recent_workspaces_persist(qtbot, demo_ws):
    first = MainWindow()
    qtbot.addWidget(first)
    first.open_path(demo_ws.path)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert str(demo_ws.path.resolve()) in second.prefs.recent()


def test_a_bad_file_shows_a_message_and_keeps_the_window(window, tmp_path):
    bad = tmp_path / "bad.npsdb"
    bad.write_text("nope")
    open_action = next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Open…")
    with answering(Answer(fill={"file": str(bad)}), OK) as dialogs:
        open_action.trigger()
    assert dialogs.seen[0].title == "Open workspace"
    assert dialogs.seen[1].is_error and "not an NPS Desktop workspace" in dialogs.seen[1].text
    assert window.session.ws is None and window.isVisible()


def test_every_page_has_a_unique_shortcut(window):
    shortcuts = window.shortcuts()
    keys = [k for _, _, k in shortcuts]
    assert len(keys) == len(set(keys)), "no two commands share keys"
    go = {text: k for menu, text, k in shortcuts if menu == "Go"}
    assert [go[title] for _, title, *_rest in PAGES] == [f"Ctrl+{n}" for n in "1234567890"]
    assert any(text == "Keyboard shortcuts" for _, text, _ in shortcuts)
    page_keys = [k for _, _, k in window.page_shortcuts()]
    assert ("Actions", "Mark done", "Ctrl+Shift+D") in window.page_shortcuts()
    assert not set(page_keys) & set(keys), "a page's own keys do not shadow a menu's"


def test_the_shortcut_list_under_help_names_every_page_and_the_actions_keys(window):
    with answering(OK) as dialogs:
        next(a for a in window.help_menu.actions() if a.text() == "&Keyboard shortcuts").trigger()
    shown = [d.text for d in dialogs.seen]
    for _, title, *_rest in PAGES:
        assert f"<td>{title}</td>" in shown[0]
    assert "<td>Reassign…</td><td><b>Ctrl+R</b></td>" in shown[0]


def test_a_new_workspace_opens_on_the_getting_started_checklist(window, ws, qtbot):
    window.open_path(ws.path)
    assert window.stack.currentWidget() is window.getting_started
    page = window.getting_started
    assert [s.done for s in page.steps] == [False] * 4
    assert not page.done_button.isEnabled()
    click(qtbot, step_button(page, 2))        # "Set your company name and goal"
    assert window.stack.currentWidget() is window.page("settings")


def step_button(checklist, row: int):
    return checklist.grid.itemAtPosition(row, 2).widget()


def cancel_wizard(qtbot, wizard) -> None:
    click(qtbot, wizard.button(QWizard.WizardButton.CancelButton))
    assert not wizard.isVisible()


def test_an_import_step_opens_the_wizard_for_its_kind(window, ws, qtbot, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("Account ID,Account Name,ARR\nA1,Acme,1000\n")
    window.open_path(ws.path)
    with answering(Answer(fill={"file": str(path)})) as dialogs:
        click(qtbot, step_button(window.getting_started, 0))     # "Import your accounts"
    assert dialogs.seen[0].kind == "QFileDialog"
    wizard = window.importer.wizard
    qtbot.addWidget(wizard)
    assert window.stack.currentWidget() is window.page("imports")
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert wizard.preview.kind == "accounts" and wizard.path == path
    cancel_wizard(qtbot, wizard)


def test_the_checklist_stays_when_the_sidebar_takes_focus(window, ws, qtbot):
    window.open_path(ws.path)
    window.sidebar.setFocus()
    qtbot.wait(200)
    assert window.stack.currentWidget() is window.getting_started
    click_row(qtbot, window.sidebar, 2)   # a click (or Ctrl+3) still chooses a page
    assert window.stack.currentWidget() is window.page("accounts")


def test_every_page_says_what_to_do_on_an_empty_workspace(window, ws, qtbot, tmp_path):
    path = tmp_path / "any.csv"
    path.write_text("Email,Score\na@b.com,9\n")
    window.open_path(ws.path)
    for key, *_ in PAGES:
        page = go(qtbot, window, key)
        if page.needs is None:
            continue
        assert page._empty is not None and page._empty.isVisible(), key
        with answering(Answer(fill={"file": str(path)})):
            click(qtbot, page._empty.button)
        wizard = window.importer.wizard
        qtbot.addWidget(wizard)
        assert wizard.isVisible() and wizard.options.kind == page.needs, key
        qtbot.waitUntil(lambda w=wizard: w.preview is not None or bool(w.preview_page.problem.text()), timeout=10000)
        cancel_wizard(qtbot, wizard)


def test_a_new_user_goes_from_nothing_to_a_dashboard_and_a_pack(window, ws, qtbot, tmp_path):
    from tests.core import import_files as F
    files = [F.accounts_xlsx(tmp_path), F.delighted(tmp_path)]
    window.open_path(ws.path)
    checklist = window.getting_started

    def press(wizard, which):
        button = wizard.button(which)
        click(qtbot, button)

    def back_to_the_checklist():     # an import ends on the Imports page: Help ▸ Getting started
        if window.stack.currentWidget() is not checklist:
            next(a for a in window.help_menu.actions() if a.text() == "&Getting started").trigger()
        assert window.stack.currentWidget() is checklist

    for row, kind in enumerate(("accounts", "responses")):
        back_to_the_checklist()
        with answering(Answer(fill={"file": str(files[row])})):
            click(qtbot, step_button(checklist, row))
        wizard = window.importer.wizard
        qtbot.addWidget(wizard)
        qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
        assert wizard.preview.kind == kind
        press(wizard, QWizard.WizardButton.NextButton)
        if not wizard.mapping_page.isComplete():
            click(qtbot, wizard.mapping_page.confirm)      # the user confirms the score column
        press(wizard, QWizard.WizardButton.NextButton)
        qtbot.waitUntil(lambda: wizard.summary_page.result is not None, timeout=10000)
        press(wizard, QWizard.WizardButton.CommitButton)
        qtbot.waitUntil(lambda: wizard.result_page.result is not None, timeout=10000)
        press(wizard, QWizard.WizardButton.FinishButton)
        assert not wizard.isVisible()
    assert ws.scalar("SELECT count(*) FROM accounts") == 3
    assert ws.scalar("SELECT count(*) FROM responses") == 4   # the csat row is not NPS
    back_to_the_checklist()
    click(qtbot, step_button(checklist, 2))
    settings = window.page("settings")
    qtbot.waitUntil(lambda: settings.save_button.isEnabled(), timeout=10000)
    settings.company.clear()
    qtbot.keyClicks(settings.company, "Acme Analytics")
    assert not settings.has_goal.isChecked()
    click(qtbot, settings.has_goal)
    settings.goal.setValue(30)
    click(qtbot, settings.save_button)
    next(a for a in window.help_menu.actions() if a.text() == "&Getting started").trigger()
    qtbot.waitUntil(lambda: all(s.done for s in checklist.steps), timeout=10000)
    click(qtbot, checklist.done_button)
    dashboard = window.page("dashboard")
    assert window.stack.currentWidget() is dashboard
    # 2 promoters, 1 passive, 1 detractor: NPS +25, whatever the date of the export
    qtbot.waitUntil(lambda: dashboard.tile_nps.value.text() == "+25", timeout=10000)
    reports = window.page("reports")
    go(qtbot, window, "reports")
    qtbot.waitUntil(lambda: reports.period.count() > 0 and reports.generate_button.isEnabled(), timeout=10000)
    with answering(Answer(fill={"filter": "PDF (*.pdf)", "file": str(tmp_path / "pack.pdf")})):
        click(qtbot, reports.generate_button)
    qtbot.waitUntil(lambda: reports.last_result is not None, timeout=30000)
    assert reports.last_result.pages >= 8
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")


def test_a_click_on_the_sidebar_opens_its_page(window, demo_ws, qtbot):
    """A click makes the row current before selecting it: the page once stayed put (the walk uses the menu)."""
    window.open_path(demo_ws.path)
    assert window.stack.currentWidget() is window.page("dashboard")
    for key in ("accounts", "responses", "dashboard"):
        row = next(i for i, p in enumerate(PAGES) if p[0] == key)
        click_row(qtbot, window.sidebar, row)
        assert window.stack.currentWidget() is window.page(key), key
