"""The quarterly executive review pack: a PDF built with reportlab platypus from ``PackData``.

``render_pdf`` lays out figures already gathered (``build.build_pack`` gathers them and writes the pack).
The file is written to a temporary name and moved into place, so a failure or a cancel leaves whatever
was there before untouched.
"""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import AbstractSet, Any, Callable, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (CondPageBreak, Flowable, Frame, FrameBreak, Image, KeepTogether, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from ... import __version__
from ..export_safety import replacing
from . import branding, charts, narrative, story_pages, summary, worth_page
from . import formats as f
from .data import SEGMENT_DIMENSIONS, PackData, ReportCancelled
from .fonts import Fonts, register_fonts
from .text import clean, label_font, markup
from .. import clock, labels

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
MARGIN = 18 * mm
COVER_BAND = 0.42  # the cover's dark band starts this far up the page
QUOTE_LIMIT = 420
NAVY = colors.HexColor("#0f2747")
INK, MUTED, ACCENT = charts.INK, charts.MUTED, charts.ACCENT
RULE = colors.HexColor("#d1d5db")
ZEBRA = colors.HexColor("#f6f7f9")
HEAD = colors.HexColor("#eef2f8")
Progress = Callable[[int, int], None]


@dataclass
class PackResult:
    """What a build produced: the file, its page count, the figures it printed and its sections."""
    path: Path
    pages: int
    data: PackData
    sections: list[str] = field(default_factory=list)
    seconds: float = 0.0


# -- styles ----------------------------------------------------------------------------------------
def _styles(fonts: Fonts, brand: colors.Color = NAVY) -> dict[str, ParagraphStyle]:
    r, b = fonts.regular, fonts.bold
    base = ParagraphStyle("body", fontName=r, fontSize=9.5, leading=13.5, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=7.8, leading=10, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8.2, leading=10.2),
        "cell_r": ParagraphStyle("cell_r", base, fontSize=8.2, leading=10.2, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontName=b, fontSize=7.6, leading=9.5, textColor=MUTED),
        "head_r": ParagraphStyle("head_r", base, fontName=b, fontSize=7.6, leading=9.5, textColor=MUTED,
                                 alignment=TA_RIGHT),
        "quote": ParagraphStyle("quote", base, fontSize=8, leading=10.6, textColor=colors.HexColor("#374151"),
                                leftIndent=6, borderPadding=0),
        "h1": ParagraphStyle("h1", base, fontName=b, fontSize=17, leading=21, textColor=brand,
                             spaceBefore=4, spaceAfter=3),
        "h2": ParagraphStyle("h2", base, fontName=b, fontSize=11, leading=14, textColor=brand,
                             spaceBefore=10, spaceAfter=4),
        "lede": ParagraphStyle("lede", base, fontSize=9.5, leading=13, textColor=MUTED, spaceAfter=8),
        "bullet": ParagraphStyle("bullet", base, fontSize=10, leading=14.5, leftIndent=12, bulletIndent=0,
                                 spaceAfter=5),
        "tile_cap": ParagraphStyle("tile_cap", base, fontSize=7.5, leading=9, textColor=MUTED),
        "tile_val": ParagraphStyle("tile_val", base, fontName=b, fontSize=22, leading=26, textColor=brand),
        "tile_det": ParagraphStyle("tile_det", base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "cover_company": ParagraphStyle("cover_company", base, fontName=b, fontSize=15, leading=19,
                                        textColor=colors.HexColor("#bcd0f0")),
        "cover_title": ParagraphStyle("cover_title", base, fontName=b, fontSize=32, leading=37,
                                      textColor=colors.white),
        "cover_sub": ParagraphStyle("cover_sub", base, fontSize=13, leading=18,
                                    textColor=colors.HexColor("#dbe6fb")),
        "cover_meta": ParagraphStyle("cover_meta", base, fontSize=9, leading=13, textColor=MUTED),
        "cover_lead": ParagraphStyle("cover_lead", base, fontName=b, fontSize=14, leading=19, textColor=brand),
        "toc0": ParagraphStyle("toc0", base, fontName=b, fontSize=11, leading=20, textColor=brand),
        "toc1": ParagraphStyle("toc1", base, fontSize=9.5, leading=15, leftIndent=14),
    }


class Heading(Paragraph):
    """A section heading that becomes a table-of-contents entry and a PDF outline entry."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str):
        super().__init__(text, style)
        self.toc_level, self.key = level, key


# -- the document ----------------------------------------------------------------------------------
class _NumberedCanvas(Canvas):
    """Writes "page N of M" on every page but the cover once the page count is known."""

    def __init__(self, *args: Any, footer_font: str = "Helvetica", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._states: list[dict] = []
        self._footer_font = footer_font

    def showPage(self) -> None:  # noqa: N802 (reportlab name)
        self._states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._states)
        for state in self._states:
            self.__dict__.update(state)
            if self._pageNumber > 1:
                w, _ = self._pagesize
                self.setFont(self._footer_font, 7.5)
                self.setFillColor(MUTED)
                self.drawRightString(w - MARGIN, MARGIN * 0.55, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


class _Doc(BaseDocTemplate):
    def __init__(self, target: Any, data: PackData, fonts: Fonts, page_size: tuple[float, float],
                 today: date, on_flowable: Callable[[], None], brand: colors.Color = NAVY,
                 logo: bytes | None = None, front: bool = True, **kw: Any):
        title = f"Executive review — NPS {data.period_label}"
        super().__init__(target, pagesize=page_size, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN + 6 * mm, bottomMargin=MARGIN + 2 * mm, title=title,
                         author=data.company or "NPS Desktop",
                         subject=f"Net Promoter Score review {data.period_label}"
                         + (f", segment {data.segment}" if data.segment else ""),
                         creator=f"NPS Desktop {__version__}", keywords="NPS, executive review, "
                         + data.period, displayDocTitle=1, lang="en", **kw)
        self.data, self.fonts, self.today, self.on_flowable = data, fonts, today, on_flowable
        self.brand, self.header_logo = brand, branding.header_logo(logo)
        w, h = page_size
        band = h * COVER_BAND
        pad = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = [Frame(MARGIN + 4 * mm, band + 12 * mm, w - 2 * MARGIN - 8 * mm, h - band - 12 * mm - MARGIN,
                       id="cover_top", **pad),
                 Frame(MARGIN + 4 * mm, MARGIN, w - 2 * MARGIN - 8 * mm, band - 12 * mm - MARGIN,
                       id="cover_bottom", **pad)]
        body = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body", **pad)
        templates = [PageTemplate("cover", cover, onPage=self._cover_page),
                     PageTemplate("body", [body], onPage=self._body_page)]
        self.addPageTemplates(templates if front else templates[::-1])  # a preview starts on a body page
        self.sections: list[str] = []

    def _cover_page(self, canv: Canvas, doc: Any) -> None:
        w, h = self.pagesize
        canv.saveState()
        canv.setFillColor(self.brand)
        canv.rect(0, h * COVER_BAND, w, h * (1 - COVER_BAND), stroke=0, fill=1)
        canv.setFillColor(ACCENT)
        canv.rect(0, h * COVER_BAND - 5, w, 5, stroke=0, fill=1)
        canv.restoreState()

    def _body_page(self, canv: Canvas, doc: Any) -> None:
        w, h = self.pagesize
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, h - MARGIN, w - MARGIN, h - MARGIN)
        canv.line(MARGIN, MARGIN * 0.9, w - MARGIN, MARGIN * 0.9)
        canv.setFillColor(MUTED)
        left_x = MARGIN + branding.draw_header_logo(canv, self.header_logo, MARGIN, h - MARGIN + 2.5)
        left = _clip(" ".join(clean(self.data.company).split()) or "Net Promoter Score", 60)
        right = f"Executive review · {self.data.period_label}" + (
            f" · {_clip(' '.join(clean(self.data.segment).split()), 40)}" if self.data.segment else "")
        for x, text, draw in ((left_x, left, canv.drawString), (w - MARGIN, right, canv.drawRightString)):
            canv.setFont(label_font(text, self.fonts), 7.5)
            draw(x, h - MARGIN + 4, text)
        canv.setFont(self.fonts.regular, 7.5)
        canv.drawString(MARGIN, MARGIN * 0.55, f"Prepared {f.day(self.today)} with NPS Desktop · confidential")
        canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab name)
        self.on_flowable()
        if isinstance(flowable, Heading):
            text = flowable.getPlainText()
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(text, flowable.key, flowable.toc_level, closed=False)
            self.notify("TOCEntry", (flowable.toc_level, text, self.page, flowable.key))
            if flowable.toc_level == 0 and text not in self.sections:
                self.sections.append(text)


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def render_pdf(data: PackData, out: str | os.PathLike[str], *, page_size: str = "A4",
               logo: bytes | None = None, today: date | None = None, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None, words: narrative.Narrative | None = None,
               brand: str | None = None, only: list[str] | None = None) -> PackResult:
    """Lay out ``data`` as the pack and write it to ``out`` (atomically). ``words`` holds the saved words,
    quotes and section layout; ``only`` lists the sections of a preview (no cover, no contents)."""
    out = Path(out)
    today = today or clock.today()
    progress = progress or (lambda done, total: None)
    cancelled = cancelled or (lambda: False)
    fonts = register_fonts()
    words = words or _no_words(data)
    colour = colors.HexColor(brand) if brand else NAVY
    story = _Story(data, fonts, PAGE_SIZES[page_size], logo, today, words, colour).build(only)
    total, done = 2 * len(story), [0]

    def on_flowable() -> None:
        if cancelled():
            raise ReportCancelled("report cancelled")
        done[0] += 1
        progress(min(done[0], total - 1), total)

    buffer = io.BytesIO()
    doc = _Doc(buffer, data, fonts, PAGE_SIZES[page_size], today, on_flowable, colour, logo, only is None)
    doc.multiBuild(story, canvasmaker=lambda *a, **k: _NumberedCanvas(*a, footer_font=fonts.regular, **k))
    progress(total, total)
    write_atomically(out, buffer.getvalue())
    return PackResult(out, doc.page, data, doc.sections)


def write_atomically(out: Path, content: bytes) -> None:
    """Write ``content`` beside ``out`` (owner-only) and move it into place: a failure leaves what was there."""
    with replacing(out) as tmp:
        tmp.write_bytes(content)


# -- the story -------------------------------------------------------------------------------------
class _Story:
    """The flowables of the pack, section by section."""

    def __init__(self, data: PackData, fonts: Fonts, page_size: tuple[float, float], logo: bytes | None,
                 today: date, words: narrative.Narrative, brand: colors.Color = NAVY):
        self.d, self.fonts, self.logo, self.today, self.narrative = data, fonts, logo, today, words
        self.width, self.page_height = page_size[0] - 2 * MARGIN, page_size[1]
        self.st = _styles(fonts, brand)
        self._n = 0

    def build(self, only: list[str] | None = None) -> list[Flowable]:
        """The cover, the contents and the sections switched on, in the saved order; or only ``only``."""
        story: list[Flowable] = [] if only else self.cover() + self.contents()
        for key in only or self.narrative.words.enabled(list(SECTIONS)):
            story += SECTIONS[key][1](self)
        while only and story and isinstance(story[0], (PageBreak, CondPageBreak, Spacer)):
            story.pop(0)  # a preview starts with its heading
        return story

    # helpers
    def p(self, text: str, style: str = "body") -> Paragraph:
        """A paragraph of trusted markup (the pack's own words; user strings go through ``u``)."""
        return Paragraph(text, self.st[style])

    def u(self, text: Any, limit: int = 0) -> str:
        """User text as safe markup."""
        return markup(text, self.fonts, limit)

    def h1(self, text: str, new_page: bool = True) -> list[Flowable]:
        self._n += 1
        return ([PageBreak()] if new_page else [CondPageBreak(60 * mm), Spacer(1, 6 * mm)]) + \
            [Heading(text, self.st["h1"], 0, f"s{self._n}")]

    def h2(self, text: str, toc: bool = True) -> list[Flowable]:
        self._n += 1
        head = Heading(text, self.st["h2"], 1, f"s{self._n}") if toc else Paragraph(text, self.st["h2"])
        return [CondPageBreak(40 * mm), head]

    def to_date(self) -> str:
        """' (quarter to date, through …)' while the quarter has not ended."""
        return f" (quarter to date, through {f.day(self.today)})" if self.today < self.d.end else ""

    def rate(self, r: dict | None) -> str:
        """A rate cell: the rate over its Wilson 95% interval and n; greyed "n too small" below the minimum."""
        if not r or r["rate"] is None:
            return f.DASH
        if r["small_sample"]:
            return grey(f"{f.SMALL}<br/>n = {f.count(r['n'])}")
        return f"{f.pct(r['rate'])}<br/><font size=\"6.8\">{f.ci(r)}</font>"

    def unavailable(self, key: str) -> list[Flowable]:
        reason = self.d.missing.get(key, "not available yet")
        return [self.p(self.u(reason[:1].upper() + reason[1:] + "."), "lede")]

    def table(self, header: list[str], rows: list[list[Any]], widths: list[float],
              numeric: AbstractSet[int] = frozenset(), extra: Sequence[tuple[Any, ...]] = ()) -> Table:
        """A styled table: a bold header row repeated on each page, zebra rows, numbers right-aligned."""
        head = [self.p(h, "head_r" if i in numeric else "head") for i, h in enumerate(header)]
        body = [[c if isinstance(c, (Flowable, list)) else self.p(c, "cell_r" if i in numeric else "cell")
                 for i, c in enumerate(r)] for r in rows]
        t = Table([head] + body, colWidths=widths, repeatRows=1, splitInRow=1)
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                 ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
                 ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
                 ("TOPPADDING", (0, 0), (-1, -1), 3.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.2),
                 ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
        style += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(rows) + 1, 2)]
        t.setStyle(TableStyle(style + list(extra)))
        return t

    def cols(self, *fractions: float) -> list[float]:
        return [self.width * x / sum(fractions) for x in fractions]

    # sections
    def cover(self) -> list[Flowable]:
        d = self.d
        top_height = self.page_height * (1 - COVER_BAND) - 12 * mm - MARGIN
        out: list[Flowable] = [NextPageTemplate("cover")]
        out.append(_logo(self.logo, 50 * mm, 20 * mm) if self.logo else Spacer(1, 20 * mm))
        out += [Spacer(1, max(top_height - 20 * mm - 88 * mm, 4 * mm)),
                self.p(self.u(d.company, 120) if d.company else "Net Promoter Score programme",
                       "cover_company"),
                Spacer(1, 4 * mm),
                self.p("Quarterly executive review", "cover_title"),
                Spacer(1, 4 * mm),
                self.p(f"Net Promoter Score · {d.period_label} · {f.day(d.start)} – {f.day(d.end)}",
                       "cover_sub")]
        if self.to_date():
            out.append(self.p("Q" + self.to_date().strip(" ()")[1:], "cover_sub"))
        if d.segment:
            out.append(self.p("Segment: " + self.u(d.segment, 120), "cover_sub"))
        out.append(FrameBreak())
        out.append(self.p(self.u(summary.headline(d)), "cover_lead"))
        out += [Spacer(1, 6 * mm),
                self.p(f"Prepared {f.day(self.today)}", "cover_meta"),
                self.p("Confidential: prepared for the executive team and the board", "cover_meta"),
                NextPageTemplate("body"), PageBreak()]
        return out

    def contents(self) -> list[Flowable]:
        toc = TableOfContents(levelStyles=[self.st["toc0"], self.st["toc1"]], dotsMinLevel=0)
        return [self.p("Contents", "h1"), Spacer(1, 4 * mm), toc]

    def executive_summary(self) -> list[Flowable]:
        d, s = self.d, self.d.stats
        out = self.h1("Executive summary")
        out.append(self.p(f"{d.period_label}, {f.day(d.start)} – {f.day(d.end)}{self.to_date()}"
                          + (f" · segment {self.u(d.segment, 120)}" if d.segment else " · all responses"),
                          "lede"))
        change, small = d.change, s["small_sample"]
        if change is None or d.previous is None:  # stats sets both or neither
            ch_val, ch_det = f.DASH, f"no responses in {d.previous_label}"
        elif not change["reliable"]:
            ch_val, ch_det = grey(f.SMALL), (f"n = {f.count(s['responses'])} and {f.count(d.previous['responses'])}; "
                                              f"needs {d.min_responses} in each quarter")
        else:
            ch_val = f.delta(change["delta"])
            ch_det = ("significant at 95%" if change["significant"] else
                      "not significant" + (f" (needs ±{change['threshold']:.1f})" if change["threshold"] else ""))
        nps_det = (f"{f.SMALL}: n = {f.count(s['responses'])} of {d.min_responses} needed" if small
                   else f"{f.margin(s['margin95'])} (95% margin), n = {f.count(s['responses'])}")
        tiles = [("NPS", grey(f.nps(s["nps"])) if small else f.nps(s["nps"]), nps_det),
                 (f"Change vs {d.previous_label}", ch_val, ch_det),
                 ("Responses", f.count(s["responses"]), f"{f.pct(s['mapped_share'])} mapped to accounts"),
                 ("ARR-weighted NPS", grey(f.nps(s["arr_weighted_nps"])) if small else f.nps(s["arr_weighted_nps"]),
                  "accounts weighted by ARR" + (f" ({f.SMALL})" if small else ""))]
        if d.goal:
            tiles.append(("Goal", f"{d.goal['goal']:g}", f.SMALL if small else "met" if d.goal["met"]
                          else f"{f.points(d.goal['gap'])} points to go"))
        out.append(self.tiles(tiles))
        out += self.h2("Promoters, passives and detractors", toc=False)
        out.append(charts.split_bar(s["promoters"], s["passives"], s["detractors"], self.width, self.fonts))
        out.append(Spacer(1, 1.5 * mm))
        out.append(self.p(f"Promoters (9–10) {f.count(s['promoters'])} · passives (7–8) "
                          f"{f.count(s['passives'])} · detractors (0–6) {f.count(s['detractors'])}", "small"))
        out += self.h2("Key points", toc=False)
        out += story_pages.summary_words(self)
        if len(d.trend) > 1:
            out += self.h2("NPS, last eight quarters", toc=False)
            out.append(charts.trend_chart(d.trend, self.width, 52 * mm, self.fonts,
                                          d.goal["goal"] if d.goal else None))
        return out

    def tiles(self, tiles: list[tuple[str, str, str]]) -> Table:
        gap = 4 * mm
        w = (self.width - gap * (len(tiles) - 1)) / len(tiles)
        big = self.st["tile_val"]
        size = min([big.fontSize] + [big.fontSize * (w - 18) / stringWidth(re.sub(r"<[^>]+>", "", val),
                                                                            big.fontName, big.fontSize)
                                     for _, val, _ in tiles])  # every value on one line, all one size
        value = ParagraphStyle("tile_fit", big, fontSize=size, leading=size * 1.2)
        cells = [[self.p(cap, "tile_cap"), Paragraph(val, value), self.p(det, "tile_det")]
                 for cap, val, det in tiles]
        row: list[str | list[Paragraph]] = []
        widths: list[float] = []
        for i, c in enumerate(cells):
            if i:
                row.append("")
                widths.append(gap)
            row.append(c)
            widths.append(w)
        t = Table([row], colWidths=widths)
        style: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 7),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 8), ("LEFTPADDING", (0, 0), (-1, -1), 8)]
        for i in range(0, len(row), 2):
            style += [("BACKGROUND", (i, 0), (i, 0), HEAD), ("LINEABOVE", (i, 0), (i, 0), 2.5, ACCENT)]
        t.setStyle(TableStyle(style))
        return t

    def trend(self) -> list[Flowable]:
        d = self.d
        out = self.h1("NPS over eight quarters")
        out.append(self.p("Each point is the quarter's NPS; the shaded band is its 95% margin of error, so "
                          "quarters whose bands overlap may not differ at all. n is the number of responses; "
                          f"quarters with fewer than {d.min_responses} are grey circles off the line, and a quarter "
                          "that has not ended is marked “to date”.", "lede"))
        goal = d.goal["goal"] if d.goal else None
        out.append(charts.trend_chart(d.trend, self.width, 72 * mm, self.fonts, goal))
        rows = [[d_period(t["period"]) + (" (to date)" if t.get("partial") else ""), f.count(t["responses"]),
                 f.share(t["promoters"], t["responses"]), f.share(t["passives"], t["responses"]),
                 f.share(t["detractors"], t["responses"]),
                 grey(f.nps1(t["nps"])) if t["small_sample"] else f"<b>{f.nps1(t['nps'])}</b>",
                 grey(f.SMALL) if t["small_sample"] else f.margin(t["margin95"])]
                for t in d.trend]
        out.append(Spacer(1, 3 * mm))
        out.append(self.table(["Quarter", "Responses", "Promoters", "Passives", "Detractors", "NPS", "95% margin"],
                              rows, self.cols(1.3, 1, 1, 1, 1, 0.9, 1), numeric={1, 2, 3, 4, 5, 6}))
        out += self.h1("Score distribution", new_page=False)
        out.append(self.p(f"How the {f.count(d.stats['responses'])} responses of {d.period_label} spread over "
                          "the 0–10 scale.", "lede"))
        out.append(charts.distribution_chart(d.distribution, self.width, 58 * mm, self.fonts))
        return out

    def segments(self) -> list[Flowable]:
        d = self.d
        out = self.h1("Segments")
        out.append(self.p(f"NPS by account segment in {d.period_label}, against {d.previous_label}. "
                          "A change is marked significant when it "
                          "exceeds 1.96 times the combined standard error of the two quarters, and shown only when "
                          f"both quarters have at least {d.min_responses} responses. Segments with fewer are shown "
                          "in grey as “n too small”: their NPS can swing widely.", "lede"))
        out.append(self.p("NPS by region (bar: NPS; line: 95% margin)", "small"))
        out.append(charts.nps_bars(d.segments["region"], self.width, self.fonts))
        for dim, title in SEGMENT_DIMENSIONS:
            out += self.h2(f"By {title.lower()}")
            out.append(self.segment_table(d.segments[dim]))
        return out

    def segment_table(self, rows: list[dict]) -> Table:
        body = []
        for r in rows:
            c = r["change"]
            if c is None:
                verdict = "new" if r["previous_responses"] == 0 else f.DASH
            elif not c["reliable"]:
                verdict, c = f.SMALL, None
            elif c["significant"]:
                verdict = ('<font color="#16a34a">▲ significant</font>' if c["delta"] > 0
                           else '<font color="#dc2626">▼ significant</font>')
            else:
                verdict = "within margin"
            if r["small_sample"]:
                body.append([grey(self.u(r["label"], 80)), grey(f.count(r["responses"])), grey(f.nps1(r["nps"])),
                             grey(f.SMALL), grey(f.nps1(r["previous_nps"])), grey(f.DASH), grey(f.SMALL)])
                continue
            body.append([self.u(r["label"], 80), f.count(r["responses"]), f"<b>{f.nps1(r['nps'])}</b>",
                         f.margin(r["margin95"]), f.nps1(r["previous_nps"]),
                         f.delta(c["delta"]) if c else f.DASH, verdict])
        return self.table(["Segment", "Responses", "NPS", "95% margin", self.d.previous_label or "Before",
                           "Change", "Significance"],
                          body, self.cols(2.3, 1, 0.8, 1, 1, 0.8, 1.3), numeric={1, 2, 3, 4, 5})

    def revenue(self) -> list[Flowable]:
        d, r = self.d, self.d.revenue
        out = self.h1("Revenue by NPS category", new_page=False)
        if r is None:
            return out + self.unavailable("revenue")
        out.append(self.p(f"Revenue events dated in {d.period_label}, each attributed to its account's NPS "
                          "category over the 365 days before the event; accounts with no response then are "
                          "unscored. These figures cover every account, whatever the segment. Rates show n and "
                          f"their Wilson 95% interval; over fewer than {d.min_accounts} accounts they read "
                          "“n too small”.", "lede"))
        if not any(c["events"] for c in r["categories"]):
            out.append(self.p(f"No revenue events are recorded in {d.period_label}. Import renewals, churn and "
                              "expansion from your CRM to see them here.", "body"))
            return out
        cur = d.currency
        rows = [[f"<b>{c['category'].capitalize()}</b>", f.count(c["accounts"]), f.count(c["renewals"]),
                 f.count(c["churns"]), self.rate(c["renewal"]), f.money(c["churned_arr"], cur),
                 self.rate(c["expansion"]), f.money(c["expansion_arr"], cur),
                 grey("n too<br/>small") if c["nrr_small_sample"] and c["nrr"] is not None
                 else f.pct(c["nrr"])]
                for c in r["categories"]]
        out.append(self.table(["Category", "Accounts with events", "Renewals", "Churns", "Renewal rate", "Churned ARR",
                               "Expanded", "Expansion ARR", "NRR"], rows,
                              self.cols(1.1, 1, 1, 0.8, 1.3, 1.1, 1.3, 1.1, 0.95), numeric=set(range(1, 9))))
        out.append(Spacer(1, 5 * mm))
        half = (self.width - 8 * mm) / 2
        by = {c["category"]: c for c in r["categories"] if c["accounts"]}
        rates = {k: c["renewal_rate"] for k, c in by.items() if not c["renewal"]["small_sample"]}
        pair = Table([[charts.category_bars(rates, half, 46 * mm, self.fonts, f.pct,
                                            f"Renewal rate (categories with {d.min_accounts}+ renewals or churns)"),
                       charts.category_bars({k: c["expansion_arr"] for k, c in by.items()}, half, 46 * mm,
                                            self.fonts, lambda x: f.money(x, cur), f"Expansion ARR ({cur})")]],
                     colWidths=[half + 8 * mm, half])
        pair.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        out.append(pair)
        if r["expansion_share_promoters"] is not None:
            out.append(self.p(f"Promoter accounts generated {f.pct(r['expansion_share_promoters'])} of the "
                              f"{f.money(r['expansion_arr'], cur)} expansion ARR of the quarter. NRR: net revenue "
                              "retention of the category's accounts over the quarter.", "small"))
        return out

    def worth(self) -> list[Flowable]:
        return worth_page.section(self)

    def themes(self) -> list[Flowable]:
        d, t = self.d, self.d.themes
        out = self.h1("What drives detractors and promoters")
        if t is None:
            return out + self.unavailable("themes")
        if not t["comments"] or not any(x["count"] for x in t["themes"]):
            out.append(self.p(f"None of the {f.count(t['comments'])} comments in scope is tagged with a theme "
                              "yet. Tag the comments on the Themes page to fill this section.", "lede"))
            return out
        out.append(self.p(f"Themes found in the {f.count(t['comments'])} comments of {d.period_label}. Share: the "
                          "theme's share of that category's comments. Impact: NPS without the theme minus the "
                          "overall NPS (positive: the theme pulls NPS down). A theme mentioned in fewer than "
                          f"{d.min_responses} responses has no NPS or impact here (n too small).", "lede"))
        for category, title in (("detractor", "Detractors talk most about"),
                                ("promoter", "Promoters talk most about")):
            if not t.get(category):
                continue
            out += self.h2(title)
            rows = []
            for x in t[category]:
                cell = [self.p(f"<b>{self.u(x['label'], 60)}</b>", "cell")]
                for q in x["quotes"]:
                    who = " · ".join(v for v in (q["account"], f.day(q["responded_on"]), f"score {q['score']}") if v)
                    cell.append(self.p("“" + self.u(q["comment"], QUOTE_LIMIT) + "”", "quote"))
                    cell.append(self.p(self.u(who, 100), "small"))
                rows.append([cell, f.pct(x[f"{category}_share"]), *self.theme_figures(x)])
            out.append(self.table(["Theme and a verbatim", "Share", "Theme NPS", "Impact"], rows,
                                  self.cols(5, 0.8, 0.9, 0.8), numeric={1, 2, 3}))
        out += self.h2("Every theme")
        rows = [[self.u(x["label"], 60), f.count(x["count"]), *self.theme_figures(x),
                 f.pct(x["detractor_share"]), f.pct(x["passive_share"]), f.pct(x["promoter_share"])]
                for x in t["themes"] if x["count"]]
        out.append(self.table(["Theme", "Mentions", "NPS", "Impact", "Detractors", "Passives", "Promoters"], rows,
                              self.cols(2.2, 1, 0.9, 0.9, 1, 1, 1), numeric=set(range(1, 7))))
        return out

    def theme_figures(self, x: dict) -> list[str]:
        """A theme's NPS and impact; greyed "n too small" when fewer responses than the minimum mention it."""
        if x["count"] < self.d.min_responses:
            return [grey(f.SMALL), grey(f.DASH)]
        return [f.nps1(x["nps"]), f.delta(x["impact"])]

    def at_risk(self) -> list[Flowable]:
        r = self.d.at_risk
        out = self.h1("Top accounts at risk by ARR")
        if r is None:
            return out + self.unavailable("at_risk")
        out.append(self.p(f"Accounts as they stood on {f.day(r['as_of'])} (status, ARR and renewal date then), "
                          f"renewing within {r['within_days']} days, with at least {r['min_contacts']} responding "
                          "contacts over the year before, that were detractor accounts, or passive accounts whose "
                          "NPS fell sharply between their last two quarters with that many contacts; never "
                          "promoter accounts. Largest ARR first, with the comment behind their lowest score.",
                          "lede"))
        if not r["accounts"]:
            out.append(self.p("No account meets these conditions.", "body"))
            return out
        rows = []
        for a in r["accounts"]:
            why = a["why"][len(a["name"]):].strip() if a["why"].startswith(a["name"]) else a["why"]
            cell = [self.p(f"<b>{self.u(a['name'], 80)}</b>", "cell"),
                    self.p(self.u(why[:1].upper() + why[1:], 300), "small")]
            if a.get("comment"):
                cell.append(self.p("“" + self.u(a["comment"], QUOTE_LIMIT) + "”", "quote"))
            rows.append([cell, self.u(a["owner"] or f.DASH, 40), f.money(a["arr"], self.d.currency),
                         f.day(a["renewal_date"]), f.nps1(a["nps"]), f.count(a["contacts"])])
        out.append(self.table(["Account, why and a verbatim", "Owner", "ARR", "Renewal", "NPS", "n"], rows,
                              self.cols(4.4, 1.1, 1.1, 1.1, 0.8, 0.4), numeric={2, 4, 5}))
        out.append(Spacer(1, 2 * mm))
        shown = len(r["accounts"])
        out.append(self.p(f"{f.count(r['count'])} account{'s' if r['count'] != 1 else ''} "
                          f"hold{'s' if r['count'] == 1 else ''} {f.money(r['arr'], self.d.currency)} of ARR at risk"
                          + (f"; the {shown} largest are shown." if r["count"] > shown else "."), "small"))
        return out

    def loop(self) -> list[Flowable]:
        d, m = self.d, self.d.loop
        out = self.h1("Closing the loop")
        if m is None:
            return out + self.unavailable("loop")
        out.append(self.p(f"Follow-up actions on the responses of {d.period_label}: detractor saves, passive "
                          "adoption and promoter advocacy. These figures cover every account, whatever the "
                          "segment.", "lede"))
        if not m["actions"]:
            out.append(self.p(f"No close-the-loop actions were opened on responses of {d.period_label}.", "body"))
            return out
        out.append(self.tiles([
            ("Detractors contacted within SLA", f.pct(m["sla_share"]),
             f"{f.count(m['sla_met'])} of {f.count(m['sla_actions'])} save actions due"),
            ("Median time to first touch", f.DASH if m["median_first_touch_days"] is None
             else f"{m['median_first_touch_days']:.1f} d", f"{f.count(m['touched'])} actions touched"),
            ("Save rate, reconciled", grey(f.SMALL) if m["saves_resolved"] < d.min_accounts
             else f.pct(m["save_rate_reconciled"]),
             f"{f.count(m['saved_reconciled'])} of {f.count(m['saves_resolved'])} detractors not churned within "
             f"{m['save_window_days']} days; {f.pct(m['save_rate'])} as reported"),
            ("Advocacy yield", f.pct(m["reference_yield"]), f"{f.count(m['references'])} references or reviews "
             f"from {f.count(m['advocacy_done'])} asks")]))
        out.append(Spacer(1, 4 * mm))
        names = m.get("play_names", {})
        rows = [[self.u(names.get(play) or labels.display("play", play)), f.count(x["actions"]), f.count(x["touched"]),
                 f.count(x["done"]), f.DASH if x["median_first_touch_days"] is None
                 else f"{x['median_first_touch_days']:.1f}",
                 f.DASH if x["median_close_days"] is None else f"{x['median_close_days']:.1f}"]
                for play, x in m["by_play"].items()]
        out.append(self.table(["Play", "Actions", "Touched", "Done", "Days to first touch", "Days to close"],
                              rows, self.cols(2, 1, 1, 1, 1.2, 1.2), numeric={1, 2, 3, 4, 5}))
        out.append(Spacer(1, 2 * mm))
        out.append(self.p(f"On {f.day(d.as_of)}: open {f.count(m['open'])} · in progress "
                          f"{f.count(m['in_progress'])} · overdue {f.count(m['overdue'])}. Days are medians from the "
                          "response.", "small"))
        return out

    def goal(self) -> list[Flowable]:
        d = self.d
        out = self.h1("Progress against the NPS goal", new_page=False)
        g = d.goal
        if g is None:
            out.append(self.p("No NPS goal is set. Set one in Settings to track progress here.", "lede"))
            return out
        out.append(self.p(self.u(summary.goal(d) or ""), "body"))
        out.append(Spacer(1, 2 * mm))
        label = f"{d_period(g['baseline_period'])}: {f.nps(g['baseline'])}" if g["baseline_period"] else ""
        out.append(charts.goal_track(g["baseline"], g["nps"], g["goal"], self.width, self.fonts, label))
        return [KeepTogether(out)]

    def appendix(self) -> list[Flowable]:
        d, c = self.d, self.d.coverage
        out = self.h1("Appendix: methodology, definitions and data coverage")
        out += self.h2("Methodology")
        for text in methodology(d):
            out.append(self.p(text, "body"))
            out.append(Spacer(1, 1.5 * mm))
        out.append(self.p("Scope: " + self.u(scope_text(d)), "body"))
        out += self.h2("Definitions")
        out.append(self.table(["Term", "Meaning"], [[f"<b>{t}</b>", m] for t, m in definitions(d)],
                              self.cols(1.2, 4.5)))
        out += self.h2("Data coverage")
        rows = [["Responses in scope", f.count(c["responses"])],
                ["Mapped to an account", f"{f.count(c['mapped'])} ({f.pct(c['mapped_share'], 1)})"],
                ["Not mapped to an account (in NPS; shown as “No account” in segments)", f.count(c["unmapped"])],
                ["With a comment", f.count(c["with_comment"])],
                ["With a corrected score (the corrected score counts)", f.count(c["corrected"])],
                ["Accounts with responses", f.count(c["accounts"])],
                ["Accounts without ARR (left out of ARR-weighted NPS)", f.count(c["accounts_without_arr"])],
                ["Responses in the workspace outside this scope", f.count(c["outside_scope"])]]
        out.append(self.table(["Measure", "Value"], rows, self.cols(4, 1.4), numeric={1}))
        if d.missing:
            out += self.h2("Sections not in this pack")
            for key, reason in sorted(d.missing.items()):
                out.append(self.p(f"<b>{SECTION_NAMES.get(key, key)}</b>: " + self.u(reason), "body"))
        return out


