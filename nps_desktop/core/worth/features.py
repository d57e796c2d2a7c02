"""Churn-risk features of an account, from what was known before a day ``t``.

Every feature reads the history through ``History`` methods that stop before ``t`` (a leakage test
deletes everything dated ``t`` or later and checks the features do not change).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import numpy as np

from .. import nps
from .history import History

SAVE_WON = ("recovered", "upsell_opened")


@dataclass(frozen=True)
class Feature:
    key: str
    group: str                          # features of one group give one reason between them
    describe: Callable[[dict[str, float]], str]   # the account's values in words


def _pts(x: float) -> str:
    return f"{x * 100:+.0f}"


def _count(n: float, what: str) -> str:
    return f"{n:.0f} {what}{'s' if n != 1 else ''}"


FEATURES = (
    Feature("nps", "score", lambda v: f"account NPS {_pts(v['nps'])}"),
    Feature("unscored", "score", lambda v: "no answer in the last year"),
    Feature("nps_trend", "trend", lambda v: f"NPS {'fell' if v['nps_trend'] < 0 else 'rose'} "
                                            f"{abs(v['nps_trend']) * 100:.0f} points in the last half-year"),
    Feature("detractor_share", "score", lambda v: f"{v['detractor_share']:.0%} of its answers were detractors"),
    Feature("years_since_answer", "silence", lambda v: f"last answer {v['years_since_answer'] * 365:.0f} days ago"
            if v["years_since_answer"] < 2 else "no answer in two years"),
    Feature("silent_quarters", "silence", lambda v: f"no answer in {v['silent_quarters']:.0f} of the last 4 quarters"),
    Feature("complaints", "complaints", lambda v: f"{v['complaints']:.1f} complaint themes per answer recently"),
    Feature("open_actions", "actions", lambda v: _count(v["open_actions"], "open action")),
    Feature("overdue_actions", "actions", lambda v: _count(v["overdue_actions"], "overdue action")),
    Feature("failed_saves", "saves", lambda v: _count(v["failed_saves"], "failed save attempt")),
    Feature("recovered_saves", "saves", lambda v: _count(v["recovered_saves"], "recovered save")),
    Feature("log_arr", "arr", lambda v: f"ARR {math.exp(v['log_arr']):,.0f}"),
    Feature("tenure_years", "tenure", lambda v: f"customer for {v['tenure_years']:.1f} years"),
    Feature("renewal_soon", "renewal", lambda v: f"renews in {v['years_to_renewal'] * 365:.0f} days"),
    Feature("years_to_renewal", "renewal", lambda v: f"renews in {v['years_to_renewal'] * 365:.0f} days"),
)
NAMES = tuple(f.key for f in FEATURES)
HORIZON = timedelta(days=180)


@dataclass(frozen=True)
class Row:
    """An account at a day: its features, ARR, category then, renewal day, and (when known) what followed."""
    account_id: int
    t: date
    x: np.ndarray
    arr: float
    category: str | None
    renewal: date | None
    churned: bool | None = None      # churn or downsell in the 180 days from t (None: not known yet)
    lost: float = 0.0                # ARR lost by them


def _nps(score: nps.AccountScore) -> float:
    """An account's NPS in a window it answered in (never None there)."""
    return score.nps if score.nps is not None else 0.0


def rows_at(h: History, t: date, with_label: bool = True) -> list[Row]:
    """Every account with ARR at ``t``, with its features from what was known before ``t``."""
    year = h.rollup(t)
    recent, prior = h.rollup(t, 182), h.rollup(t - timedelta(days=182), 183)
    window = h.responses_between(t - timedelta(days=365), t - timedelta(days=1))
    answers: dict[int, list] = {}
    for r in window:
        answers.setdefault(r.account_id, []).append(r)
    actions: dict[int, list] = {}
    for x in h.actions:
        if x.created < t:
            actions.setdefault(x.account_id, []).append(x)
    out = []
    for a in sorted(h.accounts):
        arr = h.arr_at(a, t)
        if arr <= 0:
            continue
        mine, last = answers.get(a, []), h.last_answer(a, t)
        score = year.get(a)
        trend = _nps(recent[a]) - _nps(prior[a]) if a in recent and a in prior else 0.0
        half = [r for r in mine if r.day >= t - timedelta(days=182)]
        complaints = sum(p < 0 for r in half for _, p in h.themes.get(r.id, ())) / len(half) if half else 0.0
        answered = {((t - r.day).days - 1) // 91 for r in mine}   # 0: the 91 days before t, 1: the 91 before…
        silent = sum(k not in answered for k in range(4))
        acts = actions.get(a, [])
        open_ = [x for x in acts if x.closed is None or x.closed >= t]
        saves = [x for x in acts if x.play == "detractor_save" and x.closed and t - timedelta(days=365) <= x.closed < t]
        renewal = h.next_renewal(a, t)
        since = _since(h, a, t)
        vec = np.array([
            (_nps(score) if score else 0.0) / 100, float(score is None), trend / 100,
            sum(nps.classify(r.score) == "detractor" for r in mine) / len(mine) if mine else 0.0,
            min((t - last).days / 365, 2.0) if last else 2.0,
            float(silent), complaints, float(len(open_)),
            float(sum(x.due is not None and x.due < t for x in open_)),
            float(sum(x.outcome not in SAVE_WON for x in saves)),
            float(sum(x.outcome in SAVE_WON for x in saves)),
            math.log(arr), min((t - since).days / 365, 10.0) if since else 0.0,
            float(renewal is not None and renewal < t + HORIZON),
            (renewal - t).days / 365 if renewal else 0.5])
        row = Row(a, t, vec, arr, score.category if score else None, renewal)
        if with_label and t + HORIZON <= h.today + timedelta(days=1):
            evs = [e for e in h.events_between(a, t, t + HORIZON) if e.kind in ("churn", "downsell")]
            row = Row(a, t, vec, arr, row.category, renewal, bool(evs), sum(e.lost for e in evs))
        out.append(row)
    return out


def _since(h: History, account_id: int, t: date) -> date | None:
    a = h.accounts.get(account_id)
    if a and a.customer_since and a.customer_since < t:
        return a.customer_since
    days = [e.day for e in h.events.get(account_id, ()) if e.day < t]
    return days[0] if days else None
