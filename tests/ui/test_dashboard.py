"""The dashboard: the numbers on screen are ``stats --json``'s (on the demo) and the hand-worked
fixture's; clicks open the responses behind a point, a bar or a row; charts copy and save; the segment
table exports; a filter saves as a segment every page sees."""
from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QToolButton

from nps_desktop import cli
from nps_desktop.core import analytics as A
from nps_desktop.core import nps

from .analysis_pages import cells, fx, open_window, set_scope  # noqa: F401 (fx: a fixture)
from .dialogs import Answer, answering
from .gestures import choose_filters, click, click_link, export_table, go, pick

Q2 = A.Filters(date(2026, 4, 1), date(2026, 6, 30))


@pytest.fixture
def dash(qtbot, fx):
    w = open_window(qtbot, fx.path)
    page = w.page("dashboard")
    qtbot.waitUntil(lambda: page.last_stats is not None, timeout=10000)
    set_scope(qtbot, page, Q2)
    return w, page


def test_dashboard_equals_stats_json_on_the_demo(qtbot, demo_ws, capsys):
    w = open_window(qtbot, demo_ws.path)
    page = w.page("dashboard")
    qtbot.waitUntil(lambda: page.last_stats is not None, timeout=10000)
    assert cli.main(["stats", "--workspace", str(demo_ws.path), "--json", "--preset", "last_90_days",
                     "--by", "region", "--period", "month", "--trend-periods", "12"]) == 0
    doc = json.loads(capsys.readouterr().out)
    s = page.last_stats
    for key in ("responses", "promoters", "passives", "detractors", "nps", "margin95", "arr_weighted_nps",
                "change", "previous", "groups", "trend", "distribution", "shares", "from", "to"):
        assert json.loads(json.dumps(s[key])) == doc[key], key
    assert page.tile_nps.value.text() == f"{doc['nps']:+.0f}".replace("-", "−")
    assert page.tile_n.value.text() == f"{doc['responses']:,}"
    assert page.tile_arr.value.text() == f"{doc['arr_weighted_nps']:+.0f}".replace("-", "−")
    assert f"{doc['change']['delta']:+.1f}".replace("-", "−") in page.tile_change.value.text()
    shown = {row[0]: row for row in cells(page.segments_proxy)}
    for g in doc["groups"]:
        label = "No account" if g["key"] is None else g["key"]
        assert shown[label][1] == f"{g['responses']:,}"


def test_hand_worked_quarter(dash):
    _, page = dash
    s = page.last_stats
    # Q2 2026: scores 3, 9, 7, 0, 10 → NPS 0; the 91 days before (Q1): 10, 6, 8, 9 → 25
    assert (s["responses"], s["nps"], s["previous"]["nps"], s["change"]["delta"]) == (5, 0.0, 25.0, -25.0)
    assert page.tile_nps.value.text() == "0" and "n too small: 5 of 30" in page.tile_nps.detail.text()
    # 5 and 4 responses are below the minimum sample (30): no change is shown, in grey
    assert page.tile_change.value.text() == "n too small"
    assert "vs 2026 Q1: n = 5 and 4; needs 30 in each" == page.tile_change.detail.text()
    assert "#6b7280" in page.tile_change.value.styleSheet()
    assert page.tile_n.value.text() == "5"
    assert page.tile_split.value.text() == "40% · 20% · 40%"
    assert page.scope.text() == "2026-04-01 – 2026-06-30"
    rows = {r[0]: r for r in cells(page.segments_proxy)}
    # EMEA now 3, 7, 10 → 0 (n < 30, marked); before 10, 6, 9 → +33; North America 9 → +100, before 8 → 0
    assert rows["EMEA"][1:] == ["3", "0 †", f"± {nps.margin95(1, 1, 3):.1f}", "+33", "n too small"]
    assert rows["North America"][2] == "+100 †" and rows["North America"][4] == "0"
    assert rows["No account"][4] == "—" and rows["No account"][5] == "—"
    assert s["distribution"] == [1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1]


def quarter(day: str, promoters: int, passives: int, detractors: int) -> list[dict]:
    """Responses on ``day``: ``promoters`` 10s, ``passives`` 7s and ``detractors`` 3s."""
    scores = [10] * promoters + [7] * passives + [3] * detractors
    return [{"score": v, "responded_at": f"{day}T{i // 60:02d}:{i % 60:02d}:00", "email": f"p{day}{i}@x.com"}
            for i, v in enumerate(scores)]


