"""The app shell: the welcome page, opening the demo, the dashboard equal to ``stats --json``."""
import pytest
from PySide6.QtWidgets import QMessageBox

from nps_desktop.core import analytics
from nps_desktop.ui.main_window import MainWindow
from nps_desktop.ui.pages import PAGES


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
        window.show_page(key)
        assert window.stack.currentWidget() is window.page(key)


def test_recent_workspaces_persist(qtbot, demo_ws):
    first = MainWindow()
    qtbot.addWidget(first)
    first.open_path(demo_ws.path)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert str(demo_ws.path.resolve()) in second.prefs.recent()


def test_a_bad_file_shows_a_message_and_keeps_the_window(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.npsdb"
    bad.write_text("nope")
    shown = []
    monkeypatch.setattr("nps_desktop.ui.main_window.QMessageBox.warning",
                        lambda parent, title, text: shown.append(text))
    assert window.open_path(bad) is False
    assert shown and "not an NPS Desktop workspace" in shown[0]
    assert window.session.ws is None


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


def test_the_shortcut_list_under_help_names_every_page_and_the_actions_keys(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    next(a for a in window.help_menu.actions() if a.text() == "&Keyboard shortcuts").trigger()
    for _, title, *_rest in PAGES:
        assert f"<td>{title}</td>" in shown[0]
    assert "<td>Reassign…</td><td><b>Ctrl+R</b></td>" in shown[0]


def test_a_new_workspace_opens_on_the_getting_started_checklist(window, ws, qtbot):
    window.open_path(ws.path)
    assert window.stack.currentWidget() is window.getting_started
    page = window.getting_started
    assert [s.done for s in page.steps] == [False] * 4
    assert not page.done_button.isEnabled()
    page.requested.emit("settings")
    assert window.stack.currentWidget() is window.page("settings")


def test_an_import_step_opens_the_wizard_for_its_kind(window, ws, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "crm.csv"
    path.write_text("Account ID,Account Name,ARR\nA1,Acme,1000\n")
    monkeypatch.setattr("nps_desktop.ui.import_wizard.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(path), ""))
    window.open_path(ws.path)
    window.getting_started.requested.emit("accounts")
    wizard = window.importer.wizard
    qtbot.addWidget(wizard)
    assert window.stack.currentWidget() is window.page("imports")
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert wizard.preview.kind == "accounts" and wizard.path == path
    wizard.reject()


def test_the_checklist_stays_when_the_sidebar_takes_focus(window, ws, qtbot):
    window.open_path(ws.path)
    window.sidebar.setFocus()
    qtbot.wait(200)
    assert window.stack.currentWidget() is window.getting_started
    window.sidebar.setCurrentRow(2)   # a click or Ctrl+3 still chooses a page
    assert window.stack.currentWidget() is window.page("accounts")


def test_every_page_says_what_to_do_on_an_empty_workspace(window, ws, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(window.importer, "open", lambda path=None, kind=None: opened.append(kind))
    window.open_path(ws.path)
    for key, *_ in PAGES:
        window.show_page(key)
        page = window.page(key)
        if page.needs is None:
            continue
        assert page._empty is not None and page._empty.isVisible(), key
        page._empty.button.click()
        assert opened[-1] == page.needs


def test_a_new_user_goes_from_nothing_to_a_dashboard_and_a_pack(window, ws, qtbot, tmp_path, monkeypatch):
    from tests.core import import_files as F
    files = [F.accounts_xlsx(tmp_path), F.delighted(tmp_path)]
    monkeypatch.setattr("nps_desktop.ui.import_wizard.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(files.pop(0)), ""))
    window.open_path(ws.path)
    checklist = window.getting_started
    def click_step(row):
        checklist.grid.itemAtPosition(row, 2).widget().click()

    for row, kind in enumerate(("accounts", "responses")):
        click_step(row)
        wizard = window.importer.wizard
        qtbot.addWidget(wizard)
        qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
        assert wizard.preview.kind == kind
        wizard.next()
        if not wizard.mapping_page.isComplete():
            wizard.mapping_page.confirm.setChecked(True)   # the user confirms the score column
        wizard.next()
        qtbot.waitUntil(lambda: wizard.summary_page.result is not None, timeout=10000)
        wizard.next()
        qtbot.waitUntil(lambda: wizard.result_page.result is not None, timeout=10000)
        wizard.accept()
    assert ws.scalar("SELECT count(*) FROM accounts") == 3
    assert ws.scalar("SELECT count(*) FROM responses") == 4   # the csat row is not NPS
    click_step(2)
    settings = window.page("settings")
    qtbot.waitUntil(lambda: settings.save_button.isEnabled(), timeout=10000)
    settings.company.setText("Acme Analytics")
    settings.has_goal.setChecked(True)
    settings.goal.setValue(30)
    settings.save_button.click()
    next(a for a in window.help_menu.actions() if a.text() == "&Getting started").trigger()
    qtbot.waitUntil(lambda: all(s.done for s in checklist.steps), timeout=10000)
    checklist.done_button.click()
    dashboard = window.page("dashboard")
    assert window.stack.currentWidget() is dashboard
    # 2 promoters, 1 passive, 1 detractor: NPS +25, whatever the date of the export
    qtbot.waitUntil(lambda: dashboard.tile_nps.value.text() == "+25", timeout=10000)
    reports = window.page("reports")
    window.show_page("reports")
    qtbot.waitUntil(lambda: reports.period.count() > 0, timeout=10000)
    reports.generate(tmp_path / "pack.pdf")
    qtbot.waitUntil(lambda: reports.last_result is not None, timeout=30000)
    assert reports.last_result.pages >= 8
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
