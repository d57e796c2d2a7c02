"""The executive summary in plain sentences, written from the pack's figures.

Each function returns a sentence or None when the data does not support one; ``sentences`` keeps the
ones that apply, in the order a board reads them: the headline, the mix, the segments, revenue, themes,
the loop, the goal. A sentence is written only from figures that reach the minimum sample of Settings
(``PackData.min_responses``, ``min_accounts``), and it compares groups only when their 95% intervals
do not overlap.
"""
from __future__ import annotations

from typing import Any

from .. import nps
from . import formats as f
from .data import SEGMENT_DIMENSIONS, PackData

#: A change smaller than this many points is described as "held steady".
STEADY = 0.5


def headline(d: PackData) -> str:
    s = d.stats
    if not s["responses"]:
        return f"No responses were recorded in {d.period_label}."
    if s["small_sample"]:
        return (f"{d.period_label} has {f.count(s['responses'])} responses, fewer than the "
                f"{d.min_responses} a reliable NPS needs: this pack reports its figures without conclusions.")
    level = f"{f.nps(s['nps'])} (±{f.nps(s['margin95'])})"
    c = d.change
    if c is None or not c["reliable"]:
        why = "" if c is None else (f"; {d.previous_label} had {f.count(d.previous['responses'])} responses, "
                                    f"too few to compare with")
        return f"NPS was {level} in {d.period_label}, from {f.count(s['responses'])} responses{why}."
    if abs(c["delta"]) < STEADY:
        return (f"NPS held steady at {level} in {d.period_label} against {d.previous_label} "
                f"({f.count(s['responses'])} responses).")
    verb = "rose" if c["delta"] > 0 else "fell"
    sig = "a significant change" if c["significant"] else "within the margin of error"
    lead = leader(d)
    led = f", led by {lead['label']} ({f.delta(lead['change']['delta'])})" if lead and c["significant"] else ""
    return (f"NPS {verb} {f.points(c['delta'])} points against {d.previous_label} to {level} in "
            f"{d.period_label}, {sig}{led}.")


def leader(d: PackData) -> dict[str, Any] | None:
    """The region (else another dimension) whose significant change went furthest in the direction of
    the overall change, among groups that reach the minimum sample in both quarters."""
    if d.change is None:
        return None
    direction = 1 if d.change["delta"] > 0 else -1
    for dim, _ in SEGMENT_DIMENSIONS:
        rows = [r for r in d.segments.get(dim, []) if r["key"] is not None and r["change"]
                and r["change"]["reliable"] and r["change"]["significant"]
                and r["change"]["delta"] * direction > 0]
        if rows:
            return max(rows, key=lambda r: r["change"]["delta"] * direction)
    return None


def mix(d: PackData) -> str | None:
    """The shares of detractors and promoters; "rose" or "fell" only when the two quarters' Wilson 95%
    intervals do not overlap."""
    s, p = d.stats, d.previous
    if not s["responses"] or s["small_sample"]:
        return None
    if not p or p["responses"] < d.min_responses:
        return (f"Promoters made up {f.pct(s['promoters'] / s['responses'])} of responses and detractors "
                f"{f.pct(s['detractors'] / s['responses'])}.")
    moved = [_moved(name, p[key], p["responses"], s[key], s["responses"], d.previous_label)
             for name, key in (("Detractors", "detractors"), ("promoters", "promoters"))]
    return f"{moved[0]}; {moved[1]} of responses."


def _moved(name: str, k0: int, n0: int, k1: int, n1: int, before: str) -> str:
    a, b = f.pct(k0 / n0), f.pct(k1 / n1)
    (lo0, hi0), (lo1, hi1) = nps.wilson95(k0, n0), nps.wilson95(k1, n1)
    if lo1 > hi0 or hi1 < lo0:
        return f"{name} {'rose' if k1 / n1 > k0 / n0 else 'fell'} from {a} to {b}"
    return f"{name} were {b} ({a} in {before}, within the margin of error)"


def arr_weighting(d: PackData) -> str | None:
    """ARR-weighted NPS, read against the plain NPS only when it lies outside the plain NPS's margin."""
    w, n, m = d.stats["arr_weighted_nps"], d.stats["nps"], d.stats["margin95"]
    if w is None or n is None or m is None or d.stats["small_sample"]:
        return None
    if w > n + m:
        how = "larger accounts are more positive than the average respondent, beyond the margin of error"
    elif w < n - m:
        how = "larger accounts are less positive than the average respondent, beyond the margin of error: " \
              "a revenue risk"
    else:
        how = "within the margin of error of the response-weighted figure"
    return f"Weighted by ARR, NPS is {f.nps(w)}: {how}."


