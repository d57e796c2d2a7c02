"""The Revenue page's "What NPS is worth" section: the value of a move with its interval, and the churn-risk
list beside the backtest that says how well it would have worked on the workspace's own past.

Both come from ``core.worth``; the model is fitted in the background (a few seconds at most), with
progress shown and a Cancel button.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...core.worth import history, risk, value
from ..widgets.rows_model import Column, RowsModel
from ..widgets.table_view import table_view
from ..workers import Task, run_task

GREY = "#9ca3af"


def money(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


MOVE_COLUMNS = [
    Column("Move of one account", lambda m: f"{m.from_category.capitalize()} to {m.to_category}",
           color=lambda m: GREY if m.covers_zero else None),
    Column("Its average ARR", lambda m: money(m.average_arr), sort=lambda m: m.average_arr, right=True,
           color=lambda m: GREY if m.covers_zero else None),
    Column("Worth a year", lambda m: money(m.value), sort=lambda m: m.value, right=True,
           color=lambda m: GREY if m.covers_zero else None,
           tooltip=lambda m: "The interval crosses zero: this move may be worth nothing" if m.covers_zero else None),
    Column("90% interval", lambda m: f"{money(m.low)} to {money(m.high)}", sort=lambda m: m.low, right=True,
           color=lambda m: GREY if m.covers_zero else None),
]
RISK_COLUMNS = [
    Column("Account", lambda a: a.name or f"account {a.account_id}"),
    Column("ARR", lambda a: money(a.arr), sort=lambda a: a.arr, right=True),
    Column("Risk (180 days)", lambda a: "—" if a.risk is None else f"{a.risk:.0%}",
           sort=lambda a: -1 if a.risk is None else a.risk, right=True),
    Column("Expected loss", lambda a: money(a.expected_loss), sort=lambda a: a.expected_loss or 0, right=True,
           tooltip=lambda a: "risk × ARR"),
    Column("Its biggest reasons", lambda a: "; ".join(a.reasons), tooltip=lambda a: "\n".join(a.reasons)),
]


def _label(text: str = "", name: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def compute(ws, today: date, progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> dict[str, Any]:
    """What the panel shows (run in the background): ``value`` a ``ValueOfMove``, ``risk`` a ``RiskReport``."""
    h = history.History.load(ws, today)
    progress(1, 3)
    doc: dict[str, Any] = {"value": value.value_of_move(h)}
    progress(2, 3)
    doc["risk"] = risk.risk_report(h, cancelled)
    progress(3, 3)
    return doc


class WorthPanel(QWidget):
    """Call ``refresh(session, today)`` whenever the page refreshes; ``last`` holds what it shows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.last: dict[str, Any] | None = None
        self._task: Task | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(_label("What NPS is worth", "SectionTitle"))
        self.value_text = _label("")
        layout.addWidget(self.value_text)
        self.moves_model = RowsModel(MOVE_COLUMNS)
        self.moves = table_view(self.moves_model, sorting=False)
        self.moves.verticalHeader().setVisible(False)
        layout.addWidget(self.moves)
        self.saves_text = _label("", "Muted")
        layout.addWidget(self.saves_text)

        head = QHBoxLayout()
        head.addWidget(_label("Who may leave in the next 180 days", "SectionTitle"), 1)
        self.status = _label("", "Muted")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(lambda: self.cancel())
        head.addWidget(self.status)
        head.addWidget(self.cancel_button)
        layout.addLayout(head)
        self.backtest_text = _label("")
        layout.addWidget(self.backtest_text)
        self.risk_model = RowsModel(RISK_COLUMNS)
        self.risk_view = table_view(self.risk_model)
        self.risk_view.setMinimumHeight(300)
        layout.addWidget(self.risk_view)

    def refresh(self, session, today: date) -> None:
        self.cancel()
        self.status.setText("Fitting the risk model on your history…")
        self.cancel_button.setVisible(True)
        task = run_task(session.job(lambda ws, progress, cancelled: compute(ws, today, progress, cancelled),
                                    read_only=True),
                        owner=self, on_done=lambda doc: self._done(task, doc),
                        on_error=lambda message, details: self._failed(task, message),
                        on_progress=lambda done, total: self.status.setText(
                            f"Fitting the risk model on your history… {done} of {total}"))
        self._task = task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
            self.status.setText("Cancelled.")
        self.cancel_button.setVisible(False)

    def _failed(self, task: Task, message: str) -> None:
        if task is self._task:
            self._task = None
            self.cancel_button.setVisible(False)
            self.status.setText("Cancelled." if task.cancelled else f"Could not compute: {message}")

    def _done(self, task: Task, doc: dict[str, Any]) -> None:
        if task is not self._task or task.cancelled:
            return
        self._task = None
        self.cancel_button.setVisible(False)
        self.status.setText("")
        self.last = doc
        v, r = doc["value"], doc["risk"]
        self.value_text.setText(value.sentence(v))
        self.moves_model.set_rows(list(v.moves))
        self.moves.setVisible(bool(v.moves))
        self.moves.resizeColumnsToContents()
        self.moves.setFixedHeight(self.moves.horizontalHeader().height() + 2 * self.moves.frameWidth()
                                  + sum(self.moves.rowHeight(i) for i in range(len(v.moves))))
        s = v.saves
        self.saves_text.setText(
            f"This quarter's saves: {s.accounts} detractor accounts recovered ({money(s.arr)} ARR), worth "
            f"{money(s.value)} a year ({money(s.low)} to {money(s.high)}) as moves from detractor to "
            "passive." if s and s.accounts else "")
        b = r.backtest
        text = b.summary
        if not r.model_shown and b.quarters:
            text += " " + (b.reason or "") + " The list shows the rule's accounts instead."
        self.backtest_text.setText(text)
        self.risk_model.set_rows(list(r.accounts))
        self.risk_view.resizeColumnsToContents()
        self.risk_view.horizontalHeader().setStretchLastSection(True)
