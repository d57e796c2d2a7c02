"""A goal with a date, and the path to it.

The plan runs in a straight line from the NPS of the quarter it starts from (``nps_goal_start``, default:
the last complete quarter) to the goal in the quarter of the goal date. For each quarter: the NPS the plan
needs, the NPS reached (quarters past), and, for quarters to come, how many answers must move at today's
volume (the responses of the latest complete quarter): one answer moved one step up (detractor to passive,
or passive to promoter) lifts NPS by 100 / n points; a detractor turned into a promoter lifts it by 200 / n.
"""
from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from .. import analytics, clock, periods, settings
from ..workspace import Workspace

QUARTER = re.compile(r"\d{4}Q[1-4]")


def _quarters(first: str, last: str, fy: int) -> list[str]:
    out: list[str] = []
    q = first
    while q <= last and len(out) < 80:
        out.append(q)
        q = periods.shift(q, 1, fy)
    return out


def goal_path(ws: Workspace, today: date | None = None) -> dict[str, Any] | None:
    """The plan to the goal in Settings (None when no goal or no goal date is set)."""
    goal, goal_date = settings.get(ws, "nps_goal"), settings.get(ws, "nps_goal_date")
    if goal is None or not goal_date:
        return None
    today = today or clock.today()
    fy = analytics.fiscal_year_start(ws)
    actual = {k: r for k, r in analytics.trend(ws, analytics.Filters(), "quarter") if k}
    complete = [k for k in actual if periods.bounds(k, fy)[1] <= today]
    start = settings.get(ws, "nps_goal_start") or (complete[-1] if complete else None)
    end = periods.quarter_key(date.fromisoformat(goal_date), fy)
    doc: dict[str, Any] = {"goal": goal, "goal_date": goal_date, "goal_quarter": end, "start_quarter": start,
                           "quarters": []}
    first = actual.get(start) if start is not None else None
    if start is None or first is None or first.nps is None:
        doc["reason"] = "no complete quarter with responses to start the plan from"
        return doc
    if end <= start:
        doc["reason"] = f"the goal date falls in {end}, not after the plan's first quarter {start}"
        return doc
    base = first.nps
    volume = actual[complete[-1]].responses if complete else first.responses
    last_nps = actual[complete[-1]].nps if complete else None
    latest = base if last_nps is None else last_nps
    steps = _quarters(start, end, fy)
    for i, q in enumerate(steps):
        planned = base + (goal - base) * i / (len(steps) - 1)
        r = actual.get(q)
        row: dict[str, Any] = {"quarter": q, "end": periods.bounds(q, fy)[1].isoformat(), "planned": round(planned, 2),
                               "actual": round(r.nps, 2) if r and r.nps is not None and q in complete else None,
                               "responses": r.responses if r else 0}
        if q not in complete:
            gap = max(planned - latest, 0.0)
            row["moves_needed"] = math.ceil(gap * volume / 100 - 1e-9)
            row["detractors_to_promoters"] = math.ceil(gap * volume / 200 - 1e-9)
        doc["quarters"].append(row)
    doc.update(base=round(base, 2), volume=volume, latest=round(latest, 2),
               on_track=None if not complete or complete[-1] not in steps else
               latest >= doc["quarters"][steps.index(complete[-1])]["planned"])
    return doc


def sentence(doc: dict[str, Any] | None) -> str | None:
    """The plan in one sentence."""
    if not doc or doc.get("reason"):
        return None
    ahead = [q for q in doc["quarters"] if "moves_needed" in q]
    if not ahead:
        return None
    nxt = ahead[0]
    return (f"Goal {doc['goal']:+g} by {doc['goal_quarter']}: the plan from {doc['start_quarter']} "
            f"({doc['base']:+.0f}) "
            f"needs {nxt['planned']:+.0f} in {nxt['quarter']}, that is {nxt['moves_needed']} answers moved up a "
            f"category (or {nxt['detractors_to_promoters']} detractors turned into promoters) at today's "
            f"{doc['volume']} responses a quarter.")
