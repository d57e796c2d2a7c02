"""Every figure in the pack equals what the app's commands print for the same quarter and segment
(``stats --json``, ``revenue --json``, ``themes --json``, ``actions --metrics --json``), and a
hand-built workspace gives the hand-worked figures."""
from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from datetime import date

import pytest

from nps_desktop.cli import main
from nps_desktop.core import analytics, settings
from nps_desktop.core.loop import health
from nps_desktop.core.reporting import data, summary
from nps_desktop.core.reporting import formats as f
from nps_desktop.core.text import tagging
from nps_desktop.core.workspace import open_workspace
from tests.conftest import DEMO_AS_OF

from . import report_data

Q3 = ("2026-07-01", "2026-09-30")
TODAY = DEMO_AS_OF


@pytest.fixture(scope="module")
def demo(demo_file, tmp_path_factory):
    """The demo with its comments tagged and a saved segment."""
    path = tmp_path_factory.mktemp("report") / "demo.npsdb"
    shutil.copy(demo_file, path)
    with open_workspace(path) as ws:
        tagging.retag_all(ws)
        analytics.save_segment(ws, "EMEA enterprise", analytics.Filters(
            values={"region": ("EMEA",), "tier": ("Enterprise",)}))
    return path


def cli(capsys, *argv) -> dict:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def packs(demo, tmp_path_factory):
    """The pack's figures for all responses and for the saved segment, through ``report --json``."""
    out = tmp_path_factory.mktemp("packs")
    docs = {}
    for segment in (None, "EMEA enterprise"):
        pdf = out / f"{segment or 'all'}.pdf"
        argv = ["report", "--workspace", str(demo), "--period", "2026Q3", "--out", str(pdf), "--json",
                "--today", TODAY.isoformat()] + (["--segment", segment] if segment else [])
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert main(argv) == 0
        docs[segment] = json.loads(buffer.getvalue())
    return docs


@pytest.mark.parametrize("segment", [None, "EMEA enterprise"])
def test_headline_figures_equal_stats_json(packs, demo, capsys, segment):
    fig = packs[segment]["figures"]
    seg = ["--segment", segment] if segment else []
    now = cli(capsys, "stats", "--workspace", str(demo), "--from", Q3[0], "--to", Q3[1], "--json", *seg)
    for key in ("responses", "promoters", "passives", "detractors", "nps", "margin95", "arr_weighted_nps",
                "mapped_share", "small_sample", "distribution", "previous", "change"):
        assert fig["stats"][key] == now[key], key
    assert fig["previous"] == now["previous"] and fig["change"] == now["change"]
    # the change, worked from the two periods' counts
    before = now["previous"]
    delta = 100 * ((now["promoters"] - now["detractors"]) / now["responses"]
                   - (before["promoters"] - before["detractors"]) / before["responses"])
    threshold = 1.96 * ((now["margin95"] / 1.96) ** 2 + (before["margin95"] / 1.96) ** 2) ** 0.5
    assert fig["change"]["delta"] == pytest.approx(delta, abs=0.006)
    assert fig["change"]["threshold"] == pytest.approx(threshold, abs=0.02)
    assert fig["change"]["significant"] == (abs(delta) > threshold)
    # a whole quarter is compared with the quarter before it, which the pack names
    assert (before["from"], before["to"]) == ("2026-04-01", "2026-06-30")
    assert fig["previous_label"] == before["label"] == "2026 Q2"


@pytest.mark.parametrize("segment", [None, "EMEA enterprise"])
def test_trend_equals_stats_by_quarter(packs, demo, capsys, segment):
    seg = ["--segment", segment] if segment else []
    doc = cli(capsys, "stats", "--workspace", str(demo), "--from", "2024-10-01", "--to", Q3[1],
              "--period", "quarter", "--json", *seg)
    trend = packs[segment]["figures"]["trend"]
    assert [t["period"] for t in trend] == [f"{y}Q{q}" for y, q in
                                            [(2024, 4)] + [(2025, q) for q in (1, 2, 3, 4)] + [(2026, 1), (2026, 2),
                                                                                             (2026, 3)]]
    assert [(t["period"], t["responses"], t["nps"], t["margin95"]) for t in trend] == \
        [(t["period"], t["responses"], t["nps"], t["margin95"]) for t in doc["trend"]]


