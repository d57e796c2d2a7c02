"""What the planner gives: the planned invitations, the excluded contacts with their reasons, the waves,
and the ``Plan`` that holds them (with ``to_json`` for the CLI)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterator, NamedTuple, Sequence

from .programs import Program
from .rules import Rules


class Planned(NamedTuple):
    planned_on: date
    email: str
    first_name: str | None
    last_name: str | None
    contact_id: int
    account_id: int | None
    account: str | None
    program: str
    program_id: int | None
    kind: str
    trigger: str
    detail: str
    wave: str


class Excluded(NamedTuple):
    email: str | None
    contact_id: int
    account_id: int | None
    account: str | None
    program: str
    wave: str
    due_on: date
    rule: str
    reason: str


@dataclass
class Wave:
    """A batch of one program's invitations: a relational period, or a week of a triggered program."""
    name: str
    program: str
    program_id: int | None
    kind: str
    trigger: str
    start: date
    end: date
    planned: int = 0
    excluded: int = 0
    sent: int = 0      # already recorded as sent in the workspace


class PlanCancelled(Exception):
    """The caller's ``cancelled()`` returned true; nothing was changed."""


class Rows(Sequence):  # noqa: PLW1641 (a list: equal by content, not hashable)
    """A read-only list of plan rows, each made when it is read from the planner's compact tuples
    (a plan can hold hundreds of thousands; a table shows a screenful)."""

    def __init__(self, raw: list[tuple] = (), make: Callable[[tuple], Any] = tuple):
        self._raw, self._make = raw, make

    def __len__(self) -> int:
        return len(self._raw)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._make(x) for x in self._raw[i]]
        return self._make(self._raw[i])

    def __iter__(self) -> Iterator:
        return map(self._make, self._raw)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Rows, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows)"


@dataclass
class Plan:
    date_from: date
    date_to: date
    rules: Rules
    programs: list[Program]
    planned: Sequence[Planned] = field(default_factory=Rows)     # in the order they were planned
    excluded: Sequence[Excluded] = field(default_factory=Rows)
    waves: list[Wave] = field(default_factory=list)
    per_day: dict[date, int] = field(default_factory=dict)         # invitations per business day
    excluded_by_rule: dict[str, int] = field(default_factory=dict)

    def wave(self, name: str) -> Wave | None:
        return next((w for w in self.waves if w.name == name), None)

    def to_json(self, include_excluded: bool = False) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "from": self.date_from.isoformat(), "to": self.date_to.isoformat(),
            "planned": [{"email": p.email, "account_id": p.account_id, "program": p.program, "kind": p.kind,
                         "planned_on": p.planned_on.isoformat(), "trigger": p.trigger, "detail": p.detail,
                         "wave": p.wave, "first_name": p.first_name, "last_name": p.last_name,
                         "account": p.account} for p in self.planned],
            "waves": [{"wave": w.name, "program": w.program, "kind": w.kind, "trigger": w.trigger,
                       "start": w.start.isoformat(), "end": w.end.isoformat(), "planned": w.planned,
                       "excluded": w.excluded, "sent": w.sent} for w in self.waves],
        }
        if include_excluded:
            doc["excluded"] = [{"email": e.email, "reason": e.reason, "rule": e.rule, "program": e.program,
                                "wave": e.wave, "due_on": e.due_on.isoformat(), "account_id": e.account_id}
                               for e in self.excluded]
        return doc
