"""Themes: what drives detractors and promoters — the theme × category matrix, each theme's impact on
NPS, theme trends, verbatims with the matched words highlighted, at-risk passives, and the dictionary
editor (retagging runs in the background with progress and cancel).
"""
from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit,
                               QProgressBar, QPushButton, QSplitter, QTabWidget, QTextBrowser,
                               QVBoxLayout, QWidget)

from ....core import analytics
from ....core.text import insight, store, tagging
from ....core.text.analyzer import Analyzer
from ....core.text.themes import Theme, ThemeError, make_theme, slugify
from ....core.worth import drivers
from ... import theme as colors
from ...widgets.kpi_tile import KpiTile
from ...widgets.rows_model import ROW_ROLE, Column, RowsModel
from ...widgets.table_view import table_view
from ...workers import Task, run_task
from ..base import Page
from ..drivers_panel import DriversPanel
from ..reports.quotes import open_quote
from ....core import clock
from .charts import ImpactChart, ThemeTrendChart
from .models import MatrixModel, _selected, pct
from .verbatims import POLARITY, highlight, verbatim_html




VERBATIM_PAGE = 40


SYNTAX = ("One phrase per line; words match whole words, ignoring case and accents. "
          "<b>integrat*</b> matches any ending. Start a line with <b>~</b> to count it only when no "
          "other theme is named nearby (\"easy\"), <b>-</b> for a complaint by itself "
          "(\"-doesn't support\"), <b>+</b> for praise by itself. The longest phrase wins. Chinese and "
          "Japanese phrases (价格, サポート) match wherever their characters stand together.")


