"""Unhandled errors: a dialog with "Copy details", a rotating log, and the app keeps running."""
import logging.handlers
import sys
import threading

import pytest
from PySide6.QtCore import QTimer, qWarning
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from nps_desktop.ui import errors
from .gestures import click

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def reporter(qapp):
    rep = errors.install(qapp)
    rep.modal = False
    yield rep
    if rep.dialog is not None:
        rep.dialog.close()
    errors.uninstall()


def _log_text() -> str:
    for handler in errors.log.handlers:
        handler.flush()
    return errors.log_file().read_text(encoding="utf-8")


def _boom():
    raise ValueError("the score column is missing")


def test_an_error_in_a_slot_shows_a_dialog_logs_it_and_the_app_keeps_running(qtbot, reporter):
    QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    dialog = reporter.dialog
    assert "ValueError: the score column is missing" in dialog.message.text()
    assert str(errors.log_file()) in dialog.message.text()
    assert "Traceback" in dialog.detail and "_boom" in dialog.detail
    assert dialog.copy_button.text() == "Copy details"
    click(qtbot, dialog.copy_button)
    assert QGuiApplication.clipboard().text() == dialog.detail
    log = _log_text()
    assert "Unhandled" in log and "the score column is missing" in log and "_boom" in log
    assert not QApplication.closingDown()
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))  # the event loop still runs
    qtbot.waitUntil(lambda: fired == [True])


def test_only_one_dialog_at_a_time_the_rest_go_to_the_log(qtbot, reporter):
    QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    first = reporter.dialog
    QTimer.singleShot(0, lambda: {}["second missing key"])
    qtbot.waitUntil(lambda: "second missing key" in _log_text())
    assert reporter.dialog is first
    first.close()
    qtbot.waitUntil(lambda: reporter.dialog is None)


def test_an_error_in_another_thread_is_shown_on_the_ui_thread(qtbot, reporter):
    shown_in = []
    reporter.reported.connect(lambda *a: shown_in.append(threading.current_thread() is threading.main_thread()))
    t = threading.Thread(target=_boom)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    assert shown_in == [True]
    assert "the score column is missing" in reporter.dialog.message.text()


def test_qt_messages_go_to_the_log(reporter):
    qWarning("a Qt warning worth keeping")
    assert "Qt: a Qt warning worth keeping" in _log_text()


def test_the_log_rotates_in_the_user_log_directory(reporter, tmp_path):
    handler = next(h for h in errors.log.handlers if isinstance(h, logging.handlers.RotatingFileHandler))
    assert errors.log_file().parent == errors.paths.log_dir()
    assert handler.maxBytes == 1_000_000 and handler.backupCount == 5
    assert errors.setup_logging() == errors.log_file()  # installing twice adds no second handler
    assert sum(isinstance(h, logging.handlers.RotatingFileHandler) for h in errors.log.handlers) == 1


def test_install_is_idempotent_and_uninstall_restores_hooks(qapp):
    previous = sys.excepthook
    rep = errors.install(qapp)
    assert errors.install(qapp) is rep
    assert sys.excepthook == rep.excepthook
    errors.uninstall()
    assert sys.excepthook is previous
    assert not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in errors.log.handlers)
