"""One meaning per label: each figure that two places show under one label is computed in both and
compared — open follow-ups, within SLA, at-risk passives, accounts by category, the revenue default
period — on the demo, with today fixed to the demo's day."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from nps_desktop import cli
from nps_desktop.core import analytics as A
from nps_desktop.core import revenue
from nps_desktop.core.text import insight
from nps_desktop.ui.pages.revenue import window as revenue_window
from tests.conftest import DEMO_AS_OF

from .analysis_pages import open_window
from tests.ui.gestures import go, pick

TODAY = DEMO_AS_OF


@pytest.fixture
def app(qtbot, demo_ws, monkeypatch):
    monkeypatch.setenv("NPS_DESKTOP_TODAY", TODAY.isoformat())
    return open_window(qtbot, demo_ws.path), demo_ws


def cli_json(capsys, *argv) -> dict:
    capsys.readouterr()
    assert cli.main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_open_follow_ups_and_within_sla_on_the_actions_page_equal_the_cli(app, qtbot, capsys):
    w, ws = app
    page = w.page("actions")
    go(qtbot, w, "actions")
    qtbot.waitUntil(lambda: getattr(page, "last_metrics", None) is not None, timeout=15000)
    m = cli_json(capsys, "actions", "--workspace", str(ws.path), "--metrics", "--as-of", TODAY.isoformat(), "--json")
    assert page.tile_open.value.text() == f"{m['open'] + m['in_progress']:,}"
    assert page.tile_open.detail.text().endswith("all time")
    assert page.tile_sla.value.text() == f"{m['sla_share']:.0%}"
    assert page.tile_sla.detail.text() == f"{m['sla_met']} of {m['sla_actions']} save actions, all time"
    assert page.tile_save.value.text() == f"{m['save_rate_reconciled']:.0%}"
    assert f"{m['save_rate']:.0%} as reported" in page.tile_save.detail.text()


def test_at_risk_passives_on_the_dashboard_and_themes_pages_agree_for_one_scope(app, qtbot):
    w, ws = app
    dash = w.page("dashboard")
    go(qtbot, w, "dashboard")
    qtbot.waitUntil(lambda: "at-risk passives" in dash.follow_up.text(), timeout=15000)
    scope = A.resolve(ws, A.Filters(preset="last_90_days"), TODAY)
    expected = insight.at_risk_count(ws, scope)
    assert f"{expected:,} at-risk passives in this scope" in dash.follow_up.text()
    themes = w.page("themes")
    go(qtbot, w, "themes")
    pick(qtbot, themes.period, "last_90_days")
    qtbot.waitUntil(lambda: themes.tile_risk.value.text() == f"{expected:,}", timeout=15000)


def test_accounts_by_category_and_the_revenue_default_period(app, qtbot, capsys):
    w, ws = app
    page = w.page("revenue")
    go(qtbot, w, "revenue")
    qtbot.waitUntil(lambda: page.last_report is not None, timeout=15000)
    # the page's default range and the CLI's default are the same 12 months
    assert page.range.currentText() == "Last 12 months"
    lo, hi = revenue.default_window(TODAY)
    assert revenue_window("Last 12 months", TODAY, (lo, hi)) == (lo, hi)
    doc = cli_json(capsys, "revenue", "--workspace", str(ws.path), "--as-of", TODAY.isoformat(), "--json")
    assert (doc["from"], doc["to"]) == (lo.isoformat(), hi.isoformat()) == (page.last_report["from"],
                                                                          page.last_report["to"])
    assert doc["categories"] == page.last_report["categories"]
    shown = [[page.table_model.data(page.table_model.index(r, c)) for c in (1,)]
             for r in range(page.table_model.rowCount())]
    assert shown == [[f"{c['accounts']:,}"] for c in doc["categories"]]
    # the scatter counts another thing, and says so: accounts scored over the year to the window's end
    assert page.table_model.headerData(1, Qt.Orientation.Horizontal) == "Accounts with events"
    assert page.scatter_title.text().startswith(f"NPS against expansion: {len(doc['nps_vs_expansion']):,} "
                                                f"accounts scored over the 365 days to {hi.isoformat()}")
