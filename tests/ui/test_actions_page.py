"""The Actions page: the queue equals the core's list, overdue is red, and it works from the keyboard."""
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from nps_desktop.core.loop import actions as act
from nps_desktop.core import settings
from nps_desktop.core.loop import engine, plays
from nps_desktop.ui import theme
from nps_desktop.ui.pages import actions as page_module
from tests.core.loop_data import build_queue, respond

from .dialogs import OK, Answer, answering
from .gestures import click, click_row, pick, refresh, tick
from .loop_pages import open_page

TODAY = date(2026, 11, 23)


def open_queue(qtbot, ws):
    """The window on the Actions page over ``build_queue``'s three actions, loaded."""
    with ws.transaction() as conn:
        build_queue(conn)
    w, page = open_page(qtbot, ws, "actions", TODAY)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10000)
    return w, page


@pytest.fixture
def window(qtbot, ws):
    w, page = open_queue(qtbot, ws)
    w.activateWindow()
    return w, page, ws


def shown(page):
    proxy = page.view.model()
    return [proxy.data(proxy.index(r, 0), page_module.ROW_ROLE).id for r in range(proxy.rowCount())]


def wait_reloaded(qtbot, page, check):
    qtbot.waitUntil(check, timeout=10000)


def test_queue_equals_core_and_overdue_is_red(window):
    _, page, ws = window
    assert shown(page) == [a.id for a in act.list_actions(ws, act.ActionFilters(statuses=("open", "in_progress")),
                                                          TODAY)] == [2, 1, 3]
    model = page.model
    due = model.index(0, 0)
    assert model.data(due) == "2026-11-20"
    assert model.data(due, Qt.ItemDataRole.ForegroundRole) == QColor(theme.DETRACTOR)
    assert model.data(due, Qt.ItemDataRole.ToolTipRole) == "Overdue by 3 days"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert page.tile_overdue.value.text() == "1" and page.tile_open.value.text() == "3"
    assert page.detail_title.text() == "Save — bo@bigco.com, Bigco"


def test_filters(window, qtbot):
    _, page, _ = window
    pick(qtbot, page.owner_filter, "Ann")
    wait_reloaded(qtbot, page, lambda: shown(page) == [1, 3])
    pick(qtbot, page.play_filter, "passive_adoption")
    wait_reloaded(qtbot, page, lambda: shown(page) == [3])
    pick(qtbot, page.owner_filter, index=0)
    pick(qtbot, page.play_filter, index=0)
    pick(qtbot, page.due_filter, "overdue")
    wait_reloaded(qtbot, page, lambda: shown(page) == [2])
    pick(qtbot, page.due_filter, index=0)
    pick(qtbot, page.arr_filter, 100_000)
    wait_reloaded(qtbot, page, lambda: shown(page) == [2])
    pick(qtbot, page.arr_filter, index=0)
    qtbot.keyClicks(page.search, "acme")
    wait_reloaded(qtbot, page, lambda: shown(page) == [1, 3])


