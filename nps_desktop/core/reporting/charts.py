"""Vector charts of the pack, drawn with reportlab.graphics: the NPS trend with its margin band, the
score distribution, the category split, NPS by segment, category bars and progress against the goal.

Every function returns a ``Drawing`` (a platypus flowable) of the given width; labels use the report
fonts, so accented and other scripts print.
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import formats as f
from .fonts import Fonts
from .text import label_font

INK = colors.HexColor("#1f2937")
MUTED = colors.HexColor("#6b7280")
GRID = colors.HexColor("#e5e7eb")
ACCENT = colors.HexColor("#1d4ed8")
BAND = colors.HexColor("#dbe6fb")
GOAL = colors.HexColor("#7c3aed")
PROMOTER = colors.HexColor("#16a34a")
PASSIVE = colors.HexColor("#f59e0b")
DETRACTOR = colors.HexColor("#dc2626")
CATEGORY = {"promoter": PROMOTER, "passive": PASSIVE, "detractor": DETRACTOR,
            "unscored": colors.HexColor("#9ca3af")}


def score_color(score: int) -> colors.Color:
    return PROMOTER if score >= 9 else PASSIVE if score >= 7 else DETRACTOR


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5 or 5 times a power of ten apart)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(t, 10))
    return ticks


def _text(x: float, y: float, s: str, fonts: Fonts, size: float = 7.5, color=INK,
          anchor: str = "middle", bold: bool = False) -> String:
    return String(x, y, s, fontName=label_font(s, fonts, bold), fontSize=size, fillColor=color,
                  textAnchor=anchor)


def _fit(s: str, width: float, font: str, size: float) -> str:
    """``s`` shortened with '…' to fit ``width`` points."""
    if stringWidth(s, font, size) <= width:
        return s
    while s and stringWidth(s + "…", font, size) > width:
        s = s[:-1]
    return s.rstrip() + "…"


def trend_chart(trend: Sequence[dict], width: float, height: float, fonts: Fonts,
                goal: float | None = None) -> Drawing:
    """NPS per quarter as a line, its 95% margin as a band, the response count under each quarter and
    the goal as a dashed line. Quarters below the minimum sample (``small_sample``) are grey circles
    off the line with no value, kept inside the axis; a quarter not yet ended (``partial``) says so."""
    d = Drawing(width, height)
    scored = [(i, t) for i, t in enumerate(trend) if t["nps"] is not None]
    if not scored:
        d.add(_text(width / 2, height / 2, "No responses in these quarters", fonts, 9, MUTED))
        return d
    points = [(i, t) for i, t in scored if not t.get("small_sample")]
    small = [(i, t) for i, t in scored if t.get("small_sample")]
    left, right, bottom, top = 34, 14, 34, 14
    ranged = points or scored
    lows = [t["nps"] - (t["margin95"] or 0) for _, t in ranged]
    highs = [t["nps"] + (t["margin95"] or 0) for _, t in ranged]
    lo, hi = min(lows + ([goal] if goal is not None else [])), max(highs + ([goal] if goal is not None else []))
    pad = max((hi - lo) * 0.12, 2)
    ticks = nice_ticks(max(lo - pad, -100), min(hi + pad, 100))
    y0, y1 = ticks[0], ticks[-1]
    n = len(trend)
    step = (width - left - right) / max(n, 1)
    x_of = lambda i: left + step * (i + 0.5)  # noqa: E731
    y_of = lambda v: bottom + (min(max(v, y0), y1) - y0) / (y1 - y0) * (height - top - bottom)  # noqa: E731

    for tick in ticks:
        y = y_of(tick)
        d.add(Line(left, y, width - right, y, strokeColor=INK if tick == 0 else GRID,
                   strokeWidth=0.8 if tick == 0 else 0.5))
        d.add(_text(left - 5, y - 2.5, f"{tick:g}", fonts, 7, MUTED, "end"))
    banded = [(i, t) for i, t in points if t["margin95"] is not None]
    if len(banded) >= 2:
        upper = [(x_of(i), y_of(t["nps"] + t["margin95"])) for i, t in banded]
        lower = [(x_of(i), y_of(t["nps"] - t["margin95"])) for i, t in reversed(banded)]
        d.add(Polygon([c for p in upper + lower for c in p], fillColor=BAND, strokeColor=None))
    if goal is not None:
        gy = y_of(goal)
        d.add(Line(left, gy, width - right, gy, strokeColor=GOAL, strokeWidth=1, strokeDashArray=[4, 3]))
        d.add(_text(left + 4, gy + 3, f"Goal {goal:g}", fonts, 7, GOAL, "start", bold=True))
    if len(points) >= 2:
        d.add(PolyLine([c for i, t in points for c in (x_of(i), y_of(t["nps"]))], strokeColor=ACCENT,
                       strokeWidth=2))
    for i, t in small:
        d.add(Circle(x_of(i), y_of(t["nps"]), 2.2, fillColor=colors.white, strokeColor=MUTED, strokeWidth=1))
    for i, t in points:
        x, y = x_of(i), y_of(t["nps"])
        d.add(Circle(x, y, 2.6, fillColor=colors.white, strokeColor=ACCENT, strokeWidth=1.5))
        label = f.nps(t["nps"])
        lw = stringWidth(label, fonts.bold, 7.5) + 4
        d.add(Rect(x - lw / 2, y + 5, lw, 9.5, fillColor=colors.white, strokeColor=None, rx=2, ry=2))
        d.add(_text(x, y + 7.5, label, fonts, 7.5, INK, bold=(i == n - 1)))
    for i, t in enumerate(trend):
        name = _quarter_short(t["period"]) + (" to date" if t.get("partial") else "")
        d.add(_text(x_of(i), bottom - 12, name, fonts, 7.5, INK, bold=(i == n - 1)))
        d.add(_text(x_of(i), bottom - 22, f"n={t['responses']:,}" + (" · too small" if t.get("small_sample")
                                                                    and t["responses"] else ""),
                    fonts, 6.5, MUTED))
    return d


def _quarter_short(key: str) -> str:
    """``2026Q3`` → ``Q3 '26``."""
    if "Q" not in key:
        return key
    year, q = key.split("Q")
    return f"Q{q} ’{year[-2:]}"


