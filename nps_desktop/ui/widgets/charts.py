"""pyqtgraph charts: the NPS trend (margin band, response-count bars, goal line), the 0–10 score
distribution, and plain category bars. Every chart reports clicks on a period or bar (``clicked``),
copies itself to the clipboard, and saves as PNG or SVG (right-click, or ``ChartCard``'s ⋯ menu).

SVG goes through Qt's ``QSvgGenerator`` rather than pyqtgraph's exporter, which fails on the paths
current Qt writes (see SETUP-NOTES.md). pyqtgraph is imported here only, so the window shows first.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import (QFileDialog, QFrame, QHBoxLayout, QLabel, QMenu, QToolButton, QToolTip, QVBoxLayout,
                               QWidget)

from .. import theme

pg.setConfigOptions(antialias=True, background=None, foreground=theme.TEXT_MUTED)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
GRID = "#9ca3af"
CARD_STYLE = "QFrame#ChartCard { border: 1px solid palette(mid); border-radius: 8px; background: palette(base); }"


def period_label(key: str) -> str:
    """``2026Q3`` → ``Q3 2026``; ``2026-07`` → ``Jul 2026``; anything else as it is."""
    if len(key) == 6 and key[4] == "Q":
        return f"{key[4:]} {key[:4]}"
    if len(key) == 7 and key[4] == "-" and key[5:].isdigit() and 1 <= int(key[5:]) <= 12:
        return f"{MONTHS[int(key[5:]) - 1]} {key[:4]}"
    return key


def short_label(key: str) -> str:
    """Axis labels: ``Q3 ’26``, ``Jul ’26``."""
    label = period_label(key)
    return label[:-4] + "’" + label[-2:] if label != key else key


class _Axis(pg.AxisItem):
    """A category axis: tick i shows labels[i], thinned out to stay readable."""

    def __init__(self, orientation: str = "bottom"):
        super().__init__(orientation)
        self.labels: list[str] = []
        font = QFont()
        font.setPointSizeF(9)
        self.setStyle(tickFont=font, tickTextOffset=6)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph name)
        return [self.labels[int(v)] if 0 <= int(v) < len(self.labels) and v == int(v) else ""
                for v in values]


def _number_axis(orientation: str) -> pg.AxisItem:
    axis = pg.AxisItem(orientation)
    font = QFont()
    font.setPointSizeF(9)
    axis.setStyle(tickFont=font)
    return axis


class Chart(pg.PlotWidget):
    """A non-interactive plot with category x positions: click reporting, copy and save."""

    clicked = Signal(int)  # the index of the category (period, bar) clicked

    def __init__(self, parent=None, y_label: str = ""):
        self.axis = _Axis()
        super().__init__(parent, axisItems={"bottom": self.axis, "left": _number_axis("left")})
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.getPlotItem().hideButtons()
        self.showGrid(y=True, alpha=0.12)
        self.setMinimumHeight(180)
        self.count = 0
        if y_label:
            self.setLabel("left", y_label)
        self.scene().sigMouseClicked.connect(self._scene_clicked)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(lambda pos: self.export_menu().exec(self.mapToGlobal(pos)))

    # -- clicks ------------------------------------------------------------------------------------
    def index_at(self, scene_pos) -> int | None:
        vb = self.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        i = round(vb.mapSceneToView(scene_pos).x())
        return i if 0 <= i < self.count else None

    def _scene_clicked(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            i = self.index_at(event.scenePos())
            if i is not None:
                self.clicked.emit(i)

    def click_point(self, i: int) -> QPoint:
        """Where category ``i`` sits on screen (widget coordinates; for tests and tooltips)."""
        vb = self.getPlotItem().getViewBox()
        y = sum(vb.viewRange()[1]) / 2
        return self.mapFromScene(vb.mapViewToScene(pg.Point(i, y)))

    # -- export ------------------------------------------------------------------------------------
    def export_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Copy chart", self.copy_to_clipboard)
        menu.addAction("Save as PNG…", lambda: self.save_dialog(".png"))
        menu.addAction("Save as SVG…", lambda: self.save_dialog(".svg"))
        return menu

    def image(self, scale: float = 2.0) -> QImage:
        """The chart drawn at ``scale`` × its size, on white (for slides and e-mail)."""
        size = self.size()
        img = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32)
        img.fill(QColor("white"))
        painter = QPainter(img)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.render(painter)  # QGraphicsView.render: the scene, scaled to fill the image
        painter.end()
        return img

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setImage(self.image())

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".png":
            if not self.image().save(str(path), "PNG"):
                raise OSError(f"could not write {path}")
        elif suffix == ".svg":
            from PySide6.QtSvg import QSvgGenerator
            gen = QSvgGenerator()
            gen.setFileName(str(path))
            gen.setSize(self.size())
            gen.setViewBox(QRectF(0, 0, self.width(), self.height()))
            gen.setResolution(self.logicalDpiX())
            gen.setTitle(self.window().windowTitle() or "NPS Desktop chart")
            painter = QPainter(gen)
            self.render(painter)
            painter.end()
        else:
            raise ValueError(f"{path.name}: save a chart as .png or .svg")
        return path

    def save_dialog(self, suffix: str) -> None:
        kind = "PNG image (*.png)" if suffix == ".png" else "SVG image (*.svg)"
        path, _ = QFileDialog.getSaveFileName(self, "Save chart", f"chart{suffix}", kind)
        if path:
            self.save(path if path.lower().endswith(suffix) else path + suffix)

    def _set_categories(self, labels: Sequence[str], max_labels: int = 12) -> None:
        self.count = len(labels)
        self.axis.labels = list(labels)
        step = max(1, -(-len(labels) // max_labels))
        self.axis.setTicks([[(i, labels[i]) for i in range(len(labels) - 1, -1, -step)]])


class TrendChart(Chart):
    """NPS per period as a line over its 95% margin band, with the response count as bars behind it
    (right axis) and the NPS goal as a dashed line. Periods below the minimum sample are grey hollow
    points off the line and outside the scale (held at its edge); a period not yet ended is starred
    ("Dec '26*": to date)."""

    def __init__(self, parent=None):
        super().__init__(parent, y_label="NPS")
        plot = self.getPlotItem()
        right = _number_axis("right")
        plot.setAxisItems({"right": right})
        plot.showAxis("right")
        right.setLabel("Responses")
        self.counts_view = pg.ViewBox()
        self.counts_view.setMouseEnabled(False, False)
        self.counts_view.setMenuEnabled(False)
        self.counts_view.setZValue(-10)
        plot.scene().addItem(self.counts_view)
        right.linkToView(self.counts_view)
        self.counts_view.setXLink(plot)
        plot.getViewBox().sigResized.connect(self._sync)
        self.points: pg.ScatterPlotItem | None = None

    def _sync(self) -> None:
        vb = self.getPlotItem().getViewBox()
        self.counts_view.setGeometry(vb.sceneBoundingRect())
        self.counts_view.linkedViewChanged(vb, self.counts_view.XAxis)

    def set_data(self, periods: Sequence[str], values: Sequence[float | None],
                 margins: Sequence[float | None], counts: Sequence[int], goal: float | None = None,
                 small: Sequence[bool] | None = None, scope: Sequence[int] | None = None,
                 partial: Sequence[bool] | None = None) -> None:
        """``scope``: indices of the periods in the chosen date range, shaded when not all of them."""
        self.clear()
        self.counts_view.clear()
        partial = list(partial) if partial is not None else [False] * len(periods)
        self._set_categories([short_label(p) + ("*" if part else "") for p, part in zip(periods, partial)])
        small = list(small) if small is not None else [c < 30 for c in counts]
        if not periods:
            return
        if scope and len(scope) < len(periods):
            shade = QColor(theme.ACCENT)
            shade.setAlpha(18)
            region = pg.LinearRegionItem((min(scope) - 0.5, max(scope) + 0.5), movable=False,
                                         brush=pg.mkBrush(shade), pen=pg.mkPen(None))
            region.setZValue(-20)
            self.addItem(region)
        bars = QColor(theme.TEXT_MUTED)
        bars.setAlpha(45)
        self.counts_view.addItem(pg.BarGraphItem(x=list(range(len(counts))), height=list(counts), width=0.55,
                                                 brush=pg.mkBrush(bars), pen=pg.mkPen(None)))
        self.counts_view.setYRange(0, max(max(counts, default=1), 1) * 3.2, padding=0)
        scored = [i for i, v in enumerate(values) if v is not None]
        if not scored:
            return
        xs = [i for i in scored if not small[i]]
        ys = [values[i] for i in xs]
        lo = [max(-100.0, values[i] - (margins[i] or 0)) for i in xs]
        hi = [min(100.0, values[i] + (margins[i] or 0)) for i in xs]
        band = QColor(theme.ACCENT)
        band.setAlpha(40)
        clear = pg.mkPen(0, 0, 0, 0)
        upper, lower = pg.PlotCurveItem(xs, hi, pen=clear), pg.PlotCurveItem(xs, lo, pen=clear)
        self.addItem(upper)
        self.addItem(lower)
        self.band = pg.FillBetweenItem(upper, lower, brush=band)
        self.addItem(self.band)
        self.addItem(pg.PlotDataItem(xs, ys, pen=pg.mkPen(theme.ACCENT, width=2.5)))
        ranged = xs or scored  # with no period big enough, the grey points set the scale themselves
        top = max([min(100.0, values[i] + (margins[i] or 0)) for i in ranged] + [10.0])
        bottom = min([max(-100.0, values[i] - (margins[i] or 0)) for i in ranged] + [-10.0])
        held = [min(max(values[i], bottom), top) if small[i] else values[i] for i in scored]
        tips = [f"{period_label(periods[i])}: NPS {values[i]:+.1f} ± "
                f"{'—' if margins[i] is None else f'{margins[i]:.1f}'} · {counts[i]:,} responses"
                + (" — n too small to read" if small[i] else "") + (" — to date" if partial[i] else "")
                + " — click to see them" for i in scored]
        self.points = pg.ScatterPlotItem(
            scored, held, size=9,
            pen=[pg.mkPen(theme.TEXT_MUTED if small[i] else theme.ACCENT, width=2) for i in scored],
            brush=[pg.mkBrush("white") if small[i] else pg.mkBrush(theme.ACCENT) for i in scored],
            hoverable=True, tip=lambda x, y, data: data, data=tips)
        self.addItem(self.points)
        self.addItem(pg.InfiniteLine(0, angle=0, pen=pg.mkPen(GRID, width=1, style=Qt.PenStyle.DotLine)))
        if goal is not None:
            self.addItem(pg.InfiniteLine(goal, angle=0, pen=pg.mkPen(theme.PROMOTER, width=1.5,
                                                                   style=Qt.PenStyle.DashLine),
                                         label=f"Goal {goal:+.0f}", labelOpts={
                                             "position": 0.04, "color": theme.PROMOTER, "anchors": [(0, 1), (0, 1)]}))
            top, bottom = max(top, goal), min(bottom, goal)
        pad = max(5.0, (top - bottom) * 0.08)
        # padded past ±100 too: a point of +100 sits inside the chart, not half over its edge
        self.setYRange(bottom - pad, top + pad, padding=0)
        self.setXRange(-0.5, len(periods) - 0.5, padding=0)
        self._sync()


def _label_font() -> QFont:
    font = QFont()
    font.setPointSizeF(8)   # the axis's 9 less one: "16%" fits a bar of a 400-pixel distribution
    return font


class BarChart(Chart):
    """Vertical bars with category labels, each bar its own colour; optional value labels on top.

    Value labels never run into each other (eleven "<1%" side by side did): on a narrow chart the labels of
    the tallest bars are placed first, and a label that would touch one already placed is hidden; every bar's
    tooltip says its value anyway."""

    def __init__(self, parent=None, y_label: str = ""):
        super().__init__(parent, y_label=y_label)
        self.value_labels: list[pg.TextItem] = []
        self.bar_tips: list[str] = []
        self.label_font = _label_font()
        self.values: list[float] = []
        self.getPlotItem().getViewBox().sigResized.connect(self._fit_labels)

    def set_data(self, labels: Sequence[str], values: Sequence[float], colors: Sequence[str],
                 value_labels: Sequence[str] | None = None, tips: Sequence[str] | None = None) -> None:
        self.clear()
        self._set_categories(list(labels), max_labels=len(labels) or 1)
        self.addItem(pg.BarGraphItem(x=list(range(len(values))), height=list(values), width=0.7,
                                     brushes=[pg.mkBrush(c) for c in colors],
                                     pens=[pg.mkPen(None)] * len(values)))
        top = max(values, default=0)
        low = min(min(values, default=0), 0)
        self.value_labels, self.values = [], list(values)
        for i, text in enumerate(value_labels or []):
            label = pg.TextItem(text, color=theme.TEXT_MUTED, anchor=(0.5, 1.0))
            label.textItem.document().setDocumentMargin(1)
            label.setFont(self.label_font)
            label.setPos(i, max(values[i], 0))
            self.addItem(label)
            self.value_labels.append(label)
        self.bar_tips = list(tips) if tips is not None else [
            f"{labels[i]}: {value_labels[i] if value_labels and value_labels[i] else f'{values[i]:g}'}"
            for i in range(len(values))]
        self.setXRange(-0.6, len(values) - 0.4, padding=0)
        self.setYRange(low * 1.1, (top * 1.18) or 1, padding=0)
        self._fit_labels()

    def slot_width(self) -> float:
        """The pixels between two bars' centres."""
        vb = self.getPlotItem().getViewBox()
        (x0, x1), _ = vb.viewRange()
        return vb.width() / max(x1 - x0, 1e-9)

    def _fit_labels(self) -> None:
        slot = self.slot_width()
        placed: list[tuple[float, float]] = []
        tallest_first = sorted(range(len(self.value_labels)), key=lambda i: (-self.values[i], i))
        for i in tallest_first:
            half = self.value_labels[i].textItem.boundingRect().width() / 2 + 1
            left, right = i * slot - half, i * slot + half
            free = all(right <= a or left >= b for a, b in placed)
            self.value_labels[i].setVisible(free)
            if free:
                placed.append((left, right))

    def viewportEvent(self, event) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.ToolTip and self.bar_tips:
            i = self.index_at(self.mapToScene(event.pos()))
            if i is not None and i < len(self.bar_tips):
                QToolTip.showText(event.globalPos(), self.bar_tips[i], self)
                return True
        return super().viewportEvent(event)


