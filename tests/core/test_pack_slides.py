"""The pack as PowerPoint slides: the same numbers as ``stats --json``, native charts with editable data,
one slide per section switched on in the saved order, speaker notes, the saved words, the company colour
and logo, ``report --out pack.pptx``, and every slide rendered by LibreOffice inside its page."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

from nps_desktop.core import settings
from nps_desktop.core.reporting import formats as f
from nps_desktop.core.reporting import data, narrative, pack
from nps_desktop.core.reporting.pptx import render_pptx
from nps_desktop.core.reporting.narrative import Words
from nps_desktop.core.workspace import open_workspace

from .test_report_figures import Q3, TODAY, cli, demo  # noqa: F401 (the tagged demo fixture)

WORDS = Words("2026Q3", "<p>Our <b>own</b> reading of the quarter.</p><ul><li>Onboarding is the theme</li></ul>",
              "<ul><li>Call every detractor within two days</li><li>Ship the new <b>onboarding</b></li></ul>",
              [("segments", False), ("next_quarter", True), ("summary", True)])


@pytest.fixture(scope="module")
def deck(demo, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    """The demo's Q3 slides with saved words, two quotes, a logo and a colour, written by the command."""
    with open_workspace(demo) as ws:
        narrative.save_words(ws, WORDS)
        for rid in [r[0] for r in ws.conn.execute(
                "SELECT id FROM responses WHERE responded_on BETWEEN ? AND ? AND length(comment) BETWEEN 20 AND 200 "
                "ORDER BY id LIMIT 2", Q3)]:
            narrative.add_quote(ws, rid)
        buffer = io.BytesIO()
        Image.new("RGB", (240, 80), (200, 30, 60)).save(buffer, "PNG")
        settings.set_logo(ws, buffer.getvalue())
        settings.set_value(ws, "brand_color", "#7a1f3d")
    out = tmp_path_factory.mktemp("slides") / "pack.pptx"
    from nps_desktop.cli import main
    assert main(["report", "--workspace", str(demo), "--period", "2026Q3", "--out", str(out),
                 "--today", TODAY.isoformat()]) == 0
    return out


def slide_titled(prs, title: str):
    return next(s for s in prs.slides if any(sh.has_text_frame and sh.text_frame.text.split("\n")[0] == title
                                             for sh in s.shapes))


def charts(slide) -> list:
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def texts(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text)


def test_the_slides_carry_the_numbers_of_stats_json(deck, demo, capsys):  # noqa: F811
    now = cli(capsys, "stats", "--workspace", str(demo), "--from", Q3[0], "--to", Q3[1], "--json")
    prs = Presentation(str(deck))
    summary = slide_titled(prs, "Executive summary")
    words = texts(summary)
    assert f"NPS\n{f.nps(now['nps'])}\n" in words and f"Responses\n{f.count(now['responses'])}\n" in words
    assert f"{f.margin(now['margin95'])} (95%), n = {f.count(now['responses'])}" in words
    (split,) = charts(summary)
    assert list(split.plots[0].series[0].values) == [now["promoters"], now["passives"], now["detractors"]]
    trend, distribution = charts(slide_titled(prs, "NPS over eight quarters"))
    assert trend.plots[0].series[0].values[-1] == now["nps"]
    assert list(distribution.plots[0].series[0].values) == now["distribution"]
    assert sum(distribution.plots[0].series[0].values) == now["responses"]
    assert not any("NPS by region" in texts(s) for s in prs.slides)      # switched off in this deck


def test_the_region_slide_carries_the_numbers_of_stats_by_region(demo, tmp_path, capsys):  # noqa: F811
    by_region = cli(capsys, "stats", "--workspace", str(demo), "--from", Q3[0], "--to", Q3[1], "--by", "region",
                    "--json")
    with open_workspace(demo, read_only=True) as ws:
        figures = data.gather(ws, "2026Q3", today=TODAY)
    render_pptx(figures, tmp_path / "all.pptx", today=TODAY)     # no saved words: every section
    (chart,) = charts(slide_titled(Presentation(str(tmp_path / "all.pptx")), "Segments"))
    groups = [g for g in by_region["groups"] if g["nps"] is not None][:8]
    shown = [g for g in groups if g["responses"] >= figures.min_responses]
    assert len(shown) < len(groups)          # the demo has a region below the minimum: it is withheld
    assert list(chart.plots[0].series[0].values) == [g["nps"] for g in shown]
    assert list(chart.plots[0].categories) == [f"{g['key'] or 'No account'} (n={g['responses']})" for g in shown]
    table = next(sh.table for sh in slide_titled(Presentation(str(tmp_path / "all.pptx")), "Segments").shapes
                 if sh.has_table)
    small = [r for r in table.rows if r.cells[2].text == "n too small"]
    assert len(small) == len(groups) - len(shown)


