"""The planner: who to survey when over a date range, with a readable reason for everyone left out.

Deterministic: the same workspace and range always give the same plan. It walks the business days of
the range in order. Each day it first handles triggered surveys that are due (onboarding, renewal,
support case, milestone) and surveys moved to that day, then draws from each open relational wave's
queue so the wave is spread evenly over its business days under the daily cap. A relational wave opens
on the first business day of its period (or of the range, if the period started earlier and the wave
was not sent) and lists its group's contacts stalest first, so the contacts of an account take turns.
As it opens, whoever the gap rules keep out of the whole wave is excluded, and contacts past their
account's places wait in reserve (one takes a place that frees up; the rest are excluded when the wave
closes), so the queue holds whom the wave will ask and spreads evenly.

Every candidate ends planned, excluded with a reason, or silently dropped because it is already
recorded as sent in that wave. A candidate blocked by a gap rule moves to the first day the rule
allows, if that is still inside its window (its wave, or a triggered survey's allowed delay); else it
is excluded with the rule that blocked it, worded from the day it was due.
"""
from __future__ import annotations

import contextlib
import gc
from bisect import bisect_right
from collections import Counter, defaultdict, deque
from datetime import date
from operator import itemgetter
from typing import Any, Callable, Iterator

from ..analytics import fiscal_year_start
from ..workspace import Workspace
from . import explain, periods_of
from .inputs import Inputs, Recorded, load_inputs
from .programs import (ADVOCATE_DAYS, NEW_CUSTOMER_DAYS, PERIODIC, RENEWAL_WINDOW_DAYS, Program,
                       load_programs)
from .rules import Rules, load_rules
from .days import _Days, _histories, _order
from .results import Excluded, Plan, PlanCancelled, Planned, Rows, Wave

#: Lifecycle groups whose members depend on the day (the others are computed once per plan).
DATED_TARGETS = ("new_customers", "renewals", "advocates")
FOREVER = 1 << 40   # a day ordinal after any real one


