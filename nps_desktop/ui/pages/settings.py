"""Settings: company name, logo and colour, the NPS goal, the fiscal year, the report's page size, the currency,
and the minimum samples and windows behind the numbers a board reads."""
from __future__ import annotations

import calendar
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QDateEdit, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from ...core import settings
from ...core.worth import benchmarks
from .base import Page


DEFAULT_COLOUR = settings.SETTINGS["brand_color"].default

#: The goal date's "not set" value (the date edit shows "no date set" there).
NO_DATE = QDate(2000, 1, 1)


class SettingsPage(Page):
    title = "Settings"
    SHORTCUTS = [("Save the settings", "Ctrl+S", "")]   # the Save button's own key, listed under Help

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
        self.goal_date.setMinimumDate(NO_DATE)
        self.goal_date.setSpecialValueText("no date set")   # shown at NO_DATE: nothing looks saved that is not
        self.goal.setEnabled(False)
        self.goal_date.setEnabled(False)
        self.has_goal.toggled.connect(self.goal.setEnabled)
        self.has_goal.toggled.connect(self._goal_toggled)
        goal_row = QHBoxLayout()
        for w in (self.has_goal, self.goal, QLabel("by"), self.goal_date):
            goal_row.addWidget(w)
        goal_row.addStretch(1)
        self.fiscal = QComboBox()
        self.fiscal.addItems([calendar.month_name[m] for m in range(1, 13)])
        self.page_size = QComboBox()
        self.page_size.addItems(["A4", "Letter"])
        self.goal_start = QLineEdit()
        self.goal_start.setMinimumWidth(280)   # its placeholder, whole
        self.goal_start.setPlaceholderText("the last complete quarter, or e.g. 2026Q3")
        self.benchmark = QComboBox()
        self.benchmark.addItem("No benchmark", None)
        for b in benchmarks.BENCHMARKS.values():
            self.benchmark.addItem(f"{b.industry}: {b.nps:g} (external: {b.source}, {b.year})", b.key)
        self.currency = QLineEdit()
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(80)
        self.currency.setPlaceholderText(settings.locale_currency())
        self.numbers = {}
        for key, lo, hi, suffix in (("min_responses", 1, 10_000, " responses"), ("min_accounts", 1, 10_000, " accounts"),
                                    ("at_risk_min_contacts", 1, 100, " contacts"),
                                    ("save_window_days", 1, 3650, " days")):
            box = QSpinBox()
            box.setRange(lo, hi)
            box.setSuffix(suffix)
            self.numbers[key] = box
        self.brand = QLineEdit()
        self.brand.setMaximumWidth(110)
        self.brand.setPlaceholderText(DEFAULT_COLOUR)
        self.brand_button = QPushButton("Pick a colour…")
        self.brand_button.clicked.connect(lambda: self.choose_colour())
        brand_row = QHBoxLayout()
        for w in (self.brand, self.brand_button):
            brand_row.addWidget(w)
        brand_row.addStretch(1)
        for key, field in (("company_name", self.company), ("company_logo", logo_row), ("brand_color", brand_row),
                           ("nps_goal", goal_row), ("nps_goal_start", self.goal_start), ("nps_benchmark", self.benchmark),
                           ("fiscal_year_start_month", self.fiscal), ("page_size", self.page_size),
                           ("currency", self.currency), *self.numbers.items()):
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
        self.goal_date.setDate(QDate.fromString(when, "yyyy-MM-dd") if when else NO_DATE)
        self.goal_start.setText(settings.get(ws, "nps_goal_start") or "")
        self.benchmark.setCurrentIndex(max(0, self.benchmark.findData(settings.get(ws, "nps_benchmark"))))
        self.fiscal.setCurrentIndex(int(settings.get(ws, "fiscal_year_start_month")) - 1)
        self.page_size.setCurrentText(settings.get(ws, "page_size"))
        self.currency.setText(ws.get_setting("currency") or "")  # empty: the locale's, shown as placeholder
        for key, box in self.numbers.items():
            box.setValue(int(settings.get(ws, key)))
        self.brand.setText(settings.get(ws, "brand_color"))
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

    def choose_colour(self) -> None:
        """Pick the company colour (the cover, headings and slide titles); saved with Save."""
        colour = QColorDialog.getColor(QColor(self.brand.text().strip() or "#0f2747"), self, "Company colour")
        if colour.isValid():
            self.brand.setText(colour.name())

    def remove_logo(self) -> None:
        settings.set_logo(self.session.ws, None)
        self._show_logo(None)
        self.session.notify_changed()

    def _goal_toggled(self, checked: bool) -> None:
        """A goal being set gets a date a year ahead to start from; switched off, its date shows as unset."""
        self.goal_date.setEnabled(checked)
        if checked and self.goal_date.date() == NO_DATE:
            self.goal_date.setDate(QDate.currentDate().addYears(1))

    def save(self) -> None:
        ws = self.session.ws
        goal = self.has_goal.isChecked()
        values = {"company_name": self.company.text().strip(), "nps_goal": self.goal.value() if goal else None,
                  "nps_goal_date": self.goal_date.date().toString("yyyy-MM-dd")
                  if goal and self.goal_date.date() != NO_DATE else None,
                  "nps_goal_start": self.goal_start.text().strip().upper() or None,
                  "nps_benchmark": self.benchmark.currentData(),
                  "fiscal_year_start_month": self.fiscal.currentIndex() + 1,
                  "page_size": self.page_size.currentText(),
                  "currency": self.currency.text().strip().upper() or None,
                  "brand_color": self.brand.text().strip() or DEFAULT_COLOUR,
                  **{key: box.value() for key, box in self.numbers.items()}}
        try:
            settings.set_values(ws, values)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.session.notify_changed()     # the pages reload (this one too, which clears its status line)
        self.status.setText("Saved.")
