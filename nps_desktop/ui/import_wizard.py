"""The import wizard: what the file is → its columns → the counts before importing → the import.

Every slow step (reading the file, the dry run, the import) runs in a worker with a progress bar and
Cancel, so the window stays responsive; the counts shown before importing come from a full dry run
(``importer.plan``), so they are the counts the import gives. ``install(window)`` adds File ▸ Import…
and lets the user drop a spreadsheet anywhere on the main window.
"""
from __future__ import annotations

from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QMessageBox, QProgressBar, QPushButton, QTableView,
                               QVBoxLayout, QWidget, QWizard, QWizardPage)

from ..core import clock, follow_ups
from ..core.importing import ImportOptions, ImportRefused, batches, importer, mapping
from ..core.importing.presets import PRESET_LABELS
from ..core.importing.values import parse_text
from . import theme
from .widgets.rows_model import Column, RowsModel
from .workers import Task, run_task

KIND_LABELS = {"responses": "Survey responses", "accounts": "Accounts (a CRM list)", "contacts": "Contacts",
               "revenue": "Revenue events"}
FILE_FILTER = ("Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;All files (*)")
PREVIEW_ROWS = 20
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "utf-16-le": "UTF-16 LE",
             "utf-16-be": "UTF-16 BE", "cp1252": "Windows-1252", "latin-1": "Latin-1", "utf-32": "UTF-32",
             "cp932": "Shift-JIS, Japanese", "gb18030": "GBK, Chinese", "big5": "Big5, Chinese",
             "cp949": "Korean Windows encoding"}
SHOWN_REJECTS = 500
_IGNORE_LABEL = "— not imported —"


def _problem_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.DETRACTOR};")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _table(model: RowsModel, stretch_last: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    return view


def counts_text(r: importer.ImportResult) -> str:
    """The counts of a dry run or an import, as the wizard shows them."""
    lines = [f"<b>{r.rows:,}</b> rows read: <b>{r.imported:,}</b> new, <b>{r.updated:,}</b> updated, "
             f"<b>{r.duplicates:,}</b> already in the workspace (duplicates), <b>{r.rejected:,}</b> rejected, "
             f"<b>{r.skipped:,}</b> skipped."]
    if r.skipped_reasons:
        lines.append("Skipped: " + ", ".join(f"{why} ({n:,})" for why, n in sorted(r.skipped_reasons.items())) + ".")
    lines += [escape(note[0].upper() + note[1:]) + "." for note in r.duplicate_notes()]
    for column, n in r.extra.get("blanked", {}).items():
        lines.append(f"“{escape(column)}”: {n:,} cells are not email addresses; they are left blank.")
    if r.kind == "responses":
        share = r.extra.get("mapped_share")
        lines.append("New responses mapped to accounts: " +
                     ("—" if share is None else f"<b>{r.extra.get('mapped', 0):,}</b> ({share:.0%})") + ".")
        if r.extra.get("contacts_created") or r.extra.get("accounts_created"):
            lines.append(f"Contacts created from respondents' emails: {r.extra.get('contacts_created', 0):,}; "
                         f"accounts created from company domains: {r.extra.get('accounts_created', 0):,}.")
    if r.extra.get("relinked"):
        lines.append(f"Responses and contacts linked to accounts afresh: {r.extra['relinked']:,}.")
    return "<br/>".join(lines)


REJECT_COLUMNS = [Column("Row", lambda r: str(r[0]), sort=lambda r: r[0], right=True),
                  Column("Column", lambda r: r[1] or ""), Column("Value", lambda r: r[2] or ""),
                  Column("Reason", lambda r: r[3])]


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


def _cell(v: Any) -> str:
    if v is None:
        return ""
    text = parse_text(v)
    return text if len(text) <= 200 else text[:199] + "…"


