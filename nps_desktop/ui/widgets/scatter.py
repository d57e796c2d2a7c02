"""A scatter chart: one dot per item, coloured by group, with a legend (pyqtgraph, loaded with charts)."""
from __future__ import annotations

from typing import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt

from .. import theme
from . import charts  # noqa: F401  (pyqtgraph's options are set there)


class ScatterChart(pg.PlotWidget):
    """Dots at (x, y); ``groups`` name each dot's group, ``colors`` map a group to its colour."""

    def __init__(self, x_label: str = "", y_label: str = "", parent=None):
        super().__init__(parent)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.getPlotItem().hideButtons()
        self.showGrid(x=True, y=True, alpha=0.15)
        self.setLabel("bottom", x_label)
        self.setLabel("left", y_label)
        self.legend = self.addLegend(offset=(10, 5), labelTextColor=theme.TEXT_MUTED)
        self.points = 0

    def set_data(self, xs: Sequence[float], ys: Sequence[float], groups: Sequence[str],
                 colors: dict[str, str], tips: Sequence[str] | None = None) -> None:
        self.clear()
        self.legend.clear()
        self.points = len(xs)
        for group, color in colors.items():
            idx = [i for i, g in enumerate(groups) if g == group]
            if not idx:
                continue
            item = pg.ScatterPlotItem(
                [xs[i] for i in idx], [ys[i] for i in idx], size=9, pen=pg.mkPen(None),
                brush=pg.mkBrush(color), name=f"{group} ({len(idx)})", hoverable=True,
                tip=None if tips is None else (lambda x, y, data: data), data=None if tips is None
                else [tips[i] for i in idx])
            self.addItem(item)
        self.addItem(pg.InfiniteLine(0, angle=90, pen=pg.mkPen(theme.TEXT_MUTED, width=1,
                                                               style=Qt.PenStyle.DotLine)))
        self.setXRange(-105, 105)
        top = max(ys, default=0)
        self.setYRange(0, top * 1.08 if top > 0 else 1)