#: The sections after the cover and the contents, in their default order: key → (title, builder). The
#: pack editor switches them off and reorders them per quarter (``narrative.Words.layout``).
SECTIONS: dict[str, tuple[str, Callable[[_Story], list[Flowable]]]] = {
    "summary": ("Executive summary", _Story.executive_summary),
    "trend": ("NPS over eight quarters", _Story.trend),
    "segments": ("Segments", _Story.segments),
    "revenue": ("Revenue by NPS category", _Story.revenue),
    "worth": ("What NPS is worth", _Story.worth),
    "themes": ("What drives detractors and promoters", _Story.themes),
    "quotes": ("In their words", story_pages.quotes),
    "you_said": ("You said, we did", story_pages.you_said),
    "at_risk": ("Top accounts at risk by ARR", _Story.at_risk),
    "loop": ("Closing the loop", _Story.loop),
    "goal": ("Progress against the NPS goal", _Story.goal),
    "next_quarter": ("What we will do next quarter", story_pages.next_quarter),
    "appendix": ("Appendix: methodology and data coverage", _Story.appendix),
}


def _no_words(data: PackData) -> narrative.Narrative:
    return narrative.Narrative(narrative.Words(data.period))


SECTION_NAMES = {"revenue": "Revenue by NPS category", "themes": "Themes", "loop": "Closing the loop",
                 "at_risk": "Accounts at risk"}

