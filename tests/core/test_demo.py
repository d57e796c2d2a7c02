"""The demo workspace: realistic sizes, deterministic, and revenue that follows sentiment."""
import hashlib
from datetime import timedelta

import pytest

from nps_desktop.core import analytics, demo, nps
from nps_desktop.core.workspace import open_workspace

from ..conftest import DEMO_AS_OF


def _dump(path) -> str:
    with open_workspace(path, create=False) as ws:
        h = hashlib.sha256()
        for table in ("accounts", "contacts", "responses", "revenue_events", "programs", "actions",
                      "action_history", "invitations"):
            for row in ws.query(f"SELECT * FROM {table} ORDER BY id"):
                h.update(repr(tuple(v for k, v in zip(row.keys(), row) if k != "created_at")).encode())
        return h.hexdigest()


def test_demo_has_a_realistic_size(demo_ws):
    c = demo_ws.counts()
    assert 280 <= c["accounts"] <= 320
    assert 1300 <= c["contacts"] <= 1700
    assert 8000 <= c["responses"] <= 12000
    assert c["actions"] > 0
    kinds = dict(demo_ws.query("SELECT kind, count(*) FROM responses GROUP BY kind"))
    assert kinds["rnps"] > kinds["tnps"] > 0
    touch = {r[0] for r in demo_ws.query("SELECT DISTINCT touchpoint FROM responses")}
    assert {"relational", "onboarding", "support"} <= touch
    first, last = demo_ws.query("SELECT min(responded_on), max(responded_on) FROM responses")[0]
    assert first[:4] == str(DEMO_AS_OF.year - 3) and last <= DEMO_AS_OF.isoformat()
    distinct = demo_ws.scalar("SELECT count(DISTINCT comment) FROM responses")
    assert distinct > 1000, "comments are varied"


def test_same_seed_same_workspace(tmp_path, demo_file):
    again = demo.build_demo(tmp_path / "again.npsdb", seed=7, as_of=DEMO_AS_OF)
    assert _dump(again) == _dump(demo_file)
    other = demo.build_demo(tmp_path / "other.npsdb", seed=8, as_of=DEMO_AS_OF)
    assert _dump(other) != _dump(demo_file)


def test_loop_history_follows_the_plays(demo_ws):
    """Every recent detractor has a save action from the plays; the team's work is recorded in order."""
    since = (DEMO_AS_OF - timedelta(days=demo.LOOP_HISTORY_DAYS)).isoformat()
    detractors = demo_ws.scalar("SELECT count(*) FROM responses WHERE score <= 6 AND responded_on >= ? AND "
                                "(contact_id IS NOT NULL OR email IS NOT NULL)", (since,))
    saves = demo_ws.scalar("SELECT count(*) FROM actions WHERE play = 'detractor_save'")
    assert 0 < saves <= detractors
    status = dict(demo_ws.query("SELECT status, count(*) FROM actions GROUP BY status"))
    assert status["done"] > status["in_progress"] > 0 and status["open"] > 0
    bad = demo_ws.scalar("SELECT count(*) FROM actions WHERE first_touch_at < created_at OR "
                         "closed_at < first_touch_at OR closed_at > ? OR (status = 'done') <> (closed_at IS NOT NULL)",
                         (f"{DEMO_AS_OF.isoformat()}T23:59:59",))
    assert bad == 0
    assert demo_ws.scalar("SELECT count(*) FROM actions WHERE status = 'done' AND outcome IS NULL") == 0


def test_comments_are_tagged(demo_ws):
    commented = demo_ws.scalar("SELECT count(*) FROM responses WHERE trim(coalesce(comment, '')) <> ''")
    assert demo_ws.scalar("SELECT count(*) FROM responses WHERE sentiment IS NOT NULL") == commented
    assert demo_ws.scalar("SELECT count(DISTINCT response_id) FROM response_themes") > commented // 2


