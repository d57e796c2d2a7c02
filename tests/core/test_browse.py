"""The responses table's queries (paging, sorting, search), a response's detail and history, score
correction, and the accounts page's rollup and timeline, on the hand-built fixture."""
from __future__ import annotations

from datetime import date

import pytest

from nps_desktop.core import account_view as V
from nps_desktop.core import analytics as A
from nps_desktop.core import browse as B

from .analytics_fixture import RESPONSES, build


@pytest.fixture
def fx(ws):
    build(ws)
    return ws


def all_pages(ws, q, size):
    pager, out = B.Pager(q), []
    while not pager.done:
        out += pager.next_page(ws, size)
    return out


@pytest.mark.parametrize("size", [1, 2, 4, 200])
@pytest.mark.parametrize("sort", list(B.SORTS))
@pytest.mark.parametrize("descending", [True, False])
def test_pages_cover_every_row_once_in_order(fx, size, sort, descending):
    rows = all_pages(fx, B.ResponseQuery(sort=sort, descending=descending), size)
    assert sorted(r.id for r in rows) == list(range(1, 10))
    key = {"date": lambda r: (r.responded_at[:10], r.responded_at), "score": lambda r: (r.score,),
           "account": lambda r: (r.account or "",), "email": lambda r: (r.email or "",),
           "kind": lambda r: (r.kind,), "touchpoint": lambda r: (r.touchpoint or "",),
           "product": lambda r: (r.product or "",), "comment": lambda r: (r.comment or "",)}[sort]
    expected = sorted(rows, key=lambda r: (*key(r), r.id), reverse=descending)
    assert [r.id for r in rows] == [r.id for r in expected]


def test_keyset_page_by_date(fx):
    first = B.page(fx, B.ResponseQuery(), None, 3)
    assert [r.id for r in first] == [9, 8, 7]            # 30 Jun 16:00, 30 Jun 12:00, 5 May
    assert [r.id for r in B.page(fx, B.ResponseQuery(), first[-1].cursor, 3)] == [6, 5, 4]
    assert first[0].account == "Acme" and first[1].account is None


@pytest.mark.parametrize("text, ids", [
    ("support", [5, 1]),            # comments "slow support", "Great support, love it"
    ("ACME", [9, 5, 4, 2, 1]),      # the account's name and the emails, case-insensitive
    ("100%", [2]),                  # % is a character, not a wildcard
    ("_", [3]),                     # so is _
    ("gmail", [8]),
    ("nothing like this", []),
])
def test_search_comment_email_account(fx, text, ids):
    q = B.ResponseQuery(search=text)
    assert [r.id for r in all_pages(fx, q, 50)] == ids
    assert B.count(fx, q) == len(ids)


def test_scores_and_filters_narrow_the_table(fx):
    q = B.ResponseQuery(filters=A.Filters(values={"region": ("EMEA",)}), scores=(9, 10))
    assert [r.id for r in all_pages(fx, q, 50)] == [9, 4, 1]


def test_sorted_ids_can_be_cancelled(fx, monkeypatch):
    monkeypatch.setattr(B, "PROGRESS_STEPS", 1)
    with pytest.raises(B.Cancelled):
        B.sorted_ids(fx, B.ResponseQuery(sort="score"), cancelled=lambda: True)
    assert len(B.sorted_ids(fx, B.ResponseQuery(sort="score"), cancelled=lambda: False)) == 9


def test_detail_history_and_correction(fx):
    d = B.response_detail(fx, 5)
    assert (d["score"], d["contact_name"], d["role"], d["account"], d["region"]) == (3, "Ben", "End User", "Acme", "EMEA")
    assert [h["id"] for h in B.contact_history(fx, 2)] == [5, 2]
    assert [h["id"] for h in B.contact_history(fx, None, "x@gmail.com")] == [8]
    B.correct_score(fx, 5, 8, "typed 3 for 8")
    B.correct_score(fx, 5, 9, "")
    d = B.response_detail(fx, 5)
    assert (d["score"], d["original_score"]) == (9, 3)
    assert [(c["old_score"], c["new_score"], c["reason"]) for c in d["corrections"]] == [
        (3, 8, "typed 3 for 8"), (8, 9, "")]
    assert A.overall(fx, A.Filters()).detractors == 2            # 6 and 0 remain
    with pytest.raises(ValueError, match="0 to 10"):
        B.correct_score(fx, 5, 11)


def test_export_rows(fx):
    rows = [B.export_row(r) for r in B.iter_rows(fx, B.ResponseQuery(sort="score", descending=False), 4)]
    assert len(rows) == len(RESPONSES) and len(rows[0]) == len(B.EXPORT_HEADER)
    assert rows[0][2:4] == (0, "detractor")


def test_account_table(fx):
    t = V.account_table(fx, A.Filters(), today=date(2026, 7, 15))
    assert t.quarters == ("2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3")
    rows = {r.name: r for r in t.rows}
    assert set(rows) == {"Acme", "Bolt", "Cora"}
    acme = rows["Acme"]
    assert (acme.nps, acme.contacts, acme.score.latest_score, acme.open_actions) == (0.0, 2, 10, 1)
    # Acme per quarter, all its responses: Q1 10, 6, 9 → 33.3; Q2 3, 10 → 0; none in Q3
    assert acme.trend[-3:] == (pytest.approx(100 / 3), 0.0, None)
    assert rows["Bolt"].nps == 100.0 and rows["Cora"].nps == 0.0 and rows["Cora"].contacts == 1
    emea = V.account_table(fx, A.Filters(values={"region": ("EMEA",)}), today=date(2026, 7, 15))
    assert [r.name for r in emea.rows] == ["Acme", "Cora"]
    q2 = V.account_table(fx, A.Filters(date(2026, 4, 1), date(2026, 6, 30)))
    by_name = {r.name: r for r in q2.rows}
    # In Q2 Acme's contacts' latest: Ann 10, Ben 3 → NPS 0; the sparkline ends with Q2
    assert by_name["Acme"].nps == 0.0 and q2.quarters[-1] == "2026Q2"


def test_timeline_has_responses_actions_and_revenue_newest_first(fx):
    items = V.timeline(fx, 1)
    assert [(i.kind, i.on[:10]) for i in items] == [
        ("response", "2026-06-30"), ("revenue", "2026-05-20"), ("action", "2026-04-02"),
        ("response", "2026-04-02"), ("response", "2026-03-15"), ("action", "2026-01-12"),
        ("response", "2026-01-12"), ("response", "2026-01-10")]
    assert items[1].amount == 20000 and "open" in items[2].title and "done" in items[5].title
    assert V.account_info(fx, 1)["contacts"] == 2
    with pytest.raises(ValueError, match="no account 99"):
        V.account_info(fx, 99)
