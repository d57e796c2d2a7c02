"""Analytics against the hand-worked fixture (tests/core/analytics_fixture.py): every expected number
below is counted by hand from the fixture's table."""
from __future__ import annotations

import math
from datetime import date

import pytest

from nps_desktop.core import analytics as A
from nps_desktop.core import nps

from .analytics_fixture import build


@pytest.fixture
def fx(ws):
    build(ws)
    return ws


def counts(r: nps.NpsResult) -> tuple[int, int, int, int]:
    return r.responses, r.promoters, r.passives, r.detractors


def test_overall_distribution_and_margin(fx):
    r = A.overall(fx, A.Filters())
    # promoters 10, 9, 9, 10 · passives 8, 7 · detractors 6, 3, 0
    assert counts(r) == (9, 4, 2, 3)
    assert r.nps == pytest.approx(100 / 9)
    # p = 4/9, d = 3/9: p + d − (p − d)² = 7/9 − 1/81 = 62/81
    assert r.margin95 == pytest.approx(1.96 * 100 * math.sqrt(62 / 81 / 9))
    assert A.distribution(fx, A.Filters()) == [1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 2]
    assert A.mapped_share(fx, A.Filters()) == pytest.approx(8 / 9)


def test_trend_by_quarter_and_month(fx):
    q = A.trend(fx, A.Filters(), "quarter")
    assert [(k, counts(r)) for k, r in q] == [("2026Q1", (4, 2, 1, 1)), ("2026Q2", (5, 2, 1, 2))]
    # Q1: 10, 6, 8, 9 → 100·(2 − 1)/4 = 25; Q2: 3, 9, 7, 0, 10 → 100·(2 − 2)/5 = 0
    assert [r.nps for _, r in q] == [pytest.approx(25.0), 0.0]
    m = A.trend(fx, A.Filters(), "month")
    assert [(k, r.responses, r.nps) for k, r in m] == [
        ("2026-01", 2, 0.0), ("2026-02", 1, 0.0), ("2026-03", 1, 100.0), ("2026-04", 2, 0.0),
        ("2026-05", 1, 0.0), ("2026-06", 2, 0.0)]


def test_fiscal_quarters(fx):
    fx.set_setting("fiscal_year_start_month", 2)
    # FY2026 Q4 = Nov 2025 – Jan 2026; FY2027 Q1 = Feb – Apr 2026; Q2 = May – Jul 2026.
    q = A.trend(fx, A.Filters(), "quarter")
    assert [(k, r.responses) for k, r in q] == [("2026Q4", 2), ("2027Q1", 4), ("2027Q2", 3)]


@pytest.mark.parametrize("by, expected", [
    ("region", {"EMEA": (6, 3, 1, 2), "North America": (2, 1, 1, 0), None: (1, 0, 0, 1)}),
    ("role", {"Admin": (5, 4, 1, 0), "End User": (2, 0, 0, 2), "Champion": (1, 0, 1, 0), None: (1, 0, 0, 1)}),
    ("touchpoint", {"relational": (7, 3, 2, 2), "support": (2, 1, 0, 1)}),
    ("arr_band", {"100k-250k": (5, 3, 0, 2), "<10k": (2, 1, 1, 0), "50k-100k": (1, 0, 1, 0), None: (1, 0, 0, 1)}),
    ("kind", {"rnps": (7, 3, 2, 2), "tnps": (2, 1, 0, 1)}),
    ("owner", {"Olu": (6, 3, 1, 2), "Kim": (2, 1, 1, 0), None: (1, 0, 0, 1)}),
])
def test_groups(fx, by, expected):
    got = A.groups(fx, A.Filters(), by)
    assert {k: counts(r) for k, r in got} == expected
    assert [r.responses for _, r in got] == sorted((r.responses for _, r in got), reverse=True)


@pytest.mark.parametrize("values, n", [
    ({"region": ("EMEA",)}, 6), ({"region": ("EMEA", "North America")}, 8),
    ({"region": (A.BLANK,)}, 1), ({"region": ("EMEA", A.BLANK)}, 7),
    ({"role": ("Admin",)}, 5), ({"role": (A.BLANK,)}, 1), ({"arr_band": ("<10k",)}, 2),
    ({"kind": ("tnps",)}, 2), ({"touchpoint": ("support",), "region": ("EMEA",)}, 2),
    ({"tier": ("Enterprise", "SMB")}, 7), ({"lifecycle_stage": ("renewal",)}, 1),
    ({"owner": ("Kim",)}, 2), ({"account": ("Cora",)}, 1), ({"industry": ("Software",)}, 6),
])
def test_filters(fx, values, n):
    assert A.overall(fx, A.Filters(values=values)).responses == n
    assert sum(A.distribution(fx, A.Filters(values=values))) == n


