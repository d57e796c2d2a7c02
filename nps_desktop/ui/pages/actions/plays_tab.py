"""The actions page's Plays tab: the plays as editable rules, and the history cut-off of imports."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (QCheckBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from ....core import settings
from ....core.loop import plays
from ... import theme
from ...widgets.rows_model import ROW_ROLE, Column, RowsModel
from ...widgets.table_view import table_view
from ...amounts import money
from .common import _buddy
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .page import ActionsPage


CATEGORY_LABELS = {"detractor": "Detractors (0–6)", "passive": "Passives (7–8)", "promoter": "Promoters (9–10)"}


KIND_LABELS = {"rnps": "Relational", "tnps": "Transactional", "enps": "Employee", "partner": "Partner"}


class PlaysTab(QWidget):
    """The plays as editable rules: on or off, name, business days to the due date, a faster SLA above an
    ARR threshold, the programs they follow; and the history cut-off of imports."""

    def __init__(self, page: ActionsPage):
        super().__init__()
        self.page = page
        self.plays: list[plays.Play] = []
        v = QVBoxLayout(self)
        note = QLabel("Each response of a category creates (or updates) one open action per contact and play. "
                      "Changes apply to responses that arrive from now on.")
        note.setObjectName("Muted")
        note.setWordWrap(True)
        v.addWidget(note)
        self.model = RowsModel([
            Column("Play", lambda p: p.name),
            Column("For", lambda p: CATEGORY_LABELS.get(p.category, p.category)),
            Column("On", lambda p: "yes" if p.enabled else "no",
                   color=lambda p: None if p.enabled else theme.TEXT_MUTED),
            Column("Due (business days)", lambda p: str(p.due_business_days), right=True),
            Column("Faster above ARR", lambda p: "—" if p.params.get("high_arr_threshold") is None else
                   f"{money(p.params['high_arr_threshold'])}: {p.params.get('high_arr_due_business_days')} d"),
            Column("Programs", lambda p: ", ".join(KIND_LABELS.get(k, k) for k in p.params.get("kinds", [])))])
        self.view = table_view(self.model)
        self.view.selectionModel().currentRowChanged.connect(self._show)
        v.addWidget(self.view, 1)

        form = QFormLayout()
        self.name = QLineEdit()
        self.enabled = QCheckBox("On: creates actions")
        self.due = QSpinBox()
        self.due.setRange(0, 250)
        self.threshold = QSpinBox()
        self.threshold.setRange(0, 1_000_000_000)
        self.threshold.setSingleStep(10_000)
        self.threshold.setGroupSeparatorShown(True)
        self.threshold.setSpecialValueText("none")
        self.fast_due = QSpinBox()
        self.fast_due.setRange(0, 250)
        kinds_row = QHBoxLayout()
        self.kinds = {k: QCheckBox(label) for k, label in KIND_LABELS.items()}
        for box in self.kinds.values():
            kinds_row.addWidget(box)
        kinds_row.addStretch(1)
        self.save_button = QPushButton("Save play")
        for w in (self.name, self.due, self.threshold, self.fast_due, self.save_button):
            w.setMaximumWidth(320 if w is self.name else 180)
        form.addRow(_buddy("Na&me:", self.name), self.name)
        form.addRow("", self.enabled)
        form.addRow(_buddy("Due in business &days:", self.due), self.due)
        form.addRow(_buddy("Faster for ARR a&bove:", self.threshold), self.threshold)
        form.addRow(_buddy("…due in business days:", self.fast_due), self.fast_due)
        form.addRow("Programs:", kinds_row)
        form.addRow("", self.save_button)
        self.history = QSpinBox()
        self.history.setRange(0, 3650)
        self.history.setSuffix(" days")
        self.history.setToolTip(settings.LOOP_HISTORY_DAYS.help)
        self.history_button = QPushButton("Save cut-off")
        history_row = QHBoxLayout()
        history_row.addWidget(self.history)
        history_row.addWidget(self.history_button)
        history_row.addWidget(QLabel("create no actions: history is history"))
        history_row.addStretch(1)
        form.addRow(_buddy("Imported history older than:", self.history), history_row)
        v.addLayout(form)
        self.save_button.clicked.connect(self.save)
        self.history_button.clicked.connect(self.save_history)

    def set_plays(self, items: list[plays.Play], history_days: int) -> None:
        current = self.current()
        self.plays = items
        self.model.set_rows(items)
        self.view.resizeColumnsToContents()
        keys = [p.key for p in items]
        row = keys.index(current.key) if current and current.key in keys else 0
        if items:
            self.view.selectRow(row)
        self.history.setValue(int(history_days))

    def current(self) -> plays.Play | None:
        index = self.view.currentIndex()
        return self.view.model().data(index, ROW_ROLE) if index.isValid() else None

    def _show(self, *_: Any) -> None:
        p = self.current()
        if p is None:
            return
        self.name.setText(p.name)
        self.enabled.setChecked(p.enabled)
        self.due.setValue(p.due_business_days)
        self.threshold.setValue(int(p.params.get("high_arr_threshold") or 0))
        self.fast_due.setValue(int(p.params.get("high_arr_due_business_days", p.due_business_days)))
        for k, box in self.kinds.items():
            box.setChecked(k in p.params.get("kinds", plays.CUSTOMER_KINDS))

    def edited(self) -> plays.Play | None:
        """The selected play as the form now describes it."""
        p = self.current()
        if p is None:
            return None
        params = {**p.params, "kinds": [k for k, box in self.kinds.items() if box.isChecked()]}
        params.pop("high_arr_threshold", None)
        params.pop("high_arr_due_business_days", None)
        if self.threshold.value():
            params.update(high_arr_threshold=self.threshold.value(), high_arr_due_business_days=self.fast_due.value())
        return replace(p, name=self.name.text().strip(), enabled=self.enabled.isChecked(),
                       due_business_days=self.due.value(), params=params)

    def save(self, *_: Any) -> None:
        play = self.edited()
        if play is not None:
            self.page._apply(lambda ws: plays.save_play(ws, play))

    def save_history(self, *_: Any) -> None:
        days = self.history.value()
        self.page._apply(lambda ws: settings.set_value(ws, settings.LOOP_HISTORY_DAYS, days))
