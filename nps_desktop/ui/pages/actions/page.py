"""Actions: the close-the-loop work queue, the risk and opportunity signals, and account health.

Everything works from the keyboard: Ctrl+F search, Ctrl+L the list, Ctrl+Shift+P / D / O mark the
selected actions in progress, done or open again, Ctrl+R reassigns them, Alt+S status, Alt+U outcome,
Alt+N notes, Alt+A a new note (Enter adds it), Ctrl+Return saves edited notes.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGridLayout, QHBoxLayout,
                               QHeaderView, QInputDialog, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QSplitter, QTabWidget, QVBoxLayout, QWidget)

from ....core.loop import actions as act
from ....core import settings
from ....core.loop import health, metrics, signals
from ....core.loop.plays import load_plays
from ....core.words import minute, plural
from ... import theme
from ...widgets.kpi_tile import KpiTile
from ...widgets.rows_model import ROW_ROLE, Column, RowsModel
from ...widgets.table_view import table_view
from ..base import Page
from ....core import clock
from ...amounts import money
from .common import ARR_FILTERS, DUE_FILTERS, STATUS_FILTERS, UNASSIGNED, _buddy, _due_tip, _short, action_columns, pct
from .plays_tab import PlaysTab


class ActionsPage(Page):
    title = "Actions"
    needs = "responses"
    empty_text = ("No follow-ups yet. Import survey responses: every detractor gets a save action with an owner and"
                  " a due date, every promoter an advocacy ask.")
    NOTES_KEYS = "Ctrl+Return"
    SHORTCUTS = [  # (command, keys, method), listed under Help ▸ Keyboard shortcuts
        ("Search the queue", "Ctrl+F", "focus_search"),
        ("Go to the list", "Ctrl+L", "focus_list"),
        ("Mark in progress", "Ctrl+Shift+P", "mark_in_progress"),
        ("Mark done", "Ctrl+Shift+D", "mark_done"),
        ("Reopen", "Ctrl+Shift+O", "reopen_selected"),
        ("Reassign…", "Ctrl+R", "reassign_selected"),
        ("Save the notes", NOTES_KEYS, ""),   # the notes field's own key (no page method)
    ]

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.today: date | None = None          # tests and the demo may fix "today"
        self.actions: list[act.Action] = []
        self.last_metrics: metrics.LoopMetrics | None = None
        self._current_id: int | None = None
        self._filling = False
        self._tabs_stale = True

        layout = QVBoxLayout(self)
        heading = QLabel("Actions")
        heading.setObjectName("PageTitle")
        sub = QLabel("Every detractor an owner and a due date; every promoter an advocacy ask.")
        sub.setObjectName("Muted")
        layout.addWidget(heading)
        layout.addWidget(sub)

        tiles = QHBoxLayout()
        self.tile_open = KpiTile("Open actions", "Actions not done yet")
        self.tile_overdue = KpiTile("Overdue", "Not done and past their due date")
        self.tile_sla = KpiTile("Detractors within SLA", "Save actions first touched by their due date, of those "
                                "touched or past due")
        self.tile_touch = KpiTile("Median first touch", "From the response to the first status change")
        self.tile_save = KpiTile("Save rate, reconciled", "Detractors whose next score was 7+ or whose account "
                                 "renewed, and whose account did not churn within the save window (Settings), of "
                                 "those who answered again or whose account renewed or churned")
        self.tile_refs = KpiTile("Reference yield", "Done advocacy asks that secured a reference or a review")
        for t in (self.tile_open, self.tile_overdue, self.tile_sla, self.tile_touch, self.tile_save, self.tile_refs):
            tiles.addWidget(t)
        layout.addLayout(tiles)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._queue_tab(), "&Queue")
        self.signals_tab, self.signals_model, self.signals_view = self._signals_tab()
        self.tabs.addTab(self.signals_tab, "Si&gnals")
        self.health_tab = self._health_tab()
        self.tabs.addTab(self.health_tab, "Account &health")
        self.plays_tab = PlaysTab(self)
        self.tabs.addTab(self.plays_tab, "&Plays")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)
        self._shortcuts()

    # -- building ----------------------------------------------------------------------------------
    def _queue_tab(self) -> QWidget:
        tab = QWidget()
        outer = QVBoxLayout(tab)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search account, contact, notes (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.owner_filter, self.play_filter = QComboBox(), QComboBox()
        self.status_filter, self.due_filter, self.arr_filter = QComboBox(), QComboBox(), QComboBox()
        self.owner_filter.addItem("All owners", None)
        self.play_filter.addItem("All plays", None)
        for combo, items in ((self.status_filter, STATUS_FILTERS), (self.due_filter, DUE_FILTERS),
                             (self.arr_filter, ARR_FILTERS)):
            for text, value in items:
                combo.addItem(text, value)
        for w in (self.search, self.owner_filter, self.play_filter, self.status_filter, self.due_filter,
                  self.arr_filter):
            bar.addWidget(w, 2 if w is self.search else 0)
        outer.addLayout(bar)
        self.search.textChanged.connect(self.reload)
        for combo in (self.owner_filter, self.play_filter, self.status_filter, self.due_filter, self.arr_filter):
            combo.currentIndexChanged.connect(self.reload)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.model = RowsModel(action_columns(self.day))
        self.view = table_view(self.model, multi=True)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        for col, column in enumerate(self.model.columns):  # names share the room left; long ones are elided
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if column.title in ("Account", "Contact")
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        lv.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.progress_button = QPushButton("In progress")
        self.done_button = QPushButton("Done")
        self.reopen_button = QPushButton("Reopen")
        self.reassign_button = QPushButton("Reassign…")
        #: The buttons that act on the selected actions: enabled only while some are selected.
        self.bulk_buttons = (self.progress_button, self.done_button, self.reopen_button, self.reassign_button)
        for b, tip in zip(self.bulk_buttons, ("Ctrl+Shift+P", "Ctrl+Shift+D", "Ctrl+Shift+O", "Ctrl+R")):
            b.setToolTip(f"The selected actions ({tip})")
            b.setEnabled(False)
            buttons.addWidget(b)
        self.count_label = QLabel("")
        self.count_label.setObjectName("Muted")
        buttons.addWidget(self.count_label, 1)
        lv.addLayout(buttons)
        self.progress_button.clicked.connect(lambda: self.set_status_selected("in_progress"))
        self.done_button.clicked.connect(lambda: self.set_status_selected("done"))
        self.reopen_button.clicked.connect(lambda: self.set_status_selected("open"))
        self.reassign_button.clicked.connect(lambda: self.reassign_selected())
        split.addWidget(left)
        split.addWidget(self._detail())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([900, 360])
        outer.addWidget(split, 1)
        return tab

    def _detail(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(8, 0, 0, 0)
        self.detail_title = QLabel("Select an action")
        self.detail_title.setObjectName("SectionTitle")
        self.detail_title.setWordWrap(True)
        self.detail_response = QLabel("")
        self.detail_response.setWordWrap(True)
        self.detail_response.setObjectName("Muted")
        v.addWidget(self.detail_title)
        v.addWidget(self.detail_response)
        form = QFormLayout()
        self.status_edit = QComboBox()
        for s in act.STATUSES:
            self.status_edit.addItem(act.STATUS_LABELS[s], s)
        self.outcome_edit = QComboBox()
        self.outcome_edit.addItem("—", None)
        for o in act.OUTCOMES:
            self.outcome_edit.addItem(act.OUTCOME_LABELS[o], o)
        self.owner_edit = QComboBox()
        self.owner_edit.setEditable(True)
        self.owner_edit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.assign_button = QPushButton("Assign")
        owner_row = QHBoxLayout()
        owner_row.addWidget(self.owner_edit, 1)
        owner_row.addWidget(self.assign_button)
        self.due_label = QLabel("")
        form.addRow(_buddy("&Status:", self.status_edit), self.status_edit)
        form.addRow(_buddy("O&utcome:", self.outcome_edit), self.outcome_edit)
        form.addRow(_buddy("&Owner:", self.owner_edit), owner_row)
        form.addRow("Due:", self.due_label)
        v.addLayout(form)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Type a note and press Enter (e.g. called, left a voicemail)")
        v.addWidget(_buddy("&Add a note:", self.note_edit))
        v.addWidget(self.note_edit)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Notes")
        self.notes_edit.setTabChangesFocus(True)
        self.save_notes_button = QPushButton("Save notes (Ctrl+Return)")
        v.addWidget(_buddy("&Notes:", self.notes_edit))
        v.addWidget(self.notes_edit, 1)
        v.addWidget(self.save_notes_button)
        self.history_model = RowsModel([
            Column("When", lambda h: minute(h.at)),
            Column("What", lambda h: h.what),
            Column("From", lambda h: _short(h.shown(h.old))),
            Column("To", lambda h: _short(h.shown(h.new)), tooltip=lambda h: h.shown(h.new))])
        self.history_view = table_view(self.history_model, sorting=False)
        self.history_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        v.addWidget(_buddy("Histor&y:", self.history_view))
        v.addWidget(self.history_view, 1)

        self.status_edit.activated.connect(self.set_status_current)
        self.outcome_edit.activated.connect(self.set_outcome_current)
        self.assign_button.clicked.connect(self.assign_current)
        owner_line = self.owner_edit.lineEdit()
        if owner_line is not None:   # an editable combo box always has one
            owner_line.returnPressed.connect(self.assign_button.click)
        self.note_edit.returnPressed.connect(self.add_note)
        self.save_notes_button.clicked.connect(self.save_notes)
        self._detail_widgets = (self.status_edit, self.outcome_edit, self.owner_edit, self.assign_button,
                                self.note_edit, self.notes_edit, self.save_notes_button)
        for w in self._detail_widgets:
            w.setEnabled(False)
        return box

    def _signals_tab(self):
        tab = QWidget()
        v = QVBoxLayout(tab)
        note = QLabel("Risks first, then opportunities; each says why it fired.")
        note.setObjectName("Muted")
        v.addWidget(note)
        model = RowsModel([
            Column("Signal", lambda s: s.title, color=lambda s: theme.DETRACTOR if s.risk else theme.PROMOTER),
            Column("Date", lambda s: s.on),
            Column("Account", lambda s: s.account_name or "—"),
            Column("ARR", lambda s: money(s.arr), sort=lambda s: s.arr or 0.0, right=True),
            Column("Why", lambda s: s.why, tooltip=lambda s: s.why)])
        view = table_view(model)
        v.addWidget(view, 1)
        return tab, model, view

    def _health_tab(self) -> QWidget:
        tab = QWidget()
        grid = QGridLayout(tab)
        self.risk_title = QLabel("ARR at risk")
        self.risk_title.setObjectName("SectionTitle")
        self.risk_model = RowsModel([
            Column("Account", lambda r: r.name),
            Column("ARR", lambda r: money(r.arr), sort=lambda r: r.arr, right=True),
            Column("Renewal", lambda r: f"{r.renewal_date} ({r.days_to_renewal} d)", sort=lambda r: r.days_to_renewal),
            Column("Owner", lambda r: r.owner or UNASSIGNED),
            Column("Why", lambda r: r.why.split(": ", 1)[-1], tooltip=lambda r: r.why)])
        self.risk_view = table_view(self.risk_model)
        health_title = QLabel("Account health (0–100), lowest first")
        health_title.setObjectName("SectionTitle")
        self.health_model = RowsModel([
            Column("Health", lambda h: "—" if h.score is None else str(h.score),
                   sort=lambda h: -1 if h.score is None else h.score, right=True,
                   color=lambda h: None if h.score is None else theme.DETRACTOR if h.score < 40
                   else theme.PASSIVE if h.score < 70 else theme.PROMOTER),
            Column("Account", lambda h: h.name),
            Column("ARR", lambda h: money(h.arr), sort=lambda h: h.arr or 0.0, right=True),
            Column("Owner", lambda h: h.owner or UNASSIGNED),
            Column("Why", lambda h: h.explanation.split(" = ", 1)[-1], tooltip=lambda h: h.explanation)])
        self.health_view = table_view(self.health_model)
        grid.addWidget(self.risk_title, 0, 0)
        grid.addWidget(self.risk_view, 1, 0)
        grid.addWidget(health_title, 2, 0)
        grid.addWidget(self.health_view, 3, 0)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(3, 2)
        return tab

    def _shortcuts(self) -> None:
        for _text, keys, slot in self.SHORTCUTS:
            if not slot:
                continue
            a = QAction(self)
            a.setShortcut(QKeySequence(keys))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)  # active while the page shows
            a.triggered.connect(lambda _checked=False, run=getattr(self, slot): run())
            self.addAction(a)
        save = QAction(self.notes_edit)
        save.setShortcut(QKeySequence(self.NOTES_KEYS))
        save.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        save.triggered.connect(self.save_notes_button.click)
        self.notes_edit.addAction(save)

    # -- loading -----------------------------------------------------------------------------------
    def day(self) -> date:
        return self.today or clock.today()

    def filters(self) -> act.ActionFilters:
        owner = self.owner_filter.currentData()
        due = self.due_filter.currentData()
        return act.ActionFilters(
            owners=() if owner is None else (owner,), plays=tuple(filter(None, [self.play_filter.currentData()])),
            statuses=self.status_filter.currentData() or (), overdue=due == "overdue",
            due_to=self.day() + timedelta(days=due) if isinstance(due, int) else None,
            arr_min=self.arr_filter.currentData(), text=self.search.text())

    def refresh(self) -> None:
        self._tabs_stale = True
        self.reload()

    def reload(self) -> None:
        """Load the queue and the metrics, and the signals and health when their tab is showing."""
        if self._filling or self.session.ws is None:
            return
        filters, today = self.filters(), self.day()
        with_tabs = self.tabs.currentIndex() in (1, 2)   # signals and health cost more: only when shown
        if with_tabs:
            self._tabs_stale = False

        def job(ws, progress, cancelled):
            data = {"actions": act.list_actions(ws, filters, today),
                    "metrics": metrics.loop_metrics(ws, today=today),
                    "owners": act.owners(ws), "plays": load_plays(ws),
                    "history_days": settings.get(ws, settings.LOOP_HISTORY_DAYS)}
            if with_tabs:
                series = signals.latest_periods(ws, today)  # shared by signals and health
                data.update(signals=signals.signals(ws, today, series=series),
                            health=health.account_health(ws, today, series=series),
                            risk=health.arr_at_risk(ws, None, today))
            return data
        self.load(job, self.show_data)

    def show_data(self, data: dict) -> None:
        self._fill_combos(data["owners"], [(p.key, p.name) for p in data["plays"]])
        self.plays_tab.set_plays(data["plays"], data["history_days"])
        self.actions = data["actions"]
        self.model.set_rows(self.actions)
        self.count_label.setText(f"{len(self.actions):,} shown")
        self._show_metrics(data["metrics"])
        self._reselect()
        if "signals" in data:
            self.show_tabs(data)

    def _fill_combos(self, owners: list[str], plays: list[tuple[str, str]]) -> None:
        self._filling = True
        try:
            for combo, items in ((self.owner_filter, [(UNASSIGNED, "")] + [(o, o) for o in owners]),
                                 (self.play_filter, [(name, key) for key, name in plays])):
                keep = combo.currentData()
                while combo.count() > 1:
                    combo.removeItem(1)
                for text, value in items:
                    combo.addItem(text, value)
                combo.setCurrentIndex(max(0, combo.findData(keep)) if keep is not None else 0)
            current = self.owner_edit.currentText()
            self.owner_edit.clear()
            self.owner_edit.addItems(owners)
            self.owner_edit.setEditText(current)
        finally:
            self._filling = False

    def _show_metrics(self, m: metrics.LoopMetrics) -> None:
        self.last_metrics = m
        self.tile_open.set(f"{m.open + m.in_progress:,}", f"{m.in_progress:,} in progress, all time")
        self.tile_overdue.set(f"{m.overdue:,}", "past their due date", "bad" if m.overdue else "good")
        self.tile_sla.set(pct(m.sla_share), f"{m.sla_met} of {m.sla_actions} save actions, all time")
        touch = m.median_first_touch_days
        self.tile_touch.set("—" if touch is None else f"{touch:.1f} d",
                            "to close: " + ("—" if m.median_close_days is None else f"{m.median_close_days:.1f} d"))
        self.tile_save.set(pct(m.save_rate_reconciled), f"{m.saved_reconciled} of {m.saves_resolved} "
                           f"not churned within {m.save_window_days} d; {pct(m.save_rate)} as reported")
        self.tile_refs.set(pct(m.reference_yield), f"{m.references} of {m.advocacy_done} asks")

    def _tab_changed(self, index: int) -> None:
        if index in (1, 2) and self._tabs_stale:
            self.reload()

    def show_tabs(self, data: dict) -> None:
        self.signals_model.set_rows(data["signals"])
        self.health_model.set_rows(data["health"])
        self.risk_model.set_rows(data["risk"])
        self.risk_title.setText(f"ARR at risk: {money(health.arr_at_risk_total(data['risk']))} "
                                f"(detractor or falling accounts renewing soon, largest first)")
        for view in (self.signals_view, self.risk_view, self.health_view):
            view.resizeColumnsToContents()
            view.horizontalHeader().setStretchLastSection(True)

    # -- selection and detail ----------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = self.view.selectionModel().selectedRows()
        return [self.view.model().data(i, ROW_ROLE).id for i in rows]

    def current_action(self) -> act.Action | None:
        index = self.view.currentIndex()
        return self.view.model().data(index, ROW_ROLE) if index.isValid() else None

    def _selection_changed(self) -> None:
        n = len(self.selected_ids())
        for b in self.bulk_buttons:
            b.setEnabled(n > 0)
        self.count_label.setText(f"{len(self.actions):,} shown" + (f" · {n} selected" if n > 1 else ""))

    def _reselect(self) -> None:
        proxy = self.view.model()
        target = next((r for r in range(proxy.rowCount())
                       if proxy.data(proxy.index(r, 0), ROW_ROLE).id == self._current_id), None)
        if target is None and proxy.rowCount():
            target = 0 if self._current_id is None else None
        if target is not None:
            self.view.selectionModel().setCurrentIndex(
                proxy.index(target, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._show_current()

    def _show_current(self) -> None:
        self._selection_changed()   # a reload resets the model without a selectionChanged
        a = self.current_action()
        for w in self._detail_widgets:
            w.setEnabled(a is not None)
        if a is None:
            self.detail_title.setText("No action selected")
            self.detail_response.setText("")
            self.history_model.set_rows([])
            return
        self._current_id = a.id
        who = a.contact_name or a.contact_email or "an unknown contact"
        self.detail_title.setText(f"{a.play_name} — {who}" + (f", {a.account_name}" if a.account_name else ""))
        said = f"Score {a.score} on {(a.responded_at or '')[:10]}" if a.score is not None else "Response removed"
        if a.comment:
            said += f": “{a.comment}”"
        self.detail_response.setText(said)
        self.status_edit.setCurrentIndex(self.status_edit.findData(a.status))
        self.outcome_edit.setCurrentIndex(max(0, self.outcome_edit.findData(a.outcome)) if a.outcome else 0)
        self.owner_edit.setEditText(a.owner or "")
        due = a.due or "—"
        self.due_label.setText(f"<span style='color:{theme.DETRACTOR}'><b>{due}</b> — {_due_tip(a, self.day())}"
                               f"</span>" if a.overdue else due)
        self.notes_edit.setPlainText(a.notes or "")
        if self.session.ws is not None:
            self.history_model.set_rows(act.history(self.session.ws, a.id))

    # -- editing -----------------------------------------------------------------------------------
    def _owner_text(self) -> str:
        return self.owner_edit.currentText().strip()

    def _apply(self, change: Callable[[Any], Any]) -> bool:
        try:
            change(self.session.ws)
        except ValueError as exc:
            self.show_error(str(exc))
            return False
        self.session.notify_changed()
        return True

    def _edit_current(self, change: Callable[[Any, int], Any]) -> bool:
        a = self.current_action()
        return a is not None and self._apply(lambda ws: change(ws, a.id))

    # Slots return nothing: a slot that returns a bool upsets PySide6's reference counts at exit.
    def set_status_current(self, *_: Any) -> None:
        self._edit_current(lambda ws, i: act.set_status(ws, i, self.status_edit.currentData()))

    def set_outcome_current(self, *_: Any) -> None:
        self._edit_current(lambda ws, i: act.set_outcome(ws, i, self.outcome_edit.currentData()))

    def assign_current(self, *_: Any) -> None:
        self._edit_current(lambda ws, i: act.assign(ws, [i], self._owner_text()))

    def save_notes(self, *_: Any) -> None:
        self._edit_current(lambda ws, i: act.set_notes(ws, i, self.notes_edit.toPlainText()))

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def focus_list(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.view.setFocus()

    def add_note(self) -> None:
        text = self.note_edit.text()
        if text.strip() and self._edit_current(lambda ws, i: act.add_note(ws, i, text)):
            self.note_edit.clear()

    def mark_in_progress(self) -> None:
        self.set_status_selected("in_progress")

    def mark_done(self) -> None:
        self.set_status_selected("done")

    def reopen_selected(self) -> None:
        self.set_status_selected("open")

    def set_status_selected(self, status: str) -> None:
        ids = self.selected_ids()
        if ids:
            self._apply(lambda ws: act.set_status_many(ws, ids, status))

    def reassign_selected(self) -> None:
        """Ask who gets the selected actions (a dialog), then give them to that owner."""
        ids = self.selected_ids()
        if not ids:
            return
        names = [self.owner_edit.itemText(i) for i in range(self.owner_edit.count())]
        owner, ok = QInputDialog.getItem(self, "Reassign", f"Give {plural(len(ids), 'action')} to:", names, 0, True)
        if ok:   # an empty name leaves them unassigned
            self._apply(lambda ws: act.assign(ws, ids, owner))
