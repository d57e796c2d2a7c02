"""Dashboard: where the program stands and what changed — NPS with its margin and its change against the
previous period of the same length, the split, ARR-weighted NPS, the trend, the 0–10 distribution and a
segment table. Every number is ``analytics.stats`` (what ``stats --json`` prints) for the filter bar's
scope; clicking a point, a bar or a row opens the responses behind it.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFrame, QGridLayout, QHBoxLayout, QHeaderView,
                               QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget)

from ...core import analytics, browse, settings
from ...core.loop.metrics import loop_metrics
from ...core.text import insight
from ...core.worth import benchmarks, goals
from .. import theme
from ..widgets.filter_bar import page_header
from ..widgets.kpi_tile import KpiTile, SplitBar, TileRow
from ..widgets.rows_model import ROW_ROLE, Column, RowsModel, sortable
from ..widgets.table_export import export_button, export_model
from ..widgets.table_view import table_view
from ..widgets.trend_overlays import add_overlays
from ..workers import run_task
from .base import Page
from ...core import clock

#: Fields the segment table can break NPS down by, in the order offered.
SEGMENT_FIELDS = ("region", "industry", "tier", "arr_band", "lifecycle_stage", "owner", "role", "kind",
                  "touchpoint", "product", "account_status")
SMALL = "†"
#: The trend shows this many months (quarters) up to the end of the scope, the scope shaded.
TREND_PERIODS = {"month": 12, "quarter": 8}


def fmt_nps(x: float | None) -> str:
    """``+23``, ``−7``, ``0`` (NPS points, rounded; a minus sign, not a hyphen)."""
    if x is None:
        return "—"
    return "0" if round(x) == 0 else f"{x:+.0f}".replace("-", "−")


def fmt_delta(x: float | None) -> str:
    return "—" if x is None else f"{x:+.1f}".replace("-", "−")


def fmt_margin(x: float | None) -> str:
    return "margin: n too small" if x is None else f"± {x:.1f} (95% margin)"


def _num(x: float | None) -> float:
    return -1e9 if x is None else x


def _change_color(g: dict) -> str | None:
    c = g.get("change")
    if not c or not c["significant"]:
        return theme.TEXT_MUTED if g.get("small_sample") or (c and not c["reliable"]) else None
    return theme.PROMOTER if c["delta"] > 0 else theme.DETRACTOR


def segment_columns(by_label: str, by: str) -> list[Column]:
    small = lambda g: theme.TEXT_MUTED if g["small_sample"] else None  # noqa: E731
    return [
        Column(by_label, lambda g: analytics.group_label(by, g["key"]), sort=lambda g: (g["key"] is None, str(g["key"]))),
        Column("Responses", lambda g: f"{g['responses']:,}", sort=lambda g: g["responses"], right=True),
        Column("NPS", lambda g: fmt_nps(g["nps"]) + (f" {SMALL}" if g["small_sample"] else ""),
               sort=lambda g: _num(g["nps"]), right=True, color=small, bold=lambda g: not g["small_sample"],
               tooltip=lambda g: "Below the minimum sample (Settings): n too small to read" if g["small_sample"]
               else f"NPS {g['nps']}"),
        Column("± Margin", lambda g: "—" if g["margin95"] is None else f"± {g['margin95']:.1f}",
               sort=lambda g: _num(g["margin95"]), right=True, color=small),
        Column("Previous", lambda g: fmt_nps(g["previous_nps"]), sort=lambda g: _num(g["previous_nps"]),
               right=True, color=lambda g: theme.TEXT_MUTED,
               tooltip=lambda g: f"{g['previous_responses']:,} responses in the previous period"),
        Column("Change", lambda g: "n too small" if g["change"] and not g["change"]["reliable"] else
               fmt_delta(g["change"]["delta"] if g["change"] else None)
               + (" ▲" if g["change"] and g["change"]["significant"] and g["change"]["delta"] > 0 else
                  " ▼" if g["change"] and g["change"]["significant"] else ""),
               sort=lambda g: _num(g["change"]["delta"] if g["change"] else None), right=True,
               color=_change_color,
               tooltip=lambda g: "" if not g["change"] else
               "A period is below the minimum sample: no change is read" if not g["change"]["reliable"] else
               ("Significant at 95%" if g["change"]["significant"] else "Not significant at 95%")),
    ]


class DashboardPage(Page):
    title = "Dashboard"
    needs = "responses"
    empty_text = ("No survey responses yet. Import an export from Delighted, SurveyMonkey, Qualtrics, Typeform or "
                  "Google Forms (or any sheet with a 0–10 score and a date): NPS, its margin, the trend and the "
                  "segments appear here.")

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        from ..widgets.charts import ChartCard, DistributionChart, TrendChart  # pyqtgraph loads here

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)

        self.scope, self.filter_bar = page_header(self, layout, "Dashboard", "last_90_days")
        self._widened = False
        session.workspace_opened.connect(lambda *_: setattr(self, "_widened", False))

        self.tile_nps = KpiTile("NPS", "% promoters − % detractors, with its 95% margin of error")
        self.tile_change = KpiTile("Change", "Against the period of the same length just before; "
                                   "significant when larger than 1.96 × its combined standard error")
        self.tile_n = KpiTile("Responses", "Responses in scope, and the share linked to an account")
        self.tile_split = KpiTile("Promoters · Passives · Detractors", "Shares of responses: 9–10, 7–8, 0–6")
        self.split_bar = SplitBar()
        self.tile_split.add_widget(self.split_bar)
        self.tile_arr = KpiTile("ARR-weighted NPS", "Each account's category (the mean of its contacts' "
                                "latest scores) weighted by its ARR")
        for t in (self.tile_nps, self.tile_change, self.tile_n, self.tile_split, self.tile_arr):
            t.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(TileRow((self.tile_nps, self.tile_change, self.tile_n, self.tile_split, self.tile_arr)))

        self.follow_up = QLabel()
        self.follow_up.setObjectName("FollowUp")
        self.follow_up.setTextFormat(Qt.TextFormat.RichText)
        self.follow_up.setWordWrap(True)   # a long line wraps rather than widening the page
        self.follow_up.setToolTip("Follow-up actions for the responses of these dates (every segment), and "
                                  "what the comments in scope say")
        self.follow_up.linkActivated.connect(self._go)
        layout.addWidget(self.follow_up)

        charts = QGridLayout()
        charts.setSpacing(12)
        self.trend = TrendChart()
        self.trend_card = ChartCard("NPS trend", self.trend)
        self.period = QComboBox()
        self.period.addItem("By month", "month")
        self.period.addItem("By quarter", "quarter")
        self.period.currentIndexChanged.connect(self.refresh)
        self.trend_card.controls.addWidget(self.period)
        self.trend_card.note.setText("Shaded: the chosen period · band: 95% margin · bars: responses · "
                                     "hollow grey: n too small (Settings) · *: to date · click a point for its responses")
        self.distribution = DistributionChart()
        self.distribution_card = ChartCard("Scores 0–10", self.distribution)
        self.distribution_card.note.setText("Click a bar to see those responses")
        charts.addWidget(self.trend_card, 0, 0)
        charts.addWidget(self.distribution_card, 0, 1)
        charts.setColumnStretch(0, 3)
        charts.setColumnStretch(1, 2)
        for card in (self.trend_card, self.distribution_card):
            card.setMinimumHeight(310)
        layout.addLayout(charts)

        table_card = QFrame()
        table_card.setObjectName("ChartCard")
        table_card.setStyleSheet(self.trend_card.styleSheet())
        tl = QVBoxLayout(table_card)
        tl.setContentsMargins(14, 10, 14, 10)
        thead = QHBoxLayout()
        t_title = QLabel("NPS by")
        t_title.setObjectName("SectionTitle")
        self.dimension = QComboBox()
        for dim in SEGMENT_FIELDS:
            self.dimension.addItem(analytics.DIMENSION_LABELS[dim], dim)
        self.dimension.currentIndexChanged.connect(self.refresh)
        thead.addWidget(t_title)
        thead.addWidget(self.dimension)
        thead.addStretch(1)
        thead.addWidget(export_button(self, self.export_segments))
        tl.addLayout(thead)
        self.segments = RowsModel(segment_columns("Region", "region"))
        self.segments_proxy = sortable(self.segments)
        self.table = table_view(self.segments_proxy, sort=(1, Qt.SortOrder.DescendingOrder), grid=False,
                                stretch_last=False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(220)
        self.table.setCursor(Qt.CursorShape.PointingHandCursor)
        self.table.setToolTip("Click a row to see its responses")
        self.table.clicked.connect(self._row_clicked)
        tl.addWidget(self.table)
        legend = QLabel(f"{SMALL} below the minimum sample (Settings): n too small to read, and no change is "
                        "shown. ▲▼ a significant change against the previous period.")
        legend.setObjectName("Muted")
        legend.setWordWrap(True)
        tl.addWidget(legend)
        layout.addWidget(table_card)

        self.trend.clicked.connect(self._period_clicked)
        self.distribution.clicked.connect(self._score_clicked)
        self.last_stats: dict | None = None
        self.last_filters: analytics.Filters | None = None

    # -- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.session.ws is None:
            return
        filters = self.filter_bar.filters()
        by, period = self.dimension.currentData(), self.period.currentData()
        if self.last_stats is None:
            self.scope.setText("Loading…")

        def job(ws, progress, cancelled) -> dict[str, Any]:
            s = analytics.stats(ws, filters, by=by, period=period, trend_periods=TREND_PERIODS[period])
            bench = benchmarks.get(settings.get(ws, "nps_benchmark"))
            return {"stats": s, "goal": settings.get(ws, "nps_goal"), "filters": filters,
                    "plan": goals.goal_path(ws), "benchmark": bench.as_dict() if bench else None}
        self.load(job, self.show_stats)
        run_task(self.session.job(lambda ws, p, c: follow_up(ws, filters, clock.today()), read_only=True),
                 owner=self, on_done=self.show_follow_up, on_error=lambda *_: self.follow_up.clear())

    def _widen_if_empty(self, s: dict[str, Any], filters: analytics.Filters) -> bool:
        """Once per workspace: when the opening scope (the last 90 days) holds no response but the workspace
        does — an export of last year's survey, say — show all time rather than an empty dashboard."""
        if (s["responses"] or self.lacks_data or self._widened
                or filters != analytics.Filters(preset=self.filter_bar.default_preset)):
            return False
        self._widened = True
        self.filter_bar.set_filters(analytics.Filters())  # all time; refreshes the page
        return True

    def show_follow_up(self, f: dict[str, Any]) -> None:
        self.follow_up.setText(follow_up_html(f))

    def _go(self, key: str) -> None:
        self.session.go(key)

    def show_stats(self, result: dict[str, Any]) -> None:
        s, goal = result["stats"], result["goal"]
        if self._widen_if_empty(s, result["filters"]):
            return
        self.last_stats, self.last_filters = s, result["filters"]
        self.scope.setText(s_scope(result["filters"], s))
        margin = None if s["small_sample"] else s["margin95"]
        goal_text = f" · goal {fmt_nps(goal)}" if goal is not None else ""
        if s["small_sample"]:  # below the minimum sample: greyed, no colour
            self.tile_nps.set(fmt_nps(s["nps"]), f"n too small: {s['responses']:,} of {s['min_responses']} responses"
                              + goal_text, value_tone="muted")
        else:
            self.tile_nps.set(fmt_nps(s["nps"]), fmt_margin(margin) + goal_text,
                              value_tone="" if not s["nps"] else ("good" if s["nps"] > 0 else "bad"))
        self.tile_nps.value.setToolTip("" if s["nps"] is None else f"NPS {s['nps']}")
        change, prev = s["change"], s["previous"]
        if change is None:
            self.tile_change.set("—", "Choose a date range to compare it with the period before"
                                 if prev is None else "No responses in the previous period")
        elif not change["reliable"]:  # one period below the minimum sample: no change is shown
            self.tile_change.set("n too small", f"vs {prev['label']}: n = {s['responses']:,} and "
                                 f"{prev['responses']:,}; needs {s['min_responses']} in each", value_tone="muted")
        else:
            # the arrow marks a significant change only, as in the segment table; the sign says the way
            arrow = ("▲ " if change["delta"] > 0 else "▼ ") if change["significant"] else ""
            verdict = "significant" if change["significant"] else "not significant"
            tone = ("good" if change["delta"] > 0 else "bad") if change["significant"] else ""
            self.tile_change.set(arrow + fmt_delta(change["delta"]),
                                 f"vs {fmt_nps(prev['nps'])} in {prev['label']} · {verdict}",
                                 tone=tone, value_tone=tone)
        mapped = s["mapped_share"]
        self.tile_n.set(f"{s['responses']:,}", "" if mapped is None else f"{mapped:.1%} mapped to accounts")
        sh = s["shares"]
        if s["responses"]:
            self.tile_split.set(f"{sh['promoters']:.0%} · {sh['passives']:.0%} · {sh['detractors']:.0%}",
                                f"{s['promoters']:,} · {s['passives']:,} · {s['detractors']:,}")
        else:
            self.tile_split.set("—", "no responses in scope")
        self.split_bar.set_shares([sh["promoters"], sh["passives"], sh["detractors"]])
        self.tile_arr.set(fmt_nps(s["arr_weighted_nps"]), "accounts' categories weighted by their ARR"
                          + (" · n too small" if s["small_sample"] else ""),
                          value_tone="muted" if s["small_sample"] else "")

        trend = s["trend"]
        self.trend.set_data([t["period"] for t in trend], [t["nps"] for t in trend],
                            [t["margin95"] for t in trend], [t["responses"] for t in trend], goal=goal,
                            small=[t["small_sample"] for t in trend], partial=[t["partial"] for t in trend],
                            scope=[i for i, t in enumerate(trend) if s["from"] is None or t["to"] >= s["from"]])
        self.overlays = add_overlays(self.trend, [t["period"] for t in trend], result.get("plan"), result.get("benchmark"),
                                     s["period"] == "quarter")
        self.trend_card.title.setText("NPS by month" if s["period"] == "month" else "NPS by quarter")
        self.distribution.set_counts(s["distribution"])
        by = s["by"]
        label = analytics.DIMENSION_LABELS[by]
        self.segments.columns = segment_columns(label, by)
        self.segments.set_rows(s["groups"])
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    # -- click-through -----------------------------------------------------------------------------
    def _open(self, query: browse.ResponseQuery, note: str) -> None:
        from .responses import show_responses
        show_responses(self, query, note)

    def _scope_filters(self) -> analytics.Filters:
        return self.last_filters or self.filter_bar.filters()

    def _period_clicked(self, i: int) -> None:
        if not self.last_stats or i >= len(self.last_stats["trend"]):
            return
        t, s = self.last_stats["trend"][i], self.last_stats
        start, end = t["from"], min(filter(None, [t["to"], s["to"]]))
        f = self._scope_filters().with_dates(date.fromisoformat(start), date.fromisoformat(end))
        from ..widgets.charts import period_label
        self._open(browse.ResponseQuery(filters=f), f"{period_label(t['period'])}, from the dashboard's trend")

    def _score_clicked(self, score: int) -> None:
        if self.last_stats is None:
            return
        self._open(browse.ResponseQuery(filters=self._scope_filters(), scores=(score,)),
                   f"Score {score}, from the dashboard")

    def _row_clicked(self, index) -> None:
        g = self.segments_proxy.data(index, ROW_ROLE)
        if g is None or self.last_stats is None:
            return
        by = self.last_stats["by"]
        value = analytics.BLANK if g["key"] is None else g["key"]
        f = self._scope_filters().with_values(by, (value,))
        self._open(browse.ResponseQuery(filters=f),
                   f"{analytics.DIMENSION_LABELS[by]}: {analytics.group_label(by, g['key'])}, from the dashboard")

    def export_segments(self, suffix: str) -> None:
        by = self.dimension.currentData()
        export_model(self, self.segments_proxy, f"nps-by-{by.replace('_', '-')}", suffix)


