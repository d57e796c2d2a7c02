"""A response's detail shows the follow-up its play created — the play, its status, owner, due date and
outcome, in words — and "Open follow-up" shows that action in the Actions queue."""
from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from nps_desktop.core import analytics
from nps_desktop.ui.pages import PAGES

from .gestures import choose_filters
from .test_laptop_screen import click_sidebar, open_copy, settle

OUTCOMES = {"recovered": "Recovered", "churned": "Churned", "no_response": "No response"}


def test_the_detail_shows_the_follow_up_and_opens_it(qtbot, demo_file, tmp_path):
    window = open_copy(qtbot, demo_file, tmp_path, 1366, 768)
    conn = sqlite3.connect(f"file:{tmp_path / 'demo.npsdb'}?mode=ro", uri=True)
    action_id, owner, due, outcome, response_id, email = conn.execute(
        "SELECT a.id, a.owner, a.due, a.outcome, r.id, c.email FROM actions a JOIN responses r ON r.id = a.response_id "
        "JOIN contacts c ON c.id = r.contact_id WHERE a.play = 'detractor_save' AND a.status = 'done' "
        "AND a.outcome IN ('recovered', 'churned', 'no_response') AND a.owner IS NOT NULL "
        "AND (SELECT count(*) FROM actions b WHERE b.response_id = r.id) = 1 ORDER BY a.id LIMIT 1").fetchone()
    conn.close()
    click_sidebar(qtbot, window, next(i for i, p in enumerate(PAGES) if p[0] == "responses"))
    page = window.page("responses")
    choose_filters(qtbot, page.filter_bar, analytics.Filters(preset="all_time"))
    qtbot.keyClicks(page.search, email)
    qtbot.waitUntil(lambda: not page.model.busy and any(r.id == response_id for r in page.model.rows), timeout=10000)
    row = next(i for i, r in enumerate(page.model.rows) if r.id == response_id)
    view_row = page.table.model().mapFromSource(page.model.index(row, 0)).row() \
        if hasattr(page.table.model(), "mapFromSource") else row
    rect = page.table.visualRect(page.table.model().index(view_row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail["id"] == response_id, timeout=10000)
    text = page.detail.body.text()
    assert "Follow-up" in text and ">Save</a>" in text
    assert f"Done · owner {owner} · due {due} · outcome: {OUTCOMES[outcome]}" in text
    assert outcome not in text.replace(OUTCOMES[outcome], "")            # never the stored key
    assert page.detail.follow_up_button.isEnabled()
    qtbot.mouseClick(page.detail.follow_up_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    actions = window.page("actions")
    assert window.stack.currentWidget() is actions
    assert actions.search.text() == email
    qtbot.waitUntil(lambda: action_id in [a.id for a in actions.model.rows], timeout=10000)
