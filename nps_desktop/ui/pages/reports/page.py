"""Reports: the quarterly executive review pack (PDF or PowerPoint) with its editor and a preview of its
pages, and Excel/CSV exports.

Both run in the background with a progress bar and Cancel; the pack's pages are previewed as images
drawn by ``pdftoppm`` when it is installed, else as the list of its sections.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QListWidget, QListWidgetItem, QPushButton, QScrollArea, QTabWidget,
                               QVBoxLayout, QWidget)

from ....core import analytics, settings
from ....core.reporting import build, data, excel, pack, preview, sources, tables
from ...workers import Task
from ..base import Page
from .editor import PackEditor
from .job_strip import JobStrip

ALL = "All responses"
WHAT_LABELS = {"responses": "Responses", "accounts": "Accounts", "actions": "Actions", "segments": "Segments"}


class ReportsPage(Page):
    title = "Reports"
    needs = "responses"
    SHORTCUTS = [  # (command, keys, method): the buttons' and the editor's own keys, listed under Help
        ("Generate pack…", "Ctrl+G", ""),
        ("Save the pack's words", "Ctrl+S", ""),
        ("Bold (in the words)", "Ctrl+B", ""),
        ("Bulleted list (in the words)", "Ctrl+Shift+8", ""),
    ]
    empty_text = ("No responses yet. Import survey responses to build the quarterly executive review pack.")

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self._preview_dir = tempfile.TemporaryDirectory(prefix="nps-preview-")
        self.last_result: pack.PackResult | None = None
        self.last_export: tuple[Path, int] | None = None
        outer = QVBoxLayout(self)
        heading = QLabel("Reports")
        heading.setObjectName("PageTitle")
        note = QLabel("The quarterly executive review pack for the board, and exports that open in Excel.")
        note.setObjectName("Muted")
        outer.addWidget(heading)
        outer.addWidget(note)

        body = QHBoxLayout()
        outer.addLayout(body, 1)
        left = QVBoxLayout()
        body.addLayout(left, 0)
        self.tabs = QTabWidget()
        self.editor = PackEditor(self)
        self.tabs.addTab(self.editor, "Edit the pack")
        self.pages_tab = self._preview_box()
        self.tabs.addTab(self.pages_tab, "Pages")
        body.addWidget(self.tabs, 1)

        box = QGroupBox("Executive review pack (PDF or slides)")
        form = QFormLayout(box)
        self.period = QComboBox()
        self.period.setMinimumWidth(160)
        self.segment = QComboBox()
        self.page_size = QComboBox()
        self.page_size.addItems(list(pack.PAGE_SIZES))
        form.addRow("Quarter:", self.period)
        form.addRow("Segment:", self.segment)
        form.addRow("Page size:", self.page_size)
        buttons = QHBoxLayout()
        self.generate_button = QPushButton("Generate pack…")
        self.generate_button.setDefault(True)
        self.generate_button.setToolTip("Build the pack (PDF or PowerPoint) for the quarter and segment above "
                                        "(Ctrl+G)")
        self.generate_button.setShortcut("Ctrl+G")
        self.open_button = QPushButton("Open")
        self.open_button.setEnabled(False)
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.pack_job = JobStrip()
        form.addRow(self.pack_job)
        form.addRow(self.pack_job.status)
        left.addWidget(box)

        ex = QGroupBox("Export a table (.xlsx or .csv)")
        exform = QFormLayout(ex)
        self.what = QComboBox()
        for key in tables.WHAT:
            self.what.addItem(WHAT_LABELS[key], key)
        self.only_quarter = QCheckBox("Only the quarter and segment above")
        self.only_quarter.setChecked(True)
        exform.addRow("Table:", self.what)
        exform.addRow("", self.only_quarter)
        self.export_button = QPushButton("Export…")
        exform.addRow(self.export_button)
        self.export_job = JobStrip()
        exform.addRow(self.export_job)
        exform.addRow(self.export_job.status)
        left.addWidget(ex)
        left.addStretch(1)
        for b in (box, ex):
            b.setMinimumWidth(340)
            b.setMaximumWidth(420)

        self._filling = False
        self.period.currentIndexChanged.connect(lambda *_: self._period_changed())
        self.generate_button.clicked.connect(self.choose_pack_file)
        self.open_button.clicked.connect(self.open_pdf)
        self.export_button.clicked.connect(self.choose_export_file)

    def _preview_box(self) -> QGroupBox:
        box = QGroupBox("Preview")
        layout = QHBoxLayout(box)
        self.thumbs = QListWidget()
        self.thumbs.setViewMode(QListWidget.ViewMode.IconMode)
        self.thumbs.setFlow(QListWidget.Flow.TopToBottom)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(96, 136))
        self.thumbs.setFixedWidth(150)
        self.thumbs.setSpacing(6)
        self.thumbs.currentRowChanged.connect(self.show_page)
        self.page_view = QLabel("Generate the pack to see its pages here.")
        self.page_view.setObjectName("Muted")
        self.page_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_view.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.page_view)
        layout.addWidget(self.thumbs)
        layout.addWidget(scroll, 1)
        self._pages: list[Path] = []
        return box

    # -- options ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        def options(ws, progress, cancelled):
            quarters = [k for k, _ in analytics.trend(ws, analytics.Filters(), "quarter") if k]
            return {"quarters": quarters[::-1], "default": data.default_period(ws),
                    "fiscal_year_start": analytics.fiscal_year_start(ws),
                    "segments": analytics.segment_names(ws),
                    "page_size": settings.get(ws, "page_size") or "A4"}
        self.load(options, self.show_options)

    def show_options(self, opts: dict) -> None:
        keep_period, keep_segment = self.period.currentData(), self.segment.currentData()
        self._filling = True
        self.period.clear()
        for key in opts["quarters"]:
            self.period.addItem(data.quarter_label(key, opts["fiscal_year_start"]), key)
        chosen = keep_period if keep_period in opts["quarters"] else opts["default"]
        if chosen is not None:
            self.period.setCurrentIndex(max(self.period.findData(chosen), 0))
        self.segment.clear()
        self.segment.addItem(ALL, None)
        for name in opts["segments"]:
            self.segment.addItem(name, name)
        self.segment.setCurrentIndex(max(self.segment.findData(keep_segment), 0))
        self.page_size.setCurrentText(opts["page_size"])
        self._filling = False
        self.editor.load(self.period.currentData())
        has_data = bool(opts["quarters"])
        self.generate_button.setEnabled(has_data)
        if not has_data:
            self.pack_job.status.setText("Import responses first: the pack needs at least one quarter of them.")

    def _period_changed(self) -> None:
        if not self._filling:
            self.editor.load(self.period.currentData())

    # -- the pack --------------------------------------------------------------------------------
    def default_pack_name(self) -> str:
        company = sources.company_name(self.session.ws) if self.session.ws else ""
        stem = f"{company} NPS review {self.period.currentData() or ''}".strip()
        if self.segment.currentData():
            stem += f" {self.segment.currentData()}"
        return re.sub(r'[\\/:*?"<>|]+', "-", stem) + ".pdf"

    def choose_pack_file(self) -> None:
        start = str(Path.home() / self.default_pack_name())
        path, chosen = QFileDialog.getSaveFileName(self, "Save the pack as", start,
                                                   "PDF (*.pdf);;PowerPoint slides (*.pptx)")
        if path:
            suffix = ".pptx" if "pptx" in chosen and not path.lower().endswith(".pdf") else ".pdf"
            self.generate(Path(path) if path.lower().endswith((".pdf", ".pptx")) else Path(path + suffix))

    def generate(self, out: Path) -> Task | None:
        """Build the pack (``.pdf`` or ``.pptx``) into ``out`` in the background with the editor's words
        (saved first), then draw the preview of a PDF."""
        if self.pack_job.busy or self.session.ws is None:
            return None
        if self.editor.dirty:
            self.editor.save(then=lambda: self.generate(out))
            return None
        period, segment = self.period.currentData(), self.segment.currentData()
        page_size = self.page_size.currentText()
        preview_dir = Path(self._preview_dir.name)

        def job(ws, progress, cancelled):
            result = build.build_pack(ws, out, period, segment, page_size, progress=progress, cancelled=cancelled)
            return result, preview.render_pages(out, preview_dir) if out.suffix.lower() == ".pdf" else []

        self.generate_button.setEnabled(False)
        self.open_button.setEnabled(False)
        return self.pack_job.start(self.session.job(job, read_only=True), self.pack_done, self.show_error,
                                   f"Building the pack for {self.period.currentText()}…",
                                   on_finish=lambda: self.generate_button.setEnabled(self.period.count() > 0))

    def pack_done(self, outcome: tuple[pack.PackResult, list[Path]]) -> None:
        result, images = outcome
        self.last_result = result
        self.open_button.setEnabled(True)
        missing = f" Not yet in it: {', '.join(sorted(result.data.missing))}." if result.data.missing else ""
        unit = "slides" if result.path.suffix.lower() == ".pptx" else "pages"
        self.pack_job.status.setText(f"Wrote {result.path.name}: {result.pages} {unit} in "
                                     f"{result.seconds:.1f} s.{missing}")
        self.show_preview(result, images)
        self.tabs.setCurrentWidget(self.pages_tab)

    def show_preview(self, result: pack.PackResult, images: list[Path]) -> None:
        self.thumbs.clear()
        self._pages = images
        if images:
            for i, img in enumerate(images, start=1):
                item = QListWidgetItem(QIcon(QPixmap(str(img))), f"Page {i}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
                self.thumbs.addItem(item)
            self.thumbs.setCurrentRow(0)
        else:
            for title in result.sections:
                self.thumbs.addItem(title)
            self.page_view.setText(f"{result.pages} pages: " + " · ".join(result.sections)
                                   + ("\n\nInstall poppler-utils (pdftoppm) to preview the pages here."
                                      if not preview.available() and result.path.suffix.lower() == ".pdf" else ""))

    def show_page(self, row: int) -> None:
        if 0 <= row < len(self._pages):
            self.page_view.setPixmap(QPixmap(str(self._pages[row])))

    def open_pdf(self) -> None:
        if self.last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_result.path)))

    # -- exports ---------------------------------------------------------------------------------
    def choose_export_file(self) -> None:
        what = self.what.currentData()
        scope = f" {self.period.currentData()}" if self.only_quarter.isChecked() and self.period.currentData() else ""
        start = str(Path.home() / f"{what}{scope}.xlsx")
        path, chosen = QFileDialog.getSaveFileName(self, "Export to", start,
                                                   "Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)")
        if path:
            suffix = ".csv" if "csv" in chosen and not path.lower().endswith(".xlsx") else ".xlsx"
            self.export_to(Path(path) if path.lower().endswith((".xlsx", ".csv")) else Path(path + suffix))

    def export_to(self, out: Path) -> Task | None:
        """Write the chosen table to ``out`` (.xlsx or .csv) in the background."""
        if self.export_job.busy or self.session.ws is None:
            return None
        what = self.what.currentData()
        period = self.period.currentData() if self.only_quarter.isChecked() else None
        segment = self.segment.currentData() if self.only_quarter.isChecked() else None

        def job(ws, progress, cancelled):
            filters = data.scope_filters(ws, period, segment) if period else analytics.Filters()
            table = tables.build(ws, what, filters)
            return excel.write(out, table, progress=progress, cancelled=cancelled)

        self.export_button.setEnabled(False)
        return self.export_job.start(self.session.job(job, read_only=True),
                                     lambda n: self.export_done(out, n), self.show_error,
                                     f"Exporting {WHAT_LABELS[what].lower()}…",
                                     on_finish=lambda: self.export_button.setEnabled(True))

    def export_done(self, out: Path, rows: int) -> None:
        self.last_export = (out, rows)
        self.export_job.status.setText(f"Wrote {rows:,} rows to {out.name}.")