def test_date_range_is_inclusive(fx):
    f = A.Filters(date(2026, 1, 12), date(2026, 4, 2))
    assert A.overall(fx, f).responses == 4  # responses 2, 3, 4, 5


def test_unknown_field_is_refused(fx):
    with pytest.raises(ValueError, match="unknown field 'colour'"):
        A.overall(fx, A.Filters(values={"colour": ("red",)}))


def test_account_rollup_is_true_nps_of_latest_per_contact(fx):
    s = A.account_scores(fx, A.Filters())
    # Acme: Ann's latest is 10 (30 Jun), Ben's latest is 3 → NPS 0, mean 6.5 → rounds half up to 7: passive
    assert counts(s[1].result) == (2, 1, 0, 1) and s[1].nps == 0.0
    assert s[1].mean_score == 6.5 and s[1].category == "passive"
    assert (s[1].latest_score, s[1].latest_on) == (10, "2026-06-30")
    assert counts(s[2].result) == (1, 1, 0, 0) and s[2].category == "promoter"      # Bolt: Cat's 9
    assert counts(s[3].result) == (1, 0, 1, 0) and s[3].category == "passive"       # Cora: Dan's 7
    # ARR-weighted: Acme 0 × 120k, Bolt +1 × 8k, Cora 0 × 60k → 100 · 8k / 188k
    assert A.arr_weighted(fx, A.Filters()) == pytest.approx(100 * 8000 / 188000)
    # In Q1 only: Acme's contacts Ann (9, 15 Mar) and Ben (6) → mean 7.5 → 8: passive; NPS 0
    q1 = A.account_scores(fx, A.Filters(date(2026, 1, 1), date(2026, 3, 31)))
    assert counts(q1[1].result) == (2, 1, 0, 1) and q1[1].mean_score == 7.5 and 3 not in q1


def test_previous_period_and_change(fx):
    f = A.Filters(date(2026, 4, 1), date(2026, 6, 30))   # 91 days
    prev = A.previous_period(f)
    assert (prev.date_from, prev.date_to) == (date(2025, 12, 31), date(2026, 3, 31))
    s = A.stats(fx, f, by="region")
    assert (s["responses"], s["nps"]) == (5, 0.0)
    assert (s["previous"]["responses"], s["previous"]["nps"]) == (4, 25.0)
    expected = nps.change(nps.from_counts(2, 1, 1), nps.from_counts(2, 1, 2))
    assert s["change"]["delta"] == -25.0 and s["change"]["significant"] is False
    assert s["change"]["threshold"] == pytest.approx(round(expected.threshold, 2))
    groups = {g["key"]: g for g in s["groups"]}
    # EMEA now 3, 7, 10 → 0; before 10, 6, 9 → 33.33. North America now 9 → 100; before 8 → 0.
    assert (groups["EMEA"]["nps"], groups["EMEA"]["previous_nps"]) == (0.0, 33.33)
    assert groups["EMEA"]["change"]["delta"] == -33.33
    assert (groups["North America"]["nps"], groups["North America"]["previous_nps"]) == (100.0, 0.0)
    assert groups[None]["previous_nps"] is None and groups[None]["change"] is None
    assert all(g["small_sample"] for g in s["groups"])


def test_stats_keeps_its_keys_and_adds_the_dashboards(fx):
    s = A.stats(fx, A.Filters(), by="touchpoint", period="quarter")
    for key in ("responses", "promoters", "passives", "detractors", "nps", "margin95", "small_sample",
                "arr_weighted_nps", "mapped_share", "from", "to", "groups", "trend", "by", "period"):
        assert key in s
    assert s["distribution"] == [1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 2]
    assert s["shares"] == {"promoters": round(4 / 9, 4), "passives": round(2 / 9, 4),
                           "detractors": round(3 / 9, 4)}
    assert s["previous"] is None and s["change"] is None          # all time has no previous period
    assert [(t["period"], t["from"], t["to"]) for t in s["trend"]] == [
        ("2026Q1", "2026-01-01", "2026-03-31"), ("2026Q2", "2026-04-01", "2026-06-30")]


@pytest.mark.parametrize("preset, fy, start, end", [
    ("last_30_days", 1, date(2026, 10, 25), date(2026, 11, 23)),   # 7 days of October + 23 of November
    ("last_60_days", 1, date(2026, 9, 25), date(2026, 11, 23)),    # 6 + 31 + 23
    ("last_90_days", 1, date(2026, 8, 26), date(2026, 11, 23)),
    ("last_180_days", 1, date(2026, 5, 28), date(2026, 11, 23)),   # 4 + 30 + 31 + 31 + 30 + 31 + 23
    ("this_quarter", 1, date(2026, 10, 1), date(2026, 11, 23)),
    ("last_quarter", 1, date(2026, 7, 1), date(2026, 9, 30)),
    ("year_to_date", 1, date(2026, 1, 1), date(2026, 11, 23)),
    ("last_12_months", 1, date(2025, 11, 24), date(2026, 11, 23)),
    ("all_time", 1, None, None),
    ("this_quarter", 2, date(2026, 11, 1), date(2026, 11, 23)),   # FY2027 Q4 = Nov – Jan
    ("last_quarter", 2, date(2026, 8, 1), date(2026, 10, 31)),
    ("year_to_date", 2, date(2026, 2, 1), date(2026, 11, 23)),
])
def test_presets(preset, fy, start, end):
    assert A.preset_range(preset, date(2026, 11, 23), fy) == (start, end)


