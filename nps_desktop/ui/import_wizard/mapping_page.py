"""The wizard's second page: each column mapped to a field, saved as a named profile."""
from __future__ import annotations

from typing import TYPE_CHECKING

from html import escape

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget, QWizardPage)

from ...core import clock
from ...core.importing import importer, mapping
from ..widgets.rows_model import Column, RowsModel
from ..workers import run_task
from .common import _IGNORE_LABEL, _problem_label, _table

if TYPE_CHECKING:
    from .wizard import ImportWizard


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
