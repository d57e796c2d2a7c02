"""The pieces a slide of the pack is made of (python-pptx): a title bar in the company colour, text boxes
whose font size is chosen so the words fit, tables, KPI tiles and native charts whose data stays editable.

Sizes are in EMU (``Emu``/``Pt``/``Inches`` of python-pptx). Text never overflows its box: ``fit_size``
estimates the wrapped height of the words with a wide-font rule (0.56 em a character) and takes the
largest size that fits, shortening the words when even the smallest does not.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import AbstractSet, Mapping, Sequence

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_LABEL_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt
from reportlab.lib.utils import ImageReader

from . import richtext
from .text import clean, truncate

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.55)
TITLE_H = Inches(0.95)
BODY_TOP = TITLE_H + Inches(0.3)
BODY_W = SLIDE_W - 2 * MARGIN
BODY_H = SLIDE_H - BODY_TOP - Inches(0.55)
INK = RGBColor(0x1F, 0x29, 0x37)
MUTED = RGBColor(0x6B, 0x72, 0x80)
TILE = RGBColor(0xEE, 0xF2, 0xF8)
ZEBRA = RGBColor(0xF6, 0xF7, 0xF9)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
CHAR_EM = 0.56       # a generous mean character width for DejaVu/Calibri-like fonts, in ems
LINE = 1.25          # line height, in ems


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


@dataclass
class Deck:
    """The slide being made and the company's colour and logo."""
    brand: RGBColor
    logo: bytes | None


def title_bar(slide, deck: Deck, title: str, subtitle: str = "") -> None:
    """The slide's title on a band of the company colour, the logo at its right on a white card."""
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, SLIDE_W, TITLE_H)
    band.fill.solid()
    band.fill.fore_color.rgb = deck.brand
    band.line.fill.background()
    logo_w = logo_card(slide, deck.logo, SLIDE_W - MARGIN, Inches(0.18), Inches(0.6)) if deck.logo else 0
    box = slide.shapes.add_textbox(MARGIN, Inches(0.12), SLIDE_W - 2 * MARGIN - logo_w, TITLE_H - Inches(0.2))
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    width_pt = (SLIDE_W - 2 * MARGIN - logo_w) / 12700
    size = 28 if len(title) * CHAR_EM * 28 <= width_pt else 22
    add_run(tf.paragraphs[0], truncate(title, int(width_pt / (CHAR_EM * size))), size, bold=True, colour=WHITE)
    if subtitle:
        p = tf.add_paragraph()
        add_run(p, truncate(subtitle, int(width_pt / (CHAR_EM * 12))), 12, colour=RGBColor(0xDB, 0xE6, 0xFB))


def logo_card(slide, data: bytes, right: int, top: int, height: int) -> int:
    """Put the logo on a white card ending at ``right``; return the width it takes (0 if unreadable)."""
    try:
        iw, ih = ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # an unreadable image must not stop the slides
        return 0
    pic_h = height - Inches(0.12)
    pic_w = int(pic_h * iw / ih)
    if pic_w > Inches(2.2):
        pic_w, pic_h = Inches(2.2), int(Inches(2.2) * ih / iw)
    card_w = pic_w + Inches(0.16)
    card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, right - card_w, top, card_w, height)
    card.fill.solid()
    card.fill.fore_color.rgb = WHITE
    card.line.fill.background()
    slide.shapes.add_picture(io.BytesIO(data), right - card_w + Inches(0.08), top + (height - pic_h) // 2,
                             pic_w, pic_h)
    return card_w + Inches(0.2)


def add_run(paragraph, text: str, size: float, bold: bool = False, italic: bool = False,
            colour: RGBColor = INK) -> None:
    """Text in one style at the end of ``paragraph``; a newline in it is a line break."""
    for i, part in enumerate(clean(text).split("\n")):
        if i:
            paragraph.add_line_break()
        if not part:
            continue
        r = paragraph.add_run()
        r.text = part
        r.font.size = Pt(size)
        r.font.bold, r.font.italic = bold, italic
        r.font.color.rgb = colour


def lines_needed(text: str, size: float, width_pt: float) -> int:
    """How many lines ``text`` wraps to at ``size`` points in a box ``width_pt`` wide (estimated)."""
    per_line = max(int(width_pt / (CHAR_EM * size)), 1)
    return sum(max(math.ceil(len(part) / per_line), 1) for part in text.split("\n"))


