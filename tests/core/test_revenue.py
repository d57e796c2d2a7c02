"""Revenue by NPS category: every figure against a hand-computed fixture."""
from datetime import date

import pytest

from nps_desktop.core import revenue

from .loop_data import build_revenue, cli, cli_json

Y26 = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def w(ws):
    with ws.transaction() as conn:
        build_revenue(conn)
    return ws


def test_attribution(w):
    got = [(e.account_id, e.kind, e.category, e.arr_before) for e in revenue.events(w.conn, *Y26)]
    assert got == [
        (8, "renewal", "promoter", 60_000), (7, "new", "unscored", 0), (1, "renewal", "promoter", 100_000),
        (2, "renewal", "passive", 50_000), (1, "upsell", "promoter", 100_000), (3, "churn", "detractor", 80_000),
        (4, "renewal", "promoter", 40_000), (5, "renewal", "unscored", 25_000), (6, "renewal", "unscored", 15_000),
        (2, "downsell", "passive", 50_000), (8, "churn", "detractor", 60_000), (2, "cross_sell", "passive", 40_000),
        (7, "upsell", "promoter", 30_000)]
    assert revenue.category_at(w.conn, 3, date(2026, 3, 1)) == ("detractor", -100.0)
    assert revenue.category_at(w.conn, 1, date(2025, 6, 1)) == ("unscored", None)   # the day itself is excluded


EXPECTED = {
    # promoter: A1 (renewal, upsell 20k), A4 renewal, A7 upsell 6k, A8 renewal; start 100k + 40k + 30k + 60k
    "promoter": dict(accounts=4, renewals=3, churns=0, renewal_rate=1.0, churn_rate=0.0, churned_arr=0,
                     expansion_rate=0.5, avg_expansion_arr=13_000, nrr=round(256 / 230, 4)),
    # passive: A2 renewal 50k, downsell 10k, cross-sell 5k: (50 + 5 − 10) / 50
    "passive": dict(accounts=1, renewals=1, churns=0, renewal_rate=1.0, churn_rate=0.0, churned_arr=0,
                    expansion_rate=1.0, avg_expansion_arr=5_000, nrr=0.9),
    # detractor: A3 churn 80k, A8 churn 60k
    "detractor": dict(accounts=2, renewals=0, churns=2, renewal_rate=0.0, churn_rate=1.0, churned_arr=140_000,
                      expansion_rate=0.0, avg_expansion_arr=None, nrr=0.0),
    # unscored: A5 and A6 renewals, A7's new logo (starting at its new 30k)
    "unscored": dict(accounts=3, renewals=2, churns=0, renewal_rate=1.0, churn_rate=0.0, churned_arr=0,
                     expansion_rate=0.0, avg_expansion_arr=None, nrr=1.0),
}


def test_category_table(w):
    table = revenue.category_table(w.conn, *Y26)
    assert [r["category"] for r in table] == ["promoter", "passive", "detractor", "unscored"]
    for row in table:
        assert {k: row[k] for k in EXPECTED[row["category"]]} == EXPECTED[row["category"]], row["category"]
    assert table[2]["churn_rate_arr"] == 1.0 and table[0]["starting_arr"] == 230_000


def test_all_time_adds_the_old_renewal_as_unscored(w):
    unscored = revenue.category_table(w.conn)[3]
    assert (unscored["accounts"], unscored["renewals"]) == (4, 3)


def test_window_with_no_events(w):
    row = revenue.category_table(w.conn, date(2030, 1, 1), date(2030, 12, 31))[0]
    assert row["accounts"] == 0 and row["renewal_rate"] is row["nrr"] is row["avg_expansion_arr"] is None


def test_arr_over_time(w):
    assert [(p["date"], p["kind"], p["arr"]) for p in revenue.arr_over_time(w.conn, 7)] == [
        ("2026-01-10", "new", 30_000), ("2026-06-01", "upsell", 36_000)]
    assert revenue.arr_at(w.conn, 7, date(2026, 3, 1)) == 30_000
    assert revenue.arr_at(w.conn, 7, date(2025, 12, 31)) == 0


