"""Risk and opportunity signals on hand-built accounts (today: 2026-11-23), each with its reason."""
import sqlite3
from pathlib import Path
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nps_desktop.core import nps, periods, schema
from nps_desktop.core import settings
from nps_desktop.core.loop import signals
from nps_desktop.core.workspace import Workspace

from .loop_data import account, cli_json, contact, respond

TODAY = date(2026, 11, 23)


def build(conn):
    # 1 Falling: 2026Q2 scores 9 9 8 8 8 (NPS +40) → 2026Q3 9 8 8 8 8 (+20): fell exactly 20
    account(conn, 1, "Falling")
    for i, (q2, q3) in enumerate([(9, 9), (9, 8), (8, 8), (8, 8), (8, 8)]):
        contact(conn, 10 + i, 1)
        respond(conn, 10 + i, "2026-05-10", q2)
        respond(conn, 10 + i, "2026-08-10", q3)
    # 2 Steady: +40 → +25 (fell 15); contact 20's latest Q3 answer (9, after a 2) is the one that counts
    account(conn, 2, "Steady")
    for i, (q2, q3) in enumerate([(9, 9), (9, 8), (8, 8), (8, 8), (8, None)]):
        contact(conn, 20 + i, 2)
        respond(conn, 20 + i, "2026-05-10", q2)
        if q3 is not None:
            respond(conn, 20 + i, "2026-08-15", q3)
    respond(conn, 20, "2026-08-01", 2)
    # 3 contact drops within one quarter: 9 → 6 (down 3) fires, 9 → 7 (down 2) does not
    account(conn, 3, "Drops")
    for c, (a, b) in {30: (9, 6), 31: (9, 7)}.items():
        contact(conn, c, 3)
        respond(conn, c, "2026-10-05", a)
        respond(conn, c, "2026-11-01", b)
    # 4 silent detractors: 40 ignored two invitations; 41's second is too recent; 42 answered one
    account(conn, 4, "Quiet")
    for c, invitations in {40: [("2026-08-01", "sent"), ("2026-10-01T09:30:00", "sent")],
                           41: [("2026-08-01", "sent"), ("2026-11-15", "sent")],
                           42: [("2026-08-01", "sent"), ("2026-09-01", "responded")]}.items():
        contact(conn, c, 4)
        respond(conn, c, "2026-06-01", 4)
        for sent_on, status in invitations:
            conn.execute("INSERT INTO invitations(contact_id, sent_on, status) VALUES (?, ?, ?)", (c, sent_on, status))
    # 5 passives: negative comment fires; no sentiment yet, or a positive one, does not
    account(conn, 5, "Mixed")
    for c, sentiment in {50: -0.4, 51: None, 52: 0.2}.items():
        contact(conn, c, 5)
        respond(conn, c, "2026-11-01", 7, comment="Works fine, but   integration issues remain unresolved.",
                sentiment=sentiment)
    # 6–8 promoters: renewal in 60 days with 4 of 4 seats used fires; 2 of 10 seats, or a renewal in
    # 200 days, do not
    for a, renewal, seats, people in [(6, "2027-01-22", 4, 4), (7, "2027-01-22", 10, 2), (8, "2027-06-11", 2, 2)]:
        account(conn, a, f"Promo {a}", arr=10_000, renewal=renewal, seats=seats)
        for k in range(people):
            contact(conn, a * 10 + k, a)
        respond(conn, a * 10, "2026-11-01", 10)
    # 9 an old drop (2024) is not raised
    account(conn, 9, "Old")
    contact(conn, 90, 9)
    respond(conn, 90, "2024-01-10", 9)
    respond(conn, 90, "2024-03-10", 2)


@pytest.fixture
def w(ws):
    with ws.transaction() as conn:
        build(conn)
    return ws


def test_exactly_the_promised_signals(w):
    found = signals.signals(w, TODAY)
    assert sorted((s.kind, s.account_id, s.contact_id) for s in found) == sorted([
        ("account_nps_drop", 1, None),
        ("contact_score_drop", 3, 30),
        ("silent_detractor", 4, 40),
        ("at_risk_passive", 5, 50),
        ("expansion_promoter", 6, 60),
    ])
    assert [s.risk for s in found] == [True, True, True, True, False]   # risks first


def test_each_says_why(w):
    why = {s.kind: s.why for s in signals.signals(w, TODAY)}
    assert why["account_nps_drop"] == ("Falling: account NPS fell 20 points, from +40 in 2026Q2 (5 contacts) "
                                       "to +20 in 2026Q3 (5 contacts).")
    assert why["contact_score_drop"] == "c30@example.com (Drops) scored 9 on 2026-10-05, then 6 on 2026-11-01: down 3."
    assert why["silent_detractor"] == ("c40@example.com (Quiet) scored 4 on 2026-06-01 and has not answered the 2 "
                                       "invitations sent since (2026-08-01, 2026-10-01).")
    assert why["at_risk_passive"] == ("c50@example.com (Mixed) scored 7 on 2026-11-01 with a negative comment: "
                                      "“Works fine, but integration issues remain unresolved.”.")
    assert why["expansion_promoter"] == ("c60@example.com (Promo 6) scored 10 on 2026-11-01; Promo 6 renews on "
                                         "2027-01-22 (in 60 days) and uses 4 of its 4 seats: room to expand.")