def fit_size(texts: Sequence[str], width: int, height: int, sizes: Sequence[float] = (18, 16, 14, 12, 11, 10),
             gap: float = 0.45) -> float | None:
    """The largest of ``sizes`` at which ``texts`` (one paragraph each) fit the box; None if none does."""
    width_pt, height_pt = width / 12700 - 16, height / 12700 - 10   # the text frame's insets
    for size in sizes:
        lines = sum(lines_needed(t, size, width_pt - (1.2 * size if t.startswith("• ") else 0)) for t in texts)
        if lines * size * LINE + len(texts) * gap * size <= height_pt:
            return size
    return None


def rich_box(slide, blocks: list[richtext.Block], left: int, top: int, width: int, height: int,
             sizes: Sequence[float] = (18, 16, 14, 12, 11, 10)) -> float:
    """The blocks as paragraphs and bullets at the largest size that fits; blocks that still do not fit
    at the smallest size are dropped from the end, with '…', and a single block too long for the box is
    shortened (returns the size used)."""
    texts = [("• " if b.kind == richtext.BULLET else "") + b.text for b in blocks]
    size, kept = fit_size(texts, width, height, sizes), len(blocks)
    while size is None and kept > 0:
        kept -= 1
        size = fit_size(texts[:kept] + ["…"], width, height, sizes[-1:])
    if kept == 0 and blocks:   # the first block alone is longer than the box: its words, shortened
        size = sizes[-1]
        width_pt, height_pt = width / 12700 - 16, height / 12700 - 10
        chars = (int(height_pt / (size * LINE)) - 1) * int(width_pt / (CHAR_EM * size))
        blocks = [richtext.Block(blocks[0].kind, [richtext.Run(truncate(blocks[0].text, max(chars, 1)))])]
    elif kept < len(blocks):
        blocks = blocks[:kept] + [richtext.Block(richtext.PARAGRAPH, [richtext.Run("…")])]
    if size is None:   # no blocks, in a box too small even for nothing: the smallest size, unused
        size = sizes[-1]
    tf = slide.shapes.add_textbox(left, top, width, height).text_frame
    tf.word_wrap = True
    for i, b in enumerate(blocks):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.space_after = Pt(size * 0.45)
        if b.kind == richtext.BULLET:
            add_run(p, "•  ", size, colour=MUTED)
        for r in b.runs:
            add_run(p, r.text, size, r.bold, r.italic)
    return size


def text_box(slide, lines: Sequence[str], left: int, top: int, width: int, height: int,
             sizes: Sequence[float] = (16, 14, 12, 11, 10)) -> float:
    """Plain lines, one paragraph each, at the largest size that fits."""
    blocks = [richtext.Block(richtext.PARAGRAPH, [richtext.Run(line)]) for line in lines if line]
    return rich_box(slide, blocks, left, top, width, height, sizes)


def tiles(slide, deck: Deck, items: Sequence[tuple[str, str, str]], top: int, height: int = Inches(1.45)) -> None:
    """KPI tiles in a row: caption, value, detail."""
    gap = Inches(0.25)
    w = (BODY_W - gap * (len(items) - 1)) // len(items)
    for i, (caption, value, detail) in enumerate(items):
        left = MARGIN + i * (w + gap)
        card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, w, height)
        card.fill.solid()
        card.fill.fore_color.rgb = TILE
        card.line.fill.background()
        accent = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, w, Inches(0.06))
        accent.fill.solid()
        accent.fill.fore_color.rgb = deck.brand
        accent.line.fill.background()
        tf = slide.shapes.add_textbox(left + Inches(0.1), top + Inches(0.1), w - Inches(0.2),
                                      height - Inches(0.15)).text_frame
        tf.word_wrap = True
        width_pt = (w - Inches(0.2)) / 12700 - 16
        add_run(tf.paragraphs[0], truncate(caption, int(width_pt / (CHAR_EM * 11))), 11, colour=MUTED)
        value_size = min(30, width_pt / (CHAR_EM * max(len(value), 1)))
        add_run(tf.add_paragraph(), value, value_size, bold=True, colour=deck.brand)
        add_run(tf.add_paragraph(), truncate(detail, 2 * int(width_pt / (CHAR_EM * 10))), 10, colour=MUTED)


