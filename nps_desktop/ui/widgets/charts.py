"""pyqtgraph charts of the dashboard: NPS trend with its margin band, and category/score bars.

pyqtgraph is imported here only, so that the window appears before it loads.
"""
from __future__ import annotations

from typing import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from .. import theme

pg.setConfigOptions(antialias=True, background=None, foreground=theme.TEXT_MUTED)


class _Axis(pg.AxisItem):
    """A category axis: tick i shows labels[i], thinned out to stay readable."""

    def __init__(self, orientation: str = "bottom"):
        super().__init__(orientation)
        self.labels: list[str] = []

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph name)
        return [self.labels[int(v)] if 0 <= int(v) < len(self.labels) and v == int(v) else ""
                for v in values]


class TrendChart(pg.PlotWidget):
    """NPS per period as a line, the 95% margin as a band, and the response count as faint bars."""

    def __init__(self, parent=None):
        self.axis = _Axis()
        super().__init__(parent, axisItems={"bottom": self.axis})
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.showGrid(y=True, alpha=0.15)
        self.getPlotItem().hideButtons()
        self.setLabel("left", "NPS")

    def set_data(self, periods: Sequence[str], values: Sequence[float | None],
                 margins: Sequence[float | None], counts: Sequence[int]) -> None:
        self.clear()
        self.axis.labels = list(periods)
        xs = [i for i, v in enumerate(values) if v is not None]
        ys = [values[i] for i in xs]
        lo = [values[i] - (margins[i] or 0) for i in xs]
        hi = [values[i] + (margins[i] or 0) for i in xs]
        if not xs:
            return
        band_color = QColor(theme.ACCENT)
        band_color.setAlpha(45)
        upper, lower = pg.PlotDataItem(xs, hi, pen=None), pg.PlotDataItem(xs, lo, pen=None)
        self.addItem(pg.FillBetweenItem(upper, lower, brush=band_color))
        self.addItem(pg.PlotDataItem(xs, ys, pen=pg.mkPen(theme.ACCENT, width=2.5), symbol="o",
                                     symbolSize=7, symbolBrush=theme.ACCENT, symbolPen=None))
        self.addItem(pg.InfiniteLine(0, angle=0, pen=pg.mkPen(theme.TEXT_MUTED, width=1, style=Qt.PenStyle.DotLine)))
        step = max(1, len(periods) // 8)
        self.axis.setTicks([[(i, periods[i]) for i in range(0, len(periods), step)]])
        top = max(max(hi), 10)
        bottom = min(min(lo), -10)
        self.setYRange(bottom - 5, top + 5)
        self.setXRange(-0.5, len(periods) - 0.5)


class BarChart(pg.PlotWidget):
    """Vertical bars with category labels, each bar its own colour."""

    def __init__(self, parent=None, y_label: str = ""):
        self.axis = _Axis()
        super().__init__(parent, axisItems={"bottom": self.axis})
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.getPlotItem().hideButtons()
        self.showGrid(y=True, alpha=0.15)
        if y_label:
            self.setLabel("left", y_label)

    def set_data(self, labels: Sequence[str], values: Sequence[float], colors: Sequence[str]) -> None:
        self.clear()
        self.axis.labels = list(labels)
        self.axis.setTicks([[(i, lab) for i, lab in enumerate(labels)]])
        self.addItem(pg.BarGraphItem(x=list(range(len(values))), height=list(values), width=0.7,
                                     brushes=[pg.mkBrush(c) for c in colors], pens=[pg.mkPen(None)] * len(values)))
        self.setXRange(-0.6, len(values) - 0.4)
        self.setYRange(0, max(values, default=1) * 1.1 or 1)