@pytest.mark.parametrize("segment", [None, "EMEA enterprise"])
@pytest.mark.parametrize("dim", ["region", "industry", "tier", "lifecycle_stage"])
def test_segment_tables_equal_stats_by(packs, demo, capsys, dim, segment):
    rows = packs[segment]["figures"]["segments"][dim]
    seg = ["--segment", segment] if segment else []
    now = cli(capsys, "stats", "--workspace", str(demo), "--from", Q3[0], "--to", Q3[1], "--by", dim, "--json",
              *seg)
    assert [{k: v for k, v in r.items() if k != "label"} for r in rows] == now["groups"]
    # the labels are display names: a lifecycle stage reads "Mature", not its stored key "mature"
    assert [r["label"] for r in rows] == ["No account" if g["key"] is None else
                                          g["key"].capitalize() if dim == "lifecycle_stage" else g["key"]
                                          for g in now["groups"]]
    for r in rows:
        if r["change"]:
            assert r["change"]["delta"] == pytest.approx(r["nps"] - r["previous_nps"], abs=0.011)


def test_revenue_themes_and_loop_equal_their_commands(packs, demo, capsys):
    fig = packs[None]["figures"]
    rev = cli(capsys, "revenue", "--workspace", str(demo), "--from", Q3[0], "--to", Q3[1], "--json")
    assert fig["revenue"]["categories"] == rev["categories"]
    themes = cli(capsys, "themes", "--workspace", str(demo), "--from", Q3[0], "--to", Q3[1], "--json")
    assert fig["themes"]["themes"] == themes["themes"]
    top = max(themes["themes"], key=lambda t: (t["detractor_share"] or 0))
    assert fig["themes"]["detractor"][0]["name"] == top["name"]
    # a past quarter's loop is read as of the quarter's end
    loop = cli(capsys, "actions", "--workspace", str(demo), "--metrics", "--from", Q3[0], "--to", Q3[1],
               "--as-of", Q3[1], "--json")
    assert {k: v for k, v in fig["loop"].items() if k != "play_names"} == loop


def test_accounts_at_risk_are_the_loops_priority_list(packs, demo):
    with open_workspace(demo, read_only=True) as ws:
        expected = health.arr_at_risk(ws, 120, date(2026, 9, 30))
    risk = packs[None]["figures"]["at_risk"]
    assert risk["count"] == len(expected) and risk["arr"] == pytest.approx(sum(a.arr for a in expected))
    assert [a["account_id"] for a in risk["accounts"]] == [a.account_id for a in expected[:10]]


def test_the_pdf_prints_the_figures(packs, demo):
    fig = packs[None]["figures"]
    text = subprocess.run(["pdftotext", "-layout", packs[None]["out"], "-"], capture_output=True, text=True,
                          check=True).stdout
    s = fig["stats"]
    assert f"NPS {f.nps(s['nps'])} " in text or f"{f.nps(s['nps'])}\n" in text
    assert f"{s['responses']:,}" in text
    assert f.margin(s["margin95"]) in text and f.delta(fig["change"]["delta"]) in text
    for t in fig["trend"]:
        assert f"{t['period'].replace('Q', ' Q')}" in text and f.nps1(t["nps"]) in text
    for dim, rows in fig["segments"].items():
        for r in rows:
            line = next(ln for ln in text.splitlines() if ln.strip().startswith(r["label"] + " ")
                        and f"{r['responses']:,}" in ln)
            assert f.nps1(r["nps"]) in line, (dim, r["label"])
    for c in fig["revenue"]["categories"]:
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(c["category"].capitalize() + " "))
        assert line.split()[1:4] == [f"{c['accounts']:,}", f"{c['renewals']:,}", f"{c['churns']:,}"]
    assert summary.headline(_data(fig)) .split(",")[0] in " ".join(text.split())


