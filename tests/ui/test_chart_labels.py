"""Charts keep their marks inside and their labels apart: the distribution's value labels never overlap
(a label shows only while it fits its bar's slot; every bar's tooltip holds its value), and the trend's
y-range holds every point, with the marker's radius, and its margin band."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from nps_desktop.ui.widgets.charts import DistributionChart, TrendChart

#: A spread with three scores under 0.5% of the answers: "<1%" three times, two of them side by side.
COUNTS = [3, 2, 40, 60, 90, 150, 200, 400, 600, 1100, 1300]


def shown(chart: DistributionChart) -> list:
    return [label for label in chart.value_labels if label.isVisible()]


@pytest.mark.parametrize("width", [260, 420, 900])
def test_distribution_labels_never_overlap(qtbot, width):
    chart = DistributionChart()
    qtbot.addWidget(chart)
    chart.resize(width, 260)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_counts(COUNTS)
    QApplication.processEvents()
    rects = [label.sceneBoundingRect() for label in shown(chart)]
    for i in range(len(rects)):
        for j in range(i + 1, len(rects)):
            assert not rects[i].intersects(rects[j]), (width, shown(chart)[i].toPlainText(), shown(chart)[j].toPlainText())
    if width >= 900:       # room for every label
        assert [label.toPlainText() for label in shown(chart)] == ["<1%", "<1%", "1%", "2%", "2%", "4%", "5%", "10%",
                                                                    "15%", "28%", "33%"]
    total = sum(COUNTS)
    assert round(100 * 1300 / total) == 33 and 3 / total < 0.005 and 2 / total < 0.005   # (the figures above)


def test_every_bar_tooltip_holds_its_value(qtbot):
    chart = DistributionChart()
    qtbot.addWidget(chart)
    chart.resize(260, 260)      # too narrow for the labels
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_counts(COUNTS)
    QApplication.processEvents()
    assert len(shown(chart)) < len(COUNTS)
    for score in (0, 1, 10):
        pos = chart.click_point(score)
        event = QHelpEvent(QEvent.Type.ToolTip, pos, chart.viewport().mapToGlobal(pos))
        QApplication.sendEvent(chart.viewport(), event)
        expected = {0: "Score 0: 3 responses (<1%)", 1: "Score 1: 2 responses (<1%)", 10: "Score 10: 1,300 responses (33%)"}
        assert QToolTip.text().startswith(expected[score])
    QToolTip.hideText()


@pytest.mark.parametrize(("values", "margins", "counts"), [
    ([100.0, 96.0, 90.0, 100.0], [0.0, 4.0, 7.5, 0.0], [40, 50, 60, 45]),          # +100: the top of the scale
    ([-100.0, -60.0, -95.0, -80.0], [0.0, 20.0, 5.0, 12.0], [35, 40, 50, 60]),     # −100: the bottom
    ([20.0, 25.0, 100.0, 30.0], [8.0, 7.0, 0.0, 9.0], [80, 90, 5, 70]),           # a small sample far above
    ([10.0, -40.0, 55.0, 5.0], [30.0, 28.0, 35.0, 31.0], [31, 33, 32, 30]),        # wide bands
])
def test_trend_range_holds_every_point_and_its_band(qtbot, values, margins, counts):
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_data(["2026Q1", "2026Q2", "2026Q3", "2026Q4"], values, margins, counts, goal=40)
    QApplication.processEvents()
    vb = chart.getPlotItem().getViewBox()
    y0, y1 = vb.viewRange()[1]
    per_unit = vb.height() / (y1 - y0)
    radius = 9 / 2 + 1     # the marker's size, and its pen
    xs, ys = chart.points.getData()
    for x, y in zip(xs, ys):
        assert (y - y0) * per_unit >= radius and (y1 - y) * per_unit >= radius, (x, y, y0, y1)
    for v, m, n in zip(values, margins, counts):
        if n >= 30:     # the band is drawn for the periods big enough to read
            assert y0 <= max(-100, v - m) and min(100, v + m) <= y1
    assert y0 <= 40 <= y1   # the goal
    # every point in view: the held point of a small sample sits inside the range too
    assert all(y0 < y < y1 for y in ys)
    top_left = vb.mapViewToScene(QPointF(0, y1))
    assert chart.mapFromScene(top_left).y() >= 0
    assert isinstance(chart.click_point(0), QPoint)
