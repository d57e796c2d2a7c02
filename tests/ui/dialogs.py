"""Answer the app's real dialogs in UI tests, as a person would.

A modal dialog's ``exec()`` blocks the click that opened it, so the answer is given from inside that
dialog's own event loop: ``answering(...)`` starts a timer before the click; each time it fires it looks
for a modal dialog (``QApplication.activeModalWidget()``) it has not answered yet, fills its fields and
presses OK or Cancel (or Yes / No for a question)::

    with answering(Answer(fill={"Correct score": 8, "Reason": "typed 3"})) as dialogs:
        qtbot.mouseClick(page.detail.correct_button, Qt.MouseButton.LeftButton)
    assert dialogs.seen[0].title == "Correct a mistyped score"

Answers are used in order, one per dialog (a confirmation after a name is a second dialog); a dialog
beyond them gets ``default`` (``None``: the block fails, a dialog nobody expected opened); with
``let_progress=True`` a progress dialog is left to finish by itself, neither answered nor counted. Leaving the
block fails when an answer was not used (the dialog never opened) or a dialog could not be answered
(a field not found; that dialog is cancelled first, so a test never hangs).

Fields are found by object name or by their label (a QFormLayout row's label or a QLabel's buddy,
without "&" and the trailing ":"); a QInputDialog's one value is ``fill={"value": ...}``; a file dialog's
file is ``fill={"file": path}`` (and its file type ``fill={"filter": "PDF (*.pdf)"}``); a colour dialog's
colour is ``fill={"color": "#7a1f3d"}``. Values: text (QLineEdit, QPlainTextEdit, an editable QComboBox), int
(QSpinBox), an item's text (QComboBox), bool (QCheckBox), a date (QDateEdit).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QDate, QObject, QTimer
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QColorDialog, QComboBox, QDateEdit, QDialog,
                               QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout, QInputDialog, QLabel,
                               QLineEdit, QMessageBox, QPlainTextEdit, QProgressDialog, QSpinBox, QTextEdit,
                               QWidget, QWizard)

#: How many timer ticks (~10 s; more on a loaded machine) an answered dialog may stay the active modal one (its validation may be
#: showing a message box, which is answered meanwhile) before the answerer gives up and cancels it.
STUCK_TICKS = 2000


@dataclass
class Answer:
    """How to answer one dialog: fill these fields, then accept (OK, Yes) or not (Cancel, No).
    ``button``: the text of a button to press instead (e.g. "Replace"); ``check``: called with the
    dialog before it is answered (assert what it shows)."""
    fill: dict[str, Any] = field(default_factory=dict)
    accept: bool = True
    button: str | None = None
    check: Callable[[QWidget], None] | None = None


CANCEL = Answer(accept=False)
OK = Answer()


@dataclass
class Seen:
    """A dialog that was answered: its class, title, text (a message box's, an input dialog's label) and
    a message box's icon."""
    kind: str
    title: str
    text: str
    icon: Any = None
    answer: Answer | None = None

    @property
    def is_error(self) -> bool:
        return self.icon in (QMessageBox.Icon.Critical, QMessageBox.Icon.Warning) \
            or self.title.startswith("NPS Desktop — something went wrong")


def describe(dialog: QWidget) -> Seen:
    text, icon = "", None
    if isinstance(dialog, QMessageBox):
        text, icon = dialog.text(), dialog.icon()
    elif isinstance(dialog, QInputDialog):
        text = dialog.labelText()
    else:
        labels = [lbl.text() for lbl in dialog.findChildren(QLabel) if lbl.isVisibleTo(dialog) and lbl.text()]
        text = labels[0] if labels else ""
    return Seen(type(dialog).__name__, dialog.windowTitle(), text, icon)


def _plain(text: str) -> str:
    return text.replace("&", "").strip().rstrip(":").strip()


