"""What the actions page's tabs share: the filters' choices, the queue's columns, small formatting."""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtWidgets import (QLabel, QWidget)

from ....core.loop import actions as act
from ... import theme
from ...widgets.rows_model import Column
from ...amounts import money


STATUS_FILTERS = [("Not done", ("open", "in_progress")), ("Open", ("open",)),
                  ("In progress", ("in_progress",)), ("Done", ("done",)), ("All statuses", ())]


DUE_FILTERS = [("Any due date", None), ("Overdue", "overdue"), ("Due by today", 0), ("Due within 7 days", 7),
               ("Due within 30 days", 30)]


ARR_FILTERS = [("Any ARR", None), ("ARR ≥ 10k", 10_000), ("ARR ≥ 50k", 50_000), ("ARR ≥ 100k", 100_000),
               ("ARR ≥ 250k", 250_000)]


UNASSIGNED = "(unassigned)"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _due_tip(a: act.Action, today: date) -> str | None:
    if not a.overdue or not a.due:
        return None
    return f"Overdue by {(today - date.fromisoformat(a.due)).days} days"


def action_columns(today: Callable[[], date]) -> list[Column]:
    return [
        Column("Due", lambda a: a.due or "—", sort=lambda a: a.due or "9999",
               color=lambda a: theme.DETRACTOR if a.overdue else None, bold=lambda a: a.overdue,
               tooltip=lambda a: _due_tip(a, today())),
        Column("Status", lambda a: act.STATUS_LABELS[a.status] + (f" · {act.OUTCOME_LABELS[a.outcome]}"
                                                                  if a.outcome else ""),
               tooltip=lambda a: f"Outcome: {act.OUTCOME_LABELS[a.outcome]}" if a.outcome else None),
        Column("Play", lambda a: a.play_name),
        Column("Account", lambda a: a.account_name or "—"),
        Column("Contact", lambda a: a.contact_name or a.contact_email or "—", tooltip=lambda a: a.contact_email),
        Column("Score", lambda a: "—" if a.score is None else str(a.score), sort=lambda a: -1 if a.score is None
               else a.score, color=lambda a: None if a.score is None else theme.score_color(a.score),
               tooltip=lambda a: a.comment, right=True),
        Column("Owner", lambda a: a.owner or UNASSIGNED),
        Column("ARR", lambda a: money(a.arr), sort=lambda a: a.arr or 0.0, right=True),
    ]


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"
