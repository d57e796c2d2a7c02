"""Accounts: the account rollup — each account's true NPS (its contacts' latest responses in the window,
never an average score), latest score, a quarterly sparkline, ARR, renewal and open actions — sortable;
and an account's view with every response, action and revenue event on one timeline.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget)

from ...core import account_view, analytics, browse, labels, nps
from ...core.words import minute, plural
from .. import theme
from ..widgets.filter_bar import page_header
from ..widgets.fit import ElidedLabel
from ..widgets.kpi_tile import KpiTile, TileRow
from ..widgets.rows_model import ROW_ROLE, Column, RowsModel, sortable
from ..widgets.sparkline import SparklineDelegate
from ..widgets.table_export import export_button, export_model
from ..widgets.table_view import table_view
from ..workers import run_task
from .base import Page
from .dashboard import fmt_nps
from ...core import clock
from ..amounts import money


def _num(x: float | None) -> float:
    return -1e9 if x is None else x


def renewal_text(d: str | None, today: date | None = None) -> str:
    if not d:
        return "—"
    days = (date.fromisoformat(d) - (today or clock.today())).days
    return f"{d} ({days} d)" if 0 <= days <= 120 else d


def renewal_in(d: str | None, today: date | None = None) -> str:
    if not d:
        return ""
    days = (date.fromisoformat(d) - (today or clock.today())).days
    return f"in {plural(days, 'day')}" if days >= 0 else f"{plural(-days, 'day')} ago"


def _nps_color(r: account_view.AccountRow) -> str | None:
    if r.nps is None:
        return None
    return theme.PROMOTER if r.nps >= 30 else theme.DETRACTOR if r.nps < 0 else None


ACCOUNT_COLUMNS = [
    Column("Account", lambda r: r.name, sort=lambda r: r.name.lower(), bold=lambda r: True),
    Column("Tier", lambda r: r.tier or ""),
    Column("Region", lambda r: r.region or ""),
    Column("Owner", lambda r: r.owner or ""),
    Column("NPS", lambda r: fmt_nps(r.nps), sort=lambda r: _num(r.nps), right=True, color=_nps_color,
           tooltip=lambda r: None if r.score is None else
           f"True NPS of {r.contacts} contacts' latest responses in the window "
           f"({r.score.result.promoters} promoters, {r.score.result.passives} passives, "
           f"{r.score.result.detractors} detractors); mean score {r.score.mean_score:.1f} → "
           f"{r.score.category}"),
    Column("Contacts", lambda r: str(r.contacts) if r.score else "—", sort=lambda r: r.contacts, right=True),
    Column("Latest", lambda r: "—" if r.score is None else f"{r.score.latest_score} on {r.score.latest_on}",
           sort=lambda r: "" if r.score is None else r.score.latest_on,
           color=lambda r: None if r.score is None else theme.score_color(r.score.latest_score)),
    Column("Trend, 8 quarters", lambda r: "", sort=lambda r: _num(next(
        (v for v in reversed(r.trend) if v is not None), None))),
    Column("ARR", lambda r: money(r.arr), sort=lambda r: _num(r.arr), right=True),
    Column("Renewal", lambda r: renewal_text(r.renewal_date), sort=lambda r: r.renewal_date or "9999"),
    Column("Open actions", lambda r: str(r.open_actions) if r.open_actions else "", sort=lambda r: r.open_actions,
           right=True, color=lambda r: theme.DETRACTOR if r.open_actions else None),
]
COL_TREND = 7
KIND_COLORS = {"action": theme.ACCENT, "revenue": theme.PASSIVE}
TIMELINE_COLUMNS = [
    Column("Date", lambda i: minute(i.on), sort=lambda i: i.on),
    Column("Type", lambda i: i.kind.capitalize(),
           color=lambda i: theme.score_color(i.score) if i.score is not None else KIND_COLORS.get(i.kind)),
    Column("What", lambda i: i.title + (f"  {i.amount:+,.0f}" if i.amount else ""), bold=lambda i: True),
    Column("Details", lambda i: i.detail, tooltip=lambda i: i.detail),
]


class AccountView(QWidget):
    """One account: its figures in the window and its timeline."""

    def __init__(self, page: "AccountsPage"):
        super().__init__()
        self.page = page
        self.account_id: int | None = None
        self.info: dict[str, Any] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        top = QHBoxLayout()
        back = QPushButton("← All accounts")
        back.clicked.connect(page.show_list)
        self.responses_button = QPushButton("See its responses")
        self.responses_button.clicked.connect(self.open_responses)
        top.addWidget(back)
        top.addStretch(1)
        top.addWidget(self.responses_button)
        layout.addLayout(top)
        self.name = QLabel("")
        self.name.setObjectName("PageTitle")
        self.meta = QLabel("")
        self.meta.setObjectName("Muted")
        layout.addWidget(self.name)
        layout.addWidget(self.meta)
        self.tile_nps = KpiTile("NPS in the window", "True NPS of its contacts' latest responses in the window")
        self.tile_latest = KpiTile("Latest score", "The account's most recent response in the window")
        self.tile_arr = KpiTile("ARR", "Annual recurring revenue")
        self.tile_renewal = KpiTile("Renewal", "Next renewal date")
        self.tile_actions = KpiTile("Open actions", "Close-the-loop actions not done yet")
        for t in (self.tile_nps, self.tile_latest, self.tile_arr, self.tile_renewal, self.tile_actions):
            t.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(TileRow((self.tile_nps, self.tile_latest, self.tile_arr, self.tile_renewal, self.tile_actions),
                                 spacing=layout.spacing()))
        head = QHBoxLayout()
        title = QLabel("Timeline: responses, actions and revenue events")
        title.setObjectName("SectionTitle")
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(export_button(self, self.export))
        layout.addLayout(head)
        self.timeline = RowsModel(TIMELINE_COLUMNS)
        self.timeline_proxy = sortable(self.timeline)
        self.table = table_view(self.timeline_proxy, sort=(0, Qt.SortOrder.DescendingOrder), grid=False)
        hh = self.table.horizontalHeader()
        hh.resizeSection(0, 130)
        hh.resizeSection(1, 80)
        hh.resizeSection(2, 330)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

    def show_account(self, result: dict[str, Any]) -> None:
        info, score, items = result["info"], result["score"], result["timeline"]
        self.account_id, self.info = info["id"], info
        self.name.setText(info["name"])
        parts = [labels.display(k, info.get(k)) for k in ("tier", "region", "industry", "lifecycle_stage")]
        self.meta.setText(" · ".join(p for p in parts if p) + f" · owner {info.get('owner') or '—'} · "
                          f"{info['contacts']} contacts · {labels.display('account_status', info['status'])} · "
                          f"window: {result['scope']}")
        if score is None:
            self.tile_nps.set("—", "no responses in the window")
            self.tile_latest.set("—", "")
        else:
            r = score.result
            self.tile_nps.set(fmt_nps(score.nps), f"{plural(r.responses, 'contact')}: {r.promoters} · "
                              f"{r.passives} · {r.detractors} · category {score.category}",
                              value_tone="good" if score.nps > 0 else "bad" if score.nps < 0 else "")
            self.tile_nps.setToolTip("True NPS of its contacts' latest responses in the window; promoters · "
                                     "passives · detractors; the category comes from their mean score")
            self.tile_latest.set(str(score.latest_score), f"on {score.latest_on} · "
                                 f"{nps.classify(score.latest_score)}")
        self.tile_arr.set(money(info["arr"]), f"{info['seats']} seats" if info.get("seats") else "")
        self.tile_renewal.set(info["renewal_date"] or "—", renewal_in(info["renewal_date"]))
        self.tile_actions.set(str(result["open_actions"]), "")
        self.timeline.set_rows(items)

    def open_responses(self) -> None:
        if self.info is None:
            return
        from .responses import show_responses
        f = self.page.filter_bar.filters().with_values("account", (self.info["name"],))
        show_responses(self.page, browse.ResponseQuery(filters=f), f"Account: {self.info['name']}")

    def export(self, suffix: str):
        name = (self.info or {}).get("name", "account")
        return export_model(self, self.timeline_proxy, f"timeline-{name}", suffix)


class AccountsPage(Page):
    title = "Accounts"
    needs = "accounts"
    empty_text = ("No accounts yet. Import the account list from your CRM (name, ARR, renewal date, owner…): each "
                  "account's true NPS, trend and open actions appear here.")

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 12)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)

        listing = QWidget()
        layout = QVBoxLayout(listing)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.summary, self.filter_bar = page_header(self, layout, "Accounts", "last_12_months", self.export)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find an account…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.search.setMaximumWidth(320)
        self.search.textChanged.connect(self.apply_local_filters)
        self.only_scored = QCheckBox("Only accounts with responses in the window")
        self.only_scored.setChecked(True)
        self.only_scored.toggled.connect(self.apply_local_filters)
        note = ElidedLabel("NPS: the true NPS of each contact's latest response in the window — never an average score.")
        note.setObjectName("Muted")
        note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.search)
        row.addWidget(self.only_scored)
        row.addWidget(note, 1)
        layout.addLayout(row)
        self.model = RowsModel(ACCOUNT_COLUMNS)
        self.proxy = sortable(self.model)
        self.table = table_view(self.proxy, sort=(8, Qt.SortOrder.DescendingOrder), grid=False, stretch_last=False)
        self.table.setItemDelegateForColumn(COL_TREND, SparklineDelegate(lambda r: r.trend, self.table))
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate((220, 84, 100, 100, 56, 68, 118, 112, 108, 132, 92)):   # ARR: "USD 786,400" whole
            hh.resizeSection(col, width)
        hh.setMinimumSectionSize(50)
        self.table.doubleClicked.connect(self._open_row)
        self.table.activated.connect(self._open_row)
        self.table.setToolTip("Double-click an account to see its timeline")
        layout.addWidget(self.table, 1)
        self.stack.addWidget(listing)
        self.account = AccountView(self)
        self.stack.addWidget(self.account)
        self.all_rows: list[account_view.AccountRow] = []
        self.table_data: account_view.AccountTable | None = None
        self._account_request = 0

    # -- the list ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.session.ws is None:
            return
        filters = self.filter_bar.filters()
        self.summary.setText("Loading…")
        self.load(lambda ws, p, c: account_view.account_table(ws, filters), self.show_table)
        if self.stack.currentWidget() is self.account and self.account.account_id is not None:
            self.open_account(self.account.account_id)

    def show_table(self, table: account_view.AccountTable) -> None:
        self.table_data = table
        self.all_rows = table.rows
        if table.quarters:
            from ..widgets.charts import period_label
            self.model.columns[COL_TREND] = replace(
                ACCOUNT_COLUMNS[COL_TREND], tooltip=lambda r, q=table.quarters: "NPS per quarter, "
                f"{period_label(q[0])} – {period_label(q[-1])}: " + ", ".join(
                    "—" if v is None else fmt_nps(v) for v in r.trend))
        self.apply_local_filters()

    def apply_local_filters(self) -> None:
        text = self.search.text().strip().lower()
        rows = [r for r in self.all_rows if (not self.only_scored.isChecked() or r.score is not None)
                and (not text or text in r.name.lower())]
        self.model.set_rows(rows)
        scored = sum(1 for r in self.all_rows if r.score is not None)
        self.summary.setText(f"{len(self.all_rows):,} accounts · {scored:,} with responses in the window"
                             + (f" · {len(rows):,} shown" if len(rows) != len(self.all_rows) else ""))

    def export(self, suffix: str):
        return export_model(self, self.proxy, "accounts", suffix)

    # -- one account -------------------------------------------------------------------------------
    def _open_row(self, index) -> None:
        row = self.proxy.data(index, ROW_ROLE)
        if row is not None:
            self.open_account(row.id)

    def open_account(self, account_id: int) -> None:
        """Show one account's view (loading it in the background)."""
        filters = self.filter_bar.filters()

        def job(ws, progress, cancelled) -> dict[str, Any]:
            info = account_view.account_info(ws, account_id)
            resolved = analytics.resolve(ws, filters)
            scoped = resolved.with_values("account", (info["name"],))
            scoped = analytics.Filters(resolved.date_from, resolved.date_to, scoped.values)
            items = account_view.timeline(ws, account_id)
            return {"info": info, "score": analytics.account_scores(ws, scoped).get(account_id),
                    "timeline": items, "scope": resolved.describe(), "open_actions": info["open_actions"]}
        self._account_request += 1
        request = self._account_request
        run_task(self.session.job(job, read_only=True), owner=self, on_error=self.show_error,
                 on_done=lambda result: self._show_account(request, result))

    def _show_account(self, request: int, result: dict[str, Any]) -> None:
        if request != self._account_request:
            return
        self.account.show_account(result)
        self.stack.setCurrentWidget(self.account)

    def show_list(self) -> None:
        self.stack.setCurrentIndex(0)
        if not self.all_rows:
            self.refresh()
