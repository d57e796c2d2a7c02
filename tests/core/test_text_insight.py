"""Theme insight on a hand-worked workspace: matrix, impact, trend, verbatims, at-risk passives, CLI."""
from __future__ import annotations

import json
from datetime import date

import pytest

from nps_desktop.cli import main
from nps_desktop.core.analytics import Filters
from nps_desktop.core.responses import insert_responses
from nps_desktop.core.text import insight, tagging

# (score, comment, date): 2 promoters, 3 passives, 3 detractors -> NPS = 100 * (2 - 3) / 8 = -12.5
ROWS = [
    (10, "Support is fantastic", "2026-01-10"),            # support
    (9, "Great support and easy to use", "2026-01-15"),    # support, ease_of_use
    (8, "Too expensive", "2026-02-01"),                    # pricing (an at-risk passive)
    (7, "", "2026-02-03"),                                 # no comment
    (7, "It's fine", "2026-04-02"),                        # nothing
    (3, "Support never answers and it is too expensive", "2026-04-05"),  # support, pricing
    (0, "Crashes every day", "2026-04-06"),                # reliability
    (5, "Too expensive for what it does", "2026-05-01"),   # pricing
]


@pytest.fixture
def tagged(ws):
    with ws.transaction() as conn:
        insert_responses(conn, [{"score": s, "comment": c, "responded_at": d} for s, c, d in ROWS])
        tagging.tag_responses(ws, [r[0] for r in conn.execute("SELECT id FROM responses")])
    return ws


def test_tags_are_as_hand_worked(tagged):
    got = {(r[0], r[1]) for r in tagged.query("SELECT response_id, theme FROM response_themes")}
    assert got == {(1, "support"), (2, "support"), (2, "ease_of_use"), (3, "pricing"), (6, "support"),
                   (6, "pricing"), (7, "reliability"), (8, "pricing")}


def test_matrix_nps_and_impact(tagged):
    report = insight.theme_report(tagged)
    assert report.overall.nps == pytest.approx(-12.5)
    assert report.comments == {"promoter": 2, "passive": 2, "detractor": 3}
    by = {t.name: t for t in report.themes}
    # support: r1, r2 (promoters), r6 (detractor): NPS 100*(2-1)/3; without it 5 responses, 0 P, 2 D.
    assert by["support"].result.nps == pytest.approx(100 / 3)
    assert by["support"].impact == pytest.approx(-40 - -12.5)
    assert by["support"].shares == {"detractor": pytest.approx(1 / 3), "passive": 0, "promoter": 1}
    assert (by["support"].complaints, by["support"].praise) == (1, 2)
    # pricing: r3 (passive), r6, r8 (detractors); without it 5 responses, 2 P, 1 D: NPS 20.
    assert by["pricing"].impact == pytest.approx(20 - -12.5)
    assert by["pricing"].shares == {"detractor": pytest.approx(2 / 3), "passive": 0.5, "promoter": 0}
    # reliability: r7; without it 7 responses, 2 P, 2 D: NPS 0.
    assert by["reliability"].impact == pytest.approx(12.5)
    # a theme nobody mentions is listed with zeros and no impact on NPS
    assert by["mobile"].mentions == 0 and by["mobile"].impact == pytest.approx(0)
    assert report.themes[0].name in ("pricing", "support")  # most mentioned first (3 each)


def test_filters_scope_everything(tagged):
    report = insight.theme_report(tagged, Filters(date(2026, 4, 1), None))
    assert report.overall.responses == 4 and report.overall.nps == pytest.approx(-75)
    by = {t.name: t for t in report.themes}
    assert by["support"].mentions == 1 and by["pricing"].mentions == 2
    # without pricing: r5 (passive), r7 (detractor): NPS -50
    assert by["pricing"].impact == pytest.approx(-50 - -75)


def test_sentiment_summary(tagged):
    s = insight.sentiment_summary(tagged)
    # r1, r2 positive; r3, r6, r7, r8 negative; r5 ("It's fine") neutral; r4 blank is no comment
    assert (s["comments"], s["tagged"], s["positive"], s["negative"]) == (7, 6, 2, 4)
    expected = sum(v for (v,) in tagged.query("SELECT sentiment FROM responses WHERE sentiment IS NOT NULL")) / 7
    assert s["mean"] == pytest.approx(expected, abs=1e-3)


def test_top_themes(tagged):
    report = insight.theme_report(tagged)
    names = [t.name for t in insight.top_themes(report, category="detractor", n=3)]
    assert names == ["pricing", "reliability", "support"]  # 2/3, then 1/3 each (by name)
    assert [t.name for t in insight.top_themes(report, category="promoter", n=5)] == ["support", "ease_of_use"]


def test_trend(tagged):
    trend = insight.theme_trend(tagged, period="quarter")
    assert [p["period"] for p in trend] == ["2026Q1", "2026Q2"]
    q1, q2 = trend
    assert q1["comments"] == 3 and q2["comments"] == 4
    assert q1["themes"]["support"] == {"mentions": 2, "share": pytest.approx(2 / 3, abs=1e-4), "nps": 100.0}
    assert q2["themes"]["pricing"]["share"] == 0.5
    only = insight.theme_trend(tagged, period="month", themes=["reliability"])
    assert [(p["period"], list(p["themes"])) for p in only if p["themes"]] == [("2026-04", ["reliability"])]
    with pytest.raises(ValueError, match="unknown period"):
        insight.theme_trend(tagged, period="week")


def test_verbatims_with_highlights(tagged):
    rows = insight.verbatims(tagged, "support")
    assert [v.response_id for v in rows] == [6, 2, 1]  # newest first
    r1 = rows[-1]
    assert [r1.comment[s:e] for s, e in r1.spans] == ["Support"]
    assert [v.response_id for v in insight.verbatims(tagged, "support", category="detractor")] == [6]
    assert [v.response_id for v in insight.verbatims(tagged, "support", polarity=1)] == [2, 1]
    assert [v.response_id for v in insight.verbatims(tagged, "support", limit=1, offset=1)] == [2]


def test_at_risk_passives(tagged):
    risky = insight.at_risk_passives(tagged)
    assert [(r.response_id, r.complaints) for r in risky] == [(3, ("pricing",))]
    assert insight.at_risk_count(tagged) == 1


def test_themes_column_for_export(tagged):
    rows = tagged.query(f"SELECT r.id, {insight.THEMES_SQL} FROM responses r ORDER BY r.id")
    assert rows[1][1] == "ease_of_use;support" and rows[3][1] is None
    assert insight.response_themes(tagged, [6, 4])[6] == [("pricing", -1, "too expensive"),
                                                          ("support", -1, "support, answers")]


def test_cli_themes_json(tagged, capsys):
    assert main(["themes", "--workspace", str(tagged.path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    pricing = next(t for t in doc["themes"] if t["name"] == "pricing")
    assert (pricing["count"], pricing["impact"], pricing["nps"]) == (3, 32.5, -66.67)
    assert pricing["detractor_share"] == 0.6667
    assert doc["responses"] == 8 and doc["comments"] == 7


def test_cli_themes_retag_and_text(tagged, capsys):
    assert main(["themes", "--workspace", str(tagged.path), "--retag", "--from", "2026-04-01"]) == 0
    out = capsys.readouterr().out
    assert "Tagged 8 responses" in out and "Pricing" in out and "4 responses" in out