def find_field(dialog: QWidget, key: str) -> QWidget:
    """The input widget named ``key`` (object name) or labelled ``key``."""
    named = dialog.findChild(QWidget, key)
    if named is not None:
        return named
    for form in dialog.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            fld = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or fld is None or not isinstance(label.widget(), QLabel):
                continue
            if _plain(label.widget().text()) == _plain(key):
                if fld.widget() is not None:
                    return fld.widget()
                layout = fld.layout()
                for i in range(layout.count() if layout else 0):
                    w = layout.itemAt(i).widget()
                    if w is not None and not isinstance(w, (QLabel, QAbstractButton)):
                        return w
    for label in dialog.findChildren(QLabel):
        if label.buddy() is not None and _plain(label.text()) == _plain(key):
            return label.buddy()
    for box in dialog.findChildren(QCheckBox):
        if _plain(box.text()) == _plain(key):
            return box
    raise LookupError(f"no field {key!r} in the dialog {dialog.windowTitle()!r}")


def set_value(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QLineEdit):
        widget.setFocus()
        widget.selectAll()
        widget.del_()
        QTest.keyClicks(widget, str(value))   # typed: textEdited fires as it does for a person
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value))
    elif isinstance(widget, QTextEdit):
        widget.setPlainText(str(value))
    elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.setValue(value)
    elif isinstance(widget, QComboBox):
        i = widget.findText(str(value))
        if i >= 0:
            widget.setCurrentIndex(i)
        elif widget.isEditable():
            widget.setEditText(str(value))
        else:
            raise LookupError(f"no item {value!r} in {[widget.itemText(j) for j in range(widget.count())]}")
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QDateEdit):
        widget.setDate(QDate(value) if isinstance(value, date) else QDate.fromString(str(value), "yyyy-MM-dd"))
    else:
        raise TypeError(f"cannot fill a {type(widget).__name__}")


def _press(dialog: QWidget, answer: Answer) -> None:
    if isinstance(dialog, QMessageBox):
        if answer.button is not None:
            target = next(b for b in dialog.buttons() if _plain(b.text()) == _plain(answer.button))
        else:
            roles = ({QMessageBox.ButtonRole.AcceptRole, QMessageBox.ButtonRole.YesRole} if answer.accept else
                     {QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole})
            target = next((b for b in dialog.buttons() if dialog.buttonRole(b) in roles), None) \
                or dialog.escapeButton() or (dialog.defaultButton() if answer.accept else None)
        if target is None:
            dialog.reject()
        else:
            target.click()
        return
    if isinstance(dialog, QInputDialog):
        dialog.accept() if answer.accept else dialog.reject()
        return
    if isinstance(dialog, QFileDialog):
        dialog.accept() if answer.accept else dialog.reject()
        return
    if isinstance(dialog, QProgressDialog):
        dialog.cancel()
        return
    if isinstance(dialog, QWizard):
        if answer.accept:
            raise TypeError("a wizard is driven page by page, not answered at once")
        dialog.reject()
        return
    if answer.button is not None:
        buttons = [b for b in dialog.findChildren(QAbstractButton) if _plain(b.text()) == _plain(answer.button)]
        if not buttons:
            raise LookupError(f"no button {answer.button!r} in {dialog.windowTitle()!r}")
        buttons[0].click()
        return
    box = dialog.findChild(QDialogButtonBox)
    if box is not None:
        wanted = (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole) if answer.accept \
            else (QDialogButtonBox.ButtonRole.RejectRole, QDialogButtonBox.ButtonRole.NoRole)
        for b in box.buttons():
            if box.buttonRole(b) in wanted and b.isEnabled():
                b.click()        # through the button: the dialog's own checks run
                return
    if isinstance(dialog, QDialog):
        dialog.accept() if answer.accept else dialog.reject()
    else:
        dialog.close()