class MappingPage(QWizardPage):
    """Each column with sample values and the field it fills; the user confirms the score column."""

    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self.w = wizard
        self.setTitle("Columns")
        self.setSubTitle("Each column of the file, a few of its values, and what it is imported as.")
        layout = QVBoxLayout(self)
        self.model = RowsModel([Column("Column", lambda r: r[0]), Column("Sample values", lambda r: r[1]),
                                Column("Imported as", lambda r: "")])
        self.view = _table(self.model)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.combos: dict[str, QComboBox] = {}
        self.confirm = QCheckBox()
        self.confirm.toggled.connect(self.completeChanged)
        self.dates_row = QWidget()
        dates = QHBoxLayout(self.dates_row)
        dates.setContentsMargins(0, 0, 0, 0)
        self.dates_label = QLabel()
        self.dates = QComboBox()
        self.dates.addItem("choose…", None)
        self.dates.addItem("month/day/year (US)", "mdy")
        self.dates.addItem("day/month/year", "dmy")
        self.dates.activated.connect(lambda i: self.w.adjust(date_order=self.dates.itemData(i)))
        dates.addWidget(self.dates_label)
        dates.addWidget(self.dates)
        dates.addStretch(1)
        self.choices_box = QGroupBox("Chosen columns (click another to switch)")
        self.choices_layout = QVBoxLayout(self.choices_box)
        self.switches: dict[tuple[str, str], QPushButton] = {}   # (field, column) -> its one-click switch
        self.no_date_row = QWidget()
        no_date = QHBoxLayout(self.no_date_row)
        no_date.setContentsMargins(0, 0, 0, 0)
        self.collected_on = QDateEdit()
        self.collected_on.setCalendarPopup(True)
        self.collected_on.setDisplayFormat("yyyy-MM-dd")
        self.use_date = QPushButton("Use this date")
        self.use_date.clicked.connect(lambda: self.w.adjust(
            responded_on=self.collected_on.date().toString("yyyy-MM-dd")))
        self.no_date_label = QLabel("These responses have no date: when were they collected?")
        no_date.addWidget(self.no_date_label)
        no_date.addWidget(self.collected_on)
        no_date.addWidget(self.use_date)
        no_date.addStretch(1)
        self.accounts = QCheckBox("Create accounts from respondents' company email domains "
                                  "(never from gmail, outlook, yahoo and other free mail)")
        self.accounts.toggled.connect(lambda checked: self.w.adjust(accounts_from_domains=checked))
        self.problem = _problem_label()
        save = QHBoxLayout()
        self.profile_name = QLineEdit()
        self.profile_name.setPlaceholderText("a name, e.g. “Salesforce accounts”")
        self.save_button = QPushButton("Save this mapping")
        self.saved = QLabel()
        self.saved.setObjectName("Muted")
        self.save_button.clicked.connect(self.save_profile)
        save.addWidget(QLabel("Save as a profile:"))
        save.addWidget(self.profile_name, 1)
        save.addWidget(self.save_button)
        save.addWidget(self.saved)
        layout.addWidget(self.choices_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.confirm)
        layout.addWidget(self.no_date_row)
        layout.addWidget(self.accounts)
        layout.addWidget(self.dates_row)
        layout.addWidget(self.problem)
        layout.addLayout(save)

    def initializePage(self) -> None:  # noqa: N802 (Qt name)
        self.confirm.setChecked(False)
        self.collected_on.setDate(QDate.fromString(clock.today().isoformat(), "yyyy-MM-dd"))
        self.collected_on.setMaximumDate(self.collected_on.date())
        self.rebuild()

    def rebuild(self) -> None:
        p = self.w.preview
        labels = dict(zip(p.columns, p.table.header.labels))
        self.model.set_rows([(c if labels[c] == c else f"{c}: {labels[c]}", " · ".join(p.samples(c)) or "(empty)")
                             for c in p.columns])
        self.combos = {}
        fields = mapping.fields(p.kind)
        for row, col in enumerate(p.columns):
            combo = QComboBox()
            combo.addItem(_IGNORE_LABEL, mapping.IGNORE)
            for f in fields:
                combo.addItem(f.label, f.name)
            combo.setCurrentIndex(max(0, combo.findData(p.mapping.get(col, mapping.IGNORE))))
            if col in p.score_candidates and p.kind == "responses":
                combo.setToolTip("Every value of this column is 0-10: it could be the score.")
            combo.activated.connect(lambda i, c=col, box=combo: self.choose(c, box.itemData(i)))
            self.view.setIndexWidget(self.model.index(row, 2), combo)
            self.combos[col] = combo
        self.view.resizeColumnToContents(0)
        self.view.setColumnWidth(0, min(self.view.columnWidth(0), 360))
        self.view.setColumnWidth(2, 240)
        self.show_state()

    def show_state(self) -> None:
        p = self.w.preview
        score = p.field_columns().get("score")
        label = dict(zip(p.columns, p.table.header.labels)).get(score, score)
        shown = score if label == score else f"{score} ({label})"
        if shown and len(shown) > 80:
            shown = shown[:79] + "…"
        self.confirm.setVisible(p.kind == "responses")
        self.confirm.setText(f"“{shown}” is the 0-10 recommend question (not every 0-10 column is NPS)"
                             if score else "No score column chosen")
        self.confirm.setToolTip(f"{score}: {label}" if score else "")
        self.confirm.setEnabled(bool(score))
        if not score:
            self.confirm.setChecked(False)
        ambiguous = p.ambiguous_dates is not None or p.options.date_order is not None
        self.dates_row.setVisible(ambiguous)
        if p.ambiguous_dates:
            column, example = p.ambiguous_dates
            self.dates_label.setText(f"Dates in “{column}” such as {example} are written as:")
        self.dates.setCurrentIndex(max(0, self.dates.findData(p.date_order)))
        responses = p.kind == "responses"
        fields = p.field_columns()
        self.no_date_row.setVisible(responses and "responded_at" not in fields)
        if p.options.responded_on:
            self.no_date_label.setText(f"These responses have no date: all are dated {p.options.responded_on}. "
                                       f"Another day?")
        self.accounts.setVisible(responses and "email" in fields)
        self.accounts.blockSignals(True)
        self.accounts.setChecked(p.options.accounts_from_domains)
        self.accounts.blockSignals(False)
        self.show_choices()
        problem = p.problem
        if problem is None and p.ambiguous_dates and p.date_order is None:
            problem = "Say how the dates are written."
        self.problem.setText(str(problem) if problem else "")
        self.completeChanged.emit()

    def show_choices(self) -> None:
        """Score, date, comment and id: the column chosen with its full question, and the alternatives,
        each a button that switches to it."""
        while self.choices_layout.count():
            self.choices_layout.takeAt(0).widget().deleteLater()
        self.switches = {}
        choices = self.w.preview.choices()
        self.choices_box.setVisible(bool(choices))
        for c in choices:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            if c["column"]:
                text = f"<b>{escape(c['label'])}</b>: “{escape(c['column'])}”"
                if c["question"] != c["column"]:
                    text += f" — {escape(c['question'])}"
            elif c.get("given"):
                text = f"<b>{escape(c['label'])}</b>: none in the file; every response dated {c['given']}"
            else:
                text = f"<b>{escape(c['label'])}</b>: none"
            label = QLabel(text)
            label.setWordWrap(True)
            label.setToolTip(f"Chosen by this rule: {c['rule']}.")
            line.addWidget(label, 1)
            for other in c["candidates"][:4]:
                name = other["column"] if len(other["column"]) <= 28 else other["column"][:27] + "…"
                button = QPushButton(f"Use “{name}”")
                button.setToolTip(other["question"])
                button.clicked.connect(lambda checked=False, f=c["field"], col=other["column"]: self.switch(f, col))
                line.addWidget(button)
                self.switches[(c["field"], other["column"])] = button
            self.choices_layout.addWidget(row)

    def switch(self, field: str, column: str) -> None:
        """One click: ``column`` fills ``field`` (the column that did is no longer imported)."""
        combo = self.combos[column]
        combo.setCurrentIndex(max(0, combo.findData(field)))
        self.choose(column, field)

    def choose(self, column: str, field: str) -> None:
        current = dict(self.w.preview.mapping)
        for col, f in list(current.items()):
            if f == field and col != column and field != mapping.IGNORE:
                del current[col]            # a field comes from one column: the new one
                self.combos[col].setCurrentIndex(0)
        if field == mapping.IGNORE:
            current.pop(column, None)
        else:
            current[column] = field
        if field == "score" or self.w.preview.mapping.get(column) == "score":
            self.confirm.setChecked(False)
        self.w.adjust(mapping=current)

    def save_profile(self) -> None:
        name = self.profile_name.text().strip()
        if not name:
            self.saved.setText("Give the mapping a name first.")
            return
        preview = self.w.preview
        run_task(self.w.session.job(lambda ws, p, c: importer.save_profile(ws, preview, name)),
                 owner=self, write=True,
                 on_done=lambda _: (self.saved.setText(f"Saved as “{name}”."), self.w.load_profiles()),
                 on_error=lambda msg, details="": self.saved.setText(msg))

    def isComplete(self) -> bool:  # noqa: N802
        p = self.w.preview
        if p is None or p.problem is not None:
            return False
        if p.ambiguous_dates and p.date_order is None:
            return False
        return p.kind != "responses" or self.confirm.isChecked()


