"""The executive summary in plain sentences, written from the pack's figures.

Each function returns a sentence or None when the data does not support one; ``sentences`` keeps the
ones that apply, in the order a board reads them: the headline, the mix, the segments, revenue, themes,
the loop, the goal.
"""
from __future__ import annotations

from typing import Any

from . import formats as f
from .data import SEGMENT_DIMENSIONS, PackData

#: A change smaller than this many points is described as "held steady".
STEADY = 0.5
MIN_N = 30


def headline(d: PackData) -> str:
    s = d.stats
    if not s["responses"]:
        return f"No responses were recorded in {d.period_label}."
    level = f"{f.nps(s['nps'])} (±{f.nps(s['margin95'])})" if not s["small_sample"] and s["margin95"] is not None \
        else f"{f.nps(s['nps'])} (n too small for a reliable margin)"
    c = d.change
    if c is None:
        return f"NPS was {level} in {d.period_label}, from {f.count(s['responses'])} responses."
    if abs(c["delta"]) < STEADY:
        return f"NPS held steady at {level} in {d.period_label} ({f.count(s['responses'])} responses)."
    verb = "rose" if c["delta"] > 0 else "fell"
    sig = "a significant change" if c["significant"] else "within the margin of error"
    lead = leader(d)
    led = f", led by {lead['label']} ({f.delta(lead['change']['delta'])})" if lead and c["significant"] else ""
    return f"NPS {verb} {f.points(c['delta'])} points to {level} in {d.period_label}, {sig}{led}."


def leader(d: PackData) -> dict[str, Any] | None:
    """The region (else another dimension) that moved most in the direction of the overall change,
    among groups with at least 30 responses in both quarters."""
    if d.change is None:
        return None
    direction = 1 if d.change["delta"] > 0 else -1
    for dim, _ in SEGMENT_DIMENSIONS:
        rows = [r for r in d.segments.get(dim, []) if r["key"] is not None and r["change"]
                and r["responses"] >= MIN_N and r["previous_responses"] >= MIN_N
                and r["change"]["delta"] * direction > 0]
        if rows:
            return max(rows, key=lambda r: r["change"]["delta"] * direction)
    return None


def mix(d: PackData) -> str | None:
    s, p = d.stats, d.previous
    if not s["responses"]:
        return None
    now_d, now_p = s["detractors"] / s["responses"], s["promoters"] / s["responses"]
    if not p["responses"]:
        return f"Promoters made up {f.pct(now_p)} of responses and detractors {f.pct(now_d)}."
    was_d, was_p = p["detractors"] / p["responses"], p["promoters"] / p["responses"]
    return f"Detractors {_moved(was_d, now_d)}; promoters {_moved(was_p, now_p)} of responses."


def _moved(before: float, after: float) -> str:
    a, b = f.pct(before), f.pct(after)
    if a == b:
        return f"held at {b}"
    return f"{'rose' if after > before else 'fell'} from {a} to {b}"


def arr_weighting(d: PackData) -> str | None:
    w, n = d.stats["arr_weighted_nps"], d.stats["nps"]
    if w is None or n is None:
        return None
    if w > n + 5:
        how = "larger accounts are more positive than the average respondent"
    elif w < n - 5:
        how = "larger accounts are less positive than the average respondent, a revenue risk"
    else:
        how = "in line with the response-weighted figure"
    return f"Weighted by ARR, NPS is {f.nps(w)}: {how}."


def movers(d: PackData, limit: int = 3) -> str | None:
    """Segments whose NPS changed significantly against last quarter, largest first."""
    found = [(title, r) for dim, title in SEGMENT_DIMENSIONS for r in d.segments.get(dim, [])
             if r["key"] is not None and r["change"] and r["change"]["significant"]]
    if not found:
        return None
    found.sort(key=lambda tr: -abs(tr[1]["change"]["delta"]))
    named = [f"{r['label']} ({f.delta(r['change']['delta'])})" for _, r in found[:limit]]
    return f"Significant moves by segment: {_join(named)}."


