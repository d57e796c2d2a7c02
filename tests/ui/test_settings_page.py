from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QPushButton

from nps_desktop.core import settings
from nps_desktop.ui.main_window import MainWindow
from tests.ui.dialogs import OK, Answer, answering
from tests.ui.gestures import click, go, pick, tick


def test_settings_page_saves_to_the_workspace(qtbot, ws, tmp_path):
    w = MainWindow()
    qtbot.addWidget(w)
    w.open_path(ws.path)
    w.show()
    qtbot.waitExposed(w)
    page = w.page("settings")
    go(qtbot, w, "settings")
    page.company.setText("Northwind")
    tick(qtbot, page.has_goal, True)
    page.goal.setValue(50)
    pick(qtbot, page.fiscal, index=1)
    click(qtbot, page.save_button)
    assert page.status.text() == "Saved."
    assert settings.get(ws, "company_name") == "Northwind"
    assert settings.get(ws, "nps_goal") == 50
    assert settings.get(ws, "fiscal_year_start_month") == 2
    logo = tmp_path / "logo.png"
    page.logo_preview.grab().save(str(logo))
    choose = next(b for b in page.findChildren(QPushButton) if b.text() == "Choose…")
    with answering(Answer(fill={"file": str(logo)})) as dialogs:
        qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert dialogs.seen[0].kind == "QFileDialog"
    assert settings.logo_bytes(ws) == logo.read_bytes()
    tick(qtbot, page.has_goal, False)
    click(qtbot, page.save_button)
    assert settings.get(ws, "nps_goal") is None


def test_currency_and_minimum_samples_are_saved_all_or_nothing(qtbot, ws):

    from nps_desktop.ui.amounts import money
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.open_path(ws.path)
    w.show()
    qtbot.waitExposed(w)
    page = w.page("settings")
    go(qtbot, w, "settings")
    qtbot.waitUntil(lambda: page.numbers["min_responses"].value() == 30)
    assert page.numbers["save_window_days"].value() == 180
    page.currency.setText("eur")
    page.numbers["min_responses"].setValue(20)
    page.numbers["at_risk_min_contacts"].setValue(3)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert settings.get(ws, "currency") == "EUR" and settings.get(ws, "min_responses") == 20
    assert settings.get(ws, "at_risk_min_contacts") == 3
    assert money(1234) == "EUR 1,234"                 # every page's money follows the saved currency
    page.currency.setText("E1")
    page.numbers["min_accounts"].setValue(5)
    with answering(OK) as dialogs:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert [d.text for d in dialogs.seen] == ["a currency is a three-letter ISO 4217 code such as EUR or USD"]
    assert settings.get(ws, "currency") == "EUR" and settings.get(ws, "min_accounts") == 10   # nothing saved


def test_an_unset_goal_date_reads_as_unset_and_is_not_saved(qtbot, ws):
    w = MainWindow()
    qtbot.addWidget(w)
    w.open_path(ws.path)
    w.show()
    qtbot.waitExposed(w)
    go(qtbot, w, "settings")
    page = w.page("settings")
    assert page.goal_date.text() == "no date set" and not page.goal_date.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert settings.get(ws, "nps_goal_date") is None
    click(qtbot, page.has_goal)                                   # a goal: its date starts a year ahead
    year_ahead = QDate.currentDate().addYears(1)
    assert page.goal_date.isEnabled() and page.goal_date.date() == year_ahead
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert settings.get(ws, "nps_goal_date") == year_ahead.toString("yyyy-MM-dd")
