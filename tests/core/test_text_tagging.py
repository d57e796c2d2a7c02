"""Tagging stored responses: tag_responses in the caller's transaction, retag_all with progress/cancel."""
from __future__ import annotations

import pytest

from nps_desktop.core.responses import insert_responses
from nps_desktop.core.text import store, tagging
from nps_desktop.core.text.themes import Theme


def add(ws, *comments, score=5):
    with ws.transaction() as conn:
        start = conn.execute("SELECT coalesce(max(id), 0) FROM responses").fetchone()[0]
        insert_responses(conn, [{"score": score, "comment": c, "responded_at": f"2026-03-{i % 28 + 1:02d}"}
                                for i, c in enumerate(comments)])
    return [r[0] for r in ws.query("SELECT id FROM responses WHERE id > ? ORDER BY id", (start,))]


def tags(ws) -> set[tuple[int, str, int]]:
    return {tuple(r) for r in ws.query("SELECT response_id, theme, polarity FROM response_themes")}


def test_tag_responses_writes_sentiment_and_themes(ws):
    ids = add(ws, "Support is fantastic", "Too expensive and too slow", "", None, "👍")
    with ws.transaction():
        written = tagging.tag_responses(ws, ids[:4])
    assert written == 3
    assert tags(ws) == {(ids[0], "support", 1), (ids[1], "pricing", -1), (ids[1], "performance", -1)}
    sentiments = dict(ws.query("SELECT id, sentiment FROM responses"))
    assert sentiments[ids[0]] > 0 and sentiments[ids[1]] < 0
    assert sentiments[ids[2]] is None and sentiments[ids[3]] is None
    assert sentiments[ids[4]] is None  # not asked for
    assert ws.scalar("SELECT matched FROM response_themes WHERE theme = 'pricing'") == "too expensive"
    assert ws.scalar("SELECT count(*) FROM themes") == 0  # the default dictionary is used, not copied in


def test_tag_responses_belongs_to_the_callers_transaction(ws):
    ids = add(ws, "Support is fantastic")
    with pytest.raises(RuntimeError):
        with ws.transaction():
            tagging.tag_responses(ws, ids)
            raise RuntimeError("import failed later")
    assert tags(ws) == set()
    assert ws.scalar("SELECT sentiment FROM responses") is None


def test_retagging_replaces_old_tags(ws):
    ids = add(ws, "Support is fantastic")
    with ws.transaction() as conn:
        tagging.tag_responses(ws, ids)
        conn.execute("UPDATE responses SET comment = 'The invoices are wrong' WHERE id = ?", (ids[0],))
        tagging.tag_responses(ws, ids)
    assert tags(ws) == {(ids[0], "billing", -1)}


def test_many_ids_are_chunked(ws):
    ids = add(ws, *[f"Support answered ticket {i}" for i in range(1203)])
    with ws.transaction():
        assert tagging.tag_responses(ws, ids) == 1203


def test_retag_all_uses_the_edited_dictionary(ws):
    ids = add(ws, "Exports to CSV never finish", "Great support", "")
    with ws.transaction():
        tagging.tag_responses(ws, ids)
        store.save_theme(ws, Theme("data_export", "Data export", ("export*", "csv")))
        store.delete_theme(ws, "support")
    seen = []
    result = tagging.retag_all(ws, lambda done, total: seen.append((done, total)))
    assert not result.cancelled
    assert (result.responses, result.commented, result.tagged) == (3, 2, 1)
    assert ("data_export" in {t for _, t, _ in tags(ws)}) and all(t != "support" for _, t, _ in tags(ws))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


def test_retag_all_cancel_keeps_the_old_tags(ws):
    ids = add(ws, "Great support", "Too expensive")
    with ws.transaction():
        tagging.tag_responses(ws, ids)
        store.delete_theme(ws, "support")
    before = tags(ws)
    result = tagging.retag_all(ws, cancelled=lambda: True)
    assert result.cancelled
    assert tags(ws) == before


def test_parallel_retag_matches_in_process(ws, monkeypatch):
    comments = ["Support is slow", "Love the dashboards", "Not slow at all", "", "Zu teuer", "Billing errors"] * 5
    add(ws, *comments)
    tagging.retag_all(ws, workers=1)
    single = (tags(ws), dict(ws.query("SELECT id, sentiment FROM responses")))
    monkeypatch.setattr(tagging, "PARALLEL_MIN", 0)
    monkeypatch.setattr(tagging, "BATCH", 7)
    result = tagging.retag_all(ws, workers=2)
    assert result.workers == 2
    assert (tags(ws), dict(ws.query("SELECT id, sentiment FROM responses"))) == single


def test_tagging_many_new_responses_over_workers_matches_in_process(ws, monkeypatch):
    comments = ["Support is slow", "Love the dashboards", "Not slow at all", "", "Zu teuer", "Billing errors"] * 5
    ids = add(ws, *comments)
    with ws.transaction():
        written = tagging.tag_responses(ws, ids)
    single = (tags(ws), dict(ws.query("SELECT id, sentiment FROM responses")))
    monkeypatch.setattr(tagging, "PARALLEL_MIN", 0)
    monkeypatch.setattr(tagging, "BATCH", 7)
    monkeypatch.setattr(tagging, "default_workers", lambda: 2)
    with ws.transaction():
        assert tagging.tag_responses(ws, ids) == written
    assert (tags(ws), dict(ws.query("SELECT id, sentiment FROM responses"))) == single
    assert written == 5 * 5  # support, dashboards (reporting), performance, pricing, billing: once each


def test_a_repeated_comment_is_analysed_once(ws):
    calls = []

    class Counting:
        def analyze_fast(self, text):
            calls.append(text)
            return (0.5, [])

    results = tagging.analyze_rows(Counting(), [(1, "fine"), (2, "fine"), (3, None), (4, "fine "), (5, None)])
    assert [r[0] for r in results] == [1, 2, 3, 4, 5]
    assert calls == ["fine", None, "fine "]
