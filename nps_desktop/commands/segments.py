"""``segments``: list, save, show and delete saved segments (named filters used everywhere)."""
from __future__ import annotations

import argparse

from ..cli import date_arg, emit, workspace_of
from ..core import analytics
from .stats import add_filter_options, filters_from_args
from ..core import clock


def register(sub, common) -> None:
    p = sub.add_parser("segments", parents=[common], help="list, save, show or delete saved segments",
                       description="Saved segments: named filters that the app, `stats --segment` and "
                                   "the report use. Without an action, lists them.")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", parents=[common], help="list saved segments (the default)")
    save = actions.add_parser("save", parents=[common], help="save the given filters under a name")
    save.add_argument("name")
    save.add_argument("--replace", action="store_true", help="overwrite a segment of that name")
    add_filter_options(save)
    show = actions.add_parser("show", parents=[common], help="show one segment's filters")
    show.add_argument("name")
    show.add_argument("--today", type=date_arg, metavar="DATE", help="resolve a preset on this day")
    delete = actions.add_parser("delete", parents=[common], help="delete a segment")
    delete.add_argument("name")
    p.set_defaults(func=run)


def segment_doc(s: analytics.Segment) -> dict:
    f = s.filters
    return {"name": s.name, "preset": f.preset,
            "from": f.date_from.isoformat() if f.date_from else None,
            "to": f.date_to.isoformat() if f.date_to else None,
            "filters": {k: list(v) for k, v in sorted(f.values.items())},
            "description": f.describe(), "created_at": s.created_at}


def run(args: argparse.Namespace) -> int:
    action = args.action or "list"
    with workspace_of(args, create=action == "save") as ws:
        if action == "save":
            if getattr(args, "segment", None) is None and not _has_filter(args):
                raise ValueError("give at least one filter to save (e.g. --region EMEA or --preset last_90_days)")
            seg = analytics.save_segment(ws, args.name, filters_from_args(args, ws), args.replace)
            doc = {"saved": segment_doc(seg)}
            emit(args, doc, f"Saved segment {seg.name!r}: {seg.filters.describe()}")
        elif action == "show":
            seg = next((s for s in analytics.list_segments(ws) if s.name == args.name), None)
            if seg is None:
                analytics.load_segment(ws, args.name)  # raises, naming the saved segments
            resolved = analytics.resolve(ws, seg.filters, getattr(args, "today", None) or clock.today())
            doc = {"segment": segment_doc(seg), "scope": resolved.describe()}
            emit(args, doc, f"{seg.name}: {resolved.describe()}")
        elif action == "delete":
            analytics.delete_segment(ws, args.name)
            emit(args, {"deleted": args.name}, f"Deleted segment {args.name!r}")
        else:
            segs = [segment_doc(s) for s in analytics.list_segments(ws)]
            emit(args, {"segments": segs},
                 lambda: "\n".join(f"{s['name']:<28} {s['description']}" for s in segs) or "No saved segments.")
    return 0


def _has_filter(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) for name in
               ["preset", "date_from", "date_to", "program",
                *(f"filter_{d}" for d in analytics.DIMENSIONS if d != "kind")])
