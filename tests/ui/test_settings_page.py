from nps_desktop.core import settings
from nps_desktop.ui.main_window import MainWindow


def test_settings_page_saves_to_the_workspace(qtbot, ws, tmp_path):
    w = MainWindow()
    qtbot.addWidget(w)
    w.open_path(ws.path)
    page = w.page("settings")
    w.show_page("settings")
    page.company.setText("Northwind")
    page.has_goal.setChecked(True)
    page.goal.setValue(50)
    page.fiscal.setCurrentIndex(1)
    page.save_button.click()
    assert page.status.text() == "Saved."
    assert settings.get(ws, "company_name") == "Northwind"
    assert settings.get(ws, "nps_goal") == 50
    assert settings.get(ws, "fiscal_year_start_month") == 2
    logo = tmp_path / "logo.png"
    page.logo_preview.grab().save(str(logo))
    page.set_logo_file(logo)
    assert settings.logo_bytes(ws) == logo.read_bytes()
    page.has_goal.setChecked(False)
    page.save_button.click()
    assert settings.get(ws, "nps_goal") is None
