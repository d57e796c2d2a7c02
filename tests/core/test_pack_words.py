"""The pack's own words: the safe rich-text subset, the words and section layout kept per quarter, chosen
quotes (typos fixed, original kept, names hidden), erasure, "You said, we did", and the PDF printing them."""
from __future__ import annotations

import re
import subprocess

import pytest
from PIL import Image
from hypothesis import given
from hypothesis import strategies as st

from nps_desktop.core import privacy
from nps_desktop.core.reporting import build, narrative, pack, richtext, you_said
from nps_desktop.core.reporting.fonts import register_fonts
from nps_desktop.core.reporting.narrative import NarrativeError, Words
from nps_desktop.core.text import tagging

from . import report_data as R
from .test_report_pack import pdftext


@pytest.fixture
def hostile(ws):
    R.build(ws)
    tagging.retag_all(ws)
    return ws


def q3_with_comment(ws, n: int = 3) -> list[int]:
    return [r[0] for r in ws.conn.execute(
        "SELECT id FROM responses WHERE quarter = '2026Q3' AND trim(coalesce(comment, '')) <> '' "
        "AND length(comment) < 200 ORDER BY id LIMIT ?", (n,))]


# -- rich text -------------------------------------------------------------------------------------
def test_qt_html_is_reduced_to_paragraphs_bullets_bold_and_italics():
    qt = ('<html><head><style>p {color:red}</style></head><body>'
          '<p>NPS <span style=" font-weight:700;">rose</span> &amp; <i>held</i><script>x()</script></p>'
          '<ul><li>Fix <a href="http://x">onboarding</a></li><li><img src="y"/>Hire</li></ul>'
          '<p style="color:#f00"><font face="Comic">plain<br/>next line</font></p></body></html>')
    blocks = richtext.parse(qt)
    assert [(b.kind, b.text) for b in blocks] == [("p", "NPS rose & held"), ("li", "Fix onboarding"),
                                                  ("li", "Hire"), ("p", "plain\nnext line")]
    assert richtext.to_html(blocks) == ("<p>NPS <b>rose</b> &amp; <i>held</i></p><ul><li>Fix onboarding</li>"
                                        "<li>Hire</li></ul><p>plain<br/>next line</p>")


def test_paragraph_markup_escapes_everything_but_bold_and_italics():
    fonts = register_fonts()
    block = richtext.parse("<p><b>&lt;b&gt;unclosed</b> &amp;b=2 <i>&lt;script&gt;</i></p>")[0]
    assert richtext.paragraph_markup(block, fonts) == "<b>&lt;b&gt;unclosed</b> &amp;b=2 <i>&lt;script&gt;</i>"


@given(st.lists(st.tuples(st.sampled_from(["p", "li"]),
                          st.text(st.characters(blacklist_characters="\n\r"), min_size=1, max_size=30),
                          st.booleans(), st.booleans()), max_size=6))
def test_the_stored_form_reads_back_to_the_same_words(items):
    blocks = [richtext.Block(kind, [richtext.Run(text, bold, italic)]) for kind, text, bold, italic in items]
    once = richtext.sanitize(richtext.to_html(blocks))
    assert richtext.sanitize(once) == once                            # stable: saving twice changes nothing
    kept = [re.sub(r"\s+", " ", b.text).strip() for b in blocks]
    assert [b.text for b in richtext.parse(once)] == [t for t in kept if t]


# -- words per quarter -----------------------------------------------------------------------------
def test_words_are_kept_per_quarter_and_sanitised(hostile):
    assert narrative.load_words(hostile, "2026Q3") == Words("2026Q3")
    narrative.save_words(hostile, Words("2026Q3", "<p>Up <b>5</b><script>x</script></p>", "<ul><li>Call</li></ul>",
                                        [("trend", False), ("summary", True)]))
    narrative.save_words(hostile, Words("2026Q2", "<p>Q2 words</p>"))
    got = narrative.load_words(hostile, "2026Q3")
    assert got == Words("2026Q3", "<p>Up <b>5</b></p>", "<ul><li>Call</li></ul>", [("trend", False), ("summary", True)])
    assert narrative.load_words(hostile, "2026Q2").summary == "<p>Q2 words</p>"
    with pytest.raises(NarrativeError, match="'Q3' is not a quarter"):
        narrative.save_words(hostile, Words("Q3", "x"))


def test_the_layout_keeps_the_saved_order_and_adds_new_sections_in_place():
    known = ["summary", "trend", "segments", "quotes", "appendix"]
    w = Words("2026Q3", sections=[("segments", True), ("summary", False), ("gone", True), ("appendix", True)])
    # trend follows summary (its predecessor in the default order); quotes follows segments
    assert w.layout(known) == [("segments", True), ("quotes", True), ("summary", False), ("trend", True),
                               ("appendix", True)]
    assert w.enabled(known) == ["segments", "quotes", "trend", "appendix"]
    assert Words("2026Q3").layout(known) == [(key, True) for key in known]


