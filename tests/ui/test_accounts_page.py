"""The accounts page: the rollup as the core computes it (true NPS, never an average), sparklines, the
account view's timeline, and export."""
from __future__ import annotations

import csv
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from nps_desktop.core import analytics as A
from nps_desktop.core import settings

from .analysis_pages import cells, fx, open_window  # noqa: F401 (fx: a fixture)
from .gestures import choose_filters, click, click_row, export_table, go

H1 = A.Filters(date(2026, 1, 1), date(2026, 6, 30))


@pytest.fixture
def page(qtbot, fx):
    settings.set_value(fx, "currency", "USD")
    w = open_window(qtbot, fx.path)
    go(qtbot, w, "accounts")
    p = w.page("accounts")
    p.all_rows = []
    choose_filters(qtbot, p.filter_bar, H1)
    qtbot.waitUntil(lambda: p.table_data is not None and p.table_data.quarters[-1] == "2026Q2"
                    and len(p.all_rows) == 3, timeout=10000)
    return p


def test_rollup_rows(page):
    rows = {r[0]: r for r in cells(page.proxy)}
    assert set(rows) == {"Acme", "Bolt", "Cora"}
    # Acme: Ann's latest 10 and Ben's latest 3 → NPS 0 (its mean, 6.5, would read as a "passive 6.5")
    assert rows["Acme"][4:7] == ["0", "2", "10 on 2026-06-30"]
    assert rows["Bolt"][4] == "+100" and rows["Cora"][4] == "0"
    assert rows["Acme"][8] == "USD 120,000" and rows["Acme"][10] == "1"
    assert "2 accounts" not in page.summary.text() and "3 accounts" in page.summary.text()
    page.search.setText("bo")
    assert [r[0] for r in cells(page.proxy)] == ["Bolt"]
    page.search.clear()
    image = page.table.grab()                                          # the sparklines paint
    assert not image.isNull()


def test_account_view_timeline(page, qtbot):
    names = [r[0] for r in cells(page.proxy)]
    click_row(qtbot, page.table, names.index("Acme"))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)                # Enter opens the account, as a double-click
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.account and page.account.account_id == 1,
                    timeout=10000)
    view = page.account
    assert view.name.text() == "Acme"
    assert view.tile_nps.value.text() == "0" and view.tile_actions.value.text() == "1"
    kinds = [r[1] for r in cells(view.timeline_proxy)]
    assert kinds.count("Response") == 5 and kinds.count("Action") == 2 and kinds.count("Revenue") == 1
    click(qtbot, view.responses_button)
    responses = page.window().page("responses")
    qtbot.waitUntil(lambda: responses.model.total == 5 and len(responses.model.rows) == 5, timeout=10000)
    go(qtbot, page.window(), "accounts")
    click(qtbot, next(b for b in view.findChildren(QPushButton) if b.text() == "← All accounts"))
    assert page.stack.currentIndex() == 0


def test_export_accounts(page, qtbot, tmp_path):
    out = tmp_path / "accounts.csv"
    export_table(page, out)
    qtbot.waitUntil(out.exists, timeout=30000)
    with open(out, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "Account" and {r[0] for r in rows[1:]} == {"Acme", "Bolt", "Cora"}