def test_churn_follows_sentiment(demo_ws):
    """Accounts that churned scored lower, in the year before, than accounts that renewed."""
    def mean_before(kind):
        return demo_ws.scalar(
            "SELECT avg(r.score) FROM revenue_events e JOIN responses r ON r.account_id = e.account_id "
            "AND r.responded_on < e.occurred_on AND r.responded_on >= date(e.occurred_on, '-365 days') "
            "WHERE e.kind = ?", (kind,))
    assert mean_before("churn") + 1.0 < mean_before("renewal")
    assert mean_before("upsell") > mean_before("renewal")


def test_churned_accounts_are_marked(demo_ws):
    churned = demo_ws.scalar("SELECT count(*) FROM revenue_events WHERE kind = 'churn'")
    assert churned == demo_ws.scalar("SELECT count(*) FROM accounts WHERE status = 'churned'") > 0
    assert demo_ws.scalar("SELECT count(*) FROM accounts WHERE status = 'churned' AND renewal_date IS NOT NULL") == 0


def test_dashboard_numbers_equal_a_count_by_hand(demo_ws):
    scores = [r[0] for r in demo_ws.query("SELECT score FROM responses")]
    expected = nps.from_scores(scores)
    got = analytics.stats(demo_ws, analytics.Filters())
    assert got["responses"] == len(scores)
    assert got["nps"] == pytest.approx(round(expected.nps, 2))
    assert got["margin95"] == pytest.approx(round(expected.margin95, 2))


def test_cancel_leaves_nothing(tmp_path):
    target = tmp_path / "cancelled.npsdb"
    with pytest.raises(demo.DemoCancelled):
        demo.build_demo(target, as_of=DEMO_AS_OF, cancelled=lambda: True)
    assert not target.exists()
    assert not list(tmp_path.glob("*.building*"))


def test_unknown_size_is_refused(tmp_path):
    with pytest.raises(ValueError, match="small or large"):
        demo.build_demo(tmp_path / "x.npsdb", size="huge")


def test_demo_carries_sent_waves(demo_ws):
    """The relational pulse's last quarterly waves are recorded as sent, so the planner's Response rates tab
    has figures; each answered invitation holds its contact's relational answer of that quarter, sent at most
    days before it, and matching finds nothing more (the demo is consistent with its own rules)."""
    from nps_desktop.core.cadence import waves
    rows = demo_ws.query("SELECT i.wave, i.sent_on, i.status, i.contact_id, r.contact_id AS rc, r.responded_on, "
                         "r.program_id FROM invitations i LEFT JOIN responses r ON r.id = i.response_id")
    by_wave: dict = {}
    for r in rows:
        assert r["sent_on"] <= DEMO_AS_OF.isoformat()
        by_wave.setdefault(r["wave"], []).append(r)
        if r["status"] == "responded":
            assert r["rc"] == r["contact_id"] and r["program_id"] == 1
            assert r["sent_on"] <= r["responded_on"] <= (
                date_of(r["sent_on"]) + timedelta(days=waves.RESPONSE_WINDOW_DAYS)).isoformat()
            assert r["wave"].endswith(quarter_of(r["responded_on"]))
        else:
            assert r["rc"] is None and r["status"] in ("sent", "bounced")
    assert sorted(by_wave) == [f"Quarterly relationship pulse {q}" for q in ("2026Q1", "2026Q2", "2026Q3", "2026Q4")]
    rates = {r.key: r for r in waves.response_rates(demo_ws, "wave")}
    for wave, invited in by_wave.items():
        assert rates[wave].sent == len(invited)
        assert rates[wave].responded == sum(r["status"] == "responded" for r in invited)
        assert 0 < rates[wave].rate < 100
    assert waves.match_responses(demo_ws) == 0


def date_of(text: str):
    from datetime import date
    return date.fromisoformat(text[:10])


def quarter_of(day: str) -> str:
    return f"{day[:4]}Q{(int(day[5:7]) - 1) // 3 + 1}"