def test_one_slide_per_section_switched_on_in_the_saved_order_with_notes(deck):
    prs = Presentation(str(deck))
    titles = [texts(s).split("\n")[0] for s in prs.slides][1:]
    expected = [pack.SECTIONS[k][0] for k in WORDS.enabled(list(pack.SECTIONS))]
    assert titles == expected and "Segments" not in titles
    assert titles.index("What we will do next quarter") < titles.index("Executive summary")
    for slide in list(prs.slides)[1:]:
        assert len(slide.notes_slide.notes_text_frame.text) > 40      # the method, for the presenter
    assert "Our own reading of the quarter." in texts(slide_titled(prs, "Executive summary"))
    bold = [r.text for sh in slide_titled(prs, "What we will do next quarter").shapes if sh.has_text_frame
            for p in sh.text_frame.paragraphs for r in p.runs if r.font.bold]
    assert "onboarding" in bold


def test_charts_are_native_with_editable_data(deck):
    prs = Presentation(str(deck))
    found = [c for s in prs.slides for c in charts(s)]
    assert len(found) >= 4
    for chart in found:
        assert chart.part.chart_workbook.xlsx_part is not None      # the data PowerPoint opens to edit


def test_the_company_colour_and_logo_are_on_every_slide(deck):
    prs = Presentation(str(deck))
    for slide in prs.slides:
        assert any(sh.shape_type == 13 for sh in slide.shapes)      # a picture: the logo
        fills = [sh.fill.fore_color.rgb for sh in slide.shapes if sh.shape_type == 1 and sh.fill.type == 1]
        assert "7A1F3D" in {str(c) for c in fills}


def test_the_quotes_slide_shows_score_theme_and_no_name(deck, demo):  # noqa: F811
    with open_workspace(demo, read_only=True) as ws:
        chosen = narrative.quotes(ws, "2026Q3")
    words = texts(slide_titled(Presentation(str(deck)), "In their words"))
    for q in chosen:
        assert f"“{q.text}”" in words and f"Score {q.score} · {q.theme_label or 'no theme'}" in words
        if q.name:
            assert q.name not in words


needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice Impress is not installed (scripts/setup.sh --slides installs it; CI always runs this)")


@needs_soffice
def test_every_slide_renders_in_libreoffice_with_its_text_inside_the_page(deck, tmp_path):
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                   check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "pack.pdf"
    slides = len(Presentation(str(deck)).slides)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "slide")], check=True, timeout=120)
    pngs = sorted(tmp_path.glob("slide-*.png"))
    assert len(pngs) == slides
    for png in pngs:
        assert Image.open(png).getextrema() != ((255, 255),) * 3       # something is drawn
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S)
    assert len(pages) == slides
    for n, (w, h, body) in enumerate(pages, start=1):
        for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', body):
            assert 0 <= float(x0) and float(x1) <= float(w) + 0.5, (n, word)
            assert 0 <= float(y0) and float(y1) <= float(h) + 0.5, (n, word)
    keep = os.environ.get("NPS_SLIDES_PNG")   # a folder to look at the slides in
    if keep:
        for png in pngs:
            shutil.copy(png, Path(keep) / png.name)


def test_words_too_long_for_their_box_are_shortened_never_overflowing():
    from pptx.util import Inches

    from nps_desktop.core.reporting import richtext
    from nps_desktop.core.reporting import slide_kit as k
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    width, height = Inches(5), Inches(2)
    many = [richtext.Block("li", [richtext.Run(f"Point number {i} about the quarter")]) for i in range(40)]
    size = k.rich_box(slide, many, 0, 0, width, height)
    texts = [p.text for p in slide.shapes[-1].text_frame.paragraphs]
    assert size == 10 and texts[-1] == "…" and 1 < len(texts) < 40
    assert k.fit_size(texts, width, height, (size,)) == size        # what is kept fits at that size
    one = [richtext.Block("p", [richtext.Run("word " * 2000)])]
    k.rich_box(slide, one, 0, 0, width, height)
    (kept,) = [p.text for p in slide.shapes[-1].text_frame.paragraphs]
    assert kept.endswith("…") and k.fit_size([kept], width, height, (10,)) == 10


def test_a_line_break_in_the_words_is_a_line_break_on_the_slide():
    from nps_desktop.core.reporting import richtext
    from nps_desktop.core.reporting import slide_kit as k
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    k.rich_box(slide, richtext.parse("<p><b>one</b><br/>two</p>"), 0, 0, k.BODY_W, k.BODY_H)
    (p,) = slide.shapes[-1].text_frame.paragraphs
    assert p.text == "one\vtwo" and [r.text for r in p.runs] == ["one", "two"] and p.runs[0].font.bold