def test_thresholds_are_settings(w):
    with w.transaction():
        settings.set_value(w, "loop.drop_points", 15)
        settings.set_value(w, "loop.contact_drop", 2)
    found = {(s.kind, s.account_id, s.contact_id) for s in signals.signals(w, TODAY)}
    assert ("account_nps_drop", 2, None) in found and ("contact_score_drop", 3, 31) in found


def test_account_periods_use_each_contacts_latest_answer(w):
    steady = signals.account_periods(w, TODAY)[2]
    assert [(p.period, p.result.responses, p.result.nps) for p in steady] == [("2026Q2", 5, 40.0),
                                                                            ("2026Q3", 4, 25.0)]
    # as of a day before the Q3 answers, nothing of Q3 is known
    assert [p.period for p in signals.account_periods(w, date(2026, 7, 31))[2]] == ["2026Q2"]


def test_fiscal_quarters(w):
    with w.transaction() as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES ('fiscal_year_start_month', '2')")
    # Feb-start fiscal year: May is FY2027 Q2 (May–Jul), August is Q3 (Aug–Oct)
    assert [p.period for p in signals.account_periods(w, TODAY)[1]] == ["2027Q2", "2027Q3"]


def test_cli_signals(w):
    path = str(w.path)
    w.close()
    [s] = cli_json("signals", "--as-of", "2026-11-23", "--kind", "silent_detractor", "--workspace", path)["signals"]
    assert (s["kind"], s["contact_id"], s["risk"], s["title"]) == ("silent_detractor", 40, True, "Silent detractor")


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.integers(1, 12))
def test_quarter_sql_equals_quarter_key(day, fy_start):
    conn = sqlite3.connect(":memory:")
    sql = f"SELECT {signals.quarter_sql(fy_start)} FROM (SELECT ? AS responded_on) r"
    assert conn.execute(sql, (day.isoformat(),)).fetchone()[0] == periods.quarter_key(day, fy_start)


def memory_conn() -> sqlite3.Connection:
    """An empty workspace schema in memory (cheap enough for every hypothesis example)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    for migration in schema.MIGRATIONS:
        migration(conn)
    return conn


@given(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 6), st.integers(0, 40), st.integers(0, 10)),
                max_size=40))
def test_sql_rollup_equals_the_design_rollup(rows):
    """The SQL rollup against nps.account_rollup (DESIGN.md's definition, in Python) on random answers."""
    conn = memory_conn()
    for a in (1, 2, 3):
        account(conn, a)
    for c in range(1, 6):
        contact(conn, c, None)
    for i, (a, c, day, score) in enumerate(rows):   # contact 6 stands for "no contact"; times all differ
        respond(conn, None if c == 6 else c, (date(2026, 1, 1) + timedelta(days=day)).isoformat(), score,
                account_id=a, time=f"{10 + c}:{i:02d}:00")
    got = signals.account_rollup(Workspace(Path(':memory:'), conn), date(2026, 1, 5), date(2026, 2, 1))
    raw = conn.execute("SELECT account_id, coalesce(contact_id, -id), responded_at, score FROM responses "
                       "WHERE responded_on BETWEEN '2026-01-05' AND '2026-02-01' ORDER BY id").fetchall()
    want = nps.account_rollup((r[0], r[1], r[2], r[3]) for r in raw)
    assert set(got) == set(want)
    for a, s in want.items():
        assert (got[a].result, got[a].mean_score, got[a].category, got[a].latest_on) == \
            (s.result, s.mean_score, s.category, s.latest_on)


@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 1500), st.integers(0, 10)), max_size=40))
def test_latest_periods_equal_the_full_history_at_the_end(rows):
    """Reading only the last year (plus the sparse accounts' history) loses none of the latest two periods."""
    conn = memory_conn()
    for a in (1, 2, 3, 4):
        account(conn, a)
    for i, (a, back, score) in enumerate(rows):
        respond(conn, None, (TODAY - timedelta(days=back)).isoformat(), score, account_id=a, email=None,
                time=f"10:{i:02d}:00")
    ws = Workspace(Path(':memory:'), conn)
    full, fast = signals.account_periods(ws, TODAY), signals.latest_periods(ws, TODAY)
    assert set(full) == set(fast)
    for a in full:
        assert full[a][-2:] == fast[a][-2:]