class _RunPage(QWizardPage):
    """A page that runs one job in a worker with a progress bar and Cancel."""

    def __init__(self, wizard: "ImportWizard", title: str):
        super().__init__()
        self.w = wizard
        self.setTitle(title)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.progress = QProgressBar()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.rejects_title = QLabel()
        self.rejects = RowsModel(REJECT_COLUMNS)
        self.rejects_view = _table(self.rejects)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.rejects_title)
        layout.addWidget(self.rejects_view, 1)
        layout.addStretch(0)
        self.task: Task | None = None
        self.result: importer.ImportResult | None = None
        self.failed: str | None = None
        self.finishing = False   # every row is read; what follows the rows is being written

    def start(self, job) -> None:
        self.result, self.failed, self.finishing = None, None, False
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.rejects.set_rows([])
        self.rejects_view.setVisible(False)
        self.rejects_title.setText("")
        task = run_task(self.w.session.job(job), owner=self, write=True, on_progress=self._progress,
                        on_done=lambda r: self._finished(task, r), on_error=lambda m, d="": self._failed(task, m))
        self.task = task
        self.completeChanged.emit()

    def _progress(self, done: int, total: int) -> None:
        if total == importer.FINISHING:
            self.progress.setRange(0, 0)  # busy: the indexes are rebuilt, which cannot be cancelled
            self.cancel_button.setEnabled(False)
            self.status.setText(f"{done:,} rows read; finishing…")
            self.finishing = True
            return
        if self.finishing and self.task is not None and not self.task.cancelled:
            self.cancel_button.setEnabled(True)   # the comment tags and follow-ups can be cancelled
            self.status.setText("Tagging comments and creating follow-up actions…")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    @property
    def running(self) -> bool:
        return self.task is not None

    def _finished(self, task: Task, result: importer.ImportResult) -> None:
        if task is not self.task:
            return
        self.task = None
        self.result = result
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.show_result(result)
        self.rejects_title.setText(f"Rejected rows ({len(result.rejects):,}; row numbers as Excel shows them):"
                                   if result.rejects else "No row is rejected.")
        self.rejects.set_rows(result.rejects[:SHOWN_REJECTS])
        self.rejects_view.setVisible(bool(result.rejects))
        self.rejects_view.resizeColumnsToContents()
        self.completeChanged.emit()

    def _failed(self, task: Task, message: str) -> None:
        if task is not self.task:
            return
        self.task = None
        self.failed = message
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(message)
        self.completeChanged.emit()

    def show_result(self, result: importer.ImportResult) -> None:
        raise NotImplementedError

    def cleanupPage(self) -> None:  # noqa: N802 (Back pressed)
        self.cancel()
        self.task = None

    def isComplete(self) -> bool:  # noqa: N802
        return self.task is None and self.result is not None


