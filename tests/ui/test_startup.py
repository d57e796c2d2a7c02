"""The window appears fast: heavy libraries load only when a page needs them."""
import os
import subprocess
import sys

HEAVY = ("pandas", "pyqtgraph", "openpyxl", "reportlab", "python_calamine")


def test_main_window_shows_without_heavy_imports(tmp_path):
    code = ("from nps_desktop.ui.app import make_app\n"
            "from nps_desktop.ui.main_window import MainWindow\n"
            "import sys\n"
            "app = make_app(); w = MainWindow(); w.show(); app.processEvents()\n"
            f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NPS_DESKTOP_HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_dark_and_light_palettes(qapp):
    from PySide6.QtGui import QPalette

    from nps_desktop.ui import theme
    assert theme.apply_palette(qapp, "dark") == "dark"
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert theme.apply_palette(qapp, "light") == "light"
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 180
