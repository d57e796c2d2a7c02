"""Build the executive review pack of a quarter: gather its figures, then write the PDF or the slides.

``build_pack`` is the one entry point the app and the CLI call; ``pack.render_pdf`` and
``pptx.render_pptx`` lay out figures already gathered.
"""
from __future__ import annotations

import os
import re
import time
from datetime import date
from pathlib import Path
from typing import Callable

from ..workspace import Workspace
from . import narrative, sources
from .data import Progress, default_period, gather
from .pack import PAGE_SIZES, PackResult, render_pdf
from .pptx import render_pptx


def build_pack(ws: Workspace, out: str | os.PathLike[str], period: str | None = None,
               segment: str | None = None, page_size: str = "A4", *, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None, today: date | None = None) -> PackResult:
    """Gather the figures of ``period`` (default: the last complete quarter) and write the pack, with
    the words saved for that quarter (``narrative``); a ``.pptx`` name writes the slides."""
    started = time.perf_counter()
    progress = progress or (lambda done, total: None)
    cancelled = cancelled or (lambda: False)
    if page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {page_size!r}: use A4 or Letter")
    period = period or default_period(ws, today)
    if period is None:
        raise ValueError("the workspace has no responses yet, so there is no quarter to report on")
    if not re.fullmatch(r"\d{4}Q[1-4]", period):
        raise ValueError(f"{period!r} is not a quarter: write it like 2026Q3")
    data = gather(ws, period, segment, progress=lambda d, t: progress(d, 2 * t),
                  cancelled=cancelled, today=today)
    render = render_pptx if Path(out).suffix.lower() == ".pptx" else render_pdf
    result = render(data, out, page_size=page_size, logo=sources.logo_bytes(ws), today=today,
                    progress=lambda d, t: progress(t + d, 2 * t), cancelled=cancelled,
                    words=narrative.gather(ws, period, data.filters), brand=sources.brand_color(ws))
    result.seconds = time.perf_counter() - started
    return result
