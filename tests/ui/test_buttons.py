"""The three buttons of issue #17, clicked as a person clicks them, their real dialogs answered.

``Correct score…``, ``Reassign…`` and ``Save as segment…`` were connected straight to handlers with
optional parameters, so Qt's ``checked=False`` became a score of 0, an owner ``False`` and an empty
name. Each test clicks the real button (``qtbot.mouseClick``), answers the dialog it opens, and reads
the result back from the workspace file; Cancel changes nothing.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from nps_desktop.core import analytics as A
from nps_desktop.core.loop import actions as act

from .analysis_pages import fx, open_responses, open_window  # noqa: F401 (fx: a fixture)
from .dialogs import Answer, answering
from .test_actions_page import open_queue

LEFT = Qt.MouseButton.LeftButton


def table_rows(conn, sql, *args):
    return [tuple(r) for r in conn.execute(sql, args)]


# -- Responses ▸ Correct score… -------------------------------------------------------------------------
@pytest.fixture
def responses(qtbot, fx):
    page = open_responses(qtbot, fx.path)
    row = next(i for i, r in enumerate(page.model.rows) if r.id == 5)   # Ben's 3
    qtbot.mouseClick(page.table.viewport(), LEFT, pos=page.table.visualRect(page.model.index(row, 1)).center())
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail["id"] == 5, timeout=10000)
    assert page.detail.correct_button.isEnabled()
    return page, row


def test_correct_score_asks_and_records_the_typed_score_and_reason(responses, qtbot, fx):
    page, row = responses

    def shows_the_current_score(dialog):
        assert dialog.windowTitle() == "Correct a mistyped score"
        assert dialog.score.value() == 3

    with answering(Answer(fill={"Correct score": 8, "Reason": "typed 3 for 8"}, check=shows_the_current_score)):
        qtbot.mouseClick(page.detail.correct_button, LEFT)
    qtbot.waitUntil(lambda: page.detail.detail["score"] == 8, timeout=10000)
    assert table_rows(fx.conn, "SELECT score FROM responses WHERE id = 5") == [(8,)]
    assert table_rows(fx.conn, "SELECT response_id, old_score, new_score, reason FROM score_corrections") == \
        [(5, 3, 8, "typed 3 for 8")]
    assert page.model.rows[row].score == 8 and "typed 3 for 8" in page.detail.body.text()


def test_correct_score_cancelled_changes_nothing(responses, qtbot, fx):
    page, _ = responses
    with answering(Answer(fill={"Correct score": 9}, accept=False)) as dialogs:
        qtbot.mouseClick(page.detail.correct_button, LEFT)
    assert [d.title for d in dialogs.seen] == ["Correct a mistyped score"]
    assert table_rows(fx.conn, "SELECT score FROM responses WHERE id = 5") == [(3,)]
    assert table_rows(fx.conn, "SELECT COUNT(*) FROM score_corrections") == [(0,)]


# -- Save as segment… -----------------------------------------------------------------------------------
def tick(bar, dim: str, value: str) -> None:
    """Tick ``value`` in the bar's menu of ``dim`` (a click on the menu item)."""
    button = bar.buttons[dim]
    next(a for a in button.menu_.actions() if a.text() == value).trigger()


@pytest.fixture
def dashboard(qtbot, fx):
    w = open_window(qtbot, fx.path)
    page = w.page("dashboard")
    qtbot.waitUntil(lambda: page.last_stats is not None, timeout=10000)
    bar = page.filter_bar
    qtbot.waitUntil(lambda: "EMEA" in bar.buttons["region"].choices, timeout=10000)
    return w, bar


def test_save_as_segment_saves_under_the_typed_name(dashboard, qtbot, fx):
    _, bar = dashboard
    tick(bar, "region", "EMEA")
    with answering(Answer(fill={"value": "  EMEA   accounts "})) as dialogs:
        qtbot.mouseClick(bar.save_button, LEFT)
    assert dialogs.seen[0].kind == "QInputDialog" and dialogs.seen[0].title == "Save as segment"
    qtbot.waitUntil(lambda: A.segment_names(fx) == ["EMEA accounts"], timeout=10000)
    assert A.load_segment(fx, "EMEA accounts").values == {"region": ("EMEA",)}
    qtbot.waitUntil(lambda: bar.current_segment() == "EMEA accounts", timeout=10000)