def methodology(d: PackData) -> list[str]:
    """How the pack's numbers are computed, with the settings they used."""
    return [
        "<b>NPS</b> is the share of promoters minus the share of detractors among the responses in scope, "
        "in points from −100 to +100. Every response counts once, whatever the survey program in scope.",
        "<b>Margin of error</b> (95%) is 1.96 · 100 · √((p + d − (p − d)²) / n), where p and d are the "
        "promoter and detractor shares and n the number of responses.",
        f"<b>Minimum sample.</b> An NPS, a change or a segment row over fewer than {d.min_responses} responses, "
        f"and a renewal, churn or expansion rate over fewer than {d.min_accounts} accounts, is shown in grey as "
        "“n too small”, with no significance mark, no colour and no sentence in the summary (Settings).",
        f"<b>Change.</b> The quarter is compared with the quarter before it ({d.previous_label or 'none'}), "
        "fiscal when a fiscal year is set. A change is shown only when both quarters reach the minimum "
        "sample, and called significant when its size exceeds 1.96 · √(se₁² + se₂²), the 95% threshold for "
        "the difference of two independent NPS values.",
        "<b>Rates</b> (renewal, churn, expansion) carry n and a Wilson 95% interval; the summary compares "
        "two groups only when their intervals do not overlap.",
        "<b>Accounts.</b> An account's NPS takes each contact's latest response in the quarter. Its category "
        "(promoter, passive or detractor) comes from the mean of those scores, rounded half up. ARR-weighted "
        "NPS is 100 · Σ ARR · (+1, 0, −1) / Σ ARR over accounts with a category and a positive ARR.",
        f"<b>As of {f.day(d.as_of)}.</b> Accounts at risk and the loop's figures describe that day: accounts' "
        "status, ARR and renewal dates as they stood then (from revenue events and the account snapshots of "
        "each CRM import), actions and their status as their history gives it. A pack on a past quarter "
        "reads the same whenever it is built.",
        f"<b>Money</b> is in {d.currency or 'the workspace currency'} (Settings).",
        "<b>Periods.</b> Quarters follow the fiscal year set in Settings; a response belongs to the date "
        "written in its source file. Every figure in this pack equals what the app and "
        "<font face='Courier'>stats --json</font> show for the same quarter and segment.",
    ]


