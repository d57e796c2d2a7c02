"""The workspace's history in memory, and what of it was known on a given day.

Everything in ``core/worth`` reads the workspace through ``History``: responses, their themes, revenue
events, close-the-loop actions, and the few account fields that do not change over time (name, tier,
customer since). An account's current ARR, status and renewal date are *not* history: they say how
things ended, so the backtests never read them (``arr_at`` rebuilds ARR from the revenue events).

"Known at ``t``" means dated before ``t``: a response, event or action of day ``t`` itself is not.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from .. import nps, revenue_events
from ..workspace import Workspace

YEAR = timedelta(days=365)


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    tier: str | None
    customer_since: date | None
    arr_now: float | None          # today's ARR: for the live risk list only, never for a backtest


class Response(NamedTuple):     # a tuple: a large workspace holds a million of them
    id: int
    account_id: int
    contact: object                # the contact id, or -response id when there is none
    responded_at: str
    day: date
    score: int


@dataclass(frozen=True)
class Event:
    account_id: int
    day: date
    kind: str
    arr_before: float
    arr_change: float
    lost: float                    # ARR lost by a churn or downsell

    @property
    def arr_after(self) -> float:
        return self.arr_before + self.arr_change


@dataclass(frozen=True)
class Action:
    account_id: int
    play: str
    created: date
    due: date | None
    closed: date | None
    outcome: str | None


def _day(text: str | None) -> date | None:
    """The date a stored text starts with (None when empty or not a date)."""
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


@dataclass
class History:
    today: date
    accounts: dict[int, Account]
    responses: list[Response]                       # by day
    themes: dict[int, list[tuple[str, int]]]        # response id -> (theme, polarity)
    events: dict[int, list[Event]]                  # account id -> its events by day
    actions: list[Action]
    _days: list[date] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.responses.sort(key=lambda r: (r.day, r.responded_at, r.id))  # (already in this order from load)
        self._days = [r.day for r in self.responses]
        self._answered: dict[int, list[date]] = {}
        for r in self.responses:
            self._answered.setdefault(r.account_id, []).append(r.day)

    @classmethod
    def load(cls, ws: Workspace, today: date) -> "History":
        conn = ws.conn
        accounts = {r[0]: Account(r[0], r[1], r[2], _day(r[3]), r[4]) for r in conn.execute(
            "SELECT id, name, tier, customer_since, arr FROM accounts WHERE status <> 'prospect'")}
        days: dict[str, date | None] = {}   # many answers share a day: parse each day once
        responses = [Response(r[0], r[1], r[2] if r[2] is not None else -r[0], r[3], day, r[5])
                     for r in conn.execute("SELECT id, account_id, contact_id, responded_at, responded_on, score "
                                           "FROM responses WHERE account_id IS NOT NULL "
                                           "ORDER BY responded_on, responded_at, id")
                     if (day := days[r[4]] if r[4] in days else days.setdefault(r[4], _day(r[4]))) is not None]
        themes: dict[int, list[tuple[str, int]]] = {}
        for rid, theme, polarity in conn.execute("SELECT response_id, theme, polarity FROM response_themes"):
            themes.setdefault(rid, []).append((theme, polarity))
        events: dict[int, list[Event]] = {}
        for row, before in revenue_events.history(conn):
            change = row["arr_change"] or 0.0
            lost = (-change if change else before) if row["kind"] == "churn" else \
                -change if row["kind"] == "downsell" else 0.0
            if (on := _day(row["occurred_on"])) is not None:
                events.setdefault(row["account_id"], []).append(
                    Event(row["account_id"], on, row["kind"], before, change, lost))
        actions = [Action(r[0], r[1], created, _day(r[3]), _day(r[4]), r[5]) for r in conn.execute(
            "SELECT account_id, play, created_at, due, closed_at, outcome FROM actions WHERE account_id IS NOT NULL")
            if (created := _day(r[2])) is not None]
        return cls(today, accounts, responses, themes, events, actions)

    # -- what was known on a day ----------------------------------------------------------------
    def responses_between(self, first: date, last: date) -> list[Response]:
        """Responses dated ``first``..``last`` inclusive."""
        return self.responses[bisect.bisect_left(self._days, first):bisect.bisect_right(self._days, last)]

    def rollup(self, t: date, days: int = 365) -> dict[int, nps.AccountScore]:
        """DESIGN.md's account rollup over the ``days`` before ``t`` (``t`` excluded)."""
        window = self.responses_between(t - timedelta(days=days), t - timedelta(days=1))
        return nps.account_rollup((r.account_id, r.contact, r.responded_at, r.score) for r in window)

    def last_answer(self, account_id: int, t: date) -> date | None:
        """The day of the account's latest answer before ``t``."""
        answered = self._answered.get(account_id, [])
        i = bisect.bisect_left(answered, t)
        return answered[i - 1] if i else None

    def arr_at(self, account_id: int, t: date) -> float:
        """The account's ARR after its events dated before ``t``; today's ARR once ``t`` is past today
        for an account with no events at all."""
        evs = [e for e in self.events.get(account_id, ()) if e.day < t]
        if evs:
            return evs[-1].arr_after
        if not self.events.get(account_id) and t > self.today:
            return (self.accounts[account_id].arr_now or 0.0) if account_id in self.accounts else 0.0
        return 0.0

    def events_between(self, account_id: int, first: date, end: date) -> list[Event]:
        """The account's events dated ``first`` ≤ day < ``end``."""
        return [e for e in self.events.get(account_id, ()) if first <= e.day < end]

    def next_renewal(self, account_id: int, t: date) -> date | None:
        """The first anniversary on or after ``t`` of the account's latest renewal or new-logo event
        before ``t`` (else of its customer-since date); None when neither is known."""
        anchors = [e.day for e in self.events.get(account_id, ()) if e.day < t and e.kind in ("renewal", "new")]
        a = self.accounts.get(account_id)
        anchor = anchors[-1] if anchors else a.customer_since if a else None
        if anchor is None or anchor >= t:
            return None
        day = min(anchor.day, 28)
        for year in range(t.year, t.year + 2):
            d = date(year, anchor.month, day)
            if d >= t:
                return d
        return None


def quarter_starts(first: date, last: date) -> list[date]:
    """The first days of calendar quarters from ``first`` to ``last``, inclusive."""
    d, out = date(first.year, 3 * ((first.month - 1) // 3) + 1, 1), []
    while d <= last:
        if d >= first:
            out.append(d)
        d = next_quarter(d)
    return out


def next_quarter(t: date) -> date:
    """The first day of the calendar quarter after the one starting on ``t``."""
    return date(t.year + (t.month == 10), (t.month + 2) % 12 + 1, 1)
