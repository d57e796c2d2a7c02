"""``stats``: NPS, margin, ARR-weighted NPS, by a dimension and over time."""
from __future__ import annotations

import argparse

from ..cli import add_date_range, emit, workspace_of
from ..core import analytics


def register(sub, common) -> None:
    p = sub.add_parser("stats", parents=[common], help="NPS with its margin, by segment and over time")
    add_date_range(p)
    p.add_argument("--by", choices=sorted(analytics.DIMENSIONS), help="group by this field")
    p.add_argument("--period", choices=["month", "quarter"], help="trend by month or quarter")
    p.add_argument("--program", action="append", choices=analytics.KINDS, metavar="KIND",
                   help="program kind: rnps, tnps, enps, partner (repeatable)")
    p.set_defaults(func=run)


def filters_from_args(args: argparse.Namespace) -> analytics.Filters:
    values = {}
    if getattr(args, "program", None):
        values["kind"] = tuple(args.program)
    return analytics.Filters(args.date_from, args.date_to, values)


def run(args: argparse.Namespace) -> int:
    with workspace_of(args) as ws:
        doc = analytics.stats(ws, filters_from_args(args), by=args.by, period=args.period)
    emit(args, doc, lambda: _text(doc))
    return 0


def _fmt(x) -> str:
    return "—" if x is None else f"{x:+.1f}"


def _margin(x) -> str:
    return "± —" if x is None else f"± {x:.1f}"


def _text(doc: dict) -> str:
    lines = [f"Responses {doc['responses']}: {doc['promoters']} promoters, {doc['passives']} passives, "
             f"{doc['detractors']} detractors",
             f"NPS {_fmt(doc['nps'])} {_margin(doc['margin95'])}"
             + ("  (n too small)" if doc["small_sample"] else ""),
             f"ARR-weighted NPS {_fmt(doc['arr_weighted_nps'])}"]
    for title, rows, key in (("By " + str(doc.get("by")), doc.get("groups"), "key"),
                             ("Trend", doc.get("trend"), "period")):
        if rows is not None:
            lines.append(f"\n{title}:")
            lines += [f"  {str(r[key]):<24} n={r['responses']:<7} NPS {_fmt(r['nps'])} "
                      f"{_margin(r['margin95'])}" for r in rows]
    return "\n".join(lines)
