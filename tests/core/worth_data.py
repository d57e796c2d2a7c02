"""Hand-built histories for the worth tests: accounts that answer every quarter and renew (or churn) on
their anniversary, by rules the tests choose, built straight into a ``History``."""
from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Callable

from nps_desktop.core.worth.history import Account, Event, History, Response

TODAY = date(2026, 11, 23)
START = date(2023, 11, 1)
SCORES = {"promoter": (9, 10), "passive": (7, 8), "detractor": (0, 6)}


def build(kinds: list[str], churns: Callable[[random.Random, int, str], bool], *, seed: int = 1,
          arr: Callable[[random.Random, int], float] = lambda rng, i: rng.choice([20_000, 50_000, 80_000]),
          silent_from: Callable[[random.Random, int], date | None] = lambda rng, i: None,
          since: Callable[[random.Random, int], date | None] = lambda rng, i: None,
          today: date = TODAY) -> History:
    """Account ``i`` has category ``kinds[i]`` (its contacts' answers); at each anniversary it churns
    when ``churns(rng, i, kind)`` says so, else renews. From ``silent_from(i)`` on it answers no more;
    ``since(i)``: when it became a customer (default: before the history starts)."""
    rng = random.Random(seed)
    accounts, responses, events, rid = {}, [], {}, 0
    for i, kind in enumerate(kinds, start=1):
        start = since(rng, i) or START - timedelta(days=rng.randint(30, 700))
        a_arr = arr(rng, i)
        accounts[i] = Account(i, f"Account {i}", "SMB", start, a_arr)
        evs, churned_on = [Event(i, start, "new", 0.0, a_arr, 0.0)], None
        year = START.year
        while True:
            day = date(year, start.month, min(start.day, 28))
            year += 1
            if day < START or day <= start:
                continue
            if day > today:
                break
            if churns(rng, i, kind):
                evs.append(Event(i, day, "churn", a_arr, -a_arr, a_arr))
                churned_on = day
                break
            evs.append(Event(i, day, "renewal", a_arr, 0.0, 0.0))
        events[i] = evs
        quiet = silent_from(rng, i)
        d = START + timedelta(days=20)
        while d <= today and (churned_on is None or d < churned_on):
            if d >= start and (quiet is None or d < quiet):
                for contact in (1, 2):
                    rid += 1
                    lo, hi = SCORES[kind]
                    responses.append(Response(rid, i, i * 10 + contact, f"{d.isoformat()}T10:00:00", d,
                                              rng.randint(lo, hi)))
            d += timedelta(days=91)
    return History(today, accounts, responses, {}, events, [])
