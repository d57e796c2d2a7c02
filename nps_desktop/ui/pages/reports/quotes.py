"""Choosing a verbatim for the pack ("Add to pack" on the Responses and Themes pages, "Edit…" in the pack
editor): the words as printed, typos fixed, with the original shown and kept; the name hidden unless
asked for. Reads and writes run in the background; the dialog is window-modal and does not block. The
responses themselves do not change, so the other pages are not reloaded; the pack editor reads the
quotes again whenever it is shown.
"""
from __future__ import annotations

from html import escape
from typing import Callable

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout,
                               QWidget)

from ....core.reporting import formats as f
from ....core.reporting import narrative
from ....core.reporting.data import quarter_label
from ...workers import run_task


class QuoteDialog(QDialog):
    """The quote of one response: its text (editable), the original, who said it, and the name switch."""

    def __init__(self, quote: narrative.Quote, parent: QWidget | None = None):
        super().__init__(parent)
        self.quote = quote
        self.setWindowTitle("Add to pack" if not quote.id else "Edit the quote")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        head = QLabel(f"For the pack of <b>{escape(quarter_label(quote.period))}</b> · score <b>{quote.score}</b>"
                      + (f" · theme <b>{escape(quote.theme_label)}</b>" if quote.theme_label else "")
                      + f" · {escape(f.day(quote.responded_on))}")
        layout.addWidget(head)
        layout.addWidget(QLabel("As printed (fix typing errors; the original is kept):"))
        self.text = QPlainTextEdit(quote.text)
        self.text.setMinimumHeight(90)
        layout.addWidget(self.text)
        original = QLabel(f"<i>Original:</i> {escape(quote.original)}")
        original.setObjectName("Muted")
        original.setWordWrap(True)
        layout.addWidget(original)
        self.show_name = QCheckBox("Show the respondent's and the account's name")
        self.show_name.setChecked(quote.show_name)
        self.who = QLabel()
        self.who.setObjectName("Muted")
        self.show_name.toggled.connect(lambda *_: self._who())
        self._who()
        layout.addWidget(self.show_name)
        layout.addWidget(self.who)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add to pack" if not quote.id else "Save")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _who(self) -> None:
        self.quote.show_name = self.show_name.isChecked()
        self.who.setText("Printed as: " + escape(self.quote.attribution()))


def open_quote(owner: QWidget, session, response_id: int, theme: str | None = None,
               on_saved: Callable[[], None] = lambda: None) -> None:
    """Read the response's draft quote, ask, and save what the user accepts (errors shown on ``owner``)."""
    def failed(message: str, details: str = "") -> None:
        show = getattr(owner, "show_error", None)
        if show is not None:
            show(message, details)

    def ask(quote: narrative.Quote) -> None:
        dialog = QuoteDialog(quote, owner)
        dialog.accepted.connect(lambda: save(dialog))
        dialog.finished.connect(lambda *_: dialog.deleteLater())
        dialog.open()

    def save(dialog: QuoteDialog) -> None:
        q, text, show = dialog.quote, dialog.text.toPlainText(), dialog.show_name.isChecked()

        def job(ws, progress, cancelled):
            if q.id:
                narrative.update_quote(ws, q.id, text, show)
            else:
                narrative.add_quote(ws, q.response_id, text, theme=q.theme, show_name=show, period=q.period)

        def saved(_result) -> None:
            bar = getattr(owner.window(), "statusBar", None)
            if bar is not None:
                bar().showMessage(f"Quote {'saved' if q.id else 'added'} for the pack of "
                                  f"{quarter_label(q.period)}.", 6000)
            on_saved()

        run_task(session.job(job), owner=owner, write=True, on_done=saved, on_error=failed)

    run_task(session.job(lambda ws, p, c: narrative.draft_quote(ws, response_id, theme), read_only=True),
             owner=owner, on_done=ask, on_error=failed)
