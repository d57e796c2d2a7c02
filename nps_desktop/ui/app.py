"""Start the GUI."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from . import theme
from .main_window import APP_TITLE, MainWindow, start_on


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_TITLE)
    app.setOrganizationName("NPS Desktop")
    app.setStyleSheet(theme.STYLE)
    return app


def run_gui(workspace: str | None = None, demo: bool = False) -> int:
    app = make_app()
    window = MainWindow()
    window.show()
    start_on(window, workspace, demo)
    return app.exec()
