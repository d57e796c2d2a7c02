"""What the planner reads before it walks the days: the business days of the range (``_Days``), each
contact's history of answers and invitations (``_histories``), and the one-integer order of candidates."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from operator import itemgetter

from .inputs import Inputs
from .rules import Rules


def _order(prio: int, due_index: int, prog: int, seq: int) -> int:
    """One integer that sorts candidates as ``(prio, due index, prog, seq)`` would, compared at once:
    triggered (0) before relational (1), earlier due first, then program and creation order."""
    return (((prio << 24 | due_index) << 20) | prog) << 40 | seq


def _histories(inp: Inputs, rules: Rules) -> tuple[dict[int, tuple], dict[int, int]]:
    """Per contact: sorted days of answers, of any invitation, and of relational ones per kind; and
    the day after which that history (past or recorded ahead) can hold no invitation back."""
    answers: dict[int, list[int]] = defaultdict(list)
    touches: dict[int, list[int]] = defaultdict(list)
    relational: dict[tuple[int, str | None], list[int]] = defaultdict(list)
    for cid, day, kind, rel in sorted(inp.touches, key=itemgetter(1)):   # so every list is in order
        touches[cid].append(day)
        if rel:
            relational[(cid, kind)].append(day)
    for cid, day in sorted(inp.answers, key=itemgetter(1)):
        answers[cid].append(day)
    by_kind: dict[int, dict[str | None, list[int]]] = defaultdict(dict)
    quiet = {cid: days[-1] + rules.recent_response_days for cid, days in answers.items()}
    for cid, days in touches.items():
        quiet[cid] = max(quiet.get(cid, -1), days[-1] + rules.global_gap_days)
    for (cid, kind), days in relational.items():
        by_kind[cid][kind] = days
        quiet[cid] = max(quiet[cid], days[-1] + rules.relational_gap_days)
    return {cid: (answers.get(cid), touches.get(cid), by_kind.get(cid)) for cid in quiet}, quiet


class _Days:
    """The business days of the range, by index."""

    def __init__(self, lo: int, hi: int, rules: Rules):
        weekdays = set(rules.business_weekdays)
        holidays = {date.fromisoformat(h).toordinal() for h in rules.holidays}
        self.days = [o for o in range(lo, hi + 1) if (o - 1) % 7 in weekdays and o not in holidays]
        self.lo, self.hi = lo, hi
        self._next: list[int] = []
        j = 0
        for o in range(lo, hi + 1):
            while j < len(self.days) and self.days[j] < o:
                j += 1
            self._next.append(j)

    def at_or_after(self, o: int) -> int | None:
        """Index of the first business day on or after ordinal ``o`` inside the range, else None."""
        if o > self.hi:
            return None
        j = self._next[o - self.lo] if o >= self.lo else 0
        return j if j < len(self.days) else None