def _fill(dialog: QWidget, fill: dict[str, Any]) -> None:
    for key, value in fill.items():
        if isinstance(dialog, QInputDialog) and key == "value":
            if dialog.inputMode() == QInputDialog.InputMode.IntInput:
                dialog.setIntValue(int(value))
            elif dialog.inputMode() == QInputDialog.InputMode.DoubleInput:
                dialog.setDoubleValue(float(value))
            else:
                dialog.setTextValue(str(value))
        elif isinstance(dialog, QFileDialog) and key == "file":
            dialog.selectFile(str(value))
        elif isinstance(dialog, QFileDialog) and key == "filter":
            if str(value) not in dialog.nameFilters():
                raise LookupError(f"no file type {value!r} in {dialog.nameFilters()}")
            dialog.selectNameFilter(str(value))
        elif isinstance(dialog, QColorDialog) and key == "color":
            dialog.setCurrentColor(QColor(str(value)))
        else:
            set_value(find_field(dialog, key), value)


def _close(dialog: QWidget) -> None:
    if isinstance(dialog, QProgressDialog):
        dialog.cancel()
    elif isinstance(dialog, QDialog):
        dialog.reject()
    else:
        dialog.close()


class Answerer(QObject):
    """Answers each new modal dialog with the next answer (see the module's docstring)."""

    def __init__(self, answers: list[Answer], default: Answer | None = None, interval: int = 5,
                 let_progress: bool = False):
        super().__init__()
        self.answers = list(answers)
        self.default = default
        self.let_progress = let_progress
        self.seen: list[Seen] = []
        self.errors: list[str] = []
        self._done: list[QWidget] = []
        self._stuck = 0
        self.timer = QTimer(self)
        self.timer.setInterval(interval)
        self.timer.timeout.connect(self._tick)

    def start(self) -> "Answerer":
        self.timer.start()
        return self

    def stop(self) -> None:
        self.timer.stop()

    @property
    def unused(self) -> list[Answer]:
        return self.answers

    def _tick(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            return
        if self.let_progress and isinstance(dialog, QProgressDialog):
            return     # the work it shows finishes by itself: not a dialog to answer
        if any(dialog is d for d in self._done):
            self._stuck += 1
            if self._stuck > STUCK_TICKS:   # answered, yet still open: say so and get it out of the way
                self.errors.append(f"the dialog {dialog.windowTitle()!r} stayed open after its answer")
                self._stuck = 0
                _close(dialog)
            return
        self._stuck = 0
        self._done.append(dialog)
        seen = describe(dialog)
        self.seen.append(seen)
        answer = self.answers.pop(0) if self.answers else self.default
        if answer is None:
            self.errors.append(f"an unexpected dialog opened: {seen}")
            _close(dialog)
            return
        seen.answer = answer
        try:
            if answer.check is not None:
                answer.check(dialog)
            _fill(dialog, answer.fill)
            _press(dialog, answer)
        except Exception as exc:   # noqa: BLE001 (reported when the block ends; the dialog must not stay)
            self.errors.append(f"{seen.title!r}: {type(exc).__name__}: {exc}")
            _close(dialog)


class answering:  # noqa: N801 (used as a context manager, like a function)
    """``with answering(Answer(...), ...) as dialogs:`` — see the module's docstring."""

    def __init__(self, *answers: Answer, default: Answer | None = None, strict: bool = True,
                 let_progress: bool = False):
        self.answerer = Answerer(list(answers), default, let_progress=let_progress)
        self.strict = strict

    def __enter__(self) -> Answerer:
        return self.answerer.start()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.answerer.stop()
        if exc_type is not None or not self.strict:
            return
        assert not self.answerer.errors, self.answerer.errors
        assert not self.answerer.unused, f"expected {len(self.answerer.unused)} more dialog(s); seen: " \
                                         f"{self.answerer.seen}"


def visible_dialogs() -> list[QWidget]:
    """The top-level dialogs showing now (modal or not)."""
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QDialog)]
