"""Revenue: renewal, churn and expansion by promoter, passive, detractor and unscored accounts.

The category table (what ``revenue --json`` prints) with bar charts, NPS against expansion per account,
ARR at risk within 90 and 180 days, and the program's maturity figures; revenue events entered by hand.
"""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QComboBox, QCompleter, QDateEdit, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QTableView, QVBoxLayout, QWidget)

from ...core import revenue
from .. import theme
from ..widgets.kpi_tile import KpiTile, TileRow
from ..widgets.rows_model import Column, RowsModel, sortable
from ..widgets.table_view import table_view
from .base import Page
from .worth_panel import WorthPanel
from ...core import clock
from ..amounts import money

UNSCORED = "#9ca3af"
COLORS = {**theme.CATEGORY_COLORS, "unscored": UNSCORED}
LABELS = {"promoter": "Promoters", "passive": "Passives", "detractor": "Detractors", "unscored": "Unscored"}
RANGES = ["Last 12 months", "Last 24 months", "This year", "Last year", "All time", "Custom range"]


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _num(x: float | None) -> float:
    return -1.0 if x is None else float(x)


def rate_text(r: dict) -> str:
    """A rate and its n as the table shows it: "n too small" below the minimum number of accounts (Settings)."""
    if r["rate"] is None:
        return "—"
    return f"n too small · n={r['n']:,}" if r["small_sample"] else f"{pct(r['rate'])} · n={r['n']:,}"


def rate_tip(r: dict, how: str) -> str:
    if r["rate"] is None:
        return how
    return (f"{how}; n = {r['n']:,}" + ("" if r["low"] is None else
                                        f"; 95% interval {r['low']:.0%}–{r['high']:.0%} (Wilson)"))


def _rate_column(title: str, key: str, how: str) -> Column:
    return Column(title, lambda r: rate_text(r[key]), sort=lambda r: _num(r[key]["rate"]), right=True,
                  color=lambda r: theme.TEXT_MUTED if r[key]["small_sample"] else None,
                  tooltip=lambda r: rate_tip(r[key], how))


CATEGORY_COLUMNS = [
    Column("Category", lambda r: LABELS[r["category"]], color=lambda r: COLORS[r["category"]],
           sort=lambda r: list(LABELS).index(r["category"])),
    Column("Accounts with events", lambda r: f"{r['accounts']:,}", sort=lambda r: r["accounts"], right=True,
           tooltip=lambda r: "accounts with a revenue event in the window, under their category at the event"),
    Column("Renewals", lambda r: f"{r['renewals']:,}", sort=lambda r: r["renewals"], right=True),
    Column("Churns", lambda r: f"{r['churns']:,}", sort=lambda r: r["churns"], right=True),
    _rate_column("Renewal rate", "renewal", "renewals / (renewals + churns)"),
    _rate_column("Churn rate", "churn", "churns / (renewals + churns)"),
    Column("Churned ARR", lambda r: money(r["churned_arr"]), sort=lambda r: r["churned_arr"], right=True),
    _rate_column("Expansion rate", "expansion", "accounts with an upsell or cross-sell / accounts"),
    Column("Avg expansion", lambda r: money(r["avg_expansion_arr"]), sort=lambda r: _num(r["avg_expansion_arr"]),
           right=True, tooltip=lambda r: "mean ARR change of the upsell and cross-sell events"),
    Column("NRR", lambda r: "n too small" if r["nrr_small_sample"] and r["nrr"] is not None else pct(r["nrr"]),
           sort=lambda r: _num(r["nrr"]), right=True,
           color=lambda r: theme.TEXT_MUTED if r["nrr_small_sample"] else None,
           tooltip=lambda r: "(starting ARR + expansion − downsell − churn) / starting ARR"),
]
RISK_COLUMNS = [
    Column("Account", lambda r: r["name"]),
    Column("ARR", lambda r: money(r["arr"]), sort=lambda r: r["arr"], right=True),
    Column("Renews", lambda r: f"{r['renewal_date']} ({r['days_to_renewal']} d)", sort=lambda r: r["days_to_renewal"]),
    Column("Owner", lambda r: r["owner"] or "—"),
    Column("Why", lambda r: r["why"].split(": ", 1)[-1], tooltip=lambda r: r["why"]),
]


def window(choice: str, today: date, custom: tuple[date, date]) -> tuple[date | None, date | None]:
    """The event window a range choice means."""
    if choice == "Last 12 months":
        return revenue.default_window(today)
    if choice == "Last 24 months":
        return today - timedelta(days=729), today
    if choice == "This year":
        return date(today.year, 1, 1), today
    if choice == "Last year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if choice == "Custom range":
        return custom
    return None, None


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("SectionTitle")
    return label


