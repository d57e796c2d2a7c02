"""``themes``: each theme's mentions, NPS, impact on NPS and share of each category's comments."""
from __future__ import annotations

import argparse


from ..cli import TextProgress, emit, workspace_of
from ..core import analytics
from ..core.text import insight, tagging
from .stats import add_filter_options, filters_from_args
from ..core import clock


def register(sub, common) -> None:
    p = sub.add_parser("themes", parents=[common],
                       help="themes of the comments: count, NPS, impact; --retag to tag again",
                       description="Each theme's mentions, NPS, impact on NPS (NPS without the theme minus "
                                   "overall NPS) and share of detractor, passive and promoter comments.")
    add_filter_options(p)
    p.add_argument("--retag", action="store_true",
                   help="tag every response again with the workspace's dictionary first")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with workspace_of(args) as ws:
        retag = None
        if args.retag:
            retag = tagging.retag_all(ws, TextProgress("Tagging comments"))
        filters = analytics.resolve(ws, filters_from_args(args, ws), args.today or clock.today())
        doc = insight.theme_report(ws, filters).as_dict()
        doc["scope"] = filters.describe()
    doc["from"] = filters.date_from.isoformat() if filters.date_from else None
    doc["to"] = filters.date_to.isoformat() if filters.date_to else None
    if retag is not None:
        doc["retag"] = {"responses": retag.responses, "commented": retag.commented, "tagged": retag.tagged,
                        "tags": retag.tags, "seconds": round(retag.seconds, 2), "workers": retag.workers}
    emit(args, doc, lambda: _text(doc))
    return 0


def _pct(x) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def _num(x) -> str:
    return "—" if x is None else f"{x:+.1f}"


def _text(doc: dict) -> str:
    lines = []
    if "retag" in doc:
        r = doc["retag"]
        lines.append(f"Tagged {r['responses']} responses ({r['tagged']} with a theme, {r['tags']} tags) "
                     f"in {r['seconds']:.1f} s.")
    lines.append(f"{doc['scope']}: {doc['responses']} responses, {doc['comments']} with a comment, "
                 f"NPS {_num(doc['nps'])}")
    lines.append("Impact = NPS without the theme - overall NPS (positive: the theme pulls NPS down).")
    lines.append(f"{'theme':<22}{'count':>7}{'NPS':>8}{'impact':>8}{'detr.':>7}{'pass.':>7}{'prom.':>7}")
    for t in doc["themes"]:
        lines.append(f"{t['label']:<22}{t['count']:>7}{_num(t['nps']):>8}{_num(t['impact']):>8}"
                     f"{_pct(t['detractor_share']):>7}{_pct(t['passive_share']):>7}"
                     f"{_pct(t['promoter_share']):>7}")
    return "\n".join(lines)