def test_maturity(w):
    m = revenue.maturity(w.conn, *Y26)
    # 2026 responses: A6, A7, A8 (churned), A4, the unmapped one → 3 of 5 on active accounts.
    # Promoters (latest answer in 2026): c71 at A7 (open advocacy action) and c72 at A4 (done one) → 1 of 2.
    # Expansion: A1 20k and A7 6k from promoters, A2 5k from a passive.
    assert (m["responses"], m["mapped_active"], m["mapped_active_share"]) == (5, 3, 0.6)
    assert (m["promoters"], m["promoters_covered"], m["promoter_coverage"]) == (2, 1, 0.5)
    assert (m["expansion_arr"], m["expansion_arr_promoters"], m["expansion_share_promoters"]) == \
        (31_000, 26_000, round(26 / 31, 4))
    everything = revenue.maturity(w.conn, today=date(2026, 12, 31))
    assert (everything["responses"], everything["mapped_active"]) == (13, 8)


def test_nps_vs_expansion(w):
    points = {p["account_id"]: (p["nps"], p["expansion_arr"]) for p in revenue.nps_vs_expansion(w.conn, *Y26)}
    assert points == {4: (100.0, 0), 6: (-100.0, 0), 7: (100.0, 6_000), 8: (-100.0, 0)}


def test_add_event_by_hand(w):
    c = w.conn

    def one(sql):
        return tuple(c.execute(sql).fetchone())
    new_id = revenue.add_event(w, 7, "upsell", date(2026, 9, 1), 4_000, note="more seats")
    assert [p["arr"] for p in revenue.arr_over_time(c, 7)] == [30_000, 36_000, 40_000]
    assert one("SELECT arr, status FROM accounts WHERE id = 7") == (40_000, "active")
    # an earlier event does not overwrite the account's current ARR
    revenue.add_event(w, 7, "downsell", date(2026, 7, 1), -1_000)
    assert c.execute("SELECT arr FROM accounts WHERE id = 7").fetchone()[0] == 40_000
    assert [p["arr"] for p in revenue.arr_over_time(c, 7)] == [30_000, 36_000, 35_000, 40_000]
    # a churn left at 0 loses the whole ARR before it, and the account is churned
    revenue.add_event(w, 7, "churn", date(2026, 10, 1), 0)
    assert one("SELECT arr_before, arr_change FROM revenue_events ORDER BY id DESC") == (40_000, -40_000)
    assert one("SELECT arr, status FROM accounts WHERE id = 7") == (0, "churned")
    assert new_id > 0
    for args, message in [((7, "refund", date(2026, 1, 1), 1), "kind 'refund'"),
                          ((7, "churn", date(2026, 1, 1), 5), "Churn lowers ARR"),
                          ((7, "upsell", date(2026, 1, 1), -5), "Upsell raises ARR"),
                          ((99, "renewal", date(2026, 1, 1), 0), "no account 99")]:
        with pytest.raises(ValueError, match=message):
            revenue.add_event(w, *args)
    assert c.execute("SELECT count(*) FROM revenue_events").fetchone()[0] == 17


def test_cli_revenue_json(w):
    path = str(w.path)
    w.close()
    doc = cli_json("revenue", "--from", "2026-01-01", "--to", "2026-12-31", "--workspace", path)
    assert [r["category"] for r in doc["categories"]] == list(EXPECTED)
    for row in doc["categories"]:
        assert {k: row[k] for k in EXPECTED[row["category"]]} == EXPECTED[row["category"]]
    assert cli_json("revenue", "--add", "2", "upsell", "2026-12-01", "2,500", "--workspace", path)["arr"][-1]["arr"] \
        == 47_500
    bad = cli("revenue", "--add", "nope", "upsell", "2026-12-01", "1", "--workspace", path)
    assert bad.returncode == 1 and "no account with id or external id 'nope'" in bad.stderr
