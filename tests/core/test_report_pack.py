"""The PDF itself: hostile text never breaks it and prints as text; metadata, contents, page numbers,
page sizes; a logo on the cover; sections that wait for their module; cancel; the command's errors."""
from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from nps_desktop.cli import main
from nps_desktop.core import settings
from nps_desktop.core.reporting import build, data, pack, sources
from nps_desktop.core.reporting.data import ReportCancelled
from nps_desktop.core.text import tagging

from . import report_data as R


def pdftext(path: Path, *pages: int, layout: bool = True) -> str:
    args = ["pdftotext"] + (["-layout"] if layout else []) + (["-f", str(pages[0]), "-l", str(pages[-1])]
                                                            if pages else [])
    return subprocess.run(args + [str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (ln.split(":", 1) for ln in out.splitlines() if ":" in ln)}


@pytest.fixture
def hostile(ws):
    R.build(ws)
    tagging.retag_all(ws)
    return ws


def test_hostile_text_in_the_workspace_never_breaks_the_pack(hostile, tmp_path):
    result = build.build_pack(hostile, tmp_path / "pack.pdf", "2026Q3", today=R.TODAY)
    text = " ".join(pdftext(result.path).split())
    assert R.COMPANY in text                                    # the cover and every header
    assert "Acme <b>Corp</b> & Sons" in text                    # an account name with markup
    assert "“<b>unclosed and the price is too expensive”" in text  # a quote in the themes section
    assert "The onboarding was slow" in text and "…”" in text    # the 20,000-character comment, shortened
    assert text.count("The onboarding was slow") < 40
    assert "=cmd|' /C" in text and "calc'!A0" in text            # an owner that looks like a formula
    assert "产品很好。サポートは最高です" in text                   # CJK (a support quote), in the fallback font


def test_every_hostile_string_prints_as_text(hostile, tmp_path):
    d = data.gather(hostile, "2026Q3", today=R.TODAY)
    first = d.at_risk["accounts"][0]
    d.at_risk["accounts"] = [{**first, "name": s[:60], "comment": s} for s in R.HOSTILE]
    d.segments["region"][0]["label"] = R.CJK
    result = pack.render_pdf(d, tmp_path / "hostile.pdf", today=R.TODAY)
    text = " ".join(pdftext(result.path, layout=False).split())
    # (emoji print, but reportlab's text layer maps characters beyond U+FFFF wrongly, so pdftotext
    # cannot read them back: the words around them are checked)
    for s in (R.MARKUP, R.AMPERSANDS, "Support was great", "你好世界，产品很好。サポートは最高です", R.FORMULA,
              "badbyteshere and a tab end"):
        assert f"“{s}" in text, s
    assert "— merci beaucoup, ça marche”" in text
    assert "שלום" in text or "םולש" in text          # Hebrew prints (in logical order; no bidi shaping)


def test_metadata_contents_page_numbers_and_page_size(hostile, tmp_path):
    a4 = build.build_pack(hostile, tmp_path / "a4.pdf", "2026Q3", today=R.TODAY)
    letter = build.build_pack(hostile, tmp_path / "letter.pdf", "2026Q3", "", "Letter", today=R.TODAY)
    info = pdfinfo(a4.path)
    assert info["Title"] == "Executive review — NPS 2026 Q3"
    assert info["Author"] == R.COMPANY and info["Creator"].startswith("NPS Desktop")
    assert info["Subject"] == "Net Promoter Score review 2026 Q3"
    assert info["Page size"].startswith("595.276 x 841.89") and int(info["Pages"]) == a4.pages
    assert pdfinfo(letter.path)["Page size"].startswith("612 x 792")
    assert subprocess.run(["pdffonts", str(a4.path)], capture_output=True, text=True).stdout.count("yes yes") >= 2
    contents = pdftext(a4.path, 2)
    for title in a4.sections:
        line = next(ln for ln in contents.splitlines() if ln.strip().startswith(title[:30]))
        page = int(line.split()[-1].strip("."))
        assert title[:20] in " ".join(pdftext(a4.path, page).split())
    assert f"Page 3 of {a4.pages}" in pdftext(a4.path, 3)
    assert "Page 1 of" not in pdftext(a4.path, 1)


def test_the_cover_shows_the_logo_from_settings(hostile, tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (240, 80), (200, 30, 30)).save(buf, "PNG")
    settings.set_logo(hostile, buf.getvalue())
    result = build.build_pack(hostile, tmp_path / "logo.pdf", "2026Q3", today=R.TODAY)
    images = subprocess.run(["pdfimages", "-list", "-f", "1", "-l", "1", str(result.path)], capture_output=True,
                            text=True, check=True).stdout
    assert re.search(r"\b240\s+80\b", images)


def test_a_section_says_not_available_until_its_module_exists(hostile, tmp_path, monkeypatch):
    real = sources._optional
    monkeypatch.setattr(sources, "_optional", lambda module, *names: None if module == "revenue"
                        else real(module, *names))
    result = build.build_pack(hostile, tmp_path / "pack.pdf", "2026Q3", today=R.TODAY)
    assert result.data.revenue is None and "revenue" in result.data.missing
    assert "Not available yet: revenue by NPS category" in " ".join(pdftext(result.path).split())
    monkeypatch.setattr(sources, "_optional", real)
    again = build.build_pack(hostile, tmp_path / "pack.pdf", "2026Q3", today=R.TODAY)
    assert again.data.revenue is not None and not again.data.missing


def test_cancel_leaves_the_old_file_untouched(hostile, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "pack.pdf"
    target.write_bytes(b"old")
    with pytest.raises(ReportCancelled):
        build.build_pack(hostile, target, "2026Q3", cancelled=lambda: True, today=R.TODAY)
    calls = []
    with pytest.raises(ReportCancelled):  # cancelled while laying out the pages
        build.build_pack(hostile, target, "2026Q3", today=R.TODAY,
                        progress=lambda done, total: calls.append(done),
                        cancelled=lambda: len(calls) > 20)
    assert target.read_bytes() == b"old" and [p.name for p in target.parent.iterdir()] == ["pack.pdf"]


def test_progress_runs_to_the_end(hostile, tmp_path):
    seen = []
    build.build_pack(hostile, tmp_path / "p.pdf", "2026Q3", today=R.TODAY,
                    progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and all(d <= t for d, t in seen)
    assert [d / t for d, t in seen] == sorted(d / t for d, t in seen)


@pytest.mark.parametrize("argv, message", [
    (["--period", "2026-07"], "'2026-07' is not a quarter: write it like 2026Q3"),
    (["--period", "2026Q3", "--segment", "Nope"], "no saved segment named 'Nope'; none is saved yet"),
])
def test_report_refuses_bad_options_in_one_line(hostile, tmp_path, capsys, argv, message):
    out = tmp_path / "p.pdf"
    code = main(["report", "--workspace", str(hostile.path), "--out", str(out), *argv])
    err = capsys.readouterr().err
    assert code != 0 and err.strip() == f"nps-desktop report: {message}" and not out.exists()


def test_report_refuses_a_file_that_is_not_a_pdf_or_slides(hostile, tmp_path, capsys):
    assert main(["report", "--workspace", str(hostile.path), "--out", str(tmp_path / "p.docx")]) == 1
    assert capsys.readouterr().err.strip() == f"nps-desktop report: {tmp_path / 'p.docx'}: the pack is written " \
                                              "as .pdf or .pptx; name the file …p.pdf or …p.pptx"