class SummaryPage(_RunPage):
    """The counts the import will give (a full dry run), before anything is written."""

    def __init__(self, wizard: "ImportWizard"):
        super().__init__(wizard, "Check before importing")
        self.setSubTitle("Every row was read and checked; nothing is written until you press Import.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")

    def initializePage(self) -> None:  # noqa: N802
        preview = self.w.preview
        self.status.setText("Reading and checking every row…")
        self.start(lambda ws, progress, cancelled: importer.plan(ws, preview, progress, cancelled))

    def show_result(self, result: importer.ImportResult) -> None:
        self.status.setText(counts_text(result) + ("<br/>Nothing new to import." if not (result.imported or
                                                                                         result.updated) else ""))

    def _failed(self, task: Task, message: str) -> None:
        super()._failed(task, "Stopped: nothing was imported." if "cancelled" in message else message)


class ResultPage(_RunPage):
    """The import itself, in one transaction; its outcome and the rejected rows to download."""

    def __init__(self, wizard: "ImportWizard"):
        super().__init__(wizard, "Importing")
        self.setSubTitle("One transaction: every valid row, or nothing.")
        self.download = QPushButton("Download rejected rows (.xlsx)…")
        self.download.clicked.connect(self.download_rejects)
        self.download.setVisible(False)
        self.layout().addWidget(self.download)

    def initializePage(self) -> None:  # noqa: N802
        preview = self.w.preview
        self.download.setVisible(False)
        self.status.setText("Importing…")
        self.start(lambda ws, progress, cancelled: importer.commit(ws, preview, progress, cancelled,
                                                                   follow_ups.STANDARD))

    def show_result(self, result: importer.ImportResult) -> None:
        self.setTitle("Imported")
        if result.batch_id is None:
            self.status.setText("Nothing new was imported: " + counts_text(result))
        else:
            self.status.setText(f"Batch {result.batch_id}: " + counts_text(result) +
                                "<br/>The Imports page lists the batch; it can be undone there.")
        self.download.setVisible(bool(result.rejects))
        self.w.session.notify_changed()
        self.w.imported.emit(result)

    def _failed(self, task: Task, message: str) -> None:
        self.setTitle("Not imported")
        super()._failed(task, "Cancelled: nothing was imported." if "cancelled" in message
                        else f"{message}<br/>Nothing was imported.")

    def download_rejects(self) -> None:
        r = self.result
        default = str(self.w.path.with_name(f"{self.w.path.stem} rejected rows.xlsx"))
        out, _ = QFileDialog.getSaveFileName(self, "Save rejected rows", default, "Excel workbooks (*.xlsx)")
        if out:
            rows = [batches.RejectRow(*x) for x in r.rejects]
            batches.write_rejects_xlsx(rows, out if out.endswith(".xlsx") else out + ".xlsx", r.file)

    def isComplete(self) -> bool:  # noqa: N802
        return self.task is None and (self.result is not None or self.failed is not None)