def test_keyboard_only_workflow(window, qtbot):
    w, page, ws = window
    # Ctrl+L to the list, Down to the second action (Ann's Save), Ctrl+Shift+P: in progress
    qtbot.keyClick(page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert page.view.hasFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Down)
    assert page.current_action().id == 1
    qtbot.keyClick(page.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_reloaded(qtbot, page, lambda: page.model.rows and page.current_action().status == "in_progress")
    assert act.get_action(ws, 1).status == "in_progress"
    # Alt+U to the outcome, "Recovered" picked from its list
    qtbot.keyClick(page, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert page.outcome_edit.hasFocus()
    pick(qtbot, page.outcome_edit, "recovered")
    wait_reloaded(qtbot, page, lambda: act.get_action(ws, 1).outcome == "recovered")
    # Alt+A to the note line, type, Enter
    qtbot.keyClick(page, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert page.note_edit.hasFocus()
    qtbot.keyClicks(page.note_edit, "Called Ana")
    qtbot.keyClick(page.note_edit, Qt.Key.Key_Return)
    wait_reloaded(qtbot, page, lambda: (act.get_action(ws, 1).notes or "").endswith("— Called Ana"))
    assert page.note_edit.text() == ""
    # back to the list, Ctrl+Shift+D: done
    qtbot.keyClick(page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_reloaded(qtbot, page, lambda: act.get_action(ws, 1).status == "done")
    # the default filter (not done) drops it; the history shows every change with its time
    wait_reloaded(qtbot, page, lambda: 1 not in shown(page))
    fields = [h.field for h in act.history(ws, 1)]
    assert fields == ["created", "status", "first_touch_at", "outcome", "notes", "status", "closed_at"]


def test_history_panel(window, qtbot):
    _, page, ws = window
    act.set_outcome(ws, 2, "no_response", datetime(2026, 11, 23, 11))
    refresh(window[0])          # F5, after the change made outside the app
    wait_reloaded(qtbot, page, lambda: page.history_model.rowCount() == 2)
    assert [page.history_model.data(page.history_model.index(1, c)) for c in range(4)] == \
        ["2026-11-23 11:00", "outcome", "—", "No response"]     # labels, not stored keys


def test_bulk_reassign_from_the_keyboard(window, qtbot):
    _, page, ws = window
    qtbot.keyClick(page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)      # select all
    assert sorted(page.selected_ids()) == [1, 2, 3]
    with answering(Answer(fill={"value": "Zed"})) as dialogs:
        qtbot.keyClick(page.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    wait_reloaded(qtbot, page, lambda: {a.owner for a in act.list_actions(ws)} == {"Zed"})
    assert dialogs.seen[0].text == "Give 3 actions to:"
    assert [(h.field, h.old, h.new) for h in act.history(ws, 2)][-1] == ("owner", "Bob", "Zed")


def test_refused_change_shows_the_error(window, qtbot):
    """The selected action is deleted meanwhile (another window, a script): Done says so, in one line."""
    _, page, ws = window
    first = shown(page)[0]
    click_row(qtbot, page.view, 0)
    with ws.transaction() as conn:
        conn.execute("DELETE FROM action_history WHERE action_id = ?", (first,))
        conn.execute("DELETE FROM actions WHERE id = ?", (first,))
    with answering(OK) as dialogs:
        qtbot.mouseClick(page.done_button, Qt.MouseButton.LeftButton)
    assert [(d.text, d.is_error) for d in dialogs.seen] == [(f"there is no action {first}", True)]
    assert [a.status for a in act.list_actions(ws)] == ["open", "open"]


def test_plays_are_edited_in_the_plays_tab(window, qtbot):
    w, page, ws = window
    qtbot.keyClick(w, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    tab = page.plays_tab
    assert page.tabs.currentWidget() is tab
    assert [p.key for p in tab.plays] == ["detractor_save", "passive_adoption", "promoter_advocacy"]
    assert tab.name.text() == "Save" and tab.due.value() == 2 and tab.threshold.value() == 100_000
    tab.due.setValue(3)
    tab.threshold.setValue(0)                       # no faster SLA any more
    tick(qtbot, tab.kinds["tnps"], False)
    click(qtbot, tab.save_button)
    qtbot.waitUntil(lambda: tab.model.rowCount() and tab.plays[0].due_business_days == 3, timeout=10000)
    saved = {p.key: p for p in plays.load_plays(ws)}["detractor_save"]
    assert (saved.due_business_days, saved.params["kinds"], "high_arr_threshold" in saved.params) == \
        (3, ["rnps", "partner"], False)
    click_row(qtbot, tab.view, 1)
    tick(qtbot, tab.enabled, False)
    click(qtbot, tab.save_button)
    qtbot.waitUntil(lambda: not {p.key: p for p in plays.load_plays(ws)}["passive_adoption"].enabled,
                    timeout=10000)
    tab.history.setValue(60)
    click(qtbot, tab.history_button)
    qtbot.waitUntil(lambda: settings.get(ws, "loop.history_days") == 60, timeout=10000)
    # the engine follows the edited rules: a Bigco detractor now gets 3 business days
    with ws.transaction() as conn:
        rid = respond(conn, 3, "2026-11-23", 1)
        engine.create_actions_in(conn, [rid], today=TODAY)
    assert act.list_actions(ws, act.ActionFilters(owners=("Bob",)))[0].due == "2026-11-26"
