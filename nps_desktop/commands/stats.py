"""``stats``: NPS, margin, ARR-weighted NPS, by a dimension and over time, under any filter or segment.

``add_filter_options`` and ``filters_from_args`` give other commands the same filters.
"""
from __future__ import annotations

import argparse

from ..cli import add_date_range, date_arg, emit, workspace_of
from ..core import analytics
from ..core.workspace import Workspace
from ..core import clock

#: Filter fields offered as options (``kind`` is ``--program``).
FILTER_FIELDS = tuple(d for d in analytics.DIMENSIONS if d != "kind")


def register(sub, common) -> None:
    p = sub.add_parser("stats", parents=[common], help="NPS with its margin, by segment and over time",
                       description="NPS with its margin, by segment and over time. Filters combine; "
                                   "with --segment, the options given replace the segment's own.")
    add_filter_options(p)
    p.add_argument("--by", choices=sorted(analytics.DIMENSIONS), help="group by this field")
    p.add_argument("--period", choices=["month", "quarter"], help="trend by month or quarter")
    p.add_argument("--trend-periods", type=int, metavar="N",
                   help="the trend covers the last N months/quarters up to the scope's end (default: the scope)")
    p.set_defaults(func=run)


def add_filter_options(p: argparse.ArgumentParser, dates: bool = True) -> None:
    """--from/--to, --preset, --today, --program, --segment and one option per filter field."""
    if dates:
        add_date_range(p)
    p.add_argument("--preset", choices=list(analytics.PRESETS),
                   help="a date range relative to --today: " + ", ".join(analytics.PRESETS))
    p.add_argument("--today", type=date_arg, metavar="DATE",
                   help="the day presets count back from (default: today)")
    p.add_argument("--program", action="append", choices=analytics.KINDS, metavar="KIND",
                   help="program kind: rnps, tnps, enps, partner (repeatable)")
    p.add_argument("--segment", metavar="NAME", help="start from a saved segment (see `segments`)")
    for dim in FILTER_FIELDS:
        p.add_argument(f"--{dim.replace('_', '-')}", dest=f"filter_{dim}", action="append",
                       metavar="VALUE", help=f"only this {analytics.DIMENSION_LABELS[dim].lower()} "
                       f"(repeatable; {analytics.BLANK} for none)"
                       + (f": {', '.join(analytics.ARR_BANDS)}" if dim == "arr_band" else ""))


def filters_from_args(args: argparse.Namespace, ws: Workspace | None = None) -> analytics.Filters:
    """The filters the options describe (a ``--segment`` is read from ``ws``)."""
    filters = analytics.Filters()
    if getattr(args, "segment", None):
        if ws is None:
            raise ValueError("--segment needs an open workspace")
        filters = analytics.load_segment(ws, args.segment)
    if getattr(args, "preset", None):
        filters = filters.with_preset(args.preset)
    if getattr(args, "date_from", None) or getattr(args, "date_to", None):
        filters = filters.with_dates(args.date_from, args.date_to)
    if getattr(args, "program", None):
        filters = filters.with_values("kind", args.program)
    for dim in FILTER_FIELDS:
        values = getattr(args, f"filter_{dim}", None)
        if values:
            if ws is not None:
                _check_known(ws, dim, values)
            filters = filters.with_values(dim, values)
    return filters


def _check_known(ws: Workspace, dim: str, values: list[str]) -> None:
    """Refuse a filter value the workspace never holds, naming the values it does (at most 12)."""
    known = analytics.dimension_values(ws, dim)
    for value in values:
        if value != analytics.BLANK and value not in known:
            label = analytics.DIMENSION_LABELS[dim].lower()
            names = ", ".join(map(str, known[:12])) + (f" and {len(known) - 12} more" if len(known) > 12 else "")
            raise ValueError(f"no {label} '{value}'; known: {names or 'none yet'}")


def run(args: argparse.Namespace) -> int:
    with workspace_of(args, read_only=True) as ws:
        filters = filters_from_args(args, ws)
        today = getattr(args, "today", None) or clock.today()
        doc = analytics.stats(ws, filters, by=args.by, period=args.period, today=today,
                              trend_periods=args.trend_periods)
        doc["segment"] = getattr(args, "segment", None)
        doc["scope"] = analytics.resolve(ws, filters, today).describe()
    emit(args, doc, lambda: _text(doc))
    return 0


def _fmt(x) -> str:
    return "—" if x is None else f"{x:+.1f}"


def _margin(x) -> str:
    return "± —" if x is None else f"± {x:.1f}"


def _change(c) -> str:
    """A change only when both periods reach the minimum sample (Settings)."""
    if not c:
        return ""
    if not c.get("reliable", True):
        return "  change: n too small"
    return f"  change {c['delta']:+.1f}" + (" (significant)" if c["significant"] else " (not significant)")


def _text(doc: dict) -> str:
    lines = [doc["scope"],
             f"Responses {doc['responses']}: {doc['promoters']} promoters, {doc['passives']} passives, "
             f"{doc['detractors']} detractors",
             f"NPS {_fmt(doc['nps'])} {_margin(doc['margin95'])}"
             + (f"  (n too small: fewer than {doc['min_responses']})" if doc["small_sample"] else "")
             + _change(doc.get("change")),
             f"ARR-weighted NPS {_fmt(doc['arr_weighted_nps'])}"]
    if doc.get("previous"):
        prev = doc["previous"]
        lines.append(f"Compared with {prev['label']} ({prev['from']} – {prev['to']}): n={prev['responses']} "
                     f"NPS {_fmt(prev['nps'])} {_margin(prev['margin95'])}")
    by: str = doc.get("by") or ""
    for title, rows, key in ((f"By {analytics.DIMENSION_LABELS.get(by, by).lower()}" if by else "",
                              doc.get("groups"), "key"), ("Trend", doc.get("trend"), "period")):
        if rows is not None:
            lines.append(f"\n{title}:")
            lines += [f"  {analytics.group_label(by, r[key]) if key == 'key' else r[key]!s:<24} "
                      f"n={r['responses']:<7} NPS {_fmt(r['nps'])} "
                      f"{_margin(r['margin95'])}" + ("  (n too small)" if r.get("small_sample") else "")
                      + ("  (to date)" if r.get("partial") else "")
                      + _change(r.get("change")) for r in rows]
    return "\n".join(lines)
