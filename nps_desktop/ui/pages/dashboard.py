"""Dashboard: where the program stands — NPS with its margin, the split, ARR-weighted NPS, the trend."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...core import analytics
from .. import theme
from ..widgets.kpi_tile import KpiTile
from .base import Page


def fmt_nps(x: float | None) -> str:
    return "—" if x is None else f"{x:+.0f}"


def fmt_margin(x: float | None) -> str:
    return "margin: n too small" if x is None else f"± {x:.1f} (95%)"


class DashboardPage(Page):
    title = "Dashboard"

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        from ..widgets.charts import BarChart, TrendChart  # pyqtgraph loads with the first page

        layout = QVBoxLayout(self)
        heading = QLabel("Dashboard")
        heading.setObjectName("PageTitle")
        self.scope = QLabel("All time, all programs")
        self.scope.setObjectName("Muted")
        layout.addWidget(heading)
        layout.addWidget(self.scope)

        tiles = QHBoxLayout()
        self.tile_nps = KpiTile("NPS", "% promoters − % detractors, with its 95% margin of error")
        self.tile_n = KpiTile("Responses", "Responses in scope")
        self.tile_split = KpiTile("Promoters · Passives · Detractors", "Shares of responses: 9–10, 7–8, 0–6")
        self.tile_arr = KpiTile("ARR-weighted NPS",
                                "Each account's category (mean of its contacts' latest scores) weighted by ARR")
        for t in (self.tile_nps, self.tile_n, self.tile_split, self.tile_arr):
            tiles.addWidget(t)
        layout.addLayout(tiles)

        grid = QGridLayout()
        trend_title = QLabel("NPS by quarter (band: 95% margin)")
        trend_title.setObjectName("SectionTitle")
        split_title = QLabel("Promoters, passives, detractors")
        split_title.setObjectName("SectionTitle")
        self.trend = TrendChart()
        self.split = BarChart(y_label="responses")
        grid.addWidget(trend_title, 0, 0)
        grid.addWidget(split_title, 0, 1)
        grid.addWidget(self.trend, 1, 0)
        grid.addWidget(self.split, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout.addLayout(grid, 1)
        self.last_stats: dict | None = None

    def refresh(self) -> None:
        filters = analytics.Filters()
        self.load(lambda ws, progress, cancelled: analytics.stats(ws, filters, period="quarter"),
                  self.show_stats)

    def show_stats(self, s: dict) -> None:
        self.last_stats = s
        self.tile_nps.set(fmt_nps(s["nps"]), fmt_margin(None if s["small_sample"] else s["margin95"]))
        self.tile_n.set(f"{s['responses']:,}", f"{s['mapped_share'] or 0:.0%} mapped to accounts")
        n = s["responses"] or 1
        self.tile_split.set(f"{s['promoters'] / n:.0%} · {s['passives'] / n:.0%} · {s['detractors'] / n:.0%}",
                            f"{s['promoters']:,} · {s['passives']:,} · {s['detractors']:,}")
        self.tile_arr.set(fmt_nps(s["arr_weighted_nps"]), "accounts weighted by ARR")
        trend = s["trend"]
        self.trend.set_data([t["period"] for t in trend], [t["nps"] for t in trend],
                            [t["margin95"] for t in trend], [t["responses"] for t in trend])
        self.split.set_data(["Promoters", "Passives", "Detractors"],
                            [s["promoters"], s["passives"], s["detractors"]],
                            [theme.PROMOTER, theme.PASSIVE, theme.DETRACTOR])