def movers(d: PackData, limit: int = 3) -> str | None:
    """Segments whose NPS changed significantly against last quarter (both quarters reaching the
    minimum sample), largest first."""
    found = [(title, r) for dim, title in SEGMENT_DIMENSIONS for r in d.segments.get(dim, [])
             if r["key"] is not None and r["change"] and r["change"]["reliable"] and r["change"]["significant"]]
    if not found:
        return None
    found.sort(key=lambda tr: -abs(tr[1]["change"]["delta"]))
    named = [f"{title.lower()} {r['label']} ({f.delta(r['change']['delta'])})" for title, r in found[:limit]]
    return f"Significant moves by segment: {_join(named)}."


def extremes(d: PackData) -> str | None:
    """The highest and lowest region, only when both reach the minimum sample and their 95% margins do
    not overlap (else the two may not differ at all)."""
    rows = [r for r in d.segments.get("region", []) if r["key"] is not None and not r["small_sample"]
            and r["margin95"] is not None]
    if len(rows) < 2:
        return None
    best, worst = max(rows, key=lambda r: r["nps"]), min(rows, key=lambda r: r["nps"])
    if best["nps"] - best["margin95"] <= worst["nps"] + worst["margin95"]:
        return None
    return (f"By region, {best['label']} scores highest ({f.nps(best['nps'])} ±{f.nps(best['margin95'])}, "
            f"n = {f.count(best['responses'])}) and {worst['label']} lowest ({f.nps(worst['nps'])} "
            f"±{f.nps(worst['margin95'])}, n = {f.count(worst['responses'])}).")


def revenue(d: PackData) -> str | None:
    """Renewal of promoter against detractor accounts, compared only when both rates reach the minimum
    number of accounts and their Wilson 95% intervals do not overlap."""
    if not d.revenue:
        return None
    rows = {r["category"]: r for r in d.revenue["categories"]}
    pro, det = rows.get("promoter", {}).get("renewal"), rows.get("detractor", {}).get("renewal")
    usable = [r for r in (pro, det) if r and r["rate"] is not None and not r["small_sample"]]
    share = d.revenue["expansion_share_promoters"]
    parts = []
    if len(usable) == 2 and (pro["low"] > det["high"] or det["low"] > pro["high"]):
        parts.append(f"Promoter accounts renewed at {f.interval(pro)} against {f.interval(det)} for detractor "
                     "accounts")
    elif len(usable) == 2:
        parts.append(f"Renewal rates of promoter ({f.interval(pro)}) and detractor accounts ({f.interval(det)}) "
                     "do not differ beyond their 95% intervals")
    elif pro in usable:
        parts.append(f"Promoter accounts renewed at {f.interval(pro)}")
    if share is not None:
        parts.append(f"{'; promoter accounts' if parts else 'Promoter accounts'} generated {f.pct(share)} of the "
                     f"{f.money(d.revenue['expansion_arr'], d.currency)} expansion ARR")
    return "".join(parts) + "." if parts else None


def themes(d: PackData) -> str | None:
    """The top theme of detractor (and promoter) comments, each with its n, when that category has at
    least the minimum sample of comments."""
    if not d.themes or not d.themes.get("detractor"):
        return None
    n = d.themes.get("comments_by_category", {})
    if n.get("detractor", 0) < d.min_responses:
        return None
    top = d.themes["detractor"][0]
    s = (f"Top detractor theme: {top['label']} ({f.pct(top['detractor_share'])} of "
         f"{f.count(n['detractor'])} detractor comments)")
    if d.themes.get("promoter") and n.get("promoter", 0) >= d.min_responses:
        p = d.themes["promoter"][0]
        s += (f"; promoters most often mention {p['label']} ({f.pct(p['promoter_share'])} of "
              f"{f.count(n['promoter'])})")
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
    if m["save_rate"] is not None and m["saves_resolved"] >= d.min_accounts:
        parts.append(f"{f.pct(m['save_rate'])} of {f.count(m['saves_resolved'])} followed-up detractors were "
                     f"saved as reported, {f.pct(m['save_rate_reconciled'])} once saves whose account churned "
                     f"within {m['save_window_days']} days are taken out")
    if not parts:
        return f"{f.count(m['actions'])} close-the-loop actions were opened; none is due yet."
    return "; ".join(parts) + "."


def at_risk(d: PackData) -> str | None:
    r = d.at_risk
    if not r or not r["accounts"]:
        return None
    top = r["accounts"][0]
    n = r["count"]
    return (f"On {f.day(r['as_of'])}, {n} account{'s' if n != 1 else ''} holding {f.money(r['arr'], d.currency)} "
            f"of ARR were due to renew within {r['within_days']} days as detractor accounts or falling passive "
            f"accounts; the largest is "
            f"{top['name']} ({f.money(top['arr'], d.currency)}, renewing {f.day(top['renewal_date'])}).")


def goal(d: PackData) -> str | None:
    g = d.goal
    if g is None or d.stats["small_sample"]:
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