def plan(ws: Workspace, date_from: date, date_to: date, *,
         progress: Callable[[int, int], None] | None = None,
         cancelled: Callable[[], bool] | None = None) -> Plan:
    """Plan the workspace's active programs over ``date_from``..``date_to`` (both inclusive)."""
    if date_to < date_from:
        raise ValueError(f"the plan ends ({date_to}) before it starts ({date_from})")
    rules = load_rules(ws)
    programs = load_programs(ws, seed=not ws.read_only)
    back = max(rules.relational_gap_days, rules.global_gap_days, rules.recent_response_days,
               max((p.trigger_days for p in programs if p.plannable), default=0)) + 1
    ahead = max(rules.relational_gap_days, rules.global_gap_days) + 1
    with _collector_paused():
        inputs = load_inputs(ws, date_from, date_to, back, ahead)
        return make_plan(inputs, programs, rules, date_from, date_to, fiscal_year_start(ws),
                         progress=progress, cancelled=cancelled)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while hundreds of thousands of small tuples are made: it would
    scan them all again and again (half the run time at 100,000 contacts); the planner makes no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def make_plan(inputs: Inputs, programs: list[Program], rules: Rules, date_from: date, date_to: date,
              fy_start: int = 1, *, progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> Plan:
    """The plan of ``programs`` over the range from plain inputs (no database: see ``plan``)."""
    return _Planner(inputs, programs, rules, date_from, date_to, fy_start).run(progress, cancelled)


class _Planner:
    """One planning run. A candidate is a tuple ``(order, due index, prog, contact, end index, detail,
    wave index or None, screened or None)`` whose first element, ``_order``, is unique: a day's bucket
    sorts on it. ``screened`` (wave members) is ``(the contact's last plan, first day and last day the
    gap rules allow)`` as found when the wave opened.

    Excluded rows are ``(contact, prog, wave index, due day, rule, reason)``; the reason is text, None
    (the account cap, worded per account when read) or ``(function, *arguments)`` worded when read."""

    def __init__(self, inp: Inputs, programs: list[Program], rules: Rules, lo: date, hi: date,
                 fy_start: int):
        self.inp, self.rules, self.fy_start = inp, rules, fy_start
        self.lo, self.hi = lo, hi
        self.programs = [p for p in programs if p.plannable]
        self.all_programs = list(programs)
        self.cal = _Days(lo.toordinal(), hi.toordinal(), rules)
        self.day_count = [0] * len(self.cal.days)
        self.due: dict[int, list[tuple]] = defaultdict(list)     # day index -> triggered surveys due, in order
        self.moved: dict[int, list[tuple]] = defaultdict(list)   # day index -> candidates moved to it
        self.seq = 0
        self.planned: list[tuple] = []    # (day, contact, prog, detail, wave index)
        self.excluded: list[tuple] = []   # (contact, prog, wave index, due day, rule, reason)
        self.account_of = {cid: c.account_id for cid, c in inp.contacts.items()}
        self.account_key = {cid: acct or 0 for cid, acct in self.account_of.items()}   # sortable
        self.history, self.quiet_after = _histories(inp, rules)
        self.plan_any: dict[int, tuple[int, int]] = {}                 # contact -> (day, prog)
        self.plan_rel: dict[tuple[int, str], tuple[int, int]] = {}     # (contact, kind) -> (day, prog)
        self.waves: list[Wave] = []
        self.wave_index: dict[str, int] = {}
        self.wave_acct: list[dict[int, int]] = []   # per wave: account -> contacts in it
        # recorded invitations: never re-planned in their wave; they take their account's places
        self.wave_sent: list[set[int]] = []         # per wave: contacts recorded as sent in it
        self.sent_in_wave: dict[str, list[Recorded]] = defaultdict(list)
        for r in inp.recorded:
            if r.wave:
                self.sent_in_wave[r.wave].append(r)
        self.by_account: dict[int, list[int]] = defaultdict(list)
        self.contact_ids = sorted(inp.contacts)
        for cid in self.contact_ids:
            acct = inp.contacts[cid].account_id
            if acct is not None:
                self.by_account[acct].append(cid)
        self.lists = {i: self._list_members(p) for i, p in enumerate(self.programs) if p.target == "list"}
        self.on_lists = set().union(*self.lists.values()) if self.lists else set()
        self._static: dict[bool, dict[int, tuple[str, str]]] = {}
        self._members: dict[Any, list[int]] = {}
        self._member_sets: dict[Any, set[int]] = {}
        self._week_waves: dict[tuple[int, int], int] = {}
        self.queues: dict[int, deque[tuple]] = {}                             # open relational waves
        self.reserves: dict[int, dict[int, list[tuple]]] = defaultdict(dict)  # wave -> account -> members

    # -- who is in a program -------------------------------------------------------------------------
    def _list_members(self, p: Program) -> set[int]:
        accounts = {s.lower() for s in p.list_accounts}
        domains = {s.lower() for s in p.list_domains}
        roles = {s.lower() for s in p.list_roles}
        ids = {aid for aid, a in self.inp.accounts.items()
               if (a.external_id or "").lower() in accounts or a.name.lower() in accounts}
        out = set()
        for cid, c in self.inp.contacts.items():
            email = (c.email or "").lower()
            if (c.account_id in ids or (c.role or "").lower() in roles
                    or ("@" in email and email.rpartition("@")[2] in domains)):
                out.add(cid)
        return out

    def static(self, loss_survey: bool) -> dict[int, tuple[str, str]]:
        """Contacts excluded whatever the day, with the rule and its reason."""
        if loss_survey in self._static:
            return self._static[loss_survey]
        r, out = self.rules, self._static.setdefault(loss_survey, {})
        for cid, c in self.inp.contacts.items():
            a = self.inp.accounts.get(c.account_id) if c.account_id is not None else None
            if c.erased:
                out[cid] = ("erased", explain.erased())
            elif not c.email:
                out[cid] = ("no_email", explain.no_email())
            elif r.skip_opted_out and c.opted_out:
                out[cid] = ("opted_out", explain.opted_out())
            elif r.skip_bounced and c.bounced:
                out[cid] = ("bounced", explain.bounced())
            elif r.skip_churned and not loss_survey and a is not None and a.status == "churned":
                out[cid] = ("churned", explain.churned(a.name))
        return out

    def _in_group(self, p: Program, prog: int, cid: int, day: int) -> bool:
        if p.target == "list":
            return cid in self.lists[prog]
        if cid in self.on_lists:
            return False
        acct = self.account_of[cid]
        a = self.inp.accounts.get(acct) if acct is not None else None
        status = a.status if a else "active"
        if p.target == "customers":
            return status != "prospect"
        if p.target == "prospects":
            return status == "prospect"
        if p.target == "losses":
            return status == "churned"
        if a is None or status == "prospect":
            return False
        if p.target == "new_customers":
            return a.customer_since is not None and day - NEW_CUSTOMER_DAYS <= a.customer_since <= day
        if p.target == "renewals":
            return a.renewal is not None and day <= a.renewal <= day + RENEWAL_WINDOW_DAYS
        if p.target == "advocates":
            return (a.customer_since is not None and a.customer_since <= day - ADVOCATE_DAYS
                    and a.expansion is not None and a.expansion <= day)
        return False

    def _group(self, prog: int, day: int) -> list[int]:
        """The contacts of a program's group on ``day``, by id (computed once per group unless it
        depends on the day)."""
        p = self.programs[prog]
        if p.target in DATED_TARGETS:
            return [cid for cid in self.contact_ids if self._in_group(p, prog, cid, day)]
        key = ("list", prog) if p.target == "list" else p.target
        if key not in self._members:
            self._members[key] = [cid for cid in self.contact_ids if self._in_group(p, prog, cid, day)]
            self._member_sets[key] = set(self._members[key])
        return self._members[key]

    def _member(self, prog: int, cid: int, day: int) -> bool:
        p = self.programs[prog]
        if p.target in DATED_TARGETS:
            return self._in_group(p, prog, cid, day)
        self._group(prog, day)
        return cid in self._member_sets[("list", prog) if p.target == "list" else p.target]

    # -- waves -------------------------------------------------------------------------------------
    def _wave(self, prog: int, label: str, start: int, end: int) -> int:
        p = self.programs[prog]
        name = f"{p.name} {label}"
        w = self.wave_index.get(name)
        if w is None:
            w = self.wave_index[name] = len(self.waves)
            self.waves.append(Wave(name, p.name, p.id, p.kind, p.trigger or "", date.fromordinal(start),
                                   date.fromordinal(end)))
            sent = {r.contact_id for r in self.sent_in_wave.get(name, ()) if r.program_id == p.id}
            places: dict[int, int] = defaultdict(int)
            for cid in sent:
                if (acct := self.account_of.get(cid)) is not None:
                    places[acct] += 1
            self.wave_acct.append(dict(places))
            self.wave_sent.append(sent)
        return w

    def _weekly_wave(self, prog: int, day: int) -> int:
        """The wave of a triggered program: the ISO week of the day (ordinal 1 is a Monday)."""
        w = self._week_waves.get((prog, (day - 1) // 7))
        if w is None:
            y, wk, wd = date.fromordinal(day).isocalendar()
            monday = day - (wd - 1)
            w = self._week_waves[(prog, (day - 1) // 7)] = self._wave(
                prog, f"{y}-W{wk:02d}", max(monday, self.cal.lo), min(monday + 6, self.cal.hi))
        return w

    # -- candidates --------------------------------------------------------------------------------
    def _moments(self, p: Program) -> list[tuple[int, int | None, int | None, str]]:
        """``(day, contact, account, detail)`` of each moment that triggers ``p``."""
        inp, n, out = self.inp, p.trigger_days, []
        if p.trigger in ("onboarding", "renewal"):
            for aid in sorted(inp.accounts):
                a = inp.accounts[aid]
                if p.trigger == "onboarding" and a.customer_since is not None:
                    out.append((a.customer_since + n, None, aid,
                                f"customer since {date.fromordinal(a.customer_since)} + {explain.days(n)}"))
                elif p.trigger == "renewal" and a.renewal is not None:
                    out.append((a.renewal - n, None, aid, f"renews {date.fromordinal(a.renewal)} − {explain.days(n)}"))
        else:
            label = "support case" if p.trigger == "support_case" else "milestone"
            for e in inp.events:
                if e.kind == p.trigger:
                    ref = f" {e.reference}" if e.reference else ""
                    out.append((e.day + n, e.contact_id, e.account_id,
                                f"{label}{ref} on {date.fromordinal(e.day)} + {explain.days(n)}"))
        return out

    def _triggered(self) -> None:
        """Queue the triggered surveys whose (business-day) due date falls in the range."""
        delay, last_index = self.rules.max_delay_business_days, len(self.cal.days) - 1
        for prog, p in enumerate(self.programs):
            if p.periodic:
                continue
            static = self.static(p.target == "losses")
            for day, cid, aid, detail in self._moments(p):
                i = self.cal.at_or_after(day)
                if i is None or day < self.cal.lo:
                    continue
                due = self.cal.days[i]
                people = ([cid] if cid in self.account_of else []) if cid is not None else \
                    self.by_account.get(aid, [])
                for c in people:
                    if not self._member(prog, c, due):
                        continue
                    if c in static:
                        self.excluded.append((c, prog, self._weekly_wave(prog, due), due, *static[c]))
                        continue
                    self.seq += 1
                    self.due[i].append((_order(0, i, prog, self.seq), i, prog, c, min(i + delay, last_index),
                                        detail, None, None))

    def _relational(self) -> list[tuple[int, int, int, int]]:
        """``(first index, last index, wave, prog)`` of each relational wave opening in the range."""
        out = []
        for prog, p in enumerate(self.programs):
            if not p.periodic:
                continue
            for start, end, label in periods_of.periods_between(self.lo, self.hi, PERIODIC[p.trigger],
                                                                self.fy_start):
                first = self.cal.at_or_after(max(start, self.lo).toordinal())
                if first is None or self.cal.days[first] > end.toordinal():
                    continue
                last = first
                while (last + 1 < len(self.cal.days) and last + 1 - first < self.rules.wave_business_days
                       and self.cal.days[last + 1] <= end.toordinal()):
                    last += 1
                out.append((first, last, self._wave(prog, label, self.cal.days[first], self.cal.days[last]),
                            prog))
        return out

    def _open_wave(self, first: int, last: int, w: int, prog: int, judge: Callable[..., tuple]) -> deque[tuple]:
        """The wave's queue, chosen as it opens so that it spreads evenly over its days: its group's
        contacts, stalest first (never asked before all), then by account and id, less those a gap
        rule keeps out of the whole wave (excluded now) and those past their account's places (kept
        in reserve per account, in the same order, for a place that frees up)."""
        p, day = self.programs[prog], self.cal.days[first]
        static = self.static(p.target == "losses")
        name, sent = self.waves[w].name, self.wave_sent[w]
        history, plan_any, account_of = self.history, self.plan_any, self.account_of
        group = self._group(prog, day)
        self.excluded.extend((cid, prog, w, day, *static[cid]) for cid in group if cid in static)
        skip = static.keys() | sent if sent else static
        never = [cid for cid in group if cid not in skip and cid not in history and cid not in plan_any]
        never.sort(key=self.account_key.__getitem__)      # stable: by id within an account
        asked = []
        quiet_after, plan_rest = self.quiet_after, max(self.rules.global_gap_days, self.rules.relational_gap_days)
        for cid in group:
            if cid in skip or (cid not in history and cid not in plan_any):
                continue
            h, planned = history.get(cid), plan_any.get(cid)
            if quiet_after.get(cid, -1) <= day and (planned is None or planned[0] + plan_rest <= day):
                screened = (planned, day, FOREVER)   # nothing recent, nothing ahead: no gap rule applies
            else:
                verdict, found = judge(cid, prog, w, first, first, last, h, planned)
                if verdict == -1:
                    continue
                screened = (planned, found[0], found[3])   # what attempt need not work out again
            touched = -1   # the latest invitation or answer on or before the day
            if h and (touches := h[1]) and (k := bisect_right(touches, day)):
                touched = touches[k - 1]
            if planned and planned[0] > touched:
                touched = planned[0]
            asked.append(((touched + 1) << 80 | (account_of[cid] or 0) << 40 | cid, cid, screened))
        asked.sort(key=itemgetter(0))   # by (last touched, account, id), as one number
        free = (None, day, FOREVER)
        places, cap = dict(self.wave_acct[w]), self.rules.account_cap_per_wave
        detail = f"{name[len(p.name) + 1:]} {p.trigger} wave"
        order = _order(1, first, prog, 0)
        queue, reserve = deque(), self.reserves[w]
        members = [(cid, free) for cid in never]
        members += [(cid, screened) for _, cid, screened in asked]
        for n, (cid, screened) in enumerate(members, order):
            acct = account_of[cid]
            if acct is None:
                queue.append((n, first, prog, cid, last, detail, w, screened))
                continue
            taken = places.get(acct, 0)
            if taken >= cap:
                reserve.setdefault(acct, []).append((n, first, prog, cid, last, detail, w, screened))
            else:
                places[acct] = taken + 1
                queue.append((n, first, prog, cid, last, detail, w, screened))
        return queue

    def _promote(self, item: tuple) -> None:
        """A wave member left out after all: the next in reserve of its account takes the place."""
        w = item[6]
        reserve = self.reserves.get(w) if w is not None else None
        acct = self.account_of[item[3]]
        if reserve and acct is not None and reserve.get(acct):
            self.queues[w].appendleft(reserve[acct].pop(0))

    # -- the walk ----------------------------------------------------------------------------------
    def run(self, progress: Callable[[int, int], None] | None,
            cancelled: Callable[[], bool] | None) -> Plan:
        self._triggered()
        opening: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
        for wave in self._relational():
            opening[wave[0]].append(wave)
        attempt, judge = self._hot_path()
        open_waves: list[tuple[int, int, deque[tuple]]] = []   # (last index, wave, queue)
        n_days, cap, day_count, days = len(self.cal.days), self.rules.daily_cap, self.day_count, self.cal.days
        excluded = self.excluded
        for i in range(n_days):
            if cancelled is not None and cancelled():
                raise PlanCancelled("planning was cancelled")
            for first, last, w, prog in opening.pop(i, ()):
                self.queues[w] = self._open_wave(first, last, w, prog, judge)
                open_waves.append((last, w, self.queues[w]))
            bucket, moved = self.due.pop(i, []), self.moved.pop(i, None)
            if moved:   # the due list is in order already; the moved join it in theirs
                bucket += moved
                bucket.sort()
            for item in bucket:
                if attempt(item, i) < 0:
                    self._promote(item)
            still_open = []
            for last, w, queue in open_waves:
                # spread evenly: today's share of what is left, within the daily cap
                quota, taken = -(-len(queue) // (last - i + 1)), 0
                while queue and taken < quota and day_count[i] < cap:
                    item = queue.popleft()
                    verdict = attempt(item, i)
                    if verdict > 0:
                        taken += 1
                    elif verdict < 0:
                        self._promote(item)
                if i < last:
                    still_open.append((last, w, queue))
                    continue
                wave = self.waves[w]
                reason = explain.capacity(cap, wave.start, wave.end)
                excluded.extend((item[3], item[2], w, days[item[1]], "capacity", reason) for item in queue)
                for reserve in self.reserves.pop(w).values():
                    excluded.extend((item[3], item[2], w, days[item[1]], "account_cap", None) for item in reserve)
                del self.queues[w]
            open_waves = still_open
            if progress is not None:
                progress(i + 1, n_days)
        return self._result()

    def _hot_path(self) -> tuple[Callable[[tuple, int], bool], Callable[..., int | None]]:
        """``attempt(item, i)``: plan, move or exclude one candidate on business day ``i`` (True if
        planned); ``held(...)``: its gap rules alone.

        Closures over local names, as they run once per candidate and day. Checks in order: already
        sent in this wave; the gap rules (an answer, the relational gap, any invitation: the rule that
        allows the latest day explains) and a recorded invitation soon after; the account's places in
        the wave; the daily cap.
        """
        r = self.rules
        days, day_count, buckets, at_or_after = self.cal.days, self.day_count, self.moved, self.cal.at_or_after
        programs, weekly, wave_sent = self.programs, self._weekly_wave, self.wave_sent
        periodic = [p.periodic for p in programs]
        kinds = [p.kind for p in programs]
        account_of, wave_acct, excluded, planned = self.account_of, self.wave_acct, self.excluded, self.planned
        history_get = self.history.get
        plan_any, plan_rel = self.plan_any, self.plan_rel
        ans_gap, rel_gap, any_gap = r.recent_response_days, r.relational_gap_days, r.global_gap_days
        account_cap, daily_cap = r.account_cap_per_wave, r.daily_cap
        minimum_of = {"recent_response": ans_gap, "relational_gap": rel_gap, "global_gap": any_gap}

        def rule(name: str, minimum: int, days_of: list[int] | None, last: tuple[int, int] | None, day: int,
                 found: list) -> None:
            """Apply one gap rule to ``found`` (see ``gaps``)."""
            if days_of:
                k = bisect_right(days_of, day)
                if k and days_of[k - 1] + minimum > found[0]:
                    found[0], found[1] = days_of[k - 1] + minimum, (name, days_of[k - 1], None)
                if k < len(days_of):
                    limit = days_of[k] - minimum
                    if limit < found[3]:
                        found[3] = limit
                    if found[2] is None and limit < day:
                        found[2] = (name, days_of[k], minimum)
            if last and last[0] + minimum > found[0]:
                found[0], found[1] = last[0] + minimum, (name, last[0], last[1])

        def gaps(cid: int, prog: int, day: int, hist: tuple | None,
                 last_any: tuple[int, int] | None) -> list:
            """``[first allowed day, (rule, day it counts from, planned by) or None, (rule, later day,
            minimum) or None, last day a recorded later invitation allows]`` on ``day``."""
            answers, touches, relational = hist or (None, None, None)
            found: list = [day, None, None, FOREVER]
            if ans_gap and answers:
                k = bisect_right(answers, day)
                if k and answers[k - 1] + ans_gap > day:
                    found[0], found[1] = answers[k - 1] + ans_gap, ("recent_response", answers[k - 1], None)
                if k < len(answers):   # a later answer starts its own rest
                    found[3] = answers[k] - 1
            if rel_gap and periodic[prog] and (touches or last_any):
                kind = kinds[prog]
                rel_days, rel_last = relational and relational.get(kind), last_any and plan_rel.get((cid, kind))
                if rel_days or rel_last:
                    rule("relational_gap", rel_gap, rel_days, rel_last, day, found)
            if any_gap and (touches or last_any):
                rule("global_gap", any_gap, touches, last_any, day, found)
            return found


        def judge(cid: int, prog: int, w: int, due_i: int, i: int, end_i: int, hist: tuple | None,
                  last_any: tuple[int, int] | None) -> tuple[int | None, list]:
            """The gap rules on day ``i``: ``(None, found)`` if they allow it, ``(j, found)`` if they
            allow day index ``j`` within ``end_i``, else ``(-1, found)`` and the exclusion is recorded."""
            day = days[i]
            found = gaps(cid, prog, day, hist, last_any)
            ok, why, ahead = found[0], found[1], found[2]
            if why is not None:
                j = at_or_after(ok)
                if j is not None and j <= end_i:
                    return j, found
                rule, at, by = why
                due = days[due_i]
                excluded.append((cid, prog, w, due, rule, (
                    explain.gap, rule, (due if at <= due else day) - at, minimum_of[rule],
                    None if by is None else programs[by].name)))
                return -1, found
            if ahead is not None:
                rule, at, minimum = ahead
                excluded.append((cid, prog, w, days[due_i], rule,
                                 (explain.upcoming, rule, date.fromordinal(at), at - day, minimum)))
                return -1, found
            return None, found

        def attempt(item: tuple, i: int) -> int:
            """1: planned on day ``i``; 0: moved to a later day; -1: excluded (or already sent)."""
            _, due_i, prog, cid, end_i, detail, w, screened = item
            day = days[i]
            if w is None:
                w = weekly(prog, day)
                if cid in wave_sent[w]:
                    return -1
            hist, last_any = history_get(cid), plan_any.get(cid)
            if screened is not None and screened[0] is last_any and screened[1] <= day <= screened[2]:
                pass   # as found when the wave opened, and nobody planned the contact since
            elif hist or last_any:   # nobody without history can break a gap rule
                j = judge(cid, prog, w, due_i, i, end_i, hist, last_any)[0]
                if j is not None:
                    if j < 0:
                        return -1
                    buckets[j].append(item)
                    return 0
            acct = account_of[cid]
            if acct is not None and wave_acct[w].get(acct, 0) >= account_cap:
                excluded.append((cid, prog, w, days[due_i], "account_cap", None))
                return -1
            if day_count[i] >= daily_cap:
                if i < end_i:
                    buckets[i + 1].append(item)
                    return 0
                excluded.append((cid, prog, w, days[due_i], "capacity", (
                    explain.capacity, daily_cap, date.fromordinal(days[due_i]), date.fromordinal(day))))
                return -1
            day_count[i] += 1
            plan_any[cid] = (day, prog)
            if periodic[prog]:
                plan_rel[(cid, kinds[prog])] = (day, prog)
            if acct is not None:
                wave_acct[w][acct] = wave_acct[w].get(acct, 0) + 1
            planned.append((day, cid, prog, detail, w))
            return 1

        return attempt, judge

    def _result(self) -> Plan:
        """The plan: rows made on demand from the run's tuples, waves with their counts."""
        contacts, programs, waves, new = self.inp.contacts, self.programs, self.waves, tuple.__new__
        names = {a: acc.name for a, acc in self.inp.accounts.items()}
        dates: dict[int, date] = {}
        cap_reasons: dict[int | None, str] = {}
        cap = self.rules.account_cap_per_wave   # (the rows' closures keep no reference to the planner)

        def as_date(o: int) -> date:
            d = dates.get(o)
            if d is None:
                d = dates[o] = date.fromordinal(o)
            return d

        def make_planned(row: tuple) -> Planned:
            day, cid, prog, detail, w = row
            c, p = contacts[cid], programs[prog]
            return new(Planned, (as_date(day), c.email or "", c.first_name, c.last_name, cid, c.account_id,
                                 names.get(c.account_id), p.name, p.id, p.kind, p.trigger or "", detail,
                                 waves[w].name))

        def make_excluded(row: tuple) -> Excluded:
            cid, prog, w, due, rule, reason = row
            acct = contacts[cid].account_id
            if reason is None:   # account_cap, worded once per account
                reason = cap_reasons.get(acct)
                if reason is None:
                    reason = cap_reasons[acct] = explain.account_cap(names.get(acct, f"account {acct}"), cap)
            elif type(reason) is tuple:   # worded when read: (function, *arguments)
                reason = reason[0](*reason[1:])
            return new(Excluded, (contacts[cid].email, cid, acct, names.get(acct), programs[prog].name,
                                  waves[w].name, as_date(due), rule, reason))

        for w, n in Counter(map(itemgetter(4), self.planned)).items():
            waves[w].planned = n
        for w, n in Counter(map(itemgetter(2), self.excluded)).items():
            waves[w].excluded = n
        self._add_recorded_waves()
        self.excluded.sort(key=itemgetter(3))   # by due day; stable, so in the order decided
        return Plan(self.lo, self.hi, self.rules, self.all_programs, Rows(self.planned, make_planned),
                    Rows(self.excluded, make_excluded),
                    sorted((w for w in waves if w.planned or w.excluded or w.sent), key=lambda w: (w.start, w.name)),
                    {as_date(self.cal.days[i]): n for i, n in enumerate(self.day_count) if n},
                    dict(Counter(map(itemgetter(4), self.excluded)).most_common()))

    def _add_recorded_waves(self) -> None:
        """Sent counts of recorded waves, and recorded waves in the range that had nothing to plan."""
        by_id = {p.id: p for p in self.all_programs}
        lo, hi = self.cal.lo, self.cal.hi
        for name, recs in sorted(self.sent_in_wave.items()):
            days = [r.day for r in recs]
            w = self.wave_index.get(name)
            if w is None:
                if not any(lo <= d <= hi for d in days):
                    continue
                pid = recs[0].program_id
                p = by_id.get(pid)
                w = self.wave_index[name] = len(self.waves)
                self.waves.append(Wave(name, p.name if p else "", pid, p.kind if p else "",
                                       (p.trigger or "") if p else "", date.fromordinal(min(days)),
                                       date.fromordinal(max(days))))
            self.waves[w].sent = len(days)
