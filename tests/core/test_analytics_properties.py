"""Properties of the analytics over random workspaces: the fast SQL (one-scan cube, per-account scan,
packed counts) agrees with plain joins and with ``nps.account_rollup`` computed in Python."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nps_desktop.core import analytics as A
from nps_desktop.core import nps
from nps_desktop.core.responses import insert_responses

REGIONS = ["EMEA", "APAC", None]
ROLES = ["Admin", "End User", None]
DAYS = [date(2026, 1, 1) + timedelta(days=d) for d in (0, 20, 45, 90, 91, 150, 200)]
TIMES = ["09:00:00", "09:00:00", "17:30:00"]   # repeated: same-time ties happen

response = st.tuples(st.integers(0, 10), st.sampled_from(DAYS), st.sampled_from(TIMES),
                     st.sampled_from(["rnps", "tnps"]), st.sampled_from(["relational", "support", None]),
                     st.integers(0, 6), st.integers(0, 4))
world = st.tuples(
    st.lists(st.tuples(st.sampled_from(REGIONS), st.sampled_from([None, 5000.0, 40000.0, 300000.0])),
             min_size=4, max_size=4),
    st.lists(st.tuples(st.integers(0, 4), st.sampled_from(ROLES)), min_size=6, max_size=6),
    st.lists(response, min_size=0, max_size=40))
filters = st.builds(
    lambda lo, span, region, kind, role: A.Filters(
        None if lo is None else DAYS[lo], None if lo is None else DAYS[lo] + timedelta(days=span),
        {k: v for k, v in {"region": region, "kind": kind, "role": role}.items() if v}),
    st.one_of(st.none(), st.integers(0, 6)), st.integers(0, 120),
    st.sampled_from([(), ("EMEA",), ("APAC", A.BLANK)]), st.sampled_from([(), ("rnps",)]),
    st.sampled_from([(), ("Admin",), (A.BLANK,)]))


def fill(ws, accounts, contacts, rows) -> None:
    with ws.transaction() as conn:
        for table in ("responses", "contacts", "accounts"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany("INSERT INTO accounts(id, name, region, arr) VALUES (?, ?, ?, ?)",
                         [(i + 1, f"A{i + 1}", region, arr) for i, (region, arr) in enumerate(accounts)])
        conn.executemany("INSERT INTO contacts(id, email, account_id, role) VALUES (?, ?, ?, ?)",
                         [(i + 1, f"c{i + 1}@x.io", a or None, role) for i, (a, role) in enumerate(contacts)])
        insert_responses(conn, [
            {"score": s, "responded_at": f"{d.isoformat()}T{t}", "kind": k, "touchpoint": tp,
             "contact_id": c or None,
             "account_id": (contacts[c - 1][0] or None) if c else (a or None)}
            for s, d, t, k, tp, c, a in rows])


def naive_groups(ws, f: A.Filters, by: str) -> dict:
    """The same grouping written the obvious way: joins and a WHERE per filter."""
    clauses, params = [], []
    if f.date_from:
        clauses.append("r.responded_on BETWEEN ? AND ?")
        params += [f.date_from.isoformat(), f.date_to.isoformat()]
    for dim, allowed in f.values.items():
        expr = A.DIMENSIONS[dim]
        named = [v for v in allowed if v != A.BLANK]
        parts = [f"{expr} = ?" for _ in named] + ([f"{expr} IS NULL"] if A.BLANK in allowed else [])
        clauses.append("(" + " OR ".join(parts) + ")")
        params += named
    cond = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = ws.conn.execute(
        f"SELECT {A.DIMENSIONS[by]}, count(*), sum(r.score >= 9), sum(r.score BETWEEN 7 AND 8), "
        f"sum(r.score <= 6) FROM responses r LEFT JOIN accounts a ON a.id = r.account_id "
        f"LEFT JOIN contacts c ON c.id = r.contact_id{cond} GROUP BY 1", params)
    return {r[0]: nps.NpsResult(*r[1:]) for r in rows}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world, filters)
def test_fast_aggregates_equal_plain_joins(ws, data, f):
    fill(ws, *data)
    for by in ("region", "role", "touchpoint", "kind", "arr_band"):
        expected = naive_groups(ws, f, by)
        assert dict(A.groups(ws, f, by)) == expected
    overall = A.overall(ws, f)
    assert sum(A.distribution(ws, f)) == overall.responses
    assert sum(r.responses for _, r in A.trend(ws, f, "month")) == overall.responses
    assert sum(r.promoters for _, r in A.trend(ws, f, "quarter")) == overall.promoters
    s = A.stats(ws, f, by="region", period="month")
    assert (s["responses"], s["promoters"], s["detractors"]) == (
        overall.responses, overall.promoters, overall.detractors)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world, filters)
def test_account_scores_equal_the_python_rollup(ws, data, f):
    fill(ws, *data)
    rows = ws.conn.execute(
        "SELECT r.account_id, coalesce(r.contact_id, -r.id), r.responded_at, r.score FROM responses r "
        "LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN contacts c ON c.id = r.contact_id "
        "WHERE r.id IN (SELECT r.id FROM responses r" + A.where(f)[1] + ") AND r.account_id IS NOT NULL "
        "ORDER BY r.id", A.where(f)[2]).fetchall()
    expected = nps.account_rollup(tuple(r) for r in rows)
    assert A.account_scores(ws, f) == expected
    scores = A.stats(ws, f)["arr_weighted_nps"]
    arr = dict(ws.conn.execute("SELECT id, arr FROM accounts").fetchall())
    weighted = nps.arr_weighted_nps((arr[a], s.category) for a, s in expected.items())
    assert scores == (None if weighted is None else round(weighted, 2))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world, filters.filter(lambda f: f.date_from is not None))
def test_segment_table_compares_with_the_previous_period(ws, data, f):
    fill(ws, *data)
    before = A.previous_period(f, A.fiscal_year_start(ws))
    prev = dict(A.groups(ws, before, "region"))
    for row in A.segment_table(ws, f, "region"):
        assert row.result == dict(A.groups(ws, f, "region"))[row.key]
        assert row.previous == prev.get(row.key)
        assert row.change == (nps.change(prev[row.key], row.result) if row.key in prev else None)


@pytest.mark.parametrize("n", [0, 1, 2_097_151])
def test_packed_counts_round_trip(n):
    packed = n * 1 + n * 2 ** 21 + n * 2 ** 42
    assert A.unpack(packed) == (n, n, n)


def test_same_time_tie_goes_to_the_later_row(ws):
    fill(ws, [("EMEA", 1000.0)] * 4, [(1, "Admin")] * 6,
         [(2, DAYS[0], "09:00:00", "rnps", None, 1, 0), (10, DAYS[0], "09:00:00", "rnps", None, 1, 0),
          (4, DAYS[0], "09:00:00", "rnps", None, 1, 0)])
    s = A.account_scores(ws, A.Filters())[1]
    assert (s.result.responses, s.result.detractors, s.latest_score) == (1, 1, 4)
