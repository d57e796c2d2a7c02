"""Start the GUI."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from ..core.resources import resource_path
from . import errors, gc_guard, theme
from .main_window import APP_TITLE, MainWindow, start_on
from .workers import stop_all


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_TITLE)
    app.setOrganizationName("NPS Desktop")
    theme.apply_palette(app)
    app.setStyleSheet(theme.STYLE)
    app.setWindowIcon(QIcon(str(resource_path("icons", "app.png"))))
    _add_bundled_fonts()
    gc_guard.install(app)  # garbage holding widgets is freed on the GUI thread, never in a worker
    return app


def _add_bundled_fonts() -> None:
    """In the packaged app, the fonts it carries serve a machine that has none of its own."""
    bundle = getattr(sys, "_MEIPASS", None)
    for font in sorted(Path(bundle, "fonts").glob("*.ttf")) if bundle else []:
        QFontDatabase.addApplicationFont(str(font))


def run_gui(workspace: str | None = None, demo: bool = False, smoke: bool = False) -> int:
    app = make_app()
    errors.install(app)  # no unhandled exception closes the app silently
    window = MainWindow()
    window.show()
    if smoke:
        QTimer.singleShot(0, lambda: _smoke(app, window, workspace))
    else:
        start_on(window, workspace, demo)
    code = app.exec()
    stop_all()  # jobs still running end (a write commits or rolls back) before the process does
    return code


def _smoke(app: QApplication, window: MainWindow, workspace: str | None) -> None:
    """Open ``workspace``, wait for the dashboard's figures, print them and quit (packaging check)."""
    if not workspace or not window.open_path(workspace):
        print(f"smoke: could not open {workspace}", file=sys.stderr)
        app.exit(1)
        return
    page = window.page("dashboard")
    timer = QTimer(window)
    deadline = [200]  # 20 s in 100 ms steps

    def check() -> None:
        deadline[0] -= 1
        if page.last_stats is not None:
            print(f"smoke: opened {workspace}: {page.last_stats['responses']} responses, "
                  f"NPS {page.last_stats['nps']}")
            app.exit(0)
        elif deadline[0] <= 0:
            print("smoke: the dashboard did not load", file=sys.stderr)
            app.exit(1)
    timer.timeout.connect(check)
    timer.start(100)