def test_save_as_segment_asks_before_replacing(dashboard, qtbot, fx):
    _, bar = dashboard
    tick(bar, "region", "North America")
    with answering(Answer(fill={"value": "Mine"})):
        qtbot.mouseClick(bar.save_button, LEFT)
    qtbot.waitUntil(lambda: bar.current_segment() == "Mine", timeout=10000)
    tick(bar, "region", "North America")     # untick
    tick(bar, "region", "EMEA")
    with answering(Answer(fill={"value": "Mine"}), Answer(accept=False)) as dialogs:   # "Replace it?" No
        qtbot.mouseClick(bar.save_button, LEFT)
    assert dialogs.seen[1].text == "A segment named “Mine” exists. Replace it?"
    assert A.load_segment(fx, "Mine").values == {"region": ("North America",)}
    with answering(Answer(fill={"value": "Mine"}), Answer()):                        # Yes
        qtbot.mouseClick(bar.save_button, LEFT)
    qtbot.waitUntil(lambda: A.load_segment(fx, "Mine").values == {"region": ("EMEA",)}, timeout=10000)


def test_save_as_segment_cancelled_saves_nothing(dashboard, qtbot, fx):
    _, bar = dashboard
    with answering(Answer(fill={"value": "Never"}, accept=False)):
        qtbot.mouseClick(bar.save_button, LEFT)
    assert table_rows(fx.conn, "SELECT COUNT(*) FROM segments") == [(0,)]


# -- Actions ▸ Reassign… --------------------------------------------------------------------------------
@pytest.fixture
def queue(qtbot, ws):
    _, page = open_queue(qtbot, ws)
    return page, ws


def select_rows(qtbot, view, rows) -> None:
    """Click the first row, Ctrl+click the others."""
    for i, r in enumerate(rows):
        rect = view.visualRect(view.model().index(r, 2))
        qtbot.mouseClick(view.viewport(), LEFT, Qt.KeyboardModifier.ControlModifier if i else
                         Qt.KeyboardModifier.NoModifier, rect.center())


def owners(ws):
    return dict(table_rows(ws.conn, "SELECT id, owner FROM actions ORDER BY id"))


def test_reassign_gives_the_selected_actions_to_the_chosen_owner(queue, qtbot):
    page, ws = queue
    before = owners(ws)
    select_rows(qtbot, page.view, [0, 2])
    chosen = sorted(page.selected_ids())
    assert len(chosen) == 2

    def offers_the_owners(dialog):
        assert dialog.labelText() == "Give 2 actions to:"
        assert sorted(dialog.comboBoxItems()) == sorted(act.owners(ws))

    with answering(Answer(fill={"value": "Zed"}, check=offers_the_owners)):
        qtbot.mouseClick(page.reassign_button, LEFT)
    qtbot.waitUntil(lambda: all(owners(ws)[i] == "Zed" for i in chosen), timeout=10000)
    after = owners(ws)
    assert {i: o for i, o in after.items() if i not in chosen} == {i: o for i, o in before.items()
                                                                   if i not in chosen}
    assert [(h.field, h.new) for h in act.history(ws, chosen[0])][-1] == ("owner", "Zed")


def test_reassign_cancelled_changes_nothing(queue, qtbot):
    page, ws = queue
    before, history = owners(ws), table_rows(ws.conn, "SELECT * FROM action_history")
    select_rows(qtbot, page.view, [0, 1, 2])
    with answering(Answer(fill={"value": "Zed"}, accept=False)) as dialogs:
        qtbot.mouseClick(page.reassign_button, LEFT)
    assert [d.text for d in dialogs.seen] == ["Give 3 actions to:"]
    assert owners(ws) == before and table_rows(ws.conn, "SELECT * FROM action_history") == history