def _date_edit(d: date) -> QDateEdit:
    edit = QDateEdit(QDate(d.year, d.month, d.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _pydate(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


class RevenuePage(Page):
    title = "Revenue"
    needs = "accounts"
    empty_text = ("No accounts yet. Import accounts with ARR and renewal dates, and revenue events (renewals, "
                  "churn, expansion), to see revenue by promoter, passive and detractor.")

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        from ..widgets.charts import BarChart  # pyqtgraph loads with the first chart page
        from ..widgets.scatter import ScatterChart

        self.today: date | None = None
        self.last_report: dict | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)

        heading = QLabel("Revenue")
        heading.setObjectName("PageTitle")
        layout.addWidget(heading)
        sub = QLabel("Each renewal, churn and expansion counted under the account's category in the 365 days "
                     "before it (its contacts' latest answers); accounts with no answer then are unscored.")
        sub.setObjectName("Muted")
        sub.setWordWrap(True)
        layout.addWidget(sub)

        bar = QHBoxLayout()
        self.range = QComboBox()
        self.range.addItems(RANGES)
        today = clock.today()
        self.date_from, self.date_to = _date_edit(today - timedelta(days=364)), _date_edit(today)
        self.add_button = QPushButton("Add revenue event…")
        range_label = QLabel("&Events:")
        range_label.setBuddy(self.range)
        for w in (range_label, self.range, QLabel("from"), self.date_from, QLabel("to"), self.date_to):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.add_button)
        layout.addLayout(bar)
        self.range.currentIndexChanged.connect(self._range_changed)
        self.date_from.dateChanged.connect(self.refresh)
        self.date_to.dateChanged.connect(self.refresh)
        self.add_button.clicked.connect(self.add_event)
        self._range_changed()

        self.tile_risk90 = KpiTile("ARR at risk, 90 days", "Detractor, or passive and falling, accounts with enough "
                                   "responding contacts (Settings), renewing within 90 days")
        self.tile_risk180 = KpiTile("ARR at risk, 180 days", "Detractor, or passive and falling, accounts with "
                                    "enough responding contacts (Settings), renewing within 180 days")
        self.tile_mapped = KpiTile("Mapped to active accounts", "Share of responses mapped to an active account")
        self.tile_coverage = KpiTile("Promoter coverage",
                                     "Promoters (latest answer in the last year) whose account has an open "
                                     "advocacy or expansion action")
        self.tile_expansion = KpiTile("Promoter expansion ARR", "Upsell and cross-sell ARR of promoter accounts, "
                                      "and its share of all expansion ARR in the window")
        layout.addWidget(TileRow((self.tile_risk90, self.tile_risk180, self.tile_mapped, self.tile_coverage,
                                  self.tile_expansion), spacing=layout.spacing()))

        layout.addWidget(_section("By category"))
        self.table_model = RowsModel(CATEGORY_COLUMNS)
        self.table = QTableView()
        self.table.setModel(sortable(self.table_model))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)  # its title
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.table)

        charts = QGridLayout()
        self.charts = {}
        for i, (key, title) in enumerate([("renewal_rate", "Renewal rate (%)"), ("churn_rate", "Churn rate (%)"),
                                          ("expansion_rate", "Expansion rate (%)"), ("nrr", "Net revenue retention (%)")]):
            chart = BarChart()
            chart.setFixedHeight(190)
            charts.addWidget(_section(title), 2 * (i // 2), i % 2)
            charts.addWidget(chart, 2 * (i // 2) + 1, i % 2)
            self.charts[key] = chart
        layout.addLayout(charts)

        lower = QGridLayout()
        self.scatter = ScatterChart("account NPS (last 365 days)", "expansion ARR in the window")
        self.scatter.setMinimumHeight(320)
        self.risk_title = _section("ARR at risk (renewing within 180 days)")
        self.risk_title.setWordWrap(True)
        self.risk_model = RowsModel(RISK_COLUMNS)
        self.risk_view = table_view(self.risk_model)
        self.risk_view.setMinimumHeight(320)
        self.scatter_title = _section("NPS against expansion, per account")
        self.scatter_title.setWordWrap(True)
        lower.addWidget(self.scatter_title, 0, 0)
        lower.addWidget(self.scatter, 1, 0)
        lower.addWidget(self.risk_title, 0, 1)
        lower.addWidget(self.risk_view, 1, 1)
        lower.setColumnStretch(0, 1)
        lower.setColumnStretch(1, 1)
        layout.addLayout(lower)
        self.worth = WorthPanel()
        layout.addWidget(self.worth)

    # -- loading -----------------------------------------------------------------------------------
    def day(self) -> date:
        return self.today or clock.today()

    def date_range(self) -> tuple[date | None, date | None]:
        return window(self.range.currentText(), self.day(), (_pydate(self.date_from), _pydate(self.date_to)))

    def _range_changed(self) -> None:
        custom = self.range.currentText() == "Custom range"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        lo, hi = self.date_range()
        for edit, d in ((self.date_from, lo), (self.date_to, hi)):
            if d is not None and not custom:
                edit.blockSignals(True)
                edit.setDate(QDate(d.year, d.month, d.day))
                edit.blockSignals(False)
        if self.session.ws is not None and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self.session.ws is None:
            return
        lo, hi = self.date_range()
        today = self.day()
        self.load(lambda ws, progress, cancelled: revenue.report(ws, lo, hi, today), self.show_report)
        self.worth.refresh(self.session, today)

    def show_report(self, doc: dict) -> None:
        self.last_report = doc
        rows = doc["categories"]
        self.table_model.set_rows(rows)
        self.table.setFixedHeight(self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
                                  + sum(self.table.rowHeight(i) for i in range(len(rows))))
        labels = [f"{LABELS[r['category']]} ({r['accounts']})" for r in rows]
        colors = [COLORS[r["category"]] for r in rows]
        small = {"renewal_rate": "renewal", "churn_rate": "churn", "expansion_rate": "expansion"}
        for key, chart in self.charts.items():  # a rate below the minimum sample is drawn grey, not as a claim
            tiny = [r[small[key]]["small_sample"] if key in small else r["nrr_small_sample"] for r in rows]
            chart.set_data(labels, [100 * (r[key] or 0) for r in rows],
                           [theme.TEXT_MUTED if t else c for t, c in zip(tiny, colors)])
        risk, m = doc["arr_at_risk"], doc["maturity"]
        self.tile_risk90.set(money(risk["90"]["arr"]), f"{len(risk['90']['accounts'])} accounts",
                             "bad" if risk["90"]["arr"] else "good")
        self.tile_risk180.set(money(risk["180"]["arr"]), f"{len(risk['180']['accounts'])} accounts",
                              "bad" if risk["180"]["arr"] else "good")
        self.tile_mapped.set(pct(m["mapped_active_share"]), f"{m['mapped_active']:,} of {m['responses']:,} responses")
        self.tile_coverage.set(pct(m["promoter_coverage"]), f"{m['promoters_covered']:,} of {m['promoters']:,} promoters")
        self.tile_expansion.set(money(m["expansion_arr_promoters"]),
                                f"{pct(m['expansion_share_promoters'])} of all {money(m['expansion_arr'])}")
        self.risk_model.set_rows(risk["180"]["accounts"])
        self.risk_view.resizeColumnsToContents()
        self.risk_view.horizontalHeader().setStretchLastSection(True)
        self.risk_title.setText(f"ARR at risk: {money(risk['180']['arr'])} renewing within 180 days "
                                f"({money(risk['90']['arr'])} within 90)")
        points = doc["nps_vs_expansion"]
        end = doc["to"] or self.day().isoformat()
        self.scatter_title.setText(f"NPS against expansion: {len(points):,} accounts scored over the 365 days to "
                                   f"{end} (their category then; the table counts accounts with events)")
        self.scatter.set_data([p["nps"] for p in points], [p["expansion_arr"] for p in points],
                              [LABELS[p["category"]] for p in points],
                              {LABELS[c]: COLORS[c] for c in ("promoter", "passive", "detractor")},
                              [f"{p['name']}: NPS {p['nps']:+.0f}, expansion {money(p['expansion_arr'])}"
                               for p in points])

    # -- entering an event -------------------------------------------------------------------------
    def add_event(self) -> None:
        dialog = EventDialog(revenue.account_choices(self.session.ws), self.day(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.save_event(*dialog.values())

    def save_event(self, account_id: int, kind: str, day: date, change: float, note: str) -> bool:
        try:
            revenue.add_event(self.session.ws, account_id, kind, day, change, note=note or None)
        except ValueError as exc:
            self.show_error(str(exc))
            return False
        self.session.notify_changed()
        return True


class EventDialog(QDialog):
    """Account, kind, date, ARR change and a note of a revenue event entered by hand."""

    def __init__(self, accounts: list[tuple[int, str, float | None]], today: date, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Add a revenue event")
        form = QFormLayout(self)
        self.account = QComboBox()
        self.account.setEditable(True)
        self.account.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for account_id, name, arr in accounts:
            self.account.addItem(f"{name} (ARR {money(arr)})", account_id)
        self.account.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.account.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.kind = QComboBox()
        for kind in revenue.EVENT_KINDS:
            self.kind.addItem(revenue.KIND_LABELS[kind], kind)
        self.day = _date_edit(today)
        self.change = QDoubleSpinBox()
        self.change.setRange(-1e9, 1e9)
        self.change.setDecimals(0)
        self.change.setSingleStep(1000)
        self.change.setGroupSeparatorShown(True)
        self.change.setToolTip("Positive for new, upsell and cross-sell; negative for churn and downsell "
                               "(a churn left at 0 loses the whole ARR)")
        self.note = QLineEdit()
        for text, w in (("&Account:", self.account), ("&Kind:", self.kind), ("&Date:", self.day),
                        ("ARR &change:", self.change), ("&Note:", self.note)):
            form.addRow(text, w)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[int, str, date, float, str]:
        return (self.account.currentData(), self.kind.currentData(), _pydate(self.day), self.change.value(),
                self.note.text().strip())