def distribution_chart(counts: Sequence[int], width: float, height: float, fonts: Fonts) -> Drawing:
    """Responses per score 0–10, coloured by category, with each score's share above its bar."""
    d = Drawing(width, height)
    total = sum(counts)
    left, right, bottom, top = 10, 10, 30, 14
    slot = (width - left - right) / 11
    peak = max(counts) or 1
    for s, c in enumerate(counts):
        h = (height - top - bottom) * c / peak
        x = left + slot * s
        d.add(Rect(x + slot * 0.15, bottom, slot * 0.7, h, fillColor=score_color(s), strokeColor=None))
        d.add(_text(x + slot / 2, bottom + h + 3, f.share(c, total), fonts, 7, INK))
        d.add(_text(x + slot / 2, bottom - 10, str(s), fonts, 8, INK, bold=True))
    d.add(Line(left, bottom, width - right, bottom, strokeColor=INK, strokeWidth=0.6))
    for lo, hi, name, color in ((0, 6, "Detractors 0–6", DETRACTOR), (7, 8, "Passives 7–8", PASSIVE),
                                (9, 10, "Promoters 9–10", PROMOTER)):
        x0, x1 = left + slot * lo + 3, left + slot * (hi + 1) - 3
        d.add(Line(x0, bottom - 15, x1, bottom - 15, strokeColor=color, strokeWidth=1.5))
        d.add(_text((x0 + x1) / 2, bottom - 25, name, fonts, 7, color, bold=True))
    return d


def split_bar(promoters: int, passives: int, detractors: int, width: float, fonts: Fonts,
              height: float = 34) -> Drawing:
    """One 100% bar: detractors, passives, promoters, each with its share."""
    d = Drawing(width, height)
    total = promoters + passives + detractors
    if not total:
        return d
    x = 0.0
    for label, n, color in (("Detractors", detractors, DETRACTOR), ("Passives", passives, PASSIVE),
                            ("Promoters", promoters, PROMOTER)):
        w = width * n / total
        d.add(Rect(x, 14, w, height - 14, fillColor=color, strokeColor=colors.white, strokeWidth=1))
        share = f.share(n, total)
        if w > 26:
            d.add(_text(x + w / 2, 14 + (height - 14) / 2 - 3, share, fonts, 8, colors.white, bold=True))
        if w > 50:
            d.add(_text(x + w / 2, 3, label, fonts, 7, MUTED))
        x += w
    return d


