"""The send list (and the excluded list) as .csv or .xlsx for the team's survey tool or mail merge."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Sequence

from ..export_safety import write_table
from .planner import Excluded, Plan, Planned

#: The send list's columns: the six a mail merge needs first, then what the CLI contract adds.
PLANNED_COLUMNS = ("email", "first name", "last name", "account", "program", "planned on",
                   "account_id", "kind", "trigger", "wave")
EXCLUDED_COLUMNS = ("email", "account", "program", "wave", "due on", "rule", "reason")


def planned_rows(rows: Sequence[Planned]) -> Iterator[tuple]:
    """The cells of ``PLANNED_COLUMNS`` for each planned invitation."""
    return ((p.email, p.first_name, p.last_name, p.account, p.program, p.planned_on, p.account_id, p.kind,
             p.trigger, p.wave) for p in rows)


def excluded_rows(rows: Sequence[Excluded]) -> Iterator[tuple]:
    """The cells of ``EXCLUDED_COLUMNS`` for each excluded contact."""
    return ((e.email, e.account, e.program, e.wave, e.due_on, e.rule, e.reason) for e in rows)


def export_plan(plan: Plan, path: str | Path, wave: str | None = None,
                progress: Callable[[int, int], None] | None = None) -> int:
    """Write the planned invitations (of one ``wave``, or all) to ``path``; returns the row count."""
    rows = plan.planned if wave is None else [p for p in plan.planned if p.wave == wave]
    return write_table(path, PLANNED_COLUMNS, planned_rows(rows), sheet="Send list", progress=progress,
                       total=len(rows))


def export_excluded(plan: Plan, path: str | Path, progress: Callable[[int, int], None] | None = None) -> int:
    """Write the excluded contacts with their reasons to ``path``; returns the row count."""
    return write_table(path, EXCLUDED_COLUMNS, excluded_rows(plan.excluded), sheet="Excluded", progress=progress,
                       total=len(plan.excluded))