# -- quotes ----------------------------------------------------------------------------------------
def test_a_quote_keeps_its_original_and_hides_the_name_by_default(hostile):
    rid = q3_with_comment(hostile, 1)[0]
    original = hostile.scalar("SELECT comment FROM responses WHERE id = ?", (rid,))
    qid = narrative.add_quote(hostile, rid, "  Fixed   typo ")
    q = narrative.quotes(hostile, "2026Q3")[0]
    assert (q.id, q.text, q.original, q.edited, q.show_name) == (qid, "Fixed typo", original.strip(), True, False)
    assert q.period == narrative.response_period(hostile, rid) == "2026Q3"
    assert q.score == hostile.scalar("SELECT score FROM responses WHERE id = ?", (rid,))
    if q.name:
        assert q.name not in q.attribution() and (q.account or "") not in q.attribution()
    narrative.update_quote(hostile, qid, "Second fix", show_name=True)
    q = narrative.quotes(hostile, "2026Q3")[0]
    assert (q.text, q.original, q.show_name) == ("Second fix", original.strip(), True)
    assert narrative.add_quote(hostile, rid) == qid                 # choosing it again: the same quote
    assert len(narrative.quotes(hostile, "2026Q3")) == 1


def test_attribution_shows_role_and_segment_unless_names_are_shown():
    q = narrative.Quote(1, "2026Q3", 9, "t", "t", None, None, False, 3, "2026-08-01", "Ann Lee", "CFO", "Acme",
                        "Enterprise", "Retail")
    assert q.attribution() == "CFO · Enterprise, Retail account"
    q.show_name = True
    assert q.attribution() == "Ann Lee, CFO · Acme · Enterprise, Retail"


def test_quotes_are_ordered_moved_and_removed(hostile):
    ids = [narrative.add_quote(hostile, rid) for rid in q3_with_comment(hostile, 3)]
    narrative.move_quote(hostile, ids[2], -1)
    assert [q.id for q in narrative.quotes(hostile, "2026Q3")] == [ids[0], ids[2], ids[1]]
    narrative.remove_quote(hostile, ids[0])
    assert [q.id for q in narrative.quotes(hostile, "2026Q3")] == [ids[2], ids[1]]


def test_bad_quotes_are_refused_and_change_nothing(hostile):
    rid = q3_with_comment(hostile, 1)[0]
    no_comment = hostile.scalar("SELECT id FROM responses WHERE comment IS NULL OR trim(comment) = '' LIMIT 1")
    with pytest.raises(NarrativeError, match="response 99999 does not exist|has no comment"):
        narrative.add_quote(hostile, 99999)
    if no_comment is not None:
        with pytest.raises(NarrativeError, match=f"response {no_comment} has no comment to quote"):
            narrative.add_quote(hostile, no_comment)
    with pytest.raises(NarrativeError, match="the text is empty"):
        narrative.add_quote(hostile, rid, "   ")
    with pytest.raises(NarrativeError, match="at most 600"):
        narrative.add_quote(hostile, rid, "x" * 601)
    assert hostile.scalar("SELECT count(*) FROM pack_quotes") == 0


def test_erasing_a_person_removes_their_quotes(hostile):
    rid = hostile.scalar("SELECT r.id FROM responses r JOIN contacts c ON c.id = r.contact_id "
                         "WHERE trim(coalesce(r.comment, '')) <> '' AND c.email IS NOT NULL LIMIT 1")
    email = hostile.scalar("SELECT c.email FROM responses r JOIN contacts c ON c.id = r.contact_id WHERE r.id = ?",
                           (rid,))
    narrative.add_quote(hostile, rid, "kept words", period="2026Q3")
    privacy.erase_contact(hostile, email)
    assert hostile.scalar("SELECT count(*) FROM pack_quotes") == 0


