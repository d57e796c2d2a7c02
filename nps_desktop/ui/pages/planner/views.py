"""The planner page's tables: the columns of the send list, the excluded contacts, the waves, the
response rates and the programs, and small widget helpers."""
from __future__ import annotations

from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QTableView, QWidget)

from ....core.cadence import explain, programs as prog_core, rules as rules_core, waves
from ....core import labels
from ... import theme
from ...widgets.rows_model import Column, RowsModel
from ...widgets.table_view import table_view


DEFAULT_DAYS = 90


SORTABLE_UP_TO = 20_000      # larger tables keep the planner's order (sorting them would stall the UI)


ALL = "__all__"


WEEKDAYS = rules_core.WEEKDAY_NAMES


def _name(p) -> str:
    return " ".join(x for x in (p.first_name, p.last_name) if x) or "—"


PLANNED_VIEW = [
    Column("Planned on", lambda p: p.planned_on.isoformat()),
    Column("Email", lambda p: p.email),
    Column("Name", _name),
    Column("Account", lambda p: p.account or "—"),
    Column("Program", lambda p: p.program, tooltip=lambda p: prog_core.KIND_LABELS.get(p.kind, p.kind)),
    Column("Trigger", lambda p: p.detail, tooltip=lambda p: p.trigger),
    Column("Wave", lambda p: p.wave),
]


EXCLUDED_VIEW = [
    Column("Due", lambda e: e.due_on.isoformat()),
    Column("Email", lambda e: e.email or "(no email)"),
    Column("Account", lambda e: e.account or "—"),
    Column("Program", lambda e: e.program),
    Column("Rule", lambda e: explain.RULE_NAMES.get(e.rule, e.rule).capitalize()),
    Column("Reason", lambda e: e.reason, tooltip=lambda e: f"{e.wave}: {e.reason}"),
]


WAVE_VIEW = [
    Column("Wave", lambda w: w.name, bold=lambda w: w.planned > 0),
    Column("From", lambda w: w.start.isoformat()),
    Column("To", lambda w: w.end.isoformat()),
    Column("Planned", lambda w: f"{w.planned:,}", sort=lambda w: w.planned, right=True),
    Column("Excluded", lambda w: f"{w.excluded:,}", sort=lambda w: w.excluded, right=True),
    Column("Sent", lambda w: f"{w.sent:,}" if w.sent else "—", sort=lambda w: w.sent, right=True,
           color=lambda w: theme.PROMOTER if w.sent else None),
]


def _rate(r: waves.Rate) -> str:
    return "—" if r.rate is None else f"{r.rate:.1f}%"


RATE_BY_WAVE = [
    Column("Wave", lambda r: r.key),
    Column("Sent", lambda r: f"{r.sent:,}", sort=lambda r: r.sent, right=True),
    Column("Responded", lambda r: f"{r.responded:,}", sort=lambda r: r.responded, right=True),
    Column("Rate", _rate, sort=lambda r: -1 if r.rate is None else r.rate, right=True),
    Column("First sent", lambda r: r.first_sent or "—"),
    Column("Last sent", lambda r: r.last_sent or "—"),
]


RATE_BY_PROGRAM = [
    Column("Program", lambda r: r.key),
    Column("Kind", lambda r: prog_core.KIND_LABELS.get(r.kind, r.kind)),
    Column("Sent", lambda r: f"{r.sent:,}", sort=lambda r: r.sent, right=True),
    Column("Responded", lambda r: f"{r.responded:,}", sort=lambda r: r.responded, right=True),
    Column("Rate", _rate, sort=lambda r: -1 if r.rate is None else r.rate, right=True),
]


PROGRAM_VIEW = [
    Column("Program", lambda p: p.name, bold=lambda p: p.plannable),
    Column("Kind", lambda p: labels.display("kind", p.kind), tooltip=lambda p: prog_core.KIND_LABELS.get(p.kind)),
    Column("When and who", lambda p: p.describe(), color=lambda p: None if p.active else theme.TEXT_MUTED),
]


def _table(model: RowsModel, stretch_last: bool = True) -> QTableView:
    """A table sorted by a header click only once ``_fill`` knows it is small enough."""
    return table_view(model, sorting=False, stretch_last=stretch_last)


def _fill(view: QTableView, model: RowsModel, rows: list) -> None:
    """Show ``rows``; sortable by a header click unless there are too many to sort quickly."""
    model.set_rows(rows)
    view.setSortingEnabled(len(rows) <= SORTABLE_UP_TO)
    view.resizeColumnsToContents()   # measures the first rows only (the header's precision)


def _button(text: str, on_click) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(on_click)
    return button


def _row(*widgets: QWidget) -> QHBoxLayout:
    """Widgets side by side, from the left."""
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    row.addStretch(1)
    return row


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label
