"""The themes page's charts: each theme's impact on NPS, and theme trends."""
from __future__ import annotations

import pyqtgraph as pg

from ... import theme as colors
from ...widgets import charts  # noqa: F401  (sets pyqtgraph's colours for the app's charts)


class _LabelAxis(pg.AxisItem):
    def __init__(self, orientation: str):
        super().__init__(orientation)
        self.labels: list[str] = []

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph name)
        return [self.labels[int(v)] if v == int(v) and 0 <= int(v) < len(self.labels) else "" for v in values]


class _Plot(pg.PlotWidget):
    """A still plot (no mouse zoom, no menu) whose ``labels_on`` axis shows category names."""

    def __init__(self, labels_on: str, parent=None):
        self.axis = _LabelAxis(labels_on)
        super().__init__(parent, axisItems={labels_on: self.axis})
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.getPlotItem().hideButtons()
        self.showGrid(x=labels_on == "left", y=labels_on == "bottom", alpha=0.15)


class ImpactChart(_Plot):
    """Horizontal bars: each theme's impact on NPS; to the right (red) pulls NPS down."""

    def __init__(self, parent=None):
        super().__init__("left", parent)
        self.setLabel("bottom", "NPS points")   # (a longer axis title is cut at the chart's width)
        self.setToolTip("Impact: NPS without the theme − overall NPS, in points")
        self.values: list[tuple[str, float]] = []

    def set_data(self, items: list[tuple[str, float]]) -> None:
        self.clear()
        self.values = items = sorted(items, key=lambda kv: kv[1])
        self.axis.labels = [k for k, _ in items]
        self.axis.setTicks([[(i, k) for i, (k, _) in enumerate(items)]])
        if not items:
            return
        widths = [v for _, v in items]
        brushes = [pg.mkBrush(colors.DETRACTOR if v > 0 else colors.PROMOTER) for v in widths]
        self.addItem(pg.BarGraphItem(x0=[0] * len(items), y=list(range(len(items))), height=0.62, width=widths,
                                     brushes=brushes, pens=[pg.mkPen(None)] * len(items)))
        self.addItem(pg.InfiniteLine(0, angle=90, pen=pg.mkPen(colors.TEXT_MUTED, width=1)))
        span = max(max(abs(v) for v in widths), 1.0)
        self.setXRange(min(min(widths), 0) - 0.1 * span, max(max(widths), 0) + 0.1 * span)
        self.setYRange(-0.6, len(items) - 0.4)


TREND_COLORS = ["#2563eb", "#dc2626", "#16a34a", "#f59e0b", "#7c3aed", "#0891b2", "#db2777", "#4b5563"]


class ThemeTrendChart(_Plot):
    """Share of comments that mention each chosen theme, per period."""

    def __init__(self, parent=None):
        super().__init__("bottom", parent)
        self.setLabel("left", "% of comments")
        self.legend = self.addLegend(offset=(10, 10))
        self.series: dict[str, list[float | None]] = {}

    def set_data(self, periods: list[str], series: dict[str, list[float | None]]) -> None:
        self.clear()
        self.legend.clear()
        self.series = series
        self.axis.labels = periods
        step = max(1, len(periods) // 10)
        self.axis.setTicks([[(i, periods[i]) for i in range(0, len(periods), step)]])
        top = 5.0
        for n, (label, values) in enumerate(series.items()):
            xs = [i for i, v in enumerate(values) if v is not None]
            ys = [100 * values[i] for i in xs]
            top = max([top, *ys])
            color = TREND_COLORS[n % len(TREND_COLORS)]
            self.addItem(pg.PlotDataItem(xs, ys, pen=pg.mkPen(color, width=2.2), symbol="o", symbolSize=6,
                                         symbolBrush=color, symbolPen=None, name=label))
        self.setYRange(0, top * 1.15)
        self.setXRange(-0.5, max(len(periods), 1) - 0.5)