# -- you said, we did ------------------------------------------------------------------------------
def test_you_said_pairs_a_themes_detractor_comments_with_closed_actions(ws):
    """Theme "price": 6 detractors with comments in Q3; 6 save actions closed (4 recovered, 2 churned);
    5 answered again: 3→8, 2→9, 6→6, 4→10, 5→7: mean change (5+7+0+6+2)/5 = +4.0, 4 of 5 now ≥ 7."""
    from nps_desktop.core.responses import insert_responses
    with ws.transaction() as conn:
        conn.execute("INSERT INTO themes (name, label, phrases) VALUES ('price', 'Price', '[\"price\"]')")
        conn.executemany("INSERT INTO contacts (id, email) VALUES (?, ?)", [(i, f"p{i}@x.com") for i in range(1, 7)])
    first = [{"score": s, "comment": f"the price is too high {i}", "responded_at": f"2026-07-0{i}T10:00:00",
              "contact_id": i, "email": f"p{i}@x.com"} for i, s in enumerate([3, 2, 6, 4, 5, 1], start=1)]
    later = [{"score": s, "comment": None, "responded_at": f"2026-09-1{i}T10:00:00", "contact_id": i,
              "email": f"p{i}@x.com"} for i, s in enumerate([8, 9, 6, 10, 7], start=1)]
    with ws.transaction() as conn:
        insert_responses(conn, first + later)
        ids = [r[0] for r in conn.execute("SELECT id FROM responses WHERE comment IS NOT NULL ORDER BY contact_id")]
        conn.executemany("INSERT INTO response_themes (response_id, theme, polarity) VALUES (?, 'price', -1)",
                         [(i,) for i in ids])
        outcomes = ["recovered", "recovered", "churned", "recovered", "recovered", "churned"]
        conn.executemany("INSERT INTO actions (play, response_id, contact_id, status, outcome, created_at, closed_at) "
                         "VALUES ('detractor_save', ?, ?, 'done', ?, '2026-07-10', '2026-07-20')",
                         [(rid, n, o) for n, (rid, o) in enumerate(zip(ids, outcomes), start=1)])
    from nps_desktop.core.reporting.data import scope_filters
    (t,) = you_said.you_said_we_did(ws, scope_filters(ws, "2026Q3", None))
    assert (t["label"], t["detractors"], t["actions"], t["recovered"]) == ("Price", 6, 6, 4)
    assert t["outcomes"] == {"recovered": 4, "churned": 2}
    assert (t["followups"], t["score_change"], t["now_promoters_or_passives"]) == (5, 4.0, 4)
    assert [q["text"] for q in t["quotes"]] == ["the price is too high 6", "the price is too high 5"]
    with ws.transaction() as conn:   # one fewer answer again: the change is withheld
        conn.execute("DELETE FROM responses WHERE contact_id = 5 AND comment IS NULL")
    (t,) = you_said.you_said_we_did(ws, scope_filters(ws, "2026Q3", None))
    assert (t["followups"], t["score_change"]) == (4, None)


# -- the PDF prints them ---------------------------------------------------------------------------
def test_the_pdf_prints_the_saved_words_and_quotes_and_leaves_out_what_is_off(hostile, tmp_path):
    rids = q3_with_comment(hostile, 2)
    narrative.add_quote(hostile, rids[0], "A typo-free quote about support")
    narrative.save_words(hostile, Words("2026Q3", "<p>Our <b>own</b> summary &amp; <script>no</script></p>",
                                        "<ul><li>Call every detractor within two days</li></ul>",
                                        [("trend", False), ("segments", False)]))
    result = build.build_pack(hostile, tmp_path / "pack.pdf", "2026Q3", today=R.TODAY)
    text = " ".join(pdftext(result.path).split())
    assert "Our own summary &" in text and "script" not in text
    assert "Call every detractor within two days" in text
    assert "“A typo-free quote about support”" in text
    assert "NPS over eight quarters" not in result.sections and "Segments" not in result.sections
    assert result.sections.index("In their words") < result.sections.index("What we will do next quarter")


def test_a_preview_renders_only_the_section_asked_for(hostile, tmp_path):
    from nps_desktop.core.reporting.data import gather
    d = gather(hostile, "2026Q3", today=R.TODAY)
    words = narrative.Narrative(Words("2026Q3", next_quarter="<p>Only this</p>"))
    result = pack.render_pdf(d, tmp_path / "p.pdf", today=R.TODAY, words=words, only=["next_quarter"])
    assert result.pages == 1 and result.sections == ["What we will do next quarter"]
    assert "Only this" in pdftext(result.path)


def test_the_company_colour_is_a_hex_colour_on_the_cover_and_headings(hostile, tmp_path):
    from nps_desktop.core import settings
    assert settings.get(hostile, "brand_color") == "#0f2747"
    for bad in ("navy", "#12345", "#GGGGGG", None):
        with pytest.raises(ValueError, match="the company colour is written #RRGGBB"):
            settings.set_value(hostile, "brand_color", bad)
    settings.set_value(hostile, "brand_color", "#7a1f3d")
    result = build.build_pack(hostile, tmp_path / "p.pdf", "2026Q3", today=R.TODAY)
    subprocess.run(["pdftoppm", "-png", "-r", "20", "-f", "1", "-l", "1", str(result.path), str(tmp_path / "c")],
                   check=True)
    cover = Image.open(next(tmp_path.glob("c-*.png"))).convert("RGB")
    assert cover.getpixel((5, 5)) == (0x7a, 0x1f, 0x3d)              # the cover's band


def test_the_dialog_starts_from_the_comment_or_the_saved_quote(hostile):
    rid = q3_with_comment(hostile, 1)[0]
    comment = hostile.scalar("SELECT comment FROM responses WHERE id = ?", (rid,))
    draft = narrative.draft_quote(hostile, rid)
    assert (draft.id, draft.text, draft.original, draft.show_name, draft.period) == (
        0, " ".join(comment.split()), comment.strip(), False, "2026Q3")
    assert not draft.edited
    qid = narrative.add_quote(hostile, rid, "Tidied words", show_name=True)
    again = narrative.draft_quote(hostile, rid)
    assert (again.id, again.text, again.show_name) == (qid, "Tidied words", True)