class DistributionChart(BarChart):
    """How many responses gave each score 0–10, coloured detractor / passive / promoter."""

    def __init__(self, parent=None):
        super().__init__(parent, y_label="Responses")

    def set_counts(self, counts: Sequence[int]) -> None:
        total = sum(counts) or 1
        shares = [("<1%" if c / total < 0.005 else f"{c / total:.0%}") if c else "" for c in counts]
        self.set_data([str(s) for s in range(11)], list(counts), [theme.score_color(s) for s in range(11)], shares,
                      tips=[f"Score {s}: {c:,} responses" + (f" ({shares[s]})" if c else "") + " — click to see them"
                            for s, c in enumerate(counts)])
        self.setToolTip("Responses per score; click a bar to see them")


class ChartCard(QFrame):
    """A titled frame around a chart, with room for controls and a ⋯ menu (copy, save PNG/SVG)."""

    def __init__(self, title: str, chart: Chart, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ChartCard")
        self.setStyleSheet(CARD_STYLE)
        self.chart = chart
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 10, 8)
        head = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("SectionTitle")
        head.addWidget(self.title)
        head.addStretch(1)
        self.controls = QHBoxLayout()
        head.addLayout(self.controls)
        more = QToolButton()
        more.setText("⋯")
        more.setToolTip("Copy or save this chart")
        more.setAutoRaise(True)
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more.setMenu(chart.export_menu())
        head.addWidget(more)
        layout.addLayout(head)
        layout.addWidget(chart, 1)
        self.note = QLabel("")
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)   # a long note wraps rather than widening the card
        layout.addWidget(self.note)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(420, 300)
