"""The dashboard's trend chart shows the goal's planned path and the external benchmark from Settings."""
import pyqtgraph as pg

from nps_desktop.core import settings
from nps_desktop.core.worth import goals

from .analysis_pages import open_window
from .gestures import pick


def test_plan_and_benchmark_on_the_trend(qtbot, demo_ws, monkeypatch):
    monkeypatch.setenv("NPS_DESKTOP_TODAY", "2026-11-23")
    for key, v in (("nps_goal", 45), ("nps_goal_date", "2027-12-31"), ("nps_goal_start", "2025Q4"),
                   ("nps_benchmark", "b2b_saas")):
        settings.set_value(demo_ws, key, v)
    plan = goals.goal_path(demo_ws)
    w = open_window(qtbot, demo_ws.path)
    page = w.page("dashboard")
    qtbot.waitUntil(lambda: page.last_stats is not None, timeout=10000)
    page.last_stats = None
    pick(qtbot, page.period, "quarter")
    qtbot.waitUntil(lambda: page.last_stats is not None and page.last_stats["period"] == "quarter", timeout=10000)
    periods = [t["period"] for t in page.last_stats["trend"]]
    line = next(i for i in page.overlays if isinstance(i, pg.PlotDataItem))
    xs, ys = line.getData()
    shown = [q for q in plan["quarters"] if q["quarter"] in periods]
    assert list(xs) == [periods.index(q["quarter"]) for q in shown] and len(shown) >= 4
    assert list(ys) == [q["planned"] for q in shown]
    bench = next(i for i in page.overlays if isinstance(i, pg.InfiniteLine))
    assert bench.value() == 36 and "external" in bench.label.toPlainText()
    text = next(i for i in page.overlays if isinstance(i, pg.TextItem)).toPlainText()
    nxt = next(q for q in plan["quarters"] if "moves_needed" in q)
    assert text.startswith(f"Plan: {nxt['planned']:+.0f} in {nxt['quarter']}") and text.endswith("+45 by 2027Q4")
