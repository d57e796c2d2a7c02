"""Planner: who to survey when, within the fatigue rules.

For a date range: the send list (who, when, which program, which trigger), every excluded contact with
the rule that excluded them, a calendar of waves with counts, export for the survey tool, marking a wave
sent, response rates per wave and program, and the editors of the fatigue rules and the programs.
Planning, recording and matching run in the background; every figure comes from ``core.cadence``.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
                               QProgressBar, QPushButton, QSpinBox, QSplitter, QTableView, QTabWidget,
                               QVBoxLayout, QWidget)

from ....core.cadence import explain, programs as prog_core, rules as rules_core, waves
from ....core.cadence.export import EXCLUDED_COLUMNS, PLANNED_COLUMNS, excluded_rows, planned_rows
from ....core.cadence.planner import Plan, plan as plan_workspace
from ....core.words import plural
from ...widgets.rows_model import ROW_ROLE, Column, RowsModel
from ...widgets.table_export import ask_path, export_button, write_in_background
from ...workers import Task, run_task
from ..base import Page
from ....core import clock
from .day_grid import DayGridModel
from .views import ALL, DEFAULT_DAYS, EXCLUDED_VIEW, PLANNED_VIEW, PROGRAM_VIEW, RATE_BY_PROGRAM, RATE_BY_WAVE, WAVE_VIEW, WEEKDAYS, _button, _fill, _muted, _row, _table


class PlannerPage(Page):
    title = "Planner"
    needs = "contacts"
    empty_text = ("No contacts yet. Import your contacts (email, account, role) to plan who to survey when, within "
                  "the fatigue rules.")
    summary = "Who to survey when, within the fatigue rules."

    plan_ready = Signal()          # a new plan is shown
    wave_marked = Signal(str, int)  # wave, invitations recorded
    rates_ready = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.today: date | None = None
        self.plan: Plan | None = None
        self.planned: list = []
        self.excluded: list = []
        self._plan_task: Task | None = None

        layout = QVBoxLayout(self)
        heading = QLabel("Planner")
        heading.setObjectName("PageTitle")
        layout.addWidget(heading)
        layout.addWidget(_muted("The send list for a date range, planned from the programs under the fatigue "
                                "rules. Export it for your survey tool, then mark each wave sent once it has "
                                "gone out: sent invitations count toward the rules and answers are matched back."))
        layout.addLayout(self._range_bar())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._send_tab(), "Send list")
        self.tabs.addTab(self._excluded_tab(), "Excluded")
        self.tabs.addTab(self._calendar_tab(), "Calendar")
        self.tabs.addTab(self._rates_tab(), "Response rates")
        self.tabs.addTab(self._rules_tab(), "Rules and programs")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)

    # -- building --------------------------------------------------------------------------------------
    def _range_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        today = clock.today()
        self.date_from = QDateEdit(QDate(today))
        self.date_to = QDateEdit(QDate(today + timedelta(days=DEFAULT_DAYS)))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.plan_button = QPushButton("&Plan")
        self.plan_button.setToolTip("Plan the active programs over these dates")
        self.plan_button.clicked.connect(self.replan)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_plan)
        self.status = QLabel("")
        self.export = export_button(self, lambda suffix: self.export_send_list(suffix=suffix), "Export send list")
        label = QLabel("&From")
        label.setBuddy(self.date_from)
        for w in (label, self.date_from, QLabel("to"), self.date_to, self.plan_button, self.progress,
                  self.cancel_button, self.status):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.export)
        return bar

    def _filtered_table(self, label: str, combo: QComboBox, columns: list[Column], left=(), right=()
                        ) -> tuple[QWidget, RowsModel, QTableView]:
        """A tab: a labelled filter ``combo`` with widgets beside it, over a table of ``columns``."""
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        buddy = QLabel(label)
        buddy.setBuddy(combo)
        for w in (buddy, combo, *left):
            row.addWidget(w)
        row.addStretch(1)
        for w in right:
            row.addWidget(w)
        layout.addLayout(row)
        model = RowsModel(columns, self)
        view = _table(model)
        layout.addWidget(view)
        return tab, model, view

    def _send_tab(self) -> QWidget:
        self.wave_filter = QComboBox()
        self.wave_filter.setMinimumContentsLength(34)
        self.wave_filter.currentIndexChanged.connect(self._show_send_list)
        self.mark_button = QPushButton("Mark this wave sent…")
        self.mark_button.setToolTip("Record the invitations of the chosen wave as sent by your survey tool")
        self.mark_button.clicked.connect(lambda: self.confirm_mark_sent(self.wave_filter.currentData()))
        tab, self.send_model, self.send_view = self._filtered_table("&Wave", self.wave_filter, PLANNED_VIEW,
                                                                    left=(self.mark_button,))
        return tab

    def _excluded_tab(self) -> QWidget:
        self.rule_filter = QComboBox()
        self.rule_filter.currentIndexChanged.connect(self._show_excluded)
        self.export_excluded = export_button(self, lambda suffix: self.export_excluded_list(suffix=suffix),
                                             "Export excluded")
        tab, self.excluded_model, self.excluded_view = self._filtered_table(
            "&Rule", self.rule_filter, EXCLUDED_VIEW, right=(self.export_excluded,))
        return tab

    def _calendar_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.wave_model = RowsModel(WAVE_VIEW, self)
        self.wave_view = _table(self.wave_model, stretch_last=False)
        self.wave_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.wave_view.selectionModel().selectionChanged.connect(self._wave_selected)
        left_layout.addWidget(self.wave_view)
        self.wave_mark_button = _button("Mark sent…", lambda: self.confirm_mark_sent(self.selected_wave()))
        self.wave_show_button = _button("Show its send list", self._show_selected_wave)
        self.wave_mark_button.setEnabled(False)
        self.wave_show_button.setEnabled(False)
        left_layout.addLayout(_row(self.wave_mark_button, self.wave_show_button))
        split.addWidget(left)
        self.day_model = DayGridModel(self)
        self.day_view = QTableView()
        self.day_view.setModel(self.day_model)
        self.day_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.day_view.verticalHeader().setDefaultSectionSize(44)
        self.day_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        split.addWidget(self.day_view)
        split.setSizes([520, 480])
        layout.addWidget(split)
        return tab

    def _rates_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.match_button = QPushButton("Match responses and update")
        self.match_button.clicked.connect(self.refresh_rates)
        self.rates_status = _muted("")
        row.addWidget(self.match_button)
        row.addWidget(self.rates_status, 1)
        layout.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        self.rate_wave_model = RowsModel(RATE_BY_WAVE, self)
        self.rate_program_model = RowsModel(RATE_BY_PROGRAM, self)
        self.rate_wave_view, self.rate_program_view = _table(self.rate_wave_model), _table(self.rate_program_model)
        for title, view in (("By wave", self.rate_wave_view), ("By program", self.rate_program_view)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(view)
            split.addWidget(box)
        layout.addWidget(split)
        return tab

    def _rules_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        rules_box = QGroupBox("Fatigue rules")
        form = QFormLayout(rules_box)
        self.rule_spins: dict[str, QSpinBox] = {}
        for name, (label, help_text, lo, hi) in rules_core.NUMBER_RULES.items():
            spin = QSpinBox()
            spin.setRange(lo, min(hi, 2_000_000_000))
            spin.setToolTip(help_text)
            spin.setGroupSeparatorShown(True)
            self.rule_spins[name] = spin
            form.addRow(label, spin)
        self.rule_flags: dict[str, QCheckBox] = {}
        for name, label in rules_core.FLAG_RULES.items():
            box = QCheckBox(label)
            self.rule_flags[name] = box
            form.addRow(box)
        days = QHBoxLayout()
        self.weekday_boxes = [QCheckBox(name) for name in WEEKDAYS]
        for box in self.weekday_boxes:
            days.addWidget(box)
        form.addRow("Business days", days)
        self.holidays = QLineEdit()
        self.holidays.setPlaceholderText("none set (e.g. 2026-12-25, 2027-01-01)")
        self.holidays.setToolTip("Days with no sends, as YYYY-MM-DD separated by commas")
        form.addRow("Holidays", self.holidays)
        self.save_rules_button = _button("Save rules", self.save_rules)
        self.default_rules_button = _button("Restore defaults", lambda: self._show_rules(rules_core.Rules()))
        form.addRow(_row(self.save_rules_button, self.default_rules_button))
        self.rules_status = _muted("")
        form.addRow(self.rules_status)
        layout.addWidget(rules_box, 2)
        layout.addWidget(self._programs_box(), 3)
        return tab

    def _programs_box(self) -> QGroupBox:
        box = QGroupBox("Programs")
        layout = QVBoxLayout(box)
        self.program_model = RowsModel(PROGRAM_VIEW, self)
        self.program_view = _table(self.program_model)
        self.program_view.selectionModel().selectionChanged.connect(self._program_selected)
        layout.addWidget(self.program_view, 1)
        form = QGridLayout()
        self.p_name, self.p_question = QLineEdit(), QLineEdit()
        self.p_kind, self.p_trigger, self.p_target = QComboBox(), QComboBox(), QComboBox()
        for kind in prog_core.KINDS:
            self.p_kind.addItem(f"{kind} — {prog_core.KIND_LABELS[kind]}", kind)
        for trigger in prog_core.TRIGGERS:
            self.p_trigger.addItem(f"{trigger} ({prog_core.TRIGGER_LABELS[trigger]})", trigger)
        for target in prog_core.TARGETS:
            self.p_target.addItem(prog_core.TARGET_LABELS[target], target)
        self.p_days = QSpinBox()
        self.p_days.setRange(0, 3650)
        self.p_days.setSuffix(" days")
        self.p_active = QCheckBox("Active")
        self.p_lists = QLineEdit()
        self.p_lists.setPlaceholderText("accounts: A-17, Partner Co; domains: ourco.com; roles: Employee")
        self.p_lists.setToolTip("Who is on an employee or partner program's list")
        fields = [("Name", self.p_name), ("Kind", self.p_kind), ("Trigger", self.p_trigger),
                  ("Days", self.p_days), ("Who", self.p_target), ("List", self.p_lists),
                  ("Question", self.p_question)]
        for i, (label, w) in enumerate(fields):
            form.addWidget(QLabel(label), i, 0)
            form.addWidget(w, i, 1)
        form.addWidget(self.p_active, len(fields), 1)
        self.p_trigger.currentIndexChanged.connect(self._program_fields)
        self.p_target.currentIndexChanged.connect(self._program_fields)
        layout.addLayout(form)
        self.new_program_button = _button("New program", self._new_program)
        self.save_program_button = _button("Save program", self.save_program)
        layout.addLayout(_row(self.new_program_button, self.save_program_button))
        self.program_status = _muted("")
        layout.addWidget(self.program_status)
        self._editing: prog_core.Program | None = None
        return box

    # -- planning ----------------------------------------------------------------------------------------
    def range(self) -> tuple[date, date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()

    def refresh(self) -> None:
        if self.today is not None and self.plan is None:
            self.date_from.setDate(QDate(self.today))
            self.date_to.setDate(QDate(self.today + timedelta(days=DEFAULT_DAYS)))
        self._load_editors()
        self.replan()
        if self.tabs.currentIndex() == 3:
            self.refresh_rates()

    def replan(self) -> None:
        start, end = self.range()
        if end < start:
            self.status.setText("The range ends before it starts.")
            return
        self.cancel_plan()

        def job(ws, progress, cancelled):
            result = plan_workspace(ws, start, end, progress=progress, cancelled=cancelled)
            planned, excluded = list(result.planned), list(result.excluded)
            by_day: dict[date, Counter] = defaultdict(Counter)
            for p in planned:
                by_day[p.planned_on][p.wave] += 1
            return result, planned, excluded, {d: c.most_common() for d, c in by_day.items()}

        self.status.setText("Planning…")
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.plan_button.setEnabled(False)
        task = run_task(self.session.job(job), owner=self, on_done=lambda r: self._planned(task, r),
                        on_error=lambda m, d="": self._plan_failed(task, m, d), on_progress=self._progress)
        self._plan_task = task

    def cancel_plan(self) -> None:
        if self._plan_task is not None:
            self._plan_task.cancel()
            self._plan_task = None
            self._idle("Planning cancelled.")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _idle(self, text: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.plan_button.setEnabled(True)
        self.status.setText(text)

    def _plan_failed(self, task: Task, message: str, details: str) -> None:
        if task is not self._plan_task:
            return
        self._plan_task = None
        self._idle("")
        if "cancelled" not in message:
            self.show_error(f"The plan could not be made: {message}", details)

    def _planned(self, task: Task, result: tuple) -> None:
        if task is not self._plan_task:
            return
        self._plan_task = None
        self.plan, self.planned, self.excluded, by_day = result
        p = self.plan
        waves_with = sum(1 for w in p.waves if w.planned)
        self._idle(f"{plural(len(self.planned), 'invitation')} in {plural(waves_with, 'wave')}; "
                   f"{len(self.excluded):,} excluded")
        self._fill_wave_filter()
        self._fill_rule_filter()
        _fill(self.wave_view, self.wave_model, p.waves)
        self.day_model.set_plan(p, by_day)
        self._wave_selected()
        self.plan_ready.emit()

    def _fill_wave_filter(self) -> None:
        current = self.wave_filter.currentData()
        self.wave_filter.blockSignals(True)
        self.wave_filter.clear()
        self.wave_filter.addItem(f"All waves ({len(self.planned):,})", ALL)
        for w in self.plan.waves if self.plan else []:
            if w.planned:
                self.wave_filter.addItem(f"{w.name} ({w.planned:,})", w.name)
        index = self.wave_filter.findData(current)
        self.wave_filter.setCurrentIndex(max(index, 0))
        self.wave_filter.blockSignals(False)
        self._show_send_list()

    def _fill_rule_filter(self) -> None:
        current = self.rule_filter.currentData()
        self.rule_filter.blockSignals(True)
        self.rule_filter.clear()
        self.rule_filter.addItem(f"All rules ({len(self.excluded):,})", ALL)
        for rule, n in (self.plan.excluded_by_rule if self.plan else {}).items():
            self.rule_filter.addItem(f"{explain.RULE_NAMES.get(rule, rule)} ({n:,})", rule)
        self.rule_filter.setCurrentIndex(max(self.rule_filter.findData(current), 0))
        self.rule_filter.blockSignals(False)
        self._show_excluded()

    def shown_send_list(self) -> list:
        wave = self.wave_filter.currentData()
        return self.planned if wave in (None, ALL) else [p for p in self.planned if p.wave == wave]

    def _show_send_list(self) -> None:
        _fill(self.send_view, self.send_model, self.shown_send_list())
        wave = self.wave_filter.currentData()
        self.mark_button.setEnabled(wave not in (None, ALL))

    def _show_excluded(self) -> None:
        rule = self.rule_filter.currentData()
        rows = self.excluded if rule in (None, ALL) else [e for e in self.excluded if e.rule == rule]
        _fill(self.excluded_view, self.excluded_model, rows)

    # -- waves -------------------------------------------------------------------------------------------
    def selected_wave(self) -> str | None:
        rows = self.wave_view.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE).name if rows else None

    def _wave_selected(self, *_: Any) -> None:
        name = self.selected_wave()
        wave = self.plan.wave(name) if self.plan and name else None
        self.wave_mark_button.setEnabled(bool(wave and wave.planned))
        self.wave_show_button.setEnabled(bool(wave and wave.planned))
        self.day_model.set_highlight({p.planned_on for p in self.planned if p.wave == name} if name else set())

    def _show_selected_wave(self) -> None:
        index = self.wave_filter.findData(self.selected_wave())
        if index >= 0:
            self.wave_filter.setCurrentIndex(index)
            self.tabs.setCurrentIndex(0)

    def confirm_mark_sent(self, wave: str | None) -> None:
        if not wave or self.plan is None or self.plan.wave(wave) is None:
            return
        n = self.plan.wave(wave).planned
        answer = QMessageBox.question(
            self, "Mark wave sent",
            f"Record the {plural(n, 'planned invitation')} of {wave} as sent?\n\nDo this once your survey tool has "
            "sent them: they then count toward the fatigue rules, and answers are matched back to them.")
        if answer == QMessageBox.StandardButton.Yes:
            self.mark_sent(wave)

    def mark_sent(self, wave: str) -> Task:
        plan = self.plan
        task = run_task(self.session.job(lambda ws, p, c: waves.mark_wave_sent(ws, plan, wave)),
                        owner=self, write=True,
                        on_done=lambda n: self._marked(wave, n), on_error=self.show_error)
        return task

    def _marked(self, wave: str, n: int) -> None:
        self.status.setText(f"{plural(n, 'invitation')} of {wave} recorded as sent.")
        self.wave_marked.emit(wave, n)
        self.session.notify_changed()

    # -- exports -----------------------------------------------------------------------------------------
    def export_send_list(self, path: Path | None = None, suffix: str = ".xlsx") -> Task | None:
        rows = self.shown_send_list()
        wave = self.wave_filter.currentData()
        name = "send-list" if wave in (None, ALL) else wave.replace(" ", "-")
        path = path or ask_path(self, name, suffix)
        if path is None:
            return None
        return write_in_background(self, Path(path), PLANNED_COLUMNS, lambda ws: planned_rows(rows),
                                   total=len(rows), on_done=lambda n: self.status.setText(
                                       f"{plural(n, 'row')} written to {Path(path).name}."))

    def export_excluded_list(self, path: Path | None = None, suffix: str = ".xlsx") -> Task | None:
        rows = [self.excluded_model.row(i) for i in range(self.excluded_model.rowCount())]
        path = path or ask_path(self, "excluded", suffix)
        if path is None:
            return None
        return write_in_background(self, Path(path), EXCLUDED_COLUMNS, lambda ws: excluded_rows(rows),
                                   total=len(rows))

    # -- response rates ----------------------------------------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        if index == 3:
            self.refresh_rates()

    def refresh_rates(self) -> None:
        def job(ws, progress, cancelled):
            matched = waves.match_responses(ws)
            return matched, waves.response_rates(ws, "wave"), waves.response_rates(ws, "program")
        self.rates_status.setText("Matching responses…")
        self.load(job, self._rates, write=True)

    def _rates(self, result: tuple) -> None:
        matched, by_wave, by_program = result
        _fill(self.rate_wave_view, self.rate_wave_model, by_wave)
        _fill(self.rate_program_view, self.rate_program_model, by_program)
        sent = sum(r.sent for r in by_program)
        self.rates_status.setText(
            f"{plural(matched, 'response')} newly matched. {plural(sent, 'invitation')} recorded as sent." if sent else
            "No wave has been marked sent yet: mark a wave sent once your survey tool has sent it.")
        self.rates_ready.emit()

    # -- rules and programs ----------------------------------------------------------------------------
    def _load_editors(self) -> None:
        ws = self.session.ws
        if ws is None:
            return
        self._show_rules(rules_core.load_rules(ws))
        self._show_programs(prog_core.load_programs(ws, seed=not ws.read_only))

    def _show_rules(self, r: rules_core.Rules) -> None:
        for name, spin in self.rule_spins.items():
            spin.setValue(getattr(r, name))
        for name, box in self.rule_flags.items():
            box.setChecked(getattr(r, name))
        for i, box in enumerate(self.weekday_boxes):
            box.setChecked(i in r.business_weekdays)
        self.holidays.setText(", ".join(r.holidays))

    def edited_rules(self) -> rules_core.Rules:
        data: dict[str, Any] = {name: spin.value() for name, spin in self.rule_spins.items()}
        data.update({name: box.isChecked() for name, box in self.rule_flags.items()})
        data["business_weekdays"] = [i for i, box in enumerate(self.weekday_boxes) if box.isChecked()]
        data["holidays"] = [h.strip() for h in self.holidays.text().replace(";", ",").split(",") if h.strip()]
        return rules_core.validate(data)

    def save_rules(self) -> bool:
        try:
            rules = self.edited_rules()
        except ValueError as exc:
            self.rules_status.setText(str(exc))
            return False
        rules_core.save_rules(self.session.ws, rules)
        self.rules_status.setText("Saved; the plan is made again with these rules.")
        self.session.notify_changed()
        return True

    def _show_programs(self, programs: list[prog_core.Program]) -> None:
        self.program_model.set_rows(programs)
        self.program_view.resizeColumnsToContents()

    def _program_selected(self, *_: Any) -> None:
        rows = self.program_view.selectionModel().selectedRows()
        if rows:
            self._edit_program(rows[0].data(ROW_ROLE))

    def _new_program(self) -> None:
        self.program_view.clearSelection()
        self._edit_program(prog_core.Program("New program", "rnps", "quarterly"), new=True)

    def _edit_program(self, p: prog_core.Program, new: bool = False) -> None:
        self._editing = None if new else p
        self.p_name.setText(p.name)
        self.p_kind.setCurrentIndex(max(self.p_kind.findData(p.kind), 0))
        self.p_trigger.setCurrentIndex(max(self.p_trigger.findData(p.trigger), 0))
        self.p_target.setCurrentIndex(max(self.p_target.findData(p.target), 0))
        self.p_days.setValue(p.trigger_days)
        self.p_active.setChecked(p.active)
        self.p_question.setText(p.question or "")
        parts = [f"{label}: {', '.join(values)}" for label, values in
                 (("accounts", p.list_accounts), ("domains", p.list_domains), ("roles", p.list_roles)) if values]
        self.p_lists.setText("; ".join(parts))
        self._program_fields()
        self.program_status.setText("" if not new else "A new program: fill it in and save.")

    def _program_fields(self) -> None:
        """Days count only for triggered programs; a list only for programs that run on one."""
        self.p_days.setEnabled(self.p_trigger.currentData() in prog_core.MOMENTS)
        self.p_lists.setEnabled(self.p_target.currentData() == "list")

    def edited_program(self) -> prog_core.Program:
        lists: dict[str, tuple[str, ...]] = {"accounts": (), "domains": (), "roles": ()}
        for part in self.p_lists.text().split(";"):
            if not part.strip():
                continue
            key, _, values = part.partition(":")
            key = key.strip().lower()
            if key not in lists or not values.strip():
                raise ValueError(f"list: write 'accounts: …; domains: …; roles: …', not {part.strip()!r}")
            lists[key] = tuple(v.strip() for v in values.split(",") if v.strip())
        base = self._editing or prog_core.Program("")
        return replace(base, name=self.p_name.text().strip(), kind=self.p_kind.currentData(),
                       trigger=self.p_trigger.currentData(), trigger_days=self.p_days.value(),
                       target=self.p_target.currentData(), active=self.p_active.isChecked(),
                       question=self.p_question.text().strip() or None, list_accounts=lists["accounts"],
                       list_domains=lists["domains"], list_roles=lists["roles"])

    def save_program(self) -> bool:
        try:
            saved = prog_core.save_program(self.session.ws, self.edited_program())
        except ValueError as exc:
            self.program_status.setText(str(exc))
            return False
        self._editing = saved
        self._show_programs(prog_core.load_programs(self.session.ws))
        self.program_status.setText(f"Saved {saved.name}: {saved.describe()}.")
        self.session.notify_changed()
        return True
