"""The Revenue page's "What NPS is worth" section shows what core.worth computes, off the UI thread,
and its Cancel button stops a run."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from nps_desktop.core.worth import history, risk, value
from tests.conftest import DEMO_AS_OF

from .gestures import pick
from .loop_pages import open_page, settle


def test_value_and_risk_on_the_demo(qtbot, demo_ws):
    w, page = open_page(qtbot, demo_ws, "revenue", DEMO_AS_OF)
    panel = page.worth
    qtbot.waitUntil(lambda: panel.last is not None, timeout=30000)
    h = history.History.load(demo_ws, DEMO_AS_OF)
    v, r = value.value_of_move(h), risk.risk_report(h)
    assert panel.value_text.text() == value.sentence(v)
    assert panel.value_text.text().startswith("Turning one detractor account of average ARR")
    m = panel.moves_model
    assert m.rowCount() == len(v.moves)
    for i, move in enumerate(v.moves):
        assert m.data(m.index(i, 2)) == f"{move.value:,.0f}"
        grey = m.data(m.index(i, 0), Qt.ItemDataRole.ForegroundRole)
        assert (grey is not None and QColor(grey).name() == "#9ca3af") == move.covers_zero
    assert any(move.covers_zero for move in v.moves)   # passive to promoter is uncertain in the demo
    assert panel.backtest_text.text().startswith(r.backtest.summary)
    rm = panel.risk_model
    assert rm.rowCount() == len(r.accounts) and r.model_shown
    assert rm.data(rm.index(0, 0)) == r.accounts[0].name
    assert rm.data(rm.index(0, 4)) == "; ".join(r.accounts[0].reasons)


def test_cancel_stops_a_run(qtbot, demo_ws):
    w, page = open_page(qtbot, demo_ws, "revenue", DEMO_AS_OF)
    panel = page.worth
    qtbot.waitUntil(lambda: panel.last is not None, timeout=30000)
    settle(qtbot)
    panel.last = None
    pick(qtbot, page.range, text="All time")           # the page refreshes, and the panel starts again
    assert panel.cancel_button.isVisible()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert panel.status.text() == "Cancelled." and not panel.cancel_button.isVisible()
    settle(qtbot)
    assert panel.last is None                       # the cancelled run's result is dropped
