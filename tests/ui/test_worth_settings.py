"""Settings: the goal plan's first quarter and the external benchmark, saved; a wrong quarter saves nothing."""
from PySide6.QtCore import Qt

from nps_desktop.core import settings
from nps_desktop.ui.main_window import MainWindow
from tests.ui.dialogs import OK, answering
from tests.ui.gestures import go, pick


def _page(qtbot, ws):
    w = MainWindow()
    qtbot.addWidget(w)
    w.open_path(ws.path)
    w.show()
    go(qtbot, w, "settings")
    return w.page("settings")


def test_benchmark_and_goal_start_are_saved(qtbot, ws):
    page = _page(qtbot, ws)
    pick(qtbot, page.benchmark, "b2b_services")
    qtbot.keyClicks(page.goal_start, "2026q2")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert settings.get(ws, "nps_benchmark") == "b2b_services" and settings.get(ws, "nps_goal_start") == "2026Q2"
    assert "external" in page.benchmark.currentText()


def test_a_wrong_quarter_saves_nothing(qtbot, ws):
    page = _page(qtbot, ws)
    page.company.setText("Northwind")
    qtbot.keyClicks(page.goal_start, "next spring")
    with answering(OK) as dialogs:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "is not a quarter: write it like 2026Q3" in dialogs.seen[0].text and dialogs.seen[0].is_error
    assert settings.get(ws, "company_name") == "" and settings.get(ws, "nps_goal_start") is None
