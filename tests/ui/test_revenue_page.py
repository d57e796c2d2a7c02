"""The Revenue page shows exactly what the core computes: table, charts, scatter, ARR at risk, maturity."""
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from nps_desktop.core import nps, revenue, settings
from tests.core.loop_data import build_revenue, respond

from nps_desktop.ui.amounts import money
from tests.ui.dialogs import OK, Answer, answering

from .gestures import pick, refresh
from .loop_pages import open_page

TODAY = date(2026, 12, 31)


@pytest.fixture
def window(qtbot, ws):
    with ws.transaction() as conn:
        build_revenue(conn)
        conn.execute("UPDATE accounts SET renewal_date = '2027-02-15', arr = 60000 WHERE id = 2")
    settings.set_value(ws, "currency", "EUR")
    settings.set_value(ws, "min_accounts", 1)   # the hand-worked rates rest on a few accounts each
    w, page = open_page(qtbot, ws, "revenue", TODAY)
    qtbot.waitUntil(lambda: page.last_report is not None, timeout=10000)
    return w, page, ws


def choose_2026(page, qtbot):
    page.last_report = None
    pick(qtbot, page.range, text="Custom range")
    page.date_from.setDate(QDate(2026, 1, 1))
    page.date_to.setDate(QDate(2026, 12, 31))
    qtbot.waitUntil(lambda: page.last_report is not None and page.last_report["from"] == "2026-01-01", timeout=10000)


def cells(model):
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_category_table_equals_the_core(window, qtbot):
    _, page, ws = window
    choose_2026(page, qtbot)
    assert page.last_report["categories"] == revenue.category_table(ws.conn, date(2026, 1, 1), date(2026, 12, 31))
    # the hand-computed figures of tests/core/test_revenue.py, as the table shows them
    assert cells(page.table_model) == [
        ["Promoters", "4", "3", "0", "100% · n=3", "0% · n=3", "EUR 0", "50% · n=4", "EUR 13,000", "111%"],
        ["Passives", "1", "1", "0", "100% · n=1", "0% · n=1", "EUR 0", "100% · n=1", "EUR 5,000", "90%"],
        ["Detractors", "2", "0", "2", "0% · n=2", "100% · n=2", "EUR 140,000", "0% · n=2", "—", "0%"],
        ["Unscored", "3", "2", "0", "100% · n=2", "0% · n=2", "EUR 0", "0% · n=3", "—", "100%"]]
    # the renewal rate's tooltip gives n and the Wilson interval of 3 of 3
    lo, hi = nps.wilson95(3, 3)
    assert page.table_model.data(page.table_model.index(0, 4), Qt.ItemDataRole.ToolTipRole) == \
        f"renewals / (renewals + churns); n = 3; 95% interval {lo:.0%}–{hi:.0%} (Wilson)"
    heights = next(item.opts["height"] for item in page.charts["nrr"].getPlotItem().items if hasattr(item, "opts")
                   and "height" in item.opts)
    assert list(heights) == pytest.approx([100 * 256 / 230, 90, 0, 100], abs=0.01)
    assert page.scatter.points == 4                     # A4, A6, A7, A8 scored in 2026
    assert page.tile_expansion.value.text() == "EUR 26,000"
    assert page.tile_coverage.value.text() == "50%"
    # at the default minimum (10 accounts) every rate here is "n too small", in grey
    settings.set_value(ws, "min_accounts", 10)
    page.last_report = None
    refresh(window[0])          # F5, after the change made outside the app
    qtbot.waitUntil(lambda: page.last_report is not None, timeout=10000)
    row = cells(page.table_model)[0]
    assert row[4:6] == ["n too small · n=3", "n too small · n=3"] and row[7] == "n too small · n=4"
    assert row[9] == "n too small"
    assert page.table_model.data(page.table_model.index(0, 4), Qt.ItemDataRole.ForegroundRole) is not None


def test_arr_at_risk(window, qtbot):
    _, page, _ = window
    # A2 (renewing in 46 days) has no answer in the last year: nothing at risk; its contact turns detractor
    assert page.tile_risk180.value.text() == "EUR 0"
    with page.session.ws.transaction() as conn:
        respond(conn, 21, "2026-06-01", 3)
    settings.set_value(page.session.ws, "at_risk_min_contacts", 1)   # A2 has one contact
    page.last_report = None
    refresh(window[0])          # F5, after the change made outside the app
    qtbot.waitUntil(lambda: page.last_report is not None, timeout=10000)
    assert page.tile_risk90.value.text() == "EUR 60,000" and page.tile_risk180.value.text() == "EUR 60,000"
    assert page.risk_model.rowCount() == 1
    assert page.risk_model.data(page.risk_model.index(0, 0)) == "Pas"


def test_add_event_by_hand(window, qtbot):
    _, page, ws = window
    page.last_report = None
    account = next(f"{name} (ARR {money(arr)})" for i, name, arr in revenue.account_choices(ws) if i == 7)
    fill = {"Account": account, "Kind": "Upsell", "Date": date(2026, 9, 1), "ARR change": 4000}
    with answering(Answer(fill={**fill, "Note": "more seats"})) as dialogs:
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert dialogs.seen[0].title == "Add a revenue event"
    qtbot.waitUntil(lambda: page.last_report is not None, timeout=10000)
    assert revenue.arr_over_time(ws.conn, 7)[-1]["arr"] == 40_000
    events = ws.scalar("SELECT count(*) FROM revenue_events")
    with answering(Answer(fill={**fill, "Kind": "Churn", "ARR change": 5}), OK) as dialogs:
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert dialogs.seen[1].kind == "QMessageBox"
    assert dialogs.seen[1].text == "Churn lowers ARR: write its ARR change as a negative number, not +5"
    assert ws.scalar("SELECT count(*) FROM revenue_events") == events


def test_keyboard(window, qtbot):
    w, page, _ = window
    qtbot.keyClick(w, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert page.range.hasFocus()
    assert not page.date_from.isEnabled()
    pick(qtbot, page.range, text="Custom range")
    assert page.date_from.isEnabled() and page.date_to.isEnabled()
