"""The responses page: the lazy model pages in the background, sorts and searches through the core; the
detail pane shows the histories; a mistyped score is corrected in place and recorded; the table exports."""
from __future__ import annotations

import csv
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QToolButton

from nps_desktop.core import analytics as A
from nps_desktop.core import browse
from nps_desktop.ui.models import COL_COMMENT, COL_DATE, COL_SCORE, ResponsesModel

from .analysis_pages import fx, open_responses  # noqa: F401 (fx: a fixture)
from .gestures import choose_filters, click_row
from .dialogs import Answer, answering


@pytest.fixture
def page(qtbot, fx):
    return open_responses(qtbot, fx.path)


def wait_idle(qtbot, model):
    qtbot.waitUntil(lambda: not model.busy and model.total is not None, timeout=10000)


def test_model_fetches_a_page_at_a_time(qtbot, fx):
    from nps_desktop.ui.session import Session
    session = Session()
    session.open_path(fx.path)
    model = ResponsesModel(session, page_size=4)
    model.set_query(browse.ResponseQuery())
    wait_idle(qtbot, model)
    assert model.rowCount() == 4 and model.canFetchMore(QModelIndex())
    assert [model.data(model.index(r, COL_SCORE)) for r in range(4)] == ["10", "0", "7", "9"]
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 8, timeout=10000)
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 9 and not model.busy, timeout=10000)
    assert not model.canFetchMore(QModelIndex()) and model.total == 9
    assert model.data(model.index(0, COL_DATE)) == "2026-06-30 16:00"
    assert model.data(model.index(0, COL_COMMENT)) == "Acme renews happily"
    model.sort(COL_SCORE, Qt.SortOrder.AscendingOrder)               # the core sorts, from the top
    qtbot.waitUntil(lambda: model.rowCount() == 4 and not model.busy, timeout=10000)
    assert [r.score for r in model.rows] == [0, 3, 6, 7]
    session.close()


def test_count_search_and_filters(page, qtbot):
    assert page.count_label.text() == "9 responses"
    page.search.setText("support")
    qtbot.waitUntil(lambda: page.model.total == 2 and len(page.model.rows) == 2, timeout=10000)
    assert sorted(r.id for r in page.model.rows) == [1, 5] and page.count_label.text() == "2 responses match"
    page.search.clear()
    choose_filters(qtbot, page.filter_bar, A.Filters(date(2026, 1, 1), date(2026, 3, 31), {"region": ("EMEA",)}))
    qtbot.waitUntil(lambda: page.model.total == 3 and len(page.model.rows) == 3, timeout=10000)
    assert [r.id for r in page.model.rows] == [4, 2, 1]


def test_detail_and_score_correction(page, qtbot, fx):
    row = next(i for i, r in enumerate(page.model.rows) if r.id == 5)
    click_row(qtbot, page.table, row)
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail["id"] == 5, timeout=10000)
    assert "Ben" in page.detail.body.text() and "Acme" in page.detail.body.text()
    history = page.detail.contact_history.toPlainText()
    assert "2026-04-02" in history and "2026-01-12" in history and "2026-06-30" not in history
    assert "Upsell" in page.detail.account_history.toPlainText()
    dashboard = page.window().page("dashboard")
    with answering(Answer(fill={"Correct score": 8, "Reason": "typed 3 for 8"})):
        qtbot.mouseClick(page.detail.correct_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail["score"] == 8, timeout=10000)
    assert page.model.rows[row].score == 8 and page.model.rows[row].original_score == 3
    assert page.model.data(page.model.index(row, COL_SCORE)) == "8*"
    assert "Corrected" in page.detail.body.text() and "typed 3 for 8" in page.detail.body.text()
    assert [(c["old_score"], c["new_score"]) for c in browse.corrections(fx, 5)] == [(3, 8)]
    assert len(page.model.rows) == 9                                  # the table was not reloaded
    assert dashboard.stale                                           # other pages will recompute


def test_export_every_matching_response(page, qtbot, tmp_path):
    out = tmp_path / "responses.csv"
    button = next(b for b in page.findChildren(QToolButton) if b.text().strip() == "Export")
    csv_action = next(a for a in button.menu().actions() if a.text().startswith("CSV"))
    with answering(Answer(fill={"file": str(out)})):
        csv_action.trigger()
    qtbot.waitUntil(out.exists, timeout=10000)
    with open(out, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(browse.EXPORT_HEADER) and len(rows) == 10
    comments = [r[10] for r in rows[1:]]
    assert "'=cmd|' /C calc'!A0" in comments                        # neutralised, never a formula
