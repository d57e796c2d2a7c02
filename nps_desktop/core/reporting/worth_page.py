"""The pack's page "What NPS is worth": the value of a move, the risk list with its backtest, the key
drivers, the goal's path and the external benchmark, each with the figures a CFO can check line by line.

``gather`` collects the figures (a step of ``data.gather``); ``section`` lays them out in the pack's story.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from .. import analytics, settings
from ..workspace import Workspace
from ..worth import benchmarks, drivers, goals, history, risk, value
from . import formats as f

GREY = colors.HexColor("#9ca3af")
TOP_ACCOUNTS = 10
TOP_DRIVERS = 8


def gather(ws: Workspace, filters: analytics.Filters, as_of: date) -> dict[str, Any]:
    """Every figure of the page, as of ``as_of`` (drivers over the pack's period and segment); ``value`` is a
    ``value.ValueOfMove`` and ``risk`` a ``risk.RiskReport`` (``as_json`` gives what ``report --json`` prints)."""
    h = history.History.load(ws, as_of)
    bench = benchmarks.get(settings.get(ws, "nps_benchmark"))
    return {"as_of": as_of.isoformat(), "value": value.value_of_move(h),
            "risk": risk.risk_report(h, limit=TOP_ACCOUNTS), "drivers": drivers.key_drivers(ws, filters),
            "goal": goals.goal_path(ws, as_of), "benchmark": bench.as_dict() if bench else None}


def _range(lo: float, hi: float) -> str:
    return f"{f.money(lo)} to {f.money(hi)}"


def _pts(x: float) -> str:
    return f"{x:+.1f}"


def section(story: Any) -> list[Flowable]:
    """The page, laid out with the pack's own helpers (``story`` is its ``_Story``)."""
    w = story.d.worth
    out = story.h1("What NPS is worth")
    if w is None:
        return out + story.unavailable("worth")
    out.append(story.p(f"From your own history up to {f.day(w['as_of'])}, all accounts whatever the segment "
                       "(the drivers follow the pack's period and segment). Each figure says how many accounts, "
                       "answers or quarters it rests on; an interval is the range that 90% of resamples of your "
                       "history fall in. A figure whose interval crosses zero is shown grey: it may be nothing.",
                       "lede"))
    out += _value(story, w["value"])
    out += _risk(story, w["risk"])
    out += _drivers(story, w["drivers"])
    out += _goal(story, w["goal"], w["benchmark"], story.d.stats.get("nps"))
    return out


def _value(story: Any, v: value.ValueOfMove) -> list[Flowable]:
    out = story.h2("The value of a move")
    out.append(story.p("At the start of each past quarter with a full year after it, every account with ARR and an "
                       "NPS category then counts once: its ARR then, and what happened to that ARR over the next 12 "
                       "months. Per category, the net change is the sum of those changes over the sum of those ARRs.",
                       "body"))
    rows = [[f"<b>{c.category.capitalize()}</b>", f.count(c.observations), f.count(c.accounts),
             f.count(c.renewals + c.churns), f.money(c.arr), f.pct(c.churn_rate_arr, 1),
             f.pct(c.contraction_rate_arr, 1), f.pct(c.expansion_rate_arr, 1), f.pct(c.net_change_rate, 1)]
            for c in v.categories]
    out.append(story.table(["Category", "Account quarters", "Accounts", "Renewals + churns", "ARR at start",
                            "Churned", "Contracted", "Expanded", "Net change"], rows,
                           story.cols(1.05, 1, 0.9, 1.05, 1.05, 0.9, 1.1, 1.05, 0.95), numeric=set(range(1, 9))))
    out.append(Spacer(1, 3 * mm))
    if not v.available:
        return out + [story.p(story.u(value.sentence(v)), "body")]
    out.append(story.p(story.u(value.sentence(v)), "body"))
    rows, extra = [], []
    for i, m in enumerate(v.moves, start=1):
        rows.append([f"{m.from_category.capitalize()} to {m.to_category}", f.money(m.average_arr), f.money(m.value),
                     _range(m.low, m.high), "may be nothing" if m.covers_zero else ""])
        if m.covers_zero:
            extra.append(("TEXTCOLOR", (0, i), (-1, i), GREY))
    out.append(story.table(["Move of one account", "Its average ARR", "Worth a year", "90% interval", ""], rows,
                           story.cols(1.6, 1.1, 1.1, 1.6, 1), numeric={1, 2, 3}, extra=extra))
    s = v.saves
    if s and s.accounts:
        out.append(Spacer(1, 2 * mm))
        out.append(story.p(f"This quarter's saves ({s.quarter}): {f.count(s.accounts)} detractor accounts "
                           f"recovered, {f.money(s.arr)} of ARR; valued as moves from detractor to passive, "
                           f"they are worth {f.money(s.value)} a year ({_range(s.low, s.high)}).", "body"))
    return out


def _risk(story: Any, r: risk.RiskReport) -> list[Flowable]:
    b = r.backtest
    out = story.h2("Who may leave, and how well that worked before")
    out.append(story.p("A model of churn or contraction in the next 180 days, fitted on what was known at the start "
                       "of each past quarter (answers, their trend, silence, complaints, actions, saves, ARR, tenure, "
                       "days to renewal). Backtest: for each recent quarter, fitted only on earlier quarters whose "
                       "outcome was known, then scored on that quarter.", "body"))
    out.append(story.p(story.u(b.summary), "body"))
    if b.quarters:
        rows = [[q.quarter_start, f.count(q.accounts), f.count(q.churned), f.money(q.lost_arr),
                 f.money(q.top_decile_lost_arr), f.money(q.rule_lost_arr)] for q in b.quarters]
        out.append(story.table(["Quarter from", "Accounts", "Churned or contracted", "ARR lost",
                                "Held by top 10%", "Held by the rule"], rows,
                               story.cols(1.2, 0.9, 1.3, 1.1, 1.2, 1.2), numeric=set(range(1, 6))))
        cal = "; ".join(f"{c.predicted:.0%} predicted, {c.observed:.0%} seen" for c in b.calibration)
        out.append(story.p(f"Calibration by fifth of predicted risk ({f.count(b.rows)} account-quarters): {cal}.",
                           "small"))
    if not r.model_shown:
        if b.reason and b.quarters:
            out.append(story.p(story.u(b.reason), "body"))
        title = "Detractor accounts renewing within 180 days (the simple rule)"
    else:
        title = f"The {TOP_ACCOUNTS} accounts with the largest expected loss (risk × ARR)"
    out += story.h2(title, toc=False)
    if not r.accounts:
        return out + [story.p("No account is on this list today.", "body")]
    rows = [[story.u(a.name, 60), f.money(a.arr), "—" if a.risk is None else f.pct(a.risk),
             story.u("; ".join(a.reasons))] for a in r.accounts]
    out.append(story.table(["Account", "ARR", "Risk", "Its biggest reasons"], rows, story.cols(1.6, 0.8, 0.6, 3.2),
                           numeric={1, 2}))
    return out


def _drivers(story: Any, d: dict[str, Any]) -> list[Flowable]:
    out = story.h2("Key drivers, with their doubt")
    if not d["drivers"]:
        return out + [story.p(story.u(d.get("reason", "No drivers.").capitalize() + "."), "body")]
    out.append(story.p(f"Over {f.count(d['comments'])} comments of the period. <i>Difference</i>: NPS of the comments "
                       "with the theme minus those without. <i>Adjusted</i>: the same, estimated for all themes at "
                       "once and within account tier, so that themes mentioned together are not counted twice. "
                       "<i>Impact</i>: adjusted × the share of comments that mention it, in NPS points.", "body"))
    rows, extra = [], []
    for i, x in enumerate(d["drivers"][:TOP_DRIVERS], start=1):
        rows.append([story.u(x["label"]), f"{f.count(x['mentions'])} ({f.pct(x['prevalence'])})",
                     f"{_pts(x['difference'])} ({_pts(x['difference_low'])} to {_pts(x['difference_high'])})",
                     f"{_pts(x['adjusted'])} ({_pts(x['adjusted_low'])} to {_pts(x['adjusted_high'])})",
                     _pts(x["impact"])])
        if x["uncertain"]:
            extra.append(("TEXTCOLOR", (0, i), (-1, i), GREY))
    out.append(story.table(["Theme", "Mentions", "Difference (90%)", "Adjusted (90%)", "Impact"], rows,
                           story.cols(1.4, 1.1, 1.8, 1.8, 0.8), numeric={1, 2, 3, 4}, extra=extra))
    return out


def _goal(story: Any, g: dict[str, Any] | None, bench: dict[str, Any] | None, nps: float | None) -> list[Flowable]:
    out = story.h2("The goal's path, and an outside bearing")
    if not g:
        out.append(story.p("No goal with a date is set; set both in Settings to see the path to it.", "body"))
    elif g.get("reason"):
        out.append(story.p(story.u(f"No path to the goal: {g['reason']}."), "body"))
    else:
        out.append(story.p(story.u(goals.sentence(g) or f"Goal {g['goal']:+g} by {g['goal_quarter']}."), "body"))
        rows = [[q["quarter"], f.nps(q["planned"]), f.nps(q["actual"]),
                 f.count(q["moves_needed"]) if "moves_needed" in q else ""] for q in g["quarters"]]
        out.append(story.table(["Quarter", "Plan", "Reached", "Answers to move up"], rows,
                               story.cols(1, 1, 1, 1.4), numeric={1, 2, 3}))
    if bench:
        b = benchmarks.BENCHMARKS[bench["key"]]
        out.append(Spacer(1, 2 * mm))
        out.append(story.p(story.u(benchmarks.sentence(b, nps)) + f" Source: {story.u(b.url)}.", "small"))
    return out