def definitions(d: PackData) -> list[tuple[str, str]]:
    return [
        ("Promoter", "A response scoring 9 or 10."),
        ("Passive", "A response scoring 7 or 8."),
        ("Detractor", "A response scoring 0 to 6."),
        ("Segment", "A saved filter over account, contact and response fields; its own dates are replaced by "
                    "the quarter's."),
        ("ARR", f"Annual recurring revenue of an account ({d.currency}), as it stood on {f.day(d.as_of)}."),
        ("Mapped", "A response linked to a known account through its contact or email."),
        ("n too small", f"Fewer than {d.min_responses} responses (an NPS), or {d.min_accounts} accounts (a "
                        "rate): the figure is shown in grey and nothing is concluded from it."),
        ("At risk", "A detractor account, or a passive account whose NPS is falling, with enough responding "
                    "contacts; never a promoter account."),
        ("Save rate, reconciled", "Saved detractors whose account did not churn within the save window, of "
                                  "the detractors followed up with an outcome."),
    ]


def grey(text: str) -> str:
    """Markup for a figure below the minimum sample: muted, never coloured."""
    return f'<font color="#{MUTED.hexval()[2:]}">{text}</font>'


def d_period(key: str | None) -> str:
    return "" if not key else key.replace("Q", " Q")


def scope_text(d: PackData) -> str:
    """The filters of the pack in words."""
    text = f"{d.period_label}: {d.filters.describe()}"
    return text + (f" (saved segment “{d.segment}”)." if d.segment else ".")


def _logo(data: bytes, max_w: float, max_h: float) -> Flowable:
    """The company logo scaled to fit, on a white card; a Spacer if the image cannot be read."""
    try:
        from reportlab.lib.utils import ImageReader
        iw, ih = ImageReader(io.BytesIO(data)).getSize()
        scale = min(max_w / iw, max_h / ih)
        img = Image(io.BytesIO(data), iw * scale, ih * scale)
    except Exception:  # a broken image must not stop the pack
        return Spacer(1, max_h)
    card = Table([[img]], colWidths=[iw * scale + 6 * mm], rowHeights=[ih * scale + 5 * mm])
    card.hAlign = "LEFT"
    card.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.white),
                              ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return card
