"""The filter bar of every analysis page: date preset or range, program kind, touchpoint, and any account
or contact field (region, industry, tier, ARR band, lifecycle stage, owner, role, …), with saved segments:
pick one, or save the current filters as one ("Save as segment…").

The bar only builds ``core.analytics.Filters``; the page that owns it runs the queries. Field values and
segments load in the background; saving or deleting a segment tells every open bar.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QObject, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDateEdit, QHBoxLayout, QInputDialog, QLabel, QMenu, QMessageBox,
                               QPushButton, QSizePolicy, QToolButton, QVBoxLayout, QWidget)

from ...core import analytics
from ..workers import run_task
from .table_export import export_button
from ...core import clock

PRIMARY = ("kind", "touchpoint")
MORE = ("region", "industry", "tier", "arr_band", "lifecycle_stage", "owner", "role", "product",
        "account_status")
CUSTOM = "custom"
NO_SEGMENT = "No saved segment"
CHIP_STYLE = ("QToolButton { border: 1px solid palette(mid); border-radius: 11px; padding: 2px 10px; "
              "background: palette(base); }")


class _Hub(QObject):
    segments_changed = Signal()


hub = _Hub()


class StayOpenMenu(QMenu):
    """A menu of checkable values that stays open while the user ticks several."""

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt name)
        action = self.activeAction()
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


def value_label(dim: str, value: str) -> str:
    return analytics.KIND_LABELS.get(value, value) if dim == "kind" else value


class ValuesButton(QToolButton):
    """A dropdown of one field's values, several may be ticked; shows ``Field: a, b`` or ``Field: All``."""

    changed = Signal()

    def __init__(self, dim: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.dim = dim
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = StayOpenMenu(self)
        self.setMenu(self.menu_)
        self.choices: list[str] = []
        self.checked: list[str] = []
        self._relabel()

    def set_choices(self, values: list[str]) -> None:
        self.choices = list(values)
        self._rebuild()

    def selected(self) -> tuple[str, ...]:
        return tuple(self.checked)

    def set_selected(self, values) -> None:
        self.checked = list(values or ())
        self._rebuild()

    def _rebuild(self) -> None:
        self.menu_.clear()
        clear = self.menu_.addAction("All")
        clear.triggered.connect(lambda: self._toggle(None))
        self.menu_.addSeparator()
        for v in list(dict.fromkeys(self.choices + [c for c in self.checked if c not in self.choices])):
            action = self.menu_.addAction(value_label(self.dim, v))
            action.setCheckable(True)
            action.setChecked(v in self.checked)
            action.triggered.connect(lambda checked=False, v=v: self._toggle(v))
        self._relabel()

    def _toggle(self, value: str | None) -> None:
        if value is None:
            self.checked = []
            for action in self.menu_.actions():
                action.setChecked(False)
            self.menu_.close()
        elif value in self.checked:
            self.checked.remove(value)
        else:
            self.checked.append(value)
        self._relabel()
        self.changed.emit()

    def _relabel(self) -> None:
        name = analytics.DIMENSION_LABELS[self.dim] if self.dim != "kind" else "Program"
        shown = ", ".join(value_label(self.dim, v) for v in self.checked) or "All"
        if len(shown) > 28:
            shown = f"{len(self.checked)} selected"
        self.setText(f"{name}: {shown}  ")
        self.setToolTip(f"Only responses with these {name.lower()} values; tick several to combine")


class FilterBar(QWidget):
    """Builds ``Filters`` from the user's choices; ``changed`` fires on every change."""

    changed = Signal()

    def __init__(self, session, default_preset: str = "last_12_months", parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.default_preset = default_preset
        self.segments: dict[str, analytics.Filters] = {}
        self._loaded_for = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(8)
        outer.addLayout(row)

        self.period = QComboBox()
        for key, label in analytics.PRESETS.items():
            self.period.addItem(label, key)
        self.period.addItem("Custom range…", CUSTOM)
        self.period.setToolTip("Which responses count, by the date they were given")
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setVisible(False)
        self.dash = QLabel("–")
        self.dash.setVisible(False)
        row.addWidget(self.period)
        row.addWidget(self.date_from)
        row.addWidget(self.dash)
        row.addWidget(self.date_to)

        self.buttons: dict[str, ValuesButton] = {}
        for dim in PRIMARY:
            b = ValuesButton(dim)
            b.changed.connect(self._user_changed)
            self.buttons[dim] = b
            row.addWidget(b)
        self.buttons["kind"].set_choices(list(analytics.KINDS))
        self.more = QToolButton()
        self.more.setText("More filters  ")
        self.more.setToolTip("Filter by an account or contact field: region, industry, tier, ARR band, …")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more_menu = QMenu(self.more)
        for dim in MORE:  # their buttons stay hidden: their menus are the submenus
            b = ValuesButton(dim, self)
            b.setVisible(False)
            b.changed.connect(self._user_changed)
            self.buttons[dim] = b
            b.menu_.setTitle(analytics.DIMENSION_LABELS[dim])
            more_menu.addMenu(b.menu_)
        self.more.setMenu(more_menu)
        row.addWidget(self.more)
        row.addStretch(1)

        self.segment = QComboBox()
        self.segment.setMinimumWidth(170)
        self.segment.setToolTip("Saved segments: named filters, also used by stats --segment and the report")
        self.segment.addItem(NO_SEGMENT, None)
        self.save_button = QPushButton("Save as segment…")
        self.segment_menu = QToolButton()
        self.segment_menu.setText("⋯")
        self.segment_menu.setAutoRaise(True)
        self.segment_menu.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.segment_menu)
        self.delete_action = menu.addAction("Delete this segment…", lambda: self.delete_segment())
        menu.addAction("Clear all filters", self.clear)
        self.segment_menu.setMenu(menu)
        row.addWidget(self.segment)
        row.addWidget(self.save_button)
        row.addWidget(self.segment_menu)

        self.chips = QHBoxLayout()
        self.chips.setSpacing(6)
        self.chip_row = QWidget()
        self.chip_row.setLayout(self.chips)
        self.chips.setContentsMargins(0, 0, 0, 0)
        self.chip_row.setVisible(False)
        outer.addWidget(self.chip_row)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(350)
        self._debounce.timeout.connect(self._user_changed)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.date_from.dateChanged.connect(lambda *_: self._debounce.start())
        self.date_to.dateChanged.connect(lambda *_: self._debounce.start())
        self.segment.activated.connect(self._segment_chosen)
        self.save_button.clicked.connect(lambda: self.save_segment())
        hub.segments_changed.connect(self.load_choices)
        session.workspace_opened.connect(self.load_choices)
        session.changed.connect(self.load_choices)
        self.set_filters(analytics.Filters(preset=default_preset), emit=False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    # -- reading and setting -----------------------------------------------------------------------
    def filters(self) -> analytics.Filters:
        values = {dim: b.selected() for dim, b in self.buttons.items() if b.selected()}
        key = self.period.currentData()
        if key == CUSTOM:
            return analytics.Filters(self.date_from.date().toPython(), self.date_to.date().toPython(), values)
        return analytics.Filters(values=values, preset=key)

    def set_filters(self, filters: analytics.Filters, emit: bool = True, segment: str | None = None) -> None:
        """Show ``filters`` (a preset, explicit dates, or neither for all time)."""
        widgets = [self.period, self.date_from, self.date_to, *self.buttons.values()]
        for w in widgets:
            w.blockSignals(True)
        try:
            if filters.preset:
                self.period.setCurrentIndex(self.period.findData(filters.preset))
            elif filters.date_from or filters.date_to:
                self.period.setCurrentIndex(self.period.findData(CUSTOM))
                self.date_from.setDate(QDate(filters.date_from or date(2000, 1, 1)))
                self.date_to.setDate(QDate(filters.date_to or clock.today()))
            else:
                self.period.setCurrentIndex(self.period.findData("all_time"))
            for dim, b in self.buttons.items():
                b.set_selected(filters.values.get(dim, ()))
        finally:
            for w in widgets:
                w.blockSignals(False)
        self._show_custom(self.period.currentData() == CUSTOM)
        self._select_segment(segment)
        self._refresh_chips()
        if emit:
            self.changed.emit()

    def clear(self) -> None:
        self.set_filters(analytics.Filters(preset=self.default_preset))

    # -- reactions ---------------------------------------------------------------------------------
    def _user_changed(self) -> None:
        self._select_segment(None)
        self._refresh_chips()
        self.changed.emit()

    def _period_changed(self) -> None:
        custom = self.period.currentData() == CUSTOM
        if custom and self.session.ws is not None:
            start, end = analytics.preset_range("last_90_days", clock.today())
            for d, v in ((self.date_from, start), (self.date_to, end)):
                d.blockSignals(True)
                d.setDate(QDate(v))
                d.blockSignals(False)
        self._show_custom(custom)
        self._user_changed()

    def _show_custom(self, custom: bool) -> None:
        for w in (self.date_from, self.dash, self.date_to):
            w.setVisible(custom)

    def _refresh_chips(self) -> None:
        while self.chips.count():
            item = self.chips.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        active = [d for d in MORE if self.buttons[d].selected()]
        for dim in active:
            chip = QToolButton()
            chip.setStyleSheet(CHIP_STYLE)
            chip.setText(self.buttons[dim].text().strip() + "   ✕")
            chip.setToolTip("Remove this filter")
            chip.clicked.connect(lambda checked=False, d=dim: self._clear_dim(d))
            self.chips.addWidget(chip)
        self.chips.addStretch(1)
        self.chip_row.setVisible(bool(active))
        self.more.setText(f"More filters ({len(active)})  " if active else "More filters  ")

    def _clear_dim(self, dim: str) -> None:
        self.buttons[dim].set_selected(())
        self._user_changed()

    # -- choices and segments ----------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._loaded_for != self.session.path:
            self.load_choices()

    def load_choices(self) -> None:
        if self.session.ws is None:
            return
        self._loaded_for = self.session.path
        dims = [d for d in self.buttons if d != "kind"]

        def job(ws, progress, cancelled) -> dict[str, Any]:
            return {"values": {d: analytics.dimension_values(ws, d) for d in dims},
                    "segments": {s.name: s.filters for s in analytics.list_segments(ws)}}
        run_task(self.session.job(job, read_only=True), owner=self, on_done=self._choices_loaded)

    def _choices_loaded(self, result: dict[str, Any]) -> None:
        for dim, values in result["values"].items():
            self.buttons[dim].set_choices(values)
        self.segments = result["segments"]
        current = self.segment.currentData()
        self.segment.blockSignals(True)
        self.segment.clear()
        self.segment.addItem(NO_SEGMENT, None)
        for name in self.segments:
            self.segment.addItem(name, name)
        self.segment.blockSignals(False)
        self._select_segment(current if current in self.segments else None)
        self._refresh_chips()

    def _select_segment(self, name: str | None) -> None:
        i = self.segment.findData(name) if name else 0
        self.segment.blockSignals(True)
        self.segment.setCurrentIndex(max(i, 0))
        self.segment.blockSignals(False)
        self.delete_action.setEnabled(bool(name) and i > 0)

    def current_segment(self) -> str | None:
        return self.segment.currentData()

    def _segment_chosen(self) -> None:
        name = self.segment.currentData()
        if name is None:
            self.clear()
        else:
            self.set_filters(self.segments[name], segment=name)

    def save_segment(self) -> None:
        """Save the current filters under a name the user types (a dialog asks; an existing name, whether
        to replace it)."""
        name, ok = QInputDialog.getText(self, "Save as segment",
                                        "Name this segment (for example “EMEA enterprise, last 90 days”):")
        name = " ".join(name.split())
        if not ok or not name:
            return
        if name in self.segments and QMessageBox.question(
                self, "Save as segment", f"A segment named “{name}” exists. Replace it?") \
                != QMessageBox.StandardButton.Yes:
            return
        filters = self.filters()
        run_task(self.session.job(lambda ws, p, c: analytics.save_segment(ws, name, filters, True)), owner=self,
                 write=True, on_done=lambda seg: self._saved(seg.name),
                 on_error=lambda msg, details="": QMessageBox.warning(self, "Save as segment", msg))

    def _saved(self, name: str) -> None:
        self.segments[name] = self.filters()
        self.segment.blockSignals(True)
        if self.segment.findData(name) < 0:
            self.segment.addItem(name, name)
        self.segment.blockSignals(False)
        self._select_segment(name)
        hub.segments_changed.emit()

    def delete_segment(self) -> None:
        """Delete the chosen segment, once the user confirms."""
        name = self.segment.currentData()
        if name is None:
            return
        if QMessageBox.question(self, "Delete segment", f"Delete the saved segment “{name}”? "
                                "The responses stay as they are.") != QMessageBox.StandardButton.Yes:
            return
        run_task(self.session.job(lambda ws, p, c: analytics.delete_segment(ws, name)), owner=self, write=True,
                 on_done=lambda _: hub.segments_changed.emit(),
                 on_error=lambda msg, details="": QMessageBox.warning(self, "Delete segment", msg))


def page_header(page: QWidget, layout, title: str, default_preset: str,
                export=None) -> tuple[QLabel, FilterBar]:
    """An analysis page's top: its title with a muted status line (and an Export button when ``export``
    is given), then its filter bar, whose changes refresh ``page``. Returns the status label and the bar."""
    head = QHBoxLayout()
    heading = QLabel(title)
    heading.setObjectName("PageTitle")
    status = QLabel("")
    status.setObjectName("Muted")
    head.addWidget(heading)
    head.addSpacing(12)
    head.addWidget(status)
    head.addStretch(1)
    if export is not None:
        head.addWidget(export_button(page, export))
    layout.addLayout(head)
    bar = FilterBar(page.session, default_preset=default_preset)
    bar.changed.connect(page.refresh)
    layout.addWidget(bar)
    return status, bar