# -- the wizard ----------------------------------------------------------------------------------
class ImportWizard(QWizard):
    imported = Signal(object)    # the ImportResult of a finished import
    previewed = Signal()         # a preview (or its failure) arrived

    def __init__(self, session, path: str | Path, kind: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.path = Path(path)
        self.options = ImportOptions(kind=kind)
        self.preview: importer.Preview | None = None
        self.profiles: list[mapping.Profile] = []
        self.busy = False
        self.setWindowTitle(f"Import {self.path.name}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(1040, 720)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.summary_page = SummaryPage(self)
        self.result_page = ResultPage(self)
        for page in (self.preview_page, self.mapping_page, self.summary_page, self.result_page):
            self.addPage(page)
        self.load_profiles()
        self.reread()

    def load_profiles(self) -> None:
        self.profiles = mapping.list_profiles(self.session.ws.conn) if self.session.ws else []

    def reread(self, **changes: Any) -> None:
        """Read the file (again) with changed options, in the background."""
        if "sheet" in changes or "profile" in changes:
            changes.setdefault("mapping", None)
        self.options = replace(self.options, **changes)
        options, path = self.options, self.path
        self.busy = True
        self.preview_page.completeChanged.emit()
        run_task(self.session.job(lambda ws, p, c: importer.preview(path, options, ws.conn, strict=False),
                                  read_only=True), owner=self,
                 on_done=self._previewed, on_error=self._preview_failed)

    def _previewed(self, preview: importer.Preview) -> None:
        self.busy = False
        self.preview = preview
        self.options = preview.options
        self.preview_page.show_preview()
        self.previewed.emit()

    def _preview_failed(self, message: str, details: str = "") -> None:
        self.busy = False
        self.preview = None
        self.preview_page.show_failure(message)
        self.previewed.emit()

    def set_kind(self, kind: str) -> None:
        self.adjust(kind=kind, mapping=None, profile=None)
        self.preview_page.show_preview()

    def adjust(self, **changes: Any) -> None:
        """The same file with another kind, mapping or date order (quick: the sample is in memory)."""
        if "mapping" in changes and changes["mapping"] is not None:
            changes.setdefault("profile", None)
            changes.setdefault("source", self.preview.source if self.preview.preset == "generic" else None)
        try:
            self.preview = self.preview.adjust(self.session.ws.conn if self.session.ws else None, **changes)
        except ImportRefused as exc:
            self.preview.problem = exc
        self.options = self.preview.options
        if self.currentPage() is self.mapping_page:
            if "kind" in changes:
                self.mapping_page.rebuild()
            else:
                self.mapping_page.show_state()

    def reject(self) -> None:
        """Closing while a job runs cancels it (an import cancelled rolls back)."""
        for page in (self.summary_page, self.result_page):
            if page.running:
                page.cancel()
        super().reject()


# -- the main window's entry points -------------------------------------------------------------------
class ImportEntry(QObject):
    """File ▸ Import… and dropping files on the main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.wizard: ImportWizard | None = None
        self.action = QAction("&Import a spreadsheet…", window)
        self.action.setShortcut(QKeySequence("Ctrl+I"))
        self.action.triggered.connect(lambda checked=False: self.open())
        window.file_menu.insertAction(window._quit_separator, self.action)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        if obj is self.window and event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if _local_files(event.mimeData()):
                event.acceptProposedAction()
                return True
        if obj is self.window and event.type() == QEvent.Type.Drop:
            files = _local_files(event.mimeData())
            if files:
                event.acceptProposedAction()
                self.open(files[0])
                return True
        return super().eventFilter(obj, event)

    def open(self, path: str | Path | None = None, kind: str | None = None) -> ImportWizard | None:
        """The wizard for ``path`` (asked for when None); a workspace must be open."""
        if self.window.session.ws is None:
            QMessageBox.information(self.window, "Import", "Open or create a workspace first, then import into it.")
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, "Import a spreadsheet", str(Path.home()), FILE_FILTER)
            if not path:
                return None
        self.wizard = ImportWizard(self.window.session, path, kind, self.window)
        self.wizard.setWindowModality(Qt.WindowModality.WindowModal)
        self.wizard.imported.connect(lambda r: self.window.show_page("imports"))
        self.wizard.show()
        return self.wizard


def _local_files(mime) -> list[str]:
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and Path(u.toLocalFile()).is_file()] \
        if mime is not None and mime.hasUrls() else []


def install(window) -> ImportEntry:
    window.importer = ImportEntry(window)
    return window.importer
