"""User text in the pack: escaped, cleaned, shortened with care, set in fonts that draw it; number formats."""
from __future__ import annotations

import shutil
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph

from nps_desktop.core.reporting import formats as f
from nps_desktop.core.reporting.fonts import DEJAVU_DIR, find_font, register_fonts
from nps_desktop.core.reporting.text import ELLIPSIS, clean, label_font, markup, truncate

FONTS = register_fonts()


def para(text: str) -> Paragraph:
    style = getSampleStyleSheet()["BodyText"].clone("t", fontName=FONTS.regular)
    p = Paragraph(markup(text, FONTS), style)
    p.wrap(300, 10_000)
    return p


def test_dejavu_is_registered_with_a_cjk_fallback():
    assert FONTS.regular == "NpsSans" and FONTS.bold == "NpsSans-Bold"
    assert FONTS.covers("é") and FONTS.covers("ש") and FONTS.covers("Ж")
    assert not FONTS.covers("中") and FONTS.fallback_covers("中")


def test_find_font_searches_folders_recursively(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(DEJAVU_DIR / "DejaVuSans.ttf", nested / "DejaVuSans.ttf")
    assert find_font("DejaVuSans.ttf", [tmp_path / "missing", tmp_path]) == nested / "DejaVuSans.ttf"
    assert find_font("NoSuchFont.ttf", [tmp_path]) is None


def test_markup_prints_markup_like_text_literally():
    assert markup("<b>unclosed", FONTS) == "&lt;b&gt;unclosed"
    assert markup("&b=2 &amp;", FONTS) == "&amp;b=2 &amp;amp;"
    assert markup("<script>alert(1)</script>", FONTS) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert para("<b>unclosed & <i>x").getPlainText() == "<b>unclosed & <i>x"
    assert para("<script>x</script>").getPlainText() == "<script>x</script>"


def test_markup_keeps_lines_and_drops_what_xml_cannot_hold():
    assert markup("one\r\ntwo\rthree\nfour", FONTS) == "one<br/>two<br/>three<br/>four"
    assert clean("bad\x00by\x07tes\x1b") == "badbytes"
    assert clean(None) == ""


def test_cjk_runs_are_set_in_the_fallback_font():
    assert markup("ok 你好 ok", FONTS) == 'ok <font name="NpsFallback">你好</font> ok'
    assert label_font("你好", FONTS) == "NpsFallback"
    assert label_font("EMEA", FONTS) == "NpsSans"
    assert label_font("EMEA 你好", FONTS) == "NpsSans"  # the fallback lacks Latin: keep the main font


def test_truncate_cuts_at_a_word_and_never_inside_a_letter_or_an_emoji():
    assert truncate("short", 10) == "short"
    assert truncate("alpha beta gamma delta", 13) == "alpha beta" + ELLIPSIS
    cafe = "cafe\u0301" * 5  # e + combining acute: never cut between them
    cut = truncate(cafe, 4)
    assert cut == "caf" + ELLIPSIS
    family = "ab" + "👨\u200d👩\u200d👧" + "cd"
    assert truncate(family, 3) == "ab" + ELLIPSIS
    assert truncate("x" * 20_000, 400) == "x" * 400 + ELLIPSIS


def test_a_20000_character_comment_becomes_a_short_paragraph():
    long = "word " * 4000
    text = markup(long, FONTS, limit=420)
    assert len(text) <= 421 and text.endswith(ELLIPSIS)


def test_invisible_modifiers_that_no_font_draws_are_dropped():
    assert markup("👍🏽", FONTS) == "👍"  # the skin-tone modifier: no font here draws it


#: Text without the invisible characters ``markup`` may drop (skin-tone modifiers included) and without
#: exotic spaces.
SKIN_TONES = "".join(map(chr, range(0x1F3FB, 0x1F400)))
VISIBLE = st.text(st.characters(blacklist_categories=("Cs", "Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Cc"),
                                blacklist_characters=SKIN_TONES) |
                  st.sampled_from(" \n<>&;'\"=+-@"), max_size=300)


@given(VISIBLE)
def test_any_text_makes_a_paragraph_that_prints_exactly_it(text):
    printed = para(text).getPlainText()  # (line breaks are <br/> tags, which the plain text leaves out)
    assert "".join(printed.split()) == "".join(clean(text).split())


@given(st.text(max_size=200))
def test_no_text_breaks_a_paragraph(text):
    para(text)
    para(truncate(clean(text), 50))


def test_number_formats():
    assert f.nps(37.5) == "38" and f.nps(-2.5) == "−3" and f.nps(None) == "—"
    assert f.nps1(-66.67) == "−66.7"
    assert f.delta(2.46) == "+2.5" and f.delta(-0.04) == "0.0" and f.delta(-14) == "−14.0"
    assert f.points(6.0) == "6" and f.points(-2.46) == "2.5"
    assert f.margin(5.09) == "±5.1" and f.margin(None) == "n < 30"
    assert f.money(818400) == "818k" and f.money(3_600_000) == "3.6M" and f.money(1200) == "1.2k"
    assert f.pct(0.994, 1) == "99.4%" and f.share(1, 3) == "33%" and f.share(1, 0) == "—"
    assert f.day("2026-09-30") == "30 Sep 2026" and f.day(date(2026, 7, 1)) == "1 Jul 2026"
