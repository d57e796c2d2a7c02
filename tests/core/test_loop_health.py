"""Account health and ARR at risk, hand-computed (today: 2026-11-23)."""
from datetime import date

import pytest

from nps_desktop.core import settings
from nps_desktop.core.loop import health

from .loop_data import account, cli_json, contact, event, respond

TODAY = date(2026, 11, 23)


def save_action(conn, account_id, status="open"):
    conn.execute("INSERT INTO actions(play, account_id, status, created_at) VALUES ('detractor_save', ?, ?, 'x')",
                 (account_id, status))


@pytest.fixture
def w(ws):
    with ws.transaction() as conn:
        # Account 1: NPS over the year 0 (latest 9 and 6); Q2 +100 → Q3 0 (trend −100); two open saves
        # (and one done); a renewal then +10% upsell this year; renews in 90 days.
        account(conn, 1, "Acme", arr=110_000, owner="Ann", renewal="2027-02-21")
        contact(conn, 1, 1)
        contact(conn, 2, 1)
        respond(conn, 1, "2026-05-10", 10)
        respond(conn, 2, "2026-05-10", 10)
        respond(conn, 1, "2026-08-10", 9)
        respond(conn, 2, "2026-08-10", 6)
        save_action(conn, 1)
        save_action(conn, 1, "in_progress")
        save_action(conn, 1, "done")
        event(conn, 1, "renewal", "2026-03-01", 0, 100_000)
        event(conn, 1, "upsell", "2026-06-01", 10_000, 100_000)
        event(conn, 1, "upsell", "2025-06-01", 50_000, 50_000)       # more than a year ago: not counted
        # Account 2: nothing known but its (zero) open saves: health unknown
        account(conn, 2, "Blank", arr=5_000)
        # Account 3: churned: left out unless asked for
        account(conn, 3, "Gone", status="churned")
    return ws


def test_hand_computed_health(w):
    acme = health.account_health(w, TODAY, [1])[0]
    # parts: NPS 0 → 50; trend −100 → 0; 2 open saves → 33.3; revenue 60 + 200·10k/100k = 80; 90 days → 50
    assert [(p.name, round(p.score, 2)) for p in acme.parts] == [
        ("nps", 50.0), ("trend", 0.0), ("open_saves", 33.33), ("revenue", 80.0), ("renewal", 50.0)]
    # 0.35·50 + 0.2·0 + 0.15·33.33 + 0.15·80 + 0.15·50 = 17.5 + 0 + 5 + 12 + 7.5 = 42
    assert acme.score == 42
    assert acme.explanation == (
        "Acme: health 42/100 = 35% × NPS 50 (NPS +0 from 2 contacts) + 20% × NPS trend 0 (-100 points, "
        "2026Q2 → 2026Q3) + 15% × Open save actions 33 (2 open) + 15% × Revenue events 80 (renewal, upsell; "
        "ARR +10,000 (+10%) in the last 365 days) + 15% × Renewal proximity 50 (renews in 90 days).")


def test_weights_are_settings_and_unknown_parts_are_left_out(w):
    with w.transaction():
        settings.set_value(w, "loop.health_weights", {"nps": 1, "trend": 0, "open_saves": 0, "revenue": 1,
                                                 "renewal": 0})
        with pytest.raises(ValueError, match="unknown health component 'mood'"):
            settings.set_value(w, "loop.health_weights", {"mood": 1})
    acme = health.account_health(w, TODAY, [1])[0]
    assert acme.score == 65 and [(p.name, p.weight) for p in acme.parts] == [("nps", 0.5), ("revenue", 0.5)]


def test_unknown_and_churned(w):
    by_id = {h.account_id: h for h in health.account_health(w, TODAY)}
    assert set(by_id) == {1, 2}
    assert by_id[2].score is None and by_id[2].explanation == "Blank: nothing known yet."
    assert 3 in {h.account_id for h in health.account_health(w, TODAY, include_churned=True)}


@pytest.fixture
def risky(ws):
    with ws.transaction() as conn:
        rows = [  # id, arr, renewal, status, Q2 scores, Q3 scores
            (1, 50_000, "2026-12-23", "active", [], [4, 4]),           # detractor, renews in 30 days
            (2, 300_000, "2027-04-22", "active", [10, 10], [8, 8]),    # passive but fell 100, renews in 150 days
            (3, 900_000, "2026-12-13", "active", [9], [10]),          # promoter, steady
            (4, 70_000, "2027-06-11", "active", [], [2]),              # detractor, renews in 200 days
            (5, 80_000, "2026-12-13", "churned", [], [2]),             # churned
            (6, 90_000, "2026-11-22", "active", [], [2]),              # renewal date passed
            (7, 500_000, "2026-12-20", "active", [], [3]),             # detractor, but one contact only
            (8, 600_000, "2026-12-20", "active", [10, 10], [9, 8]),    # fell 50 points, still a promoter
        ]
        for a, arr, renewal, status, q2, q3 in rows:
            account(conn, a, f"R{a}", arr=arr, owner="Ann", renewal=renewal, status=status)
            for k, (s2, s3) in enumerate(zip(q2 or [None] * len(q3), q3)):
                contact(conn, a * 10 + k, a)
                if s2 is not None:
                    respond(conn, a * 10 + k, "2026-05-10", s2)
                respond(conn, a * 10 + k, "2026-08-10", s3)
    return ws


def test_arr_at_risk(risky):
    within90 = health.arr_at_risk(risky, 90, TODAY)
    within180 = health.arr_at_risk(risky, 180, TODAY)
    assert [r.account_id for r in within90] == [1]
    assert [r.account_id for r in within180] == [2, 1]                 # largest ARR first
    assert (health.arr_at_risk_total(within90), health.arr_at_risk_total(within180)) == (50_000, 350_000)
    assert within180[0].why == ("R2 renews in 150 days: a passive account (NPS +0, 2 responding contacts) whose "
                                "NPS fell 100 points, +100 in 2026Q2 (2 contacts) → +0 in 2026Q3 (2 contacts).")
    assert within90[0].why == ("R1 renews in 30 days: a detractor account (mean score 4.0, NPS -100, "
                               "2 responding contacts).")
    assert within90[0].contacts == 2
    # with a minimum of one responding contact, R7 (one detractor) counts; R8 (a promoter) never does
    # the default horizon is the loop.risk_renewal_days setting (120 days)
    assert [r.account_id for r in health.arr_at_risk(risky, today=TODAY)] == [1]
    settings.set_value(risky, "at_risk_min_contacts", 1)
    assert [r.account_id for r in health.arr_at_risk(risky, 90, TODAY)] == [7, 1]


def test_cli_health(risky):
    path = str(risky.path)
    risky.close()
    doc = cli_json("health", "--as-of", "2026-11-23", "--renewal-days", "180", "--workspace", path)
    assert [r["account_id"] for r in doc["priority"]] == [2, 1] and doc["arr_at_risk"] == 350_000
    assert {a["account_id"] for a in doc["accounts"]} == {1, 2, 3, 4, 6, 7, 8}
