"""The value of a move: what an account is worth over the next year as a promoter, a passive or a detractor.

From the workspace's own history. At the first day of every past quarter that has a full year after it
(an *origin*), each account with ARR and a category (its rollup over the year before) is one observation:
its ARR then, and what happened to that ARR over the next 365 days (churn, contraction, expansion). Per
category, the ARR-weighted net change is Σ change / Σ ARR at the origins. The value of turning a detractor
account of average ARR into a promoter is (promoter rate − detractor rate) × the detractors' average ARR.

The 90% interval comes from a bootstrap over accounts (an account's observations stay together, since an
account seen at several origins is one customer, not several). When a category has fewer than
``min_outcomes`` renewals and churns on record, no value is given, with the reason in one sentence.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from .. import periods
from ..workspace import Workspace
from .history import YEAR, History, next_quarter, quarter_starts
from .model import resample_weights

CATEGORIES = ("promoter", "passive", "detractor")
#: Renewals plus churns each category needs on record (the minimum sample for a renewal or churn rate).
MIN_OUTCOMES = 10
BOOTSTRAP = 1000
LEVEL = 0.90
#: The moves valued, as (from, to).
MOVES = (("detractor", "promoter"), ("detractor", "passive"), ("passive", "promoter"))
SEED = 20231


@dataclass(frozen=True)
class Observation:
    account_id: int
    origin: date
    category: str
    arr: float               # ARR at the origin
    change: float            # ARR a year later minus ARR at the origin
    churned: float           # ARR lost by churn in that year
    contracted: float        # ARR lost by downsell
    expanded: float          # ARR gained by upsell and cross-sell
    renewals: int            # renewals and churns in the origin's own quarter (each event counted once)
    churns: int


def observations(h: History) -> list[Observation]:
    """One observation per scored account with ARR at each origin whose following year has passed."""
    if not h.responses:
        return []
    first = h.responses[0].day + timedelta(days=1)
    out = []
    for t in quarter_starts(first, h.today - YEAR):
        end, quarter_end = t + YEAR, next_quarter(t)
        for a, score in h.rollup(t).items():
            arr = h.arr_at(a, t)
            if arr <= 0:
                continue
            evs = h.events_between(a, t, end)
            first_q = [e for e in evs if e.day < quarter_end]
            out.append(Observation(
                a, t, score.category, arr, h.arr_at(a, end) - arr,
                sum(e.lost for e in evs if e.kind == "churn"), sum(e.lost for e in evs if e.kind == "downsell"),
                sum(e.arr_change for e in evs if e.kind in ("upsell", "cross_sell")),
                sum(e.kind == "renewal" for e in first_q), sum(e.kind == "churn" for e in first_q)))
    return out


class _Sums:
    """Per account and category: ARR, change and observation counts, for fast bootstrap resampling."""

    def __init__(self, obs: list[Observation]):
        self.accounts = sorted({o.account_id for o in obs})
        index = {a: i for i, a in enumerate(self.accounts)}
        shape = (len(self.accounts), len(CATEGORIES))
        self.arr, self.change, self.n = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        for o in obs:
            i, c = index[o.account_id], CATEGORIES.index(o.category)
            self.arr[i, c] += o.arr
            self.change[i, c] += o.change
            self.n[i, c] += 1

    def rates(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Net change rate and mean ARR per category, for account weights ``w`` (rows: resamples)."""
        arr, change, n = w @ self.arr, w @ self.change, w @ self.n
        with np.errstate(invalid="ignore", divide="ignore"):
            return change / arr, arr / n


def _interval(values: np.ndarray) -> tuple[float, float]:
    lo, hi = np.nanpercentile(values, [50 * (1 - LEVEL), 100 - 50 * (1 - LEVEL)])
    return float(lo), float(hi)


def thin_reason(obs: list[Observation], min_outcomes: int = MIN_OUTCOMES) -> str | None:
    """Why the history cannot value a move (None when it can)."""
    if not obs:
        return ("there is no year of revenue history after a scored quarter yet, so the value of a move "
                "cannot be measured")
    for c in CATEGORIES:
        k = sum(o.renewals + o.churns for o in obs if o.category == c)
        if k < min_outcomes:
            return (f"{c} accounts have {k} renewal{'s' if k != 1 else ''} and churns on record "
                    f"(at least {min_outcomes} are needed in each category), so the value of a move is not "
                    "estimated")
    return None


@dataclass(frozen=True)
class CategoryOutcome:
    """What happened over the next year to the ARR of one category's accounts, pooled over the origins."""
    category: str
    observations: int
    accounts: int
    renewals: int
    churns: int
    arr: float
    net_change_rate: float | None
    churn_rate_arr: float | None
    contraction_rate_arr: float | None
    expansion_rate_arr: float | None
    average_arr: float | None

    def as_json(self) -> dict[str, Any]:
        return {"category": self.category, "observations": self.observations, "accounts": self.accounts,
                "renewals": self.renewals, "churns": self.churns, "arr": self.arr,
                "net_change_rate": self.net_change_rate, "churn_rate_arr": self.churn_rate_arr,
                "contraction_rate_arr": self.contraction_rate_arr, "expansion_rate_arr": self.expansion_rate_arr,
                "average_arr": self.average_arr}


@dataclass(frozen=True)
class Move:
    """What moving one account of average ARR from one category to another is worth a year."""
    from_category: str
    to_category: str
    average_arr: float
    value: float
    low: float
    high: float
    covers_zero: bool

    def as_json(self) -> dict[str, Any]:
        return {"from": self.from_category, "to": self.to_category, "average_arr": self.average_arr,
                "value": self.value, "low": self.low, "high": self.high, "covers_zero": self.covers_zero}


