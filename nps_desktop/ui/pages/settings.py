"""Settings: company name and logo, the NPS goal, the fiscal year, the report's page size."""
from __future__ import annotations

import calendar
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from ...core import settings
from ...core.worth import benchmarks
from .base import Page


class SettingsPage(Page):
    title = "Settings"

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        outer = QVBoxLayout(self)
        heading = QLabel("Settings")
        heading.setObjectName("PageTitle")
        outer.addWidget(heading)
        note = QLabel("Stored in this workspace, so they travel with its file.")
        note.setObjectName("Muted")
        outer.addWidget(note)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)  # a form, not a banner
        S = settings.SETTINGS
        self.company = QLineEdit()
        self.company.setMinimumWidth(420)
        self.company.setPlaceholderText("Your company, as the board pack's cover shows it")
        self.logo_preview = QLabel("No logo")
        self.logo_preview.setFixedSize(180, 60)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setObjectName("Muted")
        choose, remove = QPushButton("Choose…"), QPushButton("Remove")
        choose.clicked.connect(self.choose_logo)
        remove.clicked.connect(self.remove_logo)
        logo_row = QHBoxLayout()
        for w in (self.logo_preview, choose, remove):
            logo_row.addWidget(w)
        logo_row.addStretch(1)
        self.has_goal = QCheckBox("Aim for")
        self.goal = QSpinBox()
        self.goal.setRange(-100, 100)
        self.goal.setValue(40)
        self.goal_date = QDateEdit()
        self.goal_date.setCalendarPopup(True)
        self.goal_date.setDisplayFormat("yyyy-MM-dd")
        self.has_goal.toggled.connect(self.goal.setEnabled)
        self.has_goal.toggled.connect(self.goal_date.setEnabled)
        goal_row = QHBoxLayout()
        for w in (self.has_goal, self.goal, QLabel("by"), self.goal_date):
            goal_row.addWidget(w)
        goal_row.addStretch(1)
        self.fiscal = QComboBox()
        self.fiscal.addItems([calendar.month_name[m] for m in range(1, 13)])
        self.page_size = QComboBox()
        self.page_size.addItems(["A4", "Letter"])
        self.goal_start = QLineEdit()
        self.goal_start.setPlaceholderText("the last complete quarter, or e.g. 2026Q3")
        self.benchmark = QComboBox()
        self.benchmark.addItem("None", None)
        for b in benchmarks.BENCHMARKS.values():
            self.benchmark.addItem(f"{b.industry}: {b.nps:g} (external: {b.source}, {b.year})", b.key)
        for key, field in (("company_name", self.company), ("company_logo", logo_row), ("nps_goal", goal_row),
                           ("nps_goal_start", self.goal_start), ("nps_benchmark", self.benchmark),
                           ("fiscal_year_start_month", self.fiscal), ("page_size", self.page_size)):
            label = QLabel(S[key].label + ":")
            label.setToolTip(S[key].help)
            form.addRow(label, field)
        outer.addLayout(form)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        self.status = QLabel("")
        self.status.setObjectName("Muted")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)
        outer.addLayout(buttons)
        outer.addStretch(1)
        self._logo: bytes | None = None

    def refresh(self) -> None:
        ws = self.session.ws
        self.company.setText(settings.get(ws, "company_name") or "")
        goal = settings.get(ws, "nps_goal")
        self.has_goal.setChecked(goal is not None)
        self.goal.setEnabled(goal is not None)
        self.goal_date.setEnabled(goal is not None)
        if goal is not None:
            self.goal.setValue(int(goal))
        when = settings.get(ws, "nps_goal_date")
        self.goal_date.setDate(QDate.fromString(when, "yyyy-MM-dd") if when else
                               QDate.currentDate().addYears(1))
        self.goal_start.setText(settings.get(ws, "nps_goal_start") or "")
        self.benchmark.setCurrentIndex(max(0, self.benchmark.findData(settings.get(ws, "nps_benchmark"))))
        self.fiscal.setCurrentIndex(int(settings.get(ws, "fiscal_year_start_month")) - 1)
        self.page_size.setCurrentText(settings.get(ws, "page_size"))
        self._show_logo(settings.logo_bytes(ws))
        self.status.setText("")

    def _show_logo(self, data: bytes | None) -> None:
        self._logo = data
        pix = QPixmap()
        if data and pix.loadFromData(data):
            self.logo_preview.setPixmap(pix.scaled(self.logo_preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                   Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo")

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a logo", "", "Images (*.png *.jpg *.jpeg)")
        if path:
            self.set_logo_file(Path(path))

    def set_logo_file(self, path: Path) -> None:
        data = path.read_bytes()
        try:
            settings.set_logo(self.session.ws, data)
        except ValueError as exc:
            self.show_error(f"{path.name}: {exc}.")
            return
        self._show_logo(data)
        self.session.notify_changed()

    def remove_logo(self) -> None:
        settings.set_logo(self.session.ws, None)
        self._show_logo(None)
        self.session.notify_changed()

    def save(self) -> None:
        ws = self.session.ws
        try:  # the typed quarter first: when it is wrong, nothing is saved
            settings.set_value(ws, "nps_goal_start", self.goal_start.text().strip().upper() or None)
            settings.set_value(ws, "company_name", self.company.text().strip())
            settings.set_value(ws, "nps_goal", self.goal.value() if self.has_goal.isChecked() else None)
            settings.set_value(ws, "nps_goal_date", self.goal_date.date().toString("yyyy-MM-dd")
                               if self.has_goal.isChecked() else None)
            settings.set_value(ws, "nps_benchmark", self.benchmark.currentData())
            settings.set_value(ws, "fiscal_year_start_month", self.fiscal.currentIndex() + 1)
            settings.set_value(ws, "page_size", self.page_size.currentText())
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.status.setText("Saved.")
        self.session.notify_changed()
