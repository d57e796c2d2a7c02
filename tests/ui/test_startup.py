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


def test_a_descending_column_shows_a_downward_arrow(qapp):
    """The app's style draws a header's sort arrow the way round Fusion does not: ▼ for largest first."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QStyle, QStyleFactory, QStyleOptionHeader

    from nps_desktop.ui import theme

    def arrow(style, indicator) -> QImage:
        image = QImage(24, 24, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        option = QStyleOptionHeader()
        option.rect, option.sortIndicator = QRect(0, 0, 24, 24), indicator
        painter = QPainter(image)
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorHeaderArrow, option, painter)
        painter.end()
        return image

    ours, fusion = theme.fusion_style(), QStyleFactory.create("Fusion")
    up, down = QStyleOptionHeader.SortIndicator.SortUp, QStyleOptionHeader.SortIndicator.SortDown
    # QHeaderView gives a descending column SortUp, which Fusion draws pointing up
    assert arrow(ours, up) == arrow(fusion, down) != arrow(fusion, up)
    assert arrow(ours, down) == arrow(fusion, up)
    ink = [sum(QColor(arrow(ours, up).pixel(x, y)).lightness() < 128 for x in range(24)) for y in range(24)]
    rows = [y for y, n in enumerate(ink) if n]
    assert ink[rows[0]] > ink[rows[-1]]   # wide at the top, narrow at the bottom: ▼