class ThemesPage(Page):
    title = "Themes"
    needs = "responses"
    empty_text = ("No comments yet. Import survey responses with their comments to see what drives detractors and "
                  "promoters.")
    summary = "What drives detractors and promoters: themes and sentiment of the comments."

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.today: date | None = None           # tests may fix "today"
        self.report: insight.ThemeReport | None = None
        self.themes: list[Theme] = []
        self.retag_task: Task | None = None
        self.last_retag: tagging.RetagResult | None = None
        self._verbatim_theme: str | None = None
        self._verbatims: list[insight.Verbatim] = []
        self._reads: dict[str, Task] = {}     # the latest background read of each kind
        self._filling = False

        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        title_box = QVBoxLayout()
        heading = QLabel("Themes")
        heading.setObjectName("PageTitle")
        sub = QLabel("What the comments are about, and which themes pull NPS down or lift it.")
        sub.setObjectName("Muted")
        title_box.addWidget(heading)
        title_box.addWidget(sub)
        head.addLayout(title_box, 1)
        self.period = QComboBox()
        for key, text in analytics.PRESETS.items():
            self.period.addItem(text, key)
        self.period.setCurrentIndex(self.period.findData("all_time"))
        self.program = QComboBox()
        self.program.addItem("All programs", None)
        for kind, text in analytics.KIND_LABELS.items():
            self.program.addItem(text, kind)
        for label, combo in (("&Period", self.period), ("P&rogram", self.program)):
            buddy = QLabel(label)
            buddy.setBuddy(combo)
            head.addWidget(buddy)
            head.addWidget(combo)
            combo.currentIndexChanged.connect(self.refresh)
        layout.addLayout(head)

        tiles = QHBoxLayout()
        self.tile_comments = KpiTile("Comments", "Responses in scope with a comment")
        self.tile_tagged = KpiTile("With a theme", "Comments that mention at least one theme")
        self.tile_sentiment = KpiTile("Sentiment", "Mean sentiment of the comments, from −1 to 1 (offline lexicon)")
        self.tile_top = KpiTile("Top detractor theme", "The theme most detractor comments mention")
        self.tile_risk = KpiTile("At-risk passives", "Passives (7–8) whose comment is negative or complains")
        for t in (self.tile_comments, self.tile_tagged, self.tile_sentiment, self.tile_top, self.tile_risk):
            tiles.addWidget(t)
        layout.addLayout(tiles)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._drivers_tab(), "&Drivers")
        self.key_drivers = DriversPanel()
        self.tabs.addTab(self.key_drivers, "&Key drivers")
        self.tabs.addTab(self._trend_tab(), "T&rend")
        self.tabs.addTab(self._risk_tab(), "&At-risk passives")
        self.tabs.addTab(self._dictionary_tab(), "Dictionar&y")
        layout.addWidget(self.tabs, 1)

    # -- building ----------------------------------------------------------------------------------
    def _drivers_tab(self) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        t = QLabel("Theme × category: share of each category's comments that mention the theme")
        t.setObjectName("SectionTitle")
        lv.addWidget(t)
        self.matrix = MatrixModel()
        self.matrix_view = table_view(self.matrix)
        self.matrix_view.selectionModel().currentRowChanged.connect(lambda *_: self._theme_selected())
        lv.addWidget(self.matrix_view, 1)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(8, 0, 0, 0)
        t = QLabel("Impact on NPS (right, red: pulls NPS down)")
        t.setObjectName("SectionTitle")
        rv.addWidget(t)
        self.impact_chart = ImpactChart()
        rv.addWidget(self.impact_chart, 1)
        top.addWidget(left)
        top.addWidget(right)
        top.setSizes([760, 440])
        split.addWidget(top)

        bottom = QWidget()
        bv = QVBoxLayout(bottom)
        bv.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        self.verbatim_title = QLabel("Verbatims: select a theme")
        self.verbatim_title.setObjectName("SectionTitle")
        bar.addWidget(self.verbatim_title, 1)
        self.verbatim_category = QComboBox()
        for text, value in (("All categories", None), ("Detractors", "detractor"), ("Passives", "passive"),
                            ("Promoters", "promoter")):
            self.verbatim_category.addItem(text, value)
        self.verbatim_polarity = QComboBox()
        for text, value in (("Complaints and praise", None), ("Complaints", -1), ("Praise", 1), ("Mentions", 0)):
            self.verbatim_polarity.addItem(text, value)
        self.more_button = QPushButton("Show more")
        for w in (self.verbatim_category, self.verbatim_polarity, self.more_button):
            bar.addWidget(w)
        self.verbatim_category.currentIndexChanged.connect(lambda: self.load_verbatims())
        self.verbatim_polarity.currentIndexChanged.connect(lambda: self.load_verbatims())
        self.more_button.clicked.connect(lambda: self.load_verbatims(more=True))
        bv.addLayout(bar)
        self.verbatim_view = QTextBrowser()
        self.verbatim_view.setOpenLinks(False)
        self.verbatim_view.anchorClicked.connect(self._verbatim_link)
        bv.addWidget(self.verbatim_view, 1)
        split.addWidget(bottom)
        split.setSizes([430, 300])
        v.addWidget(split, 1)
        return tab

    def _trend_tab(self) -> QWidget:
        tab = QWidget()
        h = QHBoxLayout(tab)
        side = QVBoxLayout()
        self.trend_period = QComboBox()
        self.trend_period.addItem("By quarter", "quarter")
        self.trend_period.addItem("By month", "month")
        self.trend_period.currentIndexChanged.connect(lambda: self.load_trend())
        side.addWidget(self.trend_period)
        hint = QLabel("Themes to show:")
        hint.setObjectName("Muted")
        side.addWidget(hint)
        self.trend_list = QListWidget()
        self.trend_list.setMaximumWidth(240)
        self.trend_period.setMaximumWidth(240)
        self.trend_list.itemChanged.connect(lambda *_: self.load_trend())
        side.addWidget(self.trend_list, 1)
        h.addLayout(side)
        box = QVBoxLayout()
        t = QLabel("Share of comments that mention each theme")
        t.setObjectName("SectionTitle")
        box.addWidget(t)
        self.trend_chart = ThemeTrendChart()
        box.addWidget(self.trend_chart, 1)
        h.addLayout(box, 1)
        return tab

    def _risk_tab(self) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        self.risk_title = QLabel("")
        self.risk_title.setObjectName("SectionTitle")
        self.risk_title.setWordWrap(True)
        v.addWidget(self.risk_title)
        labels = lambda: {t.name: t.label for t in self.themes}  # noqa: E731
        self.risk_model = RowsModel([
            Column("Date", lambda r: r.responded_on),
            Column("Score", lambda r: str(r.score), sort=lambda r: r.score, right=True,
                   color=lambda r: colors.score_color(r.score)),
            Column("Account", lambda r: r.account or "—"),
            Column("Complains about", lambda r: ", ".join(labels().get(c, c) for c in r.complaints) or "—"),
            Column("Sentiment", lambda r: "—" if r.sentiment is None else f"{r.sentiment:+.2f}",
                   sort=lambda r: r.sentiment if r.sentiment is not None else 0, right=True,
                   color=lambda r: colors.DETRACTOR if (r.sentiment or 0) <= -0.05 else None),
            Column("Comment", lambda r: " ".join(r.comment.split()), tooltip=lambda r: r.comment),
        ])
        self.risk_view = table_view(self.risk_model)
        v.addWidget(self.risk_view, 1)
        return tab

    def _dictionary_tab(self) -> QWidget:
        tab = QWidget()
        h = QHBoxLayout(tab)
        left = QVBoxLayout()
        self.dict_model = RowsModel([
            Column("Theme", lambda t: t.label, bold=lambda t: t.enabled,
                   color=lambda t: None if t.enabled else colors.TEXT_MUTED),
            Column("Name", lambda t: t.name),
            Column("Phrases", lambda t: str(len(t.phrases)), sort=lambda t: len(t.phrases), right=True),
            Column("On", lambda t: "yes" if t.enabled else "off"),
        ])
        self.dict_view = table_view(self.dict_model)
        self.dict_view.selectionModel().currentRowChanged.connect(lambda *_: self._edit_selected())
        left.addWidget(self.dict_view, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("&New theme")
        self.delete_button = QPushButton("Delete")
        self.reset_button = QPushButton("Reset to defaults…")
        for b in (self.new_button, self.delete_button, self.reset_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left.addLayout(buttons)
        self.new_button.clicked.connect(self.new_theme)
        self.delete_button.clicked.connect(self.delete_theme)
        self.reset_button.clicked.connect(self.reset_dictionary)
        h.addLayout(left, 2)

        right = QVBoxLayout()
        form = QFormLayout()
        self.edit_label = QLineEdit()
        self.edit_name = QLineEdit()
        self.edit_name.setPlaceholderText("made from the label")
        self.edit_enabled = QCheckBox("Tag comments with this theme")
        self.edit_phrases = QPlainTextEdit()
        self.edit_phrases.setPlaceholderText("price\ntoo expensive\nlicens*")
        form.addRow("&Label", self.edit_label)
        form.addRow("Na&me", self.edit_name)
        form.addRow("", self.edit_enabled)
        form.addRow("&Phrases", self.edit_phrases)
        right.addLayout(form, 1)
        help_label = QLabel(SYNTAX)
        help_label.setWordWrap(True)
        help_label.setObjectName("Muted")
        right.addWidget(help_label)
        self.edit_label.textEdited.connect(self._label_edited)
        save_row = QHBoxLayout()
        self.save_button = QPushButton("&Save and retag")
        self.save_button.clicked.connect(self.save_theme)
        self.dict_status = QLabel("")
        self.dict_status.setObjectName("Muted")
        self.dict_status.setWordWrap(True)
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.dict_status, 1)
        right.addLayout(save_row)

        try_title = QLabel("Try a comment")
        try_title.setObjectName("SectionTitle")
        right.addWidget(try_title)
        self.try_edit = QLineEdit()
        self.try_edit.setPlaceholderText("e.g. Works fine, but the Salesforce sync keeps failing")
        self.try_result = QLabel("")
        self.try_result.setWordWrap(True)
        self.try_result.setTextFormat(Qt.TextFormat.RichText)
        right.addWidget(self.try_edit)
        right.addWidget(self.try_result)
        self._try_timer = QTimer(self)
        self._try_timer.setSingleShot(True)
        self._try_timer.setInterval(200)
        self._try_timer.timeout.connect(self.try_comment)
        self.try_edit.textChanged.connect(lambda: self._try_timer.start())
        self.edit_phrases.textChanged.connect(lambda: self._try_timer.start())

        retag_row = QHBoxLayout()
        self.retag_button = QPushButton("Retag all responses")
        self.retag_button.clicked.connect(lambda: self.start_retag())
        self.retag_progress = QProgressBar()
        self.retag_progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_retag)
        retag_row.addWidget(self.retag_button)
        retag_row.addWidget(self.retag_progress, 1)
        retag_row.addWidget(self.cancel_button)
        right.addLayout(retag_row)
        h.addLayout(right, 3)
        self._editing: str | None = None
        return tab

    # -- loading -----------------------------------------------------------------------------------
    def filters(self) -> analytics.Filters:
        """The scope chosen above the tabs (a preset, resolved for ``today`` when a job runs)."""
        return analytics.Filters(preset=self.period.currentData()).with_values("kind", (
            (self.program.currentData(),) if self.program.currentData() else None))

    def _scoped(self, ws, filters: analytics.Filters) -> analytics.Filters:
        return analytics.resolve(ws, filters, self.today or clock.today())

    def refresh(self) -> None:
        if self.session.ws is None:
            return
        filters = self.filters()

        def job(ws, progress, cancelled):
            scope = self._scoped(ws, filters)
            return {"report": insight.theme_report(ws, scope), "summary": insight.sentiment_summary(ws, scope),
                    "risk": insight.at_risk_passives(ws, scope, limit=500),
                    "risk_count": insight.at_risk_count(ws, scope), "themes": store.list_themes(ws)}
        self.load(job, self.show_data)
        self._latest("key_drivers", lambda ws: drivers.key_drivers(ws, self._scoped(ws, filters)),
                     self.key_drivers.show_drivers)

    def show_data(self, data: dict) -> None:
        self.report, self.themes = data["report"], data["themes"]
        report, summary = self.report, data["summary"]
        n = report.overall.responses
        self.tile_comments.set(f"{summary['comments']:,}", f"{pct(summary['comments'] / n if n else None)} of "
                               f"{n:,} responses")
        self.tile_tagged.set(pct(summary["tagged"] / summary["comments"] if summary["comments"] else None),
                             f"{summary['tagged']:,} comments")
        mean = summary["mean"]
        self.tile_sentiment.set("—" if mean is None else f"{mean:+.2f}",
                                f"{summary['positive']:,} positive · {summary['negative']:,} negative",
                                "bad" if (mean or 0) < 0 else "good" if (mean or 0) > 0 else "")
        top = insight.top_themes(report, "detractor", 1)
        self.tile_top.set(top[0].label if top else "—",
                          f"{pct(top[0].shares['detractor'])} of detractor comments" if top else "")
        self.tile_risk.set(f"{data['risk_count']:,}", f"of {report.comments['passive']:,} passive comments",
                           "bad" if data["risk_count"] else "")
        keep = self._verbatim_theme
        self.matrix.set_rows([s for s in report.themes if s.mentions] or report.themes)
        self.matrix_view.resizeColumnsToContents()
        self.impact_chart.set_data([(s.label, s.impact) for s in report.themes
                                    if s.mentions and s.impact is not None])
        self.risk_model.set_rows(data["risk"])
        self.risk_view.resizeColumnsToContents()
        self.risk_view.horizontalHeader().setStretchLastSection(True)
        self.risk_title.setText(f"{data['risk_count']:,} passives scored 7–8 but wrote a negative comment "
                                f"or complained about a theme: churn risks to follow up"
                                + (" (the 500 most negative shown)" if data["risk_count"] > 500 else ""))
        self._fill_dictionary()
        self._fill_trend_list()
        self._select_theme(keep or (self.matrix.rows[0].name if self.matrix.rows else None))
        self.load_trend()

    def _select_theme(self, name: str | None) -> None:
        proxy = self.matrix_view.model()
        for r in range(proxy.rowCount()):
            stat = proxy.data(proxy.index(r, 0), ROW_ROLE)
            if stat.name == name:
                self.matrix_view.setCurrentIndex(proxy.index(r, 0))
                self._theme_selected(force=True)
                return
        self.verbatim_view.setHtml("")

    def _theme_selected(self, force: bool = False) -> None:
        stat = _selected(self.matrix_view)
        if stat is not None and (force or stat.name != self._verbatim_theme):
            self._verbatim_theme = stat.name
            self.load_verbatims()

    def load_verbatims(self, more: bool = False) -> None:
        name = self._verbatim_theme
        if name is None or self.session.ws is None:
            return
        filters, category, polarity = self.filters(), self.verbatim_category.currentData(), \
            self.verbatim_polarity.currentData()
        offset = len(self._verbatims) if more else 0
        label = next((t.label for t in self.themes if t.name == name), name)

        def done(items: list[insight.Verbatim]) -> None:
            self._verbatims = (self._verbatims if more else []) + items
            stat = next((s for s in self.report.themes if s.name == name), None) if self.report else None
            count = f" ({stat.mentions:,} comments)" if stat else ""
            self.verbatim_title.setText(f"Verbatims: {label}{count}, newest first")
            self.verbatim_view.setHtml(verbatim_html(self._verbatims, label))
            self.more_button.setEnabled(len(items) == VERBATIM_PAGE)

        self._latest("verbatims", lambda ws: insight.verbatims(
            ws, name, self._scoped(ws, filters), category, polarity, limit=VERBATIM_PAGE, offset=offset), done)

    def _verbatim_link(self, url) -> None:
        """"Add to pack" beside a verbatim: quote it in the pack of its quarter, under this theme."""
        if url.scheme() == "pack" and url.path().isdigit():
            open_quote(self, self.session, int(url.path()), theme=self._verbatim_theme)

    def _latest(self, kind: str, read, on_done) -> None:
        """Run ``read(ws)`` in the background; only the latest request of each ``kind`` is shown."""
        old = self._reads.get(kind)
        if old is not None:
            old.cancel()
        task = run_task(self.session.job(lambda ws, p, c: read(ws), read_only=True), owner=self,
                        on_done=lambda result: self._reads.get(kind) is task and not task.cancelled
                        and on_done(result), on_error=self.show_error)
        self._reads[kind] = task

    def _fill_trend_list(self) -> None:
        self._filling = True
        try:
            checked = {self.trend_list.item(i).data(Qt.ItemDataRole.UserRole)
                       for i in range(self.trend_list.count())
                       if self.trend_list.item(i).checkState() == Qt.CheckState.Checked}
            if not checked and self.report:
                checked = {s.name for s in self.report.themes[:4] if s.mentions}
            self.trend_list.clear()
            for t in self.themes:
                item = QListWidgetItem(t.label)
                item.setData(Qt.ItemDataRole.UserRole, t.name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if t.name in checked else Qt.CheckState.Unchecked)
                self.trend_list.addItem(item)
        finally:
            self._filling = False

    def trend_themes(self) -> list[str]:
        return [self.trend_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.trend_list.count())
                if self.trend_list.item(i).checkState() == Qt.CheckState.Checked]

    def load_trend(self) -> None:
        if self._filling or self.session.ws is None:
            return
        names, period, filters = self.trend_themes(), self.trend_period.currentData(), self.filters()
        labels = {t.name: t.label for t in self.themes}

        def done(rows: list[dict]) -> None:
            periods = [r["period"] for r in rows]
            series = {labels.get(n, n): [r["themes"].get(n, {}).get("mentions", 0) / r["comments"]
                                         if r["comments"] else None for r in rows] for n in names}
            self.trend_chart.set_data(periods, series)

        self._latest("trend", lambda ws: insight.theme_trend(ws, self._scoped(ws, filters), period, names), done)

    # -- the dictionary ----------------------------------------------------------------------------
    def _fill_dictionary(self) -> None:
        editing, status = self._editing, self.dict_status.text()
        self.dict_model.set_rows(self.themes)
        self.dict_view.resizeColumnsToContents()
        self._select_dictionary_row(editing or (self.themes[0].name if self.themes else None))
        self.dict_status.setText(status)

    def _select_dictionary_row(self, name: str | None) -> None:
        proxy = self.dict_view.model()
        for r in range(proxy.rowCount()):
            if proxy.data(proxy.index(r, 0), ROW_ROLE).name == name:
                self.dict_view.setCurrentIndex(proxy.index(r, 0))
                self._edit_selected()
                return

    def _edit_selected(self) -> None:
        t = _selected(self.dict_view)
        if t is None:
            return
        self._editing = t.name
        self.edit_label.setText(t.label)
        self.edit_name.setText(t.name)
        self.edit_enabled.setChecked(t.enabled)
        self.edit_phrases.setPlainText("\n".join(t.phrases))
        self.dict_status.setText("")

    def _label_edited(self, text: str) -> None:
        if self._editing is None:  # a new theme: its name follows the label
            self.edit_name.setText(slugify(text))

    def new_theme(self) -> None:
        self._editing = None
        self.dict_view.clearSelection()
        for w in (self.edit_label, self.edit_name):
            w.clear()
        self.edit_phrases.clear()
        self.edit_enabled.setChecked(True)
        self.dict_status.setText("A new theme: give it a label and phrases, then save.")
        self.edit_label.setFocus()

    def edited_theme(self) -> Theme:
        """The theme in the editor, checked (``ThemeError`` names what is wrong)."""
        label = self.edit_label.text().strip()
        if not label:
            raise ThemeError("give the theme a label")
        name = self.edit_name.text().strip() or slugify(label)
        phrases = [ln for ln in self.edit_phrases.toPlainText().splitlines() if ln.strip()]
        if not phrases:
            raise ThemeError("give the theme at least one phrase")
        return make_theme(name, label, phrases, self.edit_enabled.isChecked())

    def try_comment(self) -> None:
        text = self.try_edit.text()
        if not text.strip():
            self.try_result.setText("")
            return
        try:
            edited = self.edited_theme()
        except ThemeError:
            edited = None
        replaced = {self._editing, edited.name if edited else None}
        themes = [t for t in self.themes if t.name not in replaced] + ([edited] if edited else [])
        result = Analyzer(themes).analyze(text, spans=True)
        labels = {t.name: t.label for t in themes}
        found = ", ".join(f"{labels[h.name]} ({POLARITY[h.polarity]})" for h in result.themes) or "no theme"
        sentiment = "—" if result.sentiment is None else f"{result.sentiment:+.2f}"
        spans = [s for hit in result.themes for s in hit.spans]
        self.try_result.setText(f"{highlight(text, spans)}<br><span style='color:{colors.TEXT_MUTED}'>"
                                f"{html.escape(found)} · sentiment {sentiment}</span>")

    def _write(self, change, then_retag: bool = True) -> None:
        """Apply ``change(ws)`` to the dictionary in the write queue, then retag in the background."""
        def job(ws, progress, cancelled):
            change(ws)
            return tagging.retag_all(ws, progress, cancelled) if then_retag else None
        self._run_retag(job)

    def save_theme(self) -> None:
        try:
            edited = self.edited_theme()
        except ThemeError as exc:
            self.dict_status.setText(f"Not saved: {exc}.")
            return
        old = self._editing
        self._editing = edited.name
        self.dict_status.setText(f"Saved {edited.label}; retagging…")
        self._write(lambda ws: store.save_theme(ws, edited, old_name=old))

    def delete_theme(self) -> None:
        t = _selected(self.dict_view)
        if t is None:
            return
        if QMessageBox.question(self, "Delete theme", f"Delete the theme {t.label} and its tags?") \
                != QMessageBox.StandardButton.Yes:
            return
        self._editing = None
        self.dict_status.setText(f"Deleted {t.label}; retagging…")
        self._write(lambda ws: store.delete_theme(ws, t.name))

    def reset_dictionary(self) -> None:
        if QMessageBox.question(self, "Reset dictionary", "Replace every theme by the default dictionary and "
                                "retag all responses?") != QMessageBox.StandardButton.Yes:
            return
        self._editing = None
        self.dict_status.setText("Default dictionary restored; retagging…")
        self._write(store.reset_themes)

    def start_retag(self) -> None:
        self.dict_status.setText("Retagging…")
        self._run_retag(lambda ws, progress, cancelled: tagging.retag_all(ws, progress, cancelled))

    def _run_retag(self, job) -> None:
        for b in (self.save_button, self.delete_button, self.reset_button, self.retag_button, self.new_button):
            b.setEnabled(False)
        self.retag_progress.setValue(0)
        self.retag_progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.retag_task = run_task(self.session.job(job), owner=self, write=True, on_done=self._retag_done,
                                   on_error=self._retag_failed, on_progress=self._retag_progress)

    def _retag_progress(self, done: int, total: int) -> None:
        self.retag_progress.setMaximum(max(total, 1))
        self.retag_progress.setValue(done)

    def cancel_retag(self) -> None:
        if self.retag_task is not None:
            self.retag_task.cancel()
            self.dict_status.setText("Cancelling…")

    def _retag_finished(self) -> None:
        self.retag_task = None
        for b in (self.save_button, self.delete_button, self.reset_button, self.retag_button, self.new_button):
            b.setEnabled(True)
        self.retag_progress.setVisible(False)
        self.cancel_button.setVisible(False)

    def _retag_done(self, result: tagging.RetagResult | None) -> None:
        self._retag_finished()
        self.last_retag = result
        if result is None:
            self.dict_status.setText("Saved.")
        elif result.cancelled:
            self.dict_status.setText("Retag cancelled: stored tags still follow the previous dictionary. "
                                     "Use Retag all responses to apply it.")
        else:
            self.dict_status.setText(f"Saved and retagged {result.responses:,} responses in "
                                     f"{result.seconds:.1f} s: {result.tagged:,} have a theme.")
        self.session.notify_changed()

    def _retag_failed(self, message: str, details: str = "") -> None:
        self._retag_finished()
        self.dict_status.setText(f"Not saved: {message}")
        self.session.notify_changed()