def test_a_change_past_the_minimum_sample_shows_whether_it_is_significant(qtbot, ws):
    """Each quarter after one at +25 scores 0: −25. With 40 responses a side the margin of the change is
    1.96·√(se₁² + se₂²), se = 100·√((p + d − (p − d)²)/n): 1.96·√(13.1² + 13.7²) = 37.2 > 25, not
    significant; with 200 a side 1.96·√(5.86² + 6.12²) = 16.6 < 25, significant."""
    from nps_desktop.core.responses import insert_responses
    with ws.transaction() as conn:
        insert_responses(conn, quarter("2026-02-10", 20, 10, 10) + quarter("2026-05-12", 15, 10, 15)
                         + quarter("2025-08-12", 100, 50, 50) + quarter("2025-11-12", 75, 50, 75))
    w = open_window(qtbot, ws.path)
    page = w.page("dashboard")
    qtbot.waitUntil(lambda: page.last_stats is not None, timeout=10000)
    set_scope(qtbot, page, Q2)
    assert (page.last_stats["responses"], page.last_stats["previous"]["responses"]) == (40, 40)
    assert page.tile_change.value.text() == "−25.0"        # no ▼: within the margin of error
    detail = page.tile_change.detail.text()
    assert "not significant" in detail and "in 2026 Q1" in detail
    set_scope(qtbot, page, A.Filters(date(2025, 10, 1), date(2025, 12, 31)))
    assert (page.last_stats["responses"], page.last_stats["previous"]["responses"]) == (200, 200)
    assert page.tile_change.value.text() == "▼ −25.0" and "· significant" in page.tile_change.detail.text()


def test_segment_dimension_changes_the_table(dash, qtbot):
    _, page = dash
    page.last_stats = None
    pick(qtbot, page.dimension, "touchpoint")
    qtbot.waitUntil(lambda: page.last_stats is not None, timeout=10000)
    assert sorted(r[0] for r in cells(page.segments_proxy)) == ["relational", "support"]
    assert page.segments_proxy.headerData(0, Qt.Orientation.Horizontal) == "Touchpoint"


def responses_after(qtbot, w):
    page = w.page("responses")
    qtbot.waitUntil(lambda: w.stack.currentWidget() is page and not page.model.busy
                    and page.model.total is not None, timeout=10000)
    return page


def test_clicking_a_score_bar_opens_its_responses(dash, qtbot):
    w, page = dash
    chart = page.distribution
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.click_point(9))
    responses = responses_after(qtbot, w)
    assert [r.id for r in responses.model.rows] == [6]           # the only 9 in Q2
    assert responses.banner.isVisible() and "Score 9" in responses.banner_text.text()
    close = responses.banner.findChild(QToolButton)                 # the banner's ✕
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: responses.model.total == 5 and len(responses.model.rows) == 5, timeout=10000)


def test_clicking_a_trend_point_and_a_row(dash, qtbot):
    w, page = dash
    assert page.period.currentData() == "month"
    # the 12 months up to the scope's end, the scope (Q2) among them
    assert [t["period"] for t in page.last_stats["trend"]][-4:] == ["2026-03", "2026-04", "2026-05", "2026-06"]
    assert len(page.last_stats["trend"]) == 12 and page.trend.count == 12
    qtbot.mouseClick(page.trend.viewport(), Qt.MouseButton.LeftButton, pos=page.trend.click_point(11))  # June
    responses = responses_after(qtbot, w)
    assert sorted(r.id for r in responses.model.rows) == [8, 9]
    go(qtbot, w, "dashboard")
    table = page.table                                              # the largest group: EMEA
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(page.segments_proxy.index(0, 0)).center())
    responses = responses_after(qtbot, w)
    assert sorted(r.id for r in responses.model.rows) == [5, 7, 9]
    assert responses.filter_bar.filters().values == {"region": ("EMEA",)}


def chart_item(chart, text: str):
    """The item ``text`` of the menu a right-click on ``chart`` shows."""
    return next(a for a in chart.export_menu().actions() if a.text() == text)