def extremes(d: PackData) -> str | None:
    rows = [r for r in d.segments.get("region", []) if r["key"] is not None and r["responses"] >= MIN_N]
    if len(rows) < 2:
        return None
    best, worst = max(rows, key=lambda r: r["nps"]), min(rows, key=lambda r: r["nps"])
    return (f"By region, {best['label']} scores highest ({f.nps(best['nps'])}) and "
            f"{worst['label']} lowest ({f.nps(worst['nps'])}).")


def revenue(d: PackData) -> str | None:
    if not d.revenue:
        return None
    rows = {r["category"]: r for r in d.revenue["categories"]}
    pro, det = rows.get("promoter", {}).get("renewal_rate"), rows.get("detractor", {}).get("renewal_rate")
    share = d.revenue["expansion_share_promoters"]
    parts = []
    if pro is not None and det is not None:
        parts.append(f"Promoter accounts renewed at {f.pct(pro)} against {f.pct(det)} for detractor accounts")
    elif pro is not None:
        parts.append(f"Promoter accounts renewed at {f.pct(pro)}")
    if share is not None:
        parts.append(f"{'and ' if parts else 'Promoter accounts '}generated {f.pct(share)} of expansion ARR")
    return " ".join(parts) + "." if parts else None


def themes(d: PackData) -> str | None:
    if not d.themes or not d.themes.get("detractor"):
        return None
    top = d.themes["detractor"][0]
    s = f"Top detractor theme: {top['label']} ({f.pct(top['detractor_share'])} of detractor comments)"
    if d.themes.get("promoter"):
        p = d.themes["promoter"][0]
        s += f"; promoters most often mention {p['label']} ({f.pct(p['promoter_share'])})"
    return s + "."


def loop(d: PackData) -> str | None:
    m = d.loop
    if not m:
        return None
    if not m["actions"]:
        return f"No close-the-loop actions were opened on responses of {d.period_label}."
    parts = []
    if m["sla_actions"]:
        parts.append(f"{f.count(m['sla_met'])} of {f.count(m['sla_actions'])} detractors were contacted within "
                     "the SLA")
    if m["save_rate"] is not None:
        parts.append(f"{f.pct(m['save_rate'])} of followed-up detractors were saved")
    if not parts:
        return f"{f.count(m['actions'])} close-the-loop actions were opened; none is due yet."
    return "; ".join(parts) + "."


def at_risk(d: PackData) -> str | None:
    r = d.at_risk
    if not r or not r["accounts"]:
        return None
    top = r["accounts"][0]
    n = r["count"]
    return (f"{n} account{'s' if n != 1 else ''} holding {f.money(r['arr'])} of ARR renew within "
            f"{r['within_days']} days as detractors or with a falling NPS; the largest is {top['name']} "
            f"({f.money(top['arr'])}, renewing {f.day(top['renewal_date'])}).")


def goal(d: PackData) -> str | None:
    g = d.goal
    if g is None:
        return None
    by = f" by {f.day(g['goal_date'])}" if g.get("goal_date") else ""
    if g["met"]:
        return f"The goal of an NPS of {g['goal']:g}{by} is met: NPS stands at {f.nps(g['nps'])}."
    way = ""
    if g["covered"] is not None and g["baseline_period"] and 0 < g["covered"] < 1:
        way = (f", {f.pct(g['covered'])} of the way from {f.nps(g['baseline'])} in "
               f"{g['baseline_period'].replace('Q', ' Q')}")
    return f"The goal is an NPS of {g['goal']:g}{by}: {f.points(g['gap'])} points to go{way}."


def sentences(d: PackData) -> list[str]:
    """The summary, in reading order."""
    return [headline(d)] + [s for fn in (mix, arr_weighting, movers, extremes, revenue, themes, loop,
                                         at_risk, goal) if (s := fn(d))]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
