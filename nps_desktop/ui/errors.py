"""Nothing fails silently: unhandled exceptions get a dialog with "Copy details" and go to a log.

``install(app)`` sets ``sys.excepthook`` and ``threading.excepthook`` (PySide6 passes exceptions raised
in slots and event handlers to ``sys.excepthook``, and the app keeps running) and a Qt message handler,
and opens a rotating log (``nps-desktop.log``, 1 MB × 5) in the user log directory. Exceptions from
other threads are shown on the UI thread. While one error dialog is open, further errors are only
logged, so a failing paint event cannot stack up dialogs.
"""
from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from .. import __version__
from ..core import paths

log = logging.getLogger("nps_desktop")
LOG_NAME = "nps-desktop.log"

_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def log_file() -> Path:
    return paths.log_dir() / LOG_NAME


def setup_logging() -> Path:
    """Send the app's log to the rotating file (once per process); return its path."""
    target = log_file()
    for handler in log.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(handler.baseFilename) == target:
            return target
    target.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(target, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return target


def describe(exc_type, exc: BaseException) -> str:
    """One line for the dialog: the message a user can read, else the exception's name."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{exc_type.__name__}: {text}" if text else exc_type.__name__


def details(exc_type, exc: BaseException, tb) -> str:
    """What "Copy details" copies: versions and the traceback."""
    head = (f"NPS Desktop {__version__}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}\n")
    return head + "".join(traceback.format_exception(exc_type, exc, tb))


class ErrorDialog(QDialog):
    """The error, what happens now, the details, and a button that copies them."""

    def __init__(self, summary: str, detail: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("NPS Desktop — something went wrong")
        self.detail = detail
        layout = QVBoxLayout(self)
        self.message = QLabel(f"<b>{_escape(summary)}</b><p>The app is still running. The details below were "
                              f"saved to the log; copy them into a support request:<br>"
                              f"<code>{_escape(str(log_file()))}</code></p>")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.text = QPlainTextEdit(detail)
        self.text.setReadOnly(True)
        self.text.setMinimumSize(560, 180)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.detail)
        self.copy_button.setText("Copied")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ErrorReporter(QObject):
    """Receives every unhandled exception; shows it on the UI thread."""

    reported = Signal(str, str)  # summary, details (queued to the UI thread)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.dialog: ErrorDialog | None = None
        self.modal = True  # tests set False to look at the dialog without blocking
        self.reported.connect(self.show)
        self._previous = (sys.excepthook, threading.excepthook)

    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous[0](exc_type, exc, tb)
            return
        text = details(exc_type, exc, tb)
        log.error("Unhandled %s", text)
        self.reported.emit(describe(exc_type, exc), text)

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def show(self, summary: str, detail: str) -> None:
        if self.dialog is not None:  # one dialog at a time; the rest are in the log
            return
        self.dialog = ErrorDialog(summary, detail, QApplication.activeWindow())
        self.dialog.finished.connect(self._closed)
        if self.modal:
            self.dialog.exec()
        else:
            self.dialog.show()

    def _closed(self) -> None:
        self.dialog = None

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous
        qInstallMessageHandler(None)


def _qt_message(mode, context, message: str) -> None:
    where = f" ({context.file}:{context.line})" if context and context.file else ""
    log.log(_QT_LEVELS.get(mode, logging.WARNING), "Qt: %s%s", message, where)


_reporter: ErrorReporter | None = None


def install(app: QApplication) -> ErrorReporter:
    """Install the hooks and the log for ``app`` (again: the same reporter)."""
    global _reporter
    setup_logging()
    if _reporter is None:
        _reporter = ErrorReporter(app)
        sys.excepthook = _reporter.excepthook
        threading.excepthook = _reporter.thread_hook
        qInstallMessageHandler(_qt_message)
        log.info("NPS Desktop %s started", __version__)
    return _reporter


def uninstall() -> None:
    """Put the previous hooks back and close the log file (tests)."""
    global _reporter
    if _reporter is not None:
        _reporter.uninstall()
        _reporter = None
    for handler in list(log.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            log.removeHandler(handler)
            handler.close()