@dataclass(frozen=True)
class Saves:
    """This quarter's recovered detractors, valued as moves from detractor to passive."""
    quarter: str
    accounts: int
    arr: float
    value: float
    low: float
    high: float
    method: str

    def as_json(self) -> dict[str, Any]:
        return {"quarter": self.quarter, "accounts": self.accounts, "arr": self.arr, "value": self.value,
                "low": self.low, "high": self.high, "method": self.method}


@dataclass(frozen=True)
class ValueOfMove:
    """The value of a move; ``as_json`` is what ``revenue --json`` prints as ``value_of_move``."""
    method: str
    origins: tuple[str, ...]
    observations: int
    accounts: int
    min_outcomes: int
    categories: tuple[CategoryOutcome, ...]
    available: bool
    reason: str | None
    moves: tuple[Move, ...] = ()
    saves: Saves | None = None

    def move(self, a: str, b: str) -> Move:
        return next(m for m in self.moves if (m.from_category, m.to_category) == (a, b))

    def as_json(self) -> dict[str, Any]:
        return {"method": self.method, "origins": list(self.origins), "observations": self.observations,
                "accounts": self.accounts, "min_outcomes": self.min_outcomes,
                "categories": [c.as_json() for c in self.categories], "available": self.available,
                "reason": self.reason, "moves": [m.as_json() for m in self.moves],
                "saves": None if self.saves is None else self.saves.as_json()}


METHOD = ("ARR-weighted net ARR change over the 12 months after each quarter's start, "
          "by the account's category then; 90% bootstrap interval over accounts")


def value_of_move(h: History, min_outcomes: int = MIN_OUTCOMES, saves: list[tuple[int, float]] | None = None,
                  bootstrap: int = BOOTSTRAP, seed: int = SEED) -> ValueOfMove:
    """The value of each move (see the module docstring); ``as_json`` is what ``revenue --json`` prints.

    ``saves``: (account id, ARR) of this quarter's recovered detractors (default: from the history).
    """
    obs = observations(h)
    reason = thin_reason(obs, min_outcomes)
    base = ValueOfMove(METHOD, tuple(sorted({o.origin.isoformat() for o in obs})), len(obs),
                       len({o.account_id for o in obs}), min_outcomes, _categories(obs), reason is None, reason)
    if reason:
        return base
    sums = _Sums(obs)
    rng = np.random.default_rng(seed)
    w = resample_weights(rng, len(sums.accounts), bootstrap)
    rate, mean_arr = sums.rates(np.ones(len(sums.accounts)))
    boot_rate, boot_mean = sums.rates(w)
    moves = []
    for a, b in MOVES:
        i, j = CATEGORIES.index(a), CATEGORIES.index(b)
        est = (rate[j] - rate[i]) * mean_arr[i]
        lo, hi = _interval((boot_rate[:, j] - boot_rate[:, i]) * boot_mean[:, i])
        moves.append(Move(a, b, round(float(mean_arr[i]), 2), round(float(est), 2), round(lo, 2), round(hi, 2),
                          lo <= 0 <= hi))
    saves = recovered_saves(h) if saves is None else saves
    p, d = CATEGORIES.index("passive"), CATEGORIES.index("detractor")
    total = sum(arr for _, arr in saves)
    lo, hi = _interval((boot_rate[:, p] - boot_rate[:, d]) * total)
    return replace(base, moves=tuple(moves), saves=Saves(
        periods.quarter_key(h.today, 1), len(saves), round(total, 2), round(float((rate[p] - rate[d]) * total), 2),
        round(lo, 2), round(hi, 2), "each recovered detractor valued as a move from detractor to passive"))


def _categories(obs: list[Observation]) -> tuple[CategoryOutcome, ...]:
    out = []
    for c in CATEGORIES:
        mine = [o for o in obs if o.category == c]
        arr = sum(o.arr for o in mine)

        def share(x: float, arr: float = arr) -> float | None:
            return round(x / arr, 4) if arr else None
        out.append(CategoryOutcome(
            c, len(mine), len({o.account_id for o in mine}), sum(o.renewals for o in mine),
            sum(o.churns for o in mine), round(arr, 2), share(sum(o.change for o in mine)),
            share(sum(o.churned for o in mine)), share(sum(o.contracted for o in mine)),
            share(sum(o.expanded for o in mine)), round(arr / len(mine), 2) if mine else None))
    return tuple(out)


def recovered_saves(h: History) -> list[tuple[int, float]]:
    """This quarter's saves: accounts with a detractor-save action closed as recovered since the
    quarter began, each with its ARR today."""
    start = periods.bounds(periods.quarter_key(h.today, 1), 1)[0]
    accounts = sorted({x.account_id for x in h.actions if x.play == "detractor_save" and x.outcome == "recovered"
                       and x.closed and start <= x.closed <= h.today})
    return [(a, h.arr_at(a, h.today + timedelta(days=1))) for a in accounts]


def for_workspace(ws: Workspace, today: date, min_outcomes: int = MIN_OUTCOMES) -> ValueOfMove:
    """``value_of_move`` of the workspace's whole history up to ``today``."""
    return value_of_move(History.load(ws, today), min_outcomes)


def money(x: float) -> str:
    return f"{x:,.0f}"


def sentence(v: ValueOfMove) -> str:
    """The headline: what turning one detractor account into a promoter is worth (or why it is not known)."""
    if v.reason is not None:
        return v.reason[:1].upper() + v.reason[1:] + "."
    m = v.move("detractor", "promoter")
    return (f"Turning one detractor account of average ARR ({money(m.average_arr)}) into a promoter is worth "
            f"{money(m.value)} ({money(m.low)} to {money(m.high)}, 90% interval) a year, "
            f"from {v.observations} account-quarters of your own history.")
