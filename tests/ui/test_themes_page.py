"""The Themes page shows the core's numbers, highlights verbatims, and edits the dictionary with a retag."""
from __future__ import annotations

from datetime import date

import pytest

from nps_desktop.core.analytics import Filters
from nps_desktop.core.responses import insert_responses
from nps_desktop.core.text import insight, store, tagging
from nps_desktop.ui.pages.themes import ThemesPage, highlight
from nps_desktop.ui.session import Session

from .dialogs import Answerer
from .gestures import click, click_row, click_tab, pick, row_where, tick_item

ROWS = [
    (10, "Support is fantastic", "2026-01-10"),
    (9, "Great support and easy to use", "2026-01-15"),
    (8, "Too expensive", "2026-02-01"),
    (7, "", "2026-02-03"),
    (7, "It's fine", "2026-10-02"),
    (3, "Support never answers and it is too expensive", "2026-10-05"),
    (0, "Crashes every day", "2026-10-06"),
    (5, "Exports to CSV never finish", "2026-11-01"),
]


@pytest.fixture
def page(qtbot, ws):
    with ws.transaction() as conn:
        insert_responses(conn, [{"score": s, "comment": c, "responded_at": d} for s, c, d in ROWS])
        tagging.tag_responses(ws, [r[0] for r in conn.execute("SELECT id FROM responses")])
    session = Session()
    session.open_path(ws.path)
    p = ThemesPage(session)
    boxes = Answerer([]).start()      # no box is expected: one that opens is closed and reported
    p.today = date(2026, 11, 23)
    qtbot.addWidget(p)
    p.resize(1300, 850)
    p.show()
    qtbot.waitUntil(lambda: p.matrix.rowCount() > 0 or bool(boxes.seen), timeout=10000)
    yield p, ws
    boxes.stop()
    assert boxes.seen == []
    session.close()


def test_matrix_and_tiles_equal_the_core(page, qtbot):
    p, ws = page
    report = insight.theme_report(ws, Filters())
    mentioned = [(s.name, s.mentions, s.impact) for s in report.themes if s.mentions]
    assert [(s.name, s.mentions, s.impact) for s in p.matrix.rows] == mentioned
    assert p.tile_comments.value.text() == "7"
    assert p.tile_risk.value.text() == "1"
    assert p.tile_top.value.text() == "Pricing"
    pricing = next(s for s in p.matrix.rows if s.name == "pricing")
    row = p.matrix.rows.index(pricing)
    # pricing: r3 (passive), r6 (detractor); without it 6 responses, 2 P, 2 D: NPS 0 against -12.5
    assert p.matrix.data(p.matrix.index(row, 3)) == "+12.5"       # impact
    assert p.matrix.data(p.matrix.index(row, 4)) == "33%"         # 1 of 3 detractor comments
    assert dict(p.impact_chart.values)["Pricing"] == pytest.approx(12.5)
    assert dict(p.impact_chart.values)["Support"] == pytest.approx(-40 + 12.5)


def test_verbatims_highlight_the_matched_words(page, qtbot):
    p, _ = page
    click_row(qtbot, p.matrix_view, row_where(p.matrix_view, "Support"))
    qtbot.waitUntil(lambda: "Support is fantastic" in p.verbatim_view.toPlainText(), timeout=10000)
    assert "Verbatims: Support (3 comments)" in p.verbatim_title.text()
    pick(qtbot, p.verbatim_category, "detractor")
    qtbot.waitUntil(lambda: "Support is fantastic" not in p.verbatim_view.toPlainText(), timeout=10000)
    assert "Support never answers" in p.verbatim_view.toPlainText()
    assert highlight("a <b> Support", [(6, 13)]) == (
        "a &lt;b&gt; <span style='background-color:#fde68a; color:#111'><b>Support</b></span>")


def test_at_risk_passives_and_period(page, qtbot):
    p, _ = page
    assert [r.response_id for r in p.risk_model.rows] == [3]
    pick(qtbot, p.period, "last_90_days")   # 2026-08-26 .. 2026-11-23
    qtbot.waitUntil(lambda: p.tile_comments.value.text() == "4", timeout=10000)
    assert p.risk_model.rows == []
    assert {s.name for s in p.matrix.rows} == {"support", "pricing", "reliability", "reporting"}


def test_trend_follows_the_chosen_themes(page, qtbot):
    p, _ = page
    qtbot.waitUntil(lambda: bool(p.trend_chart.series), timeout=10000)
    assert set(p.trend_chart.series) == {"Support", "Pricing", "Ease of use", "Reliability"}
    # 2026Q1: 3 comments, 2 about support; 2026Q4: 4 comments, 1 about support
    assert p.trend_chart.axis.labels == ["2026Q1", "2026Q4"]
    assert p.trend_chart.series["Support"] == [pytest.approx(2 / 3), pytest.approx(1 / 4)]
    tick_item(qtbot, p.trend_list, 0)   # pricing off
    qtbot.waitUntil(lambda: "Pricing" not in p.trend_chart.series, timeout=10000)


def test_new_theme_is_saved_and_retagged(page, qtbot):
    p, ws = page
    click_tab(qtbot, p.tabs, "Dictionary")
    click(qtbot, p.new_button)
    p.edit_label.clear()
    qtbot.keyClicks(p.edit_label, "Data export")        # typed: the name follows the label
    assert p.edit_name.text() == "data_export"
    p.edit_phrases.setPlainText("export*\ncsv")
    p.try_edit.setText("Exporting a CSV is slow")      # tried as the typing pauses
    qtbot.waitUntil(lambda: "Data export (complaint)" in p.try_result.text(), timeout=5000)
    click(qtbot, p.save_button)
    qtbot.waitUntil(lambda: p.last_retag is not None and p.save_button.isEnabled(), timeout=15000)
    assert store.get_theme(ws, "data_export").phrases == ("export*", "csv")
    assert ws.scalar("SELECT response_id FROM response_themes WHERE theme = 'data_export'") == 8
    assert "retagged 8 responses" in p.dict_status.text()
    qtbot.waitUntil(lambda: any(s.name == "data_export" for s in p.matrix.rows), timeout=10000)


def test_bad_phrase_is_refused_with_a_clear_message(page, qtbot):
    p, ws = page
    click_tab(qtbot, p.tabs, "Dictionary")
    click_row(qtbot, p.dict_view, row_where(p.dict_view, "Pricing"))
    p.edit_phrases.setPlainText("price\n$$$")
    click(qtbot, p.save_button)
    assert p.dict_status.text() == "Not saved: phrase '$$$': '$$$' is not a word (use letters, digits, ' and -)."
    assert p.last_retag is None