def s_scope(filters: analytics.Filters, s: dict) -> str:
    """The scope line: the filters as resolved by ``stats`` (its from/to)."""
    resolved = filters if filters.preset is None else analytics.Filters(
        date.fromisoformat(s["from"]) if s["from"] else None, date.fromisoformat(s["to"]) if s["to"] else None,
        filters.values, filters.preset)
    return resolved.describe()


def follow_up(ws, filters: analytics.Filters, today: date) -> dict[str, Any]:
    """The loop's state and the comments' headline for the dashboard's scope (a worker job)."""
    dated = analytics.resolve(ws, filters, today)
    top = insight.top_themes(insight.theme_report(ws, filters), "detractor", 1)
    return {"loop": loop_metrics(ws, dated.date_from, dated.date_to, today), "top": top[0] if top else None,
            "at_risk": insight.at_risk_count(ws, filters)}


def follow_up_html(f: dict[str, Any]) -> str:
    """One line: open and overdue actions, the SLA, the top detractor theme, at-risk passives (links)."""
    m, parts = f["loop"], []
    waiting = m.open + m.in_progress
    overdue = f" · <span style='color:{theme.DETRACTOR}'>{m.overdue:,} overdue</span>" if m.overdue else ""
    parts.append(f"<a href='actions'>{waiting:,} follow-ups open on this scope's responses</a>{overdue}")
    if m.sla_share is not None:
        parts.append(f"{m.sla_share:.0%} of this scope's detractors contacted within the SLA")
    if f["top"] is not None:
        parts.append(f"top detractor theme: <a href='themes'>{f['top'].label}</a> "
                     f"({f['top'].shares['detractor']:.0%} of their comments)")
    if f["at_risk"]:
        parts.append(f"<a href='themes'>{f['at_risk']:,} at-risk passives in this scope</a>")
    return "Close the loop: " + " · ".join(parts)
