"""The pack editor: the executive summary (prefilled from the figures), "What we will do next quarter",
the sections switched on and off and reordered, and the chosen quotes, kept per quarter in the workspace;
with a live preview of the page being edited, rendered in the background.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget)

from ....core import clock
from ....core.reporting import data, narrative, pack, preview, richtext, sources, summary
from ....core.reporting.narrative import Words
from ...workers import Task, run_task
from .quotes import open_quote
from .rich_edit import RichEdit

PREVIEW_DELAY_MS = 400
KEY = Qt.ItemDataRole.UserRole


class PackEditor(QWidget):
    """Edits the words of one quarter (``period``); ``dirty`` while changes are not saved."""

    def __init__(self, page, parent: QWidget | None = None):
        super().__init__(parent)
        self.page, self.session = page, page.session
        self.period: str | None = None
        self.figures: data.PackData | None = None
        self.story: narrative.Narrative | None = None
        self.look: dict = {}
        self.dirty = False
        self.preview_key = "summary"
        self.last_preview: list[Path] = []
        self._loading: Task | None = None
        self._rendering: Task | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="nps-pack-edit-")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.render_preview)

        outer = QHBoxLayout(self)
        split = QSplitter()
        outer.addWidget(split)
        words = QWidget()
        left = QVBoxLayout(words)
        left.setContentsMargins(0, 0, 0, 0)
        split.addWidget(words)
        self.summary = RichEdit("The executive summary, in your words")
        self.regenerate_button = QPushButton("Write it from the figures")
        self.regenerate_button.setToolTip("Replace the summary with the sentences written from the quarter's figures")
        head = QHBoxLayout()
        head.addWidget(_title("Executive summary"), 1)
        head.addWidget(self.regenerate_button)
        left.addLayout(head)
        left.addWidget(self.summary, 3)
        left.addWidget(_title("What we will do next quarter"))
        self.next_quarter = RichEdit("What the team will do next quarter")
        left.addWidget(self.next_quarter, 1)

        self.lists = QTabWidget()
        self.sections = QListWidget()
        self.sections.setToolTip("Tick the sections to print; Space switches the selected one")
        self.section_up, self.section_down = QPushButton("Up"), QPushButton("Down")
        self.lists.addTab(_group("Tick the sections to print; Up and Down reorder them", self.sections,
                                 self.section_up, self.section_down), "Sections")
        self.quotes = QListWidget()
        self.quotes.setWordWrap(True)
        self.quote_edit, self.quote_remove = QPushButton("Edit…"), QPushButton("Remove")
        self.quote_up, self.quote_down = QPushButton("Up"), QPushButton("Down")
        self.lists.addTab(_group("Chosen with “Add to pack” on the Responses and Themes pages", self.quotes,
                                 self.quote_edit, self.quote_remove, self.quote_up, self.quote_down), "Quotes")
        left.addWidget(self.lists, 2)

        saving = QHBoxLayout()
        self.save_button = QPushButton("Save words")
        self.save_button.setToolTip("Keep these words for this quarter in the workspace (Ctrl+S)")
        self.save_button.setShortcut("Ctrl+S")
        self.status = QLabel("")
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        saving.addWidget(self.save_button)
        saving.addWidget(self.status, 1)
        left.addLayout(saving)

        box = QGroupBox("Preview of the page being edited")
        bv = QVBoxLayout(box)
        self.preview_view = QLabel("Select a quarter to edit its pack.")
        self.preview_view.setObjectName("Muted")
        self.preview_view.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview_view.setWordWrap(True)
        self.preview_scroll = QScrollArea()
        self.preview_scroll.setWidgetResizable(True)
        self.preview_scroll.setWidget(self.preview_view)
        bv.addWidget(self.preview_scroll)
        split.addWidget(box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([470, 400])

        self.summary.edited.connect(lambda: self._edited("summary"))
        self.next_quarter.edited.connect(lambda: self._edited("next_quarter"))
        self.summary.focused.connect(lambda: self._show("summary"))
        self.next_quarter.focused.connect(lambda: self._show("next_quarter"))
        self.regenerate_button.clicked.connect(lambda: self.write_from_figures())
        self.sections.itemChanged.connect(lambda item: self._edited(item.data(KEY)))
        self.sections.currentItemChanged.connect(lambda item, _prev: self._show(item.data(KEY)) if item else None)
        self.section_up.clicked.connect(lambda: self.move_section(-1))
        self.section_down.clicked.connect(lambda: self.move_section(1))
        self.quotes.currentRowChanged.connect(lambda *_: self._show("quotes"))
        self.quote_edit.clicked.connect(lambda: self.edit_quote())
        self.quote_remove.clicked.connect(lambda: self.change_quote(narrative.remove_quote))
        self.quote_up.clicked.connect(lambda: self.change_quote(lambda ws, qid: narrative.move_quote(ws, qid, -1)))
        self.quote_down.clicked.connect(lambda: self.change_quote(lambda ws, qid: narrative.move_quote(ws, qid, 1)))
        self.save_button.clicked.connect(lambda: self.save())
        self.setEnabled(False)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self.story is not None:   # quotes may have been chosen on another page meanwhile
            self.reload_quotes()

    # -- loading -----------------------------------------------------------------------------------
    def load(self, period: str | None) -> None:
        """Show the words of ``period``: the saved ones, or the summary written from the figures. Unsaved
        words of the quarter shown so far are saved first."""
        if period == self.period and self.dirty:
            self.reload_quotes()
            return
        if self.dirty and self.period:
            self.save(then=lambda: self.load(period))
            return
        self.period = period
        if period is None:
            self.setEnabled(False)
            return
        self.status.setText("Reading the figures of the quarter…")
        page_size = self.page.page_size.currentText() or "A4"

        def job(ws, progress, cancelled):
            figures = data.gather(ws, period, cancelled=cancelled)
            return (figures, narrative.gather(ws, period, figures.filters),
                    {"brand": sources.brand_color(ws), "logo": sources.logo_bytes(ws), "page_size": page_size})

        def done(result) -> None:
            if task is self._loading:
                self.show_words(period, *result)

        task = run_task(self.session.job(job, read_only=True), owner=self, on_done=done,
                        on_error=self.page.show_error)
        self._loading = task

    def show_words(self, period: str, figures: data.PackData, story: narrative.Narrative, look: dict) -> None:
        if period != self.period:
            return
        self.figures, self.story, self.look = figures, story, look
        words = story.words
        self.summary.set_html(words.summary if words.summary is not None else self.generated())
        self.next_quarter.set_html(words.next_quarter or "")
        self.sections.blockSignals(True)
        self.sections.clear()
        for key, on in words.layout(list(pack.SECTIONS)):
            item = QListWidgetItem(pack.SECTIONS[key][0])
            item.setData(KEY, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.sections.addItem(item)
        self.sections.blockSignals(False)
        self.show_quotes(story.quotes)
        self.dirty = False
        self.setEnabled(True)
        label = figures.period_label
        self.status.setText(f"The words saved for {label}." if words.summary is not None else
                            f"The summary is written from the figures of {label}: rewrite it and save.")
        self.schedule_preview()

    def generated(self) -> str:
        return richtext.from_sentences(summary.sentences(self.figures)) if self.figures else ""

    def show_quotes(self, quotes: list[narrative.Quote]) -> None:
        row = self.quotes.currentRow()
        self.quotes.clear()
        for q in quotes:
            item = QListWidgetItem(f"“{q.text}”\n{q.score} · {q.theme_label or 'no theme'} · {q.attribution()}"
                                   + (" · edited" if q.edited else ""))
            item.setData(KEY, q.id)
            self.quotes.addItem(item)
        if self.story is not None:
            self.story.quotes = quotes
        self.quotes.setCurrentRow(min(row, self.quotes.count() - 1))

    def reload_quotes(self) -> None:
        period = self.period
        if period is None:
            return

        def done(quotes: list[narrative.Quote]) -> None:
            if period == self.period:
                self.show_quotes(quotes)
                self.schedule_preview()

        run_task(self.session.job(lambda ws, p, c: narrative.quotes(ws, period), read_only=True), owner=self,
                 on_done=done, on_error=self.page.show_error)

    # -- editing -----------------------------------------------------------------------------------
    def words(self) -> Words:
        """The words as they stand in the editor."""
        layout = [(self.sections.item(i).data(KEY), self.sections.item(i).checkState() == Qt.CheckState.Checked)
                  for i in range(self.sections.count())]
        return Words(self.period or "", self.summary.html(), self.next_quarter.html(), layout)

    def write_from_figures(self) -> None:
        """The summary written from the figures again (Ctrl+Z in the summary brings back what was there)."""
        self.summary.replace_html(self.generated())

    def move_section(self, step: int) -> None:
        row = self.sections.currentRow()
        to = row + step
        if row < 0 or not 0 <= to < self.sections.count():
            return
        self.sections.blockSignals(True)
        item = self.sections.takeItem(row)
        self.sections.insertItem(to, item)
        self.sections.blockSignals(False)
        self.sections.setCurrentRow(to)
        self._edited(item.data(KEY))

    def _edited(self, key: str) -> None:
        self.dirty = True
        self.status.setText("Unsaved changes.")
        self._show(key)

    def _show(self, key: str) -> None:
        self.preview_key = key
        self.schedule_preview()

    def save(self, then: Callable[[], object] = lambda: None) -> Task | None:
        """Keep the words for the quarter (one transaction); ``then`` runs once they are saved."""
        if self.period is None:
            return None
        words = self.words()

        def done(stored: Words) -> None:
            if self.story is not None and stored.period == self.period:
                self.story.words = stored
            if self.words() == words:   # nothing typed while it saved
                self.dirty = False
                self.status.setText(f"Saved at {clock.now():%H:%M}.")
            then()

        self.save_button.setEnabled(False)
        task = run_task(self.session.job(lambda ws, p, c: narrative.save_words(ws, words)), owner=self, write=True,
                        on_done=done, on_error=self.page.show_error)
        task.signals.finished.connect(lambda *_: self.save_button.setEnabled(True))
        task.signals.failed.connect(lambda *_: self.save_button.setEnabled(True))
        return task

    def selected_quote(self) -> int | None:
        item = self.quotes.currentItem()
        return None if item is None else item.data(KEY)

    def edit_quote(self) -> None:
        qid = self.selected_quote()
        quote = next((q for q in (self.story.quotes if self.story else []) if q.id == qid), None)
        if quote is not None:
            open_quote(self.page, self.session, quote.response_id, on_saved=self.reload_quotes)

    def change_quote(self, change: Callable) -> None:
        qid = self.selected_quote()
        if qid is None:
            return
        run_task(self.session.job(lambda ws, p, c: change(ws, qid)), owner=self, write=True,
                 on_done=lambda *_: self.reload_quotes(), on_error=self.page.show_error)

    # -- the preview -------------------------------------------------------------------------------
    def schedule_preview(self) -> None:
        self._timer.start()

    def render_preview(self) -> None:
        """Draw the page being edited in the background (a newer render replaces an older one)."""
        if self.figures is None or self.story is None:
            return
        if not preview.available():
            self.preview_view.setText("Install poppler-utils (pdftoppm) to preview the page here.")
            return
        figures, key, look = self.figures, self.preview_key, self.look
        story = narrative.Narrative(self.words(), list(self.story.quotes), self.story.you_said)
        folder = Path(self._dir.name)

        def job(progress, cancelled):
            out = folder / "page.pdf"
            pack.render_pdf(figures, out, page_size=look["page_size"], logo=look["logo"], words=story,
                            brand=look["brand"], only=[key])
            return preview.render_pages(out, folder / "pages", dpi=96)

        def done(pages: list[Path]) -> None:
            if task is self._rendering:
                self.show_preview(pages)

        task = run_task(job, owner=self, on_done=done,
                        on_error=lambda message, details: self.preview_view.setText(message))
        self._rendering = task

    def show_preview(self, pages: list[Path]) -> None:
        self.last_preview = pages
        if pages:   # the page at the width of the preview
            width = max(self.preview_scroll.viewport().width() - 8, 200)
            self.preview_view.setPixmap(QPixmap(str(pages[0])).scaledToWidth(
                width, Qt.TransformationMode.SmoothTransformation))


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("SectionTitle")
    return label


def _group(note: str, view: QListWidget, *buttons: QPushButton) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    hint = QLabel(note)
    hint.setObjectName("Muted")
    hint.setWordWrap(True)
    layout.addWidget(hint)
    layout.addWidget(view, 1)
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    layout.addLayout(row)
    return box