def test_last_12_months_on_a_leap_day():
    assert A.preset_range("last_12_months", date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))


def test_stats_resolves_a_preset_on_the_given_day(fx):
    s = A.stats(fx, A.Filters(preset="last_quarter"), today=date(2026, 5, 10))
    assert (s["from"], s["to"], s["responses"], s["preset"]) == ("2026-01-01", "2026-03-31", 4, "last_quarter")
    # a whole quarter is compared with the quarter before (92 days), not the 90 days before it
    assert (s["previous"]["from"], s["previous"]["to"]) == ("2025-10-01", "2025-12-31")
    assert s["previous"]["label"] == "2025 Q4" and s["previous"]["responses"] == 0


def test_segments_save_list_load_delete(fx):
    f = A.Filters(values={"region": ("EMEA",), "kind": ("rnps",)}, preset="last_90_days")
    A.save_segment(fx, "  EMEA   pulse ", f)
    assert A.segment_names(fx) == ["EMEA pulse"]
    loaded = A.load_segment(fx, "EMEA pulse")
    assert loaded == f and loaded.date_from is None          # the preset stays relative
    with pytest.raises(ValueError, match="already exists"):
        A.save_segment(fx, "EMEA pulse", A.Filters())
    A.save_segment(fx, "EMEA pulse", A.Filters(values={"tier": ("SMB",)}), replace_existing=True)
    assert A.load_segment(fx, "EMEA pulse").values == {"tier": ("SMB",)}
    with pytest.raises(ValueError, match="no saved segment named 'nope'; saved segments: EMEA pulse"):
        A.load_segment(fx, "nope")
    A.delete_segment(fx, "EMEA pulse")
    assert A.list_segments(fx) == []
    with pytest.raises(ValueError, match="none is saved yet"):
        A.delete_segment(fx, "EMEA pulse")
    with pytest.raises(ValueError, match="needs a name"):
        A.save_segment(fx, "   ", f)


def test_filters_json_round_trip_and_description():
    f = A.Filters(date(2026, 1, 1), date(2026, 3, 31), {"kind": ("rnps", "tnps"), "arr_band": ("<10k",)})
    assert A.Filters.from_json(f.to_json()) == f
    assert f.describe() == "2026-01-01 – 2026-03-31 · ARR band: <10k · Program kind: rNPS, tNPS"
    old = '{"date_from": null, "date_to": null, "values": {"region": ["EMEA"]}}'   # before presets
    assert A.Filters.from_json(old) == A.Filters(values={"region": ("EMEA",)})
    assert A.Filters(preset="this_quarter").with_dates(date(2026, 1, 1), None).preset is None


def test_dimension_values(fx):
    assert A.dimension_values(fx, "region") == ["EMEA", "North America"]
    assert A.dimension_values(fx, "touchpoint") == ["relational", "support"]
    assert A.dimension_values(fx, "role") == ["Admin", "Champion", "End User"]
    assert A.dimension_values(fx, "arr_band") == list(A.ARR_BANDS)


def test_trend_periods_reach_back_from_the_scope_and_list_empty_months(fx):
    s = A.stats(fx, A.Filters(date(2026, 5, 1), date(2026, 6, 30)), period="month", trend_periods=4)
    assert [(t["period"], t["responses"], t["nps"]) for t in s["trend"]] == [
        ("2026-03", 1, 100.0), ("2026-04", 2, 0.0), ("2026-05", 1, 0.0), ("2026-06", 2, 0.0)]
    assert s["responses"] == 3                                     # the KPIs keep to the scope
    s = A.stats(fx, A.Filters(date(2025, 11, 1), date(2026, 2, 28)), period="month")
    assert [(t["period"], t["responses"], t["nps"]) for t in s["trend"]] == [
        ("2025-11", 0, None), ("2025-12", 0, None), ("2026-01", 2, 0.0), ("2026-02", 1, 0.0)]
    s = A.stats(fx, A.Filters(date(2026, 4, 1), date(2026, 6, 30)), period="quarter", trend_periods=3)
    assert [t["period"] for t in s["trend"]] == ["2025Q4", "2026Q1", "2026Q2"]
