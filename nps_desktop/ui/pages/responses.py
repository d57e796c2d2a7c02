"""Responses: every response, sortable and searchable (comment, email, account), through a lazy table
model that reads a page at a time in the background; a detail pane with the contact's and the
account's history, and the correction of a mistyped score (recorded, with its history).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFormLayout, QFrame, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox, QSplitter,
                               QTableView, QTabWidget, QTextBrowser, QToolButton, QVBoxLayout, QWidget)

from ...core import analytics, browse, labels, nps
from .. import theme
from ..models import (COL_ACCOUNT, COL_COMMENT, COL_CONTACT, COL_DATE, COL_KIND, COL_PRODUCT, COL_SCORE,
                      COL_TOUCHPOINT, ROW_ROLE, ResponsesModel)
from ..widgets.filter_bar import page_header
from ..widgets.table_export import ask_path, write_in_background
from ..amounts import money
from .base import Page
from .reports.quotes import open_quote

BANNER_STYLE = (f"QFrame#Banner {{ background: palette(alternate-base); border-left: 3px solid {theme.ACCENT}; "
                "border-radius: 4px; }")


def show_responses(page: Page, query: browse.ResponseQuery, note: str) -> None:
    """Open the Responses page on ``query`` from another page (through the session's ``navigate``)."""
    page.session.go("responses", lambda responses: responses.show_query(query, note))


def score_badge(score: int) -> str:
    color = theme.score_color(score)
    return (f"<span style='background:{color}; color:white; font-size:20px; font-weight:600; "
            f"padding:2px 10px; border-radius:6px'>&nbsp;{score}&nbsp;</span>")


def esc(text: Any) -> str:
    from html import escape
    return escape("" if text is None else str(text))


class CorrectScoreDialog(QDialog):
    """Ask for the right score and why; the original is kept and the correction recorded."""

    def __init__(self, current: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Correct a mistyped score")
        form = QFormLayout(self)
        form.addRow(QLabel(f"The score recorded is <b>{current}</b>. The original stays in the history."))
        self.score = QSpinBox()
        self.score.setRange(0, 10)
        self.score.setValue(current)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. the customer wrote 9 in the comment")
        form.addRow("Correct score", self.score)
        form.addRow("Reason", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class DetailPane(QWidget):
    """One response: score, comment, program, contact, account, corrections, and the histories."""

    def __init__(self, page: "ResponsesPage"):
        super().__init__()
        self.page = page
        self.detail: dict[str, Any] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 4, 4)
        self.head = QLabel("Select a response to see it here.")
        self.head.setObjectName("Muted")
        self.head.setWordWrap(True)
        self.head.setTextFormat(Qt.TextFormat.RichText)
        self.body = QLabel("")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.body.linkActivated.connect(self._link)
        buttons = QGridLayout()
        self.correct_button = QPushButton("Correct score…")
        self.correct_button.setToolTip("Fix a mistyped score; the original and the reason are recorded")
        self.correct_button.clicked.connect(lambda: self.page.correct_score())
        self.correct_button.setEnabled(False)
        self.account_button = QPushButton("Open account")
        self.account_button.clicked.connect(lambda: self._link("account"))
        self.account_button.setEnabled(False)
        self.pack_button = QPushButton("Add to pack…")
        self.pack_button.setToolTip("Quote this comment in the quarter's executive review pack")
        self.pack_button.clicked.connect(lambda: self.page.add_to_pack())
        self.pack_button.setEnabled(False)
        self.follow_up_button = QPushButton("Open follow-up")
        self.follow_up_button.setToolTip("The action this response created, in the Actions queue")
        self.follow_up_button.clicked.connect(lambda: self._link("actions"))
        self.follow_up_button.setEnabled(False)
        # two rows of two: the detail pane is narrow on a laptop screen
        for i, button in enumerate((self.correct_button, self.account_button, self.follow_up_button, self.pack_button)):
            buttons.addWidget(button, i // 2, i % 2)
        buttons.setColumnStretch(2, 1)
        self.tabs = QTabWidget()
        self.contact_history = QTextBrowser()
        self.account_history = QTextBrowser()
        for browser in (self.contact_history, self.account_history):
            browser.setOpenLinks(False)
        self.tabs.addTab(self.contact_history, "Contact history")
        self.tabs.addTab(self.account_history, "Account history")
        layout.addWidget(self.head)
        layout.addWidget(self.body)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)

    def clear(self) -> None:
        self.detail = None
        self.head.setText("Select a response to see it here.")
        self.body.setText("")
        self.contact_history.clear()
        self.account_history.clear()
        self.correct_button.setEnabled(False)
        self.account_button.setEnabled(False)
        self.follow_up_button.setEnabled(False)
        self.pack_button.setEnabled(False)

    def show_detail(self, result: dict[str, Any]) -> None:
        d = result["detail"]
        self.detail = d
        category = nps.classify(d["score"])
        self.head.setText(f"{score_badge(d['score'])} &nbsp;<b>{category.capitalize()}</b> "
                          f"<span style='color:{theme.TEXT_MUTED}'>· {esc(d['responded_at'][:16].replace('T', ' '))}"
                          f"</span>")
        lines = []
        if d["corrections"]:
            lines.append("<b>Corrected</b>: " + "; ".join(
                f"{c['old_score']} → {c['new_score']} on {esc(c['at'][:10])}"
                + (f" ({esc(c['reason'])})" if c["reason"] else "") for c in d["corrections"]))
        program = " · ".join(esc(x) for x in (analytics.KIND_LABELS.get(d["kind"], d["kind"]), d["program"],
                                              d["touchpoint"], d["product"]) if x)
        lines.append(f"<span style='color:{theme.TEXT_MUTED}'>{program}</span>")
        lines.append(f"<p style='font-size:14px'>{esc(d['comment']) or '<i>No comment</i>'}</p>")
        who = esc(d["contact_name"] or d["email"] or "Unknown contact")
        role = f" ({esc(d['role'])})" if d["role"] else ""
        opted = " · <i>opted out</i>" if d.get("opted_out") else ""
        lines.append(f"<b>Contact</b>: {who}{role} · {esc(d['email'] or '')}{opted}")
        if d["account"]:
            lines.append(f"<b>Account</b>: <a href='account'>{esc(d['account'])}</a> · "
                         + " · ".join(esc(x) for x in (d["tier"], d["region"], d["industry"]) if x)
                         + f"<br>ARR {money(d['arr'])} · renews {esc(d['renewal_date'] or '—')} · "
                           f"owner {esc(d['owner'] or '—')}")
        else:
            lines.append("<b>Account</b>: <i>not linked to an account</i>")
        lines.append(follow_up_html(d["follow_ups"]))
        self.body.setText("<br>".join(lines))
        self.correct_button.setEnabled(True)
        self.account_button.setEnabled(d["account_id"] is not None)
        self.follow_up_button.setEnabled(bool(d["follow_ups"]))
        self.pack_button.setEnabled(bool((d["comment"] or "").strip()))
        self.contact_history.setHtml(history_html(result["contact_history"], d["id"]))
        self.account_history.setHtml(timeline_html(result["timeline"]) if result["timeline"] is not None
                                     else "<i>Not linked to an account.</i>")

    def _link(self, what: str) -> None:
        if what == "actions" and self.detail:     # the follow-up: the Actions page, found by the contact
            window = self.window()
            if hasattr(window, "page") and hasattr(window, "show_page"):
                actions = window.page("actions")
                actions.status_filter.setCurrentIndex(actions.status_filter.findText("All statuses"))
                actions.search.setText(self.detail["contact_email"] or self.detail["email"] or self.detail["account"] or "")
                window.show_page("actions")
            return
        if self.detail and self.detail["account_id"] is not None:
            account_id = self.detail["account_id"]
            self.page.session.go("accounts", lambda accounts: accounts.open_account(account_id))


def follow_up_html(actions: list[dict[str, Any]]) -> str:
    """The follow-ups the response created: play, status, owner, due date, outcome; a link to the queue."""
    if not actions:
        return "<b>Follow-up</b>: <i>none (no play created an action for it)</i>"
    items = []
    for a in actions:
        parts = [labels.display("status", a["status"]), f"owner {esc(a['owner'] or '—')}"]
        if a["due"]:
            parts.append(f"due {esc(a['due'])}")
        if a["outcome"]:
            parts.append(f"outcome: {esc(labels.display('outcome', a['outcome']))}")
        items.append(f"<a href='actions'>{esc(a['play_name'] or labels.display('play', a['play']))}</a> · "
                     + " · ".join(parts))
    return "<b>Follow-up</b>: " + "<br>".join(items)


def history_html(rows: list[dict[str, Any]], current: int) -> str:
    if not rows:
        return "<i>No other responses.</i>"
    out = ["<table cellspacing='0' cellpadding='4' width='100%'>"]
    for r in rows:
        mark = " style='background:#eef2ff'" if r["id"] == current else ""
        corrected = f" <small>(was {r['original_score']})</small>" if r["original_score"] is not None else ""
        out.append(f"<tr{mark}><td width='80'>{esc(r['responded_at'][:10])}</td>"
                   f"<td width='40' style='color:{theme.score_color(r['score'])}'><b>{r['score']}</b>{corrected}</td>"
                   f"<td>{esc(analytics.KIND_LABELS.get(r['kind'], r['kind']))} {esc(r['touchpoint'] or '')}"
                   f"<br><span style='color:{theme.TEXT_MUTED}'>{esc(r['comment'] or '')}</span></td></tr>")
    out.append("</table>")
    return "".join(out)


def timeline_html(items) -> str:
    if not items:
        return "<i>Nothing yet.</i>"
    colors = {"action": theme.ACCENT, "revenue": theme.PASSIVE}
    out = ["<table cellspacing='0' cellpadding='4' width='100%'>"]
    for i in items:
        color = theme.score_color(i.score) if i.score is not None else colors.get(i.kind, theme.TEXT_MUTED)
        amount = f" {i.amount:+,.0f}" if i.amount else ""
        out.append(f"<tr><td width='80'>{esc(i.on[:10])}</td><td style='color:{color}'><b>{esc(i.title)}"
                   f"{amount}</b><br><span style='color:{theme.TEXT_MUTED}'>{esc(i.detail)}</span></td></tr>")
    out.append("</table>")
    return "".join(out)


class ResponsesPage(Page):
    title = "Responses"
    needs = "responses"
    empty_text = ("No responses yet. Import a survey export to search every response, its comment, and the "
                  "contact's and account's history.")

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        self.count_label, self.filter_bar = page_header(self, layout, "Responses", "all_time", self.export)

        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search comments, emails and account names…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(340)
        self.search.setMaximumWidth(460)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda *_: self._search_timer.start())
        row.addWidget(self.search)
        self.banner = QFrame()
        self.banner.setObjectName("Banner")
        self.banner.setStyleSheet(BANNER_STYLE)
        bl = QHBoxLayout(self.banner)
        bl.setContentsMargins(10, 2, 4, 2)
        self.banner_text = QLabel("")
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Show every score again")
        close.clicked.connect(self.clear_scores)
        bl.addWidget(self.banner_text)
        bl.addWidget(close)
        self.banner.setVisible(False)
        row.addWidget(self.banner)
        row.addStretch(1)
        layout.addLayout(row)

        self.model = ResponsesModel(session, parent=self)  # dies with the page: no late signal reaches it
        self.model.counted.connect(self._counted)
        self.model.loading.connect(lambda busy: self.count_label.setText(
            self.count_label.text() if not busy or self.model.rowCount() else "Loading…"))
        self.model.failed.connect(lambda msg: self.show_error(msg))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(26)
        hh = self.table.horizontalHeader()
        for col, width in ((COL_DATE, 122), (COL_SCORE, 52), (COL_COMMENT, 300), (COL_ACCOUNT, 160),
                           (COL_CONTACT, 190), (COL_KIND, 64), (COL_TOUCHPOINT, 88), (COL_PRODUCT, 110)):
            hh.resizeSection(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_selected)

        self.detail = DetailPane(self)
        detail_scroll = QScrollArea()
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        detail_scroll.setWidget(self.detail)
        detail_scroll.setMinimumWidth(320)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(detail_scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([820, 380])
        layout.addWidget(split, 1)
        self.scores: tuple[int, ...] = ()
        self._own_change = False

    # -- the query ---------------------------------------------------------------------------------
    def query(self) -> browse.ResponseQuery:
        return browse.ResponseQuery(self.filter_bar.filters(), self.search.text().strip(), self.scores,
                                    self.model.query.sort, self.model.query.descending)

    def refresh(self) -> None:
        if self._own_change:  # our own score correction: the row was updated in place
            self._own_change = False
            return
        if self.session.ws is None:
            return
        self.stale = False
        self.detail.clear()
        self.model.set_query(self.query())

    def show_query(self, query: browse.ResponseQuery, note: str = "") -> None:
        """Show ``query`` (from a click on another page), with ``note`` saying where it came from."""
        self.filter_bar.set_filters(query.filters, emit=False)
        self.search.blockSignals(True)
        self.search.setText(query.search)
        self.search.blockSignals(False)
        self.scores = tuple(query.scores)
        self.banner_text.setText(note + (f" · scores {', '.join(map(str, self.scores))}" if self.scores
                                         and "Score" not in note else ""))
        self.banner.setVisible(bool(note))
        self.stale = False
        self.detail.clear()
        self.model.set_query(query.sorted_by(self.model.query.sort, self.model.query.descending))

    def clear_scores(self) -> None:
        self.scores = ()
        self.banner.setVisible(False)
        self.refresh()

    def _counted(self, n: int) -> None:
        scope = self.filter_bar.filters()
        self.count_label.setText(f"{n:,} responses" + ("" if scope.preset == "all_time" and not scope.values
                                                         and not self.search.text() and not self.scores
                                                         else " match"))

    # -- detail ------------------------------------------------------------------------------------
    def selected_row(self) -> browse.ResponseRow | None:
        index = self.table.currentIndex()
        return None if not index.isValid() else self.model.data(index, ROW_ROLE)

    def _row_selected(self, current, *_: Any) -> None:
        row = self.model.data(current, ROW_ROLE) if current.isValid() else None
        if row is None:
            self.detail.clear()
            return
        self.load_detail(row.id)

    def load_detail(self, response_id: int) -> None:
        from ...core import account_view

        def job(ws, progress, cancelled) -> dict[str, Any]:
            d = browse.response_detail(ws, response_id)
            return {"detail": d, "contact_history": browse.contact_history(ws, d["contact_id"], d["email"]),
                    "timeline": None if d["account_id"] is None else account_view.timeline(ws, d["account_id"])}
        self.load(job, self.detail.show_detail)

    def correct_score(self) -> None:
        """Ask for the right score and why (a dialog), record the correction, update the row."""
        d = self.detail.detail
        if d is None:
            return
        dialog = CorrectScoreDialog(d["score"], self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._record_correction(dialog.score.value(), dialog.reason.text())

    def _record_correction(self, new_score: int, reason: str) -> None:
        row, d = self.selected_row(), self.detail.detail
        if d is None:
            return
        rid = d["id"]
        table_row = self.table.currentIndex().row()

        def job(ws, progress, cancelled):
            browse.correct_score(ws, rid, new_score, reason)
            return browse.rows_by_id(ws, [rid])[0]

        def done(updated: browse.ResponseRow) -> None:
            if row is not None and 0 <= table_row < self.model.rowCount() \
                    and self.model.rows[table_row].id == rid:
                self.model.replace_row(table_row, updated._replace(cursor=self.model.rows[table_row].cursor))
            self.load_detail(rid)
            self._own_change = self.isVisible()
            self.session.notify_changed()
        from ..workers import run_task
        run_task(self.session.job(job), owner=self, write=True, on_done=done, on_error=self.show_error)

    def add_to_pack(self) -> None:
        """Choose the selected response's comment for the pack of its quarter (a dialog asks how)."""
        if self.detail.detail is not None:
            open_quote(self, self.session, self.detail.detail["id"])

    # -- export ------------------------------------------------------------------------------------
    def export(self, suffix: str, path=None):
        path = path or ask_path(self, "responses", suffix)
        if path is None:
            return None
        query = self.model.query
        return write_in_background(
            self, path, browse.EXPORT_HEADER,
            lambda ws: (browse.export_row(r) for r in browse.iter_rows(ws, query)),
            session=self.session, total=self.model.total or 0)