def table(slide, header: Sequence[str], rows: Sequence[Sequence[str]], left: int, top: int, width: int,
          fractions: Sequence[float], numeric: AbstractSet[int] = frozenset(), size: float = 11,
          max_chars: Sequence[int] | None = None) -> None:
    """A table with a bold header, zebra rows and numbers right-aligned; each cell shortened to the
    characters its column holds on two lines (``max_chars`` overrides)."""
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width,
                                   Emu(int(Pt(size * 2.1)) * (len(rows) + 1)))
    t = shape.table
    total = sum(fractions)
    for j, fr in enumerate(fractions):
        t.columns[j].width = Emu(int(width * fr / total))
    limits = max_chars or [max(int(2 * (width * fr / total / 12700 - 12) / (CHAR_EM * size)), 4) for fr in fractions]
    for i, row in enumerate([list(header)] + [list(r) for r in rows]):
        for j, value in enumerate(row):
            cell = t.cell(i, j)
            cell.margin_left = cell.margin_right = Pt(5)
            cell.margin_top = cell.margin_bottom = Pt(2.5)
            cell.fill.solid()
            cell.fill.fore_color.rgb = TILE if i == 0 else (ZEBRA if i % 2 == 0 else WHITE)
            p = cell.text_frame.paragraphs[0]
            p.alignment = PP_ALIGN.RIGHT if j in numeric else PP_ALIGN.LEFT
            add_run(p, truncate(clean(value), limits[j]), size - 1 if i == 0 else size, bold=i == 0,
                 colour=MUTED if i == 0 else INK)


def bar_chart(slide, categories: Sequence[str], series: dict[str, Sequence[float | None]], left: int, top: int,
              width: int, height: int, colours: Sequence[RGBColor], number_format: str = "0",
              horizontal: bool = False, legend: bool = False, title: str = "") -> None:
    """A native clustered bar (or column) chart with data labels; its data opens in PowerPoint's editor.
    A single series with one colour per category gets a colour per bar."""
    data = CategoryChartData(number_format=number_format)
    data.categories = list(categories)
    for name, values in series.items():
        data.add_series(name, list(values))
    kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    chart = slide.shapes.add_chart(kind, left, top, width, height, data).chart
    _style(chart, legend, title)
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    plot.data_labels.number_format, plot.data_labels.number_format_is_linked = number_format, False
    plot.data_labels.font.size = Pt(11)
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    if len(plot.series) == 1 and len(colours) == len(categories) > 1:   # one colour a bar
        for i, colour in enumerate(colours):
            point = plot.series[0].points[i]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = colour
    else:
        for s, colour in zip(plot.series, colours):
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = colour
    chart.value_axis.visible = False              # the bars carry their values
    chart.value_axis.has_major_gridlines = False
    if horizontal:
        chart.category_axis.reverse_order = True   # the first category on top


def line_chart(slide, categories: Sequence[str], series: Mapping[str, Sequence[float | None]], left: int, top: int,
               width: int, height: int, colours: Sequence[RGBColor], title: str = "") -> None:
    """A native line chart with markers and data labels (NPS over quarters, the goal as a second line)."""
    data = CategoryChartData(number_format="0")
    data.categories = list(categories)
    for name, values in series.items():
        data.add_series(name, list(values))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, left, top, width, height, data).chart
    _style(chart, len(series) > 1, title)
    for i, (s, colour) in enumerate(zip(chart.plots[0].series, colours)):
        s.format.line.color.rgb = colour
        s.format.line.width = Pt(2.5 if i == 0 else 1.5)
        s.smooth = False
        s.marker.format.fill.solid()
        s.marker.format.fill.fore_color.rgb = colour
        if i == 0:
            s.data_labels.show_value = True
            s.data_labels.number_format, s.data_labels.number_format_is_linked = "0", False
            s.data_labels.font.size = Pt(11)
            s.data_labels.position = XL_LABEL_POSITION.ABOVE


def _style(chart, legend: bool, title: str) -> None:
    chart.font.size = Pt(11)
    chart.font.color.rgb = INK
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    chart.has_title = bool(title)
    if title:
        chart.chart_title.text_frame.text = title
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.bold = True
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE5, 0xE7, 0xEB)
    chart.value_axis.tick_labels.font.size = Pt(10)
    chart.category_axis.tick_labels.font.size = Pt(11)


def notes(slide, text: str) -> None:
    """The speaker notes: how the slide's figures are computed."""
    slide.notes_slide.notes_text_frame.text = clean(text)
