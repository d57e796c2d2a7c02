"""The wizard's first page: what the file is (kind, tool, sheet, encoding, header row) and its first rows."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (QComboBox, QFormLayout, QLabel, QVBoxLayout, QWizardPage)

from ...core.importing.presets import PRESET_LABELS
from ..widgets.rows_model import Column, RowsModel
from .common import ENCODINGS, KIND_LABELS, PREVIEW_ROWS, _cell, _problem_label, _table

if TYPE_CHECKING:
    from .wizard import ImportWizard


# -- pages ---------------------------------------------------------------------------------------
class PreviewPage(QWizardPage):
    """What the file is: its kind, the tool that wrote it, its first rows."""

    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self.w = wizard
        self.setTitle("What is in the file")
        self.setSubTitle("The file's format, what it holds, and its first rows as they will be read.")
        layout = QVBoxLayout(self)
        self.about = QLabel("Reading the file…")
        self.about.setWordWrap(True)
        form = self.form = QFormLayout()
        self.sheet = QComboBox()
        self.kind = QComboBox()
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.profile = QComboBox()
        form.addRow("Sheet:", self.sheet)
        form.addRow("This file holds:", self.kind)
        form.addRow("Saved mapping:", self.profile)
        self.problem = _problem_label()
        self.model = RowsModel([])
        self.view = _table(self.model, stretch_last=False)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(QLabel(f"The first {PREVIEW_ROWS} rows:"))
        layout.addWidget(self.view, 1)
        self.sheet.activated.connect(lambda i: self.w.reread(sheet=self.sheet.itemText(i)))
        self.kind.activated.connect(lambda i: self.w.set_kind(self.kind.itemData(i)))
        self.profile.activated.connect(lambda i: self.w.reread(profile=self.profile.itemData(i)))

    def show_preview(self) -> None:
        p = self.w.preview
        src = p.table.source
        if src.format == "csv":
            sep = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(src.delimiter, src.delimiter)
            what = f"a text file ({ENCODINGS.get(src.encoding, src.encoding)}, {sep}-separated)"
        else:
            what = {"xlsx": "an Excel workbook", "xls": "an Excel 97-2003 workbook",
                    "ods": "an OpenDocument spreadsheet"}.get(src.format, "a workbook")
            what += f" (sheet “{src.sheet}”)"
        tool = f"Recognised as a <b>{PRESET_LABELS[p.preset]}</b> export. " if p.preset != "generic" else ""
        header = (f"The header is on row {p.table.header.row + 1}" +
                  (f" ({p.table.header.depth} header rows)" if p.table.header.depth > 1 else "") + ".")
        rows = (f"{p.table.estimated_rows:,} data rows" if p.table.complete or src.grid is not None
                else f"about {p.table.estimated_rows:,} data rows")
        self.about.setText(f"<b>{p.table.name}</b> is {what} with {len(p.columns)} columns and {rows}. "
                           f"{tool}{header}")
        self.sheet.clear()
        self.sheet.addItems(src.sheets)
        self.sheet.setCurrentText(src.sheet or "")
        self.form.setRowVisible(self.sheet, len(src.sheets) > 1)
        self.kind.setCurrentIndex(max(0, self.kind.findData(p.kind)) if p.kind else -1)
        self.profile.clear()
        self.profile.addItem("(none: suggest from the file)", None)
        for prof in self.w.profiles:
            self.profile.addItem(f"{prof.name} ({prof.kind})", prof.name)
        self.profile.setCurrentIndex(max(0, self.profile.findData(p.options.profile)))
        self.problem.setText(str(p.problem) if p.problem and p.kind is None else "")
        self.model.columns = [Column("Row", lambda r: str(r[0]), right=True)] + [
            Column(name, lambda r, i=i: _cell(r[1][i]), tooltip=lambda r, i=i: _cell(r[1][i]))
            for i, name in enumerate(p.columns)]
        self.model.set_rows(p.table.sample[:PREVIEW_ROWS])
        self.view.resizeColumnsToContents()
        for i in range(len(p.columns) + 1):
            self.view.setColumnWidth(i, min(self.view.columnWidth(i), 260))
        self.completeChanged.emit()

    def show_failure(self, message: str) -> None:
        self.about.setText(f"<b>{self.w.path.name}</b> cannot be imported.")
        self.problem.setText(message)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt name)
        return self.w.preview is not None and self.w.preview.kind is not None and not self.w.busy