def test_chart_copy_png_and_svg(dash, tmp_path):
    _, page = dash
    png, svg = tmp_path / "trend.png", tmp_path / "scores.svg"
    with answering(Answer(fill={"file": str(png)})):
        chart_item(page.trend, "Save as PNG…").trigger()
    with answering(Answer(fill={"file": str(svg)})):
        chart_item(page.distribution, "Save as SVG…").trigger()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "</svg>" in text
    with answering(Answer(fill={"file": str(tmp_path / "trend.pdf")})):   # a typed .pdf: saved as .png
        chart_item(page.trend, "Save as PNG…").trigger()
    assert (tmp_path / "trend.pdf.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    chart_item(page.trend, "Copy chart").trigger()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull() and image.width() == 2 * page.trend.width()


def test_segment_table_exports_to_csv_and_xlsx(dash, qtbot, tmp_path):
    from openpyxl import load_workbook

    _, page = dash
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"segments{suffix}"
        export_table(page, out)
        qtbot.waitUntil(out.exists, timeout=30000)
    with open(tmp_path / "segments.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Region", "Responses", "NPS", "± Margin", "Previous", "Change"]
    assert rows[1][:2] == ["EMEA", "3"]
    sheet = load_workbook(tmp_path / "segments.xlsx").active
    assert [c.value for c in sheet[2]][:2] == ["EMEA", 3]            # numbers stay numbers


def test_save_as_segment_reaches_every_page(dash, qtbot, fx):
    w, page = dash
    bar = page.filter_bar
    qtbot.waitUntil(lambda: "EMEA" in bar.buttons["region"].choices, timeout=10000)
    next(a for a in bar.buttons["region"].menu_.actions() if a.text() == "EMEA").trigger()
    with answering(Answer(fill={"value": "EMEA in Q2"})):
        qtbot.mouseClick(bar.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "EMEA in Q2" in A.segment_names(fx), timeout=10000)
    assert A.load_segment(fx, "EMEA in Q2") == A.Filters(date(2026, 4, 1), date(2026, 6, 30),
                                                          {"region": ("EMEA",)})
    go(qtbot, w, "accounts")
    accounts = w.page("accounts")
    qtbot.waitUntil(lambda: accounts.filter_bar.segment.findData("EMEA in Q2") > 0, timeout=10000)
    combo = accounts.filter_bar.segment
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)                          # the first saved segment: activated
    assert combo.currentData() == "EMEA in Q2"
    assert accounts.filter_bar.filters().values == {"region": ("EMEA",)}
    assert bar.current_segment() == "EMEA in Q2"
    with answering(Answer()) as dialogs:                            # "Delete the saved segment …?" Yes
        bar.delete_action.trigger()
    assert dialogs.seen[0].title == "Delete segment"
    qtbot.waitUntil(lambda: A.segment_names(fx) == [], timeout=10000)


def test_filter_bar_builds_filters(dash, qtbot):
    _, page = dash
    bar = page.filter_bar
    choose_filters(qtbot, bar, A.Filters(values={"kind": ("tnps",), "arr_band": ("<10k",)}, preset="this_quarter"))
    assert bar.filters() == A.Filters(values={"kind": ("tnps",), "arr_band": ("<10k",)}, preset="this_quarter")
    assert bar.buttons["kind"].text().strip() == "Program: tNPS"
    assert bar.chip_row.isVisibleTo(bar) and "More filters (1)" in bar.more.text()
    chip = bar.chip_row.findChild(QToolButton)                      # the ARR band's chip, its ✕
    click(qtbot, chip)
    assert bar.filters().values == {"kind": ("tnps",)} and not bar.chip_row.isVisibleTo(bar)


def test_follow_up_line_equals_the_loop_metrics_and_links_to_the_pages(qtbot, demo_ws, capsys):
    w = open_window(qtbot, demo_ws.path)
    page = w.page("dashboard")
    qtbot.waitUntil(lambda: "Close the loop" in page.follow_up.text(), timeout=10000)
    today = date.today()
    start, end = A.preset_range("last_90_days", today, A.fiscal_year_start(demo_ws))
    assert cli.main(["actions", "--workspace", str(demo_ws.path), "--json", "--metrics", "--as-of",
                     today.isoformat(), "--from", start.isoformat(), "--to", end.isoformat()]) == 0
    m = json.loads(capsys.readouterr().out)
    text = page.follow_up.text()
    assert f"{m['open'] + m['in_progress']:,} follow-ups open" in text
    assert f"{m['overdue']:,} overdue" in text and f"{m['sla_share']:.0%} of this scope's detractors" in text
    assert "top detractor theme: <a href='themes'>" in text
    click_link(qtbot, page.follow_up, "actions")
    assert w.stack.currentWidget() is w.page("actions")