def _data(fig: dict) -> data.PackData:
    """Enough of a PackData for the headline sentence."""
    return data.PackData(period=fig["period"], period_label=fig["period_label"], start=None, end=None,
                         previous_label=fig["previous_label"], segment=None, filters=analytics.Filters(),
                         company="", stats=fig["stats"], previous=fig["previous"], change=fig["change"],
                         trend=fig["trend"], distribution=fig["distribution"], segments=fig["segments"],
                         coverage=fig["coverage"], goal=fig["goal"])


def test_hand_built_workspace_gives_the_hand_worked_figures(ws):
    report_data.build(ws)
    d = data.gather(ws, "2026Q3", today=report_data.TODAY)
    assert (d.stats["responses"], d.stats["promoters"], d.stats["passives"], d.stats["detractors"]) == (10, 5, 3, 2)
    assert d.stats["nps"] == 30.0 and d.stats["margin95"] == 48.41
    assert d.previous["nps"] == 25.0 and d.previous["responses"] == 8
    # 10 and 8 responses: below the minimum sample, so the change is not reliable (and never significant)
    assert d.change == {"delta": 5.0, "threshold": 75.13, "significant": False, "reliable": False}
    assert d.distribution == [0, 0, 1, 0, 0, 0, 1, 2, 1, 3, 2]
    region = {r["key"]: (r["responses"], r["nps"], r["previous_nps"]) for r in d.segments["region"]}
    assert region == {"EMEA": (4, 0.0, 0.0), "North America": (4, 50.0, 33.33), "APAC": (2, 50.0, 50.0)}
    assert [a["name"] for a in d.at_risk["accounts"]] == ["Acme <b>Corp</b> & Sons"]
    assert d.goal["baseline"] is None   # no quarter reaches 30 responses: no baseline to measure from
    assert d.coverage["responses"] == 10 and d.coverage["mapped"] == 10 and d.coverage["with_comment"] == 10
    # below the minimum sample the pack draws no conclusion: no change, no mix, no goal sentence
    assert summary.headline(d) == ("2026 Q3 has 10 responses, fewer than the 30 a reliable NPS needs: this pack "
                                   "reports its figures without conclusions.")
    assert summary.mix(d) is None and summary.goal(d) is None and summary.arr_weighting(d) is None
    # with a minimum of 5 responses (Settings), both quarters pass and the sentences return
    settings.set_value(ws, "min_responses", 5)
    d = data.gather(ws, "2026Q3", today=report_data.TODAY)
    assert d.change["reliable"] is True and d.change["significant"] is False
    assert d.goal == {"goal": 40, "goal_date": None, "nps": 30.0, "gap": 10.0, "met": False, "baseline": 25.0,
                      "baseline_period": "2026Q2", "covered": 0.3333}
    assert summary.headline(d) == ("NPS rose 5 points against 2026 Q2 to 30 (±48) in 2026 Q3, within the margin "
                                   "of error.")
    # 2 of 10 against 2 of 8 detractors: the Wilson intervals overlap, so nothing "fell"
    assert summary.mix(d) == ("Detractors were 20% (25% in 2026 Q2, within the margin of error); promoters were "
                              "50% (50% in 2026 Q2, within the margin of error) of responses.")
    assert summary.goal(d) == "The goal is an NPS of 40: 10 points to go, 33% of the way from 25 in 2026 Q2."


def test_default_period_is_the_last_complete_quarter(ws):
    report_data.build(ws)
    assert data.default_period(ws, date(2026, 10, 15)) == "2026Q3"
    assert data.default_period(ws, date(2026, 9, 15)) == "2026Q2"
    assert data.default_period(ws, date(2026, 1, 2)) == "2026Q3"  # nothing has ended: the latest with data
