"""``report``: the quarterly executive review pack, as a PDF or as PowerPoint slides (the format follows
the extension of ``--out``), with the words saved in the pack editor for that quarter."""
from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from ..cli import CliError, TextProgress, date_arg, emit, workspace_of
from ..core import disk, settings
from ..core.reporting import build, pack

FORMATS = {".pdf": "pdf", ".pptx": "pptx"}


def register(sub, common) -> None:
    p = sub.add_parser("report", parents=[common], help="the quarterly executive review pack (PDF or PPTX)")
    p.add_argument("--period", metavar="QUARTER", type=lambda v: v.strip().upper(),  # 2026q3 is 2026Q3
                   help="the quarter, e.g. 2026Q3 (default: the last complete quarter with responses)")
    p.add_argument("--segment", metavar="NAME", help="a saved segment (default: all responses)")
    p.add_argument("--page-size", choices=sorted(pack.PAGE_SIZES), help="A4 or Letter (default: Settings)")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="where to write the pack: FILE.pdf, or FILE.pptx for slides")
    p.add_argument("--today", type=date_arg, metavar="DATE",
                   help="the day the pack is prepared (default: today, or NPS_DESKTOP_TODAY); a past "
                        "quarter's figures are as of its last day, a current quarter's as of this day")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        raise CliError(f"{out}: the pack is written as .pdf or .pptx; name the file …{out.stem or 'pack'}.pdf "
                       f"or …{out.stem or 'pack'}.pptx")
    with workspace_of(args, read_only=True) as ws:
        page_size = args.page_size or settings.get(ws, "page_size") or "A4"
        try:
            result = build.build_pack(ws, out, args.period, args.segment, page_size,
                                     progress=TextProgress("Building the pack"), today=args.today)
        except OSError as exc:
            raise CliError(f"cannot write {out}: {disk.reason(exc)}") from None
    d = result.data
    doc = {"out": str(result.path), "format": FORMATS[out.suffix.lower()], "pages": result.pages,
           "period": d.period, "segment": d.segment, "page_size": page_size, "sections": result.sections, "missing": d.missing,
           "seconds": round(result.seconds, 3), "figures": _figures(d)}
    unit = "slides" if out.suffix.lower() == ".pptx" else "pages"
    emit(args, doc, f"Wrote {result.path}: {result.pages} {unit}, {d.period_label}"
         + (f", segment {d.segment}" if d.segment else "") + f", in {result.seconds:.1f} s.")
    return 0


def _figures(d: pack.PackData) -> dict:
    """The pack's figures as JSON: the worth page's typed results as their ``as_json``."""
    doc = asdict(d)
    if d.worth is not None:
        doc["worth"].update(value=d.worth["value"].as_json(), risk=d.worth["risk"].as_json())
    return doc