def nps_bars(rows: Sequence[dict], width: float, fonts: Fonts, row_height: float = 15) -> Drawing:
    """NPS per segment as horizontal bars from zero, with the 95% margin as a whisker; groups under 30
    responses are left out (their margin would squash the others) unless every group is that small."""
    rows = [r for r in rows if r["nps"] is not None]
    rows = [r for r in rows if not r["small_sample"]] or rows
    height = row_height * len(rows) + 18
    d = Drawing(width, height)
    if not rows:
        return d
    label_w, value_w = 110, 30
    lo = min(min(r["nps"] - (r["margin95"] or 0) for r in rows), 0)
    hi = max(max(r["nps"] + (r["margin95"] or 0) for r in rows), 0)
    ticks = nice_ticks(max(lo, -100), min(hi, 100), 4)
    x0, x1 = label_w, width - value_w
    x_of = lambda v: x0 + (max(min(v, ticks[-1]), ticks[0]) - ticks[0]) / (ticks[-1] - ticks[0]) * (x1 - x0)  # noqa: E731
    for t in ticks:
        d.add(Line(x_of(t), 12, x_of(t), height, strokeColor=INK if t == 0 else GRID,
                   strokeWidth=0.7 if t == 0 else 0.4))
        d.add(_text(x_of(t), 2, f"{t:g}", fonts, 6.5, MUTED))
    for k, r in enumerate(rows):
        y = height - row_height * (k + 1)
        font = label_font(r["label"], fonts)
        d.add(String(x0 - 6, y + 4, _fit(r["label"], label_w - 10, font, 7.5), fontName=font, fontSize=7.5,
                     fillColor=INK, textAnchor="end"))
        a, b = sorted((x_of(0), x_of(r["nps"])))
        d.add(Rect(a, y + 2, max(b - a, 0.5), row_height - 5,
                   fillColor=ACCENT if not r["small_sample"] else BAND, strokeColor=None))
        if r["margin95"] is not None:
            m = r["margin95"]
            ym = y + 2 + (row_height - 5) / 2
            d.add(Line(x_of(r["nps"] - m), ym, x_of(r["nps"] + m), ym, strokeColor=INK, strokeWidth=0.6))
        d.add(_text(x1 + 4, y + 4, f.nps(r["nps"]), fonts, 7.5, INK, "start", bold=True))
    return d


def category_bars(values: dict[str, float | None], width: float, height: float, fonts: Fonts,
                  fmt: Callable[[float], str], title: str) -> Drawing:
    """One bar per NPS category (promoter, passive, detractor, unscored) with its formatted value."""
    d = Drawing(width, height)
    d.add(_text(0, height - 10, title, fonts, 8, INK, "start", bold=True))
    items = [(k, v) for k, v in values.items() if v is not None]
    if not items:
        d.add(_text(width / 2, height / 2, "no events", fonts, 8, MUTED))
        return d
    bottom, top = 16, 26
    peak = max(abs(v) for _, v in items) or 1
    slot = width / len(items)
    for i, (k, v) in enumerate(items):
        h = (height - top - bottom) * abs(v) / peak
        x = slot * i
        d.add(Rect(x + slot * 0.2, bottom, slot * 0.6, h, fillColor=CATEGORY.get(k, ACCENT), strokeColor=None))
        d.add(_text(x + slot / 2, bottom + h + 3, fmt(v), fonts, 7.5, INK, bold=True))
        d.add(_text(x + slot / 2, bottom - 10, k.capitalize(), fonts, 7, MUTED))
    d.add(Line(0, bottom, width, bottom, strokeColor=INK, strokeWidth=0.5))
    return d


def goal_track(baseline: float | None, current: float, goal: float, width: float, fonts: Fonts,
               baseline_label: str = "", height: float = 46) -> Drawing:
    """A track from the baseline (or −100) to the goal with the current NPS marked on it."""
    d = Drawing(width, height)
    start = baseline if baseline is not None else min(current, goal) - 10
    lo, hi = min(start, current, goal), max(start, current, goal)
    span = (hi - lo) or 1
    pad = 16
    x_of = lambda v: pad + (v - lo) / span * (width - 2 * pad)  # noqa: E731
    y = 22
    d.add(Rect(pad, y - 4, width - 2 * pad, 8, fillColor=GRID, strokeColor=None, rx=4, ry=4))
    a, b = sorted((x_of(start), x_of(current)))
    d.add(Rect(a, y - 4, max(b - a, 1), 8, fillColor=PROMOTER if current >= start else DETRACTOR,
               strokeColor=None, rx=4, ry=4))
    marks = Group()
    for v, label, color in ((start, baseline_label or f.nps(start), MUTED), (goal, f"Goal {goal:g}", GOAL),
                            (current, f"Now {f.nps(current)}", INK)):
        x = x_of(v)
        marks.add(Line(x, y - 8, x, y + 8, strokeColor=color, strokeWidth=1.5))
        above = v == current
        anchor = "start" if x < width * 0.15 else "end" if x > width * 0.85 else "middle"
        marks.add(_text(x, y + 12 if above else y - 18, label, fonts, 7.5, color, anchor,
                        bold=above or v == goal))
    d.add(marks)
    return d
