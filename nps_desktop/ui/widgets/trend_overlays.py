"""What the dashboard's trend chart adds from ``core.worth``: the goal's planned path (by quarter) and an
external industry benchmark line, each labelled."""
from __future__ import annotations

from typing import Any, Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt

from .. import theme

BENCHMARK = "#7c3aed"


def add_overlays(chart: pg.PlotWidget, periods: Sequence[str], plan: dict[str, Any] | None,
                 benchmark: dict[str, Any] | None, by_quarter: bool) -> list[Any]:
    """Draw the plan and the benchmark on ``chart`` after its ``set_data``; returns the items. By month, each
    quarter's planned NPS sits on the quarter's last month."""
    items: list[Any] = []
    values: list[float] = []
    if plan and plan.get("quarters"):
        index = {p: i for i, p in enumerate(periods)}
        key = (lambda q: q["quarter"]) if by_quarter else (lambda q: q["end"][:7])
        points = [(index[key(q)], q["planned"]) for q in plan["quarters"] if key(q) in index]
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            items.append(pg.PlotDataItem(xs, ys, pen=pg.mkPen(theme.PROMOTER, width=1.5, style=Qt.PenStyle.DotLine),
                                         symbol="d", symbolSize=7, symbolBrush=theme.PROMOTER,
                                         symbolPen=pg.mkPen(None), name="Plan"))
            values += ys
        nxt = next((q for q in plan["quarters"] if "moves_needed" in q), None)
        if nxt is not None:
            text = (f"Plan: {nxt['planned']:+.0f} in {nxt['quarter']} "
                    f"({nxt['moves_needed']} answer{'s' if nxt['moves_needed'] != 1 else ''} up) → "
                    f"{plan['goal']:+g} by {plan['goal_quarter']}")
            label = pg.TextItem(text, color=theme.PROMOTER, anchor=(1, 1))
            label.setPos(len(periods) - 0.5, plan["goal"])
            items.append(label)
    if benchmark:
        items.append(pg.InfiniteLine(benchmark["nps"], angle=0,
                                     pen=pg.mkPen(BENCHMARK, width=1.2, style=Qt.PenStyle.DashDotLine),
                                     label=f"Benchmark {benchmark['nps']:+g} (external: {benchmark['year']})",
                                     labelOpts={"position": 0.35, "color": BENCHMARK, "anchors": [(0, 1), (0, 1)]}))
        items[-1].setToolTip(f"{benchmark['industry']}: {benchmark['source']}, {benchmark['year']}")
        values.append(benchmark["nps"])
    for item in items:
        chart.addItem(item)
    if values:
        (_, _), (lo, hi) = chart.getViewBox().viewRange()
        if min(values) < lo or max(values) > hi:
            chart.setYRange(max(-100, min(lo, min(values) - 5)), min(100, max(hi, max(values) + 5)), padding=0)
    return items
